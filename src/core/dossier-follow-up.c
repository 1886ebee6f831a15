/* dossier-follow-up.c: asking a provider how it decided on what was sent, and recording it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One follow-up is one merchant and one provider: Moov is asked for the
 * account's files (and its capabilities, for the error code a rejected
 * requirement carries) with a token of the files.read and
 * capabilities.read scopes; DOKU for its Get Business Data, a GET signed
 * like File Requirements, at /adv-core-api/partner/v1.0/business/{id}
 * where id is the merchant's "businessClientId" account value, else the
 * Client ID of the credentials.  Every request goes through the
 * DossierClient (redirects refused, answers bounded, the URL rule).  What
 * changed is recorded in the history as "status" lines
 * (dossier-history-status.c) and returned.  A 429 or 503 returns the wait
 * the provider asked for (Retry-After, or Moov's X-Retry-In), 60 s when it
 * gave none with a 429.  Kore.ai and receeve have no such endpoint.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-auth-private.h"
#include "dossier-follow-up-private.h"
#include "dossier-history-private.h"
#include "dossier-json-private.h"

#define FOLLOW_UP_ANSWER_MAX (1024 * 1024)
#define DOKU_BUSINESS_PATH "/adv-core-api/partner/v1.0/business/"

typedef enum
{
  DIALECT_NONE,
  DIALECT_MOOV,
  DIALECT_DOKU,
} Dialect;

typedef struct
{
  DossierHistory     *history;
  DossierProvider    *provider;
  char               *base_url;
  GHashTable         *values;
  DossierCredentials *credentials;
  DossierClient      *client;
  DossierAuth        *auth;
  GPtrArray          *entries;
  char               *header_name;
  char               *header_value;
  SoupMessage        *msg;
  GBytes             *files;
  GPtrArray          *decisions;
  gint64              retry_after;
} FollowUp;

static void
follow_up_free (gpointer data)
{
  FollowUp *f = data;

  g_clear_object (&f->history);
  g_clear_object (&f->provider);
  g_free (f->base_url);
  g_clear_pointer (&f->values, g_hash_table_unref);
  g_clear_object (&f->credentials);
  g_clear_object (&f->client);
  g_clear_object (&f->auth);
  g_clear_pointer (&f->entries, g_ptr_array_unref);
  g_free (f->header_name);
  _dossier_auth_wipe_string (&f->header_value);
  g_clear_object (&f->msg);
  g_clear_pointer (&f->files, g_bytes_unref);
  g_clear_pointer (&f->decisions, g_ptr_array_unref);
  g_free (f);
}

void
dossier_follow_up_decision_free (DossierFollowUpDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->merchant_id);
  g_free (decision->provider_id);
  g_free (decision->provider_name);
  g_free (decision->file_name);
  g_free (decision->remote_id);
  g_free (decision->status);
  g_free (decision->reason);
  g_free (decision->error_code);
  g_free (decision);
}

DossierFollowUpDecision *
_dossier_follow_up_decision_new (DossierHistoryEntry *entry,
                                 const char          *remote_id,
                                 const char          *status,
                                 const char          *reason,
                                 const char          *error_code,
                                 gboolean             reconciled,
                                 gboolean             final)
{
  DossierFollowUpDecision *d = g_new0 (DossierFollowUpDecision, 1);

  d->merchant_id = g_strdup (dossier_history_entry_get_merchant_id (entry));
  d->provider_id = g_strdup (dossier_history_entry_get_provider_id (entry));
  d->provider_name = g_strdup (dossier_history_entry_get_provider_name (entry));
  d->file_name = g_strdup (dossier_history_entry_get_file_name (entry));
  d->remote_id = g_strdup (remote_id != NULL ? remote_id : dossier_history_entry_get_remote_id (entry));
  d->status = g_strdup (status);
  d->reason = g_strdup (reason);
  d->error_code = g_strdup (error_code);
  d->reconciled = reconciled;
  d->final = final;
  return d;
}

static Dialect
dialect_of (DossierProvider *provider)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (provider);

  if (spec != NULL && spec->files_method != NULL && spec->files_path != NULL && spec->files_status != NULL)
    return DIALECT_MOOV;
  if (spec != NULL && spec->auth == DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE)
    return DIALECT_DOKU;
  return DIALECT_NONE;
}

gboolean
dossier_follow_up_reports_reviews (DossierProvider *provider)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), FALSE);
  return dialect_of (provider) != DIALECT_NONE;
}

char *
dossier_follow_up_describe_no_reviews (DossierProvider *provider)
{
  /* Translators: "Kore.ai does not report how it reviews uploads: they stay “sent”." */
  return g_strdup_printf (_("%s does not report how it reviews uploads: they stay “sent”."),
                          dossier_provider_get_name (provider));
}

