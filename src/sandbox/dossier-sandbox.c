/* dossier-sandbox.c: the four providers' upload APIs, emulated on loopback
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer serves every provider under its own prefix (/doku, /kore,
 * /moov, /receeve), plus /generic/upload, /files/... and /_sandbox/....
 *
 * The generic chunked session (for descriptors written against the sandbox,
 * with member names of its own, unlike Kore's):
 *   POST /generic/sessions            {"parts": N, "name": "a.png", "bytes": SIZE}
 *                                     -> {"upload": ID, "valid_until": ISO 8601}
 *   POST /generic/sessions/ID         multipart: "part" (0 to N-1) and the file
 *   POST /generic/sessions/ID/finish  -> {"id", "link", "size", "sha256"}
 *
 * Request bodies never accumulate in memory: an early handler turns
 * accumulation off and feeds every chunk to an incremental multipart parser
 * that writes file parts to the storage directory.  The normal handler runs
 * once the body is complete, validates, answers and deletes what it rejects.
 * Stored files are served back by streaming them from disk.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"
#include "dossier-sandbox-multipart-private.h"

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
  GHashTable    *files;           /* "provider/id" -> StoredFile */
  GHashTable    *doku_tokens;     /* token -> expiry (unix s, boxed gint64) */
  GHashTable    *moov_tokens;     /* token -> MoovToken */
  GHashTable    *receeve_tokens;  /* token -> expiry */
  GHashTable    *kore_sessions;   /* id -> KoreSession */
  GHashTable    *generic_sessions; /* id -> KoreSession (the generic names) */
  GHashTable    *moov_accounts;   /* accountID -> GPtrArray of JsonNode */
  GHashTable    *pending;         /* GSource (owned) -> NULL: delayed answers */
  guint          doku_counter;
  guint          kore_session_lifetime;
};

enum {
  PROP_0,
  PROP_STORAGE_DIR,
  PROP_BASE_URL,
  PROP_LOG_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DossierSandbox, dossier_sandbox, G_TYPE_OBJECT)

G_DEFINE_QUARK (dossier-sandbox-error-quark, dossier_sandbox_error)

typedef struct
{
  char   *path;
  char   *content_type;
  char   *file_name;
  gint64  expires;   /* unix seconds, 0: never (DOKU links carry their own) */
} StoredFile;

typedef struct
{
  char   *scope;
  gint64  expires;
} MoovToken;

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
} KoreSession;

/* A file written to its provider's directory (a whole upload or the
 * chunks of a session put together) */
typedef struct
{
  const char   *stored;          /* file name in the provider's directory */
  const char   *path;
  guint64       size;
  const char   *sha256;
  const guint8 *head;            /* the first bytes, for sniffing */
  gsize         head_len;
  GPtrArray    *parts;           /* the form it came in, for the record */
} SavedFile;

typedef struct _RequestCtx RequestCtx;
typedef void (*RouteHandler) (DossierSandbox    *self,
                              SoupServerMessage *msg,
                              RequestCtx        *ctx);

typedef struct
{
  const char   *method;
  const char   *pattern;    /* segments, "*" matches one */
  const char   *provider;
  const char   *op;         /* for faults; NULL: never faulted */
  RouteHandler  handler;
  guint64       file_cap;   /* bytes written per file part, 0: no cap */
} Route;

struct _RequestCtx
{
  DossierSandbox         *self;
  const Route            *route;
  gboolean                wrong_method;
  char                   *provider;     /* from the prefix, even for unknown routes */
  GPtrArray              *params;       /* char *: what the "*" segments matched */
  gint64                  started;
  guint64                 body_bytes;
  DossierSandboxMultipartParser *parser;
  GError                 *parse_error;
  gboolean                parse_done;
  GByteArray             *raw;
  gboolean                raw_too_large;
  gint64                  drop_at;      /* -1: none */
  gboolean                drop_checked;
  gboolean                dropped;
  gint                    chunk;        /* Kore chunk number, -1 unknown */
};

static void stored_file_free (gpointer data);
static void kore_session_free (gpointer data);
static void moov_token_free (gpointer data);

/* -------------------------------------------------------------------------- */
/* small helpers                                                              */

static char *
random_hex (guint n)
{
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, "0123456789abcdef"[g_random_int_range (0, 16)]);

  return g_string_free (s, FALSE);
}

static char *
random_token (void)
{
  g_autofree char *a = random_hex (32);
  g_autofree char *b = random_hex (32);

  return g_strconcat (a, b, NULL);
}

static char *
base64url (const guint8 *data,
           gsize         len)
{
  char *s = g_base64_encode (data, len);
  char *p;

  for (p = s; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return s;
}

static char *
now_iso8601 (gint64 offset_seconds,
             gboolean millis)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, offset_seconds);

  if (millis)
    {
      g_autofree char *base = g_date_time_format (then, "%Y-%m-%dT%H:%M:%S");
      return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (then) / 1000);
    }

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static const char *
sniff_type (const guint8 *head,
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

static const char *
part_content_type (const DossierSandboxMultipartPart *part)
{
  const char *sniffed = sniff_type (part->head, part->head_len);

  if (sniffed != NULL)
    return sniffed;
  if (part->content_type != NULL && *part->content_type != '\0')
    return part->content_type;
  if (part->is_text && part->size > 0)
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

static char *
lower_extension (const char *file_name)
{
  const char *dot;

  if (file_name == NULL)
    return NULL;
  dot = strrchr (file_name, '.');
  if (dot == NULL || dot[1] == '\0' || strchr (dot, '/') != NULL)
    return NULL;

  return g_ascii_strdown (dot + 1, -1);
}

static const char *
header (SoupServerMessage *msg,
        const char        *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);
}

static gboolean
parse_basic_auth (const char  *value,
                  char       **user,
                  char       **password)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  char *colon;

  if (value == NULL || g_ascii_strncasecmp (value, "Basic ", 6) != 0)
    return FALSE;

  decoded = g_base64_decode (value + 6, &len);
  if (decoded == NULL)
    return FALSE;
  text = g_strndup ((const char *) decoded, len);
  colon = strchr (text, ':');
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  *user = g_strdup (text);
  *password = g_strdup (colon + 1);

  return TRUE;
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *value = header (msg, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;

  return value;
}

/* -------------------------------------------------------------------------- */
/* responses                                                                  */

static void
reply_json_node (SoupServerMessage *msg,
                 guint              status,
                 JsonNode          *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  char *text;
  gsize len;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  /* a reply replaces any earlier one (a fault that answers after the route
   * did): soup_server_message_set_response() appends to the body */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static void
reply_builder (SoupServerMessage *msg,
               guint              status,
               JsonBuilder       *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  reply_json_node (msg, status, node);
}

static void
reply_empty (SoupServerMessage *msg,
             guint              status)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

static const char *
doku_code_for_status (guint status)
{
  switch (status)
    {
    case 400: return "INVALID_PARAMETER";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 409: return "CONFLICT";
    case 413: return "FILE_TOO_LARGE";
    case 422: return "UNPROCESSABLE_ENTITY";
    case 429: return "TOO_MANY_REQUESTS";
    case 500: return "INTERNAL_SERVER_ERROR";
    case 502: return "BAD_GATEWAY";
    case 503: return "SERVICE_UNAVAILABLE";
    case 504: return "GATEWAY_TIMEOUT";
    default:  return "FAILED";
    }
}

/* The error in the shape of @provider's API */
static void
reply_error (SoupServerMessage *msg,
             const char        *provider,
             guint              status,
             const char        *code,
             const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (g_strcmp0 (provider, "doku") == 0)
    {
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, "FAILED");
      json_builder_set_member_name (b, "response_code");
      json_builder_add_string_value (b, code ? code : doku_code_for_status (status));
      json_builder_set_member_name (b, "response_message");
      json_builder_add_string_value (b, message);
    }
  else if (g_strcmp0 (provider, "kore") == 0)
    {
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "msg");
      json_builder_add_string_value (b, message);
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, status);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  else if (g_strcmp0 (provider, "receeve") == 0)
    {
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, message);
    }
  json_builder_end_object (b);

  reply_builder (msg, status, b);
}

static void
reply_ctx_error (SoupServerMessage *msg,
                 RequestCtx        *ctx,
                 guint              status,
                 const char        *message)
{
  reply_error (msg, ctx->provider, status, NULL, message);
}

/* -------------------------------------------------------------------------- */
/* storage and records                                                        */

static void
stored_file_free (gpointer data)
{
  StoredFile *file = data;

  g_free (file->path);
  g_free (file->content_type);
  g_free (file->file_name);
  g_free (file);
}

static void
moov_token_free (gpointer data)
{
  MoovToken *token = data;

  g_free (token->scope);
  g_free (token);
}

static void
kore_session_free (gpointer data)
{
  KoreSession *session = data;

  for (guint i = 0; i < session->chunks->len; i++)
    {
      const char *path = g_ptr_array_index (session->chunks, i);
      if (path != NULL)
        g_unlink (path);
    }
  if (session->dir != NULL)
    g_rmdir (session->dir);

  g_ptr_array_unref (session->chunks);
  g_free (session->chunk_sizes);
  g_free (session->id);
  g_free (session->dir);
  g_free (session->file_context);
  g_free (session->extension);
  g_free (session->file_name);
  g_free (session);
}

static char *
provider_dir (DossierSandbox *self,
              const char     *provider)
{
  char *dir = g_build_filename (self->storage_dir, provider, NULL);

  g_mkdir_with_parents (dir, 0700);
  return dir;
}

/* Moves a parsed file part to its final place; the part keeps it */
static gboolean
keep_part (DossierSandbox              *self,
           DossierSandboxMultipartPart *part,
           const char                  *provider,
           const char                  *stored_name,
           GError                     **error)
{
  g_autofree char *dir = provider_dir (self, provider);
  g_autofree char *dest = g_build_filename (dir, stored_name, NULL);

  if (g_rename (part->path, dest) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not store %s: %s", dest, g_strerror (saved));
      return FALSE;
    }

  g_free (part->path);
  part->path = g_steal_pointer (&dest);
  part->keep = TRUE;

  return TRUE;
}

static void
register_file (DossierSandbox *self,
               const char     *key,
               const char     *path,
               const char     *content_type,
               const char     *file_name)
{
  StoredFile *file = g_new0 (StoredFile, 1);

  file->path = g_strdup (path);
  file->content_type = g_strdup (content_type);
  file->file_name = g_strdup (file_name);
  g_hash_table_replace (self->files, g_strdup (key), file);
}

static void
add_fields (JsonBuilder *b,
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
      json_builder_set_member_name (b, part->name);
      json_builder_add_string_value (b, value);
    }
  json_builder_end_object (b);
}

static void
record_received (DossierSandbox             *self,
                 const char                 *provider,
                 const char                 *operation,
                 const char                 *id,
                 const char                 *file_name,
                 const char                 *content_type,
                 guint64                     size,
                 const char                 *sha256,
                 const char                 *path,
                 GPtrArray                  *parts,
                 gint                        chunk)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "provider");
  json_builder_add_string_value (b, provider);
  json_builder_set_member_name (b, "operation");
  json_builder_add_string_value (b, operation);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "file_name");
  json_builder_add_string_value (b, file_name);
  json_builder_set_member_name (b, "content_type");
  json_builder_add_string_value (b, content_type);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, size);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, sha256);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  if (chunk >= 0)
    {
      json_builder_set_member_name (b, "chunk");
      json_builder_add_int_value (b, chunk);
    }
  json_builder_set_member_name (b, "fields");
  add_fields (b, parts);
  json_builder_end_object (b);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->received, json_builder_get_root (b));
  g_mutex_unlock (&self->lock);
}

/* The parts that carry a file, named @name (any name when %NULL) */
static GPtrArray *
file_parts (GPtrArray  *parts,
            const char *name)
{
  GPtrArray *files = g_ptr_array_new ();

  for (guint i = 0; i < parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);
      if (part->filename != NULL && (name == NULL || g_strcmp0 (part->name, name) == 0))
        g_ptr_array_add (files, part);
    }

  return files;
}

static const char *
form_field (GPtrArray  *parts,
            const char *name)
{
  for (guint i = 0; i < parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);

      if (part->filename == NULL && part->value != NULL && g_strcmp0 (part->name, name) == 0)
        return g_bytes_get_data (part->value, NULL);
    }

  return NULL;
}

