/* dossier-provider-descriptor.c: reading a provider's JSON descriptor
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every member is checked as it is read; an error names the file, the
 * line and what is wrong.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dossier-client.h"
#include "dossier-field-private.h"
#include "dossier-json.h"
#include "dossier-provider-private.h"

#define read_string _dossier_descriptor_read_string
#define read_bool   _dossier_descriptor_read_bool
#define read_strv   _dossier_descriptor_read_strv
#define fail        _dossier_descriptor_fail
#define check_members(o, known, loc, error) \
  _dossier_descriptor_check_members ((o), (known), locate, (loc), (error))

/* Where things are in the file: json-glib only knows the line while it
 * parses, so remember the line of every member as it goes by. */
typedef struct
{
  const char *source;
  GHashTable *lines;      /* "%p/member" -> line; "%p" -> first line of the object */
  JsonParser *parser;
} Locator;

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *member,
                  Locator    *loc)
{
  guint line = json_parser_get_current_line (parser);
  char *key = g_strdup_printf ("%p", (gpointer)object);

  g_hash_table_insert (loc->lines, g_strdup_printf ("%p/%s", (gpointer)object, member),
                       GUINT_TO_POINTER (line));
  if (!g_hash_table_contains (loc->lines, key))
    g_hash_table_insert (loc->lines, key, GUINT_TO_POINTER (line));
  else
    g_free (key);
}

static char *
locate (JsonObject *object,
        const char *member,
        gpointer    user_data)
{
  Locator *loc = user_data;
  guint line = 0;

  if (member != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%p/%s", (gpointer)object, member);
      line = GPOINTER_TO_UINT (g_hash_table_lookup (loc->lines, key));
    }
  if (line == 0)
    {
      g_autofree char *key = g_strdup_printf ("%p", (gpointer)object);
      line = GPOINTER_TO_UINT (g_hash_table_lookup (loc->lines, key));
    }

  if (line == 0)
    return g_strdup (loc->source);
  return g_strdup_printf ("%s:%u", loc->source, line);
}

static gboolean
read_uint (JsonObject *object,
           const char *member,
           guint64    *out,
           Locator    *loc,
           GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    {
      g_autofree char *msg = g_strdup_printf ("“%s” must be a whole number, 0 or more", member);
      return fail (error, locate, loc, object, member, msg);
    }

  *out = (guint64)json_node_get_int (node);
  return TRUE;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member,
            gboolean    required,
            Locator    *loc,
            GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && !required)
    return NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *msg = g_strdup_printf ("“%s” must be an object", member);
      fail (error, locate, loc, object, node ? member : NULL, msg);
      return NULL;
    }

  return json_node_get_object (node);
}

/* An endpoint path comes from a file anyone may drop in the providers
 * folder: it must not climb out of the base URL's path ("." and ".."
 * segments, also percent-encoded), nor hide a NUL, a slash or a backslash
 * behind percent-encoding. Returns why @path is refused, or NULL. */
static char *
path_problem (const char *member,
              const char *path)
{
  g_auto(GStrv) segments = NULL;

  if (path[0] != '/')
    return g_strdup_printf ("“%s” must start with “/”", member);

  for (const char *p = path; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f)
        return g_strdup_printf ("“%s” must not contain control characters", member);
      if (c == '\\')
        return g_strdup_printf ("“%s” must not contain “\\”", member);
      if (c == '%')
        {
          int high = g_ascii_xdigit_value (p[1]);
          int low = high >= 0 ? g_ascii_xdigit_value (p[2]) : -1;
          guchar decoded;

          if (high < 0 || low < 0)
            return g_strdup_printf ("“%s” has a “%%” that is not followed by two hex digits", member);
          decoded = (guchar) (high * 16 + low);
          if (decoded == 0)
            return g_strdup_printf ("“%s” must not contain “%%00”", member);
          if (decoded < 0x20 || decoded == 0x7f)
            return g_strdup_printf ("“%s” must not contain percent-encoded control characters (“%.3s”)",
                                    member, p);
          if (decoded == '.' || decoded == '/' || decoded == '\\')
            return g_strdup_printf ("“%s” must not contain a percent-encoded dot, slash or backslash (“%.3s”)",
                                    member, p);
          p += 2;
        }
    }

  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (g_str_equal (segments[i], "..") || g_str_equal (segments[i], "."))
      return g_strdup_printf ("“%s” must not contain “%s” segments", member, segments[i]);

  return NULL;
}

