/* test-follow-up.c: how the providers reviewed what was sent, recorded
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the sandbox on loopback: Moov files decided on command, a lost
 * answer reconciled through the list of files, DOKU's Get Business Data
 * with a status DOKU does not document, a 429 with Retry-After.
 */

#include "config.h"

#include <string.h>

#include "dossier-follow-up.h"
#include "dossier-history.h"
#include "dossier-history-private.h"
#include "dossier-follow-up-scheduler.h"
#include "dossier-task.h"
#include "dossier-task-private.h"

#include "dossier-test-util.h"

#define MERCHANT "m-toko"
#define BUSINESS "document.business.verification"

static char *state_dir;

/* Sends @name (a PNG) to @provider_id for the merchant; the upload */
static DossierUpload *
send_file (DossierTestFixture *fx,
           DossierSubmission  *submission,
           const char         *name,
           guint               size,
           const char        **values)
{
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, name, size, TRUE);
  DossierUpload *upload = dossier_submission_add_file (submission, file);

  for (guint i = 0; values != NULL && values[i] != NULL; i += 2)
    dossier_upload_set_value (upload, values[i], values[i + 1]);
  dossier_test_run_to_end (submission);
  return upload;
}

static DossierSubmission *
moov_submission (DossierTestFixture *fx)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  DossierSubmission *submission = dossier_test_submission_new (moov, fx->sandbox, NULL,
                                                               DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                                               DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);

  dossier_submission_set_value (submission, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  dossier_submission_set_merchant_id (submission, MERCHANT);
  return submission;
}

static void
review (DossierTestFixture *fx,
        const char         *body)
{
  g_autofree char *uri = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), "/_sandbox/moov/review", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_assert_cmpuint (dossier_test_send (msg, NULL), ==, 200);
}

/* Starts a follow-up of @provider for @merchant_id against the sandbox
 * (the application's part, for the scheduler) */
