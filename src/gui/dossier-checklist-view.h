/* dossier-checklist-view.h: one provider's checklist for a merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-checklist.h"
#include "dossier-client.h"
#include "dossier-merchant-store.h"

G_BEGIN_DECLS

/* Signals:
 *   upload-requested (DossierChecklistItem *item): "Upload" on an item
 *   refreshed (): the checklist was computed again (asked, or from the
 *     answers the once-a-minute limit kept)
 */
#define DOSSIER_TYPE_CHECKLIST_VIEW (dossier_checklist_view_get_type ())
G_DECLARE_FINAL_TYPE (DossierChecklistView, dossier_checklist_view, DOSSIER, CHECKLIST_VIEW, GtkWidget)

GtkWidget        *dossier_checklist_view_new             (DossierProvider      *provider,
                                                          DossierClient        *client,
                                                          GListModel           *history,
                                                          const char           *sandbox_url);
void              dossier_checklist_view_set_merchant    (DossierChecklistView *self,
                                                          DossierMerchantStore *store,
                                                          DossierMerchant      *merchant);
void              dossier_checklist_view_refresh         (DossierChecklistView *self);
DossierChecklist *dossier_checklist_view_get_checklist   (DossierChecklistView *self);
const char       *dossier_checklist_view_get_environment (DossierChecklistView *self);
/* Whether the provider is being asked (a spinner and Cancel show) */
gboolean          dossier_checklist_view_get_busy        (DossierChecklistView *self);
/* The sentence the view shows about the last refresh (a failure in the
 * provider's words, "checked 20 s ago"…), or NULL */
const char       *dossier_checklist_view_get_notice      (DossierChecklistView *self);

G_END_DECLS
