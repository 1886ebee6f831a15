/* dossier-cli-merchant.c: "merchant add|list|show|set", the merchants' records
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dossier-cli.h"
#include "dossier-cli-util.h"

static const char usage[] =
  N_("Usage:\n"
     "  dossier-cli merchant add NAME [--reference R] [--notes N]\n"
     "  dossier-cli merchant list [--search Q] [--json]\n"
     "  dossier-cli merchant show MERCHANT [--json]\n"
     "  dossier-cli merchant set MERCHANT [--provider ID --field NAME=VALUE…]\n"
     "                           [--name N] [--reference R] [--notes N]\n"
     "\n"
     "MERCHANT is a merchant’s id, or a name or reference that names one merchant.\n"
     "The records are kept in $XDG_DATA_HOME/dossier/merchants.jsonl; they hold\n"
     "account values, never credentials.\n");

static GOptionContext *
new_context (const char *parameter,
             const char *summary)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  return context;
}

static gboolean
save (DossierMerchantStore *store,
      DossierMerchant      *merchant,
      gboolean              added)
{
  g_autoptr(GError) error = NULL;

  if (added ? dossier_merchant_store_add (store, merchant, &error)
            : dossier_merchant_store_update (store, merchant, &error))
    return TRUE;
  print_error (_("could not save the merchant: %s"), error->message);
  return FALSE;
}

/* -------------------------------------------------------------------------- */

static int
command_add (DossierCatalogue  *catalogue,
             int                argc,
             char             **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(DossierMerchant) merchant = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { "reference", 'r', 0, G_OPTION_ARG_STRING, &reference, N_("The clerk’s own case number"), N_("R") },
    { "notes", 'n', 0, G_OPTION_ARG_STRING, &notes, N_("Free text"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, N_("NAME") },
    { NULL }
  };

  context = new_context (_("NAME — add a merchant"), _("Adds a merchant and prints its id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, "dossier-cli merchant add", &argc, &argv))
    return EXIT_USAGE;

  if (args == NULL || args[0] == NULL || args[1] != NULL)
    {
      print_error (_("give the merchant’s name, once (try “dossier-cli merchant --help”)"));
      return EXIT_USAGE;
    }
  name = g_strstrip (g_strdup (args[0]));
  if (*name == '\0')
    {
      print_error (_("a merchant needs a name"));
      return EXIT_USAGE;
    }

  if ((store = open_merchant_store (catalogue)) == NULL)
    return EXIT_FAILED;
  merchant = dossier_merchant_new (name);
  dossier_merchant_set_reference (merchant, reference);
  dossier_merchant_set_notes (merchant, notes);
  if (!save (store, merchant, TRUE))
    return EXIT_FAILED;

  print_human_line (stdout, dossier_merchant_get_id (merchant));
  return EXIT_OK;
}

static int
command_list (DossierCatalogue  *catalogue,
              int                argc,
              char             **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "search", 's', 0, G_OPTION_ARG_STRING, &search, N_("Only the merchants whose name, reference or notes hold every word"), N_("Q") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("A JSON array of the merchants on stdout"), NULL },
    { NULL }
  };

  context = new_context (_("— list the merchants"), _("Prints the merchants, sorted by name: id, name, reference."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, "dossier-cli merchant list", &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      print_error (_("unexpected argument “%s”"), argv[1]);
      return EXIT_USAGE;
    }

  if ((store = open_merchant_store (catalogue)) == NULL)
    return EXIT_FAILED;
  found = dossier_merchant_store_search (store, search);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < found->len; i++)
        {
          json_builder_begin_object (b);
          add_merchant_fields (g_ptr_array_index (found, i), b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      print_json (root, TRUE);
      return EXIT_OK;
    }

  for (guint i = 0; i < found->len; i++)
    print_merchant_line (stdout, "", g_ptr_array_index (found, i));
  return EXIT_OK;
}

static void
show_json (DossierMerchant  *merchant,
           DossierCatalogue *catalogue)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));

  json_builder_begin_object (b);
  add_merchant_fields (merchant, b);
  json_builder_set_member_name (b, "missing");
  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
      g_autoptr(GPtrArray) missing = dossier_merchant_missing_account_fields (merchant, provider);

      if (missing->len == 0)
        continue;
      json_builder_set_member_name (b, dossier_provider_get_id (provider));
      json_builder_begin_array (b);
      for (guint j = 0; j < missing->len; j++)
        json_builder_add_string_value (b, dossier_field_get_name (g_ptr_array_index (missing, j)));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  print_json (root, TRUE);
}

