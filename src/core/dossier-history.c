/* dossier-history.c: the record of uploads, and the history read from it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One record, one file: history.jsonl is an append-only journal, one JSON
 * object per line, oldest first. Every upload has a random id ("upload")
 * and up to four kinds of lines:
 *
 *   {"event":"queued","upload":ID,"at":…,"provider_id":…,"environment":…,
 *    "base_url":…,"path":… (or "uri":…, or "url":…),"file_name":…,"values":{…}}
 *        the upload is about to be sent, with what it takes to send it again
 *        (never a credential); one write for a whole batch
 *   {"event":"started","upload":ID,"at":…}
 *        its body is about to go out
 *   {"event":"cancelled","upload":ID,"at":…,"body_sent":false}
 *        cancelled; it may have been sent when its body went out whole
 *   {"event":"removed","upload":ID,"at":…}
 *        taken out of the list before it was sent: not to send; written
 *        by a compaction ("sent_again":true) for an upload sent again
 *        later, so that it reads the same once its queued line is gone
 *   {"finished_at":…,"upload":ID,"success":true,"outcome":"sent",…}
 *        the history entry: a line without "event" is a finished upload
 *        (the lines older versions wrote are read as such); "outcome" is
 *        "sent", "failed" or "unknown" (the answer was lost after the body
 *        went out: it may have been sent)
 *
 * The state of an upload is its last line, so the history (finished lines)
 * and what was not sent (queued without a later "sent" line) can never
 * disagree: the line that records a file sent is also the one write that
 * takes it off the unsent list. The saved queue of the window
 * (dossier-queue-state.c) is only a superset, filtered through this record
 * when it is restored: a file recorded sent is never offered again, and a
 * Writing happens off the main thread (dossier-history-journal.c): every
 * line is appended and synced by the file's writer thread, in the order it
 * was given, the lines given together in one write; the model notes a
 * line when it is given, so that what is read back (the history, the
 * state of an upload, the unsent list) includes it. dossier_history_flush_async()
 * is the barrier a sender waits on: the "started" line is on the disk
 * before the body goes out. A write that fails (a full disk) leaves the
 * file as it was; its error goes back to the caller (the submission
 * reports it to the user) and the model is read again from the file.
 *
 * An upload queued again later for the same provider, environment, base
 * URL and file with the same values (the account's and the document's),
 * and sent, takes the earlier one off the unsent list too (the files were
 * sent again, and a saved queue leaves it out); the same file sent for
 * another account does not.
 *
 * Compaction: when the file passes DOSSIER_HISTORY_COMPACT_AT lines by a
 * tenth (then by a quarter of what the last one left), the writer
 * rewrites it with every finished entry and review (the record is never
 * shortened: it is the merchants' audit record), the lines of uploads not
 * sent yet (an upload reads the same before and after: a rejected one
 * stays "not sent", with why) and the last "removed" line of each upload
 * taken off the list (like a sent upload's entry, it tells a restored
 * queue to leave the file out); the "queued", "started" and "cancelled"
 * lines of the uploads that finished go. The model is then read again.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"
#include "dossier-json-private.h"
#include "dossier-types.h"


enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierHistory, dossier_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* Lines written between two compactions: a tenth of the threshold, or a
 * quarter of the file once it is larger (every finished entry stays, so
 * a compaction leaves a large file large: it is not read again and
 * rewritten every few lines) */
static guint
rewrite_step (DossierHistory *self)
{
  return MAX (MAX (self->max_entries / 10, self->n_lines / 4), 1);
}

/* The threshold and a step past it; past what a compaction left, when
 * what stays keeps it above (no rewrite at every line) */
static void
update_rewrite_at (DossierHistory *self)
{
  guint step = rewrite_step (self);

  self->rewrite_at = self->max_entries + step;
  if (self->n_lines >= self->rewrite_at)
    self->rewrite_at = self->n_lines + step;
}

