/* dossier-sniff.c: content type from a file's first bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Providers accept documents by type (JPG and PNG only, PDF, ...), and a
 * file's name says little about what it holds: a PNG renamed to .jpg is
 * still a PNG.  These functions look at the first bytes instead, for the
 * handful of types merchants' documents come in.  They do not use the
 * shared-mime-info database so the answer is the same on every system and
 * in the Flatpak sandbox.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-sniff.h"

#define HAS_PREFIX(data, len, magic) \
  ((len) >= sizeof (magic) - 1 && memcmp ((data), (magic), sizeof (magic) - 1) == 0)

#define HAS_AT(data, len, at, magic) \
  ((len) >= (at) + sizeof (magic) - 1 && memcmp ((data) + (at), (magic), sizeof (magic) - 1) == 0)

/* How far into the data "%PDF-" may start: readers accept leading junk. */
#define PDF_SEARCH_SIZE 1024

/* How many records of a text decide whether it is CSV. */
#define CSV_MAX_RECORDS 20

/* -------------------------------------------------------------------------- */
/* MPEG audio                                                                 */
/* -------------------------------------------------------------------------- */

/* Kilobits per second by [row][bitrate index]; rows: MPEG-1 layers I, II,
 * III, then MPEG-2/2.5 layer I, then MPEG-2/2.5 layers II and III.
 */
static const guint16 mpeg_bitrates[5][15] = {
  { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 },
  { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 },
  { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 },
  { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 },
  { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },
};

/* Hertz by [version][sample rate index]; versions as in the header:
 * 0 MPEG-2.5, 1 reserved, 2 MPEG-2, 3 MPEG-1.
 */
static const guint mpeg_sample_rates[4][3] = {
  { 11025, 12000, 8000 },
  { 0, 0, 0 },
  { 22050, 24000, 16000 },
  { 44100, 48000, 32000 },
};

/* The length of the MPEG audio frame whose header is at @data, or 0 if
 * there is no valid frame header there (free-format frames included).
 */
static gsize
mpeg_frame_length (const guint8 *data,
                   gsize         len)
{
  guint version, layer, bitrate_index, rate_index, padding;
  guint row, bitrate, rate;

  if (len < 4 || data[0] != 0xff || (data[1] & 0xe0) != 0xe0)
    return 0;

  version = (data[1] >> 3) & 0x3;
  layer = (data[1] >> 1) & 0x3;     /* 3: layer I, 2: layer II, 1: layer III */
  bitrate_index = data[2] >> 4;
  rate_index = (data[2] >> 2) & 0x3;
  padding = (data[2] >> 1) & 0x1;

  if (version == 1 || layer == 0 || bitrate_index == 0 || bitrate_index == 15 ||
      rate_index == 3)
    return 0;

  if (version == 3)
    row = 3 - layer;
  else
    row = layer == 3 ? 3 : 4;

  bitrate = mpeg_bitrates[row][bitrate_index] * 1000;
  rate = mpeg_sample_rates[version][rate_index];

  if (layer == 3)
    return (12 * bitrate / rate + padding) * 4;
  if (layer == 1 && version != 3)
    return 72 * bitrate / rate + padding;

  return 144 * bitrate / rate + padding;
}

/* A frame header at the start, and another one right after the first frame
 * when the data reaches that far: one header alone is only 11 bits of magic.
 */
static gboolean
is_mpeg_audio (const guint8 *data,
               gsize         len)
{
  gsize frame = mpeg_frame_length (data, len);

  if (frame == 0)
    return FALSE;

  if (len < frame + 4)
    return TRUE;

  return mpeg_frame_length (data + frame, len - frame) != 0;
}

/* -------------------------------------------------------------------------- */
/* Matroska and WebM                                                          */
/* -------------------------------------------------------------------------- */

/* Looks for the DocType element (ID 0x4282) in the EBML header. */
static const char *
ebml_type (const guint8 *data,
           gsize         len)
{
  gsize end = MIN (len, 128);

  for (gsize i = 4; i + 3 <= end; i++)
    {
      gsize size;

      if (data[i] != 0x42 || data[i + 1] != 0x82 || (data[i + 2] & 0x80) == 0)
        continue;

      size = data[i + 2] & 0x7f;
      if (i + 3 + size > len)
        break;

      if (size == 4 && memcmp (data + i + 3, "webm", 4) == 0)
        return "video/webm";

      break;
    }

  return "video/x-matroska";
}

/* -------------------------------------------------------------------------- */
/* Text and CSV                                                               */
/* -------------------------------------------------------------------------- */

/* Valid UTF-8 without NUL or control characters other than the usual white
 * space and escape.  A multibyte character cut by the end of the data (the
 * data may be the first bytes of a longer file) is allowed.
 */
