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
 * (tests/gui/startup-reference.c). With =merchants it ends after the
 * first frame drawn once the merchants' records are in (read on a worker,
 * they may come frames later): the time until the list is there.
 */

#include "config.h"

#include <unistd.h>

#include "dossier-startup.h"
#include "dossier-window-private.h"

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
  DossierMerchantStore *store;

  /* =merchants: the first frame with the records in */
  if (g_strcmp0 (g_getenv ("DOSSIER_EXIT_AFTER_FIRST_FRAME"), "merchants") == 0)
    {
      store = DOSSIER_IS_WINDOW (window) ? dossier_window_get_merchant_store (DOSSIER_WINDOW (window)) : NULL;
      if (store != NULL && dossier_merchant_store_get_loading (store))
        {
          /* a frame comes once they are: the home changes its page */
          return;
        }
    }
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

  if (g_strcmp0 (g_getenv ("DOSSIER_EXIT_AFTER_FIRST_FRAME"), "1") == 0 ||
      g_strcmp0 (g_getenv ("DOSSIER_EXIT_AFTER_FIRST_FRAME"), "merchants") == 0)
    g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
}

/* The shortcuts window (Ctrl+?), built once the window is on screen:
 * GtkApplicationWindow would build it before, when it finds it at
 * gtk/help-overlay.ui in the application's resources */
static gboolean
add_help_overlay (gpointer data)
{
  GtkApplicationWindow *window = data;
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  /* GTK 4.18 deprecates the shortcuts window for libadwaita 1.8's
   * AdwShortcutsDialog, which neither Debian 12 nor Debian 13 has: kept on
   * every stack until a stack Dossier builds on has the replacement */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  /* closed in the meantime */
  if (gtk_window_get_application (GTK_WINDOW (window)) == NULL
      || gtk_application_window_get_help_overlay (window) != NULL)
    return G_SOURCE_REMOVE;

  builder = gtk_builder_new_from_resource ("/io/github/dossierapp/Dossier/dossier-shortcuts.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  if (GTK_IS_SHORTCUTS_WINDOW (overlay))
    gtk_application_window_set_help_overlay (window, GTK_SHORTCUTS_WINDOW (overlay));
  G_GNUC_END_IGNORE_DEPRECATIONS
  return G_SOURCE_REMOVE;
}

static void
help_overlay_after_paint (GdkFrameClock        *clock,
                          GtkApplicationWindow *window)
{
  g_signal_handlers_disconnect_by_func (clock, help_overlay_after_paint, window);
  g_idle_add_full (G_PRIORITY_LOW, add_help_overlay, g_object_ref (window), g_object_unref);
}

static void
help_overlay_on_map (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, help_overlay_on_map, NULL);
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (help_overlay_after_paint), window, 0);
  else
    g_idle_add_full (G_PRIORITY_LOW, add_help_overlay, g_object_ref (window), g_object_unref);
}

/* Gives @window its shortcuts window after its first frame */
void
_dossier_startup_add_help_overlay (GtkApplicationWindow *window)
{
  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));

  g_signal_connect (window, "map", G_CALLBACK (help_overlay_on_map), NULL);
}