static void
take_scan (DossierHistory *self,
           Scan           *scan)
{
  gsize n = 0;
  /* taken, not referenced again: the scan is cleared after this */
  g_autofree gpointer *taken = g_ptr_array_steal (scan->entries, &n);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->entries = g_ptr_array_new_full (n, g_object_unref);
  self->changes++;
  for (guint i = n; i > 0; i--)
    g_ptr_array_add (self->entries, taken[i - 1]);

  g_clear_pointer (&self->records, g_hash_table_unref);
  self->records = g_steal_pointer (&scan->records);
  g_clear_pointer (&self->sent_keys, g_hash_table_unref);
  self->sent_keys = g_steal_pointer (&scan->sent_keys);
  self->n_lines = _dossier_history_scan_count_lines (scan);
  self->next_seq = scan->kinds->len + 1;
  self->rewrite_at = self->max_entries + rewrite_step (self);
}

static void
take_scan_notify (DossierHistory *self,
                  Scan           *scan)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->entries);

  take_scan (self, scan);
  update_rewrite_at (self);
  if (old != NULL)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, self->entries->len);
}

/* Reads the file on this thread (the writer is done) */
static void
load (DossierHistory *self)
{
  g_autoptr(GBytes) cache = NULL;
  Scan scan = { 0 };

  _dossier_history_scan_path (&scan, self->path, &cache);
  take_scan (self, &scan);
  _dossier_history_scan_clear (&scan);

  /* a new index of the file, written by the writer's thread */
  if (cache != NULL)
    {
      DossierHistoryOp *op = g_new0 (DossierHistoryOp, 1);

      op->cache = g_steal_pointer (&cache);
      self->n_pending++;
      _dossier_history_journal_push (self->journal, op);
    }
}

/* -------------------------------------------------------------------------- */
/* The writer's work, back on this thread                                    */

/* The ops the writer did, in order: tasks completed, the model read again
 * from the file when it is not what was noted (a compaction, a failed
 * write). @sync: the file is read on this thread, else by the writer. */
static void
dispatch (DossierHistory *self,
          gboolean        sync)
{
  /* a task's callback may drop the last reference to the history */
  g_autoptr(DossierHistory) hold = g_object_ref (self);
  g_autoptr(GPtrArray) ops = _dossier_history_journal_take_done (self->journal);

  for (guint i = 0; i < ops->len; i++)
    {
      DossierHistoryOp *op = g_ptr_array_index (ops, i);

      self->n_pending--;
      if (op->error != NULL)
        self->reload_needed = TRUE;
      if (op->compacted)
        self->reload_needed = TRUE;
      else if (op->compact_error != NULL)
        /* a failed compaction loses nothing: the file is as it was */
        g_debug ("History not compacted: %s", op->compact_error->message);
      if (op->scanned != NULL)
        {
          /* what the file held before the lines given since: read again */
          if (self->n_pending > 0)
            self->reload_needed = TRUE;
          else if (self->entries != NULL)
            take_scan_notify (self, op->scanned);
          else
            {
              /* dossier_history_preload(): nobody has read the model
               * yet, so nothing to notify */
              take_scan (self, op->scanned);
              update_rewrite_at (self);
            }
        }
      if (op->scan)
        self->preloading = FALSE;
    }

  /* a model not read yet reads the file when it is */
  if (self->entries == NULL)
    self->reload_needed = FALSE;
  if (self->reload_needed && self->n_pending == 0)
    {
      self->reload_needed = FALSE;
      if (sync)
        {
          g_autoptr(GPtrArray) old = g_steal_pointer (&self->entries);

          load (self);
          update_rewrite_at (self);
          if (old != NULL)
            g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, self->entries->len);
        }
      else
        {
          DossierHistoryOp *op = g_new0 (DossierHistoryOp, 1);

          op->scan = TRUE;
          self->n_pending++;
          _dossier_history_journal_push (self->journal, op);
        }
    }

  /* last: a callback may give the writer more */
  for (guint i = 0; i < ops->len; i++)
    {
      DossierHistoryOp *op = g_ptr_array_index (ops, i);

      if (op->sync_error != NULL)
        *op->sync_error = g_steal_pointer (&op->error);
      if (op->task != NULL && op->error != NULL)
        g_task_return_error (op->task, g_error_copy (op->error));
      else if (op->task != NULL)
        g_task_return_boolean (op->task, TRUE);
      _dossier_history_op_free (op);
    }

  _dossier_history_return_preload_tasks (self);
}

static gboolean
dispatch_cb (gpointer data)
{
  dispatch (data, FALSE);
  return G_SOURCE_REMOVE;
}

