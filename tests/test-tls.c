/* test-tls.c: documents never go out over a connection that is not safe
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A server whose certificate is not trusted gets nothing; a plain http
 * address that is not loopback is refused before anything is sent.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-sandbox.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

/* TLS servers stay alive until the process ends: libsoup's SoupServer
 * starts a TLS handshake without holding a reference on the connection, so
 * dropping a server while the handshake the client refused is still
 * pending crashes later, in whatever test runs next (seen with libsoup
 * 3.6). Nothing here knows when the server's side of that connection is
 * gone, so the servers are never dropped. */
static GPtrArray *kept_alive;

static void
keep_alive (SoupServer *server)
{
  if (kept_alive == NULL)
    kept_alive = g_ptr_array_new ();
  g_ptr_array_add (kept_alive, server);
}

/* kore.json, with one environment at @base_url */
static DossierProvider *
kore_at (const char *base_url)
{
  g_autofree char *original = dossier_test_provider_data ("kore", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JsonArray *environments = json_array_new ();
  JsonObject *environment = json_object_new ();
  JsonObject *root;
  DossierProvider *provider;
  gsize len;

  json_parser_load_from_data (parser, original, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  json_object_set_string_member (environment, "id", "local");
  json_object_set_string_member (environment, "name", "Local");
  json_object_set_string_member (environment, "base_url", base_url);
  json_array_add_object_element (environments, environment);
  json_object_set_array_member (root, "environments", environments);

  json_generator_set_root (generator, json_parser_get_root (parser));
  data = json_generator_to_data (generator, &len);
  provider = dossier_provider_new_from_data (data, len, "kore-variant", &error);
  g_assert_no_error (error);

  return provider;
}

static void
tls_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  guint *hits = user_data;

  (*hits)++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"fileId\":\"f-1\"}", 16);
}

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_tls_untrusted (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  SoupServer *server;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DossierProvider) provider = NULL;
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "photo.png", 5000, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *problem;
  DossierUpload *upload;
  guint hits = 0;
  guint port;

  g_assert_true (g_tls_backend_supports_tls (g_tls_backend_get_default ()));

  certificate = g_tls_certificate_new_from_files (TEST_SRCDIR "/fixtures/tls/cert.pem",
                                                  TEST_SRCDIR "/fixtures/tls/key.pem", &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  keep_alive (server);
  soup_server_add_handler (server, NULL, tls_handler, &hits, NULL);
  port = dossier_test_server_listen (server, SOUP_SERVER_LISTEN_HTTPS);
  url = g_strdup_printf ("https://127.0.0.1:%u", port);

  /* the server does answer over TLS to a client that trusts it */
  session = soup_session_new ();
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpuint (hits, ==, 1);
  hits = 0;

  /* the engine does not trust it */
  provider = kore_at (url);
  submission = dossier_test_submission_for (NULL, provider, DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  upload = dossier_submission_add_file (submission, file);
  dossier_test_wait_false (submission, "validating");
  g_assert_true (dossier_submission_can_start (submission, NULL));
  dossier_test_run_to_end (submission);

  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  problem = dossier_upload_get_problem (upload);
  g_assert_nonnull (problem);
  g_test_message ("TLS problem: %s", problem);
  g_assert_nonnull (strstr (problem, "certificate"));
  g_assert_nonnull (strstr (problem, "127.0.0.1"));
  g_assert_cmpuint (hits, ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_plain_http_refused (Fixture       *fx,
                         gconstpointer  data)
{
  /* a descriptor cannot name a plain http address (refused at load, see
   * test-catalogue.c); an address the user types in is checked when sent */
  g_autoptr(DossierProvider) provider = kore_at ("https://192.0.2.1");
  g_autoptr(DossierSubmission) submission =
    dossier_test_submission_for (NULL, provider, DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "photo.png", 5000, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const char *refusal = "Refusing to send documents unencrypted to 192.0.2.1; use https://";
  DossierUpload *upload;
  char *text;

  dossier_submission_set_base_url (submission, "http://192.0.2.1");
  upload = dossier_submission_add_file (submission, file);
  dossier_test_wait_false (submission, "validating");
  g_assert_false (dossier_submission_can_start (submission, &reason));
  g_assert_cmpstr (reason, ==, refusal);

  /* even when started regardless, nothing is sent: no connection is tried
   * (192.0.2.1 answers nothing, so one would hang until the safety net) */
  dossier_submission_start (submission);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpuint (dossier_upload_get_bytes_sent (upload), ==, 0);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpstr (dossier_upload_get_problem (upload), ==, refusal);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);

  text = dossier_test_check_credentials (submission, &error);
  g_assert_null (text);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  dossier_test_init (&argc, &argv);

#define ADD DOSSIER_TEST_ADD
  ADD ("/tls/untrusted", test_tls_untrusted);
  ADD ("/tls/plain-http", test_plain_http_refused);
#undef ADD

  status = g_test_run ();

  /* let the servers' side of the refused handshakes wind down before the
   * process ends: LeakSanitizer's exit-time scan of the threads crashes
   * while a TLS handshake is still being torn down (build-aux/sanitize.sh) */
  for (guint i = 0; i < 100; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10 * 1000);
    }

  return status;
}
