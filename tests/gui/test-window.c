/* test-window.c: the whole flow in a real window, against the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dossier-application.h"
#include "dossier-details-page.h"
#include "dossier-file-row.h"
#include "dossier-files-page.h"
#include "dossier-gui-util.h"
#include "dossier-provider-page.h"
#include "dossier-sandbox.h"
#include "dossier-step-indicator.h"
#include "dossier-upload-page.h"
#include "dossier-upload-row.h"
#include "dossier-window-private.h"

static DossierApplication *app;
static DossierSandbox *sandbox;
static char *scratch;

#define TIMEOUT_SECONDS 20

static void
iterate (void)
{
  for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_usleep (2000);
}

/* Runs the main loop until EXPR holds, failing after TIMEOUT_SECONDS. */
#define WAIT_UNTIL(expr)                                                    \
  G_STMT_START {                                                            \
    gint64 end_ = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC; \
    while (!(expr))                                                         \
      {                                                                     \
        if (g_get_monotonic_time () > end_)                                 \
          {                                                                 \
            g_test_message ("timed out waiting for: %s", #expr);            \
            g_assert_not_reached ();                                        \
          }                                                                 \
        iterate ();                                                         \
      }                                                                     \
  } G_STMT_END

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* The row widget the list view shows for an upload, or NULL. */
static GtkWidget *
find_row (GtkWidget     *list_view,
          GType          type,
          DossierUpload *upload)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (list_view, type, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      DossierUpload *bound = type == DOSSIER_TYPE_FILE_ROW
                             ? dossier_file_row_get_upload (DOSSIER_FILE_ROW (row))
                             : dossier_upload_row_get_upload (DOSSIER_UPLOAD_ROW (row));

      if (bound == upload)
        return row;
    }

  return NULL;
}

static DossierUpload *
find_upload (DossierSubmission *submission,
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

/* Renders the window, as it is drawn, into a PNG at PATH. */
static void
save_png (DossierWindow *window,
          const char    *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  /* let rows, transitions and thumbnails settle */
  for (guint i = 0; i < 60; i++)
    iterate ();
  g_usleep (300 * 1000);
  iterate ();

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* With DOSSIER_SCREENSHOT_DIR set, saves what the window shows, for a
 * person to look at; otherwise does nothing. */
static void
screenshot (DossierWindow *window,
            const char    *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  file_name = g_strdup_printf ("%s-%d.png", name, gtk_widget_get_width (GTK_WIDGET (window)));
  path = g_build_filename (dir, file_name, NULL);
  save_png (window, path);
}

static gboolean
next_enabled (DossierWindow *window)
{
  return gtk_widget_is_sensitive (dossier_window_get_next_button (window));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

static int window_width = 900;
static int window_height = 1000;

static DossierWindow *
open_window (void)
{
  DossierWindow *window = dossier_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), window_width, window_height);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  return window;
}

static void
close_window (DossierWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

static void
choose_provider (DossierWindow *window,
                 const char    *id)
{
  DossierProviderPage *page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  GtkWidget *row = dossier_provider_page_get_provider_row (page, id);
  AdwComboRow *environment;

  g_assert_nonnull (row);
  /* the row activates its radio button, as a click or Enter does */
  gtk_widget_activate (row);
  iterate ();
  g_assert_cmpstr (dossier_provider_get_id (dossier_submission_get_provider (dossier_window_get_submission (window))),
                   ==, id);

  /* Sandbox, the first choice of a new user */
  environment = dossier_provider_page_get_environment_row (page);
  adw_combo_row_set_selected (environment, 0);
  iterate ();
  g_assert_cmpstr (dossier_submission_get_environment (dossier_window_get_submission (window)), ==, "sandbox");
}

/* A real PNG, drawn by GDK */
static GFile *
write_png (const char *name)
{
  g_autofree char *path = g_build_filename (scratch, name, NULL);
  guchar pixels[16 * 16 * 4];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint i = 0; i < sizeof pixels; i++)
    pixels[i] = (guchar) (i * 7);
  bytes = g_bytes_new (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (16, 16, GDK_MEMORY_R8G8B8A8, bytes, 16 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return g_file_new_for_path (path);
}

/* A PDF that pretends to be a PNG */
static GFile *
write_fake_png (const char *name)
{
  g_autofree char *path = g_build_filename (scratch, name, NULL);
  const char *pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, pdf, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* What a drop of files from the file manager delivers to the page */
static void
drop_files (DossierWindow *window,
            GFile        **files,
            gsize          n_files)
{
  GtkWidget *page = dossier_window_get_page (window, DOSSIER_STEP_FILES);
  GtkDropTarget *target = dossier_files_page_get_drop_target (DOSSIER_FILES_PAGE (page));
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, n_files));
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  g_value_unset (&value);
  g_assert_true (handled);
}

static guint
count_received (const char *provider,
                const char *file_name,
                const char *id)
{
  g_autoptr(JsonNode) received = dossier_sandbox_dup_received (sandbox);
  JsonArray *array = json_node_get_array (received);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (record, "provider", ""), provider) != 0)
        continue;
      if (file_name != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (record, "file_name", ""), file_name) != 0)
        continue;
      if (id != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (record, "id", ""), id) != 0)
        continue;
      n++;
    }

  return n;
}

