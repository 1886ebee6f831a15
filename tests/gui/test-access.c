/* test-access.c: the guided flow as a clerk meets it: a name for every
 * control, a mixed DOKU batch without a batch code, several files set at
 * once, and the notification at the end of an unseen batch
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dossier-application.h"
#include "dossier-choice-widgets.h"
#include "dossier-details-page.h"
#include "dossier-file-row.h"
#include "dossier-files-page.h"
#include "dossier-gui-test-util.h"
#include "dossier-gui-util.h"
#include "dossier-history.h"
#include "dossier-provider-page.h"
#include "dossier-sandbox.h"
#include "dossier-window-private.h"

static DossierApplication *app;
static DossierSandbox *sandbox;
static char *scratch;

#define iterate dossier_gui_test_iterate
#define WAIT_UNTIL DOSSIER_GUI_TEST_WAIT_UNTIL

/* -------------------------------------------------------------------------- */
/* Names a screen reader can say                                             */

static gboolean
is_interactive (GtkAccessibleRole role)
{
  switch (role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_LINK:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
has_label (GtkWidget *widget)
{
  g_autofree char *empty = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  /* NULL when it equals "" */
  empty = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return empty != NULL;
}

/* Labelled by one widget that says something: a label with text, or a
 * widget with a name of its own. Looked for among WIDGET's descendants and
 * its parent's (an AdwEntryRow's text labelled by the row's title). */
static gboolean
labelled_within (GtkWidget *widget,
                 GtkWidget *scope)
{
  for (GtkWidget *child = gtk_widget_get_first_child (scope);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *differs = NULL;

      if (child != widget)
        {
          differs = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                        child, NULL);
          if (differs == NULL)
            {
              if (GTK_IS_LABEL (child))
                return *gtk_label_get_text (GTK_LABEL (child)) != '\0';
              return has_label (child);
            }
        }
      if (labelled_within (widget, child))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_named (GtkWidget *widget)
{
  GtkWidget *ancestor;

  if (has_label (widget))
    return TRUE;
  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;

  /* the row or box around it, two levels up at most */
  ancestor = widget;
  for (guint i = 0; i < 3 && ancestor != NULL; i++, ancestor = gtk_widget_get_parent (ancestor))
    if (labelled_within (widget, ancestor))
      return TRUE;
  return FALSE;
}

static void
find_unnamed (GtkWidget *widget,
              GString   *unnamed)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if (!gtk_widget_get_mapped (widget) || role == GTK_ACCESSIBLE_ROLE_PRESENTATION ||
      role == GTK_ACCESSIBLE_ROLE_NONE)
    return;

  if (is_interactive (role) && !is_named (widget))
    {
      GtkWidget *parent = gtk_widget_get_parent (widget);

      g_string_append_printf (unnamed, "\n  %s (in %s, %s)", G_OBJECT_TYPE_NAME (widget),
                              parent ? G_OBJECT_TYPE_NAME (parent) : "-",
                              gtk_widget_get_tooltip_text (widget) ? gtk_widget_get_tooltip_text (widget) : "");
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_unnamed (child, unnamed);
}

static void
assert_all_named (gpointer    window,
                  const char *where)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  /* let rows and popovers settle */
  for (guint i = 0; i < 20; i++)
    iterate ();
  find_unnamed (GTK_WIDGET (window), unnamed);
  if (unnamed->len > 0)
    g_error ("%s: controls a screen reader cannot name:%s", where, unnamed->str);
}

/* -------------------------------------------------------------------------- */
/* The window                                                                */

static DossierWindow *
open_window (void)
{
  return dossier_gui_test_open_window (app, 900, 900);
}

#define close_window dossier_gui_test_close_window
#define choose_provider dossier_gui_test_choose_provider
#define go_next dossier_gui_test_go_next
#define find_upload dossier_gui_test_find_upload

static GFile *
write_png (const char *name)
{
  g_autofree char *path = g_build_filename (scratch, name, NULL);
  guchar pixels[8 * 8 * 4];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  /* other bytes per name: the duplicate guard stays quiet */
  for (guint i = 0; i < sizeof pixels; i++)
    pixels[i] = (guchar) (i * 3 + g_str_hash (name));
  bytes = g_bytes_new (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (8, 8, GDK_MEMORY_R8G8B8A8, bytes, 8 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return g_file_new_for_path (path);
}

/* NAMES dropped on the files step, as the file manager delivers them */
static void
drop_pngs (DossierWindow      *window,
           const char * const *names)
{
  GtkWidget *page = dossier_window_get_page (window, DOSSIER_STEP_FILES);
  GtkDropTarget *target = dossier_files_page_get_drop_target (DOSSIER_FILES_PAGE (page));
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;
  DossierSubmission *submission = dossier_window_get_submission (window);

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (files, write_png (names[i]));

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array ((GFile **) files->pdata, files->len));
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  g_value_unset (&value);
  g_assert_true (handled);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) >= files->len
              && !dossier_gui_get_boolean (submission, "validating"));
}

/* Every step, for each provider, walked as a screen reader would */
static void
test_names (void)
{
  static const char * const providers[] = { "doku", "moov", "kore", "receeve", NULL };

  for (guint p = 0; providers[p] != NULL; p++)
    {
      DossierWindow *window = open_window ();
      static const char * const names[] = { "ktp.png", "logo.png", NULL };
      g_autofree char *where = NULL;
      DossierProviderPage *page;

      assert_all_named (window, "the first step, no provider");
      choose_provider (window, providers[p]);
      /* the account values the sandbox takes */
      page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
      if (g_str_equal (providers[p], "moov"))
        dossier_field_editor_set_value (dossier_provider_page_get_editor (page, "accountID"),
                                        DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
      if (g_str_equal (providers[p], "receeve"))
        {
          dossier_field_editor_set_value (dossier_provider_page_get_editor (page, "clientId"),
                                          DOSSIER_SANDBOX_RECEEVE_CLIENT_ID);
          dossier_field_editor_set_value (dossier_provider_page_get_editor (page, "accountId"),
                                          DOSSIER_SANDBOX_RECEEVE_ACCOUNT_ID);
        }
      where = g_strdup_printf ("%s: provider step", providers[p]);
      assert_all_named (window, where);

      go_next (window, DOSSIER_STEP_DETAILS);
      g_free (where);
      where = g_strdup_printf ("%s: details step", providers[p]);
      assert_all_named (window, where);

      go_next (window, DOSSIER_STEP_FILES);
      g_free (where);
      where = g_strdup_printf ("%s: files step, empty", providers[p]);
      assert_all_named (window, where);
      drop_pngs (window, names);
      g_free (where);
      where = g_strdup_printf ("%s: files step, two files", providers[p]);
      assert_all_named (window, where);
      close_window (window);
    }
}

static void collect_rows (GtkWidget *widget,
                          GPtrArray *rows);

/* KTP, NPWP and a logo go through without a batch-level code; a file
 * whose name says nothing is flagged on its row and named by the flow */
static void
test_doku_mixed (void)
{
  DossierWindow *window = open_window ();
  static const char * const names[] = { "KTP_budi.png", "npwp pt.png", "logo.png", NULL };
  static const char * const unclear[] = { "scan.png", NULL };
  DossierSubmission *submission;
  DossierDetailsPage *details;
  DossierFieldEditor *code;
  g_autofree char *reason = NULL;

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  submission = dossier_window_get_submission (window);
  details = DOSSIER_DETAILS_PAGE (dossier_window_get_page (window, DOSSIER_STEP_DETAILS));
  code = dossier_details_page_get_editor (details, "code");
  g_assert_nonnull (code);
  g_assert_true (gtk_widget_get_visible (dossier_field_editor_get_row (code)));
  g_assert_null (dossier_field_editor_get_value (code));

  /* Next without a batch code */
  g_assert_true (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));
  go_next (window, DOSSIER_STEP_FILES);

  drop_pngs (window, names);
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-ready"), ==, 3);
  g_assert_cmpstr (dossier_upload_get_value (find_upload (submission, "KTP_budi.png"), "code"), ==, "KTP");
  g_assert_cmpstr (dossier_upload_get_value (find_upload (submission, "npwp pt.png"), "code"), ==, "NPWP_BADAN");
  g_assert_cmpstr (dossier_upload_get_value (find_upload (submission, "logo.png"), "category"), ==, "LOGO");
  WAIT_UNTIL (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));

  drop_pngs (window, unclear);
  g_assert_cmpint (dossier_upload_get_state (find_upload (submission, "scan.png")), ==,
                   DOSSIER_UPLOAD_STATE_INVALID);
  g_assert_cmpstr (dossier_upload_get_problem (find_upload (submission, "scan.png")), ==,
                   "Choose a Document code");
  WAIT_UNTIL (!gtk_widget_is_sensitive (dossier_window_get_next_button (window)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (dossier_window_get_next_button (window)), ==,
                   "“scan.png” has no Document code yet: choose one on its row");
  /* and its row's dropdown shows None, not a code it does not have (GTK
   * 4.10 and later pick the first choice for a dropdown with no item) */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    GtkDropDown *scan_code = NULL;

    WAIT_UNTIL ((g_ptr_array_set_size (rows, 0),
                 collect_rows (dossier_window_get_page (window, DOSSIER_STEP_FILES), rows),
                 rows->len == 4));
    for (guint i = 0; i < rows->len; i++)
      {
        DossierFileRow *row = g_ptr_array_index (rows, i);

        if (g_str_equal (dossier_upload_get_display_name (dossier_file_row_get_upload (row)), "scan.png"))
          scan_code = dossier_file_row_get_dropdown (row, "code");
      }
    g_assert_nonnull (scan_code);
    g_assert_null (dossier_gui_choice_value_at (gtk_drop_down_get_model (scan_code),
                                                gtk_drop_down_get_selected (scan_code)));
  }

  dossier_upload_set_value (find_upload (submission, "scan.png"), "code", "NIB");
  WAIT_UNTIL (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));
  close_window (window);
}

