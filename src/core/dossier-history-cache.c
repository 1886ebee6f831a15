/* dossier-history-cache.c: the index beside the record, and reading the
 * record through it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * history.jsonl stays the one source of truth. Beside it, history.index
 * (mode 0600, written atomically: temporary file, fsync, rename) holds
 * what one pass over a prefix of it found (dossier-history-scan.c): the
 * entries, the state of every upload, which files were sent when, and
 * the kind of every line, in a compact binary form read without parsing
 * JSON. It says which file it describes (device and inode), how many
 * bytes of it (always whole lines), and the last bytes of that prefix: a
 * record replaced (a compaction renames a new file in), cut or rewritten
 * does not match, and the index is then ignored and written again. The
 * lines after the prefix are read the usual way, so lines appended since
 * (new entries, events of uploads already in the index) read as if the
 * whole file had been read. Every length and count is checked against
 * the size of the index and every string is checked to be UTF-8: a
 * corrupt index (cut, random bytes, another version) is ignored, never
 * trusted. Deleting it changes nothing but the time a load takes.
 *
 * Layout, integers in the machine's byte order (the index is never moved
 * to another machine; a foreign one fails the checks and is rebuilt):
 *   "DSHIDX\n" + version byte, u64 device, u64 inode, u64 bytes covered,
 *   u32 + tail bytes, u32 + kind of each line, u32 + entries (each: u32
 *   line, then its members, see dossier-history-entry.c), u32 + records
 *   (id, state, queued line, message, seq, last seq, last finished),
 *   u32 + sent keys (key, line + 1), "END\n".
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"

typedef struct
{
  const char *at;
  const char *end;
} CacheReader;

#define MAGIC "DSHIDX\n"
#define VERSION 2   /* 2: with the review of "status" lines */
#define END_MARK "END\n"
#define TAIL_BYTES 64
/* an index is written again once this much of the record is not in it */
#define REWRITE_AFTER_BYTES (256 * 1024)

char *
_dossier_history_cache_path (const char *path)
{
  return g_strconcat (path, ".index", NULL);
}

/* -------------------------------------------------------------------------- */
/* Writing                                                                    */

static void
put_u32 (GString *out,
                                guint32  value)
{
  g_string_append_len (out, (const char *) &value, sizeof value);
}

static void
put_u64 (GString *out,
         guint64  value)
{
  g_string_append_len (out, (const char *) &value, sizeof value);
}

/* A string or %NULL */
static void
put_string (GString    *out,
                                   const char *value)
{
  if (value == NULL)
    {
      put_u32 (out, G_MAXUINT32);
      return;
    }
  put_u32 (out, (guint32) strlen (value));
  g_string_append (out, value);
}

static void entry_serialize (DossierHistoryEntry *self,
                             GString             *out);

/* The index of @scan, a pass over the first @covered bytes (whole lines)
 * of the file @st; @covered_end: where those bytes end in memory (at
 * least the last TAIL_BYTES of them are there) */
static GBytes *
serialize (Scan         *scan,
           struct stat  *st,
           const char   *covered_end,
           gsize         covered)
{
  GString *out = g_string_sized_new (64 + scan->entries->len * 400);
  gsize tail = MIN (covered, TAIL_BYTES);
  /* the piece after the last line break is empty: not a line of the index */
  guint n_lines = scan->kinds->len - 1;
  GHashTableIter iter;
  gpointer key, value;

  g_string_append (out, MAGIC);
  g_string_append_c (out, VERSION);
  put_u64 (out, st->st_dev);
  put_u64 (out, st->st_ino);
  put_u64 (out, covered);
  put_u32 (out, tail);
  g_string_append_len (out, covered_end - tail, tail);

  put_u32 (out, n_lines);
  g_string_append_len (out, scan->kinds->data, n_lines);

  put_u32 (out, scan->entries->len);
  for (guint i = 0; i < scan->entries->len; i++)
    {
      put_u32 (out, GPOINTER_TO_UINT (g_ptr_array_index (scan->entry_lines, i)));
      entry_serialize (g_ptr_array_index (scan->entries, i), out);
    }

  put_u32 (out, g_hash_table_size (scan->records));
  g_hash_table_iter_init (&iter, scan->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Record *record = value;
      g_autofree char *queued = NULL;

      if (record->queued != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record->queued);

          queued = json_to_string (node, FALSE);
        }
      put_string (out, key);
      put_u32 (out, record->state);
      put_string (out, queued != NULL ? queued : record->queued_text);
      put_string (out, record->message);
      put_u32 (out, record->seq);
      put_u32 (out, record->last_seq);
      put_u32 (out, record->last_finished);
    }

  put_u32 (out, g_hash_table_size (scan->sent_keys));
  g_hash_table_iter_init (&iter, scan->sent_keys);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      put_string (out, key);
      put_u32 (out, GPOINTER_TO_UINT (value));
    }

  g_string_append (out, END_MARK);
  return g_string_free_to_bytes (out);
}