/* The same rule for the paths of the "requirements" member */
char *
_dossier_descriptor_path_problem (const char *member,
                                  const char *path)
{
  return path_problem (member, path);
}

static gboolean
check_path (JsonObject *object,
            const char *member,
            const char *path,
            Locator    *loc,
            GError    **error)
{
  g_autofree char *problem = NULL;

  if (path == NULL || (problem = path_problem (member, path)) == NULL)
    return TRUE;

  return fail (error, locate, loc, object, member, problem);
}

static gboolean
parse_environments (DossierProvider *self,
                    JsonObject      *root,
                    Locator         *loc,
                    GError         **error)
{
  static const char * const environment_members[] = { "id", "name", "base_url", "base_url_hint", NULL };
  JsonNode *node = json_object_get_member (root, "environments");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) == 0)
    return fail (error, locate, loc, root, node ? "environments" : NULL,
                 "“environments” must be a non-empty list");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      DossierEnvironment env = { 0 };
      JsonObject *eo;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, locate, loc, root, "environments",
                     "each environment must be an object with “id”, “name” and “base_url”");

      eo = json_node_get_object (element);
      if (!check_members (eo, environment_members, loc, error) ||
          !read_string (eo, "id", TRUE, &env.id, locate, loc, error) ||
          !read_string (eo, "name", TRUE, &env.name, locate, loc, error) ||
          !read_string (eo, "base_url", TRUE, &env.base_url, locate, loc, error) ||
          !read_string (eo, "base_url_hint", FALSE, &env.base_url_hint, locate, loc, error))
        {
          _dossier_provider_environment_clear (&env);
          return FALSE;
        }

      if (dossier_provider_lookup_environment (self, env.id) != NULL)
        {
          g_autofree char *msg = g_strdup_printf ("environment “%s” is listed twice", env.id);
          _dossier_provider_environment_clear (&env);
          return fail (error, locate, loc, eo, "id", msg);
        }

      if (*env.base_url != '\0' && !dossier_provider_is_sandbox_url (env.base_url))
        {
          g_autoptr(GUri) uri = g_uri_parse (env.base_url, G_URI_FLAGS_NONE, NULL);
          g_autoptr(GError) url_error = NULL;

          if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                              g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
            {
              g_autofree char *msg = g_strdup_printf ("“%s” is not an http(s) URL", env.base_url);
              _dossier_provider_environment_clear (&env);
              return fail (error, locate, loc, eo, "base_url", msg);
            }
          /* the rule every request obeys: https, or plain http to loopback */
          if (!dossier_client_check_url (env.base_url, &url_error))
            {
              _dossier_provider_environment_clear (&env);
              return fail (error, locate, loc, eo, "base_url", url_error->message);
            }
        }

      _dossier_translate_in_place (&env.name);
      g_array_append_val (self->environments, env);
    }

  return TRUE;
}

