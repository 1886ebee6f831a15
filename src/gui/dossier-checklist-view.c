/* dossier-checklist-view.c: one provider's checklist for one merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STAND-IN for the merchant GUI branch (see dossier-checklist-view.h): asks
 * the embedded sandbox only, and keeps the checklist summary and the file
 * matching (dossier_merchant_get_checklist_summary(),
 * dossier_checklist_match_file()) in memory. Take the other branch's files.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-checklist-fetch.h"
#include "dossier-checklist-view.h"
#include "dossier-sandbox.h"

struct _DossierChecklistView
{
  GtkWidget             parent_instance;

  DossierProvider      *provider;
  DossierClient        *client;
  GListModel           *history;
  char                 *sandbox_url;
  DossierMerchantStore *store;
  DossierMerchant      *merchant;
  DossierChecklist     *checklist;
  DossierChecklistLimiter *limiter;
  GCancellable         *cancellable;
  GtkWidget            *box;
  GtkWidget            *status;
  GtkWidget            *list;
};

G_DEFINE_FINAL_TYPE (DossierChecklistView, dossier_checklist_view, GTK_TYPE_WIDGET)

enum { UPLOAD_REQUESTED, REFRESHED, N_SIGNALS };
static guint signals[N_SIGNALS];

gboolean
dossier_merchant_get_checklist_summary (DossierMerchant         *self,
                                        const char              *provider_id,
                                        DossierChecklistSummary *out)
{
  g_autofree char *key = g_strconcat ("standin-summary-", provider_id, NULL);
  DossierChecklistSummary *summary = g_object_get_data (G_OBJECT (self), key);

  if (summary == NULL)
    return FALSE;
  *out = *summary;
  return TRUE;
}

static void
set_summary (DossierMerchant  *merchant,
             DossierProvider  *provider,
             DossierChecklist *checklist)
{
  g_autofree char *key = g_strconcat ("standin-summary-", dossier_provider_get_id (provider), NULL);
  DossierChecklistSummary *summary = g_new0 (DossierChecklistSummary, 1);

  summary->missing = dossier_checklist_count (checklist, DOSSIER_CHECKLIST_STATE_MISSING);
  summary->rejected = dossier_checklist_count (checklist, DOSSIER_CHECKLIST_STATE_REJECTED);
  summary->pending = dossier_checklist_count (checklist, DOSSIER_CHECKLIST_STATE_UPLOADED);
  summary->accepted = dossier_checklist_count (checklist, DOSSIER_CHECKLIST_STATE_ACCEPTED);
  summary->expired = dossier_checklist_count (checklist, DOSSIER_CHECKLIST_STATE_EXPIRED);
  summary->checked_at = g_get_real_time () / G_USEC_PER_SEC;
  g_object_set_data_full (G_OBJECT (merchant), key, summary, g_free);
}

DossierChecklistItem *
dossier_checklist_match_file (DossierChecklist *self,
                              const char       *file_name)
{
  g_autofree char *folded = g_utf8_strdown (file_name, -1);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (self), i);
      DossierChecklistState state = dossier_checklist_item_get_state (item);
      GHashTable *fields = dossier_checklist_item_get_fields (item);
      const char *code = fields != NULL ? g_hash_table_lookup (fields, "code") : NULL;
      g_autofree char *label = g_utf8_strdown (dossier_checklist_item_get_label (item), -1);
      g_auto(GStrv) words = g_strsplit_set (label, " -_/", -1);

      if (state != DOSSIER_CHECKLIST_STATE_MISSING && state != DOSSIER_CHECKLIST_STATE_REJECTED
          && state != DOSSIER_CHECKLIST_STATE_EXPIRED)
        continue;
      if (code != NULL)
        {
          g_autofree char *code_folded = g_utf8_strdown (code, -1);

          if (strstr (folded, code_folded) != NULL)
            return g_steal_pointer (&item);
        }
      for (guint w = 0; words[w] != NULL; w++)
        if (strlen (words[w]) >= 4 && strstr (folded, words[w]) != NULL)
          return g_steal_pointer (&item);
    }
  return NULL;
}

const char *
dossier_checklist_view_get_environment (DossierChecklistView *self)
{
  return "sandbox";
}

DossierChecklist *
dossier_checklist_view_get_checklist (DossierChecklistView *self)
{
  return self->checklist;
}

static void
on_upload_clicked (GtkButton            *button,
                   DossierChecklistView *self)
{
  g_signal_emit (self, signals[UPLOAD_REQUESTED], 0, g_object_get_data (G_OBJECT (button), "item"));
}

static void
fill (DossierChecklistView *self)
{
  GtkWidget *child;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->checklist));

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (self->checklist), i);
      g_autofree char *state = dossier_checklist_item_describe (item);
      GtkWidget *row = adw_action_row_new ();
      DossierChecklistState s = dossier_checklist_item_get_state (item);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dossier_checklist_item_get_label (item));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), state);
      if (s == DOSSIER_CHECKLIST_STATE_MISSING || s == DOSSIER_CHECKLIST_STATE_REJECTED
          || s == DOSSIER_CHECKLIST_STATE_EXPIRED)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Upload"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (button), "item", g_object_ref (item), g_object_unref);
          g_signal_connect (button, "clicked", G_CALLBACK (on_upload_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
    }
  gtk_widget_set_visible (self->list, n > 0);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DossierChecklistView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dossier_checklist_refresh_finish (DOSSIER_CHECKLIST (source), result, NULL, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (GTK_LABEL (self->status), error->message);
      return;
    }
  gtk_label_set_label (GTK_LABEL (self->status), "");
  fill (self);
  if (self->merchant != NULL)
    set_summary (self->merchant, self->provider, self->checklist);
  g_signal_emit (self, signals[REFRESHED], 0);
}

void
dossier_checklist_view_refresh (DossierChecklistView *self)
{
  const DossierSandboxSample *sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (self->provider));
  const DossierEnvironment *env = dossier_provider_lookup_environment (self->provider, "sandbox");
  g_autoptr(DossierCredentials) credentials = dossier_credentials_new ();
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *base_url = NULL;

  if (self->merchant == NULL || env == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (sample != NULL)
    {
      dossier_credentials_set_secret (credentials, sample->secret);
      dossier_credentials_set_client_id (credentials, sample->client_id);
      dossier_credentials_set_client_secret (credentials, sample->client_secret);
    }
  values = dossier_merchant_dup_account_values (self->merchant, dossier_provider_get_id (self->provider));
  base_url = dossier_provider_resolve_base_url (env->base_url, self->sandbox_url);
  gtk_label_set_label (GTK_LABEL (self->status), _("Asking…"));
  /* a fresh limiter: the stand-in asks whenever it is told to */
  g_clear_pointer (&self->limiter, dossier_checklist_limiter_free);
  self->limiter = dossier_checklist_limiter_new (DOSSIER_CHECKLIST_MIN_INTERVAL);
  dossier_checklist_refresh_async (self->checklist, base_url, dossier_merchant_get_id (self->merchant), values,
                                   credentials, self->client, self->limiter, NULL, NULL,
                                   g_get_real_time () / G_USEC_PER_SEC, self->cancellable,
                                   on_refreshed, g_object_ref (self));
}

