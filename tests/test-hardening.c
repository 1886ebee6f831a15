/* test-hardening.c: the engine's less travelled paths, against the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Refused and refetched tokens, Kore sessions that expire mid-upload,
 * credential checks, TLS that must not be waved through, the retry budget,
 * secrets that must never show, and files that change while being sent.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-auth.h"
#include "dossier-client.h"
#include "dossier-sandbox.h"
#include "dossier-sandbox-private.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

#define SECRET_TOKEN  "sekrit-token-123"
#define SECRET_CLIENT "sekrit-secret-456"

/* Every log message and printerr text of the process, for the leak test */
static GPtrArray *captured;

typedef DossierTestFixture Fixture;

/* -------------------------------------------------------------------------- */
/* Helpers                                                                    */

/* kore.json, with one environment at @base_url (NULL: keep its own) and,
 * if asked, a small threshold and chunk size as in test-chunked.c */
static DossierProvider *
kore_variant (const char *base_url,
              guint64     threshold,
              guint64     chunk_size)
{
  g_autofree char *original = dossier_test_provider_data ("kore", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JsonObject *root;
  DossierProvider *provider;
  gsize len;

  json_parser_load_from_data (parser, original, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  if (base_url != NULL)
    {
      JsonArray *environments = json_array_new ();
      JsonObject *environment = json_object_new ();

      json_object_set_string_member (environment, "id", "local");
      json_object_set_string_member (environment, "name", "Local");
      json_object_set_string_member (environment, "base_url", base_url);
      json_array_add_object_element (environments, environment);
      json_object_set_array_member (root, "environments", environments);
    }
  if (threshold > 0)
    {
      JsonObject *flow = json_object_get_object_member (root, "flow");

      json_object_set_int_member (flow, "threshold", threshold);
      json_object_set_int_member (flow, "chunk_size", chunk_size);
    }

  json_generator_set_root (generator, json_parser_get_root (parser));
  data = json_generator_to_data (generator, &len);
  provider = dossier_provider_new_from_data (data, len, "kore-variant", &error);
  g_assert_no_error (error);

  return provider;
}

static GFile *
make_png (Fixture    *fx,
          const char *name,
          gsize       size,
          gboolean    random)
{
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, size, random);

  return dossier_test_write_file (fx->dir, name, bytes);
}

static DossierSubmission *
submission_for (Fixture         *fx,
                DossierProvider *provider,
                const char      *secret,
                const char      *client_id,
                const char      *client_secret)
{
  DossierSubmission *submission;

  submission = dossier_test_submission_new (provider, fx != NULL ? fx->sandbox : NULL,
                                            secret, client_id, client_secret);
  dossier_submission_set_value (submission, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);

  return submission;
}

static DossierSubmission *
new_submission (Fixture    *fx,
                const char *provider_id,
                const char *secret,
                const char *client_id,
                const char *client_secret)
{
  g_autoptr(DossierProvider) provider = dossier_test_load_provider (provider_id);

  return submission_for (fx, provider, secret, client_id, client_secret);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *outer = user_data;
  GError *error = NULL;
  char *text;

  text = dossier_submission_check_credentials_finish (DOSSIER_SUBMISSION (object), result, &error);
  if (text != NULL)
    g_task_return_pointer (outer, text, g_free);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

/* Runs dossier_submission_check_credentials_async() to its end */
static char *
check_credentials (DossierSubmission  *submission,
                   GError            **error)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  guint id = dossier_test_timeout_add ();

  dossier_submission_check_credentials_async (submission, NULL, check_done_cb, g_object_ref (task));
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  return g_task_propagate_pointer (task, error);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

/* -------------------------------------------------------------------------- */
/* 1. Tokens the server starts refusing                                       */

static void
test_token_refetched (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission =
    new_submission (fx, "moov", NULL, DOSSIER_SANDBOX_MOOV_CLIENT_ID, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(GFile) first_file = make_png (fx, "articles.png", 3000, FALSE);
  g_autoptr(GFile) second_file = make_png (fx, "statement.png", 4000, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  DossierUpload *first, *second;

  first = dossier_submission_add_file (submission, first_file);
  dossier_test_run_to_end (submission);
  dossier_test_assert_stored (fx->sandbox, first);
  g_assert_cmpuint (dossier_upload_get_attempt (first), ==, 1);

  /* The next upload is refused once, as if the token had been revoked.
   * The token fault does nothing but is used up by the next token request
   * only: it tells whether the engine asked for a new token. */
  dossier_test_add_fault (fx->sandbox, "moov/upload:status=401,times=1");
  dossier_test_add_fault (fx->sandbox, "moov/token:delay=1,times=1");

  second = dossier_submission_add_file (submission, second_file);
  dossier_test_run_to_end (submission);
  dossier_test_assert_stored (fx->sandbox, second);
  g_assert_cmpuint (dossier_upload_get_attempt (second), ==, 2);
  g_assert_cmpint (dossier_upload_get_state (first), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 2);

  /* Had the engine not fetched a second token, the harmless token fault
   * would still be first in line and this check would pass; it was used
   * up, so the check's own token request meets the 503. */
  dossier_test_add_fault (fx->sandbox, "moov/token:status=503,times=1");
  text = check_credentials (submission, &error);
  g_assert_null (text);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "503"));
  g_clear_error (&error);

  /* and with the faults used up the credentials check out */
  text = check_credentials (submission, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "token valid for"));
}

static void
test_pasted_token_refused (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "moov", "moov-pasted-wrong-777", NULL, NULL);
  g_autoptr(GFile) file = make_png (fx, "articles.png", 3000, FALSE);
  const DossierResult *result;
  DossierUpload *upload;
  gint64 started;

  upload = dossier_submission_add_file (submission, file);
  started = g_get_monotonic_time ();
  dossier_test_run_to_end (submission);

  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  result = dossier_upload_get_result (upload);
  g_assert_cmpuint (result->http_status, ==, 401);
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), "Moov refused the token (401)"));
  g_assert_null (strstr (dossier_upload_get_problem (upload), "moov-pasted-wrong-777"));
  g_assert_null (strstr (result->message ? result->message : "", "moov-pasted-wrong-777"));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
}

