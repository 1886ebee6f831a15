/* dossier-merchant-page.c: one merchant, its account values, checklists and recent uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Name, reference and notes; per provider with account fields (from its
 * descriptor: the "account" scope) a group of rows validated inline as the
 * details step does, and once the values are complete the provider's
 * checklist; the merchant's last uploads. Changes are saved to the store
 * a moment after the clerk stops typing (a valid value only), and when the
 * page shows another merchant. Files dropped on the page are matched to
 * the checklists' open items (dossier-merchant-drop.c).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-util.h"
#include "dossier-history.h"
#include "dossier-merchant-drop.h"
#include "dossier-merchant-follow-up.h"
#include "dossier-merchant-page.h"
#include "dossier-merchant-rows.h"

#define RECENT_ROWS 5
#define SAVE_DELAY_MS 500

struct _DossierMerchantPage
{
  AdwBin                parent_instance;

  DossierCatalogue     *catalogue;
  DossierMerchantStore *store;
  DossierClient        *client;
  GListModel           *history;
  char                 *sandbox_url;
  DossierMerchant      *merchant;

  AdwHeaderBar         *header_bar;
  GtkWidget            *back_button;
  AdwWindowTitle       *title;
  GtkWidget            *name_row;
  GtkWidget            *reference_row;
  GtkWidget            *notes_row;
  GtkWidget            *providers_box;
  GtkWidget            *follow_up;  /* DossierMerchantFollowUp */
  DossierFollowUpGui   *follow_up_gui;
  GtkWidget            *uploads_group;
  GPtrArray            *upload_rows;
  GPtrArray            *editors;  /* DossierFieldEditor */
  GPtrArray            *views;    /* DossierChecklistView */
  GHashTable           *provider_boxes; /* provider id -> GtkBox (unowned) */
  guint                 save_timeout;
  guint                 syncing : 1;
  guint                 dirty : 1;
};

G_DEFINE_FINAL_TYPE (DossierMerchantPage, dossier_merchant_page, ADW_TYPE_BIN)

