/* dossier-follow-up-gui.c: the application's follow-up: the scheduler, the open tasks, the notifications
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scheduler (src/core/dossier-follow-up-scheduler.c) decides who is
 * asked when; this starts each follow-up: the merchant's account values
 * from the store (else those its last upload carried), the environment
 * its uploads used (else the provider's sandbox), the address and
 * credentials resolved by dossier-connection.c. A decision that arrives
 * while no window is in front becomes a notification whose default action
 * opens that merchant (app.show-merchant).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-follow-up-gui.h"
#include "dossier-connection.h"
#include "dossier-history.h"
#include "dossier-notify.h"

struct _DossierFollowUpGui
{
  GObject                   parent_instance;

  GtkApplication           *app;        /* weak */
  DossierCatalogue         *catalogue;
  DossierMerchantStore     *store;
  DossierClient            *client;
  DossierFollowUpScheduler *scheduler;
  DossierTaskList          *tasks;
  char                     *sandbox_url;
  char                     *running_merchant;
  guint                     n_refreshing;
};

G_DEFINE_FINAL_TYPE (DossierFollowUpGui, dossier_follow_up_gui, G_TYPE_OBJECT)

enum { PROP_0, PROP_RUNNING_MERCHANT, N_PROPS };
static GParamSpec *properties[N_PROPS];

typedef struct
{
  DossierFollowUpGui  *self;
  DossierProvider     *provider;
  char                *merchant_id;
  char                *environment;
  GHashTable          *values;
  GCancellable        *cancellable;   /* the scheduler's, of this follow-up */
  GAsyncReadyCallback  callback;
  gpointer             callback_data;
} Starting;

static void
starting_free (Starting *starting)
{
  g_object_unref (starting->self);
  g_object_unref (starting->provider);
  g_free (starting->merchant_id);
  g_free (starting->environment);
  g_clear_pointer (&starting->values, g_hash_table_unref);
  g_clear_object (&starting->cancellable);
  g_free (starting);
}

/* a result that says why nothing was asked (the scheduler finishes it) */
static void
fail_start (Starting *starting,
            GError   *error)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, starting->callback, starting->callback_data);

  g_task_set_source_tag (task, dossier_follow_up_async);
  g_task_return_error (task, error);
  starting_free (starting);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Starting *starting = user_data;
  g_autoptr(DossierConnection) connection = NULL;
  GError *error = NULL;

  connection = dossier_connection_resolve_finish (result, &error);
  /* the application's follow-up went away meanwhile (its client with it) */
  if (connection != NULL && starting->self->client == NULL)
    {
      g_cancellable_cancel (starting->cancellable);
      g_cancellable_set_error_if_cancelled (starting->cancellable, &error);
    }
  if (error != NULL)
    {
      fail_start (starting, error);
      return;
    }
  dossier_follow_up_async (dossier_history_get_default (), starting->provider, starting->environment,
                           dossier_connection_get_base_url (connection), starting->merchant_id,
                           starting->values, dossier_connection_get_credentials (connection),
                           starting->self->client, starting->cancellable,
                           starting->callback, starting->callback_data);
  starting_free (starting);
}

/* the environment the merchant's newest upload to @provider used, else
 * the provider's sandbox */
static char *
find_environment (DossierProvider *provider,
                  const char      *merchant_id,
                  GHashTable     **out_values)
{
  g_autoptr(GPtrArray) entries = dossier_follow_up_dup_entries (dossier_history_get_default (), provider,
                                                                NULL, merchant_id);
  guint n = dossier_provider_get_n_environments (provider);

  if (entries->len > 0)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (entries, 0);

      if (out_values != NULL)
        {
          GListModel *model = dossier_provider_get_fields (provider);

          *out_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          for (guint i = 0; i < g_list_model_get_n_items (model); i++)
            {
              g_autoptr(DossierField) field = g_list_model_get_item (model, i);
              const char *value = dossier_history_entry_get_account_value (entry, dossier_field_get_name (field));

              if (value != NULL)
                g_hash_table_replace (*out_values, g_strdup (dossier_field_get_name (field)), g_strdup (value));
            }
        }
      return g_strdup (dossier_history_entry_get_environment (entry));
    }
  for (guint i = 0; i < n; i++)
    if (dossier_provider_is_sandbox_url (dossier_provider_get_environment (provider, i)->base_url))
      return g_strdup (dossier_provider_get_environment (provider, i)->id);
  return n > 0 ? g_strdup (dossier_provider_get_environment (provider, 0)->id) : NULL;
}

