/* dossier-history.c: the uploads that finished, newest first
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file holds one JSON object per line, oldest first, so that an upload
 * adds a line without reading what is there. It is read the first time the
 * model is asked for its items. When it grows a tenth past the limit, it
 * is rewritten in one go (a new file renamed over the old one) with the
 * newest entries only.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"
#include "dossier-json.h"
#include "dossier-types.h"

struct _DossierHistory
{
  GObject    parent_instance;

  char      *path;
  guint      max_entries;
  GPtrArray *entries;     /* DossierHistoryEntry, newest first; NULL until read */
  guint      n_lines;     /* lines in the file, as far as known */
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierHistory, dossier_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* -------------------------------------------------------------------------- */
/* The file                                                                   */

static gboolean
ensure_folder (DossierHistory  *self,
               GError         **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", dir, g_strerror (saved_errno));
  return FALSE;
}

static char *
entry_to_line (DossierHistoryEntry *entry)
{
  g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

static void
load (DossierHistory *self)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  guint n_lines = 0;

  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->n_lines = 0;

  if (!g_file_get_contents (self->path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("History not read: %s", error->message);
      return;
    }

  lines = g_strsplit (contents, "\n", -1);
  g_clear_pointer (&contents, g_free);

  /* newest last in the file: read backwards, stop at the limit */
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      n_lines++;
  self->n_lines = n_lines;

  for (guint i = g_strv_length (lines); i > 0 && self->entries->len < self->max_entries; i--)
    {
      const char *line = lines[i - 1];
      JsonNode *root;
      DossierHistoryEntry *entry;

      if (*line == '\0')
        continue;

      if (!dossier_json_load (parser, line, -1, 0, &error))
        {
          g_debug ("History line %u skipped: %s", i, error->message);
          g_clear_error (&error);
          continue;
        }

      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_debug ("History line %u skipped: not an object", i);
          continue;
        }

      entry = dossier_history_entry_new_from_json (json_node_get_object (root), &error);
      if (entry == NULL)
        {
          g_debug ("History line %u skipped: %s", i, error->message);
          g_clear_error (&error);
          continue;
        }

      g_ptr_array_add (self->entries, entry);
    }
}

static void
ensure_loaded (DossierHistory *self)
{
  if (self->entries == NULL)
    load (self);
}

/* Replaces the file with the entries in memory, oldest first */
static gboolean
rewrite (DossierHistory  *self,
         GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GString) data = g_string_new (NULL);

  for (guint i = self->entries->len; i > 0; i--)
    {
      g_autofree char *line = entry_to_line (g_ptr_array_index (self->entries, i - 1));

      g_string_append (data, line);
    }

  if (!ensure_folder (self, error))
    return FALSE;
  if (!g_file_replace_contents (file, data->str, data->len, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, error))
    return FALSE;

  self->n_lines = self->entries->len;
  return TRUE;
}

static gboolean
ends_with_newline (DossierHistory *self)
{
  FILE *stream = g_fopen (self->path, "rb");
  int last = '\n';

  if (stream == NULL)
    return TRUE;
  if (fseek (stream, -1, SEEK_END) == 0)
    last = fgetc (stream);
  fclose (stream);

  return last == '\n' || last == EOF;
}

/**
 * dossier_history_append:
 *
 * Adds @entry at the top and one line to the file (created with mode
 * 0600 and its folder with 0700 when missing).
 */
gboolean
dossier_history_append (DossierHistory       *self,
                        DossierHistoryEntry  *entry,
                        GError              **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (entry), FALSE);

  if (!ensure_folder (self, error))
    return FALSE;

  file = g_file_new_for_path (self->path);
  line = entry_to_line (entry);
  /* a line cut short (a crash while writing) stays alone on its line */
  if (!ends_with_newline (self))
    {
      char *with_break = g_strconcat ("\n", line, NULL);

      g_free (line);
      line = with_break;
    }
  stream = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, error);
  if (stream == NULL ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (stream), line, strlen (line), NULL, NULL, error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
    return FALSE;

  if (self->entries == NULL)
    return TRUE;

  self->n_lines++;
  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);

  if (self->entries->len > self->max_entries)
    {
      guint removed = self->entries->len - self->max_entries;

      g_ptr_array_remove_range (self->entries, self->max_entries, removed);
      g_list_model_items_changed (G_LIST_MODEL (self), self->max_entries, removed, 0);
    }

  if (self->n_lines > self->max_entries + MAX (self->max_entries / 10, 1))
    return rewrite (self, error);

  return TRUE;
}

/**
 * dossier_history_clear:
 *
 * Forgets every entry and deletes the file.
 */
gboolean
dossier_history_clear (DossierHistory  *self,
                       GError         **error)
{
  guint n;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);

  ensure_loaded (self);

  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", self->path, g_strerror (saved_errno));
      return FALSE;
    }

  n = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
  self->n_lines = 0;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);

  return TRUE;
}

void
dossier_history_reload (DossierHistory *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint n_old;

  g_return_if_fail (DOSSIER_IS_HISTORY (self));

  if (self->entries == NULL)
    return;

  old = g_steal_pointer (&self->entries);
  n_old = old->len;
  load (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, self->entries->len);
}

void
dossier_history_set_max_entries (DossierHistory *self,
                                 guint           max_entries)
{
  g_return_if_fail (DOSSIER_IS_HISTORY (self));
  g_return_if_fail (max_entries > 0);
  g_return_if_fail (self->entries == NULL);

  self->max_entries = max_entries;
}

const char *
dossier_history_get_path (DossierHistory *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), NULL);
  return self->path;
}

DossierHistory *
dossier_history_new_for_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (DOSSIER_TYPE_HISTORY, "path", path, NULL);
}

/**
 * dossier_history_get_default:
 *
 * Returns: (transfer none): the history in the user's state folder, shared
 *   by everything in this process
 */
DossierHistory *
dossier_history_get_default (void)
{
  static DossierHistory *history;

  if (g_once_init_enter (&history))
    {
      g_autofree char *path = g_build_filename (g_get_user_state_dir (), "dossier",
                                                "history.jsonl", NULL);

      g_once_init_leave (&history, dossier_history_new_for_path (path));
    }

  return history;
}

/* -------------------------------------------------------------------------- */
/* GListModel                                                                 */

static GType
dossier_history_get_item_type (GListModel *model)
{
  return DOSSIER_TYPE_HISTORY_ENTRY;
}

static guint
dossier_history_get_n_items (GListModel *model)
{
  DossierHistory *self = DOSSIER_HISTORY (model);

  ensure_loaded (self);
  return self->entries->len;
}

static gpointer
dossier_history_get_item (GListModel *model,
                          guint       position)
{
  DossierHistory *self = DOSSIER_HISTORY (model);

  ensure_loaded (self);
  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = dossier_history_get_item_type;
  iface->get_n_items = dossier_history_get_n_items;
  iface->get_item = dossier_history_get_item;
}

/* -------------------------------------------------------------------------- */
/* GObject                                                                    */

static void
dossier_history_finalize (GObject *object)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_free (self->path);

  G_OBJECT_CLASS (dossier_history_parent_class)->finalize (object);
}

static void
dossier_history_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_history_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_history_class_init (DossierHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_history_finalize;
  object_class->get_property = dossier_history_get_property;
  object_class->set_property = dossier_history_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_history_init (DossierHistory *self)
{
  self->max_entries = DOSSIER_HISTORY_MAX_ENTRIES;
}
