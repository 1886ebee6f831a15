/* test-window.c: the whole flow in a real window, against the sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dossier-application.h"
#include "dossier-details-page.h"
#include "dossier-file-row.h"
#include "dossier-files-page.h"
#include "dossier-gui-test-util.h"
#include "dossier-gui-util.h"
#include "dossier-history-private.h"
#include "dossier-history-row.h"
#include "dossier-history-window.h"
#include "dossier-merchant-dialog.h"
#include "dossier-provider-page.h"
#include "dossier-queue-state.h"
#include "dossier-sandbox.h"
#include "dossier-step-indicator.h"
#include "dossier-upload-page.h"
#include "dossier-upload-row.h"
#include "dossier-window-private.h"

static DossierApplication *app;
static DossierSandbox *sandbox;
static char *scratch;
static char *state_dir;

#define iterate dossier_gui_test_iterate
#define WAIT_UNTIL DOSSIER_GUI_TEST_WAIT_UNTIL

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  dossier_gui_test_collect (widget, type, TRUE, found);
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

#define find_upload dossier_gui_test_find_upload

static void
save_png (gpointer    window,
          const char *path)
{
  dossier_gui_test_save_png (GTK_WIDGET (window), path);
}

/* With DOSSIER_SCREENSHOT_DIR set, saves what the window shows, for a
 * person to look at; otherwise does nothing. */
static void
screenshot (gpointer    window,
            const char *name)
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
open_window_keeping_queue (void)
{
  return dossier_gui_test_open_window (app, window_width, window_height);
}

/* A window with no offer of a last test's files in the way */
static DossierWindow *
open_window (void)
{
  g_autofree char *path = dossier_queue_state_dup_default_path ();

  g_assert_true (dossier_queue_state_discard (path, NULL));
  return open_window_keeping_queue ();
}

#define close_window dossier_gui_test_close_window
#define choose_provider dossier_gui_test_choose_provider

/* A real PNG, drawn by GDK; another SEED, other bytes (and SHA-256) */
static GFile *
write_seeded_png (const char *name,
                  guchar      seed)
{
  g_autofree char *path = g_build_filename (scratch, name, NULL);
  guchar pixels[16 * 16 * 4];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint i = 0; i < sizeof pixels; i++)
    pixels[i] = (guchar) (i * 7 + seed);
  bytes = g_bytes_new (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (16, 16, GDK_MEMORY_R8G8B8A8, bytes, 16 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return g_file_new_for_path (path);
}

static GFile *
write_png (const char *name)
{
  return write_seeded_png (name, 0);
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

/* A small PDF, named as one */
static GFile *
write_pdf (const char *name)
{
  g_autofree char *path = g_build_filename (scratch, name, NULL);
  const char *pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                    "trailer << /Root 1 0 R >>\n%%EOF\n";
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

#define go_next dossier_gui_test_go_next

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
    guint logo = GTK_INVALID_LIST_POSITION, document = GTK_INVALID_LIST_POSITION;
    /* the dropdown's own model: "None" first, then the field's choices */
    GListModel *choices = gtk_drop_down_get_model (category);

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

  /* the whole file was sent, only the answer is awaited: stopping it
   * leaves it perhaps stored, so it is not "Cancelled" with a plain Retry */
  WAIT_UNTIL (dossier_upload_get_bytes_sent (upload) >= dossier_upload_get_total_bytes (upload)
              && dossier_upload_get_total_bytes (upload) > 0);
  click (dossier_upload_row_get_cancel_button (row));
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_cmpstr (dossier_upload_row_get_state_text (row), ==, "Outcome unknown");
  g_assert_cmpstr (dossier_upload_row_get_problem_text (row), ==,
                   "Stopped after the file was sent; it may have arrived: check before sending again");
  g_assert_false (gtk_widget_get_visible (dossier_upload_row_get_retry_button (row)));
  g_assert_true (gtk_widget_get_visible (dossier_upload_row_get_resend_button (row)));
  g_assert_false (gtk_widget_get_visible (dossier_upload_row_get_cancel_button (row)));
  g_assert_null (dossier_upload_row_get_remote_id (row));
  dossier_sandbox_clear_faults (sandbox);

  /* Send Again… asks first; Cancel sends nothing */
  click (dossier_upload_row_get_resend_button (row));
  g_assert_true (dossier_upload_row_answer_resend (row, "cancel"));
  iterate ();
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);

  /* Send Again sends it after all: the upload it was asked about, even
   * when the list view has given the row to another one meanwhile */
  click (dossier_upload_row_get_resend_button (row));
  dossier_upload_row_bind (row, NULL, NULL);
  g_assert_true (dossier_upload_row_answer_resend (row, "send"));
  dossier_upload_row_bind (row, submission, upload);
  /* Alt+Right before the window has noticed that it sends again: the
   * upload step is not ready while sending, and nothing happens */
  g_assert_true (dossier_gui_get_boolean (submission, "running"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL));
  g_assert_cmpint (dossier_window_get_step (window), ==, DOSSIER_STEP_UPLOAD);
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
  WAIT_UNTIL (dossier_upload_get_bytes_sent (upload) >= dossier_upload_get_total_bytes (upload)
              && dossier_upload_get_total_bytes (upload) > 0);
  click (dossier_upload_page_get_cancel_button (DOSSIER_UPLOAD_PAGE (dossier_window_get_page (window, DOSSIER_STEP_UPLOAD))));
  WAIT_UNTIL (finished (submission));
  /* sent whole, its answer awaited: it may have arrived */
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  dossier_sandbox_clear_faults (sandbox);

  close_window (window);
}


/* A dropped folder: its subfolders are read, and what is left out is said */
static void
test_folder_skipped (void)
{
  DossierWindow *window = open_window ();
  g_autofree char *folder = g_build_filename (scratch, "drop-folder", NULL);
  g_autofree char *sub = g_build_filename (folder, "sub", NULL);
  g_autofree char *pipe = g_build_filename (folder, "pipe", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (folder);
  g_autoptr(GFile) png = NULL;
  GFile *files[1];
  DossierSubmission *submission;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  png = write_png ("drop-folder/sub/inside.png");
  g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "KTP");
  go_next (window, DOSSIER_STEP_FILES);

  files[0] = dir;
  drop_files (window, files, 1);
  submission = dossier_window_get_submission (window);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  g_assert_nonnull (find_upload (submission, "inside.png"));
  WAIT_UNTIL (g_strcmp0 (dossier_window_get_last_toast (window), "Skipped “pipe”: not a regular file") == 0);

  g_assert_cmpint (g_unlink (pipe), ==, 0);
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

/* The members of a JSON object, as a table of strings; fails on anything
 * else than an object of strings */
static GHashTable *
parse_string_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *object;

  g_assert_nonnull (json);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);

      g_assert_true (JSON_NODE_HOLDS_VALUE (member));
      g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_STRING);
      g_hash_table_insert (table, g_strdup (l->data), g_strdup (json_node_get_string (member)));
    }

  return table;
}

/* Moov's metadata: one row per key, never typed JSON; what reaches the
 * sandbox is the object of the keys filled in */
