/* dossier-window-merchants.c: the window's merchants, and the guided flow opened from them
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window opens on the merchants (the last one opened shown again);
 * "Upload" on a checklist item, or files dropped on a merchant's page,
 * open the guided flow with the provider, environment, merchant, account
 * values and the item's category/code/purpose/requirement chosen, on the
 * files step. Done (or backing out of the first step) returns to the
 * merchant's page, which asks the providers again.
 *
 * The merchants are the application's store, read on a worker from the
 * start (dossier-merchant-store-load.c): until it holds the file's
 * records, what needs them waits: New Merchant, Search, Export All and a
 * notification's merchant run once they are in (the home shows a loading
 * page meanwhile), the last merchant opened is shown then, and the
 * reviews' follow-up starts then.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-export-dialog.h"
#include "dossier-gui-util.h"
#include "dossier-history.h"
#include "dossier-merchant-dialog.h"
#include "dossier-merchant-drop.h"
#include "dossier-window-private.h"

static gboolean merchants_ready (DossierWindow *self,
                                 const char    *action,
                                 const char    *merchant_id);

gboolean
_dossier_window_in_flow (DossierWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "flow") == 0;
}

void
_dossier_window_show_flow (DossierWindow *self)
{
  /* what waited for the merchants' records is dropped: the clerk moved on */
  self->pending_merchant_action = NULL;
  g_clear_pointer (&self->pending_merchant_id, g_free);
  _dossier_window_ensure_pages (self);
  gtk_stack_set_visible_child_name (self->mode_stack, "flow");
}

void
_dossier_window_show_merchants (DossierWindow *self)
{
  if (self->home == NULL)
    return;
  self->pending_files_step = FALSE;
  gtk_stack_set_visible_child_name (self->mode_stack, "merchants");
}

/* The flow's title says whose documents these are */
static void
set_flow_merchant (DossierWindow   *self,
                   DossierMerchant *merchant)
{
  g_autofree char *title = NULL;

  g_free (self->flow_merchant_id);
  self->flow_merchant_id = merchant != NULL ? g_strdup (dossier_merchant_get_id (merchant)) : NULL;
  /* Translators: the flow's title when it sends for a merchant: "Upload for Toko Makmur" */
  title = merchant != NULL ? g_strdup_printf (_("Upload for %s"), dossier_merchant_get_name (merchant))
                           : g_strdup (_("Upload documents"));
  adw_window_title_set_title (self->window_title, title);
}

DossierMerchantPage *
_dossier_window_get_merchant_page (DossierWindow *self)
{
  if (self->home == NULL || !dossier_merchant_home_is_built (self->home))
    return NULL;
  return dossier_merchant_home_get_page (self->home);
}

static DossierMerchant *
current_merchant (DossierWindow *self)
{
  DossierMerchantPage *page = _dossier_window_get_merchant_page (self);

  return page != NULL ? dossier_merchant_page_get_merchant (page) : NULL;
}

/* The merchant's id on @submission, and its account values for the
 * submission's provider (what the clerk typed in the flow stays where the
 * record has nothing) */
static void
apply_merchant (DossierSubmission *submission,
                DossierMerchant   *merchant)
{
  DossierProvider *provider = dossier_submission_get_provider (submission);
  g_autoptr(GHashTable) values = NULL;
  GHashTableIter iter;
  gpointer key, value;

  dossier_submission_set_merchant_id (submission, merchant != NULL ? dossier_merchant_get_id (merchant) : NULL);
  if (merchant == NULL)
    return;
  values = dossier_merchant_dup_account_values (merchant, dossier_provider_get_id (provider));
  if (values == NULL)
    return;
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    dossier_submission_set_value (submission, key, value);
}

/* A new submission (another provider chosen) stays with the merchant */
void
_dossier_window_inherit_merchant (DossierWindow     *self,
                                  DossierSubmission *submission)
{
  const char *id;

  if (self->merchant_store == NULL)
    return;
  dossier_submission_set_merchant_store (submission, self->merchant_store);
  id = self->submission != NULL ? dossier_submission_get_merchant_id (self->submission) : NULL;
  if (id != NULL)
    apply_merchant (submission, dossier_merchant_store_lookup (self->merchant_store, id));
}

