/* duplicate-bench.c: what the duplicate guard costs, and whether it stalls the main loop
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * duplicate-bench [ROWS] [FILE_MB]: a record of ROWS finished lines (at
 * most the history's 5000 kept), then
 *   - a FILE_MB file checked by a submission, the record not read yet
 *     (the submission has the writer's thread read it, the SHA-256 is
 *     computed in the check's worker thread, then the guard asks the
 *     record), while a 1 ms timeout on the main loop notes the longest
 *     gap between its runs: the longest stall the check caused;
 *   - dossier_history_find_sent() and _for_other_merchants() (the main
 *     thread's part of the guard), median of 21.
 * Prints "name value" lines.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dossier-catalogue.h"
#include "dossier-history.h"
#include "dossier-submission.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  gint64 last;
  gint64 longest;
  guint  ticks;
} Gaps;

static gboolean
tick (gpointer data)
{
  Gaps *gaps = data;
  gint64 now = g_get_monotonic_time ();

  if (gaps->last != 0 && now - gaps->last > gaps->longest)
    gaps->longest = now - gaps->last;
  gaps->last = now;
  gaps->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
is_validating (DossierSubmission *submission)
{
  gboolean validating = FALSE;

  g_object_get (submission, "validating", &validating, NULL);
  return validating;
}

int
main (int   argc,
      char *argv[])
{
  guint rows = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  guint file_mb = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 15;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_dir_make_tmp ("dossier-duplicate-bench-XXXXXX", &error);
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file_path = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GFile) file = NULL;
  DossierHistory *history;
  DossierUpload *upload;
  double times[21];
  Gaps gaps = { 0, 0, 0 };
  guint ticks;
  gint64 start;
  guint tick_id;
  guint8 *data;
  gsize size;

  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  folder = g_build_filename (state, "dossier", NULL);
  g_mkdir_with_parents (folder, 0700);
  path = g_build_filename (folder, "history.jsonl", NULL);

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (lines,
                            "{\"finished_at\":\"2026-12-01T10:00:00Z\",\"provider_id\":\"moov\","
                            "\"provider_name\":\"Moov\",\"environment\":\"sandbox\",\"file_name\":\"f%u.png\","
                            "\"success\":true,\"remote_id\":\"R%u\",\"upload\":\"u%u\",\"outcome\":\"sent\","
                            "\"merchant_id\":\"m%u\",\"sha256\":\"%064x\",\"account\":{\"accountID\":\"a%u\"}}\n",
                            i, i, i, i % 500, i, i % 50);
  g_assert_true (g_file_set_contents (path, lines->str, lines->len, &error));

  /* a file checked: the SHA-256 in a worker thread */
  size = (gsize) file_mb * 1000 * 1000;
  data = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + 3);
  memcpy (data, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  file_path = g_build_filename (state, "scan.png", NULL);
  g_assert_true (g_file_set_contents (file_path, (const char *) data, size, &error));
  g_free (data);
  file = g_file_new_for_path (file_path);

  history = dossier_history_get_default ();
  g_assert_true (dossier_catalogue_load_builtin (catalogue, &error));
  submission = dossier_submission_new (dossier_catalogue_lookup (catalogue, "moov"));
  dossier_submission_set_value (submission, "accountID", "3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42");
  dossier_submission_set_merchant_id (submission, "m-new");

  tick_id = g_timeout_add (1, tick, &gaps);
  start = g_get_monotonic_time ();
  upload = dossier_submission_add_file (submission, file);
  /* checked, and the guard answered ("validating" holds until it has) */
  do
    g_main_context_iteration (NULL, TRUE);
  while (is_validating (submission));
  g_print ("file_mb %u\n", file_mb);
  g_print ("loaded_by_then %d\n", dossier_history_is_loaded (history));
  g_print ("check_with_sha256_ms %.1f\n", (g_get_monotonic_time () - start) / 1000.0);
  /* the gap that holds the guard's question ends at the next tick */
  ticks = gaps.ticks;
  while (gaps.ticks == ticks)
    g_main_context_iteration (NULL, TRUE);
  g_print ("longest_main_loop_gap_ms %.2f\n", gaps.longest / 1000.0);
  g_source_remove (tick_id);

  start = g_get_monotonic_time ();
  g_list_model_get_n_items (G_LIST_MODEL (history));
  g_print ("rows %u\n", g_list_model_get_n_items (G_LIST_MODEL (history)));
  g_print ("history_read_after_ms %.2f\n", (g_get_monotonic_time () - start) / 1000.0);

  for (guint r = 0; r < G_N_ELEMENTS (times); r++)
    {
      g_autoptr(GPtrArray) same = NULL;
      g_autoptr(GPtrArray) other = NULL;

      start = g_get_monotonic_time ();
      same = dossier_history_find_sent (history, "0000000000000000000000000000000000000000000000000000000000000007",
                                        "moov", "sandbox", "accountID=a7\n");
      other = dossier_history_find_sent_for_other_merchants (history, "0000000000000000000000000000000000000000000000000000000000000007",
                                                             "m-new");
      times[r] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_cmpuint (same->len, ==, rows > 7 ? 1 : 0);
    }
  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_double);
  g_print ("find_both_median_ms %.3f\n", times[G_N_ELEMENTS (times) / 2]);

  g_unlink (file_path);
  g_unlink (path);
  g_rmdir (folder);
  g_rmdir (state);
  return dossier_upload_get_sha256 (upload) != NULL ? 0 : 1;
}
