/* dossier-client.c: the HTTP client side shared by every request
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place decides how Dossier talks HTTP: the session's limits and user
 * agent, which URLs may be used at all (plain http only to loopback), how
 * much of an answer is read (bounded), and which failures are worth a retry.
 * A DossierClient owns the SoupSession, the threads that send with the
 * blocking API and the time limits; the rest are plain functions.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-client.h"
#include "dossier-types.h"

#define READ_BLOCK (16 * 1024)

/* the defaults of clients made from now on (0: the built-in one) */
static guint   default_idle_timeout_s;
static guint   default_deadline_base_ms;
static guint64 default_deadline_rate;

struct _DossierClient
{
  GObject      parent_instance;

  SoupSession *session;
  GThreadPool *pool;             /* sends with the blocking API */
  guint        idle_timeout_s;
  guint        deadline_base_ms;
  guint64      deadline_rate;
};

G_DEFINE_FINAL_TYPE (DossierClient, dossier_client, G_TYPE_OBJECT)

static void send_thread (gpointer data,
                         gpointer user_data);

static void
pool_free (GThreadPool *pool)
{
  g_thread_pool_free (pool, FALSE, FALSE);
}

static void
dossier_client_finalize (GObject *object)
{
  DossierClient *self = DOSSIER_CLIENT (object);

  /* a queued send holds the client, so nothing is left to run */
  g_clear_pointer (&self->pool, pool_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (dossier_client_parent_class)->finalize (object);
}

static void
dossier_client_class_init (DossierClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_client_finalize;
}

static void
dossier_client_init (DossierClient *self)
{
  self->idle_timeout_s = default_idle_timeout_s > 0 ? default_idle_timeout_s
                                                    : DOSSIER_CLIENT_IDLE_TIMEOUT;
  self->deadline_base_ms = default_deadline_base_ms > 0 ? default_deadline_base_ms
                                                        : DOSSIER_CLIENT_DEADLINE_BASE_MS;
  self->deadline_rate = default_deadline_rate > 0 ? default_deadline_rate
                                                  : DOSSIER_CLIENT_DEADLINE_RATE;
}

/**
 * dossier_client_new:
 * @max_conns_per_host: how many connections may be open to one host
 *
 * A client for uploads. Its session has a user agent naming Dossier, an
 * idle timeout per socket operation (dossier_client_get_idle_timeout()), and
 * enough connections per host for the uploads and chunks sent at once
 * (libsoup allows 2 by default, and a POST never reuses a busy connection).
 * TLS errors are never ignored.
 *
 * Returns: (transfer full): a new #DossierClient
 */
DossierClient *
dossier_client_new (guint max_conns_per_host)
{
  g_autofree char *user_agent = g_strdup_printf ("Dossier/%s", PACKAGE_VERSION);
  guint per_host = MAX (max_conns_per_host, 2);
  DossierClient *self = g_object_new (DOSSIER_TYPE_CLIENT, NULL);

  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", user_agent,
                                "timeout", self->idle_timeout_s,
                                "max-conns-per-host", per_host,
                                "max-conns", MAX (per_host + 2, 10),
                                NULL);
  /* never more senders than connections: a blocking send that finds every
   * connection taken waits for one, and that wait cannot be cancelled.
   * Shared (not exclusive) threads: with a limit of its own, none kept
   * busy. */
  self->pool = g_thread_pool_new (send_thread, NULL, (int) per_host, FALSE, NULL);

  return self;
}

/**
 * dossier_client_get_session:
 *
 * Returns: (transfer none): the session every request of @self goes through
 */
SoupSession *
dossier_client_get_session (DossierClient *self)
{
  g_return_val_if_fail (DOSSIER_IS_CLIENT (self), NULL);

  return self->session;
}

/**
 * dossier_client_abort:
 *
 * Cancels every request of @self and closes its connections.
 */
void
dossier_client_abort (DossierClient *self)
{
  g_return_if_fail (DOSSIER_IS_CLIENT (self));

  soup_session_abort (self->session);
}

