/* test-sandbox-requirements.c: the sandbox's Moov capabilities and files read back, DOKU's File Requirements
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-test-util.h"

#define DOKU_FILE_TARGET "/adv-core-api/partner/v1.0/file"
#define BUSINESS_DOC     "document.business.verification"
#define REP_DOC          "document.representative." DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID ".verification"
#define REP_TIN          "document.representative." DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID ".tin"
#define OTHER_ACCOUNT    "5e0c9a7b-8d1f-4a2e-b3c4-d5e6f7a8b9c0"

/* -------------------------------------------------------------------------- */
/* helpers                                                                    */

static const char *
sample_account (void)
{
  return dossier_sandbox_sample_lookup_value (dossier_sandbox_lookup_sample ("moov"), "accountID");
}

static SoupMessage *
sandbox_message (DossierTestFixture *fx,
                 const char         *method,
                 const char         *path)
{
  g_autofree char *uri = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), path, NULL);

  return soup_message_new (method, uri);
}

/* A Moov GET of @path (after /moov/accounts/ACCOUNT) with @token (NULL:
 * none); its status, the JSON in @out_json; every answer has an x-request-id
 * and a 401/403/404 has no body */
static guint
moov_get (DossierTestFixture  *fx,
          const char          *token,
          const char          *account,
          const char          *path,
          JsonNode           **out_json)
{
  g_autofree char *full = g_strdup_printf ("/moov/accounts/%s%s", account, path);
  g_autoptr(SoupMessage) msg = sandbox_message (fx, "GET", full);
  g_autoptr(JsonNode) json = NULL;
  const char *request_id;
  guint status;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  status = dossier_test_send (msg, &json);
  request_id = soup_message_headers_get_one (soup_message_get_response_headers (msg), "x-request-id");
  g_assert_true (request_id != NULL && g_uuid_string_is_valid (request_id));
  if (status == 401 || status == 403 || status == 404)
    g_assert_null (json);
  if (out_json != NULL)
    *out_json = g_steal_pointer (&json);

  return status;
}

/* The capability @name of the sample account */
static JsonObject *
get_capability (DossierTestFixture  *fx,
                const char          *name,
                JsonNode           **holder)
{
  g_autofree char *path = g_strconcat ("/capabilities/", name, NULL);

  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, sample_account (), path, holder), ==, 200);
  return json_node_get_object (*holder);
}

static gboolean
is_due (JsonObject *capability,
        const char *requirement)
{
  JsonArray *due = json_object_get_array_member (json_object_get_object_member (capability, "requirements"),
                                                 "currentlyDue");

  for (guint i = 0; i < json_array_get_length (due); i++)
    if (g_str_equal (json_array_get_string_element (due, i), requirement))
      return TRUE;
  return FALSE;
}

static JsonArray *
errors_of (JsonObject *capability)
{
  return json_object_get_array_member (json_object_get_object_member (capability, "requirements"), "errors");
}

/* Uploads a small PNG to the sample account with @metadata (NULL: none);
 * the FileDetails answered */
static JsonNode *
moov_upload (DossierTestFixture *fx,
             const char         *purpose,
             const char         *metadata)
{
  g_autoptr(SoupMultipart) form = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 64, FALSE);
  g_autofree char *uri = g_strdup_printf ("%s/moov/accounts/%s/files",
                                          dossier_sandbox_get_base_url (fx->sandbox), sample_account ());
  g_autoptr(SoupMessage) msg = NULL;
  JsonNode *json = NULL;

  soup_multipart_append_form_string (form, "filePurpose", purpose);
  if (metadata != NULL)
    soup_multipart_append_form_string (form, "metadata", metadata);
  soup_multipart_append_form_file (form, "file", "scan.png", "application/octet-stream", png);
  msg = soup_message_new_from_multipart (uri, form);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " DOSSIER_SANDBOX_MOOV_TOKEN);
  g_assert_cmpuint (dossier_test_send (msg, &json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "fileStatus"), ==, "pending");

  return json;
}

