/* test-checklist-view.c: a merchant's checklist and the audit export, as
 * real widgets in a real window (under Xvfb), against the sandbox
 *
 * With DOSSIER_SCREENSHOT_DIR set, writes checklist-light.png and
 * checklist-dark.png there.
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "dossier-catalogue.h"
#include "dossier-checklist-view.h"
#include "dossier-export-dialog.h"
#include "dossier-gui-test-util.h"
#include "dossier-history.h"
#include "dossier-test-util.h"

#define BUSINESS_DOC "document.business.verification"
#define REP_DOC      "document.representative." DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID ".verification"

static DossierSandbox *sandbox;
static DossierCatalogue *catalogue;
static DossierClient *client;
static char *scratch;

#define iterate dossier_gui_test_iterate
#define WAIT_UNTIL DOSSIER_GUI_TEST_WAIT_UNTIL

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  dossier_gui_test_collect (widget, type, FALSE, found);
}

/* The row of the item labelled @title */
static AdwActionRow *
find_row (GtkWidget  *view,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (view, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      const char *text = gtk_button_get_label (g_ptr_array_index (buttons, i));

      if (text != NULL && g_str_equal (text, label))
        return g_ptr_array_index (buttons, i);
    }
  return NULL;
}

static GtkWidget *
find_icon_button (GtkWidget  *root,
                  const char *icon_name)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (buttons, i)), icon_name) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

/* A merchant with a Moov account of its own (any UUID is an account of
 * the sandbox, each starting with the same documents due) */
static DossierMerchant *
new_merchant (DossierMerchantStore *store,
              const char           *name)
{
  DossierMerchant *merchant = dossier_merchant_new (name);
  g_autofree char *account = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_merchant_set_account_value (merchant, dossier_catalogue_lookup (catalogue, "moov"),
                                                     "accountID", account, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_merchant_store_add (store, merchant, &error));
  g_assert_no_error (error);
  return merchant;
}

/* A representative's document sent to Moov, which the sandbox refuses as
 * illegible */
static void
send_rejected_document (DossierMerchant *merchant)
{
  g_autoptr(SoupMultipart) form = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) png = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 64, FALSE);
  g_autofree char *uri = g_strdup_printf ("%s/moov/accounts/%s/files", dossier_sandbox_get_base_url (sandbox),
                                          dossier_merchant_get_account_value (merchant, "moov", "accountID"));
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) json = NULL;

  dossier_test_add_fault (sandbox, "moov/requirement:requirement=" REP_DOC ",error=document-illegible");
  soup_multipart_append_form_string (form, "filePurpose", "representative_verification");
  soup_multipart_append_form_string (form, "metadata", "{\"requirement_id\":\"" REP_DOC "\"}");
  soup_multipart_append_form_file (form, "file", "rep-id.png", "image/png", png);
  msg = soup_message_new_from_multipart (uri, form);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " DOSSIER_SANDBOX_MOOV_TOKEN);
  g_assert_cmpuint (dossier_test_send (msg, &json), ==, 200);
}

typedef struct
{
  GtkWindow *window;
  GtkWidget *view;
  DossierMerchantStore *store;
  DossierHistory *history;
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *history_path = NULL;
  GtkWidget *scrolled, *clamp;
  const char *lines = data;

  fx->dir = g_dir_make_tmp ("dossier-checklist-view-XXXXXX", &error);
  g_assert_no_error (error);
  fx->store = dossier_merchant_store_new (catalogue, fx->dir);
  g_assert_true (dossier_merchant_store_load (fx->store, &error));
  g_assert_no_error (error);
  history_path = g_build_filename (fx->dir, "history.jsonl", NULL);
  if (lines != NULL)
    {
      g_file_set_contents (history_path, lines, -1, &error);
      g_assert_no_error (error);
    }
  fx->history = dossier_history_new_for_path (history_path);

  fx->view = dossier_checklist_view_new (dossier_catalogue_lookup (catalogue, "moov"), client,
                                         G_LIST_MODEL (fx->history), dossier_sandbox_get_base_url (sandbox));
  fx->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fx->window, 720, 640);
  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), fx->view);
  gtk_widget_set_margin_top (clamp, 24);
  gtk_widget_set_margin_bottom (clamp, 24);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  adw_window_set_content (ADW_WINDOW (fx->window), scrolled);
  gtk_window_present (fx->window);
  WAIT_UNTIL (gtk_widget_get_mapped (fx->view));
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  gtk_window_destroy (fx->window);
  for (guint i = 0; i < 20; i++)
    iterate ();
  g_clear_object (&fx->store);
  g_clear_object (&fx->history);
  dossier_test_remove_tree (fx->dir);
  g_free (fx->dir);
}

