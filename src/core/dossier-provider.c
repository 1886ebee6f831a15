/* dossier-provider.c: a provider described by data: the object and what it answers
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */


#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-client.h"
#include "dossier-provider-private.h"


G_DEFINE_FINAL_TYPE (DossierProvider, dossier_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_FIELDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_dossier_provider_environment_clear (gpointer data)
{
  DossierEnvironment *env = data;

  g_free (env->id);
  g_free (env->name);
  g_free (env->base_url);
  g_free (env->base_url_hint);
}

static void
dossier_provider_dispose (GObject *object)
{
  DossierProvider *self = (DossierProvider *)object;

  g_clear_object (&self->fields);

  G_OBJECT_CLASS (dossier_provider_parent_class)->dispose (object);
}

static void
dossier_provider_finalize (GObject *object)
{
  DossierProvider *self = (DossierProvider *)object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->documentation);
  g_free (self->source);
  g_free (self->method);
  g_free (self->path);
  g_clear_pointer (&self->environments, g_array_unref);

  g_free (self->auth.header);
  g_free (self->auth.secret_label);
  g_free (self->auth.token_path);
  g_free (self->auth.token_scope);
  g_free (self->auth.client_id_label);
  g_free (self->auth.client_secret_label);
  g_free (self->auth.check_method);
  g_free (self->auth.check_path);

  g_free (self->files.part);
  g_free (self->files.alternative_field);
  g_strfreev (self->files.extensions);
  g_strfreev (self->files.content_types);

  g_free (self->flow.start_path);
  g_free (self->flow.chunk_path);
  g_free (self->flow.complete_path);
  g_free (self->flow.session_id);
  g_free (self->flow.session_expires);
  g_free (self->flow.total_chunks);
  g_free (self->flow.file_name);
  g_free (self->flow.file_extension);
  g_free (self->flow.file_size);
  g_free (self->flow.chunk_number);

  g_strfreev (self->response.id);
  g_strfreev (self->response.link);
  g_strfreev (self->response.status);
  g_strfreev (self->response.message);
  g_strfreev (self->response.field_errors);
  g_strfreev (self->response.code);
  g_strfreev (self->response.request_id_headers);
  g_strfreev (self->response.retry_in_headers);
  g_clear_pointer (&self->requirements, _dossier_requirements_spec_free);

  G_OBJECT_CLASS (dossier_provider_parent_class)->finalize (object);
}

static void
dossier_provider_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DossierProvider *self = DOSSIER_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_FIELDS:
      g_value_set_object (value, self->fields);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_provider_class_init (DossierProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dossier_provider_dispose;
  object_class->finalize = dossier_provider_finalize;
  object_class->get_property = dossier_provider_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_FIELDS] = g_param_spec_object ("fields", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_provider_init (DossierProvider *self)
{
  self->environments = g_array_new (FALSE, TRUE, sizeof (DossierEnvironment));
  g_array_set_clear_func (self->environments, _dossier_provider_environment_clear);
  self->fields = g_list_store_new (DOSSIER_TYPE_FIELD);
}

const char *
dossier_provider_get_id (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return self->id;
}

const char *
dossier_provider_get_name (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return self->name;
}

const char *
dossier_provider_get_description (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return self->description;
}

const char *
dossier_provider_get_documentation (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return self->documentation;
}

const char *
dossier_provider_get_source (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return self->source;
}

guint
dossier_provider_get_n_environments (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), 0);
  return self->environments->len;
}

const DossierEnvironment *
dossier_provider_get_environment (DossierProvider *self,
                                  guint            position)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (position < self->environments->len, NULL);
  return &g_array_index (self->environments, DossierEnvironment, position);
}

const DossierEnvironment *
dossier_provider_lookup_environment (DossierProvider *self,
                                     const char      *id)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);

  for (guint i = 0; i < self->environments->len; i++)
    {
      const DossierEnvironment *env = &g_array_index (self->environments, DossierEnvironment, i);

      if (g_strcmp0 (env->id, id) == 0)
        return env;
    }
  return NULL;
}