static void
test_moov_metadata (void)
{
  static const char * const keys[] = { "representative_id", "comment", "requirement_id", "error_code" };
  static const char * const titles[] = { "Representative ID", "Comment", "Requirement ID", "Error code" };
  /* quotes, a backslash and non-ASCII: the quoting has to be right */
  const char *comment = "Checked by Ana \"Rossi\" \\ ok — café";
  const char *requirement = "req_7f3a9c";
  DossierWindow *window = open_window ();
  DossierProviderPage *provider_page;
  DossierDetailsPage *details;
  DossierFieldEditor *metadata;
  DossierSubmission *submission;
  DossierUpload *upload;
  GtkWidget *row;
  g_autoptr(GFile) file = write_pdf ("articles-of-incorporation.pdf");
  GFile *files[] = { file };
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(JsonNode) received = NULL;
  g_autofree char *value = NULL;
  JsonArray *records;
  JsonObject *record = NULL;

  choose_provider (window, "moov");
  provider_page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  dossier_field_editor_set_value (dossier_provider_page_get_editor (provider_page, "accountID"),
                                  DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  go_next (window, DOSSIER_STEP_DETAILS);

  details = DOSSIER_DETAILS_PAGE (dossier_window_get_page (window, DOSSIER_STEP_DETAILS));
  submission = dossier_window_get_submission (window);
  metadata = dossier_details_page_get_editor (details, "metadata");
  g_assert_nonnull (metadata);
  row = dossier_field_editor_get_row (metadata);
  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Metadata (optional)");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Nothing set");
  g_assert_null (dossier_field_editor_get_value (metadata));
  g_assert_null (dossier_submission_get_value (submission, "metadata"));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *key_row = dossier_field_editor_get_key_row (metadata, keys[i]);

      g_assert_true (ADW_IS_ENTRY_ROW (key_row));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (key_row)), ==, titles[i]);
      /* the API's own name is there for whoever compares with the docs */
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (key_row), keys[i]));
    }
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  /* typed into two rows, with spaces around one of them */
  gtk_editable_set_text (GTK_EDITABLE (dossier_field_editor_get_key_row (metadata, "comment")), comment);
  value = g_strdup_printf ("  %s ", requirement);
  gtk_editable_set_text (GTK_EDITABLE (dossier_field_editor_get_key_row (metadata, "requirement_id")), value);
  g_clear_pointer (&value, g_free);
  iterate ();
  g_assert_null (dossier_field_editor_get_problem (metadata));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Comment, Requirement ID");

  value = g_strdup (dossier_submission_get_value (submission, "metadata"));
  sent = parse_string_object (value);
  g_assert_cmpuint (g_hash_table_size (sent), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (sent, "comment"), ==, comment);
  g_assert_cmpstr (g_hash_table_lookup (sent, "requirement_id"), ==, requirement);
  g_assert_cmpstr (dossier_field_editor_get_value (metadata), ==, value);
  screenshot (window, "2-moov-metadata");

  /* a value set from elsewhere fills the rows */
  dossier_field_editor_set_value (metadata, "{\"error_code\": \"E42\"}");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dossier_field_editor_get_key_row (metadata, "error_code"))),
                   ==, "E42");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dossier_field_editor_get_key_row (metadata, "comment"))),
                   ==, "");
  g_assert_cmpstr (dossier_submission_get_value (submission, "metadata"), ==, "{\"error_code\":\"E42\"}");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Error code");

  /* one the rows cannot hold is kept, with the reason it would be refused */
  dossier_field_editor_set_value (metadata, "{\"colour\": \"red\"}");
  g_assert_nonnull (dossier_field_editor_get_problem (metadata));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  WAIT_UNTIL (!next_enabled (window));

  /* and emptied: no value at all */
  dossier_field_editor_set_value (metadata, NULL);
  g_assert_null (dossier_field_editor_get_problem (metadata));
  g_assert_null (dossier_submission_get_value (submission, "metadata"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dossier_field_editor_get_key_row (metadata, "error_code"))),
                   ==, "");

  dossier_field_editor_set_value (metadata, value);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dossier_field_editor_get_key_row (metadata, "comment"))),
                   ==, comment);
  g_assert_cmpstr (dossier_submission_get_value (submission, "metadata"), ==, value);

  /* 3 and 4: one PDF, sent with it */
  go_next (window, DOSSIER_STEP_FILES);
  drop_files (window, files, 1);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  upload = find_upload (submission, "articles-of-incorporation.pdf");
  g_assert_nonnull (upload);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_cmpstr (dossier_upload_get_value (upload, "metadata"), ==, value);
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);

  received = dossier_sandbox_dup_received (sandbox);
  records = json_node_get_array (received);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *candidate = json_array_get_object_element (records, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (candidate, "provider", ""), "moov") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (candidate, "id", ""),
                        dossier_upload_get_result (upload)->remote_id) == 0)
        record = candidate;
    }
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member_with_default (record, "file_name", ""),
                   ==, "articles-of-incorporation.pdf");
  {
    JsonObject *fields = json_object_get_object_member (record, "fields");
    g_autoptr(GHashTable) stored = NULL;
    GHashTableIter iter;
    gpointer key, stored_value;

    g_assert_nonnull (fields);
    g_assert_cmpstr (json_object_get_string_member_with_default (fields, "filePurpose", ""),
                     ==, "business_verification");
    stored = parse_string_object (json_object_get_string_member_with_default (fields, "metadata", ""));
    g_assert_cmpuint (g_hash_table_size (stored), ==, g_hash_table_size (sent));
    g_hash_table_iter_init (&iter, sent);
    while (g_hash_table_iter_next (&iter, &key, &stored_value))
      g_assert_cmpstr (g_hash_table_lookup (stored, key), ==, stored_value);
  }

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

  /* the details need no batch code (each file gets its own from its
   * name): the paste goes through to the files */
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

/* A thousand files dropped at once: the window keeps drawing. What would
 * stall it is checked: the files are not checked on the main thread, and
 * rows are made only for what is shown. How long the main loop stalls is
 * measured by build-aux/gui-benchmark.sh (tests/gui/bench-stalls.c), not
 * asserted here. */
static void
test_many_files (void)
{
  DossierWindow *window = open_window ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) first = write_png ("many-0000.png");
  g_autofree char *first_path = g_file_get_path (first);
  DossierSubmission *submission;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *list_view;
  gint64 start;
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

  list_view = dossier_files_page_get_list_view (DOSSIER_FILES_PAGE (dossier_window_get_page (window, DOSSIER_STEP_FILES)));

  start = g_get_monotonic_time ();
  drop_files (window, (GFile **) files->pdata, files->len);
  /* the drop returns before any file is checked */
  g_assert_cmpint (dossier_gui_get_uint (submission, "n-ready"), ==, 0);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1000
              && finished (submission));
  /* reported, not judged: the machine may be busy */
  g_test_message ("1000 files checked in %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (dossier_gui_get_uint (submission, "n-ready"), ==, 1000);

  /* a list view makes rows (their dropdowns with them) for what is on
   * screen, rather than one for each of the thousand files; how many
   * depends on the heights it estimated while the files came in (seen:
   * from 6 to about 200), so the check is only: not one per file */
  collect (list_view, DOSSIER_TYPE_FILE_ROW, rows);
  g_test_message ("%u file rows shown", rows->len);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <, files->len);

  close_window (window);
}

/* The label showing a combo row's selected item, which has to read in
 * full: FALSE when it is ellipsized or given less room than it needs. */
static gboolean
combo_value_reads_fully (AdwComboRow *row,
                         const char  *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkLabel *value = NULL;
  int natural = 0;

  collect (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      value = g_ptr_array_index (labels, i);
  g_assert_nonnull (value);

  gtk_widget_measure (GTK_WIDGET (value), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_test_message ("%s: %d px of %d", text, gtk_widget_get_width (GTK_WIDGET (value)), natural);
  return gtk_widget_get_width (GTK_WIDGET (value)) >= natural
         && !pango_layout_is_ellipsized (gtk_label_get_layout (value));
}

/* A few words on a focused widget, to say which control it is */
static char *
describe_focus (GtkWidget *widget)
{
  GString *text = g_string_new (G_OBJECT_TYPE_NAME (widget));
  GtkWidget *ancestor;

  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (text, " “%s”", gtk_button_get_label (GTK_BUTTON (widget)));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (text, " icon=%s", gtk_button_get_icon_name (GTK_BUTTON (widget)));
  if (gtk_widget_get_tooltip_text (widget) != NULL)
    g_string_append_printf (text, " tip=“%s”", gtk_widget_get_tooltip_text (widget));
  ancestor = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  if (ancestor != NULL)
    g_string_append_printf (text, " in row “%s”",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ancestor)));
  ancestor = gtk_widget_get_ancestor (widget, DOSSIER_TYPE_FILE_ROW);
  if (ancestor != NULL)
    g_string_append_printf (text, " in file row “%s”",
                            dossier_upload_get_display_name (dossier_file_row_get_upload (DOSSIER_FILE_ROW (ancestor))));
  ancestor = gtk_widget_get_ancestor (widget, DOSSIER_TYPE_UPLOAD_ROW);
  if (ancestor != NULL)
    g_string_append_printf (text, " in upload row “%s”",
                            dossier_upload_get_display_name (dossier_upload_row_get_upload (DOSSIER_UPLOAD_ROW (ancestor))));

  return g_string_free (text, FALSE);
}

