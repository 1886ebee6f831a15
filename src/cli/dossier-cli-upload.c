/* dossier-cli-upload.c: "upload", send files to a provider
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "dossier-catalogue.h"
#include "dossier-cli.h"
#include "dossier-cli-upload-private.h"
#include "dossier-cli-util.h"
#include "dossier-folder.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->upload);
  g_free (item->label);
  g_free (item);
}

/* An upload of the batch, and the name it is given in what is printed */
static Item *
add_item (GPtrArray     *items,
          DossierUpload *upload,
          const char    *label)
{
  Item *item = g_new0 (Item, 1);

  item->upload = g_object_ref (upload);
  item->label = g_strdup (label);
  g_ptr_array_add (items, item);
  return item;
}

static gboolean
on_interrupt (gpointer data)
{
  Run *run = data;

  if (run->interrupted)
    {
      /* a second Ctrl+C: stop waiting for the cancellations */
      clear_progress (run);
      print_finished_items (run);
      _exit (EXIT_INTERRUPTED);
    }

  run->interrupted = TRUE;
  clear_progress (run);
  print_error (_("interrupted: cancelling the uploads"));
  dossier_submission_cancel_all (run->submission);

  return G_SOURCE_CONTINUE;
}

static gboolean
is_validating (Run *run)
{
  gboolean validating = FALSE;

  g_object_get (run->submission, "validating", &validating, NULL);
  return validating;
}

/* A folder stands for the regular files in it and in its subfolders, as
 * in the window (src/core/dossier-folder.c); what it holds and is not sent
 * is said on stderr */
static gboolean
expand_argument (const char *arg,
                 GPtrArray  *files,
                 GPtrArray  *labels,
                 GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg);
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  GFileType type;

  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);
  if (type != G_FILE_TYPE_DIRECTORY)
    {
      /* a missing or odd file is reported by the validation, in its words */
      g_ptr_array_add (files, g_steal_pointer (&file));
      g_ptr_array_add (labels, g_strdup (arg));
      return TRUE;
    }

  children = g_ptr_array_new_with_free_func (g_object_unref);
  skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_skipped_free);
  dossier_folder_collect (file, children, skipped, NULL);

  for (guint i = 0; i < skipped->len; i++)
    {
      g_autofree char *line = dossier_skipped_describe (g_ptr_array_index (skipped, i));

      print_error ("%s", line);
    }

  if (children->len == 0)
    {
      g_autofree char *display = g_filename_display_name (arg);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("the folder “%s” has no files"), display);
      return FALSE;
    }

  for (guint i = 0; i < children->len; i++)
    {
      GFile *child = g_ptr_array_index (children, i);
      g_autofree char *relative = g_file_get_relative_path (file, child);

      g_ptr_array_add (files, g_object_ref (child));
      g_ptr_array_add (labels, g_build_filename (arg, relative, NULL));
    }

  return TRUE;
}

/* A full disk: the history misses what this run did; say what, and what
 * happened to the file */
static void
on_record_error (DossierSubmission *submission,
                 DossierUpload     *upload,
                 const char        *message,
                 Run               *run)
{
  clear_progress (run);
  print_error ("%s", message);
  run->record_failed = TRUE;
}

static gboolean
print_finished_idle (gpointer data)
{
  Run *run = data;

  run->print_id = 0;
  print_finished_items (run);
  return G_SOURCE_REMOVE;
}

static void
on_upload_state (DossierUpload *upload,
                 GParamSpec    *pspec,
                 Run           *run)
{
  /* print once the result is complete too: after this emission */
  if (dossier_upload_is_finished (upload) && run->print_id == 0)
    run->print_id = g_idle_add (print_finished_idle, run);
}

/* What the file's name suggests (KTP.png: category DOCUMENT, code KTP)
 * fills in the fields not given; a --field always wins */
static void
apply_document_values (DossierProvider *provider,
                       DossierUpload   *upload,
                       GHashTable      *values)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DossierField *field = dossier_provider_lookup_field (provider, key);

      if (dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_DOCUMENT)
        dossier_upload_set_value (upload, key, value);
    }
}

/* The submission runs until the record of what it sent is on the disk (or
 * its failure said) */
static gboolean
is_running (DossierSubmission *submission)
{
  gboolean running = FALSE;

  g_object_get (submission, "running", &running, NULL);
  return running;
}

