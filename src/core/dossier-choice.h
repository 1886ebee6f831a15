/* dossier-choice.h
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-types.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_CHOICE (dossier_choice_get_type ())
G_DECLARE_FINAL_TYPE (DossierChoice, dossier_choice, DOSSIER, CHOICE, GObject)

DossierChoice      *dossier_choice_new          (const char         *value,
                                                 const char         *label,
                                                 const char * const *keywords);
const char         *dossier_choice_get_value    (DossierChoice      *self);
const char         *dossier_choice_get_label    (DossierChoice      *self);
const char         *dossier_choice_get_display  (DossierChoice      *self);
const char * const *dossier_choice_get_keywords (DossierChoice      *self);

G_END_DECLS
