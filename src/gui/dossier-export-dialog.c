/* dossier-export-dialog.c: the audit export, from the window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A modal window: the format (CSV, JSON, printable HTML), a date range
 * when the export is over every merchant (checked as it is typed), then
 * "Export…" asks where (GtkFileChooserNative on GTK 4.8, GtkFileDialog on
 * 4.10 and later); the text is made from the record on the main thread
 * (the record and checklists are used from it only) and the file written
 * in a thread, whole or not at all
 * (dossier_export_write_file()), with a progress bar and Cancel. The end
 * says what was written, with Open; a failure says why.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "dossier-export-dialog.h"

#define DOSSIER_TYPE_EXPORT_DIALOG (dossier_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DossierExportDialog, dossier_export_dialog, DOSSIER, EXPORT_DIALOG, AdwWindow)

struct _DossierExportDialog
{
  AdwWindow parent_instance;

  AdwToastOverlay *toasts;
  AdwWindowTitle *window_title;
  AdwComboRow *format_row;
  GtkWidget *range_group;
  AdwEntryRow *from_row;
  AdwEntryRow *to_row;
  GtkWidget *range_error;
  GtkWidget *progress_box;
  GtkProgressBar *progress;
  GtkLabel *status_label;
  GtkWidget *open_button;
  GtkWidget *cancel_button;
  GtkWidget *export_button;

  GListModel *history;
  DossierMerchantStore *store;
  DossierMerchant *merchant;
  GPtrArray *checklists;
  GDateTime *from;
  GDateTime *to;
  gboolean range_valid;
  GCancellable *cancellable;
  guint pulse_id;
  GFile *written;
  char *status;
#if !GTK_CHECK_VERSION (4, 10, 0)
  GtkFileChooserNative *chooser;
#endif
};

G_DEFINE_FINAL_TYPE (DossierExportDialog, dossier_export_dialog, ADW_TYPE_WINDOW)

static const char * const extensions[] = { "csv", "json", "html" };

/* ------------------------------------------------------------------------ */
/* the range                                                                 */

/* "2026-12-05" as local midnight; NULL (and *@bad) when not such a day */
static GDateTime *
parse_day (const char *text,
           gboolean   *bad)
{
  guint year, month, day;

  *bad = FALSE;
  if (text == NULL || *text == '\0')
    return NULL;
  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || !g_ascii_isdigit (text[2]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6]) ||
      !g_ascii_isdigit (text[8]) || !g_ascii_isdigit (text[9]))
    {
      *bad = TRUE;
      return NULL;
    }
  year = g_ascii_strtoull (text, NULL, 10);
  month = g_ascii_strtoull (text + 5, NULL, 10);
  day = g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    {
      *bad = TRUE;
      return NULL;
    }
  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

static void
update_export_button (DossierExportDialog *self)
{
  gtk_widget_set_sensitive (self->export_button, self->range_valid && self->cancellable == NULL);
}

static void
on_range_changed (DossierExportDialog *self)
{
  const char *from_text = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  const char *to_text = gtk_editable_get_text (GTK_EDITABLE (self->to_row));
  g_autoptr(GDateTime) to_day = NULL;
  g_autofree char *problem = NULL;
  gboolean bad_from, bad_to;

  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  self->from = parse_day (from_text, &bad_from);
  to_day = parse_day (to_text, &bad_to);
  /* the day given is included: up to the next midnight */
  if (to_day != NULL)
    self->to = g_date_time_add_days (to_day, 1);

  gtk_widget_remove_css_class (GTK_WIDGET (self->from_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->to_row), "error");
  if (bad_from || bad_to)
    {
      gtk_widget_add_css_class (GTK_WIDGET (bad_from ? self->from_row : self->to_row), "error");
      /* Translators: "“2026-13-01” is not a day: write it as YYYY-MM-DD, for example 2026-12-05" */
      problem = g_strdup_printf (_("“%s” is not a day: write it as YYYY-MM-DD, for example 2026-12-05"),
                                 bad_from ? from_text : to_text);
    }
  else if (self->from != NULL && self->to != NULL && g_date_time_compare (self->from, to_day) > 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->to_row), "error");
      problem = g_strdup (_("The range ends before it starts: the “To” day comes after the “From” day"));
    }

  self->range_valid = problem == NULL;
  gtk_label_set_label (GTK_LABEL (self->range_error), problem);
  gtk_widget_set_visible (self->range_error, problem != NULL);
  update_export_button (self);
}

