/* dossier-files-page.c: step 3, the documents to send
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choice-widgets.h"
#include "dossier-file-row.h"
#include "dossier-gui-util.h"
#include "dossier-paced-list.h"
#include "dossier-validate.h"
#include "dossier-files-page.h"

struct _DossierFilesPage
{
  AdwBin             parent_instance;

  /* template */
  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkWidget         *summary_label;
  GtkWidget         *clear_button;
  GtkListView       *list_view;
  GtkRevealer       *selection_revealer;
  GtkWidget         *selection_label;
  GtkWidget         *selection_choices;

  DossierSubmission *submission;
  DossierPacedList  *shown;         /* the uploads, a thousand added shown a slice a frame */
  GSignalGroup      *submission_signals;
  GtkDropTarget     *drop_target;
  GCancellable      *cancellable;
  guint              update_idle;
  guint              n_before_add;
  char              *skipped_text;  /* said after "N files added" */
  GHashTable        *selected;      /* DossierUpload, the files picked for a change of several */
  guint              announce_added : 1;
  guint              applying : 1;
  guint              narrow : 1;     /* rows in two lines */
  guint              narrow_idle;
};

G_DEFINE_FINAL_TYPE (DossierFilesPage, dossier_files_page, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (DossierFilesPage *self,
       const char       *text)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
}

static void
update_summary (DossierFilesPage *self)
{
  GListModel *uploads;
  guint n, n_invalid;
  guint64 total = 0;
  g_autofree char *size = NULL;
  g_autofree char *files = NULL;
  g_autofree char *text = NULL;

  if (self->submission == NULL)
    return;

  uploads = dossier_submission_get_uploads (self->submission);
  n = g_list_model_get_n_items (uploads);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  /* a plain sum, once per main loop iteration at most */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (uploads, i);
      gint64 bytes = dossier_upload_get_size (upload);

      if (bytes > 0)
        total += bytes;
    }

  size = g_format_size (total);
  /* Translators: the start of "7 files, 12.4 MB — 1 needs attention" */
  files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file, %s", "%u files, %s", n), n, size);
  n_invalid = dossier_gui_get_uint (self->submission, "n-invalid");
  if (dossier_gui_get_boolean (self->submission, "validating"))
    /* Translators: "7 files, 12.4 MB — checking…" */
    text = g_strdup_printf (_("%s — checking…"), files);
  else if (n_invalid > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %u needs attention",
                                         "%s — %u need attention", n_invalid),
                            files, n_invalid);
  else
    text = g_strdup_printf (_("%s — ready to send"), files);

  gtk_label_set_label (GTK_LABEL (self->summary_label), text);

  if (self->announce_added && n > self->n_before_add)
    {
      g_autofree char *added = NULL;
      guint n_added = n - self->n_before_add;

      added = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file added", "%u files added",
                                            n_added), n_added);
      toast (self, added);
      self->announce_added = FALSE;
    }
  if (self->skipped_text != NULL && !dossier_gui_get_boolean (self->submission, "validating"))
    {
      toast (self, self->skipped_text);
      g_clear_pointer (&self->skipped_text, g_free);
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
update_idle_cb (gpointer user_data)
{
  DossierFilesPage *self = user_data;

  self->update_idle = 0;
  update_summary (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update (DossierFilesPage *self)
{
  if (self->update_idle == 0)
    self->update_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_idle_cb, self, NULL);
}

/* What a folder held and was not added: said, not dropped silently */
static void
on_skipped (DossierSubmission  *submission,
            const char * const *lines,
            DossierFilesPage   *self)
{
  g_autofree char *head = NULL;
  g_autofree char *first = NULL;
  g_autofree char *text = NULL;
  guint n = lines != NULL ? g_strv_length ((char **) lines) : 0;
  const char *rest;

  if (n == 0 || *lines[0] == '\0')
    return;

  /* "skipped “pipe”: not a regular file" as the start of a sentence */
  rest = g_utf8_next_char (lines[0]);
  head = g_utf8_strup (lines[0], rest - lines[0]);
  first = g_strconcat (head, rest, NULL);

  if (n == 1)
    text = g_steal_pointer (&first);
  else
    /* Translators: "Skipped “pipe”: not a regular file, and 2 more" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, and %u more", "%s, and %u more", n - 1),
                            first, n - 1);
  g_free (self->skipped_text);
  self->skipped_text = g_steal_pointer (&text);
  queue_update (self);
}

/* -------------------------------------------------------------------------- */
/* Several files at once                                                      */

/* The rows the list view has made (a few hundred at most) */
static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (DOSSIER_IS_FILE_ROW (child))
        g_ptr_array_add (rows, child);
      else
        collect_rows (child, rows);
    }
}

static void
sync_rows_selected (DossierFilesPage *self)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (self->list_view), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      DossierFileRow *row = g_ptr_array_index (rows, i);
      DossierUpload *upload = dossier_file_row_get_upload (row);

      dossier_file_row_set_selected (row, upload != NULL && g_hash_table_contains (self->selected, upload));
    }
}

