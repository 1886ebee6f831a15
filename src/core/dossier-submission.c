/* dossier-submission.c: one merchant's documents for one provider
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model the GUI and the CLI drive. Files are checked in worker threads
 * (at most MAX_CHECKS at once, so a thousand dropped files keep the main
 * loop free), then their values; uploads are sent at most max-concurrent at
 * once, and everything the user sees changes on the main context.
 *
 * Retries never duplicate a document: an upload is sent again by itself
 * only when it provably did not reach the server (no connection, a break
 * before the whole body was written, 429 or 503 with a Retry-After). When
 * the whole body went out and the answer was lost or was a server failure
 * (500, 502, 503 without Retry-After, 504), the outcome is unknown: the
 * upload becomes UNKNOWN and is sent again only when the user confirms.
 * That decision is dossier-retry.c's; here it is performed and said.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-client.h"
#include "dossier-folder.h"
#include "dossier-history-private.h"
#include "dossier-queue-state-private.h"
#include "dossier-result-private.h"
#include "dossier-retry-private.h"
#include "dossier-submission.h"
#include "dossier-transfer-private.h"
#include "dossier-upload-private.h"
#include "dossier-util.h"
#include "dossier-validate.h"

#define MAX_CHECKS        4
#define PROGRESS_INTERVAL 100   /* ms */
#define SAVE_DELAY        500   /* ms: changes to the unsent queue saved together */

typedef struct _Job Job;

struct _DossierSubmission
{
  GObject             parent_instance;

  DossierProvider    *provider;
  char               *environment;
  char               *base_url;
  char               *sandbox_url;
  DossierCredentials *credentials;
  guint               max_concurrent;
  GHashTable         *values;

  GListStore         *uploads;
  GHashTable         *jobs;          /* DossierUpload -> Job */

  GQueue              check_queue;   /* Job */
  guint               n_checking;
  guint               n_enumerating;
  GQueue              send_queue;    /* Job */
  guint               n_sending;

  SoupSession        *session;
  DossierAuth        *auth;
  GCancellable       *cancellable;

  guint               n_invalid;
  guint               n_ready;
  guint               n_active;
  guint               n_done;
  guint               n_failed;
  guint               n_unknown;
  guint64             total_bytes;
  guint64             sent_bytes;
  double              fraction;
  gboolean            running;
  gboolean            validating;
  GSource            *progress_source;

  gboolean            record_history;
  char               *queue_path;    /* NULL: the unsent queue is not saved */
  GSource            *save_source;
  gboolean            queue_owned;   /* had files to save: the file is its own */
  GPtrArray          *queued_events; /* JsonObject: "queued" lines not yet written */
  gboolean            record_error_said; /* a line other than a finished one failed */
  guint               n_recording;   /* lines given to the history's writer, not written yet */
};

struct _Job
{
  int                 ref_count;
  DossierSubmission  *self;          /* NULL once the submission is gone */
  DossierUpload      *upload;
  gboolean            removed;
  gboolean            in_record;     /* has a "queued" line in the history */

  /* checking */
  GCancellable       *check_cancellable;
  gboolean            checking;
  gboolean            checked;
  char               *file_problem;

  /* sending */
  GCancellable       *cancellable;
  DossierTransfer    *transfer;
  DossierAuth        *transfer_auth;
  char               *transfer_url;
  gboolean            sending;
  gboolean            cancelled;
  gboolean            auth_retried;
  GSource            *wait_source;
  gint64              wait_deadline;
  char               *wait_what;     /* host or provider name */
  guint               wait_status;   /* 0: the connection was lost */
};

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_ENVIRONMENT,
  PROP_BASE_URL,
  PROP_SANDBOX_URL,
  PROP_CREDENTIALS,
  PROP_MAX_CONCURRENT,
  PROP_UPLOADS,
  PROP_N_INVALID,
  PROP_N_READY,
  PROP_N_ACTIVE,
  PROP_N_DONE,
  PROP_N_FAILED,
  PROP_N_UNKNOWN,
  PROP_TOTAL_BYTES,
  PROP_SENT_BYTES,
  PROP_FRACTION,
  PROP_RUNNING,
  PROP_VALIDATING,
  N_PROPS
};

enum {
  FINISHED,
  VALIDATED,
  SKIPPED,
  RECORD_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DossierSubmission, dossier_submission, G_TYPE_OBJECT)

static void update_counts (DossierSubmission *self);
static void update_validating (DossierSubmission *self);
static void pump_checks (DossierSubmission *self);
static void pump_sending (DossierSubmission *self);
static void apply_validation (DossierSubmission *self, Job *job, guint position);
static void schedule_save (DossierSubmission *self);
static JsonObject *record_event_new (DossierSubmission *self, DossierUpload *upload,
                                     const char *event);
static void record_events (DossierSubmission *self, GPtrArray *events, DossierUpload *upload,
                           const char *event);

/* -------------------------------------------------------------------------- */
/* Jobs                                                                       */

static Job *
job_ref (Job *job)
{
  job->ref_count++;
  return job;
}

static void
job_unref (Job *job)
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

static Job *
lookup_job (DossierSubmission *self,
            DossierUpload     *upload)
{
  return upload != NULL ? g_hash_table_lookup (self->jobs, upload) : NULL;
}

static gboolean
job_is_idle (Job *job)
{
  DossierUploadState state = dossier_upload_get_state (job->upload);

  return state == DOSSIER_UPLOAD_STATE_READY || state == DOSSIER_UPLOAD_STATE_INVALID;
}

/* -------------------------------------------------------------------------- */
/* Values                                                                     */

static gboolean
has_text (const char *value)
{
  return value != NULL && *value != '\0';
}

/* g_set_str() is newer than GLib 2.74 */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Every field's value as it would be sent: account fields from the
 * submission, document fields from the upload, defaults for the rest */
static GHashTable *
effective_values (DossierSubmission *self,
                  DossierUpload     *upload)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GListModel *fields = dossier_provider_get_fields (self->provider);
  guint n = g_list_model_get_n_items (fields);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *name = dossier_field_get_name (field);
      const char *value;

      if (dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_ACCOUNT || upload == NULL)
        value = g_hash_table_lookup (self->values, name);
      else
        value = dossier_upload_get_value (upload, name);

      if (!has_text (value))
        value = dossier_field_get_default_value (field);
      if (has_text (value))
        g_hash_table_insert (values, g_strdup (name), g_strdup (value));
    }

  return values;
}

const char *
dossier_submission_get_value (DossierSubmission *self,
                              const char        *name)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->values, name);
}

/**
 * dossier_submission_set_value:
 * @value: (nullable): %NULL or "" unsets it
 *
 * Sets an account field, or the default of a document field for the files
 * added next.
 */
void
dossier_submission_set_value (DossierSubmission *self,
                              const char        *name,
                              const char        *value)
{
  DossierField *field;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (name != NULL);

  if (g_strcmp0 (g_hash_table_lookup (self->values, name), has_text (value) ? value : NULL) == 0)
    return;

  if (has_text (value))
    g_hash_table_replace (self->values, g_strdup (name), g_strdup (value));
  else
    g_hash_table_remove (self->values, name);

  field = dossier_provider_lookup_field (self->provider, name);
  if (field == NULL || dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_ACCOUNT)
    dossier_submission_revalidate (self);
  schedule_save (self);
}

/**
 * dossier_submission_validate_account:
 *
 * Checks the account fields (Moov accountID, receeve clientId and
 * accountId) with their defaults: dossier_provider_validate_values() over
 * the account scope.
 */
gboolean
dossier_submission_validate_account (DossierSubmission  *self,
                                     GError            **error)
{
  g_autoptr(GHashTable) values = NULL;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);

  values = effective_values (self, NULL);
  return dossier_provider_validate_values (self->provider, values,
                                           DOSSIER_VALIDATE_SCOPE_ACCOUNT, error);
}

