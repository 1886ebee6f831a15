/* dossier-cli-export.c: "export", the audit export of a merchant's uploads
 * (or of a date range over all merchants) as CSV, JSON or printable HTML
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>

#include "dossier-cli.h"
#include "dossier-cli-util.h"
#include "dossier-export.h"
#include "dossier-history.h"

/* "2026-12-01" (local midnight; with @end: the midnight after it, so the
 * day is included) or an ISO 8601 date and time */
static GDateTime *
parse_date (const char *text,
            gboolean    end)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) day = NULL;
  int year, month, mday;
  char rest;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &mday, &rest) == 3)
    {
      day = g_date_time_new (local, year, month, mday, 0, 0, 0);
      if (day == NULL)
        return NULL;
      return end ? g_date_time_add_days (day, 1) : g_date_time_ref (day);
    }

  return g_date_time_new_from_iso8601 (text, local);
}

static GHashTable *
merchant_names (DossierMerchantStore *store)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) all = dossier_merchant_store_search (store, NULL);

  for (guint i = 0; i < all->len; i++)
    {
      DossierMerchant *merchant = g_ptr_array_index (all, i);

      g_hash_table_insert (names, g_strdup (dossier_merchant_get_id (merchant)),
                           g_strdup (dossier_merchant_get_name (merchant)));
    }

  return names;
}

int
dossier_cli_command_export (int    argc,
                            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierCatalogue) catalogue = NULL;
  g_autoptr(DossierMerchantStore) store = NULL;
  DossierMerchant *merchant = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *text = NULL;
  DossierExportOptions options = { 0, };
  gboolean all = FALSE;
  const GOptionEntry entries_options[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("csv, json or html"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (replaced whole) instead of the standard output"), N_("FILE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("The uploads of every merchant (and of none)"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Uploads finished on or after DATE"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Uploads finished on or before DATE"), N_("DATE") },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new (_("MERCHANT — the record of a merchant’s uploads, to file"));
  g_option_context_add_main_entries (context, entries_options, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Exports one row per finished upload: CSV (RFC 4180, a header row) or\n"
                                      "JSON (an array of objects), or a printable HTML summary of the merchant.\n"
                                      "DATE is 2026-12-01 (a whole day, local time) or an ISO 8601 time.\n"
                                      "\n"
                                      "Examples:\n"
                                      "  dossier-cli export \"Toko Makmur\" --format html --output makmur.html\n"
                                      "  dossier-cli export --all --from 2026-12-01 --to 2026-12-31 --format csv\n"));
  catalogue = load_catalogue ();
  if (!parse_command_options (context, "dossier-cli export", &argc, &argv))
    return EXIT_USAGE;

  if (format_text == NULL)
    {
      print_error (_("export needs --format csv, --format json or --format html"));
      return EXIT_USAGE;
    }
  if (!dossier_export_parse_format (format_text, &options.format))
    {
      print_error (_("unknown format “%s”: use csv, json or html"), format_text);
      return EXIT_USAGE;
    }
  if (all ? argc != 1 : argc != 2)
    {
      if (all)
        print_error (_("export --all takes no merchant, got “%s”"), argv[1]);
      else if (argc < 2)
        print_error (_("export needs a merchant (its name, reference or id) or --all"));
      else
        print_error (_("export takes one merchant, got “%s” too"), argv[2]);
      return EXIT_USAGE;
    }
  if (from_text != NULL && (from = parse_date (from_text, FALSE)) == NULL)
    {
      print_error (_("--from needs a date like 2026-12-01, got “%s”"), from_text);
      return EXIT_USAGE;
    }
  if (to_text != NULL && (to = parse_date (to_text, TRUE)) == NULL)
    {
      print_error (_("--to needs a date like 2026-12-31, got “%s”"), to_text);
      return EXIT_USAGE;
    }
  if (from != NULL && to != NULL && g_date_time_compare (from, to) >= 0)
    {
      print_error (_("--from %s is after --to %s: nothing can be in between"), from_text, to_text);
      return EXIT_USAGE;
    }

  if ((store = open_merchant_store (catalogue)) == NULL)
    return EXIT_FAILED;
  if (!all && (merchant = find_merchant (store, argv[1])) == NULL)
    return EXIT_USAGE;

  names = merchant_names (store);
  entries = dossier_export_select (G_LIST_MODEL (dossier_history_get_default ()),
                                   merchant != NULL ? dossier_merchant_get_id (merchant) : NULL,
                                   from, to);
  options.merchant = merchant;
  options.merchant_names = names;
  options.from = from;
  options.to = to;
  /* checklists need the providers' answers: the export asks no one (the
   * GUI passes the ones it shows) */
  options.checklists = NULL;
  text = dossier_export_to_text (&options, entries);

  if (output != NULL)
    {
      if (!dossier_export_write_file (output, text, &error))
        {
          print_error (_("could not write the export: %s"), error->message);
          return EXIT_FAILED;
        }
      return EXIT_OK;
    }

  fputs (text, stdout);
  return EXIT_OK;
}
