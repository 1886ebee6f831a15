/* test-auth.c: credentials, tokens and headers, against the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-auth.h"
#include "dossier-auth-private.h"
#include "dossier-catalogue.h"
#include "dossier-client.h"
#include "dossier-sandbox.h"
#include "dossier-test-util.h"

/* A 1×1 PNG, for the upload that proves a fetched token works */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
  0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
  0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
  0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
  0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

typedef struct
{
  DossierCatalogue *catalogue;
  DossierSandbox *sandbox;
  DossierClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->catalogue = dossier_catalogue_new ();
  g_assert_true (dossier_catalogue_load_builtin (fixture->catalogue, &error));
  g_assert_no_error (error);

  fixture->sandbox = dossier_test_sandbox_new (FALSE);

  fixture->client = dossier_client_new (2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sandbox);
  g_clear_object (&fixture->catalogue);
}

static DossierProvider *
provider (Fixture    *fixture,
          const char *id)
{
  DossierProvider *p = dossier_catalogue_lookup (fixture->catalogue, id);

  g_assert_nonnull (p);
  return p;
}

static DossierAuth *
make_auth (Fixture    *fixture,
           const char *id,
           const char *secret,
           const char *client_id,
           const char *client_secret)
{
  g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
  DossierProvider *p = provider (fixture, id);
  const DossierEnvironment *env = dossier_provider_lookup_environment (p, "sandbox");
  g_autofree char *base = dossier_provider_resolve_base_url (env->base_url,
                                                             dossier_sandbox_get_base_url (fixture->sandbox));

  dossier_credentials_set_secret (creds, secret);
  dossier_credentials_set_client_id (creds, client_id);
  dossier_credentials_set_client_secret (creds, client_secret);

  return dossier_auth_new (p, base, creds, fixture->client);
}

static GHashTable *
moov_values (const char *account)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (values, g_strdup ("accountID"), g_strdup (account));
  return values;
}

/* ------------------------------------------------------------------------ */
/* running async calls to completion                                         */

typedef struct
{
  gboolean done;
  gboolean ok;
  char *name;
  char *value;
  char *text;
  GError *error;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->name, g_free);
  g_clear_pointer (&o->value, g_free);
  g_clear_pointer (&o->text, g_free);
  g_clear_error (&o->error);
  o->done = o->ok = FALSE;
}

static void
header_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *o = user_data;

  o->ok = dossier_auth_get_header_finish (DOSSIER_AUTH (object), result,
                                          &o->name, &o->value, &o->error);
  o->done = TRUE;
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Outcome *o = user_data;

  o->text = dossier_auth_check_finish (DOSSIER_AUTH (object), result, &o->error);
  o->ok = o->text != NULL;
  o->done = TRUE;
}

