/* dossier-submission-record.c: the lines a submission writes to the history
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "queued", "started", "cancelled", "removed" and the finished entry of
 * every upload (see dossier-history.c). A line that cannot be written is
 * said through the record-error signal.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-history-private.h"
#include "dossier-redact.h"
#include "dossier-submission-private.h"

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

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

/* The credentials of this submission, to mask in what is recorded */
static void
collect_hide (DossierSubmission *self,
              const char        *hide[3])
{
  guint n = 0;

  hide[0] = hide[1] = hide[2] = NULL;
  if (self->credentials != NULL)
    {
      const char *secret = dossier_credentials_get_secret (self->credentials);
      const char *client_secret = dossier_credentials_get_client_secret (self->credentials);

      if (_dossier_submission_has_text (secret))
        hide[n++] = secret;
      if (_dossier_submission_has_text (client_secret))
        hide[n++] = client_secret;
    }
}

/* A line of the record: for "queued", what it takes to send @upload again
 * (never a credential: one pasted into a value is masked) */
JsonObject *
_dossier_submission_record_event_new (DossierSubmission *self,
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
      g_autoptr(GHashTable) values = _dossier_submission_effective_values (self, upload);
      g_autoptr(GList) names = g_hash_table_get_keys (values);
      JsonObject *members = json_object_new ();
      GFile *file = dossier_upload_get_file (upload);
      g_autoptr(DossierRedact) redact = dossier_redact_new ();
      const char *hide[3];

      collect_hide (self, hide);
      dossier_redact_add_strv (redact, hide);

      json_object_set_string_member (object, "provider_id", dossier_provider_get_id (self->provider));
      if (self->environment != NULL)
        json_object_set_string_member (object, "environment", self->environment);
      if (self->base_url != NULL)
        json_object_set_string_member (object, "base_url", self->base_url);
      /* for whoever restores it: the merchant it was for */
      if (self->merchant_id != NULL)
        json_object_set_string_member (object, "merchant_id", self->merchant_id);
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
        {
          g_autofree char *value = dossier_redact_apply_data (redact, g_hash_table_lookup (values, l->data));

          json_object_set_string_member (members, l->data, value);
        }
      json_object_set_object_member (object, "values", members);
    }

  return object;
}

void
_dossier_submission_report_record_error (DossierSubmission *self,
                                         DossierUpload     *upload,
                                         const char        *message)
{
  g_debug ("%s", message);
  _dossier_submission_emit (self, RECORD_ERROR, upload, message);
}

/* A line given to the history's writer, until it is on the disk; who to
 * tell when it fails (weak: neither is kept alive for it) */
typedef struct
{
  DossierSubmission   *self;
  DossierUpload       *upload;
  char                *name;
  const char          *event;
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
    _dossier_submission_update_counts (self);
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
      if (self != NULL)
        self->record_error_said = FALSE;
      recording_free (recording);
      return;
    }

  /* a full disk fails every line: said once while writes keep failing,
   * and then for every file that ends (with its id) */
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
  _dossier_submission_report_record_error (self, recording->upload, message);
  recording_free (recording);
}

/* Given to the history's writer (off the main thread); a failure is
 * reported when it is known */
void
_dossier_submission_record_events (DossierSubmission *self,
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
void
_dossier_submission_record_queued (DossierSubmission *self)
{
  g_autoptr(GPtrArray) events = g_steal_pointer (&self->queued_events);

  self->queued_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  if (self->record_history)
    _dossier_submission_record_events (self, events, NULL, "queued");
}

/* Its body is about to go out: from now on it may have been sent */
void
_dossier_submission_record_started (DossierSubmission *self,
                                    DossierUpload     *upload)
{
  g_autoptr(GPtrArray) events = NULL;

  if (!self->record_history)
    return;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_ptr_array_add (events, _dossier_submission_record_event_new (self, upload, "started"));
  _dossier_submission_record_events (self, events, upload, "started");
}

/* Cancelled: not sent when its body did not go out whole */
void
_dossier_submission_record_cancelled (DossierSubmission *self,
                                      DossierUpload     *upload)
{
  g_autoptr(GPtrArray) events = NULL;
  guint64 total = dossier_upload_get_total_bytes (upload);
  JsonObject *event;

  if (self == NULL || !self->record_history)
    return;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  event = _dossier_submission_record_event_new (self, upload, "cancelled");
  json_object_set_boolean_member (event, "body_sent",
                                  total == 0 || dossier_upload_get_bytes_sent (upload) >= total);
  g_ptr_array_add (events, event);
  _dossier_submission_record_events (self, events, upload, "cancelled");
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

  if (dossier_history_append_finish (DOSSIER_HISTORY (object), result, &error))
    {
      if (recording->self != NULL)
        recording->self->record_error_said = FALSE;
      recording_free (recording);
      return;
    }
  if (recording->self == NULL)
    {
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
  _dossier_submission_report_record_error (recording->self, recording->upload, message);
  recording_free (recording);
}

/* An upload ended sent or failed: a line in the history, without any
 * credential of this submission. The same line takes it off the unsent
 * list. */
void
_dossier_submission_record_finished (DossierSubmission *self,
                                     DossierUpload     *upload)
{
  Recording *recording;
  const char *hide[3];
  g_autoptr(GHashTable) account = NULL;
  g_autoptr(GHashTable) document = NULL;
  g_autofree char *requirement_id = NULL;

  if (self == NULL || !self->record_history)
    return;

  collect_hide (self, hide);
  recording = recording_new (self, upload, "finished");
  recording->entry = dossier_history_entry_new_for_upload (self->provider, self->environment, upload, hide);
  /* its merchant, account, document values and requirement
   * (dossier-submission-merchant.c) */
  account = _dossier_submission_scope_values (self, upload, DOSSIER_FIELD_SCOPE_ACCOUNT);
  document = _dossier_submission_scope_values (self, upload, DOSSIER_FIELD_SCOPE_DOCUMENT);
  requirement_id = _dossier_submission_requirement_id (self, upload);
  _dossier_history_entry_set_merchant (recording->entry, self->merchant_id, account, document,
                                       requirement_id, hide);
  dossier_history_append_async (dossier_history_get_default (), recording->entry,
                                record_finished_cb, recording);
}
