/* dossier-sandbox-moov.c: Moov's OAuth2 token and account files, emulated
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

typedef struct
{
  char   *scope;
  gint64  expires;
} MoovToken;

void
_dossier_sandbox_moov_token_free (gpointer data)
{
  MoovToken *token = data;

  g_free (token->scope);
  g_free (token);
}

static const char * const moov_purposes[] = {
  "business_verification", "representative_verification", "individual_verification",
  "merchant_underwriting", "account_requirement", "identity_verification", NULL
};

static const char * const moov_metadata_keys[] = {
  "representative_id", "comment", "requirement_id", "error_code", NULL
};

void
_dossier_sandbox_moov_token (DossierSandbox        *self,
                             SoupServerMessage     *msg,
                             DossierSandboxRequest *ctx)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *basic_user = NULL;
  g_autofree char *basic_password = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  const char *content_type = _dossier_sandbox_header (msg, "Content-Type");
  const char *grant = NULL;
  const char *client_id = NULL;
  const char *client_secret = NULL;
  const char *scope = NULL;
  const char *body;
  MoovToken *token;
  gsize len;

  if ((body = _dossier_sandbox_require_raw (msg, ctx, &len)) == NULL)
    return;

  if (content_type != NULL && g_str_has_prefix (content_type, "application/json"))
    {
      JsonObject *obj = _dossier_sandbox_parse_json_object (body, len, &root);

      if (obj == NULL)
        {
          _dossier_sandbox_reply_error (msg, "moov", 400, NULL, "invalid_request");
          return;
        }
      grant = _dossier_sandbox_json_get_string (obj, "grant_type");
      client_id = _dossier_sandbox_json_get_string (obj, "client_id");
      client_secret = _dossier_sandbox_json_get_string (obj, "client_secret");
      scope = _dossier_sandbox_json_get_string (obj, "scope");
    }
  else
    {
      form = soup_form_decode (body);
      grant = g_hash_table_lookup (form, "grant_type");
      client_id = g_hash_table_lookup (form, "client_id");
      client_secret = g_hash_table_lookup (form, "client_secret");
      scope = g_hash_table_lookup (form, "scope");
    }

  if (_dossier_sandbox_parse_basic_auth (_dossier_sandbox_header (msg, "Authorization"),
                                         &basic_user, &basic_password))
    {
      client_id = basic_user;
      client_secret = basic_password;
    }

  if (g_strcmp0 (grant, "client_credentials") != 0)
    {
      _dossier_sandbox_reply_error (msg, "moov", 400, NULL, "invalid_request");
      return;
    }
  if (g_strcmp0 (client_id, DOSSIER_SANDBOX_MOOV_CLIENT_ID) != 0 ||
      g_strcmp0 (client_secret, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET) != 0)
    {
      _dossier_sandbox_reply_error (msg, "moov", 401, NULL, "invalid_client");
      return;
    }
  if (scope == NULL || *scope == '\0')
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      _dossier_sandbox_add_string (b, "scope", "scope is required");
      json_builder_end_object (b);
      _dossier_sandbox_reply_builder (msg, 422, b);
      return;
    }

  access = _dossier_sandbox_random_token ();
  refresh = _dossier_sandbox_random_token ();
  token = g_new0 (MoovToken, 1);
  token->scope = g_strdup (scope);
  token->expires = g_get_real_time () / G_USEC_PER_SEC + MOOV_TOKEN_LIFETIME;
  g_hash_table_replace (self->moov_tokens, g_strdup (access), token);

  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "token_type", "Bearer");
  _dossier_sandbox_add_string (b, "access_token", access);
  _dossier_sandbox_add_string (b, "refresh_token", refresh);
  _dossier_sandbox_add_int (b, "expires_in", MOOV_TOKEN_LIFETIME);
  _dossier_sandbox_add_string (b, "scope", scope);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}

/* 0 when allowed, else 401 or 403; @scope is the resource and permission
 * the token's scope must name, "files.read" for /accounts/ID/files.read */