enum { UPLOAD_REQUESTED, CHANGED, REFRESHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void sync_checklists (DossierMerchantPage *self);

/* A view taken off the page: its asking stops (an answer still on its
 * way is never written into the merchant's record) */
static void
forget_view (DossierMerchantPage  *self,
             DossierChecklistView *view)
{
  g_signal_handlers_disconnect_by_data (view, self);
  dossier_checklist_view_set_merchant (view, NULL, NULL);
}

void
dossier_merchant_page_save (DossierMerchantPage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->save_timeout, g_source_remove);
  if (!self->dirty || self->merchant == NULL)
    return;
  self->dirty = FALSE;
  if (!dossier_merchant_store_update (self->store, self->merchant, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The merchant could not be saved: %s"), error->message);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
      return;
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  DossierMerchantPage *self = user_data;

  self->save_timeout = 0;
  dossier_merchant_page_save (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (DossierMerchantPage *self)
{
  self->dirty = TRUE;
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->save_timeout = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
update_title (DossierMerchantPage *self)
{
  const char *reference = self->merchant != NULL ? dossier_merchant_get_reference (self->merchant) : NULL;

  adw_window_title_set_title (self->title, self->merchant != NULL ? dossier_merchant_get_name (self->merchant) : "");
  adw_window_title_set_subtitle (self->title, reference != NULL ? reference : "");
}

static void
on_name_changed (DossierMerchantPage *self)
{
  g_autofree char *name = dossier_merchant_rows_dup_text (self->name_row);

  if (self->syncing || self->merchant == NULL)
    return;
  /* a merchant keeps a name: an empty one is said, not saved */
  if (dossier_merchant_rows_name_problem (name) != NULL)
    {
      gtk_widget_add_css_class (self->name_row, "error");
      gtk_widget_set_tooltip_text (self->name_row, dossier_merchant_rows_name_problem (name));
      return;
    }
  gtk_widget_remove_css_class (self->name_row, "error");
  gtk_widget_set_tooltip_text (self->name_row, NULL);
  dossier_merchant_set_name (self->merchant, name);
  update_title (self);
  schedule_save (self);
}

static void
on_text_changed (DossierMerchantPage *self)
{
  g_autofree char *reference = dossier_merchant_rows_dup_text (self->reference_row);
  g_autofree char *notes = dossier_merchant_rows_dup_text (self->notes_row);

  if (self->syncing || self->merchant == NULL)
    return;
  dossier_merchant_set_reference (self->merchant, reference);
  dossier_merchant_set_notes (self->merchant, notes);
  update_title (self);
  schedule_save (self);
}

static DossierProvider *
editor_provider (DossierFieldEditor *editor)
{
  return g_object_get_data (G_OBJECT (editor), "provider");
}

/* A valid value is kept; the row says what is wrong with another */
static void
on_editor_value (DossierFieldEditor  *editor,
                 GParamSpec          *pspec,
                 DossierMerchantPage *self)
{
  DossierField *field = dossier_field_editor_get_field (editor);
  const char *value = dossier_field_editor_get_value (editor);
  g_autoptr(GError) error = NULL;

  if (self->syncing || self->merchant == NULL)
    return;
  if (value != NULL && *value != '\0' && dossier_field_editor_get_problem (editor) != NULL)
    return;
  if (!dossier_merchant_set_account_value (self->merchant, editor_provider (editor),
                                           dossier_field_get_name (field), value, &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", error->message);
      return;
    }
  schedule_save (self);
  sync_checklists (self);
}

static void
on_view_upload (DossierChecklistView *view,
                DossierChecklistItem *item,
                DossierMerchantPage  *self)
{
  dossier_merchant_page_save (self);
  g_signal_emit (self, signals[UPLOAD_REQUESTED], 0, view, item, NULL);
}

static void
on_view_refreshed (DossierChecklistView *view,
                   DossierMerchantPage  *self)
{
  g_signal_emit (self, signals[REFRESHED], 0);
}

static gboolean
account_complete (DossierMerchantPage *self,
                  DossierProvider     *provider)
{
  g_autoptr(GHashTable) values = dossier_merchant_dup_account_values (self->merchant,
                                                                      dossier_provider_get_id (provider));
  g_autoptr(GPtrArray) missing = dossier_merchant_missing_account_fields (self->merchant, provider);

  return values != NULL && g_hash_table_size (values) > 0 && missing->len == 0;
}

DossierChecklistView *
dossier_merchant_page_get_checklist_view (DossierMerchantPage *self,
                                          const char          *provider_id)
{
  for (guint i = 0; i < self->views->len; i++)
    {
      DossierChecklistView *view = g_ptr_array_index (self->views, i);
      DossierProvider *provider = dossier_checklist_get_provider (dossier_checklist_view_get_checklist (view));

      if (g_strcmp0 (dossier_provider_get_id (provider), provider_id) == 0)
        return view;
    }
  return NULL;
}

/* The account values in one line on the collapsed row: "3f2b1c8e-…" */
static void
update_account_summary (DossierMerchantPage *self,
                        DossierProvider     *provider,
                        GtkWidget           *expander,
                        gboolean             complete)
{
  g_autoptr(GPtrArray) fields = dossier_merchant_account_fields (provider);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      const char *value = dossier_merchant_get_account_value (self->merchant, dossier_provider_get_id (provider),
                                                              dossier_field_get_name (g_ptr_array_index (fields, i)));

      if (value == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, value);
    }
  if (!complete)
    {
      g_string_truncate (text, 0);
      g_string_append (text, _("Not complete: the checklist appears once every value is given"));
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), text->str);
  g_string_free (text, TRUE);
}

/* A checklist for each provider whose account values are complete */
static void
sync_checklists (DossierMerchantPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      GtkWidget *box = g_hash_table_lookup (self->provider_boxes, dossier_provider_get_id (provider));
      DossierChecklistView *view = dossier_merchant_page_get_checklist_view (self, dossier_provider_get_id (provider));
      gboolean complete;

      if (box == NULL)
        continue;
      complete = account_complete (self, provider);
      update_account_summary (self, provider, g_object_get_data (G_OBJECT (box), "expander"), complete);
      if (complete && view == NULL)
        {
          GtkWidget *widget = dossier_checklist_view_new (provider, self->client, self->history, self->sandbox_url);

          g_signal_connect (widget, "upload-requested", G_CALLBACK (on_view_upload), self);
          g_signal_connect (widget, "refreshed", G_CALLBACK (on_view_refreshed), self);
          g_ptr_array_add (self->views, widget);
          gtk_box_append (GTK_BOX (box), widget);
          /* a provider with an account comes first */
          gtk_box_reorder_child_after (GTK_BOX (self->providers_box), box, NULL);
          dossier_checklist_view_set_merchant (DOSSIER_CHECKLIST_VIEW (widget), self->store, self->merchant);
        }
      else if (!complete && view != NULL)
        {
          forget_view (self, view);
          gtk_box_remove (GTK_BOX (box), GTK_WIDGET (view));
          g_ptr_array_remove (self->views, view);
        }
    }
}

static void
clear_providers (DossierMerchantPage *self)
{
  GtkWidget *child;

  for (guint i = 0; i < self->editors->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->editors, i), self);
  for (guint i = 0; i < self->views->len; i++)
    forget_view (self, g_ptr_array_index (self->views, i));
  g_ptr_array_set_size (self->editors, 0);
  g_ptr_array_set_size (self->views, 0);
  g_hash_table_remove_all (self->provider_boxes);
  while ((child = gtk_widget_get_first_child (self->providers_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->providers_box), child);
}

static void
build_providers (DossierMerchantPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));
  GtkWidget *last_complete = NULL;

  clear_providers (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      g_autoptr(GPtrArray) fields = dossier_merchant_account_fields (provider);
      GtkWidget *box, *group, *expander;

      if (fields->len == 0)
        continue;

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), dossier_provider_get_name (provider));
      if (!dossier_follow_up_reports_reviews (provider))
        {
          g_autofree char *no_reviews = dossier_follow_up_describe_no_reviews (provider);

          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), no_reviews);
        }
      expander = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("Account"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      g_object_set_data (G_OBJECT (box), "expander", expander);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
      for (guint f = 0; f < fields->len; f++)
        {
          DossierField *field = g_ptr_array_index (fields, f);
          DossierFieldEditor *editor = dossier_field_editor_new (field);
          const char *value = dossier_merchant_get_account_value (self->merchant, dossier_provider_get_id (provider),
                                                                  dossier_field_get_name (field));

          g_object_set_data_full (G_OBJECT (editor), "provider", g_object_ref (provider), g_object_unref);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), dossier_field_editor_get_row (editor));
          self->syncing = TRUE;
          dossier_field_editor_set_value (editor, value != NULL ? value : "");
          self->syncing = FALSE;
          g_signal_connect (editor, "notify::value", G_CALLBACK (on_editor_value), self);
          g_ptr_array_add (self->editors, editor);
        }
      gtk_box_append (GTK_BOX (box), group);
      /* the providers the merchant has an account at first */
      if (account_complete (self, provider))
        gtk_box_insert_child_after (GTK_BOX (self->providers_box), box, last_complete);
      else
        gtk_box_append (GTK_BOX (self->providers_box), box);
      if (account_complete (self, provider))
        last_complete = box;
      else
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), FALSE);
      g_hash_table_insert (self->provider_boxes, g_strdup (dossier_provider_get_id (provider)), box);
    }
  sync_checklists (self);
}

