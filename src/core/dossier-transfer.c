/* dossier-transfer.c: sending one upload, in one of the flows: the object and a run
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The flows: a single multipart request; or Kore's chunked session above
 * the descriptor's threshold: start (JSON), chunks (multipart, a few in
 * flight, each retried on its own), complete. Retries of a whole attempt
 * are the submission's business; the session survives them while valid.
 *
 * One request is dossier-transfer-request.c, the chunked session
 * dossier-transfer-chunked.c.
 */

#include "config.h"

#include "dossier-client.h"
#include "dossier-redact.h"
#include "dossier-transfer-private.h"
#include "dossier-util.h"

G_DEFINE_FINAL_TYPE (DossierTransfer, dossier_transfer, G_TYPE_OBJECT)

void
_dossier_transfer_clear_session (DossierTransfer *self)
{
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->session_expires, g_date_time_unref);
  g_clear_pointer (&self->chunk_done, g_free);
  self->n_chunks = 0;
}

static void
dossier_transfer_finalize (GObject *object)
{
  DossierTransfer *self = DOSSIER_TRANSFER (object);

  _dossier_transfer_clear_session (self);
  g_clear_pointer (&self->redact, dossier_redact_free);
  g_clear_object (&self->provider);
  g_clear_object (&self->session);
  g_clear_object (&self->auth);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->content_type, g_free);

  G_OBJECT_CLASS (dossier_transfer_parent_class)->finalize (object);
}

static void
dossier_transfer_class_init (DossierTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_transfer_finalize;
}

static void
dossier_transfer_init (DossierTransfer *self)
{
  self->size = -1;
  self->chunk_backoff_ms = DOSSIER_TRANSFER_CHUNK_BACKOFF_MS;
  self->skip_chunk = -1;
  self->redact = dossier_redact_new ();
}

/**
 * dossier_transfer_hide:
 * @value: (nullable): a credential (a secret key, a client secret)
 *
 * Adds @value to what dossier_transfer_scrub() hides.
 */
void
dossier_transfer_hide (DossierTransfer *self,
                       const char      *value)
{
  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  dossier_redact_add (self->redact, value);
}

/**
 * dossier_transfer_scrub:
 * @text: (nullable) (inout): a text for people, perhaps with what a provider said
 *
 * Masks in @text the credentials this transfer has sent (header values,
 * tokens) by the rule of dossier-redact.c, so that a provider that echoes
 * them back does not put them in a message.
 */
void
dossier_transfer_scrub (DossierTransfer  *self,
                        char            **text)
{
  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  dossier_redact_scrub (self->redact, text);
}

void
dossier_transfer_scrub_result (DossierTransfer *self,
                               DossierResult   *result)
{
  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  if (result == NULL)
    return;

  /* the message is prose; the rest is data, only a long secret is masked */
  dossier_redact_scrub (self->redact, &result->message);
  dossier_redact_scrub_data (self->redact, &result->code);
  dossier_redact_scrub_data (self->redact, &result->status);
  dossier_redact_scrub_data (self->redact, &result->request_id);
  dossier_redact_scrub_data (self->redact, &result->remote_id);
  dossier_redact_scrub_data (self->redact, &result->link);
}

static GHashTable *
copy_values (GHashTable *values)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (values == NULL)
    return copy;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL)
      g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

/**
 * dossier_transfer_new:
 * @auth: (nullable): where the Authorization comes from; %NULL: none
 * @base_url: the checked URL of the environment, without trailing slash
 * @values: (element-type utf8 utf8): every field's effective value
 */
DossierTransfer *
dossier_transfer_new (DossierProvider *provider,
                      DossierClient   *session,
                      DossierAuth     *auth,
                      const char      *base_url,
                      GHashTable      *values)
{
  DossierTransfer *self;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (DOSSIER_IS_CLIENT (session), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_TRANSFER, NULL);
  self->provider = g_object_ref (provider);
  self->session = g_object_ref (session);
  self->auth = auth ? g_object_ref (auth) : NULL;
  self->base_url = g_strdup (base_url);
  self->values = copy_values (values);

  return self;
}

void
dossier_transfer_set_file (DossierTransfer *self,
                           GFile           *file,
                           const char      *filename,
                           const char      *content_type,
                           gint64           size)
{
  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  g_set_object (&self->file, file);
  g_free (self->filename);
  self->filename = g_strdup (filename);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  if (self->size != size)
    _dossier_transfer_clear_session (self);
  self->size = size;
}

void
dossier_transfer_set_values (DossierTransfer *self,
                             GHashTable      *values)
{
  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  g_clear_pointer (&self->values, g_hash_table_unref);
  self->values = copy_values (values);
}

void
dossier_transfer_set_progress_func (DossierTransfer         *self,
                                    DossierTransferProgress  func,
                                    gpointer                 user_data)
{
  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  self->progress = func;
  self->progress_data = user_data;
}

void
dossier_transfer_set_chunk_backoff (DossierTransfer *self,
                                    guint            base_ms)
{
  self->chunk_backoff_ms = base_ms;
}

void
dossier_transfer_set_skip_chunk (DossierTransfer *self,
                                 int              index)
{
  self->skip_chunk = index;
}

const char *
dossier_transfer_get_session_id (DossierTransfer *self)
{
  return self->session_id;
}

gboolean
dossier_transfer_is_chunked (DossierTransfer *self)
{
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);

  return flow->kind == DOSSIER_FLOW_KIND_CHUNKED_SESSION &&
         self->file != NULL && flow->chunk_size > 0 &&
         self->size > 0 && (guint64) self->size > flow->threshold;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Cancels @inner when @outer (nullable) is: returns the handler id to
 * disconnect from *@out_outer (a reference to @outer, or NULL) */
