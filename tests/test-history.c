/* test-history.c: the history of finished uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

/* the state folder of this test, set before anything asks for it */
static char *state_dir;

static DossierHistoryEntry *
make_entry (const char *finished_at,
            const char *file_name,
            const char *remote_id)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  DossierHistoryEntry *entry;

  json_object_set_string_member (object, "finished_at", finished_at);
  json_object_set_string_member (object, "provider_id", "doku");
  json_object_set_string_member (object, "provider_name", "DOKU");
  json_object_set_string_member (object, "environment", "sandbox");
  json_object_set_string_member (object, "file_name", file_name);
  json_object_set_boolean_member (object, "success", remote_id != NULL);
  if (remote_id != NULL)
    {
      json_object_set_string_member (object, "remote_id", remote_id);
      json_object_set_string_member (object, "link", "https://example.com/f/1");
      json_object_set_string_member (object, "link_expires", "2026-03-03T08:00:00Z");
      json_object_set_int_member (object, "http_status", 200);
    }
  else
    {
      json_object_set_string_member (object, "message", "Invalid code");
      json_object_set_int_member (object, "http_status", 400);
      json_object_set_string_member (object, "request_id", "req-42");
    }

  entry = dossier_history_entry_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

static char *
temp_path (Fixture    *fx,
           const char *name)
{
  return g_build_filename (fx->dir, "state", "dossier", name, NULL);
}

static void
append (DossierHistory      *history,
        DossierHistoryEntry *entry)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_history_append (history, entry, &error));
  g_assert_no_error (error);
}

static guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (const char *p = contents; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* The finished entries: the record also has the queued and started lines
 * of each upload */
static guint
count_entry_lines (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "\"finished_at\"") != NULL && strstr (lines[i], "\"event\"") == NULL)
      n++;
  return n;
}

static DossierHistoryEntry *
nth (GListModel *model,
     guint       n)
{
  g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (model, n);

  g_assert_nonnull (entry);
  return entry;   /* the model keeps it */
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *counter)
{
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpuint (added, ==, 1);
  (*counter)++;
}

/* -------------------------------------------------------------------------- */

static void
test_append_load (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(DossierHistory) again = NULL;
  g_autoptr(DossierHistoryEntry) a = make_entry ("2026-03-01T10:00:00Z", "KTP Budi.png", "id-1");
  g_autoptr(DossierHistoryEntry) b = make_entry ("2026-03-01T11:00:00Z", "npwp.png", NULL);
  g_autoptr(DossierHistoryEntry) c = make_entry ("2026-03-01T12:00:00+07:00", "logo.png", "id-3");
  DossierHistoryEntry *entry;
  guint changed = 0;

  /* nothing yet: an empty model, no file made by reading */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == DOSSIER_TYPE_HISTORY_ENTRY);

  g_signal_connect (history, "items-changed", G_CALLBACK (count_changes), &changed);

  append (history, a);
  append (history, b);
  append (history, c);
  g_assert_cmpuint (changed, ==, 3);
  g_signal_handlers_disconnect_by_func (history, count_changes, &changed);
  g_assert_cmpuint (count_lines (path), ==, 3);

  /* newest first */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (history), 0)), ==, "logo.png");
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (history), 2)), ==, "KTP Budi.png");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (history), 3));

  /* read back by another instance, every property */
  again = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  entry = nth (G_LIST_MODEL (again), 2);
  g_assert_cmpstr (dossier_history_entry_get_provider_id (entry), ==, "doku");
  g_assert_cmpstr (dossier_history_entry_get_provider_name (entry), ==, "DOKU");
  g_assert_cmpstr (dossier_history_entry_get_environment (entry), ==, "sandbox");
  g_assert_cmpstr (dossier_history_entry_get_remote_id (entry), ==, "id-1");
  g_assert_cmpstr (dossier_history_entry_get_link (entry), ==, "https://example.com/f/1");
  g_assert_nonnull (dossier_history_entry_get_link_expires (entry));
  g_assert_cmpuint (dossier_history_entry_get_http_status (entry), ==, 200);
  g_assert_true (dossier_history_entry_get_success (entry));
  g_assert_cmpint (g_date_time_get_hour (dossier_history_entry_get_finished_at (entry)), ==, 10);

  entry = nth (G_LIST_MODEL (again), 1);
  g_assert_false (dossier_history_entry_get_success (entry));
  g_assert_null (dossier_history_entry_get_remote_id (entry));
  g_assert_cmpstr (dossier_history_entry_get_message (entry), ==, "Invalid code");
  g_assert_cmpstr (dossier_history_entry_get_request_id (entry), ==, "req-42");
  g_assert_cmpuint (dossier_history_entry_get_http_status (entry), ==, 400);

  /* times are kept in UTC */
  entry = nth (G_LIST_MODEL (again), 0);
  g_assert_cmpint (g_date_time_get_hour (dossier_history_entry_get_finished_at (entry)), ==, 5);
  g_assert_cmpint (g_date_time_get_utc_offset (dossier_history_entry_get_finished_at (entry)), ==, 0);

  /* properties read the same */
  {
    g_autofree char *name = NULL;
    gboolean success = TRUE;

    g_object_get (entry, "file-name", &name, "success", &success, NULL);
    g_assert_cmpstr (name, ==, "logo.png");
    g_assert_true (success);
  }

  /* what another process added shows after a reload */
  append (history, a);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  dossier_history_reload (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);

  /* clear: empty, and the file gone */
  g_assert_true (dossier_history_clear (history, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_permissions (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  GStatBuf st;
  ino_t ino;

  /* a permissive umask must not matter */
  mode_t old_mask = umask (0);

  dossier_history_set_max_entries (history, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-01T10:00:00Z", "a.png", "id");

      append (history, entry);
    }
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  ino = st.st_ino;
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* the third one passes the limit: the file is rewritten (a new file
   * renamed over it; every entry stays), still private */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-01T10:00:00Z", "b.png", "id");

      append (history, entry);
    }
  g_assert_cmpuint (count_lines (path), ==, 4);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_ino, !=, ino);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  umask (old_mask);
}

