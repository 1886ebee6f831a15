/* main.c: dossier-cli, the upload engine without a window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   dossier-cli providers [ID...]      the catalogue as JSON
 *   dossier-cli upload --provider ID   send files, one line (or JSON) per file
 *   dossier-cli history                the uploads that finished, newest first
 *
 * Output meant for scripts goes to stdout; messages and progress go to
 * stderr, progress only when stderr is a terminal; log messages go to
 * stderr too. Secrets given on the command line or in the environment are
 * never printed: every text that comes from elsewhere passes through
 * redact() first. What is printed for people goes through
 * print_human_line(): control characters from a provider or a file name
 * never reach the terminal raw.
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "dossier-catalogue.h"
#include "dossier-folder.h"
#include "dossier-history.h"
#include "dossier-redact.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"
#include "dossier-util.h"
#include "dossier-validate.h"

#define EXIT_OK          0
#define EXIT_FAILED      1
#define EXIT_USAGE       2
#define EXIT_UNKNOWN     3   /* some files may have arrived: check before sending again */
#define EXIT_UNRECORDED  4   /* uploads ended, the history could not record them */
#define EXIT_INTERRUPTED 130


/* -------------------------------------------------------------------------- */
/* small helpers                                                              */

/* The secrets of this run, masked in everything printed (the rule is in
 * src/core/dossier-redact.c) */
static DossierRedact *secrets;

static void
remember_secret (const char *secret)
{
  if (secrets == NULL)
    secrets = dossier_redact_new ();
  dossier_redact_add (secrets, secret);
}

static char *
redact (const char *text)
{
  if (secrets == NULL)
    return g_strdup (text);
  return dossier_redact_apply (secrets, text);
}

/* A line for people on a terminal: without secrets, and with every
 * control character from a provider or a file name escaped */
static void
print_human_line (FILE       *out,
                  const char *line)
{
  g_autofree char *safe = redact (line);
  g_autofree char *escaped = dossier_escape_for_terminal (safe, TRUE);

  fputs (escaped, out);
  fputc ('\n', out);
}

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
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

static const char *
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

static void
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

static void
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

static char *
node_to_string (JsonNode *node,
                gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static DossierCatalogue *
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
static char *
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

static void
print_unknown_provider (DossierCatalogue *catalogue,
                        const char       *provider_id)
{
  g_autofree char *known = join_property (G_LIST_MODEL (catalogue), "id");

  print_error (_("unknown provider “%s” (known: %s)"), provider_id, known);
}

/* Parses the options of a command under its own name, so that its --help
 * reads "Usage: dossier-cli upload [OPTION…]" */
static gboolean
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
/* providers                                                                  */

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

static int
command_providers (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierCatalogue) catalogue = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *user_dir = NULL;
  g_autofree char *description = NULL;
  g_autofree char *text = NULL;
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
  text = node_to_string (root, TRUE);
  fputs (text, stdout);
  fputc ('\n', stdout);

  return EXIT_OK;
}

/* -------------------------------------------------------------------------- */
/* upload                                                                     */

typedef struct
{
  DossierUpload *upload;
  char          *label;       /* the path as given, or the URL */
  gboolean       printed;
} Item;

typedef struct
{
  DossierProvider   *provider;
  DossierSubmission *submission;
  GPtrArray         *items;   /* Item */
  gboolean           json;
  gboolean           progress;
  gboolean           interrupted;
  gboolean           progress_shown;
  guint              progress_id;
  guint              print_id;
  guint              sigint_id;
  guint              sigterm_id;
  gboolean           record_failed;
} Run;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->upload);
  g_free (item->label);
  g_free (item);
}

static const char *
status_word (DossierUploadState state)
{
  switch (state)
    {
    case DOSSIER_UPLOAD_STATE_DONE:
      return "done";
    case DOSSIER_UPLOAD_STATE_FAILED:
      return "failed";
    case DOSSIER_UPLOAD_STATE_CANCELLED:
      return "cancelled";
    case DOSSIER_UPLOAD_STATE_UNKNOWN:
      return "unknown";
    case DOSSIER_UPLOAD_STATE_INVALID:
      return "invalid";
    case DOSSIER_UPLOAD_STATE_READY:
      return "ready";
    case DOSSIER_UPLOAD_STATE_QUEUED:
    case DOSSIER_UPLOAD_STATE_RUNNING:
    case DOSSIER_UPLOAD_STATE_WAITING:
    default:
      return "running";
    }
}

