/* test-checklist-fetch.c: asking the providers what they still need, over HTTP
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the sandbox on loopback (Moov's capabilities and files, DOKU's
 * signed File Requirements) and small hostile servers.
 */

#include "config.h"

#include <string.h>

#include "dossier-checklist-fetch.h"
#include "dossier-credentials.h"
#include "dossier-result.h"

#include "dossier-test-util.h"

#define NOW ((gint64) 1767322800)   /* 2026-01-02 03:00:00 UTC */
#define MERCHANT "5b0f8f55-1111-4c1e-9a0b-2c3d4e5f6a7b"
#define BUSINESS "document.business.verification"

typedef struct
{
  DossierProvider *provider;
  DossierChecklist *checklist;
  DossierCredentials *credentials;
  DossierClient *client;
  DossierChecklistLimiter *limiter;
  GHashTable *values;
  GPtrArray *uploads;
  char *base_url;
} Ask;

static Ask *
ask_new (DossierSandbox *sandbox,
         const char     *provider_id)
{
  Ask *ask = g_new0 (Ask, 1);
  const DossierEnvironment *env;

  ask->provider = dossier_test_load_provider (provider_id);
  ask->checklist = dossier_checklist_new (ask->provider);
  ask->credentials = dossier_credentials_new ();
  ask->client = dossier_client_new (2);
  ask->limiter = dossier_checklist_limiter_new (DOSSIER_CHECKLIST_MIN_INTERVAL);
  ask->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ask->uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_checklist_upload_free);
  env = dossier_provider_lookup_environment (ask->provider, "sandbox");
  if (sandbox != NULL && env != NULL)
    ask->base_url = dossier_provider_resolve_base_url (env->base_url, dossier_sandbox_get_base_url (sandbox));
  return ask;
}

static void
ask_free (Ask *ask)
{
  g_object_unref (ask->checklist);
  g_object_unref (ask->provider);
  g_object_unref (ask->credentials);
  g_object_unref (ask->client);
  dossier_checklist_limiter_free (ask->limiter);
  g_hash_table_unref (ask->values);
  g_ptr_array_unref (ask->uploads);
  g_free (ask->base_url);
  g_free (ask);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ask, ask_free)

/* One refresh at @now, run to its end */
static gboolean
refresh (Ask       *ask,
         gint64     now,
         gboolean  *cached,
         gint64    *age,
         GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint timeout = dossier_test_timeout_add ();
  gboolean ok;

  dossier_checklist_refresh_async (ask->checklist, ask->base_url, MERCHANT, ask->values, ask->credentials,
                                   ask->client, ask->limiter, ask->uploads, NULL, now, NULL,
                                   dossier_test_keep_result_cb, &result);
  dossier_test_wait_result (&result);
  g_source_remove (timeout);
  ok = dossier_checklist_refresh_finish (ask->checklist, result, cached, age, error);
  return ok;
}

/* Sends a PNG to Moov's sandbox for @requirement_id, with the values the
 * checklist item says, and adds it to the merchant's uploads */
static void
upload_for (DossierTestFixture *fx,
            Ask                *ask,
            const char         *requirement_id)
{
  g_autoptr(DossierSubmission) submission =
    dossier_test_submission_for (fx->sandbox, ask->provider, DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  DossierChecklistItem *item = dossier_test_checklist_find (ask->checklist, requirement_id);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "business.png", 2048, TRUE);
  g_autoptr(DossierChecklistUpload) done = dossier_checklist_upload_new ();
  GHashTable *fields = dossier_checklist_item_get_fields (item);
  const DossierResult *result;
  DossierUpload *upload;
  GHashTableIter iter;
  gpointer key, value;

  upload = dossier_submission_add_file (submission, file);
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    dossier_upload_set_value (upload, key, value);
  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  result = dossier_upload_get_result (upload);

  done->requirement_id = g_strdup (requirement_id);
  done->remote_id = g_strdup (result->remote_id);
  done->file_name = g_strdup ("business.png");
  done->sent = TRUE;
  done->time = NOW;
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    dossier_checklist_upload_set_field (done, key, value);
  g_ptr_array_add (ask->uploads, g_steal_pointer (&done));
}

