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
 *   it was loaded, then applies its own change to that.
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
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dossier-json.h"
#include "dossier-merchant-private.h"
#include "dossier-merchant-store.h"

#define FILE_NAME         "merchants.jsonl"
#define REMOVED_FILE_NAME "merchants-removed.jsonl"
#define LOCK_FILE_NAME    "merchants.lock"

/* A temporary file older than this is a left-over of a crash */
#define STALE_TEMPORARY_SECONDS (60 * 60)

typedef struct
{
  guint  generation;  /* of the merchant when @line was its text */
  char  *line;
} CachedLine;

/* What a load read */
typedef struct
{
  GPtrArray  *items;      /* DossierMerchant, sorted */
  GPtrArray  *kept;       /* char *: lines written back as they are */
  GHashTable *cache;      /* id -> CachedLine */
  GPtrArray  *problems;   /* GError */
  gboolean    exists;
  struct stat st;
} Loaded;

struct _DossierMerchantStore
{
  GObject           parent_instance;

  DossierCatalogue *catalogue;
  char             *directory;
  char             *path;
  GPtrArray        *items;      /* DossierMerchant, sorted */
  GHashTable       *by_id;      /* id -> DossierMerchant (owned by items) */
  GPtrArray        *problems;   /* GError, "file, line N: what is wrong" */
  GPtrArray        *kept;       /* char *: damaged or newer lines */
  GHashTable       *cache;      /* id -> CachedLine: the text of unchanged records */
  gboolean          exists;     /* the file existed at the last load or save */
  struct stat       st;         /* and was this one */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierMerchantStore, dossier_merchant_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cached_line_free (gpointer data)
{
  CachedLine *cached = data;

  g_free (cached->line);
  g_free (cached);
}

static GHashTable *
new_cache (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_line_free);
}

static void
cache_line (GHashTable      *cache,
            DossierMerchant *merchant,
            char            *line)
{
  CachedLine *cached = g_new (CachedLine, 1);

  cached->generation = _dossier_merchant_get_generation (merchant);
  cached->line = line;
  g_hash_table_insert (cache, g_strdup (dossier_merchant_get_id (merchant)), cached);
}

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
  self->kept = g_ptr_array_new_with_free_func (g_free);
  self->cache = new_cache ();
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

static void
add_problem (Loaded       *loaded,
             const char   *path,
             guint         line,
             const GError *error)
{
  g_ptr_array_add (loaded->problems,
                   g_error_new (error->domain, error->code,
                                /* Translators: "<file>, line <n>: <what is wrong>" */
                                _("%s, line %u: %s"), path, line, error->message));
}

static void
loaded_clear (Loaded *loaded)
{
  g_clear_pointer (&loaded->items, g_ptr_array_unref);
  g_clear_pointer (&loaded->kept, g_ptr_array_unref);
  g_clear_pointer (&loaded->cache, g_hash_table_unref);
  g_clear_pointer (&loaded->problems, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loaded, loaded_clear)

static int
compare_merchants (gconstpointer a,
                   gconstpointer b)
{
  return dossier_merchant_compare (*(DossierMerchant **) a, *(DossierMerchant **) b);
}

/* One line: a merchant (and its text cached), or a problem and the line
 * kept as it is */
static void
load_line (DossierMerchantStore *self,
           Loaded               *loaded,
           GHashTable           *seen,
           JsonParser           *parser,
           const char           *text,
           gsize                 length,
           guint                 number)
{
  g_autoptr(DossierMerchant) merchant = NULL;
  g_autoptr(GPtrArray) dropped = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!dossier_json_load (parser, text, length, DOSSIER_MERCHANT_STORE_MAX_LINE, &error))
    {
      g_prefix_error (&error, _("not a merchant’s record: "));
      goto keep;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (&error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("not a merchant’s record: %s"), _("not a JSON object"));
      goto keep;
    }

  merchant = _dossier_merchant_new_from_json (json_node_get_object (root), &error);
  if (merchant == NULL)
    goto keep;

  if (g_hash_table_contains (seen, dossier_merchant_get_id (merchant)))
    {
      g_set_error (&error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("a second record for the merchant “%s”: the first is used, this one "
                     "is left as it is"), dossier_merchant_get_name (merchant));
      goto keep;
    }

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
      add_problem (loaded, self->path, number, notice);
    }
  else
    {
      /* unchanged: its text is written back as it is */
      cache_line (loaded->cache, merchant, g_strndup (text, length));
    }

  g_hash_table_add (seen, g_strdup (dossier_merchant_get_id (merchant)));
  g_ptr_array_add (loaded->items, g_steal_pointer (&merchant));
  return;

