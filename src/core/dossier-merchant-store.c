/* dossier-merchant-store.c: the merchants' records on disk
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where: $XDG_DATA_HOME/dossier/merchants.jsonl (0600, its folder 0700):
 * one file, one merchant per line, each line a compact JSON object.
 *
 * Why one file of lines, and not one file per merchant or a database:
 * - Speed. With 5,000 merchants, opening and reading 5,000 small files costs
 *   more than the 100 ms the list may take to appear (measured: `cat` of the
 *   5,000 files alone used more CPU time than reading and parsing the one
 *   file; build-aux/merchant-benchmark.sh prints both). One file is one
 *   read; the parse is the same work either way.
 * - Damage costs one merchant, not all: each line is parsed on its own, a
 *   line that cannot be read is skipped, reported with the file name and
 *   line number, and written back as it is on the next save (never lost,
 *   never "repaired" into something else). A line of a newer Dossier is
 *   kept the same way.
 * - Atomic writes stay cheap: a save writes the whole file (a few hundred
 *   bytes per merchant, ~2 MB for 5,000; the unchanged lines are kept as
 *   text, not generated again) to a temporary file in the same folder,
 *   syncs it, renames it over the old one and syncs the folder. A crash at
 *   any point leaves the old file or the new one, whole.
 * - Two processes (the application and dossier-cli) do not undo each
 *   other's changes: a save holds an exclusive lock (merchants.lock, flock)
 *   and first reads the file again when another process changed it since
 *   it was loaded, then applies its own change to that. A change to a
 *   merchant the other process changed too is merged member by member
 *   (name, reference, notes, each account value) against the version this
 *   process last read or wrote: what this process changed takes its value,
 *   every other member the other process's; a member both changed takes
 *   the value saved last. The merged record is what the list then shows.
 * - No new dependency (SQLite would bring one, and its own rules).
 *
 * Removing a merchant moves its line to merchants-removed.jsonl (appended
 * and synced before the main file is rewritten; not loaded): uploads keep
 * naming the merchant's id, and an audit may still need its name.
 *
 * A record never keeps a credential: only the account fields of the
 * provider's descriptor are taken (dossier-merchant.c); values a line read
 * from disk has for any other field of a known provider are dropped and
 * reported (by field name, never by value), and never written back.
 * Members a record does not have (a "token" added by hand) are dropped the
 * same way, reported by name; a line of a newer format is not read and
 * stays as it is.
 *
 * A second line with the id of a merchant (a hand-edited file) is reported
 * and stays as it is while the merchant stays; removing the merchant moves
 * every line with its id to merchants-removed.jsonl.
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "dossier-merchant-store-private.h"


static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierMerchantStore, dossier_merchant_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_LOADED,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return DOSSIER_TYPE_MERCHANT;
}

static guint
get_n_items (GListModel *model)
{
  return DOSSIER_MERCHANT_STORE (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  DossierMerchantStore *self = DOSSIER_MERCHANT_STORE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
dossier_merchant_store_dispose (GObject *object)
{
  DossierMerchantStore *self = DOSSIER_MERCHANT_STORE (object);

  g_clear_object (&self->catalogue);
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (dossier_merchant_store_parent_class)->dispose (object);
}

static void
dossier_merchant_store_finalize (GObject *object)
{
  DossierMerchantStore *self = DOSSIER_MERCHANT_STORE (object);

  g_free (self->directory);
  g_free (self->path);
  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->problems);
  g_ptr_array_unref (self->kept);
  g_hash_table_unref (self->cache);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (dossier_merchant_store_parent_class)->finalize (object);
}

static void
dossier_merchant_store_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DossierMerchantStore *self = DOSSIER_MERCHANT_STORE (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->n_loading > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_merchant_store_class_init (DossierMerchantStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dossier_merchant_store_dispose;
  object_class->finalize = dossier_merchant_store_finalize;
  object_class->get_property = dossier_merchant_store_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_STRING, G_TYPE_ERROR);
}

static void
dossier_merchant_store_init (DossierMerchantStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  self->kept = _dossier_merchant_store_new_kept ();
  self->cache = _dossier_merchant_store_new_cache ();
}

/**
 * dossier_merchant_store_default_directory:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/dossier
 */
char *
dossier_merchant_store_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "dossier", NULL);
}

/**
 * dossier_merchant_store_new:
 * @catalogue: the providers, whose descriptors say which values a record
 *   may keep
 * @directory: (nullable): the folder of merchants.jsonl; %NULL for
 *   dossier_merchant_store_default_directory()
 *
 * An empty store; dossier_merchant_store_load() reads the records.
 */
