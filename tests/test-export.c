/* test-export.c: the audit export: CSV read back by a strict RFC 4180
 * reader, JSON by json-glib, the HTML summary escaped and self-contained
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dossier-catalogue.h"
#include "dossier-checklist.h"
#include "dossier-export.h"
#include "dossier-history-private.h"
#include "dossier-test-util.h"

#define MERCHANT_ID "8f1d7e2a-0000-4000-8000-000000000001"
#define TRICKY_FILE "Akta, \"PT\" Makmur\r\nhal. 2 é 名前.pdf"
#define TRICKY_MESSAGE "=HYPERLINK(\"http://evil.example\")"
#define SECRET "sk_test_0123456789abcdef"

static const char *
cell (GPtrArray  *rows,
      guint       index,
      const char *column)
{
  GPtrArray *header = g_ptr_array_index (rows, 0);
  GPtrArray *row = g_ptr_array_index (rows, index);

  for (guint i = 0; i < header->len; i++)
    if (g_str_equal (g_ptr_array_index (header, i), column))
      return g_ptr_array_index (row, i);

  g_error ("no column %s", column);
  return NULL;
}

static DossierHistoryEntry *
make_entry (const char *finished_at,
            const char *merchant_id,
            const char *provider_id,
            const char *file_name,
            const char *message,
            gboolean    success)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *account = json_object_new ();
  JsonObject *document = json_object_new ();
  DossierHistoryEntry *entry;

  json_object_set_string_member (object, "finished_at", finished_at);
  json_object_set_string_member (object, "provider_id", provider_id);
  json_object_set_string_member (object, "provider_name", g_str_equal (provider_id, "moov") ? "Moov" : "DOKU");
  json_object_set_string_member (object, "environment", "sandbox");
  json_object_set_string_member (object, "file_name", file_name);
  json_object_set_boolean_member (object, "success", success);
  json_object_set_string_member (object, "outcome", success ? "sent" : "failed");
  json_object_set_string_member (object, "sha256",
                                 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  json_object_set_int_member (object, "size", 1234);
  json_object_set_string_member (object, "remote_id", "+62-file");
  json_object_set_string_member (object, "remote_status", "pending");
  json_object_set_string_member (object, "request_id", "-req-1");
  json_object_set_string_member (object, "requirement_id", "document.business.verification");
  if (message != NULL)
    json_object_set_string_member (object, "message", message);
  if (merchant_id != NULL)
    json_object_set_string_member (object, "merchant_id", merchant_id);
  json_object_set_string_member (account, "accountID", "@acc-1");
  json_object_set_object_member (object, "account", account);
  json_object_set_string_member (document, "filePurpose", "business_verification");
  json_object_set_object_member (object, "document", document);

  entry = dossier_history_entry_new_from_json (object, &error);
  g_assert_no_error (error);
  return entry;
}

/* newest first, as DossierHistory */
static GListModel *
make_history (void)
{
  GListStore *store = g_list_store_new (DOSSIER_TYPE_HISTORY_ENTRY);
  const char *times[] = { "2026-12-03T10:00:00Z", "2026-12-02T10:00:00Z", "2026-12-01T10:00:00Z" };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(DossierHistoryEntry) entry =
        make_entry (times[i], i == 1 ? NULL : MERCHANT_ID, i == 2 ? "doku" : "moov",
                    i == 0 ? TRICKY_FILE : "<script>alert(1)</script>.png",
                    i == 0 ? TRICKY_MESSAGE : "token " SECRET " & <b>", i != 1);

      g_list_store_append (store, entry);
    }
  {
    g_autoptr(DossierHistoryEntry) entry =
      make_entry ("2026-11-30T10:00:00Z", "other-merchant", "moov", "esc\033]0;owned\007\302\233.png", NULL, TRUE);

    g_list_store_append (store, entry);
  }

  return G_LIST_MODEL (store);
}

static char *
export_with (DossierExportFormat  format,
             DossierMerchant     *merchant,
             GPtrArray           *checklists,
             GPtrArray           *entries)
{
  g_autoptr(DossierRedact) redact = dossier_redact_new ();
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  DossierExportOptions options = { 0, };
  char *text;

  dossier_redact_add (redact, SECRET);
  g_hash_table_insert (names, (gpointer) MERCHANT_ID, (gpointer) "Toko \"Makmur\", Jaya");
  options.format = format;
  options.merchant = merchant;
  options.checklists = checklists;
  options.merchant_names = names;
  options.redact = redact;
  text = dossier_export_to_text (&options, entries);
  g_assert_nonnull (text);
  g_assert_null (strstr (text, SECRET));
  return text;
}

static char *
export (DossierExportFormat  format,
        DossierMerchant     *merchant,
        GPtrArray           *entries)
{
  return export_with (format, merchant, NULL, entries);
}