/* -------------------------------------------------------------------------- */
/* 2. A Kore session that expires mid-upload                                  */

#define SMALL_THRESHOLD  (300 * 1024)
#define SMALL_CHUNK      (64 * 1024)
#define CHUNKED_SIZE     (1000 * 1000)   /* 16 chunks */

static void
test_kore_session_expiry (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(DossierProvider) provider = kore_variant (NULL, SMALL_THRESHOLD, SMALL_CHUNK);
  g_autoptr(DossierSubmission) submission =
    submission_for (fx, provider, DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(GFile) file = make_png (fx, "recording.png", CHUNKED_SIZE, TRUE);
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *sha = NULL;
  const char *problem;
  DossierUpload *upload;
  gint64 started;

  /* sessions live a second; every chunk takes 300 ms to be answered, three
   * at a time: the session runs out around the ninth chunk */
  dossier_sandbox_set_kore_session_lifetime (fx->sandbox, 1);
  dossier_test_add_fault (fx->sandbox, "kore/chunk:delay=300,times=0");

  upload = dossier_submission_add_file (submission, file);
  started = g_get_monotonic_time ();
  dossier_test_run_to_end (submission);

  /* it fails, says why and what to do, and does not go on sending into a
   * dead session */
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  problem = dossier_upload_get_problem (upload);
  g_assert_nonnull (problem);
  g_test_message ("expired session: %s", problem);
  g_assert_nonnull (strstr (problem, "expired"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "complete", NULL), ==, 0);

  /* sending it again starts a new session and gets the whole file there */
  dossier_sandbox_clear_faults (fx->sandbox);
  dossier_sandbox_set_kore_session_lifetime (fx->sandbox, 3600);
  dossier_submission_retry (submission, upload);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "complete", NULL), ==, 1);
  record = dossier_test_find_received (fx->sandbox, dossier_upload_get_result (upload)->remote_id);
  g_assert_nonnull (record);
  sha = dossier_test_file_sha256 (file);
  g_assert_cmpstr (json_object_get_string_member (record, "sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (record, "size"), ==, CHUNKED_SIZE);
}

/* -------------------------------------------------------------------------- */
/* 3. Checking credentials                                                    */

static void
test_check_credentials (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(DossierSubmission) moov = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(DossierSubmission) moov_bad = new_submission (fx, "moov", "moov-wrong-token-321", NULL, NULL);
  g_autoptr(DossierSubmission) doku =
    new_submission (fx, "doku", NULL, DOSSIER_SANDBOX_DOKU_CLIENT_ID, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  g_autoptr(DossierSubmission) kore = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(DossierSubmission) unreachable = new_submission (NULL, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  char *text;
  gint64 started;

  text = check_credentials (moov, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Token accepted by Moov");
  g_free (text);

  text = check_credentials (moov_bad, &error);
  g_assert_null (text);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, "Moov refused the token (401"));
  g_assert_null (strstr (error->message, "moov-wrong-token-321"));
  g_clear_error (&error);

  /* DOKU has no check request: fetching the token is the proof */
  text = check_credentials (doku, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "Credentials accepted"));
  g_assert_nonnull (strstr (text, "token valid for"));
  g_assert_nonnull (strstr (text, "minutes"));
  g_free (text);

  /* Kore cannot be asked: an honest sentence, not an error */
  text = check_credentials (kore, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Kore.ai has no way to check the API key before an upload; "
                             "it will be checked with the first file");
  g_free (text);

  url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  dossier_submission_set_base_url (unreachable, url);
  started = g_get_monotonic_time ();
  text = check_credentials (unreachable, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH));
  g_assert_true (g_str_has_prefix (error->message, "Could not check the credentials with Moov: "));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

/* -------------------------------------------------------------------------- */
/* 4. TLS is never waved through                                              */

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
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DossierProvider) provider = NULL;
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GFile) file = make_png (fx, "photo.png", 5000, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *problem;
  DossierUpload *upload;
  GSList *uris;
  guint hits = 0;
  guint port;

  g_assert_true (g_tls_backend_supports_tls (g_tls_backend_get_default ()));

  certificate = g_tls_certificate_new_from_files (TEST_SRCDIR "/fixtures/tls/cert.pem",
                                                  TEST_SRCDIR "/fixtures/tls/key.pem", &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, tls_handler, &hits, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
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
  provider = kore_variant (url, 0, 0);
  submission = submission_for (NULL, provider, DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
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
}

static void
test_plain_http_refused (Fixture       *fx,
                         gconstpointer  data)
{
  /* a descriptor cannot name a plain http address (refused at load, see
   * test-catalogue.c); an address the user types in is checked when sent */
  g_autoptr(DossierProvider) provider = kore_variant ("https://192.0.2.1", 0, 0);
  g_autoptr(DossierSubmission) submission =
    submission_for (NULL, provider, DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(GFile) file = make_png (fx, "photo.png", 5000, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const char *refusal = "Refusing to send documents unencrypted to 192.0.2.1; use https://";
  DossierUpload *upload;
  char *text;
  gint64 started;

  dossier_submission_set_base_url (submission, "http://192.0.2.1");
  upload = dossier_submission_add_file (submission, file);
  dossier_test_wait_false (submission, "validating");
  g_assert_false (dossier_submission_can_start (submission, &reason));
  g_assert_cmpstr (reason, ==, refusal);

  /* even when started regardless, nothing is sent */
  started = g_get_monotonic_time ();
  dossier_submission_start (submission);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpstr (dossier_upload_get_problem (upload), ==, refusal);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);

  text = check_credentials (submission, &error);
  g_assert_null (text);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
}

/* -------------------------------------------------------------------------- */
/* 5. The retry budget                                                        */

typedef struct
{
  guint   n_waiting;
  GArray *retry_in;   /* int, every value shown while WAITING */
} Waits;

static void
waits_state_cb (DossierUpload *upload,
                GParamSpec    *pspec,
                Waits         *waits)
{
  if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_WAITING)
    waits->n_waiting++;
}

static void
waits_retry_in_cb (DossierUpload *upload,
                   GParamSpec    *pspec,
                   Waits         *waits)
{
  int retry_in = dossier_upload_get_retry_in (upload);

  if (retry_in >= 0)
    g_array_append_val (waits->retry_in, retry_in);
}

static void
test_retry_budget (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = make_png (fx, "statement.png", 3000, FALSE);
  g_autoptr(GArray) retry_in = g_array_new (FALSE, FALSE, sizeof (int));
  Waits waits = { 0, retry_in };
  const char *problem;
  DossierUpload *upload;
  gint64 started;
  gint64 elapsed;
  gboolean counted_down = FALSE;

  /* always busy: once asking for 2 s, then for 1 s */
  dossier_test_add_fault (fx->sandbox, "moov/upload:status=503,retry-after=2,times=1");
  dossier_test_add_fault (fx->sandbox, "moov/upload:status=503,retry-after=1,times=0");

  upload = dossier_submission_add_file (submission, file);
  g_signal_connect (upload, "notify::state", G_CALLBACK (waits_state_cb), &waits);
  g_signal_connect (upload, "notify::retry-in", G_CALLBACK (waits_retry_in_cb), &waits);
  started = g_get_monotonic_time ();
  dossier_test_run_to_end (submission);
  elapsed = g_get_monotonic_time () - started;

  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 4);
  g_assert_cmpuint (waits.n_waiting, ==, 3);
  g_assert_cmpuint (dossier_upload_get_result (upload)->http_status, ==, 503);
  problem = dossier_upload_get_problem (upload);
  g_assert_nonnull (problem);
  g_assert_true (g_str_has_prefix (problem, "Moov"));
  g_assert_nonnull (strstr (problem, "503"));
  g_assert_nonnull (strstr (problem, "4 attempts"));
  g_assert_cmpint (dossier_upload_get_retry_in (upload), ==, -1);

  /* the first wait counted 2, 1 */
  for (guint i = 0; i + 1 < retry_in->len; i++)
    if (g_array_index (retry_in, int, i) == 2 && g_array_index (retry_in, int, i + 1) == 1)
      counted_down = TRUE;
  g_assert_true (counted_down);

  /* 2 + 1 + 1 s of waiting, loosely */
  g_assert_cmpint (elapsed, >=, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
}

static void
test_retry_after_capped (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = make_png (fx, "statement.png", 3000, FALSE);
  DossierUpload *upload;
  guint id;

  dossier_test_add_fault (fx->sandbox, "moov/upload:status=503,retry-after=3600,times=1");
  upload = dossier_submission_add_file (submission, file);
  dossier_test_wait_false (submission, "validating");
  dossier_submission_start (submission);

  id = dossier_test_timeout_add ();
  while (dossier_upload_get_state (upload) != DOSSIER_UPLOAD_STATE_WAITING)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  /* an hour is asked for; a minute is the most the engine waits */
  g_assert_cmpint (dossier_upload_get_retry_in (upload), ==, 60);
  g_assert_cmpstr (dossier_upload_get_problem (upload), ==, "Moov is busy (503); retrying in 60 s");

  dossier_submission_cancel (submission, upload);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_CANCELLED);
  g_assert_cmpint (dossier_upload_get_retry_in (upload), ==, -1);
}

/* -------------------------------------------------------------------------- */
/* 6. Secrets never leak                                                      */

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
  g_autoptr(DossierSubmission) pasted = new_submission (fx, "doku", SECRET_TOKEN, NULL, NULL);
  g_autoptr(DossierSubmission) fetched =
    new_submission (fx, "doku", NULL, DOSSIER_SANDBOX_DOKU_CLIENT_ID, SECRET_CLIENT);
  g_autoptr(DossierSubmission) moov = new_submission (fx, "moov", NULL, "moov-client", SECRET_CLIENT);
  g_autoptr(GFile) file = make_png (fx, "logo.png", 20000, FALSE);
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
      text = check_credentials (submissions[i], &error);
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
}

