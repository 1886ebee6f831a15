/* dossier-sandbox-router.c: routes, the request context and fault injection
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-sandbox-multipart-private.h"
#include "dossier-sandbox-private.h"

static void
control_received (DossierSandbox        *self,
                  SoupServerMessage     *msg,
                  DossierSandboxRequest *ctx)
{
  g_autoptr(JsonNode) node = dossier_sandbox_dup_received (self);

  _dossier_sandbox_reply_json_node (msg, 200, node);
}

static void
control_add_fault (DossierSandbox        *self,
                   SoupServerMessage     *msg,
                   DossierSandboxRequest *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  const char *body;
  gsize len;

  if ((body = _dossier_sandbox_require_raw (msg, ctx, &len)) == NULL)
    return;

  spec = g_strstrip (g_strndup (body, len));
  if (!dossier_sandbox_add_fault (self, spec, &error))
    {
      _dossier_sandbox_reply_error (msg, NULL, 400, NULL, error->message);
      return;
    }

  _dossier_sandbox_reply_ok (msg);
}

static void
control_clear_faults (DossierSandbox        *self,
                      SoupServerMessage     *msg,
                      DossierSandboxRequest *ctx)
{
  dossier_sandbox_clear_faults (self);
  _dossier_sandbox_reply_ok (msg);
}

static const DossierSandboxRoute routes[] = {
  { "POST", "doku/adv-core-api/partner/v1.0/token", "doku", "token", _dossier_sandbox_doku_token, 0 },
  { "POST", "doku/adv-core-api/partner/v1.0/file", "doku", "upload", _dossier_sandbox_doku_upload,
    DOKU_MAX_FILE + 1 },
  { "GET", "doku/adv-core-api/partner/v1.0/file", "doku", "requirements", _dossier_sandbox_doku_requirements, 0 },
  { "GET", "doku/adv-core-api/partner/v1.0/business/*", "doku", "business", _dossier_sandbox_doku_business, 0 },
  { "POST", "kore/api/public/files", "kore", "upload", _dossier_sandbox_kore_upload, KORE_MAX_FILE + 1 },
  { "POST", KORE_SESSION_ROUTE "/start", "kore", "start", _dossier_sandbox_chunked_start, 0 },
  { "POST", KORE_SESSION_ROUTE "/*", "kore", "chunk", _dossier_sandbox_chunked_chunk, 0 },
  { "POST", KORE_SESSION_ROUTE "/*/complete", "kore", "complete", _dossier_sandbox_chunked_complete, 0 },
  { "GET", "kore/api/getMediaStream/orgFiles/*", "kore", NULL, _dossier_sandbox_kore_media, 0 },
  { "POST", "moov/oauth2/token", "moov", "token", _dossier_sandbox_moov_token, 0 },
  { "POST", "moov/accounts/*/files", "moov", "upload", _dossier_sandbox_moov_upload, MOOV_MAX_FILE + 1 },
  { "GET", "moov/accounts/*/files", "moov", "list", _dossier_sandbox_moov_list, 0 },
  { "GET", "moov/accounts/*/files/*", "moov", "get", _dossier_sandbox_moov_file_get, 0 },
  { "GET", "moov/accounts/*/capabilities", "moov", "capabilities", _dossier_sandbox_moov_capabilities, 0 },
  { "GET", "moov/accounts/*/capabilities/*", "moov", "capabilities", _dossier_sandbox_moov_capability, 0 },
  { "POST", "receeve/v1/oauth2/token", "receeve", "token", _dossier_sandbox_receeve_token, 0 },
  { "POST", "receeve/files/v1/*/upload_files", "receeve", "upload", _dossier_sandbox_receeve_upload, 0 },
  { "POST", "generic/upload", "generic", "upload", _dossier_sandbox_generic_upload, 0 },
  { "POST", GENERIC_SESSION_ROUTE, "generic", "start", _dossier_sandbox_chunked_start, 0 },
  { "POST", GENERIC_SESSION_ROUTE "/*", "generic", "chunk", _dossier_sandbox_chunked_chunk, 0 },
  { "POST", GENERIC_SESSION_ROUTE "/*/finish", "generic", "complete", _dossier_sandbox_chunked_complete, 0 },
  { "GET", "files/*/*", NULL, NULL, _dossier_sandbox_files_get, 0 },
  { "GET", "_sandbox/received", NULL, NULL, control_received, 0 },
  { "POST", "_sandbox/faults", NULL, NULL, control_add_fault, 0 },
  { "DELETE", "_sandbox/faults", NULL, NULL, control_clear_faults, 0 },
  { "POST", "_sandbox/moov/review", NULL, NULL, _dossier_sandbox_moov_review, 0 },
};