DossierMerchantStore *
dossier_merchant_store_new (DossierCatalogue *catalogue,
                            const char       *directory)
{
  DossierMerchantStore *self;

  g_return_val_if_fail (DOSSIER_IS_CATALOGUE (catalogue), NULL);

  self = g_object_new (DOSSIER_TYPE_MERCHANT_STORE, NULL);
  self->catalogue = g_object_ref (catalogue);
  self->directory = directory != NULL ? g_strdup (directory) : dossier_merchant_store_default_directory ();
  self->path = g_build_filename (self->directory, FILE_NAME, NULL);
  return self;
}

const char *
dossier_merchant_store_get_directory (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), NULL);
  return self->directory;
}

/**
 * dossier_merchant_store_get_path:
 *
 * Returns: the file the records are in
 */
const char *
dossier_merchant_store_get_path (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), NULL);
  return self->path;
}

/**
 * dossier_merchant_store_get_problems:
 *
 * Returns: (transfer none) (element-type GError): what the last load found
 *   wrong, one error per line, each message starting with the file's name
 *   and the line's number
 */
GPtrArray *
dossier_merchant_store_get_problems (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), NULL);
  return self->problems;
}

/* The line a record object was read from, kept on the object once the
 * store holds another object for its id (a held object stays mergeable) */
static GQuark
base_line_quark (void)
{
  return g_quark_from_static_string ("dossier-merchant-store-base-line");
}

/* What @loaded read becomes the store's */
void
_dossier_merchant_store_take_loaded (DossierMerchantStore *self,
                                     Loaded               *loaded)
{
  guint old_n = self->items->len;
  GHashTableIter iter;
  CachedLine *cached;

  /* the objects of the list go: each keeps the version it was read as */
  g_hash_table_iter_init (&iter, self->cache);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &cached))
    g_object_set_qdata_full (G_OBJECT (cached->merchant), base_line_quark (),
                             g_steal_pointer (&cached->line), g_free);

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&loaded->items);
  for (guint i = 0; i < self->items->len; i++)
    {
      DossierMerchant *merchant = g_ptr_array_index (self->items, i);

      g_hash_table_insert (self->by_id, (gpointer) dossier_merchant_get_id (merchant), merchant);
    }

  g_ptr_array_unref (self->kept);
  self->kept = g_steal_pointer (&loaded->kept);
  g_hash_table_unref (self->cache);
  self->cache = g_steal_pointer (&loaded->cache);
  g_ptr_array_unref (self->problems);
  self->problems = g_steal_pointer (&loaded->problems);
  self->exists = loaded->exists;
  self->st = loaded->st;
  self->serial++;

  for (guint i = 0; i < self->problems->len; i++)
    {
      GError *problem = g_ptr_array_index (self->problems, i);

      g_debug ("merchant records: %s", problem->message);
      g_signal_emit (self, signals[PROBLEM], 0, self->path, problem);
    }

  if (old_n > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->items->len);
}

/* The list holds a read of the file now (@error %NULL), or the last read
 * failed; "loaded" and the load error follow */