static void
start_follow_up (const char          *merchant_id,
                 DossierProvider     *provider,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             callback_data,
                 gpointer             user_data)
{
  DossierFollowUpGui *self = user_data;
  DossierMerchant *merchant = self->store != NULL ? dossier_merchant_store_lookup (self->store, merchant_id) : NULL;
  Starting *starting = g_new0 (Starting, 1);
  g_autoptr(GHashTable) from_entry = NULL;

  starting->self = g_object_ref (self);
  starting->provider = g_object_ref (provider);
  starting->merchant_id = g_strdup (merchant_id);
  starting->cancellable = g_object_ref (cancellable);
  starting->callback = callback;
  starting->callback_data = callback_data;
  starting->environment = find_environment (provider, merchant_id, &from_entry);
  if (merchant != NULL)
    starting->values = dossier_merchant_dup_account_values (merchant, dossier_provider_get_id (provider));
  if (starting->values == NULL || g_hash_table_size (starting->values) == 0)
    {
      g_clear_pointer (&starting->values, g_hash_table_unref);
      starting->values = g_steal_pointer (&from_entry);
    }

  if (starting->environment == NULL)
    {
      fail_start (starting, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                         /* Translators: "Moov has no environment to ask" */
                                         _("%s has no environment to ask"), dossier_provider_get_name (provider)));
      return;
    }
  /* @cancellable is this follow-up's own (Cancel on its merchant's page,
   * the scheduler going away): nothing is connected to a longer-lived one */
  dossier_connection_resolve_async (provider, starting->environment, self->sandbox_url, cancellable,
                                    connected_cb, starting);
}

/* The entry a decision is about: its error code, for the sentence */
static DossierHistoryEntry *
find_entry (const char *merchant_id,
            const char *provider_id,
            const char *file_name)
{
  GListModel *history = G_LIST_MODEL (dossier_history_get_default ());
  guint n = g_list_model_get_n_items (history);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (history, i);

      if (g_strcmp0 (dossier_history_entry_get_merchant_id (entry), merchant_id) == 0 &&
          g_strcmp0 (dossier_history_entry_get_provider_id (entry), provider_id) == 0 &&
          g_strcmp0 (dossier_history_entry_get_file_name (entry), file_name) == 0)
        return g_steal_pointer (&entry);
    }
  return NULL;
}

char *
_dossier_follow_up_gui_describe (DossierFollowUpGui *self,
                                 const char         *merchant_id,
                                 const char         *provider_id,
                                 const char         *file_name,
                                 const char         *status,
                                 const char         *reason)
{
  DossierProvider *provider = dossier_catalogue_lookup (self->catalogue, provider_id);
  DossierMerchant *merchant = self->store != NULL ? dossier_merchant_store_lookup (self->store, merchant_id) : NULL;
  g_autoptr(DossierHistoryEntry) entry = find_entry (merchant_id, provider_id, file_name);
  DossierFollowUpDecision decision = {
    .merchant_id = (char *) merchant_id,
    .provider_id = (char *) provider_id,
    .file_name = (char *) file_name,
    .status = (char *) status,
    .reason = (char *) reason,
    .error_code = entry != NULL ? (char *) dossier_history_entry_get_error_code (entry) : NULL,
    .final = TRUE,
  };

  if (provider == NULL)
    return g_strdup (file_name);
  decision.provider_name = (char *) dossier_provider_get_name (provider);
  return dossier_follow_up_describe_decision (provider, &decision,
                                              merchant != NULL ? dossier_merchant_get_name (merchant) : NULL);
}

static gboolean
any_window_active (DossierFollowUpGui *self)
{
  for (GList *l = gtk_application_get_windows (self->app); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;
  return FALSE;
}

static void
on_decision (DossierFollowUpScheduler *scheduler,
             const char               *merchant_id,
             const char               *provider_id,
             const char               *file_name,
             const char               *status,
             const char               *reason,
             DossierFollowUpGui       *self)
{
  g_autofree char *body = NULL;

  if (self->app == NULL || merchant_id == NULL || any_window_active (self))
    return;
  body = _dossier_follow_up_gui_describe (self, merchant_id, provider_id, file_name, status, reason);
  _dossier_notify_merchant (self->app, merchant_id, _("A document was reviewed"), body);
}

static void
set_running_merchant (DossierFollowUpGui *self,
                      const char         *merchant_id)
{
  if (g_strcmp0 (self->running_merchant, merchant_id) == 0)
    return;
  g_free (self->running_merchant);
  self->running_merchant = g_strdup (merchant_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING_MERCHANT]);
}

/* the merchant a Refresh asked for has nothing running nor waiting */
static void
on_busy (DossierFollowUpGui *self)
{
  if (!dossier_follow_up_scheduler_has_merchant (self->scheduler, self->running_merchant))
    set_running_merchant (self, NULL);
}

gboolean
dossier_follow_up_gui_refresh (DossierFollowUpGui  *self,
                               const char          *merchant_id,
                               char               **out_why)
{
  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_GUI (self), FALSE);

  if (dossier_follow_up_scheduler_is_paused (self->scheduler))
    {
      if (out_why != NULL)
        *out_why = g_strdup (_("No network: the providers are asked again once it is back"));
      return FALSE;
    }
  if (!dossier_follow_up_scheduler_refresh_now (self->scheduler, merchant_id))
    {
      /* already being asked, held back by a provider's Retry-After, or
       * nothing sent to a provider that reports reviews: said, not silent */
      if (out_why != NULL)
        *out_why = g_strdup (dossier_follow_up_scheduler_is_busy (self->scheduler)
                             ? _("The providers are being asked already")
                             : _("Nothing to ask now: no upload waits for a review, or a provider asked to wait"));
      return FALSE;
    }
  set_running_merchant (self, merchant_id);
  on_busy (self);
  return TRUE;
}

