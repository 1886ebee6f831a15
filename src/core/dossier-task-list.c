/* dossier-task-list.c: the open re-upload tasks of every merchant, newest first
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Computed from the record (a GListModel of DossierHistoryEntry, newest
 * first) whenever it changes.  Going from the newest entry back, every
 * upload the provider took (sent, not lost) marks what it answers: the
 * merchant, provider, environment, account and requirement (or, without a
 * requirement, its document values).  A rejected entry whose mark a newer
 * upload already made is answered: accepted or pending, the task is done;
 * rejected again, the newer one is the task.  See dossier-task.c.
 *
 * A burst of changes (a follow-up recording every status it read, a
 * history loaded line by line) is worked out once: the first change of a
 * main-loop turn schedules the rebuild in an idle of the thread-default
 * context, the others find it scheduled.  Until it runs the list shows
 * what it last computed.
 */

#include "config.h"

#include <string.h>

#include "dossier-task-private.h"

struct _DossierTaskList
{
  GObject           parent_instance;

  GListModel       *history;
  DossierCatalogue *catalogue;
  GPtrArray        *tasks;
  gulong            changed_id;
  GMainContext     *context;
  GSource          *rebuild;     /* scheduled, not run yet */
  guint             n_rebuilds;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierTaskList, dossier_task_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static gboolean
is_rejected (DossierHistoryEntry *entry,
             DossierProvider     *provider)
{
  const DossierRequirementsSpec *spec = provider != NULL ? dossier_provider_get_requirements (provider) : NULL;
  const char *status = dossier_history_entry_get_remote_status (entry);

  return status != NULL && spec != NULL && spec->files_rejected != NULL &&
         g_strv_contains ((const char * const *) spec->files_rejected, status);
}

/* What the upload answers */
static char *
answer_key (DossierHistoryEntry *entry)
{
  g_autofree char *account = dossier_history_entry_dup_account_key (entry);
  const char *requirement = dossier_history_entry_get_requirement_id (entry);
  GString *key = g_string_new (NULL);

  g_string_append_printf (key, "%s\n%s\n%s\n%s\n", dossier_history_entry_get_merchant_id (entry),
                          dossier_history_entry_get_provider_id (entry),
                          dossier_history_entry_get_environment (entry), account != NULL ? account : "");
  if (requirement != NULL)
    g_string_append_printf (key, "requirement\n%s", requirement);
  else
    {
      static const char * const names[] = { "filePurpose", "category", "code", "purpose", NULL };

      for (guint i = 0; names[i] != NULL; i++)
        g_string_append_printf (key, "%s=%s\n", names[i],
                                dossier_history_entry_get_document_value (entry, names[i]) ?: "");
    }
  return g_string_free (key, FALSE);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  DossierTask *ta = *(DossierTask * const *) a;
  DossierTask *tb = *(DossierTask * const *) b;

  return -g_date_time_compare (dossier_task_get_time (ta), dossier_task_get_time (tb));
}

static GPtrArray *
compute (DossierTaskList *self)
{
  GPtrArray *tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) answered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (self->history);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (self->history, i);
      DossierProvider *provider;
      g_autofree char *key = NULL;

      if (!dossier_history_entry_get_success (entry))
        continue;
      provider = dossier_catalogue_lookup (self->catalogue, dossier_history_entry_get_provider_id (entry));
      key = answer_key (entry);
      if (is_rejected (entry, provider) && !g_hash_table_contains (answered, key))
        g_ptr_array_add (tasks, _dossier_task_new (entry, provider));
      g_hash_table_add (answered, g_steal_pointer (&key));
    }

  g_ptr_array_sort (tasks, compare_newest_first);
  return tasks;
}

static gboolean
rebuild_cb (gpointer user_data)
{
  DossierTaskList *self = user_data;
  g_autoptr(GPtrArray) old = self->tasks;

  g_clear_pointer (&self->rebuild, g_source_unref);
  self->n_rebuilds++;
  self->tasks = compute (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old != NULL ? old->len : 0, self->tasks->len);
  return G_SOURCE_REMOVE;
}

static void
history_changed_cb (GListModel *history,
                    guint       position,
                    guint       removed,
                    guint       added,
                    gpointer    user_data)
{
  DossierTaskList *self = user_data;

  if (self->rebuild != NULL)
    return;
  self->rebuild = g_idle_source_new ();
  g_source_set_priority (self->rebuild, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->rebuild, rebuild_cb, self, NULL);
  g_source_set_name (self->rebuild, "[dossier] task list rebuild");
  g_source_attach (self->rebuild, self->context);
}

guint
_dossier_task_list_get_n_rebuilds (DossierTaskList *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK_LIST (self), 0);
  return self->n_rebuilds;
}

/**
 * dossier_task_list_new:
 * @history: the record (a #DossierHistory), newest first
 * @catalogue: the providers, whose descriptors say which statuses are
 *   rejections and word the advice
 */
DossierTaskList *
dossier_task_list_new (GListModel       *history,
                       DossierCatalogue *catalogue)
{
  DossierTaskList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (history), NULL);
  g_return_val_if_fail (catalogue != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_TASK_LIST, NULL);
  self->history = g_object_ref (history);
  self->catalogue = g_object_ref (catalogue);
  self->context = g_main_context_ref_thread_default ();
  self->tasks = compute (self);
  self->changed_id = g_signal_connect (history, "items-changed", G_CALLBACK (history_changed_cb), self);
  return self;
}

GPtrArray *
dossier_task_list_dup_for_merchant (DossierTaskList *self,
                                    const char      *merchant_id)
{
  GPtrArray *tasks = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DOSSIER_IS_TASK_LIST (self), tasks);

  for (guint i = 0; i < self->tasks->len; i++)
    {
      DossierTask *task = g_ptr_array_index (self->tasks, i);

      if (g_strcmp0 (dossier_task_get_merchant_id (task), merchant_id) == 0)
        g_ptr_array_add (tasks, g_object_ref (task));
    }
  return tasks;
}

static GType
get_item_type (GListModel *model)
{
  return DOSSIER_TYPE_TASK;
}

static guint
get_n_items (GListModel *model)
{
  DossierTaskList *self = DOSSIER_TASK_LIST (model);

  return self->tasks != NULL ? self->tasks->len : 0;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  DossierTaskList *self = DOSSIER_TASK_LIST (model);

  return self->tasks != NULL && position < self->tasks->len ? g_object_ref (g_ptr_array_index (self->tasks, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
dossier_task_list_dispose (GObject *object)
{
  DossierTaskList *self = DOSSIER_TASK_LIST (object);

  g_clear_signal_handler (&self->changed_id, self->history);
  if (self->rebuild != NULL)
    g_source_destroy (self->rebuild);
  g_clear_pointer (&self->rebuild, g_source_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->history);
  g_clear_object (&self->catalogue);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (dossier_task_list_parent_class)->dispose (object);
}

static void
dossier_task_list_class_init (DossierTaskListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dossier_task_list_dispose;
}

static void
dossier_task_list_init (DossierTaskList *self)
{
}
