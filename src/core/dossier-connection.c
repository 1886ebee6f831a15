/* dossier-connection.c: where a provider's environment is and the credentials to ask it with
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the upload flow's provider step does when an environment is
 * chosen, for the work that runs without that step (a merchant's
 * checklist, the background follow-up): the environment's address (the
 * embedded sandbox's for a "sandbox:" address), and the credentials the
 * keyring policy says to use: the sandbox's own published sample for the
 * sandbox, else what the user's keyring holds for the provider and
 * environment. A keyring that holds nothing is an error that says where
 * to enter them.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-connection.h"
#include "dossier-sandbox.h"
#include "dossier-secrets.h"
#include "dossier-types.h"

struct _DossierConnection
{
  GObject parent_instance;

  DossierProvider *provider;
  const DossierEnvironment *environment;   /* the provider's */
  char *base_url;
  DossierCredentials *credentials;
  DossierCredentialsSource source;
};

G_DEFINE_FINAL_TYPE (DossierConnection, dossier_connection, G_TYPE_OBJECT)

static void
dossier_connection_finalize (GObject *object)
{
  DossierConnection *self = DOSSIER_CONNECTION (object);

  g_clear_object (&self->provider);
  g_free (self->base_url);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (dossier_connection_parent_class)->finalize (object);
}

static void
dossier_connection_class_init (DossierConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dossier_connection_finalize;
}

static void
dossier_connection_init (DossierConnection *self)
{
}

static gboolean
has_any (DossierCredentials *credentials)
{
  return dossier_credentials_get_secret (credentials) != NULL ||
         dossier_credentials_get_client_id (credentials) != NULL ||
         dossier_credentials_get_client_secret (credentials) != NULL;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierConnection *self = g_task_get_task_data (task);
  g_autoptr(DossierCredentials) credentials = NULL;
  GError *error = NULL;

  credentials = dossier_secrets_load_finish (result, &error);
  if (credentials == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!has_any (credentials))
    {
      /* Translators: "No credentials for Moov (production) in the keyring: enter them once in the upload flow" */
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                               _("No credentials for %s (%s) in the keyring: enter them once in the upload flow"),
                               dossier_provider_get_name (self->provider), self->environment->id);
      return;
    }
  self->credentials = g_steal_pointer (&credentials);
  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

/**
 * dossier_connection_resolve_async:
 * @provider: the provider
 * @environment_id: one of its environments ("sandbox", "production")
 * @sandbox_url: (nullable): where the embedded sandbox listens, when it runs
 *
 * Finds the environment's address and the credentials to use there, as
 * the upload flow would: the sandbox's sample credentials for a sandbox
 * environment, else the keyring's.
 */
void
dossier_connection_resolve_async (DossierProvider     *provider,
                                  const char          *environment_id,
                                  const char          *sandbox_url,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DossierConnection) self = NULL;
  const DossierEnvironment *environment;
  g_autofree char *sandbox = NULL;
  const char *name;

  g_return_if_fail (DOSSIER_IS_PROVIDER (provider));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_connection_resolve_async);
  name = dossier_provider_get_name (provider);

  environment = environment_id != NULL ? dossier_provider_lookup_environment (provider, environment_id) : NULL;
  if (environment == NULL)
    {
      /* Translators: "Moov has no environment “staging”" */
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID, _("%s has no environment “%s”"),
                               name, environment_id != NULL ? environment_id : "");
      return;
    }

  self = g_object_new (DOSSIER_TYPE_CONNECTION, NULL);
  self->provider = g_object_ref (provider);
  self->environment = environment;
  self->source = dossier_keyring_policy_source (environment);
  /* "http://127.0.0.1:8642/" and "…:8642" are the same sandbox */
  if (sandbox_url != NULL)
    {
      sandbox = g_strdup (sandbox_url);
      while (g_str_has_suffix (sandbox, "/"))
        sandbox[strlen (sandbox) - 1] = '\0';
    }
  self->base_url = dossier_provider_resolve_base_url (environment->base_url, sandbox);

  if (self->source == DOSSIER_CREDENTIALS_SOURCE_SANDBOX && self->base_url == NULL)
    {
      /* Translators: "The built-in sandbox is not running: Moov (sandbox) cannot be asked" */
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                               _("The built-in sandbox is not running: %s (%s) cannot be asked"),
                               name, environment->id);
      return;
    }
  if (self->base_url == NULL || *self->base_url == '\0')
    {
      /* Translators: "Kore.ai (production) has no fixed address: it is given in the upload flow" */
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                               _("%s (%s) has no fixed address: it is given in the upload flow"),
                               name, environment->id);
      return;
    }

  if (self->source == DOSSIER_CREDENTIALS_SOURCE_SANDBOX)
    {
      const DossierSandboxSample *sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (provider));

      self->credentials = dossier_credentials_new ();
      if (sample != NULL)
        {
          dossier_credentials_set_secret (self->credentials, sample->secret);
          /* what a signed request needs (DOKU's list of required documents) */
          dossier_credentials_set_client_id (self->credentials, sample->client_id);
          dossier_credentials_set_client_secret (self->credentials, sample->client_secret);
        }
      g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
      return;
    }

  g_task_set_task_data (task, g_steal_pointer (&self), g_object_unref);
  dossier_secrets_load_async (dossier_provider_get_id (provider), environment->id, cancellable,
                              loaded_cb, g_steal_pointer (&task));
}

/**
 * dossier_connection_resolve_finish:
 *
 * Returns: (transfer full): the connection, or %NULL with @error: no such
 *   environment, no sandbox running, no address, nothing in the keyring
 *   (or the keyring's own failure), or %G_IO_ERROR_CANCELLED
 */
DossierConnection *
dossier_connection_resolve_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_connection_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

DossierProvider *
dossier_connection_get_provider (DossierConnection *self)
{
  g_return_val_if_fail (DOSSIER_IS_CONNECTION (self), NULL);
  return self->provider;
}

const DossierEnvironment *
dossier_connection_get_environment (DossierConnection *self)
{
  g_return_val_if_fail (DOSSIER_IS_CONNECTION (self), NULL);
  return self->environment;
}

const char *
dossier_connection_get_base_url (DossierConnection *self)
{
  g_return_val_if_fail (DOSSIER_IS_CONNECTION (self), NULL);
  return self->base_url;
}

DossierCredentials *
dossier_connection_get_credentials (DossierConnection *self)
{
  g_return_val_if_fail (DOSSIER_IS_CONNECTION (self), NULL);
  return self->credentials;
}

DossierCredentialsSource
dossier_connection_get_source (DossierConnection *self)
{
  g_return_val_if_fail (DOSSIER_IS_CONNECTION (self), DOSSIER_CREDENTIALS_SOURCE_NONE);
  return self->source;
}