/* -------------------------------------------------------------------------- */
/* The notification                                                          */

/* A notification server of the test's own on its private session bus: what
 * GLib's freedesktop backend sends, as a desktop would receive it */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "<signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "</interface></node>";

typedef struct
{
  guint  n_notified;
  char  *summary;
  char  *body;
  char **actions;
} Notified;

static void
notifications_method (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *interface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  Notified *notified = user_data;

  if (g_str_equal (method, "Notify"))
    {
      g_clear_pointer (&notified->summary, g_free);
      g_clear_pointer (&notified->body, g_free);
      g_clear_pointer (&notified->actions, g_strfreev);
      g_variant_get (parameters, "(&su&sss^as@a{sv}i)", NULL, NULL, NULL,
                     &notified->summary, &notified->body, &notified->actions, NULL, NULL);
      notified->n_notified++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notified->n_notified));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "dossier", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* A batch sent while another window is in front ends with a notification
 * that says how many went, and whose default action brings the window back */
static void
test_notify (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method, NULL, NULL, { 0 } };
  static const char * const names[] = { "KTP_ani.png", "logo-toko.png", NULL };
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (app));
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Notified notified = { 0, };
  DossierWindow *window;
  GtkWidget *other;
  DossierSubmission *submission;
  guint registration, owner;

  g_assert_nonnull (bus);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                    info->interfaces[0], &vtable, &notified,
                                                    NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  WAIT_UNTIL (name_has_owner (bus, "org.freedesktop.Notifications"));

  window = open_window ();
  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  go_next (window, DOSSIER_STEP_FILES);
  drop_pngs (window, names);
  submission = dossier_window_get_submission (window);
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-ready"), ==, 2);

  /* the clerk turns to another window */
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (other)) && !gtk_window_is_active (GTK_WINDOW (window)));

  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (notified.n_notified == 1);
  g_assert_cmpstr (notified.summary, ==, "Upload finished");
  g_assert_cmpstr (notified.body, ==, "2 documents sent to DOKU");
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-done"), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) notified.actions, "default"));

  /* the default action, as the desktop sends it on a click */
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", 1, "default"), &error);
  g_assert_no_error (error);
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (other));
  close_window (window);
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (bus, registration);
  g_free (notified.summary);
  g_free (notified.body);
  g_strfreev (notified.actions);
}