/* Moves the focus as Tab (or Shift+Tab) does, wrapping around at the end,
 * and returns every widget it lands on in one round. */
static gboolean
stacks_settled (GtkWidget *window)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  collect (window, GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (g_ptr_array_index (stacks, i)))
      return FALSE;
  return TRUE;
}

static GPtrArray *
walk_focus (DossierWindow    *window,
            GtkDirectionType  direction)
{
  GPtrArray *visited = g_ptr_array_new ();

  /* a page sliding in or out is there to be focused, for a moment */
  WAIT_UNTIL (stacks_settled (GTK_WIDGET (window)));

  for (guint i = 0; i < 200; i++)
    {
      GtkWidget *focus;
      g_autofree char *description = NULL;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), direction))
        {
          gtk_window_set_focus (GTK_WINDOW (window), NULL);
          if (!gtk_widget_child_focus (GTK_WIDGET (window), direction))
            break;
        }
      iterate ();
      focus = gtk_window_get_focus (GTK_WINDOW (window));
      g_assert_nonnull (focus);
      if (g_ptr_array_find (visited, focus, NULL))
        break;
      description = describe_focus (focus);
      g_test_message ("focus %u: %s", i, description);
      g_ptr_array_add (visited, focus);
    }

  return visited;
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
  /* the environment's name is not cut to "Sa…" by its explanation */
  {
    DossierProviderPage *page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
    AdwComboRow *environment = dossier_provider_page_get_environment_row (page);

    iterate ();
    g_assert_true (combo_value_reads_fully (environment, "Sandbox"));
    adw_combo_row_set_selected (environment, 2);
    WAIT_UNTIL (g_strcmp0 (dossier_submission_get_environment (dossier_window_get_submission (window)),
                           "production") == 0);
    for (guint i = 0; i < 5; i++)
      iterate ();
    screenshot (window, "1-production");
    g_assert_true (combo_value_reads_fully (environment, "Production"));
    adw_combo_row_set_selected (environment, 0);
    for (guint i = 0; i < 5; i++)
      iterate ();
  }
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

/* Whether Tab landed on WIDGET or inside it (an entry row's text) */
static gboolean
reached (GPtrArray *visited,
         GtkWidget *widget)
{
  for (guint i = 0; i < visited->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (visited, i);

      if (focus == widget || gtk_widget_is_ancestor (focus, widget))
        return TRUE;
    }

  return FALSE;
}

static guint
reached_at (GPtrArray *visited,
            GtkWidget *widget)
{
  for (guint i = 0; i < visited->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (visited, i);

      if (focus == widget || gtk_widget_is_ancestor (focus, widget))
        return i;
    }

  g_assert_not_reached ();
}

/* Every control of steps 1 to 4 is on the Tab chain, in both directions,
 * and what Enter or Space does with it works */
static void
test_keyboard (void)
{
  DossierWindow *window = open_window ();
  GtkWidget *next = dossier_window_get_next_button (window);
  DossierProviderPage *provider_page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  DossierDetailsPage *details = DOSSIER_DETAILS_PAGE (dossier_window_get_page (window, DOSSIER_STEP_DETAILS));
  g_autoptr(GPtrArray) visited = NULL;
  g_autoptr(GFile) good = write_png ("ktp-keys.png");
  g_autoptr(GFile) bad = write_fake_png ("npwp-keys.png");
  GFile *files[2] = { good, bad };
  DossierSubmission *submission;
  GtkWidget *list_view;
  GtkWidget *metadata;
  static const char * const providers[] = { "doku", "kore", "moov", "receeve" };

  /* 1: Moov, with its account row */
  choose_provider (window, "moov");
  dossier_field_editor_set_value (dossier_provider_page_get_editor (provider_page, "accountID"),
                                  DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  WAIT_UNTIL (next_enabled (window));
  g_test_message ("provider page, Tab");
  visited = walk_focus (window, GTK_DIR_TAB_FORWARD);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    g_assert_true (reached (visited, dossier_provider_page_get_provider_row (provider_page, providers[i])));
  g_assert_true (reached (visited, GTK_WIDGET (dossier_provider_page_get_environment_row (provider_page))));
  g_assert_true (reached (visited, GTK_WIDGET (dossier_provider_page_get_client_id_row (provider_page))));
  g_assert_true (reached (visited, dossier_field_editor_get_row (dossier_provider_page_get_editor (provider_page,
                                                                                                     "accountID"))));
  g_assert_true (reached (visited, next));
  g_clear_pointer (&visited, g_ptr_array_unref);

  /* 2: the metadata opens with Enter, and its rows follow on Tab */
  go_next (window, DOSSIER_STEP_DETAILS);
  metadata = dossier_field_editor_get_row (dossier_details_page_get_editor (details, "metadata"));
  WAIT_UNTIL (stacks_settled (GTK_WIDGET (window)));
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_true (gtk_widget_child_focus (metadata, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), metadata));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (metadata)));
  /* what Enter does on the focused header */
  g_assert_true (gtk_widget_activate (gtk_window_get_focus (GTK_WINDOW (window))));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (metadata)));
  {
    g_autoptr(GPtrArray) revealers = g_ptr_array_new ();

    collect (metadata, GTK_TYPE_REVEALER, revealers);
    g_assert_cmpuint (revealers->len, >, 0);
    WAIT_UNTIL (gtk_revealer_get_child_revealed (g_ptr_array_index (revealers, 0)));
  }
  g_test_message ("Moov details, Tab");
  visited = walk_focus (window, GTK_DIR_TAB_FORWARD);
  g_assert_true (reached (visited, dossier_field_editor_get_row (dossier_details_page_get_editor (details,
                                                                                                 "filePurpose"))));
  g_assert_true (reached (visited, metadata));
  g_assert_true (reached (visited, dossier_field_editor_get_key_row (dossier_details_page_get_editor (details, "metadata"),
                                                                     "comment")));
  g_assert_true (reached (visited, dossier_window_get_back_button (window)));
  g_clear_pointer (&visited, g_ptr_array_unref);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);

  /* DOKU for the rest: two choices per file, and links */
  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "KTP");
  go_next (window, DOSSIER_STEP_FILES);
  g_test_message ("empty files page, Tab");
  visited = walk_focus (window, GTK_DIR_TAB_FORWARD);
  g_assert_cmpuint (visited->len, >, 1);
  g_clear_pointer (&visited, g_ptr_array_unref);

  /* 3: each file's choices, then its remove button, forwards and back */
  submission = dossier_window_get_submission (window);
  drop_files (window, files, 2);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 2
              && finished (submission));
  list_view = dossier_files_page_get_list_view (DOSSIER_FILES_PAGE (dossier_window_get_page (window, DOSSIER_STEP_FILES)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_FILE_ROW, find_upload (submission, "ktp-keys.png")) != NULL
              && find_row (list_view, DOSSIER_TYPE_FILE_ROW, find_upload (submission, "npwp-keys.png")) != NULL);
  for (guint pass = 0; pass < 2; pass++)
    {
      GtkDirectionType direction = pass == 0 ? GTK_DIR_TAB_FORWARD : GTK_DIR_TAB_BACKWARD;
      const char *names[] = { "ktp-keys.png", "npwp-keys.png" };

      g_test_message ("files page, %s", pass == 0 ? "Tab" : "Shift+Tab");
      visited = walk_focus (window, direction);
      g_assert_true (reached (visited, next));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          GtkWidget *row = find_row (list_view, DOSSIER_TYPE_FILE_ROW, find_upload (submission, names[i]));
          g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
          GtkWidget *remove = NULL;
          guint n_choices = 0;

          collect (row, GTK_TYPE_BUTTON, buttons);
          for (guint j = 0; j < buttons->len; j++)
            {
              GtkWidget *button = g_ptr_array_index (buttons, j);

              if (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (button)), "user-trash-symbolic") == 0)
                remove = button;
              else if (gtk_widget_has_css_class (button, "compact-choice"))
                {
                  n_choices++;
                  g_assert_true (reached (visited, button));
                }
            }
          g_assert_cmpuint (n_choices, ==, 2);
          g_assert_nonnull (remove);
          g_assert_true (reached (visited, remove));
          /* reading order: the choices, then remove */
          for (guint j = 0; j < buttons->len; j++)
            {
              GtkWidget *button = g_ptr_array_index (buttons, j);

              if (button != remove && gtk_widget_has_css_class (button, "compact-choice"))
                {
                  if (pass == 0)
                    g_assert_cmpuint (reached_at (visited, button), <, reached_at (visited, remove));
                  else
                    g_assert_cmpuint (reached_at (visited, button), >, reached_at (visited, remove));
                }
            }
        }
      g_clear_pointer (&visited, g_ptr_array_unref);
    }

  /* Space on a file's category opens its list, with the focus in it */
  {
    GtkWidget *row = find_row (list_view, DOSSIER_TYPE_FILE_ROW, find_upload (submission, "ktp-keys.png"));
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *dropdown;
    GtkWidget *popover = NULL;

    g_autoptr(GtkWidget) placeholder = NULL;

    collect (row, GTK_TYPE_BUTTON, buttons);
    placeholder = g_object_ref (g_ptr_array_index (buttons, 0));
    g_assert_true (gtk_widget_has_css_class (placeholder, "placeholder-choice"));
    g_assert_true (gtk_widget_grab_focus (placeholder));
    /* what Enter and Space do on a button; it is then replaced */
    g_assert_true (gtk_widget_activate (placeholder));
    WAIT_UNTIL (gtk_widget_get_parent (placeholder) == NULL);
    dropdown = GTK_WIDGET (dossier_file_row_get_dropdown (DOSSIER_FILE_ROW (row), "category"));
    for (GtkWidget *child = gtk_widget_get_first_child (dropdown); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_POPOVER (child))
        popover = child;
    g_assert_nonnull (popover);
    WAIT_UNTIL (gtk_widget_get_mapped (popover));
    g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), popover));
    gtk_popover_popdown (GTK_POPOVER (popover));
    WAIT_UNTIL (!gtk_widget_get_mapped (popover));
  }

  /* 4: the link, its copy button, New Submission */
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  list_view = dossier_upload_page_get_list_view (DOSSIER_UPLOAD_PAGE (dossier_window_get_page (window, DOSSIER_STEP_UPLOAD)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, find_upload (submission, "ktp-keys.png")) != NULL);
  g_test_message ("upload page, Tab");
  visited = walk_focus (window, GTK_DIR_TAB_FORWARD);
  {
    DossierUploadRow *row = DOSSIER_UPLOAD_ROW (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW,
                                                          find_upload (submission, "ktp-keys.png")));
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean link_reached = FALSE;

    g_assert_true (reached (visited, dossier_upload_row_get_copy_button (row)));
    collect (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (gtk_label_get_current_uri (g_ptr_array_index (labels, i)) != NULL
          || strstr (gtk_label_get_label (g_ptr_array_index (labels, i)), "<a href") != NULL)
        link_reached = link_reached || reached (visited, g_ptr_array_index (labels, i));
    g_assert_true (link_reached);
  }
  g_assert_true (reached (visited, next));
  g_clear_pointer (&visited, g_ptr_array_unref);

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

  /* 4: sent one at a time, so that the sandbox refuses the first one and
   * stores the second but drops the connection before answering */
  dossier_submission_set_max_concurrent (submission, 1);
  g_assert_true (dossier_sandbox_add_fault (sandbox, "doku/upload:status=400,times=1", &error));
  g_assert_no_error (error);
  g_assert_true (dossier_sandbox_add_fault (sandbox, "doku/upload:store-drop,times=1", &error));
  g_assert_no_error (error);
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-failed"), ==, 1);
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-unknown"), ==, 1);
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-done"), ==, files->len - n_invalid - 2);
  dossier_sandbox_clear_faults (sandbox);
  path = g_build_filename (output, "upload.png", NULL);
  save_png (window, path);

  close_window (window);
}

