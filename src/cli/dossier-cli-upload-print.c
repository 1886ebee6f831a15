/* dossier-cli-upload-print.c: a line (or JSON) per file, the progress line
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dossier-cli-upload-private.h"
#include "dossier-cli-util.h"
#include "dossier-util.h"

static const char *
status_word (DossierUploadState state)
{
  switch (state)
    {
    case DOSSIER_UPLOAD_STATE_DONE:
      return "done";
    case DOSSIER_UPLOAD_STATE_FAILED:
      return "failed";
    case DOSSIER_UPLOAD_STATE_CANCELLED:
      return "cancelled";
    case DOSSIER_UPLOAD_STATE_UNKNOWN:
      return "unknown";
    case DOSSIER_UPLOAD_STATE_INVALID:
      return "invalid";
    case DOSSIER_UPLOAD_STATE_READY:
      return "ready";
    case DOSSIER_UPLOAD_STATE_QUEUED:
    case DOSSIER_UPLOAD_STATE_RUNNING:
    case DOSSIER_UPLOAD_STATE_WAITING:
    default:
      return "running";
    }
}

static gboolean
use_utf8 (void)
{
  static int utf8 = -1;

  if (utf8 < 0)
    utf8 = g_get_charset (NULL) ? 1 : 0;
  return utf8 == 1;
}

void
clear_progress (Run *run)
{
  if (run->progress_shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      run->progress_shown = FALSE;
    }
}

static char *
item_error (Item *item)
{
  const DossierResult *result = dossier_upload_get_result (item->upload);
  DossierUploadState state = dossier_upload_get_state (item->upload);

  if (state == DOSSIER_UPLOAD_STATE_DONE)
    return NULL;
  if (state == DOSSIER_UPLOAD_STATE_CANCELLED)
    return g_strdup (_("Cancelled"));
  /* the plain words of what may have happened come first */
  if (state == DOSSIER_UPLOAD_STATE_UNKNOWN && dossier_upload_get_problem (item->upload) != NULL)
    return redact (dossier_upload_get_problem (item->upload));
  if (result != NULL && result->message != NULL && *result->message != '\0')
    return redact (result->message);
  if (dossier_upload_get_problem (item->upload) != NULL)
    return redact (dossier_upload_get_problem (item->upload));
  if (result != NULL && result->http_status != 0)
    return g_strdup_printf (_("The server answered %u"), result->http_status);
  return NULL;
}

/* One earlier upload the duplicate guard found, or nothing */
static void
add_duplicate (JsonBuilder         *b,
               const char          *kind,
               DossierHistoryEntry *entry,
               const char          *message)
{
  g_autofree char *finished = NULL;

  if (entry == NULL)
    return;

  finished = g_date_time_format_iso8601 (dossier_history_entry_get_finished_at (entry));
  json_builder_begin_object (b);
  add_string_or_null (b, "kind", kind);
  add_string_or_null (b, "message", message);
  add_string_or_null (b, "provider", dossier_history_entry_get_provider_id (entry));
  add_string_or_null (b, "file", dossier_history_entry_get_file_name (entry));
  add_string_or_null (b, "id", dossier_history_entry_get_remote_id (entry));
  add_string_or_null (b, "outcome", dossier_history_entry_get_outcome (entry));
  add_string_or_null (b, "finished_at", finished);
  add_string_or_null (b, "merchant_id", dossier_history_entry_get_merchant_id (entry));
  json_builder_end_object (b);
}

/* "duplicate_of": null, or the earlier uploads of the same content (the
 * same account's first, then another merchant's), each with its sentence */
static void
add_duplicates (JsonBuilder   *b,
                DossierUpload *upload)
{
  DossierHistoryEntry *same = dossier_upload_get_duplicate (upload);
  DossierHistoryEntry *other = dossier_upload_get_other_merchant (upload);
  g_auto(GStrv) sentences = NULL;
  guint n = 0;

  json_builder_set_member_name (b, "duplicate_of");
  if (dossier_upload_get_duplicate_of (upload) == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }

  /* one sentence a line, in the same order */
  sentences = g_strsplit (dossier_upload_get_duplicate_of (upload), "\n", -1);
  json_builder_begin_array (b);
  if (same != NULL)
    add_duplicate (b, "same_account", same, sentences[n++]);
  if (other != NULL && sentences[n] != NULL)
    add_duplicate (b, "other_merchant", other, sentences[n]);
  json_builder_end_array (b);
}

