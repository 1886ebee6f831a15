/* dossier-auth-token-request.c: requesting a token: DOKU's signed token request, OAuth2 client credentials
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dossier-auth-private.h"
#include "dossier-client.h"
#include "dossier-json-private.h"
#include "dossier-result-private.h"
#include "dossier-util.h"

/* 9999-12-31T23:59:59Z: no token lives longer */
#define LAST_EXPIRY          G_GINT64_CONSTANT (253402300799)
#define DEFAULT_TOKEN_LIFE   (5 * 60)          /* seconds */

/* "Client ID (Brand ID, BRN-…)" → "Client ID": the short name for sentences */
static char *
short_label (const char *label)
{
  const char *paren = strstr (label, " (");

  return paren != NULL && paren != label ? g_strndup (label, paren - label) : g_strdup (label);
}

/* ------------------------------------------------------------------------ */
/* pure parsing                                                              */

static guchar *
base64url_decode (const char *text,
                  gsize       length,
                  gsize      *out_len)
{
  g_autoptr(GString) s = g_string_new_len (text, length);

  for (gsize i = 0; i < s->len; i++)
    {
      if (s->str[i] == '-')
        s->str[i] = '+';
      else if (s->str[i] == '_')
        s->str[i] = '/';
      else if (!g_ascii_isalnum (s->str[i]) && s->str[i] != '+' && s->str[i] != '/' && s->str[i] != '=')
        return NULL;
    }
  while (s->len % 4 != 0)
    g_string_append_c (s, '=');

  return g_base64_decode (s->str, out_len);
}

gint64
dossier_auth_parse_jwt_expiry (const char *jwt)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree guchar *payload = NULL;
  const char *dot1;
  const char *dot2;
  JsonNode *root;
  JsonNode *exp;
  gsize len = 0;

  if (jwt == NULL || (dot1 = strchr (jwt, '.')) == NULL ||
      (dot2 = strchr (dot1 + 1, '.')) == NULL || dot2 == dot1 + 1)
    return 0;

  payload = base64url_decode (dot1 + 1, dot2 - dot1 - 1, &len);
  if (payload == NULL || len == 0)
    return 0;

  parser = json_parser_new ();
  if (!dossier_json_load (parser, (const char *) payload, len, 0, NULL))
    return 0;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  exp = json_object_get_member (json_node_get_object (root), "exp");
  if (exp == NULL || !JSON_NODE_HOLDS_VALUE (exp))
    return 0;

  /* a time past the year 9999 is no usable expiry (and a double that
   * large does not fit a gint64: converting it is undefined) */
  switch (json_node_get_value_type (exp))
    {
    case G_TYPE_INT64:
      return json_node_get_int (exp) > 0 && json_node_get_int (exp) <= LAST_EXPIRY
             ? json_node_get_int (exp) : 0;
    case G_TYPE_DOUBLE:
      return json_node_get_double (exp) > 0 && json_node_get_double (exp) <= (double) LAST_EXPIRY
             ? (gint64) json_node_get_double (exp) : 0;
    default:
      return 0;
    }
}

gint64
dossier_auth_parse_expires_in (JsonNode *expires_in,
                               gint64    now)
{
  double value = -1;

  if (expires_in != NULL && JSON_NODE_HOLDS_VALUE (expires_in))
    {
      GType type = json_node_get_value_type (expires_in);

      if (type == G_TYPE_INT64)
        value = json_node_get_int (expires_in);
      else if (type == G_TYPE_DOUBLE)
        value = json_node_get_double (expires_in);
      else if (type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (expires_in);
          char *end = NULL;

          value = g_ascii_strtod (text, &end);
          if (end == text || *end != '\0')
            value = -1;
        }
    }

  /* !(value > 0) also catches NaN ("nan" as a string), whose conversion
   * to an integer is undefined */
  if (!(value > 0) || value > (double) LAST_EXPIRY)
    return now + DEFAULT_TOKEN_LIFE;
  /* Moov's specification calls expires_in a Unix timestamp, its older
   * examples and everyone else a number of seconds */
  if (value > 1e9)
    return (gint64) value;
  return now + (gint64) value;
}

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  const char *value = _dossier_json_get_string (obj, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* ------------------------------------------------------------------------ */
/* DOKU signature                                                            */

/* DOKU's non-SNAP signature: HMAC-SHA256 over "Client-Id:…\nRequest-Id:…\n
 * Request-Timestamp:…\nRequest-Target:…", followed by "\nDigest:<base64
 * SHA-256 of the body>" for a POST only: DOKU's "Signature from API Get
 * Method" leaves the Digest line out of a GET's string */
static char *
doku_sign (const char *client_id,
           const char *request_id,
           const char *timestamp,
           const char *request_target,
           gboolean    with_digest,
           const char *body,
           gsize       body_length,
           const char *secret_key)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autoptr(GString) to_sign = g_string_new (NULL);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_string_printf (to_sign, "Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\nRequest-Target:%s",
                   client_id, request_id, timestamp, request_target);
  if (with_digest)
    {
      g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree char *digest_b64 = NULL;

      g_checksum_update (sha, (const guchar *) (body ? body : ""), body_length);
      g_checksum_get_digest (sha, digest, &digest_len);
      digest_b64 = g_base64_encode (digest, digest_len);
      g_string_append_printf (to_sign, "\nDigest:%s", digest_b64);
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret_key, strlen (secret_key));
  g_hmac_update (hmac, (const guchar *) to_sign->str, to_sign->len);
  digest_len = sizeof digest;
  g_hmac_get_digest (hmac, digest, &digest_len);

  memset (to_sign->str, 0, to_sign->len);

  return g_base64_encode (digest, digest_len);
}

