/* test-checklist-record.c: the checklist from the record of uploads, its
 * summary in the merchant's record, and the item a file's name points at
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dossier-checklist-private.h"
#include "dossier-checklist-record.h"
#include "dossier-history.h"
#include "dossier-merchant-store.h"
#include "dossier-test-util.h"

#define MERCHANT "0f3c2a1b-7d6e-4f5a-9b8c-1d2e3f4a5b6c"
#define OTHER    "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
/* 2026-12-05T12:00:00Z */
#define NOW G_GINT64_CONSTANT (1796472000)

static char *scratch;

/* "2026-12-05T10:30:00Z" for NOW - @seconds */
static char *
iso_before (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (NOW - seconds);

  return g_date_time_format_iso8601 (time);
}

/* A record of uploads in a new file of @lines (JSON objects, one a line) */
static DossierHistory *
history_of (const char *name,
            const char *lines)
{
  g_autofree char *dir = g_build_filename (scratch, name, NULL);
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, lines, -1, &error);
  g_assert_no_error (error);
  return dossier_history_new_for_path (path);
}

/* Kore.ai publishes no requirement: the merchant's uploads in the record
 * are its checklist; another merchant's, or none's, are not */
static void
test_kore (void)
{
  g_autoptr(DossierProvider) kore = dossier_test_load_provider ("kore");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (kore);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *t1 = iso_before (7200);
  g_autofree char *t2 = iso_before (3600);
  g_autofree char *lines = NULL;
  DossierChecklistItem *item;
  const DossierChecklistUpload *u;

  lines = g_strdup_printf (
    /* this merchant's upload, sent */
    "{\"finished_at\":\"%s\",\"provider_id\":\"kore\",\"environment\":\"sandbox\",\"file_name\":\"faq.csv\","
    "\"success\":true,\"remote_id\":\"kore-file-1\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT "\","
    "\"document\":{\"fileContext\":\"bulkImport\"}}\n"
    /* another merchant's */
    "{\"finished_at\":\"%s\",\"provider_id\":\"kore\",\"environment\":\"sandbox\",\"file_name\":\"other.csv\","
    "\"success\":true,\"remote_id\":\"kore-file-2\",\"outcome\":\"sent\",\"merchant_id\":\"" OTHER "\","
    "\"document\":{\"fileContext\":\"findIntent\"}}\n"
    /* an upload for no merchant (a line older than merchants) */
    "{\"finished_at\":\"%s\",\"provider_id\":\"kore\",\"environment\":\"sandbox\",\"file_name\":\"old.csv\","
    "\"success\":true,\"remote_id\":\"kore-file-3\"}\n"
    /* this merchant's, to another environment */
    "{\"finished_at\":\"%s\",\"provider_id\":\"kore\",\"environment\":\"production\",\"file_name\":\"prod.csv\","
    "\"success\":true,\"remote_id\":\"kore-file-4\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT "\"}\n"
    /* this merchant's, to Moov */
    "{\"finished_at\":\"%s\",\"provider_id\":\"moov\",\"environment\":\"sandbox\",\"file_name\":\"ein.pdf\","
    "\"success\":true,\"remote_id\":\"m-1\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT "\"}\n"
    /* this merchant's second file, a chatbot intent list */
    "{\"finished_at\":\"%s\",\"provider_id\":\"kore\",\"environment\":\"sandbox\",\"file_name\":\"intents.json\","
    "\"success\":true,\"remote_id\":\"kore-file-5\",\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT "\","
    "\"document\":{\"fileContext\":\"findIntent\"}}\n",
    t1, t1, t1, t1, t1, t2);
  history = history_of ("kore", lines);

  uploads = dossier_checklist_uploads_from_history (G_LIST_MODEL (history), kore, "sandbox", MERCHANT, NULL);
  g_assert_cmpuint (uploads->len, ==, 2);
  /* newest first */
  u = g_ptr_array_index (uploads, 0);
  g_assert_cmpstr (u->file_name, ==, "intents.json");
  g_assert_cmpstr (u->remote_id, ==, "kore-file-5");
  g_assert_true (u->sent);
  g_assert_cmpint (u->time, ==, NOW - 3600);
  g_assert_cmpstr (g_hash_table_lookup (u->fields, "fileContext"), ==, "findIntent");

  g_assert_true (dossier_checklist_update (list, NULL, 0, NULL, 0, uploads, NULL, NOW, &error));
  g_assert_no_error (error);
  /* the optional bulk import item, answered, and the other upload made */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  item = dossier_test_checklist_find (list, "bulkImport");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_UPLOADED);
  g_assert_cmpstr (dossier_checklist_item_get_upload (item)->remote_id, ==, "kore-file-1");
  item = dossier_test_checklist_find (list, "upload:kore-file-5");
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "intents.json");

  /* any environment: the production upload too */
  g_clear_pointer (&uploads, g_ptr_array_unref);
  uploads = dossier_checklist_uploads_from_history (G_LIST_MODEL (history), kore, NULL, MERCHANT, NULL);
  g_assert_cmpuint (uploads->len, ==, 3);
  /* no merchant: nothing */
  g_clear_pointer (&uploads, g_ptr_array_unref);
  uploads = dossier_checklist_uploads_from_history (G_LIST_MODEL (history), kore, NULL, NULL, NULL);
  g_assert_cmpuint (uploads->len, ==, 0);
}