static void
update_selection_bar (DossierFilesPage *self)
{
  guint n = g_hash_table_size (self->selected);
  g_autofree char *text = NULL;

  /* Translators: above the list, while files are selected */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file selected: set for it",
                                       "%u files selected: set for all of them", n), n);
  gtk_label_set_label (GTK_LABEL (self->selection_label), text);
  gtk_revealer_set_reveal_child (self->selection_revealer, n > 0);
}

static void
on_row_select_toggled (DossierFileRow   *row,
                       gboolean          active,
                       DossierFilesPage *self)
{
  DossierUpload *upload = dossier_file_row_get_upload (row);

  if (upload == NULL)
    return;
  if (active)
    g_hash_table_add (self->selected, g_object_ref (upload));
  else
    g_hash_table_remove (self->selected, upload);
  update_selection_bar (self);
}

static void
on_select_all_clicked (DossierFilesPage *self)
{
  GListModel *uploads;
  guint n;

  if (self->submission == NULL)
    return;

  uploads = dossier_submission_get_uploads (self->submission);
  n = g_list_model_get_n_items (uploads);
  for (guint i = 0; i < n; i++)
    g_hash_table_add (self->selected, g_list_model_get_item (uploads, i));
  sync_rows_selected (self);
  update_selection_bar (self);
}

static void
on_select_none_clicked (DossierFilesPage *self)
{
  g_hash_table_remove_all (self->selected);
  sync_rows_selected (self);
  update_selection_bar (self);
}

/* Files removed from the list leave the selection */
static void
prune_selection (DossierFilesPage *self)
{
  GListModel *uploads = self->submission != NULL ? dossier_submission_get_uploads (self->submission) : NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (NULL, NULL);
  guint n = uploads != NULL ? g_list_model_get_n_items (uploads) : 0;
  GHashTableIter iter;
  gpointer upload;

  /* one pass over the list, not one search per selected file */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) item = g_list_model_get_item (uploads, i);

      g_hash_table_add (listed, item);
    }

  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &upload, NULL))
    if (!g_hash_table_contains (listed, upload))
      g_hash_table_iter_remove (&iter);
  update_selection_bar (self);
}

/* A value set for every selected file; a code brings the category it
 * needs (DOKU: DOCUMENT), as a suggestion from the name does */
static void
on_selection_choice (GtkDropDown      *dropdown,
                     GParamSpec       *pspec,
                     DossierFilesPage *self)
{
  DossierField *field = g_object_get_data (G_OBJECT (dropdown), "field");
  const char *value = dossier_gui_choice_value_at (gtk_drop_down_get_model (dropdown),
                                                   gtk_drop_down_get_selected (dropdown));
  const char *condition = dossier_field_get_condition_field (field);
  const char * const *allowed = dossier_field_get_condition_values (field);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer upload;
  guint n = 0;

  if (self->applying || value == NULL || self->submission == NULL)
    return;

  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &upload, NULL))
    {
      DossierUploadState state = dossier_upload_get_state (upload);

      /* what is sent or being sent keeps its values */
      if (state != DOSSIER_UPLOAD_STATE_READY && state != DOSSIER_UPLOAD_STATE_INVALID)
        continue;
      if (condition != NULL && allowed != NULL && allowed[0] != NULL &&
          !g_strv_contains (allowed, dossier_upload_get_value (upload, condition) ?: ""))
        dossier_upload_set_value (upload, condition, allowed[0]);
      dossier_upload_set_value (upload, dossier_field_get_name (field), value);
      n++;
    }

  /* Translators: "Document code set for 3 files" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s set for %u file", "%s set for %u files", n),
                          dossier_field_get_label (field), n);
  toast (self, text);

  /* ready for the next change */
  self->applying = TRUE;
  gtk_drop_down_set_selected (dropdown, dossier_gui_choice_position (gtk_drop_down_get_model (dropdown), NULL));
  self->applying = FALSE;
}