/* The parsed form, or NULL after answering 400 in the provider's shape */
static GPtrArray *
require_form (SoupServerMessage *msg,
              RequestCtx        *ctx)
{
  if (ctx->parse_error != NULL)
    {
      reply_ctx_error (msg, ctx, 400, ctx->parse_error->message);
      return NULL;
    }
  if (ctx->parser == NULL)
    {
      reply_ctx_error (msg, ctx, 400, "The request must be multipart/form-data with a boundary");
      return NULL;
    }

  return dossier_sandbox_multipart_parser_get_parts (ctx->parser);
}

/* The raw (non-multipart) body as a NUL-terminated string, or NULL after answering */
static const char *
require_raw (SoupServerMessage *msg,
             RequestCtx        *ctx,
             gsize             *len)
{
  if (ctx->raw_too_large)
    {
      reply_ctx_error (msg, ctx, 413, "Request body too large");
      return NULL;
    }
  if (ctx->raw == NULL)
    ctx->raw = g_byte_array_new ();
  /* keep a NUL just past the end, without counting it */
  *len = ctx->raw->len;
  g_byte_array_append (ctx->raw, (const guint8 *) "", 1);
  g_byte_array_set_size (ctx->raw, *len);

  return (const char *) ctx->raw->data;
}

/* json-glib 1.6 recurses once per level and overflows the stack at about
 * 80,000; a client's JSON here is a few levels deep. The sandbox does not
 * use src/core, so it keeps its own count: brackets outside double-quoted
 * strings, and no "'", "#" or "/" outside a string (json-glib's scanner
 * would take them as strings or comments this count does not see). */
#define SANDBOX_JSON_MAX_DEPTH 32

static gboolean
json_depth_ok (const char *text,
               gsize       len)
{
  const char *end = text + len;
  guint depth = 0;

  for (const char *p = text; p < end; p++)
    {
      switch (*p)
        {
        case '"':
          for (p++; p < end && *p != '"'; p++)
            if (*p == '\\')
              p++;
          break;
        case '[':
        case '{':
          if (++depth > SANDBOX_JSON_MAX_DEPTH)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '\'':
        case '#':
        case '/':
          return FALSE;
        default:
          break;
        }
    }

  return TRUE;
}

static JsonObject *
parse_json_object (const char *text,
                   gsize       len,
                   JsonNode  **root_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_depth_ok (text, len) ||
      !json_parser_load_from_data (parser, text, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  *root_out = json_node_copy (root);

  return json_node_get_object (*root_out);
}

/* -------------------------------------------------------------------------- */
/* DOKU                                                                       */

static const char * const doku_categories[] = {
  "OWNER_LIVENESS", "PHOTO_PROOF", "LOGO", "DOCUMENT", "SERVICE_AGREEMENT", "BANK_ACCOUNT", NULL
};

static const char * const doku_codes[] = {
  "AKTA_PENDIRIAN_PERUSAHAAN", "BPOM", "COMPANY_REGISTRATION", "IZIN_BLU", "IZIN_BOPI",
  "IZIN_DISPENDIK_KEMENDIKBUD", "IZIN_DISTRIBUTOR_RESMI", "IZIN_EDAR_ALAT_KESEHATAN",
  "IZIN_KERAMAIAN", "IZIN_KOPERASI_SIMPAN_PINJAM", "IZIN_PENYELENGGARAAN_IBADAH_HAJI_DAN_UMRAH",
  "IZIN_PMB", "IZIN_PUB", "IZIN_USAHA", "IZIN_USAHA_PERSEORANGAN", "KITAS_OR_KITAP", "KTP",
  "LICENSE_ASIC", "LICENSE_CFTC", "LICENSE_CYSEC", "LICENSE_FCA", "LICENSE_IFSC",
  "LISENSI_BAPPEBTI", "LISENSI_OJK", "NIB", "NIB_PERSEORANGAN", "NPWP_BADAN",
  "NPWP_ORANG_PRIBADI", "PASPOR", "SERTIFIKAT_HALAL_MUI", "SERTIFIKAT_KEANGGOTAAN_ASITA",
  "SK_KEMENDIKBUDRISTEK", "SK_KEMENKUMHAM", "SK_PENDIRIAN_YAYASAN", "TANDA_DAFTAR_PSE",
  "TANDA_DAFTAR_YAYASAN", NULL
};

static void
doku_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  reply_error (msg, "doku", status, code, message);
}

static char *
doku_make_token (const char *client_id,
                 gint64      iat,
                 gint64      exp)
{
  static const char header_json[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autofree char *payload_json = NULL;
  g_autofree char *h = NULL;
  g_autofree char *p = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *sig = NULL;
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  payload_json = g_strdup_printf ("{\"sub\":\"%s\",\"iat\":%" G_GINT64_FORMAT ",\"exp\":%" G_GINT64_FORMAT
                                  ",\"user\":{\"businessServiceClientId\":\"%s\"}}",
                                  client_id, iat, exp, client_id);
  h = base64url ((const guint8 *) header_json, strlen (header_json));
  p = base64url ((const guint8 *) payload_json, strlen (payload_json));
  signing_input = g_strconcat (h, ".", p, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) DOSSIER_SANDBOX_DOKU_SECRET_KEY,
                     strlen (DOSSIER_SANDBOX_DOKU_SECRET_KEY));
  g_hmac_update (hmac, (const guchar *) signing_input, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
  sig = base64url (digest, digest_len);

  return g_strconcat (signing_input, ".", sig, NULL);
}

static char *
doku_signature (const char *client_id,
                const char *request_id,
                const char *timestamp,
                const char *target,
                const char *body,
                gsize       body_len)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *digest_b64 = NULL;
  g_autofree char *to_sign = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_checksum_update (sha, (const guchar *) body, body_len);
  g_checksum_get_digest (sha, digest, &digest_len);
  digest_b64 = g_base64_encode (digest, digest_len);

  to_sign = g_strdup_printf ("Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\n"
                             "Request-Target:%s\nDigest:%s",
                             client_id, request_id, timestamp, target, digest_b64);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) DOSSIER_SANDBOX_DOKU_SECRET_KEY,
                     strlen (DOSSIER_SANDBOX_DOKU_SECRET_KEY));
  g_hmac_update (hmac, (const guchar *) to_sign, -1);
  digest_len = sizeof digest;
  g_hmac_get_digest (hmac, digest, &digest_len);

  return g_base64_encode (digest, digest_len);
}

static void
doku_token (DossierSandbox    *self,
            SoupServerMessage *msg,
            RequestCtx        *ctx)
{
  const char *client_id = header (msg, "Client-Id");
  const char *request_id = header (msg, "Request-Id");
  const char *timestamp = header (msg, "Request-Timestamp");
  const char *signature = header (msg, "Signature");
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *token = NULL;
  JsonObject *obj;
  JsonNode *valid_node;
  const char *body;
  gsize body_len = 0;
  gint64 minutes = 360;
  gint64 now;

  if ((body = require_raw (msg, ctx, &body_len)) == NULL)
    return;

  if (client_id == NULL || *client_id == '\0')
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Client-Id header is required");
      return;
    }
  if (request_id == NULL || *request_id == '\0' || strlen (request_id) > 128)
    {
      doku_error (msg, 400, "INVALID_PARAMETER",
                  "Request-Id header is required and must be 1 to 128 characters");
      return;
    }
  if (timestamp == NULL || *timestamp == '\0')
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Request-Timestamp header is required");
      return;
    }
  when = g_date_time_new_from_iso8601 (timestamp, NULL);
  if (when == NULL || !g_str_has_suffix (timestamp, "Z"))
    {
      doku_error (msg, 400, "INVALID_PARAMETER",
                  "Request-Timestamp must be ISO8601 in UTC, like 2020-08-11T08:45:42Z");
      return;
    }
  now = g_get_real_time () / G_USEC_PER_SEC;
  if (ABS (g_date_time_to_unix (when) - now) > DOKU_CLOCK_SKEW)
    {
      doku_error (msg, 400, "INVALID_PARAMETER",
                  "Request-Timestamp is more than 10 minutes away from the server time");
      return;
    }
  if (g_strcmp0 (client_id, DOSSIER_SANDBOX_DOKU_CLIENT_ID) != 0)
    {
      doku_error (msg, 401, "UNAUTHORIZED", "Unknown Client-Id");
      return;
    }
  if (signature == NULL || !g_str_has_prefix (signature, "HMACSHA256="))
    {
      doku_error (msg, 401, "INVALID_SIGNATURE", "Signature header must be HMACSHA256=<base64>");
      return;
    }

  /* Request-Target is the provider's own path, without our /doku prefix */
  if (g_str_has_prefix (path, "/doku/"))
    path += strlen ("/doku");
  expected = doku_signature (client_id, request_id, timestamp, path, body, body_len);
  if (!g_str_equal (signature + strlen ("HMACSHA256="), expected))
    {
      doku_error (msg, 401, "INVALID_SIGNATURE", "Invalid signature");
      return;
    }

  obj = parse_json_object (body, body_len, &root);
  if (obj == NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Request body must be a JSON object");
      return;
    }
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "grant_type", ""),
                 "client_credentials") != 0)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "grant_type must be client_credentials");
      return;
    }
  valid_node = json_object_get_member (obj, "valid_time");
  if (valid_node != NULL && !JSON_NODE_HOLDS_NULL (valid_node))
    {
      guint64 n = 0;
      gboolean ok = FALSE;

      if (JSON_NODE_HOLDS_VALUE (valid_node) && json_node_get_value_type (valid_node) == G_TYPE_STRING)
        ok = g_ascii_string_to_unsigned (json_node_get_string (valid_node), 10, 1, 525600, &n, NULL);
      else if (JSON_NODE_HOLDS_VALUE (valid_node) && json_node_get_value_type (valid_node) == G_TYPE_INT64)
        {
          gint64 v = json_node_get_int (valid_node);
          ok = v >= 1 && v <= 525600;
          n = v;
        }
      if (!ok)
        {
          doku_error (msg, 400, "INVALID_PARAMETER",
                      "valid_time must be a number of minutes, as a string, like \"360\"");
          return;
        }
      minutes = n;
    }

  token = doku_make_token (client_id, now, now + minutes * 60);
  g_hash_table_replace (self->doku_tokens, g_strdup (token),
                        g_memdup2 (&(gint64) { now + minutes * 60 }, sizeof (gint64)));

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

static gboolean
token_valid (GHashTable *tokens,
             const char *token)
{
  const gint64 *expires;

  if (token == NULL)
    return FALSE;
  expires = g_hash_table_lookup (tokens, token);

  return expires != NULL && *expires > g_get_real_time () / G_USEC_PER_SEC;
}

