/* test-upload.c: every provider's flow against the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dossier-auth.h"
#include "dossier-client.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"
#include "dossier-upload-private.h"

#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

/* A PNG signature and then @size - 8 bytes of a pattern */
static GBytes *
png_bytes (gsize size)
{
  return dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, size, FALSE);
}

static GFile *
make_file (Fixture    *fx,
           const char *name,
           GBytes     *bytes)
{
  return dossier_test_write_file (fx->dir, name, bytes);
}

static GFile *
make_png (Fixture    *fx,
          const char *name,
          gsize       size)
{
  g_autoptr(GBytes) bytes = png_bytes (size);

  return make_file (fx, name, bytes);
}

static DossierSubmission *
new_submission (Fixture    *fx,
                const char *provider_id,
                const char *secret)
{
  g_autoptr(DossierProvider) provider = dossier_test_load_provider (provider_id);

  return dossier_test_submission_new (provider, fx->sandbox, secret, NULL, NULL);
}

static DossierUpload *
nth_upload (DossierSubmission *submission,
            guint              n)
{
  g_autoptr(DossierUpload) upload = g_list_model_get_item (dossier_submission_get_uploads (submission), n);

  return upload;
}

static void
assert_done_and_stored (Fixture       *fx,
                        DossierUpload *upload)
{
  g_autoptr(JsonObject) record = NULL;

  dossier_test_assert_stored (fx->sandbox, upload);
  g_assert_cmpfloat (dossier_upload_get_fraction (upload), ==, 1.0);

  record = dossier_test_find_received (fx->sandbox, dossier_upload_get_result (upload)->remote_id);
  g_assert_cmpstr (json_object_get_string_member (record, "file_name"), ==,
                   dossier_upload_get_display_name (upload));
}

static JsonObject *
record_fields (Fixture       *fx,
               DossierUpload *upload)
{
  g_autoptr(JsonObject) record = dossier_test_find_received (fx->sandbox, dossier_upload_get_result (upload)->remote_id);

  return json_object_ref (json_object_get_object_member (record, "fields"));
}

/* @name, a PNG file of @size bytes, added to @submission */
static DossierUpload *
add_png (Fixture           *fx,
         DossierSubmission *submission,
         const char        *name,
         gsize              size)
{
  g_autoptr(GFile) file = make_png (fx, name, size);

  return dossier_submission_add_file (submission, file);
}

/* Sends @submission; @upload is done, and stored as it is */
static void
run_and_assert_stored (Fixture           *fx,
                       DossierSubmission *submission,
                       DossierUpload     *upload)
{
  dossier_test_run_to_end (submission);
  assert_done_and_stored (fx, upload);
}

static void
assert_field (JsonObject *fields,
              const char *name,
              const char *value)
{
  g_assert_cmpstr (json_object_get_string_member (fields, name), ==, value);
}

/* -------------------------------------------------------------------------- */

static void
test_doku_document (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN);
  g_autoptr(JsonObject) fields = NULL;
  DossierUpload *upload;

  upload = add_png (fx, submission, "KTP Budi.png", 40000);
  g_assert_cmpstr (dossier_upload_get_value (upload, "code"), ==, "KTP");
  g_assert_cmpstr (dossier_upload_get_value (upload, "category"), ==, "DOCUMENT");
  dossier_test_wait_false (submission, "validating");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_cmpint (dossier_upload_get_size (upload), ==, 40000);
  g_assert_cmpstr (dossier_upload_get_content_type (upload), ==, "image/png");
  g_assert_true (dossier_submission_can_start (submission, NULL));

  run_and_assert_stored (fx, submission, upload);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  g_assert_nonnull (dossier_upload_get_result (upload)->link);
  g_assert_nonnull (dossier_upload_get_result (upload)->link_expires);
  g_assert_cmpuint (dossier_upload_get_total_bytes (upload), >, 40000);

  fields = record_fields (fx, upload);
  assert_field (fields, "category", "DOCUMENT");
  assert_field (fields, "code", "KTP");
  g_assert_false (json_object_has_member (fields, "file_url"));
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_doku_logo (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN);
  g_autoptr(JsonObject) fields = NULL;
  DossierUpload *upload;

  upload = add_png (fx, submission, "brand.png", 3000);
  dossier_test_wait_false (submission, "validating");
  /* DOCUMENT by default, and no code: invalid until it is a logo */
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_INVALID);
  dossier_upload_set_value (upload, "category", "LOGO");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);

  run_and_assert_stored (fx, submission, upload);
  fields = record_fields (fx, upload);
  assert_field (fields, "category", "LOGO");
  g_assert_false (json_object_has_member (fields, "code"));
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_doku_url (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN);
  g_autoptr(DossierSubmission) moov = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN);
  DossierUpload *upload;

  g_assert_null (dossier_submission_add_url (moov, "https://example.com/a.png"));

  dossier_submission_set_value (submission, "category", "LOGO");
  upload = dossier_submission_add_url (submission, "https://example.com/logo.png");
  g_assert_nonnull (upload);
  g_assert_null (dossier_upload_get_file (upload));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);

  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_nonnull (dossier_upload_get_result (upload)->remote_id);
  g_assert_finalize_object (g_steal_pointer (&submission));
  g_assert_finalize_object (g_steal_pointer (&moov));
}

