/* dossier-history-duplicates.c: the duplicate guard's questions to the record
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Before a file is sent: was the same content (its SHA-256) sent to the
 * same provider and account already, or for another merchant? Only
 * uploads that were sent, or whose outcome is unknown (they may have
 * arrived), count: a failed one did not reach the provider. Lines older
 * than merchants have no sha256 and never match. The model is in memory,
 * so a question is a pass over its entries. The record is read ahead in the writer's thread
 * (dossier_history_preload()), so the first question does not read it on
 * the main thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-history-private.h"

/* -------------------------------------------------------------------------- */
/* Reading ahead                                                              */

/* Those waiting for dossier_history_preload_async(), once no preload is
 * on its way any more (the model has read the file, or will read it on
 * this thread when first asked) */
void
_dossier_history_return_preload_tasks (DossierHistory *self)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (self->preloading || self->preload_tasks == NULL || self->preload_tasks->len == 0)
    return;

  tasks = g_steal_pointer (&self->preload_tasks);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

/**
 * dossier_history_preload:
 *
 * Has the writer's thread read the file, when the model has not read it
 * yet, so that the first question asked of it (the duplicate guard's,
 * once a file is checked) does not read it on this thread.
 */
void
dossier_history_preload (DossierHistory *self)
{
  DossierHistoryOp *op;

  g_return_if_fail (DOSSIER_IS_HISTORY (self));

  if (self->entries != NULL || self->preloading)
    return;

  op = g_new0 (DossierHistoryOp, 1);
  op->scan = TRUE;
  self->preloading = TRUE;
  self->n_pending++;
  _dossier_history_journal_push (self->journal, op);
}

/**
 * dossier_history_preload_async:
 *
 * dossier_history_preload(), and @callback once the model has read the
 * file (at once when it has).
 */
void
dossier_history_preload_async (DossierHistory      *self,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOSSIER_IS_HISTORY (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, dossier_history_preload_async);
  if (self->entries != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->preload_tasks == NULL)
    self->preload_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->preload_tasks, g_steal_pointer (&task));
  dossier_history_preload (self);
}

gboolean
dossier_history_preload_finish (DossierHistory  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Whether the model has read the file: asking it then reads nothing */
gboolean
dossier_history_is_loaded (DossierHistory *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);
  return self->entries != NULL;
}

/* -------------------------------------------------------------------------- */
/* The questions                                                              */

static gboolean
may_have_arrived (DossierHistoryEntry *entry)
{
  return dossier_history_entry_get_success (entry) ||
         dossier_history_entry_get_outcome_unknown (entry);
}

/**
 * dossier_history_find_sent:
 * @sha256: the content, lowercase hex
 * @provider_id: the provider it goes to
 * @environment: (nullable): its environment; %NULL matches any
 * @account_key: the account, as dossier_history_account_key() gives it
 *
 * Earlier uploads of the same content to the same provider, environment
 * and account that were sent or have an unknown outcome.
 *
 * Returns: (transfer container) (element-type DossierHistoryEntry): newest
 *   first, maybe empty
 */
GPtrArray *
dossier_history_find_sent (DossierHistory *self,
                           const char     *sha256,
                           const char     *provider_id,
                           const char     *environment,
                           const char     *account_key)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), found);
  g_return_val_if_fail (provider_id != NULL, found);

  if (sha256 == NULL || *sha256 == '\0')
    return found;
  if (account_key == NULL)
    account_key = "";

  _dossier_history_ensure_loaded (self);
  for (guint i = 0; i < self->entries->len; i++)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (self->entries, i);
      g_autofree char *key = NULL;

      if (g_strcmp0 (dossier_history_entry_get_sha256 (entry), sha256) != 0 ||
          g_strcmp0 (dossier_history_entry_get_provider_id (entry), provider_id) != 0 ||
          (environment != NULL &&
           g_strcmp0 (dossier_history_entry_get_environment (entry), environment) != 0) ||
          !may_have_arrived (entry))
        continue;
      key = dossier_history_entry_dup_account_key (entry);
      if (g_str_equal (key, account_key))
        g_ptr_array_add (found, g_object_ref (entry));
    }

  return found;
}

