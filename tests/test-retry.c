/* test-retry.c: the retry law of DESIGN.md, one row per case
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * _dossier_retry_decide() is pure: each row gives what an attempt ended
 * with and what must become of the upload. The end-to-end behaviour (the
 * sandbox's faults, the words the user reads) is tested in test-upload.c,
 * test-chunked.c and test-trust-engine.c.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "dossier-retry-private.h"

#define N_ATTEMPTS      DOSSIER_RETRY_MAX_ATTEMPTS
#define NO_RA    (-1)   /* no Retry-After */

#define NOT_STARTED DOSSIER_TRANSFER_SENT_NOT_STARTED
#define NOTHING     DOSSIER_TRANSFER_SENT_NOTHING
#define PART        DOSSIER_TRANSFER_SENT_PART
#define WHOLE       DOSSIER_TRANSFER_SENT_WHOLE

#define E_CANCELLED DOSSIER_RETRY_ERROR_CANCELLED
#define E_LOCAL     DOSSIER_RETRY_ERROR_LOCAL
#define E_TIMED_OUT DOSSIER_RETRY_ERROR_TIMED_OUT
#define E_NETWORK   DOSSIER_RETRY_ERROR_NETWORK
#define E_TLS       DOSSIER_RETRY_ERROR_TLS
#define E_PROTOCOL  DOSSIER_RETRY_ERROR_PROTOCOL
#define E_OTHER     DOSSIER_RETRY_ERROR_OTHER

#define DONE      DOSSIER_RETRY_DONE
#define AUTH      DOSSIER_RETRY_AUTH
#define WAIT      DOSSIER_RETRY_WAIT
#define FAIL      DOSSIER_RETRY_FAIL
#define UNKNOWN   DOSSIER_RETRY_UNKNOWN
#define CANCELLED DOSSIER_RETRY_CANCELLED

typedef struct
{
  const char          *name;
  DossierRetryInput    in;       /* max_attempts 0 means N_ATTEMPTS */
  DossierRetryVerdict  verdict;
  gint64               wait_ms;
} Row;