/* The record is whole: past the old cap of 5,000 entries and through a
 * compaction, every finished upload is still there, in the model and in
 * the file read again; only the lines a later one superseded (queued,
 * started) went */
static void
test_record_whole (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(DossierHistory) again = NULL;
  guint total = 5000 + 100;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  /* written as the appends would have (each append is synced to the
   * disk: thousands of them are slow on a busy machine) */
  for (guint i = 0; i + 1 < total; i++)
    g_string_append_printf (lines,
                            "{\"event\":\"queued\",\"upload\":\"u%05u\",\"at\":\"2026-03-01T10:00:00Z\","
                            "\"provider_id\":\"doku\",\"environment\":\"sandbox\",\"path\":\"/s/file-%05u.png\","
                            "\"file_name\":\"file-%05u.png\",\"values\":{}}\n"
                            "{\"event\":\"started\",\"upload\":\"u%05u\",\"at\":\"2026-03-01T10:00:01Z\"}\n"
                            "{\"finished_at\":\"2026-03-01T10:00:02Z\",\"provider_id\":\"doku\","
                            "\"environment\":\"sandbox\",\"file_name\":\"file-%05u.png\",\"success\":true,"
                            "\"outcome\":\"sent\",\"remote_id\":\"R%05u\",\"upload\":\"u%05u\"}\n",
                            i, i, i, i, i, i, i);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, lines->str, lines->len, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, total - 1);

  /* the file is past the threshold: this append compacts it */
  {
    g_autofree char *name = g_strdup_printf ("file-%05u.png", total - 1);
    g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-01T10:00:00Z", name, "id");

    append (history, entry);
  }

  /* every upload is still in the model; the file lost only the lines
   * the finished ones superseded */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, total);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (history), 0)), ==, "file-05099.png");
  g_assert_cmpuint (count_lines (path), ==, total);

  /* read again: all of them, the oldest included, each still sent */
  again = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, total);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (again), 0)), ==, "file-05099.png");
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (again), total - 1)),
                   ==, "file-00000.png");
  g_assert_cmpstr (dossier_history_entry_get_remote_id (nth (G_LIST_MODEL (again), total - 1)), ==, "R00000");
  g_assert_cmpint (dossier_history_lookup_state (again, "u00000"), ==, DOSSIER_RECORD_STATE_SENT);
}

static void
test_broken_lines (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(DossierHistory) again = NULL;
  g_autoptr(DossierHistoryEntry) good = make_entry ("2026-03-01T10:00:00Z", "good.png", "id-1");
  g_autoptr(DossierHistoryEntry) later = make_entry ("2026-03-02T10:00:00Z", "later.png", "id-2");
  g_autoptr(JsonNode) node = dossier_history_entry_to_json (good);
  g_autofree char *line = json_to_string (node, FALSE);
  g_autofree char *contents = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* garbage, a non-object, missing members, a bad date, an empty line,
   * one good line, and a line cut short by a crash */
  contents = g_strdup_printf ("not json at all\n"
                              "[1, 2, 3]\n"
                              "{\"file_name\": \"x.png\"}\n"
                              "{\"finished_at\": \"yesterday\", \"provider_id\": \"doku\", \"file_name\": \"y\"}\n"
                              "\n"
                              "%s\n"
                              "{\"finished_at\": \"2026-03-01T1",
                              line);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  history = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (history), 0)), ==, "good.png");

  /* what comes after the cut line is still read */
  append (history, later);
  again = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (again), 0)), ==, "later.png");
}

