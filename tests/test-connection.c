/* test-connection.c: a provider's environment resolved as the upload flow
 * does: the sandbox's address and sample credentials, or the keyring's
 *
 * Runs under run-with-keyring.sh (a private D-Bus session with its own
 * gnome-keyring-daemon in a throw-away HOME).
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dossier-connection.h"
#include "dossier-secrets.h"
#include "dossier-test-util.h"

static DossierConnection *
resolve (DossierProvider *provider,
         const char      *environment,
         const char      *sandbox_url,
         GCancellable    *cancellable,
         GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dossier_connection_resolve_async (provider, environment, sandbox_url, cancellable,
                                    dossier_test_keep_result_cb, &result);
  return dossier_connection_resolve_finish (dossier_test_wait_result (&result), error);
}

static void
save (const char *provider,
      const char *environment,
      const char *secret)
{
  g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dossier_credentials_set_secret (creds, secret);
  dossier_secrets_save_async (provider, environment, creds, NULL, dossier_test_keep_result_cb, &result);
  g_assert_true (dossier_secrets_save_finish (dossier_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* The sandbox: its address under the running sandbox, its published
 * credentials; the keyring is not read (what it holds does not count) */
static void
test_sandbox (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  DossierCredentials *credentials;

  dossier_test_wait_for_keyring ();
  save ("moov", "sandbox", "kept-in-the-keyring");

  connection = resolve (moov, "sandbox", "http://127.0.0.1:8642/", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dossier_connection_get_base_url (connection), ==, "http://127.0.0.1:8642/moov");
  g_assert_cmpstr (dossier_connection_get_environment (connection)->id, ==, "sandbox");
  g_assert_true (dossier_connection_get_provider (connection) == moov);
  g_assert_cmpint (dossier_connection_get_source (connection), ==, DOSSIER_CREDENTIALS_SOURCE_SANDBOX);
  credentials = dossier_connection_get_credentials (connection);
  g_assert_cmpstr (dossier_credentials_get_secret (credentials), ==, DOSSIER_SANDBOX_MOOV_TOKEN);
  g_assert_cmpstr (dossier_credentials_get_client_id (credentials), ==, DOSSIER_SANDBOX_MOOV_CLIENT_ID);
  g_clear_object (&connection);

  /* DOKU's signed request needs the client id and key */
  connection = resolve (doku, "sandbox", "http://127.0.0.1:8642", NULL, &error);
  g_assert_no_error (error);
  credentials = dossier_connection_get_credentials (connection);
  g_assert_cmpstr (dossier_credentials_get_client_id (credentials), ==, DOSSIER_SANDBOX_DOKU_CLIENT_ID);
  g_assert_cmpstr (dossier_credentials_get_client_secret (credentials), ==, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  g_clear_object (&connection);

  /* no sandbox running */
  connection = resolve (moov, "sandbox", NULL, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The built-in sandbox is not running: Moov (sandbox) cannot be asked");
}

/* A real environment: the keyring's credentials, or a sentence that says
 * where to enter them */
static void
test_keyring (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierProvider) kore = dossier_test_load_provider ("kore");
  g_autoptr(DossierConnection) connection = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  dossier_test_wait_for_keyring ();

  connection = resolve (moov, "production", NULL, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==,
                   "No credentials for Moov (production) in the keyring: enter them once in the upload flow");
  g_clear_error (&error);

  save ("moov", "production", "live-token-1");
  connection = resolve (moov, "production", "http://127.0.0.1:8642", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dossier_connection_get_base_url (connection), ==, "https://api.moov.io");
  g_assert_cmpint (dossier_connection_get_source (connection), ==, DOSSIER_CREDENTIALS_SOURCE_KEYRING);
  g_assert_cmpstr (dossier_credentials_get_secret (dossier_connection_get_credentials (connection)), ==,
                   "live-token-1");
  g_clear_object (&connection);

  /* cancelled while the keyring is asked */
  g_cancellable_cancel (cancellable);
  connection = resolve (moov, "production", NULL, cancellable, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* an environment whose address the user gives, and one that does not exist */
  connection = resolve (kore, "production", NULL, NULL, &error);
  g_assert_null (connection);
  g_assert_cmpstr (error->message, ==, "Kore.ai (production) has no fixed address: it is given in the upload flow");
  g_clear_error (&error);
  connection = resolve (moov, "staging", NULL, NULL, &error);
  g_assert_null (connection);
  g_assert_cmpstr (error->message, ==, "Moov has no environment “staging”");
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  g_test_add_func ("/connection/sandbox", test_sandbox);
  g_test_add_func ("/connection/keyring", test_keyring);

  return g_test_run ();
}
