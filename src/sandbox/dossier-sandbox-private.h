/* dossier-sandbox-private.h: internals of the sandbox, shared by its files and its tests
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "dossier-sandbox.h"
#include "dossier-sandbox-multipart-private.h"

G_BEGIN_DECLS

/* What a fault does after the request was handled (and its file stored) */
typedef enum
{
  DOSSIER_SANDBOX_STORE_NONE,
  DOSSIER_SANDBOX_STORE_FAIL,   /* stored, then a failure status (500 unless status=) */
  DOSSIER_SANDBOX_STORE_DROP,   /* stored, then the connection dropped, no answer */
} DossierSandboxStoreThen;

typedef struct
{
  char    *provider;     /* NULL: every provider */
  char    *op;           /* NULL: every operation */
  guint    status;       /* 0: none */
  gint     retry_after;  /* -1: none */
  guint    delay_ms;
  gint64   drop;         /* -1: none */
  gboolean malformed_json;
  gint     chunk;        /* -1: any chunk */
  guint    times;        /* 0: every matching request */
  DossierSandboxStoreThen store_then;
  double   probability;  /* of applying to a matching request; 1: always */
  char    *requirement;  /* moov/requirement: the requirement id a file fails */
  char    *error_code;   /* moov/requirement: the errorCode it fails with */
} DossierSandboxFault;

DossierSandboxFault *dossier_sandbox_fault_parse   (const char                *spec,
                                                    GError                   **error);
DossierSandboxFault *dossier_sandbox_fault_copy    (const DossierSandboxFault *fault);
void                 dossier_sandbox_fault_free    (DossierSandboxFault       *fault);
gboolean             dossier_sandbox_fault_matches (const DossierSandboxFault *fault,
                                                    const char                *provider,
                                                    const char                *op,
                                                    gint                       chunk);

/* how long new Kore upload sessions live (default 3600 s); for tests of 410 */
void                 dossier_sandbox_set_kore_session_lifetime (DossierSandbox *self,
                                                                guint           seconds);

#define FIELD_CAP            (64 * 1024)
#define RAW_BODY_CAP         (1024 * 1024)
#define SEND_BLOCK           (256 * 1024)
#define DOKU_MAX_FILE        15000000
#define KORE_MAX_FILE        25000000
#define MOOV_MAX_FILE        20000000
#define MOOV_MAX_FILES       50
#define DOKU_LINK_LIFETIME   3600
#define DOKU_CLOCK_SKEW      600
#define MOOV_TOKEN_LIFETIME  900
#define RECEEVE_TOKEN_LIFETIME 3600
#define MOOV_NIL_ACCOUNT     "00000000-0000-0000-0000-000000000000"

/* the chunked-session routes of each dialect */
#define KORE_SESSION_ROUTE    "kore/api/public/files/session"
#define GENERIC_SESSION_ROUTE "generic/sessions"

struct _DossierSandbox
{
  GObject        parent_instance;

  char          *storage_dir;
  int            storage_lock;   /* flock held on storage_dir/lock, or -1 */
  gboolean       own_storage;
  char          *incoming_dir;
  char          *base_url;
  gboolean       log_requests;

  SoupServer    *server;
  GMainContext  *context;

  /* private thread */
  GThread       *thread;
  GMainLoop     *loop;
  GMutex         start_mutex;
  GCond          start_cond;
  gboolean       start_done;
  GError        *start_error;
  guint          start_port;

  /* read from any thread */
  GMutex         lock;
  GPtrArray     *received;        /* JsonNode */
  GPtrArray     *faults;          /* DossierSandboxFault */

