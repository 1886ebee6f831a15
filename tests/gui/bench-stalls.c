/* bench-stalls.c: how long the window's main loop stalls under load
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the real window (under Xvfb, see build-aux/gui-benchmark.sh) on an
 * in-process sandbox and, for each scenario, ticks a high-priority timeout
 * every 5 ms: the gap between two ticks is how long the window could not
 * react. Scenarios: 1000 small files dropped at once until all are checked;
 * 8 files of 20 MB sent at once; one file of 1 GiB sent. The uploads go to
 * the sandbox's /generic/upload route, described as a provider of its own
 * ("bench", a JSON file in XDG_CONFIG_HOME, which the caller points at an
 * empty folder). Prints one table row per scenario, with the CPU time the
 * main thread spent in it (less moved by the machine's load than the stalls).
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dossier-application.h"
#include "dossier-files-page.h"
#include "dossier-gui-util.h"
#include "dossier-provider-page.h"
#include "dossier-sandbox.h"
#include "dossier-window-private.h"

/* under valgrind --tool=callgrind, each scenario is a dump of its own
 * (callgrind.out.PID.N, -tN per thread with --separate-threads=yes) */
#if defined(__has_include)
# if __has_include(<valgrind/callgrind.h>)
#  include <valgrind/callgrind.h>
# endif
#endif
#ifndef CALLGRIND_ZERO_STATS
# define CALLGRIND_ZERO_STATS
# define CALLGRIND_DUMP_STATS_AT(label)
#endif

#define TICK_MS 5
#define STALL_MS 50
#define SCENARIO_TIMEOUT_S 600

static char *scratch;
static char *storage;

typedef struct
{
  GArray *gaps;         /* gint64 µs between ticks */
  gint64  last_tick;
  gint64  frame_start;
  gint64  frame_cpu_start;
  gint64  longest_frame;
  gint64  cpu_start;    /* µs of CPU the main thread had used */
  guint   n_frames;
  guint   tick_id;
} Meter;

/* CPU time of the calling thread, in µs: what the main thread itself
 * spent, whatever the other processes on the machine do */
