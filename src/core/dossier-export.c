/* dossier-export.c: the audit export, the record of uploads as CSV, JSON
 * and a printable HTML summary
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dossier-checklist.h"
#include "dossier-export.h"
#include "dossier-util.h"

/* The columns every row has, in this order; then account.NAME and
 * document.NAME for every value any exported upload carries */
static const char * const fixed_columns[] = {
  "finished_at", "merchant_id", "merchant_name", "provider_id", "provider_name",
  "environment", "file_name", "size", "sha256", "success", "outcome",
  "http_status", "remote_id", "remote_status", "link", "link_expires",
  "message", "request_id", "requirement_id", "upload",
};

gboolean
dossier_export_parse_format (const char          *text,
                             DossierExportFormat *format)
{
  if (g_strcmp0 (text, "csv") == 0)
    *format = DOSSIER_EXPORT_CSV;
  else if (g_strcmp0 (text, "json") == 0)
    *format = DOSSIER_EXPORT_JSON;
  else if (g_strcmp0 (text, "html") == 0)
    *format = DOSSIER_EXPORT_HTML;
  else
    return FALSE;
  return TRUE;
}

GPtrArray *
dossier_export_select (GListModel *history,
                       const char *merchant_id,
                       GDateTime  *from,
                       GDateTime  *to)
{
  GPtrArray *selected = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (history), selected);

  n = g_list_model_get_n_items (history);
  /* newest first in the model: oldest first in the export */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (history, i - 1);
      GDateTime *when = dossier_history_entry_get_finished_at (entry);

      if (merchant_id != NULL
          && g_strcmp0 (dossier_history_entry_get_merchant_id (entry), merchant_id) != 0)
        continue;
      if (from != NULL && (when == NULL || g_date_time_compare (when, from) < 0))
        continue;
      if (to != NULL && (when == NULL || g_date_time_compare (when, to) >= 0))
        continue;
      g_ptr_array_add (selected, g_steal_pointer (&entry));
    }

  return selected;
}

/* -------------------------------------------------------------------------- */
/* One row                                                                    */

static void
redact_object (JsonObject    *object,
               DossierRedact *redact)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_OBJECT (node))
        redact_object (json_node_get_object (node), redact);
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *clean = dossier_redact_apply_data (redact, json_node_get_string (node));

          json_object_set_string_member (object, l->data, clean);
        }
    }
}

/* The upload as a JSON object: its record, the merchant's name, every
 * string through the redactor */
static JsonObject *
entry_object (const DossierExportOptions *options,
              DossierHistoryEntry        *entry)
{
  g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);
  JsonObject *object = json_object_ref (json_node_get_object (node));
  const char *merchant_id = dossier_history_entry_get_merchant_id (entry);
  const char *name = NULL;

  if (merchant_id != NULL && options->merchant_names != NULL)
    name = g_hash_table_lookup (options->merchant_names, merchant_id);
  if (name == NULL && merchant_id != NULL && options->merchant != NULL
      && g_strcmp0 (dossier_merchant_get_id (options->merchant), merchant_id) == 0)
    name = dossier_merchant_get_name (options->merchant);
  if (name != NULL)
    json_object_set_string_member (object, "merchant_name", name);

  if (options->redact != NULL && !dossier_redact_is_empty (options->redact))
    redact_object (object, options->redact);

  return object;
}

/* A member as a cell: strings as they are, numbers in decimal, booleans
 * as true/false, nothing as empty */
static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, name)) == NULL
      || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%g", json_node_get_double (node));
    default:
      return g_strdup ("");
    }
}

static JsonObject *
values_object (JsonObject *object,
               const char *group)
{
  JsonNode *node = json_object_get_member (object, group);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* -------------------------------------------------------------------------- */
/* CSV                                                                        */

/* Valid UTF-8, with the control characters a terminal acts on (all but
 * tab and line ends; C1 too) as U+FFFD: a CSV printed on a terminal can
 * not drive it */
static char *
clean_text (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  GString *clean = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f))
        g_string_append_unichar (clean, 0xfffd);
      else
        g_string_append_len (clean, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (clean, FALSE);
}

