/* dossier-transfer-request.c: one request of a transfer, and the single multipart flow
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request goes the same way: the Authorization header is asked for
 * first (credentials up front, no 401 round trip), a streaming multipart
 * body is prepared in a worker thread (stat and open are blocking I/O),
 * then the message is sent with the blocking API in one of the session's
 * sending threads and its answer read with a bound: far less CPU per byte
 * than a main-loop round trip per 8 KiB, and the main context stays free.
 * The message's signals come in that thread: the bytes written are only
 * counted there and published on the main context at most 20 times a
 * second; if libsoup restarts the message it has dropped the body stream,
 * so a new one is opened and set there. What comes back for people is
 * scrubbed of every credential sent.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-client.h"
#include "dossier-multipart.h"
#include "dossier-redact.h"
#include "dossier-result-private.h"
#include "dossier-transfer-private.h"
#include "dossier-util.h"

#define PROGRESS_US        (50 * 1000)  /* a request's progress is published at most this often */
#define FIRST_WAIT_US      G_USEC_PER_SEC /* the most the first bytes wait to be seen */

/* -------------------------------------------------------------------------- */
/* One request                                                                */

struct _DossierTransferRequest
{
  DossierTransfer  *self;
  char             *method;
  char             *url;
  DossierMultipart *multipart;
  GBytes           *json;
  goffset           length;
  GInputStream     *stream;
  SoupMessage      *msg;
  GCancellable     *cancellable;   /* ours, cancelled with the caller's */
  GCancellable     *outer;
  gulong            outer_id;
  GError           *restart_error;
  GError           *send_error;
  /* counted in the sending thread, published on the request's context */
  GMainContext     *context;
  GMutex            written_lock;
  GCond             first_seen_cond;
  guint64           written;
  gint64            published_at;
  GSource          *publish_source;   /* under the lock */
  gboolean          first_seen;       /* under the lock */
  guint64           published;
  DossierTransferWritten on_written;
  gpointer          on_written_data;
  char             *auth_name;
  char             *auth_value;
  /* how far the request went, set in the sending thread, under the lock */
  gboolean          headers_written;
  gboolean          body_written;
  /* the overall deadline, on the request's context */
  GSource          *deadline_source;
  gboolean          timed_out;
};