static gboolean
use_utf8 (void)
{
  static int utf8 = -1;

  if (utf8 < 0)
    utf8 = g_get_charset (NULL) ? 1 : 0;
  return utf8 == 1;
}

static void
clear_progress (Run *run)
{
  if (run->progress_shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      run->progress_shown = FALSE;
    }
}

static char *
item_error (Item *item)
{
  const DossierResult *result = dossier_upload_get_result (item->upload);
  DossierUploadState state = dossier_upload_get_state (item->upload);

  if (state == DOSSIER_UPLOAD_STATE_DONE)
    return NULL;
  if (state == DOSSIER_UPLOAD_STATE_CANCELLED)
    return g_strdup (_("Cancelled"));
  /* the plain words of what may have happened come first */
  if (state == DOSSIER_UPLOAD_STATE_UNKNOWN && dossier_upload_get_problem (item->upload) != NULL)
    return redact (dossier_upload_get_problem (item->upload));
  if (result != NULL && result->message != NULL && *result->message != '\0')
    return redact (result->message);
  if (dossier_upload_get_problem (item->upload) != NULL)
    return redact (dossier_upload_get_problem (item->upload));
  if (result != NULL && result->http_status != 0)
    return g_strdup_printf (_("The server answered %u"), result->http_status);
  return NULL;
}

static void
print_item_json (Run  *run,
                 Item *item)
{
  const DossierResult *result = dossier_upload_get_result (item->upload);
  DossierUploadState state = dossier_upload_get_state (item->upload);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *error = item_error (item);
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;

  if (result != NULL && result->link_expires != NULL)
    expires = g_date_time_format_iso8601 (result->link_expires);
  if (result != NULL)
    message = redact (result->message);

  json_builder_begin_object (b);
  /* JSON is UTF-8: a path that is not is given as people see it (U+FFFD
   * for the bytes that are not UTF-8), and exactly, percent-encoded, in
   * "file_bytes" (null when "file" is the path itself) */
  if (g_utf8_validate (item->label, -1, NULL))
    {
      add_string_or_null (b, "file", item->label);
      add_string_or_null (b, "file_bytes", NULL);
    }
  else
    {
      g_autofree char *display = g_filename_display_name (item->label);
      g_autofree char *bytes = g_uri_escape_string (item->label, "/", TRUE);

      add_string_or_null (b, "file", display);
      add_string_or_null (b, "file_bytes", bytes);
    }
  add_string_or_null (b, "provider", dossier_provider_get_id (run->provider));
  add_string_or_null (b, "status", status_word (state));
  add_string_or_null (b, "id", result ? result->remote_id : NULL);
  add_string_or_null (b, "link", result ? result->link : NULL);
  add_string_or_null (b, "link_expires", expires);
  add_string_or_null (b, "remote_status", result ? result->status : NULL);
  json_builder_set_member_name (b, "http_status");
  if (result != NULL && result->http_status != 0)
    json_builder_add_int_value (b, result->http_status);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "error", error);
  add_string_or_null (b, "code", result ? result->code : NULL);
  add_string_or_null (b, "request_id", result ? result->request_id : NULL);
  json_builder_set_member_name (b, "size");
  if (dossier_upload_get_file (item->upload) != NULL && dossier_upload_get_size (item->upload) >= 0)
    json_builder_add_int_value (b, dossier_upload_get_size (item->upload));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  text = node_to_string (root, FALSE);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