static void
wait_for (Outcome *o,
          guint    n)
{
  for (guint i = 0; i < n; i++)
    while (!o[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static void
get_header (DossierAuth *auth,
            GHashTable  *values,
            Outcome     *o)
{
  outcome_clear (o);
  dossier_auth_get_header_async (auth, values, NULL, header_cb, o);
  wait_for (o, 1);
}

static void
check (DossierAuth *auth,
       GHashTable  *values,
       Outcome     *o)
{
  outcome_clear (o);
  dossier_auth_check_async (auth, values, NULL, check_cb, o);
  wait_for (o, 1);
}

/* ------------------------------------------------------------------------ */
/* pure pieces                                                               */

static void
test_doku_signature (void)
{
  const char *body = "{\"grant_type\":\"client_credentials\",\"valid_time\":\"60\"}";
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *component = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *other = NULL;
  guint8 raw[32];
  gsize len = sizeof raw;

  /* The reference computation, written out step by step */
  g_checksum_update (sha, (const guchar *) body, strlen (body));
  g_checksum_get_digest (sha, raw, &len);
  digest = g_base64_encode (raw, len);
  component = g_strconcat ("Client-Id:", "BRN-0001-TEST", "\n",
                           "Request-Id:", "cc682442-6c22-493e-8121-b9ef6b3fa728", "\n",
                           "Request-Timestamp:", "2020-08-11T08:45:42Z", "\n",
                           "Request-Target:", "/adv-core-api/partner/v1.0/token", "\n",
                           "Digest:", digest, NULL);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) "SK-test-key", strlen ("SK-test-key"));
  g_hmac_update (hmac, (const guchar *) component, strlen (component));
  len = sizeof raw;
  g_hmac_get_digest (hmac, raw, &len);
  expected = g_base64_encode (raw, len);

  got = dossier_auth_doku_signature ("BRN-0001-TEST", "cc682442-6c22-493e-8121-b9ef6b3fa728",
                                     "2020-08-11T08:45:42Z", "/adv-core-api/partner/v1.0/token",
                                     body, strlen (body), "SK-test-key");
  g_assert_cmpstr (got, ==, expected);
  /* 32 bytes in base64 */
  g_assert_cmpuint (strlen (got), ==, 44);

  /* Every input counts */
  other = dossier_auth_doku_signature ("BRN-0001-TEST", "cc682442-6c22-493e-8121-b9ef6b3fa728",
                                       "2020-08-11T08:45:42Z", "/doku/adv-core-api/partner/v1.0/token",
                                       body, strlen (body), "SK-test-key");
  g_assert_cmpstr (other, !=, expected);
  g_free (other);
  other = dossier_auth_doku_signature ("BRN-0001-TEST", "cc682442-6c22-493e-8121-b9ef6b3fa728",
                                       "2020-08-11T08:45:42Z", "/adv-core-api/partner/v1.0/token",
                                       body, strlen (body) - 1, "SK-test-key");
  g_assert_cmpstr (other, !=, expected);
}

/* DOKU's GET (File Requirements): the signed string has no Digest line */
static void
test_doku_signature_get (void)
{
  const char *component = "Client-Id:BRN-0001-TEST\n"
                          "Request-Id:d895fb53-479c-4f77-a76a-ab81b40d77cb\n"
                          "Request-Timestamp:2020-08-11T08:45:42Z\n"
                          "Request-Target:/adv-core-api/partner/v1.0/file";
  g_autoptr(GHmac) hmac = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *post = NULL;
  g_autofree char *again = NULL;
  SoupMessageHeaders *headers;
  const char *signature;
  guint8 raw[32];
  gsize len = sizeof raw;

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) "SK-test-key", strlen ("SK-test-key"));
  g_hmac_update (hmac, (const guchar *) component, strlen (component));
  g_hmac_get_digest (hmac, raw, &len);
  expected = g_base64_encode (raw, len);

  got = dossier_auth_doku_signature_get ("BRN-0001-TEST", "d895fb53-479c-4f77-a76a-ab81b40d77cb",
                                         "2020-08-11T08:45:42Z", "/adv-core-api/partner/v1.0/file",
                                         "SK-test-key");
  g_assert_cmpstr (got, ==, expected);

  /* not the digest of an empty body: that is a POST's string */
  post = dossier_auth_doku_signature ("BRN-0001-TEST", "d895fb53-479c-4f77-a76a-ab81b40d77cb",
                                      "2020-08-11T08:45:42Z", "/adv-core-api/partner/v1.0/file",
                                      "", 0, "SK-test-key");
  g_assert_cmpstr (post, !=, got);

  /* the headers a signed GET carries agree with the signature */
  msg = soup_message_new ("GET", "http://127.0.0.1:1/adv-core-api/partner/v1.0/file?businessType=PERSONAL");
  dossier_auth_doku_sign_get (msg, "BRN-0001-TEST", "SK-test-key", "/adv-core-api/partner/v1.0/file");
  headers = soup_message_get_request_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Client-Id"), ==, "BRN-0001-TEST");
  signature = soup_message_headers_get_one (headers, "Signature");
  g_assert_true (g_str_has_prefix (signature, "HMACSHA256="));
  again = dossier_auth_doku_signature_get ("BRN-0001-TEST",
                                           soup_message_headers_get_one (headers, "Request-Id"),
                                           soup_message_headers_get_one (headers, "Request-Timestamp"),
                                           "/adv-core-api/partner/v1.0/file", "SK-test-key");
  g_assert_cmpstr (signature + strlen ("HMACSHA256="), ==, again);
  g_assert_true (g_str_has_suffix (soup_message_headers_get_one (headers, "Request-Timestamp"), "Z"));
}

static char *
make_jwt (const char *payload)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) payload, strlen (payload));
  gsize len = strlen (b64);

  /* base64url, unpadded */
  while (len > 0 && b64[len - 1] == '=')
    b64[--len] = '\0';
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');

  return g_strconcat ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", b64, ".c2lnbmF0dXJl", NULL);
}