static gboolean
is_text (const guint8 *data,
         gsize         len)
{
  const char *end = NULL;

  if (!g_utf8_validate_len ((const char *) data, len, &end))
    {
      gsize rest = len - (gsize) ((const guint8 *) end - data);

      if (rest >= 4 || *end == '\0' ||
          g_utf8_get_char_validated (end, (gssize) rest) != (gunichar) -2)
        return FALSE;

      len -= rest;
    }

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
          c != '\v' && c != 0x1b)
        return FALSE;
    }

  return TRUE;
}

/* Whether the records of @data split on @separator into the same number of
 * fields, at least two, over at least two records.  Double-quoted fields may
 * hold separators, doubled quotes and line breaks.  A last record that is
 * unfinished (no line break, or an open quote) and short may have been cut
 * by the end of the data, and is not counted.
 */
static gboolean
has_csv_structure (const guint8 *data,
                   gsize         len,
                   char          separator)
{
  guint records = 0;
  guint fields = 1;
  guint expected = 0;
  gboolean in_quotes = FALSE;
  gboolean field_start = TRUE;
  gboolean content = FALSE;

  for (gsize i = 0; i < len && records < CSV_MAX_RECORDS; i++)
    {
      char c = (char) data[i];

      if (in_quotes)
        {
          if (c == '"')
            {
              if (i + 1 < len && data[i + 1] == '"')
                i++;
              else
                in_quotes = FALSE;
            }
          continue;
        }

      if (c == '"' && field_start)
        {
          in_quotes = TRUE;
          field_start = FALSE;
          content = TRUE;
        }
      else if (c == separator)
        {
          fields++;
          field_start = TRUE;
          content = TRUE;
        }
      else if (c == '\r' || c == '\n')
        {
          if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
            i++;

          /* Blank lines do not count. */
          if (content)
            {
              if (expected == 0)
                expected = fields;
              else if (fields != expected)
                return FALSE;
              records++;
            }

          fields = 1;
          field_start = TRUE;
          content = FALSE;
        }
      else
        {
          field_start = FALSE;
          content = TRUE;
        }
    }

  if (records < CSV_MAX_RECORDS && content && !in_quotes)
    {
      if (expected == 0)
        expected = fields;
      else if (fields > expected)
        return FALSE;

      if (fields == expected)
        records++;
    }

  return records >= 2 && expected >= 2;
}

static gboolean
is_csv (const guint8 *data,
        gsize         len)
{
  return has_csv_structure (data, len, ',') || has_csv_structure (data, len, ';');
}

/* -------------------------------------------------------------------------- */
/* Public API                                                                 */
/* -------------------------------------------------------------------------- */

/**
 * dossier_sniff_bytes:
 * @data: (array length=len): the first bytes of a file
 * @len: how many bytes @data holds; %DOSSIER_SNIFF_SIZE are enough
 *
 * Tells the type of a file from its first bytes.
 *
 * Returns: a MIME type: one of image/png, image/jpeg, image/gif, image/webp,
 *   application/pdf, audio/wav, audio/mpeg, audio/mp4, video/mp4,
 *   video/webm, video/x-matroska, video/mpeg, application/zip, text/csv,
 *   text/plain, application/x-empty (no data) or application/octet-stream
 */
const char *
dossier_sniff_bytes (const guint8 *data,
                     gsize         len)
{
  const guint8 *bom_end;

  g_return_val_if_fail (data != NULL || len == 0, "application/octet-stream");

  if (len == 0)
    return "application/x-empty";

  if (HAS_PREFIX (data, len, "\x89PNG\r\n\x1a\n"))
    return "image/png";

  if (HAS_PREFIX (data, len, "\xff\xd8\xff"))
    return "image/jpeg";

  if (HAS_PREFIX (data, len, "GIF87a") || HAS_PREFIX (data, len, "GIF89a"))
    return "image/gif";

  if (HAS_PREFIX (data, len, "RIFF"))
    {
      if (HAS_AT (data, len, 8, "WEBP"))
        return "image/webp";
      if (HAS_AT (data, len, 8, "WAVE"))
        return "audio/wav";
    }

  if (HAS_AT (data, len, 4, "ftyp"))
    {
      if (HAS_AT (data, len, 8, "M4A ") || HAS_AT (data, len, 8, "M4B "))
        return "audio/mp4";
      return "video/mp4";
    }

  if (HAS_PREFIX (data, len, "\x1a\x45\xdf\xa3"))
    return ebml_type (data, len);

  if (HAS_PREFIX (data, len, "\x00\x00\x01\xba") ||
      HAS_PREFIX (data, len, "\x00\x00\x01\xb3"))
    return "video/mpeg";

  if (HAS_PREFIX (data, len, "PK\x03\x04"))
    return "application/zip";

  if (HAS_PREFIX (data, len, "ID3") && len > 3 && data[3] != 0xff)
    return "audio/mpeg";

  if (is_mpeg_audio (data, len))
    return "audio/mpeg";

  if (len >= 5)
    {
      gsize end = MIN (len, PDF_SEARCH_SIZE);

      for (gsize i = 0; i + 5 <= end; i++)
        {
          if (data[i] == '%' && memcmp (data + i, "%PDF-", 5) == 0)
            return "application/pdf";
        }
    }

  if (is_text (data, len))
    {
      bom_end = HAS_PREFIX (data, len, "\xef\xbb\xbf") ? data + 3 : data;

      if (is_csv (bom_end, len - (gsize) (bom_end - data)))
        return "text/csv";

      return "text/plain";
    }

  return "application/octet-stream";
}

