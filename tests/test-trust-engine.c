/* test-trust-engine.c: redirects, ambiguous failures and deadlines, against
 * hostile servers on loopback
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing is sent where it should not go (a redirect is never followed, not
 * with the body, not with a credential), a document is never sent twice by
 * itself (only what provably did not reach the server is retried), and a
 * slow server ends in one attempt with a clear message.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <libsoup/soup.h>

#include "dossier-client.h"
#include "dossier-history.h"
#include "dossier-history-entry.h"
#include "dossier-queue-state.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"

#include "dossier-sandbox-private.h"
#include "dossier-transfer-private.h"
#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

#define KORE_KEY  "kore-test-key-0123456789"
#define TOKEN_MARK "steal-me"

/* -------------------------------------------------------------------------- */
/* Hostile servers                                                            */

typedef enum
{
  HOSTILE_REDIRECT,      /* status with a Location on the recorder */
  HOSTILE_DROP,          /* reads the whole body, then drops the connection */
  HOSTILE_STATUS,        /* reads the whole body, then answers status */
  HOSTILE_SILENT,        /* reads the whole body, never answers */
  HOSTILE_TRICKLE,       /* answers 200, then one byte of body every 100 ms */
  HOSTILE_LARGE,         /* reads the whole body, then answers 200 with 2 MB of JSON */
} HostileMode;

typedef struct
{
  SoupServer  *server;
  HostileMode  mode;
  guint        status;
  const char  *retry_after;
  char        *location;
  guint        n_requests;
  guint        n_bodies;           /* requests whose whole body was read */
  gboolean     saw_credential;     /* x-api-key, Authorization or a body */
  GPtrArray   *held;               /* SoupServerMessage paused for good */
  GPtrArray   *sources;
  char        *base_url;
} Hostile;

static void
hostile_early_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Hostile *hostile = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  hostile->n_requests++;
  if (soup_message_headers_get_one (headers, "x-api-key") != NULL ||
      soup_message_headers_get_one (headers, "Authorization") != NULL ||
      soup_message_headers_get_content_length (headers) > 0 ||
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    hostile->saw_credential = TRUE;
}

typedef struct
{
  Hostile           *hostile;
  SoupServerMessage *msg;
  guint              n;
} Trickle;

static gboolean
trickle_cb (gpointer data)
{
  Trickle *trickle = data;

  soup_message_body_append (soup_server_message_get_response_body (trickle->msg),
                            SOUP_MEMORY_STATIC, "{", 1);
  soup_server_message_unpause (trickle->msg);

  return G_SOURCE_CONTINUE;
}

static void
hostile_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Hostile *hostile = user_data;
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  hostile->n_bodies++;

  switch (hostile->mode)
    {
    case HOSTILE_REDIRECT:
      soup_server_message_set_status (msg, hostile->status, NULL);
      soup_message_headers_replace (response, "Location", hostile->location);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"id\":\"redirected\"}", 18);
      break;

    case HOSTILE_DROP:
      g_socket_shutdown (soup_server_message_get_socket (msg), TRUE, TRUE, NULL);
      soup_server_message_set_status (msg, 500, NULL);
      break;

    case HOSTILE_STATUS:
      soup_server_message_set_status (msg, hostile->status, NULL);
      if (hostile->retry_after != NULL)
        soup_message_headers_replace (response, "Retry-After", hostile->retry_after);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"message\":\"bad gateway\"}", 25);
      break;

    case HOSTILE_SILENT:
      soup_server_message_pause (msg);
      g_ptr_array_add (hostile->held, g_object_ref (msg));
      break;

    case HOSTILE_TRICKLE:
      {
        Trickle *trickle = g_new0 (Trickle, 1);
        GSource *source = g_timeout_source_new (100);

        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
        soup_message_headers_set_content_type (response, "application/json", NULL);
        trickle->hostile = hostile;
        trickle->msg = msg;
        g_ptr_array_add (hostile->held, g_object_ref (msg));
        g_source_set_callback (source, trickle_cb, trickle, g_free);
        g_source_attach (source, NULL);
        g_ptr_array_add (hostile->sources, source);
        soup_server_message_pause (msg);
      }
      break;

    case HOSTILE_LARGE:
      {
        gsize size = 2 * 1024 * 1024;
        char *json = g_malloc (size);

        /* {"id":"x","pad":"aaaa…"} */
        memset (json, 'a', size);
        memcpy (json, "{\"id\":\"x\",\"pad\":\"", 18);
        memcpy (json + size - 2, "\"}", 2);
        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json, size);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static Hostile *