static void
test_format (void)
{
  g_autoptr(DossierHistoryEntry) entry = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *today = NULL;
  g_autofree char *yesterday = NULL;
  g_autofree char *older = NULL;
  g_autofree char *expected = NULL;

  entry = make_entry ("2026-03-03T07:03:00Z", "a.png", "id");
  local = g_date_time_to_local (dossier_history_entry_get_finished_at (entry));
  now = g_date_time_add_minutes (dossier_history_entry_get_finished_at (entry), 1);
  tomorrow = g_date_time_add_days (now, 1);
  later = g_date_time_add_days (now, 30);

  today = dossier_history_entry_format_time (entry, now);
  expected = g_date_time_format (local, "today %H:%M");
  g_assert_cmpstr (today, ==, expected);
  yesterday = dossier_history_entry_format_time (entry, tomorrow);
  g_assert_true (g_str_has_prefix (yesterday, "yesterday "));
  older = dossier_history_entry_format_time (entry, later);
  g_assert_nonnull (strstr (older, "2026"));
  g_assert_nonnull (strstr (older, "Mar"));

  /* the DOKU link expires at 08:00 UTC */
  g_assert_false (dossier_history_entry_link_expired (entry, now));
  g_assert_true (dossier_history_entry_link_expired (entry, tomorrow));
}

/* A real upload through the sandbox, with a pasted token: what the history
 * keeps, and that no credential is in it */
static void
test_real_uploads (Fixture       *fx,
                   gconstpointer  data)
{
  DossierHistory *history = dossier_history_get_default ();
  g_autofree char *expected_path = g_build_filename (state_dir, "dossier", "history.jsonl", NULL);
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierSubmission) good = dossier_test_submission_new (doku, fx->sandbox, DOSSIER_SANDBOX_DOKU_TOKEN,
                                                                    NULL, NULL);
  g_autoptr(DossierSubmission) bad = dossier_test_submission_new (doku, fx->sandbox, "pasted-wrong-token-7731",
                                                                   NULL, NULL);
  g_autoptr(DossierSubmission) oauth = dossier_test_submission_new (moov, fx->sandbox, NULL,
                                                                     DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                                                     DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(DossierSubmission) quiet = dossier_test_submission_new (doku, fx->sandbox, DOSSIER_SANDBOX_DOKU_TOKEN,
                                                                     NULL, NULL);
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 3000, FALSE);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n%%EOF\n", 15);
  g_autoptr(GFile) ktp = dossier_test_write_file (fx->dir, "KTP Budi.png", png);
  g_autoptr(GFile) logo = dossier_test_write_file (fx->dir, "logo.png", png);
  g_autoptr(GFile) statement = dossier_test_write_file (fx->dir, "statement.png", png);
  g_autoptr(GFile) fake = dossier_test_write_file (fx->dir, "fake.png", pdf);
  g_autoptr(GFile) unsent = dossier_test_write_file (fx->dir, "unsent.png", png);
  g_autofree char *contents = NULL;
  DossierUpload *sent, *refused, *moov_upload, *invalid;
  DossierHistoryEntry *entry;
  guint n_before;

  g_assert_cmpstr (dossier_history_get_path (history), ==, expected_path);
  g_assert_true (dossier_submission_get_record_history (good));
  n_before = g_list_model_get_n_items (G_LIST_MODEL (history));

  /* sent */
  sent = dossier_submission_add_file (good, ktp);
  invalid = dossier_submission_add_file (good, fake);
  dossier_test_run_to_end (good);
  g_assert_cmpint (dossier_upload_get_state (sent), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpint (dossier_upload_get_state (invalid), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_before + 1);
  entry = nth (G_LIST_MODEL (history), 0);
  g_assert_true (dossier_history_entry_get_success (entry));
  g_assert_cmpstr (dossier_history_entry_get_file_name (entry), ==, "KTP Budi.png");
  g_assert_cmpstr (dossier_history_entry_get_remote_id (entry), ==, dossier_upload_get_result (sent)->remote_id);
  g_assert_cmpstr (dossier_history_entry_get_link (entry), ==, dossier_upload_get_result (sent)->link);
  g_assert_nonnull (dossier_history_entry_get_link_expires (entry));
  g_assert_cmpstr (dossier_history_entry_get_provider_id (entry), ==, "doku");
  g_assert_cmpstr (dossier_history_entry_get_environment (entry), ==, "sandbox");
  g_assert_cmpuint (dossier_history_entry_get_http_status (entry), ==, 200);
  g_assert_cmpstr (dossier_history_entry_get_outcome (entry), ==, "sent");
  g_assert_cmpstr (dossier_history_entry_get_record_id (entry), ==, dossier_upload_get_record_id (sent));

  /* refused: the provider's message, no token */
  refused = dossier_submission_add_file (bad, logo);
  dossier_test_run_to_end (bad);
  g_assert_cmpint (dossier_upload_get_state (refused), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_before + 2);
  entry = nth (G_LIST_MODEL (history), 0);
  g_assert_false (dossier_history_entry_get_success (entry));
  g_assert_cmpuint (dossier_history_entry_get_http_status (entry), ==, 401);
  g_assert_cmpstr (dossier_history_entry_get_message (entry), ==, dossier_upload_get_result (refused)->message);
  g_assert_null (dossier_history_entry_get_remote_id (entry));
  g_assert_cmpstr (dossier_history_entry_get_outcome (entry), ==, "failed");
  /* the history says what the upload page said */
  {
    g_autofree char *said = dossier_result_describe_failure (dossier_upload_get_result (refused));
    g_autofree char *kept = dossier_history_entry_describe_failure (entry);

    g_assert_cmpstr (kept, ==, said);
  }

  /* a token fetched with a client secret */
  dossier_submission_set_value (oauth, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  moov_upload = dossier_submission_add_file (oauth, statement);
  dossier_test_run_to_end (oauth);
  g_assert_cmpint (dossier_upload_get_state (moov_upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_before + 3);
  g_assert_cmpstr (dossier_history_entry_get_remote_status (nth (G_LIST_MODEL (history), 0)),
                   ==, dossier_upload_get_result (moov_upload)->status);

  /* not recorded when asked not to */
  dossier_submission_set_record_history (quiet, FALSE);
  dossier_submission_add_file (quiet, unsent);
  dossier_test_run_to_end (quiet);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_before + 3);

  /* the file: private, and not a credential nor an auth header in it
   * (compared, never printed) */
  g_assert_true (g_file_get_contents (expected_path, &contents, NULL, NULL));
  g_assert_cmpuint (count_entry_lines (expected_path), ==, n_before + 3);
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_DOKU_TOKEN));
  g_assert_null (strstr (contents, "pasted-wrong-token-7731"));
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET));
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_MOOV_TOKEN));
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_DOKU_SECRET_KEY));
  {
    g_autofree char *lower = g_ascii_strdown (contents, -1);

    g_assert_null (strstr (lower, "authorization"));
    g_assert_null (strstr (lower, "bearer"));
  }
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (expected_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  g_assert_finalize_object (g_steal_pointer (&good));
  g_assert_finalize_object (g_steal_pointer (&bad));
  g_assert_finalize_object (g_steal_pointer (&oauth));
  g_assert_finalize_object (g_steal_pointer (&quiet));
}

