/* test-checklist.c: what each provider still needs, computed from fixture
 * answers, the provider's files and the merchant's uploads
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dossier-auth.h"
#include "dossier-checklist-private.h"
#include "dossier-sandbox.h"
#include "dossier-test-util.h"

#define REP "9a8b7c6d-1111-4222-8333-444455556666"
#define FILE_ID(n) "0b8a3f3e-1c2d-4e5f-8a9b-00000000000" #n
/* 2026-12-05T12:00:00Z */
#define NOW G_GINT64_CONSTANT (1796472000)

/* Moov's error codes, as provider-apis.md (e) lists them */
static const char * const moov_error_codes[] = {
  "invalid-value", "failed-automatic-verification", "failed-other", "invalid-address",
  "address-restricted", "tax-id-mismatch", "document-id-mismatch", "document-date-of-birth-mismatch",
  "document-name-mismatch", "document-address.mismatch", "document-number-mismatch",
  "document-incomplete", "document-failed-risk", "document-illegible", "document-unsupported",
  "document-not-uploaded", "document-corrupt", "document-expired", NULL
};

static DossierChecklistUpload *
upload (const char *requirement_id,
        const char *remote_id,
        gboolean    sent)
{
  DossierChecklistUpload *u = dossier_checklist_upload_new ();

  u->requirement_id = g_strdup (requirement_id);
  u->remote_id = g_strdup (remote_id);
  u->sent = sent;
  u->time = NOW - 3600;
  return u;
}

static const char *
field (DossierChecklistItem *item,
       const char           *name)
{
  return g_hash_table_lookup (dossier_checklist_item_get_fields (item), name);
}

