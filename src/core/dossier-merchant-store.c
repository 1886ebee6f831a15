/* dossier-merchant-store.c: the merchants' records on disk
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where: $XDG_DATA_HOME/dossier/merchants/ (0700), one file per merchant,
 * named after its id: <uuid>.json (0600), a compact JSON object.
 *
 * Why one file per merchant and not one file for all (or a database):
 * - A damaged file costs one merchant, never the others: it is skipped,
 *   reported with its name, and left as it is for the clerk to look at.
 *   One damaged byte in a single file would cost every merchant.
 * - Each save rewrites a few hundred bytes, not every record: the atomic
 *   write (below) stays cheap with 5,000 merchants, and two processes (the
 *   application and dossier-cli) editing two merchants do not undo each
 *   other's change.
 * - Reading them all is fast enough: 5,000 files of ~500 bytes are read and
 *   parsed in a few tens of milliseconds (build-aux/merchant-benchmark.sh
 *   measures it); the parse, not the opening of files, is most of the cost,
 *   and one file would need the same parse. Search runs in memory over a
 *   folded key kept per merchant.
 * - No new dependency (an SQLite database would bring one, and its own
 *   locking and recovery rules).
 *
 * Writes are atomic: the record goes to a temporary file in the same
 * folder (".<id>.XXXXXX", created 0600), which is synced, renamed over the
 * record, and the folder synced. A crash at any point leaves the old record
 * or the new one, never a mix; a left-over temporary file is ignored when
 * loading and removed once it is old.
 *
 * Removing a merchant moves its file to merchants/removed/ (not loaded):
 * uploads keep naming the merchant's id, and an audit may still need its
 * name; the clerk can bring it back by moving the file.
 *
 * A record never keeps a credential: only the account fields of the
 * provider's descriptor are taken (dossier-merchant.c), and values a record
 * read from disk has for any other field of a known provider are dropped
 * and reported (by name, never by value).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dossier-json.h"
#include "dossier-merchant-private.h"
#include "dossier-merchant-store.h"

/* A temporary file older than this is a left-over of a crash */
#define STALE_TEMPORARY_SECONDS (60 * 60)

#define REMOVED_FOLDER "removed"

struct _DossierMerchantStore
{
  GObject           parent_instance;

  DossierCatalogue *catalogue;
  char             *directory;
  GPtrArray        *items;      /* DossierMerchant, sorted */
  GHashTable       *by_id;      /* id -> DossierMerchant (owned by items) */
  GPtrArray        *problems;   /* GError, "file: what is wrong" */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierMerchantStore, dossier_merchant_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->problems);

  G_OBJECT_CLASS (dossier_merchant_store_parent_class)->finalize (object);
}

static void
dossier_merchant_store_class_init (DossierMerchantStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dossier_merchant_store_dispose;
  object_class->finalize = dossier_merchant_store_finalize;

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
}

/**
 * dossier_merchant_store_default_directory:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/dossier/merchants
 */
char *
dossier_merchant_store_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "dossier", "merchants", NULL);
}

/**
 * dossier_merchant_store_new:
 * @catalogue: the providers, whose descriptors say which values a record
 *   may keep
 * @directory: (nullable): where the records are; %NULL for
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
  return self;
}

const char *
dossier_merchant_store_get_directory (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), NULL);
  return self->directory;
}

/**
 * dossier_merchant_store_get_problems:
 *
 * Returns: (transfer none) (element-type GError): what the last load found
 *   wrong, one error per file, each message starting with the file's name
 */
GPtrArray *
dossier_merchant_store_get_problems (DossierMerchantStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), NULL);
  return self->problems;
}

static void
report_problem (DossierMerchantStore *self,
                const char           *file_name,
                const GError         *error)
{
  GError *copy = g_error_new (error->domain, error->code,
                              "%s: %s", file_name, error->message);

  g_debug ("merchant records: %s", copy->message);
  g_ptr_array_add (self->problems, copy);
  g_signal_emit (self, signals[PROBLEM], 0, file_name, copy);
}