hostile_new (HostileMode mode,
             guint       status)
{
  Hostile *hostile = g_new0 (Hostile, 1);

  hostile->mode = mode;
  hostile->status = status;
  hostile->held = g_ptr_array_new_with_free_func (g_object_unref);
  hostile->sources = g_ptr_array_new ();
  hostile->server = soup_server_new (NULL, NULL);
  soup_server_add_early_handler (hostile->server, NULL, hostile_early_cb, hostile, NULL);
  soup_server_add_handler (hostile->server, NULL, hostile_cb, hostile, NULL);
  hostile->base_url = g_strdup_printf ("http://127.0.0.1:%u",
                                       dossier_test_server_listen (hostile->server, 0));

  return hostile;
}

static void
hostile_free (Hostile *hostile)
{
  for (guint i = 0; i < hostile->sources->len; i++)
    {
      g_source_destroy (g_ptr_array_index (hostile->sources, i));
      g_source_unref (g_ptr_array_index (hostile->sources, i));
    }
  g_ptr_array_unref (hostile->sources);
  soup_server_disconnect (hostile->server);
  g_ptr_array_unref (hostile->held);
  g_object_unref (hostile->server);
  g_free (hostile->location);
  g_free (hostile->base_url);
  g_free (hostile);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hostile, hostile_free)

/* -------------------------------------------------------------------------- */

static GFile *
make_png (Fixture    *fx,
          const char *name,
          gsize       size)
{
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, size, FALSE);

  return dossier_test_write_file (fx->dir, name, bytes);
}

/* Kore (the API key in a header) sent to @base_url, or to the sandbox */
static DossierSubmission *
kore_submission (Fixture    *fx,
                 const char *base_url)
{
  g_autoptr(DossierProvider) provider = dossier_test_load_provider ("kore");
  DossierSubmission *submission;

  submission = dossier_test_submission_new (provider, fx->sandbox,
                                            base_url ? KORE_KEY : DOSSIER_SANDBOX_KORE_API_KEY,
                                            NULL, NULL);
  if (base_url != NULL)
    dossier_submission_set_base_url (submission, base_url);

  return submission;
}

/* Credentials of its own for @submission, with the sandbox's Kore key */
static void
set_kore_credentials (DossierSubmission *submission)
{
  g_autoptr(DossierCredentials) credentials = dossier_credentials_new ();

  dossier_credentials_set_secret (credentials, DOSSIER_SANDBOX_KORE_API_KEY);
  dossier_submission_set_credentials (submission, credentials);
}

/* Moov at @base_url, its token requested with client credentials */
static DossierSubmission *
moov_client_submission (DossierProvider *provider,
                        const char      *base_url)
{
  DossierSubmission *submission;

  submission = dossier_test_submission_new (provider, NULL, NULL, "moov-client", "moov-secret-0123");
  dossier_submission_set_base_url (submission, base_url);
  dossier_submission_set_value (submission, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  return submission;
}

static DossierUpload *
add_png (Fixture           *fx,
         DossierSubmission *submission,
         gsize              size)
{
  g_autoptr(GFile) file = make_png (fx, "logo.png", size);

  return dossier_submission_add_file (submission, file);
}

static void
assert_unknown (DossierUpload *upload,
                const char    *problem)
{
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);
  if (problem != NULL)
    g_assert_cmpstr (dossier_upload_get_problem (upload), ==, problem);
  g_assert_true (dossier_upload_is_finished (upload));
}

/* -------------------------------------------------------------------------- */
/* Redirects                                                                  */