/**
 * dossier_client_is_loopback_host:
 * @host: a host name or address, without brackets
 *
 * Returns: whether @host names this machine: localhost, 127.0.0.0/8 or ::1
 */
gboolean
dossier_client_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  bare = g_strdup (host);
  len = strlen (bare);
  if (len > 2 && bare[0] == '[' && bare[len - 1] == ']')
    {
      bare[len - 1] = '\0';
      memmove (bare, bare + 1, len - 1);
    }

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * dossier_client_check_url_for:
 * @url: where a request would go
 * @use: what the request carries
 *
 * The one rule for every address Dossier sends to: https, or plain http
 * only to this machine (the embedded sandbox).
 *
 * Returns: %TRUE if @url may be used; otherwise %FALSE with @error set
 *   (%DOSSIER_ERROR_INSECURE for plain http to another host)
 */
gboolean
dossier_client_check_url_for (const char     *url,
                              DossierUrlUse   use,
                              GError        **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                           _("No address to send to"));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("“%s” is not a web address; it should start with https://"), url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !dossier_client_is_loopback_host (host))
    {
      if (use == DOSSIER_URL_USE_CREDENTIALS)
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE,
                     _("Refusing to send credentials to %s over plain HTTP: use an https:// address"),
                     host);
      else
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE,
                     _("Refusing to send documents unencrypted to %s; use https://"), host);
      return FALSE;
    }

  return TRUE;
}

/**
 * dossier_client_check_url:
 * @url: where documents would go
 *
 * dossier_client_check_url_for() for a request that carries documents.
 */
gboolean
dossier_client_check_url (const char  *url,
                          GError     **error)
{
  return dossier_client_check_url_for (url, DOSSIER_URL_USE_DOCUMENTS, error);
}

/* -------------------------------------------------------------------------- */
/* Bounded reading                                                            */

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *data;
  gsize         max_size;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->data, g_byte_array_unref);
  g_free (data);
}

static GError *
too_large_error (gsize max_size)
{
  g_autofree char *limit = g_format_size (max_size);

  return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                      _("The server's answer is larger than %s; it is not what was expected"),
                      limit);
}

/* Whether the answer's Content-Length already says it is too large */
static gboolean
declared_too_large (SoupMessage *msg,
                    gsize        max_size)
{
  goffset declared;

  declared = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  return declared > 0 && (guint64) declared > max_size;
}

/* The task of a send: @msg and @max_size in its data */
static GTask *
read_task_new (DossierClient       *client,
               SoupMessage         *msg,
               gsize                max_size,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, source_tag);
  data->msg = g_object_ref (msg);
  data->max_size = max_size;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  return task;
}

static void read_next (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  len = g_bytes_get_size (bytes);
  if (len == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (data->data->len + len > data->max_size)
    {
      g_task_return_error (task, too_large_error (data->max_size));
      return;
    }

  g_byte_array_append (data->data, g_bytes_get_data (bytes, NULL), len);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_BLOCK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (declared_too_large (data->msg, data->max_size))
    {
      g_task_return_error (task, too_large_error (data->max_size));
      return;
    }

  read_next (g_steal_pointer (&task));
}

/* The pointer a task of @self returns */
static gpointer
task_finish (DossierClient  *self,
             GAsyncResult   *result,
             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
stream_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GInputStream *stream;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream != NULL)
    g_task_return_pointer (task, stream, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * dossier_client_send_async:
 *
 * soup_session_send_async() through the session of @self, at the default
 * priority: completes at the answer's headers, with a stream for its body.
 */
void
dossier_client_send_async (DossierClient       *self,
                           SoupMessage         *msg,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DOSSIER_IS_CLIENT (self));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_client_send_async);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                           stream_sent_cb, task);
}

/**
 * dossier_client_send_finish:
 *
 * Returns: (transfer full): the stream of the answer's body, or %NULL with
 *   @error set
 */
GInputStream *
dossier_client_send_finish (DossierClient  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return task_finish (self, result, error);
}

