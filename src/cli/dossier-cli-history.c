/* dossier-cli-history.c: "history", the uploads that finished, newest first
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dossier-cli.h"
#include "dossier-cli-util.h"
#include "dossier-history.h"

static void
print_history_human (DossierHistoryEntry *entry,
                     GDateTime           *now)
{
  g_autofree char *when = dossier_history_entry_format_time (entry, now);
  g_autoptr(GString) line = g_string_new (NULL);
  const char *environment = dossier_history_entry_get_environment (entry);

  /* Translators: a line of "dossier-cli history": time, provider, environment, file */
  g_string_append_printf (line, _("%s  %s · %s  %s"), when,
                          dossier_history_entry_get_provider_name (entry),
                          environment != NULL ? environment : "-",
                          dossier_history_entry_get_file_name (entry));

  if (dossier_history_entry_get_success (entry))
    {
      const char *remote_id = dossier_history_entry_get_remote_id (entry);
      const char *link = dossier_history_entry_get_link (entry);

      g_string_append_printf (line, "  %s", _("sent"));
      if (remote_id != NULL)
        g_string_append_printf (line, "  %s", remote_id);
      if (link != NULL)
        g_string_append_printf (line, "  %s%s", link,
                                dossier_history_entry_link_expired (entry, now)
                                ? _(" (link expired)") : "");
    }
  else
    {
      /* the sentence the upload page and the history window show */
      g_autofree char *sentence = dossier_history_entry_describe_failure (entry);

      if (dossier_history_entry_get_outcome_unknown (entry))
        g_string_append_printf (line, "  %s", _("outcome unknown"));
      else
        g_string_append_printf (line, "  %s", _("failed"));
      g_string_append_printf (line, ": %s", sentence);
    }

  print_human_line (stdout, line->str);
}

/* What was queued and not sent: enough to send it again */
static void
print_unsent_human (JsonObject *object)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *state = json_object_get_string_member_with_default (object, "state", "");
  const char *where = json_object_get_string_member_with_default (object, "path", NULL);
  const char *environment = json_object_get_string_member_with_default (object, "environment", "-");
  const char *message = json_object_get_string_member_with_default (object, "message", NULL);
  JsonNode *values = json_object_get_member (object, "values");

  if (where == NULL)
    where = json_object_get_string_member_with_default (object, "url", NULL);
  if (where == NULL)
    where = json_object_get_string_member_with_default (object, "uri", "?");

  if (g_str_equal (state, "may-have-been-sent"))
    g_string_append (line, _("may have been sent"));
  else
    g_string_append (line, _("not sent"));
  /* Translators: a line of "dossier-cli history --unsent" after the state: provider, environment,
   * file */
  g_string_append_printf (line, _("  %s · %s  %s"),
                          json_object_get_string_member_with_default (object, "provider_id", "?"),
                          environment, where);
  if (message != NULL)
    g_string_append_printf (line, ": %s", message);

  if (values != NULL && JSON_NODE_HOLDS_OBJECT (values))
    {
      JsonObject *members = json_node_get_object (values);
      g_autoptr(GList) names = json_object_get_members (members);

      names = g_list_sort (names, (GCompareFunc) g_strcmp0);
      for (GList *l = names; l != NULL; l = l->next)
        g_string_append_printf (line, "  %s=%s", (const char *) l->data,
                                json_object_get_string_member_with_default (members, l->data, ""));
    }

  print_human_line (stdout, line->str);
}

static int
command_unsent (DossierHistory *history,
                gboolean        json,
                int             limit)
{
  g_autoptr(GPtrArray) unsent = dossier_history_dup_unsent (history);
  guint n_maybe = 0;
  guint first = 0;

  /* oldest first, as recorded: --limit keeps the newest N */
  if (limit > 0 && unsent->len > (guint) limit)
    first = unsent->len - (guint) limit;

  for (guint i = first; i < unsent->len; i++)
    {
      JsonObject *object = g_ptr_array_index (unsent, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "state", NULL),
                     "may-have-been-sent") == 0)
        n_maybe++;

      if (json)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

          print_json (node, FALSE);
        }
      else
        print_unsent_human (object);
    }

  if (!json && n_maybe > 0)
    print_error (_("files marked “may have been sent” were being sent when the upload stopped: "
                   "check with the provider before sending them again"));

  return EXIT_OK;
}

int
dossier_cli_command_history (int    argc,
                             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *description = NULL;
  DossierHistory *history;
  gboolean json = FALSE;
  gboolean unsent = FALSE;
  int limit = 0;
  guint n;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object per line"), NULL },
    { "unsent", 0, 0, G_OPTION_ARG_NONE, &unsent,
      N_("Print the files that were to be sent and were not, oldest first"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Print at most N uploads (the newest)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  history = dossier_history_get_default ();
  description = g_strdup_printf (_("Prints the uploads that were sent or failed, newest first, from\n"
                                   "%s (every one is kept).\n"
                                   "\n"
                                   "Examples:\n"
                                   "  dossier-cli history --limit 10\n"
                                   "  dossier-cli history --json | jq -r 'select(.success) | .remote_id'\n"),
                                 dossier_history_get_path (history));

  context = g_option_context_new (_("— the uploads that finished"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, description);
  if (!parse_command_options (context, "dossier-cli history", &argc, &argv))
    return EXIT_USAGE;

  if (argc > 1)
    {
      print_error (_("history takes no arguments, got “%s”"), argv[1]);
      return EXIT_USAGE;
    }
  if (limit < 0)
    {
      print_error (_("--limit needs a number of 0 or more (0: all)"));
      return EXIT_USAGE;
    }

  if (unsent)
    return command_unsent (history, json, limit);

  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  if (limit > 0)
    n = MIN (n, (guint) limit);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      if (json)
        {
          g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);

          print_json (node, FALSE);
        }
      else
        print_history_human (entry, now);
    }

  return EXIT_OK;
}
