/* dossier-file-row.c: one document in the list of files to send
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choice-widgets.h"
#include "dossier-gui-util.h"
#include "dossier-thumbnail.h"
#include "dossier-file-row.h"

struct _DossierFileRow
{
  AdwBin             parent_instance;

  /* template */
  GtkWidget         *select_check;
  GtkWidget         *flow;
  GtkWidget         *thumbnail;
  GtkWidget         *name_label;
  GtkWidget         *meta_label;
  GtkWidget         *choices_box;
  GtkWidget         *status_label;
  GtkWidget         *duplicate_box;
  GtkWidget         *duplicate_label;
  GtkWidget         *remove_button;

  DossierSubmission *submission;
  DossierUpload     *upload;
  GSignalGroup      *upload_signals;
  GPtrArray         *dropdowns;     /* GtkDropDown, field in "field" data */
  char              *shown_fields;  /* names of the fields with a dropdown */
  guint              rebuild_idle;
  guint              syncing : 1;
};

G_DEFINE_FINAL_TYPE (DossierFileRow, dossier_file_row, ADW_TYPE_BIN)

enum {
  SIGNAL_SELECT_TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_icon (DossierFileRow *self)
{
  dossier_gui_show_upload_icon (GTK_IMAGE (self->thumbnail), self->upload);
}

static void
update_meta (DossierFileRow *self)
{
  gint64 size = dossier_upload_get_size (self->upload);
  const char *type = dossier_upload_get_content_type (self->upload);
  g_autofree char *size_text = NULL;
  g_autofree char *type_text = NULL;
  g_autofree char *text = NULL;

  if (dossier_upload_get_file (self->upload) == NULL)
    {
      dossier_gui_set_label_text (self->meta_label, _("Link, sent instead of a file"));
      return;
    }

  if (size < 0 && type == NULL)
    {
      gboolean checking = dossier_upload_get_state (self->upload) == DOSSIER_UPLOAD_STATE_READY;

      dossier_gui_set_label_text (self->meta_label, checking ? _("Checking…") : "");
      gtk_widget_set_visible (self->meta_label, checking);
      return;
    }

  gtk_widget_set_visible (self->meta_label, TRUE);

  size_text = size >= 0 ? g_format_size (size) : g_strdup ("");
  type_text = type != NULL ? g_content_type_get_description (type) : g_strdup ("");
  /* Translators: "1.2 MB · PNG image" */
  text = g_strdup_printf (_("%s · %s"), size_text, type_text);
  dossier_gui_set_label_text (self->meta_label, text);
}

/* A screen reader hears the status, then the duplicate guard's warning */
static void
update_description (DossierFileRow *self)
{
  const char *status = gtk_label_get_label (GTK_LABEL (self->status_label));
  const char *duplicate = dossier_upload_get_duplicate_of (self->upload);
  g_autofree char *description = NULL;

  if (duplicate != NULL)
    description = g_strconcat (status, "\n", duplicate, NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : status,
                                  -1);
}

/* Sent before to this provider and account, or for another merchant: a
 * warning under the status, never a reason not to send */
static void
update_duplicate (DossierFileRow *self)
{
  const char *duplicate = dossier_upload_get_duplicate_of (self->upload);

  dossier_gui_set_label_text (self->duplicate_label, duplicate != NULL ? duplicate : "");
  gtk_widget_set_visible (self->duplicate_box, duplicate != NULL);
  update_description (self);
}

static void
update_status (DossierFileRow *self)
{
  DossierUploadState state = dossier_upload_get_state (self->upload);
  const char *problem = dossier_upload_get_problem (self->upload);
  GtkWidget *label = self->status_label;

  if (state == DOSSIER_UPLOAD_STATE_INVALID || state == DOSSIER_UPLOAD_STATE_FAILED)
    {
      dossier_gui_set_label_text (label, problem != NULL ? problem : dossier_gui_state_label (state));
      dossier_gui_set_status_class (label, "error");
    }
  else if (state == DOSSIER_UPLOAD_STATE_READY && dossier_upload_get_size (self->upload) < 0
           && dossier_upload_get_file (self->upload) != NULL)
    {
      dossier_gui_set_label_text (label, _("Checking…"));
      dossier_gui_set_status_class (label, "dim-label");
    }
  else if (state == DOSSIER_UPLOAD_STATE_UNKNOWN && dossier_upload_get_maybe_sent (self->upload))
    {
      /* restored: it was being sent when Dossier stopped, and is held back */
      dossier_gui_set_label_text (label,
                 _("May have been sent before Dossier stopped: it is not sent with the "
                   "others; check with the provider, then use Send Again… if it did "
                   "not arrive"));
      dossier_gui_set_status_class (label, "warning");
    }
  else if (state == DOSSIER_UPLOAD_STATE_READY)
    {
      dossier_gui_set_label_text (label, _("Ready to send"));
      dossier_gui_set_status_class (label, "success");
    }
  else
    {
      dossier_gui_set_label_text (label, dossier_gui_state_label (state));
      dossier_gui_set_status_class (label, "dim-label");
    }

  update_description (self);
}

static void
on_dropdown_selected (GtkDropDown    *dropdown,
                      GParamSpec     *pspec,
                      DossierFileRow *self)
{
  DossierField *field = g_object_get_data (G_OBJECT (dropdown), "field");
  const char *value;

  if (self->syncing || self->upload == NULL)
    return;

  value = dossier_gui_choice_value_at (gtk_drop_down_get_model (dropdown),
                                       gtk_drop_down_get_selected (dropdown));
  /* the submission revalidates the file and notifies its state */
  dossier_upload_set_value (self->upload, dossier_field_get_name (field), value);
}

static void sync_dropdowns (DossierFileRow *self);

/* "Document code: Identity card (KTP)", asked when the pointer rests */
static gboolean
on_choice_query_tooltip (GtkWidget      *widget,
                         int             x,
                         int             y,
                         gboolean        keyboard,
                         GtkTooltip     *tooltip,
                         DossierFileRow *self)
{
  DossierField *field = g_object_get_data (G_OBJECT (widget), "field");
  const char *value;
  DossierChoice *choice;
  g_autofree char *text = NULL;

  if (self->upload == NULL || field == NULL)
    return FALSE;

  value = dossier_upload_get_value (self->upload, dossier_field_get_name (field));
  choice = value != NULL ? dossier_field_lookup_choice (field, value) : NULL;
  /* Translators: tooltip of a file's choice, "Document code: Identity card (KTP)" */
  text = g_strdup_printf (_("%s: %s"), dossier_field_get_label (field),
                          choice != NULL ? dossier_choice_get_label (choice) : _("not chosen"));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* The fields a clerk picks per file: the document choices (DOKU category
 * and code, Moov filePurpose, Kore fileContext, receeve documentType).
 * Text and JSON document fields (Moov's metadata) are set once for the
 * whole submission on the Details step and never get a per-file editor:
 * a row of four metadata entries per file would not fit a file list. */
static gboolean
is_main_document_field (DossierField *field)
{
  return dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_DOCUMENT
         && dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE;
}

static char *
active_fields (DossierFileRow *self)
{
  DossierProvider *provider = dossier_submission_get_provider (self->submission);
  GListModel *fields = dossier_provider_get_fields (provider);
  GHashTable *values = dossier_upload_get_values (self->upload);
  GString *names = g_string_new (dossier_provider_get_id (provider));
  guint n = g_list_model_get_n_items (fields);

  g_string_append_c (names, '\n');

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);

      if (is_main_document_field (field)
          && dossier_field_is_active (field, values))
        g_string_append_printf (names, "%s\n", dossier_field_get_name (field));
    }

  return g_string_free (names, FALSE);
}

/* Each choice starts as a plain button showing the current label; the real
 * GtkDropDown (with its models, factories and popover) is made when the
 * clerk opens it. A list view recycles a few hundred rows, and building two
 * dropdowns for each of them would stall the window. */
static GtkWidget *
materialize (DossierFileRow *self,
             guint           index)
{
  GtkWidget *placeholder = g_ptr_array_index (self->dropdowns, index);
  DossierField *field = g_object_get_data (G_OBJECT (placeholder), "field");
  GtkWidget *dropdown;

  if (GTK_IS_DROP_DOWN (placeholder))
    return placeholder;

  dropdown = dossier_gui_choice_dropdown_new (field);
  g_object_set_data_full (G_OBJECT (dropdown), "field", g_object_ref (field), g_object_unref);
  gtk_widget_add_css_class (dropdown, "compact-choice");
  /* as narrow as the placeholder it replaces: a suffix of the row */
  {
    g_autoptr(GtkListItemFactory) factory = dossier_gui_choice_compact_factory ();

    gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), factory);
  }

  gtk_box_insert_child_after (GTK_BOX (self->choices_box), dropdown, placeholder);
  gtk_box_remove (GTK_BOX (self->choices_box), placeholder);
  g_ptr_array_index (self->dropdowns, index) = dropdown;

  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected), self);
  g_signal_connect (dropdown, "query-tooltip", G_CALLBACK (on_choice_query_tooltip), self);
  sync_dropdowns (self);
  return dropdown;
}