/**
 * dossier_submission_settings_ready:
 * @out_reason: (out) (optional): why not, in a sentence for the user
 *
 * Whether what the first step asks for is complete, in its order: the
 * address, the credentials, the account fields. The window's Next button and
 * dossier_submission_can_start() both ask this.
 */
gboolean
dossier_submission_settings_ready (DossierSubmission  *self,
                                   char              **out_reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(DossierCredentials) empty = NULL;
  DossierCredentials *credentials;
  char *reason = NULL;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);

  credentials = self->credentials;
  if (credentials == NULL)
    credentials = empty = dossier_credentials_new ();

  if ((url = dossier_submission_dup_effective_url (self, &error)) == NULL)
    reason = g_strdup (error->message);
  else if (!dossier_credentials_is_usable (credentials, self->provider, &missing))
    reason = missing != NULL ? g_steal_pointer (&missing) : g_strdup (_("Enter your credentials"));
  else if (!dossier_submission_validate_account (self, &error))
    reason = g_strdup (error->message);

  if (out_reason != NULL)
    *out_reason = reason;
  else
    g_free (reason);

  return reason == NULL;
}

/* -------------------------------------------------------------------------- */
/* Validation                                                                 */

static void
apply_validation (DossierSubmission *self,
                  Job               *job,
                  guint              position)
{
  const DossierFileRules *rules = dossier_provider_get_file_rules (self->provider);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;

  if (!job->checked || !job_is_idle (job))
    return;

  if (job->file_problem != NULL)
    problem = g_strdup (job->file_problem);
  else
    {
      g_autoptr(GHashTable) values = effective_values (self, job->upload);
      const char *alternative = rules->alternative_field;

      if (dossier_upload_get_file (job->upload) != NULL && alternative != NULL &&
          has_text (g_hash_table_lookup (values, alternative)))
        {
          DossierField *field = dossier_provider_lookup_field (self->provider, alternative);

          /* Translators: "Send either the file or the Image URL instead of a file, not both" */
          problem = g_strdup_printf (_("Send either the file or the %s, not both"),
                                     field ? dossier_field_get_label (field) : alternative);
        }
      else if (!dossier_provider_validate_values (self->provider, values,
                                                  DOSSIER_VALIDATE_SCOPE_ALL, &error))
        problem = g_strdup (error->message);
      else if (!dossier_provider_validate_count (self->provider, position + 1, &error))
        problem = g_strdup (error->message);
    }

  /* restored, and it was being sent when Dossier stopped: it may have
   * arrived, so it waits for the user's word (dossier_submission_resend()
   * confirmed) instead of going with the next start */
  if (problem == NULL && dossier_upload_get_maybe_sent (job->upload))
    {
      dossier_upload_set_problem (job->upload, _("It may have been sent before Dossier stopped: "
                                                 "check before sending it again"));
      dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_UNKNOWN);
      return;
    }

  dossier_upload_set_problem (job->upload, problem);
  dossier_upload_set_state (job->upload, problem != NULL ? DOSSIER_UPLOAD_STATE_INVALID
                                                         : DOSSIER_UPLOAD_STATE_READY);
}

/**
 * dossier_submission_revalidate:
 *
 * Checks the values of every upload not started yet again (after account
 * values or per-file values changed).
 */
void
dossier_submission_revalidate (DossierSubmission *self)
{
  guint n;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      Job *job = lookup_job (self, upload);

      if (job != NULL)
        apply_validation (self, job, i);
    }

  update_counts (self);
}

typedef struct
{
  DossierProvider *provider;
  GFile           *file;
  goffset          size;
  char            *content_type;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->provider);
  g_clear_object (&data->file);
  g_free (data->content_type);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (!dossier_provider_validate_file (data->provider, data->file, &data->size,
                                       &data->content_type, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  DossierSubmission *self = job->self;
  CheckData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL)
    {
      job_unref (job);
      return;
    }

  self->n_checking--;
  job->checking = FALSE;

  if (!job->removed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      guint position = 0;

      job->checked = TRUE;
      g_clear_pointer (&job->file_problem, g_free);
      if (ok)
        dossier_upload_set_checked (job->upload, data->size, data->content_type);
      else
        job->file_problem = g_strdup (error->message);

      g_list_store_find (self->uploads, job->upload, &position);
      apply_validation (self, job, position);
    }

  job_unref (job);

  pump_checks (self);
  update_counts (self);
  update_validating (self);
}

static void
pump_checks (DossierSubmission *self)
{
  while (self->n_checking < MAX_CHECKS && !g_queue_is_empty (&self->check_queue))
    {
      Job *job = g_queue_pop_head (&self->check_queue);
      g_autoptr(GTask) task = NULL;
      CheckData *data;

      data = g_new0 (CheckData, 1);
      data->provider = g_object_ref (self->provider);
      data->file = g_object_ref (dossier_upload_get_file (job->upload));

      task = g_task_new (NULL, job->check_cancellable, check_done_cb, job);
      g_task_set_source_tag (task, pump_checks);
      g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
      self->n_checking++;
      g_task_run_in_thread (task, check_thread);
    }
}

static void
update_validating (DossierSubmission *self)
{
  gboolean validating = self->n_checking > 0 || self->n_enumerating > 0 ||
                        !g_queue_is_empty (&self->check_queue);

  if (validating == self->validating)
    return;

  self->validating = validating;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATING]);
  if (!validating)
    g_signal_emit (self, signals[VALIDATED], 0);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_BYTES]);
    }
  if (self->sent_bytes != sent)
    {
      self->sent_bytes = sent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT_BYTES]);
    }
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
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

static void
update_counts (DossierSubmission *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  guint n_invalid = 0, n_ready = 0, n_active = 0, n_done = 0, n_failed = 0, n_unknown = 0;
  gboolean emit_finished = FALSE;
  gboolean running;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      Job *job = lookup_job (self, upload);

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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  schedule_save (self);

  if (emit_finished)
    g_signal_emit (self, signals[FINISHED], 0);
}

/* -------------------------------------------------------------------------- */
/* Adding and removing                                                        */

static void
upload_values_changed_cb (DossierUpload     *upload,
                          DossierSubmission *self)
{
  Job *job = lookup_job (self, upload);
  guint position = 0;

  if (job == NULL)
    return;

  g_list_store_find (self->uploads, upload, &position);
  apply_validation (self, job, position);
  update_counts (self);
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

      if (dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_DOCUMENT && has_text (v))
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
  g_queue_push_tail (&self->check_queue, job_ref (job));
}

/* Adds already-made uploads in one go: the list changes once */
static void
append_uploads (DossierSubmission *self,
                GPtrArray         *uploads)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));

  if (uploads->len == 0)
    return;

  g_list_store_splice (self->uploads, n, 0, uploads->pdata, uploads->len);

  for (guint i = 0; i < uploads->len; i++)
    {
      Job *job = lookup_job (self, g_ptr_array_index (uploads, i));

      if (job->checked)
        apply_validation (self, job, n + i);
    }

  pump_checks (self);
  update_counts (self);
  update_validating (self);
}

static DossierUpload *
make_file_upload (DossierSubmission *self,
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

  upload = make_file_upload (self, file);
  g_ptr_array_add (uploads, upload);
  append_uploads (self, uploads);

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
  const DossierFileRules *rules;
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func (g_object_unref);
  DossierUpload *upload;
  Job *job;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);

  rules = dossier_provider_get_file_rules (self->provider);
  if (rules->alternative_field == NULL || url == NULL)
    return NULL;

  upload = dossier_upload_new_for_url (url);
  job = job_new (self, upload);
  g_signal_handlers_block_by_func (upload, upload_values_changed_cb, self);
  dossier_upload_set_value (upload, rules->alternative_field, url);
  g_signal_handlers_unblock_by_func (upload, upload_values_changed_cb, self);
  job->checked = TRUE;

  g_ptr_array_add (uploads, upload);
  append_uploads (self, uploads);

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

