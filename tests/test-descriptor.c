/* test-descriptor.c: what a descriptor may say, and a fifth provider that
 * is nothing but a descriptor
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dossier-catalogue.h"
#include "dossier-types.h"
#include "dossier-sandbox.h"
#include "dossier-submission.h"
#include "dossier-validate.h"

#include "dossier-test-util.h"

/* A provider the sandbox's generic routes serve: its chunked session uses
 * the sandbox's generic member names, none of them Kore's */
static const char acme_descriptor[] =
  "{\n"
  "  \"schema\": 1,\n"
  "  \"id\": \"acme\",\n"
  "  \"name\": \"Acme Files\",\n"
  "  \"environments\": [\n"
  "    { \"id\": \"sandbox\", \"name\": \"Sandbox\", \"base_url\": \"sandbox:/generic\" }\n"
  "  ],\n"
  "  \"auth\": { \"scheme\": \"none\" },\n"
  "  \"endpoint\": { \"method\": \"POST\", \"path\": \"/upload\" },\n"
  "  \"fields\": [\n"
  "    { \"name\": \"purpose\", \"type\": \"choice\", \"location\": \"form\", \"required\": true,\n"
  "      \"default\": \"kyc\", \"choices\": [ { \"value\": \"kyc\", \"label\": \"KYC\" } ] }\n"
  "  ],\n"
  "  \"files\": { \"part\": \"file\", \"max_size\": 5000000, \"max_name_length\": 40 },\n"
  "  \"flow\": {\n"
  "    \"kind\": \"chunked-session\",\n"
  "    \"threshold\": 307200,\n"
  "    \"chunk_size\": 65536,\n"
  "    \"parallel\": 2,\n"
  "    \"start_path\": \"/sessions\",\n"
  "    \"chunk_path\": \"/sessions/{upload}\",\n"
  "    \"complete_path\": \"/sessions/{upload}/finish\",\n"
  "    \"session\": { \"id\": \"upload\", \"expires\": \"valid_until\", \"total_chunks\": \"parts\",\n"
  "                 \"file_name\": \"name\", \"file_size\": \"bytes\", \"chunk_number\": \"part\" }\n"
  "  },\n"
  "  \"response\": { \"id\": [\"id\"], \"link\": [\"link\"], \"message\": [\"error\", \"message\"] }\n"
  "}\n";

#define FILE_SIZE (1000 * 1000)   /* 16 parts of 64 KiB, the last one shorter */
#define N_PARTS   16

/* Writes @text as @name into a new folder of user descriptors */
static char *
user_folder (const char *name,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("dossier-descriptor-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return dir;
}

static void
test_builtin_strict (void)
{
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autoptr(GError) error = NULL;
  const char * const *problems;

  g_assert_true (dossier_catalogue_load_builtin (catalogue, &error));
  g_assert_no_error (error);
  problems = dossier_catalogue_get_problems (catalogue);
  g_assert_true (problems == NULL || problems[0] == NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalogue)), ==, 4);

  /* what moov.json says of file names is read, not ignored */
  g_assert_cmpuint (dossier_provider_get_file_rules (dossier_catalogue_lookup (catalogue, "moov"))->max_name_length,
                    ==, 64);
  /* the Kore session's names come from kore.json */
  g_assert_cmpstr (dossier_provider_get_flow (dossier_catalogue_lookup (catalogue, "kore"))->session_id,
                   ==, "sessionId");
}

