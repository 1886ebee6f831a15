/* test-cli.c: the built dossier-cli, run against a real sandbox
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/meson.build passes the binary's path in DOSSIER_CLI. Each test
 * starts its own sandbox on a thread (so the test can wait for the CLI
 * synchronously) and gives the CLI a fresh XDG_CONFIG_HOME.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dossier-sandbox.h"
#include "dossier-test-util.h"

/* a secret that must never show up in anything the CLI prints */
#define WRONG_TOKEN "wrong-token-5f1d0c7e9a"

typedef struct
{
  DossierSandbox *sandbox;
  char           *dir;          /* files to send */
  char           *config;       /* XDG_CONFIG_HOME */
  gboolean        use_sandbox_url;
  char          **extra_env;    /* NAME=VALUE set for the next run */
  guint           interrupt_ms; /* send SIGINT this long after the start */
} Fixture;

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->out, g_free);
  g_clear_pointer (&o->err, g_free);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = dossier_test_sandbox_new (TRUE);

  f->dir = g_dir_make_tmp ("dossier-cli-files-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = g_dir_make_tmp ("dossier-cli-config-XXXXXX", &error);
  g_assert_no_error (error);
  f->use_sandbox_url = TRUE;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->sandbox);
  dossier_test_remove_tree (f->dir);
  dossier_test_remove_tree (f->config);
  g_free (f->dir);
  g_free (f->config);
  g_strfreev (f->extra_env);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *head,
            gsize       head_len,
            gsize       size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;

  g_assert_cmpuint (size, >=, head_len);
  bytes = dossier_test_bytes_new (head, head_len, size, TRUE);
  file = dossier_test_write_file (f->dir, name, bytes);
  return g_file_get_path (file);
}

#define PNG_HEAD "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
#define JPEG_HEAD "\xff\xd8\xff\xe0\0\x10JFIF\0"
#define PDF_HEAD "%PDF-1.4\n"

static char *
write_png (Fixture    *f,
           const char *name)
{
  return write_file (f, name, PNG_HEAD, sizeof PNG_HEAD - 1, 200 * 1024);
}

static char *
file_sha256 (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return dossier_test_file_sha256 (file);
}

static void
set_env (Fixture    *f,
         const char *assignment)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (f->extra_env != NULL)
    g_strv_builder_addv (builder, (const char **)f->extra_env);
  g_strv_builder_add (builder, assignment);
  g_strfreev (f->extra_env);
  f->extra_env = g_strv_builder_end (builder);
}