static void
show_human (DossierMerchant  *merchant,
            DossierCatalogue *catalogue)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  g_autofree char *created = g_date_time_format (dossier_merchant_get_created (merchant), "%Y-%m-%d %H:%M UTC");
  g_autofree char *id = g_strdup_printf ("%s: %s", _("Id"), dossier_merchant_get_id (merchant));
  g_autofree char *name = g_strdup_printf ("%s: %s", _("Name"), dossier_merchant_get_name (merchant));
  g_autofree char *when = g_strdup_printf ("%s: %s", _("Created"), created);

  print_human_line (stdout, name);
  print_human_line (stdout, id);
  if (dossier_merchant_get_reference (merchant) != NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", _("Reference"), dossier_merchant_get_reference (merchant));

      print_human_line (stdout, line);
    }
  print_human_line (stdout, when);
  if (dossier_merchant_get_notes (merchant) != NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", _("Notes"), dossier_merchant_get_notes (merchant));

      print_human_line (stdout, line);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
      g_autoptr(GPtrArray) fields = dossier_merchant_account_fields (provider);
      g_autoptr(GPtrArray) missing = dossier_merchant_missing_account_fields (merchant, provider);
      const char *provider_id = dossier_provider_get_id (provider);
      gboolean any = FALSE;

      for (guint j = 0; j < fields->len; j++)
        any |= dossier_merchant_get_account_value (merchant, provider_id,
                                                   dossier_field_get_name (g_ptr_array_index (fields, j))) != NULL;
      if (!any)
        continue;

      print_human_line (stdout, dossier_provider_get_name (provider));
      for (guint j = 0; j < fields->len; j++)
        {
          DossierField *field = g_ptr_array_index (fields, j);
          const char *value = dossier_merchant_get_account_value (merchant, provider_id, dossier_field_get_name (field));
          g_autofree char *line = NULL;

          if (value == NULL)
            continue;
          line = g_strdup_printf ("  %s (%s): %s", dossier_field_get_label (field), dossier_field_get_name (field), value);
          print_human_line (stdout, line);
        }
      for (guint j = 0; j < missing->len; j++)
        {
          DossierField *field = g_ptr_array_index (missing, j);
          g_autofree char *line = NULL;

          /* Translators: an account value a merchant's record lacks: "  Legal entity (businessLegalEntity): missing" */
          line = g_strdup_printf (_("  %s (%s): missing"), dossier_field_get_label (field), dossier_field_get_name (field));
          print_human_line (stdout, line);
        }
    }
}

static int
command_show (DossierCatalogue  *catalogue,
              int                argc,
              char             **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierMerchantStore) store = NULL;
  DossierMerchant *merchant;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("The merchant as a JSON object on stdout"), NULL },
    { NULL }
  };

  context = new_context (_("MERCHANT — show a merchant"),
                         _("Prints a merchant’s record: its account values per provider and those still missing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, "dossier-cli merchant show", &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      print_error (_("give one merchant (try “dossier-cli merchant --help”)"));
      return EXIT_USAGE;
    }

  if ((store = open_merchant_store (catalogue)) == NULL)
    return EXIT_FAILED;
  if ((merchant = find_merchant (store, argv[1])) == NULL)
    return EXIT_USAGE;

  if (json)
    show_json (merchant, catalogue);
  else
    show_human (merchant, catalogue);
  return EXIT_OK;
}

/* --field NAME=VALUE of @provider into @merchant, each checked against the
 * descriptor's rules; FALSE (said) at the first that is not right */
