/* dossier-merchant-follow-up.c: a merchant's reviews and what needs attention, on its page
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Reviews": Refresh asks every provider the merchant sent to now
 * (dossier_follow_up_scheduler_refresh_now(): never before a provider's
 * Retry-After, nothing offline), with a spinner and Cancel while it runs;
 * a row per provider says what waits for its review, what the last
 * follow-up met (the provider's words), or that it does not report
 * reviews. "Needs Attention": the merchant's open re-upload tasks, kept
 * up to date from the task list as the record changes.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-history.h"
#include "dossier-merchant-follow-up.h"

struct _DossierMerchantFollowUp
{
  GtkBox              parent_instance;

  DossierCatalogue   *catalogue;
  DossierFollowUpGui *gui;
  DossierMerchant    *merchant;

  GtkWidget          *reviews_group;
  GtkWidget          *spinner;
  GtkWidget          *cancel_button;
  GtkWidget          *refresh_button;
  GtkWidget          *tasks_group;
  GPtrArray          *provider_rows;
  GPtrArray          *task_rows;
  GHashTable         *problems;   /* provider id -> the last failure */
  gboolean            cancelled;  /* Cancel clicked while it asked */
};

G_DEFINE_FINAL_TYPE (DossierMerchantFollowUp, dossier_merchant_follow_up, GTK_TYPE_BOX)

enum { UPLOAD_TASK, N_SIGNALS };
static guint signals[N_SIGNALS];

char *
dossier_merchant_follow_up_describe_review (DossierHistoryEntry *entry)
{
  const char *status = dossier_history_entry_get_remote_status (entry);
  const char *why = dossier_history_entry_get_error_code (entry);

  if (status == NULL)
    return NULL;
  if (why == NULL)
    why = dossier_history_entry_get_decision_reason (entry);
  if (why != NULL)
    /* Translators: a review as the provider gave it: "rejected: document-illegible" */
    return g_strdup_printf (_("%s: %s"), status, why);
  return g_strdup (status);
}

char *
dossier_merchant_follow_up_describe_task (DossierTask *task)
{
  if (dossier_task_get_fix (task) == NULL)
    return g_strdup (dossier_task_get_reason (task));
  /* Translators: why, then what fixes it: "Moov could not read the document: upload a sharper scan" */
  return g_strdup_printf (_("%s: %s"), dossier_task_get_reason (task), dossier_task_get_fix (task));
}

static gboolean
is_running (DossierMerchantFollowUp *self)
{
  return self->gui != NULL && self->merchant != NULL &&
         g_strcmp0 (dossier_follow_up_gui_get_running_merchant (self->gui),
                    dossier_merchant_get_id (self->merchant)) == 0;
}

gboolean
dossier_merchant_follow_up_get_busy (DossierMerchantFollowUp *self)
{
  return is_running (self);
}

static void
update_busy (DossierMerchantFollowUp *self)
{
  gboolean busy = is_running (self);

  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_set_visible (self->refresh_button, !busy);
}

/* The line of one provider: pending reviews, the last failure, or that it
 * reports none */
