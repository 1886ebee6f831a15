/* dossier-test-util.h: helpers shared by the engine and CLI tests
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dossier-checklist.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"

G_BEGIN_DECLS

/* A sandbox in this context and a temporary folder, for g_test_add() */
typedef struct
{
  DossierSandbox *sandbox;
  char           *dir;
} DossierTestFixture;

void               dossier_test_fixture_set_up   (DossierTestFixture *fx,
                                                  gconstpointer       data);
void               dossier_test_fixture_tear_down (DossierTestFixture *fx,
                                                   gconstpointer       data);
/* g_test_add() of a test that takes a DossierTestFixture */
#define DOSSIER_TEST_ADD(path, func) \
  g_test_add (path, DossierTestFixture, NULL, dossier_test_fixture_set_up, func, \
              dossier_test_fixture_tear_down)

/* LC_ALL=C.UTF-8 (the tests compare the untranslated messages), then
 * g_test_init() */
void               dossier_test_init             (int                *argc,
                                                  char             ***argv);
/* The same, with XDG_STATE_HOME set to a new scratch folder named after
 * @name; its path, to remove (dossier_test_remove_tree()) after the run */
char              *dossier_test_init_with_state  (int                *argc,
                                                  char             ***argv,
                                                  const char         *name);

/* The 16 first bytes of a PNG file: signature and IHDR header */
#define DOSSIER_TEST_PNG_HEAD "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"

/* A safety net, not a time limit: a source that fails the test (g_error)
 * after 60 s, when what it waits for never happened; g_source_remove() it */
guint              dossier_test_timeout_add      (void);
/* A record-error handler: the messages go to @messages (a GPtrArray of
 * strings, freed with g_free) */
void               dossier_test_collect_record_error (DossierSubmission *submission,
                                                      DossierUpload     *upload,
                                                      const char        *message,
                                                      GPtrArray         *messages);
/* Iterates the default main context until the boolean @property is FALSE */
void               dossier_test_wait_false       (gpointer            object,
                                                  const char         *property);
/* A GAsyncReadyCallback that keeps a reference to the result in the
 * GAsyncResult * that @user_data points to (%NULL before) */
void               dossier_test_keep_result_cb   (GObject            *source,
                                                  GAsyncResult       *result,
                                                  gpointer            user_data);
/* Iterates the default main context until *@result is set; returns it */
GAsyncResult      *dossier_test_wait_result      (GAsyncResult      **result);
/* Waits for the checks, starts and waits until nothing runs */
void               dossier_test_run_to_end       (DossierSubmission  *submission);

/* Starts @server (its handlers added) on a free IPv4 loopback port, with
 * @options besides (SOUP_SERVER_LISTEN_HTTPS, or 0); the port */
guint              dossier_test_server_listen    (SoupServer         *server,
                                                  SoupServerListenOptions options);
/* The descriptor of a provider "answer" at http://127.0.0.1:@port, its
 * environment "local": a bearer token, the file in a multipart POST to
 * /upload; the answer's id, link, message and X-Request-Id read */
char              *dossier_test_answer_descriptor (guint              port);
/* A sandbox on a free loopback port, in this context or in its own thread */
DossierSandbox    *dossier_test_sandbox_new      (gboolean            in_thread);
void               dossier_test_add_fault        (DossierSandbox     *sandbox,
                                                  const char         *spec);
/* Records of @operation (all when %NULL) the sandbox received; the last one
 * in @out_last (a reference), when given */
guint              dossier_test_count_received   (DossierSandbox     *sandbox,
                                                  const char         *operation,
                                                  JsonObject        **out_last);
/* The record of the file the sandbox stored as @id, or %NULL */
JsonObject        *dossier_test_find_received    (DossierSandbox     *sandbox,
                                                  const char         *id);

/* data/providers/@id.json */
char              *dossier_test_provider_data    (const char         *id,
                                                  gsize              *out_len);
