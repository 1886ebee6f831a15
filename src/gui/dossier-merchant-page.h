/* dossier-merchant-page.h: one merchant, its account values, checklists and uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-catalogue.h"
#include "dossier-checklist-view.h"
#include "dossier-client.h"
#include "dossier-field-editor.h"
#include "dossier-follow-up-gui.h"
#include "dossier-merchant-follow-up.h"
#include "dossier-merchant-store.h"

G_BEGIN_DECLS

/* Signals:
 *   upload-requested (DossierChecklistView *view, DossierChecklistItem *item
 *     (nullable), GPtrArray *drops (nullable, DossierMerchantDrop)): Upload on
 *     an item, or files dropped and matched to the view's items
 *   changed: the record was saved (name, reference, account values)
 *   refreshed: a checklist was refreshed */
#define DOSSIER_TYPE_MERCHANT_PAGE (dossier_merchant_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierMerchantPage, dossier_merchant_page, DOSSIER, MERCHANT_PAGE, AdwBin)

GtkWidget       *dossier_merchant_page_new            (DossierCatalogue     *catalogue,
                                                       DossierMerchantStore *store,
                                                       DossierClient        *client,
                                                       GListModel           *history,
                                                       const char           *sandbox_url);
void             dossier_merchant_page_set_merchant   (DossierMerchantPage  *self,
                                                       DossierMerchant      *merchant);
DossierMerchant *dossier_merchant_page_get_merchant   (DossierMerchantPage  *self);
void             dossier_merchant_page_refresh        (DossierMerchantPage  *self);
void             dossier_merchant_page_save           (DossierMerchantPage  *self);
GPtrArray       *dossier_merchant_page_dup_checklists (DossierMerchantPage  *self);
AdwHeaderBar    *dossier_merchant_page_get_header_bar (DossierMerchantPage  *self);
GtkWidget       *dossier_merchant_page_get_back_button (DossierMerchantPage *self);
void             dossier_merchant_page_drop_files     (DossierMerchantPage  *self,
                                                       GSList               *files);
void             dossier_merchant_page_set_follow_up  (DossierMerchantPage  *self,
                                                       DossierFollowUpGui   *gui);
DossierMerchantFollowUp *dossier_merchant_page_get_follow_up (DossierMerchantPage *self);

/* for tests */
DossierFieldEditor   *dossier_merchant_page_get_editor         (DossierMerchantPage *self,
                                                                const char          *provider_id,
                                                                const char          *name);
DossierChecklistView *dossier_merchant_page_get_checklist_view (DossierMerchantPage *self,
                                                                const char          *provider_id);
GtkEditable          *dossier_merchant_page_get_name_row       (DossierMerchantPage *self);
guint                 dossier_merchant_page_get_n_recent       (DossierMerchantPage *self);

G_END_DECLS