void
dossier_checklist_view_set_merchant (DossierChecklistView *self,
                                     DossierMerchantStore *store,
                                     DossierMerchant      *merchant)
{
  g_set_object (&self->store, store);
  g_set_object (&self->merchant, merchant);
  dossier_checklist_view_refresh (self);
}

static void
dossier_checklist_view_dispose (GObject *object)
{
  DossierChecklistView *self = DOSSIER_CHECKLIST_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->provider);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->store);
  g_clear_object (&self->merchant);
  g_clear_object (&self->checklist);
  g_clear_pointer (&self->limiter, dossier_checklist_limiter_free);
  g_clear_pointer (&self->sandbox_url, g_free);
  G_OBJECT_CLASS (dossier_checklist_view_parent_class)->dispose (object);
}

static void
dossier_checklist_view_class_init (DossierChecklistViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dossier_checklist_view_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  signals[UPLOAD_REQUESTED] = g_signal_new ("upload-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOSSIER_TYPE_CHECKLIST_ITEM);
  signals[REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dossier_checklist_view_init (DossierChecklistView *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->status = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_widget_add_css_class (self->status, "dim-label");
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_visible (self->list, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->status);
  gtk_box_append (GTK_BOX (self->box), self->list);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

GtkWidget *
dossier_checklist_view_new (DossierProvider *provider,
                            DossierClient   *client,
                            GListModel      *history,
                            const char      *sandbox_url)
{
  DossierChecklistView *self = g_object_new (DOSSIER_TYPE_CHECKLIST_VIEW, NULL);

  self->provider = g_object_ref (provider);
  self->client = g_object_ref (client);
  self->history = history != NULL ? g_object_ref (history) : NULL;
  self->sandbox_url = g_strdup (sandbox_url);
  self->checklist = dossier_checklist_new (provider);
  return GTK_WIDGET (self);
}
