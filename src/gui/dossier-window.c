/* dossier-window.c: the one window that walks a clerk through a submission
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-util.h"
#include "dossier-notify.h"
#include "dossier-startup.h"
#include "dossier-window-private.h"

G_DEFINE_FINAL_TYPE (DossierWindow, dossier_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *page_names[] = { "provider", "details", "files", "upload" };

static gboolean
pages_built (DossierWindow *self)
{
  return self->provider_page != NULL;
}

static gboolean
step_ready (DossierWindow  *self,
            DossierStep     step,
            char          **out_reason)
{
  /* nothing is ready in a flow not yet shown */
  if (!pages_built (self))
    return FALSE;

  switch (step)
    {
    case DOSSIER_STEP_PROVIDER:
      return dossier_provider_page_is_ready (self->provider_page, out_reason);
    case DOSSIER_STEP_DETAILS:
      return dossier_details_page_is_ready (self->details_page, out_reason);
    case DOSSIER_STEP_FILES:
      return dossier_files_page_is_ready (self->files_page, out_reason);
    case DOSSIER_STEP_UPLOAD:
      if (self->submission != NULL
          && dossier_gui_get_boolean (self->submission, "running"))
        {
          if (out_reason != NULL)
            *out_reason = g_strdup (_("Wait until the files are sent, or cancel them"));
          return FALSE;
        }
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static void
update_actions (DossierWindow *self)
{
  g_autofree char *reason = NULL;
  gboolean ready;

  ready = self->submission != NULL && step_ready (self, self->step, &reason);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next", ready);
  gtk_widget_set_tooltip_text (self->next_button, ready ? NULL : reason);
  if (!ready && reason != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->next_button),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 self->step > DOSSIER_STEP_PROVIDER
                                 && self->step < DOSSIER_STEP_UPLOAD);
  gtk_widget_set_visible (self->back_button,
                          self->step > DOSSIER_STEP_PROVIDER
                          && self->step < DOSSIER_STEP_UPLOAD);
  /* the first step backs out to the merchants */
  gtk_widget_set_visible (self->merchants_button,
                          self->home != NULL && self->step == DOSSIER_STEP_PROVIDER);

  /* files can be added from the first three steps */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-files", self->step < DOSSIER_STEP_UPLOAD);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.paste-files", self->step < DOSSIER_STEP_UPLOAD);
}

static gboolean
update_idle_cb (gpointer user_data)
{
  DossierWindow *self = user_data;

  self->update_idle = 0;
  update_actions (self);
  /* a flow opened from a checklist item goes on to the files once the
   * credentials are in (they load from the keyring) */
  if (self->pending_files_step && self->step == DOSSIER_STEP_PROVIDER && self->submission != NULL
      && step_ready (self, DOSSIER_STEP_PROVIDER, NULL) && step_ready (self, DOSSIER_STEP_DETAILS, NULL))
    {
      self->pending_files_step = FALSE;
      _dossier_window_enter_files_step (self);
    }
  return G_SOURCE_REMOVE;
}

/* Many notifications can arrive at once (a thousand files validated):
 * recompute at most once per main loop iteration. */
void
_dossier_window_queue_update (DossierWindow *self)
{
  if (self->update_idle == 0)
    self->update_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_idle_cb, self, NULL);
}

/* The submission's environment, as the window's subtitle */
static gboolean
environment_to_subtitle (GBinding     *binding,
                         const GValue *from,
                         GValue       *to,
                         gpointer      user_data)
{
  g_autoptr(GObject) submission = g_binding_dup_source (binding);
  DossierProvider *provider;
  const DossierEnvironment *environment;

  if (submission == NULL)
    return FALSE;

  provider = dossier_submission_get_provider (DOSSIER_SUBMISSION (submission));
  environment = dossier_provider_lookup_environment (provider, g_value_get_string (from));
  /* Translators: the window subtitle, "DOKU · Sandbox" */
  g_value_take_string (to, g_strdup_printf (_("%s · %s"), dossier_provider_get_name (provider),
                                            environment != NULL ? environment->name : ""));
  return TRUE;
}

