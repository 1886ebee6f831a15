/* dossier-provider-page.h: step 1, provider, environment, credentials, account
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-catalogue.h"
#include "dossier-field-editor.h"
#include "dossier-submission.h"

G_BEGIN_DECLS

/* Signals: "provider-activated" (DossierProvider) when the clerk picks a
 * provider; "changed" when what Next depends on may have changed;
 * "keyring-problem" (string) when the keyring could not be used. */
#define DOSSIER_TYPE_PROVIDER_PAGE (dossier_provider_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierProviderPage, dossier_provider_page, DOSSIER, PROVIDER_PAGE, AdwBin)

void                dossier_provider_page_set_catalogue   (DossierProviderPage *self,
                                                           DossierCatalogue    *catalogue);
void                dossier_provider_page_set_submission  (DossierProviderPage *self,
                                                           DossierSubmission   *submission);
gboolean            dossier_provider_page_is_ready        (DossierProviderPage *self,
                                                           char               **out_reason);
void                dossier_provider_page_commit          (DossierProviderPage *self);
/* the merchant combo row's merchants (none: no row) */
void                dossier_provider_page_set_merchant_store (DossierProviderPage  *self,
                                                              DossierMerchantStore *store);

/* for tests */
GtkWidget          *dossier_provider_page_get_provider_row    (DossierProviderPage *self,
                                                               const char          *provider_id);
AdwComboRow        *dossier_provider_page_get_environment_row (DossierProviderPage *self);
GtkEditable        *dossier_provider_page_get_secret_row      (DossierProviderPage *self);
GtkEditable        *dossier_provider_page_get_client_id_row   (DossierProviderPage *self);
AdwComboRow        *dossier_provider_page_get_merchant_row    (DossierProviderPage *self);
DossierFieldEditor *dossier_provider_page_get_editor          (DossierProviderPage *self,
                                                               const char          *name);

G_END_DECLS
