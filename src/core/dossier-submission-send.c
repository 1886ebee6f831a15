/* dossier-submission-send.c: starting, sending and stopping uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Uploads are sent at most max-concurrent at once, each through a
 * DossierTransfer on the submission's DossierClient; what an attempt came
 * to is settled in dossier-submission-retry.c.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-history.h"
#include "dossier-result-private.h"
#include "dossier-submission-private.h"

/* -------------------------------------------------------------------------- */
/* Sending                                                                    */

static void job_send (DossierSubmission *self, Job *job);

static void
job_progress (guint64  bytes_sent,
              guint64  total_bytes,
              gpointer user_data)
{
  Job *job = user_data;

  dossier_upload_set_progress (job->upload, bytes_sent, total_bytes);
}

void
_dossier_submission_job_queue (DossierSubmission *self,
                               Job               *job,
                               gboolean           first)
{
  dossier_upload_set_retry_in (job->upload, -1);
  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_QUEUED);
  if (first)
    g_queue_push_head (&self->send_queue, _dossier_submission_job_ref (job));
  else
    g_queue_push_tail (&self->send_queue, _dossier_submission_job_ref (job));
}

/* Queues an upload the user (re)starts: its attempts count from nothing */
void
_dossier_submission_job_queue_fresh (DossierSubmission *self,
                                     Job               *job)
{
  dossier_upload_set_attempt (job->upload, 0);
  job->auth_retried = FALSE;
  _dossier_submission_job_queue (self, job, FALSE);

  /* written with the others queued now, before any is sent */
  if (self->record_history)
    {
      g_ptr_array_add (self->queued_events,
                       _dossier_submission_record_event_new (self, job->upload, "queued"));
      job->in_record = TRUE;
    }
}

static void
job_sent_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job *job = user_data;
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 retry_after_ms = -1;
  DossierTransferSent sent;

  sent = dossier_transfer_run_get_sent (DOSSIER_TRANSFER (object), result);
  answer = dossier_transfer_run_finish (DOSSIER_TRANSFER (object), result, &retry_after_ms, &error);

  if (self == NULL)
    {
      _dossier_submission_job_unref (job);
      return;
    }

  self->n_sending--;
  job->sending = FALSE;
  _dossier_submission_job_wound_down (self, job);

  _dossier_submission_job_settle (job, g_steal_pointer (&answer), error, sent, retry_after_ms);

  _dossier_submission_job_unref (job);
  _dossier_submission_update_counts (self);
  _dossier_submission_pump_sending (self);
}

/* The "started" line is on the disk (or could not be written, which the
 * record says): a kill from now on leaves the file "may have been sent" */
static void
job_started_recorded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Job *job = user_data;

  dossier_history_flush_finish (DOSSIER_HISTORY (object), result, NULL);
  if (job->self == NULL)
    {
      _dossier_submission_job_unref (job);
      return;
    }
  dossier_transfer_run_async (job->transfer, job->cancellable, job_sent_cb, job);
}

/* The requests are sent in the client's threads: as many as may be in
 * flight, every upload sent at once with its chunks */
void
_dossier_submission_update_max_threads (DossierSubmission *self)
{
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);

  if (self->client != NULL)
    dossier_client_set_max_threads (self->client, self->max_concurrent * MAX (flow->parallel, 1));
}

/* One client for every request: every upload at once, each with its
 * chunks, and a token request */
static void
ensure_client (DossierSubmission *self)
{
  const DossierFlowSpec *flow;

  if (self->client != NULL)
    return;

  flow = dossier_provider_get_flow (self->provider);
  self->client = dossier_client_new (8 * MAX (flow->parallel, 1) + 2);
  _dossier_submission_update_max_threads (self);
}

static gboolean
ensure_connection (DossierSubmission  *self,
                   char              **out_url,
                   GError            **error)
{
  g_autofree char *url = dossier_submission_dup_effective_url (self, error);

  if (url == NULL)
    return FALSE;

  ensure_client (self);

  if (self->auth == NULL)
    {
      g_autoptr(DossierCredentials) empty = NULL;
      DossierCredentials *credentials = self->credentials;

      if (credentials == NULL)
        credentials = empty = dossier_credentials_new ();
      self->auth = dossier_auth_new (self->provider, url, credentials, self->client);
    }

  *out_url = g_steal_pointer (&url);
  return TRUE;
}

static void
job_send (DossierSubmission *self,
          Job               *job)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  dossier_upload_set_attempt (job->upload, dossier_upload_get_attempt (job->upload) + 1);
  dossier_upload_set_retry_in (job->upload, -1);
  dossier_upload_set_problem (job->upload, NULL);
  dossier_upload_reset_progress (job->upload);

  if (!ensure_connection (self, &url, &error))
    {
      _dossier_submission_job_fail (job, dossier_result_new_for_error (self->provider, error),
                                    error->message);
      return;
    }

  values = _dossier_submission_effective_values (self, job->upload);

  if (job->transfer != NULL &&
      (job->transfer_auth != self->auth || g_strcmp0 (job->transfer_url, url) != 0))
    g_clear_object (&job->transfer);

  if (job->transfer == NULL)
    {
      GFile *file = dossier_upload_get_file (job->upload);

      job->transfer = dossier_transfer_new (self->provider, self->client, self->auth, url, values);
      if (file != NULL)
        dossier_transfer_set_file (job->transfer, file,
                                   dossier_upload_get_display_name (job->upload),
                                   dossier_upload_get_content_type (job->upload),
                                   dossier_upload_get_size (job->upload));
      dossier_transfer_set_progress_func (job->transfer, job_progress, job);
      g_set_object (&job->transfer_auth, self->auth);
      g_free (job->transfer_url);
      job->transfer_url = g_strdup (url);
    }
  else
    dossier_transfer_set_values (job->transfer, values);

  /* a provider that echoes a credential must not put it in a problem */
  if (self->credentials != NULL)
    {
      dossier_transfer_hide (job->transfer, dossier_credentials_get_secret (self->credentials));
      dossier_transfer_hide (job->transfer,
                             dossier_credentials_get_client_secret (self->credentials));
    }

  g_clear_object (&job->cancellable);
  job->cancellable = g_cancellable_new ();
  job->cancelled = FALSE;
  job->sending = TRUE;
  self->n_sending++;

  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_RUNNING);
  _dossier_submission_record_started (self, job->upload);
  /* the body goes out once the "started" line is on the disk */
  dossier_history_flush_async (dossier_history_get_default (), job_started_recorded_cb,
                               _dossier_submission_job_ref (job));
}

