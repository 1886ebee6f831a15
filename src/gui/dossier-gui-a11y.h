/* dossier-gui-a11y.h: names a screen reader can say, where a widget gives none
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void _dossier_gui_name_icon_buttons (GtkWidget  *widget);
void _dossier_gui_name_dropdown     (GtkWidget  *dropdown,
                                     const char *name);
void _dossier_gui_name_toast_buttons (GtkWidget *overlay);

G_END_DECLS
