/* dossier-retry.c: what becomes of an upload after an attempt
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The retry law of DESIGN.md in one pure function. An upload POST is not
 * idempotent, so retries never duplicate a document: an upload is sent
 * again by itself only when it provably did not reach the server (no
 * connection, a break before the whole body was written, a timeout before
 * a byte was written, 429 or 503 with a Retry-After). When the whole body
 * went out and the answer was lost or was a server failure (500, 502, 503
 * without Retry-After, 504), or said nothing usable, the outcome is
 * unknown. A local read error is not a network error. The submission
 * (dossier-submission.c) performs the verdict and says it in words.
 */

#include "config.h"

#include "dossier-client.h"
#include "dossier-retry-private.h"

/**
 * _dossier_retry_classify_error:
 * @error: (nullable): what an attempt ended with
 *
 * Returns: the kind of @error the retry law tells apart
 */
DossierRetryError
_dossier_retry_classify_error (const GError *error)
{
  if (error == NULL)
    return DOSSIER_RETRY_ERROR_NONE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return DOSSIER_RETRY_ERROR_CANCELLED;
  /* a file that could not be read, or that changed: what went out is not
   * the file */
  if (g_error_matches (error, DOSSIER_ERROR, DOSSIER_ERROR_FILE) ||
      g_error_matches (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID))
    return DOSSIER_RETRY_ERROR_LOCAL;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return DOSSIER_RETRY_ERROR_TIMED_OUT;
  if (dossier_client_is_transient_error (error))
    return DOSSIER_RETRY_ERROR_NETWORK;
  if (error->domain == G_TLS_ERROR)
    return DOSSIER_RETRY_ERROR_TLS;
  if (g_error_matches (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL))
    return DOSSIER_RETRY_ERROR_PROTOCOL;

  return DOSSIER_RETRY_ERROR_OTHER;
}

/* 1 s after the first attempt, then 2 s, 4 s... */
static gint64
backoff_ms (guint attempt)
{
  return (gint64) 1000 << (CLAMP (attempt, 1, 16) - 1);
}

static DossierRetryVerdict
wait_for (gint64  wait_ms,
          gint64 *out_wait_ms)
{
  *out_wait_ms = CLAMP (wait_ms, 0, DOSSIER_RETRY_MAX_WAIT_MS);
  return DOSSIER_RETRY_WAIT;
}

/**
 * _dossier_retry_says_come_back:
 * @status: an answer's HTTP status
 * @retry_after_ms: its Retry-After (or the provider's own header), or -1
 *
 * Returns: whether the answer says the server did not take the request and
 *   when to come back: 429 or 503 with Retry-After
 */
gboolean
_dossier_retry_says_come_back (guint  status,
                               gint64 retry_after_ms)
{
  return (status == 429 || status == 503) && retry_after_ms >= 0;
}

/* A server failure that does not say whether the file was kept */
static gboolean
status_is_ambiguous (guint status)
{
  return status == 500 || status == 502 || status == 503 || status == 504;
}

/* The answers: the server's word, a refused token, a busy server */
static DossierRetryVerdict
decide_answer (const DossierRetryInput *in,
               gint64                  *out_wait_ms)
{
  gboolean whole = in->sent == DOSSIER_TRANSFER_SENT_WHOLE;
  gboolean more = in->attempt < in->max_attempts;
  gboolean come_back = _dossier_retry_says_come_back (in->http_status, in->retry_after_ms);

  /* a fetched token was refused: once more with a fresh one */
  if (in->http_status == 401 && !in->auth_retried && in->auth_refreshable)
    return DOSSIER_RETRY_AUTH;

  /* the server says it did not take it, and when to come back */
  if (come_back && more)
    return wait_for (in->retry_after_ms, out_wait_ms);

  /* a server failure after the whole file, or 2xx without what makes it a
   * success (the file's id): taken, maybe */
  if (whole && status_is_ambiguous (in->http_status) && !come_back)
    return DOSSIER_RETRY_UNKNOWN;
  if (whole && in->http_status >= 200 && in->http_status < 300)
    return DOSSIER_RETRY_UNKNOWN;

  /* refused, or still busy after every attempt */
  return DOSSIER_RETRY_FAIL;
}