/* A credential that turns up in a name is masked */
static void
test_masked (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierSubmission) submission = dossier_test_submission_new (doku, fx->sandbox,
                                                                          DOSSIER_SANDBOX_DOKU_TOKEN,
                                                                          NULL, NULL);
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 1000, FALSE);
  g_autofree char *name = g_strdup_printf ("logo %s.png", DOSSIER_SANDBOX_DOKU_TOKEN);
  g_autoptr(GFile) file = dossier_test_write_file (fx->dir, name, png);
  g_autoptr(DossierHistoryEntry) entry = NULL;
  DossierUpload *upload;

  upload = dossier_submission_add_file (submission, file);
  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);

  entry = g_list_model_get_item (G_LIST_MODEL (dossier_history_get_default ()), 0);
  g_assert_cmpstr (dossier_history_entry_get_file_name (entry), ==, "logo [hidden].png");
  g_assert_finalize_object (g_steal_pointer (&submission));
}

#define OLD_LINE \
  "{\"finished_at\":\"2026-03-01T10:00:00Z\",\"provider_id\":\"doku\",\"file_name\":\"old.png\"," \
  "\"success\":true,\"remote_id\":\"R-OLD\"}\n"

static char *
queued_line (const char *id,
             const char *path)
{
  return g_strdup_printf ("{\"event\":\"queued\",\"upload\":\"%s\",\"at\":\"2026-03-02T10:00:00Z\","
                          "\"provider_id\":\"doku\",\"environment\":\"sandbox\",\"path\":\"%s\","
                          "\"file_name\":\"%s\",\"values\":{\"category\":\"LOGO\"}}\n",
                          id, path, strrchr (path, '/') + 1);
}

static char *
event_line (const char *event,
            const char *id)
{
  return g_strdup_printf ("{\"event\":\"%s\",\"upload\":\"%s\",\"at\":\"2026-03-02T10:00:01Z\"}\n",
                          event, id);
}

static char *
finished_line (const char *id,
               const char *name,
               gboolean    success)
{
  return g_strdup_printf ("{\"finished_at\":\"2026-03-02T10:00:02Z\",\"provider_id\":\"doku\","
                          "\"environment\":\"sandbox\",\"file_name\":\"%s\",\"success\":%s,"
                          "\"upload\":\"%s\"%s}\n", name, success ? "true" : "false", id,
                          success ? ",\"remote_id\":\"R1\"" : ",\"message\":\"Invalid code\"");
}

/* The record: lines of older versions, then every kind of line; the
 * state of an upload is its last line; a cut last line is skipped */