static gboolean
finished (DossierSubmission *submission)
{
  gboolean running = TRUE, validating = TRUE;

  g_object_get (submission, "running", &running, "validating", &validating, NULL);
  return !running && !validating;
}

static void
go_next (DossierWindow *window,
         DossierStep    expected)
{
  WAIT_UNTIL (next_enabled (window));
  click (dossier_window_get_next_button (window));
  iterate ();
  g_assert_cmpint (dossier_window_get_step (window), ==, expected);
}

static void
set_document_details (DossierWindow *window,
                      const char    *code)
{
  DossierDetailsPage *details = DOSSIER_DETAILS_PAGE (dossier_window_get_page (window, DOSSIER_STEP_DETAILS));
  DossierSubmission *submission = dossier_window_get_submission (window);
  DossierFieldEditor *category = dossier_details_page_get_editor (details, "category");
  DossierFieldEditor *code_editor = dossier_details_page_get_editor (details, "code");

  g_assert_nonnull (category);
  g_assert_nonnull (code_editor);
  g_assert_null (dossier_details_page_get_editor (details, "file_url"));

  /* the code row exists only for the DOCUMENT category */
  dossier_field_editor_set_value (category, "LOGO");
  g_assert_false (gtk_widget_get_visible (dossier_field_editor_get_row (code_editor)));
  g_assert_cmpstr (dossier_submission_get_value (submission, "category"), ==, "LOGO");

  dossier_field_editor_set_value (category, "DOCUMENT");
  g_assert_true (gtk_widget_get_visible (dossier_field_editor_get_row (code_editor)));

  dossier_field_editor_set_value (code_editor, code);
  g_assert_cmpstr (dossier_field_editor_get_value (code_editor), ==, code);
  g_assert_cmpstr (dossier_submission_get_value (submission, "code"), ==, code);
  /* the subtitle shows the API value */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (dossier_field_editor_get_row (code_editor))),
                   ==, code);
}

