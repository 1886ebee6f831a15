/* main.c: dossier-sandbox, the providers' upload APIs on loopback
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "dossier-sandbox.h"

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) faults = NULL;
  g_autofree char *storage = NULL;
  gint port = DOSSIER_SANDBOX_DEFAULT_PORT;
  gboolean quiet = FALSE;
  gint review_after = -1;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Port on 127.0.0.1 (default 8642; 0 picks a free one)", "N" },
    { "storage", 's', 0, G_OPTION_ARG_FILENAME, &storage,
      "Directory for received files (default: a temporary one, removed on exit)", "DIR" },
    { "fault", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault, e.g. kore/chunk:status=500,chunk=2 or "
      "moov/upload:store-drop,probability=0.1,times=0 (repeatable; see below)", "SPEC" },
    { "review-after", 0, 0, G_OPTION_ARG_INT, &review_after,
      "Review every uploaded Moov file and DOKU document SECONDS after it was stored "
      "(a name with \"blurry\" is rejected, others approved; default: never by itself)", "SECONDS" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "Do not log each request", NULL },
    { NULL }
  };

  /* stdout says where the sandbox listens; log messages go to stderr */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new ("- Dossier SANDBOX for provider upload APIs");
  g_option_context_set_summary (context,
                                "Emulates the DOKU, Kore.ai, Moov and receeve upload APIs on "
                                "127.0.0.1 so that Dossier can be tried and tested without "
                                "accounts. Nothing leaves this machine.");
  g_option_context_set_description (context,
    "Faults: TARGET:KIND[,KIND...], TARGET is *, a provider (doku, kore, moov, receeve,\n"
    "generic) or provider/operation (token, upload, start, chunk, complete, list,\n"
    "get, capabilities, requirements, business).\n"
    "  status=CODE       answer CODE instead (nothing stored)\n"
    "  retry-after=S     with a Retry-After: S header (alone: status 429)\n"
    "  delay=MS          answer MS milliseconds late\n"
    "  drop=BYTES        drop the connection after BYTES of the request body\n"
    "  malformed-json    answer 200 with broken JSON\n"
    "  store-fail        store the file, then answer status= (default 500)\n"
    "  store-drop        store the file, then drop the connection, no answer\n"
    "  chunk=N           only Kore chunk N\n"
    "  times=N           N matching requests (default 1; 0: every one)\n"
    "  probability=P     each matching request with chance P (0 to 1)\n"
    "moov/requirement:requirement=ID,error=CODE makes the next file answering the\n"
    "Moov requirement ID fail with errorCode CODE (e.g. document-illegible).\n"
    "GET /_sandbox/received lists what was stored (name, size, sha256);\n"
    "POST /_sandbox/moov/review approves the Moov files that answered a requirement;\n"
    "with a JSON body it decides on command: {\"fileID\":ID,\"decision\":\"rejected\",\n"
    "\"error\":CODE}, {\"pending\":true} (every pending file, as --review-after does),\n"
    "{\"doku\":ID,\"status\":TEXT}. A Request-Id repeated on a DOKU upload answers 409\n"
    "with the earlier answer, nothing stored again.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("dossier-sandbox: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("dossier-sandbox: --port must be from 0 to 65535\n");
      return EXIT_FAILURE;
    }

  sandbox = dossier_sandbox_new (storage, &error);
  if (sandbox == NULL)
    {
      g_printerr ("dossier-sandbox: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_object_set (sandbox, "log-requests", !quiet, NULL);
  if (review_after < -1)
    {
      g_printerr ("dossier-sandbox: --review-after must be 0 or more seconds\n");
      return EXIT_FAILURE;
    }
  dossier_sandbox_set_review_after (sandbox, review_after);

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    {
      if (!dossier_sandbox_add_fault (sandbox, faults[i], &error))
        {
          g_printerr ("dossier-sandbox: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  if (!dossier_sandbox_listen (sandbox, port, &error))
    {
      g_printerr ("dossier-sandbox: could not listen on 127.0.0.1:%d: %s\n", port, error->message);
      return EXIT_FAILURE;
    }

  /* plain stdio: the banner is UTF-8 whatever the locale, and flushed at
   * once because scripts wait for the "Listening on" line */
  printf ("Dossier SANDBOX — emulates DOKU, Kore.ai, Moov and receeve on loopback; "
          "nothing leaves this machine\n");
  printf ("Listening on %s\n", dossier_sandbox_get_base_url (sandbox));
  printf ("Storage: %s\n", dossier_sandbox_get_storage_dir (sandbox));
  printf ("%s", dossier_sandbox_get_credentials_text ());
  printf ("Press Ctrl+C to stop.\n");
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  printf ("Sandbox stopped.\n");

  return EXIT_SUCCESS;
}
