/* dossier-sandbox-kore.c: Kore.ai's file upload, chunked session dialect and media links, emulated
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

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

  return g_strcmp0 (_dossier_sandbox_sniff_type (head, head_len), expected) == 0;
}

static gboolean
kore_authorized (SoupServerMessage *msg)
{
  if (g_strcmp0 (_dossier_sandbox_header (msg, "x-api-key"), DOSSIER_SANDBOX_KORE_API_KEY) == 0)
    return TRUE;

  _dossier_sandbox_reply_error (msg, "kore", 401, NULL, "Invalid or missing x-api-key");
  return FALSE;
}

static char *
kore_media_url (DossierSandbox *self,
                const char     *media_name,
                const char     *file_name)
{
  g_autofree char *escaped = g_uri_escape_string (file_name ? file_name : media_name, NULL, FALSE);
  g_autofree char *s = _dossier_sandbox_random_hex (40);
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
  _dossier_sandbox_add_string (b, "url", url);
  _dossier_sandbox_add_string (b, "fileId", file_id);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}

static char *
kore_unsupported_message (const char *ext)
{
  return g_strdup_printf ("File extension “%s” is not supported; supported: m4a, mp3, webm, "
                          "mp4, mpga, wav, mpeg, png, jpeg, jpg, webp, gif",
                          ext ? ext : "(none)");
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

/* Registers a stored Kore file under its id and its media name, records it
 * and answers with its description */
static void
kore_store (DossierSandbox                *self,
            SoupServerMessage             *msg,
            const char                    *op,
            const DossierSandboxSavedFile *file,
            const char                    *ext,
            const char                    *file_name)
{
  g_autofree char *file_id = _dossier_sandbox_random_hex (24);
  g_autofree char *key = g_strconcat ("kore/", file_id, NULL);
  DossierSandboxSavedFile record = *file;

  record.file_name = file_name;
  record.content_type = kore_media_type (ext);
  _dossier_sandbox_register_file (self, key, file->path, record.content_type, file_name);
  g_free (key);
  key = g_strconcat ("kore-media/", file->stored, NULL);
  _dossier_sandbox_register_file (self, key, file->path, record.content_type, file_name);
  _dossier_sandbox_record_saved (self, op, file_id, &record);

  kore_reply_file (self, msg, file->stored, file_name, file_id);
}

void
_dossier_sandbox_kore_upload (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *media = NULL;
  DossierSandboxMultipartPart *file;
  DossierSandboxSavedFile saved = { NULL, };
  const char *context;
  GPtrArray *parts;

  if (!kore_authorized (msg))
    return;
  if ((parts = _dossier_sandbox_require_form (msg, ctx)) == NULL)
    return;
  if ((file = _dossier_sandbox_single_file_part (msg, "kore", parts)) == NULL)
    return;

  context = _dossier_sandbox_form_field (parts, "fileContext");
  if (context == NULL || *context == '\0')
    {
      _dossier_sandbox_reply_error (msg, "kore", 400, NULL, "fileContext is required");
      return;
    }

  ext = lower_extension (file->filename);
  if (ext == NULL || !g_strv_contains (kore_extensions, ext))
    {
      g_autofree char *m = kore_unsupported_message (ext);
      _dossier_sandbox_reply_error (msg, "kore", 400, NULL, m);
      return;
    }
  if (file->truncated || file->size > KORE_MAX_FILE)
    {
      _dossier_sandbox_reply_error (msg, "kore", 413, NULL,
                                    "File is larger than 25 MB: upload it in chunks with a session "
                                    "(POST /api/public/files/session/start)");
      return;
    }
  if (file->size == 0)
    {
      _dossier_sandbox_reply_error (msg, "kore", 400, NULL, "file is empty");
      return;
    }
  if (!kore_content_matches (ext, file->head, file->head_len))
    {
      g_autofree char *m = g_strdup_printf ("The file content is not a %s image", ext);
      _dossier_sandbox_reply_error (msg, "kore", 400, NULL, m);
      return;
    }

  uuid = g_uuid_string_random ();
  media = g_strdup_printf ("f-%s.%s", uuid, ext);
  if (!_dossier_sandbox_keep_part (self, file, "kore", media, &error))
    {
      _dossier_sandbox_reply_error (msg, "kore", 500, NULL, error->message);
      return;
    }

  saved.provider = "kore";
  saved.stored = media;
  saved.path = file->path;
  saved.size = file->size;
  saved.sha256 = file->sha256;
  saved.parts = parts;
  kore_store (self, msg, "upload", &saved, ext, file->filename);
}

static gboolean
kore_finish (DossierSandbox                *self,
             SoupServerMessage             *msg,
             DossierSandboxSession         *session,
             const DossierSandboxSavedFile *file)
{
  if (!kore_content_matches (session->extension, file->head, file->head_len))
    {
      g_autofree char *m = g_strdup_printf ("The file content is not a %s image", session->extension);
      g_unlink (file->path);
      _dossier_sandbox_reply_error (msg, "kore", 400, NULL, m);
      return FALSE;
    }

  kore_store (self, msg, "complete", file, session->extension, session->file_name);
  return TRUE;
}

/* Members left out are NULL, 0 or FALSE: see DossierSandboxChunkDialect */
const DossierSandboxChunkDialect _dossier_sandbox_kore_dialect = {
  .provider = "kore", .route = KORE_SESSION_ROUTE, .authorized = kore_authorized,
  .sessions = G_STRUCT_OFFSET (DossierSandbox, kore_sessions),
  .context_member = "fileContext", .extension_member = "fileExtension",
  .extensions = kore_extensions, .unsupported_extension = kore_unsupported_message,
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
};

void
_dossier_sandbox_kore_media (DossierSandbox        *self,
                             SoupServerMessage     *msg,
                             DossierSandboxRequest *ctx)
{
  const char *name = g_ptr_array_index (ctx->params, 0);
  g_autofree char *key = g_strconcat ("kore-media/", name, NULL);
  DossierSandboxStoredFile *file = g_hash_table_lookup (self->files, key);

  if (file == NULL)
    {
      _dossier_sandbox_reply_error (msg, "kore", 404, NULL, "file not found");
      return;
    }
  if (_dossier_sandbox_query_expired (msg, "e", FALSE))
    {
      _dossier_sandbox_reply_error (msg, "kore", 403, NULL, "This link has expired");
      return;
    }

  _dossier_sandbox_serve_file (msg, file->path, file->content_type);
}