static void
remember_merchant (DossierWindow   *self,
                   DossierMerchant *merchant)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "merchant", merchant != NULL ? dossier_merchant_get_id (merchant) : "");
}

static void
show_merchant (DossierWindow   *self,
               DossierMerchant *merchant)
{
  dossier_merchant_home_show_merchant (self->home, merchant);
  remember_merchant (self, merchant);
}

/* Done, or back out: the merchant's page again, asked again */
void
_dossier_window_end_flow (DossierWindow *self)
{
  g_autofree char *id = g_strdup (self->flow_merchant_id);
  DossierMerchant *merchant = id != NULL ? dossier_merchant_store_lookup (self->merchant_store, id) : NULL;

  set_flow_merchant (self, NULL);

  if (self->submission != NULL && !dossier_gui_get_boolean (self->submission, "running"))
    {
      dossier_submission_clear (self->submission);
      _dossier_window_go_to (self, DOSSIER_STEP_PROVIDER);
    }
  _dossier_window_show_merchants (self);
  if (merchant != NULL)
    {
      show_merchant (self, merchant);
      dossier_merchant_page_refresh (dossier_merchant_home_get_page (self->home));
    }
}

/* An item's values (category, code, filePurpose; the metadata that names
 * the requirement) on @upload, or as the submission's defaults */
static void
apply_item (DossierSubmission    *submission,
            DossierUpload        *upload,
            DossierChecklistItem *item)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (dossier_submission_get_provider (submission));
  GHashTable *fields = dossier_checklist_item_get_fields (item);
  const char *metadata = dossier_checklist_item_get_metadata (item);
  GHashTableIter iter;
  gpointer key, value;

  if (fields != NULL)
    {
      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (upload != NULL)
          dossier_upload_set_value (upload, key, value);
        else
          dossier_submission_set_value (submission, key, value);
    }
  if (metadata != NULL && spec != NULL && spec->metadata_field != NULL)
    {
      if (upload != NULL)
        dossier_upload_set_value (upload, spec->metadata_field, metadata);
      else
        dossier_submission_set_value (submission, spec->metadata_field, metadata);
    }
}

/* The guided flow for @merchant and @provider, on the files step once the
 * credentials are in: an item's values, dropped files matched to items,
 * or a re-upload task's @values (its purpose, metadata with the
 * requirement and error code) */
void
_dossier_window_open_flow (DossierWindow        *self,
                           DossierMerchant      *merchant,
                           DossierProvider      *provider,
                           const char           *environment,
                           DossierChecklistItem *item,
                           GPtrArray            *drops,
                           GHashTable           *values)
{
  g_autoptr(DossierSubmission) submission = NULL;

  if (merchant == NULL)
    return;
  if (self->submission != NULL && dossier_gui_get_boolean (self->submission, "running"))
    {
      _dossier_window_show_flow (self);
      _dossier_window_show_toast (self, _("Wait until the files are sent, or cancel them"));
      return;
    }

  submission = _dossier_window_new_submission (self, provider);
  if (environment != NULL)
    dossier_submission_set_environment (submission, environment);
  apply_merchant (submission, merchant);
  if (item != NULL)
    apply_item (submission, NULL, item);
  if (values != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        dossier_submission_set_value (submission, key, value);
    }
  _dossier_window_replace_submission (self, submission);
  if (drops != NULL)
    for (guint i = 0; i < drops->len; i++)
      {
        DossierMerchantDrop *drop = g_ptr_array_index (drops, i);
        DossierUpload *upload = dossier_submission_add_file (submission, drop->file);

        if (upload != NULL && drop->item != NULL)
          apply_item (submission, upload, drop->item);
      }

  set_flow_merchant (self, merchant);
  _dossier_window_show_flow (self);
  _dossier_window_go_to (self, DOSSIER_STEP_PROVIDER);
  /* on to the files once the credentials are in */
  self->pending_files_step = TRUE;
  _dossier_window_queue_update (self);
}

static void
on_upload_requested (DossierMerchantPage  *page,
                     DossierChecklistView *view,
                     DossierChecklistItem *item,
                     GPtrArray            *drops,
                     DossierWindow        *self)
{
  _dossier_window_open_flow (self, dossier_merchant_page_get_merchant (page),
                             dossier_checklist_get_provider (dossier_checklist_view_get_checklist (view)),
                             dossier_checklist_view_get_environment (view), item, drops, NULL);
}

