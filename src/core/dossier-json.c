/* dossier-json.c: reading JSON from outside, within bounds
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every JSON text that comes from outside the program (a provider's answer,
 * a token answer, a descriptor in the user's folder, a history line or the
 * queue file that may have been damaged) goes through dossier_json_load():
 * a size bound, then one cheap pass that counts nesting, then json-glib.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-json-private.h"

G_DEFINE_QUARK (dossier-json-error-quark, dossier_json_error)

/**
 * dossier_json_check_depth:
 * @data: JSON text (need not be nul-terminated)
 * @length: its length in bytes
 * @max_depth: how many arrays and objects may nest
 *
 * Counts how deeply arrays and objects nest, without building anything.
 * Brackets inside double-quoted strings are skipped (a backslash escapes the
 * next byte, as in json-glib's scanner).
 *
 * The count must never be lower than what json-glib would recurse into, so
 * what json-glib 1.6's scanner accepts beyond JSON and would hide from a
 * simple scan (single-quoted strings, `#` and C comments) is refused here:
 * no JSON document contains a `'`, `#` or `/` outside a string. Neither
 * does it hold a second value after its array or object: json-glib 1.6
 * takes the last of "{…}{…}" and leaks the ones before, so a hostile
 * answer made of many would leak memory.
 *
 * Returns: %TRUE if the nesting is within @max_depth
 */
gboolean
dossier_json_check_depth (const char  *data,
                          gsize        length,
                          guint        max_depth,
                          GError     **error)
{
  const char *p = data;
  const char *end = data + length;
  guint depth = 0;
  guint line = 1;
  gboolean closed = FALSE;   /* the top-level array or object has ended */

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  while (p < end)
    {
      char c = *p++;

      if (closed && c != ' ' && c != '\t' && c != '\r' && c != '\n')
        {
          g_set_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_INVALID,
                       _("not valid JSON: more than one value, the second on line %u"), line);
          return FALSE;
        }

      switch (c)
        {
        case '"':
          /* a string: up to the next unescaped quote */
          while (p < end && *p != '"')
            {
              if (*p == '\\')
                p++;
              else if (*p == '\n')
                line++;
              p++;
            }
          p++;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_TOO_DEEP,
                           /* Translators: JSON arrays and objects inside each other */
                           _("nested too deeply (over %u levels)"), max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0 && --depth == 0)
            closed = TRUE;
          break;

        case '\'':
        case '#':
        case '/':
          g_set_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_INVALID,
                       _("not valid JSON: “%c” outside a string on line %u"), c, line);
          return FALSE;

        case '\n':
          line++;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

/**
 * dossier_json_load:
 * @parser: the parser to load into
 * @data: JSON text
 * @length: its length in bytes, or -1 if nul-terminated
 * @max_size: the most bytes that may be read (0: no limit beyond the depth)
 *
 * json_parser_load_from_data() within bounds: refuses a text longer than
 * @max_size and one that nests deeper than %DOSSIER_JSON_MAX_DEPTH before
 * json-glib sees it.
 *
 * Returns: %TRUE if @parser holds the document; %FALSE with @error in
 *   %DOSSIER_JSON_ERROR (bounds) or %JSON_PARSER_ERROR (syntax)
 */
gboolean
dossier_json_load (JsonParser  *parser,
                   const char  *data,
                   gssize       length,
                   gsize        max_size,
                   GError     **error)
{
  gsize len;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  len = length < 0 ? strlen (data) : (gsize) length;

  if (max_size > 0 && len > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);

      g_set_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_TOO_LARGE,
                   /* Translators: "too large (more than 1.0 MB)" */
                   _("too large (more than %s)"), limit);
      return FALSE;
    }

  if (!dossier_json_check_depth (data, len, DOSSIER_JSON_MAX_DEPTH, error))
    return FALSE;

  return json_parser_load_from_data (parser, len > 0 ? data : "", (gssize) len, error);
}

/* -------------------------------------------------------------------------- */
/* Members of Dossier's own files                                             */

const char *
_dossier_json_get_string (JsonObject *object,
                          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
_dossier_json_dup_string (JsonObject *object,
                          const char *member)
{
  return g_strdup (_dossier_json_get_string (object, member));
}

gboolean
_dossier_json_read_time (JsonObject  *object,
                         const char  *member,
                         GDateTime  **out)
{
  const char *text = _dossier_json_get_string (object, member);
  g_autoptr(GDateTime) time = NULL;

  *out = NULL;
  if (text == NULL)
    return FALSE;

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return FALSE;

  *out = g_date_time_to_utc (time);
  return TRUE;
}

void
_dossier_json_add_string (JsonBuilder *builder,
                          const char  *name,
                          const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
_dossier_json_add_time (JsonBuilder *builder,
                        const char  *name,
                        GDateTime   *time)
{
  g_autofree char *text = NULL;

  if (time == NULL)
    return;
  text = g_date_time_format_iso8601 (time);
  _dossier_json_add_string (builder, name, text);
}
