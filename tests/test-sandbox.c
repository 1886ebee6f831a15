/* test-sandbox.c: the SANDBOX emulates the providers' upload APIs
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox.h"
#include "dossier-sandbox-private.h"
#include "dossier-sandbox-multipart-private.h"

static DossierSandbox *sandbox;   /* on its own thread */
static SoupSession *session;      /* synchronous client on the main thread */

static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
static const guint8 jpeg_magic[] = { 0xFF, 0xD8, 0xFF, 0xE0 };

/* -------------------------------------------------------------------------- */
/* helpers                                                                    */

typedef struct
{
  guint               status;
  GBytes             *body;
  JsonNode           *json;
  SoupMessageHeaders *headers;
  GError             *error;
  gint64              elapsed_ms;
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_error (&r->error);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static char *
url (const char *path)
{
  return g_strconcat (dossier_sandbox_get_base_url (sandbox), path, NULL);
}

static Response *
send (SoupMessage *msg)
{
  Response *r = g_new0 (Response, 1);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(JsonParser) parser = json_parser_new ();

  r->body = soup_session_send_and_read (session, msg, NULL, &r->error);
  r->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (r->body != NULL && g_bytes_get_size (r->body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL),
                                  g_bytes_get_size (r->body), NULL))
    r->json = json_node_copy (json_parser_get_root (parser));

  return r;
}

static SoupMessage *
multipart_message (const char    *path,
                   SoupMultipart *multipart)
{
  g_autofree char *u = url (path);

  return soup_message_new_from_multipart (u, multipart);
}

static GBytes *
image_bytes (const guint8 *magic,
             gsize         magic_len,
             gsize         total)
{
  guint8 *data = g_malloc0 (total);

  memcpy (data, magic, magic_len);
  for (gsize i = magic_len; i < total; i++)
    data[i] = (guint8) (i * 31 + 7);

  return g_bytes_new_take (data, total);
}

static GBytes *
png_bytes (gsize total)
{
  return image_bytes (png_magic, sizeof png_magic, total);
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

/* the last received record */
static JsonObject *
last_received (JsonNode **holder)
{
  JsonArray *array;

  *holder = dossier_sandbox_dup_received (sandbox);
  array = json_node_get_array (*holder);
  g_assert_cmpuint (json_array_get_length (array), >, 0);

  return json_array_get_object_element (array, json_array_get_length (array) - 1);
}

/* the received record with this id */
static JsonObject *
find_received (JsonNode  **holder,
               const char *id)
{
  JsonArray *array;

  *holder = dossier_sandbox_dup_received (sandbox);
  array = json_node_get_array (*holder);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0)
        return o;
    }

  g_assert_not_reached ();
  return NULL;
}

static guint
n_received (void)
{
  g_autoptr(JsonNode) node = dossier_sandbox_dup_received (sandbox);

  return json_array_get_length (json_node_get_array (node));
}

static void
assert_doku_error (Response   *r,
                   guint       status,
                   const char *code,
                   const char *message_part)
{
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (member_string (r->json, "status"), ==, "FAILED");
  g_assert_cmpstr (member_string (r->json, "response_code"), ==, code);
  if (message_part != NULL)
    g_assert_nonnull (strstr (member_string (r->json, "response_message"), message_part));
}

static const char *
kore_error_msg (Response *r)
{
  JsonArray *errors;
  JsonObject *first;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  errors = json_object_get_array_member (json_node_get_object (r->json), "errors");
  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  first = json_array_get_object_element (errors, 0);
  g_assert_cmpint (json_object_get_int_member (first, "code"), ==, r->status);

  return json_object_get_string_member (first, "msg");
}

static GBytes *
get_bytes (const char *absolute_url,
           guint      *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", absolute_url);
  g_autoptr(GError) error = NULL;
  GBytes *body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  *status = soup_message_get_status (msg);

  return body;
}

/* -------------------------------------------------------------------------- */
/* multipart parser, directly                                                 */

static GBytes *
sample_body (const char *boundary,
             gboolean    trailing_crlf,
             GBytes    **file_out)
{
  GString *s = g_string_new ("preamble to ignore\r\n");
  guint8 file[300];

  /* bytes that look like parts of the delimiter */
  for (guint i = 0; i < sizeof file; i++)
    file[i] = (guint8) (i * 13);
  memcpy (file + 10, "\r\n--", 4);
  memcpy (file + 40, "\r\n--", 4);
  memcpy (file + 44, boundary, strlen (boundary) - 1);
  memcpy (file + 200, "\r\n\r\n", 4);
  file[299] = '\r';

  g_string_append_printf (s, "--%s\r\n", boundary);
  g_string_append (s, "Content-Disposition: form-data; name=\"category\"\r\n\r\nLOGO");
  g_string_append_printf (s, "\r\n--%s\r\n", boundary);
  g_string_append (s, "content-disposition: form-data; name=empty\r\n\r\n");
  g_string_append_printf (s, "\r\n--%s\r\n", boundary);
  g_string_append (s, "Content-Disposition: form-data; name=\"file\"; "
                      "filename=\"a%22b\\\"c\\\\d%0Ae%41.png\"\r\n"
                      "Content-Type: image/png\r\n\r\n");
  g_string_append_len (s, (const char *) file, sizeof file);
  g_string_append_printf (s, "\r\n--%s\r\n", boundary);
  g_string_append (s, "Content-Disposition: form-data; name=\"note\"\r\n\r\nline1\r\nline2");
  g_string_append_printf (s, "\r\n--%s--%s", boundary, trailing_crlf ? "\r\n" : "");

  *file_out = g_bytes_new (file, sizeof file);
  return g_string_free_to_bytes (s);
}

