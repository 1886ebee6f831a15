/* dossier-checklist-fetch.c: asking a provider what it still needs
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The requirement request and the list of files, as the descriptor's
 * "requirements" member describes them, sent through the DossierClient
 * (redirects refused, bounded answers, the URL rule of
 * dossier-client-rules.c), authorized by DossierAuth (the provider's token,
 * fetched with the request's own scope) or by DOKU's signed GET, then read
 * by dossier_checklist_update(). No provider is asked more than once a
 * minute per merchant: inside the minute the answers last read are used
 * again, and the caller is told so.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-auth-private.h"
#include "dossier-checklist-fetch.h"
#include "dossier-checklist-private.h"

typedef struct
{
  char *base_url;
  char *target;           /* the requirement request's path and query */
  GHashTable *values;
  DossierCredentials *credentials;
  DossierClient *client;
  DossierAuth *auth;
  GPtrArray *uploads;
  GHashTable *names;
  gint64 now;
  char *header_name;
  char *header_value;
  SoupMessage *msg;
  GBytes *answer;
  gboolean cached;
  gint64 age;
  /* the limiter counted this request: forgotten when it is cancelled */
  DossierChecklistLimiter *limiter;
  char *merchant_id;
} Refresh;

static void
refresh_free (gpointer data)
{
  Refresh *r = data;

  g_free (r->base_url);
  g_free (r->target);
  g_clear_pointer (&r->values, g_hash_table_unref);
  g_clear_object (&r->credentials);
  g_clear_object (&r->client);
  g_clear_object (&r->auth);
  g_clear_pointer (&r->uploads, g_ptr_array_unref);
  g_clear_pointer (&r->names, g_hash_table_unref);
  g_free (r->header_name);
  _dossier_auth_wipe_string (&r->header_value);
  g_clear_object (&r->msg);
  g_clear_pointer (&r->answer, g_bytes_unref);
  g_free (r->merchant_id);
  g_free (r);
}

static DossierProvider *
task_provider (GTask *task)
{
  return dossier_checklist_get_provider (g_task_get_source_object (task));
}

/* Computes the items from @answer and @files; the task's result */
static void
settle (GTask  *task,
        GBytes *answer,
        GBytes *files)
{
  DossierChecklist *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  gsize answer_length = 0, files_length = 0;
  const char *answer_data = answer ? g_bytes_get_data (answer, &answer_length) : NULL;
  const char *files_data = files ? g_bytes_get_data (files, &files_length) : NULL;

  if (!dossier_checklist_update (self, answer_data, answer_length, files_data, files_length,
                                 r->uploads, r->names, r->now, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Every failure says what was being done */
static void
return_failure (GTask  *task,
                GError *error)
{
  Refresh *r = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* the clerk cancelled: no answer was read, Retry asks at once */
      if (r->limiter != NULL)
        dossier_checklist_limiter_forget (r->limiter, dossier_provider_get_id (task_provider (task)),
                                          r->merchant_id);
      r->limiter = NULL;
      g_task_return_error (task, error);
      return;
    }
  /* Translators: "Could not ask Moov what it still needs: Moov answered 404: account not found" */
  g_task_return_new_error (task, error->domain, error->code, _("Could not ask %s what it still needs: %s"),
                           dossier_provider_get_name (task_provider (task)), error->message);
  g_error_free (error);
}

static void send_request (GTask      *task_in,
                          const char *target,
                          gboolean    files);

/* The body of a successful answer, or NULL when the task was given its
 * failure */
static GBytes *
read_answer (GTask        *task,
             GObject      *client,
             GAsyncResult *result)
{
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *body = _dossier_auth_read_answer (r->auth, DOSSIER_CLIENT (client), result, r->msg, r->header_value,
                                            DOSSIER_ANSWER_REFUSAL_WORDS | DOSSIER_ANSWER_FOR_REQUIREMENTS,
                                            NULL, &error);

  if (body == NULL)
    return_failure (task, error);
  return body;
}

static void
files_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierChecklist *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GBytes) body = read_answer (task, object, result);

  if (body == NULL)
    return;
  _dossier_checklist_set_answers (self, r->answer, body, r->now);
  settle (task, r->answer, body);
}

