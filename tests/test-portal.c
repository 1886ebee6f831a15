/* test-portal.c: uploads from the document portal's paths, as a Flatpak gets them
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/run-with-portal.sh: a private D-Bus session where the real
 * xdg-document-portal owns org.freedesktop.portal.Documents and serves its
 * FUSE folder at $XDG_RUNTIME_DIR/doc. Inside a Flatpak without
 * --filesystem, the files a user drops or chooses reach Dossier only as
 * paths in that folder (doc/ID/NAME): a file is exported here through
 * Documents.Add, as the FileTransfer and FileChooser portals do, then sent
 * from its portal path through the engine (a GFile of the path, and of the
 * file:// URI a drop gives) and through dossier-cli to the sandbox.
 */

/* O_PATH */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>

#include "dossier-sandbox.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

#define NAME "KTP Budi Santoso.png"

typedef struct
{
  DossierSandbox  *sandbox;
  char            *dir;
  GDBusConnection *bus;
  char            *mount;     /* the portal's folder */
  GFile           *original;  /* NAME in dir, outside the portal */
  char            *sha256;    /* the original's */
  char            *doc_id;
  char            *doc_path;  /* mount/doc_id/NAME */
} Fixture;

/* Whether /proc/mounts has a FUSE file system mounted at @path (the
 * portal refuses statfs) */
static gboolean
is_fuse_mount (const char *path)
{
  g_autofree char *mounts = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents ("/proc/mounts", &mounts, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (mounts, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);

      if (g_strv_length (fields) >= 3 && g_str_equal (fields[1], path) &&
          g_str_has_prefix (fields[2], "fuse"))
        return TRUE;
    }
  return FALSE;
}

static GVariant *
documents_call (Fixture     *fx,
                const char  *method,
                GVariant    *parameters,
                GUnixFDList *fds)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_with_unix_fd_list_sync (fx->bus,
                                                         "org.freedesktop.portal.Documents",
                                                         "/org/freedesktop/portal/documents",
                                                         "org.freedesktop.portal.Documents",
                                                         method, parameters, NULL,
                                                         G_DBUS_CALL_FLAGS_NONE, 30000,
                                                         fds, NULL, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* Exports @fx->original as a document, the way the FileTransfer portal
 * does for a drop: an O_PATH descriptor handed to Documents.Add */
static void
export_original (Fixture *fx)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (fx->original);
  int fd = open (path, O_PATH | O_CLOEXEC);
  int handle;

  g_assert_cmpint (fd, >=, 0);
  handle = g_unix_fd_list_append (fds, fd, &error);
  g_assert_no_error (error);
  close (fd);

  reply = documents_call (fx, "Add", g_variant_new ("(hbb)", handle, TRUE, FALSE), fds);
  g_variant_get (reply, "(s)", &fx->doc_id);
  g_assert_cmpstr (fx->doc_id, !=, "");
  fx->doc_path = g_build_filename (fx->mount, fx->doc_id, NAME, NULL);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GBytes) bytes = NULL;

  fx->sandbox = dossier_test_sandbox_new (TRUE);
  fx->dir = g_dir_make_tmp ("dossier-test-portal-XXXXXX", &error);
  g_assert_no_error (error);
  fx->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  reply = documents_call (fx, "GetMountPoint", NULL, NULL);
  g_variant_get (reply, "(^ay)", &fx->mount);
  g_assert_true (is_fuse_mount (fx->mount));

  /* 300 KB: many reads through FUSE, several multipart chunks */
  bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 300 * 1000 + 7, TRUE);
  fx->original = dossier_test_write_file (fx->dir, NAME, bytes);
  fx->sha256 = dossier_test_file_sha256 (fx->original);
  export_original (fx);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  dossier_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->mount);
  g_free (fx->doc_id);
  g_free (fx->doc_path);
  g_free (fx->sha256);
  g_clear_object (&fx->original);
  g_clear_object (&fx->bus);
  g_assert_finalize_object (fx->sandbox);
}

/* The portal path is a file of the FUSE folder, named after the document */
static void
assert_portal_path (Fixture *fx)
{
  g_autoptr(GFile) file = g_file_new_for_path (fx->doc_path);
  g_autofree char *sha = dossier_test_file_sha256 (file);
  g_autofree char *top = g_strconcat (fx->mount, "/", NULL);

  g_assert_true (g_str_has_prefix (fx->doc_path, top));
  g_assert_cmpstr (sha, ==, fx->sha256);
}

/* @file (a portal path) sent to the sandbox through the engine, as the
 * window sends what was dropped: stored byte for byte, under the
 * document's name */
