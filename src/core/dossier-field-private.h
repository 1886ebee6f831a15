/* dossier-field-private.h
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-field.h"

G_BEGIN_DECLS

typedef char *(*DossierLocateFunc) (JsonObject *object,
                                    const char *member,
                                    gpointer    user_data);

void          _dossier_translate_in_place  (char              **text);

DossierField *_dossier_field_new_from_json (JsonObject         *object,
                                            DossierLocateFunc   locate,
                                            gpointer            locate_data,
                                            GError            **error);

G_END_DECLS
