/* dossier-folder.c: the files a folder stands for, and what was left out
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One rule for the window (a dropped or chosen folder) and dossier-cli (a
 * folder on the command line): a folder stands for the regular files in
 * it and in its subfolders, recursively, each folder's entries sorted by
 * name. Everything else is left out and said: hidden entries, special
 * files (pipes, sockets, devices), links that point nowhere, folders that
 * cannot be read, a link back to a folder already read, folders nested
 * deeper than 32. Links to files and folders are followed.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-folder.h"

#define MAX_DEPTH 32

void
dossier_skipped_free (DossierSkipped *skipped)
{
  if (skipped == NULL)
    return;

  g_clear_object (&skipped->file);
  g_free (skipped->display_name);
  g_free (skipped->reason);
  g_free (skipped);
}

/**
 * dossier_skipped_describe:
 *
 * Returns: (transfer full): "skipped “pipe”: not a regular file"
 */
char *
dossier_skipped_describe (const DossierSkipped *skipped)
{
  g_return_val_if_fail (skipped != NULL, NULL);

  /* Translators: "skipped “scans/pipe”: not a regular file" */
  return g_strdup_printf (_("skipped “%s”: %s"), skipped->display_name, skipped->reason);
}

typedef struct
{
  GFile        *root;
  GPtrArray    *files;
  GPtrArray    *skipped;
  GHashTable   *seen;      /* id::file of the folders read */
  GCancellable *cancellable;
} Collect;

static void
skip (Collect    *c,
      GFile      *file,
      const char *reason)
{
  DossierSkipped *skipped = g_new0 (DossierSkipped, 1);
  g_autofree char *relative = g_file_get_relative_path (c->root, file);

  if (relative == NULL)
    relative = g_file_get_basename (file);

  skipped->file = g_object_ref (file);
  skipped->display_name = g_filename_display_name (relative != NULL ? relative : "");
  skipped->reason = g_strdup (reason);
  g_ptr_array_add (c->skipped, skipped);
}

static int
compare_infos (gconstpointer a,
               gconstpointer b)
{
  GFileInfo *info_a = *(GFileInfo **) a;
  GFileInfo *info_b = *(GFileInfo **) b;
  g_autofree char *name_a = g_filename_display_name (g_file_info_get_name (info_a));
  g_autofree char *name_b = g_filename_display_name (g_file_info_get_name (info_b));
  g_autofree char *key_a = g_utf8_collate_key_for_filename (name_a, -1);
  g_autofree char *key_b = g_utf8_collate_key_for_filename (name_b, -1);
  int order = strcmp (key_a, key_b);

  /* two names that read the same (invalid bytes): by bytes */
  return order != 0 ? order : strcmp (g_file_info_get_name (info_a), g_file_info_get_name (info_b));
}

static void
collect (Collect *c,
         GFile   *folder,
         guint    depth)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GFileInfo) folder_info = NULL;
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  const char *id;

  if (g_cancellable_is_cancelled (c->cancellable))
    return;

  if (depth > MAX_DEPTH)
    {
      skip (c, folder, _("folders nested too deep"));
      return;
    }

  /* a link back to a folder already read would never end */
  folder_info = g_file_query_info (folder, G_FILE_ATTRIBUTE_ID_FILE, G_FILE_QUERY_INFO_NONE,
                                   c->cancellable, NULL);
  id = folder_info != NULL ? g_file_info_get_attribute_string (folder_info, G_FILE_ATTRIBUTE_ID_FILE) : NULL;
  if (id != NULL)
    {
      if (g_hash_table_contains (c->seen, id))
        {
          skip (c, folder, _("a link to a folder already added"));
          return;
        }
      g_hash_table_add (c->seen, g_strdup (id));
    }

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK,
                                          G_FILE_QUERY_INFO_NONE, c->cancellable, &error);
  if (enumerator == NULL)
    {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: why a folder was skipped: "the folder cannot be read: Permission denied" */
      reason = g_strdup_printf (_("the folder cannot be read: %s"), error->message);
      skip (c, folder, reason);
      return;
    }

  for (;;)
    {
      GFileInfo *info = g_file_enumerator_next_file (enumerator, c->cancellable, &error);

      if (info == NULL)
        break;
      g_ptr_array_add (infos, info);
    }
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *reason = g_strdup_printf (_("the folder cannot be read: %s"), error->message);

      skip (c, folder, reason);
    }

  g_ptr_array_sort (infos, compare_infos);

  for (guint i = 0; i < infos->len; i++)
    {
      GFileInfo *info = g_ptr_array_index (infos, i);
      const char *name = g_file_info_get_name (info);
      g_autoptr(GFile) child = g_file_get_child (folder, name);

      if (g_file_info_get_is_hidden (info) || name[0] == '.')
        {
          skip (c, child, _("hidden"));
          continue;
        }

      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          collect (c, child, depth + 1);
          break;
        case G_FILE_TYPE_REGULAR:
          g_ptr_array_add (c->files, g_steal_pointer (&child));
          break;
        case G_FILE_TYPE_SYMBOLIC_LINK:
          /* links are followed: one still of this type leads nowhere */
          skip (c, child, _("the link points nowhere"));
          break;
        case G_FILE_TYPE_SPECIAL:
        case G_FILE_TYPE_SHORTCUT:
        case G_FILE_TYPE_MOUNTABLE:
        case G_FILE_TYPE_UNKNOWN:
        default:
          skip (c, child, _("not a regular file"));
          break;
        }
    }
}

/**
 * dossier_folder_collect:
 * @folder: a folder
 * @files: (element-type GFile): where the files found are appended
 * @skipped: (element-type DossierSkipped): where what was left out is
 *   appended (with dossier_skipped_free() as the array's free function)
 *
 * Appends the regular files in @folder and its subfolders, recursively,
 * sorted by name within each folder, and says what was left out. Does
 * blocking I/O: call it from a worker thread in a GUI.
 */
void
dossier_folder_collect (GFile        *folder,
                        GPtrArray    *files,
                        GPtrArray    *skipped,
                        GCancellable *cancellable)
{
  Collect c = { 0 };

  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (files != NULL);
  g_return_if_fail (skipped != NULL);

  c.root = folder;
  c.files = files;
  c.skipped = skipped;
  c.cancellable = cancellable;
  c.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  collect (&c, folder, 0);
  g_hash_table_unref (c.seen);
}