char *
dossier_auth_doku_signature (const char *client_id,
                             const char *request_id,
                             const char *timestamp,
                             const char *request_target,
                             const char *body,
                             gsize       body_length,
                             const char *secret_key)
{
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (request_id != NULL, NULL);
  g_return_val_if_fail (timestamp != NULL, NULL);
  g_return_val_if_fail (request_target != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_length == 0, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  return doku_sign (client_id, request_id, timestamp, request_target, TRUE, body, body_length, secret_key);
}

/**
 * dossier_auth_doku_signature_get:
 * @request_target: the path of the request, without the base URL's prefix
 *   and without the query (DOKU's GET sample signs the path only)
 *
 * The signature of a GET (File Requirements, Get Business Data): no body,
 * so no Digest line in the signed string.
 */
char *
dossier_auth_doku_signature_get (const char *client_id,
                                 const char *request_id,
                                 const char *timestamp,
                                 const char *request_target,
                                 const char *secret_key)
{
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (request_id != NULL, NULL);
  g_return_val_if_fail (timestamp != NULL, NULL);
  g_return_val_if_fail (request_target != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  return doku_sign (client_id, request_id, timestamp, request_target, FALSE, NULL, 0, secret_key);
}

/**
 * dossier_auth_doku_sign_get:
 * @msg: a GET to one of DOKU's signed endpoints
 * @request_target: the path to sign (see dossier_auth_doku_signature_get())
 *
 * Sets Client-Id, Request-Id (a new UUID), Request-Timestamp (now, UTC)
 * and Signature on @msg.
 */
void
dossier_auth_doku_sign_get (SoupMessage *msg,
                            const char  *client_id,
                            const char  *secret_key,
                            const char  *request_target)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *request_id = g_uuid_string_random ();
  g_autofree char *timestamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *signature = dossier_auth_doku_signature_get (client_id, request_id, timestamp,
                                                                request_target, secret_key);
  g_autofree char *value = g_strconcat ("HMACSHA256=", signature, NULL);

  soup_message_headers_replace (headers, "Client-Id", client_id);
  soup_message_headers_replace (headers, "Request-Id", request_id);
  soup_message_headers_replace (headers, "Request-Timestamp", timestamp);
  soup_message_headers_replace (headers, "Signature", value);
  soup_message_headers_replace (headers, "Accept", "application/json");
}

void
_dossier_auth_fetch_free (DossierAuthFetch *fetch)
{
  g_assert (fetch->waiters == NULL);

  if (fetch->buffer != NULL)
    {
      memset (fetch->buffer, 0, DOSSIER_AUTH_RESPONSE_MAX + 1);
      g_free (fetch->buffer);
    }
  g_clear_pointer (&fetch->deadline, dossier_source_clear);
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->auth);
  g_free (fetch->key);
  g_free (fetch);
}