static char *
moov_token_for (DossierTestFixture *fx,
                const char         *scope)
{
  g_autoptr(SoupMessage) msg = sandbox_message (fx, "POST", "/moov/oauth2/token");
  g_autofree char *body = soup_form_encode ("grant_type", "client_credentials",
                                            "client_id", DOSSIER_SANDBOX_MOOV_CLIENT_ID,
                                            "client_secret", DOSSIER_SANDBOX_MOOV_CLIENT_SECRET,
                                            "scope", scope, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(JsonNode) json = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  g_assert_cmpuint (dossier_test_send (msg, &json), ==, 200);

  return g_strdup (json_object_get_string_member (json_node_get_object (json), "access_token"));
}

static void
post_control (DossierTestFixture *fx,
              const char         *path,
              const char         *body,
              guint               expected)
{
  g_autoptr(SoupMessage) msg = sandbox_message (fx, "POST", path);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
  g_assert_cmpuint (dossier_test_send (msg, NULL), ==, expected);
}

/* -------------------------------------------------------------------------- */
/* Moov                                                                       */

static void
test_capabilities_shape (DossierTestFixture *fx,
                         gconstpointer       data)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autofree char *scoped = g_strdup_printf ("/accounts/%s/capabilities.read", sample_account ());
  g_autofree char *token = moov_token_for (fx, scoped);
  g_autofree char *files_only = g_strdup_printf ("/accounts/%s/files.read", sample_account ());
  g_autofree char *files_token = moov_token_for (fx, files_only);
  gboolean seen_collect = FALSE;
  JsonArray *array;

  g_assert_cmpuint (moov_get (fx, token, sample_account (), "/capabilities", &list), ==, 200);
  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), >=, 2);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *cap = json_array_get_object_element (array, i);
      const char *status = json_object_get_string_member (cap, "status");
      JsonObject *requirements = json_object_get_object_member (cap, "requirements");
      g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (json_object_get_string_member (cap, "createdOn"),
                                                                   NULL);

      g_assert_nonnull (json_object_get_string_member (cap, "capability"));
      g_assert_cmpstr (json_object_get_string_member (cap, "accountID"), ==, sample_account ());
      g_assert_true (g_str_equal (status, "enabled") || g_str_equal (status, "pending"));
      g_assert_nonnull (json_object_get_array_member (requirements, "currentlyDue"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (requirements, "errors")), ==, 0);
      g_assert_nonnull (created);
      g_assert_nonnull (json_object_get_string_member (cap, "updatedOn"));
      if (g_str_equal (json_object_get_string_member (cap, "capability"), "collect-funds"))
        {
          seen_collect = TRUE;
          g_assert_cmpstr (status, ==, "pending");
          g_assert_true (is_due (cap, BUSINESS_DOC));
          g_assert_true (is_due (cap, REP_DOC));
          g_assert_true (is_due (cap, REP_TIN));
        }
    }
  g_assert_true (seen_collect);

  g_assert_cmpuint (moov_get (fx, token, sample_account (), "/capabilities/collect-funds", &one), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (one), "capability"), ==, "collect-funds");
  g_assert_cmpuint (moov_get (fx, token, sample_account (), "/capabilities/teleport", NULL), ==, 404);

  /* scopes and auth as for the files */
  g_assert_cmpuint (moov_get (fx, files_token, sample_account (), "/capabilities", NULL), ==, 403);
  g_assert_cmpuint (moov_get (fx, token, OTHER_ACCOUNT, "/capabilities", NULL), ==, 403);
  g_assert_cmpuint (moov_get (fx, NULL, sample_account (), "/capabilities", NULL), ==, 401);
  g_assert_cmpuint (moov_get (fx, "no-such-token", sample_account (), "/capabilities", NULL), ==, 401);

  /* unknown accounts: 404 without a body */
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, "00000000-0000-0000-0000-000000000000",
                              "/capabilities", NULL), ==, 404);
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, "not-an-account",
                              "/capabilities/collect-funds", NULL), ==, 404);
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, "not-an-account", "/files/x", NULL), ==, 404);
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, "00000000-0000-0000-0000-000000000000",
                              "/files", NULL), ==, 404);
}

