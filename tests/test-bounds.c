/* test-bounds.c: untrusted input stays within bounds
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON nested deep enough to overflow json-glib's recursive parser, from a
 * provider's answer, a token answer, a history line or the queue file; a
 * 429 without a message.
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-auth-private.h"
#include "dossier-history.h"
#include "dossier-history-private.h"
#include "dossier-json.h"
#include "dossier-multipart.h"
#include "dossier-queue-state.h"
#include "dossier-result-private.h"
#include "dossier-sandbox.h"
#include "dossier-sandbox-multipart-private.h"
#include "dossier-submission.h"
#include "dossier-upload.h"

#include "dossier-test-util.h"

/* 100,000 nested arrays (200 kB, under the 1 MB answer cap): deep enough to
 * overflow json-glib 1.6's stack */
#define DEEP_LEVELS 100000

static char *
deep_json_levels (const char *before,
                  guint       levels,
                  const char *after)
{
  GString *text = g_string_new (before);

  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, ']');
  g_string_append (text, after);

  return g_string_free (text, FALSE);
}

static char *
deep_json (const char *before,
           const char *after)
{
  return deep_json_levels (before, DEEP_LEVELS, after);
}

static void
assert_depth (const char *text,
              guint       max_depth,
              gboolean    ok)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("depth of %s, at most %u", text, max_depth);
  g_assert_cmpint (dossier_json_check_depth (text, strlen (text), max_depth, &error), ==, ok);
  if (ok)
    g_assert_no_error (error);
  else
    g_assert_nonnull (error);
}

static void
test_check_depth (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = deep_json ("", "");

  assert_depth ("{}", 1, TRUE);
  assert_depth ("{\"a\": [1, {\"b\": []}]}", 4, TRUE);
  assert_depth ("{\"a\": [1, {\"b\": []}]}", 3, FALSE);
  /* brackets inside strings do not count, escaped quotes do not end one */
  assert_depth ("[\"[[[[{{{{\"]", 1, TRUE);
  assert_depth ("[\"\\\"[[[[\"]", 1, TRUE);
  assert_depth ("[\"a\\\\\", [[]]]", 2, FALSE);
  assert_depth ("[\"a\\\\\", [[]]]", 3, TRUE);
  /* closing more than was opened does not let the count go below zero */
  assert_depth ("]]]]][[", 1, FALSE);
  /* an unterminated string ends the scan */
  assert_depth ("[\"[[[[", 1, TRUE);
  /* what json-glib's scanner would hide from the count is refused */
  assert_depth ("# \"\n[[[]]]", 8, FALSE);
  assert_depth ("/* \" */ [[[]]]", 8, FALSE);
  assert_depth ("['\"', [[[]]]]", 8, FALSE);
  assert_depth ("[\"# / '\"]", 1, TRUE);
  /* one value: json-glib 1.6 would take the last of several and leak the
   * others */
  assert_depth ("{} \r\n\t", 1, TRUE);
  assert_depth ("{}{}", 1, FALSE);
  assert_depth ("[1]\n\"x\"", 1, FALSE);

  g_assert_false (dossier_json_check_depth (deep, strlen (deep), DOSSIER_JSON_MAX_DEPTH, &error));
  g_assert_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "nested too deeply (over 64 levels)");
}

