/* dossier-history-private.h: how entries are made, read and capped; the
 * parts of the history shared between its files
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-history.h"
#include "dossier-provider.h"
#include "dossier-upload.h"

G_BEGIN_DECLS

/* One finished upload (dossier-history-entry.c; read from the index in
 * dossier-history-cache.c) */
struct _DossierHistoryEntry
{
  GObject    parent_instance;

  GDateTime *finished_at;
  char      *provider_id;
  char      *provider_name;
  char      *environment;
  char      *file_name;
  char      *remote_id;
  char      *link;
  GDateTime *link_expires;
  char      *remote_status;
  guint      http_status;
  char      *message;
  char      *request_id;
  gboolean   success;
  char      *record_id;   /* the upload's id in the record */
  char      *outcome;     /* "sent", "failed", "unknown"; NULL in old lines */

  /* What ties it to a merchant and its content. Lines written before
   * these members existed have none of them: such a row reads as an upload
   * for no merchant, with no known content, account or requirement. That
   * is the whole migration: no line is ever rewritten for it. */
  char       *merchant_id;    /* NULL: no merchant */
  char       *sha256;         /* lowercase hex of the file; NULL: unknown (a URL) */
  gint64      size;           /* bytes of the file; -1: unknown */
  char      **account;        /* account-scope values sent (never a credential) */
  char      **document;       /* document-scope values sent (category, purpose…);
                               * each NULL or packed (see below) */
  char       *requirement_id; /* from the metadata's requirement_id, or NULL */

  /* The review, folded in from the record's "status" lines
   * (dossier-history-status.c); NULL/FALSE until one came */
  char       *decision_reason;
  char       *error_code;     /* the requirement error the provider named */
  GDateTime  *decided_at;
  gboolean    reconciled;     /* an unknown outcome found sent in the provider's list */

  /* An entry read from the index holds its strings and values in this
   * one block (NULL otherwise): what is in it is not freed on its own;
   * a string replaced later is allocated apart (see
   * _dossier_history_entry_set_string()) */
  char       *strings;
  gsize       strings_len;
};

/* Frees the string in *@field unless it is in the entry's block, puts
 * @value (owned) there */
void                 _dossier_history_entry_set_string    (DossierHistoryEntry *self,
                                                           char               **field,
                                                           char                *value);


/* Values (account, document) packed in one block: name, value, name,
 * value…, %NULL; names sorted and unique, values never %NULL, at least
 * one pair (no values: %NULL). One allocation instead of a hash table
 * and its strings: a long record loads that many fewer. Freed with
 * g_free(). */
typedef struct
{
  const char *name;
  gsize       name_len;
  const char *value;
  gsize       value_len;
} DossierHistoryValue;

/* @values (@n of them; sorted in place) packed; of two with one name,
 * the later wins. %NULL when @n is 0. */
char       **_dossier_history_values_pack     (DossierHistoryValue *values,
                                               guint                n);
/* The same in two steps, into memory of the caller's: the bytes needed
 * (a multiple of a pointer's size; sorts @values), then the packing */
gsize        _dossier_history_values_packed_size (DossierHistoryValue *values,
                                                  guint                n);
char       **_dossier_history_values_pack_into   (DossierHistoryValue *values,
                                                  guint                n,
                                                  gpointer             memory);
const char  *_dossier_history_values_lookup   (char               **packed,
                                               const char          *name);

/* The entry of an upload that ended DONE or FAILED, finished now. Every
 * string in @hide (credentials) is masked by the rule of dossier-redact.c. */
DossierHistoryEntry *dossier_history_entry_new_for_upload (DossierProvider     *provider,
                                                           const char          *environment,
                                                           DossierUpload       *upload,
                                                           const char * const  *hide);
/* The merchant, the account and document values and the requirement the
 * submission sent it with (masked like the rest) */
void                 _dossier_history_entry_set_merchant  (DossierHistoryEntry *self,
                                                           const char          *merchant_id,
                                                           GHashTable          *account,
                                                           GHashTable          *document,
                                                           const char          *requirement_id,
                                                           const char * const  *hide);
/* Pure, for tests: %NULL with @error set when a required member
 * (finished_at, provider_id, file_name) is missing or malformed */
DossierHistoryEntry *dossier_history_entry_new_from_json  (JsonObject          *object,
                                                           GError             **error);

/* Folds a record "status" line into the entry (dossier-history-status.c) */
void                 _dossier_history_entry_apply_status  (DossierHistoryEntry *self,
                                                           JsonObject          *status);
/* The lines past which the file is first compacted (default
 * DOSSIER_HISTORY_COMPACT_AT); every entry is kept whatever the number */
void                 dossier_history_set_max_entries      (DossierHistory      *self,
                                                           guint                max_entries);

typedef struct _DossierHistoryJournal DossierHistoryJournal;

/* What the record says of one upload (dossier-history-scan.c) */
typedef struct
{
  DossierRecordState  state;
  JsonObject         *queued;     /* the "queued" line, or NULL; read
                                   * through _dossier_history_record_get_queued() */
  char               *queued_text; /* or the line, from the index, not parsed yet */
  char               *message;    /* why it failed */
  guint               seq;        /* line of its queued event */
  guint               last_seq;   /* line of its last event */
  guint               last_finished; /* line of its last finished entry + 1, or 0 */
} Record;

