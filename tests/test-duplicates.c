/* test-duplicates.c: uploads recorded against their merchant, and the duplicate guard
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dossier-catalogue.h"
#include "dossier-history-private.h"
#include "dossier-merchant-store.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"
#include "dossier-submission-private.h"

#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

static char *state_dir;

#define REQUIREMENT "document.business.verification"

/* A file of its own for each test: the default history is shared by the
 * tests of this program */
static GFile *
write_png (Fixture    *fx,
           const char *name,
           const char *tag)
{
  g_autoptr(GBytes) base = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 2000, FALSE);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (base, NULL), 2000);
  g_autoptr(GBytes) bytes = NULL;

  memcpy (data + 100, tag, strlen (tag));
  bytes = g_bytes_new (data, 2000);
  return dossier_test_write_file (fx->dir, name, bytes);
}

static DossierSubmission *
moov_submission (Fixture    *fx,
                 const char *account_id,
                 const char *merchant_id)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  DossierSubmission *submission = dossier_test_submission_new (moov, fx->sandbox, NULL,
                                                               DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                                               DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);

  dossier_submission_set_value (submission, "accountID", account_id);
  dossier_submission_set_merchant_id (submission, merchant_id);
  return submission;
}

/* Adds @file, waits for its check; the upload (the submission keeps it) */
static DossierUpload *
add_checked (DossierSubmission *submission,
             GFile             *file)
{
  DossierUpload *upload = dossier_submission_add_file (submission, file);

  dossier_test_wait_false (submission, "validating");
  return upload;
}

static DossierHistoryEntry *
newest_entry (void)
{
  g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (dossier_history_get_default ()), 0);

  g_assert_nonnull (entry);
  return entry;   /* the history keeps it */
}

/* The first question, the record not read yet: it is read off the main
 * thread, and "validating" holds until the guard has answered (runs
 * first, before anything reads the default history) */
