/* test-catalogue.c: provider descriptors load, complete and checked
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "dossier-catalogue.h"

static DossierCatalogue *
load_builtin (void)
{
  g_autoptr(GError) error = NULL;
  DossierCatalogue *catalogue = dossier_catalogue_new ();

  g_assert_true (dossier_catalogue_load_builtin (catalogue, &error));
  g_assert_no_error (error);
  return catalogue;
}

static void
test_builtin_providers (void)
{
  g_autoptr(DossierCatalogue) catalogue = load_builtin ();
  const char *expected[] = { "doku", "kore", "moov", "receeve" };

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalogue)), ==, 4);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (catalogue)) == DOSSIER_TYPE_PROVIDER);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      DossierProvider *provider = dossier_catalogue_lookup (catalogue, expected[i]);
      const DossierEnvironment *sandbox;

      g_assert_nonnull (provider);
      sandbox = dossier_provider_lookup_environment (provider, "sandbox");
      g_assert_nonnull (sandbox);
      g_assert_true (dossier_provider_is_sandbox_url (sandbox->base_url));
      g_assert_nonnull (dossier_provider_lookup_environment (provider, "production"));
      g_assert_cmpstr (dossier_provider_get_description (provider), !=, "");
    }

  /* sorted by name for the GUI */
  {
    g_autoptr(DossierProvider) first = g_list_model_get_item (G_LIST_MODEL (catalogue), 0);
    g_autoptr(DossierProvider) last = g_list_model_get_item (G_LIST_MODEL (catalogue), 3);

    g_assert_cmpstr (dossier_provider_get_name (first), ==, "DOKU");
    g_assert_cmpstr (dossier_provider_get_name (last), ==, "receeve");
  }
}