  /* server thread only */
  GHashTable    *files;           /* "provider/id" -> DossierSandboxStoredFile */
  GHashTable    *doku_tokens;     /* token -> expiry (unix s, boxed gint64) */
  GHashTable    *moov_tokens;     /* token -> MoovToken */
  GHashTable    *receeve_tokens;  /* token -> expiry */
  GHashTable    *kore_sessions;   /* id -> DossierSandboxSession */
  GHashTable    *generic_sessions; /* id -> DossierSandboxSession (the generic names) */
  GHashTable    *moov_accounts;   /* accountID -> DossierSandboxMoovAccount */
  GHashTable    *pending;         /* GSource (owned) -> NULL: delayed answers */
  guint          doku_counter;
  guint          kore_session_lifetime;
  gint           review_after;    /* s after which a file is decided, -1: never */
  GHashTable    *doku_replays;    /* Request-Id -> what it was answered */
  GPtrArray     *doku_documents;  /* JsonNode: DOKU uploads and their review status */
};

typedef struct
{
  char   *path;
  char   *content_type;
  char   *file_name;
  gint64  expires;   /* unix seconds, 0: never (DOKU links carry their own) */
} DossierSandboxStoredFile;

typedef struct
{
  char      *id;
  char      *dir;
  char      *file_context;
  char      *extension;
  char      *file_name;
  gint64     file_size;
  guint      total_chunks;
  gint64     expires;      /* wall clock, µs since the epoch */
  GPtrArray *chunks;       /* index -> path or NULL */
  guint64   *chunk_sizes;
} DossierSandboxSession;

/* A file written to its provider's directory (a whole upload or the
 * chunks of a session put together) */
typedef struct
{
  const char   *provider;
  const char   *stored;          /* file name in the provider's directory */
  const char   *path;
  guint64       size;
  const char   *sha256;
  const guint8 *head;            /* the first bytes, for sniffing */
  gsize         head_len;
  GPtrArray    *parts;           /* the form it came in, for the record */
  const char   *file_name;       /* the client's name for it, for the record */
  const char   *content_type;
} DossierSandboxSavedFile;

/* One Moov account: its files (FileDetails, JsonNode) and capabilities
 * (dossier-sandbox-moov-capabilities.c) */
typedef struct
{
  char       *id;
  GPtrArray  *files;
  GPtrArray  *capabilities;
  GPtrArray  *in_review;      /* fileIDs (char *) of files that answered a requirement */
} DossierSandboxMoovAccount;

typedef struct _DossierSandboxRequest DossierSandboxRequest;

typedef void (*DossierSandboxRouteHandler) (DossierSandbox        *self,
                                            SoupServerMessage     *msg,
                                            DossierSandboxRequest *ctx);

typedef struct
{
  const char                 *method;
  const char                 *pattern;    /* segments, "*" matches one */
  const char                 *provider;
  const char                 *op;         /* for faults; NULL: never faulted */
  DossierSandboxRouteHandler  handler;
  guint64                     file_cap;   /* bytes written per file part, 0: no cap */
} DossierSandboxRoute;

struct _DossierSandboxRequest
{
  DossierSandbox                *self;
  const DossierSandboxRoute     *route;
  gboolean                       wrong_method;
  char                          *provider;  /* from the prefix, even for unknown routes */
  GPtrArray                     *params;    /* char *: what the "*" segments matched */
  gint64                         started;
  guint64                        body_bytes;
  DossierSandboxMultipartParser *parser;
  GError                        *parse_error;
  gboolean                       parse_done;
  GByteArray                    *raw;
  gboolean                       raw_too_large;
  gint64                         drop_at;   /* -1: none */
  gboolean                       drop_checked;
  gboolean                       dropped;
  gint                           chunk;     /* Kore chunk number, -1 unknown */
};

/* Kore.ai's chunked session and the generic one share one implementation
 * (dossier-sandbox-chunked.c); a dialect names what differs: the members,
 * the form field, the texts and statuses of the errors, the provider
 * answering them and the routes. */