static void
test_moov (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN);
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *reason = NULL;
  DossierUpload *upload;

  upload = add_png (fx, submission, "articles of incorporation.png", 5000);
  dossier_test_wait_false (submission, "validating");
  g_assert_false (dossier_submission_can_start (submission, &reason));
  g_assert_cmpstr (reason, ==, "Fix the problems shown next to the files first");
  g_assert_cmpstr (dossier_upload_get_problem (upload), ==, "Account ID is required");

  dossier_submission_set_value (submission, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  dossier_upload_set_value (upload, "metadata", "{\"comment\":\"from the test\"}");
  g_assert_true (dossier_submission_can_start (submission, NULL));

  run_and_assert_stored (fx, submission, upload);
  g_assert_cmpstr (dossier_upload_get_result (upload)->status, ==, "pending");
  g_assert_nonnull (dossier_upload_get_result (upload)->request_id);
  fields = record_fields (fx, upload);
  assert_field (fields, "filePurpose", "business_verification");
  assert_field (fields, "metadata", "{\"comment\":\"from the test\"}");
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_receeve (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "receeve", DOSSIER_SANDBOX_RECEEVE_TOKEN);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, debtor\n", 14);
  g_autoptr(GFile) file = make_file (fx, "note.txt", text);
  g_autoptr(JsonObject) fields = NULL;
  DossierUpload *upload;

  dossier_submission_set_value (submission, "clientId", "client-7");
  dossier_submission_set_value (submission, "accountId", "acc-42");
  upload = dossier_submission_add_file (submission, file);
  run_and_assert_stored (fx, submission, upload);
  fields = record_fields (fx, upload);
  assert_field (fields, "accountId", "acc-42");
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_kore_small (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY);
  g_autoptr(JsonObject) record = NULL;
  DossierUpload *upload;

  upload = add_png (fx, submission, "diagram.png", 100000);
  run_and_assert_stored (fx, submission, upload);
  record = dossier_test_find_received (fx->sandbox, dossier_upload_get_result (upload)->remote_id);
  g_assert_cmpstr (json_object_get_string_member (record, "operation"), ==, "upload");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"),
                                                  "fileContext"), ==, "bulkImport");
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_odd_names (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY);
  g_autoptr(GFile) quotes = make_png (fx, "say \"cheese\"; ok.png", 2000);
  g_autoptr(GFile) accents = make_png (fx, "Fotografía Ñandú 日本.png", 2000);
  DossierUpload *a, *b;

  a = dossier_submission_add_file (submission, quotes);
  b = dossier_submission_add_file (submission, accents);
  dossier_test_run_to_end (submission);
  assert_done_and_stored (fx, a);
  assert_done_and_stored (fx, b);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_doku_bad_token (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "doku", "not-the-token");
  DossierUpload *upload;
  const DossierResult *result;

  upload = add_png (fx, submission, "logo.png", 2000);
  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  result = dossier_upload_get_result (upload);
  g_assert_cmpuint (result->http_status, ==, 401);
  g_assert_cmpstr (result->code, ==, "UNAUTHORIZED");
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), "DOKU refused the token (401): "));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_moov_limit (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(DossierSubmission) first = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN);
  g_autoptr(DossierSubmission) second = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN);
  g_autoptr(GFile) file = make_png (fx, "statement.png", 1000);
  g_autoptr(GFile) extra = make_png (fx, "extra.png", 1000);
  DossierUpload *upload;
  const DossierResult *result;

  dossier_submission_set_value (first, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  dossier_submission_set_max_concurrent (first, 8);
  for (guint i = 0; i < 51; i++)
    dossier_submission_add_file (first, file);
  dossier_test_wait_false (first, "validating");
  /* the 51st is over Moov's limit before anything is sent */
  g_assert_cmpint (dossier_upload_get_state (nth_upload (first, 50)), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_nonnull (strstr (dossier_upload_get_problem (nth_upload (first, 50)), "at most 50"));
  dossier_test_run_to_end (first);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 50);

  dossier_submission_set_value (second, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  upload = dossier_submission_add_file (second, extra);
  dossier_test_run_to_end (second);
  result = dossier_upload_get_result (upload);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (result->http_status, ==, 409);
  g_assert_nonnull (result->message);
  g_assert_nonnull (result->request_id);
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), "Moov refused the file (409): "));
  g_assert_nonnull (strstr (dossier_upload_get_problem (upload), result->request_id));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 50);
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
}