static void
check_upload_redirect (Fixture *fx,
                       guint    status)
{
  g_autoptr(Hostile) recorder = hostile_new (HOSTILE_STATUS, 200);
  g_autoptr(Hostile) hostile = hostile_new (HOSTILE_REDIRECT, status);
  g_autoptr(DossierSubmission) submission = kore_submission (fx, hostile->base_url);
  g_autofree char *expected = NULL;
  g_autofree char *target = g_strdup (recorder->base_url + strlen ("http://"));
  DossierUpload *upload;

  hostile->location = g_strdup_printf ("http://user:%s@%s/steal?token=%s#x",
                                       TOKEN_MARK, target, TOKEN_MARK);
  upload = add_png (fx, submission, 100 * 1000);
  dossier_test_run_to_end (submission);

  /* the other origin got nothing: no body, no key */
  g_assert_cmpuint (recorder->n_requests, ==, 0);
  g_assert_false (recorder->saw_credential);
  g_assert_cmpuint (hostile->n_requests, ==, 1);

  /* said where, without the credentials or the query. This server answers
   * once it has read the whole body: the file may have been kept, so the
   * outcome is unknown, not a failure a plain Retry would send again */
  g_assert_cmpuint (hostile->n_bodies, ==, 1);
  expected = g_strdup_printf ("Kore.ai redirected the upload to %s/steal (%u); not followed. "
                              "The whole file was sent before that; it may have arrived: check "
                              "before sending again", recorder->base_url, status);
  assert_unknown (upload, expected);
  g_assert_null (strstr (dossier_upload_get_problem (upload), TOKEN_MARK));
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 1);

  /* not sent again without the user's word, to neither server */
  dossier_submission_retry (submission, upload);
  dossier_submission_start (submission);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_cmpuint (hostile->n_requests, ==, 1);
  g_assert_cmpuint (recorder->n_requests, ==, 0);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_redirect_upload (Fixture       *fx,
                      gconstpointer  data)
{
  static const guint statuses[] = { 301, 302, 303, 307, 308 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    check_upload_redirect (fx, statuses[i]);
}

static void
test_redirect_token (Fixture       *fx,
                     gconstpointer  data)
{
  static const guint statuses[] = { 302, 307 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(Hostile) recorder = hostile_new (HOSTILE_STATUS, 200);
      g_autoptr(Hostile) hostile = hostile_new (HOSTILE_REDIRECT, statuses[i]);
      g_autoptr(DossierProvider) provider = dossier_test_load_provider ("moov");
      g_autoptr(DossierSubmission) submission = NULL;
      DossierUpload *upload;

      hostile->location = g_strdup_printf ("%s/oauth2/token", recorder->base_url);
      submission = moov_client_submission (provider, hostile->base_url);
      upload = add_png (fx, submission, 10 * 1000);
      dossier_upload_set_value (upload, "category", "LOGO");
      dossier_test_run_to_end (submission);

      g_assert_cmpuint (recorder->n_requests, ==, 0);
      g_assert_cmpuint (hostile->n_requests, ==, 1);
      g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
      g_assert_nonnull (strstr (dossier_upload_get_problem (upload),
                                "Moov redirected the token request to http://127.0.0.1:"));
      g_assert_nonnull (strstr (dossier_upload_get_problem (upload), "not followed"));
    }
}

/* -------------------------------------------------------------------------- */
/* What is retried                                                            */

static void
test_drop_after_body (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_new (HOSTILE_DROP, 0);
  g_autoptr(DossierSubmission) submission = kore_submission (fx, hostile->base_url);
  DossierUpload *upload = add_png (fx, submission, 100 * 1000);

  dossier_test_run_to_end (submission);
  g_assert_cmpuint (hostile->n_requests, ==, 1);
  assert_unknown (upload, "The connection broke after the file was sent; it may have arrived: "
                          "check before sending again");

  /* recorded as such, read back from the file */
  {
    DossierHistory *history = dossier_history_get_default ();
    g_autoptr(DossierHistory) again = dossier_history_new_for_path (dossier_history_get_path (history));
    g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (again), 0);

    g_assert_nonnull (entry);
    g_assert_false (dossier_history_entry_get_success (entry));
    g_assert_true (dossier_history_entry_get_outcome_unknown (entry));
    g_assert_cmpstr (dossier_history_entry_get_message (entry), ==,
                     dossier_upload_get_problem (upload));
  }

  /* and never offered again as "not sent" after a restart */
  {
    g_autoptr(DossierQueueState) state = dossier_queue_state_new_for_submission (submission);

    g_assert_cmpuint (dossier_queue_state_get_n_uploads (state), ==, 0);
  }

  /* not sent again without the user's word */
  dossier_submission_retry (submission, upload);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_false (dossier_submission_resend (submission, upload, FALSE));
  g_assert_cmpuint (hostile->n_requests, ==, 1);

  /* with it, once more */
  g_assert_true (dossier_submission_resend (submission, upload, TRUE));
  dossier_test_wait_false (submission, "running");
  g_assert_cmpuint (hostile->n_requests, ==, 2);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
check_status_after_body (Fixture    *fx,
                         guint       status,
                         const char *problem)
{
  g_autoptr(Hostile) hostile = hostile_new (HOSTILE_STATUS, status);
  g_autoptr(DossierSubmission) submission = kore_submission (fx, hostile->base_url);
  DossierUpload *upload = add_png (fx, submission, 100 * 1000);

  dossier_test_run_to_end (submission);
  g_assert_cmpuint (hostile->n_requests, ==, 1);
  assert_unknown (upload, NULL);
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), problem));
  g_assert_true (g_str_has_suffix (dossier_upload_get_problem (upload),
                                   "after the file was sent; it may have arrived: check before "
                                   "sending again"));
  g_assert_cmpuint (dossier_upload_get_result (upload)->http_status, ==, status);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_status_after_body (Fixture       *fx,
                        gconstpointer  data)
{
  check_status_after_body (fx, 502, "Kore.ai’s gateway answered 502");
  check_status_after_body (fx, 504, "Kore.ai’s gateway answered 504");
  /* busy, but without saying it did not take it */
  check_status_after_body (fx, 503, "Kore.ai answered 503");
  check_status_after_body (fx, 500, "Kore.ai answered 500");
  /* taken, but without an id: not a failure either */
  check_status_after_body (fx, 200, "Kore.ai answered 200 without the file’s id");
}

