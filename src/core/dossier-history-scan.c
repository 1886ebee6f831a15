/* dossier-history-scan.c: reading the record, and what it says of the uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one pass over the lines of history.jsonl finds (the format is
 * described in dossier-history.c): the finished entries, the state of
 * every upload (its last line), and which files were sent when. Pure:
 * the model reads it on its thread, the journal's writer when it compacts
 * the file. Then what the record says of the uploads, for a queue
 * restored (dossier-queue-state.c) or sent again.
 */

#include "config.h"

#include <string.h>

#include "dossier-history-private.h"
#include "dossier-json-private.h"

/* The contents of the record at @path; %NULL when there is none, or it
 * cannot be read (then said in the debug log). Only a regular file is
 * read: a device in its place (/dev/full in the tests) reads forever. */
char *
_dossier_history_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_debug ("History not read: %s is not a regular file", path);
  else if (!g_file_get_contents (path, &contents, NULL, &error) &&
           !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_debug ("History not read: %s", error->message);

  return contents;
}

void
_dossier_history_record_free (gpointer data)
{
  Record *record = data;

  g_clear_pointer (&record->queued, json_object_unref);
  g_free (record->queued_text);
  g_free (record->message);
  g_free (record);
}

/* The "queued" line of @record, or %NULL: one read from the index is
 * parsed the first time it is asked for */
JsonObject *
_dossier_history_record_get_queued (Record *record)
{
  if (record->queued == NULL && record->queued_text != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *text = g_steal_pointer (&record->queued_text);
      JsonNode *root;

      if (dossier_json_load (parser, text, -1, 0, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        record->queued = json_object_ref (json_node_get_object (root));
    }
  return record->queued;
}

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

char *
_dossier_history_queued_key (JsonObject *queued)
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
gboolean
_dossier_history_sent_again_later (GHashTable *sent_keys,
                  Record     *record)
{
  g_autofree char *key = NULL;

  if (_dossier_history_record_get_queued (record) == NULL)
    return FALSE;
  key = _dossier_history_queued_key (record->queued);
  return key != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (sent_keys, key)) > record->last_seq;
}

/* What one pass over the lines finds */
void
_dossier_history_scan_clear (Scan *scan)
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
Record *
_dossier_history_ensure_record (GHashTable *records,
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

  if (g_strcmp0 (event, "status") == 0)
    {
      kind = _dossier_history_status_scan (scan, object, &id);
      if (kind == 0)
        return;
    }
  else if (event == NULL || g_str_equal (event, "finished"))
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
          Record *record = _dossier_history_ensure_record (scan->records, id, seq);
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

          if (record->state == DOSSIER_RECORD_STATE_SENT &&
              _dossier_history_record_get_queued (record) != NULL)
            {
              char *key = _dossier_history_queued_key (record->queued);

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
          record = _dossier_history_ensure_record (scan->records, id, seq);
          g_clear_pointer (&record->queued, json_object_unref);
          g_clear_pointer (&record->queued_text, g_free);
          record->queued = json_object_ref (object);
          record->seq = seq;
          record->state = DOSSIER_RECORD_STATE_QUEUED;
        }
      else if (g_str_equal (event, "started"))
        {
          record = _dossier_history_ensure_record (scan->records, id, seq);
          record->state = DOSSIER_RECORD_STATE_STARTED;
        }
      else if (g_str_equal (event, "cancelled"))
        {
          gboolean body_sent = json_object_get_boolean_member_with_default (object, "body_sent", TRUE);

          record = _dossier_history_ensure_record (scan->records, id, seq);
          record->state = body_sent ? DOSSIER_RECORD_STATE_STARTED : DOSSIER_RECORD_STATE_CANCELLED;
        }
      else if (g_str_equal (event, "removed"))
        {
          record = _dossier_history_ensure_record (scan->records, id, seq);
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

void
_dossier_history_scan_init (Scan *scan)
{
  scan->entries = g_ptr_array_new_with_free_func (g_object_unref);
  scan->entry_lines = g_ptr_array_new ();
  scan->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _dossier_history_record_free);
  scan->sent_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scan->kinds = g_array_new (FALSE, TRUE, sizeof (guint8));
  scan->ids = g_ptr_array_new ();
}

/* The lines of @contents, numbered on from those @scan has seen */
static void
scan_lines (Scan       *scan,
            char       *contents,
            GPtrArray **out_lines)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  guint first = scan->kinds->len;
  guint n;

  lines = g_strsplit (contents != NULL ? contents : "", "\n", -1);
  n = g_strv_length (lines);
  /* the piece after the last line break is empty, or a cut line */
  for (guint i = 0; i < n; i++)
    {
      g_strstrip (lines[i]);
      scan_line (scan, parser, lines[i], first + i);
    }

  if (out_lines != NULL)
    {
      *out_lines = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (*out_lines, g_steal_pointer (&lines[i]));
    }
}

void
_dossier_history_scan_contents (Scan       *scan,
                                char       *contents,
                                GPtrArray **out_lines)
{
  _dossier_history_scan_init (scan);
  scan_lines (scan, contents, out_lines);
}

/* @contents: the lines that follow those @scan holds (from the index) */
void
_dossier_history_scan_more (Scan *scan,
                            char *contents)
{
  scan_lines (scan, contents, NULL);
}

guint
_dossier_history_scan_count_lines (Scan *scan)
{
  guint n = 0;

  for (guint i = 0; i < scan->kinds->len; i++)
    if (g_array_index (scan->kinds, guint8, i) != 0)
      n++;
  return n;
}

/* One line of the file: @node in compact JSON and a line break */
char *
_dossier_history_node_to_line (JsonNode *node)
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

  return !_dossier_history_sent_again_later (scan->sent_keys, record);
}

