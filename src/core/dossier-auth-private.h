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

/* The provider's own error message in a JSON error body (DOKU
 * response_message, OAuth2 error_description/error, receeve message, Kore
 * errors[0].msg), or NULL. */
char    *dossier_auth_parse_error_message  (const char *body,
                                            gsize       length);

/* TRUE when @uri may be used: https, or http to a loopback host. */
gboolean dossier_auth_uri_is_allowed       (const char *uri,
                                            GError    **error);

G_END_DECLS