static void
append_cell (GString    *out,
             const char *raw)
{
  g_autofree char *value = clean_text (raw);
  gboolean formula = value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@';

  if (!formula && strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
collect_names (GTree      *names,
               JsonObject *values)
{
  g_autoptr(GList) members = NULL;

  if (values == NULL)
    return;
  members = json_object_get_members (values);
  for (GList *l = members; l != NULL; l = l->next)
    g_tree_insert (names, g_strdup (l->data), NULL);
}

static gboolean
add_name_cb (gpointer key,
             gpointer value,
             gpointer data)
{
  g_ptr_array_add (data, g_strdup (key));
  return FALSE;
}

static char *
to_csv (GPtrArray *objects)
{
  g_autoptr(GTree) account = g_tree_new_full ((GCompareDataFunc) g_strcmp0, NULL, g_free, NULL);
  g_autoptr(GTree) document = g_tree_new_full ((GCompareDataFunc) g_strcmp0, NULL, g_free, NULL);
  g_autoptr(GPtrArray) account_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) document_names = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < objects->len; i++)
    {
      collect_names (account, values_object (g_ptr_array_index (objects, i), "account"));
      collect_names (document, values_object (g_ptr_array_index (objects, i), "document"));
    }
  g_tree_foreach (account, add_name_cb, account_names);
  g_tree_foreach (document, add_name_cb, document_names);

  /* the header */
  for (guint c = 0; c < G_N_ELEMENTS (fixed_columns); c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_cell (out, fixed_columns[c]);
    }
  for (guint c = 0; c < account_names->len; c++)
    {
      g_autofree char *name = g_strconcat ("account.", (char *) g_ptr_array_index (account_names, c), NULL);

      g_string_append_c (out, ',');
      append_cell (out, name);
    }
  for (guint c = 0; c < document_names->len; c++)
    {
      g_autofree char *name = g_strconcat ("document.", (char *) g_ptr_array_index (document_names, c), NULL);

      g_string_append_c (out, ',');
      append_cell (out, name);
    }
  g_string_append (out, "\r\n");

  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);

      for (guint c = 0; c < G_N_ELEMENTS (fixed_columns); c++)
        {
          g_autofree char *text = member_text (object, fixed_columns[c]);

          if (c > 0)
            g_string_append_c (out, ',');
          append_cell (out, text);
        }
      for (guint c = 0; c < account_names->len; c++)
        {
          g_autofree char *text = member_text (values_object (object, "account"),
                                               g_ptr_array_index (account_names, c));

          g_string_append_c (out, ',');
          append_cell (out, text);
        }
      for (guint c = 0; c < document_names->len; c++)
        {
          g_autofree char *text = member_text (values_object (object, "document"),
                                               g_ptr_array_index (document_names, c));

          g_string_append_c (out, ',');
          append_cell (out, text);
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free (out, FALSE);
}

/* -------------------------------------------------------------------------- */
/* JSON                                                                       */

static char *
to_json (GPtrArray *objects)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonArray *array = json_array_sized_new (objects->len);
  g_autofree char *text = NULL;

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));
  json_node_take_array (root, array);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

/* -------------------------------------------------------------------------- */
/* HTML                                                                       */

static const char html_style[] =
  "body{font-family:sans-serif;margin:2em;color:#000;background:#fff;font-size:11pt}"
  "h1{font-size:18pt;margin-bottom:.2em}h2{font-size:14pt;margin-top:1.5em}h3{font-size:12pt}"
  "table{border-collapse:collapse;width:100%;margin-bottom:1em}"
  "th,td{border:1px solid #888;padding:3px 5px;text-align:left;vertical-align:top;font-size:9pt}"
  "th{background:#eee}.mono{font-family:monospace;word-break:break-all}"
  ".notes{white-space:pre-wrap}dt{font-weight:bold}dd{margin:0 0 .5em 0}"
  "@media print{body{margin:0}h2,h3{page-break-after:avoid}tr{page-break-inside:avoid}}";

/* Escaped, and through the redactor */
static void
append_escaped (GString                    *out,
                const DossierExportOptions *options,
                const char                 *text)
{
  g_autofree char *clean = NULL;
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return;
  if (options->redact != NULL && !dossier_redact_is_empty (options->redact))
    text = clean = dossier_redact_apply_data (options->redact, text);
  escaped = g_markup_escape_text (text, -1);
  g_string_append (out, escaped);
}

static void
append_element (GString                    *out,
                const DossierExportOptions *options,
                const char                 *open,
                const char                 *text,
                const char                 *close)
{
  g_string_append (out, open);
  append_escaped (out, options, text);
  g_string_append (out, close);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M UTC");
}