static void
start_follow_up (const char          *merchant_id,
                 DossierProvider     *provider,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             callback_data,
                 gpointer             user_data)
{
  DossierTestFixture *fx = user_data;
  g_autoptr(DossierCredentials) credentials = dossier_credentials_new ();
  g_autoptr(DossierClient) client = dossier_client_new (2);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  const DossierEnvironment *env = dossier_provider_lookup_environment (provider, "sandbox");
  g_autofree char *base_url = dossier_provider_resolve_base_url (env->base_url,
                                                                 dossier_sandbox_get_base_url (fx->sandbox));

  if (g_str_equal (dossier_provider_get_id (provider), "moov"))
    {
      g_hash_table_insert (values, (gpointer) "accountID", (gpointer) DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
      dossier_credentials_set_client_id (credentials, DOSSIER_SANDBOX_MOOV_CLIENT_ID);
      dossier_credentials_set_client_secret (credentials, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
    }
  else
    {
      dossier_credentials_set_client_id (credentials, DOSSIER_SANDBOX_DOKU_CLIENT_ID);
      dossier_credentials_set_client_secret (credentials, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
    }
  dossier_follow_up_async (dossier_history_get_default (), provider, "sandbox", base_url, merchant_id, values,
                           credentials, client, cancellable, callback, callback_data);
}

/* One follow-up of @provider_id for the merchant, run to its end */
static GPtrArray *
follow_up (DossierTestFixture *fx,
           const char         *provider_id,
           gint64             *retry_after,
           GError            **error)
{
  g_autoptr(DossierProvider) provider = dossier_test_load_provider (provider_id);
  g_autoptr(GAsyncResult) result = NULL;
  guint timeout = dossier_test_timeout_add ();
  GPtrArray *decisions;

  start_follow_up (MERCHANT, provider, NULL, dossier_test_keep_result_cb, &result, fx);
  dossier_test_wait_result (&result);
  g_source_remove (timeout);
  decisions = dossier_follow_up_finish (result, retry_after, error);
  return decisions;
}

static DossierHistoryEntry *
entry_for (DossierUpload *upload)
{
  DossierHistory *history = dossier_history_get_default ();

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (history)); i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      if (g_strcmp0 (dossier_history_entry_get_record_id (entry), dossier_upload_get_record_id (upload)) == 0)
        return entry;   /* the history keeps it */
    }
  g_assert_not_reached ();
}

static void
clear_history (void)
{
  g_assert_true (dossier_history_clear (dossier_history_get_default (), NULL));
}

/* approved and rejected come back, recorded, and survive a reload; asked
 * again, nothing new */
static void
test_moov_decisions (DossierTestFixture *fx,
                     gconstpointer       data)
{
  g_autoptr(DossierSubmission) submission = moov_submission (fx);
  const char *business[] = { "filePurpose", "business_verification",
                             "metadata", "{\"requirement_id\":\"" BUSINESS "\"}", NULL };
  const char *plain[] = { "filePurpose", "representative_verification", NULL };
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  DossierUpload *blurry, *sharp;
  DossierHistoryEntry *entry;
  gint64 wait = 0;

  clear_history ();
  blurry = send_file (fx, submission, "blurry-deed.png", 3000, business);
  sharp = send_file (fx, submission, "ktp.png", 3100, plain);
  g_assert_cmpint (dossier_upload_get_state (blurry), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpint (dossier_upload_get_state (sharp), ==, DOSSIER_UPLOAD_STATE_DONE);

  /* nothing decided yet: nothing changes */
  decisions = follow_up (fx, "moov", &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 0);
  g_clear_pointer (&decisions, g_ptr_array_unref);
  g_assert_true (dossier_follow_up_has_pending (dossier_history_get_default (), moov, MERCHANT));

  review (fx, "{\"pending\":true}");
  decisions = follow_up (fx, "moov", &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 2);

  entry = entry_for (blurry);
  g_assert_cmpstr (dossier_history_entry_get_remote_status (entry), ==, "rejected");
  g_assert_cmpstr (dossier_history_entry_get_error_code (entry), ==, "document-illegible");
  g_assert_nonnull (strstr (dossier_history_entry_get_decision_reason (entry), "could not be read"));
  g_assert_nonnull (dossier_history_entry_get_decided_at (entry));
  entry = entry_for (sharp);
  g_assert_cmpstr (dossier_history_entry_get_remote_status (entry), ==, "approved");
  g_assert_null (dossier_history_entry_get_error_code (entry));

  for (guint i = 0; i < decisions->len; i++)
    {
      DossierFollowUpDecision *d = g_ptr_array_index (decisions, i);
      g_autofree char *text = dossier_follow_up_describe_decision (moov, d, "Toko Makmur");

      if (g_str_equal (d->file_name, "blurry-deed.png"))
        g_assert_cmpstr (text, ==, "Moov rejected blurry-deed.png of Toko Makmur: document-illegible");
      else
        g_assert_cmpstr (text, ==, "Moov accepted ktp.png of Toko Makmur");
      g_assert_true (d->final);
      g_assert_cmpstr (d->merchant_id, ==, MERCHANT);
      g_assert_cmpstr (d->provider_id, ==, "moov");
      if (g_str_equal (d->file_name, "blurry-deed.png"))
        g_assert_cmpstr (d->status, ==, "rejected");
      else
        g_assert_cmpstr (d->status, ==, "approved");
    }

  /* read again from the file: the same */
  dossier_history_reload (dossier_history_get_default ());
  entry = entry_for (blurry);
  g_assert_cmpstr (dossier_history_entry_get_remote_status (entry), ==, "rejected");
  g_assert_cmpstr (dossier_history_entry_get_error_code (entry), ==, "document-illegible");
  g_assert_false (dossier_follow_up_has_pending (dossier_history_get_default (), moov, MERCHANT));

  again = follow_up (fx, "moov", &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 0);
}

/* the answer lost after the file was stored: found in the list, recorded
 * with the real fileID, nothing stored twice */
static void
test_moov_reconcile (DossierTestFixture *fx,
                     gconstpointer       data)
{
  g_autoptr(DossierSubmission) submission = moov_submission (fx);
  const char *plain[] = { "filePurpose", "business_verification", NULL };
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) received = NULL;
  DossierFollowUpDecision *d;
  DossierHistoryEntry *entry;
  DossierUpload *lost;
  gint64 wait = 0;

  clear_history ();
  dossier_test_add_fault (fx->sandbox, "moov/upload:store-drop");
  lost = send_file (fx, submission, "npwp.png", 4000, plain);
  entry = entry_for (lost);
  g_assert_true (dossier_history_entry_get_outcome_unknown (entry));
  g_assert_null (dossier_history_entry_get_remote_id (entry));
  g_assert_cmpint (dossier_history_lookup_state (dossier_history_get_default (), dossier_upload_get_record_id (lost)),
                   ==, DOSSIER_RECORD_STATE_UNKNOWN);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, 1);

  decisions = follow_up (fx, "moov", &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  d = g_ptr_array_index (decisions, 0);
  g_assert_true (d->reconciled);
  g_assert_false (d->final);
  g_assert_cmpstr (d->status, ==, "pending");

  received = dossier_sandbox_dup_received (fx->sandbox);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (received)), ==, 1);
  g_assert_cmpstr (d->remote_id, ==,
                   json_object_get_string_member (json_array_get_object_element (json_node_get_array (received), 0),
                                                  "id"));

  entry = entry_for (lost);
  g_assert_false (dossier_history_entry_get_outcome_unknown (entry));
  g_assert_true (dossier_history_entry_get_success (entry));
  g_assert_true (dossier_history_entry_get_reconciled (entry));
  g_assert_cmpstr (dossier_history_entry_get_remote_id (entry), ==, d->remote_id);
  g_assert_cmpint (dossier_history_lookup_state (dossier_history_get_default (), dossier_upload_get_record_id (lost)),
                   ==, DOSSIER_RECORD_STATE_SENT);

  /* and so it reads from the file */
  dossier_history_reload (dossier_history_get_default ());
  entry = entry_for (lost);
  g_assert_true (dossier_history_entry_get_reconciled (entry));
  g_assert_cmpstr (dossier_history_entry_get_remote_id (entry), ==, d->remote_id);
  g_assert_cmpint (dossier_history_lookup_state (dossier_history_get_default (), dossier_upload_get_record_id (lost)),
                   ==, DOSSIER_RECORD_STATE_SENT);
}

