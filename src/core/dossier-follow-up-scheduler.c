/* dossier-follow-up-scheduler.c: asking the providers again in the background
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While the application runs, every merchant with uploads still pending
 * review (or whose outcome is unknown) at Moov or DOKU is asked again, at
 * most every 15 minutes per merchant and provider.  A 429 or 503 with a
 * Retry-After holds the whole provider back until it passes.  Nothing is
 * asked while GNetworkMonitor says the network is unavailable; when it
 * comes back, what is due is asked at once.  The clock is injected
 * (dossier_follow_up_scheduler_set_clock()) so that tests move time
 * without sleeping; the application drives it with a periodic tick.
 * Follow-ups run one at a time, in the order they came due.  Each has a
 * cancellable of its own, given to the start function and dropped when it
 * ends: Cancel on a merchant's page stops that merchant's follow-ups
 * (dossier_follow_up_scheduler_cancel_merchant()), running or queued, and
 * nothing of another's.
 */

#include "config.h"

#include <string.h>

#include "dossier-follow-up-scheduler.h"

typedef struct
{
  char            *merchant_id;
  DossierProvider *provider;
  GCancellable    *cancellable;   /* while it runs */
} Job;

struct _DossierFollowUpScheduler
{
  GObject                   parent_instance;

  DossierHistory           *history;
  DossierCatalogue         *catalogue;
  GNetworkMonitor          *monitor;
  gulong                    network_id;
  DossierFollowUpStartFunc  start;
  gpointer                  start_data;
  GDestroyNotify            start_destroy;
  DossierClockFunc          clock;
  gpointer                  clock_data;

  GHashTable               *asked;       /* "merchant\nprovider" -> Unix s (boxed gint64) */
  GHashTable               *not_before;  /* provider id -> Unix s */
  GQueue                    jobs;
  Job                      *running;
  guint                     timer;
  gboolean                  paused;
  gboolean                  disposed;
};

enum {
  SIGNAL_DECISION,
  SIGNAL_FINISHED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_PAUSED,
  PROP_BUSY,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DossierFollowUpScheduler, dossier_follow_up_scheduler, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  g_free (job->merchant_id);
  g_clear_object (&job->provider);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static gint64
now (DossierFollowUpScheduler *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_real_time () / G_USEC_PER_SEC;
}

static char *
pair_key (const char *merchant_id,
          const char *provider_id)
{
  return g_strconcat (merchant_id, "\n", provider_id, NULL);
}

static gint64
lookup_time (GHashTable *table,
             const char *key)
{
  gint64 *value = g_hash_table_lookup (table, key);

  return value != NULL ? *value : 0;
}

static void
set_time (GHashTable *table,
          const char *key,
          gint64      time)
{
  g_hash_table_replace (table, g_strdup (key), g_memdup2 (&time, sizeof time));
}

static gboolean
queued (DossierFollowUpScheduler *self,
        const char               *merchant_id,
        DossierProvider          *provider)
{
  for (GList *l = self->jobs.head; l != NULL; l = l->next)
    {
      Job *job = l->data;

      if (g_str_equal (job->merchant_id, merchant_id) && job->provider == provider)
        return TRUE;
    }
  return self->running != NULL && g_str_equal (self->running->merchant_id, merchant_id) &&
         self->running->provider == provider;
}

static void run_next (DossierFollowUpScheduler *self);

static void
follow_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DossierFollowUpScheduler) self = user_data;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  Job *job = g_steal_pointer (&self->running);
  const char *provider_id = dossier_provider_get_id (job->provider);
  gint64 wait = -1;

  decisions = dossier_follow_up_finish (result, &wait, &error);
  if (wait > 0)
    set_time (self->not_before, provider_id, now (self) + wait);

  for (guint i = 0; decisions != NULL && i < decisions->len; i++)
    {
      DossierFollowUpDecision *d = g_ptr_array_index (decisions, i);

      if (d->final)
        g_signal_emit (self, signals[SIGNAL_DECISION], 0, job->merchant_id, provider_id, d->file_name,
                       d->status, d->reason);
    }
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, job->merchant_id, provider_id,
                 error != NULL ? error->message : NULL);
  job_free (job);

  /* the scheduler going away (its start function may be gone with its
   * owner); one follow-up stopped (Cancel on a page) lets the others run */
  if (self->disposed)
    return;
  run_next (self);
}