const DossierAuthSpec *
dossier_provider_get_auth (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return &self->auth;
}

const char *
dossier_provider_get_method (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return self->method;
}

const char *
dossier_provider_get_path (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return self->path;
}

/**
 * dossier_provider_get_fields:
 *
 * Returns: (transfer none): a #GListModel of #DossierField, in descriptor order
 */
GListModel *
dossier_provider_get_fields (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return G_LIST_MODEL (self->fields);
}

/**
 * dossier_provider_lookup_field:
 *
 * Returns: (transfer none) (nullable): the field with that API name
 */
DossierField *
dossier_provider_lookup_field (DossierProvider *self,
                               const char      *name)
{
  guint n;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

      if (g_strcmp0 (dossier_field_get_name (field), name) == 0)
        return field;
    }
  return NULL;
}

const DossierFileRules *
dossier_provider_get_file_rules (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return &self->files;
}

const DossierFlowSpec *
dossier_provider_get_flow (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return &self->flow;
}

const DossierResponseSpec *
dossier_provider_get_response (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);
  return &self->response;
}

gboolean
dossier_provider_is_sandbox_url (const char *base_url)
{
  return base_url != NULL && g_str_has_prefix (base_url, "sandbox:");
}

/**
 * dossier_provider_resolve_base_url:
 * @base_url: an environment's base URL
 * @sandbox_url: (nullable): where the embedded sandbox listens
 *
 * Returns: (transfer full) (nullable): the URL requests go to, without a
 *   trailing slash; %NULL for a sandbox URL when no sandbox runs
 */
char *
dossier_provider_resolve_base_url (const char *base_url,
                                   const char *sandbox_url)
{
  g_autofree char *joined = NULL;
  gsize len;

  if (base_url == NULL)
    return NULL;

  if (dossier_provider_is_sandbox_url (base_url))
    {
      if (sandbox_url == NULL)
        return NULL;
      joined = g_strconcat (sandbox_url, base_url + strlen ("sandbox:"), NULL);
    }
  else
    joined = g_strdup (base_url);

  len = strlen (joined);
  while (len > 0 && joined[len - 1] == '/')
    joined[--len] = '\0';

  return g_steal_pointer (&joined);
}

/**
 * dossier_expand_template:
 * @template_: a path such as "/accounts/{accountID}/files"
 * @values: (element-type utf8 utf8): the values to put in
 * @escape: whether to percent-escape values (for paths)
 *
 * Returns: (transfer full): the expanded text, or %NULL with @error set
 *   when a value is missing
 */
char *
dossier_expand_template (const char  *template_,
                         GHashTable  *values,
                         gboolean     escape,
                         GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = template_;

  while (*p)
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (open == NULL || (close = strchr (open, '}')) == NULL)
        {
          g_string_append (out, p);
          break;
        }

      g_string_append_len (out, p, open - p);
      name = g_strndup (open + 1, close - open - 1);
      value = values != NULL ? g_hash_table_lookup (values, name) : NULL;
      if (value == NULL || *value == '\0')
        {
          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                       _("%s is required"), name);
          return NULL;
        }

      if (escape && (g_str_equal (value, ".") || g_str_equal (value, "..")))
        /* a dot segment would climb the path: send the dots encoded */
        g_string_append (out, value[1] == '\0' ? "%2E" : "%2E%2E");
      else if (escape)
        {
          g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
          g_string_append (out, escaped);
        }
      else
        g_string_append (out, value);

      p = close + 1;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * dossier_provider_get_requirements:
 *
 * Returns: (nullable): how to learn what the provider still needs from a
 *   merchant, or %NULL when the descriptor says nothing about it
 */
const DossierRequirementsSpec *
dossier_provider_get_requirements (DossierProvider *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (self), NULL);

  return self->requirements;
}
