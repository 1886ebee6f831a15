/* dossier-sandbox-storage.c: where the sandbox keeps what it receives, and the record of it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

const char *
_dossier_sandbox_sniff_type (const guint8 *head,
                             gsize         len)
{
  if (len >= 8 && memcmp (head, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
    return "image/jpeg";
  if (len >= 6 && (memcmp (head, "GIF87a", 6) == 0 || memcmp (head, "GIF89a", 6) == 0))
    return "image/gif";
  if (len >= 12 && memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (len >= 5 && memcmp (head, "%PDF-", 5) == 0)
    return "application/pdf";
  return NULL;
}

const char *
_dossier_sandbox_part_content_type (const DossierSandboxMultipartPart *part)
{
  const char *sniffed = _dossier_sandbox_sniff_type (part->head, part->head_len);

  if (sniffed != NULL)
    return sniffed;
  if (part->content_type != NULL && *part->content_type != '\0')
    return part->content_type;
  if (part->is_text && part->size > 0)
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

void
_dossier_sandbox_stored_file_free (gpointer data)
{
  DossierSandboxStoredFile *file = data;

  g_free (file->path);
  g_free (file->content_type);
  g_free (file->file_name);
  g_free (file);
}

char *
_dossier_sandbox_provider_dir (DossierSandbox *self,
                               const char     *provider)
{
  char *dir = g_build_filename (self->storage_dir, provider, NULL);

  g_mkdir_with_parents (dir, 0700);
  return dir;
}

/* Moves a parsed file part to its final place; the part keeps it */
gboolean
_dossier_sandbox_keep_part (DossierSandbox              *self,
                            DossierSandboxMultipartPart *part,
                            const char                  *provider,
                            const char                  *stored_name,
                            GError                     **error)
{
  g_autofree char *dir = _dossier_sandbox_provider_dir (self, provider);
  g_autofree char *dest = g_build_filename (dir, stored_name, NULL);

  if (g_rename (part->path, dest) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not store %s: %s"), dest, g_strerror (saved));
      return FALSE;
    }

  g_free (part->path);
  part->path = g_steal_pointer (&dest);
  part->keep = TRUE;

  return TRUE;
}

void
_dossier_sandbox_register_file (DossierSandbox *self,
                                const char     *key,
                                const char     *path,
                                const char     *content_type,
                                const char     *file_name)
{
  DossierSandboxStoredFile *file = g_new0 (DossierSandboxStoredFile, 1);

  file->path = g_strdup (path);
  file->content_type = g_strdup (content_type);
  file->file_name = g_strdup (file_name);
  g_hash_table_replace (self->files, g_strdup (key), file);
}

void
_dossier_sandbox_add_fields (JsonBuilder *b,
                             GPtrArray   *parts)
{
  json_builder_begin_object (b);
  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);
      const char *value;
      gsize len;

      if (part->filename != NULL || part->value == NULL)
        continue;
      value = g_bytes_get_data (part->value, &len);
      if (!g_utf8_validate_len (value, len, NULL))
        continue;
      _dossier_sandbox_add_string (b, part->name, value);
    }
  json_builder_end_object (b);
}

static void
record_received (DossierSandbox *self,
                 const char     *provider,
                 const char     *operation,
                 const char     *id,
                 const char     *file_name,
                 const char     *content_type,
                 guint64         size,
                 const char     *sha256,
                 const char     *path,
                 GPtrArray      *parts,
                 gint            chunk)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "provider", provider);
  _dossier_sandbox_add_string (b, "operation", operation);
  _dossier_sandbox_add_string (b, "id", id);
  _dossier_sandbox_add_string (b, "file_name", file_name);
  _dossier_sandbox_add_string (b, "content_type", content_type);
  _dossier_sandbox_add_int (b, "size", size);
  _dossier_sandbox_add_string (b, "sha256", sha256);
  _dossier_sandbox_add_string (b, "path", path);
  if (chunk >= 0)
    _dossier_sandbox_add_int (b, "chunk", chunk);
  json_builder_set_member_name (b, "fields");
  _dossier_sandbox_add_fields (b, parts);
  json_builder_end_object (b);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->received, json_builder_get_root (b));
  g_mutex_unlock (&self->lock);
}

/* Records a file part that the request @ctx stored, under @id, for its
 * route's provider and operation */
void
_dossier_sandbox_record_part (DossierSandboxRequest             *ctx,
                              const char                        *id,
                              const DossierSandboxMultipartPart *part,
                              const char                        *content_type,
                              gint                               chunk)
{
  record_received (ctx->self, ctx->route->provider, ctx->route->op, id, part->filename,
                   content_type, part->size, part->sha256, part->path,
                   dossier_sandbox_multipart_parser_get_parts (ctx->parser), chunk);
}

/* Records a saved file: a whole upload, or a session's chunks put together */
void
_dossier_sandbox_record_saved (DossierSandbox                *self,
                               const char                    *operation,
                               const char                    *id,
                               const DossierSandboxSavedFile *file)
{
  record_received (self, file->provider, operation, id, file->file_name, file->content_type,
                   file->size, file->sha256, file->path, file->parts, -1);
}