static void
test_select (void)
{
  g_autoptr(GListModel) history = make_history ();
  g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 ("2026-12-02T00:00:00Z", NULL);
  g_autoptr(GDateTime) to = g_date_time_new_from_iso8601 ("2026-12-03T10:00:00Z", NULL);
  g_autoptr(GPtrArray) all = dossier_export_select (history, NULL, NULL, NULL);
  g_autoptr(GPtrArray) mine = dossier_export_select (history, MERCHANT_ID, NULL, NULL);
  g_autoptr(GPtrArray) range = dossier_export_select (history, NULL, from, to);
  g_autoptr(GPtrArray) both = dossier_export_select (history, MERCHANT_ID, from, NULL);

  g_assert_cmpuint (all->len, ==, 4);
  /* oldest first */
  g_assert_cmpstr (dossier_history_entry_get_merchant_id (g_ptr_array_index (all, 0)), ==, "other-merchant");
  g_assert_cmpstr (dossier_history_entry_get_provider_id (g_ptr_array_index (all, 1)), ==, "doku");
  g_assert_cmpuint (mine->len, ==, 2);
  /* from included, to not */
  g_assert_cmpuint (range->len, ==, 1);
  g_assert_null (dossier_history_entry_get_merchant_id (g_ptr_array_index (range, 0)));
  g_assert_cmpuint (both->len, ==, 1);
  g_assert_cmpstr (dossier_history_entry_get_file_name (g_ptr_array_index (both, 0)), ==, TRICKY_FILE);
}

static void
test_csv (void)
{
  g_autoptr(GListModel) history = make_history ();
  g_autoptr(GPtrArray) entries = dossier_export_select (history, NULL, NULL, NULL);
  g_autofree char *text = export (DOSSIER_EXPORT_CSV, NULL, entries);
  g_autoptr(GPtrArray) rows = dossier_test_read_csv (text);
  GPtrArray *header = g_ptr_array_index (rows, 0);

  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, i))->len, ==, header->len);

  /* no control character a terminal would act on */
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strchr (text, '\007'));
  g_assert_null (strstr (text, "\302\233"));
  g_assert_cmpstr (cell (rows, 1, "file_name"), ==, "esc\357\277\275]0;owned\357\277\275\357\277\275.png");

  /* the newest (row 4) carries the tricky values, whole */
  g_assert_cmpstr (cell (rows, 4, "file_name"), ==, TRICKY_FILE);
  g_assert_cmpstr (cell (rows, 4, "merchant_name"), ==, "Toko \"Makmur\", Jaya");
  g_assert_cmpstr (cell (rows, 4, "merchant_id"), ==, MERCHANT_ID);
  /* a cell a spreadsheet would run as a formula starts with an apostrophe */
  g_assert_cmpstr (cell (rows, 4, "message"), ==, "'" TRICKY_MESSAGE);
  g_assert_cmpstr (cell (rows, 4, "remote_id"), ==, "'+62-file");
  g_assert_cmpstr (cell (rows, 4, "request_id"), ==, "'-req-1");
  g_assert_cmpstr (cell (rows, 4, "account.accountID"), ==, "'@acc-1");
  g_assert_cmpstr (cell (rows, 4, "document.filePurpose"), ==, "business_verification");
  g_assert_cmpstr (cell (rows, 4, "size"), ==, "1234");
  g_assert_cmpstr (cell (rows, 4, "success"), ==, "true");
  g_assert_cmpstr (cell (rows, 4, "finished_at"), ==, "2026-12-03T10:00:00Z");
  g_assert_cmpstr (cell (rows, 4, "requirement_id"), ==, "document.business.verification");
  /* no merchant: empty, and the secret masked */
  g_assert_cmpstr (cell (rows, 3, "merchant_id"), ==, "");
  g_assert_cmpstr (cell (rows, 3, "success"), ==, "false");
  g_assert_cmpstr (cell (rows, 3, "message"), ==, "token " DOSSIER_REDACT_PLACEHOLDER " & <b>");
}

static void
test_json (void)
{
  g_autoptr(GListModel) history = make_history ();
  g_autoptr(GPtrArray) entries = dossier_export_select (history, NULL, NULL, NULL);
  g_autofree char *text = export (DOSSIER_EXPORT_JSON, NULL, entries);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *newest;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  newest = json_array_get_object_element (array, 3);
  /* JSON is data: values as they are, no apostrophe */
  g_assert_cmpstr (json_object_get_string_member (newest, "file_name"), ==, TRICKY_FILE);
  g_assert_cmpstr (json_object_get_string_member (newest, "message"), ==, TRICKY_MESSAGE);
  g_assert_cmpstr (json_object_get_string_member (newest, "merchant_name"), ==, "Toko \"Makmur\", Jaya");
  g_assert_cmpint (json_object_get_int_member (newest, "size"), ==, 1234);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (newest, "account"), "accountID"),
                   ==, "@acc-1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "message"),
                   ==, "token " DOSSIER_REDACT_PLACEHOLDER " & <b>");
}