/* Deletes @path and all below it */
static void
remove_tree (const char *path)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  if (path == NULL)
    return;

  dir = g_file_new_for_path (path);
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
      g_autofree char *child_path = g_file_get_path (child);

      if (g_file_query_file_type (child, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child_path);
      else
        g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_file_delete (dir, NULL, NULL);
}

static DossierHistoryWindow *
find_history_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (DOSSIER_IS_HISTORY_WINDOW (l->data))
      return l->data;

  return NULL;
}

static DossierHistoryRow *
find_history_row (DossierHistoryWindow *history_window,
                  const char           *remote_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (dossier_history_window_get_list_view (history_window), DOSSIER_TYPE_HISTORY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      DossierHistoryRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (dossier_history_row_get_remote_id (row), remote_id) == 0)
        return row;
    }

  return NULL;
}

/* After an upload, Open History lists it with the id and link the sandbox
 * returned */
static void
test_history (void)
{
  DossierWindow *window = open_window ();
  DossierHistory *history = dossier_history_get_default ();
  g_autoptr(GFile) file = write_png ("history-ktp.png");
  DossierHistoryWindow *history_window;
  DossierHistoryRow *row;
  DossierSubmission *submission;
  DossierUpload *upload;
  GtkWidget *history_button;
  const DossierResult *result;
  GFile *files[1] = { file };

  g_assert_true (dossier_history_clear (history, NULL));

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "NPWP_BADAN");
  go_next (window, DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);
  drop_files (window, files, 1);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  upload = find_upload (submission, "history-ktp.png");
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  result = dossier_upload_get_result (upload);

  /* Open History, at the end of the upload step */
  history_button = dossier_upload_page_get_history_button (DOSSIER_UPLOAD_PAGE (dossier_window_get_page (window, DOSSIER_STEP_UPLOAD)));
  WAIT_UNTIL (gtk_widget_get_visible (history_button));
  g_assert_null (find_history_window ());
  click (history_button);
  WAIT_UNTIL (find_history_window () != NULL
              && gtk_widget_get_mapped (GTK_WIDGET (find_history_window ())));
  history_window = find_history_window ();
  g_assert_cmpstr (dossier_history_window_get_state (history_window), ==, "list");

  /* the row: the id and the link the sandbox returned */
  WAIT_UNTIL (find_history_row (history_window, result->remote_id) != NULL);
  row = find_history_row (history_window, result->remote_id);
  g_assert_cmpstr (dossier_history_row_get_link (row), ==, result->link);
  g_assert_cmpstr (dossier_history_entry_get_file_name (dossier_history_row_get_entry (row)), ==, "history-ktp.png");
  g_assert_true (g_str_has_prefix (dossier_history_row_get_subtitle (row), "DOKU · Sandbox · today "));
  g_assert_true (g_str_has_prefix (dossier_history_row_get_details_text (row), "Link valid until "));
  screenshot (history_window, "5-history");

  click (dossier_history_row_get_copy_button (row));
  g_assert_cmpstr (dossier_history_window_get_last_toast (history_window), ==, "Link copied");

  /* search by id, and by a name that is not there */
  dossier_history_window_set_search (history_window, result->remote_id);
  g_assert_cmpuint (dossier_history_window_get_n_shown (history_window), ==, 1);
  dossier_history_window_set_search (history_window, "no-such-file-anywhere");
  g_assert_cmpuint (dossier_history_window_get_n_shown (history_window), ==, 0);
  g_assert_cmpstr (dossier_history_window_get_state (history_window), ==, "no-results");
  dossier_history_window_set_search (history_window, "HISTORY-KTP");
  g_assert_cmpuint (dossier_history_window_get_n_shown (history_window), ==, 1);

  /* one window only: the menu item presents the same one */
  g_action_group_activate_action (G_ACTION_GROUP (app), "history", NULL);
  iterate ();
  g_assert_true (find_history_window () == history_window);

  /* cleared: the empty state */
  g_assert_true (dossier_history_clear (history, NULL));
  iterate ();
  g_assert_cmpstr (dossier_history_window_get_state (history_window), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (history_window));
  iterate ();
  g_assert_null (find_history_window ());
  close_window (window);
}

/* Files added, the window closed as on quit: the next window offers them
 * back, and Restore brings them to the files step */
