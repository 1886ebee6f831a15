/* test-multipart.c: the streaming multipart/form-data body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "dossier-multipart.h"

#include "dossier-test-util.h"

/* -------------------------------------------------------------------------- */
/* Helpers                                                                    */
/* -------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *files;   /* of GFile, deleted at teardown */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->files = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  for (guint i = 0; i < fixture->files->len; i++)
    g_file_delete (g_ptr_array_index (fixture->files, i), NULL, NULL);

  g_clear_pointer (&fixture->files, g_ptr_array_unref);
}

/* A temporary file holding @len bytes of @data, owned by @fixture. */
static GFile *
make_file (Fixture    *fixture,
           const void *data,
           gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  GFile *file;
  gboolean ok;

  file = g_file_new_tmp ("dossier-test-multipart-XXXXXX", &io, &error);
  g_assert_no_error (error);
  g_ptr_array_add (fixture->files, file);

  ok = g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (io)),
                                  data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  ok = g_io_stream_close (G_IO_STREAM (io), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  return file;
}

/* Deterministic bytes that are not periodic over short distances. */
static guint8 *
make_data (gsize len)
{
  guint8 *data = g_malloc (len);
  guint32 x = 2463534242u;

  for (gsize i = 0; i < len; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (guint8) x;
    }

  return data;
}

/* One read of at most @count bytes into @buffer, kept in @array; %FALSE at
 * the end. */
static gboolean
keep_read (GByteArray   *array,
           const guint8 *buffer,
           gssize        n,
           gsize         count,
           const GError *error)
{
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 0);
  g_assert_cmpint (n, <=, (gssize) count);
  if (n == 0)
    return FALSE;
  g_byte_array_append (array, buffer, (guint) n);
  return TRUE;
}

/* Reads @stream to its end in reads of at most @chunk bytes. */
static GBytes *
read_stream (GInputStream *stream,
             gsize         chunk)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (chunk);
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, chunk, NULL, &error);

      if (!keep_read (array, buffer, n, chunk, error))
        break;
    }

  g_input_stream_close (stream, NULL, &error);
  g_assert_no_error (error);

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/* Opens @multipart, reads it all and checks that get_length was exact. */
static GBytes *
read_body (DossierMultipart *multipart,
           gsize             chunk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  GBytes *body;
  goffset length;

  length = dossier_multipart_get_length (multipart, &error);
  g_assert_no_error (error);

  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stream);

  body = read_stream (stream, chunk);
  g_assert_cmpint (length, ==, (goffset) g_bytes_get_size (body));

  return body;
}

static void
assert_bytes_equal (GBytes     *bytes,
                    const char *expected,
                    gsize       expected_len)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpmem (data, len, expected, expected_len);
}

/* -------------------------------------------------------------------------- */
/* Tests                                                                      */
/* -------------------------------------------------------------------------- */

static const char expected_layout[] =
  "--XyZ-boundary\r\n"
  "Content-Disposition: form-data; name=\"purpose\"\r\n"
  "\r\n"
  "identity_document\r\n"
  "--XyZ-boundary\r\n"
  "Content-Disposition: form-data; name=\"note\"\r\n"
  "\r\n"
  "\r\n"
  "--XyZ-boundary\r\n"
  "Content-Disposition: form-data; name=\"file\"; filename=\"ktp.png\"\r\n"
  "Content-Type: image/png\r\n"
  "\r\n"
  "\x89PNG\r\n\x1a\nnot really\r\n"
  "--XyZ-boundary\r\n"
  "Content-Disposition: form-data; name=\"multi\"\r\n"
  "\r\n"
  "line one\r\nline two\r\n"
  "--XyZ-boundary\r\n"
  "Content-Disposition: form-data; name=\"other\"; filename=\"raw.bin\"\r\n"
  "Content-Type: application/octet-stream\r\n"
  "\r\n"
  "PNG\r\n"
  "--XyZ-boundary--\r\n";

