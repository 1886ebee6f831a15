/* dossier-window-private.h: what the GUI tests reach into
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-step-indicator.h"
#include "dossier-submission.h"
#include "dossier-window.h"

G_BEGIN_DECLS

typedef enum
{
  DOSSIER_STEP_PROVIDER,
  DOSSIER_STEP_DETAILS,
  DOSSIER_STEP_FILES,
  DOSSIER_STEP_UPLOAD,
} DossierStep;

DossierSubmission *dossier_window_get_submission  (DossierWindow *self);
DossierStep        dossier_window_get_step        (DossierWindow *self);
GtkWidget         *dossier_window_get_page        (DossierWindow *self,
                                                   DossierStep    step);
GtkWidget         *dossier_window_get_next_button (DossierWindow *self);
GtkWidget         *dossier_window_get_back_button (DossierWindow *self);
const char        *dossier_window_get_subtitle    (DossierWindow *self);
const char        *dossier_window_get_last_toast  (DossierWindow *self);
DossierStepIndicator *dossier_window_get_step_indicator (DossierWindow *self);
/* the offer to restore a last session's files: its text while shown */
const char        *dossier_window_get_restore_text   (DossierWindow *self);
GtkWidget         *dossier_window_get_restore_button (DossierWindow *self);
GtkWidget         *dossier_window_get_discard_button (DossierWindow *self);
/* the message that the history could not record an upload, while shown */
const char        *dossier_window_get_record_error_text (DossierWindow *self);

G_END_DECLS