static void
test_html (void)
{
  g_autoptr(GListModel) history = make_history ();
  g_autoptr(GPtrArray) entries = dossier_export_select (history, MERCHANT_ID, NULL, NULL);
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autoptr(DossierMerchant) merchant = dossier_merchant_new ("Toko <Makmur> & \"Jaya\"");
  g_autoptr(GPtrArray) checklists = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped_file = g_markup_escape_text (TRICKY_FILE, -1);
  g_autofree char *lower = NULL;

  dossier_catalogue_load_builtin (catalogue, &error);
  g_assert_no_error (error);
  dossier_merchant_set_reference (merchant, "CASE-<1>");
  dossier_merchant_set_notes (merchant, "owes Moov its tax document\n<img src=x onerror=alert(1)>");
  g_assert_true (dossier_merchant_set_account_value (merchant, dossier_catalogue_lookup (catalogue, "moov"),
                                                     "accountID", "ebbf46f6-c8b2-4e2c-9a5d-4d1ae3a4a2d1",
                                                     &error));
  g_assert_no_error (error);

  /* Moov's checklist: one item due, one refused */
  g_ptr_array_add (checklists, dossier_checklist_new (dossier_catalogue_lookup (catalogue, "moov")));
  g_assert_true (dossier_checklist_update (g_ptr_array_index (checklists, 0),
                                           "[{\"capability\": \"transfers\", \"requirements\": {"
                                           "\"currentlyDue\": [\"document.business.verification\"],"
                                           " \"errors\": [{\"requirement\": \"document.individual.verification\","
                                           " \"errorCode\": \"document-illegible\"}]}}]", -1,
                                           NULL, 0, NULL, NULL, 1796500000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (g_ptr_array_index (checklists, 0))), ==, 2);

  text = export_with (DOSSIER_EXPORT_HTML, merchant, checklists, entries);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (g_ptr_array_index (checklists, 0)), i);
      g_autofree char *state = dossier_checklist_item_describe (item);
      g_autofree char *label = g_markup_escape_text (dossier_checklist_item_get_label (item), -1);
      g_autofree char *escaped_state = g_markup_escape_text (state, -1);

      g_assert_nonnull (strstr (text, label));
      g_assert_nonnull (strstr (text, escaped_state));
    }
  lower = g_ascii_strdown (text, -1);

  g_assert_true (g_str_has_prefix (text, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (text, "<style>"));
  /* nothing raw from the record or the merchant; nothing loaded from elsewhere */
  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "<img"));
  g_assert_null (strstr (lower, "<link"));
  g_assert_null (strstr (lower, "src=\""));
  g_assert_null (strstr (lower, "href="));
  g_assert_null (strstr (lower, "url("));
  g_assert_null (strstr (lower, "@import"));
  g_assert_nonnull (strstr (text, "<h1>Toko &lt;Makmur&gt; &amp; &quot;Jaya&quot;</h1>"));
  g_assert_nonnull (strstr (text, "CASE-&lt;1&gt;"));
  g_assert_nonnull (strstr (text, "&lt;img src=x onerror=alert(1)&gt;"));
  g_assert_nonnull (strstr (text, "ebbf46f6-c8b2-4e2c-9a5d-4d1ae3a4a2d1"));
  g_assert_nonnull (strstr (text, escaped_file));
  g_assert_nonnull (strstr (text, "&lt;script&gt;alert(1)&lt;/script&gt;.png"));
  g_assert_nonnull (strstr (text, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  g_assert_nonnull (strstr (text, "+62-file"));
  g_assert_nonnull (strstr (text, "2026-12-01 10:00 UTC"));
  g_assert_nonnull (strstr (text, "token " DOSSIER_REDACT_PLACEHOLDER " &amp; &lt;b&gt;"));
}

static void
test_write (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dossier-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  GStatBuf st;

  g_assert_true (g_file_set_contents (path, "old contents, longer than the new", -1, NULL));
  g_assert_true (dossier_export_write_file (path, "a,b\r\n", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "a,b\r\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_false (dossier_export_write_file (missing, "a,b\r\n", &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_true (dossier_export_write_stream (memory, "[]\n", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (memory, NULL, NULL));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), ==, 3);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/select", test_select);
  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/json", test_json);
  g_test_add_func ("/export/html", test_html);
  g_test_add_func ("/export/write", test_write);

  return g_test_run ();
}