static void
collect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DossierSubmission) self = user_data;
  g_autoptr(Collected) collected = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GPtrArray) uploads = NULL;
  GPtrArray *files;

  if (collected == NULL)
    return;

  self->n_enumerating--;
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
      g_signal_emit (self, signals[SKIPPED], 0, lines);
    }

  uploads = g_ptr_array_new_full (files->len, g_object_unref);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (uploads, make_file_upload (self, g_ptr_array_index (files, i)));

  append_uploads (self, uploads);
  update_validating (self);
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
  update_validating (self);

  /* the callback's reference keeps the submission alive until the folders
   * are read, and is dropped on this thread: GIO drops the task's last
   * reference in the worker thread at times, so the task holds none */
  task = g_task_new (NULL, self->cancellable, collect_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, dossier_submission_add_files);
  g_task_set_task_data (task, array, (GDestroyNotify) g_ptr_array_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, collect_thread);
}

static void
job_stop (DossierSubmission *self,
          Job               *job)
{
  g_cancellable_cancel (job->check_cancellable);
  if (job->cancellable != NULL)
    g_cancellable_cancel (job->cancellable);
  g_clear_pointer (&job->wait_source, dossier_source_clear);

  if (g_queue_remove (&self->check_queue, job))
    {
      job->checking = FALSE;
      job_unref (job);
    }
  if (g_queue_remove (&self->send_queue, job))
    job_unref (job);
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

  job = lookup_job (self, upload);
  if (job == NULL)
    return;

  /* taken off the unsent list too, unless its body may have gone out */
  if (job->in_record && self->record_history && !job->sending &&
      dossier_upload_get_state (upload) != DOSSIER_UPLOAD_STATE_DONE)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

      g_ptr_array_add (events, record_event_new (self, upload, "removed"));
      record_events (self, events, upload, "removed");
    }

  job->removed = TRUE;
  job_stop (self, job);
  g_signal_handlers_disconnect_by_data (upload, self);

  if (g_list_store_find (self->uploads, upload, &position))
    g_list_store_remove (self->uploads, position);
  g_hash_table_remove (self->jobs, upload);

  dossier_submission_revalidate (self);
  pump_checks (self);
  pump_sending (self);
  update_validating (self);
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
      Job *job = value;

      job->removed = TRUE;
      job_stop (self, job);
      g_signal_handlers_disconnect_by_data (job->upload, self);
    }

  g_list_store_remove_all (self->uploads);
  g_hash_table_remove_all (self->jobs);

  update_counts (self);
  update_validating (self);
}

/* -------------------------------------------------------------------------- */
/* Where to send                                                              */

/**
 * dossier_submission_dup_effective_url:
 *
 * Returns: (transfer full): the URL requests go to (the override, or the
 *   environment's, with the sandbox resolved), checked to be https or
 *   loopback; %NULL with @error set otherwise
 */
char *
dossier_submission_dup_effective_url (DossierSubmission  *self,
                                      GError            **error)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);

  if (has_text (self->base_url))
    url = dossier_provider_resolve_base_url (self->base_url, self->sandbox_url);
  else
    {
      const DossierEnvironment *env =
        dossier_provider_lookup_environment (self->provider, self->environment);

      if (env == NULL)
        {
          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                       _("%s has no environment “%s”"),
                       dossier_provider_get_name (self->provider),
                       self->environment ? self->environment : "");
          return NULL;
        }
      if (!has_text (env->base_url))
        {
          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                       /* Translators: "Enter the address of your Kore.ai host" */
                       _("Enter the address of your %s host"),
                       dossier_provider_get_name (self->provider));
          return NULL;
        }
      url = dossier_provider_resolve_base_url (env->base_url, self->sandbox_url);
    }

  if (url == NULL)
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                           _("The sandbox is not running"));
      return NULL;
    }

  if (!dossier_client_check_url (url, error))
    return NULL;

  return g_steal_pointer (&url);
}

static gboolean
uses_sandbox (DossierSubmission *self)
{
  const DossierEnvironment *env;

  if (has_text (self->base_url))
    return dossier_provider_is_sandbox_url (self->base_url);

  env = dossier_provider_lookup_environment (self->provider, self->environment);
  return env != NULL && dossier_provider_is_sandbox_url (env->base_url);
}

/* "the sandbox" or the host name, for "Connection to … was lost" */
static char *
describe_host (DossierSubmission *self,
               const char        *url)
{
  g_autoptr(GUri) uri = NULL;

  if (uses_sandbox (self))
    return g_strdup (_("the sandbox"));

  uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    return g_strdup (g_uri_get_host (uri));

  return g_strdup (dossier_provider_get_name (self->provider));
}

static void
forget_auth (DossierSubmission *self)
{
  g_clear_object (&self->auth);
}

/* -------------------------------------------------------------------------- */
/* Sending                                                                    */

static void job_send (DossierSubmission *self, Job *job);

static void
job_progress (guint64  bytes_sent,
              guint64  total_bytes,
              gpointer user_data)
{
  Job *job = user_data;

  dossier_upload_set_progress (job->upload, bytes_sent, total_bytes);
}

static void
job_queue (DossierSubmission *self,
           Job               *job,
           gboolean           first)
{
  dossier_upload_set_retry_in (job->upload, -1);
  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_QUEUED);
  if (first)
    g_queue_push_head (&self->send_queue, job_ref (job));
  else
    g_queue_push_tail (&self->send_queue, job_ref (job));
}

/* Queues an upload the user (re)starts: its attempts count from nothing */
static void
job_queue_fresh (DossierSubmission *self,
                 Job               *job)
{
  dossier_upload_set_attempt (job->upload, 0);
  job->auth_retried = FALSE;
  job_queue (self, job, FALSE);

  /* written with the others queued now, before any is sent */
  if (self->record_history)
    {
      g_ptr_array_add (self->queued_events, record_event_new (self, job->upload, "queued"));
      job->in_record = TRUE;
    }
}

static void
wait_update_text (Job *job,
                  int  seconds)
{
  g_autofree char *text = NULL;

  dossier_upload_set_retry_in (job->upload, seconds);
  if (job->wait_status == 0)
    /* Translators: "Connection to the sandbox was lost; retrying in 2 s" */
    text = g_strdup_printf (_("Connection to %s was lost; retrying in %d s"),
                            job->wait_what, seconds);
  else
    /* Translators: "DOKU is busy (503); retrying in 2 s" */
    text = g_strdup_printf (_("%s is busy (%u); retrying in %d s"),
                            job->wait_what, job->wait_status, seconds);
  dossier_upload_set_problem (job->upload, text);
}