static void
test_restore (void)
{
  DossierWindow *window = open_window ();
  g_autofree char *path = dossier_queue_state_dup_default_path ();
  g_autoptr(GFile) good = write_png ("restore-ktp.png");
  g_autoptr(GFile) bad = write_fake_png ("restore-scan.png");
  GFile *files[2] = { good, bad };
  DossierSubmission *submission;
  DossierProviderPage *provider_page;
  DossierUpload *good_upload, *bad_upload;

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "NPWP_BADAN");
  go_next (window, DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);
  drop_files (window, files, G_N_ELEMENTS (files));
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 2
              && finished (submission));
  /* a value changed for one file only */
  dossier_upload_set_value (find_upload (submission, "restore-ktp.png"), "code", "NPWP_ORANG_PRIBADI");
  /* saved half a second after a change */
  WAIT_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS));

  /* quit: the window goes with its files unsent */
  close_window (window);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* the next window offers them, on the first step, without a dialog */
  window = open_window_keeping_queue ();
  g_assert_cmpint (dossier_window_get_step (window), ==, DOSSIER_STEP_PROVIDER);
  g_assert_cmpstr (dossier_window_get_restore_text (window), ==, "2 files from your last session were not sent");
  g_assert_true (gtk_widget_get_mapped (dossier_window_get_restore_button (window)));
  screenshot (window, "0-restore");

  click (dossier_window_get_restore_button (window));
  iterate ();
  g_assert_cmpint (dossier_window_get_step (window), ==, DOSSIER_STEP_FILES);
  g_assert_null (dossier_window_get_restore_text (window));
  g_assert_cmpstr (dossier_window_get_last_toast (window), ==, "2 files restored");
  submission = dossier_window_get_submission (window);
  g_assert_cmpstr (dossier_provider_get_id (dossier_submission_get_provider (submission)), ==, "doku");
  g_assert_cmpstr (dossier_submission_get_environment (submission), ==, "sandbox");
  g_assert_cmpstr (dossier_submission_get_value (submission, "code"), ==, "NPWP_BADAN");
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 2
              && finished (submission));
  good_upload = find_upload (submission, "restore-ktp.png");
  bad_upload = find_upload (submission, "restore-scan.png");
  g_assert_nonnull (good_upload);
  g_assert_nonnull (bad_upload);
  g_assert_cmpstr (dossier_upload_get_value (good_upload, "code"), ==, "NPWP_ORANG_PRIBADI");
  /* checked again */
  g_assert_cmpint (dossier_upload_get_state (good_upload), ==, DOSSIER_UPLOAD_STATE_READY);
  g_assert_cmpint (dossier_upload_get_state (bad_upload), ==, DOSSIER_UPLOAD_STATE_INVALID);
  /* the sandbox's credentials, as for any new submission (compared, never printed) */
  provider_page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
  g_assert_true (g_str_equal (gtk_editable_get_text (dossier_provider_page_get_client_id_row (provider_page)),
                              DOSSIER_SANDBOX_DOKU_CLIENT_ID));

  /* and they can be sent */
  dossier_submission_remove (submission, bad_upload);
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (good_upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  /* nothing left unsent: nothing saved */
  WAIT_UNTIL (!g_file_test (path, G_FILE_TEST_EXISTS));
  close_window (window);

  /* Discard forgets them */
  window = open_window ();
  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "NPWP_BADAN");
  go_next (window, DOSSIER_STEP_FILES);
  drop_files (window, files, 1);
  submission = dossier_window_get_submission (window);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  close_window (window);
  window = open_window_keeping_queue ();
  g_assert_cmpstr (dossier_window_get_restore_text (window), ==, "1 file from your last session was not sent");
  click (dossier_window_get_discard_button (window));
  iterate ();
  g_assert_null (dossier_window_get_restore_text (window));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (dossier_submission_get_uploads (dossier_window_get_submission (window))), ==, 0);
  close_window (window);

  /* a file that cannot be read is no offer, and goes: said, not hidden */
  g_assert_true (g_file_set_contents (path, "{ broken", -1, NULL));
  window = open_window_keeping_queue ();
  g_assert_null (dossier_window_get_restore_text (window));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (dossier_window_get_record_error_text (window));
  g_assert_true (g_str_has_prefix (dossier_window_get_record_error_text (window),
                                   "The list of files not sent last time could not be read"));
  close_window (window);
}

/* Dossier was killed with three files queued: one recorded sent (the saved
 * queue, half a second late, still lists it), one being sent, one not yet.
 * The next window offers two, the one in flight apart and flagged */
static void
test_restore_maybe_sent (void)
{
  DossierWindow *window = open_window ();
  DossierHistory *history = dossier_history_get_default ();
  g_autofree char *path = dossier_queue_state_dup_default_path ();
  g_autoptr(GFile) sent = write_png ("killed-sent.png");
  g_autoptr(GFile) flying = write_png ("killed-flying.png");
  g_autoptr(GFile) waiting = write_png ("killed-waiting.png");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) finished_line = json_object_new ();
  g_autoptr(DossierHistoryEntry) entry = NULL;
  g_autofree char *sent_id = NULL;
  g_autofree char *flying_id = NULL;
  GFile *files[3] = { sent, flying, waiting };
  DossierSubmission *submission;
  DossierUpload *upload;
  GtkWidget *list_view;
  JsonObject *event;

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "NPWP_BADAN");
  go_next (window, DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);
  drop_files (window, files, G_N_ELEMENTS (files));
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 3
              && finished (submission));
  WAIT_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS));
  sent_id = g_strdup (dossier_upload_get_record_id (find_upload (submission, "killed-sent.png")));
  flying_id = g_strdup (dossier_upload_get_record_id (find_upload (submission, "killed-flying.png")));
  close_window (window);

  /* what the record holds at the kill */
  event = json_object_new ();
  json_object_set_string_member (event, "event", "started");
  json_object_set_string_member (event, "upload", flying_id);
  g_ptr_array_add (events, event);
  g_assert_true (dossier_history_append_events (history, events, NULL));
  json_object_set_string_member (finished_line, "finished_at", "2026-03-01T10:00:00Z");
  json_object_set_string_member (finished_line, "provider_id", "doku");
  json_object_set_string_member (finished_line, "file_name", "killed-sent.png");
  json_object_set_boolean_member (finished_line, "success", TRUE);
  json_object_set_string_member (finished_line, "upload", sent_id);
  entry = dossier_history_entry_new_from_json (finished_line, NULL);
  g_assert_true (dossier_history_append (history, entry, NULL));

  window = open_window_keeping_queue ();
  g_assert_cmpstr (dossier_window_get_restore_text (window), ==,
                   "1 file from your last session was not sent\n"
                   "1 file may have been sent before Dossier stopped: check with the provider before "
                   "sending it again");
  screenshot (window, "0-restore-maybe-sent");
  click (dossier_window_get_restore_button (window));
  iterate ();
  g_assert_cmpstr (dossier_window_get_last_toast (window), ==, "2 files restored");
  submission = dossier_window_get_submission (window);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 2
              && finished (submission));
  g_assert_null (find_upload (submission, "killed-sent.png"));
  g_assert_false (dossier_upload_get_maybe_sent (find_upload (submission, "killed-waiting.png")));
  upload = find_upload (submission, "killed-flying.png");
  g_assert_true (dossier_upload_get_maybe_sent (upload));
  /* held back from the next Upload: sent only through Send Again… */
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  g_assert_cmpint (dossier_upload_get_state (find_upload (submission, "killed-waiting.png")), ==,
                   DOSSIER_UPLOAD_STATE_READY);

  list_view = dossier_files_page_get_list_view (DOSSIER_FILES_PAGE (dossier_window_get_page (window, DOSSIER_STEP_FILES)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_FILE_ROW, upload) != NULL);
  g_assert_cmpstr (dossier_file_row_get_status_text (DOSSIER_FILE_ROW (find_row (list_view, DOSSIER_TYPE_FILE_ROW, upload))),
                   ==, "May have been sent before Dossier stopped: it is not sent with the others; "
                       "check with the provider, then use Send Again… if it did not arrive");
  screenshot (window, "3-restored-maybe-sent");

  /* Upload sends the other one; this one waits for the clerk's word on
   * the upload step, and goes only after it */
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (find_upload (submission, "killed-waiting.png")), ==,
                   DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_UNKNOWN);
  list_view = dossier_upload_page_get_list_view (DOSSIER_UPLOAD_PAGE (dossier_window_get_page (window, DOSSIER_STEP_UPLOAD)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, upload) != NULL);
  {
    DossierUploadRow *row = DOSSIER_UPLOAD_ROW (find_row (list_view, DOSSIER_TYPE_UPLOAD_ROW, upload));

    g_assert_cmpstr (dossier_upload_row_get_state_text (row), ==, "Outcome unknown");
    g_assert_cmpstr (dossier_upload_row_get_problem_text (row), ==,
                     "It may have been sent before Dossier stopped: check before sending it again");
    g_assert_true (gtk_widget_get_visible (dossier_upload_row_get_resend_button (row)));
    screenshot (window, "4-restored-maybe-sent-upload");
    click (dossier_upload_row_get_resend_button (row));
    iterate ();
    g_assert_true (dossier_upload_row_answer_resend (row, "send"));
  }
  WAIT_UNTIL (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_DONE);
  close_window (window);
  g_assert_true (dossier_queue_state_discard (path, NULL));
}