static void
doku_upload (DossierSandbox    *self,
             SoupServerMessage *msg,
             RequestCtx        *ctx)
{
  const char *token = bearer_token (msg);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *link = NULL;
  g_autofree char *key = NULL;
  DossierSandboxMultipartPart *file = NULL;
  GPtrArray *parts;
  const char *category;
  const char *code;
  const char *file_url;
  const char *type;
  gint64 now;

  if (g_strcmp0 (token, DOSSIER_SANDBOX_DOKU_TOKEN) != 0 && !token_valid (self->doku_tokens, token))
    {
      doku_error (msg, 401, "UNAUTHORIZED", "Missing, invalid or expired access token");
      return;
    }

  if ((parts = require_form (msg, ctx)) == NULL)
    return;

  category = form_field (parts, "category");
  code = form_field (parts, "code");
  file_url = form_field (parts, "file_url");
  if (file_url != NULL && *file_url == '\0')
    file_url = NULL;

  if (category == NULL || *category == '\0')
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "category is required");
      return;
    }
  if (!g_strv_contains (doku_categories, category))
    {
      g_autofree char *m = g_strdup_printf ("category “%s” is not valid; expected one of "
                                            "OWNER_LIVENESS, PHOTO_PROOF, LOGO, DOCUMENT, "
                                            "SERVICE_AGREEMENT, BANK_ACCOUNT", category);
      doku_error (msg, 400, "INVALID_PARAMETER", m);
      return;
    }
  if (g_str_equal (category, "DOCUMENT"))
    {
      if (code == NULL || *code == '\0')
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "code is required when category is DOCUMENT");
          return;
        }
      if (!g_strv_contains (doku_codes, code))
        {
          g_autofree char *m = g_strdup_printf ("code “%s” is not a valid document code", code);
          doku_error (msg, 400, "INVALID_PARAMETER", m);
          return;
        }
    }
  else if (code != NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "code is only allowed when category is DOCUMENT");
      return;
    }

  files = file_parts (parts, NULL);
  for (guint i = 0; i < files->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (files, i);

      if (g_strcmp0 (part->name, "file") != 0)
        {
          g_autofree char *m = g_strdup_printf ("Unexpected file part “%s”: send the file as “file”",
                                                part->name);
          doku_error (msg, 400, "INVALID_PARAMETER", m);
          return;
        }
      if (file != NULL)
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "Only one file is allowed");
          return;
        }
      file = part;
    }

  if (file != NULL && file_url != NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "Send either file or file_url, not both");
      return;
    }
  if (file == NULL && file_url == NULL)
    {
      doku_error (msg, 400, "INVALID_PARAMETER", "file or file_url is required");
      return;
    }

  if (file_url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (file_url, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL ||
          (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
          g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "file_url must be an http or https URL");
          return;
        }
    }
  else
    {
      if (file->truncated || file->size > DOKU_MAX_FILE)
        {
          doku_error (msg, 413, "FILE_TOO_LARGE", "file is larger than 15,000,000 bytes");
          return;
        }
      if (file->size == 0)
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "file is empty");
          return;
        }
      type = sniff_type (file->head, file->head_len);
      if (g_strcmp0 (type, "image/png") != 0 && g_strcmp0 (type, "image/jpeg") != 0)
        {
          doku_error (msg, 400, "INVALID_PARAMETER", "file must be a JPG or PNG image");
          return;
        }
    }

  now = g_get_real_time ();
  id = g_strdup_printf ("DCM-0001-%013" G_GINT64_FORMAT "%04u",
                        now / 1000, ++self->doku_counter % 10000);
  key = g_strconcat ("doku/", id, NULL);

  if (file != NULL)
    {
      type = sniff_type (file->head, file->head_len);
      if (!keep_part (self, file, "doku", id, &error))
        {
          doku_error (msg, 500, "INTERNAL_SERVER_ERROR", error->message);
          return;
        }
      register_file (self, key, file->path, type, file->filename);
      record_received (self, "doku", "upload", id, file->filename, type, file->size,
                       file->sha256, file->path, parts, -1);
    }
  else
    {
      /* nothing is fetched: the link redirects to the given URL */
      register_file (self, key, NULL, NULL, file_url);
    }

  link = g_strdup_printf ("%s/files/doku/%s?Expires=%" G_GINT64_FORMAT,
                          self->base_url, id, now / G_USEC_PER_SEC + DOKU_LINK_LIFETIME);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "link");
  json_builder_add_string_value (b, link);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, category);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

/* -------------------------------------------------------------------------- */
/* Kore.ai                                                                    */

static const char * const kore_extensions[] = {
  "m4a", "mp3", "webm", "mp4", "mpga", "wav", "mpeg", "png", "jpeg", "jpg", "webp", "gif", NULL
};

static const char *
kore_media_type (const char *ext)
{
  static const struct { const char *ext, *type; } types[] = {
    { "m4a", "audio/mp4" }, { "mp3", "audio/mpeg" }, { "mpga", "audio/mpeg" },
    { "wav", "audio/wav" }, { "webm", "video/webm" }, { "mp4", "video/mp4" },
    { "mpeg", "video/mpeg" }, { "png", "image/png" }, { "jpeg", "image/jpeg" },
    { "jpg", "image/jpeg" }, { "webp", "image/webp" }, { "gif", "image/gif" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (ext, types[i].ext) == 0)
      return types[i].type;

  return "application/octet-stream";
}

/* For image extensions, the content must be that kind of image */
static gboolean
kore_content_matches (const char   *ext,
                      const guint8 *head,
                      gsize         head_len)
{
  const char *expected = kore_media_type (ext);

  if (!g_str_has_prefix (expected, "image/"))
    return TRUE;

  return g_strcmp0 (sniff_type (head, head_len), expected) == 0;
}

static gboolean
kore_authorized (SoupServerMessage *msg)
{
  if (g_strcmp0 (header (msg, "x-api-key"), DOSSIER_SANDBOX_KORE_API_KEY) == 0)
    return TRUE;

  reply_error (msg, "kore", 401, NULL, "Invalid or missing x-api-key");
  return FALSE;
}

static char *
kore_media_url (DossierSandbox *self,
                const char     *media_name,
                const char     *file_name)
{
  g_autofree char *escaped = g_uri_escape_string (file_name ? file_name : media_name, NULL, FALSE);
  g_autofree char *s = random_hex (40);
  guint64 n = ((guint64) g_random_int () << 16) ^ g_random_int ();

  return g_strdup_printf ("%s/kore/api/getMediaStream/orgFiles/%s?e=%" G_GINT64_FORMAT
                          "&n=%010" G_GUINT64_FORMAT "&del=false&s=%s&fileName=%s",
                          self->base_url, media_name,
                          g_get_real_time () / G_USEC_PER_SEC + 86400,
                          n % G_GUINT64_CONSTANT (10000000000), s, escaped);
}

static void
kore_reply_file (DossierSandbox    *self,
                 SoupServerMessage *msg,
                 const char        *media_name,
                 const char        *file_name,
                 const char        *file_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *url = kore_media_url (self, media_name, file_name);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "fileId");
  json_builder_add_string_value (b, file_id);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

static char *
kore_unsupported_message (const char *ext)
{
  return g_strdup_printf ("File extension “%s” is not supported; supported: m4a, mp3, webm, "
                          "mp4, mpga, wav, mpeg, png, jpeg, jpg, webp, gif",
                          ext ? ext : "(none)");
}

/* The single "file" part of a form, or NULL after answering */
static DossierSandboxMultipartPart *
single_file_part (SoupServerMessage *msg,
                  const char        *provider,
                  GPtrArray         *parts)
{
  DossierSandboxMultipartPart *file = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);

      if (part->filename == NULL)
        continue;
      if (g_strcmp0 (part->name, "file") != 0)
        {
          g_autofree char *m = g_strdup_printf ("Unexpected file part “%s”: send the file as “file”",
                                                part->name);
          reply_error (msg, provider, 400, NULL, m);
          return NULL;
        }
      if (file != NULL)
        {
          reply_error (msg, provider, 400, NULL, "Only one file is allowed per request");
          return NULL;
        }
      file = part;
    }

  if (file == NULL)
    reply_error (msg, provider, 400, NULL, "file is required");

  return file;
}

/* Registers a stored Kore file under its id and its media name, records it
 * and answers with its description */
static void
kore_store (DossierSandbox    *self,
            SoupServerMessage *msg,
            const char        *op,
            const SavedFile   *file,
            const char        *ext,
            const char        *file_name)
{
  g_autofree char *file_id = random_hex (24);
  g_autofree char *key = g_strconcat ("kore/", file_id, NULL);

  register_file (self, key, file->path, kore_media_type (ext), file_name);
  g_free (key);
  key = g_strconcat ("kore-media/", file->stored, NULL);
  register_file (self, key, file->path, kore_media_type (ext), file_name);
  record_received (self, "kore", op, file_id, file_name, kore_media_type (ext),
                   file->size, file->sha256, file->path, file->parts, -1);

  kore_reply_file (self, msg, file->stored, file_name, file_id);
}

static void
kore_upload (DossierSandbox    *self,
             SoupServerMessage *msg,
             RequestCtx        *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *media = NULL;
  DossierSandboxMultipartPart *file;
  SavedFile saved = { NULL, };
  const char *context;
  GPtrArray *parts;

  if (!kore_authorized (msg))
    return;
  if ((parts = require_form (msg, ctx)) == NULL)
    return;
  if ((file = single_file_part (msg, "kore", parts)) == NULL)
    return;

  context = form_field (parts, "fileContext");
  if (context == NULL || *context == '\0')
    {
      reply_error (msg, "kore", 400, NULL, "fileContext is required");
      return;
    }

  ext = lower_extension (file->filename);
  if (ext == NULL || !g_strv_contains (kore_extensions, ext))
    {
      g_autofree char *m = kore_unsupported_message (ext);
      reply_error (msg, "kore", 400, NULL, m);
      return;
    }
  if (file->truncated || file->size > KORE_MAX_FILE)
    {
      reply_error (msg, "kore", 413, NULL,
                   "File is larger than 25 MB: upload it in chunks with a session "
                   "(POST /api/public/files/session/start)");
      return;
    }
  if (file->size == 0)
    {
      reply_error (msg, "kore", 400, NULL, "file is empty");
      return;
    }
  if (!kore_content_matches (ext, file->head, file->head_len))
    {
      g_autofree char *m = g_strdup_printf ("The file content is not a %s image", ext);
      reply_error (msg, "kore", 400, NULL, m);
      return;
    }

  uuid = g_uuid_string_random ();
  media = g_strdup_printf ("f-%s.%s", uuid, ext);
  if (!keep_part (self, file, "kore", media, &error))
    {
      reply_error (msg, "kore", 500, NULL, error->message);
      return;
    }

  saved.stored = media;
  saved.path = file->path;
  saved.size = file->size;
  saved.sha256 = file->sha256;
  saved.parts = parts;
  kore_store (self, msg, "upload", &saved, ext, file->filename);
}

static gboolean
json_get_positive (JsonObject *obj,
                   const char *member,
                   gint64      min,
                   gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
           json_node_get_double (node) == (gint64) json_node_get_double (node))
    *out = (gint64) json_node_get_double (node);
  else
    return FALSE;

  return *out >= min;
}

static const char *
json_get_string (JsonObject *obj,
                 const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* -------------------------------------------------------------------------- */
/* chunked upload sessions                                                    */

/* Kore.ai's chunked session and the generic one share this implementation;
 * a dialect names what differs: the members, the form field, the texts and
 * statuses of the errors, the provider answering them and the routes. */

#define KORE_SESSION_ROUTE    "kore/api/public/files/session"
#define GENERIC_SESSION_ROUTE "generic/sessions"

typedef struct
{
  const char *provider;          /* reply_error, storage and the record */
  const char *route;             /* prefix of the session routes */
  gsize       sessions;          /* offset in DossierSandbox of id -> KoreSession */
  gboolean  (*authorized) (SoupServerMessage *msg);   /* NULL: none asked */

  /* start request; a NULL member is not part of the dialect */
  const char *context_member;
  const char *extension_member;
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
  gboolean  (*finish) (DossierSandbox    *self,
                       SoupServerMessage *msg,
                       KoreSession       *session,
                       const SavedFile *file);
} ChunkDialect;

static gboolean
kore_finish (DossierSandbox    *self,
             SoupServerMessage *msg,
             KoreSession       *session,
             const SavedFile *file)
{
  if (!kore_content_matches (session->extension, file->head, file->head_len))
    {
      g_autofree char *m = g_strdup_printf ("The file content is not a %s image", session->extension);
      g_unlink (file->path);
      reply_error (msg, "kore", 400, NULL, m);
      return FALSE;
    }

  kore_store (self, msg, "complete", file, session->extension, session->file_name);
  return TRUE;
}

/* What the generic API says of a stored file: its id, link, size and sha256 */
static void
add_stored_members (JsonBuilder *b,
                    const char  *file_key,
                    const char  *link,
                    guint64      size,
                    const char  *sha256)
{
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, file_key);
  json_builder_set_member_name (b, "link");
  json_builder_add_string_value (b, link);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, size);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, sha256);
}

static gboolean
generic_finish (DossierSandbox    *self,
                SoupServerMessage *msg,
                KoreSession       *session,
                const SavedFile *file)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *key = g_strconcat ("generic/", file->stored, NULL);
  g_autofree char *link = g_strdup_printf ("%s/files/generic/%s", self->base_url, file->stored);

  register_file (self, key, file->path, "application/octet-stream", session->file_name);
  record_received (self, "generic", "complete", file->stored, session->file_name,
                   "application/octet-stream", file->size, file->sha256, file->path, file->parts, -1);

  json_builder_begin_object (b);
  add_stored_members (b, file->stored, link, file->size, file->sha256);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
  return TRUE;
}