/* ------------------------------------------------------------------------ */
/* writing                                                                   */

typedef struct
{
  char *text;
  guint n_entries;
  GFile *file;
} Job;

static void
job_free (Job *job)
{
  g_free (job->text);
  g_clear_object (&job->file);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Job *job = data;
  const char *text = job->text;
  g_autofree char *path = g_file_get_path (job->file);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (path != NULL)
    {
      if (!dossier_export_write_file (path, text, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      g_autoptr(GFileOutputStream) stream = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                                            cancellable, &error);

      if (stream == NULL ||
          !dossier_export_write_stream (G_OUTPUT_STREAM (stream), text, cancellable, &error) ||
          !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
pulse_cb (gpointer data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (data));
  return G_SOURCE_CONTINUE;
}

static void
set_status (DossierExportDialog *self,
            const char          *text,
            gboolean             failed)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_label (self->status_label, text);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_busy (DossierExportDialog *self,
          gboolean             busy)
{
  gtk_widget_set_visible (self->progress_box, busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_row), !busy);
  gtk_widget_set_sensitive (self->range_group, !busy);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (busy)
    self->pulse_id = g_timeout_add (100, pulse_cb, self->progress);
  else
    g_clear_object (&self->cancellable);
  update_export_button (self);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *name = g_file_get_basename (job->file);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: "Export cancelled: audit.csv was not written" */
        text = g_strdup_printf (_("Export cancelled: %s was not written"), name);
      else
        /* Translators: "Could not write audit.csv: No space left on device" */
        text = g_strdup_printf (_("Could not write %s: %s"), name, error->message);
      set_status (self, text, !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      gtk_widget_set_visible (self->open_button, FALSE);
      return;
    }

  g_set_object (&self->written, job->file);
  /* Translators: "Exported 12 uploads to audit.csv" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u upload to %s", "Exported %u uploads to %s",
                                       job->n_entries),
                          job->n_entries, name);
  set_status (self, text, FALSE);
  gtk_widget_set_visible (self->open_button, TRUE);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static GHashTable *
merchant_names (DossierMerchantStore *store)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n = store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (store)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierMerchant) merchant = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_hash_table_insert (names, g_strdup (dossier_merchant_get_id (merchant)),
                           g_strdup (dossier_merchant_get_name (merchant)));
    }
  return names;
}

void
dossier_export_dialog_export_to (GtkWindow *dialog,
                                 GFile     *file)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (dialog);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  DossierExportOptions options = { 0 };
  Job *job;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->cancellable == NULL && self->range_valid);

  options.format = (DossierExportFormat) adw_combo_row_get_selected (self->format_row);
  options.merchant = self->merchant;
  names = merchant_names (self->store);
  options.merchant_names = names;
  options.checklists = self->checklists;
  if (self->merchant == NULL)
    {
      options.from = self->from;
      options.to = self->to;
    }
  /* the record and the checklists belong to this thread: the text is
   * made here (every row of the record), the file is
   * written in another */
  entries = dossier_export_select (self->history,
                                   self->merchant != NULL ? dossier_merchant_get_id (self->merchant) : NULL,
                                   options.from, options.to);
  job = g_new0 (Job, 1);
  job->text = dossier_export_to_text (&options, entries);
  job->n_entries = entries->len;
  job->file = g_object_ref (file);

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gtk_widget_set_visible (self->open_button, FALSE);
  name = g_file_get_basename (file);
  /* Translators: "Exporting 12 uploads to audit.csv…" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exporting %u upload to %s…", "Exporting %u uploads to %s…",
                                       job->n_entries),
                          job->n_entries, name);
  set_status (self, text, FALSE);

  task = g_task_new (self, self->cancellable, written_cb, NULL);
  g_task_set_source_tag (task, dossier_export_dialog_export_to);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, write_thread);
}

/* ------------------------------------------------------------------------ */
/* choosing the file                                                         */

static char *
suggested_name (DossierExportDialog *self)
{
  guint format = adw_combo_row_get_selected (self->format_row);
  g_autoptr(GString) slug = g_string_new (NULL);
  const char *name = self->merchant != NULL ? dossier_merchant_get_name (self->merchant) : NULL;

  for (const char *p = name; p != NULL && *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  return g_strdup_printf ("%s-uploads.%s", slug->len > 0 ? slug->str : "dossier",
                          extensions[MIN (format, G_N_ELEMENTS (extensions) - 1)]);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(DossierExportDialog) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    dossier_export_dialog_export_to (GTK_WINDOW (self), file);
}
#else
static void
chooser_response_cb (GtkNativeDialog     *chooser,
                     int                  response,
                     DossierExportDialog *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    dossier_export_dialog_export_to (GTK_WINDOW (self), file);
}
#endif

static void
on_export_clicked (DossierExportDialog *self)
{
  g_autofree char *name = suggested_name (self);

#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileDialog) chooser = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (chooser, _("Export Uploads"));
  gtk_file_dialog_set_initial_name (chooser, name);
  gtk_file_dialog_save (chooser, GTK_WINDOW (self), NULL, saved_cb, g_object_ref (self));
#else
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Uploads"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
#endif
}

static void
on_cancel_clicked (DossierExportDialog *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
on_open_clicked (DossierExportDialog *self)
{
  if (self->written == NULL)
    return;
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (self->written);

    gtk_file_launcher_launch (launcher, GTK_WINDOW (self), NULL, NULL, NULL);
  }
#else
  {
    g_autofree char *uri = g_file_get_uri (self->written);

    gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
  }
#endif
}

/* ------------------------------------------------------------------------ */
/* the window                                                                */

static void
dossier_export_dialog_dispose (GObject *object)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
#if !GTK_CHECK_VERSION (4, 10, 0)
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
#endif

  G_OBJECT_CLASS (dossier_export_dialog_parent_class)->dispose (object);
}

static void
dossier_export_dialog_finalize (GObject *object)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (object);

  g_clear_object (&self->history);
  g_clear_object (&self->store);
  g_clear_object (&self->merchant);
  g_clear_pointer (&self->checklists, g_ptr_array_unref);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->written);
  g_free (self->status);

  G_OBJECT_CLASS (dossier_export_dialog_parent_class)->finalize (object);
}

static void
dossier_export_dialog_class_init (DossierExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_export_dialog_dispose;
  object_class->finalize = dossier_export_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, range_group);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, range_error);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_range_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_export_dialog_init (DossierExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->range_valid = TRUE;
}

