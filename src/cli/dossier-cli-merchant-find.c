/* dossier-cli-merchant-find.c: the merchants' records for every command
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening the store (what could not be read is said), finding the
 * merchant a command names (its id, or a name or reference that names one
 * merchant only) and a merchant as JSON.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-cli-util.h"
#include "dossier-util.h"

/* The store in $XDG_DATA_HOME/dossier, loaded; NULL (said) when its file
 * cannot be read. A damaged record is said and skipped */
DossierMerchantStore *
open_merchant_store (DossierCatalogue *catalogue)
{
  g_autoptr(DossierMerchantStore) store = dossier_merchant_store_new (catalogue, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;

  if (!dossier_merchant_store_load (store, &error))
    {
      print_error (_("could not read the merchants: %s"), error->message);
      return NULL;
    }
  problems = dossier_merchant_store_get_problems (store);
  for (guint i = 0; i < problems->len; i++)
    print_error ("%s", ((GError *) g_ptr_array_index (problems, i))->message);
  return g_steal_pointer (&store);
}

static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  fa = dossier_merchant_fold_for_search (a);
  fb = dossier_merchant_fold_for_search (b);
  return g_strcmp0 (fa, fb) == 0;
}

/* "ID  NAME  (REFERENCE)", after @indent, on @out */
void
print_merchant_line (FILE            *out,
                     const char      *indent,
                     DossierMerchant *merchant)
{
  const char *reference = dossier_merchant_get_reference (merchant);
  g_autofree char *line = NULL;

  if (reference != NULL)
    line = g_strdup_printf ("%s%s  %s  (%s)", indent, dossier_merchant_get_id (merchant),
                            dossier_merchant_get_name (merchant), reference);
  else
    line = g_strdup_printf ("%s%s  %s", indent, dossier_merchant_get_id (merchant),
                            dossier_merchant_get_name (merchant));
  print_human_line (out, line);
}

static void
print_candidates (GPtrArray *candidates)
{
  for (guint i = 0; i < candidates->len && i < 20; i++)
    print_merchant_line (stderr, "  ", g_ptr_array_index (candidates, i));
  if (candidates->len > 20)
    /* Translators: after a list of 20 merchants */
    print_error (_("and %u more"), candidates->len - 20);
}

/* The merchant @key names: its id; else the one whose name or reference is
 * @key (case and accents aside); else the one merchant a search for @key
 * finds. NULL (said, with the candidates when there are several) else */
DossierMerchant *
find_merchant (DossierMerchantStore *store,
               const char           *key)
{
  g_autoptr(GPtrArray) exact = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = NULL;
  DossierMerchant *merchant;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if ((merchant = dossier_merchant_store_lookup (store, key)) != NULL)
    return merchant;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierMerchant) m = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (same_text (dossier_merchant_get_name (m), key) || same_text (dossier_merchant_get_reference (m), key))
        g_ptr_array_add (exact, m);   /* the store keeps it */
    }
  if (exact->len == 1)
    return g_ptr_array_index (exact, 0);
  if (exact->len > 1)
    {
      print_error (_("“%s” names %u merchants; give one of their ids:"), key, exact->len);
      print_candidates (exact);
      return NULL;
    }

  found = dossier_merchant_store_search (store, key);
  if (found->len == 1)
    return g_ptr_array_index (found, 0);   /* the store keeps it */
  if (found->len > 1)
    {
      print_error (_("“%s” matches %u merchants; give one of their ids:"), key, found->len);
      print_candidates (found);
      return NULL;
    }

  print_error (_("no merchant “%s” (see “dossier-cli merchant list”)"), key);
  return NULL;
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          GDateTime   *time)
{
  g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  add_string_or_null (b, name, text);
}

/* The members of a merchant's JSON object: id, name, reference, notes,
 * created, modified, accounts (provider id -> field name -> value) */