gulong
_dossier_transfer_follow_cancellable (GCancellable  *inner,
                                      GCancellable  *outer,
                                      GCancellable **out_outer)
{
  *out_outer = outer != NULL ? g_object_ref (outer) : NULL;
  if (outer == NULL)
    return 0;

  return g_cancellable_connect (outer, G_CALLBACK (outer_cancelled_cb),
                                g_object_ref (inner), g_object_unref);
}

void
_dossier_transfer_report_progress (DossierTransfer *self,
                                   guint64          sent,
                                   guint64          total)
{
  if (self->progress != NULL)
    self->progress (sent, total, self->progress_data);
}

/* base URL + the path template expanded (escaped) with the values and
 * perhaps a session id */
char *
_dossier_transfer_build_url (DossierTransfer  *self,
                             const char       *path,
                             const char       *session_id,
                             GError          **error)
{
  g_autoptr(GHashTable) values = copy_values (self->values);
  g_autofree char *expanded = NULL;

  if (session_id != NULL)
    g_hash_table_replace (values,
                          g_strdup (dossier_provider_get_flow (self->provider)->session_id),
                          g_strdup (session_id));

  expanded = dossier_expand_template (path != NULL ? path : "", values, TRUE, error);
  if (expanded == NULL)
    return NULL;

  return g_strconcat (self->base_url, expanded, NULL);
}

/* -------------------------------------------------------------------------- */
/* A run                                                                      */

static void
run_free (DossierTransferRun *run)
{
  if (run->outer_id != 0)
    g_cancellable_disconnect (run->outer, run->outer_id);
  g_clear_object (&run->outer);
  g_clear_object (&run->chunks_cancellable);
  g_queue_clear (&run->pending);
  g_free (run->tries);
  g_free (run->sent);
  g_clear_pointer (&run->fail_result, dossier_result_free);
  g_clear_error (&run->fail_error);
  g_free (run);
}

void
_dossier_transfer_take_retry_after (DossierTransfer    *self,
                                    DossierTransferRun *run,
                                    SoupMessageHeaders *headers)
{
  const DossierResponseSpec *spec = dossier_provider_get_response (self->provider);
  gint64 ms = dossier_client_parse_retry_after (headers, (const char * const *) spec->retry_in_headers, NULL);

  run->retry_after_ms = ms >= 0 ? MIN (ms, DOSSIER_TRANSFER_MAX_WAIT_MS) : -1;
}

/* -------------------------------------------------------------------------- */

void
dossier_transfer_run_async (DossierTransfer     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DossierTransferRun *run;

  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_transfer_run_async);
  run = g_new0 (DossierTransferRun, 1);
  run->retry_after_ms = -1;
  g_queue_init (&run->pending);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (dossier_transfer_is_chunked (self))
    _dossier_transfer_chunked_run (g_steal_pointer (&task));
  else
    _dossier_transfer_single_run (g_steal_pointer (&task));
}

/**
 * dossier_transfer_is_sent_whole:
 *
 * Whether the request in flight that stores the file has been written
 * whole: stopping it now leaves its outcome unknown.
 */
gboolean
dossier_transfer_is_sent_whole (DossierTransfer *self)
{
  g_return_val_if_fail (DOSSIER_IS_TRANSFER (self), FALSE);

  return self->storing != NULL && _dossier_transfer_request_body_sent (self->storing);
}

/**
 * dossier_transfer_run_body_sent:
 * @result: the result given to dossier_transfer_run_async()'s callback
 *
 * Whether the request that stores the file (the single request, or Kore's
 * complete) went out whole: when its answer was lost, the provider may
 * have the file. Chunks and Kore's start store nothing.
 */
gboolean
dossier_transfer_run_body_sent (DossierTransfer *self,
                                GAsyncResult    *result)
{
  DossierTransferRun *run;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  run = g_task_get_task_data (G_TASK (result));
  return run->sent_storing == DOSSIER_TRANSFER_SENT_WHOLE;
}

/**
 * dossier_transfer_run_get_sent:
 * @result: the result given to dossier_transfer_run_async()'s callback
 *
 * How much of the request that stores the file (the single request, or
 * Kore's complete) went out: %DOSSIER_TRANSFER_SENT_NOT_STARTED when the
 * run failed before it (its token, the file's check, Kore's start or
 * chunks), so that an error is that step's own.
 */
DossierTransferSent
dossier_transfer_run_get_sent (DossierTransfer *self,
                               GAsyncResult    *result)
{
  DossierTransferRun *run;

  g_return_val_if_fail (g_task_is_valid (result, self), DOSSIER_TRANSFER_SENT_NOT_STARTED);

  run = g_task_get_task_data (G_TASK (result));
  return run->sent_storing;
}

DossierResult *
dossier_transfer_run_finish (DossierTransfer  *self,
                             GAsyncResult     *result,
                             gint64           *out_retry_after_ms,
                             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  DossierResult *answer;
  DossierTransferRun *run;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  run = g_task_get_task_data (G_TASK (result));
  if (out_retry_after_ms != NULL)
    *out_retry_after_ms = run->retry_after_ms;

  /* what the provider said goes to people: without the credentials */
  answer = g_task_propagate_pointer (G_TASK (result), &local_error);
  dossier_transfer_scrub_result (self, answer);
  if (local_error != NULL)
    {
      dossier_transfer_scrub (self, &local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return answer;
}