static void
on_placeholder_clicked (GtkButton      *button,
                        DossierFileRow *self)
{
  guint index;
  GtkWidget *dropdown;

  if (!g_ptr_array_find (self->dropdowns, button, &index))
    return;

  dropdown = materialize (self, index);
  gtk_widget_grab_focus (dropdown);
  /* opens the list, as a click on the dropdown itself would */
  g_signal_emit_by_name (dropdown, "activate");
}

static GtkWidget *
placeholder_new (DossierFileRow *self,
                 DossierField   *field)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("pan-down-symbolic");

  /* a suffix of the row: long labels are cut, the tooltip says them whole */
  dossier_gui_choice_compact_label (GTK_LABEL (label));
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "compact-choice");
  gtk_widget_add_css_class (button, "placeholder-choice");

  g_object_set_data_full (G_OBJECT (button), "field", g_object_ref (field), g_object_unref);
  g_object_set_data (G_OBJECT (button), "label", label);
  g_signal_connect (button, "clicked", G_CALLBACK (on_placeholder_clicked), self);
  g_signal_connect (button, "query-tooltip", G_CALLBACK (on_choice_query_tooltip), self);
  return button;
}

static void
sync_dropdowns (DossierFileRow *self)
{
  self->syncing = TRUE;
  for (guint i = 0; i < self->dropdowns->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->dropdowns, i);
      DossierField *field = g_object_get_data (G_OBJECT (widget), "field");
      const char *value = dossier_upload_get_value (self->upload, dossier_field_get_name (field));
      g_autofree char *accessible = NULL;
      DossierChoice *choice = value != NULL ? dossier_field_lookup_choice (field, value) : NULL;

      /* Translators: accessible name of a file's dropdown, "Category of ktp.jpg" */
      accessible = g_strdup_printf (_("%s of %s"), dossier_field_get_label (field),
                                    dossier_upload_get_display_name (self->upload));
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);

      if (GTK_IS_DROP_DOWN (widget))
        gtk_drop_down_set_selected (GTK_DROP_DOWN (widget),
                                    dossier_gui_choice_position (gtk_drop_down_get_model (GTK_DROP_DOWN (widget)),
                                                                 value));
      else
        {
          GtkWidget *label = g_object_get_data (G_OBJECT (widget), "label");

          dossier_gui_set_label_text (label, choice != NULL ? dossier_choice_get_label (choice) : _("Choose…"));
        }
      /* the whole label, where the row cuts it: on hover (a tooltip set
       * per bind would cost every row of a thousand) */
      gtk_widget_set_has_tooltip (widget, TRUE);
    }
  self->syncing = FALSE;
}

