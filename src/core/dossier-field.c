/* dossier-field.c: one input of a provider's upload request
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-choice.h"
#include "dossier-field-private.h"
#include "dossier-json.h"

struct _DossierField
{
  GObject parent_instance;

  char *name;
  char *label;
  char *description;
  char *default_value;
  char *pattern_hint;
  GRegex *pattern;
  GStrv json_keys;
  char *condition_field;
  GStrv condition_values;
  GListStore *choices;

  DossierFieldType type;
  DossierFieldLocation location;
  DossierFieldScope scope;
  guint required : 1;
  guint searchable : 1;
  guint open : 1;
};

G_DEFINE_FINAL_TYPE (DossierField, dossier_field, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_LABEL,
  PROP_DESCRIPTION,
  PROP_FIELD_TYPE,
  PROP_LOCATION,
  PROP_SCOPE,
  PROP_REQUIRED,
  PROP_DEFAULT_VALUE,
  PROP_SEARCHABLE,
  PROP_OPEN,
  PROP_CHOICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dossier_field_dispose (GObject *object)
{
  DossierField *self = (DossierField *)object;

  g_clear_object (&self->choices);

  G_OBJECT_CLASS (dossier_field_parent_class)->dispose (object);
}

static void
dossier_field_finalize (GObject *object)
{
  DossierField *self = (DossierField *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->default_value, g_free);
  g_clear_pointer (&self->pattern_hint, g_free);
  g_clear_pointer (&self->pattern, g_regex_unref);
  g_clear_pointer (&self->json_keys, g_strfreev);
  g_clear_pointer (&self->condition_field, g_free);
  g_clear_pointer (&self->condition_values, g_strfreev);

  G_OBJECT_CLASS (dossier_field_parent_class)->finalize (object);
}

static void
dossier_field_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DossierField *self = DOSSIER_FIELD (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_FIELD_TYPE:
      g_value_set_enum (value, self->type);
      break;

    case PROP_LOCATION:
      g_value_set_enum (value, self->location);
      break;

    case PROP_SCOPE:
      g_value_set_enum (value, self->scope);
      break;

    case PROP_REQUIRED:
      g_value_set_boolean (value, self->required);
      break;

    case PROP_DEFAULT_VALUE:
      g_value_set_string (value, self->default_value);
      break;

    case PROP_SEARCHABLE:
      g_value_set_boolean (value, self->searchable);
      break;

    case PROP_OPEN:
      g_value_set_boolean (value, self->open);
      break;

    case PROP_CHOICES:
      g_value_set_object (value, self->choices);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_field_class_init (DossierFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dossier_field_dispose;
  object_class->finalize = dossier_field_finalize;
  object_class->get_property = dossier_field_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_FIELD_TYPE] =
    g_param_spec_enum ("field-type", NULL, NULL,
                       DOSSIER_TYPE_FIELD_TYPE, DOSSIER_FIELD_TYPE_TEXT, flags);
  properties[PROP_LOCATION] =
    g_param_spec_enum ("location", NULL, NULL,
                       DOSSIER_TYPE_FIELD_LOCATION, DOSSIER_FIELD_LOCATION_FORM, flags);
  properties[PROP_SCOPE] =
    g_param_spec_enum ("scope", NULL, NULL,
                       DOSSIER_TYPE_FIELD_SCOPE, DOSSIER_FIELD_SCOPE_DOCUMENT, flags);
  properties[PROP_REQUIRED] = g_param_spec_boolean ("required", NULL, NULL, FALSE, flags);
  properties[PROP_DEFAULT_VALUE] = g_param_spec_string ("default-value", NULL, NULL, NULL, flags);
  properties[PROP_SEARCHABLE] = g_param_spec_boolean ("searchable", NULL, NULL, FALSE, flags);
  properties[PROP_OPEN] = g_param_spec_boolean ("open", NULL, NULL, FALSE, flags);
  properties[PROP_CHOICES] =
    g_param_spec_object ("choices", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_field_init (DossierField *self)
{
  self->choices = g_list_store_new (DOSSIER_TYPE_CHOICE);
}

/* Descriptor parsing helpers: each failure names the place in the file. */