/* Every row spells its Retry-After (NO_RA for none) and its attempt */
static const Row rows[] = {
  /* the server's word */
  { "200 with the file's id -> DONE",
    { .answer_success = TRUE, .http_status = 200, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    DONE, 0 },
  { "201 with the file's id on attempt 4 of 4 -> DONE",
    { .answer_success = TRUE, .http_status = 201, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 4 },
    DONE, 0 },
  { "stored although stopped at the last moment -> DONE",
    { .answer_success = TRUE, .http_status = 200, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1,
      .stopped = TRUE },
    DONE, 0 },
  { "200 without id after the whole body -> UNKNOWN",
    { .http_status = 200, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },
  { "204 without id after the whole body on attempt 4 of 4 -> UNKNOWN",
    { .http_status = 204, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 4 },
    UNKNOWN, 0 },
  { "400 refused after the whole body -> FAIL",
    { .http_status = 400, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "422 refused after the whole body -> FAIL",
    { .http_status = 422, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 2 },
    FAIL, 0 },
  { "413 answered before the body was whole -> FAIL",
    { .http_status = 413, .sent = PART, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "302 answer, not followed, after the whole body -> FAIL",
    { .http_status = 302, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },

  /* a busy server */
  { "503 with Retry-After 2 s on attempt 1 -> WAIT 2000",
    { .http_status = 503, .sent = WHOLE, .retry_after_ms = 2000, .attempt = 1 },
    WAIT, 2000 },
  { "429 with Retry-After 0 s on attempt 3 -> WAIT 0",
    { .http_status = 429, .sent = WHOLE, .retry_after_ms = 0, .attempt = 3 },
    WAIT, 0 },
  { "429 with Retry-After 5 s before the body was whole -> WAIT 5000",
    { .http_status = 429, .sent = PART, .retry_after_ms = 5000, .attempt = 2 },
    WAIT, 5000 },
  { "503 with Retry-After 2 min -> WAIT 60000 at most",
    { .http_status = 503, .sent = WHOLE, .retry_after_ms = 120000, .attempt = 1 },
    WAIT, DOSSIER_RETRY_MAX_WAIT_MS },
  { "503 with Retry-After on attempt 4 of 4 -> FAIL",
    { .http_status = 503, .sent = WHOLE, .retry_after_ms = 1000, .attempt = 4 },
    FAIL, 0 },
  { "429 with Retry-After on attempt 1 of 1 -> FAIL",
    { .http_status = 429, .sent = NOTHING, .retry_after_ms = 1000, .attempt = 1, .max_attempts = 1 },
    FAIL, 0 },
  { "429 without Retry-After after the whole body -> FAIL",
    { .http_status = 429, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "500 with Retry-After after the whole body -> UNKNOWN",
    { .http_status = 500, .sent = WHOLE, .retry_after_ms = 2000, .attempt = 1 },
    UNKNOWN, 0 },

  /* a server failure: taken, maybe */
  { "503 without Retry-After after the whole body -> UNKNOWN",
    { .http_status = 503, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },
  { "500 after the whole body -> UNKNOWN",
    { .http_status = 500, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },
  { "502 after the whole body -> UNKNOWN",
    { .http_status = 502, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 2 },
    UNKNOWN, 0 },
  { "504 after the whole body on attempt 4 of 4 -> UNKNOWN",
    { .http_status = 504, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 4 },
    UNKNOWN, 0 },
  { "500 before the body was whole -> FAIL",
    { .http_status = 500, .sent = PART, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "503 without Retry-After to a step before the upload -> FAIL",
    { .http_status = 503, .sent = NOT_STARTED, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },

  /* a refused token */
  { "401 with a fetched token not yet retried -> RETRY_AUTH",
    { .http_status = 401, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1,
      .auth_refreshable = TRUE },
    AUTH, 0 },
  { "401 with a fetched token on attempt 4 of 4 -> RETRY_AUTH",
    { .http_status = 401, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 4,
      .auth_refreshable = TRUE },
    AUTH, 0 },
  { "401 again with the fresh token -> FAIL",
    { .http_status = 401, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 2,
      .auth_retried = TRUE, .auth_refreshable = TRUE },
    FAIL, 0 },
  { "401 with a pasted token -> FAIL",
    { .http_status = 401, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "403 with a fetched token -> FAIL",
    { .http_status = 403, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1,
      .auth_refreshable = TRUE },
    FAIL, 0 },

  /* the connection */
  { "connection refused on attempt 1 -> WAIT 1000",
    { .error = E_NETWORK, .sent = NOTHING, .retry_after_ms = NO_RA, .attempt = 1 },
    WAIT, 1000 },
  { "connection refused on attempt 3 -> WAIT 4000",
    { .error = E_NETWORK, .sent = NOTHING, .retry_after_ms = NO_RA, .attempt = 3 },
    WAIT, 4000 },
  { "connection refused on attempt 4 of 4 -> FAIL",
    { .error = E_NETWORK, .sent = NOTHING, .retry_after_ms = NO_RA, .attempt = 4 },
    FAIL, 0 },
  { "reset after part of the body on attempt 2 -> WAIT 2000",
    { .error = E_NETWORK, .sent = PART, .retry_after_ms = NO_RA, .attempt = 2 },
    WAIT, 2000 },
  { "reset after part of the body with Retry-After 3 s -> WAIT 3000",
    { .error = E_NETWORK, .sent = PART, .retry_after_ms = 3000, .attempt = 1 },
    WAIT, 3000 },
  { "reset after the whole body -> UNKNOWN",
    { .error = E_NETWORK, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },
  { "token request unreachable, upload not started -> WAIT 1000",
    { .error = E_NETWORK, .sent = NOT_STARTED, .retry_after_ms = NO_RA, .attempt = 1 },
    WAIT, 1000 },

  /* slowness */
  { "timeout with nothing written on attempt 1 -> WAIT 1000",
    { .error = E_TIMED_OUT, .sent = NOTHING, .retry_after_ms = NO_RA, .attempt = 1 },
    WAIT, 1000 },
  { "timeout with nothing written on attempt 2 -> WAIT 2000",
    { .error = E_TIMED_OUT, .sent = NOTHING, .retry_after_ms = 9000, .attempt = 2 },
    WAIT, 2000 },
  { "timeout with nothing written on attempt 4 of 4 -> FAIL",
    { .error = E_TIMED_OUT, .sent = NOTHING, .retry_after_ms = NO_RA, .attempt = 4 },
    FAIL, 0 },
  { "timeout after part of the body -> FAIL",
    { .error = E_TIMED_OUT, .sent = PART, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "timeout after the whole body -> UNKNOWN",
    { .error = E_TIMED_OUT, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },
  { "timeout of the token request -> FAIL",
    { .error = E_TIMED_OUT, .sent = NOT_STARTED, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },

  /* answers not understood, untrusted servers, other steps */
  { "302 not followed after the whole body -> UNKNOWN",
    { .error = E_PROTOCOL, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },
  { "answer too large after the whole body -> UNKNOWN",
    { .error = E_PROTOCOL, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 3 },
    UNKNOWN, 0 },
  { "token request redirected, upload not started -> FAIL",
    { .error = E_PROTOCOL, .sent = NOT_STARTED, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "untrusted certificate -> FAIL",
    { .error = E_TLS, .sent = NOTHING, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "insecure URL refused before sending -> FAIL",
    { .error = E_OTHER, .sent = NOT_STARTED, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "other error after the whole body -> UNKNOWN",
    { .error = E_OTHER, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },

  /* the file itself */
  { "file unreadable in the middle of the body -> FAIL",
    { .error = E_LOCAL, .sent = PART, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },
  { "file changed, noticed after the whole body -> FAIL",
    { .error = E_LOCAL, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    FAIL, 0 },

  /* the user */
  { "cancelled before the body was whole -> CANCELLED",
    { .error = E_CANCELLED, .sent = PART, .retry_after_ms = NO_RA, .attempt = 1 },
    CANCELLED, 0 },
  { "cancelled while waiting for the token -> CANCELLED",
    { .error = E_CANCELLED, .sent = NOT_STARTED, .retry_after_ms = NO_RA, .attempt = 2 },
    CANCELLED, 0 },
  { "cancelled after the whole body -> UNKNOWN",
    { .error = E_CANCELLED, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1 },
    UNKNOWN, 0 },
  { "stopped while a 503 with Retry-After came back -> CANCELLED",
    { .http_status = 503, .sent = NOTHING, .retry_after_ms = 1000, .attempt = 1, .stopped = TRUE },
    CANCELLED, 0 },
  { "stopped while a 401 came back after the whole body -> UNKNOWN",
    { .http_status = 401, .sent = WHOLE, .retry_after_ms = NO_RA, .attempt = 1, .stopped = TRUE,
      .auth_refreshable = TRUE },
    UNKNOWN, 0 },
};

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  DossierRetryInput in = row->in;
  DossierRetryVerdict verdict;
  gint64 wait_ms = -42;

  if (in.max_attempts == 0)
    in.max_attempts = N_ATTEMPTS;

  verdict = _dossier_retry_decide (&in, &wait_ms);
  if (verdict != row->verdict || wait_ms != row->wait_ms)
    g_error ("%s: got %s %" G_GINT64_FORMAT, row->name,
             _dossier_retry_verdict_to_string (verdict), wait_ms);
}

/* The law over every combination of the facts, not only the rows */
static void
test_invariants (void)
{
  static const guint statuses[] = { 0, 200, 201, 204, 302, 400, 401, 403, 404, 413, 422, 429,
                                    500, 502, 503, 504 };
  static const gint64 retry_afters[] = { -1, 0, 1500, 60000, 3600000 };
  guint n = 0;

  for (int error = DOSSIER_RETRY_ERROR_NONE; error <= DOSSIER_RETRY_ERROR_OTHER; error++)
    for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
      for (int sent = NOT_STARTED; sent <= WHOLE; sent++)
        for (guint r = 0; r < G_N_ELEMENTS (retry_afters); r++)
          for (guint attempt = 1; attempt <= N_ATTEMPTS; attempt++)
            for (guint flags = 0; flags < 16; flags++)
              {
                DossierRetryInput in = { 0, };
                DossierRetryVerdict verdict;
                gint64 wait_ms = -42;

                /* an answer or an error, never both */
                if ((error == DOSSIER_RETRY_ERROR_NONE) != (statuses[s] != 0))
                  continue;

                in.error = error;
                in.http_status = statuses[s];
                in.answer_success = (flags & 1) && statuses[s] >= 200 && statuses[s] < 300;
                in.sent = sent;
                in.retry_after_ms = retry_afters[r];
                in.attempt = attempt;
                in.max_attempts = N_ATTEMPTS;
                in.stopped = (flags & 2) != 0;
                in.auth_retried = (flags & 4) != 0;
                in.auth_refreshable = (flags & 8) != 0;

                verdict = _dossier_retry_decide (&in, &wait_ms);
                n++;

                /* stored exactly when the answer says so */
                g_assert_true ((verdict == DONE) == in.answer_success);
                /* a wait only for a WAIT, never more than the cap */
                if (verdict == WAIT)
                  {
                    g_assert_cmpint (wait_ms, >=, 0);
                    g_assert_cmpint (wait_ms, <=, DOSSIER_RETRY_MAX_WAIT_MS);
                    /* never past the attempts */
                    g_assert_cmpuint (attempt, <, N_ATTEMPTS);
                  }
                else
                  g_assert_cmpint (wait_ms, ==, 0);
                /* after the whole body, sent again by itself only when the
                 * server said it did not take it and when to come back */
                if (sent == WHOLE && verdict == WAIT)
                  g_assert_true (_dossier_retry_says_come_back (in.http_status, in.retry_after_ms));
                /* a file that could not be read is no network's doing */
                if (error == DOSSIER_RETRY_ERROR_LOCAL && !in.stopped)
                  g_assert_cmpint (verdict, ==, FAIL);
                /* a refused token is fetched anew once, never for a pasted one */
                if (verdict == AUTH)
                  g_assert_true (in.http_status == 401 && !in.auth_retried && in.auth_refreshable);
                /* the user's stop is obeyed */
                if (in.stopped && !in.answer_success)
                  g_assert_cmpint (verdict, ==, sent == WHOLE ? UNKNOWN : CANCELLED);
                /* not sent again is never "outcome unknown" without the whole body */
                if (verdict == UNKNOWN)
                  g_assert_cmpint (sent, ==, WHOLE);
              }

  g_assert_cmpuint (n, >, 1000);
}

/* The kinds of error the law tells apart, from real errors */
static void
test_classify (void)
{
  struct
  {
    GQuark            domain;
    int               code;
    DossierRetryError kind;
  } table[] = {
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, DOSSIER_RETRY_ERROR_CANCELLED },
    { DOSSIER_ERROR, DOSSIER_ERROR_FILE, DOSSIER_RETRY_ERROR_LOCAL },
    { DOSSIER_ERROR, DOSSIER_ERROR_INVALID, DOSSIER_RETRY_ERROR_LOCAL },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, DOSSIER_RETRY_ERROR_TIMED_OUT },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, DOSSIER_RETRY_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, DOSSIER_RETRY_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, DOSSIER_RETRY_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, DOSSIER_RETRY_ERROR_NETWORK },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, DOSSIER_RETRY_ERROR_NETWORK },
    { SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING, DOSSIER_RETRY_ERROR_NETWORK },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, DOSSIER_RETRY_ERROR_TLS },
    { DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, DOSSIER_RETRY_ERROR_PROTOCOL },
    { DOSSIER_ERROR, DOSSIER_ERROR_INSECURE, DOSSIER_RETRY_ERROR_OTHER },
    { DOSSIER_ERROR, DOSSIER_ERROR_AUTH, DOSSIER_RETRY_ERROR_OTHER },
    { G_IO_ERROR, G_IO_ERROR_NOT_FOUND, DOSSIER_RETRY_ERROR_OTHER },
    { G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, DOSSIER_RETRY_ERROR_OTHER },
  };

  g_assert_cmpint (_dossier_retry_classify_error (NULL), ==, DOSSIER_RETRY_ERROR_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (table[i].domain, table[i].code, "x");

      g_assert_cmpint (_dossier_retry_classify_error (error), ==, table[i].kind);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_assert_cmpuint (G_N_ELEMENTS (rows), >=, 20);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/retry/law/%s", rows[i].name);

      g_test_add_data_func (path, &rows[i], test_row);
    }
  g_test_add_func ("/retry/invariants", test_invariants);
  g_test_add_func ("/retry/classify", test_classify);

  return g_test_run ();
}
