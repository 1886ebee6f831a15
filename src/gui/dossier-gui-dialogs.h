/* dossier-gui-dialogs.h: asking before a destructive step, opening a link outside
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       dossier_gui_open_uri        (GtkWidget  *widget,
                                        const char *uri);
GtkWidget *dossier_gui_ask_destructive (GtkWidget  *parent,
                                        const char *heading,
                                        const char *body,
                                        const char *response,
                                        const char *label);

G_END_DECLS