static void
check_parts (DossierSandboxMultipartParser *parser,
             GBytes                        *file)
{
  GPtrArray *parts = dossier_sandbox_multipart_parser_get_parts (parser);
  DossierSandboxMultipartPart *part;
  g_autofree char *expected_sha = sha256_of (file);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_cmpuint (parts->len, ==, 4);
  part = g_ptr_array_index (parts, 0);
  g_assert_cmpstr (part->name, ==, "category");
  g_assert_null (part->filename);
  g_assert_cmpstr (g_bytes_get_data (part->value, NULL), ==, "LOGO");

  part = g_ptr_array_index (parts, 1);
  g_assert_cmpstr (part->name, ==, "empty");
  g_assert_cmpuint (g_bytes_get_size (part->value), ==, 0);

  part = g_ptr_array_index (parts, 2);
  g_assert_cmpstr (part->name, ==, "file");
  g_assert_cmpstr (part->filename, ==, "a\"b\"c\\d\ne%41.png");
  g_assert_cmpstr (part->content_type, ==, "image/png");
  g_assert_cmpuint (part->size, ==, g_bytes_get_size (file));
  g_assert_cmpstr (part->sha256, ==, expected_sha);
  g_assert_true (g_file_get_contents (part->path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (file, NULL), g_bytes_get_size (file));

  part = g_ptr_array_index (parts, 3);
  g_assert_cmpstr (g_bytes_get_data (part->value, NULL), ==, "line1\r\nline2");
}

static void
test_multipart_split (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dossier-test-mp-XXXXXX", NULL);
  const char *boundaries[] = { "XyZ", "----WebKitFormBoundary7MA4YWxkTrZu0gW" };

  for (guint b = 0; b < G_N_ELEMENTS (boundaries); b++)
    for (guint crlf = 0; crlf < 2; crlf++)
      {
        g_autoptr(GBytes) file = NULL;
        g_autoptr(GBytes) body = sample_body (boundaries[b], crlf, &file);
        gsize len;
        const guint8 *data = g_bytes_get_data (body, &len);

        /* every split position into two pieces */
        for (gsize split = 0; split <= len; split++)
          {
            g_autoptr(DossierSandboxMultipartParser) parser =
              dossier_sandbox_multipart_parser_new (boundaries[b], dir, 1024, 0);
            g_autoptr(GError) error = NULL;

            g_assert_true (dossier_sandbox_multipart_parser_feed (parser, data, split, &error));
            g_assert_true (dossier_sandbox_multipart_parser_feed (parser, data + split, len - split, &error));
            g_assert_true (dossier_sandbox_multipart_parser_finish (parser, &error));
            g_assert_no_error (error);
            check_parts (parser, file);
          }

        /* and one byte at a time */
        {
          g_autoptr(DossierSandboxMultipartParser) parser =
            dossier_sandbox_multipart_parser_new (boundaries[b], dir, 1024, 0);
          g_autoptr(GError) error = NULL;

          for (gsize i = 0; i < len; i++)
            g_assert_true (dossier_sandbox_multipart_parser_feed (parser, data + i, 1, &error));
          g_assert_true (dossier_sandbox_multipart_parser_finish (parser, &error));
          check_parts (parser, file);
        }
      }

  /* the parser deleted every file it wrote (none were kept) */
  g_assert_true (g_rmdir (dir) == 0);
}

static void
test_multipart_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dossier-test-mp-XXXXXX", NULL);
  g_autofree char *b1 = dossier_sandbox_multipart_get_boundary ("multipart/form-data; boundary=\"a b;c\"");
  g_autofree char *b2 = dossier_sandbox_multipart_get_boundary ("Multipart/Form-Data;boundary=plain ; x=y");
  g_autofree char *b3 = dossier_sandbox_multipart_get_boundary ("application/json");
  g_autofree char *b4 = dossier_sandbox_multipart_get_boundary ("multipart/form-data");
  const char *big_field = "--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n0123456789ABCDEFG";
  const char *truncated = "--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nvalue\r\n--B\r\n";
  const char *capped = "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n"
                       "0123456789\r\n--B--";
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (b1, ==, "a b;c");
  g_assert_cmpstr (b2, ==, "plain");
  g_assert_null (b3);
  g_assert_null (b4);

  {
    g_autoptr(DossierSandboxMultipartParser) parser = dossier_sandbox_multipart_parser_new ("B", dir, 16, 0);
    g_assert_false (dossier_sandbox_multipart_parser_feed (parser, (const guint8 *) big_field,
                                                           strlen (big_field), &error));
    g_assert_error (error, DOSSIER_SANDBOX_MULTIPART_ERROR, DOSSIER_SANDBOX_MULTIPART_ERROR_FIELD_TOO_LARGE);
    g_clear_error (&error);
  }
  {
    g_autoptr(DossierSandboxMultipartParser) parser = dossier_sandbox_multipart_parser_new ("B", dir, 16, 0);
    g_assert_true (dossier_sandbox_multipart_parser_feed (parser, (const guint8 *) truncated,
                                                          strlen (truncated), &error));
    g_assert_false (dossier_sandbox_multipart_parser_finish (parser, &error));
    g_assert_error (error, DOSSIER_SANDBOX_MULTIPART_ERROR, DOSSIER_SANDBOX_MULTIPART_ERROR_SYNTAX);
    g_clear_error (&error);
  }
  {
    /* a file cap: the size is still counted, the stored bytes stop */
    g_autoptr(DossierSandboxMultipartParser) parser = dossier_sandbox_multipart_parser_new ("B", dir, 16, 4);
    DossierSandboxMultipartPart *part;

    g_assert_true (dossier_sandbox_multipart_parser_feed (parser, (const guint8 *) capped,
                                                          strlen (capped), &error));
    g_assert_true (dossier_sandbox_multipart_parser_finish (parser, &error));
    part = g_ptr_array_index (dossier_sandbox_multipart_parser_get_parts (parser), 0);
    g_assert_cmpuint (part->size, ==, 10);
    g_assert_true (part->truncated);
    g_assert_null (part->sha256);
    g_assert_true (part->is_text);
  }

  g_assert_true (g_rmdir (dir) == 0);
}

static void
test_multipart_large (void)
{
  /* several MiB: exercises the writer thread and its back pressure */
  g_autofree char *dir = g_dir_make_tmp ("dossier-test-mp-XXXXXX", NULL);
  g_autoptr(DossierSandboxMultipartParser) parser = dossier_sandbox_multipart_parser_new ("BOUNDARY", dir, 16, 0);
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) error = NULL;
  const char *head = "--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n";
  const char *tail = "\r\n--BOUNDARY--\r\n";
  guint8 chunk[8192];
  DossierSandboxMultipartPart *part;
  guint64 total = 0;

  g_assert_true (dossier_sandbox_multipart_parser_feed (parser, (const guint8 *) head, strlen (head), &error));
  for (guint i = 0; i < 900; i++)
    {
      for (guint j = 0; j < sizeof chunk; j++)
        chunk[j] = (guint8) (i + j * 7);
      g_checksum_update (sha, chunk, sizeof chunk);
      g_assert_true (dossier_sandbox_multipart_parser_feed (parser, chunk, sizeof chunk, &error));
      total += sizeof chunk;
    }
  g_assert_true (dossier_sandbox_multipart_parser_feed (parser, (const guint8 *) tail, strlen (tail), &error));
  g_assert_true (dossier_sandbox_multipart_parser_finish (parser, &error));
  g_assert_no_error (error);

  part = g_ptr_array_index (dossier_sandbox_multipart_parser_get_parts (parser), 0);
  g_assert_cmpuint (part->size, ==, total);
  g_assert_cmpstr (part->sha256, ==, g_checksum_get_string (sha));
  g_assert_false (part->is_text);

  g_clear_pointer (&parser, dossier_sandbox_multipart_parser_free);
  g_assert_true (g_rmdir (dir) == 0);
}

/* -------------------------------------------------------------------------- */
/* faults, parsed                                                             */

static void
test_fault_parse (void)
{
  const char *bad[] = {
    "", "kore", "kore:", "nobody:status=500", "kore/nothing:status=500", "kore:status=99",
    "kore:status=abc", "kore:frobnicate", "kore:times=2", "moov/token:status=500,chunk=1",
    "*:delay=-5",
  };
  g_autoptr(DossierSandboxFault) f1 = NULL;
  g_autoptr(DossierSandboxFault) f2 = NULL;
  g_autoptr(DossierSandboxFault) f3 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DossierSandboxFault) f = dossier_sandbox_fault_parse (bad[i], &error);

      g_assert_null (f);
      g_assert_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT);
      g_assert_true (dossier_sandbox_add_fault (sandbox, bad[i], NULL) == FALSE);
    }

  f1 = dossier_sandbox_fault_parse ("kore/chunk:status=500,chunk=2,times=1", NULL);
  g_assert_nonnull (f1);
  g_assert_cmpstr (f1->provider, ==, "kore");
  g_assert_cmpstr (f1->op, ==, "chunk");
  g_assert_cmpuint (f1->status, ==, 500);
  g_assert_cmpint (f1->chunk, ==, 2);
  g_assert_true (dossier_sandbox_fault_matches (f1, "kore", "chunk", 2));
  g_assert_false (dossier_sandbox_fault_matches (f1, "kore", "chunk", 1));
  g_assert_false (dossier_sandbox_fault_matches (f1, "moov", "chunk", 2));

  f2 = dossier_sandbox_fault_parse ("moov:status=429,retry-after=1", NULL);
  g_assert_null (f2->op);
  g_assert_cmpint (f2->retry_after, ==, 1);
  g_assert_true (dossier_sandbox_fault_matches (f2, "moov", "token", -1));

  f3 = dossier_sandbox_fault_parse ("*:drop=65536,times=0", NULL);
  g_assert_null (f3->provider);
  g_assert_cmpint (f3->drop, ==, 65536);
  g_assert_cmpuint (f3->times, ==, 0);
  g_assert_true (dossier_sandbox_fault_matches (f3, "generic", "upload", -1));
}

/* -------------------------------------------------------------------------- */
/* generic and routing                                                        */

static void
test_generic (void)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) data = png_bytes (100000);
  g_autofree char *sha = sha256_of (data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(Response) r = NULL;
  g_autoptr(JsonNode) holder = NULL;
  g_autoptr(GBytes) back = NULL;
  JsonObject *rec;
  JsonObject *obj;
  guint status;

  soup_multipart_append_form_string (mp, "purpose", "benchmark");
  soup_multipart_append_form_file (mp, "file", "data.bin", "application/octet-stream", data);
  msg = multipart_message ("/generic/upload", mp);
  r = send (msg);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/json");
  obj = json_node_get_object (r->json);
  g_assert_cmpint (json_object_get_int_member (obj, "size"), ==, 100000);
  g_assert_cmpstr (json_object_get_string_member (obj, "sha256"), ==, sha);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "fields"), "purpose"),
                   ==, "benchmark");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (obj, "link"),
                                   dossier_sandbox_get_base_url (sandbox)));

  rec = last_received (&holder);
  g_assert_cmpstr (json_object_get_string_member (rec, "provider"), ==, "generic");
  g_assert_cmpstr (json_object_get_string_member (rec, "operation"), ==, "upload");
  g_assert_cmpstr (json_object_get_string_member (rec, "sha256"), ==, sha);
  g_assert_cmpstr (json_object_get_string_member (rec, "file_name"), ==, "data.bin");
  g_assert_cmpstr (json_object_get_string_member (rec, "content_type"), ==, "image/png");
  g_assert_true (g_file_test (json_object_get_string_member (rec, "path"), G_FILE_TEST_IS_REGULAR));

  /* served back, streamed from disk */
  back = get_bytes (json_object_get_string_member (obj, "link"), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, data));
}