/* The disk is full (the history is /dev/full): the upload goes, and the
 * window says at its top that it could not be recorded, until dismissed */
static void
test_record_error (void)
{
  DossierWindow *window = open_window ();
  DossierHistory *history = dossier_history_get_default ();
  const char *history_path = dossier_history_get_path (history);
  g_autofree char *saved_path = g_strconcat (history_path, ".saved", NULL);
  g_autoptr(GFile) file = write_png ("full-disk.png");
  g_autofree char *expected = NULL;
  gboolean had_history;
  DossierSubmission *submission;
  DossierUpload *upload;

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "NPWP_BADAN");
  go_next (window, DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);
  drop_files (window, &file, 1);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  g_assert_null (dossier_window_get_record_error_text (window));

  /* what earlier tests recorded is put back afterwards */
  had_history = g_file_test (history_path, G_FILE_TEST_EXISTS);
  {
    g_autofree char *dir = g_path_get_dirname (history_path);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  }
  if (had_history)
    g_assert_cmpint (g_rename (history_path, saved_path), ==, 0);
  g_assert_cmpint (symlink ("/dev/full", history_path), ==, 0);

  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  upload = find_upload (submission, "full-disk.png");
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  expected = g_strdup_printf ("Could not record the upload of “full-disk.png” in the history: %s: %s; "
                              "it was sent, id %s", history_path, g_strerror (ENOSPC),
                              dossier_upload_get_result (upload)->remote_id);
  g_assert_cmpstr (dossier_window_get_record_error_text (window), ==, expected);
  screenshot (window, "6-record-error");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-record-error", NULL));
  iterate ();
  g_assert_null (dossier_window_get_record_error_text (window));

  g_assert_cmpint (g_unlink (history_path), ==, 0);
  if (had_history)
    g_assert_cmpint (g_rename (saved_path, history_path), ==, 0);
  dossier_history_reload (history);
  close_window (window);
}

/* Drops FILE on the Files step; returns its upload once it is checked and
 * its row (in ROW) says it is ready to send */
static DossierUpload *
drop_on_files_step (DossierWindow   *window,
                    GFile           *file,
                    DossierFileRow **row)
{
  DossierSubmission *submission = dossier_window_get_submission (window);
  g_autofree char *name = g_file_get_basename (file);
  GtkWidget *list_view;
  DossierUpload *upload;

  drop_files (window, &file, 1);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1
              && finished (submission));
  upload = find_upload (submission, name);
  g_assert_nonnull (upload);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_READY);

  list_view = dossier_files_page_get_list_view (DOSSIER_FILES_PAGE (dossier_window_get_page (window, DOSSIER_STEP_FILES)));
  WAIT_UNTIL (find_row (list_view, DOSSIER_TYPE_FILE_ROW, upload) != NULL);
  *row = DOSSIER_FILE_ROW (find_row (list_view, DOSSIER_TYPE_FILE_ROW, upload));
  WAIT_UNTIL (g_strcmp0 (dossier_file_row_get_status_text (*row), "Ready to send") == 0);
  return upload;
}

/* The duplicate guard on the Files step: the same file again says where
 * it went before, in a warning under its status; Upload still sends it */
static void
test_duplicate (void)
{
  DossierWindow *window = open_window ();
  g_autoptr(GFile) file = write_seeded_png ("akta-pendirian.png", 101);
  DossierSubmission *submission;
  DossierUpload *upload;
  DossierFileRow *row;
  g_autofree char *first_id = NULL;
  const char *warning;

  choose_provider (window, "doku");
  go_next (window, DOSSIER_STEP_DETAILS);
  set_document_details (window, "NPWP_BADAN");
  go_next (window, DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);

  /* the first time: no warning */
  upload = drop_on_files_step (window, file, &row);
  g_assert_null (dossier_upload_get_duplicate_of (upload));
  g_assert_null (dossier_file_row_get_duplicate_text (row));
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  first_id = g_strdup (dossier_upload_get_result (upload)->remote_id);

  /* New submission, the same file again */
  go_next (window, DOSSIER_STEP_PROVIDER);
  go_next (window, DOSSIER_STEP_DETAILS);
  go_next (window, DOSSIER_STEP_FILES);
  upload = drop_on_files_step (window, file, &row);
  WAIT_UNTIL (dossier_file_row_get_duplicate_text (row) != NULL);
  warning = dossier_file_row_get_duplicate_text (row);
  g_assert_true (g_str_has_prefix (warning, "Already sent to DOKU"));
  g_assert_nonnull (strstr (warning, "akta-pendirian.png"));
  g_assert_nonnull (strstr (warning, first_id));
  g_assert_cmpstr (warning, ==, dossier_upload_get_duplicate_of (upload));
  /* a warning, not a problem: the file is ready and Upload enabled */
  g_assert_cmpstr (dossier_file_row_get_status_text (row), ==, "Ready to send");
  g_assert_true (next_enabled (window));
  screenshot (window, "3-files-duplicate");

  /* the clerk may still send it */
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_cmpuint (count_received ("doku", "akta-pendirian.png", NULL), ==, 2);

  close_window (window);
}

/* The merchants: a window on them, at WIDTH */
static DossierWindow *
open_merchants_window (int width)
{
  DossierWindow *window = dossier_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, 760);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_nonnull (dossier_window_get_merchant_home (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dossier_window_get_merchant_home (window))));
  return window;
}

/* The flow's step pages cost more than the rest of the window: a window
 * opening on the merchants builds them only when the flow is first shown */
static void
test_pages_on_demand (void)
{
  g_autofree char *path = dossier_queue_state_dup_default_path ();
  DossierWindow *window;
  GtkWidget *provider_page;

  g_assert_true (dossier_queue_state_discard (path, NULL));
  window = open_merchants_window (900);
  g_assert_null (window->provider_page);
  g_assert_null (gtk_widget_get_first_child (GTK_WIDGET (window->stack)));
  g_assert_false (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.upload-adhoc", NULL);
  iterate ();
  provider_page = dossier_window_get_page (window, DOSSIER_STEP_PROVIDER);
  g_assert_nonnull (provider_page);
  g_assert_true (gtk_stack_get_visible_child (window->stack) == provider_page);
  g_assert_true (gtk_stack_get_child_by_name (window->stack, "upload")
                 == dossier_window_get_page (window, DOSSIER_STEP_UPLOAD));
  WAIT_UNTIL (gtk_widget_get_mapped (provider_page));
  /* the flow works as before: the sandbox's credentials, then Next */
  g_assert_nonnull (dossier_window_get_subtitle (window));
  WAIT_UNTIL (next_enabled (window));
  /* the shortcuts window, added after the first frame (deprecated in GTK
   * 4.18, kept until libadwaita 1.8's dialog: src/gui/dossier-startup.c) */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  WAIT_UNTIL (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) != NULL);
  {
    GtkWidget *overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");

    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
    WAIT_UNTIL (gtk_widget_get_visible (overlay));
    gtk_window_close (GTK_WINDOW (overlay));
  }
  G_GNUC_END_IGNORE_DEPRECATIONS

  close_window (window);
}