/* Runs dossier-cli ARGS... (NULL-terminated) and waits for it */
static Outcome
run_cli (Fixture    *f,
         const char *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("DOSSIER_CLI");
  Outcome o = { 0 };
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *)cli);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", f->config, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DOSSIER_TOKEN");
  g_subprocess_launcher_unsetenv (launcher, "DOSSIER_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "DOSSIER_CLIENT_ID");
  g_subprocess_launcher_unsetenv (launcher, "DOSSIER_CLIENT_SECRET");
  if (f->use_sandbox_url)
    g_subprocess_launcher_setenv (launcher, "DOSSIER_SANDBOX_URL",
                                  dossier_sandbox_get_base_url (f->sandbox), TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "DOSSIER_SANDBOX_URL");
  for (guint i = 0; f->extra_env != NULL && f->extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (f->extra_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  g_clear_pointer (&f->extra_env, g_strfreev);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  if (f->interrupt_ms > 0)
    {
      g_usleep (f->interrupt_ms * G_TIME_SPAN_MILLISECOND);
      g_subprocess_send_signal (process, SIGINT);
      f->interrupt_ms = 0;
    }
  g_subprocess_communicate_utf8 (process, NULL, NULL, &o.out, &o.err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  o.status = g_subprocess_get_exit_status (process);

  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", o.status, o.out, o.err);
  return o;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

/* The JSON Lines of a run: one object per line */
static GPtrArray *
parse_lines (const char *out)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (objects, parse_object (lines[i]));

  return objects;
}

static void
assert_no_secret (const Outcome *o,
                  const char    *secret)
{
  g_assert_null (strstr (o->out, secret));
  g_assert_null (strstr (o->err, secret));
}

static const char *
string_or_null (JsonObject *o,
                const char *member)
{
  g_assert_true (json_object_has_member (o, member));
  return json_object_get_string_member_with_default (o, member, NULL);
}

/* -------------------------------------------------------------------------- */

static void
test_providers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Outcome o = run_cli (f, "providers", NULL);
  JsonArray *providers;
  guint n_codes = 0;

  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpstr (o.err, ==, "");

  root = parse_object (o.out);
  providers = json_object_get_array_member (root, "providers");
  g_assert_cmpuint (json_array_get_length (providers), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "skipped")), ==, 0);

  for (guint i = 0; i < json_array_get_length (providers); i++)
    {
      JsonObject *p = json_array_get_object_element (providers, i);
      JsonArray *fields = json_object_get_array_member (p, "fields");
      JsonObject *auth = json_object_get_object_member (p, "auth");
      const char *id = json_object_get_string_member (p, "id");

      g_hash_table_add (seen, (gpointer)id);
      g_assert_cmpstr (json_object_get_string_member (p, "name"), !=, "");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "environments")), >=, 2);
      g_assert_true (json_object_has_member (auth, "scheme"));
      g_assert_true (json_object_has_member (auth, "token_kind"));
      g_assert_true (json_object_has_member (json_object_get_object_member (p, "files"), "extensions"));
      g_assert_true (json_object_has_member (json_object_get_object_member (p, "flow"), "kind"));

      if (g_str_equal (id, "kore"))
        {
          g_assert_cmpstr (json_object_get_string_member (auth, "scheme"), ==, "header");
          g_assert_cmpstr (json_object_get_string_member (auth, "header"), ==, "x-api-key");
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "flow"), "kind"),
                           ==, "chunked-session");
        }

      for (guint j = 0; j < json_array_get_length (fields); j++)
        {
          JsonObject *field = json_array_get_object_element (fields, j);
          const char *name = json_object_get_string_member (field, "name");

          g_assert_true (json_object_has_member (field, "label"));
          g_assert_true (json_object_has_member (field, "type"));
          g_assert_true (json_object_has_member (field, "location"));
          g_assert_true (json_object_has_member (field, "scope"));
          g_assert_true (json_object_has_member (field, "required"));
          g_assert_true (json_object_has_member (field, "default"));

          if (g_str_equal (id, "doku") && g_str_equal (name, "code"))
            {
              JsonArray *choices = json_object_get_array_member (field, "choices");
              JsonObject *condition = json_object_get_object_member (field, "condition");
              JsonObject *first = json_array_get_object_element (choices, 0);

              n_codes = json_array_get_length (choices);
              g_assert_cmpstr (json_object_get_string_member (condition, "field"), ==, "category");
              g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (condition, "values"), 0),
                               ==, "DOCUMENT");
              g_assert_cmpstr (json_object_get_string_member (first, "value"), !=, "");
              g_assert_cmpstr (json_object_get_string_member (first, "label"), !=, "");
            }
          if (g_str_equal (id, "moov") && g_str_equal (name, "accountID"))
            {
              g_assert_cmpstr (json_object_get_string_member (field, "location"), ==, "path");
              g_assert_cmpstr (json_object_get_string_member (field, "scope"), ==, "account");
            }
          if (g_str_equal (id, "moov") && g_str_equal (name, "X-Moov-Version"))
            g_assert_cmpstr (json_object_get_string_member (field, "location"), ==, "header");
        }
    }

  g_assert_cmpuint (n_codes, ==, 36);
  g_assert_true (g_hash_table_contains (seen, "doku"));
  g_assert_true (g_hash_table_contains (seen, "kore"));
  g_assert_true (g_hash_table_contains (seen, "moov"));
  g_assert_true (g_hash_table_contains (seen, "receeve"));
  outcome_clear (&o);

  /* one provider by id; an unknown one is a usage error */
  o = run_cli (f, "providers", "moov", NULL);
  g_assert_cmpint (o.status, ==, 0);
  {
    g_autoptr(JsonObject) one = parse_object (o.out);
    JsonArray *list = json_object_get_array_member (one, "providers");

    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "id"), ==, "moov");
  }
  outcome_clear (&o);

  o = run_cli (f, "providers", "acme", NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "acme"));
  g_assert_nonnull (strstr (o.err, "doku"));
  outcome_clear (&o);
}