static void
test_answer_moves_requirement (DossierTestFixture *fx,
                               gconstpointer       data)
{
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(JsonNode) collect = NULL;
  g_autoptr(JsonNode) send = NULL;
  g_autoptr(JsonNode) read_back = NULL;
  g_autofree char *path = NULL;
  JsonObject *cap;

  details = moov_upload (fx, "business_verification", "{\"requirement_id\":\"" BUSINESS_DOC "\"}");

  /* out of currentlyDue in every capability that wanted it */
  cap = get_capability (fx, "collect-funds", &collect);
  g_assert_false (is_due (cap, BUSINESS_DOC));
  g_assert_true (is_due (cap, REP_DOC));
  g_assert_cmpstr (json_object_get_string_member (cap, "status"), ==, "pending");
  cap = get_capability (fx, "send-funds", &send);
  g_assert_false (is_due (cap, BUSINESS_DOC));
  g_assert_cmpstr (json_object_get_string_member (cap, "status"), ==, "in-review");

  /* the file waits for the review, which enables what has nothing due */
  path = g_strconcat ("/files/", json_object_get_string_member (json_node_get_object (details), "fileID"), NULL);
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, sample_account (), path, &read_back), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (read_back), "fileStatus"), ==, "pending");
  post_control (fx, "/_sandbox/moov/review", "", 200);
  g_clear_pointer (&read_back, json_node_unref);
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, sample_account (), path, &read_back), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (read_back), "fileStatus"), ==, "approved");
  g_clear_pointer (&send, json_node_unref);
  cap = get_capability (fx, "send-funds", &send);
  g_assert_cmpstr (json_object_get_string_member (cap, "status"), ==, "enabled");
  g_clear_pointer (&collect, json_node_unref);
  cap = get_capability (fx, "collect-funds", &collect);
  g_assert_cmpstr (json_object_get_string_member (cap, "status"), ==, "pending");
}

static void
test_other_uploads_change_nothing (DossierTestFixture *fx,
                                   gconstpointer       data)
{
  static const char * const metadata[] = {
    NULL,
    "{\"comment\":\"no requirement\"}",
    "{\"requirement_id\":\"document.individual.tin\"}",
    "{\"requirement_id\":\"document.representative.someone-else.verification\"}",
  };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) files = NULL;

  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, sample_account (), "/capabilities", &before), ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (metadata); i++)
    {
      g_autoptr(JsonNode) details = moov_upload (fx, "representative_verification", metadata[i]);
    }
  post_control (fx, "/_sandbox/moov/review", "", 200);

  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, sample_account (), "/capabilities", &after), ==, 200);
  g_assert_true (json_node_equal (before, after));

  /* nothing answered: nothing reviewed */
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, sample_account (), "/files", &files), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (files)), ==, G_N_ELEMENTS (metadata));
  for (guint i = 0; i < G_N_ELEMENTS (metadata); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (files), i),
                                                    "fileStatus"), ==, "pending");
}

static void
test_files_read_back (DossierTestFixture *fx,
                      gconstpointer       data)
{
  g_autoptr(JsonNode) details = moov_upload (fx, "merchant_underwriting", "{\"comment\":\"statements\"}");
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autofree char *path = NULL;
  g_autofree char *unknown = g_strconcat ("/files/", OTHER_ACCOUNT, NULL);
  g_autofree char *read_only = g_strdup_printf ("/accounts/%s/files.read", sample_account ());
  g_autofree char *token = moov_token_for (fx, read_only);
  g_autofree char *caps_only = g_strdup_printf ("/accounts/%s/capabilities.read", sample_account ());
  g_autofree char *caps_token = moov_token_for (fx, caps_only);
  JsonObject *obj;

  path = g_strconcat ("/files/", json_object_get_string_member (json_node_get_object (details), "fileID"), NULL);
  g_assert_cmpuint (moov_get (fx, token, sample_account (), "/files", &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  g_assert_true (json_node_equal (json_array_get_element (json_node_get_array (list), 0), details));

  g_assert_cmpuint (moov_get (fx, token, sample_account (), path, &one), ==, 200);
  g_assert_true (json_node_equal (one, details));
  obj = json_node_get_object (one);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (obj, "fileID")));
  g_assert_cmpstr (json_object_get_string_member (obj, "fileName"), ==, "scan.png");
  g_assert_cmpstr (json_object_get_string_member (obj, "accountID"), ==, sample_account ());
  g_assert_cmpstr (json_object_get_string_member (obj, "filePurpose"), ==, "merchant_underwriting");
  g_assert_cmpstr (json_object_get_string_member (obj, "metadata"), ==, "{\"comment\":\"statements\"}");
  g_assert_cmpint (json_object_get_int_member (obj, "fileSizeBytes"), ==, 64);
  g_assert_nonnull (json_object_get_string_member (obj, "createdOn"));
  g_assert_nonnull (json_object_get_string_member (obj, "updatedOn"));

  g_assert_cmpuint (moov_get (fx, token, sample_account (), unknown, NULL), ==, 404);
  g_assert_cmpuint (moov_get (fx, caps_token, sample_account (), path, NULL), ==, 403);
  g_assert_cmpuint (moov_get (fx, NULL, sample_account (), path, NULL), ==, 401);
  /* another account does not hold it */
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, OTHER_ACCOUNT, path, NULL), ==, 404);
}