static void
test_routing (void)
{
  g_autofree char *u1 = url ("/nowhere");
  g_autofree char *u2 = url ("/generic/upload");
  g_autofree char *u3 = url ("/kore/api/nothing");
  g_autofree char *u4 = url ("/_sandbox/received");
  g_autoptr(SoupMessage) m1 = soup_message_new ("GET", u1);
  g_autoptr(SoupMessage) m2 = soup_message_new ("GET", u2);
  g_autoptr(SoupMessage) m3 = soup_message_new ("GET", u3);
  g_autoptr(SoupMessage) m4 = soup_message_new ("GET", u4);
  g_autoptr(Response) r1 = send (m1);
  g_autoptr(Response) r2 = send (m2);
  g_autoptr(Response) r3 = send (m3);
  g_autoptr(Response) r4 = send (m4);

  g_assert_cmpuint (r1->status, ==, 404);
  g_assert_nonnull (member_string (r1->json, "error"));
  g_assert_cmpuint (r2->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (r2->headers, "Allow"), ==, "POST");
  g_assert_cmpuint (r3->status, ==, 404);
  kore_error_msg (r3);
  g_assert_cmpuint (r4->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r4->json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r4->json)), ==, n_received ());
}

/* A hand-written body: percent and backslash escapes, unquoted boundary,
 * no CRLF after the closing delimiter */
static void
test_raw_filename (void)
{
  g_autofree char *u = url ("/generic/upload");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", u);
  const char *body =
    "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q%22u\\\"o%0Dte ü.txt\"\r\n\r\n"
    "hello\r\n--zz--";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(Response) r = NULL;
  g_autoptr(JsonNode) holder = NULL;
  JsonObject *rec;

  soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=zz", bytes);
  r = send (msg);
  g_assert_cmpuint (r->status, ==, 200);
  rec = last_received (&holder);
  g_assert_cmpstr (json_object_get_string_member (rec, "file_name"), ==, "q\"u\"o\rte ü.txt");
  g_assert_cmpint (json_object_get_int_member (rec, "size"), ==, 5);
}

/* -------------------------------------------------------------------------- */
/* DOKU                                                                       */

static char *
doku_sign (const char *client_id,
           const char *request_id,
           const char *timestamp,
           const char *body,
           const char *secret)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_autofree char *digest = NULL;
  g_autofree char *component = NULL;
  g_autofree char *sig = NULL;
  guint8 raw[32];
  gsize len = sizeof raw;

  g_checksum_update (sha, (const guchar *) body, strlen (body));
  g_checksum_get_digest (sha, raw, &len);
  digest = g_base64_encode (raw, len);
  component = g_strdup_printf ("Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\n"
                               "Request-Target:/adv-core-api/partner/v1.0/token\nDigest:%s",
                               client_id, request_id, timestamp, digest);
  g_hmac_update (hmac, (const guchar *) component, -1);
  len = sizeof raw;
  g_hmac_get_digest (hmac, raw, &len);
  sig = g_base64_encode (raw, len);

  return g_strconcat ("HMACSHA256=", sig, NULL);
}

static Response *
doku_token_request (const char *client_id,
                    const char *secret,
                    gint64      clock_offset,
                    const char *body)
{
  g_autofree char *u = url ("/doku/adv-core-api/partner/v1.0/token");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", u);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_seconds (now, clock_offset);
  g_autofree char *timestamp = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *signature = doku_sign (client_id, "req-1", timestamp, body, secret);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);

  soup_message_headers_append (h, "Client-Id", client_id);
  soup_message_headers_append (h, "Request-Id", "req-1");
  soup_message_headers_append (h, "Request-Timestamp", timestamp);
  soup_message_headers_append (h, "Signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  return send (msg);
}

static Response *
doku_upload (const char *token,
             const char *category,
             const char *code,
             GBytes     *file,
             const char *file_url)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessage) msg = NULL;

  if (category != NULL)
    soup_multipart_append_form_string (mp, "category", category);
  if (code != NULL)
    soup_multipart_append_form_string (mp, "code", code);
  if (file != NULL)
    soup_multipart_append_form_file (mp, "file", "ktp.png", "image/png", file);
  if (file_url != NULL)
    soup_multipart_append_form_string (mp, "file_url", file_url);
  msg = multipart_message ("/doku/adv-core-api/partner/v1.0/file", mp);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
    }

  return send (msg);
}

static void
test_doku_token (void)
{
  const char *body = "{\"grant_type\":\"client_credentials\",\"valid_time\":\"60\"}";
  g_autoptr(Response) ok = doku_token_request (DOSSIER_SANDBOX_DOKU_CLIENT_ID,
                                               DOSSIER_SANDBOX_DOKU_SECRET_KEY, 0, body);
  g_autoptr(Response) bad_sig = doku_token_request (DOSSIER_SANDBOX_DOKU_CLIENT_ID, "wrong", 0, body);
  g_autoptr(Response) unknown = doku_token_request ("BRN-9999-NOBODY", DOSSIER_SANDBOX_DOKU_SECRET_KEY,
                                                    0, body);
  g_autoptr(Response) late = doku_token_request (DOSSIER_SANDBOX_DOKU_CLIENT_ID,
                                                 DOSSIER_SANDBOX_DOKU_SECRET_KEY, -900, body);
  g_autoptr(Response) grant = doku_token_request (DOSSIER_SANDBOX_DOKU_CLIENT_ID,
                                                  DOSSIER_SANDBOX_DOKU_SECRET_KEY, 0,
                                                  "{\"grant_type\":\"password\"}");
  g_autoptr(Response) no_client = doku_token_request ("", DOSSIER_SANDBOX_DOKU_SECRET_KEY, 0, body);
  g_autoptr(Response) upload = NULL;
  g_autoptr(GBytes) png = png_bytes (2000);
  g_auto(GStrv) jwt = NULL;
  g_autofree guchar *payload = NULL;
  g_autofree char *b64 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *claims;
  gsize len;

  g_assert_cmpuint (ok->status, ==, 200);
  jwt = g_strsplit (member_string (ok->json, "token"), ".", -1);
  g_assert_cmpuint (g_strv_length (jwt), ==, 3);

  /* base64url payload with iat, exp and sub; valid_time 60 minutes */
  b64 = g_strdup (jwt[1]);
  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  while (strlen (b64) % 4 != 0)
    {
      char *padded = g_strconcat (b64, "=", NULL);
      g_free (b64);
      b64 = padded;
    }
  payload = g_base64_decode (b64, &len);
  g_assert_true (json_parser_load_from_data (parser, (const char *) payload, len, NULL));
  claims = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (claims, "exp") - json_object_get_int_member (claims, "iat"),
                   ==, 3600);
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, DOSSIER_SANDBOX_DOKU_CLIENT_ID);

  assert_doku_error (bad_sig, 401, "INVALID_SIGNATURE", NULL);
  assert_doku_error (unknown, 401, "UNAUTHORIZED", NULL);
  assert_doku_error (late, 400, "INVALID_PARAMETER", "Request-Timestamp");
  assert_doku_error (grant, 400, "INVALID_PARAMETER", "grant_type");
  assert_doku_error (no_client, 400, "INVALID_PARAMETER", NULL);
  g_assert_cmpstr (member_string (no_client->json, "response_message"), ==, "Client-Id header is required");

  /* the issued token is accepted */
  upload = doku_upload (member_string (ok->json, "token"), "LOGO", NULL, png, NULL);
  g_assert_cmpuint (upload->status, ==, 200);
}