static void
test_invalid (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(DossierSubmission) doku = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN);
  g_autoptr(DossierSubmission) moov = new_submission (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n1 0 obj\n", 17);
  g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);
  g_autoptr(GFile) renamed = make_file (fx, "ktp.png", pdf);
  g_autoptr(GFile) empty = make_file (fx, "logo.png", nothing);
  g_autoptr(GFile) no_code = make_png (fx, "scan.png", 1000);
  g_autoptr(GFile) folder = g_file_new_for_path (fx->dir);
  g_autoptr(GFile) both = make_png (fx, "logo-2.png", 1000);
  g_autofree char *big_path = g_build_filename (fx->dir, "big.pdf", NULL);
  g_autoptr(GFile) big = g_file_new_for_path (big_path);
  DossierUpload *u_renamed, *u_empty, *u_no_code, *u_folder, *u_both, *u_big;
  g_autofree char *reason = NULL;
  FILE *f;

  /* 30 MB, sparse */
  f = fopen (big_path, "w");
  g_assert_nonnull (f);
  fputs ("%PDF-1.4\n", f);
  g_assert_cmpint (fseek (f, 30 * 1000 * 1000, SEEK_SET), ==, 0);
  fputc ('\n', f);
  fclose (f);

  u_renamed = dossier_submission_add_file (doku, renamed);
  u_empty = dossier_submission_add_file (doku, empty);
  u_no_code = dossier_submission_add_file (doku, no_code);
  u_folder = dossier_submission_add_file (doku, folder);
  u_both = dossier_submission_add_file (doku, both);
  dossier_upload_set_value (u_both, "file_url", "https://example.com/x.png");
  dossier_submission_set_value (moov, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  u_big = dossier_submission_add_file (moov, big);

  dossier_test_wait_false (doku, "validating");
  dossier_test_wait_false (moov, "validating");

  g_assert_cmpint (dossier_upload_get_state (u_renamed), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_nonnull (strstr (dossier_upload_get_problem (u_renamed), "PDF"));
  g_assert_cmpint (dossier_upload_get_state (u_empty), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_nonnull (strstr (dossier_upload_get_problem (u_empty), "empty"));
  g_assert_cmpint (dossier_upload_get_state (u_no_code), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_cmpstr (dossier_upload_get_problem (u_no_code), ==, "Choose a Document code");
  g_assert_cmpint (dossier_upload_get_state (u_folder), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_nonnull (strstr (dossier_upload_get_problem (u_folder), "folder"));
  g_assert_cmpint (dossier_upload_get_state (u_both), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_nonnull (strstr (dossier_upload_get_problem (u_both), "not both"));
  g_assert_cmpint (dossier_upload_get_state (u_big), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_nonnull (strstr (dossier_upload_get_problem (u_big), "30.0"));

  g_assert_false (dossier_submission_can_start (doku, &reason));
  g_assert_nonnull (reason);
  dossier_submission_start (doku);
  dossier_submission_start (moov);
  g_assert_false (dossier_submission_get_uploads (doku) == NULL);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
  g_assert_cmpint (dossier_upload_get_state (u_renamed), ==, DOSSIER_UPLOAD_STATE_INVALID);

  /* fixing the value makes it ready */
  dossier_upload_set_value (u_no_code, "code", "NIB");
  g_assert_cmpint (dossier_upload_get_state (u_no_code), ==, DOSSIER_UPLOAD_STATE_READY);
  g_unlink (big_path);
  g_assert_finalize_object (g_steal_pointer (&doku));
  g_assert_finalize_object (g_steal_pointer (&moov));
}

static void
cancel_on_progress_cb (DossierUpload     *upload,
                       GParamSpec        *pspec,
                       DossierSubmission *submission)
{
  if (dossier_upload_get_bytes_sent (upload) > 0 &&
      dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_RUNNING)
    dossier_submission_cancel (submission, upload);
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN);
  DossierUpload *upload;

  upload = add_png (fx, submission, "logo.png", 14000000);
  g_signal_connect (upload, "notify::bytes-sent", G_CALLBACK (cancel_on_progress_cb), submission);
  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_CANCELLED);
  g_assert_cmpuint (dossier_upload_get_bytes_sent (upload), <, 14000000);

  /* let the cancelled request wind down: nothing arrives */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);

  /* and it can be sent again */
  g_signal_handlers_disconnect_by_func (upload, cancel_on_progress_cb, submission);
  dossier_submission_retry (submission, upload);
  run_and_assert_stored (fx, submission, upload);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

typedef struct
{
  gboolean waited;
  int      retry_in;
  char    *problem;   /* what the upload said when it began to wait */
} WaitSeen;

static void
state_seen_cb (DossierUpload *upload,
               GParamSpec    *pspec,
               WaitSeen      *seen)
{
  if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_WAITING && !seen->waited)
    {
      seen->waited = TRUE;
      seen->retry_in = dossier_upload_get_retry_in (upload);
      seen->problem = g_strdup (dossier_upload_get_problem (upload));
    }
}

static void
check_transient (Fixture    *fx,
                 const char *provider,
                 const char *secret,
                 const char *fault,
                 const char *name,
                 gsize       size,
                 const char *problem_start)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, provider, secret);
  g_autoptr(GError) error = NULL;
  WaitSeen seen = { FALSE, -1, NULL };
  g_autofree char *expected = g_strdup_printf ("%s; retrying in 1 s", problem_start);
  DossierUpload *upload;

  dossier_sandbox_add_fault (fx->sandbox, fault, &error);
  g_assert_no_error (error);
  dossier_submission_set_value (submission, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  upload = add_png (fx, submission, name, size);
  dossier_upload_set_value (upload, "category", "LOGO");
  g_signal_connect (upload, "notify::state", G_CALLBACK (state_seen_cb), &seen);

  run_and_assert_stored (fx, submission, upload);
  /* it waited the second asked for, saying why, before the second attempt */
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 2);
  g_assert_true (seen.waited);
  g_assert_cmpint (seen.retry_in, ==, 1);
  g_assert_cmpstr (seen.problem, ==, expected);
  /* then the problem was cleared */
  g_assert_null (dossier_upload_get_problem (upload));
  g_free (seen.problem);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_retry_503 (Fixture       *fx,
                gconstpointer  data)
{
  check_transient (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN, "doku/upload:status=503,retry-after=1",
                   "logo.png", 200000, "DOKU is busy (503)");
}

static void
test_retry_429 (Fixture       *fx,
                gconstpointer  data)
{
  check_transient (fx, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, "moov/upload:retry-after=1",
                   "bank.png", 200000, "Moov is busy (429)");
}

static void
test_retry_drop (Fixture       *fx,
                 gconstpointer  data)
{
  /* dropped long before the end of the body (larger than what the
   * sockets' buffers hold): provably not stored, so sent again */
  check_transient (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN, "doku/upload:drop=50000",
                   "logo.png", 14000000, "Connection to the sandbox was lost");
}

static void
problem_text_cb (DossierUpload *upload,
                 GParamSpec    *pspec,
                 GPtrArray     *problems)
{
  if (dossier_upload_get_problem (upload) != NULL)
    g_ptr_array_add (problems, g_strdup (dossier_upload_get_problem (upload)));
}

static void
test_retry_messages (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  DossierUpload *upload;

  dossier_sandbox_add_fault (fx->sandbox, "doku/upload:drop=50000", &error);
  g_assert_no_error (error);
  dossier_sandbox_add_fault (fx->sandbox, "doku/upload:status=503,retry-after=1", &error);
  g_assert_no_error (error);
  upload = add_png (fx, submission, "logo.png", 14000000);
  dossier_upload_set_value (upload, "category", "LOGO");
  g_signal_connect (upload, "notify::problem", G_CALLBACK (problem_text_cb), problems);
  run_and_assert_stored (fx, submission, upload);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 3);
  g_assert_cmpuint (problems->len, >=, 2);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "Connection to the sandbox was lost; retrying in 1 s");
  g_assert_cmpstr (g_ptr_array_index (problems, problems->len - 1), ==,
                   "DOKU is busy (503); retrying in 1 s");
  g_assert_finalize_object (g_steal_pointer (&submission));
}

