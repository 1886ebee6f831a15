/* dossier-auth-private.h: pure pieces of token handling, for tests
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-auth.h"

G_BEGIN_DECLS

/* The "exp" claim of a JWT (Unix seconds), or 0 when @jwt is not a JWT or
 * has no usable "exp". The signature is not checked: the token is only
 * passed on, this is just a hint for caching. */
gint64   dossier_auth_parse_jwt_expiry     (const char *jwt);

/* The expiry (Unix seconds) an OAuth2 token response announces through
 * @expires_in (a number or a numeric string; NULL when absent), received at
 * @now (Unix seconds). A value above 1e9 is a Unix timestamp, otherwise a
 * number of seconds; absent or unusable means five minutes. */
gint64   dossier_auth_parse_expires_in     (JsonNode   *expires_in,
                                            gint64      now);

/* The provider's own error message in a JSON error body, or NULL: OAuth2's
 * error_description, then where @spec (nullable) says the message is
 * ("message"), then "message" and OAuth2's "error", then @spec's
 * "field_errors". */
char    *dossier_auth_parse_error_message  (const char                *body,
                                            gsize                      length,
                                            const DossierResponseSpec *spec);


G_END_DECLS