static gint64
thread_cpu_time (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static gboolean
tick (gpointer user_data)
{
  Meter *meter = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - meter->last_tick;

  g_array_append_val (meter->gaps, gap);
  meter->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_before_paint (GdkFrameClock *clock,
                 Meter         *meter)
{
  meter->frame_start = g_get_monotonic_time ();
  meter->frame_cpu_start = thread_cpu_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Meter         *meter)
{
  gint64 now = g_get_monotonic_time ();

  if (meter->frame_start == 0)
    return;
  /* BENCH_FRAMES=1: the long frames' times (CLOCK_MONOTONIC, seconds), to
   * pick their samples out of a `perf record -k CLOCK_MONOTONIC` */
  if (now - meter->frame_start > STALL_MS * 1000 && g_getenv ("BENCH_FRAMES") != NULL)
    g_printerr ("long frame: %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                ".%06" G_GINT64_FORMAT " (%.1f ms, %.1f ms of CPU)\n",
                meter->frame_start / G_USEC_PER_SEC, meter->frame_start % G_USEC_PER_SEC,
                now / G_USEC_PER_SEC, now % G_USEC_PER_SEC, (now - meter->frame_start) / 1000.0,
                (thread_cpu_time () - meter->frame_cpu_start) / 1000.0);
  meter->longest_frame = MAX (meter->longest_frame, now - meter->frame_start);
  meter->frame_start = 0;
  meter->n_frames++;
}

static void
meter_start (Meter *meter)
{
  g_array_set_size (meter->gaps, 0);
  meter->longest_frame = 0;
  meter->frame_start = 0;
  meter->n_frames = 0;
  meter->cpu_start = thread_cpu_time ();
  CALLGRIND_ZERO_STATS;
  meter->last_tick = g_get_monotonic_time ();
  meter->tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick, meter, NULL);
}

static gint
compare_gaps (gconstpointer a,
              gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
meter_report (Meter      *meter,
              const char *scenario,
              gint64      started)
{
  double seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  gint64 cpu = thread_cpu_time () - meter->cpu_start;
  guint n = meter->gaps->len, n_stalls = 0;
  gint64 longest = 0, p99 = 0;

  CALLGRIND_DUMP_STATS_AT (scenario);
  g_clear_handle_id (&meter->tick_id, g_source_remove);
  if (n > 0)
    {
      g_array_sort (meter->gaps, compare_gaps);
      longest = g_array_index (meter->gaps, gint64, n - 1);
      p99 = g_array_index (meter->gaps, gint64, MIN (n - 1, (guint) (n * 0.99)));
      for (guint i = 0; i < n; i++)
        if (g_array_index (meter->gaps, gint64, i) > STALL_MS * 1000)
          n_stalls++;
    }

  g_print ("%-34s %9.2f %13.1f %13.1f %12u %13.1f %12.0f\n", scenario, seconds,
           longest / 1000.0, p99 / 1000.0, n_stalls, meter->longest_frame / 1000.0, cpu / 1000.0);
}

/* Runs the main loop, as the application does, until DONE holds. */
#define RUN_UNTIL(done)                                                       \
  G_STMT_START {                                                              \
    gint64 end_ = g_get_monotonic_time () + SCENARIO_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(done))                                                           \
      {                                                                       \
        if (g_get_monotonic_time () > end_)                                   \
          g_error ("timed out waiting for: %s", #done);                       \
        g_main_context_iteration (NULL, TRUE);                                \
      }                                                                       \
  } G_STMT_END

static gboolean
finished (DossierSubmission *submission)
{
  return !dossier_gui_get_boolean (submission, "running")
         && !dossier_gui_get_boolean (submission, "validating");
}

static void
write_file (const char *path,
            gint64      size)
{
  static guchar block[1024 * 1024];
  static gboolean filled;
  FILE *file;

  if (!filled)
    {
      for (gsize i = 0; i < sizeof block; i += 4)
        *(guint32 *) (block + i) = g_random_int ();
      filled = TRUE;
    }

  file = g_fopen (path, "wb");
  if (file == NULL)
    g_error ("cannot write %s: %s", path, g_strerror (errno));
  for (gint64 left = size; left > 0; left -= sizeof block)
    {
      gsize n = (gsize) MIN (left, (gint64) sizeof block);

      /* each block a little different */
      *(gint64 *) block = left;
      if (fwrite (block, 1, n, file) != n)
        g_error ("cannot write %s: %s", path, g_strerror (errno));
    }
  fclose (file);
}

static GListModel *
make_files (const char *prefix,
            guint       n,
            gint64      size)
{
  GListStore *store = g_list_store_new (G_TYPE_FILE);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%04u.bin", prefix, i);
      g_autofree char *path = g_build_filename (scratch, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      write_file (path, size);
      g_list_store_append (store, file);
    }

  return G_LIST_MODEL (store);
}

/* Deletes the files under PATH; with KEEP_FOLDERS the folders stay (the
 * sandbox made them at start and writes into them). */
static void
remove_tree (const char *path,
             gboolean    keep_folders)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child, keep_folders);
      else
        g_unlink (child);
    }
  if (!keep_folders)
    g_rmdir (path);
}

/* What a drop from the file manager delivers to the files page */
static void
drop (DossierWindow *window,
      GListModel    *files)
{
  GtkWidget *page = dossier_window_get_page (window, DOSSIER_STEP_FILES);
  GtkDropTarget *target = dossier_files_page_get_drop_target (DOSSIER_FILES_PAGE (page));
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    g_ptr_array_add (array, g_list_model_get_item (files, i));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array ((GFile **) array->pdata, array->len));
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  g_value_unset (&value);
  if (!handled)
    g_error ("the files page refused the drop");
}

