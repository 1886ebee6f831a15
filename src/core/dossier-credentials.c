/* dossier-credentials.c: what the user typed to prove who they are
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-auth-private.h"
#include "dossier-credentials.h"

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

/* Overwrites a secret before it is freed */
void
_dossier_auth_wipe_string (char **str)
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

  _dossier_auth_wipe_string (&self->secret);
  _dossier_auth_wipe_string (&self->client_id);
  _dossier_auth_wipe_string (&self->client_secret);

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

  _dossier_auth_wipe_string (field);
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

gboolean
_dossier_auth_has_client_credentials (DossierCredentials    *self,
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
      _dossier_auth_has_client_credentials (self, auth))
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