/* ------------------------------------------------------------------------ */
/* screenshots                                                               */

/* With DOSSIER_SCREENSHOT_DIR set, @window as drawn into @name there */
static void
save_png (GtkWindow  *window,
          const char *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  dossier_gui_test_save_png (GTK_WIDGET (window), path);
}

/* ------------------------------------------------------------------------ */
/* the checklist                                                             */

static void
keep_item_cb (DossierChecklistView  *view,
              DossierChecklistItem  *item,
              DossierChecklistItem **out)
{
  g_set_object (out, item);
}

static void
count_cb (gpointer  view,
          guint    *count)
{
  (*count)++;
}

/* Moov's due documents, a rejected one with its advice, Upload on an
 * item, the counts in the merchant's record, the limiter's minute */
static void
test_moov (Fixture       *fx,
           gconstpointer  data)
{
  DossierChecklistView *view = DOSSIER_CHECKLIST_VIEW (fx->view);
  g_autoptr(DossierMerchant) merchant = new_merchant (fx->store, "Toko Makmur");
  g_autoptr(DossierChecklistItem) requested = NULL;
  DossierChecklistSummary summary;
  AdwActionRow *row;
  guint refreshed = 0;

  send_rejected_document (merchant);
  g_signal_connect (view, "upload-requested", G_CALLBACK (keep_item_cb), &requested);
  g_signal_connect (view, "refreshed", G_CALLBACK (count_cb), &refreshed);
  g_assert_cmpstr (dossier_checklist_view_get_environment (view), ==, "sandbox");

  dossier_checklist_view_set_merchant (view, fx->store, merchant);
  g_assert_true (dossier_checklist_view_get_busy (view));
  WAIT_UNTIL (refreshed == 1);
  g_assert_false (dossier_checklist_view_get_busy (view));
  g_assert_null (dossier_checklist_view_get_notice (view));

  row = find_row (fx->view, "Business verification document");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Missing");
  row = find_row (fx->view, "Identity document for representative " DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row),
                            "Moov could not read the document: upload a sharper scan"));
  g_assert_nonnull (find_button (GTK_WIDGET (row), "Upload _Again"));
  g_assert_nonnull (find_row (fx->view, "Underwriting documents (bank and processing statements)"));

  save_png (fx->window, "checklist-light.png");
  if (g_getenv ("DOSSIER_SCREENSHOT_DIR") != NULL)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
      save_png (fx->window, "checklist-dark.png");
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
    }

  /* Upload on an item hands the item on, with what its upload carries */
  click (find_button (GTK_WIDGET (find_row (fx->view, "Business verification document")), "_Upload"));
  g_assert_nonnull (requested);
  g_assert_cmpstr (dossier_checklist_item_get_requirement_id (requested), ==, BUSINESS_DOC);
  g_assert_cmpstr (g_hash_table_lookup (dossier_checklist_item_get_fields (requested), "filePurpose"), ==,
                   "business_verification");

  /* the counts are in the merchant's record, on disk */
  {
    g_autoptr(DossierMerchantStore) again = dossier_merchant_store_new (catalogue, fx->dir);
    g_autoptr(GError) error = NULL;
    DossierMerchant *loaded;

    g_assert_true (dossier_merchant_store_load (again, &error));
    g_assert_no_error (error);
    loaded = dossier_merchant_store_lookup (again, dossier_merchant_get_id (merchant));
    g_assert_true (dossier_merchant_get_checklist_summary (loaded, "moov", &summary));
    g_assert_cmpuint (summary.rejected, ==, 1);
    g_assert_cmpuint (summary.missing, ==, 3);
    g_assert_cmpint (summary.checked_at, >, 0);
  }

  /* asked again within the minute: the answers kept, and said so */
  click (find_icon_button (fx->view, "view-refresh-symbolic"));
  WAIT_UNTIL (refreshed == 2);
  g_assert_nonnull (dossier_checklist_view_get_notice (view));
  g_assert_true (g_str_has_prefix (dossier_checklist_view_get_notice (view), "checked "));
  g_assert_nonnull (strstr (dossier_checklist_view_get_notice (view), "Moov is asked at most once a minute"));
  g_assert_nonnull (find_row (fx->view, "Business verification document"));
}

