/* dossier-merchant-store-file.c: reading and writing merchants.jsonl
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file's format, and why one file of lines, are described at the top
 * of dossier-merchant-store.c.
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
#include "dossier-json-private.h"
#include "dossier-merchant-store-private.h"

static void
cached_line_free (gpointer data)
{
  CachedLine *cached = data;

  g_object_unref (cached->merchant);
  g_free (cached->line);
  g_free (cached);
}

GHashTable *
_dossier_merchant_store_new_cache (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_line_free);
}

void
_dossier_merchant_store_cache_line (GHashTable      *cache,
            DossierMerchant *merchant,
            char            *line,
            gboolean         reusable)
{
  CachedLine *cached = g_new (CachedLine, 1);

  cached->merchant = g_object_ref (merchant);
  cached->generation = _dossier_merchant_get_generation (merchant);
  cached->reusable = reusable;
  cached->line = line;
  g_hash_table_insert (cache, g_strdup (dossier_merchant_get_id (merchant)), cached);
}

static void
kept_line_free (gpointer data)
{
  KeptLine *kept = data;

  g_free (kept->id);
  g_free (kept->line);
  g_free (kept);
}

GPtrArray *
_dossier_merchant_store_new_kept (void)
{
  return g_ptr_array_new_with_free_func (kept_line_free);
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

void
_dossier_merchant_store_loaded_clear (Loaded *loaded)
{
  g_clear_pointer (&loaded->items, g_ptr_array_unref);
  g_clear_pointer (&loaded->kept, g_ptr_array_unref);
  g_clear_pointer (&loaded->cache, g_hash_table_unref);
  g_clear_pointer (&loaded->problems, g_ptr_array_unref);
}


static int
compare_merchants (gconstpointer a,
                   gconstpointer b)
{
  return dossier_merchant_compare (*(DossierMerchant **) a, *(DossierMerchant **) b);
}

/* The members a record of this format has; any other is left out */
static const char * const known_members[] = {
  "format", "id", "name", "reference", "notes", "created", "modified", "accounts",
  "checklists", NULL
};

/* Adds the names of the members of @object a record does not have to
 * @unknown, quoted and cut short (a hand-edited file may hold anything) */
static void
find_unknown_members (JsonObject *object,
                      GPtrArray  *unknown)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_strv_contains (known_members, name))
      {
        g_autofree char *clean = _dossier_merchant_clean_text (name, 64, FALSE);

        for (char *c = clean; *c != '\0'; c++)
          if ((guchar) *c < 0x20 || *c == 0x7f)
            *c = ' ';
        g_ptr_array_add (unknown, g_strdup_printf ("“%s”", clean));
      }
}

static char *
join_names (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

/* One line: a merchant (and its line cached), or a problem and the line
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
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root = NULL;
  KeptLine *kept;

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
      g_autofree char *names = join_names (dropped);

      notice = g_error_new (DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD,
                            /* Translators: %s lists "provider/field" names, never values */
                            _("values left out, as the providers do not take them as account "
                              "values: %s"), names);
      add_problem (loaded, self->path, number, notice);
    }

  /* a record keeps only what it knows: a member added by hand (a "token")
   * is not written back */
  unknown = g_ptr_array_new_with_free_func (g_free);
  find_unknown_members (json_node_get_object (root), unknown);
  if (unknown->len > 0)
    {
      g_autoptr(GError) notice = NULL;
      g_autofree char *names = join_names (unknown);

      notice = g_error_new (DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                            /* Translators: %s lists quoted member names, never values */
                            _("left out, as a merchant’s record has no such part: %s"), names);
      add_problem (loaded, self->path, number, notice);
    }

  /* unchanged, its text is written back as it is; else it is the
   * version read, for a merge */
  _dossier_merchant_store_cache_line (loaded->cache, merchant, g_strndup (text, length),
                                      dropped->len == 0 && unknown->len == 0);

  g_hash_table_add (seen, g_strdup (dossier_merchant_get_id (merchant)));
  g_ptr_array_add (loaded->items, g_steal_pointer (&merchant));
  return;

keep:
  add_problem (loaded, self->path, number, error);
  kept = g_new0 (KeptLine, 1);
  kept->line = g_strndup (text, length);
  /* a second copy, a newer format: removing the merchant takes it too */
  if (merchant != NULL)
    kept->id = g_strdup (dossier_merchant_get_id (merchant));
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    kept->id = g_strdup (_dossier_json_get_string (json_node_get_object (root), "id"));
  g_ptr_array_add (loaded->kept, kept);
}

/* Reads the file into @loaded; FALSE only when it exists and cannot be
 * read */
gboolean
_dossier_merchant_store_load_file (DossierMerchantStore  *self,
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
  loaded->kept = _dossier_merchant_store_new_kept ();
  loaded->cache = _dossier_merchant_store_new_cache ();
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

void
_dossier_merchant_store_remove_stale_temporaries (DossierMerchantStore *self)
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
gboolean
_dossier_merchant_store_ensure_directory (const char  *directory,
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
gboolean
_dossier_merchant_store_write_file (DossierMerchantStore  *self,
            const char            *text,
            gsize                  length,
            GError               **error)
{
  /* g_mkstemp_full replaces the six X of the template */
  g_autofree char *temporary = g_build_filename (self->directory, "." FILE_NAME ".XX" "XX" "XX", NULL);
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
gboolean
_dossier_merchant_store_append_removed (DossierMerchantStore  *self,
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
char *
_dossier_merchant_store_dup_line (DossierMerchantStore *self,
          DossierMerchant      *merchant)
{
  CachedLine *cached = g_hash_table_lookup (self->cache, dossier_merchant_get_id (merchant));
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* a change count is only the same record's when it is the same object */
  if (cached != NULL && cached->reusable && cached->merchant == merchant &&
      cached->generation == _dossier_merchant_get_generation (merchant))
    return g_strdup (cached->line);

  root = _dossier_merchant_to_json (merchant);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The file changed since the store read or wrote it (another process) */
gboolean
_dossier_merchant_store_changed_on_disk (DossierMerchantStore *self)
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

int
_dossier_merchant_store_lock (DossierMerchantStore  *self,
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
