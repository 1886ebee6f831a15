/* dossier-cli-providers.c: "providers", the catalogue as JSON
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dossier-catalogue.h"
#include "dossier-cli.h"
#include "dossier-cli-util.h"
#include "dossier-validate.h"

static void
add_field (JsonBuilder  *b,
           DossierField *field)
{
  GListModel *choices = dossier_field_get_choices (field);
  const char *condition = dossier_field_get_condition_field (field);

  json_builder_begin_object (b);
  add_string_or_null (b, "name", dossier_field_get_name (field));
  add_string_or_null (b, "label", dossier_field_get_label (field));
  add_string_or_null (b, "description", dossier_field_get_description (field));
  add_string_or_null (b, "type", enum_nick (DOSSIER_TYPE_FIELD_TYPE, dossier_field_get_field_type (field)));
  add_string_or_null (b, "location", enum_nick (DOSSIER_TYPE_FIELD_LOCATION, dossier_field_get_location (field)));
  add_string_or_null (b, "scope", enum_nick (DOSSIER_TYPE_FIELD_SCOPE, dossier_field_get_scope (field)));
  json_builder_set_member_name (b, "required");
  json_builder_add_boolean_value (b, dossier_field_get_required (field));
  add_string_or_null (b, "default", dossier_field_get_default_value (field));
  add_string_or_null (b, "pattern_hint", dossier_field_get_pattern_hint (field));

  json_builder_set_member_name (b, "condition");
  if (condition != NULL)
    {
      json_builder_begin_object (b);
      add_string_or_null (b, "field", condition);
      add_strv (b, "values", dossier_field_get_condition_values (field));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  if (dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE)
    {
      json_builder_set_member_name (b, "open");
      json_builder_add_boolean_value (b, dossier_field_get_open (field));
    }
  if (dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_JSON)
    add_strv (b, "json_keys", dossier_field_get_json_keys (field));

  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  for (guint i = 0; choices != NULL && i < g_list_model_get_n_items (choices); i++)
    {
      g_autoptr(DossierChoice) choice = g_list_model_get_item (choices, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "value", dossier_choice_get_value (choice));
      add_string_or_null (b, "label", dossier_choice_get_label (choice));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
}

static void
add_provider (JsonBuilder     *b,
              DossierProvider *provider)
{
  const DossierAuthSpec *auth = dossier_provider_get_auth (provider);
  const DossierFileRules *files = dossier_provider_get_file_rules (provider);
  const DossierFlowSpec *flow = dossier_provider_get_flow (provider);
  GListModel *fields = dossier_provider_get_fields (provider);
  g_autofree char *accepted = dossier_provider_describe_accepted (provider);

  json_builder_begin_object (b);
  add_string_or_null (b, "id", dossier_provider_get_id (provider));
  add_string_or_null (b, "name", dossier_provider_get_name (provider));
  add_string_or_null (b, "description", dossier_provider_get_description (provider));
  add_string_or_null (b, "documentation", dossier_provider_get_documentation (provider));
  add_string_or_null (b, "source", dossier_provider_get_source (provider));

  json_builder_set_member_name (b, "environments");
  json_builder_begin_array (b);
  for (guint i = 0; i < dossier_provider_get_n_environments (provider); i++)
    {
      const DossierEnvironment *env = dossier_provider_get_environment (provider, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "id", env->id);
      add_string_or_null (b, "name", env->name);
      add_string_or_null (b, "base_url", env->base_url);
      add_string_or_null (b, "base_url_hint", env->base_url_hint);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "auth");
  json_builder_begin_object (b);
  add_string_or_null (b, "scheme", enum_nick (DOSSIER_TYPE_AUTH_SCHEME, auth->scheme));
  add_string_or_null (b, "header", auth->header);
  add_string_or_null (b, "secret_label", auth->secret_label);
  add_string_or_null (b, "token_kind", enum_nick (DOSSIER_TYPE_TOKEN_KIND, auth->token_kind));
  add_string_or_null (b, "client_id_label", auth->client_id_label);
  add_string_or_null (b, "client_secret_label", auth->client_secret_label);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "endpoint");
  json_builder_begin_object (b);
  add_string_or_null (b, "method", dossier_provider_get_method (provider));
  add_string_or_null (b, "path", dossier_provider_get_path (provider));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      add_field (b, field);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "files");
  json_builder_begin_object (b);
  add_string_or_null (b, "part", files->part);
  add_string_or_null (b, "alternative_field", files->alternative_field);
  add_strv (b, "extensions", (const char * const *)files->extensions);
  add_strv (b, "content_types", (const char * const *)files->content_types);
  json_builder_set_member_name (b, "max_size");
  json_builder_add_int_value (b, (gint64)files->max_size);
  json_builder_set_member_name (b, "per_request");
  json_builder_add_int_value (b, files->per_request);
  json_builder_set_member_name (b, "per_account");
  json_builder_add_int_value (b, files->per_account);
  add_string_or_null (b, "accepted", accepted);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "flow");
  json_builder_begin_object (b);
  add_string_or_null (b, "kind", enum_nick (DOSSIER_TYPE_FLOW_KIND, flow->kind));
  if (flow->kind == DOSSIER_FLOW_KIND_CHUNKED_SESSION)
    {
      json_builder_set_member_name (b, "threshold");
      json_builder_add_int_value (b, (gint64)flow->threshold);
      json_builder_set_member_name (b, "chunk_size");
      json_builder_add_int_value (b, (gint64)flow->chunk_size);
      json_builder_set_member_name (b, "parallel");
      json_builder_add_int_value (b, flow->parallel);
    }
  json_builder_end_object (b);

  json_builder_end_object (b);
}

int
dossier_cli_command_providers (int    argc,
                               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierCatalogue) catalogue = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *user_dir = NULL;
  g_autofree char *description = NULL;
  const char * const *problems;
  GListModel *model;

  user_dir = dossier_catalogue_user_directory ();
  description = g_strdup_printf (_("Lists the built-in providers and those described by JSON files in\n"
                                   "%s, with their environments, credentials, fields,\n"
                                   "choices and file rules. Descriptors that cannot be read are\n"
                                   "skipped and named on stderr with the line of the problem.\n"
                                   "\n"
                                   "Examples:\n"
                                   "  dossier-cli providers\n"
                                   "  dossier-cli providers doku | jq '.providers[0].fields'\n"),
                                 user_dir);

  context = g_option_context_new (_("[ID…] — describe the providers"));
  g_option_context_set_description (context, description);
  if (!parse_command_options (context, "dossier-cli providers", &argc, &argv))
    return EXIT_USAGE;

  catalogue = load_catalogue ();
  model = G_LIST_MODEL (catalogue);

  for (int i = 1; i < argc; i++)
    {
      if (dossier_catalogue_lookup (catalogue, argv[i]) == NULL)
        {
          print_unknown_provider (catalogue, argv[i]);
          return EXIT_USAGE;
        }
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "providers");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (model, i);

      if (argc > 1 && !g_strv_contains ((const char * const *)argv + 1, dossier_provider_get_id (provider)))
        continue;
      add_provider (b, provider);
    }
  json_builder_end_array (b);

  problems = dossier_catalogue_get_problems (catalogue);
  add_strv (b, "skipped", problems);
  add_strv (b, "notices", dossier_catalogue_get_notices (catalogue));
  add_string_or_null (b, "user_directory", user_dir);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  print_json (root, TRUE);

  return EXIT_OK;
}
