/* dossier-checklist-view.c: one provider's checklist for a merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A preferences group titled with the provider's name: an environment
 * drop-down (sandbox first) and a Refresh button in its header, then one
 * row per item with its state (icon, colour, the sentence of
 * dossier_checklist_item_describe()) and "Upload" where a file is still
 * needed. Setting a merchant asks the provider (the connection of
 * dossier-connection.c: sandbox samples or the keyring), no more than once
 * a minute per provider and merchant across every view: the limiter and
 * the checklists it keeps answers in are shared. The counts go to the
 * merchant's record. While asking: a spinner and Cancel; a failure shows
 * what the provider said, with its secrets masked, and Retry.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "dossier-checklist-fetch.h"
#include "dossier-checklist-record.h"
#include "dossier-checklist-view.h"
#include "dossier-gui-a11y.h"
#include "dossier-connection.h"
#include "dossier-redact.h"

struct _DossierChecklistView
{
  GtkWidget parent_instance;

  AdwPreferencesGroup *group;
  GtkDropDown *environment_dropdown;
  GtkWidget *spinner;
  GtkWidget *cancel_button;
  GtkWidget *refresh_button;
  GtkWidget *notice_list;
  AdwActionRow *notice_row;
  GtkWidget *notice_icon;
  GtkWidget *retry_button;
  GtkListBox *items_list;

  DossierProvider *provider;
  DossierClient *client;
  GListModel *history;
  char *sandbox_url;
  DossierMerchantStore *store;
  DossierMerchant *merchant;
  DossierChecklist *checklist;
  GCancellable *cancellable;
  char *notice;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (DossierChecklistView, dossier_checklist_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_UPLOAD_REQUESTED,
  SIGNAL_REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* shared by every view                                                      */

/* No provider is asked more than once a minute per merchant, whichever
 * view asks */
static DossierChecklistLimiter *
shared_limiter (void)
{
  static DossierChecklistLimiter *limiter;

  if (limiter == NULL)
    limiter = dossier_checklist_limiter_new (DOSSIER_CHECKLIST_MIN_INTERVAL);
  return limiter;
}

/* The checklist of a provider, environment and merchant: one for every
 * view, so the answers the limiter holds back to are there when a page is
 * opened again */
static DossierChecklist *
shared_checklist (DossierProvider *provider,
                  const char      *environment,
                  const char      *merchant_id)
{
  static GHashTable *checklists;
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", dossier_provider_get_id (provider),
                                          environment, merchant_id != NULL ? merchant_id : "");
  DossierChecklist *checklist;

  if (checklists == NULL)
    checklists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  checklist = g_hash_table_lookup (checklists, key);
  if (checklist == NULL)
    {
      checklist = dossier_checklist_new (provider);
      g_hash_table_insert (checklists, g_steal_pointer (&key), checklist);
    }
  return checklist;
}

/* ------------------------------------------------------------------------ */
/* rows                                                                      */

static const struct {
  const char *icon;
  const char *css;
} state_looks[] = {
  [DOSSIER_CHECKLIST_STATE_MISSING] = { "radio-symbolic", "dim-label" },
  [DOSSIER_CHECKLIST_STATE_UPLOADED] = { "document-send-symbolic", "accent" },
  [DOSSIER_CHECKLIST_STATE_ACCEPTED] = { "emblem-ok-symbolic", "success" },
  [DOSSIER_CHECKLIST_STATE_REJECTED] = { "dialog-error-symbolic", "error" },
  [DOSSIER_CHECKLIST_STATE_EXPIRED] = { "document-open-recent-symbolic", "warning" },
};

static void
on_upload_clicked (GtkButton            *button,
                   DossierChecklistView *self)
{
  DossierChecklistItem *item = g_object_get_data (G_OBJECT (button), "dossier-item");

  g_signal_emit (self, signals[SIGNAL_UPLOAD_REQUESTED], 0, item);
}

