/* dossier-sandbox-reply.c: answers, errors in each provider's shape, stored files streamed back
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

char *
_dossier_sandbox_random_hex (guint n)
{
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, "0123456789abcdef"[g_random_int_range (0, 16)]);

  return g_string_free (s, FALSE);
}

char *
_dossier_sandbox_random_token (void)
{
  g_autofree char *a = _dossier_sandbox_random_hex (32);
  g_autofree char *b = _dossier_sandbox_random_hex (32);

  return g_strconcat (a, b, NULL);
}

char *
_dossier_sandbox_now_iso8601 (gint64   offset_seconds,
                              gboolean millis)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, offset_seconds);

  if (millis)
    {
      g_autofree char *base = g_date_time_format (then, "%Y-%m-%dT%H:%M:%S");
      return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (then) / 1000);
    }

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* One member of the object @b is building */
void
_dossier_sandbox_add_string (JsonBuilder *b,
                             const char  *member,
                             const char  *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

void
_dossier_sandbox_add_int (JsonBuilder *b,
                          const char  *member,
                          gint64       value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

void
_dossier_sandbox_reply_json_node (SoupServerMessage *msg,
                                  guint              status,
                                  JsonNode          *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  char *text;
  gsize len;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  /* a reply replaces any earlier one (a fault that answers after the route
   * did): soup_server_message_set_response() appends to the body */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

void
_dossier_sandbox_reply_builder (SoupServerMessage *msg,
                                guint              status,
                                JsonBuilder       *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  _dossier_sandbox_reply_json_node (msg, status, node);
}

void
_dossier_sandbox_reply_empty (SoupServerMessage *msg,
                              guint              status)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

/* {"ok":true}: what the sandbox says when there is nothing more to say */
void
_dossier_sandbox_reply_ok (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\":true}", 11);
}

static const char *
doku_code_for_status (guint status)
{
  switch (status)
    {
    case 400: return "INVALID_PARAMETER";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 409: return "CONFLICT";
    case 413: return "FILE_TOO_LARGE";
    case 422: return "UNPROCESSABLE_ENTITY";
    case 429: return "TOO_MANY_REQUESTS";
    case 500: return "INTERNAL_SERVER_ERROR";
    case 502: return "BAD_GATEWAY";
    case 503: return "SERVICE_UNAVAILABLE";
    case 504: return "GATEWAY_TIMEOUT";
    default:  return "FAILED";
    }
}

/* The error in the shape of @provider's API */
void
_dossier_sandbox_reply_error (SoupServerMessage *msg,
                              const char        *provider,
                              guint              status,
                              const char        *code,
                              const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (g_strcmp0 (provider, "doku") == 0)
    {
      _dossier_sandbox_add_string (b, "status", "FAILED");
      _dossier_sandbox_add_string (b, "response_code", code ? code : doku_code_for_status (status));
      _dossier_sandbox_add_string (b, "response_message", message);
    }
  else if (g_strcmp0 (provider, "kore") == 0)
    {
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      _dossier_sandbox_add_string (b, "msg", message);
      _dossier_sandbox_add_int (b, "code", status);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  else if (g_strcmp0 (provider, "receeve") == 0)
    {
      _dossier_sandbox_add_string (b, "message", message);
    }
  else
    {
      _dossier_sandbox_add_string (b, "error", message);
    }
  json_builder_end_object (b);

  _dossier_sandbox_reply_builder (msg, status, b);
}

typedef struct
{
  GInputStream *in;
  guint8       *buffer;
} FileSender;

static void
file_sender_free (gpointer data)
{
  FileSender *sender = data;

  g_clear_object (&sender->in);
  g_free (sender->buffer);
  g_free (sender);
}

static void
send_next_block (SoupServerMessage *msg,
                 FileSender        *sender)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gssize n = 0;

  if (sender->in != NULL)
    n = g_input_stream_read (sender->in, sender->buffer, SEND_BLOCK, NULL, NULL);

  if (n > 0)
    {
      soup_message_body_append (body, SOUP_MEMORY_COPY, sender->buffer, n);
    }
  else
    {
      g_clear_object (&sender->in);
      soup_message_body_complete (body);
    }
}

void
_dossier_sandbox_serve_file (SoupServerMessage *msg,
                             const char        *path,
                             const char        *content_type)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  FileSender *sender;

  in = g_file_read (file, NULL, NULL);
  if (in != NULL)
    info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info == NULL)
    {
      _dossier_sandbox_reply_error (msg, NULL, 404, NULL, "file not found");
      return;
    }

  sender = g_new0 (FileSender, 1);
  sender->in = G_INPUT_STREAM (g_steal_pointer (&in));
  sender->buffer = g_malloc (SEND_BLOCK);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, content_type ? content_type
                                                                : "application/octet-stream", NULL);
  soup_message_headers_set_content_length (headers, g_file_info_get_size (info));
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  g_object_set_data_full (G_OBJECT (msg), "dossier-sandbox-sender", sender, file_sender_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (send_next_block), sender);
  send_next_block (msg, sender);
}
