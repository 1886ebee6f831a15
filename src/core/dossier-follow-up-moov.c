/* dossier-follow-up-moov.c: Moov's list of files read back: decisions and reconciled uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /accounts/{accountID}/files gives every file of the account with its
 * fileStatus (pending, approved, rejected) and decisionReason; the
 * capabilities' requirements.errors name the error code of a requirement a
 * file failed.  An upload recorded with a fileID takes the status of that
 * file when it changed.  An upload whose outcome is unknown (its answer
 * was lost after the body went) is looked for in the list: a file of the
 * same name (Moov keeps 64 characters of it) and size, created no more
 * than six hours before and five minutes after the upload ended, that no
 * other upload of the record claims; the closest in time wins, the oldest
 * unknown upload first.  Found, it is recorded sent ("reconciled") with
 * the real fileID and status; not found, it stays unknown.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-follow-up-private.h"
#include "dossier-json-private.h"

#define RECONCILE_BEFORE (6 * G_TIME_SPAN_HOUR)
#define RECONCILE_AFTER  (5 * G_TIME_SPAN_MINUTE)

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return object != NULL && name != NULL ? _dossier_json_get_string (object, name) : NULL;
}

/* requirement id -> error code, from every capability's errors */
static GHashTable *
capability_errors (JsonNode *root)
{
  GHashTable *errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *caps;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return errors;
  caps = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (caps); i++)
    {
      JsonNode *cap = json_array_get_element (caps, i);
      JsonObject *requirements;
      JsonNode *list;

      if (!JSON_NODE_HOLDS_OBJECT (cap) ||
          (requirements = _dossier_follow_up_get_object (json_node_get_object (cap), "requirements")) == NULL ||
          (list = json_object_get_member (requirements, "errors")) == NULL || !JSON_NODE_HOLDS_ARRAY (list))
        continue;
      for (guint j = 0; j < json_array_get_length (json_node_get_array (list)); j++)
        {
          JsonNode *error = json_array_get_element (json_node_get_array (list), j);
          const char *requirement, *code;

          if (!JSON_NODE_HOLDS_OBJECT (error))
            continue;
          requirement = member_string (json_node_get_object (error), "requirement");
          code = member_string (json_node_get_object (error), "errorCode");
          if (requirement != NULL && code != NULL)
            g_hash_table_replace (errors, g_strdup (requirement), g_strdup (code));
        }
    }
  return errors;
}

static gboolean
name_matches (const char *recorded,
              const char *listed)
{
  g_autofree char *cut = NULL;

  if (recorded == NULL || listed == NULL)
    return FALSE;
  if (g_str_equal (recorded, listed))
    return TRUE;
  /* Moov keeps the first 64 characters */
  cut = g_utf8_validate (recorded, -1, NULL) ? g_utf8_substring (recorded, 0, 64) : g_strndup (recorded, 64);
  return g_str_equal (cut, listed);
}

/* The unclaimed file of @files that is @entry, or NULL */
static JsonObject *
find_lost_upload (DossierHistoryEntry *entry,
                  JsonArray           *files,
                  const DossierRequirementsSpec *spec,
                  GHashTable          *claimed)
{
  GDateTime *finished = dossier_history_entry_get_finished_at (entry);
  gint64 size = dossier_history_entry_get_size (entry);
  JsonObject *best = NULL;
  GTimeSpan best_distance = G_MAXINT64;

  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonNode *node = json_array_get_element (files, i);
      JsonObject *file;
      const char *id;
      g_autoptr(GDateTime) created = NULL;
      GTimeSpan distance;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      file = json_node_get_object (node);
      id = member_string (file, spec->files_id);
      if (id == NULL || g_hash_table_contains (claimed, id))
        continue;
      if (!name_matches (dossier_history_entry_get_file_name (entry), member_string (file, "fileName")))
        continue;
      if (size >= 0 && json_object_get_int_member_with_default (file, "fileSizeBytes", -1) != size)
        continue;
      if (!_dossier_json_read_time (file, "createdOn", &created) || finished == NULL)
        continue;
      distance = g_date_time_difference (created, finished);
      if (distance < -RECONCILE_BEFORE || distance > RECONCILE_AFTER)
        continue;
      distance = ABS (distance);
      if (distance < best_distance)
        {
          best = file;
          best_distance = distance;
        }
    }
  return best;
}