void
_dossier_merchant_store_set_load_result (DossierMerchantStore *self,
                                         const GError         *error)
{
  g_clear_error (&self->load_error);
  if (error != NULL)
    {
      self->load_error = g_error_copy (error);
      return;
    }
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

/* One more read on a worker (@delta 1), or one less (-1) */
void
_dossier_merchant_store_count_loading (DossierMerchantStore *self,
                                       int                   delta)
{
  gboolean was = self->n_loading > 0;

  self->n_loading += delta;
  if (was != (self->n_loading > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * dossier_merchant_store_get_loaded:
 *
 * Returns: whether the list holds a read of the file (or what a save
 *   wrote): before, an empty list does not mean no merchant
 */
gboolean
dossier_merchant_store_get_loaded (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  return self->loaded;
}

/**
 * dossier_merchant_store_get_loading:
 *
 * Returns: whether dossier_merchant_store_load_async() is reading the file
 */
gboolean
dossier_merchant_store_get_loading (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  return self->n_loading > 0;
}

/**
 * dossier_merchant_store_get_load_error:
 *
 * Returns: (nullable): why the last read of the file failed, until a read
 *   works
 */
const GError *
dossier_merchant_store_get_load_error (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), NULL);
  return self->load_error;
}

/**
 * dossier_merchant_store_load:
 *
 * Reads every record, replacing what the store held. A line that cannot be
 * read is skipped and reported (the "problem" signal and
 * dossier_merchant_store_get_problems(), with the file name and the line
 * number) and kept in the file as it is; the other merchants are loaded
 * all the same. No file yet is no merchant yet.
 *
 * Returns: %FALSE only when the file exists and cannot be read
 */
gboolean
dossier_merchant_store_load (DossierMerchantStore  *self,
                             GError               **error)
{
  g_auto(Loaded) loaded = { 0, };
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);

  if (!_dossier_merchant_store_load_file (self, &loaded, &local_error))
    {
      _dossier_merchant_store_set_load_result (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  _dossier_merchant_store_take_loaded (self, &loaded);
  _dossier_merchant_store_set_load_result (self, NULL);
  _dossier_merchant_store_remove_stale_temporaries (self);
  return TRUE;
}

static guint
find_position (DossierMerchantStore *self,
               DossierMerchant      *merchant)
{
  guint position;

  if (g_ptr_array_find (self->items, merchant, &position))
    return position;
  return G_MAXUINT;
}

/* Where @merchant goes in the sorted list */
static guint
sorted_position (DossierMerchantStore *self,
                 DossierMerchant      *merchant)
{
  guint low = 0, high = self->items->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (dossier_merchant_compare (g_ptr_array_index (self->items, middle), merchant) < 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

static void
insert_sorted (DossierMerchantStore *self,
               DossierMerchant      *merchant)
{
  guint position = sorted_position (self, merchant);

  g_ptr_array_insert (self->items, position, g_object_ref (merchant));
  g_hash_table_insert (self->by_id, (gpointer) dossier_merchant_get_id (merchant), merchant);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
remove_by_id (DossierMerchantStore *self,
              const char           *id)
{
  DossierMerchant *merchant = g_hash_table_lookup (self->by_id, id);
  guint position;

  if (merchant == NULL)
    return;

  position = find_position (self, merchant);
  g_hash_table_remove (self->by_id, id);
  g_hash_table_remove (self->cache, id);
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* The line @merchant was read from or last saved as; NULL for a new one */
static const char *
base_line (DossierMerchantStore *self,
           DossierMerchant      *merchant)
{
  CachedLine *cached = g_hash_table_lookup (self->cache, dossier_merchant_get_id (merchant));

  if (cached != NULL && cached->merchant == merchant)
    return cached->line;
  return g_object_get_qdata (G_OBJECT (merchant), base_line_quark ());
}

/* @line as a record; NULL when it cannot be read */
static DossierMerchant *
parse_record (DossierMerchantStore *self,
              const char           *line)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  DossierMerchant *base;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  base = _dossier_merchant_new_from_json (json_node_get_object (root), NULL);
  if (base != NULL)
    _dossier_merchant_strip (base, self->catalogue, NULL);
  return base;
}

static void
add_keys (GHashTable *set,
          GHashTable *table)
{
  GHashTableIter iter;
  gpointer key;

  if (table == NULL)
    return;
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (set, key);
}

/* Whether @mine left the member as it was in @base */
#define UNCHANGED(mine, base) (g_strcmp0 ((mine), (base)) == 0)

/* @mine (this process's record) gets @theirs' value (the file's, written
 * by another process) of every member @mine did not change since @base */
static void
merge_changes (DossierMerchant *mine,
               DossierMerchant *base,
               DossierMerchant *theirs)
{
  g_autoptr(GHashTable) providers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const char **ids = NULL;
  guint n;

  if (UNCHANGED (mine->name, base->name))
    dossier_merchant_set_name (mine, theirs->name);
  if (UNCHANGED (mine->reference, base->reference))
    dossier_merchant_set_reference (mine, theirs->reference);
  if (UNCHANGED (mine->notes, base->notes))
    dossier_merchant_set_notes (mine, theirs->notes);

  add_keys (providers, mine->accounts);
  add_keys (providers, base->accounts);
  add_keys (providers, theirs->accounts);
  ids = (const char **) g_hash_table_get_keys_as_array (providers, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree const char **names = NULL;
      guint n_names;

      add_keys (fields, g_hash_table_lookup (mine->accounts, ids[i]));
      add_keys (fields, g_hash_table_lookup (base->accounts, ids[i]));
      add_keys (fields, g_hash_table_lookup (theirs->accounts, ids[i]));
      names = (const char **) g_hash_table_get_keys_as_array (fields, &n_names);
      for (guint j = 0; j < n_names; j++)
        {
          const char *value = dossier_merchant_get_account_value (mine, ids[i], names[j]);
          const char *theirs_value = dossier_merchant_get_account_value (theirs, ids[i], names[j]);

          if (UNCHANGED (value, dossier_merchant_get_account_value (base, ids[i], names[j])) &&
              !UNCHANGED (value, theirs_value))
            _dossier_merchant_put_account_value (mine, ids[i], names[j], theirs_value);
        }
    }
  _dossier_merchant_merge_checklists (mine, theirs);
}

#undef UNCHANGED

typedef enum
{
  CHANGE_ADD,
  CHANGE_UPDATE,
  CHANGE_REMOVE,
} ChangeKind;

/* Applies one change to the file (under the lock, on top of what another
 * process may have written), then to the list. */
static gboolean
commit (DossierMerchantStore  *self,
        ChangeKind             kind,
        DossierMerchant       *merchant,
        const char            *id,
        GError               **error)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *own_line = NULL;
  g_autoptr(GDateTime) now = NULL;
  /* the list may hold the only other reference, and drops it below */
  g_autoptr(DossierMerchant) hold = merchant != NULL ? g_object_ref (merchant) : NULL;
  int lock;
  gboolean ok = FALSE;

  if (kind != CHANGE_REMOVE && dossier_merchant_get_name (merchant)[0] == '\0')
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("A merchant needs a name"));
      return FALSE;
    }

  if (!_dossier_merchant_store_ensure_directory (self->directory, error))
    return FALSE;
  lock = _dossier_merchant_store_lock (self, error);
  if (lock < 0)
    return FALSE;

  if (_dossier_merchant_store_changed_on_disk (self))
    {
      g_auto(Loaded) loaded = { 0, };

      if (!_dossier_merchant_store_load_file (self, &loaded, error))
        goto out;
      _dossier_merchant_store_take_loaded (self, &loaded);
    }

  switch (kind)
    {
    case CHANGE_ADD:
      if (g_hash_table_contains (self->by_id, id))
        {
          /* only another process could have added this very record */
          kind = CHANGE_UPDATE;
        }
      break;

    case CHANGE_UPDATE:
    case CHANGE_REMOVE:
      if (!g_hash_table_contains (self->by_id, id))
        {
          g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_FOUND,
                       _("The merchant “%s” is not in the list any more (removed in another window?)"),
                       merchant != NULL ? dossier_merchant_get_name (merchant) : id);
          goto out;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (kind == CHANGE_REMOVE)
    {
      g_autofree char *line = _dossier_merchant_store_dup_line (self, g_hash_table_lookup (self->by_id, id));

      if (!_dossier_merchant_store_append_removed (self, line, error))
        goto out;
      /* and every other line with its id, so that none brings it back */
      for (guint i = 0; i < self->kept->len; i++)
        {
          KeptLine *kept = g_ptr_array_index (self->kept, i);

          if (g_strcmp0 (kept->id, id) == 0 &&
              !_dossier_merchant_store_append_removed (self, kept->line, error))
            goto out;
        }
    }
  else
    {
      DossierMerchant *theirs = g_hash_table_lookup (self->by_id, id);
      CachedLine *current = g_hash_table_lookup (self->cache, id);
      const char *base_text = base_line (self, merchant);

      /* the file's record is not the version @merchant was read as:
       * another process changed it too, and both changes stay */
      if (theirs != NULL && theirs != merchant && base_text != NULL &&
          current != NULL && g_strcmp0 (current->line, base_text) != 0)
        {
          g_autoptr(DossierMerchant) base = parse_record (self, base_text);

          if (base != NULL)
            merge_changes (merchant, base, theirs);
        }

      /* what the descriptors do not let a record keep never reaches the disk */
      _dossier_merchant_strip (merchant, self->catalogue, NULL);
      now = g_date_time_new_now_utc ();
      _dossier_merchant_touch (merchant, now);
      own_line = _dossier_merchant_store_dup_line (self, merchant);
      if (strlen (own_line) > DOSSIER_MERCHANT_STORE_MAX_LINE)
        {
          g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                       _("The record of “%s” is too large to be saved: shorten its notes"),
                       dossier_merchant_get_name (merchant));
          goto out;
        }
    }

  text = g_string_sized_new (self->exists ? (gsize) self->st.st_size + 1024 : 4096);
  for (guint i = 0; i < self->items->len; i++)
    {
      DossierMerchant *other = g_ptr_array_index (self->items, i);
      g_autofree char *line = NULL;

      if (g_str_equal (dossier_merchant_get_id (other), id))
        continue;
      line = _dossier_merchant_store_dup_line (self, other);
      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }
  if (own_line != NULL)
    {
      g_string_append (text, own_line);
      g_string_append_c (text, '\n');
    }
  /* what could not be read stays, as it was */
  for (guint i = 0; i < self->kept->len; i++)
    {
      KeptLine *kept = g_ptr_array_index (self->kept, i);

      if (kind == CHANGE_REMOVE && g_strcmp0 (kept->id, id) == 0)
        continue;
      g_string_append (text, kept->line);
      g_string_append_c (text, '\n');
    }

  if (!_dossier_merchant_store_write_file (self, text->str, text->len, error))
    goto out;

  self->exists = stat (self->path, &self->st) == 0;
  /* a read begun before this is older than the list now */
  self->serial++;

  /* the list follows the file */
  remove_by_id (self, id);
  if (kind == CHANGE_REMOVE)
    {
      for (guint i = self->kept->len; i > 0; i--)
        if (g_strcmp0 (((KeptLine *) g_ptr_array_index (self->kept, i - 1))->id, id) == 0)
          g_ptr_array_remove_index (self->kept, i - 1);
    }
  else
    {
      _dossier_merchant_store_cache_line (self->cache, merchant, g_steal_pointer (&own_line), TRUE);
      g_object_set_qdata (G_OBJECT (merchant), base_line_quark (), NULL);
      insert_sorted (self, merchant);
    }
  ok = TRUE;
  /* the list is what the file holds now */
  _dossier_merchant_store_set_load_result (self, NULL);

out:
  close (lock);
  return ok;
}

/**
 * dossier_merchant_store_add:
 * @merchant: a new record (dossier_merchant_new())
 *
 * Saves @merchant and adds it to the store.
 *
 * Returns: %TRUE if saved; %FALSE with @error (nothing added) if not
 */
gboolean
dossier_merchant_store_add (DossierMerchantStore  *self,
                            DossierMerchant       *merchant,
                            GError               **error)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (merchant), FALSE);

  return commit (self, CHANGE_ADD, merchant, dossier_merchant_get_id (merchant), error);
}

/**
 * dossier_merchant_store_update:
 * @merchant: a record of the store (or a record with the id of one, which
 *   replaces it)
 *
 * Saves @merchant's changes, and moves it to its place when its name
 * changed.
 *
 * Returns: %TRUE if saved; %FALSE with @error if not
 */
gboolean
dossier_merchant_store_update (DossierMerchantStore  *self,
                               DossierMerchant       *merchant,
                               GError               **error)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (merchant), FALSE);

  return commit (self, CHANGE_UPDATE, merchant, dossier_merchant_get_id (merchant), error);
}

