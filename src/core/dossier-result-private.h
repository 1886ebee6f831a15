/* dossier-result-private.h: what only the engine sets on a result
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "dossier-result.h"

G_BEGIN_DECLS

/* The provider's answer read into a result (see dossier-result.c) */
DossierResult *dossier_result_parse             (DossierProvider     *provider,
                                                 guint                http_status,
                                                 SoupMessageHeaders  *headers,
                                                 GBytes              *body,
                                                 GDateTime           *now);
/* The provider's name, for sentences such as "Moov refused the file" */
const char    *dossier_result_get_provider_name (const DossierResult *self);
void           dossier_result_set_provider_name (DossierResult       *self,
                                                 const char          *name);
/* A result for an answer that never came (network error, file error) */
DossierResult *dossier_result_new_for_error     (DossierProvider     *provider,
                                                 const GError        *error);
/* The first of @paths ("errors.0.msg") that holds a string or a number */
char          *dossier_json_lookup_path         (JsonNode            *root,
                                                 const char * const  *paths);

/* What a status means when the answer says nothing, e.g. 429: "Too many
 * requests; try again in a minute" */
char          *dossier_result_describe_status   (guint                http_status,
                                                 SoupMessageHeaders  *headers,
                                                 GDateTime           *now);

G_END_DECLS