/* -------------------------------------------------------------------------- */
/* The files step, compact                                                   */

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (DOSSIER_IS_FILE_ROW (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static void
save_png (gpointer    window,
          const char *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  if (dir == NULL)
    return;
  for (guint i = 0; i < 60; i++)
    iterate ();
  path = g_strdup_printf ("%s/%s-%d.png", dir, name, width);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The tallest row the files step shows */
static int
tallest_row (DossierWindow *window)
{
  GtkWidget *page = dossier_window_get_page (window, DOSSIER_STEP_FILES);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  int tallest = 0;

  for (guint i = 0; i < 30; i++)
    iterate ();
  collect_rows (page, rows);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    tallest = MAX (tallest, gtk_widget_get_height (g_ptr_array_index (rows, i)));
  return tallest;
}

/* 40 DOKU documents: one line each where the window is wide */
static void
test_files_compact (void)
{
  DossierWindow *window = open_window ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  DossierSubmission *submission;
  int wide;

  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (names, g_strdup_printf (i % 3 == 0 ? "ktp-%02u.png" : i % 3 == 1 ? "npwp-%02u.png" : "akta-%02u.png", i));
  g_ptr_array_add (names, NULL);

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  go_next (window, DOSSIER_STEP_FILES);
  drop_pngs (window, (const char * const *) names->pdata);
  submission = dossier_window_get_submission (window);
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-ready"), ==, 40);

  wide = tallest_row (window);
  g_test_message ("tallest file row at %d px: %d px", gtk_widget_get_width (GTK_WIDGET (window)), wide);
#if ADW_CHECK_VERSION (1, 4, 0)
  /* a window with breakpoints has no minimum width but its width-request,
   * so the step must never ask more, even with its rows on one line (they
   * ask ~440 px; libadwaita 1.2 makes the window that wide instead) */
  {
    int page_min = 0, window_min = 0;

    gtk_widget_measure (dossier_window_get_page (window, DOSSIER_STEP_FILES), GTK_ORIENTATION_HORIZONTAL, -1,
                        &page_min, NULL, NULL, NULL);
    gtk_widget_get_size_request (GTK_WIDGET (window), &window_min, NULL);
    g_assert_cmpint (page_min, <=, window_min);
  }
#endif
  save_png (window, "files-compact");
  /* one line: the height of two lines of text and a dropdown, not 150 px */
  g_assert_cmpint (wide, <, 72);

  /* three files picked, one code for all of them */
  {
    GtkWidget *page = dossier_window_get_page (window, DOSSIER_STEP_FILES);
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    static const char * const picked[] = { "ktp-00.png", "npwp-01.png", "akta-02.png" };
    GtkDropDown *code;
    guint position;

    collect_rows (page, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        DossierFileRow *row = g_ptr_array_index (rows, i);
        const char *name = dossier_upload_get_display_name (dossier_file_row_get_upload (row));

        if (g_strv_contains (picked, name))
          gtk_check_button_set_active (GTK_CHECK_BUTTON (dossier_file_row_get_select_check (row)), TRUE);
      }
    g_assert_cmpuint (dossier_files_page_get_n_selected (DOSSIER_FILES_PAGE (page)), ==, 3);
    assert_all_named (window, "files step, three selected");
    save_png (window, "files-selected");

    code = dossier_files_page_get_selection_dropdown (DOSSIER_FILES_PAGE (page), "code");
    g_assert_nonnull (code);
    position = dossier_gui_choice_position (gtk_drop_down_get_model (code), "NIB");
    g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
    gtk_drop_down_set_selected (code, position);
    for (guint i = 0; i < G_N_ELEMENTS (picked); i++)
      g_assert_cmpstr (dossier_upload_get_value (find_upload (submission, picked[i]), "code"), ==, "NIB");
    g_assert_cmpstr (dossier_upload_get_value (find_upload (submission, "ktp-03.png"), "code"), ==, "KTP");
    g_assert_cmpstr (dossier_window_get_last_toast (window), ==, "Document code set for 3 files");
    /* ready for the next change, the selection's dropdown shows "None":
     * not the code just set, nor another one (GTK 4.10 and later never let
     * a dropdown go back to no item, and showed a choice there) */
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (code));
      DossierField *field = dossier_provider_lookup_field (dossier_submission_get_provider (submission), "code");
      GListModel *choices = dossier_field_get_choices (field);
      gboolean none_shown = FALSE;

      dossier_gui_test_iterate ();
      g_assert_null (dossier_gui_choice_value_at (gtk_drop_down_get_model (code),
                                                  gtk_drop_down_get_selected (code)));
      /* what is on screen: a stack keeps its hidden page's label */
      g_assert_true (gtk_widget_get_mapped (button));
      dossier_gui_test_collect (button, GTK_TYPE_LABEL, TRUE, labels);
      for (guint i = 0; i < labels->len; i++)
        {
          const char *text = gtk_label_get_label (g_ptr_array_index (labels, i));

          g_test_message ("selection dropdown shows \"%s\"", text);
          none_shown |= g_strcmp0 (text, "None") == 0;
          for (guint c = 0; c < g_list_model_get_n_items (choices); c++)
            {
              g_autoptr(DossierChoice) choice = g_list_model_get_item (choices, c);

              g_assert_cmpstr (text, !=, dossier_choice_get_label (choice));
            }
        }
      g_assert_true (none_shown);
    }

    /* a file removed leaves the selection */
    dossier_submission_remove (submission, find_upload (submission, "ktp-00.png"));
    WAIT_UNTIL (dossier_files_page_get_n_selected (DOSSIER_FILES_PAGE (page)) == 2);
  }

  /* narrow: the choices wrap under the name */
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 900);
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) < 500);
  {
    int narrow = tallest_row (window);

    g_test_message ("tallest file row at %d px: %d px", gtk_widget_get_width (GTK_WIDGET (window)), narrow);
    save_png (window, "files-compact");
    g_assert_cmpint (narrow, >, wide);
    /* (the step indicator's labels, 405 px, do not fit either: "3 of 4 ·
     * Files" is shown, or a fatal warning would say that it asked more
     * than it had) */
  }
  close_window (window);
}