/* -------------------------------------------------------------------------- */
/* Reading                                                                    */

static const char *
io_reason (int saved_errno)
{
  return saved_errno == ENOSPC ? _("the disk is full") : g_strerror (saved_errno);
}

/* @format takes the path, then the reason; evaluates to FALSE */
#define IO_ERROR(error, saved_errno, format, path) \
  (g_set_error ((error), G_IO_ERROR, g_io_error_from_errno (saved_errno), (format), \
                (path), io_reason (saved_errno)), FALSE)
/* The same for a record's file, whose name the problem report gives */
#define READ_ERROR(error, saved_errno) \
  (g_set_error ((error), G_IO_ERROR, g_io_error_from_errno (saved_errno), \
                _("could not be read: %s"), io_reason (saved_errno)), FALSE)

/* Reads @path, at most DOSSIER_MERCHANT_STORE_MAX_FILE bytes, into @buffer */
static gboolean
read_record_file (const char  *path,
                  GByteArray  *buffer,
                  GError     **error)
{
  struct stat st;
  gsize done = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return READ_ERROR (error, errno);

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return READ_ERROR (error, saved_errno);
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("not a regular file"));
      return FALSE;
    }
  if (st.st_size > DOSSIER_MERCHANT_STORE_MAX_FILE)
    {
      g_autofree char *limit = g_format_size (DOSSIER_MERCHANT_STORE_MAX_FILE);

      close (fd);
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   /* Translators: %s is a size, "256.0 kB" */
                   _("too large for a merchant’s record (more than %s)"), limit);
      return FALSE;
    }

  /* one byte more than the size: a file that grew is still bounded */
  g_byte_array_set_size (buffer, (guint) st.st_size + 1);
  while (done < buffer->len)
    {
      gssize n = read (fd, buffer->data + done, buffer->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          return READ_ERROR (error, saved_errno);
        }
      if (n == 0)
        break;
      done += n;
    }
  close (fd);

  g_byte_array_set_size (buffer, (guint) done);
  return TRUE;
}

static void
remove_if_stale (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) &&
      st.st_mtime + STALE_TEMPORARY_SECONDS < g_get_real_time () / G_USEC_PER_SEC)
    g_unlink (path);
}

/* The id a record's file name promises, or NULL if it is not one */
static char *
id_from_file_name (const char *name)
{
  g_autofree char *id = NULL;

  if (!g_str_has_suffix (name, ".json"))
    return NULL;
  id = g_strndup (name, strlen (name) - strlen (".json"));
  return g_uuid_string_is_valid (id) ? g_steal_pointer (&id) : NULL;
}

static DossierMerchant *
load_record (DossierMerchantStore  *self,
             JsonParser            *parser,
             GByteArray            *buffer,
             const char            *path,
             const char            *id,
             GError               **error)
{
  g_autoptr(DossierMerchant) merchant = NULL;
  g_autoptr(GPtrArray) dropped = NULL;
  JsonNode *root;

  if (!read_record_file (path, buffer, error) ||
      !dossier_json_load (parser, (const char *) buffer->data, buffer->len,
                          DOSSIER_MERCHANT_STORE_MAX_FILE, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("not a merchant’s record: %s"), _("not a JSON object"));
      return NULL;
    }

  merchant = _dossier_merchant_new_from_json (json_node_get_object (root), id, error);
  if (merchant == NULL)
    return NULL;

  dropped = g_ptr_array_new_with_free_func (g_free);
  _dossier_merchant_strip (merchant, self->catalogue, dropped);
  if (dropped->len > 0)
    {
      g_autoptr(GError) notice = NULL;
      g_autofree char *names = NULL;

      g_ptr_array_add (dropped, NULL);
      names = g_strjoinv (", ", (char **) dropped->pdata);
      notice = g_error_new (DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD,
                            /* Translators: %s lists "provider/field" names, never values */
                            _("values left out, as the providers do not take them as account "
                              "values: %s"), names);
      report_problem (self, path, notice);
    }

  return g_steal_pointer (&merchant);
}

