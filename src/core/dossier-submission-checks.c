/* dossier-submission-checks.c: whether a submission and its files are ready
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Readiness (the first step, the start), the values of each upload, and
 * the files themselves, checked in worker threads at most MAX_CHECKS at once
 * so that a thousand dropped files keep the main loop free.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-submission-private.h"
#include "dossier-validate.h"

#define MAX_CHECKS 4

static gboolean
job_is_idle (Job *job)
{
  DossierUploadState state = dossier_upload_get_state (job->upload);

  return state == DOSSIER_UPLOAD_STATE_READY || state == DOSSIER_UPLOAD_STATE_INVALID;
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

/**
 * dossier_submission_defaults_ready:
 * @out_reason: (out) (optional): why not, in a sentence for the user
 *
 * Whether the batch's document values (the Details step) are acceptable.
 * A document choice each file carries (DOKU's category and code) may stay
 * unset: every file gets its own, suggested from its name, and a file left
 * without one is flagged on its row. What is set must still be valid.
 */
gboolean
dossier_submission_defaults_ready (DossierSubmission  *self,
                                   char              **out_reason)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);

  values = _dossier_submission_effective_values (self, NULL);
  if (!dossier_provider_validate_values (self->provider, values,
                                         DOSSIER_VALIDATE_SCOPE_DEFAULTS, &error))
    {
      if (out_reason != NULL)
        *out_reason = g_strdup (error->message);
      return FALSE;
    }

  if (out_reason != NULL)
    *out_reason = NULL;
  return TRUE;
}

/* The label of a per-file choice the upload still lacks (DOKU's code), or
 * NULL */
static const char *
missing_choice (DossierSubmission *self,
                Job               *job)
{
  g_autoptr(GHashTable) values = NULL;
  GListModel *fields;
  guint n;

  if (dossier_upload_get_state (job->upload) != DOSSIER_UPLOAD_STATE_INVALID ||
      job->file_problem != NULL || !job->checked)
    return NULL;

  values = _dossier_submission_effective_values (self, job->upload);
  fields = dossier_provider_get_fields (self->provider);
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);

      if (dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_DOCUMENT &&
          dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE &&
          dossier_field_get_required (field) &&
          dossier_field_is_active (field, values) &&
          !_dossier_submission_has_text (g_hash_table_lookup (values, dossier_field_get_name (field))))
        return dossier_field_get_label (field);
    }

  return NULL;
}

typedef struct
{
  guint       n;
  const char *label;
  const char *name;
} MissingChoices;

static void
count_missing_job (DossierSubmission *self,
                   Job               *job,
                   guint              position,
                   gpointer           data)
{
  MissingChoices *missing = data;
  const char *label = missing_choice (self, job);

  if (label == NULL)
    return;
  if (missing->n++ == 0)
    {
      missing->label = label;
      missing->name = dossier_upload_get_display_name (job->upload);
    }
}

/* -------------------------------------------------------------------------- */
/* Validation                                                                 */