static void
check_done (Fixture    *f,
            Outcome    *o,
            const char *path,
            const char *provider,
            gboolean    has_link)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *sha = NULL;
  JsonObject *line;
  const char *id;

  g_assert_cmpint (o->status, ==, 0);
  lines = parse_lines (o->out);
  g_assert_cmpuint (lines->len, ==, 1);
  line = g_ptr_array_index (lines, 0);

  g_assert_cmpstr (string_or_null (line, "file"), ==, path);
  g_assert_cmpstr (string_or_null (line, "provider"), ==, provider);
  g_assert_cmpstr (string_or_null (line, "status"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (line, "http_status"), ==, 200);
  g_assert_null (string_or_null (line, "error"));
  g_assert_true (json_object_has_member (line, "link_expires"));
  g_assert_true (json_object_has_member (line, "remote_status"));
  g_assert_true (json_object_has_member (line, "code"));
  g_assert_true (json_object_has_member (line, "request_id"));
  id = string_or_null (line, "id");
  g_assert_nonnull (id);
  if (has_link)
    g_assert_true (g_str_has_prefix (string_or_null (line, "link"), "http://127.0.0.1:"));

  /* what the sandbox stored is the file, byte for byte */
  record = dossier_test_find_received (f->sandbox, id);
  g_assert_nonnull (record);
  sha = file_sha256 (path);
  g_assert_cmpstr (json_object_get_string_member (record, "sha256"), ==, sha);
}

static void
test_upload_each_provider (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *ktp = write_png (f, "KTP Budi.png");
  g_autofree char *photo = write_file (f, "photo.jpg", JPEG_HEAD, sizeof JPEG_HEAD - 1, 300 * 1024);
  g_autofree char *statement = write_file (f, "statement.pdf", PDF_HEAD, sizeof PDF_HEAD - 1, 50 * 1024);
  g_autofree char *invoice = write_file (f, "invoice.pdf", PDF_HEAD, sizeof PDF_HEAD - 1, 10 * 1024);
  Outcome o;

  /* DOKU: a token requested with the signed client credentials */
  set_env (f, "DOSSIER_CLIENT_SECRET=" DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  o = run_cli (f, "upload", "--provider", "doku", "--client-id", DOSSIER_SANDBOX_DOKU_CLIENT_ID,
               "--field", "category=DOCUMENT", "--field", "code=KTP", "--json", ktp, NULL);
  check_done (f, &o, ktp, "doku", TRUE);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *line = g_ptr_array_index (lines, 0);

    /* DOKU's link lasts an hour */
    g_assert_nonnull (string_or_null (line, "link_expires"));
  }
  assert_no_secret (&o, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  outcome_clear (&o);

  /* Kore.ai: an API key from the environment */
  set_env (f, "DOSSIER_API_KEY=" DOSSIER_SANDBOX_KORE_API_KEY);
  o = run_cli (f, "upload", "-p", "kore", "--json", photo, NULL);
  check_done (f, &o, photo, "kore", TRUE);
  assert_no_secret (&o, DOSSIER_SANDBOX_KORE_API_KEY);
  outcome_clear (&o);

  /* Moov: a path field, a header field, a token on the command line */
  o = run_cli (f, "upload", "--provider", "moov", "--token", DOSSIER_SANDBOX_MOOV_TOKEN,
               "--field", "accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID,
               "--field", "X-Moov-Version=v2024.01.00",
               "--field", "filePurpose=merchant_underwriting",
               "--field", "metadata={\"comment\":\"Q3\"}",
               "--json", statement, NULL);
  check_done (f, &o, statement, "moov", FALSE);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *line = g_ptr_array_index (lines, 0);
    g_autoptr(JsonObject) record = dossier_test_find_received (f->sandbox, string_or_null (line, "id"));
    JsonObject *fields = json_object_get_object_member (record, "fields");

    g_assert_cmpstr (string_or_null (line, "remote_status"), ==, "pending");
    g_assert_cmpstr (json_object_get_string_member (fields, "filePurpose"), ==, "merchant_underwriting");
  }
  assert_no_secret (&o, DOSSIER_SANDBOX_MOOV_TOKEN);
  outcome_clear (&o);

  /* receeve: no credentials given, so the sandbox's public ones */
  o = run_cli (f, "upload", "--provider", "receeve", "--field", "clientId=acme-instance",
               "--field", "accountId=ACC-1001", "--field", "documentType=Invoice",
               "--json", invoice, NULL);
  check_done (f, &o, invoice, "receeve", TRUE);
  assert_no_secret (&o, DOSSIER_SANDBOX_RECEEVE_TOKEN);
  outcome_clear (&o);

  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 4);
}

