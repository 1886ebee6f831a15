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

/* The descriptor readers of dossier-field.c, shared with the provider parser */
gboolean      _dossier_descriptor_read_string (JsonObject         *object,
                                               const char         *member,
                                               gboolean            required,
                                               char              **out,
                                               DossierLocateFunc   locate,
                                               gpointer            locate_data,
                                               GError            **error);
gboolean      _dossier_descriptor_read_bool   (JsonObject         *object,
                                               const char         *member,
                                               gboolean           *out,
                                               DossierLocateFunc   locate,
                                               gpointer            locate_data,
                                               GError            **error);
gboolean      _dossier_descriptor_read_strv   (JsonObject         *object,
                                               const char         *member,
                                               GStrv              *out,
                                               DossierLocateFunc   locate,
                                               gpointer            locate_data,
                                               GError            **error);
gboolean      _dossier_descriptor_fail        (GError            **error,
                                               DossierLocateFunc   locate,
                                               gpointer            locate_data,
                                               JsonObject         *object,
                                               const char         *member,
                                               const char         *message);

gboolean      _dossier_descriptor_check_members (JsonObject         *object,
                                                 const char * const *known,
                                                 DossierLocateFunc   locate,
                                                 gpointer            locate_data,
                                                 GError            **error);

G_END_DECLS
