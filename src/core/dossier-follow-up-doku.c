/* dossier-follow-up-doku.c: DOKU's Get Business Data read back: the review states it gives
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /adv-core-api/partner/v1.0/business/{id} answers the business with
 * its brands; DOKU documents brand members such as finance_status
 * (PROBATION) and risk_engine_status (ON_PROCESS) and the photo_proofs
 * [{id, photo}], not the full list of status values nor where a
 * document's own state is.  Every object below "brands" with an "id" of
 * an upload in the record and a "status" member gives that upload's
 * status, taken as it comes: an undocumented value is recorded and shown
 * as it is, never read as approved or rejected.  ON_PROCESS is the one
 * value read as "not decided yet".  A brand's own statuses are not a
 * document's and are left alone.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-follow-up-private.h"
#include "dossier-json-private.h"

#define DOKU_UNDECIDED "ON_PROCESS"

/* id -> status of every object below @node that has both */
static void
collect (JsonNode   *node,
         GHashTable *states,
         guint       depth)
{
  if (node == NULL || depth > DOSSIER_JSON_MAX_DEPTH)
    return;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect (json_array_get_element (array, i), states, depth + 1);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      const char *id = _dossier_json_get_string (object, "id");
      const char *status = _dossier_json_get_string (object, "status");

      if (id != NULL && status != NULL)
        g_hash_table_replace (states, g_strdup (id), g_strdup (status));
      for (GList *l = members; l != NULL; l = l->next)
        collect (json_object_get_member (object, l->data), states, depth + 1);
    }
}

gboolean
_dossier_follow_up_doku_decide (DossierProvider *provider,
                                GPtrArray       *entries,
                                GBytes          *business,
                                GPtrArray       *statuses,
                                GPtrArray       *decisions,
                                GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonNode *root;
  JsonObject *object;

  if ((root = _dossier_follow_up_parse (provider, parser, business, error)) == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      /* Translators: "DOKU's business data is not a JSON object" */
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, _("%s’s business data is not a JSON object"),
                   dossier_provider_get_name (provider));
      return FALSE;
    }
  object = json_node_get_object (root);
  collect (json_object_get_member (object, "brands"), states, 0);

  for (guint i = entries->len; i > 0; i--)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (entries, i - 1);
      const char *remote_id = dossier_history_entry_get_remote_id (entry);
      const char *status = remote_id != NULL ? g_hash_table_lookup (states, remote_id) : NULL;

      if (status == NULL || g_strcmp0 (status, dossier_history_entry_get_remote_status (entry)) == 0)
        continue;
      g_ptr_array_add (statuses, dossier_history_status_new (entry, remote_id, status, NULL, NULL, FALSE));
      g_ptr_array_add (decisions, _dossier_follow_up_decision_new (entry, remote_id, status, NULL, NULL, FALSE,
                                                                   !g_str_equal (status, DOKU_UNDECIDED)));
    }

  return TRUE;
}