static void
test_jwt_expiry (void)
{
  g_autofree char *jwt = make_jwt ("{\"sub\":\"BRN-0001\",\"iat\":1700000000,\"exp\":1700021600}");
  /* "?\?>" and "?\?~" give "/" and "+" in base64, so "_" and "-" in base64url */
  g_autofree char *url_chars = make_jwt ("{\"n\":\"?\?>?\?~\",\"exp\":1800000000}");
  g_autofree char *no_exp = make_jwt ("{\"sub\":\"x\"}");
  g_autofree char *not_json = make_jwt ("not json");

  g_assert_cmpint (dossier_auth_parse_jwt_expiry (jwt), ==, 1700021600);
  g_assert_nonnull (strpbrk (url_chars, "-_"));
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (url_chars), ==, 1800000000);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (no_exp), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (not_json), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry ("opaque-token"), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry ("a..b"), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry ("a.!!!.b"), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (NULL), ==, 0);
}

static gint64
expires_in_from_json (const char *json,
                      gint64      now)
{
  g_autoptr(JsonNode) node = json != NULL ? json_from_string (json, NULL) : NULL;

  if (json != NULL)
    g_assert_nonnull (node);
  return dossier_auth_parse_expires_in (node, now);
}

static void
test_expires_in (void)
{
  const gint64 now = 1736960000;

  /* seconds */
  g_assert_cmpint (expires_in_from_json ("900", now), ==, now + 900);
  g_assert_cmpint (expires_in_from_json ("3600", now), ==, now + 3600);
  g_assert_cmpint (expires_in_from_json ("\"3600\"", now), ==, now + 3600);
  g_assert_cmpint (expires_in_from_json ("3600.0", now), ==, now + 3600);
  /* a Unix timestamp, as Moov's specification describes it */
  g_assert_cmpint (expires_in_from_json ("1736964352", now), ==, 1736964352);
  g_assert_cmpint (expires_in_from_json ("\"1736964352\"", now), ==, 1736964352);
  /* missing or unusable: five minutes */
  g_assert_cmpint (expires_in_from_json (NULL, now), ==, now + 300);
  g_assert_cmpint (expires_in_from_json ("0", now), ==, now + 300);
  g_assert_cmpint (expires_in_from_json ("-5", now), ==, now + 300);
  g_assert_cmpint (expires_in_from_json ("\"soon\"", now), ==, now + 300);
  g_assert_cmpint (expires_in_from_json ("null", now), ==, now + 300);
  g_assert_cmpint (expires_in_from_json ("{}", now), ==, now + 300);
}

static void
test_error_message (void)
{
  static const struct {
    const char *provider;   /* whose descriptor says where the message is, or NULL */
    const char *body;
    const char *message;
  } cases[] = {
    { "doku", "{\"status\":\"FAILED\",\"response_code\":\"INVALID_SIGNATURE\",\"response_message\":\"Invalid signature\"}",
      "Invalid signature" },
    { NULL, "{\"status\":\"FAILED\",\"response_code\":\"INVALID_SIGNATURE\",\"response_message\":\"Invalid signature\"}",
      NULL },
    { NULL, "{\"error\":\"invalid_client\"}", "invalid_client" },
    { "moov", "{\"error\":\"invalid_client\"}", "invalid_client" },
    { NULL, "{\"error\":\"invalid_scope\",\"error_description\":\"scope not allowed\"}", "scope not allowed" },
    { "doku", "{\"error\":\"invalid_scope\",\"error_description\":\"scope not allowed\"}", "scope not allowed" },
    { "moov", "{\"scope\":\"scope is required\"}", "scope is required" },
    { NULL, "{\"scope\":\"scope is required\"}", NULL },
    { "receeve", "{\"message\":\"Invalid client credentials\"}", "Invalid client credentials" },
    { NULL, "{\"message\":\"Invalid client credentials\"}", "Invalid client credentials" },
    { "kore", "{\"errors\":[{\"msg\":\"Invalid or missing x-api-key\",\"code\":401}]}", "Invalid or missing x-api-key" },
    { NULL, "{\"errors\":[{\"msg\":\"Invalid or missing x-api-key\",\"code\":401}]}", NULL },
    { NULL, "{\"error\":{\"code\":1}}", NULL },
    { "kore", "{}", NULL },
    { NULL, "[]", NULL },
    { NULL, "<html>Bad gateway</html>", NULL },
    { NULL, "", NULL },
  };
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_catalogue_load_builtin (catalogue, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DossierResponseSpec *spec = NULL;
      g_autofree char *got = NULL;

      if (cases[i].provider != NULL)
        spec = dossier_provider_get_response (dossier_catalogue_lookup (catalogue, cases[i].provider));
      got = dossier_auth_parse_error_message (cases[i].body, strlen (cases[i].body), spec);
      g_assert_cmpstr (got, ==, cases[i].message);
    }
}