static const char * const provider_prefixes[] = { "doku", "kore", "moov", "receeve", "generic", NULL };

static gboolean
pattern_matches (const char  *pattern,
                 char       **segments,
                 GPtrArray   *params)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  guint n = g_strv_length (parts);

  if (g_strv_length (segments) != n)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (parts[i], "*"))
        {
          if (*segments[i] == '\0')
            return FALSE;
        }
      else if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }

  if (params != NULL)
    for (guint i = 0; i < n; i++)
      if (g_str_equal (parts[i], "*"))
        g_ptr_array_add (params, g_uri_unescape_string (segments[i], NULL));

  return TRUE;
}

static void
route_lookup (DossierSandboxRequest *ctx,
              const char            *method,
              const char            *path)
{
  g_auto(GStrv) segments = NULL;

  while (*path == '/')
    path++;
  segments = g_strsplit (path, "/", -1);

  if (segments[0] != NULL && g_strv_contains (provider_prefixes, segments[0]))
    ctx->provider = g_strdup (segments[0]);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!g_str_equal (routes[i].method, method))
        continue;
      if (pattern_matches (routes[i].pattern, segments, ctx->params))
        {
          ctx->route = &routes[i];
          return;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (pattern_matches (routes[i].pattern, segments, NULL))
      ctx->wrong_method = TRUE;
}

static char *
allowed_methods (const char *path)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GString) allow = g_string_new (NULL);

  while (*path == '/')
    path++;
  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (pattern_matches (routes[i].pattern, segments, NULL) &&
        strstr (allow->str, routes[i].method) == NULL)
      g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", routes[i].method);

  return g_string_free (g_steal_pointer (&allow), FALSE);
}

static void
request_ctx_free (gpointer data)
{
  DossierSandboxRequest *ctx = data;

  g_clear_pointer (&ctx->parser, dossier_sandbox_multipart_parser_free);
  g_clear_error (&ctx->parse_error);
  g_clear_pointer (&ctx->raw, g_byte_array_unref);
  g_clear_pointer (&ctx->params, g_ptr_array_unref);
  g_free (ctx->provider);
  g_free (ctx);
}

static DossierSandboxRequest *
request_ctx (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "dossier-sandbox-ctx");
}

/* The first fault that matches, consumed; NULL if none.  @requirement
 * (with op "requirement") claims a moov/requirement fault for that
 * requirement id; no other claim takes one */
DossierSandboxFault *
_dossier_sandbox_claim_fault (DossierSandbox *self,
                              const char     *provider,
                              const char     *op,
                              gint            chunk,
                              gboolean        want_drop,
                              const char     *requirement)
{
  DossierSandboxFault *claimed = NULL;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->faults->len; i++)
    {
      DossierSandboxFault *fault = g_ptr_array_index (self->faults, i);

      if ((fault->drop >= 0) != want_drop)
        continue;
      if (!dossier_sandbox_fault_matches (fault, provider, op, chunk))
        continue;
      if ((fault->requirement != NULL || requirement != NULL) &&
          g_strcmp0 (fault->requirement, requirement) != 0)
        continue;
      /* spared this time: not consumed either */
      if (fault->probability < 1.0 && g_random_double () >= fault->probability)
        continue;

      claimed = dossier_sandbox_fault_copy (fault);
      if (fault->times > 0 && --fault->times == 0)
        g_ptr_array_remove_index (self->faults, i);
      break;
    }
  g_mutex_unlock (&self->lock);

  return claimed;
}

static void
drop_connection (SoupServerMessage     *msg,
                 DossierSandboxRequest *ctx)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  ctx->dropped = TRUE;
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

/* The Kore chunk number the form gives, once its field has come (FALSE
 * before); -1 when it is not a number */
static gboolean
peek_chunk_number (DossierSandboxRequest *ctx,
                   gint                  *chunk)
{
  const char *number = dossier_sandbox_multipart_parser_peek_field (ctx->parser, "chunkNumber");
  guint64 n;

  if (number == NULL)
    return FALSE;
  *chunk = g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT, &n, NULL) ? (gint) n : -1;

  return TRUE;
}

