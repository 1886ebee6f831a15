/* dossier-checklist-view.h: one provider's checklist for one merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STAND-IN for the merchant GUI branch: the checklist view is built on
 * another branch; this minimal one (sandbox environment only) lets the
 * merchant page compile and be tested. Take the other branch's file.
 */

#pragma once

#include <adwaita.h>

#include "dossier-checklist.h"
#include "dossier-client.h"
#include "dossier-merchant-store.h"

G_BEGIN_DECLS

/* Signals: "upload-requested" (DossierChecklistItem), "refreshed" */
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

G_END_DECLS