static void
test_doku_flow (void)
{
  DossierWindow *window = open_window ();
  DossierProviderPage *provider_page;
  DossierSubmission *submission;
  GtkWidget *list_view;
  g_autoptr(GFile) good = write_png ("ktp-budi.png");
  g_autoptr(GFile) bad = write_fake_png ("scan-003.png");
  GFile *files[2];
  DossierUpload *good_upload, *bad_upload;
  DossierFileRow *good_row, *bad_row;
  DossierUploadRow *done_row, *rejected_row;
  const DossierResult *result;
  guint received_before;

  /* 1: provider, Sandbox, credentials filled in */
  choose_provider (window, "doku");
  provider_page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  g_assert_cmpstr (dossier_window_get_subtitle (window), ==, "DOKU · Sandbox");
  /* compared, never printed */
  g_assert_true (g_str_equal (gtk_editable_get_text (dossier_provider_page_get_client_id_row (provider_page)),
                              DOSSIER_SANDBOX_DOKU_CLIENT_ID));
  g_assert_false (gtk_widget_get_visible (dossier_window_get_back_button (window)));
  screenshot (window, "1-provider");
  go_next (window, DOSSIER_STEP_DETAILS);
  g_assert_true (gtk_widget_get_visible (dossier_window_get_back_button (window)));

  /* 2: details; the default code is not the one the file name suggests */
  set_document_details (window, "NPWP_BADAN");
  screenshot (window, "2-details");
  go_next (window, DOSSIER_STEP_FILES);
  screenshot (window, "3-files-empty");

  /* 3: a drop of two files: a PNG, and a PDF named .png */
  submission = dossier_window_get_submission (window);
  received_before = count_received ("doku", NULL, NULL);
  files[0] = good;
  files[1] = bad;
  drop_files (window, files, G_N_ELEMENTS (files));
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 2
              && finished (submission));

  good_upload = find_upload (submission, "ktp-budi.png");
  bad_upload = find_upload (submission, "scan-003.png");
  g_assert_nonnull (good_upload);
  g_assert_nonnull (bad_upload);
  g_assert_cmpint (dossier_upload_get_state (good_upload), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_cmpint (dossier_upload_get_state (bad_upload), ==, DOSSIER_UPLOAD_STATE_INVALID);
  /* "ktp" in the name picks the KTP code for that file only */
  g_assert_cmpstr (dossier_upload_get_value (good_upload, "code"), ==, "KTP");
  g_assert_cmpstr (dossier_upload_get_value (bad_upload, "code"), ==, "NPWP_BADAN");

  list_view = dossier_files_page_get_list_view (DOSSIER_FILES_PAGE (dossier_window_get_page (window, DOSSIER_STEP_FILES)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_FILE_ROW, good_upload) != NULL
              && find_row (list_view, DOSSIER_TYPE_FILE_ROW, bad_upload) != NULL);
  good_row = DOSSIER_FILE_ROW (find_row (list_view, DOSSIER_TYPE_FILE_ROW, good_upload));
  bad_row = DOSSIER_FILE_ROW (find_row (list_view, DOSSIER_TYPE_FILE_ROW, bad_upload));
  WAIT_UNTIL (g_strcmp0 (dossier_file_row_get_status_text (good_row), "Ready to send") == 0);
  g_assert_nonnull (dossier_upload_get_problem (bad_upload));
  g_assert_cmpstr (dossier_file_row_get_status_text (bad_row), ==, dossier_upload_get_problem (bad_upload));

  /* the per-file dropdown shows the suggested code */
  {
    GtkDropDown *code = dossier_file_row_get_dropdown (good_row, "code");
    DossierChoice *choice;

    g_assert_nonnull (code);
    choice = gtk_drop_down_get_selected_item (code);
    g_assert_nonnull (choice);
    g_assert_cmpstr (dossier_choice_get_value (choice), ==, "KTP");
  }

  /* another type for this file only: the code dropdown follows the category */
  {
    GtkDropDown *category = dossier_file_row_get_dropdown (good_row, "category");
    DossierField *field = dossier_provider_lookup_field (dossier_submission_get_provider (submission), "category");
    guint logo = GTK_INVALID_LIST_POSITION, document = GTK_INVALID_LIST_POSITION;
    GListModel *choices = dossier_field_get_choices (field);

    for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
      {
        g_autoptr(DossierChoice) choice = g_list_model_get_item (choices, i);

        if (g_str_equal (dossier_choice_get_value (choice), "LOGO"))
          logo = i;
        else if (g_str_equal (dossier_choice_get_value (choice), "DOCUMENT"))
          document = i;
      }

    g_assert_nonnull (category);
    gtk_drop_down_set_selected (category, logo);
    g_assert_cmpstr (dossier_upload_get_value (good_upload, "category"), ==, "LOGO");
    WAIT_UNTIL (dossier_file_row_get_dropdown (good_row, "code") == NULL);
    g_assert_cmpstr (dossier_upload_get_value (bad_upload, "category"), ==, "DOCUMENT");

    category = dossier_file_row_get_dropdown (good_row, "category");
    gtk_drop_down_set_selected (category, document);
    WAIT_UNTIL (dossier_file_row_get_dropdown (good_row, "code") != NULL);
    g_assert_cmpstr (dossier_upload_get_value (good_upload, "category"), ==, "DOCUMENT");
    WAIT_UNTIL (dossier_upload_get_state (good_upload) == DOSSIER_UPLOAD_STATE_READY
                && finished (submission));
  }

  WAIT_UNTIL (strstr (dossier_files_page_get_summary (DOSSIER_FILES_PAGE (dossier_window_get_page (window, DOSSIER_STEP_FILES))),
                      "1 needs attention") != NULL);
  g_assert_nonnull (strstr (dossier_files_page_get_summary (DOSSIER_FILES_PAGE (dossier_window_get_page (window, DOSSIER_STEP_FILES))),
                            "2 files"));

  screenshot (window, "3-files");

  /* 4: upload to the sandbox */
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (good_upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpint (dossier_upload_get_state (bad_upload), ==, DOSSIER_UPLOAD_STATE_INVALID);

  result = dossier_upload_get_result (good_upload);
  g_assert_nonnull (result);
  g_assert_nonnull (result->remote_id);
  g_assert_nonnull (result->link);

  list_view = dossier_upload_page_get_list_view (DOSSIER_UPLOAD_PAGE (dossier_window_get_page (window, DOSSIER_STEP_UPLOAD)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, good_upload) != NULL
              && find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, bad_upload) != NULL);
  done_row = DOSSIER_UPLOAD_ROW (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, good_upload));
  rejected_row = DOSSIER_UPLOAD_ROW (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, bad_upload));

  /* the row shows what the sandbox answered, and the sandbox has the file */
  g_assert_cmpstr (dossier_upload_row_get_remote_id (done_row), ==, result->remote_id);
  g_assert_cmpstr (dossier_upload_row_get_link (done_row), ==, result->link);
  g_assert_cmpstr (dossier_upload_row_get_state_text (done_row), ==, "Sent");
  g_assert_nonnull (strstr (dossier_upload_row_get_details_text (done_row), "Link valid for"));
  g_assert_cmpuint (count_received ("doku", "ktp-budi.png", result->remote_id), ==, 1);

  /* the rejected file shows why, and nothing of it reached the sandbox */
  g_assert_cmpstr (dossier_upload_row_get_problem_text (rejected_row), ==, dossier_upload_get_problem (bad_upload));
  g_assert_cmpuint (count_received ("doku", "scan-003.png", NULL), ==, 0);
  g_assert_cmpuint (count_received ("doku", NULL, NULL), ==, received_before + 1);

  screenshot (window, "4-results");

  /* copy the link: a toast says so */
  click (dossier_upload_row_get_copy_button (done_row));
  g_assert_cmpstr (dossier_window_get_last_toast (window), ==, "Link copied");

  /* New submission: files gone, provider and credentials kept */
  go_next (window, DOSSIER_STEP_PROVIDER);
  g_assert_cmpuint (g_list_model_get_n_items (dossier_submission_get_uploads (submission)), ==, 0);
  g_assert_true (dossier_window_get_submission (window) == submission);
  g_assert_cmpstr (dossier_window_get_subtitle (window), ==, "DOKU · Sandbox");
  g_assert_true (g_str_equal (gtk_editable_get_text (dossier_provider_page_get_client_id_row (provider_page)),
                              DOSSIER_SANDBOX_DOKU_CLIENT_ID));
  WAIT_UNTIL (next_enabled (window));

  close_window (window);
}