static void
clear_dropdowns (DossierFileRow *self)
{
  GtkWidget *child;

  for (guint i = 0; i < self->dropdowns->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->dropdowns, i), self);
  g_ptr_array_set_size (self->dropdowns, 0);

  while ((child = gtk_widget_get_first_child (self->choices_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->choices_box), child);

  g_clear_pointer (&self->shown_fields, g_free);
}

/* One choice per document field that applies to this file (DOKU: the
 * category, and the code when it is a DOCUMENT). */
static void
rebuild_dropdowns (DossierFileRow *self)
{
  DossierProvider *provider = dossier_submission_get_provider (self->submission);
  g_autofree char *names = active_fields (self);
  g_auto(GStrv) list = NULL;

  if (g_strcmp0 (names, self->shown_fields) == 0)
    {
      sync_dropdowns (self);
      return;
    }

  clear_dropdowns (self);
  self->shown_fields = g_steal_pointer (&names);
  list = g_strsplit (self->shown_fields, "\n", -1);

  /* the first line is the provider */
  for (guint i = 1; list[i] != NULL; i++)
    {
      GtkWidget *placeholder;

      if (*list[i] == '\0')
        continue;

      placeholder = placeholder_new (self, dossier_provider_lookup_field (provider, list[i]));
      gtk_box_append (GTK_BOX (self->choices_box), placeholder);
      g_ptr_array_add (self->dropdowns, placeholder);
    }

  gtk_widget_set_visible (self->choices_box, self->dropdowns->len > 0);
  sync_dropdowns (self);
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  DossierFileRow *self = user_data;

  self->rebuild_idle = 0;
  if (self->upload != NULL)
    rebuild_dropdowns (self);
  return G_SOURCE_REMOVE;
}

