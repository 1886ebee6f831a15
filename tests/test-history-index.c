/* test-history-index.c: the index beside the record gives what the record
 * alone gives, and is never trusted when it does not match
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"

#include "dossier-test-util.h"

static char *dir;

/* A finished entry line: @n numbers it, @merchant and @values optional */
static char *
entry_line (guint       n,
            const char *upload,
            gboolean    success,
            const char *merchant)
{
  return g_strdup_printf ("{\"finished_at\":\"2026-12-0%uT10:00:0%u.25Z\",\"provider_id\":\"moov\","
                          "\"provider_name\":\"Moov\",\"environment\":\"sandbox\",\"file_name\":\"ktp-%u.png\","
                          "\"success\":%s,\"remote_id\":\"R%u\",\"link\":\"https://files.example/R%u\","
                          "\"link_expires\":\"2026-12-06T10:00:00+07:00\",\"http_status\":%u,"
                          "\"message\":%s,\"request_id\":\"req-%u\",%s%s%s\"outcome\":\"%s\","
                          "%s%s%s\"sha256\":\"%064x\",\"size\":%u,"
                          "\"account\":{\"accountID\":\"a%u\",\"clientId\":\"c\"},"
                          "\"document\":{\"filePurpose\":\"identity_verification\"},"
                          "\"requirement_id\":\"document.individual.verification\"}\n",
                          1 + n % 9, n % 10, n, success ? "true" : "false", n, n,
                          success ? 200 : 422, success ? "null" : "\"Moov could not read it\"", n,
                          upload != NULL ? "\"upload\":\"" : "", upload != NULL ? upload : "",
                          upload != NULL ? "\"," : "", success ? "sent" : "failed",
                          merchant != NULL ? "\"merchant_id\":\"" : "", merchant != NULL ? merchant : "",
                          merchant != NULL ? "\"," : "", n, 1000 + n, n % 7);
}

static char *
event_line (const char *event,
            const char *upload,
            guint       n)
{
  if (g_str_equal (event, "queued"))
    return g_strdup_printf ("{\"event\":\"queued\",\"upload\":\"%s\",\"at\":\"2026-12-01T09:00:00Z\","
                            "\"provider_id\":\"moov\",\"environment\":\"sandbox\",\"base_url\":\"http://x\","
                            "\"path\":\"/home/clerk/ktp-%u.png\",\"file_name\":\"ktp-%u.png\","
                            "\"values\":{\"accountID\":\"a%u\"}}\n", upload, n, n, n);
  return g_strdup_printf ("{\"event\":\"%s\",\"upload\":\"%s\",\"at\":\"2026-12-01T09:00:01Z\"}\n",
                          event, upload);
}

/* A record of @n uploads: queued, started, finished (every third failed),
 * one old-style entry without an upload id, an unreadable line, and two
 * uploads left queued and started */
static GString *
make_record (guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("u%u", i);
      g_autofree char *q = event_line ("queued", id, i);
      g_autofree char *s = event_line ("started", id, i);
      g_autofree char *f = entry_line (i, id, i % 3 != 0, i % 2 ? "m1" : NULL);

      g_string_append (out, q);
      g_string_append (out, s);
      g_string_append (out, f);
    }
  {
    g_autofree char *old = entry_line (n, NULL, TRUE, NULL);
    g_autofree char *q1 = event_line ("queued", "left-1", 900);
    g_autofree char *q2 = event_line ("queued", "left-2", 901);
    g_autofree char *s2 = event_line ("started", "left-2", 901);

    g_string_append (out, old);
    g_string_append (out, "{not json\n");
    g_string_append (out, q1);
    g_string_append (out, q2);
    g_string_append (out, s2);
  }
  return out;
}

static char *
index_path (const char *path)
{
  return g_strconcat (path, ".index", NULL);
}

