/* dossier-submission-retry.c: what becomes of an upload after an attempt
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Retries never duplicate a document: an upload is sent again by itself
 * only when it provably did not reach the server (no connection, a break
 * before the whole body was written, 429 or 503 with a Retry-After). When
 * the whole body went out and the answer was lost or was a server failure
 * (500, 502, 503 without Retry-After, 504), the outcome is unknown: the
 * upload becomes UNKNOWN and is sent again only when the user confirms.
 * That decision is dossier-retry.c's; here it is performed and said.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-result-private.h"
#include "dossier-retry-private.h"
#include "dossier-submission-private.h"

/* -------------------------------------------------------------------------- */
/* Waiting                                                                    */

static void
wait_update_text (Job *job,
                  int  seconds)
{
  g_autofree char *text = NULL;

  dossier_upload_set_retry_in (job->upload, seconds);
  if (job->wait_status == 0)
    /* Translators: "Connection to the sandbox was lost; retrying in 2 s" */
    text = g_strdup_printf (_("Connection to %s was lost; retrying in %d s"),
                            job->wait_what, seconds);
  else
    /* Translators: "DOKU is busy (503); retrying in 2 s" */
    text = g_strdup_printf (_("%s is busy (%u); retrying in %d s"),
                            job->wait_what, job->wait_status, seconds);
  dossier_upload_set_problem (job->upload, text);
}

static gboolean
wait_tick_cb (gpointer user_data)
{
  Job *job = user_data;
  DossierSubmission *self = job->self;
  gint64 left = job->wait_deadline - g_get_monotonic_time ();

  g_clear_pointer (&job->wait_source, dossier_source_clear);

  if (left <= 1000)
    {
      dossier_upload_set_problem (job->upload, NULL);
      _dossier_submission_job_queue (self, job, TRUE);
      _dossier_submission_update_counts (self);
      _dossier_submission_pump_sending (self);
      return G_SOURCE_REMOVE;
    }

  wait_update_text (job, (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  job->wait_source = dossier_timeout_add (MIN (1000, left / 1000), wait_tick_cb, job,
                                          "[dossier] retry countdown");

  return G_SOURCE_REMOVE;
}

/* WAITING: retried after @wait_ms; @what (taken) was unreachable, or
 * answered the transient @status */
static void
job_wait (DossierSubmission *self,
          Job               *job,
          gint64             wait_ms,
          char              *what,
          guint              status)
{
  int seconds;

  seconds = (int) ((wait_ms + 999) / 1000);

  g_free (job->wait_what);
  job->wait_what = what;
  job->wait_status = status;
  job->wait_deadline = g_get_monotonic_time () + wait_ms * 1000;

  wait_update_text (job, seconds);
  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_WAITING);
  g_clear_pointer (&job->wait_source, dossier_source_clear);
  job->wait_source = dossier_timeout_add (MIN (1000, wait_ms), wait_tick_cb, job,
                                          "[dossier] retry countdown");
}

/* -------------------------------------------------------------------------- */
/* Settling an attempt                                                        */

/* The attempts are over: @result (taken) and @problem shown, and the
 * history told */
static void
job_end (Job                *job,
         DossierUploadState  state,
         DossierResult      *result,
         const char         *problem)
{
  dossier_upload_take_result (job->upload, result);
  dossier_upload_set_problem (job->upload, problem);
  dossier_upload_set_state (job->upload, state);
  _dossier_submission_record_finished (job->self, job->upload);
}

void
_dossier_submission_job_fail (Job           *job,
                              DossierResult *result,
                              const char    *problem)
{
  job_end (job, DOSSIER_UPLOAD_STATE_FAILED, result, problem);
}

/* The whole file went out, and what became of it is not known */
static void
job_unknown (Job           *job,
             DossierResult *result,
             const char    *problem)
{
  job_end (job, DOSSIER_UPLOAD_STATE_UNKNOWN, result, problem);
}

/* Stopped by the user once the whole file went out: it may have arrived */
void
_dossier_submission_job_stopped_sent (Job *job)
{
  job_unknown (job, NULL, _("Stopped after the file was sent; it may have arrived: "
                            "check before sending again"));
}

/* The whole file went out, and what became of it is not known: said in
 * the words of what happened. @answer (nullable) is taken. */
static void
job_unknown_after (Job           *job,
                   gboolean       stopped,
                   const GError  *error,
                   DossierResult *answer)
{
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) owned = answer;
  g_autofree char *problem = NULL;

  if (stopped)
    {
      _dossier_submission_job_stopped_sent (job);
      return;
    }

  if (error != NULL)
    {
      /* whatever went wrong after the whole file was sent (a lost answer, a
       * timeout, a redirect, an answer too large to read), the provider may
       * have it: never sent again without the user's word */
      DossierRetryError kind = _dossier_retry_classify_error (error);

      if (kind == DOSSIER_RETRY_ERROR_TIMED_OUT)
        /* Translators: the first %s is a message such as "Moov answered too slowly; the
         * request was stopped" */
        problem = g_strdup_printf (_("%s after the file was sent; it may have arrived: check "
                                     "before sending again"), error->message);
      else if (kind == DOSSIER_RETRY_ERROR_NETWORK)
        problem = g_strdup (_("The connection broke after the file was sent; it may have arrived: "
                              "check before sending again"));
      else
        /* Translators: %s says what went wrong, such as "Moov redirected the upload to
         * https://example.com/files (303); not followed" */
        problem = g_strdup_printf (_("%s. The whole file was sent before that; it may have "
                                     "arrived: check before sending again"), error->message);
      job_unknown (job, dossier_result_new_for_error (self->provider, error), problem);
      return;
    }

  if (answer->http_status >= 200 && answer->http_status < 300)
    /* taken, most likely, but the answer says nothing usable */
    /* Translators: "Moov answered 200 without the file's id, after the file was sent; …" */
    problem = g_strdup_printf (_("%s answered %u without the file’s id, after the file was "
                                 "sent; it may have arrived: check before sending again"),
                               dossier_provider_get_name (self->provider), answer->http_status);
  else if (answer->http_status == 502 || answer->http_status == 504)
    /* Translators: "Moov's gateway answered 502 after the file was sent; it may have
     * arrived: check before sending again" */
    problem = g_strdup_printf (_("%s’s gateway answered %u after the file was sent; it may "
                                 "have arrived: check before sending again"),
                               dossier_provider_get_name (self->provider), answer->http_status);
  else
    /* Translators: "Moov answered 500 after the file was sent; it may have arrived: check
     * before sending again" */
    problem = g_strdup_printf (_("%s answered %u after the file was sent; it may have "
                                 "arrived: check before sending again"),
                               dossier_provider_get_name (self->provider), answer->http_status);
  job_unknown (job, g_steal_pointer (&owned), problem);
}