static void
go_to_files (DossierWindow *window)
{
  while (dossier_window_get_step (window) != DOSSIER_STEP_FILES)
    {
      RUN_UNTIL (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
    }
}

/* BENCH_SCREENSHOT=FILE.png: what the window shows after the drop, to
 * look at */
static void
save_screenshot (DossierWindow *window)
{
  const char *path = g_getenv ("BENCH_SCREENSHOT");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  if (path == NULL)
    return;
  /* a few frames, for the list to fill what it shows */
  for (guint i = 0; i < 30; i++)
    g_main_context_iteration (NULL, FALSE);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
}

/* Drops FILES; with SEND, also sends them (Upload), measured from the drop
 * or from the start of the sending. */
static void
scenario (DossierWindow *window,
          Meter         *meter,
          const char    *label,
          GListModel    *files,
          gboolean       send)
{
  DossierSubmission *submission = dossier_window_get_submission (window);
  GListModel *uploads = dossier_submission_get_uploads (submission);
  guint n = g_list_model_get_n_items (files);
  gint64 started;

  go_to_files (window);

  if (!send)
    meter_start (meter);
  started = g_get_monotonic_time ();
  drop (window, files);
  RUN_UNTIL (g_list_model_get_n_items (uploads) == n && finished (submission));
  if (dossier_gui_get_uint (submission, "n-ready") != n)
    g_error ("%s: %u of %u files ready", label, dossier_gui_get_uint (submission, "n-ready"), n);

  if (send)
    {
      RUN_UNTIL (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));
      meter_start (meter);
      started = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
      RUN_UNTIL (finished (submission) && dossier_window_get_step (window) == DOSSIER_STEP_UPLOAD);
      if (dossier_gui_get_uint (submission, "n-done") != n)
        {
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(DossierUpload) upload = g_list_model_get_item (uploads, i);
              const DossierResult *result = dossier_upload_get_result (upload);
              g_autofree char *failure = result != NULL ? dossier_result_describe_failure (result) : NULL;

              g_printerr ("%s: %s %s\n", dossier_upload_get_display_name (upload),
                          dossier_gui_state_label (dossier_upload_get_state (upload)),
                          failure != NULL ? failure
                          : dossier_upload_get_problem (upload) != NULL ? dossier_upload_get_problem (upload) : "");
            }
          g_error ("%s: %u of %u files sent", label, dossier_gui_get_uint (submission, "n-done"), n);
        }
    }

  meter_report (meter, label, started);
  if (!send)
    save_screenshot (window);

  /* a new submission for the next scenario, and room on the disk */
  dossier_submission_clear (submission);
  if (dossier_window_get_step (window) == DOSSIER_STEP_UPLOAD)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
  remove_tree (storage, TRUE);
}

/* dossier-sandbox at nice 10, storing into the storage folder; its
 * address from the "Listening on" line */
static GSubprocess *
start_server_process (const char  *program,
                      char       **base_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *server;
  char *line;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "nice", "-n", "10", program, "--port", "0", "--storage", storage,
                             "--quiet", NULL);
  if (server == NULL)
    g_error ("%s: %s", program, error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "Listening on "))
        {
          *base_url = g_strdup (line + strlen ("Listening on "));
          g_free (line);
          return server;
        }
      g_free (line);
    }
  g_error ("%s said no address: %s", program, error != NULL ? error->message : "it stopped");
  return NULL;
}