void
_dossier_window_show_merchant_id (DossierWindow *self,
                                  const char    *merchant_id)
{
  DossierMerchant *merchant;

  if (self->home == NULL || merchant_id == NULL)
    return;
  /* a notification's merchant, before the records are in: shown then */
  if (!merchants_ready (self, NULL, merchant_id))
    {
      _dossier_window_show_merchants (self);
      return;
    }
  merchant = dossier_merchant_store_lookup (self->merchant_store, merchant_id);
  if (merchant == NULL)
    {
      _dossier_window_show_toast (self, _("This merchant is no longer in Dossier"));
      return;
    }
  if (self->flow_merchant_id != NULL && !dossier_gui_get_boolean (self->submission, "running"))
    _dossier_window_end_flow (self);
  _dossier_window_show_merchants (self);
  show_merchant (self, merchant);
}

static void
on_merchant_activated (DossierMerchantList *list,
                       DossierMerchant     *merchant,
                       DossierWindow       *self)
{
  show_merchant (self, merchant);
}

static void
on_page_changed (DossierWindow *self)
{
  dossier_merchant_list_update_badges (dossier_merchant_home_get_list (self->home));
}

/* The list and the page exist: the window follows them */
static void
on_home_built (DossierMerchantHome *home,
               DossierWindow       *self)
{
  DossierMerchantPage *page = dossier_merchant_home_get_page (home);

  g_signal_connect (dossier_merchant_home_get_list (home), "merchant-activated",
                    G_CALLBACK (on_merchant_activated), self);
  g_signal_connect (page, "upload-requested", G_CALLBACK (on_upload_requested), self);
  g_signal_connect_swapped (page, "changed", G_CALLBACK (on_page_changed), self);
  g_signal_connect_swapped (page, "refreshed", G_CALLBACK (on_page_changed), self);
}

/* Whether the store holds the file's records; if not, @action (or the
 * merchant @merchant_id) waits for them, or the clerk hears why not */
static gboolean
merchants_ready (DossierWindow *self,
                 const char    *action,
                 const char    *merchant_id)
{
  const GError *error;

  if (self->merchant_store == NULL)
    return FALSE;
  if (dossier_merchant_store_get_loaded (self->merchant_store))
    return TRUE;
  error = dossier_merchant_store_get_load_error (self->merchant_store);
  if (dossier_merchant_store_get_loading (self->merchant_store) || error == NULL)
    {
      if (action != NULL)
        self->pending_merchant_action = action;
      if (merchant_id != NULL)
        {
          g_free (self->pending_merchant_id);
          self->pending_merchant_id = g_strdup (merchant_id);
        }
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("The merchants could not be read: %s"), error->message);

      _dossier_window_show_toast (self, text);
    }
  return FALSE;
}

/* Lines of the file that could not be read stay in it as they are: said
 * once, with the first one */
static void
report_store_problems (DossierWindow *self)
{
  GPtrArray *problems = dossier_merchant_store_get_problems (self->merchant_store);
  g_autofree char *text = NULL;

  if (problems->len == 0)
    return;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u merchant’s record could not be read and stays in the file as it is: %s",
                                       "%u merchants’ records could not be read and stay in the file as they are: %s",
                                       problems->len),
                          problems->len, ((GError *) g_ptr_array_index (problems, 0))->message);
  _dossier_window_show_toast (self, text);
}

/* The store holds the file's records: what waited for them runs */
static void
on_store_loaded (DossierWindow *self)
{
  g_autofree char *last = NULL;
  g_autofree char *pending_id = NULL;
  const char *pending_action;
  DossierMerchant *merchant;

  if (self->merchants_ready || !dossier_merchant_store_get_loaded (self->merchant_store))
    return;
  self->merchants_ready = TRUE;
  g_signal_handlers_disconnect_by_func (self->merchant_store, on_store_loaded, self);

  report_store_problems (self);
  last = g_settings_get_string (self->settings, "merchant");
  merchant = *last != '\0' ? dossier_merchant_store_lookup (self->merchant_store, last) : NULL;
  /* not while the flow is on screen: it stays, the page waits behind */
  if (merchant != NULL && dossier_merchant_page_get_merchant (dossier_merchant_home_get_page (self->home)) == NULL)
    dossier_merchant_home_show_merchant (self->home, merchant);

  pending_id = g_steal_pointer (&self->pending_merchant_id);
  pending_action = self->pending_merchant_action;
  self->pending_merchant_action = NULL;
  if (pending_id != NULL)
    _dossier_window_show_merchant_id (self, pending_id);
  if (pending_action != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), pending_action, NULL);

  /* the reviews and tasks once the first frame is out */
  _dossier_window_schedule_follow_up (self);
}