void
_dossier_sandbox_files_get (DossierSandbox        *self,
                            SoupServerMessage     *msg,
                            DossierSandboxRequest *ctx)
{
  const char *provider = g_ptr_array_index (ctx->params, 0);
  const char *id = g_ptr_array_index (ctx->params, 1);
  g_autofree char *key = g_strconcat (provider, "/", id, NULL);
  DossierSandboxStoredFile *file = g_hash_table_lookup (self->files, key);

  if (file == NULL || g_str_has_prefix (key, "kore-media/"))
    {
      _dossier_sandbox_reply_error (msg, NULL, 404, NULL, "file not found");
      return;
    }

  if (g_str_equal (provider, "doku") && _dossier_sandbox_query_expired (msg, "Expires", TRUE))
    {
      _dossier_sandbox_reply_error (msg, "doku", 403, "FORBIDDEN", "This link has expired or is not signed");
      return;
    }

  if (file->path == NULL)
    {
      /* a DOKU upload by file_url: nothing stored, send the client there */
      soup_server_message_set_redirect (msg, 302, file->file_name);
      return;
    }

  _dossier_sandbox_serve_file (msg, file->path, file->content_type);
}

gboolean
_dossier_sandbox_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            _dossier_sandbox_remove_tree (child);
          else
            g_unlink (child);
        }
    }

  return g_rmdir (path) == 0;
}

/* @path and its parents, private to the user */
static gboolean
make_folder (const char  *path,
             GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the sandbox’s storage folder %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/* Where sandboxes keep what they receive: documents, so not /tmp (shared,
 * and kept after a kill). $XDG_RUNTIME_DIR is private to the user and
 * emptied at logout; the user's cache folder otherwise. */
static char *
storage_parent (GError **error)
{
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *parent = NULL;

  if (runtime != NULL && g_path_is_absolute (runtime) &&
      g_file_test (runtime, G_FILE_TEST_IS_DIR) && g_access (runtime, W_OK) == 0)
    {
      parent = g_build_filename (runtime, "dossier-sandbox", NULL);
      if (g_mkdir_with_parents (parent, 0700) == 0)
        return g_steal_pointer (&parent);
      g_clear_pointer (&parent, g_free);
    }

  parent = g_build_filename (g_get_user_cache_dir (), "dossier", "sandbox", NULL);
  if (!make_folder (parent, error))
    return NULL;

  return g_steal_pointer (&parent);
}

/* Each sandbox's folder is "PID-" and six random characters, with a file
 * "lock" that the sandbox holds an flock() on while it lives: the kernel drops the lock
 * when the process dies however it dies, and unlike a PID it cannot be
 * mistaken for another process's. A folder whose lock nobody holds is
 * left over from a killed sandbox: removed. */
#define STORAGE_LOCK "lock"

static gboolean
storage_is_stale (const char *folder)
{
  g_autofree char *lock = g_build_filename (folder, STORAGE_LOCK, NULL);
  int fd = g_open (lock, O_RDWR | O_CLOEXEC, 0);
  gboolean stale;
  GStatBuf st;

  if (fd < 0)
    {
      /* no lock (yet): a sandbox that is just being set up, unless old */
      return errno == ENOENT && g_stat (folder, &st) == 0 &&
             st.st_mtime < (time_t) (g_get_real_time () / G_USEC_PER_SEC) - 60;
    }

  stale = flock (fd, LOCK_EX | LOCK_NB) == 0;
  close (fd);

  return stale;
}

static void
remove_stale_storage (const char *parent)
{
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = g_build_filename (parent, name, NULL);

      /* only what a sandbox made: "PID-" and six random characters */
      if (!g_ascii_isdigit (name[0]) || strchr (name, '-') == NULL ||
          !g_file_test (folder, G_FILE_TEST_IS_DIR) || g_file_test (folder, G_FILE_TEST_IS_SYMLINK))
        continue;

      if (storage_is_stale (folder))
        {
          g_debug ("Removing the storage of a sandbox that is gone: %s", folder);
          _dossier_sandbox_remove_tree (folder);
        }
    }
}

static char *
make_own_storage (int     *lock_fd,
                  GError **error)
{
  g_autofree char *parent = storage_parent (error);
  g_autofree char *folder = NULL;
  g_autofree char *lock = NULL;
  int fd;

  if (parent == NULL)
    return NULL;

  remove_stale_storage (parent);

  /* g_mkdtemp replaces the six X of the template */
  folder = g_strdup_printf ("%s/%d-" "XX" "XX" "XX", parent, (int) getpid ());
  if (g_mkdtemp_full (folder, 0700) == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Could not create the sandbox’s storage folder %s: %s"),
                   folder, g_strerror (errno));
      return NULL;
    }

  lock = g_build_filename (folder, STORAGE_LOCK, NULL);
  fd = g_open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not lock %s: %s"), lock, g_strerror (saved));
      _dossier_sandbox_remove_tree (folder);
      return NULL;
    }

  *lock_fd = fd;
  return g_steal_pointer (&folder);
}

/* The storage folder: the one given at construction, made if need be, or
 * a private one of the sandbox's own; and its folder for incoming parts */
gboolean
_dossier_sandbox_storage_init (DossierSandbox  *self,
                               GError         **error)
{
  if (self->storage_dir == NULL)
    {
      self->storage_dir = make_own_storage (&self->storage_lock, error);
      if (self->storage_dir == NULL)
        return FALSE;
      self->own_storage = TRUE;
    }
  else if (!make_folder (self->storage_dir, error))
    return FALSE;

  self->incoming_dir = g_build_filename (self->storage_dir, "incoming", NULL);

  return make_folder (self->incoming_dir, error);
}
