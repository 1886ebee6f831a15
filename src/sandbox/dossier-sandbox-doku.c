/* dossier-sandbox-doku.c: DOKU's token and document upload, emulated
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

static const char * const doku_categories[] = {
  "OWNER_LIVENESS", "PHOTO_PROOF", "LOGO", "DOCUMENT", "SERVICE_AGREEMENT", "BANK_ACCOUNT", NULL
};

static const char * const doku_codes[] = {
  "AKTA_PENDIRIAN_PERUSAHAAN", "BPOM", "COMPANY_REGISTRATION", "IZIN_BLU", "IZIN_BOPI",
  "IZIN_DISPENDIK_KEMENDIKBUD", "IZIN_DISTRIBUTOR_RESMI", "IZIN_EDAR_ALAT_KESEHATAN",
  "IZIN_KERAMAIAN", "IZIN_KOPERASI_SIMPAN_PINJAM", "IZIN_PENYELENGGARAAN_IBADAH_HAJI_DAN_UMRAH",
  "IZIN_PMB", "IZIN_PUB", "IZIN_USAHA", "IZIN_USAHA_PERSEORANGAN", "KITAS_OR_KITAP", "KTP",
  "LICENSE_ASIC", "LICENSE_CFTC", "LICENSE_CYSEC", "LICENSE_FCA", "LICENSE_IFSC",
  "LISENSI_BAPPEBTI", "LISENSI_OJK", "NIB", "NIB_PERSEORANGAN", "NPWP_BADAN",
  "NPWP_ORANG_PRIBADI", "PASPOR", "SERTIFIKAT_HALAL_MUI", "SERTIFIKAT_KEANGGOTAAN_ASITA",
  "SK_KEMENDIKBUDRISTEK", "SK_KEMENKUMHAM", "SK_PENDIRIAN_YAYASAN", "TANDA_DAFTAR_PSE",
  "TANDA_DAFTAR_YAYASAN", NULL
};

static void
doku_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  _dossier_sandbox_reply_error (msg, "doku", status, code, message);
}

static char *
base64url (const guint8 *data,
           gsize         len)
{
  char *s = g_base64_encode (data, len);
  char *p;

  for (p = s; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return s;
}

static char *
doku_make_token (const char *client_id,
                 gint64      iat,
                 gint64      exp)
{
  static const char header_json[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autofree char *payload_json = NULL;
  g_autofree char *h = NULL;
  g_autofree char *p = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *sig = NULL;
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  payload_json = g_strdup_printf ("{\"sub\":\"%s\",\"iat\":%" G_GINT64_FORMAT ",\"exp\":%" G_GINT64_FORMAT
                                  ",\"user\":{\"businessServiceClientId\":\"%s\"}}",
                                  client_id, iat, exp, client_id);
  h = base64url ((const guint8 *) header_json, strlen (header_json));
  p = base64url ((const guint8 *) payload_json, strlen (payload_json));
  signing_input = g_strconcat (h, ".", p, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) DOSSIER_SANDBOX_DOKU_SECRET_KEY,
                     strlen (DOSSIER_SANDBOX_DOKU_SECRET_KEY));
  g_hmac_update (hmac, (const guchar *) signing_input, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
  sig = base64url (digest, digest_len);

  return g_strconcat (signing_input, ".", sig, NULL);
}

/* DOKU's non-SNAP signature; @body NULL for a GET, whose component has no
 * Digest line */
static char *
doku_signature (const char *client_id,
                const char *request_id,
                const char *timestamp,
                const char *target,
                const char *body,
                gsize       body_len)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autoptr(GString) to_sign = g_string_new (NULL);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_string_printf (to_sign, "Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\nRequest-Target:%s",
                   client_id, request_id, timestamp, target);
  if (body != NULL)
    {
      g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree char *digest_b64 = NULL;

      g_checksum_update (sha, (const guchar *) body, body_len);
      g_checksum_get_digest (sha, digest, &digest_len);
      digest_b64 = g_base64_encode (digest, digest_len);
      g_string_append_printf (to_sign, "\nDigest:%s", digest_b64);
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) DOSSIER_SANDBOX_DOKU_SECRET_KEY,
                     strlen (DOSSIER_SANDBOX_DOKU_SECRET_KEY));
  g_hmac_update (hmac, (const guchar *) to_sign->str, to_sign->len);
  digest_len = sizeof digest;
  g_hmac_get_digest (hmac, digest, &digest_len);

  return g_base64_encode (digest, digest_len);
}

/* Checks the signed headers of a request to DOKU (Client-Id, Request-Id,
 * Request-Timestamp, Signature); @body NULL for a GET.  FALSE when they do
 * not pass, and the answer is sent */
