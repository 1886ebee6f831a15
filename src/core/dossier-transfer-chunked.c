/* dossier-transfer-chunked.c: the chunked session flow (start, chunks, complete)
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Above the descriptor's threshold a file goes in a session: a start
 * request (JSON, member names from the descriptor's flow), chunks
 * (multipart, a few in flight, each retried on its own), then complete.
 * The session lives in the DossierTransfer, so a later attempt resumes it
 * while it is valid.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-client.h"
#include "dossier-json.h"
#include "dossier-multipart.h"
#include "dossier-result-private.h"
#include "dossier-transfer-private.h"
#include "dossier-util.h"

#define CHUNK_TRIES        4      /* the first and 3 retries */
#define SESSION_MARGIN     10     /* seconds a session must still live to be resumed */

/* -------------------------------------------------------------------------- */
/* Kore chunked session                                                       */

static guint64
chunk_length (DossierTransfer *self,
              guint            index)
{
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  guint64 offset = (guint64) index * flow->chunk_size;

  return MIN (flow->chunk_size, (guint64) self->size - offset);
}

static gboolean
session_expired (DossierTransfer *self,
                 gint64           margin)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return self->session_expires != NULL &&
         g_date_time_difference (self->session_expires, now) <= margin * G_USEC_PER_SEC;
}

static void chunks_pump (GTask *task);
static void complete_session (GTask *task);

static void
run_return (GTask *task)
{
  DossierTransferRun *run = g_task_get_task_data (task);

  if (run->returned)
    return;
  run->returned = TRUE;

  if (run->fail_result != NULL)
    g_task_return_pointer (task, g_steal_pointer (&run->fail_result),
                           (GDestroyNotify) dossier_result_free);
  else
    g_task_return_error (task, g_steal_pointer (&run->fail_error));
}

static void
chunks_maybe_done (GTask *task)
{
  DossierTransferRun *run = g_task_get_task_data (task);

  if (run->in_flight > 0 || run->waiting > 0)
    return;

  if (run->failed)
    run_return (task);
  else if (g_queue_is_empty (&run->pending))
    complete_session (task);
}

/* The first failure wins; the other chunks in flight are cancelled */
static void
chunks_fail (GTask         *task,
             DossierResult *result,
             GError        *error)
{
  DossierTransferRun *run = g_task_get_task_data (task);

  if (run->failed)
    {
      if (result != NULL)
        dossier_result_free (result);
      g_clear_error (&error);
      return;
    }

  run->failed = TRUE;
  run->fail_result = result;
  run->fail_error = error;
  g_cancellable_cancel (run->chunks_cancellable);
}

typedef struct
{
  GTask *task;
  guint  index;
} ChunkData;

static void
chunk_report (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  guint64 sent = 0;

  for (guint i = 0; i < self->n_chunks; i++)
    sent += run->sent[i];

  _dossier_transfer_report_progress (self, sent, self->size);
}

static void
chunk_written (guint64  written,
               guint64  length,
               gpointer data)
{
  ChunkData *chunk = data;
  DossierTransfer *self = g_task_get_source_object (chunk->task);
  DossierTransferRun *run = g_task_get_task_data (chunk->task);

  run->sent[chunk->index] = MIN (written, chunk_length (self, chunk->index));
  chunk_report (chunk->task);
}

static void
chunk_retry_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ChunkData *chunk = user_data;
  g_autoptr(GTask) task = chunk->task;
  DossierTransferRun *run = g_task_get_task_data (task);

  dossier_sleep_finish (result, NULL);
  run->waiting--;
  if (!run->failed)
    g_queue_push_head (&run->pending, GUINT_TO_POINTER (chunk->index));
  g_free (chunk);

  chunks_pump (task);
  chunks_maybe_done (task);
}

