/* fuzz-sandbox-multipart.c: the sandbox's multipart/form-data parser
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte giving the size of the pieces the body arrives in (as
 * libsoup's got-chunk would hand them over), then the body with the
 * boundary "fuzzBOUNDARY". The parser must accept or refuse, never crash,
 * and keep its promises about the parts.
 */

#include "config.h"

#include <string.h>

#include "dossier-sandbox-multipart-private.h"

#include "fuzz-util.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char *dir;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  dossier_fuzz_init ();
  dir = dossier_fuzz_scratch_dir ();

  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DossierSandboxMultipartParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = NULL;
  gsize piece;
  gboolean ok = TRUE;

  if (size < 1)
    return 0;

  /* the boundary as the sandbox reads it from a Content-Type */
  boundary = dossier_sandbox_multipart_get_boundary ("multipart/form-data; boundary=\"fuzzBOUNDARY\"");
  g_assert_cmpstr (boundary, ==, "fuzzBOUNDARY");

  piece = data[0] + 1;
  data++;
  size--;

  parser = dossier_sandbox_multipart_parser_new (boundary, dir, 4096, 64 * 1024);
  for (gsize at = 0; ok && at < size; at += piece)
    ok = dossier_sandbox_multipart_parser_feed (parser, data + at, MIN (piece, size - at), &error);
  if (ok)
    ok = dossier_sandbox_multipart_parser_finish (parser, &error);

  if (!ok)
    g_assert_nonnull (error);
  else
    {
      GPtrArray *parts = dossier_sandbox_multipart_parser_get_parts (parser);

      g_assert_no_error (error);
      for (guint i = 0; i < parts->len; i++)
        {
          DossierSandboxMultipartPart *part = g_ptr_array_index (parts, i);

          g_assert_nonnull (part->name);
          g_assert_cmpuint (part->head_len, <=, DOSSIER_SANDBOX_MULTIPART_HEAD_SIZE);
          if (part->filename != NULL)
            {
              g_assert_true (part->truncated || part->sha256 != NULL);
              g_assert_true (part->truncated || part->size <= 64 * 1024);
            }
          else
            g_assert_true (part->value != NULL);
        }
    }

  return 0;
}
