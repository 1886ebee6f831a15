/* test-history.c: the history of finished uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

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
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* the third one passes the limit: the file is rewritten, still private */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-01T10:00:00Z", "b.png", "id");

      append (history, entry);
    }
  g_assert_cmpuint (count_lines (path), ==, 2);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  umask (old_mask);
}

static void
test_cap (Fixture       *fx,
          gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(DossierHistory) again = NULL;
  guint total = DOSSIER_HISTORY_MAX_ENTRIES + DOSSIER_HISTORY_MAX_ENTRIES / 10 + 50;
  gint64 start = g_get_monotonic_time ();

  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  /* every line but the last as appends wrote them (each append is synced
   * to the disk: 5,500 of them are slow on a busy machine) */
  for (guint i = 0; i + 1 < total; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%05u.png", i);
      g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-01T10:00:00Z", name, "id");
      g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append_printf (lines, "%s\n", text);
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, lines->str, lines->len, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, DOSSIER_HISTORY_MAX_ENTRIES);

  /* the append that passes the limit by a tenth trims the file */
  {
    g_autoptr(DossierHistoryEntry) entry = make_entry ("2026-03-01T10:00:00Z", "file-05549.png", "id");

    append (history, entry);
  }
  g_test_message ("%u appends in %.2f s", total,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  /* the model holds the newest 5000, the file was trimmed once */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, DOSSIER_HISTORY_MAX_ENTRIES);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (history), 0)), ==, "file-05549.png");
  g_assert_cmpuint (count_lines (path), <=, DOSSIER_HISTORY_MAX_ENTRIES + DOSSIER_HISTORY_MAX_ENTRIES / 10);
  g_assert_cmpuint (count_lines (path), <, total);

  /* read again: the newest 5000 */
  again = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, DOSSIER_HISTORY_MAX_ENTRIES);
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (again), 0)), ==, "file-05549.png");
  g_assert_cmpstr (dossier_history_entry_get_file_name (nth (G_LIST_MODEL (again), DOSSIER_HISTORY_MAX_ENTRIES - 1)),
                   ==, "file-00550.png");
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
  g_assert_cmpstr (dossier_history_entry_get_file_name (entry), ==, "logo ********.png");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  /* before the default history picks its folder */
  state_dir = g_dir_make_tmp ("dossier-history-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, dossier_test_fixture_set_up, func, \
                                    dossier_test_fixture_tear_down)
  ADD ("/history/append-load", test_append_load);
  ADD ("/history/permissions", test_permissions);
  ADD ("/history/cap", test_cap);
  ADD ("/history/broken-lines", test_broken_lines);
  ADD ("/history/real-uploads", test_real_uploads);
  ADD ("/history/masked", test_masked);
#undef ADD
  g_test_add_func ("/history/format", test_format);

  status = g_test_run ();

  dossier_test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