static void
test_uri_allowed (void)
{
  static const char * const allowed[] = {
    "https://api.doku.com", "https://api.moov.io/oauth2/token", "http://127.0.0.1:8642/doku",
    "http://127.3.4.5", "http://localhost:8080", "http://LOCALHOST", "http://[::1]:8642/moov",
  };
  static const char * const refused[] = {
    "http://api.doku.com", "http://192.168.1.10:8642", "http://127.0.0.1.example.com",
    "http://localhost.example.com", "http://[::2]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (dossier_client_check_url_for (allowed[i], DOSSIER_URL_USE_CREDENTIALS, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (dossier_client_check_url_for (refused[i], DOSSIER_URL_USE_CREDENTIALS, &error));
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);
      g_assert_true (g_str_has_prefix (error->message, "Refusing to send credentials to "));
    }

  /* not a web address at all: the same rule as for documents */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dossier_client_check_url_for ("ftp://127.0.0.1/x", DOSSIER_URL_USE_CREDENTIALS, &error));
    g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
  }
}

/* ------------------------------------------------------------------------ */
/* credentials                                                               */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_credentials_properties (void)
{
  g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
  g_autofree char *read_back = NULL;
  guint notified = 0;

  g_signal_connect (creds, "notify::secret", G_CALLBACK (count_notify), &notified);

  dossier_credentials_set_secret (creds, "  pasted-token\n");
  g_assert_cmpstr (dossier_credentials_get_secret (creds), ==, "pasted-token");
  g_assert_cmpuint (notified, ==, 1);
  dossier_credentials_set_secret (creds, "pasted-token");
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (creds, "secret", "other", NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_object_get (creds, "secret", &read_back, NULL);
  g_assert_cmpstr (read_back, ==, "other");
  dossier_credentials_set_secret (creds, "   ");
  g_assert_null (dossier_credentials_get_secret (creds));
  g_assert_cmpuint (notified, ==, 3);

  g_object_set (creds, "client-id", "id", "client-secret", "cs", NULL);
  g_assert_cmpstr (dossier_credentials_get_client_id (creds), ==, "id");
  g_assert_cmpstr (dossier_credentials_get_client_secret (creds), ==, "cs");
}

static void
test_is_usable (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
  DossierProvider *doku = provider (fixture, "doku");
  DossierProvider *kore = provider (fixture, "kore");
  DossierProvider *moov = provider (fixture, "moov");
  g_autofree char *kore_json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProvider) open_provider = NULL;
  char *missing = NULL;

  g_assert_false (dossier_credentials_is_usable (creds, doku, &missing));
  g_assert_cmpstr (missing, ==, "Enter the Bearer token, or the Client ID (Brand ID, BRN-…) and Secret key");
  g_clear_pointer (&missing, g_free);

  g_assert_false (dossier_credentials_is_usable (creds, moov, &missing));
  g_assert_cmpstr (missing, ==, "Enter the Access token, or the Public key and Private key");
  g_clear_pointer (&missing, g_free);

  g_assert_false (dossier_credentials_is_usable (creds, kore, &missing));
  g_assert_cmpstr (missing, ==, "Enter the API key");
  g_clear_pointer (&missing, g_free);

  /* half of a pair */
  dossier_credentials_set_client_id (creds, "BRN-0001");
  g_assert_false (dossier_credentials_is_usable (creds, doku, &missing));
  g_assert_nonnull (strstr (missing, "Secret key"));
  g_assert_null (strstr (missing, "BRN-0001"));
  g_clear_pointer (&missing, g_free);
  g_assert_false (dossier_credentials_is_usable (creds, doku, NULL));

  dossier_credentials_set_client_secret (creds, "sk");
  g_assert_true (dossier_credentials_is_usable (creds, doku, &missing));
  g_assert_null (missing);
  /* Kore takes no client credentials: only a key */
  g_assert_false (dossier_credentials_is_usable (creds, kore, &missing));
  g_assert_cmpstr (missing, ==, "Enter the API key");
  g_clear_pointer (&missing, g_free);

  dossier_credentials_set_client_id (creds, NULL);
  dossier_credentials_set_secret (creds, "key");
  g_assert_true (dossier_credentials_is_usable (creds, kore, NULL));
  g_assert_true (dossier_credentials_is_usable (creds, doku, NULL));

  /* A provider without credentials needs nothing */
  {
    g_autofree char *path = g_build_filename (TEST_SRCDIR, "..", "data", "providers", "kore.json", NULL);

    g_assert_true (g_file_get_contents (path, &kore_json, NULL, &error));
  }
  g_assert_no_error (error);
  g_assert_nonnull (strstr (kore_json, "\"scheme\": \"header\""));
  {
    g_autoptr(GString) s = g_string_new (kore_json);

    g_string_replace (s, "\"scheme\": \"header\"", "\"scheme\": \"none\"", 1);
    g_string_replace (s, "\"id\": \"kore\"", "\"id\": \"open\"", 1);
    open_provider = dossier_provider_new_from_data (s->str, s->len, "test", &error);
  }
  g_assert_no_error (error);
  {
    g_autoptr(DossierCredentials) empty = dossier_credentials_new ();

    g_assert_true (dossier_credentials_is_usable (empty, open_provider, &missing));
    g_assert_null (missing);
  }
}