static gboolean
parse_auth (DossierProvider *self,
            JsonObject      *root,
            Locator         *loc,
            GError         **error)
{
  static const char * const schemes[] = { "bearer", "header", "raw", "none", NULL };
  static const char * const auth_members[] = { "scheme", "header", "secret_label", "token", NULL };
  static const char * const token_members[] = {
    "kind", "path", "scope", "client_auth", "client_id_label", "client_secret_label", "valid_minutes", NULL
  };
  static const char * const check_members_[] = { "method", "path", NULL };
  JsonObject *auth = get_object (root, "auth", TRUE, loc, error);
  JsonObject *token;
  JsonObject *check;
  g_autofree char *scheme = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *client_auth = NULL;
  guint64 minutes = 60;
  gboolean found = FALSE;

  if (auth == NULL)
    return FALSE;

  if (!check_members (auth, auth_members, loc, error) ||
      !read_string (auth, "scheme", TRUE, &scheme, locate, loc, error) ||
      !read_string (auth, "header", FALSE, &self->auth.header, locate, loc, error) ||
      !read_string (auth, "secret_label", FALSE, &self->auth.secret_label, locate, loc, error))
    return FALSE;

  for (guint i = 0; schemes[i]; i++)
    if (g_str_equal (scheme, schemes[i]))
      {
        self->auth.scheme = i;
        found = TRUE;
      }
  if (!found)
    {
      g_autofree char *msg = g_strdup_printf ("unknown auth scheme “%s” (expected bearer, header, raw or none)", scheme);
      return fail (error, locate, loc, auth, "scheme", msg);
    }

  if (self->auth.scheme == DOSSIER_AUTH_SCHEME_HEADER && self->auth.header == NULL)
    return fail (error, locate, loc, auth, "scheme", "the “header” scheme needs “header”: the header’s name");

  if (self->auth.secret_label == NULL)
    self->auth.secret_label = g_strdup (self->auth.scheme == DOSSIER_AUTH_SCHEME_HEADER ? N_("API key") : N_("Token"));

  self->auth.token_kind = DOSSIER_TOKEN_KIND_NONE;
  if (!json_object_has_member (auth, "token"))
    goto check;

  if (!(token = get_object (auth, "token", TRUE, loc, error)))
    return FALSE;

  if (!check_members (token, token_members, loc, error) ||
      !read_string (token, "kind", TRUE, &kind, locate, loc, error) ||
      !read_string (token, "path", TRUE, &self->auth.token_path, locate, loc, error) ||
      !read_string (token, "scope", FALSE, &self->auth.token_scope, locate, loc, error) ||
      !read_string (token, "client_auth", FALSE, &client_auth, locate, loc, error) ||
      !read_string (token, "client_id_label", FALSE, &self->auth.client_id_label, locate, loc, error) ||
      !read_string (token, "client_secret_label", FALSE, &self->auth.client_secret_label, locate, loc, error) ||
      !read_uint (token, "valid_minutes", &minutes, loc, error) ||
      !check_path (token, "path", self->auth.token_path, loc, error))
    return FALSE;

  if (g_str_equal (kind, "doku-signature"))
    self->auth.token_kind = DOSSIER_TOKEN_KIND_DOKU_SIGNATURE;
  else if (g_str_equal (kind, "oauth2-client-credentials"))
    self->auth.token_kind = DOSSIER_TOKEN_KIND_OAUTH2_CLIENT_CREDENTIALS;
  else
    {
      g_autofree char *msg = g_strdup_printf ("unknown token kind “%s” (expected doku-signature or oauth2-client-credentials)", kind);
      return fail (error, locate, loc, token, "kind", msg);
    }

  if (client_auth != NULL && !g_str_equal (client_auth, "basic") && !g_str_equal (client_auth, "body"))
    return fail (error, locate, loc, token, "client_auth", "“client_auth” must be basic or body");
  self->auth.client_auth_basic = client_auth == NULL || g_str_equal (client_auth, "basic");
  self->auth.valid_minutes = (guint)MIN (minutes, 60 * 24 * 30);
  if (self->auth.client_id_label == NULL)
    self->auth.client_id_label = g_strdup (N_("Client ID"));
  if (self->auth.client_secret_label == NULL)
    self->auth.client_secret_label = g_strdup (N_("Client secret"));

check:
  _dossier_translate_in_place (&self->auth.secret_label);
  _dossier_translate_in_place (&self->auth.client_id_label);
  _dossier_translate_in_place (&self->auth.client_secret_label);

  if (json_object_has_member (root, "check"))
    {
      if (!(check = get_object (root, "check", TRUE, loc, error)))
        return FALSE;
      if (!check_members (check, check_members_, loc, error) ||
          !read_string (check, "method", TRUE, &self->auth.check_method, locate, loc, error) ||
          !read_string (check, "path", TRUE, &self->auth.check_path, locate, loc, error) ||
          !check_path (check, "path", self->auth.check_path, loc, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_fields (DossierProvider *self,
              JsonObject      *root,
              Locator         *loc,
              GError         **error)
{
  JsonNode *node = json_object_get_member (root, "fields");
  JsonArray *array;
  guint n;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, locate, loc, root, "fields", "“fields” must be a list");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(DossierField) field = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, locate, loc, root, "fields", "each field must be an object");

      field = _dossier_field_new_from_json (json_node_get_object (element), locate, loc, error);
      if (field == NULL)
        return FALSE;

      if (dossier_provider_lookup_field (self, dossier_field_get_name (field)) != NULL)
        {
          g_autofree char *msg = g_strdup_printf ("field “%s” is listed twice", dossier_field_get_name (field));
          return fail (error, locate, loc, json_node_get_object (element), "name", msg);
        }

      g_list_store_append (self->fields, field);
    }

  /* Conditions must name a field that exists */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);
      const char *other = dossier_field_get_condition_field (field);

      if (other != NULL && dossier_provider_lookup_field (self, other) == NULL)
        {
          JsonObject *fo = json_array_get_object_element (array, i);
          g_autofree char *msg = g_strdup_printf ("field “%s” depends on “%s”, which is not a field",
                                                  dossier_field_get_name (field), other);
          return fail (error, locate, loc, fo, "when", msg);
        }
    }

  return TRUE;
}

