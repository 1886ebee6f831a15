/* test-secrecy.c: secrets never show, against the sandbox and a hostile server
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens and client secrets appear in no log message, no text printed, no
 * problem, progress text or result of an upload or credentials check, even
 * when a provider echoes them back in its refusal.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

#define SECRET_TOKEN  "sekrit-token-123"
#define SECRET_CLIENT "sekrit-secret-456"

/* Every log message and printerr text of the process */
static GPtrArray *captured;

typedef DossierTestFixture Fixture;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 || fields[i].value == NULL)
        continue;
      if (fields[i].length < 0)
        g_ptr_array_add (captured, g_strdup (fields[i].value));
      else
        g_ptr_array_add (captured, g_strndup (fields[i].value, fields[i].length));
    }

  /* debug and info are only collected; anything louder is shown */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static GLogFunc test_log_handler;

/* messages logged through g_log() rather than structured logging */
static void
capture_handler (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  g_ptr_array_add (captured, g_strdup (message));
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return;
  test_log_handler (log_domain, log_level, message, user_data);
}

static void
capture_printerr (const char *text)
{
  g_ptr_array_add (captured, g_strdup (text));
  fputs (text, stderr);
}

static void
collect_cb (DossierUpload *upload,
            GParamSpec    *pspec,
            GPtrArray     *texts)
{
  const DossierResult *result = dossier_upload_get_result (upload);

  g_ptr_array_add (texts, g_strdup (dossier_upload_get_problem (upload)));
  g_ptr_array_add (texts, dossier_upload_dup_progress_text (upload));
  if (result != NULL)
    {
      g_autoptr(JsonNode) node = dossier_result_to_json (result);

      g_ptr_array_add (texts, json_to_string (node, FALSE));
    }
}

static void
assert_no_secret (GPtrArray *texts)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      if (text == NULL)
        continue;
      g_assert_null (strstr (text, SECRET_TOKEN));
      g_assert_null (strstr (text, SECRET_CLIENT));
    }
}

static void
test_no_secret_leaks (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DossierSubmission) pasted = dossier_test_submission_by_id (fx->sandbox, "doku", SECRET_TOKEN, NULL, NULL);
  g_autoptr(DossierSubmission) fetched =
    dossier_test_submission_by_id (fx->sandbox, "doku", NULL, DOSSIER_SANDBOX_DOKU_CLIENT_ID, SECRET_CLIENT);
  g_autoptr(DossierSubmission) moov = dossier_test_submission_by_id (fx->sandbox, "moov", NULL, "moov-client", SECRET_CLIENT);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "logo.png", 20000, FALSE);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  DossierSubmission *submissions[] = { pasted, fetched, moov };
  DossierUpload *upload;
  guint n_captured = captured->len;

  g_log_set_debug_enabled (TRUE);
  g_debug ("leak test: capturing debug messages");
  g_assert_cmpuint (captured->len, >, n_captured);

  for (guint i = 0; i < G_N_ELEMENTS (submissions); i++)
    {
      GError *error = NULL;
      char *text;

      upload = dossier_submission_add_file (submissions[i], file);

      if (submissions[i] != moov)
        dossier_upload_set_value (upload, "category", "LOGO");
      g_signal_connect (upload, "notify", G_CALLBACK (collect_cb), texts);
      dossier_test_run_to_end (submissions[i]);

      g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
      g_assert_nonnull (dossier_upload_get_problem (upload));
      collect_cb (upload, NULL, texts);

      /* DOKU cannot check a pasted token: that is a sentence, not an error */
      text = dossier_test_check_credentials (submissions[i], &error);
      g_assert_true ((text == NULL) != (error == NULL));
      g_assert_true (text != NULL || submissions[i] != pasted);
      g_ptr_array_add (texts, text != NULL ? text : g_strdup (error->message));
      g_clear_error (&error);
    }

  /* the refusals are said plainly */
  upload = g_list_model_get_item (dossier_submission_get_uploads (pasted), 0);
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), "DOKU refused the token (401)"));
  g_clear_object (&upload);
  upload = g_list_model_get_item (dossier_submission_get_uploads (fetched), 0);
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), "DOKU refused the "));
  g_clear_object (&upload);

  g_log_set_debug_enabled (FALSE);
  g_assert_cmpuint (texts->len, >, 10);
  assert_no_secret (texts);
  assert_no_secret (captured);
  g_assert_finalize_object (g_steal_pointer (&pasted));
  g_assert_finalize_object (g_steal_pointer (&fetched));
  g_assert_finalize_object (g_steal_pointer (&moov));
}

