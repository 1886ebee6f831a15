/* dossier-gui-util.h: small helpers over the core models for the widgets
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-upload.h"

G_BEGIN_DECLS

const char *dossier_gui_state_label         (guint               state);
guint       dossier_gui_get_uint            (gpointer            object,
                                             const char         *property);
gboolean    dossier_gui_get_boolean         (gpointer            object,
                                             const char         *property);
void        dossier_gui_watch_properties    (GSignalGroup       *group,
                                             const char * const *properties,
                                             GCallback           callback,
                                             gpointer            data);
/* Sets a label's text, or a status class ("success", "error", "warning",
 * "dim-label") in place of the others, only when it changes: a new text
 * measures the row again, a change of classes restyles it */
void        dossier_gui_set_label_text      (GtkWidget          *label,
                                             const char         *text);
void        dossier_gui_set_status_class    (GtkWidget          *widget,
                                             const char         *status_class);

G_END_DECLS