/**
 * dossier_follow_up_describe_decision:
 * @merchant_name: (nullable): the merchant's display name
 *
 * The decision in one sentence for a notification: "Moov rejected
 * ktp.png of Toko Makmur: document-illegible", "Moov accepted ktp.png of
 * Toko Makmur", or, for a status the descriptor does not name (DOKU's),
 * "DOKU: agreement.png of Toko Makmur is now “NEED_SIGNATURE”".
 */
char *
dossier_follow_up_describe_decision (DossierProvider               *provider,
                                     const DossierFollowUpDecision *decision,
                                     const char                    *merchant_name)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (provider);
  const char *name = dossier_provider_get_name (provider);
  const char *who = merchant_name != NULL ? merchant_name : decision->merchant_id;
  const char *why = decision->error_code != NULL ? decision->error_code : decision->reason;

  if (who == NULL)
    who = "—";
  if (spec != NULL && spec->files_rejected != NULL &&
      g_strv_contains ((const char * const *) spec->files_rejected, decision->status))
    {
      if (why != NULL)
        /* Translators: "Moov rejected ktp.png of Toko Makmur: document-illegible" */
        return g_strdup_printf (_("%s rejected %s of %s: %s"), name, decision->file_name, who, why);
      /* Translators: "Moov rejected ktp.png of Toko Makmur" */
      return g_strdup_printf (_("%s rejected %s of %s"), name, decision->file_name, who);
    }
  if (spec != NULL && spec->files_accepted != NULL &&
      g_strv_contains ((const char * const *) spec->files_accepted, decision->status))
    /* Translators: "Moov accepted ktp.png of Toko Makmur" */
    return g_strdup_printf (_("%s accepted %s of %s"), name, decision->file_name, who);
  /* Translators: a status the provider does not document, as it came:
   * "DOKU: agreement.png of Toko Makmur is now “NEED_SIGNATURE”" */
  return g_strdup_printf (_("%s: %s of %s is now “%s”"), name, decision->file_name, who, decision->status);
}

GPtrArray *
dossier_follow_up_dup_entries (DossierHistory  *history,
                               DossierProvider *provider,
                               const char      *environment,
                               const char      *merchant_id)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (history));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      if (g_strcmp0 (dossier_history_entry_get_merchant_id (entry), merchant_id) != 0 ||
          g_strcmp0 (dossier_history_entry_get_provider_id (entry), dossier_provider_get_id (provider)) != 0 ||
          (environment != NULL && g_strcmp0 (dossier_history_entry_get_environment (entry), environment) != 0))
        continue;
      if ((dossier_history_entry_get_success (entry) && dossier_history_entry_get_remote_id (entry) != NULL) ||
          dossier_history_entry_get_outcome_unknown (entry))
        g_ptr_array_add (entries, g_steal_pointer (&entry));
    }
  return entries;
}

/* TRUE when @entry (an upload to @provider) still waits for the provider's
 * decision, or for its outcome */
gboolean
dossier_follow_up_entry_is_pending (DossierProvider     *provider,
                                    DossierHistoryEntry *entry)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (provider);
  const char *status = dossier_history_entry_get_remote_status (entry);

  if (dossier_history_entry_get_outcome_unknown (entry))
    return TRUE;
  if (!dossier_history_entry_get_success (entry) || dossier_history_entry_get_remote_id (entry) == NULL)
    return FALSE;
  return status == NULL || g_str_equal (status, "ON_PROCESS") ||
         (spec != NULL && spec->files_pending != NULL &&
          g_strv_contains ((const char * const *) spec->files_pending, status));
}

gboolean
dossier_follow_up_has_pending (DossierHistory  *history,
                               DossierProvider *provider,
                               const char      *merchant_id)
{
  g_autoptr(GPtrArray) entries = NULL;

  if (!dossier_follow_up_reports_reviews (provider))
    return FALSE;
  entries = dossier_follow_up_dup_entries (history, provider, NULL, merchant_id);
  for (guint i = 0; i < entries->len; i++)
    if (dossier_follow_up_entry_is_pending (provider, g_ptr_array_index (entries, i)))
      return TRUE;
  return FALSE;
}

