/* dossier-choice-widgets.h: dropdowns over a field's choices
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-field.h"

G_BEGIN_DECLS

guint               dossier_gui_choice_position       (GListModel   *choices,
                                                       const char   *value);
const char         *dossier_gui_choice_value_at       (GListModel   *choices,
                                                       guint         position);
GtkListItemFactory *dossier_gui_choice_button_factory (void);
GtkListItemFactory *dossier_gui_choice_list_factory   (void);
GtkListItemFactory *dossier_gui_choice_compact_factory (void);
void                dossier_gui_choice_compact_label  (GtkLabel     *label);
GListModel         *dossier_gui_choice_model_new      (GListModel   *choices);
GtkWidget          *dossier_gui_choice_dropdown_new   (DossierField *field);

G_END_DECLS
