/* test-validate.c: fields, conditions, files and suggestions
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <glib/gstdio.h>

#include "dossier-catalogue.h"
#include "dossier-validate.h"

static const guint8 png_bytes[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
  0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
};

static DossierCatalogue *catalogue;
static char *tmpdir;

static GHashTable *
values_new (const char *first, ...)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (values, g_strdup (name), g_strdup (va_arg (args, const char *)));
  va_end (args);

  return values;
}

static void
expect_scoped (const char           *provider_id,
               DossierValidateScope  scope,
               GHashTable           *values,
               const char           *message)
{
  DossierProvider *provider = dossier_catalogue_lookup (catalogue, provider_id);
  g_autoptr(GError) error = NULL;
  gboolean ok = dossier_provider_validate_values (provider, values, scope, &error);

  if (message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, message);
    }
}

/* The values NAME, VALUE, ... (NULL-terminated) of @provider_id, all
 * checked: valid (@message %NULL) or refused with @message */
static void
expect_values (const char *provider_id,
               const char *message,
               const char *first,
               ...)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (values, g_strdup (name), g_strdup (va_arg (args, const char *)));
  va_end (args);

  expect_scoped (provider_id, DOSSIER_VALIDATE_SCOPE_ALL, values, message);
}

/* Moov values that pass, to which a case adds the one it checks */
#define MOOV_VALID "accountID", "3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42", "filePurpose", "business_verification"

static void
test_values (void)
{
  /* DOKU: code only for DOCUMENT, required there */
  expect_values ("doku", NULL,
                 "category", "LOGO", NULL);

  expect_values ("doku", "Choose a Document code",
                 "category", "DOCUMENT", NULL);

  expect_values ("doku", NULL,
                 "category", "DOCUMENT", "code", "KTP", NULL);

  expect_values ("doku", "“SIM” is not a valid Document code; choose one from the list",
                 "category", "DOCUMENT", "code", "SIM", NULL);

  /* a code left over from before is ignored when the category is not DOCUMENT */
  expect_values ("doku", NULL,
                 "category", "LOGO", "code", "SIM", NULL);

  expect_values ("doku", "Image URL instead of a file must be a web address starting with https://",
                 "category", "LOGO", "file_url", "ftp://x", NULL);

  expect_values ("doku", "Choose a Category", NULL);

  /* Moov: UUID account, version pattern, metadata keys */
  expect_values ("moov", NULL,
                 MOOV_VALID, NULL);

  expect_values ("moov", "Account ID is required",
                 "filePurpose", "business_verification", NULL);

  expect_values ("moov", "Account ID “acct-1” is not in the expected form: a UUID such as 3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42",
                 "accountID", "acct-1", "filePurpose", "business_verification", NULL);

  expect_values ("moov", "“kyc” is not a valid File purpose; choose one from the list",
                 "accountID", "3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42", "filePurpose", "kyc", NULL);

  expect_values ("moov", "API version “2024-01” is not in the expected form: vYYYY.QQ.BB, for example v2024.01.00",
                 MOOV_VALID, "X-Moov-Version", "2024-01", NULL);

  expect_values ("moov", NULL,
                 MOOV_VALID, "metadata", "{\"comment\": \"scan of EIN letter\", \"requirement_id\": \"document.business.ein\"}", NULL);

  expect_values ("moov", "Metadata has the key “note”, which is not accepted; use only representative_id, comment, requirement_id, error_code",
                 MOOV_VALID, "metadata", "{\"note\": \"x\"}", NULL);

  expect_values ("moov", "Metadata must be a JSON object, such as {\"comment\": \"text\"}",
                 MOOV_VALID, "metadata", "[1]", NULL);

  expect_values ("moov", "Metadata: the value of “comment” must be text in quotes",
                 MOOV_VALID, "metadata", "{\"comment\": 3}", NULL);

  /* receeve: account fields required, documentType optional */
  expect_values ("receeve", NULL,
                 "clientId", "acme-collections", "accountId", "A-1", NULL);

  expect_values ("receeve", "Account ID is required",
                 "clientId", "acme-collections", NULL);

  expect_values ("receeve", "Client instance ID “acme/../x” is not in the expected form: letters, digits, dot, dash, underscore or tilde",
                 "clientId", "acme/../x", "accountId", "A-1", NULL);

  /* Kore: open choice takes other contexts */
  expect_values ("kore", NULL,
                 "fileContext", "workflowInput", NULL);
}

#undef MOOV_VALID

static GFile *
write_file (const char   *name,
            const void   *data,
            gsize         len)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, len, NULL));
  return g_file_new_for_path (path);
}

/* Turns root's power to read any file (CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH) off in the effective set, and back on; it stays in
 * the permitted set. Nothing to do for anyone else. */
