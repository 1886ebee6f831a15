/* dossier-merchant-store-load.c: reading the merchants' records off the main thread
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With 5,000 merchants reading merchants.jsonl takes ~110 ms of CPU, most
 * of it parsing: the window's first frame does not wait for it. A worker
 * thread reads and parses the file into a Loaded (dossier-merchant-store-file.c
 * touches only the store's path, directory and catalogue, none of which
 * change); the list takes it on the main thread, where its "items-changed"
 * and "problem" signals are emitted.
 *
 * A save, or a dossier_merchant_store_load(), while the worker reads, puts
 * what the file holds in the list first: the worker's read is then older
 * than the list and is dropped (the store counts what it took from the
 * file: its serial). No file, or an empty one, is read at once, on the
 * calling thread: a first start shows "no merchant" in its first frame.
 */

#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "dossier-merchant-store-private.h"

typedef struct
{
  Loaded loaded;
  guint  serial;   /* the store's when the read began */
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  _dossier_merchant_store_loaded_clear (&load->loaded);
  g_free (load);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DossierMerchantStore *self = source_object;
  LoadData *load = task_data;
  GError *error = NULL;

  if (!_dossier_merchant_store_load_file (self, &load->loaded, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  _dossier_merchant_store_remove_stale_temporaries (self);
  g_task_return_boolean (task, TRUE);
}

/* Back on the main thread: the list takes the read, unless it is old */
static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DossierMerchantStore *self = DOSSIER_MERCHANT_STORE (object);
  g_autoptr(GTask) outer = user_data;
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean read = g_task_propagate_boolean (G_TASK (result), &error);

  if (load->serial == self->serial)
    {
      if (read)
        _dossier_merchant_store_take_loaded (self, &load->loaded);
      _dossier_merchant_store_set_load_result (self, error);
    }
  /* else a save or a load since put the file's newer state in the list */
  else
    g_clear_error (&error);
  _dossier_merchant_store_count_loading (self, -1);

  if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

/**
 * dossier_merchant_store_load_async:
 * @cancellable: (nullable): stops waiting (the read itself ends anyway)
 * @callback: (nullable): called on the thread-default main context once
 *   the list holds the records, or the read failed
 *
 * dossier_merchant_store_load() on a worker thread: the list is filled,
 * its "problem" signals emitted and "loaded" set on the calling thread's
 * main context. "loading" holds meanwhile.
 */
void
dossier_merchant_store_load_async (DossierMerchantStore *self,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  LoadData *load;
  struct stat st;
  int found;

  g_return_if_fail (DOSSIER_IS_MERCHANT_STORE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, dossier_merchant_store_load_async);

  /* nothing to parse: read at once; "loading" set and unset around it
   * all the same, so whoever shows the outcome (a failed read's reason
   * too) looks again */
  found = stat (dossier_merchant_store_get_path (self), &st);
  if ((found != 0 && errno == ENOENT) || (found == 0 && S_ISREG (st.st_mode) && st.st_size == 0))
    {
      GError *error = NULL;
      gboolean read;

      _dossier_merchant_store_count_loading (self, 1);
      read = dossier_merchant_store_load (self, &error);
      _dossier_merchant_store_count_loading (self, -1);
      if (read)
        g_task_return_boolean (outer, TRUE);
      else
        g_task_return_error (outer, error);
      return;
    }

  load = g_new0 (LoadData, 1);
  load->serial = self->serial;
  _dossier_merchant_store_count_loading (self, 1);
  task = g_task_new (self, NULL, on_loaded, g_steal_pointer (&outer));
  g_task_set_source_tag (task, dossier_merchant_store_load_async);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_in_thread);
}

/**
 * dossier_merchant_store_load_finish:
 *
 * Returns: %FALSE only when the file exists and cannot be read (the list
 *   stays as it was)
 */
gboolean
dossier_merchant_store_load_finish (DossierMerchantStore  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