/* DOKU: a KTP uploaded two hours ago has an expired link, its id stays
 * valid; another merchant's fresh KTP does not make it "uploaded" */
static void
test_doku_expired (void)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (doku);
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(GHashTable) account = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent_at = iso_before (7200);
  g_autofree char *expired_at = iso_before (3600);
  g_autofree char *fresh_at = iso_before (600);
  g_autofree char *fresh_expires = iso_before (-3000);
  g_autofree char *answer = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *text = NULL;
  DossierChecklistItem *item;
  gsize len;

  lines = g_strdup_printf (
    "{\"finished_at\":\"%s\",\"provider_id\":\"doku\",\"environment\":\"sandbox\",\"file_name\":\"KTP Budi.jpg\","
    "\"success\":true,\"remote_id\":\"DCM-0001-KTP\",\"link\":\"https://doku.test/f/1\",\"link_expires\":\"%s\","
    "\"outcome\":\"sent\",\"merchant_id\":\"" MERCHANT "\",\"account\":{\"Client-Id\":\"BRN-1\"},"
    "\"document\":{\"category\":\"DOCUMENT\",\"code\":\"KTP\"}}\n"
    "{\"finished_at\":\"%s\",\"provider_id\":\"doku\",\"environment\":\"sandbox\",\"file_name\":\"ktp-other.jpg\","
    "\"success\":true,\"remote_id\":\"DCM-0009-KTP\",\"link\":\"https://doku.test/f/9\",\"link_expires\":\"%s\","
    "\"outcome\":\"sent\",\"merchant_id\":\"" OTHER "\",\"document\":{\"category\":\"DOCUMENT\",\"code\":\"KTP\"}}\n"
    /* this merchant's logo, sent to another DOKU account: not this one's */
    "{\"finished_at\":\"%s\",\"provider_id\":\"doku\",\"environment\":\"sandbox\",\"file_name\":\"logo.png\","
    "\"success\":true,\"remote_id\":\"DCM-0010-LOGO\",\"link_expires\":\"%s\",\"outcome\":\"sent\","
    "\"merchant_id\":\"" MERCHANT "\",\"account\":{\"Client-Id\":\"BRN-OLD\"},\"document\":{\"category\":\"LOGO\"}}\n",
    sent_at, expired_at, fresh_at, fresh_expires, fresh_at, fresh_expires);
  history = history_of ("doku", lines);

  g_hash_table_insert (account, (gpointer) "Client-Id", (gpointer) "BRN-1");
  g_hash_table_insert (account, (gpointer) "businessType", (gpointer) "PERSONAL");
  uploads = dossier_checklist_uploads_from_history (G_LIST_MODEL (history), doku, "sandbox", MERCHANT, account);
  g_assert_cmpuint (uploads->len, ==, 1);

  answer = dossier_test_checklist_fixture ("doku-personal-perseorangan.json", &len);
  g_assert_true (dossier_checklist_update (list, answer, len, NULL, 0, uploads, NULL, NOW, &error));
  g_assert_no_error (error);

  item = dossier_test_checklist_find (list, "KTP");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_EXPIRED);
  text = dossier_checklist_item_describe (item);
  g_assert_cmpstr (text, ==, "Uploaded; its link has expired, but the file id DCM-0001-KTP stays valid: "
                             "nothing to send again");
  g_assert_cmpint (dossier_checklist_item_get_state (dossier_test_checklist_find (list, "LOGO")), ==, DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpint (dossier_checklist_item_get_state (dossier_test_checklist_find (list, "NPWP_ORANG_PRIBADI")), ==,
                   DOSSIER_CHECKLIST_STATE_MISSING);
}

