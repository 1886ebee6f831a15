/* dossier-checklist-parse.c: reading a provider's requirement answer and file list
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions, fed fixtures by the tests: the answer's text goes through
 * the bounded JSON loader; an answer that is not in the shape the
 * descriptor describes is refused with what is wrong, in plain words.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-checklist-private.h"
#include "dossier-json-private.h"

void
_dossier_checklist_due_free (gpointer data)
{
  DossierChecklistDue *due = data;

  g_free (due->id);
  g_free (due->name);
  g_free (due->error_code);
  g_free (due);
}

void
_dossier_checklist_file_free (gpointer data)
{
  DossierChecklistFile *file = data;

  g_free (file->id);
  g_free (file->reason);
  g_free (file->requirement_id);
  g_free (file->error_code);
  g_free (file);
}

/* A dot path ("requirements.currentlyDue"; numbers index lists); NULL or
 * "" is the node itself */
static JsonNode *
path_node (JsonNode   *node,
           const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || *path == '\0')
    return node;

  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index;

          if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT, &index, NULL) ||
              index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, (guint) index);
        }
      else
        return NULL;
    }
  return node;
}

static gboolean
refuse (GError    **error,
        const char *provider_name,
        const char *why)
{
  /* Translators: "Could not read Moov's requirements: “requirements.currentlyDue” is not a list" */
  g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
               _("Could not read %s’s answer: %s"), provider_name, why);
  return FALSE;
}

static JsonNode *
load (JsonParser  *parser,
      const char  *provider_name,
      const char  *data,
      gssize       length,
      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!dossier_json_load (parser, data, length, DOSSIER_CHECKLIST_ANSWER_MAX, &local_error))
    {
      g_autofree char *why = NULL;

      if (local_error->domain == DOSSIER_JSON_ERROR)
        /* Translators: "it is too large (more than 1.0 MB)", "it is nested too deeply (over 64 levels)" */
        why = g_strdup_printf (_("it is %s"), local_error->message);
      else
        why = g_strdup_printf (_("it is not JSON (%s)"), local_error->message);
      refuse (error, provider_name, why);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || (!JSON_NODE_HOLDS_OBJECT (root) && !JSON_NODE_HOLDS_ARRAY (root)))
    {
      refuse (error, provider_name, _("it is neither a JSON object nor a list"));
      return NULL;
    }
  return root;
}

static gboolean
wrong_type (GError    **error,
            const char *provider_name,
            const char *path,
            const char *expected)
{
  /* Translators: "“requirements.currentlyDue” is not a list" */
  g_autofree char *why = g_strdup_printf (_("“%s” is not %s"), path, expected);

  return refuse (error, provider_name, why);
}

static const char *
string_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static DossierChecklistDue *
due_for (GPtrArray   *list,
         GHashTable  *seen,
         const char  *id)
{
  DossierChecklistDue *due = g_hash_table_lookup (seen, id);

  if (due == NULL)
    {
      due = g_new0 (DossierChecklistDue, 1);
      due->id = g_strdup (id);
      g_ptr_array_add (list, due);
      g_hash_table_insert (seen, due->id, due);
    }
  return due;
}

/* "find": every object below @node with a string member @member */
static void
find_all (JsonNode                      *node,
          const DossierRequirementsSpec *spec,
          GPtrArray                     *list,
          GHashTable                    *seen)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        find_all (json_array_get_element (array, i), spec, list, seen);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      const char *id = _dossier_json_get_string (object, spec->find);
      g_autoptr(GList) members = NULL;

      if (id != NULL && *id != '\0')
        {
          DossierChecklistDue *due = due_for (list, seen, id);

          due->due = TRUE;
          if (due->name == NULL && spec->find_name != NULL)
            due->name = _dossier_json_dup_string (object, spec->find_name);
        }

      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        find_all (json_object_get_member (object, l->data), spec, list, seen);
    }
}

static gboolean
read_entry (JsonNode                      *entry,
            const DossierRequirementsSpec *spec,
            const char                    *provider_name,
            GPtrArray                     *list,
            GHashTable                    *seen,
            GError                       **error)
{
  JsonNode *node;

  if (spec->find != NULL)
    {
      find_all (entry, spec, list, seen);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (entry))
    return refuse (error, provider_name, _("an entry of the list is not an object"));

  node = path_node (entry, spec->due);
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return wrong_type (error, provider_name, spec->due, _("a list"));
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *id = string_of (json_array_get_element (array, i));

          if (id == NULL)
            return wrong_type (error, provider_name, spec->due, _("a list of requirement ids"));
          if (*id != '\0')
            due_for (list, seen, id)->due = TRUE;
        }
    }

  node = spec->errors != NULL ? path_node (entry, spec->errors) : NULL;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return wrong_type (error, provider_name, spec->errors, _("a list"));
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *id = NULL;
          const char *code = NULL;
          DossierChecklistDue *due;

          if (JSON_NODE_HOLDS_OBJECT (element))
            {
              id = _dossier_json_get_string (json_node_get_object (element), spec->error_requirement);
              code = _dossier_json_get_string (json_node_get_object (element), spec->error_code);
            }
          if (id == NULL || code == NULL || *id == '\0')
            return wrong_type (error, provider_name, spec->errors, _("a list of errors with a requirement and a code"));

          due = due_for (list, seen, id);
          if (due->error_code == NULL)
            due->error_code = g_strdup (code);
        }
    }

  return TRUE;
}