/* -------------------------------------------------------------------------- */
/* 7. A file that changes while it is being sent                              */

typedef struct
{
  char    *path;
  gboolean truncated;
  guint64  sent_then;
} Truncate;

static void
truncate_on_progress_cb (DossierUpload *upload,
                         GParamSpec    *pspec,
                         Truncate      *t)
{
  if (t->truncated || dossier_upload_get_bytes_sent (upload) == 0 ||
      dossier_upload_get_state (upload) != DOSSIER_UPLOAD_STATE_RUNNING)
    return;

  g_assert_cmpint (truncate (t->path, 4096), ==, 0);
  t->truncated = TRUE;
  t->sent_then = dossier_upload_get_bytes_sent (upload);
}

static void
test_file_changed (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(GFile) file = make_png (fx, "video-still.png", 12 * 1000 * 1000, FALSE);
  g_autofree char *path = g_file_get_path (file);
  Truncate t = { path, FALSE, 0 };
  const char *problem;
  DossierUpload *upload;

  upload = dossier_submission_add_file (submission, file);
  g_signal_connect (upload, "notify::bytes-sent", G_CALLBACK (truncate_on_progress_cb), &t);
  dossier_test_run_to_end (submission);

  /* it shrank while most of it was still to be sent */
  g_assert_true (t.truncated);
  g_assert_cmpuint (t.sent_then, <, 6 * 1000 * 1000);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  problem = dossier_upload_get_problem (upload);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "“video-still.png” changed while it was being sent"));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);

  /* sending it again does not quietly send what the file is now */
  dossier_submission_retry (submission, upload);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_nonnull (strstr (dossier_upload_get_problem (upload), "video-still.png"));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
}

