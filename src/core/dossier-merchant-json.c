/* dossier-merchant-json.c: a merchant's record as a line of the store's file
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-json-private.h"
#include "dossier-merchant-private.h"

void
_dossier_merchant_strip (DossierMerchant  *self,
                         DossierCatalogue *catalogue,
                         GPtrArray        *dropped)
{
  g_autofree const char **ids = NULL;
  guint n;

  ids = (const char **) g_hash_table_get_keys_as_array (self->accounts, &n);
  for (guint i = 0; i < n; i++)
    {
      DossierProvider *provider = dossier_catalogue_lookup (catalogue, ids[i]);
      GHashTable *values = g_hash_table_lookup (self->accounts, ids[i]);
      g_autofree const char **names = NULL;
      guint n_names;

      if (provider == NULL)
        continue;

      names = (const char **) g_hash_table_get_keys_as_array (values, &n_names);
      for (guint j = 0; j < n_names; j++)
        if (!dossier_merchant_field_is_storable (provider, names[j], NULL))
          {
            if (dropped != NULL)
              g_ptr_array_add (dropped, g_strdup_printf ("%s/%s", ids[i], names[j]));
            g_hash_table_remove (values, names[j]);
            self->generation++;
          }

      if (g_hash_table_size (values) == 0)
        g_hash_table_remove (self->accounts, ids[i]);
    }
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
               /* Translators: %s says what is wrong, e.g. "no name" */
               _("not a merchant’s record: %s"), what);
  return FALSE;
}

static gboolean
read_accounts (DossierMerchant  *self,
               JsonObject       *object,
               GError          **error)
{
  JsonNode *node = json_object_get_member (object, "accounts");
  JsonObjectIter iter;
  const char *provider_id;
  JsonNode *values_node;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("“accounts” is not an object"));

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &provider_id, &values_node))
    {
      JsonObjectIter values_iter;
      const char *field_name;
      JsonNode *value_node;

      if (!JSON_NODE_HOLDS_OBJECT (values_node))
        return invalid (error, _("an account’s values are not an object"));

      json_object_iter_init (&values_iter, json_node_get_object (values_node));
      while (json_object_iter_next (&values_iter, &field_name, &value_node))
        {
          if (!JSON_NODE_HOLDS_VALUE (value_node) ||
              json_node_get_value_type (value_node) != G_TYPE_STRING)
            return invalid (error, _("an account value is not a string"));
          _dossier_merchant_put_account_value (self, provider_id, field_name, json_node_get_string (value_node));
        }
    }

  return TRUE;
}

/* What the setters keep of @value, at once when it is already clean */
static char *
read_text (const char *value,
           gsize       max,
           gboolean    strip)
{
  g_autofree char *stripped = NULL;
  gsize length;

  if (value == NULL || value[0] == '\0')
    return NULL;

  length = strlen (value);
  if (length <= max && g_utf8_validate_len (value, length, NULL) &&
      (!strip || (!g_ascii_isspace (value[0]) && !g_ascii_isspace (value[length - 1]))))
    return g_strndup (value, length);

  if (strip)
    value = stripped = g_strstrip (g_strdup (value));
  return _dossier_merchant_clean_text (value, max, TRUE);
}

DossierMerchant *
_dossier_merchant_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(DossierMerchant) self = g_object_new (DOSSIER_TYPE_MERCHANT, NULL);
  JsonNode *format = json_object_get_member (object, "format");
  const char *id = _dossier_json_get_string (object, "id");
  const char *name = _dossier_json_get_string (object, "name");

  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      json_node_get_value_type (format) != G_TYPE_INT64 || json_node_get_int (format) < 1)
    {
      invalid (error, _("no format number"));
      return NULL;
    }
  if (json_node_get_int (format) > DOSSIER_MERCHANT_FORMAT)
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NEWER,
                   _("written by a newer version of Dossier (format %u): left as it is"),
                   (guint) MIN (json_node_get_int (format), G_MAXUINT));
      return NULL;
    }
  if (id == NULL || !g_uuid_string_is_valid (id))
    {
      invalid (error, _("no valid id"));
      return NULL;
    }
  if (name == NULL || name[0] == '\0')
    {
      invalid (error, _("no name"));
      return NULL;
    }

  /* set as the setters would, without their notifications: a load reads
   * thousands of records */
  self->id = g_strdup (id);
  self->name = read_text (name, DOSSIER_MERCHANT_MAX_NAME, TRUE);
  self->reference = read_text (_dossier_json_get_string (object, "reference"), DOSSIER_MERCHANT_MAX_NAME, TRUE);
  self->notes = read_text (_dossier_json_get_string (object, "notes"), DOSSIER_MERCHANT_MAX_NOTES, FALSE);
  if (self->name == NULL)
    {
      invalid (error, _("no name"));
      return NULL;
    }
  _dossier_json_read_time (object, "created", &self->created);
  _dossier_json_read_time (object, "modified", &self->modified);
  if (self->modified == NULL)
    self->modified = self->created != NULL ? g_date_time_ref (self->created) : g_date_time_new_now_utc ();
  if (self->created == NULL)
    self->created = g_date_time_ref (self->modified);

  if (!read_accounts (self, object, error))
    return NULL;
  _dossier_merchant_read_checklists_json (self, object);

  return g_steal_pointer (&self);
}

JsonNode *
_dossier_merchant_to_json (DossierMerchant *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree const char **ids = NULL;
  guint n;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, DOSSIER_MERCHANT_FORMAT);
  _dossier_json_add_string (builder, "id", self->id);
  _dossier_json_add_string (builder, "name", self->name);
  _dossier_json_add_string (builder, "reference", self->reference);
  _dossier_json_add_string (builder, "notes", self->notes);
  _dossier_json_add_time (builder, "created", self->created);
  _dossier_json_add_time (builder, "modified", self->modified);

  /* sorted, so a record saved twice is the same text */
  ids = (const char **) g_hash_table_get_keys_as_array (self->accounts, &n);
  qsort (ids, n, sizeof (char *), _dossier_merchant_compare_strings);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      GHashTable *values = g_hash_table_lookup (self->accounts, ids[i]);
      g_autofree const char **names = NULL;
      guint n_names;

      names = (const char **) g_hash_table_get_keys_as_array (values, &n_names);
      qsort (names, n_names, sizeof (char *), _dossier_merchant_compare_strings);
      json_builder_set_member_name (builder, ids[i]);
      json_builder_begin_object (builder);
      for (guint j = 0; j < n_names; j++)
        _dossier_json_add_string (builder, names[j], g_hash_table_lookup (values, names[j]));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  _dossier_merchant_add_checklists_json (self, builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