/* A member nobody reads is refused where it stands, at every level */
static void
test_unknown_member (void)
{
  static const struct {
    const char *from;
    const char *to;
    const char *message;
  } cases[] = {
    { "\"max_name_length\": 40", "\"max_name_lenght\": 40",
      "acme.json:14: unknown member “max_name_lenght”" },
    { "\"schema\": 1,", "\"schema\": 1, \"colour\": \"red\",",
      "acme.json:2: unknown member “colour”" },
    { "\"required\": true,", "\"requird\": true,",
      "acme.json:11: unknown member “requird”" },
    { "\"label\": \"KYC\"", "\"label\": \"KYC\", \"hint\": \"x\"",
      "acme.json:12: unknown member “hint”" },
    { "\"chunk_number\": \"part\"", "\"chunk_number\": \"part\", \"checksum\": \"sha\"",
      "acme.json:24: unknown member “checksum”" },
    { "\"scheme\": \"none\"", "\"scheme\": \"none\", \"token\": {\"kind\": \"oauth2-client-credentials\", "
      "\"path\": \"/t\", \"scop\": \"x\"}",
      "acme.json:8: unknown member “scop”" },
    { "\"message\": [\"error\", \"message\"]", "\"mesage\": [\"error\"]",
      "acme.json:26: unknown member “mesage”" },
    /* the chunked session must say its names */
    { "\"session\": {", "\"sessio\": {",
      "acme.json:24: unknown member “sessio”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new (acme_descriptor);
      g_autoptr(DossierProvider) provider = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (g_string_replace (text, cases[i].from, cases[i].to, 1), ==, 1);
      provider = dossier_provider_new_from_data (text->str, text->len, "acme.json", &error);
      g_assert_null (provider);
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_DESCRIPTOR);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Moov's 64-character limit on file names is checked before anything is sent */
static void
test_name_length (void)
{
  g_autoptr(DossierProvider) moov = dossier_test_load_provider ("moov");
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 2048, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) ok_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-names-XXXXXX", &error);
  g_autofree char *a60 = g_strnfill (60, 'a');
  g_autofree char *a59 = g_strnfill (59, 'a');
  g_autofree char *long_name = NULL;
  g_autofree char *fits = NULL;
  g_autoptr(GFile) too_long = NULL;
  g_autoptr(GFile) just_right = NULL;

  g_assert_no_error (error);
  /* 61 + ".png" = 65 characters, and 60 + ".png" = 64 (é is one character) */
  long_name = g_strconcat ("é", a60, ".png", NULL);
  fits = g_strconcat ("é", a59, ".png", NULL);
  too_long = dossier_test_write_file (dir, long_name, bytes);
  just_right = dossier_test_write_file (dir, fits, bytes);

  g_assert_false (dossier_provider_validate_file (moov, too_long, NULL, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, long_name));
  g_assert_nonnull (strstr (error->message, "has a name of 65 characters; Moov accepts file names "
                                            "of at most 64 characters"));

  g_assert_true (dossier_provider_validate_file (moov, just_right, NULL, NULL, NULL, &ok_error));
  g_assert_no_error (ok_error);

  dossier_test_remove_tree (dir);
}

/* A fifth provider, from the user's folder, with the chunked-session flow
 * under other member names, sends a file whole through the sandbox */
static void
test_fifth_provider (void)
{
  g_autofree char *folder = user_folder ("acme.json", acme_descriptor);
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autoptr(DossierSandbox) sandbox = dossier_test_sandbox_new (FALSE);
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, FILE_SIZE, TRUE);
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *sha = NULL;
  const DossierResult *result;
  const char * const *problems;
  DossierProvider *acme;
  DossierUpload *upload;

  dossier_catalogue_load_directory (catalogue, folder);
  problems = dossier_catalogue_get_problems (catalogue);
  g_assert_true (problems == NULL || problems[0] == NULL);
  acme = dossier_catalogue_lookup (catalogue, "acme");
  g_assert_nonnull (acme);
  g_assert_cmpint (dossier_provider_get_flow (acme)->kind, ==, DOSSIER_FLOW_KIND_CHUNKED_SESSION);

  file = dossier_test_write_file (folder, "scan.png", bytes);
  sha = dossier_test_file_sha256 (file);
  submission = dossier_test_submission_new (acme, sandbox, NULL, NULL, NULL);
  upload = dossier_submission_add_file (submission, file);
  dossier_test_run_to_end (submission);

  g_assert_cmpstr (dossier_upload_get_problem (upload), ==, NULL);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  result = dossier_upload_get_result (upload);
  g_assert_true (dossier_result_is_success (result));
  g_assert_nonnull (result->link);

  /* sent in parts numbered by "part", merged by the sandbox into the same bytes */
  g_assert_cmpuint (dossier_test_count_received (sandbox, "chunk", NULL), ==, N_PARTS);
  g_assert_cmpuint (dossier_test_count_received (sandbox, "upload", NULL), ==, 0);
  g_assert_cmpuint (dossier_test_count_received (sandbox, "complete", &record), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, result->remote_id);
  g_assert_cmpstr (json_object_get_string_member (record, "sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (record, "size"), ==, FILE_SIZE);
  g_assert_cmpstr (json_object_get_string_member (record, "file_name"), ==, "scan.png");

  g_clear_object (&submission);
  dossier_test_remove_tree (folder);
}

/* What the sandbox publishes as its sample credentials and account values
 * is what it accepts: a static secret, and a client id and secret to get a
 * token with, for every built-in provider */
static void
test_sandbox_samples (void)
{
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
  g_autoptr(DossierSandbox) sandbox = dossier_test_sandbox_new (FALSE);
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, 4096, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-samples-XXXXXX", &error);
  g_autoptr(GFile) file = NULL;
  GListModel *providers = G_LIST_MODEL (catalogue);

  g_assert_no_error (error);
  g_assert_true (dossier_catalogue_load_builtin (catalogue, &error));
  g_assert_no_error (error);
  /* DOKU reads KTP as a DOCUMENT with code KTP */
  file = dossier_test_write_file (dir, "KTP.png", bytes);
  g_assert_null (dossier_sandbox_lookup_sample ("acme"));

  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (providers, i);
      const DossierSandboxSample *sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (provider));

      g_assert_nonnull (sample);
      g_assert_nonnull (sample->secret);

      for (guint way = 0; way < 2; way++)
        {
          g_autoptr(DossierSubmission) submission = NULL;
          DossierUpload *upload;

          if (way == 1 && sample->client_id == NULL)
            continue;
          if (way == 0)
            submission = dossier_test_submission_new (provider, sandbox, sample->secret, NULL, NULL);
          else
            submission = dossier_test_submission_new (provider, sandbox, NULL,
                                                      sample->client_id, sample->client_secret);
          for (guint j = 0; sample->values[j] != NULL; j += 2)
            {
              g_assert_nonnull (dossier_provider_lookup_field (provider, sample->values[j]));
              g_assert_cmpstr (dossier_sandbox_sample_lookup_value (sample, sample->values[j]),
                               ==, sample->values[j + 1]);
              dossier_submission_set_value (submission, sample->values[j], sample->values[j + 1]);
            }
          upload = dossier_submission_add_file (submission, file);
          dossier_test_run_to_end (submission);
          g_assert_cmpstr (dossier_upload_get_problem (upload), ==, NULL);
          g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
        }
    }

  dossier_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/descriptor/builtin-strict", test_builtin_strict);
  g_test_add_func ("/descriptor/unknown-member", test_unknown_member);
  g_test_add_func ("/descriptor/name-length", test_name_length);
  g_test_add_func ("/descriptor/fifth-provider", test_fifth_provider);
  g_test_add_func ("/descriptor/sandbox-samples", test_sandbox_samples);

  return g_test_run ();
}
