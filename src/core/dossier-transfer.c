/* dossier-transfer.c: sending one upload, in one of the flows
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
 *
 * The flows: a single multipart request; or Kore's chunked session above
 * the descriptor's threshold: start (JSON), chunks (multipart, a few in
 * flight, each retried on its own), complete. Retries of a whole attempt
 * are the submission's business; the session survives them while valid.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-client.h"
#include "dossier-json.h"
#include "dossier-multipart.h"
#include "dossier-redact.h"
#include "dossier-result-private.h"
#include "dossier-transfer-private.h"
#include "dossier-util.h"

#define CHUNK_TRIES        4      /* the first and 3 retries */
#define CHUNK_BACKOFF_MS   500
#define MAX_WAIT_MS        (60 * 1000)
#define SESSION_MARGIN     10     /* seconds a session must still live to be resumed */
#define PROGRESS_US        (50 * 1000)  /* a request's progress is published at most this often */
#define FIRST_WAIT_US      G_USEC_PER_SEC /* the most the first bytes wait to be seen */

struct _DossierTransfer
{
  GObject                  parent_instance;

  DossierProvider         *provider;
  DossierClient           *session;
  DossierAuth             *auth;
  char                    *base_url;
  GHashTable              *values;

  GFile                   *file;
  char                    *filename;
  char                    *content_type;
  gint64                   size;

  DossierTransferProgress  progress;
  gpointer                 progress_data;

  /* Kore session, kept across attempts */
  char                    *session_id;
  GDateTime               *session_expires;
  guint                    n_chunks;
  gboolean                *chunk_done;

  guint                    chunk_backoff_ms;
  int                      skip_chunk;

  /* what was sent as credentials (header values, tokens): never shown */
  DossierRedact           *redact;

  /* the request in flight that stores the file (single, or Kore's complete) */
  gpointer                 storing;
};

G_DEFINE_FINAL_TYPE (DossierTransfer, dossier_transfer, G_TYPE_OBJECT)

static void
clear_session (DossierTransfer *self)
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

  clear_session (self);
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
  self->chunk_backoff_ms = CHUNK_BACKOFF_MS;
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
    clear_session (self);
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
report_progress (DossierTransfer *self,
                 guint64          sent,
                 guint64          total)
{
  if (self->progress != NULL)
    self->progress (sent, total, self->progress_data);
}

/* -------------------------------------------------------------------------- */
/* One request                                                                */

typedef void (*WrittenFunc) (guint64 written, guint64 length, gpointer data);

typedef struct
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
  WrittenFunc       on_written;
  gpointer          on_written_data;
  char             *auth_name;
  char             *auth_value;
  /* how far the request went, set in the sending thread, under the lock */
  gboolean          headers_written;
  gboolean          body_written;
  /* the overall deadline, on the request's context */
  GSource          *deadline_source;
  gboolean          timed_out;
} Request;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
request_free (Request *request)
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

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* On the request's context: what was written, if it changed */
static void
request_publish (Request *request)
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
  Request *request = user_data;

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
  Request *request = user_data;
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
  Request *request = user_data;

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
  Request *request = user_data;

  g_mutex_lock (&request->written_lock);
  request->body_written = TRUE;
  g_mutex_unlock (&request->written_lock);
}

/* Whether the server may have the whole request */
static gboolean
request_body_sent (Request *request)
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
  Request *request = user_data;

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
request_set_body (Request *request)
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
  Request *request = user_data;
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
  Request *request = g_task_get_task_data (task);
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
  Request *request = g_task_get_task_data (task);
  DossierTransfer *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  Response *response;

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

  response = g_new0 (Response, 1);
  response->status = soup_message_get_status (request->msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (request->msg));
  response->body = g_steal_pointer (&body);
  g_task_return_pointer (task, response, (GDestroyNotify) response_free);
}