static DossierMultipart *
make_layout_multipart (Fixture *fixture)
{
  static const char png[] = "\x89PNG\r\n\x1a\nnot really";
  DossierMultipart *multipart;
  GFile *file;

  file = make_file (fixture, png, sizeof png - 1);

  multipart = dossier_multipart_new_with_boundary ("XyZ-boundary");
  dossier_multipart_add_field (multipart, "purpose", "identity_document");
  dossier_multipart_add_field (multipart, "note", "");
  dossier_multipart_add_file (multipart, "file", file, "ktp.png", "image/png", 0, -1);
  dossier_multipart_add_field (multipart, "multi", "line one\r\nline two");
  /* bytes 1 to 3 of the same file, no content type */
  dossier_multipart_add_file (multipart, "other", file, "raw.bin", NULL, 1, 3);

  return multipart;
}

static void
test_layout (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(DossierMultipart) multipart = make_layout_multipart (fixture);
  static const gsize chunks[] = { 1, 7, 64, 65536 };

  g_assert_cmpstr (dossier_multipart_get_boundary (multipart), ==, "XyZ-boundary");
  g_assert_cmpstr (dossier_multipart_get_content_type (multipart), ==,
                   "multipart/form-data; boundary=XyZ-boundary");

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(GBytes) body = read_body (multipart, chunks[i]);

      assert_bytes_equal (body, expected_layout, sizeof expected_layout - 1);
    }
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new_with_boundary ("b");
  g_autoptr(GBytes) body = read_body (multipart, 4096);

  assert_bytes_equal (body, "--b--\r\n", 7);
}

static void
test_random_boundary (void)
{
  g_autoptr(DossierMultipart) a = dossier_multipart_new ();
  g_autoptr(DossierMultipart) b = dossier_multipart_new ();
  g_autofree char *content_type = NULL;
  const char *boundary = dossier_multipart_get_boundary (a);

  g_assert_true (g_str_has_prefix (boundary, "dossier-"));
  g_assert_cmpuint (strlen (boundary), ==, 8 + 32);
  for (const char *p = boundary + 8; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p));

  g_assert_cmpstr (boundary, !=, dossier_multipart_get_boundary (b));

  content_type = g_strconcat ("multipart/form-data; boundary=", boundary, NULL);
  g_assert_cmpstr (dossier_multipart_get_content_type (a), ==, content_type);
}

/* The file's bytes come through whole, and sliced, for a file bigger than
 * any buffer on the way.
 */
static void
test_large_and_slices (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const gsize size = 3 * 1024 * 1024 + 17;
  g_autofree guint8 *data = make_data (size);
  GFile *file = make_file (fixture, data, size);
  static const struct { goffset offset, length; } slices[] = {
    { 0, -1 },
    { 0, 0 },
    { 0, 1 },
    { 1024 * 1024, 1024 * 1024 },
    { 12345, -1 },
    { 3 * 1024 * 1024 + 17, -1 },   /* empty slice at the very end */
    { 3 * 1024 * 1024 + 16, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (slices); i++)
    {
      g_autoptr(DossierMultipart) multipart = dossier_multipart_new_with_boundary ("s");
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GString) expected = g_string_new (NULL);
      goffset length = slices[i].length >= 0 ? slices[i].length
                                             : (goffset) size - slices[i].offset;

      dossier_multipart_add_field (multipart, "chunk", "1");
      dossier_multipart_add_file (multipart, "data", file, "big.bin", "application/pdf",
                                  slices[i].offset, slices[i].length);

      g_string_append (expected,
                       "--s\r\nContent-Disposition: form-data; name=\"chunk\"\r\n\r\n1\r\n"
                       "--s\r\nContent-Disposition: form-data; name=\"data\"; "
                       "filename=\"big.bin\"\r\nContent-Type: application/pdf\r\n\r\n");
      g_string_append_len (expected, (const char *) data + slices[i].offset, (gssize) length);
      g_string_append (expected, "\r\n--s--\r\n");

      body = read_body (multipart, 100000);
      assert_bytes_equal (body, expected->str, expected->len);

      g_clear_pointer (&body, g_bytes_unref);
      body = read_body (multipart, 8192);
      assert_bytes_equal (body, expected->str, expected->len);
    }
}