static void
test_human_output (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = write_png (f, "a.png");
  g_autofree char *b = write_png (f, "b.png");
  Outcome o;

  /* a folder stands for its files; one human line each, in order */
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=PHOTO_PROOF",
               "--concurrency", "1", f->dir, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_str_has_prefix (o.out, "✓ a.png  id "));
  g_assert_nonnull (strstr (o.out, "\n✓ b.png  id "));
  g_assert_nonnull (strstr (o.out, "link http://127.0.0.1:"));
  g_assert_nonnull (strstr (o.out, "(link valid 60 min)"));
  /* no progress when stderr is not a terminal */
  g_assert_null (strstr (o.err, "\r"));
  g_assert_null (strstr (o.err, "%"));
  outcome_clear (&o);

  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 2);
}

static void
test_validation_failure (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *fake = write_file (f, "KTP.png", PDF_HEAD, sizeof PDF_HEAD - 1, 4096);
  g_autofree char *good = write_png (f, "NPWP.png");
  g_autofree char *scan = write_png (f, "scan-0001.png");
  Outcome o;

  /* a PDF named .png, next to a good file: nothing at all is sent */
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=DOCUMENT",
               "--field", "code=KTP", "--json", fake, good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "dossier-cli: KTP.png: "));
  g_assert_nonnull (strstr (o.err, "PDF"));
  g_assert_nonnull (strstr (o.err, "PNG"));
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *line = g_ptr_array_index (lines, 0);

    g_assert_cmpuint (lines->len, ==, 1);
    g_assert_cmpstr (string_or_null (line, "file"), ==, fake);
    g_assert_cmpstr (string_or_null (line, "status"), ==, "invalid");
    g_assert_nonnull (string_or_null (line, "error"));
    g_assert_null (string_or_null (line, "id"));
    g_assert_true (json_object_get_null_member (line, "http_status"));
  }
  outcome_clear (&o);

  /* DOCUMENT without a code (and none to guess from the file's name) */
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=DOCUMENT", scan, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "dossier-cli: scan-0001.png: "));
  g_assert_cmpstr (o.out, ==, "");
  outcome_clear (&o);

  /* a value that is not one of the choices */
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=SELFIE", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);

  /* a missing file */
  o = run_cli (f, "upload", "--provider", "kore", "no-such-file.png", NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "no-such-file.png"));
  outcome_clear (&o);

  /* Moov without its account */
  o = run_cli (f, "upload", "--provider", "moov", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "Account ID"));
  outcome_clear (&o);

  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 0);
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *good = write_png (f, "logo.png");
  Outcome o;

  o = run_cli (f, "upload", "--provider", "doku", "--field", "kategori=LOGO", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "kategori"));
  g_assert_nonnull (strstr (o.err, "category, code, file_url"));
  outcome_clear (&o);

  o = run_cli (f, "upload", "--provider", "doku", "--field", "category", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);

  o = run_cli (f, "upload", "--field", "category=LOGO", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "--provider"));
  outcome_clear (&o);

  o = run_cli (f, "upload", "--provider", "acme", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "receeve"));
  outcome_clear (&o);

  o = run_cli (f, "upload", "--provider", "kore", "--environment", "test", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "sandbox, production"));
  outcome_clear (&o);

  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);

  o = run_cli (f, "upload", "--provider", "doku", "--concurrency", "9", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);

  o = run_cli (f, "frobnicate", NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);

  o = run_cli (f, "upload", "--help", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "dossier-cli upload"));
  g_assert_nonnull (strstr (o.out, "DOSSIER_TOKEN"));
  g_assert_nonnull (strstr (o.out, "DOSSIER_CLIENT_SECRET"));
  g_assert_nonnull (strstr (o.out, "Examples:"));
  outcome_clear (&o);

  o = run_cli (f, "help", "upload", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "dossier-cli upload"));
  outcome_clear (&o);

  /* no credentials outside the sandbox: said before anything is sent */
  o = run_cli (f, "upload", "--provider", "doku", "--environment", "production",
               "--field", "category=LOGO", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "DOSSIER_TOKEN"));
  outcome_clear (&o);

  /* Kore.ai's production host is the customer's own */
  set_env (f, "DOSSIER_API_KEY=" WRONG_TOKEN);
  o = run_cli (f, "upload", "--provider", "kore", "--environment", "production", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "--base-url"));
  assert_no_secret (&o, WRONG_TOKEN);
  outcome_clear (&o);

  o = run_cli (f, "--help", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "providers"));
  g_assert_nonnull (strstr (o.out, "upload"));
  outcome_clear (&o);

  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 0);
}