/* 503 and 429 with Retry-After: the server says it did not take it */
static void
test_retry_after (Fixture       *fx,
                  gconstpointer  data)
{
  static const char * const faults[] = { "kore/upload:status=503,retry-after=1",
                                         "kore/upload:status=429,retry-after=1" };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(DossierSubmission) submission = kore_submission (fx, NULL);
      DossierUpload *upload;
      guint before = dossier_test_count_received (fx->sandbox, "upload", NULL);

      dossier_test_add_fault (fx->sandbox, faults[i]);
      upload = add_png (fx, submission, 50 * 1000);
      dossier_test_run_to_end (submission);
      dossier_test_assert_stored (fx->sandbox, upload);
      g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 2);
      g_assert_cmpuint (dossier_test_count_received (fx->sandbox, "upload", NULL), ==, before + 1);
    }
}

typedef struct
{
  DossierSandbox *sandbox;
  guint           port;
  GSocket        *listener;   /* holds the port meanwhile, or NULL */
  GIOStream      *filler;     /* what fills its queue */
} LateStart;

static void
start_when_waiting_cb (DossierUpload *upload,
                       GParamSpec    *pspec,
                       LateStart     *late)
{
  g_autoptr(GError) error = NULL;

  if (dossier_upload_get_state (upload) != DOSSIER_UPLOAD_STATE_WAITING || late->sandbox != NULL)
    return;

  if (late->filler != NULL)
    g_io_stream_close (late->filler, NULL, NULL);
  g_clear_object (&late->filler);
  if (late->listener != NULL)
    g_socket_close (late->listener, NULL);
  g_clear_object (&late->listener);

  late->sandbox = dossier_sandbox_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_sandbox_listen (late->sandbox, late->port, &error));
  g_assert_no_error (error);
}

/* Nobody listens: nothing was sent, so it is sent again by itself */
static void
test_refused (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  LateStart late = { NULL, 0, NULL, NULL };
  DossierUpload *upload;

  /* a free port, closed again */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  late.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u/kore", late.port);
  submission = kore_submission (fx, url);
  dossier_submission_set_credentials (submission, NULL);
  set_kore_credentials (submission);
  upload = add_png (fx, submission, 50 * 1000);
  g_signal_connect (upload, "notify::state", G_CALLBACK (start_when_waiting_cb), &late);
  dossier_test_run_to_end (submission);

  g_assert_nonnull (late.sandbox);
  dossier_test_assert_stored (late.sandbox, upload);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 2);
  g_assert_cmpuint (dossier_test_count_received (late.sandbox, "upload", NULL), ==, 1);
  g_assert_finalize_object (late.sandbox);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* No connection could be made in time (a listener whose queue is full
 * drops the connection request): not a byte was written, so it is sent
 * again by itself, like a refused connection */