static void
send_through_engine (Fixture *fx,
                     GFile   *file)
{
  g_autoptr(DossierSubmission) submission =
    dossier_test_submission_by_id (fx->sandbox, "doku", DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(DossierUpload) upload = NULL;
  g_autoptr(JsonObject) record = NULL;

  /* the window hands its drops to the submission as a list */
  g_list_store_append (files, file);
  dossier_submission_add_files (submission, G_LIST_MODEL (files));
  while (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 0)
    g_main_context_iteration (NULL, TRUE);
  upload = g_list_model_get_item (dossier_submission_get_uploads (submission), 0);
  g_assert_cmpstr (dossier_upload_get_display_name (upload), ==, NAME);
  dossier_test_run_to_end (submission);

  dossier_test_assert_stored (fx->sandbox, upload);
  record = dossier_test_find_received (fx->sandbox, dossier_upload_get_result (upload)->remote_id);
  g_assert_cmpstr (json_object_get_string_member (record, "sha256"), ==, fx->sha256);
  g_assert_cmpstr (json_object_get_string_member (record, "file_name"), ==, NAME);
  g_assert_cmpint (json_object_get_int_member (record, "size"), ==, 300 * 1000 + 7);
}

static void
test_engine_path (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (fx->doc_path);

  assert_portal_path (fx);
  send_through_engine (fx, file);
}

/* GTK's drop gives a file:// URI (text/uri-list) for the portal path */
static void
test_engine_uri (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (fx->doc_path, NULL, &error);
  g_autoptr(GFile) file = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (uri, "KTP%20Budi%20Santoso.png"));
  file = g_file_new_for_uri (uri);
  send_through_engine (fx, file);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Outcome;

static Outcome
run_cli (Fixture    *fx,
         const char *path)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (fx->dir, "config", NULL);
  const char *cli = g_getenv ("DOSSIER_CLI");
  Outcome o = { 0 };

  g_assert_nonnull (cli);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "DOSSIER_SANDBOX_URL",
                                dossier_sandbox_get_base_url (fx->sandbox), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DOSSIER_TOKEN");
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "upload", "--provider", "doku",
                                         "--json", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &o.out, &o.err, &error);
  g_assert_no_error (error);
  o.status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", o.status, o.out, o.err);
  return o;
}

static void
test_cli (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;
  Outcome o;
  JsonObject *line;

  assert_portal_path (fx);
  o = run_cli (fx, fx->doc_path);
  g_assert_cmpint (o.status, ==, 0);
  json_parser_load_from_data (parser, o.out, -1, &error);
  g_assert_no_error (error);
  line = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (line, "status"), ==, "done");

  record = dossier_test_find_received (fx->sandbox, json_object_get_string_member (line, "id"));
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "sha256"), ==, fx->sha256);
  g_assert_cmpstr (json_object_get_string_member (record, "file_name"), ==, NAME);
  g_free (o.out);
  g_free (o.err);
}

/* The document is removed from the portal (Documents.Delete: the user
 * revoked it, or the portal forgot it) after the file was added and checked,
 * before it is sent: the upload fails with a message that names the file
 * and says what happened, nothing reaches the provider, the user's own file
 * is untouched, and the upload stays in the list */
static void
test_deleted_before_send (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(DossierSubmission) submission =
    dossier_test_submission_by_id (fx->sandbox, "doku", DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (fx->doc_path);
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *sha_after = NULL;
  DossierUpload *upload;
  const char *problem;
  Outcome o;

  upload = dossier_submission_add_file (submission, file);
  dossier_test_wait_false (submission, "validating");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);

  reply = documents_call (fx, "Delete", g_variant_new ("(s)", fx->doc_id), NULL);
  g_assert_false (g_file_test (fx->doc_path, G_FILE_TEST_EXISTS));

  dossier_test_run_to_end (submission);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  problem = dossier_upload_get_problem (upload);
  g_test_message ("problem: %s", problem);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "“" NAME "”"));
  g_assert_null (strstr (problem, fx->doc_id));
  g_assert_cmpuint (g_list_model_get_n_items (dossier_submission_get_uploads (submission)), ==, 1);
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);

  /* the same through dossier-cli: a plain message, nothing sent */
  o = run_cli (fx, fx->doc_path);
  g_assert_cmpint (o.status, !=, 0);
  g_assert_nonnull (strstr (o.err, "“" NAME "”"));
  g_assert_nonnull (strstr (o.err, "does not exist (any more)"));
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), ==, 0);
  g_free (o.out);
  g_free (o.err);

  /* the portal only forgot its entry: the user's file is as it was */
  sha_after = dossier_test_file_sha256 (fx->original);
  g_assert_cmpstr (sha_after, ==, fx->sha256);
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  /* only under run-with-portal.sh, which starts the portal */
  if (g_strcmp0 (g_getenv ("DOSSIER_TEST_PORTAL"), "1") != 0)
    g_error ("run me through tests/run-with-portal.sh");

  g_test_add ("/portal/engine/path", Fixture, NULL, fixture_set_up, test_engine_path, fixture_tear_down);
  g_test_add ("/portal/engine/uri", Fixture, NULL, fixture_set_up, test_engine_uri, fixture_tear_down);
  g_test_add ("/portal/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add ("/portal/deleted-before-send", Fixture, NULL, fixture_set_up, test_deleted_before_send,
              fixture_tear_down);
  return g_test_run ();
}
