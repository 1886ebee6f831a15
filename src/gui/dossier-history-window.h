/* dossier-history-window.h: the uploads that finished, with their ids and links
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-catalogue.h"
#include "dossier-history.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_HISTORY_WINDOW (dossier_history_window_get_type ())
G_DECLARE_FINAL_TYPE (DossierHistoryWindow, dossier_history_window, DOSSIER, HISTORY_WINDOW, AdwWindow)

/* @catalogue (nullable): to show environments by name */
GtkWidget  *dossier_history_window_new            (DossierHistory       *history,
                                                   DossierCatalogue     *catalogue);

/* for tests */
GtkWidget  *dossier_history_window_get_list_view  (DossierHistoryWindow *self);
const char *dossier_history_window_get_state      (DossierHistoryWindow *self);
void        dossier_history_window_set_search     (DossierHistoryWindow *self,
                                                   const char           *text);
guint       dossier_history_window_get_n_shown    (DossierHistoryWindow *self);
const char *dossier_history_window_get_last_toast (DossierHistoryWindow *self);

G_END_DECLS