/* a lost answer whose file never arrived stays unknown */
static void
test_moov_not_found (DossierTestFixture *fx,
                     gconstpointer       data)
{
  g_autoptr(DossierSubmission) submission = moov_submission (fx);
  const char *plain[] = { "filePurpose", "business_verification", NULL };
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  DossierUpload *upload;
  gint64 wait = 0;

  clear_history ();
  upload = send_file (fx, submission, "siup.png", 4200, plain);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  /* a record line saying an unknown outcome for a file Moov does not have */
  {
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    JsonObject *line = json_object_new ();

    json_object_set_string_member (line, "finished_at", "2026-12-05T10:00:00Z");
    json_object_set_string_member (line, "provider_id", "moov");
    json_object_set_string_member (line, "environment", "sandbox");
    json_object_set_string_member (line, "file_name", "siup.png");
    json_object_set_string_member (line, "upload", "lost-one");
    json_object_set_string_member (line, "outcome", "unknown");
    json_object_set_string_member (line, "merchant_id", MERCHANT);
    json_object_set_int_member (line, "size", 4200);
    json_object_set_boolean_member (line, "success", FALSE);
    g_ptr_array_add (events, line);
    g_assert_true (dossier_history_append_events (dossier_history_get_default (), events, NULL));
    dossier_history_reload (dossier_history_get_default ());
  }

  /* the sandbox's file is claimed by the upload that has its id, and the
   * lost one ended long after it was created: nothing matches */
  decisions = follow_up (fx, "moov", &wait, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < decisions->len; i++)
    g_assert_false (((DossierFollowUpDecision *) g_ptr_array_index (decisions, i))->reconciled);
  g_assert_cmpint (dossier_history_lookup_state (dossier_history_get_default (), "lost-one"), ==,
                   DOSSIER_RECORD_STATE_UNKNOWN);
}

/* Moov asks to wait: the wait comes back, nothing is recorded */
static void
test_retry_after (DossierTestFixture *fx,
                  gconstpointer       data)
{
  g_autoptr(DossierSubmission) submission = moov_submission (fx);
  const char *plain[] = { "filePurpose", "business_verification", NULL };
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  gint64 wait = 0;

  clear_history ();
  send_file (fx, submission, "akta.png", 3300, plain);
  dossier_test_add_fault (fx->sandbox, "moov/list:status=429,retry-after=120");
  decisions = follow_up (fx, "moov", &wait, &error);
  g_assert_null (decisions);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "429"));
  g_assert_cmpint (wait, ==, 120);
}

/* DOKU's status values are taken as they come, even one it does not document */
static void
test_doku_business (DossierTestFixture *fx,
                    gconstpointer       data)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierSubmission) submission = dossier_test_submission_new (doku, fx->sandbox,
                                                                         DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
  const char *agreement[] = { "category", "SERVICE_AGREEMENT", NULL };
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  DossierFollowUpDecision *d;
  DossierUpload *upload;
  gint64 wait = 0;

  clear_history ();
  dossier_submission_set_merchant_id (submission, MERCHANT);
  upload = send_file (fx, submission, "agreement.png", 2500, agreement);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);

  decisions = follow_up (fx, "doku", &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  d = g_ptr_array_index (decisions, 0);
  g_assert_cmpstr (d->status, ==, "ON_PROCESS");
  g_assert_false (d->final);

  body = g_strdup_printf ("{\"doku\":\"%s\",\"status\":\"WAITING_FOR_WET_SIGNATURE\"}",
                          dossier_history_entry_get_remote_id (entry_for (upload)));
  review (fx, body);
  later = follow_up (fx, "doku", &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 1);
  d = g_ptr_array_index (later, 0);
  g_assert_cmpstr (d->status, ==, "WAITING_FOR_WET_SIGNATURE");
  g_assert_true (d->final);
  {
    g_autofree char *text = dossier_follow_up_describe_decision (doku, d, NULL);

    g_assert_cmpstr (text, ==, "DOKU: agreement.png of " MERCHANT " is now “WAITING_FOR_WET_SIGNATURE”");
  }
  g_assert_cmpstr (dossier_history_entry_get_remote_status (entry_for (upload)), ==, "WAITING_FOR_WET_SIGNATURE");
}

static gboolean
is_due (DossierTestFixture *fx,
        const char         *requirement)
{
  g_autofree char *uri = g_strdup_printf ("%s/moov/accounts/%s/capabilities/send-funds",
                                          dossier_sandbox_get_base_url (fx->sandbox), DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(JsonNode) json = NULL;
  JsonArray *due;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " DOSSIER_SANDBOX_MOOV_TOKEN);
  g_assert_cmpuint (dossier_test_send (msg, &json), ==, 200);
  due = json_object_get_array_member (json_object_get_object_member (json_node_get_object (json), "requirements"),
                                      "currentlyDue");
  for (guint i = 0; i < json_array_get_length (due); i++)
    if (g_str_equal (json_array_get_string_element (due, i), requirement))
      return TRUE;
  return FALSE;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* What a main-loop turn left to do (the task list's rebuild) */
static void
settle_tasks (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* rejected -> a task with the words and the values of its re-upload; the
 * re-upload with them answers the requirement, and the task closes */
static void
test_task (DossierTestFixture *fx,
           gconstpointer       data)
{
  g_autoptr(DossierSubmission) submission = moov_submission (fx);
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new_default ();
  g_autoptr(DossierTaskList) tasks = NULL;
  g_autoptr(DossierTask) task = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GError) error = NULL;
  const char *business[] = { "filePurpose", "business_verification",
                             "metadata", "{\"requirement_id\":\"" BUSINESS "\"}", NULL };
  const char *values[5] = { NULL };
  GHashTable *fields;
  DossierUpload *again;
  guint changes = 0;
  gint64 wait = 0;

  clear_history ();
  tasks = dossier_task_list_new (G_LIST_MODEL (dossier_history_get_default ()), catalogue);
  g_signal_connect (tasks, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  send_file (fx, submission, "blurry-registration.png", 3000, business);
  settle_tasks ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 0);
  g_assert_false (is_due (fx, BUSINESS));

  review (fx, "{\"pending\":true}");
  g_assert_true (is_due (fx, BUSINESS));
  decisions = follow_up (fx, "moov", &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  settle_tasks ();
  g_assert_cmpuint (changes, >, 0);

  /* the task, live */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 1);
  task = g_list_model_get_item (G_LIST_MODEL (tasks), 0);
  g_assert_cmpstr (dossier_task_get_merchant_id (task), ==, MERCHANT);
  g_assert_cmpstr (dossier_task_get_provider_id (task), ==, "moov");
  g_assert_cmpstr (dossier_task_get_requirement_id (task), ==, BUSINESS);
  g_assert_cmpstr (dossier_task_get_error_code (task), ==, "document-illegible");
  g_assert_cmpstr (dossier_task_get_reason (task), ==, "Moov could not read the document");
  g_assert_cmpstr (dossier_task_get_fix (task), ==, "upload a sharper scan");
  g_assert_nonnull (strstr (dossier_task_get_provider_reason (task), "document-illegible"));
  g_assert_cmpstr (dossier_task_get_account_value (task, "accountID"), ==, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  fields = dossier_task_get_fields (task);
  g_assert_cmpstr (g_hash_table_lookup (fields, "filePurpose"), ==, "business_verification");
  g_assert_cmpstr (g_hash_table_lookup (fields, "metadata"), ==,
                   "{\"requirement_id\":\"" BUSINESS "\",\"error_code\":\"document-illegible\"}");
  mine = dossier_task_list_dup_for_merchant (tasks, MERCHANT);
  others = dossier_task_list_dup_for_merchant (tasks, "m-other");
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpuint (others->len, ==, 0);

  /* read from the file by a new list: the same task */
  {
    g_autoptr(DossierTaskList) fresh = NULL;

    dossier_history_reload (dossier_history_get_default ());
    fresh = dossier_task_list_new (G_LIST_MODEL (dossier_history_get_default ()), catalogue);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fresh)), ==, 1);
  }

  /* the re-upload with the task's values answers the requirement */
  values[0] = "filePurpose";
  values[1] = g_hash_table_lookup (fields, "filePurpose");
  values[2] = "metadata";
  values[3] = g_hash_table_lookup (fields, "metadata");
  again = send_file (fx, submission, "sharp-registration.png", 3100, values);
  g_assert_cmpint (dossier_upload_get_state (again), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_false (is_due (fx, BUSINESS));
  settle_tasks ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 0);
  {
    g_autoptr(JsonObject) last = NULL;

    /* the metadata went as the task said */
    g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", &last), ==, 2);
    g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (last, "fields"),
                                                             "metadata"), "document-illegible"));
  }
}