/* A read that failed: what waited for it is dropped, the home says why */
static void
on_store_loading (DossierWindow *self)
{
  if (dossier_merchant_store_get_loading (self->merchant_store) ||
      dossier_merchant_store_get_loaded (self->merchant_store))
    return;
  self->pending_merchant_action = NULL;
  g_clear_pointer (&self->pending_merchant_id, g_free);
}

void
_dossier_window_setup_merchants (DossierWindow *self)
{
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DossierCatalogue *catalogue = dossier_application_get_catalogue (app);

  self->merchant_store = g_object_ref (dossier_application_get_merchant_store (app));
  self->home = dossier_merchant_home_new (catalogue, self->merchant_store,
                                          G_LIST_MODEL (dossier_history_get_default ()),
                                          dossier_application_get_sandbox_url (app), self->primary_menu);
  gtk_stack_add_named (self->mode_stack, GTK_WIDGET (self->home), "merchants");
  g_signal_connect (self->home, "built", G_CALLBACK (on_home_built), self);
  /* the home follows the store from here on */
  dossier_merchant_home_attach (self->home, ADW_APPLICATION_WINDOW (self));

  if (self->provider_page != NULL)
    dossier_provider_page_set_merchant_store (self->provider_page, self->merchant_store);
  if (self->submission != NULL)
    dossier_submission_set_merchant_store (self->submission, self->merchant_store);

  g_signal_connect_swapped (self->merchant_store, "notify::loaded", G_CALLBACK (on_store_loaded), self);
  g_signal_connect_swapped (self->merchant_store, "notify::loading", G_CALLBACK (on_store_loading), self);
  on_store_loaded (self);
}

void
_dossier_window_dispose_merchants (DossierWindow *self)
{
  _dossier_window_dispose_follow_up (self);
  if (self->merchant_store != NULL)
    g_signal_handlers_disconnect_by_data (self->merchant_store, self);
  if (self->home != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->home, self);
      if (dossier_merchant_home_is_built (self->home))
        {
          g_signal_handlers_disconnect_by_data (dossier_merchant_home_get_list (self->home), self);
          g_signal_handlers_disconnect_by_data (dossier_merchant_home_get_page (self->home), self);
        }
      self->home = NULL;
    }
  g_clear_object (&self->merchant_store);
  g_clear_pointer (&self->pending_merchant_id, g_free);
  self->pending_merchant_action = NULL;
}

static void
on_merchant_created (DossierMerchantDialog *dialog,
                     DossierMerchant       *merchant,
                     DossierWindow         *self)
{
  show_merchant (self, merchant);
  dossier_merchant_list_update_badges (dossier_merchant_home_get_list (self->home));
}

static void
new_merchant_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  DossierMerchantDialog *dialog;

  if (self->home == NULL)
    return;
  _dossier_window_show_merchants (self);
  if (!merchants_ready (self, "win.new-merchant", NULL))
    return;
  dialog = dossier_merchant_dialog_new (GTK_WINDOW (self), self->merchant_store);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_merchant_created), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_merchants_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (self->home == NULL)
    return;
  _dossier_window_show_merchants (self);
  if (!merchants_ready (self, "win.search-merchants", NULL) || dossier_merchant_home_is_empty (self->home))
    return;
  dossier_merchant_home_show_list (self->home);
  dossier_merchant_list_start_search (dossier_merchant_home_get_list (self->home));
}

static void
merchant_list_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (self->home != NULL)
    dossier_merchant_home_show_list (self->home);
}