static void
test_doku (void)
{
  g_autoptr(DossierCatalogue) catalogue = load_builtin ();
  DossierProvider *doku = dossier_catalogue_lookup (catalogue, "doku");
  DossierField *category = dossier_provider_lookup_field (doku, "category");
  DossierField *code = dossier_provider_lookup_field (doku, "code");
  const DossierFileRules *rules = dossier_provider_get_file_rules (doku);
  const DossierAuthSpec *auth = dossier_provider_get_auth (doku);
  const char *codes[] = {
    "AKTA_PENDIRIAN_PERUSAHAAN", "BPOM", "COMPANY_REGISTRATION", "IZIN_BLU", "IZIN_BOPI",
    "IZIN_DISPENDIK_KEMENDIKBUD", "IZIN_DISTRIBUTOR_RESMI", "IZIN_EDAR_ALAT_KESEHATAN",
    "IZIN_KERAMAIAN", "IZIN_KOPERASI_SIMPAN_PINJAM", "IZIN_PENYELENGGARAAN_IBADAH_HAJI_DAN_UMRAH",
    "IZIN_PMB", "IZIN_PUB", "IZIN_USAHA", "IZIN_USAHA_PERSEORANGAN", "KITAS_OR_KITAP", "KTP",
    "LICENSE_ASIC", "LICENSE_CFTC", "LICENSE_CYSEC", "LICENSE_FCA", "LICENSE_IFSC",
    "LISENSI_BAPPEBTI", "LISENSI_OJK", "NIB", "NIB_PERSEORANGAN", "NPWP_BADAN",
    "NPWP_ORANG_PRIBADI", "PASPOR", "SERTIFIKAT_HALAL_MUI", "SERTIFIKAT_KEANGGOTAAN_ASITA",
    "SK_KEMENDIKBUDRISTEK", "SK_KEMENKUMHAM", "SK_PENDIRIAN_YAYASAN", "TANDA_DAFTAR_PSE",
    "TANDA_DAFTAR_YAYASAN",
  };
  const char *categories[] = {
    "OWNER_LIVENESS", "PHOTO_PROOF", "LOGO", "DOCUMENT", "SERVICE_AGREEMENT", "BANK_ACCOUNT",
  };
  DossierChoice *choice;

  g_assert_nonnull (category);
  g_assert_nonnull (code);
  g_assert_cmpuint (g_list_model_get_n_items (dossier_field_get_choices (category)), ==, G_N_ELEMENTS (categories));
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    g_assert_nonnull (dossier_field_lookup_choice (category, categories[i]));

  /* every code of the seed, the ones sharing a line split */
  g_assert_cmpuint (g_list_model_get_n_items (dossier_field_get_choices (code)), ==, G_N_ELEMENTS (codes));
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    g_assert_nonnull (dossier_field_lookup_choice (code, codes[i]));
  g_assert_null (dossier_field_lookup_choice (code, "IZIN_EDAR_ALAT_KESEHATAN, IZIN_KERAMAIAN"));

  choice = dossier_field_lookup_choice (code, "NPWP_BADAN");
  g_assert_cmpstr (dossier_choice_get_display (choice), ==, "Tax ID, company (NPWP Badan) — NPWP_BADAN");
  g_assert_true (dossier_field_get_searchable (code));
  g_assert_cmpstr (dossier_field_get_condition_field (code), ==, "category");
  g_assert_cmpint (dossier_field_get_location (category), ==, DOSSIER_FIELD_LOCATION_FORM);

  g_assert_cmpstr (rules->part, ==, "file");
  g_assert_cmpstr (rules->alternative_field, ==, "file_url");
  g_assert_true (g_strv_contains ((const char * const *)rules->content_types, "image/png"));
  g_assert_false (g_strv_contains ((const char * const *)rules->content_types, "application/pdf"));

  g_assert_cmpint (auth->scheme, ==, DOSSIER_AUTH_SCHEME_BEARER);
  g_assert_cmpint (auth->token_kind, ==, DOSSIER_TOKEN_KIND_DOKU_SIGNATURE);
  g_assert_cmpstr (auth->token_path, ==, "/adv-core-api/partner/v1.0/token");
  g_assert_cmpuint (dossier_provider_get_response (doku)->link_lifetime, ==, 3600);
  g_assert_cmpstr (dossier_provider_get_path (doku), ==, "/adv-core-api/partner/v1.0/file");
  g_assert_cmpstr (dossier_provider_lookup_environment (doku, "test")->base_url, ==, "https://api-uat.doku.com");
}