/* An entry of the record, as a line of the file says it */
static DossierHistoryEntry *
entry_from_line (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  DossierHistoryEntry *entry;

  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  g_assert_no_error (error);
  entry = dossier_history_entry_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  return entry;
}

/* A burst of changes to the record (a follow-up recording what it read, a
 * history loaded) makes one rebuild of the task list, in the next
 * main-loop turn, not one per change; and the list is then right */
static void
test_task_coalesced (void)
{
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new_default ();
  g_autoptr(GListStore) record = g_list_store_new (DOSSIER_TYPE_HISTORY_ENTRY);
  g_autoptr(DossierTaskList) tasks = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  guint changes = 0;
  const guint n = 40;

  tasks = dossier_task_list_new (G_LIST_MODEL (record), catalogue);
  g_signal_connect (tasks, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 0);

  /* @n rejected documents, each for a requirement of its own, inserted
   * newest first in one turn; then one more upload that answers the
   * first requirement again, accepted */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = g_strdup_printf (
        "{\"finished_at\":\"2026-12-01T10:%02u:00Z\",\"provider_id\":\"moov\",\"provider_name\":\"Moov\","
        "\"environment\":\"sandbox\",\"file_name\":\"doc-%u.png\",\"success\":true,\"remote_id\":\"R%u\","
        "\"remote_status\":\"rejected\",\"error_code\":\"document-illegible\",\"outcome\":\"sent\","
        "\"merchant_id\":\"%s\",\"requirement_id\":\"requirement-%u\","
        "\"account\":{\"accountID\":\"" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID "\"}}",
        i, i, i, i % 2 == 0 ? MERCHANT : "m-other", i);
      g_autoptr(DossierHistoryEntry) entry = entry_from_line (line);

      g_list_store_insert (record, 0, entry);
    }
  {
    g_autoptr(DossierHistoryEntry) again = entry_from_line (
      "{\"finished_at\":\"2026-12-01T11:00:00Z\",\"provider_id\":\"moov\",\"provider_name\":\"Moov\","
      "\"environment\":\"sandbox\",\"file_name\":\"sharp-0.png\",\"success\":true,\"remote_id\":\"S0\","
      "\"remote_status\":\"approved\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT "\","
      "\"requirement_id\":\"requirement-0\",\"account\":{\"accountID\":\"" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID "\"}}");

    g_list_store_insert (record, 0, again);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (record)), ==, n + 1);

  /* nothing worked out yet: the changes wait for the turn to end */
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (_dossier_task_list_get_n_rebuilds (tasks), ==, 0);
  settle_tasks ();
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (_dossier_task_list_get_n_rebuilds (tasks), ==, 1);

  /* every rejection but the answered one, newest first */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, n - 1);
  {
    g_autoptr(DossierTask) newest = g_list_model_get_item (G_LIST_MODEL (tasks), 0);
    g_autoptr(DossierTask) oldest = g_list_model_get_item (G_LIST_MODEL (tasks), n - 2);

    g_assert_cmpstr (dossier_task_get_file_name (newest), ==, "doc-39.png");
    g_assert_cmpstr (dossier_task_get_file_name (oldest), ==, "doc-1.png");
  }
  mine = dossier_task_list_dup_for_merchant (tasks, MERCHANT);
  g_assert_cmpuint (mine->len, ==, n / 2 - 1);

  /* one more change, one more rebuild; none without a change */
  g_list_store_remove (record, 0);
  settle_tasks ();
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (_dossier_task_list_get_n_rebuilds (tasks), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, n);
  settle_tasks ();
  g_assert_cmpuint (_dossier_task_list_get_n_rebuilds (tasks), ==, 2);
}