static void
test_cancel (void)
{
  DossierWindow *window = open_window ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) slow = write_png ("slow.png");
  GFile *files[1];
  DossierSubmission *submission;
  DossierUpload *upload;
  DossierUploadRow *row;
  GtkWidget *list_view;

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "KTP");
  go_next (window, DOSSIER_STEP_FILES);

  files[0] = slow;
  drop_files (window, files, 1);
  submission = dossier_window_get_submission (window);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  upload = find_upload (submission, "slow.png");

  /* the sandbox holds the answer long enough to cancel */
  g_assert_true (dossier_sandbox_add_fault (sandbox, "doku/upload:delay=30000", &error));
  g_assert_no_error (error);

  go_next (window, DOSSIER_STEP_UPLOAD);
  g_assert_false (next_enabled (window));
  list_view = dossier_upload_page_get_list_view (DOSSIER_UPLOAD_PAGE (dossier_window_get_page (window, DOSSIER_STEP_UPLOAD)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, upload) != NULL);
  row = DOSSIER_UPLOAD_ROW (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, upload));
  WAIT_UNTIL (gtk_widget_get_visible (dossier_upload_row_get_cancel_button (row)));
  screenshot (window, "4-progress");

  click (dossier_upload_row_get_cancel_button (row));
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_CANCELLED);
  g_assert_cmpstr (dossier_upload_row_get_state_text (row), ==, "Cancelled");
  g_assert_true (gtk_widget_get_visible (dossier_upload_row_get_retry_button (row)));
  g_assert_false (gtk_widget_get_visible (dossier_upload_row_get_cancel_button (row)));
  g_assert_null (dossier_upload_row_get_remote_id (row));
  dossier_sandbox_clear_faults (sandbox);

  /* Retry sends it after all */
  click (dossier_upload_row_get_retry_button (row));
  WAIT_UNTIL (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_DONE);
  WAIT_UNTIL (dossier_upload_row_get_remote_id (row) != NULL);
  g_assert_cmpstr (dossier_upload_row_get_remote_id (row), ==, dossier_upload_get_result (upload)->remote_id);

  /* Cancel All, with the sandbox slow again */
  WAIT_UNTIL (next_enabled (window));
  go_next (window, DOSSIER_STEP_PROVIDER);
  go_next (window, DOSSIER_STEP_DETAILS);
  go_next (window, DOSSIER_STEP_FILES);
  drop_files (window, files, 1);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  upload = find_upload (submission, "slow.png");
  g_assert_true (dossier_sandbox_add_fault (sandbox, "doku/upload:delay=30000", &error));
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_RUNNING);
  click (dossier_upload_page_get_cancel_button (DOSSIER_UPLOAD_PAGE (dossier_window_get_page (window, DOSSIER_STEP_UPLOAD))));
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_CANCELLED);
  dossier_sandbox_clear_faults (sandbox);

  close_window (window);
}