JsonObject *
_dossier_follow_up_get_object (JsonObject *object,
                               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonNode *
_dossier_follow_up_parse (DossierProvider *provider,
                          JsonParser      *parser,
                          GBytes          *answer,
                          GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  const char *data = answer != NULL ? g_bytes_get_data (answer, &length) : "";

  if (!dossier_json_load (parser, data, length, FOLLOW_UP_ANSWER_MAX, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      /* Translators: "Moov's answer could not be read: …" */
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, _("%s’s answer could not be read: %s"),
                   dossier_provider_get_name (provider),
                   local_error != NULL ? local_error->message : _("it is empty"));
      return NULL;
    }
  return json_parser_get_root (parser);
}

/* -------------------------------------------------------------------------- */
/* The requests                                                               */

static void
return_failure (GTask  *task,
                GError *error)
{
  FollowUp *f = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Translators: "Could not ask Moov how it reviewed the uploads: Moov answered 404: …" */
  g_task_return_new_error (task, error->domain, error->code, _("Could not ask %s how it reviewed the uploads: %s"),
                           dossier_provider_get_name (f->provider), error->message);
  g_error_free (error);
}

static GBytes *
read_answer (GTask        *task,
             GObject      *client,
             GAsyncResult *result)
{
  FollowUp *f = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *body = _dossier_auth_read_answer (f->auth, DOSSIER_CLIENT (client), result, f->msg, f->header_value,
                                            DOSSIER_ANSWER_RETRY_AFTER, &f->retry_after, &error);

  if (body == NULL)
    return_failure (task, error);
  return body;
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FollowUp *f = g_task_get_task_data (task);
  GError *error = NULL;

  if (!dossier_history_append_events_finish (DOSSIER_HISTORY (object), result, &error))
    {
      /* Translators: "The review could not be recorded: No space left on device" */
      g_task_return_new_error (task, error->domain, error->code, _("The review could not be recorded: %s"),
                               error->message);
      g_error_free (error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&f->decisions), (GDestroyNotify) g_ptr_array_unref);
}

/* Records what was found (the entries change at once; the task returns
 * once the lines are on the disk) */
static void
settle (GTask     *task_in,
        GPtrArray *statuses,
        GPtrArray *decisions)
{
  g_autoptr(GTask) task = task_in;
  FollowUp *f = g_task_get_task_data (task);

  f->decisions = g_ptr_array_ref (decisions);
  if (statuses->len == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&f->decisions), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  _dossier_history_ensure_loaded (f->history);
  dossier_history_append_events_async (f->history, statuses, recorded_cb, g_steal_pointer (&task));
}

static void send_get (GTask *task_in, const char *target, GAsyncReadyCallback callback);

/* The last answer (Moov's capabilities, DOKU's business data): decided,
 * recorded */
static void
last_answer_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FollowUp *f = g_task_get_task_data (task);
  g_autoptr(GBytes) body = read_answer (task, object, result);
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_follow_up_decision_free);
  GError *error = NULL;
  gboolean ok;

  if (body == NULL)
    return;
  if (dialect_of (f->provider) == DIALECT_DOKU)
    ok = _dossier_follow_up_doku_decide (f->provider, f->entries, body, statuses, decisions, &error);
  else
    ok = _dossier_follow_up_moov_decide (f->provider, f->entries, f->files, body, statuses, decisions, &error);
  if (!ok)
    {
      return_failure (task, error);
      return;
    }
  settle (g_steal_pointer (&task), statuses, decisions);
}

static void
files_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FollowUp *f = g_task_get_task_data (task);
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (f->provider);
  g_autofree char *target = NULL;
  GError *error = NULL;

  if ((f->files = read_answer (task, object, result)) == NULL)
    return;
  if ((target = dossier_expand_template (spec->path, f->values, TRUE, &error)) == NULL)
    {
      return_failure (task, error);
      return;
    }
  send_get (g_steal_pointer (&task), target, last_answer_cb);
}

static void
send_get (GTask               *task_in,
          const char          *target,
          GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = task_in;
  FollowUp *f = g_task_get_task_data (task);
  g_autofree char *uri = g_strconcat (f->base_url, target, NULL);
  SoupMessageHeaders *headers;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!dossier_client_check_url_for (uri, DOSSIER_URL_USE_CREDENTIALS, &error))
    {
      return_failure (task, error);
      return;
    }
  g_clear_object (&f->msg);
  if ((f->msg = soup_message_new ("GET", uri)) == NULL)
    {
      return_failure (task, g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_INVALID, _("“%s” is not a valid address"), uri));
      return;
    }
  dossier_client_prepare_message (f->msg);
  headers = soup_message_get_request_headers (f->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (dialect_of (f->provider) == DIALECT_DOKU)
    {
      g_autofree char *path = g_strndup (target, strcspn (target, "?"));

      dossier_auth_doku_sign_get (f->msg, dossier_credentials_get_client_id (f->credentials),
                                  dossier_credentials_get_client_secret (f->credentials), path);
    }
  else if (f->header_name != NULL)
    soup_message_headers_replace (headers, f->header_name, f->header_value);

  cancellable = g_task_get_cancellable (task);
  dossier_client_send_and_read_async (f->client, f->msg, FOLLOW_UP_ANSWER_MAX, cancellable,
                                      callback, g_steal_pointer (&task));
}

