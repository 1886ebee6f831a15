/* dossier-merchant-dialog.c: New Merchant, a name (required), a reference and notes
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-merchant-dialog.h"
#include "dossier-merchant-rows.h"

struct _DossierMerchantDialog
{
  AdwWindow             parent_instance;

  DossierMerchantStore *store;
  GtkWidget            *name_row;
  GtkWidget            *reference_row;
  GtkWidget            *notes_row;
  GtkWidget            *problem_label;
  GtkWidget            *create_button;
  guint                 name_touched : 1;
};

G_DEFINE_FINAL_TYPE (DossierMerchantDialog, dossier_merchant_dialog, ADW_TYPE_WINDOW)

enum { CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_problem (DossierMerchantDialog *self,
              const char            *problem)
{
  gtk_label_set_label (GTK_LABEL (self->problem_label), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->problem_label, problem != NULL);
}

/* What keeps Create from working, in words; NULL when nothing does */
static const char *
name_problem (DossierMerchantDialog *self)
{
  g_autofree char *name = dossier_merchant_rows_dup_text (self->name_row);

  return dossier_merchant_rows_name_problem (name);
}

static void
validate (DossierMerchantDialog *self)
{
  const char *problem = name_problem (self);

  gtk_widget_set_sensitive (self->create_button, problem == NULL);
  /* said once the clerk has typed, not on an empty new form */
  if (self->name_touched && problem != NULL)
    {
      gtk_widget_add_css_class (self->name_row, "error");
      show_problem (self, problem);
    }
  else
    {
      gtk_widget_remove_css_class (self->name_row, "error");
      show_problem (self, NULL);
    }
}

static void
on_name_changed (DossierMerchantDialog *self)
{
  self->name_touched = TRUE;
  validate (self);
}

static void
on_create (DossierMerchantDialog *self)
{
  g_autofree char *name = dossier_merchant_rows_dup_text (self->name_row);
  g_autofree char *reference = dossier_merchant_rows_dup_text (self->reference_row);
  g_autofree char *notes = dossier_merchant_rows_dup_text (self->notes_row);
  g_autoptr(DossierMerchant) merchant = NULL;
  g_autoptr(GError) error = NULL;

  self->name_touched = TRUE;
  validate (self);
  if (name_problem (self) != NULL)
    return;

  merchant = dossier_merchant_new (name);
  dossier_merchant_set_reference (merchant, reference);
  dossier_merchant_set_notes (merchant, notes);
  if (!dossier_merchant_store_add (self->store, merchant, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The merchant could not be saved: %s"), error->message);

      show_problem (self, text);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, merchant);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
dossier_merchant_dialog_dispose (GObject *object)
{
  DossierMerchantDialog *self = DOSSIER_MERCHANT_DIALOG (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (dossier_merchant_dialog_parent_class)->dispose (object);
}

static void
dossier_merchant_dialog_class_init (DossierMerchantDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dossier_merchant_dialog_dispose;
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOSSIER_TYPE_MERCHANT);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_merchant_dialog_init (DossierMerchantDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *group = adw_preferences_group_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("New Merchant"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 420, -1);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->create_button = gtk_button_new_with_mnemonic (_("C_reate"));
  gtk_widget_add_css_class (self->create_button, "suggested-action");
  gtk_widget_set_sensitive (self->create_button, FALSE);
  g_signal_connect_swapped (self->create_button, "clicked", G_CALLBACK (on_create), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->create_button);
  gtk_box_append (GTK_BOX (box), header);

  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  self->name_row = dossier_merchant_rows_add_entry (group, _("_Name"));
  self->reference_row = dossier_merchant_rows_add_entry (group, _("_Reference (your case number, optional)"));
  self->notes_row = dossier_merchant_rows_add_entry (group, _("N_otes (optional)"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->name_row), TRUE);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->reference_row), TRUE);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_name_changed), self);
  gtk_box_append (GTK_BOX (content), group);

  self->problem_label = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT, NULL);
  gtk_label_set_xalign (GTK_LABEL (self->problem_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->problem_label), TRUE);
  gtk_widget_add_css_class (self->problem_label, "error");
  gtk_widget_set_visible (self->problem_label, FALSE);
  gtk_box_append (GTK_BOX (content), self->problem_label);
  gtk_box_append (GTK_BOX (box), content);

  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->create_button);
}

DossierMerchantDialog *
dossier_merchant_dialog_new (GtkWindow            *parent,
                             DossierMerchantStore *store)
{
  DossierMerchantDialog *self = g_object_new (DOSSIER_TYPE_MERCHANT_DIALOG,
                                              "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  return self;
}

GtkEditable *
dossier_merchant_dialog_get_name_row (DossierMerchantDialog *self)
{
  return GTK_EDITABLE (self->name_row);
}

GtkEditable *
dossier_merchant_dialog_get_reference_row (DossierMerchantDialog *self)
{
  return GTK_EDITABLE (self->reference_row);
}

GtkWidget *
dossier_merchant_dialog_get_create_button (DossierMerchantDialog *self)
{
  return self->create_button;
}

const char *
dossier_merchant_dialog_get_problem (DossierMerchantDialog *self)
{
  if (!gtk_widget_get_visible (self->problem_label))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->problem_label));
}