#define FETCHED_TOKEN "sekrit-fetched-789"

static void
echo_server_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  const char *bare;
  gsize len;

  json_builder_begin_object (builder);
  if (g_str_equal (path, "/token"))
    {
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, FETCHED_TOKEN);
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, 3600);
      soup_server_message_set_status (msg, 200, NULL);
    }
  else
    {
      /* everything it was given, and the client secret of the token it issued */
      bare = authorization != NULL && strchr (authorization, ' ') != NULL
             ? strchr (authorization, ' ') + 1 : "";
      if (g_str_equal (bare, FETCHED_TOKEN))
        message = g_strdup_printf ("%s is not allowed here (client secret %s)",
                                   authorization, SECRET_CLIENT);
      else
        message = g_strdup_printf ("%s is not allowed here",
                                   authorization ? authorization : "nothing");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, message);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, bare);
      soup_server_message_set_status (msg, 403, NULL);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

static void
test_echoed_credentials (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProvider) provider = NULL;
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "logo.png", 100 * 1000, FALSE);
  g_autofree char *descriptor = NULL;
  g_autofree char *base_url = NULL;

  soup_server_add_handler (server, NULL, echo_server_cb, NULL, NULL);
  base_url = g_strdup_printf ("http://127.0.0.1:%u", dossier_test_server_listen (server, 0));

  descriptor = g_strdup_printf (
    "{ \"schema\": 1, \"id\": \"echo\", \"name\": \"Echo\", \"description\": \"Echoes\","
    "  \"environments\": [ { \"id\": \"local\", \"name\": \"Local\", \"base_url\": \"%s\" } ],"
    "  \"auth\": { \"scheme\": \"bearer\", \"secret_label\": \"Access token\","
    "              \"token\": { \"kind\": \"oauth2-client-credentials\", \"path\": \"/token\","
    "                          \"client_auth\": \"basic\", \"client_id_label\": \"Client ID\","
    "                          \"client_secret_label\": \"Client secret\" } },"
    "  \"endpoint\": { \"method\": \"POST\", \"path\": \"/upload\" },"
    "  \"fields\": [], \"files\": { \"part\": \"file\" }, \"flow\": { \"kind\": \"multipart\" },"
    "  \"response\": { \"id\": [\"id\"], \"link\": [], \"message\": [\"error\"], \"code\": [\"code\"] } }",
    base_url);
  provider = dossier_provider_new_from_data (descriptor, -1, "echo", &error);
  g_assert_no_error (error);

  /* a token fetched with the client secret, then a pasted one */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DossierSubmission) submission =
        i == 0 ? dossier_test_submission_for (NULL, provider, NULL, "echo-client", SECRET_CLIENT)
               : dossier_test_submission_for (NULL, provider, SECRET_TOKEN, NULL, NULL);
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
      const DossierResult *result;
      DossierUpload *upload;

      dossier_submission_set_environment (submission, "local");
      upload = dossier_submission_add_file (submission, file);
      g_signal_connect (upload, "notify", G_CALLBACK (collect_cb), texts);
      dossier_test_run_to_end (submission);
      collect_cb (upload, NULL, texts);

      g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
      result = dossier_upload_get_result (upload);
      g_assert_nonnull (result);
      g_assert_cmpuint (result->http_status, ==, 403);
      /* the refusal is shown, without what it echoed (compared quietly: a
       * failure must not print what it found) */
      g_assert_true (g_str_equal (result->message, i == 0 ? "[hidden] is not allowed here (client secret [hidden])"
                                                          : "[hidden] is not allowed here"));
      g_assert_true (g_str_equal (result->code, "[hidden]"));
      g_assert_nonnull (strstr (dossier_upload_get_problem (upload), "is not allowed here"));
      assert_no_secret (texts);
      for (guint j = 0; j < texts->len; j++)
        g_assert_null (strstr (g_ptr_array_index (texts, j) ? g_ptr_array_index (texts, j) : "",
                               FETCHED_TOKEN));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  captured = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_set_printerr_handler (capture_printerr);
  g_test_init (&argc, &argv, NULL);
  test_log_handler = g_log_set_default_handler (capture_handler, NULL);

#define ADD DOSSIER_TEST_ADD
  ADD ("/secrecy/never-shown", test_no_secret_leaks);
  ADD ("/secrecy/echoed", test_echoed_credentials);
#undef ADD

  return g_test_run ();
}