static void
test_moov (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (moov);
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_checklist_upload_free);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *files = NULL;
  g_autofree char *text = NULL;
  DossierChecklistItem *item;
  gsize answer_len, files_len;
  const char * const order[] = {
    "document.business.verification",
    "document.representative." REP ".tin",
    "document.individual.verification",
    "business.underwriting-documents-tier-one",
    "document.something-new.front",
    "document.individual.tin",
  };

  answer = dossier_test_checklist_fixture ("moov-capabilities.json", &answer_len);
  files = dossier_test_checklist_fixture ("moov-files.json", &files_len);

  /* a failed upload answers nothing; the representative's tax document was sent */
  g_ptr_array_add (uploads, upload ("document.business.verification", NULL, FALSE));
  g_ptr_array_add (uploads, upload ("document.representative." REP ".tin", FILE_ID (3), TRUE));
  g_hash_table_insert (names, (gpointer) REP, (gpointer) "Budi");

  g_assert_true (dossier_checklist_update (list, answer, answer_len, files, files_len, uploads, names, NOW, &error));
  g_assert_no_error (error);

  /* the documents only (business.description is not one), in the answer's order, each once */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(DossierChecklistItem) nth = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_cmpstr (dossier_checklist_item_get_requirement_id (nth), ==, order[i]);
    }

  item = dossier_test_checklist_find (list, "document.business.verification");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Business verification document");
  g_assert_cmpstr (field (item, "filePurpose"), ==, "business_verification");
  g_assert_cmpstr (dossier_checklist_item_get_metadata (item), ==,
                   "{\"requirement_id\":\"document.business.verification\"}");
  g_assert_cmpstr (field (item, "metadata"), ==, dossier_checklist_item_get_metadata (item));
  g_assert_null (dossier_checklist_item_get_upload (item));

  /* sent, Moov still reviewing it: the name from the merchant's record */
  item = dossier_test_checklist_find (list, "document.representative." REP ".tin");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_UPLOADED);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Tax ID document for representative Budi");
  g_assert_cmpstr (field (item, "filePurpose"), ==, "representative_verification");
  g_assert_cmpstr (dossier_checklist_item_get_metadata (item), ==,
                   "{\"requirement_id\":\"document.representative." REP ".tin\",\"representative_id\":\"" REP "\"}");
  g_assert_cmpstr (dossier_checklist_item_get_upload (item)->remote_id, ==, FILE_ID (3));
  text = dossier_checklist_item_describe (item);
  g_assert_cmpstr (text, ==, "Uploaded, pending review");
  g_clear_pointer (&text, g_free);

  /* refused with an error code: the reason, the advice, and the error code its answer carries */
  item = dossier_test_checklist_find (list, "document.individual.verification");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_REJECTED);
  g_assert_cmpstr (dossier_checklist_item_get_reason (item), ==, "document-illegible");
  g_assert_cmpstr (dossier_checklist_item_get_advice (item), ==, "Moov could not read the document: upload a sharper scan");
  g_assert_cmpstr (dossier_checklist_item_get_error_code (item), ==, "document-illegible");
  g_assert_cmpstr (dossier_checklist_item_get_metadata (item), ==,
                   "{\"requirement_id\":\"document.individual.verification\",\"error_code\":\"document-illegible\"}");
  g_assert_cmpstr (field (item, "filePurpose"), ==, "individual_verification");
  text = dossier_checklist_item_describe (item);
  g_assert_cmpstr (text, ==, "Rejected (document-illegible): Moov could not read the document: upload a sharper scan");
  g_clear_pointer (&text, g_free);

  /* refused in the file list: decisionReason */
  item = dossier_test_checklist_find (list, "business.underwriting-documents-tier-one");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_REJECTED);
  g_assert_cmpstr (dossier_checklist_item_get_reason (item), ==, "not correct file");
  g_assert_nonnull (dossier_checklist_item_get_advice (item));
  g_assert_cmpstr (field (item, "filePurpose"), ==, "merchant_underwriting");

  /* a document id Dossier has no words for: generic but clear */
  item = dossier_test_checklist_find (list, "document.something-new.front");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Document Moov asks for (“document.something-new.front”)");
  g_assert_cmpstr (field (item, "filePurpose"), ==, "account_requirement");

  /* no longer due, approved in the file list */
  item = dossier_test_checklist_find (list, "document.individual.tin");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_ACCEPTED);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Tax ID document of the account holder");

  g_assert_cmpuint (dossier_checklist_count (list, DOSSIER_CHECKLIST_STATE_MISSING), ==, 2);
  g_assert_cmpuint (dossier_checklist_count (list, DOSSIER_CHECKLIST_STATE_REJECTED), ==, 2);

  /* an upload that answers the error waits for review */
  {
    DossierChecklistUpload *answer_upload = upload (NULL, "0b8a3f3e-1c2d-4e5f-8a9b-000000000009", TRUE);

    dossier_checklist_upload_set_field (answer_upload, "metadata",
                                        "{\"requirement_id\":\"document.individual.verification\","
                                        "\"error_code\":\"document-illegible\"}");
    answer_upload->error_code = g_strdup ("document-illegible");
    g_ptr_array_add (uploads, answer_upload);
    g_assert_true (dossier_checklist_update (list, answer, answer_len, files, files_len, uploads, NULL, NOW, &error));
    g_assert_no_error (error);
    item = dossier_test_checklist_find (list, "document.individual.verification");
    g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_UPLOADED);
    /* no name known: the id */
    item = dossier_test_checklist_find (list, "document.representative." REP ".tin");
    g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Tax ID document for representative " REP);
  }
}

/* Every error code Moov documents has advice of its own, not the generic one */
static void
test_moov_advice (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (moov);
  g_autoptr(DossierChecklist) list = dossier_checklist_new (moov);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (spec);
  for (guint i = 0; moov_error_codes[i] != NULL; i++)
    {
      const char *code = moov_error_codes[i];
      const char *advice = g_hash_table_lookup (spec->advice, code);
      g_autofree char *answer = NULL;
      g_autoptr(DossierChecklistItem) item = NULL;

      if (advice == NULL || *advice == '\0')
        g_error ("Moov's error code “%s” has no advice in moov.json", code);

      answer = g_strdup_printf ("[{\"capability\": \"transfers\", \"requirements\": {\"currentlyDue\": [],"
                                " \"errors\": [{\"requirement\": \"document.business.verification\","
                                " \"errorCode\": \"%s\"}]}}]", code);
      g_assert_true (dossier_checklist_update (list, answer, -1, NULL, 0, NULL, NULL, NOW, &error));
      g_assert_no_error (error);
      item = g_list_model_get_item (G_LIST_MODEL (list), 0);
      g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_REJECTED);
      g_assert_cmpstr (dossier_checklist_item_get_advice (item), ==, advice);
    }

  /* one Moov has not documented: said plainly */
  {
    g_autoptr(DossierChecklistItem) item = NULL;

    g_assert_true (dossier_checklist_update (list,
                                             "[{\"requirements\": {\"errors\": [{\"requirement\": "
                                             "\"document.business.verification\", \"errorCode\": \"new-code\"}]}}]",
                                             -1, NULL, 0, NULL, NULL, NOW, &error));
    item = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_assert_cmpstr (dossier_checklist_item_get_reason (item), ==, "new-code");
    g_assert_cmpstr (dossier_checklist_item_get_advice (item), ==,
                     "Moov refused it: check the document and upload a corrected one");
  }
}