static char *
describe_provider (DossierMerchantFollowUp *self,
                   DossierProvider         *provider,
                   GPtrArray               *entries)
{
  const char *problem = g_hash_table_lookup (self->problems, dossier_provider_get_id (provider));
  guint pending = 0;

  if (!dossier_follow_up_reports_reviews (provider))
    return dossier_follow_up_describe_no_reviews (provider);
  if (problem != NULL)
    /* Translators: "Moov could not be asked: the access token was refused" */
    return g_strdup_printf (_("%s could not be asked: %s"), dossier_provider_get_name (provider), problem);
  for (guint i = 0; i < entries->len; i++)
    if (dossier_follow_up_entry_is_pending (provider, g_ptr_array_index (entries, i)))
      pending++;
  if (pending == 0)
    return g_strdup (_("Every upload has its review"));
  /* Translators: "2 uploads wait for Moov’s review" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u upload waits for %s’s review",
                                       "%u uploads wait for %s’s review", pending),
                          pending, dossier_provider_get_name (provider));
}

static void
fill_providers (DossierMerchantFollowUp *self)
{
  DossierHistory *history = dossier_history_get_default ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));

  for (guint i = 0; i < self->provider_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->reviews_group),
                                  g_ptr_array_index (self->provider_rows, i));
  g_ptr_array_set_size (self->provider_rows, 0);
  if (self->merchant == NULL)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      g_autoptr(GPtrArray) entries = dossier_follow_up_dup_entries (history, provider, NULL,
                                                                    dossier_merchant_get_id (self->merchant));
      g_autofree char *text = NULL;
      GtkWidget *row;

      if (entries->len == 0)
        continue;
      text = describe_provider (self, provider, entries);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dossier_provider_get_name (provider));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      if (g_hash_table_contains (self->problems, dossier_provider_get_id (provider)))
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->reviews_group), row);
      g_ptr_array_add (self->provider_rows, row);
    }
  gtk_widget_set_visible (self->reviews_group, self->provider_rows->len > 0);
}

static void
on_upload_clicked (GtkButton               *button,
                   DossierMerchantFollowUp *self)
{
  DossierTask *task = g_object_get_data (G_OBJECT (button), "task");

  g_signal_emit (self, signals[UPLOAD_TASK], 0, task);
}

static void
fill_tasks (DossierMerchantFollowUp *self)
{
  g_autoptr(GPtrArray) tasks = NULL;

  for (guint i = 0; i < self->task_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->tasks_group),
                                  g_ptr_array_index (self->task_rows, i));
  g_ptr_array_set_size (self->task_rows, 0);
  if (self->gui != NULL && self->merchant != NULL)
    tasks = dossier_follow_up_gui_dup_tasks_for (self->gui, dossier_merchant_get_id (self->merchant));

  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      DossierTask *task = g_ptr_array_index (tasks, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *upload = gtk_button_new_with_mnemonic (_("_Upload Again…"));
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;

      /* Translators: a task's title: "Moov · blurry-ktp.png" */
      title = g_strdup_printf (_("%s · %s"), dossier_task_get_provider_name (task), dossier_task_get_file_name (task));
      subtitle = dossier_merchant_follow_up_describe_task (task);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-error-symbolic"));
      gtk_widget_set_valign (upload, GTK_ALIGN_CENTER);
      /* Translators: the accessible name of a task's button: "Upload blurry-ktp.png again to Moov" */
      name = g_strdup_printf (_("Upload %s again to %s"), dossier_task_get_file_name (task),
                              dossier_task_get_provider_name (task));
      gtk_widget_set_tooltip_text (upload, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (upload), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (upload), "task", g_object_ref (task), g_object_unref);
      g_signal_connect (upload, "clicked", G_CALLBACK (on_upload_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), upload);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->tasks_group), row);
      g_ptr_array_add (self->task_rows, row);
    }
  gtk_widget_set_visible (self->tasks_group, self->task_rows->len > 0);
}

static void
update (DossierMerchantFollowUp *self)
{
  fill_providers (self);
  fill_tasks (self);
  update_busy (self);
}

static void
on_finished (DossierFollowUpScheduler *scheduler,
             const char               *merchant_id,
             const char               *provider_id,
             const char               *error,
             DossierMerchantFollowUp  *self)
{
  if (self->merchant == NULL || g_strcmp0 (merchant_id, dossier_merchant_get_id (self->merchant)) != 0)
    return;
  if (error != NULL && self->cancelled)
    g_hash_table_replace (self->problems, g_strdup (provider_id), g_strdup (_("stopped before it answered")));
  else if (error != NULL)
    g_hash_table_replace (self->problems, g_strdup (provider_id), g_strdup (error));
  else
    g_hash_table_remove (self->problems, provider_id);
  /* the Cancel pressed is spent: a later failure (the background's, say)
   * is said in the provider's words */
  self->cancelled = FALSE;
  fill_providers (self);
}

void
dossier_merchant_follow_up_refresh (DossierMerchantFollowUp *self)
{
  g_autofree char *why = NULL;

  if (self->gui == NULL || self->merchant == NULL)
    return;
  self->cancelled = FALSE;
  if (!dossier_follow_up_gui_refresh (self->gui, dossier_merchant_get_id (self->merchant), &why) && why != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", why);
  update_busy (self);
}

static void
on_cancel_clicked (DossierMerchantFollowUp *self)
{
  if (self->gui == NULL || self->merchant == NULL)
    return;
  self->cancelled = TRUE;
  dossier_follow_up_gui_cancel (self->gui, dossier_merchant_get_id (self->merchant));
  /* only waiting ones, dropped: no follow-up of this merchant will end
   * cancelled, and the Cancel is spent now */
  if (!dossier_follow_up_scheduler_has_merchant (dossier_follow_up_gui_get_scheduler (self->gui),
                                                 dossier_merchant_get_id (self->merchant)))
    self->cancelled = FALSE;
}

void
dossier_merchant_follow_up_set_merchant (DossierMerchantFollowUp *self,
                                         DossierMerchant         *merchant)
{
  self->cancelled = FALSE;
  if (g_set_object (&self->merchant, merchant))
    g_hash_table_remove_all (self->problems);
  update (self);
}

void
dossier_merchant_follow_up_set_gui (DossierMerchantFollowUp *self,
                                    DossierFollowUpGui      *gui)
{
  if (self->gui == gui)
    return;
  g_assert (self->gui == NULL);
  self->gui = g_object_ref (gui);
  g_signal_connect_object (dossier_follow_up_gui_get_scheduler (gui), "finished", G_CALLBACK (on_finished), self, 0);
  g_signal_connect_object (gui, "notify::running-merchant", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dossier_follow_up_gui_get_tasks (gui), "items-changed", G_CALLBACK (fill_tasks), self,
                           G_CONNECT_SWAPPED);
  /* a review recorded, an upload sent: the lines again */
  g_signal_connect_object (dossier_history_get_default (), "items-changed", G_CALLBACK (fill_providers), self,
                           G_CONNECT_SWAPPED);
  update (self);
}

GtkWidget *
dossier_merchant_follow_up_get_refresh_button (DossierMerchantFollowUp *self)
{
  return self->refresh_button;
}

GtkWidget *
dossier_merchant_follow_up_get_cancel_button (DossierMerchantFollowUp *self)
{
  return self->cancel_button;
}

char *
dossier_merchant_follow_up_describe (DossierMerchantFollowUp *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->provider_rows->len; i++)
    g_string_append_printf (text, "%s: %s\n",
                            adw_preferences_row_get_title (g_ptr_array_index (self->provider_rows, i)),
                            adw_action_row_get_subtitle (g_ptr_array_index (self->provider_rows, i)));
  return g_string_free (text, FALSE);
}