static void
test_kore_moov_receeve (void)
{
  g_autoptr(DossierCatalogue) catalogue = load_builtin ();
  DossierProvider *kore = dossier_catalogue_lookup (catalogue, "kore");
  DossierProvider *moov = dossier_catalogue_lookup (catalogue, "moov");
  DossierProvider *receeve = dossier_catalogue_lookup (catalogue, "receeve");
  const DossierFlowSpec *flow = dossier_provider_get_flow (kore);
  const char *purposes[] = {
    "business_verification", "representative_verification", "individual_verification",
    "merchant_underwriting", "account_requirement", "identity_verification",
  };
  const char *kore_exts[] = { "m4a", "mp3", "webm", "mp4", "mpga", "wav", "mpeg", "png", "jpeg", "jpg", "webp", "gif" };
  DossierField *field;

  /* Kore */
  g_assert_cmpint (dossier_provider_get_auth (kore)->scheme, ==, DOSSIER_AUTH_SCHEME_HEADER);
  g_assert_cmpstr (dossier_provider_get_auth (kore)->header, ==, "x-api-key");
  g_assert_cmpint (flow->kind, ==, DOSSIER_FLOW_KIND_CHUNKED_SESSION);
  g_assert_cmpuint (flow->threshold, ==, 25000000);
  g_assert_cmpstr (flow->chunk_path, ==, "/api/public/files/session/{sessionId}");
  g_assert_cmpstr (flow->complete_path, ==, "/api/public/files/session/{sessionId}/complete");
  for (guint i = 0; i < G_N_ELEMENTS (kore_exts); i++)
    g_assert_true (g_strv_contains ((const char * const *)dossier_provider_get_file_rules (kore)->extensions, kore_exts[i]));
  g_assert_nonnull (dossier_provider_lookup_field (kore, "fileContext"));
  g_assert_true (dossier_field_get_open (dossier_provider_lookup_field (kore, "fileContext")));

  /* Moov */
  field = dossier_provider_lookup_field (moov, "accountID");
  g_assert_cmpint (dossier_field_get_location (field), ==, DOSSIER_FIELD_LOCATION_PATH);
  g_assert_cmpint (dossier_field_get_scope (field), ==, DOSSIER_FIELD_SCOPE_ACCOUNT);
  field = dossier_provider_lookup_field (moov, "filePurpose");
  g_assert_cmpuint (g_list_model_get_n_items (dossier_field_get_choices (field)), ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
    g_assert_nonnull (dossier_field_lookup_choice (field, purposes[i]));
  field = dossier_provider_lookup_field (moov, "X-Moov-Version");
  g_assert_cmpint (dossier_field_get_location (field), ==, DOSSIER_FIELD_LOCATION_HEADER);
  g_assert_cmpstr (dossier_field_get_default_value (field), ==, "v2024.01.00");
  field = dossier_provider_lookup_field (moov, "metadata");
  g_assert_cmpint (dossier_field_get_field_type (field), ==, DOSSIER_FIELD_TYPE_JSON);
  g_assert_cmpuint (g_strv_length ((char **)dossier_field_get_json_keys (field)), ==, 4);
  g_assert_cmpuint (dossier_provider_get_file_rules (moov)->max_size, ==, 20000000);
  g_assert_cmpuint (dossier_provider_get_file_rules (moov)->per_account, ==, 50);
  g_assert_cmpint (dossier_provider_get_auth (moov)->token_kind, ==, DOSSIER_TOKEN_KIND_OAUTH2_CLIENT_CREDENTIALS);
  g_assert_true (g_strv_contains ((const char * const *)dossier_provider_get_response (moov)->request_id_headers, "x-request-id"));

  /* receeve */
  g_assert_cmpint (dossier_provider_get_auth (receeve)->scheme, ==, DOSSIER_AUTH_SCHEME_RAW);
  g_assert_cmpint (dossier_field_get_location (dossier_provider_lookup_field (receeve, "clientId")), ==, DOSSIER_FIELD_LOCATION_PATH);
  g_assert_cmpint (dossier_field_get_location (dossier_provider_lookup_field (receeve, "accountId")), ==, DOSSIER_FIELD_LOCATION_FORM);
  g_assert_true (dossier_field_get_required (dossier_provider_lookup_field (receeve, "accountId")));
  field = dossier_provider_lookup_field (receeve, "documentType");
  g_assert_false (dossier_field_get_required (field));
  g_assert_nonnull (dossier_field_lookup_choice (field, "Invoice"));
  g_assert_nonnull (dossier_field_lookup_choice (field, "CSV"));
  g_assert_nonnull (dossier_field_lookup_choice (field, "Document"));
  g_assert_cmpuint (dossier_provider_get_file_rules (receeve)->per_request, ==, 1);
}

static const char *minimal =
  "{\n"
  "  \"schema\": 1,\n"
  "  \"id\": \"acme\",\n"
  "  \"name\": \"Acme\",\n"
  "  \"environments\": [{\"id\": \"production\", \"name\": \"Production\", \"base_url\": \"https://acme.example\"}],\n"
  "  \"auth\": {\"scheme\": \"bearer\"},\n"
  "  \"endpoint\": {\"path\": \"/upload\"},\n"
  "  \"fields\": [\n"
  "    {\"name\": \"kind\", \"type\": \"choice\", \"choices\": [{\"value\": \"a\"}]}\n"
  "  ],\n"
  "  \"files\": {\"extensions\": [\"pdf\"]},\n"
  "  \"response\": {\"id\": [\"id\"]}\n"
  "}\n";

static void
check_broken (const char *from,
              const char *to,
              const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProvider) provider = NULL;
  g_autoptr(GString) text = g_string_new (minimal);

  g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  provider = dossier_provider_new_from_data (text->str, -1, "acme.json", &error);
  g_assert_null (provider);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR);
  if (g_test_verbose ())
    g_printerr ("%s\n", error->message);
  g_assert_cmpstr (error->message, ==, expected_message);
}