static guint
moov_check_auth (DossierSandbox    *self,
                 SoupServerMessage *msg,
                 const char        *account,
                 const char        *scope)
{
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *wanted = NULL;
  g_auto(GStrv) scopes = NULL;
  const char *bearer = _dossier_sandbox_bearer_token (msg);
  MoovToken *token;

  /* Moov's API keys: HTTP Basic with the public and private key */
  if (_dossier_sandbox_parse_basic_auth (_dossier_sandbox_header (msg, "Authorization"), &user, &password))
    return g_strcmp0 (user, DOSSIER_SANDBOX_MOOV_CLIENT_ID) == 0 &&
           g_strcmp0 (password, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET) == 0 ? 0 : 401;

  if (bearer == NULL)
    return 401;
  if (g_str_equal (bearer, DOSSIER_SANDBOX_MOOV_TOKEN))
    return 0;

  token = g_hash_table_lookup (self->moov_tokens, bearer);
  if (token == NULL || token->expires <= g_get_real_time () / G_USEC_PER_SEC)
    return 401;

  wanted = g_strdup_printf ("/accounts/%s/%s", account, scope);
  scopes = g_strsplit_set (token->scope, " ", -1);

  return g_strv_contains ((const char * const *) scopes, wanted) ? 0 : 403;
}

/* Whether the request may touch @account with @scope ("files.write",
 * "capabilities.read"...); if not, the answer is sent: 401 or 403 without a
 * body, 404 for an account that does not exist (any UUID but the nil one
 * is an account), with a body when @say_404 */
gboolean
_dossier_sandbox_moov_authorize (DossierSandbox    *self,
                                 SoupServerMessage *msg,
                                 const char        *account,
                                 const char        *scope,
                                 gboolean           say_404)
{
  guint status;

  if ((status = moov_check_auth (self, msg, account, scope)) != 0)
    {
      _dossier_sandbox_reply_empty (msg, status);
      return FALSE;
    }

  if (g_uuid_string_is_valid (account) && g_ascii_strcasecmp (account, MOOV_NIL_ACCOUNT) != 0)
    return TRUE;

  if (say_404)
    _dossier_sandbox_reply_error (msg, "moov", 404, NULL, "account not found");
  else
    _dossier_sandbox_reply_empty (msg, 404);
  return FALSE;
}

static gboolean
moov_version_valid (const char *v)
{
  if (g_strcmp0 (v, "latest") == 0)
    return TRUE;
  if (strlen (v) != 11 || v[0] != 'v' || v[5] != '.' || v[8] != '.')
    return FALSE;
  for (guint i = 1; i < 11; i++)
    if (i != 5 && i != 8 && !g_ascii_isdigit (v[i]))
      return FALSE;

  return TRUE;
}

static gboolean
moov_metadata_valid (const char  *text,
                     char       **problem)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *obj = _dossier_sandbox_parse_json_object (text, strlen (text), &root);

  if (obj == NULL)
    {
      *problem = g_strdup ("metadata must be a JSON object encoded as a string");
      return FALSE;
    }

  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (obj, l->data);

      if (!g_strv_contains (moov_metadata_keys, l->data))
        {
          *problem = g_strdup_printf ("metadata key “%s” is not allowed; allowed keys: "
                                      "representative_id, comment, requirement_id, error_code",
                                      (const char *) l->data);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          *problem = g_strdup_printf ("metadata value for “%s” must be a string",
                                      (const char *) l->data);
          return FALSE;
        }
    }

  return TRUE;
}