/* Cancel while Moov is being asked: the view says so, Retry asks at once
 * (the cancelled request does not hold the next one back) */
static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  DossierChecklistView *view = DOSSIER_CHECKLIST_VIEW (fx->view);
  g_autoptr(DossierMerchant) merchant = new_merchant (fx->store, "PT Maju Jaya");
  guint refreshed = 0;

  g_signal_connect (view, "refreshed", G_CALLBACK (count_cb), &refreshed);
  dossier_checklist_view_set_merchant (view, fx->store, merchant);
  g_assert_true (dossier_checklist_view_get_busy (view));
  click (find_button (fx->view, "_Cancel"));
  WAIT_UNTIL (!dossier_checklist_view_get_busy (view));
  g_assert_cmpuint (refreshed, ==, 0);
  g_assert_cmpstr (dossier_checklist_view_get_notice (view), ==, "The list shows what was known before.");
  g_assert_nonnull (find_row (fx->view, "Cancelled: Moov was not asked"));

  click (find_button (fx->view, "_Retry"));
  WAIT_UNTIL (refreshed == 1);
  g_assert_null (dossier_checklist_view_get_notice (view));
  g_assert_nonnull (find_row (fx->view, "Business verification document"));
  g_assert_null (find_row (fx->view, "Cancelled: Moov was not asked"));
}

/* Moov fails: what it said, with Retry */
static void
test_failure (Fixture       *fx,
              gconstpointer  data)
{
  DossierChecklistView *view = DOSSIER_CHECKLIST_VIEW (fx->view);
  g_autoptr(DossierMerchant) merchant = new_merchant (fx->store, "Toko Gagal");

  dossier_test_add_fault (sandbox, "moov/capabilities:status=500,times=1");
  dossier_checklist_view_set_merchant (view, fx->store, merchant);
  WAIT_UNTIL (!dossier_checklist_view_get_busy (view));
  g_test_message ("notice: %s", dossier_checklist_view_get_notice (view));
  g_assert_true (g_str_has_prefix (dossier_checklist_view_get_notice (view),
                                   "Could not ask Moov what it still needs: Moov answered 500"));
  g_assert_nonnull (find_row (fx->view, "Could not refresh Moov’s checklist"));
  g_assert_nonnull (find_button (fx->view, "_Retry"));
}

#define KORE_MERCHANT "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"

static const char kore_lines[] =
  "{\"finished_at\":\"2026-12-03T09:00:00Z\",\"provider_id\":\"kore\",\"environment\":\"sandbox\","
  "\"file_name\":\"intents.csv\",\"success\":true,\"remote_id\":\"kore-file-1\",\"outcome\":\"sent\","
  "\"merchant_id\":\"" KORE_MERCHANT "\",\"document\":{\"fileContext\":\"findIntent\"}}\n";

/* Kore.ai publishes no requirement: the view says so and lists the
 * optional item and the uploads in the record, without asking anyone */
static void
test_kore (Fixture       *fx,
           gconstpointer  data)
{
  GtkWidget *view = dossier_checklist_view_new (dossier_catalogue_lookup (catalogue, "kore"), client,
                                                G_LIST_MODEL (fx->history), dossier_sandbox_get_base_url (sandbox));
  g_autofree char *path = g_build_filename (fx->dir, "merchants.jsonl", NULL);
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DossierMerchant *merchant;
  guint refreshed = 0;

  g_file_set_contents (path, "{\"format\":1,\"id\":\"" KORE_MERCHANT "\",\"name\":\"Bot Makmur\"}\n", -1, &error);
  g_assert_no_error (error);
  store = dossier_merchant_store_new (catalogue, fx->dir);
  g_assert_true (dossier_merchant_store_load (store, &error));
  g_assert_no_error (error);
  merchant = dossier_merchant_store_lookup (store, KORE_MERCHANT);

  adw_clamp_set_child (ADW_CLAMP (gtk_widget_get_parent (fx->view)), view);
  fx->view = view;
  g_signal_connect (view, "refreshed", G_CALLBACK (count_cb), &refreshed);
  dossier_checklist_view_set_merchant (DOSSIER_CHECKLIST_VIEW (view), store, merchant);
  WAIT_UNTIL (refreshed == 1);
  g_assert_cmpstr (dossier_checklist_view_get_notice (DOSSIER_CHECKLIST_VIEW (view)), ==,
                   "Kore.ai publishes no requirements: these are the uploads made");
  g_assert_cmpstr (adw_action_row_get_subtitle (find_row (view, "Files for bulk import")), ==, "Optional, not sent");
  g_assert_cmpstr (adw_action_row_get_subtitle (find_row (view, "intents.csv")), ==, "Uploaded, pending review");
  save_png (fx->window, "checklist-kore.png");
}

