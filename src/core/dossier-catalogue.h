/* dossier-catalogue.h
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-provider.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_CATALOGUE (dossier_catalogue_get_type ())
G_DECLARE_FINAL_TYPE (DossierCatalogue, dossier_catalogue, DOSSIER, CATALOGUE, GObject)

DossierCatalogue   *dossier_catalogue_new            (void);
DossierCatalogue   *dossier_catalogue_new_default    (void);
gboolean            dossier_catalogue_load_builtin   (DossierCatalogue  *self,
                                                      GError           **error);
void                dossier_catalogue_load_directory (DossierCatalogue  *self,
                                                      const char        *directory);
gboolean            dossier_catalogue_add_data       (DossierCatalogue  *self,
                                                      const char        *data,
                                                      gssize             length,
                                                      const char        *source,
                                                      GError           **error);
DossierProvider    *dossier_catalogue_lookup         (DossierCatalogue  *self,
                                                      const char        *id);
const char * const *dossier_catalogue_get_problems   (DossierCatalogue  *self);
const char * const *dossier_catalogue_get_notices    (DossierCatalogue  *self);
char               *dossier_catalogue_user_directory (void);

G_END_DECLS
