/* dossier-history-journal.c: the record's writer, off the main thread
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One writer thread per history file. The model (dossier-history.c) hands
 * it ops in order: lines to append, a compaction, a read of the file. The
 * thread takes every op waiting at once and appends their lines in one
 * write and one sync (a batch of 1000 "queued" lines is one fdatasync),
 * then gives the ops back to the model's main context in the same order.
 *
 * Writing (defect-proof, several processes): lines are appended with
 * O_APPEND under an exclusive flock(), their length is checked and the
 * file fsync()ed; a short or failed write is cut off again (ftruncate to
 * the length before it), so a full disk never leaves a cut line or damages
 * what was recorded, and the error goes back with the op (the submission
 * reports it to the user). A line cut by a crash stays alone on its line
 * and is skipped when read.
 *
 * Compaction (what it keeps: dossier-history-scan.c): a new file is
 * written beside it under the lock and fsync()ed, renamed over the old one
 * and the folder fsync()ed; a crash leaves either file whole. A writer
 * that waited for the lock on the old file sees that the path names
 * another file now and opens it again.
 *
 * Nothing given to a writer is lost when the process ends normally: exit()
 * waits for every writer to finish what it was given.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"

struct _DossierHistoryJournal
{
  char         *path;
  GMutex        mutex;
  GCond         cond;
  GQueue        todo;      /* DossierHistoryOp, for the writer */
  GQueue        done;      /* written, for the owner */
  guint         n_busy;    /* taken by the writer, not done yet */
  gboolean      quit;
  GThread      *thread;
  GMainContext *context;
  GSource      *idle;      /* the owner's dispatch, pending */
  GSourceFunc   dispatch;
  gpointer      owner;
};

/* Every journal of the process, for exit() */
G_LOCK_DEFINE_STATIC (journals);
static GList *journals;

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
}

static gboolean
ensure_folder (const char  *path,
               GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;

  set_errno_error (error, errno, dir);
  return FALSE;
}

static void
sync_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (fsync (fd) != 0)
    g_debug ("%s not synced: %s", dir, g_strerror (errno));
  close (fd);
}

/* The file opened for appending and locked; -1 with @error set */
static int
open_locked (const char  *path,
             GError     **error)
{
  if (!ensure_folder (path, error))
    return -1;

  for (guint tries = 0; tries < 10; tries++)
    {
      struct stat fd_st, path_st;
      int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          set_errno_error (error, errno, path);
          return -1;
        }
      while (flock (fd, LOCK_EX) != 0)
        if (errno != EINTR)
          {
            set_errno_error (error, errno, path);
            close (fd);
            return -1;
          }

      /* compacted by another process while this one waited: the path is a
       * new file now */
      if (fstat (fd, &fd_st) == 0 && stat (path, &path_st) == 0 &&
          fd_st.st_dev == path_st.st_dev && fd_st.st_ino == path_st.st_ino)
        return fd;
      close (fd);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "%s: %s", path,
               g_strerror (EBUSY));
  return -1;
}

/* Appends @data (whole lines) and syncs it; on any failure the file is cut
 * back to the length it had, so what was recorded is never damaged */
static gboolean
append_data (const char  *path,
             const char  *data,
             gsize        length,
             GError     **error)
{
  g_autoptr(GString) text = NULL;
  struct stat st;
  gsize done = 0;
  int fd;
  int saved_errno = 0;

  fd = open_locked (path, error);
  if (fd < 0)
    return FALSE;

  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, errno, path);
      close (fd);
      return FALSE;
    }

  text = g_string_new (NULL);
  /* a line cut short (a crash while writing) stays alone on its line */
  if (st.st_size > 0)
    {
      char last = '\n';
      int rfd = open (path, O_RDONLY | O_CLOEXEC);

      if (rfd >= 0)
        {
          if (pread (rfd, &last, 1, st.st_size - 1) != 1)
            last = '\n';
          close (rfd);
        }
      if (last != '\n')
        g_string_append_c (text, '\n');
    }
  g_string_append_len (text, data, length);

  while (done < text->len)
    {
      gssize n = write (fd, text->str + done, text->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved_errno = n < 0 ? errno : ENOSPC;
          break;
        }
      done += n;
    }

  if (saved_errno == 0 && fdatasync (fd) != 0)
    saved_errno = errno;

  if (saved_errno != 0)
    {
      /* nothing half-written stays behind */
      if (ftruncate (fd, st.st_size) != 0 || fdatasync (fd) != 0)
        g_debug ("History not cut back: %s", g_strerror (errno));
      close (fd);
      set_errno_error (error, saved_errno, path);
      return FALSE;
    }

  close (fd);
  if (st.st_size == 0)
    sync_folder (path);

  return TRUE;
}


/* Under the lock: what _dossier_history_scan_compact() keeps, in a new
 * file renamed over the old one */
static gboolean
compact (const char  *path,
         GError     **error)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gboolean ok;
  int fd;

  fd = open_locked (path, error);
  if (fd < 0)
    return FALSE;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      close (fd);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  out = _dossier_history_scan_compact (contents);

  /* a new file beside it, synced, renamed over it; then the folder synced */
  ok = g_file_set_contents_full (path, out->str, out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error);
  if (ok)
    sync_folder (path);
  close (fd);

  return ok;
}

void
_dossier_history_op_free (DossierHistoryOp *op)
{
  if (op->data != NULL)
    g_string_free (op->data, TRUE);
  g_clear_pointer (&op->cache, g_bytes_unref);
  g_clear_object (&op->task);
  g_clear_error (&op->error);
  g_clear_error (&op->compact_error);
  if (op->scanned != NULL)
    {
      _dossier_history_scan_clear (op->scanned);
      g_free (op->scanned);
    }
  g_free (op);
}

