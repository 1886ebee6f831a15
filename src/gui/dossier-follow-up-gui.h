/* dossier-follow-up-gui.h: the application's follow-up: the scheduler, the open tasks, the notifications
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-catalogue.h"
#include "dossier-follow-up-scheduler.h"
#include "dossier-merchant-store.h"
#include "dossier-task.h"

G_BEGIN_DECLS

/* One per application (dossier_application_get_follow_up()): the
 * background scheduler, asking each provider that reports reviews at most
 * every 15 minutes per merchant with pending items (paused offline,
 * Retry-After respected by the scheduler), the connection of each
 * follow-up resolved as the checklists do (the environment the
 * merchant's uploads used), the open re-upload tasks of every merchant,
 * and a notification for a decision that arrives while no window of the
 * application is in front.
 *
 * Signals:
 *   notify::running-merchant  the merchant a Refresh asks for (NULL when done)
 */
#define DOSSIER_TYPE_FOLLOW_UP_GUI (dossier_follow_up_gui_get_type ())
G_DECLARE_FINAL_TYPE (DossierFollowUpGui, dossier_follow_up_gui, DOSSIER, FOLLOW_UP_GUI, GObject)

DossierFollowUpGui       *dossier_follow_up_gui_new           (GtkApplication     *app,
                                                               DossierCatalogue   *catalogue,
                                                               const char         *sandbox_url,
                                                               GNetworkMonitor    *monitor);
/* the background ticks, every @seconds (0: only when asked) */
void                      dossier_follow_up_gui_start         (DossierFollowUpGui *self,
                                                               guint               seconds);
/* where the merchants' account values and names are read */
void                      dossier_follow_up_gui_set_merchant_store (DossierFollowUpGui   *self,
                                                                    DossierMerchantStore *store);
DossierFollowUpScheduler *dossier_follow_up_gui_get_scheduler (DossierFollowUpGui *self);
GListModel               *dossier_follow_up_gui_get_tasks     (DossierFollowUpGui *self);
/* the open tasks of @merchant_id, newest first */
GPtrArray                *dossier_follow_up_gui_dup_tasks_for (DossierFollowUpGui *self,
                                                               const char         *merchant_id);
/* Refresh: asks every provider @merchant_id has uploads with now; FALSE
 * (and @out_why set) when nothing could be asked */
gboolean                  dossier_follow_up_gui_refresh       (DossierFollowUpGui *self,
                                                               const char         *merchant_id,
                                                               char              **out_why);
/* Cancel on @merchant_id's page: its follow-ups stopped, running or
 * waiting, and no other merchant's */
void                      dossier_follow_up_gui_cancel        (DossierFollowUpGui *self,
                                                               const char         *merchant_id);
/* the merchant a Refresh is asking for, or NULL */
const char               *dossier_follow_up_gui_get_running_merchant (DossierFollowUpGui *self);

/* the notification's text for a decision on @file_name (for tests) */
char                     *_dossier_follow_up_gui_describe     (DossierFollowUpGui *self,
                                                               const char         *merchant_id,
                                                               const char         *provider_id,
                                                               const char         *file_name,
                                                               const char         *status,
                                                               const char         *reason);

G_END_DECLS
