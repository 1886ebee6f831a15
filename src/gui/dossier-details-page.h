/* dossier-details-page.h: step 2, the provider's document choices
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-field-editor.h"
#include "dossier-submission.h"

G_BEGIN_DECLS

/* Signal "changed": what Next depends on may have changed. */
#define DOSSIER_TYPE_DETAILS_PAGE (dossier_details_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierDetailsPage, dossier_details_page, DOSSIER, DETAILS_PAGE, AdwBin)

void                dossier_details_page_set_submission (DossierDetailsPage *self,
                                                         DossierSubmission  *submission);
gboolean            dossier_details_page_is_ready       (DossierDetailsPage *self,
                                                         char              **out_reason);
DossierFieldEditor *dossier_details_page_get_editor     (DossierDetailsPage *self,
                                                         const char         *name);

G_END_DECLS