static void
print_item_human (Run  *run,
                  Item *item)
{
  const DossierResult *result = dossier_upload_get_result (item->upload);
  DossierUploadState state = dossier_upload_get_state (item->upload);
  const char *name = dossier_upload_get_display_name (item->upload);
  g_autoptr(GString) line = g_string_new (NULL);

  if (name == NULL)
    name = item->label;

  if (state == DOSSIER_UPLOAD_STATE_DONE)
    {
      g_string_append_printf (line, "%s %s", use_utf8 () ? "✓" : "OK", name);
      if (result != NULL && result->remote_id != NULL)
        g_string_append_printf (line, _("  id %s"), result->remote_id);
      if (result != NULL && result->status != NULL)
        g_string_append_printf (line, _("  status %s"), result->status);
      if (result != NULL && result->link != NULL)
        g_string_append_printf (line, _("  link %s"), result->link);
      if (result != NULL && result->link_expires != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          GTimeSpan left = g_date_time_difference (result->link_expires, now);
          gint64 minutes = (left + G_TIME_SPAN_MINUTE / 2) / G_TIME_SPAN_MINUTE;

          g_string_append_printf (line, _("  (link valid %d min)"), (int) MAX (minutes, 0));
        }
    }
  else
    {
      g_autofree char *error = item_error (item);

      if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
        g_string_append_printf (line, "%s %s ", use_utf8 () ? "?" : "UNKNOWN", name);
      else
        g_string_append_printf (line, "%s %s ", use_utf8 () ? "✗" : "FAILED", name);
      if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
        {
          /* the words say what the status was */
          g_string_append_printf (line, " %s: %s", _("outcome unknown"), error ? error : "");
          if (result != NULL && result->request_id != NULL)
            g_string_append_printf (line, _(" (request id %s)"), result->request_id);
        }
      else if (state == DOSSIER_UPLOAD_STATE_CANCELLED)
        g_string_append_printf (line, " %s", _("cancelled"));
      else if (state == DOSSIER_UPLOAD_STATE_FAILED &&
               (dossier_upload_get_problem (item->upload) != NULL || result != NULL))
        {
          /* the sentence the upload page and the history show */
          g_autofree char *failure = NULL;
          g_autofree char *shown = NULL;

          if (dossier_upload_get_problem (item->upload) == NULL)
            failure = dossier_result_describe_failure (result);
          shown = redact (failure != NULL ? failure : dossier_upload_get_problem (item->upload));
          g_string_append_printf (line, " %s", shown);
          if (result != NULL && result->code != NULL)
            /* Translators: the provider's error code: "  code INVALID_PARAMETER" */
            g_string_append_printf (line, _("  code %s"), result->code);
        }
      else
        {
          if (result != NULL && result->http_status != 0)
            g_string_append_printf (line, " %u", result->http_status);
          if (result != NULL && result->code != NULL)
            g_string_append_printf (line, " %s", result->code);
          if (error != NULL)
            g_string_append_printf (line, "%s %s",
                                    result != NULL && (result->http_status != 0 || result->code != NULL) ? ":" : "",
                                    error);
          if (result != NULL && result->request_id != NULL)
            g_string_append_printf (line, _(" (request id %s)"), result->request_id);
        }
    }

  print_human_line (stdout, line->str);
}

static void
print_item (Run  *run,
            Item *item)
{
  if (item->printed)
    return;
  item->printed = TRUE;

  clear_progress (run);
  if (run->json)
    print_item_json (run, item);
  else
    print_item_human (run, item);
  fflush (stdout);
}

static void
print_finished_items (Run *run)
{
  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);

      if (dossier_upload_is_finished (item->upload))
        print_item (run, item);
    }
}

static gboolean
all_finished (Run *run)
{
  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);

      if (!dossier_upload_is_finished (item->upload))
        return FALSE;
    }
  return TRUE;
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

static int
terminal_width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
    return ws.ws_col;
  return 80;
}

static gboolean
draw_progress (gpointer data)
{
  Run *run = data;
  g_autoptr(GString) line = g_string_new (NULL);
  guint done = 0;
  guint active = 0;
  int width = terminal_width ();

  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);
      DossierUploadState state = dossier_upload_get_state (item->upload);

      if (dossier_upload_is_finished (item->upload))
        done++;
      if (state == DOSSIER_UPLOAD_STATE_RUNNING || state == DOSSIER_UPLOAD_STATE_WAITING)
        {
          g_autofree char *progress = dossier_upload_dup_progress_text (item->upload);
          g_autofree char *text = dossier_escape_for_terminal (progress, TRUE);
          g_autofree char *name = dossier_escape_for_terminal (dossier_upload_get_display_name (item->upload), TRUE);

          g_string_append_printf (line, "%s%s %.0f%%%s%s",
                                  active > 0 ? " · " : "",
                                  name,
                                  100 * dossier_upload_get_fraction (item->upload),
                                  text != NULL && *text != '\0' ? " · " : "",
                                  text != NULL ? text : "");
          active++;
        }
    }

  {
    g_autofree char *head = g_strdup_printf ("[%u/%u] ", done, run->items->len);
    g_string_prepend (line, head);
  }

  /* without secrets before it is cut: a cut secret is not found */
  {
    g_autofree char *safe = redact (line->str);

    g_string_assign (line, safe);
  }

  /* one line, cut to the terminal's width (counted in characters); the
   * names are escaped above, so that the cut counts what is shown */
  if (g_utf8_strlen (line->str, -1) > width - 1)
    {
      const char *cut = g_utf8_offset_to_pointer (line->str, width - 2);

      g_string_truncate (line, cut - line->str);
      g_string_append (line, "…");
    }

  fputs ("\r\033[K", stderr);
  fputs (line->str, stderr);
  fflush (stderr);
  run->progress_shown = TRUE;

  return G_SOURCE_CONTINUE;
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