static void
test_doku_upload (void)
{
  g_autoptr(GBytes) png = png_bytes (5000);
  g_autoptr(GBytes) jpeg = image_bytes (jpeg_magic, sizeof jpeg_magic, 3000);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 hello", 14);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *sha = sha256_of (png);
  g_autoptr(Response) ok = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "DOCUMENT", "KTP", png, NULL);
  g_autoptr(Response) jpg = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "PHOTO_PROOF", NULL, jpeg, NULL);
  g_autoptr(Response) by_url = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, NULL,
                                            "https://www.example.com/logo.png");
  g_autoptr(Response) no_auth = doku_upload (NULL, "LOGO", NULL, png, NULL);
  g_autoptr(Response) bad_token = doku_upload ("nope", "LOGO", NULL, png, NULL);
  g_autoptr(Response) no_category = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL, png, NULL);
  g_autoptr(Response) bad_category = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "SELFIE", NULL, png, NULL);
  g_autoptr(Response) no_code = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "DOCUMENT", NULL, png, NULL);
  g_autoptr(Response) bad_code = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "DOCUMENT", "KTP2", png, NULL);
  g_autoptr(Response) stray_code = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", "KTP", png, NULL);
  g_autoptr(Response) pdf_file = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, pdf, NULL);
  g_autoptr(Response) empty_file = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, empty, NULL);
  g_autoptr(Response) both = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, png,
                                          "https://www.example.com/logo.png");
  g_autoptr(Response) neither = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, NULL, NULL);
  g_autoptr(Response) bad_url = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, NULL,
                                             "ftp://example.com/x.png");
  g_autoptr(Response) big = NULL;
  g_autoptr(GBytes) big_png = png_bytes (15000001);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(JsonNode) holder = NULL;
  g_autofree char *expired = NULL;
  JsonObject *rec;
  const char *id;
  guint status;
  guint before;

  g_assert_cmpuint (ok->status, ==, 200);
  id = member_string (ok->json, "id");
  g_assert_true (g_str_has_prefix (id, "DCM-0001-"));
  g_assert_cmpuint (strlen (id), ==, strlen ("DCM-0001-") + 13 + 4);
  g_assert_cmpstr (member_string (ok->json, "category"), ==, "DOCUMENT");
  g_assert_nonnull (strstr (member_string (ok->json, "link"), "?Expires="));

  /* the stored bytes are what was sent */
  rec = find_received (&holder, id);
  g_assert_cmpstr (json_object_get_string_member (rec, "provider"), ==, "doku");
  g_assert_cmpstr (json_object_get_string_member (rec, "sha256"), ==, sha);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (rec, "fields"), "code"),
                   ==, "KTP");

  back = get_bytes (member_string (ok->json, "link"), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, png));
  expired = g_strdup_printf ("%s/files/doku/%s?Expires=1000", dossier_sandbox_get_base_url (sandbox), id);
  g_clear_pointer (&back, g_bytes_unref);
  back = get_bytes (expired, &status);
  g_assert_cmpuint (status, ==, 403);

  g_assert_cmpuint (jpg->status, ==, 200);
  g_assert_cmpuint (by_url->status, ==, 200);
  assert_doku_error (no_auth, 401, "UNAUTHORIZED", NULL);
  assert_doku_error (bad_token, 401, "UNAUTHORIZED", NULL);
  assert_doku_error (no_category, 400, "INVALID_PARAMETER", "category");
  assert_doku_error (bad_category, 400, "INVALID_PARAMETER", "category");
  assert_doku_error (no_code, 400, "INVALID_PARAMETER", "code");
  assert_doku_error (bad_code, 400, "INVALID_PARAMETER", "code");
  assert_doku_error (stray_code, 400, "INVALID_PARAMETER", "code");
  assert_doku_error (pdf_file, 400, "INVALID_PARAMETER", "JPG or PNG");
  assert_doku_error (empty_file, 400, "INVALID_PARAMETER", "empty");
  assert_doku_error (both, 400, "INVALID_PARAMETER", "file_url");
  assert_doku_error (neither, 400, "INVALID_PARAMETER", "file");
  assert_doku_error (bad_url, 400, "INVALID_PARAMETER", "file_url");

  /* too large: 413, and nothing recorded */
  before = n_received ();
  big = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, big_png, NULL);
  assert_doku_error (big, 413, "FILE_TOO_LARGE", NULL);
  g_assert_cmpuint (n_received (), ==, before);
}

/* -------------------------------------------------------------------------- */
/* Kore.ai                                                                    */

static Response *
kore_upload (const char *key,
             const char *context,
             const char *file_name,
             GBytes     *file)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessage) msg = NULL;

  if (context != NULL)
    soup_multipart_append_form_string (mp, "fileContext", context);
  if (file != NULL)
    soup_multipart_append_form_file (mp, "file", file_name, "application/octet-stream", file);
  msg = multipart_message ("/kore/api/public/files", mp);
  if (key != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "x-api-key", key);

  return send (msg);
}

static Response *
kore_start (const char *json)
{
  g_autofree char *u = url ("/kore/api/public/files/session/start");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", u);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  soup_message_headers_append (soup_message_get_request_headers (msg), "x-api-key",
                               DOSSIER_SANDBOX_KORE_API_KEY);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  return send (msg);
}

static Response *
kore_chunk (const char *session_id,
            const char *number,
            GBytes     *data)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autofree char *path = g_strdup_printf ("/kore/api/public/files/session/%s", session_id);
  g_autoptr(SoupMessage) msg = NULL;

  soup_multipart_append_form_string (mp, "chunkNumber", number);
  soup_multipart_append_form_file (mp, "file", "blob", "application/octet-stream", data);
  msg = multipart_message (path, mp);
  soup_message_headers_append (soup_message_get_request_headers (msg), "x-api-key",
                               DOSSIER_SANDBOX_KORE_API_KEY);

  return send (msg);
}

static Response *
kore_complete (const char *session_id)
{
  g_autofree char *path = g_strdup_printf ("/kore/api/public/files/session/%s/complete", session_id);
  g_autofree char *u = url (path);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", u);

  soup_message_headers_append (soup_message_get_request_headers (msg), "x-api-key",
                               DOSSIER_SANDBOX_KORE_API_KEY);

  return send (msg);
}

static void
test_kore_single (void)
{
  g_autoptr(GBytes) png = png_bytes (4000);
  g_autoptr(GBytes) jpeg = image_bytes (jpeg_magic, sizeof jpeg_magic, 4000);
  g_autoptr(GBytes) audio = g_bytes_new_static ("ID3\x03\x00 not really audio", 22);
  g_autofree char *sha = sha256_of (png);
  g_autoptr(Response) ok = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "bulkImport", "Logo Final.PNG", png);
  g_autoptr(Response) mp3 = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "bulkImport", "a.mp3", audio);
  g_autoptr(Response) no_key = kore_upload (NULL, "bulkImport", "a.png", png);
  g_autoptr(Response) bad_key = kore_upload ("nope", "bulkImport", "a.png", png);
  g_autoptr(Response) no_context = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, NULL, "a.png", png);
  g_autoptr(Response) empty_context = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "", "a.png", png);
  g_autoptr(Response) no_file = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "bulkImport", NULL, NULL);
  g_autoptr(Response) pdf = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "bulkImport", "a.pdf", png);
  g_autoptr(Response) mismatch = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "bulkImport", "a.png", jpeg);
  g_autoptr(Response) big = NULL;
  g_autoptr(GBytes) big_png = png_bytes (25000001);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(JsonNode) holder = NULL;
  JsonObject *rec;
  const char *link;
  const char *file_id;
  guint status;

  g_assert_cmpuint (ok->status, ==, 200);
  link = member_string (ok->json, "url");
  file_id = member_string (ok->json, "fileId");
  g_assert_cmpuint (strlen (file_id), ==, 24);
  for (const char *p = file_id; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p));
  g_assert_nonnull (strstr (link, "/kore/api/getMediaStream/orgFiles/f-"));
  g_assert_nonnull (strstr (link, ".png?e="));
  g_assert_nonnull (strstr (link, "&del=false&s="));
  g_assert_nonnull (strstr (link, "&fileName=Logo%20Final.PNG"));

  back = get_bytes (link, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, png));

  rec = find_received (&holder, file_id);
  g_assert_cmpstr (json_object_get_string_member (rec, "provider"), ==, "kore");
  g_assert_cmpstr (json_object_get_string_member (rec, "operation"), ==, "upload");
  g_assert_cmpstr (json_object_get_string_member (rec, "sha256"), ==, sha);

  g_assert_cmpuint (mp3->status, ==, 200);
  g_assert_cmpuint (no_key->status, ==, 401);
  kore_error_msg (no_key);
  g_assert_cmpuint (bad_key->status, ==, 401);
  g_assert_cmpuint (no_context->status, ==, 400);
  g_assert_nonnull (strstr (kore_error_msg (no_context), "fileContext"));
  g_assert_cmpuint (empty_context->status, ==, 400);
  g_assert_cmpuint (no_file->status, ==, 400);
  g_assert_nonnull (strstr (kore_error_msg (no_file), "file"));
  g_assert_cmpuint (pdf->status, ==, 400);
  g_assert_nonnull (strstr (kore_error_msg (pdf), "pdf"));
  g_assert_cmpuint (mismatch->status, ==, 400);
  kore_error_msg (mismatch);

  big = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "bulkImport", "big.png", big_png);
  g_assert_cmpuint (big->status, ==, 413);
  g_assert_nonnull (strstr (kore_error_msg (big), "session"));
}