static void
on_values_changed (DossierUpload  *upload,
                   DossierFileRow *self)
{
  /* not from inside the dropdown's own handler */
  if (self->rebuild_idle == 0)
    self->rebuild_idle = g_idle_add (rebuild_idle_cb, self);
}

static void
on_state_changed (DossierFileRow *self)
{
  update_meta (self);
  update_status (self);
}

static void
on_file_info_changed (DossierFileRow *self)
{
  update_meta (self);
  update_icon (self);
  update_status (self);
}

static void
on_select_toggled (DossierFileRow *self)
{
  if (self->syncing || self->upload == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_SELECT_TOGGLED], 0,
                 gtk_check_button_get_active (GTK_CHECK_BUTTON (self->select_check)));
}

/* Shows whether the clerk picked this file for a change of several */
void
dossier_file_row_set_selected (DossierFileRow *self,
                               gboolean        selected)
{
  g_return_if_fail (DOSSIER_IS_FILE_ROW (self));

  self->syncing = TRUE;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->select_check), selected);
  self->syncing = FALSE;
}

/* One line where the list is wide; the choices under the name when not */
void
dossier_file_row_set_narrow (DossierFileRow *self,
                             gboolean        narrow)
{
  g_return_if_fail (DOSSIER_IS_FILE_ROW (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->flow),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self->flow), narrow ? 6 : 12);
  gtk_widget_set_halign (self->choices_box, narrow ? GTK_ALIGN_START : GTK_ALIGN_END);
}

GtkWidget *
dossier_file_row_get_select_check (DossierFileRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILE_ROW (self), NULL);
  return self->select_check;
}

static void
on_remove_clicked (DossierFileRow *self)
{
  if (self->submission != NULL && self->upload != NULL)
    dossier_submission_remove (self->submission, self->upload);
}

