/* dossier-multipart.c: a streaming multipart/form-data request body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DossierMultipart describes a multipart/form-data body (RFC 7578) made of
 * text fields and slices of files, and opens it as a GInputStream that yields
 * the body byte by byte without ever holding a file in memory.  libsoup's own
 * SoupMultipart joins every part into one buffer, which is not acceptable for
 * documents of hundreds of megabytes.
 *
 * The body is laid out as follows, parts in the order they were added:
 *
 *   --BOUNDARY\r\n
 *   Content-Disposition: form-data; name="NAME"[; filename="FILENAME"]\r\n
 *   [Content-Type: TYPE\r\n]
 *   \r\n
 *   DATA\r\n
 *   ...
 *   --BOUNDARY--\r\n
 *
 * The closing delimiter ends with CRLF: libsoup's parser rejects a body
 * without it.
 *
 * Field values are body content and are sent as they are.  They are not
 * checked for the boundary: dossier_multipart_new() picks 128 random bits, so
 * a value cannot contain it by chance, and values are not chosen by whoever
 * could guess the boundary.  Only dossier_multipart_new_with_boundary(), meant
 * for tests, lets the caller pick a boundary that could collide.
 *
 * The length of the body is known in advance (dossier_multipart_get_length()
 * stats the files) so the request can carry an exact Content-Length.  The
 * stream sends exactly that many bytes: if a file turns out shorter than it
 * was when its length was taken, the read fails instead of sending a wrong
 * body, and bytes a file gained in the meantime are not sent.
 *
 * Every call to dossier_multipart_open() returns a new stream, because
 * libsoup consumes a request body with CLOSE_SOURCE and cannot rewind it
 * when a message restarts.
 */


#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-multipart-private.h"
#include "dossier-types.h"

#define DEFAULT_CONTENT_TYPE "application/octet-stream"

/* -------------------------------------------------------------------------- */
/* The body description                                                       */
/* -------------------------------------------------------------------------- */

typedef struct
{
  GBytes  *headers;          /* "--B\r\nContent-Disposition: ...\r\n\r\n" */
  GBytes  *value;            /* a field's value; NULL for a file */
  GFile   *file;
  char    *display_name;
  goffset  offset;
  goffset  length;           /* as asked: -1 is to the end of the file */
  goffset  resolved_length;  /* as found by the last get_length, or -1 */
} Part;

struct _DossierMultipart
{
  GObject    parent_instance;

  char      *boundary;
  char      *content_type;
  GPtrArray *parts;          /* of Part */
};

G_DEFINE_FINAL_TYPE (DossierMultipart, dossier_multipart, G_TYPE_OBJECT)

static void
part_free (gpointer data)
{
  Part *part = data;

  g_clear_pointer (&part->headers, g_bytes_unref);
  g_clear_pointer (&part->value, g_bytes_unref);
  g_clear_object (&part->file);
  g_clear_pointer (&part->display_name, g_free);
  g_free (part);
}

static void
dossier_multipart_finalize (GObject *object)
{
  DossierMultipart *self = DOSSIER_MULTIPART (object);

  g_clear_pointer (&self->boundary, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->parts, g_ptr_array_unref);

  G_OBJECT_CLASS (dossier_multipart_parent_class)->finalize (object);
}

static void
dossier_multipart_class_init (DossierMultipartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_multipart_finalize;
}

static void
dossier_multipart_init (DossierMultipart *self)
{
  self->parts = g_ptr_array_new_with_free_func (part_free);
}

/* RFC 2046 §5.1.1: 1 to 70 characters from bchars, not ending with a space.
 * The set is narrowed to what needs no quoting in the Content-Type parameter.
 */
