/* dossier-files-page.h: step 3, the documents to send
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-submission.h"

G_BEGIN_DECLS

/* Signal "changed": what Upload depends on may have changed. */
#define DOSSIER_TYPE_FILES_PAGE (dossier_files_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierFilesPage, dossier_files_page, DOSSIER, FILES_PAGE, AdwBin)

void           dossier_files_page_set_submission (DossierFilesPage  *self,
                                                  DossierSubmission *submission);
gboolean       dossier_files_page_is_ready       (DossierFilesPage  *self,
                                                  char             **out_reason);
void           dossier_files_page_add_files      (DossierFilesPage  *self,
                                                  GListModel        *files);
void           dossier_files_page_open_chooser   (DossierFilesPage  *self);
void           dossier_files_page_paste          (DossierFilesPage  *self);

/* for tests */
GtkDropTarget *dossier_files_page_get_drop_target (DossierFilesPage *self);
GtkWidget     *dossier_files_page_get_list_view   (DossierFilesPage *self);
const char    *dossier_files_page_get_summary     (DossierFilesPage *self);

GtkDropDown *dossier_files_page_get_selection_dropdown (DossierFilesPage *self,
                                                       const char       *field_name);
guint        dossier_files_page_get_n_selected        (DossierFilesPage *self);

G_END_DECLS