/* Members left out are NULL, 0 or FALSE: see ChunkDialect */
static const ChunkDialect chunk_dialects[] = {
  {
    .provider = "kore", .route = KORE_SESSION_ROUTE, .authorized = kore_authorized,
    .sessions = G_STRUCT_OFFSET (DossierSandbox, kore_sessions),
    .context_member = "fileContext", .extension_member = "fileExtension",
    .name_member = "fileName", .count_member = "totalChunks", .size_member = "fileSize",
    .bad_start = "Body must be a JSON object with fileContext, totalChunks, "
                 "fileExtension, fileName and fileSize",
    .list_problems = TRUE,
    .id_answer = "sessionId", .expiry_answer = "expirationDate",
    .unknown_prefix = "Upload session ", .unknown_suffix = " not found",
    .expired_status = 410, .expired_prefix = "Upload session ", .expired_suffix = " has expired",
    .chunk_field = "chunkNumber", .empty_chunk = "The chunk is empty", .chunk_file = "chunk",
    .chunk_answer = TRUE,
    .stored_prefix = "f-", .finish = kore_finish,
  },
  {
    .provider = "generic", .route = GENERIC_SESSION_ROUTE,
    .sessions = G_STRUCT_OFFSET (DossierSandbox, generic_sessions),
    .name_member = "name", .count_member = "parts", .size_member = "bytes", .max_chunks = 100000,
    .bad_start = "Body must be a JSON object with name, parts (1 or more) and bytes",
    .id_answer = "upload", .expiry_answer = "valid_until",
    /* an unknown session and an expired one get the same answer */
    .unknown_prefix = "No open upload ", .unknown_suffix = "",
    .expired_status = 404, .expired_prefix = "No open upload ", .expired_suffix = "",
    .chunk_field = "part", .chunk_invalid = "part must be a number from 0 to parts - 1",
    .chunk_file = "part",
    .missing = "Some parts are missing", .size_mismatch = "The parts do not add up to bytes",
    .stored_prefix = "", .finish = generic_finish,
  },
};

/* The dialect of the route being served: the one whose prefix it has */
static const ChunkDialect *
chunk_dialect (RequestCtx *ctx)
{
  for (guint i = 0; i < G_N_ELEMENTS (chunk_dialects); i++)
    if (g_str_has_prefix (ctx->route->pattern, chunk_dialects[i].route))
      return &chunk_dialects[i];

  g_assert_not_reached ();
}

static GHashTable *
chunk_sessions (DossierSandbox     *self,
                const ChunkDialect *d)
{
  return G_STRUCT_MEMBER (GHashTable *, self, d->sessions);
}

static void
chunked_start (DossierSandbox    *self,
               SoupServerMessage *msg,
               RequestCtx        *ctx)
{
  const ChunkDialect *d = chunk_dialect (ctx);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *expiration = NULL;
  g_autofree char *sessions = NULL;
  KoreSession *session;
  JsonObject *obj;
  const char *body;
  const char *context = NULL;
  const char *file_name;
  gint64 total = 0;
  gint64 size = 0;
  gsize len;

  if (d->authorized != NULL && !d->authorized (msg))
    return;
  if ((body = require_raw (msg, ctx, &len)) == NULL)
    return;

  obj = parse_json_object (body, len, &root);
  if (obj == NULL)
    {
      reply_error (msg, d->provider, 400, NULL, d->bad_start);
      return;
    }

  if (d->context_member != NULL)
    {
      context = json_get_string (obj, d->context_member);
      if (context == NULL || *context == '\0')
        g_ptr_array_add (problems, g_strdup_printf ("%s is required", d->context_member));
    }
  if (!json_get_positive (obj, d->count_member, 1, &total) ||
      (d->max_chunks > 0 && total > d->max_chunks))
    g_ptr_array_add (problems, g_strdup_printf ("%s is required and must be an integer of at least 1",
                                                d->count_member));
  if (d->extension_member != NULL)
    {
      const char *extension = json_get_string (obj, d->extension_member);

      if (extension != NULL)
        ext = g_ascii_strdown (extension[0] == '.' ? extension + 1 : extension, -1);
      if (extension == NULL || *extension == '\0')
        g_ptr_array_add (problems, g_strdup_printf ("%s is required", d->extension_member));
      else if (!g_strv_contains (kore_extensions, ext))
        g_ptr_array_add (problems, kore_unsupported_message (extension));
    }
  file_name = json_get_string (obj, d->name_member);
  if (file_name == NULL || *file_name == '\0')
    g_ptr_array_add (problems, g_strdup_printf ("%s is required", d->name_member));
  if (!json_get_positive (obj, d->size_member, 1, &size))
    g_ptr_array_add (problems, g_strdup_printf ("%s is required and must be a positive number of bytes",
                                                d->size_member));

  if (problems->len > 0 && !d->list_problems)
    {
      reply_error (msg, d->provider, 400, NULL, d->bad_start);
      return;
    }
  if (problems->len > 0)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "msg");
          json_builder_add_string_value (b, g_ptr_array_index (problems, i));
          json_builder_set_member_name (b, "code");
          json_builder_add_int_value (b, 400);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      reply_builder (msg, 400, b);
      return;
    }

  session = g_new0 (KoreSession, 1);
  session->id = g_uuid_string_random ();
  sessions = provider_dir (self, d->provider);
  session->dir = g_build_filename (sessions, "sessions", session->id, NULL);
  g_mkdir_with_parents (session->dir, 0700);
  session->file_context = g_strdup (context);
  session->extension = g_steal_pointer (&ext);
  session->file_name = g_strdup (file_name);
  session->file_size = size;
  session->total_chunks = total;
  session->expires = g_get_real_time () + (gint64) g_atomic_int_get (&self->kore_session_lifetime) * G_USEC_PER_SEC;
  session->chunks = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (session->chunks, total);
  session->chunk_sizes = g_new0 (guint64, total);
  g_hash_table_replace (chunk_sessions (self, d), session->id, session);

  expiration = now_iso8601 ((session->expires - g_get_real_time ()) / G_USEC_PER_SEC, TRUE);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, d->id_answer);
  json_builder_add_string_value (b, session->id);
  json_builder_set_member_name (b, d->expiry_answer);
  json_builder_add_string_value (b, expiration);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

/* The live session named in the path, or NULL after answering the error */
static KoreSession *
chunked_lookup_session (DossierSandbox     *self,
                        const ChunkDialect *d,
                        SoupServerMessage  *msg,
                        const char         *id)
{
  KoreSession *session = g_hash_table_lookup (chunk_sessions (self, d), id);

  if (session == NULL)
    {
      g_autofree char *m = g_strconcat (d->unknown_prefix, id, d->unknown_suffix, NULL);
      reply_error (msg, d->provider, 404, NULL, m);
      return NULL;
    }
  if (session->expires <= g_get_real_time ())
    {
      g_autofree char *m = g_strconcat (d->expired_prefix, id, d->expired_suffix, NULL);
      reply_error (msg, d->provider, d->expired_status, NULL, m);
      return NULL;
    }

  return session;
}

static void
chunked_chunk (DossierSandbox    *self,
               SoupServerMessage *msg,
               RequestCtx        *ctx)
{
  const ChunkDialect *d = chunk_dialect (ctx);
  const char *id = g_ptr_array_index (ctx->params, 0);
  g_autofree char *chunk_name = NULL;
  g_autofree char *dest = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  DossierSandboxMultipartPart *file;
  KoreSession *session;
  GPtrArray *parts;
  const char *number;
  guint64 n = 0;
  char n_text[32];

  if (d->authorized != NULL && !d->authorized (msg))
    return;
  if ((session = chunked_lookup_session (self, d, msg, id)) == NULL)
    return;
  if ((parts = require_form (msg, ctx)) == NULL)
    return;

  number = form_field (parts, d->chunk_field);
  if (number == NULL || *number == '\0' ||
      !g_ascii_string_to_unsigned (number, 10, 0, session->total_chunks - 1, &n, NULL))
    {
      g_autofree char *m = NULL;

      if (d->chunk_invalid == NULL && (number == NULL || *number == '\0'))
        m = g_strdup_printf ("%s is required", d->chunk_field);
      else if (d->chunk_invalid == NULL)
        m = g_strdup_printf ("%s must be a number from 0 to %u, got “%s”",
                             d->chunk_field, session->total_chunks - 1, number);
      reply_error (msg, d->provider, 400, NULL, m != NULL ? m : d->chunk_invalid);
      return;
    }
  if ((file = single_file_part (msg, d->provider, parts)) == NULL)
    return;
  if (file->size == 0 && d->empty_chunk != NULL)
    {
      reply_error (msg, d->provider, 400, NULL, d->empty_chunk);
      return;
    }

  chunk_name = g_strdup_printf ("%s-%08" G_GUINT64_FORMAT, d->chunk_file, n);
  dest = g_build_filename (session->dir, chunk_name, NULL);
  if (g_rename (file->path, dest) != 0)
    {
      reply_error (msg, d->provider, 500, NULL, g_strerror (errno));
      return;
    }
  g_free (file->path);
  file->path = g_strdup (dest);
  file->keep = TRUE;

  /* a chunk sent again replaces the old one (the rename overwrote its file) */
  g_free (g_ptr_array_index (session->chunks, n));
  g_ptr_array_index (session->chunks, n) = g_steal_pointer (&dest);
  session->chunk_sizes[n] = file->size;

  record_received (self, d->provider, "chunk", session->id, file->filename,
                   part_content_type (file), file->size, file->sha256, file->path, parts, n);

  if (!d->chunk_answer)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\":true}", 11);
      return;
    }
  g_snprintf (n_text, sizeof n_text, "%" G_GUINT64_FORMAT, n);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, d->chunk_field);
  json_builder_add_string_value (b, n_text);
  json_builder_set_member_name (b, d->id_answer);
  json_builder_add_string_value (b, session->id);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

static void
chunked_complete (DossierSandbox    *self,
                  SoupServerMessage *msg,
                  RequestCtx        *ctx)
{
  const ChunkDialect *d = chunk_dialect (ctx);
  const char *id = g_ptr_array_index (ctx->params, 0);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GChecksum) sha = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree guint8 *buffer = NULL;
  KoreSession *session;
  SavedFile assembled = { NULL, };
  guint64 total = 0;
  guint8 head[DOSSIER_SANDBOX_MULTIPART_HEAD_SIZE];
  gsize head_len = 0;

  if (d->authorized != NULL && !d->authorized (msg))
    return;
  if ((session = chunked_lookup_session (self, d, msg, id)) == NULL)
    return;

  for (guint i = 0; i < session->total_chunks; i++)
    {
      if (g_ptr_array_index (session->chunks, i) == NULL)
        g_string_append_printf (missing, "%s%u", missing->len ? ", " : "", i);
      total += session->chunk_sizes[i];
    }
  if (missing->len > 0)
    {
      g_autofree char *m = NULL;

      if (d->missing == NULL)
        m = g_strdup_printf ("Missing chunks: %s", missing->str);
      reply_error (msg, d->provider, 400, NULL, m != NULL ? m : d->missing);
      return;
    }
  if (total != (guint64) session->file_size)
    {
      g_autofree char *m = NULL;

      if (d->size_mismatch == NULL)
        m = g_strdup_printf ("The chunks add up to %" G_GUINT64_FORMAT " bytes but %s is %" G_GINT64_FORMAT,
                             total, d->size_member, session->file_size);
      reply_error (msg, d->provider, 400, NULL, m != NULL ? m : d->size_mismatch);
      return;
    }

  uuid = g_uuid_string_random ();
  if (session->extension != NULL)
    stored = g_strdup_printf ("%s%s.%s", d->stored_prefix, uuid, session->extension);
  else
    stored = g_strconcat (d->stored_prefix, uuid, NULL);
  dir = provider_dir (self, d->provider);
  path = g_build_filename (dir, stored, NULL);
  out_file = g_file_new_for_path (path);
  out = g_file_create (out_file, G_FILE_CREATE_PRIVATE, NULL, &error);
  sha = g_checksum_new (G_CHECKSUM_SHA256);
  buffer = g_malloc (SEND_BLOCK * 4);

  for (guint i = 0; out != NULL && i < session->total_chunks; i++)
    {
      g_autoptr(GFile) chunk = g_file_new_for_path (g_ptr_array_index (session->chunks, i));
      g_autoptr(GFileInputStream) in = g_file_read (chunk, NULL, &error);
      gssize n;

      if (in == NULL)
        break;
      while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, SEND_BLOCK * 4, NULL, &error)) > 0)
        {
          if (head_len < sizeof head)
            {
              gsize k = MIN ((gsize) n, sizeof head - head_len);
              memcpy (head + head_len, buffer, k);
              head_len += k;
            }
          g_checksum_update (sha, buffer, n);
          if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buffer, n, NULL, NULL, &error))
            break;
        }
      if (error != NULL)
        break;
    }
  if (out != NULL && error == NULL)
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  if (error != NULL)
    {
      g_unlink (path);
      reply_error (msg, d->provider, 500, NULL, error->message);
      return;
    }

  assembled.stored = stored;
  assembled.path = path;
  assembled.size = total;
  assembled.sha256 = g_checksum_get_string (sha);
  assembled.head = head;
  assembled.head_len = head_len;
  assembled.parts = none;
  if (d->finish (self, msg, session, &assembled))
    g_hash_table_remove (chunk_sessions (self, d), id);
}

