/* dossier-validate.h: everything checked before a byte is sent
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-provider.h"

G_BEGIN_DECLS

/**
 * DossierValidateScope:
 * @DOSSIER_VALIDATE_SCOPE_ALL: every field, account and document
 * @DOSSIER_VALIDATE_SCOPE_ACCOUNT: the account fields only (step 1)
 * @DOSSIER_VALIDATE_SCOPE_DEFAULTS: every field, but a document choice each
 *   file carries (DOKU category and code) may be unset: the batch's default
 *   is optional where each file gets its own (step 2)
 */
typedef enum
{
  DOSSIER_VALIDATE_SCOPE_ALL,
  DOSSIER_VALIDATE_SCOPE_ACCOUNT,
  DOSSIER_VALIDATE_SCOPE_DEFAULTS,
} DossierValidateScope;

gboolean    dossier_provider_validate_values (DossierProvider      *provider,
                                              GHashTable           *values,
                                              DossierValidateScope  scope,
                                              GError              **error);
gboolean    dossier_provider_validate_file   (DossierProvider  *provider,
                                              GFile            *file,
                                              goffset          *out_size,
                                              char            **out_content_type,
                                              GCancellable     *cancellable,
                                              GError          **error);
gboolean    dossier_provider_validate_count  (DossierProvider  *provider,
                                              guint             n_files,
                                              GError          **error);
GHashTable *dossier_provider_suggest_values  (DossierProvider  *provider,
                                              const char       *filename);
char       *dossier_provider_describe_accepted (DossierProvider *provider);

G_END_DECLS
