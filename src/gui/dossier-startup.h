/* dossier-startup.h: what must not hold back the window's first frame
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GThread *_dossier_startup_run_beside        (GThreadFunc  func,
                                             gpointer     data);
void     _dossier_startup_watch_first_frame (GtkWindow   *window);
void     _dossier_startup_add_help_overlay  (GtkApplicationWindow *window);

G_END_DECLS
