/* dossier-sandbox-receeve.c: receeve's token and file upload, emulated
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

void
_dossier_sandbox_receeve_token (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *access = NULL;
  const char *body;
  gsize len;

  if ((body = _dossier_sandbox_require_raw (msg, ctx, &len)) == NULL)
    return;

  if (!_dossier_sandbox_parse_basic_auth (_dossier_sandbox_header (msg, "Authorization"), &user, &password) ||
      g_strcmp0 (user, DOSSIER_SANDBOX_RECEEVE_CLIENT_ID) != 0 ||
      g_strcmp0 (password, DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET) != 0)
    {
      _dossier_sandbox_reply_error (msg, "receeve", 401, NULL, "Invalid client credentials");
      return;
    }

  form = soup_form_decode (body);
  if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0)
    {
      _dossier_sandbox_reply_error (msg, "receeve", 400, NULL, "grant_type must be client_credentials");
      return;
    }

  access = _dossier_sandbox_random_token ();
  g_hash_table_replace (self->receeve_tokens, g_strdup (access),
                        g_memdup2 (&(gint64) { g_get_real_time () / G_USEC_PER_SEC + RECEEVE_TOKEN_LIFETIME },
                                   sizeof (gint64)));

  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "access_token", access);
  _dossier_sandbox_add_int (b, "expires_in", RECEEVE_TOKEN_LIFETIME);
  _dossier_sandbox_add_string (b, "token_type", "Bearer");
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}

void
_dossier_sandbox_receeve_upload (DossierSandbox        *self,
                                 SoupServerMessage     *msg,
                                 DossierSandboxRequest *ctx)
{
  const char *auth = _dossier_sandbox_header (msg, "Authorization");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *file_id = NULL;
  g_autofree char *link = NULL;
  g_autofree char *key = NULL;
  DossierSandboxMultipartPart *file = NULL;
  GPtrArray *parts;
  const char *account;
  const char *document_type;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      _dossier_sandbox_reply_error (msg, "receeve", 401, NULL,
                                    "Send the raw access token in Authorization, without 'Bearer'");
      return;
    }
  if (g_strcmp0 (auth, DOSSIER_SANDBOX_RECEEVE_TOKEN) != 0 &&
      !_dossier_sandbox_token_valid (self->receeve_tokens, auth))
    {
      _dossier_sandbox_reply_error (msg, "receeve", 401, NULL, "Unauthorized");
      return;
    }
  if ((parts = _dossier_sandbox_require_form (msg, ctx)) == NULL)
    return;

  account = _dossier_sandbox_form_field (parts, "accountId");
  if (account == NULL || *account == '\0')
    {
      _dossier_sandbox_reply_error (msg, "receeve", 400, NULL, "accountId is required");
      return;
    }
  files = _dossier_sandbox_file_parts (parts, NULL);
  if (files->len > 1)
    {
      _dossier_sandbox_reply_error (msg, "receeve", 400, NULL, "Only one file per request");
      return;
    }
  if (files->len == 0)
    {
      _dossier_sandbox_reply_error (msg, "receeve", 400, NULL, "file is required");
      return;
    }
  file = g_ptr_array_index (files, 0);

  /* documented: any other type uploads the file without a type */
  document_type = _dossier_sandbox_form_field (parts, "documentType");
  if (document_type != NULL &&
      !g_str_equal (document_type, "Invoice") && !g_str_equal (document_type, "CSV") &&
      !g_str_equal (document_type, "Document"))
    document_type = NULL;

  file_id = g_uuid_string_random ();
  if (!_dossier_sandbox_keep_part (self, file, "receeve", file_id, &error))
    {
      _dossier_sandbox_reply_error (msg, "receeve", 500, NULL, error->message);
      return;
    }
  key = g_strconcat ("receeve/", file_id, NULL);
  _dossier_sandbox_register_file (self, key, file->path, _dossier_sandbox_part_content_type (file),
                                  file->filename);
  _dossier_sandbox_record_part (ctx, file_id, file, _dossier_sandbox_part_content_type (file), -1);

  link = g_strdup_printf ("%s/files/receeve/%s", self->base_url, file_id);
  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "fileId", file_id);
  _dossier_sandbox_add_string (b, "fileName", file->filename);
  _dossier_sandbox_add_string (b, "accountId", account);
  json_builder_set_member_name (b, "documentType");
  if (document_type != NULL)
    json_builder_add_string_value (b, document_type);
  else
    json_builder_add_null_value (b);
  _dossier_sandbox_add_string (b, "link", link);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}