void
dossier_file_row_bind (DossierFileRow    *self,
                       DossierSubmission *submission,
                       DossierUpload     *upload)
{
  g_autofree char *remove_label = NULL;
  g_autofree char *select_label = NULL;

  g_return_if_fail (DOSSIER_IS_FILE_ROW (self));

  g_signal_group_set_target (self->upload_signals, submission != NULL ? upload : NULL);
  g_clear_handle_id (&self->rebuild_idle, g_source_remove);
  g_set_object (&self->upload, upload);
  g_set_object (&self->submission, submission);

  /* a recycled row keeps its dropdowns when the next file has the same
   * fields: creating them is what costs when scrolling thousands */
  if (upload == NULL || submission == NULL)
    return;

  gtk_label_set_label (GTK_LABEL (self->name_label), dossier_upload_get_display_name (upload));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, dossier_upload_get_display_name (upload),
                                  -1);
  /* Translators: accessible name of the remove button, "Remove ktp.jpg" */
  remove_label = g_strdup_printf (_("Remove %s"), dossier_upload_get_display_name (upload));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  /* Translators: accessible name of a file's check button, "Select ktp.jpg" */
  select_label = g_strdup_printf (_("Select %s"), dossier_upload_get_display_name (upload));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->select_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, select_label,
                                  -1);

  update_meta (self);
  update_icon (self);
  update_status (self);
  update_duplicate (self);
  rebuild_dropdowns (self);
}

static void
dossier_file_row_dispose (GObject *object)
{
  DossierFileRow *self = DOSSIER_FILE_ROW (object);

  if (self->dropdowns != NULL)
    {
      dossier_file_row_bind (self, NULL, NULL);
      clear_dropdowns (self);
      g_clear_pointer (&self->dropdowns, g_ptr_array_unref);
    }
  g_clear_object (&self->upload_signals);

  /* AdwBin owns the template's top widget: release it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_FILE_ROW);

  G_OBJECT_CLASS (dossier_file_row_parent_class)->dispose (object);
}

static void
dossier_file_row_class_init (DossierFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_file_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-file-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, select_check);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, flow);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, choices_box);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, duplicate_box);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, duplicate_label);
  gtk_widget_class_bind_template_child (widget_class, DossierFileRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_select_toggled);

  signals[SIGNAL_SELECT_TOGGLED] =
    g_signal_new ("select-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dossier_file_row_init (DossierFileRow *self)
{
  static const char * const state_follows[] = { "state", "problem", "maybe-sent", NULL };
  static const char * const file_info_follows[] = { "size", "content-type", NULL };
  static const char * const duplicate_follows[] = { "duplicate-of", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->dropdowns = g_ptr_array_new ();
  self->upload_signals = g_signal_group_new (DOSSIER_TYPE_UPLOAD);
  dossier_gui_watch_properties (self->upload_signals, state_follows,
                                G_CALLBACK (on_state_changed), self);
  dossier_gui_watch_properties (self->upload_signals, file_info_follows,
                                G_CALLBACK (on_file_info_changed), self);
  dossier_gui_watch_properties (self->upload_signals, duplicate_follows,
                                G_CALLBACK (update_duplicate), self);
  g_signal_group_connect (self->upload_signals, "values-changed",
                          G_CALLBACK (on_values_changed), self);
}

GtkWidget *
dossier_file_row_new (void)
{
  return g_object_new (DOSSIER_TYPE_FILE_ROW, NULL);
}

DossierUpload *
dossier_file_row_get_upload (DossierFileRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILE_ROW (self), NULL);
  return self->upload;
}

const char *
dossier_file_row_get_status_text (DossierFileRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILE_ROW (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->status_label));
}

/* The duplicate guard's warning, or NULL when the row shows none */
const char *
dossier_file_row_get_duplicate_text (DossierFileRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_FILE_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->duplicate_box))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->duplicate_label));
}

GtkDropDown *
dossier_file_row_get_dropdown (DossierFileRow *self,
                               const char     *field_name)
{
  g_return_val_if_fail (DOSSIER_IS_FILE_ROW (self), NULL);

  for (guint i = 0; i < self->dropdowns->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->dropdowns, i);
      DossierField *field = g_object_get_data (G_OBJECT (widget), "field");

      if (g_strcmp0 (dossier_field_get_name (field), field_name) == 0)
        return GTK_DROP_DOWN (materialize (self, i));
    }

  return NULL;
}