static gboolean
fail (GError           **error,
      DossierLocateFunc  locate,
      gpointer           locate_data,
      JsonObject        *object,
      const char        *member,
      const char        *message)
{
  g_autofree char *where = locate (object, member, locate_data);

  g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR, "%s: %s", where, message);
  return FALSE;
}

static gboolean
read_string (JsonObject        *object,
             const char        *member,
             gboolean           required,
             char             **out,
             DossierLocateFunc  locate,
             gpointer           locate_data,
             GError           **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_autofree char *msg = g_strdup_printf ("missing “%s”", member);
          return fail (error, locate, locate_data, object, NULL, msg);
        }
      return TRUE;
    }

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *msg = g_strdup_printf ("“%s” must be a string", member);
      return fail (error, locate, locate_data, object, member, msg);
    }

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_bool (JsonObject        *object,
           const char        *member,
           gboolean          *out,
           DossierLocateFunc  locate,
           gpointer           locate_data,
           GError           **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *msg = g_strdup_printf ("“%s” must be true or false", member);
      return fail (error, locate, locate_data, object, member, msg);
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_strv (JsonObject        *object,
           const char        *member,
           GStrv             *out,
           DossierLocateFunc  locate,
           gpointer           locate_data,
           GError           **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *msg = g_strdup_printf ("“%s” must be a list of strings", member);
      return fail (error, locate, locate_data, object, member, msg);
    }

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *msg = g_strdup_printf ("“%s” must be a list of strings", member);
          return fail (error, locate, locate_data, object, member, msg);
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* Exposed to the provider parser too (dossier-field-private.h) */
gboolean
_dossier_descriptor_read_string (JsonObject *o, const char *m, gboolean r, char **out,
                                 DossierLocateFunc l, gpointer d, GError **e)
{
  return read_string (o, m, r, out, l, d, e);
}

gboolean
_dossier_descriptor_read_bool (JsonObject *o, const char *m, gboolean *out,
                               DossierLocateFunc l, gpointer d, GError **e)
{
  return read_bool (o, m, out, l, d, e);
}

gboolean
_dossier_descriptor_read_strv (JsonObject *o, const char *m, GStrv *out,
                               DossierLocateFunc l, gpointer d, GError **e)
{
  return read_strv (o, m, out, l, d, e);
}

gboolean
_dossier_descriptor_fail (GError **e, DossierLocateFunc l, gpointer d,
                          JsonObject *o, const char *m, const char *msg)
{
  return fail (e, l, d, o, m, msg);
}

/* A member the parser does not know is a typo or a rule Dossier would
 * silently not apply: refused, naming the first one in the file */
gboolean
_dossier_descriptor_check_members (JsonObject         *object,
                                   const char * const *known,
                                   DossierLocateFunc   locate,
                                   gpointer            locate_data,
                                   GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *msg = g_strdup_printf ("unknown member “%s”", (const char *) l->data);
        return fail (error, locate, locate_data, object, l->data, msg);
      }
  return TRUE;
}

/* Text from the built-in descriptors is in the translation catalogue (see
 * build-aux/provider-strings.py); other text passes through unchanged. */
void
_dossier_translate_in_place (char **text)
{
  const char *translated;

  if (*text == NULL || **text == '\0')
    return;

  translated = g_dgettext (GETTEXT_PACKAGE, *text);
  if (translated != *text)
    {
      char *copy = g_strdup (translated);

      g_free (*text);
      *text = copy;
    }
}

static gboolean
parse_enum (const char        *text,
            const char * const *names,
            guint             *out)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_strcmp0 (text, names[i]) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