static void
test_server_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *good = write_png (f, "logo.png");
  g_autofree char *statement = write_file (f, "statement.pdf", PDF_HEAD, sizeof PDF_HEAD - 1, 2048);
  g_autoptr(GError) error = NULL;
  Outcome o;

  /* a refused token: 401, said with the provider's words, secret hidden */
  o = run_cli (f, "upload", "--provider", "doku", "--token", WRONG_TOKEN,
               "--field", "category=LOGO", "--json", good, NULL);
  g_assert_cmpint (o.status, ==, 1);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *line = g_ptr_array_index (lines, 0);

    g_assert_cmpuint (lines->len, ==, 1);
    g_assert_cmpstr (string_or_null (line, "status"), ==, "failed");
    g_assert_cmpint (json_object_get_int_member (line, "http_status"), ==, 401);
    g_assert_nonnull (string_or_null (line, "error"));
    g_assert_null (string_or_null (line, "id"));
  }
  assert_no_secret (&o, WRONG_TOKEN);
  outcome_clear (&o);

  /* the same, in words */
  set_env (f, "DOSSIER_TOKEN=" WRONG_TOKEN);
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", good, NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_true (g_str_has_prefix (o.out, "✗ logo.png  401"));
  assert_no_secret (&o, WRONG_TOKEN);
  outcome_clear (&o);

  /* Moov refuses the file: 422 with its request id */
  g_assert_true (dossier_sandbox_add_fault (f->sandbox, "moov/upload:status=422", &error));
  g_assert_no_error (error);
  o = run_cli (f, "upload", "--provider", "moov",
               "--field", "accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID,
               "--json", statement, NULL);
  g_assert_cmpint (o.status, ==, 1);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *line = g_ptr_array_index (lines, 0);

    g_assert_cmpstr (string_or_null (line, "status"), ==, "failed");
    g_assert_cmpint (json_object_get_int_member (line, "http_status"), ==, 422);
    g_assert_nonnull (string_or_null (line, "error"));
    g_assert_nonnull (string_or_null (line, "request_id"));
  }
  outcome_clear (&o);
}

static void
test_file_url (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *good = write_png (f, "logo.png");
  Outcome o;

  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
               "--field", "file_url=https://example.com/logo.png", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *line = g_ptr_array_index (lines, 0);

    g_assert_cmpuint (lines->len, ==, 1);
    g_assert_cmpstr (string_or_null (line, "file"), ==, "https://example.com/logo.png");
    g_assert_cmpstr (string_or_null (line, "status"), ==, "done");
    g_assert_nonnull (string_or_null (line, "id"));
    g_assert_true (json_object_get_null_member (line, "size"));
  }
  outcome_clear (&o);

  /* a file and a URL at once is one too many */
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
               "--field", "file_url=https://example.com/logo.png", good, NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);

  /* not a URL */
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
               "--field", "file_url=logo.png", NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);
}

static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *a = write_png (f, "a.png");
  g_autofree char *b = write_png (f, "b.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  Outcome o;

  /* the first answer takes long; Ctrl+C cancels both */
  g_assert_true (dossier_sandbox_add_fault (f->sandbox, "doku/upload:delay=30000", &error));
  g_assert_no_error (error);
  f->interrupt_ms = 1500;
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
               "--concurrency", "1", "--json", a, b, NULL);
  g_assert_cmpint (o.status, ==, 130);
  g_assert_nonnull (strstr (o.err, "interrupted"));

  lines = parse_lines (o.out);
  g_assert_cmpuint (lines->len, ==, 2);
  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i);

      g_assert_cmpstr (string_or_null (line, "status"), ==, "cancelled");
      g_assert_null (string_or_null (line, "id"));
    }
  outcome_clear (&o);

  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 0);
}

#define BROKEN_DESCRIPTOR \
  "{\n" \
  "  \"schema\": 1,\n" \
  "  \"id\": 42,\n" \
  "  \"name\": \"Broken\"\n" \
  "}\n"