/**
 * dossier_sniff_file:
 * @file: a file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads at most the first %DOSSIER_SNIFF_SIZE bytes of @file and tells its
 * type with dossier_sniff_bytes().  Errors are GIO's own
 * (%G_IO_ERROR_NOT_FOUND, %G_IO_ERROR_PERMISSION_DENIED,
 * %G_IO_ERROR_IS_DIRECTORY, ...) so the caller can word them.
 *
 * Returns: (transfer full): the MIME type, or %NULL with @error set
 */
char *
dossier_sniff_file (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileInputStream) input = NULL;
  guint8 buffer[DOSSIER_SNIFF_SIZE];
  gsize n_read = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  input = g_file_read (file, cancellable, error);
  if (input == NULL)
    return NULL;

  if (!g_input_stream_read_all (G_INPUT_STREAM (input), buffer, sizeof buffer,
                                &n_read, cancellable, error))
    return NULL;

  if (!g_input_stream_close (G_INPUT_STREAM (input), cancellable, error))
    return NULL;

  return g_strdup (dossier_sniff_bytes (buffer, n_read));
}

static const struct
{
  const char *mime_type;
  const char *description;
} descriptions[] = {
  { "image/png", N_("PNG image") },
  { "image/jpeg", N_("JPEG image") },
  { "image/jpg", N_("JPEG image") },
  { "image/gif", N_("GIF image") },
  { "image/webp", N_("WebP image") },
  { "application/pdf", N_("PDF document") },
  { "audio/wav", N_("WAV audio") },
  { "audio/x-wav", N_("WAV audio") },
  { "audio/wave", N_("WAV audio") },
  { "audio/mpeg", N_("MP3 audio") },
  { "audio/mp3", N_("MP3 audio") },
  { "audio/mp4", N_("MPEG-4 audio") },
  { "audio/x-m4a", N_("MPEG-4 audio") },
  { "video/mp4", N_("MP4 video") },
  { "video/webm", N_("WebM video") },
  { "video/x-matroska", N_("Matroska video") },
  { "video/mpeg", N_("MPEG video") },
  { "application/zip", N_("ZIP archive") },
  { "application/x-zip-compressed", N_("ZIP archive") },
  { "text/csv", N_("CSV table") },
  { "text/plain", N_("plain text") },
  { "application/x-empty", N_("empty file") },
  { "application/octet-stream", N_("binary file") },
};

/**
 * dossier_sniff_describe:
 * @mime_type: a MIME type, parameters allowed ("text/csv; charset=utf-8")
 *
 * Returns: a short translated name for the type, such as "PNG image" or
 *   "CSV table"; "file" for a type it does not know
 */
const char *
dossier_sniff_describe (const char *mime_type)
{
  gsize len;

  g_return_val_if_fail (mime_type != NULL, _("file"));

  len = strcspn (mime_type, ";");
  while (len > 0 && g_ascii_isspace (mime_type[len - 1]))
    len--;

  for (guint i = 0; i < G_N_ELEMENTS (descriptions); i++)
    {
      if (strlen (descriptions[i].mime_type) == len &&
          g_ascii_strncasecmp (descriptions[i].mime_type, mime_type, len) == 0)
        return _(descriptions[i].description);
    }

  return _("file");
}

static const struct
{
  const char *extension;
  const char *mime_type;
} extensions[] = {
  { "png", "image/png" },
  { "jpg", "image/jpeg" },
  { "jpeg", "image/jpeg" },
  { "gif", "image/gif" },
  { "webp", "image/webp" },
  { "pdf", "application/pdf" },
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
};

/**
 * dossier_sniff_type_for_extension:
 * @extension: a filename extension, with or without the leading dot, in any
 *   case
 *
 * Returns: (nullable): the MIME type files with @extension are expected to
 *   have, or %NULL for an extension it does not know
 */
const char *
dossier_sniff_type_for_extension (const char *extension)
{
  g_return_val_if_fail (extension != NULL, NULL);

  if (extension[0] == '.')
    extension++;

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      if (g_ascii_strcasecmp (extensions[i].extension, extension) == 0)
        return extensions[i].mime_type;
    }

  return NULL;
}