static void
record (GPtrArray           *statuses,
        GPtrArray           *decisions,
        DossierHistoryEntry *entry,
        const DossierRequirementsSpec *spec,
        const char          *remote_id,
        const char          *status,
        const char          *reason,
        const char          *error_code,
        gboolean             reconciled)
{
  gboolean final = spec->files_pending == NULL || !g_strv_contains ((const char * const *) spec->files_pending, status);

  g_ptr_array_add (statuses, dossier_history_status_new (entry, remote_id, status, reason, error_code, reconciled));
  g_ptr_array_add (decisions, _dossier_follow_up_decision_new (entry, remote_id, status, reason, error_code,
                                                               reconciled, final));
}

gboolean
_dossier_follow_up_moov_decide (DossierProvider *provider,
                                GPtrArray       *entries,
                                GBytes          *files_answer,
                                GBytes          *capabilities_answer,
                                GPtrArray       *statuses,
                                GPtrArray       *decisions,
                                GError         **error)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (provider);
  g_autoptr(JsonParser) files_parser = json_parser_new ();
  g_autoptr(JsonParser) caps_parser = json_parser_new ();
  g_autoptr(GHashTable) errors = NULL;
  g_autoptr(GHashTable) claimed = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root;
  JsonArray *files;

  if ((root = _dossier_follow_up_parse (provider, files_parser, files_answer, error)) == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      /* Translators: "Moov's list of files is not a list" */
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, _("%s’s list of files is not a list"),
                   dossier_provider_get_name (provider));
      return FALSE;
    }
  files = json_node_get_array (root);
  errors = capability_errors (capabilities_answer != NULL
                              ? _dossier_follow_up_parse (provider, caps_parser, capabilities_answer, NULL)
                              : NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      const char *id = dossier_history_entry_get_remote_id (g_ptr_array_index (entries, i));

      if (id != NULL)
        g_hash_table_add (claimed, (gpointer) id);
    }

  /* oldest first: an older lost upload claims its file first */
  for (guint i = entries->len; i > 0; i--)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (entries, i - 1);
      const char *remote_id = dossier_history_entry_get_remote_id (entry);
      JsonObject *file = NULL;
      const char *status, *reason, *code = NULL;
      gboolean reconciled = FALSE;

      if (remote_id != NULL)
        {
          for (guint j = 0; file == NULL && j < json_array_get_length (files); j++)
            {
              JsonNode *node = json_array_get_element (files, j);

              if (JSON_NODE_HOLDS_OBJECT (node) &&
                  g_strcmp0 (member_string (json_node_get_object (node), spec->files_id), remote_id) == 0)
                file = json_node_get_object (node);
            }
        }
      else if (dossier_history_entry_get_outcome_unknown (entry))
        {
          file = find_lost_upload (entry, files, spec, claimed);
          if (file != NULL)
            {
              remote_id = member_string (file, spec->files_id);
              g_hash_table_add (claimed, (gpointer) remote_id);
              reconciled = TRUE;
            }
        }
      if (file == NULL)
        continue;

      status = member_string (file, spec->files_status);
      reason = member_string (file, spec->files_reason);
      if (status == NULL)
        continue;
      if (spec->files_rejected != NULL && g_strv_contains ((const char * const *) spec->files_rejected, status) &&
          dossier_history_entry_get_requirement_id (entry) != NULL)
        code = g_hash_table_lookup (errors, dossier_history_entry_get_requirement_id (entry));

      if (!reconciled &&
          g_strcmp0 (status, dossier_history_entry_get_remote_status (entry)) == 0 &&
          g_strcmp0 (reason, dossier_history_entry_get_decision_reason (entry)) == 0 &&
          g_strcmp0 (code, dossier_history_entry_get_error_code (entry)) == 0)
        continue;
      record (statuses, decisions, entry, spec, remote_id, status, reason, code, reconciled);
    }

  return TRUE;
}