DossierFieldEditor *
dossier_merchant_page_get_editor (DossierMerchantPage *self,
                                  const char          *provider_id,
                                  const char          *name)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);

      if (g_strcmp0 (dossier_provider_get_id (editor_provider (editor)), provider_id) == 0
          && g_strcmp0 (dossier_field_get_name (dossier_field_editor_get_field (editor)), name) == 0)
        return editor;
    }
  return NULL;
}

/* The merchant's last uploads, newest first */
static void
fill_recent (DossierMerchantPage *self)
{
  guint n = self->history != NULL ? g_list_model_get_n_items (self->history) : 0;
  const char *id = self->merchant != NULL ? dossier_merchant_get_id (self->merchant) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  for (guint i = 0; i < self->upload_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->uploads_group),
                                  g_ptr_array_index (self->upload_rows, i));
  g_ptr_array_set_size (self->upload_rows, 0);

  for (guint i = 0; i < n && id != NULL && self->upload_rows->len < RECENT_ROWS; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (self->history, i);
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *review = NULL;
      const char *state;
      GtkWidget *row;

      if (g_strcmp0 (dossier_history_entry_get_merchant_id (entry), id) != 0)
        continue;
      when = dossier_history_entry_format_time (entry, now);
      if (dossier_history_entry_get_outcome_unknown (entry))
        state = _("may have arrived");
      else if (dossier_history_entry_get_success (entry))
        {
          /* the provider's review as it came: "approved", "rejected: document-illegible" */
          review = dossier_merchant_follow_up_describe_review (entry);
          state = review != NULL ? review : _("sent");
        }
      else
        state = _("failed");
      /* Translators: a recent upload: "Moov · sent · today 14:03" */
      subtitle = g_strdup_printf (_("%s · %s · %s"), dossier_history_entry_get_provider_name (entry), state, when);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dossier_history_entry_get_file_name (entry));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (dossier_history_entry_get_success (entry)
                                                               ? "emblem-ok-symbolic"
                                                               : "dialog-warning-symbolic"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->uploads_group), row);
      g_ptr_array_add (self->upload_rows, row);
    }

  if (self->upload_rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No uploads for this merchant yet"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->uploads_group), row);
      g_ptr_array_add (self->upload_rows, row);
      g_object_set_data (G_OBJECT (row), "placeholder", GINT_TO_POINTER (1));
    }
}

