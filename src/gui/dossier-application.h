/* dossier-application.h
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-catalogue.h"
#include "dossier-follow-up-gui.h"
#include "dossier-merchant-store.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_APPLICATION (dossier_application_get_type ())
G_DECLARE_FINAL_TYPE (DossierApplication, dossier_application, DOSSIER, APPLICATION, AdwApplication)

DossierApplication *dossier_application_new                 (void);
DossierCatalogue   *dossier_application_get_catalogue       (DossierApplication *self);
GSettings          *dossier_application_get_settings        (DossierApplication *self);
const char         *dossier_application_get_sandbox_url     (DossierApplication *self);
const char         *dossier_application_get_sandbox_problem (DossierApplication *self);
DossierFollowUpGui *dossier_application_get_follow_up       (DossierApplication *self);
/* The merchants, read on a worker from the application's start on (see
 * "loaded"); every window shows this one store */
DossierMerchantStore *dossier_application_get_merchant_store (DossierApplication *self);
void                dossier_application_set_sandbox_url     (DossierApplication *self,
                                                             const char         *sandbox_url);

G_END_DECLS