static void
append_merchant (GString                    *out,
                 const DossierExportOptions *options)
{
  DossierMerchant *merchant = options->merchant;
  g_auto(GStrv) providers = dossier_merchant_dup_provider_ids (merchant);

  append_element (out, options, "<h1>", dossier_merchant_get_name (merchant), "</h1>\n<dl>\n");
  if (dossier_merchant_get_reference (merchant) != NULL)
    {
      append_element (out, options, "<dt>", _("Reference"), "</dt>");
      append_element (out, options, "<dd>", dossier_merchant_get_reference (merchant), "</dd>\n");
    }
  if (dossier_merchant_get_notes (merchant) != NULL)
    {
      append_element (out, options, "<dt>", _("Notes"), "</dt>");
      append_element (out, options, "<dd class=\"notes\">", dossier_merchant_get_notes (merchant), "</dd>\n");
    }
  g_string_append (out, "</dl>\n");

  if (providers == NULL || providers[0] == NULL)
    return;

  append_element (out, options, "<h2>", _("Account values"), "</h2>\n");
  for (guint i = 0; providers[i] != NULL; i++)
    {
      g_autoptr(GHashTable) values = dossier_merchant_dup_account_values (merchant, providers[i]);
      g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (values, NULL);

      dossier_sort_strings (names, g_hash_table_size (values));
      append_element (out, options, "<h3>", providers[i], "</h3>\n<table>\n");
      for (guint j = 0; names[j] != NULL; j++)
        {
          append_element (out, options, "<tr><th>", names[j], "</th>");
          append_element (out, options, "<td class=\"mono\">", g_hash_table_lookup (values, names[j]),
                          "</td></tr>\n");
        }
      g_string_append (out, "</table>\n");
    }
}

static void
append_checklists (GString                    *out,
                   const DossierExportOptions *options)
{
  append_element (out, options, "<h2>", _("Checklists"), "</h2>\n");
  for (guint i = 0; i < options->checklists->len; i++)
    {
      DossierChecklist *checklist = g_ptr_array_index (options->checklists, i);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (checklist));

      append_element (out, options, "<h3>",
                      dossier_provider_get_name (dossier_checklist_get_provider (checklist)), "</h3>\n");
      if (n == 0)
        {
          append_element (out, options, "<p>", _("Nothing asked for."), "</p>\n");
          continue;
        }
      g_string_append (out, "<table>\n<tr>");
      append_element (out, options, "<th>", _("Requirement"), "</th>");
      append_element (out, options, "<th>", _("State"), "</th></tr>\n");
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (checklist), j);
          g_autofree char *state = dossier_checklist_item_describe (item);

          append_element (out, options, "<tr><td>", dossier_checklist_item_get_label (item), "</td>");
          append_element (out, options, "<td>", state, "</td></tr>\n");
        }
      g_string_append (out, "</table>\n");
    }
}

static const char *
status_text (JsonObject *object)
{
  const char *outcome = json_object_get_string_member_with_default (object, "outcome", NULL);

  if (g_strcmp0 (outcome, "unknown") == 0)
    return _("outcome unknown");
  if (json_object_get_boolean_member_with_default (object, "success", FALSE))
    return _("sent");
  return _("failed");
}

