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
 * file started but not finished (Dossier was killed while sending it) is
 * offered as "may have been sent", never as "not sent".
 *
 * Writing (defect-proof, several processes): a line is appended with
 * O_APPEND under an exclusive flock(), its length is checked and the file
 * fsync()ed; a short or failed write is cut off again (ftruncate to the
 * length before it), so a full disk never leaves a cut line or damages
 * what was recorded, and the error goes back to the caller (the submission
 * reports it to the user). A line cut by a crash stays alone on its line
 * and is skipped when read.
 *
 * An upload queued again later for the same provider, environment, base
 * URL and file with the same values (the account's and the document's),
 * and sent, takes the earlier one off the unsent list too (the files were
 * sent again, and a saved queue leaves it out); the same file sent for
 * another account does not.
 *
 * Compaction: when the file passes the limit by a tenth, it is rewritten
 * under the lock with the newest finished entries and the lines of
 * uploads not sent yet, with their last finished entry whatever its age
 * (an upload reads the same before and after: a rejected one stays "not
 * sent", with why), and the "removed" lines as recent as the oldest
 * entry kept (like a sent upload's entry, they tell a restored queue to
 * leave the file out): a new file is written beside it and fsync()ed,
 * renamed over the old one and the folder fsync()ed; a crash leaves either
 * file whole. A writer that waited for the lock on the old file sees that
 * the path names another file now and opens it again.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"
#include "dossier-json-private.h"
#include "dossier-types.h"

typedef struct
{
  DossierRecordState  state;
  JsonObject         *queued;     /* the "queued" line, or NULL */
  char               *message;    /* why it failed */
  guint               seq;        /* line of its queued event */
  guint               last_seq;   /* line of its last event */
  guint               last_finished; /* line of its last finished entry + 1, or 0 */
} Record;

struct _DossierHistory
{
  GObject     parent_instance;

  char       *path;
  guint       max_entries;
  GPtrArray  *entries;     /* DossierHistoryEntry, newest first; NULL until read */
  GHashTable *records;     /* upload id -> Record */
  GHashTable *sent_keys;   /* queued_key () -> line it was sent + 1 */
  guint       n_lines;     /* lines in the file, as far as known */
  guint       rewrite_at;  /* compaction when n_lines passes it */
  guint       next_seq;    /* order of the next line (past every line read) */
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierHistory, dossier_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
record_free (gpointer data)
{
  Record *record = data;

  g_clear_pointer (&record->queued, json_object_unref);
  g_free (record->message);
  g_free (record);
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
}

/* -------------------------------------------------------------------------- */
/* Reading                                                                    */

static void
append_key_part (GString    *key,
                 const char *part)
{
  g_autofree char *escaped = g_strescape (part != NULL ? part : "", NULL);

  /* escaped, a part holds no line break: the parts cannot run together */
  g_string_append (key, escaped);
  g_string_append_c (key, '\n');
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (a, b);
}

/* What makes two uploads the same upload, for "sent again later": the
 * provider, environment, base URL, the file, and every value sent with it
 * (account and document values, by name): the same file sent for another
 * account is another upload */
static char *
queued_key (JsonObject *queued)
{
  const char *where = _dossier_json_get_string (queued, "path");
  JsonNode *values_node = json_object_get_member (queued, "values");
  GString *key;

  if (where == NULL)
    where = _dossier_json_get_string (queued, "uri");
  if (where == NULL)
    where = _dossier_json_get_string (queued, "url");
  if (where == NULL)
    return NULL;

  key = g_string_new (NULL);
  append_key_part (key, _dossier_json_get_string (queued, "provider_id"));
  append_key_part (key, _dossier_json_get_string (queued, "environment"));
  append_key_part (key, _dossier_json_get_string (queued, "base_url"));
  append_key_part (key, where);

  if (values_node != NULL && JSON_NODE_HOLDS_OBJECT (values_node))
    {
      JsonObject *values = json_node_get_object (values_node);
      g_autoptr(GList) names = g_list_sort (json_object_get_members (values), compare_strings);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (values, l->data);
          g_autofree char *text = NULL;

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else
            text = json_to_string (value, FALSE);
          append_key_part (key, l->data);
          append_key_part (key, text);
        }
    }

  return g_string_free (key, FALSE);
}

/* The same file with the same values was sent after the last line of
 * @record: it is off the unsent list, as if removed */
static gboolean
sent_again_later (GHashTable *sent_keys,
                  Record     *record)
{
  g_autofree char *key = NULL;

  if (record->queued == NULL)
    return FALSE;
  key = queued_key (record->queued);
  return key != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (sent_keys, key)) > record->last_seq;
}