void
_dossier_transfer_response_free (DossierTransferResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

static void
request_free (DossierTransferRequest *request)
{
  if (request->self != NULL && request->self->storing == request)
    request->self->storing = NULL;
  g_clear_pointer (&request->deadline_source, dossier_source_clear);
  g_clear_pointer (&request->publish_source, dossier_source_clear);
  g_clear_pointer (&request->context, g_main_context_unref);
  g_mutex_clear (&request->written_lock);
  g_cond_clear (&request->first_seen_cond);
  if (request->outer_id != 0)
    g_cancellable_disconnect (request->outer, request->outer_id);
  g_clear_object (&request->outer);
  if (request->msg != NULL)
    g_signal_handlers_disconnect_by_data (request->msg, request);
  g_clear_object (&request->msg);
  g_clear_object (&request->stream);
  g_clear_object (&request->multipart);
  g_clear_pointer (&request->json, g_bytes_unref);
  g_clear_object (&request->cancellable);
  g_clear_error (&request->restart_error);
  g_clear_error (&request->send_error);
  g_clear_object (&request->self);
  g_free (request->method);
  g_free (request->url);
  g_free (request->auth_name);
  g_free (request->auth_value);
  g_free (request);
}

/* On the request's context: what was written, if it changed */
static void
request_publish (DossierTransferRequest *request)
{
  guint64 written;

  g_mutex_lock (&request->written_lock);
  written = request->written;
  g_mutex_unlock (&request->written_lock);

  if (written == request->published)
    return;
  request->published = written;
  if (request->on_written != NULL)
    request->on_written (written, request->length, request->on_written_data);
}

static gboolean
request_publish_cb (gpointer user_data)
{
  DossierTransferRequest *request = user_data;

  g_mutex_lock (&request->written_lock);
  g_clear_pointer (&request->publish_source, g_source_unref);
  g_mutex_unlock (&request->written_lock);

  request_publish (request);

  /* whatever the first progress led to (a cancellation) is in place */
  g_mutex_lock (&request->written_lock);
  request->first_seen = TRUE;
  g_cond_broadcast (&request->first_seen_cond);
  g_mutex_unlock (&request->written_lock);

  return G_SOURCE_REMOVE;
}

/* In the sending thread, once per 8 KiB: counted, and published on the
 * request's context at once the first time, then at most every 50 ms. The
 * source is destroyed in request_sent_cb(), so it never outlives @request.
 *
 * The first bytes wait (up to a second) until they have been seen there,
 * the way they did when every block went through the main loop: whoever
 * watches the progress can stop a request before the rest of it is sent,
 * even when a server on this machine takes it faster than a main loop
 * turns. */
static void
request_wrote_body_data_cb (SoupMessage *msg,
                            guint        chunk_size,
                            gpointer     user_data)
{
  DossierTransferRequest *request = user_data;
  gint64 now;

  g_mutex_lock (&request->written_lock);
  request->written += chunk_size;
  /* the last bytes are always published: the body went out whole */
  if (request->on_written != NULL && request->publish_source == NULL &&
      ((now = g_get_monotonic_time ()) - request->published_at >= PROGRESS_US ||
       request->written >= (guint64) MAX (request->length, 0)))
    {
      request->published_at = now;
      request->publish_source = g_idle_source_new ();
      g_source_set_priority (request->publish_source, G_PRIORITY_DEFAULT);
      g_source_set_callback (request->publish_source, request_publish_cb, request, NULL);
      g_source_set_static_name (request->publish_source, "[dossier] request progress");
      g_source_attach (request->publish_source, request->context);
    }

  if (!request->first_seen && request->publish_source != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + FIRST_WAIT_US;

      while (!request->first_seen && !g_cancellable_is_cancelled (request->cancellable) &&
             g_get_monotonic_time () < deadline)
        g_cond_wait_until (&request->first_seen_cond, &request->written_lock,
                           MIN (deadline, g_get_monotonic_time () + PROGRESS_US));
      request->first_seen = TRUE;
    }
  g_mutex_unlock (&request->written_lock);
}

/* In the sending thread: the request line and headers are out */
static void
request_wrote_headers_cb (SoupMessage *msg,
                          gpointer     user_data)
{
  DossierTransferRequest *request = user_data;

  g_mutex_lock (&request->written_lock);
  request->headers_written = TRUE;
  g_mutex_unlock (&request->written_lock);
}

/* In the sending thread: the whole body is out; from here on a lost
 * answer leaves the outcome unknown */
static void
request_wrote_body_cb (SoupMessage *msg,
                       gpointer     user_data)
{
  DossierTransferRequest *request = user_data;

  g_mutex_lock (&request->written_lock);
  request->body_written = TRUE;
  g_mutex_unlock (&request->written_lock);
}

/* Whether the server may have the whole request */
gboolean
_dossier_transfer_request_body_sent (DossierTransferRequest *request)
{
  gboolean sent;

  g_mutex_lock (&request->written_lock);
  sent = request->body_written ||
         (request->headers_written && request->written >= (guint64) MAX (request->length, 0));
  g_mutex_unlock (&request->written_lock);

  return sent;
}

static gboolean
request_deadline_cb (gpointer user_data)
{
  DossierTransferRequest *request = user_data;

  g_clear_pointer (&request->deadline_source, dossier_source_clear);
  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

static GError *
too_slow_error (DossierTransfer *self)
{
  /* Translators: "Moov answered too slowly; the request was stopped" */
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      _("%s answered too slowly; the request was stopped"),
                      dossier_provider_get_name (self->provider));
}

static void
request_set_body (DossierTransferRequest *request)
{
  if (request->multipart != NULL)
    soup_message_set_request_body (request->msg,
                                   dossier_multipart_get_content_type (request->multipart),
                                   request->stream, request->length);
  else if (request->json != NULL)
    soup_message_set_request_body_from_bytes (request->msg, "application/json", request->json);
}

/* In the sending thread. libsoup dropped the body stream: give it a new
 * one, from the start */
static void
request_restarted_cb (SoupMessage *msg,
                      gpointer     user_data)
{
  DossierTransferRequest *request = user_data;
  g_autoptr(GUri) original = g_uri_parse (request->url, G_URI_FLAGS_NONE, NULL);
  GUri *now = soup_message_get_uri (msg);

  g_mutex_lock (&request->written_lock);
  request->written = 0;
  request->headers_written = FALSE;
  request->body_written = FALSE;
  g_mutex_unlock (&request->written_lock);

  /* a restart to another method or origin (a redirect libsoup followed
   * after all) gets no body and goes no further */
  if (g_strcmp0 (soup_message_get_method (msg), request->method) != 0 ||
      original == NULL || now == NULL ||
      g_ascii_strcasecmp (g_uri_get_scheme (original), g_uri_get_scheme (now)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (original), g_uri_get_host (now)) != 0 ||
      g_uri_get_port (original) != g_uri_get_port (now))
    {
      if (request->restart_error == NULL)
        request->restart_error = g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                                              _("%s sent the upload elsewhere; not followed"),
                                              dossier_provider_get_name (request->self->provider));
      g_cancellable_cancel (request->cancellable);
      return;
    }

  if (request->multipart != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_clear_object (&request->stream);
      request->stream = dossier_multipart_open (request->multipart, request->cancellable, &error);
      if (request->stream == NULL)
        {
          /* never send a body that is not the file: stop here */
          if (request->restart_error == NULL)
            request->restart_error = g_steal_pointer (&error);
          g_cancellable_cancel (request->cancellable);
          return;
        }
    }

  request_set_body (request);
}

