/* dossier-sandbox-generic.c: the generic routes, one upload and a chunked-session dialect of its own
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

/* What the generic API says of a stored file: its id, link, size and sha256 */
static void
add_stored_members (JsonBuilder *b,
                    const char  *file_key,
                    const char  *link,
                    guint64      size,
                    const char  *sha256)
{
  _dossier_sandbox_add_string (b, "id", file_key);
  _dossier_sandbox_add_string (b, "link", link);
  _dossier_sandbox_add_int (b, "size", size);
  _dossier_sandbox_add_string (b, "sha256", sha256);
}

static gboolean
generic_finish (DossierSandbox                *self,
                SoupServerMessage             *msg,
                DossierSandboxSession         *session,
                const DossierSandboxSavedFile *file)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *key = g_strconcat ("generic/", file->stored, NULL);
  g_autofree char *link = g_strdup_printf ("%s/files/generic/%s", self->base_url, file->stored);
  DossierSandboxSavedFile record = *file;

  record.file_name = session->file_name;
  record.content_type = "application/octet-stream";
  _dossier_sandbox_register_file (self, key, file->path, record.content_type, record.file_name);
  _dossier_sandbox_record_saved (self, "complete", file->stored, &record);

  json_builder_begin_object (b);
  add_stored_members (b, file->stored, link, file->size, file->sha256);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
  return TRUE;
}

/* Members left out are NULL, 0 or FALSE: see DossierSandboxChunkDialect */
const DossierSandboxChunkDialect _dossier_sandbox_generic_dialect = {
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
};

void
_dossier_sandbox_generic_upload (DossierSandbox        *self,
                                 SoupServerMessage     *msg,
                                 DossierSandboxRequest *ctx)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *id = NULL;
  GPtrArray *parts;

  if ((parts = _dossier_sandbox_require_form (msg, ctx)) == NULL)
    return;

  files = _dossier_sandbox_file_parts (parts, NULL);
  if (files->len == 0)
    {
      _dossier_sandbox_reply_error (msg, "generic", 400, NULL, "The form has no file part");
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

      if (!_dossier_sandbox_keep_part (self, part, "generic", file_key, &error))
        {
          json_builder_end_object (b);
          _dossier_sandbox_reply_error (msg, "generic", 500, NULL, error->message);
          return;
        }
      _dossier_sandbox_register_file (self, key, part->path, _dossier_sandbox_part_content_type (part),
                                      part->filename);
      _dossier_sandbox_record_part (ctx, file_key, part, _dossier_sandbox_part_content_type (part), -1);

      if (i == 0)
        {
          add_stored_members (b, file_key, link, part->size, part->sha256);
          json_builder_set_member_name (b, "fields");
          _dossier_sandbox_add_fields (b, parts);
          json_builder_set_member_name (b, "files");
          json_builder_begin_array (b);
        }

      json_builder_begin_object (b);
      _dossier_sandbox_add_string (b, "name", part->name);
      _dossier_sandbox_add_string (b, "file_name", part->filename);
      add_stored_members (b, file_key, link, part->size, part->sha256);
      json_builder_end_object (b);
    }

  json_builder_end_array (b);
  json_builder_end_object (b);
  _dossier_sandbox_reply_builder (msg, 200, b);
}