/* ------------------------------------------------------------------------ */
/* DOKU                                                                      */

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static guint
doku_upload_status (Fixture    *fixture,
                    const char *name,
                    const char *value)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) png = g_bytes_new_static (tiny_png, sizeof tiny_png);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (dossier_sandbox_get_base_url (fixture->sandbox),
                                      "/doku/adv-core-api/partner/v1.0/file", NULL);
  GAsyncResult *result = NULL;

  soup_multipart_append_form_string (multipart, "category", "LOGO");
  soup_multipart_append_form_file (multipart, "file", "logo.png", "image/png", png);
  msg = soup_message_new_from_multipart (uri, multipart);
  soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);

  /* async: the sandbox serves on this thread's main context */
  soup_session_send_and_read_async (dossier_client_get_session (fixture->client), msg, G_PRIORITY_DEFAULT, NULL,
                                    upload_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = soup_session_send_and_read_finish (dossier_client_get_session (fixture->client), result, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return soup_message_get_status (msg);
}

static void
test_doku_token (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "doku", NULL,
                                           DOSSIER_SANDBOX_DOKU_CLIENT_ID,
                                           DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  g_autofree char *first = NULL;
  Outcome o = { 0 };

  get_header (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_true (o.ok);
  g_assert_cmpstr (o.name, ==, "Authorization");
  g_assert_true (g_str_has_prefix (o.value, "Bearer "));
  /* a JWT whose exp the cache uses */
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (o.value + 7), >, g_get_real_time () / G_USEC_PER_SEC);
  first = g_strdup (o.value);

  /* The token opens the upload endpoint; a made-up one does not */
  g_assert_cmpuint (doku_upload_status (fixture, o.name, o.value), ==, 200);
  g_assert_cmpuint (doku_upload_status (fixture, "Authorization", "Bearer made-up"), ==, 401);

  /* Cached: a failing token endpoint does not matter for the second call */
  dossier_test_add_fault (fixture->sandbox, "doku/token:status=500,times=1");
  get_header (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.value, ==, first);

  /* The fault is still armed: nothing reached the token endpoint. Dropping
   * the token makes the next call fetch, and meet it */
  g_assert_true (dossier_auth_invalidate (auth));
  get_header (auth, NULL, &o);
  g_assert_false (o.ok);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_HTTP);
  g_assert_nonnull (strstr (o.error->message, "DOKU"));
  g_assert_nonnull (strstr (o.error->message, "500"));

  /* A failure is not cached */
  get_header (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_true (g_str_has_prefix (o.value, "Bearer ey"));

  /* check: a fetched token proves the credentials */
  check (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.text, ==, "Credentials accepted: token valid for 60 minutes");

  outcome_clear (&o);
}

static void
test_doku_wrong_secret (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *wrong = "wrong-doku-secret-1234";
  g_autoptr(DossierAuth) auth = make_auth (fixture, "doku", NULL,
                                           DOSSIER_SANDBOX_DOKU_CLIENT_ID, wrong);
  Outcome o = { 0 };

  get_header (auth, NULL, &o);
  g_assert_false (o.ok);
  g_assert_null (o.value);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_cmpstr (o.error->message, ==, "DOKU refused the Client ID or Secret key (401: Invalid signature)");
  g_assert_null (strstr (o.error->message, wrong));

  check (auth, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_null (strstr (o.error->message, wrong));

  outcome_clear (&o);
}

static void
test_doku_pasted (Fixture       *fixture,
                  gconstpointer  data)
{
  /* A pasted token wins over client credentials, even wrong ones */
  g_autoptr(DossierAuth) auth = make_auth (fixture, "doku", DOSSIER_SANDBOX_DOKU_TOKEN,
                                           "BRN-nobody", "not-the-key");
  Outcome o = { 0 };

  get_header (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.name, ==, "Authorization");
  g_assert_cmpstr (o.value, ==, "Bearer " DOSSIER_SANDBOX_DOKU_TOKEN);
  g_assert_cmpuint (doku_upload_status (fixture, o.name, o.value), ==, 200);

  /* Nothing to refetch */
  g_assert_false (dossier_auth_invalidate (auth));

  /* DOKU has no request that checks a token without uploading */
  check (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.text, ==, "DOKU has no way to check the Bearer token before an upload; "
                               "it will be checked with the first file");

  outcome_clear (&o);
}

/* The credentials change: the cached token belongs to the old ones */
static void
test_credentials_change (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "doku", NULL,
                                           DOSSIER_SANDBOX_DOKU_CLIENT_ID,
                                           DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  DossierCredentials *creds = NULL;
  Outcome o = { 0 };

  get_header (auth, NULL, &o);
  g_assert_no_error (o.error);

  g_object_get (auth, "credentials", &creds, NULL);
  dossier_credentials_set_client_secret (creds, "changed-secret");
  get_header (auth, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);

  dossier_credentials_set_client_secret (creds, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  dossier_credentials_set_secret (creds, "typed-token");
  get_header (auth, NULL, &o);
  g_assert_cmpstr (o.value, ==, "Bearer typed-token");

  g_object_unref (creds);
  outcome_clear (&o);
}

/* ------------------------------------------------------------------------ */
/* Moov                                                                      */

static void
test_moov_oauth2 (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "moov", NULL,
                                           DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                           DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(GHashTable) values = moov_values (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_autoptr(GHashTable) other_values = moov_values ("0b7e3f4c-1d2a-4e5f-8a9b-0c1d2e3f4a5b");
  g_autofree char *first = NULL;
  Outcome o = { 0 };

  /* The scope names the account: without it there is no token */
  get_header (auth, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
  g_assert_nonnull (strstr (o.error->message, "accountID"));

  get_header (auth, values, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.name, ==, "Authorization");
  g_assert_true (g_str_has_prefix (o.value, "Bearer "));
  first = g_strdup (o.value);

  get_header (auth, values, &o);
  g_assert_cmpstr (o.value, ==, first);

  /* Another account: another scope, another token */
  get_header (auth, other_values, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.value, !=, first);

  /* The check request lists the account's files with the fetched token */
  check (auth, values, &o);
  g_assert_no_error (o.error);
  g_assert_true (g_str_has_prefix (o.text, "Credentials accepted by Moov: token valid for "));

  outcome_clear (&o);
}

static void
test_moov_bad_client (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "moov", NULL,
                                           DOSSIER_SANDBOX_MOOV_CLIENT_ID, "moov-wrong-private");
  g_autoptr(GHashTable) values = moov_values (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  Outcome o = { 0 };

  get_header (auth, values, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_cmpstr (o.error->message, ==, "Moov refused the Public key or Private key (401: invalid_client)");
  g_assert_null (strstr (o.error->message, "moov-wrong-private"));

  outcome_clear (&o);
}

static void
test_moov_check_pasted (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(DossierAuth) good = make_auth (fixture, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(DossierAuth) bad = make_auth (fixture, "moov", "moov-made-up-token", NULL, NULL);
  g_autoptr(GHashTable) values = moov_values (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  Outcome o = { 0 };

  check (good, values, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.text, ==, "Token accepted by Moov");

  check (bad, values, &o);
  g_assert_false (o.ok);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (o.error->message, "Moov refused the token (401"));
  g_assert_null (strstr (o.error->message, "moov-made-up-token"));
  g_assert_false (dossier_auth_invalidate (bad));

  outcome_clear (&o);
}

/* Five uploads start at once: one token request serves them all */
static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "moov", NULL,
                                           DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                           DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  g_autoptr(GHashTable) values = moov_values (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_autofree char *first = NULL;
  Outcome o[5] = { { 0 } };

  /* Moov's tokens are random: equal values mean one request */
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    dossier_auth_get_header_async (auth, values, NULL, header_cb, &o[i]);
  wait_for (o, G_N_ELEMENTS (o));
  first = g_strdup (o[0].value);
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    {
      g_assert_no_error (o[i].error);
      g_assert_cmpstr (o[i].value, ==, first);
      outcome_clear (&o[i]);
    }

  /* And with one failure armed, all of them see that one failure: a second
   * request would have succeeded */
  g_assert_true (dossier_auth_invalidate (auth));
  dossier_test_add_fault (fixture->sandbox, "moov/token:status=503,times=1");
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    dossier_auth_get_header_async (auth, values, NULL, header_cb, &o[i]);
  wait_for (o, G_N_ELEMENTS (o));
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    {
      g_assert_error (o[i].error, DOSSIER_ERROR, DOSSIER_ERROR_HTTP);
      g_assert_nonnull (strstr (o[i].error->message, "503"));
      outcome_clear (&o[i]);
    }

  get_header (auth, values, &o[0]);
  g_assert_no_error (o[0].error);
  outcome_clear (&o[0]);
}

/* One of two waiters gives up; the other still gets the token */
static void
test_cancel_one_waiter (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "receeve", NULL,
                                           DOSSIER_SANDBOX_RECEEVE_CLIENT_ID,
                                           DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome o[2] = { { 0 } };

  dossier_test_add_fault (fixture->sandbox, "receeve/token:delay=200");
  dossier_auth_get_header_async (auth, NULL, cancellable, header_cb, &o[0]);
  dossier_auth_get_header_async (auth, NULL, NULL, header_cb, &o[1]);
  g_cancellable_cancel (cancellable);
  wait_for (o, 2);

  g_assert_error (o[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (o[1].error);
  g_assert_nonnull (o[1].value);

  outcome_clear (&o[0]);
  outcome_clear (&o[1]);

  /* Both give up: the request is abandoned, and a new caller starts anew */
  g_assert_true (dossier_auth_invalidate (auth));
  g_cancellable_reset (cancellable);
  dossier_auth_get_header_async (auth, NULL, cancellable, header_cb, &o[0]);
  g_cancellable_cancel (cancellable);
  wait_for (o, 1);
  g_assert_error (o[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  get_header (auth, NULL, &o[1]);
  g_assert_no_error (o[1].error);

  outcome_clear (&o[0]);
  outcome_clear (&o[1]);
}

/* ------------------------------------------------------------------------ */
/* receeve and Kore                                                          */

static void
test_receeve_raw (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DossierAuth) pasted = make_auth (fixture, "receeve", DOSSIER_SANDBOX_RECEEVE_TOKEN, NULL, NULL);
  g_autoptr(DossierAuth) fetched = make_auth (fixture, "receeve", NULL,
                                              DOSSIER_SANDBOX_RECEEVE_CLIENT_ID,
                                              DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET);
  g_autoptr(DossierAuth) wrong = make_auth (fixture, "receeve", NULL,
                                            DOSSIER_SANDBOX_RECEEVE_CLIENT_ID, "receeve-wrong");
  Outcome o = { 0 };

  get_header (pasted, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.name, ==, "Authorization");
  g_assert_cmpstr (o.value, ==, DOSSIER_SANDBOX_RECEEVE_TOKEN);

  get_header (fetched, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.name, ==, "Authorization");
  g_assert_false (g_str_has_prefix (o.value, "Bearer"));
  g_assert_cmpuint (strlen (o.value), >, 8);

  check (fetched, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.text, ==, "Credentials accepted: token valid for 60 minutes");

  get_header (wrong, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_cmpstr (o.error->message, ==,
                   "receeve refused the Client ID or Client secret (401: Invalid client credentials)");

  outcome_clear (&o);
}

static void
test_kore_header (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "kore", DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(DossierAuth) none = make_auth (fixture, "kore", NULL, "id", "secret");
  Outcome o = { 0 };

  get_header (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.name, ==, "x-api-key");
  g_assert_cmpstr (o.value, ==, DOSSIER_SANDBOX_KORE_API_KEY);
  g_assert_false (dossier_auth_invalidate (auth));

  check (auth, NULL, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (o.text, ==, "Kore.ai has no way to check the API key before an upload; "
                               "it will be checked with the first file");

  /* Client credentials mean nothing to Kore */
  get_header (none, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_AUTH);
  g_assert_cmpstr (o.error->message, ==, "Enter the API key");
  g_assert_false (dossier_auth_invalidate (none));

  outcome_clear (&o);
}

/* ------------------------------------------------------------------------ */
/* transport                                                                 */

static void
count_queued_cb (guint *n_queued)
{
  (*n_queued)++;
}

static void
test_insecure (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
  g_autoptr(DossierCredentials) pasted = dossier_credentials_new ();
  g_autoptr(DossierAuth) auth = NULL;
  g_autoptr(DossierAuth) pasted_auth = NULL;
  guint n_queued = 0;
  Outcome o = { 0 };

  /* 192.0.2.0/24 is reserved for documentation: nothing answers there, so
   * an attempt to connect would hang rather than fail at once; and no
   * request may even be queued */
  g_signal_connect_swapped (dossier_client_get_session (fixture->client), "request-queued", G_CALLBACK (count_queued_cb), &n_queued);
  dossier_credentials_set_client_id (creds, DOSSIER_SANDBOX_DOKU_CLIENT_ID);
  dossier_credentials_set_client_secret (creds, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  auth = dossier_auth_new (provider (fixture, "doku"), "http://192.0.2.1", creds, fixture->client);

  get_header (auth, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);
  g_assert_null (strstr (o.error->message, DOSSIER_SANDBOX_DOKU_SECRET_KEY));
  check (auth, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);

  dossier_credentials_set_secret (pasted, "pasted");
  pasted_auth = dossier_auth_new (provider (fixture, "moov"), "http://192.0.2.1", pasted, fixture->client);
  check (pasted_auth, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);

  g_assert_cmpuint (n_queued, ==, 0);
  g_signal_handlers_disconnect_by_func (dossier_client_get_session (fixture->client), count_queued_cb, &n_queued);
  outcome_clear (&o);
}

static void
test_network_error (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DossierCredentials) creds = dossier_credentials_new ();
  g_autoptr(DossierAuth) auth = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  guint16 port;
  Outcome o = { 0 };

  /* A port that was free a moment ago: connections are refused */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  base = g_strdup_printf ("http://127.0.0.1:%u/moov", port);

  dossier_credentials_set_client_id (creds, DOSSIER_SANDBOX_MOOV_CLIENT_ID);
  dossier_credentials_set_client_secret (creds, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET);
  auth = dossier_auth_new (provider (fixture, "moov"), base, creds, fixture->client);

  {
    g_autoptr(GHashTable) values = moov_values (DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);

    get_header (auth, values, &o);
  }
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_true (g_str_has_prefix (o.error->message, "Could not get a token from Moov: "));
  g_assert_null (strstr (o.error->message, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET));

  outcome_clear (&o);
}

static void
test_malformed_token_answer (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(DossierAuth) auth = make_auth (fixture, "receeve", NULL,
                                           DOSSIER_SANDBOX_RECEEVE_CLIENT_ID,
                                           DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET);
  Outcome o = { 0 };

  dossier_test_add_fault (fixture->sandbox, "receeve/token:malformed-json");
  get_header (auth, NULL, &o);
  g_assert_error (o.error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (o.error->message, "Could not get a token from receeve: "));

  get_header (auth, NULL, &o);
  g_assert_no_error (o.error);

  outcome_clear (&o);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/doku-signature", test_doku_signature);
  g_test_add_func ("/auth/doku-signature-get", test_doku_signature_get);
  g_test_add_func ("/auth/jwt-expiry", test_jwt_expiry);
  g_test_add_func ("/auth/expires-in", test_expires_in);
  g_test_add_func ("/auth/error-message", test_error_message);
  g_test_add_func ("/auth/uri-allowed", test_uri_allowed);
  g_test_add_func ("/auth/credentials/properties", test_credentials_properties);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/auth/credentials/is-usable", test_is_usable);
  ADD ("/auth/doku/token", test_doku_token);
  ADD ("/auth/doku/wrong-secret", test_doku_wrong_secret);
  ADD ("/auth/doku/pasted", test_doku_pasted);
  ADD ("/auth/credentials-change", test_credentials_change);
  ADD ("/auth/moov/oauth2", test_moov_oauth2);
  ADD ("/auth/moov/bad-client", test_moov_bad_client);
  ADD ("/auth/moov/check-pasted", test_moov_check_pasted);
  ADD ("/auth/concurrent", test_concurrent);
  ADD ("/auth/cancel-one-waiter", test_cancel_one_waiter);
  ADD ("/auth/receeve/raw", test_receeve_raw);
  ADD ("/auth/kore/header", test_kore_header);
  ADD ("/auth/insecure", test_insecure);
  ADD ("/auth/network-error", test_network_error);
  ADD ("/auth/malformed-token-answer", test_malformed_token_answer);

#undef ADD

  return g_test_run ();
}