/* A network monitor the test switches */
#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum { MONITOR_PROP_0, MONITOR_PROP_AVAILABLE, MONITOR_PROP_METERED, MONITOR_PROP_CONNECTIVITY };

static void test_monitor_iface_init (GNetworkMonitorInterface *iface) { }

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  if (prop_id == MONITOR_PROP_AVAILABLE)
    g_value_set_boolean (value, self->available);
  else if (prop_id == MONITOR_PROP_METERED)
    g_value_set_boolean (value, FALSE);
  else
    g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set (TestMonitor *self,
                  gboolean     available)
{
  self->available = available;
  g_signal_emit_by_name (self, "network-changed", available);
}

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

typedef struct
{
  guint  finished;
  char  *last_error;
  GPtrArray *decisions;   /* "file status reason" */
} Seen;

static void
decision_cb (DossierFollowUpScheduler *scheduler,
             const char               *merchant_id,
             const char               *provider_id,
             const char               *file_name,
             const char               *status,
             const char               *reason,
             Seen                     *seen)
{
  g_assert_cmpstr (merchant_id, ==, MERCHANT);
  g_assert_cmpstr (provider_id, ==, "moov");
  g_ptr_array_add (seen->decisions, g_strdup_printf ("%s %s %s", file_name, status, reason ? reason : "-"));
}

static void
finished_cb (DossierFollowUpScheduler *scheduler,
             const char               *merchant_id,
             const char               *provider_id,
             const char               *error,
             Seen                     *seen)
{
  seen->finished++;
  g_free (seen->last_error);
  seen->last_error = g_strdup (error);
}

static void
wait_idle (DossierFollowUpScheduler *scheduler)
{
  guint timeout = dossier_test_timeout_add ();

  while (dossier_follow_up_scheduler_is_busy (scheduler))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

/* the background refresh with a fake clock: every 15 minutes at most,
 * Retry-After held to, paused offline, a signal per decision */
static void
test_scheduler (DossierTestFixture *fx,
                gconstpointer       data)
{
  g_autoptr(DossierSubmission) submission = moov_submission (fx);
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new_default ();
  g_autoptr(TestMonitor) monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  g_autoptr(DossierFollowUpScheduler) scheduler = NULL;
  const char *plain[] = { "filePurpose", "business_verification", NULL };
  Seen seen = { 0, NULL, g_ptr_array_new_with_free_func (g_free) };
  gint64 t0 = 1800000000;

  clear_history ();
  send_file (fx, submission, "blurry-npwp.png", 3000, plain);

  scheduler = dossier_follow_up_scheduler_new (dossier_history_get_default (), catalogue, G_NETWORK_MONITOR (monitor),
                                               start_follow_up, fx, NULL);
  dossier_follow_up_scheduler_set_clock (scheduler, fake_clock, NULL);
  g_signal_connect (scheduler, "decision", G_CALLBACK (decision_cb), &seen);
  g_signal_connect (scheduler, "finished", G_CALLBACK (finished_cb), &seen);

  /* asked once: still pending, nothing decided */
  fake_now = t0;
  g_assert_cmpuint (dossier_follow_up_scheduler_tick (scheduler), ==, 1);
  wait_idle (scheduler);
  g_assert_cmpuint (seen.finished, ==, 1);
  g_assert_null (seen.last_error);
  g_assert_cmpuint (seen.decisions->len, ==, 0);

  /* not again within 15 minutes */
  review (fx, "{\"pending\":true}");
  fake_now = t0 + DOSSIER_FOLLOW_UP_INTERVAL - 1;
  g_assert_cmpuint (dossier_follow_up_scheduler_tick (scheduler), ==, 0);
  g_assert_cmpuint (seen.finished, ==, 1);

  /* offline at the quarter hour: nothing; back online: asked at once */
  fake_now = t0 + DOSSIER_FOLLOW_UP_INTERVAL;
  test_monitor_set (monitor, FALSE);
  g_assert_true (dossier_follow_up_scheduler_is_paused (scheduler));
  g_assert_cmpuint (dossier_follow_up_scheduler_tick (scheduler), ==, 0);
  g_assert_false (dossier_follow_up_scheduler_refresh_now (scheduler, MERCHANT));
  test_monitor_set (monitor, TRUE);
  g_assert_false (dossier_follow_up_scheduler_is_paused (scheduler));
  wait_idle (scheduler);
  g_assert_cmpuint (seen.finished, ==, 2);
  g_assert_cmpuint (seen.decisions->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen.decisions, 0), ==,
                   "blurry-npwp.png rejected document-illegible: the document could not be read");

  /* decided: nothing pending, nothing asked */
  fake_now += 10 * DOSSIER_FOLLOW_UP_INTERVAL;
  g_assert_cmpuint (dossier_follow_up_scheduler_tick (scheduler), ==, 0);

  /* a new pending upload; Moov answers 429 Retry-After 3600 */
  send_file (fx, submission, "akta.png", 3200, plain);
  dossier_test_add_fault (fx->sandbox, "moov/list:status=429,retry-after=3600");
  g_assert_cmpuint (dossier_follow_up_scheduler_tick (scheduler), ==, 1);
  wait_idle (scheduler);
  g_assert_nonnull (seen.last_error);
  g_assert_nonnull (strstr (seen.last_error, "429"));
  g_assert_cmpint (dossier_follow_up_scheduler_get_not_before (scheduler, "moov"), ==, fake_now + 3600);

  /* the quarter hour passed, the hour not: held back, even on Refresh */
  fake_now += DOSSIER_FOLLOW_UP_INTERVAL;
  g_assert_cmpuint (dossier_follow_up_scheduler_tick (scheduler), ==, 0);
  g_assert_false (dossier_follow_up_scheduler_refresh_now (scheduler, MERCHANT));
  fake_now += 3600;
  g_assert_cmpuint (dossier_follow_up_scheduler_tick (scheduler), ==, 1);
  wait_idle (scheduler);
  g_assert_null (seen.last_error);

  /* Refresh: asked now whatever the 15 minutes */
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, MERCHANT));
  wait_idle (scheduler);
  g_assert_cmpuint (seen.finished, ==, 5);

  g_free (seen.last_error);
  g_ptr_array_unref (seen.decisions);
}