gboolean
_dossier_sandbox_doku_check_signature (SoupServerMessage *msg,
                                       const char        *body,
                                       gsize              body_len)
{
  const char *client_id = _dossier_sandbox_header (msg, "Client-Id");
  const char *request_id = _dossier_sandbox_header (msg, "Request-Id");
  const char *timestamp = _dossier_sandbox_header (msg, "Request-Timestamp");
  const char *signature = _dossier_sandbox_header (msg, "Signature");
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *expected = NULL;

  if (client_id == NULL || *client_id == '\0')
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Client-Id header is required");
      return FALSE;
    }
  if (request_id == NULL || *request_id == '\0' || strlen (request_id) > 128)
    {
      doku_error (msg, 400, "INVALID_PARAMETER",
                  "Request-Id header is required and must be 1 to 128 characters");
      return FALSE;
    }
  if (timestamp == NULL || *timestamp == '\0')
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Request-Timestamp header is required");
      return FALSE;
    }
  when = g_date_time_new_from_iso8601 (timestamp, NULL);
  if (when == NULL || !g_str_has_suffix (timestamp, "Z"))
    {
      doku_error (msg, 400, "INVALID_PARAMETER",
                  "Request-Timestamp must be ISO8601 in UTC, like 2020-08-11T08:45:42Z");
      return FALSE;
    }
  if (ABS (g_date_time_to_unix (when) - g_get_real_time () / G_USEC_PER_SEC) > DOKU_CLOCK_SKEW)
    {
      doku_error (msg, 400, "INVALID_PARAMETER",
                  "Request-Timestamp is more than 10 minutes away from the server time");
      return FALSE;
    }
  if (g_strcmp0 (client_id, DOSSIER_SANDBOX_DOKU_CLIENT_ID) != 0)
    {
      doku_error (msg, 401, "UNAUTHORIZED", "Unknown Client-Id");
      return FALSE;
    }
  if (signature == NULL || !g_str_has_prefix (signature, "HMACSHA256="))
    {
      doku_error (msg, 401, "INVALID_SIGNATURE", "Signature header must be HMACSHA256=<base64>");
      return FALSE;
    }

  /* Request-Target is the provider's own path, without our /doku prefix
   * and without the query */
  if (g_str_has_prefix (path, "/doku/"))
    path += strlen ("/doku");
  expected = doku_signature (client_id, request_id, timestamp, path, body, body_len);
  if (!g_str_equal (signature + strlen ("HMACSHA256="), expected))
    {
      doku_error (msg, 401, "INVALID_SIGNATURE", "Invalid signature");
      return FALSE;
    }

  return TRUE;
}

void
_dossier_sandbox_doku_token (DossierSandbox        *self,
                             SoupServerMessage     *msg,
                             DossierSandboxRequest *ctx)
{
  const char *client_id = _dossier_sandbox_header (msg, "Client-Id");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *token = NULL;
  JsonObject *obj;
  JsonNode *valid_node;
  const char *body;
  gsize body_len = 0;
  gint64 minutes = 360;
  gint64 now;

  if ((body = _dossier_sandbox_require_raw (msg, ctx, &body_len)) == NULL)
    return;
  if (!_dossier_sandbox_doku_check_signature (msg, body, body_len))
    return;

  now = g_get_real_time () / G_USEC_PER_SEC;
  obj = _dossier_sandbox_parse_json_object (body, body_len, &root);
  if (obj == NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Request body must be a JSON object");
      return;
    }
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "grant_type", ""),
                 "client_credentials") != 0)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "grant_type must be client_credentials");
      return;
    }
  valid_node = json_object_get_member (obj, "valid_time");
  if (valid_node != NULL && !JSON_NODE_HOLDS_NULL (valid_node))
    {
      guint64 n = 0;
      gboolean ok = FALSE;

      if (JSON_NODE_HOLDS_VALUE (valid_node) && json_node_get_value_type (valid_node) == G_TYPE_STRING)
        ok = g_ascii_string_to_unsigned (json_node_get_string (valid_node), 10, 1, 525600, &n, NULL);
      else if (JSON_NODE_HOLDS_VALUE (valid_node) && json_node_get_value_type (valid_node) == G_TYPE_INT64)
        {
          gint64 v = json_node_get_int (valid_node);
          ok = v >= 1 && v <= 525600;
          n = v;
        }
      if (!ok)
        {
          doku_error (msg, 400, "INVALID_PARAMETER",
                      "valid_time must be a number of minutes, as a string, like \"360\"");
          return;
        }
      minutes = n;
    }

  token = doku_make_token (client_id, now, now + minutes * 60);
  g_hash_table_replace (self->doku_tokens, g_strdup (token),
                        g_memdup2 (&(gint64) { now + minutes * 60 }, sizeof (gint64)));

  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "token", token);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}