/* -------------------------------------------------------------------------- */
/* The follow-up: a review comes back, a task, its re-upload                 */

static gboolean
window_has_follow_up (DossierWindow *window)
{
  return dossier_window_get_needs_attention (window) != NULL;
}

static DossierHistoryEntry *
find_entry (const char *file_name)
{
  GListModel *history = G_LIST_MODEL (dossier_history_get_default ());

  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(DossierHistoryEntry) entry = g_list_model_get_item (history, i);

      if (g_strcmp0 (dossier_history_entry_get_file_name (entry), file_name) == 0)
        return entry;   /* the history keeps it */
    }
  return NULL;
}

/* the dialog above @window, or NULL */
static GtkWindow *
find_transient (DossierWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (w) == GTK_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;   /* the toplevels list keeps it */
    }
  return NULL;
}

/* With DOSSIER_SCREENSHOT_DIR set, NAME-light.png and NAME-dark.png */
static void
screenshot_both (gpointer    window,
                 const char *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (dir == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *file_name = g_strdup_printf ("%s-%s.png", name, i == 0 ? "light" : "dark");
      g_autofree char *path = g_build_filename (dir, file_name, NULL);

      adw_style_manager_set_color_scheme (style, i == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT : ADW_COLOR_SCHEME_FORCE_DARK);
      dossier_gui_test_save_png (GTK_WIDGET (window), path);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
has_group_description (GtkWidget  *widget,
                       const char *text)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  dossier_gui_test_collect (widget, ADW_TYPE_PREFERENCES_GROUP, FALSE, groups);
  for (guint i = 0; i < groups->len; i++)
    if (g_strcmp0 (adw_preferences_group_get_description (g_ptr_array_index (groups, i)), text) == 0)
      return TRUE;
  return FALSE;
}

/* From Upload on a checklist item to Done, sending @name */
static void
send_from_flow (DossierWindow *window,
                const char    *name)
{
  const char *names[] = { name, NULL };
  DossierSubmission *submission;

  WAIT_UNTIL (dossier_window_get_step (window) == DOSSIER_STEP_FILES);
  drop_pngs (window, names);
  submission = dossier_window_get_submission (window);
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (!dossier_gui_get_boolean (submission, "running") && dossier_gui_get_uint (submission, "n-done") == 1);
  /* Done: the merchant's page again (the button follows the counts a
   * main-loop turn later: pressed once it can be) */
  WAIT_UNTIL (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
  WAIT_UNTIL (!_dossier_window_in_flow (window));
}

/* The state of @requirement_id's item in @view's checklist */
static DossierChecklistState
checklist_state (DossierChecklistView *view,
                 const char           *requirement_id)
{
  GListModel *items = G_LIST_MODEL (dossier_checklist_view_get_checklist (view));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (dossier_checklist_item_get_requirement_id (item), requirement_id) == 0)
        return dossier_checklist_item_get_state (item);
    }
  return DOSSIER_CHECKLIST_STATE_MISSING;
}