/* -------------------------------------------------------------------------- */
/* 8. A provider that echoes the credentials in its refusal                   */

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
  g_autoptr(GFile) file = make_png (fx, "logo.png", 100 * 1000, FALSE);
  g_autofree char *descriptor = NULL;
  g_autofree char *base_url = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, echo_server_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

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
        i == 0 ? submission_for (NULL, provider, NULL, "echo-client", SECRET_CLIENT)
               : submission_for (NULL, provider, SECRET_TOKEN, NULL, NULL);
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

/* -------------------------------------------------------------------------- */
/* 9. Threads: the owner goes away while a request is being sent              */

static void
sent_flag_cb (DossierUpload *upload,
              GParamSpec    *pspec,
              gboolean      *seen)
{
  if (dossier_upload_get_bytes_sent (upload) > 0)
    *seen = TRUE;
}

/* What a thread finalizes must not be a GObject of the main thread's */
static void
finalized_on_main_cb (gpointer  data,
                      GObject  *where_the_object_was)
{
  g_assert_true (g_thread_self () == data);
}

/* The window closes mid-upload: the submission (and its session, with the
 * sending threads' pool) is dropped while a thread sends the file. Every
 * piece winds down: the upload, held by the job until the send is over, is
 * finalized, and the server never stores a file. */