static void
test_preload (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (fx, "preload.png", "preload");
  g_autofree char *sha = dossier_test_file_sha256 (file);
  g_autofree char *folder = g_build_filename (state_dir, "dossier", NULL);
  g_autofree char *path = g_build_filename (folder, "history.jsonl", NULL);
  g_autofree char *line = g_strdup_printf ("{\"finished_at\":\"2026-12-01T12:00:00Z\",\"provider_id\":\"moov\","
                                           "\"provider_name\":\"Moov\",\"environment\":\"sandbox\","
                                           "\"file_name\":\"preload.png\",\"success\":true,\"remote_id\":\"P-1\","
                                           "\"outcome\":\"sent\",\"sha256\":\"%s\","
                                           "\"account\":{\"X-Moov-Version\":\"v2024.01.00\",\"accountID\":\"%s\"}}\n",
                                           sha, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_autoptr(DossierSubmission) submission = NULL;
  DossierUpload *upload;
  g_autoptr(GString) lines = g_string_new (NULL);

  /* a record long enough to take a while to read, the matching line last */
  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (lines, "{\"finished_at\":\"2026-11-01T12:00:00Z\",\"provider_id\":\"doku\","
                            "\"file_name\":\"f%u.png\",\"success\":true,\"remote_id\":\"R%u\","
                            "\"sha256\":\"%064x\",\"merchant_id\":\"m%u\"}\n", i, i, i, i);
  g_string_append (lines, line);
  g_mkdir_with_parents (folder, 0700);
  g_assert_true (g_file_set_contents (path, lines->str, lines->len, NULL));
  g_assert_false (dossier_history_is_loaded (dossier_history_get_default ()));

  submission = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, NULL);
  upload = add_checked (submission, file);
  g_assert_true (dossier_history_is_loaded (dossier_history_get_default ()));
  g_assert_nonnull (dossier_upload_get_duplicate_of (upload));
  g_assert_true (g_str_has_suffix (dossier_upload_get_duplicate_of (upload), "as preload.png (id P-1)"));
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* The finished line of a real upload: its merchant, the file's SHA-256
 * (the one the sandbox computed of what it received), the account and
 * document values, the requirement; no secret in any of them */
static void
test_finished_line (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, "m-toko");
  g_autoptr(GFile) file = write_png (fx, "ktp.png", "finished-line");
  g_autofree char *metadata = g_strdup_printf ("{\"requirement_id\":\"" REQUIREMENT "\","
                                               "\"comment\":\"pasted %s by mistake\"}",
                                               DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(JsonObject) received = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  DossierHistoryEntry *entry;
  DossierUpload *upload;

  upload = dossier_submission_add_file (submission, file);
  dossier_upload_set_value (upload, "filePurpose", "business_verification");
  dossier_upload_set_value (upload, "metadata", metadata);
  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);

  /* the SHA-256 the check computed is the sandbox's of what it stored */
  received = dossier_test_find_received (fx->sandbox, dossier_upload_get_result (upload)->remote_id);
  g_assert_nonnull (received);
  sha = dossier_test_file_sha256 (file);
  g_assert_cmpstr (json_object_get_string_member (received, "sha256"), ==, sha);
  g_assert_cmpstr (dossier_upload_get_sha256 (upload), ==, sha);

  entry = newest_entry ();
  g_assert_cmpstr (dossier_history_entry_get_record_id (entry), ==, dossier_upload_get_record_id (upload));
  g_assert_cmpstr (dossier_history_entry_get_merchant_id (entry), ==, "m-toko");
  g_assert_cmpstr (dossier_history_entry_get_sha256 (entry), ==, sha);
  g_assert_cmpint (dossier_history_entry_get_size (entry), ==, 2000);
  g_assert_cmpstr (dossier_history_entry_get_account_value (entry, "accountID"), ==,
                   DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_assert_cmpstr (dossier_history_entry_get_document_value (entry, "filePurpose"), ==,
                   "business_verification");
  g_assert_cmpstr (dossier_history_entry_get_requirement_id (entry), ==, REQUIREMENT);
  g_assert_null (dossier_history_entry_get_account_value (entry, "filePurpose"));

  /* the members as they are written, and read back */
  node = dossier_history_entry_to_json (entry);
  line = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (line, "\"merchant_id\":\"m-toko\""));
  g_assert_nonnull (strstr (line, sha));
  g_assert_nonnull (strstr (line, "\"requirement_id\":\"" REQUIREMENT "\""));
  g_assert_nonnull (strstr (line, "\"accountID\":\"" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID "\""));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DossierHistoryEntry) again = dossier_history_entry_new_from_json (json_node_get_object (node),
                                                                                 &error);

    g_assert_no_error (error);
    g_assert_cmpstr (dossier_history_entry_get_merchant_id (again), ==, "m-toko");
    g_assert_cmpstr (dossier_history_entry_get_sha256 (again), ==, sha);
    g_assert_cmpint (dossier_history_entry_get_size (again), ==, 2000);
    g_assert_cmpstr (dossier_history_entry_get_requirement_id (again), ==, REQUIREMENT);
    g_assert_cmpstr (dossier_history_entry_get_account_value (again, "accountID"), ==,
                     DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  }

  /* the secret typed into a value is masked in the new members too
   * (compared, never printed) */
  g_assert_null (strstr (line, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET));
  g_assert_nonnull (strstr (dossier_history_entry_get_document_value (entry, "metadata"), "[hidden]"));
  g_assert_true (g_file_get_contents (dossier_history_get_path (dossier_history_get_default ()),
                                      &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"merchant_id\":\"m-toko\""));
  {
    g_autofree char *queued = g_strdup_printf ("\"event\":\"queued\",\"upload\":\"%s\"",
                                               dossier_upload_get_record_id (upload));
    const char *line_start = strstr (contents, queued);
    g_autofree char *queued_line = NULL;

    g_assert_nonnull (line_start);
    queued_line = g_strndup (line_start, strcspn (line_start, "\n"));
    g_assert_nonnull (strstr (queued_line, "\"merchant_id\":\"m-toko\""));
  }
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET));
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_MOOV_TOKEN));

  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* A line written before merchants: read as an upload for no merchant,
 * never a duplicate, written back without the new members */
