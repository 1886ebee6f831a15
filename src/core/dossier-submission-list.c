/* dossier-submission-list.c: the uploads of a submission: adding, removing, counting
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each upload has a Job: what the submission knows of it while it is
 * checked and sent. Folders are read in a worker thread.
 */

#include "config.h"

#include "dossier-folder.h"
#include "dossier-submission-private.h"
#include "dossier-validate.h"

#define PROGRESS_INTERVAL 100   /* ms */

/* -------------------------------------------------------------------------- */
/* Jobs                                                                       */

Job *
_dossier_submission_job_ref (Job *job)
{
  job->ref_count++;
  return job;
}

void
_dossier_submission_job_unref (Job *job)
{
  if (--job->ref_count > 0)
    return;

  g_clear_pointer (&job->wait_source, dossier_source_clear);
  g_clear_object (&job->check_cancellable);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->transfer);
  g_clear_object (&job->transfer_auth);
  g_clear_pointer (&job->transfer_url, g_free);
  g_clear_pointer (&job->file_problem, g_free);
  g_clear_pointer (&job->wait_what, g_free);
  g_clear_object (&job->upload);
  g_free (job);
}

Job *
_dossier_submission_lookup_job (DossierSubmission *self,
                                DossierUpload     *upload)
{
  return upload != NULL ? g_hash_table_lookup (self->jobs, upload) : NULL;
}

/* -------------------------------------------------------------------------- */
/* Counting                                                                   */

static void
set_uint (DossierSubmission *self,
          guint             *field,
          guint              value,
          guint              prop)
{
  if (*field == value)
    return;
  *field = value;
  _dossier_submission_notify (self, prop);
}

static void
update_progress (DossierSubmission *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  guint64 total = 0;
  guint64 sent = 0;
  double fraction;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      DossierUploadState state = dossier_upload_get_state (upload);
      guint64 upload_total = dossier_upload_get_total_bytes (upload);
      gint64 size = dossier_upload_get_size (upload);

      if (state == DOSSIER_UPLOAD_STATE_READY || state == DOSSIER_UPLOAD_STATE_INVALID)
        continue;
      if (upload_total == 0 && size > 0)
        upload_total = size;

      total += upload_total;
      if (state == DOSSIER_UPLOAD_STATE_DONE)
        sent += upload_total;
      else
        sent += MIN (dossier_upload_get_bytes_sent (upload), upload_total);
    }

  fraction = total > 0 ? (double) sent / (double) total : 0.0;

  if (self->total_bytes != total)
    {
      self->total_bytes = total;
      _dossier_submission_notify (self, PROP_TOTAL_BYTES);
    }
  if (self->sent_bytes != sent)
    {
      self->sent_bytes = sent;
      _dossier_submission_notify (self, PROP_SENT_BYTES);
    }
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      _dossier_submission_notify (self, PROP_FRACTION);
    }
}

static gboolean
progress_cb (gpointer user_data)
{
  DossierSubmission *self = user_data;

  g_clear_pointer (&self->progress_source, dossier_source_clear);
  update_progress (self);

  return G_SOURCE_REMOVE;
}

static void
upload_progress_cb (DossierUpload     *upload,
                    GParamSpec        *pspec,
                    DossierSubmission *self)
{
  if (self->progress_source == NULL)
    self->progress_source = dossier_timeout_add (PROGRESS_INTERVAL, progress_cb, self,
                                                 "[dossier] submission progress");
}

