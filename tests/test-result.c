/* test-result.c: reading the providers' answers
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-result-private.h"
#include "dossier-upload-private.h"

#include "dossier-test-util.h"

static void
test_doku_success (void)
{
  g_autoptr(DossierResult) result =
    dossier_test_parse_answer ("doku", 200, "{\"id\":\"DCM-0001-1\",\"link\":\"https://x/f?Expires=1\",\"category\":\"LOGO\"}",
                               "request-id", "r-42");
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2026, 1, 2, 4, 4, 5);

  g_assert_true (dossier_result_is_success (result));
  g_assert_cmpstr (result->remote_id, ==, "DCM-0001-1");
  g_assert_cmpstr (result->link, ==, "https://x/f?Expires=1");
  g_assert_null (result->status);
  g_assert_cmpuint (result->http_status, ==, 200);
  g_assert_null (result->message);
  g_assert_cmpstr (result->request_id, ==, "r-42");
  g_assert_nonnull (result->link_expires);
  g_assert_true (g_date_time_equal (result->link_expires, expected));
}

static void
test_doku_failure (void)
{
  g_autoptr(DossierResult) result =
    dossier_test_parse_answer ("doku", 400, "{\"status\":\"FAILED\",\"response_code\":\"INVALID_PARAMETER\","
                               "\"response_message\":\"code is only allowed when category is DOCUMENT\"}", NULL, NULL);
  g_autofree char *sentence = NULL;

  g_assert_false (dossier_result_is_success (result));
  g_assert_cmpuint (result->http_status, ==, 400);
  g_assert_cmpstr (result->code, ==, "INVALID_PARAMETER");
  g_assert_cmpstr (result->message, ==, "code is only allowed when category is DOCUMENT");
  g_assert_null (result->link_expires);

  sentence = dossier_result_describe_failure (result);
  g_assert_cmpstr (sentence, ==, "DOKU refused the file (400): code is only allowed when category is DOCUMENT");
}

static void
test_moov_success (void)
{
  g_autoptr(DossierResult) result =
    dossier_test_parse_answer ("moov", 200, "{\"fileID\":\"ec7e1848-dc80-4ab0-8827-dd7fc0737b43\",\"fileName\":\"a.pdf\","
                               "\"fileStatus\":\"pending\",\"fileSizeBytes\":1234}", "X-Request-Id", "5b1c");

  g_assert_true (dossier_result_is_success (result));
  g_assert_cmpstr (result->remote_id, ==, "ec7e1848-dc80-4ab0-8827-dd7fc0737b43");
  g_assert_cmpstr (result->status, ==, "pending");
  g_assert_null (result->link);
  g_assert_null (result->link_expires);
  g_assert_cmpstr (result->request_id, ==, "5b1c");
}

static void
test_moov_field_errors (void)
{
  g_autoptr(DossierResult) result =
    dossier_test_parse_answer ("moov", 422, "{\"filePurpose\":\"must be one of business_verification, representative_verification\","
                               "\"metadata\":\"must be a JSON object\"}", "x-request-id", "5b1c2d");
  g_autoptr(DossierResult) both =
    dossier_test_parse_answer ("moov", 422, "{\"error\":\"validation failed\",\"file\":\"is too large\"}", NULL, NULL);
  g_autofree char *sentence = NULL;

  g_assert_cmpstr (result->message, ==,
                   "filePurpose: must be one of business_verification, representative_verification; "
                   "metadata: must be a JSON object");
  sentence = dossier_result_describe_failure (result);
  g_assert_cmpstr (sentence, ==,
                   "Moov refused the file (422): filePurpose: must be one of business_verification, "
                   "representative_verification; metadata: must be a JSON object; request id 5b1c2d");
  g_assert_cmpstr (both->message, ==, "validation failed; file: is too large");
}

static void
test_moov_conflict (void)
{
  g_autoptr(DossierResult) result =
    dossier_test_parse_answer ("moov", 409, "{\"error\":\"the account already has 50 files\"}", "x-request-id", "abc");

  g_assert_false (dossier_result_is_success (result));
  g_assert_cmpuint (result->http_status, ==, 409);
  g_assert_cmpstr (result->message, ==, "the account already has 50 files");
  g_assert_cmpstr (result->request_id, ==, "abc");
}

static void
test_kore (void)
{
  g_autoptr(DossierResult) ok =
    dossier_test_parse_answer ("kore", 200, "{\"url\":\"https://h/api/getMediaStream/orgFiles/f.png?e=1\",\"fileId\":\"abc123\"}",
                               NULL, NULL);
  g_autoptr(DossierResult) failure =
    dossier_test_parse_answer ("kore", 400, "{\"errors\":[{\"msg\":\"Missing chunks: 2, 5\",\"code\":400}]}", NULL, NULL);

  g_assert_true (dossier_result_is_success (ok));
  g_assert_cmpstr (ok->remote_id, ==, "abc123");
  g_assert_cmpstr (ok->link, ==, "https://h/api/getMediaStream/orgFiles/f.png?e=1");
  g_assert_null (ok->link_expires);

  g_assert_false (dossier_result_is_success (failure));
  g_assert_cmpstr (failure->message, ==, "Missing chunks: 2, 5");
}

static void
test_receeve (void)
{
  g_autoptr(DossierResult) ok = dossier_test_parse_answer ("receeve", 200, "{\"id\":\"f-1\",\"url\":\"https://r/f-1\"}", NULL, NULL);
  g_autoptr(DossierResult) failure = dossier_test_parse_answer ("receeve", 400, "{\"message\":\"accountId is required\"}",
                                                                "x-amzn-requestid", "amz-1");

  g_assert_true (dossier_result_is_success (ok));
  g_assert_cmpstr (ok->remote_id, ==, "f-1");
  g_assert_cmpstr (ok->link, ==, "https://r/f-1");
  g_assert_cmpstr (failure->message, ==, "accountId is required");
  g_assert_cmpstr (failure->request_id, ==, "amz-1");
}

static void
test_malformed (void)
{
  g_autoptr(DossierResult) ok_status = dossier_test_parse_answer ("doku", 200, "{\"id\": \"DCM", NULL, NULL);
  g_autoptr(DossierResult) error_status = dossier_test_parse_answer ("doku", 502, "<html>Bad gateway</html>", NULL, NULL);
  g_autoptr(DossierResult) empty = dossier_test_parse_answer ("moov", 503, "", NULL, NULL);
  g_autoptr(DossierResult) no_id = dossier_test_parse_answer ("kore", 200, "{\"url\":\"https://h/x\"}", NULL, NULL);
  g_autoptr(DossierResult) array = dossier_test_parse_answer ("kore", 200, "[1,2]", NULL, NULL);
  g_autofree char *sentence = NULL;

  g_assert_false (dossier_result_is_success (ok_status));
  g_assert_nonnull (strstr (ok_status->message, "not valid JSON"));

  g_assert_cmpstr (error_status->message, ==, "Bad Gateway");
  g_assert_cmpstr (empty->message, ==, "Service Unavailable");

  g_assert_false (dossier_result_is_success (no_id));
  g_assert_cmpstr (no_id->message, ==, "The provider answered without a file id");
  g_assert_false (dossier_result_is_success (array));

  sentence = dossier_result_describe_failure (empty);
  g_assert_cmpstr (sentence, ==, "Moov refused the file (503): Service Unavailable");
}

static void
test_copy_and_json (void)
{
  g_autoptr(DossierResult) result =
    dossier_test_parse_answer ("doku", 200, "{\"id\":\"DCM-1\",\"link\":\"https://l\"}", "x-request-id", "q");
  g_autoptr(DossierResult) copy = dossier_result_copy (result);
  g_autoptr(JsonNode) node = dossier_result_to_json (copy);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierResult) network = NULL;
  g_autofree char *sentence = NULL;
  JsonObject *object;

  g_assert_cmpstr (copy->remote_id, ==, "DCM-1");
  g_assert_cmpstr (dossier_result_get_provider_name (copy), ==, "DOKU");
  g_assert_true (g_date_time_equal (copy->link_expires, result->link_expires));

  object = json_node_get_object (node);
  g_assert_true (json_object_get_boolean_member (object, "success"));
  g_assert_cmpstr (json_object_get_string_member (object, "remote_id"), ==, "DCM-1");
  g_assert_cmpstr (json_object_get_string_member (object, "request_id"), ==, "q");
  g_assert_cmpint (json_object_get_int_member (object, "http_status"), ==, 200);
  g_assert_true (json_object_has_member (object, "link_expires"));
  g_assert_false (json_object_has_member (object, "message"));

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "Connection terminated");
  network = dossier_result_new_for_error (NULL, error);
  g_assert_cmpuint (network->http_status, ==, 0);
  sentence = dossier_result_describe_failure (network);
  g_assert_cmpstr (sentence, ==, "Connection terminated");
  g_assert_true (G_TYPE_IS_BOXED (DOSSIER_TYPE_RESULT));
}

static void
test_lookup_path (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *paths[] = { "a.missing", "a.list.1.v", "a.n", NULL };
  const char *numbers[] = { "a.n", NULL };
  g_autofree char *found = NULL;
  g_autofree char *number = NULL;

  json_parser_load_from_data (parser, "{\"a\":{\"list\":[{\"v\":1},{\"v\":\"second\"}],\"n\":7}}", -1, NULL);
  found = dossier_json_lookup_path (json_parser_get_root (parser), paths);
  number = dossier_json_lookup_path (json_parser_get_root (parser), numbers);
  g_assert_cmpstr (found, ==, "second");
  g_assert_cmpstr (number, ==, "7");
}

/* g_format_size() separates the unit with a no-break space */
static char *
progress (guint64 sent,
          guint64 total,
          double  rate,
          int     left)
{
  g_autofree char *text = dossier_format_progress (sent, total, rate, left);
  g_auto(GStrv) parts = g_strsplit (text, "\u00a0", -1);

  return g_strjoinv (" ", parts);
}