static void
answer_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DossierChecklist *self = g_task_get_source_object (task);
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (task_provider (task));
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GBytes) body = read_answer (task, object, result);
  g_autofree char *files_target = NULL;
  GError *error = NULL;

  if (body == NULL)
    return;

  if (spec->files_path == NULL)
    {
      _dossier_checklist_set_answers (self, body, NULL, r->now);
      settle (task, body, NULL);
      return;
    }

  r->answer = g_steal_pointer (&body);
  files_target = dossier_expand_template (spec->files_path, r->values, TRUE, &error);
  if (files_target == NULL)
    {
      return_failure (task, error);
      return;
    }
  send_request (g_steal_pointer (&task), files_target, TRUE);
}

/* GET @target (path and query) at the base address, with the request's
 * authorization; files: the provider's list of files */
static void
send_request (GTask      *task_in,
              const char *target,
              gboolean    files)
{
  g_autoptr(GTask) task = task_in;
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (task_provider (task));
  Refresh *r = g_task_get_task_data (task);
  g_autofree char *uri = g_strconcat (r->base_url, target, NULL);
  g_autofree char *path = NULL;
  SoupMessageHeaders *headers;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!dossier_client_check_url_for (uri, DOSSIER_URL_USE_CREDENTIALS, &error))
    {
      return_failure (task, error);
      return;
    }

  g_clear_object (&r->msg);
  r->msg = soup_message_new (files ? spec->files_method : spec->method, uri);
  if (r->msg == NULL)
    {
      return_failure (task, g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                                         _("“%s” is not a valid address"), uri));
      return;
    }
  dossier_client_prepare_message (r->msg);
  headers = soup_message_get_request_headers (r->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (spec->auth == DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE)
    {
      /* the Request-Target is the path without the query */
      path = g_strndup (target, strcspn (target, "?"));
      dossier_auth_doku_sign_get (r->msg, dossier_credentials_get_client_id (r->credentials),
                                  dossier_credentials_get_client_secret (r->credentials), path);
    }
  else if (r->header_name != NULL)
    soup_message_headers_replace (headers, r->header_name, r->header_value);

  cancellable = g_task_get_cancellable (task);
  dossier_client_send_and_read_async (r->client, r->msg, DOSSIER_CHECKLIST_ANSWER_MAX, cancellable,
                                      files ? files_read_cb : answer_read_cb, g_steal_pointer (&task));
}

static void
header_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;

  if (!dossier_auth_get_header_finish (DOSSIER_AUTH (object), result, &r->header_name, &r->header_value, &error))
    {
      return_failure (task, error);
      return;
    }
  send_request (g_steal_pointer (&task), r->target, FALSE);
}

/**
 * dossier_checklist_refresh_async:
 * @checklist: the checklist of one provider
 * @base_url: where the provider's API is (the environment's address)
 * @merchant_id: (nullable): whose checklist it is, for the limiter
 * @account_values: (element-type utf8 utf8): the merchant's account values
 *   for this provider (Moov's accountID, DOKU's business type…)
 * @credentials: the credentials to ask with
 * @client: the client the requests go through
 * @limiter: (nullable): no provider asked more than once a minute per
 *   merchant (a cancelled request is forgotten); it must outlive the
 *   request
 * @uploads: (element-type DossierChecklistUpload) (nullable): the merchant's
 *   uploads to this provider
 * @names: (element-type utf8 utf8) (nullable): display names for ids
 * @now: the time (Unix seconds), for the limiter and the links' expiry
 *
 * Asks the provider what it still needs (its requirement request, then its
 * list of files where the descriptor has one) and computes the checklist.
 * A provider without a requirement API is not asked: its static items and
 * the uploads make the checklist. Inside the limiter's minute the answers
 * this checklist last read are used again, without a request.
 */
