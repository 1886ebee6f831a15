/* dossier-submission.c: one merchant's documents for one provider
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model the GUI and the CLI drive: the object, its properties and
 * where it sends. Files are checked in worker threads, then their values;
 * uploads are sent at most max-concurrent at once, and everything the user
 * sees changes on the main context. The instance struct is in
 * dossier-submission-private.h; the rest is one concern a file:
 *
 *   dossier-submission-values.c  the values a submission sends
 *   dossier-submission-checks.c  readiness, validation, file checks
 *   dossier-submission-list.c    adding, removing and counting uploads
 *   dossier-submission-send.c    starting, sending and stopping uploads
 *   dossier-submission-retry.c   performing the retry decision, resending
 *   dossier-submission-record.c  the lines written to the history
 *   dossier-submission-queue.c   the saved unsent queue, restoring it
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dossier-submission-private.h"

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DossierSubmission, dossier_submission, G_TYPE_OBJECT)

/* For the other files: a property of @self changed */
void
_dossier_submission_notify (DossierSubmission *self,
                            guint              prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* For the other files: emits @signal_id (FINISHED...) with its arguments */
void
_dossier_submission_emit (DossierSubmission *self,
                          guint              signal_id,
                          ...)
{
  va_list args;

  va_start (args, signal_id);
  g_signal_emit_valist (self, signals[signal_id], 0, args);
  va_end (args);
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

  if (_dossier_submission_has_text (self->base_url))
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
      if (!_dossier_submission_has_text (env->base_url))
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

  if (_dossier_submission_has_text (self->base_url))
    return dossier_provider_is_sandbox_url (self->base_url);

  env = dossier_provider_lookup_environment (self->provider, self->environment);
  return env != NULL && dossier_provider_is_sandbox_url (env->base_url);
}

/* "the sandbox" or the host name, for "Connection to … was lost" */
char *
_dossier_submission_describe_host (DossierSubmission *self,
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
      _dossier_submission_schedule_save (self);
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

  if (set_str (&self->base_url, _dossier_submission_has_text (base_url) ? base_url : NULL))
    {
      forget_auth (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
      _dossier_submission_schedule_save (self);
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
  _dossier_submission_update_max_threads (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONCURRENT]);
  _dossier_submission_pump_sending (self);
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

  /* what is still to send outlives the submission */
  if (self->save_source != NULL || self->queue_owned)
    dossier_submission_save_queue (self);
  g_clear_pointer (&self->save_source, dossier_source_clear);

  g_cancellable_cancel (self->cancellable);

  _dossier_submission_drop_jobs (self);

  g_clear_pointer (&self->progress_source, dossier_source_clear);
  g_clear_handle_id (&self->counts_idle, g_source_remove);
  g_clear_object (&self->uploads);
  g_clear_object (&self->auth);
  if (self->client != NULL)
    dossier_client_abort (self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->credentials);
  g_clear_object (&self->merchant_store);

  G_OBJECT_CLASS (dossier_submission_parent_class)->dispose (object);
}

static void
dossier_submission_finalize (GObject *object)
{
  DossierSubmission *self = DOSSIER_SUBMISSION (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->environment, g_free);
  g_clear_pointer (&self->merchant_id, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->sandbox_url, g_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->queue_path, g_free);
  _dossier_submission_queue_writer_free (self);
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
    case PROP_MERCHANT_ID:
      g_value_set_string (value, self->merchant_id);
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
    case PROP_MERCHANT_ID:
      dossier_submission_set_merchant_id (self, g_value_get_string (value));
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
  properties[PROP_MERCHANT_ID] = g_param_spec_string ("merchant-id", NULL, NULL, NULL, rw);
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
   * it was before the write. Also emitted, with @upload %NULL, when the
   * saved list of files not yet sent (see
   * dossier_submission_set_queue_path()) cannot be written or deleted.
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
  self->jobs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify) _dossier_submission_job_unref);
  self->stopping = g_ptr_array_new_with_free_func ((GDestroyNotify) _dossier_submission_job_unref);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->check_queue);
  g_queue_init (&self->send_queue);
}