/* The file's size is not the one that was checked (or it is gone) */
static GError *
file_changed_error (DossierTransfer *self,
                    gboolean         while_sending)
{
  if (while_sending)
    /* Translators: "“KTP Budi.jpg” changed while it was being sent" */
    return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                        _("“%s” changed while it was being sent"),
                        self->filename ? self->filename : "");

  /* Translators: "“KTP Budi.jpg” changed after it was added; add it again to send it as it is now" */
  return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                      _("“%s” changed after it was added; add it again to send it as it is now"),
                      self->filename ? self->filename : "");
}

static void
changed_query_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierTransferRequest *request = g_task_get_task_data (task);
  DossierTransfer *self = request->self;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, NULL);

  /* a body read from a file that shrank or grew is not the file: that is
   * no network trouble worth a retry */
  if (info == NULL || g_file_info_get_size (info) != self->size)
    g_task_return_error (task, file_changed_error (self, TRUE));
  else
    g_task_return_error (task, g_steal_pointer (&request->send_error));
}

static void
request_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierTransferRequest *request = g_task_get_task_data (task);
  DossierTransfer *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  DossierTransferResponse *response;

  body = dossier_client_send_in_thread_finish (DOSSIER_CLIENT (object), result, &error);

  /* the sending thread is done with the request */
  g_clear_pointer (&request->deadline_source, dossier_source_clear);
  g_mutex_lock (&request->written_lock);
  g_clear_pointer (&request->publish_source, dossier_source_clear);
  g_mutex_unlock (&request->written_lock);
  request_publish (request);

  if (body == NULL && request->timed_out &&
      !(request->outer != NULL && g_cancellable_is_cancelled (request->outer)))
    {
      g_task_return_error (task, too_slow_error (self));
      return;
    }

  if (body == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_task_return_error (task, too_slow_error (self));
      return;
    }

  if (body == NULL)
    {
      if (request->restart_error != NULL &&
          !(request->outer != NULL && g_cancellable_is_cancelled (request->outer)))
        g_task_return_error (task, g_steal_pointer (&request->restart_error));
      else if (request->multipart != NULL && self->file != NULL && self->size >= 0 &&
               !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* did reading the file fail, or the network? */
          request->send_error = g_steal_pointer (&error);
          g_file_query_info_async (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                   G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, NULL,
                                   changed_query_cb, g_steal_pointer (&task));
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* never followed: said as a failure, not taken as the answer */
  if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (request->msg)))
    {
      g_task_return_error (task, dossier_client_redirect_error (request->msg,
                                                               dossier_provider_get_name (self->provider),
                                                               FALSE));
      return;
    }

  response = g_new0 (DossierTransferResponse, 1);
  response->status = soup_message_get_status (request->msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (request->msg));
  response->body = g_steal_pointer (&body);
  g_task_return_pointer (task, response, (GDestroyNotify) _dossier_transfer_response_free);
}