static void
test_moov_account (void)
{
  DossierWindow *window = open_window ();
  DossierProviderPage *page;
  DossierFieldEditor *account;
  const char *tooltip;

  choose_provider (window, "moov");
  g_assert_cmpstr (dossier_window_get_subtitle (window), ==, "Moov · Sandbox");
  page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  account = dossier_provider_page_get_editor (page, "accountID");
  g_assert_nonnull (account);
  g_assert_true (ADW_IS_ENTRY_ROW (dossier_field_editor_get_row (account)));

  /* no account yet: Next says what is missing */
  dossier_field_editor_set_value (account, "");
  iterate ();
  iterate ();
  g_assert_false (next_enabled (window));
  tooltip = gtk_widget_get_tooltip_text (dossier_window_get_next_button (window));
  g_assert_nonnull (tooltip);
  g_assert_cmpstr (tooltip, !=, "");
  screenshot (window, "1-moov");

  dossier_field_editor_set_value (account, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  WAIT_UNTIL (next_enabled (window));
  g_assert_null (gtk_widget_get_tooltip_text (dossier_window_get_next_button (window)));
  g_assert_cmpstr (dossier_submission_get_value (dossier_window_get_submission (window), "accountID"),
                   ==, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);

  /* step 2: Moov's file purpose, generated from the catalogue */
  go_next (window, DOSSIER_STEP_DETAILS);
  g_assert_nonnull (dossier_details_page_get_editor (DOSSIER_DETAILS_PAGE (dossier_window_get_page (window, DOSSIER_STEP_DETAILS)),
                                                     "filePurpose"));

  /* Alt+Left goes back */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  g_assert_cmpint (dossier_window_get_step (window), ==, DOSSIER_STEP_PROVIDER);

  /* the about window opens on top of this one (a dialog inside it from
   * libadwaita 1.5 on) */
#if !ADW_CHECK_VERSION (1, 5, 0)
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint before = g_list_model_get_n_items (toplevels);

    g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
    WAIT_UNTIL (g_list_model_get_n_items (toplevels) == before + 1);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i);

        if (other != GTK_WINDOW (window))
          gtk_window_close (other);
      }
    WAIT_UNTIL (g_list_model_get_n_items (toplevels) == before);
  }