GPtrArray *
_dossier_checklist_parse_answer (const DossierRequirementsSpec *spec,
                                 const char                    *provider_name,
                                 const char                    *data,
                                 gssize                         length,
                                 GError                       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (_dossier_checklist_due_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root;
  JsonNode *entries;

  g_return_val_if_fail (spec != NULL && (spec->due != NULL || spec->find != NULL), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if ((root = load (parser, provider_name, data, length, error)) == NULL)
    return NULL;

  entries = path_node (root, spec->entries);
  if (entries == NULL || (!JSON_NODE_HOLDS_ARRAY (entries) && !JSON_NODE_HOLDS_OBJECT (entries)))
    {
      wrong_type (error, provider_name, spec->entries ? spec->entries : "", _("a list or an object"));
      return NULL;
    }

  if (JSON_NODE_HOLDS_ARRAY (entries) && spec->find == NULL)
    {
      JsonArray *array = json_node_get_array (entries);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!read_entry (json_array_get_element (array, i), spec, provider_name, list, seen, error))
          return NULL;
    }
  else if (!read_entry (entries, spec, provider_name, list, seen, error))
    return NULL;

  return g_steal_pointer (&list);
}

/* The metadata a provider keeps as a JSON string (Moov's own example is
 * broken JSON): read leniently, nothing when it does not parse */
void
_dossier_checklist_read_metadata (const char  *text,
                                  char       **requirement_id,
                                  char       **error_code)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (text == NULL || *text == '\0' ||
      !dossier_json_load (parser, text, -1, 64 * 1024, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  *requirement_id = _dossier_json_dup_string (json_node_get_object (root), "requirement_id");
  *error_code = _dossier_json_dup_string (json_node_get_object (root), "error_code");
}

GPtrArray *
_dossier_checklist_parse_files (const DossierRequirementsSpec *spec,
                                const char                    *provider_name,
                                const char                    *data,
                                gssize                         length,
                                GError                       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (_dossier_checklist_file_free);
  JsonNode *root;
  JsonArray *array;

  g_return_val_if_fail (spec != NULL && spec->files_path != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if ((root = load (parser, provider_name, data, length, error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      refuse (error, provider_name, _("the list of files is not a list"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      DossierChecklistFile *file;
      JsonObject *object;
      const char *id;
      const char *status;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          (id = _dossier_json_get_string ((object = json_node_get_object (element)), spec->files_id)) == NULL ||
          (status = _dossier_json_get_string (object, spec->files_status)) == NULL)
        {
          /* Translators: "a file in the list has no “fileID” or “fileStatus”" */
          g_autofree char *why = g_strdup_printf (_("a file in the list has no “%s” or “%s”"),
                                                  spec->files_id, spec->files_status);
          refuse (error, provider_name, why);
          return NULL;
        }

      file = g_new0 (DossierChecklistFile, 1);
      file->id = g_strdup (id);
      if (g_strv_contains ((const char * const *) spec->files_accepted, status))
        file->state = DOSSIER_CHECKLIST_STATE_ACCEPTED;
      else if (g_strv_contains ((const char * const *) spec->files_rejected, status))
        file->state = DOSSIER_CHECKLIST_STATE_REJECTED;
      else
        file->state = DOSSIER_CHECKLIST_STATE_UPLOADED;
      if (spec->files_reason != NULL)
        file->reason = _dossier_json_dup_string (object, spec->files_reason);
      if (spec->files_metadata != NULL)
        _dossier_checklist_read_metadata (_dossier_json_get_string (object, spec->files_metadata),
                       &file->requirement_id, &file->error_code);
      g_ptr_array_add (list, file);
    }

  return g_steal_pointer (&list);
}

gboolean
_dossier_checklist_match_id (const char *pattern,
                             const char *id,
                             GHashTable *captures)
{
  g_auto(GStrv) want = g_strsplit (pattern, ".", -1);
  g_auto(GStrv) have = g_strsplit (id, ".", -1);

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;

  for (guint i = 0; want[i] != NULL; i++)
    {
      gsize len = strlen (want[i]);

      if (len >= 3 && want[i][0] == '{' && want[i][len - 1] == '}')
        {
          if (*have[i] == '\0')
            return FALSE;
          if (captures != NULL)
            g_hash_table_replace (captures, g_strndup (want[i] + 1, len - 2), g_strdup (have[i]));
        }
      else if (!g_str_equal (want[i], have[i]))
        return FALSE;
    }
  return TRUE;
}