static void
test_progress_text (void)
{
  g_autofree char *full = progress (3100000, 8000000, 1200000, 4);
  g_autofree char *partial = progress (512000, 8000000, 0, -1);
  g_autofree char *minutes = progress (0, 1000000000, 1000000, 999);

  g_assert_cmpstr (full, ==, "3.1 of 8.0 MB · 1.2 MB/s · 4 s left");
  g_assert_cmpstr (partial, ==, "512.0 kB of 8.0 MB");
  g_assert_cmpstr (minutes, ==, "0 bytes of 1.0 GB · 1.0 MB/s · 17 min left");
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  g_test_add_func ("/result/doku/success", test_doku_success);
  g_test_add_func ("/result/doku/failure", test_doku_failure);
  g_test_add_func ("/result/moov/success", test_moov_success);
  g_test_add_func ("/result/moov/field-errors", test_moov_field_errors);
  g_test_add_func ("/result/moov/conflict", test_moov_conflict);
  g_test_add_func ("/result/kore", test_kore);
  g_test_add_func ("/result/receeve", test_receeve);
  g_test_add_func ("/result/malformed", test_malformed);
  g_test_add_func ("/result/copy-and-json", test_copy_and_json);
  g_test_add_func ("/result/lookup-path", test_lookup_path);
  g_test_add_func ("/result/progress-text", test_progress_text);

  return g_test_run ();
}