static void
moov_account (Ask *ask)
{
  g_hash_table_insert (ask->values, g_strdup ("accountID"), g_strdup (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID));
  /* a token fetched with the client credentials, scoped to the request */
  dossier_credentials_set_client_id (ask->credentials, DOSSIER_SANDBOX_MOOV_CLIENT_ID);
  dossier_credentials_set_client_secret (ask->credentials, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
}

/* Moov's capabilities become items; an upload that answers one, asked
 * again after the minute, is pending review */
static void
test_moov (DossierTestFixture *fx,
           gconstpointer       data)
{
  g_autoptr(Ask) ask = ask_new (fx->sandbox, "moov");
  g_autoptr(GError) error = NULL;
  gboolean cached = TRUE;
  gint64 age = -1;
  g_autofree char *tin = g_strdup_printf ("document.representative.%s.tin", DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID);

  moov_account (ask);
  g_assert_true (refresh (ask, NOW, &cached, &age, &error));
  g_assert_no_error (error);
  g_assert_false (cached);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)), ==, 4);
  g_assert_cmpint (dossier_checklist_item_get_state (dossier_test_checklist_find (ask->checklist, BUSINESS)), ==,
                   DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpstr (dossier_checklist_item_get_label (dossier_test_checklist_find (ask->checklist, BUSINESS)), ==,
                   "Business verification document");
  g_assert_cmpint (dossier_checklist_item_get_state (dossier_test_checklist_find (ask->checklist, tin)), ==,
                   DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpuint (dossier_checklist_count (ask->checklist, DOSSIER_CHECKLIST_STATE_MISSING), ==, 4);

  upload_for (fx, ask, BUSINESS);

  /* after the minute: asked again, the requirement left currentlyDue and
   * the file is pending */
  g_assert_true (refresh (ask, NOW + DOSSIER_CHECKLIST_MIN_INTERVAL + 1, &cached, &age, &error));
  g_assert_no_error (error);
  g_assert_false (cached);
  g_assert_cmpint (dossier_checklist_item_get_state (dossier_test_checklist_find (ask->checklist, BUSINESS)), ==,
                   DOSSIER_CHECKLIST_STATE_UPLOADED);
  g_assert_cmpint (dossier_checklist_item_get_state (dossier_test_checklist_find (ask->checklist, tin)), ==,
                   DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpuint (dossier_checklist_count (ask->checklist, DOSSIER_CHECKLIST_STATE_MISSING), ==, 3);
}

/* A requirement the sandbox refuses with an error code: rejected, with
 * the descriptor's advice */
static void
test_moov_rejected (DossierTestFixture *fx,
                    gconstpointer       data)
{
  g_autoptr(Ask) ask = ask_new (fx->sandbox, "moov");
  g_autoptr(GError) error = NULL;
  DossierChecklistItem *item;

  moov_account (ask);
  dossier_test_add_fault (fx->sandbox, "moov/requirement:requirement=" BUSINESS ",error=document-illegible");
  g_assert_true (refresh (ask, NOW, NULL, NULL, &error));
  g_assert_no_error (error);
  upload_for (fx, ask, BUSINESS);

  g_assert_true (refresh (ask, NOW + DOSSIER_CHECKLIST_MIN_INTERVAL, NULL, NULL, &error));
  g_assert_no_error (error);
  item = dossier_test_checklist_find (ask->checklist, BUSINESS);
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_REJECTED);
  g_assert_cmpstr (dossier_checklist_item_get_error_code (item), ==, "document-illegible");
  g_assert_cmpstr (dossier_checklist_item_get_advice (item), ==,
                   "Moov could not read the document: upload a sharper scan");
}

/* Inside the minute the provider is not asked: the answers last read are
 * used and the caller told how old they are. A fault armed for the next
 * capabilities request proves it: it is still there after the held-back
 * refresh, and meets the first refresh after the minute. */
static void
test_limiter (DossierTestFixture *fx,
              gconstpointer       data)
{
  g_autoptr(Ask) ask = ask_new (fx->sandbox, "moov");
  g_autoptr(GError) error = NULL;
  g_autofree char *age_text = NULL;
  gboolean cached = TRUE;
  gint64 age = -1;

  moov_account (ask);
  g_assert_true (refresh (ask, NOW, &cached, &age, &error));
  g_assert_no_error (error);
  g_assert_false (cached);

  dossier_test_add_fault (fx->sandbox, "moov/capabilities:status=503");
  g_assert_true (refresh (ask, NOW + 20, &cached, &age, &error));
  g_assert_no_error (error);
  g_assert_true (cached);
  g_assert_cmpint (age, ==, 20);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)), ==, 4);
  age_text = dossier_checklist_describe_age (age);
  g_assert_cmpstr (age_text, ==, "checked 20 s ago");

  /* another merchant is another key */
  g_assert_true (dossier_checklist_limiter_try (ask->limiter, "moov", "another", NOW + 20, NULL));

  g_assert_false (refresh (ask, NOW + DOSSIER_CHECKLIST_MIN_INTERVAL, &cached, &age, &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_HTTP);
  g_assert_true (g_str_has_prefix (error->message, "Could not ask Moov what it still needs: Moov answered 503"));
  g_clear_error (&error);

  /* a new checklist with nothing read yet, inside the minute: said, not faked */
  g_clear_object (&ask->checklist);
  ask->checklist = dossier_checklist_new (ask->provider);
  g_assert_false (refresh (ask, NOW + DOSSIER_CHECKLIST_MIN_INTERVAL + 1, &cached, &age, &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Moov was asked less than a minute ago; ask again in 59 s");
}

/* A refresh the clerk cancels does not count as asking: the next one,
 * inside the minute, asks */
static void
test_limiter_cancelled (DossierTestFixture *fx,
                        gconstpointer       data)
{
  g_autoptr(Ask) ask = ask_new (fx->sandbox, "moov");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cached = TRUE;

  moov_account (ask);
  g_cancellable_cancel (cancellable);
  dossier_checklist_refresh_async (ask->checklist, ask->base_url, MERCHANT, ask->values, ask->credentials,
                                   ask->client, ask->limiter, NULL, NULL, NOW, cancellable,
                                   dossier_test_keep_result_cb, &result);
  g_assert_false (dossier_checklist_refresh_finish (ask->checklist, dossier_test_wait_result (&result),
                                                    NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_true (refresh (ask, NOW + 1, &cached, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cached);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)), ==, 4);
}

/* DOKU's File Requirements, signed as a GET, for PERSONAL/PERSEORANGAN;
 * a wrong secret is refused in DOKU's words */
static void
test_doku (DossierTestFixture *fx,
           gconstpointer       data)
{
  static const char * const names[] = {
    "businessType", "businessLegalEntity", "brandBusinessLine", "businessContactNationality", NULL
  };
  const DossierSandboxSample *sample = dossier_sandbox_lookup_sample ("doku");
  g_autoptr(Ask) ask = ask_new (fx->sandbox, "doku");
  g_autoptr(GError) error = NULL;
  gboolean cached = TRUE;
  DossierChecklistItem *ktp;

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_insert (ask->values, g_strdup (names[i]),
                         g_strdup (dossier_sandbox_sample_lookup_requirement (sample, names[i])));
  g_assert_cmpstr (g_hash_table_lookup (ask->values, "businessType"), ==, "PERSONAL");

  /* without the client id and secret key nothing can be signed */
  dossier_credentials_set_secret (ask->credentials, DOSSIER_SANDBOX_DOKU_TOKEN);
  g_assert_false (refresh (ask, NOW, &cached, NULL, &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Secret key"));
  g_clear_error (&error);

  /* a refresh that could not ask does not count as asking: the next one,
   * inside the minute, asks */
  dossier_credentials_set_client_id (ask->credentials, DOSSIER_SANDBOX_DOKU_CLIENT_ID);
  dossier_credentials_set_client_secret (ask->credentials, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  g_assert_true (refresh (ask, NOW + 1, &cached, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cached);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)), >=, 3);
  ktp = dossier_test_checklist_find (ask->checklist, "KTP");
  g_assert_cmpint (dossier_checklist_item_get_state (ktp), ==, DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpstr (g_hash_table_lookup (dossier_checklist_item_get_fields (ktp), "category"), ==, "DOCUMENT");
  g_assert_cmpstr (g_hash_table_lookup (dossier_checklist_item_get_fields (ktp), "code"), ==, "KTP");

  dossier_credentials_set_client_secret (ask->credentials, "not-the-secret");
  g_assert_false (refresh (ask, NOW + 100, &cached, NULL, &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, "Could not ask DOKU what it still needs: DOKU refused the credentials (401"));
  g_assert_null (strstr (error->message, "not-the-secret"));
  g_clear_error (&error);

  /* nothing for a company */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)); i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (ask->checklist), i);

      g_assert_cmpstr (dossier_checklist_item_get_requirement_id (item), !=, "AKTA_PENDIRIAN_PERUSAHAAN");
    }
}