#define GENERIC_DESCRIPTOR \
  "{\n" \
  "  \"schema\": 1,\n" \
  "  \"id\": \"acme\",\n" \
  "  \"name\": \"Acme Archive\",\n" \
  "  \"environments\": [\n" \
  "    { \"id\": \"sandbox\", \"name\": \"Sandbox\", \"base_url\": \"sandbox:/generic\" }\n" \
  "  ],\n" \
  "  \"auth\": { \"scheme\": \"none\" },\n" \
  "  \"endpoint\": { \"method\": \"POST\", \"path\": \"/upload\" },\n" \
  "  \"fields\": [\n" \
  "    { \"name\": \"folder\", \"label\": \"Folder\", \"type\": \"text\",\n" \
  "      \"location\": \"form\", \"scope\": \"document\", \"required\": true }\n" \
  "  ],\n" \
  "  \"files\": { \"part\": \"file\" },\n" \
  "  \"response\": { \"id\": [\"id\"], \"link\": [\"link\"] }\n" \
  "}\n"

static void
test_user_descriptors (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *providers = g_build_filename (f->config, "dossier", "providers", NULL);
  g_autofree char *broken = g_build_filename (providers, "broken.json", NULL);
  g_autofree char *acme = g_build_filename (providers, "acme.json", NULL);
  g_autofree char *expected = g_strdup_printf ("dossier-cli: skipped %s:3:", broken);
  g_autofree char *doc = write_file (f, "contract.bin", "ACME", 4, 70 * 1024);
  g_autoptr(GError) error = NULL;
  Outcome o;

  g_assert_cmpint (g_mkdir_with_parents (providers, 0700), ==, 0);
  g_assert_true (g_file_set_contents (broken, BROKEN_DESCRIPTOR, -1, &error));
  g_assert_true (g_file_set_contents (acme, GENERIC_DESCRIPTOR, -1, &error));
  g_assert_no_error (error);

  o = run_cli (f, "providers", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.err, expected));
  {
    g_autoptr(JsonObject) root = parse_object (o.out);
    JsonArray *list = json_object_get_array_member (root, "providers");
    JsonArray *skipped = json_object_get_array_member (root, "skipped");

    g_assert_cmpuint (json_array_get_length (list), ==, 5);
    g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  }
  outcome_clear (&o);

  /* the rest still works, the user's own provider included */
  o = run_cli (f, "upload", "--provider", "acme", "--field", "folder=contracts", "--json", doc, NULL);
  g_assert_nonnull (strstr (o.err, expected));
  check_done (f, &o, doc, "acme", TRUE);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    g_autoptr(JsonObject) record = dossier_test_find_received (f->sandbox, string_or_null (g_ptr_array_index (lines, 0), "id"));
    JsonObject *fields = json_object_get_object_member (record, "fields");

    g_assert_cmpstr (json_object_get_string_member (fields, "folder"), ==, "contracts");
  }
  outcome_clear (&o);

  /* a file that replaces a built-in provider is said */
  {
    g_autofree char *moov = g_build_filename (providers, "moov.json", NULL);
    g_autofree char *text = dossier_test_provider_data ("moov", NULL);

    g_assert_true (g_file_set_contents (moov, text, -1, &error));
    g_assert_no_error (error);
    o = run_cli (f, "providers", NULL);
    g_assert_cmpint (o.status, ==, 0);
    g_assert_nonnull (strstr (o.err, "dossier-cli: moov.json replaces the built-in Moov\n"));
    {
      g_autoptr(JsonObject) root = parse_object (o.out);
      JsonArray *notices = json_object_get_array_member (root, "notices");

      g_assert_cmpuint (json_array_get_length (notices), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (notices, 0), ==, "moov.json replaces the built-in Moov");
    }
    outcome_clear (&o);
    g_unlink (moov);
  }
}

static void
test_builtin_sandbox (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *good = write_png (f, "logo.png");
  Outcome o;

  /* no DOSSIER_SANDBOX_URL: the CLI runs a sandbox of its own */
  f->use_sandbox_url = FALSE;
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", "--json", good, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.err, "Using the built-in sandbox at http://127.0.0.1:"));
  g_assert_nonnull (strstr (o.err, "nothing leaves this machine"));
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *line = g_ptr_array_index (lines, 0);

    g_assert_cmpstr (string_or_null (line, "status"), ==, "done");
    g_assert_cmpint (json_object_get_int_member (line, "http_status"), ==, 200);
    g_assert_nonnull (string_or_null (line, "id"));
  }
  outcome_clear (&o);

  /* the test's own sandbox saw nothing */
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 0);
}