static GtkWidget *
create_row (gpointer object,
            gpointer user_data)
{
  DossierChecklistView *self = user_data;
  DossierChecklistItem *item = object;
  DossierChecklistState state = dossier_checklist_item_get_state (item);
  const DossierChecklistUpload *upload = dossier_checklist_item_get_upload (item);
  const char *label = dossier_checklist_item_get_label (item);
  g_autofree char *described = dossier_checklist_item_describe (item);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  if (upload != NULL && upload->file_name != NULL && state != DOSSIER_CHECKLIST_STATE_MISSING &&
      g_strcmp0 (upload->file_name, label) != 0)
    /* Translators: a checklist item's state and the file that answered it: "Accepted · ktp.png" */
    subtitle = g_strdup_printf (_("%s · %s"), described, upload->file_name);
  else
    subtitle = g_steal_pointer (&described);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  icon = gtk_image_new_from_icon_name (state_looks[state].icon);
  gtk_widget_add_css_class (icon, state_looks[state].css);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, subtitle, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (state == DOSSIER_CHECKLIST_STATE_MISSING || state == DOSSIER_CHECKLIST_STATE_REJECTED ||
      state == DOSSIER_CHECKLIST_STATE_EXPIRED)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (state == DOSSIER_CHECKLIST_STATE_REJECTED
                                                        ? _("Upload _Again") : _("_Upload"));
      /* Translators: a button's accessible name: "Upload Business verification document" */
      g_autofree char *name = g_strdup_printf (_("Upload %s"), label);

      /* one suggested action per view at most (HIG): plain buttons, a
       * rejected item says so by its icon and words */
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (button), "dossier-item", g_object_ref (item), g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (on_upload_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

/* ------------------------------------------------------------------------ */
/* what the view says                                                        */

typedef enum
{
  NOTICE_NONE,
  NOTICE_INFO,      /* in the group's description */
  NOTICE_PROBLEM,   /* a row with Retry */
  NOTICE_BLOCKED,   /* a row without Retry: something to do first */
} NoticeKind;

static void
set_notice (DossierChecklistView *self,
            NoticeKind            kind,
            const char           *title,
            const char           *text)
{
  g_free (self->notice);
  self->notice = g_strdup (text);

  adw_preferences_group_set_description (self->group, kind == NOTICE_INFO ? text : NULL);
  gtk_widget_set_visible (self->notice_list, kind == NOTICE_PROBLEM || kind == NOTICE_BLOCKED);
  if (kind != NOTICE_PROBLEM && kind != NOTICE_BLOCKED)
    return;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->notice_row), title);
  adw_action_row_set_subtitle (self->notice_row, text);
  gtk_widget_set_visible (self->retry_button, kind == NOTICE_PROBLEM);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->notice_icon),
                                kind == NOTICE_PROBLEM ? "dialog-error-symbolic" : "dialog-information-symbolic");
  gtk_widget_remove_css_class (self->notice_icon, "error");
  if (kind == NOTICE_PROBLEM)
    gtk_widget_add_css_class (self->notice_icon, "error");
}

static void
set_busy (DossierChecklistView *self,
          gboolean              busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_set_visible (self->refresh_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->environment_dropdown), !busy);
}

/* ------------------------------------------------------------------------ */
/* asking                                                                    */

static gboolean
has_request (DossierProvider *provider)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (provider);

  return spec != NULL && spec->method != NULL;
}

/* The provider's failure, with every credential the view knows masked */
static char *
masked (GError             *error,
        DossierCredentials *credentials)
{
  g_autoptr(DossierRedact) redact = dossier_redact_new ();

  if (credentials != NULL)
    {
      dossier_redact_add (redact, dossier_credentials_get_secret (credentials));
      dossier_redact_add (redact, dossier_credentials_get_client_secret (credentials));
    }
  return dossier_redact_apply (redact, error->message);
}

typedef struct
{
  DossierChecklistView *self;   /* a reference */
  GCancellable *cancellable;    /* this refresh's: another one replaced it when it is not the view's */
  DossierCredentials *credentials;
} Asking;

static void
asking_free (Asking *asking)
{
  g_clear_object (&asking->self);
  g_clear_object (&asking->cancellable);
  g_clear_object (&asking->credentials);
  g_free (asking);
}