void
_dossier_window_go_to (DossierWindow *self,
                       DossierStep    step)
{
  static const char *next_labels[] = { N_("_Next"), N_("_Next"), N_("_Upload"), N_("_New Submission") };
  static const char *next_tips[] = {
    N_("Document details (Alt+Right)"),
    N_("Choose files (Alt+Right)"),
    N_("Send the files (Alt+Right)"),
    N_("Start over with the same provider and credentials"),
  };
  GtkWidget *page;

  if (step != self->step)
    _dossier_window_dismiss_toasts (self);
  /* Focus out of the pages first: the stack would hand it to the first
   * focusable widget of the new page, on the results a selectable label,
   * which then shows all its text selected. */
  if (step == DOSSIER_STEP_UPLOAD)
    gtk_widget_grab_focus (self->next_button);
  self->step = step;
  _dossier_window_update_restore_offer (self);
  if (pages_built (self))
    gtk_stack_set_visible_child_name (self->stack, page_names[step]);
  dossier_step_indicator_set_step (self->step_indicator, step);
  /* a flow opened from a merchant's page ends back there */
  if (step == DOSSIER_STEP_UPLOAD && self->flow_merchant_id != NULL)
    gtk_button_set_label (GTK_BUTTON (self->next_button), _("_Done"));
  else
    gtk_button_set_label (GTK_BUTTON (self->next_button), _(next_labels[step]));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(next_tips[step]),
                                  -1);
  update_actions (self);

  if (!pages_built (self))
    return;

  /* keyboard users continue in the new page */
  page = gtk_stack_get_visible_child (self->stack);
  if (step < DOSSIER_STEP_UPLOAD && gtk_widget_get_mapped (page))
    gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
  else if (step == DOSSIER_STEP_UPLOAD)
    {
      /* while sending, Cancel All is what there is to do */
      GtkWidget *cancel = dossier_upload_page_get_cancel_button (self->upload_page);

      if (!(gtk_widget_get_visible (cancel) && gtk_widget_grab_focus (cancel)))
        gtk_widget_grab_focus (self->next_button);
    }
}

/* the environment chosen last is where the next session starts */
static void
on_environment_changed (DossierWindow *self)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "environment",
                           dossier_submission_get_environment (self->submission));
  _dossier_window_queue_update (self);
}

static void
on_submission_finished (DossierSubmission *submission,
                        DossierWindow     *self)
{
  guint n_done = dossier_gui_get_uint (submission, "n-done");
  guint n_failed = dossier_gui_get_uint (submission, "n-failed");
  guint n_unknown = dossier_gui_get_uint (submission, "n-unknown");
  g_autofree char *text = NULL;

  if (n_unknown > 0)
    /* Translators: "3 sent, 1 failed, 1 may have arrived" */
    text = g_strdup_printf (_("%u sent, %u failed, %u may have arrived"),
                            n_done, n_failed, n_unknown);
  else if (n_failed == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file sent", "All %u files sent", n_done),
                            n_done);
  else
    /* Translators: "3 sent, 1 failed" */
    text = g_strdup_printf (_("%u sent, %u failed"), n_done, n_failed);
  _dossier_window_show_toast (self, text);
  _dossier_notify_batch_finished (GTK_WINDOW (self), submission);
  _dossier_window_queue_update (self);
}

/* A full disk: said at the top of the window until dismissed, whatever
 * the step (a toast would go unseen) */
void
_dossier_window_show_record_error (DossierWindow *self,
                                   const char    *message)
{
  gtk_label_set_label (GTK_LABEL (self->record_error_label), message);
  gtk_revealer_set_reveal_child (self->record_error_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.dismiss-record-error", TRUE);
}

static void
on_record_error (DossierSubmission *submission,
                 DossierUpload     *upload,
                 const char        *message,
                 DossierWindow     *self)
{
  _dossier_window_show_record_error (self, message);
}

static void
dismiss_record_error_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->record_error_revealer, FALSE);
  gtk_widget_action_set_enabled (widget, "win.dismiss-record-error", FALSE);
}