static void
run_next (DossierFollowUpScheduler *self)
{
  Job *job;

  if (self->disposed)
    return;
  while (self->running == NULL && !self->paused && (job = g_queue_pop_head (&self->jobs)) != NULL)
    {
      const char *provider_id = dossier_provider_get_id (job->provider);
      g_autofree char *key = pair_key (job->merchant_id, provider_id);

      /* a Retry-After that came while it waited */
      if (now (self) < lookup_time (self->not_before, provider_id))
        {
          job_free (job);
          continue;
        }
      set_time (self->asked, key, now (self));
      self->running = job;
      job->cancellable = g_cancellable_new ();
      self->start (job->merchant_id, job->provider, job->cancellable, follow_up_cb, g_object_ref (self),
                   self->start_data);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
may_ask (DossierFollowUpScheduler *self,
         const char               *merchant_id,
         DossierProvider          *provider,
         gboolean                  now_anyway)
{
  const char *provider_id = dossier_provider_get_id (provider);
  g_autofree char *key = pair_key (merchant_id, provider_id);
  gint64 t = now (self);

  if (t < lookup_time (self->not_before, provider_id) || queued (self, merchant_id, provider))
    return FALSE;
  if (now_anyway)
    return TRUE;
  return !g_hash_table_contains (self->asked, key) ||
         t - lookup_time (self->asked, key) >= DOSSIER_FOLLOW_UP_INTERVAL;
}

guint
dossier_follow_up_scheduler_tick (DossierFollowUpScheduler *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *model;
  guint n, started = 0;

  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self), 0);

  if (self->paused)
    return 0;

  /* one pass over the record: the merchants with something pending */
  model = G_LIST_MODEL (self->history);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (model, i);
      const char *merchant_id = dossier_history_entry_get_merchant_id (entry);
      const char *provider_id = dossier_history_entry_get_provider_id (entry);
      DossierProvider *provider;
      g_autofree char *key = NULL;

      if (merchant_id == NULL)
        continue;
      key = pair_key (merchant_id, provider_id);
      if (g_hash_table_contains (seen, key))
        continue;
      provider = dossier_catalogue_lookup (self->catalogue, provider_id);
      if (provider == NULL || !dossier_follow_up_reports_reviews (provider) ||
          !dossier_follow_up_entry_is_pending (provider, entry))
        continue;
      /* the first pending upload of a merchant and provider decides */
      g_hash_table_add (seen, g_steal_pointer (&key));
      if (!may_ask (self, merchant_id, provider, FALSE))
        continue;

      {
        Job *job = g_new0 (Job, 1);

        job->merchant_id = g_strdup (merchant_id);
        job->provider = g_object_ref (provider);
        g_queue_push_tail (&self->jobs, job);
        started++;
      }
    }

  run_next (self);
  return started;
}

gboolean
dossier_follow_up_scheduler_refresh_now (DossierFollowUpScheduler *self,
                                         const char               *merchant_id)
{
  guint n_providers;
  gboolean any = FALSE;

  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self), FALSE);

  if (self->paused || merchant_id == NULL)
    return FALSE;

  n_providers = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));
  for (guint i = 0; i < n_providers; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      g_autoptr(GPtrArray) entries = NULL;
      Job *job;

      if (!dossier_follow_up_reports_reviews (provider) || !may_ask (self, merchant_id, provider, TRUE))
        continue;
      /* nothing of this merchant's to ask this provider about */
      entries = dossier_follow_up_dup_entries (self->history, provider, NULL, merchant_id);
      if (entries->len == 0)
        continue;
      job = g_new0 (Job, 1);
      job->merchant_id = g_strdup (merchant_id);
      job->provider = g_object_ref (provider);
      g_queue_push_tail (&self->jobs, job);
      any = TRUE;
    }
  run_next (self);
  return any;
}

gboolean
dossier_follow_up_scheduler_cancel_merchant (DossierFollowUpScheduler *self,
                                             const char               *merchant_id)
{
  gboolean any = FALSE;
  GList *l, *next;

  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self), FALSE);

  if (merchant_id == NULL)
    return FALSE;
  /* the queued ones were never asked: the background asks them again
   * when they are due */
  for (l = self->jobs.head; l != NULL; l = next)
    {
      Job *job = l->data;

      next = l->next;
      if (g_str_equal (job->merchant_id, merchant_id))
        {
          g_queue_delete_link (&self->jobs, l);
          job_free (job);
          any = TRUE;
        }
    }
  /* the running one ends with its cancelled error ("finished") */
  if (self->running != NULL && g_str_equal (self->running->merchant_id, merchant_id))
    {
      g_cancellable_cancel (self->running->cancellable);
      any = TRUE;
    }
  if (any)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  return any;
}

gboolean
dossier_follow_up_scheduler_has_merchant (DossierFollowUpScheduler *self,
                                          const char               *merchant_id)
{
  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self), FALSE);

  if (merchant_id == NULL)
    return FALSE;
  for (GList *l = self->jobs.head; l != NULL; l = l->next)
    if (g_str_equal (((Job *) l->data)->merchant_id, merchant_id))
      return TRUE;
  return self->running != NULL && g_str_equal (self->running->merchant_id, merchant_id);
}