static void
got_chunk_cb (SoupServerMessage     *msg,
              GBytes                *chunk,
              DossierSandboxRequest *ctx)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (ctx->dropped)
    return;

  ctx->body_bytes += len;

  if (ctx->parser != NULL)
    {
      if (ctx->parse_error == NULL)
        dossier_sandbox_multipart_parser_feed (ctx->parser, data, len, &ctx->parse_error);
    }
  else if (ctx->raw != NULL && !ctx->raw_too_large)
    {
      if (ctx->raw->len + len > RAW_BODY_CAP)
        {
          ctx->raw_too_large = TRUE;
          g_byte_array_set_size (ctx->raw, 0);
        }
      else
        g_byte_array_append (ctx->raw, data, len);
    }

  /* a drop aimed at one Kore chunk: wait until its number is known */
  if (ctx->drop_at < 0 && !ctx->drop_checked && ctx->parser != NULL &&
      ctx->route != NULL && g_strcmp0 (ctx->route->op, "chunk") == 0)
    {
      gint n;

      if (peek_chunk_number (ctx, &n))
        {
          g_autoptr(DossierSandboxFault) fault = NULL;

          ctx->drop_checked = TRUE;
          if (n >= 0)
            {
              ctx->chunk = n;
              fault = _dossier_sandbox_claim_fault (ctx->self, "kore", "chunk", n, TRUE, NULL);
              if (fault != NULL)
                ctx->drop_at = fault->drop;
            }
        }
    }

  if (ctx->drop_at >= 0 && ctx->body_bytes >= (guint64) ctx->drop_at)
    drop_connection (msg, ctx);
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  DossierSandbox *self = user_data;
  DossierSandboxRequest *ctx = g_new0 (DossierSandboxRequest, 1);
  g_autofree char *boundary = NULL;

  ctx->self = self;
  ctx->started = g_get_monotonic_time ();
  ctx->params = g_ptr_array_new_with_free_func (g_free);
  ctx->drop_at = -1;
  ctx->chunk = -1;
  route_lookup (ctx, soup_server_message_get_method (msg), path);
  g_object_set_data_full (G_OBJECT (msg), "dossier-sandbox-ctx", ctx, request_ctx_free);

  /* never keep a request body in memory */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), ctx);

  boundary = dossier_sandbox_multipart_get_boundary (_dossier_sandbox_header (msg, "Content-Type"));
  if (boundary != NULL && ctx->route != NULL)
    ctx->parser = dossier_sandbox_multipart_parser_new (boundary, self->incoming_dir, FIELD_CAP,
                                                        ctx->route->file_cap);
  else
    ctx->raw = g_byte_array_new ();

  if (ctx->route != NULL && ctx->route->op != NULL)
    {
      g_autoptr(DossierSandboxFault) fault = _dossier_sandbox_claim_fault (self, ctx->route->provider,
                                                                           ctx->route->op, -1, TRUE, NULL);
      if (fault != NULL)
        ctx->drop_at = fault->drop;
    }
}

/* The error status a fault injects, with its Retry-After if it has one */
static void
reply_fault (SoupServerMessage         *msg,
             DossierSandboxRequest     *ctx,
             const DossierSandboxFault *fault,
             const char                *text)
{
  _dossier_sandbox_reply_error (msg, ctx->provider, fault->status, NULL, text);
  if (fault->retry_after >= 0)
    {
      char value[32];

      g_snprintf (value, sizeof value, "%d", fault->retry_after);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", value);
    }
}

static void
answer (DossierSandbox            *self,
        SoupServerMessage         *msg,
        DossierSandboxRequest     *ctx,
        const DossierSandboxFault *fault)
{
  if (fault != NULL && fault->store_then != DOSSIER_SANDBOX_STORE_NONE)
    {
      /* handled as usual (the file is stored), then the answer is lost */
      ctx->route->handler (self, msg, ctx);
      if (fault->store_then == DOSSIER_SANDBOX_STORE_DROP)
        {
          drop_connection (msg, ctx);
          soup_server_message_set_status (msg, 500, NULL);
          return;
        }
      reply_fault (msg, ctx, fault, "Injected fault after storing the file");
      return;
    }

  if (fault != NULL && fault->status != 0)
    {
      reply_fault (msg, ctx, fault, "Injected fault");
      return;
    }

  if (fault != NULL && fault->malformed_json)
    {
      static const char broken[] = "{\"injected\": \"malformed json\", \"id\": ";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        broken, strlen (broken));
      return;
    }

  ctx->route->handler (self, msg, ctx);
}

typedef struct
{
  DossierSandbox      *self;
  SoupServerMessage   *msg;
  DossierSandboxFault *fault;
  GSource             *source;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->msg);
  dossier_sandbox_fault_free (delayed->fault);
  g_free (delayed);
}