/* Before sending: the duplicate guard's sentences for this file, one line
 * each on stderr, escaped for the terminal */
void
print_duplicate_warning (Item *item)
{
  const char *warning = dossier_upload_get_duplicate_of (item->upload);
  g_auto(GStrv) sentences = NULL;

  if (warning == NULL || dossier_upload_get_state (item->upload) == DOSSIER_UPLOAD_STATE_INVALID)
    return;

  sentences = g_strsplit (warning, "\n", -1);
  for (guint i = 0; sentences[i] != NULL; i++)
    /* Translators: a file and the duplicate guard's warning: "KTP.png: Already sent to Moov on
     * 3 Dec as ktp.png (id 7f3a…); sending it anyway" */
    print_error (_("%s: %s; sending it anyway"), item->label, sentences[i]);
}

static void
print_item_json (Run  *run,
                 Item *item)
{
  const DossierResult *result = dossier_upload_get_result (item->upload);
  DossierUploadState state = dossier_upload_get_state (item->upload);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *error = item_error (item);

  if (result != NULL && result->link_expires != NULL)
    expires = g_date_time_format_iso8601 (result->link_expires);

  json_builder_begin_object (b);
  /* JSON is UTF-8: a path that is not is given as people see it (U+FFFD
   * for the bytes that are not UTF-8), and exactly, percent-encoded, in
   * "file_bytes" (null when "file" is the path itself) */
  if (g_utf8_validate (item->label, -1, NULL))
    {
      add_string_or_null (b, "file", item->label);
      add_string_or_null (b, "file_bytes", NULL);
    }
  else
    {
      g_autofree char *display = g_filename_display_name (item->label);
      g_autofree char *bytes = g_uri_escape_string (item->label, "/", TRUE);

      add_string_or_null (b, "file", display);
      add_string_or_null (b, "file_bytes", bytes);
    }
  add_string_or_null (b, "provider", dossier_provider_get_id (run->provider));
  add_string_or_null (b, "status", status_word (state));
  add_string_or_null (b, "id", result ? result->remote_id : NULL);
  add_string_or_null (b, "link", result ? result->link : NULL);
  add_string_or_null (b, "link_expires", expires);
  add_string_or_null (b, "remote_status", result ? result->status : NULL);
  json_builder_set_member_name (b, "http_status");
  if (result != NULL && result->http_status != 0)
    json_builder_add_int_value (b, result->http_status);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "error", error);
  add_string_or_null (b, "code", result ? result->code : NULL);
  add_string_or_null (b, "request_id", result ? result->request_id : NULL);
  json_builder_set_member_name (b, "size");
  if (dossier_upload_get_file (item->upload) != NULL && dossier_upload_get_size (item->upload) >= 0)
    json_builder_add_int_value (b, dossier_upload_get_size (item->upload));
  else
    json_builder_add_null_value (b);
  add_duplicates (b, item->upload);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  print_json (root, FALSE);
}