/* The scheduler's start function for the tests below: each follow-up
 * waits until the test ends it (end_follow_up()) */
typedef struct
{
  char         *merchant_id;
  GCancellable *cancellable;   /* a weak pointer: gone once the job is */
  GTask        *task;
} Started;

static void
started_free (Started *started)
{
  g_free (started->merchant_id);
  if (started->cancellable != NULL)
    g_object_remove_weak_pointer (G_OBJECT (started->cancellable), (gpointer *) &started->cancellable);
  g_clear_object (&started->task);
  g_free (started);
}

static void
hold_follow_up (const char          *merchant_id,
                DossierProvider     *provider,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             callback_data,
                gpointer             user_data)
{
  GPtrArray *started = user_data;
  Started *s = g_new0 (Started, 1);

  g_assert_nonnull (cancellable);
  s->merchant_id = g_strdup (merchant_id);
  s->cancellable = cancellable;
  g_object_add_weak_pointer (G_OBJECT (cancellable), (gpointer *) &s->cancellable);
  s->task = g_task_new (NULL, cancellable, callback, callback_data);
  g_task_set_source_tag (s->task, dossier_follow_up_async);
  g_ptr_array_add (started, s);
}

/* the follow-up @s ends: asked (no change), or cancelled */
static void
end_follow_up (Started *s)
{
  g_autoptr(GTask) task = g_steal_pointer (&s->task);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
  settle_tasks ();
}

typedef struct
{
  GPtrArray *finished;   /* "merchant error" */
} Ended;

static void
ended_cb (DossierFollowUpScheduler *scheduler,
          const char               *merchant_id,
          const char               *provider_id,
          const char               *error,
          GPtrArray                *finished)
{
  g_ptr_array_add (finished, g_strdup_printf ("%s %s", merchant_id, error != NULL ? "failed" : "ok"));
}

#define MERCHANT_A "m-a"
#define MERCHANT_B "m-b"

/* Cancel on a merchant's page stops exactly that merchant's follow-ups,
 * running or waiting, and nothing of another's; every follow-up has a
 * cancellable of its own, dropped when it ends (none piles up on a
 * longer-lived one over a day of follow-ups) */
static void
test_scheduler_cancel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dossier-cancel-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new_default ();
  g_autoptr(TestMonitor) monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(DossierFollowUpScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) started = g_ptr_array_new_with_free_func ((GDestroyNotify) started_free);
  g_autoptr(GPtrArray) finished = g_ptr_array_new_with_free_func (g_free);
  const char *lines =
    "{\"finished_at\":\"2026-12-01T10:00:00Z\",\"provider_id\":\"moov\",\"environment\":\"sandbox\",\"file_name\":\"a.png\",\"success\":true,\"remote_id\":\"A\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT_A "\"}\n"
    "{\"finished_at\":\"2026-12-01T10:01:00Z\",\"provider_id\":\"moov\",\"environment\":\"sandbox\",\"file_name\":\"b.png\",\"success\":true,\"remote_id\":\"B\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT_B "\"}\n";
  Started *a, *b;

  g_assert_true (g_file_set_contents (path, lines, -1, NULL));
  history = dossier_history_new_for_path (path);
  scheduler = dossier_follow_up_scheduler_new (history, catalogue, G_NETWORK_MONITOR (monitor),
                                               hold_follow_up, started, NULL);
  g_signal_connect (scheduler, "finished", G_CALLBACK (ended_cb), finished);

  /* A's follow-up runs, B's waits behind it; Cancel on B's page */
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, MERCHANT_A));
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, MERCHANT_B));
  g_assert_cmpuint (started->len, ==, 1);
  a = g_ptr_array_index (started, 0);
  g_assert_cmpstr (a->merchant_id, ==, MERCHANT_A);
  g_assert_true (dossier_follow_up_scheduler_has_merchant (scheduler, MERCHANT_B));
  g_assert_true (dossier_follow_up_scheduler_cancel_merchant (scheduler, MERCHANT_B));
  g_assert_false (dossier_follow_up_scheduler_has_merchant (scheduler, MERCHANT_B));
  g_assert_true (dossier_follow_up_scheduler_has_merchant (scheduler, MERCHANT_A));
  g_assert_nonnull (a->cancellable);
  g_assert_false (g_cancellable_is_cancelled (a->cancellable));
  /* A's ends as it would have: answered; B is not asked */
  end_follow_up (a);
  g_assert_cmpuint (finished->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (finished, 0), ==, MERCHANT_A " ok");
  g_assert_cmpuint (started->len, ==, 1);
  g_assert_false (dossier_follow_up_scheduler_is_busy (scheduler));
  /* its cancellable went with it */
  g_assert_null (a->cancellable);
  g_assert_false (dossier_follow_up_scheduler_cancel_merchant (scheduler, MERCHANT_B));

  /* Cancel on A's page while A's runs and B's waits: A's stops, B's runs */
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, MERCHANT_A));
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, MERCHANT_B));
  a = g_ptr_array_index (started, 1);
  g_assert_true (dossier_follow_up_scheduler_cancel_merchant (scheduler, MERCHANT_A));
  g_assert_true (g_cancellable_is_cancelled (a->cancellable));
  end_follow_up (a);
  g_assert_cmpstr (g_ptr_array_index (finished, 1), ==, MERCHANT_A " failed");
  g_assert_cmpuint (started->len, ==, 3);
  b = g_ptr_array_index (started, 2);
  g_assert_cmpstr (b->merchant_id, ==, MERCHANT_B);
  g_assert_nonnull (b->cancellable);
  g_assert_false (g_cancellable_is_cancelled (b->cancellable));
  end_follow_up (b);
  g_assert_cmpstr (g_ptr_array_index (finished, 2), ==, MERCHANT_B " ok");

  /* a day of follow-ups: each its own cancellable, none kept once ended */
  for (guint i = 0; i < 50; i++)
    {
      Started *s;

      g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, i % 2 == 0 ? MERCHANT_A : MERCHANT_B));
      s = g_ptr_array_index (started, started->len - 1);
      g_assert_nonnull (s->cancellable);
      end_follow_up (s);
    }
  g_assert_cmpuint (started->len, ==, 53);
  for (guint i = 0; i < started->len; i++)
    g_assert_null (((Started *) g_ptr_array_index (started, i))->cancellable);

  g_clear_object (&scheduler);
  g_clear_object (&history);
  dossier_test_remove_tree (dir);
}