static void
rebuild_selection_choices (DossierFilesPage *self)
{
  GtkWidget *child;
  GListModel *fields;
  guint n;

  while ((child = gtk_widget_get_first_child (self->selection_choices)) != NULL)
    gtk_box_remove (GTK_BOX (self->selection_choices), child);
  if (self->submission == NULL)
    return;

  /* the choices each file's row has */
  fields = dossier_provider_get_fields (dossier_submission_get_provider (self->submission));
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      g_autoptr(GtkListItemFactory) factory = NULL;
      g_autofree char *placeholder = NULL;
      GtkWidget *dropdown, *label, *pair;

      if (dossier_field_get_scope (field) != DOSSIER_FIELD_SCOPE_DOCUMENT ||
          dossier_field_get_field_type (field) != DOSSIER_FIELD_TYPE_CHOICE)
        continue;

      dropdown = dossier_gui_choice_dropdown_new (field);
      factory = dossier_gui_choice_compact_factory ();
      gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), factory);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                                  dossier_gui_choice_position (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown)), NULL));
      gtk_widget_add_css_class (dropdown, "compact-choice");
      /* Translators: tooltip of the dropdown that sets a choice for the selected files, "Set Category" */
      placeholder = g_strdup_printf (_("Set %s"), dossier_field_get_label (field));
      gtk_widget_set_tooltip_text (dropdown, placeholder);
      g_object_set_data_full (G_OBJECT (dropdown), "field", g_object_ref (field), g_object_unref);
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_selection_choice), self);
      label = gtk_label_new (dossier_field_get_label (field));
      gtk_widget_add_css_class (label, "dim-label");
      pair = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (pair), label);
      gtk_box_append (GTK_BOX (pair), dropdown);
      gtk_box_append (GTK_BOX (self->selection_choices), pair);
    }
}

/* The selected files' dropdown for FIELD_NAME (for tests) */
GtkDropDown *
dossier_files_page_get_selection_dropdown (DossierFilesPage *self,
                                           const char       *field_name)
{
  g_return_val_if_fail (DOSSIER_IS_FILES_PAGE (self), NULL);

  /* pair > label, dropdown */
  for (GtkWidget *pair = gtk_widget_get_first_child (self->selection_choices);
       pair != NULL;
       pair = gtk_widget_get_next_sibling (pair))
    {
      GtkWidget *dropdown = gtk_widget_get_last_child (pair);
      DossierField *field = g_object_get_data (G_OBJECT (dropdown), "field");

      if (field != NULL && g_strcmp0 (dossier_field_get_name (field), field_name) == 0)
        return GTK_DROP_DOWN (dropdown);
    }
  return NULL;
}

guint
dossier_files_page_get_n_selected (DossierFilesPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILES_PAGE (self), 0);
  return g_hash_table_size (self->selected);
}