static void
fetch_fail_http (DossierAuthFetch *fetch,
                 guint             status,
                 gsize             length)
{
  DossierAuth *self = fetch->auth;
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  const char *name = dossier_provider_get_name (self->provider);
  g_autofree char *message = _dossier_auth_provider_message (self, fetch->buffer, length, NULL);
  g_autoptr(GError) error = NULL;

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      g_autofree char *id_label = short_label (auth->client_id_label);
      g_autofree char *secret_label = short_label (auth->client_secret_label);

      if (message != NULL)
        /* Translators: "DOKU refused the Client ID or Secret key (401: Invalid signature)" */
        error = g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                             _("%s refused the %s or %s (%u: %s)"),
                             name, id_label, secret_label, status, message);
      else
        error = g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                             _("%s refused the %s or %s (%u)"),
                             name, id_label, secret_label, status);
    }
  else
    {
      /* Busy or broken servers are worth another try, refusals are not */
      int code = status >= 500 || status == 429 || status == 408 ? DOSSIER_ERROR_HTTP : DOSSIER_ERROR_AUTH;

      if (message != NULL)
        /* Translators: "Could not get a token from Moov (400: invalid_request)" */
        error = g_error_new (DOSSIER_ERROR, code, _("Could not get a token from %s (%u: %s)"),
                             name, status, message);
      else
        {
          g_autofree char *phrase = dossier_result_describe_status (status, NULL, NULL);

          error = g_error_new (DOSSIER_ERROR, code, _("Could not get a token from %s (%u %s)"),
                               name, status, phrase);
        }
    }

  _dossier_auth_fetch_complete (fetch, NULL, error);
}

static void
fetch_fail_protocol (DossierAuthFetch *fetch,
                     const char       *why)
{
  g_autoptr(GError) error = NULL;

  /* Translators: "Could not get a token from Moov: the answer has no token" */
  error = g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, _("Could not get a token from %s: %s"),
                       dossier_provider_get_name (fetch->auth->provider), why);
  _dossier_auth_fetch_complete (fetch, NULL, error);
}

static void
fetch_fail_network (DossierAuthFetch *fetch,
                    GError           *error)
{
  g_autoptr(GError) wrapped = NULL;

  if (fetch->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      /* Translators: "Could not get a token from Moov: it answered too slowly" */
      wrapped = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("Could not get a token from %s: it answered too slowly"),
                             dossier_provider_get_name (fetch->auth->provider));
      _dossier_auth_fetch_complete (fetch, NULL, wrapped);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _dossier_auth_fetch_complete (fetch, NULL, error);
      return;
    }

  wrapped = g_error_new (error->domain, error->code, _("Could not get a token from %s: %s"),
                         dossier_provider_get_name (fetch->auth->provider), error->message);
  _dossier_auth_fetch_complete (fetch, NULL, wrapped);
}

static void
fetch_parse (DossierAuthFetch *fetch,
             gsize             length)
{
  DossierAuth *self = fetch->auth;
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  DossierAuthToken token = { NULL, 0, 0, TRUE };
  const char *value;
  JsonObject *obj;
  JsonNode *root;
  gint64 now = _dossier_auth_now ();

  if (!dossier_json_load (parser, (const char *) fetch->buffer, length, 0, &parse_error) &&
      g_error_matches (parse_error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_TOO_DEEP))
    {
      g_autofree char *why = g_strdup_printf (_("the answer is nested too deeply (over %u levels)"),
                                              DOSSIER_JSON_MAX_DEPTH);
      fetch_fail_protocol (fetch, why);
      return;
    }
  if (parse_error != NULL ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fetch_fail_protocol (fetch, _("the answer is not JSON"));
      return;
    }
  obj = json_node_get_object (root);

  if (auth->token_kind == DOSSIER_TOKEN_KIND_DOKU_SIGNATURE)
    {
      value = string_member (obj, "token");
      if (value != NULL)
        {
          token.expires = dossier_auth_parse_jwt_expiry (value);
          if (token.expires <= now)
            token.expires = now + (gint64) MAX (auth->valid_minutes, 1) * 60;
        }
    }
  else
    {
      value = string_member (obj, "access_token");
      token.expires = dossier_auth_parse_expires_in (json_object_get_member (obj, "expires_in"), now);
    }

  if (value == NULL)
    {
      fetch_fail_protocol (fetch, _("the answer has no token"));
      return;
    }

  token.value = (char *) value;
  token.obtained = now;
  _dossier_auth_fetch_complete (fetch, &token, NULL);
}

static void
fetch_answered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DossierAuthFetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  guint status;

  fetch->buffer = _dossier_auth_send_finish (fetch->auth, result, &length, &error);
  if (fetch->buffer == NULL)
    {
      fetch_fail_network (fetch, error);
      return;
    }

  status = soup_message_get_status (fetch->msg);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_autoptr(GError) redirect = NULL;

      /* never followed: the credentials go nowhere else */
      redirect = dossier_client_redirect_error (fetch->msg,
                                                dossier_provider_get_name (fetch->auth->provider),
                                                TRUE);
      _dossier_auth_fetch_complete (fetch, NULL, redirect);
      return;
    }

  if (length > DOSSIER_AUTH_RESPONSE_MAX)
    {
      if (SOUP_STATUS_IS_SUCCESSFUL (status))
        fetch_fail_protocol (fetch, _("the answer is too large"));
      else
        fetch_fail_http (fetch, status, 0);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    fetch_fail_http (fetch, status, length);
  else
    fetch_parse (fetch, length);
}