static gboolean
parse_files (DossierProvider *self,
             JsonObject      *root,
             Locator         *loc,
             GError         **error)
{
  static const char * const members[] = {
    "part", "alternative_field", "extensions", "content_types", "max_size", "max_name_length",
    "per_request", "per_account", NULL
  };
  JsonObject *files = get_object (root, "files", TRUE, loc, error);
  guint64 per_request = 1;
  guint64 per_account = 0;
  guint64 max_name_length = 0;

  if (files == NULL)
    return FALSE;

  if (!check_members (files, members, loc, error) ||
      !read_uint (files, "max_name_length", &max_name_length, loc, error) ||
      !read_string (files, "part", FALSE, &self->files.part, locate, loc, error) ||
      !read_string (files, "alternative_field", FALSE, &self->files.alternative_field, locate, loc, error) ||
      !read_strv (files, "extensions", &self->files.extensions, locate, loc, error) ||
      !read_strv (files, "content_types", &self->files.content_types, locate, loc, error) ||
      !read_uint (files, "max_size", &self->files.max_size, loc, error) ||
      !read_uint (files, "per_request", &per_request, loc, error) ||
      !read_uint (files, "per_account", &per_account, loc, error))
    return FALSE;

  if (self->files.part == NULL)
    self->files.part = g_strdup ("file");
  if (per_request != 1)
    return fail (error, locate, loc, files, "per_request",
                 "only one file per request is supported (“per_request”: 1)");
  self->files.per_request = 1;
  self->files.per_account = (guint)MIN (per_account, G_MAXUINT);
  self->files.max_name_length = (guint)MIN (max_name_length, G_MAXUINT);

  if (self->files.alternative_field != NULL &&
      dossier_provider_lookup_field (self, self->files.alternative_field) == NULL)
    return fail (error, locate, loc, files, "alternative_field",
                 "“alternative_field” must name one of the fields");

  return TRUE;
}

/* "session": {"id": "sessionId", "expires": "expirationDate", ...}: the
 * names the chunked-session flow reads and writes */
static gboolean
parse_session (JsonObject      *flow,
               DossierFlowSpec *spec,
               Locator         *loc,
               GError         **error)
{
  static const char * const members[] = {
    "id", "expires", "total_chunks", "file_name", "file_extension", "file_size", "chunk_number", NULL
  };
  JsonObject *session = get_object (flow, "session", TRUE, loc, error);

  if (session == NULL)
    return FALSE;

  return check_members (session, members, loc, error) &&
         read_string (session, "id", TRUE, &spec->session_id, locate, loc, error) &&
         read_string (session, "expires", FALSE, &spec->session_expires, locate, loc, error) &&
         read_string (session, "total_chunks", TRUE, &spec->total_chunks, locate, loc, error) &&
         read_string (session, "file_name", TRUE, &spec->file_name, locate, loc, error) &&
         read_string (session, "file_extension", FALSE, &spec->file_extension, locate, loc, error) &&
         read_string (session, "file_size", TRUE, &spec->file_size, locate, loc, error) &&
         read_string (session, "chunk_number", TRUE, &spec->chunk_number, locate, loc, error);
}

