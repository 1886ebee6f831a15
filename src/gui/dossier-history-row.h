/* dossier-history-row.h: one finished upload in the history window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-history.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_HISTORY_ROW (dossier_history_row_get_type ())
G_DECLARE_FINAL_TYPE (DossierHistoryRow, dossier_history_row, DOSSIER, HISTORY_ROW, AdwBin)

GtkWidget           *dossier_history_row_new              (void);
/* @environment_name: the environment as shown ("Sandbox"), or NULL */
void                 dossier_history_row_bind             (DossierHistoryRow   *self,
                                                           DossierHistoryEntry *entry,
                                                           const char          *environment_name);

/* for tests */
DossierHistoryEntry *dossier_history_row_get_entry        (DossierHistoryRow   *self);
const char          *dossier_history_row_get_remote_id    (DossierHistoryRow   *self);
const char          *dossier_history_row_get_link         (DossierHistoryRow   *self);
const char          *dossier_history_row_get_subtitle     (DossierHistoryRow   *self);
const char          *dossier_history_row_get_details_text (DossierHistoryRow   *self);
GtkWidget           *dossier_history_row_get_copy_button  (DossierHistoryRow   *self);

G_END_DECLS