#endif

  close_window (window);
}

/* Kore's fileContext is an open choice: typed, default filled in, and a
 * context that is not in the list is sent as it is */
static void
test_kore_open_choice (void)
{
  DossierWindow *window = open_window ();
  g_autoptr(GFile) file = write_png ("product-photo.png");
  GFile *files[] = { file };
  DossierFieldEditor *context;
  DossierSubmission *submission;
  DossierUpload *upload;

  choose_provider (window, "kore");
  g_assert_cmpstr (dossier_window_get_subtitle (window), ==, "Kore.ai · Sandbox");
  go_next (window, DOSSIER_STEP_DETAILS);

  context = dossier_details_page_get_editor (DOSSIER_DETAILS_PAGE (dossier_window_get_page (window, DOSSIER_STEP_DETAILS)),
                                             "fileContext");
  g_assert_nonnull (context);
  g_assert_true (ADW_IS_ENTRY_ROW (dossier_field_editor_get_row (context)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dossier_field_editor_get_row (context))), ==, "bulkImport");

  gtk_editable_set_text (GTK_EDITABLE (dossier_field_editor_get_row (context)), "workflowInput");
  submission = dossier_window_get_submission (window);
  WAIT_UNTIL (g_strcmp0 (dossier_submission_get_value (submission, "fileContext"), "workflowInput") == 0);

  go_next (window, DOSSIER_STEP_FILES);
  drop_files (window, files, 1);
  WAIT_UNTIL (finished (submission));
  upload = g_list_model_get_item (dossier_submission_get_uploads (submission), 0);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_cmpstr (dossier_upload_get_value (upload, "fileContext"), ==, "workflowInput");

  click (dossier_window_get_next_button (window));
  WAIT_UNTIL (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (count_received ("kore", "product-photo.png", dossier_upload_get_result (upload)->remote_id), ==, 1);
  g_object_unref (upload);

  close_window (window);
}

/* Ctrl+V with files copied in the file manager; from the first step it
 * goes through the steps that are complete */
static void
test_paste (void)
{
  DossierWindow *window = open_window ();
  g_autoptr(GFile) file = write_png ("nib-scan.png");
  GFile *files[] = { file };
  g_autoptr(GdkContentProvider) content = NULL;
  DossierSubmission *submission;
  GdkFileList *list;

  choose_provider (window, "doku");
  list = gdk_file_list_new_from_array (files, 1);
  content = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (window)), content);

  /* the details are not complete yet (no code): the window says so */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste-files", NULL);
  g_assert_cmpint (dossier_window_get_step (window), ==, DOSSIER_STEP_DETAILS);
  g_assert_nonnull (dossier_window_get_last_toast (window));

  set_document_details (window, "KTP");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste-files", NULL);
  g_assert_cmpint (dossier_window_get_step (window), ==, DOSSIER_STEP_FILES);

  submission = dossier_window_get_submission (window);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  g_assert_nonnull (find_upload (submission, "nib-scan.png"));
  g_assert_cmpstr (dossier_upload_get_value (find_upload (submission, "nib-scan.png"), "code"), ==, "NIB");

  /* and it is sent */
  {
    GtkWidget *page = dossier_window_get_page (window, DOSSIER_STEP_FILES);

    WAIT_UNTIL (strstr (dossier_files_page_get_summary (DOSSIER_FILES_PAGE (page)), "1 file") != NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
    g_assert_cmpint (dossier_window_get_step (window), ==, DOSSIER_STEP_UPLOAD);
    WAIT_UNTIL (finished (submission));
    g_assert_cmpuint (count_received ("doku", "nib-scan.png", NULL), ==, 1);
  }

  close_window (window);
}

/* A thousand files dropped at once: the window keeps drawing. The longest
 * gap between two main loop iterations is measured. */
