/* dossier-merchant-dialog.h: New Merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-merchant-store.h"

G_BEGIN_DECLS

/* A small modal window: name (required), reference, notes. Create adds the
 * merchant to the store and emits "created" (DossierMerchant), then closes. */
#define DOSSIER_TYPE_MERCHANT_DIALOG (dossier_merchant_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DossierMerchantDialog, dossier_merchant_dialog, DOSSIER, MERCHANT_DIALOG, AdwWindow)

DossierMerchantDialog *dossier_merchant_dialog_new (GtkWindow            *parent,
                                                    DossierMerchantStore *store);

/* for tests */
GtkEditable *dossier_merchant_dialog_get_name_row      (DossierMerchantDialog *self);
GtkEditable *dossier_merchant_dialog_get_reference_row (DossierMerchantDialog *self);
GtkWidget   *dossier_merchant_dialog_get_create_button (DossierMerchantDialog *self);
const char  *dossier_merchant_dialog_get_problem       (DossierMerchantDialog *self);

G_END_DECLS