static void
test_requirement_fault (DossierTestFixture *fx,
                        gconstpointer       data)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) read_back = NULL;
  g_autoptr(JsonNode) collect = NULL;
  g_autofree char *path = NULL;
  JsonObject *cap;
  JsonObject *file;
  JsonArray *errors;

  /* through the control route, as a client of the sandbox would */
  post_control (fx, "/_sandbox/faults", "moov/requirement:requirement=" REP_DOC ",error=document-illegible", 200);
  first = moov_upload (fx, "representative_verification", "{\"requirement_id\":\"" REP_DOC "\"}");

  path = g_strconcat ("/files/", json_object_get_string_member (json_node_get_object (first), "fileID"), NULL);
  g_assert_cmpuint (moov_get (fx, DOSSIER_SANDBOX_MOOV_TOKEN, sample_account (), path, &read_back), ==, 200);
  file = json_node_get_object (read_back);
  g_assert_cmpstr (json_object_get_string_member (file, "fileStatus"), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (file, "decisionReason"), "document-illegible"));

  cap = get_capability (fx, "collect-funds", &collect);
  g_assert_true (is_due (cap, REP_DOC));
  errors = errors_of (cap);
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "requirement"), ==, REP_DOC);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "errorCode"), ==,
                   "document-illegible");

  /* the fault is used up: a new answer, with the error code it answers, is taken */
  second = moov_upload (fx, "representative_verification",
                        "{\"requirement_id\":\"" REP_DOC "\",\"error_code\":\"document-illegible\"}");
  g_clear_pointer (&collect, json_node_unref);
  cap = get_capability (fx, "collect-funds", &collect);
  g_assert_false (is_due (cap, REP_DOC));
  g_assert_cmpuint (json_array_get_length (errors_of (cap)), ==, 0);
}

static void
test_requirement_fault_syntax (void)
{
  static const char * const bad[] = {
    "moov/requirement:requirement=" BUSINESS_DOC,
    "moov/requirement:error=document-illegible",
    "moov/requirement:requirement=" BUSINESS_DOC ",error=smudged",
    "moov/requirement:requirement=" BUSINESS_DOC ",error=document-expired,status=500",
    "moov/upload:requirement=" BUSINESS_DOC ",error=document-expired",
    "doku/requirement:requirement=" BUSINESS_DOC ",error=document-expired",
    "moov/requirement:status=500",
  };
  g_autoptr(DossierSandbox) sandbox = dossier_test_sandbox_new (FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (dossier_sandbox_add_fault (sandbox, bad[i], &error));
      g_assert_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT);
    }
  dossier_test_add_fault (sandbox, "moov/requirement:requirement=" BUSINESS_DOC
                          ",error=document-address.mismatch,times=2");
}

/* -------------------------------------------------------------------------- */
/* DOKU                                                                       */

/* The File Requirements for these query values, signed with @secret; @codes
 * (when 200) every code of the answer, space separated, with spaces around */
