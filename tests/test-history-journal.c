/* test-history-journal.c: the record written off the main thread
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The writer is held where a test needs lines not written yet: the test
 * takes the file's lock (flock), which the writer waits for.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dossier-history-private.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

/* the state folder of this test, set before anything asks for it */
static char *state_dir;

static char *
temp_path (Fixture    *fx,
           const char *name)
{
  return g_build_filename (fx->dir, "state", "dossier", name, NULL);
}

/* Takes the lock the writer takes for every write: it waits until
 * unlock() */
static int
lock (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  return fd;
}

static void
unlock (int fd)
{
  g_assert_cmpint (flock (fd, LOCK_UN), ==, 0);
  close (fd);
}

static JsonObject *
event_new (const char *event,
           const char *id)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "event", event);
  json_object_set_string_member (object, "upload", id);
  if (g_str_equal (event, "queued"))
    {
      g_autofree char *path = g_strdup_printf ("/m/%s.png", id);
      g_autofree char *name = g_strdup_printf ("%s.png", id);

      json_object_set_string_member (object, "provider_id", "doku");
      json_object_set_string_member (object, "path", path);
      json_object_set_string_member (object, "file_name", name);
    }
  return object;
}

static GPtrArray *
events_new (const char *event,
            const char *id)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_ptr_array_add (events, event_new (event, id));
  return events;
}

static DossierHistoryEntry *
finished_new (const char *id,
              gboolean    success)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  DossierHistoryEntry *entry;

  json_object_set_string_member (object, "finished_at", "2026-03-01T10:00:00Z");
  json_object_set_string_member (object, "provider_id", "doku");
  json_object_set_string_member (object, "provider_name", "DOKU");
  json_object_set_string_member (object, "file_name", "a.png");
  json_object_set_string_member (object, "upload", id);
  json_object_set_boolean_member (object, "success", success);
  json_object_set_string_member (object, "outcome", success ? "sent" : "failed");
  entry = dossier_history_entry_new_from_json (object, &error);
  g_assert_no_error (error);
  return entry;
}

/* Callbacks: each appends its number to a GArray, in the order they run */
typedef struct
{
  GArray *order;
  guint   n;
  guint   n_failed;
  GError *error;       /* the first failure */
} Calls;

typedef struct
{
  Calls *calls;
  guint  n;
} Call;

static Call *
call_new (Calls *calls)
{
  Call *call = g_new0 (Call, 1);

  call->calls = calls;
  call->n = calls->n++;
  return call;
}

static void
call_done (Call    *call,
           GError  *error)
{
  g_array_append_val (call->calls->order, call->n);
  if (error != NULL)
    {
      call->calls->n_failed++;
      if (call->calls->error == NULL)
        call->calls->error = g_error_copy (error);
    }
  g_free (call);
}

static void
events_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  dossier_history_append_events_finish (DOSSIER_HISTORY (object), result, &error);
  call_done (user_data, error);
}

static void
entry_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  dossier_history_append_finish (DOSSIER_HISTORY (object), result, &error);
  call_done (user_data, error);
}

static void
flush_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_history_flush_finish (DOSSIER_HISTORY (object), result, &error));
  call_done (user_data, error);
}