guint
dossier_merchant_follow_up_get_n_tasks (DossierMerchantFollowUp *self)
{
  return self->task_rows->len;
}

GtkWidget *
dossier_merchant_follow_up_get_task_button (DossierMerchantFollowUp *self,
                                            guint                    position)
{
  GtkWidget *row;

  g_return_val_if_fail (position < self->task_rows->len, NULL);
  row = g_ptr_array_index (self->task_rows, position);
  /* the suffix button: the one widget of the row with a task */
  {
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, row);
    while (stack->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_BUTTON (w) && g_object_get_data (G_OBJECT (w), "task") != NULL)
          {
            g_ptr_array_free (stack, TRUE);
            return w;
          }
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_ptr_array_free (stack, TRUE);
  }
  return NULL;
}

static void
dossier_merchant_follow_up_dispose (GObject *object)
{
  DossierMerchantFollowUp *self = DOSSIER_MERCHANT_FOLLOW_UP (object);

  g_clear_object (&self->gui);
  g_clear_object (&self->merchant);
  g_clear_object (&self->catalogue);
  g_clear_pointer (&self->provider_rows, g_ptr_array_unref);
  g_clear_pointer (&self->task_rows, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_hash_table_unref);
  G_OBJECT_CLASS (dossier_merchant_follow_up_parent_class)->dispose (object);
}

static void
dossier_merchant_follow_up_class_init (DossierMerchantFollowUpClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dossier_merchant_follow_up_dispose;
  signals[UPLOAD_TASK] = g_signal_new ("upload-task", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOSSIER_TYPE_TASK);
}

static void
dossier_merchant_follow_up_init (DossierMerchantFollowUp *self)
{
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->provider_rows = g_ptr_array_new ();
  self->task_rows = g_ptr_array_new ();
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 24);

  self->tasks_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->tasks_group), _("Needs Attention"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->tasks_group),
                                         _("Documents a provider refused: send a new file for each"));
  gtk_widget_set_visible (self->tasks_group, FALSE);
  gtk_box_append (GTK_BOX (self), self->tasks_group);

  self->reviews_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->reviews_group), _("Reviews"));
  self->spinner = gtk_spinner_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Asking the providers"), -1);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_tooltip_text (self->cancel_button, _("Stop asking the providers"));
  self->refresh_button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (self->refresh_button, _("Ask the Providers How They Reviewed"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->refresh_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Refresh reviews"), -1);
  for (GtkWidget *w = self->spinner; w != NULL; w = w == self->spinner ? self->cancel_button
                                                 : w == self->cancel_button ? self->refresh_button : NULL)
    {
      gtk_widget_set_valign (w, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (suffix), w);
    }
  gtk_widget_add_css_class (self->refresh_button, "flat");
  g_signal_connect_swapped (self->refresh_button, "clicked", G_CALLBACK (dossier_merchant_follow_up_refresh), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->reviews_group), suffix);
  gtk_widget_set_visible (self->reviews_group, FALSE);
  gtk_box_append (GTK_BOX (self), self->reviews_group);
  update_busy (self);
}

GtkWidget *
dossier_merchant_follow_up_new (DossierCatalogue *catalogue)
{
  DossierMerchantFollowUp *self = g_object_new (DOSSIER_TYPE_MERCHANT_FOLLOW_UP, NULL);

  self->catalogue = g_object_ref (catalogue);
  return GTK_WIDGET (self);
}