static guint
doku_requirements (DossierTestFixture  *fx,
                   const char          *secret,
                   const char * const  *query,
                   JsonNode           **out_json,
                   char               **codes)
{
  g_autoptr(GString) path = g_string_new ("/doku" DOKU_FILE_TARGET);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GString) found = g_string_new (" ");
  JsonNode *json = NULL;
  guint status;

  for (guint i = 0; query[i] != NULL; i += 2)
    {
      g_autofree char *value = g_uri_escape_string (query[i + 1], NULL, FALSE);
      g_string_append_printf (path, "%c%s=%s", i == 0 ? '?' : '&', query[i], value);
    }
  msg = sandbox_message (fx, "GET", path->str);
  dossier_test_doku_sign (msg, DOKU_FILE_TARGET, NULL, secret);
  status = dossier_test_send (msg, &json);
  if (status == 200)
    {
      JsonObject *business = json_object_get_object_member (json_node_get_object (json), "business");
      g_autoptr(GList) groups = json_object_get_members (business);

      for (GList *g = groups; g != NULL; g = g->next)
        {
          JsonObject *group = json_object_get_object_member (business, g->data);
          g_autoptr(GList) items = json_object_get_members (group);

          for (GList *l = items; l != NULL; l = l->next)
            {
              JsonObject *item = json_object_get_object_member (group, l->data);

              g_assert_nonnull (json_object_get_string_member (item, "name"));
              g_assert_cmpuint (json_array_get_length (json_object_get_array_member (item, "extensions")), >, 0);
              g_assert_cmpint (json_object_get_int_member (item, "max_size"), ==, 15);
              g_string_append_printf (found, "%s ", json_object_get_string_member (item, "code"));
            }
        }
    }
  if (codes != NULL)
    *codes = g_strdup (found->str);
  if (out_json != NULL)
    *out_json = json;
  else
    g_clear_pointer (&json, json_node_unref);

  return status;
}

static void
test_doku_requirements (DossierTestFixture *fx,
                        gconstpointer       data)
{
  const DossierSandboxSample *sample = dossier_sandbox_lookup_sample ("doku");
  const char * const personal[] = {
    "businessType", dossier_sandbox_sample_lookup_requirement (sample, "businessType"),
    "businessLegalEntity", dossier_sandbox_sample_lookup_requirement (sample, "businessLegalEntity"),
    "brandBusinessLine", dossier_sandbox_sample_lookup_requirement (sample, "brandBusinessLine"),
    "businessContactNationality", dossier_sandbox_sample_lookup_requirement (sample, "businessContactNationality"),
    NULL
  };
  const char * const corporate[] = {
    "businessType", "CORPORATE", "businessLegalEntity", "PT", "brandBusinessLine", "DIGITAL_AND_GAME",
    "businessContactNationality", "ID", NULL
  };
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *personal_codes = NULL;
  g_autofree char *corporate_codes = NULL;
  JsonObject *photo;

  g_assert_cmpstr (personal[1], ==, "PERSONAL");
  g_assert_cmpuint (doku_requirements (fx, DOSSIER_SANDBOX_DOKU_SECRET_KEY, personal, &json, &personal_codes),
                    ==, 200);
  /* DOKU's own sample */
  photo = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (
    json_node_get_object (json), "business"), "brand"), "photo_proof");
  g_assert_cmpstr (json_object_get_string_member (photo, "code"), ==, "PHOTO_PROOF");
  g_assert_cmpstr (json_object_get_string_member (photo, "name"), ==, "Brand Photo Proof");
  for (const char * const *code = (const char * const[]) { " KTP ", " PHOTO_PROOF ", " OWNER_LIVENESS ",
                                                           " NPWP_ORANG_PRIBADI ", " BANK_ACCOUNT ", NULL };
       *code != NULL; code++)
    g_assert_nonnull (strstr (personal_codes, *code));
  g_assert_null (strstr (personal_codes, " AKTA_PENDIRIAN_PERUSAHAAN "));
  g_assert_null (strstr (personal_codes, " NPWP_BADAN "));

  g_assert_cmpuint (doku_requirements (fx, DOSSIER_SANDBOX_DOKU_SECRET_KEY, corporate, NULL, &corporate_codes),
                    ==, 200);
  for (const char * const *code = (const char * const[]) { " KTP ", " AKTA_PENDIRIAN_PERUSAHAAN ",
                                                           " SK_KEMENKUMHAM ", " NIB ", " NPWP_BADAN ", NULL };
       *code != NULL; code++)
    g_assert_nonnull (strstr (corporate_codes, *code));
  g_assert_null (strstr (corporate_codes, " NPWP_ORANG_PRIBADI "));
}