static void
test_load (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = deep_json ("{\"id\": ", "}");

  g_assert_true (dossier_json_load (parser, "{\"id\": \"a/b\"}", -1, 0, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  g_assert_false (dossier_json_load (parser, deep, -1, 0, &error));
  g_assert_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);

  g_assert_false (dossier_json_load (parser, "[1, 2, 3]", -1, 8, &error));
  g_assert_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_false (dossier_json_load (parser, "{\"a\":", -1, 0, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (dossier_json_load (parser, "{\"a\": 1}\n{\"b\": 2}", -1, 0, &error));
  g_assert_error (error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "not valid JSON: more than one value, the second on line 2");
}

static void
test_deep_answer (void)
{
  g_autofree char *deep = deep_json ("{\"message\": ", "}");
  g_autoptr(DossierResult) ok = NULL;
  g_autoptr(DossierResult) failed = NULL;

  g_assert_cmpuint (strlen (deep), <, 1024 * 1024);

  ok = dossier_test_parse_answer ("moov", 200, deep, NULL, NULL);
  g_assert_false (dossier_result_is_success (ok));
  g_assert_null (ok->remote_id);
  g_assert_true (g_str_has_prefix (ok->message, "The answer is nested too deeply (over 64 levels); "
                                                "it was not read"));

  failed = dossier_test_parse_answer ("doku", 400, deep, NULL, NULL);
  g_assert_cmpstr (failed->message, ==, "The answer is nested too deeply (over 64 levels); it was not read");
}

static void
test_deep_token_answer (void)
{
  g_autofree char *deep = deep_json ("{\"error\": ", "}");
  g_autofree char *payload = deep_json ("{\"exp\": 5, \"x\": ", "}");
  g_autofree char *encoded = g_base64_encode ((const guchar *) payload, strlen (payload));
  g_autofree char *jwt = g_strdup_printf ("e30.%s.sig", encoded);

  g_assert_null (dossier_auth_parse_error_message (deep, strlen (deep), NULL));
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (jwt), ==, 0);
}

static void
test_deep_local_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-bounds-XXXXXX", &error);
  g_autofree char *queue_path = g_build_filename (dir, "queue.json", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.jsonl", NULL);
  g_autofree char *deep = deep_json ("{\"files\": ", "}");
  g_autofree char *lines = g_strconcat (deep, "\n", NULL);
  g_autoptr(DossierQueueState) state = NULL;
  g_autoptr(DossierHistory) history = NULL;

  g_assert_no_error (error);

  g_assert_true (g_file_set_contents (queue_path, deep, -1, NULL));
  state = dossier_queue_state_load (queue_path, &error);
  g_assert_null (state);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));

  /* a damaged history line is skipped, not a crash */
  g_assert_true (g_file_set_contents (history_path, lines, -1, NULL));
  history = dossier_history_new_for_path (history_path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  dossier_test_remove_tree (dir);
}

/* Moov, its token requested with client credentials */
static DossierSubmission *
moov_client_submission (DossierProvider *provider)
{
  DossierSubmission *submission = dossier_test_submission_new (provider, NULL, NULL, "client", "secret");

  dossier_submission_set_value (submission, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  return submission;
}

/* @server started, @submission sent to it, a PNG added to it from a scratch
 * folder of its own (@out_dir, for dossier_test_remove_tree()) */
static DossierUpload *
add_photo (DossierSubmission  *submission,
           SoupServer         *server,
           char              **out_dir)
{
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 4000, FALSE);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  *out_dir = g_dir_make_tmp ("dossier-bounds-XXXXXX", &error);
  g_assert_no_error (error);
  file = dossier_test_write_file (*out_dir, "photo.png", bytes);
  url = g_strdup_printf ("http://127.0.0.1:%u", dossier_test_server_listen (server, 0));
  dossier_submission_set_sandbox_url (submission, url);
  return dossier_submission_add_file (submission, file);
}

/* A provider that answers every request with 100,000 nested arrays */
static void
deep_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  guint *hits = user_data;
  /* token answers are cut at 64 KiB: as deep as fits there */
  char *deep = g_str_has_suffix (path, "/token") ? deep_json_levels ("{\"id\": ", 30000, "}")
                                                 : deep_json ("{\"id\": ", "}");

  (*hits)++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, deep, strlen (deep));
}

