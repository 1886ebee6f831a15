/* replay.c: runs a fuzz target over its seed corpus, without libFuzzer
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The normal build links every target of tests/fuzz with this main, and
 * the suite replays each seed corpus (and every file given on the command
 * line, such as a crash libFuzzer saved), so the targets keep building and
 * their invariants keep holding without clang.
 */

#include "config.h"

#include <glib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  g_print ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *path = g_build_filename (argv[i], name, NULL);

              replay_file (path);
              n++;
            }
        }
      else
        {
          replay_file (argv[i]);
          n++;
        }
    }

  g_print ("1..1\nok 1 %u inputs replayed\n", n);
  return 0;
}