static void
set_dac_override (gboolean on)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0, } };
  guint32 bits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);

  if (geteuid () != 0)
    return;

  g_assert_cmpint (syscall (SYS_capget, &header, data), ==, 0);
  if (on)
    data[0].effective |= bits & data[0].permitted;
  else
    data[0].effective &= ~bits;
  g_assert_cmpint (syscall (SYS_capset, &header, data), ==, 0);
}

static void
expect_file (const char *provider_id,
             GFile      *file,
             const char *message)
{
  DossierProvider *provider = dossier_catalogue_lookup (catalogue, provider_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  goffset size = -1;
  gboolean ok = dossier_provider_validate_file (provider, file, &size, &type, NULL, &error);

  if (message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpint (size, >, 0);
      g_assert_nonnull (type);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID);
      if (g_test_verbose ())
        g_printerr ("%s\n", error->message);
      g_assert_cmpstr (error->message, ==, message);
    }
}

static void
test_files (void)
{
  g_autoptr(GFile) png = write_file ("KTP Budi.png", png_bytes, sizeof png_bytes);
  g_autoptr(GFile) pdf_as_png = write_file ("npwp.png", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", 20);
  g_autoptr(GFile) pdf = write_file ("akta.pdf", "%PDF-1.4\n1 0 obj\n<<>>\n", 22);
  g_autoptr(GFile) empty = write_file ("empty.png", "", 0);
  g_autoptr(GFile) noext = write_file ("scan", png_bytes, sizeof png_bytes);
  g_autoptr(GFile) csv = write_file ("statement.csv", "date,amount\n2026-01-01,10\n2026-01-02,20\n", 39);
  g_autoptr(GFile) garbage = write_file ("broken.jpg", "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  g_autofree char *dir_path = g_build_filename (tmpdir, "Merchant folder", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (dir_path);
  g_autofree char *missing_path = g_build_filename (tmpdir, "gone.png", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autofree char *big_path = g_build_filename (tmpdir, "big.pdf", NULL);
  g_autoptr(GFile) big = g_file_new_for_path (big_path);
  g_autofree char *locked_path = NULL;
  g_autoptr(GFile) locked = NULL;
  int fd;

  g_assert_cmpint (g_mkdir (dir_path, 0700), ==, 0);

  expect_file ("doku", png, NULL);
  expect_file ("doku", pdf_as_png,
               "“npwp.png” is really a PDF document; DOKU accepts JPG, JPEG or PNG files up to 15.0\xc2\xa0MB");
  expect_file ("doku", pdf,
               "“akta.pdf” is a PDF file; DOKU accepts JPG, JPEG or PNG files up to 15.0\xc2\xa0MB");
  expect_file ("doku", empty, "“empty.png” is empty");
  expect_file ("doku", noext,
               "“scan” has no file type extension; DOKU accepts JPG, JPEG or PNG files up to 15.0\xc2\xa0MB");
  expect_file ("doku", dir, "“Merchant folder” is a folder; add the files inside it instead");
  expect_file ("doku", missing, "“gone.png” does not exist (any more)");
  expect_file ("doku", garbage,
               "“broken.jpg” is not really a JPEG image (its content is unknown or damaged); DOKU accepts JPG, JPEG or PNG files up to 15.0\xc2\xa0MB");

  expect_file ("moov", pdf, NULL);
  expect_file ("moov", csv, NULL);
  expect_file ("receeve", csv, NULL);

  /* a sparse 30 MB file for Moov's 20 MB limit */
  fd = g_open (big_path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "%PDF-1.4\n", 9), ==, 9);
  g_assert_cmpint (ftruncate (fd, 30 * 1000 * 1000), ==, 0);
  close (fd);
  expect_file ("moov", big,
               "“big.pdf” is 30.0\xc2\xa0MB; Moov accepts CSV, JPG, JPEG, PDF or PNG files up to 20.0\xc2\xa0MB");

  /* unreadable: mode 0, and for root the permission checks hold again
   * while its capabilities to override them are off */
  locked = write_file ("locked.png", png_bytes, sizeof png_bytes);
  locked_path = g_file_get_path (locked);
  g_assert_cmpint (g_chmod (locked_path, 0), ==, 0);
  set_dac_override (FALSE);
  g_assert_cmpint (g_open (locked_path, O_RDONLY, 0), ==, -1);
  expect_file ("doku", locked, "“locked.png” cannot be read: you do not have permission to open it");
  set_dac_override (TRUE);

  /* Moov's 50 files per account */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (dossier_provider_validate_count (dossier_catalogue_lookup (catalogue, "moov"), 50, &error));
    g_assert_false (dossier_provider_validate_count (dossier_catalogue_lookup (catalogue, "moov"), 51, &error));
    g_assert_cmpstr (error->message, ==, "51 files is too many: Moov keeps at most 50 files per account");
    g_clear_error (&error);
    g_assert_true (dossier_provider_validate_count (dossier_catalogue_lookup (catalogue, "doku"), 500, &error));
  }
}

static void
expect_suggestion (const char *provider_id,
                   const char *filename,
                   const char *field,
                   const char *value)
{
  g_autoptr(GHashTable) s = dossier_provider_suggest_values (dossier_catalogue_lookup (catalogue, provider_id), filename);

  g_assert_cmpstr (g_hash_table_lookup (s, field), ==, value);
}

static void
test_suggestions (void)
{
  expect_suggestion ("doku", "KTP_Budi_Santoso.jpg", "code", "KTP");
  expect_suggestion ("doku", "KTP_Budi_Santoso.jpg", "category", "DOCUMENT");
  expect_suggestion ("doku", "npwp-pt-maju.png", "code", "NPWP_BADAN");
  expect_suggestion ("doku", "NPWP pribadi Budi.png", "code", "NPWP_ORANG_PRIBADI");
  expect_suggestion ("doku", "logo.png", "category", "LOGO");
  expect_suggestion ("doku", "logo.png", "code", NULL);
  expect_suggestion ("doku", "foto ktp.jpg", "category", "DOCUMENT");
  expect_suggestion ("doku", "izin usaha perseorangan.png", "code", "IZIN_USAHA_PERSEORANGAN");
  expect_suggestion ("doku", "scan0001.png", "code", NULL);
  expect_suggestion ("doku", "scan0001.png", "category", NULL);
  /* "ktp" inside another word is not a match */
  expect_suggestion ("doku", "aktpx.png", "code", NULL);
  expect_suggestion ("moov", "passport-john.pdf", "filePurpose", "individual_verification");
  expect_suggestion ("receeve", "Invoice 2026-11.pdf", "documentType", "Invoice");
}

static void
test_describe (void)
{
  g_autofree char *doku = dossier_provider_describe_accepted (dossier_catalogue_lookup (catalogue, "doku"));

  g_assert_cmpstr (doku, ==, "JPG, JPEG or PNG files up to 15.0\xc2\xa0MB");
}

/* The first step's account fields: the same validator, one scope of it */
static void
test_account_scope (void)
{
  g_autoptr(GHashTable) v = NULL;

  /* the document's fields wait for their own step */
  v = values_new ("accountID", "3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42", NULL);
  expect_scoped ("moov", DOSSIER_VALIDATE_SCOPE_ACCOUNT, v, NULL);
  expect_scoped ("moov", DOSSIER_VALIDATE_SCOPE_ALL, v, "Choose a File purpose");
  g_clear_pointer (&v, g_hash_table_unref);

  v = values_new (NULL, NULL);
  expect_scoped ("doku", DOSSIER_VALIDATE_SCOPE_ACCOUNT, v, NULL);
  expect_scoped ("moov", DOSSIER_VALIDATE_SCOPE_ACCOUNT, v, "Account ID is required");
  g_clear_pointer (&v, g_hash_table_unref);

  /* the same sentences as for the whole set */
  v = values_new ("accountID", "acct-1", "filePurpose", "kyc", NULL);
  expect_scoped ("moov", DOSSIER_VALIDATE_SCOPE_ACCOUNT, v,
                 "Account ID “acct-1” is not in the expected form: a UUID such as 3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42");
  g_clear_pointer (&v, g_hash_table_unref);

  v = values_new ("accountID", "3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42", "X-Moov-Version", "2024-01", NULL);
  expect_scoped ("moov", DOSSIER_VALIDATE_SCOPE_ACCOUNT, v,
                 "API version “2024-01” is not in the expected form: vYYYY.QQ.BB, for example v2024.01.00");
  g_clear_pointer (&v, g_hash_table_unref);

  v = values_new ("clientId", "acme-collections", "documentType", "x", NULL);
  expect_scoped ("receeve", DOSSIER_VALIDATE_SCOPE_ACCOUNT, v, "Account ID is required");
  g_clear_pointer (&v, g_hash_table_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  catalogue = dossier_catalogue_new ();
  g_assert_true (dossier_catalogue_load_builtin (catalogue, &error));
  tmpdir = g_dir_make_tmp ("dossier-validate-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/validate/values", test_values);
  g_test_add_func ("/validate/account-scope", test_account_scope);
  g_test_add_func ("/validate/files", test_files);
  g_test_add_func ("/validate/suggestions", test_suggestions);
  g_test_add_func ("/validate/describe", test_describe);

  ret = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
  g_free (tmpdir);
  g_object_unref (catalogue);
  return ret;
}
