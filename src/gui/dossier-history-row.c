/* dossier-history-row.c: one finished upload in the history window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-dialogs.h"
#include "dossier-history-row.h"

struct _DossierHistoryRow
{
  AdwBin               parent_instance;

  /* template */
  GtkWidget           *icon;
  GtkWidget           *name_label;
  GtkWidget           *subtitle_label;
  GtkWidget           *id_label;
  GtkWidget           *details_label;
  GtkWidget           *open_button;
  GtkWidget           *copy_button;

  DossierHistoryEntry *entry;
};

G_DEFINE_FINAL_TYPE (DossierHistoryRow, dossier_history_row, ADW_TYPE_BIN)

static void
on_open_clicked (DossierHistoryRow *self)
{
  const char *link = self->entry != NULL ? dossier_history_entry_get_link (self->entry) : NULL;

  if (link != NULL)
    dossier_gui_open_uri (GTK_WIDGET (self), link);
}

static void
on_copy_clicked (DossierHistoryRow *self)
{
  const char *link = self->entry != NULL ? dossier_history_entry_get_link (self->entry) : NULL;

  if (link == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), link);
  gtk_widget_activate_action (GTK_WIDGET (self), "history.show-toast", "s", _("Link copied"));
}

void
dossier_history_row_bind (DossierHistoryRow   *self,
                          DossierHistoryEntry *entry,
                          const char          *environment_name)
{
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *details = NULL;
  const char *remote_id;
  const char *link;
  gboolean success, expired = FALSE;

  g_return_if_fail (DOSSIER_IS_HISTORY_ROW (self));

  g_set_object (&self->entry, entry);
  if (entry == NULL)
    return;

  success = dossier_history_entry_get_success (entry);
  remote_id = dossier_history_entry_get_remote_id (entry);
  link = dossier_history_entry_get_link (entry);

  gtk_label_set_label (GTK_LABEL (self->name_label), dossier_history_entry_get_file_name (entry));

  when = dossier_history_entry_format_time (entry, NULL);
  if (environment_name == NULL)
    environment_name = dossier_history_entry_get_environment (entry);
  /* Translators: under a file in the history: "DOKU · Sandbox · today 14:03" */
  subtitle = g_strdup_printf (_("%s · %s · %s"), dossier_history_entry_get_provider_name (entry),
                              environment_name != NULL ? environment_name : "", when);
  gtk_label_set_label (GTK_LABEL (self->subtitle_label), subtitle);

  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon),
                                success ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (self->icon, success ? "error" : "success");
  gtk_widget_add_css_class (self->icon, success ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  success ? _("Sent")
                                  : dossier_history_entry_get_outcome_unknown (entry)
                                  ? _("Outcome unknown") : _("Failed"),
                                  -1);

  gtk_widget_set_visible (self->id_label, remote_id != NULL);
  if (remote_id != NULL)
    {
      /* Translators: the provider's id of a file: "ID 6c2f…" */
      id_text = g_strdup_printf (_("ID %s"), remote_id);
      gtk_label_set_label (GTK_LABEL (self->id_label), id_text);
    }

  gtk_widget_remove_css_class (self->details_label, "error");
  gtk_widget_remove_css_class (self->details_label, "dim-label");
  if (!success)
    {
      details = dossier_history_entry_describe_failure (entry);
      gtk_widget_add_css_class (self->details_label, "error");
    }
  else if (link != NULL && dossier_history_entry_link_expired (entry, NULL))
    {
      expired = TRUE;
      details = g_strdup (_("Link expired"));
      gtk_widget_add_css_class (self->details_label, "dim-label");
    }
  else if (link != NULL && dossier_history_entry_get_link_expires (entry) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (dossier_history_entry_get_link_expires (entry));
      g_autofree char *clock = g_date_time_format (local, "%H:%M");

      /* Translators: a DOKU link works for an hour: "Link valid until 15:03" */
      details = g_strdup_printf (_("Link valid until %s"), clock);
      gtk_widget_add_css_class (self->details_label, "dim-label");
    }
  gtk_widget_set_visible (self->details_label, details != NULL);
  gtk_label_set_label (GTK_LABEL (self->details_label), details != NULL ? details : "");

  gtk_widget_set_visible (self->open_button, link != NULL && !expired);
  gtk_widget_set_visible (self->copy_button, link != NULL && !expired);
  if (link != NULL)
    {
      /* Translators: accessible names of the buttons of "KTP Budi.png" */
      g_autofree char *open = g_strdup_printf (_("Open the link of %s"),
                                               dossier_history_entry_get_file_name (entry));
      g_autofree char *copy = g_strdup_printf (_("Copy the link of %s"),
                                               dossier_history_entry_get_file_name (entry));

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, open, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, copy, -1);
    }
}

DossierHistoryEntry *
dossier_history_row_get_entry (DossierHistoryRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ROW (self), NULL);
  return self->entry;
}

const char *
dossier_history_row_get_remote_id (DossierHistoryRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->id_label) || self->entry == NULL)
    return NULL;
  /* what the label shows, without its "ID " */
  return dossier_history_entry_get_remote_id (self->entry);
}

const char *
dossier_history_row_get_link (DossierHistoryRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->copy_button) || self->entry == NULL)
    return NULL;
  return dossier_history_entry_get_link (self->entry);
}

const char *
dossier_history_row_get_subtitle (DossierHistoryRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ROW (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->subtitle_label));
}

const char *
dossier_history_row_get_details_text (DossierHistoryRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ROW (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->details_label));
}

GtkWidget *
dossier_history_row_get_copy_button (DossierHistoryRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ROW (self), NULL);
  return self->copy_button;
}

static void
dossier_history_row_dispose (GObject *object)
{
  DossierHistoryRow *self = DOSSIER_HISTORY_ROW (object);

  g_clear_object (&self->entry);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (dossier_history_row_parent_class)->dispose (object);
}

static void
dossier_history_row_class_init (DossierHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryRow, icon);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryRow, id_label);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryRow, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
}

static void
dossier_history_row_init (DossierHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dossier_history_row_new (void)
{
  return g_object_new (DOSSIER_TYPE_HISTORY_ROW, NULL);
}
