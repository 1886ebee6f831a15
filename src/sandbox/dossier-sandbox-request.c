/* dossier-sandbox-request.c: what a route reads of a request: headers, credentials, form, JSON
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

const char *
_dossier_sandbox_header (SoupServerMessage *msg,
                         const char        *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);
}

gboolean
_dossier_sandbox_parse_basic_auth (const char *value,
                                   char      **user,
                                   char      **password)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  char *colon;

  if (value == NULL || g_ascii_strncasecmp (value, "Basic ", 6) != 0)
    return FALSE;

  decoded = g_base64_decode (value + 6, &len);
  if (decoded == NULL)
    return FALSE;
  text = g_strndup ((const char *) decoded, len);
  colon = strchr (text, ':');
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  *user = g_strdup (text);
  *password = g_strdup (colon + 1);

  return TRUE;
}

const char *
_dossier_sandbox_bearer_token (SoupServerMessage *msg)
{
  const char *value = _dossier_sandbox_header (msg, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;

  return value;
}

gboolean
_dossier_sandbox_token_valid (GHashTable *tokens,
                              const char *token)
{
  const gint64 *expires;

  if (token == NULL)
    return FALSE;
  expires = g_hash_table_lookup (tokens, token);

  return expires != NULL && *expires > g_get_real_time () / G_USEC_PER_SEC;
}

static void
reply_ctx_error (SoupServerMessage     *msg,
                 DossierSandboxRequest *ctx,
                 guint                  status,
                 const char            *message)
{
  _dossier_sandbox_reply_error (msg, ctx->provider, status, NULL, message);
}

/* The parts that carry a file, named @name (any name when %NULL) */
GPtrArray *
_dossier_sandbox_file_parts (GPtrArray  *parts,
                             const char *name)
{
  GPtrArray *files = g_ptr_array_new ();

  for (guint i = 0; i < parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);
      if (part->filename != NULL && (name == NULL || g_strcmp0 (part->name, name) == 0))
        g_ptr_array_add (files, part);
    }

  return files;
}

const char *
_dossier_sandbox_form_field (GPtrArray  *parts,
                             const char *name)
{
  for (guint i = 0; i < parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);

      if (part->filename == NULL && part->value != NULL && g_strcmp0 (part->name, name) == 0)
        return g_bytes_get_data (part->value, NULL);
    }

  return NULL;
}

/* The parsed form, or NULL after answering 400 in the provider's shape */
GPtrArray *
_dossier_sandbox_require_form (SoupServerMessage     *msg,
                               DossierSandboxRequest *ctx)
{
  if (ctx->parse_error != NULL)
    {
      reply_ctx_error (msg, ctx, 400, ctx->parse_error->message);
      return NULL;
    }
  if (ctx->parser == NULL)
    {
      reply_ctx_error (msg, ctx, 400, "The request must be multipart/form-data with a boundary");
      return NULL;
    }

  return dossier_sandbox_multipart_parser_get_parts (ctx->parser);
}

/* The raw (non-multipart) body as a NUL-terminated string, or NULL after answering */
const char *
_dossier_sandbox_require_raw (SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx,
                              gsize                 *len)
{
  if (ctx->raw_too_large)
    {
      reply_ctx_error (msg, ctx, 413, "Request body too large");
      return NULL;
    }
  if (ctx->raw == NULL)
    ctx->raw = g_byte_array_new ();
  /* keep a NUL just past the end, without counting it */
  *len = ctx->raw->len;
  g_byte_array_append (ctx->raw, (const guint8 *) "", 1);
  g_byte_array_set_size (ctx->raw, *len);

  return (const char *) ctx->raw->data;
}

/* The single "file" part of a form, or NULL after answering */
DossierSandboxMultipartPart *
_dossier_sandbox_single_file_part (SoupServerMessage *msg,
                                   const char        *provider,
                                   GPtrArray         *parts)
{
  DossierSandboxMultipartPart *file = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);

      if (part->filename == NULL)
        continue;
      if (g_strcmp0 (part->name, "file") != 0)
        {
          g_autofree char *m = g_strdup_printf ("Unexpected file part “%s”: send the file as “file”",
                                                part->name);
          _dossier_sandbox_reply_error (msg, provider, 400, NULL, m);
          return NULL;
        }
      if (file != NULL)
        {
          _dossier_sandbox_reply_error (msg, provider, 400, NULL, "Only one file is allowed per request");
          return NULL;
        }
      file = part;
    }

  if (file == NULL)
    _dossier_sandbox_reply_error (msg, provider, 400, NULL, "file is required");

  return file;
}

/* json-glib 1.6 recurses once per level and overflows the stack at about
 * 80,000; a client's JSON here is a few levels deep. The sandbox does not
 * use src/core, so it keeps its own count: brackets outside double-quoted
 * strings, and no "'", "#" or "/" outside a string (json-glib's scanner
 * would take them as strings or comments this count does not see). */
#define SANDBOX_JSON_MAX_DEPTH 32

static gboolean
json_depth_ok (const char *text,
               gsize       len)
{
  const char *end = text + len;
  guint depth = 0;

  for (const char *p = text; p < end; p++)
    {
      switch (*p)
        {
        case '"':
          for (p++; p < end && *p != '"'; p++)
            if (*p == '\\')
              p++;
          break;
        case '[':
        case '{':
          if (++depth > SANDBOX_JSON_MAX_DEPTH)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '\'':
        case '#':
        case '/':
          return FALSE;
        default:
          break;
        }
    }

  return TRUE;
}

JsonObject *
_dossier_sandbox_parse_json_object (const char *text,
                                    gsize       len,
                                    JsonNode  **root_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_depth_ok (text, len) ||
      !json_parser_load_from_data (parser, text, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  *root_out = json_node_copy (root);

  return json_node_get_object (*root_out);
}

gboolean
_dossier_sandbox_json_get_positive (JsonObject *obj,
                                    const char *member,
                                    gint64      min,
                                    gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
           json_node_get_double (node) == (gint64) json_node_get_double (node))
    *out = (gint64) json_node_get_double (node);
  else
    return FALSE;

  return *out >= min;
}

const char *
_dossier_sandbox_json_get_string (JsonObject *obj,
                                  const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
_dossier_sandbox_query_expired (SoupServerMessage *msg,
                                const char        *name,
                                gboolean           required)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = NULL;
  const char *value;
  guint64 when = 0;

  if (query == NULL)
    return required;
  params = soup_form_decode (query);
  value = g_hash_table_lookup (params, name);
  if (value == NULL)
    return required;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &when, NULL))
    return TRUE;

  return (gint64) when < g_get_real_time () / G_USEC_PER_SEC;
}