static void
on_items_changed (GListModel       *model,
                  guint             position,
                  guint             removed,
                  guint             added,
                  DossierFilesPage *self)
{
  if (removed > 0 && g_hash_table_size (self->selected) > 0)
    prune_selection (self);
  /* the list shown before its rows come (dossier-paced-list.c shows them
   * while the list is on screen) */
  if (added > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  queue_update (self);
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               DossierFilesPage         *self)
{
  GtkWidget *row = dossier_file_row_new ();

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
  g_signal_connect (row, "select-toggled", G_CALLBACK (on_row_select_toggled), self);
  dossier_file_row_set_narrow (DOSSIER_FILE_ROW (row), self->narrow);
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              DossierFilesPage         *self)
{
  DossierFileRow *row = DOSSIER_FILE_ROW (gtk_list_item_get_child (item));

  dossier_file_row_bind (row, self->submission, gtk_list_item_get_item (item));
  dossier_file_row_set_selected (row, g_hash_table_contains (self->selected, gtk_list_item_get_item (item)));
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                DossierFilesPage         *self)
{
  dossier_file_row_bind (DOSSIER_FILE_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

void
dossier_files_page_add_files (DossierFilesPage *self,
                              GListModel       *files)
{
  g_return_if_fail (DOSSIER_IS_FILES_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  if (self->submission == NULL || g_list_model_get_n_items (files) == 0)
    return;

  /* the submission expands folders and checks each file on its own */
  self->n_before_add = g_list_model_get_n_items (dossier_submission_get_uploads (self->submission));
  self->announce_added = TRUE;
  dossier_submission_add_files (self->submission, files);
  queue_update (self);
}

static void
add_file_list (DossierFilesPage *self,
               GdkFileList      *list)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);
  GSList *files = gdk_file_list_get_files (list);

  for (GSList *l = files; l != NULL; l = l->next)
    g_list_store_append (store, l->data);
  g_slist_free (files);

  dossier_files_page_add_files (self, G_LIST_MODEL (store));
}

static gboolean
on_drop (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         DossierFilesPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-highlight");

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->submission == NULL)
    return FALSE;

  add_file_list (self, g_value_get_boxed (value));
  return TRUE;
}

static GdkDragAction
on_drop_enter (GtkDropTarget    *target,
               double            x,
               double            y,
               DossierFilesPage *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "drop-highlight");
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget    *target,
               DossierFilesPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-highlight");
}

static void
on_clear_clicked (DossierFilesPage *self)
{
  if (self->submission != NULL)
    dossier_submission_clear (self->submission);
}

static GListStore *
create_filters (DossierFilesPage *self)
{
  DossierProvider *provider = dossier_submission_get_provider (self->submission);
  const DossierFileRules *rules = dossier_provider_get_file_rules (provider);
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) accepted = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  name = g_strdup_printf (_("Files %s accepts"), dossier_provider_get_name (provider));
  gtk_file_filter_set_name (accepted, name);
  for (guint i = 0; rules->extensions != NULL && rules->extensions[i] != NULL; i++)
    gtk_file_filter_add_suffix (accepted, rules->extensions[i]);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");

  if (rules->extensions != NULL && rules->extensions[0] != NULL)
    g_list_store_append (filters, accepted);
  g_list_store_append (filters, all);
  return filters;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
on_dialog_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DossierFilesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) files = NULL;

  files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source), result, &error);
  if (files != NULL)
    dossier_files_page_add_files (self, files);
}
#else
static void
on_chooser_response (GtkNativeDialog  *native,
                     int               response,
                     DossierFilesPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));

      dossier_files_page_add_files (self, files);
    }

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}
#endif

/* The portal-friendly chooser: GtkFileDialog where GTK has it (4.10),
 * GtkFileChooserNative before. */
void
dossier_files_page_open_chooser (DossierFilesPage *self)
{
  g_autoptr(GListStore) filters = NULL;
  GtkRoot *root;

  g_return_if_fail (DOSSIER_IS_FILES_PAGE (self));

  if (self->submission == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  filters = create_filters (self);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Add Documents"));
    gtk_file_dialog_set_accept_label (dialog, _("_Add"));
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_open_multiple (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   self->cancellable, on_dialog_done, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *native;
    guint n = g_list_model_get_n_items (G_LIST_MODEL (filters));

    native = gtk_file_chooser_native_new (_("Add Documents"),
                                          GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                          GTK_FILE_CHOOSER_ACTION_OPEN,
                                          _("_Add"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
    gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GtkFileFilter) filter = g_list_model_get_item (G_LIST_MODEL (filters), i);

        gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
      }
    g_signal_connect (native, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
}

static void
on_paste_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DossierFilesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);
  if (value == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, _("Nothing to paste: copy files in the file manager first"));
      return;
    }

  add_file_list (self, g_value_get_boxed (value));
}

