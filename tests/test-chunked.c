/* test-chunked.c: Kore's chunked upload session against the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dossier-auth.h"
#include "dossier-client.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"
#include "dossier-sandbox-private.h"
#include "dossier-transfer-private.h"

#include "dossier-test-util.h"

#define THRESHOLD  (300 * 1024)
#define CHUNK_SIZE (64 * 1024)
#define FILE_SIZE  (1000 * 1000)   /* 16 chunks, the last one shorter */
#define N_CHUNKS   16

typedef struct
{
  DossierSandbox  *sandbox;
  DossierProvider *provider;
  char            *path;
  GFile           *file;
} Fixture;

/* kore.json with a small threshold and chunk size, to keep the test fast */
static DossierProvider *
small_chunk_kore (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JsonObject *flow;
  DossierProvider *provider;
  gsize len;

  json_parser_load_from_file (parser, TEST_SRCDIR "/../data/providers/kore.json", &error);
  g_assert_no_error (error);
  flow = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "flow");
  json_object_set_int_member (flow, "threshold", THRESHOLD);
  json_object_set_int_member (flow, "chunk_size", CHUNK_SIZE);
  json_generator_set_root (generator, json_parser_get_root (parser));
  data = json_generator_to_data (generator, &len);

  provider = dossier_provider_new_from_data (data, len, "kore-small-chunks", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dossier_provider_get_flow (provider)->chunk_size, ==, CHUNK_SIZE);

  return provider;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, FILE_SIZE, TRUE);
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  int fd;

  fx->sandbox = dossier_test_sandbox_new (FALSE);
  fx->provider = small_chunk_kore ();

  fd = g_file_open_tmp ("dossier-chunked-XXXXXX.png", &fx->path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  dir = g_path_get_dirname (fx->path);
  name = g_path_get_basename (fx->path);
  fx->file = dossier_test_write_file (dir, name, bytes);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_unlink (fx->path);
  g_free (fx->path);
  g_clear_object (&fx->file);
  g_clear_object (&fx->provider);
  g_assert_finalize_object (fx->sandbox);
}

static DossierSubmission *
new_submission (Fixture *fx)
{
  return dossier_test_submission_new (fx->provider, fx->sandbox, DOSSIER_SANDBOX_KORE_API_KEY,
                                      NULL, NULL);
}

/* Sends the fixture's file, with the sandbox's @fault (when not %NULL) */
static DossierUpload *
send_file (Fixture           *fx,
           DossierSubmission *submission,
           const char        *fault)
{
  DossierUpload *upload;

  if (fault != NULL)
    dossier_test_add_fault (fx->sandbox, fault);
  upload = dossier_submission_add_file (submission, fx->file);
  dossier_test_run_to_end (submission);
  return upload;
}

/* What the sandbox stored is the fixture's file, whole */
static void
assert_record_is_file (Fixture    *fx,
                       JsonObject *record)
{
  g_autofree char *sha = dossier_test_file_sha256 (fx->file);

  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (record, "size"), ==, FILE_SIZE);
}

static void
assert_merged (Fixture       *fx,
               DossierUpload *upload)
{
  g_autoptr(JsonObject) record = NULL;
  const DossierResult *result = dossier_upload_get_result (upload);

  g_assert_cmpstr (dossier_upload_get_problem (upload), ==, NULL);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_true (dossier_result_is_success (result));
  g_assert_nonnull (result->link);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "complete", &record), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, result->remote_id);
  assert_record_is_file (fx, record);
  g_assert_cmpuint (dossier_upload_get_bytes_sent (upload), ==, FILE_SIZE);
  g_assert_cmpuint (dossier_upload_get_total_bytes (upload), ==, FILE_SIZE);
}

/* Sent whole and merged, in so many attempts, with so many chunks */
typedef struct
{
  const char *fault;      /* of the sandbox, or %NULL */
  guint       attempts;
  int         chunks;     /* received, or -1: not counted */
} Merged;

static const Merged complete = { NULL, 1, N_CHUNKS };
/* only the chunk was sent again, within the first attempt */
static const Merged chunk_retry = { "kore/chunk:status=500,chunk=2,times=1", 1, -1 };
/* the second attempt completed the same session: no chunk was sent twice */
static const Merged resume = { "kore/complete:status=503,retry-after=1", 2, N_CHUNKS };

static void
test_merged (Fixture       *fx,
             gconstpointer  data)
{
  const Merged *m = data;
  g_autoptr(DossierSubmission) submission = new_submission (fx);
  DossierUpload *upload = send_file (fx, submission, m->fault);

  assert_merged (fx, upload);
  if (m->chunks >= 0)
    g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "chunk", NULL), ==, m->chunks);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, 0);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, m->attempts);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_below_threshold (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx);
  g_autofree char *path = g_strconcat (fx->path, "-small.png", NULL);
  g_autoptr(GFile) small = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  DossierUpload *upload;

  g_file_copy (fx->file, small, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GFileIOStream) io = g_file_open_readwrite (small, NULL, &error);
    g_assert_no_error (error);
    g_seekable_truncate (G_SEEKABLE (io), THRESHOLD, NULL, &error);
    g_assert_no_error (error);
  }

  upload = dossier_submission_add_file (submission, small);
  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, 1);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "chunk", NULL), ==, 0);
  g_unlink (path);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_chunk_fails (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx);
  DossierUpload *upload;
  const char *problem;

  upload = send_file (fx, submission, "kore/chunk:status=500,chunk=2,times=0");

  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_result (upload)->http_status, ==, 500);
  problem = dossier_upload_get_problem (upload);
  g_assert_true (g_str_has_prefix (problem, "Kore.ai refused the file (500): chunk 3 of 16 was not accepted"));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "complete", NULL), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
