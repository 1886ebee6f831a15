/* dossier-auth.c: credentials and the Authorization a request carries
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dossier-auth.h"
#include "dossier-auth-private.h"
#include "dossier-client.h"
#include "dossier-json-private.h"
#include "dossier-redact.h"
#include "dossier-result-private.h"
#include "dossier-util.h"

/* ------------------------------------------------------------------------ */
/* DossierCredentials                                                        */

struct _DossierCredentials
{
  GObject parent_instance;

  char *secret;
  char *client_id;
  char *client_secret;
};

G_DEFINE_FINAL_TYPE (DossierCredentials, dossier_credentials, G_TYPE_OBJECT)

enum {
  CREDS_PROP_0,
  CREDS_PROP_SECRET,
  CREDS_PROP_CLIENT_ID,
  CREDS_PROP_CLIENT_SECRET,
  CREDS_N_PROPS
};

static GParamSpec *creds_properties[CREDS_N_PROPS];

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      memset (*str, 0, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

static void
dossier_credentials_finalize (GObject *object)
{
  DossierCredentials *self = (DossierCredentials *)object;

  wipe_string (&self->secret);
  wipe_string (&self->client_id);
  wipe_string (&self->client_secret);

  G_OBJECT_CLASS (dossier_credentials_parent_class)->finalize (object);
}

static void
dossier_credentials_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DossierCredentials *self = DOSSIER_CREDENTIALS (object);

  switch (prop_id)
    {
    case CREDS_PROP_SECRET:
      g_value_set_string (value, self->secret);
      break;
    case CREDS_PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case CREDS_PROP_CLIENT_SECRET:
      g_value_set_string (value, self->client_secret);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_credentials_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DossierCredentials *self = DOSSIER_CREDENTIALS (object);

  switch (prop_id)
    {
    case CREDS_PROP_SECRET:
      dossier_credentials_set_secret (self, g_value_get_string (value));
      break;
    case CREDS_PROP_CLIENT_ID:
      dossier_credentials_set_client_id (self, g_value_get_string (value));
      break;
    case CREDS_PROP_CLIENT_SECRET:
      dossier_credentials_set_client_secret (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_credentials_class_init (DossierCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_credentials_finalize;
  object_class->get_property = dossier_credentials_get_property;
  object_class->set_property = dossier_credentials_set_property;

  creds_properties[CREDS_PROP_SECRET] =
    g_param_spec_string ("secret", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  creds_properties[CREDS_PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  creds_properties[CREDS_PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, CREDS_N_PROPS, creds_properties);
}

static void
dossier_credentials_init (DossierCredentials *self)
{
}

DossierCredentials *
dossier_credentials_new (void)
{
  return g_object_new (DOSSIER_TYPE_CREDENTIALS, NULL);
}

/* Surrounding blanks are a copy-and-paste accident, never part of a key */
static gboolean
replace_value (char       **field,
               const char  *value)
{
  g_autofree char *stripped = NULL;

  if (value != NULL)
    {
      stripped = g_strstrip (g_strdup (value));
      if (*stripped == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (g_strcmp0 (*field, stripped) == 0)
    return FALSE;

  wipe_string (field);
  *field = g_steal_pointer (&stripped);
  return TRUE;
}

const char *
dossier_credentials_get_secret (DossierCredentials *self)
{
  g_return_val_if_fail (DOSSIER_IS_CREDENTIALS (self), NULL);
  return self->secret;
}

void
dossier_credentials_set_secret (DossierCredentials *self,
                                const char         *secret)
{
  g_return_if_fail (DOSSIER_IS_CREDENTIALS (self));
  if (replace_value (&self->secret, secret))
    g_object_notify_by_pspec (G_OBJECT (self), creds_properties[CREDS_PROP_SECRET]);
}

const char *
dossier_credentials_get_client_id (DossierCredentials *self)
{
  g_return_val_if_fail (DOSSIER_IS_CREDENTIALS (self), NULL);
  return self->client_id;
}

void
dossier_credentials_set_client_id (DossierCredentials *self,
                                   const char         *client_id)
{
  g_return_if_fail (DOSSIER_IS_CREDENTIALS (self));
  if (replace_value (&self->client_id, client_id))
    g_object_notify_by_pspec (G_OBJECT (self), creds_properties[CREDS_PROP_CLIENT_ID]);
}

const char *
dossier_credentials_get_client_secret (DossierCredentials *self)
{
  g_return_val_if_fail (DOSSIER_IS_CREDENTIALS (self), NULL);
  return self->client_secret;
}

void
dossier_credentials_set_client_secret (DossierCredentials *self,
                                       const char         *client_secret)
{
  g_return_if_fail (DOSSIER_IS_CREDENTIALS (self));
  if (replace_value (&self->client_secret, client_secret))
    g_object_notify_by_pspec (G_OBJECT (self), creds_properties[CREDS_PROP_CLIENT_SECRET]);
}

static gboolean
has_client_credentials (DossierCredentials    *self,
                        const DossierAuthSpec *auth)
{
  return auth->token_kind != DOSSIER_TOKEN_KIND_NONE &&
         self->client_id != NULL && self->client_secret != NULL;
}

gboolean
dossier_credentials_is_usable (DossierCredentials  *self,
                               DossierProvider     *provider,
                               char               **out_missing)
{
  const DossierAuthSpec *auth;

  g_return_val_if_fail (DOSSIER_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), FALSE);

  if (out_missing != NULL)
    *out_missing = NULL;

  auth = dossier_provider_get_auth (provider);
  if (auth->scheme == DOSSIER_AUTH_SCHEME_NONE ||
      self->secret != NULL ||
      has_client_credentials (self, auth))
    return TRUE;

  if (out_missing == NULL)
    return FALSE;

  if (auth->token_kind == DOSSIER_TOKEN_KIND_NONE)
    /* Translators: the argument is a credential's name, e.g. "API key" */
    *out_missing = g_strdup_printf (_("Enter the %s"), auth->secret_label);
  else if (self->client_id != NULL)
    /* Translators: e.g. "Enter the Secret key that goes with the Client ID, or a Bearer token" */
    *out_missing = g_strdup_printf (_("Enter the %s that goes with the %s, or a %s"),
                                    auth->client_secret_label, auth->client_id_label,
                                    auth->secret_label);
  else if (self->client_secret != NULL)
    *out_missing = g_strdup_printf (_("Enter the %s that goes with the %s, or a %s"),
                                    auth->client_id_label, auth->client_secret_label,
                                    auth->secret_label);
  else
    /* Translators: e.g. "Enter the Bearer token, or the Client ID and Secret key" */
    *out_missing = g_strdup_printf (_("Enter the %s, or the %s and %s"),
                                    auth->secret_label, auth->client_id_label,
                                    auth->client_secret_label);

  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* DossierAuth                                                               */

#define TOKEN_RESPONSE_MAX   (64 * 1024)
/* 9999-12-31T23:59:59Z: no token lives longer */
#define LAST_EXPIRY          G_GINT64_CONSTANT (253402300799)
#define TOKEN_EXPIRY_MARGIN  60                /* seconds */
#define DEFAULT_TOKEN_LIFE   (5 * 60)          /* seconds */

typedef struct
{
  char   *value;
  gint64  expires;       /* Unix seconds */
  gint64  obtained;      /* Unix seconds */
  gboolean fetched;      /* FALSE: pasted by the user */
} CachedToken;

struct _DossierAuth
{
  GObject parent_instance;

  DossierProvider *provider;
  char *base_url;
  DossierCredentials *credentials;
  DossierClient *session;

  /* cache key (expanded scope) -> CachedToken */
  GHashTable *tokens;
  /* cache key -> Fetch in flight */
  GHashTable *fetches;
  /* bumped when the credentials change: a token fetched with older ones
   * is handed to its waiters but not cached */
  guint generation;
};

G_DEFINE_FINAL_TYPE (DossierAuth, dossier_auth, G_TYPE_OBJECT)

static void
cached_token_free (gpointer data)
{
  CachedToken *token = data;

  wipe_string (&token->value);
  g_free (token);
}

static gboolean
is_blank (const char *s)
{
  return s == NULL || *s == '\0';
}

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

  return is_blank (value) ? NULL : value;
}

char *
dossier_auth_parse_error_message (const char                *body,
                                  gsize                      length,
                                  const DossierResponseSpec *spec)
{
  /* OAuth2's own (RFC 6749, 5.2), and what most APIs say */
  static const char * const first[] = { "error_description", NULL };
  static const char * const generic[] = { "message", "error", NULL };
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  char *text;

  if (body == NULL || length == 0)
    return NULL;

  parser = json_parser_new ();
  if (!dossier_json_load (parser, body, length, 0, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  if ((text = dossier_json_lookup_path (root, first)) != NULL)
    return text;
  if (spec != NULL && (text = dossier_json_lookup_path (root, (const char * const *) spec->message)) != NULL)
    return text;
  if ((text = dossier_json_lookup_path (root, generic)) != NULL)
    return text;
  if (spec != NULL)
    return dossier_json_lookup_path (root, (const char * const *) spec->field_errors);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* DOKU signature                                                            */

char *
dossier_auth_doku_signature (const char *client_id,
                             const char *request_id,
                             const char *timestamp,
                             const char *request_target,
                             const char *body,
                             gsize       body_length,
                             const char *secret_key)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *digest_b64 = NULL;
  g_autofree char *to_sign = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (request_id != NULL, NULL);
  g_return_val_if_fail (timestamp != NULL, NULL);
  g_return_val_if_fail (request_target != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_length == 0, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  g_checksum_update (sha, (const guchar *) (body ? body : ""), body_length);
  g_checksum_get_digest (sha, digest, &digest_len);
  digest_b64 = g_base64_encode (digest, digest_len);

  to_sign = g_strdup_printf ("Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\n"
                             "Request-Target:%s\nDigest:%s",
                             client_id, request_id, timestamp, request_target, digest_b64);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret_key, strlen (secret_key));
  g_hmac_update (hmac, (const guchar *) to_sign, -1);
  digest_len = sizeof digest;
  g_hmac_get_digest (hmac, digest, &digest_len);

  memset (to_sign, 0, strlen (to_sign));

  return g_base64_encode (digest, digest_len);
}

/* ------------------------------------------------------------------------ */
/* DossierAuth object                                                        */

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_BASE_URL,
  PROP_CREDENTIALS,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
credentials_changed (DossierAuth *self)
{
  self->generation++;
  g_hash_table_remove_all (self->tokens);
}

static void
dossier_auth_constructed (GObject *object)
{
  DossierAuth *self = (DossierAuth *)object;

  G_OBJECT_CLASS (dossier_auth_parent_class)->constructed (object);

  g_return_if_fail (DOSSIER_IS_PROVIDER (self->provider));
  g_return_if_fail (self->base_url != NULL);

  if (self->credentials == NULL)
    self->credentials = dossier_credentials_new ();
  if (self->session == NULL)
    self->session = dossier_client_new (2);

  g_signal_connect_object (self->credentials, "notify",
                           G_CALLBACK (credentials_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
dossier_auth_dispose (GObject *object)
{
  DossierAuth *self = (DossierAuth *)object;

  g_clear_object (&self->credentials);
  g_clear_object (&self->session);
  g_clear_object (&self->provider);

  G_OBJECT_CLASS (dossier_auth_parent_class)->dispose (object);
}

static void
dossier_auth_finalize (GObject *object)
{
  DossierAuth *self = (DossierAuth *)object;

  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->fetches, g_hash_table_unref);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (dossier_auth_parent_class)->finalize (object);
}

static void
dossier_auth_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DossierAuth *self = DOSSIER_AUTH (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_auth_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DossierAuth *self = DOSSIER_AUTH (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize len = url ? strlen (url) : 0;

        while (len > 0 && url[len - 1] == '/')
          len--;
        self->base_url = url ? g_strndup (url, len) : NULL;
      }
      break;
    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      break;
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_auth_class_init (DossierAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dossier_auth_constructed;
  object_class->dispose = dossier_auth_dispose;
  object_class->finalize = dossier_auth_finalize;
  object_class->get_property = dossier_auth_get_property;
  object_class->set_property = dossier_auth_set_property;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, DOSSIER_TYPE_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL, DOSSIER_TYPE_CREDENTIALS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DOSSIER_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_auth_init (DossierAuth *self)
{
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_token_free);
  self->fetches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * dossier_auth_new:
 * @provider: the provider
 * @base_url: the resolved base URL of the environment, no trailing slash
 * @credentials: (nullable): what the user entered; followed as it changes
 * @session: (nullable): the client token and check requests go through
 *
 * Returns: (transfer full): a new #DossierAuth
 */
DossierAuth *
dossier_auth_new (DossierProvider    *provider,
                  const char         *base_url,
                  DossierCredentials *credentials,
                  DossierClient      *session)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (credentials == NULL || DOSSIER_IS_CREDENTIALS (credentials), NULL);
  g_return_val_if_fail (session == NULL || DOSSIER_IS_CLIENT (session), NULL);

  return g_object_new (DOSSIER_TYPE_AUTH,
                       "provider", provider,
                       "base-url", base_url,
                       "credentials", credentials,
                       "session", session,
                       NULL);
}

static void
make_header (DossierAuth  *self,
             const char   *token,
             char        **out_name,
             char        **out_value)
{
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);

  switch (auth->scheme)
    {
    case DOSSIER_AUTH_SCHEME_BEARER:
      *out_name = g_strdup ("Authorization");
      *out_value = g_strconcat ("Bearer ", token, NULL);
      break;
    case DOSSIER_AUTH_SCHEME_HEADER:
      *out_name = g_strdup (auth->header);
      *out_value = g_strdup (token);
      break;
    case DOSSIER_AUTH_SCHEME_RAW:
      *out_name = g_strdup ("Authorization");
      *out_value = g_strdup (token);
      break;
    case DOSSIER_AUTH_SCHEME_NONE:
    default:
      *out_name = NULL;
      *out_value = NULL;
      break;
    }
}

/* Whatever the provider says goes into a message shown to people: keep it
 * short, on one line, and without anything the user typed as a secret */
static char *
sanitize_message (DossierAuth *self,
                  const char  *text,
                  const char  *token)
{
  g_autoptr(DossierRedact) redact = dossier_redact_new ();
  g_autoptr(GString) s = NULL;
  g_autofree char *safe = NULL;

  if (is_blank (text))
    return NULL;

  dossier_redact_add (redact, dossier_credentials_get_secret (self->credentials));
  dossier_redact_add (redact, dossier_credentials_get_client_secret (self->credentials));
  dossier_redact_add (redact, token);
  safe = dossier_redact_apply (redact, text);
  s = g_string_new (safe);
  for (gsize i = 0; i < s->len; i++)
    if ((guchar) s->str[i] < 0x20)
      s->str[i] = ' ';
  if (!g_utf8_validate (s->str, s->len, NULL))
    return NULL;
  if (g_utf8_strlen (s->str, -1) > 200)
    {
      g_autofree char *cut = g_utf8_substring (s->str, 0, 199);

      g_string_assign (s, cut);
      g_string_append (s, "…");
    }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static CachedToken *
cached_token_copy (const CachedToken *token)
{
  CachedToken *copy = g_new0 (CachedToken, 1);

  copy->value = g_strdup (token->value);
  copy->expires = token->expires;
  copy->obtained = token->obtained;
  copy->fetched = token->fetched;

  return copy;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
cached_token_fresh (const CachedToken *token,
                    gint64             now)
{
  gint64 margin = MIN (TOKEN_EXPIRY_MARGIN, (token->expires - token->obtained) / 2);

  return now < token->expires - margin;
}

/* ------------------------------------------------------------------------ */
/* fetching tokens                                                           */

typedef struct _Fetch Fetch;

typedef struct
{
  GTask   *task;
  Fetch   *fetch;
  GSource *cancel_source;
} Waiter;

struct _Fetch
{
  DossierAuth   *auth;
  char          *key;
  guint          generation;
  GCancellable  *cancellable;
  GList         *waiters;
  SoupMessage   *msg;
  GInputStream  *stream;
  guint8        *buffer;
  GSource       *deadline;
  gboolean       timed_out;
};

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
fetch_free (Fetch *fetch)
{
  g_assert (fetch->waiters == NULL);

  if (fetch->buffer != NULL)
    {
      memset (fetch->buffer, 0, TOKEN_RESPONSE_MAX + 1);
      g_free (fetch->buffer);
    }
  g_clear_pointer (&fetch->deadline, dossier_source_clear);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->auth);
  g_free (fetch->key);
  g_free (fetch);
}

static void
fetch_forget (Fetch *fetch)
{
  if (g_hash_table_lookup (fetch->auth->fetches, fetch->key) == fetch)
    g_hash_table_remove (fetch->auth->fetches, fetch->key);
}

/* Hands the outcome to every caller waiting for it, then frees @fetch */
static void
fetch_complete (Fetch             *fetch,
                const CachedToken *token,
                const GError      *error)
{
  GList *waiters = g_steal_pointer (&fetch->waiters);

  fetch_forget (fetch);

  if (token != NULL && fetch->generation == fetch->auth->generation)
    g_hash_table_replace (fetch->auth->tokens, g_strdup (fetch->key), cached_token_copy (token));

  for (GList *l = waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (token != NULL)
        g_task_return_pointer (waiter->task, cached_token_copy (token), cached_token_free);
      else
        g_task_return_error (waiter->task, g_error_copy (error));
      waiter_free (waiter);
    }
  g_list_free (waiters);

  fetch_free (fetch);
}

static gboolean
waiter_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  Waiter *waiter = user_data;
  Fetch *fetch = waiter->fetch;

  fetch->waiters = g_list_remove (fetch->waiters, waiter);
  g_task_return_error_if_cancelled (waiter->task);
  waiter_free (waiter);

  /* Nobody wants this token any more */
  if (fetch->waiters == NULL)
    {
      fetch_forget (fetch);
      g_cancellable_cancel (fetch->cancellable);
    }

  return G_SOURCE_REMOVE;
}

static void
fetch_add_waiter (Fetch *fetch,
                  GTask *task)
{
  Waiter *waiter = g_new0 (Waiter, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  waiter->task = g_object_ref (task);
  waiter->fetch = fetch;
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled), waiter, NULL);
      g_source_set_static_name (waiter->cancel_source, "[dossier] token waiter");
      g_source_attach (waiter->cancel_source, g_task_get_context (task));
    }
  fetch->waiters = g_list_append (fetch->waiters, waiter);
}

static void
fetch_fail_http (Fetch *fetch,
                 guint  status,
                 gsize  length)
{
  DossierAuth *self = fetch->auth;
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  const char *name = dossier_provider_get_name (self->provider);
  g_autofree char *raw = dossier_auth_parse_error_message ((const char *) fetch->buffer, length,
                                                           dossier_provider_get_response (self->provider));
  g_autofree char *message = sanitize_message (self, raw, NULL);
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

  fetch_complete (fetch, NULL, error);
}

static void
fetch_fail_protocol (Fetch      *fetch,
                     const char *why)
{
  g_autoptr(GError) error = NULL;

  /* Translators: "Could not get a token from Moov: the answer has no token" */
  error = g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, _("Could not get a token from %s: %s"),
                       dossier_provider_get_name (fetch->auth->provider), why);
  fetch_complete (fetch, NULL, error);
}

static void
fetch_fail_network (Fetch  *fetch,
                    GError *error)
{
  g_autoptr(GError) wrapped = NULL;

  if (fetch->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      /* Translators: "Could not get a token from Moov: it answered too slowly" */
      wrapped = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("Could not get a token from %s: it answered too slowly"),
                             dossier_provider_get_name (fetch->auth->provider));
      fetch_complete (fetch, NULL, wrapped);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fetch_complete (fetch, NULL, error);
      return;
    }

  wrapped = g_error_new (error->domain, error->code, _("Could not get a token from %s: %s"),
                         dossier_provider_get_name (fetch->auth->provider), error->message);
  fetch_complete (fetch, NULL, wrapped);
}

static void
fetch_parse (Fetch *fetch,
             gsize  length)
{
  DossierAuth *self = fetch->auth;
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  CachedToken token = { NULL, 0, 0, TRUE };
  const char *value;
  JsonObject *obj;
  JsonNode *root;
  gint64 now = now_seconds ();

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
  fetch_complete (fetch, &token, NULL);
}

static void
fetch_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  guint status;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &length, &error))
    {
      fetch_fail_network (fetch, error);
      return;
    }
  g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  status = soup_message_get_status (fetch->msg);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_autoptr(GError) redirect = NULL;

      /* never followed: the credentials go nowhere else */
      redirect = dossier_client_redirect_error (fetch->msg,
                                                dossier_provider_get_name (fetch->auth->provider),
                                                TRUE);
      fetch_complete (fetch, NULL, redirect);
      return;
    }

  if (length > TOKEN_RESPONSE_MAX)
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

static void
fetch_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;

  fetch->stream = dossier_client_send_finish (DOSSIER_CLIENT (object), result, &error);
  if (fetch->stream == NULL)
    {
      fetch_fail_network (fetch, error);
      return;
    }

  fetch->buffer = g_malloc (TOKEN_RESPONSE_MAX + 1);
  g_input_stream_read_all_async (fetch->stream, fetch->buffer, TOKEN_RESPONSE_MAX + 1,
                                 G_PRIORITY_DEFAULT, fetch->cancellable,
                                 fetch_read_cb, fetch);
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
  Fetch *fetch = user_data;

  g_clear_pointer (&fetch->deadline, dossier_source_clear);
  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->cancellable);

  return G_SOURCE_REMOVE;
}

static Fetch *
fetch_start (DossierAuth  *self,
             const char   *key,
             const char   *scope,
             GError      **error)
{
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  g_autofree char *uri = g_strconcat (self->base_url, auth->token_path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  Fetch *fetch;

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

  fetch = g_new0 (Fetch, 1);
  fetch->auth = g_object_ref (self);
  fetch->key = g_strdup (key);
  fetch->generation = self->generation;
  fetch->cancellable = g_cancellable_new ();
  fetch->msg = g_steal_pointer (&msg);
  fetch->deadline = dossier_timeout_add (dossier_client_get_deadline_ms (self->session, 0), fetch_deadline_cb,
                                         fetch, "[dossier] token request deadline");
  g_hash_table_insert (self->fetches, g_strdup (key), fetch);

  dossier_client_send_async (self->session, fetch->msg, fetch->cancellable,
                             fetch_sent_cb, fetch);

  return fetch;
}

/* Gives a CachedToken: pasted (fetched FALSE), cached or freshly fetched;
 * value NULL for providers without credentials */
static void
acquire_token_async (DossierAuth         *self,
                     GHashTable          *values,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *scope = NULL;
  const char *secret = dossier_credentials_get_secret (self->credentials);
  CachedToken *cached;
  Fetch *fetch;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, acquire_token_async);

  if (auth->scheme == DOSSIER_AUTH_SCHEME_NONE || secret != NULL)
    {
      CachedToken pasted = { (char *) secret, 0, 0, FALSE };

      if (auth->scheme == DOSSIER_AUTH_SCHEME_NONE)
        pasted.value = NULL;
      g_task_return_pointer (task, cached_token_copy (&pasted), cached_token_free);
      return;
    }

  if (!dossier_credentials_is_usable (self->credentials, self->provider, &missing))
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH, "%s", missing);
      return;
    }

  if (auth->token_scope != NULL &&
      !(scope = dossier_expand_template (auth->token_scope, values, FALSE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cached = g_hash_table_lookup (self->tokens, scope ? scope : "");
  if (cached != NULL && cached_token_fresh (cached, now_seconds ()))
    {
      g_task_return_pointer (task, cached_token_copy (cached), cached_token_free);
      return;
    }
  g_hash_table_remove (self->tokens, scope ? scope : "");

  fetch = g_hash_table_lookup (self->fetches, scope ? scope : "");
  if (fetch == NULL &&
      !(fetch = fetch_start (self, scope ? scope : "", scope, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetch_add_waiter (fetch, task);
}

static CachedToken *
acquire_token_finish (DossierAuth   *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* public API                                                                */

typedef struct
{
  char *name;
  char *value;
} Header;

static void
header_free (gpointer data)
{
  Header *header = data;

  g_free (header->name);
  wipe_string (&header->value);
  g_free (header);
}

static void
get_header_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DossierAuth *self = DOSSIER_AUTH (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CachedToken *token;
  Header *header;

  if (!(token = acquire_token_finish (self, result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  header = g_new0 (Header, 1);
  if (token->value != NULL)
    make_header (self, token->value, &header->name, &header->value);
  cached_token_free (token);

  g_task_return_pointer (task, header, header_free);
}

/**
 * dossier_auth_get_header_async:
 * @self: a #DossierAuth
 * @values: (nullable) (element-type utf8 utf8): field values for templates
 *   such as the token scope
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the header is known
 * @user_data: data for @callback
 *
 * Works out the header that authorizes a request: a pasted secret as is,
 * otherwise a token requested with the client credentials (cached until a
 * minute before it expires; concurrent callers share one request).
 */
void
dossier_auth_get_header_async (DossierAuth         *self,
                               GHashTable          *values,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOSSIER_IS_AUTH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_auth_get_header_async);

  acquire_token_async (self, values, cancellable, get_header_cb, g_steal_pointer (&task));
}

/**
 * dossier_auth_get_header_finish:
 * @self: a #DossierAuth
 * @result: the result
 * @out_name: (out) (optional) (nullable): the header's name, %NULL when the
 *   provider needs no credentials
 * @out_value: (out) (optional) (nullable): the header's value
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
dossier_auth_get_header_finish (DossierAuth   *self,
                                GAsyncResult  *result,
                                char         **out_name,
                                char         **out_value,
                                GError       **error)
{
  Header *header;

  g_return_val_if_fail (DOSSIER_IS_AUTH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_auth_get_header_async, FALSE);

  if (out_name != NULL)
    *out_name = NULL;
  if (out_value != NULL)
    *out_value = NULL;

  header = g_task_propagate_pointer (G_TASK (result), error);
  if (header == NULL)
    return FALSE;

  if (out_name != NULL)
    *out_name = g_steal_pointer (&header->name);
  if (out_value != NULL)
    *out_value = g_steal_pointer (&header->value);
  header_free (header);

  return TRUE;
}

/**
 * dossier_auth_invalidate:
 * @self: a #DossierAuth
 *
 * Forgets fetched tokens, after the server refused one.
 *
 * Returns: %TRUE when the next request will carry a freshly fetched token,
 *   so retrying a refused request once is worth it; %FALSE when the
 *   credential is pasted (or there is none) and a retry would fail the same
 */
gboolean
dossier_auth_invalidate (DossierAuth *self)
{
  const DossierAuthSpec *auth;
  guint dropped;

  g_return_val_if_fail (DOSSIER_IS_AUTH (self), FALSE);

  auth = dossier_provider_get_auth (self->provider);
  dropped = g_hash_table_size (self->tokens);
  g_hash_table_remove_all (self->tokens);

  if (auth->scheme == DOSSIER_AUTH_SCHEME_NONE ||
      dossier_credentials_get_secret (self->credentials) != NULL)
    return FALSE;

  /* Also when another request already dropped the token: this one was
   * refused with a fetched token too, and the next one gets a new token */
  return dropped > 0 || has_client_credentials (self->credentials, auth);
}

/* ------------------------------------------------------------------------ */
/* checking credentials                                                      */

typedef struct
{
  GHashTable   *values;
  CachedToken  *token;
  SoupMessage  *msg;
  GInputStream *stream;
  guint8       *buffer;
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *check = data;

  g_clear_pointer (&check->values, g_hash_table_unref);
  g_clear_pointer (&check->token, cached_token_free);
  g_clear_object (&check->msg);
  g_clear_object (&check->stream);
  g_free (check->buffer);
  g_free (check);
}

static char *
token_valid_sentence (DossierAuth       *self,
                      const CachedToken *token,
                      gboolean           checked)
{
  gint64 left = MAX (token->expires - now_seconds (), 0);
  guint minutes = (guint) MIN ((left + 59) / 60, G_MAXUINT);

  if (checked)
    /* Translators: "Credentials accepted by Moov: token valid for 15 minutes" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Credentials accepted by %s: token valid for %u minute",
                                         "Credentials accepted by %s: token valid for %u minutes",
                                         minutes),
                            dossier_provider_get_name (self->provider), minutes);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Credentials accepted: token valid for %u minute",
                                       "Credentials accepted: token valid for %u minutes",
                                       minutes),
                          minutes);
}

static void
check_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierAuth *self = g_task_get_source_object (task);
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  const char *name = dossier_provider_get_name (self->provider);
  CheckData *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *message = NULL;
  gsize length = 0;
  guint status;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &length, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, error->domain, error->code,
                                 _("Could not check the credentials with %s: %s"),
                                 name, error->message);
      return;
    }
  g_input_stream_close_async (check->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  status = soup_message_get_status (check->msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (check->token->fetched)
        g_task_return_pointer (task, token_valid_sentence (self, check->token, TRUE), g_free);
      else if (auth->scheme == DOSSIER_AUTH_SCHEME_HEADER)
        /* Translators: "Key accepted by Kore.ai" */
        g_task_return_pointer (task, g_strdup_printf (_("Key accepted by %s"), name), g_free);
      else
        /* Translators: "Token accepted by Moov" */
        g_task_return_pointer (task, g_strdup_printf (_("Token accepted by %s"), name), g_free);
      return;
    }

  if (length <= TOKEN_RESPONSE_MAX)
    {
      raw = dossier_auth_parse_error_message ((const char *) check->buffer, length,
                                              dossier_provider_get_response (self->provider));
      message = sanitize_message (self, raw, check->token->value);
    }

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      if (check->token->fetched)
        dossier_auth_invalidate (self);

      if (auth->scheme == DOSSIER_AUTH_SCHEME_HEADER)
        {
          if (message != NULL)
            g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                                     _("%s refused the key (%u: %s)"), name, status, message);
          else
            g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                                     _("%s refused the key (%u)"), name, status);
        }
      else
        {
          if (message != NULL)
            /* Translators: "Moov refused the token (401: invalid token)" */
            g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                                     _("%s refused the token (%u: %s)"), name, status, message);
          else
            g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                                     _("%s refused the token (%u)"), name, status);
        }
      return;
    }

  if (message != NULL)
    g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_HTTP,
                             _("Could not check the credentials with %s (%u: %s)"),
                             name, status, message);
  else
    {
      g_autofree char *phrase = dossier_result_describe_status (status, NULL, NULL);

      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_HTTP,
                               _("Could not check the credentials with %s (%u %s)"),
                               name, status, phrase);
    }
}

static void
check_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierAuth *self = g_task_get_source_object (task);
  CheckData *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  check->stream = dossier_client_send_finish (DOSSIER_CLIENT (object), result, &error);
  if (check->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        /* Translators: "Could not check the credentials with Moov: Connection refused" */
        g_task_return_new_error (task, error->domain, error->code,
                                 _("Could not check the credentials with %s: %s"),
                                 dossier_provider_get_name (self->provider), error->message);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  check->buffer = g_malloc (TOKEN_RESPONSE_MAX + 1);
  g_input_stream_read_all_async (check->stream, check->buffer, TOKEN_RESPONSE_MAX + 1,
                                 G_PRIORITY_DEFAULT, cancellable,
                                 check_read_cb, g_steal_pointer (&task));
}

static void
check_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DossierAuth *self = DOSSIER_AUTH (object);
  g_autoptr(GTask) task = user_data;
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  const char *name = dossier_provider_get_name (self->provider);
  CheckData *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *header_name = NULL;
  g_autofree char *header_value = NULL;
  SoupMessageHeaders *headers;
  GCancellable *cancellable;

  if (!(check->token = acquire_token_finish (self, result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (auth->check_method == NULL || auth->check_path == NULL)
    {
      if (check->token->fetched)
        g_task_return_pointer (task, token_valid_sentence (self, check->token, FALSE), g_free);
      else
        /* Translators: "Kore.ai has no way to check the API key before an upload; …" */
        g_task_return_pointer (task,
                               g_strdup_printf (_("%s has no way to check the %s before an upload; "
                                                  "it will be checked with the first file"),
                                                name, auth->secret_label),
                               g_free);
      return;
    }

  if (!(path = dossier_expand_template (auth->check_path, check->values, TRUE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  uri = g_strconcat (self->base_url, path, NULL);
  if (!dossier_client_check_url_for (uri, DOSSIER_URL_USE_CREDENTIALS, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  check->msg = soup_message_new (auth->check_method, uri);
  if (check->msg == NULL)
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                               _("“%s” is not a valid address"), uri);
      return;
    }

  dossier_client_prepare_message (check->msg);
  headers = soup_message_get_request_headers (check->msg);
  make_header (self, check->token->value, &header_name, &header_value);
  soup_message_headers_replace (headers, header_name, header_value);
  soup_message_headers_replace (headers, "Accept", "application/json");
  wipe_string (&header_value);

  cancellable = g_task_get_cancellable (task);
  dossier_client_send_async (self->session, check->msg, cancellable,
                             check_sent_cb, g_steal_pointer (&task));
}

/**
 * dossier_auth_check_async:
 * @self: a #DossierAuth
 * @values: (nullable) (element-type utf8 utf8): field values for templates
 *   (token scope, check path)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Proves the credentials as far as the provider allows: fetches a token
 * where one must be fetched, and sends the provider's check request where
 * it has one. When nothing can be proven without an upload, the result is
 * a sentence saying so, not an error.
 */
void
dossier_auth_check_async (DossierAuth         *self,
                          GHashTable          *values,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  const DossierAuthSpec *auth;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  CheckData *check;

  g_return_if_fail (DOSSIER_IS_AUTH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  auth = dossier_provider_get_auth (self->provider);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_auth_check_async);
  check = g_new0 (CheckData, 1);
  check->values = values ? g_hash_table_ref (values) : NULL;
  g_task_set_task_data (task, check, check_data_free);

  if (auth->scheme == DOSSIER_AUTH_SCHEME_NONE)
    {
      /* Translators: "Generic needs no credentials" */
      g_task_return_pointer (task, g_strdup_printf (_("%s needs no credentials"),
                                                    dossier_provider_get_name (self->provider)),
                             g_free);
      return;
    }

  if (!dossier_credentials_is_usable (self->credentials, self->provider, &missing))
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH, "%s", missing);
      return;
    }

  /* Even when nothing is sent now, a token for a plain HTTP server would
   * be refused at the first upload: say so at once */
  if (!dossier_client_check_url_for (self->base_url, DOSSIER_URL_USE_CREDENTIALS, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  acquire_token_async (self, values, cancellable, check_token_cb, g_steal_pointer (&task));
}

/**
 * dossier_auth_check_finish:
 * @self: a #DossierAuth
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a sentence for the user saying what was proven,
 *   or %NULL with @error set
 */
char *
dossier_auth_check_finish (DossierAuth   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_auth_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