/* Waits for the writer: every line given is on the disk (or failed) */
static void
flush_sync (DossierHistory *self)
{
  if (self->n_pending == 0)
    return;
  _dossier_history_journal_wait (self->journal);
  dispatch (self, TRUE);
}

void
_dossier_history_ensure_loaded (DossierHistory *self)
{
  if (self->entries != NULL)
    return;
  flush_sync (self);
  if (self->entries == NULL)
    load (self);
}

/* Test hook: DOSSIER_TEST_KILL_AFTER_RECORD=finished (or started...)
 * kills this process right after the write of such a line, before any
 * line given after it, as a crash would */
static gboolean
kill_after (const char *event)
{
  const char *when = g_getenv ("DOSSIER_TEST_KILL_AFTER_RECORD");

  return when != NULL && g_strcmp0 (when, event) == 0;
}

static gboolean
kill_after_events (GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    if (kill_after (_dossier_json_get_string (g_ptr_array_index (events, i), "event")))
      return TRUE;
  return FALSE;
}

/* Gives @data (@n_lines whole lines) to the writer; the compaction after
 * it when the file passes the limit. Owns @data and @task. */
static DossierHistoryOp *
push_lines (DossierHistory *self,
            GString        *data,
            guint           n_lines,
            GTask          *task)
{
  DossierHistoryOp *op = g_new0 (DossierHistoryOp, 1);

  op->data = data;
  op->n_lines = n_lines;
  op->task = task;
  self->n_lines += n_lines;
  if (self->n_lines > self->rewrite_at)
    {
      op->compact = TRUE;
      self->rewrite_at = self->n_lines + rewrite_step (self);
    }
  self->n_pending++;
  _dossier_history_journal_push (self->journal, op);
  return op;
}

/* The same, and waits for it */
static gboolean
write_lines_sync (DossierHistory  *self,
                  GString         *data,
                  guint            n_lines,
                  gboolean         kill,
                  GError         **error)
{
  GError *local_error = NULL;
  DossierHistoryOp *op = push_lines (self, data, n_lines, NULL);

  op->sync_error = &local_error;
  op->kill_after = kill;
  flush_sync (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}


static void
note_event (DossierHistory *self,
            JsonObject     *object)
{
  const char *event = _dossier_json_get_string (object, "event");
  const char *id = _dossier_json_get_string (object, "upload");
  guint seq = self->next_seq++;
  Record *record;

  if (g_strcmp0 (event, "status") == 0)
    {
      _dossier_history_status_note (self, object);
      return;
    }
  if (self->records == NULL || id == NULL)
    return;

  record = _dossier_history_ensure_record (self->records, id, seq);
  if (g_strcmp0 (event, "queued") == 0)
    {
      g_clear_pointer (&record->queued, json_object_unref);
      g_clear_pointer (&record->queued_text, g_free);
      record->queued = json_object_ref (object);
      record->seq = seq;
      record->state = DOSSIER_RECORD_STATE_QUEUED;
    }
  else if (g_strcmp0 (event, "started") == 0)
    record->state = DOSSIER_RECORD_STATE_STARTED;
  else if (g_strcmp0 (event, "cancelled") == 0)
    record->state = json_object_get_boolean_member_with_default (object, "body_sent", TRUE)
                    ? DOSSIER_RECORD_STATE_STARTED : DOSSIER_RECORD_STATE_CANCELLED;
  else if (g_strcmp0 (event, "removed") == 0)
    record->state = DOSSIER_RECORD_STATE_REMOVED;
}

/* A task of @self for @callback, done at once when there is nothing to
 * wait for */
static GTask *
task_new (DossierHistory      *self,
          gpointer             source_tag,
          gboolean             done,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (!done)
    return task;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return NULL;
}

static gboolean
finish (DossierHistory  *self,
        GAsyncResult    *result,
        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The lines of @events, for the file */
static GString *
events_to_lines (GPtrArray *events)
{
  GString *data = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (events, i));
      g_autofree char *line = _dossier_history_node_to_line (node);

      g_string_append (data, line);
    }

  return data;
}

static void
note_events (DossierHistory *self,
             GPtrArray      *events)
{
  for (guint i = 0; i < events->len; i++)
    note_event (self, g_ptr_array_index (events, i));
}

/**
 * dossier_history_append_events:
 * @events: (element-type JsonObject): lines to add, in one write
 *
 * Adds record lines other than finished entries ("queued", "started",
 * "cancelled"), all or none, and waits until they are on the disk (see
 * dossier_history_append_events_async() for the main thread).
 */
