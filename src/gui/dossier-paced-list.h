/* dossier-paced-list.h: a list model that shows a long tail a slice a frame
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The items of another list model, but items appended at its end beyond
 * the first few are shown a slice per frame of @widget, while it is
 * mapped (a list view makes and lays out rows for each new item it shows:
 * a thousand at once froze the window). Any other change is passed on at
 * once. */
#define DOSSIER_TYPE_PACED_LIST (dossier_paced_list_get_type ())
G_DECLARE_FINAL_TYPE (DossierPacedList, dossier_paced_list, DOSSIER, PACED_LIST, GObject)

DossierPacedList *dossier_paced_list_new           (GListModel       *model,
                                                    GtkWidget        *widget);
/* How many items of the model are not shown yet */
guint             dossier_paced_list_get_n_pending (DossierPacedList *self);
/* Shows them all now */
void              dossier_paced_list_flush         (DossierPacedList *self);

G_END_DECLS