static void
chunk_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ChunkData *chunk = user_data;
  g_autoptr(GTask) task = chunk->task;
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  g_autoptr(DossierTransferResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint index = chunk->index;
  gboolean transient;
  gint64 wait_ms = -1;

  run->in_flight--;
  response = _dossier_transfer_request_finish (self, result, NULL, &error);

  if (response != NULL && response->status >= 200 && response->status < 300)
    {
      self->chunk_done[index] = TRUE;
      run->sent[index] = chunk_length (self, index);
      chunk_report (task);
      g_free (chunk);
      chunks_pump (task);
      chunks_maybe_done (task);
      return;
    }

  if (run->failed)
    {
      g_free (chunk);
      chunks_maybe_done (task);
      return;
    }

  run->sent[index] = 0;
  chunk_report (task);

  if (response == NULL)
    transient = dossier_client_is_transient_error (error);
  else
    {
      transient = response->status >= 500 || response->status == 429;
      wait_ms = dossier_client_parse_retry_after (response->headers,
                                                  (const char * const *) dossier_provider_get_response (self->provider)->retry_in_headers,
                                                  NULL);
    }

  if (transient && ++run->tries[index] < CHUNK_TRIES)
    {
      if (wait_ms < 0)
        wait_ms = (gint64) self->chunk_backoff_ms << (run->tries[index] - 1);
      run->waiting++;
      dossier_sleep_async (MIN (wait_ms, DOSSIER_TRANSFER_MAX_WAIT_MS), run->chunks_cancellable,
                           chunk_retry_cb, chunk);
      g_steal_pointer (&task);
      return;
    }

  if (response == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Chunk %u of %u: "), index + 1, self->n_chunks);
      chunks_fail (task, NULL, g_steal_pointer (&error));
    }
  else
    {
      g_autoptr(DossierResult) failure = dossier_result_parse (self->provider, response->status,
                                                               response->headers,
                                                               response->body, NULL);
      char *message = g_strdup_printf (_("chunk %u of %u was not accepted: %s"),
                                       index + 1, self->n_chunks, failure->message);

      g_free (failure->message);
      failure->message = message;
      /* the session is gone or unusable: the next attempt starts anew */
      if (response->status == 404 || response->status == 410)
        _dossier_transfer_clear_session (self);
      _dossier_transfer_take_retry_after (self, run, response->headers);
      chunks_fail (task, g_steal_pointer (&failure), NULL);
    }

  g_free (chunk);
  chunks_maybe_done (task);
}

static void
chunk_send (GTask *task,
            guint  index)
{
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  const DossierFileRules *rules = dossier_provider_get_file_rules (self->provider);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  char number[16];
  ChunkData *chunk;

  url = _dossier_transfer_build_url (self, flow->chunk_path, self->session_id, &error);
  if (url == NULL)
    {
      chunks_fail (task, NULL, g_steal_pointer (&error));
      return;
    }

  g_snprintf (number, sizeof number, "%u", index);
  dossier_multipart_add_file (multipart, rules->part ? rules->part : "file", self->file,
                              self->filename, self->content_type,
                              (goffset) index * (goffset) flow->chunk_size,
                              (goffset) chunk_length (self, index));
  dossier_multipart_add_field (multipart, flow->chunk_number, number);

  chunk = g_new0 (ChunkData, 1);
  chunk->task = g_object_ref (task);
  chunk->index = index;
  run->in_flight++;
  _dossier_transfer_request_async (self, "POST", url, multipart, NULL, chunk_written, chunk,
                                   run->chunks_cancellable, chunk_sent_cb, chunk);
}

static void
chunks_pump (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  guint parallel = MAX (flow->parallel, 1);

  while (!run->failed && run->in_flight < parallel && !g_queue_is_empty (&run->pending))
    {
      guint index = GPOINTER_TO_UINT (g_queue_pop_head (&run->pending));

      if (session_expired (self, 0))
        {
          _dossier_transfer_clear_session (self);
          chunks_fail (task, NULL,
                       g_error_new_literal (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                                            _("The upload session expired before the whole file "
                                              "was sent; send the file again to start a new session")));
          return;
        }

      if ((int) index == self->skip_chunk)
        {
          self->chunk_done[index] = TRUE;
          continue;
        }

      chunk_send (task, index);
    }
}

static void
complete_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierTransfer *self = g_task_get_source_object (task);
  DossierResult *parsed;
  guint status = 0;

  parsed = _dossier_transfer_answer_finish (task, result, &status);
  if (parsed == NULL)
    return;

  /* done, or refused as a whole (missing chunks, session gone): the next
   * attempt starts a new session; a transient answer keeps it */
  if (!dossier_client_is_transient_status (status) && status < 500)
    _dossier_transfer_clear_session (self);

  g_task_return_pointer (task, parsed, (GDestroyNotify) dossier_result_free);
}

static void
complete_session (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (run->returned)
    return;

  if (session_expired (self, 0))
    {
      _dossier_transfer_clear_session (self);
      run->returned = TRUE;
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                               _("The upload session expired before the whole file was sent; "
                                 "send the file again to start a new session"));
      return;
    }

  url = _dossier_transfer_build_url (self, flow->complete_path, self->session_id, &error);
  if (url == NULL)
    {
      run->returned = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run->returned = TRUE;
  self->storing = _dossier_transfer_request_async (self, "POST", url, NULL, NULL, NULL, NULL,
                                                   g_task_get_cancellable (task), complete_cb, g_object_ref (task));
}

