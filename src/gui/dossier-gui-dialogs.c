/* dossier-gui-dialogs.c: asking before a destructive step, opening a link outside
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dossier-gui-dialogs.h"

#if GTK_CHECK_VERSION (4, 10, 0)
static void
launch_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error)
      && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_message ("Could not open the link: %s", error->message);
}
#endif

void
dossier_gui_open_uri (GtkWidget  *widget,
                      const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

  g_return_if_fail (uri != NULL);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

    gtk_uri_launcher_launch (launcher, window, NULL, launch_done, NULL);
  }
#else
  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
#endif
}

/**
 * dossier_gui_ask_destructive:
 * @parent: the widget the question is about
 * @response: the id of the destructive answer (the other one is "cancel",
 *   also the default and what closing the dialog means)
 * @label: its mnemonic label, e.g. "_Send Again"
 *
 * Asks before something that cannot be undone: an AdwAlertDialog where
 * libadwaita has it (1.5), an AdwMessageDialog before. Its "response"
 * signal has the same arguments on both: (dialog, response id, data).
 *
 * Returns: (transfer none): the dialog, already presented
 */
GtkWidget *
dossier_gui_ask_destructive (GtkWidget  *parent,
                             const char *heading,
                             const char *body,
                             const char *response,
                             const char *label)
{
  /* AdwMessageDialog is deprecated from libadwaita 1.6 on */
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *dialog = adw_alert_dialog_new (heading, body);

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  response, label,
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), response,
                                            ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_dialog_present (dialog, parent);

  return GTK_WIDGET (dialog);
#else
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
#endif
}
