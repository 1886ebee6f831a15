/* dossier-keyring-policy.h: when credentials come from and go to the keyring
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-provider.h"

G_BEGIN_DECLS

/**
 * DossierCredentialsSource:
 * @DOSSIER_CREDENTIALS_SOURCE_NONE: no environment is chosen: none
 * @DOSSIER_CREDENTIALS_SOURCE_SANDBOX: the embedded sandbox's own sample
 *   credentials, published by the sandbox; never the keyring
 * @DOSSIER_CREDENTIALS_SOURCE_KEYRING: what the user's keyring holds for
 *   this provider and environment
 *
 * Where an environment's credentials come from when it is chosen.
 */
typedef enum
{
  DOSSIER_CREDENTIALS_SOURCE_NONE,
  DOSSIER_CREDENTIALS_SOURCE_SANDBOX,
  DOSSIER_CREDENTIALS_SOURCE_KEYRING,
} DossierCredentialsSource;

DossierCredentialsSource dossier_keyring_policy_source      (const DossierEnvironment *environment);
gboolean                 dossier_keyring_policy_should_save (const DossierEnvironment *environment,
                                                             gboolean                  typed);

G_END_DECLS