void
_dossier_sandbox_moov_upload (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx)
{
  const char *account = g_ptr_array_index (ctx->params, 0);
  const char *version = _dossier_sandbox_header (msg, "X-Moov-Version");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *file_problem = NULL;
  g_autofree char *purpose_problem = NULL;
  g_autofree char *metadata_problem = NULL;
  g_autofree char *file_id = NULL;
  g_autofree char *created = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  DossierSandboxMultipartPart *file = NULL;
  DossierSandboxMoovAccount *state;
  GPtrArray *parts;
  const char *purpose;
  const char *metadata;
  const char *type = NULL;
  JsonNode *details;

  if (!_dossier_sandbox_moov_authorize (self, msg, account, "files.write", TRUE))
    return;
  if (version != NULL && !moov_version_valid (version))
    {
      _dossier_sandbox_reply_error (msg, "moov", 400, NULL,
                                    "X-Moov-Version must look like v2024.01.00 or be latest");
      return;
    }
  if ((parts = _dossier_sandbox_require_form (msg, ctx)) == NULL)
    return;

  files = _dossier_sandbox_file_parts (parts, "file");
  file = files->len > 0 ? g_ptr_array_index (files, 0) : NULL;
  if (file == NULL)
    file_problem = g_strdup ("file is required");
  else if (files->len > 1)
    file_problem = g_strdup ("only one file may be uploaded per request");
  else if (file->truncated || file->size > MOOV_MAX_FILE)
    file_problem = g_strdup ("file is larger than the 20MB limit");
  else if (file->size == 0)
    file_problem = g_strdup ("file is empty");
  else
    {
      type = _dossier_sandbox_sniff_type (file->head, file->head_len);
      if (g_strcmp0 (type, "image/png") != 0 && g_strcmp0 (type, "image/jpeg") != 0 &&
          g_strcmp0 (type, "application/pdf") != 0)
        type = file->is_text ? "text/csv" : NULL;
      if (type == NULL)
        file_problem = g_strdup ("file must be a csv, jpg, pdf or png file");
    }

  purpose = _dossier_sandbox_form_field (parts, "filePurpose");
  if (purpose == NULL || *purpose == '\0')
    purpose_problem = g_strdup ("filePurpose is required");
  else if (!g_strv_contains (moov_purposes, purpose))
    purpose_problem = g_strdup ("filePurpose must be one of business_verification, "
                                "representative_verification, individual_verification, "
                                "merchant_underwriting, account_requirement, identity_verification");

  metadata = _dossier_sandbox_form_field (parts, "metadata");
  if (metadata != NULL && *metadata == '\0')
    metadata = NULL;
  if (metadata != NULL)
    moov_metadata_valid (metadata, &metadata_problem);

  if (file_problem != NULL || purpose_problem != NULL || metadata_problem != NULL)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      _dossier_sandbox_add_string (b, "error", "the file upload request is invalid");
      if (file_problem != NULL)
        {
          _dossier_sandbox_add_string (b, "file", file_problem);
        }
      if (purpose_problem != NULL)
        {
          _dossier_sandbox_add_string (b, "filePurpose", purpose_problem);
        }
      if (metadata_problem != NULL)
        {
          _dossier_sandbox_add_string (b, "metadata", metadata_problem);
        }
      json_builder_end_object (b);
      _dossier_sandbox_reply_builder (msg, 422, b);
      return;
    }

  state = _dossier_sandbox_moov_account (self, account);
  if (state->files->len >= MOOV_MAX_FILES)
    {
      g_autofree char *m = g_strdup_printf ("account %s already has the maximum of %d files",
                                            account, MOOV_MAX_FILES);
      _dossier_sandbox_reply_error (msg, "moov", 409, NULL, m);
      return;
    }

  file_id = g_uuid_string_random ();
  if (!_dossier_sandbox_keep_part (self, file, "moov", file_id, &error))
    {
      _dossier_sandbox_reply_error (msg, "moov", 500, NULL, error->message);
      return;
    }
  key = g_strconcat ("moov/", file_id, NULL);
  _dossier_sandbox_register_file (self, key, file->path, type, file->filename);

  name = g_utf8_validate (file->filename, -1, NULL)
    ? g_utf8_substring (file->filename, 0, MIN (64, g_utf8_strlen (file->filename, -1)))
    : g_strndup (file->filename, 64);
  created = _dossier_sandbox_now_iso8601 (0, FALSE);

  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "fileID", file_id);
  _dossier_sandbox_add_string (b, "fileName", name);
  _dossier_sandbox_add_string (b, "accountID", account);
  _dossier_sandbox_add_string (b, "filePurpose", purpose);
  _dossier_sandbox_add_string (b, "fileStatus", "pending");
  _dossier_sandbox_add_string (b, "metadata", metadata ? metadata : "{}");
  _dossier_sandbox_add_int (b, "fileSizeBytes", file->size);
  _dossier_sandbox_add_string (b, "createdOn", created);
  _dossier_sandbox_add_string (b, "updatedOn", created);
  json_builder_end_object (b);
  details = json_builder_get_root (b);
  g_ptr_array_add (state->files, details);

  _dossier_sandbox_record_part (ctx, file_id, file, type, -1);

  /* Moov answers "pending"; the review that follows changes the record */
  _dossier_sandbox_reply_json_node (msg, 200, details);
  _dossier_sandbox_moov_file_arrived (self, state, details);
  _dossier_sandbox_review_later (self, "moov", file_id);
}

void
_dossier_sandbox_moov_list (DossierSandbox        *self,
                            SoupServerMessage     *msg,
                            DossierSandboxRequest *ctx)
{
  const char *account = g_ptr_array_index (ctx->params, 0);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  DossierSandboxMoovAccount *state;

  if (!_dossier_sandbox_moov_authorize (self, msg, account, "files.read", FALSE))
    return;

  state = _dossier_sandbox_moov_account (self, account);
  for (guint i = 0; i < state->files->len; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (state->files, i)));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  _dossier_sandbox_reply_json_node (msg, 200, node);
}