static void
request_send (GTask *task)
{
  Request *request = g_task_get_task_data (task);
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
  Request *request = task_data;
  DossierTransfer *self = request->self;
  g_autoptr(GError) error = NULL;

  /* the file must still be the one that was checked */
  if (self->file != NULL && self->size >= 0)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, cancellable, &error);

      if (info == NULL)
        {
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
  Request *request = g_task_get_task_data (task);
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
  Request *request = g_task_get_task_data (task);
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
static Request *
request_async (DossierTransfer     *self,
               const char          *method,
               const char          *url,
               DossierMultipart    *multipart,
               GBytes              *json,
               WrittenFunc          on_written,
               gpointer             on_written_data,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  request = g_new0 (Request, 1);
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
  if (cancellable != NULL)
    {
      request->outer = g_object_ref (cancellable);
      request->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                 g_object_ref (request->cancellable),
                                                 g_object_unref);
    }

  task = g_task_new (self, request->cancellable, callback, user_data);
  g_task_set_source_tag (task, request_async);
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
static Response *
request_finish (DossierTransfer      *self,
                GAsyncResult         *result,
                DossierTransferSent  *out_sent,
                GError              **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  if (out_sent != NULL)
    {
      gboolean any;

      g_mutex_lock (&request->written_lock);
      any = request->headers_written || request->written > 0;
      g_mutex_unlock (&request->written_lock);

      if (request->msg == NULL)
        *out_sent = DOSSIER_TRANSFER_SENT_NOT_STARTED;
      else if (request_body_sent (request))
        *out_sent = DOSSIER_TRANSFER_SENT_WHOLE;
      else if (any)
        *out_sent = DOSSIER_TRANSFER_SENT_PART;
      else
        *out_sent = DOSSIER_TRANSFER_SENT_NOTHING;
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* base URL + the path template expanded (escaped) with the values and
 * perhaps a session id */
static char *
build_url (DossierTransfer  *self,
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

typedef struct
{
  gint64         retry_after_ms;
  DossierTransferSent sent_storing; /* how much of the storing request reached the server */

  /* chunked */
  GCancellable  *chunks_cancellable;
  GCancellable  *outer;
  gulong         outer_id;
  GQueue         pending;         /* chunk indexes, as GUINT_TO_POINTER */
  guint          in_flight;
  guint          waiting;
  guint         *tries;
  guint64       *sent;
  gboolean       failed;
  DossierResult *fail_result;
  GError        *fail_error;
  gboolean       returned;
} Run;

static void
run_free (Run *run)
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

static void
take_retry_after (DossierTransfer    *self,
                  Run                *run,
                  SoupMessageHeaders *headers)
{
  const DossierResponseSpec *spec = dossier_provider_get_response (self->provider);
  gint64 ms = dossier_client_parse_retry_after (headers, (const char * const *) spec->retry_in_headers, NULL);

  run->retry_after_ms = ms >= 0 ? MIN (ms, MAX_WAIT_MS) : -1;
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
static DossierResult *
answer_finish (GTask        *task,
               GAsyncResult *result,
               guint        *out_status)
{
  DossierTransfer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;

  response = request_finish (self, result, &run->sent_storing, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  take_retry_after (self, run, response->headers);
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

  report_progress (self, written, length);
}

static void
single_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierResult *parsed;

  parsed = answer_finish (task, result, NULL);
  if (parsed != NULL)
    g_task_return_pointer (task, parsed, (GDestroyNotify) dossier_result_free);
}

/* takes @task */
static void
single_run (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  g_autoptr(DossierMultipart) multipart = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = build_url (self, dossier_provider_get_path (self->provider), NULL, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  multipart = build_form (self);
  self->storing = request_async (self, dossier_provider_get_method (self->provider), url,
                                 multipart, NULL, single_written, self,
                                 g_task_get_cancellable (task), single_cb, task);
}

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
  Run *run = g_task_get_task_data (task);

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
  Run *run = g_task_get_task_data (task);

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
  Run *run = g_task_get_task_data (task);

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
  Run *run = g_task_get_task_data (task);
  guint64 sent = 0;

  for (guint i = 0; i < self->n_chunks; i++)
    sent += run->sent[i];

  report_progress (self, sent, self->size);
}

static void
chunk_written (guint64  written,
               guint64  length,
               gpointer data)
{
  ChunkData *chunk = data;
  DossierTransfer *self = g_task_get_source_object (chunk->task);
  Run *run = g_task_get_task_data (chunk->task);

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
  Run *run = g_task_get_task_data (task);

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
  Run *run = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  g_autoptr(GError) error = NULL;
  guint index = chunk->index;
  gboolean transient;
  gint64 wait_ms = -1;

  run->in_flight--;
  response = request_finish (self, result, NULL, &error);

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
      dossier_sleep_async (MIN (wait_ms, MAX_WAIT_MS), run->chunks_cancellable,
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
        clear_session (self);
      take_retry_after (self, run, response->headers);
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
  Run *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  const DossierFileRules *rules = dossier_provider_get_file_rules (self->provider);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  char number[16];
  ChunkData *chunk;

  url = build_url (self, flow->chunk_path, self->session_id, &error);
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
  request_async (self, "POST", url, multipart, NULL, chunk_written, chunk,
                 run->chunks_cancellable, chunk_sent_cb, chunk);
}

static void
chunks_pump (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  guint parallel = MAX (flow->parallel, 1);

  while (!run->failed && run->in_flight < parallel && !g_queue_is_empty (&run->pending))
    {
      guint index = GPOINTER_TO_UINT (g_queue_pop_head (&run->pending));

      if (session_expired (self, 0))
        {
          clear_session (self);
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

  parsed = answer_finish (task, result, &status);
  if (parsed == NULL)
    return;

  /* done, or refused as a whole (missing chunks, session gone): the next
   * attempt starts a new session; a transient answer keeps it */
  if (!dossier_client_is_transient_status (status) && status < 500)
    clear_session (self);

  g_task_return_pointer (task, parsed, (GDestroyNotify) dossier_result_free);
}

static void
complete_session (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (run->returned)
    return;

  if (session_expired (self, 0))
    {
      clear_session (self);
      run->returned = TRUE;
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                               _("The upload session expired before the whole file was sent; "
                                 "send the file again to start a new session"));
      return;
    }

  url = build_url (self, flow->complete_path, self->session_id, &error);
  if (url == NULL)
    {
      run->returned = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run->returned = TRUE;
  self->storing = request_async (self, "POST", url, NULL, NULL, NULL, NULL,
                                 g_task_get_cancellable (task), complete_cb, g_object_ref (task));
}

/* borrows @task: the chunks and the completion hold their own references */
static void
chunks_start (GTask *task)
{
  DossierTransfer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  run->chunks_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    run->outer = g_object_ref (cancellable);
  if (cancellable != NULL)
    run->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                           g_object_ref (run->chunks_cancellable),
                                           g_object_unref);
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
  Run *run = g_task_get_task_data (task);
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);
  g_autoptr(Response) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const char *session_id = NULL;
  const char *expiration = NULL;
  JsonNode *root = NULL;

  response = request_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  take_retry_after (self, run, response->headers);
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

  clear_session (self);
  self->session_id = g_strdup (session_id);
  if (expiration != NULL)
    self->session_expires = g_date_time_new_from_iso8601 (expiration, NULL);
  self->n_chunks = (guint) (((guint64) self->size + flow->chunk_size - 1) / flow->chunk_size);
  self->chunk_done = g_new0 (gboolean, self->n_chunks);

  chunks_start (task);
}

/* takes @task */
static void
chunked_run (GTask *task)
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
  clear_session (self);

  url = build_url (self, flow->start_path, NULL, &error);
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

  request_async (self, "POST", url, NULL, body, NULL, NULL, g_task_get_cancellable (task),
                 start_cb, task);
}

/* -------------------------------------------------------------------------- */

void
dossier_transfer_run_async (DossierTransfer     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (DOSSIER_IS_TRANSFER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_transfer_run_async);
  run = g_new0 (Run, 1);
  run->retry_after_ms = -1;
  g_queue_init (&run->pending);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (dossier_transfer_is_chunked (self))
    chunked_run (g_steal_pointer (&task));
  else
    single_run (g_steal_pointer (&task));
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

  return self->storing != NULL && request_body_sent (self->storing);
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
  Run *run;

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
  Run *run;

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
  Run *run;

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