static char *
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

static char *
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
static char *
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

/* The sandbox's public credentials, as the sandbox publishes them */
static void
use_sandbox_credentials (DossierCredentials *credentials,
                         DossierProvider    *provider)
{
  const DossierSandboxSample *sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (provider));

  if (sample != NULL)
    dossier_credentials_set_secret (credentials, sample->secret);
}

static const char *
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

static int
command_upload (int    argc,
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
  g_autofree char *provider_id = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *help = NULL;
  g_auto(GStrv) fields = NULL;
  g_auto(GStrv) args = NULL;
  const char *secret;
  const char *sandbox_url = NULL;
  const DossierEnvironment *env;
  const DossierFileRules *rules;
  DossierProvider *provider;
  gboolean json = FALSE;
  gboolean has_credentials;
  int concurrency = 0;
  guint n_invalid = 0;
  int status = EXIT_OK;
  gboolean unknown = FALSE;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider_id,
      N_("The provider to send to (see “dossier-cli providers”)"), N_("ID") },
    { "environment", 'e', 0, G_OPTION_ARG_STRING, &environment,
      N_("sandbox (default), test or production, as the provider lists them"), N_("ENV") },
    { "base-url", 'u', 0, G_OPTION_ARG_STRING, &base_url,
      N_("Send to this address instead of the environment’s"), N_("URL") },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token,
      N_("Access or bearer token (better: DOSSIER_TOKEN)"), N_("TOKEN") },
    { "api-key", 'k', 0, G_OPTION_ARG_STRING, &api_key,
      N_("API key (better: DOSSIER_API_KEY)"), N_("KEY") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("Client id to request a token with (DOKU Brand ID, Moov public key…)"), N_("ID") },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret,
      N_("The matching secret (better: DOSSIER_CLIENT_SECRET)"), N_("SECRET") },
    { "field", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &fields,
      N_("A provider input by its API name; repeat for more"), N_("NAME=VALUE") },
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
  remember_secret (option_or_env (token, "DOSSIER_TOKEN"));
  remember_secret (option_or_env (api_key, "DOSSIER_API_KEY"));
  remember_secret (option_or_env (client_secret, "DOSSIER_CLIENT_SECRET"));

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

  if (environment == NULL)
    {
      /* an address of one's own is rarely the sandbox */
      if (base_url != NULL && dossier_provider_lookup_environment (provider, "production") != NULL)
        environment = g_strdup ("production");
      else
        environment = g_strdup ("sandbox");
    }
  env = dossier_provider_lookup_environment (provider, environment);
  if (env == NULL)
    {
      g_autofree char *known = list_environments (provider);

      print_error (_("%s has no environment “%s” (it has: %s)"),
                   dossier_provider_get_name (provider), environment, known);
      return EXIT_USAGE;
    }

  if (concurrency != 0 && (concurrency < 1 || concurrency > 8))
    {
      print_error (_("--concurrency must be from 1 to 8"));
      return EXIT_USAGE;
    }

  if (token != NULL && api_key != NULL && g_strcmp0 (token, api_key) != 0)
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
  if (base_url == NULL && dossier_provider_is_sandbox_url (env->base_url))
    {
      sandbox_url = g_getenv ("DOSSIER_SANDBOX_URL");
      if (sandbox_url == NULL || *sandbox_url == '\0')
        {
          sandbox = dossier_sandbox_new (NULL);
          if (!dossier_sandbox_start_thread (sandbox, 0, &error))
            {
              print_error (_("could not start the built-in sandbox: %s"), error->message);
              return EXIT_FAILED;
            }
          sandbox_url = dossier_sandbox_get_base_url (sandbox);
          g_printerr (_("Using the built-in sandbox at %s (nothing leaves this machine)\n"), sandbox_url);
        }
    }

  /* credentials: options, then the environment, then the sandbox's own */
  credentials = dossier_credentials_new ();
  secret = option_or_env (token != NULL ? token : api_key, "DOSSIER_TOKEN");
  if (secret == NULL)
    secret = option_or_env (NULL, "DOSSIER_API_KEY");
  dossier_credentials_set_secret (credentials, secret);
  dossier_credentials_set_client_id (credentials, option_or_env (client_id, "DOSSIER_CLIENT_ID"));
  dossier_credentials_set_client_secret (credentials, option_or_env (client_secret, "DOSSIER_CLIENT_SECRET"));
  has_credentials = secret != NULL ||
                    option_or_env (client_id, "DOSSIER_CLIENT_ID") != NULL ||
                    option_or_env (client_secret, "DOSSIER_CLIENT_SECRET") != NULL;
  if (!has_credentials && sandbox_url != NULL)
    use_sandbox_credentials (credentials, provider);

  submission = dossier_submission_new (provider);
  dossier_submission_set_environment (submission, env->id);
  dossier_submission_set_base_url (submission, base_url);
  dossier_submission_set_sandbox_url (submission, sandbox_url);
  dossier_submission_set_credentials (submission, credentials);
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
      Item *item = g_new0 (Item, 1);

      item->upload = g_object_ref (dossier_submission_add_file (submission, g_ptr_array_index (files, i)));
      item->label = g_strdup (g_ptr_array_index (labels, i));
      g_ptr_array_add (items, item);
      apply_document_values (provider, item->upload, values);
    }
  for (guint i = 0; i < urls->len; i++)
    {
      Item *item = g_new0 (Item, 1);

      item->upload = g_object_ref (dossier_submission_add_url (submission, g_ptr_array_index (urls, i)));
      item->label = g_strdup (g_ptr_array_index (urls, i));
      g_ptr_array_add (items, item);
    }

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
      if (url == NULL && base_url == NULL)
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

