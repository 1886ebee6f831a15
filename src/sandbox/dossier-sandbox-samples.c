/* dossier-sandbox-samples.c: the credentials and account values the sandbox accepts, published
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dossier-sandbox-private.h"

const char *
dossier_sandbox_get_credentials_text (void)
{
  return
    "Sandbox credentials (accepted only by this local sandbox):\n"
    "  DOKU     Client-Id " DOSSIER_SANDBOX_DOKU_CLIENT_ID
    ", Secret Key " DOSSIER_SANDBOX_DOKU_SECRET_KEY
    " (or the static token " DOSSIER_SANDBOX_DOKU_TOKEN ")\n"
    "  Kore.ai  x-api-key " DOSSIER_SANDBOX_KORE_API_KEY "\n"
    "  Moov     client id " DOSSIER_SANDBOX_MOOV_CLIENT_ID
    ", secret " DOSSIER_SANDBOX_MOOV_CLIENT_SECRET
    " (or the static token " DOSSIER_SANDBOX_MOOV_TOKEN ")\n"
    "           example account " DOSSIER_SANDBOX_MOOV_ACCOUNT_ID
    " (any UUID is an account, except the nil UUID;\n"
    "           each starts with document requirements due)\n"
    "  receeve  client id " DOSSIER_SANDBOX_RECEEVE_CLIENT_ID
    ", secret " DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET
    " (or the static token " DOSSIER_SANDBOX_RECEEVE_TOKEN ")\n";
}

static const DossierSandboxSample samples[] = {
  { "doku", DOSSIER_SANDBOX_DOKU_TOKEN,
    DOSSIER_SANDBOX_DOKU_CLIENT_ID, DOSSIER_SANDBOX_DOKU_SECRET_KEY, { NULL },
    { "businessType", "PERSONAL", "businessLegalEntity", "PERSEORANGAN",
      "brandBusinessLine", "RETAIL", "businessContactNationality", "ID", NULL } },
  { "kore", DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL, { NULL } },
  { "moov", DOSSIER_SANDBOX_MOOV_TOKEN,
    DOSSIER_SANDBOX_MOOV_CLIENT_ID, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET,
    { "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, NULL } },
  { "receeve", DOSSIER_SANDBOX_RECEEVE_TOKEN,
    DOSSIER_SANDBOX_RECEEVE_CLIENT_ID, DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET,
    { "clientId", DOSSIER_SANDBOX_RECEEVE_CLIENT_ID,
      "accountId", DOSSIER_SANDBOX_RECEEVE_ACCOUNT_ID, NULL } },
};

/**
 * dossier_sandbox_lookup_sample:
 * @provider_id: a provider's id
 *
 * The credentials and account values the sandbox accepts for @provider_id,
 * published so the app and the CLI fill in exactly what the sandbox takes.
 *
 * Returns: (nullable): the sample, or %NULL for a provider the sandbox does
 *   not emulate
 */
const DossierSandboxSample *
dossier_sandbox_lookup_sample (const char *provider_id)
{
  for (guint i = 0; provider_id != NULL && i < G_N_ELEMENTS (samples); i++)
    if (g_str_equal (samples[i].provider_id, provider_id))
      return &samples[i];
  return NULL;
}

static const char *
lookup_pair (const char * const *pairs,
             const char         *name)
{
  for (guint i = 0; name != NULL && pairs[i] != NULL; i += 2)
    if (g_str_equal (pairs[i], name))
      return pairs[i + 1];
  return NULL;
}

/* The sample value of the account field @field, or NULL */
const char *
dossier_sandbox_sample_lookup_value (const DossierSandboxSample *sample,
                                     const char                 *field)
{
  return sample != NULL ? lookup_pair (sample->values, field) : NULL;
}

/* The sample value of the requirements parameter @name (DOKU's
 * businessType...), or NULL */
const char *
dossier_sandbox_sample_lookup_requirement (const DossierSandboxSample *sample,
                                           const char                 *name)
{
  return sample != NULL ? lookup_pair (sample->requirements, name) : NULL;
}
