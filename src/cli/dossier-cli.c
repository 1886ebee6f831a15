/* dossier-cli.c: dossier-cli, the upload engine without a window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   dossier-cli providers [ID...]      the catalogue as JSON
 *   dossier-cli upload --provider ID   send files, one line (or JSON) per file
 *   dossier-cli history                the uploads that finished, newest first
 *   dossier-cli merchant …             the merchants' records
 *   dossier-cli checklist MERCHANT     what each provider still needs
 *   dossier-cli export MERCHANT        the audit export: CSV, JSON, HTML
 *   dossier-cli follow-up MERCHANT     how the providers reviewed the documents
 *   dossier-cli tasks                  the rejected documents to upload again
 *
 * Output meant for scripts goes to stdout; messages and progress go to
 * stderr, progress only when stderr is a terminal; log messages go to
 * stderr too. Secrets given on the command line or in the environment are
 * never printed: every text that comes from elsewhere passes through
 * redact() first. What is printed for people goes through
 * print_human_line(): control characters from a provider or a file name
 * never reach the terminal raw.
 *
 * This file holds main(), the dispatch and the global help; each command
 * is in dossier-cli-COMMAND.c behind dossier_cli_command_COMMAND()
 * (dossier-cli.h), and what they share is in dossier-cli-util.c.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "dossier-cli.h"
#include "dossier-cli-util.h"
#include "dossier-util.h"

/* Log messages go to the default writer (on stderr, never on stdout where
 * --json writes), with any secret of this run masked and control
 * characters escaped. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  g_autofree GLogField *copy = NULL;
  g_autofree char *safe = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 || fields[i].length != -1)
        continue;

      {
        g_autofree char *masked = redact (fields[i].value);

        safe = dossier_escape_for_terminal (masked, FALSE);
      }
      copy = g_memdup2 (fields, sizeof (GLogField) * n_fields);
      copy[i].value = safe;
      return g_log_writer_default (log_level, copy, n_fields, user_data);
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* -------------------------------------------------------------------------- */

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  dossier-cli COMMAND [OPTION…]\n"
             "\n"
             "Sends merchants’ business documents to payment providers (DOKU,\n"
             "Kore.ai, Moov, receeve and any provider described by a JSON file).\n"
             "\n"
             "Commands:\n"
             "  providers [ID…]    Print the providers, their fields and file rules as JSON\n"
             "  upload [OPTION…]   Send files to a provider\n"
             "  history [OPTION…]  Print the uploads that finished, newest first\n"
             "  merchant add|list|show|set\n"
             "                     Keep merchants and their account values per provider\n"
             "  checklist MERCHANT What each provider still needs from a merchant\n"
             "  export MERCHANT|--all --format csv|json|html\n"
             "                     Export the record of uploads, or a printable summary\n"
             "  follow-up MERCHANT How the providers reviewed a merchant’s documents\n"
             "  tasks              The rejected documents that need a new upload\n"
             "  help [COMMAND]     Show help for a command\n"
             "\n"
             "Options:\n"
             "  -h, --help         Show this help\n"
             "  --version          Show the version\n"
             "\n"
             "Examples:\n"
             "  dossier-cli providers\n"
             "  dossier-cli upload --provider doku --field category=DOCUMENT --field code=KTP KTP.png\n"
             "  dossier-cli upload --help\n"));
}

int
main (int    argc,
      char **argv)
{
  char *help_argv[] = { NULL, (char *)"--help", NULL };
  const char *command;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("dossier-cli");
  /* GLib's messages (G_MESSAGES_DEBUG too) on stderr: stdout is for output */
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  command = argv[1];
  if (g_str_equal (command, "--version"))
    {
      printf ("dossier-cli %s\n", PACKAGE_VERSION);
      return finish_output (EXIT_OK);
    }
  if (g_str_equal (command, "-h") || g_str_equal (command, "--help") ||
      (g_str_equal (command, "help") && argc == 2))
    {
      print_usage (stdout);
      return finish_output (EXIT_OK);
    }

  if (g_str_equal (command, "help"))
    {
      /* "dossier-cli help upload" is "dossier-cli upload --help" */
      help_argv[0] = argv[2];
      command = argv[2];
      argv = help_argv;
      argc = 2;
    }
  else
    {
      /* the command takes the place of the program name */
      argv++;
      argc--;
    }

  if (g_str_equal (command, "providers"))
    status = dossier_cli_command_providers (argc, argv);
  else if (g_str_equal (command, "upload"))
    status = dossier_cli_command_upload (argc, argv);
  else if (g_str_equal (command, "history"))
    status = dossier_cli_command_history (argc, argv);
  else if (g_str_equal (command, "merchant"))
    status = dossier_cli_command_merchant (argc, argv);
  else if (g_str_equal (command, "checklist"))
    status = dossier_cli_command_checklist (argc, argv);
  else if (g_str_equal (command, "export"))
    status = dossier_cli_command_export (argc, argv);
  else if (g_str_equal (command, "follow-up"))
    status = dossier_cli_command_follow_up (argc, argv);
  else if (g_str_equal (command, "tasks"))
    status = dossier_cli_command_tasks (argc, argv);
  else
    {
      print_error (_("unknown command “%s” (try “dossier-cli --help”)"), command);
      status = EXIT_USAGE;
    }

  status = finish_output (status);
  forget_secrets ();
  return status;
}