static void
test_kore_session (void)
{
  g_autoptr(GBytes) whole = png_bytes (4 * 1000 + 17);
  g_autoptr(GBytes) c0 = g_bytes_new_from_bytes (whole, 0, 1000);
  g_autoptr(GBytes) c1 = g_bytes_new_from_bytes (whole, 1000, 1000);
  g_autoptr(GBytes) c2 = g_bytes_new_from_bytes (whole, 2000, 1000);
  g_autoptr(GBytes) c3 = g_bytes_new_from_bytes (whole, 3000, 1017);
  g_autoptr(GBytes) wrong = png_bytes (10);
  g_autofree char *sha = sha256_of (whole);
  g_autofree char *start_json = g_strdup_printf ("{\"fileContext\":\"bulkImport\",\"totalChunks\":4,"
                                                 "\"fileExtension\":\"png\",\"fileName\":\"big.png\","
                                                 "\"fileSize\":%" G_GSIZE_FORMAT "}",
                                                 g_bytes_get_size (whole));
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(Response) start = kore_start (start_json);
  g_autoptr(Response) bad_start = kore_start ("{\"totalChunks\":0,\"fileExtension\":\"pdf\"}");
  g_autoptr(Response) not_json = kore_start ("nope");
  g_autoptr(Response) r = NULL;
  g_autoptr(JsonNode) holder = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GDateTime) expiration = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *sid = NULL;
  JsonObject *rec;
  const char *msg_text;
  guint status;

  g_assert_cmpuint (start->status, ==, 200);
  sid = g_strdup (member_string (start->json, "sessionId"));
  g_assert_true (g_uuid_string_is_valid (sid));
  g_assert_true (g_str_has_suffix (member_string (start->json, "expirationDate"), "Z"));
  expiration = g_date_time_new_from_iso8601 (member_string (start->json, "expirationDate"), NULL);
  g_assert_nonnull (expiration);
  /* an hour after the request: between an hour after the moments before
   * and after it. The date is given in whole seconds, and the sandbox
   * truncates both the clock and the hour's remaining seconds to whole
   * seconds, so it may read up to 2 s short of before + 3600 s */
  g_assert_cmpint (g_date_time_difference (expiration, before), >=, 3598 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (expiration, now), <=, 3601 * G_TIME_SPAN_SECOND);

  g_assert_cmpuint (bad_start->status, ==, 400);
  {
    g_autoptr(GBytes) b = g_bytes_ref (bad_start->body);
    const char *text = g_bytes_get_data (b, NULL);
    g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (b), "fileContext"));
    g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (b), "totalChunks"));
    g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (b), "fileName"));
    g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (b), "fileSize"));
    g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (b), "pdf"));
  }
  g_assert_cmpuint (not_json->status, ==, 400);

  /* chunks 0 and 2, then complete: 1 and 3 are missing */
  r = kore_chunk (sid, "0", c0);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (member_string (r->json, "chunkNumber"), ==, "0");
  g_assert_cmpstr (member_string (r->json, "sessionId"), ==, sid);
  g_clear_pointer (&r, response_free);
  r = kore_chunk (sid, "2", c2);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  rec = last_received (&holder);
  g_assert_cmpstr (json_object_get_string_member (rec, "operation"), ==, "chunk");
  g_assert_cmpint (json_object_get_int_member (rec, "chunk"), ==, 2);
  g_clear_pointer (&holder, json_node_unref);

  r = kore_complete (sid);
  g_assert_cmpuint (r->status, ==, 400);
  g_assert_cmpstr (kore_error_msg (r), ==, "Missing chunks: 1, 3");
  g_clear_pointer (&r, response_free);

  /* out of range, and a wrong chunk 1 that is then replaced */
  r = kore_chunk (sid, "4", c1);
  g_assert_cmpuint (r->status, ==, 400);
  g_clear_pointer (&r, response_free);
  r = kore_chunk (sid, "x", c1);
  g_assert_cmpuint (r->status, ==, 400);
  g_clear_pointer (&r, response_free);
  r = kore_chunk (sid, "1", wrong);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);
  r = kore_chunk (sid, "3", c3);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  /* the wrong chunk makes the size wrong */
  r = kore_complete (sid);
  g_assert_cmpuint (r->status, ==, 400);
  msg_text = kore_error_msg (r);
  g_assert_nonnull (strstr (msg_text, "fileSize"));
  g_clear_pointer (&r, response_free);

  r = kore_chunk (sid, "1", c1);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  r = kore_complete (sid);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (strlen (member_string (r->json, "fileId")), ==, 24);
  back = get_bytes (member_string (r->json, "url"), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, whole));
  g_clear_pointer (&r, response_free);

  rec = last_received (&holder);
  g_assert_cmpstr (json_object_get_string_member (rec, "operation"), ==, "complete");
  g_assert_cmpstr (json_object_get_string_member (rec, "sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (rec, "size"), ==, g_bytes_get_size (whole));

  /* closed */
  r = kore_complete (sid);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
  r = kore_chunk (sid, "0", c0);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
  r = kore_chunk ("00000000-1111-2222-3333-444444444444", "0", c0);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
}

static void
test_kore_expired (void)
{
  g_autoptr(Response) start = NULL;
  g_autoptr(Response) r = NULL;
  g_autoptr(GBytes) c0 = png_bytes (100);

  dossier_sandbox_set_kore_session_lifetime (sandbox, 0);
  start = kore_start ("{\"fileContext\":\"x\",\"totalChunks\":1,\"fileExtension\":\"png\","
                      "\"fileName\":\"a.png\",\"fileSize\":100}");
  dossier_sandbox_set_kore_session_lifetime (sandbox, 3600);
  g_assert_cmpuint (start->status, ==, 200);

  r = kore_chunk (member_string (start->json, "sessionId"), "0", c0);
  g_assert_cmpuint (r->status, ==, 410);
  kore_error_msg (r);
}

/* -------------------------------------------------------------------------- */
/* Moov                                                                       */

static Response *
moov_token_request (const char *body,
                    const char *content_type,
                    const char *basic_user,
                    const char *basic_password)
{
  g_autofree char *u = url ("/moov/oauth2/token");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", u);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  if (basic_user != NULL)
    {
      g_autofree char *pair = g_strconcat (basic_user, ":", basic_password, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *auth = g_strconcat ("Basic ", b64, NULL);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_message_set_request_body_from_bytes (msg, content_type, bytes);

  return send (msg);
}

static Response *
moov_upload (const char *token,
             const char *account,
             const char *purpose,
             const char *metadata,
             const char *file_name,
             GBytes     *file,
             const char *version)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autofree char *path = g_strdup_printf ("/moov/accounts/%s/files", account);
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *h;

  if (purpose != NULL)
    soup_multipart_append_form_string (mp, "filePurpose", purpose);
  if (metadata != NULL)
    soup_multipart_append_form_string (mp, "metadata", metadata);
  if (file != NULL)
    soup_multipart_append_form_file (mp, "file", file_name, "application/octet-stream", file);
  msg = multipart_message (path, mp);
  h = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_append (h, "Authorization", auth);
    }
  if (version != NULL)
    soup_message_headers_append (h, "X-Moov-Version", version);

  return send (msg);
}

static Response *
moov_list (const char *token,
           const char *account)
{
  g_autofree char *path = g_strdup_printf ("/moov/accounts/%s/files", account);
  g_autofree char *u = url (path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", u);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);

  return send (msg);
}

static void
assert_request_id (Response *r)
{
  const char *id = soup_message_headers_get_one (r->headers, "x-request-id");

  g_assert_nonnull (id);
  g_assert_true (g_uuid_string_is_valid (id));
}

static void
test_moov_token (void)
{
  g_autofree char *scope = g_strdup_printf ("/accounts/%s/files.write /accounts/%s/files.read",
                                            DOSSIER_SANDBOX_MOOV_ACCOUNT_ID,
                                            DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_autofree char *form = soup_form_encode ("grant_type", "client_credentials", "scope", scope, NULL);
  g_autofree char *json = g_strdup_printf ("{\"grant_type\":\"client_credentials\",\"client_id\":\"%s\","
                                           "\"client_secret\":\"%s\",\"scope\":\"%s\"}",
                                           DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                           DOSSIER_SANDBOX_MOOV_CLIENT_SECRET, scope);
  g_autoptr(Response) basic = moov_token_request (form, "application/x-www-form-urlencoded",
                                                  DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                                  DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(Response) by_json = moov_token_request (json, "application/json", NULL, NULL);
  g_autoptr(Response) bad_grant = moov_token_request ("grant_type=password&scope=x",
                                                      "application/x-www-form-urlencoded",
                                                      DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                                      DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(Response) bad_client = moov_token_request (form, "application/x-www-form-urlencoded",
                                                       DOSSIER_SANDBOX_MOOV_CLIENT_ID, "wrong");
  g_autoptr(Response) no_scope = moov_token_request ("grant_type=client_credentials",
                                                     "application/x-www-form-urlencoded",
                                                     DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                                     DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(GBytes) png = png_bytes (300);
  g_autoptr(Response) up = NULL;
  g_autoptr(Response) other = NULL;
  g_autoptr(Response) list = NULL;
  g_autofree char *other_account = g_uuid_string_random ();
  JsonObject *obj;

  g_assert_cmpuint (basic->status, ==, 200);
  assert_request_id (basic);
  obj = json_node_get_object (basic->json);
  g_assert_cmpstr (json_object_get_string_member (obj, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (obj, "expires_in"), ==, 900);
  g_assert_cmpstr (json_object_get_string_member (obj, "scope"), ==, scope);
  g_assert_nonnull (json_object_get_string_member (obj, "refresh_token"));
  g_assert_cmpuint (by_json->status, ==, 200);

  g_assert_cmpuint (bad_grant->status, ==, 400);
  g_assert_cmpstr (member_string (bad_grant->json, "error"), ==, "invalid_request");
  g_assert_cmpuint (bad_client->status, ==, 401);
  g_assert_cmpstr (member_string (bad_client->json, "error"), ==, "invalid_client");
  g_assert_cmpuint (no_scope->status, ==, 422);
  g_assert_cmpstr (member_string (no_scope->json, "scope"), ==, "scope is required");
  assert_request_id (no_scope);

  /* the token is limited to its scope */
  up = moov_upload (json_object_get_string_member (obj, "access_token"), DOSSIER_SANDBOX_MOOV_ACCOUNT_ID,
                    "business_verification", NULL, "a.png", png, NULL);
  g_assert_cmpuint (up->status, ==, 200);
  other = moov_upload (json_object_get_string_member (obj, "access_token"), other_account,
                       "business_verification", NULL, "a.png", png, NULL);
  g_assert_cmpuint (other->status, ==, 403);
  assert_request_id (other);
  list = moov_list (json_object_get_string_member (obj, "access_token"), DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list->json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list->json)), >=, 1);
}

static void
test_moov_upload (void)
{
  g_autofree char *account = g_uuid_string_random ();
  g_autoptr(GBytes) png = png_bytes (1234);
  g_autoptr(GBytes) csv = g_bytes_new_static ("name,amount\nÅsa,12\n", strlen ("name,amount\nÅsa,12\n"));
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7\n%binary", 16);
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x01\x02\x00\x03zip?", 8);
  g_autofree char *sha = sha256_of (png);
  g_autofree char *long_name = g_strnfill (100, 'n');
  g_autoptr(Response) ok = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "merchant_underwriting",
                                        "{\"requirement_id\":\"document.individual.verification\"}",
                                        long_name, png, "v2024.01.00");
  g_autoptr(Response) csv_ok = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "account_requirement",
                                            NULL, "list.csv", csv, "latest");
  g_autoptr(Response) pdf_ok = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "identity_verification",
                                            NULL, "id.pdf", pdf, NULL);
  g_autoptr(Response) no_auth = moov_upload (NULL, account, "business_verification", NULL, "a.png", png, NULL);
  g_autoptr(Response) nil = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, "00000000-0000-0000-0000-000000000000",
                                         "business_verification", NULL, "a.png", png, NULL);
  g_autoptr(Response) bad_version = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account,
                                                 "business_verification", NULL, "a.png", png, "2024-01");
  g_autoptr(Response) invalid = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "selfie",
                                             "{\"color\":\"blue\"}", "x.bin", binary, NULL);
  g_autoptr(Response) bad_meta = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "business_verification",
                                              "{\"comment\":5}", "a.png", png, NULL);
  g_autoptr(Response) not_object = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "business_verification",
                                                "[1]", "a.png", png, NULL);
  g_autoptr(Response) no_file = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, NULL, NULL, NULL, NULL, NULL);
  g_autoptr(Response) list = NULL;
  g_autoptr(JsonNode) holder = NULL;
  g_autoptr(GDateTime) created = NULL;
  JsonObject *obj;
  JsonObject *rec;

  g_assert_cmpuint (ok->status, ==, 200);
  assert_request_id (ok);
  obj = json_node_get_object (ok->json);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (obj, "fileID")));
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "fileName")), ==, 64);
  g_assert_cmpstr (json_object_get_string_member (obj, "accountID"), ==, account);
  g_assert_cmpstr (json_object_get_string_member (obj, "filePurpose"), ==, "merchant_underwriting");
  g_assert_cmpstr (json_object_get_string_member (obj, "fileStatus"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (obj, "metadata"), ==,
                   "{\"requirement_id\":\"document.individual.verification\"}");
  g_assert_cmpint (json_object_get_int_member (obj, "fileSizeBytes"), ==, 1234);
  created = g_date_time_new_from_iso8601 (json_object_get_string_member (obj, "createdOn"), NULL);
  g_assert_nonnull (created);
  g_assert_nonnull (json_object_get_string_member (obj, "updatedOn"));

  g_assert_cmpuint (csv_ok->status, ==, 200);
  g_assert_cmpstr (member_string (csv_ok->json, "metadata"), ==, "{}");
  rec = last_received (&holder);
  g_assert_cmpstr (json_object_get_string_member (rec, "content_type"), ==, "application/pdf");
  g_assert_cmpuint (pdf_ok->status, ==, 200);

  g_assert_cmpuint (no_auth->status, ==, 401);
  g_assert_cmpuint (g_bytes_get_size (no_auth->body), ==, 0);
  assert_request_id (no_auth);
  g_assert_cmpuint (nil->status, ==, 404);
  g_assert_cmpuint (bad_version->status, ==, 400);
  g_assert_nonnull (member_string (bad_version->json, "error"));

  g_assert_cmpuint (invalid->status, ==, 422);
  g_assert_nonnull (member_string (invalid->json, "error"));
  g_assert_nonnull (member_string (invalid->json, "file"));
  g_assert_nonnull (member_string (invalid->json, "filePurpose"));
  g_assert_nonnull (member_string (invalid->json, "metadata"));
  g_assert_cmpuint (bad_meta->status, ==, 422);
  g_assert_nonnull (member_string (bad_meta->json, "metadata"));
  g_assert_null (member_string (bad_meta->json, "file"));
  g_assert_null (member_string (bad_meta->json, "filePurpose"));
  g_assert_cmpuint (not_object->status, ==, 422);
  g_assert_cmpuint (no_file->status, ==, 422);
  g_assert_nonnull (member_string (no_file->json, "file"));
  g_assert_nonnull (member_string (no_file->json, "filePurpose"));

  list = moov_list (DOSSIER_SANDBOX_MOOV_TOKEN, account);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list->json)), ==, 3);
  (void) sha;
}

