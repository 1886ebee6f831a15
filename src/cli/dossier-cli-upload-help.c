/* dossier-cli-upload-help.c: "upload --help", written from the catalogue
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-cli-upload-private.h"
#include "dossier-cli-util.h"
#include "dossier-sandbox.h"

char *
list_field_names (DossierProvider *provider)
{
  char *names = join_property (dossier_provider_get_fields (provider), "name");

  if (*names == '\0')
    {
      g_free (names);
      return g_strdup (_("none"));
    }
  return names;
}

char *
list_environments (DossierProvider *provider)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < dossier_provider_get_n_environments (provider); i++)
    {
      if (i > 0)
        g_string_append (ids, ", ");
      g_string_append (ids, dossier_provider_get_environment (provider, i)->id);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* A field for --help: "category  Category: one of DOCUMENT, LOGO; required" */
static void
describe_field (GString      *out,
                DossierField *field)
{
  GListModel *choices = dossier_field_get_choices (field);
  guint n = choices != NULL ? g_list_model_get_n_items (choices) : 0;

  g_string_append_printf (out, "      %-16s %s", dossier_field_get_name (field),
                          dossier_field_get_label (field));
  if (n > 0 && n <= 4)
    {
      g_autofree char *values = join_property (choices, "value");

      /* Translators: after a field's label in "dossier-cli upload --help":
       * "File purpose: one of business_verification, …" */
      g_string_append_printf (out, _(": one of %s"), values);
    }
  else if (n > 4)
    /* Translators: after a field's label: "Document code: 23 choices" */
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ": %u choice", ": %u choices", n), n);
  if (dossier_field_get_required (field))
    /* Translators: after a field's label and choices in "dossier-cli upload --help" */
    g_string_append (out, _("; required"));
  g_string_append_c (out, '\n');
}

/* An example command for @provider in the sandbox: its required fields
 * without a default, with the sandbox's sample value or a first choice */
static void
describe_example (GString         *out,
                  DossierProvider *provider)
{
  const DossierSandboxSample *sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (provider));
  GListModel *fields = dossier_provider_get_fields (provider);

  g_string_append_printf (out, "  dossier-cli upload -p %s", dossier_provider_get_id (provider));
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      GListModel *choices = dossier_field_get_choices (field);
      const char *name = dossier_field_get_name (field);
      const char *value = dossier_sandbox_sample_lookup_value (sample, name);
      g_autoptr(DossierChoice) first = NULL;
      g_autofree char *placeholder = NULL;

      if (!dossier_field_get_required (field) || dossier_field_get_default_value (field) != NULL ||
          dossier_field_get_condition_field (field) != NULL)
        continue;
      if (value == NULL && choices != NULL && g_list_model_get_n_items (choices) > 0)
        {
          first = g_list_model_get_item (choices, 0);
          value = dossier_choice_get_value (first);
        }
      if (value == NULL)
        value = placeholder = g_ascii_strup (name, -1);
      g_string_append_printf (out, " -f %s=%s", name, value);
    }
  /* Translators: the file argument in an example command */
  g_string_append_printf (out, " %s\n", _("FILE…"));
}

/* The description of "dossier-cli upload --help": the fields come from the
 * catalogue, so a provider added as a descriptor is described too */
char *
describe_upload (DossierCatalogue *catalogue)
{
  GListModel *providers = G_LIST_MODEL (catalogue);
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append (out,
    _("Fields:\n"
      "  Every input the provider asks for is a --field NAME=VALUE, by its API\n"
      "  name (“dossier-cli providers ID” lists them with their choices):\n"));
  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (providers, i);
      GListModel *fields = dossier_provider_get_fields (provider);

      g_string_append_printf (out, "    %s (%s)\n", dossier_provider_get_id (provider),
                              dossier_provider_get_name (provider));
      for (guint j = 0; j < g_list_model_get_n_items (fields); j++)
        {
          g_autoptr(DossierField) field = g_list_model_get_item (fields, j);

          describe_field (out, field);
        }
    }
  g_string_append (out,
    _("  Fields not given are guessed from each file’s name where the provider\n"
      "  lists keywords, else the provider’s default applies.\n"));
  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (providers, i);
      const char *alternative = dossier_provider_get_file_rules (provider)->alternative_field;

      if (alternative != NULL)
        /* Translators: "DOKU can fetch a file itself: give --field file_url=URL instead of a FILE" */
        g_string_append_printf (out, _("  %s can fetch a file itself: give --field %s=URL instead\n"
                                       "  of a FILE (repeat it for several files).\n"),
                                dossier_provider_get_name (provider), alternative);
    }
  g_string_append (out, "\n");
  g_string_append (out,
    _("Credentials:\n"
      "  Options on the command line are visible to other users of this\n"
      "  machine; the environment is safer:\n"
      "    DOSSIER_TOKEN          access or bearer token (as --token)\n"
      "    DOSSIER_API_KEY        API key (as --api-key)\n"
      "    DOSSIER_CLIENT_ID      client id (as --client-id)\n"
      "    DOSSIER_CLIENT_SECRET  client secret or secret key (as --client-secret)\n"
      "  A token or key wins over a client id and secret. Secrets are never\n"
      "  printed. In the sandbox, its public test credentials are used when\n"
      "  none are given.\n"
      "\n"
      "Sandbox:\n"
      "  The sandbox environment (the default) starts a sandbox inside this\n"
      "  program, on 127.0.0.1: nothing leaves this machine. Set\n"
      "  DOSSIER_SANDBOX_URL (e.g. http://127.0.0.1:8642) to use a running\n"
      "  dossier-sandbox instead.\n"
      "\n"
      "Exit status:\n"
      "  0 every file was accepted, 1 some failed or were cancelled, 2 wrong\n"
      "  usage or a problem with a file or field (nothing was sent),\n"
      "  3 the outcome of some files is unknown (sent whole, the answer was\n"
      "  lost: they may have arrived; check before sending them again),\n"
      "  4 the history could not record the uploads (a full disk; each file’s\n"
      "  line says whether it was sent), 130 interrupted.\n"
      "\n"
      "Record:\n"
      "  Every file is recorded in the history before it is sent, when its\n"
      "  sending starts and when it ends, so a batch stopped by Ctrl+C, a kill\n"
      "  or a crash leaves a record: “dossier-cli history --unsent” lists the\n"
      "  files that were not sent, and those that may have been.\n"
      "\n"));
  g_string_append (out, _("Examples:\n"));
  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (providers, i);

      describe_example (out, provider);
    }
  g_string_append (out,
    _("  DOSSIER_TOKEN=… dossier-cli upload -p ID -e production -f NAME=VALUE scans/\n"
      "  DOSSIER_API_KEY=… dossier-cli upload -p ID -e production \\\n"
      "      --base-url https://… --json media/*.png | jq .link\n"));

  return g_string_free (g_steal_pointer (&out), FALSE);
}
