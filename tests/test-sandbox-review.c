/* test-sandbox-review.c: the sandbox's reviews, DOKU's Get Business Data and Request-Id replays
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-test-util.h"

#define BUSINESS_DOC  "document.business.verification"
#define DOKU_BUSINESS "/adv-core-api/partner/v1.0/business/CLIENT-1"

static SoupMessage *
sandbox_message (DossierTestFixture *fx,
                 const char         *method,
                 const char         *path)
{
  g_autofree char *uri = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), path, NULL);

  return soup_message_new (method, uri);
}

static guint
post_json (DossierTestFixture *fx,
           const char         *path,
           const char         *body)
{
  g_autoptr(SoupMessage) msg = sandbox_message (fx, "POST", path);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return dossier_test_send (msg, NULL);
}

static guint
moov_get (DossierTestFixture  *fx,
          const char          *path,
          JsonNode           **out_json)
{
  g_autofree char *full = g_strdup_printf ("/moov/accounts/%s%s", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, path);
  g_autoptr(SoupMessage) msg = sandbox_message (fx, "GET", full);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " DOSSIER_SANDBOX_MOOV_TOKEN);
  return dossier_test_send (msg, out_json);
}

/* A PNG named @name to the sample account; its fileID */
static char *
moov_upload (DossierTestFixture *fx,
             const char         *name,
             const char         *metadata)
{
  g_autoptr(SoupMultipart) form = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 64, FALSE);
  g_autofree char *uri = g_strdup_printf ("%s/moov/accounts/%s/files", dossier_sandbox_get_base_url (fx->sandbox),
                                          DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) json = NULL;

  soup_multipart_append_form_string (form, "filePurpose", "business_verification");
  if (metadata != NULL)
    soup_multipart_append_form_string (form, "metadata", metadata);
  soup_multipart_append_form_file (form, "file", name, "application/octet-stream", png);
  msg = soup_message_new_from_multipart (uri, form);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " DOSSIER_SANDBOX_MOOV_TOKEN);
  g_assert_cmpuint (dossier_test_send (msg, &json), ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (json), "fileID"));
}

/* The file @id as the list has it */
static JsonObject *
listed (DossierTestFixture  *fx,
        const char          *id,
        JsonNode           **holder)
{
  JsonArray *files;

  g_clear_pointer (holder, json_node_unref);
  g_assert_cmpuint (moov_get (fx, "/files", holder), ==, 200);
  files = json_node_get_array (*holder);
  for (guint i = 0; i < json_array_get_length (files); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (files, i), "fileID"), id))
      return json_array_get_object_element (files, i);
  g_assert_not_reached ();
}

static const char *
status_of (DossierTestFixture  *fx,
           const char          *id,
           JsonNode           **holder)
{
  return json_object_get_string_member (listed (fx, id, holder), "fileStatus");
}

/* the business capability's error for BUSINESS_DOC, or NULL */
static char *
business_error (DossierTestFixture *fx)
{
  g_autoptr(JsonNode) json = NULL;
  JsonObject *requirements;
  JsonArray *errors;

  g_assert_cmpuint (moov_get (fx, "/capabilities/send-funds", &json), ==, 200);
  requirements = json_object_get_object_member (json_node_get_object (json), "requirements");
  errors = json_object_get_array_member (requirements, "errors");
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonObject *error = json_array_get_object_element (errors, i);

      if (g_str_equal (json_object_get_string_member (error, "requirement"), BUSINESS_DOC))
        return g_strdup (json_object_get_string_member (error, "errorCode"));
    }
  return NULL;
}

/* --review-after 0: decided on the sandbox's next turn; "blurry" rejected */
static void
test_review_after (DossierTestFixture *fx,
                   gconstpointer       data)
{
  g_autoptr(JsonNode) holder = NULL;
  g_autofree char *blurry = NULL;
  g_autofree char *sharp = NULL;
  g_autofree char *code = NULL;
  JsonObject *file;
  guint timeout = dossier_test_timeout_add ();

  dossier_sandbox_set_review_after (fx->sandbox, 0);
  blurry = moov_upload (fx, "Blurry-scan.png", "{\"requirement_id\":\"" BUSINESS_DOC "\"}");
  sharp = moov_upload (fx, "sharp.png", NULL);

  while (g_str_equal (status_of (fx, blurry, &holder), "pending") || g_str_equal (status_of (fx, sharp, &holder), "pending"))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  file = listed (fx, blurry, &holder);
  g_assert_cmpstr (json_object_get_string_member (file, "fileStatus"), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (file, "decisionReason"), "document-illegible"));
  code = business_error (fx);
  g_assert_cmpstr (code, ==, "document-illegible");
  g_assert_cmpstr (status_of (fx, sharp, &holder), ==, "approved");
  g_assert_false (json_object_has_member (listed (fx, sharp, &holder), "decisionReason"));
}

