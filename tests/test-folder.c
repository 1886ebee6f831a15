/* test-folder.c: the files a folder stands for, and what is left out
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-folder.h"
#include "dossier-test-util.h"

/* dir/a.png, dir/sub/b.png, dir/sub/deeper/c.png, a pipe, a link to
 * nowhere, a hidden file, a link back to dir, a link to a.png */
static GFile *
make_tree (DossierTestFixture *fx)
{
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 1000, FALSE);
  g_autofree char *root = g_build_filename (fx->dir, "tree", NULL);
  g_autofree char *deeper = g_build_filename (root, "sub", "deeper", NULL);
  g_autofree char *pipe = g_build_filename (root, "pipe", NULL);
  g_autofree char *broken = g_build_filename (root, "sub", "broken.png", NULL);
  g_autofree char *loop = g_build_filename (root, "sub", "loop", NULL);
  g_autofree char *alias = g_build_filename (root, "z-alias.png", NULL);

  g_assert_cmpint (g_mkdir_with_parents (deeper, 0700), ==, 0);
  g_object_unref (dossier_test_write_file (root, "a.png", png));
  g_object_unref (dossier_test_write_file (root, "sub/b.png", png));
  g_object_unref (dossier_test_write_file (root, "sub/deeper/c.png", png));
  g_object_unref (dossier_test_write_file (root, ".hidden.png", png));
  g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
  g_assert_cmpint (symlink ("nowhere.png", broken), ==, 0);
  g_assert_cmpint (symlink ("..", loop), ==, 0);
  g_assert_cmpint (symlink ("a.png", alias), ==, 0);

  return g_file_new_for_path (root);
}

static void
assert_names (GFile      *root,
              GPtrArray  *files,
              const char *expected)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *relative = g_file_get_relative_path (root, g_ptr_array_index (files, i));

      g_string_append_printf (names, "%s%s", i > 0 ? " " : "", relative);
    }
  g_assert_cmpstr (names->str, ==, expected);
}

static void
test_collect (DossierTestFixture *fx,
              gconstpointer       data)
{
  g_autoptr(GFile) root = make_tree (fx);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_skipped_free);
  g_autoptr(GString) lines = g_string_new (NULL);

  dossier_folder_collect (root, files, skipped, NULL);
  assert_names (root, files, "a.png sub/b.png sub/deeper/c.png z-alias.png");

  for (guint i = 0; i < skipped->len; i++)
    {
      g_autofree char *line = dossier_skipped_describe (g_ptr_array_index (skipped, i));

      g_string_append_printf (lines, "%s\n", line);
    }
  g_assert_cmpstr (lines->str, ==,
                   "skipped “.hidden.png”: hidden\n"
                   "skipped “pipe”: not a regular file\n"
                   "skipped “sub/broken.png”: the link points nowhere\n"
                   "skipped “sub/loop”: a link to a folder already added\n");
}

static void
skipped_cb (DossierSubmission  *submission,
            const char * const *lines,
            GPtrArray          *out)
{
  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add (out, g_strdup (lines[i]));
}

/* The window's way: the submission reads the folder and says what it left out */
static void
test_submission (DossierTestFixture *fx,
                 gconstpointer       data)
{
  g_autoptr(GFile) root = make_tree (fx);
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierSubmission) submission = dossier_test_submission_new (doku, fx->sandbox,
                                                                          DOSSIER_SANDBOX_DOKU_TOKEN,
                                                                          NULL, NULL);
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *uploads = dossier_submission_get_uploads (submission);

  g_signal_connect (submission, "skipped", G_CALLBACK (skipped_cb), lines);
  g_list_store_append (store, root);
  dossier_submission_add_files (submission, G_LIST_MODEL (store));
  dossier_test_wait_false (submission, "validating");

  for (guint i = 0; i < g_list_model_get_n_items (uploads); i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (uploads, i);

      g_ptr_array_add (files, g_object_ref (dossier_upload_get_file (upload)));
    }
  assert_names (root, files, "a.png sub/b.png sub/deeper/c.png z-alias.png");

  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "skipped “pipe”: not a regular file");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "skipped “sub/broken.png”: the link points nowhere");
  g_assert_finalize_object (g_steal_pointer (&submission));
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

#define ADD DOSSIER_TEST_ADD
  ADD ("/folder/collect", test_collect);
  ADD ("/folder/submission", test_submission);
#undef ADD

  return g_test_run ();
}
