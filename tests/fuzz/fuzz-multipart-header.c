/* fuzz-multipart-header.c: the core's part headers, read by the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a field name, a field value and a file name, separated by NUL
 * bytes. The core writes a multipart body with them; the invariants: no
 * header line holds a CR or LF of the input (the header cannot be split or
 * a part injected), the body is exactly as long as announced, and the
 * sandbox's parser reads back the same names and value (names as valid
 * UTF-8, the only change the encoder makes, except where the name itself
 * contains the sequences %22, %0D or %0A, which RFC 7578 §4.2 encoding
 * cannot tell apart from an encoded quote, CR or LF, or two backslashes,
 * which the sandbox reads as an escaped one, as quoted-string parsers do).
 */

#include "config.h"

#include <string.h>

#include "dossier-multipart.h"
#include "dossier-sandbox-multipart-private.h"

#include "fuzz-util.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char *dir;
static GFile *file;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  dossier_fuzz_init ();
  dir = dossier_fuzz_scratch_dir ();
  path = g_build_filename (dir, "file.bin", NULL);
  if (!g_file_set_contents (path, "\r\n--fuzz\r\nfile bytes", -1, &error))
    g_error ("%s", error->message);
  file = g_file_new_for_path (path);

  return 0;
}

static gboolean
ambiguous (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return strstr (lower, "%22") != NULL || strstr (lower, "%0d") != NULL ||
         strstr (lower, "%0a") != NULL || strstr (lower, "\\\\") != NULL;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const guint8 *end = data + size;
  const guint8 *nul1 = memchr (data, '\0', size);
  const guint8 *nul2 = nul1 != NULL ? memchr (nul1 + 1, '\0', end - nul1 - 1) : NULL;
  /* name \0 value \0 filename (g_strndup stops at a further NUL) */
  g_autofree char *name = g_strndup ((const char *) data, nul1 != NULL ? (gsize) (nul1 - data) : size);
  g_autofree char *value = nul1 != NULL ? g_strndup ((const char *) nul1 + 1, end - nul1 - 1) : g_strdup ("");
  g_autofree char *filename = nul2 != NULL ? g_strndup ((const char *) nul2 + 1, end - nul2 - 1) : g_strdup ("");
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  g_autoptr(DossierSandboxMultipartParser) parser = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *valid_name = NULL;
  GPtrArray *parts;
  goffset length;
  guint8 buffer[4096];
  gssize got;

  /* the escaped form never holds a quote, CR or LF */
  escaped = dossier_multipart_escape_value (filename);
  g_assert_null (strpbrk (escaped, "\"\r\n"));
  g_assert_true (g_utf8_validate (escaped, -1, NULL));

  dossier_multipart_add_field (multipart, name, value);
  dossier_multipart_add_file (multipart, "file", file, filename, "application/octet-stream", 0, -1);

  length = dossier_multipart_get_length (multipart, &error);
  g_assert_no_error (error);
  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  while ((got = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (body, buffer, got);
  g_assert_no_error (error);
  g_assert_cmpint (body->len, ==, length);

  /* every part's header block (from its delimiter to the blank line) has
   * CR and LF only as CRLF line ends: nothing from the input split a line */
  {
    g_autofree char *delimiter = g_strconcat ("--", dossier_multipart_get_boundary (multipart), "\r\n", NULL);
    const char *text = (const char *) body->data;
    const char *text_end = text + body->len;
    const char *at = text;
    guint n_blocks = 0;

    while ((at = g_strstr_len (at, text_end - at, delimiter)) != NULL)
      {
        const char *block = at + strlen (delimiter);
        const char *block_end = g_strstr_len (block, text_end - block, "\r\n\r\n");

        g_assert_nonnull (block_end);
        for (const char *p = block; p < block_end; p++)
          {
            if (*p == '\r')
              g_assert_true (p[1] == '\n');
            if (*p == '\n')
              g_assert_true (p > block && p[-1] == '\r');
          }
        n_blocks++;
        at = block_end;
      }
    g_assert_cmpuint (n_blocks, ==, 2);
  }

  parser = dossier_sandbox_multipart_parser_new (dossier_multipart_get_boundary (multipart), dir, 1 << 20, 1 << 20);
  g_assert_true (dossier_sandbox_multipart_parser_feed (parser, body->data, body->len, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_sandbox_multipart_parser_finish (parser, &error));
  g_assert_no_error (error);

  parts = dossier_sandbox_multipart_parser_get_parts (parser);
  g_assert_cmpuint (parts->len, ==, 2);

  valid_name = g_utf8_make_valid (name, -1);
  if (!ambiguous (valid_name))
    g_assert_cmpstr (((DossierSandboxMultipartPart *) g_ptr_array_index (parts, 0))->name, ==, valid_name);
  g_assert_cmpmem (g_bytes_get_data (((DossierSandboxMultipartPart *) g_ptr_array_index (parts, 0))->value, NULL),
                   g_bytes_get_size (((DossierSandboxMultipartPart *) g_ptr_array_index (parts, 0))->value),
                   value, strlen (value));
  {
    g_autofree char *valid = g_utf8_make_valid (filename, -1);
    DossierSandboxMultipartPart *part = g_ptr_array_index (parts, 1);

    if (!ambiguous (valid))
      g_assert_cmpstr (part->filename, ==, valid);
    g_assert_cmpuint (part->size, ==, strlen ("\r\n--fuzz\r\nfile bytes"));
  }

  return 0;
}