void
add_merchant_fields (DossierMerchant *merchant,
                     JsonBuilder     *b)
{
  g_auto(GStrv) providers = dossier_merchant_dup_provider_ids (merchant);

  add_string_or_null (b, "id", dossier_merchant_get_id (merchant));
  add_string_or_null (b, "name", dossier_merchant_get_name (merchant));
  add_string_or_null (b, "reference", dossier_merchant_get_reference (merchant));
  add_string_or_null (b, "notes", dossier_merchant_get_notes (merchant));
  add_time (b, "created", dossier_merchant_get_created (merchant));
  add_time (b, "modified", dossier_merchant_get_modified (merchant));

  json_builder_set_member_name (b, "accounts");
  json_builder_begin_object (b);
  for (guint i = 0; providers[i] != NULL; i++)
    {
      g_autoptr(GHashTable) values = dossier_merchant_dup_account_values (merchant, providers[i]);
      g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (values, NULL);
      guint n = g_hash_table_size (values);

      dossier_sort_strings (names, n);
      json_builder_set_member_name (b, providers[i]);
      json_builder_begin_object (b);
      for (guint j = 0; j < n; j++)
        add_string_or_null (b, names[j], g_hash_table_lookup (values, names[j]));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

void
print_provider_heading (DossierProvider          *provider,
                        const DossierEnvironment *env,
                        const char               *detail)
{
  /* Translators: a provider's heading, with its environment: "Moov (sandbox)" */
  g_autofree char *heading = g_strdup_printf (_("%s (%s)"), dossier_provider_get_name (provider), env->id);

  if (detail != NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s, %s", heading, detail);

      print_human_line (stdout, line);
      return;
    }
  print_human_line (stdout, heading);
}

/* The commands that ask each provider about one merchant (checklist,
 * follow-up): MERCHANT and --provider checked, then @run once per provider
 * (each with its own default environment unless --environment), the JSON
 * object {"merchant", "name", MEMBER: [what @run adds]} printed with
 * --json. Returns the exit status. */
int
run_for_merchant_providers (int                argc,
                            char             **argv,
                            const char        *command,
                            const char        *provider_id,
                            ConnectionOptions *connection,
                            gboolean           json,
                            const char        *member,
                            ProviderRunFunc    run)
{
  g_autoptr(DossierCatalogue) catalogue = load_catalogue ();
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(DossierClient) client = NULL;
  g_autoptr(DossierSandbox) sandbox = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GPtrArray) providers = g_ptr_array_new ();
  g_autofree char *given = NULL;
  DossierMerchant *merchant;
  int status = EXIT_OK;

  remember_connection_secrets (connection);

  if (argc != 2)
    {
      print_error (_("give one merchant (try “dossier-cli %s --help”)"), command);
      return EXIT_USAGE;
    }
  if (connection->token != NULL && connection->api_key != NULL &&
      g_strcmp0 (connection->token, connection->api_key) != 0)
    {
      print_error (_("give either --token or --api-key, not both"));
      return EXIT_USAGE;
    }
  if (provider_id != NULL)
    {
      DossierProvider *provider = dossier_catalogue_lookup (catalogue, provider_id);

      if (provider == NULL)
        {
          print_unknown_provider (catalogue, provider_id);
          return EXIT_USAGE;
        }
      g_ptr_array_add (providers, provider);
    }

  if ((store = open_merchant_store (catalogue)) == NULL)
    return EXIT_FAILED;
  if ((merchant = find_merchant (store, argv[1])) == NULL)
    return EXIT_USAGE;

  if (provider_id == NULL)
    {
      g_auto(GStrv) ids = dossier_merchant_dup_provider_ids (merchant);

      for (guint i = 0; ids[i] != NULL; i++)
        {
          DossierProvider *provider = dossier_catalogue_lookup (catalogue, ids[i]);

          if (provider != NULL)
            g_ptr_array_add (providers, provider);
        }
      if (providers->len == 0)
        {
          print_error (_("%s has no account values for any provider yet: give --provider ID"),
                       dossier_merchant_get_name (merchant));
          return EXIT_USAGE;
        }
    }

  client = dossier_client_new (2);
  if (json)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      add_string_or_null (b, "merchant", dossier_merchant_get_id (merchant));
      add_string_or_null (b, "name", dossier_merchant_get_name (merchant));
      json_builder_set_member_name (b, member);
      json_builder_begin_array (b);
    }

  given = g_strdup (connection->environment);
  for (guint i = 0; i < providers->len; i++)
    {
      int one = EXIT_OK;

      /* each provider's own default environment */
      g_free (connection->environment);
      connection->environment = g_strdup (given);

      if (!run (merchant, g_ptr_array_index (providers, i), connection, client, &sandbox, b, &one) &&
          status != EXIT_USAGE)
        status = one;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root, TRUE);
    }
  return status;
}

/* A command over a merchant's providers (checklist, follow-up): its
 * options (--provider, --json, the connection's), then @run for each
 * provider. @parameter and @summary come translated. */
int
run_merchant_provider_command (int               argc,
                               char            **argv,
                               const char       *command,
                               const char       *parameter,
                               const char       *summary,
                               const char       *member,
                               ProviderRunFunc   run)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(ConnectionOptions) connection = { 0 };
  g_autofree char *provider_id = NULL;
  g_autofree char *prgname = g_strconcat ("dossier-cli ", command, NULL);
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider_id,
      N_("Only this provider (default: every provider the merchant has account values for)"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object on stdout"), NULL },
    { NULL }
  };

  context = g_option_context_new (parameter);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_connection_options (context, &connection, N_("Ask this address instead of the environment’s"));
  g_option_context_set_summary (context, summary);
  if (!parse_command_options (context, prgname, &argc, &argv))
    return EXIT_USAGE;

  return run_for_merchant_providers (argc, argv, command, provider_id, &connection, json, member, run);
}