typedef struct
{
  DossierSubmission *submission;
  guint              max_running;
} Concurrency;

static void
count_running_cb (DossierUpload *upload,
                  GParamSpec    *pspec,
                  Concurrency   *c)
{
  GListModel *uploads = dossier_submission_get_uploads (c->submission);
  guint running = 0;

  for (guint i = 0; i < g_list_model_get_n_items (uploads); i++)
    if (dossier_upload_get_state (nth_upload (c->submission, i)) == DOSSIER_UPLOAD_STATE_RUNNING)
      running++;
  c->max_running = MAX (c->max_running, running);
  g_assert_cmpuint (running, <=, 2);
}

static void
test_concurrency (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY);
  Concurrency c = { submission, 0 };
  guint finished = 0;

  g_signal_connect_swapped (submission, "finished", G_CALLBACK (g_atomic_int_inc), &finished);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.png", i);
      g_autoptr(GFile) file = make_png (fx, name, 1500000 + i);
      DossierUpload *upload = dossier_submission_add_file (submission, file);

      g_signal_connect (upload, "notify::state", G_CALLBACK (count_running_cb), &c);
    }

  dossier_test_run_to_end (submission);
  g_assert_cmpuint (c.max_running, ==, 2);
  g_assert_cmpuint (finished, ==, 1);
  for (guint i = 0; i < 5; i++)
    assert_done_and_stored (fx, nth_upload (submission, i));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 5);
  g_assert_cmpfloat (dossier_upload_get_fraction (nth_upload (submission, 0)), ==, 1.0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_folder (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) b = make_png (fx, "docs/b.png", 1000);
  g_autoptr(GFile) a = make_png (fx, "docs/a.png", 1000);
  g_autoptr(GFile) hidden = make_png (fx, "docs/.hidden.png", 1000);
  g_autoptr(GFile) nested = make_png (fx, "docs/sub/c.png", 1000);
  g_autoptr(GFile) loose = make_png (fx, "loose.png", 1000);
  g_autoptr(GFile) docs = g_file_get_parent (a);
  guint n_uploads;

  g_list_store_append (files, docs);
  g_list_store_append (files, loose);
  dossier_submission_add_files (submission, G_LIST_MODEL (files));
  g_assert_true (dossier_submission_can_start (submission, NULL) == FALSE);
  dossier_test_wait_false (submission, "validating");

  n_uploads = g_list_model_get_n_items (dossier_submission_get_uploads (submission));
  g_assert_cmpuint (n_uploads, ==, 4);
  g_assert_cmpstr (dossier_upload_get_display_name (nth_upload (submission, 0)), ==, "a.png");
  g_assert_cmpstr (dossier_upload_get_display_name (nth_upload (submission, 1)), ==, "b.png");
  g_assert_cmpstr (dossier_upload_get_display_name (nth_upload (submission, 2)), ==, "c.png");
  g_assert_cmpstr (dossier_upload_get_display_name (nth_upload (submission, 3)), ==, "loose.png");

  dossier_test_run_to_end (submission);
  for (guint i = 0; i < n_uploads; i++)
    assert_done_and_stored (fx, nth_upload (submission, i));

  dossier_submission_remove (submission, nth_upload (submission, 0));
  g_assert_cmpuint (g_list_model_get_n_items (dossier_submission_get_uploads (submission)), ==, 3);
  dossier_submission_clear (submission);
  g_assert_cmpuint (g_list_model_get_n_items (dossier_submission_get_uploads (submission)), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_many_files (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = make_png (fx, "same.png", 1000);
  gboolean validating;
  guint n_ready;

  for (guint i = 0; i < 1000; i++)
    g_list_store_append (files, file);

  /* adding does not check the files itself: it returns with none checked
   * yet; listing and checking them runs in the background */
  dossier_submission_add_files (submission, G_LIST_MODEL (files));
  g_object_get (submission, "validating", &validating, "n-ready", &n_ready, NULL);
  g_assert_true (validating);
  g_assert_cmpuint (n_ready, ==, 0);
  dossier_test_wait_false (submission, "validating");
  g_object_get (submission, "n-ready", &n_ready, NULL);
  g_assert_cmpuint (n_ready, ==, 1000);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_can_start (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(DossierSubmission) kore = new_submission (fx, "kore", DOSSIER_SANDBOX_KORE_API_KEY);
  g_autoptr(DossierSubmission) moov = new_submission (fx, "moov", NULL);
  g_autoptr(GFile) file = make_png (fx, "x.png", 1000);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *url = NULL;

  g_assert_false (dossier_submission_can_start (kore, &reason));
  g_assert_cmpstr (reason, ==, "Add the files to send");
  g_clear_pointer (&reason, g_free);

  dossier_submission_add_file (kore, file);
  dossier_test_wait_false (kore, "validating");
  dossier_submission_set_environment (kore, "production");
  g_assert_false (dossier_submission_can_start (kore, &reason));
  g_assert_cmpstr (reason, ==, "Enter the address of your Kore.ai host");
  g_clear_pointer (&reason, g_free);

  dossier_submission_set_base_url (kore, "http://kore.example.com");
  g_assert_false (dossier_submission_can_start (kore, &reason));
  g_assert_cmpstr (reason, ==, "Refusing to send documents unencrypted to kore.example.com; use https://");
  g_clear_pointer (&reason, g_free);

  dossier_submission_set_base_url (kore, "https://kore.example.com/");
  url = dossier_submission_dup_effective_url (kore, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://kore.example.com");
  g_assert_true (dossier_submission_can_start (kore, NULL));

  /* the first step's readiness, in its order: address, credentials, account */
  g_assert_false (dossier_submission_settings_ready (moov, &reason));
  g_assert_nonnull (strstr (reason, "Access token"));
  g_clear_pointer (&reason, g_free);
  dossier_credentials_set_secret (dossier_submission_get_credentials (moov), "token");
  g_assert_false (dossier_submission_settings_ready (moov, &reason));
  g_assert_cmpstr (reason, ==, "Account ID is required");
  g_clear_pointer (&reason, g_free);
  dossier_credentials_set_secret (dossier_submission_get_credentials (moov), NULL);

  dossier_submission_set_value (moov, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  dossier_submission_add_file (moov, file);
  dossier_test_wait_false (moov, "validating");
  g_assert_false (dossier_submission_can_start (moov, &reason));
  g_assert_nonnull (strstr (reason, "Access token"));
  g_clear_pointer (&reason, g_free);

  dossier_submission_set_value (moov, "X-Moov-Version", "2024");
  g_assert_false (dossier_submission_validate_account (moov, &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
  g_assert_finalize_object (g_steal_pointer (&kore));
  g_assert_finalize_object (g_steal_pointer (&moov));
}

static void
test_check_url (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_client_check_url ("https://api.doku.com", NULL));
  g_assert_true (dossier_client_check_url ("http://127.0.0.1:8642/doku", NULL));
  g_assert_true (dossier_client_check_url ("http://127.3.4.5/", NULL));
  g_assert_true (dossier_client_check_url ("http://[::1]:80/x", NULL));
  g_assert_true (dossier_client_check_url ("http://localhost:1234", NULL));
  g_assert_false (dossier_client_check_url ("ftp://example.com", NULL));
  g_assert_false (dossier_client_check_url ("http://10.0.0.1/", &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE);
  g_assert_cmpstr (error->message, ==, "Refusing to send documents unencrypted to 10.0.0.1; use https://");
}

static void
test_retry_after (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  const char * const *moov_ms = (const char * const *) dossier_provider_get_response (moov)->retry_in_headers;

  g_assert_cmpint (dossier_client_parse_retry_after (headers, NULL, now), ==, -1);
  soup_message_headers_replace (headers, "Retry-After", "7");
  g_assert_cmpint (dossier_client_parse_retry_after (headers, NULL, now), ==, 7000);
  soup_message_headers_replace (headers, "Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT");
  g_assert_cmpint (dossier_client_parse_retry_after (headers, NULL, now), ==, 30000);
  soup_message_headers_replace (headers, "X-Retry-In", "1500");
  g_assert_cmpint (dossier_client_parse_retry_after (headers, NULL, now), ==, 30000);
  g_assert_cmpint (dossier_client_parse_retry_after (headers, moov_ms, now), ==, 1500);
}

/* The retry budget: four attempts, however often the server asks to wait */
typedef struct
{
  guint    n_waiting;
  GArray  *retry_in;   /* int, every value shown while WAITING */
  GString *steps;      /* "send" and each second left while waiting, in order */
} Waits;

static void
waits_state_cb (DossierUpload *upload,
                GParamSpec    *pspec,
                Waits         *waits)
{
  DossierUploadState state = dossier_upload_get_state (upload);

  if (state == DOSSIER_UPLOAD_STATE_WAITING)
    waits->n_waiting++;
  else if (state == DOSSIER_UPLOAD_STATE_RUNNING)
    g_string_append (waits->steps, " send");
}

static void
waits_retry_in_cb (DossierUpload *upload,
                   GParamSpec    *pspec,
                   Waits         *waits)
{
  int retry_in = dossier_upload_get_retry_in (upload);

  if (retry_in >= 0)
    {
      g_array_append_val (waits->retry_in, retry_in);
      g_string_append_printf (waits->steps, " %d", retry_in);
    }
}

static void
test_retry_budget (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = dossier_test_submission_by_id (fx->sandbox, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "statement.png", 3000, FALSE);
  g_autoptr(GArray) retry_in = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GString) steps = g_string_new ("");
  Waits waits = { 0, retry_in, steps };
  const char *problem;
  DossierUpload *upload;
  gboolean counted_down = FALSE;

  /* always busy: once asking for 2 s, then for 1 s */
  dossier_test_add_fault (fx->sandbox, "moov/upload:status=503,retry-after=2,times=1");
  dossier_test_add_fault (fx->sandbox, "moov/upload:status=503,retry-after=1,times=0");

  upload = dossier_submission_add_file (submission, file);
  g_signal_connect (upload, "notify::state", G_CALLBACK (waits_state_cb), &waits);
  g_signal_connect (upload, "notify::retry-in", G_CALLBACK (waits_retry_in_cb), &waits);
  dossier_test_run_to_end (submission);
  g_test_message ("steps:%s", steps->str);

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

  /* each attempt after the first was sent only once the wait before it
   * had counted down to its last second: 2 s, then 1 s, then 1 s */
  g_assert_cmpstr (steps->str, ==, " send 2 1 send 1 send 1 send");
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_retry_after_capped (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = dossier_test_submission_by_id (fx->sandbox, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "statement.png", 3000, FALSE);
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
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* A file that changes while it is being sent */
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
  g_autoptr(DossierSubmission) submission = dossier_test_submission_by_id (fx->sandbox, "kore", DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "video-still.png", 12 * 1000 * 1000, FALSE);
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
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* A mixed DOKU batch needs no batch-level code: each file gets its own from
 * its name, and a file left without one is named before anything is sent */
static void
test_doku_mixed_batch (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(DossierSubmission) doku = new_submission (fx, "doku", DOSSIER_SANDBOX_DOKU_TOKEN);
  DossierUpload *ktp, *npwp, *logo, *scan;
  g_autofree char *reason = NULL;
  g_autofree char *reason2 = NULL;

  /* the Details step: no code chosen for the batch */
  g_assert_null (dossier_submission_get_value (doku, "code"));
  g_assert_true (dossier_submission_defaults_ready (doku, &reason));
  g_assert_null (reason);

  ktp = add_png (fx, doku, "KTP_budi.png", 1000);
  npwp = add_png (fx, doku, "npwp pt.png", 1000);
  logo = add_png (fx, doku, "logo.png", 1000);
  dossier_test_wait_false (doku, "validating");

  g_assert_cmpstr (dossier_upload_get_value (ktp, "code"), ==, "KTP");
  g_assert_cmpstr (dossier_upload_get_value (npwp, "code"), ==, "NPWP_BADAN");
  g_assert_cmpstr (dossier_upload_get_value (logo, "category"), ==, "LOGO");
  g_assert_cmpint (dossier_upload_get_state (ktp), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_cmpint (dossier_upload_get_state (npwp), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_cmpint (dossier_upload_get_state (logo), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_true (dossier_submission_can_start (doku, NULL));

  /* a file whose name says nothing is flagged, and named by the start */
  scan = add_png (fx, doku, "scan.png", 1000);
  dossier_test_wait_false (doku, "validating");
  g_assert_cmpint (dossier_upload_get_state (scan), ==, DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_cmpstr (dossier_upload_get_problem (scan), ==, "Choose a Document code");
  g_assert_false (dossier_submission_can_start (doku, &reason2));
  g_assert_cmpstr (reason2, ==, "“scan.png” has no Document code yet: choose one on its row");

  /* a wrong batch value is still refused */
  dossier_submission_set_value (doku, "code", "NO_SUCH_CODE");
  g_assert_false (dossier_submission_defaults_ready (doku, NULL));
  dossier_submission_set_value (doku, "code", NULL);

  dossier_upload_set_value (scan, "code", "NIB");
  g_assert_cmpint (dossier_upload_get_state (scan), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_true (dossier_submission_can_start (doku, NULL));
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

#define ADD DOSSIER_TEST_ADD
  ADD ("/upload/doku/document", test_doku_document);
  ADD ("/upload/doku/logo", test_doku_logo);
  ADD ("/upload/doku/url", test_doku_url);
  ADD ("/upload/moov", test_moov);
  ADD ("/upload/receeve", test_receeve);
  ADD ("/upload/kore/small", test_kore_small);
  ADD ("/upload/odd-names", test_odd_names);
  ADD ("/upload/errors/doku-bad-token", test_doku_bad_token);
  ADD ("/upload/errors/moov-limit", test_moov_limit);
  ADD ("/upload/invalid", test_invalid);
  ADD ("/upload/cancel", test_cancel);
  ADD ("/upload/retry/503", test_retry_503);
  ADD ("/upload/retry/429", test_retry_429);
  ADD ("/upload/retry/drop", test_retry_drop);
  ADD ("/upload/retry/messages", test_retry_messages);
  ADD ("/upload/retry/budget", test_retry_budget);
  ADD ("/upload/retry/capped", test_retry_after_capped);
  ADD ("/upload/file-changed", test_file_changed);
  ADD ("/upload/concurrency", test_concurrency);
  ADD ("/upload/folder", test_folder);
  ADD ("/upload/many-files", test_many_files);
  ADD ("/upload/can-start", test_can_start);
  ADD ("/upload/doku/mixed-batch", test_doku_mixed_batch);
#undef ADD
  g_test_add_func ("/upload/check-url", test_check_url);
  g_test_add_func ("/upload/retry-after", test_retry_after);

  return g_test_run ();
}
