/* dossier-client.c: the HTTP client side shared by every request
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place decides how Dossier talks HTTP: the session's limits and user
 * agent, and how much of an answer is read (bounded). A DossierClient owns
 * the SoupSession, the threads that send with the blocking API and the time
 * limits. Which URLs may be used, which failures are worth a retry and what
 * a redirect is said to be are plain functions, in dossier-client-rules.c.
 */

#include "config.h"

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

  /* GIO loads its proxy and TLS modules (dlopen) the first time a
   * connection asks for them. Done in a sending thread while the process
   * exits, that dlopen runs GObject's constructor a second time on a
   * library the exit is tearing down ("cannot register existing
   * fundamental type"): load them here, on the thread that owns the
   * client, before any request can be sent. */
  g_proxy_resolver_get_default ();
  g_tls_backend_get_default ();

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