static gboolean
wait_tick_cb (gpointer user_data)
{
  Job *job = user_data;
  DossierSubmission *self = job->self;
  gint64 left = job->wait_deadline - g_get_monotonic_time ();

  g_clear_pointer (&job->wait_source, dossier_source_clear);

  if (left <= 1000)
    {
      dossier_upload_set_problem (job->upload, NULL);
      job_queue (self, job, TRUE);
      update_counts (self);
      pump_sending (self);
      return G_SOURCE_REMOVE;
    }

  wait_update_text (job, (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  job->wait_source = dossier_timeout_add (MIN (1000, left / 1000), wait_tick_cb, job,
                                          "[dossier] retry countdown");

  return G_SOURCE_REMOVE;
}

/* WAITING: retried after @wait_ms; @what (taken) was unreachable, or
 * answered the transient @status */
static void
job_wait (DossierSubmission *self,
          Job               *job,
          gint64             wait_ms,
          char              *what,
          guint              status)
{
  int seconds;

  seconds = (int) ((wait_ms + 999) / 1000);

  g_free (job->wait_what);
  job->wait_what = what;
  job->wait_status = status;
  job->wait_deadline = g_get_monotonic_time () + wait_ms * 1000;

  wait_update_text (job, seconds);
  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_WAITING);
  g_clear_pointer (&job->wait_source, dossier_source_clear);
  job->wait_source = dossier_timeout_add (MIN (1000, wait_ms), wait_tick_cb, job,
                                          "[dossier] retry countdown");
}

/* -------------------------------------------------------------------------- */
/* The record (see dossier-history.c)                                         */

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

/* A line of the record: for "queued", what it takes to send @upload again
 * (never a credential) */
static JsonObject *
record_event_new (DossierSubmission *self,
                  DossierUpload     *upload,
                  const char        *event)
{
  JsonObject *object = json_object_new ();
  g_autofree char *at = now_iso8601 ();

  json_object_set_string_member (object, "event", event);
  json_object_set_string_member (object, "upload", dossier_upload_get_record_id (upload));
  json_object_set_string_member (object, "at", at);

  if (g_str_equal (event, "queued"))
    {
      g_autoptr(GHashTable) values = effective_values (self, upload);
      g_autoptr(GList) names = g_hash_table_get_keys (values);
      JsonObject *members = json_object_new ();
      GFile *file = dossier_upload_get_file (upload);

      json_object_set_string_member (object, "provider_id", dossier_provider_get_id (self->provider));
      if (self->environment != NULL)
        json_object_set_string_member (object, "environment", self->environment);
      if (self->base_url != NULL)
        json_object_set_string_member (object, "base_url", self->base_url);
      /* JSON holds UTF-8 only: another path is kept as a file:// URI */
      if (file != NULL && g_file_peek_path (file) != NULL &&
          g_utf8_validate (g_file_peek_path (file), -1, NULL))
        json_object_set_string_member (object, "path", g_file_peek_path (file));
      else if (file != NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          json_object_set_string_member (object, "uri", uri);
        }
      else if (dossier_upload_get_url (upload) != NULL)
        json_object_set_string_member (object, "url", dossier_upload_get_url (upload));
      json_object_set_string_member (object, "file_name", dossier_upload_get_display_name (upload));

      names = g_list_sort (names, (GCompareFunc) g_strcmp0);
      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_string_member (members, l->data, g_hash_table_lookup (values, l->data));
      json_object_set_object_member (object, "values", members);
    }

  return object;
}

static void
report_record_error (DossierSubmission *self,
                     DossierUpload     *upload,
                     const char        *message)
{
  g_debug ("%s", message);
  g_signal_emit (self, signals[RECORD_ERROR], 0, upload, message);
}

/* A line given to the history's writer, until it is on the disk; who to
 * tell when it fails (weak: neither is kept alive for it) */
typedef struct
{
  DossierSubmission *self;
  DossierUpload     *upload;
  char              *name;
  const char        *event;
  DossierHistoryEntry *entry;  /* for a finished line */
} Recording;

static Recording *
recording_new (DossierSubmission *self,
               DossierUpload     *upload,
               const char        *event)
{
  Recording *recording = g_new0 (Recording, 1);

  g_set_weak_pointer (&recording->self, self);
  self->n_recording++;
  g_set_weak_pointer (&recording->upload, upload);
  recording->name = upload != NULL ? g_strdup (dossier_upload_get_display_name (upload)) : NULL;
  recording->event = event;
  return recording;
}

static void
recording_free (Recording *recording)
{
  DossierSubmission *self = recording->self;

  if (self != NULL && --self->n_recording == 0 && self->running)
    update_counts (self);
  g_clear_weak_pointer (&recording->self);
  g_clear_weak_pointer (&recording->upload);
  g_free (recording->name);
  g_clear_object (&recording->entry);
  g_free (recording);
}

static void
record_events_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Recording *recording = user_data;
  DossierSubmission *self = recording->self;
  const char *name = recording->name;
  const char *event = recording->event;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (dossier_history_append_events_finish (DOSSIER_HISTORY (object), result, &error))
    {
      recording_free (recording);
      return;
    }

  /* a full disk fails every line: said once, and then for every file that
   * ends (with its id) */
  if (self == NULL || self->record_error_said)
    {
      g_debug ("Not recorded: %s", error->message);
      recording_free (recording);
      return;
    }
  self->record_error_said = TRUE;

  if (name != NULL && g_str_equal (event, "started"))
    /* Translators: "Could not record in the history that “KTP.png” is being sent: No space left
     * on device" */
    message = g_strdup_printf (_("Could not record in the history that “%s” is being sent: %s"),
                               name, error->message);
  else if (name != NULL)
    /* Translators: cancelled or removed: "Could not record in the history what became of
     * “KTP.png”: No space left on device" */
    message = g_strdup_printf (_("Could not record in the history what became of “%s”: %s"),
                               name, error->message);
  else
    /* Translators: "Could not record the files about to be sent in the history: No space left
     * on device" */
    message = g_strdup_printf (_("Could not record the files about to be sent in the history: %s"),
                               error->message);
  report_record_error (self, recording->upload, message);
  recording_free (recording);
}

/* Given to the history's writer (off the main thread); a failure is
 * reported when it is known */
static void
record_events (DossierSubmission *self,
               GPtrArray         *events,
               DossierUpload     *upload,
               const char        *event)
{
  if (events->len == 0)
    return;
  dossier_history_append_events_async (dossier_history_get_default (), events,
                                       record_events_cb, recording_new (self, upload, event));
}

/* The "queued" lines of the uploads just queued, in one write */
static void
record_queued (DossierSubmission *self)
{
  g_autoptr(GPtrArray) events = g_steal_pointer (&self->queued_events);

  self->queued_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  if (self->record_history)
    record_events (self, events, NULL, "queued");
}

/* Its body is about to go out: from now on it may have been sent */
static void
record_started (DossierSubmission *self,
                DossierUpload     *upload)
{
  g_autoptr(GPtrArray) events = NULL;

  if (!self->record_history)
    return;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_ptr_array_add (events, record_event_new (self, upload, "started"));
  record_events (self, events, upload, "started");
}

/* Cancelled: not sent when its body did not go out whole */
static void
record_cancelled (DossierSubmission *self,
                  DossierUpload     *upload)
{
  g_autoptr(GPtrArray) events = NULL;
  guint64 total = dossier_upload_get_total_bytes (upload);
  JsonObject *event;

  if (self == NULL || !self->record_history)
    return;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  event = record_event_new (self, upload, "cancelled");
  json_object_set_boolean_member (event, "body_sent",
                                  total == 0 || dossier_upload_get_bytes_sent (upload) >= total);
  g_ptr_array_add (events, event);
  record_events (self, events, upload, "cancelled");
}

static void
record_finished_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Recording *recording = user_data;
  DossierHistoryEntry *entry = recording->entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (dossier_history_append_finish (DOSSIER_HISTORY (object), result, &error) ||
      recording->self == NULL)
    {
      if (error != NULL)
        g_debug ("Not recorded: %s", error->message);
      recording_free (recording);
      return;
    }

  if (dossier_history_entry_get_success (entry) && dossier_history_entry_get_remote_id (entry) != NULL)
    /* Translators: "Could not record the upload of “KTP.png” in the history: No space left on
     * device; it was sent, id 7f3a…" */
    message = g_strdup_printf (_("Could not record the upload of “%s” in the history: %s; it was sent, id %s"),
                               dossier_history_entry_get_file_name (entry), error->message,
                               dossier_history_entry_get_remote_id (entry));
  else if (dossier_history_entry_get_success (entry))
    message = g_strdup_printf (_("Could not record the upload of “%s” in the history: %s; it was sent"),
                               dossier_history_entry_get_file_name (entry), error->message);
  else
    message = g_strdup_printf (_("Could not record the upload of “%s” in the history: %s; it was not sent"),
                               dossier_history_entry_get_file_name (entry), error->message);
  report_record_error (recording->self, recording->upload, message);
  recording_free (recording);
}

/* An upload ended sent or failed: a line in the history, without any
 * credential of this submission. The same line takes it off the unsent
 * list. */