/* The one window above WINDOW of TYPE, or NULL */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (other, type) && gtk_widget_get_visible (GTK_WIDGET (other)))
        return other;   /* the toplevels list keeps it */
    }
  return NULL;
}

static DossierChecklistItem *
find_item (DossierChecklist      *checklist,
           DossierChecklistState  state,
           const char            *requirement_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (checklist));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (checklist), i);

      if (dossier_checklist_item_get_state (item) == state
          && (requirement_id == NULL
              || g_strcmp0 (dossier_checklist_item_get_requirement_id (item), requirement_id) == 0))
        return item;   /* the checklist keeps it */
    }
  return NULL;
}

/* With DOSSIER_SCREENSHOT_DIR set, NAME-light.png and NAME-dark.png */
static gboolean
screenshot_wait_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
screenshot_both (gpointer    window,
                 const char *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  AdwStyleManager *style = adw_style_manager_get_default ();
  static const char * const schemes[] = { "light", "dark" };

  if (dir == NULL)
    return;
  /* the toasts of what came before (a toast lives 5 s) are not the page's */
  {
    gboolean waited = FALSE;

    g_timeout_add_seconds (6, screenshot_wait_done, &waited);
    WAIT_UNTIL (waited);
  }
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *file_name = g_strdup_printf ("%s-%s.png", name, schemes[i]);
      g_autofree char *path = g_build_filename (dir, file_name, NULL);

      adw_style_manager_set_color_scheme (style, i == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                         : ADW_COLOR_SCHEME_FORCE_DARK);
      save_png (window, path);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* Create a merchant, give Moov's account, see Moov's checklist, upload
 * from an item, see it pending review, export */
static void
test_merchants (void)
{
  DossierWindow *window = open_merchants_window (1100);
  DossierMerchantHome *home = dossier_window_get_merchant_home (window);
  DossierMerchantPage *page = dossier_merchant_home_get_page (home);
  DossierMerchantList *list = dossier_merchant_home_get_list (home);
  DossierMerchantStore *store = dossier_window_get_merchant_store (window);
  DossierMerchantDialog *dialog;
  DossierMerchant *merchant;
  DossierFieldEditor *account;
  DossierChecklistView *view;
  DossierChecklistItem *item;
  DossierSubmission *submission;
  g_autofree char *requirement_id = NULL;
  g_autofree char *badges = NULL;
  g_autoptr(GFile) file = write_png ("moov-requirement.png");
  GFile *files[1] = { file };
  GtkWindow *export;

  /* no merchant yet: the empty state */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (dossier_merchant_home_is_empty (home));
  screenshot (window, "merchants-empty");

  /* New Merchant: a name is required, said inline */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-merchant", NULL);
  WAIT_UNTIL (find_toplevel (DOSSIER_TYPE_MERCHANT_DIALOG) != NULL);
  dialog = DOSSIER_MERCHANT_DIALOG (find_toplevel (DOSSIER_TYPE_MERCHANT_DIALOG));
  g_assert_false (gtk_widget_is_sensitive (dossier_merchant_dialog_get_create_button (dialog)));
  gtk_editable_set_text (dossier_merchant_dialog_get_name_row (dialog), "x");
  gtk_editable_set_text (dossier_merchant_dialog_get_name_row (dialog), "  ");
  g_assert_cmpstr (dossier_merchant_dialog_get_problem (dialog), ==, "Give the merchant a name");
  g_assert_false (gtk_widget_is_sensitive (dossier_merchant_dialog_get_create_button (dialog)));
  gtk_editable_set_text (dossier_merchant_dialog_get_name_row (dialog), "Toko Makmur");
  gtk_editable_set_text (dossier_merchant_dialog_get_reference_row (dialog), "ONB-0412");
  g_assert_null (dossier_merchant_dialog_get_problem (dialog));
  screenshot (dialog, "new-merchant");
  click (dossier_merchant_dialog_get_create_button (dialog));
  WAIT_UNTIL (find_toplevel (DOSSIER_TYPE_MERCHANT_DIALOG) == NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_false (dossier_merchant_home_is_empty (home));
  merchant = dossier_merchant_page_get_merchant (page);
  g_assert_nonnull (merchant);
  g_assert_cmpstr (dossier_merchant_get_name (merchant), ==, "Toko Makmur");
  g_assert_cmpstr (dossier_merchant_get_reference (merchant), ==, "ONB-0412");

  /* Moov's account: an invalid value is not kept, a valid one is, and
   * brings Moov's checklist from the sandbox */
  account = dossier_merchant_page_get_editor (page, "moov", "accountID");
  g_assert_nonnull (account);
  g_assert_nonnull (dossier_merchant_page_get_editor (page, "receeve", "clientId"));
  g_assert_null (dossier_merchant_page_get_checklist_view (page, "moov"));
  dossier_field_editor_set_value (account, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_assert_cmpstr (dossier_merchant_get_account_value (merchant, "moov", "accountID"), ==,
                   DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  view = dossier_merchant_page_get_checklist_view (page, "moov");
  g_assert_nonnull (view);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (dossier_checklist_view_get_checklist (view))) > 0);
  item = find_item (dossier_checklist_view_get_checklist (view), DOSSIER_CHECKLIST_STATE_MISSING, NULL);
  g_assert_nonnull (item);
  requirement_id = g_strdup (dossier_checklist_item_get_requirement_id (item));
  g_assert_nonnull (requirement_id);

  /* saved: another store reads the account value from the disk */
  dossier_merchant_page_save (page);
  {
    g_autoptr(DossierMerchantStore) again = dossier_merchant_store_new (dossier_application_get_catalogue (app),
                                                                        dossier_merchant_store_get_directory (store));
    g_autoptr(GError) error = NULL;

    g_assert_true (dossier_merchant_store_load (again, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (dossier_merchant_get_account_value (dossier_merchant_store_lookup (again, dossier_merchant_get_id (merchant)),
                                                         "moov", "accountID"),
                     ==, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  }

  /* the list's badge */
  badges = dossier_merchant_list_describe_row (list, merchant);
  g_assert_nonnull (strstr (badges, "Moov: "));
  g_assert_nonnull (strstr (badges, "missing"));

  /* Upload on the item: the flow, on the files step, everything chosen */
  g_signal_emit_by_name (view, "upload-requested", item);
  WAIT_UNTIL (dossier_window_get_step (window) == DOSSIER_STEP_FILES);
  submission = dossier_window_get_submission (window);
  g_assert_cmpstr (dossier_provider_get_id (dossier_submission_get_provider (submission)), ==, "moov");
  g_assert_cmpstr (dossier_submission_get_merchant_id (submission), ==, dossier_merchant_get_id (merchant));
  g_assert_cmpstr (dossier_submission_get_value (submission, "accountID"), ==, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);
  g_assert_nonnull (strstr (dossier_submission_get_value (submission, "metadata"), requirement_id));
  /* the flow's first step names the merchant */
  {
    DossierProviderPage *provider_page = DOSSIER_PROVIDER_PAGE (dossier_window_get_page (window, DOSSIER_STEP_PROVIDER));
    AdwComboRow *row = dossier_provider_page_get_merchant_row (provider_page);
    g_autoptr(GtkStringObject) chosen = NULL;

    g_assert_nonnull (row);
    chosen = g_list_model_get_item (adw_combo_row_get_model (row), adw_combo_row_get_selected (row));
    g_assert_cmpstr (gtk_string_object_get_string (chosen), ==, "Toko Makmur");
  }

  dossier_window_add_files (window, files, 1);
  WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1 && finished (submission));
  go_next (window, DOSSIER_STEP_UPLOAD);
  WAIT_UNTIL (finished (submission));
  g_assert_cmpuint (dossier_gui_get_uint (submission, "n-done"), ==, 1);

  /* Done: the merchant's page again, the item pending review (the button
   * follows the counts a main-loop turn later) */
  WAIT_UNTIL (gtk_widget_is_sensitive (dossier_window_get_next_button (window)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (dossier_window_get_next_button (window))), ==, "_Done");
  click (dossier_window_get_next_button (window));
  iterate ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  WAIT_UNTIL (find_item (dossier_checklist_view_get_checklist (view), DOSSIER_CHECKLIST_STATE_UPLOADED,
                         requirement_id) != NULL);
  WAIT_UNTIL (dossier_merchant_page_get_n_recent (page) == 1);
  screenshot_both (window, "merchant-page");

  /* a dropped file that matches no item: a dialog asks which one, then
   * the flow has it with the item's values */
  {
    g_autoptr(GFile) scan = write_png ("scan-001.png");
    GSList dropped = { scan, NULL };
    DossierChecklistItem *target = find_item (dossier_checklist_view_get_checklist (view),
                                              DOSSIER_CHECKLIST_STATE_MISSING, NULL);
    g_autofree char *target_id = g_strdup (dossier_checklist_item_get_requirement_id (target));
    GtkWidget *ask;
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    AdwComboRow *row;
    GListModel *choices;
    DossierUpload *upload;
    guint chosen = GTK_INVALID_LIST_POSITION;

    dossier_merchant_page_drop_files (page, &dropped);
#if ADW_CHECK_VERSION (1, 5, 0)
    /* libadwaita 1.5+: an AdwAlertDialog inside the window */
    WAIT_UNTIL ((ask = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)))) != NULL);
#else
    WAIT_UNTIL (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);
    ask = GTK_WIDGET (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
#endif
    WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (ask)));
    /* (libadwaita 1.7 maps the dialog's content after the dialog) */
    WAIT_UNTIL ((g_ptr_array_set_size (rows, 0), collect (GTK_WIDGET (ask), ADW_TYPE_COMBO_ROW, rows), rows->len > 0));
    g_assert_cmpuint (rows->len, ==, 1);
    row = g_ptr_array_index (rows, 0);
    choices = adw_combo_row_get_model (row);
    for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
      {
        g_autoptr(GtkStringObject) choice = g_list_model_get_item (choices, i);

        if (g_str_has_suffix (gtk_string_object_get_string (choice), dossier_checklist_item_get_label (target)))
          chosen = i;
      }
    g_assert_cmpuint (chosen, !=, GTK_INVALID_LIST_POSITION);
    adw_combo_row_set_selected (row, chosen);
#if ADW_CHECK_VERSION (1, 5, 0)
    g_signal_emit_by_name (ask, "response", "upload");
    adw_dialog_force_close (ADW_DIALOG (ask));
#else
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "upload");
#endif
    WAIT_UNTIL (dossier_window_get_step (window) == DOSSIER_STEP_FILES);
    submission = dossier_window_get_submission (window);
    WAIT_UNTIL (g_list_model_get_n_items (dossier_submission_get_uploads (submission)) == 1);
    upload = find_upload (submission, "scan-001.png");
    g_assert_nonnull (upload);
    g_assert_nonnull (strstr (dossier_upload_get_value (upload, "metadata"), target_id));
    /* backing out: the merchant's page again */
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-merchants", NULL);
    iterate ();
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  }

  /* a second merchant, for the list */
  {
    g_autoptr(DossierMerchant) other = dossier_merchant_new ("PT Maju Jaya");
    g_autoptr(GError) error = NULL;

    dossier_merchant_set_reference (other, "ONB-0398");
    g_assert_true (dossier_merchant_store_add (store, other, &error));
    g_assert_no_error (error);
  }

  /* Ctrl+F: the search */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search-merchants", NULL);
  gtk_editable_set_text (dossier_merchant_list_get_search_entry (list), "makmur");
  WAIT_UNTIL (dossier_merchant_list_get_n_shown (list) == 1);
  gtk_editable_set_text (dossier_merchant_list_get_search_entry (list), "zzz");
  WAIT_UNTIL (dossier_merchant_list_get_n_shown (list) == 0);
  gtk_editable_set_text (dossier_merchant_list_get_search_entry (list), "");
  WAIT_UNTIL (dossier_merchant_list_get_n_shown (list) == 2);
  screenshot_both (window, "merchants");

  /* Export… */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint before = g_list_model_get_n_items (toplevels);

    gtk_widget_activate_action (GTK_WIDGET (window), "win.export-merchant", NULL);
    WAIT_UNTIL (g_list_model_get_n_items (toplevels) == before + 1);
    export = NULL;
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i);

        if (gtk_window_get_transient_for (other) == GTK_WINDOW (window))
          export = other;
      }
    g_assert_nonnull (export);
    gtk_window_destroy (export);
    WAIT_UNTIL (g_list_model_get_n_items (toplevels) == before);
  }

  close_window (window);

  /* the last merchant opened is shown again */
  window = open_merchants_window (1100);
  home = dossier_window_get_merchant_home (window);
  g_assert_nonnull (dossier_merchant_page_get_merchant (dossier_merchant_home_get_page (home)));
  g_assert_cmpstr (dossier_merchant_get_name (dossier_merchant_page_get_merchant (dossier_merchant_home_get_page (home))),
                   ==, "Toko Makmur");
  close_window (window);
}