void
_dossier_sandbox_doku_upload (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx)
{
  const char *token = _dossier_sandbox_bearer_token (msg);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *link = NULL;
  g_autofree char *key = NULL;
  g_autofree char *request_key = NULL;
  g_autoptr(JsonNode) answer = NULL;
  DossierSandboxMultipartPart *file = NULL;
  GPtrArray *parts;
  const char *category;
  const char *code;
  const char *file_url;
  const char *type;
  gint64 now;

  if (g_strcmp0 (token, DOSSIER_SANDBOX_DOKU_TOKEN) != 0 &&
      !_dossier_sandbox_token_valid (self->doku_tokens, token))
    {
      doku_error (msg, 401, "UNAUTHORIZED", "Missing, invalid or expired access token");
      return;
    }

  if ((parts = _dossier_sandbox_require_form (msg, ctx)) == NULL)
    return;

  category = _dossier_sandbox_form_field (parts, "category");
  code = _dossier_sandbox_form_field (parts, "code");
  file_url = _dossier_sandbox_form_field (parts, "file_url");
  if (file_url != NULL && *file_url == '\0')
    file_url = NULL;

  if (category == NULL || *category == '\0')
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "category is required");
      return;
    }
  if (!g_strv_contains (doku_categories, category))
    {
      g_autofree char *m = g_strdup_printf ("category “%s” is not valid; expected one of "
                                            "OWNER_LIVENESS, PHOTO_PROOF, LOGO, DOCUMENT, "
                                            "SERVICE_AGREEMENT, BANK_ACCOUNT", category);
      doku_error (msg, 400, "INVALID_PARAMETER", m);
      return;
    }
  if (g_str_equal (category, "DOCUMENT"))
    {
      if (code == NULL || *code == '\0')
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "code is required when category is DOCUMENT");
          return;
        }
      if (!g_strv_contains (doku_codes, code))
        {
          g_autofree char *m = g_strdup_printf ("code “%s” is not a valid document code", code);
          doku_error (msg, 400, "INVALID_PARAMETER", m);
          return;
        }
    }
  else if (code != NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "code is only allowed when category is DOCUMENT");
      return;
    }

  files = _dossier_sandbox_file_parts (parts, NULL);
  for (guint i = 0; i < files->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (files, i);

      if (g_strcmp0 (part->name, "file") != 0)
        {
          g_autofree char *m = g_strdup_printf ("Unexpected file part “%s”: send the file as “file”",
                                                part->name);
          doku_error (msg, 400, "INVALID_PARAMETER", m);
          return;
        }
      if (file != NULL)
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "Only one file is allowed");
          return;
        }
      file = part;
    }

  if (file != NULL && file_url != NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Send either file or file_url, not both");
      return;
    }
  if (file == NULL && file_url == NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "file or file_url is required");
      return;
    }

  if (file_url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (file_url, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL ||
          (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
          g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "file_url must be an http or https URL");
          return;
        }
    }
  else
    {
      if (file->truncated || file->size > DOKU_MAX_FILE)
        {
          doku_error (msg, 413, "FILE_TOO_LARGE", "file is larger than 15,000,000 bytes");
          return;
        }
      if (file->size == 0)
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "file is empty");
          return;
        }
      type = _dossier_sandbox_sniff_type (file->head, file->head_len);
      if (g_strcmp0 (type, "image/png") != 0 && g_strcmp0 (type, "image/jpeg") != 0)
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "file must be a JPG or PNG image");
          return;
        }
    }

  request_key = _dossier_sandbox_doku_request_key (parts, file);
  if (_dossier_sandbox_doku_replay (self, msg, request_key))
    return;

  now = g_get_real_time ();
  id = g_strdup_printf ("DCM-0001-%013" G_GINT64_FORMAT "%04u",
                        now / 1000, ++self->doku_counter % 10000);
  key = g_strconcat ("doku/", id, NULL);

  if (file != NULL)
    {
      type = _dossier_sandbox_sniff_type (file->head, file->head_len);
      if (!_dossier_sandbox_keep_part (self, file, "doku", id, &error))
        {
          doku_error (msg, 500, "INTERNAL_SERVER_ERROR", error->message);
          return;
        }
      _dossier_sandbox_register_file (self, key, file->path, type, file->filename);
      _dossier_sandbox_record_part (ctx, id, file, type, -1);
    }
  else
    {
      /* nothing is fetched: the link redirects to the given URL */
      _dossier_sandbox_register_file (self, key, NULL, NULL, file_url);
    }

  link = g_strdup_printf ("%s/files/doku/%s?Expires=%" G_GINT64_FORMAT,
                          self->base_url, id, now / G_USEC_PER_SEC + DOKU_LINK_LIFETIME);

  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "id", id);
  _dossier_sandbox_add_string (b, "link", link);
  _dossier_sandbox_add_string (b, "category", category);
  json_builder_end_object (b);
  answer = json_builder_get_root (b);
  _dossier_sandbox_reply_json_node (msg, 200, answer);
  _dossier_sandbox_doku_stored (self, msg, request_key, answer, category, code,
                                file != NULL ? file->filename : file_url);
}
