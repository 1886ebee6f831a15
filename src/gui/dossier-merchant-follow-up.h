/* dossier-merchant-follow-up.h: a merchant's reviews and what needs attention, on its page
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-follow-up-gui.h"
#include "dossier-merchant.h"

G_BEGIN_DECLS

/* Two groups for the merchant page: "Reviews" (Refresh, its progress and
 * Cancel, per provider the merchant sent to: what waits for a review, the
 * last failure in the provider's words, or that the provider does not
 * report reviews) and "Needs Attention" (the merchant's open re-upload
 * tasks: why in plain words, what fixes it, Upload).
 *
 * Signals:
 *   upload-task (DossierTask *task): Upload on a task */
#define DOSSIER_TYPE_MERCHANT_FOLLOW_UP (dossier_merchant_follow_up_get_type ())
G_DECLARE_FINAL_TYPE (DossierMerchantFollowUp, dossier_merchant_follow_up, DOSSIER, MERCHANT_FOLLOW_UP, GtkBox)

GtkWidget  *dossier_merchant_follow_up_new          (DossierCatalogue        *catalogue);
void        dossier_merchant_follow_up_set_gui      (DossierMerchantFollowUp *self,
                                                     DossierFollowUpGui      *gui);
void        dossier_merchant_follow_up_set_merchant (DossierMerchantFollowUp *self,
                                                     DossierMerchant         *merchant);
/* Refresh: the providers asked now */
void        dossier_merchant_follow_up_refresh      (DossierMerchantFollowUp *self);

/* "approved", "rejected: document-illegible", a status as it came; NULL
 * before any review (for the recent uploads) */
char       *dossier_merchant_follow_up_describe_review (DossierHistoryEntry  *entry);
/* a task's why and what fixes it, in one line */
char       *dossier_merchant_follow_up_describe_task (DossierTask         *task);

/* for tests */
gboolean    dossier_merchant_follow_up_get_busy     (DossierMerchantFollowUp *self);
GtkWidget  *dossier_merchant_follow_up_get_refresh_button (DossierMerchantFollowUp *self);
GtkWidget  *dossier_merchant_follow_up_get_cancel_button  (DossierMerchantFollowUp *self);
/* the provider rows' subtitles, one a line; the open tasks shown */
char       *dossier_merchant_follow_up_describe     (DossierMerchantFollowUp *self);
guint       dossier_merchant_follow_up_get_n_tasks  (DossierMerchantFollowUp *self);
/* the Upload button of the task row at @position */
GtkWidget  *dossier_merchant_follow_up_get_task_button (DossierMerchantFollowUp *self,
                                                        guint                    position);

G_END_DECLS