/* Writes @bytes as the index of the record at @path: a temporary file,
 * synced, renamed over the old one, mode 0600. Failing loses nothing
 * (said in the debug log). */
void
_dossier_history_cache_write (const char *path,
                              GBytes     *bytes)
{
  g_autofree char *cache_path = _dossier_history_cache_path (path);
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_file_set_contents_full (cache_path, data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("History index not written: %s", error->message);
}

/* -------------------------------------------------------------------------- */
/* An entry's members                                                        */

static void
put_time (GString   *out,
          GDateTime *time)
{
  gint64 usec = time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC +
                               g_date_time_get_microsecond (time) : G_MININT64;

  g_string_append_len (out, (const char *) &usec, sizeof usec);
}

static void
put_values (GString  *out,
            char    **values)
{
  guint n = values != NULL ? g_strv_length (values) / 2 : 0;

  put_u32 (out, n);
  for (guint i = 0; i < 2 * n; i++)
    put_string (out, values[i]);
}

static void
entry_serialize (DossierHistoryEntry *self,
                                  GString             *out)
{
  const char *strings[] = {
    self->provider_id, self->provider_name, self->environment, self->file_name,
    self->remote_id, self->link, self->remote_status, self->message,
    self->request_id, self->record_id, self->outcome, self->merchant_id,
    self->sha256, self->requirement_id, self->decision_reason, self->error_code,
  };

  put_time (out, self->finished_at);
  put_time (out, self->link_expires);
  put_time (out, self->decided_at);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    put_string (out, strings[i]);
  put_u32 (out, self->http_status);
  put_u32 (out, self->success);
  put_u32 (out, self->reconciled);
  g_string_append_len (out, (const char *) &self->size, sizeof self->size);
  put_values (out, self->account);
  put_values (out, self->document);
}

/* -------------------------------------------------------------------------- */
/* Reading                                                                    */

/* @size bytes into @out: FALSE when the index is cut there */
static gboolean
get_raw (CacheReader *reader,
                                gpointer     out,
                                gsize        size)
{
  if ((gsize) (reader->end - reader->at) < size)
    return FALSE;
  memcpy (out, reader->at, size);
  reader->at += size;
  return TRUE;
}

static gboolean
get_u32 (CacheReader *reader,
                                guint32     *out)
{
  return get_raw (reader, out, sizeof *out);
}

static gboolean
get_u64 (CacheReader *reader,
         guint64     *out)
{
  return get_raw (reader, out, sizeof *out);
}

static gboolean
get_bytes (CacheReader  *reader,
           gsize         length,
           const char  **out)
{
  if ((gsize) (reader->end - reader->at) < length)
    return FALSE;
  *out = reader->at;
  reader->at += length;
  return TRUE;
}

/* A newly allocated string or %NULL (when @nullable); FALSE when the
 * index is cut there or the text is not UTF-8 */
static gboolean
get_string (CacheReader  *reader,
                                   gboolean      nullable,
                                   char        **out)
{
  guint32 length;
  const char *text;

  *out = NULL;
  if (!get_u32 (reader, &length))
    return FALSE;
  if (length == G_MAXUINT32)
    return nullable;
  if (!get_bytes (reader, length, &text) || !g_utf8_validate_len (text, length, NULL))
    return FALSE;
  *out = g_strndup (text, length);
  return TRUE;
}

static gboolean
get_time (CacheReader  *reader,
          GDateTime   **out)
{
  gint64 usec;

  if (!get_raw (reader, &usec, sizeof usec))
    return FALSE;
  if (usec == G_MININT64)
    return TRUE;

  *out = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (*out != NULL && usec % G_USEC_PER_SEC != 0)
    {
      GDateTime *exact = g_date_time_add (*out, usec % G_USEC_PER_SEC);

      g_date_time_unref (*out);
      *out = exact;
    }
  return *out != NULL;
}

/* The text of a string that is not %NULL, in the index itself */
static gboolean
get_text (CacheReader  *reader,
          const char  **out,
          gsize        *out_length)
{
  guint32 length;

  return get_u32 (reader, &length) && length != G_MAXUINT32 &&
         get_bytes (reader, length, out) && g_utf8_validate_len (*out, length, NULL) &&
         (*out_length = length, TRUE);
}

/* Values as the index holds them, not copied yet */
typedef struct
{
  DossierHistoryValue  some[8];
  DossierHistoryValue *values;
  DossierHistoryValue *many;
  guint32              n;
} ValueList;

static gboolean
get_values (CacheReader *reader,
            ValueList   *list)
{
  list->values = list->some;
  list->many = NULL;
  if (!get_u32 (reader, &list->n) || list->n > (gsize) (reader->end - reader->at))
    return FALSE;
  if (list->n > G_N_ELEMENTS (list->some))
    list->values = list->many = g_new (DossierHistoryValue, list->n);
  for (guint32 i = 0; i < list->n; i++)
    if (!get_text (reader, &list->values[i].name, &list->values[i].name_len) ||
        !get_text (reader, &list->values[i].value, &list->values[i].value_len))
      return FALSE;
  return TRUE;
}

static DossierHistoryEntry *
entry_deserialize (CacheReader *reader)
{
  g_autoptr(DossierHistoryEntry) self = g_object_new (DOSSIER_TYPE_HISTORY_ENTRY, NULL);
  char **strings[] = {
    &self->provider_id, &self->provider_name, &self->environment, &self->file_name,
    &self->remote_id, &self->link, &self->remote_status, &self->message,
    &self->request_id, &self->record_id, &self->outcome, &self->merchant_id,
    &self->sha256, &self->requirement_id, &self->decision_reason, &self->error_code,
  };
  const char *texts[G_N_ELEMENTS (strings)];
  guint32 lengths[G_N_ELEMENTS (strings)];
  guint32 status, success, reconciled;
  ValueList account = { 0 }, document = { 0 };
  gsize account_size, document_size, strings_len = 0;
  gboolean ok;
  char *block;

  if (!get_time (reader, &self->finished_at) || self->finished_at == NULL ||
      !get_time (reader, &self->link_expires) || !get_time (reader, &self->decided_at))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      texts[i] = NULL;
      if (!get_u32 (reader, &lengths[i]))
        return NULL;
      if (lengths[i] == G_MAXUINT32)
        continue;
      if (!get_bytes (reader, lengths[i], &texts[i]) ||
          !g_utf8_validate_len (texts[i], lengths[i], NULL))
        return NULL;
      strings_len += lengths[i] + 1;
    }
  /* what dossier_history_entry_new_from_json() requires: provider id
   * and name, file name (0, 1 and 3 in strings[]) */
  if (texts[0] == NULL || texts[1] == NULL || texts[3] == NULL)
    return NULL;
  if (!get_u32 (reader, &status) || status >= 1000 ||
      !get_u32 (reader, &success) || success > 1 ||
      !get_u32 (reader, &reconciled) || reconciled > 1 ||
      !get_raw (reader, &self->size, sizeof self->size) || self->size < -1)
    return NULL;
  self->http_status = status;
  self->success = success;
  self->reconciled = reconciled;
  ok = get_values (reader, &account) && get_values (reader, &document);
  if (ok)
    {
      /* the values and the strings in one block (see the struct), not
       * an allocation each */
      account_size = _dossier_history_values_packed_size (account.values, account.n);
      document_size = _dossier_history_values_packed_size (document.values, document.n);
      self->strings_len = account_size + document_size + strings_len;
      block = self->strings = g_malloc (MAX (self->strings_len, 1));
      self->account = _dossier_history_values_pack_into (account.values, account.n, block);
      block += account_size;
      self->document = _dossier_history_values_pack_into (document.values, document.n, block);
      block += document_size;
      for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
        if (texts[i] != NULL)
          {
            memcpy (block, texts[i], lengths[i]);
            block[lengths[i]] = '\0';
            *strings[i] = block;
            block += lengths[i] + 1;
          }
    }
  g_free (account.many);
  g_free (document.many);
  return ok ? g_steal_pointer (&self) : NULL;
}

