/* test-redact.c: one rule for masking secrets, and text made safe for a
 * terminal
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-history.h"
#include "dossier-history-entry.h"
#include "dossier-redact.h"
#include "dossier-util.h"
#include "dossier-test-util.h"

#define LONG_TOKEN "sekrit-echoed-token-42"


/* -------------------------------------------------------------------------- */
/* The rule                                                                   */

static void
assert_apply (DossierRedact *redact,
              const char    *text,
              const char    *prose,
              const char    *data)
{
  g_autofree char *a = dossier_redact_apply (redact, text);
  g_autofree char *b = dossier_redact_apply_data (redact, text);

  g_assert_cmpstr (a, ==, prose);
  g_assert_cmpstr (b, ==, data);
}

static void
test_rule (void)
{
  g_autoptr(DossierRedact) redact = dossier_redact_new ();
  g_autofree char *text = NULL;

  g_assert_true (dossier_redact_is_empty (redact));
  assert_apply (redact, "nothing to hide", "nothing to hide", "nothing to hide");
  assert_apply (redact, NULL, NULL, NULL);

  /* a one-letter token, and a 7-byte one: never looked for inside text */
  dossier_redact_add (redact, "t");
  dossier_redact_add (redact, "seven77");
  dossier_redact_add (redact, "");
  dossier_redact_add (redact, NULL);
  g_assert_false (dossier_redact_is_empty (redact));
  assert_apply (redact, "that token is not valid", "that token is not valid", "that token is not valid");
  assert_apply (redact, "seven77 is short", "seven77 is short", "seven77 is short");
  /* a message that is exactly a credential is masked whole; an id is data */
  assert_apply (redact, "t", DOSSIER_REDACT_PLACEHOLDER, "t");
  assert_apply (redact, "seven77", DOSSIER_REDACT_PLACEHOLDER, "seven77");

  /* a long one everywhere, data included; the header value first */
  dossier_redact_add_header_value (redact, "Bearer " LONG_TOKEN);
  dossier_redact_add (redact, LONG_TOKEN);
  assert_apply (redact, "Bearer " LONG_TOKEN " is not allowed, " LONG_TOKEN " expired",
                "[hidden] is not allowed, [hidden] expired",
                "[hidden] is not allowed, [hidden] expired");
  assert_apply (redact, "file-" LONG_TOKEN "-1", "file-[hidden]-1", "file-[hidden]-1");
  assert_apply (redact, "tt-1234", "tt-1234", "tt-1234");

  /* in place */
  text = g_strdup ("token " LONG_TOKEN);
  dossier_redact_scrub (redact, &text);
  g_assert_cmpstr (text, ==, "token [hidden]");
  dossier_redact_scrub_data (redact, &text);
  g_assert_cmpstr (text, ==, "token [hidden]");
  g_clear_pointer (&text, g_free);
  text = g_strdup ("t");
  dossier_redact_scrub_data (redact, &text);
  g_assert_cmpstr (text, ==, "t");
  dossier_redact_scrub (redact, &text);
  g_assert_cmpstr (text, ==, "[hidden]");
}

static void
test_escape (void)
{
  static const struct {
    const char *in;
    gboolean    one_line;
    const char *out;
  } cases[] = {
    { "plain text, KTP Budi.png", TRUE, "plain text, KTP Budi.png" },
    { "\x1b]0;pwned\x07\x1b[2J", TRUE, "\\x1B]0;pwned\\x07\\x1B[2J" },
    { "a\nb\tc\rd", TRUE, "a\\nb\\tc\\x0Dd" },
    { "a\nb\tc\rd", FALSE, "a\nb\tc\\x0Dd" },
    { "del\x7f c1\xc2\x9b[31m", TRUE, "del\\x7F c1\\u009B[31m" },
    { "raw c1 \x9b[31m", TRUE, "raw c1 \xef\xbf\xbd[31m" },
    { "bidi \xe2\x80\xae" "fdp.exe", TRUE, "bidi \\u202Efdp.exe" },
    { "Indonesia: “berkas” ✓ back\\slash", TRUE, "Indonesia: “berkas” ✓ back\\slash" },
  };

  g_assert_null (dossier_escape_for_terminal (NULL, TRUE));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = dossier_escape_for_terminal (cases[i].in, cases[i].one_line);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
}

/* -------------------------------------------------------------------------- */
/* Through an upload: a loopback provider that answers what the test says     */

typedef struct
{
  guint       status;
  const char *body;
  const char *request_id;
} Answer;

static void
answer_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const Answer *answer = user_data;

  soup_server_message_set_status (msg, answer->status, NULL);
  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "X-Request-Id", answer->request_id);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    answer->body, strlen (answer->body));
}

