/* dossier-submission-queue.c: the unsent queue of a submission
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is still to send is saved (see dossier-queue-state.c) half a second
 * after a change and when the submission goes, and restored from there; a
 * save that fails is said through the record-error signal;
 * an upload that may have been sent before Dossier stopped is held back
 * until the user says.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-queue-state-private.h"
#include "dossier-submission-private.h"

#define SAVE_DELAY 500   /* ms: changes to the unsent queue saved together */

/* The saved queue is written in a thread (an fsync waits for whatever else
 * the disk is doing), one save at a time; a save asked for while one is in
 * the thread waits for it and takes the latest state. A save on the main
 * thread (dossier_submission_save_queue(), at dispose) takes the same lock,
 * and a save older than the last one written is dropped, so the file never
 * goes back to an older list. */
typedef struct _DossierQueueWriter
{
  gatomicrefcount ref_count;
  GMutex          lock;
  guint64         written;       /* the newest save on the disk */
} DossierQueueWriter;

typedef struct
{
  GWeakRef            owner;     /* the submission: not kept alive for it */
  DossierQueueWriter *writer;
  DossierQueueState  *state;     /* NULL: delete the file */
  char               *path;
  guint64             seq;
} QueueSave;

static DossierQueueWriter *
queue_writer_ref (DossierQueueWriter *writer)
{
  g_atomic_ref_count_inc (&writer->ref_count);
  return writer;
}

static void
queue_writer_unref (DossierQueueWriter *writer)
{
  if (g_atomic_ref_count_dec (&writer->ref_count))
    {
      g_mutex_clear (&writer->lock);
      g_free (writer);
    }
}

static DossierQueueWriter *
ensure_writer (DossierSubmission *self)
{
  if (self->queue_writer == NULL)
    {
      self->queue_writer = g_new0 (DossierQueueWriter, 1);
      g_atomic_ref_count_init (&self->queue_writer->ref_count);
      g_mutex_init (&self->queue_writer->lock);
    }
  return self->queue_writer;
}

void
_dossier_submission_queue_writer_free (DossierSubmission *self)
{
  g_clear_pointer (&self->queue_writer, queue_writer_unref);
}

static void
queue_save_free (QueueSave *save)
{
  g_weak_ref_clear (&save->owner);
  queue_writer_unref (save->writer);
  g_clear_object (&save->state);
  g_free (save->path);
  g_free (save);
}

/* Any thread: writes (or deletes) unless a newer save is already there */
static gboolean
queue_save_write (QueueSave  *save,
                  GError    **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&save->writer->lock);
  if (save->seq > save->writer->written)
    {
      if (save->state != NULL)
        ok = dossier_queue_state_save (save->state, save->path, error);
      else
        ok = dossier_queue_state_discard (save->path, error);
      if (ok)
        save->writer->written = save->seq;
    }
  g_mutex_unlock (&save->writer->lock);

  return ok;
}

/* What to save now, or NULL when there is nothing to do; on the main thread */
static QueueSave *
queue_save_new (DossierSubmission *self)
{
  g_autoptr(DossierQueueState) state = NULL;
  QueueSave *save;

  if (self->queue_path == NULL || self->uploads == NULL)
    return NULL;

  state = dossier_queue_state_new_for_submission (self);
  if (dossier_queue_state_get_n_uploads (state) == 0)
    {
      if (!self->queue_owned)
        return NULL;
      g_clear_object (&state);
    }

  save = g_new0 (QueueSave, 1);
  g_weak_ref_init (&save->owner, self);
  save->writer = queue_writer_ref (ensure_writer (self));
  save->state = g_steal_pointer (&state);
  save->path = g_strdup (self->queue_path);
  save->seq = ++self->queue_seq;
  return save;
}

/* Said once while saving keeps failing */
static void
queue_save_done (DossierSubmission *self,
                 gboolean           deleted,
                 GError            *error)
{
  g_autofree char *message = NULL;

  if (error == NULL)
    {
      if (deleted)
        self->queue_owned = FALSE;
      self->queue_error_said = FALSE;
      return;
    }

  if (!deleted)
    /* Translators: "Could not save the list of files not yet sent:
     * /home/budi/.local/state/dossier: No space left on device" */
    message = g_strdup_printf (_("Could not save the list of files not yet sent: %s"),
                               error->message);
  else
    message = g_strdup_printf (_("Could not delete the saved list of files not yet sent: %s"),
                               error->message);

  /* saved again half a second after every change: said once while it
   * keeps failing */
  if (self->queue_error_said)
    return;
  self->queue_error_said = TRUE;
  _dossier_submission_report_record_error (self, NULL, message);
}