/* Reads what the index says into @scan (empty); FALSE (and @scan
 * half-filled) when it is corrupt */
static gboolean
decode_body (CacheReader *reader,
             Scan        *scan)
{
  guint32 n;
  const char *kinds;

  if (!get_u32 (reader, &n) || !get_bytes (reader, n, &kinds))
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    if ((guint8) kinds[i] > 3)
      return FALSE;
  g_array_append_vals (scan->kinds, kinds, n);
  g_ptr_array_set_size (scan->ids, n);

  if (!get_u32 (reader, &n) || n > (gsize) (reader->end - reader->at))
    return FALSE;
  g_ptr_array_set_size (scan->entries, 0);
  for (guint32 i = 0; i < n; i++)
    {
      guint32 line;
      DossierHistoryEntry *entry;

      if (!get_u32 (reader, &line) || line >= scan->kinds->len)
        return FALSE;
      entry = entry_deserialize (reader);
      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (scan->entries, entry);
      g_ptr_array_add (scan->entry_lines, GUINT_TO_POINTER (line));
    }

  if (!get_u32 (reader, &n) || n > (gsize) (reader->end - reader->at))
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      g_autofree char *id = NULL;
      Record *record = g_new0 (Record, 1);
      guint32 state;
      gboolean ok;

      ok = get_string (reader, FALSE, &id) &&
           get_u32 (reader, &state) &&
           state <= DOSSIER_RECORD_STATE_REMOVED &&
           get_string (reader, TRUE, &record->queued_text) &&
           get_string (reader, TRUE, &record->message) &&
           get_u32 (reader, &record->seq) &&
           get_u32 (reader, &record->last_seq) &&
           get_u32 (reader, &record->last_finished);
      if (!ok || g_hash_table_contains (scan->records, id))
        {
          _dossier_history_record_free (record);
          return FALSE;
        }
      record->state = state;
      g_hash_table_insert (scan->records, g_steal_pointer (&id), record);
    }

  if (!get_u32 (reader, &n) || n > (gsize) (reader->end - reader->at))
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      char *key;
      guint32 line;

      if (!get_string (reader, FALSE, &key))
        return FALSE;
      if (!get_u32 (reader, &line))
        {
          g_free (key);
          return FALSE;
        }
      g_hash_table_replace (scan->sent_keys, key, GUINT_TO_POINTER (line));
    }

  return reader->end - reader->at == strlen (END_MARK) &&
         memcmp (reader->at, END_MARK, strlen (END_MARK)) == 0;
}