/**
 * dossier_client_send_and_read_async:
 * @max_size: the most bytes of body accepted
 *
 * Like soup_session_send_and_read_async(), but refuses (with
 * %DOSSIER_ERROR_PROTOCOL) an answer larger than @max_size instead of
 * holding whatever the server sends in memory.
 */
void
dossier_client_send_and_read_async (DossierClient       *self,
                                    SoupMessage         *msg,
                                    gsize                max_size,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_return_if_fail (DOSSIER_IS_CLIENT (self));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = read_task_new (self, msg, max_size, cancellable, callback, user_data,
                        dossier_client_send_and_read_async);
  data = g_task_get_task_data (task);
  data->data = g_byte_array_new ();

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

/**
 * dossier_client_send_and_read_finish:
 *
 * Returns: (transfer full): the body of the answer, or %NULL with @error set
 */
GBytes *
dossier_client_send_and_read_finish (DossierClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return task_finish (self, result, error);
}

/* -------------------------------------------------------------------------- */
/* Sending in a worker thread                                                 */

/* libsoup 3.2 sends a message from any thread: its signals and its I/O stay
 * in the thread that started it. With the blocking API the request body is
 * spliced without a main-loop round trip per 8 KiB, so a large upload costs
 * far less CPU and leaves the main context free for drawing. Each client
 * has its own pool, apart from GTask's, so that uploads never hold up other
 * work run in threads (file checks). */

/**
 * dossier_client_set_max_threads:
 * @max_threads: how many requests of @self may be sent at once by
 *   dossier_client_send_in_thread_async(); more wait their turn
 *
 * Call it on the thread that created @self.
 */
void
dossier_client_set_max_threads (DossierClient *self,
                                guint          max_threads)
{
  g_return_if_fail (DOSSIER_IS_CLIENT (self));

  max_threads = CLAMP (max_threads, 1, G_MAXINT);
  if ((guint) g_thread_pool_get_max_threads (self->pool) != max_threads)
    g_thread_pool_set_max_threads (self->pool, (int) max_threads, NULL);
}

static gboolean
unref_idle_cb (gpointer data)
{
  g_object_unref (data);

  return G_SOURCE_REMOVE;
}

/* the last reference to the task (and so to the client) is dropped on
 * the task's context, never in a worker */
static void
unref_in_context (GTask *task)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, unref_idle_cb, task, NULL);
  g_source_set_static_name (source, "[dossier] send task");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static GBytes *
send_and_read (SoupSession   *session,
               SoupMessage   *msg,
               gsize          max_size,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) data = NULL;
  g_autofree guint8 *block = NULL;

  stream = soup_session_send (session, msg, cancellable, error);
  if (stream == NULL)
    return NULL;

  if (declared_too_large (msg, max_size))
    {
      g_propagate_error (error, too_large_error (max_size));
      return NULL;
    }

  data = g_byte_array_new ();
  block = g_malloc (READ_BLOCK);
  for (;;)
    {
      gssize len = g_input_stream_read (stream, block, READ_BLOCK, cancellable, error);

      if (len < 0)
        return NULL;
      if (len == 0)
        break;
      if (data->len + (gsize) len > max_size)
        {
          g_propagate_error (error, too_large_error (max_size));
          return NULL;
        }
      g_byte_array_append (data, block, (guint) len);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static void
send_thread (gpointer data,
             gpointer user_data)
{
  GTask *task = data;
  ReadData *read_data = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes;

  bytes = send_and_read (DOSSIER_CLIENT (g_task_get_source_object (task))->session,
                         read_data->msg, read_data->max_size,
                         g_task_get_cancellable (task), &error);
  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);

  unref_in_context (task);
}

/**
 * dossier_client_send_in_thread_async:
 * @max_size: the most bytes of body accepted
 *
 * Like dossier_client_send_and_read_async(), but @msg is sent with the
 * blocking API in a worker thread of @self (at most as many at once as
 * dossier_client_set_max_threads() says). Every signal of @msg
 * (`wrote-body-data`, `restarted`) is emitted in that thread, and @msg must
 * not be touched elsewhere until @callback runs, on the thread-default
 * context of the caller.
 */