/* The errors: no answer came */
static DossierRetryVerdict
decide_error (const DossierRetryInput *in,
              gint64                  *out_wait_ms)
{
  gboolean more = in->attempt < in->max_attempts;

  /* whatever went wrong after the whole file was sent (a lost answer, a
   * timeout, a redirect, an answer too large to read), the provider may
   * have it: never sent again without the user's word */
  if (in->sent == DOSSIER_TRANSFER_SENT_WHOLE && in->error != DOSSIER_RETRY_ERROR_LOCAL)
    return DOSSIER_RETRY_UNKNOWN;

  if (in->error == DOSSIER_RETRY_ERROR_TIMED_OUT)
    {
      /* Not a byte of the upload written (no connection in time): nothing
       * can have arrived, tried again like a refused connection */
      if (in->sent == DOSSIER_TRANSFER_SENT_NOTHING && more)
        return wait_for (backoff_ms (in->attempt), out_wait_ms);
      /* Stopped in the middle of the body: not stored, but not tried
       * again by itself either: a slow server stays slow. Before the
       * upload went out (its token): that step's error, not retried. */
      return DOSSIER_RETRY_FAIL;
    }

  /* nothing, or not all of it, reached the server */
  if (in->error == DOSSIER_RETRY_ERROR_NETWORK && more)
    return wait_for (in->retry_after_ms >= 0 ? in->retry_after_ms : backoff_ms (in->attempt),
                 out_wait_ms);

  /* no connection after every attempt, an untrusted certificate, a file
   * that could not be read, another step failing: said, not retried */
  return DOSSIER_RETRY_FAIL;
}

/**
 * _dossier_retry_decide:
 * @input: what an attempt ended with
 * @out_wait_ms: (out): for %DOSSIER_RETRY_WAIT, how long to wait before
 *   the next attempt; 0 for the others
 *
 * The retry law. On %DOSSIER_RETRY_AUTH the caller drops the refused
 * token; when no fresh one will come after all, it decides again with
 * @input's auth_refreshable unset.
 *
 * Returns: what to do with the upload
 */
DossierRetryVerdict
_dossier_retry_decide (const DossierRetryInput *input,
                       gint64                  *out_wait_ms)
{
  g_return_val_if_fail (input != NULL, DOSSIER_RETRY_FAIL);
  g_return_val_if_fail (out_wait_ms != NULL, DOSSIER_RETRY_FAIL);

  *out_wait_ms = 0;

  if (input->answer_success)
    return DOSSIER_RETRY_DONE;

  if (input->stopped || input->error == DOSSIER_RETRY_ERROR_CANCELLED)
    return input->sent == DOSSIER_TRANSFER_SENT_WHOLE ? DOSSIER_RETRY_UNKNOWN
                                                      : DOSSIER_RETRY_CANCELLED;

  if (input->error != DOSSIER_RETRY_ERROR_NONE)
    return decide_error (input, out_wait_ms);

  return decide_answer (input, out_wait_ms);
}

const char *
_dossier_retry_verdict_to_string (DossierRetryVerdict verdict)
{
  switch (verdict)
    {
    case DOSSIER_RETRY_DONE:
      return "DONE";
    case DOSSIER_RETRY_AUTH:
      return "RETRY_AUTH";
    case DOSSIER_RETRY_WAIT:
      return "WAIT";
    case DOSSIER_RETRY_FAIL:
      return "FAIL";
    case DOSSIER_RETRY_UNKNOWN:
      return "UNKNOWN";
    case DOSSIER_RETRY_CANCELLED:
      return "CANCELLED";
    default:
      return "?";
    }
}
