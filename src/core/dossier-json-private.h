/* dossier-json-private.h: the small readers and writers of Dossier's own files
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One home for what the history, the queue file and the results do alike
 * with a JSON object: read a member only if it has the expected type, and
 * leave out a member that has no value.
 */

#pragma once

#include "dossier-json.h"

G_BEGIN_DECLS

/* @member of @object if it is a string, else NULL (missing, null, a number…) */
const char *_dossier_json_get_string (JsonObject   *object,
                                      const char   *member);
/* The same, copied */
char       *_dossier_json_dup_string (JsonObject   *object,
                                      const char   *member);
/* An ISO 8601 time in @member, as UTC; FALSE (and *out NULL) if it is
 * missing or not a time */
gboolean    _dossier_json_read_time  (JsonObject   *object,
                                      const char   *member,
                                      GDateTime   **out);

/* A string member; nothing when @value is NULL */
void        _dossier_json_add_string (JsonBuilder  *builder,
                                      const char   *name,
                                      const char   *value);
/* An ISO 8601 time member; nothing when @time is NULL */
void        _dossier_json_add_time   (JsonBuilder  *builder,
                                      const char   *name,
                                      GDateTime    *time);

G_END_DECLS