/* What one pass over the lines finds */
typedef struct
{
  GPtrArray  *entries;     /* oldest first */
  GPtrArray  *entry_lines; /* line of each entry */
  GHashTable *records;
  GHashTable *sent_keys;
  GArray     *kinds;       /* per line: 0 unreadable, 1 finished, 2 other event */
  GPtrArray  *ids;         /* per line: upload id or NULL (not owned) */
} Scan;

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->entries, g_ptr_array_unref);
  g_clear_pointer (&scan->entry_lines, g_ptr_array_unref);
  g_clear_pointer (&scan->records, g_hash_table_unref);
  g_clear_pointer (&scan->sent_keys, g_hash_table_unref);
  g_clear_pointer (&scan->kinds, g_array_unref);
  g_clear_pointer (&scan->ids, g_ptr_array_unref);
}

/* The record of upload @id in @records (id -> Record), made if it is new;
 * @seq: the line's place in the order */
static Record *
ensure_record (GHashTable *records,
               const char *id,
               guint       seq)
{
  Record *record = g_hash_table_lookup (records, id);

  if (record == NULL)
    {
      record = g_new0 (Record, 1);
      record->seq = seq;
      g_hash_table_insert (records, g_strdup (id), record);
    }
  record->last_seq = seq;
  return record;
}

static void
scan_line (Scan       *scan,
           JsonParser *parser,
           const char *line,
           guint       seq)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *object;
  const char *event;
  const char *id;
  guint8 kind = 0;

  g_ptr_array_add (scan->ids, NULL);
  g_array_append_val (scan->kinds, kind);

  if (*line == '\0')
    return;
  if (!dossier_json_load (parser, line, -1, 0, &error))
    {
      g_debug ("History line %u skipped: %s", seq + 1, error->message);
      return;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("History line %u skipped: not an object", seq + 1);
      return;
    }

  object = json_node_get_object (root);
  event = _dossier_json_get_string (object, "event");
  id = _dossier_json_get_string (object, "upload");
  if (id != NULL && *id == '\0')
    id = NULL;

  if (event == NULL || g_str_equal (event, "finished"))
    {
      DossierHistoryEntry *entry = dossier_history_entry_new_from_json (object, &error);

      if (entry == NULL)
        {
          g_debug ("History line %u skipped: %s", seq + 1, error->message);
          return;
        }
      g_ptr_array_add (scan->entries, entry);
      g_ptr_array_add (scan->entry_lines, GUINT_TO_POINTER (seq));
      kind = 1;

      if (id != NULL)
        {
          Record *record = ensure_record (scan->records, id, seq);
          const char *outcome = _dossier_json_get_string (object, "outcome");

          record->last_finished = seq + 1;
          g_clear_pointer (&record->message, g_free);
          if (g_strcmp0 (outcome, "unknown") == 0)
            record->state = DOSSIER_RECORD_STATE_UNKNOWN;
          else if (dossier_history_entry_get_success (entry))
            record->state = DOSSIER_RECORD_STATE_SENT;
          else
            {
              record->state = DOSSIER_RECORD_STATE_FAILED;
              record->message = g_strdup (dossier_history_entry_get_message (entry));
            }

          if (record->state == DOSSIER_RECORD_STATE_SENT && record->queued != NULL)
            {
              char *key = queued_key (record->queued);

              if (key != NULL)
                g_hash_table_replace (scan->sent_keys, key, GUINT_TO_POINTER (seq + 1));
            }
        }
    }
  else if (id != NULL)
    {
      Record *record = NULL;

      if (g_str_equal (event, "queued"))
        {
          record = ensure_record (scan->records, id, seq);
          g_clear_pointer (&record->queued, json_object_unref);
          record->queued = json_object_ref (object);
          record->seq = seq;
          record->state = DOSSIER_RECORD_STATE_QUEUED;
        }
      else if (g_str_equal (event, "started"))
        {
          record = ensure_record (scan->records, id, seq);
          record->state = DOSSIER_RECORD_STATE_STARTED;
        }
      else if (g_str_equal (event, "cancelled"))
        {
          gboolean body_sent = json_object_get_boolean_member_with_default (object, "body_sent", TRUE);

          record = ensure_record (scan->records, id, seq);
          record->state = body_sent ? DOSSIER_RECORD_STATE_STARTED : DOSSIER_RECORD_STATE_CANCELLED;
        }
      else if (g_str_equal (event, "removed"))
        {
          record = ensure_record (scan->records, id, seq);
          record->state = DOSSIER_RECORD_STATE_REMOVED;
        }
      else
        {
          g_debug ("History line %u skipped: unknown event", seq + 1);
          return;
        }
      kind = 2;
    }
  else
    return;

  g_array_index (scan->kinds, guint8, seq) = kind;
  if (id != NULL)
    {
      gpointer key = NULL;

      /* the parser's strings go with the next line: the record's key stays */
      if (g_hash_table_lookup_extended (scan->records, id, &key, NULL))
        g_ptr_array_index (scan->ids, seq) = key;
    }
}