static void
test_connect_timeout (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  LateStart late = { NULL, 0, NULL, NULL };
  DossierUpload *upload;

  late.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (late.listener, any, TRUE, &error));
  g_socket_set_listen_backlog (late.listener, 0);
  g_assert_true (g_socket_listen (late.listener, &error));
  bound = g_socket_get_local_address (late.listener, &error);
  g_assert_no_error (error);
  late.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* the one connection its queue holds, never accepted */
  late.filler = G_IO_STREAM (g_socket_client_connect (client, G_SOCKET_CONNECTABLE (bound),
                                                      NULL, &error));
  g_assert_no_error (error);

  dossier_client_set_timeouts (1, 0, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u/kore", late.port);
  submission = kore_submission (fx, url);
  set_kore_credentials (submission);
  upload = add_png (fx, submission, 50 * 1000);
  g_signal_connect (upload, "notify::state", G_CALLBACK (start_when_waiting_cb), &late);
  dossier_test_run_to_end (submission);
  dossier_client_set_timeouts (0, 0, 0);

  g_assert_nonnull (late.sandbox);
  dossier_test_assert_stored (late.sandbox, upload);
  g_assert_cmpuint (dossier_upload_get_attempt (upload), ==, 2);
  g_assert_cmpuint (dossier_test_count_received (late.sandbox, "upload", NULL), ==, 1);
  g_assert_finalize_object (late.sandbox);
}

/* Stopped while its answer was awaited: it may have arrived */
static void
test_cancel_after_body (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_new (HOSTILE_SILENT, 0);
  g_autoptr(DossierSubmission) submission = kore_submission (fx, hostile->base_url);
  DossierUpload *upload = add_png (fx, submission, 100 * 1000);
  guint timeout = dossier_test_timeout_add ();

  dossier_test_wait_false (submission, "validating");
  dossier_submission_start (submission);
  /* the server has it all, and the sending side knows it wrote it all */
  while (hostile->n_bodies == 0 ||
         dossier_upload_get_total_bytes (upload) == 0 ||
         dossier_upload_get_bytes_sent (upload) < dossier_upload_get_total_bytes (upload))
    g_main_context_iteration (NULL, TRUE);
  dossier_submission_cancel (submission, upload);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_cmpstr (dossier_upload_get_problem (upload), ==,
                   "Stopped after the file was sent; it may have arrived: check before sending again");
  dossier_test_wait_false (submission, "running");
  g_source_remove (timeout);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_cmpuint (hostile->n_requests, ==, 1);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* -------------------------------------------------------------------------- */
/* The sandbox stores the file, then the answer is lost                       */

static void
check_store_then (Fixture    *fx,
                  const char *fault,
                  gsize       size,
                  const char *operation,
                  const char *problem_start)
{
  g_autoptr(DossierSubmission) submission = kore_submission (fx, NULL);
  guint before = dossier_test_count_received (fx->sandbox, operation, NULL);
  DossierUpload *upload;

  dossier_test_add_fault (fx->sandbox, fault);
  upload = add_png (fx, submission, size);
  dossier_test_run_to_end (submission);

  /* stored once, and said to be unknown rather than failed or sent again */
  assert_unknown (upload, NULL);
  g_assert_true (g_str_has_prefix (dossier_upload_get_problem (upload), problem_start));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, operation, NULL), ==, before + 1);

  /* the failure's answer is the provider's error alone, whole JSON, not
   * the success it would have sent followed by the error */
  if (strstr (fault, "store-fail") != NULL)
    {
      const DossierResult *result = dossier_upload_get_result (upload);

      g_assert_nonnull (result);
      g_assert_cmpstr (result->message, ==, "Injected fault after storing the file");
    }
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_store_then (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission = kore_submission (fx, NULL);
  DossierUpload *upload;

  check_store_then (fx, "kore/upload:store-fail", 50 * 1000, "upload", "Kore.ai answered 500");
  check_store_then (fx, "kore/upload:store-fail,status=502", 50 * 1000, "upload",
                    "Kore.ai’s gateway answered 502");
  check_store_then (fx, "kore/upload:store-drop", 50 * 1000, "upload",
                    "The connection broke after the file was sent");
  /* Kore's complete stores the file: its lost answer is unknown too */
  check_store_then (fx, "kore/complete:store-drop", 26 * 1000 * 1000, "complete",
                    "The connection broke after the file was sent");

  /* a fault that never happens */
  dossier_sandbox_clear_faults (fx->sandbox);
  dossier_test_add_fault (fx->sandbox, "kore/upload:store-drop,probability=0,times=0");
  upload = add_png (fx, submission, 50 * 1000);
  dossier_test_run_to_end (submission);
  dossier_test_assert_stored (fx->sandbox, upload);
  g_assert_finalize_object (g_steal_pointer (&submission));
}

