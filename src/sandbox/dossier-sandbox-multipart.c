/* dossier-sandbox-multipart.c: incremental multipart/form-data parser
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser is fed the request body as it arrives, in chunks of any size
 * (a delimiter may be split anywhere).  File parts (those with a filename
 * parameter) go straight to a file in the storage directory while their
 * SHA-256 is computed; plain fields stay in memory, up to a cap.
 */

#define _GNU_SOURCE /* memmem */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dossier-sandbox-multipart-private.h"

#define MAX_HEADER_BLOCK (16 * 1024)
#define MAX_PARTS        256

typedef enum
{
  STATE_PREAMBLE,
  STATE_AFTER_DELIMITER,
  STATE_HEADERS,
  STATE_BODY,
  STATE_EPILOGUE,
} State;

struct _DossierSandboxMultipartParser
{
  char                        *delimiter;        /* "\r\n--" BOUNDARY */
  gsize                        delimiter_len;
  char                        *dir;
  gsize                        field_cap;
  guint64                      file_cap;

  State                        state;
  GByteArray                  *buf;              /* bytes received and not yet consumed */
  GPtrArray                   *parts;            /* DossierSandboxMultipartPart */

  /* the part being read */
  DossierSandboxMultipartPart *current;
  GByteArray                  *field;
  DossierSandboxFileSink      *sink;
  guint8                       utf8_carry[4];
  gsize                        utf8_carry_len;
};

G_DEFINE_QUARK (dossier-sandbox-multipart-error-quark, dossier_sandbox_multipart_error)

static void
part_free (gpointer data)
{
  DossierSandboxMultipartPart *part = data;

  if (part->path != NULL && !part->keep)
    g_unlink (part->path);

  g_free (part->name);
  g_free (part->filename);
  g_free (part->content_type);
  g_clear_pointer (&part->value, g_bytes_unref);
  g_free (part->path);
  g_free (part->sha256);
  g_free (part);
}

/* Parses "type; a=b; c=\"d\"" parameters into a table with lowercase keys;
 * quoted values keep their backslashes (see below).  Returns the leading
 * token (the type) through @type_out.
 */
/* Whether a quote just before @after ends a quoted value: nothing but
 * blanks up to the next parameter or the end */
static gboolean
closes_value (const char *after)
{
  while (*after == ' ' || *after == '\t')
    after++;
  return *after == '\0' || *after == ';';
}

static GHashTable *
parse_params (const char  *value,
              char       **type_out)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = value;
  const char *semi;

  semi = strchr (p, ';');
  if (type_out != NULL)
    {
      g_autofree char *type = semi ? g_strndup (p, semi - p) : g_strdup (p);
      *type_out = g_ascii_strdown (g_strstrip (type), -1);
    }
  if (semi == NULL)
    return g_steal_pointer (&params);
  p = semi + 1;

  while (*p != '\0')
    {
      const char *key_start;
      g_autofree char *key = NULL;
      GString *val;

      while (*p == ' ' || *p == '\t' || *p == ';')
        p++;
      if (*p == '\0')
        break;

      key_start = p;
      while (*p != '\0' && *p != '=' && *p != ';')
        p++;
      key = g_strndup (key_start, p - key_start);
      g_strstrip (key);
      {
        char *lower = g_ascii_strdown (key, -1);
        g_free (key);
        key = lower;
      }

      val = g_string_new (NULL);
      if (*p == '=')
        {
          p++;
          while (*p == ' ' || *p == '\t')
            p++;
          if (*p == '"')
            {
              /* Browsers, curl and Dossier's own encoder
               * (src/core/dossier-multipart.c) send a backslash as it is
               * ("C:\\dir\\x.pdf") and a quote as %22 (RFC 7578 §4.2), so
               * a backslash is an ordinary character here. Only \" and \\
               * are read as quoted-pairs (the older way to escape), and \"
               * only when that quote cannot be the closing one: a name that
               * ends in a backslash must not run on into the next
               * parameter. */
              p++;
              while (*p != '\0' && *p != '"')
                {
                  if (p[0] == '\\' && (p[1] == '\\' || (p[1] == '"' && !closes_value (p + 2))))
                    {
                      g_string_append_c (val, p[1]);
                      p += 2;
                      continue;
                    }
                  g_string_append_c (val, *p);
                  p++;
                }
              if (*p == '"')
                p++;
              while (*p != '\0' && *p != ';')
                p++;
            }
          else
            {
              const char *v = p;
              while (*p != '\0' && *p != ';')
                p++;
              g_string_append_len (val, v, p - v);
              g_strchomp (val->str);
              g_string_set_size (val, strlen (val->str));
            }
        }

      if (*key != '\0' && !g_hash_table_contains (params, key))
        g_hash_table_insert (params, g_steal_pointer (&key), g_string_free (val, FALSE));
      else
        g_string_free (val, TRUE);
    }

  return g_steal_pointer (&params);
}