keep:
  add_problem (loaded, self->path, number, error);
  g_ptr_array_add (loaded->kept, g_strndup (text, length));
}

/* Reads the file into @loaded; FALSE only when it exists and cannot be
 * read */
static gboolean
load_file (DossierMerchantStore  *self,
           Loaded                *loaded,
           GError               **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *data = NULL;
  gsize done = 0;
  guint number = 0;
  const char *line;
  const char *end;
  int fd;

  loaded->items = g_ptr_array_new_with_free_func (g_object_unref);
  loaded->kept = g_ptr_array_new_with_free_func (g_free);
  loaded->cache = new_cache ();
  loaded->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  loaded->exists = FALSE;

  fd = open (self->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd < 0)
    return IO_ERROR (error, errno, _("Could not read the merchants in %s: %s"), self->path);

  if (fstat (fd, &loaded->st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return IO_ERROR (error, saved_errno, _("Could not read the merchants in %s: %s"), self->path);
    }
  if (!S_ISREG (loaded->st.st_mode) || loaded->st.st_size > DOSSIER_MERCHANT_STORE_MAX_FILE)
    {
      g_autofree char *limit = g_format_size (DOSSIER_MERCHANT_STORE_MAX_FILE);

      close (fd);
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   /* Translators: %s is a file, then a size, "256.0 MB" */
                   _("Could not read the merchants in %s: not a file of at most %s"),
                   self->path, limit);
      return FALSE;
    }

  data = g_malloc ((gsize) loaded->st.st_size + 1);
  while (done < (gsize) loaded->st.st_size)
    {
      gssize n = read (fd, data + done, (gsize) loaded->st.st_size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          return IO_ERROR (error, saved_errno, _("Could not read the merchants in %s: %s"), self->path);
        }
      if (n == 0)
        break;
      done += n;
    }
  close (fd);
  data[done] = '\0';
  loaded->exists = TRUE;

  parser = json_parser_new_immutable ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (line = data; line < data + done; line = end + 1)
    {
      const char *p;

      end = memchr (line, '\n', data + done - line);
      if (end == NULL)
        end = data + done;
      number++;

      for (p = line; p < end && g_ascii_isspace (*p); p++)
        ;
      if (p == end)
        continue;

      load_line (self, loaded, seen, parser, line, end - line, number);
    }

  g_ptr_array_sort (loaded->items, compare_merchants);
  return TRUE;
}

/* What @loaded read becomes the store's */
static void
take_loaded (DossierMerchantStore *self,
             Loaded               *loaded)
{
  guint old_n = self->items->len;

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

  for (guint i = 0; i < self->problems->len; i++)
    {
      GError *problem = g_ptr_array_index (self->problems, i);

      g_debug ("merchant records: %s", problem->message);
      g_signal_emit (self, signals[PROBLEM], 0, self->path, problem);
    }

  if (old_n > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->items->len);
}

static void
remove_stale_temporaries (DossierMerchantStore *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->directory, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, "." FILE_NAME "."))
        continue;
      path = g_build_filename (self->directory, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) &&
          st.st_mtime + STALE_TEMPORARY_SECONDS < now)
        g_unlink (path);
    }
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

  g_return_val_if_fail (DOSSIER_IS_MERCHANT_STORE (self), FALSE);

  if (!load_file (self, &loaded, error))
    return FALSE;

  take_loaded (self, &loaded);
  remove_stale_temporaries (self);
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
    {
      int saved_errno = errno;

      return IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), directory);
    }

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
 * process once the new file is written and synced, before it is renamed
 * over the old one, as a crash would */