/* A 2xx answer too large to read, after the whole file was sent: the
 * provider most likely took it; unknown, not failed */
static void
test_large_answer (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_new (HOSTILE_LARGE, 0);
  g_autoptr(DossierSubmission) submission = kore_submission (fx, hostile->base_url);
  DossierUpload *upload = add_png (fx, submission, 100 * 1000);

  dossier_test_run_to_end (submission);
  g_assert_cmpuint (hostile->n_requests, ==, 1);
  assert_unknown (upload, "The server's answer is larger than 1.0\302\240MB; it is not what was "
                          "expected. The whole file was sent before that; it may have arrived: "
                          "check before sending again");

  dossier_submission_retry (submission, upload);
  dossier_submission_start (submission);
  dossier_test_wait_false (submission, "running");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_cmpuint (hostile->n_requests, ==, 1);
}

static void
test_fault_parse (void)
{
  static const char * const bad[] = {
    "kore:store-drop,status=500", "kore:store-fail,drop=10", "kore:store-fail=1",
    "kore:probability=0.5", "kore:status=500,probability=2", "kore:status=500,probability=x",
    "kore:status=500,probability=", "kore:store-drop,malformed-json",
  };
  g_autoptr(DossierSandboxFault) fail = NULL;
  g_autoptr(DossierSandboxFault) drop = NULL;
  g_autoptr(GError) error = NULL;

  fail = dossier_sandbox_fault_parse ("moov/upload:store-fail,status=502,probability=0.25", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fail->store_then, ==, DOSSIER_SANDBOX_STORE_FAIL);
  g_assert_cmpuint (fail->status, ==, 502);
  g_assert_cmpfloat (fail->probability, ==, 0.25);

  drop = dossier_sandbox_fault_parse ("*:store-drop,times=0", &error);
  g_assert_no_error (error);
  g_assert_cmpint (drop->store_then, ==, DOSSIER_SANDBOX_STORE_DROP);
  g_assert_cmpfloat (drop->probability, ==, 1.0);
  g_assert_cmpuint (drop->times, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(DossierSandboxFault) fault = dossier_sandbox_fault_parse (bad[i], &error);

      g_assert_null (fault);
      g_assert_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT);
      g_clear_error (&error);
    }
}

/* -------------------------------------------------------------------------- */
/* A file that cannot be read: a disk's EIO after its first bytes             */

#define FAILING_SIZE (256 * 1024)
#define FAILING_GOOD (64 * 1024)

typedef struct
{
  GFileInputStream parent_instance;
  gsize            position;
} FailingStream;

typedef GFileInputStreamClass FailingStreamClass;

static GType failing_stream_get_type (void);
G_DEFINE_TYPE (FailingStream, failing_stream, G_TYPE_FILE_INPUT_STREAM)

static gssize
failing_stream_read (GInputStream  *stream,
                     void          *buffer,
                     gsize          count,
                     GCancellable  *cancellable,
                     GError       **error)
{
  FailingStream *self = (FailingStream *) stream;
  gsize n;

  if (self->position >= FAILING_GOOD)
    {
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (EIO), g_strerror (EIO));
      return -1;
    }

  n = MIN (count, FAILING_GOOD - self->position);
  memset (buffer, 'x', n);
  if (self->position == 0 && n >= 16)
    memcpy (buffer, DOSSIER_TEST_PNG_HEAD, 16);
  self->position += n;

  return (gssize) n;
}

