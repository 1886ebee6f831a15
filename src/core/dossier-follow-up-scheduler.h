/* dossier-follow-up-scheduler.h: asking the providers again in the background
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-catalogue.h"
#include "dossier-follow-up.h"

G_BEGIN_DECLS

#define DOSSIER_TYPE_FOLLOW_UP_SCHEDULER (dossier_follow_up_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (DossierFollowUpScheduler, dossier_follow_up_scheduler, DOSSIER, FOLLOW_UP_SCHEDULER, GObject)

/* The current time in Unix seconds (tests give their own clock) */
typedef gint64 (*DossierClockFunc) (gpointer user_data);

/* Starts one follow-up of @merchant_id with @provider: the application
 * finds the merchant's account values, the environment and its
 * credentials and calls dossier_follow_up_async() with @cancellable (this
 * follow-up's own: the scheduler cancels it, and drops it once the
 * follow-up ended), @callback and @callback_data (the scheduler finishes
 * it with dossier_follow_up_finish()) */
typedef void (*DossierFollowUpStartFunc) (const char          *merchant_id,
                                          DossierProvider     *provider,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             callback_data,
                                          gpointer             user_data);

/* @monitor NULL: g_network_monitor_get_default () */
DossierFollowUpScheduler *dossier_follow_up_scheduler_new (DossierHistory           *history,
                                                          DossierCatalogue         *catalogue,
                                                          GNetworkMonitor          *monitor,
                                                          DossierFollowUpStartFunc  start,
                                                          gpointer                  user_data,
                                                          GDestroyNotify            destroy);
void      dossier_follow_up_scheduler_set_clock  (DossierFollowUpScheduler *self,
                                                  DossierClockFunc          clock,
                                                  gpointer                  user_data);
/* Ticks every @seconds on the thread-default main context (0: never by
 * itself; tests call dossier_follow_up_scheduler_tick()) */
void      dossier_follow_up_scheduler_start      (DossierFollowUpScheduler *self,
                                                  guint                     seconds);
/* Starts what is due now: each merchant with uploads pending review (or
 * with an unknown outcome) at a provider that reports reviews, asked at
 * most every DOSSIER_FOLLOW_UP_INTERVAL seconds, none for a provider
 * whose Retry-After has not passed, nothing while offline; one follow-up
 * at a time.  Returns how many follow-ups it queued. */
guint     dossier_follow_up_scheduler_tick       (DossierFollowUpScheduler *self);
/* A merchant opened, or Refresh: each provider it has uploads with (that
 * reports reviews) asked now whatever the 15 minutes, but
 * never before a provider's Retry-After nor while offline; FALSE when not */
gboolean  dossier_follow_up_scheduler_refresh_now (DossierFollowUpScheduler *self,
                                                   const char               *merchant_id);
/* Cancel on @merchant_id's page: its queued follow-ups dropped, its
 * running one cancelled, nothing of another merchant's; FALSE when it had
 * none */
gboolean  dossier_follow_up_scheduler_cancel_merchant (DossierFollowUpScheduler *self,
                                                       const char               *merchant_id);
/* TRUE while a follow-up of @merchant_id runs or waits */
gboolean  dossier_follow_up_scheduler_has_merchant (DossierFollowUpScheduler *self,
                                                    const char               *merchant_id);
gboolean  dossier_follow_up_scheduler_is_paused  (DossierFollowUpScheduler *self);
gboolean  dossier_follow_up_scheduler_is_busy    (DossierFollowUpScheduler *self);
/* Unix seconds before which @provider_id is not asked (its Retry-After), or 0 */
gint64    dossier_follow_up_scheduler_get_not_before (DossierFollowUpScheduler *self,
                                                      const char               *provider_id);

/* Signals:
 *   "decision" (const char *merchant_id, const char *provider_id,
 *               const char *file_name, const char *status, const char *reason)
 *       a provider decided on an upload (status not "pending"/"ON_PROCESS";
 *       reason nullable): for the GNotification
 *   "finished" (const char *merchant_id, const char *provider_id,
 *               const char *error)
 *       one follow-up ended; error NULL, or the failure in words
 *   notify::paused, notify::busy
 */

G_END_DECLS