void
dossier_follow_up_gui_cancel (DossierFollowUpGui *self,
                              const char         *merchant_id)
{
  g_return_if_fail (DOSSIER_IS_FOLLOW_UP_GUI (self));
  dossier_follow_up_scheduler_cancel_merchant (self->scheduler, merchant_id);
  on_busy (self);
}

const char *
dossier_follow_up_gui_get_running_merchant (DossierFollowUpGui *self)
{
  return self->running_merchant;
}

void
dossier_follow_up_gui_start (DossierFollowUpGui *self,
                             guint               seconds)
{
  dossier_follow_up_scheduler_start (self->scheduler, seconds);
  /* what is due since the last run, at once */
  if (seconds > 0)
    dossier_follow_up_scheduler_tick (self->scheduler);
}

void
dossier_follow_up_gui_set_merchant_store (DossierFollowUpGui   *self,
                                          DossierMerchantStore *store)
{
  g_set_object (&self->store, store);
}

DossierFollowUpScheduler *
dossier_follow_up_gui_get_scheduler (DossierFollowUpGui *self)
{
  return self->scheduler;
}

GListModel *
dossier_follow_up_gui_get_tasks (DossierFollowUpGui *self)
{
  return G_LIST_MODEL (self->tasks);
}

GPtrArray *
dossier_follow_up_gui_dup_tasks_for (DossierFollowUpGui *self,
                                     const char         *merchant_id)
{
  return dossier_task_list_dup_for_merchant (self->tasks, merchant_id);
}

static void
dossier_follow_up_gui_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DossierFollowUpGui *self = DOSSIER_FOLLOW_UP_GUI (object);

  switch (prop_id)
    {
    case PROP_RUNNING_MERCHANT:
      g_value_set_string (value, self->running_merchant);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_follow_up_gui_dispose (GObject *object)
{
  DossierFollowUpGui *self = DOSSIER_FOLLOW_UP_GUI (object);

  /* the scheduler may outlive this (its running follow-up holds it): it
   * is disposed now, so that it cancels that follow-up and never calls
   * start_follow_up() with this gone */
  if (self->scheduler != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->scheduler, self);
      g_object_run_dispose (G_OBJECT (self->scheduler));
    }
  g_clear_object (&self->scheduler);
  if (self->client != NULL)
    dossier_client_abort (self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->tasks);
  g_clear_object (&self->store);
  g_clear_object (&self->catalogue);
  if (self->app != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->app), (gpointer *) &self->app);
  self->app = NULL;
  G_OBJECT_CLASS (dossier_follow_up_gui_parent_class)->dispose (object);
}

static void
dossier_follow_up_gui_finalize (GObject *object)
{
  DossierFollowUpGui *self = DOSSIER_FOLLOW_UP_GUI (object);

  g_free (self->sandbox_url);
  g_free (self->running_merchant);
  G_OBJECT_CLASS (dossier_follow_up_gui_parent_class)->finalize (object);
}

static void
dossier_follow_up_gui_class_init (DossierFollowUpGuiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dossier_follow_up_gui_get_property;
  object_class->dispose = dossier_follow_up_gui_dispose;
  object_class->finalize = dossier_follow_up_gui_finalize;
  properties[PROP_RUNNING_MERCHANT] = g_param_spec_string ("running-merchant", NULL, NULL, NULL,
                                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_follow_up_gui_init (DossierFollowUpGui *self)
{
}

DossierFollowUpGui *
dossier_follow_up_gui_new (GtkApplication   *app,
                           DossierCatalogue *catalogue,
                           const char       *sandbox_url,
                           GNetworkMonitor  *monitor)
{
  DossierFollowUpGui *self = g_object_new (DOSSIER_TYPE_FOLLOW_UP_GUI, NULL);
  DossierHistory *history = dossier_history_get_default ();

  self->app = app;
  if (app != NULL)
    g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &self->app);
  self->catalogue = g_object_ref (catalogue);
  self->sandbox_url = g_strdup (sandbox_url);
  self->client = dossier_client_new (2);
  self->tasks = dossier_task_list_new (G_LIST_MODEL (history), catalogue);
  self->scheduler = dossier_follow_up_scheduler_new (history, catalogue, monitor, start_follow_up, self, NULL);
  g_signal_connect (self->scheduler, "decision", G_CALLBACK (on_decision), self);
  g_signal_connect_swapped (self->scheduler, "notify::busy", G_CALLBACK (on_busy), self);
  return self;
}