void
dossier_client_send_in_thread_async (DossierClient       *self,
                                     SoupMessage         *msg,
                                     gsize                max_size,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOSSIER_IS_CLIENT (self));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = read_task_new (self, msg, max_size, cancellable, callback, user_data,
                        dossier_client_send_in_thread_async);

  g_thread_pool_push (self->pool, g_steal_pointer (&task), NULL);
}

/**
 * dossier_client_send_in_thread_finish:
 *
 * Returns: (transfer full): the body of the answer, or %NULL with @error set
 */
GBytes *
dossier_client_send_in_thread_finish (DossierClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  /* the same task as dossier_client_send_and_read_async()'s */
  return dossier_client_send_and_read_finish (self, result, error);
}

/* -------------------------------------------------------------------------- */
/* What is worth a retry                                                      */

/**
 * dossier_client_is_transient_error:
 *
 * Returns: whether @error is a connection problem worth retrying: network
 *   and HTTP-level I/O errors, but not a cancellation, a TLS certificate
 *   problem or an answer that could not be understood
 */
gboolean
dossier_client_is_transient_error (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
        case G_IO_ERROR_NOT_FOUND:
        case G_IO_ERROR_PERMISSION_DENIED:
        case G_IO_ERROR_IS_DIRECTORY:
        case G_IO_ERROR_INVALID_ARGUMENT:
          return FALSE;
        default:
          return TRUE;
        }
    }

  return error->domain == SOUP_SESSION_ERROR ||
         error->domain == G_RESOLVER_ERROR;
}

/**
 * dossier_client_is_transient_status:
 *
 * Returns: whether an HTTP @status says "try again later": 429, 502, 503, 504
 */
gboolean
dossier_client_is_transient_status (guint status)
{
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/**
 * dossier_client_parse_retry_after:
 * @headers: response headers
 * @ms_headers: (nullable): headers of the provider's own that give the wait
 *   in milliseconds (the descriptor's "retry_in_headers"), tried first
 * @now: (nullable): the current time, for Retry-After as an HTTP date
 *
 * Reads @ms_headers, then Retry-After (seconds or an HTTP date).
 *
 * Returns: the wait in milliseconds, or -1 when the server did not say
 */
gint64
dossier_client_parse_retry_after (SoupMessageHeaders *headers,
                                  const char * const *ms_headers,
                                  GDateTime          *now)
{
  const char *value;
  g_autofree char *text = NULL;
  guint64 n;

  if (headers == NULL)
    return -1;

  for (guint i = 0; ms_headers != NULL && ms_headers[i] != NULL; i++)
    {
      value = soup_message_headers_get_one (headers, ms_headers[i]);
      text = value ? g_strstrip (g_strdup (value)) : NULL;
      if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 2, &n, NULL))
        return (gint64) n;
      g_clear_pointer (&text, g_free);
    }

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return -1;

  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 2000, &n, NULL))
    return (gint64) n * 1000;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
    GTimeSpan diff;

    if (when == NULL)
      return -1;
    diff = g_date_time_difference (when, current);

    return diff > 0 ? diff / 1000 : 0;
  }
}

/* -------------------------------------------------------------------------- */
/* Time limits                                                                */

/**
 * dossier_client_set_timeouts:
 * @idle_seconds: no byte read or written for this long ends a request
 * @deadline_base_ms: every request may take this long, plus its body's time
 * @bytes_per_second: the slowest rate a body is granted
 *
 * For tests: the limits of the clients made from now on; 0 keeps the
 * default of each.
 */
void
dossier_client_set_timeouts (guint   idle_seconds,
                             guint   base_ms,
                             guint64 bytes_per_second)
{
  default_idle_timeout_s = idle_seconds;
  default_deadline_base_ms = base_ms;
  default_deadline_rate = bytes_per_second;
}

