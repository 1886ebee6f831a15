/* dossier-history-entry.h: one finished upload, as the history keeps it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Read-only properties:
 *
 *   finished-at     GDateTime (UTC): when the upload ended
 *   provider-id     string: "doku"
 *   provider-name   string: "DOKU"
 *   environment     string: environment id ("sandbox", "test", "production")
 *   file-name       string: the file's name, or the URL sent (without its query)
 *   remote-id       string: the provider's id for the file (NULL on failure)
 *   link            string: where the file can be seen (nullable)
 *   link-expires    GDateTime (nullable): when the link stops working (DOKU)
 *   remote-status   string: the provider's status, e.g. Moov "pending"
 *   http-status     guint: 0 when no answer came
 *   message         string: the provider's message on failure
 *   request-id      string: e.g. Moov x-request-id
 *   success         gboolean
 *   (record id)     string: the upload's id in the record ("upload" in the
 *                   file), to match it with its queued and started lines
 *   (outcome)       string: "sent", "failed" or "unknown" (NULL in old lines);
 *                   "unknown": sent whole, the answer lost, see
 *                   dossier_history_entry_get_outcome_unknown()
 *   merchant-id     string: the merchant it was sent for; NULL: none
 *   sha256          string: the file's SHA-256, lowercase hex (NULL: a URL,
 *                   or a line older than merchants)
 *   size            gint64: the file's bytes, -1 when unknown
 *   requirement-id  string: the requirement it answers (Moov metadata
 *                   requirement_id), or NULL
 *   (account)       the account-scope values it was sent with
 *   (document)      the document-scope values (category, code, purpose…)
 *   (review)        decision reason, error code, decided-at and reconciled,
 *                   from the record's "status" lines (dossier-history-status.c);
 *                   remote-status is then the provider's latest status
 *
 * Lines written before merchants existed have no merchant_id, sha256,
 * size, account, document or requirement_id member: they read as uploads
 * for no merchant, with nothing known of those (nothing is rewritten).
 *
 * No credential is ever part of an entry.
 */
#define DOSSIER_TYPE_HISTORY_ENTRY (dossier_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (DossierHistoryEntry, dossier_history_entry, DOSSIER, HISTORY_ENTRY, GObject)

GDateTime  *dossier_history_entry_get_finished_at   (DossierHistoryEntry *self);
const char *dossier_history_entry_get_provider_id   (DossierHistoryEntry *self);
const char *dossier_history_entry_get_provider_name (DossierHistoryEntry *self);
const char *dossier_history_entry_get_environment   (DossierHistoryEntry *self);
const char *dossier_history_entry_get_file_name     (DossierHistoryEntry *self);
const char *dossier_history_entry_get_remote_id     (DossierHistoryEntry *self);
const char *dossier_history_entry_get_link          (DossierHistoryEntry *self);
GDateTime  *dossier_history_entry_get_link_expires  (DossierHistoryEntry *self);
const char *dossier_history_entry_get_remote_status (DossierHistoryEntry *self);
guint       dossier_history_entry_get_http_status   (DossierHistoryEntry *self);
const char *dossier_history_entry_get_message       (DossierHistoryEntry *self);
const char *dossier_history_entry_get_request_id    (DossierHistoryEntry *self);
gboolean    dossier_history_entry_get_success       (DossierHistoryEntry *self);
const char *dossier_history_entry_get_record_id     (DossierHistoryEntry *self);
const char *dossier_history_entry_get_outcome       (DossierHistoryEntry *self);
gboolean    dossier_history_entry_get_outcome_unknown (DossierHistoryEntry *self);
const char *dossier_history_entry_get_merchant_id   (DossierHistoryEntry *self);
const char *dossier_history_entry_get_sha256        (DossierHistoryEntry *self);
gint64      dossier_history_entry_get_size          (DossierHistoryEntry *self);
const char *dossier_history_entry_get_requirement_id (DossierHistoryEntry *self);
const char *dossier_history_entry_get_account_value (DossierHistoryEntry *self,
                                                     const char          *name);
const char *dossier_history_entry_get_document_value (DossierHistoryEntry *self,
                                                      const char          *name);
char       *dossier_history_entry_dup_account_key   (DossierHistoryEntry *self);
/* The provider's review (NULL until a follow-up recorded one) */
const char *dossier_history_entry_get_decision_reason (DossierHistoryEntry *self);
const char *dossier_history_entry_get_error_code    (DossierHistoryEntry *self);
GDateTime  *dossier_history_entry_get_decided_at    (DossierHistoryEntry *self);
gboolean    dossier_history_entry_get_reconciled    (DossierHistoryEntry *self);
char       *dossier_history_account_key             (GHashTable          *account);

/* TRUE when the link has an expiry and @now (NULL: the current time) is
 * past it */
gboolean    dossier_history_entry_link_expired      (DossierHistoryEntry *self,
                                                     GDateTime           *now);
/* "today 14:03", "yesterday 09:12", "3 Mar 2026 14:03", in local time
 * relative to @now (NULL: the current time) */
char       *dossier_history_entry_format_time       (DossierHistoryEntry *self,
                                                     GDateTime           *now);
/* The failure in one sentence, as dossier_result_describe_failure() says
 * it; NULL for an upload that was sent */
char       *dossier_history_entry_describe_failure  (DossierHistoryEntry *self);
/* A JSON object with the members that are set; a reference */
JsonNode   *dossier_history_entry_to_json           (DossierHistoryEntry *self);

G_END_DECLS