static void
set_submission (DossierWindow     *self,
                DossierSubmission *submission)
{
  g_signal_group_set_target (self->submission_signals, submission);
  /* the new submission saves what is unsent from now on */
  if (self->submission != NULL && self->submission != submission)
    dossier_submission_set_queue_path (self->submission, NULL);
  g_set_object (&self->submission, submission);

  if (submission != NULL)
    dossier_submission_set_queue_path (submission, self->queue_path);

  /* pages not built yet get it when they are */
  if (pages_built (self))
    {
      dossier_provider_page_set_submission (self->provider_page, submission);
      dossier_details_page_set_submission (self->details_page, submission);
      dossier_files_page_set_submission (self->files_page, submission);
      dossier_upload_page_set_submission (self->upload_page, submission);
    }

  g_binding_group_set_source (self->submission_bindings, submission);
  update_actions (self);
}

static const char *
initial_environment (DossierWindow   *self,
                     DossierProvider *provider)
{
  g_autofree char *remembered = NULL;
  const DossierEnvironment *environment;

  if (self->settings != NULL)
    {
      remembered = g_settings_get_string (self->settings, "environment");
      environment = dossier_provider_lookup_environment (provider, remembered);
      if (environment != NULL)
        return environment->id;
    }

  /* a new user starts on the embedded sandbox */
  environment = dossier_provider_lookup_environment (provider, "sandbox");
  if (environment == NULL && dossier_provider_get_n_environments (provider) > 0)
    environment = dossier_provider_get_environment (provider, 0);

  return environment != NULL ? environment->id : NULL;
}

DossierSubmission *
_dossier_window_new_submission (DossierWindow   *self,
                                DossierProvider *provider)
{
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DossierSubmission *submission = dossier_submission_new (provider);
  const char *environment;

  if (app != NULL)
    dossier_submission_set_sandbox_url (submission, dossier_application_get_sandbox_url (app));
  if (self->settings != NULL)
    dossier_submission_set_max_concurrent (submission,
                                           g_settings_get_uint (self->settings, "max-concurrent"));

  environment = initial_environment (self, provider);
  if (environment != NULL)
    dossier_submission_set_environment (submission, environment);
  _dossier_window_inherit_merchant (self, submission);

  return submission;
}

/* SUBMISSION takes over from the current one, which stops; its provider
 * is the one the next session starts with */
void
_dossier_window_replace_submission (DossierWindow     *self,
                                    DossierSubmission *submission)
{
  if (self->submission != NULL)
    {
      /* the new submission saves what is unsent from now on */
      dossier_submission_set_queue_path (self->submission, NULL);
      dossier_submission_cancel_all (self->submission);
    }
  set_submission (self, submission);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "provider",
                           dossier_provider_get_id (dossier_submission_get_provider (submission)));
}

static void
select_provider (DossierWindow   *self,
                 DossierProvider *provider)
{
  g_autoptr(DossierSubmission) submission = NULL;

  if (self->submission != NULL && dossier_submission_get_provider (self->submission) == provider)
    return;

  submission = _dossier_window_new_submission (self, provider);

  /* files already chosen move over to the new provider */
  if (self->submission != NULL)
    {
      GListModel *uploads = dossier_submission_get_uploads (self->submission);
      g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
      guint n = g_list_model_get_n_items (uploads);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DossierUpload) upload = g_list_model_get_item (uploads, i);

          if (dossier_upload_get_file (upload) != NULL)
            g_list_store_append (files, dossier_upload_get_file (upload));
        }
      if (n > 0)
        dossier_submission_add_files (submission, G_LIST_MODEL (files));
    }

  _dossier_window_replace_submission (self, submission);
}

static void
on_provider_activated (DossierProviderPage *page,
                       DossierProvider     *provider,
                       DossierWindow       *self)
{
  select_provider (self, provider);
}

static void
on_page_changed (GtkWidget     *page,
                 DossierWindow *self)
{
  _dossier_window_queue_update (self);
}

