/* dossier-secrets.h: credentials kept in the user's keyring
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-credentials.h"

G_BEGIN_DECLS

/* One keyring item per provider, environment and kind ("secret",
 * "client-id", "client-secret"). Empty values delete the item. */
void                dossier_secrets_save_async   (const char          *provider_id,
                                                  const char          *environment_id,
                                                  DossierCredentials  *credentials,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean            dossier_secrets_save_finish  (GAsyncResult        *result,
                                                  GError             **error);
void                dossier_secrets_load_async   (const char          *provider_id,
                                                  const char          *environment_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DossierCredentials *dossier_secrets_load_finish  (GAsyncResult        *result,
                                                  GError             **error);
void                dossier_secrets_clear_async  (const char          *provider_id,
                                                  const char          *environment_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean            dossier_secrets_clear_finish (GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
