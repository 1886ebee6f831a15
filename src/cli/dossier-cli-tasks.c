/* dossier-cli-tasks.c: "tasks", the rejected documents that need a new upload
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "dossier-cli.h"
#include "dossier-cli-util.h"
#include "dossier-task.h"

static const char *
merchant_name (DossierMerchantStore *store,
               const char           *id)
{
  DossierMerchant *merchant = store != NULL && id != NULL ? dossier_merchant_store_lookup (store, id) : NULL;

  return merchant != NULL ? dossier_merchant_get_name (merchant) : id;
}

static void
add_task_json (JsonBuilder          *b,
               DossierTask          *task,
               DossierMerchantStore *store)
{
  GHashTable *fields = dossier_task_get_fields (task);
  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (fields, NULL);
  g_autofree char *time = g_date_time_format_iso8601 (dossier_task_get_time (task));

  json_builder_begin_object (b);
  add_string_or_null (b, "merchant", dossier_task_get_merchant_id (task));
  add_string_or_null (b, "merchant_name", merchant_name (store, dossier_task_get_merchant_id (task)));
  add_string_or_null (b, "provider", dossier_task_get_provider_id (task));
  add_string_or_null (b, "environment", dossier_task_get_environment (task));
  add_string_or_null (b, "file_name", dossier_task_get_file_name (task));
  add_string_or_null (b, "remote_id", dossier_task_get_remote_id (task));
  add_string_or_null (b, "requirement_id", dossier_task_get_requirement_id (task));
  add_string_or_null (b, "error_code", dossier_task_get_error_code (task));
  add_string_or_null (b, "reason", dossier_task_get_reason (task));
  add_string_or_null (b, "fix", dossier_task_get_fix (task));
  add_string_or_null (b, "provider_reason", dossier_task_get_provider_reason (task));
  add_string_or_null (b, "time", time);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_object (b);
  for (guint i = 0; names[i] != NULL; i++)
    add_string_or_null (b, names[i], g_hash_table_lookup (fields, names[i]));
  json_builder_end_object (b);
  json_builder_end_object (b);
}

int
dossier_cli_command_tasks (int    argc,
                           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierCatalogue) catalogue = NULL;
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(DossierTaskList) tasks = NULL;
  gboolean json = FALSE;
  guint n;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object on stdout"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— the rejected documents that need a new upload"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Lists, newest first, every document a provider rejected that no later upload\n"
      "has answered yet, for every merchant: why, what fixes it, and the values the\n"
      "new upload carries (run “dossier-cli follow-up MERCHANT” to ask the providers)."));
  catalogue = load_catalogue ();
  if (!parse_command_options (context, "dossier-cli tasks", &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    {
      print_error (_("“dossier-cli tasks” takes no arguments (try “dossier-cli tasks --help”)"));
      return EXIT_USAGE;
    }

  store = open_merchant_store (catalogue);
  tasks = dossier_task_list_new (G_LIST_MODEL (dossier_history_get_default ()), catalogue);
  n = g_list_model_get_n_items (G_LIST_MODEL (tasks));

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tasks");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DossierTask) task = g_list_model_get_item (G_LIST_MODEL (tasks), i);

          add_task_json (b, task, store);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root, TRUE);
      return EXIT_OK;
    }

  if (n == 0)
    print_human_line (stdout, _("Nothing needs a new upload."));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierTask) task = g_list_model_get_item (G_LIST_MODEL (tasks), i);
      GHashTable *fields = dossier_task_get_fields (task);
      g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (fields, NULL);
      g_autoptr(GString) values = g_string_new (NULL);
      g_autofree char *line = NULL;
      g_autofree char *fix = NULL;

      for (guint j = 0; names[j] != NULL; j++)
        g_string_append_printf (values, " --field %s=%s", names[j], (const char *) g_hash_table_lookup (fields, names[j]));
      /* Translators: "Toko Makmur, Moov: blurry.png: Moov could not read the document" */
      line = g_strdup_printf (_("%s, %s: %s: %s"), merchant_name (store, dossier_task_get_merchant_id (task)),
                              dossier_task_get_provider_name (task), dossier_task_get_file_name (task),
                              dossier_task_get_reason (task));
      print_human_line (stdout, line);
      /* Translators: "  what fixes it: upload a sharper scan (upload with --field …)" */
      fix = g_strdup_printf (_("  what fixes it: %s (upload with%s)"), dossier_task_get_fix (task), values->str);
      print_human_line (stdout, fix);
    }
  return EXIT_OK;
}
