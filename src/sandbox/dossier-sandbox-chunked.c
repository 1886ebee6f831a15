/* dossier-sandbox-chunked.c: chunked upload sessions, in Kore.ai's dialect and the generic one
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

/* The dialects are described in their provider's file (see
 * DossierSandboxChunkDialect) */
static const DossierSandboxChunkDialect * const chunk_dialects[] = {
  &_dossier_sandbox_kore_dialect,
  &_dossier_sandbox_generic_dialect,
};

/* The dialect of the route being served: the one whose prefix it has */
static const DossierSandboxChunkDialect *
chunk_dialect (DossierSandboxRequest *ctx)
{
  for (guint i = 0; i < G_N_ELEMENTS (chunk_dialects); i++)
    if (g_str_has_prefix (ctx->route->pattern, chunk_dialects[i]->route))
      return chunk_dialects[i];

  g_assert_not_reached ();
}

static GHashTable *
chunk_sessions (DossierSandbox                   *self,
                const DossierSandboxChunkDialect *d)
{
  return G_STRUCT_MEMBER (GHashTable *, self, d->sessions);
}

void
_dossier_sandbox_session_free (gpointer data)
{
  DossierSandboxSession *session = data;

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

void
_dossier_sandbox_chunked_start (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx)
{
  const DossierSandboxChunkDialect *d = chunk_dialect (ctx);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *expiration = NULL;
  g_autofree char *sessions = NULL;
  DossierSandboxSession *session;
  JsonObject *obj;
  const char *body;
  const char *context = NULL;
  const char *file_name;
  gint64 total = 0;
  gint64 size = 0;
  gsize len;

  if (d->authorized != NULL && !d->authorized (msg))
    return;
  if ((body = _dossier_sandbox_require_raw (msg, ctx, &len)) == NULL)
    return;

  obj = _dossier_sandbox_parse_json_object (body, len, &root);
  if (obj == NULL)
    {
      _dossier_sandbox_reply_error (msg, d->provider, 400, NULL, d->bad_start);
      return;
    }

  if (d->context_member != NULL)
    {
      context = _dossier_sandbox_json_get_string (obj, d->context_member);
      if (context == NULL || *context == '\0')
        g_ptr_array_add (problems, g_strdup_printf ("%s is required", d->context_member));
    }
  if (!_dossier_sandbox_json_get_positive (obj, d->count_member, 1, &total) ||
      (d->max_chunks > 0 && total > d->max_chunks))
    g_ptr_array_add (problems, g_strdup_printf ("%s is required and must be an integer of at least 1",
                                                d->count_member));
  if (d->extension_member != NULL)
    {
      const char *extension = _dossier_sandbox_json_get_string (obj, d->extension_member);

      if (extension != NULL)
        ext = g_ascii_strdown (extension[0] == '.' ? extension + 1 : extension, -1);
      if (extension == NULL || *extension == '\0')
        g_ptr_array_add (problems, g_strdup_printf ("%s is required", d->extension_member));
      else if (!g_strv_contains (d->extensions, ext))
        g_ptr_array_add (problems, d->unsupported_extension (extension));
    }
  file_name = _dossier_sandbox_json_get_string (obj, d->name_member);
  if (file_name == NULL || *file_name == '\0')
    g_ptr_array_add (problems, g_strdup_printf ("%s is required", d->name_member));
  if (!_dossier_sandbox_json_get_positive (obj, d->size_member, 1, &size))
    g_ptr_array_add (problems, g_strdup_printf ("%s is required and must be a positive number of bytes",
                                                d->size_member));

  if (problems->len > 0 && !d->list_problems)
    {
      _dossier_sandbox_reply_error (msg, d->provider, 400, NULL, d->bad_start);
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
          _dossier_sandbox_add_string (b, "msg", g_ptr_array_index (problems, i));
          _dossier_sandbox_add_int (b, "code", 400);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      _dossier_sandbox_reply_builder (msg, 400, b);
      return;
    }

  session = g_new0 (DossierSandboxSession, 1);
  session->id = g_uuid_string_random ();
  sessions = _dossier_sandbox_provider_dir (self, d->provider);
  session->dir = g_build_filename (sessions, "sessions", session->id, NULL);
  g_mkdir_with_parents (session->dir, 0700);
  session->file_context = g_strdup (context);
  session->extension = g_steal_pointer (&ext);
  session->file_name = g_strdup (file_name);
  session->file_size = size;
  session->total_chunks = total;
  session->expires = g_get_real_time () +
                     (gint64) g_atomic_int_get (&self->kore_session_lifetime) * G_USEC_PER_SEC;
  session->chunks = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (session->chunks, total);
  session->chunk_sizes = g_new0 (guint64, total);
  g_hash_table_replace (chunk_sessions (self, d), session->id, session);

  expiration = _dossier_sandbox_now_iso8601 ((session->expires - g_get_real_time ()) / G_USEC_PER_SEC, TRUE);
  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, d->id_answer, session->id);
  _dossier_sandbox_add_string (b, d->expiry_answer, expiration);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}