static void
show_merchants_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (self->flow_merchant_id != NULL)
    _dossier_window_end_flow (self);
  else
    _dossier_window_show_merchants (self);
}

/* The guided flow on its own: the merchant asked on its first step */
static void
upload_adhoc_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  set_flow_merchant (self, NULL);
  if (self->submission != NULL && !dossier_gui_get_boolean (self->submission, "running"))
    {
      if (self->step == DOSSIER_STEP_UPLOAD)
        {
          dossier_submission_clear (self->submission);
          _dossier_window_go_to (self, DOSSIER_STEP_PROVIDER);
        }
      if (g_list_model_get_n_items (dossier_submission_get_uploads (self->submission)) == 0)
        dossier_submission_set_merchant_id (self->submission, NULL);
    }
  _dossier_window_show_flow (self);
  _dossier_window_go_to (self, self->step);
}

/* The flow for the merchant on screen, every step to choose */
static void
upload_for_merchant_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  DossierMerchant *merchant = current_merchant (self);

  if (merchant == NULL || self->submission == NULL)
    return;
  if (dossier_gui_get_boolean (self->submission, "running"))
    {
      _dossier_window_show_flow (self);
      return;
    }
  dossier_submission_clear (self->submission);
  apply_merchant (self->submission, merchant);
  _dossier_window_ensure_pages (self);
  dossier_provider_page_set_submission (self->provider_page, NULL);
  dossier_provider_page_set_submission (self->provider_page, self->submission);
  set_flow_merchant (self, merchant);
  _dossier_window_show_flow (self);
  _dossier_window_go_to (self, DOSSIER_STEP_PROVIDER);
}

static void
export (DossierWindow   *self,
        DossierMerchant *merchant)
{
  g_autoptr(GPtrArray) checklists = NULL;
  GtkWindow *dialog;

  if (!merchants_ready (self, merchant == NULL ? "win.export-all" : NULL, NULL))
    return;
  if (merchant != NULL)
    checklists = dossier_merchant_page_dup_checklists (dossier_merchant_home_get_page (self->home));
  dialog = dossier_export_dialog_new (GTK_WINDOW (self), G_LIST_MODEL (dossier_history_get_default ()),
                                      self->merchant_store, merchant, checklists);
  gtk_window_present (dialog);
}

static void
export_merchant_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (current_merchant (self) != NULL)
    export (self, current_merchant (self));
}

static void
export_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (DOSSIER_WINDOW (widget), NULL);
}

/* Try Again, when the file could not be read */
static void
reload_merchants_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (self->merchant_store != NULL && !dossier_merchant_store_get_loading (self->merchant_store))
    dossier_merchant_store_load_async (self->merchant_store, NULL, NULL, NULL);
}

static void
refresh_merchant_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  DossierMerchantPage *page = _dossier_window_get_merchant_page (self);

  if (page != NULL)
    dossier_merchant_page_refresh (page);
}

void
_dossier_window_install_merchant_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-merchant", NULL, new_merchant_action);
  gtk_widget_class_install_action (widget_class, "win.search-merchants", NULL, search_merchants_action);
  gtk_widget_class_install_action (widget_class, "win.merchant-list", NULL, merchant_list_action);
  gtk_widget_class_install_action (widget_class, "win.show-merchants", NULL, show_merchants_action);
  gtk_widget_class_install_action (widget_class, "win.upload-adhoc", NULL, upload_adhoc_action);
  gtk_widget_class_install_action (widget_class, "win.upload-for-merchant", NULL, upload_for_merchant_action);
  gtk_widget_class_install_action (widget_class, "win.export-merchant", NULL, export_merchant_action);
  gtk_widget_class_install_action (widget_class, "win.export-all", NULL, export_all_action);
  gtk_widget_class_install_action (widget_class, "win.refresh-merchant", NULL, refresh_merchant_action);
  gtk_widget_class_install_action (widget_class, "win.reload-merchants", NULL, reload_merchants_action);
  _dossier_window_install_follow_up_actions (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-merchant", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search-merchants", NULL);
}

DossierMerchantHome *
dossier_window_get_merchant_home (DossierWindow *self)
{
  return self->home;
}

DossierMerchantStore *
dossier_window_get_merchant_store (DossierWindow *self)
{
  return self->merchant_store;
}
