/* dossier-step-indicator.h: "1 Provider — 2 Details — 3 Files — 4 Upload"
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOSSIER_N_STEPS 4

#define DOSSIER_TYPE_STEP_INDICATOR (dossier_step_indicator_get_type ())
G_DECLARE_FINAL_TYPE (DossierStepIndicator, dossier_step_indicator, DOSSIER, STEP_INDICATOR, AdwBin)

guint       dossier_step_indicator_get_step       (DossierStepIndicator *self);
void        dossier_step_indicator_set_step       (DossierStepIndicator *self,
                                                   guint                 step);
const char *dossier_step_indicator_get_step_title (guint                 step);
const char *dossier_step_indicator_get_short_text (DossierStepIndicator *self);
gboolean    dossier_step_indicator_is_narrow      (DossierStepIndicator *self);

G_END_DECLS
