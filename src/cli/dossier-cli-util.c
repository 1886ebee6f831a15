/* dossier-cli-util.c: what every command of dossier-cli shares
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Masking the secrets of this run, the lines printed for people (escaped
 * for the terminal), errors, JSON output, the catalogue with its problems
 * said, and each command's option parsing.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "dossier-cli-upload-private.h"
#include "dossier-cli-util.h"
#include "dossier-redact.h"
#include "dossier-sandbox.h"
#include "dossier-util.h"

/* The secrets of this run, masked in everything printed (the rule is in
 * src/core/dossier-redact.c) */
static DossierRedact *secrets;

/* Why stdout could not be written to, the first time */
static int output_error;

void
remember_secret (const char *secret)
{
  if (secrets == NULL)
    secrets = dossier_redact_new ();
  dossier_redact_add (secrets, secret);
}

char *
redact (const char *text)
{
  if (secrets == NULL)
    return g_strdup (text);
  return dossier_redact_apply (secrets, text);
}

/* What is on stdout goes out now (a line of a batch, while the others
 * are sent) */
void
flush_output (void)
{
  if (fflush (stdout) != 0 && output_error == 0)
    output_error = errno;
}

/* What could not be written on stdout (a full disk, a closed pipe) is a
 * failure, said on stderr: a script must not take a lost answer for an
 * empty one. An upload's files are in the history all the same. */
int
finish_output (int status)
{
  flush_output ();
  if (!ferror (stdout))
    return status;

  if (output_error != 0)
    print_error (_("could not write the output: %s"), g_strerror (output_error));
  else
    print_error (_("could not write the output"));
  return status == EXIT_OK ? EXIT_FAILED : status;
}

/* A line for people on a terminal: without secrets, and with every
 * control character from a provider or a file name escaped */
void
print_human_line (FILE       *out,
                  const char *line)
{
  g_autofree char *safe = redact (line);
  g_autofree char *escaped = dossier_escape_for_terminal (safe, TRUE);

  fputs (escaped, out);
  fputc ('\n', out);
}

void
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  safe = g_strconcat ("dossier-cli: ", message, NULL);
  print_human_line (stderr, safe);
}

const char *
enum_nick (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);
  const char *nick = ev != NULL ? ev->value_nick : NULL;

  /* enum classes of static types are never freed: the nick stays valid */
  g_type_class_unref (klass);
  return nick;
}

void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
add_strv (JsonBuilder        *b,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

/* @node on stdout, pretty or on one line (JSON Lines), and a newline */
void
print_json (JsonNode *node,
            gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

DossierCatalogue *
load_catalogue (void)
{
  DossierCatalogue *catalogue = dossier_catalogue_new_default ();
  const char * const *problems = dossier_catalogue_get_problems (catalogue);
  const char * const *notices = dossier_catalogue_get_notices (catalogue);

  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    print_error (_("skipped %s"), problems[i]);
  for (guint i = 0; notices != NULL && notices[i] != NULL; i++)
    print_error ("%s", notices[i]);

  return catalogue;
}

/* The string property @property of every item of @model, comma-separated */
char *
join_property (GListModel *model,
               const char *property)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *value = NULL;

      g_object_get (item, property, &value, NULL);
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, value);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
print_unknown_provider (DossierCatalogue *catalogue,
                        const char       *provider_id)
{
  g_autofree char *known = join_property (G_LIST_MODEL (catalogue), "id");

  print_error (_("unknown provider “%s” (known: %s)"), provider_id, known);
}

/* Parses the options of a command under its own name, so that its --help
 * reads "Usage: dossier-cli upload [OPTION…]" */
gboolean
parse_command_options (GOptionContext   *context,
                       const char       *prgname,
                       int              *argc,
                       char           ***argv)
{
  g_autoptr(GError) error = NULL;

  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error ("%s", error->message);
      return FALSE;
    }
  g_set_prgname ("dossier-cli");

  return TRUE;
}

/* -------------------------------------------------------------------------- */
/* Where requests go, and with which credentials (upload, checklist)         */

void
connection_options_clear (ConnectionOptions *options)
{
  g_clear_pointer (&options->environment, g_free);
  g_clear_pointer (&options->base_url, g_free);
  g_clear_pointer (&options->token, g_free);
  g_clear_pointer (&options->api_key, g_free);
  g_clear_pointer (&options->client_id, g_free);
  g_clear_pointer (&options->client_secret, g_free);
}

