/* test-credentials.c: tokens and credentials in the engine, against the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token the server starts refusing is fetched again, a refused pasted
 * token fails at once, and checking the credentials says plainly what it
 * found for every provider.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dossier-sandbox.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

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

static void
test_token_refetched (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission =
    dossier_test_submission_by_id (fx->sandbox, "moov", NULL, DOSSIER_SANDBOX_MOOV_CLIENT_ID, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(GFile) first_file = dossier_test_png_file (fx->dir, "articles.png", 3000, FALSE);
  g_autoptr(GFile) second_file = dossier_test_png_file (fx->dir, "statement.png", 4000, FALSE);
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
  text = dossier_test_check_credentials (submission, &error);
  g_assert_null (text);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "503"));
  g_clear_error (&error);

  /* and with the faults used up the credentials check out */
  text = dossier_test_check_credentials (submission, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "token valid for"));
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
waited_cb (DossierUpload *upload,
           GParamSpec    *pspec,
           gboolean      *waited)
{
  if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_WAITING)
    *waited = TRUE;
}

static void
test_pasted_token_refused (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = dossier_test_submission_by_id (fx->sandbox, "moov", "moov-pasted-wrong-777", NULL, NULL);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "articles.png", 3000, FALSE);
  const DossierResult *result;
  DossierUpload *upload;
  gboolean waited = FALSE;

  upload = dossier_submission_add_file (submission, file);
  g_signal_connect (upload, "notify::state", G_CALLBACK (waited_cb), &waited);
  dossier_test_run_to_end (submission);

  /* refused at once: not waited for, not tried again */
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  g_assert_false (waited);
  result = dossier_upload_get_result (upload);
  g_assert_cmpuint (result->http_status, ==, 401);
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), "Moov refused the token (401)"));
  g_assert_null (strstr (dossier_upload_get_problem (upload), "moov-pasted-wrong-777"));
  g_assert_null (strstr (result->message ? result->message : "", "moov-pasted-wrong-777"));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_check_credentials (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(DossierSubmission) moov = dossier_test_submission_by_id (fx->sandbox, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(DossierSubmission) moov_bad = dossier_test_submission_by_id (fx->sandbox, "moov", "moov-wrong-token-321", NULL, NULL);
  g_autoptr(DossierSubmission) doku =
    dossier_test_submission_by_id (fx->sandbox, "doku", NULL, DOSSIER_SANDBOX_DOKU_CLIENT_ID, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  g_autoptr(DossierSubmission) kore = dossier_test_submission_by_id (fx->sandbox, "kore", DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(DossierSubmission) unreachable = dossier_test_submission_by_id (NULL, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  char *text;

  text = dossier_test_check_credentials (moov, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Token accepted by Moov");
  g_free (text);

  text = dossier_test_check_credentials (moov_bad, &error);
  g_assert_null (text);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, "Moov refused the token (401"));
  g_assert_null (strstr (error->message, "moov-wrong-token-321"));
  g_clear_error (&error);

  /* DOKU has no check request: fetching the token is the proof */
  text = dossier_test_check_credentials (doku, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "Credentials accepted"));
  g_assert_nonnull (strstr (text, "token valid for"));
  g_assert_nonnull (strstr (text, "minutes"));
  g_free (text);

  /* Kore cannot be asked: an honest sentence, not an error */
  text = dossier_test_check_credentials (kore, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Kore.ai has no way to check the API key before an upload; "
                             "it will be checked with the first file");
  g_free (text);

  url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  dossier_submission_set_base_url (unreachable, url);
  text = dossier_test_check_credentials (unreachable, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH));
  g_assert_true (g_str_has_prefix (error->message, "Could not check the credentials with Moov: "));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_finalize_object (g_steal_pointer (&moov));
  g_assert_finalize_object (g_steal_pointer (&moov_bad));
  g_assert_finalize_object (g_steal_pointer (&doku));
  g_assert_finalize_object (g_steal_pointer (&kore));
  g_assert_finalize_object (g_steal_pointer (&unreachable));
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

#define ADD DOSSIER_TEST_ADD
  ADD ("/credentials/token/refetched", test_token_refetched);
  ADD ("/credentials/token/pasted-refused", test_pasted_token_refused);
  ADD ("/credentials/check", test_check_credentials);
#undef ADD

  return g_test_run ();
}