guint
dossier_merchant_page_get_n_recent (DossierMerchantPage *self)
{
  if (self->upload_rows->len == 1 && g_object_get_data (g_ptr_array_index (self->upload_rows, 0), "placeholder"))
    return 0;
  return self->upload_rows->len;
}

void
dossier_merchant_page_set_merchant (DossierMerchantPage *self,
                                    DossierMerchant     *merchant)
{
  const char *text;

  g_return_if_fail (DOSSIER_IS_MERCHANT_PAGE (self));

  dossier_merchant_page_save (self);
  g_set_object (&self->merchant, merchant);
  update_title (self);
  self->syncing = TRUE;
  text = merchant != NULL ? dossier_merchant_get_name (merchant) : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), text != NULL ? text : "");
  text = merchant != NULL ? dossier_merchant_get_reference (merchant) : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->reference_row), text != NULL ? text : "");
  text = merchant != NULL ? dossier_merchant_get_notes (merchant) : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), text != NULL ? text : "");
  gtk_widget_remove_css_class (self->name_row, "error");
  self->syncing = FALSE;

  if (merchant != NULL)
    build_providers (self);
  else
    clear_providers (self);
  fill_recent (self);
  dossier_merchant_follow_up_set_merchant (DOSSIER_MERCHANT_FOLLOW_UP (self->follow_up), merchant);
  /* a merchant opened: its providers asked how they reviewed */
  dossier_merchant_follow_up_refresh (DOSSIER_MERCHANT_FOLLOW_UP (self->follow_up));
}

/* A follow-up of this merchant ended: the record holds the reviews it
 * read, and the provider's checklist is worked out again from it (inside
 * the once-a-minute limit, from the answers last read) */
static void
on_follow_up_finished (DossierFollowUpScheduler *scheduler,
                       const char               *merchant_id,
                       const char               *provider_id,
                       const char               *error,
                       DossierMerchantPage      *self)
{
  DossierChecklistView *view;

  if (error != NULL || self->merchant == NULL ||
      g_strcmp0 (merchant_id, dossier_merchant_get_id (self->merchant)) != 0)
    return;
  if ((view = dossier_merchant_page_get_checklist_view (self, provider_id)) != NULL &&
      !dossier_checklist_view_get_busy (view))
    dossier_checklist_view_refresh (view);
}