static void
test_doku_personal (void)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (doku);
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_checklist_upload_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *text = NULL;
  DossierChecklistUpload *u;
  DossierChecklistItem *item;
  gsize len;

  answer = dossier_test_checklist_fixture ("doku-personal-perseorangan.json", &len);

  /* the KTP, sent from the upload flow (no requirement id): its link has expired */
  u = upload (NULL, "DCM-0001-KTP", TRUE);
  dossier_checklist_upload_set_field (u, "category", "DOCUMENT");
  dossier_checklist_upload_set_field (u, "code", "KTP");
  u->link_expires = NOW - 60;
  g_ptr_array_add (uploads, u);
  /* the premises photo, answering its item, link still valid */
  u = upload ("PHOTO_PROOF", "PHP-0001-SHOP", TRUE);
  dossier_checklist_upload_set_field (u, "category", "PHOTO_PROOF");
  u->link_expires = NOW + 600;
  g_ptr_array_add (uploads, u);
  /* another document's upload answers neither */
  u = upload (NULL, "DCM-0002-NIB", TRUE);
  dossier_checklist_upload_set_field (u, "category", "DOCUMENT");
  dossier_checklist_upload_set_field (u, "code", "NIB");
  g_ptr_array_add (uploads, u);

  g_assert_true (dossier_checklist_update (list, answer, len, NULL, 0, uploads, NULL, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 6);

  item = dossier_test_checklist_find (list, "PHOTO_PROOF");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_UPLOADED);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Photo of the business premises");
  g_assert_cmpstr (field (item, "category"), ==, "PHOTO_PROOF");
  g_assert_null (field (item, "code"));

  item = dossier_test_checklist_find (list, "KTP");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_EXPIRED);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Identity card (KTP)");
  g_assert_cmpstr (field (item, "category"), ==, "DOCUMENT");
  g_assert_cmpstr (field (item, "code"), ==, "KTP");
  g_assert_null (dossier_checklist_item_get_metadata (item));
  text = dossier_checklist_item_describe (item);
  g_assert_cmpstr (text, ==, "Uploaded; its link has expired, but the file id DCM-0001-KTP stays valid: nothing to send again");

  item = dossier_test_checklist_find (list, "NIB_PERSEORANGAN");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_MISSING);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Sole proprietor NIB");
  item = dossier_test_checklist_find (list, "OWNER_LIVENESS");
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Owner liveness photo");
  item = dossier_test_checklist_find (list, "NPWP_ORANG_PRIBADI");
  g_assert_cmpstr (field (item, "code"), ==, "NPWP_ORANG_PRIBADI");
  dossier_test_checklist_find (list, "LOGO");
  g_assert_cmpuint (dossier_checklist_count (list, DOSSIER_CHECKLIST_STATE_MISSING), ==, 4);
}