static gboolean
set_fields (DossierMerchant *merchant,
            DossierProvider *provider,
            GStrv            fields)
{
  g_autoptr(GPtrArray) account = dossier_merchant_account_fields (provider);

  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');
      g_autofree char *name = NULL;
      g_autoptr(GError) error = NULL;
      DossierField *field = NULL;

      if (eq == NULL || eq == fields[i])
        {
          print_error (_("--field needs NAME=VALUE, got “%s”"), fields[i]);
          return FALSE;
        }
      name = g_strndup (fields[i], eq - fields[i]);
      for (guint j = 0; j < account->len && field == NULL; j++)
        if (g_str_equal (dossier_field_get_name (g_ptr_array_index (account, j)), name))
          field = g_ptr_array_index (account, j);

      if (field == NULL)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          dossier_merchant_field_is_storable (provider, name, &error);
          for (guint j = 0; j < account->len; j++)
            g_string_append_printf (known, "%s%s", j > 0 ? ", " : "",
                                    dossier_field_get_name (g_ptr_array_index (account, j)));
          if (error != NULL)
            print_error ("%s", error->message);
          if (account->len > 0)
            /* Translators: "Moov’s account values: accountID, X-Moov-Version" */
            print_error (_("%s’s account values: %s"), dossier_provider_get_name (provider), known->str);
          return FALSE;
        }

      if (eq[1] != '\0' && !dossier_field_validate (field, eq + 1, &error))
        {
          /* Translators: "Legal entity (businessLegalEntity): …why…" */
          print_error (_("%s (%s): %s"), dossier_field_get_label (field), name, error->message);
          return FALSE;
        }
      if (!dossier_merchant_set_account_value (merchant, provider, name, eq + 1, &error))
        {
          print_error ("%s", error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static int
command_set (DossierCatalogue  *catalogue,
             int                argc,
             char             **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autofree char *provider_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *notes = NULL;
  g_auto(GStrv) fields = NULL;
  DossierMerchant *merchant;
  DossierProvider *provider = NULL;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider_id, N_("The provider the account values are for"), N_("ID") },
    { "field", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &fields,
      N_("An account value by its API name (empty: remove it); repeat for more"), N_("NAME=VALUE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("A new name"), N_("N") },
    { "reference", 'r', 0, G_OPTION_ARG_STRING, &reference, N_("A new reference (empty: none)"), N_("R") },
    { "notes", 'n', 0, G_OPTION_ARG_STRING, &notes, N_("New notes (empty: none)"), N_("N") },
    { NULL }
  };

  context = new_context (_("MERCHANT — change a merchant"),
                         _("Changes a merchant’s name, reference, notes or account values. Each value is\n"
                           "checked against the provider’s rules; if one is wrong, nothing is saved."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, "dossier-cli merchant set", &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      print_error (_("give one merchant (try “dossier-cli merchant --help”)"));
      return EXIT_USAGE;
    }
  if (fields != NULL && provider_id == NULL)
    {
      print_error (_("--field needs --provider"));
      return EXIT_USAGE;
    }
  if (provider_id != NULL && (provider = dossier_catalogue_lookup (catalogue, provider_id)) == NULL)
    {
      print_unknown_provider (catalogue, provider_id);
      return EXIT_USAGE;
    }
  if (name != NULL && *g_strstrip (name) == '\0')
    {
      print_error (_("a merchant needs a name"));
      return EXIT_USAGE;
    }

  if ((store = open_merchant_store (catalogue)) == NULL)
    return EXIT_FAILED;
  if ((merchant = find_merchant (store, argv[1])) == NULL)
    return EXIT_USAGE;

  /* a wrong value ends the command before anything is saved */
  if (provider != NULL && !set_fields (merchant, provider, fields))
    return EXIT_USAGE;
  if (name != NULL)
    dossier_merchant_set_name (merchant, name);
  if (reference != NULL)
    dossier_merchant_set_reference (merchant, reference);
  if (notes != NULL)
    dossier_merchant_set_notes (merchant, notes);
  if (!save (store, merchant, FALSE))
    return EXIT_FAILED;

  print_merchant_line (stdout, "", merchant);
  return EXIT_OK;
}

int
dossier_cli_command_merchant (int    argc,
                              char **argv)
{
  g_autoptr(DossierCatalogue) catalogue = NULL;
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (sub == NULL || g_str_equal (sub, "--help") || g_str_equal (sub, "-h"))
    {
      fputs (_(usage), sub != NULL ? stdout : stderr);
      return sub != NULL ? EXIT_OK : EXIT_USAGE;
    }

  catalogue = load_catalogue ();
  /* the subcommand takes the place of the command */
  if (g_str_equal (sub, "add"))
    return command_add (catalogue, argc - 1, argv + 1);
  if (g_str_equal (sub, "list"))
    return command_list (catalogue, argc - 1, argv + 1);
  if (g_str_equal (sub, "show"))
    return command_show (catalogue, argc - 1, argv + 1);
  if (g_str_equal (sub, "set"))
    return command_set (catalogue, argc - 1, argv + 1);

  print_error (_("unknown merchant command “%s” (try “dossier-cli merchant --help”)"), sub);
  return EXIT_USAGE;
}