static DossierUpload *
upload_with_token (DossierTestFixture *fx,
                   const char         *token,
                   const Answer       *answer,
                   DossierSubmission **out_submission)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProvider) provider = NULL;
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 1000, FALSE);
  g_autoptr(GFile) file = dossier_test_write_file (fx->dir, "tt.png", png);
  g_autofree char *descriptor = NULL;
  DossierSubmission *submission;
  DossierUpload *upload;

  soup_server_add_handler (server, NULL, answer_cb, (gpointer) answer, NULL);
  descriptor = dossier_test_answer_descriptor (dossier_test_server_listen (server, 0));
  provider = dossier_provider_new_from_data (descriptor, -1, "answer", &error);
  g_assert_no_error (error);

  submission = dossier_test_submission_new (provider, NULL, token, NULL, NULL);
  dossier_submission_set_environment (submission, "local");
  upload = dossier_submission_add_file (submission, file);
  dossier_test_run_to_end (submission);

  *out_submission = submission;
  return upload;
}

static DossierHistoryEntry *
newest_entry (void)
{
  DossierHistory *history = dossier_history_get_default ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), >, 0);
  return g_list_model_get_item (G_LIST_MODEL (history), 0);
}

/* A one-letter token: ids, links, messages and the history are intact */
static void
test_short_token (DossierTestFixture *fx,
                  gconstpointer       data)
{
  const Answer ok = { 200, "{ \"id\": \"txt-t-1\", \"link\": \"http://127.0.0.1/t/txt-t-1\" }", "req-tt" };
  const Answer refused = { 400, "{ \"message\": \"that token is not valid\" }", "req-t" };
  g_autoptr(DossierSubmission) s1 = NULL;
  g_autoptr(DossierSubmission) s2 = NULL;
  g_autoptr(DossierHistoryEntry) entry = NULL;
  const DossierResult *result;
  DossierUpload *upload;

  upload = upload_with_token (fx, "t", &ok, &s1);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  result = dossier_upload_get_result (upload);
  g_assert_cmpstr (result->remote_id, ==, "txt-t-1");
  g_assert_cmpstr (result->link, ==, "http://127.0.0.1/t/txt-t-1");
  g_assert_cmpstr (result->request_id, ==, "req-tt");
  entry = newest_entry ();
  g_assert_cmpstr (dossier_history_entry_get_remote_id (entry), ==, "txt-t-1");
  g_assert_cmpstr (dossier_history_entry_get_link (entry), ==, "http://127.0.0.1/t/txt-t-1");
  g_assert_cmpstr (dossier_history_entry_get_file_name (entry), ==, "tt.png");
  g_clear_object (&entry);

  upload = upload_with_token (fx, "t", &refused, &s2);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  result = dossier_upload_get_result (upload);
  g_assert_cmpstr (result->message, ==, "that token is not valid");
  g_assert_cmpstr (result->request_id, ==, "req-t");
  g_assert_nonnull (strstr (dossier_upload_get_problem (upload), "that token is not valid"));
  entry = newest_entry ();
  g_assert_cmpstr (dossier_history_entry_get_message (entry), ==, "that token is not valid");
  g_assert_cmpstr (dossier_history_entry_get_request_id (entry), ==, "req-t");
  g_assert_finalize_object (g_steal_pointer (&s1));
  g_assert_finalize_object (g_steal_pointer (&s2));
}

/* A long token echoed by the provider: masked in the problem shown to the
 * clerk and in the history (compared quietly: a failure must not print it) */
static void
test_long_token_echoed (DossierTestFixture *fx,
                        gconstpointer       data)
{
  const Answer refused = { 401, "{ \"message\": \"token " LONG_TOKEN " is not valid\" }", "req-1" };
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(DossierHistoryEntry) entry = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  DossierUpload *upload;
  const char *problem;

  upload = upload_with_token (fx, LONG_TOKEN, &refused, &submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  problem = dossier_upload_get_problem (upload);
  g_assert_nonnull (problem);
  g_assert_true (strstr (problem, LONG_TOKEN) == NULL);
  g_assert_true (strstr (dossier_upload_get_result (upload)->message, LONG_TOKEN) == NULL);
  g_assert_true (strstr (dossier_upload_get_result (upload)->message, "token [hidden] is not valid") != NULL);

  entry = newest_entry ();
  node = dossier_history_entry_to_json (entry);
  line = json_to_string (node, FALSE);
  g_assert_true (strstr (line, LONG_TOKEN) == NULL);
  g_assert_true (strstr (dossier_history_entry_get_message (entry), "token [hidden] is not valid") != NULL);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_dir = dossier_test_init_with_state (&argc, &argv, "redact");
  int status;


  g_test_add_func ("/redact/rule", test_rule);
  g_test_add_func ("/redact/escape", test_escape);
#define ADD DOSSIER_TEST_ADD
  ADD ("/redact/short-token", test_short_token);
  ADD ("/redact/long-token-echoed", test_long_token_echoed);
#undef ADD

  status = g_test_run ();
  dossier_test_remove_tree (state_dir);
  return status;
}