/* The application's follow-up, once it runs (after the first frame) */
void
dossier_merchant_page_set_follow_up (DossierMerchantPage *self,
                                     DossierFollowUpGui  *gui)
{
  g_signal_connect_object (dossier_follow_up_gui_get_scheduler (gui), "finished",
                           G_CALLBACK (on_follow_up_finished), self, 0);
  dossier_merchant_follow_up_set_gui (DOSSIER_MERCHANT_FOLLOW_UP (self->follow_up), gui);
  dossier_merchant_follow_up_refresh (DOSSIER_MERCHANT_FOLLOW_UP (self->follow_up));
}

DossierMerchantFollowUp *
dossier_merchant_page_get_follow_up (DossierMerchantPage *self)
{
  return DOSSIER_MERCHANT_FOLLOW_UP (self->follow_up);
}

/* After an upload: the checklists asked again, the uploads listed again */
void
dossier_merchant_page_refresh (DossierMerchantPage *self)
{
  for (guint i = 0; i < self->views->len; i++)
    dossier_checklist_view_refresh (g_ptr_array_index (self->views, i));
  fill_recent (self);
}

DossierMerchant *
dossier_merchant_page_get_merchant (DossierMerchantPage *self)
{
  return self->merchant;
}

GPtrArray *
dossier_merchant_page_dup_checklists (DossierMerchantPage *self)
{
  GPtrArray *checklists = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->views->len; i++)
    g_ptr_array_add (checklists,
                     g_object_ref (dossier_checklist_view_get_checklist (g_ptr_array_index (self->views, i))));
  return checklists;
}

AdwHeaderBar *
dossier_merchant_page_get_header_bar (DossierMerchantPage *self)
{
  return self->header_bar;
}

GtkWidget *
dossier_merchant_page_get_back_button (DossierMerchantPage *self)
{
  return self->back_button;
}

GtkEditable *
dossier_merchant_page_get_name_row (DossierMerchantPage *self)
{
  return GTK_EDITABLE (self->name_row);
}

static void
on_drops_chosen (GPtrArray *drops,
                 guint      n_left_out,
                 gpointer   user_data)
{
  DossierMerchantPage *self = user_data;
  DossierMerchantDrop *first = g_ptr_array_index (drops, 0);

  if (n_left_out > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u file was left out: drop it again after this upload",
                                                            "%u files were left out: drop them again after this upload",
                                                            n_left_out), n_left_out);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
    }
  g_signal_emit (self, signals[UPLOAD_REQUESTED], 0, first->view, NULL, drops);
}

void
dossier_merchant_page_drop_files (DossierMerchantPage *self,
                                  GSList              *files)
{
  g_autoptr(GPtrArray) drops = NULL;
  gboolean settled;

  if (self->merchant == NULL || files == NULL)
    return;
  if (self->views->len == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s",
                                  _("Give the merchant’s account values first: files are matched to a provider’s checklist"));
      return;
    }
  dossier_merchant_page_save (self);
  drops = dossier_merchant_drop_match (self->views, files, &settled);
  if (settled)
    g_signal_emit (self, signals[UPLOAD_REQUESTED], 0, ((DossierMerchantDrop *) drops->pdata[0])->view, NULL, drops);
  else
    dossier_merchant_drop_ask (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->views, drops,
                               on_drops_chosen, self);
}

static gboolean
on_drop (GtkDropTarget       *target,
         const GValue        *value,
         double               x,
         double               y,
         DossierMerchantPage *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  dossier_merchant_page_drop_files (self, files);
  g_slist_free (files);
  return TRUE;
}

static void
dossier_merchant_page_dispose (GObject *object)
{
  DossierMerchantPage *self = DOSSIER_MERCHANT_PAGE (object);

  if (self->merchant != NULL && self->store != NULL)
    dossier_merchant_page_save (self);
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  if (self->editors != NULL)
    clear_providers (self);
  g_clear_pointer (&self->editors, g_ptr_array_unref);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->upload_rows, g_ptr_array_unref);
  g_clear_pointer (&self->provider_boxes, g_hash_table_unref);
  g_clear_object (&self->merchant);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_pointer (&self->sandbox_url, g_free);
  G_OBJECT_CLASS (dossier_merchant_page_parent_class)->dispose (object);
}

