/* dossier-auth-check.c: proving credentials before an upload
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-auth-private.h"
#include "dossier-client.h"
#include "dossier-result-private.h"
#include "dossier-util.h"

typedef struct
{
  GHashTable       *values;
  DossierAuthToken *token;
  SoupMessage      *msg;
  guint8           *buffer;
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *check = data;

  g_clear_pointer (&check->values, g_hash_table_unref);
  g_clear_pointer (&check->token, _dossier_auth_token_free);
  g_clear_object (&check->msg);
  if (check->buffer != NULL)
    {
      memset (check->buffer, 0, DOSSIER_AUTH_RESPONSE_MAX + 1);
      g_free (check->buffer);
    }
  g_free (check);
}

static char *
token_valid_sentence (DossierAuth            *self,
                      const DossierAuthToken *token,
                      gboolean                checked)
{
  gint64 left = MAX (token->expires - _dossier_auth_now (), 0);
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
check_answered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierAuth *self = g_task_get_source_object (task);
  const DossierAuthSpec *auth = dossier_provider_get_auth (self->provider);
  const char *name = dossier_provider_get_name (self->provider);
  CheckData *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gsize length = 0;
  guint status;

  check->buffer = _dossier_auth_send_finish (self, result, &length, &error);
  if (check->buffer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        /* Translators: "Could not check the credentials with Moov: Connection refused" */
        g_task_return_new_error (task, error->domain, error->code,
                                 _("Could not check the credentials with %s: %s"),
                                 name, error->message);
      return;
    }

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

  if (length <= DOSSIER_AUTH_RESPONSE_MAX)
    message = _dossier_auth_provider_message (self, check->buffer, length, check->token->value);

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

  if (!(check->token = _dossier_auth_acquire_token_finish (self, result, &error)))
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
  _dossier_auth_make_header (self, check->token->value, &header_name, &header_value);
  soup_message_headers_replace (headers, header_name, header_value);
  soup_message_headers_replace (headers, "Accept", "application/json");
  _dossier_auth_wipe_string (&header_value);

  cancellable = g_task_get_cancellable (task);
  _dossier_auth_send_async (self, check->msg, cancellable, check_answered_cb,
                            g_steal_pointer (&task));
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

  _dossier_auth_acquire_token_async (self, values, cancellable, check_token_cb, g_steal_pointer (&task));
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

