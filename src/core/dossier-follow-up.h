/* dossier-follow-up.h: asking a provider how it decided on what was sent
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-client.h"
#include "dossier-credentials.h"
#include "dossier-history.h"
#include "dossier-provider.h"

G_BEGIN_DECLS

/* A follow-up asks a provider again no sooner than this (the background
 * refresh, dossier-follow-up-scheduler.c) */
#define DOSSIER_FOLLOW_UP_INTERVAL (15 * 60)

/**
 * DossierFollowUpDecision:
 * @merchant_id: (nullable): whose upload it is
 * @provider_id: the provider ("moov")
 * @provider_name: its name ("Moov")
 * @file_name: the file's name in the record
 * @remote_id: (nullable): the provider's id for the file
 * @status: the provider's status as it came ("approved", "rejected",
 *   "APPROVED", or a value the provider does not document)
 * @reason: (nullable): why, in the provider's words (Moov decisionReason)
 * @error_code: (nullable): the requirement error named (Moov capabilities)
 * @reconciled: the upload's outcome was unknown; the provider's list holds it
 * @final: the provider has decided (not its "pending" / "ON_PROCESS")
 *
 * One change a follow-up found and recorded.
 */
typedef struct
{
  char     *merchant_id;
  char     *provider_id;
  char     *provider_name;
  char     *file_name;
  char     *remote_id;
  char     *status;
  char     *reason;
  char     *error_code;
  gboolean  reconciled;
  gboolean  final;
} DossierFollowUpDecision;

void      dossier_follow_up_decision_free (DossierFollowUpDecision *decision);

/* Moov and DOKU say how they reviewed an upload; Kore.ai and receeve have
 * no such endpoint: their uploads stay "sent" */
gboolean  dossier_follow_up_reports_reviews   (DossierProvider *provider);
/* "Kore.ai does not report reviews: its uploads stay “sent”." */
char     *dossier_follow_up_describe_no_reviews (DossierProvider *provider);

/* The decision in one sentence, for a notification */
char     *dossier_follow_up_describe_decision (DossierProvider               *provider,
                                               const DossierFollowUpDecision *decision,
                                               const char                    *merchant_name);

/* The uploads of @merchant_id to @provider a follow-up is about: sent with
 * a remote id, or with an unknown outcome (newest first) */
GPtrArray *dossier_follow_up_dup_entries      (DossierHistory  *history,
                                               DossierProvider *provider,
                                               const char      *environment,
                                               const char      *merchant_id);
gboolean  dossier_follow_up_entry_is_pending  (DossierProvider     *provider,
                                               DossierHistoryEntry *entry);
/* TRUE when one of them still waits for the provider's decision, or for
 * its outcome */
gboolean  dossier_follow_up_has_pending       (DossierHistory  *history,
                                               DossierProvider *provider,
                                               const char      *merchant_id);

/* Asks @provider (Moov: the account's files and capabilities; DOKU: Get
 * Business Data) about @merchant_id's uploads in @history, records every
 * change as a "status" line, reconciles unknown outcomes (Moov: by name,
 * size and time in the list of files) and returns the changes. */
void       dossier_follow_up_async  (DossierHistory      *history,
                                     DossierProvider     *provider,
                                     const char          *environment,
                                     const char          *base_url,
                                     const char          *merchant_id,
                                     GHashTable          *account_values,
                                     DossierCredentials  *credentials,
                                     DossierClient       *client,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* Returns: (transfer container) (element-type DossierFollowUpDecision):
 *   the changes (maybe none); NULL with @error, and then
 *   *@out_retry_after the seconds the provider asked to wait (429, 503),
 *   or -1 */
GPtrArray *dossier_follow_up_finish (GAsyncResult        *result,
                                     gint64              *out_retry_after,
                                     GError             **error);

/* Pure, for tests and the above: the status lines (JsonObject) and the
 * decisions for @entries from the provider's answers */
gboolean  _dossier_follow_up_moov_decide (DossierProvider *provider,
                                          GPtrArray       *entries,
                                          GBytes          *files,
                                          GBytes          *capabilities,
                                          GPtrArray       *statuses,
                                          GPtrArray       *decisions,
                                          GError         **error);
gboolean  _dossier_follow_up_doku_decide (DossierProvider *provider,
                                          GPtrArray       *entries,
                                          GBytes          *business,
                                          GPtrArray       *statuses,
                                          GPtrArray       *decisions,
                                          GError         **error);
DossierFollowUpDecision *_dossier_follow_up_decision_new (DossierHistoryEntry *entry,
                                                          const char          *remote_id,
                                                          const char          *status,
                                                          const char          *reason,
                                                          const char          *error_code,
                                                          gboolean             reconciled,
                                                          gboolean             final);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierFollowUpDecision, dossier_follow_up_decision_free)

G_END_DECLS