static void
record_finished (DossierSubmission *self,
                 DossierUpload     *upload)
{
  Recording *recording;
  const char *hide[3] = { NULL, NULL, NULL };
  guint n = 0;

  if (self == NULL || !self->record_history)
    return;

  if (self->credentials != NULL)
    {
      const char *secret = dossier_credentials_get_secret (self->credentials);
      const char *client_secret = dossier_credentials_get_client_secret (self->credentials);

      if (has_text (secret))
        hide[n++] = secret;
      if (has_text (client_secret))
        hide[n++] = client_secret;
    }

  recording = recording_new (self, upload, "finished");
  recording->entry = dossier_history_entry_new_for_upload (self->provider, self->environment, upload, hide);
  dossier_history_append_async (dossier_history_get_default (), recording->entry,
                                record_finished_cb, recording);
}

static void
job_fail (Job           *job,
          DossierResult *result,
          const char    *problem)
{
  dossier_upload_take_result (job->upload, result);
  dossier_upload_set_problem (job->upload, problem);
  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_FAILED);
  record_finished (job->self, job->upload);
}

/* The whole file went out, and what became of it is not known */
static void
job_unknown (Job           *job,
             DossierResult *result,
             const char    *problem)
{
  dossier_upload_take_result (job->upload, result);
  dossier_upload_set_problem (job->upload, problem);
  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_UNKNOWN);
  record_finished (job->self, job->upload);
}

/* The whole file went out, and what became of it is not known: said in
 * the words of what happened. @answer (nullable) is taken. */
static void
job_unknown_after (Job           *job,
                   gboolean       stopped,
                   const GError  *error,
                   DossierResult *answer)
{
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) owned = answer;
  g_autofree char *problem = NULL;

  if (stopped)
    {
      job_unknown (job, NULL, _("Stopped after the file was sent; it may have arrived: "
                                "check before sending again"));
      return;
    }

  if (error != NULL)
    {
      /* whatever went wrong after the whole file was sent (a lost answer, a
       * timeout, a redirect, an answer too large to read), the provider may
       * have it: never sent again without the user's word */
      DossierRetryError kind = _dossier_retry_classify_error (error);

      if (kind == DOSSIER_RETRY_ERROR_TIMED_OUT)
        /* Translators: the first %s is a message such as "Moov answered too slowly; the
         * request was stopped" */
        problem = g_strdup_printf (_("%s after the file was sent; it may have arrived: check "
                                     "before sending again"), error->message);
      else if (kind == DOSSIER_RETRY_ERROR_NETWORK)
        problem = g_strdup (_("The connection broke after the file was sent; it may have arrived: "
                              "check before sending again"));
      else
        /* Translators: %s says what went wrong, such as "Moov redirected the upload to
         * https://example.com/files (303); not followed" */
        problem = g_strdup_printf (_("%s. The whole file was sent before that; it may have "
                                     "arrived: check before sending again"), error->message);
      job_unknown (job, dossier_result_new_for_error (self->provider, error), problem);
      return;
    }

  if (answer->http_status >= 200 && answer->http_status < 300)
    /* taken, most likely, but the answer says nothing usable */
    /* Translators: "Moov answered 200 without the file's id, after the file was sent; …" */
    problem = g_strdup_printf (_("%s answered %u without the file’s id, after the file was "
                                 "sent; it may have arrived: check before sending again"),
                               dossier_provider_get_name (self->provider), answer->http_status);
  else if (answer->http_status == 502 || answer->http_status == 504)
    /* Translators: "Moov's gateway answered 502 after the file was sent; it may have
     * arrived: check before sending again" */
    problem = g_strdup_printf (_("%s’s gateway answered %u after the file was sent; it may "
                                 "have arrived: check before sending again"),
                               dossier_provider_get_name (self->provider), answer->http_status);
  else
    /* Translators: "Moov answered 500 after the file was sent; it may have arrived: check
     * before sending again" */
    problem = g_strdup_printf (_("%s answered %u after the file was sent; it may have "
                                 "arrived: check before sending again"),
                               dossier_provider_get_name (self->provider), answer->http_status);
  job_unknown (job, g_steal_pointer (&owned), problem);
}

/* Not stored, and not sent again by itself: said in the words of what
 * happened. @answer (nullable) is taken. */
static void
job_fail_after (Job                     *job,
                const DossierRetryInput *in,
                const GError            *error,
                DossierResult           *answer)
{
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) owned = answer;
  g_autofree char *problem = NULL;

  if (error != NULL)
    {
      g_autofree char *host = describe_host (self, job->transfer_url);

      if (in->error == DOSSIER_RETRY_ERROR_TIMED_OUT && in->sent != DOSSIER_TRANSFER_SENT_NOT_STARTED)
        /* Translators: "Moov answered too slowly; the request was stopped before the file was
         * sent whole, so it was not stored" */
        problem = g_strdup_printf (_("%s before the file was sent whole, so it was not stored"),
                                   error->message);
      else if (in->error == DOSSIER_RETRY_ERROR_NETWORK)
        /* Translators: "Could not reach the sandbox: Connection refused" */
        problem = g_strdup_printf (_("Could not reach %s: %s"), host, error->message);
      else if (in->error == DOSSIER_RETRY_ERROR_TLS)
        /* Translators: "Could not connect securely to api.doku.com: its certificate is
         * not trusted (Unacceptable TLS certificate)" */
        problem = g_strdup_printf (_("Could not connect securely to %s: its certificate is "
                                     "not trusted (%s)"), host, error->message);
      else
        /* a timeout here is a step's before the upload (a token): said as
         * it is */
        problem = g_strdup (error->message);
      job_fail (job, dossier_result_new_for_error (self->provider, error), problem);
      return;
    }

  if (_dossier_retry_says_come_back (in->http_status, in->retry_after_ms))
    /* Translators: "Moov is still busy (503) after 4 attempts; try again later" */
    problem = g_strdup_printf (_("%s is still busy (%u) after %u attempts; try again later"),
                               dossier_provider_get_name (self->provider),
                               answer->http_status, in->attempt);
  else
    problem = dossier_result_describe_failure (answer);
  job_fail (job, g_steal_pointer (&owned), problem);
}

/* Performs what dossier-retry.c decides of an attempt that ended with
 * @answer (taken) or @error, having sent @sent */
static void
job_settle (Job                 *job,
            DossierResult       *answer,
            const GError        *error,
            DossierTransferSent  sent,
            gint64               retry_after_ms)
{
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) owned = answer;
  DossierRetryInput in = { 0, };
  DossierRetryVerdict verdict;
  gint64 wait_ms = 0;

  if (job->removed)
    return;
  if (dossier_upload_get_state (job->upload) == DOSSIER_UPLOAD_STATE_QUEUED)
    /* cancelled, then sent again before this attempt wound down */
    return;

  in.answer_success = answer != NULL && dossier_result_is_success (answer);
  in.http_status = answer != NULL ? answer->http_status : 0;
  in.error = _dossier_retry_classify_error (error);
  in.sent = sent;
  in.retry_after_ms = retry_after_ms;
  in.attempt = dossier_upload_get_attempt (job->upload);
  in.max_attempts = DOSSIER_RETRY_MAX_ATTEMPTS;
  in.stopped = job->cancelled;
  in.auth_retried = job->auth_retried;
  in.auth_refreshable = job->transfer_auth != NULL;

  verdict = _dossier_retry_decide (&in, &wait_ms);

  if (verdict != DOSSIER_RETRY_DONE &&
      dossier_upload_get_state (job->upload) == DOSSIER_UPLOAD_STATE_UNKNOWN)
    /* stopped after the file was sent whole: already said */
    return;

  if (verdict == DOSSIER_RETRY_AUTH && !dossier_auth_invalidate (job->transfer_auth))
    {
      /* a pasted credential: no fresh token will come */
      in.auth_refreshable = FALSE;
      verdict = _dossier_retry_decide (&in, &wait_ms);
    }

  switch (verdict)
    {
    case DOSSIER_RETRY_DONE:
      {
        guint64 total = dossier_upload_get_total_bytes (job->upload);

        dossier_upload_set_progress (job->upload, MAX (total, 1), MAX (total, 1));
        dossier_upload_flush_progress (job->upload);
        dossier_upload_set_problem (job->upload, NULL);
        dossier_upload_take_result (job->upload, g_steal_pointer (&owned));
        dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_DONE);
        record_finished (self, job->upload);
      }
      break;

    case DOSSIER_RETRY_CANCELLED:
      dossier_upload_set_problem (job->upload, NULL);
      dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_CANCELLED);
      record_cancelled (self, job->upload);
      break;

    case DOSSIER_RETRY_AUTH:
      /* a fetched token was refused: once more with a fresh one */
      job->auth_retried = TRUE;
      job_queue (self, job, TRUE);
      break;

    case DOSSIER_RETRY_WAIT:
      if (error != NULL)
        /* nothing, or not all of it, reached the server */
        job_wait (self, job, wait_ms, describe_host (self, job->transfer_url), 0);
      else
        {
          /* the server says it did not take it, and when to come back */
          guint status = answer->http_status;

          dossier_upload_take_result (job->upload, g_steal_pointer (&owned));
          job_wait (self, job, wait_ms, g_strdup (dossier_provider_get_name (self->provider)),
                    status);
        }
      break;

    case DOSSIER_RETRY_UNKNOWN:
      job_unknown_after (job, job->cancelled || in.error == DOSSIER_RETRY_ERROR_CANCELLED,
                         error, g_steal_pointer (&owned));
      break;

    case DOSSIER_RETRY_FAIL:
    default:
      job_fail_after (job, &in, error, g_steal_pointer (&owned));
      break;
    }
}