/* A Moov upload of a blurry scan is rejected: a refresh brings the
 * decision (a notification while the window is behind another, which
 * opens the merchant), a task on the page and in Needs Attention; Upload
 * on the task sends the new file with the requirement and the error code;
 * once Moov approves it the task is gone. Every view walked by name. */
static void
test_follow_up (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method, NULL, NULL, { 0 } };
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (app));
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierMerchant) added = dossier_merchant_new ("Toko Makmur");
  g_autofree char *requirement_id = NULL;
  g_autofree char *no_reviews = NULL;
  Notified notified = { 0, };
  DossierCatalogue *catalogue = dossier_application_get_catalogue (app);
  DossierMerchantStore *store;
  DossierMerchantHome *home;
  DossierMerchantPage *page;
  DossierMerchantFollowUp *follow_up;
  DossierNeedsAttention *attention;
  DossierChecklistView *view;
  DossierChecklistItem *item = NULL;
  DossierSubmission *submission;
  DossierWindow *window;
  GtkWidget *other;
  const char *metadata;
  guint registration, owner;

  /* the sandbox decides as soon as a file is stored */
  dossier_sandbox_set_review_after (sandbox, 0);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                    info->interfaces[0], &vtable, &notified, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  WAIT_UNTIL (name_has_owner (bus, "org.freedesktop.Notifications"));

  window = dossier_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) && window_has_follow_up (window));
  home = dossier_window_get_merchant_home (window);
  page = dossier_merchant_home_get_page (home);
  follow_up = dossier_merchant_page_get_follow_up (page);
  attention = dossier_window_get_needs_attention (window);
  store = dossier_window_get_merchant_store (window);

  /* nothing needs attention yet: the empty state, walked by name */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.needs-attention", NULL);
  WAIT_UNTIL (dossier_merchant_home_get_attention_shown (home));
  g_assert_cmpuint (dossier_needs_attention_get_n_rows (attention), ==, 0);
  g_assert_null (dossier_needs_attention_get_count_text (attention));
  assert_all_named (window, "Needs Attention, empty");

  /* the New Merchant dialog, by name */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-merchant", NULL);
  {
    GtkWindow *dialog = NULL;

    WAIT_UNTIL ((dialog = find_transient (window)) != NULL);
    WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
    assert_all_named (dialog, "New Merchant");
    gtk_window_destroy (dialog);
  }

  /* a merchant with a Moov account */
  g_assert_true (dossier_merchant_set_account_value (added, dossier_catalogue_lookup (catalogue, "moov"),
                                                     "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_merchant_store_add (store, added, &error));
  g_assert_no_error (error);
  _dossier_window_show_merchant_id (window, dossier_merchant_get_id (added));
  WAIT_UNTIL (dossier_merchant_page_get_merchant (page) != NULL);
  assert_all_named (window, "the merchants and a merchant page");

  /* a provider that reports no reviews says so */
  no_reviews = dossier_follow_up_describe_no_reviews (dossier_catalogue_lookup (catalogue, "receeve"));
  g_assert_true (has_group_description (GTK_WIDGET (page), no_reviews));

  /* the blurry scan, sent from Moov's checklist item */
  view = dossier_merchant_page_get_checklist_view (page, "moov");
  g_assert_nonnull (view);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (dossier_checklist_view_get_checklist (view))) > 0);
  for (guint i = 0; item == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (dossier_checklist_view_get_checklist (view))); i++)
    {
      g_autoptr(DossierChecklistItem) candidate = g_list_model_get_item (G_LIST_MODEL (dossier_checklist_view_get_checklist (view)), i);

      if (dossier_checklist_item_get_state (candidate) == DOSSIER_CHECKLIST_STATE_MISSING)
        item = candidate;
    }
  g_assert_nonnull (item);
  requirement_id = g_strdup (dossier_checklist_item_get_requirement_id (item));
  g_signal_emit_by_name (view, "upload-requested", item);
  send_from_flow (window, "blurry-ktp.png");

  /* Refresh shows its progress and can be stopped ... */
  g_assert_true (dossier_sandbox_add_fault (sandbox, "moov/list:delay=30000,times=1", &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (dossier_merchant_follow_up_get_refresh_button (follow_up), "clicked");
  WAIT_UNTIL (dossier_merchant_follow_up_get_busy (follow_up));
  g_assert_true (gtk_widget_get_visible (dossier_merchant_follow_up_get_cancel_button (follow_up)));
  g_assert_false (gtk_widget_get_visible (dossier_merchant_follow_up_get_refresh_button (follow_up)));
  g_signal_emit_by_name (dossier_merchant_follow_up_get_cancel_button (follow_up), "clicked");
  WAIT_UNTIL (!dossier_merchant_follow_up_get_busy (follow_up));
  {
    g_autofree char *lines = dossier_merchant_follow_up_describe (follow_up);

    g_assert_nonnull (strstr (lines, "Moov could not be asked: stopped before it answered"));
  }
  g_assert_true (gtk_widget_get_visible (dossier_merchant_follow_up_get_refresh_button (follow_up)));
  dossier_sandbox_clear_faults (sandbox);

  /* ... and a failure says what the provider said, also when it comes
   * from the background after a Cancel (not "stopped before it answered") */
  g_assert_true (dossier_sandbox_add_fault (sandbox, "moov/list:status=500,times=1", &error));
  g_assert_no_error (error);
  g_assert_true (dossier_follow_up_scheduler_refresh_now (dossier_follow_up_gui_get_scheduler (dossier_application_get_follow_up (app)),
                                                          dossier_merchant_get_id (added)));
  {
    g_autofree char *lines = NULL;

    WAIT_UNTIL (!dossier_merchant_follow_up_get_busy (follow_up) &&
                strstr ((lines = (g_free (lines), dossier_merchant_follow_up_describe (follow_up))),
                        "Moov could not be asked: ") != NULL &&
                strstr (lines, "stopped") == NULL);
    g_test_message ("after a 500: %s", lines);
  }
  dossier_sandbox_clear_faults (sandbox);

  /* the clerk turns to another window; Refresh brings Moov's decision */
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (other)) && !gtk_window_is_active (GTK_WINDOW (window)));
  g_signal_emit_by_name (dossier_merchant_follow_up_get_refresh_button (follow_up), "clicked");
  /* (the batch's own notification may come first) */
  WAIT_UNTIL (notified.body != NULL && g_str_has_prefix (notified.body, "Moov rejected"));
  g_assert_cmpstr (notified.body, ==, "Moov rejected blurry-ktp.png of Toko Makmur: document-illegible");
  g_assert_true (g_strv_contains ((const char * const *) notified.actions, "default"));
  WAIT_UNTIL (dossier_merchant_follow_up_get_n_tasks (follow_up) == 1);
  WAIT_UNTIL (!dossier_merchant_follow_up_get_busy (follow_up));
  /* the checklist says it too, not "pending review" until it is asked */
  WAIT_UNTIL (checklist_state (view, requirement_id) == DOSSIER_CHECKLIST_STATE_REJECTED);

  /* Needs Attention shows it; its default action opens the merchant */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.needs-attention", NULL);
  WAIT_UNTIL (dossier_merchant_home_get_attention_shown (home));
  g_assert_cmpuint (dossier_needs_attention_get_n_rows (attention), ==, 1);
  g_assert_cmpstr (dossier_needs_attention_get_count_text (attention), ==, "1");
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", notified.n_notified, "default"), &error);
  g_assert_no_error (error);
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (window)) && !dossier_merchant_home_get_attention_shown (home));
  g_assert_true (dossier_merchant_page_get_merchant (page) == dossier_merchant_store_lookup (store, dossier_merchant_get_id (added)));
  gtk_window_destroy (GTK_WINDOW (other));

  /* the list of every merchant's tasks, by name and in pictures; a row
   * opens its merchant */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.needs-attention", NULL);
  WAIT_UNTIL (dossier_merchant_home_get_attention_shown (home));
  assert_all_named (window, "Needs Attention, one task");
  screenshot_both (window, "needs-attention");
  dossier_needs_attention_activate_row (attention, 0);
  WAIT_UNTIL (!dossier_merchant_home_get_attention_shown (home));
  assert_all_named (window, "a merchant page with a task");
  screenshot_both (window, "merchant-task");

  /* Upload on the task: the same provider, account, requirement and the
   * error code it answers */
  g_signal_emit_by_name (dossier_merchant_follow_up_get_task_button (follow_up, 0), "clicked");
  WAIT_UNTIL (dossier_window_get_step (window) == DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);
  g_assert_cmpstr (dossier_provider_get_id (dossier_submission_get_provider (submission)), ==, "moov");
  g_assert_cmpstr (dossier_submission_get_value (submission, "accountID"), ==, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  metadata = dossier_submission_get_value (submission, "metadata");
  g_assert_nonnull (metadata);
  g_assert_nonnull (strstr (metadata, requirement_id));
  g_assert_nonnull (strstr (metadata, "document-illegible"));
  send_from_flow (window, "sharp-ktp.png");

  /* Moov approves it: the task is closed everywhere */
  dossier_merchant_follow_up_refresh (follow_up);
  WAIT_UNTIL (find_entry ("sharp-ktp.png") != NULL &&
              g_strcmp0 (dossier_history_entry_get_remote_status (find_entry ("sharp-ktp.png")), "approved") == 0);
  WAIT_UNTIL (dossier_merchant_follow_up_get_n_tasks (follow_up) == 0);
  g_assert_cmpuint (dossier_needs_attention_get_n_rows (attention), ==, 0);
  g_assert_null (dossier_needs_attention_get_count_text (attention));

  close_window (window);
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (bus, registration);
  g_free (notified.summary);
  g_free (notified.body);
  g_strfreev (notified.actions);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state_dir = NULL;
  int status;

  state_dir = g_dir_make_tmp ("dossier-access-state-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  /* the merchants' record of this run only */
  g_setenv ("XDG_DATA_HOME", state_dir, TRUE);
  /* the follow-up asks only when the test does */
  g_setenv ("DOSSIER_FOLLOW_UP_SECONDS", "0", TRUE);

  gtk_test_init (&argc, &argv, NULL);

  scratch = g_dir_make_tmp ("dossier-access-XXXXXX", &error);
  g_assert_no_error (error);

  sandbox = dossier_sandbox_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_sandbox_start_thread (sandbox, 0, &error));
  g_assert_no_error (error);

  app = dossier_application_new ();
  dossier_application_set_sandbox_url (app, dossier_sandbox_get_base_url (sandbox));
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/access/names", test_names);
  g_test_add_func ("/access/doku-mixed", test_doku_mixed);
  g_test_add_func ("/access/notify", test_notify);
  g_test_add_func ("/access/files-compact", test_files_compact);
  /* run on its own (meson test gui-follow-up) */
  g_test_add_func ("/access/follow-up/flow", test_follow_up);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&sandbox);
  return status;
}