static void
test_old_rows (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "old", "history.jsonl", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(DossierHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  g_autofree char *key = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path,
                                      "{\"finished_at\":\"2026-03-01T10:00:00Z\",\"provider_id\":\"moov\","
                                      "\"provider_name\":\"Moov\",\"environment\":\"sandbox\","
                                      "\"file_name\":\"old.png\",\"success\":true,\"remote_id\":\"R-OLD\","
                                      "\"upload\":\"u-old\",\"outcome\":\"sent\"}\n", -1, NULL));
  history = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpstr (dossier_history_entry_get_remote_id (entry), ==, "R-OLD");
  g_assert_null (dossier_history_entry_get_merchant_id (entry));
  g_assert_null (dossier_history_entry_get_sha256 (entry));
  g_assert_cmpint (dossier_history_entry_get_size (entry), ==, -1);
  g_assert_null (dossier_history_entry_get_requirement_id (entry));
  g_assert_null (dossier_history_entry_get_account_value (entry, "accountID"));
  key = dossier_history_entry_dup_account_key (entry);
  g_assert_cmpstr (key, ==, "");

  node = dossier_history_entry_to_json (entry);
  line = json_to_string (node, FALSE);
  g_assert_null (strstr (line, "merchant_id"));
  g_assert_null (strstr (line, "sha256"));
  g_assert_null (strstr (line, "\"size\""));

  /* no content known: it matches nothing, for no merchant */
  found = dossier_history_find_sent (history, "", "moov", NULL, "");
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = dossier_history_find_sent_for_other_merchants (history, "ab12", "m-any");
  g_assert_cmpuint (found->len, ==, 0);
}

/* An entry as dossier_history_entry_new_from_json() reads it */
static void
append_line (DossierHistory *history,
             const char     *finished_at,
             const char     *provider_id,
             const char     *sha256,
             const char     *account_id,
             const char     *merchant_id,
             const char     *outcome,
             const char     *remote_id)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierHistoryEntry) entry = NULL;

  json_object_set_string_member (object, "finished_at", finished_at);
  json_object_set_string_member (object, "provider_id", provider_id);
  json_object_set_string_member (object, "provider_name", g_str_equal (provider_id, "moov") ? "Moov" : "DOKU");
  json_object_set_string_member (object, "environment", "sandbox");
  json_object_set_string_member (object, "file_name", "ktp.png");
  json_object_set_boolean_member (object, "success", g_str_equal (outcome, "sent"));
  json_object_set_string_member (object, "outcome", outcome);
  json_object_set_string_member (object, "sha256", sha256);
  if (remote_id != NULL)
    json_object_set_string_member (object, "remote_id", remote_id);
  if (merchant_id != NULL)
    json_object_set_string_member (object, "merchant_id", merchant_id);
  if (account_id != NULL)
    {
      JsonObject *account = json_object_new ();

      json_object_set_string_member (account, "accountID", account_id);
      json_object_set_object_member (object, "account", account);
    }
  entry = dossier_history_entry_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_history_append (history, entry, &error));
  g_assert_no_error (error);
}

static char *
account_key (const char *account_id)
{
  g_autoptr(GHashTable) account = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (account, (gpointer) "accountID", (gpointer) account_id);
  return dossier_history_account_key (account);
}

/* Same content, provider and account: found when sent or unknown, not
 * when failed, not for another account or provider; another merchant's */