/**
 * dossier_client_get_idle_timeout:
 *
 * Returns: the seconds without a byte read or written that end a request
 */
guint
dossier_client_get_idle_timeout (DossierClient *self)
{
  g_return_val_if_fail (DOSSIER_IS_CLIENT (self), DOSSIER_CLIENT_IDLE_TIMEOUT);

  return self->idle_timeout_s;
}

/**
 * dossier_client_get_deadline_ms:
 * @body_length: the request body's length, or -1 when unknown
 *
 * The most a whole request (sending the body, waiting for the answer and
 * reading it) may take: 60 s plus the body at 64 KiB/s (a 20 MB file gets
 * about 6 minutes), at most 6 hours.
 *
 * Returns: milliseconds
 */
gint64
dossier_client_get_deadline_ms (DossierClient *self,
                                goffset        body_length)
{
  gint64 body_ms;

  g_return_val_if_fail (DOSSIER_IS_CLIENT (self), DOSSIER_CLIENT_DEADLINE_BASE_MS);

  body_ms = body_length > 0 ? (gint64) ((guint64) body_length * 1000 / self->deadline_rate) : 0;

  return MIN ((gint64) self->deadline_base_ms + body_ms, DOSSIER_CLIENT_MAX_DEADLINE_MS);
}

/* -------------------------------------------------------------------------- */
/* Redirects                                                                  */

/**
 * dossier_client_prepare_message:
 *
 * What every request Dossier sends has: redirects are not followed (a
 * POST turned into a GET, a body or a credential sent to another origin),
 * the 3xx answer comes back as it is.
 */
void
dossier_client_prepare_message (SoupMessage *msg)
{
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
}

/**
 * dossier_client_describe_location:
 *
 * Returns: (transfer full): where a 3xx answer to @msg points, for people:
 *   scheme, host, port and path, without credentials, query or fragment;
 *   "an address it did not give" when it has no usable Location
 */
char *
dossier_client_describe_location (SoupMessage *msg)
{
  const char *location;
  g_autoptr(GUri) target = NULL;
  g_autoptr(GString) text = NULL;
  const char *path;

  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (location != NULL)
    target = g_uri_parse_relative (soup_message_get_uri (msg), location, G_URI_FLAGS_NONE, NULL);
  if (target == NULL || g_uri_get_host (target) == NULL)
    return g_strdup (_("an address it did not give"));

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s://", g_uri_get_scheme (target));
  if (strchr (g_uri_get_host (target), ':') != NULL)
    g_string_append_printf (text, "[%s]", g_uri_get_host (target));
  else
    g_string_append (text, g_uri_get_host (target));
  if (g_uri_get_port (target) > 0)
    g_string_append_printf (text, ":%d", g_uri_get_port (target));
  path = g_uri_get_path (target);
  g_string_append (text, path != NULL && *path != '\0' ? path : "/");

  /* never a control character in a message */
  for (gsize i = 0; i < text->len; i++)
    if ((guchar) text->str[i] < 0x20 || text->str[i] == 0x7f)
      text->str[i] = '?';

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * dossier_client_redirect_error:
 * @msg: a message answered with a 3xx status
 * @provider_name: who answered
 *
 * Returns: (transfer full): %DOSSIER_ERROR_PROTOCOL saying where the
 *   provider redirected the request, and that it was not followed
 */
GError *
dossier_client_redirect_error (SoupMessage *msg,
                               const char  *provider_name,
                               gboolean     token_request)
{
  g_autofree char *target = dossier_client_describe_location (msg);

  if (token_request)
    /* Translators: "Moov redirected the token request to https://example.com/token (302); not followed" */
    return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                        _("%s redirected the token request to %s (%u); not followed"),
                        provider_name, target, soup_message_get_status (msg));

  /* Translators: "Moov redirected the upload to https://example.com/files (302); not followed" */
  return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                      _("%s redirected the upload to %s (%u); not followed"),
                      provider_name, target, soup_message_get_status (msg));
}
