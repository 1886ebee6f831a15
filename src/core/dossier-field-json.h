/* dossier-field-json.h: the value of a JSON field whose keys are listed
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-field.h"

G_BEGIN_DECLS

char  *dossier_field_json_build (DossierField       *field,
                                 const char * const *texts);
char **dossier_field_json_split (DossierField       *field,
                                 const char         *value);

G_END_DECLS