/* -------------------------------------------------------------------------- */
/* Moov                                                                       */

static const char * const moov_purposes[] = {
  "business_verification", "representative_verification", "individual_verification",
  "merchant_underwriting", "account_requirement", "identity_verification", NULL
};

static const char * const moov_metadata_keys[] = {
  "representative_id", "comment", "requirement_id", "error_code", NULL
};

static void
moov_token (DossierSandbox    *self,
            SoupServerMessage *msg,
            RequestCtx        *ctx)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *basic_user = NULL;
  g_autofree char *basic_password = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  const char *content_type = header (msg, "Content-Type");
  const char *grant = NULL;
  const char *client_id = NULL;
  const char *client_secret = NULL;
  const char *scope = NULL;
  const char *body;
  MoovToken *token;
  gsize len;

  if ((body = require_raw (msg, ctx, &len)) == NULL)
    return;

  if (content_type != NULL && g_str_has_prefix (content_type, "application/json"))
    {
      JsonObject *obj = parse_json_object (body, len, &root);

      if (obj == NULL)
        {
          reply_error (msg, "moov", 400, NULL, "invalid_request");
          return;
        }
      grant = json_get_string (obj, "grant_type");
      client_id = json_get_string (obj, "client_id");
      client_secret = json_get_string (obj, "client_secret");
      scope = json_get_string (obj, "scope");
    }
  else
    {
      form = soup_form_decode (body);
      grant = g_hash_table_lookup (form, "grant_type");
      client_id = g_hash_table_lookup (form, "client_id");
      client_secret = g_hash_table_lookup (form, "client_secret");
      scope = g_hash_table_lookup (form, "scope");
    }

  if (parse_basic_auth (header (msg, "Authorization"), &basic_user, &basic_password))
    {
      client_id = basic_user;
      client_secret = basic_password;
    }

  if (g_strcmp0 (grant, "client_credentials") != 0)
    {
      reply_error (msg, "moov", 400, NULL, "invalid_request");
      return;
    }
  if (g_strcmp0 (client_id, DOSSIER_SANDBOX_MOOV_CLIENT_ID) != 0 ||
      g_strcmp0 (client_secret, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET) != 0)
    {
      reply_error (msg, "moov", 401, NULL, "invalid_client");
      return;
    }
  if (scope == NULL || *scope == '\0')
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "scope");
      json_builder_add_string_value (b, "scope is required");
      json_builder_end_object (b);
      reply_builder (msg, 422, b);
      return;
    }

  access = random_token ();
  refresh = random_token ();
  token = g_new0 (MoovToken, 1);
  token->scope = g_strdup (scope);
  token->expires = g_get_real_time () / G_USEC_PER_SEC + MOOV_TOKEN_LIFETIME;
  g_hash_table_replace (self->moov_tokens, g_strdup (access), token);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, access);
  json_builder_set_member_name (b, "refresh_token");
  json_builder_add_string_value (b, refresh);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, MOOV_TOKEN_LIFETIME);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, scope);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

/* 0 when allowed, else 401 or 403 */
static guint
moov_check_auth (DossierSandbox    *self,
                 SoupServerMessage *msg,
                 const char        *account,
                 const char        *permission)
{
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *wanted = NULL;
  g_auto(GStrv) scopes = NULL;
  const char *bearer = bearer_token (msg);
  MoovToken *token;

  /* Moov's API keys: HTTP Basic with the public and private key */
  if (parse_basic_auth (header (msg, "Authorization"), &user, &password))
    return g_strcmp0 (user, DOSSIER_SANDBOX_MOOV_CLIENT_ID) == 0 &&
           g_strcmp0 (password, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET) == 0 ? 0 : 401;

  if (bearer == NULL)
    return 401;
  if (g_str_equal (bearer, DOSSIER_SANDBOX_MOOV_TOKEN))
    return 0;

  token = g_hash_table_lookup (self->moov_tokens, bearer);
  if (token == NULL || token->expires <= g_get_real_time () / G_USEC_PER_SEC)
    return 401;

  wanted = g_strdup_printf ("/accounts/%s/files.%s", account, permission);
  scopes = g_strsplit_set (token->scope, " ", -1);

  return g_strv_contains ((const char * const *) scopes, wanted) ? 0 : 403;
}

static gboolean
moov_account_exists (SoupServerMessage *msg,
                     const char        *account)
{
  if (g_uuid_string_is_valid (account) && g_ascii_strcasecmp (account, MOOV_NIL_ACCOUNT) != 0)
    return TRUE;

  reply_error (msg, "moov", 404, NULL, "account not found");
  return FALSE;
}

/* Whether the request may touch @account; if not, the answer is sent */
static gboolean
moov_authorize (DossierSandbox    *self,
                SoupServerMessage *msg,
                const char        *account,
                const char        *permission)
{
  guint status;

  if ((status = moov_check_auth (self, msg, account, permission)) != 0)
    {
      reply_empty (msg, status);
      return FALSE;
    }

  return moov_account_exists (msg, account);
}

static gboolean
moov_version_valid (const char *v)
{
  if (g_strcmp0 (v, "latest") == 0)
    return TRUE;
  if (strlen (v) != 11 || v[0] != 'v' || v[5] != '.' || v[8] != '.')
    return FALSE;
  for (guint i = 1; i < 11; i++)
    if (i != 5 && i != 8 && !g_ascii_isdigit (v[i]))
      return FALSE;

  return TRUE;
}

static gboolean
moov_metadata_valid (const char  *text,
                     char       **problem)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *obj = parse_json_object (text, strlen (text), &root);

  if (obj == NULL)
    {
      *problem = g_strdup ("metadata must be a JSON object encoded as a string");
      return FALSE;
    }

  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (obj, l->data);

      if (!g_strv_contains (moov_metadata_keys, l->data))
        {
          *problem = g_strdup_printf ("metadata key “%s” is not allowed; allowed keys: "
                                      "representative_id, comment, requirement_id, error_code",
                                      (const char *) l->data);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          *problem = g_strdup_printf ("metadata value for “%s” must be a string",
                                      (const char *) l->data);
          return FALSE;
        }
    }

  return TRUE;
}

static void
moov_upload (DossierSandbox    *self,
             SoupServerMessage *msg,
             RequestCtx        *ctx)
{
  const char *account = g_ptr_array_index (ctx->params, 0);
  const char *version = header (msg, "X-Moov-Version");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *file_problem = NULL;
  g_autofree char *purpose_problem = NULL;
  g_autofree char *metadata_problem = NULL;
  g_autofree char *file_id = NULL;
  g_autofree char *created = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  DossierSandboxMultipartPart *file = NULL;
  GPtrArray *account_files;
  GPtrArray *parts;
  const char *purpose;
  const char *metadata;
  const char *type = NULL;
  JsonNode *details;

  if (!moov_authorize (self, msg, account, "write"))
    return;
  if (version != NULL && !moov_version_valid (version))
    {
      reply_error (msg, "moov", 400, NULL,
                   "X-Moov-Version must look like v2024.01.00 or be latest");
      return;
    }
  if ((parts = require_form (msg, ctx)) == NULL)
    return;

  files = file_parts (parts, "file");
  file = files->len > 0 ? g_ptr_array_index (files, 0) : NULL;
  if (file == NULL)
    file_problem = g_strdup ("file is required");
  else if (files->len > 1)
    file_problem = g_strdup ("only one file may be uploaded per request");
  else if (file->truncated || file->size > MOOV_MAX_FILE)
    file_problem = g_strdup ("file is larger than the 20MB limit");
  else if (file->size == 0)
    file_problem = g_strdup ("file is empty");
  else
    {
      type = sniff_type (file->head, file->head_len);
      if (g_strcmp0 (type, "image/png") != 0 && g_strcmp0 (type, "image/jpeg") != 0 &&
          g_strcmp0 (type, "application/pdf") != 0)
        type = file->is_text ? "text/csv" : NULL;
      if (type == NULL)
        file_problem = g_strdup ("file must be a csv, jpg, pdf or png file");
    }

  purpose = form_field (parts, "filePurpose");
  if (purpose == NULL || *purpose == '\0')
    purpose_problem = g_strdup ("filePurpose is required");
  else if (!g_strv_contains (moov_purposes, purpose))
    purpose_problem = g_strdup ("filePurpose must be one of business_verification, "
                                "representative_verification, individual_verification, "
                                "merchant_underwriting, account_requirement, identity_verification");

  metadata = form_field (parts, "metadata");
  if (metadata != NULL && *metadata == '\0')
    metadata = NULL;
  if (metadata != NULL)
    moov_metadata_valid (metadata, &metadata_problem);

  if (file_problem != NULL || purpose_problem != NULL || metadata_problem != NULL)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, "the file upload request is invalid");
      if (file_problem != NULL)
        {
          json_builder_set_member_name (b, "file");
          json_builder_add_string_value (b, file_problem);
        }
      if (purpose_problem != NULL)
        {
          json_builder_set_member_name (b, "filePurpose");
          json_builder_add_string_value (b, purpose_problem);
        }
      if (metadata_problem != NULL)
        {
          json_builder_set_member_name (b, "metadata");
          json_builder_add_string_value (b, metadata_problem);
        }
      json_builder_end_object (b);
      reply_builder (msg, 422, b);
      return;
    }

  account_files = g_hash_table_lookup (self->moov_accounts, account);
  if (account_files == NULL)
    {
      account_files = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_hash_table_insert (self->moov_accounts, g_strdup (account), account_files);
    }
  if (account_files->len >= MOOV_MAX_FILES)
    {
      g_autofree char *m = g_strdup_printf ("account %s already has the maximum of %d files",
                                            account, MOOV_MAX_FILES);
      reply_error (msg, "moov", 409, NULL, m);
      return;
    }

  file_id = g_uuid_string_random ();
  if (!keep_part (self, file, "moov", file_id, &error))
    {
      reply_error (msg, "moov", 500, NULL, error->message);
      return;
    }
  key = g_strconcat ("moov/", file_id, NULL);
  register_file (self, key, file->path, type, file->filename);

  name = g_utf8_validate (file->filename, -1, NULL)
    ? g_utf8_substring (file->filename, 0, MIN (64, g_utf8_strlen (file->filename, -1)))
    : g_strndup (file->filename, 64);
  created = now_iso8601 (0, FALSE);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fileID");
  json_builder_add_string_value (b, file_id);
  json_builder_set_member_name (b, "fileName");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "accountID");
  json_builder_add_string_value (b, account);
  json_builder_set_member_name (b, "filePurpose");
  json_builder_add_string_value (b, purpose);
  json_builder_set_member_name (b, "fileStatus");
  json_builder_add_string_value (b, "pending");
  json_builder_set_member_name (b, "metadata");
  json_builder_add_string_value (b, metadata ? metadata : "{}");
  json_builder_set_member_name (b, "fileSizeBytes");
  json_builder_add_int_value (b, file->size);
  json_builder_set_member_name (b, "createdOn");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "updatedOn");
  json_builder_add_string_value (b, created);
  json_builder_end_object (b);
  details = json_builder_get_root (b);
  g_ptr_array_add (account_files, details);

  record_received (self, "moov", "upload", file_id, file->filename, type, file->size,
                   file->sha256, file->path, parts, -1);

  reply_json_node (msg, 200, details);
}

static void
moov_list (DossierSandbox    *self,
           SoupServerMessage *msg,
           RequestCtx        *ctx)
{
  const char *account = g_ptr_array_index (ctx->params, 0);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  GPtrArray *account_files;

  if (!moov_authorize (self, msg, account, "read"))
    return;

  account_files = g_hash_table_lookup (self->moov_accounts, account);
  for (guint i = 0; account_files != NULL && i < account_files->len; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (account_files, i)));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  reply_json_node (msg, 200, node);
}

/* -------------------------------------------------------------------------- */
/* receeve                                                                    */