static GFileInfo *
size_info (void)
{
  GFileInfo *info = g_file_info_new ();

  g_file_info_set_size (info, FAILING_SIZE);
  return info;
}

static GFileInfo *
failing_stream_query_info (GFileInputStream  *stream,
                           const char        *attributes,
                           GCancellable      *cancellable,
                           GError           **error)
{
  return size_info ();
}

static void
failing_stream_class_init (FailingStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = failing_stream_read;
  klass->query_info = failing_stream_query_info;
}

static void
failing_stream_init (FailingStream *self)
{
}

typedef struct
{
  GObject parent_instance;
} FailingFile;

typedef GObjectClass FailingFileClass;

static void failing_file_iface_init (GFileIface *iface);
static GType failing_file_get_type (void);
G_DEFINE_TYPE_WITH_CODE (FailingFile, failing_file, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_FILE, failing_file_iface_init))

static GFile *
failing_file_dup (GFile *file)
{
  return g_object_ref (file);
}

static guint
failing_file_hash (GFile *file)
{
  return g_direct_hash (file);
}

static gboolean
failing_file_equal (GFile *a,
                    GFile *b)
{
  return a == b;
}

static char *
failing_file_get_basename (GFile *file)
{
  return g_strdup ("logo.png");
}

static char *
failing_file_get_uri (GFile *file)
{
  return g_strdup ("failing:///logo.png");
}

static GFileInfo *
failing_file_query_info (GFile                *file,
                         const char           *attributes,
                         GFileQueryInfoFlags   flags,
                         GCancellable         *cancellable,
                         GError              **error)
{
  return size_info ();
}

static GFileInputStream *
failing_file_read (GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return g_object_new (failing_stream_get_type (), NULL);
}

static void
failing_file_iface_init (GFileIface *iface)
{
  iface->dup = failing_file_dup;
  iface->hash = failing_file_hash;
  iface->equal = failing_file_equal;
  iface->get_basename = failing_file_get_basename;
  iface->get_uri = failing_file_get_uri;
  iface->get_parse_name = failing_file_get_uri;
  iface->query_info = failing_file_query_info;
  iface->read_fn = failing_file_read;
}

static void
failing_file_class_init (FailingFileClass *klass)
{
}

static void
failing_file_init (FailingFile *self)
{
}

static void
transfer_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A read error is the disk's, said as such with the file's name, and not
 * taken for the network's (which would be retried) */
static void
test_read_error (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_new (HOSTILE_STATUS, 200);
  g_autoptr(DossierProvider) provider = dossier_test_load_provider ("kore");
  g_autoptr(DossierClient) client = dossier_client_new (2);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GFile) file = g_object_new (failing_file_get_type (), NULL);
  g_autoptr(DossierTransfer) transfer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DossierResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("Could not read “logo.png”: %s", g_strerror (EIO));
  guint timeout = dossier_test_timeout_add ();

  transfer = dossier_transfer_new (provider, client, NULL, hostile->base_url, values);
  dossier_transfer_set_file (transfer, file, "logo.png", "image/png", FAILING_SIZE);
  dossier_transfer_run_async (transfer, NULL, transfer_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  g_assert_false (dossier_transfer_run_body_sent (transfer, result));
  answer = dossier_transfer_run_finish (transfer, result, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_FILE);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_false (dossier_client_is_transient_error (error));
  /* the server never had the whole body */
  g_assert_cmpuint (hostile->n_bodies, ==, 0);
  /* the result holds the transfer as its source */
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&transfer));
}

/* -------------------------------------------------------------------------- */
/* Deadlines                                                                  */

static void
check_too_slow (Fixture     *fx,
                HostileMode  mode)
{
  g_autoptr(Hostile) hostile = hostile_new (mode, 0);
  g_autoptr(DossierSubmission) submission = NULL;
  DossierUpload *upload;

  /* the deadline: 300 ms and the body at a generous rate */
  dossier_client_set_timeouts (0, 300, G_MAXUINT32);
  submission = kore_submission (fx, hostile->base_url);
  upload = add_png (fx, submission, 50 * 1000);
  dossier_test_run_to_end (submission);
  dossier_client_set_timeouts (0, 0, 0);

  g_assert_cmpuint (hostile->n_requests, ==, 1);
  assert_unknown (upload, "Kore.ai answered too slowly; the request was stopped after the file "
                          "was sent; it may have arrived: check before sending again");
  g_assert_finalize_object (g_steal_pointer (&submission));
}

