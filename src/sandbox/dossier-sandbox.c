/* dossier-sandbox.c: the four providers' upload APIs, emulated on loopback
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer serves every provider under its own prefix (/doku, /kore,
 * /moov, /receeve), plus /generic/upload, /files/... and /_sandbox/....
 *
 * The generic chunked session (for descriptors written against the sandbox,
 * with member names of its own, unlike Kore's):
 *   POST /generic/sessions            {"parts": N, "name": "a.png", "bytes": SIZE}
 *                                     -> {"upload": ID, "valid_until": ISO 8601}
 *   POST /generic/sessions/ID         multipart: "part" (0 to N-1) and the file
 *   POST /generic/sessions/ID/finish  -> {"id", "link", "size", "sha256"}
 *
 * Request bodies never accumulate in memory: an early handler turns
 * accumulation off and feeds every chunk to an incremental multipart parser
 * that writes file parts to the storage directory.  The normal handler runs
 * once the body is complete, validates, answers and deletes what it rejects.
 * Stored files are served back by streaming them from disk.
 *
 * This file holds the object: its life, listening (on the caller's thread
 * or a private one) and the public API.  The rest, one concern a file, with
 * the instance struct and the shared functions in dossier-sandbox-private.h:
 * dossier-sandbox-router.c (routes, request context, faults),
 * -request.c (reading a request), -reply.c (answers), -storage.c (the
 * storage folder, stored files, the record), -doku.c, -kore.c, -moov.c,
 * -receeve.c and -generic.c (one emulation each), -chunked.c (chunked
 * sessions, in each dialect), -samples.c (the accepted credentials).
 */

#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

enum {
  PROP_0,
  PROP_STORAGE_DIR,
  PROP_BASE_URL,
  PROP_LOG_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void dossier_sandbox_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierSandbox, dossier_sandbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      dossier_sandbox_initable_iface_init))

G_DEFINE_QUARK (dossier-sandbox-error-quark, dossier_sandbox_error)

/* -------------------------------------------------------------------------- */
/* server life                                                                */

/* Connections the kernel completes before the sandbox accepts them
 * (Linux caps it at net.core.somaxconn, 4096 by default) */
#define SANDBOX_LISTEN_BACKLOG 1024

static gboolean
setup_server (DossierSandbox *self,
              guint           port,
              GError        **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocket) socket = NULL;
  GSList *listeners;

  if (self->server != NULL)
    {
      g_set_error_literal (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_FAILED,
                           "The sandbox is already listening");
      return FALSE;
    }

  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "dossier-sandbox ", NULL);
  _dossier_sandbox_router_attach (self, self->server);

  /* soup_server_listen() keeps GSocket's backlog of 10: a burst of
   * uploads (a client opening many connections at once) then waits a
   * second per SYN the kernel drops. Listen on a socket of our own. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket != NULL)
    {
      g_socket_set_listen_backlog (socket, SANDBOX_LISTEN_BACKLOG);
      if (!g_socket_bind (socket, address, TRUE, error) ||
          !g_socket_listen (socket, error))
        g_clear_object (&socket);
    }
  if (socket == NULL || !soup_server_listen_socket (self->server, socket, 0, error))
    {
      if (socket != NULL)
        g_socket_close (socket, NULL);
      g_clear_object (&self->server);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }

  /* the port actually bound (port 0 picks one) */
  listeners = soup_server_get_listeners (self->server);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, error);

      if (local == NULL)
        {
          g_slist_free (listeners);
          soup_server_disconnect (self->server);
          g_clear_object (&self->server);
          g_clear_pointer (&self->context, g_main_context_unref);
          return FALSE;
        }
      g_free (self->base_url);
      self->base_url = g_strdup_printf ("http://127.0.0.1:%u",
                                        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
    }
  g_slist_free (listeners);

  return TRUE;
}

static void
teardown_server (DossierSandbox *self)
{
  GHashTableIter iter;
  gpointer source;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &source, NULL))
    g_source_destroy (source);
  g_hash_table_remove_all (self->pending);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
}

static gpointer
server_thread (gpointer data)
{
  DossierSandbox *self = data;
  GMainContext *context = g_main_context_new ();
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (context);
  ok = setup_server (self, self->start_port, &error);

  g_mutex_lock (&self->start_mutex);
  self->start_error = error;
  self->start_done = TRUE;
  if (ok)
    self->loop = g_main_loop_new (context, FALSE);
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_mutex);

  if (ok)
    {
      g_main_loop_run (self->loop);
      teardown_server (self);
      /* let the connections finish closing */
      while (g_main_context_iteration (context, FALSE))
        ;
    }

  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* -------------------------------------------------------------------------- */
/* GObject                                                                    */

/* A sandbox that cannot store what it receives is not made: its host (the
 * app, the CLI, a test) is told why instead of aborting */
static gboolean
dossier_sandbox_initable_init (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return _dossier_sandbox_storage_init (DOSSIER_SANDBOX (initable), error);
}

static void
dossier_sandbox_initable_iface_init (GInitableIface *iface)
{
  iface->init = dossier_sandbox_initable_init;
}

static void
dossier_sandbox_dispose (GObject *object)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  if (self->thread != NULL)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, quit_loop, self->loop, NULL);
      g_source_attach (source, self->context);
      g_source_unref (source);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
    }
  else
    {
      teardown_server (self);
    }

  G_OBJECT_CLASS (dossier_sandbox_parent_class)->dispose (object);
}