static void
append_documents (GString                    *out,
                  const DossierExportOptions *options,
                  GPtrArray                  *objects)
{
  append_element (out, options, "<h2>", _("Documents"), "</h2>\n");
  if (objects->len == 0)
    {
      append_element (out, options, "<p>", _("No uploads."), "</p>\n");
      return;
    }

  g_string_append (out, "<table>\n<tr>");
  append_element (out, options, "<th>", _("Date"), "</th>");
  if (options->merchant == NULL)
    append_element (out, options, "<th>", _("Merchant"), "</th>");
  append_element (out, options, "<th>", _("Provider"), "</th>");
  append_element (out, options, "<th>", _("File"), "</th>");
  append_element (out, options, "<th>", _("SHA-256"), "</th>");
  append_element (out, options, "<th>", _("Remote id"), "</th>");
  append_element (out, options, "<th>", _("Status"), "</th></tr>\n");

  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);
      g_autofree char *iso = member_text (object, "finished_at");
      g_autoptr(GDateTime) finished = g_date_time_new_from_iso8601 (iso, NULL);
      g_autofree char *date = finished != NULL ? format_time (finished) : g_strdup (iso);
      g_autofree char *provider = member_text (object, "provider_name");
      g_autofree char *environment = member_text (object, "environment");
      g_autofree char *file = member_text (object, "file_name");
      g_autofree char *sha256 = member_text (object, "sha256");
      g_autofree char *remote_id = member_text (object, "remote_id");
      g_autofree char *remote_status = member_text (object, "remote_status");
      g_autofree char *message = member_text (object, "message");
      g_autofree char *merchant = member_text (object, "merchant_name");
      g_autoptr(GString) status = g_string_new (status_text (object));

      if (merchant[0] == '\0')
        {
          g_free (merchant);
          merchant = member_text (object, "merchant_id");
        }
      if (remote_status[0] != '\0')
        g_string_append_printf (status, " (%s)", remote_status);
      if (message[0] != '\0')
        g_string_append_printf (status, ": %s", message);
      if (environment[0] != '\0')
        {
          g_autofree char *with = g_strdup_printf ("%s · %s", provider, environment);

          g_free (provider);
          provider = g_steal_pointer (&with);
        }

      append_element (out, options, "<tr><td>", date, "</td>");
      if (options->merchant == NULL)
        append_element (out, options, "<td>", merchant, "</td>");
      append_element (out, options, "<td>", provider, "</td>");
      append_element (out, options, "<td>", file, "</td>");
      append_element (out, options, "<td class=\"mono\">", sha256, "</td>");
      append_element (out, options, "<td class=\"mono\">", remote_id, "</td>");
      append_element (out, options, "<td>", status->str, "</td></tr>\n");
    }
  g_string_append (out, "</table>\n");
}

static char *
to_html (const DossierExportOptions *options,
         GPtrArray                  *objects)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *exported = format_time (now);
  g_autofree char *from = format_time (options->from);
  g_autofree char *to = format_time (options->to);
  g_autofree char *title = NULL;
  g_autofree char *range = NULL;
  GString *out = g_string_new (NULL);

  if (options->merchant != NULL)
    /* Translators: the title of the printable summary; %s is the merchant's name */
    title = g_strdup_printf (_("Documents of %s"), dossier_merchant_get_name (options->merchant));
  else
    title = g_strdup (_("Uploads of all merchants"));

  if (from != NULL || to != NULL)
    /* Translators: the range of an export: "from 2026-12-01 00:00 UTC to 2026-12-06 00:00 UTC" */
    range = g_strdup_printf (_("From %s to %s (not included)"),
                             from != NULL ? from : "…", to != NULL ? to : "…");

  g_string_append (out, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n");
  append_element (out, options, "<title>", title, "</title>\n");
  g_string_append_printf (out, "<style>%s</style>\n</head>\n<body>\n", html_style);

  if (options->merchant != NULL)
    append_merchant (out, options);
  else
    append_element (out, options, "<h1>", title, "</h1>\n");

  if (range != NULL)
    append_element (out, options, "<p>", range, "</p>\n");
  {
    /* Translators: %s is a date and time */
    g_autofree char *line = g_strdup_printf (_("Exported on %s"), exported);

    append_element (out, options, "<p>", line, "</p>\n");
  }

  if (options->checklists != NULL && options->checklists->len > 0)
    append_checklists (out, options);
  append_documents (out, options, objects);

  g_string_append (out, "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

/* -------------------------------------------------------------------------- */

char *
dossier_export_to_text (const DossierExportOptions *options,
                        GPtrArray                  *entries)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (entries != NULL, NULL);

  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (objects, entry_object (options, g_ptr_array_index (entries, i)));

  switch (options->format)
    {
    case DOSSIER_EXPORT_CSV:
      return to_csv (objects);
    case DOSSIER_EXPORT_JSON:
      return to_json (objects);
    case DOSSIER_EXPORT_HTML:
    default:
      return to_html (options, objects);
    }
}

gboolean
dossier_export_write_file (const char  *path,
                           const char  *text,
                           GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  /* GLib 2.84 gives a file it replaces the old file's mode (2.74 the one
   * asked for): a file that was readable by others is narrowed first, so
   * the merchants' data never lands there readable, and once more after */
  if (g_chmod (path, 0600) != 0 && errno != ENOENT)
    g_debug ("The export file's mode could not be narrowed before writing: %s", g_strerror (errno));
  if (!g_file_set_contents_full (path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;
  if (g_chmod (path, 0600) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The export was written to “%s”, but others may still read it: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
dossier_export_write_stream (GOutputStream  *stream,
                             const char     *text,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  return g_output_stream_write_all (stream, text, strlen (text), NULL, cancellable, error)
         && g_output_stream_flush (stream, cancellable, error);
}