void
_dossier_submission_update_counts (DossierSubmission *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  guint n_invalid = 0, n_ready = 0, n_active = 0, n_done = 0, n_failed = 0, n_unknown = 0;
  gboolean emit_finished = FALSE;
  gboolean running;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      Job *job = _dossier_submission_lookup_job (self, upload);

      switch (dossier_upload_get_state (upload))
        {
        case DOSSIER_UPLOAD_STATE_READY:
          if (job != NULL && job->checked)
            n_ready++;
          break;
        case DOSSIER_UPLOAD_STATE_INVALID:
          n_invalid++;
          break;
        case DOSSIER_UPLOAD_STATE_QUEUED:
        case DOSSIER_UPLOAD_STATE_RUNNING:
        case DOSSIER_UPLOAD_STATE_WAITING:
          n_active++;
          break;
        case DOSSIER_UPLOAD_STATE_DONE:
          n_done++;
          break;
        case DOSSIER_UPLOAD_STATE_FAILED:
          n_failed++;
          break;
        case DOSSIER_UPLOAD_STATE_UNKNOWN:
          n_unknown++;
          break;
        case DOSSIER_UPLOAD_STATE_CANCELLED:
        default:
          break;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  set_uint (self, &self->n_invalid, n_invalid, PROP_N_INVALID);
  set_uint (self, &self->n_ready, n_ready, PROP_N_READY);
  set_uint (self, &self->n_active, n_active, PROP_N_ACTIVE);
  set_uint (self, &self->n_done, n_done, PROP_N_DONE);
  set_uint (self, &self->n_failed, n_failed, PROP_N_FAILED);
  set_uint (self, &self->n_unknown, n_unknown, PROP_N_UNKNOWN);
  update_progress (self);

  /* a batch ends once its record is on the disk (or its failure said) */
  running = n_active > 0 || (self->running && self->n_recording > 0);
  if (running != self->running)
    {
      self->running = running;
      emit_finished = !running;
      _dossier_submission_notify (self, PROP_RUNNING);
    }
  g_object_thaw_notify (G_OBJECT (self));
  _dossier_submission_schedule_save (self);

  if (emit_finished)
    _dossier_submission_emit (self, FINISHED);
}

/* -------------------------------------------------------------------------- */
/* Adding and removing                                                        */

static void
upload_values_changed_cb (DossierUpload     *upload,
                          DossierSubmission *self)
{
  Job *job = _dossier_submission_lookup_job (self, upload);
  guint position = 0;

  if (job == NULL)
    return;

  g_list_store_find (self->uploads, upload, &position);
  _dossier_submission_apply_validation (self, job, position);
  _dossier_submission_update_counts (self);
}

/* A new upload with the submission's document values, overridden by what
 * the file name suggests; not yet in the list */
static Job *
job_new (DossierSubmission *self,
         DossierUpload     *upload)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) suggested = NULL;
  GListModel *fields = dossier_provider_get_fields (self->provider);
  GHashTableIter iter;
  gpointer key, value;
  Job *job;

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *name = dossier_field_get_name (field);
      const char *v = g_hash_table_lookup (self->values, name);

      if (dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_DOCUMENT &&
          _dossier_submission_has_text (v))
        g_hash_table_insert (values, (gpointer) name, (gpointer) v);
    }

  if (dossier_upload_get_file (upload) != NULL)
    {
      suggested = dossier_provider_suggest_values (self->provider,
                                                   dossier_upload_get_display_name (upload));
      g_hash_table_iter_init (&iter, suggested);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (values, key, value);
    }

  dossier_upload_init_values (upload, values);

  job = g_new0 (Job, 1);
  job->ref_count = 1;
  job->self = self;
  job->upload = g_object_ref (upload);
  job->check_cancellable = g_cancellable_new ();

  g_signal_connect_object (upload, "values-changed",
                           G_CALLBACK (upload_values_changed_cb), self, 0);
  g_signal_connect_object (upload, "notify::bytes-sent",
                           G_CALLBACK (upload_progress_cb), self, 0);
  g_hash_table_insert (self->jobs, upload, job);

  return job;
}

static void
queue_check (DossierSubmission *self,
             Job               *job)
{
  job->checking = TRUE;
  g_queue_push_tail (&self->check_queue, _dossier_submission_job_ref (job));
}