/* What a compaction keeps of @contents: every finished entry (the record
 * of what was sent is never shortened: a merchant's uploads and the audit
 * export stay whole) with the reviews folded into them, every line of the
 * uploads not sent yet (those that were sent again later excepted), and
 * the last "removed" line of each upload taken off the list; what goes is
 * what a later line superseded: the "queued", "started" and "cancelled"
 * lines of the uploads that finished. Each upload reads as it did before. */
GString *
_dossier_history_scan_compact (char *contents)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GString *out = g_string_new (NULL);
  Scan scan = { 0 };

  _dossier_history_scan_contents (&scan, contents, &lines);
  for (guint i = 0; i < lines->len; i++)
    {
      guint8 kind = g_array_index (scan.kinds, guint8, i);
      const char *id = g_ptr_array_index (scan.ids, i);
      Record *record = id != NULL ? g_hash_table_lookup (scan.records, id) : NULL;
      gboolean keep = FALSE;

      if (kind == 1 || kind == 3)
        /* a finished entry, and a review with its entry */
        keep = TRUE;
      else if (kind == 2 && record != NULL)
        {
          /* the line that took an upload off the list stays, as its
           * entry would: a saved queue read through the record (a
           * discarded restore, then a kill before the queue file went)
           * leaves it out after a compaction as before */
          keep = record_is_kept (&scan, record) ||
                 (record->state == DOSSIER_RECORD_STATE_REMOVED && record->last_seq == i);
        }

      if (keep)
        {
          g_string_append (out, g_ptr_array_index (lines, i));
          g_string_append_c (out, '\n');
        }

      /* one sent again later reads "removed" after its last line, as it
       * did before (its queued line, which says what it was, goes) */
      if (record != NULL && record->last_seq == i &&
          record->state != DOSSIER_RECORD_STATE_SENT &&
          record->state != DOSSIER_RECORD_STATE_REMOVED &&
          _dossier_history_sent_again_later (scan.sent_keys, record))
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
          line = _dossier_history_node_to_line (node);
          g_string_append (out, line);
        }
    }
  _dossier_history_scan_clear (&scan);

  return out;
}

/* -------------------------------------------------------------------------- */
/* What the record says of the uploads                                       */

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

  _dossier_history_ensure_loaded (self);
  record = g_hash_table_lookup (self->records, record_id);
  if (record == NULL)
    return DOSSIER_RECORD_STATE_NONE;
  if (record->state != DOSSIER_RECORD_STATE_SENT && _dossier_history_sent_again_later (self->sent_keys, record))
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

  _dossier_history_ensure_loaded (self);
  g_hash_table_iter_init (&iter, self->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Record *record = value;

      if (_dossier_history_record_get_queued (record) == NULL || record->state == DOSSIER_RECORD_STATE_SENT ||
          record->state == DOSSIER_RECORD_STATE_REMOVED ||
          _dossier_history_sent_again_later (self->sent_keys, record))
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