static void
print_item_human (Run  *run,
                  Item *item)
{
  const DossierResult *result = dossier_upload_get_result (item->upload);
  DossierUploadState state = dossier_upload_get_state (item->upload);
  const char *name = dossier_upload_get_display_name (item->upload);
  g_autoptr(GString) line = g_string_new (NULL);

  if (name == NULL)
    name = item->label;

  if (state == DOSSIER_UPLOAD_STATE_DONE)
    {
      g_string_append_printf (line, "%s %s", use_utf8 () ? "✓" : "OK", name);
      if (result != NULL && result->remote_id != NULL)
        g_string_append_printf (line, _("  id %s"), result->remote_id);
      if (result != NULL && result->status != NULL)
        g_string_append_printf (line, _("  status %s"), result->status);
      if (result != NULL && result->link != NULL)
        g_string_append_printf (line, _("  link %s"), result->link);
      if (result != NULL && result->link_expires != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          GTimeSpan left = g_date_time_difference (result->link_expires, now);
          gint64 minutes = (left + G_TIME_SPAN_MINUTE / 2) / G_TIME_SPAN_MINUTE;

          g_string_append_printf (line, _("  (link valid %d min)"), (int) MAX (minutes, 0));
        }
    }
  else
    {
      g_autofree char *error = item_error (item);

      if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
        g_string_append_printf (line, "%s %s ", use_utf8 () ? "?" : "UNKNOWN", name);
      else
        g_string_append_printf (line, "%s %s ", use_utf8 () ? "✗" : "FAILED", name);
      if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
        {
          /* the words say what the status was */
          g_string_append_printf (line, " %s: %s", _("outcome unknown"), error ? error : "");
          if (result != NULL && result->request_id != NULL)
            g_string_append_printf (line, _(" (request id %s)"), result->request_id);
        }
      else if (state == DOSSIER_UPLOAD_STATE_CANCELLED)
        g_string_append_printf (line, " %s", _("cancelled"));
      else if (state == DOSSIER_UPLOAD_STATE_FAILED &&
               (dossier_upload_get_problem (item->upload) != NULL || result != NULL))
        {
          /* the sentence the upload page and the history show */
          g_autofree char *failure = NULL;
          g_autofree char *shown = NULL;

          if (dossier_upload_get_problem (item->upload) == NULL)
            failure = dossier_result_describe_failure (result);
          shown = redact (failure != NULL ? failure : dossier_upload_get_problem (item->upload));
          g_string_append_printf (line, " %s", shown);
          if (result != NULL && result->code != NULL)
            /* Translators: the provider's error code: "  code INVALID_PARAMETER" */
            g_string_append_printf (line, _("  code %s"), result->code);
        }
      else
        {
          if (result != NULL && result->http_status != 0)
            g_string_append_printf (line, " %u", result->http_status);
          if (result != NULL && result->code != NULL)
            g_string_append_printf (line, " %s", result->code);
          if (error != NULL)
            g_string_append_printf (line, "%s %s",
                                    result != NULL && (result->http_status != 0 || result->code != NULL) ? ":" : "",
                                    error);
          if (result != NULL && result->request_id != NULL)
            g_string_append_printf (line, _(" (request id %s)"), result->request_id);
        }
    }

  print_human_line (stdout, line->str);
}

void
print_item (Run  *run,
            Item *item)
{
  if (item->printed)
    return;
  item->printed = TRUE;

  clear_progress (run);
  if (run->json)
    print_item_json (run, item);
  else
    print_item_human (run, item);
  flush_output ();
}

void
print_finished_items (Run *run)
{
  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);

      if (dossier_upload_is_finished (item->upload))
        print_item (run, item);
    }
}

gboolean
all_finished (Run *run)
{
  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);

      if (!dossier_upload_is_finished (item->upload))
        return FALSE;
    }
  return TRUE;
}

static int
terminal_width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
    return ws.ws_col;
  return 80;
}

gboolean
draw_progress (gpointer data)
{
  Run *run = data;
  g_autoptr(GString) line = g_string_new (NULL);
  guint done = 0;
  guint active = 0;
  int width = terminal_width ();

  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);
      DossierUploadState state = dossier_upload_get_state (item->upload);

      if (dossier_upload_is_finished (item->upload))
        done++;
      if (state == DOSSIER_UPLOAD_STATE_RUNNING || state == DOSSIER_UPLOAD_STATE_WAITING)
        {
          g_autofree char *progress = dossier_upload_dup_progress_text (item->upload);
          g_autofree char *text = dossier_escape_for_terminal (progress, TRUE);
          g_autofree char *name = dossier_escape_for_terminal (dossier_upload_get_display_name (item->upload), TRUE);

          g_string_append_printf (line, "%s%s %.0f%%%s%s",
                                  active > 0 ? " · " : "",
                                  name,
                                  100 * dossier_upload_get_fraction (item->upload),
                                  text != NULL && *text != '\0' ? " · " : "",
                                  text != NULL ? text : "");
          active++;
        }
    }

  {
    g_autofree char *head = g_strdup_printf ("[%u/%u] ", done, run->items->len);
    g_string_prepend (line, head);
  }

  /* without secrets before it is cut: a cut secret is not found */
  {
    g_autofree char *safe = redact (line->str);

    g_string_assign (line, safe);
  }

  /* one line, cut to the terminal's width (counted in characters); the
   * names are escaped above, so that the cut counts what is shown */
  if (g_utf8_strlen (line->str, -1) > width - 1)
    {
      const char *cut = g_utf8_offset_to_pointer (line->str, width - 2);

      g_string_truncate (line, cut - line->str);
      g_string_append (line, "…");
    }

  fputs ("\r\033[K", stderr);
  fputs (line->str, stderr);
  fflush (stderr);
  run->progress_shown = TRUE;

  return G_SOURCE_CONTINUE;
}