DossierField *
_dossier_field_new_from_json (JsonObject         *object,
                              DossierLocateFunc   locate,
                              gpointer            locate_data,
                              GError            **error)
{
  static const char * const types[] = { "text", "choice", "json", "url", NULL };
  static const char * const locations[] = { "form", "path", "header", NULL };
  static const char * const scopes[] = { "account", "document", NULL };
  g_autoptr(DossierField) self = g_object_new (DOSSIER_TYPE_FIELD, NULL);
  g_autofree char *type = NULL;
  g_autofree char *location = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *pattern = NULL;
  gboolean required = FALSE;
  gboolean searchable = FALSE;
  gboolean open = FALSE;
  static const char * const members[] = {
    "name", "label", "description", "type", "location", "scope", "default", "pattern",
    "pattern_hint", "json_keys", "required", "searchable", "open", "when", "choices", NULL
  };
  static const char * const when_members[] = { "field", "values", NULL };
  static const char * const choice_members[] = { "value", "label", "keywords", NULL };
  guint v;
  JsonNode *node;

  if (!_dossier_descriptor_check_members (object, members, locate, locate_data, error))
    return NULL;

  if (!read_string (object, "name", TRUE, &self->name, locate, locate_data, error) ||
      !read_string (object, "label", FALSE, &self->label, locate, locate_data, error) ||
      !read_string (object, "description", FALSE, &self->description, locate, locate_data, error) ||
      !read_string (object, "type", FALSE, &type, locate, locate_data, error) ||
      !read_string (object, "location", FALSE, &location, locate, locate_data, error) ||
      !read_string (object, "scope", FALSE, &scope, locate, locate_data, error) ||
      !read_string (object, "default", FALSE, &self->default_value, locate, locate_data, error) ||
      !read_string (object, "pattern", FALSE, &pattern, locate, locate_data, error) ||
      !read_string (object, "pattern_hint", FALSE, &self->pattern_hint, locate, locate_data, error) ||
      !read_strv (object, "json_keys", &self->json_keys, locate, locate_data, error) ||
      !read_bool (object, "required", &required, locate, locate_data, error) ||
      !read_bool (object, "searchable", &searchable, locate, locate_data, error) ||
      !read_bool (object, "open", &open, locate, locate_data, error))
    return NULL;

  if (*self->name == '\0')
    {
      fail (error, locate, locate_data, object, "name", "“name” is empty");
      return NULL;
    }

  if (self->label == NULL)
    self->label = g_strdup (self->name);
  _dossier_translate_in_place (&self->label);
  _dossier_translate_in_place (&self->description);
  _dossier_translate_in_place (&self->pattern_hint);

  self->required = !!required;
  self->searchable = !!searchable;
  self->open = !!open;

  v = DOSSIER_FIELD_TYPE_TEXT;
  if (type != NULL && !parse_enum (type, types, &v))
    {
      g_autofree char *msg = g_strdup_printf ("unknown field type “%s” (expected text, choice, json or url)", type);
      fail (error, locate, locate_data, object, "type", msg);
      return NULL;
    }
  self->type = v;

  v = DOSSIER_FIELD_LOCATION_FORM;
  if (location != NULL && !parse_enum (location, locations, &v))
    {
      g_autofree char *msg = g_strdup_printf ("unknown location “%s” (expected form, path or header)", location);
      fail (error, locate, locate_data, object, "location", msg);
      return NULL;
    }
  self->location = v;

  v = DOSSIER_FIELD_SCOPE_DOCUMENT;
  if (scope != NULL && !parse_enum (scope, scopes, &v))
    {
      g_autofree char *msg = g_strdup_printf ("unknown scope “%s” (expected account or document)", scope);
      fail (error, locate, locate_data, object, "scope", msg);
      return NULL;
    }
  self->scope = v;

  if (pattern != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      self->pattern = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &local_error);
      if (self->pattern == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("invalid pattern: %s", local_error->message);
          fail (error, locate, locate_data, object, "pattern", msg);
          return NULL;
        }
    }

  if ((node = json_object_get_member (object, "when")))
    {
      JsonObject *when;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fail (error, locate, locate_data, object, "when",
                "“when” must be an object with “field” and “values”");
          return NULL;
        }
      when = json_node_get_object (node);
      if (!_dossier_descriptor_check_members (when, when_members, locate, locate_data, error) ||
          !read_string (when, "field", TRUE, &self->condition_field, locate, locate_data, error) ||
          !read_strv (when, "values", &self->condition_values, locate, locate_data, error))
        return NULL;
      if (self->condition_values == NULL || self->condition_values[0] == NULL)
        {
          fail (error, locate, locate_data, when, "values", "“when” needs a non-empty “values” list");
          return NULL;
        }
    }

  if ((node = json_object_get_member (object, "choices")))
    {
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          fail (error, locate, locate_data, object, "choices", "“choices” must be a list");
          return NULL;
        }

      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autoptr(DossierChoice) choice = NULL;
          g_autofree char *value = NULL;
          g_autofree char *label = NULL;
          g_auto(GStrv) keywords = NULL;
          JsonObject *co;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              fail (error, locate, locate_data, object, "choices",
                    "each choice must be an object with “value” and “label”");
              return NULL;
            }
          co = json_node_get_object (element);
          if (!_dossier_descriptor_check_members (co, choice_members, locate, locate_data, error) ||
              !read_string (co, "value", TRUE, &value, locate, locate_data, error) ||
              !read_string (co, "label", FALSE, &label, locate, locate_data, error) ||
              !read_strv (co, "keywords", &keywords, locate, locate_data, error))
            return NULL;

          if (dossier_field_lookup_choice (self, value) != NULL)
            {
              g_autofree char *msg = g_strdup_printf ("choice “%s” is listed twice", value);
              fail (error, locate, locate_data, co, "value", msg);
              return NULL;
            }

          choice = dossier_choice_new (value, label, (const char * const *)keywords);
          g_list_store_append (self->choices, choice);
        }
    }

  if (self->type == DOSSIER_FIELD_TYPE_CHOICE &&
      g_list_model_get_n_items (G_LIST_MODEL (self->choices)) == 0)
    {
      fail (error, locate, locate_data, object, "choices", "a choice field needs a non-empty “choices” list");
      return NULL;
    }

  if (self->default_value != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!dossier_field_validate (self, self->default_value, &local_error))
        {
          g_autofree char *msg = g_strdup_printf ("the default value is not valid: %s", local_error->message);
          fail (error, locate, locate_data, object, "default", msg);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

const char *
dossier_field_get_name (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return self->name;
}

const char *
dossier_field_get_label (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return self->label;
}

const char *
dossier_field_get_description (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return self->description;
}

DossierFieldType
dossier_field_get_field_type (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), 0);
  return self->type;
}