static char *
read_all (const char *path)
{
  char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return contents;
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

static void
append_text (const char *path,
             const char *text)
{
  FILE *f = fopen (path, "a");

  g_assert_nonnull (f);
  g_assert_cmpint (fputs (text, f), >=, 0);
  g_assert_cmpint (fclose (f), ==, 0);
}

/* Everything the model says: each entry as JSON, the state of every
 * upload named in the record, what is unsent */
static char *
dump (const char *path)
{
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(GPtrArray) unsent = NULL;
  GString *out = g_string_new (NULL);
  guint n;

  dossier_history_set_max_entries (history, 100000);
  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);
      g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append_printf (out, "%s review=%s/%s/%d/%s\n", text,
                              dossier_history_entry_get_decision_reason (entry),
                              dossier_history_entry_get_error_code (entry),
                              dossier_history_entry_get_reconciled (entry),
                              dossier_history_entry_get_remote_status (entry));
    }
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *id = g_strdup_printf ("u%u", i);

      g_string_append_printf (out, "%s=%d ", id, dossier_history_lookup_state (history, id));
    }
  g_string_append_printf (out, "left-1=%d left-2=%d new=%d\n",
                          dossier_history_lookup_state (history, "left-1"),
                          dossier_history_lookup_state (history, "left-2"),
                          dossier_history_lookup_state (history, "new"));
  unsent = dossier_history_dup_unsent (history);
  for (guint i = 0; i < unsent->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (unsent, i));
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append_printf (out, "%s\n", text);
    }
  {
    g_autofree char *sha = g_strdup_printf ("%064x", 4);
    g_autoptr(GPtrArray) found = dossier_history_find_sent (history, sha, "moov", "sandbox", NULL);

    g_string_append_printf (out, "found %u\n", found->len);
  }
  /* unreffing waits for the writer: the index is written by then */
  return g_string_free (out, FALSE);
}

/* The model read from the record alone (its index deleted first) */
static char *
dump_without_index (const char *path)
{
  g_autofree char *index = index_path (path);

  g_unlink (index);
  return dump (path);
}