char *
dossier_sandbox_multipart_get_boundary (const char *content_type)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *type = NULL;
  const char *boundary;

  if (content_type == NULL)
    return NULL;

  params = parse_params (content_type, &type);
  if (!g_str_has_prefix (type, "multipart/"))
    return NULL;

  boundary = g_hash_table_lookup (params, "boundary");
  if (boundary == NULL || *boundary == '\0' || strlen (boundary) > 200)
    return NULL;

  return g_strdup (boundary);
}

/* RFC 7578 4.2 style: %22, %0D and %0A stand for '"', CR and LF.  Other
 * percent signs are kept as they are (a name may well contain "%41").
 */
char *
dossier_sandbox_multipart_decode_filename (const char *raw)
{
  GString *out = g_string_sized_new (strlen (raw));
  const char *p;

  for (p = raw; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] != '\0' && p[2] != '\0')
        {
          if (p[1] == '2' && p[2] == '2')
            {
              g_string_append_c (out, '"');
              p += 2;
              continue;
            }
          if (p[1] == '0' && (p[2] == 'D' || p[2] == 'd'))
            {
              g_string_append_c (out, '\r');
              p += 2;
              continue;
            }
          if (p[1] == '0' && (p[2] == 'A' || p[2] == 'a'))
            {
              g_string_append_c (out, '\n');
              p += 2;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

DossierSandboxMultipartParser *
dossier_sandbox_multipart_parser_new (const char *boundary,
                                      const char *dir,
                                      gsize       field_cap,
                                      guint64     file_cap)
{
  DossierSandboxMultipartParser *self;

  g_return_val_if_fail (boundary != NULL && *boundary != '\0', NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  self = g_new0 (DossierSandboxMultipartParser, 1);
  self->delimiter = g_strconcat ("\r\n--", boundary, NULL);
  self->delimiter_len = strlen (self->delimiter);
  self->dir = g_strdup (dir);
  self->field_cap = field_cap;
  self->file_cap = file_cap ? file_cap : G_MAXUINT64;
  self->state = STATE_PREAMBLE;
  self->buf = g_byte_array_sized_new (64 * 1024);
  self->parts = g_ptr_array_new_with_free_func (part_free);

  /* a body may start with the delimiter without its leading CRLF */
  g_byte_array_append (self->buf, (const guint8 *) "\r\n", 2);

  return self;
}

static void
close_current (DossierSandboxMultipartParser *self)
{
  g_clear_pointer (&self->sink, _dossier_sandbox_file_sink_free);
  g_clear_pointer (&self->field, g_byte_array_unref);
  self->current = NULL;
}

void
dossier_sandbox_multipart_parser_free (DossierSandboxMultipartParser *self)
{
  if (self == NULL)
    return;

  close_current (self);
  g_ptr_array_unref (self->parts);
  g_byte_array_unref (self->buf);
  g_free (self->delimiter);
  g_free (self->dir);
  g_free (self);
}

GPtrArray *
dossier_sandbox_multipart_parser_get_parts (DossierSandboxMultipartParser *self)
{
  return self->parts;
}

const char *
dossier_sandbox_multipart_parser_peek_field (DossierSandboxMultipartParser *self,
                                             const char                    *name)
{
  for (guint i = 0; i < self->parts->len; i++)
    {
      DossierSandboxMultipartPart *part = g_ptr_array_index (self->parts, i);

      if (part->filename == NULL && part->value != NULL && g_strcmp0 (part->name, name) == 0)
        return g_bytes_get_data (part->value, NULL);
    }

  return NULL;
}

static gboolean
begin_part (DossierSandboxMultipartParser *self,
            const char                    *block,
            gsize                          len,
            GError                       **error)
{
  g_autofree char *text = g_strndup (block, len);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) disposition = NULL;
  DossierSandboxMultipartPart *part;
  const char *name;
  const char *filename;

  if (self->parts->len >= MAX_PARTS)
    {
      g_set_error (error, DOSSIER_SANDBOX_MULTIPART_ERROR, DOSSIER_SANDBOX_MULTIPART_ERROR_TOO_MANY_PARTS,
                   "Too many parts in the form (at most %d)", MAX_PARTS);
      return FALSE;
    }

  part = g_new0 (DossierSandboxMultipartPart, 1);
  part->is_text = TRUE;
  g_ptr_array_add (self->parts, part);
  self->current = part;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);
      char *colon = strchr (line, ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      g_strstrip (line);

      if (g_ascii_strcasecmp (line, "Content-Disposition") == 0 && disposition == NULL)
        disposition = parse_params (colon + 1, NULL);
      else if (g_ascii_strcasecmp (line, "Content-Type") == 0 && part->content_type == NULL)
        part->content_type = g_strstrip (g_strdup (colon + 1));
    }

  if (disposition == NULL)
    {
      g_set_error_literal (error, DOSSIER_SANDBOX_MULTIPART_ERROR, DOSSIER_SANDBOX_MULTIPART_ERROR_SYNTAX,
                           "A form part has no Content-Disposition header");
      return FALSE;
    }

  name = g_hash_table_lookup (disposition, "name");
  part->name = dossier_sandbox_multipart_decode_filename (name ? name : "");
  filename = g_hash_table_lookup (disposition, "filename");
  if (filename != NULL)
    part->filename = dossier_sandbox_multipart_decode_filename (filename);

  if (part->filename != NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *base = g_strconcat ("part-", uuid, NULL);
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileOutputStream) fout = NULL;

      part->path = g_build_filename (self->dir, base, NULL);
      file = g_file_new_for_path (part->path);
      fout = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, error);
      if (fout == NULL)
        {
          g_clear_pointer (&part->path, g_free);
          if (error != NULL && *error != NULL)
            {
              (*error)->domain = DOSSIER_SANDBOX_MULTIPART_ERROR;
              (*error)->code = DOSSIER_SANDBOX_MULTIPART_ERROR_IO;
            }
          return FALSE;
        }
      self->sink = _dossier_sandbox_file_sink_new (G_OUTPUT_STREAM (g_steal_pointer (&fout)));
      self->utf8_carry_len = 0;
    }
  else
    {
      self->field = g_byte_array_new ();
    }

  return TRUE;
}

