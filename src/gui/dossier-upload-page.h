/* dossier-upload-page.h: step 4, progress and results
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-submission.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_UPLOAD_PAGE (dossier_upload_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierUploadPage, dossier_upload_page, DOSSIER, UPLOAD_PAGE, AdwBin)

void       dossier_upload_page_set_submission (DossierUploadPage *self,
                                               DossierSubmission *submission);

/* for tests */
GtkWidget *dossier_upload_page_get_list_view     (DossierUploadPage *self);
GtkWidget *dossier_upload_page_get_cancel_button (DossierUploadPage *self);
GtkWidget *dossier_upload_page_get_history_button (DossierUploadPage *self);
const char *dossier_upload_page_get_summary      (DossierUploadPage *self);

G_END_DECLS