static void
header_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FollowUp *f = g_task_get_task_data (task);
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (f->provider);
  g_autofree char *target = NULL;
  GError *error = NULL;

  if (!dossier_auth_get_header_finish (DOSSIER_AUTH (object), result, &f->header_name, &f->header_value, &error) ||
      (target = dossier_expand_template (spec->files_path, f->values, TRUE, &error)) == NULL)
    {
      return_failure (task, error);
      return;
    }
  send_get (g_steal_pointer (&task), target, files_read_cb);
}

void
dossier_follow_up_async (DossierHistory      *history,
                         DossierProvider     *provider,
                         const char          *environment,
                         const char          *base_url,
                         const char          *merchant_id,
                         GHashTable          *account_values,
                         DossierCredentials  *credentials,
                         DossierClient       *client,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const DossierRequirementsSpec *spec;
  const char *name;
  FollowUp *f;
  g_autofree char *missing = NULL;
  Dialect dialect;

  g_return_if_fail (DOSSIER_IS_HISTORY (history));
  g_return_if_fail (DOSSIER_IS_PROVIDER (provider));
  g_return_if_fail (DOSSIER_IS_CREDENTIALS (credentials));
  g_return_if_fail (DOSSIER_IS_CLIENT (client));

  spec = dossier_provider_get_requirements (provider);
  name = dossier_provider_get_name (provider);
  dialect = dialect_of (provider);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_follow_up_async);
  f = g_new0 (FollowUp, 1);
  f->history = g_object_ref (history);
  f->provider = g_object_ref (provider);
  f->base_url = g_strdup (base_url);
  f->values = account_values != NULL ? g_hash_table_ref (account_values)
                                     : g_hash_table_new (g_str_hash, g_str_equal);
  f->credentials = g_object_ref (credentials);
  f->client = g_object_ref (client);
  f->retry_after = -1;
  f->entries = dossier_follow_up_dup_entries (history, provider, environment, merchant_id);
  g_task_set_task_data (task, f, follow_up_free);

  /* nothing to ask, or nobody to ask */
  if (dialect == DIALECT_NONE || f->entries->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (base_url == NULL)
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                               _("%s has no address for this environment"), name);
      return;
    }

  f->auth = dossier_auth_new (provider, base_url, credentials, client);
  if (dialect == DIALECT_DOKU)
    {
      const char *id = g_hash_table_lookup (f->values, "businessClientId");
      g_autofree char *escaped = NULL;
      g_autofree char *target = NULL;

      if (id == NULL)
        id = dossier_credentials_get_client_id (credentials);
      if (id == NULL || dossier_credentials_get_client_secret (credentials) == NULL)
        {
          const DossierAuthSpec *auth = dossier_provider_get_auth (provider);

          /* Translators: "DOKU's business data is asked with the Client ID and the Secret key" */
          g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH,
                                   _("%s’s business data is asked with the %s and the %s"),
                                   name, auth->client_id_label, auth->client_secret_label);
          return;
        }
      escaped = g_uri_escape_string (id, NULL, FALSE);
      target = g_strconcat (DOKU_BUSINESS_PATH, escaped, NULL);
      send_get (g_steal_pointer (&task), target, last_answer_cb);
      return;
    }

  if (!dossier_credentials_is_usable (credentials, provider, &missing))
    {
      g_task_return_new_error (task, DOSSIER_ERROR, DOSSIER_ERROR_AUTH, "%s", missing);
      return;
    }
  dossier_auth_get_header_for_scope_async (f->auth, spec->scope, f->values, cancellable, header_cb,
                                           g_steal_pointer (&task));
}

GPtrArray *
dossier_follow_up_finish (GAsyncResult  *result,
                          gint64        *out_retry_after,
                          GError       **error)
{
  FollowUp *f;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_follow_up_async, NULL);

  /* a result without its data: a follow-up that could not start (the
   * application's start function says why, dossier-follow-up-gui.c) */
  f = g_task_get_task_data (G_TASK (result));
  if (out_retry_after != NULL)
    *out_retry_after = f != NULL ? f->retry_after : -1;
  return g_task_propagate_pointer (G_TASK (result), error);
}