/* A server that answers every request of a follow-up with one failure */
static void
failing_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *mode = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (g_str_equal (mode, "redirect"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "http://127.0.0.1:9/elsewhere");
  else if (g_str_equal (mode, "refused"))
    {
      static const char body[] = "{\"error\":\"invalid token\"}";

      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
    }
  else if (g_str_equal (mode, "message"))
    {
      static const char body[] = "{\"error\":\"no such account\"}";

      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
    }
  else if (g_str_equal (mode, "busy"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_message_headers_replace (headers, "X-Retry-In", "1500");
    }
  else if (g_str_equal (mode, "limited"))
    soup_server_message_set_status (msg, 429, NULL);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
}

/* How a follow-up words a provider's failure (shared with the checklist's
 * requests, dossier-auth-answer.c): a redirect named and not followed, a
 * refused credential without the provider's words, the provider's
 * message, the wait a 429 or 503 asked for */
static void
test_failures (void)
{
  static const struct {
    const char *mode;
    const char *message;
    gint64      wait;
  } cases[] = {
    { "redirect", "Could not ask Moov how it reviewed the uploads: Moov redirected the request to "
                  "http://127.0.0.1:9/elsewhere (302); not followed", -1 },
    { "refused", "Could not ask Moov how it reviewed the uploads: Moov refused the credentials (401)", -1 },
    { "message", "Could not ask Moov how it reviewed the uploads: Moov answered 404: no such account", -1 },
    { "busy", "Could not ask Moov how it reviewed the uploads: Moov answered 503", 2 },
    { "limited", "Could not ask Moov how it reviewed the uploads: Moov answered 429", 60 },
    { "plain", "Could not ask Moov how it reviewed the uploads: Moov answered 500", -1 },
  };
  g_autofree char *dir = g_dir_make_tmp ("dossier-failures-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierClient) client = dossier_client_new (2);
  const char *lines =
    "{\"finished_at\":\"2026-12-01T10:00:00Z\",\"provider_id\":\"moov\",\"environment\":\"sandbox\",\"file_name\":\"a.png\",\"success\":true,\"remote_id\":\"A\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT "\"}\n";

  g_assert_true (g_file_set_contents (path, lines, -1, NULL));
  history = dossier_history_new_for_path (path);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(DossierCredentials) credentials = dossier_credentials_new ();
      g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) decisions = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *base_url = NULL;
      guint timeout = dossier_test_timeout_add ();
      gint64 wait = 0;

      soup_server_add_handler (server, NULL, failing_cb, (gpointer) cases[i].mode, NULL);
      base_url = g_strdup_printf ("http://127.0.0.1:%u", dossier_test_server_listen (server, 0));
      g_hash_table_insert (values, (gpointer) "accountID", (gpointer) DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
      dossier_credentials_set_secret (credentials, DOSSIER_SANDBOX_MOOV_TOKEN);
      dossier_follow_up_async (history, moov, "sandbox", base_url, MERCHANT, values, credentials, client, NULL,
                               dossier_test_keep_result_cb, &result);
      dossier_test_wait_result (&result);
      g_source_remove (timeout);
      decisions = dossier_follow_up_finish (result, &wait, &error);
      g_assert_null (decisions);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", cases[i].mode, error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_null (strstr (error->message, DOSSIER_SANDBOX_MOOV_TOKEN));
      g_assert_cmpint (wait, ==, cases[i].wait);
      soup_server_disconnect (server);
    }
  g_clear_object (&history);
  dossier_test_remove_tree (dir);
}

/* a status line stays with its entry through a compaction (which keeps
 * every entry), and one without an entry changes nothing */
static void
test_status_compacted (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dossier-status-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(DossierHistory) again = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(DossierHistoryEntry) newest = NULL;
  g_autofree char *contents = NULL;
  const char *lines =
    "{\"finished_at\":\"2026-12-01T10:00:00Z\",\"provider_id\":\"moov\",\"file_name\":\"a.png\",\"upload\":\"a\",\"success\":true,\"remote_id\":\"A\",\"remote_status\":\"pending\"}\n"
    "{\"event\":\"status\",\"upload\":\"a\",\"remote_id\":\"A\",\"remote_status\":\"approved\",\"at\":\"2026-12-01T11:00:00Z\"}\n"
    "{\"finished_at\":\"2026-12-02T10:00:00Z\",\"provider_id\":\"moov\",\"file_name\":\"b.png\",\"upload\":\"b\",\"success\":true,\"remote_id\":\"B\",\"remote_status\":\"pending\"}\n"
    "{\"event\":\"status\",\"upload\":\"b\",\"remote_id\":\"B\",\"remote_status\":\"rejected\",\"decision_reason\":\"blurry\",\"error_code\":\"document-illegible\",\"at\":\"2026-12-02T11:00:00Z\"}\n"
    "{\"finished_at\":\"2026-12-03T10:00:00Z\",\"provider_id\":\"moov\",\"file_name\":\"c.png\",\"success\":true,\"remote_id\":\"C\",\"remote_status\":\"pending\"}\n"
    "{\"event\":\"status\",\"upload\":\"gone\",\"remote_status\":\"approved\",\"at\":\"2026-12-03T11:00:00Z\"}\n";
  DossierHistoryEntry *b;
  JsonObject *status;

  g_assert_true (g_file_set_contents (path, lines, -1, NULL));
  history = dossier_history_new_for_path (path);
  dossier_history_set_max_entries (history, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);

  /* an entry without an upload id is named by its remote id */
  newest = g_list_model_get_item (G_LIST_MODEL (history), 0);
  status = dossier_history_status_new (newest, NULL, "approved", NULL, NULL, FALSE);
  g_assert_false (json_object_has_member (status, "upload"));
  g_ptr_array_add (events, status);
  g_assert_true (dossier_history_append_events (history, events, NULL));
  g_assert_cmpstr (dossier_history_entry_get_remote_status (newest), ==, "approved");

  /* the file was compacted: a's and b's entries and statuses stayed */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "a.png"));
  g_assert_nonnull (strstr (contents, "\"upload\":\"a\",\"remote_id\":\"A\",\"remote_status\":\"approved\""));
  g_assert_nonnull (strstr (contents, "\"upload\":\"b\",\"remote_id\":\"B\",\"remote_status\":\"rejected\""));

  again = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  b = g_list_model_get_item (G_LIST_MODEL (again), 1);
  g_object_unref (b);   /* the history keeps it */
  g_assert_cmpstr (dossier_history_entry_get_file_name (b), ==, "b.png");
  g_assert_cmpstr (dossier_history_entry_get_remote_status (b), ==, "rejected");
  g_assert_cmpstr (dossier_history_entry_get_error_code (b), ==, "document-illegible");
  g_assert_cmpstr (dossier_history_entry_get_decision_reason (b), ==, "blurry");
  {
    g_autoptr(DossierHistoryEntry) c = g_list_model_get_item (G_LIST_MODEL (again), 0);

    g_assert_cmpstr (dossier_history_entry_get_remote_status (c), ==, "approved");
  }
  {
    g_autoptr(DossierHistoryEntry) a = g_list_model_get_item (G_LIST_MODEL (again), 2);

    g_assert_cmpstr (dossier_history_entry_get_file_name (a), ==, "a.png");
    g_assert_cmpstr (dossier_history_entry_get_remote_status (a), ==, "approved");
  }

  g_clear_object (&history);
  g_clear_object (&again);
  dossier_test_remove_tree (dir);
}