/**
 * dossier_merchant_store_remove:
 * @id: a merchant's id
 *
 * Takes the merchant out of the list; its record moves to
 * merchants-removed.jsonl beside the records (not loaded).
 *
 * Returns: %TRUE if removed; %FALSE with @error if not
 */
gboolean
dossier_merchant_store_remove (DossierMerchantStore  *self,
                               const char            *id,
                               GError               **error)
{
  g_autoptr(DossierMerchant) merchant = NULL;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (g_hash_table_lookup (self->by_id, id) != NULL)
    merchant = g_object_ref (g_hash_table_lookup (self->by_id, id));
  return commit (self, CHANGE_REMOVE, merchant, id, error);
}

/**
 * dossier_merchant_store_lookup:
 * @id: a merchant's id
 *
 * Returns: (transfer none) (nullable): the merchant with @id
 */
DossierMerchant *
dossier_merchant_store_lookup (DossierMerchantStore *self,
                               const char           *id)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

/**
 * dossier_merchant_store_search:
 * @query: (nullable): what the clerk typed
 *
 * The merchants whose name, reference or notes hold every word of @query
 * (see dossier_merchant_matches()), sorted by name; all of them for an
 * empty query.
 *
 * Returns: (transfer container) (element-type DossierMerchant): the matches
 */
GPtrArray *
dossier_merchant_store_search (DossierMerchantStore *self,
                               const char           *query)
{
  g_auto(GStrv) words = NULL;
  GPtrArray *matches = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), matches);

  words = _dossier_merchant_split_query (query);
  for (guint i = 0; i < self->items->len; i++)
    {
      DossierMerchant *merchant = g_ptr_array_index (self->items, i);

      if (_dossier_merchant_matches_folded (merchant, (const char * const *) words))
        g_ptr_array_add (matches, g_object_ref (merchant));
    }

  return matches;
}
