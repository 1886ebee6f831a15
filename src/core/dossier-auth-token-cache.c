/* dossier-auth-token-cache.c: tokens kept until they expire, one request for all who wait
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dossier-auth-private.h"
#include "dossier-util.h"

#define TOKEN_EXPIRY_MARGIN  60                /* seconds */

typedef struct
{
  GTask            *task;
  DossierAuthFetch *fetch;
  GSource          *cancel_source;
} Waiter;

void
_dossier_auth_token_free (gpointer data)
{
  DossierAuthToken *token = data;

  _dossier_auth_wipe_string (&token->value);
  g_free (token);
}

static DossierAuthToken *
token_copy (const DossierAuthToken *token)
{
  DossierAuthToken *copy = g_new0 (DossierAuthToken, 1);

  copy->value = g_strdup (token->value);
  copy->expires = token->expires;
  copy->obtained = token->obtained;
  copy->fetched = token->fetched;

  return copy;
}

gint64
_dossier_auth_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
token_fresh (const DossierAuthToken *token,
             gint64                  now)
{
  gint64 margin = MIN (TOKEN_EXPIRY_MARGIN, (token->expires - token->obtained) / 2);

  return now < token->expires - margin;
}

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
fetch_forget (DossierAuthFetch *fetch)
{
  if (g_hash_table_lookup (fetch->auth->fetches, fetch->key) == fetch)
    g_hash_table_remove (fetch->auth->fetches, fetch->key);
}

/* Hands the outcome to every caller waiting for it, then frees @fetch */
void
_dossier_auth_fetch_complete (DossierAuthFetch       *fetch,
                              const DossierAuthToken *token,
                              const GError           *error)
{
  GList *waiters = g_steal_pointer (&fetch->waiters);

  fetch_forget (fetch);

  if (token != NULL && fetch->generation == fetch->auth->generation)
    g_hash_table_replace (fetch->auth->tokens, g_strdup (fetch->key), token_copy (token));

  for (GList *l = waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (token != NULL)
        g_task_return_pointer (waiter->task, token_copy (token), _dossier_auth_token_free);
      else
        g_task_return_error (waiter->task, g_error_copy (error));
      waiter_free (waiter);
    }
  g_list_free (waiters);

  _dossier_auth_fetch_free (fetch);
}

static gboolean
waiter_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  Waiter *waiter = user_data;
  DossierAuthFetch *fetch = waiter->fetch;

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
fetch_add_waiter (DossierAuthFetch *fetch,
                  GTask            *task)
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


/* Gives a DossierAuthToken: pasted (fetched FALSE), cached or freshly fetched;
 * value NULL for providers without credentials */
void
_dossier_auth_acquire_token_async (DossierAuth         *self,
                                   GHashTable          *values,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  _dossier_auth_acquire_token_for_scope_async (self, dossier_provider_get_auth (self->provider)->token_scope,
                                               values, cancellable, callback, user_data);
}

/* The same, a fetched token asked for @scope_template (expanded with
 * @values) instead of the descriptor's token scope; tokens are cached per
 * expanded scope */
void
_dossier_auth_acquire_token_for_scope_async (DossierAuth         *self,
                                             const char          *scope_template,
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
  DossierAuthToken *cached;
  DossierAuthFetch *fetch;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _dossier_auth_acquire_token_async);

  if (auth->scheme == DOSSIER_AUTH_SCHEME_NONE || secret != NULL)
    {
      DossierAuthToken pasted = { (char *) secret, 0, 0, FALSE };

      if (auth->scheme == DOSSIER_AUTH_SCHEME_NONE)
        pasted.value = NULL;
      g_task_return_pointer (task, token_copy (&pasted), _dossier_auth_token_free);
      return;
    }

  if (!dossier_credentials_is_usable (self->credentials, self->provider, &missing))
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH, "%s", missing);
      return;
    }

  if (scope_template != NULL &&
      !(scope = dossier_expand_template (scope_template, values, FALSE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cached = g_hash_table_lookup (self->tokens, scope ? scope : "");
  if (cached != NULL && token_fresh (cached, _dossier_auth_now ()))
    {
      g_task_return_pointer (task, token_copy (cached), _dossier_auth_token_free);
      return;
    }
  g_hash_table_remove (self->tokens, scope ? scope : "");

  fetch = g_hash_table_lookup (self->fetches, scope ? scope : "");
  if (fetch == NULL &&
      !(fetch = _dossier_auth_fetch_start (self, scope ? scope : "", scope, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetch_add_waiter (fetch, task);
}

DossierAuthToken *
_dossier_auth_acquire_token_finish (DossierAuth   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
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
  return dropped > 0 || _dossier_auth_has_client_credentials (self->credentials, auth);
}