static void
job_sent_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job *job = user_data;
  DossierSubmission *self = job->self;
  g_autoptr(DossierResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 retry_after_ms = -1;
  DossierTransferSent sent;

  sent = dossier_transfer_run_get_sent (DOSSIER_TRANSFER (object), result);
  answer = dossier_transfer_run_finish (DOSSIER_TRANSFER (object), result, &retry_after_ms, &error);

  if (self == NULL)
    {
      job_unref (job);
      return;
    }

  self->n_sending--;
  job->sending = FALSE;

  job_settle (job, g_steal_pointer (&answer), error, sent, retry_after_ms);

  job_unref (job);
  update_counts (self);
  pump_sending (self);
}

/* The requests are sent in the session's threads: as many as may be in
 * flight, every upload sent at once with its chunks */
static void
update_max_threads (DossierSubmission *self)
{
  const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);

  if (self->session != NULL)
    dossier_client_set_max_threads (self->session, self->max_concurrent * MAX (flow->parallel, 1));
}

static gboolean
ensure_connection (DossierSubmission  *self,
                   char              **out_url,
                   GError            **error)
{
  g_autofree char *url = dossier_submission_dup_effective_url (self, error);

  if (url == NULL)
    return FALSE;

  if (self->session == NULL)
    {
      const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);

      /* every upload at once, each with its chunks, and a token request */
      self->session = dossier_client_new_session (8 * MAX (flow->parallel, 1) + 2);
      update_max_threads (self);
    }

  if (self->auth == NULL)
    {
      g_autoptr(DossierCredentials) empty = NULL;
      DossierCredentials *credentials = self->credentials;

      if (credentials == NULL)
        credentials = empty = dossier_credentials_new ();
      self->auth = dossier_auth_new (self->provider, url, credentials, self->session);
    }

  *out_url = g_steal_pointer (&url);
  return TRUE;
}

/* The "started" line is on the disk (or could not be written, which
 * record_events_cb() says): a kill from now on leaves the file "may have
 * been sent" */
static void
job_started_recorded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Job *job = user_data;

  dossier_history_flush_finish (DOSSIER_HISTORY (object), result, NULL);
  if (job->self == NULL)
    {
      job_unref (job);
      return;
    }
  dossier_transfer_run_async (job->transfer, job->cancellable, job_sent_cb, job);
}

static void
job_send (DossierSubmission *self,
          Job               *job)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  dossier_upload_set_attempt (job->upload, dossier_upload_get_attempt (job->upload) + 1);
  dossier_upload_set_retry_in (job->upload, -1);
  dossier_upload_set_problem (job->upload, NULL);
  dossier_upload_reset_progress (job->upload);

  if (!ensure_connection (self, &url, &error))
    {
      job_fail (job, dossier_result_new_for_error (self->provider, error), error->message);
      return;
    }

  values = effective_values (self, job->upload);

  if (job->transfer != NULL &&
      (job->transfer_auth != self->auth || g_strcmp0 (job->transfer_url, url) != 0))
    g_clear_object (&job->transfer);

  if (job->transfer == NULL)
    {
      GFile *file = dossier_upload_get_file (job->upload);

      job->transfer = dossier_transfer_new (self->provider, self->session, self->auth, url, values);
      if (file != NULL)
        dossier_transfer_set_file (job->transfer, file,
                                   dossier_upload_get_display_name (job->upload),
                                   dossier_upload_get_content_type (job->upload),
                                   dossier_upload_get_size (job->upload));
      dossier_transfer_set_progress_func (job->transfer, job_progress, job);
      g_set_object (&job->transfer_auth, self->auth);
      g_free (job->transfer_url);
      job->transfer_url = g_strdup (url);
    }
  else
    dossier_transfer_set_values (job->transfer, values);

  /* a provider that echoes a credential must not put it in a problem */
  if (self->credentials != NULL)
    {
      dossier_transfer_hide (job->transfer, dossier_credentials_get_secret (self->credentials));
      dossier_transfer_hide (job->transfer,
                             dossier_credentials_get_client_secret (self->credentials));
    }

  g_clear_object (&job->cancellable);
  job->cancellable = g_cancellable_new ();
  job->cancelled = FALSE;
  job->sending = TRUE;
  self->n_sending++;

  dossier_upload_set_state (job->upload, DOSSIER_UPLOAD_STATE_RUNNING);
  record_started (self, job->upload);
  /* the body goes out once the "started" line is on the disk */
  dossier_history_flush_async (dossier_history_get_default (), job_started_recorded_cb, job_ref (job));
}

static void
pump_sending (DossierSubmission *self)
{
  GList *link = self->send_queue.head;

  while (self->n_sending < self->max_concurrent && link != NULL)
    {
      Job *job = link->data;
      GList *next = link->next;

      /* a cancelled attempt still winding down waits in the queue */
      if (job->sending && !job->removed)
        {
          link = next;
          continue;
        }

      g_queue_delete_link (&self->send_queue, link);
      if (!job->removed && dossier_upload_get_state (job->upload) == DOSSIER_UPLOAD_STATE_QUEUED)
        job_send (self, job);
      job_unref (job);
      link = next;
    }

  update_counts (self);
}

/* Whether a restored upload waits for the user's word to be sent again:
 * the upload step is where it is offered */
static gboolean
has_held_back (DossierSubmission *self)
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

/**
 * dossier_submission_can_start:
 * @out_reason: (out) (optional): why not, in a sentence for the user
 */
gboolean
dossier_submission_can_start (DossierSubmission  *self,
                              char              **out_reason)
{
  char *reason = NULL;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);

  if (self->validating)
    reason = g_strdup (_("Some files are still being checked"));
  else if (self->n_ready == 0 && !has_held_back (self))
    reason = self->n_invalid > 0 ? g_strdup (_("Fix the problems shown next to the files first"))
                                 : g_strdup (_("Add the files to send"));
  else
    dossier_submission_settings_ready (self, &reason);

  if (out_reason != NULL)
    *out_reason = reason;
  else
    g_free (reason);

  return reason == NULL;
}

/**
 * dossier_submission_start:
 *
 * Queues every READY upload; at most max-concurrent are sent at once. A
 * restored upload that may have been sent before Dossier stopped is not
 * READY but UNKNOWN: only dossier_submission_resend() sends it.
 */
void
dossier_submission_start (DossierSubmission *self)
{
  guint n;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      Job *job = lookup_job (self, upload);

      if (job == NULL || !job->checked ||
          dossier_upload_get_state (upload) != DOSSIER_UPLOAD_STATE_READY)
        continue;

      job_queue_fresh (self, job);
    }

  /* the saved queue and the record have every file before any is sent */
  if (self->save_source != NULL)
    dossier_submission_save_queue (self);
  record_queued (self);

  update_counts (self);
  pump_sending (self);
}