static void
test_moov_limit (void)
{
  g_autofree char *account = g_uuid_string_random ();
  g_autoptr(GBytes) csv = g_bytes_new_static ("a,b\n", 4);
  g_autoptr(Response) r = NULL;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(Response) one = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "business_verification",
                                             NULL, "t.csv", csv, NULL);
      g_assert_cmpuint (one->status, ==, 200);
    }

  r = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, account, "business_verification", NULL, "t.csv", csv, NULL);
  g_assert_cmpuint (r->status, ==, 409);
  g_assert_nonnull (strstr (member_string (r->json, "error"), "maximum of 50 files"));
  assert_request_id (r);
}

/* -------------------------------------------------------------------------- */
/* receeve                                                                    */

static Response *
receeve_upload (const char *auth,
                const char *account,
                const char *document_type,
                guint       n_files)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) csv = g_bytes_new_static ("id;amount\n1;2\n", 14);

  if (account != NULL)
    soup_multipart_append_form_string (mp, "accountId", account);
  if (document_type != NULL)
    soup_multipart_append_form_string (mp, "documentType", document_type);
  for (guint i = 0; i < n_files; i++)
    soup_multipart_append_form_file (mp, "file", "claims.csv", "text/csv", csv);
  msg = multipart_message ("/receeve/files/v1/" DOSSIER_SANDBOX_RECEEVE_CLIENT_ID "/upload_files", mp);
  if (auth != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);

  return send (msg);
}