/* The bytes the index covers when it describes the record open as @fd
 * (@st), @scan filled from it; 0 and @scan empty when there is no index
 * or it does not match */
static gsize
read_cache (const char  *path,
            int          fd,
            struct stat *st,
            Scan        *scan)
{
  g_autofree char *cache_path = _dossier_history_cache_path (path);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) error = NULL;
  CacheReader reader;
  const char *magic, *tail;
  guint64 dev, ino, covered;
  guint32 tail_len;
  char version;
  char on_disk[TAIL_BYTES];

  mapped = g_mapped_file_new (cache_path, FALSE, &error);
  if (mapped == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("History index not read: %s", error->message);
      return 0;
    }
  reader.at = g_mapped_file_get_contents (mapped);
  reader.end = reader.at + g_mapped_file_get_length (mapped);

  if (!get_bytes (&reader, strlen (MAGIC), &magic) || memcmp (magic, MAGIC, strlen (MAGIC)) != 0 ||
      !get_bytes (&reader, 1, &magic) || (version = *magic) != VERSION ||
      !get_u64 (&reader, &dev) || !get_u64 (&reader, &ino) || !get_u64 (&reader, &covered) ||
      !get_u32 (&reader, &tail_len) || tail_len > TAIL_BYTES ||
      tail_len != MIN (covered, TAIL_BYTES) || !get_bytes (&reader, tail_len, &tail))
    {
      g_debug ("History index ignored: not an index of this version");
      return 0;
    }
  if (dev != (guint64) st->st_dev || ino != (guint64) st->st_ino || covered > (guint64) st->st_size)
    {
      g_debug ("History index ignored: it describes another file");
      return 0;
    }
  if (covered == 0 ||
      pread (fd, on_disk, tail_len, covered - tail_len) != (gssize) tail_len ||
      memcmp (on_disk, tail, tail_len) != 0 || tail[tail_len - 1] != '\n')
    {
      g_debug ("History index ignored: the file was rewritten");
      return 0;
    }

  _dossier_history_scan_init (scan);
  if (!decode_body (&reader, scan))
    {
      g_debug ("History index ignored: corrupt");
      _dossier_history_scan_clear (scan);
      return 0;
    }
  return covered;
}

