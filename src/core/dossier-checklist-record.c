/* dossier-checklist-record.c: a merchant's uploads, from the record, as the checklist reads them
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The record of uploads (DossierHistory) keeps, for every finished upload,
 * the merchant it was sent for, the provider, environment and account
 * values, the document values (category, code, filePurpose, metadata…),
 * the requirement it answers, the remote id, status and link. The
 * checklist needs those of one merchant, one provider and one environment
 * as DossierChecklistUpload: Kore.ai and receeve show the uploads made,
 * DOKU's items their uploaded or expired links, Moov's the requirement
 * each upload answered. Only the public history API is used.
 */

#include "config.h"

#include "dossier-checklist-private.h"
#include "dossier-checklist-record.h"
#include "dossier-history-entry.h"

/* The entry was sent to the same account: every value it recorded that
 * the merchant also has is the merchant's (a merchant whose Moov account
 * changed does not count the old account's uploads) */
static gboolean
same_account (DossierHistoryEntry *entry,
              GHashTable          *account_values)
{
  GHashTableIter iter;
  gpointer key, value;

  if (account_values == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, account_values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *sent = dossier_history_entry_get_account_value (entry, key);

      if (sent != NULL && g_strcmp0 (sent, value) != 0)
        return FALSE;
    }
  return TRUE;
}

static DossierChecklistUpload *
upload_from_entry (DossierHistoryEntry           *entry,
                   const DossierRequirementsSpec *spec)
{
  DossierChecklistUpload *upload = dossier_checklist_upload_new ();
  g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);
  JsonObject *object = json_node_get_object (node);
  JsonObject *document = NULL;
  GDateTime *expires = dossier_history_entry_get_link_expires (entry);
  g_autofree char *meta_requirement = NULL;

  if (json_object_has_member (object, "document") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "document")))
    document = json_object_get_object_member (object, "document");
  if (document != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, document);
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
          dossier_checklist_upload_set_field (upload, name, json_node_get_string (value));
    }

  upload->requirement_id = g_strdup (dossier_history_entry_get_requirement_id (entry));
  /* the error it answered is in the metadata it carried (Moov) */
  if (spec != NULL && spec->metadata_field != NULL)
    _dossier_checklist_read_metadata (g_hash_table_lookup (upload->fields, spec->metadata_field),
                                      &meta_requirement, &upload->error_code);
  if (upload->requirement_id == NULL)
    upload->requirement_id = g_steal_pointer (&meta_requirement);
  upload->file_name = g_strdup (dossier_history_entry_get_file_name (entry));
  upload->remote_id = g_strdup (dossier_history_entry_get_remote_id (entry));
  upload->remote_status = g_strdup (dossier_history_entry_get_remote_status (entry));
  upload->message = g_strdup (dossier_history_entry_get_message (entry));
  upload->review_reason = g_strdup (dossier_history_entry_get_decision_reason (entry));
  upload->review_code = g_strdup (dossier_history_entry_get_error_code (entry));
  upload->link_expires = expires != NULL ? g_date_time_to_unix (expires) : 0;
  upload->time = g_date_time_to_unix (dossier_history_entry_get_finished_at (entry));
  upload->sent = dossier_history_entry_get_success (entry);
  upload->outcome_unknown = dossier_history_entry_get_outcome_unknown (entry);
  return upload;
}

/**
 * dossier_checklist_uploads_from_history:
 * @history: the record of uploads: a GListModel of DossierHistoryEntry
 * @provider: the provider
 * @environment: (nullable): its environment id; %NULL: any
 * @merchant_id: the merchant
 * @account_values: (element-type utf8 utf8) (nullable): the merchant's
 *   account values for @provider: an upload recorded with another value
 *   for one of them went to another account and is left out
 *
 * The merchant's uploads to @provider, as dossier_checklist_update() and
 * dossier_checklist_refresh_async() take them: every finished one (sent,
 * failed or with an unknown outcome; the checklist counts only those that
 * may have arrived), newest first. Other merchants' rows, rows for no
 * merchant and rows of other providers or environments are not counted.
 *
 * Returns: (transfer full) (element-type DossierChecklistUpload): the
 *   uploads, maybe none
 */
GPtrArray *
dossier_checklist_uploads_from_history (GListModel      *history,
                                        DossierProvider *provider,
                                        const char      *environment,
                                        const char      *merchant_id,
                                        GHashTable      *account_values)
{
  GPtrArray *uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_checklist_upload_free);
  const DossierRequirementsSpec *spec;
  const char *provider_id;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (history), uploads);
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), uploads);

  if (merchant_id == NULL || *merchant_id == '\0')
    return uploads;

  spec = dossier_provider_get_requirements (provider);
  provider_id = dossier_provider_get_id (provider);
  n = g_list_model_get_n_items (history);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (history, i);

      if (entry == NULL ||
          g_strcmp0 (dossier_history_entry_get_merchant_id (entry), merchant_id) != 0 ||
          g_strcmp0 (dossier_history_entry_get_provider_id (entry), provider_id) != 0 ||
          (environment != NULL && g_strcmp0 (dossier_history_entry_get_environment (entry), environment) != 0) ||
          !same_account (entry, account_values))
        continue;
      g_ptr_array_add (uploads, upload_from_entry (entry, spec));
    }
  return uploads;
}
