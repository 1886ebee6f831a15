/* dossier-submission.h: one merchant's documents for one provider
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-credentials.h"
#include "dossier-merchant-store.h"
#include "dossier-provider.h"
#include "dossier-upload.h"

G_BEGIN_DECLS

/* The model both the GUI and the CLI drive. Properties (notified on the main
 * context):
 *
 *   provider        DossierProvider (construct-only)
 *   environment     string: environment id ("sandbox", "test", "production")
 *   base-url        string: overrides the environment's URL (NULL: use it)
 *   sandbox-url     string: where the embedded sandbox listens
 *   credentials     DossierCredentials
 *   max-concurrent  guint: uploads sent at once (default 2, 1..8)
 *   uploads         GListModel of DossierUpload, in the order added
 *   n-invalid, n-ready, n-active, n-done, n-failed   guint
 *   total-bytes, sent-bytes   guint64 (over the started uploads)
 *   fraction        double
 *   running         gboolean: some upload is queued, sending or waiting
 *   validating      gboolean: some file is still being checked
 *   merchant-id     string: the merchant the uploads are for (NULL: none);
 *                   written in their record, see
 *                   dossier_submission_set_merchant_id()
 *
 * Signals: "finished" (all started uploads ended), "validated" (no checks
 * are pending any more).
 */
#define DOSSIER_TYPE_SUBMISSION (dossier_submission_get_type ())
G_DECLARE_FINAL_TYPE (DossierSubmission, dossier_submission, DOSSIER, SUBMISSION, GObject)

DossierSubmission  *dossier_submission_new              (DossierProvider    *provider);
DossierProvider    *dossier_submission_get_provider     (DossierSubmission  *self);
const char         *dossier_submission_get_environment  (DossierSubmission  *self);
void                dossier_submission_set_environment  (DossierSubmission  *self,
                                                         const char         *environment_id);
const char         *dossier_submission_get_base_url     (DossierSubmission  *self);
void                dossier_submission_set_base_url     (DossierSubmission  *self,
                                                         const char         *base_url);
const char         *dossier_submission_get_sandbox_url  (DossierSubmission  *self);
void                dossier_submission_set_sandbox_url  (DossierSubmission  *self,
                                                         const char         *sandbox_url);
char               *dossier_submission_dup_effective_url (DossierSubmission *self,
                                                          GError           **error);
DossierCredentials *dossier_submission_get_credentials  (DossierSubmission  *self);
void                dossier_submission_set_credentials  (DossierSubmission  *self,
                                                         DossierCredentials *credentials);
const char         *dossier_submission_get_merchant_id  (DossierSubmission  *self);
void                dossier_submission_set_merchant_id  (DossierSubmission  *self,
                                                         const char         *merchant_id);
void                dossier_submission_set_merchant_store (DossierSubmission    *self,
                                                           DossierMerchantStore *store);
guint               dossier_submission_get_max_concurrent (DossierSubmission *self);
void                dossier_submission_set_max_concurrent (DossierSubmission *self,
                                                           guint              max_concurrent);

/* Account fields (Moov accountID, receeve clientId/accountId) and the
 * defaults of document fields for files added next. */
const char         *dossier_submission_get_value        (DossierSubmission  *self,
                                                         const char         *name);
void                dossier_submission_set_value        (DossierSubmission  *self,
                                                         const char         *name,
                                                         const char         *value);
gboolean            dossier_submission_validate_account (DossierSubmission  *self,
                                                         GError            **error);
gboolean            dossier_submission_settings_ready   (DossierSubmission  *self,
                                                         char              **out_reason);
gboolean            dossier_submission_defaults_ready   (DossierSubmission  *self,
                                                         char              **out_reason);

GListModel         *dossier_submission_get_uploads      (DossierSubmission  *self);
DossierUpload      *dossier_submission_add_file         (DossierSubmission  *self,
                                                         GFile              *file);
void                dossier_submission_add_files        (DossierSubmission  *self,
                                                         GListModel         *files);
DossierUpload      *dossier_submission_add_url          (DossierSubmission  *self,
                                                         const char         *url);
void                dossier_submission_remove           (DossierSubmission  *self,
                                                         DossierUpload      *upload);
void                dossier_submission_clear            (DossierSubmission  *self);
void                dossier_submission_revalidate       (DossierSubmission  *self);
gboolean            dossier_submission_can_start        (DossierSubmission  *self,
                                                         char              **out_reason);
void                dossier_submission_start            (DossierSubmission  *self);
void                dossier_submission_retry            (DossierSubmission  *self,
                                                         DossierUpload      *upload);
gboolean            dossier_submission_resend           (DossierSubmission  *self,
                                                         DossierUpload      *upload,
                                                         gboolean            confirmed);
void                dossier_submission_cancel           (DossierSubmission  *self,
                                                         DossierUpload      *upload);
void                dossier_submission_cancel_all       (DossierSubmission  *self);
void                dossier_submission_check_credentials_async  (DossierSubmission   *self,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
char               *dossier_submission_check_credentials_finish (DossierSubmission   *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

/* Whether uploads that end sent or failed are added to the default history
 * (TRUE by default) */
gboolean            dossier_submission_get_record_history (DossierSubmission *self);
void                dossier_submission_set_record_history (DossierSubmission *self,
                                                           gboolean           record_history);

/* Where the unsent queue is saved (NULL, the default: nowhere), and saving
 * at once (also done when the submission goes) */
const char         *dossier_submission_get_queue_path   (DossierSubmission  *self);
void                dossier_submission_set_queue_path   (DossierSubmission  *self,
                                                         const char         *path);
void                dossier_submission_save_queue       (DossierSubmission  *self);

G_END_DECLS