static void
dossier_merchant_page_class_init (DossierMerchantPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dossier_merchant_page_dispose;
  signals[UPLOAD_REQUESTED] = g_signal_new ("upload-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                            DOSSIER_TYPE_CHECKLIST_VIEW, DOSSIER_TYPE_CHECKLIST_ITEM,
                                            G_TYPE_PTR_ARRAY);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dossier_merchant_page_init (DossierMerchantPage *self)
{
  self->editors = g_ptr_array_new_with_free_func (g_object_unref);
  self->views = g_ptr_array_new ();
  self->upload_rows = g_ptr_array_new ();
  self->provider_boxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static GtkWidget *
build_header (DossierMerchantPage *self)
{
  GMenu *menu = g_menu_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *upload = gtk_button_new_with_mnemonic (_("_Upload…"));

  self->header_bar = ADW_HEADER_BAR (adw_header_bar_new ());
  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", NULL));
  adw_header_bar_set_title_widget (self->header_bar, GTK_WIDGET (self->title));

  self->back_button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->back_button), "win.merchant-list");
  gtk_widget_set_tooltip_text (self->back_button, _("Merchants (Escape)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Back to the merchants"), -1);
  adw_header_bar_pack_start (self->header_bar, self->back_button);

  g_menu_append (menu, _("_Export…"), "win.export-merchant");
  g_menu_append (menu, _("_Refresh Checklists"), "win.refresh-merchant");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("Merchant Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Merchant menu"), -1);
  adw_header_bar_pack_end (self->header_bar, menu_button);
  g_object_unref (menu);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (upload), "win.upload-for-merchant");
  gtk_widget_set_tooltip_text (upload, _("Send documents for this merchant, choosing each step"));
  adw_header_bar_pack_end (self->header_bar, upload);
  return GTK_WIDGET (self->header_bar);
}

GtkWidget *
dossier_merchant_page_new (DossierCatalogue     *catalogue,
                           DossierMerchantStore *store,
                           DossierClient        *client,
                           GListModel           *history,
                           const char           *sandbox_url)
{
  DossierMerchantPage *self = g_object_new (DOSSIER_TYPE_MERCHANT_PAGE, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *show_all = gtk_button_new_with_mnemonic (_("Show _All"));
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  self->catalogue = g_object_ref (catalogue);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->history = history != NULL ? g_object_ref (history) : NULL;
  self->sandbox_url = g_strdup (sandbox_url);

  gtk_box_append (GTK_BOX (box), build_header (self));

  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Merchant"));
  self->name_row = dossier_merchant_rows_add_entry (group, _("Name"));
  self->reference_row = dossier_merchant_rows_add_entry (group, _("Reference"));
  self->notes_row = dossier_merchant_rows_add_entry (group, _("Notes"));
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_name_changed), self);
  g_signal_connect_swapped (self->reference_row, "changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect_swapped (self->notes_row, "changed", G_CALLBACK (on_text_changed), self);
  self->follow_up = dossier_merchant_follow_up_new (catalogue);
  gtk_box_append (GTK_BOX (content), self->follow_up);
  self->providers_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_box_append (GTK_BOX (content), self->providers_box);

  self->uploads_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->uploads_group), _("Recent Uploads"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->uploads_group),
                                         _("Drop documents on this page to send them: each is matched to what a provider still needs"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (show_all), "app.history");
  gtk_widget_set_valign (show_all, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (show_all, "flat");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->uploads_group), show_all);
  gtk_box_append (GTK_BOX (content), self->uploads_group);
  gtk_box_append (GTK_BOX (content), group);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  /* an upload recorded for this merchant shows at once */
  if (self->history != NULL)
    g_signal_connect_object (self->history, "items-changed", G_CALLBACK (fill_recent), self, G_CONNECT_SWAPPED);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (scrolled, GTK_EVENT_CONTROLLER (drop));

  adw_bin_set_child (ADW_BIN (self), box);
  return GTK_WIDGET (self);
}