static int
compare_merchants (gconstpointer a,
                   gconstpointer b)
{
  return dossier_merchant_compare (*(DossierMerchant **) a, *(DossierMerchant **) b);
}

/**
 * dossier_merchant_store_load:
 *
 * Reads every record of the store's folder, replacing what the store held.
 * A record that cannot be read is skipped and reported (the "problem"
 * signal and dossier_merchant_store_get_problems(), with its file name);
 * the others are loaded all the same. A missing folder is no merchant yet.
 *
 * Returns: %FALSE only when the folder itself cannot be read
 */
gboolean
dossier_merchant_store_load (DossierMerchantStore  *self,
                             GError               **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  const char *name;
  guint old_n;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);

  g_ptr_array_set_size (self->problems, 0);

  dir = g_dir_open (self->directory, 0, &local_error);
  if (dir == NULL && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not read the merchants in %s: %s"), self->directory, local_error->message);
      return FALSE;
    }

  loaded = g_ptr_array_new_with_free_func (g_object_unref);
  parser = json_parser_new_immutable ();
  buffer = g_byte_array_new ();

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->directory, name, NULL);
      g_autofree char *id = NULL;
      g_autoptr(GError) record_error = NULL;
      DossierMerchant *merchant;

      if (name[0] == '.')
        {
          /* a temporary file of a write (maybe of another process) */
          remove_if_stale (path);
          continue;
        }
      if (g_str_equal (name, REMOVED_FOLDER))
        continue;

      id = id_from_file_name (name);
      if (id == NULL)
        {
          g_autoptr(GError) notice = g_error_new (DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                                                  _("not a merchant’s record (its name is not "
                                                    "an id followed by .json): left as it is"));
          report_problem (self, path, notice);
          continue;
        }

      merchant = load_record (self, parser, buffer, path, id, &record_error);
      if (merchant == NULL)
        {
          report_problem (self, path, record_error);
          continue;
        }
      g_ptr_array_add (loaded, merchant);
    }

  g_ptr_array_sort (loaded, compare_merchants);

  old_n = self->items->len;
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&loaded);
  for (guint i = 0; i < self->items->len; i++)
    {
      DossierMerchant *merchant = g_ptr_array_index (self->items, i);

      g_hash_table_insert (self->by_id, (gpointer) dossier_merchant_get_id (merchant), merchant);
    }

  if (old_n > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->items->len);
  return TRUE;
}

/* -------------------------------------------------------------------------- */
/* Writing                                                                    */

static gboolean
sync_directory (const char  *directory,
                GError     **error)
{
  int fd = open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      return IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), directory);
    }
  close (fd);
  return TRUE;
}

