/* dossier-upload.h: one document on its way to a provider
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-history-entry.h"
#include "dossier-provider.h"
#include "dossier-result.h"

G_BEGIN_DECLS

/* An upload is created by a DossierSubmission. Its properties change on the
 * main context only and are notified, so widgets bind to them:
 *
 *   file            GFile (NULL for a URL-only upload, DOKU file_url)
 *   display-name    string: the file name as shown ("KTP Budi.jpg"), or the URL
 *   size            gint64: bytes on disk (-1 until checked)
 *   content-type    string: sniffed type, e.g. "image/png" (NULL until checked)
 *   state           DossierUploadState
 *   problem         string: why it is INVALID or FAILED, in words for a clerk
 *   bytes-sent      guint64
 *   total-bytes     guint64: the bytes to send (the whole request body)
 *   fraction        double 0..1
 *   rate            double: bytes per second, smoothed (0 when unknown)
 *   seconds-left    int: -1 when unknown
 *   progress-text   string: "3.1 of 8.0 MB · 1.2 MB/s · 4 s left"
 *   result          DossierResult (boxed): set when DONE or FAILED
 *   attempt         guint: 1 for the first try
 *   retry-in        int: seconds until the automatic retry while WAITING
 *   maybe-sent      gboolean: restored after Dossier stopped while it was
 *                   being sent; it may have reached the provider
 *   sha256          string: the file's SHA-256 (lowercase hex), computed
 *                   by the check in a worker thread; NULL until then or
 *                   for a URL
 *   duplicate-of    string: the duplicate guard's warning, or NULL (see
 *                   dossier_upload_get_duplicate_of())
 *
 * Per-file values of document fields (category, code, filePurpose…) default
 * to the submission's values and to suggestions from the file name; the
 * "values-changed" signal fires when they change.
 */
#define DOSSIER_TYPE_UPLOAD (dossier_upload_get_type ())
G_DECLARE_FINAL_TYPE (DossierUpload, dossier_upload, DOSSIER, UPLOAD, GObject)

GFile              *dossier_upload_get_file          (DossierUpload *self);
const char         *dossier_upload_get_url           (DossierUpload *self);
const char         *dossier_upload_get_display_name  (DossierUpload *self);
gint64              dossier_upload_get_size          (DossierUpload *self);
const char         *dossier_upload_get_content_type  (DossierUpload *self);
DossierUploadState  dossier_upload_get_state         (DossierUpload *self);
const char         *dossier_upload_get_problem       (DossierUpload *self);
guint64             dossier_upload_get_bytes_sent    (DossierUpload *self);
guint64             dossier_upload_get_total_bytes   (DossierUpload *self);
double              dossier_upload_get_fraction      (DossierUpload *self);
double              dossier_upload_get_rate          (DossierUpload *self);
int                 dossier_upload_get_seconds_left  (DossierUpload *self);
char               *dossier_upload_dup_progress_text (DossierUpload *self);
const DossierResult *dossier_upload_get_result       (DossierUpload *self);
guint               dossier_upload_get_attempt       (DossierUpload *self);
int                 dossier_upload_get_retry_in      (DossierUpload *self);
const char         *dossier_upload_get_record_id     (DossierUpload *self);
gboolean            dossier_upload_get_maybe_sent    (DossierUpload *self);
const char         *dossier_upload_get_sha256        (DossierUpload *self);
const char         *dossier_upload_get_duplicate_of  (DossierUpload *self);
DossierHistoryEntry *dossier_upload_get_duplicate    (DossierUpload *self);
DossierHistoryEntry *dossier_upload_get_other_merchant (DossierUpload *self);
const char         *dossier_upload_get_value         (DossierUpload *self,
                                                      const char    *name);
void                dossier_upload_set_value         (DossierUpload *self,
                                                      const char    *name,
                                                      const char    *value);
GHashTable         *dossier_upload_get_values        (DossierUpload *self);
gboolean            dossier_upload_is_finished       (DossierUpload *self);

G_END_DECLS