static void
scan_contents (Scan  *scan,
               char  *contents,
               GPtrArray **out_lines)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  guint n;

  scan->entries = g_ptr_array_new_with_free_func (g_object_unref);
  scan->entry_lines = g_ptr_array_new ();
  scan->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, record_free);
  scan->sent_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scan->kinds = g_array_new (FALSE, TRUE, sizeof (guint8));
  scan->ids = g_ptr_array_new ();

  lines = g_strsplit (contents != NULL ? contents : "", "\n", -1);
  n = g_strv_length (lines);
  /* the piece after the last line break is empty, or a cut line */
  for (guint i = 0; i < n; i++)
    {
      g_strstrip (lines[i]);
      scan_line (scan, parser, lines[i], i);
    }

  if (out_lines != NULL)
    {
      *out_lines = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (*out_lines, g_steal_pointer (&lines[i]));
    }
}

static guint
count_nonempty (Scan *scan)
{
  guint n = 0;

  for (guint i = 0; i < scan->kinds->len; i++)
    if (g_array_index (scan->kinds, guint8, i) != 0)
      n++;
  return n;
}

/* A tenth past the limit; past what a compaction left, when the uploads
 * not sent yet keep it above (no rewrite at every line) */
static void
update_rewrite_at (DossierHistory *self)
{
  guint step = MAX (self->max_entries / 10, 1);

  self->rewrite_at = self->max_entries + step;
  if (self->n_lines >= self->rewrite_at)
    self->rewrite_at = self->n_lines + step;
}

static void
take_scan (DossierHistory *self,
           Scan           *scan)
{
  guint n = scan->entries->len;

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->entries = g_ptr_array_new_full (MIN (n, self->max_entries), g_object_unref);
  for (guint i = n; i > 0 && self->entries->len < self->max_entries; i--)
    g_ptr_array_add (self->entries, g_object_ref (g_ptr_array_index (scan->entries, i - 1)));

  g_clear_pointer (&self->records, g_hash_table_unref);
  self->records = g_steal_pointer (&scan->records);
  g_clear_pointer (&self->sent_keys, g_hash_table_unref);
  self->sent_keys = g_steal_pointer (&scan->sent_keys);
  self->n_lines = count_nonempty (scan);
  self->next_seq = scan->kinds->len + 1;
  self->rewrite_at = self->max_entries + MAX (self->max_entries / 10, 1);
}

