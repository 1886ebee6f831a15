/* dossier-provider-requirements.c: a descriptor's "requirements" member
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a provider still needs from a merchant is data: where to ask
 * (a request with account values), where the answer keeps the ids that are
 * due and the errors, which label, field values and metadata answer each
 * requirement id, and what to do about each error code. Every member is
 * checked like the rest of the descriptor: an error names file and line.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-provider-private.h"

#define read_string _dossier_descriptor_read_string
#define read_bool   _dossier_descriptor_read_bool
#define read_strv   _dossier_descriptor_read_strv
#define fail        _dossier_descriptor_fail

/* What a descriptor may hold: at most this many items, advice entries,
 * static items (a bound on what a dropped-in file makes Dossier keep) */
#define MAX_ENTRIES 500

typedef struct
{
  DossierLocateFunc locate;
  gpointer data;
} Where;

static void
item_free (gpointer data)
{
  DossierRequirementItem *item = data;

  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->label);
  g_strfreev (item->field_names);
  g_strfreev (item->field_values);
  g_strfreev (item->metadata_keys);
  g_strfreev (item->metadata_values);
  g_strfreev (item->keywords);
  g_free (item);
}

void
_dossier_requirements_spec_free (DossierRequirementsSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->method);
  g_free (spec->path);
  g_free (spec->scope);
  g_strfreev (spec->query_names);
  g_strfreev (spec->query_values);
  g_free (spec->entries);
  g_free (spec->due);
  g_free (spec->errors);
  g_free (spec->error_requirement);
  g_free (spec->error_code);
  g_free (spec->find);
  g_free (spec->find_name);
  g_strfreev (spec->keep);
  g_strfreev (spec->match);
  g_free (spec->metadata_field);
  g_free (spec->files_method);
  g_free (spec->files_path);
  g_free (spec->files_id);
  g_free (spec->files_status);
  g_free (spec->files_reason);
  g_free (spec->files_metadata);
  g_strfreev (spec->files_accepted);
  g_strfreev (spec->files_rejected);
  g_strfreev (spec->files_pending);
  g_clear_pointer (&spec->items, g_ptr_array_unref);
  g_clear_pointer (&spec->static_items, g_ptr_array_unref);
  item_free (spec->other);
  g_clear_pointer (&spec->advice, g_hash_table_unref);
  g_clear_object (&spec->account_fields);
  g_free (spec);
}

static gboolean
check_members (JsonObject         *object,
               const char * const *known,
               Where              *w,
               GError            **error)
{
  return _dossier_descriptor_check_members (object, known, w->locate, w->data, error);
}

/* @member of @object, which must be an object or (@list) a list of at
 * most MAX_ENTRIES entries; NULL when it is missing, or with @error */
static JsonNode *
get_member (JsonObject *object,
            const char *member,
            gboolean    list,
            Where      *w,
            GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *msg = NULL;

  if (node == NULL)
    return NULL;
  if (!list && JSON_NODE_HOLDS_OBJECT (node))
    return node;
  if (list && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) <= MAX_ENTRIES)
    return node;

  msg = list ? g_strdup_printf ("“%s” must be a list of at most %u entries", member, MAX_ENTRIES)
             : g_strdup_printf ("“%s” must be an object", member);
  fail (error, w->locate, w->data, object, member, msg);
  return NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member,
            Where      *w,
            GError    **error)
{
  JsonNode *node = get_member (object, member, FALSE, w, error);

  return node != NULL ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member,
           Where      *w,
           GError    **error)
{
  JsonNode *node = get_member (object, member, TRUE, w, error);

  return node != NULL ? json_node_get_array (node) : NULL;
}

/* {"name": "text", ...} as two parallel lists, in the file's order */
static gboolean
read_pairs (JsonObject *object,
            const char *member,
            GStrv      *out_names,
            GStrv      *out_values,
            Where      *w,
            GError    **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *pairs;

  if (!json_object_has_member (object, member))
    {
      *out_names = g_new0 (char *, 1);
      *out_values = g_new0 (char *, 1);
      return TRUE;
    }

  if ((pairs = get_object (object, member, w, error)) == NULL)
    return FALSE;
  if (json_object_get_size (pairs) > MAX_ENTRIES)
    {
      g_autofree char *msg = g_strdup_printf ("“%s” may hold at most %u members", member, MAX_ENTRIES);
      return fail (error, w->locate, w->data, object, member, msg);
    }

  members = json_object_get_members (pairs);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (pairs, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *msg = g_strdup_printf ("“%s” in “%s” must be a string",
                                                  (const char *) l->data, member);
          return fail (error, w->locate, w->data, pairs, l->data, msg);
        }
      g_strv_builder_add (names, l->data);
      g_strv_builder_add (values, json_node_get_string (node));
    }

  *out_names = g_strv_builder_end (names);
  *out_values = g_strv_builder_end (values);
  return TRUE;
}

