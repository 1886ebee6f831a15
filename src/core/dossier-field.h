/* dossier-field.h
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-types.h"
#include "dossier-enums.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_FIELD (dossier_field_get_type ())
G_DECLARE_FINAL_TYPE (DossierField, dossier_field, DOSSIER, FIELD, GObject)

const char           *dossier_field_get_name             (DossierField *self);
const char           *dossier_field_get_label            (DossierField *self);
const char           *dossier_field_get_description      (DossierField *self);
DossierFieldType      dossier_field_get_field_type       (DossierField *self);
DossierFieldLocation  dossier_field_get_location         (DossierField *self);
DossierFieldScope     dossier_field_get_scope            (DossierField *self);
gboolean              dossier_field_get_required         (DossierField *self);
const char           *dossier_field_get_default_value    (DossierField *self);
gboolean              dossier_field_get_searchable       (DossierField *self);
gboolean              dossier_field_get_open             (DossierField *self);
GListModel           *dossier_field_get_choices          (DossierField *self);
DossierChoice        *dossier_field_lookup_choice        (DossierField *self,
                                                          const char   *value);
const char           *dossier_field_get_pattern_hint     (DossierField *self);
const char * const   *dossier_field_get_json_keys        (DossierField *self);
const char           *dossier_field_get_condition_field  (DossierField *self);
const char * const   *dossier_field_get_condition_values (DossierField *self);
gboolean              dossier_field_is_active            (DossierField *self,
                                                          GHashTable   *values);
gboolean              dossier_field_validate             (DossierField *self,
                                                          const char   *value,
                                                          GError      **error);

G_END_DECLS