static void
test_find (Fixture       *fx,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "find", "history.jsonl", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 5, 12, 0, 0);
  g_autofree char *key_a = account_key ("acct-A");
  g_autofree char *key_b = account_key ("acct-B");
  g_autofree char *sentence = NULL;

  g_mkdir_with_parents (dir, 0700);
  history = dossier_history_new_for_path (path);
  append_line (history, "2026-12-01T12:00:00Z", "moov", "aaa", "acct-A", "m-toko", "sent", "F-1");
  append_line (history, "2026-12-02T12:00:00Z", "moov", "bbb", "acct-A", "m-toko", "failed", NULL);
  append_line (history, "2026-12-03T12:00:00Z", "moov", "ccc", "acct-A", NULL, "unknown", NULL);
  append_line (history, "2026-12-03T13:00:00Z", "doku", "aaa", NULL, "m-apotek", "sent", "D-1");

  found = dossier_history_find_sent (history, "aaa", "moov", "sandbox", key_a);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dossier_history_entry_get_remote_id (g_ptr_array_index (found, 0)), ==, "F-1");
  sentence = dossier_history_describe_duplicate (g_ptr_array_index (found, 0), now);
  g_assert_cmpstr (sentence, ==, "Already sent to Moov on 1 Dec as ktp.png (id F-1)");
  g_clear_pointer (&sentence, g_free);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* another account, provider or environment: not a duplicate */
  found = dossier_history_find_sent (history, "aaa", "moov", "sandbox", key_b);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = dossier_history_find_sent (history, "aaa", "moov", "production", key_a);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = dossier_history_find_sent (history, "aaa", "doku", "sandbox", "");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dossier_history_entry_get_remote_id (g_ptr_array_index (found, 0)), ==, "D-1");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* failed: it never arrived */
  found = dossier_history_find_sent (history, "bbb", "moov", "sandbox", key_a);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* unknown: it may have */
  found = dossier_history_find_sent (history, "ccc", "moov", "sandbox", key_a);
  g_assert_cmpuint (found->len, ==, 1);
  sentence = dossier_history_describe_duplicate (g_ptr_array_index (found, 0), now);
  g_assert_cmpstr (sentence, ==, "May already have been sent to Moov on 3 Dec as ktp.png: its outcome is unknown");
  g_clear_pointer (&sentence, g_free);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* another merchant: both others, newest first; not the same one, not
   * an upload for no merchant */
  found = dossier_history_find_sent_for_other_merchants (history, "aaa", "m-new");
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (dossier_history_entry_get_merchant_id (g_ptr_array_index (found, 0)), ==, "m-apotek");
  g_assert_cmpstr (dossier_history_entry_get_merchant_id (g_ptr_array_index (found, 1)), ==, "m-toko");
  sentence = dossier_history_describe_other_merchant (g_ptr_array_index (found, 1), "Toko Makmur", now);
  g_assert_cmpstr (sentence, ==, "Also sent for merchant Toko Makmur on 1 Dec: a likely mix-up");
  g_clear_pointer (&sentence, g_free);
  sentence = dossier_history_describe_other_merchant (g_ptr_array_index (found, 1), NULL, now);
  g_assert_cmpstr (sentence, ==, "Also sent for merchant m-toko on 1 Dec: a likely mix-up");
  g_clear_pointer (&sentence, g_free);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = dossier_history_find_sent_for_other_merchants (history, "aaa", "m-toko");
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = dossier_history_find_sent_for_other_merchants (history, "ccc", "m-new");
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* another year is said */
  {
    g_autoptr(GDateTime) later = g_date_time_new_utc (2027, 2, 1, 12, 0, 0);

    found = dossier_history_find_sent (history, "aaa", "moov", NULL, key_a);
    sentence = dossier_history_describe_duplicate (g_ptr_array_index (found, 0), later);
    g_assert_cmpstr (sentence, ==, "Already sent to Moov on 1 Dec 2026 as ktp.png (id F-1)");
  }
}

/* A real submission: the second upload of a file to the same account is
 * flagged once checked, and still sent; to another account it is not; for
 * another merchant it is, named from the merchant store */
