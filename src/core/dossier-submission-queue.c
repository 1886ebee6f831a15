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

static gboolean
save_cb (gpointer user_data)
{
  DossierSubmission *self = user_data;

  g_clear_pointer (&self->save_source, dossier_source_clear);
  dossier_submission_save_queue (self);

  return G_SOURCE_REMOVE;
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
void
dossier_submission_save_queue (DossierSubmission *self)
{
  g_autoptr(DossierQueueState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  g_clear_pointer (&self->save_source, dossier_source_clear);
  if (self->queue_path == NULL || self->uploads == NULL)
    return;

  state = dossier_queue_state_new_for_submission (self);
  if (dossier_queue_state_get_n_uploads (state) > 0)
    {
      if (!dossier_queue_state_save (state, self->queue_path, &error))
        /* Translators: "Could not save the list of files not yet sent:
         * /home/budi/.local/state/dossier: No space left on device" */
        message = g_strdup_printf (_("Could not save the list of files not yet sent: %s"),
                                   error->message);
    }
  else if (self->queue_owned)
    {
      if (dossier_queue_state_discard (self->queue_path, &error))
        self->queue_owned = FALSE;
      else
        message = g_strdup_printf (_("Could not delete the saved list of files not yet sent: %s"),
                                   error->message);
    }

  if (message == NULL)
    {
      self->queue_error_said = FALSE;
      return;
    }

  /* saved again half a second after every change: said once while it
   * keeps failing */
  if (self->queue_error_said)
    return;
  self->queue_error_said = TRUE;
  _dossier_submission_report_record_error (self, NULL, message);
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