/* --environment, --base-url and the credentials, in the main group */
void
add_connection_options (GOptionContext    *context,
                        ConnectionOptions *options,
                        const char        *base_url_description)
{
  const GOptionEntry entries[] = {
    { "environment", 'e', 0, G_OPTION_ARG_STRING, &options->environment,
      N_("sandbox (default), test or production, as the provider lists them"), N_("ENV") },
    { "base-url", 'u', 0, G_OPTION_ARG_STRING, &options->base_url, base_url_description, N_("URL") },
    { "token", 't', 0, G_OPTION_ARG_STRING, &options->token,
      N_("Access or bearer token (better: DOSSIER_TOKEN)"), N_("TOKEN") },
    { "api-key", 'k', 0, G_OPTION_ARG_STRING, &options->api_key,
      N_("API key (better: DOSSIER_API_KEY)"), N_("KEY") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &options->client_id,
      N_("Client id to request a token with (DOKU Brand ID, Moov public key…)"), N_("ID") },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &options->client_secret,
      N_("The matching secret (better: DOSSIER_CLIENT_SECRET)"), N_("SECRET") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* every secret, before anything can be printed */
void
remember_connection_secrets (ConnectionOptions *options)
{
  remember_secret (option_or_env (options->token, "DOSSIER_TOKEN"));
  remember_secret (option_or_env (options->api_key, "DOSSIER_API_KEY"));
  remember_secret (option_or_env (options->client_secret, "DOSSIER_CLIENT_SECRET"));
}

/* The environment asked for, by default the sandbox (production for an
 * address of one's own); NULL, said, when the provider has no such one */
const DossierEnvironment *
find_environment (DossierProvider   *provider,
                  ConnectionOptions *options)
{
  const DossierEnvironment *env;

  if (options->environment == NULL)
    {
      /* an address of one's own is rarely the sandbox */
      if (options->base_url != NULL && dossier_provider_lookup_environment (provider, "production") != NULL)
        options->environment = g_strdup ("production");
      else
        options->environment = g_strdup ("sandbox");
    }
  env = dossier_provider_lookup_environment (provider, options->environment);
  if (env == NULL)
    {
      g_autofree char *known = list_environments (provider);

      print_error (_("%s has no environment “%s” (it has: %s)"),
                   dossier_provider_get_name (provider), options->environment, known);
    }
  return env;
}

const char *
option_or_env (const char *option,
               const char *variable)
{
  const char *value = option;

  if (value == NULL || *value == '\0')
    value = g_getenv (variable);
  if (value != NULL && *value == '\0')
    value = NULL;
  return value;
}

/* The sandbox @env stands for, unless @base_url is given: the one in
 * DOSSIER_SANDBOX_URL, the built-in one in *@sandbox, or one started now
 * (kept in *@sandbox). FALSE (said) when it cannot start */
gboolean
find_sandbox (const DossierEnvironment  *env,
              const char                *base_url,
              DossierSandbox           **sandbox,
              const char               **sandbox_url)
{
  g_autoptr(GError) error = NULL;

  *sandbox_url = NULL;
  if (base_url != NULL || !dossier_provider_is_sandbox_url (env->base_url))
    return TRUE;

  *sandbox_url = g_getenv ("DOSSIER_SANDBOX_URL");
  if (*sandbox_url != NULL && **sandbox_url != '\0')
    return TRUE;
  /* one built-in sandbox serves every provider of a command */
  if (*sandbox != NULL)
    {
      *sandbox_url = dossier_sandbox_get_base_url (*sandbox);
      return TRUE;
    }

  *sandbox = dossier_sandbox_new (NULL, &error);
  if (*sandbox == NULL || !dossier_sandbox_start_thread (*sandbox, 0, &error))
    {
      print_error (_("could not start the built-in sandbox: %s"), error->message);
      return FALSE;
    }
  *sandbox_url = dossier_sandbox_get_base_url (*sandbox);
  g_printerr (_("Using the built-in sandbox at %s (nothing leaves this machine)\n"), *sandbox_url);
  return TRUE;
}

/* Credentials: options, then the environment, then (@sandbox) the
 * sandbox's own public ones */
DossierCredentials *
credentials_from_options (DossierProvider   *provider,
                          ConnectionOptions *options,
                          gboolean           sandbox)
{
  const char *token = options->token;
  const char *api_key = options->api_key;
  const char *client_id = options->client_id;
  const char *client_secret = options->client_secret;
  DossierCredentials *credentials = dossier_credentials_new ();
  const DossierSandboxSample *sample;
  const char *secret;
  gboolean has_credentials;

  secret = option_or_env (token != NULL ? token : api_key, "DOSSIER_TOKEN");
  if (secret == NULL)
    secret = option_or_env (NULL, "DOSSIER_API_KEY");
  dossier_credentials_set_secret (credentials, secret);
  dossier_credentials_set_client_id (credentials, option_or_env (client_id, "DOSSIER_CLIENT_ID"));
  dossier_credentials_set_client_secret (credentials, option_or_env (client_secret, "DOSSIER_CLIENT_SECRET"));
  has_credentials = secret != NULL ||
                    option_or_env (client_id, "DOSSIER_CLIENT_ID") != NULL ||
                    option_or_env (client_secret, "DOSSIER_CLIENT_SECRET") != NULL;

  sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (provider));
  if (!has_credentials && sandbox && sample != NULL)
    {
      dossier_credentials_set_secret (credentials, sample->secret);
      /* what a signed request needs (DOKU's list of required documents) */
      dossier_credentials_set_client_id (credentials, sample->client_id);
      dossier_credentials_set_client_secret (credentials, sample->client_secret);
    }
  return credentials;
}

/* At exit: the secrets are wiped from memory */
void
forget_secrets (void)
{
  g_clear_pointer (&secrets, dossier_redact_free);
}