static gboolean
boundary_is_valid (const char *boundary)
{
  gsize len = strlen (boundary);

  if (len == 0 || len > 70)
    return FALSE;

  for (const char *p = boundary; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("'+_-.", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

/**
 * dossier_multipart_new_with_boundary:
 * @boundary: 1 to 70 characters among letters, digits and `'+_-.`
 *
 * Creates an empty body with a chosen boundary.  Meant for tests; use
 * dossier_multipart_new() otherwise.
 *
 * Returns: (transfer full): a new #DossierMultipart
 */
DossierMultipart *
dossier_multipart_new_with_boundary (const char *boundary)
{
  DossierMultipart *self;

  g_return_val_if_fail (boundary != NULL, NULL);
  g_return_val_if_fail (boundary_is_valid (boundary), NULL);

  self = g_object_new (DOSSIER_TYPE_MULTIPART, NULL);
  self->boundary = g_strdup (boundary);
  self->content_type = g_strdup_printf ("multipart/form-data; boundary=%s", boundary);

  return self;
}

/**
 * dossier_multipart_new:
 *
 * Creates an empty body with a random boundary: "dossier-" and 128 random
 * bits in hexadecimal, which does not occur in a document by chance.
 *
 * Returns: (transfer full): a new #DossierMultipart
 */
DossierMultipart *
dossier_multipart_new (void)
{
  char boundary[8 + 32 + 1];

  g_snprintf (boundary, sizeof boundary, "dossier-%08x%08x%08x%08x",
              g_random_int (), g_random_int (), g_random_int (), g_random_int ());

  return dossier_multipart_new_with_boundary (boundary);
}

const char *
dossier_multipart_get_boundary (DossierMultipart *self)
{
  g_return_val_if_fail (DOSSIER_IS_MULTIPART (self), NULL);

  return self->boundary;
}

/**
 * dossier_multipart_get_content_type:
 * @self: a #DossierMultipart
 *
 * Returns: the value for the request's Content-Type header,
 *   "multipart/form-data; boundary=..."
 */
const char *
dossier_multipart_get_content_type (DossierMultipart *self)
{
  g_return_val_if_fail (DOSSIER_IS_MULTIPART (self), NULL);

  return self->content_type;
}

/**
 * dossier_multipart_escape_value:
 * @value: a name or filename
 *
 * Escapes a value for a quoted name= or filename= parameter the way RFC 7578
 * §4.2 allows and curl (7.81 and later) does: `"` becomes `%22`, CR `%0D` and
 * LF `%0A`; every other byte is kept, non-ASCII as UTF-8.  Invalid UTF-8 is
 * first made valid with U+FFFD replacement characters.  `filename*` (RFC
 * 5987) is not used: RFC 7578 forbids it.
 *
 * A file name that is not UTF-8 (bytes from an old archive, "ktp-\xff.png")
 * is sent the way people see it in Dossier and in the history:
 * g_filename_display_name() gives "ktp-\uFFFD.png" and this keeps it.  Its
 * raw bytes percent-encoded ("ktp-%FF.png") are not sent: RFC 7578 says the
 * value is UTF-8 and lets a receiver decode percent escapes or not, so a
 * provider would show "%FF" as it is, or decode it back into invalid UTF-8.
 *
 * Returns: (transfer full): the escaped value
 */
char *
dossier_multipart_escape_value (const char *value)
{
  g_autofree char *valid = NULL;
  GString *escaped;

  g_return_val_if_fail (value != NULL, NULL);

  valid = g_utf8_make_valid (value, -1);
  escaped = g_string_sized_new (strlen (valid) + 8);

  for (const char *p = valid; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (escaped, "%22");
          break;

        case '\r':
          g_string_append (escaped, "%0D");
          break;

        case '\n':
          g_string_append (escaped, "%0A");
          break;

        default:
          g_string_append_c (escaped, *p);
          break;
        }
    }

  return g_string_free (escaped, FALSE);
}

static gboolean
content_type_is_safe (const char *content_type)
{
  if (content_type[0] == '\0')
    return FALSE;

  for (const char *p = content_type; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || (guchar) *p >= 0x7f)
        return FALSE;
    }

  return TRUE;
}

static GBytes *
build_headers (DossierMultipart *self,
               const char       *name,
               const char       *filename,
               const char       *content_type)
{
  g_autofree char *escaped_name = dossier_multipart_escape_value (name);
  GString *headers = g_string_new (NULL);

  g_string_append_printf (headers,
                          "--%s\r\n"
                          "Content-Disposition: form-data; name=\"%s\"",
                          self->boundary, escaped_name);

  if (filename != NULL)
    {
      g_autofree char *escaped_filename = dossier_multipart_escape_value (filename);

      g_string_append_printf (headers, "; filename=\"%s\"", escaped_filename);
    }

  g_string_append (headers, "\r\n");

  if (content_type != NULL)
    g_string_append_printf (headers, "Content-Type: %s\r\n", content_type);

  g_string_append (headers, "\r\n");

  return g_string_free_to_bytes (headers);
}

/**
 * dossier_multipart_add_field:
 * @self: a #DossierMultipart
 * @name: the field's name
 * @value: the field's value, sent as it is
 *
 * Adds a text field, without Content-Type.
 */
void
dossier_multipart_add_field (DossierMultipart *self,
                             const char       *name,
                             const char       *value)
{
  Part *part;

  g_return_if_fail (DOSSIER_IS_MULTIPART (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  part = g_new0 (Part, 1);
  part->headers = build_headers (self, name, NULL, NULL);
  part->value = g_bytes_new (value, strlen (value));
  part->length = part->resolved_length = (goffset) strlen (value);
  g_ptr_array_add (self->parts, part);
}

/**
 * dossier_multipart_add_file:
 * @self: a #DossierMultipart
 * @name: the field's name
 * @file: the file to send
 * @filename: (nullable): the filename parameter; %NULL for @file's basename
 * @content_type: (nullable): the part's Content-Type; %NULL for
 *   application/octet-stream
 * @offset: where the slice to send starts in @file
 * @length: how many bytes to send, or -1 for all up to the end of @file
 *
 * Adds a file part.  The file is neither opened nor read here: its size is
 * taken by dossier_multipart_get_length() and it is read while the stream
 * returned by dossier_multipart_open() is.
 */
void
dossier_multipart_add_file (DossierMultipart *self,
                            const char       *name,
                            GFile            *file,
                            const char       *filename,
                            const char       *content_type,
                            goffset           offset,
                            goffset           length)
{
  g_autofree char *basename = NULL;
  Part *part;

  g_return_if_fail (DOSSIER_IS_MULTIPART (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (offset >= 0);
  g_return_if_fail (length >= -1);

  if (filename == NULL)
    filename = basename = g_file_get_basename (file);
  if (filename == NULL)
    filename = "";

  if (content_type == NULL || !content_type_is_safe (content_type))
    content_type = DEFAULT_CONTENT_TYPE;

  part = g_new0 (Part, 1);
  part->headers = build_headers (self, name, filename, content_type);
  part->file = g_object_ref (file);
  part->display_name = g_utf8_make_valid (filename, -1);
  part->offset = offset;
  part->length = length;
  part->resolved_length = -1;
  g_ptr_array_add (self->parts, part);
}

static gsize
closing_length (DossierMultipart *self)
{
  /* "--" B "--\r\n" */
  return strlen (self->boundary) + 6;
}

/* How many bytes of a file of @size the slice of @part covers. */
static gboolean
resolve_length (Part     *part,
                goffset   size,
                goffset  *resolved,
                GError  **error)
{
  if (part->offset > size ||
      (part->length >= 0 && part->length > size - part->offset))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” is shorter than expected; it may have changed"),
                   part->display_name);
      return FALSE;
    }

  *resolved = part->length >= 0 ? part->length : size - part->offset;

  return TRUE;
}

/**
 * dossier_multipart_get_length:
 * @self: a #DossierMultipart
 * @error: return location for a #GError
 *
 * Computes the exact length of the body, for Content-Length.  Takes the size
 * of every file whose part runs to its end; the streams opened afterwards
 * yield exactly that many bytes (or fail if a file has shrunk).
 *
 * Returns: the length in bytes, or -1 with @error set if a file cannot be
 *   queried or is shorter than its slice
 */
goffset
dossier_multipart_get_length (DossierMultipart  *self,
                              GError           **error)
{
  goffset total = 0;

  g_return_val_if_fail (DOSSIER_IS_MULTIPART (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  for (guint i = 0; i < self->parts->len; i++)
    {
      Part *part = g_ptr_array_index (self->parts, i);

      if (part->file != NULL)
        {
          g_autoptr(GFileInfo) info = NULL;
          goffset resolved;

          info = g_file_query_info (part->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                    G_FILE_QUERY_INFO_NONE, NULL, error);
          if (info == NULL)
            return -1;

          if (!resolve_length (part, g_file_info_get_size (info), &resolved, error))
            return -1;

          part->resolved_length = resolved;
        }

      total += (goffset) g_bytes_get_size (part->headers) + part->resolved_length + 2;
    }

  return total + (goffset) closing_length (self);
}

static gboolean
open_file_segment (Part                     *part,
                   DossierMultipartSegment  *segment,
                   GCancellable             *cancellable,
                   GError                  **error)
{
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) info = NULL;
  goffset resolved;

  input = g_file_read (part->file, cancellable, error);
  if (input == NULL)
    return FALSE;

  info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, error);
  if (info == NULL)
    return FALSE;

  if (!resolve_length (part, g_file_info_get_size (info), &resolved, error))
    return FALSE;

  /* Keep to what get_length() promised, if it was asked. */
  if (part->resolved_length >= 0)
    {
      if (part->resolved_length > resolved)
        {
          _dossier_multipart_set_changed_error (error, part->display_name);
          return FALSE;
        }
      resolved = part->resolved_length;
    }

  if (part->offset > 0)
    {
      if (g_seekable_can_seek (G_SEEKABLE (input)))
        {
          if (!g_seekable_seek (G_SEEKABLE (input), part->offset, G_SEEK_SET,
                                cancellable, error))
            return FALSE;
        }
      else
        {
          gsize skipped = 0;

          /* g_input_stream_skip() takes a gsize, which may be 32-bit. */
          while ((goffset) skipped < part->offset)
            {
              gssize n = g_input_stream_skip (G_INPUT_STREAM (input),
                                              (gsize) MIN (part->offset - (goffset) skipped,
                                                           G_MAXSSIZE),
                                              cancellable, error);
              if (n < 0)
                return FALSE;
              if (n == 0)
                {
                  _dossier_multipart_set_changed_error (error, part->display_name);
                  return FALSE;
                }
              skipped += (gsize) n;
            }
        }
    }

  segment->file = g_object_ref (part->file);
  segment->display_name = g_strdup (part->display_name);
  segment->length = resolved;
  segment->input = G_INPUT_STREAM (g_steal_pointer (&input));

  return TRUE;
}

/**
 * dossier_multipart_open:
 * @self: a #DossierMultipart
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the files and returns a new stream that yields the whole body.  Call
 * it again for every attempt to send: a stream cannot be rewound.  The
 * stream does not depend on @self afterwards; closing it closes the files.
 *
 * Reading the stream fails with %G_IO_ERROR_FAILED if a file turns out
 * shorter than the length it had when dossier_multipart_get_length() (or,
 * if that was not called, this function) looked at it.
 *
 * Returns: (transfer full): the body stream, or %NULL with @error set
 */
GInputStream *
dossier_multipart_open (DossierMultipart  *self,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(DossierMultipartStream) stream = NULL;
  g_autoptr(GString) pending = NULL;

  g_return_val_if_fail (DOSSIER_IS_MULTIPART (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = _dossier_multipart_stream_new ();
  pending = g_string_new (NULL);

  for (guint i = 0; i < self->parts->len; i++)
    {
      Part *part = g_ptr_array_index (self->parts, i);
      gsize headers_len;
      const char *headers = g_bytes_get_data (part->headers, &headers_len);

      g_string_append_len (pending, headers, (gssize) headers_len);

      if (part->file == NULL)
        {
          gsize value_len;
          const char *value = g_bytes_get_data (part->value, &value_len);

          g_string_append_len (pending, value, (gssize) value_len);
        }
      else
        {
          DossierMultipartSegment segment = { 0, };

          if (!open_file_segment (part, &segment, cancellable, error))
            {
              _dossier_multipart_segment_clear (&segment);
              g_input_stream_close (G_INPUT_STREAM (stream), NULL, NULL);
              return NULL;
            }

          _dossier_multipart_stream_add_bytes (stream, pending);
          _dossier_multipart_stream_add_segment (stream, &segment);
        }

      g_string_append (pending, "\r\n");
    }

  g_string_append_printf (pending, "--%s--\r\n", self->boundary);
  _dossier_multipart_stream_add_bytes (stream, pending);

  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