static void
receeve_token (DossierSandbox    *self,
               SoupServerMessage *msg,
               RequestCtx        *ctx)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *access = NULL;
  const char *body;
  gsize len;

  if ((body = require_raw (msg, ctx, &len)) == NULL)
    return;

  if (!parse_basic_auth (header (msg, "Authorization"), &user, &password) ||
      g_strcmp0 (user, DOSSIER_SANDBOX_RECEEVE_CLIENT_ID) != 0 ||
      g_strcmp0 (password, DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET) != 0)
    {
      reply_error (msg, "receeve", 401, NULL, "Invalid client credentials");
      return;
    }

  form = soup_form_decode (body);
  if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0)
    {
      reply_error (msg, "receeve", 400, NULL, "grant_type must be client_credentials");
      return;
    }

  access = random_token ();
  g_hash_table_replace (self->receeve_tokens, g_strdup (access),
                        g_memdup2 (&(gint64) { g_get_real_time () / G_USEC_PER_SEC + RECEEVE_TOKEN_LIFETIME },
                                   sizeof (gint64)));

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, access);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, RECEEVE_TOKEN_LIFETIME);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

static void
receeve_upload (DossierSandbox    *self,
                SoupServerMessage *msg,
                RequestCtx        *ctx)
{
  const char *auth = header (msg, "Authorization");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *file_id = NULL;
  g_autofree char *link = NULL;
  g_autofree char *key = NULL;
  DossierSandboxMultipartPart *file = NULL;
  GPtrArray *parts;
  const char *account;
  const char *document_type;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      reply_error (msg, "receeve", 401, NULL,
                   "Send the raw access token in Authorization, without 'Bearer'");
      return;
    }
  if (g_strcmp0 (auth, DOSSIER_SANDBOX_RECEEVE_TOKEN) != 0 &&
      !token_valid (self->receeve_tokens, auth))
    {
      reply_error (msg, "receeve", 401, NULL, "Unauthorized");
      return;
    }
  if ((parts = require_form (msg, ctx)) == NULL)
    return;

  account = form_field (parts, "accountId");
  if (account == NULL || *account == '\0')
    {
      reply_error (msg, "receeve", 400, NULL, "accountId is required");
      return;
    }
  files = file_parts (parts, NULL);
  if (files->len > 1)
    {
      reply_error (msg, "receeve", 400, NULL, "Only one file per request");
      return;
    }
  if (files->len == 0)
    {
      reply_error (msg, "receeve", 400, NULL, "file is required");
      return;
    }
  file = g_ptr_array_index (files, 0);

  /* documented: any other type uploads the file without a type */
  document_type = form_field (parts, "documentType");
  if (document_type != NULL &&
      !g_str_equal (document_type, "Invoice") && !g_str_equal (document_type, "CSV") &&
      !g_str_equal (document_type, "Document"))
    document_type = NULL;

  file_id = g_uuid_string_random ();
  if (!keep_part (self, file, "receeve", file_id, &error))
    {
      reply_error (msg, "receeve", 500, NULL, error->message);
      return;
    }
  key = g_strconcat ("receeve/", file_id, NULL);
  register_file (self, key, file->path, part_content_type (file), file->filename);
  record_received (self, "receeve", "upload", file_id, file->filename, part_content_type (file),
                   file->size, file->sha256, file->path, parts, -1);

  link = g_strdup_printf ("%s/files/receeve/%s", self->base_url, file_id);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fileId");
  json_builder_add_string_value (b, file_id);
  json_builder_set_member_name (b, "fileName");
  json_builder_add_string_value (b, file->filename);
  json_builder_set_member_name (b, "accountId");
  json_builder_add_string_value (b, account);
  json_builder_set_member_name (b, "documentType");
  if (document_type != NULL)
    json_builder_add_string_value (b, document_type);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "link");
  json_builder_add_string_value (b, link);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

/* -------------------------------------------------------------------------- */
/* generic                                                                    */

static void
generic_upload (DossierSandbox    *self,
                SoupServerMessage *msg,
                RequestCtx        *ctx)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *id = NULL;
  GPtrArray *parts;

  if ((parts = require_form (msg, ctx)) == NULL)
    return;

  files = file_parts (parts, NULL);
  if (files->len == 0)
    {
      reply_error (msg, "generic", 400, NULL, "The form has no file part");
      return;
    }

  id = g_uuid_string_random ();
  b = json_builder_new ();
  json_builder_begin_object (b);

  for (guint i = 0; i < files->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *file_key = i == 0 ? g_strdup (id) : g_strdup_printf ("%s-%u", id, i);
      g_autofree char *key = g_strconcat ("generic/", file_key, NULL);
      g_autofree char *link = g_strdup_printf ("%s/files/generic/%s", self->base_url, file_key);

      if (!keep_part (self, part, "generic", file_key, &error))
        {
          json_builder_end_object (b);
          reply_error (msg, "generic", 500, NULL, error->message);
          return;
        }
      register_file (self, key, part->path, part_content_type (part), part->filename);
      record_received (self, "generic", "upload", file_key, part->filename,
                       part_content_type (part), part->size, part->sha256, part->path, parts, -1);

      if (i == 0)
        {
          add_stored_members (b, file_key, link, part->size, part->sha256);
          json_builder_set_member_name (b, "fields");
          add_fields (b, parts);
          json_builder_set_member_name (b, "files");
          json_builder_begin_array (b);
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, part->name);
      json_builder_set_member_name (b, "file_name");
      json_builder_add_string_value (b, part->filename);
      add_stored_members (b, file_key, link, part->size, part->sha256);
      json_builder_end_object (b);
    }

  json_builder_end_array (b);
  json_builder_end_object (b);
  reply_builder (msg, 200, b);
}

/* -------------------------------------------------------------------------- */
/* stored files, streamed back                                                */

typedef struct
{
  GInputStream *in;
  guint8       *buffer;
} FileSender;

static void
file_sender_free (gpointer data)
{
  FileSender *sender = data;

  g_clear_object (&sender->in);
  g_free (sender->buffer);
  g_free (sender);
}

static void
send_next_block (SoupServerMessage *msg,
                 FileSender        *sender)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gssize n = 0;

  if (sender->in != NULL)
    n = g_input_stream_read (sender->in, sender->buffer, SEND_BLOCK, NULL, NULL);

  if (n > 0)
    {
      soup_message_body_append (body, SOUP_MEMORY_COPY, sender->buffer, n);
    }
  else
    {
      g_clear_object (&sender->in);
      soup_message_body_complete (body);
    }
}

static void
serve_file (SoupServerMessage *msg,
            const char        *path,
            const char        *content_type)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  FileSender *sender;

  in = g_file_read (file, NULL, NULL);
  if (in != NULL)
    info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info == NULL)
    {
      reply_error (msg, NULL, 404, NULL, "file not found");
      return;
    }

  sender = g_new0 (FileSender, 1);
  sender->in = G_INPUT_STREAM (g_steal_pointer (&in));
  sender->buffer = g_malloc (SEND_BLOCK);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, content_type ? content_type
                                                                : "application/octet-stream", NULL);
  soup_message_headers_set_content_length (headers, g_file_info_get_size (info));
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  g_object_set_data_full (G_OBJECT (msg), "dossier-sandbox-sender", sender, file_sender_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (send_next_block), sender);
  send_next_block (msg, sender);
}

static gboolean
query_expired (SoupServerMessage *msg,
               const char        *name,
               gboolean           required)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = NULL;
  const char *value;
  guint64 when = 0;

  if (query == NULL)
    return required;
  params = soup_form_decode (query);
  value = g_hash_table_lookup (params, name);
  if (value == NULL)
    return required;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &when, NULL))
    return TRUE;

  return (gint64) when < g_get_real_time () / G_USEC_PER_SEC;
}

static void
files_get (DossierSandbox    *self,
           SoupServerMessage *msg,
           RequestCtx        *ctx)
{
  const char *provider = g_ptr_array_index (ctx->params, 0);
  const char *id = g_ptr_array_index (ctx->params, 1);
  g_autofree char *key = g_strconcat (provider, "/", id, NULL);
  StoredFile *file = g_hash_table_lookup (self->files, key);

  if (file == NULL || g_str_has_prefix (key, "kore-media/"))
    {
      reply_error (msg, NULL, 404, NULL, "file not found");
      return;
    }

  if (g_str_equal (provider, "doku") && query_expired (msg, "Expires", TRUE))
    {
      reply_error (msg, "doku", 403, "FORBIDDEN", "This link has expired or is not signed");
      return;
    }

  if (file->path == NULL)
    {
      /* a DOKU upload by file_url: nothing stored, send the client there */
      soup_server_message_set_redirect (msg, 302, file->file_name);
      return;
    }

  serve_file (msg, file->path, file->content_type);
}

static void
kore_media (DossierSandbox    *self,
            SoupServerMessage *msg,
            RequestCtx        *ctx)
{
  const char *name = g_ptr_array_index (ctx->params, 0);
  g_autofree char *key = g_strconcat ("kore-media/", name, NULL);
  StoredFile *file = g_hash_table_lookup (self->files, key);

  if (file == NULL)
    {
      reply_error (msg, "kore", 404, NULL, "file not found");
      return;
    }
  if (query_expired (msg, "e", FALSE))
    {
      reply_error (msg, "kore", 403, NULL, "This link has expired");
      return;
    }

  serve_file (msg, file->path, file->content_type);
}

/* -------------------------------------------------------------------------- */
/* control                                                                    */

static void
control_received (DossierSandbox    *self,
                  SoupServerMessage *msg,
                  RequestCtx        *ctx)
{
  g_autoptr(JsonNode) node = dossier_sandbox_dup_received (self);

  reply_json_node (msg, 200, node);
}

static void
control_add_fault (DossierSandbox    *self,
                   SoupServerMessage *msg,
                   RequestCtx        *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  const char *body;
  gsize len;

  if ((body = require_raw (msg, ctx, &len)) == NULL)
    return;

  spec = g_strstrip (g_strndup (body, len));
  if (!dossier_sandbox_add_fault (self, spec, &error))
    {
      reply_error (msg, NULL, 400, NULL, error->message);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\":true}", 11);
}

static void
control_clear_faults (DossierSandbox    *self,
                      SoupServerMessage *msg,
                      RequestCtx        *ctx)
{
  dossier_sandbox_clear_faults (self);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\":true}", 11);
}

/* -------------------------------------------------------------------------- */
/* routing                                                                    */

static const Route routes[] = {
  { "POST", "doku/adv-core-api/partner/v1.0/token", "doku", "token", doku_token, 0 },
  { "POST", "doku/adv-core-api/partner/v1.0/file", "doku", "upload", doku_upload, DOKU_MAX_FILE + 1 },
  { "POST", "kore/api/public/files", "kore", "upload", kore_upload, KORE_MAX_FILE + 1 },
  { "POST", KORE_SESSION_ROUTE "/start", "kore", "start", chunked_start, 0 },
  { "POST", KORE_SESSION_ROUTE "/*", "kore", "chunk", chunked_chunk, 0 },
  { "POST", KORE_SESSION_ROUTE "/*/complete", "kore", "complete", chunked_complete, 0 },
  { "GET", "kore/api/getMediaStream/orgFiles/*", "kore", NULL, kore_media, 0 },
  { "POST", "moov/oauth2/token", "moov", "token", moov_token, 0 },
  { "POST", "moov/accounts/*/files", "moov", "upload", moov_upload, MOOV_MAX_FILE + 1 },
  { "GET", "moov/accounts/*/files", "moov", "list", moov_list, 0 },
  { "POST", "receeve/v1/oauth2/token", "receeve", "token", receeve_token, 0 },
  { "POST", "receeve/files/v1/*/upload_files", "receeve", "upload", receeve_upload, 0 },
  { "POST", "generic/upload", "generic", "upload", generic_upload, 0 },
  { "POST", GENERIC_SESSION_ROUTE, "generic", "start", chunked_start, 0 },
  { "POST", GENERIC_SESSION_ROUTE "/*", "generic", "chunk", chunked_chunk, 0 },
  { "POST", GENERIC_SESSION_ROUTE "/*/finish", "generic", "complete", chunked_complete, 0 },
  { "GET", "files/*/*", NULL, NULL, files_get, 0 },
  { "GET", "_sandbox/received", NULL, NULL, control_received, 0 },
  { "POST", "_sandbox/faults", NULL, NULL, control_add_fault, 0 },
  { "DELETE", "_sandbox/faults", NULL, NULL, control_clear_faults, 0 },
};

static const char * const provider_prefixes[] = { "doku", "kore", "moov", "receeve", "generic", NULL };