static gboolean
delayed_answer (gpointer data)
{
  Delayed *delayed = data;
  DossierSandboxRequest *ctx = request_ctx (delayed->msg);

  g_hash_table_remove (delayed->self->pending, delayed->source);
  answer (delayed->self, delayed->msg, ctx, delayed->fault);
  soup_server_message_unpause (delayed->msg);

  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  DossierSandbox *self = user_data;
  DossierSandboxRequest *ctx = request_ctx (msg);
  g_autoptr(DossierSandboxFault) fault = NULL;

  if (ctx == NULL)
    {
      _dossier_sandbox_reply_error (msg, NULL, 500, NULL, "internal error: no request context");
      return;
    }

  if (g_strcmp0 (ctx->provider, "moov") == 0)
    {
      g_autofree char *request_id = g_uuid_string_random ();
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "x-request-id", request_id);
    }

  if (ctx->dropped)
    {
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }

  if (ctx->parser != NULL && ctx->parse_error == NULL && !ctx->parse_done)
    {
      ctx->parse_done = TRUE;
      dossier_sandbox_multipart_parser_finish (ctx->parser, &ctx->parse_error);
    }

  if (ctx->route == NULL)
    {
      if (ctx->wrong_method)
        {
          g_autofree char *allow = allowed_methods (path);
          g_autofree char *m = g_strdup_printf ("Method %s is not allowed here; use %s",
                                                soup_server_message_get_method (msg), allow);

          _dossier_sandbox_reply_error (msg, ctx->provider, 405, "METHOD_NOT_ALLOWED", m);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Allow", allow);
        }
      else
        {
          g_autofree char *m = g_strdup_printf ("No such endpoint: %s %s",
                                                soup_server_message_get_method (msg), path);
          _dossier_sandbox_reply_error (msg, ctx->provider, 404, "NOT_FOUND", m);
        }
      return;
    }

  if (ctx->drop_at >= 0)
    {
      /* the body ended before the drop point: drop before answering */
      drop_connection (msg, ctx);
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }

  if (ctx->route->op != NULL)
    {
      gint n;

      if (g_str_equal (ctx->route->op, "chunk") && ctx->parser != NULL &&
          peek_chunk_number (ctx, &n) && n >= 0)
        ctx->chunk = n;
      fault = _dossier_sandbox_claim_fault (self, ctx->route->provider, ctx->route->op, ctx->chunk,
                                            FALSE, NULL);
    }

  if (fault != NULL && fault->delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->self = self;
      delayed->msg = g_object_ref (msg);
      delayed->fault = g_steal_pointer (&fault);
      delayed->source = g_timeout_source_new (delayed->fault->delay_ms);
      g_source_set_callback (delayed->source, delayed_answer, delayed, delayed_free);
      g_source_attach (delayed->source, self->context);
      g_hash_table_add (self->pending, delayed->source);
      soup_server_message_pause (msg);
      return;
    }

  answer (self, msg, ctx, fault);
}

static void
request_done (SoupServer        *server,
              SoupServerMessage *msg,
              gpointer           user_data)
{
  DossierSandbox *self = user_data;
  DossierSandboxRequest *ctx = request_ctx (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  gint64 out;

  if (!self->log_requests || ctx == NULL)
    return;

  out = soup_message_headers_get_content_length (response);
  g_printerr ("%s %s %u%s, %" G_GUINT64_FORMAT " bytes in, %" G_GINT64_FORMAT " bytes out, %"
              G_GINT64_FORMAT " ms\n",
              soup_server_message_get_method (msg),
              g_uri_get_path (soup_server_message_get_uri (msg)),
              soup_server_message_get_status (msg),
              ctx->dropped ? " (connection dropped)" : "",
              ctx->body_bytes, out,
              (g_get_monotonic_time () - ctx->started) / 1000);
}

static void
request_aborted (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  DossierSandbox *self = user_data;
  DossierSandboxRequest *ctx = request_ctx (msg);

  if (!self->log_requests || ctx == NULL)
    return;

  g_printerr ("%s %s aborted%s, %" G_GUINT64_FORMAT " bytes in, %" G_GINT64_FORMAT " ms\n",
              soup_server_message_get_method (msg),
              g_uri_get_path (soup_server_message_get_uri (msg)),
              ctx->dropped ? " (connection dropped)" : "",
              ctx->body_bytes,
              (g_get_monotonic_time () - ctx->started) / 1000);
}

/* Serves the routes on @server: every request gets a context from the
 * early handler, its answer from the handler */
void
_dossier_sandbox_router_attach (DossierSandbox *self,
                                SoupServer     *server)
{
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, server_callback, self, NULL);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_done), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_aborted), self);
}