/* Iterates until every callback ran */
static void
wait_calls (Calls *calls)
{
  guint id = dossier_test_timeout_add ();

  while (calls->order->len < calls->n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
calls_clear (Calls *calls)
{
  g_clear_pointer (&calls->order, g_array_unref);
  g_clear_error (&calls->error);
}

static char **
read_lines (const char *path)
{
  g_autofree char *contents = NULL;
  char **lines;
  guint n;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  n = g_strv_length (lines);
  /* after the last line break */
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_clear_pointer (&lines[n - 1], g_free);
  return lines;
}

/* A burst from the main thread while the writer is held: every line is
 * read back at once, and written in the order given, the callbacks run in
 * that order */
static void
test_burst_order (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(DossierHistory) again = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) unsent = NULL;
  g_auto(GStrv) lines = NULL;
  Calls calls = { g_array_new (FALSE, FALSE, sizeof (guint)), 0 };
  int fd;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  fd = lock (path);

  /* a batch of 1000 queued lines in one call, then one line a call */
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *id = g_strdup_printf ("b%04u", i);

      g_ptr_array_add (batch, event_new ("queued", id));
    }
  dossier_history_append_events_async (history, batch, events_cb, call_new (&calls));
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%04u", i);
      g_autoptr(GPtrArray) events = events_new (i % 2 == 0 ? "queued" : "started", id);

      dossier_history_append_events_async (history, events, events_cb, call_new (&calls));
      if (i % 50 == 0)
        dossier_history_flush_async (history, flush_cb, call_new (&calls));
    }

  /* nothing written yet; read back all the same */
  g_assert_cmpint (dossier_history_lookup_state (history, "b0999"), ==, DOSSIER_RECORD_STATE_QUEUED);
  g_assert_cmpint (dossier_history_lookup_state (history, "s0198"), ==, DOSSIER_RECORD_STATE_QUEUED);
  g_assert_cmpint (dossier_history_lookup_state (history, "s0199"), ==, DOSSIER_RECORD_STATE_STARTED);
  unsent = dossier_history_dup_unsent (history);
  g_assert_cmpuint (unsent->len, ==, 1100);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (unsent, 0), "upload"), ==, "b0000");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (unsent, 1099), "upload"), ==, "s0198");
  g_assert_cmpuint (calls.order->len, ==, 0);

  unlock (fd);
  wait_calls (&calls);
  g_assert_cmpuint (calls.n_failed, ==, 0);
  for (guint i = 0; i < calls.order->len; i++)
    g_assert_cmpuint (g_array_index (calls.order, guint, i), ==, i);

  /* on the disk, in order */
  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 1200);
  for (guint i = 0; i < 1200; i++)
    {
      g_autofree char *id = i < 1000 ? g_strdup_printf ("\"b%04u\"", i)
                                     : g_strdup_printf ("\"s%04u\"", i - 1000);

      g_assert_nonnull (strstr (lines[i], id));
    }
  again = dossier_history_new_for_path (path);
  g_assert_cmpint (dossier_history_lookup_state (again, "s0199"), ==, DOSSIER_RECORD_STATE_STARTED);
  calls_clear (&calls);
}

/* A finished line given right after its started line is written after
 * it: the upload reads sent, in this process and from the file */
static void
test_finished_after_started (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(DossierHistory) again = NULL;
  g_auto(GStrv) lines = NULL;
  Calls calls = { g_array_new (FALSE, FALSE, sizeof (guint)), 0 };

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("u%02u", i);
      g_autoptr(GPtrArray) queued = events_new ("queued", id);
      g_autoptr(GPtrArray) started = events_new ("started", id);
      g_autoptr(DossierHistoryEntry) entry = finished_new (id, TRUE);

      dossier_history_append_events_async (history, queued, events_cb, call_new (&calls));
      dossier_history_append_events_async (history, started, events_cb, call_new (&calls));
      dossier_history_append_async (history, entry, entry_cb, call_new (&calls));
      g_assert_cmpint (dossier_history_lookup_state (history, id), ==, DOSSIER_RECORD_STATE_SENT);
      /* some arrive while the writer is busy with the ones before */
      if (i % 3 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 20);
  wait_calls (&calls);
  g_assert_cmpuint (calls.n_failed, ==, 0);

  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 60);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("\"upload\":\"u%02u\"", i);

      g_assert_nonnull (strstr (lines[3 * i], id));
      g_assert_nonnull (strstr (lines[3 * i], "\"queued\""));
      g_assert_nonnull (strstr (lines[3 * i + 1], id));
      g_assert_nonnull (strstr (lines[3 * i + 1], "\"started\""));
      g_assert_nonnull (strstr (lines[3 * i + 2], id));
      g_assert_nonnull (strstr (lines[3 * i + 2], "\"finished_at\""));
    }

  again = dossier_history_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 20);
  g_assert_cmpint (dossier_history_lookup_state (again, "u07"), ==, DOSSIER_RECORD_STATE_SENT);
  calls_clear (&calls);
}

/* What was given to the writer is on the disk when the history goes, and
 * when the process exits right after giving it (no main loop runs again) */
static int child_lock_fd = -1;

/* the first thing exit() does in the child (the handlers run last
 * registered first): the writer may take the lock */
static void
unlock_at_exit (void)
{
  unlock (child_lock_fd);
}