static void
test_many_files (void)
{
  DossierWindow *window = open_window ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) first = write_png ("many-0000.png");
  g_autofree char *first_path = g_file_get_path (first);
  DossierSubmission *submission;
  gint64 start, last, longest = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (first_path, &contents, &length, &error));
  g_ptr_array_add (files, g_object_ref (first));
  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("many-%04u.png", i);
      g_autofree char *path = g_build_filename (scratch, name, NULL);

      g_assert_true (g_file_set_contents (path, contents, length, &error));
      g_ptr_array_add (files, g_file_new_for_path (path));
    }

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "KTP");
  go_next (window, DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);

  start = g_get_monotonic_time ();
  drop_files (window, (GFile **) files->pdata, files->len);
  last = g_get_monotonic_time ();
  g_test_message ("drop handled in %.1f ms", (last - start) / 1000.0);
  longest = last - start;
  while (!(g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1000
           && finished (submission)))
    {
      gint64 now;

      g_main_context_iteration (NULL, FALSE);
      now = g_get_monotonic_time ();
      longest = MAX (longest, now - last);
      last = now;
      g_assert_cmpint (now - start, <, TIMEOUT_SECONDS * G_USEC_PER_SEC);
    }

  g_test_message ("1000 files checked in %.2f s, longest main loop stall %.1f ms",
                  (last - start) / (double) G_USEC_PER_SEC, longest / 1000.0);
  g_assert_cmpint (dossier_gui_get_uint (submission, "n-ready"), ==, 1000);
  /* checking the files on the main thread, or building every row's
   * dropdowns up front, stalls for well over a second here */
  g_assert_cmpint (longest, <, 3 * G_USEC_PER_SEC / 4);

  close_window (window);
}

/* 360 px wide: the step indicator says "2 of 4 · Details" */
static void
test_narrow (void)
{
  DossierWindow *window;
  DossierStepIndicator *indicator;

  /* GNOME's own title bar: a close button only */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "menu:close", NULL);
  window_width = 360;
  window = open_window ();
  window_width = 900;
  indicator = dossier_window_get_step_indicator (window);

  choose_provider (window, "doku");
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) <= 400);
  WAIT_UNTIL (dossier_step_indicator_is_narrow (indicator));
  g_assert_cmpstr (dossier_step_indicator_get_short_text (indicator), ==, "1 of 4 · Provider");
  screenshot (window, "1-provider");
  go_next (window, DOSSIER_STEP_DETAILS);
  g_assert_cmpstr (dossier_step_indicator_get_short_text (indicator), ==, "2 of 4 · Details");
  set_document_details (window, "KTP");
  screenshot (window, "2-details");
  go_next (window, DOSSIER_STEP_FILES);
  {
    g_autoptr(GFile) file = write_png ("npwp-with-a-rather-long-name-from-the-scanner.png");
    GFile *files[] = { file };
    DossierSubmission *submission = dossier_window_get_submission (window);

    drop_files (window, files, 1);
    WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
                && finished (submission));
    screenshot (window, "3-files");
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
    go_next (window, DOSSIER_STEP_UPLOAD);
    WAIT_UNTIL (finished (submission));
    screenshot (window, "4-results");
    /* nothing forced the window wider */
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  }

  close_window (window);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The README's screenshots (build-aux/screenshots.sh): the files in the
 * folder DOSSIER_SCREENSHOT_FLOW walked through every step, saved as
 * provider.png, details.png, files.png and upload.png in
 * DOSSIER_SCREENSHOT_DIR. Registered only when asked for. */