/* Narrow: the list and the page fold; back (Escape) returns to the list */
static void
test_merchants_narrow (void)
{
  DossierWindow *window;
  DossierMerchantHome *home;
  DossierMerchantStore *store;
  g_autoptr(DossierMerchant) merchant = NULL;

  /* GNOME's own title bar: a close button only */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "menu:close", NULL);
  window = open_merchants_window (360);

  home = dossier_window_get_merchant_home (window);
  store = dossier_window_get_merchant_store (window);
  /* the merchants of the test before */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), >, 0);
  WAIT_UNTIL (dossier_merchant_home_get_folded (home));
  merchant = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_signal_emit_by_name (dossier_merchant_home_get_list (home), "merchant-activated", merchant);
  WAIT_UNTIL (dossier_merchant_home_get_page_shown (home));
#if !ADW_CHECK_VERSION (1, 4, 0)
  /* from 1.4 on the navigation page's header bar has its own */
  g_assert_true (gtk_widget_get_visible (dossier_merchant_page_get_back_button (dossier_merchant_home_get_page (home))));
#endif
  gtk_widget_activate_action (GTK_WIDGET (window), "win.merchant-list", NULL);
  WAIT_UNTIL (!dossier_merchant_home_get_page_shown (home));
  screenshot_both (window, "merchants-narrow");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* a state folder of its own (history, saved queue), before anything
   * asks where it is */
  state_dir = g_dir_make_tmp ("dossier-gui-state-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", state_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);

  scratch = g_dir_make_tmp ("dossier-gui-XXXXXX", &error);
  g_assert_no_error (error);

  /* the sandbox the application talks to, on its own thread */
  sandbox = dossier_sandbox_new (NULL, &error);
  g_assert_no_error (error);
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
  g_test_add_func ("/gui/folder-skipped", test_folder_skipped);
  g_test_add_func ("/gui/moov-account", test_moov_account);
  g_test_add_func ("/gui/moov-metadata", test_moov_metadata);
  g_test_add_func ("/gui/kore-open-choice", test_kore_open_choice);
  g_test_add_func ("/gui/paste", test_paste);
  g_test_add_func ("/gui/narrow", test_narrow);
  g_test_add_func ("/gui/keyboard", test_keyboard);
  g_test_add_func ("/gui/many-files", test_many_files);
  g_test_add_func ("/gui/history", test_history);
  g_test_add_func ("/gui/restore", test_restore);
  g_test_add_func ("/gui/restore-maybe-sent", test_restore_maybe_sent);
  g_test_add_func ("/gui/record-error", test_record_error);
  g_test_add_func ("/gui/duplicate", test_duplicate);
  g_test_add_func ("/gui/pages-on-demand", test_pages_on_demand);
  /* run on their own (meson test gui-merchants), each under its own time limit */
  g_test_add_func ("/gui/merchants/flow", test_merchants);
  g_test_add_func ("/gui/merchants/narrow", test_merchants_narrow);
  if (g_getenv ("DOSSIER_SCREENSHOT_FLOW") != NULL)
    g_test_add_func ("/gui/screenshot-flow", test_screenshot_flow);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&sandbox);
  remove_tree (state_dir);
  g_free (state_dir);
  remove_tree (scratch);
  g_free (scratch);
  return status;
}
