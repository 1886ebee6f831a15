/* dossier-follow-up-private.h: what the follow-up's files share
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-follow-up.h"
#include "dossier-json.h"
#include "dossier-types.h"

G_BEGIN_DECLS

/* The root of @answer read with @parser (bounded), or NULL with @error
 * naming @provider */
JsonNode   *_dossier_follow_up_parse      (DossierProvider *provider,
                                           JsonParser      *parser,
                                           GBytes          *answer,
                                           GError         **error);
JsonObject *_dossier_follow_up_get_object (JsonObject      *object,
                                           const char      *member);

G_END_DECLS