static void
test_broken_descriptors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProvider) ok = dossier_provider_new_from_data (minimal, -1, "acme.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  g_assert_cmpstr (dossier_provider_get_method (ok), ==, "POST");

  check_broken ("\"type\": \"choice\"", "\"type\": \"date\"",
                "acme.json:9: unknown field type “date” (expected text, choice, json or url)");
  check_broken ("\"scheme\": \"bearer\"", "\"scheme\": \"magic\"",
                "acme.json:6: unknown auth scheme “magic” (expected bearer, header, raw or none)");
  check_broken ("\"id\": \"acme\",", "",
                "acme.json:2: missing “id”");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"upload\"",
                "acme.json:7: “path” must start with “/”");
  check_broken ("[{\"value\": \"a\"}]", "[]",
                "acme.json:9: a choice field needs a non-empty “choices” list");
  check_broken ("\"https://acme.example\"", "\"ftp://acme.example\"",
                "acme.json:5: “ftp://acme.example” is not an http(s) URL");
  /* endpoint paths stay below the base URL and hide nothing */
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/upload/../../admin\"",
                "acme.json:7: “path” must not contain “..” segments");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/./upload\"",
                "acme.json:7: “path” must not contain “.” segments");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/upload%00.json\"",
                "acme.json:7: “path” must not contain “%00”");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/upload/%2e%2E/admin\"",
                "acme.json:7: “path” must not contain a percent-encoded dot, slash or backslash (“%2e”)");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/upload%2Fadmin\"",
                "acme.json:7: “path” must not contain a percent-encoded dot, slash or backslash (“%2F”)");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/upload%5cadmin\"",
                "acme.json:7: “path” must not contain a percent-encoded dot, slash or backslash (“%5c”)");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/upload%0a\"",
                "acme.json:7: “path” must not contain percent-encoded control characters (“%0a”)");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/upload%zz\"",
                "acme.json:7: “path” has a “%” that is not followed by two hex digits");
  check_broken ("\"path\": \"/upload\"", "\"path\": \"/up\\\\load\"",
                "acme.json:7: “path” must not contain “\\”");
  check_broken ("\"auth\": {\"scheme\": \"bearer\"}",
                "\"auth\": {\"scheme\": \"bearer\", \"token\": {\"kind\": \"oauth2-client-credentials\", "
                "\"path\": \"/oauth/../token\"}}",
                "acme.json:6: “path” must not contain “..” segments");
  /* plain http only to this machine, by the rule every request obeys */
  check_broken ("\"https://acme.example\"", "\"http://acme.example\"",
                "acme.json:5: Refusing to send documents unencrypted to acme.example; use https://");
  {
    g_autoptr(GString) loopback = g_string_new (minimal);
    g_autoptr(DossierProvider) local = NULL;

    g_string_replace (loopback, "https://acme.example", "http://127.0.0.1:8080", 1);
    local = dossier_provider_new_from_data (loopback->str, -1, "acme.json", &error);
    g_assert_no_error (error);
    g_assert_nonnull (local);
  }
  /* a syntax error keeps json-glib's line and column */
  check_broken ("\"name\": \"Acme\",", "\"name\": \"Acme\"",
                "acme.json:4:16: Parse error: unexpected string constant \"Acme\", expected character `,'");
}

