/* test-secrets.c: credentials in a real keyring
 *
 * Runs under run-with-keyring.sh: a private D-Bus session with its own
 * gnome-keyring-daemon in a throw-away HOME. Without that keyring every
 * test fails: nothing here is skipped.
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "dossier-secrets.h"

#include "dossier-test-util.h"

static void
save (const char *provider,
      const char *environment,
      const char *secret,
      const char *client_id,
      const char *client_secret)
{
  g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  dossier_credentials_set_secret (creds, secret);
  dossier_credentials_set_client_id (creds, client_id);
  dossier_credentials_set_client_secret (creds, client_secret);

  dossier_secrets_save_async (provider, environment, creds, NULL,
                              dossier_test_keep_result_cb, &result);
  ok = dossier_secrets_save_finish (dossier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
assert_loaded (const char *provider,
               const char *environment,
               const char *secret,
               const char *client_id,
               const char *client_secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierCredentials) loaded = NULL;

  dossier_secrets_load_async (provider, environment, NULL, dossier_test_keep_result_cb, &result);
  loaded = dossier_secrets_load_finish (dossier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (DOSSIER_IS_CREDENTIALS (loaded));
  g_assert_cmpstr (dossier_credentials_get_secret (loaded), ==, secret);
  g_assert_cmpstr (dossier_credentials_get_client_id (loaded), ==, client_id);
  g_assert_cmpstr (dossier_credentials_get_client_secret (loaded), ==, client_secret);
}

static void
clear (const char *provider,
       const char *environment)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  dossier_secrets_clear_async (provider, environment, NULL, dossier_test_keep_result_cb, &result);
  ok = dossier_secrets_clear_finish (dossier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Dossier's keyring schema, as a test asks libsecret for it directly */
static const SecretSchema schema = {
  "io.github.dossierapp.Dossier.Credential", SECRET_SCHEMA_NONE,
  {
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* How many items of Dossier's schema the keyring holds for these attributes,
 * asked through libsecret directly */
static guint
count_items (const char *provider,
             const char *environment)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) "provider", (gpointer) provider);
  g_hash_table_insert (attributes, (gpointer) "environment", (gpointer) environment);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  items = secret_service_search_sync (service, &schema, attributes, SECRET_SEARCH_ALL,
                                      NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

/* ------------------------------------------------------------------------ */

static void
test_keyring_running (void)
{
  dossier_test_wait_for_keyring ();
}

static void
test_round_trip (void)
{
  save ("doku", "sandbox", "doku-token-1", "BRN-0001", "doku-key-1");
  assert_loaded ("doku", "sandbox", "doku-token-1", "BRN-0001", "doku-key-1");
  g_assert_cmpuint (count_items ("doku", "sandbox"), ==, 3);

  /* Overwrite: one item per kind, the newest value */
  save ("doku", "sandbox", "doku-token-2", "BRN-0002", "doku-key-2");
  assert_loaded ("doku", "sandbox", "doku-token-2", "BRN-0002", "doku-key-2");
  g_assert_cmpuint (count_items ("doku", "sandbox"), ==, 3);

  clear ("doku", "sandbox");
  assert_loaded ("doku", "sandbox", NULL, NULL, NULL);
  g_assert_cmpuint (count_items ("doku", "sandbox"), ==, 0);
}

static void
test_empty_deletes (void)
{
  save ("moov", "sandbox", "moov-token", "moov-public", "moov-private");
  g_assert_cmpuint (count_items ("moov", "sandbox"), ==, 3);

  /* The user removed the pasted token and kept the keys */
  save ("moov", "sandbox", NULL, "moov-public", "moov-private");
  assert_loaded ("moov", "sandbox", NULL, "moov-public", "moov-private");
  g_assert_cmpuint (count_items ("moov", "sandbox"), ==, 2);

  /* …then the other way round; blanks count as empty */
  save ("moov", "sandbox", "moov-token-2", "  ", NULL);
  assert_loaded ("moov", "sandbox", "moov-token-2", NULL, NULL);
  g_assert_cmpuint (count_items ("moov", "sandbox"), ==, 1);

  /* Saving nothing over nothing is fine too */
  clear ("moov", "sandbox");
  save ("moov", "sandbox", NULL, NULL, NULL);
  clear ("moov", "sandbox");
  g_assert_cmpuint (count_items ("moov", "sandbox"), ==, 0);
}

static void
test_separate (void)
{
  save ("doku", "sandbox", "sandbox-token", NULL, NULL);
  save ("doku", "production", NULL, "BRN-LIVE", "live-key");
  save ("kore", "sandbox", "kore-key", NULL, NULL);

  assert_loaded ("doku", "sandbox", "sandbox-token", NULL, NULL);
  assert_loaded ("doku", "production", NULL, "BRN-LIVE", "live-key");
  assert_loaded ("kore", "sandbox", "kore-key", NULL, NULL);
  assert_loaded ("kore", "production", NULL, NULL, NULL);
  assert_loaded ("receeve", "sandbox", NULL, NULL, NULL);

  /* Clearing one leaves the others */
  clear ("doku", "sandbox");
  assert_loaded ("doku", "sandbox", NULL, NULL, NULL);
  assert_loaded ("doku", "production", NULL, "BRN-LIVE", "live-key");
  assert_loaded ("kore", "sandbox", "kore-key", NULL, NULL);

  clear ("doku", "production");
  clear ("kore", "sandbox");
}

/* Items are labelled by provider and environment, never by their value */
static void
test_labels (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  save ("receeve", "test", "receeve-demo-token", "receeve-client", "receeve-secret");

  g_hash_table_insert (attributes, (gpointer) "provider", (gpointer) "receeve");
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  items = secret_service_search_sync (service, &schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 3);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autofree char *label = secret_item_get_label (l->data);
      g_autoptr(GHashTable) attrs = secret_item_get_attributes (l->data);

      g_assert_true (g_str_has_prefix (label, "Dossier: receeve (test) "));
      g_assert_null (strstr (label, "receeve-demo-token"));
      g_assert_null (strstr (label, "receeve-secret"));
      g_assert_cmpstr (g_hash_table_lookup (attrs, "environment"), ==, "test");
      g_assert_true (g_strv_contains ((const char * const[]) { "secret", "client-id", "client-secret", NULL },
                                      g_hash_table_lookup (attrs, "kind")));
    }
  g_list_free_full (items, g_object_unref);

  clear ("receeve", "test");
}