gboolean
dossier_history_append_events (DossierHistory  *self,
                               GPtrArray       *events,
                               GError         **error)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (events != NULL, FALSE);

  if (events->len == 0)
    return TRUE;

  note_events (self, events);
  return write_lines_sync (self, events_to_lines (events), events->len,
                           kill_after_events (events), error);
}

/**
 * dossier_history_append_events_async:
 * @events: (element-type JsonObject): lines to add, in one write
 *
 * Gives the lines to the writer and returns: what is read back from now
 * on includes them; @callback runs once they are on the disk, or their
 * write failed (the file is as it was).
 */
void
dossier_history_append_events_async (DossierHistory      *self,
                                     GPtrArray           *events,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DOSSIER_IS_HISTORY (self));
  g_return_if_fail (events != NULL);

  task = task_new (self, dossier_history_append_events_async, events->len == 0, callback, user_data);
  if (task == NULL)
    return;

  note_events (self, events);
  push_lines (self, events_to_lines (events), events->len, task)->kill_after = kill_after_events (events);
}

gboolean
dossier_history_append_events_finish (DossierHistory  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return finish (self, result, error);
}

/* The model follows the entry given to the writer */
static void
note_entry (DossierHistory      *self,
            DossierHistoryEntry *entry)
{
  const char *id;

  if (self->entries == NULL)
    return;

  id = dossier_history_entry_get_record_id (entry);
  if (id != NULL)
    {
      guint seq = self->next_seq++;
      Record *record = _dossier_history_ensure_record (self->records, id, seq);

      g_clear_pointer (&record->message, g_free);
      if (g_strcmp0 (dossier_history_entry_get_outcome (entry), "unknown") == 0)
        record->state = DOSSIER_RECORD_STATE_UNKNOWN;
      else if (dossier_history_entry_get_success (entry))
        {
          record->state = DOSSIER_RECORD_STATE_SENT;
          if (_dossier_history_record_get_queued (record) != NULL)
            {
              char *key = _dossier_history_queued_key (record->queued);

              if (key != NULL)
                g_hash_table_replace (self->sent_keys, key, GUINT_TO_POINTER (seq + 1));
            }
        }
      else
        {
          record->state = DOSSIER_RECORD_STATE_FAILED;
          record->message = g_strdup (dossier_history_entry_get_message (entry));
        }
    }

  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  self->changes++;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
}

static GString *
entry_to_line (DossierHistoryEntry *entry)
{
  g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);
  g_autofree char *line = _dossier_history_node_to_line (node);

  return g_string_new (line);
}

/**
 * dossier_history_append:
 *
 * Adds @entry at the top and one line to the file (created with mode
 * 0600 and its folder with 0700 when missing), and waits until it is
 * synced to the disk. On failure (a full disk) the file is as it was and
 * @error says why.
 */
gboolean
dossier_history_append (DossierHistory       *self,
                        DossierHistoryEntry  *entry,
                        GError              **error)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (entry), FALSE);

  note_entry (self, entry);
  return write_lines_sync (self, entry_to_line (entry), 1, kill_after ("finished"), error);
}

/**
 * dossier_history_append_async:
 *
 * dossier_history_append() without waiting: the model shows @entry at
 * once; @callback runs once its line is on the disk, or failed.
 */
void
dossier_history_append_async (DossierHistory      *self,
                              DossierHistoryEntry *entry,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DOSSIER_IS_HISTORY (self));
  g_return_if_fail (DOSSIER_IS_HISTORY_ENTRY (entry));

  task = task_new (self, dossier_history_append_async, FALSE, callback, user_data);
  note_entry (self, entry);
  push_lines (self, entry_to_line (entry), 1, task)->kill_after = kill_after ("finished");
}

gboolean
dossier_history_append_finish (DossierHistory  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return finish (self, result, error);
}

/**
 * dossier_history_flush_async:
 *
 * @callback runs once every line given so far is on the disk (or its
 * write failed, which its own caller is told): the barrier a sender
 * waits on between the "started" line and the body. Never fails.
 */
void
dossier_history_flush_async (DossierHistory      *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DOSSIER_IS_HISTORY (self));

  task = task_new (self, dossier_history_flush_async, self->n_pending == 0, callback, user_data);
  if (task != NULL)
    push_lines (self, NULL, 0, task);
}