DossierFieldLocation
dossier_field_get_location (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), 0);
  return self->location;
}

DossierFieldScope
dossier_field_get_scope (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), 0);
  return self->scope;
}

gboolean
dossier_field_get_required (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), FALSE);
  return self->required;
}

const char *
dossier_field_get_default_value (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return self->default_value;
}

gboolean
dossier_field_get_searchable (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), FALSE);
  return self->searchable;
}

gboolean
dossier_field_get_open (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), FALSE);
  return self->open;
}

/**
 * dossier_field_get_choices:
 *
 * Returns: (transfer none): a #GListModel of #DossierChoice, empty unless
 *   the field is a choice
 */
GListModel *
dossier_field_get_choices (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return G_LIST_MODEL (self->choices);
}

/**
 * dossier_field_lookup_choice:
 *
 * Returns: (transfer none) (nullable): the choice with that API value
 */
DossierChoice *
dossier_field_lookup_choice (DossierField *self,
                             const char   *value)
{
  guint n;

  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);

  if (value == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->choices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChoice) choice = g_list_model_get_item (G_LIST_MODEL (self->choices), i);

      if (g_strcmp0 (dossier_choice_get_value (choice), value) == 0)
        return choice;
    }

  return NULL;
}

const char *
dossier_field_get_pattern_hint (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return self->pattern_hint;
}