/* A requirement id pattern: segments split by dots; a {name} is a whole
 * segment; no empty segment, no control character */
static gboolean
check_pattern (const char *pattern)
{
  g_auto(GStrv) segments = g_strsplit (pattern, ".", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *s = segments[i];
      const char *open = strchr (s, '{');

      if (*s == '\0')
        return FALSE;
      for (const char *p = s; *p; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          return FALSE;
      if (open == NULL && strchr (s, '}') == NULL)
        continue;
      if (open != s || s[strlen (s) - 1] != '}' || strlen (s) < 3 ||
          strchr (s + 1, '{') != NULL || strchr (s, '}') != s + strlen (s) - 1)
        return FALSE;
    }
  return TRUE;
}

static DossierRequirementItem *
parse_item (JsonObject *object,
            gboolean    with_id,
            Where      *w,
            GError    **error)
{
  static const char * const members[] = { "id", "label", "fields", "metadata", "optional", "keywords", NULL };
  static const char * const other_members[] = { "fields", "metadata", NULL };
  DossierRequirementItem *item = g_new0 (DossierRequirementItem, 1);
  gboolean optional = FALSE;

  if (!check_members (object, with_id ? members : other_members, w, error) ||
      (with_id && !read_string (object, "id", TRUE, &item->id, w->locate, w->data, error)) ||
      (with_id && !read_string (object, "label", FALSE, &item->label, w->locate, w->data, error)) ||
      (with_id && !read_bool (object, "optional", &optional, w->locate, w->data, error)) ||
      (with_id && !read_strv (object, "keywords", &item->keywords, w->locate, w->data, error)) ||
      !read_pairs (object, "fields", &item->field_names, &item->field_values, w, error) ||
      !read_pairs (object, "metadata", &item->metadata_keys, &item->metadata_values, w, error))
    {
      item_free (item);
      return NULL;
    }

  if (with_id && !check_pattern (item->id))
    {
      fail (error, w->locate, w->data, object, "id",
            "“id” must be dot-separated segments, each plain text or one whole {placeholder}");
      item_free (item);
      return NULL;
    }

  item->optional = !!optional;
  if (item->keywords == NULL)
    item->keywords = g_new0 (char *, 1);
  _dossier_translate_in_place (&item->label);
  return item;
}

static gboolean
parse_items (JsonObject  *object,
             const char  *member,
             GPtrArray  **out,
             Where       *w,
             GError     **error)
{
  JsonArray *array;

  *out = g_ptr_array_new_with_free_func (item_free);
  if (!json_object_has_member (object, member))
    return TRUE;
  if ((array = get_array (object, member, w, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      DossierRequirementItem *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *msg = g_strdup_printf ("each entry of “%s” must be an object with “id”", member);
          return fail (error, w->locate, w->data, object, member, msg);
        }
      if ((item = parse_item (json_node_get_object (node), TRUE, w, error)) == NULL)
        return FALSE;
      g_ptr_array_add (*out, item);
    }
  return TRUE;
}

static gboolean
parse_request (DossierRequirementsSpec *spec,
               JsonObject              *req,
               Where                   *w,
               GError                 **error)
{
  static const char * const members[] = { "method", "path", "auth", "scope", "query", NULL };
  g_autofree char *auth = NULL;
  g_autofree char *problem = NULL;

  if (!check_members (req, members, w, error) ||
      !read_string (req, "method", FALSE, &spec->method, w->locate, w->data, error) ||
      !read_string (req, "path", TRUE, &spec->path, w->locate, w->data, error) ||
      !read_string (req, "auth", FALSE, &auth, w->locate, w->data, error) ||
      !read_string (req, "scope", FALSE, &spec->scope, w->locate, w->data, error) ||
      !read_pairs (req, "query", &spec->query_names, &spec->query_values, w, error))
    return FALSE;

  if (spec->method == NULL)
    spec->method = g_strdup ("GET");
  if (!g_str_equal (spec->method, "GET"))
    return fail (error, w->locate, w->data, req, "method", "the requirement request must be a GET");
  if ((problem = _dossier_descriptor_path_problem ("path", spec->path)) != NULL)
    return fail (error, w->locate, w->data, req, "path", problem);

  if (auth == NULL || g_str_equal (auth, "provider"))
    spec->auth = DOSSIER_REQUIREMENT_AUTH_PROVIDER;
  else if (g_str_equal (auth, "doku-signature"))
    spec->auth = DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE;
  else
    {
      g_autofree char *msg = g_strdup_printf ("unknown auth “%s” (expected provider or doku-signature)", auth);
      return fail (error, w->locate, w->data, req, "auth", msg);
    }
  return TRUE;
}

static gboolean
parse_answer (DossierRequirementsSpec *spec,
              JsonObject              *parent,
              JsonObject              *answer,
              Where                   *w,
              GError                 **error)
{
  static const char * const members[] = {
    "entries", "due", "errors", "error_requirement", "error_code", "find", "find_name", NULL
  };

  if (!check_members (answer, members, w, error) ||
      !read_string (answer, "entries", FALSE, &spec->entries, w->locate, w->data, error) ||
      !read_string (answer, "due", FALSE, &spec->due, w->locate, w->data, error) ||
      !read_string (answer, "errors", FALSE, &spec->errors, w->locate, w->data, error) ||
      !read_string (answer, "error_requirement", FALSE, &spec->error_requirement, w->locate, w->data, error) ||
      !read_string (answer, "error_code", FALSE, &spec->error_code, w->locate, w->data, error) ||
      !read_string (answer, "find", FALSE, &spec->find, w->locate, w->data, error) ||
      !read_string (answer, "find_name", FALSE, &spec->find_name, w->locate, w->data, error))
    return FALSE;

  if ((spec->due == NULL) == (spec->find == NULL))
    return fail (error, w->locate, w->data, parent, "answer",
                 "“answer” needs either “due” (a list of requirement ids) "
                 "or “find” (the member that names one)");
  if (spec->errors != NULL && (spec->error_requirement == NULL || spec->error_code == NULL))
    return fail (error, w->locate, w->data, answer, "errors",
                 "“errors” needs “error_requirement” and “error_code”: "
                 "where an error names its requirement and code");
  return TRUE;
}

static gboolean
parse_files (DossierRequirementsSpec *spec,
             JsonObject              *files,
             Where                   *w,
             GError                 **error)
{
  static const char * const members[] = {
    "method", "path", "id", "status", "reason", "metadata", "accepted", "rejected", "pending", NULL
  };
  g_autofree char *problem = NULL;

  if (!check_members (files, members, w, error) ||
      !read_string (files, "method", FALSE, &spec->files_method, w->locate, w->data, error) ||
      !read_string (files, "path", TRUE, &spec->files_path, w->locate, w->data, error) ||
      !read_string (files, "id", TRUE, &spec->files_id, w->locate, w->data, error) ||
      !read_string (files, "status", TRUE, &spec->files_status, w->locate, w->data, error) ||
      !read_string (files, "reason", FALSE, &spec->files_reason, w->locate, w->data, error) ||
      !read_string (files, "metadata", FALSE, &spec->files_metadata, w->locate, w->data, error) ||
      !read_strv (files, "accepted", &spec->files_accepted, w->locate, w->data, error) ||
      !read_strv (files, "rejected", &spec->files_rejected, w->locate, w->data, error) ||
      !read_strv (files, "pending", &spec->files_pending, w->locate, w->data, error))
    return FALSE;

  if (spec->files_method == NULL)
    spec->files_method = g_strdup ("GET");
  if (!g_str_equal (spec->files_method, "GET"))
    return fail (error, w->locate, w->data, files, "method", "the files request must be a GET");
  if ((problem = _dossier_descriptor_path_problem ("path", spec->files_path)) != NULL)
    return fail (error, w->locate, w->data, files, "path", problem);

#define ENSURE(x) G_STMT_START { if ((x) == NULL) (x) = g_new0 (char *, 1); } G_STMT_END
  ENSURE (spec->files_accepted);
  ENSURE (spec->files_rejected);
  ENSURE (spec->files_pending);
#undef ENSURE
  return TRUE;
}

static gboolean
parse_advice (DossierRequirementsSpec *spec,
              JsonObject              *object,
              Where                   *w,
              GError                 **error)
{
  g_auto(GStrv) codes = NULL;
  g_auto(GStrv) texts = NULL;

  spec->advice = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!read_pairs (object, "advice", &codes, &texts, w, error))
    return FALSE;

  for (guint i = 0; codes[i] != NULL; i++)
    {
      char *text = g_strdup (texts[i]);

      _dossier_translate_in_place (&text);
      g_hash_table_replace (spec->advice, g_strdup (codes[i]), text);
    }
  return TRUE;
}

static gboolean
parse_account_fields (DossierProvider         *self,
                      DossierRequirementsSpec *spec,
                      JsonObject              *object,
                      Where                   *w,
                      GError                 **error)
{
  JsonArray *array;

  spec->account_fields = g_list_store_new (DOSSIER_TYPE_FIELD);
  if (!json_object_has_member (object, "account_fields"))
    return TRUE;
  if ((array = get_array (object, "account_fields", w, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(DossierField) field = NULL;
      JsonObject *fo;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, w->locate, w->data, object, "account_fields", "each account field must be an object");
      fo = json_node_get_object (node);
      if ((field = _dossier_field_new_from_json (fo, w->locate, w->data, error)) == NULL)
        return FALSE;

      name = dossier_field_get_name (field);
      if (dossier_field_get_scope (field) != DOSSIER_FIELD_SCOPE_ACCOUNT)
        return fail (error, w->locate, w->data, fo, "scope", "an account field must have the “account” scope");
      if (dossier_provider_lookup_field (self, name) != NULL)
        {
          g_autofree char *msg = g_strdup_printf ("“%s” is already one of the provider’s fields", name);
          return fail (error, w->locate, w->data, fo, "name", msg);
        }
      g_list_store_append (spec->account_fields, field);
    }
  return TRUE;
}

gboolean
_dossier_provider_parse_requirements (DossierProvider    *self,
                                      JsonObject         *root,
                                      DossierLocateFunc   locate,
                                      gpointer            locate_data,
                                      GError            **error)
{
  static const char * const members[] = {
    "request", "answer", "keep", "match", "metadata_field", "files", "items", "other", "advice",
    "static", "account_fields", NULL
  };
  Where where = { locate, locate_data };
  Where *w = &where;
  DossierRequirementsSpec *spec;
  JsonObject *object;
  JsonObject *part;

  if (!json_object_has_member (root, "requirements"))
    return TRUE;
  if ((object = get_object (root, "requirements", w, error)) == NULL)
    return FALSE;

  spec = g_new0 (DossierRequirementsSpec, 1);
  self->requirements = spec;

  if (!check_members (object, members, w, error) ||
      !read_strv (object, "keep", &spec->keep, w->locate, w->data, error) ||
      !read_strv (object, "match", &spec->match, w->locate, w->data, error) ||
      !read_string (object, "metadata_field", FALSE, &spec->metadata_field, w->locate, w->data, error) ||
      !parse_items (object, "items", &spec->items, w, error) ||
      !parse_items (object, "static", &spec->static_items, w, error) ||
      !parse_advice (spec, object, w, error) ||
      !parse_account_fields (self, spec, object, w, error))
    return FALSE;

  spec->query_names = g_new0 (char *, 1);
  spec->query_values = g_new0 (char *, 1);

  if (json_object_has_member (object, "request"))
    {
      g_clear_pointer (&spec->query_names, g_strfreev);
      g_clear_pointer (&spec->query_values, g_strfreev);
      if ((part = get_object (object, "request", w, error)) == NULL ||
          !parse_request (spec, part, w, error))
        return FALSE;
      if (!json_object_has_member (object, "answer"))
        return fail (error, w->locate, w->data, object, "request",
                     "a “request” needs an “answer”: where the answer lists what is due");
      if ((part = get_object (object, "answer", w, error)) == NULL ||
          !parse_answer (spec, object, part, w, error))
        return FALSE;
    }
  else if (json_object_has_member (object, "answer"))
    return fail (error, w->locate, w->data, object, "answer", "an “answer” needs a “request”");

  if (json_object_has_member (object, "files") &&
      ((part = get_object (object, "files", w, error)) == NULL || !parse_files (spec, part, w, error)))
    return FALSE;

  if (json_object_has_member (object, "other") &&
      ((part = get_object (object, "other", w, error)) == NULL ||
       (spec->other = parse_item (part, FALSE, w, error)) == NULL))
    return FALSE;

  if (spec->metadata_field != NULL && dossier_provider_lookup_field (self, spec->metadata_field) == NULL)
    return fail (error, w->locate, w->data, object, "metadata_field",
                 "“metadata_field” must name one of the fields");
  for (guint i = 0; spec->match != NULL && spec->match[i] != NULL; i++)
    if (dossier_provider_lookup_field (self, spec->match[i]) == NULL)
      {
        g_autofree char *msg = g_strdup_printf ("“match” names “%s”, which is not a field", spec->match[i]);
        return fail (error, w->locate, w->data, object, "match", msg);
      }

  return TRUE;
}