static void
check_text (DossierSandboxMultipartParser *self,
            const guint8                  *data,
            gsize                          len)
{
  DossierSandboxMultipartPart *part = self->current;
  const char *end = NULL;

  if (!part->is_text || len == 0)
    return;

  if (memchr (data, '\0', len) != NULL)
    {
      part->is_text = FALSE;
      return;
    }

  /* complete a sequence split by the previous chunk */
  while (self->utf8_carry_len > 0 && len > 0)
    {
      guint8 lead = self->utf8_carry[0];
      gsize need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

      self->utf8_carry[self->utf8_carry_len++] = *data++;
      len--;
      if (self->utf8_carry_len == need)
        {
          if (!g_utf8_validate_len ((const char *) self->utf8_carry, need, NULL))
            {
              part->is_text = FALSE;
              return;
            }
          self->utf8_carry_len = 0;
        }
    }

  if (len == 0)
    return;

  if (!g_utf8_validate_len ((const char *) data, len, &end))
    {
      gsize rest = len - ((const guint8 *) end - data);
      guint8 lead = (guint8) *end;
      gsize need = lead >= 0xF0 && lead < 0xF5 ? 4 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;

      /* an incomplete but plausible sequence at the very end: carry it */
      if (need > 0 && rest < need)
        {
          gboolean ok = TRUE;

          for (gsize i = 1; i < rest; i++)
            if ((end[i] & 0xC0) != 0x80)
              ok = FALSE;
          if (ok)
            {
              memcpy (self->utf8_carry, end, rest);
              self->utf8_carry_len = rest;
              return;
            }
        }
      part->is_text = FALSE;
    }
}