/**
 * dossier_submission_retry:
 *
 * Sends a FAILED or CANCELLED upload again (after checking its values,
 * which the user may have corrected). An UNKNOWN upload is not sent again
 * this way: see dossier_submission_resend().
 */
void
dossier_submission_retry (DossierSubmission *self,
                          DossierUpload     *upload)
{
  dossier_submission_resend (self, upload, FALSE);
}

/**
 * dossier_submission_resend:
 * @confirmed: the user was told that an UNKNOWN upload may already have
 *   arrived, and chose to send it again
 *
 * Like dossier_submission_retry(), and also sends an UNKNOWN upload again
 * when @confirmed.
 *
 * Returns: whether @upload was put back to be sent
 */
gboolean
dossier_submission_resend (DossierSubmission *self,
                           DossierUpload     *upload,
                           gboolean           confirmed)
{
  DossierUploadState state;
  Job *job;
  guint position = 0;
  gboolean queued = FALSE;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (upload), FALSE);

  job = lookup_job (self, upload);
  state = dossier_upload_get_state (upload);
  if (job == NULL ||
      (state != DOSSIER_UPLOAD_STATE_FAILED && state != DOSSIER_UPLOAD_STATE_CANCELLED &&
       !(state == DOSSIER_UPLOAD_STATE_UNKNOWN && confirmed)))
    return FALSE;

  /* the user chose to send it again: no longer held back */
  if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
    dossier_upload_set_maybe_sent (upload, FALSE);

  /* values may have been corrected since */
  dossier_upload_set_problem (upload, NULL);
  dossier_upload_set_state (upload, DOSSIER_UPLOAD_STATE_READY);
  g_list_store_find (self->uploads, upload, &position);
  apply_validation (self, job, position);

  if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_READY)
    {
      job_queue_fresh (self, job);
      record_queued (self);
      queued = TRUE;
    }

  update_counts (self);
  pump_sending (self);

  return queued;
}

/**
 * dossier_submission_cancel:
 *
 * Stops an upload that is queued, sending or waiting: nothing more is
 * sent and it becomes CANCELLED.
 */
void
dossier_submission_cancel (DossierSubmission *self,
                           DossierUpload     *upload)
{
  DossierUploadState state;
  Job *job;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (DOSSIER_IS_UPLOAD (upload));

  job = lookup_job (self, upload);
  state = dossier_upload_get_state (upload);
  if (job == NULL ||
      (state != DOSSIER_UPLOAD_STATE_QUEUED && state != DOSSIER_UPLOAD_STATE_RUNNING &&
       state != DOSSIER_UPLOAD_STATE_WAITING))
    return;

  job->cancelled = TRUE;
  if (job->cancellable != NULL)
    g_cancellable_cancel (job->cancellable);
  g_clear_pointer (&job->wait_source, dossier_source_clear);
  if (g_queue_remove (&self->send_queue, job))
    job_unref (job);

  dossier_upload_set_retry_in (upload, -1);
  /* the whole file is out, only its answer is awaited: it may arrive */
  if (state == DOSSIER_UPLOAD_STATE_RUNNING && job->transfer != NULL &&
      dossier_transfer_is_sent_whole (job->transfer))
    job_unknown (job, NULL, _("Stopped after the file was sent; it may have arrived: "
                              "check before sending again"));
  else
    {
      dossier_upload_set_problem (upload, NULL);
      dossier_upload_set_state (upload, DOSSIER_UPLOAD_STATE_CANCELLED);
    }
  update_counts (self);
}

void
dossier_submission_cancel_all (DossierSubmission *self)
{
  guint n;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);

      dossier_submission_cancel (self, upload);
    }
}

static void
check_credentials_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *text;

  text = dossier_auth_check_finish (DOSSIER_AUTH (object), result, &error);
  if (text == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, text, g_free);
}

/**
 * dossier_submission_check_credentials_async:
 *
 * Proves the credentials with a request (a token, or the provider's check
 * request) without sending a file.
 */
void
dossier_submission_check_credentials_async (DossierSubmission   *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAuth) auth = NULL;
  g_autoptr(DossierCredentials) empty = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_submission_check_credentials_async);

  url = dossier_submission_dup_effective_url (self, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->session == NULL)
    {
      const DossierFlowSpec *flow = dossier_provider_get_flow (self->provider);

      self->session = dossier_client_new_session (8 * MAX (flow->parallel, 1) + 2);
      update_max_threads (self);
    }

  auth = dossier_auth_new (self->provider, url,
                           self->credentials ? self->credentials
                                             : (empty = dossier_credentials_new ()),
                           self->session);
  values = effective_values (self, NULL);
  dossier_auth_check_async (auth, values, cancellable, check_credentials_cb,
                            g_steal_pointer (&task));
}

/**
 * dossier_submission_check_credentials_finish:
 *
 * Returns: (transfer full): a sentence saying what was proven, or %NULL
 *   with @error set
 */
char *
dossier_submission_check_credentials_finish (DossierSubmission  *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* -------------------------------------------------------------------------- */
/* History and the unsent queue                                               */

gboolean
dossier_submission_get_record_history (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);
  return self->record_history;
}

/**
 * dossier_submission_set_record_history:
 *
 * Whether uploads that end sent or failed are added to the default
 * history (they are by default).
 */
void
dossier_submission_set_record_history (DossierSubmission *self,
                                       gboolean           record_history)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  self->record_history = !!record_history;
}

static gboolean
save_cb (gpointer user_data)
{
  DossierSubmission *self = user_data;

  g_clear_pointer (&self->save_source, dossier_source_clear);
  dossier_submission_save_queue (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (DossierSubmission *self)
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
    schedule_save (self);
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

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  g_clear_pointer (&self->save_source, dossier_source_clear);
  if (self->queue_path == NULL || self->uploads == NULL)
    return;

  state = dossier_queue_state_new_for_submission (self);
  if (dossier_queue_state_get_n_uploads (state) > 0)
    {
      if (!dossier_queue_state_save (state, self->queue_path, &error))
        g_debug ("Unsent queue not saved: %s", error->message);
    }
  else if (self->queue_owned)
    {
      if (dossier_queue_state_discard (self->queue_path, &error))
        self->queue_owned = FALSE;
      else
        g_debug ("Saved queue not deleted: %s", error->message);
    }
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
  const DossierFileRules *rules = dossier_provider_get_file_rules (self->provider);
  DossierUpload *upload;
  Job *job;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  g_return_val_if_fail ((file != NULL) != (url != NULL), NULL);

  if (file != NULL)
    {
      upload = make_file_upload (self, file);
      dossier_upload_init_values (upload, values);
      return upload;
    }

  if (rules->alternative_field == NULL)
    return NULL;

  upload = dossier_upload_new_for_url (url);
  job = job_new (self, upload);
  dossier_upload_init_values (upload, values);
  g_signal_handlers_block_by_func (upload, upload_values_changed_cb, self);
  dossier_upload_set_value (upload, rules->alternative_field, url);
  g_signal_handlers_unblock_by_func (upload, upload_values_changed_cb, self);
  job->checked = TRUE;

  return upload;
}

/* Adds restored uploads in one go */
void
dossier_submission_append_restored (DossierSubmission *self,
                                    GPtrArray         *uploads)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  append_uploads (self, uploads);
}

/* -------------------------------------------------------------------------- */
/* GObject                                                                    */

DossierSubmission *
dossier_submission_new (DossierProvider *provider)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);

  return g_object_new (DOSSIER_TYPE_SUBMISSION, "provider", provider, NULL);
}

DossierProvider *
dossier_submission_get_provider (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->provider;
}

const char *
dossier_submission_get_environment (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->environment;
}

void
dossier_submission_set_environment (DossierSubmission *self,
                                    const char        *environment_id)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  if (set_str (&self->environment, environment_id))
    {
      forget_auth (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENVIRONMENT]);
      schedule_save (self);
    }
}