/* Several file parts, empty files and empty values; lengths stay exact. */
static void
test_several_parts (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree guint8 *data = make_data (200000);
  GFile *small = make_file (fixture, "abc", 3);
  GFile *empty = make_file (fixture, "", 0);
  GFile *medium = make_file (fixture, data, 200000);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  g_autoptr(GBytes) body = NULL;
  const char *boundary = dossier_multipart_get_boundary (multipart);
  g_autofree char *closing = g_strdup_printf ("\r\n--%s--\r\n", boundary);
  gsize len;
  const char *text;

  dossier_multipart_add_file (multipart, "a", small, "a.txt", "text/plain", 0, -1);
  dossier_multipart_add_field (multipart, "", "");
  dossier_multipart_add_file (multipart, "b", empty, "empty", NULL, 0, -1);
  dossier_multipart_add_file (multipart, "c", medium, "m.bin", NULL, 100, 150000);
  dossier_multipart_add_file (multipart, "d", medium, NULL, NULL, 0, -1);
  dossier_multipart_add_field (multipart, "e", "last");

  body = read_body (multipart, 4093);
  text = g_bytes_get_data (body, &len);
  g_assert_cmpuint (len, >, 350000);
  g_assert_cmpmem (text + len - strlen (closing), strlen (closing), closing, strlen (closing));
}

static void
test_escape (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain.pdf", "plain.pdf" },
    { "", "" },
    { "say \"hi\".pdf", "say %22hi%22.pdf" },
    { "two\r\nlines.pdf", "two%0D%0Alines.pdf" },
    { "back\\slash.pdf", "back\\slash.pdf" },
    { "100% sure;a=b.pdf", "100% sure;a=b.pdf" },
    { "Akta pendirian — PT Maju.pdf", "Akta pendirian — PT Maju.pdf" },
    { "bad\xff\xfe.pdf", "bad\xef\xbf\xbd\xef\xbf\xbd.pdf" },
    { "\"\r\n", "%22%0D%0A" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = dossier_multipart_escape_value (cases[i].in);

      g_assert_cmpstr (escaped, ==, cases[i].out);
      g_assert_true (g_utf8_validate (escaped, -1, NULL));
    }
}

static const struct
{
  const char *name;
  const char *filename;
  const char *escaped_name;
  const char *escaped_filename;
} odd_names[] = {
  { "file", "say \"hi\".pdf", "file", "say %22hi%22.pdf" },
  { "na\"me", "two\r\nlines.pdf", "na%22me", "two%0D%0Alines.pdf" },
  { "file", "Akta pendirian — PT Maju.pdf", "file", "Akta pendirian — PT Maju.pdf" },
  { "file", "bad\xff.pdf", "file", "bad\xef\xbf\xbd.pdf" },
  { "file", "C:\\Users\\ktp.jpg", "file", "C:\\Users\\ktp.jpg" },
};

/* The escaped names appear in the headers, byte for byte. */
static void
test_odd_filenames (Fixture       *fixture,
                    gconstpointer  user_data)
{
  GFile *file = make_file (fixture, "data", 4);

  for (guint i = 0; i < G_N_ELEMENTS (odd_names); i++)
    {
      g_autoptr(DossierMultipart) multipart = dossier_multipart_new_with_boundary ("odd");
      g_autoptr(GBytes) body = NULL;
      g_autofree char *expected = NULL;

      dossier_multipart_add_file (multipart, odd_names[i].name, file,
                                  odd_names[i].filename, "application/pdf", 0, -1);

      expected = g_strdup_printf ("--odd\r\n"
                                  "Content-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                                  "Content-Type: application/pdf\r\n"
                                  "\r\n"
                                  "data\r\n"
                                  "--odd--\r\n",
                                  odd_names[i].escaped_name, odd_names[i].escaped_filename);

      body = read_body (multipart, 4096);
      assert_bytes_equal (body, expected, strlen (expected));
    }
}