void
_dossier_submission_apply_validation (DossierSubmission *self,
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
      g_autoptr(GHashTable) values = _dossier_submission_effective_values (self, job->upload);
      const char *alternative = rules->alternative_field;

      if (dossier_upload_get_file (job->upload) != NULL && alternative != NULL &&
          _dossier_submission_has_text (g_hash_table_lookup (values, alternative)))
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

static void
revalidate_job (DossierSubmission *self,
                Job               *job,
                guint              position,
                gpointer           data)
{
  _dossier_submission_apply_validation (self, job, position);
  /* the account may be another one now */
  _dossier_submission_find_duplicates (self, job->upload);
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
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  _dossier_submission_foreach_job (self, revalidate_job, NULL);
  _dossier_submission_update_counts (self);
}

typedef struct
{
  DossierProvider *provider;
  GFile           *file;
  goffset          size;
  char            *content_type;
  char            *sha256;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->provider);
  g_clear_object (&data->file);
  g_free (data->content_type);
  g_free (data->sha256);
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

  /* the SHA-256 for the duplicate guard and the record: here, off the
   * main thread, because the guard must answer before anything is sent */
  if (!dossier_provider_validate_file (data->provider, data->file, &data->size,
                                       &data->content_type, cancellable, &error) ||
      (data->sha256 = _dossier_submission_file_sha256 (data->file, cancellable, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
update_counts_cb (gpointer user_data)
{
  DossierSubmission *self = user_data;

  self->counts_idle = 0;
  _dossier_submission_update_counts (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update_counts (DossierSubmission *self)
{
  if (self->counts_idle == 0)
    self->counts_idle = g_idle_add (update_counts_cb, self);
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
      _dossier_submission_job_unref (job);
      return;
    }

  self->n_checking--;
  job->checking = FALSE;
  _dossier_submission_job_wound_down (self, job);

  if (!job->removed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      guint position = 0;

      job->checked = TRUE;
      g_clear_pointer (&job->file_problem, g_free);
      if (ok)
        {
          dossier_upload_set_checked (job->upload, data->size, data->content_type);
          dossier_upload_set_sha256 (job->upload, data->sha256);
          _dossier_submission_find_duplicates (self, job->upload);
        }
      else
        job->file_problem = g_strdup (error->message);

      /* the position matters only for a per-account limit (Moov): a
       * search of the list per file is a thousand searches for a drop */
      if (dossier_provider_get_file_rules (self->provider)->per_account > 0)
        g_list_store_find (self->uploads, job->upload, &position);
      _dossier_submission_apply_validation (self, job, position);
    }

  _dossier_submission_job_unref (job);

  _dossier_submission_pump_checks (self);
  /* counted once per main-loop pass while checks go on, and at once
   * when the last one is done */
  if (self->n_checking > 0 || !g_queue_is_empty (&self->check_queue))
    queue_update_counts (self);
  else
    {
      g_clear_handle_id (&self->counts_idle, g_source_remove);
      _dossier_submission_update_counts (self);
    }
  _dossier_submission_update_validating (self);
}

void
_dossier_submission_pump_checks (DossierSubmission *self)
{
  /* the duplicate guard asks the record once a file is checked: read it
   * off this thread meanwhile */
  if (!g_queue_is_empty (&self->check_queue))
    _dossier_submission_preload_history (self);

  while (self->n_checking < MAX_CHECKS && !g_queue_is_empty (&self->check_queue))
    {
      Job *job = g_queue_pop_head (&self->check_queue);
      g_autoptr(GTask) task = NULL;
      CheckData *data;

      data = g_new0 (CheckData, 1);
      data->provider = g_object_ref (self->provider);
      data->file = g_object_ref (dossier_upload_get_file (job->upload));

      task = g_task_new (NULL, job->check_cancellable, check_done_cb, job);
      g_task_set_source_tag (task, _dossier_submission_pump_checks);
      g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
      self->n_checking++;
      g_task_run_in_thread (task, check_thread);
    }
}

void
_dossier_submission_update_validating (DossierSubmission *self)
{
  gboolean validating = self->n_checking > 0 || self->n_enumerating > 0 ||
                        !g_queue_is_empty (&self->check_queue) ||
                        self->history_waiting;  /* the duplicate guard's answer */

  if (validating == self->validating)
    return;

  self->validating = validating;
  _dossier_submission_notify (self, PROP_VALIDATING);
  if (!validating)
    _dossier_submission_emit (self, VALIDATED);
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
  MissingChoices missing = { 0, };

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);

  if (!self->validating && self->n_invalid > 0)
    _dossier_submission_foreach_job (self, count_missing_job, &missing);

  if (self->validating)
    reason = g_strdup (_("Some files are still being checked"));
  else if (self->n_ready == 0 && !_dossier_submission_has_held_back (self))
    reason = self->n_invalid > 0 ? g_strdup (_("Fix the problems shown next to the files first"))
                                 : g_strdup (_("Add the files to send"));
  /* not sent without it, so not left behind unnoticed either */
  else if (missing.n == 1)
    /* Translators: "“scan.png” has no Document code yet: choose one on its row" */
    reason = g_strdup_printf (_("“%s” has no %s yet: choose one on its row"),
                              missing.name, missing.label);
  else if (missing.n > 1)
    /* Translators: "“scan.png” and 2 more files have no Document code yet: …" */
    reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "“%s” and %u more file have no %s yet: choose one on their rows",
                                           "“%s” and %u more files have no %s yet: choose one on their rows",
                                           missing.n - 1),
                              missing.name, missing.n - 1, missing.label);
  else
    dossier_submission_settings_ready (self, &reason);

  if (out_reason != NULL)
    *out_reason = reason;
  else
    g_free (reason);

  return reason == NULL;
}
