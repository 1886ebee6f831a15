/* dossier-field-json.c: the value of a JSON field whose keys are listed
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A field with json_keys in its descriptor (Moov's metadata) takes a JSON
 * object of strings. Nobody types that JSON: a form has one text per key,
 * and these two functions go from the texts to the value and back.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "dossier-field-json.h"
#include "dossier-json.h"

/**
 * dossier_field_json_build:
 * @texts: one text per key of dossier_field_get_json_keys(), in that order;
 *   %NULL or blank for a key that is not set
 *
 * Returns: (transfer full) (nullable): the JSON object of the keys that are
 *   set, in the descriptor's order, their texts stripped of surrounding
 *   spaces; %NULL when none is set. json-glib does the quoting.
 */
char *
dossier_field_json_build (DossierField       *field,
                          const char * const *texts)
{
  const char * const *keys;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint n_set = 0;

  g_return_val_if_fail (DOSSIER_IS_FIELD (field), NULL);
  g_return_val_if_fail (texts != NULL, NULL);

  keys = dossier_field_get_json_keys (field);
  g_return_val_if_fail (keys != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *text = g_strdup (texts[i] != NULL ? texts[i] : "");

      g_strstrip (text);
      if (*text == '\0')
        continue;
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_string_value (builder, text);
      n_set++;
    }
  json_builder_end_object (builder);

  if (n_set == 0)
    return NULL;

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * dossier_field_json_split:
 * @value: (nullable): the field's value, %NULL or empty when not set
 *
 * Returns: (transfer full) (nullable): one text per key of
 *   dossier_field_get_json_keys(), in that order, "" for a key @value does
 *   not have; %NULL when @value is not a JSON object of strings whose
 *   members are all among the keys (dossier_field_validate() says why).
 */
char **
dossier_field_json_split (DossierField *field,
                          const char   *value)
{
  const char * const *keys;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(GStrvBuilder) texts = NULL;

  g_return_val_if_fail (DOSSIER_IS_FIELD (field), NULL);

  keys = dossier_field_get_json_keys (field);
  g_return_val_if_fail (keys != NULL, NULL);

  if (value != NULL && *value != '\0')
    {
      JsonNode *root;

      parser = json_parser_new ();
      if (!dossier_json_load (parser, value, -1, 0, NULL))
        return NULL;
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        return NULL;
      object = json_node_get_object (root);
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (!g_strv_contains (keys, l->data)
              || !JSON_NODE_HOLDS_VALUE (member)
              || json_node_get_value_type (member) != G_TYPE_STRING)
            return NULL;
        }
    }

  texts = g_strv_builder_new ();
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *text = NULL;

      if (object != NULL && json_object_has_member (object, keys[i]))
        text = json_object_get_string_member (object, keys[i]);
      g_strv_builder_add (texts, text != NULL ? text : "");
    }

  return g_strv_builder_end (texts);
}
