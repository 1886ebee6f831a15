/* dossier-task.h: re-upload tasks, what a provider refused and what would answer it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-catalogue.h"
#include "dossier-history.h"

G_BEGIN_DECLS

/* One open task: a document the provider rejected (Moov fileStatus
 * "rejected", with the requirement error its capabilities name), not yet
 * answered by a later upload that was taken.  Read-only. */
#define DOSSIER_TYPE_TASK (dossier_task_get_type ())
G_DECLARE_FINAL_TYPE (DossierTask, dossier_task, DOSSIER, TASK, GObject)

DossierHistoryEntry *dossier_task_get_entry          (DossierTask *self);
const char          *dossier_task_get_merchant_id    (DossierTask *self);
const char          *dossier_task_get_provider_id    (DossierTask *self);
const char          *dossier_task_get_provider_name  (DossierTask *self);
const char          *dossier_task_get_environment    (DossierTask *self);
const char          *dossier_task_get_file_name      (DossierTask *self);
const char          *dossier_task_get_remote_id      (DossierTask *self);
/* nullable: the requirement the rejected file answered, the error code */
const char          *dossier_task_get_requirement_id (DossierTask *self);
const char          *dossier_task_get_error_code     (DossierTask *self);
/* the provider's own words (decisionReason), nullable */
const char          *dossier_task_get_provider_reason (DossierTask *self);
/* in plain translated words: why ("Moov could not read the document") and
 * what fixes it ("upload a sharper scan"), from the descriptor's advice */
const char          *dossier_task_get_reason         (DossierTask *self);
const char          *dossier_task_get_fix            (DossierTask *self);
/* when the provider decided (or the upload ended) */
GDateTime           *dossier_task_get_time           (DossierTask *self);
/* the field values the re-upload carries: the rejected upload's document
 * values (filePurpose, category, code…) and, for a provider whose uploads
 * carry metadata, "metadata" = {"requirement_id": …, "error_code": …} */
GHashTable          *dossier_task_get_fields         (DossierTask *self);
/* the account values it was sent with (a re-upload goes to the same account) */
const char          *dossier_task_get_account_value  (DossierTask *self,
                                                      const char  *name);

/* The open tasks of every merchant in @history, newest first, kept up to
 * date as the history changes (a follow-up recording a rejection, an
 * upload answering one).  A GListModel of DossierTask. */
#define DOSSIER_TYPE_TASK_LIST (dossier_task_list_get_type ())
G_DECLARE_FINAL_TYPE (DossierTaskList, dossier_task_list, DOSSIER, TASK_LIST, GObject)

DossierTaskList *dossier_task_list_new           (GListModel       *history,
                                                  DossierCatalogue *catalogue);
/* the open tasks of one merchant, newest first */
GPtrArray       *dossier_task_list_dup_for_merchant (DossierTaskList *self,
                                                     const char      *merchant_id);

G_END_DECLS