static void
test_record (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(GPtrArray) unsent = NULL;
  g_autoptr(GString) text = g_string_new (OLD_LINE);
  const char *lines[] = { "q:sent:/m/sent.png", "s:sent", "f:sent:1",
                          "q:queued:/m/queued.png",
                          "q:started:/m/started.png", "s:started",
                          "q:failed:/m/failed.png", "s:failed", "f:failed:0",
                          "q:cancelled:/m/cancelled.png", "s:cancelled", "c:cancelled",
                          "q:again:/m/again.png", "s:again",
                          "q:again2:/m/again.png", "s:again2", "f:again2:1",
                          "q:removed:/m/removed.png", "r:removed",
                          "q:unknown:/m/unknown.png", "s:unknown", "u:unknown",
                          NULL };

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) p = g_strsplit (lines[i], ":", 3);
      g_autofree char *line = NULL;

      if (g_str_equal (p[0], "q"))
        line = queued_line (p[1], p[2]);
      else if (g_str_equal (p[0], "s"))
        line = event_line ("started", p[1]);
      else if (g_str_equal (p[0], "c"))
        line = g_strdup_printf ("{\"event\":\"cancelled\",\"upload\":\"%s\",\"body_sent\":false}\n", p[1]);
      else if (g_str_equal (p[0], "r"))
        line = event_line ("removed", p[1]);
      else if (g_str_equal (p[0], "u"))
        line = g_strdup_printf ("{\"finished_at\":\"2026-03-02T10:00:03Z\",\"provider_id\":\"doku\","
                                "\"file_name\":\"unknown.png\",\"success\":false,\"outcome\":\"unknown\","
                                "\"upload\":\"%s\"}\n", p[1]);
      else
        line = finished_line (p[1], p[1], g_str_equal (p[2], "1"));
      g_string_append (text, line);
    }
  /* cut by a crash */
  g_string_append (text, "{\"event\":\"started\",\"upload\":\"queu");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  /* the history: finished lines only, the old one too */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 5);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (history), 4)), ==, "old.png");
  g_assert_null (dossier_history_entry_get_record_id (nth (G_LIST_MODEL (history), 4)));
  g_assert_cmpstr (dossier_history_entry_get_record_id (nth (G_LIST_MODEL (history), 1)), ==, "again2");

  g_assert_cmpint (dossier_history_lookup_state (history, "sent"), ==, DOSSIER_RECORD_STATE_SENT);
  g_assert_cmpint (dossier_history_lookup_state (history, "queued"), ==, DOSSIER_RECORD_STATE_QUEUED);
  g_assert_cmpint (dossier_history_lookup_state (history, "started"), ==, DOSSIER_RECORD_STATE_STARTED);
  g_assert_cmpint (dossier_history_lookup_state (history, "failed"), ==, DOSSIER_RECORD_STATE_FAILED);
  g_assert_cmpint (dossier_history_lookup_state (history, "cancelled"), ==, DOSSIER_RECORD_STATE_CANCELLED);
  g_assert_cmpint (dossier_history_lookup_state (history, "removed"), ==, DOSSIER_RECORD_STATE_REMOVED);
  g_assert_cmpint (dossier_history_lookup_state (history, "unknown"), ==, DOSSIER_RECORD_STATE_UNKNOWN);
  g_assert_cmpint (dossier_history_lookup_state (history, "nowhere"), ==, DOSSIER_RECORD_STATE_NONE);

  /* not sent, oldest first; "again" was sent later by another upload,
   * "removed" was taken out of the list */
  unsent = dossier_history_dup_unsent (history);
  g_assert_cmpuint (unsent->len, ==, 5);
  {
    const char *expected[][2] = { { "queued.png", "not-sent" }, { "started.png", "may-have-been-sent" },
                                  { "failed.png", "not-sent" }, { "cancelled.png", "not-sent" },
                                  { "unknown.png", "may-have-been-sent" } };

    for (guint i = 0; i < 5; i++)
      {
        JsonObject *object = g_ptr_array_index (unsent, i);

        g_assert_cmpstr (json_object_get_string_member (object, "file_name"), ==, expected[i][0]);
        g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, expected[i][1]);
        g_assert_nonnull (json_object_get_string_member (object, "path"));
        g_assert_false (json_object_has_member (object, "event"));
      }
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (unsent, 2), "message"),
                     ==, "Invalid code");
  }

  /* an append after the cut line starts a line of its own */
  {
    g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-03T10:00:00Z", "new.png", "R-NEW");
    g_autoptr(DossierHistory) again = NULL;

    append (history, entry);
    again = dossier_history_new_for_path (path);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 6);
    g_assert_cmpint (dossier_history_lookup_state (again, "started"), ==, DOSSIER_RECORD_STATE_STARTED);
  }

  /* compaction keeps what is not sent and every entry, drops the lines
   * the sent ones' entries superseded */
  g_clear_object (&history);
  history = dossier_history_new_for_path (path);
  dossier_history_set_max_entries (history, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 6);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-04T10:00:00Z", "more.png", "R");

      append (history, entry);
    }
  g_clear_pointer (&unsent, g_ptr_array_unref);
  unsent = dossier_history_dup_unsent (history);
  g_assert_cmpuint (unsent->len, ==, 5);
  g_assert_cmpint (dossier_history_lookup_state (history, "sent"), ==, DOSSIER_RECORD_STATE_SENT);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "/m/sent.png"));
  }
  {
    g_autoptr(DossierHistory) again = dossier_history_new_for_path (path);
    g_autoptr(GPtrArray) unsent_again = dossier_history_dup_unsent (again);

    /* every entry, the old line's too */
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 9);
    g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (again), 8)), ==, "old.png");
    g_assert_cmpint (dossier_history_lookup_state (again, "sent"), ==, DOSSIER_RECORD_STATE_SENT);
    g_assert_cmpint (dossier_history_lookup_state (again, "again"), ==, DOSSIER_RECORD_STATE_REMOVED);
    g_assert_cmpuint (unsent_again->len, ==, 5);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (unsent_again, 1), "state"),
                     ==, "may-have-been-sent");
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (unsent_again, 2), "state"),
                     ==, "not-sent");
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (unsent_again, 2), "message"),
                     ==, "Invalid code");
    g_assert_cmpint (dossier_history_lookup_state (again, "started"), ==, DOSSIER_RECORD_STATE_STARTED);
  }
}

