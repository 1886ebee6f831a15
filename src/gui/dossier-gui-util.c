/* dossier-gui-util.c: small helpers over the core models for the widgets
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-util.h"

const char *
dossier_gui_state_label (guint state)
{
  switch ((DossierUploadState) state)
    {
    case DOSSIER_UPLOAD_STATE_READY:
      return _("Ready");
    case DOSSIER_UPLOAD_STATE_INVALID:
      return _("Needs attention");
    case DOSSIER_UPLOAD_STATE_QUEUED:
      return _("Waiting to start");
    case DOSSIER_UPLOAD_STATE_RUNNING:
      return _("Sending");
    case DOSSIER_UPLOAD_STATE_WAITING:
      return _("Waiting to retry");
    case DOSSIER_UPLOAD_STATE_DONE:
      return _("Sent");
    case DOSSIER_UPLOAD_STATE_FAILED:
      return _("Failed");
    case DOSSIER_UPLOAD_STATE_CANCELLED:
      return _("Cancelled");
    case DOSSIER_UPLOAD_STATE_UNKNOWN:
      /* Translators: sent whole, but no answer came: it may have arrived */
      return _("Outcome unknown");
    default:
      return "";
    }
}

/* The submission's counters are properties without getters. */
guint
dossier_gui_get_uint (gpointer    object,
                      const char *property)
{
  guint value = 0;

  g_object_get (object, property, &value, NULL);
  return value;
}

gboolean
dossier_gui_get_boolean (gpointer    object,
                         const char *property)
{
  gboolean value = FALSE;

  g_object_get (object, property, &value, NULL);
  return value;
}

/* Calls CALLBACK with DATA (and then the GParamSpec) whenever one of
 * PROPERTIES of the group's target changes: one notify::name connection
 * per property, following the target as it is set. */
void
dossier_gui_watch_properties (GSignalGroup       *group,
                              const char * const *properties,
                              GCallback           callback,
                              gpointer            data)
{
  g_return_if_fail (G_IS_SIGNAL_GROUP (group));

  for (guint i = 0; properties[i] != NULL; i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", properties[i], NULL);

      g_signal_group_connect_swapped (group, signal, callback, data);
    }
}

void
dossier_gui_set_label_text (GtkWidget  *label,
                            const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) != 0)
    gtk_label_set_label (GTK_LABEL (label), text);
}

void
dossier_gui_set_status_class (GtkWidget  *widget,
                              const char *status_class)
{
  static const char * const classes[] = { "success", "error", "warning", "dim-label", NULL };

  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (guint i = 0; classes[i] != NULL; i++)
    {
      gboolean wanted = g_strcmp0 (classes[i], status_class) == 0;

      if (wanted == gtk_widget_has_css_class (widget, classes[i]))
        continue;
      if (wanted)
        gtk_widget_add_css_class (widget, classes[i]);
      else
        gtk_widget_remove_css_class (widget, classes[i]);
    }
}