static void
test_flush_at_end (Fixture       *fx,
                   gconstpointer  data)
{
  const char *child_path = g_getenv ("DOSSIER_TEST_HISTORY_PATH");

  if (g_test_subprocess ())
    {
      /* left to exit(): no unref, no iteration */
      DossierHistory *history = dossier_history_new_for_path (child_path);
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

      /* a compaction after the batch: more for the writer to do after
       * exit() began */
      dossier_history_set_max_entries (history, 5);
      child_lock_fd = lock (child_path);
      atexit (unlock_at_exit);

      for (guint i = 0; i < 1000; i++)
        {
          g_autofree char *id = g_strdup_printf ("x%04u", i);

          g_ptr_array_add (batch, event_new ("queued", id));
        }
      dossier_history_append_events_async (history, batch, NULL, NULL);
      for (guint i = 0; i < 10; i++)
        {
          g_autoptr(DossierHistoryEntry) entry = finished_new ("x0001", TRUE);

          dossier_history_append_async (history, entry, NULL, NULL);
        }
      /* the process ends with the writer held until exit() */
      return;
    }
  else
    {
      g_autofree char *path = temp_path (fx, "history.jsonl");
      g_autofree char *exit_path = temp_path (fx, "exit.jsonl");
      g_auto(GStrv) lines = NULL;
      g_autoptr(DossierHistory) again = NULL;
      g_autoptr(GPtrArray) unsent = NULL;
      DossierHistory *history = dossier_history_new_for_path (path);
      Calls calls = { g_array_new (FALSE, FALSE, sizeof (guint)), 0 };

      /* the last reference dropped before the writer is done */
      g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *id = g_strdup_printf ("y%04u", i);
          g_autoptr(GPtrArray) events = events_new ("queued", id);

          dossier_history_append_events_async (history, events, events_cb, call_new (&calls));
        }
      g_object_unref (history);
      wait_calls (&calls);
      while (history != NULL)
        g_main_context_iteration (NULL, TRUE);
      lines = read_lines (path);
      g_assert_cmpuint (g_strv_length (lines), ==, 100);
      calls_clear (&calls);

      g_setenv ("DOSSIER_TEST_HISTORY_PATH", exit_path, TRUE);
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
      g_unsetenv ("DOSSIER_TEST_HISTORY_PATH");
      g_test_trap_assert_passed ();
      /* the 1000 queued lines, compacted, then the finished ones */
      again = dossier_history_new_for_path (exit_path);
      unsent = dossier_history_dup_unsent (again);
      g_assert_cmpuint (unsent->len, ==, 999);
      g_assert_cmpint (dossier_history_lookup_state (again, "x0001"), ==, DOSSIER_RECORD_STATE_SENT);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), >=, 1);
    }
}

/* Writes that really fail: the file is a folder (EISDIR), then the folder
 * is read-only (as root: a file that is a folder is all that fails). The
 * caller gets the error, the model reads the file again, and the
 * submission says it through record-error. */
static void
test_write_fails (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *path = temp_path (fx, "history.jsonl");
  g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
  g_autoptr(GPtrArray) queued = events_new ("queued", "lost");
  g_autoptr(GPtrArray) started = events_new ("started", "lost");
  g_autoptr(DossierHistoryEntry) entry = finished_new ("lost", FALSE);
  Calls calls = { g_array_new (FALSE, FALSE, sizeof (guint)), 0 };

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);

  dossier_history_append_events_async (history, queued, events_cb, call_new (&calls));
  dossier_history_append_events_async (history, started, events_cb, call_new (&calls));
  dossier_history_append_async (history, entry, entry_cb, call_new (&calls));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  wait_calls (&calls);
  g_assert_cmpuint (calls.n_failed, ==, 3);
  g_assert_error (calls.error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (calls.error->message, path));

  /* read again from the file once the writer is done: nothing recorded */
  {
    guint id = dossier_test_timeout_add ();

    while (dossier_history_lookup_state (history, "lost") != DOSSIER_RECORD_STATE_NONE)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  calls_clear (&calls);

  /* a submission whose record is a folder says so, and still sends */
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_build_filename (state_dir, "dossier", NULL);
      g_autofree char *record = g_build_filename (dir, "history.jsonl", NULL);
      g_autoptr(DossierSubmission) submission = NULL;
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "KTP.png", 1000, FALSE);
      g_autofree char *expected = NULL;
      DossierUpload *upload;

      g_assert_cmpint (g_mkdir_with_parents (record, 0700), ==, 0);
      submission = dossier_test_submission_by_id (fx->sandbox, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
      g_signal_connect (submission, "record-error", G_CALLBACK (dossier_test_collect_record_error), messages);
      upload = dossier_submission_add_file (submission, file);
      dossier_test_run_to_end (submission);
      g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);

      g_assert_cmpuint (messages->len, ==, 2);
      g_assert_nonnull (strstr (g_ptr_array_index (messages, 0),
                                "Could not record the files about to be sent in the history: "));
      g_assert_nonnull (strstr (g_ptr_array_index (messages, 0), g_strerror (EISDIR)));
      expected = g_strdup_printf ("Could not record the upload of “KTP.png” in the history: %s: %s; "
                                  "it was sent, id %s", record, g_strerror (EISDIR),
                                  dossier_upload_get_result (upload)->remote_id);
      g_assert_cmpstr (g_ptr_array_index (messages, 1), ==, expected);
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

