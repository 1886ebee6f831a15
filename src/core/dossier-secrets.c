/* dossier-secrets.c: credentials kept in the user's keyring
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "dossier-secrets.h"

/* One item per provider, environment and kind. The attributes are what
 * items are found by; the value is the secret itself. */
static const SecretSchema credential_schema = {
  "io.github.dossierapp.Dossier.Credential",
  SECRET_SCHEMA_NONE,
  {
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

typedef enum
{
  KIND_SECRET,
  KIND_CLIENT_ID,
  KIND_CLIENT_SECRET,
  N_KINDS
} Kind;

static const char * const kind_names[N_KINDS] = { "secret", "client-id", "client-secret" };

typedef struct
{
  char *provider_id;
  char *environment_id;
  char *values[N_KINDS];      /* save: what to store, NULL to delete */
  guint pending;
  GError *error;              /* the first failure */
  DossierCredentials *loaded;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->provider_id);
  g_free (job->environment_id);
  for (guint i = 0; i < N_KINDS; i++)
    if (job->values[i] != NULL)
      {
        secret_password_wipe (job->values[i]);
        g_clear_pointer (&job->values[i], g_free);
      }
  g_clear_error (&job->error);
  g_clear_object (&job->loaded);
  g_free (job);
}

static GTask *
job_task_new (const char          *provider_id,
              const char          *environment_id,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, source_tag);
  job->provider_id = g_strdup (provider_id);
  job->environment_id = g_strdup (environment_id);
  g_task_set_task_data (task, job, job_free);

  return task;
}

/* libsecret's errors for an absent or locked keyring read "Cannot autolaunch
 * D-Bus…" or "The name … was not provided by any .service files": keep
 * them, after a sentence that says what failed */
static void
job_record_error (Job    *job,
                  GError *error)
{
  if (job->error != NULL)
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    job->error = g_error_copy (error);
  else
    job->error = g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_SECRETS,
                              _("The keyring is not available: %s"), error->message);
}

/* One of the job's calls is done: the task completes with the last */
static void
job_step_done (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  g_assert (job->pending > 0);
  if (--job->pending > 0)
    return;

  if (job->error != NULL)
    g_task_return_error (task, g_steal_pointer (&job->error));
  else if (job->loaded != NULL)
    g_task_return_pointer (task, g_steal_pointer (&job->loaded), g_object_unref);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
item_label (const char *provider_id,
            const char *environment_id,
            Kind        kind)
{
  switch (kind)
    {
    case KIND_SECRET:
      /* Translators: a keyring item's name, "Dossier: doku (sandbox) token" */
      return g_strdup_printf (_("Dossier: %s (%s) token"), provider_id, environment_id);
    case KIND_CLIENT_ID:
      return g_strdup_printf (_("Dossier: %s (%s) client ID"), provider_id, environment_id);
    case KIND_CLIENT_SECRET:
    case N_KINDS:
    default:
      return g_strdup_printf (_("Dossier: %s (%s) client secret"), provider_id, environment_id);
    }
}

/* ------------------------------------------------------------------------ */
/* save                                                                      */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    job_record_error (g_task_get_task_data (task), error);
  job_step_done (task);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to delete */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    job_record_error (g_task_get_task_data (task), error);
  job_step_done (task);
}

static void
start_clear (GTask *task,
             Kind   kind)
{
  Job *job = g_task_get_task_data (task);

  secret_password_clear (&credential_schema, g_task_get_cancellable (task),
                         clear_cb, g_object_ref (task),
                         "provider", job->provider_id,
                         "environment", job->environment_id,
                         "kind", kind_names[kind],
                         NULL);
}

/* Stores the job's values; an empty one deletes its item */
static void
start_saving (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  job->pending = N_KINDS;
  for (guint i = 0; i < N_KINDS; i++)
    {
      if (job->values[i] != NULL && *job->values[i] != '\0')
        {
          g_autofree char *label = item_label (job->provider_id, job->environment_id, i);

          secret_password_store (&credential_schema, SECRET_COLLECTION_DEFAULT, label,
                                 job->values[i], g_task_get_cancellable (task), store_cb,
                                 g_object_ref (task),
                                 "provider", job->provider_id,
                                 "environment", job->environment_id,
                                 "kind", kind_names[i],
                                 NULL);
        }
      else
        start_clear (task, i);
    }
}