static void
load (DossierHistory *self)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  Scan scan = { 0 };

  if (!g_file_get_contents (self->path, &contents, NULL, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_debug ("History not read: %s", error->message);

  scan_contents (&scan, contents, NULL);
  take_scan (self, &scan);
  scan_clear (&scan);
}

static void
ensure_loaded (DossierHistory *self)
{
  if (self->entries == NULL)
    load (self);
}

/* -------------------------------------------------------------------------- */
/* Writing                                                                    */

static gboolean
ensure_folder (DossierHistory  *self,
               GError         **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

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
open_locked (DossierHistory  *self,
             GError         **error)
{
  if (!ensure_folder (self, error))
    return -1;

  for (guint tries = 0; tries < 10; tries++)
    {
      struct stat fd_st, path_st;
      int fd = open (self->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          set_errno_error (error, errno, self->path);
          return -1;
        }
      while (flock (fd, LOCK_EX) != 0)
        if (errno != EINTR)
          {
            set_errno_error (error, errno, self->path);
            close (fd);
            return -1;
          }

      /* compacted by another process while this one waited: the path is a
       * new file now */
      if (fstat (fd, &fd_st) == 0 && stat (self->path, &path_st) == 0 &&
          fd_st.st_dev == path_st.st_dev && fd_st.st_ino == path_st.st_ino)
        return fd;
      close (fd);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "%s: %s", self->path,
               g_strerror (EBUSY));
  return -1;
}

/* Appends @data (whole lines) and syncs it; on any failure the file is cut
 * back to the length it had, so what was recorded is never damaged */
static gboolean
append_data (DossierHistory  *self,
             const char      *data,
             gsize            length,
             GError         **error)
{
  g_autoptr(GString) text = NULL;
  struct stat st;
  gsize done = 0;
  int fd;
  int saved_errno = 0;

  fd = open_locked (self, error);
  if (fd < 0)
    return FALSE;

  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, errno, self->path);
      close (fd);
      return FALSE;
    }

  text = g_string_new (NULL);
  /* a line cut short (a crash while writing) stays alone on its line */
  if (st.st_size > 0)
    {
      char last = '\n';
      int rfd = open (self->path, O_RDONLY | O_CLOEXEC);

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
      set_errno_error (error, saved_errno, self->path);
      return FALSE;
    }

  close (fd);
  if (st.st_size == 0)
    sync_folder (self->path);

  self->n_lines += 1;
  return TRUE;
}