static void
test_dispose_mid_upload (Fixture       *fx,
                         gconstpointer  data)
{
  DossierSubmission *submission = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = make_png (fx, "logo.png", 14 * 1000 * 1000, FALSE);
  DossierUpload *upload;
  gboolean seen = FALSE;
  guint timeout_id;

  upload = dossier_submission_add_file (submission, file);
  g_signal_connect (upload, "notify::bytes-sent", G_CALLBACK (sent_flag_cb), &seen);
  dossier_test_wait_false (submission, "validating");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);
  dossier_submission_start (submission);

  timeout_id = dossier_test_timeout_add ();
  while (!seen)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_RUNNING);

  g_signal_handlers_disconnect_by_func (upload, sent_flag_cb, &seen);
  g_object_add_weak_pointer (G_OBJECT (upload), (gpointer *) &upload);
  g_object_weak_ref (G_OBJECT (upload), finalized_on_main_cb, g_thread_self ());
  g_object_unref (submission);

  while (upload != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
}

typedef struct
{
  gint      written;    /* atomic: set in the sending thread */
  gint      go_on;      /* atomic: until set, the sending thread holds */
  gboolean  done;
  GBytes   *body;
  GError   *error;
} ThreadSend;

static void
thread_wrote_cb (SoupMessage *msg,
                 guint        chunk_size,
                 ThreadSend  *send)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* hold the sending thread mid-body until the main thread has acted */
  g_atomic_int_set (&send->written, 1);
  while (!g_atomic_int_get (&send->go_on) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
}

