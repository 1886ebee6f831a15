/* dossier-history.h: the uploads that finished, newest first
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-history-entry.h"
#include "dossier-types.h"

G_BEGIN_DECLS

/* The record of uploads: a JSON Lines journal ($XDG_STATE_HOME/dossier/
 * history.jsonl for the default one, mode 0600) where every upload has its
 * lines: queued, started, finished (see dossier-history.c). As a
 * GListModel: the DossierHistoryEntry of the uploads that ended sent or
 * failed, newest first, read lazily: every one the file holds (a
 * compaction never drops a finished upload); a line that cannot be read is
 * skipped. Every line is synced to the disk by a
 * writer thread of its own, in order; a write that fails leaves the file
 * as it was and returns the error. The _async calls return at once (what
 * is read back includes their lines) and call back once the lines are on
 * the disk; the others wait for it. The model is used from one thread
 * (the main context). */
#define DOSSIER_TYPE_HISTORY (dossier_history_get_type ())
G_DECLARE_FINAL_TYPE (DossierHistory, dossier_history, DOSSIER, HISTORY, GObject)

/* What the record says of one upload: its last line */
typedef enum
{
  DOSSIER_RECORD_STATE_NONE,       /* not in the record */
  DOSSIER_RECORD_STATE_QUEUED,     /* to send; not started */
  DOSSIER_RECORD_STATE_STARTED,    /* its body was going out when the record
                                    * ends: it may have been sent */
  DOSSIER_RECORD_STATE_SENT,
  DOSSIER_RECORD_STATE_FAILED,
  DOSSIER_RECORD_STATE_UNKNOWN,    /* finished, its outcome unknown */
  DOSSIER_RECORD_STATE_CANCELLED,  /* cancelled before the whole body went */
  DOSSIER_RECORD_STATE_REMOVED,    /* taken out of the list before it was sent */
} DossierRecordState;

/* The lines past which the file is first compacted */
#define DOSSIER_HISTORY_COMPACT_AT 5000

DossierHistory *dossier_history_get_default   (void);
DossierHistory *dossier_history_new_for_path  (const char          *path);
const char     *dossier_history_get_path      (DossierHistory      *self);
gboolean        dossier_history_append        (DossierHistory      *self,
                                               DossierHistoryEntry *entry,
                                               GError             **error);
gboolean        dossier_history_clear         (DossierHistory      *self,
                                               GError             **error);
/* Lines of the record other than finished entries, in one write */
gboolean        dossier_history_append_events (DossierHistory      *self,
                                               GPtrArray           *events,
                                               GError             **error);
DossierRecordState dossier_history_lookup_state (DossierHistory    *self,
                                                 const char        *record_id);
GPtrArray      *dossier_history_dup_unsent    (DossierHistory      *self);
void            dossier_history_append_async  (DossierHistory      *self,
                                               DossierHistoryEntry *entry,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        dossier_history_append_finish (DossierHistory      *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void            dossier_history_append_events_async  (DossierHistory      *self,
                                                      GPtrArray           *events,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        dossier_history_append_events_finish (DossierHistory      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Every line given so far is on the disk (or failed) */
void            dossier_history_flush_async   (DossierHistory      *self,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        dossier_history_flush_finish  (DossierHistory      *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The duplicate guard (dossier-history-duplicates.c): earlier uploads of
 * the same content, sent or with an unknown outcome, newest first */
GPtrArray      *dossier_history_find_sent     (DossierHistory      *self,
                                               const char          *sha256,
                                               const char          *provider_id,
                                               const char          *environment,
                                               const char          *account_key);
GPtrArray      *dossier_history_find_sent_for_other_merchants (DossierHistory *self,
                                                               const char     *sha256,
                                                               const char     *merchant_id);
char           *dossier_history_describe_duplicate      (DossierHistoryEntry *entry,
                                                         GDateTime           *now);
char           *dossier_history_describe_other_merchant (DossierHistoryEntry *entry,
                                                         const char          *merchant_name,
                                                         GDateTime           *now);
/* The provider's review of an upload (dossier-history-status.c) */
JsonObject     *dossier_history_status_new    (DossierHistoryEntry *entry,
                                               const char          *remote_id,
                                               const char          *remote_status,
                                               const char          *decision_reason,
                                               const char          *error_code,
                                               gboolean             reconciled);
/* Reads the file in the writer's thread if the model has not yet */
void            dossier_history_preload       (DossierHistory      *self);
void            dossier_history_preload_async (DossierHistory      *self,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        dossier_history_preload_finish (DossierHistory     *self,
                                                GAsyncResult       *result,
                                                GError            **error);
gboolean        dossier_history_is_loaded     (DossierHistory      *self);
/* Reads the file again (another process may have added to it) */
void            dossier_history_reload        (DossierHistory      *self);

G_END_DECLS