typedef struct
{
  const char *provider;          /* answers the errors; storage and the record */
  const char *route;             /* prefix of the session routes */
  gsize       sessions;          /* offset in DossierSandbox of id -> DossierSandboxSession */
  gboolean  (*authorized) (SoupServerMessage *msg);   /* NULL: none asked */

  /* start request; a NULL member is not part of the dialect */
  const char *context_member;
  const char *extension_member;
  const char * const *extensions;                    /* those taken, with extension_member */
  char     *(*unsupported_extension) (const char *ext); /* the text for one that is not */
  const char *name_member;
  const char *count_member;
  const char *size_member;
  gint64      max_chunks;        /* 0: no limit */
  const char *bad_start;         /* the body is not the object asked for */
  gboolean    list_problems;     /* TRUE: {"errors": [...]}, FALSE: bad_start */
  /* start answer */
  const char *id_answer;
  const char *expiry_answer;

  /* a session that is not (or no longer) open: prefix ID suffix */
  const char *unknown_prefix;
  const char *unknown_suffix;
  guint       expired_status;
  const char *expired_prefix;
  const char *expired_suffix;

  /* chunk */
  const char *chunk_field;
  const char *chunk_invalid;     /* NULL: "required" / range texts naming the field */
  const char *empty_chunk;       /* NULL: an empty chunk is taken */
  const char *chunk_file;        /* stored chunk names: PREFIX-NNNNNNNN */
  gboolean    chunk_answer;      /* TRUE: {chunk_field, id_answer}, FALSE: {"ok":true} */

  /* complete */
  const char *missing;           /* NULL: "Missing chunks: 0, 2" */
  const char *size_mismatch;     /* NULL: the sum and the size in words */
  const char *stored_prefix;     /* assembled file: PREFIX UUID [.EXT] */
  /* answers for the assembled file; FALSE keeps the session open */
  gboolean  (*finish) (DossierSandbox                *self,
                       SoupServerMessage             *msg,
                       DossierSandboxSession         *session,
                       const DossierSandboxSavedFile *file);
} DossierSandboxChunkDialect;

/* dossier-sandbox-request.c */
const char *
_dossier_sandbox_header (SoupServerMessage *msg,
                         const char        *name);

gboolean
_dossier_sandbox_parse_basic_auth (const char *value,
                                   char      **user,
                                   char      **password);

const char *
_dossier_sandbox_bearer_token (SoupServerMessage *msg);

gboolean
_dossier_sandbox_token_valid (GHashTable *tokens,
                              const char *token);

GPtrArray *
_dossier_sandbox_file_parts (GPtrArray  *parts,
                             const char *name);

const char *
_dossier_sandbox_form_field (GPtrArray  *parts,
                             const char *name);

GPtrArray *
_dossier_sandbox_require_form (SoupServerMessage     *msg,
                               DossierSandboxRequest *ctx);

const char *
_dossier_sandbox_require_raw (SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx,
                              gsize                 *len);

DossierSandboxMultipartPart *
_dossier_sandbox_single_file_part (SoupServerMessage *msg,
                                   const char        *provider,
                                   GPtrArray         *parts);

JsonObject *
_dossier_sandbox_parse_json_object (const char *text,
                                    gsize       len,
                                    JsonNode  **root_out);

gboolean
_dossier_sandbox_json_get_positive (JsonObject *obj,
                                    const char *member,
                                    gint64      min,
                                    gint64     *out);

const char *
_dossier_sandbox_json_get_string (JsonObject *obj,
                                  const char *member);

gboolean
_dossier_sandbox_query_expired (SoupServerMessage *msg,
                                const char        *name,
                                gboolean           required);

/* dossier-sandbox-reply.c */
char *
_dossier_sandbox_random_hex (guint n);

char *
_dossier_sandbox_random_token (void);

char *
_dossier_sandbox_now_iso8601 (gint64   offset_seconds,
                              gboolean millis);

void
_dossier_sandbox_add_string (JsonBuilder *b,
                             const char  *member,
                             const char  *value);

void
_dossier_sandbox_add_int (JsonBuilder *b,
                          const char  *member,
                          gint64       value);

void
_dossier_sandbox_reply_json_node (SoupServerMessage *msg,
                                  guint              status,
                                  JsonNode          *node);

void
_dossier_sandbox_reply_builder (SoupServerMessage *msg,
                                guint              status,
                                JsonBuilder       *builder);