/* borrows @task: the chunks and the completion hold their own references */
static void
chunks_start (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  run->chunks_cancellable = g_cancellable_new ();
  run->outer_id = _dossier_transfer_follow_cancellable (run->chunks_cancellable, cancellable,
                                                        &run->outer);
  run->tries = g_new0 (guint, self->n_chunks);
  run->sent = g_new0 (guint64, self->n_chunks);

  for (guint i = 0; i < self->n_chunks; i++)
    {
      if (self->chunk_done[i])
        run->sent[i] = chunk_length (self, i);
      else
        g_queue_push_tail (&run->pending, GUINT_TO_POINTER (i));
    }
  chunk_report (task);

  chunks_pump (task);
  chunks_maybe_done (task);
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  g_autoptr(DossierTransferResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const char *session_id = NULL;
  const char *expiration = NULL;
  JsonNode *root = NULL;

  response = _dossier_transfer_request_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _dossier_transfer_take_retry_after (self, run, response->headers);
  if (response->status < 200 || response->status >= 300)
    {
      g_task_return_pointer (task,
                             dossier_result_parse (self->provider, response->status,
                                                   response->headers, response->body, NULL),
                             (GDestroyNotify) dossier_result_free);
      return;
    }

  parser = json_parser_new ();
  if (dossier_json_load (parser, g_bytes_get_data (response->body, NULL),
                         g_bytes_get_size (response->body), 0, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object_ = json_node_get_object (root);

      session_id = json_object_get_string_member_with_default (object_, flow->session_id, NULL);
      if (flow->session_expires != NULL)
        expiration = json_object_get_string_member_with_default (object_, flow->session_expires, NULL);
    }

  if (session_id == NULL || *session_id == '\0')
    {
      DossierResult *failure = dossier_result_parse (self->provider, response->status,
                                                     response->headers, NULL, NULL);

      g_free (failure->message);
      failure->message = g_strdup (_("The provider did not open an upload session"));
      g_task_return_pointer (task, failure, (GDestroyNotify) dossier_result_free);
      return;
    }

  _dossier_transfer_clear_session (self);
  self->session_id = g_strdup (session_id);
  if (expiration != NULL)
    self->session_expires = g_date_time_new_from_iso8601 (expiration, NULL);
  self->n_chunks = (guint) (((guint64) self->size + flow->chunk_size - 1) / flow->chunk_size);
  self->chunk_done = g_new0 (gboolean, self->n_chunks);

  chunks_start (task);
}

/* takes @task */
void
_dossier_transfer_chunked_run (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *extension = NULL;
  GListModel *fields = dossier_provider_get_fields (self->provider);
  const char *dot;
  char *text;
  gsize len;

  /* resume a session that is still valid */
  if (self->session_id != NULL && !session_expired (self, SESSION_MARGIN))
    {
      chunks_start (task);
      g_object_unref (task);
      return;
    }
  _dossier_transfer_clear_session (self);

  url = _dossier_transfer_build_url (self, flow->start_path, NULL, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  dot = self->filename ? strrchr (self->filename, '.') : NULL;
  extension = g_ascii_strdown (dot != NULL ? dot + 1 : "", -1);
  /* the form fields go in the start request, with the file's facts under
   * the names the descriptor's "session" gives */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *value;

      if (dossier_field_get_location (field) != DOSSIER_FIELD_LOCATION_FORM)
        continue;
      value = g_hash_table_lookup (self->values, dossier_field_get_name (field));
      json_builder_set_member_name (builder, dossier_field_get_name (field));
      json_builder_add_string_value (builder, value ? value : "");
    }
  json_builder_set_member_name (builder, flow->total_chunks);
  json_builder_add_int_value (builder, ((guint64) self->size + flow->chunk_size - 1) / flow->chunk_size);
  if (flow->file_extension != NULL)
    {
      json_builder_set_member_name (builder, flow->file_extension);
      json_builder_add_string_value (builder, extension);
    }
  json_builder_set_member_name (builder, flow->file_name);
  json_builder_add_string_value (builder, self->filename ? self->filename : "");
  json_builder_set_member_name (builder, flow->file_size);
  json_builder_add_int_value (builder, self->size);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  body = g_bytes_new_take (text, len);

  _dossier_transfer_request_async (self, "POST", url, NULL, body, NULL, NULL, g_task_get_cancellable (task),
                                   start_cb, task);
}