void
dossier_checklist_refresh_async (DossierChecklist        *checklist,
                                 const char              *base_url,
                                 const char              *merchant_id,
                                 GHashTable              *account_values,
                                 DossierCredentials      *credentials,
                                 DossierClient           *client,
                                 DossierChecklistLimiter *limiter,
                                 GPtrArray               *uploads,
                                 GHashTable              *names,
                                 gint64                   now,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  DossierProvider *provider;
  const DossierRequirementsSpec *spec;
  const char *name;
  Refresh *r;
  gint64 wait = 0;
  GBytes *answer, *files;
  gint64 asked_at;
  GError *error = NULL;
  g_autofree char *missing = NULL;

  g_return_if_fail (DOSSIER_IS_CHECKLIST (checklist));
  g_return_if_fail (DOSSIER_IS_CREDENTIALS (credentials));
  g_return_if_fail (DOSSIER_IS_CLIENT (client));

  provider = dossier_checklist_get_provider (checklist);
  spec = dossier_provider_get_requirements (provider);
  name = dossier_provider_get_name (provider);

  task = g_task_new (checklist, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_checklist_refresh_async);
  r = g_new0 (Refresh, 1);
  r->base_url = g_strdup (base_url);
  r->values = account_values ? g_hash_table_ref (account_values)
                             : g_hash_table_new (g_str_hash, g_str_equal);
  r->credentials = g_object_ref (credentials);
  r->client = g_object_ref (client);
  r->uploads = uploads ? g_ptr_array_ref (uploads) : NULL;
  r->names = names ? g_hash_table_ref (names) : NULL;
  r->now = now;
  g_task_set_task_data (task, r, refresh_free);

  /* no requirement API: static items and the uploads */
  if (spec == NULL || spec->method == NULL)
    {
      settle (task, NULL, NULL);
      return;
    }

  /* what would fail without a request does not count as asking */
  if (base_url == NULL)
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                               _("%s has no address for this environment"), name);
      return;
    }
  if (spec->auth == DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE &&
      (dossier_credentials_get_client_id (credentials) == NULL ||
       dossier_credentials_get_client_secret (credentials) == NULL))
    {
      const DossierAuthSpec *auth = dossier_provider_get_auth (provider);

      /* Translators: "DOKU's list of required documents is asked with the Client ID (…) and the Secret key" */
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                               _("%s’s list of required documents is asked with the %s and the %s"),
                               name, auth->client_id_label, auth->client_secret_label);
      return;
    }
  if (spec->auth != DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE &&
      !dossier_credentials_is_usable (credentials, provider, &missing))
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH, "%s", missing);
      return;
    }
  if ((r->target = dossier_checklist_request_target (provider, r->values, &error)) == NULL)
    {
      return_failure (task, error);
      return;
    }

  if (limiter != NULL &&
      !dossier_checklist_limiter_try (limiter, dossier_provider_get_id (provider), merchant_id, now, &wait))
    {
      if (!_dossier_checklist_get_answers (checklist, &answer, &files, &asked_at))
        {
          /* Translators: "Moov was asked less than a minute ago; ask again in 20 s" */
          g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                                   _("%s was asked less than a minute ago; ask again in %d s"),
                                   name, (int) wait);
          return;
        }
      r->cached = TRUE;
      r->age = MAX (now - asked_at, 0);
      settle (task, answer, files);
      return;
    }

  if (limiter != NULL)
    {
      r->limiter = limiter;
      r->merchant_id = g_strdup (merchant_id);
    }

  /* the auth object also words the provider's messages without secrets */
  r->auth = dossier_auth_new (provider, base_url, credentials, client);
  if (spec->auth == DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE)
    send_request (g_steal_pointer (&task), r->target, FALSE);
  else
    dossier_auth_get_header_for_scope_async (r->auth, spec->scope, r->values, cancellable, header_cb,
                                             g_steal_pointer (&task));
}

/**
 * dossier_checklist_refresh_finish:
 * @out_cached: (out) (optional): %TRUE when the provider was not asked (the
 *   limiter's minute): the answers last read were used
 * @out_age: (out) (optional): then how many seconds ago it was asked
 *
 * Returns: %TRUE when the checklist was computed, else %FALSE with @error
 *   in the provider's words
 */
gboolean
dossier_checklist_refresh_finish (DossierChecklist  *checklist,
                                  GAsyncResult      *result,
                                  gboolean          *out_cached,
                                  gint64            *out_age,
                                  GError           **error)
{
  Refresh *r;

  g_return_val_if_fail (g_task_is_valid (result, checklist), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_checklist_refresh_async, FALSE);

  r = g_task_get_task_data (G_TASK (result));
  if (out_cached != NULL)
    *out_cached = r->cached;
  if (out_age != NULL)
    *out_age = r->age;
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
dossier_checklist_describe_age (gint64 age)
{
  /* Translators: a checklist not asked again within the minute: "checked 20 s ago" */
  return g_strdup_printf (_("checked %d s ago"), (int) MIN (age, G_MAXINT));
}