static gboolean
parse_flow (DossierProvider *self,
            JsonObject      *root,
            Locator         *loc,
            GError         **error)
{
  static const char * const multipart_members[] = { "kind", NULL };
  static const char * const chunked_members[] = {
    "kind", "threshold", "chunk_size", "parallel", "start_path", "chunk_path", "complete_path",
    "session", NULL
  };
  JsonObject *flow = get_object (root, "flow", FALSE, loc, error);
  g_autofree char *kind = NULL;
  guint64 parallel = 2;

  self->flow.kind = DOSSIER_FLOW_KIND_MULTIPART;
  if (flow == NULL)
    return error == NULL || *error == NULL;

  if (!read_string (flow, "kind", TRUE, &kind, locate, loc, error))
    return FALSE;

  if (g_str_equal (kind, "multipart"))
    return check_members (flow, multipart_members, loc, error);

  if (!g_str_equal (kind, "chunked-session"))
    {
      g_autofree char *msg = g_strdup_printf ("unknown flow “%s” (expected multipart or chunked-session)", kind);
      return fail (error, locate, loc, flow, "kind", msg);
    }

  self->flow.kind = DOSSIER_FLOW_KIND_CHUNKED_SESSION;
  if (!check_members (flow, chunked_members, loc, error) ||
      !read_uint (flow, "threshold", &self->flow.threshold, loc, error) ||
      !read_uint (flow, "chunk_size", &self->flow.chunk_size, loc, error) ||
      !read_uint (flow, "parallel", &parallel, loc, error) ||
      !read_string (flow, "start_path", TRUE, &self->flow.start_path, locate, loc, error) ||
      !read_string (flow, "chunk_path", TRUE, &self->flow.chunk_path, locate, loc, error) ||
      !read_string (flow, "complete_path", TRUE, &self->flow.complete_path, locate, loc, error) ||
      !check_path (flow, "start_path", self->flow.start_path, loc, error) ||
      !check_path (flow, "chunk_path", self->flow.chunk_path, loc, error) ||
      !check_path (flow, "complete_path", self->flow.complete_path, loc, error))
    return FALSE;

  if (!parse_session (flow, &self->flow, loc, error))
    return FALSE;

  if (self->flow.chunk_size < 64 * 1024)
    return fail (error, locate, loc, flow, "chunk_size", "“chunk_size” must be at least 65536 bytes");
  self->flow.parallel = (guint)CLAMP (parallel, 1, 8);

  return TRUE;
}

static gboolean
parse_response (DossierProvider *self,
                JsonObject      *root,
                Locator         *loc,
                GError         **error)
{
  static const char * const members[] = {
    "id", "link", "status", "message", "field_errors", "code", "request_id_headers",
    "retry_in_headers", "link_lifetime", NULL
  };
  JsonObject *response = get_object (root, "response", TRUE, loc, error);
  guint64 lifetime = 0;

  if (response == NULL)
    return FALSE;

  if (!check_members (response, members, loc, error) ||
      !read_strv (response, "id", &self->response.id, locate, loc, error) ||
      !read_strv (response, "link", &self->response.link, locate, loc, error) ||
      !read_strv (response, "status", &self->response.status, locate, loc, error) ||
      !read_strv (response, "message", &self->response.message, locate, loc, error) ||
      !read_strv (response, "field_errors", &self->response.field_errors, locate, loc, error) ||
      !read_strv (response, "code", &self->response.code, locate, loc, error) ||
      !read_strv (response, "request_id_headers", &self->response.request_id_headers, locate, loc, error) ||
      !read_strv (response, "retry_in_headers", &self->response.retry_in_headers, locate, loc, error) ||
      !read_uint (response, "link_lifetime", &lifetime, loc, error))
    return FALSE;

  if (self->response.id == NULL || self->response.id[0] == NULL)
    return fail (error, locate, loc, response, "id",
                 "“response” needs “id”: where the remote id is in the answer");

#define ENSURE(x) G_STMT_START { if ((x) == NULL) (x) = g_new0 (char *, 1); } G_STMT_END
  ENSURE (self->response.link);
  ENSURE (self->response.status);
  ENSURE (self->response.message);
  ENSURE (self->response.field_errors);
  ENSURE (self->response.code);
  ENSURE (self->response.request_id_headers);
  ENSURE (self->response.retry_in_headers);
#undef ENSURE

  self->response.link_lifetime = (guint)MIN (lifetime, G_MAXUINT);
  return TRUE;
}

