/* dossier-startup.c: what must not hold back the window's first frame
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Work the first frame does not need runs on a thread of its own, beside
 * the window's construction, and whoever needs its result
 * joins the thread (dossier-application.c: the embedded sandbox, made and
 * started this way, is waited for when its address is asked for).
 *
 * DOSSIER_EXIT_AFTER_FIRST_FRAME=1 ends the process right after the
 * window's first frame: build-aux/startup-benchmark.sh times the start
 * that way, beside a minimal libadwaita program that does the same
 * (tests/gui/startup-reference.c).
 */

#include "config.h"

#include <unistd.h>

#include "dossier-startup.h"

/**
 * _dossier_startup_run_beside:
 *
 * Returns: (transfer full): the thread running @func; join it before
 *   using what @func does
 */
GThread *
_dossier_startup_run_beside (GThreadFunc func,
                             gpointer    data)
{
  return g_thread_new ("dossier-startup", func, data);
}

static void
after_paint (GdkFrameClock *clock,
             GtkWidget     *window)
{
  /* the frame handed to the X server, then gone */
  gdk_display_flush (gtk_widget_get_display (window));
  _exit (0);
}

static void
on_map (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), window);
}

/* With DOSSIER_EXIT_AFTER_FIRST_FRAME=1, ends the process after
 * @window's first frame; nothing otherwise */
void
_dossier_startup_watch_first_frame (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (g_strcmp0 (g_getenv ("DOSSIER_EXIT_AFTER_FIRST_FRAME"), "1") == 0)
    g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
}