static void
dossier_sandbox_finalize (GObject *object)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  g_hash_table_unref (self->kore_sessions);
  g_hash_table_unref (self->generic_sessions);
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->doku_tokens);
  g_hash_table_unref (self->moov_tokens);
  g_hash_table_unref (self->receeve_tokens);
  g_hash_table_unref (self->moov_accounts);
  g_hash_table_unref (self->pending);
  _dossier_sandbox_doku_business_clear (self);
  g_ptr_array_unref (self->received);
  g_ptr_array_unref (self->faults);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->start_mutex);
  g_cond_clear (&self->start_cond);
  g_clear_error (&self->start_error);

  if (self->own_storage)
    {
      _dossier_sandbox_remove_tree (self->storage_dir);
      if (self->storage_lock >= 0)
        close (self->storage_lock);
    }
  else if (self->incoming_dir != NULL)
    g_rmdir (self->incoming_dir);

  g_free (self->incoming_dir);
  g_free (self->storage_dir);
  g_free (self->base_url);

  G_OBJECT_CLASS (dossier_sandbox_parent_class)->finalize (object);
}

static void
dossier_sandbox_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_STORAGE_DIR:
      g_value_set_string (value, self->storage_dir);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_LOG_REQUESTS:
      g_value_set_boolean (value, self->log_requests);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_sandbox_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_STORAGE_DIR:
      self->storage_dir = g_value_dup_string (value);
      break;

    case PROP_LOG_REQUESTS:
      if (self->log_requests != g_value_get_boolean (value))
        {
          self->log_requests = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_sandbox_class_init (DossierSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dossier_sandbox_dispose;
  object_class->finalize = dossier_sandbox_finalize;
  object_class->get_property = dossier_sandbox_get_property;
  object_class->set_property = dossier_sandbox_set_property;

  /**
   * DossierSandbox:storage-dir:
   *
   * Where received files are stored; %NULL at construction for a private
   * temporary directory that is removed with the sandbox.
   */
  properties[PROP_STORAGE_DIR] =
    g_param_spec_string ("storage-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * DossierSandbox:base-url:
   *
   * "http://127.0.0.1:PORT" once listening.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * DossierSandbox:log-requests:
   *
   * Whether to print one line per request to stderr.  Set it before
   * listening.
   */
  properties[PROP_LOG_REQUESTS] =
    g_param_spec_boolean ("log-requests", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_sandbox_init (DossierSandbox *self)
{
  self->storage_lock = -1;
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_mutex);
  g_cond_init (&self->start_cond);
  self->received = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_sandbox_fault_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _dossier_sandbox_stored_file_free);
  self->doku_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->moov_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             _dossier_sandbox_moov_token_free);
  self->receeve_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->kore_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               _dossier_sandbox_session_free);
  self->generic_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                  _dossier_sandbox_session_free);
  self->moov_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               _dossier_sandbox_moov_account_free);
  self->pending = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) g_source_unref, NULL);
  self->kore_session_lifetime = 3600;
  self->review_after = -1;
  _dossier_sandbox_doku_business_init (self);
}

/* -------------------------------------------------------------------------- */
/* public API                                                                 */

/**
 * dossier_sandbox_new:
 * @storage_dir: (nullable): where received files are stored, made if need
 *   be; %NULL for a private folder, removed with the sandbox
 * @error: why the sandbox could not be made
 *
 * Returns: (transfer full) (nullable): a sandbox, not yet listening, or
 *   %NULL when its storage folder cannot be made
 */
DossierSandbox *
dossier_sandbox_new (const char  *storage_dir,
                     GError     **error)
{
  return g_initable_new (DOSSIER_TYPE_SANDBOX, NULL, error,
                         "storage-dir", storage_dir,
                         NULL);
}

gboolean
dossier_sandbox_listen (DossierSandbox *self,
                        guint           port,
                        GError        **error)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->thread != NULL)
    {
      g_set_error_literal (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_FAILED,
                           "The sandbox is already listening");
      return FALSE;
    }
  if (!setup_server (self, port, error))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  return TRUE;
}

gboolean
dossier_sandbox_start_thread (DossierSandbox *self,
                              guint           port,
                              GError        **error)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->thread != NULL || self->server != NULL)
    {
      g_set_error_literal (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_FAILED,
                           "The sandbox is already listening");
      return FALSE;
    }

  self->start_port = port;
  self->start_done = FALSE;
  self->thread = g_thread_new ("dossier-sandbox", server_thread, self);

  g_mutex_lock (&self->start_mutex);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_mutex);
  g_mutex_unlock (&self->start_mutex);

  if (self->start_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  return TRUE;
}

const char *
dossier_sandbox_get_base_url (DossierSandbox *self)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), NULL);

  return self->base_url;
}

const char *
dossier_sandbox_get_storage_dir (DossierSandbox *self)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), NULL);

  return self->storage_dir;
}

gboolean
dossier_sandbox_add_fault (DossierSandbox *self,
                           const char     *spec,
                           GError        **error)
{
  DossierSandboxFault *fault;

  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  fault = dossier_sandbox_fault_parse (spec, error);
  if (fault == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, fault);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

void
dossier_sandbox_clear_faults (DossierSandbox *self)
{
  g_return_if_fail (DOSSIER_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->lock);
}

JsonNode *
dossier_sandbox_dup_received (DossierSandbox *self)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), NULL);

  array = json_array_new ();
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->received->len; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (self->received, i)));
  g_mutex_unlock (&self->lock);

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);

  return node;
}

void
dossier_sandbox_set_kore_session_lifetime (DossierSandbox *self,
                                           guint           seconds)
{
  g_return_if_fail (DOSSIER_IS_SANDBOX (self));

  g_atomic_int_set (&self->kore_session_lifetime, seconds);
}
