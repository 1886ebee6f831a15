/* dossier-export-dialog.c: the audit export, from the window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STAND-IN for the merchant GUI branch (see dossier-export-dialog.h): an
 * empty window with the right title. Take the other branch's file.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-export-dialog.h"

GtkWindow *
dossier_export_dialog_new (GtkWindow            *parent,
                           GListModel           *history,
                           DossierMerchantStore *store,
                           DossierMerchant      *merchant,
                           GPtrArray            *checklists)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_window_set_title (GTK_WINDOW (window), "Export");
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), adw_status_page_new ());
  adw_window_set_content (ADW_WINDOW (window), box);
  return GTK_WINDOW (window);
}
