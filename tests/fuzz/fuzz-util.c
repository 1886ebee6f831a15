/* fuzz-util.c: what the fuzz targets share
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "fuzz-util.h"

static char *dir;

void
dossier_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* the scratch folder goes when the process ends */
static void
remove_dir (void)
{
  g_autoptr(GDir) folder = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  const char *entry;

  while (folder != NULL && (entry = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      g_unlink (path);
    }
  if (dir != NULL)
    g_rmdir (dir);
}

const char *
dossier_fuzz_scratch_dir (void)
{
  g_autoptr(GError) error = NULL;

  if (dir != NULL)
    return dir;

  dir = g_dir_make_tmp ("dossier-fuzz-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  atexit (remove_dir);
  return dir;
}