static void
request_send (GTask *task)
{
  DossierTransferRequest *request = g_task_get_task_data (task);
  DossierTransfer *self = request->self;
  SoupMessageHeaders *headers;
  GListModel *fields;

  request->msg = soup_message_new (request->method, request->url);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                               _("“%s” is not a valid address"), request->url);
      g_object_unref (task);
      return;
    }
  dossier_client_prepare_message (request->msg);

  headers = soup_message_get_request_headers (request->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->auth_name != NULL && request->auth_value != NULL)
    soup_message_headers_replace (headers, request->auth_name, request->auth_value);

  /* header fields (Moov X-Moov-Version) */
  fields = dossier_provider_get_fields (self->provider);
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *value = g_hash_table_lookup (self->values, dossier_field_get_name (field));

      if (dossier_field_get_location (field) != DOSSIER_FIELD_LOCATION_HEADER ||
          value == NULL || *value == '\0' || !dossier_field_is_active (field, self->values))
        continue;
      soup_message_headers_replace (headers, dossier_field_get_name (field), value);
    }

  request_set_body (request);
  g_signal_connect (request->msg, "wrote-body-data",
                    G_CALLBACK (request_wrote_body_data_cb), request);
  g_signal_connect (request->msg, "restarted",
                    G_CALLBACK (request_restarted_cb), request);
  g_signal_connect (request->msg, "wrote-headers",
                    G_CALLBACK (request_wrote_headers_cb), request);
  g_signal_connect (request->msg, "wrote-body",
                    G_CALLBACK (request_wrote_body_cb), request);

  /* from here until request_sent_cb() the request belongs to the sending
   * thread, but for what is under its lock */
  request->context = g_main_context_ref_thread_default ();
  request->deadline_source = dossier_timeout_add (dossier_client_get_deadline_ms (self->session, request->length),
                                                  request_deadline_cb, request,
                                                  "[dossier] request deadline");
  dossier_client_send_in_thread_async (self->session, request->msg, DOSSIER_CLIENT_MAX_ANSWER,
                                       request->cancellable, request_sent_cb, task);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DossierTransferRequest *request = task_data;
  DossierTransfer *self = request->self;
  g_autoptr(GError) error = NULL;

  /* the file must still be the one that was checked */
  if (self->file != NULL && self->size >= 0)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, cancellable, &error);

      if (info == NULL)
        {
          /* gone since it was checked: moved, deleted, or a document the
           * portal no longer shares; said with its name, not its path */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                                     _("“%s” does not exist (any more)"),
                                     self->filename ? self->filename : "");
          else
            g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (g_file_info_get_size (info) != self->size)
        {
          g_task_return_error (task, file_changed_error (self, FALSE));
          return;
        }
    }

  request->length = dossier_multipart_get_length (request->multipart, &error);
  if (request->length < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request->stream = dossier_multipart_open (request->multipart, cancellable, &error);
  if (request->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request_send (g_steal_pointer (&task));
}

static void
request_prepare (GTask *task)
{
  DossierTransferRequest *request = g_task_get_task_data (task);
  g_autoptr(GTask) prepare = NULL;

  if (request->multipart == NULL)
    {
      if (request->json != NULL)
        request->length = g_bytes_get_size (request->json);
      request_send (task);
      return;
    }

  /* the request's data is only touched by the thread until it returns.
   * No source object: GIO drops the thread's reference to @prepare in the
   * thread, possibly after prepared_cb() has run, and that must never be
   * the last reference to the transfer (and through it to the session) */
  prepare = g_task_new (NULL, request->cancellable, prepared_cb, task);
  g_task_set_source_tag (prepare, request_prepare);
  g_task_set_task_data (prepare, request, NULL);
  g_task_run_in_thread (prepare, prepare_thread);
}

static void
request_auth_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierTransferRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dossier_auth_get_header_finish (DOSSIER_AUTH (object), result,
                                       &request->auth_name, &request->auth_value, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dossier_redact_add_header_value (request->self->redact, request->auth_value);

  request_prepare (g_steal_pointer (&task));
}

/* Sends one request to @url with the Authorization, the header fields and
 * the body (@multipart, @json or none), and reads the bounded answer.
 * Returns the request, valid until @callback has run. */
DossierTransferRequest *
_dossier_transfer_request_async (DossierTransfer        *self,
                                 const char             *method,
                                 const char             *url,
                                 DossierMultipart       *multipart,
                                 GBytes                 *json,
                                 DossierTransferWritten  on_written,
                                 gpointer                on_written_data,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  DossierTransferRequest *request;

  request = g_new0 (DossierTransferRequest, 1);
  g_mutex_init (&request->written_lock);
  g_cond_init (&request->first_seen_cond);
  request->self = g_object_ref (self);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->multipart = multipart ? g_object_ref (multipart) : NULL;
  request->json = json ? g_bytes_ref (json) : NULL;
  request->on_written = on_written;
  request->on_written_data = on_written_data;
  request->cancellable = g_cancellable_new ();
  request->outer_id = _dossier_transfer_follow_cancellable (request->cancellable, cancellable,
                                                            &request->outer);

  task = g_task_new (self, request->cancellable, callback, user_data);
  g_task_set_source_tag (task, _dossier_transfer_request_async);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  /* our own cancellation (a deadline, a refused restart) returns why */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return request;

  if (self->auth != NULL)
    dossier_auth_get_header_async (self->auth, self->values, request->cancellable,
                                   request_auth_cb, g_steal_pointer (&task));
  else
    request_prepare (g_steal_pointer (&task));

  return request;
}

/* @out_sent: how much of the request reached the server's side (when
 * whole, without an answer, it may have been taken) */
DossierTransferResponse *
_dossier_transfer_request_finish (DossierTransfer      *self,
                                  GAsyncResult         *result,
                                  DossierTransferSent  *out_sent,
                                  GError              **error)
{
  DossierTransferRequest *request = g_task_get_task_data (G_TASK (result));

  if (out_sent != NULL)
    {
      gboolean any;

      g_mutex_lock (&request->written_lock);
      any = request->headers_written || request->written > 0;
      g_mutex_unlock (&request->written_lock);

      if (request->msg == NULL)
        *out_sent = DOSSIER_TRANSFER_SENT_NOT_STARTED;
      else if (_dossier_transfer_request_body_sent (request))
        *out_sent = DOSSIER_TRANSFER_SENT_WHOLE;
      else if (any)
        *out_sent = DOSSIER_TRANSFER_SENT_PART;
      else
        *out_sent = DOSSIER_TRANSFER_SENT_NOTHING;
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* -------------------------------------------------------------------------- */
/* Single multipart request                                                   */

static DossierMultipart *
build_form (DossierTransfer *self)
{
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  const DossierFileRules *rules = dossier_provider_get_file_rules (self->provider);
  GListModel *fields = dossier_provider_get_fields (self->provider);

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *name = dossier_field_get_name (field);
      const char *value = g_hash_table_lookup (self->values, name);

      if (dossier_field_get_location (field) != DOSSIER_FIELD_LOCATION_FORM ||
          value == NULL || *value == '\0' || !dossier_field_is_active (field, self->values))
        continue;
      /* a file is sent instead of its alternative (DOKU file_url) */
      if (self->file != NULL && g_strcmp0 (name, rules->alternative_field) == 0)
        continue;

      dossier_multipart_add_field (multipart, name, value);
    }

  if (self->file != NULL)
    dossier_multipart_add_file (multipart, rules->part ? rules->part : "file", self->file,
                                self->filename, self->content_type, 0, -1);

  return g_steal_pointer (&multipart);
}

/* The answer to the last request of a run, parsed (its Retry-After kept);
 * when the request failed, @task returns its error and %NULL comes back */
DossierResult *
_dossier_transfer_answer_finish (GTask        *task,
                                 GAsyncResult *result,
                                 guint        *out_status)
{
  DossierTransfer *self = g_task_get_source_object (task);
  DossierTransferRun *run = g_task_get_task_data (task);
  g_autoptr(DossierTransferResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;

  response = _dossier_transfer_request_finish (self, result, &run->sent_storing, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  _dossier_transfer_take_retry_after (self, run, response->headers);
  now = g_date_time_new_now_utc ();
  if (out_status != NULL)
    *out_status = response->status;

  return dossier_result_parse (self->provider, response->status, response->headers,
                               response->body, now);
}

static void
single_written (guint64  written,
                guint64  length,
                gpointer data)
{
  DossierTransfer *self = data;

  _dossier_transfer_report_progress (self, written, length);
}

static void
single_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierResult *parsed;

  parsed = _dossier_transfer_answer_finish (task, result, NULL);
  if (parsed != NULL)
    g_task_return_pointer (task, parsed, (GDestroyNotify) dossier_result_free);
}

/* takes @task */
void
_dossier_transfer_single_run (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  g_autoptr(DossierMultipart) multipart = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = _dossier_transfer_build_url (self, dossier_provider_get_path (self->provider), NULL, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  multipart = build_form (self);
  self->storing = _dossier_transfer_request_async (self, dossier_provider_get_method (self->provider), url,
                                                   multipart, NULL, single_written, self,
                                                   g_task_get_cancellable (task), single_cb, task);
}
