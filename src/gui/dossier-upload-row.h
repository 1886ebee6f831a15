/* dossier-upload-row.h: one document being sent, and what came back
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-submission.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_UPLOAD_ROW (dossier_upload_row_get_type ())
G_DECLARE_FINAL_TYPE (DossierUploadRow, dossier_upload_row, DOSSIER, UPLOAD_ROW, AdwBin)

GtkWidget     *dossier_upload_row_new              (void);
void           dossier_upload_row_bind             (DossierUploadRow  *self,
                                                    DossierSubmission *submission,
                                                    DossierUpload     *upload);
DossierUpload *dossier_upload_row_get_upload       (DossierUploadRow  *self);

/* for tests: what the row shows */
const char    *dossier_upload_row_get_state_text   (DossierUploadRow  *self);
const char    *dossier_upload_row_get_remote_id    (DossierUploadRow  *self);
const char    *dossier_upload_row_get_link         (DossierUploadRow  *self);
const char    *dossier_upload_row_get_details_text (DossierUploadRow  *self);
const char    *dossier_upload_row_get_problem_text (DossierUploadRow  *self);
GtkWidget     *dossier_upload_row_get_cancel_button (DossierUploadRow *self);
GtkWidget     *dossier_upload_row_get_retry_button  (DossierUploadRow *self);
GtkWidget     *dossier_upload_row_get_resend_button (DossierUploadRow *self);
gboolean       dossier_upload_row_answer_resend     (DossierUploadRow *self,
                                                     const char       *response);
GtkWidget     *dossier_upload_row_get_copy_button   (DossierUploadRow *self);

G_END_DECLS