static gboolean
check_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/**
 * dossier_provider_new_from_data:
 * @data: the descriptor's JSON text
 * @length: its length, or -1 if nul-terminated
 * @source: how to name the descriptor in errors (its file name)
 *
 * Parses one provider descriptor. Errors name the file, the line and what
 * is wrong, e.g. "acme.json:14: unknown field type “date”".
 *
 * Returns: (transfer full): the provider, or %NULL with @error set
 */
DossierProvider *
dossier_provider_new_from_data (const char  *data,
                                gssize       length,
                                const char  *source,
                                GError     **error)
{
  g_autoptr(DossierProvider) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) lines = NULL;
  g_autoptr(GError) local_error = NULL;
  Locator loc;
  JsonNode *root_node;
  JsonObject *root;
  guint64 schema = 1;
  static const char * const root_members[] = {
    "schema", "id", "name", "description", "documentation", "environments", "auth", "check",
    "endpoint", "fields", "files", "flow", "response", "requirements", NULL
  };
  static const char * const endpoint_members[] = { "method", "path", NULL };

  g_return_val_if_fail (data != NULL, NULL);

  if (source == NULL)
    source = "descriptor";

  lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  parser = json_parser_new_immutable ();
  loc.source = source;
  loc.lines = lines;
  loc.parser = parser;
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &loc);

  if (!dossier_json_load (parser, data, length, DOSSIER_PROVIDER_MAX_SIZE, &local_error))
    {
      /* json-glib's message already reads "<data>:LINE:COL: Parse error: …" */
      const char *msg = local_error->message;

      if (local_error->domain == DOSSIER_JSON_ERROR)
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR, "%s: %s", source, msg);
      else
        {
          if (g_str_has_prefix (msg, "<data>:"))
            msg += strlen ("<data>:");
          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR, "%s:%s", source, msg);
        }
      return NULL;
    }

  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR,
                   "%s:1: a descriptor must be a JSON object", source);
      return NULL;
    }
  root = json_node_get_object (root_node);

  self = g_object_new (DOSSIER_TYPE_PROVIDER, NULL);
  self->source = g_strdup (source);

  if (!check_members (root, root_members, &loc, error) ||
      !read_uint (root, "schema", &schema, &loc, error))
    return NULL;
  if (schema != 1)
    {
      fail (error, locate, &loc, root, "schema", "unsupported “schema” version (this Dossier reads 1)");
      return NULL;
    }

  if (!read_string (root, "id", TRUE, &self->id, locate, &loc, error) ||
      !read_string (root, "name", TRUE, &self->name, locate, &loc, error) ||
      !read_string (root, "description", FALSE, &self->description, locate, &loc, error) ||
      !read_string (root, "documentation", FALSE, &self->documentation, locate, &loc, error))
    return NULL;

  if (!check_id (self->id))
    {
      fail (error, locate, &loc, root, "id", "“id” may only contain letters, digits, “-”, “_” and “.”");
      return NULL;
    }

  if (self->description == NULL)
    self->description = g_strdup ("");
  _dossier_translate_in_place (&self->description);

  {
    JsonObject *endpoint = get_object (root, "endpoint", TRUE, &loc, error);

    if (endpoint == NULL ||
        !check_members (endpoint, endpoint_members, &loc, error) ||
        !read_string (endpoint, "method", FALSE, &self->method, locate, &loc, error) ||
        !read_string (endpoint, "path", TRUE, &self->path, locate, &loc, error))
      return NULL;
    if (self->method == NULL)
      self->method = g_strdup ("POST");
    if (!check_path (endpoint, "path", self->path, &loc, error))
      return NULL;
  }

  if (!parse_environments (self, root, &loc, error) ||
      !parse_auth (self, root, &loc, error) ||
      !parse_fields (self, root, &loc, error) ||
      !parse_files (self, root, &loc, error) ||
      !parse_flow (self, root, &loc, error) ||
      !parse_response (self, root, &loc, error) ||
      !_dossier_provider_parse_requirements (self, root, locate, &loc, error))
    return NULL;

  return g_steal_pointer (&self);
}
