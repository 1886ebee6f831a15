/* test-sniff.c: content type from a file's first bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "dossier-sniff.h"

#define SNIFF(literal) dossier_sniff_bytes ((const guint8 *) (literal), sizeof (literal) - 1)

static void
test_images (void)
{
  g_assert_cmpstr (SNIFF ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), ==, "image/png");
  g_assert_cmpstr (SNIFF ("\xff\xd8\xff\xe0\0\x10JFIF\0"), ==, "image/jpeg");
  g_assert_cmpstr (SNIFF ("\xff\xd8\xff\xe1\0\x10" "Exif\0"), ==, "image/jpeg");
  g_assert_cmpstr (SNIFF ("GIF87a\x01\0\x01\0"), ==, "image/gif");
  g_assert_cmpstr (SNIFF ("GIF89a\x01\0\x01\0"), ==, "image/gif");
  g_assert_cmpstr (SNIFF ("RIFF\x24\0\0\0WEBPVP8 "), ==, "image/webp");

  /* Too short or damaged signatures. */
  g_assert_cmpstr (SNIFF ("\x89PNG\r\n"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("\xff\xd8"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("GIF88a"), ==, "text/plain");
}

static void
test_documents (void)
{
  g_autoptr(GString) late = g_string_new (NULL);
  g_autoptr(GString) too_late = g_string_new (NULL);

  g_assert_cmpstr (SNIFF ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), ==, "application/pdf");
  g_assert_cmpstr (SNIFF ("%PDF-"), ==, "application/pdf");
  g_assert_cmpstr (SNIFF ("%PDF"), ==, "text/plain");

  /* Junk before the header, as some scanners write. */
  for (guint i = 0; i < 1019; i++)
    g_string_append_c (late, (char) (0x80 | (i & 0x7f)));
  g_string_append (late, "%PDF-1.4\n");
  g_assert_cmpstr (dossier_sniff_bytes ((const guint8 *) late->str, late->len), ==,
                   "application/pdf");

  for (guint i = 0; i < 1020; i++)
    g_string_append_c (too_late, 'x');
  g_string_append (too_late, "%PDF-1.4\n");
  g_assert_cmpstr (dossier_sniff_bytes ((const guint8 *) too_late->str, too_late->len), ==,
                   "text/plain");

  g_assert_cmpstr (SNIFF ("PK\x03\x04\x14\0\0\0\x08\0"), ==, "application/zip");
}

/* Two MPEG-1 layer III frames at 128 kbit/s and 44.1 kHz: 417 bytes each. */
static guint8 *
make_mp3 (gsize *len,
          gsize  second_header_at)
{
  guint8 *data;

  *len = 417 * 2;
  data = g_malloc0 (*len);
  memcpy (data, "\xff\xfb\x90\x64", 4);
  memcpy (data + second_header_at, "\xff\xfb\x90\x64", 4);

  return data;
}