static char *
utc_timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static void
prepare_doku_request (DossierAuth *self,
                      SoupMessage *msg)
{
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  const char *client_id = dossier_credentials_get_client_id (self->credentials);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *request_id = g_uuid_string_random ();
  g_autofree char *timestamp = utc_timestamp ();
  g_autofree char *body = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *signature_header = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  body = g_strdup_printf ("{\"grant_type\":\"client_credentials\",\"valid_time\":\"%u\"}",
                          MAX (auth->valid_minutes, 1));
  length = strlen (body);
  /* Request-Target is DOKU's own path, whatever prefix the base URL has */
  signature = dossier_auth_doku_signature (client_id, request_id, timestamp, auth->token_path,
                                           body, length,
                                           dossier_credentials_get_client_secret (self->credentials));
  signature_header = g_strconcat ("HMACSHA256=", signature, NULL);

  soup_message_headers_replace (headers, "Client-Id", client_id);
  soup_message_headers_replace (headers, "Request-Id", request_id);
  soup_message_headers_replace (headers, "Request-Timestamp", timestamp);
  soup_message_headers_replace (headers, "Signature", signature_header);
  soup_message_headers_replace (headers, "Accept", "application/json");

  bytes = g_bytes_new_take (g_steal_pointer (&body), length);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

static void
append_form (GString    *form,
             const char *name,
             const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", name, escaped);
}

static void
prepare_oauth2_request (DossierAuth *self,
                        SoupMessage *msg,
                        const char  *scope)
{
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  const char *client_id = dossier_credentials_get_client_id (self->credentials);
  const char *client_secret = dossier_credentials_get_client_secret (self->credentials);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  append_form (form, "grant_type", "client_credentials");
  if (scope != NULL)
    append_form (form, "scope", scope);

  if (auth->client_auth_basic)
    {
      g_autofree char *pair = g_strconcat (client_id, ":", client_secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      memset (pair, 0, strlen (pair));
      memset (encoded, 0, strlen (encoded));
      memset (value, 0, strlen (value));
    }
  else
    {
      append_form (form, "client_id", client_id);
      append_form (form, "client_secret", client_secret);
    }
  soup_message_headers_replace (headers, "Accept", "application/json");

  length = form->len;
  bytes = g_bytes_new_take (g_string_free (g_steal_pointer (&form), FALSE), length);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
}

static gboolean
fetch_deadline_cb (gpointer user_data)
{
  DossierAuthFetch *fetch = user_data;

  g_clear_pointer (&fetch->deadline, dossier_source_clear);
  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->cancellable);

  return G_SOURCE_REMOVE;
}

DossierAuthFetch *
_dossier_auth_fetch_start (DossierAuth  *self,
                           const char   *key,
                           const char   *scope,
                           GError      **error)
{
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  g_autofree char *uri = g_strconcat (self->base_url, auth->token_path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  DossierAuthFetch *fetch;

  if (!dossier_client_check_url_for (uri, DOSSIER_URL_USE_CREDENTIALS, error))
    return NULL;

  msg = soup_message_new (SOUP_METHOD_POST, uri);
  if (msg == NULL)
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("“%s” is not a valid address"), uri);
      return NULL;
    }

  dossier_client_prepare_message (msg);
  if (auth->token_kind == DOSSIER_TOKEN_KIND_DOKU_SIGNATURE)
    prepare_doku_request (self, msg);
  else
    prepare_oauth2_request (self, msg, scope);

  fetch = g_new0 (DossierAuthFetch, 1);
  fetch->auth = g_object_ref (self);
  fetch->key = g_strdup (key);
  fetch->generation = self->generation;
  fetch->cancellable = g_cancellable_new ();
  fetch->msg = g_steal_pointer (&msg);
  fetch->deadline = dossier_timeout_add (dossier_client_get_deadline_ms (self->session, 0), fetch_deadline_cb,
                                         fetch, "[dossier] token request deadline");
  g_hash_table_insert (self->fetches, g_strdup (key), fetch);

  _dossier_auth_send_async (self, fetch->msg, fetch->cancellable, fetch_answered_cb, fetch);

  return fetch;
}