/* -------------------------------------------------------------------------- */
/* history                                                                    */

static void
print_history_human (DossierHistoryEntry *entry,
                     GDateTime           *now)
{
  g_autofree char *when = dossier_history_entry_format_time (entry, now);
  g_autoptr(GString) line = g_string_new (NULL);
  const char *environment = dossier_history_entry_get_environment (entry);

  /* Translators: a line of "dossier-cli history": time, provider, environment, file */
  g_string_append_printf (line, _("%s  %s · %s  %s"), when,
                          dossier_history_entry_get_provider_name (entry),
                          environment != NULL ? environment : "-",
                          dossier_history_entry_get_file_name (entry));

  if (dossier_history_entry_get_success (entry))
    {
      const char *remote_id = dossier_history_entry_get_remote_id (entry);
      const char *link = dossier_history_entry_get_link (entry);

      g_string_append_printf (line, "  %s", _("sent"));
      if (remote_id != NULL)
        g_string_append_printf (line, "  %s", remote_id);
      if (link != NULL)
        g_string_append_printf (line, "  %s%s", link,
                                dossier_history_entry_link_expired (entry, now)
                                ? _(" (link expired)") : "");
    }
  else
    {
      /* the sentence the upload page and the history window show */
      g_autofree char *sentence = dossier_history_entry_describe_failure (entry);

      if (dossier_history_entry_get_outcome_unknown (entry))
        g_string_append_printf (line, "  %s", _("outcome unknown"));
      else
        g_string_append_printf (line, "  %s", _("failed"));
      g_string_append_printf (line, ": %s", sentence);
    }

  print_human_line (stdout, line->str);
}

