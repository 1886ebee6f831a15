/* dossier-merchant-home.h: the window's home, the merchants and one merchant's page
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-merchant-list.h"
#include "dossier-merchant-page.h"
#include "dossier-needs-attention.h"

G_BEGIN_DECLS

/* The list beside the page; on a narrow window they fold into one column
 * (AdwLeaflet on libadwaita 1.2, AdwNavigationSplitView from 1.4 on). With
 * no merchant at all, an empty state offers New Merchant and an upload
 * without one; while the store reads its file, a loading page; when it
 * cannot, why. The list and the page are built when first shown or asked
 * for (dossier_merchant_home_get_list() / _get_page()); signal "built"
 * then. */
#define DOSSIER_TYPE_MERCHANT_HOME (dossier_merchant_home_get_type ())
G_DECLARE_FINAL_TYPE (DossierMerchantHome, dossier_merchant_home, DOSSIER, MERCHANT_HOME, AdwBin)

DossierMerchantHome *dossier_merchant_home_new          (DossierCatalogue     *catalogue,
                                                         DossierMerchantStore *store,
                                                         GListModel           *history,
                                                         const char           *sandbox_url,
                                                         GMenuModel           *primary_menu);
/* from libadwaita 1.4 on, the window's breakpoint that folds the view;
 * then the home follows the store (connect to "built" before) */
void                 dossier_merchant_home_attach       (DossierMerchantHome  *self,
                                                         AdwApplicationWindow *window);
/* "loading", "empty", "merchants" or "failed" */
const char          *dossier_merchant_home_get_state    (DossierMerchantHome  *self);
gboolean             dossier_merchant_home_is_built     (DossierMerchantHome  *self);
DossierMerchantList *dossier_merchant_home_get_list     (DossierMerchantHome  *self);
DossierMerchantPage *dossier_merchant_home_get_page     (DossierMerchantHome  *self);
void                 dossier_merchant_home_show_merchant (DossierMerchantHome *self,
                                                          DossierMerchant     *merchant);
/* folded: back to the list; FALSE when the list is already in view */
gboolean             dossier_merchant_home_show_list    (DossierMerchantHome  *self);
gboolean             dossier_merchant_home_get_folded   (DossierMerchantHome  *self);
gboolean             dossier_merchant_home_get_page_shown (DossierMerchantHome *self);
gboolean             dossier_merchant_home_is_empty     (DossierMerchantHome  *self);
void                 dossier_merchant_home_add_attention (DossierMerchantHome   *self,
                                                          DossierNeedsAttention *attention);
void                 dossier_merchant_home_show_attention (DossierMerchantHome *self);
gboolean             dossier_merchant_home_get_attention_shown (DossierMerchantHome *self);

G_END_DECLS