static void
test_doku_corporate (void)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (doku);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  DossierChecklistItem *item;
  gsize len;

  answer = dossier_test_checklist_fixture ("doku-corporate-pt.json", &len);
  g_assert_true (dossier_checklist_update (list, answer, len, NULL, 0, NULL, NULL, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  g_assert_cmpuint (dossier_checklist_count (list, DOSSIER_CHECKLIST_STATE_MISSING), ==, 10);

  item = dossier_test_checklist_find (list, "AKTA_PENDIRIAN_PERUSAHAAN");
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Deed of establishment (Akta Pendirian)");
  item = dossier_test_checklist_find (list, "SERVICE_AGREEMENT");
  g_assert_cmpstr (field (item, "category"), ==, "SERVICE_AGREEMENT");
  item = dossier_test_checklist_find (list, "BANK_ACCOUNT");
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Bank account proof");
  /* a code the descriptor has no choice for: DOKU's own name */
  item = dossier_test_checklist_find (list, "SURAT_KUASA");
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Surat Kuasa Direksi");
  g_assert_cmpstr (field (item, "code"), ==, "SURAT_KUASA");
}

static void
test_doku_request (void)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (doku);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;

  g_assert_cmpint (spec->auth, ==, DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (spec->account_fields)), ==, 4);

  g_hash_table_insert (values, (gpointer) "businessType", (gpointer) "PERSONAL");
  g_hash_table_insert (values, (gpointer) "businessLegalEntity", (gpointer) "PERSEORANGAN");
  g_hash_table_insert (values, (gpointer) "brandBusinessLine", (gpointer) "DIGITAL_AND_GAME");
  target = dossier_checklist_request_target (doku, values, &error);
  g_assert_null (target);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "businessContactNationality is required");
  g_clear_error (&error);

  g_hash_table_insert (values, (gpointer) "businessContactNationality", (gpointer) "ID");
  target = dossier_checklist_request_target (doku, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (target, ==, "/adv-core-api/partner/v1.0/file?businessType=PERSONAL&businessLegalEntity=PERSEORANGAN"
                               "&brandBusinessLine=DIGITAL_AND_GAME&businessContactNationality=ID");
}