/* A keyring that cannot be reached is an error that says so */
static void
test_unreachable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
      g_autoptr(DossierCredentials) loaded = NULL;
      GAsyncResult *result = NULL;
      GError *error = NULL;

      /* A fresh process: no connection to the test's bus exists yet */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dossier-test-bus", TRUE);

      dossier_secrets_load_async ("doku", "sandbox", NULL, dossier_test_keep_result_cb, &result);
      loaded = dossier_secrets_load_finish (dossier_test_wait_result (&result), &error);
      g_assert_null (loaded);
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_SECRETS);
      g_assert_true (g_str_has_prefix (error->message, "The keyring is not available: "));
      g_clear_error (&error);
      g_clear_object (&result);

      dossier_credentials_set_secret (creds, "never-stored-token");
      dossier_secrets_save_async ("doku", "sandbox", creds, NULL, dossier_test_keep_result_cb, &result);
      dossier_secrets_save_finish (dossier_test_wait_result (&result), &error);
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_SECRETS);
      g_assert_null (strstr (error->message, "never-stored-token"));
      g_clear_error (&error);
      g_clear_object (&result);

      dossier_secrets_clear_async ("doku", "sandbox", NULL, dossier_test_keep_result_cb, &result);
      dossier_secrets_clear_finish (dossier_test_wait_result (&result), &error);
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_SECRETS);
      g_clear_error (&error);
      g_clear_object (&result);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First: without a keyring nothing else means anything */
  g_test_add_func ("/secrets/keyring-running", test_keyring_running);
  g_test_add_func ("/secrets/round-trip", test_round_trip);
  g_test_add_func ("/secrets/empty-deletes", test_empty_deletes);
  g_test_add_func ("/secrets/separate", test_separate);
  g_test_add_func ("/secrets/labels", test_labels);
  g_test_add_func ("/secrets/unreachable", test_unreachable);

  return g_test_run ();
}