static gboolean
emit_data (DossierSandboxMultipartParser *self,
           const guint8                  *data,
           gsize                          len,
           GError                       **error)
{
  DossierSandboxMultipartPart *part = self->current;

  if (len == 0 || part == NULL)
    return TRUE;

  if (self->field != NULL)
    {
      if (self->field->len + len > self->field_cap)
        {
          g_set_error (error, DOSSIER_SANDBOX_MULTIPART_ERROR,
                       DOSSIER_SANDBOX_MULTIPART_ERROR_FIELD_TOO_LARGE,
                       "Form field “%s” is larger than %" G_GSIZE_FORMAT " bytes",
                       part->name, self->field_cap);
          return FALSE;
        }
      g_byte_array_append (self->field, data, len);
      return TRUE;
    }

  if (part->head_len < DOSSIER_SANDBOX_MULTIPART_HEAD_SIZE)
    {
      gsize n = MIN (len, DOSSIER_SANDBOX_MULTIPART_HEAD_SIZE - part->head_len);
      memcpy (part->head + part->head_len, data, n);
      part->head_len += n;
    }
  check_text (self, data, len);

  if (!part->truncated)
    {
      gsize n = len;

      if (part->size + len > self->file_cap)
        {
          n = self->file_cap - part->size;
          part->truncated = TRUE;
        }
      if (n > 0)
        {
          _dossier_sandbox_file_sink_write (self->sink, data, n);
        }
    }
  part->size += len;

  return TRUE;
}

static gboolean
end_part (DossierSandboxMultipartParser *self,
          GError                       **error)
{
  DossierSandboxMultipartPart *part = self->current;

  if (part == NULL)
    return TRUE;

  if (self->field != NULL)
    {
      /* keep a NUL after the value so it can be read as a string */
      gsize len = self->field->len;

      g_byte_array_append (self->field, (const guint8 *) "", 1);
      part->value = g_bytes_new_take (g_byte_array_free (g_steal_pointer (&self->field), FALSE), len);
    }
  else
    {
      g_autofree char *sha256 = _dossier_sandbox_file_sink_finish (self->sink, error);

      if (self->utf8_carry_len > 0)
        part->is_text = FALSE;
      if (part->size == 0)
        part->is_text = TRUE;

      if (sha256 == NULL)
        {
          if (error != NULL && *error != NULL)
            {
              (*error)->domain = DOSSIER_SANDBOX_MULTIPART_ERROR;
              (*error)->code = DOSSIER_SANDBOX_MULTIPART_ERROR_IO;
            }
          return FALSE;
        }
      if (!part->truncated)
        part->sha256 = g_steal_pointer (&sha256);
    }

  close_current (self);
  return TRUE;
}