/* Kore.ai and receeve publish no requirement: optional static items, then the uploads made */
static void
test_static (void)
{
  g_autoptr(DossierProvider) kore = dossier_test_load_provider ("kore");
  g_autoptr(DossierProvider) receeve = dossier_test_load_provider ("receeve");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (kore);
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_checklist_upload_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierChecklistItem) item = NULL;
  g_autofree char *text = NULL;
  DossierChecklistUpload *u;

  g_assert_true (dossier_checklist_update (list, NULL, 0, NULL, 0, NULL, NULL, NOW, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (dossier_checklist_item_get_optional (item));
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "Files for bulk import");
  text = dossier_checklist_item_describe (item);
  g_assert_cmpstr (text, ==, "Optional, not sent");
  /* optional items are not counted as missing */
  g_assert_cmpuint (dossier_checklist_count (list, DOSSIER_CHECKLIST_STATE_MISSING), ==, 0);
  g_clear_object (&item);

  u = upload (NULL, "f-1", TRUE);
  dossier_checklist_upload_set_field (u, "fileContext", "bulkImport");
  g_ptr_array_add (uploads, u);
  g_assert_true (dossier_checklist_update (list, NULL, 0, NULL, 0, uploads, NULL, NOW, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_UPLOADED);
  g_clear_object (&item);

  /* receeve: a document of another type is an item of its own */
  g_clear_object (&list);
  list = dossier_checklist_new (receeve);
  g_ptr_array_set_size (uploads, 0);
  u = upload (NULL, "ref-77", TRUE);
  u->file_name = g_strdup ("statement-march.pdf");
  dossier_checklist_upload_set_field (u, "documentType", "Document");
  g_ptr_array_add (uploads, u);
  g_ptr_array_add (uploads, upload (NULL, NULL, FALSE));
  g_assert_true (dossier_checklist_update (list, NULL, 0, NULL, 0, uploads, NULL, NOW, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  item = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpstr (dossier_checklist_item_get_label (item), ==, "statement-march.pdf");
  g_assert_cmpint (dossier_checklist_item_get_state (item), ==, DOSSIER_CHECKLIST_STATE_UPLOADED);
}

/* Answers that are not what the documentation shows are refused with a
 * clear message, and the items stay as they were */
static void
test_hostile (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierChecklist) list = dossier_checklist_new (moov);
  g_autoptr(DossierChecklist) doku_list = dossier_checklist_new (doku);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("[");
  const struct {
    const char *answer;
    const char *files;
    const char *message;
  } cases[] = {
    { "[{\"requirements\": {\"currentlyDue\": \"document.business.verification\"}}]", NULL,
      "Could not read Moov’s answer: “requirements.currentlyDue” is not a list" },
    { "[{\"requirements\": {\"currentlyDue\": [42]}}]", NULL,
      "Could not read Moov’s answer: “requirements.currentlyDue” is not a list of requirement ids" },
    { "[{\"requirements\": {\"errors\": [{\"requirement\": 1, \"errorCode\": \"x\"}]}}]", NULL,
      "Could not read Moov’s answer: “requirements.errors” is not a list of errors with a requirement and a code" },
    { "[\"transfers\"]", NULL, "Could not read Moov’s answer: an entry of the list is not an object" },
    { "\"document.business.verification\"", NULL, "Could not read Moov’s answer: it is neither a JSON object nor a list" },
    { "{\"requirements\": ", NULL, NULL },
    { "[]", "{\"fileID\": \"x\"}", "Could not read Moov’s answer: the list of files is not a list" },
    { "[]", "[{\"fileID\": 7, \"fileStatus\": \"approved\"}]",
      "Could not read Moov’s answer: a file in the list has no “fileID” or “fileStatus”" },
  };

  /* a good answer first: it must survive the bad ones */
  g_assert_true (dossier_checklist_update (list, "[{\"requirements\": {\"currentlyDue\": "
                                           "[\"document.business.verification\"]}}]", -1,
                                           NULL, 0, NULL, NULL, NOW, &error));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_false (dossier_checklist_update (list, cases[i].answer, -1, cases[i].files, -1,
                                                NULL, NULL, NOW, &error));
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "Could not read Moov’s answer: it is not JSON ("));
      g_clear_error (&error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
    }

  /* too deep: refused before json-glib recurses */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_false (dossier_checklist_update (doku_list, deep->str, deep->len, NULL, 0, NULL, NULL, NOW, &error));
  g_assert_cmpstr (error->message, ==, "Could not read DOKU’s answer: it is nested too deeply (over 64 levels)");
  g_clear_error (&error);

  /* too large */
  while (huge->len <= DOSSIER_CHECKLIST_ANSWER_MAX)
    g_string_append (huge, "{\"code\": \"KTP\"},");
  g_string_append (huge, "{}]");
  g_assert_false (dossier_checklist_update (doku_list, huge->str, huge->len, NULL, 0, NULL, NULL, NOW, &error));
  g_assert_cmpstr (error->message, ==, "Could not read DOKU’s answer: it is too large (more than 1.0\u00a0MB)");
  g_clear_error (&error);

  /* a Moov file whose metadata is broken JSON is read leniently */
  g_assert_true (dossier_checklist_update (list, "[]", -1,
                                           "[{\"fileID\": \"a\", \"fileStatus\": \"pending\", \"metadata\": \"{oops\"}]",
                                           -1, NULL, NULL, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

static void
test_match_id (void)
{
  g_autoptr(GHashTable) captures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (_dossier_checklist_match_id ("document.representative.{rid}.tin",
                                              "document.representative.abc.tin", captures));
  g_assert_cmpstr (g_hash_table_lookup (captures, "rid"), ==, "abc");
  g_assert_false (_dossier_checklist_match_id ("document.{id}", "document.business.verification", NULL));
  g_assert_false (_dossier_checklist_match_id ("document.{id}", "document.", NULL));
  g_assert_false (_dossier_checklist_match_id ("document.{id}", "documents.x", NULL));
  g_assert_true (_dossier_checklist_match_id ("{code}", "KTP", NULL));
}

static void
test_limiter (void)
{
  g_autoptr(DossierChecklistLimiter) limiter = dossier_checklist_limiter_new (DOSSIER_CHECKLIST_MIN_INTERVAL);
  gint64 wait = -1;

  g_assert_true (dossier_checklist_limiter_try (limiter, "moov", "m-1", 1000, &wait));
  g_assert_cmpint (wait, ==, 0);
  g_assert_false (dossier_checklist_limiter_try (limiter, "moov", "m-1", 1030, &wait));
  g_assert_cmpint (wait, ==, 30);
  g_assert_false (dossier_checklist_limiter_try (limiter, "moov", "m-1", 1059, &wait));
  g_assert_cmpint (wait, ==, 1);
  /* another merchant, another provider: their own minute */
  g_assert_true (dossier_checklist_limiter_try (limiter, "moov", "m-2", 1030, NULL));
  g_assert_true (dossier_checklist_limiter_try (limiter, "doku", "m-1", 1030, NULL));
  /* a refused try does not push the minute back */
  g_assert_true (dossier_checklist_limiter_try (limiter, "moov", "m-1", 1060, &wait));
  g_assert_false (dossier_checklist_limiter_try (limiter, "moov", "m-1", 1061, NULL));
  /* a clock that goes back does not open the door */
  g_assert_false (dossier_checklist_limiter_try (limiter, "moov", "m-1", 500, &wait));
  g_assert_cmpint (wait, ==, 60);
  g_assert_false (dossier_checklist_limiter_try (limiter, "moov", "m-1", 559, NULL));
  g_assert_true (dossier_checklist_limiter_try (limiter, "moov", "m-1", 560, NULL));
}

/* A "requirements" member with a mistake: file and line */
static void
test_descriptor_errors (void)
{
  const struct {
    const char *requirements;
    const char *message;
  } cases[] = {
    { "{\n  \"itemz\": []\n}", "acme.json:11: unknown member “itemz”" },
    { "{\n  \"items\": [\n    { \"id\": \"document.x\",\n      \"lable\": \"X\" }\n  ]\n}",
      "acme.json:13: unknown member “lable”" },
    { "{\n  \"items\": [\n    { \"id\": \"document.{a}x\" }\n  ]\n}",
      "acme.json:12: “id” must be dot-separated segments, each plain text or one whole {placeholder}" },
    { "{\n  \"request\": { \"path\": \"/x\" }\n}",
      "acme.json:11: a “request” needs an “answer”: where the answer lists what is due" },
    { "{\n  \"request\": { \"path\": \"/x\", \"auth\": \"magic\" },\n  \"answer\": { \"due\": \"d\" }\n}",
      "acme.json:11: unknown auth “magic” (expected provider or doku-signature)" },
    { "{\n  \"request\": { \"path\": \"/../x\" },\n  \"answer\": { \"due\": \"d\" }\n}",
      "acme.json:11: “path” must not contain “..” segments" },
    { "{\n  \"request\": { \"path\": \"/x\" },\n  \"answer\": { }\n}",
      "acme.json:12: “answer” needs either “due” (a list of requirement ids) or “find” (the member that names one)" },
    { "{\n  \"advice\": { \"x\": 1 }\n}", "acme.json:11: “x” in “advice” must be a string" },
    { "{\n  \"match\": [\"nope\"]\n}", "acme.json:11: “match” names “nope”, which is not a field" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\n"
        "  \"schema\": 1,\n"
        "  \"id\": \"acme\",\n"
        "  \"name\": \"Acme\",\n"
        "  \"environments\": [ { \"id\": \"t\", \"name\": \"T\", \"base_url\": \"https://acme.example\" } ],\n"
        "  \"auth\": { \"scheme\": \"none\" },\n"
        "  \"endpoint\": { \"path\": \"/upload\" },\n"
        "  \"files\": { },\n"
        "  \"response\": { \"id\": [\"id\"] },\n"
        "  \"requirements\": %s\n"
        "}\n", cases[i].requirements);
      g_autoptr(GError) error = NULL;
      g_autoptr(DossierProvider) provider = dossier_provider_new_from_data (text, -1, "acme.json", &error);

      g_assert_null (provider);
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* The sandbox's answers, asked the way the descriptors say (DOKU's GET
 * signed by core, Moov's capabilities and files with a token), read into
 * checklists: the shapes the sandbox emulates and the descriptors agree */
static char *
sandbox_get (DossierTestFixture *fx,
             SoupMessage        *msg)
{
  g_autoptr(JsonNode) json = NULL;
  guint status = dossier_test_send (msg, &json);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (json);
  return json_to_string (json, FALSE);
}

static void
test_sandbox (DossierTestFixture *fx,
              gconstpointer       data)
{
  g_autoptr(DossierProvider) doku = dossier_test_load_provider ("doku");
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (doku);
  g_autoptr(DossierChecklist) doku_list = dossier_checklist_new (doku);
  g_autoptr(DossierChecklist) moov_list = dossier_checklist_new (moov);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *target = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *files = NULL;
  g_autofree char *auth = g_strconcat ("Bearer ", DOSSIER_SANDBOX_MOOV_TOKEN, NULL);
  const char *account = dossier_sandbox_sample_lookup_value (dossier_sandbox_lookup_sample ("moov"), "accountID");

  /* DOKU: CORPORATE / PT */
  g_hash_table_insert (values, (gpointer) "businessType", (gpointer) "CORPORATE");
  g_hash_table_insert (values, (gpointer) "businessLegalEntity", (gpointer) "PT");
  g_hash_table_insert (values, (gpointer) "brandBusinessLine", (gpointer) "RETAIL");
  g_hash_table_insert (values, (gpointer) "businessContactNationality", (gpointer) "ID");
  target = dossier_checklist_request_target (doku, values, &error);
  g_assert_no_error (error);
  uri = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), "/doku", target, NULL);
  msg = soup_message_new ("GET", uri);
  dossier_auth_doku_sign_get (msg, DOSSIER_SANDBOX_DOKU_CLIENT_ID, DOSSIER_SANDBOX_DOKU_SECRET_KEY, spec->path);
  answer = sandbox_get (fx, msg);
  g_assert_true (dossier_checklist_update (doku_list, answer, -1, NULL, 0, NULL, NULL, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (doku_list)), >=, 5);
  g_assert_cmpstr (field (dossier_test_checklist_find (doku_list, "AKTA_PENDIRIAN_PERUSAHAAN"), "category"), ==, "DOCUMENT");
  g_assert_cmpstr (dossier_checklist_item_get_label (dossier_test_checklist_find (doku_list, "NPWP_BADAN")), ==,
                   "Tax ID, company (NPWP Badan)");
  g_assert_cmpstr (field (dossier_test_checklist_find (doku_list, "PHOTO_PROOF"), "category"), ==, "PHOTO_PROOF");
  g_assert_cmpuint (dossier_checklist_count (doku_list, DOSSIER_CHECKLIST_STATE_MISSING), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (doku_list)));
  g_clear_pointer (&answer, g_free);
  g_clear_pointer (&uri, g_free);
  g_clear_pointer (&target, g_free);
  g_clear_object (&msg);

  /* Moov: the sample account's capabilities and files */
  g_hash_table_insert (values, (gpointer) "accountID", (gpointer) account);
  target = dossier_expand_template (dossier_provider_get_requirements (moov)->path, values, TRUE, &error);
  g_assert_no_error (error);
  uri = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), "/moov", target, NULL);
  msg = soup_message_new ("GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  answer = sandbox_get (fx, msg);
  g_clear_pointer (&uri, g_free);
  g_clear_pointer (&target, g_free);
  g_clear_object (&msg);

  target = dossier_expand_template (dossier_provider_get_requirements (moov)->files_path, values, TRUE, &error);
  uri = g_strconcat (dossier_sandbox_get_base_url (fx->sandbox), "/moov", target, NULL);
  msg = soup_message_new ("GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  files = sandbox_get (fx, msg);

  g_assert_true (dossier_checklist_update (moov_list, answer, -1, files, -1, NULL, NULL, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (moov_list)), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (moov_list)); i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (moov_list), i);

      /* every document the sandbox asks for has words of its own and a purpose */
      g_assert_false (g_str_has_prefix (dossier_checklist_item_get_label (item), "Document Moov asks for"));
      g_assert_nonnull (field (item, "filePurpose"));
      g_assert_nonnull (dossier_checklist_item_get_metadata (item));
    }
}

int
main (int   argc,
      char *argv[])
{
  dossier_test_init (&argc, &argv);

  g_test_add_func ("/checklist/moov", test_moov);
  g_test_add_func ("/checklist/moov-advice", test_moov_advice);
  g_test_add_func ("/checklist/doku-personal", test_doku_personal);
  g_test_add_func ("/checklist/doku-corporate", test_doku_corporate);
  g_test_add_func ("/checklist/doku-request", test_doku_request);
  g_test_add_func ("/checklist/static", test_static);
  g_test_add_func ("/checklist/hostile", test_hostile);
  g_test_add_func ("/checklist/match-id", test_match_id);
  g_test_add_func ("/checklist/limiter", test_limiter);
  g_test_add_func ("/checklist/descriptor-errors", test_descriptor_errors);
  DOSSIER_TEST_ADD ("/checklist/sandbox", test_sandbox);

  return g_test_run ();
}
