/* dossier-json.h: reading JSON from outside, within bounds
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib 1.6 parses recursively and overflows the stack at about 80,000
 * levels; no document Dossier reads needs more than a handful */
#define DOSSIER_JSON_MAX_DEPTH 64

#define DOSSIER_JSON_ERROR (dossier_json_error_quark ())

/**
 * DossierJsonError:
 * @DOSSIER_JSON_ERROR_TOO_DEEP: arrays and objects nest deeper than allowed
 * @DOSSIER_JSON_ERROR_TOO_LARGE: the text is longer than allowed
 * @DOSSIER_JSON_ERROR_INVALID: something outside a string that JSON never has
 *
 * Syntax errors found while parsing keep json-glib's own #JSON_PARSER_ERROR.
 */
typedef enum
{
  DOSSIER_JSON_ERROR_TOO_DEEP,
  DOSSIER_JSON_ERROR_TOO_LARGE,
  DOSSIER_JSON_ERROR_INVALID,
} DossierJsonError;

GQuark   dossier_json_error_quark (void);

gboolean dossier_json_check_depth (const char  *data,
                                   gsize        length,
                                   guint        max_depth,
                                   GError     **error);

gboolean dossier_json_load        (JsonParser  *parser,
                                   const char  *data,
                                   gssize       length,
                                   gsize        max_size,
                                   GError     **error);

G_END_DECLS