/* Adds already-made uploads in one go: the list changes once */
void
_dossier_submission_append_uploads (DossierSubmission *self,
                                    GPtrArray         *uploads)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));

  if (uploads->len == 0)
    return;

  g_list_store_splice (self->uploads, n, 0, uploads->pdata, uploads->len);

  for (guint i = 0; i < uploads->len; i++)
    {
      Job *job = _dossier_submission_lookup_job (self, g_ptr_array_index (uploads, i));

      if (job->checked)
        _dossier_submission_apply_validation (self, job, n + i);
    }

  _dossier_submission_pump_checks (self);
  _dossier_submission_update_counts (self);
  _dossier_submission_update_validating (self);
}

DossierUpload *
_dossier_submission_make_file_upload (DossierSubmission *self,
                                      GFile             *file)
{
  DossierUpload *upload = dossier_upload_new_for_file (file);
  Job *job = job_new (self, upload);

  queue_check (self, job);

  return upload;
}

/**
 * dossier_submission_add_file:
 *
 * Adds a file; it is checked in the background and becomes READY or
 * INVALID.
 *
 * Returns: (transfer none): the new upload
 */
DossierUpload *
dossier_submission_add_file (DossierSubmission *self,
                             GFile             *file)
{
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func (g_object_unref);
  DossierUpload *upload;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  upload = _dossier_submission_make_file_upload (self, file);
  g_ptr_array_add (uploads, upload);
  _dossier_submission_append_uploads (self, uploads);

  return upload;
}

/* An upload that sends @url instead of a file, with @values (nullable)
 * over the submission's defaults; not yet in the list. %NULL when the
 * provider takes no URLs. */
DossierUpload *
_dossier_submission_make_url_upload (DossierSubmission *self,
                                     const char        *url,
                                     GHashTable        *values)
{
  const DossierFileRules *rules = dossier_provider_get_file_rules (self->provider);
  DossierUpload *upload;
  Job *job;

  if (rules->alternative_field == NULL || url == NULL)
    return NULL;

  upload = dossier_upload_new_for_url (url);
  job = job_new (self, upload);
  if (values != NULL)
    dossier_upload_init_values (upload, values);
  g_signal_handlers_block_by_func (upload, upload_values_changed_cb, self);
  dossier_upload_set_value (upload, rules->alternative_field, url);
  g_signal_handlers_unblock_by_func (upload, upload_values_changed_cb, self);
  job->checked = TRUE;

  return upload;
}

/**
 * dossier_submission_add_url:
 *
 * Adds an upload that sends a URL instead of a file (DOKU file_url).
 *
 * Returns: (transfer none) (nullable): the new upload, or %NULL when the
 *   provider takes no URLs
 */
DossierUpload *
dossier_submission_add_url (DossierSubmission *self,
                            const char        *url)
{
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func (g_object_unref);
  DossierUpload *upload;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);

  upload = _dossier_submission_make_url_upload (self, url, NULL);
  if (upload == NULL)
    return NULL;

  g_ptr_array_add (uploads, upload);
  _dossier_submission_append_uploads (self, uploads);

  return upload;
}

/* Runs in a worker: folders become the regular files inside them, by
 * the rule of dossier-folder.c, and what was left out */

typedef struct
{
  GPtrArray *files;     /* GFile */
  GPtrArray *skipped;   /* DossierSkipped */
} Collected;

static void
collected_free (Collected *collected)
{
  g_ptr_array_unref (collected->files);
  g_ptr_array_unref (collected->skipped);
  g_free (collected);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Collected, collected_free)

static void
collect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GPtrArray *files = task_data;
  Collected *out = g_new0 (Collected, 1);

  out->files = g_ptr_array_new_with_free_func (g_object_unref);
  out->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_skipped_free);
  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);

      if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, cancellable) == G_FILE_TYPE_DIRECTORY)
        dossier_folder_collect (file, out->files, out->skipped, cancellable);
      else
        g_ptr_array_add (out->files, g_object_ref (file));
    }

  g_task_return_pointer (task, out, (GDestroyNotify) collected_free);
}

