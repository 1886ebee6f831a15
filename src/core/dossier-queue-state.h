/* dossier-queue-state.h: the uploads not yet sent, kept across a quit or a crash
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-history.h"
#include "dossier-submission.h"

G_BEGIN_DECLS

/* What a submission needs to be made again: provider, environment, base
 * URL override, account values and document defaults, and for every upload
 * not yet sent its file (or URL) and its own values. Never a credential:
 * those come from the keyring (or the sandbox) again.
 *
 * Saved as JSON ($XDG_STATE_HOME/dossier/queue.json, mode 0600, replaced
 * in one go). A submission saves it by itself once it has a queue path. */
#define DOSSIER_TYPE_QUEUE_STATE (dossier_queue_state_get_type ())
G_DECLARE_FINAL_TYPE (DossierQueueState, dossier_queue_state, DOSSIER, QUEUE_STATE, GObject)

char              *dossier_queue_state_dup_default_path   (void);
DossierQueueState *dossier_queue_state_new_for_submission (DossierSubmission  *submission);
/* %NULL with G_IO_ERROR_NOT_FOUND when nothing was saved, or
 * DOSSIER_ERROR_PROTOCOL when the file cannot be understood; read through
 * the default history's record (see dossier_queue_state_reconcile) */
DossierQueueState *dossier_queue_state_load               (const char         *path,
                                                           GError            **error);
gboolean           dossier_queue_state_save               (DossierQueueState  *self,
                                                           const char         *path,
                                                           GError            **error);
/* Deletes what was saved; no error when there is nothing */
gboolean           dossier_queue_state_discard            (const char         *path,
                                                           GError            **error);

const char        *dossier_queue_state_get_provider_id    (DossierQueueState  *self);
const char        *dossier_queue_state_get_environment    (DossierQueueState  *self);
const char        *dossier_queue_state_get_base_url       (DossierQueueState  *self);
const char        *dossier_queue_state_get_merchant_id    (DossierQueueState  *self);
GHashTable        *dossier_queue_state_get_values         (DossierQueueState  *self);
guint              dossier_queue_state_get_n_uploads      (DossierQueueState  *self);
/* the file's path, or NULL for an upload of a URL */
const char        *dossier_queue_state_get_upload_path    (DossierQueueState  *self,
                                                           guint               position);
const char        *dossier_queue_state_get_upload_url     (DossierQueueState  *self,
                                                           guint               position);
GHashTable        *dossier_queue_state_get_upload_values  (DossierQueueState  *self,
                                                           guint               position);
/* It was being sent when Dossier stopped: it may have reached the provider */
gboolean           dossier_queue_state_get_upload_maybe_sent (DossierQueueState *self,
                                                              guint              position);
guint              dossier_queue_state_get_n_maybe_sent   (DossierQueueState  *self);
/* Done by load with the default history; files recorded sent are left out */
void               dossier_queue_state_reconcile          (DossierQueueState  *self,
                                                           DossierHistory     *history);

/* The user discards them: they leave the record's unsent list too */
gboolean           dossier_queue_state_forget             (DossierQueueState  *self,
                                                           DossierHistory     *history,
                                                           GError            **error);

/* Sets environment, base URL, merchant and values on @submission (made for the same
 * provider) and adds the uploads again; files are checked again, so one
 * that is gone shows why */
void               dossier_queue_state_restore            (DossierQueueState  *self,
                                                           DossierSubmission  *submission);

G_END_DECLS
