/* dossier-credentials.h: what the user typed to prove who they are
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "dossier-provider.h"

G_BEGIN_DECLS

/* What the user typed: a token or key, or a client id and secret from which
 * a token is requested (where the provider has a token endpoint). A pasted
 * token always wins. Never logged, never written to files. */
#define DOSSIER_TYPE_CREDENTIALS (dossier_credentials_get_type ())
G_DECLARE_FINAL_TYPE (DossierCredentials, dossier_credentials, DOSSIER, CREDENTIALS, GObject)

DossierCredentials *dossier_credentials_new               (void);
const char         *dossier_credentials_get_secret        (DossierCredentials *self);
void                dossier_credentials_set_secret        (DossierCredentials *self,
                                                           const char         *secret);
const char         *dossier_credentials_get_client_id     (DossierCredentials *self);
void                dossier_credentials_set_client_id     (DossierCredentials *self,
                                                           const char         *client_id);
const char         *dossier_credentials_get_client_secret (DossierCredentials *self);
void                dossier_credentials_set_client_secret (DossierCredentials *self,
                                                           const char         *client_secret);
gboolean            dossier_credentials_is_usable         (DossierCredentials *self,
                                                           DossierProvider    *provider,
                                                           char              **out_missing);

G_END_DECLS