static void
test_kill_before_rename (void)
{
  const char *when = g_getenv ("DOSSIER_TEST_KILL_MERCHANT_WRITE");

  if (when != NULL && g_str_equal (when, "before-rename"))
    raise (SIGKILL);
}

/* @text replaces the file, atomically */
static gboolean
write_file (DossierMerchantStore  *self,
            const char            *text,
            gsize                  length,
            GError               **error)
{
  g_autofree char *temporary = g_build_filename (self->directory, "." FILE_NAME ".XXXXXX", NULL);
  int fd;

  fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      return IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), self->path);
    }

  if (!write_all (fd, text, length) || fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temporary);
      return IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), self->path);
    }
  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (temporary);
      return IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), self->path);
    }

  test_kill_before_rename ();

  if (g_rename (temporary, self->path) != 0)
    {
      int saved_errno = errno;

      g_unlink (temporary);
      return IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), self->path);
    }

  return sync_directory (self->directory, error);
}

/* Appends @line to the removed merchants' file, synced */
static gboolean
append_removed (DossierMerchantStore  *self,
                const char            *line,
                GError               **error)
{
  g_autofree char *path = g_build_filename (self->directory, REMOVED_FILE_NAME, NULL);
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      return IO_ERROR (error, saved_errno, _("Could not keep the removed merchant in %s: %s"), path);
    }
  if (!write_all (fd, text, strlen (text)) || fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return IO_ERROR (error, saved_errno, _("Could not keep the removed merchant in %s: %s"), path);
    }
  close (fd);
  return TRUE;
}

/* The record's text, from the cache when it has not changed */
static char *
dup_line (DossierMerchantStore *self,
          DossierMerchant      *merchant)
{
  CachedLine *cached = g_hash_table_lookup (self->cache, dossier_merchant_get_id (merchant));
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (cached != NULL && cached->generation == _dossier_merchant_get_generation (merchant))
    return g_strdup (cached->line);

  root = _dossier_merchant_to_json (merchant);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The file changed since the store read or wrote it (another process) */
static gboolean
changed_on_disk (DossierMerchantStore *self)
{
  struct stat st;

  if (stat (self->path, &st) != 0)
    return self->exists;
  return !self->exists ||
         st.st_ino != self->st.st_ino || st.st_dev != self->st.st_dev ||
         st.st_size != self->st.st_size ||
         st.st_mtim.tv_sec != self->st.st_mtim.tv_sec ||
         st.st_mtim.tv_nsec != self->st.st_mtim.tv_nsec;
}

static int
lock_store (DossierMerchantStore  *self,
            GError               **error)
{
  g_autofree char *path = g_build_filename (self->directory, LOCK_FILE_NAME, NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      (void) IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), path);
      return -1;
    }
  while (flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      close (fd);
      (void) IO_ERROR (error, saved_errno, _("Could not save the merchants in %s: %s"), path);
      return -1;
    }
  return fd;
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

  if (!ensure_directory (self->directory, error))
    return FALSE;
  lock = lock_store (self, error);
  if (lock < 0)
    return FALSE;

  if (changed_on_disk (self))
    {
      g_auto(Loaded) loaded = { 0, };

      if (!load_file (self, &loaded, error))
        goto out;
      take_loaded (self, &loaded);
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
      g_autofree char *line = dup_line (self, g_hash_table_lookup (self->by_id, id));

      if (!append_removed (self, line, error))
        goto out;
    }
  else
    {
      /* what the descriptors do not let a record keep never reaches the disk */
      _dossier_merchant_strip (merchant, self->catalogue, NULL);
      now = g_date_time_new_now_utc ();
      _dossier_merchant_touch (merchant, now);
      own_line = dup_line (self, merchant);
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
      line = dup_line (self, other);
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
      g_string_append (text, g_ptr_array_index (self->kept, i));
      g_string_append_c (text, '\n');
    }

  if (!write_file (self, text->str, text->len, error))
    goto out;

  self->exists = stat (self->path, &self->st) == 0;

  /* the list follows the file */
  remove_by_id (self, id);
  if (kind != CHANGE_REMOVE)
    {
      cache_line (self->cache, merchant, g_steal_pointer (&own_line));
      insert_sorted (self, merchant);
    }
  ok = TRUE;

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