/**
 * dossier_secrets_save_async:
 * @provider_id: the provider's id, e.g. "doku"
 * @environment_id: the environment's id, e.g. "sandbox"
 * @credentials: what to keep; empty values delete their items
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores the credentials in the default keyring collection.
 */
void
dossier_secrets_save_async (const char          *provider_id,
                            const char          *environment_id,
                            DossierCredentials  *credentials,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (provider_id != NULL && *provider_id != '\0');
  g_return_if_fail (environment_id != NULL && *environment_id != '\0');
  g_return_if_fail (DOSSIER_IS_CREDENTIALS (credentials));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = job_task_new (provider_id, environment_id, cancellable, callback, user_data,
                       dossier_secrets_save_async);
  job = g_task_get_task_data (task);
  job->values[KIND_SECRET] = g_strdup (dossier_credentials_get_secret (credentials));
  job->values[KIND_CLIENT_ID] = g_strdup (dossier_credentials_get_client_id (credentials));
  job->values[KIND_CLIENT_SECRET] = g_strdup (dossier_credentials_get_client_secret (credentials));

  start_saving (task);
}

/**
 * dossier_secrets_save_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when every item was stored or deleted
 */
gboolean
dossier_secrets_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_secrets_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* load                                                                      */

typedef struct
{
  GTask *task;
  Kind   kind;
} LookupStep;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupStep *step = user_data;
  g_autoptr(GTask) task = step->task;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *value;

  value = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    job_record_error (job, error);
  else if (value != NULL)
    {
      switch (step->kind)
        {
        case KIND_SECRET:
          dossier_credentials_set_secret (job->loaded, value);
          break;
        case KIND_CLIENT_ID:
          dossier_credentials_set_client_id (job->loaded, value);
          break;
        case KIND_CLIENT_SECRET:
        case N_KINDS:
        default:
          dossier_credentials_set_client_secret (job->loaded, value);
          break;
        }
      secret_password_free (value);
    }

  g_free (step);
  job_step_done (task);
}

/**
 * dossier_secrets_load_async:
 * @provider_id: the provider's id
 * @environment_id: the environment's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads what the keyring holds for a provider and environment.
 */
void
dossier_secrets_load_async (const char          *provider_id,
                            const char          *environment_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (provider_id != NULL && *provider_id != '\0');
  g_return_if_fail (environment_id != NULL && *environment_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = job_task_new (provider_id, environment_id, cancellable, callback, user_data,
                       dossier_secrets_load_async);
  job = g_task_get_task_data (task);
  job->loaded = dossier_credentials_new ();

  job->pending = N_KINDS;
  for (guint i = 0; i < N_KINDS; i++)
    {
      LookupStep *step = g_new0 (LookupStep, 1);

      step->task = g_object_ref (task);
      step->kind = i;
      secret_password_lookup (&credential_schema, cancellable, lookup_cb, step,
                              "provider", provider_id,
                              "environment", environment_id,
                              "kind", kind_names[i],
                              NULL);
    }
}

/**
 * dossier_secrets_load_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the credentials found (all empty when there
 *   are none), or %NULL with @error set
 */
DossierCredentials *
dossier_secrets_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_secrets_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* clear                                                                     */

/**
 * dossier_secrets_clear_async:
 * @provider_id: the provider's id
 * @environment_id: the environment's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes the token, client id and client secret kept for a provider and
 * environment.
 */
void
dossier_secrets_clear_async (const char          *provider_id,
                             const char          *environment_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (provider_id != NULL && *provider_id != '\0');
  g_return_if_fail (environment_id != NULL && *environment_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* saving no values deletes every item */
  task = job_task_new (provider_id, environment_id, cancellable, callback, user_data,
                       dossier_secrets_clear_async);
  start_saving (task);
}

/**
 * dossier_secrets_clear_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when nothing is left in the keyring for them
 */
gboolean
dossier_secrets_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