static void
test_never_answers (Fixture       *fx,
                    gconstpointer  data)
{
  check_too_slow (fx, HOSTILE_SILENT);
}

static void
test_trickle (Fixture       *fx,
              gconstpointer  data)
{
  check_too_slow (fx, HOSTILE_TRICKLE);
}

/* The token request times out: the token's own words, nothing about the
 * file (which never went out), and no upload request */
static void
test_token_too_slow (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_new (HOSTILE_SILENT, 0);
  g_autoptr(DossierProvider) provider = dossier_test_load_provider ("moov");
  g_autoptr(DossierSubmission) submission = NULL;
  DossierUpload *upload;

  dossier_client_set_timeouts (0, 300, G_MAXUINT32);
  submission = moov_client_submission (provider, hostile->base_url);
  upload = add_png (fx, submission, 10 * 1000);
  dossier_upload_set_value (upload, "category", "LOGO");
  dossier_test_run_to_end (submission);
  dossier_client_set_timeouts (0, 0, 0);

  g_assert_cmpuint (hostile->n_requests, ==, 1);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_assert_cmpstr (dossier_upload_get_problem (upload), ==,
                   "Could not get a token from Moov: it answered too slowly");
}

static void
test_deadline_scale (void)
{
  g_autoptr(DossierClient) client = dossier_client_new (2);
  g_autoptr(DossierClient) quick = NULL;

  g_assert_cmpint (dossier_client_get_deadline_ms (client, -1), ==, 60 * 1000);
  g_assert_cmpint (dossier_client_get_deadline_ms (client, 0), ==, 60 * 1000);
  g_assert_cmpint (dossier_client_get_deadline_ms (client, 64 * 1024 * 100), ==, 160 * 1000);
  g_assert_cmpint (dossier_client_get_deadline_ms (client, G_MAXINT64 / 2), ==,
                   DOSSIER_CLIENT_MAX_DEADLINE_MS);
  g_assert_cmpuint (dossier_client_get_idle_timeout (client), ==, 30);

  /* the limits are the client's, taken when it is made */
  dossier_client_set_timeouts (5, 300, 1000);
  quick = dossier_client_new (2);
  dossier_client_set_timeouts (0, 0, 0);
  g_assert_cmpuint (dossier_client_get_idle_timeout (quick), ==, 5);
  g_assert_cmpint (dossier_client_get_deadline_ms (quick, 2000), ==, 2300);
  g_assert_cmpuint (dossier_client_get_idle_timeout (client), ==, 30);
  g_assert_cmpuint (soup_session_get_timeout (dossier_client_get_session (quick)), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

#define ADD DOSSIER_TEST_ADD
  ADD ("/trust/redirect/upload", test_redirect_upload);
  ADD ("/trust/redirect/token", test_redirect_token);
  ADD ("/trust/retry/drop-after-body", test_drop_after_body);
  ADD ("/trust/retry/status-after-body", test_status_after_body);
  ADD ("/trust/retry/retry-after", test_retry_after);
  ADD ("/trust/retry/refused", test_refused);
  ADD ("/trust/retry/read-error", test_read_error);
  ADD ("/trust/retry/connect-timeout", test_connect_timeout);
  ADD ("/trust/retry/cancel-after-body", test_cancel_after_body);
  ADD ("/trust/sandbox/store-then", test_store_then);
  g_test_add_func ("/trust/sandbox/fault-parse", test_fault_parse);
  ADD ("/trust/deadline/never-answers", test_never_answers);
  ADD ("/trust/deadline/trickle", test_trickle);
  ADD ("/trust/deadline/token", test_token_too_slow);
  ADD ("/trust/retry/large-answer", test_large_answer);
  g_test_add_func ("/trust/deadline/scale", test_deadline_scale);
#undef ADD

  return g_test_run ();
}