static gboolean
pattern_matches (const char  *pattern,
                 char       **segments,
                 GPtrArray   *params)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  guint n = g_strv_length (parts);

  if (g_strv_length (segments) != n)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (parts[i], "*"))
        {
          if (*segments[i] == '\0')
            return FALSE;
        }
      else if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }

  if (params != NULL)
    for (guint i = 0; i < n; i++)
      if (g_str_equal (parts[i], "*"))
        g_ptr_array_add (params, g_uri_unescape_string (segments[i], NULL));

  return TRUE;
}

static void
route_lookup (RequestCtx *ctx,
              const char *method,
              const char *path)
{
  g_auto(GStrv) segments = NULL;

  while (*path == '/')
    path++;
  segments = g_strsplit (path, "/", -1);

  if (segments[0] != NULL && g_strv_contains (provider_prefixes, segments[0]))
    ctx->provider = g_strdup (segments[0]);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!g_str_equal (routes[i].method, method))
        continue;
      if (pattern_matches (routes[i].pattern, segments, ctx->params))
        {
          ctx->route = &routes[i];
          return;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (pattern_matches (routes[i].pattern, segments, NULL))
      ctx->wrong_method = TRUE;
}

static char *
allowed_methods (const char *path)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GString) allow = g_string_new (NULL);

  while (*path == '/')
    path++;
  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (pattern_matches (routes[i].pattern, segments, NULL) &&
        strstr (allow->str, routes[i].method) == NULL)
      g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", routes[i].method);

  return g_string_free (g_steal_pointer (&allow), FALSE);
}

static void
request_ctx_free (gpointer data)
{
  RequestCtx *ctx = data;

  g_clear_pointer (&ctx->parser, dossier_sandbox_multipart_parser_free);
  g_clear_error (&ctx->parse_error);
  g_clear_pointer (&ctx->raw, g_byte_array_unref);
  g_clear_pointer (&ctx->params, g_ptr_array_unref);
  g_free (ctx->provider);
  g_free (ctx);
}

static RequestCtx *
request_ctx (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "dossier-sandbox-ctx");
}

/* The first fault that matches, consumed; NULL if none */
static DossierSandboxFault *
claim_fault (DossierSandbox *self,
             const char     *provider,
             const char     *op,
             gint            chunk,
             gboolean        want_drop)
{
  DossierSandboxFault *claimed = NULL;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->faults->len; i++)
    {
      DossierSandboxFault *fault = g_ptr_array_index (self->faults, i);

      if ((fault->drop >= 0) != want_drop)
        continue;
      if (!dossier_sandbox_fault_matches (fault, provider, op, chunk))
        continue;
      /* spared this time: not consumed either */
      if (fault->probability < 1.0 && g_random_double () >= fault->probability)
        continue;

      claimed = dossier_sandbox_fault_copy (fault);
      if (fault->times > 0 && --fault->times == 0)
        g_ptr_array_remove_index (self->faults, i);
      break;
    }
  g_mutex_unlock (&self->lock);

  return claimed;
}

static void
drop_connection (SoupServerMessage *msg,
                 RequestCtx        *ctx)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  ctx->dropped = TRUE;
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              RequestCtx        *ctx)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (ctx->dropped)
    return;

  ctx->body_bytes += len;

  if (ctx->parser != NULL)
    {
      if (ctx->parse_error == NULL)
        dossier_sandbox_multipart_parser_feed (ctx->parser, data, len, &ctx->parse_error);
    }
  else if (ctx->raw != NULL && !ctx->raw_too_large)
    {
      if (ctx->raw->len + len > RAW_BODY_CAP)
        {
          ctx->raw_too_large = TRUE;
          g_byte_array_set_size (ctx->raw, 0);
        }
      else
        g_byte_array_append (ctx->raw, data, len);
    }

  /* a drop aimed at one Kore chunk: wait until its number is known */
  if (ctx->drop_at < 0 && !ctx->drop_checked && ctx->parser != NULL &&
      ctx->route != NULL && g_strcmp0 (ctx->route->op, "chunk") == 0)
    {
      const char *number = dossier_sandbox_multipart_parser_peek_field (ctx->parser, "chunkNumber");
      guint64 n;

      if (number != NULL)
        {
          g_autoptr(DossierSandboxFault) fault = NULL;

          ctx->drop_checked = TRUE;
          if (g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT, &n, NULL))
            {
              ctx->chunk = n;
              fault = claim_fault (ctx->self, "kore", "chunk", n, TRUE);
              if (fault != NULL)
                ctx->drop_at = fault->drop;
            }
        }
    }

  if (ctx->drop_at >= 0 && ctx->body_bytes >= (guint64) ctx->drop_at)
    drop_connection (msg, ctx);
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  DossierSandbox *self = user_data;
  RequestCtx *ctx = g_new0 (RequestCtx, 1);
  g_autofree char *boundary = NULL;

  ctx->self = self;
  ctx->started = g_get_monotonic_time ();
  ctx->params = g_ptr_array_new_with_free_func (g_free);
  ctx->drop_at = -1;
  ctx->chunk = -1;
  route_lookup (ctx, soup_server_message_get_method (msg), path);
  g_object_set_data_full (G_OBJECT (msg), "dossier-sandbox-ctx", ctx, request_ctx_free);

  /* never keep a request body in memory */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), ctx);

  boundary = dossier_sandbox_multipart_get_boundary (header (msg, "Content-Type"));
  if (boundary != NULL && ctx->route != NULL)
    ctx->parser = dossier_sandbox_multipart_parser_new (boundary, self->incoming_dir, FIELD_CAP,
                                                        ctx->route->file_cap);
  else
    ctx->raw = g_byte_array_new ();

  if (ctx->route != NULL && ctx->route->op != NULL)
    {
      g_autoptr(DossierSandboxFault) fault = claim_fault (self, ctx->route->provider,
                                                          ctx->route->op, -1, TRUE);
      if (fault != NULL)
        ctx->drop_at = fault->drop;
    }
}

/* The error status a fault injects, with its Retry-After if it has one */
static void
reply_fault (SoupServerMessage         *msg,
             RequestCtx                *ctx,
             const DossierSandboxFault *fault,
             const char                *text)
{
  reply_error (msg, ctx->provider, fault->status, NULL, text);
  if (fault->retry_after >= 0)
    {
      char value[32];

      g_snprintf (value, sizeof value, "%d", fault->retry_after);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", value);
    }
}

static void
answer (DossierSandbox            *self,
        SoupServerMessage         *msg,
        RequestCtx                *ctx,
        const DossierSandboxFault *fault)
{
  if (fault != NULL && fault->store_then != DOSSIER_SANDBOX_STORE_NONE)
    {
      /* handled as usual (the file is stored), then the answer is lost */
      ctx->route->handler (self, msg, ctx);
      if (fault->store_then == DOSSIER_SANDBOX_STORE_DROP)
        {
          drop_connection (msg, ctx);
          soup_server_message_set_status (msg, 500, NULL);
          return;
        }
      reply_fault (msg, ctx, fault, "Injected fault after storing the file");
      return;
    }

  if (fault != NULL && fault->status != 0)
    {
      reply_fault (msg, ctx, fault, "Injected fault");
      return;
    }

  if (fault != NULL && fault->malformed_json)
    {
      static const char broken[] = "{\"injected\": \"malformed json\", \"id\": ";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        broken, strlen (broken));
      return;
    }

  ctx->route->handler (self, msg, ctx);
}

typedef struct
{
  DossierSandbox      *self;
  SoupServerMessage   *msg;
  DossierSandboxFault *fault;
  GSource             *source;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->msg);
  dossier_sandbox_fault_free (delayed->fault);
  g_free (delayed);
}

static gboolean
delayed_answer (gpointer data)
{
  Delayed *delayed = data;
  RequestCtx *ctx = request_ctx (delayed->msg);

  g_hash_table_remove (delayed->self->pending, delayed->source);
  answer (delayed->self, delayed->msg, ctx, delayed->fault);
  soup_server_message_unpause (delayed->msg);

  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  DossierSandbox *self = user_data;
  RequestCtx *ctx = request_ctx (msg);
  g_autoptr(DossierSandboxFault) fault = NULL;

  if (ctx == NULL)
    {
      reply_error (msg, NULL, 500, NULL, "internal error: no request context");
      return;
    }

  if (g_strcmp0 (ctx->provider, "moov") == 0)
    {
      g_autofree char *request_id = g_uuid_string_random ();
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "x-request-id", request_id);
    }

  if (ctx->dropped)
    {
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }

  if (ctx->parser != NULL && ctx->parse_error == NULL && !ctx->parse_done)
    {
      ctx->parse_done = TRUE;
      dossier_sandbox_multipart_parser_finish (ctx->parser, &ctx->parse_error);
    }

  if (ctx->route == NULL)
    {
      if (ctx->wrong_method)
        {
          g_autofree char *allow = allowed_methods (path);
          g_autofree char *m = g_strdup_printf ("Method %s is not allowed here; use %s",
                                                soup_server_message_get_method (msg), allow);

          reply_error (msg, ctx->provider, 405, "METHOD_NOT_ALLOWED", m);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Allow", allow);
        }
      else
        {
          g_autofree char *m = g_strdup_printf ("No such endpoint: %s %s",
                                                soup_server_message_get_method (msg), path);
          reply_error (msg, ctx->provider, 404, "NOT_FOUND", m);
        }
      return;
    }

  if (ctx->drop_at >= 0)
    {
      /* the body ended before the drop point: drop before answering */
      drop_connection (msg, ctx);
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }

  if (ctx->route->op != NULL)
    {
      if (g_str_equal (ctx->route->op, "chunk") && ctx->parser != NULL)
        {
          const char *number = dossier_sandbox_multipart_parser_peek_field (ctx->parser, "chunkNumber");
          guint64 n;

          if (number != NULL && g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT, &n, NULL))
            ctx->chunk = n;
        }
      fault = claim_fault (self, ctx->route->provider, ctx->route->op, ctx->chunk, FALSE);
    }

  if (fault != NULL && fault->delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->self = self;
      delayed->msg = g_object_ref (msg);
      delayed->fault = g_steal_pointer (&fault);
      delayed->source = g_timeout_source_new (delayed->fault->delay_ms);
      g_source_set_callback (delayed->source, delayed_answer, delayed, delayed_free);
      g_source_attach (delayed->source, self->context);
      g_hash_table_add (self->pending, delayed->source);
      soup_server_message_pause (msg);
      return;
    }

  answer (self, msg, ctx, fault);
}

static void
request_done (SoupServer        *server,
              SoupServerMessage *msg,
              gpointer           user_data)
{
  DossierSandbox *self = user_data;
  RequestCtx *ctx = request_ctx (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  gint64 out;

  if (!self->log_requests || ctx == NULL)
    return;

  out = soup_message_headers_get_content_length (response);
  g_printerr ("%s %s %u%s, %" G_GUINT64_FORMAT " bytes in, %" G_GINT64_FORMAT " bytes out, %"
              G_GINT64_FORMAT " ms\n",
              soup_server_message_get_method (msg),
              g_uri_get_path (soup_server_message_get_uri (msg)),
              soup_server_message_get_status (msg),
              ctx->dropped ? " (connection dropped)" : "",
              ctx->body_bytes, out,
              (g_get_monotonic_time () - ctx->started) / 1000);
}

static void
request_aborted (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  DossierSandbox *self = user_data;
  RequestCtx *ctx = request_ctx (msg);

  if (!self->log_requests || ctx == NULL)
    return;

  g_printerr ("%s %s aborted%s, %" G_GUINT64_FORMAT " bytes in, %" G_GINT64_FORMAT " ms\n",
              soup_server_message_get_method (msg),
              g_uri_get_path (soup_server_message_get_uri (msg)),
              ctx->dropped ? " (connection dropped)" : "",
              ctx->body_bytes,
              (g_get_monotonic_time () - ctx->started) / 1000);
}

/* -------------------------------------------------------------------------- */
/* server life                                                                */

/* Connections the kernel completes before the sandbox accepts them
 * (Linux caps it at net.core.somaxconn, 4096 by default) */
#define SANDBOX_LISTEN_BACKLOG 1024

static gboolean
setup_server (DossierSandbox  *self,
              guint            port,
              GError         **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocket) socket = NULL;
  GSList *listeners;

  if (self->server != NULL)
    {
      g_set_error_literal (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_FAILED,
                           "The sandbox is already listening");
      return FALSE;
    }

  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "dossier-sandbox ", NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_done), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_aborted), self);

  /* soup_server_listen() keeps GSocket's backlog of 10: a burst of
   * uploads (a client opening many connections at once) then waits a
   * second per SYN the kernel drops. Listen on a socket of our own. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket != NULL)
    {
      g_socket_set_listen_backlog (socket, SANDBOX_LISTEN_BACKLOG);
      if (!g_socket_bind (socket, address, TRUE, error) ||
          !g_socket_listen (socket, error))
        g_clear_object (&socket);
    }
  if (socket == NULL || !soup_server_listen_socket (self->server, socket, 0, error))
    {
      if (socket != NULL)
        g_socket_close (socket, NULL);
      g_clear_object (&self->server);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }

  /* the port actually bound (port 0 picks one) */
  listeners = soup_server_get_listeners (self->server);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, error);

      if (local == NULL)
        {
          g_slist_free (listeners);
          soup_server_disconnect (self->server);
          g_clear_object (&self->server);
          g_clear_pointer (&self->context, g_main_context_unref);
          return FALSE;
        }
      g_free (self->base_url);
      self->base_url = g_strdup_printf ("http://127.0.0.1:%u",
                                        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
    }
  g_slist_free (listeners);

  return TRUE;
}

