/* dossier-catalogue.c: the providers Dossier knows, as a GListModel
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dossier-catalogue.h"
#include "dossier-core-resources.h"

#define PROVIDERS_RESOURCE "/io/github/dossierapp/Dossier/providers"

struct _DossierCatalogue
{
  GObject parent_instance;

  GPtrArray *providers;   /* sorted by name */
  GPtrArray *problems;    /* NULL-terminated strings */
  GPtrArray *notices;     /* NULL-terminated strings */
  GHashTable *builtin;    /* ids of the built-in providers */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierCatalogue, dossier_catalogue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (dossier-error-quark, dossier_error)

static GType
get_item_type (GListModel *model)
{
  return DOSSIER_TYPE_PROVIDER;
}

static guint
get_n_items (GListModel *model)
{
  return DOSSIER_CATALOGUE (model)->providers->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  DossierCatalogue *self = DOSSIER_CATALOGUE (model);

  if (position >= self->providers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->providers, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
dossier_catalogue_finalize (GObject *object)
{
  DossierCatalogue *self = (DossierCatalogue *)object;

  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->notices, g_ptr_array_unref);
  g_clear_pointer (&self->builtin, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_catalogue_parent_class)->finalize (object);
}

static void
dossier_catalogue_class_init (DossierCatalogueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_catalogue_finalize;
}

static void
dossier_catalogue_init (DossierCatalogue *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->problems, NULL);
  self->notices = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->notices, NULL);
  self->builtin = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DossierCatalogue *
dossier_catalogue_new (void)
{
  return g_object_new (DOSSIER_TYPE_CATALOGUE, NULL);
}

static void
add_problem (DossierCatalogue *self,
             const char       *message)
{
  /* keep the array NULL-terminated */
  g_ptr_array_insert (self->problems, self->problems->len - 1, g_strdup (message));
  g_debug ("Skipped a provider descriptor: %s", message);
}

static void
add_notice (DossierCatalogue *self,
            const char       *message)
{
  g_ptr_array_insert (self->notices, self->notices->len - 1, g_strdup (message));
  g_debug ("Provider descriptor: %s", message);
}