gboolean
dossier_history_flush_finish (DossierHistory  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish (self, result, error);
}

/**
 * dossier_history_clear:
 *
 * Forgets every entry and deletes the file.
 */
gboolean
dossier_history_clear (DossierHistory  *self,
                       GError         **error)
{
  g_autofree char *cache_path = NULL;
  guint n;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);

  flush_sync (self);
  _dossier_history_ensure_loaded (self);

  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", self->path, g_strerror (saved_errno));
      return FALSE;
    }
  /* its index goes with it (a new file would not match it anyway) */
  cache_path = _dossier_history_cache_path (self->path);
  if (g_unlink (cache_path) != 0 && errno != ENOENT)
    g_debug ("History index not deleted: %s", g_strerror (errno));

  n = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
  self->changes++;
  g_hash_table_remove_all (self->records);
  g_hash_table_remove_all (self->sent_keys);
  self->n_lines = 0;
  update_rewrite_at (self);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);

  return TRUE;
}

void
dossier_history_reload (DossierHistory *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint n_old;

  g_return_if_fail (DOSSIER_IS_HISTORY (self));

  if (self->entries == NULL)
    return;

  flush_sync (self);
  old = g_steal_pointer (&self->entries);
  n_old = old->len;
  load (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, self->entries->len);
}

void
dossier_history_set_max_entries (DossierHistory *self,
                                 guint           max_entries)
{
  g_return_if_fail (DOSSIER_IS_HISTORY (self));
  g_return_if_fail (max_entries > 0);
  g_return_if_fail (self->entries == NULL);

  self->max_entries = max_entries;
  update_rewrite_at (self);
}

const char *
dossier_history_get_path (DossierHistory *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), NULL);
  return self->path;
}

DossierHistory *
dossier_history_new_for_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (DOSSIER_TYPE_HISTORY, "path", path, NULL);
}

/**
 * dossier_history_get_default:
 *
 * Returns: (transfer none): the history in the user's state folder, shared
 *   by everything in this process
 */
DossierHistory *
dossier_history_get_default (void)
{
  static DossierHistory *history;

  if (g_once_init_enter (&history))
    {
      g_autofree char *path = g_build_filename (g_get_user_state_dir (), "dossier",
                                                "history.jsonl", NULL);

      g_once_init_leave (&history, dossier_history_new_for_path (path));
    }

  return history;
}

/* -------------------------------------------------------------------------- */
/* GListModel                                                                 */

static GType
dossier_history_get_item_type (GListModel *model)
{
  return DOSSIER_TYPE_HISTORY_ENTRY;
}

static guint
dossier_history_get_n_items (GListModel *model)
{
  DossierHistory *self = DOSSIER_HISTORY (model);

  _dossier_history_ensure_loaded (self);
  return self->entries->len;
}

static gpointer
dossier_history_get_item (GListModel *model,
                          guint       position)
{
  DossierHistory *self = DOSSIER_HISTORY (model);

  _dossier_history_ensure_loaded (self);
  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = dossier_history_get_item_type;
  iface->get_n_items = dossier_history_get_n_items;
  iface->get_item = dossier_history_get_item;
}

/* -------------------------------------------------------------------------- */
/* GObject                                                                    */

static void
dossier_history_constructed (GObject *object)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  G_OBJECT_CLASS (dossier_history_parent_class)->constructed (object);

  self->journal = _dossier_history_journal_new (self->path, dispatch_cb, self);
}

static void
dossier_history_finalize (GObject *object)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  /* what was given to the writer is written before it goes */
  g_clear_pointer (&self->journal, _dossier_history_journal_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->preload_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_pointer (&self->sent_keys, g_hash_table_unref);
  g_free (self->path);

  G_OBJECT_CLASS (dossier_history_parent_class)->finalize (object);
}

static void
dossier_history_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_history_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_history_class_init (DossierHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dossier_history_constructed;
  object_class->finalize = dossier_history_finalize;
  object_class->get_property = dossier_history_get_property;
  object_class->set_property = dossier_history_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_history_init (DossierHistory *self)
{
  self->max_entries = DOSSIER_HISTORY_COMPACT_AT;
  update_rewrite_at (self);
}