static char *
node_to_line (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

/* An upload still to send, or that may have been sent: neither sent nor
 * removed, nor sent again later */
static gboolean
record_is_kept (Scan   *scan,
                Record *record)
{
  if (record->state == DOSSIER_RECORD_STATE_SENT ||
      record->state == DOSSIER_RECORD_STATE_REMOVED)
    return FALSE;

  return !sent_again_later (scan->sent_keys, record);
}

/* Under the lock: the newest finished entries, and every line of the
 * uploads not sent yet (those that were sent again later excepted) with
 * their last finished entry, so that each reads as it did before */
static gboolean
compact (DossierHistory  *self,
         GError         **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Scan scan = { 0 };
  guint first_kept_entry;
  gboolean ok;
  int fd;

  fd = open_locked (self, error);
  if (fd < 0)
    return FALSE;

  if (!g_file_get_contents (self->path, &contents, NULL, &local_error))
    {
      close (fd);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  scan_contents (&scan, contents, &lines);
  first_kept_entry = scan.entries->len > self->max_entries
                     ? GPOINTER_TO_UINT (g_ptr_array_index (scan.entry_lines,
                                                            scan.entries->len - self->max_entries))
                     : 0;

  for (guint i = 0; i < lines->len; i++)
    {
      guint8 kind = g_array_index (scan.kinds, guint8, i);
      const char *id = g_ptr_array_index (scan.ids, i);
      Record *record = id != NULL ? g_hash_table_lookup (scan.records, id) : NULL;
      gboolean keep = FALSE;

      if (kind == 1)
        {
          /* the last entry of an upload still to send stays whatever its
           * age: its state (a rejected file is "not sent", with why) is
           * read from it, and would read "started" without it */
          keep = i >= first_kept_entry ||
                 (record != NULL && record->last_finished == i + 1 &&
                  record_is_kept (&scan, record));
        }
      else if (kind == 2 && record != NULL)
        {
          /* the line that took an upload off the list stays as long as
           * the entries kept reach back that far, as a sent one's entry
           * does: a saved queue read through the record (a discarded
           * restore, then a kill before the queue file went) leaves it
           * out after a compaction as before */
          keep = record_is_kept (&scan, record) ||
                 (record->state == DOSSIER_RECORD_STATE_REMOVED &&
                  record->last_seq == i && i >= first_kept_entry);
        }

      if (keep)
        {
          g_string_append (out, g_ptr_array_index (lines, i));
          g_string_append_c (out, '\n');
        }

      /* one sent again later reads "removed" after its last line, as it
       * did before (its queued line, which says what it was, goes), as
       * long as a "removed" line would stay */
      if (record != NULL && record->last_seq == i && i >= first_kept_entry &&
          record->state != DOSSIER_RECORD_STATE_SENT &&
          record->state != DOSSIER_RECORD_STATE_REMOVED &&
          sent_again_later (scan.sent_keys, record))
        {
          g_autoptr(JsonObject) removed = json_object_new ();
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *line = NULL;
          g_autofree char *at = g_date_time_format_iso8601 (now);

          json_object_set_string_member (removed, "event", "removed");
          json_object_set_string_member (removed, "upload", id);
          json_object_set_string_member (removed, "at", at);
          json_object_set_boolean_member (removed, "sent_again", TRUE);
          node = json_node_init_object (json_node_alloc (), removed);
          line = node_to_line (node);
          g_string_append (out, line);
        }
    }
  scan_clear (&scan);

  /* a new file beside it, synced, renamed over it; then the folder synced */
  ok = g_file_set_contents_full (self->path, out->str, out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error);
  if (ok)
    sync_folder (self->path);
  close (fd);

  if (ok)
    {
      g_autoptr(GPtrArray) old = g_steal_pointer (&self->entries);
      guint n_old = old != NULL ? old->len : 0;

      load (self);
      update_rewrite_at (self);
      if (old != NULL)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, self->entries->len);
    }

  return ok;
}

static void
maybe_compact (DossierHistory *self)
{
  g_autoptr(GError) error = NULL;

  /* a failed compaction loses nothing: the file is as it was */
  if (self->n_lines > self->rewrite_at && !compact (self, &error))
    {
      g_debug ("History not compacted: %s", error->message);
      self->rewrite_at = self->n_lines + MAX (self->max_entries / 10, 1);
    }
}

/* The model follows what this process wrote */
static void
note_event (DossierHistory *self,
            JsonObject     *object)
{
  const char *event = _dossier_json_get_string (object, "event");
  const char *id = _dossier_json_get_string (object, "upload");
  guint seq = self->next_seq++;
  Record *record;

  if (self->records == NULL || id == NULL)
    return;

  record = ensure_record (self->records, id, seq);
  if (g_strcmp0 (event, "queued") == 0)
    {
      g_clear_pointer (&record->queued, json_object_unref);
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

/**
 * dossier_history_append_events:
 * @events: (element-type JsonObject): lines to add, in one write
 *
 * Adds record lines other than finished entries ("queued", "started",
 * "cancelled"), all or none.
 */
gboolean
dossier_history_append_events (DossierHistory  *self,
                               GPtrArray       *events,
                               GError         **error)
{
  g_autoptr(GString) data = g_string_new (NULL);

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (events != NULL, FALSE);

  if (events->len == 0)
    return TRUE;

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (events, i));
      g_autofree char *line = node_to_line (node);

      g_string_append (data, line);
    }

  if (!append_data (self, data->str, data->len, error))
    return FALSE;

  self->n_lines += events->len - 1;
  for (guint i = 0; i < events->len; i++)
    note_event (self, g_ptr_array_index (events, i));

  maybe_compact (self);
  return TRUE;
}

/**
 * dossier_history_append:
 *
 * Adds @entry at the top and one line to the file (created with mode
 * 0600 and its folder with 0700 when missing), synced to the disk. On
 * failure (a full disk) the file is as it was and @error says why.
 */
gboolean
dossier_history_append (DossierHistory       *self,
                        DossierHistoryEntry  *entry,
                        GError              **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  const char *id;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (entry), FALSE);

  node = dossier_history_entry_to_json (entry);
  line = node_to_line (node);
  if (!append_data (self, line, strlen (line), error))
    return FALSE;

  if (self->entries == NULL)
    return TRUE;

  id = dossier_history_entry_get_record_id (entry);
  if (id != NULL)
    {
      guint seq = self->next_seq++;
      Record *record = ensure_record (self->records, id, seq);

      g_clear_pointer (&record->message, g_free);
      if (g_strcmp0 (dossier_history_entry_get_outcome (entry), "unknown") == 0)
        record->state = DOSSIER_RECORD_STATE_UNKNOWN;
      else if (dossier_history_entry_get_success (entry))
        {
          record->state = DOSSIER_RECORD_STATE_SENT;
          if (record->queued != NULL)
            {
              char *key = queued_key (record->queued);

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
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);

  if (self->entries->len > self->max_entries)
    {
      guint removed = self->entries->len - self->max_entries;

      g_ptr_array_remove_range (self->entries, self->max_entries, removed);
      g_list_model_items_changed (G_LIST_MODEL (self), self->max_entries, removed, 0);
    }

  maybe_compact (self);
  return TRUE;
}

/**
 * dossier_history_lookup_state:
 *
 * Returns: what the record says of the upload @record_id: NONE when it
 *   is not in it; REMOVED when the same file with the same values was
 *   sent later (as it reads once compacted, and as the unsent list has it)
 */
DossierRecordState
dossier_history_lookup_state (DossierHistory *self,
                              const char     *record_id)
{
  Record *record;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), DOSSIER_RECORD_STATE_NONE);

  if (record_id == NULL)
    return DOSSIER_RECORD_STATE_NONE;

  ensure_loaded (self);
  record = g_hash_table_lookup (self->records, record_id);
  if (record == NULL)
    return DOSSIER_RECORD_STATE_NONE;
  if (record->state != DOSSIER_RECORD_STATE_SENT && sent_again_later (self->sent_keys, record))
    return DOSSIER_RECORD_STATE_REMOVED;
  return record->state;
}