/* Moov: the error an upload answered is read from the metadata it carried */
static void
test_moov_metadata (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierHistory) history = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autofree char *at = iso_before (60);
  g_autofree char *lines = NULL;
  const DossierChecklistUpload *u;

  lines = g_strdup_printf (
    "{\"finished_at\":\"%s\",\"provider_id\":\"moov\",\"environment\":\"sandbox\",\"file_name\":\"id.png\","
    "\"success\":false,\"outcome\":\"unknown\",\"merchant_id\":\"" MERCHANT "\","
    "\"document\":{\"filePurpose\":\"individual_verification\",\"metadata\":"
    "\"{\\\"requirement_id\\\":\\\"document.individual.verification\\\",\\\"error_code\\\":\\\"document-illegible\\\"}\"}}\n",
    at);
  history = history_of ("moov", lines);
  uploads = dossier_checklist_uploads_from_history (G_LIST_MODEL (history), moov, "sandbox", MERCHANT, NULL);
  g_assert_cmpuint (uploads->len, ==, 1);
  u = g_ptr_array_index (uploads, 0);
  g_assert_cmpstr (u->requirement_id, ==, "document.individual.verification");
  g_assert_cmpstr (u->error_code, ==, "document-illegible");
  g_assert_false (u->sent);
  g_assert_true (u->outcome_unknown);
}

static void
count_changed (DossierMerchant *merchant,
               const char      *provider_id,
               guint           *count)
{
  g_assert_cmpstr (provider_id, ==, "moov");
  (*count)++;
}

/* The summary: counted from a checklist, kept in merchants.jsonl, read
 * back; a record written before it existed loads without one */