/* Cancel pressed: the list stays as it was, Retry asks again */
static void
show_cancelled (DossierChecklistView *self)
{
  /* Translators: "Cancelled: Moov was not asked" */
  g_autofree char *title = g_strdup_printf (_("Cancelled: %s was not asked"),
                                            dossier_provider_get_name (self->provider));

  set_busy (self, FALSE);
  set_notice (self, NOTICE_PROBLEM, title, _("The list shows what was known before."));
}

static void
show_failure (DossierChecklistView *self,
              const char           *text)
{
  /* Translators: "Could not refresh Moov’s checklist" */
  g_autofree char *title = g_strdup_printf (_("Could not refresh %s’s checklist"),
                                            dossier_provider_get_name (self->provider));

  set_busy (self, FALSE);
  set_notice (self, NOTICE_PROBLEM, title, text);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Asking, asking_free)

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Asking) asking = user_data;
  DossierChecklistView *self = asking->self;
  const char *name = dossier_provider_get_name (self->provider);
  g_autoptr(GError) error = NULL;
  gboolean cached = FALSE;
  gint64 age = 0;

  gboolean ok = dossier_checklist_refresh_finish (DOSSIER_CHECKLIST (source), result, &cached, &age, &error);

  /* a refresh that replaced this one owns the view now */
  if (asking->cancellable != self->cancellable)
    return;
  if (!ok)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_cancelled (self);
          return;
        }
      text = masked (error, asking->credentials);
      show_failure (self, text);
      return;
    }
  set_busy (self, FALSE);

  if (!has_request (self->provider))
    {
      /* Translators: "Kore.ai publishes no requirements: these are the uploads made" */
      g_autofree char *text = g_strdup_printf (_("%s publishes no requirements: these are the uploads made"), name);

      set_notice (self, NOTICE_INFO, NULL, text);
    }
  else if (cached)
    {
      g_autofree char *when = dossier_checklist_describe_age (age);
      /* Translators: "checked 20 s ago; Moov is asked at most once a minute" */
      g_autofree char *text = g_strdup_printf (_("%s; %s is asked at most once a minute"), when, name);

      set_notice (self, NOTICE_INFO, NULL, text);
    }
  else
    set_notice (self, NOTICE_NONE, NULL, NULL);

  if (self->merchant != NULL)
    {
      const char *provider_id = dossier_provider_get_id (self->provider);
      DossierChecklistSummary summary, kept;
      g_autoptr(GError) save_error = NULL;
      gboolean had;

      dossier_checklist_get_summary (self->checklist, &summary);
      had = dossier_merchant_get_checklist_summary (self->merchant, provider_id, &kept);
      dossier_merchant_set_checklist_summary (self->merchant, provider_id, &summary);
      /* the record is written again only when the counts changed */
      if ((!had || kept.missing != summary.missing || kept.rejected != summary.rejected ||
           kept.pending != summary.pending || kept.accepted != summary.accepted ||
           kept.expired != summary.expired || kept.checked_at != summary.checked_at) && self->store != NULL &&
          dossier_merchant_store_lookup (self->store, dossier_merchant_get_id (self->merchant)) != NULL &&
          !dossier_merchant_store_update (self->store, self->merchant, &save_error))
        /* the checklist stands; only the list's badge is not kept */
        g_warning ("Could not keep the checklist’s counts in the merchant’s record: %s", save_error->message);
    }
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