static void
test_upload_flagged (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (fx, "statement.png", "upload-flagged");
  g_autoptr(DossierSubmission) first = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, "m-toko");
  g_autoptr(DossierSubmission) again = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, "m-toko");
  g_autoptr(DossierSubmission) early = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, "m-toko");
  g_autoptr(DossierSubmission) other_account = moov_submission (fx, "another-account", "m-toko");
  g_autoptr(DossierSubmission) other_merchant = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, "m-apotek");
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autofree char *store_dir = g_build_filename (fx->dir, "merchants", NULL);
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(DossierMerchant) toko = dossier_merchant_new ("Toko Makmur");
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) sentences = NULL;
  DossierUpload *upload;
  const char *first_id;
  guint n_received;
  DossierUpload *waiting;

  /* checked before the first is sent: nothing to say yet */
  waiting = add_checked (early, file);
  g_assert_null (dossier_upload_get_duplicate_of (waiting));

  upload = add_checked (first, file);
  g_assert_null (dossier_upload_get_duplicate_of (upload));
  dossier_test_run_to_end (first);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  first_id = dossier_upload_get_result (upload)->remote_id;

  /* the one checked before: said once it is checked again (a value
   * changed), since the record has changed since */
  dossier_submission_revalidate (early);
  g_assert_nonnull (dossier_upload_get_duplicate_of (waiting));
  g_assert_true (g_str_has_prefix (dossier_upload_get_duplicate_of (waiting), "Already sent to Moov on "));
  n_received = dossier_test_count_received (fx->sandbox, NULL, NULL);

  /* flagged, not blocked */
  upload = add_checked (again, file);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_nonnull (dossier_upload_get_duplicate_of (upload));
  g_assert_true (g_str_has_prefix (dossier_upload_get_duplicate_of (upload), "Already sent to Moov on "));
  expected = g_strdup_printf (" as statement.png (id %s)", first_id);
  g_assert_true (g_str_has_suffix (dossier_upload_get_duplicate_of (upload), expected));
  g_assert_cmpstr (dossier_history_entry_get_remote_id (dossier_upload_get_duplicate (upload)), ==, first_id);
  g_assert_null (dossier_upload_get_other_merchant (upload));
  g_assert_true (dossier_submission_can_start (again, NULL));
  dossier_test_run_to_end (again);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), >, n_received);

  /* another account: not a duplicate */
  upload = add_checked (other_account, file);
  g_assert_null (dossier_upload_get_duplicate_of (upload));

  /* another merchant: a likely mix-up, by name from the store; the same
   * account too, so both are said */
  dossier_catalogue_load_builtin (catalogue, &error);
  g_assert_no_error (error);
  store = dossier_merchant_store_new (catalogue, store_dir);
  g_assert_true (dossier_merchant_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_merchant_store_add (store, toko, &error));
  g_assert_no_error (error);
  /* the record says "m-toko": the store's id for Toko Makmur is its own */
  g_assert_finalize_object (g_steal_pointer (&other_merchant));
  other_merchant = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, "m-apotek");
  dossier_submission_set_merchant_store (other_merchant, store);
  upload = add_checked (other_merchant, file);
  sentences = g_strsplit (dossier_upload_get_duplicate_of (upload), "\n", -1);
  g_assert_cmpuint (g_strv_length (sentences), ==, 2);
  g_assert_true (g_str_has_prefix (sentences[0], "Already sent to Moov on "));
  g_assert_true (g_str_has_prefix (sentences[1], "Also sent for merchant m-toko on "));
  g_assert_true (g_str_has_suffix (sentences[1], ": a likely mix-up"));
  g_assert_cmpstr (dossier_history_entry_get_merchant_id (dossier_upload_get_other_merchant (upload)), ==, "m-toko");

  /* the clerk picks the right merchant: asked again, only the same
   * account's upload is left */
  dossier_submission_set_merchant_id (other_merchant, "m-toko");
  g_assert_null (dossier_upload_get_other_merchant (upload));
  g_assert_true (g_str_has_prefix (dossier_upload_get_duplicate_of (upload), "Already sent to Moov on "));
  g_assert_null (strchr (dossier_upload_get_duplicate_of (upload), '\n'));

  /* named from the store when it knows the merchant */
  {
    g_autoptr(DossierSubmission) named = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, "m-apotek");
    g_autoptr(DossierSubmission) sent = moov_submission (fx, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID,
                                                         dossier_merchant_get_id (toko));
    g_autoptr(GFile) other_file = write_png (fx, "npwp.png", "upload-flagged-named");
    DossierUpload *named_upload;

    add_checked (sent, other_file);
    dossier_test_run_to_end (sent);
    dossier_submission_set_merchant_store (named, store);
    named_upload = add_checked (named, other_file);
    g_assert_nonnull (strstr (dossier_upload_get_duplicate_of (named_upload),
                              "Also sent for merchant Toko Makmur on "));
    g_assert_finalize_object (g_steal_pointer (&named));
    g_assert_finalize_object (g_steal_pointer (&sent));
  }

  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&early));
  g_assert_finalize_object (g_steal_pointer (&other_account));
  g_assert_finalize_object (g_steal_pointer (&other_merchant));
}

/* The file check's SHA-256 (GnuTLS's where it is built with it) is the
 * one of the bytes, over several of its read pieces and a partial last */
static void
test_file_sha256 (Fixture       *fx,
                  gconstpointer  data)
{
  gsize sizes[] = { 0, 1, 1024 * 1024, 2 * 1024 * 1024 + 4097 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) bytes = dossier_test_bytes_new ("", 0, sizes[i], TRUE);
      g_autofree char *name = g_strdup_printf ("hash-%u.bin", i);
      g_autoptr(GFile) file = dossier_test_write_file (fx->dir, name, bytes);
      g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_autoptr(GError) error = NULL;
      g_autofree char *got = _dossier_submission_file_sha256 (file, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  state_dir = dossier_test_init_with_state (&argc, &argv, "duplicates");

  DOSSIER_TEST_ADD ("/duplicates/preload", test_preload);
  DOSSIER_TEST_ADD ("/duplicates/finished-line", test_finished_line);
  DOSSIER_TEST_ADD ("/duplicates/old-rows", test_old_rows);
  DOSSIER_TEST_ADD ("/duplicates/find", test_find);
  DOSSIER_TEST_ADD ("/duplicates/file-sha256", test_file_sha256);
  DOSSIER_TEST_ADD ("/duplicates/upload-flagged", test_upload_flagged);

  status = g_test_run ();

  dossier_test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