/* A stream cannot be rewound; every open gives a new one with the same
 * bytes, also while an earlier one is still open.
 */
static void
test_reopen (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(DossierMultipart) multipart = make_layout_multipart (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) first = NULL;
  g_autoptr(GInputStream) second = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  guint8 byte;

  first = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (first, &byte, 1, NULL, &error), ==, 1);
  g_assert_no_error (error);

  second = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first != second);

  b = read_stream (second, 5);
  a = read_stream (first, 4096);

  g_assert_cmpuint (g_bytes_get_size (a) + 1, ==, g_bytes_get_size (b));
  assert_bytes_equal (b, expected_layout, sizeof expected_layout - 1);
  g_assert_cmpint (byte, ==, '-');
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   expected_layout + 1, sizeof expected_layout - 2);
}

/* libsoup's own parser takes the body apart into the parts we put in. */
static void
test_soup_parses (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree guint8 *data = make_data (70000);
  GFile *file = make_file (fixture, data, 70000);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMultipart *parsed;
  guint n_fields = 2;

  dossier_multipart_add_field (multipart, "purpose", "identity_document");
  dossier_multipart_add_field (multipart, "note", "two\r\nlines, and \"quotes\"");
  for (guint i = 0; i < G_N_ELEMENTS (odd_names); i++)
    dossier_multipart_add_file (multipart, odd_names[i].name, file, odd_names[i].filename,
                                i == 0 ? NULL : "image/jpeg", i * 1000, 50000);

  body = read_body (multipart, 8192);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (headers, "Content-Type",
                                dossier_multipart_get_content_type (multipart));

  parsed = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (parsed);
  g_assert_cmpint (soup_multipart_get_length (parsed), ==, n_fields + G_N_ELEMENTS (odd_names));

  for (int i = 0; i < soup_multipart_get_length (parsed); i++)
    {
      SoupMessageHeaders *part_headers = NULL;
      GBytes *part_body = NULL;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;

      g_assert_true (soup_multipart_get_part (parsed, i, &part_headers, &part_body));
      g_assert_true (soup_message_headers_get_content_disposition (part_headers,
                                                                   &disposition, &params));
      g_assert_cmpstr (disposition, ==, "form-data");

      if (i == 0)
        {
          g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "purpose");
          g_assert_false (g_hash_table_contains (params, "filename"));
          g_assert_null (soup_message_headers_get_one (part_headers, "Content-Type"));
          g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body),
                           "identity_document", 17);
        }
      else if (i == 1)
        {
          const char *value = "two\r\nlines, and \"quotes\"";

          g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "note");
          g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body),
                           value, strlen (value));
        }
      else
        {
          guint j = (guint) i - n_fields;
          g_autoptr(GString) filename = g_string_new (NULL);

          /* libsoup reads the parameter as an RFC 2616 quoted-string and so
           * drops backslashes; curl and browsers send them unescaped, and
           * form-data parsers (RFC 7578) keep them.
           */
          for (const char *p = odd_names[j].escaped_filename; *p != '\0'; p++)
            {
              if (*p != '\\')
                g_string_append_c (filename, *p);
            }
          g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, filename->str);

          g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, odd_names[j].escaped_name);
          g_assert_cmpstr (soup_message_headers_get_one (part_headers, "Content-Type"), ==,
                           j == 0 ? "application/octet-stream" : "image/jpeg");
          g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body),
                           data + j * 1000, 50000);
        }
    }

  soup_multipart_free (parsed);
}

static void
truncate_file (GFile  *file,
               goffset size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileIOStream) io = NULL;

  /* In place, so that a stream already open sees the change. */
  io = g_file_open_readwrite (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_seekable_truncate (G_SEEKABLE (io), size, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_io_stream_close (G_IO_STREAM (io), NULL, &error));
  g_assert_no_error (error);
}

