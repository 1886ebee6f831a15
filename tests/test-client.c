/* test-client.c: the sending threads, when their owner goes away
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A submission or a session dropped while a thread sends: every piece
 * winds down on the main thread, and nothing is stored.
 */

#define _GNU_SOURCE 1  /* dl_iterate_phdr */
#include "config.h"

#include <link.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dossier-client.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"

#include "dossier-test-util.h"

typedef DossierTestFixture Fixture;

static void
sent_flag_cb (DossierUpload *upload,
              GParamSpec    *pspec,
              gboolean      *seen)
{
  if (dossier_upload_get_bytes_sent (upload) > 0)
    *seen = TRUE;
}

/* What a thread finalizes must not be a GObject of the main thread's */
static void
finalized_on_main_cb (gpointer  data,
                      GObject  *where_the_object_was)
{
  g_assert_true (g_thread_self () == data);
}

/* The window closes mid-upload: the submission (and its session, with the
 * sending threads' pool) is dropped while a thread sends the file. Every
 * piece winds down: the upload, held by the job until the send is over, is
 * finalized, and the server never stores a file. */
static void
test_dispose_mid_upload (Fixture       *fx,
                         gconstpointer  data)
{
  DossierSubmission *submission = dossier_test_submission_by_id (fx->sandbox, "doku", DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "logo.png", 14 * 1000 * 1000, FALSE);
  DossierUpload *upload;
  gboolean seen = FALSE;
  guint timeout_id;

  upload = dossier_submission_add_file (submission, file);
  g_signal_connect (upload, "notify::bytes-sent", G_CALLBACK (sent_flag_cb), &seen);
  dossier_test_wait_false (submission, "validating");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);
  dossier_submission_start (submission);

  timeout_id = dossier_test_timeout_add ();
  while (!seen)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_RUNNING);

  g_signal_handlers_disconnect_by_func (upload, sent_flag_cb, &seen);
  g_object_add_weak_pointer (G_OBJECT (upload), (gpointer *) &upload);
  g_object_weak_ref (G_OBJECT (upload), finalized_on_main_cb, g_thread_self ());
  g_object_unref (submission);

  while (upload != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  /* how much of the body was out when the submission went depends on the
   * machine's load (a loaded or instrumented run may send it whole before
   * the drop): what was sent cannot be taken back, but nothing is sent
   * again by a submission that is gone */
  g_assert_cmpuint (dossier_test_count_received (fx->sandbox, NULL, NULL), <=, 1);
}

/* An upload is removed while its file is checked, or while it is sent,
 * and the submission is dropped before that work has wound down: the work
 * ends without the submission (whose memory is gone), and the upload,
 * held by it until then, is finalized on the main thread. */