void
_dossier_sandbox_reply_empty (SoupServerMessage *msg,
                              guint              status);

void
_dossier_sandbox_reply_ok (SoupServerMessage *msg);

void
_dossier_sandbox_reply_error (SoupServerMessage *msg,
                              const char        *provider,
                              guint              status,
                              const char        *code,
                              const char        *message);

void
_dossier_sandbox_serve_file (SoupServerMessage *msg,
                             const char        *path,
                             const char        *content_type);

/* dossier-sandbox-storage.c */
const char *
_dossier_sandbox_sniff_type (const guint8 *head,
                             gsize         len);

const char *
_dossier_sandbox_part_content_type (const DossierSandboxMultipartPart *part);

void
_dossier_sandbox_stored_file_free (gpointer data);

char *
_dossier_sandbox_provider_dir (DossierSandbox *self,
                               const char     *provider);

gboolean
_dossier_sandbox_keep_part (DossierSandbox              *self,
                            DossierSandboxMultipartPart *part,
                            const char                  *provider,
                            const char                  *stored_name,
                            GError                     **error);

void
_dossier_sandbox_register_file (DossierSandbox *self,
                                const char     *key,
                                const char     *path,
                                const char     *content_type,
                                const char     *file_name);

void
_dossier_sandbox_add_fields (JsonBuilder *b,
                             GPtrArray   *parts);

void
_dossier_sandbox_record_part (DossierSandboxRequest             *ctx,
                              const char                        *id,
                              const DossierSandboxMultipartPart *part,
                              const char                        *content_type,
                              gint                               chunk);

void
_dossier_sandbox_record_saved (DossierSandbox                *self,
                               const char                    *operation,
                               const char                    *id,
                               const DossierSandboxSavedFile *file);

void
_dossier_sandbox_files_get (DossierSandbox        *self,
                            SoupServerMessage     *msg,
                            DossierSandboxRequest *ctx);

gboolean
_dossier_sandbox_remove_tree (const char *path);

gboolean
_dossier_sandbox_storage_init (DossierSandbox  *self,
                               GError         **error);

/* dossier-sandbox-router.c */
void
_dossier_sandbox_router_attach (DossierSandbox *self,
                                SoupServer     *server);

DossierSandboxFault *
_dossier_sandbox_claim_fault (DossierSandbox *self,
                              const char     *provider,
                              const char     *op,
                              gint            chunk,
                              gboolean        want_drop,
                              const char     *requirement);

/* dossier-sandbox-chunked.c */
void
_dossier_sandbox_session_free (gpointer data);

void
_dossier_sandbox_chunked_start (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx);

void
_dossier_sandbox_chunked_chunk (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx);

void
_dossier_sandbox_chunked_complete (DossierSandbox        *self,
                                   SoupServerMessage     *msg,
                                   DossierSandboxRequest *ctx);

/* dossier-sandbox-doku.c */
void
_dossier_sandbox_doku_token (DossierSandbox        *self,
                             SoupServerMessage     *msg,
                             DossierSandboxRequest *ctx);

void
_dossier_sandbox_doku_upload (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx);

gboolean
_dossier_sandbox_doku_check_signature (SoupServerMessage *msg,
                                       const char        *body,
                                       gsize              body_len);

/* dossier-sandbox-doku-requirements.c */
void
_dossier_sandbox_doku_requirements (DossierSandbox        *self,
                                    SoupServerMessage     *msg,
                                    DossierSandboxRequest *ctx);

/* dossier-sandbox-kore.c */
extern const DossierSandboxChunkDialect _dossier_sandbox_kore_dialect;

void
_dossier_sandbox_kore_upload (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx);

void
_dossier_sandbox_kore_media (DossierSandbox        *self,
                             SoupServerMessage     *msg,
                             DossierSandboxRequest *ctx);

/* dossier-sandbox-moov.c */
void
_dossier_sandbox_moov_token_free (gpointer data);