/* Uploads made from the files a folder or a drop gave: each one asks the
 * descriptor what its name suggests, which adds up for a thousand files;
 * a few per main-loop pass keep the window drawing meanwhile */
#define MAKE_PER_PASS 40

typedef struct
{
  DossierSubmission *self;
  GPtrArray         *files;     /* GFile */
  GPtrArray         *uploads;   /* DossierUpload */
  guint              next;
} Making;

static void
making_free (Making *making)
{
  g_object_unref (making->self);
  g_ptr_array_unref (making->files);
  g_ptr_array_unref (making->uploads);
  g_free (making);
}

static gboolean
make_uploads_cb (gpointer user_data)
{
  Making *making = user_data;
  DossierSubmission *self = making->self;
  guint end = MIN (making->next + MAKE_PER_PASS, making->files->len);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->n_enumerating--;
      _dossier_submission_update_validating (self);
      return G_SOURCE_REMOVE;
    }

  for (; making->next < end; making->next++)
    g_ptr_array_add (making->uploads,
                     _dossier_submission_make_file_upload (self, g_ptr_array_index (making->files,
                                                                                   making->next)));
  if (making->next < making->files->len)
    return G_SOURCE_CONTINUE;

  /* listed in one go: every change of the list lays the list view out
   * again, and GTK 4.8 measures all its rows then */
  self->n_enumerating--;
  _dossier_submission_append_uploads (self, making->uploads);
  _dossier_submission_update_validating (self);
  return G_SOURCE_REMOVE;
}

static void
collect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DossierSubmission) self = user_data;
  g_autoptr(Collected) collected = g_task_propagate_pointer (G_TASK (result), NULL);
  GPtrArray *files;
  Making *making;

  if (collected == NULL)
    return;

  files = collected->files;

  if (collected->skipped->len > 0)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) lines = NULL;

      for (guint i = 0; i < collected->skipped->len; i++)
        {
          g_autofree char *line = dossier_skipped_describe (g_ptr_array_index (collected->skipped, i));

          g_strv_builder_add (builder, line);
        }
      lines = g_strv_builder_end (builder);
      _dossier_submission_emit (self, SKIPPED, lines);
    }

  /* a thousand uploads are made a few at a time, and listed at once */
  making = g_new0 (Making, 1);
  making->self = g_object_ref (self);
  making->files = g_ptr_array_ref (files);
  making->uploads = g_ptr_array_new_full (files->len, g_object_unref);
  /* a few files are listed at once, as before */
  if (make_uploads_cb (making) == G_SOURCE_REMOVE)
    making_free (making);
  else
    g_idle_add_full (G_PRIORITY_DEFAULT, make_uploads_cb, making, (GDestroyNotify) making_free);
}

/**
 * dossier_submission_add_files:
 * @files: a #GListModel of #GFile
 *
 * Adds files, and the regular files inside folders (recursively, sorted by
 * name; see dossier-folder.c). Folders are read in the background: the
 * uploads appear a moment later; #DossierSubmission:validating is %TRUE
 * meanwhile. What a folder held and is not added is told by
 * #DossierSubmission::skipped.
 */
void
dossier_submission_add_files (DossierSubmission *self,
                              GListModel        *files)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *array;
  guint n;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  n = g_list_model_get_n_items (files);
  array = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      GObject *item = g_list_model_get_item (files, i);

      if (G_IS_FILE (item))
        g_ptr_array_add (array, item);
      else
        g_clear_object (&item);
    }

  self->n_enumerating++;
  _dossier_submission_update_validating (self);

  /* the callback's reference keeps the submission alive until the folders
   * are read, and is dropped on this thread: GIO drops the task's last
   * reference in the worker thread at times, so the task holds none */
  task = g_task_new (NULL, self->cancellable, collect_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, dossier_submission_add_files);
  g_task_set_task_data (task, array, (GDestroyNotify) g_ptr_array_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, collect_thread);
}

