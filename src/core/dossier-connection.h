/* dossier-connection.h: where a provider's environment is and the credentials to ask it with
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-credentials.h"
#include "dossier-keyring-policy.h"
#include "dossier-provider.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_CONNECTION (dossier_connection_get_type ())
G_DECLARE_FINAL_TYPE (DossierConnection, dossier_connection, DOSSIER, CONNECTION, GObject)

void                      dossier_connection_resolve_async   (DossierProvider     *provider,
                                                              const char          *environment_id,
                                                              const char          *sandbox_url,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
DossierConnection        *dossier_connection_resolve_finish  (GAsyncResult        *result,
                                                              GError             **error);

DossierProvider          *dossier_connection_get_provider    (DossierConnection   *self);
const DossierEnvironment *dossier_connection_get_environment (DossierConnection   *self);
const char               *dossier_connection_get_base_url    (DossierConnection   *self);
DossierCredentials       *dossier_connection_get_credentials (DossierConnection   *self);
DossierCredentialsSource  dossier_connection_get_source      (DossierConnection   *self);

G_END_DECLS