/**
 * dossier_export_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @history: the record of uploads (DossierHistory)
 * @store: (nullable): the merchants, for their names
 * @merchant: (nullable): whose uploads; %NULL: every merchant's, in a
 *   date range
 * @checklists: (element-type DossierChecklist) (nullable): the merchant's
 *   checklists, for the printable summary
 *
 * Returns: (transfer none): the window, shown with gtk_window_present()
 */
GtkWindow *
dossier_export_dialog_new (GtkWindow            *parent,
                           GListModel           *history,
                           DossierMerchantStore *store,
                           DossierMerchant      *merchant,
                           GPtrArray            *checklists)
{
  DossierExportDialog *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (history), NULL);

  self = g_object_new (DOSSIER_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->history = g_object_ref (history);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->merchant = merchant != NULL ? g_object_ref (merchant) : NULL;
  self->checklists = checklists != NULL ? g_ptr_array_ref (checklists) : NULL;
  adw_window_title_set_subtitle (self->window_title,
                                 merchant != NULL ? dossier_merchant_get_name (merchant) : _("All merchants"));
  gtk_widget_set_visible (self->range_group, merchant == NULL);
  return GTK_WINDOW (self);
}

void
dossier_export_dialog_set_format (GtkWindow           *dialog,
                                  DossierExportFormat  format)
{
  adw_combo_row_set_selected (DOSSIER_EXPORT_DIALOG (dialog)->format_row, format);
}

void
dossier_export_dialog_set_range (GtkWindow  *dialog,
                                 const char *from,
                                 const char *to)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (dialog);

  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from != NULL ? from : "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to != NULL ? to : "");
}

gboolean
dossier_export_dialog_get_busy (GtkWindow *dialog)
{
  return DOSSIER_EXPORT_DIALOG (dialog)->cancellable != NULL;
}

const char *
dossier_export_dialog_get_status (GtkWindow *dialog)
{
  return DOSSIER_EXPORT_DIALOG (dialog)->status;
}

gboolean
dossier_export_dialog_can_export (GtkWindow *dialog)
{
  return gtk_widget_get_sensitive (DOSSIER_EXPORT_DIALOG (dialog)->export_button);
}