static void
on_keyring_problem (DossierProviderPage *page,
                    const char          *message,
                    DossierWindow       *self)
{
  g_autofree char *text = NULL;

  /* once per window: the clerk can work without a keyring */
  if (self->keyring_warned)
    return;
  self->keyring_warned = TRUE;

  text = g_strdup_printf (_("Credentials are not remembered: %s"), message);
  _dossier_window_show_toast (self, text);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (self->step > DOSSIER_STEP_PROVIDER && self->step < DOSSIER_STEP_UPLOAD)
    _dossier_window_go_to (self, self->step - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (self->submission == NULL || !step_ready (self, self->step, NULL))
    return;

  switch (self->step)
    {
    case DOSSIER_STEP_PROVIDER:
      dossier_provider_page_commit (self->provider_page);
      _dossier_window_go_to (self, DOSSIER_STEP_DETAILS);
      break;
    case DOSSIER_STEP_DETAILS:
      _dossier_window_go_to (self, DOSSIER_STEP_FILES);
      break;
    case DOSSIER_STEP_FILES:
      dossier_submission_start (self->submission);
      _dossier_window_go_to (self, DOSSIER_STEP_UPLOAD);
      break;
    case DOSSIER_STEP_UPLOAD:
      if (self->flow_merchant_id != NULL)
        {
          _dossier_window_end_flow (self);
          break;
        }
      /* keeps provider, environment, credentials and account values */
      dossier_submission_clear (self->submission);
      _dossier_window_go_to (self, DOSSIER_STEP_PROVIDER);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Ctrl+O, Ctrl+V and files opened from outside lead to the files step once
 * provider and details are complete; otherwise the clerk hears why. */
gboolean
_dossier_window_enter_files_step (DossierWindow *self)
{
  g_autofree char *reason = NULL;

  _dossier_window_show_flow (self);
  if (self->step == DOSSIER_STEP_FILES)
    return TRUE;
  if (self->step == DOSSIER_STEP_UPLOAD)
    {
      _dossier_window_show_toast (self, _("Files can be added when this submission is finished"));
      return FALSE;
    }

  for (DossierStep step = self->step; step < DOSSIER_STEP_FILES; step++)
    if (!step_ready (self, step, &reason))
      {
        _dossier_window_go_to (self, step);
        _dossier_window_show_toast (self, reason);
        return FALSE;
      }

  dossier_provider_page_commit (self->provider_page);
  _dossier_window_go_to (self, DOSSIER_STEP_FILES);
  return TRUE;
}

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (_dossier_window_enter_files_step (self))
    dossier_files_page_open_chooser (self->files_page);
}

static void
paste_files_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (_dossier_window_enter_files_step (self))
    dossier_files_page_paste (self->files_page);
}

void
dossier_window_add_files (DossierWindow  *self,
                          GFile         **files,
                          int             n_files)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);

  g_return_if_fail (DOSSIER_IS_WINDOW (self));

  for (int i = 0; i < n_files; i++)
    g_list_store_append (store, files[i]);

  if (!_dossier_window_enter_files_step (self))
    return;

  dossier_files_page_add_files (self->files_page, G_LIST_MODEL (store));
}

static void
add_page (DossierWindow *self,
          GtkWidget     *page,
          DossierStep    step,
          const char    *title)
{
  gtk_stack_add_titled (self->stack, page, page_names[step], title);
  if (step != DOSSIER_STEP_UPLOAD)
    g_signal_connect (page, "changed", G_CALLBACK (on_page_changed), self);
}

/* The steps' pages (the details page's field editors, the files list, the
 * provider list...) cost more than the rest of the window together, and
 * the window opens on the merchants: they are built when the flow is
 * first shown, or first asked for. */