static void
ask (DossierChecklistView *self,
     Asking               *asking_in,
     const char           *base_url)
{
  g_autoptr(Asking) asking = asking_in;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  const char *merchant_id = dossier_merchant_get_id (self->merchant);
  const char *environment = dossier_checklist_view_get_environment (self);
  /* the limiter's key: each environment is a server of its own */
  g_autofree char *limit_key = g_strdup_printf ("%s\n%s", merchant_id, environment);
  DossierCredentials *credentials;

  values = dossier_merchant_dup_account_values (self->merchant, dossier_provider_get_id (self->provider));
  if (self->history != NULL)
    uploads = dossier_checklist_uploads_from_history (self->history, self->provider, environment, merchant_id, values);
  if (asking->credentials == NULL)
    asking->credentials = dossier_credentials_new ();
  credentials = asking->credentials;   /* not read in the call that steals @asking */
  dossier_checklist_refresh_async (self->checklist, base_url, limit_key, values, credentials,
                                   self->client, shared_limiter (), uploads, NULL,
                                   g_get_real_time () / G_USEC_PER_SEC, self->cancellable,
                                   refreshed_cb, g_steal_pointer (&asking));
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Asking) asking = user_data;
  DossierChecklistView *self = asking->self;
  g_autoptr(DossierConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = dossier_connection_resolve_finish (result, &error);
  if (asking->cancellable != self->cancellable)
    return;
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_cancelled (self);
      else
        show_failure (self, error->message);
      return;
    }
  asking->credentials = g_object_ref (dossier_connection_get_credentials (connection));
  ask (self, g_steal_pointer (&asking), dossier_connection_get_base_url (connection));
}