static void
append_to_file (GFile      *file,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (out), text, strlen (text),
                                            NULL, NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_no_error (error);
}

/* @multipart can neither be measured nor opened: both fail with @code */
static void
assert_unreadable (DossierMultipart *multipart,
                   GIOErrorEnum      code)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (dossier_multipart_get_length (multipart, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, code);
  g_clear_error (&error);
  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_null (stream);
}

/* A file that shrinks while it is being sent fails the read; one that
 * shrank before fails the open; nothing beyond the promised length is sent.
 */
static void
test_changed_file (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Bigger than what the stream reads ahead, so the change is seen. */
  const gsize size = 2 * 1024 * 1024;
  g_autofree guint8 *data = make_data (size);
  GFile *file = make_file (fixture, data, size);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new_with_boundary ("t");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint8 buffer[4096];
  goffset length;
  gssize n;
  gsize total = 0;

  dossier_multipart_add_file (multipart, "file", file, "Akta — PT Maju.pdf", NULL, 0, -1);
  length = dossier_multipart_get_length (multipart, &error);
  g_assert_no_error (error);

  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);

  /* Shrinks after the first bytes went out. */
  n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, sizeof buffer);
  truncate_file (file, 10000);

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error)) > 0)
    total += (gsize) n;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "“Akta — PT Maju.pdf” changed while it was being sent");
  g_assert_cmpint (n, ==, -1);
  g_assert_cmpuint (sizeof buffer + total, <, (gsize) length);
  g_clear_error (&error);
  g_clear_object (&stream);

  /* Shrank before the stream was opened. */
  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "“Akta — PT Maju.pdf” changed while it was being sent");
  g_assert_null (stream);
  g_clear_error (&error);

  /* A new length is taken: the new size is what is sent. */
  g_assert_cmpint (dossier_multipart_get_length (multipart, &error), ==, length - (goffset) size + 10000);
  g_assert_no_error (error);

  /* Grows after the length was taken: only the promised bytes go. */
  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  append_to_file (file, "appended after the length was taken");
  body = read_stream (stream, 4096);
  g_assert_cmpuint (g_bytes_get_size (body), ==, length - (goffset) size + 10000);
  g_clear_object (&stream);
  g_clear_pointer (&body, g_bytes_unref);

  /* A slice past the (new) end cannot even be measured. */
  g_clear_object (&multipart);
  multipart = dossier_multipart_new_with_boundary ("t");
  dossier_multipart_add_file (multipart, "file", file, "x.pdf", NULL, 10000, 100000);
  assert_unreadable (multipart, G_IO_ERROR_FAILED);
}

static void
test_growing_file (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GFile *file = make_file (fixture, "0123456789", 10);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new_with_boundary ("g");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  static const char expected[] =
    "--g\r\nContent-Disposition: form-data; name=\"f\"; filename=\"n\"\r\n"
    "Content-Type: text/plain\r\n\r\n0123456789\r\n--g--\r\n";

  dossier_multipart_add_file (multipart, "f", file, "n", "text/plain", 0, -1);
  g_assert_cmpint (dossier_multipart_get_length (multipart, &error), ==, sizeof expected - 1);
  g_assert_no_error (error);

  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  append_to_file (file, "more");

  body = read_stream (stream, 3);
  assert_bytes_equal (body, expected, sizeof expected - 1);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-dossier-dir/missing.pdf");
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();

  dossier_multipart_add_file (multipart, "file", file, NULL, NULL, 0, -1);
  assert_unreadable (multipart, G_IO_ERROR_NOT_FOUND);
}