/* What one pass over the lines finds */
typedef struct
{
  GPtrArray  *entries;     /* oldest first */
  GPtrArray  *entry_lines; /* line of each entry */
  GHashTable *records;     /* upload id -> Record */
  GHashTable *sent_keys;   /* queued key -> line it was sent + 1 */
  GArray     *kinds;       /* per line: 0 unreadable, 1 finished, 2 other event, 3 status */
  GPtrArray  *ids;         /* per line: upload id or NULL (not owned) */
} Scan;

char    *_dossier_history_read_file         (const char *path);
JsonObject *_dossier_history_record_get_queued (Record  *record);
void     _dossier_history_scan_init         (Scan       *scan);
void     _dossier_history_scan_more         (Scan       *scan,
                                             char       *contents);
void     _dossier_history_record_free       (gpointer    data);
char    *_dossier_history_queued_key        (JsonObject *queued);
gboolean _dossier_history_sent_again_later  (GHashTable *sent_keys,
                                             Record     *record);
Record  *_dossier_history_ensure_record     (GHashTable *records,
                                             const char *id,
                                             guint       seq);
void     _dossier_history_scan_contents     (Scan       *scan,
                                             char       *contents,
                                             GPtrArray **out_lines);
void     _dossier_history_scan_clear        (Scan       *scan);
guint    _dossier_history_scan_count_lines  (Scan       *scan);
char    *_dossier_history_node_to_line      (JsonNode   *node);
GString *_dossier_history_scan_compact      (char       *contents);

/* The index beside the record (dossier-history-cache.c) */
char    *_dossier_history_cache_path        (const char  *path);
void     _dossier_history_scan_path         (Scan        *scan,
                                             const char  *path,
                                             GBytes     **out_cache);
void     _dossier_history_cache_write       (const char  *path,
                                             GBytes      *bytes);

/* "status" lines (dossier-history-status.c): folded into their entry and
 * record while the file is read (the line kind, 3), and as they are given */
guint8   _dossier_history_status_scan       (Scan        *scan,
                                             JsonObject  *status,
                                             const char **out_id);
void     _dossier_history_status_note       (DossierHistory *self,
                                             JsonObject     *status);

/* The model (dossier-history.c) */
struct _DossierHistory
{
  GObject     parent_instance;

  char       *path;
  guint       max_entries; /* compaction threshold (lines), see update_rewrite_at() */
  GPtrArray  *entries;     /* DossierHistoryEntry, newest first; NULL until read */
  guint64     changes;     /* bumped whenever the entries change (the
                            * duplicate guard asks again only then) */
  GHashTable *records;     /* upload id -> Record */
  GHashTable *sent_keys;   /* queued key -> line it was sent + 1 */
  guint       n_lines;     /* lines in the file, as far as known */
  guint       rewrite_at;  /* compaction when n_lines passes it */
  guint       next_seq;    /* order of the next line (past every line read) */

  DossierHistoryJournal *journal;
  guint       n_pending;     /* ops given to the journal, not back yet */
  gboolean    preloading;    /* a dossier_history_preload() scan is on its way */
  GPtrArray  *preload_tasks; /* GTask: waiting for the preload */
  gboolean    reload_needed; /* the file is not what the model noted (a
                              * compaction, a failed write) */
};

/* Completes dossier_history_preload_async() once no preload is on its
 * way (dossier-history-duplicates.c) */
void     _dossier_history_return_preload_tasks (DossierHistory *self);
/* Reads the file once the writer is done, when not read yet */
void     _dossier_history_ensure_loaded     (DossierHistory *self);

/* The journal (dossier-history-journal.c): one writer thread per file
 * that appends and syncs the lines in the order they were given, those
 * that arrive together in one write and one sync */
typedef struct
{
  GString  *data;          /* whole lines to append, or NULL */
  gboolean  compact;       /* compact the file once they are written */
  gboolean  scan;          /* read the file once they are written */
  GTask    *task;          /* completed by the owner, or NULL */
  GError  **sync_error;    /* or: where the owner puts the error */
  guint     n_lines;       /* lines in @data */
  gboolean  kill_after;    /* test hook: SIGKILL once @data is written */
  GBytes   *cache;         /* an index of the file to write, or NULL */

  /* set by the writer */
  GError   *error;         /* @data was not written (the file is as it was) */
  gboolean  compacted;
  GError   *compact_error;
  Scan     *scanned;       /* with @scan, what the file holds */
} DossierHistoryOp;

void                   _dossier_history_op_free        (DossierHistoryOp      *op);
/* @dispatch runs in @context (the owner's) when ops are done */
DossierHistoryJournal *_dossier_history_journal_new    (const char            *path,
                                                        GSourceFunc            dispatch,
                                                        gpointer               owner);
/* Waits for every op, stops the writer */
void                   _dossier_history_journal_free   (DossierHistoryJournal *journal);
void                   _dossier_history_journal_push   (DossierHistoryJournal *journal,
                                                        DossierHistoryOp      *op);
/* The ops written since the last call, in order */
GPtrArray             *_dossier_history_journal_take_done (DossierHistoryJournal *journal);
/* Blocks until the writer has done every op pushed */
void                   _dossier_history_journal_wait   (DossierHistoryJournal *journal);

G_END_DECLS