/* Calls @func with the job of every upload, in the list's order */
void
_dossier_submission_foreach_job (DossierSubmission *self,
                                 DossierJobFunc     func,
                                 gpointer           data)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      Job *job = _dossier_submission_lookup_job (self, upload);

      if (job != NULL)
        func (self, job, i, data);
    }
}

void
_dossier_submission_job_stop (DossierSubmission *self,
                              Job               *job)
{
  g_cancellable_cancel (job->check_cancellable);
  if (job->cancellable != NULL)
    g_cancellable_cancel (job->cancellable);
  g_clear_pointer (&job->wait_source, dossier_source_clear);

  if (g_queue_remove (&self->check_queue, job))
    {
      job->checking = FALSE;
      _dossier_submission_job_unref (job);
    }
  if (g_queue_remove (&self->send_queue, job))
    _dossier_submission_job_unref (job);
}

/* Taken off: what it does is stopped; a check or a send that has begun
 * winds down later, and the submission holds the job until it has */
static void
job_remove (DossierSubmission *self,
            Job               *job)
{
  job->removed = TRUE;
  _dossier_submission_job_stop (self, job);
  g_signal_handlers_disconnect_by_data (job->upload, self);
  if (job->checking || job->sending)
    g_ptr_array_add (self->stopping, _dossier_submission_job_ref (job));
}

/* A removed job's check or send has wound down */
void
_dossier_submission_job_wound_down (DossierSubmission *self,
                                    Job               *job)
{
  if (job->removed)
    g_ptr_array_remove_fast (self->stopping, job);
}

/* The submission goes: every job, removed or not, is stopped, and what
 * winds down later finds it gone */
void
_dossier_submission_drop_jobs (DossierSubmission *self)
{
  GHashTableIter iter;
  gpointer key, value;

  if (self->jobs != NULL)
    {
      g_hash_table_iter_init (&iter, self->jobs);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Job *job = value;

          _dossier_submission_job_stop (self, job);
          job->self = NULL;
          g_signal_handlers_disconnect_by_data (job->upload, self);
        }
      g_clear_pointer (&self->jobs, g_hash_table_unref);
    }

  if (self->stopping != NULL)
    {
      for (guint i = 0; i < self->stopping->len; i++)
        ((Job *) g_ptr_array_index (self->stopping, i))->self = NULL;
      g_clear_pointer (&self->stopping, g_ptr_array_unref);
    }
}

/**
 * dossier_submission_remove:
 *
 * Removes an upload, cancelling what it was doing.
 */
void
dossier_submission_remove (DossierSubmission *self,
                           DossierUpload     *upload)
{
  Job *job;
  guint position;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (DOSSIER_IS_UPLOAD (upload));

  job = _dossier_submission_lookup_job (self, upload);
  if (job == NULL)
    return;

  /* taken off the unsent list too, unless its body may have gone out */
  if (job->in_record && self->record_history && !job->sending &&
      dossier_upload_get_state (upload) != DOSSIER_UPLOAD_STATE_DONE)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

      g_ptr_array_add (events, _dossier_submission_record_event_new (self, upload, "removed"));
      _dossier_submission_record_events (self, events, upload, "removed");
    }

  job_remove (self, job);

  if (g_list_store_find (self->uploads, upload, &position))
    g_list_store_remove (self->uploads, position);
  g_hash_table_remove (self->jobs, upload);

  dossier_submission_revalidate (self);
  _dossier_submission_pump_checks (self);
  _dossier_submission_pump_sending (self);
  _dossier_submission_update_validating (self);
}

/**
 * dossier_submission_clear:
 *
 * Removes every upload, cancelling what is running.
 */
void
dossier_submission_clear (DossierSubmission *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      job_remove (self, value);
    }

  g_list_store_remove_all (self->uploads);
  g_hash_table_remove_all (self->jobs);

  _dossier_submission_update_counts (self);
  _dossier_submission_update_validating (self);
}
