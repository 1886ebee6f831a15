/* dossier-thumbnail.c: an upload's preview, decoded on a worker thread, or its type icon
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dossier-thumbnail.h"

/* Images larger than this get their type icon: decoding them only for a
 * 40 px preview would cost more than it shows. */
#define THUMBNAIL_MAX_BYTES (40 * 1000 * 1000)
/* Images smaller than this on their short side are icons, stamps or
 * blank test files: blown up they look like noise, the type icon says more */
#define THUMBNAIL_MIN_SOURCE 32
#define THUMBNAIL_SIZE 80
#define THUMBNAIL_KEY "dossier-thumbnail"
#define THUMBNAIL_STATE_KEY "dossier-thumbnail-state"
#define THUMBNAIL_WAITING_KEY "dossier-thumbnail-waiting"
#define IMAGE_UPLOAD_KEY "dossier-thumbnail-upload"

typedef struct
{
  int size;          /* the square's side */
  int source_width;
  int source_height;
} ThumbnailSize;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  ThumbnailSize   *size)
{
  int shorter = MIN (width, height);

  size->source_width = width;
  size->source_height = height;

  /* the short side fills the square (cover); never enlarged */
  if (shorter > size->size)
    gdk_pixbuf_loader_set_size (loader,
                                MAX (1, (int) ((gint64) width * size->size / shorter)),
                                MAX (1, (int) ((gint64) height * size->size / shorter)));
}

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = source_object;
  ThumbnailSize size = { GPOINTER_TO_INT (task_data), 0, 0 };
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) square = NULL;
  GdkPixbuf *pixbuf;
  guchar buffer[64 * 1024];
  GError *error = NULL;
  gboolean closed = FALSE;
  int side;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_file_info_get_size (info) > THUMBNAIL_MAX_BYTES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "too large");
      return;
    }

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &size);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer,
                                      cancellable, &error);

      if (n < 0
          || (n > 0 && !gdk_pixbuf_loader_write (loader, buffer, n, &error)))
        break;
      if (n == 0)
        {
          closed = gdk_pixbuf_loader_close (loader, &error);
          break;
        }
    }
  if (!closed)
    {
      /* a loader must be closed before it goes */
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "not an image");
      gdk_pixbuf_loader_close (loader, NULL);
      g_task_return_error (task, error);
      return;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL
      || MIN (size.source_width, size.source_height) < THUMBNAIL_MIN_SOURCE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "too small");
      return;
    }

  /* photos of ID cards come from phones, turned by their EXIF tag */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  side = MIN (gdk_pixbuf_get_width (oriented), gdk_pixbuf_get_height (oriented));
  square = gdk_pixbuf_new_subpixbuf (oriented,
                                     (gdk_pixbuf_get_width (oriented) - side) / 2,
                                     (gdk_pixbuf_get_height (oriented) - side) / 2,
                                     side, side);

  /* a copy, so the larger decoded image is freed */
  g_task_return_pointer (task, gdk_pixbuf_copy (square), g_object_unref);
}

/* Decodes a small square preview on a worker thread; the window never
 * waits. Fails for files that are not images, too large, or too small to
 * show anything. */
void
dossier_gui_load_thumbnail_async (GFile               *file,
                                  int                  size,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (file, cancellable, callback, user_data);

  g_task_set_source_tag (task, dossier_gui_load_thumbnail_async);
  g_task_set_task_data (task, GINT_TO_POINTER (size), NULL);
  g_task_run_in_thread (task, thumbnail_thread);
}

GdkTexture *
dossier_gui_load_thumbnail_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), error);

  if (pixbuf == NULL)
    return NULL;

  return gdk_texture_new_for_pixbuf (pixbuf);
}

typedef enum
{
  THUMBNAIL_NONE,
  THUMBNAIL_LOADING,
  THUMBNAIL_FAILED,
} ThumbnailState;

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
on_upload_thumbnail (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DossierUpload) upload = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = dossier_gui_load_thumbnail_finish (result, &error);
  g_autoptr(GPtrArray) waiting = NULL;

  waiting = g_object_steal_data (G_OBJECT (upload), THUMBNAIL_WAITING_KEY);
  if (texture == NULL)
    {
      /* the type icon stays */
      g_object_set_data (G_OBJECT (upload), THUMBNAIL_STATE_KEY, GINT_TO_POINTER (THUMBNAIL_FAILED));
      return;
    }

  /* kept with the upload: a recycled row, or the upload step, shows it
   * without decoding again */
  g_object_set_data_full (G_OBJECT (upload), THUMBNAIL_KEY, g_object_ref (texture), g_object_unref);

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      g_autoptr(GtkImage) image = g_weak_ref_get (g_ptr_array_index (waiting, i));

      /* unless the row shows another file by now */
      if (image != NULL && g_object_get_data (G_OBJECT (image), IMAGE_UPLOAD_KEY) == upload)
        dossier_gui_show_upload_icon (image, upload);
    }
}

/* Shows an upload's preview in IMAGE (sized by its pixel-size, a rounded
 * square), or its type icon in a tile: at once, and while and when the
 * preview cannot be made. */
void
dossier_gui_show_upload_icon (GtkImage      *image,
                              DossierUpload *upload)
{
  const char *type;
  GFile *file;
  GdkTexture *texture;
  ThumbnailState state;

  g_return_if_fail (GTK_IS_IMAGE (image));

  g_object_set_data (G_OBJECT (image), IMAGE_UPLOAD_KEY, upload);
  if (upload == NULL)
    return;

  type = dossier_upload_get_content_type (upload);
  file = dossier_upload_get_file (upload);
  texture = g_object_get_data (G_OBJECT (upload), THUMBNAIL_KEY);
  state = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (upload), THUMBNAIL_STATE_KEY));

  if (texture != NULL)
    {
      gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
      gtk_widget_remove_css_class (GTK_WIDGET (image), "icon-tile");
      gtk_widget_add_css_class (GTK_WIDGET (image), "thumbnail");
      return;
    }

  if (type != NULL)
    {
      g_autoptr(GIcon) icon = g_content_type_get_symbolic_icon (type);

      gtk_image_set_from_gicon (image, icon);
    }
  else if (file == NULL)
    gtk_image_set_from_icon_name (image, "web-browser-symbolic");
  else
    gtk_image_set_from_icon_name (image, "text-x-generic-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (image), "thumbnail");
  gtk_widget_add_css_class (GTK_WIDGET (image), "icon-tile");

  if (file == NULL || type == NULL || !g_str_has_prefix (type, "image/")
      || state == THUMBNAIL_FAILED)
    return;

  /* one decoding per upload, however many rows wait for it */
  {
    GPtrArray *waiting = g_object_get_data (G_OBJECT (upload), THUMBNAIL_WAITING_KEY);
    GWeakRef *ref = g_new0 (GWeakRef, 1);

    if (waiting == NULL)
      {
        waiting = g_ptr_array_new_with_free_func (weak_ref_free);
        g_object_set_data_full (G_OBJECT (upload), THUMBNAIL_WAITING_KEY, waiting,
                                (GDestroyNotify) g_ptr_array_unref);
      }
    g_weak_ref_init (ref, image);
    g_ptr_array_add (waiting, ref);
  }

  if (state == THUMBNAIL_LOADING)
    return;

  g_object_set_data (G_OBJECT (upload), THUMBNAIL_STATE_KEY, GINT_TO_POINTER (THUMBNAIL_LOADING));
  dossier_gui_load_thumbnail_async (file, THUMBNAIL_SIZE, NULL, on_upload_thumbnail,
                                    g_object_ref (upload));
}