static void
test_audio_video (void)
{
  g_autofree guint8 *mp3 = NULL;
  g_autofree guint8 *bad_mp3 = NULL;
  gsize len;

  g_assert_cmpstr (SNIFF ("RIFF\x24\x08\0\0WAVEfmt "), ==, "audio/wav");
  g_assert_cmpstr (SNIFF ("RIFF\x24\x08\0\0AVI LIST"), ==, "application/octet-stream");

  g_assert_cmpstr (SNIFF ("ID3\x04\0\0\0\0\x02\x01TIT2"), ==, "audio/mpeg");

  mp3 = make_mp3 (&len, 417);
  g_assert_cmpstr (dossier_sniff_bytes (mp3, len), ==, "audio/mpeg");
  /* The first header only, when the data ends before the second frame. */
  g_assert_cmpstr (dossier_sniff_bytes (mp3, 100), ==, "audio/mpeg");
  /* No second frame where the first one says it ends. */
  bad_mp3 = make_mp3 (&len, 400);
  g_assert_cmpstr (dossier_sniff_bytes (bad_mp3, len), ==, "application/octet-stream");
  /* Reserved layer (ADTS AAC), reserved version, bad bitrate, bad rate. */
  g_assert_cmpstr (SNIFF ("\xff\xf1\x50\x80\0\0\0\0"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("\xff\xeb\x90\x64\0\0\0\0"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("\xff\xfb\xf0\x64\0\0\0\0"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("\xff\xfb\x9c\x64\0\0\0\0"), ==, "application/octet-stream");
  /* MPEG-2 layer III, 64 kbit/s at 22.05 kHz: 72 * 64000 / 22050 = 208. */
  {
    guint8 frames[420] = { 0, };

    memcpy (frames, "\xff\xf3\x80\xc4", 4);
    memcpy (frames + 208, "\xff\xf3\x80\xc4", 4);
    g_assert_cmpstr (dossier_sniff_bytes (frames, sizeof frames), ==, "audio/mpeg");
  }

  g_assert_cmpstr (SNIFF ("\0\0\0\x20" "ftypisom\0\0\x02\0isomiso2avc1mp41"), ==, "video/mp4");
  g_assert_cmpstr (SNIFF ("\0\0\0\x18" "ftypmp42\0\0\0\0mp42isom"), ==, "video/mp4");
  g_assert_cmpstr (SNIFF ("\0\0\0\x20" "ftypM4A \0\0\x02\0M4A mp42isom"), ==, "audio/mp4");
  g_assert_cmpstr (SNIFF ("\0\0\0\x20" "ftypM4B \0\0\x02\0M4B mp42isom"), ==, "audio/mp4");

  g_assert_cmpstr (SNIFF ("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
                          "\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04"), ==, "video/webm");
  g_assert_cmpstr (SNIFF ("\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
                          "\x42\xf3\x81\x08\x42\x82\x88matroska\x42\x87\x81\x04"),
                   ==, "video/x-matroska");
  g_assert_cmpstr (SNIFF ("\x1a\x45\xdf\xa3"), ==, "video/x-matroska");

  g_assert_cmpstr (SNIFF ("\0\0\x01\xba\x44\0\x04\0\x04\x01"), ==, "video/mpeg");
  g_assert_cmpstr (SNIFF ("\0\0\x01\xb3\x16\0\xf0\xc4"), ==, "video/mpeg");
  g_assert_cmpstr (SNIFF ("\0\0\x01\xb5"), ==, "application/octet-stream");
}

static void
test_text_and_csv (void)
{
  g_autoptr(GString) long_csv = g_string_new ("id,name,amount\n");

  /* CSV: comma or semicolon, quoted fields, CRLF, BOM, blank lines. */
  g_assert_cmpstr (SNIFF ("id,name,amount\n1,Toko Maju,10000\n2,CV Jaya,25000\n"), ==, "text/csv");
  g_assert_cmpstr (SNIFF ("id;naam;bedrag\r\n1;Toko;10,50\r\n2;Warung;7,25\r\n"), ==, "text/csv");
  g_assert_cmpstr (SNIFF ("\xef\xbb\xbfnpwp,nama\n01.234,\"PT \"\"Maju\"\", Tbk\"\n"
                          "02.345,\"multi\nline\"\n\n03.456,Ok"), ==, "text/csv");
  g_assert_cmpstr (SNIFF ("a,b\n1,2"), ==, "text/csv");

  /* Text: prose, a single line, an uneven structure, Indonesian. */
  g_assert_cmpstr (SNIFF ("Hello, world.\nThis is a letter, with commas, here and there.\n"),
                   ==, "text/plain");
  g_assert_cmpstr (SNIFF ("a,b,c\n"), ==, "text/plain");
  g_assert_cmpstr (SNIFF ("a,b,c\n1,2\n3,4,5\n"), ==, "text/plain");
  g_assert_cmpstr (SNIFF ("single\nwords\n"), ==, "text/plain");
  g_assert_cmpstr (SNIFF ("Surat keterangan domisili — Jl. Merdeka № 5\n"), ==, "text/plain");
  g_assert_cmpstr (SNIFF ("tab\tseparated\nis\tplain\n"), ==, "text/plain");

  /* A multibyte character cut by the end of the data is still text. */
  g_assert_cmpstr (SNIFF ("Jl. Merdeka \xe2\x80"), ==, "text/plain");

  /* Not text: NUL, invalid UTF-8, control characters. */
  g_assert_cmpstr (SNIFF ("text\0with nul"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("latin-1 caf\xe9 au lait"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("bell\x07"), ==, "application/octet-stream");

  /* A long CSV cut in the middle of a record by the sniffing size. */
  for (guint i = 0; long_csv->len < 2 * DOSSIER_SNIFF_SIZE; i++)
    g_string_append_printf (long_csv, "%u,\"Merchant %u, Jakarta\",%u\n", i, i, i * 1000);
  g_assert_cmpstr (dossier_sniff_bytes ((const guint8 *) long_csv->str, 4000), ==, "text/csv");
  g_assert_cmpstr (dossier_sniff_bytes ((const guint8 *) long_csv->str, 4001), ==, "text/csv");
  g_assert_cmpstr (dossier_sniff_bytes ((const guint8 *) long_csv->str, 4002), ==, "text/csv");
}

static void
test_empty_and_unknown (void)
{
  g_assert_cmpstr (dossier_sniff_bytes (NULL, 0), ==, "application/x-empty");
  g_assert_cmpstr (SNIFF (""), ==, "application/x-empty");
  g_assert_cmpstr (SNIFF ("\x7f" "ELF\x02\x01\x01\0"), ==, "application/octet-stream");
  g_assert_cmpstr (SNIFF ("\0"), ==, "application/octet-stream");
}

static GFile *
write_file (const char *dir,
            const char *name,
            const void *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
test_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-test-sniff-XXXXXX", &error);
  g_autoptr(GFile) png = NULL;
  g_autoptr(GFile) empty = NULL;
  g_autoptr(GFile) big = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autofree guint8 *big_data = g_malloc (100000);
  char *type;

  g_assert_no_error (error);

  /* The name says JPEG, the bytes say PNG. */
  png = write_file (dir, "ktp.jpg", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  type = dossier_sniff_file (png, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/png");
  g_free (type);

  empty = write_file (dir, "empty.pdf", "", 0);
  type = dossier_sniff_file (empty, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "application/x-empty");
  g_free (type);

  /* Only the start is read: the rest of this file is not text. */
  memset (big_data, 'a', 100000);
  memcpy (big_data, "a,b\n1,2\n", 8);
  big_data[50000] = '\0';
  big = write_file (dir, "big.csv", big_data, 100000);
  type = dossier_sniff_file (big, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "text/csv");
  g_free (type);

  directory = g_file_new_for_path (dir);
  type = dossier_sniff_file (directory, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_null (type);
  g_clear_error (&error);

  missing = g_file_get_child (directory, "missing.png");
  type = dossier_sniff_file (missing, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (type);
  g_clear_error (&error);

  g_file_delete (png, NULL, &error);
  g_assert_no_error (error);
  g_file_delete (empty, NULL, &error);
  g_assert_no_error (error);
  g_file_delete (big, NULL, &error);
  g_assert_no_error (error);
  g_file_delete (directory, NULL, &error);
  g_assert_no_error (error);
}

static void
test_describe (void)
{
  g_assert_cmpstr (dossier_sniff_describe ("image/png"), ==, "PNG image");
  g_assert_cmpstr (dossier_sniff_describe ("image/jpeg"), ==, "JPEG image");
  g_assert_cmpstr (dossier_sniff_describe ("application/pdf"), ==, "PDF document");
  g_assert_cmpstr (dossier_sniff_describe ("text/csv"), ==, "CSV table");
  g_assert_cmpstr (dossier_sniff_describe ("text/csv; charset=utf-8"), ==, "CSV table");
  g_assert_cmpstr (dossier_sniff_describe ("IMAGE/PNG"), ==, "PNG image");
  g_assert_cmpstr (dossier_sniff_describe ("application/x-empty"), ==, "empty file");
  g_assert_cmpstr (dossier_sniff_describe ("application/x-unknown"), ==, "file");
  g_assert_cmpstr (dossier_sniff_describe ("image/pn"), ==, "file");

  /* Every type the sniffer returns has a name of its own. */
  {
    static const char *types[] = {
      "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf",
      "audio/wav", "audio/mpeg", "audio/mp4", "video/mp4", "video/webm",
      "video/x-matroska", "video/mpeg", "application/zip", "text/csv",
      "text/plain", "application/x-empty", "application/octet-stream",
    };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      g_assert_cmpstr (dossier_sniff_describe (types[i]), !=, "file");
  }
}

static void
test_extensions (void)
{
  static const struct { const char *extension, *type; } cases[] = {
    { "png", "image/png" },
    { "jpg", "image/jpeg" },
    { "JPEG", "image/jpeg" },
    { ".Jpg", "image/jpeg" },
    { "gif", "image/gif" },
    { "webp", "image/webp" },
    { "pdf", "application/pdf" },
    { "PDF", "application/pdf" },
    { "wav", "audio/wav" },
    { "mp3", "audio/mpeg" },
    { "mpga", "audio/mpeg" },
    { "m4a", "audio/mp4" },
    { "mp4", "video/mp4" },
    { "webm", "video/webm" },
    { "mpeg", "video/mpeg" },
    { "mpg", "video/mpeg" },
    { "csv", "text/csv" },
    { "txt", "text/plain" },
    { "zip", "application/zip" },
    { "exe", NULL },
    { "", NULL },
    { "pn", NULL },
    { "pngx", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (dossier_sniff_type_for_extension (cases[i].extension), ==, cases[i].type);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sniff/images", test_images);
  g_test_add_func ("/sniff/documents", test_documents);
  g_test_add_func ("/sniff/audio-video", test_audio_video);
  g_test_add_func ("/sniff/text-and-csv", test_text_and_csv);
  g_test_add_func ("/sniff/empty-and-unknown", test_empty_and_unknown);
  g_test_add_func ("/sniff/files", test_files);
  g_test_add_func ("/sniff/describe", test_describe);
  g_test_add_func ("/sniff/extensions", test_extensions);

  return g_test_run ();
}