void
dossier_checklist_view_refresh (DossierChecklistView *self)
{
  g_autoptr(GPtrArray) missing = NULL;
  DossierChecklist *checklist;
  Asking *asking;

  g_return_if_fail (DOSSIER_IS_CHECKLIST_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (self->merchant == NULL)
    return;

  checklist = shared_checklist (self->provider, dossier_checklist_view_get_environment (self),
                                dossier_merchant_get_id (self->merchant));
  if (checklist != self->checklist)
    {
      g_set_object (&self->checklist, checklist);
      gtk_list_box_bind_model (self->items_list, G_LIST_MODEL (checklist), create_row, self, NULL);
    }

  /* what the request needs from the merchant's record: said, not asked */
  missing = has_request (self->provider) ? dossier_merchant_missing_account_fields (self->merchant, self->provider)
                                         : g_ptr_array_new ();
  if (missing->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *title = NULL;

      for (guint i = 0; i < missing->len; i++)
        {
          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, dossier_field_get_label (g_ptr_array_index (missing, i)));
        }
      /* Translators: "Toko Makmur has no Account ID for Moov yet" */
      title = g_strdup_printf (_("%s has no %s for %s yet"), dossier_merchant_get_name (self->merchant),
                               names->str, dossier_provider_get_name (self->provider));
      set_notice (self, NOTICE_BLOCKED, title,
                  _("Add it to the merchant’s account values; nothing was asked until then."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  asking = g_new0 (Asking, 1);
  asking->self = g_object_ref (self);
  asking->cancellable = g_object_ref (self->cancellable);
  if (!has_request (self->provider))
    {
      ask (self, asking, NULL);
      return;
    }
  dossier_connection_resolve_async (self->provider, dossier_checklist_view_get_environment (self),
                                    self->sandbox_url, self->cancellable, connected_cb, asking);
}

/* ------------------------------------------------------------------------ */
/* the widget                                                                */

static void
on_cancel_clicked (DossierChecklistView *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
on_refresh_clicked (DossierChecklistView *self)
{
  dossier_checklist_view_refresh (self);
}

static void
on_environment_changed (DossierChecklistView *self)
{
  dossier_checklist_view_refresh (self);
}

static void
dossier_checklist_view_dispose (GObject *object)
{
  DossierChecklistView *self = DOSSIER_CHECKLIST_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_CHECKLIST_VIEW);

  G_OBJECT_CLASS (dossier_checklist_view_parent_class)->dispose (object);
}

static void
dossier_checklist_view_finalize (GObject *object)
{
  DossierChecklistView *self = DOSSIER_CHECKLIST_VIEW (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_free (self->sandbox_url);
  g_clear_object (&self->store);
  g_clear_object (&self->merchant);
  g_clear_object (&self->checklist);
  g_free (self->notice);

  G_OBJECT_CLASS (dossier_checklist_view_parent_class)->finalize (object);
}

static void
dossier_checklist_view_class_init (DossierChecklistViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_checklist_view_dispose;
  object_class->finalize = dossier_checklist_view_finalize;

  signals[SIGNAL_UPLOAD_REQUESTED] =
    g_signal_new ("upload-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DOSSIER_TYPE_CHECKLIST_ITEM);
  signals[SIGNAL_REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-checklist-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, group);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, environment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, notice_list);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, notice_row);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, DossierChecklistView, items_list);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
}

static void
dossier_checklist_view_init (DossierChecklistView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * dossier_checklist_view_new:
 * @provider: the provider whose checklist it shows
 * @client: the client its requests go through
 * @history: (nullable): the record of uploads (a GListModel of
 *   DossierHistoryEntry): the merchant's uploads in it count
 * @sandbox_url: (nullable): where the embedded sandbox listens
 */
GtkWidget *
dossier_checklist_view_new (DossierProvider *provider,
                            DossierClient   *client,
                            GListModel      *history,
                            const char      *sandbox_url)
{
  DossierChecklistView *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n, selected = 0;
  g_autofree char *refresh_name = NULL;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (DOSSIER_IS_CLIENT (client), NULL);

  self = g_object_new (DOSSIER_TYPE_CHECKLIST_VIEW, NULL);
  self->provider = g_object_ref (provider);
  self->client = g_object_ref (client);
  self->history = history != NULL ? g_object_ref (history) : NULL;
  self->sandbox_url = g_strdup (sandbox_url);

  /* under the provider's own heading on the merchant's page */
  adw_preferences_group_set_title (self->group, _("Checklist"));
  n = dossier_provider_get_n_environments (provider);
  for (guint i = 0; i < n; i++)
    {
      const DossierEnvironment *environment = dossier_provider_get_environment (provider, i);

      gtk_string_list_append (names, environment->name);
      if (dossier_provider_is_sandbox_url (environment->base_url) && selected == 0)
        selected = i;
    }
  gtk_drop_down_set_model (self->environment_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->environment_dropdown, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->environment_dropdown), n > 1);
  /* GTK 4.8 leaves the drop-down's own button unnamed */
  _dossier_gui_name_dropdown (GTK_WIDGET (self->environment_dropdown), _("Environment"));
  g_signal_connect_swapped (self->environment_dropdown, "notify::selected",
                            G_CALLBACK (on_environment_changed), self);

  /* Translators: the Refresh button's tooltip and accessible name: "Ask Moov Again" */
  refresh_name = g_strdup_printf (has_request (provider) ? _("Ask %s Again") : _("Read %s’s Uploads Again"),
                                  dossier_provider_get_name (provider));
  gtk_widget_set_tooltip_text (self->refresh_button, refresh_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->refresh_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  refresh_name, -1);
  return GTK_WIDGET (self);
}

/**
 * dossier_checklist_view_set_merchant:
 * @store: (nullable): where the merchant's record is kept: the checklist's
 *   counts are saved there
 * @merchant: (nullable): the merchant
 *
 * Shows @merchant's checklist, asking the provider (at most once a minute
 * per provider and merchant).
 */
void
dossier_checklist_view_set_merchant (DossierChecklistView *self,
                                     DossierMerchantStore *store,
                                     DossierMerchant      *merchant)
{
  g_return_if_fail (DOSSIER_IS_CHECKLIST_VIEW (self));

  g_set_object (&self->store, store);
  g_set_object (&self->merchant, merchant);
  if (merchant == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
      gtk_list_box_bind_model (self->items_list, NULL, NULL, NULL, NULL);
      g_clear_object (&self->checklist);
      set_notice (self, NOTICE_NONE, NULL, NULL);
      return;
    }
  dossier_checklist_view_refresh (self);
}

DossierChecklist *
dossier_checklist_view_get_checklist (DossierChecklistView *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_VIEW (self), NULL);
  return self->checklist;
}

const char *
dossier_checklist_view_get_environment (DossierChecklistView *self)
{
  const DossierEnvironment *environment;

  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_VIEW (self), NULL);

  environment = dossier_provider_get_environment (self->provider,
                                                  gtk_drop_down_get_selected (self->environment_dropdown));
  return environment != NULL ? environment->id : NULL;
}

gboolean
dossier_checklist_view_get_busy (DossierChecklistView *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_VIEW (self), FALSE);
  return self->busy;
}

const char *
dossier_checklist_view_get_notice (DossierChecklistView *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_VIEW (self), NULL);
  return self->notice;
}