void
_dossier_sandbox_moov_token (DossierSandbox        *self,
                             SoupServerMessage     *msg,
                             DossierSandboxRequest *ctx);

void
_dossier_sandbox_moov_upload (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx);

void
_dossier_sandbox_moov_list (DossierSandbox        *self,
                            SoupServerMessage     *msg,
                            DossierSandboxRequest *ctx);

gboolean
_dossier_sandbox_moov_authorize (DossierSandbox    *self,
                                 SoupServerMessage *msg,
                                 const char        *account,
                                 const char        *scope,
                                 gboolean           say_404);

/* dossier-sandbox-moov-capabilities.c */
void
_dossier_sandbox_moov_account_free (gpointer data);

DossierSandboxMoovAccount *
_dossier_sandbox_moov_account (DossierSandbox *self,
                               const char     *account);

gboolean
_dossier_sandbox_moov_error_code_known (const char *code);

void
_dossier_sandbox_moov_file_arrived (DossierSandbox            *self,
                                    DossierSandboxMoovAccount *account,
                                    JsonNode                  *details);

void
_dossier_sandbox_moov_file_get (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx);

void
_dossier_sandbox_moov_capabilities (DossierSandbox        *self,
                                    SoupServerMessage     *msg,
                                    DossierSandboxRequest *ctx);

void
_dossier_sandbox_moov_capability (DossierSandbox        *self,
                                  SoupServerMessage     *msg,
                                  DossierSandboxRequest *ctx);

void
_dossier_sandbox_moov_review (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx);

gboolean
_dossier_sandbox_moov_decide (DossierSandbox            *self,
                              DossierSandboxMoovAccount *account,
                              JsonNode                  *details,
                              gboolean                   approve,
                              const char                *code);

gboolean
_dossier_sandbox_moov_review_file (DossierSandbox            *self,
                                   DossierSandboxMoovAccount *account,
                                   JsonNode                  *details);

JsonNode *
_dossier_sandbox_moov_find_file (DossierSandbox             *self,
                                 const char                 *file_id,
                                 DossierSandboxMoovAccount **out_account);

/* dossier-sandbox-review.c */
void
_dossier_sandbox_review_later (DossierSandbox *self,
                               const char     *provider,
                               const char     *id);

gboolean
_dossier_sandbox_review_control (DossierSandbox        *self,
                                 SoupServerMessage     *msg,
                                 DossierSandboxRequest *ctx);

/* dossier-sandbox-doku-business.c */
void
_dossier_sandbox_doku_business_init (DossierSandbox *self);

void
_dossier_sandbox_doku_business_clear (DossierSandbox *self);

char *
_dossier_sandbox_doku_request_key (GPtrArray                         *parts,
                                   const DossierSandboxMultipartPart *file);

gboolean
_dossier_sandbox_doku_replay (DossierSandbox    *self,
                              SoupServerMessage *msg,
                              const char        *key);

void
_dossier_sandbox_doku_stored (DossierSandbox    *self,
                              SoupServerMessage *msg,
                              const char        *key,
                              JsonNode          *answer,
                              const char        *category,
                              const char        *code,
                              const char        *file_name);

gboolean
_dossier_sandbox_doku_review_document (DossierSandbox *self,
                                       const char     *id,
                                       const char     *status);

void
_dossier_sandbox_doku_review_all (DossierSandbox *self);

void
_dossier_sandbox_doku_business (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx);

/* dossier-sandbox-receeve.c */
void
_dossier_sandbox_receeve_token (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx);

void
_dossier_sandbox_receeve_upload (DossierSandbox        *self,
                                 SoupServerMessage     *msg,
                                 DossierSandboxRequest *ctx);

/* dossier-sandbox-generic.c */
extern const DossierSandboxChunkDialect _dossier_sandbox_generic_dialect;

void
_dossier_sandbox_generic_upload (DossierSandbox        *self,
                                 SoupServerMessage     *msg,
                                 DossierSandboxRequest *ctx);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierSandboxFault, dossier_sandbox_fault_free)

G_END_DECLS
