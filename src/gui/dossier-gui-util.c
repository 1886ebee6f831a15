/* dossier-gui-util.c: small helpers shared by the widgets
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dossier-choice.h"
#include "dossier-submission.h"
#include "dossier-gui-util.h"

guint
dossier_gui_choice_position (GListModel *choices,
                             const char *value)
{
  guint n;

  if (choices == NULL || value == NULL)
    return GTK_INVALID_LIST_POSITION;

  n = g_list_model_get_n_items (choices);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChoice) choice = g_list_model_get_item (choices, i);

      if (g_strcmp0 (dossier_choice_get_value (choice), value) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

const char *
dossier_gui_choice_value_at (GListModel *choices,
                             guint       position)
{
  g_autoptr(DossierChoice) choice = NULL;

  if (choices == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;

  choice = g_list_model_get_item (choices, position);
  if (choice == NULL)
    return NULL;

  /* the model keeps the choice alive */
  return dossier_choice_get_value (choice);
}

/* The button of a dropdown shows the human label in full where there is
 * room, ellipsized only so that a narrow window keeps its shape. */
static void
button_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_list_item_set_child (item, label);
}

static void
button_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  DossierChoice *choice = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (label), dossier_choice_get_label (choice));
}

GtkListItemFactory *
dossier_gui_choice_button_factory (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (button_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (button_bind), NULL);
  return factory;
}

/* The popup lists the label with the API value beneath it, dimmed. */
static void
list_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 36);
  gtk_label_set_xalign (GTK_LABEL (value), 0.0);
  gtk_widget_add_css_class (value, "dim-label");
  gtk_widget_add_css_class (value, "caption");
  gtk_widget_add_css_class (value, "api-value");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_item_set_child (item, box);
}

static void
list_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  DossierChoice *choice = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (title);

  gtk_label_set_label (GTK_LABEL (title), dossier_choice_get_label (choice));
  gtk_label_set_label (GTK_LABEL (value), dossier_choice_get_value (choice));
}

GtkListItemFactory *
dossier_gui_choice_list_factory (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (list_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (list_bind), NULL);
  return factory;
}

/* A dropdown over the field's choices; searchable fields filter on
 * "Label — VALUE" as the user types. */
GtkWidget *
dossier_gui_choice_dropdown_new (DossierField *field)
{
  g_autoptr(GtkListItemFactory) button_factory = dossier_gui_choice_button_factory ();
  g_autoptr(GtkListItemFactory) list_factory = dossier_gui_choice_list_factory ();
  GtkExpression *expression;
  GtkWidget *dropdown;
  GListModel *choices = dossier_field_get_choices (field);

  expression = gtk_property_expression_new (DOSSIER_TYPE_CHOICE, NULL, "display");
  dropdown = gtk_drop_down_new (choices != NULL ? g_object_ref (choices) : NULL, expression);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), button_factory);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (dropdown), list_factory);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown),
                                   dossier_field_get_searchable (field));
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (dropdown, dossier_field_get_label (field));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  dossier_field_get_label (field),
                                  -1);
  return dropdown;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
launch_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error)
      && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_message ("Could not open the link: %s", error->message);
}
#endif

void
dossier_gui_open_uri (GtkWidget  *widget,
                      const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

  g_return_if_fail (uri != NULL);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

    gtk_uri_launcher_launch (launcher, window, NULL, launch_done, NULL);
  }
#else
  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
#endif
}

/* Every value the submission holds, for dossier_field_is_active() and
 * dossier_provider_validate_values(). */
GHashTable *
dossier_gui_dup_values (gpointer submission_)
{
  DossierSubmission *submission = submission_;
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GListModel *fields;
  guint n;

  if (submission == NULL)
    return values;

  fields = dossier_provider_get_fields (dossier_submission_get_provider (submission));
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *name = dossier_field_get_name (field);
      const char *value = dossier_submission_get_value (submission, name);

      if (value != NULL && *value != '\0')
        g_hash_table_insert (values, g_strdup (name), g_strdup (value));
    }

  return values;
}

/* The fields a clerk picks per file: the document choices (DOKU category
 * and code, Moov filePurpose, Kore fileContext, receeve documentType).
 * Text and JSON document fields (Moov's metadata) are set once for the
 * whole submission on the Details step and never get a per-file editor:
 * a row of four metadata entries per file would not fit a file list. */
gboolean
dossier_gui_is_main_document_field (DossierProvider *provider,
                                    DossierField    *field)
{
  return dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_DOCUMENT
         && dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE;
}

const char *
dossier_gui_state_label (guint state)
{
  switch ((DossierUploadState) state)
    {
    case DOSSIER_UPLOAD_STATE_READY:
      return _("Ready");
    case DOSSIER_UPLOAD_STATE_INVALID:
      return _("Needs attention");
    case DOSSIER_UPLOAD_STATE_QUEUED:
      return _("Waiting to start");
    case DOSSIER_UPLOAD_STATE_RUNNING:
      return _("Sending");
    case DOSSIER_UPLOAD_STATE_WAITING:
      return _("Waiting to retry");
    case DOSSIER_UPLOAD_STATE_DONE:
      return _("Sent");
    case DOSSIER_UPLOAD_STATE_FAILED:
      return _("Failed");
    case DOSSIER_UPLOAD_STATE_CANCELLED:
      return _("Cancelled");
    case DOSSIER_UPLOAD_STATE_UNKNOWN:
      /* Translators: sent whole, but no answer came: it may have arrived */
      return _("Outcome unknown");
    default:
      return "";
    }
}

/* The submission's counters are properties without getters. */
guint
dossier_gui_get_uint (gpointer    object,
                      const char *property)
{
  guint value = 0;

  g_object_get (object, property, &value, NULL);
  return value;
}

gboolean
dossier_gui_get_boolean (gpointer    object,
                         const char *property)
{
  gboolean value = FALSE;

  g_object_get (object, property, &value, NULL);
  return value;
}

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

/**
 * dossier_gui_ask_destructive:
 * @parent: the widget the question is about
 * @response: the id of the destructive answer (the other one is "cancel",
 *   also the default and what closing the dialog means)
 * @label: its mnemonic label, e.g. "_Send Again"
 *
 * Asks before something that cannot be undone: an AdwAlertDialog where
 * libadwaita has it (1.5), an AdwMessageDialog before. Its "response"
 * signal has the same arguments on both: (dialog, response id, data).
 *
 * Returns: (transfer none): the dialog, already presented
 */
GtkWidget *
dossier_gui_ask_destructive (GtkWidget  *parent,
                             const char *heading,
                             const char *body,
                             const char *response,
                             const char *label)
{
  /* AdwMessageDialog is deprecated from libadwaita 1.6 on */
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *dialog = adw_alert_dialog_new (heading, body);

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  response, label,
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), response,
                                            ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_dialog_present (dialog, parent);

  return GTK_WIDGET (dialog);
#else
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
#endif
}