static void
test_summary (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autoptr(DossierChecklist) list = dossier_checklist_new (moov);
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(DossierMerchantStore) again = NULL;
  g_autoptr(DossierMerchant) merchant = dossier_merchant_new ("Toko Makmur");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (scratch, "merchants", NULL);
  g_autofree char *old_dir = g_build_filename (scratch, "old-merchants", NULL);
  g_autofree char *old_path = g_build_filename (old_dir, "merchants.jsonl", NULL);
  g_autofree char *answer = NULL;
  g_autofree char *files = NULL;
  DossierChecklistSummary summary, read_back;
  DossierMerchant *loaded;
  gsize answer_len, files_len;
  guint changed = 0;

  dossier_catalogue_load_builtin (catalogue, &error);
  g_assert_no_error (error);
  answer = dossier_test_checklist_fixture ("moov-capabilities.json", &answer_len);
  files = dossier_test_checklist_fixture ("moov-files.json", &files_len);
  g_assert_true (dossier_checklist_update (list, answer, answer_len, files, files_len, NULL, NULL, NOW, &error));
  g_assert_no_error (error);
  dossier_checklist_get_summary (list, &summary);
  g_assert_cmpuint (summary.missing, ==, 3);
  g_assert_cmpuint (summary.rejected, ==, 2);
  g_assert_cmpuint (summary.pending, ==, 0);
  g_assert_cmpuint (summary.accepted, ==, 1);
  g_assert_cmpuint (summary.expired, ==, 0);
  g_assert_cmpint (summary.checked_at, ==, NOW);

  g_assert_false (dossier_merchant_get_checklist_summary (merchant, "moov", &read_back));
  g_assert_cmpuint (read_back.missing, ==, 0);
  g_signal_connect (merchant, "checklist-changed", G_CALLBACK (count_changed), &changed);
  dossier_merchant_set_checklist_summary (merchant, "moov", &summary);
  dossier_merchant_set_checklist_summary (merchant, "moov", &summary);
  g_assert_cmpuint (changed, ==, 1);

  store = dossier_merchant_store_new (catalogue, dir);
  g_assert_true (dossier_merchant_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_merchant_store_add (store, merchant, &error));
  g_assert_no_error (error);

  again = dossier_merchant_store_new (catalogue, dir);
  g_assert_true (dossier_merchant_store_load (again, &error));
  g_assert_no_error (error);
  /* the summary is a part of the record, not a member left out */
  g_assert_cmpuint (dossier_merchant_store_get_problems (again)->len, ==, 0);
  loaded = dossier_merchant_store_lookup (again, dossier_merchant_get_id (merchant));
  g_assert_nonnull (loaded);
  g_assert_true (dossier_merchant_get_checklist_summary (loaded, "moov", &read_back));
  g_assert_cmpuint (read_back.missing, ==, summary.missing);
  g_assert_cmpuint (read_back.rejected, ==, summary.rejected);
  g_assert_cmpuint (read_back.pending, ==, summary.pending);
  g_assert_cmpuint (read_back.accepted, ==, summary.accepted);
  g_assert_cmpuint (read_back.expired, ==, summary.expired);
  g_assert_cmpint (read_back.checked_at, ==, summary.checked_at);
  g_assert_false (dossier_merchant_get_checklist_summary (loaded, "doku", &read_back));
  g_clear_object (&again);

  /* a record from before summaries */
  g_assert_cmpint (g_mkdir_with_parents (old_dir, 0700), ==, 0);
  g_file_set_contents (old_path,
                       "{\"format\":1,\"id\":\"" MERCHANT "\",\"name\":\"PT Maju Jaya\","
                       "\"created\":\"2026-11-01T10:00:00Z\",\"modified\":\"2026-11-01T10:00:00Z\","
                       "\"accounts\":{}}\n", -1, &error);
  g_assert_no_error (error);
  again = dossier_merchant_store_new (catalogue, old_dir);
  g_assert_true (dossier_merchant_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dossier_merchant_store_get_problems (again)->len, ==, 0);
  loaded = dossier_merchant_store_lookup (again, MERCHANT);
  g_assert_nonnull (loaded);
  g_assert_false (dossier_merchant_get_checklist_summary (loaded, "moov", &read_back));
}

/* A file's name points at the item that still needs it */
/* Moov's list of files, read before the review, still says "pending"; the
 * record already holds the review a follow-up read since: the record's
 * decision is the newer (a review is final) */
static void
test_review_newer_than_list (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (moov);
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_checklist_upload_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  DossierChecklistUpload *upload;
  DossierChecklistItem *item;
  const char *files =
    "[{\"fileID\":\"f-1\",\"fileName\":\"blurry-deed.png\",\"filePurpose\":\"business_verification\","
    "\"fileStatus\":\"pending\",\"metadata\":\"{\\\"requirement_id\\\":\\\"document.business.verification\\\"}\"}]";
  gsize len;

  upload = dossier_checklist_upload_new ();
  upload->requirement_id = g_strdup ("document.business.verification");
  upload->file_name = g_strdup ("blurry-deed.png");
  upload->remote_id = g_strdup ("f-1");
  upload->remote_status = g_strdup ("pending");
  upload->time = NOW - 600;
  upload->sent = TRUE;
  g_ptr_array_add (uploads, upload);

  answer = dossier_test_checklist_fixture ("moov-capabilities.json", &len);
  g_assert_true (dossier_checklist_update (list, answer, len, files, -1, uploads, NULL, NOW, &error));
  g_assert_no_error (error);
  item = dossier_test_checklist_find (list, "document.business.verification");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_UPLOADED);

  /* the review arrives in the record; the list read before stays */
  g_free (upload->remote_status);
  upload->remote_status = g_strdup ("rejected");
  upload->review_reason = g_strdup ("the scan is too blurry to read");
  upload->review_code = g_strdup ("document-illegible");
  g_assert_true (dossier_checklist_update (list, answer, len, files, -1, uploads, NULL, NOW, &error));
  g_assert_no_error (error);
  item = dossier_test_checklist_find (list, "document.business.verification");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_REJECTED);
  g_assert_cmpstr (dossier_checklist_item_get_reason (item), ==, "the scan is too blurry to read");
  g_assert_nonnull (strstr (dossier_checklist_item_get_advice (item), "sharper"));

  g_free (upload->remote_status);
  upload->remote_status = g_strdup ("approved");
  g_assert_true (dossier_checklist_update (list, answer, len, files, -1, uploads, NULL, NOW, &error));
  g_assert_no_error (error);
  item = dossier_test_checklist_find (list, "document.business.verification");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_ACCEPTED);
}