/* A merchant without the account value Moov's request needs: said, not asked */
static void
test_missing_account (Fixture       *fx,
                      gconstpointer  data)
{
  DossierChecklistView *view = DOSSIER_CHECKLIST_VIEW (fx->view);
  g_autoptr(DossierMerchant) merchant = dossier_merchant_new ("Warung Sari");
  AdwActionRow *row;

  dossier_checklist_view_set_merchant (view, fx->store, merchant);
  g_assert_false (dossier_checklist_view_get_busy (view));
  row = find_row (fx->view, "Warung Sari has no Account ID for Moov yet");
  g_assert_nonnull (row);
  g_assert_null (find_button (fx->view, "_Retry"));
}

/* ------------------------------------------------------------------------ */
/* the export                                                                */

static int
column (GPtrArray  *header,
        const char *name)
{
  for (guint i = 0; i < header->len; i++)
    if (g_str_equal (g_ptr_array_index (header, i), name))
      return i;
  g_error ("no column “%s”", name);
  return -1;
}

#define EXPORT_MERCHANT "0f3c2a1b-7d6e-4f5a-9b8c-1d2e3f4a5b6c"

static const char export_lines[] =
  "{\"finished_at\":\"2026-12-03T09:00:00Z\",\"provider_id\":\"moov\",\"provider_name\":\"Moov\","
  "\"environment\":\"sandbox\",\"file_name\":\"ein, letter \\\"2026\\\".pdf\",\"success\":true,"
  "\"remote_id\":\"0b8a3f3e-1c2d-4e5f-8a9b-000000000001\",\"remote_status\":\"pending\",\"outcome\":\"sent\","
  "\"merchant_id\":\"" EXPORT_MERCHANT "\",\"sha256\":\"" "aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11" "\","
  "\"account\":{\"accountID\":\"3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42\"},"
  "\"document\":{\"filePurpose\":\"business_verification\"}}\n"
  "{\"finished_at\":\"2026-12-04T09:00:00Z\",\"provider_id\":\"moov\",\"provider_name\":\"Moov\","
  "\"environment\":\"sandbox\",\"file_name\":\"=cmd.pdf\",\"success\":false,\"http_status\":401,"
  "\"message\":\"invalid token\",\"outcome\":\"failed\",\"merchant_id\":\"" EXPORT_MERCHANT "\"}\n"
  "{\"finished_at\":\"2026-12-04T10:00:00Z\",\"provider_id\":\"doku\",\"provider_name\":\"DOKU\","
  "\"environment\":\"sandbox\",\"file_name\":\"other.png\",\"success\":true,\"remote_id\":\"DCM-1\","
  "\"outcome\":\"sent\",\"merchant_id\":\"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d\"}\n";