/* A provider without a requirement API is never asked */
static void
test_static (void)
{
  g_autoptr(Ask) ask = ask_new (NULL, "kore");
  g_autoptr(GError) error = NULL;
  gboolean cached = TRUE;

  /* no address at all: a request would fail */
  g_assert_true (refresh (ask, NOW, &cached, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cached);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)); i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (ask->checklist), i);

      g_assert_true (dossier_checklist_item_get_optional (item));
    }
}

/* ------------------------------------------------------------------------ */
/* a hostile server                                                          */

static void
hostile_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *mode = user_data;

  if (g_str_equal (mode, "redirect"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "http://127.0.0.1:9/elsewhere");
      return;
    }
  if (g_str_equal (mode, "refused"))
    {
      static const char body[] = "{\"error\":\"invalid token\"}";

      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
      return;
    }
  if (g_str_equal (mode, "huge"))
    {
      gsize size = DOSSIER_CHECKLIST_ANSWER_MAX + 4096;
      char *body = g_malloc (size);

      memset (body, ' ', size);
      body[0] = '[';
      body[size - 1] = ']';
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, size);
      return;
    }
  if (g_str_equal (mode, "deep"))
    {
      GString *body = g_string_new (NULL);

      for (guint i = 0; i < 5000; i++)
        g_string_append_c (body, '[');
      for (guint i = 0; i < 5000; i++)
        g_string_append_c (body, ']');
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str, body->len);
      g_string_free (body, TRUE);
      return;
    }
  /* an error whose message tries to reach the terminal raw */
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  {
    static const char body[] = "{\"error\":\"no such \\u001b[31maccount\"}";

    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
  }
}

