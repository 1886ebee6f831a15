/* dossier-upload-private.h: what the engine changes on an upload
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-upload.h"

G_BEGIN_DECLS

DossierUpload *dossier_upload_new_for_file      (GFile              *file);
DossierUpload *dossier_upload_new_for_url       (const char         *url);
void           dossier_upload_set_state         (DossierUpload      *self,
                                                 DossierUploadState  state);
void           dossier_upload_set_problem       (DossierUpload      *self,
                                                 const char         *problem);
void           dossier_upload_set_checked       (DossierUpload      *self,
                                                 gint64              size,
                                                 const char         *content_type);
/* Progress is stored at once and notified at most ~10 times a second */
void           dossier_upload_set_progress      (DossierUpload      *self,
                                                 guint64             bytes_sent,
                                                 guint64             total_bytes);
void           dossier_upload_add_progress      (DossierUpload      *self,
                                                 guint64             bytes);
void           dossier_upload_flush_progress    (DossierUpload      *self);
void           dossier_upload_reset_progress    (DossierUpload      *self);
void           dossier_upload_take_result       (DossierUpload      *self,
                                                 DossierResult      *result);
void           dossier_upload_set_attempt       (DossierUpload      *self,
                                                 guint               attempt);
void           dossier_upload_set_retry_in      (DossierUpload      *self,
                                                 int                 seconds);
void           dossier_upload_set_record_id     (DossierUpload      *self,
                                                 const char         *record_id);
void           dossier_upload_set_maybe_sent    (DossierUpload      *self,
                                                 gboolean            maybe_sent);
void           dossier_upload_set_sha256        (DossierUpload      *self,
                                                 const char         *sha256);
/* The duplicate guard's finding (any may be NULL) */
void           dossier_upload_set_duplicates    (DossierUpload       *self,
                                                 DossierHistoryEntry *duplicate,
                                                 DossierHistoryEntry *other_merchant,
                                                 const char          *sentence);
/* Sets values without "values-changed" (the submission's defaults) */
void           dossier_upload_init_values       (DossierUpload      *self,
                                                 GHashTable         *values);
/* Pure, for tests: "3.1 of 8.0 MB · 1.2 MB/s · 4 s left" */
char          *dossier_format_progress          (guint64             bytes_sent,
                                                 guint64             total_bytes,
                                                 double              rate,
                                                 int                 seconds_left);

G_END_DECLS
