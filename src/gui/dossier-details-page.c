/* dossier-details-page.c: step 2, the provider's document choices
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-validate.h"
#include "dossier-details-page.h"

struct _DossierDetailsPage
{
  AdwBin               parent_instance;

  /* template */
  AdwPreferencesGroup *fields_group;
  GtkLabel            *accepted_label;

  DossierSubmission   *submission;
  GPtrArray           *editors;   /* DossierFieldEditor, document fields */
};

G_DEFINE_FINAL_TYPE (DossierDetailsPage, dossier_details_page, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Every value the submission holds, for dossier_field_is_active() and
 * dossier_provider_validate_values(). */
static GHashTable *
dup_values (DossierSubmission *submission)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GListModel *fields;
  guint n;

  if (submission == NULL)
    return values;

  fields = dossier_provider_get_fields (dossier_submission_get_provider (submission));
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *name = dossier_field_get_name (field);
      const char *value = dossier_submission_get_value (submission, name);

      if (value != NULL && *value != '\0')
        g_hash_table_insert (values, g_strdup (name), g_strdup (value));
    }

  return values;
}

/* Conditional rows (DOKU's code only for the DOCUMENT category) follow the
 * values chosen so far. */
static void
update_visibility (DossierDetailsPage *self)
{
  g_autoptr(GHashTable) values = dup_values (self->submission);

  for (guint i = 0; i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);

      gtk_widget_set_visible (dossier_field_editor_get_row (editor),
                              dossier_field_is_active (dossier_field_editor_get_field (editor),
                                                       values));
    }
}

static void
on_editor_value (DossierFieldEditor *editor,
                 GParamSpec         *pspec,
                 DossierDetailsPage *self)
{
  if (self->submission == NULL)
    return;

  /* the default for the files added next */
  dossier_submission_set_value (self->submission,
                                dossier_field_get_name (dossier_field_editor_get_field (editor)),
                                dossier_field_editor_get_value (editor));
  update_visibility (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
clear_editors (DossierDetailsPage *self)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);

      g_signal_handlers_disconnect_by_data (editor, self);
      adw_preferences_group_remove (self->fields_group, dossier_field_editor_get_row (editor));
    }
  g_ptr_array_set_size (self->editors, 0);
}

void
dossier_details_page_set_submission (DossierDetailsPage *self,
                                     DossierSubmission  *submission)
{
  DossierProvider *provider;
  GListModel *fields;
  const DossierFileRules *rules;
  g_autofree char *accepted = NULL;
  guint n;

  g_return_if_fail (DOSSIER_IS_DETAILS_PAGE (self));

  if (self->submission == submission)
    return;

  clear_editors (self);
  g_set_object (&self->submission, submission);
  if (submission == NULL)
    return;

  provider = dossier_submission_get_provider (submission);
  rules = dossier_provider_get_file_rules (provider);
  fields = dossier_provider_get_fields (provider);
  n = g_list_model_get_n_items (fields);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      DossierFieldEditor *editor;
      const char *value;

      if (dossier_field_get_scope (field) != DOSSIER_FIELD_SCOPE_DOCUMENT)
        continue;
      /* a link sent instead of a file (DOKU file_url) is not a default */
      if (g_strcmp0 (dossier_field_get_name (field), rules->alternative_field) == 0)
        continue;

      editor = dossier_field_editor_new (field);
      g_ptr_array_add (self->editors, editor);
      adw_preferences_group_add (self->fields_group, dossier_field_editor_get_row (editor));

      value = dossier_submission_get_value (submission, dossier_field_get_name (field));
      if (value == NULL)
        value = dossier_field_get_default_value (field);
      g_signal_connect (editor, "notify::value", G_CALLBACK (on_editor_value), self);
      dossier_field_editor_set_value (editor, value);
    }

  update_visibility (self);

  accepted = dossier_provider_describe_accepted (provider);
  gtk_label_set_label (self->accepted_label, accepted);
  gtk_widget_set_visible (GTK_WIDGET (self->accepted_label), accepted != NULL && *accepted != '\0');

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
dossier_details_page_is_ready (DossierDetailsPage  *self,
                               char               **out_reason)
{
  g_return_val_if_fail (DOSSIER_IS_DETAILS_PAGE (self), FALSE);

  if (self->submission == NULL)
    return FALSE;

  /* a per-file choice (DOKU's code) is asked on each file's row */
  return dossier_submission_defaults_ready (self->submission, out_reason);
}

DossierFieldEditor *
dossier_details_page_get_editor (DossierDetailsPage *self,
                                 const char         *name)
{
  g_return_val_if_fail (DOSSIER_IS_DETAILS_PAGE (self), NULL);

  for (guint i = 0; i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);

      if (g_strcmp0 (dossier_field_get_name (dossier_field_editor_get_field (editor)), name) == 0)
        return editor;
    }

  return NULL;
}

static void
dossier_details_page_dispose (GObject *object)
{
  DossierDetailsPage *self = DOSSIER_DETAILS_PAGE (object);

  if (self->editors != NULL)
    {
      for (guint i = 0; i < self->editors->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->editors, i), self);
      g_clear_pointer (&self->editors, g_ptr_array_unref);
    }
  g_clear_object (&self->submission);

  /* AdwBin owns the template's top widget: release it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_DETAILS_PAGE);

  G_OBJECT_CLASS (dossier_details_page_parent_class)->dispose (object);
}

static void
dossier_details_page_class_init (DossierDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_details_page_dispose;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierDetailsPage, fields_group);
  gtk_widget_class_bind_template_child (widget_class, DossierDetailsPage, accepted_label);
}

static void
dossier_details_page_init (DossierDetailsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->editors = g_ptr_array_new_with_free_func (g_object_unref);
}