static gboolean
run (DossierSandboxMultipartParser *self,
     GError                       **error)
{
  gsize pos = 0;
  gboolean progress = TRUE;

  while (progress)
    {
      const guint8 *data = self->buf->data + pos;
      gsize len = self->buf->len - pos;

      progress = FALSE;

      switch (self->state)
        {
        case STATE_PREAMBLE:
        case STATE_BODY:
          {
            const guint8 *hit = memmem (data, len, self->delimiter, self->delimiter_len);

            if (hit != NULL)
              {
                if (self->state == STATE_BODY &&
                    !emit_data (self, data, hit - data, error))
                  return FALSE;
                if (self->state == STATE_BODY && !end_part (self, error))
                  return FALSE;
                pos += (hit - data) + self->delimiter_len;
                self->state = STATE_AFTER_DELIMITER;
                progress = TRUE;
              }
            else if (len >= self->delimiter_len)
              {
                /* everything except a possible start of the delimiter */
                gsize safe = len - (self->delimiter_len - 1);
                const guint8 *cr = memchr (data + safe, '\r', len - safe);

                if (cr == NULL)
                  safe = len;
                else
                  safe = cr - data;
                if (self->state == STATE_BODY && !emit_data (self, data, safe, error))
                  return FALSE;
                pos += safe;
              }
          }
          break;

        case STATE_AFTER_DELIMITER:
          {
            gsize i = 0;

            while (i < len && (data[i] == ' ' || data[i] == '\t'))
              i++;
            if (len - i >= 2 && data[i] == '-' && data[i + 1] == '-' && i == 0)
              {
                self->state = STATE_EPILOGUE;
                pos = self->buf->len;
              }
            else if (len - i >= 2 && data[i] == '\r' && data[i + 1] == '\n')
              {
                pos += i + 2;
                self->state = STATE_HEADERS;
                progress = TRUE;
              }
            else if (len - i >= 1 && data[i] == '\n')
              {
                pos += i + 1;
                self->state = STATE_HEADERS;
                progress = TRUE;
              }
            else if (len - i >= 2 || (len - i == 1 && data[i] != '\r' && data[i] != '-'))
              {
                g_set_error_literal (error, DOSSIER_SANDBOX_MULTIPART_ERROR,
                                     DOSSIER_SANDBOX_MULTIPART_ERROR_SYNTAX,
                                     "Malformed multipart body: unexpected bytes after a boundary");
                return FALSE;
              }
          }
          break;

        case STATE_HEADERS:
          {
            const guint8 *end;
            gsize block_len;
            gsize skip;

            if (len >= 2 && data[0] == '\r' && data[1] == '\n')
              {
                block_len = 0;
                skip = 2;
              }
            else if ((end = memmem (data, len, "\r\n\r\n", 4)) != NULL)
              {
                block_len = end - data;
                skip = block_len + 4;
              }
            else
              {
                if (len > MAX_HEADER_BLOCK)
                  {
                    g_set_error_literal (error, DOSSIER_SANDBOX_MULTIPART_ERROR,
                                         DOSSIER_SANDBOX_MULTIPART_ERROR_SYNTAX,
                                         "Malformed multipart body: part headers too long");
                    return FALSE;
                  }
                break;
              }

            if (!begin_part (self, (const char *) data, block_len, error))
              return FALSE;
            pos += skip;
            self->state = STATE_BODY;
            progress = TRUE;
          }
          break;

        case STATE_EPILOGUE:
        default:
          pos = self->buf->len;
          break;
        }
    }

  if (pos > 0)
    g_byte_array_remove_range (self->buf, 0, pos);

  return TRUE;
}

gboolean
dossier_sandbox_multipart_parser_feed (DossierSandboxMultipartParser *self,
                                       const guint8                  *data,
                                       gsize                          len,
                                       GError                       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->state == STATE_EPILOGUE)
    return TRUE;

  g_byte_array_append (self->buf, data, len);
  return run (self, error);
}

gboolean
dossier_sandbox_multipart_parser_finish (DossierSandboxMultipartParser *self,
                                         GError                       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->state != STATE_EPILOGUE)
    {
      close_current (self);
      g_set_error_literal (error, DOSSIER_SANDBOX_MULTIPART_ERROR, DOSSIER_SANDBOX_MULTIPART_ERROR_SYNTAX,
                           "Malformed multipart body: the closing boundary is missing");
      return FALSE;
    }

  return TRUE;
}