static int
compare_by_seq (gconstpointer a,
                gconstpointer b)
{
  const Record *ra = *(Record * const *) a;
  const Record *rb = *(Record * const *) b;

  return ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
}

/**
 * dossier_history_dup_unsent:
 *
 * The uploads that were queued and not sent, oldest first (those sent
 * again later left out): each a JSON object with what their "queued" line
 * holds (upload, at, provider_id, environment, base_url, path, uri (a file
 * whose path is not UTF-8) or url, file_name, values) and "state": "not-sent" or "may-have-been-sent"
 * (it was being sent when the record ends, or its answer was lost), and
 * "message" for one that failed.
 *
 * Returns: (transfer full) (element-type JsonObject): a new array
 */
GPtrArray *
dossier_history_dup_unsent (DossierHistory *self)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), result);

  ensure_loaded (self);
  g_hash_table_iter_init (&iter, self->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Record *record = value;

      if (record->queued == NULL || record->state == DOSSIER_RECORD_STATE_SENT ||
          record->state == DOSSIER_RECORD_STATE_REMOVED ||
          sent_again_later (self->sent_keys, record))
        continue;
      g_ptr_array_add (records, record);
    }
  g_ptr_array_sort (records, compare_by_seq);

  for (guint i = 0; i < records->len; i++)
    {
      Record *record = g_ptr_array_index (records, i);
      JsonObject *object = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (record->queued);
      gboolean maybe = record->state == DOSSIER_RECORD_STATE_STARTED ||
                       record->state == DOSSIER_RECORD_STATE_UNKNOWN;

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "event"))
          json_object_set_member (object, l->data,
                                  json_node_copy (json_object_get_member (record->queued, l->data)));
      json_object_set_string_member (object, "state", maybe ? "may-have-been-sent" : "not-sent");
      if (record->message != NULL)
        json_object_set_string_member (object, "message", record->message);
      g_ptr_array_add (result, object);
    }

  return result;
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
  guint n;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (self), FALSE);

  ensure_loaded (self);

  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      set_errno_error (error, errno, self->path);
      return FALSE;
    }

  n = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
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

  ensure_loaded (self);
  return self->entries->len;
}

static gpointer
dossier_history_get_item (GListModel *model,
                          guint       position)
{
  DossierHistory *self = DOSSIER_HISTORY (model);

  ensure_loaded (self);
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
dossier_history_finalize (GObject *object)
{
  DossierHistory *self = DOSSIER_HISTORY (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
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
  self->max_entries = DOSSIER_HISTORY_MAX_ENTRIES;
  update_rewrite_at (self);
}
