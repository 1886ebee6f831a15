/* dossier-gui-test-util.c: what the GUI tests share: running the main loop, finding widgets, screenshots
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dossier-gui-test-util.h"

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