void
_dossier_window_ensure_pages (DossierWindow *self)
{
  DossierApplication *app;

  if (pages_built (self))
    return;

  self->provider_page = g_object_new (DOSSIER_TYPE_PROVIDER_PAGE, NULL);
  self->details_page = g_object_new (DOSSIER_TYPE_DETAILS_PAGE, NULL);
  self->files_page = g_object_new (DOSSIER_TYPE_FILES_PAGE, NULL);
  self->upload_page = g_object_new (DOSSIER_TYPE_UPLOAD_PAGE, NULL);
  add_page (self, GTK_WIDGET (self->provider_page), DOSSIER_STEP_PROVIDER, _("Provider"));
  add_page (self, GTK_WIDGET (self->details_page), DOSSIER_STEP_DETAILS, _("Details"));
  add_page (self, GTK_WIDGET (self->files_page), DOSSIER_STEP_FILES, _("Files"));
  add_page (self, GTK_WIDGET (self->upload_page), DOSSIER_STEP_UPLOAD, _("Upload"));
  g_signal_connect (self->provider_page, "provider-activated",
                    G_CALLBACK (on_provider_activated), self);
  g_signal_connect (self->provider_page, "keyring-problem",
                    G_CALLBACK (on_keyring_problem), self);

  app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app != NULL)
    dossier_provider_page_set_catalogue (self->provider_page, dossier_application_get_catalogue (app));
  if (self->merchant_store != NULL)
    dossier_provider_page_set_merchant_store (self->provider_page, self->merchant_store);
  if (self->submission != NULL)
    {
      dossier_provider_page_set_submission (self->provider_page, self->submission);
      dossier_details_page_set_submission (self->details_page, self->submission);
      dossier_files_page_set_submission (self->files_page, self->submission);
      dossier_upload_page_set_submission (self->upload_page, self->submission);
    }

  /* the step the window is on, without a transition */
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_set_visible_child_name (self->stack, page_names[self->step]);
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  update_actions (self);
}

static void
restore_state (DossierWindow *self)
{
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DossierCatalogue *catalogue;
  g_autoptr(DossierProvider) provider = NULL;
  g_autofree char *provider_id = NULL;

  if (app == NULL)
    return;

  self->settings = g_object_ref (dossier_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  catalogue = dossier_application_get_catalogue (app);

  provider_id = g_settings_get_string (self->settings, "provider");
  provider = dossier_catalogue_lookup (catalogue, provider_id);
  if (provider != NULL)
    g_object_ref (provider);
  else if (g_list_model_get_n_items (G_LIST_MODEL (catalogue)) > 0)
    provider = g_list_model_get_item (G_LIST_MODEL (catalogue), 0);

  if (provider != NULL)
    select_provider (self, provider);
  _dossier_window_setup_merchants (self);
}

static gboolean
dossier_window_close_request (GtkWindow *window)
{
  DossierWindow *self = DOSSIER_WINDOW (window);
  /* not built (the records loading, or a failed read): nothing to save */
  DossierMerchantPage *page = _dossier_window_get_merchant_page (self);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }

  if (self->submission != NULL)
    dossier_submission_cancel_all (self->submission);
  if (page != NULL)
    dossier_merchant_page_save (page);

  return GTK_WINDOW_CLASS (dossier_window_parent_class)->close_request (window);
}

static void
dossier_window_dispose (GObject *object)
{
  DossierWindow *self = DOSSIER_WINDOW (object);

  g_clear_handle_id (&self->update_idle, g_source_remove);
  if (self->submission_signals != NULL)
    g_signal_group_set_target (self->submission_signals, NULL);
  if (self->submission != NULL)
    dossier_submission_cancel_all (self->submission);
  g_clear_object (&self->submission);
  g_clear_object (&self->submission_signals);
  g_clear_object (&self->submission_bindings);
  g_clear_object (&self->settings);
  g_clear_object (&self->saved_queue);
  _dossier_window_dispose_merchants (self);
  if (self->toasts != NULL)
    {
      for (guint i = 0; i < self->toasts->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->toasts, i), self);
      g_clear_pointer (&self->toasts, g_ptr_array_unref);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_WINDOW);

  G_OBJECT_CLASS (dossier_window_parent_class)->dispose (object);
}

static void
dossier_window_finalize (GObject *object)
{
  DossierWindow *self = DOSSIER_WINDOW (object);

  g_free (self->last_toast);
  g_free (self->queue_path);
  g_free (self->flow_merchant_id);

  G_OBJECT_CLASS (dossier_window_parent_class)->finalize (object);
}

