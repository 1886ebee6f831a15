/* dossier-gui-a11y.c: names a screen reader can say, where a widget gives none
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 names a button after its label child; an icon-only button inside
 * a library widget (the reveal button of AdwPasswordEntryRow) or the toggle
 * inside a GtkDropDown is announced by its type name ("GtkImage",
 * "GtkToggleButton"). These give them the words the user sees: the
 * tooltip, or the dropdown's own name.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-a11y.h"

static void
sync_tooltip_name (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL && *tooltip != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                    -1);
}

/* Every icon-only button under WIDGET is named after its tooltip, and
 * follows it ("Show Text" / "Hide Text") */
void
_dossier_gui_name_icon_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (child))))
        {
          sync_tooltip_name (child);
          g_signal_connect (child, "notify::tooltip-text", G_CALLBACK (sync_tooltip_name), NULL);
        }
      _dossier_gui_name_icon_buttons (child);
    }
}

/* The dropdown and the toggle a screen reader lands on inside it */
void
_dossier_gui_name_dropdown (GtkWidget  *dropdown,
                            const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  for (GtkWidget *child = gtk_widget_get_first_child (dropdown);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
}

/* A toast's close button is icon-only: without a tooltip on libadwaita
 * 1.2, with one (a description, not a name) on 1.7 */
static void
name_close_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (child))))
        {
          const char *tooltip = gtk_widget_get_tooltip_text (child);

          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          tooltip != NULL ? tooltip : _("Dismiss"),
                                          -1);
        }
      name_close_buttons (child);
    }
}

static void
on_overlay_children_changed (GListModel *children,
                             guint       position,
                             guint       removed,
                             guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) child = g_list_model_get_item (children, i);

      name_close_buttons (child);
    }
}

/* The toasts OVERLAY shows, now and later, have a named close button */
void
_dossier_gui_name_toast_buttons (GtkWidget *overlay)
{
  GListModel *children;

  if (g_object_get_data (G_OBJECT (overlay), "dossier-toast-names") != NULL)
    return;

  children = gtk_widget_observe_children (overlay);
  g_signal_connect (children, "items-changed", G_CALLBACK (on_overlay_children_changed), NULL);
  g_object_set_data_full (G_OBJECT (overlay), "dossier-toast-names", children, g_object_unref);
  name_close_buttons (overlay);
}
