/* dossier-history-status.c: the provider's review of an upload, as lines of the record
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A follow-up (dossier-follow-up.c) appends one line per decision that
 * came back:
 *
 *   {"event":"status","upload":ID,"remote_id":…,"remote_status":…,
 *    "decision_reason":…,"error_code":…,"reconciled":true,"at":…}
 *
 * "upload" is the upload's id in the record (absent for an entry older
 * than those ids: then "remote_id" names the entry). The line is folded
 * into its entry when the file is read and as it is given: the entry's
 * remote status is the provider's latest, with the reason and the time.
 * "reconciled": the upload's outcome was unknown and the provider's list
 * holds it: the entry reads sent with the provider's id, and the upload is
 * no longer "may have been sent". A file without such lines reads as it
 * did; a line whose entry is gone (compacted) changes nothing.
 */

#include "config.h"

#include <string.h>

#include "dossier-history-private.h"
#include "dossier-json-private.h"

/**
 * dossier_history_status_new:
 * @entry: the upload the provider decided on
 * @remote_id: (nullable): the provider's id for the file (a reconciled
 *   one's, found in the provider's list)
 * @remote_status: the provider's status, as it came ("approved", "REJECTED"…)
 * @decision_reason: (nullable): why, in the provider's words
 * @error_code: (nullable): the requirement error the provider named
 * @reconciled: an unknown outcome found sent
 *
 * Returns: (transfer full): the "status" line for
 *   dossier_history_append_events() (or its _async form)
 */
JsonObject *
dossier_history_status_new (DossierHistoryEntry *entry,
                            const char          *remote_id,
                            const char          *remote_status,
                            const char          *decision_reason,
                            const char          *error_code,
                            gboolean             reconciled)
{
  JsonObject *object = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  const char *upload = dossier_history_entry_get_record_id (entry);

  json_object_set_string_member (object, "event", "status");
  if (upload != NULL)
    json_object_set_string_member (object, "upload", upload);
  if (remote_id == NULL)
    remote_id = dossier_history_entry_get_remote_id (entry);
  if (remote_id != NULL)
    json_object_set_string_member (object, "remote_id", remote_id);
  json_object_set_string_member (object, "remote_status", remote_status);
  if (decision_reason != NULL)
    json_object_set_string_member (object, "decision_reason", decision_reason);
  if (error_code != NULL)
    json_object_set_string_member (object, "error_code", error_code);
  if (reconciled)
    json_object_set_boolean_member (object, "reconciled", TRUE);
  json_object_set_string_member (object, "at", at);

  return object;
}

static gboolean
entry_matches (DossierHistoryEntry *entry,
               const char          *upload,
               const char          *remote_id)
{
  if (upload != NULL)
    return g_strcmp0 (dossier_history_entry_get_record_id (entry), upload) == 0;
  return remote_id != NULL && g_strcmp0 (dossier_history_entry_get_remote_id (entry), remote_id) == 0;
}

/* A reconciled upload was sent: its record says so, and takes an earlier
 * copy of the same queued file off the unsent list as a sent line does */
static void
record_reconciled (GHashTable *records,
                   GHashTable *sent_keys,
                   const char *upload,
                   guint       line)
{
  Record *record = upload != NULL ? g_hash_table_lookup (records, upload) : NULL;
  char *key;

  if (record == NULL || record->state != DOSSIER_RECORD_STATE_UNKNOWN)
    return;
  record->state = DOSSIER_RECORD_STATE_SENT;
  g_clear_pointer (&record->message, g_free);
  if (_dossier_history_record_get_queued (record) != NULL &&
      (key = _dossier_history_queued_key (record->queued)) != NULL)
    g_hash_table_replace (sent_keys, key, GUINT_TO_POINTER (line));
}

/* While the file is read: the line's kind (3, or 0 when it is not a
 * status line one can read), and the upload it names in @out_id */
guint8
_dossier_history_status_scan (Scan        *scan,
                              JsonObject  *status,
                              const char **out_id)
{
  const char *upload = _dossier_json_get_string (status, "upload");
  const char *remote_id = _dossier_json_get_string (status, "remote_id");

  if (_dossier_json_get_string (status, "remote_status") == NULL || (upload == NULL && remote_id == NULL))
    return 0;

  /* the entry is before its status line: the newest first */
  for (guint i = scan->entries->len; i > 0; i--)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (scan->entries, i - 1);

      if (entry_matches (entry, upload, remote_id))
        {
          _dossier_history_entry_apply_status (entry, status);
          break;
        }
    }

  if (json_object_get_boolean_member_with_default (status, "reconciled", FALSE))
    record_reconciled (scan->records, scan->sent_keys, upload, scan->kinds->len);

  *out_id = upload;
  return 3;
}

/* As it is given: the entry in the model changes in place */
void
_dossier_history_status_note (DossierHistory *self,
                              JsonObject     *status)
{
  const char *upload = _dossier_json_get_string (status, "upload");
  const char *remote_id = _dossier_json_get_string (status, "remote_id");

  if (self->entries == NULL)
    return;

  for (guint i = 0; i < self->entries->len; i++)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry_matches (entry, upload, remote_id))
        {
          _dossier_history_entry_apply_status (entry, status);
          self->changes++;
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          break;
        }
    }

  if (self->records != NULL && json_object_get_boolean_member_with_default (status, "reconciled", FALSE))
    record_reconciled (self->records, self->sent_keys, upload, self->next_seq);
}