/* no delay set: nothing decided by itself; decided on command, once */
static void
test_review_on_command (DossierTestFixture *fx,
                        gconstpointer       data)
{
  g_autoptr(JsonNode) holder = NULL;
  g_autofree char *one = moov_upload (fx, "one.png", "{\"requirement_id\":\"" BUSINESS_DOC "\"}");
  g_autofree char *two = moov_upload (fx, "two.png", NULL);
  g_autofree char *reject = g_strdup_printf ("{\"fileID\":\"%s\",\"decision\":\"rejected\",\"error\":\"document-expired\"}", one);
  g_autofree char *approve = g_strdup_printf ("{\"fileID\":\"%s\",\"decision\":\"approved\"}", two);
  g_autofree char *code = NULL;

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (status_of (fx, one, &holder), ==, "pending");

  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", reject), ==, 200);
  g_assert_cmpstr (status_of (fx, one, &holder), ==, "rejected");
  code = business_error (fx);
  g_assert_cmpstr (code, ==, "document-expired");
  /* decided once */
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", reject), ==, 409);
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", approve), ==, 200);
  g_assert_cmpstr (status_of (fx, two, &holder), ==, "approved");

  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review",
                               "{\"fileID\":\"00000000-0000-0000-0000-000000000001\",\"decision\":\"approved\"}"), ==, 404);
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", "{\"fileID\":\"x\",\"decision\":\"maybe\"}"), ==, 400);
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", "{\"fileID\":\"x\",\"decision\":\"rejected\","
                               "\"error\":\"not-a-code\"}"), ==, 400);
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", "[1]"), ==, 400);
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", "{}"), ==, 400);
}

/* the answer dropped after the file was stored: the list has it, once */
static void
test_moov_store_drop (DossierTestFixture *fx,
                      gconstpointer       data)
{
  g_autoptr(SoupMultipart) form = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 64, FALSE);
  g_autofree char *uri = g_strdup_printf ("%s/moov/accounts/%s/files", dossier_sandbox_get_base_url (fx->sandbox),
                                          DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) files = NULL;

  dossier_test_add_fault (fx->sandbox, "moov/upload:store-drop");
  soup_multipart_append_form_string (form, "filePurpose", "business_verification");
  soup_multipart_append_form_file (form, "file", "lost.png", "application/octet-stream", png);
  msg = soup_message_new_from_multipart (uri, form);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " DOSSIER_SANDBOX_MOOV_TOKEN);
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, dossier_test_keep_result_cb, &result);
    body = soup_session_send_and_read_finish (session, dossier_test_wait_result (&result), &error);
    g_assert_null (body);
    g_assert_nonnull (error);
  }

  g_assert_cmpuint (moov_get (fx, "/files", &files), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (files)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (files), 0),
                                                  "fileName"), ==, "lost.png");
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, 1);
}

/* A DOKU upload of @name (@category), with @request_id (NULL: none) */
static guint
doku_upload (DossierTestFixture  *fx,
             const char          *name,
             const char          *category,
             const char          *request_id,
             guint                seed,
             JsonNode           **out_json)
{
  g_autoptr(SoupMultipart) form = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 64 + seed, FALSE);
  g_autofree char *uri = g_strdup_printf ("%s/doku/adv-core-api/partner/v1.0/file",
                                          dossier_sandbox_get_base_url (fx->sandbox));
  g_autoptr(SoupMessage) msg = NULL;

  soup_multipart_append_form_string (form, "category", category);
  soup_multipart_append_form_file (form, "file", name, "image/png", png);
  msg = soup_message_new_from_multipart (uri, form);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " DOSSIER_SANDBOX_DOKU_TOKEN);
  if (request_id != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Request-Id", request_id);
  return dossier_test_send (msg, out_json);
}

static guint
doku_business (DossierTestFixture  *fx,
               gboolean             signed_,
               JsonNode           **out_json)
{
  g_autoptr(SoupMessage) msg = sandbox_message (fx, "GET", "/doku" DOKU_BUSINESS);

  if (signed_)
    dossier_test_doku_sign (msg, DOKU_BUSINESS, NULL, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  return dossier_test_send (msg, out_json);
}

static const char *
document_status (JsonNode   *business,
                 const char *id)
{
  JsonObject *brand = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (business), "brands"), 0);
  JsonArray *documents = json_object_get_array_member (brand, "documents");

  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *document = json_array_get_object_element (documents, i);

      if (g_str_equal (json_object_get_string_member (document, "id"), id))
        return json_object_get_string_member (document, "status");
    }
  return NULL;
}

