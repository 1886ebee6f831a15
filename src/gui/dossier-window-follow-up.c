/* dossier-window-follow-up.c: the window's part of the follow-up: reviews, tasks, Needs Attention
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Once the first frame is out (a low-priority idle), the window takes the
 * application's follow-up (dossier-follow-up-gui.c, started then): the
 * merchant page's Reviews and Needs Attention groups, the "Needs
 * Attention" entry and page of the merchants' sidebar. Upload on a task
 * opens the guided flow as an item's Upload does, with the task's values:
 * the same provider, environment, account, purpose and the metadata that
 * names the requirement and the error code it answers.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-application.h"
#include "dossier-window-private.h"

static void
on_upload_task (DossierMerchantFollowUp *follow_up,
                DossierTask             *task,
                DossierWindow           *self)
{
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DossierProvider *provider = dossier_catalogue_lookup (dossier_application_get_catalogue (app),
                                                        dossier_task_get_provider_id (task));
  DossierMerchant *merchant = dossier_merchant_store_lookup (self->merchant_store,
                                                             dossier_task_get_merchant_id (task));
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) fields = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (provider == NULL || merchant == NULL)
    return;
  /* the account it was refused at, then the document's values */
  fields = dossier_merchant_account_fields (provider);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *name = dossier_field_get_name (g_ptr_array_index (fields, i));
      const char *account = dossier_task_get_account_value (task, name);

      if (account != NULL)
        g_hash_table_insert (values, (gpointer) name, (gpointer) account);
    }
  g_hash_table_iter_init (&iter, dossier_task_get_fields (task));
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (values, key, value);
  _dossier_window_open_flow (self, merchant, provider, dossier_task_get_environment (task), NULL, NULL, values);
}

static void
on_task_activated (DossierNeedsAttention *attention,
                   DossierTask           *task,
                   DossierWindow         *self)
{
  _dossier_window_show_merchant_id (self, dossier_task_get_merchant_id (task));
}

static gboolean
setup_follow_up (gpointer user_data)
{
  DossierWindow *self = user_data;
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DossierMerchantPage *page;

  self->follow_up_idle = 0;
  if (app == NULL || self->home == NULL)
    return G_SOURCE_REMOVE;
  self->follow_up = g_object_ref (dossier_application_get_follow_up (app));
  dossier_follow_up_gui_set_merchant_store (self->follow_up, self->merchant_store);

  self->attention = DOSSIER_NEEDS_ATTENTION (dossier_needs_attention_new (dossier_follow_up_gui_get_tasks (self->follow_up),
                                                                          self->merchant_store));
  g_signal_connect (self->attention, "task-activated", G_CALLBACK (on_task_activated), self);
  dossier_merchant_home_add_attention (self->home, self->attention);

  page = dossier_merchant_home_get_page (self->home);
  g_signal_connect (dossier_merchant_page_get_follow_up (page), "upload-task", G_CALLBACK (on_upload_task), self);
  dossier_merchant_page_set_follow_up (page, self->follow_up);
  return G_SOURCE_REMOVE;
}

void
_dossier_window_schedule_follow_up (DossierWindow *self)
{
  /* after the first frame: its layout and drawing come first */
  self->follow_up_idle = g_idle_add_full (G_PRIORITY_LOW, setup_follow_up, self, NULL);
}

void
_dossier_window_dispose_follow_up (DossierWindow *self)
{
  DossierMerchantPage *page = _dossier_window_get_merchant_page (self);

  g_clear_handle_id (&self->follow_up_idle, g_source_remove);
  if (page != NULL && self->follow_up != NULL)
    g_signal_handlers_disconnect_by_data (dossier_merchant_page_get_follow_up (page), self);
  if (self->attention != NULL)
    g_signal_handlers_disconnect_by_data (self->attention, self);
  self->attention = NULL;
  g_clear_object (&self->follow_up);
}

static void
needs_attention_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (self->home == NULL || self->attention == NULL)
    return;
  _dossier_window_show_merchants (self);
  dossier_merchant_home_show_attention (self->home);
}

static void
refresh_reviews_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  DossierMerchantPage *page = _dossier_window_get_merchant_page (self);

  if (page != NULL)
    dossier_merchant_follow_up_refresh (dossier_merchant_page_get_follow_up (page));
}

void
_dossier_window_install_follow_up_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.needs-attention", NULL, needs_attention_action);
  gtk_widget_class_install_action (widget_class, "win.refresh-reviews", NULL, refresh_reviews_action);
}

DossierNeedsAttention *
dossier_window_get_needs_attention (DossierWindow *self)
{
  return self->attention;
}
