/* dossier-auth.c: the Authorization a request carries
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "dossier-auth-private.h"
#include "dossier-json-private.h"
#include "dossier-redact.h"
#include "dossier-result-private.h"

G_DEFINE_FINAL_TYPE (DossierAuth, dossier_auth, G_TYPE_OBJECT)

static gboolean
is_blank (const char *s)
{
  return s == NULL || *s == '\0';
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
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _dossier_auth_token_free);
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

void
_dossier_auth_make_header (DossierAuth  *self,
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

/* The provider's own message in the error answer @body, ready for a
 * sentence shown to people (see sanitize_message()), or NULL */
char *
_dossier_auth_provider_message (DossierAuth  *self,
                                const guint8 *body,
                                gsize         length,
                                const char   *token)
{
  g_autofree char *raw = NULL;

  raw = dossier_auth_parse_error_message ((const char *) body, length,
                                          dossier_provider_get_response (self->provider));
  return sanitize_message (self, raw, token);
}

/* ------------------------------------------------------------------------ */
/* one exchange: a token request or a check                                  */

typedef struct
{
  GInputStream *stream;
  guint8       *buffer;
  gsize         length;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *exchange = data;

  if (exchange->buffer != NULL)
    {
      memset (exchange->buffer, 0, DOSSIER_AUTH_RESPONSE_MAX + 1);
      g_free (exchange->buffer);
    }
  g_clear_object (&exchange->stream);
  g_free (exchange);
}

static void
exchange_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &exchange->length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_input_stream_close_async (exchange->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  g_task_return_boolean (task, TRUE);
}

static void
exchange_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  exchange->stream = dossier_client_send_finish (DOSSIER_CLIENT (object), result, &error);
  if (exchange->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  exchange->buffer = g_malloc (DOSSIER_AUTH_RESPONSE_MAX + 1);
  g_input_stream_read_all_async (exchange->stream, exchange->buffer, DOSSIER_AUTH_RESPONSE_MAX + 1,
                                 G_PRIORITY_DEFAULT, cancellable,
                                 exchange_read_cb, g_steal_pointer (&task));
}

/* Sends @msg on the auth's session and reads its answer: at most one byte
 * more than DOSSIER_AUTH_RESPONSE_MAX, so that a larger one can be told */
void
_dossier_auth_send_async (DossierAuth         *self,
                          SoupMessage         *msg,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _dossier_auth_send_async);
  g_task_set_task_data (task, g_new0 (Exchange, 1), exchange_free);
  /* an answer read whole is the answer, even when cancelled just after */
  g_task_set_check_cancellable (task, FALSE);

  dossier_client_send_async (self->session, msg, cancellable,
                             exchange_sent_cb, g_steal_pointer (&task));
}

/* Returns the answer's bytes (DOSSIER_AUTH_RESPONSE_MAX + 1 allocated; the
 * caller wipes and frees them) and their number in @out_length, or NULL
 * with @error set when nothing was answered */
guint8 *
_dossier_auth_send_finish (DossierAuth   *self,
                           GAsyncResult  *result,
                           gsize         *out_length,
                           GError       **error)
{
  Exchange *exchange;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  exchange = g_task_get_task_data (G_TASK (result));
  *out_length = exchange->length;
  return g_steal_pointer (&exchange->buffer);
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
  _dossier_auth_wipe_string (&header->value);
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
  DossierAuthToken *token;
  Header *header;

  if (!(token = _dossier_auth_acquire_token_finish (self, result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  header = g_new0 (Header, 1);
  if (token->value != NULL)
    _dossier_auth_make_header (self, token->value, &header->name, &header->value);
  _dossier_auth_token_free (token);

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
  dossier_auth_get_header_for_scope_async (self, NULL, values, cancellable, callback, user_data);
}

/**
 * dossier_auth_get_header_for_scope_async:
 * @scope: (nullable): the token scope (a template of @values) a fetched
 *   token is asked for, instead of the descriptor's (a request other than
 *   the upload: Moov's capabilities)
 *
 * Like dossier_auth_get_header_async(); finish it with
 * dossier_auth_get_header_finish().
 */
void
dossier_auth_get_header_for_scope_async (DossierAuth         *self,
                                         const char          *scope,
                                         GHashTable          *values,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOSSIER_IS_AUTH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (scope == NULL)
    scope = dossier_provider_get_auth (self->provider)->token_scope;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_auth_get_header_async);

  _dossier_auth_acquire_token_for_scope_async (self, scope, values, cancellable, get_header_cb,
                                               g_steal_pointer (&task));
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