static void
test_user_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-providers-XXXXXX", &error);
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *override = NULL;
  g_autoptr(DossierCatalogue) catalogue = load_builtin ();
  g_autoptr(GString) text = g_string_new (minimal);
  g_autoptr(GString) doku = g_string_new (minimal);
  const char * const *problems;
  const char * const *notices;

  g_assert_no_error (error);
  good = g_build_filename (dir, "acme.json", NULL);
  bad = g_build_filename (dir, "broken.json", NULL);
  override = g_build_filename (dir, "doku.json", NULL);

  g_assert_true (g_file_set_contents (good, text->str, -1, NULL));
  g_assert_true (g_file_set_contents (bad, "{\n  \"schema\": 1,\n  \"id\": 3\n}\n", -1, NULL));
  g_string_replace (doku, "\"acme\"", "\"doku\"", 1);
  g_string_replace (doku, "\"Acme\"", "\"DOKU (mine)\"", 1);
  g_assert_true (g_file_set_contents (override, doku->str, -1, NULL));

  dossier_catalogue_load_directory (catalogue, dir);

  g_assert_nonnull (dossier_catalogue_lookup (catalogue, "acme"));
  g_assert_cmpstr (dossier_provider_get_name (dossier_catalogue_lookup (catalogue, "doku")), ==, "DOKU (mine)");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalogue)), ==, 5);

  problems = dossier_catalogue_get_problems (catalogue);
  g_assert_cmpuint (g_strv_length ((char **)problems), ==, 1);
  g_assert_true (g_str_has_suffix (problems[0], "broken.json:3: “id” must be a string"));

  /* replacing a built-in provider is said, adding one is not */
  notices = dossier_catalogue_get_notices (catalogue);
  g_assert_cmpuint (g_strv_length ((char **)notices), ==, 1);
  g_assert_cmpstr (notices[0], ==, "doku.json replaces the built-in DOKU");

  /* a missing folder is no problem */
  dossier_catalogue_load_directory (catalogue, "/nonexistent/dossier");
  g_assert_cmpuint (g_strv_length ((char **)dossier_catalogue_get_problems (catalogue)), ==, 1);

  g_unlink (good);
  g_unlink (bad);
  g_unlink (override);
  g_rmdir (dir);
}

static char *
nested_arrays (guint levels)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, ']');

  return g_string_free (text, FALSE);
}

static void
test_hostile_user_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-providers-XXXXXX", &error);
  g_autofree char *deep_path = g_build_filename (dir, "deep.json", NULL);
  g_autofree char *huge_path = g_build_filename (dir, "huge.json", NULL);
  g_autofree char *fifo_path = g_build_filename (dir, "fifo.json", NULL);
  g_autofree char *deep = nested_arrays (100000);
  g_autoptr(GString) huge = g_string_new (minimal);
  g_autoptr(DossierCatalogue) catalogue = load_builtin ();
  g_autofree char *limit = g_format_size (1024 * 1024);
  g_autofree char *huge_problem = g_strdup_printf ("/huge.json: too large (more than %s)", limit);
  const char * const *problems;

  g_assert_no_error (error);

  /* json-glib 1.6 overflows its stack on this: the app would never start */
  g_assert_true (g_file_set_contents (deep_path, deep, -1, NULL));
  /* 2 MB: a valid descriptor padded with spaces */
  {
    g_autofree char *spaces = g_strnfill (2 * 1024 * 1024, ' ');

    g_string_insert (huge, 1, spaces);
  }
  g_assert_true (g_file_set_contents (huge_path, huge->str, huge->len, NULL));
  /* a FIFO would block reading forever */
  g_assert_cmpint (mkfifo (fifo_path, 0600), ==, 0);

  dossier_catalogue_load_directory (catalogue, dir);

  problems = dossier_catalogue_get_problems (catalogue);
  g_assert_cmpuint (g_strv_length ((char **)problems), ==, 3);
  g_assert_true (g_str_has_suffix (problems[0], "/deep.json: nested too deeply (over 64 levels)"));
  g_assert_true (g_str_has_suffix (problems[1], "/fifo.json: not a regular file"));
  g_assert_true (g_str_has_suffix (problems[2], huge_problem));

  /* the built-in providers are all there */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalogue)), ==, 4);

  /* the size bound holds for data handed over directly too */
  g_assert_null (dossier_provider_new_from_data (huge->str, huge->len, "huge.json", &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR);
  g_assert_cmpstr (error->message, ==, huge_problem + 1);

  g_unlink (deep_path);
  g_unlink (huge_path);
  g_unlink (fifo_path);
  g_rmdir (dir);
}