static void
test_deep_answer_upload (gconstpointer data)
{
  const char *provider_id = data;
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(DossierProvider) provider = dossier_test_load_provider (provider_id);
  g_autoptr(DossierSubmission) submission = NULL;
  g_autofree char *dir = NULL;
  DossierUpload *upload;
  const char *problem;
  guint hits = 0;

  soup_server_add_handler (server, NULL, deep_handler, &hits, NULL);
  if (g_str_equal (provider_id, "kore"))
    submission = dossier_test_submission_new (provider, NULL, DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  else
    /* the token request gets the deep answer */
    submission = moov_client_submission (provider);
  upload = add_photo (submission, server, &dir);
  dossier_test_wait_false (submission, "validating");
  g_assert_true (dossier_submission_can_start (submission, NULL));
  dossier_test_run_to_end (submission);

  g_assert_cmpuint (hits, >=, 1);
  g_assert_cmpint (dossier_upload_get_state (upload), !=, DOSSIER_UPLOAD_STATE_DONE);
  problem = dossier_upload_get_problem (upload);
  g_assert_nonnull (problem);
  g_test_message ("problem: %s", problem);
  if (g_str_equal (provider_id, "kore"))
    {
      /* the file went out whole: its outcome is unknown, and the answer
       * that could not be read says why */
      const DossierResult *result = dossier_upload_get_result (upload);

      g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
      g_assert_nonnull (strstr (problem, "without the file’s id, after the file was sent"));
      g_assert_nonnull (result);
      g_assert_nonnull (strstr (result->message, "nested too deeply (over 64 levels)"));
    }
  else
    g_assert_nonnull (strstr (problem, "Could not get a token from Moov: the answer is nested too "
                                       "deeply (over 64 levels)"));

  dossier_test_remove_tree (dir);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_too_many_requests (void)
{
  g_autoptr(DossierResult) plain = dossier_test_parse_answer ("moov", 429, "", NULL, NULL);
  g_autoptr(DossierResult) seconds = dossier_test_parse_answer ("moov", 429, "", "Retry-After", "30");
  g_autoptr(DossierResult) date = dossier_test_parse_answer ("moov", 429, "", "Retry-After",
                                                             "Fri, 02 Jan 2026 03:09:05 GMT");
  g_autoptr(DossierResult) own = dossier_test_parse_answer ("moov", 429, "{\"error\": \"slow down\"}", NULL, NULL);
  g_autoptr(DossierResult) teapot = dossier_test_parse_answer ("moov", 418, "", NULL, NULL);
  g_autoptr(DossierResult) odd = dossier_test_parse_answer ("moov", 599, "", NULL, NULL);
  g_autoptr(DossierResult) known = dossier_test_parse_answer ("moov", 503, "", NULL, NULL);
  g_autofree char *sentence = dossier_result_describe_failure (plain);
  g_autofree char *own_sentence = dossier_result_describe_failure (own);

  g_assert_cmpstr (plain->message, ==, "Too many requests; try again in a minute");
  g_assert_cmpstr (sentence, ==, "Moov is busy (429): Too many requests; try again in a minute");
  g_assert_cmpstr (seconds->message, ==, "Too many requests; try again in 30 seconds");
  g_assert_cmpstr (date->message, ==, "Too many requests; try again in 5 minutes");
  g_assert_cmpstr (own->message, ==, "slow down");
  g_assert_cmpstr (own_sentence, ==, "Moov is busy (429): slow down");

  /* no status reads "Unknown Error" */
  g_assert_cmpstr (teapot->message, ==, "The request was refused without a reason");
  g_assert_cmpstr (odd->message, ==, "The provider's server failed without saying why");
  g_assert_cmpstr (known->message, ==, "Service Unavailable");
}

/* 64 connections at once: the kernel completes every handshake while the
 * sandbox is busy (here: its main context is not running), instead of
 * dropping SYNs beyond a backlog of 10; then every request is answered */
#define BURST 64
#define SAFETY_NET_US (31 * G_USEC_PER_SEC)  /* how long one socket may wait to connect */

static void
test_sandbox_burst (void)
{
  g_autoptr(DossierSandbox) sandbox = dossier_test_sandbox_new (FALSE);
  g_autoptr(GUri) base = g_uri_parse (dossier_sandbox_get_base_url (sandbox), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, g_uri_get_port (base));
  g_autofree char *request = g_strdup_printf ("GET /_sandbox/received HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                              "Connection: close\r\n\r\n", g_uri_get_port (base));
  GSocket *sockets[BURST];
  GString *answers[BURST];
  guint connected = 0;
  guint answered = 0;
  guint ok = 0;
  guint timeout_id;

  for (guint i = 0; i < BURST; i++)
    {
      g_autoptr(GError) error = NULL;

      sockets[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
      g_assert_no_error (error);
      g_socket_set_blocking (sockets[i], FALSE);
      if (!g_socket_connect (sockets[i], address, NULL, &error))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
      answers[i] = g_string_new (NULL);
    }

  /* the handshakes complete without the sandbox running: the kernel holds
   * them in the listen queue. A dropped SYN is retried after 1, 3, 7 s and
   * dropped again while the queue stays full, so a socket not connected
   * by then never will be: each waits at most 31 s, a safety net only (the
   * next retry comes at 15 s), not a measure of speed. */
  for (guint i = 0; i < BURST; i++)
    if (g_socket_condition_timed_wait (sockets[i], G_IO_OUT, SAFETY_NET_US, NULL, NULL) &&
        g_socket_check_connect_result (sockets[i], NULL))
      connected++;
  g_assert_cmpuint (connected, ==, BURST);

  /* then every request gets its answer */
  for (guint i = 0; i < BURST; i++)
    g_assert_cmpint (g_socket_send (sockets[i], request, strlen (request), NULL, NULL), ==, strlen (request));

  timeout_id = dossier_test_timeout_add ();
  while (answered < BURST)
    {
      g_main_context_iteration (NULL, FALSE);
      for (guint i = 0; i < BURST; i++)
        {
          char buffer[4096];
          gssize got;

          if (sockets[i] == NULL)
            continue;
          got = g_socket_receive (sockets[i], buffer, sizeof buffer, NULL, NULL);
          if (got > 0)
            g_string_append_len (answers[i], buffer, got);
          else if (got == 0)
            {
              if (g_str_has_prefix (answers[i]->str, "HTTP/1.1 200"))
                ok++;
              g_clear_object (&sockets[i]);
              answered++;
            }
        }
    }
  g_source_remove (timeout_id);

  g_assert_cmpuint (ok, ==, BURST);
  for (guint i = 0; i < BURST; i++)
    g_string_free (answers[i], TRUE);
}

/* File names go from the core's encoder to the sandbox unchanged */
static void
test_sandbox_file_names (void)
{
  static const char * const names[] = {
    "C:\\Users\\budi\\KTP.png",
    "\"quoted\" name.png",
    "a\\\"b.png",
    "spaces  and\ttab.png",
    "Akta Pendirian é € 名前 📄.png",
    "percent %41 %2F.png",
    "semi; colon=x.png",
  };
  g_autoptr(DossierSandbox) sandbox = dossier_test_sandbox_new (FALSE);
  g_autoptr(DossierProvider) provider = dossier_test_load_provider ("kore");
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 2000, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-bounds-XXXXXX", &error);
  DossierUpload *uploads[G_N_ELEMENTS (names)];

  g_assert_no_error (error);
  submission = dossier_test_submission_new (provider, sandbox, DOSSIER_SANDBOX_KORE_API_KEY, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *sub = g_strdup_printf ("%u", i);
      g_autofree char *folder = g_build_filename (dir, sub, NULL);
      g_autoptr(GFile) file = dossier_test_write_file (folder, names[i], bytes);

      uploads[i] = dossier_submission_add_file (submission, file);
    }
  dossier_test_wait_false (submission, "validating");
  g_assert_true (dossier_submission_can_start (submission, NULL));
  dossier_test_run_to_end (submission);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const DossierResult *result = dossier_upload_get_result (uploads[i]);
      g_autoptr(JsonObject) record = NULL;

      g_assert_cmpstr (dossier_upload_get_problem (uploads[i]), ==, NULL);
      record = dossier_test_find_received (sandbox, result->remote_id);
      g_assert_nonnull (record);
      g_assert_cmpstr (json_object_get_string_member (record, "file_name"), ==, names[i]);
    }

  dossier_test_remove_tree (dir);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* The core's part headers read back by the sandbox's parser, for what the
 * engine cannot send (a file name without an extension) */
static void
test_multipart_round_trip (void)
{
  static const char * const names[] = {
    "ends in a backslash\\", "\\", "a\\", "\"", "\\\"", "x\\\"; name=\"y",
    "tab\there", "é\\€", "",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-bounds-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "data.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "bytes", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(DossierMultipart) multipart = dossier_multipart_new ();
      g_autoptr(DossierSandboxMultipartParser) parser = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GBytes) body = NULL;
      DossierSandboxMultipartPart *part;
      GPtrArray *parts;

      dossier_multipart_add_file (multipart, names[i], file, names[i], "image/png", 0, -1);
      stream = dossier_multipart_open (multipart, NULL, &error);
      g_assert_no_error (error);
      body = g_input_stream_read_bytes (stream, 64 * 1024, NULL, &error);
      g_assert_no_error (error);

      parser = dossier_sandbox_multipart_parser_new (dossier_multipart_get_boundary (multipart), dir, 4096, 4096);
      g_assert_true (dossier_sandbox_multipart_parser_feed (parser, g_bytes_get_data (body, NULL),
                                                   g_bytes_get_size (body), &error));
      g_assert_no_error (error);
      g_assert_true (dossier_sandbox_multipart_parser_finish (parser, &error));
      g_assert_no_error (error);

      parts = dossier_sandbox_multipart_parser_get_parts (parser);
      g_assert_cmpuint (parts->len, ==, 1);
      part = g_ptr_array_index (parts, 0);
      g_assert_cmpstr (part->name, ==, names[i]);
      g_assert_cmpstr (part->filename, ==, names[i]);
      g_assert_cmpuint (part->size, ==, 5);
    }

  g_unlink (path);
  g_rmdir (dir);
}

/* A sandbox killed without cleaning up: exits at once, its storage left */
static void
storage_killed_child (void)
{
  DossierSandbox *sandbox;
  g_autofree char *copy = NULL;

  if (!g_test_subprocess ())
    return;

  sandbox = dossier_sandbox_new (NULL, NULL);
  g_assert_nonnull (sandbox);
  copy = g_build_filename (dossier_sandbox_get_storage_dir (sandbox), "KTP.png", NULL);
  g_assert_true (g_file_set_contents (copy, "a document", -1, NULL));
  _exit (0);
}

static guint
count_folders (const char *parent)
{
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Documents received by the built-in sandbox stay out of /tmp, in a
 * private folder; what a killed sandbox left is removed at the next start,
 * what a running one uses is not */
static void
test_sandbox_storage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = g_build_filename (g_get_user_cache_dir (), "bounds-runtime-XXXXXX", NULL);
  g_autofree char *cache = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *live = NULL;
  g_autofree char *other = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *saved_runtime = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  g_autofree char *storage = NULL;
  DossierSandbox *sandbox;
  GStatBuf st;
  int lock_fd;

  /* a runtime folder of the test's own */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_nonnull (g_mkdtemp (runtime));
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  parent = g_build_filename (runtime, "dossier-sandbox", NULL);

  /* a killed sandbox leaves its folder behind */
  g_test_trap_subprocess ("/bounds/sandbox/storage/killed-child", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_cmpuint (count_folders (parent), ==, 1);

  /* one of a dead process, one of a running one (its lock held here),
   * and a folder that is not a sandbox's */
  stale = g_build_filename (parent, "4000000-abcdef", NULL);
  live = g_build_filename (parent, "4000001-ghijkl", NULL);
  other = g_build_filename (parent, "notes", NULL);
  g_assert_cmpint (g_mkdir_with_parents (stale, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (live, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (other, 0700), ==, 0);
  g_free (lock_path);
  lock_path = g_build_filename (stale, "lock", NULL);
  g_assert_true (g_file_set_contents (lock_path, "", 0, NULL));
  g_free (lock_path);
  lock_path = g_build_filename (live, "lock", NULL);
  lock_fd = g_open (lock_path, O_RDWR | O_CREAT, 0600);
  g_assert_cmpint (lock_fd, >=, 0);
  g_assert_cmpint (flock (lock_fd, LOCK_EX | LOCK_NB), ==, 0);
  g_assert_cmpuint (count_folders (parent), ==, 4);

  sandbox = dossier_sandbox_new (NULL, &error);
  g_assert_no_error (error);
  storage = g_strdup (dossier_sandbox_get_storage_dir (sandbox));
  g_test_message ("storage: %s", storage);

  /* in the runtime folder (not the temporary folder), private, named
   * after this process */
  {
    g_autofree char *dirname = g_path_get_dirname (storage);
    g_autofree char *basename = g_path_get_basename (storage);
    g_autofree char *prefix = g_strdup_printf ("%d-", (int) getpid ());

    g_assert_cmpstr (dirname, ==, parent);
    g_assert_true (g_str_has_prefix (basename, prefix));
  }
  g_assert_cmpint (g_stat (storage, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* the killed one's and the dead one's are gone, the others stay */
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_folders (parent), ==, 3);

  /* a second sandbox of this process does not take the first one's */
  {
    g_autoptr(DossierSandbox) second = dossier_sandbox_new (NULL, &error);

    g_assert_no_error (error);

    g_assert_true (g_file_test (storage, G_FILE_TEST_IS_DIR));
    g_assert_cmpuint (count_folders (parent), ==, 4);
  }

  g_object_unref (sandbox);
  g_assert_false (g_file_test (storage, G_FILE_TEST_EXISTS));
  close (lock_fd);

  /* without a runtime folder: the user's cache folder */
  g_unsetenv ("XDG_RUNTIME_DIR");
  cache = g_build_filename (g_get_user_cache_dir (), "dossier", "sandbox", NULL);
  sandbox = dossier_sandbox_new (NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *dirname = g_path_get_dirname (dossier_sandbox_get_storage_dir (sandbox));

    g_assert_cmpstr (dirname, ==, cache);
  }
  g_object_unref (sandbox);

  if (saved_runtime != NULL)
    g_setenv ("XDG_RUNTIME_DIR", saved_runtime, TRUE);
  dossier_test_remove_tree (runtime);
}

/* The sandbox reads clients' JSON too (token requests, Kore sessions) */
static void
test_sandbox_deep_request (void)
{
  g_autoptr(DossierSandbox) sandbox = dossier_test_sandbox_new (TRUE);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (dossier_sandbox_get_base_url (sandbox),
                                      "/kore/api/public/files/session/start", NULL);
  g_autofree char *deep = deep_json ("{\"fileName\": ", ", \"totalChunks\": 1}");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&deep), strlen (deep));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "x-api-key",
                               DOSSIER_SANDBOX_KORE_API_KEY);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
}

static void
busy_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  soup_server_message_set_status (msg, 429, NULL);
}

/* A token endpoint that answers 429 without a word */
static void
test_token_too_many_requests (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(DossierProvider) provider = dossier_test_load_provider ("moov");
  g_autoptr(DossierSubmission) submission = moov_client_submission (provider);
  g_autofree char *dir = NULL;
  DossierUpload *upload;
  const char *problem;

  soup_server_add_handler (server, NULL, busy_handler, NULL, NULL);
  upload = add_photo (submission, server, &dir);
  dossier_test_wait_false (submission, "validating");
  dossier_test_run_to_end (submission);

  problem = dossier_upload_get_problem (upload);
  g_test_message ("problem: %s", problem);
  g_assert_nonnull (problem);
  g_assert_null (strstr (problem, "Unknown Error"));
  g_assert_nonnull (strstr (problem, "(429 Too many requests; try again in a minute)"));

  dossier_test_remove_tree (dir);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static char *
jwt_with_payload (const char *payload)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) payload, strlen (payload));

  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  return g_strdup_printf ("e30.%s.c2ln", encoded);
}

/* Found by fuzz-answer: expiry times too large for a gint64 (converting
 * such a double is undefined behaviour), and "nan" */
static void
test_token_expiry_out_of_range (void)
{
  g_autofree char *huge = jwt_with_payload ("{\"exp\": 1111111111111e11149}");
  g_autofree char *big = jwt_with_payload ("{\"exp\": 1e30}");
  g_autofree char *far = jwt_with_payload ("{\"exp\": 9223372036854775807}");
  g_autofree char *fine = jwt_with_payload ("{\"exp\": 1767323045}");
  g_autoptr(JsonNode) nan = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) large = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) seconds = json_node_new (JSON_NODE_VALUE);
  gint64 now = 1767323045;

  g_assert_cmpint (dossier_auth_parse_jwt_expiry (huge), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (big), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (far), ==, 0);
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (fine), ==, 1767323045);

  /* a token answer's expires_in: out of range means the default life */
  json_node_set_string (nan, "nan");
  g_assert_cmpint (dossier_auth_parse_expires_in (nan, now), ==, now + 5 * 60);
  json_node_set_double (large, 1e300);
  g_assert_cmpint (dossier_auth_parse_expires_in (large, now), ==, now + 5 * 60);
  json_node_set_int (seconds, 3600);
  g_assert_cmpint (dossier_auth_parse_expires_in (seconds, now), ==, now + 3600);
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  g_test_add_func ("/bounds/json/check-depth", test_check_depth);
  g_test_add_func ("/bounds/json/load", test_load);
  g_test_add_func ("/bounds/answer/deep", test_deep_answer);
  g_test_add_data_func ("/bounds/answer/deep-upload", "kore", test_deep_answer_upload);
  g_test_add_data_func ("/bounds/token/deep-answer", "moov", test_deep_answer_upload);
  g_test_add_func ("/bounds/token/deep", test_deep_token_answer);
  g_test_add_func ("/bounds/local-files/deep", test_deep_local_files);
  g_test_add_func ("/bounds/answer/too-many-requests", test_too_many_requests);
  g_test_add_func ("/bounds/token/too-many-requests", test_token_too_many_requests);
  g_test_add_func ("/bounds/token/expiry-out-of-range", test_token_expiry_out_of_range);
  g_test_add_func ("/bounds/sandbox/burst", test_sandbox_burst);
  g_test_add_func ("/bounds/sandbox/deep-request", test_sandbox_deep_request);
  g_test_add_func ("/bounds/sandbox/file-names", test_sandbox_file_names);
  g_test_add_func ("/bounds/sandbox/multipart-round-trip", test_multipart_round_trip);
  g_test_add_func ("/bounds/sandbox/storage", test_sandbox_storage);
  g_test_add_func ("/bounds/sandbox/storage/killed-child", storage_killed_child);

  return g_test_run ();
}