/* A server that reads the record the moment a request reaches it: the
 * "started" line of the upload must be there (DESIGN: a kill while the
 * body goes out leaves the file "may have been sent") */
typedef struct
{
  char    *path;
  int      lock_fd;
  guint    n_requests;
  guint    n_without_started;
  guint    release_id;
} Watcher;

static void
release (Watcher *watcher)
{
  if (watcher->lock_fd >= 0)
    unlock (watcher->lock_fd);
  watcher->lock_fd = -1;
  g_clear_handle_id (&watcher->release_id, g_source_remove);
}

static gboolean
release_cb (gpointer data)
{
  Watcher *watcher = data;

  watcher->release_id = 0;
  release (watcher);
  return G_SOURCE_REMOVE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    Watcher           *watcher)
{
  g_autofree char *contents = NULL;

  watcher->n_requests++;
  if (!g_file_get_contents (watcher->path, &contents, NULL, NULL) ||
      strstr (contents, "\"event\":\"started\"") == NULL)
    watcher->n_without_started++;
  release (watcher);
}

static void
refuse_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  static const char body[] = "{\"error\":\"refused by the test\"}";

  soup_server_message_set_status (msg, 400, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
test_started_before_body (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "KTP.png", 200000, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  Watcher watcher = { NULL, -1 };
  DossierUpload *upload;

  watcher.path = g_build_filename (state_dir, "dossier", "history.jsonl", NULL);
  /* read now: nothing of the model waits for the writer later */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dossier_history_get_default ())), ==, 0);

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  soup_server_add_handler (server, NULL, refuse_cb, NULL, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), &watcher);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  submission = dossier_test_submission_by_id (NULL, "moov", DOSSIER_SANDBOX_MOOV_TOKEN, NULL, NULL);
  dossier_submission_set_sandbox_url (submission, url);
  upload = dossier_submission_add_file (submission, file);
  dossier_test_wait_false (submission, "validating");

  /* the writer is held: a request that comes now was sent before its
   * started line was on the disk. Released by the first request, or in a
   * while (which only makes the test slower, never wrong). */
  watcher.lock_fd = lock (watcher.path);
  watcher.release_id = g_timeout_add (1000, release_cb, &watcher);
  dossier_test_run_to_end (submission);
  release (&watcher);

  g_assert_cmpuint (watcher.n_requests, >=, 1);
  g_assert_cmpuint (watcher.n_without_started, ==, 0);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_FAILED);
  g_free (watcher.path);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* before the default history picks its folder */
  state_dir = dossier_test_init_with_state (&argc, &argv, "history-journal");

#define ADD(path, func) g_test_add (path, Fixture, NULL, dossier_test_fixture_set_up, func, \
                                    dossier_test_fixture_tear_down)
  ADD ("/history-journal/burst-order", test_burst_order);
  ADD ("/history-journal/finished-after-started", test_finished_after_started);
  ADD ("/history-journal/flush-at-end", test_flush_at_end);
  ADD ("/history-journal/write-fails", test_write_fails);
  ADD ("/history-journal/started-before-body", test_started_before_body);
#undef ADD

  status = g_test_run ();

  dossier_test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