static void
test_no_reviews (void)
{
  const char *ids[] = { "kore", "receeve" };
  g_autoptr(DossierProvider) moov = NULL;
  g_autoptr(DossierProvider) doku = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(DossierProvider) provider = dossier_test_load_provider (ids[i]);
      g_autofree char *text = dossier_follow_up_describe_no_reviews (provider);

      g_assert_false (dossier_follow_up_reports_reviews (provider));
      g_assert_nonnull (strstr (text, "does not report"));
      g_assert_nonnull (strstr (text, dossier_provider_get_name (provider)));
    }
  moov = dossier_test_load_provider ("moov");
  doku = dossier_test_load_provider ("doku");
  g_assert_true (dossier_follow_up_reports_reviews (moov));
  g_assert_true (dossier_follow_up_reports_reviews (doku));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  state_dir = dossier_test_init_with_state (&argc, &argv, "follow-up");

  DOSSIER_TEST_ADD ("/follow-up/moov/decisions", test_moov_decisions);
  DOSSIER_TEST_ADD ("/follow-up/moov/reconcile", test_moov_reconcile);
  DOSSIER_TEST_ADD ("/follow-up/moov/not-found", test_moov_not_found);
  DOSSIER_TEST_ADD ("/follow-up/retry-after", test_retry_after);
  DOSSIER_TEST_ADD ("/follow-up/moov/task", test_task);
  DOSSIER_TEST_ADD ("/follow-up/scheduler", test_scheduler);
  DOSSIER_TEST_ADD ("/follow-up/doku/business", test_doku_business);
  g_test_add_func ("/follow-up/no-reviews", test_no_reviews);
  g_test_add_func ("/follow-up/status-compacted", test_status_compacted);
  g_test_add_func ("/follow-up/task-coalesced", test_task_coalesced);
  g_test_add_func ("/follow-up/scheduler-cancel", test_scheduler_cancel);
  g_test_add_func ("/follow-up/failures", test_failures);

  status = g_test_run ();

  dossier_test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