/* What was sent and what failed, from a history of its own */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *good = write_png (f, "KTP Budi.png");
  g_autofree char *logo = write_png (f, "logo.png");
  g_autofree char *state = g_build_filename (f->config, "state", NULL);
  g_autofree char *state_env = g_strconcat ("XDG_STATE_HOME=", state, NULL);
  g_autofree char *history_path = g_build_filename (state, "dossier", "history.jsonl", NULL);
  g_autofree char *remote_id = NULL;
  g_autofree char *contents = NULL;
  Outcome o;

  /* nothing yet */
  set_env (f, state_env);
  o = run_cli (f, "history", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpstr (o.out, ==, "");
  outcome_clear (&o);

  /* one sent with a pasted token, one refused */
  set_env (f, state_env);
  o = run_cli (f, "upload", "--provider", "doku", "--token", DOSSIER_SANDBOX_DOKU_TOKEN,
               "--field", "category=DOCUMENT", "--field", "code=KTP", "--json", good, NULL);
  g_assert_cmpint (o.status, ==, 0);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);

    remote_id = g_strdup (string_or_null (g_ptr_array_index (lines, 0), "id"));
  }
  outcome_clear (&o);
  set_env (f, state_env);
  o = run_cli (f, "upload", "--provider", "doku", "--token", WRONG_TOKEN,
               "--field", "category=LOGO", logo, NULL);
  g_assert_cmpint (o.status, ==, 1);
  outcome_clear (&o);

  /* newest first, as JSON Lines */
  set_env (f, state_env);
  o = run_cli (f, "history", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  assert_no_secret (&o, WRONG_TOKEN);
  assert_no_secret (&o, DOSSIER_SANDBOX_DOKU_TOKEN);
  {
    g_autoptr(GPtrArray) lines = parse_lines (o.out);
    JsonObject *failed, *sent;

    g_assert_cmpuint (lines->len, ==, 2);
    failed = g_ptr_array_index (lines, 0);
    sent = g_ptr_array_index (lines, 1);
    g_assert_false (json_object_get_boolean_member (failed, "success"));
    g_assert_cmpstr (string_or_null (failed, "file_name"), ==, "logo.png");
    g_assert_cmpint (json_object_get_int_member (failed, "http_status"), ==, 401);
    g_assert_nonnull (string_or_null (failed, "message"));
    g_assert_true (json_object_get_boolean_member (sent, "success"));
    g_assert_cmpstr (string_or_null (sent, "file_name"), ==, "KTP Budi.png");
    g_assert_cmpstr (string_or_null (sent, "remote_id"), ==, remote_id);
    g_assert_cmpstr (string_or_null (sent, "provider_id"), ==, "doku");
    g_assert_cmpstr (string_or_null (sent, "environment"), ==, "sandbox");
    g_assert_nonnull (string_or_null (sent, "link"));
    g_assert_nonnull (string_or_null (sent, "finished_at"));
  }
  outcome_clear (&o);

  /* the newest only, in words */
  set_env (f, state_env);
  o = run_cli (f, "history", "--limit", "1", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_str_has_prefix (o.out, "today "));
  g_assert_nonnull (strstr (o.out, "DOKU · sandbox  logo.png  failed (401)"));
  g_assert_null (strstr (o.out, "KTP Budi.png"));
  outcome_clear (&o);

  set_env (f, state_env);
  o = run_cli (f, "history", NULL);
  g_assert_nonnull (strstr (o.out, remote_id));
  g_assert_nonnull (strstr (o.out, "KTP Budi.png  sent"));
  outcome_clear (&o);

  set_env (f, state_env);
  o = run_cli (f, "history", "--limit", "-1", NULL);
  g_assert_cmpint (o.status, ==, 2);
  outcome_clear (&o);

  /* the file itself holds no credential */
  g_assert_true (g_file_get_contents (history_path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, WRONG_TOKEN));
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_DOKU_TOKEN));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/providers", test_providers);
  ADD ("/cli/upload/each-provider", test_upload_each_provider);
  ADD ("/cli/upload/human-output", test_human_output);
  ADD ("/cli/upload/file-url", test_file_url);
  ADD ("/cli/upload/interrupt", test_interrupt);
  ADD ("/cli/validation-failure", test_validation_failure);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/server-errors", test_server_errors);
  ADD ("/cli/user-descriptors", test_user_descriptors);
  ADD ("/cli/builtin-sandbox", test_builtin_sandbox);
  ADD ("/cli/history", test_history);

#undef ADD

  return g_test_run ();
}