/**
 * dossier_history_find_sent_for_other_merchants:
 * @sha256: the content, lowercase hex
 * @merchant_id: the merchant it is for now
 *
 * Earlier uploads of the same content, to any provider, for a merchant
 * other than @merchant_id (uploads for no merchant are not counted), sent
 * or with an unknown outcome: most likely a mix-up.
 *
 * Returns: (transfer container) (element-type DossierHistoryEntry): newest
 *   first, maybe empty
 */
GPtrArray *
dossier_history_find_sent_for_other_merchants (DossierHistory *self,
                                               const char     *sha256,
                                               const char     *merchant_id)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), found);

  if (sha256 == NULL || *sha256 == '\0' || merchant_id == NULL)
    return found;

  _dossier_history_ensure_loaded (self);
  for (guint i = 0; i < self->entries->len; i++)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (self->entries, i);
      const char *other = dossier_history_entry_get_merchant_id (entry);

      if (other != NULL && !g_str_equal (other, merchant_id) &&
          g_strcmp0 (dossier_history_entry_get_sha256 (entry), sha256) == 0 &&
          may_have_arrived (entry))
        g_ptr_array_add (found, g_object_ref (entry));
    }

  return found;
}

/* "3 Dec", or "3 Dec 2025" in another year than @now's, local time */
static char *
format_day (DossierHistoryEntry *entry,
            GDateTime           *now)
{
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GDateTime) local = g_date_time_to_local (dossier_history_entry_get_finished_at (entry));
  g_autoptr(GDateTime) local_now = NULL;

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();
  local_now = g_date_time_to_local (now);

  /* "%-d": no padding (%e pads with a figure space in UTF-8 locales) */
  if (g_date_time_get_year (local) == g_date_time_get_year (local_now))
    /* Translators: a day as g_date_time_format() writes it, "3 Dec" */
    return g_date_time_format (local, _("%-d %b"));
  /* Translators: a day as g_date_time_format() writes it, "3 Dec 2025" */
  return g_date_time_format (local, _("%-d %b %Y"));
}

/**
 * dossier_history_describe_duplicate:
 * @now: (nullable): the current time (for tests)
 *
 * The duplicate guard's sentence for an earlier upload of the same content
 * to the same provider and account.
 *
 * Returns: (transfer full): "Already sent to Moov on 3 Dec as ktp.png (id …)"
 */
char *
dossier_history_describe_duplicate (DossierHistoryEntry *entry,
                                    GDateTime           *now)
{
  g_autofree char *day = NULL;
  const char *provider_name;
  const char *file_name;
  const char *remote_id;

  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (entry), NULL);

  day = format_day (entry, now);
  provider_name = dossier_history_entry_get_provider_name (entry);
  file_name = dossier_history_entry_get_file_name (entry);
  remote_id = dossier_history_entry_get_remote_id (entry);

  if (!dossier_history_entry_get_success (entry))
    /* Translators: "May already have been sent to Moov on 3 Dec as ktp.png: its outcome is
     * unknown" */
    return g_strdup_printf (_("May already have been sent to %s on %s as %s: its outcome is unknown"),
                            provider_name, day, file_name);
  if (remote_id != NULL)
    /* Translators: "Already sent to Moov on 3 Dec as ktp.png (id 7f3a…)" */
    return g_strdup_printf (_("Already sent to %s on %s as %s (id %s)"),
                            provider_name, day, file_name, remote_id);
  /* Translators: "Already sent to Moov on 3 Dec as ktp.png" */
  return g_strdup_printf (_("Already sent to %s on %s as %s"), provider_name, day, file_name);
}

/**
 * dossier_history_describe_other_merchant:
 * @merchant_name: (nullable): the other merchant's name (NULL: its id)
 * @now: (nullable): the current time (for tests)
 *
 * Returns: (transfer full): "Also sent for merchant Toko Makmur on 3 Dec: a
 *   likely mix-up"
 */
char *
dossier_history_describe_other_merchant (DossierHistoryEntry *entry,
                                         const char          *merchant_name,
                                         GDateTime           *now)
{
  g_autofree char *day = NULL;

  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (entry), NULL);

  day = format_day (entry, now);
  if (merchant_name == NULL)
    merchant_name = dossier_history_entry_get_merchant_id (entry);

  /* Translators: "Also sent for merchant Toko Makmur on 3 Dec: a likely mix-up" */
  return g_strdup_printf (_("Also sent for merchant %s on %s: a likely mix-up"),
                          merchant_name, day);
}