/* What was queued and not sent: enough to send it again */
static void
print_unsent_human (JsonObject *object)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *state = json_object_get_string_member_with_default (object, "state", "");
  const char *where = json_object_get_string_member_with_default (object, "path", NULL);
  const char *environment = json_object_get_string_member_with_default (object, "environment", "-");
  const char *message = json_object_get_string_member_with_default (object, "message", NULL);
  JsonNode *values = json_object_get_member (object, "values");

  if (where == NULL)
    where = json_object_get_string_member_with_default (object, "url", NULL);
  if (where == NULL)
    where = json_object_get_string_member_with_default (object, "uri", "?");

  if (g_str_equal (state, "may-have-been-sent"))
    g_string_append (line, _("may have been sent"));
  else
    g_string_append (line, _("not sent"));
  /* Translators: a line of "dossier-cli history --unsent" after the state: provider, environment,
   * file */
  g_string_append_printf (line, _("  %s · %s  %s"),
                          json_object_get_string_member_with_default (object, "provider_id", "?"),
                          environment, where);
  if (message != NULL)
    g_string_append_printf (line, ": %s", message);

  if (values != NULL && JSON_NODE_HOLDS_OBJECT (values))
    {
      JsonObject *members = json_node_get_object (values);
      g_autoptr(GList) names = json_object_get_members (members);

      names = g_list_sort (names, (GCompareFunc) g_strcmp0);
      for (GList *l = names; l != NULL; l = l->next)
        g_string_append_printf (line, "  %s=%s", (const char *) l->data,
                                json_object_get_string_member_with_default (members, l->data, ""));
    }

  print_human_line (stdout, line->str);
}

static int
command_unsent (DossierHistory *history,
                gboolean        json,
                int             limit)
{
  g_autoptr(GPtrArray) unsent = dossier_history_dup_unsent (history);
  guint n_maybe = 0;
  guint n = unsent->len;

  if (limit > 0)
    n = MIN (n, (guint) limit);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *object = g_ptr_array_index (unsent, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "state", NULL),
                     "may-have-been-sent") == 0)
        n_maybe++;

      if (json)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
          g_autofree char *text = json_to_string (node, FALSE);

          printf ("%s\n", text);
        }
      else
        print_unsent_human (object);
    }

  if (!json && n_maybe > 0)
    print_error (_("files marked “may have been sent” were being sent when the upload stopped: "
                   "check with the provider before sending them again"));

  return EXIT_OK;
}

static int
command_history (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *description = NULL;
  DossierHistory *history;
  gboolean json = FALSE;
  gboolean unsent = FALSE;
  int limit = 0;
  guint n;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object per line"), NULL },
    { "unsent", 0, 0, G_OPTION_ARG_NONE, &unsent,
      N_("Print the files that were to be sent and were not, oldest first"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Print at most N uploads (the newest)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  history = dossier_history_get_default ();
  description = g_strdup_printf (_("Prints the uploads that were sent or failed, newest first, from\n"
                                   "%s (the last %u are kept).\n"
                                   "\n"
                                   "Examples:\n"
                                   "  dossier-cli history --limit 10\n"
                                   "  dossier-cli history --json | jq -r 'select(.success) | .remote_id'\n"),
                                 dossier_history_get_path (history), DOSSIER_HISTORY_MAX_ENTRIES);

  context = g_option_context_new (_("— the uploads that finished"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, description);
  if (!parse_command_options (context, "dossier-cli history", &argc, &argv))
    return EXIT_USAGE;

  if (argc > 1)
    {
      print_error (_("history takes no arguments, got “%s”"), argv[1]);
      return EXIT_USAGE;
    }
  if (limit < 0)
    {
      print_error (_("--limit needs a number of 0 or more (0: all)"));
      return EXIT_USAGE;
    }

  if (unsent)
    return command_unsent (history, json, limit);

  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  if (limit > 0)
    n = MIN (n, (guint) limit);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      if (json)
        {
          g_autoptr(JsonNode) node = dossier_history_entry_to_json (entry);
          g_autofree char *text = json_to_string (node, FALSE);

          printf ("%s\n", text);
        }
      else
        print_history_human (entry, now);
    }

  return EXIT_OK;
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
      return EXIT_OK;
    }
  if (g_str_equal (command, "-h") || g_str_equal (command, "--help") ||
      (g_str_equal (command, "help") && argc == 2))
    {
      print_usage (stdout);
      return EXIT_OK;
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
    status = command_providers (argc, argv);
  else if (g_str_equal (command, "upload"))
    status = command_upload (argc, argv);
  else if (g_str_equal (command, "history"))
    status = command_history (argc, argv);
  else
    {
      print_error (_("unknown command “%s” (try “dossier-cli --help”)"), command);
      status = EXIT_USAGE;
    }

  g_clear_pointer (&secrets, dossier_redact_free);
  return status;
}
