/* dossier-merchant-list.h: the searchable list of merchants
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-catalogue.h"
#include "dossier-merchant-store.h"

G_BEGIN_DECLS

/* The sidebar: a header bar (New Merchant, search), a search bar and the
 * merchants (name, reference, one badge per provider checked: "2 missing",
 * "1 rejected", "complete"). Signal: "merchant-activated" (DossierMerchant). */
#define DOSSIER_TYPE_MERCHANT_LIST (dossier_merchant_list_get_type ())
G_DECLARE_FINAL_TYPE (DossierMerchantList, dossier_merchant_list, DOSSIER, MERCHANT_LIST, AdwBin)

GtkWidget    *dossier_merchant_list_new            (DossierCatalogue     *catalogue,
                                                    DossierMerchantStore *store);
void          dossier_merchant_list_select         (DossierMerchantList  *self,
                                                    DossierMerchant      *merchant);
void          dossier_merchant_list_update_badges  (DossierMerchantList  *self);
void          dossier_merchant_list_start_search   (DossierMerchantList  *self);
void          dossier_merchant_list_add_top        (DossierMerchantList  *self,
                                                    GtkWidget            *widget);
AdwHeaderBar *dossier_merchant_list_get_header_bar (DossierMerchantList  *self);

/* the badges text of a merchant's row ("Moov: 2 missing"), for tests */
char         *dossier_merchant_list_describe_row   (DossierMerchantList  *self,
                                                    DossierMerchant      *merchant);
GtkEditable  *dossier_merchant_list_get_search_entry (DossierMerchantList *self);
guint         dossier_merchant_list_get_n_shown    (DossierMerchantList  *self);

/* one provider's badge: "2 missing", "complete"; NULL when never checked */
char         *dossier_merchant_badge_text          (DossierMerchant      *merchant,
                                                    DossierProvider      *provider,
                                                    const char          **out_style);

G_END_DECLS