static void
test_templates (void)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *url = NULL;

  g_hash_table_insert (values, (char *)"accountID", (char *)"a b/c");
  path = dossier_expand_template ("/accounts/{accountID}/files", values, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/accounts/a%20b%2Fc/files");

  /* a value cannot climb the path */
  g_hash_table_insert (values, (char *)"accountID", (char *)"..");
  g_clear_pointer (&path, g_free);
  path = dossier_expand_template ("/accounts/{accountID}/files", values, TRUE, &error);
  g_assert_cmpstr (path, ==, "/accounts/%2E%2E/files");
  g_hash_table_insert (values, (char *)"accountID", (char *)".");
  g_clear_pointer (&path, g_free);
  path = dossier_expand_template ("/accounts/{accountID}/files", values, TRUE, &error);
  g_assert_cmpstr (path, ==, "/accounts/%2E/files");

  missing = dossier_expand_template ("/files/v1/{clientId}/upload_files", values, TRUE, &error);
  g_assert_null (missing);
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);

  url = dossier_provider_resolve_base_url ("sandbox:/moov", "http://127.0.0.1:9");
  g_assert_cmpstr (url, ==, "http://127.0.0.1:9/moov");
  g_clear_pointer (&url, g_free);
  url = dossier_provider_resolve_base_url ("https://api.moov.io/", NULL);
  g_assert_cmpstr (url, ==, "https://api.moov.io");
  g_assert_null (dossier_provider_resolve_base_url ("sandbox:/moov", NULL));
}

/* The example in the README's "Adding a provider" must load as it is */
static void
test_readme_example (void)
{
  g_autofree char *path = g_build_filename (TEST_SRCDIR, "..", "README.md", NULL);
  g_autofree char *readme = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProvider) provider = NULL;
  const char *section;
  const char *start;
  const char *end;
  DossierField *note;

  g_assert_true (g_file_get_contents (path, &readme, NULL, &error));
  section = strstr (readme, "## Adding a provider");
  g_assert_nonnull (section);
  start = strstr (section, "```json\n");
  g_assert_nonnull (start);
  start += strlen ("```json\n");
  end = strstr (start, "```");
  g_assert_nonnull (end);
  json = g_strndup (start, end - start);

  provider = dossier_provider_new_from_data (json, -1, "README.md", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dossier_provider_get_id (provider), ==, "acme");
  g_assert_cmpint (dossier_field_get_location (dossier_provider_lookup_field (provider, "merchantId")),
                   ==, DOSSIER_FIELD_LOCATION_PATH);
  note = dossier_provider_lookup_field (provider, "note");
  g_assert_cmpstr (dossier_field_get_condition_field (note), ==, "kind");
  g_assert_cmpstr (dossier_provider_get_response (provider)->id[0], ==, "data.id");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalogue/builtin", test_builtin_providers);
  g_test_add_func ("/catalogue/doku", test_doku);
  g_test_add_func ("/catalogue/kore-moov-receeve", test_kore_moov_receeve);
  g_test_add_func ("/catalogue/broken", test_broken_descriptors);
  g_test_add_func ("/catalogue/user-directory", test_user_directory);
  g_test_add_func ("/catalogue/user-directory/hostile", test_hostile_user_directory);
  g_test_add_func ("/catalogue/templates", test_templates);
  g_test_add_func ("/catalogue/readme-example", test_readme_example);

  return g_test_run ();
}