static void
check_removed_then_dropped (Fixture  *fx,
                            gboolean  sending)
{
  DossierSubmission *submission = dossier_test_submission_by_id (fx->sandbox, "doku", DOSSIER_SANDBOX_DOKU_TOKEN, NULL, NULL);
  g_autoptr(GFile) file = dossier_test_png_file (fx->dir, "logo.png", 4 * 1000 * 1000, FALSE);
  DossierUpload *upload;
  gboolean seen = FALSE;
  guint timeout_id;

  timeout_id = dossier_test_timeout_add ();
  upload = dossier_submission_add_file (submission, file);
  if (sending)
    {
      g_signal_connect (upload, "notify::bytes-sent", G_CALLBACK (sent_flag_cb), &seen);
      dossier_test_wait_false (submission, "validating");
      dossier_submission_start (submission);
      while (!seen)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handlers_disconnect_by_func (upload, sent_flag_cb, &seen);
    }

  /* no main-loop turn between these: the check's or the send's callback
   * comes after the submission is gone */
  g_object_add_weak_pointer (G_OBJECT (upload), (gpointer *) &upload);
  g_object_weak_ref (G_OBJECT (upload), finalized_on_main_cb, g_thread_self ());
  dossier_submission_remove (submission, upload);
  g_assert_nonnull (upload);
  g_assert_finalize_object (submission);

  while (upload != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
}

static void
test_removed_then_dropped (Fixture       *fx,
                           gconstpointer  data)
{
  check_removed_then_dropped (fx, FALSE);
  check_removed_then_dropped (fx, TRUE);
}

typedef struct
{
  gint      written;    /* atomic: set in the sending thread */
  gint      go_on;      /* atomic: until set, the sending thread holds */
  gboolean  done;
  GBytes   *body;
  GError   *error;
} ThreadSend;

static void
thread_wrote_cb (SoupMessage *msg,
                 guint        chunk_size,
                 ThreadSend  *send)
{
  /* a safety net only: should the main thread never act, the thread goes
   * on after a minute and the test fails on what it then finds */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* hold the sending thread mid-body until the main thread has acted; the
   * main thread may be asleep in g_main_context_iteration() with nothing
   * else to wake it (the server has read what was written): wake it */
  if (!g_atomic_int_get (&send->written))
    {
      g_atomic_int_set (&send->written, 1);
      g_main_context_wakeup (NULL);
    }
  while (!g_atomic_int_get (&send->go_on) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
}

static void
thread_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ThreadSend *send = user_data;

  send->body = dossier_client_send_in_thread_finish (DOSSIER_CLIENT (object), result, &send->error);
  send->done = TRUE;
}

/* The client is aborted and dropped while its thread sends: the send ends
 * (cancelled), its callback runs, then the client, its client and its
 * pool go. */
static void
check_session_dropped (Fixture  *fx,
                       gboolean  abort_mid_send)
{
  DossierClient *client = dossier_client_new (2);
  g_autofree char *url = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), "/anything", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = dossier_test_bytes_new ("", 0, 24 * 1000 * 1000, FALSE);
  ThreadSend send = { 0, };
  guint timeout_id;

  send.go_on = !abort_mid_send;

  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (thread_wrote_cb), &send);
  dossier_client_send_in_thread_async (client, msg, 1024 * 1024, NULL, thread_sent_cb, &send);
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_weak_ref (G_OBJECT (client), finalized_on_main_cb, g_thread_self ());

  timeout_id = dossier_test_timeout_add ();
  if (abort_mid_send)
    {
      while (!g_atomic_int_get (&send.written))
        g_main_context_iteration (NULL, TRUE);
      dossier_client_abort (client);
    }
  g_object_unref (client);
  g_atomic_int_set (&send.go_on, 1);

  while (!send.done)
    g_main_context_iteration (NULL, TRUE);
  if (abort_mid_send)
    {
      g_assert_null (send.body);
      g_assert_error (send.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
  else
    g_assert_true (send.body != NULL || send.error != NULL);

  /* the last reference, the send's, is dropped here, not in the thread */
  while (client != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  g_signal_handlers_disconnect_by_func (msg, thread_wrote_cb, &send);
  g_clear_pointer (&send.body, g_bytes_unref);
  g_clear_error (&send.error);
}

static void
test_session_dropped (Fixture       *fx,
                      gconstpointer  data)
{
  check_session_dropped (fx, FALSE);
  check_session_dropped (fx, TRUE);
}

static int
count_gio_module (struct dl_phdr_info *info,
                  size_t               size,
                  void                *data)
{
  if (info->dlpi_name != NULL && strstr (info->dlpi_name, "/gio/modules/") != NULL)
    (*(guint *) data)++;
  return 0;
}

static guint
n_gio_modules_loaded (void)
{
  guint n = 0;

  dl_iterate_phdr (count_gio_module, &n);
  return n;
}

/* The proxy and TLS modules are loaded when the client is made, on its
 * thread: never by a sending thread racing the exit of the process */
static void
test_modules_loaded_up_front (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(DossierClient) client = NULL;

      g_assert_cmpuint (n_gio_modules_loaded (), ==, 0);
      client = dossier_client_new (2);
      g_assert_cmpuint (n_gio_modules_loaded (), >, 0);
      return;
    }

  /* a fresh process: nothing loaded GIO's modules yet */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

#define ADD DOSSIER_TEST_ADD
  ADD ("/client/threads/dispose-mid-upload", test_dispose_mid_upload);
  ADD ("/client/threads/session-dropped", test_session_dropped);
  ADD ("/client/threads/removed-then-dropped", test_removed_then_dropped);
#undef ADD
  g_test_add_func ("/client/modules-loaded-up-front", test_modules_loaded_up_front);

  return g_test_run ();
}