static void
test_hostile (void)
{
  static const char * const modes[] = { "redirect", "huge", "deep", "message", "refused", NULL };
  static const char * const words[] = {
    "Could not ask Moov what it still needs: Moov redirected the request for its requirements to http://127.0.0.1:9/elsewhere (302); not followed",
    "Could not ask Moov what it still needs: The server's answer is larger than",
    "Could not read Moov’s answer: it is nested too deeply",
    "Could not ask Moov what it still needs: Moov answered 404: no such",
    /* the checklist says the provider's words on a refused credential */
    "Could not ask Moov what it still needs: Moov refused the credentials (401: invalid token)",
    NULL
  };

  for (guint i = 0; modes[i] != NULL; i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(Ask) ask = ask_new (NULL, "moov");
      g_autoptr(GError) error = NULL;
      guint port;

      soup_server_add_handler (server, NULL, hostile_cb, (gpointer) modes[i], NULL);
      port = dossier_test_server_listen (server, 0);
      ask->base_url = g_strdup_printf ("http://127.0.0.1:%u", port);
      g_hash_table_insert (ask->values, g_strdup ("accountID"), g_strdup (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID));
      dossier_credentials_set_secret (ask->credentials, DOSSIER_SANDBOX_MOOV_TOKEN);

      g_assert_false (refresh (ask, NOW, NULL, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", modes[i], error->message);
      g_assert_true (g_str_has_prefix (error->message, words[i]) || strstr (error->message, words[i]) != NULL);
      g_assert_null (strchr (error->message, '\033'));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ask->checklist)), ==, 0);
      soup_server_disconnect (server);
    }
}

/* A remote address over plain HTTP never gets the token */
static void
test_insecure (void)
{
  g_autoptr(Ask) ask = ask_new (NULL, "moov");
  g_autoptr(GError) error = NULL;

  ask->base_url = g_strdup ("http://provider.example");
  g_hash_table_insert (ask->values, g_strdup ("accountID"), g_strdup (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID));
  dossier_credentials_set_secret (ask->credentials, DOSSIER_SANDBOX_MOOV_TOKEN);
  g_assert_false (refresh (ask, NOW, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  DOSSIER_TEST_ADD ("/checklist-fetch/moov", test_moov);
  DOSSIER_TEST_ADD ("/checklist-fetch/moov-rejected", test_moov_rejected);
  DOSSIER_TEST_ADD ("/checklist-fetch/limiter", test_limiter);
  DOSSIER_TEST_ADD ("/checklist-fetch/limiter-cancelled", test_limiter_cancelled);
  DOSSIER_TEST_ADD ("/checklist-fetch/doku", test_doku);
  g_test_add_func ("/checklist-fetch/static", test_static);
  g_test_add_func ("/checklist-fetch/hostile", test_hostile);
  g_test_add_func ("/checklist-fetch/insecure", test_insecure);

  return g_test_run ();
}