static void
queue_save_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (queue_save_write (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void queue_save_async (DossierSubmission *self);

static void
queue_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  QueueSave *save = g_task_get_task_data (G_TASK (result));
  g_autoptr(DossierSubmission) self = g_weak_ref_get (&save->owner);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  /* gone: its dispose saved the queue as it was then */
  if (self == NULL)
    return;
  self->queue_saving = FALSE;
  queue_save_done (self, save->state == NULL, error);

  if (self->queue_again)
    {
      self->queue_again = FALSE;
      queue_save_async (self);
    }
  if (!self->queue_saving && self->pump_after_save)
    {
      self->pump_after_save = FALSE;
      _dossier_submission_pump_sending (self);
    }
}

static void
queue_save_async (DossierSubmission *self)
{
  g_autoptr(GTask) task = NULL;
  QueueSave *save;

  if (self->queue_saving)
    {
      self->queue_again = TRUE;
      return;
    }

  save = queue_save_new (self);
  if (save == NULL)
    return;

  /* the submission is not held: a save in flight does not keep it */
  task = g_task_new (NULL, NULL, queue_saved_cb, NULL);
  g_task_set_source_tag (task, queue_save_async);
  g_task_set_task_data (task, save, (GDestroyNotify) queue_save_free);
  self->queue_saving = TRUE;
  g_task_run_in_thread (task, queue_save_thread);
}

static gboolean
save_cb (gpointer user_data)
{
  DossierSubmission *self = user_data;

  g_clear_pointer (&self->save_source, dossier_source_clear);
  queue_save_async (self);

  return G_SOURCE_REMOVE;
}

/* Starting: the saved queue has every file before any is sent */
void
_dossier_submission_save_queue_then_pump (DossierSubmission *self)
{
  if (self->save_source != NULL)
    {
      g_clear_pointer (&self->save_source, dossier_source_clear);
      queue_save_async (self);
    }

  if (self->queue_saving)
    self->pump_after_save = TRUE;
  else
    _dossier_submission_pump_sending (self);
}

void
_dossier_submission_schedule_save (DossierSubmission *self)
{
  if (self->queue_path == NULL || self->uploads == NULL)
    return;

  /* once it has files to send, it answers for the file: saves it, and
   * deletes it when all is sent, even if that happens before the first
   * save */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->uploads)) > self->n_done)
    self->queue_owned = TRUE;
  if (self->save_source != NULL || !self->queue_owned)
    return;

  self->save_source = dossier_timeout_add (SAVE_DELAY, save_cb, self, "[dossier] save queue");
}

const char *
dossier_submission_get_queue_path (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->queue_path;
}

/**
 * dossier_submission_set_queue_path:
 * @path: (nullable): where to save; %NULL stops saving (what was saved
 *   stays)
 *
 * From now on, the uploads not yet sent are saved to @path half a second
 * after a change, and when the submission goes; the file is deleted once
 * nothing is left to send.
 */
void
dossier_submission_set_queue_path (DossierSubmission *self,
                                   const char        *path)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  if (g_strcmp0 (self->queue_path, path) == 0)
    return;

  g_clear_pointer (&self->save_source, dossier_source_clear);
  g_free (self->queue_path);
  self->queue_path = g_strdup (path);
  self->queue_owned = FALSE;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->uploads)) > 0)
    _dossier_submission_schedule_save (self);
}

/**
 * dossier_submission_save_queue:
 *
 * Saves the unsent queue now (when a queue path is set), or deletes the
 * file this submission saved when nothing is left to send.
 */
/**
 * dossier_submission_save_queue:
 *
 * Saves the list of files not yet sent now, on this thread (at dispose,
 * and for tests); the saves after changes are made in a thread.
 */
void
dossier_submission_save_queue (DossierSubmission *self)
{
  g_autoptr(GError) error = NULL;
  QueueSave *save;
  gboolean deleted;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  g_clear_pointer (&self->save_source, dossier_source_clear);
  save = queue_save_new (self);
  if (save == NULL)
    return;

  deleted = save->state == NULL;
  queue_save_write (save, &error);
  queue_save_free (save);
  queue_save_done (self, deleted, error);
}

GHashTable *
dossier_submission_get_values (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->values;
}

/* A restored upload, with the submission's defaults and then its own
 * saved values; not yet in the list. The file is checked again. */
DossierUpload *
dossier_submission_make_restored (DossierSubmission *self,
                                  GFile             *file,
                                  const char        *url,
                                  GHashTable        *values)
{
  DossierUpload *upload;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  g_return_val_if_fail ((file != NULL) != (url != NULL), NULL);

  if (file == NULL)
    return _dossier_submission_make_url_upload (self, url, values);

  upload = _dossier_submission_make_file_upload (self, file);
  dossier_upload_init_values (upload, values);
  return upload;
}

/* Adds restored uploads in one go */
void
dossier_submission_append_restored (DossierSubmission *self,
                                    GPtrArray         *uploads)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  _dossier_submission_append_uploads (self, uploads);
}

/* Whether a restored upload waits for the user's word to be sent again:
 * the upload step is where it is offered */
gboolean
_dossier_submission_has_held_back (DossierSubmission *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);

      if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_UNKNOWN &&
          dossier_upload_get_maybe_sent (upload))
        return TRUE;
    }

  return FALSE;
}