/* The live session named in the path, or NULL after answering the error */
static DossierSandboxSession *
chunked_lookup_session (DossierSandbox                   *self,
                        const DossierSandboxChunkDialect *d,
                        SoupServerMessage                *msg,
                        const char                       *id)
{
  DossierSandboxSession *session = g_hash_table_lookup (chunk_sessions (self, d), id);

  if (session == NULL)
    {
      g_autofree char *m = g_strconcat (d->unknown_prefix, id, d->unknown_suffix, NULL);
      _dossier_sandbox_reply_error (msg, d->provider, 404, NULL, m);
      return NULL;
    }
  if (session->expires <= g_get_real_time ())
    {
      g_autofree char *m = g_strconcat (d->expired_prefix, id, d->expired_suffix, NULL);
      _dossier_sandbox_reply_error (msg, d->provider, d->expired_status, NULL, m);
      return NULL;
    }

  return session;
}

void
_dossier_sandbox_chunked_chunk (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx)
{
  const DossierSandboxChunkDialect *d = chunk_dialect (ctx);
  const char *id = g_ptr_array_index (ctx->params, 0);
  g_autofree char *chunk_name = NULL;
  g_autofree char *dest = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  DossierSandboxMultipartPart *file;
  DossierSandboxSession *session;
  GPtrArray *parts;
  const char *number;
  guint64 n = 0;
  char n_text[32];

  if (d->authorized != NULL && !d->authorized (msg))
    return;
  if ((session = chunked_lookup_session (self, d, msg, id)) == NULL)
    return;
  if ((parts = _dossier_sandbox_require_form (msg, ctx)) == NULL)
    return;

  number = _dossier_sandbox_form_field (parts, d->chunk_field);
  if (number == NULL || *number == '\0' ||
      !g_ascii_string_to_unsigned (number, 10, 0, session->total_chunks - 1, &n, NULL))
    {
      g_autofree char *m = NULL;

      if (d->chunk_invalid == NULL && (number == NULL || *number == '\0'))
        m = g_strdup_printf ("%s is required", d->chunk_field);
      else if (d->chunk_invalid == NULL)
        m = g_strdup_printf ("%s must be a number from 0 to %u, got “%s”",
                             d->chunk_field, session->total_chunks - 1, number);
      _dossier_sandbox_reply_error (msg, d->provider, 400, NULL, m != NULL ? m : d->chunk_invalid);
      return;
    }
  if ((file = _dossier_sandbox_single_file_part (msg, d->provider, parts)) == NULL)
    return;
  if (file->size == 0 && d->empty_chunk != NULL)
    {
      _dossier_sandbox_reply_error (msg, d->provider, 400, NULL, d->empty_chunk);
      return;
    }

  chunk_name = g_strdup_printf ("%s-%08" G_GUINT64_FORMAT, d->chunk_file, n);
  dest = g_build_filename (session->dir, chunk_name, NULL);
  if (g_rename (file->path, dest) != 0)
    {
      _dossier_sandbox_reply_error (msg, d->provider, 500, NULL, g_strerror (errno));
      return;
    }
  g_free (file->path);
  file->path = g_strdup (dest);
  file->keep = TRUE;

  /* a chunk sent again replaces the old one (the rename overwrote its file) */
  g_free (g_ptr_array_index (session->chunks, n));
  g_ptr_array_index (session->chunks, n) = g_steal_pointer (&dest);
  session->chunk_sizes[n] = file->size;

  _dossier_sandbox_record_part (ctx, session->id, file, _dossier_sandbox_part_content_type (file), n);

  if (!d->chunk_answer)
    {
      _dossier_sandbox_reply_ok (msg);
      return;
    }
  g_snprintf (n_text, sizeof n_text, "%" G_GUINT64_FORMAT, n);
  b = json_builder_new ();
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, d->chunk_field, n_text);
  _dossier_sandbox_add_string (b, d->id_answer, session->id);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}

void
_dossier_sandbox_chunked_complete (DossierSandbox        *self,
                                   SoupServerMessage     *msg,
                                   DossierSandboxRequest *ctx)
{
  const DossierSandboxChunkDialect *d = chunk_dialect (ctx);
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
  DossierSandboxSession *session;
  DossierSandboxSavedFile assembled = { NULL, };
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
      _dossier_sandbox_reply_error (msg, d->provider, 400, NULL, m != NULL ? m : d->missing);
      return;
    }
  if (total != (guint64) session->file_size)
    {
      g_autofree char *m = NULL;

      if (d->size_mismatch == NULL)
        m = g_strdup_printf ("The chunks add up to %" G_GUINT64_FORMAT " bytes but %s is %" G_GINT64_FORMAT,
                             total, d->size_member, session->file_size);
      _dossier_sandbox_reply_error (msg, d->provider, 400, NULL, m != NULL ? m : d->size_mismatch);
      return;
    }

  uuid = g_uuid_string_random ();
  if (session->extension != NULL)
    stored = g_strdup_printf ("%s%s.%s", d->stored_prefix, uuid, session->extension);
  else
    stored = g_strconcat (d->stored_prefix, uuid, NULL);
  dir = _dossier_sandbox_provider_dir (self, d->provider);
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
      _dossier_sandbox_reply_error (msg, d->provider, 500, NULL, error->message);
      return;
    }

  assembled.provider = d->provider;
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