static void
assert_doku_error (JsonNode   *json,
                   const char *code)
{
  g_assert_nonnull (json);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "status"), ==, "FAILED");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "response_code"), ==, code);
}

static void
test_doku_refusals (DossierTestFixture *fx,
                    gconstpointer       data)
{
  const char * const ok[] = {
    "businessType", "PERSONAL", "businessLegalEntity", "PERSEORANGAN", "brandBusinessLine", "RETAIL",
    "businessContactNationality", "ID", NULL
  };
  const char * const mismatched[] = {
    "businessType", "PERSONAL", "businessLegalEntity", "PT", "brandBusinessLine", "RETAIL",
    "businessContactNationality", "ID", NULL
  };
  const char * const missing[] = {
    "businessType", "CORPORATE", "businessLegalEntity", "PT", "brandBusinessLine", "RETAIL", NULL
  };
  g_autoptr(JsonNode) bad_secret = NULL;
  g_autoptr(JsonNode) with_digest = NULL;
  g_autoptr(JsonNode) unsigned_json = NULL;
  g_autoptr(JsonNode) bad_query = NULL;
  g_autoptr(JsonNode) no_nationality = NULL;
  g_autoptr(SoupMessage) digest_msg = sandbox_message (fx, "GET", "/doku" DOKU_FILE_TARGET "?businessType=PERSONAL"
                                                       "&businessLegalEntity=PERSEORANGAN&brandBusinessLine=RETAIL"
                                                       "&businessContactNationality=ID");
  g_autoptr(SoupMessage) unsigned_msg = sandbox_message (fx, "GET", "/doku" DOKU_FILE_TARGET);

  g_assert_cmpuint (doku_requirements (fx, "not-the-secret", ok, &bad_secret, NULL), ==, 401);
  assert_doku_error (bad_secret, "INVALID_SIGNATURE");

  /* a GET is signed without a Digest line: one of an empty body is wrong */
  dossier_test_doku_sign (digest_msg, DOKU_FILE_TARGET, "", DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  g_assert_cmpuint (dossier_test_send (digest_msg, &with_digest), ==, 401);
  assert_doku_error (with_digest, "INVALID_SIGNATURE");

  g_assert_cmpuint (dossier_test_send (unsigned_msg, &unsigned_json), ==, 400);
  assert_doku_error (unsigned_json, "INVALID_PARAMETER");

  g_assert_cmpuint (doku_requirements (fx, DOSSIER_SANDBOX_DOKU_SECRET_KEY, mismatched, &bad_query, NULL), ==, 400);
  assert_doku_error (bad_query, "INVALID_PARAMETER");
  g_assert_cmpuint (doku_requirements (fx, DOSSIER_SANDBOX_DOKU_SECRET_KEY, missing, &no_nationality, NULL), ==, 400);
  assert_doku_error (no_nationality, "INVALID_PARAMETER");
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (no_nationality), "response_message"),
                            "businessContactNationality"));
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  DOSSIER_TEST_ADD ("/sandbox-requirements/moov/capabilities", test_capabilities_shape);
  DOSSIER_TEST_ADD ("/sandbox-requirements/moov/answer", test_answer_moves_requirement);
  DOSSIER_TEST_ADD ("/sandbox-requirements/moov/unrelated", test_other_uploads_change_nothing);
  DOSSIER_TEST_ADD ("/sandbox-requirements/moov/files", test_files_read_back);
  DOSSIER_TEST_ADD ("/sandbox-requirements/moov/rejected", test_requirement_fault);
  g_test_add_func ("/sandbox-requirements/moov/fault-syntax", test_requirement_fault_syntax);
  DOSSIER_TEST_ADD ("/sandbox-requirements/doku/requirements", test_doku_requirements);
  DOSSIER_TEST_ADD ("/sandbox-requirements/doku/refusals", test_doku_refusals);

  return g_test_run ();
}
