/* dossier-file-row.h: one document in the list of files to send
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-submission.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_FILE_ROW (dossier_file_row_get_type ())
G_DECLARE_FINAL_TYPE (DossierFileRow, dossier_file_row, DOSSIER, FILE_ROW, AdwBin)

GtkWidget     *dossier_file_row_new                (void);
void           dossier_file_row_bind               (DossierFileRow    *self,
                                                    DossierSubmission *submission,
                                                    DossierUpload     *upload);
DossierUpload *dossier_file_row_get_upload         (DossierFileRow    *self);
const char    *dossier_file_row_get_status_text    (DossierFileRow    *self);
const char    *dossier_file_row_get_duplicate_text (DossierFileRow    *self);
GtkDropDown   *dossier_file_row_get_dropdown       (DossierFileRow    *self,
                                                    const char        *field_name);
void           dossier_file_row_set_selected       (DossierFileRow    *self,
                                                    gboolean           selected);
GtkWidget     *dossier_file_row_get_select_check   (DossierFileRow    *self);
void           dossier_file_row_set_narrow         (DossierFileRow    *self,
                                                    gboolean           narrow);

G_END_DECLS
