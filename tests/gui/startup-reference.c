/* startup-reference.c: a minimal libadwaita application, the yardstick of start-up
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwApplication whose window (the size of Dossier's, a header bar and
 * a status page) is presented on activate; with
 * DOSSIER_EXIT_AFTER_FIRST_FRAME=1 it ends right after its first frame,
 * as dossier does (src/gui/dossier-startup.c). build-aux/startup-benchmark.sh
 * times both side by side.
 */

#include <unistd.h>

#include <adwaita.h>

static void
after_paint (GdkFrameClock *clock,
             GtkWidget     *window)
{
  if (g_strcmp0 (g_getenv ("DOSSIER_EXIT_AFTER_FIRST_FRAME"), "1") == 0)
    {
      gdk_display_flush (gtk_widget_get_display (window));
      _exit (0);
    }
}

static void
on_map (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint), window);
}

static void
activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Reference");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 720);
  g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.dossierapp.StartupReference",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