static void
test_receeve (void)
{
  g_autoptr(Response) token = NULL;
  g_autoptr(Response) bad_token = NULL;
  g_autoptr(Response) ok = receeve_upload (DOSSIER_SANDBOX_RECEEVE_TOKEN, "ACC-1", "CSV", 1);
  g_autoptr(Response) other_type = receeve_upload (DOSSIER_SANDBOX_RECEEVE_TOKEN, "ACC-1", "Receipt", 1);
  g_autoptr(Response) bearer = receeve_upload ("Bearer " DOSSIER_SANDBOX_RECEEVE_TOKEN, "ACC-1", NULL, 1);
  g_autoptr(Response) no_auth = receeve_upload (NULL, "ACC-1", NULL, 1);
  g_autoptr(Response) two = receeve_upload (DOSSIER_SANDBOX_RECEEVE_TOKEN, "ACC-1", NULL, 2);
  g_autoptr(Response) none = receeve_upload (DOSSIER_SANDBOX_RECEEVE_TOKEN, "ACC-1", NULL, 0);
  g_autoptr(Response) no_account = receeve_upload (DOSSIER_SANDBOX_RECEEVE_TOKEN, NULL, NULL, 1);
  g_autoptr(Response) issued = NULL;
  g_autofree char *u = url ("/receeve/v1/oauth2/token");
  JsonObject *obj;

  {
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", u);
    g_autofree char *b64 = g_base64_encode ((const guchar *) DOSSIER_SANDBOX_RECEEVE_CLIENT_ID ":"
                                            DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET,
                                            strlen (DOSSIER_SANDBOX_RECEEVE_CLIENT_ID ":"
                                                    DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET));
    g_autofree char *auth = g_strconcat ("Basic ", b64, NULL);
    g_autoptr(GBytes) body = g_bytes_new_static ("grant_type=client_credentials", 29);

    soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    token = send (msg);
  }
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", u);
    g_autoptr(GBytes) body = g_bytes_new_static ("grant_type=client_credentials", 29);

    soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                                 "Basic bm9ib2R5Om5vdGhpbmc=");
    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    bad_token = send (msg);
  }

  g_assert_cmpuint (token->status, ==, 200);
  obj = json_node_get_object (token->json);
  g_assert_cmpint (json_object_get_int_member (obj, "expires_in"), ==, 3600);
  g_assert_cmpstr (json_object_get_string_member (obj, "token_type"), ==, "Bearer");
  g_assert_cmpuint (bad_token->status, ==, 401);
  g_assert_cmpstr (member_string (bad_token->json, "message"), ==, "Invalid client credentials");

  issued = receeve_upload (json_object_get_string_member (obj, "access_token"), "ACC-2", "Invoice", 1);
  g_assert_cmpuint (issued->status, ==, 200);
  g_assert_cmpstr (member_string (issued->json, "documentType"), ==, "Invoice");

  g_assert_cmpuint (ok->status, ==, 200);
  obj = json_node_get_object (ok->json);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (obj, "fileId")));
  g_assert_cmpstr (json_object_get_string_member (obj, "fileName"), ==, "claims.csv");
  g_assert_cmpstr (json_object_get_string_member (obj, "accountId"), ==, "ACC-1");
  g_assert_cmpstr (json_object_get_string_member (obj, "documentType"), ==, "CSV");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (obj, "link"),
                                   json_object_get_string_member (obj, "fileId")));

  g_assert_cmpuint (other_type->status, ==, 200);
  g_assert_true (json_object_get_null_member (json_node_get_object (other_type->json), "documentType"));

  g_assert_cmpuint (bearer->status, ==, 401);
  g_assert_cmpstr (member_string (bearer->json, "message"), ==,
                   "Send the raw access token in Authorization, without 'Bearer'");
  g_assert_cmpuint (no_auth->status, ==, 401);
  g_assert_cmpuint (two->status, ==, 400);
  g_assert_cmpstr (member_string (two->json, "message"), ==, "Only one file per request");
  g_assert_cmpuint (none->status, ==, 400);
  g_assert_cmpuint (no_account->status, ==, 400);
  g_assert_cmpstr (member_string (no_account->json, "message"), ==, "accountId is required");
}

/* -------------------------------------------------------------------------- */
/* faults                                                                     */

static Response *
generic_upload_bytes (gsize size)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) data = png_bytes (size);
  g_autoptr(SoupMessage) msg = NULL;

  soup_multipart_append_form_file (mp, "file", "f.bin", "application/octet-stream", data);
  msg = multipart_message ("/generic/upload", mp);

  return send (msg);
}