/* The bytes of @fd from @offset to its end (@size as it was seen) */
static char *
read_from (int     fd,
           gsize   offset,
           gsize   size,
           gsize  *out_length)
{
  char *data = g_malloc (size - offset + 1);
  gsize done = 0;

  while (offset + done < size)
    {
      gssize n = pread (fd, data + done, size - offset - done, offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  data[done] = '\0';
  *out_length = done;
  return data;
}

/**
 * _dossier_history_scan_path:
 * @out_cache: (out) (nullable): a new index to write (by the caller,
 *   away from the main thread), or %NULL when the one there is fine
 *
 * What one pass over the record at @path finds, the index helping: the
 * same as _dossier_history_scan_contents() over the whole file.
 */
void
_dossier_history_scan_path (Scan        *scan,
                            const char  *path,
                            GBytes     **out_cache)
{
  struct stat st;
  gsize covered = 0, length = 0, last_break;
  g_autofree char *rest = NULL;
  int fd;

  *out_cache = NULL;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      if (errno != ENOENT)
        g_debug ("History not read: %s: %s", path, g_strerror (errno));
      _dossier_history_scan_contents (scan, NULL, NULL);
      return;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      /* a device in its place (/dev/full in the tests) reads forever */
      g_debug ("History not read: %s is not a regular file", path);
      close (fd);
      _dossier_history_scan_contents (scan, NULL, NULL);
      return;
    }

  covered = read_cache (path, fd, &st, scan);
  rest = read_from (fd, covered, st.st_size, &length);
  close (fd);

  if (covered == 0)
    _dossier_history_scan_contents (scan, rest, NULL);
  else
    _dossier_history_scan_more (scan, rest);

  /* what the next index covers: up to the last whole line */
  last_break = length;
  while (last_break > 0 && rest[last_break - 1] != '\n')
    last_break--;
  if (covered + last_break > 0 && (covered == 0 || last_break >= REWRITE_AFTER_BYTES))
    {
      g_autofree char *prefix = NULL;
      gsize prefix_length = 0;
      Scan covered_scan = { 0 };

      if (last_break == length && (covered == 0 || length >= TAIL_BYTES))
        {
          *out_cache = serialize (scan, &st, rest + length, covered + length);
          return;
        }

      /* the cut last line is not covered: index what came before it */
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        return;
      prefix = read_from (fd, 0, covered + last_break, &prefix_length);
      close (fd);
      if (prefix_length != covered + last_break)
        return;
      _dossier_history_scan_contents (&covered_scan, prefix, NULL);
      *out_cache = serialize (&covered_scan, &st, prefix + prefix_length, prefix_length);
      _dossier_history_scan_clear (&covered_scan);
    }
}