static void
write_lines (const char  *path,
             const char **lines,
             gboolean     add)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *old = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (add)
    {
      g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
      g_string_append (text, old);
    }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_string_append (text, lines[i]);
      g_string_append_c (text, '\n');
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
}

/* The unsent uploads of the file at @path, read afresh: file name ->
 * state, and "message" under "<file name>:message" */
static GHashTable *
read_unsent (const char *path)
{
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(GPtrArray) unsent = dossier_history_dup_unsent (history);
  GHashTable *states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < unsent->len; i++)
    {
      JsonObject *object = g_ptr_array_index (unsent, i);
      const char *name = json_object_get_string_member (object, "upload");

      g_hash_table_insert (states, g_strdup (name),
                           g_strdup (json_object_get_string_member (object, "state")));
      if (json_object_has_member (object, "message"))
        g_hash_table_insert (states, g_strconcat (name, ":message", NULL),
                             g_strdup (json_object_get_string_member (object, "message")));
    }
  return states;
}

/* Compacts the file at @path: a limit of 2 entries, 3 more appended */
static void
compact_history (const char *path)
{
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);

  guint n;

  dossier_history_set_max_entries (history, 2);
  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-04T10:00:00Z", "more.png", "R");

      append (history, entry);
    }
  /* every entry stays */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n + 3);
}

#define KTP_QUEUED(id, values) KTP_QUEUED_AT (id, "", values)
#define KTP_QUEUED_AT(id, base_url, values) \
  "{\"event\":\"queued\",\"upload\":\"" id "\",\"at\":\"2026-03-02T10:00:00Z\"," base_url \
  "\"provider_id\":\"doku\",\"environment\":\"sandbox\",\"path\":\"/home/m/Scans/KTP.jpg\"," \
  "\"file_name\":\"KTP.jpg\",\"values\":" values "}"
#define KTP_FINISHED(id) \
  "{\"finished_at\":\"2026-03-02T10:00:02Z\",\"provider_id\":\"doku\",\"environment\":\"sandbox\"," \
  "\"file_name\":\"KTP.jpg\",\"success\":true,\"outcome\":\"sent\",\"remote_id\":\"R-" id "\"," \
  "\"upload\":\"" id "\"}"

/* "Sent again later" is the same file with the same values: merchant A's
 * KTP.jpg, interrupted, is not sent by merchant B's KTP.jpg at the same
 * path; it is by the same file sent again with A's values */
static void
test_sent_again_values (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  const char *first[] = {
    KTP_QUEUED ("a", "{\"account\":\"merchant-a\",\"code\":\"KTP\"}"),
    "{\"event\":\"started\",\"upload\":\"a\",\"at\":\"2026-03-02T10:00:01Z\"}",
    KTP_QUEUED ("b", "{\"account\":\"merchant-b\",\"code\":\"KTP\"}"),
    "{\"event\":\"started\",\"upload\":\"b\",\"at\":\"2026-03-02T10:00:01Z\"}",
    KTP_FINISHED ("b"),
    /* same values, but for another base URL */
    KTP_QUEUED ("c", "{\"account\":\"merchant-c\",\"code\":\"KTP\"}"),
    KTP_QUEUED_AT ("c2", "\"base_url\":\"http://127.0.0.1:9/\",",
                   "{\"account\":\"merchant-c\",\"code\":\"KTP\"}"),
    KTP_FINISHED ("c2"),
    NULL };
  const char *again[] = {
    /* the same values, written in another order */
    KTP_QUEUED ("a2", "{\"code\":\"KTP\",\"account\":\"merchant-a\"}"),
    "{\"event\":\"started\",\"upload\":\"a2\",\"at\":\"2026-03-02T10:00:01Z\"}",
    KTP_FINISHED ("a2"),
    NULL };
  g_autoptr(GHashTable) states = NULL;

  write_lines (path, first, FALSE);
  states = read_unsent (path);
  g_assert_cmpuint (g_hash_table_size (states), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (states, "a"), ==, "may-have-been-sent");
  g_assert_cmpstr (g_hash_table_lookup (states, "c"), ==, "not-sent");
  g_clear_pointer (&states, g_hash_table_unref);

  /* and compaction keeps them (and every entry, without the lines they
   * superseded) */
  compact_history (path);
  g_assert_cmpuint (count_entry_lines (path), ==, 5);
  g_assert_cmpuint (count_lines (path), <, 11);
  states = read_unsent (path);
  g_assert_cmpuint (g_hash_table_size (states), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (states, "a"), ==, "may-have-been-sent");
  g_assert_cmpstr (g_hash_table_lookup (states, "c"), ==, "not-sent");
  g_clear_pointer (&states, g_hash_table_unref);

  /* A's file sent again with A's values: no longer unsent */
  write_lines (path, again, TRUE);
  states = read_unsent (path);
  g_assert_cmpuint (g_hash_table_size (states), ==, 1);
  g_assert_false (g_hash_table_contains (states, "a"));
  g_assert_cmpstr (g_hash_table_lookup (states, "c"), ==, "not-sent");
}