static void
teardown_server (DossierSandbox *self)
{
  GHashTableIter iter;
  gpointer source;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &source, NULL))
    g_source_destroy (source);
  g_hash_table_remove_all (self->pending);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
}

static gpointer
server_thread (gpointer data)
{
  DossierSandbox *self = data;
  GMainContext *context = g_main_context_new ();
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (context);
  ok = setup_server (self, self->start_port, &error);

  g_mutex_lock (&self->start_mutex);
  self->start_error = error;
  self->start_done = TRUE;
  if (ok)
    self->loop = g_main_loop_new (context, FALSE);
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_mutex);

  if (ok)
    {
      g_main_loop_run (self->loop);
      teardown_server (self);
      /* let the connections finish closing */
      while (g_main_context_iteration (context, FALSE))
        ;
    }

  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* -------------------------------------------------------------------------- */
/* GObject                                                                    */

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  return g_rmdir (path) == 0;
}

/* Where sandboxes keep what they receive: documents, so not /tmp (shared,
 * and kept after a kill). $XDG_RUNTIME_DIR is private to the user and
 * emptied at logout; the user's cache folder otherwise. */
static char *
storage_parent (void)
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
  if (g_mkdir_with_parents (parent, 0700) != 0)
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
          remove_tree (folder);
        }
    }
}

static char *
make_own_storage (int     *lock_fd,
                  GError **error)
{
  g_autofree char *parent = storage_parent ();
  g_autofree char *folder = NULL;
  g_autofree char *lock = NULL;
  int fd;

  if (parent == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "No folder for the sandbox's storage: %s", g_strerror (errno));
      return NULL;
    }

  remove_stale_storage (parent);

  /* g_mkdtemp replaces the six X of the template */
  folder = g_strdup_printf ("%s/%d-" "XX" "XX" "XX", parent, (int) getpid ());
  if (g_mkdtemp_full (folder, 0700) == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Could not create %s: %s", folder, g_strerror (errno));
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
                   "Could not lock %s: %s", lock, g_strerror (saved));
      remove_tree (folder);
      return NULL;
    }

  *lock_fd = fd;
  return g_steal_pointer (&folder);
}

static void
dossier_sandbox_constructed (GObject *object)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  G_OBJECT_CLASS (dossier_sandbox_parent_class)->constructed (object);

  if (self->storage_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->storage_dir = make_own_storage (&self->storage_lock, &error);
      if (self->storage_dir == NULL)
        g_error ("Could not create the sandbox's storage: %s", error->message);
      self->own_storage = TRUE;
    }
  else
    {
      g_mkdir_with_parents (self->storage_dir, 0700);
    }

  self->incoming_dir = g_build_filename (self->storage_dir, "incoming", NULL);
  g_mkdir_with_parents (self->incoming_dir, 0700);
}

static void
dossier_sandbox_dispose (GObject *object)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  if (self->thread != NULL)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, quit_loop, self->loop, NULL);
      g_source_attach (source, self->context);
      g_source_unref (source);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
    }
  else
    {
      teardown_server (self);
    }

  G_OBJECT_CLASS (dossier_sandbox_parent_class)->dispose (object);
}

static void
dossier_sandbox_finalize (GObject *object)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  g_hash_table_unref (self->kore_sessions);
  g_hash_table_unref (self->generic_sessions);
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->doku_tokens);
  g_hash_table_unref (self->moov_tokens);
  g_hash_table_unref (self->receeve_tokens);
  g_hash_table_unref (self->moov_accounts);
  g_hash_table_unref (self->pending);
  g_ptr_array_unref (self->received);
  g_ptr_array_unref (self->faults);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->start_mutex);
  g_cond_clear (&self->start_cond);
  g_clear_error (&self->start_error);

  if (self->own_storage)
    {
      remove_tree (self->storage_dir);
      if (self->storage_lock >= 0)
        close (self->storage_lock);
    }
  else
    g_rmdir (self->incoming_dir);

  g_free (self->incoming_dir);
  g_free (self->storage_dir);
  g_free (self->base_url);

  G_OBJECT_CLASS (dossier_sandbox_parent_class)->finalize (object);
}

static void
dossier_sandbox_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_STORAGE_DIR:
      g_value_set_string (value, self->storage_dir);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_LOG_REQUESTS:
      g_value_set_boolean (value, self->log_requests);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_sandbox_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DossierSandbox *self = DOSSIER_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_STORAGE_DIR:
      self->storage_dir = g_value_dup_string (value);
      break;

    case PROP_LOG_REQUESTS:
      if (self->log_requests != g_value_get_boolean (value))
        {
          self->log_requests = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_sandbox_class_init (DossierSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dossier_sandbox_constructed;
  object_class->dispose = dossier_sandbox_dispose;
  object_class->finalize = dossier_sandbox_finalize;
  object_class->get_property = dossier_sandbox_get_property;
  object_class->set_property = dossier_sandbox_set_property;

  /**
   * DossierSandbox:storage-dir:
   *
   * Where received files are stored; %NULL at construction for a private
   * temporary directory that is removed with the sandbox.
   */
  properties[PROP_STORAGE_DIR] =
    g_param_spec_string ("storage-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * DossierSandbox:base-url:
   *
   * "http://127.0.0.1:PORT" once listening.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * DossierSandbox:log-requests:
   *
   * Whether to print one line per request to stderr.  Set it before
   * listening.
   */
  properties[PROP_LOG_REQUESTS] =
    g_param_spec_boolean ("log-requests", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_sandbox_init (DossierSandbox *self)
{
  self->storage_lock = -1;
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_mutex);
  g_cond_init (&self->start_cond);
  self->received = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_sandbox_fault_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stored_file_free);
  self->doku_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->moov_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, moov_token_free);
  self->receeve_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->kore_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, kore_session_free);
  self->generic_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, kore_session_free);
  self->moov_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_ptr_array_unref);
  self->pending = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) g_source_unref, NULL);
  self->kore_session_lifetime = 3600;
}

/* -------------------------------------------------------------------------- */
/* public API                                                                 */

DossierSandbox *
dossier_sandbox_new (const char *storage_dir)
{
  return g_object_new (DOSSIER_TYPE_SANDBOX,
                       "storage-dir", storage_dir,
                       NULL);
}

gboolean
dossier_sandbox_listen (DossierSandbox  *self,
                        guint            port,
                        GError         **error)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->thread != NULL)
    {
      g_set_error_literal (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_FAILED,
                           "The sandbox is already listening");
      return FALSE;
    }
  if (!setup_server (self, port, error))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  return TRUE;
}

gboolean
dossier_sandbox_start_thread (DossierSandbox  *self,
                              guint            port,
                              GError         **error)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->thread != NULL || self->server != NULL)
    {
      g_set_error_literal (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_FAILED,
                           "The sandbox is already listening");
      return FALSE;
    }

  self->start_port = port;
  self->start_done = FALSE;
  self->thread = g_thread_new ("dossier-sandbox", server_thread, self);

  g_mutex_lock (&self->start_mutex);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_mutex);
  g_mutex_unlock (&self->start_mutex);

  if (self->start_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  return TRUE;
}

const char *
dossier_sandbox_get_base_url (DossierSandbox *self)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), NULL);

  return self->base_url;
}

const char *
dossier_sandbox_get_storage_dir (DossierSandbox *self)
{
  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), NULL);

  return self->storage_dir;
}

gboolean
dossier_sandbox_add_fault (DossierSandbox  *self,
                           const char      *spec,
                           GError         **error)
{
  DossierSandboxFault *fault;

  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  fault = dossier_sandbox_fault_parse (spec, error);
  if (fault == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, fault);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

void
dossier_sandbox_clear_faults (DossierSandbox *self)
{
  g_return_if_fail (DOSSIER_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->lock);
}

JsonNode *
dossier_sandbox_dup_received (DossierSandbox *self)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (DOSSIER_IS_SANDBOX (self), NULL);

  array = json_array_new ();
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->received->len; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (self->received, i)));
  g_mutex_unlock (&self->lock);

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);

  return node;
}

void
dossier_sandbox_set_kore_session_lifetime (DossierSandbox *self,
                                           guint           seconds)
{
  g_return_if_fail (DOSSIER_IS_SANDBOX (self));

  g_atomic_int_set (&self->kore_session_lifetime, seconds);
}

const char *
dossier_sandbox_get_credentials_text (void)
{
  return
    "Sandbox credentials (accepted only by this local sandbox):\n"
    "  DOKU     Client-Id " DOSSIER_SANDBOX_DOKU_CLIENT_ID
    ", Secret Key " DOSSIER_SANDBOX_DOKU_SECRET_KEY
    " (or the static token " DOSSIER_SANDBOX_DOKU_TOKEN ")\n"
    "  Kore.ai  x-api-key " DOSSIER_SANDBOX_KORE_API_KEY "\n"
    "  Moov     client id " DOSSIER_SANDBOX_MOOV_CLIENT_ID
    ", secret " DOSSIER_SANDBOX_MOOV_CLIENT_SECRET
    " (or the static token " DOSSIER_SANDBOX_MOOV_TOKEN ")\n"
    "           example account " DOSSIER_SANDBOX_MOOV_ACCOUNT_ID
    " (any UUID is an account, except the nil UUID)\n"
    "  receeve  client id " DOSSIER_SANDBOX_RECEEVE_CLIENT_ID
    ", secret " DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET
    " (or the static token " DOSSIER_SANDBOX_RECEEVE_TOKEN ")\n";
}

static const DossierSandboxSample samples[] = {
  { "doku", DOSSIER_SANDBOX_DOKU_TOKEN,
    DOSSIER_SANDBOX_DOKU_CLIENT_ID, DOSSIER_SANDBOX_DOKU_SECRET_KEY, { NULL } },
  { "kore", DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL, { NULL } },
  { "moov", DOSSIER_SANDBOX_MOOV_TOKEN,
    DOSSIER_SANDBOX_MOOV_CLIENT_ID, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET,
    { "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, NULL } },
  { "receeve", DOSSIER_SANDBOX_RECEEVE_TOKEN,
    DOSSIER_SANDBOX_RECEEVE_CLIENT_ID, DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET,
    { "clientId", DOSSIER_SANDBOX_RECEEVE_CLIENT_ID,
      "accountId", DOSSIER_SANDBOX_RECEEVE_ACCOUNT_ID, NULL } },
};

/**
 * dossier_sandbox_lookup_sample:
 * @provider_id: a provider's id
 *
 * The credentials and account values the sandbox accepts for @provider_id,
 * published so the app and the CLI fill in exactly what the sandbox takes.
 *
 * Returns: (nullable): the sample, or %NULL for a provider the sandbox does
 *   not emulate
 */
const DossierSandboxSample *
dossier_sandbox_lookup_sample (const char *provider_id)
{
  for (guint i = 0; provider_id != NULL && i < G_N_ELEMENTS (samples); i++)
    if (g_str_equal (samples[i].provider_id, provider_id))
      return &samples[i];
  return NULL;
}

/* The sample value of the account field @field, or NULL */
const char *
dossier_sandbox_sample_lookup_value (const DossierSandboxSample *sample,
                                     const char                 *field)
{
  for (guint i = 0; sample != NULL && field != NULL && sample->values[i] != NULL; i += 2)
    if (g_str_equal (sample->values[i], field))
      return sample->values[i + 1];
  return NULL;
}