/* The export dialog writes a CSV a strict reader takes, with no secret */
static void
test_export (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(DossierMerchant) merchant = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GPtrArray *header, *first;
  GtkWindow *dialog;
  GtkWindow *all;

  {
    g_autofree char *path = g_build_filename (fx->dir, "merchants.jsonl", NULL);
    g_autoptr(DossierMerchantStore) store = NULL;

    g_file_set_contents (path, "{\"format\":1,\"id\":\"" EXPORT_MERCHANT "\",\"name\":\"Toko Makmur\"}\n", -1, &error);
    g_assert_no_error (error);
    store = dossier_merchant_store_new (catalogue, fx->dir);
    g_assert_true (dossier_merchant_store_load (store, &error));
    g_assert_no_error (error);
    g_set_object (&fx->store, store);
  }
  merchant = g_object_ref (dossier_merchant_store_lookup (fx->store, EXPORT_MERCHANT));

  dialog = dossier_export_dialog_new (fx->window, G_LIST_MODEL (fx->history), fx->store, merchant, NULL);
  gtk_window_present (dialog);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_true (dossier_export_dialog_can_export (dialog));
  save_png (dialog, "export-dialog.png");

  file = g_file_new_build_filename (fx->dir, "audit.csv", NULL);
  dossier_export_dialog_export_to (dialog, file);
  g_assert_true (dossier_export_dialog_get_busy (dialog));
  WAIT_UNTIL (!dossier_export_dialog_get_busy (dialog));
  g_assert_cmpstr (dossier_export_dialog_get_status (dialog), ==, "Exported 2 uploads to audit.csv");
  g_assert_nonnull (find_button (GTK_WIDGET (dialog), "_Open"));

  g_assert_true (g_file_load_contents (file, NULL, &text, NULL, NULL, &error));
  g_assert_no_error (error);
  rows = dossier_test_read_csv (text);
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 3);
  header = g_ptr_array_index (rows, 0);
  first = g_ptr_array_index (rows, 1);
  g_assert_cmpuint (first->len, ==, header->len);
  g_assert_cmpstr (g_ptr_array_index (first, column (header, "file_name")), ==, "ein, letter \"2026\".pdf");
  g_assert_cmpstr (g_ptr_array_index (first, column (header, "merchant_name")), ==, "Toko Makmur");
  /* no formula runs when a spreadsheet opens it */
  g_assert_cmpstr (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, 2), column (header, "file_name")), ==,
                   "'=cmd.pdf");
  g_assert_null (strstr (text, DOSSIER_SANDBOX_MOOV_TOKEN));
  g_assert_null (strstr (text, DOSSIER_SANDBOX_MOOV_CLIENT_SECRET));
  g_assert_null (strstr (text, "other.png"));
  gtk_window_destroy (dialog);

  /* every merchant: the date range is checked as it is typed */
  all = dossier_export_dialog_new (fx->window, G_LIST_MODEL (fx->history), fx->store, NULL, NULL);
  gtk_window_present (all);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (all)));
  dossier_export_dialog_set_range (all, "2026-13-01", NULL);
  g_assert_false (dossier_export_dialog_can_export (all));
  dossier_export_dialog_set_range (all, "2026-12-05", "2026-12-01");
  g_assert_false (dossier_export_dialog_can_export (all));
  dossier_export_dialog_set_range (all, "2026-12-04", "2026-12-04");
  g_assert_true (dossier_export_dialog_can_export (all));
  dossier_export_dialog_set_format (all, DOSSIER_EXPORT_JSON);
  g_clear_object (&file);
  file = g_file_new_build_filename (fx->dir, "range.json", NULL);
  dossier_export_dialog_export_to (all, file);
  WAIT_UNTIL (!dossier_export_dialog_get_busy (all));
  g_assert_cmpstr (dossier_export_dialog_get_status (all), ==, "Exported 2 uploads to range.json");

  /* a folder that cannot be written: why, in plain words */
  g_clear_object (&file);
  file = g_file_new_build_filename (fx->dir, "no-such-folder", "range.json", NULL);
  dossier_export_dialog_export_to (all, file);
  WAIT_UNTIL (!dossier_export_dialog_get_busy (all));
  g_assert_true (g_str_has_prefix (dossier_export_dialog_get_status (all), "Could not write range.json: "));
  gtk_window_destroy (all);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  dossier_gui_test_init_with_sandbox (&argc, &argv, "dossier-checklist-view-state-XXXXXX",
                                      &scratch, &sandbox, &catalogue);
  client = dossier_client_new (2);

  g_test_add ("/checklist-view/moov", Fixture, NULL, fixture_set_up, test_moov, fixture_tear_down);
  g_test_add ("/checklist-view/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/checklist-view/failure", Fixture, NULL, fixture_set_up, test_failure, fixture_tear_down);
  g_test_add ("/checklist-view/kore", Fixture, kore_lines, fixture_set_up, test_kore, fixture_tear_down);
  g_test_add ("/checklist-view/missing-account", Fixture, NULL, fixture_set_up, test_missing_account,
              fixture_tear_down);
  g_test_add ("/checklist-view/export", Fixture, export_lines, fixture_set_up, test_export, fixture_tear_down);

  status = g_test_run ();

  g_clear_object (&client);
  dossier_gui_test_clear_sandbox (&scratch, &sandbox, &catalogue);
  return status;
}