void
_dossier_submission_pump_sending (DossierSubmission *self)
{
  GList *link = self->send_queue.head;

  while (self->n_sending < self->max_concurrent && link != NULL)
    {
      Job *job = link->data;
      GList *next = link->next;

      /* a cancelled attempt still winding down waits in the queue */
      if (job->sending && !job->removed)
        {
          link = next;
          continue;
        }

      g_queue_delete_link (&self->send_queue, link);
      if (!job->removed && dossier_upload_get_state (job->upload) == DOSSIER_UPLOAD_STATE_QUEUED)
        job_send (self, job);
      _dossier_submission_job_unref (job);
      link = next;
    }

  _dossier_submission_update_counts (self);
}

static void
queue_if_ready (DossierSubmission *self,
                Job               *job,
                guint              position,
                gpointer           data)
{
  if (job->checked && dossier_upload_get_state (job->upload) == DOSSIER_UPLOAD_STATE_READY)
    _dossier_submission_job_queue_fresh (self, job);
}

/**
 * dossier_submission_start:
 *
 * Queues every READY upload; at most max-concurrent are sent at once. A
 * restored upload that may have been sent before Dossier stopped is not
 * READY but UNKNOWN: only dossier_submission_resend() sends it.
 */
void
dossier_submission_start (DossierSubmission *self)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  _dossier_submission_foreach_job (self, queue_if_ready, NULL);

  /* the saved queue and the record have every file before any is sent */
  if (self->save_source != NULL)
    dossier_submission_save_queue (self);
  _dossier_submission_record_queued (self);

  _dossier_submission_update_counts (self);
  _dossier_submission_pump_sending (self);
}

/**
 * dossier_submission_cancel:
 *
 * Stops an upload that is queued, sending or waiting: nothing more is
 * sent and it becomes CANCELLED.
 */
void
dossier_submission_cancel (DossierSubmission *self,
                           DossierUpload     *upload)
{
  DossierUploadState state;
  Job *job;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (DOSSIER_IS_UPLOAD (upload));

  job = _dossier_submission_lookup_job (self, upload);
  state = dossier_upload_get_state (upload);
  if (job == NULL ||
      (state != DOSSIER_UPLOAD_STATE_QUEUED && state != DOSSIER_UPLOAD_STATE_RUNNING &&
       state != DOSSIER_UPLOAD_STATE_WAITING))
    return;

  job->cancelled = TRUE;
  if (job->cancellable != NULL)
    g_cancellable_cancel (job->cancellable);
  g_clear_pointer (&job->wait_source, dossier_source_clear);
  if (g_queue_remove (&self->send_queue, job))
    _dossier_submission_job_unref (job);

  dossier_upload_set_retry_in (upload, -1);
  /* the whole file is out, only its answer is awaited: it may arrive */
  if (state == DOSSIER_UPLOAD_STATE_RUNNING && job->transfer != NULL &&
      dossier_transfer_is_sent_whole (job->transfer))
    _dossier_submission_job_stopped_sent (job);
  else
    {
      dossier_upload_set_problem (upload, NULL);
      dossier_upload_set_state (upload, DOSSIER_UPLOAD_STATE_CANCELLED);
    }
  _dossier_submission_update_counts (self);
}

static void
cancel_job (DossierSubmission *self,
            Job               *job,
            guint              position,
            gpointer           data)
{
  dossier_submission_cancel (self, job->upload);
}

void
dossier_submission_cancel_all (DossierSubmission *self)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  _dossier_submission_foreach_job (self, cancel_job, NULL);
}

static void
check_credentials_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *text;

  text = dossier_auth_check_finish (DOSSIER_AUTH (object), result, &error);
  if (text == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, text, g_free);
}

/**
 * dossier_submission_check_credentials_async:
 *
 * Proves the credentials with a request (a token, or the provider's check
 * request) without sending a file.
 */
void
dossier_submission_check_credentials_async (DossierSubmission   *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAuth) auth = NULL;
  g_autoptr(DossierCredentials) empty = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_submission_check_credentials_async);

  url = dossier_submission_dup_effective_url (self, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ensure_client (self);

  auth = dossier_auth_new (self->provider, url,
                           self->credentials ? self->credentials
                                             : (empty = dossier_credentials_new ()),
                           self->client);
  values = _dossier_submission_effective_values (self, NULL);
  dossier_auth_check_async (auth, values, cancellable, check_credentials_cb,
                            g_steal_pointer (&task));
}

/**
 * dossier_submission_check_credentials_finish:
 *
 * Returns: (transfer full): a sentence saying what was proven, or %NULL
 *   with @error set
 */
char *
dossier_submission_check_credentials_finish (DossierSubmission  *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