/* Ctrl+V: files copied in the file manager */
void
dossier_files_page_paste (DossierFilesPage *self)
{
  GdkClipboard *clipboard;

  g_return_if_fail (DOSSIER_IS_FILES_PAGE (self));

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                  self->cancellable, on_paste_read, g_object_ref (self));
}

void
dossier_files_page_set_submission (DossierFilesPage  *self,
                                   DossierSubmission *submission)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autofree char *accepted = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (DOSSIER_IS_FILES_PAGE (self));

  if (self->submission == submission)
    return;

  g_signal_group_set_target (self->submission_signals, submission);
  if (self->submission != NULL)
    g_signal_handlers_disconnect_by_data (dossier_submission_get_uploads (self->submission), self);
  g_set_object (&self->submission, submission);
  gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->shown);
  g_hash_table_remove_all (self->selected);
  update_selection_bar (self);
  rebuild_selection_choices (self);
  if (submission == NULL)
    return;

  g_signal_connect (dossier_submission_get_uploads (submission), "items-changed",
                    G_CALLBACK (on_items_changed), self);

  self->shown = dossier_paced_list_new (dossier_submission_get_uploads (submission),
                                        GTK_WIDGET (self->list_view));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  accepted = dossier_provider_describe_accepted (dossier_submission_get_provider (submission));
  /* Translators: under "Drop Documents Here"; %s is "JPG, JPEG or PNG files up to 15.0 MB" */
  description = g_strdup_printf (_("Drag files or folders from the file manager, paste them, "
                                   "or choose them. %s."), accepted);
  adw_status_page_set_description (self->empty_page, description);

  update_summary (self);
}

gboolean
dossier_files_page_is_ready (DossierFilesPage  *self,
                             char             **out_reason)
{
  g_autofree char *reason = NULL;

  g_return_val_if_fail (DOSSIER_IS_FILES_PAGE (self), FALSE);

  if (self->submission == NULL)
    return FALSE;

  if (!dossier_submission_can_start (self->submission, &reason))
    {
      if (out_reason != NULL)
        *out_reason = g_steal_pointer (&reason);
      return FALSE;
    }

  return TRUE;
}

/* Below this width a file's choices go under its name */
#define NARROW_WIDTH 700

static gboolean
apply_narrow_cb (gpointer user_data)
{
  DossierFilesPage *self = user_data;

  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  self->narrow_idle = 0;
  collect_rows (GTK_WIDGET (self->list_view), rows);
  for (guint i = 0; i < rows->len; i++)
    dossier_file_row_set_narrow (g_ptr_array_index (rows, i), self->narrow);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->selection_choices),
                                  self->narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self->selection_choices), self->narrow ? 6 : 12);
  return G_SOURCE_REMOVE;
}

#if ADW_CHECK_VERSION (1, 4, 0)
/* A window with breakpoints (libadwaita 1.4+) has no minimum width but its
 * width-request, and warns when its content asks more: the rows' one-line
 * form must be gone before the page is allocated narrower, which the
 * page's own allocation learns too late. A breakpoint bin around the page
 * switches during its allocation, before it lays the rows out. */
static void
set_narrow_now (DossierFilesPage *self,
                gboolean          narrow)
{
  self->narrow = narrow;
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  apply_narrow_cb (self);
}

static void
on_breakpoint_apply (DossierFilesPage *self)
{
  set_narrow_now (self, TRUE);
}

static void
on_breakpoint_unapply (DossierFilesPage *self)
{
  set_narrow_now (self, FALSE);
}