static char *
new_record (const char *name,
            guint       n)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) record = make_record (n);
  g_autofree char *index = index_path (path);

  g_unlink (index);
  g_assert_true (g_file_set_contents_full (path, record->str, record->len,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  return path;
}

/* -------------------------------------------------------------------------- */

static void
test_same_model (void)
{
  g_autofree char *path = new_record ("same.jsonl", 50);
  g_autofree char *index = index_path (path);
  g_autofree char *alone = dump (path);
  g_autofree char *with_index = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  /* the first load wrote the index */
  g_assert_cmpint (g_stat (index, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  with_index = dump (path);
  g_assert_cmpstr (with_index, ==, alone);
  g_assert_nonnull (strstr (alone, "left-1=1 left-2=2"));
  g_assert_nonnull (strstr (alone, "ktp-49.png"));

  /* it is what was read: an edit in the middle of a line it covers (the
   * end of the covered bytes unchanged) shows only once it is deleted */
  contents = read_all (path);
  {
    char *at = strstr (contents, "ktp-7.png\",\"success\"");
    int fd = g_open (path, O_WRONLY, 0);

    g_assert_nonnull (at);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (pwrite (fd, "X", 1, at - contents), ==, 1);
    close (fd);
  }
  g_clear_pointer (&with_index, g_free);
  with_index = dump (path);
  g_assert_cmpstr (with_index, ==, alone);
  g_clear_pointer (&alone, g_free);
  alone = dump_without_index (path);
  g_assert_nonnull (strstr (alone, "Xtp-7.png"));
  g_assert_null (strstr (with_index, "Xtp-7.png"));
}

static void
test_appended (void)
{
  g_autofree char *path = new_record ("appended.jsonl", 40);
  g_autofree char *index = index_path (path);
  g_autofree char *first = dump (path);
  g_autoptr(GBytes) before = read_bytes (index);
  g_autoptr(GBytes) after = NULL;
  g_autofree char *with_index = NULL;
  g_autofree char *alone = NULL;
  g_autofree char *line1 = entry_line (70, "left-2", FALSE, "m2");
  g_autofree char *line2 = event_line ("removed", "left-1", 900);
  g_autofree char *line3 = event_line ("queued", "new", 4);
  g_autofree char *line4 = entry_line (4, "new", TRUE, NULL);
  g_autofree char *line5 = event_line ("queued", "u3", 3);
  const char *status1 = "{\"event\":\"status\",\"upload\":\"u5\",\"remote_id\":\"R5\","
                        "\"remote_status\":\"rejected\",\"decision_reason\":\"blurred\","
                        "\"error_code\":\"document-illegible\",\"at\":\"2026-12-04T11:00:00Z\"}\n";
  const char *status2 = "{\"event\":\"status\",\"upload\":\"u8\",\"remote_status\":\"approved\","
                        "\"reconciled\":true,\"at\":\"2026-12-04T12:00:00Z\"}\n";

  /* new entries, lines about uploads the index holds (one finished, one
   * removed, one queued again), a line cut short */
  append_text (path, line1);
  append_text (path, line2);
  append_text (path, line3);
  append_text (path, line4);
  append_text (path, line5);
  /* the provider's review of entries the index holds */
  append_text (path, status1);
  append_text (path, status2);
  append_text (path, "{\"event\":\"started\",\"upl");

  with_index = dump (path);
  /* the index was not written again for a few lines: the lines after it
   * were read onto what it holds */
  after = read_bytes (index);
  g_assert_true (g_bytes_equal (before, after));

  alone = dump_without_index (path);
  g_assert_cmpstr (with_index, ==, alone);
  g_assert_cmpstr (with_index, !=, first);
  g_assert_nonnull (strstr (alone, "left-1=7 left-2=4 new=3"));
  g_assert_nonnull (strstr (alone, "ktp-70.png"));
  g_assert_nonnull (strstr (alone, "document-illegible"));

  /* the index written from the whole record holds the reviews folded in */
  {
    g_autofree char *again = dump (path);

    g_assert_cmpstr (again, ==, alone);
  }
}

/* The index is rebuilt when the record it describes has changed */
static void
check_rebuilt (const char *path,
               GBytes     *old_index,
               const char *expected)
{
  g_autofree char *index = index_path (path);
  g_autofree char *with_index = dump (path);
  g_autofree char *again = NULL;
  g_autoptr(GBytes) now = read_bytes (index);
  GStatBuf st;

  g_assert_cmpstr (with_index, ==, expected);
  g_assert_false (g_bytes_equal (old_index, now));
  g_assert_cmpint (g_stat (index, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* and the new one reads right */
  again = dump (path);
  g_assert_cmpstr (again, ==, expected);
}

static void
test_rewritten_record (void)
{
  g_autofree char *path = new_record ("rewritten.jsonl", 30);
  g_autofree char *index = index_path (path);
  g_autofree char *first = dump (path);
  g_autoptr(GBytes) old_index = read_bytes (index);
  g_autoptr(GString) other = make_record (45);
  g_autoptr(GString) shorter = make_record (5);
  g_autofree char *expected = NULL;
  int fd;

  g_assert_nonnull (first);

  /* the same file (inode) rewritten in place, longer than before */
  fd = g_open (path, O_WRONLY | O_TRUNC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, other->str + 1, other->len - 1), ==, (gssize) other->len - 1);
  close (fd);
  {
    g_autoptr(GBytes) keep = g_bytes_ref (old_index);

    g_file_set_contents (index, g_bytes_get_data (keep, NULL), g_bytes_get_size (keep), NULL);
    expected = dump_without_index (path);
    g_file_set_contents (index, g_bytes_get_data (keep, NULL), g_bytes_get_size (keep), NULL);
    check_rebuilt (path, keep, expected);
  }

  /* cut shorter than what the index covers */
  g_clear_pointer (&old_index, g_bytes_unref);
  old_index = read_bytes (index);
  g_assert_cmpint (truncate (path, shorter->len), ==, 0);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (write (fd, shorter->str, shorter->len), ==, (gssize) shorter->len);
  close (fd);
  g_clear_pointer (&expected, g_free);
  expected = dump_without_index (path);
  g_file_set_contents (index, g_bytes_get_data (old_index, NULL), g_bytes_get_size (old_index), NULL);
  check_rebuilt (path, old_index, expected);

  /* replaced by another file (as a compaction does) */
  g_clear_pointer (&old_index, g_bytes_unref);
  old_index = read_bytes (index);
  {
    g_autofree char *tmp = g_strconcat (path, ".new", NULL);

    g_assert_true (g_file_set_contents (tmp, shorter->str, shorter->len, NULL));
    g_assert_cmpint (g_rename (tmp, path), ==, 0);
  }
  check_rebuilt (path, old_index, expected);
}

static void
test_corrupt_index (void)
{
  g_autofree char *path = new_record ("corrupt.jsonl", 30);
  g_autofree char *index = index_path (path);
  g_autofree char *expected = dump (path);
  g_autoptr(GBytes) good = read_bytes (index);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  g_autofree guint8 *bad = g_malloc (size);

  /* random bytes */
  for (gsize i = 0; i < size; i++)
    bad[i] = g_rand_int (rand);
  g_assert_true (g_file_set_contents (index, (char *) bad, size, NULL));
  {
    g_autoptr(GBytes) old = g_bytes_new (bad, size);

    check_rebuilt (path, old, expected);
  }

  /* cut in the middle, and cut by its last byte */
  g_assert_true (g_file_set_contents (index, (char *) data, size / 2, NULL));
  {
    g_autoptr(GBytes) old = g_bytes_new (data, size / 2);

    check_rebuilt (path, old, expected);
  }
  g_assert_true (g_file_set_contents (index, (char *) data, size - 1, NULL));
  {
    g_autoptr(GBytes) old = g_bytes_new (data, size - 1);

    check_rebuilt (path, old, expected);
  }

  /* another version */
  memcpy (bad, data, size);
  bad[7] = 99;
  g_assert_true (g_file_set_contents (index, (char *) bad, size, NULL));
  {
    g_autoptr(GBytes) old = g_bytes_new (bad, size);

    check_rebuilt (path, old, expected);
  }

  /* a count in the middle changed: an entry's string runs past the end */
  for (guint round = 0; round < 20; round++)
    {
      gsize at = 200 + g_rand_int_range (rand, 0, size - 210);

      memcpy (bad, data, size);
      bad[at] ^= 0xff;
      bad[at + 1] ^= 0x7f;
      g_assert_true (g_file_set_contents (index, (char *) bad, size, NULL));
      /* whatever it then says is checked: no crash, and deleted it reads
       * right again */
      g_free (dump (path));
      g_unlink (index);
      {
        g_autofree char *again = dump (path);

        g_assert_cmpstr (again, ==, expected);
      }
    }
}

/* The index holds nothing the record does not: every run of printable
 * text in it is in the record */
static void
test_no_secret (void)
{
  g_autofree char *path = new_record ("secret.jsonl", 20);
  g_autofree char *index = index_path (path);
  g_autofree char *record = read_all (path);
  g_autofree char *first = dump (path);
  g_autoptr(GBytes) bytes = read_bytes (index);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize start = 0;
  guint checked = 0;

  g_assert_nonnull (first);
  for (gsize i = 0; i <= size; i++)
    {
      if (i < size && g_ascii_isprint (data[i]) && data[i] != '"')
        continue;
      if (i - start >= 12)
        {
          g_autofree char *run = g_strndup (data + start, i - start);

          /* a string is followed by the length of the next one, whose
           * low byte may be printable: the run may end with it */
          if (strstr (record, run) == NULL)
            run[i - start - 1] = '\0';
          /* keys of sent files and queued lines are made of the record's values */
          if (!g_str_has_prefix (run, "{") && !strchr (run, '\\'))
            {
              g_assert_nonnull (strstr (record, run));
              checked++;
            }
        }
      start = i + 1;
    }
  g_assert_cmpuint (checked, >, 100);
}

/* Entries read through the index keep their strings and values packed:
 * every value (names out of order, an empty one, a name twice) reads as
 * from the record alone, and a status line that replaces a string of
 * such an entry (a failed one reconciled: its message goes) frees
 * nothing of the block */
static void
test_packed_entries (void)
{
  g_autofree char *path = g_build_filename (dir, "packed.jsonl", NULL);
  g_autofree char *index = index_path (path);
  g_autoptr(GString) record = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree char *with_index = NULL;
  g_autofree char *alone = NULL;
  const char *status = "{\"event\":\"status\",\"upload\":\"p0\",\"remote_id\":\"R0\","
                       "\"remote_status\":\"approved\",\"reconciled\":true,"
                       "\"decision_reason\":\"fine\",\"error_code\":\"none\","
                       "\"at\":\"2026-12-04T12:00:00Z\"}\n";

  for (guint i = 0; i < 3; i++)
    g_string_append_printf (record,
                            "{\"finished_at\":\"2026-12-01T10:00:0%uZ\",\"provider_id\":\"receeve\","
                            "\"provider_name\":\"receeve\",\"file_name\":\"deed-%u.pdf\","
                            "\"success\":false,\"message\":\"no answer %u\",\"upload\":\"p%u\","
                            "\"outcome\":\"unknown\",\"merchant_id\":\"m%u\",\"sha256\":\"%064x\","
                            "\"account\":{\"zone\":\"z%u\",\"accountId\":\"a%u\",\"clientId\":\"\","
                            "\"accountId\":\"later%u\"},"
                            "\"document\":{\"type\":\"deed\",\"category\":\"legal\",\"k9\":\"9\",\"k8\":\"8\","
                            "\"k7\":\"7\",\"k6\":\"6\",\"k5\":\"5\",\"k4\":\"4\",\"k3\":\"3\",\"k2\":\"2\"}}\n",
                            i, i, i, i, i, i, i, i, i);
  g_unlink (index);
  g_assert_true (g_file_set_contents_full (path, record->str, record->len,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  first = dump (path);
  g_assert_true (g_file_test (index, G_FILE_TEST_EXISTS));
  append_text (path, status);

  with_index = dump (path);
  alone = dump_without_index (path);
  g_assert_cmpstr (with_index, ==, alone);
  g_assert_cmpstr (with_index, !=, first);
  g_assert_nonnull (strstr (alone, "\"account\":{\"accountId\":\"later1\",\"clientId\":\"\",\"zone\":\"z1\"}"));
  g_assert_nonnull (strstr (alone, "review=fine/none/1/approved"));

  /* the values one by one, and the account key, through the index */
  {
    g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
    g_autoptr(DossierHistoryEntry) entry = NULL;
    g_autoptr(GHashTable) account = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree char *key = NULL;
    g_autofree char *expected = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
    /* newest first: the last line */
    entry = g_list_model_get_item (G_LIST_MODEL (history), 0);
    g_assert_cmpstr (dossier_history_entry_get_file_name (entry), ==, "deed-2.pdf");
    g_assert_cmpstr (dossier_history_entry_get_account_value (entry, "accountId"), ==, "later2");
    g_assert_cmpstr (dossier_history_entry_get_account_value (entry, "zone"), ==, "z2");
    g_assert_cmpstr (dossier_history_entry_get_account_value (entry, "clientId"), ==, "");
    g_assert_null (dossier_history_entry_get_account_value (entry, "accountI"));
    g_assert_cmpstr (dossier_history_entry_get_document_value (entry, "category"), ==, "legal");
    g_assert_null (dossier_history_entry_get_document_value (entry, "zone"));
    /* more values than the reader keeps on its stack */
    g_assert_cmpstr (dossier_history_entry_get_document_value (entry, "k9"), ==, "9");
    g_assert_cmpstr (dossier_history_entry_get_document_value (entry, "k2"), ==, "2");
    g_hash_table_insert (account, (char *) "zone", (char *) "z2");
    g_hash_table_insert (account, (char *) "clientId", (char *) "");
    g_hash_table_insert (account, (char *) "accountId", (char *) "later2");
    key = dossier_history_entry_dup_account_key (entry);
    expected = dossier_history_account_key (account);
    g_assert_cmpstr (key, ==, expected);
    g_assert_cmpstr (key, ==, "accountId=later2\nzone=z2\n");
    g_clear_object (&entry);

    entry = g_list_model_get_item (G_LIST_MODEL (history), 2);
    g_assert_true (dossier_history_entry_get_reconciled (entry));
    g_assert_null (dossier_history_entry_get_message (entry));
    g_assert_cmpstr (dossier_history_entry_get_outcome (entry), ==, "sent");
    g_assert_cmpstr (dossier_history_entry_get_merchant_id (entry), ==, "m0");
  }
}

int
main (int   argc,
      char *argv[])
{
  int result;

  dossier_test_init (&argc, &argv);
  dir = g_dir_make_tmp ("dossier-history-index-XXXXXX", NULL);
  g_assert_nonnull (dir);

  g_test_add_func ("/history-index/same-model", test_same_model);
  g_test_add_func ("/history-index/appended", test_appended);
  g_test_add_func ("/history-index/rewritten-record", test_rewritten_record);
  g_test_add_func ("/history-index/corrupt-index", test_corrupt_index);
  g_test_add_func ("/history-index/no-secret", test_no_secret);
  g_test_add_func ("/history-index/packed-entries", test_packed_entries);

  result = g_test_run ();
  dossier_test_remove_tree (dir);
  g_free (dir);
  return result;
}
