/* dossier-gui-test-util.c: what the GUI tests share: running the main loop, finding widgets, screenshots,
 * opening the window and walking its steps
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "dossier-gui-test-util.h"
#include "dossier-provider-page.h"
#include "dossier-test-util.h"

void
dossier_gui_test_iterate (void)
{
  for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_usleep (2000);
}

void
dossier_gui_test_collect (GtkWidget *widget,
                          GType      type,
                          gboolean   mapped,
                          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (mapped ? gtk_widget_get_mapped (widget) : gtk_widget_is_visible (widget)))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dossier_gui_test_collect (child, type, mapped, found);
}

void
dossier_gui_test_save_png (GtkWidget  *window,
                           const char *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  /* let rows, transitions and thumbnails settle */
  for (guint i = 0; i < 60; i++)
    dossier_gui_test_iterate ();
  g_usleep (300 * 1000);
  dossier_gui_test_iterate ();

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

DossierWindow *
dossier_gui_test_open_window (DossierApplication *app,
                              int                 width,
                              int                 height)
{
  DossierWindow *window = dossier_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  DOSSIER_GUI_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  /* the window opens on the merchants: the steps are the upload flow's */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.upload-adhoc", NULL);
  dossier_gui_test_iterate ();
  return window;
}

void
dossier_gui_test_close_window (DossierWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  dossier_gui_test_iterate ();
}

void
dossier_gui_test_choose_provider (DossierWindow *window,
                                  const char    *id)
{
  DossierProviderPage *page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  GtkWidget *row = dossier_provider_page_get_provider_row (page, id);

  g_assert_nonnull (row);
  /* the row activates its radio button, as a click or Enter does */
  gtk_widget_activate (row);
  dossier_gui_test_iterate ();
  g_assert_cmpstr (dossier_provider_get_id (dossier_submission_get_provider (dossier_window_get_submission (window))),
                   ==, id);

  /* Sandbox, the first choice of a new user */
  adw_combo_row_set_selected (dossier_provider_page_get_environment_row (page), 0);
  dossier_gui_test_iterate ();
  g_assert_cmpstr (dossier_submission_get_environment (dossier_window_get_submission (window)), ==, "sandbox");
}

void
dossier_gui_test_go_next (DossierWindow *window,
                          DossierStep    expected)
{
  GtkWidget *next = dossier_window_get_next_button (window);
  gint64 end = g_get_monotonic_time () + DOSSIER_GUI_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (!gtk_widget_is_sensitive (next))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Next stays disabled: %s", gtk_widget_get_tooltip_text (next));
      dossier_gui_test_iterate ();
    }
  g_assert_true (gtk_widget_get_visible (next));
  g_signal_emit_by_name (next, "clicked");
  dossier_gui_test_iterate ();
  g_assert_cmpint (dossier_window_get_step (window), ==, expected);
}

DossierUpload *
dossier_gui_test_find_upload (DossierSubmission *submission,
                              const char        *display_name)
{
  GListModel *uploads = dossier_submission_get_uploads (submission);

  for (guint i = 0; i < g_list_model_get_n_items (uploads); i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (uploads, i);

      if (g_strcmp0 (dossier_upload_get_display_name (upload), display_name) == 0)
        return upload;   /* the model keeps it */
    }
  return NULL;
}

void
dossier_gui_test_init_with_sandbox (int                *argc,
                                    char             ***argv,
                                    const char         *tmpl,
                                    char              **scratch,
                                    DossierSandbox    **sandbox,
                                    DossierCatalogue  **catalogue)
{
  g_autoptr(GError) error = NULL;

  *scratch = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", *scratch, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();

  *sandbox = dossier_sandbox_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_sandbox_start_thread (*sandbox, 0, &error));
  g_assert_no_error (error);
  *catalogue = dossier_catalogue_new ();
  dossier_catalogue_load_builtin (*catalogue, &error);
  g_assert_no_error (error);
}

void
dossier_gui_test_clear_sandbox (char              **scratch,
                                DossierSandbox    **sandbox,
                                DossierCatalogue  **catalogue)
{
  g_clear_object (catalogue);
  g_clear_object (sandbox);
  if (*scratch != NULL)
    dossier_test_remove_tree (*scratch);
  g_clear_pointer (scratch, g_free);
}