/* Not stored, and not sent again by itself: said in the words of what
 * happened. @answer (nullable) is taken. */
static void
job_fail_after (Job                     *job,
                const DossierRetryInput *in,
                const GError            *error,
                DossierResult           *answer)
{
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) owned = answer;
  g_autofree char *problem = NULL;

  if (error != NULL)
    {
      g_autofree char *host = _dossier_submission_describe_host (self, job->transfer_url);

      if (in->error == DOSSIER_RETRY_ERROR_TIMED_OUT && in->sent != DOSSIER_TRANSFER_SENT_NOT_STARTED)
        /* Translators: "Moov answered too slowly; the request was stopped before the file was
         * sent whole, so it was not stored" */
        problem = g_strdup_printf (_("%s before the file was sent whole, so it was not stored"),
                                   error->message);
      else if (in->error == DOSSIER_RETRY_ERROR_NETWORK)
        /* Translators: "Could not reach the sandbox: Connection refused" */
        problem = g_strdup_printf (_("Could not reach %s: %s"), host, error->message);
      else if (in->error == DOSSIER_RETRY_ERROR_TLS)
        /* Translators: "Could not connect securely to api.doku.com: its certificate is
         * not trusted (Unacceptable TLS certificate)" */
        problem = g_strdup_printf (_("Could not connect securely to %s: its certificate is "
                                     "not trusted (%s)"), host, error->message);
      else
        /* a timeout here is a step's before the upload (a token): said as
         * it is */
        problem = g_strdup (error->message);
      _dossier_submission_job_fail (job, dossier_result_new_for_error (self->provider, error),
                                    problem);
      return;
    }

  if (_dossier_retry_says_come_back (in->http_status, in->retry_after_ms))
    /* Translators: "Moov is still busy (503) after 4 attempts; try again later" */
    problem = g_strdup_printf (_("%s is still busy (%u) after %u attempts; try again later"),
                               dossier_provider_get_name (self->provider),
                               answer->http_status, in->attempt);
  else
    problem = dossier_result_describe_failure (answer);
  _dossier_submission_job_fail (job, g_steal_pointer (&owned), problem);
}

/* Performs what dossier-retry.c decides of an attempt that ended with
 * @answer (taken) or @error, having sent @sent */