/* A rejected upload (422) is "not sent", with why, before and after
 * compactions */
static void
test_compaction_keeps_failure (Fixture       *fx,
                               gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  const char *lines[] = {
    KTP_QUEUED ("rejected", "{\"account\":\"merchant-a\",\"code\":\"KTP\"}"),
    "{\"event\":\"started\",\"upload\":\"rejected\",\"at\":\"2026-03-02T10:00:01Z\"}",
    "{\"finished_at\":\"2026-03-02T10:00:02Z\",\"provider_id\":\"doku\",\"environment\":\"sandbox\","
    "\"file_name\":\"KTP.jpg\",\"success\":false,\"outcome\":\"failed\",\"http_status\":422,"
    "\"message\":\"The picture is too blurred\",\"upload\":\"rejected\"}",
    NULL };
  g_autoptr(GHashTable) states = NULL;

  write_lines (path, lines, FALSE);
  states = read_unsent (path);
  g_assert_cmpstr (g_hash_table_lookup (states, "rejected"), ==, "not-sent");
  g_assert_cmpstr (g_hash_table_lookup (states, "rejected:message"), ==, "The picture is too blurred");
  g_clear_pointer (&states, g_hash_table_unref);

  /* twice: the kept entry is older than the newest two again (the
   * threshold) */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(DossierHistory) history = NULL;

      compact_history (path);
      /* compacted: every entry, the rejected one's lines with it */
      g_assert_cmpuint (count_lines (path), ==, 3 + 3 * (round + 1));
      states = read_unsent (path);
      g_assert_cmpstr (g_hash_table_lookup (states, "rejected"), ==, "not-sent");
      g_assert_cmpuint (g_hash_table_size (states), ==, 2);
      g_assert_cmpstr (g_hash_table_lookup (states, "rejected:message"), ==, "The picture is too blurred");
      g_clear_pointer (&states, g_hash_table_unref);

      history = dossier_history_new_for_path (path);
      g_assert_cmpint (dossier_history_lookup_state (history, "rejected"), ==, DOSSIER_RECORD_STATE_FAILED);
    }
}

/* A write that fails part way (files may not grow past a limit: EFBIG,
 * as a full disk gives ENOSPC) reports it and leaves the file as it was */
