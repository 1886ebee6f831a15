/* dossier-keyring-policy.c: when credentials come from and go to the keyring
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rule, for every front end: the embedded sandbox's credentials are
 * public and never stored; credentials the user typed for a real
 * environment are saved when the user moves on with them (emptied ones
 * delete what was saved: see dossier_secrets_save_async()), and come back
 * from the keyring when that environment is chosen again. The keyring
 * itself is dossier-secrets.c.
 */

#include "config.h"

#include "dossier-keyring-policy.h"

/**
 * dossier_keyring_policy_source:
 * @environment: (nullable): the chosen environment
 *
 * Returns: where the environment's credentials come from
 */
DossierCredentialsSource
dossier_keyring_policy_source (const DossierEnvironment *environment)
{
  if (environment == NULL)
    return DOSSIER_CREDENTIALS_SOURCE_NONE;
  if (dossier_provider_is_sandbox_url (environment->base_url))
    return DOSSIER_CREDENTIALS_SOURCE_SANDBOX;
  /* an address the user gives ("") is a real environment */
  return DOSSIER_CREDENTIALS_SOURCE_KEYRING;
}

/**
 * dossier_keyring_policy_should_save:
 * @environment: (nullable): the environment the credentials are for
 * @typed: whether the user typed them (rather than their being loaded
 *   from the keyring or filled in from the sandbox)
 *
 * Returns: whether the credentials go to the keyring now that the user
 *   moves on with them: typed credentials for a real environment are saved
 */
gboolean
dossier_keyring_policy_should_save (const DossierEnvironment *environment,
                                    gboolean                  typed)
{
  return typed
         && dossier_keyring_policy_source (environment) == DOSSIER_CREDENTIALS_SOURCE_KEYRING;
}