static void
test_screenshot_flow (void)
{
  const char *input = g_getenv ("DOSSIER_SCREENSHOT_FLOW");
  const char *output = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  DossierWindow *window;
  DossierProviderPage *provider_page;
  DossierSubmission *submission;
  GListModel *uploads;
  const char *name;
  guint n_invalid = 0;

  g_assert_nonnull (input);
  g_assert_nonnull (output);

  dir = g_dir_open (input, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (files, g_file_new_build_filename (input, g_ptr_array_index (names, i), NULL));
  g_assert_cmpuint (files->len, >, 0);

  window_width = 900;
  window_height = 760;
  window = open_window ();
  window_height = 1000;
  provider_page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));

  /* 1: Moov, with the account the documents belong to */
  choose_provider (window, "moov");
  dossier_field_editor_set_value (dossier_provider_page_get_editor (provider_page, "accountID"),
                                  DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  WAIT_UNTIL (next_enabled (window));
  /* down to the account row */
  {
    g_autoptr(GPtrArray) scrolled = g_ptr_array_new ();
    GtkAdjustment *adjustment;

    collect (GTK_WIDGET (provider_page), GTK_TYPE_SCROLLED_WINDOW, scrolled);
    g_assert_cmpuint (scrolled->len, >, 0);
    adjustment = gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrolled, 0));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                          - gtk_adjustment_get_page_size (adjustment));
  }
  path = g_build_filename (output, "provider.png", NULL);
  save_png (window, path);
  g_clear_pointer (&path, g_free);

  /* 2: DOKU's document details, a code from its long list */
  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "NPWP_BADAN");
  path = g_build_filename (output, "details.png", NULL);
  save_png (window, path);
  g_clear_pointer (&path, g_free);

  /* 3: the files, with their previews; what DOKU does not take says why */
  go_next (window, DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);
  drop_files (window, (GFile **) files->pdata, files->len);
  uploads = dossier_submission_get_uploads (submission);
  WAIT_UNTIL (g_list_model_get_n_items (uploads) == files->len && finished (submission));
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (uploads, i);
      const char *type = dossier_upload_get_content_type (upload);

      if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_INVALID)
        n_invalid++;
      else if (type != NULL && g_str_has_prefix (type, "image/"))
        WAIT_UNTIL (g_object_get_data (G_OBJECT (upload), "dossier-thumbnail") != NULL);
    }
  g_assert_cmpuint (n_invalid, <, files->len);
  /* "4 files added" would cover the last file */
  {
    gint64 end = g_get_monotonic_time () + 3500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < end)
      iterate ();
  }
  path = g_build_filename (output, "files.png", NULL);
  save_png (window, path);
  g_clear_pointer (&path, g_free);

  /* 4: sent one at a time, so that the sandbox refuses the first one */
  dossier_submission_set_max_concurrent (submission, 1);
  g_assert_true (dossier_sandbox_add_fault (sandbox, "doku/upload:status=400,times=1", &error));
  g_assert_no_error (error);
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-failed"), ==, 1);
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-done"), ==, files->len - n_invalid - 1);
  dossier_sandbox_clear_faults (sandbox);
  path = g_build_filename (output, "upload.png", NULL);
  save_png (window, path);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  scratch = g_dir_make_tmp ("dossier-gui-XXXXXX", &error);
  g_assert_no_error (error);

  /* the sandbox the application talks to, on its own thread */
  sandbox = dossier_sandbox_new (NULL);
  g_assert_true (dossier_sandbox_start_thread (sandbox, 0, &error));
  g_assert_no_error (error);

  app = dossier_application_new ();
  dossier_application_set_sandbox_url (app, dossier_sandbox_get_base_url (sandbox));
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/doku-flow", test_doku_flow);
  g_test_add_func ("/gui/cancel", test_cancel);
  g_test_add_func ("/gui/moov-account", test_moov_account);
  g_test_add_func ("/gui/kore-open-choice", test_kore_open_choice);
  g_test_add_func ("/gui/paste", test_paste);
  g_test_add_func ("/gui/narrow", test_narrow);
  g_test_add_func ("/gui/many-files", test_many_files);
  if (g_getenv ("DOSSIER_SCREENSHOT_FLOW") != NULL)
    g_test_add_func ("/gui/screenshot-flow", test_screenshot_flow);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&sandbox);
  if (scratch != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (scratch);
      g_autoptr(GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                       G_FILE_QUERY_INFO_NONE, NULL, NULL);
      GFileInfo *info;

      while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

          g_file_delete (child, NULL, NULL);
          g_object_unref (info);
        }
      g_file_delete (dir, NULL, NULL);
      g_free (scratch);
    }

  return status;
}