const char * const *
dossier_field_get_json_keys (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return (const char * const *)self->json_keys;
}

const char *
dossier_field_get_condition_field (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return self->condition_field;
}

const char * const *
dossier_field_get_condition_values (DossierField *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), NULL);
  return (const char * const *)self->condition_values;
}

/**
 * dossier_field_is_active:
 * @values: (element-type utf8 utf8): the values of the other fields
 *
 * Whether the field applies: fields with a condition ("code only when the
 * category is DOCUMENT") are hidden, not required and not sent otherwise.
 */
gboolean
dossier_field_is_active (DossierField *self,
                         GHashTable   *values)
{
  const char *other;

  g_return_val_if_fail (DOSSIER_IS_FIELD (self), FALSE);

  if (self->condition_field == NULL)
    return TRUE;

  other = values != NULL ? g_hash_table_lookup (values, self->condition_field) : NULL;
  return other != NULL && g_strv_contains ((const char * const *)self->condition_values, other);
}

static gboolean
validate_json (DossierField  *self,
               const char    *value,
               GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *root;
  GList *members;

  if (!dossier_json_load (parser, value, -1, 0, &local_error))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("%s is not valid JSON: %s"), self->label, local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("%s must be a JSON object, such as {\"comment\": \"text\"}"), self->label);
      return FALSE;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (object, key);

      if (self->json_keys != NULL && !g_strv_contains ((const char * const *)self->json_keys, key))
        {
          g_autofree char *allowed = g_strjoinv (", ", self->json_keys);

          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                       _("%s has the key “%s”, which is not accepted; use only %s"),
                       self->label, key, allowed);
          g_list_free (members);
          return FALSE;
        }

      if (json_node_get_value_type (member) != G_TYPE_STRING)
        {
          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                       _("%s: the value of “%s” must be text in quotes"), self->label, key);
          g_list_free (members);
          return FALSE;
        }
    }
  g_list_free (members);

  return TRUE;
}

/**
 * dossier_field_validate:
 * @value: (nullable): the value, %NULL or empty when not set
 *
 * Checks a value against the field's own rules (choices, pattern, JSON keys,
 * URL). Whether an empty value is acceptable depends on the other fields and
 * is decided by dossier_provider_validate_values().
 */
gboolean
dossier_field_validate (DossierField  *self,
                        const char    *value,
                        GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (self), FALSE);

  if (value == NULL || *value == '\0')
    return TRUE;

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("%s contains invalid characters"), self->label);
      return FALSE;
    }

  if (strpbrk (value, "\r\n") != NULL && self->location != DOSSIER_FIELD_LOCATION_FORM)
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("%s must be on one line"), self->label);
      return FALSE;
    }

  switch (self->type)
    {
    case DOSSIER_FIELD_TYPE_CHOICE:
      if (!self->open && dossier_field_lookup_choice (self, value) == NULL)
        {
          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                       _("“%s” is not a valid %s; choose one from the list"),
                       value, self->label);
          return FALSE;
        }
      break;

    case DOSSIER_FIELD_TYPE_JSON:
      if (!validate_json (self, value, error))
        return FALSE;
      break;

    case DOSSIER_FIELD_TYPE_URL:
      {
        g_autofree char *scheme = g_uri_parse_scheme (value);
        g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);

        if (uri == NULL ||
            (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) ||
            g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
          {
            g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                         _("%s must be a web address starting with https://"), self->label);
            return FALSE;
          }
      }
      break;

    case DOSSIER_FIELD_TYPE_TEXT:
    default:
      break;
    }

  if (self->pattern != NULL && !g_regex_match (self->pattern, value, 0, NULL))
    {
      if (self->pattern_hint != NULL)
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     _("%s “%s” is not in the expected form: %s"),
                     self->label, value, self->pattern_hint);
      else
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     _("%s “%s” is not in the expected form"), self->label, value);
      return FALSE;
    }

  return TRUE;
}