static void
test_faults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = png_bytes (300);
  g_autoptr(GBytes) chunk = png_bytes (10);
  g_autofree char *sid = NULL;
  Response *r;
  guint before;

  /* status with Retry-After, in the provider's shape, times=2 */
  g_assert_true (dossier_sandbox_add_fault (sandbox, "moov:status=429,retry-after=1,times=2", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      r = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID,
                       "business_verification", NULL, "a.png", png, NULL);
      g_assert_cmpuint (r->status, ==, 429);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
      g_assert_cmpstr (member_string (r->json, "error"), ==, "Injected fault");
      assert_request_id (r);
      response_free (r);
    }
  r = moov_upload (DOSSIER_SANDBOX_MOOV_TOKEN, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID,
                   "business_verification", NULL, "a.png", png, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  response_free (r);

  /* DOKU's shape */
  g_assert_true (dossier_sandbox_add_fault (sandbox, "doku/upload:status=503", NULL));
  r = doku_upload (DOSSIER_SANDBOX_DOKU_TOKEN, "LOGO", NULL, png, NULL);
  assert_doku_error (r, 503, "SERVICE_UNAVAILABLE", "Injected fault");
  response_free (r);

  /* malformed JSON */
  g_assert_true (dossier_sandbox_add_fault (sandbox, "generic:malformed-json", NULL));
  r = generic_upload_bytes (100);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (r->body);
  g_assert_null (r->json);
  response_free (r);

  /* drop: the connection is closed mid-body, nothing is stored */
  before = n_received ();
  g_assert_true (dossier_sandbox_add_fault (sandbox, "generic:drop=65536", NULL));
  r = generic_upload_bytes (1024 * 1024);
  g_assert_nonnull (r->error);
  g_assert_cmpuint (r->status, ==, 0);
  response_free (r);
  g_assert_cmpuint (n_received (), ==, before);
  r = generic_upload_bytes (1000);
  g_assert_cmpuint (r->status, ==, 200);
  response_free (r);

  /* delay */
  g_assert_true (dossier_sandbox_add_fault (sandbox, "receeve:delay=300", NULL));
  r = receeve_upload (DOSSIER_SANDBOX_RECEEVE_TOKEN, "ACC-1", NULL, 1);
  g_assert_cmpuint (r->status, ==, 200);
  /* held at least as long as asked: a lower bound, which no load breaks */
  g_assert_cmpint (r->elapsed_ms, >=, 290);
  response_free (r);

  /* only Kore chunk 2 fails, once */
  r = kore_start ("{\"fileContext\":\"x\",\"totalChunks\":3,\"fileExtension\":\"png\","
                  "\"fileName\":\"a.png\",\"fileSize\":30}");
  sid = g_strdup (member_string (r->json, "sessionId"));
  response_free (r);
  g_assert_true (dossier_sandbox_add_fault (sandbox, "kore/chunk:status=500,chunk=2,times=1", NULL));
  r = kore_chunk (sid, "0", chunk);
  g_assert_cmpuint (r->status, ==, 200);
  response_free (r);
  r = kore_chunk (sid, "2", chunk);
  g_assert_cmpuint (r->status, ==, 500);
  g_assert_cmpstr (kore_error_msg (r), ==, "Injected fault");
  response_free (r);
  r = kore_chunk (sid, "2", chunk);
  g_assert_cmpuint (r->status, ==, 200);
  response_free (r);

  /* times=0: every time, until cleared; also through the control route */
  {
    g_autofree char *u = url ("/_sandbox/faults");
    g_autoptr(SoupMessage) add = soup_message_new ("POST", u);
    g_autoptr(SoupMessage) bad = soup_message_new ("POST", u);
    g_autoptr(SoupMessage) clear = soup_message_new ("DELETE", u);
    g_autoptr(GBytes) spec = g_bytes_new_static ("kore/upload:status=502,times=0", 30);
    g_autoptr(GBytes) bad_spec = g_bytes_new_static ("kore:explode", 12);
    Response *rr;

    soup_message_set_request_body_from_bytes (add, "text/plain", spec);
    rr = send (add);
    g_assert_cmpuint (rr->status, ==, 200);
    response_free (rr);
    soup_message_set_request_body_from_bytes (bad, "text/plain", bad_spec);
    rr = send (bad);
    g_assert_cmpuint (rr->status, ==, 400);
    g_assert_nonnull (strstr (member_string (rr->json, "error"), "explode"));
    response_free (rr);

    for (guint i = 0; i < 3; i++)
      {
        rr = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "c", "a.png", png);
        g_assert_cmpuint (rr->status, ==, 502);
        response_free (rr);
      }
    rr = send (clear);
    g_assert_cmpuint (rr->status, ==, 200);
    response_free (rr);
    rr = kore_upload (DOSSIER_SANDBOX_KORE_API_KEY, "c", "a.png", png);
    g_assert_cmpuint (rr->status, ==, 200);
    response_free (rr);
  }

  /* a bad spec through the API */
  g_assert_false (dossier_sandbox_add_fault (sandbox, "moov:status=600", &error));
  g_assert_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT);
  dossier_sandbox_clear_faults (sandbox);
}

/* -------------------------------------------------------------------------- */
/* serving on the caller's main context, with an async client                 */

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
test_listen_in_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierSandbox) local = dossier_sandbox_new (NULL, &error);
  g_autoptr(SoupSession) async_session = soup_session_new ();
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) data = png_bytes (70000);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) received = NULL;
  g_autofree char *u = NULL;
  g_autofree char *storage = NULL;
  g_autofree char *sha = sha256_of (data);
  JsonObject *rec;

  g_assert_no_error (error);
  g_assert_true (dossier_sandbox_listen (local, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (dossier_sandbox_get_base_url (local), "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (dossier_sandbox_get_base_url (local), "/"));
  storage = g_strdup (dossier_sandbox_get_storage_dir (local));
  g_assert_true (g_file_test (storage, G_FILE_TEST_IS_DIR));

  soup_multipart_append_form_file (mp, "file", "x.png", "image/png", data);
  u = g_strconcat (dossier_sandbox_get_base_url (local), "/generic/upload", NULL);
  msg = soup_message_new_from_multipart (u, mp);
  soup_session_send_and_read_async (async_session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  received = dossier_sandbox_dup_received (local);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (received)), ==, 1);
  rec = json_array_get_object_element (json_node_get_array (received), 0);
  g_assert_cmpstr (json_object_get_string_member (rec, "sha256"), ==, sha);

  /* the private storage goes with the sandbox */
  g_clear_object (&async_session);
  g_clear_object (&local);
  g_assert_false (g_file_test (storage, G_FILE_TEST_EXISTS));
}

/* A folder to spoil a path with: "not-a-folder" in it is a regular file */
static char *
make_not_a_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-test-sandbox-XXXXXX", &error);
  char *file;

  g_assert_no_error (error);
  file = g_build_filename (dir, "not-a-folder", NULL);
  g_assert_true (g_file_set_contents (file, "", 0, &error));
  g_assert_no_error (error);

  return file;
}

static void
remove_not_a_folder (const char *file)
{
  g_autofree char *dir = g_path_get_dirname (file);

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The storage folder given cannot be made: no sandbox, and an error that
 * names the folder; the host goes on */
static void
test_storage_unusable (void)
{
  g_autofree char *file = make_not_a_folder ();
  g_autofree char *storage = g_build_filename (file, "storage", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierSandbox) local = dossier_sandbox_new (storage, &error);

  g_assert_null (local);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "sandbox’s storage folder"));
  g_assert_nonnull (strstr (error->message, storage));

  remove_not_a_folder (file);
}

/* No folder for a private storage: neither $XDG_RUNTIME_DIR nor the cache
 * folder can hold one. It used to abort the process (g_error()), the app
 * or the CLI with it; now it is an error the host shows. In a subprocess,
 * for the environment. */
static void
test_storage_no_folder (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *file = make_not_a_folder ();
      g_autofree char *cache = g_build_filename (file, "dossier", "sandbox", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DossierSandbox) local = NULL;

      g_setenv ("XDG_RUNTIME_DIR", file, TRUE);
      g_setenv ("XDG_CACHE_HOME", file, TRUE);
      local = dossier_sandbox_new (NULL, &error);

      g_assert_null (local);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
      g_assert_nonnull (strstr (error->message, cache));
      g_print ("%s\n", error->message);
      remove_not_a_folder (file);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("Could not create the sandbox?s storage folder *not-a-folder/dossier/sandbox: *");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* not in a subprocess: there the environment is the test's */
  if (!g_test_subprocess ())
    {
      sandbox = dossier_sandbox_new (NULL, &error);
      if (sandbox == NULL || !dossier_sandbox_start_thread (sandbox, 0, &error))
        g_error ("Could not start the sandbox: %s", error->message);
    }
  session = soup_session_new ();

  g_test_add_func ("/sandbox/multipart/split", test_multipart_split);
  g_test_add_func ("/sandbox/multipart/errors", test_multipart_errors);
  g_test_add_func ("/sandbox/multipart/large", test_multipart_large);
  g_test_add_func ("/sandbox/fault/parse", test_fault_parse);
  g_test_add_func ("/sandbox/generic", test_generic);
  g_test_add_func ("/sandbox/routing", test_routing);
  g_test_add_func ("/sandbox/raw-filename", test_raw_filename);
  g_test_add_func ("/sandbox/doku/token", test_doku_token);
  g_test_add_func ("/sandbox/doku/upload", test_doku_upload);
  g_test_add_func ("/sandbox/kore/single", test_kore_single);
  g_test_add_func ("/sandbox/kore/session", test_kore_session);
  g_test_add_func ("/sandbox/kore/expired", test_kore_expired);
  g_test_add_func ("/sandbox/moov/token", test_moov_token);
  g_test_add_func ("/sandbox/moov/upload", test_moov_upload);
  g_test_add_func ("/sandbox/moov/limit", test_moov_limit);
  g_test_add_func ("/sandbox/receeve", test_receeve);
  g_test_add_func ("/sandbox/faults", test_faults);
  g_test_add_func ("/sandbox/listen-in-process", test_listen_in_process);
  g_test_add_func ("/sandbox/storage/unusable", test_storage_unusable);
  g_test_add_func ("/sandbox/storage/no-folder", test_storage_no_folder);

  ret = g_test_run ();

  g_clear_object (&session);
  if (sandbox != NULL)
    g_assert_finalize_object (sandbox);

  return ret;
}