int
dossier_cli_command_upload (int    argc,
                            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierCatalogue) catalogue = NULL;
  g_autoptr(DossierSandbox) sandbox = NULL;
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(DossierCredentials) credentials = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) urls = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autofree char *provider_id = NULL;
  g_autofree char *merchant_key = NULL;
  g_autofree char *merchant_id = NULL;
  g_auto(ConnectionOptions) connection = { 0 };
  g_autofree char *reason = NULL;
  g_autofree char *help = NULL;
  g_auto(GStrv) fields = NULL;
  g_auto(GStrv) args = NULL;
  const char *sandbox_url = NULL;
  const DossierEnvironment *env;
  const DossierFileRules *rules;
  DossierProvider *provider;
  gboolean json = FALSE;
  int concurrency = G_MININT;        /* G_MININT: not given */
  guint n_invalid = 0;
  int status = EXIT_OK;
  gboolean unknown = FALSE;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider_id,
      N_("The provider to send to (see “dossier-cli providers”)"), N_("ID") },
    { NULL }
  };
  const GOptionEntry more_entries[] = {
    { "field", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &fields,
      N_("A provider input by its API name; repeat for more"), N_("NAME=VALUE") },
    { "merchant", 'm', 0, G_OPTION_ARG_STRING, &merchant_key,
      N_("Take the account values from this merchant’s record (a --field wins)"), N_("MERCHANT") },
    { "concurrency", 'j', 0, G_OPTION_ARG_INT, &concurrency,
      N_("Files sent at once, 1 to 8 (default 2)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("One JSON object per file on stdout (JSON Lines)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_("FILE…") },
    { NULL }
  };

  context = g_option_context_new (_("— send documents to a provider"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_connection_options (context, &connection, N_("Send to this address instead of the environment’s"));
  g_option_context_add_main_entries (context, more_entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Sends each FILE (a folder stands for the files in it and in its subfolders;\n"
      "what it holds and is not sent is said) to the provider in its own request,\n"
      "and prints what the provider answered: one line per file, or one JSON\n"
      "object per file with --json. Every file and field is checked first; if\n"
      "anything is wrong, nothing is sent."));
  catalogue = load_catalogue ();
  help = describe_upload (catalogue);
  g_option_context_set_description (context, help);

  if (!parse_command_options (context, "dossier-cli upload", &argc, &argv))
    return EXIT_USAGE;

  /* remember every secret before anything can be printed */
  remember_connection_secrets (&connection);

  if (provider_id == NULL)
    {
      print_error (_("--provider is required (try “dossier-cli upload --help”)"));
      return EXIT_USAGE;
    }

  provider = dossier_catalogue_lookup (catalogue, provider_id);
  if (provider == NULL)
    {
      print_unknown_provider (catalogue, provider_id);
      return EXIT_USAGE;
    }
  rules = dossier_provider_get_file_rules (provider);

  if ((env = find_environment (provider, &connection)) == NULL)
    return EXIT_USAGE;

  if (concurrency != G_MININT && (concurrency < 1 || concurrency > 8))
    {
      print_error (_("--concurrency must be from 1 to 8"));
      return EXIT_USAGE;
    }

  if (connection.token != NULL && connection.api_key != NULL &&
      g_strcmp0 (connection.token, connection.api_key) != 0)
    {
      print_error (_("give either --token or --api-key, not both"));
      return EXIT_USAGE;
    }

  /* --field NAME=VALUE */
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  urls = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL || eq == fields[i])
        {
          print_error (_("--field needs NAME=VALUE, got “%s”"), fields[i]);
          return EXIT_USAGE;
        }

      name = g_strndup (fields[i], eq - fields[i]);
      if (dossier_provider_lookup_field (provider, name) == NULL)
        {
          g_autofree char *known = list_field_names (provider);

          print_error (_("%s has no field “%s” (its fields: %s)"),
                       dossier_provider_get_name (provider), name, known);
          return EXIT_USAGE;
        }

      if (g_strcmp0 (name, rules->alternative_field) == 0)
        g_ptr_array_add (urls, g_strdup (eq + 1));
      else
        g_hash_table_replace (values, g_steal_pointer (&name), g_strdup (eq + 1));
    }

  /* --merchant: the record's account values where no --field gave one */
  if (merchant_key != NULL)
    {
      g_autoptr(GHashTable) record = NULL;
      DossierMerchant *merchant;
      GHashTableIter iter;
      gpointer key, value;

      if ((store = open_merchant_store (catalogue)) == NULL)
        return EXIT_FAILED;
      if ((merchant = find_merchant (store, merchant_key)) == NULL)
        return EXIT_USAGE;
      merchant_id = g_strdup (dossier_merchant_get_id (merchant));
      record = dossier_merchant_dup_account_values (merchant, dossier_provider_get_id (provider));
      g_hash_table_iter_init (&iter, record);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (dossier_provider_lookup_field (provider, key) != NULL && !g_hash_table_contains (values, key))
          g_hash_table_insert (values, g_strdup (key), g_strdup (value));
    }

  files = g_ptr_array_new_with_free_func (g_object_unref);
  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      if (!expand_argument (args[i], files, labels, &error))
        {
          print_error ("%s", error->message);
          return EXIT_USAGE;
        }
    }

  if (files->len == 0 && urls->len == 0)
    {
      if (rules->alternative_field != NULL)
        print_error (_("no files given (or --field %s=URL)"), rules->alternative_field);
      else
        print_error (_("no files given"));
      return EXIT_USAGE;
    }
  if (files->len > 0 && urls->len > 0)
    {
      print_error (_("give files or --field %s=URL, not both"), rules->alternative_field);
      return EXIT_USAGE;
    }

  /* where the requests go */
  if (!find_sandbox (env, connection.base_url, &sandbox, &sandbox_url))
    return EXIT_FAILED;

  credentials = credentials_from_options (provider, &connection, sandbox_url != NULL);

  submission = dossier_submission_new (provider);
  dossier_submission_set_environment (submission, env->id);
  dossier_submission_set_base_url (submission, connection.base_url);
  dossier_submission_set_sandbox_url (submission, sandbox_url);
  dossier_submission_set_credentials (submission, credentials);
  /* recorded against the merchant; another merchant's upload of the same
   * file is a warning */
  dossier_submission_set_merchant_id (submission, merchant_id);
  dossier_submission_set_merchant_store (submission, store);
  if (concurrency > 0)
    dossier_submission_set_max_concurrent (submission, concurrency);

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, values);
    while (g_hash_table_iter_next (&iter, &key, &value))
      dossier_submission_set_value (submission, key, value);
  }

  run.provider = provider;
  run.submission = submission;
  run.json = json;
  run.progress = isatty (STDERR_FILENO);
  run.items = items = g_ptr_array_new_with_free_func (item_free);

  for (guint i = 0; i < files->len; i++)
    {
      Item *item = add_item (items, dossier_submission_add_file (submission, g_ptr_array_index (files, i)),
                             g_ptr_array_index (labels, i));

      apply_document_values (provider, item->upload, values);
    }
  for (guint i = 0; i < urls->len; i++)
    add_item (items, dossier_submission_add_url (submission, g_ptr_array_index (urls, i)),
              g_ptr_array_index (urls, i));

  /* 1. every check, before a byte is sent */
  while (is_validating (&run))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      if (dossier_upload_get_state (item->upload) != DOSSIER_UPLOAD_STATE_INVALID)
        continue;

      n_invalid++;
      print_error ("%s: %s", dossier_upload_get_display_name (item->upload),
                   dossier_upload_get_problem (item->upload));
    }

  if (!dossier_submission_validate_account (submission, &error))
    {
      print_error ("%s", error->message);
      g_clear_error (&error);
      status = EXIT_USAGE;
    }
  else if (n_invalid == 0 && !dossier_submission_can_start (submission, &reason))
    {
      g_autofree char *url = dossier_submission_dup_effective_url (submission, NULL);

      print_error ("%s", reason != NULL ? reason : _("the uploads cannot start"));
      if (url == NULL && connection.base_url == NULL)
        print_error (_("give the address with --base-url URL"));
      else if (!dossier_credentials_is_usable (credentials, provider, NULL))
        print_error (_("give the credentials in DOSSIER_TOKEN or DOSSIER_API_KEY (or --token, --api-key), "
                       "or DOSSIER_CLIENT_ID and DOSSIER_CLIENT_SECRET (or --client-id, --client-secret)"));
      status = EXIT_USAGE;
    }

  if (n_invalid > 0 || status != EXIT_OK)
    {
      if (json)
        for (guint i = 0; i < items->len; i++)
          {
            Item *item = g_ptr_array_index (items, i);

            if (dossier_upload_get_state (item->upload) == DOSSIER_UPLOAD_STATE_INVALID)
              print_item (&run, item);
          }
      print_error (_("nothing was sent"));
      return EXIT_USAGE;
    }

  /* the duplicate guard: said, never a reason not to send */
  for (guint i = 0; i < items->len; i++)
    print_duplicate_warning (g_ptr_array_index (items, i));

  /* 2. send */
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      g_signal_connect (item->upload, "notify::state", G_CALLBACK (on_upload_state), &run);
    }

  g_signal_connect (submission, "record-error", G_CALLBACK (on_record_error), &run);
  run.sigint_id = g_unix_signal_add (SIGINT, on_interrupt, &run);
  run.sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, &run);
  if (run.progress)
    run.progress_id = g_timeout_add (250, draw_progress, &run);

  dossier_submission_start (submission);
  while (!all_finished (&run) || is_running (submission))
    g_main_context_iteration (NULL, TRUE);

  g_clear_handle_id (&run.print_id, g_source_remove);
  g_clear_handle_id (&run.progress_id, g_source_remove);
  g_clear_handle_id (&run.sigint_id, g_source_remove);
  g_clear_handle_id (&run.sigterm_id, g_source_remove);
  clear_progress (&run);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      g_signal_handlers_disconnect_by_func (item->upload, on_upload_state, &run);
      print_item (&run, item);
      if (dossier_upload_get_state (item->upload) == DOSSIER_UPLOAD_STATE_UNKNOWN)
        unknown = TRUE;
      else if (dossier_upload_get_state (item->upload) != DOSSIER_UPLOAD_STATE_DONE)
        status = EXIT_FAILED;
    }

  g_signal_handlers_disconnect_by_func (submission, on_record_error, &run);
  /* sending the batch again blindly could store some files twice */
  if (unknown)
    status = EXIT_UNKNOWN;

  if (run.interrupted)
    return EXIT_INTERRUPTED;
  if (run.record_failed)
    return EXIT_UNRECORDED;
  return status;
}