static void
dossier_window_class_init (DossierWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dossier_window_dispose;
  object_class->finalize = dossier_window_finalize;
  window_class->close_request = dossier_window_close_request;

  g_type_ensure (DOSSIER_TYPE_STEP_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, step_indicator);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, restore_revealer);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, restore_label);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, restore_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, discard_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, record_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, record_error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, merchants_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, primary_menu);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.add-files", NULL, add_files_action);
  gtk_widget_class_install_action (widget_class, "win.paste-files", NULL, paste_files_action);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", _dossier_window_show_toast_action);
  gtk_widget_class_install_action (widget_class, "win.restore-queue", NULL, _dossier_window_restore_queue_action);
  gtk_widget_class_install_action (widget_class, "win.discard-queue", NULL, _dossier_window_discard_queue_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-record-error", NULL,
                                   dismiss_record_error_action);

  /* Bubble-phase bindings: a focused entry keeps its own Ctrl+V. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.add-files", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste-files", NULL);
  _dossier_window_install_merchant_actions (widget_class);
}

static void
dossier_window_init (DossierWindow *self)
{
  static const char * const actions_follow[] = { "n-active", "running", "base-url", "credentials", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->submission_signals = g_signal_group_new (DOSSIER_TYPE_SUBMISSION);
  g_signal_group_connect_swapped (self->submission_signals, "notify::environment",
                                  G_CALLBACK (on_environment_changed), self);
  dossier_gui_watch_properties (self->submission_signals, actions_follow,
                                G_CALLBACK (_dossier_window_queue_update), self);
  g_signal_group_connect (self->submission_signals, "finished",
                          G_CALLBACK (on_submission_finished), self);
  g_signal_group_connect (self->submission_signals, "record-error",
                          G_CALLBACK (on_record_error), self);
  self->submission_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->submission_bindings, "environment",
                             self->window_title, "subtitle", G_BINDING_SYNC_CREATE,
                             environment_to_subtitle, NULL, NULL, NULL);
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->queue_path = dossier_queue_state_dup_default_path ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.dismiss-record-error", FALSE);
}

DossierWindow *
dossier_window_new (DossierApplication *application)
{
  DossierWindow *self;

  g_return_val_if_fail (DOSSIER_IS_APPLICATION (application), NULL);

  self = g_object_new (DOSSIER_TYPE_WINDOW, "application", application, NULL);

  /* the application is set only after construction */
  restore_state (self);
  _dossier_window_load_saved_queue (self);
  _dossier_window_go_to (self, DOSSIER_STEP_PROVIDER);
  /* the merchants, unless a last session left files unsent */
  if (self->saved_queue == NULL && self->home != NULL)
    _dossier_window_show_merchants (self);
  else
    _dossier_window_show_flow (self);
  g_idle_add_full (G_PRIORITY_LOW, _dossier_window_report_problems, g_object_ref (self), g_object_unref);
  _dossier_startup_add_help_overlay (GTK_APPLICATION_WINDOW (self));

  return self;
}

DossierSubmission *
dossier_window_get_submission (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return self->submission;
}

DossierStep
dossier_window_get_step (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), 0);
  return self->step;
}

GtkWidget *
dossier_window_get_page (DossierWindow *self,
                         DossierStep    step)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);

  _dossier_window_ensure_pages (self);
  switch (step)
    {
    case DOSSIER_STEP_PROVIDER:
      return GTK_WIDGET (self->provider_page);
    case DOSSIER_STEP_DETAILS:
      return GTK_WIDGET (self->details_page);
    case DOSSIER_STEP_FILES:
      return GTK_WIDGET (self->files_page);
    case DOSSIER_STEP_UPLOAD:
      return GTK_WIDGET (self->upload_page);
    default:
      g_return_val_if_reached (NULL);
    }
}

GtkWidget *
dossier_window_get_next_button (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return self->next_button;
}

GtkWidget *
dossier_window_get_back_button (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return self->back_button;
}

const char *
dossier_window_get_subtitle (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return adw_window_title_get_subtitle (self->window_title);
}

const char *
dossier_window_get_last_toast (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return self->last_toast;
}

const char *
dossier_window_get_restore_text (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->restore_revealer))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->restore_label));
}

GtkWidget *
dossier_window_get_restore_button (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return self->restore_button;
}

GtkWidget *
dossier_window_get_discard_button (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return self->discard_button;
}

DossierStepIndicator *
dossier_window_get_step_indicator (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);
  return self->step_indicator;
}

/* the message that the history could not record an upload, while shown */
const char *
dossier_window_get_record_error_text (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->record_error_revealer))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->record_error_label));
}