const char *
dossier_submission_get_base_url (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->base_url;
}

void
dossier_submission_set_base_url (DossierSubmission *self,
                                 const char        *base_url)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  if (set_str (&self->base_url, has_text (base_url) ? base_url : NULL))
    {
      forget_auth (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
      schedule_save (self);
    }
}

const char *
dossier_submission_get_sandbox_url (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->sandbox_url;
}

void
dossier_submission_set_sandbox_url (DossierSubmission *self,
                                    const char        *sandbox_url)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  if (set_str (&self->sandbox_url, sandbox_url))
    {
      forget_auth (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX_URL]);
    }
}

DossierCredentials *
dossier_submission_get_credentials (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->credentials;
}

void
dossier_submission_set_credentials (DossierSubmission  *self,
                                    DossierCredentials *credentials)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (credentials == NULL || DOSSIER_IS_CREDENTIALS (credentials));

  if (g_set_object (&self->credentials, credentials))
    {
      forget_auth (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDENTIALS]);
    }
}

guint
dossier_submission_get_max_concurrent (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), 0);
  return self->max_concurrent;
}

void
dossier_submission_set_max_concurrent (DossierSubmission *self,
                                       guint              max_concurrent)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  max_concurrent = CLAMP (max_concurrent, 1, 8);
  if (self->max_concurrent == max_concurrent)
    return;

  self->max_concurrent = max_concurrent;
  update_max_threads (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONCURRENT]);
  pump_sending (self);
}

/**
 * dossier_submission_get_uploads:
 *
 * Returns: (transfer none): a #GListModel of #DossierUpload
 */
GListModel *
dossier_submission_get_uploads (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return G_LIST_MODEL (self->uploads);
}

static void
dossier_submission_constructed (GObject *object)
{
  DossierSubmission *self = DOSSIER_SUBMISSION (object);

  G_OBJECT_CLASS (dossier_submission_parent_class)->constructed (object);

  g_assert (self->provider != NULL);
  if (self->environment == NULL && dossier_provider_get_n_environments (self->provider) > 0)
    self->environment = g_strdup (dossier_provider_get_environment (self->provider, 0)->id);
}

static void
dossier_submission_dispose (GObject *object)
{
  DossierSubmission *self = DOSSIER_SUBMISSION (object);
  GHashTableIter iter;
  gpointer key, value;

  /* what is still to send outlives the submission */
  if (self->save_source != NULL || self->queue_owned)
    dossier_submission_save_queue (self);
  g_clear_pointer (&self->save_source, dossier_source_clear);

  g_cancellable_cancel (self->cancellable);

  if (self->jobs != NULL)
    {
      g_hash_table_iter_init (&iter, self->jobs);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Job *job = value;

          job_stop (self, job);
          job->self = NULL;
          g_signal_handlers_disconnect_by_data (job->upload, self);
        }
      g_clear_pointer (&self->jobs, g_hash_table_unref);
    }

  g_clear_pointer (&self->progress_source, dossier_source_clear);
  g_clear_object (&self->uploads);
  g_clear_object (&self->auth);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (dossier_submission_parent_class)->dispose (object);
}

static void
dossier_submission_finalize (GObject *object)
{
  DossierSubmission *self = DOSSIER_SUBMISSION (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->environment, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->sandbox_url, g_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->queue_path, g_free);
  g_clear_pointer (&self->queued_events, g_ptr_array_unref);

  G_OBJECT_CLASS (dossier_submission_parent_class)->finalize (object);
}

static void
dossier_submission_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DossierSubmission *self = DOSSIER_SUBMISSION (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_ENVIRONMENT:
      g_value_set_string (value, self->environment);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_SANDBOX_URL:
      g_value_set_string (value, self->sandbox_url);
      break;
    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;
    case PROP_MAX_CONCURRENT:
      g_value_set_uint (value, self->max_concurrent);
      break;
    case PROP_UPLOADS:
      g_value_set_object (value, self->uploads);
      break;
    case PROP_N_INVALID:
      g_value_set_uint (value, self->n_invalid);
      break;
    case PROP_N_READY:
      g_value_set_uint (value, self->n_ready);
      break;
    case PROP_N_ACTIVE:
      g_value_set_uint (value, self->n_active);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;

    case PROP_N_UNKNOWN:
      g_value_set_uint (value, self->n_unknown);
      break;
    case PROP_TOTAL_BYTES:
      g_value_set_uint64 (value, self->total_bytes);
      break;
    case PROP_SENT_BYTES:
      g_value_set_uint64 (value, self->sent_bytes);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_VALIDATING:
      g_value_set_boolean (value, self->validating);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_submission_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DossierSubmission *self = DOSSIER_SUBMISSION (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_ENVIRONMENT:
      dossier_submission_set_environment (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      dossier_submission_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_SANDBOX_URL:
      dossier_submission_set_sandbox_url (self, g_value_get_string (value));
      break;
    case PROP_CREDENTIALS:
      dossier_submission_set_credentials (self, g_value_get_object (value));
      break;
    case PROP_MAX_CONCURRENT:
      dossier_submission_set_max_concurrent (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_submission_class_init (DossierSubmissionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = dossier_submission_constructed;
  object_class->dispose = dossier_submission_dispose;
  object_class->finalize = dossier_submission_finalize;
  object_class->get_property = dossier_submission_get_property;
  object_class->set_property = dossier_submission_set_property;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, DOSSIER_TYPE_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENVIRONMENT] = g_param_spec_string ("environment", NULL, NULL, NULL, rw);
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, rw);
  properties[PROP_SANDBOX_URL] = g_param_spec_string ("sandbox-url", NULL, NULL, NULL, rw);
  properties[PROP_CREDENTIALS] = g_param_spec_object ("credentials", NULL, NULL,
                                                      DOSSIER_TYPE_CREDENTIALS, rw);
  properties[PROP_MAX_CONCURRENT] = g_param_spec_uint ("max-concurrent", NULL, NULL, 1, 8, 2, rw);
  properties[PROP_UPLOADS] = g_param_spec_object ("uploads", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_N_INVALID] = g_param_spec_uint ("n-invalid", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_READY] = g_param_spec_uint ("n-ready", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_ACTIVE] = g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* sent whole, answer lost: they may have arrived */
  properties[PROP_N_UNKNOWN] = g_param_spec_uint ("n-unknown", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_TOTAL_BYTES] = g_param_spec_uint64 ("total-bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_SENT_BYTES] = g_param_spec_uint64 ("sent-bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_VALIDATING] = g_param_spec_boolean ("validating", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierSubmission::finished:
   *
   * No upload is queued, sending or waiting any more.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DossierSubmission::validated:
   *
   * No file check is pending any more.
   */
  signals[VALIDATED] = g_signal_new ("validated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DossierSubmission::skipped:
   * @lines: what was left out of the folders given to
   *   dossier_submission_add_files(), one "skipped “pipe”: not a regular
   *   file" each
   *
   * Entries of a folder that are not added: hidden ones, special files,
   * links that point nowhere, folders that cannot be read.
   */
  signals[SKIPPED] = g_signal_new ("skipped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  /**
   * DossierSubmission::record-error:
   * @upload: (nullable): the upload it was about, %NULL for a batch
   * @message: what could not be recorded and why, for the user
   *
   * A line of the history could not be written (a full disk): the history
   * does not show this upload, or shows it still to send. The file is as
   * it was before the write.
   */
  signals[RECORD_ERROR] = g_signal_new ("record-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        DOSSIER_TYPE_UPLOAD, G_TYPE_STRING);
}

static void
dossier_submission_init (DossierSubmission *self)
{
  self->max_concurrent = 2;
  self->record_history = TRUE;
  self->queued_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->uploads = g_list_store_new (DOSSIER_TYPE_UPLOAD);
  self->jobs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) job_unref);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->check_queue);
  g_queue_init (&self->send_queue);
}