/* Writes the lines of @ops (from @first to @last) in one write */
static void
write_lines (DossierHistoryJournal *self,
             GList                 *first,
             GList                 *last)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (GList *l = first; l != last->next; l = l->next)
    {
      DossierHistoryOp *op = l->data;

      if (op->data != NULL)
        g_string_append_len (data, op->data->str, op->data->len);
    }
  if (data->len == 0 || append_data (self->path, data->str, data->len, &error))
    return;

  /* all or none: every op of the write failed */
  for (GList *l = first; l != last->next; l = l->next)
    {
      DossierHistoryOp *op = l->data;

      if (op->data != NULL)
        op->error = g_error_copy (error);
    }
}

static void
run_batch (DossierHistoryJournal *self,
           GQueue                *batch)
{
  GList *first = batch->head;

  for (GList *l = batch->head; l != NULL; l = l->next)
    {
      DossierHistoryOp *op = l->data;

      /* an index says which bytes of which file it covers: written in
       * any order with the lines */
      if (op->cache != NULL)
        _dossier_history_cache_write (self->path, op->cache);
      if (!op->compact && !op->scan && !op->kill_after && l->next != NULL)
        continue;

      write_lines (self, first, l);
      first = l->next;

      if (op->kill_after && op->error == NULL)
        raise (SIGKILL);

      if (op->compact && op->error == NULL)
        op->compacted = compact (self->path, &op->compact_error);
      if (op->scan)
        {
          g_autoptr(GBytes) cache = NULL;

          op->scanned = g_new0 (Scan, 1);
          _dossier_history_scan_path (op->scanned, self->path, &cache);
          if (cache != NULL)
            _dossier_history_cache_write (self->path, cache);
        }
    }
}

static gboolean
idle_cb (gpointer data)
{
  DossierHistoryJournal *self = data;

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->idle, g_source_unref);
  g_mutex_unlock (&self->mutex);

  return self->dispatch (self->owner);
}

static gpointer
writer_thread (gpointer data)
{
  DossierHistoryJournal *self = data;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      GQueue batch;

      while (self->todo.length == 0 && !self->quit)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->todo.length == 0)
        break;

      /* everything that arrived together */
      batch = self->todo;
      g_queue_init (&self->todo);
      self->n_busy = batch.length;
      g_mutex_unlock (&self->mutex);

      run_batch (self, &batch);

      g_mutex_lock (&self->mutex);
      for (GList *l = batch.head; l != NULL; l = l->next)
        g_queue_push_tail (&self->done, l->data);
      g_list_free (batch.head);
      self->n_busy = 0;
      g_cond_broadcast (&self->cond);

      if (self->idle == NULL && !self->quit)
        {
          self->idle = g_idle_source_new ();
          g_source_set_priority (self->idle, G_PRIORITY_DEFAULT);
          g_source_set_callback (self->idle, idle_cb, self, NULL);
          g_source_set_static_name (self->idle, "[dossier] history written");
          g_source_attach (self->idle, self->context);
        }
    }
  g_mutex_unlock (&self->mutex);

  return NULL;
}

/* exit(): what was given to a writer is on the disk before the process
 * ends */
static void
wait_all_at_exit (void)
{
  G_LOCK (journals);
  for (GList *l = journals; l != NULL; l = l->next)
    _dossier_history_journal_wait (l->data);
  G_UNLOCK (journals);
}

DossierHistoryJournal *
_dossier_history_journal_new (const char  *path,
                              GSourceFunc  dispatch,
                              gpointer     owner)
{
  static gsize at_exit;
  DossierHistoryJournal *self = g_new0 (DossierHistoryJournal, 1);

  self->path = g_strdup (path);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->todo);
  g_queue_init (&self->done);
  self->context = g_main_context_ref_thread_default ();
  self->dispatch = dispatch;
  self->owner = owner;

  if (g_once_init_enter (&at_exit))
    {
      atexit (wait_all_at_exit);
      g_once_init_leave (&at_exit, 1);
    }
  G_LOCK (journals);
  journals = g_list_prepend (journals, self);
  G_UNLOCK (journals);

  return self;
}

void
_dossier_history_journal_push (DossierHistoryJournal *self,
                               DossierHistoryOp      *op)
{
  g_mutex_lock (&self->mutex);
  if (self->thread == NULL)
    self->thread = g_thread_new ("dossier-history", writer_thread, self);
  g_queue_push_tail (&self->todo, op);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

GPtrArray *
_dossier_history_journal_take_done (DossierHistoryJournal *self)
{
  GPtrArray *ops = g_ptr_array_new ();
  DossierHistoryOp *op;

  g_mutex_lock (&self->mutex);
  while ((op = g_queue_pop_head (&self->done)) != NULL)
    g_ptr_array_add (ops, op);
  g_mutex_unlock (&self->mutex);

  return ops;
}

void
_dossier_history_journal_wait (DossierHistoryJournal *self)
{
  g_mutex_lock (&self->mutex);
  while (self->todo.length > 0 || self->n_busy > 0)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

void
_dossier_history_journal_free (DossierHistoryJournal *self)
{
  DossierHistoryOp *op;

  G_LOCK (journals);
  journals = g_list_remove (journals, self);
  G_UNLOCK (journals);

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  if (self->thread != NULL)
    g_thread_join (self->thread);

  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }
  while ((op = g_queue_pop_head (&self->done)) != NULL)
    _dossier_history_op_free (op);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->path);
  g_free (self);
}
