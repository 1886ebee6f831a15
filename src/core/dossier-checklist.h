/* dossier-checklist.h: what a provider still needs from a merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-merchant.h"
#include "dossier-provider.h"
#include "dossier-types.h"
#include "dossier-enums.h"

G_BEGIN_DECLS

/* The largest requirement or file-list answer read */
#define DOSSIER_CHECKLIST_ANSWER_MAX (1024 * 1024)

/* No provider is asked more than once in this many seconds per merchant */
#define DOSSIER_CHECKLIST_MIN_INTERVAL 60

/**
 * DossierChecklistUpload:
 * @requirement_id: (nullable): the requirement the upload answered
 * @error_code: (nullable): the error it answered (Moov metadata error_code)
 * @fields: (element-type utf8 utf8) (nullable): the upload's field values
 *   (category, code, filePurpose, metadata…)
 * @file_name: (nullable): the file's name
 * @remote_id: (nullable): the provider's id for the file
 * @remote_status: (nullable): the provider's status in its answer ("pending")
 * @message: (nullable): the provider's message
 * @review_reason: (nullable): why the provider's review refused it, as the
 *   record holds it (a follow-up read it)
 * @review_code: (nullable): the error code of that review
 * @link_expires: when the link stops working (Unix time, 0: never)
 * @time: when the upload ended (Unix time)
 * @sent: the provider took it
 * @outcome_unknown: sent whole, the answer lost
 *
 * One upload of the merchant's record, as the checklist needs it.
 */
typedef struct
{
  char *requirement_id;
  char *error_code;
  GHashTable *fields;
  char *file_name;
  char *remote_id;
  char *remote_status;
  char *message;
  char *review_reason;
  char *review_code;
  gint64 link_expires;
  gint64 time;
  gboolean sent;
  gboolean outcome_unknown;
} DossierChecklistUpload;

DossierChecklistUpload *dossier_checklist_upload_new  (void);
void                    dossier_checklist_upload_free (DossierChecklistUpload *upload);
void                    dossier_checklist_upload_set_field (DossierChecklistUpload *upload,
                                                            const char             *name,
                                                            const char             *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierChecklistUpload, dossier_checklist_upload_free)

/* One requirement and how far it is. Read-only properties: requirement-id,
 * label, state. */
#define DOSSIER_TYPE_CHECKLIST_ITEM (dossier_checklist_item_get_type ())
G_DECLARE_FINAL_TYPE (DossierChecklistItem, dossier_checklist_item, DOSSIER, CHECKLIST_ITEM, GObject)

const char            *dossier_checklist_item_get_requirement_id (DossierChecklistItem *self);
const char            *dossier_checklist_item_get_label          (DossierChecklistItem *self);
DossierChecklistState  dossier_checklist_item_get_state          (DossierChecklistItem *self);
gboolean               dossier_checklist_item_get_optional       (DossierChecklistItem *self);
/* Why it was refused (Moov's error code or decisionReason), and what to do */
const char            *dossier_checklist_item_get_reason         (DossierChecklistItem *self);
const char            *dossier_checklist_item_get_advice         (DossierChecklistItem *self);
const char            *dossier_checklist_item_get_error_code     (DossierChecklistItem *self);
/* The field values its upload carries (filePurpose, category, code…) */
GHashTable            *dossier_checklist_item_get_fields         (DossierChecklistItem *self);
/* The metadata its upload carries, as JSON text ({"requirement_id": …}), or NULL */
const char            *dossier_checklist_item_get_metadata       (DossierChecklistItem *self);
/* The upload that answers it, or NULL */
const DossierChecklistUpload *dossier_checklist_item_get_upload  (DossierChecklistItem *self);
/* Words of a file name that point at this item (descriptor data) */
const char * const    *dossier_checklist_item_get_keywords       (DossierChecklistItem *self);
/* The state in one sentence a clerk understands */
char                  *dossier_checklist_item_describe           (DossierChecklistItem *self);

/* The items of one provider for one merchant: a GListModel of
 * DossierChecklistItem */
#define DOSSIER_TYPE_CHECKLIST (dossier_checklist_get_type ())
G_DECLARE_FINAL_TYPE (DossierChecklist, dossier_checklist, DOSSIER, CHECKLIST, GObject)

DossierChecklist *dossier_checklist_new       (DossierProvider  *provider);
DossierProvider  *dossier_checklist_get_provider (DossierChecklist *self);
gboolean          dossier_checklist_update    (DossierChecklist *self,
                                               const char       *answer,
                                               gssize            answer_length,
                                               const char       *files_answer,
                                               gssize            files_length,
                                               GPtrArray        *uploads,
                                               GHashTable       *names,
                                               gint64            now,
                                               GError          **error);
guint             dossier_checklist_count     (DossierChecklist      *self,
                                               DossierChecklistState  state);

/* dossier-checklist-match.c: the counts (checked_at: when the provider was
 * asked, or the items computed for a provider that is never asked) */
void              dossier_checklist_get_summary (DossierChecklist        *self,
                                                 DossierChecklistSummary *out);
/* The missing, rejected or expired item a file's name points at ("KTP
 * Budi.jpg" -> DOKU's KTP), or NULL when none or more than one does */
DossierChecklistItem *dossier_checklist_match_file (DossierChecklist *self,
                                                    const char       *file_name);

/* The requirement request's path and query ("/v1.0/file?businessType=…"),
 * from the merchant's account values; NULL with @error when one is missing */
char             *dossier_checklist_request_target (DossierProvider  *provider,
                                                    GHashTable       *account_values,
                                                    GError          **error);

/* Once a minute per provider and merchant, with an injected clock */
typedef struct _DossierChecklistLimiter DossierChecklistLimiter;

DossierChecklistLimiter *dossier_checklist_limiter_new   (guint                    interval_seconds);
void                     dossier_checklist_limiter_free  (DossierChecklistLimiter *limiter);
/* TRUE (and remembered as asked at @now) when @provider_id may be asked for
 * @merchant_id at @now; else FALSE and *@wait_seconds says how long is left */
gboolean                 dossier_checklist_limiter_try   (DossierChecklistLimiter *limiter,
                                                          const char              *provider_id,
                                                          const char              *merchant_id,
                                                          gint64                   now,
                                                          gint64                  *wait_seconds);

void                     dossier_checklist_limiter_forget (DossierChecklistLimiter *limiter,
                                                           const char              *provider_id,
                                                           const char              *merchant_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierChecklistLimiter, dossier_checklist_limiter_free)

G_END_DECLS