transfer_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DossierResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dossier_transfer_run_finish (DOSSIER_TRANSFER (object), result, NULL, &error);
  g_assert_no_error (error);
}

static void
test_missing_chunk (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(DossierClient) client = dossier_client_new (8);
  g_autoptr(DossierCredentials) credentials = dossier_credentials_new ();
  g_autofree char *base_url = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), "/kore", NULL);
  g_autoptr(DossierAuth) auth = NULL;
  g_autoptr(DossierTransfer) transfer = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(DossierResult) result = NULL;
  g_autofree char *sentence = NULL;

  dossier_credentials_set_secret (credentials, DOSSIER_SANDBOX_KORE_API_KEY);
  auth = dossier_auth_new (fx->provider, base_url, credentials, client);
  g_hash_table_insert (values, (gpointer) "fileContext", (gpointer) "bulkImport");
  transfer = dossier_transfer_new (fx->provider, client, auth, base_url, values);
  dossier_transfer_set_file (transfer, fx->file, "merged.png", "image/png", FILE_SIZE);
  g_assert_true (dossier_transfer_is_chunked (transfer));
  dossier_transfer_set_skip_chunk (transfer, 2);

  dossier_transfer_run_async (transfer, NULL, transfer_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (dossier_result_is_success (result));
  g_assert_cmpuint (result->http_status, ==, 400);
  g_assert_cmpstr (result->message, ==, "Missing chunks: 2");
  sentence = dossier_result_describe_failure (result);
  g_assert_cmpstr (sentence, ==, "Kore.ai refused the file (400): Missing chunks: 2");
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "chunk", NULL), ==, N_CHUNKS - 1);
  /* the refused session is not resumed */
  g_assert_null (dossier_transfer_get_session_id (transfer));
  g_assert_finalize_object (g_steal_pointer (&transfer));
}

static void
cancel_cb (DossierUpload     *upload,
           GParamSpec        *pspec,
           DossierSubmission *submission)
{
  if (dossier_upload_get_bytes_sent (upload) > 0)
    dossier_submission_cancel (submission, upload);
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx);
  DossierUpload *upload;

  /* slow chunks, so that the cancel lands while they are in flight */
  dossier_test_add_fault (fx->sandbox, "kore/chunk:delay=300,times=0");
  upload = dossier_submission_add_file (submission, fx->file);
  g_signal_connect (upload, "notify::bytes-sent", G_CALLBACK (cancel_cb), submission);
  dossier_test_run_to_end (submission);

  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_CANCELLED);
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "chunk", NULL), <, N_CHUNKS);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "complete", NULL), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* A session that expires mid-upload */
static void
test_kore_session_expiry (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = new_submission (fx);
  g_autoptr(JsonObject) record = NULL;
  const char *problem;
  DossierUpload *upload;

  /* sessions live a second; every chunk takes 300 ms to be answered, three
   * at a time: the session runs out around the ninth chunk */
  dossier_sandbox_set_kore_session_lifetime (fx->sandbox, 1);
  upload = send_file (fx, submission, "kore/chunk:delay=300,times=0");

  /* it fails, says why and what to do, and does not go on sending into a
   * dead session */
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  problem = dossier_upload_get_problem (upload);
  g_assert_nonnull (problem);
  g_test_message ("expired session: %s", problem);
  g_assert_nonnull (strstr (problem, "expired"));
  /* it stopped at the first "expired": the rest of the file never went */
  g_assert_cmpuint (dossier_upload_get_bytes_sent (upload), <, FILE_SIZE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "complete", NULL), ==, 0);

  /* sending it again starts a new session and gets the whole file there */
  dossier_sandbox_clear_faults (fx->sandbox);
  dossier_sandbox_set_kore_session_lifetime (fx->sandbox, 3600);
  dossier_submission_retry (submission, upload);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "complete", NULL), ==, 1);
  record = dossier_test_find_received (fx->sandbox, dossier_upload_get_result (upload)->remote_id);
  assert_record_is_file (fx, record);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_MERGED(path, merged) g_test_add (path, Fixture, &merged, fixture_setup, test_merged, \
                                             fixture_teardown)
  ADD_MERGED ("/chunked/complete", complete);
  ADD ("/chunked/below-threshold", test_below_threshold);
  ADD_MERGED ("/chunked/chunk-retry", chunk_retry);
  ADD ("/chunked/chunk-fails", test_chunk_fails);
  ADD ("/chunked/missing-chunk", test_missing_chunk);
  ADD_MERGED ("/chunked/resume", resume);
  ADD ("/chunked/cancel", test_cancel);
  ADD ("/chunked/session-expiry", test_kore_session_expiry);
#undef ADD_MERGED
#undef ADD

  return g_test_run ();
}