static void
test_write_fails (Fixture       *fx,
                  gconstpointer  data)
{
  const char *path = g_getenv ("DOSSIER_TEST_HISTORY_PATH");

  if (g_test_subprocess ())
    {
      g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
      g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-05T10:00:00Z", "big.png", "R-BIG");
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GError) error = NULL;
      JsonObject *event = json_object_new ();
      struct rlimit limit;
      GStatBuf st;

      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      /* room for a part of the next line only */
      signal (SIGXFSZ, SIG_IGN);
      limit.rlim_cur = limit.rlim_max = st.st_size + 30;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_false (dossier_history_append (history, entry, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
      g_clear_error (&error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);

      json_object_set_string_member (event, "event", "started");
      json_object_set_string_member (event, "upload", "a-rather-long-upload-id-0123456789");
      g_ptr_array_add (events, event);
      g_assert_false (dossier_history_append_events (history, events, &error));
      g_assert_nonnull (error);
      g_assert_cmpint (dossier_history_lookup_state (history, "a-rather-long-upload-id-0123456789"),
                       ==, DOSSIER_RECORD_STATE_NONE);
      return;
    }
  else
    {
      g_autofree char *history_path = temp_path (fx, "history.jsonl");
      g_autoptr(DossierHistory) history = dossier_history_new_for_path (history_path);
      g_autoptr(DossierHistory) again = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-01T10:00:00Z", "a.png", "id");

          append (history, entry);
        }
      g_assert_true (g_file_get_contents (history_path, &before, NULL, NULL));

      g_setenv ("DOSSIER_TEST_HISTORY_PATH", history_path, TRUE);
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
      g_unsetenv ("DOSSIER_TEST_HISTORY_PATH");
      g_test_trap_assert_passed ();

      /* nothing damaged, no cut line */
      g_assert_true (g_file_get_contents (history_path, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, before);
      again = dossier_history_new_for_path (history_path);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
    }
}

/* A full disk (the history is /dev/full): the upload is sent, and the
 * submission says it could not be recorded, with the provider's id */
static void
test_record_error (Fixture       *fx,
                   gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_build_filename (state_dir, "dossier", NULL);
      g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
      g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
      g_autoptr(DossierSubmission) submission = NULL;
      g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 1000, FALSE);
      g_autoptr(GFile) file = dossier_test_write_file (fx->dir, "KTP.png", png);
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *expected = NULL;
      DossierUpload *upload;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_cmpint (symlink ("/dev/full", path), ==, 0);
      submission = dossier_test_submission_new (doku, fx->sandbox, DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
      g_signal_connect (submission, "record-error", G_CALLBACK (dossier_test_collect_record_error), messages);
      upload = dossier_submission_add_file (submission, file);
      dossier_test_run_to_end (submission);
      g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);

      /* the queued line (then the started one, not said twice), and the
       * finished one */
      g_assert_cmpuint (messages->len, ==, 2);
      g_assert_nonnull (strstr (g_ptr_array_index (messages, 0), g_strerror (ENOSPC)));
      expected = g_strdup_printf ("Could not record the upload of “KTP.png” in the history: %s: %s; "
                                  "it was sent, id %s", path, g_strerror (ENOSPC),
                                  dossier_upload_get_result (upload)->remote_id);
      g_assert_cmpstr (g_ptr_array_index (messages, 1), ==, expected);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

/* The disk fills, is freed, fills again: the second failure is told too
 * (said once while writes keep failing, not once for good) */
static void
test_record_error_again (Fixture       *fx,
                         gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_build_filename (state_dir, "dossier", NULL);
      g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
      g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
      g_autoptr(DossierSubmission) submission = NULL;
      g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 1000, FALSE);
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
      const char *names[] = { "full.png", "freed.png", "full-again.png" };
      const guint said[] = { 2, 2, 4 };

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      submission = dossier_test_submission_new (doku, fx->sandbox, DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
      g_signal_connect (submission, "record-error", G_CALLBACK (dossier_test_collect_record_error), messages);
      dossier_submission_set_value (submission, "category", "LOGO");

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autoptr(GFile) file = dossier_test_write_file (fx->dir, names[i], png);
          DossierUpload *upload;

          /* full, then a real file, then full again */
          g_assert_true (g_unlink (path) == 0 || errno == ENOENT);
          if (i != 1)
            g_assert_cmpint (symlink ("/dev/full", path), ==, 0);

          upload = dossier_submission_add_file (submission, file);
          dossier_test_run_to_end (submission);
          g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
          g_assert_cmpuint (messages->len, ==, said[i]);
        }

      /* the queued line of the last file, then its finished one */
      g_assert_nonnull (strstr (g_ptr_array_index (messages, 2),
                                "Could not record the files about to be sent in the history"));
      g_assert_nonnull (strstr (g_ptr_array_index (messages, 3),
                                "Could not record the upload of “full-again.png” in the history"));
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

/* One sentence for a failure, whoever shows it: the core's */
static void
test_describe_failure (void)
{
  g_autoptr(DossierHistoryEntry) sent = make_entry ("2026-03-03T07:03:00Z", "a.png", "id");
  g_autoptr(DossierHistoryEntry) refused = make_entry ("2026-03-03T07:03:00Z", "b.png", NULL);
  g_autoptr(DossierHistoryEntry) unreachable = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *refused_sentence = NULL;
  g_autofree char *unreachable_sentence = NULL;

  g_assert_null (dossier_history_entry_describe_failure (sent));

  refused_sentence = dossier_history_entry_describe_failure (refused);
  g_assert_cmpstr (refused_sentence, ==, "DOKU refused the file (400): Invalid code; request id req-42");

  /* no answer came: the network's words alone */
  json_object_set_string_member (object, "finished_at", "2026-03-03T07:03:00Z");
  json_object_set_string_member (object, "provider_id", "doku");
  json_object_set_string_member (object, "provider_name", "DOKU");
  json_object_set_string_member (object, "file_name", "c.png");
  json_object_set_boolean_member (object, "success", FALSE);
  json_object_set_string_member (object, "message", "Connection refused");
  unreachable = dossier_history_entry_new_from_json (object, &error);
  g_assert_no_error (error);
  unreachable_sentence = dossier_history_entry_describe_failure (unreachable);
  g_assert_cmpstr (unreachable_sentence, ==, "Connection refused");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* before the default history picks its folder */
  state_dir = dossier_test_init_with_state (&argc, &argv, "history");

#define ADD(path, func) g_test_add (path, Fixture, NULL, dossier_test_fixture_set_up, func, \
                                    dossier_test_fixture_tear_down)
  ADD ("/history/append-load", test_append_load);
  ADD ("/history/permissions", test_permissions);
  ADD ("/history/record-whole", test_record_whole);
  ADD ("/history/broken-lines", test_broken_lines);
  ADD ("/history/real-uploads", test_real_uploads);
  ADD ("/history/masked", test_masked);
  ADD ("/history/record", test_record);
  ADD ("/history/sent-again-values", test_sent_again_values);
  ADD ("/history/compaction-keeps-failure", test_compaction_keeps_failure);
  ADD ("/history/write-fails", test_write_fails);
  ADD ("/history/record-error", test_record_error);
  ADD ("/history/record-error-again", test_record_error_again);
#undef ADD
  g_test_add_func ("/history/format", test_format);
  g_test_add_func ("/history/describe-failure", test_describe_failure);

  status = g_test_run ();

  dossier_test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
