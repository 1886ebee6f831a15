/* dossier-window-private.h: the window's instance, shared by its files, and what
 * the GUI tests reach into
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-details-page.h"
#include "dossier-client.h"
#include "dossier-files-page.h"
#include "dossier-follow-up-gui.h"
#include "dossier-merchant-home.h"
#include "dossier-provider-page.h"
#include "dossier-queue-state.h"
#include "dossier-step-indicator.h"
#include "dossier-submission.h"
#include "dossier-upload-page.h"
#include "dossier-window.h"

G_BEGIN_DECLS

typedef enum
{
  DOSSIER_STEP_PROVIDER,
  DOSSIER_STEP_DETAILS,
  DOSSIER_STEP_FILES,
  DOSSIER_STEP_UPLOAD,
} DossierStep;

struct _DossierWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *back_button;
  GtkWidget            *next_button;
  GtkWidget            *menu_button;
  AdwWindowTitle       *window_title;
  DossierStepIndicator *step_indicator;
  GtkStack             *stack;
  /* the steps' pages: NULL until the flow is first shown */
  DossierProviderPage  *provider_page;
  DossierDetailsPage   *details_page;
  DossierFilesPage     *files_page;
  DossierUploadPage    *upload_page;
  GtkRevealer          *restore_revealer;
  GtkWidget            *restore_label;
  GtkWidget            *restore_button;
  GtkWidget            *discard_button;
  GtkRevealer          *record_error_revealer;
  GtkWidget            *record_error_label;
  GtkStack             *mode_stack;  /* "merchants" | "flow" */
  GtkWidget            *merchants_button;
  GMenuModel           *primary_menu;

  /* the merchants (dossier-window-merchants.c) */
  DossierMerchantStore *merchant_store;
  DossierMerchantHome  *home;
  char                 *flow_merchant_id; /* the merchant page the flow returns to */
  char                 *pending_merchant_id;     /* to show once the store is read */
  const char           *pending_merchant_action; /* to run once the store is read */
  gboolean              merchants_ready;         /* the store was read */
  /* the reviews and re-upload tasks (dossier-window-follow-up.c) */
  DossierFollowUpGui   *follow_up;
  DossierNeedsAttention *attention;
  guint                 follow_up_idle;

  DossierSubmission    *submission;
  GSignalGroup         *submission_signals;
  GBindingGroup        *submission_bindings;
  GSettings            *settings;
  DossierStep           step;
  guint                 update_idle;
  char                 *last_toast;
  char                 *queue_path; /* where submissions save what is unsent */
  DossierQueueState    *saved_queue; /* what a last session did not send */
  GPtrArray            *toasts;     /* AdwToast: on screen, then queued */
  gint64                toast_since; /* when the first one appeared */
  guint                 keyring_warned : 1;
  guint                 pending_files_step : 1;
};

/* dossier-window.c */
void               _dossier_window_go_to              (DossierWindow     *self,
                                                       DossierStep        step);
DossierSubmission *_dossier_window_new_submission     (DossierWindow     *self,
                                                       DossierProvider   *provider);
void               _dossier_window_replace_submission (DossierWindow     *self,
                                                       DossierSubmission *submission);
gboolean           _dossier_window_enter_files_step   (DossierWindow     *self);
void               _dossier_window_ensure_pages       (DossierWindow     *self);
void               _dossier_window_queue_update       (DossierWindow     *self);

/* dossier-window-toasts.c */
void               _dossier_window_show_toast         (DossierWindow     *self,
                                                       const char        *title);
void               _dossier_window_dismiss_toasts     (DossierWindow     *self);
void               _dossier_window_show_toast_action  (GtkWidget         *widget,
                                                       const char        *action_name,
                                                       GVariant          *parameter);
gboolean           _dossier_window_report_problems    (gpointer           user_data);

/* dossier-window-queue.c */
void               _dossier_window_update_restore_offer (DossierWindow   *self);
void               _dossier_window_load_saved_queue     (DossierWindow   *self);
void               _dossier_window_restore_queue_action (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void               _dossier_window_discard_queue_action (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);

/* dossier-window-merchants.c */
void               _dossier_window_setup_merchants    (DossierWindow     *self);
void               _dossier_window_dispose_merchants  (DossierWindow     *self);
void               _dossier_window_install_merchant_actions (GtkWidgetClass *widget_class);
void               _dossier_window_show_flow          (DossierWindow     *self);
void               _dossier_window_show_merchants     (DossierWindow     *self);
gboolean           _dossier_window_in_flow            (DossierWindow     *self);
/* The merchants' page, or NULL while the home is not built (the records
 * loading, or a failed read): asking does not build it */
DossierMerchantPage *_dossier_window_get_merchant_page (DossierWindow     *self);
void               _dossier_window_inherit_merchant   (DossierWindow     *self,
                                                       DossierSubmission *submission);
void               _dossier_window_end_flow           (DossierWindow     *self);
void               _dossier_window_open_flow          (DossierWindow        *self,
                                                       DossierMerchant      *merchant,
                                                       DossierProvider      *provider,
                                                       const char           *environment,
                                                       DossierChecklistItem *item,
                                                       GPtrArray            *drops,
                                                       GHashTable           *values);
void               _dossier_window_show_merchant_id   (DossierWindow     *self,
                                                       const char        *merchant_id);

/* dossier-window-follow-up.c */
void               _dossier_window_schedule_follow_up (DossierWindow     *self);
void               _dossier_window_dispose_follow_up  (DossierWindow     *self);
void               _dossier_window_install_follow_up_actions (GtkWidgetClass *widget_class);
DossierNeedsAttention *dossier_window_get_needs_attention (DossierWindow *self);

DossierSubmission *dossier_window_get_submission  (DossierWindow *self);
DossierMerchantHome *dossier_window_get_merchant_home (DossierWindow *self);
DossierMerchantStore *dossier_window_get_merchant_store (DossierWindow *self);
DossierStep        dossier_window_get_step        (DossierWindow *self);
GtkWidget         *dossier_window_get_page        (DossierWindow *self,
                                                   DossierStep    step);
GtkWidget         *dossier_window_get_next_button (DossierWindow *self);
GtkWidget         *dossier_window_get_back_button (DossierWindow *self);
const char        *dossier_window_get_subtitle    (DossierWindow *self);
const char        *dossier_window_get_last_toast  (DossierWindow *self);
DossierStepIndicator *dossier_window_get_step_indicator (DossierWindow *self);
/* the offer to restore a last session's files: its text while shown */
const char        *dossier_window_get_restore_text   (DossierWindow *self);
GtkWidget         *dossier_window_get_restore_button (DossierWindow *self);
GtkWidget         *dossier_window_get_discard_button (DossierWindow *self);
/* the message that the history could not record an upload, while shown */
const char        *dossier_window_get_record_error_text (DossierWindow *self);

void     _dossier_window_show_record_error       (DossierWindow *self,
                                                  const char    *message);

G_END_DECLS