static void
add_provider (DossierCatalogue *self,
              DossierProvider  *provider)
{
  const char *id = dossier_provider_get_id (provider);
  guint removed_at = G_MAXUINT;
  guint position;

  /* A provider with the same id replaces the earlier one (user overrides) */
  for (guint i = 0; i < self->providers->len; i++)
    {
      if (g_strcmp0 (dossier_provider_get_id (g_ptr_array_index (self->providers, i)), id) == 0)
        {
          g_ptr_array_remove_index (self->providers, i);
          removed_at = i;
          break;
        }
    }
  if (removed_at != G_MAXUINT)
    g_list_model_items_changed (G_LIST_MODEL (self), removed_at, 1, 0);

  for (position = 0; position < self->providers->len; position++)
    {
      DossierProvider *other = g_ptr_array_index (self->providers, position);

      if (g_utf8_collate (dossier_provider_get_name (provider), dossier_provider_get_name (other)) < 0)
        break;
    }

  g_ptr_array_insert (self->providers, position, g_object_ref (provider));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

/**
 * dossier_catalogue_add_data:
 *
 * Parses one descriptor and adds it (replacing a provider with the same id).
 */
gboolean
dossier_catalogue_add_data (DossierCatalogue  *self,
                            const char        *data,
                            gssize             length,
                            const char        *source,
                            GError           **error)
{
  g_autoptr(DossierProvider) provider = NULL;

  g_return_val_if_fail (DOSSIER_IS_CATALOGUE (self), FALSE);

  provider = dossier_provider_new_from_data (data, length, source, error);
  if (provider == NULL)
    return FALSE;

  add_provider (self, provider);
  return TRUE;
}

/**
 * dossier_catalogue_load_builtin:
 *
 * Loads the descriptors shipped in the core's resources.
 */
gboolean
dossier_catalogue_load_builtin (DossierCatalogue  *self,
                                GError           **error)
{
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (DOSSIER_IS_CATALOGUE (self), FALSE);

  g_resources_register (dossier_core_get_resource ());
  names = g_resources_enumerate_children (PROVIDERS_RESOURCE, 0, error);
  if (names == NULL)
    return FALSE;

  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *path = g_build_path ("/", PROVIDERS_RESOURCE, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(DossierProvider) provider = NULL;
      gsize size;
      const char *data;

      if (!g_str_has_suffix (names[i], ".json"))
        continue;

      bytes = g_resources_lookup_data (path, 0, error);
      if (bytes == NULL)
        return FALSE;

      data = g_bytes_get_data (bytes, &size);
      provider = dossier_provider_new_from_data (data, size, names[i], error);
      if (provider == NULL)
        return FALSE;
      add_provider (self, provider);
      g_hash_table_add (self->builtin, g_strdup (dossier_provider_get_id (provider)));
    }

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/**
 * dossier_catalogue_load_directory:
 * @directory: a folder of `*.json` descriptors
 *
 * Adds every descriptor in @directory, in name order. A broken descriptor is
 * skipped and recorded as a problem ("file:line: reason"); a missing folder
 * is not a problem.
 */
void
dossier_catalogue_load_directory (DossierCatalogue *self,
                                  const char       *directory)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  g_return_if_fail (DOSSIER_IS_CATALOGUE (self));
  g_return_if_fail (directory != NULL);

  dir = g_dir_open (directory, 0, &error);
  if (dir == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        add_problem (self, error->message);
      return;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (directory, g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DossierProvider) provider = NULL;
      DossierProvider *replaced;
      GStatBuf st;
      gsize size;
      gboolean known;

      /* a FIFO would block the start; a huge file would fill memory */
      known = g_stat (path, &st) == 0;

      if (known && !S_ISREG (st.st_mode))
        {
          g_autofree char *problem = g_strdup_printf ("%s: not a regular file", path);

          add_problem (self, problem);
          continue;
        }
      if (known && st.st_size > DOSSIER_PROVIDER_MAX_SIZE)
        {
          g_autofree char *limit = g_format_size (DOSSIER_PROVIDER_MAX_SIZE);
          g_autofree char *problem = g_strdup_printf ("%s: too large (more than %s)", path, limit);

          add_problem (self, problem);
          continue;
        }

      if (!g_file_get_contents (path, &contents, &size, &local_error) ||
          (provider = dossier_provider_new_from_data (contents, size, path, &local_error)) == NULL)
        {
          add_problem (self, local_error->message);
          continue;
        }

      /* say so when a file of the user's takes the place of a built-in one */
      replaced = dossier_catalogue_lookup (self, dossier_provider_get_id (provider));
      if (replaced != NULL && g_hash_table_contains (self->builtin, dossier_provider_get_id (provider)))
        {
          /* Translators: "moov.json replaces the built-in Moov" */
          g_autofree char *notice = g_strdup_printf (_("%s replaces the built-in %s"),
                                                     (const char *) g_ptr_array_index (names, i),
                                                     dossier_provider_get_name (replaced));
          add_notice (self, notice);
          g_hash_table_remove (self->builtin, dossier_provider_get_id (provider));
        }
      add_provider (self, provider);
    }
}

/**
 * dossier_catalogue_user_directory:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/dossier/providers`
 */
char *
dossier_catalogue_user_directory (void)
{
  return g_build_filename (g_get_user_config_dir (), "dossier", "providers", NULL);
}

/**
 * dossier_catalogue_new_default:
 *
 * The built-in providers, then the user's own from
 * `$XDG_CONFIG_HOME/dossier/providers/`, which may add or override.
 *
 * Returns: (transfer full): a new catalogue
 */
DossierCatalogue *
dossier_catalogue_new_default (void)
{
  g_autoptr(DossierCatalogue) self = dossier_catalogue_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *user_dir = dossier_catalogue_user_directory ();

  /* The built-in ones are tested at build time; failing here is a bug */
  if (!dossier_catalogue_load_builtin (self, &error))
    g_critical ("Built-in provider descriptors are broken: %s", error->message);

  dossier_catalogue_load_directory (self, user_dir);

  return g_steal_pointer (&self);
}

/**
 * dossier_catalogue_lookup:
 *
 * Returns: (transfer none) (nullable): the provider with that id
 */
DossierProvider *
dossier_catalogue_lookup (DossierCatalogue *self,
                          const char       *id)
{
  g_return_val_if_fail (DOSSIER_IS_CATALOGUE (self), NULL);

  for (guint i = 0; i < self->providers->len; i++)
    {
      DossierProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_strcmp0 (dossier_provider_get_id (provider), id) == 0)
        return provider;
    }
  return NULL;
}

/**
 * dossier_catalogue_get_problems:
 *
 * Returns: (transfer none): the descriptors that were skipped, each as
 *   "file:line: reason"
 */
const char * const *
dossier_catalogue_get_problems (DossierCatalogue *self)
{
  g_return_val_if_fail (DOSSIER_IS_CATALOGUE (self), NULL);
  return (const char * const *)self->problems->pdata;
}

/**
 * dossier_catalogue_get_notices:
 *
 * Returns: (transfer none): what the user should know about the
 *   descriptors that were loaded, e.g. "moov.json replaces the built-in
 *   Moov"
 */
const char * const *
dossier_catalogue_get_notices (DossierCatalogue *self)
{
  g_return_val_if_fail (DOSSIER_IS_CATALOGUE (self), NULL);
  return (const char * const *)self->notices->pdata;
}