static void
test_match (void)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierChecklist) doku_list = dossier_checklist_new (doku);
  g_autoptr(DossierChecklist) moov_list = dossier_checklist_new (moov);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *moov_answer = NULL;
  g_autofree char *files = NULL;
  DossierChecklistItem *item;
  gsize len, files_len;

  answer = dossier_test_checklist_fixture ("doku-corporate-pt.json", &len);
  g_assert_true (dossier_checklist_update (doku_list, answer, len, NULL, 0, NULL, NULL, NOW, &error));
  g_assert_no_error (error);

  item = dossier_checklist_match_file (doku_list, "KTP Budi.jpg");
  g_assert_nonnull (item);
  g_assert_cmpstr (dossier_checklist_item_get_requirement_id (item), ==, "KTP");
  g_clear_object (&item);
  item = dossier_checklist_match_file (doku_list, "scan-npwp.pdf");
  g_assert_nonnull (item);
  g_assert_cmpstr (dossier_checklist_item_get_requirement_id (item), ==, "NPWP_BADAN");
  g_clear_object (&item);
  /* case and accents folded; a category's keywords count too */
  item = dossier_checklist_match_file (doku_list, "AKTA pendirian \u00e9dit\u00e9e.PDF");
  g_assert_nonnull (item);
  g_assert_cmpstr (dossier_checklist_item_get_requirement_id (item), ==, "AKTA_PENDIRIAN_PERUSAHAAN");
  g_clear_object (&item);
  item = dossier_checklist_match_file (doku_list, "Rek\u00c9NING bank.jpg");
  g_assert_nonnull (item);
  g_assert_cmpstr (dossier_checklist_item_get_requirement_id (item), ==, "BANK_ACCOUNT");
  g_clear_object (&item);
  /* a word inside another word is no match */
  g_assert_null (dossier_checklist_match_file (doku_list, "ktpx.jpg"));

  moov_answer = dossier_test_checklist_fixture ("moov-capabilities.json", &len);
  files = dossier_test_checklist_fixture ("moov-files.json", &files_len);
  g_assert_true (dossier_checklist_update (moov_list, moov_answer, len, files, files_len, NULL, NULL, NOW, &error));
  g_assert_no_error (error);
  /* nothing about logos */
  g_assert_null (dossier_checklist_match_file (moov_list, "logo.png"));
  g_assert_null (dossier_checklist_match_file (moov_list, NULL));
  /* the account holder's tax document is accepted: never matched again */
  g_assert_cmpint (dossier_checklist_item_get_state (dossier_test_checklist_find (moov_list, "document.individual.tin")), ==,
                   DOSSIER_CHECKLIST_STATE_ACCEPTED);
  g_assert_null (dossier_checklist_match_file (moov_list, "tax-id.pdf"));
  /* the rejected identity document takes a new one; accents folded */
  item = dossier_checklist_match_file (moov_list, "P\u00e1ssport Budi.jpg");
  g_assert_nonnull (item);
  g_assert_cmpstr (dossier_checklist_item_get_requirement_id (item), ==, "document.individual.verification");
  g_clear_object (&item);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  scratch = dossier_test_init_with_state (&argc, &argv, "checklist-record");

  g_test_add_func ("/checklist-record/kore", test_kore);
  g_test_add_func ("/checklist-record/doku-expired", test_doku_expired);
  g_test_add_func ("/checklist-record/moov-metadata", test_moov_metadata);
  g_test_add_func ("/checklist-record/summary", test_summary);
  g_test_add_func ("/checklist-record/review-newer-than-list", test_review_newer_than_list);
  g_test_add_func ("/checklist-record/match", test_match);

  status = g_test_run ();
  dossier_test_remove_tree (scratch);
  g_free (scratch);
  return status;
}
