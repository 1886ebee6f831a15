/* dossier-field-editor.h: the right row for one descriptor field
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-field.h"

G_BEGIN_DECLS

/* Builds and drives the row for a DossierField: an AdwComboRow for short
 * choice lists, a row with a searchable GtkDropDown for long ones, an
 * AdwExpanderRow with an AdwEntryRow per key for a JSON field whose keys
 * the descriptor lists (the value is the JSON object of the keys filled
 * in), and an AdwEntryRow with inline validation for text, other JSON and
 * URLs.  "value" follows what the user picks or types. */
#define DOSSIER_TYPE_FIELD_EDITOR (dossier_field_editor_get_type ())
G_DECLARE_FINAL_TYPE (DossierFieldEditor, dossier_field_editor, DOSSIER, FIELD_EDITOR, GObject)

DossierFieldEditor *dossier_field_editor_new         (DossierField       *field);
DossierField       *dossier_field_editor_get_field   (DossierFieldEditor *self);
GtkWidget          *dossier_field_editor_get_row     (DossierFieldEditor *self);
const char         *dossier_field_editor_get_value   (DossierFieldEditor *self);
void                dossier_field_editor_set_value   (DossierFieldEditor *self,
                                                      const char         *value);
const char         *dossier_field_editor_get_problem (DossierFieldEditor *self);
GtkWidget          *dossier_field_editor_get_key_row (DossierFieldEditor *self,
                                                      const char         *key);

G_END_DECLS