/* @directory made if missing, 0700 */
static gboolean
ensure_directory (const char  *directory,
                  GError     **error)
{
  GStatBuf st;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    return IO_ERROR (error, errno, _("Could not save the merchants in %s: %s"), directory);

  /* only its owner reads the merchants' account values */
  if (g_stat (directory, &st) == 0 && (st.st_mode & 0077) != 0)
    g_chmod (directory, 0700);
  return TRUE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

/* Test hook: DOSSIER_TEST_KILL_MERCHANT_WRITE=before-rename kills this
 * process once a record's temporary file is written and synced, before it
 * is renamed over the record, as a crash would */
static void
test_kill_before_rename (void)
{
  const char *when = g_getenv ("DOSSIER_TEST_KILL_MERCHANT_WRITE");

  if (when != NULL && g_str_equal (when, "before-rename"))
    raise (SIGKILL);
}

static char *
record_path (DossierMerchantStore *self,
             const char           *id)
{
  g_autofree char *name = g_strconcat (id, ".json", NULL);

  return g_build_filename (self->directory, name, NULL);
}

/* Writes @merchant's record atomically, after setting its modified time */
static gboolean
save_record (DossierMerchantStore  *self,
             DossierMerchant       *merchant,
             GError               **error)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *temporary = NULL;
  gsize length;
  int fd;

  if (dossier_merchant_get_name (merchant)[0] == '\0')
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("A merchant needs a name"));
      return FALSE;
    }

  /* what the descriptors do not let a record keep never reaches the disk */
  _dossier_merchant_strip (merchant, self->catalogue, NULL);
  _dossier_merchant_touch (merchant, now);

  root = _dossier_merchant_to_json (merchant);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  if (length > DOSSIER_MERCHANT_STORE_MAX_FILE)
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("The record of “%s” is too large to be saved: shorten its notes"),
                   dossier_merchant_get_name (merchant));
      return FALSE;
    }

  if (!ensure_directory (self->directory, error))
    return FALSE;

  path = record_path (self, dossier_merchant_get_id (merchant));
  {
    g_autofree char *name = g_strdup_printf (".%s.XXXXXX", dossier_merchant_get_id (merchant));

    temporary = g_build_filename (self->directory, name, NULL);
  }

  fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return IO_ERROR (error, errno, _("Could not save the merchant in %s: %s"), path);

  if (!write_all (fd, text, length) || fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temporary);
      return IO_ERROR (error, saved_errno, _("Could not save the merchant in %s: %s"), path);
    }
  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (temporary);
      return IO_ERROR (error, saved_errno, _("Could not save the merchant in %s: %s"), path);
    }

  test_kill_before_rename ();

  if (g_rename (temporary, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (temporary);
      return IO_ERROR (error, saved_errno, _("Could not save the merchant in %s: %s"), path);
    }

  return sync_directory (self->directory, error);
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
remove_at (DossierMerchantStore *self,
           guint                 position)
{
  DossierMerchant *merchant = g_ptr_array_index (self->items, position);

  g_hash_table_remove (self->by_id, dossier_merchant_get_id (merchant));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
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

  if (g_hash_table_contains (self->by_id, dossier_merchant_get_id (merchant)))
    return dossier_merchant_store_update (self, merchant, error);

  if (!save_record (self, merchant, error))
    return FALSE;

  insert_sorted (self, merchant);
  return TRUE;
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
  DossierMerchant *known;
  guint position;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (merchant), FALSE);

  known = g_hash_table_lookup (self->by_id, dossier_merchant_get_id (merchant));
  if (known == NULL)
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_FOUND,
                   _("The merchant “%s” is not in the list any more"),
                   dossier_merchant_get_name (merchant));
      return FALSE;
    }

  if (!save_record (self, merchant, error))
    return FALSE;

  position = find_position (self, known);
  g_assert (position != G_MAXUINT);
  g_object_ref (merchant);
  remove_at (self, position);
  insert_sorted (self, merchant);
  g_object_unref (merchant);
  return TRUE;
}

/**
 * dossier_merchant_store_remove:
 * @id: a merchant's id
 *
 * Takes the merchant out of the list and moves its record to the
 * "removed" folder beside the records (not loaded; moving the file back
 * restores it).
 *
 * Returns: %TRUE if removed; %FALSE with @error if not
 */
gboolean
dossier_merchant_store_remove (DossierMerchantStore  *self,
                               const char            *id,
                               GError               **error)
{
  g_autofree char *path = NULL;
  g_autofree char *removed_dir = NULL;
  g_autofree char *removed_path = NULL;
  g_autofree char *name = NULL;
  DossierMerchant *merchant;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  merchant = g_hash_table_lookup (self->by_id, id);
  if (merchant == NULL)
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_FOUND,
                   _("No merchant has the id “%s”"), id);
      return FALSE;
    }

  path = record_path (self, id);
  removed_dir = g_build_filename (self->directory, REMOVED_FOLDER, NULL);
  name = g_strconcat (id, ".json", NULL);
  removed_path = g_build_filename (removed_dir, name, NULL);

  if (!ensure_directory (removed_dir, error))
    return FALSE;
  if (g_rename (path, removed_path) != 0 && errno != ENOENT)
    return IO_ERROR (error, errno, _("Could not remove the merchant in %s: %s"), path);
  if (!sync_directory (removed_dir, error) || !sync_directory (self->directory, error))
    return FALSE;

  remove_at (self, find_position (self, merchant));
  return TRUE;
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