static void
write_descriptor (const char *base_url)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "dossier", "providers", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  json = g_strdup_printf ("{\n"
                          "  \"schema\": 1,\n"
                          "  \"id\": \"bench\",\n"
                          "  \"name\": \"Benchmark\",\n"
                          "  \"description\": \"The sandbox's generic upload route\",\n"
                          "  \"environments\": [\n"
                          "    { \"id\": \"production\", \"name\": \"Local sandbox\", \"base_url\": \"%s\" }\n"
                          "  ],\n"
                          "  \"auth\": { \"scheme\": \"none\" },\n"
                          "  \"endpoint\": { \"method\": \"POST\", \"path\": \"/generic/upload\" },\n"
                          "  \"fields\": [],\n"
                          "  \"files\": { \"part\": \"file\" },\n"
                          "  \"flow\": { \"kind\": \"multipart\" },\n"
                          "  \"response\": { \"id\": [\"id\"], \"link\": [\"link\"] }\n"
                          "}\n", base_url);
  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents (path, json, -1, &error))
    g_error ("%s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierSandbox) sandbox = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(DossierApplication) app = NULL;
  g_autoptr(GListModel) small = NULL;
  g_autoptr(GListModel) medium = NULL;
  g_autoptr(GListModel) large = NULL;
  Meter meter = { 0 };
  DossierWindow *window;
  DossierProviderPage *page;
  GtkWidget *row;
  GdkFrameClock *clock;
  gint64 large_size = 1024 * 1024 * 1024;

  gtk_init ();
  /* BENCH_LARGE_MIB: a smaller "large" file, for a quick run */
  if (g_getenv ("BENCH_LARGE_MIB") != NULL)
    large_size = g_ascii_strtoll (g_getenv ("BENCH_LARGE_MIB"), NULL, 10) * 1024 * 1024;

  scratch = g_dir_make_tmp ("dossier-bench-files-XXXXXX", &error);
  g_assert_no_error (error);
  storage = g_dir_make_tmp ("dossier-bench-storage-XXXXXX", &error);
  g_assert_no_error (error);

  /* BENCH_SANDBOX: the server as a process of its own at a lower
   * priority (a provider's server does not share the window's CPU); else
   * a thread of this one, as before */
  if (g_getenv ("BENCH_SANDBOX") != NULL)
    {
      g_autofree char *base_url = NULL;

      server = start_server_process (g_getenv ("BENCH_SANDBOX"), &base_url);
      write_descriptor (base_url);
    }
  else
    {
      sandbox = dossier_sandbox_new (storage, &error);
      if (sandbox == NULL || !dossier_sandbox_start_thread (sandbox, 0, &error))
        g_error ("sandbox: %s", error->message);
      write_descriptor (dossier_sandbox_get_base_url (sandbox));
    }

  /* the application starts its own embedded sandbox, as it always does;
   * the uploads go to this one's generic route */
  app = dossier_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  window = dossier_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* the window opens on the merchants: the guided flow is shown as
   * "Upload Without a Merchant" shows it (else the steps measured are
   * hidden ones, whose lists make no rows) */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.upload-adhoc", NULL);

  page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  row = dossier_provider_page_get_provider_row (page, "bench");
  if (row == NULL)
    g_error ("no “bench” provider: is XDG_CONFIG_HOME writable?");
  gtk_widget_activate (row);
  dossier_submission_set_max_concurrent (dossier_window_get_submission (window), 8);

  meter.gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &meter);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &meter);

  small = make_files ("small", 1000, 4096);
  medium = make_files ("medium", 8, 20 * 1000 * 1000);
  large = make_files ("large", 1, large_size);

  g_print ("%-34s %9s %13s %13s %12s %13s %12s\n", "scenario", "seconds", "max stall ms",
           "p99 stall ms", "stalls>50ms", "max frame ms", "main CPU ms");
  scenario (window, &meter, "1000 files dropped, until checked", small, FALSE);
  /* BENCH_ONLY_DROP=1: the first scenario alone, for profiling it */
  if (g_getenv ("BENCH_ONLY_DROP") == NULL)
    {
      g_autofree char *size = g_format_size_full (large_size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *label = g_strdup_printf ("1 x %s sent", size);

      scenario (window, &meter, "8 x 20 MB sent, 8 at once", medium, TRUE);
      scenario (window, &meter, label, large, TRUE);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_array_unref (meter.gaps);
  if (server != NULL)
    {
      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
    }
  remove_tree (scratch, FALSE);
  remove_tree (storage, FALSE);
  g_free (scratch);
  g_free (storage);
  return 0;
}