static void
update_network (DossierFollowUpScheduler *self)
{
  gboolean paused = !g_network_monitor_get_network_available (self->monitor);

  if (paused == self->paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  /* back online: what came due meanwhile */
  if (!paused)
    dossier_follow_up_scheduler_tick (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  update_network (user_data);
}

static gboolean
timer_cb (gpointer user_data)
{
  dossier_follow_up_scheduler_tick (user_data);
  return G_SOURCE_CONTINUE;
}

void
dossier_follow_up_scheduler_start (DossierFollowUpScheduler *self,
                                   guint                     seconds)
{
  g_return_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self));

  g_clear_handle_id (&self->timer, g_source_remove);
  if (seconds > 0)
    self->timer = g_timeout_add_seconds (seconds, timer_cb, self);
}

void
dossier_follow_up_scheduler_set_clock (DossierFollowUpScheduler *self,
                                       DossierClockFunc          clock,
                                       gpointer                  user_data)
{
  g_return_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self));
  self->clock = clock;
  self->clock_data = user_data;
}

gboolean
dossier_follow_up_scheduler_is_paused (DossierFollowUpScheduler *self)
{
  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self), FALSE);
  return self->paused;
}

gboolean
dossier_follow_up_scheduler_is_busy (DossierFollowUpScheduler *self)
{
  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self), FALSE);
  return self->running != NULL || self->jobs.length > 0;
}

gint64
dossier_follow_up_scheduler_get_not_before (DossierFollowUpScheduler *self,
                                            const char               *provider_id)
{
  g_return_val_if_fail (DOSSIER_IS_FOLLOW_UP_SCHEDULER (self), 0);
  return lookup_time (self->not_before, provider_id);
}

DossierFollowUpScheduler *
dossier_follow_up_scheduler_new (DossierHistory           *history,
                                 DossierCatalogue         *catalogue,
                                 GNetworkMonitor          *monitor,
                                 DossierFollowUpStartFunc  start,
                                 gpointer                  user_data,
                                 GDestroyNotify            destroy)
{
  DossierFollowUpScheduler *self;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (history), NULL);
  g_return_val_if_fail (start != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_FOLLOW_UP_SCHEDULER, NULL);
  self->history = g_object_ref (history);
  self->catalogue = g_object_ref (catalogue);
  self->monitor = g_object_ref (monitor != NULL ? monitor : g_network_monitor_get_default ());
  self->start = start;
  self->start_data = user_data;
  self->start_destroy = destroy;
  self->paused = !g_network_monitor_get_network_available (self->monitor);
  self->network_id = g_signal_connect (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
  return self;
}

static void
dossier_follow_up_scheduler_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  DossierFollowUpScheduler *self = DOSSIER_FOLLOW_UP_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, dossier_follow_up_scheduler_is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_follow_up_scheduler_dispose (GObject *object)
{
  DossierFollowUpScheduler *self = DOSSIER_FOLLOW_UP_SCHEDULER (object);

  /* the running follow-up ends (cancelled) without starting another: the
   * start function's data may go with this */
  self->disposed = TRUE;
  if (self->running != NULL)
    g_cancellable_cancel (self->running->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_id, self->monitor);
  g_clear_object (&self->monitor);
  g_queue_clear_full (&self->jobs, (GDestroyNotify) job_free);
  if (self->start_destroy != NULL)
    g_clear_pointer (&self->start_data, self->start_destroy);

  G_OBJECT_CLASS (dossier_follow_up_scheduler_parent_class)->dispose (object);
}

static void
dossier_follow_up_scheduler_finalize (GObject *object)
{
  DossierFollowUpScheduler *self = DOSSIER_FOLLOW_UP_SCHEDULER (object);

  g_clear_object (&self->history);
  g_clear_object (&self->catalogue);
  g_hash_table_unref (self->asked);
  g_hash_table_unref (self->not_before);

  G_OBJECT_CLASS (dossier_follow_up_scheduler_parent_class)->finalize (object);
}

static void
dossier_follow_up_scheduler_class_init (DossierFollowUpSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dossier_follow_up_scheduler_get_property;
  object_class->dispose = dossier_follow_up_scheduler_dispose;
  object_class->finalize = dossier_follow_up_scheduler_finalize;

  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_DECISION] = g_signal_new ("decision", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING,
                                           G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                           G_TYPE_STRING);
}

static void
dossier_follow_up_scheduler_init (DossierFollowUpScheduler *self)
{
  self->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->not_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