static void
add_breakpoint_bin (DossierFilesPage *self)
{
  g_autoptr(GtkWidget) content = g_object_ref (adw_bin_get_child (ADW_BIN (self)));
  GtkWidget *bin = adw_breakpoint_bin_new ();
  AdwBreakpoint *breakpoint;

  breakpoint = adw_breakpoint_new (adw_breakpoint_condition_new_length (ADW_BREAKPOINT_CONDITION_MAX_WIDTH,
                                                                        NARROW_WIDTH - 1, ADW_LENGTH_UNIT_PX));
  g_signal_connect_object (breakpoint, "apply", G_CALLBACK (on_breakpoint_apply), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (breakpoint, "unapply", G_CALLBACK (on_breakpoint_unapply), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (ADW_BIN (self), NULL);
  adw_breakpoint_bin_set_child (ADW_BREAKPOINT_BIN (bin), content);
  adw_breakpoint_bin_add_breakpoint (ADW_BREAKPOINT_BIN (bin), breakpoint);
  /* the page's measure gives the content's height; any width fits the
   * two-line form the window allows */
  gtk_widget_set_size_request (bin, 1, 1);
  adw_bin_set_child (ADW_BIN (self), bin);
}
#endif

/* The page lays its child out itself (no layout manager), so that it
 * learns its width */
static GtkSizeRequestMode
dossier_files_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
dossier_files_page_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural,
                        minimum_baseline, natural_baseline);
#if ADW_CHECK_VERSION (1, 4, 0)
  /* a breakpoint bin has no height of its own: its content's */
  if (orientation == GTK_ORIENTATION_VERTICAL && ADW_IS_BREAKPOINT_BIN (child))
    {
      GtkWidget *content = adw_breakpoint_bin_get_child (ADW_BREAKPOINT_BIN (child));
      int content_min = 0, content_nat = 0;

      gtk_widget_measure (content, orientation, for_size, &content_min, &content_nat, NULL, NULL);
      *minimum = MAX (*minimum, content_min);
      *natural = MAX (*natural, content_nat);
    }
#endif
}

static void
dossier_files_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  DossierFilesPage *self = DOSSIER_FILES_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean narrow = width < NARROW_WIDTH;

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);

  /* not while allocating: the rows change their shape after it */
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->narrow_idle == 0)
        self->narrow_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_narrow_cb, self, NULL);
    }
}

static void
dossier_files_page_dispose (GObject *object)
{
  DossierFilesPage *self = DOSSIER_FILES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->update_idle, g_source_remove);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  g_clear_pointer (&self->skipped_text, g_free);
  if (self->submission_signals != NULL)
    g_signal_group_set_target (self->submission_signals, NULL);
  g_clear_object (&self->submission_signals);
  if (self->submission != NULL)
    g_signal_handlers_disconnect_by_data (dossier_submission_get_uploads (self->submission), self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->shown);
  g_clear_object (&self->submission);
  g_clear_pointer (&self->selected, g_hash_table_unref);

  /* AdwBin owns the template's top widget: release it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_FILES_PAGE);

  G_OBJECT_CLASS (dossier_files_page_parent_class)->dispose (object);
}

static void
dossier_files_page_class_init (DossierFilesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_files_page_dispose;
  widget_class->size_allocate = dossier_files_page_size_allocate;
  widget_class->measure = dossier_files_page_measure;
  widget_class->get_request_mode = dossier_files_page_get_request_mode;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-files-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, DossierFilesPage, selection_choices);
  gtk_widget_class_bind_template_callback (widget_class, on_select_all_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_select_none_clicked);
  gtk_widget_class_bind_template_callback (widget_class, dossier_files_page_open_chooser);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
}

static void
dossier_files_page_init (DossierFilesPage *self)
{
  static const char * const summary_follows[] = { "n-invalid", "n-ready", "validating", NULL };
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  /* narrow until allocated wide: a hidden page must not make the window
   * wider than a narrow one can be */
  self->narrow = TRUE;
#if ADW_CHECK_VERSION (1, 4, 0)
  add_breakpoint_bin (self);
#endif
  self->cancellable = g_cancellable_new ();
  self->selected = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->submission_signals = g_signal_group_new (DOSSIER_TYPE_SUBMISSION);
  dossier_gui_watch_properties (self->submission_signals, summary_follows,
                                G_CALLBACK (queue_update), self);
  g_signal_group_connect (self->submission_signals, "skipped", G_CALLBACK (on_skipped), self);

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);

  /* the whole page takes drops, the empty state included */
  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (self->drop_target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (self->drop_target, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}

GtkDropTarget *
dossier_files_page_get_drop_target (DossierFilesPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILES_PAGE (self), NULL);
  return self->drop_target;
}

GtkWidget *
dossier_files_page_get_list_view (DossierFilesPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILES_PAGE (self), NULL);
  return GTK_WIDGET (self->list_view);
}

const char *
dossier_files_page_get_summary (DossierFilesPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILES_PAGE (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->summary_label));
}