void
_dossier_submission_job_settle (Job                 *job,
                                DossierResult       *answer,
                                const GError        *error,
                                DossierTransferSent  sent,
                                gint64               retry_after_ms)
{
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) owned = answer;
  DossierRetryInput in = { 0, };
  DossierRetryVerdict verdict;
  gint64 wait_ms = 0;

  if (job->removed)
    return;
  if (dossier_upload_get_state (job->upload) == DOSSIER_UPLOAD_STATE_QUEUED)
    /* cancelled, then sent again before this attempt wound down */
    return;

  in.answer_success = answer != NULL && dossier_result_is_success (answer);
  in.http_status = answer != NULL ? answer->http_status : 0;
  in.error = _dossier_retry_classify_error (error);
  in.sent = sent;
  in.retry_after_ms = retry_after_ms;
  in.attempt = dossier_upload_get_attempt (job->upload);
  in.max_attempts = DOSSIER_RETRY_MAX_ATTEMPTS;
  in.stopped = job->cancelled;
  in.auth_retried = job->auth_retried;
  in.auth_refreshable = job->transfer_auth != NULL;

  verdict = _dossier_retry_decide (&in, &wait_ms);

  if (verdict != DOSSIER_RETRY_DONE &&
      dossier_upload_get_state (job->upload) == DOSSIER_UPLOAD_STATE_UNKNOWN)
    /* stopped after the file was sent whole: already said */
    return;

  if (verdict == DOSSIER_RETRY_AUTH && !dossier_auth_invalidate (job->transfer_auth))
    {
      /* a pasted credential: no fresh token will come */
      in.auth_refreshable = FALSE;
      verdict = _dossier_retry_decide (&in, &wait_ms);
    }

  switch (verdict)
    {
    case DOSSIER_RETRY_DONE:
      {
        guint64 total = dossier_upload_get_total_bytes (job->upload);

        dossier_upload_set_progress (job->upload, MAX (total, 1), MAX (total, 1));
        dossier_upload_flush_progress (job->upload);
        dossier_upload_set_problem (job->upload, NULL);
        dossier_upload_take_result (job->upload, g_steal_pointer (&owned));
        dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_DONE);
        _dossier_submission_record_finished (self, job->upload);
      }
      break;

    case DOSSIER_RETRY_CANCELLED:
      dossier_upload_set_problem (job->upload, NULL);
      dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_CANCELLED);
      _dossier_submission_record_cancelled (self, job->upload);
      break;

    case DOSSIER_RETRY_AUTH:
      /* a fetched token was refused: once more with a fresh one */
      job->auth_retried = TRUE;
      _dossier_submission_job_queue (self, job, TRUE);
      break;

    case DOSSIER_RETRY_WAIT:
      if (error != NULL)
        /* nothing, or not all of it, reached the server */
        job_wait (self, job, wait_ms,
                  _dossier_submission_describe_host (self, job->transfer_url), 0);
      else
        {
          /* the server says it did not take it, and when to come back */
          guint status = answer->http_status;

          dossier_upload_take_result (job->upload, g_steal_pointer (&owned));
          job_wait (self, job, wait_ms, g_strdup (dossier_provider_get_name (self->provider)),
                    status);
        }
      break;

    case DOSSIER_RETRY_UNKNOWN:
      job_unknown_after (job, job->cancelled || in.error == DOSSIER_RETRY_ERROR_CANCELLED,
                         error, g_steal_pointer (&owned));
      break;

    case DOSSIER_RETRY_FAIL:
    default:
      job_fail_after (job, &in, error, g_steal_pointer (&owned));
      break;
    }
}

/* -------------------------------------------------------------------------- */
/* Sending again                                                              */

/**
 * dossier_submission_retry:
 *
 * Sends a FAILED or CANCELLED upload again (after checking its values,
 * which the user may have corrected). An UNKNOWN upload is not sent again
 * this way: see dossier_submission_resend().
 */
void
dossier_submission_retry (DossierSubmission *self,
                          DossierUpload     *upload)
{
  dossier_submission_resend (self, upload, FALSE);
}

/**
 * dossier_submission_resend:
 * @confirmed: the user was told that an UNKNOWN upload may already have
 *   arrived, and chose to send it again
 *
 * Like dossier_submission_retry(), and also sends an UNKNOWN upload again
 * when @confirmed.
 *
 * Returns: whether @upload was put back to be sent
 */
gboolean
dossier_submission_resend (DossierSubmission *self,
                           DossierUpload     *upload,
                           gboolean           confirmed)
{
  DossierUploadState state;
  Job *job;
  guint position = 0;
  gboolean queued = FALSE;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (upload), FALSE);

  job = _dossier_submission_lookup_job (self, upload);
  state = dossier_upload_get_state (upload);
  if (job == NULL ||
      (state != DOSSIER_UPLOAD_STATE_FAILED && state != DOSSIER_UPLOAD_STATE_CANCELLED &&
       !(state == DOSSIER_UPLOAD_STATE_UNKNOWN && confirmed)))
    return FALSE;

  /* the user chose to send it again: no longer held back */
  if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
    dossier_upload_set_maybe_sent (upload, FALSE);

  /* values may have been corrected since */
  dossier_upload_set_problem (upload, NULL);
  dossier_upload_set_state (upload, DOSSIER_UPLOAD_STATE_READY);
  g_list_store_find (self->uploads, upload, &position);
  _dossier_submission_apply_validation (self, job, position);

  if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_READY)
    {
      _dossier_submission_job_queue_fresh (self, job);
      _dossier_submission_record_queued (self);
      queued = TRUE;
    }

  _dossier_submission_update_counts (self);
  _dossier_submission_pump_sending (self);

  return queued;
}