DossierProvider   *dossier_test_load_provider    (const char         *id);
/* A submission in the "sandbox" environment (when @provider has one), sent
 * to @sandbox (when not %NULL) with these credentials */
DossierSubmission *dossier_test_submission_new   (DossierProvider    *provider,
                                                  DossierSandbox     *sandbox,
                                                  const char         *secret,
                                                  const char         *client_id,
                                                  const char         *client_secret);
/* The same, by provider id, with Moov's sandbox account filled in */
DossierSubmission *dossier_test_submission_by_id (DossierSandbox    *sandbox,
                                                  const char         *provider_id,
                                                  const char         *secret,
                                                  const char         *client_id,
                                                  const char         *client_secret);
DossierSubmission *dossier_test_submission_for   (DossierSandbox     *sandbox,
                                                  DossierProvider    *provider,
                                                  const char         *secret,
                                                  const char         *client_id,
                                                  const char         *client_secret);
/* Runs dossier_submission_check_credentials_async() to its end */
char              *dossier_test_check_credentials (DossierSubmission *submission,
                                                   GError           **error);
/* What @provider_id's answer means: @status, @body (%NULL: none) and, when
 * @header_name is not %NULL, one header; parsed at 2026-01-02 03:04:05 UTC */
DossierResult     *dossier_test_parse_answer     (const char         *provider_id,
                                                  guint               status,
                                                  const char         *body,
                                                  const char         *header_name,
                                                  const char         *header_value);
/* The upload is done and the sandbox stored the same bytes */
void               dossier_test_assert_stored    (DossierSandbox     *sandbox,
                                                  DossierUpload      *upload);

/* Sends @msg from a new session, iterating this context until the answer
 * (so the sandbox may serve in this context too); its status, and in
 * @out_json the body as JSON (%NULL when empty or not JSON) */
guint              dossier_test_send             (SoupMessage        *msg,
                                                  JsonNode          **out_json);
/* Sets DOKU's signed headers on @msg for the sandbox's Client-Id, signed
 * with @secret_key: @request_target is DOKU's path, @body the JSON body of
 * a POST or %NULL for a GET (no Digest line, as DOKU's docs say) */
void               dossier_test_doku_sign        (SoupMessage        *msg,
                                                  const char         *request_target,
                                                  const char         *body,
                                                  const char         *secret_key);

/* @size bytes that start with @head (cut to @size), then random bytes
 * (g_test_rand_int) or a fixed pattern */
GBytes            *dossier_test_bytes_new        (const char         *head,
                                                  gsize               head_len,
                                                  gsize               size,
                                                  gboolean            random);
/* Writes @dir/@name (making the folders it needs) */
GFile             *dossier_test_write_file       (const char         *dir,
                                                  const char         *name,
                                                  GBytes             *bytes);
/* @dir/@name: a PNG head, then @size bytes in all, as dossier_test_bytes_new() */
GFile             *dossier_test_png_file         (const char         *dir,
                                                  const char         *name,
                                                  gsize               size,
                                                  gboolean            random);
char              *dossier_test_file_sha256      (GFile              *file);
/* Deletes @path and, if it is a folder, all below it */
void               dossier_test_remove_tree      (const char         *path);

/* tests/fixtures/checklist/@name, whole; the item of a checklist with a
 * requirement id (fails the test without one) */
char              *dossier_test_checklist_fixture (const char        *name,
                                                   gsize             *length);
DossierChecklistItem *dossier_test_checklist_find  (DossierChecklist  *list,
                                                    const char        *id);

/* A strict RFC 4180 reader: rows (GPtrArray of strings) of fields; a
 * failed assertion on anything the RFC does not allow */
GPtrArray         *dossier_test_read_csv         (const char         *text);

/* Under run-with-keyring.sh: waits for the private Secret Service, fails
 * without it */
void               dossier_test_wait_for_keyring (void);

G_END_DECLS