static void
test_skip (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(DossierMultipart) multipart = make_layout_multipart (fixture);
  static const gsize skips[] = { 0, 1, 50, 120, 200, 250, sizeof expected_layout - 1, 100000 };

  for (guint i = 0; i < G_N_ELEMENTS (skips); i++)
    {
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) rest = NULL;
      gsize skip = MIN (skips[i], sizeof expected_layout - 1);
      gssize skipped;

      stream = dossier_multipart_open (multipart, NULL, &error);
      g_assert_no_error (error);

      skipped = g_input_stream_skip (stream, skips[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (skipped, ==, (gssize) skip);

      rest = read_stream (stream, 9);
      assert_bytes_equal (rest, expected_layout + skip, sizeof expected_layout - 1 - skip);
    }
}

/* libsoup writes the body with g_output_stream_splice_async(). */
static void
test_splice_async (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const gsize size = 3 * 1024 * 1024 + 5;
  g_autofree guint8 *data = make_data (size);
  GFile *file = make_file (fixture, data, size);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) spliced = NULL;
  gssize n;

  dossier_multipart_add_field (multipart, "a", "b");
  dossier_multipart_add_file (multipart, "file", file, "big.pdf", "application/pdf", 0, -1);
  dossier_multipart_add_file (multipart, "slice", file, "big.pdf", "application/pdf", 7, 300000);
  expected = read_body (multipart, 65536);

  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  out = g_memory_output_stream_new_resizable ();

  g_output_stream_splice_async (out, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, dossier_test_keep_result_cb,
                                &result);
  n = g_output_stream_splice_finish (out, dossier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, (gssize) g_bytes_get_size (expected));
  g_assert_true (g_input_stream_is_closed (stream));

  spliced = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_bytes_equal (spliced, expected));
}

/* Asynchronous reads of odd sizes, mixed with synchronous ones, and a
 * failure reported through read_finish.
 */
static void
test_read_async (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree guint8 *data = make_data (1500000);
  GFile *file = make_file (fixture, data, 1500000);
  g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GByteArray) got = g_byte_array_new ();
  guint8 buffer[10007];
  guint round = 0;

  dossier_multipart_add_file (multipart, "file", file, "f.bin", NULL, 0, -1);
  expected = read_body (multipart, 65536);

  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);

  for (;;)
    {
      gsize count = 1 + (round * 7919) % sizeof buffer;
      gssize n;

      if (round++ % 3 == 2)
        {
          n = g_input_stream_read (stream, buffer, count, NULL, &error);
        }
      else
        {
          g_autoptr(GAsyncResult) result = NULL;

          g_input_stream_read_async (stream, buffer, count, G_PRIORITY_DEFAULT, NULL,
                                     dossier_test_keep_result_cb, &result);
          n = g_input_stream_read_finish (stream, dossier_test_wait_result (&result), &error);
        }

      if (!keep_read (got, buffer, n, count, error))
        break;
    }

  g_assert_cmpmem (got->data, got->len,
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_clear_object (&stream);

  /* A shrunk file fails the asynchronous read too. */
  stream = dossier_multipart_open (multipart, NULL, &error);
  g_assert_no_error (error);
  truncate_file (file, 1000);

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      gssize n;

      g_input_stream_read_async (stream, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                                 dossier_test_keep_result_cb, &result);
      n = g_input_stream_read_finish (stream, dossier_test_wait_result (&result), &error);
      if (n <= 0)
        break;
    }

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/multipart/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("layout", test_layout);
  ADD ("empty", test_empty);
  g_test_add_func ("/multipart/random-boundary", test_random_boundary);
  ADD ("large-and-slices", test_large_and_slices);
  ADD ("several-parts", test_several_parts);
  g_test_add_func ("/multipart/escape", test_escape);
  ADD ("odd-filenames", test_odd_filenames);
  ADD ("reopen", test_reopen);
  ADD ("soup-parses", test_soup_parses);
  ADD ("changed-file", test_changed_file);
  ADD ("growing-file", test_growing_file);
  g_test_add_func ("/multipart/missing-file", test_missing_file);
  ADD ("skip", test_skip);
  ADD ("splice-async", test_splice_async);
  ADD ("read-async", test_read_async);

#undef ADD

  return g_test_run ();
}