static void
thread_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ThreadSend *send = user_data;

  send->body = dossier_client_send_in_thread_finish (SOUP_SESSION (object), result, &send->error);
  send->done = TRUE;
}

/* The session is aborted and dropped while its thread sends: the send ends
 * (cancelled), its callback runs, then the session and its pool go. */
static void
check_session_dropped (Fixture  *fx,
                       gboolean  abort_mid_send)
{
  SoupSession *session = dossier_client_new_session (2);
  g_autofree char *url = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), "/anything", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = dossier_test_bytes_new ("", 0, 24 * 1000 * 1000, FALSE);
  ThreadSend send = { 0, };
  guint timeout_id;

  send.go_on = !abort_mid_send;

  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (thread_wrote_cb), &send);
  dossier_client_send_in_thread_async (session, msg, 1024 * 1024, NULL, thread_sent_cb, &send);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  g_object_weak_ref (G_OBJECT (session), finalized_on_main_cb, g_thread_self ());

  timeout_id = dossier_test_timeout_add ();
  if (abort_mid_send)
    {
      while (!g_atomic_int_get (&send.written))
        g_main_context_iteration (NULL, TRUE);
      soup_session_abort (session);
    }
  g_object_unref (session);
  g_atomic_int_set (&send.go_on, 1);

  while (!send.done)
    g_main_context_iteration (NULL, TRUE);
  if (abort_mid_send)
    {
      g_assert_null (send.body);
      g_assert_error (send.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
  else
    g_assert_true (send.body != NULL || send.error != NULL);

  /* the last reference, the send's, is dropped here, not in the thread */
  while (session != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  g_signal_handlers_disconnect_by_func (msg, thread_wrote_cb, &send);
  g_clear_pointer (&send.body, g_bytes_unref);
  g_clear_error (&send.error);
}

static void
test_session_dropped (Fixture       *fx,
                      gconstpointer  data)
{
  check_session_dropped (fx, FALSE);
  check_session_dropped (fx, TRUE);
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

#define ADD(path, func) g_test_add (path, Fixture, NULL, dossier_test_fixture_set_up, func, \
                                    dossier_test_fixture_tear_down)
  ADD ("/hardening/token/refetched", test_token_refetched);
  ADD ("/hardening/token/pasted-refused", test_pasted_token_refused);
  ADD ("/hardening/kore/session-expiry", test_kore_session_expiry);
  ADD ("/hardening/check-credentials", test_check_credentials);
  ADD ("/hardening/tls/untrusted", test_tls_untrusted);
  ADD ("/hardening/tls/plain-http", test_plain_http_refused);
  ADD ("/hardening/retry/budget", test_retry_budget);
  ADD ("/hardening/retry/capped", test_retry_after_capped);
  ADD ("/hardening/secrets", test_no_secret_leaks);
  ADD ("/hardening/file-changed", test_file_changed);
  ADD ("/hardening/secrets/echoed", test_echoed_credentials);
  ADD ("/hardening/threads/dispose-mid-upload", test_dispose_mid_upload);
  ADD ("/hardening/threads/session-dropped", test_session_dropped);
#undef ADD

  return g_test_run ();
}