/* Get Business Data: signed, the documents with their review states */
static void
test_doku_business (DossierTestFixture *fx,
                    gconstpointer       data)
{
  g_autoptr(JsonNode) photo = NULL;
  g_autoptr(JsonNode) agreement = NULL;
  g_autoptr(JsonNode) blurry = NULL;
  g_autoptr(JsonNode) business = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *set = NULL;
  const char *photo_id, *agreement_id, *blurry_id;
  JsonObject *brand;

  g_assert_cmpuint (doku_upload (fx, "shop.png", "PHOTO_PROOF", NULL, 1, &photo), ==, 200);
  g_assert_cmpuint (doku_upload (fx, "agreement.png", "SERVICE_AGREEMENT", NULL, 2, &agreement), ==, 200);
  g_assert_cmpuint (doku_upload (fx, "blurry-logo.png", "LOGO", NULL, 3, &blurry), ==, 200);
  photo_id = json_object_get_string_member (json_node_get_object (photo), "id");
  agreement_id = json_object_get_string_member (json_node_get_object (agreement), "id");
  blurry_id = json_object_get_string_member (json_node_get_object (blurry), "id");

  g_assert_cmpuint (doku_business (fx, FALSE, &refused), ==, 400);
  g_assert_cmpuint (doku_business (fx, TRUE, &business), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (business), "id"), ==, "BSN-CLIENT-1");
  brand = json_array_get_object_element (json_object_get_array_member (json_node_get_object (business), "brands"), 0);
  g_assert_cmpstr (json_object_get_string_member (brand, "finance_status"), ==, "PROBATION");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (brand, "photo_proofs")), ==, 1);
  g_assert_cmpstr (document_status (business, photo_id), ==, "ON_PROCESS");

  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", "{\"pending\":true}"), ==, 200);
  g_assert_cmpuint (doku_business (fx, TRUE, &later), ==, 200);
  g_assert_cmpstr (document_status (later, photo_id), ==, "APPROVED");
  g_assert_cmpstr (document_status (later, agreement_id), ==, "NEED_SIGNATURE");
  g_assert_cmpstr (document_status (later, blurry_id), ==, "REJECTED");

  set = g_strdup_printf ("{\"doku\":\"%s\",\"status\":\"SOMETHING_NEW\"}", photo_id);
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", set), ==, 200);
  g_clear_pointer (&later, json_node_unref);
  g_assert_cmpuint (doku_business (fx, TRUE, &later), ==, 200);
  g_assert_cmpstr (document_status (later, photo_id), ==, "SOMETHING_NEW");
  g_assert_cmpuint (post_json (fx, "/_sandbox/moov/review", "{\"doku\":\"DCM-none\",\"status\":\"X\"}"), ==, 404);
}

/* the same Request-Id and form: 409 with the earlier answer, stored once;
 * another form: 409 DUPLICATE_REQUEST_ID */
static void
test_doku_replay (DossierTestFixture *fx,
                  gconstpointer       data)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) fresh = NULL;

  g_assert_cmpuint (doku_upload (fx, "ktp.png", "PHOTO_PROOF", "req-1", 1, &first), ==, 200);
  g_assert_cmpuint (doku_upload (fx, "ktp.png", "PHOTO_PROOF", "req-1", 1, &again), ==, 409);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "id"), ==,
                   json_object_get_string_member (json_node_get_object (first), "id"));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, 1);

  g_assert_cmpuint (doku_upload (fx, "ktp.png", "PHOTO_PROOF", "req-1", 2, &other), ==, 409);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (other), "response_code"), ==,
                   "DUPLICATE_REQUEST_ID");
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, 1);

  /* without the header, or with another id: stored as before */
  g_assert_cmpuint (doku_upload (fx, "ktp.png", "PHOTO_PROOF", "req-2", 1, &fresh), ==, 200);
  g_assert_cmpuint (doku_upload (fx, "ktp.png", "PHOTO_PROOF", NULL, 1, NULL), ==, 200);
  g_assert_cmpuint (doku_upload (fx, "ktp.png", "PHOTO_PROOF", NULL, 1, NULL), ==, 200);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  DOSSIER_TEST_ADD ("/sandbox-review/moov/review-after", test_review_after);
  DOSSIER_TEST_ADD ("/sandbox-review/moov/on-command", test_review_on_command);
  DOSSIER_TEST_ADD ("/sandbox-review/moov/store-drop", test_moov_store_drop);
  DOSSIER_TEST_ADD ("/sandbox-review/doku/business", test_doku_business);
  DOSSIER_TEST_ADD ("/sandbox-review/doku/replay", test_doku_replay);

  return g_test_run ();
}
