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

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

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
  char           *kill_when_recorded; /* a signal once this history has */
  guint           kill_after_started; /* … this many started lines */
  int             kill_signal;        /* … SIGINT, or 0 for SIGKILL */
  gint64          file_size_limit;    /* RLIMIT_FSIZE of the next run, 0: none */
  const char     *stdout_path;        /* stdout of the next run instead of a pipe */
  char           *state;        /* an XDG_STATE_HOME below config, */
  char           *state_env;    /* … as set_env() takes it, */
  char           *history;      /* … and the history file in it */
} Fixture;

typedef struct
{
  int        status;
  char      *out;
  char      *err;
  GPtrArray *lines;             /* out as JSON Lines, once asked for */
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->out, g_free);
  g_clear_pointer (&o->err, g_free);
  g_clear_pointer (&o->lines, g_ptr_array_unref);
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
  f->state = g_build_filename (f->config, "state", NULL);
  f->state_env = g_strconcat ("XDG_STATE_HOME=", f->state, NULL);
  f->history = g_build_filename (f->state, "dossier", "history.jsonl", NULL);
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
  g_free (f->state);
  g_free (f->state_env);
  g_free (f->history);
  g_strfreev (f->extra_env);
  g_free (f->kill_when_recorded);
}

/* In the child, before exec: files may not grow past the limit (writes
 * fail with EFBIG instead of a signal) */
static void
limit_file_size (gpointer data)
{
  struct rlimit limit;

  limit.rlim_cur = limit.rlim_max = (rlim_t) *(gint64 *) data;
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static guint
count_started_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; (p = strstr (p, "\"event\":\"started\"")) != NULL; p++)
    n++;
  return n;
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
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
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

  if (f->file_size_limit > 0)
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, &f->file_size_limit, NULL);
  if (f->stdout_path != NULL)
    {
      g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_set_stdout_file_path (launcher, f->stdout_path);
      f->stdout_path = NULL;
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  f->file_size_limit = 0;
  if (f->kill_when_recorded != NULL)
    {
      /* a wait, not a timing: the first file's line, however long it takes */
      while (count_started_lines (f->kill_when_recorded) < f->kill_after_started &&
             g_subprocess_get_identifier (process) != NULL)
        g_usleep (5 * G_TIME_SPAN_MILLISECOND);
      if (f->kill_signal != 0)
        g_subprocess_send_signal (process, f->kill_signal);
      else
        g_subprocess_force_exit (process);
      g_clear_pointer (&f->kill_when_recorded, g_free);
      f->kill_signal = 0;
    }
  /* as bytes: whether the output is UTF-8 is for the tests to check */
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (out == NULL)
    out = g_bytes_new (NULL, 0);
  o.out = g_bytes_get_size (out) > 0 ? g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out))
                                     : g_strdup ("");
  o.err = g_bytes_get_size (err) > 0 ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err))
                                     : g_strdup ("");
  /* killed: as a shell says it */
  if (g_subprocess_get_if_signaled (process))
    o.status = 128 + g_subprocess_get_term_sig (process);
  else
    o.status = g_subprocess_get_exit_status (process);

  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", o.status, o.out, o.err);
  return o;
}

/* A run's exit status and, when not %NULL, a part of what it wrote on
 * stderr; the outcome is cleared */
static void
check_exit (Outcome     o,
            int         status,
            const char *in_err)
{
  g_assert_cmpint (o.status, ==, status);
  if (in_err != NULL)
    g_assert_nonnull (strstr (o.err, in_err));
  g_free (o.out);
  g_free (o.err);
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

/* What a run printed, as JSON Lines (owned by @o) */
static GPtrArray *
outcome_lines (Outcome *o)
{
  if (o->lines == NULL)
    o->lines = parse_lines (o->out);
  return o->lines;
}

static JsonObject *
outcome_line (Outcome *o,
              guint    i)
{
  g_assert_cmpuint (i, <, outcome_lines (o)->len);
  return g_ptr_array_index (o->lines, i);
}


/* -------------------------------------------------------------------------- */
/* A provider that answers what the test says, on a thread of its own (the  */
/* test waits for the CLI synchronously)                                      */

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  guint         port;
  guint         status;
  char         *body;
} Answerer;

static void
answerer_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Answerer *a = user_data;
  g_autofree char *body = NULL;
  guint status;

  g_mutex_lock (&a->lock);
  status = a->status;
  body = g_strdup (a->body);
  g_mutex_unlock (&a->lock);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "X-Request-Id", "req-t-1");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static gpointer
answerer_thread (gpointer data)
{
  Answerer *a = data;
  g_autoptr(SoupServer) server = NULL;
  guint port;

  g_main_context_push_thread_default (a->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, answerer_cb, a, NULL);
  port = dossier_test_server_listen (server, 0);

  g_mutex_lock (&a->lock);
  a->port = port;
  g_cond_signal (&a->cond);
  g_mutex_unlock (&a->lock);

  g_main_loop_run (a->loop);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (a->context);
  return NULL;
}

static Answerer *
answerer_new (void)
{
  Answerer *a = g_new0 (Answerer, 1);

  g_mutex_init (&a->lock);
  g_cond_init (&a->cond);
  a->context = g_main_context_new ();
  a->loop = g_main_loop_new (a->context, FALSE);
  a->status = 200;
  a->body = g_strdup ("{}");
  a->thread = g_thread_new ("answerer", answerer_thread, a);

  g_mutex_lock (&a->lock);
  while (a->port == 0)
    g_cond_wait (&a->cond, &a->lock);
  g_mutex_unlock (&a->lock);

  return a;
}

static void
answerer_set (Answerer   *a,
              guint       status,
              const char *body)
{
  g_mutex_lock (&a->lock);
  a->status = status;
  g_free (a->body);
  a->body = g_strdup (body);
  g_mutex_unlock (&a->lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
answerer_free (Answerer *a)
{
  g_main_context_invoke (a->context, quit_cb, a->loop);
  g_thread_join (a->thread);
  g_main_loop_unref (a->loop);
  g_main_context_unref (a->context);
  g_mutex_clear (&a->lock);
  g_cond_clear (&a->cond);
  g_free (a->body);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answerer, answerer_free)

/* A user descriptor "answer" for @a, environment "local", bearer token */
static void
write_answer_descriptor (Fixture  *f,
                         Answerer *a)
{
  g_autofree char *providers = g_build_filename (f->config, "dossier", "providers", NULL);
  g_autofree char *path = g_build_filename (providers, "answer.json", NULL);
  g_autofree char *descriptor = dossier_test_answer_descriptor (a->port);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (providers, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, descriptor, -1, &error));
  g_assert_no_error (error);
}

static void
assert_no_control (const char *text)
{
  /* compared quietly: the text may be anything */
  g_assert_true (strchr (text, '\033') == NULL);
  g_assert_true (strchr (text, '\007') == NULL);
  g_assert_true (strstr (text, "\xc2\x9b") == NULL);
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
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *sha = NULL;
  JsonObject *line;
  const char *id;

  g_assert_cmpint (o->status, ==, 0);
  g_assert_cmpuint (outcome_lines (o)->len, ==, 1);
  line = outcome_line (o, 0);

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
    JsonObject *line = outcome_line (&o, 0);

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
    JsonObject *line = outcome_line (&o, 0);
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
    JsonObject *line = outcome_line (&o, 0);

    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
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
  check_exit (run_cli (f, "upload", "--provider", "doku", "--field", "category=SELFIE", good, NULL),
              2, NULL);

  /* a missing file */
  check_exit (run_cli (f, "upload", "--provider", "kore", "no-such-file.png", NULL),
              2, "no-such-file.png");

  /* Moov without its account */
  check_exit (run_cli (f, "upload", "--provider", "moov", good, NULL), 2, "Account ID");

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

  check_exit (run_cli (f, "upload", "--provider", "doku", "--field", "category", good, NULL),
              2, NULL);

  check_exit (run_cli (f, "upload", "--field", "category=LOGO", good, NULL),
              2, "--provider");

  check_exit (run_cli (f, "upload", "--provider", "acme", good, NULL), 2, "receeve");

  check_exit (run_cli (f, "upload", "--provider", "kore", "--environment", "test", good, NULL),
              2, "sandbox, production");

  check_exit (run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", NULL),
              2, NULL);

  check_exit (run_cli (f, "upload", "--provider", "doku", "--concurrency", "9", good, NULL),
              2, NULL);

  /* 0 is not a number of files at once either, nor a way to ask for the default */
  check_exit (run_cli (f, "upload", "--provider", "doku", "--concurrency", "0", good, NULL),
              2, "--concurrency must be from 1 to 8");
  check_exit (run_cli (f, "upload", "--provider", "doku", "--concurrency", "-1", good, NULL),
              2, "--concurrency must be from 1 to 8");

  check_exit (run_cli (f, "frobnicate", NULL), 2, NULL);

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
  check_exit (run_cli (f, "upload", "--provider", "doku", "--environment", "production",
                         "--field", "category=LOGO", good, NULL),
              2, "DOSSIER_TOKEN");

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
    JsonObject *line = outcome_line (&o, 0);

    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
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
  g_assert_true (g_str_has_prefix (o.out, "✗ logo.png  DOKU refused the token (401): "));
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
    JsonObject *line = outcome_line (&o, 0);

    g_assert_cmpstr (string_or_null (line, "status"), ==, "failed");
    g_assert_cmpint (json_object_get_int_member (line, "http_status"), ==, 422);
    g_assert_nonnull (string_or_null (line, "error"));
    g_assert_nonnull (string_or_null (line, "request_id"));
  }
  outcome_clear (&o);

  /* in words: the sentence the upload page and the history show */
  g_assert_true (dossier_sandbox_add_fault (f->sandbox, "moov/upload:status=422", &error));
  g_assert_no_error (error);
  o = run_cli (f, "upload", "--provider", "moov",
               "--field", "accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, statement, NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.out, "  Moov refused the file (422): "));
  g_assert_nonnull (strstr (o.out, "; request id "));
  outcome_clear (&o);
}

/* Stored, then the answer lost: "unknown", its own exit status, in words */
static void
test_outcome_unknown (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *good = write_png (f, "logo.png");
  Outcome o;

  dossier_test_add_fault (f->sandbox, "kore/upload:store-drop");
  o = run_cli (f, "upload", "--provider", "kore", "--json", good, NULL);
  g_assert_cmpint (o.status, ==, 3);
  {
    JsonObject *line = outcome_line (&o, 0);

    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
    g_assert_cmpstr (string_or_null (line, "status"), ==, "unknown");
    g_assert_cmpstr (string_or_null (line, "error"), ==,
                     "The connection broke after the file was sent; it may have arrived: "
                     "check before sending again");
  }
  outcome_clear (&o);
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, "upload", NULL), ==, 1);

  dossier_test_add_fault (f->sandbox, "kore/upload:store-fail,status=502");
  o = run_cli (f, "upload", "--provider", "kore", good, NULL);
  g_assert_cmpint (o.status, ==, 3);
  g_assert_true (g_str_has_prefix (o.out, "? logo.png  outcome unknown: Kore.ai’s gateway answered 502"));
  outcome_clear (&o);
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, "upload", NULL), ==, 2);
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
    JsonObject *line = outcome_line (&o, 0);

    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
    g_assert_cmpstr (string_or_null (line, "file"), ==, "https://example.com/logo.png");
    g_assert_cmpstr (string_or_null (line, "status"), ==, "done");
    g_assert_nonnull (string_or_null (line, "id"));
    g_assert_true (json_object_get_null_member (line, "size"));
  }
  outcome_clear (&o);

  /* a file and a URL at once is one too many */
  check_exit (run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
                         "--field", "file_url=https://example.com/logo.png", good, NULL),
              2, NULL);

  /* not a URL */
  check_exit (run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
                         "--field", "file_url=logo.png", NULL),
              2, NULL);
}

/* The files of a history --unsent --json run, by file name: its state */
static GHashTable *
run_unsent (Fixture *f)
{
  GHashTable *states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) lines = NULL;
  Outcome o;

  set_env (f, f->state_env);
  o = run_cli (f, "history", "--unsent", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  lines = parse_lines (o.out);
  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i);

      /* enough to send it again */
      g_assert_nonnull (string_or_null (line, "path"));
      g_assert_cmpstr (string_or_null (line, "provider_id"), ==, "doku");
      g_assert_true (json_object_has_member (line, "values"));
      g_hash_table_insert (states, g_strdup (string_or_null (line, "file_name")),
                           g_strdup (string_or_null (line, "state")));
    }
  outcome_clear (&o);

  return states;
}

static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *a = write_png (f, "a.png");
  g_autofree char *b = write_png (f, "b.png");
  g_autoptr(GError) error = NULL;
  Outcome o;

  /* the first answer takes long; Ctrl+C, once the first upload has
   * started, cancels both: the first one, when it was sent whole by then,
   * may have arrived */
  g_assert_true (dossier_sandbox_add_fault (f->sandbox, "doku/upload:delay=30000", &error));
  g_assert_no_error (error);
  f->kill_when_recorded = g_strdup (f->history);
  f->kill_after_started = 1;
  f->kill_signal = SIGINT;
  set_env (f, f->state_env);
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
               "--concurrency", "1", "--json", a, b, NULL);
  g_assert_cmpint (o.status, ==, 130);
  g_assert_nonnull (strstr (o.err, "interrupted"));

  g_assert_cmpuint (outcome_lines (&o)->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *line = outcome_line (&o, i);

      const char *status = string_or_null (line, "status");

      if (i == 0 && g_strcmp0 (status, "unknown") == 0)
        g_assert_nonnull (strstr (string_or_null (line, "error"), "it may have arrived"));
      else
        g_assert_cmpstr (status, ==, "cancelled");
      g_assert_null (string_or_null (line, "id"));
    }
  outcome_clear (&o);

  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 0);

  /* the record: b never started; a was cancelled while it was being sent */
  {
    g_autoptr(GHashTable) states = run_unsent (f);

    g_assert_cmpuint (g_hash_table_size (states), ==, 2);
    g_assert_cmpstr (g_hash_table_lookup (states, "b.png"), ==, "not-sent");
    g_assert_true (g_hash_table_contains (states, "a.png"));
  }
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
    g_autoptr(JsonObject) record = dossier_test_find_received (f->sandbox, string_or_null (outcome_line (&o, 0), "id"));
    JsonObject *fields = json_object_get_object_member (record, "fields");

    g_assert_cmpstr (json_object_get_string_member (fields, "folder"), ==, "contracts");
  }
  outcome_clear (&o);

  /* upload --help describes the fields from the catalogue, the user's own
   * provider's too, with an example that fills its required field */
  o = run_cli (f, "upload", "--help", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "    acme (Acme Archive)\n"
                                   "      folder           Folder; required\n"));
  g_assert_nonnull (strstr (o.out, "      filePurpose      File purpose: 6 choices; required\n"));
  g_assert_nonnull (strstr (o.out, "  dossier-cli upload -p acme -f folder=FOLDER FILE…\n"));
  g_assert_nonnull (strstr (o.out, "  dossier-cli upload -p moov -f accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID " FILE…\n"));
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
    JsonObject *line = outcome_line (&o, 0);

    g_assert_cmpstr (string_or_null (line, "status"), ==, "done");
    g_assert_cmpint (json_object_get_int_member (line, "http_status"), ==, 200);
    g_assert_nonnull (string_or_null (line, "id"));
  }
  outcome_clear (&o);

  /* the test's own sandbox saw nothing */
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 0);
}

/* The built-in sandbox cannot store anything (neither $XDG_RUNTIME_DIR nor
 * the cache folder can hold a folder): the CLI says so and fails, it does
 * not abort */
static void
test_builtin_sandbox_no_storage (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *good = write_png (f, "logo.png");
  g_autofree char *file = g_build_filename (f->dir, "not-a-folder", NULL);
  g_autofree char *runtime_env = g_strconcat ("XDG_RUNTIME_DIR=", file, NULL);
  g_autofree char *cache_env = g_strconcat ("XDG_CACHE_HOME=", file, NULL);
  Outcome o;

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  f->use_sandbox_url = FALSE;
  set_env (f, runtime_env);
  set_env (f, cache_env);
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", good, NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.err, "could not start the built-in sandbox: "
                                   "Could not create the sandbox’s storage folder "));
  g_assert_nonnull (strstr (o.err, "not-a-folder/dossier/sandbox: Not a directory"));
  outcome_clear (&o);
  g_unlink (file);
}

/* What was sent and what failed, from a history of its own */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *good = write_png (f, "KTP Budi.png");
  g_autofree char *logo = write_png (f, "logo.png");
  g_autofree char *remote_id = NULL;
  g_autofree char *contents = NULL;
  Outcome o;

  /* nothing yet */
  set_env (f, f->state_env);
  o = run_cli (f, "history", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpstr (o.out, ==, "");
  outcome_clear (&o);

  /* one sent with a pasted token, one refused */
  set_env (f, f->state_env);
  o = run_cli (f, "upload", "--provider", "doku", "--token", DOSSIER_SANDBOX_DOKU_TOKEN,
               "--field", "category=DOCUMENT", "--field", "code=KTP", "--json", good, NULL);
  g_assert_cmpint (o.status, ==, 0);
  {
    remote_id = g_strdup (string_or_null (outcome_line (&o, 0), "id"));
  }
  outcome_clear (&o);
  set_env (f, f->state_env);
  check_exit (run_cli (f, "upload", "--provider", "doku", "--token", WRONG_TOKEN,
                         "--field", "category=LOGO", logo, NULL),
              1, NULL);

  /* newest first, as JSON Lines */
  set_env (f, f->state_env);
  o = run_cli (f, "history", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  assert_no_secret (&o, WRONG_TOKEN);
  assert_no_secret (&o, DOSSIER_SANDBOX_DOKU_TOKEN);
  {
    JsonObject *failed, *sent;

    g_assert_cmpuint (outcome_lines (&o)->len, ==, 2);
    failed = outcome_line (&o, 0);
    sent = outcome_line (&o, 1);
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
  set_env (f, f->state_env);
  o = run_cli (f, "history", "--limit", "1", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_str_has_prefix (o.out, "today "));
  g_assert_nonnull (strstr (o.out, "DOKU · sandbox  logo.png  failed: DOKU refused the token (401)"));
  g_assert_null (strstr (o.out, "KTP Budi.png"));
  outcome_clear (&o);

  set_env (f, f->state_env);
  o = run_cli (f, "history", NULL);
  g_assert_nonnull (strstr (o.out, remote_id));
  g_assert_nonnull (strstr (o.out, "KTP Budi.png  sent"));
  outcome_clear (&o);

  set_env (f, f->state_env);
  check_exit (run_cli (f, "history", "--limit", "-1", NULL), 2, NULL);

  /* the file itself holds no credential */
  g_assert_true (g_file_get_contents (f->history, &contents, NULL, NULL));
  g_assert_null (strstr (contents, WRONG_TOKEN));
  g_assert_null (strstr (contents, DOSSIER_SANDBOX_DOKU_TOKEN));
}


/* A one-letter token does not turn every "t" into a mask; a long one that
 * the provider echoes is masked in the output and the history */
static void
test_secret_masking (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Answerer) a = answerer_new ();
  g_autofree char *png = write_png (f, "tt.png");
  g_autofree char *contents = NULL;
  Outcome o;

  write_answer_descriptor (f, a);

  /* accepted: the id, link and request id come back whole */
  answerer_set (a, 200, "{ \"id\": \"txt-t-1\", \"link\": \"http://127.0.0.1/t/txt-t-1\" }");
  set_env (f, f->state_env);
  o = run_cli (f, "upload", "-p", "answer", "-e", "local", "--token", "t", png, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "✓ tt.png  id txt-t-1  link http://127.0.0.1/t/txt-t-1"));
  g_assert_null (strstr (o.out, "**"));
  g_assert_null (strstr (o.out, "[hidden]"));
  outcome_clear (&o);

  /* refused: the provider's words, whole */
  answerer_set (a, 400, "{ \"message\": \"that token is not valid\" }");
  set_env (f, f->state_env);
  o = run_cli (f, "upload", "-p", "answer", "-e", "local", "--token", "t", "--json", png, NULL);
  g_assert_cmpint (o.status, ==, 1);
  {
    JsonObject *line = outcome_line (&o, 0);

    g_assert_cmpstr (string_or_null (line, "error"), ==, "that token is not valid");
    g_assert_cmpstr (string_or_null (line, "request_id"), ==, "req-t-1");
  }
  outcome_clear (&o);

  set_env (f, f->state_env);
  o = run_cli (f, "history", NULL);
  g_assert_nonnull (strstr (o.out, "tt.png  failed: Answer refused the file (400): that token is not valid; request id req-t-1"));
  g_assert_nonnull (strstr (o.out, "tt.png  sent  txt-t-1  http://127.0.0.1/t/txt-t-1"));
  outcome_clear (&o);

  /* a long token echoed back: masked on the terminal, in JSON, in the history */
  answerer_set (a, 401, "{ \"message\": \"token " WRONG_TOKEN " is not valid\" }");
  set_env (f, f->state_env);
  set_env (f, "DOSSIER_TOKEN=" WRONG_TOKEN);
  o = run_cli (f, "upload", "-p", "answer", "-e", "local", png, NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.out, "token [hidden] is not valid"));
  assert_no_secret (&o, WRONG_TOKEN);
  outcome_clear (&o);

  set_env (f, f->state_env);
  set_env (f, "DOSSIER_TOKEN=" WRONG_TOKEN);
  o = run_cli (f, "upload", "-p", "answer", "-e", "local", "--json", png, NULL);
  g_assert_nonnull (strstr (o.out, "token [hidden] is not valid"));
  assert_no_secret (&o, WRONG_TOKEN);
  outcome_clear (&o);

  g_assert_true (g_file_get_contents (f->history, &contents, NULL, NULL));
  g_assert_true (strstr (contents, WRONG_TOKEN) == NULL);
  g_assert_nonnull (strstr (contents, "token [hidden] is not valid"));
  g_assert_nonnull (strstr (contents, "txt-t-1"));
}

/* Escape sequences from a provider and in a file name never reach the
 * terminal raw */
static void
test_terminal_injection (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Answerer) a = answerer_new ();
  g_autofree char *png = write_png (f, "evil\033]0;name\007\033[2J.png");
  g_autofree char *pdf = write_file (f, "evil\033[31m.pdf", PDF_HEAD, sizeof PDF_HEAD - 1, 2048);
  Outcome o;

  write_answer_descriptor (f, a);
  answerer_set (a, 400, "{ \"message\": \"\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31mred\\nline\","
                        "  \"id\": \"\\u001b[1mid\" }");

  /* the provider's message and the file name, in words */
  set_env (f, f->state_env);
  o = run_cli (f, "upload", "-p", "answer", "-e", "local", "--token", WRONG_TOKEN, png, NULL);
  g_assert_cmpint (o.status, ==, 1);
  assert_no_control (o.out);
  assert_no_control (o.err);
  g_assert_nonnull (strstr (o.out, "evil\\x1B]0;name\\x07\\x1B[2J.png"));
  g_assert_nonnull (strstr (o.out, "\\x1B]0;pwned\\x07\\x1B[2J\\u009B31mred\\nline"));
  outcome_clear (&o);

  /* in JSON: escaped the JSON way */
  set_env (f, f->state_env);
  o = run_cli (f, "upload", "-p", "answer", "-e", "local", "--token", WRONG_TOKEN, "--json", png, NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_true (strchr (o.out, '\033') == NULL);
  g_assert_true (strchr (o.out, '\007') == NULL);
  {
    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
    g_assert_cmpstr (string_or_null (outcome_line (&o, 0), "error"), ==,
                     "\033]0;pwned\007\033[2J\xc2\x9b" "31mred\nline");
  }
  outcome_clear (&o);

  /* what the history kept */
  set_env (f, f->state_env);
  o = run_cli (f, "history", NULL);
  assert_no_control (o.out);
  assert_no_control (o.err);
  g_assert_nonnull (strstr (o.out, "pwned"));
  outcome_clear (&o);

  /* a file refused before sending: named on stderr */
  o = run_cli (f, "upload", "-p", "doku", "-f", "category=LOGO", pdf, NULL);
  g_assert_cmpint (o.status, ==, 2);
  assert_no_control (o.out);
  assert_no_control (o.err);
  g_assert_nonnull (strstr (o.err, "evil\\x1B[31m.pdf"));
  outcome_clear (&o);
}

/* With G_MESSAGES_DEBUG set, GLib's debug lines go to stderr: stdout stays
 * JSON Lines */
static void
test_debug_messages (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *png = write_png (f, "logo.png");
  Outcome o;

  set_env (f, "G_MESSAGES_DEBUG=all");
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", "--json", png, NULL);
  g_assert_cmpint (o.status, ==, 0);
  /* the debug lines are there, on stderr */
  g_assert_nonnull (strstr (o.err, "-DEBUG: "));
  g_assert_null (strstr (o.out, "-DEBUG: "));
  {
    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
    g_assert_cmpstr (string_or_null (outcome_line (&o, 0), "status"), ==, "done");
  }
  outcome_clear (&o);
}


/* A folder: its subfolders are sent too, and what is left out is said */
static void
test_folder_entries (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "scans", NULL);
  g_autofree char *sub = g_build_filename (folder, "more", NULL);
  g_autofree char *pipe = g_build_filename (folder, "pipe", NULL);
  g_autofree char *broken = g_build_filename (folder, "broken.png", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *expected_b = NULL;
  Outcome o;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  a = write_png (f, "scans/a.png");
  b = write_png (f, "scans/more/b.png");
  hidden = write_png (f, "scans/.thumb.png");
  g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
  g_assert_cmpint (symlink ("nowhere.png", broken), ==, 0);

  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
               "--concurrency", "1", "--json", folder, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.err, "dossier-cli: skipped “pipe”: not a regular file\n"));
  g_assert_nonnull (strstr (o.err, "dossier-cli: skipped “broken.png”: the link points nowhere\n"));
  g_assert_nonnull (strstr (o.err, "dossier-cli: skipped “.thumb.png”: hidden\n"));
  {
    g_assert_cmpuint (outcome_lines (&o)->len, ==, 2);
    g_assert_cmpstr (string_or_null (outcome_line (&o, 0), "file"), ==, a);
    g_assert_cmpstr (string_or_null (outcome_line (&o, 1), "file"), ==, b);
    g_assert_cmpstr (string_or_null (outcome_line (&o, 1), "status"), ==, "done");
  }
  outcome_clear (&o);
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 2);

  /* a folder of nothing to send: said, and why */
  g_assert_cmpint (g_unlink (a), ==, 0);
  g_assert_cmpint (g_unlink (b), ==, 0);
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", folder, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "dossier-cli: skipped “pipe”: not a regular file\n"));
  expected_b = g_strdup_printf ("the folder “%s” has no files", folder);
  g_assert_nonnull (strstr (o.err, expected_b));
  outcome_clear (&o);
}


/* A file name that is not UTF-8: checked by its bytes, sent under the name
 * people see (U+FFFD for the byte that is not UTF-8), and JSON stays UTF-8 */
static void
test_non_utf8_name (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *png = write_png (f, "ktp-\xff.png");
  g_autofree char *shown = g_build_filename (f->dir, "ktp-\xef\xbf\xbd.png", NULL);
  g_autofree char *bytes = g_uri_escape_string (png, "/", TRUE);
  Outcome o;

  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=DOCUMENT",
               "--field", "code=KTP", "--json", png, NULL);
  g_assert_true (g_utf8_validate (o.out, -1, NULL));
  g_assert_true (g_utf8_validate (o.err, -1, NULL));
  g_assert_cmpint (o.status, ==, 0);
  g_assert_null (strstr (o.err, "ENCODING"));
  {
    JsonObject *line = outcome_line (&o, 0);
    g_autoptr(JsonObject) record = NULL;

    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
    g_assert_cmpstr (string_or_null (line, "status"), ==, "done");
    g_assert_cmpstr (string_or_null (line, "file"), ==, shown);
    g_assert_cmpstr (string_or_null (line, "file_bytes"), ==, bytes);
    g_assert_nonnull (strstr (bytes, "/ktp-%FF.png"));
    record = dossier_test_find_received (f->sandbox, string_or_null (line, "id"));
    g_assert_cmpstr (json_object_get_string_member (record, "file_name"), ==, "ktp-\xef\xbf\xbd.png");
  }
  outcome_clear (&o);

  /* in words */
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=DOCUMENT",
               "--field", "code=KTP", png, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_utf8_validate (o.out, -1, NULL));
  g_assert_true (g_str_has_prefix (o.out, "✓ ktp-\xef\xbf\xbd.png  id "));
  outcome_clear (&o);

  /* a valid name has no "file_bytes" */
  {
    g_autofree char *plain = write_png (f, "logo.png");

    o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", "--json", plain, NULL);
    g_assert_cmpint (o.status, ==, 0);
    g_assert_null (string_or_null (outcome_line (&o, 0), "file_bytes"));
    outcome_clear (&o);
  }
}

/* a.png, b.png and c.png written and sent one by one, the CLI killed on its
 * way (SIGKILL, when f->kill_when_recorded or DOSSIER_TEST_KILL_AFTER_RECORD
 * say) */
static void
run_killed_batch (Fixture *f)
{
  g_autofree char *a = write_png (f, "a.png");
  g_autofree char *b = write_png (f, "b.png");
  g_autofree char *c = write_png (f, "c.png");
  Outcome o;

  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO",
               "--concurrency", "1", "--json", a, b, c, NULL);
  g_assert_cmpint (o.status, ==, 128 + SIGKILL);
  outcome_clear (&o);
}

/* What the record says after a killed batch: a.png was sent, b.png is
 * @b_state, c.png was not sent */
static void
assert_unsent_after_kill (Fixture    *f,
                          const char *b_state)
{
  g_autoptr(GHashTable) states = run_unsent (f);

  g_assert_cmpuint (g_hash_table_size (states), ==, 2);
  g_assert_false (g_hash_table_contains (states, "a.png"));
  g_assert_cmpstr (g_hash_table_lookup (states, "b.png"), ==, b_state);
  g_assert_cmpstr (g_hash_table_lookup (states, "c.png"), ==, "not-sent");
}

/* A batch killed (SIGKILL: no handler runs) right after its first file was
 * recorded sent: the record says what was not sent */
static void
test_killed_batch (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *b = g_build_filename (f->dir, "b.png", NULL);
  g_autofree char *c = g_build_filename (f->dir, "c.png", NULL);
  g_autoptr(GHashTable) states = NULL;
  Outcome o;

  /* the process kills itself the moment the first file's line is written */
  set_env (f, f->state_env);
  set_env (f, "DOSSIER_TEST_KILL_AFTER_RECORD=finished");
  run_killed_batch (f);
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), ==, 1);

  assert_unsent_after_kill (f, "not-sent");

  /* in words, with how to send them again */
  set_env (f, f->state_env);
  o = run_cli (f, "history", "--unsent", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "not sent  doku · sandbox  "));
  g_assert_nonnull (strstr (o.out, "b.png  category=LOGO"));
  g_assert_null (strstr (o.out, "a.png"));
  outcome_clear (&o);

  /* --limit keeps the newest */
  set_env (f, f->state_env);
  o = run_cli (f, "history", "--unsent", "--limit", "1", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "c.png  category=LOGO"));
  g_assert_null (strstr (o.out, "b.png"));
  outcome_clear (&o);

  /* sent again: nothing left */
  set_env (f, f->state_env);
  check_exit (run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", b, c, NULL),
              0, NULL);
  states = run_unsent (f);
  g_assert_cmpuint (g_hash_table_size (states), ==, 0);
}

/* Killed from outside (SIGKILL) while the second file is in flight, its
 * answer held back: that one "may have been sent", the third was not */
static void
test_killed_in_flight (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Outcome o;

  /* the first answer at once, the next held for a minute */
  g_assert_true (dossier_sandbox_add_fault (f->sandbox, "doku/upload:delay=1,times=1", &error));
  g_assert_true (dossier_sandbox_add_fault (f->sandbox, "doku/upload:delay=60000,times=5", &error));
  g_assert_no_error (error);

  set_env (f, f->state_env);
  f->kill_when_recorded = g_strdup (f->history);
  f->kill_after_started = 2;
  run_killed_batch (f);

  /* a was sent (the second start comes after its answer) */
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, NULL, NULL), >=, 1);
  assert_unsent_after_kill (f, "may-have-been-sent");

  /* in words: apart, with a warning */
  set_env (f, f->state_env);
  o = run_cli (f, "history", "--unsent", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "may have been sent  doku · sandbox  "));
  g_assert_nonnull (strstr (o.err, "check with the provider before sending them again"));
  outcome_clear (&o);
}

static gboolean
all_lines_parse (const char *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint n = g_strv_length (lines);

  /* whole lines only: the last piece is empty */
  if (n == 0 || *lines[n - 1] != '\0')
    return FALSE;
  for (guint i = 0; i + 1 < n; i++)
    if (!json_parser_load_from_data (parser, lines[i], -1, NULL))
      return FALSE;
  return TRUE;
}

/* The disk fills up (files may not grow): the upload goes, the history
 * cannot record it; the user is told what was sent and the exit status
 * says it; what was recorded before is intact, no cut line */
static void
test_history_full (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = write_png (f, "a.png");
  g_autofree char *b = write_png (f, "b.png");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0;
  Outcome o;

  set_env (f, f->state_env);
  check_exit (run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", a, NULL),
              0, NULL);
  g_assert_true (g_file_get_contents (f->history, &before, &before_len, NULL));

  /* room for part of a line only */
  set_env (f, f->state_env);
  f->file_size_limit = before_len + 40;
  o = run_cli (f, "upload", "--provider", "doku", "--field", "category=LOGO", "--json", b, NULL);
  g_assert_cmpint (o.status, ==, 4);
  g_assert_nonnull (strstr (o.err, "Could not record the upload of “b.png” in the history: "));
  g_assert_nonnull (strstr (o.err, g_strerror (EFBIG)));
  g_assert_nonnull (strstr (o.err, "; it was sent, id "));
  {
    g_assert_cmpstr (string_or_null (outcome_line (&o, 0), "status"), ==, "done");
    g_assert_nonnull (strstr (o.err, string_or_null (outcome_line (&o, 0), "id")));
  }
  outcome_clear (&o);

  g_assert_true (g_file_get_contents (f->history, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  g_assert_true (all_lines_parse (after));

  /* the first upload is still there */
  set_env (f, f->state_env);
  o = run_cli (f, "history", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  {
    g_assert_cmpuint (outcome_lines (&o)->len, ==, 1);
    g_assert_cmpstr (string_or_null (outcome_line (&o, 0), "file_name"), ==, "a.png");
  }
  outcome_clear (&o);
}

/* Output that cannot be written (here: a full disk) is a failure, said in
 * words: a script must not take a lost answer for an empty one */
static void
test_output_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *png = write_png (f, "full.png");
  g_autofree char *state = g_build_filename (f->config, "state", NULL);
  g_autofree char *state_env = g_strconcat ("XDG_STATE_HOME=", state, NULL);
  Outcome o;

  /* a short output, written only when the program ends */
  f->stdout_path = "/dev/full";
  o = run_cli (f, "--version", NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.err, "dossier-cli: could not write the output: No space left on device"));
  outcome_clear (&o);

  /* a long one */
  f->stdout_path = "/dev/full";
  o = run_cli (f, "providers", NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.err, "could not write the output: No space left on device"));
  outcome_clear (&o);

  /* the file was sent: its line is lost, the history has it */
  set_env (f, state_env);
  f->stdout_path = "/dev/full";
  o = run_cli (f, "upload", "-p", "doku", "-f", "category=LOGO", "--json", png, NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.err, "could not write the output: No space left on device"));
  outcome_clear (&o);

  set_env (f, state_env);
  f->stdout_path = "/dev/full";
  o = run_cli (f, "history", "--json", NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.err, "could not write the output: No space left on device"));
  outcome_clear (&o);

  set_env (f, state_env);
  o = run_cli (f, "history", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "full.png  sent"));
  g_assert_true (g_str_equal (o.err, ""));
  outcome_clear (&o);
}

/* -------------------------------------------------------------------------- */
/* Merchants                                                                  */

/* The next run keeps its merchants in the fixture's folder (and its
 * history in the fixture's state folder) */
static void
use_merchants (Fixture *f)
{
  g_autofree char *data = g_strconcat ("XDG_DATA_HOME=", f->config, "/data", NULL);

  set_env (f, data);
  set_env (f, f->state_env);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* "merchant add" and the id it printed */
static char *
add_merchant (Fixture    *f,
              const char *name,
              const char *reference)
{
  Outcome o;
  char *id;

  use_merchants (f);
  if (reference != NULL)
    o = run_cli (f, "merchant", "add", name, "--reference", reference, NULL);
  else
    o = run_cli (f, "merchant", "add", name, NULL);
  g_assert_cmpint (o.status, ==, 0);
  id = g_strstrip (g_strdup (o.out));
  g_assert_true (g_uuid_string_is_valid (id));
  outcome_clear (&o);
  return id;
}

static void
test_merchant_records (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *makmur = add_merchant (f, "Toko Makmur", "CASE-1");
  g_autofree char *jaya = add_merchant (f, "Toko Makmur Jaya", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  JsonObject *object;
  Outcome o;

  /* list: sorted by name, as JSON and as lines */
  use_merchants (f);
  o = run_cli (f, "merchant", "list", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, makmur);
  g_assert_cmpstr (json_object_get_string_member (object, "reference"), ==, "CASE-1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "name"), ==,
                   "Toko Makmur Jaya");
  g_clear_pointer (&node, json_node_unref);
  outcome_clear (&o);

  /* a name with control characters never reaches the terminal raw */
  {
    g_autofree char *evil = add_merchant (f, "Warung \033[2J\033]0;owned\007", NULL);

    use_merchants (f);
    o = run_cli (f, "merchant", "list", "--search", "warung", NULL);
    g_assert_cmpint (o.status, ==, 0);
    g_assert_nonnull (strstr (o.out, evil));
    g_assert_null (strchr (o.out, '\033'));
    g_assert_null (strchr (o.out, '\007'));
    outcome_clear (&o);
  }

  use_merchants (f);
  o = run_cli (f, "merchant", "list", "--search", "jaya", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, jaya));
  g_assert_null (strstr (o.out, makmur));
  outcome_clear (&o);

  /* a name that names both: ambiguous, the candidates listed */
  use_merchants (f);
  o = run_cli (f, "merchant", "show", "toko", NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "“toko” matches 2 merchants; give one of their ids:"));
  g_assert_nonnull (strstr (o.err, makmur));
  g_assert_nonnull (strstr (o.err, jaya));
  outcome_clear (&o);

  use_merchants (f);
  check_exit (run_cli (f, "merchant", "show", "Warung Sepi", NULL), 2,
              "no merchant “Warung Sepi” (see “dossier-cli merchant list”)");

  /* the exact name, the reference and the id each name one */
  use_merchants (f);
  o = run_cli (f, "merchant", "show", "toko makmur", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, makmur));
  outcome_clear (&o);

  /* an invalid value: said, and nothing saved */
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-1", "--provider", "moov", "--field", "accountID=not-a-uuid",
                       NULL), 2, "Account ID (accountID): ");
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-1", "--provider", "moov", "--field", "token=x", NULL), 2,
              "“token” is not an account value of Moov");
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-1", "--provider", "doku", "--field", "businessType=SHOP",
                       NULL), 2, "Business type (businessType): ");
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-1", "--field", "accountID=x", NULL), 2,
              "--field needs --provider");
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-1", "--provider", "nope", NULL), 2, "unknown provider “nope”");
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "frobnicate", NULL), 2, "unknown merchant command “frobnicate”");

  /* DOKU's requirement values are account values */
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", makmur, "--provider", "doku", "--field", "businessType=PERSONAL",
                       "--field", "businessLegalEntity=PERSEORANGAN", "--notes", "Owner: Budi", NULL), 0, NULL);

  use_merchants (f);
  o = run_cli (f, "merchant", "show", "CASE-1", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "notes"), ==, "Owner: Budi");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (object, "accounts"), "doku"), "businessType"), ==, "PERSONAL");
  g_assert_false (json_object_has_member (json_object_get_object_member (object, "accounts"), "moov"));
  array = json_object_get_array_member (json_object_get_object_member (object, "missing"), "doku");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "brandBusinessLine");
  array = json_object_get_array_member (json_object_get_object_member (object, "missing"), "moov");
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "accountID");
  outcome_clear (&o);
}

/* The checklist of a merchant, asked from the sandbox: DOKU's signed File
 * Requirements and Moov's capabilities, as JSON */
static void
test_checklist_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = add_merchant (f, "Toko Makmur", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *checklists;
  JsonObject *doku, *moov;
  gboolean ktp = FALSE, business = FALSE;
  Outcome o;

  /* a value missing: said, with how to give it */
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", id, "--provider", "doku", "--field", "businessType=PERSONAL", NULL),
              0, NULL);
  use_merchants (f);
  check_exit (run_cli (f, "checklist", id, "--provider", "doku", NULL), 2,
              "Toko Makmur has no Legal entity for DOKU");

  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", id, "--provider", "doku", "--field", "businessLegalEntity=PERSEORANGAN",
                       "--field", "brandBusinessLine=RETAIL", "--field", "businessContactNationality=ID", NULL), 0, NULL);
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", id, "--provider", "moov",
                       "--field", "accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, NULL), 0, NULL);

  use_merchants (f);
  o = run_cli (f, "checklist", "Toko Makmur", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "merchant"), ==, id);
  checklists = json_object_get_array_member (json_node_get_object (node), "checklists");
  g_assert_cmpuint (json_array_get_length (checklists), ==, 2);
  doku = json_array_get_object_element (checklists, 0);
  moov = json_array_get_object_element (checklists, 1);
  g_assert_cmpstr (json_object_get_string_member (doku, "provider"), ==, "doku");
  g_assert_cmpstr (json_object_get_string_member (moov, "provider"), ==, "moov");
  g_assert_true (json_object_get_null_member (doku, "error"));
  g_assert_false (json_object_get_boolean_member (moov, "cached"));
  g_assert_cmpint (json_object_get_int_member (moov, "missing"), ==, 4);

  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (doku, "items")); i++)
    {
      JsonObject *item = json_array_get_object_element (json_object_get_array_member (doku, "items"), i);

      if (g_strcmp0 (json_object_get_string_member (item, "requirement_id"), "KTP") != 0)
        continue;
      ktp = TRUE;
      g_assert_cmpstr (json_object_get_string_member (item, "state"), ==, "missing");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "fields"), "code"), ==,
                       "KTP");
    }
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (moov, "items")); i++)
    {
      JsonObject *item = json_array_get_object_element (json_object_get_array_member (moov, "items"), i);

      if (g_strcmp0 (json_object_get_string_member (item, "requirement_id"), "document.business.verification") != 0)
        continue;
      business = TRUE;
      g_assert_cmpstr (json_object_get_string_member (item, "label"), ==, "Business verification document");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "fields"),
                                                      "filePurpose"), ==, "business_verification");
    }
  g_assert_true (ktp);
  g_assert_true (business);
  assert_no_secret (&o, DOSSIER_SANDBOX_DOKU_SECRET_KEY);
  outcome_clear (&o);

  use_merchants (f);
  check_exit (run_cli (f, "checklist", id, "--provider", "moov", "--environment", "nowhere", NULL), 2,
              "Moov has no environment “nowhere”");

  /* refused credentials: the provider's words, exit 1 */
  use_merchants (f);
  set_env (f, "DOSSIER_CLIENT_ID=" DOSSIER_SANDBOX_DOKU_CLIENT_ID);
  set_env (f, "DOSSIER_CLIENT_SECRET=" WRONG_TOKEN);
  o = run_cli (f, "checklist", id, "--provider", "doku", NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_assert_nonnull (strstr (o.err, "Could not ask DOKU what it still needs: DOKU refused the credentials (401"));
  assert_no_secret (&o, WRONG_TOKEN);
  outcome_clear (&o);
}

/* upload --merchant takes the account values from the record; a --field
 * wins; the checklist then shows the document pending */
static void
test_upload_merchant (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = add_merchant (f, "Apotek Sehat", "CASE-9");
  g_autofree char *invoice = write_file (f, "invoice.pdf", PDF_HEAD, sizeof PDF_HEAD - 1, 10 * 1024);
  g_autofree char *scan = write_png (f, "business.png");
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;
  gboolean pending = FALSE;
  Outcome o;

  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-9", "--provider", "receeve",
                       "--field", "clientId=acme-instance", "--field", "accountId=ACC-7", NULL), 0, NULL);
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-9", "--provider", "moov",
                       "--field", "accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, NULL), 0, NULL);

  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", "Apotek Sehat", "--provider", "receeve",
               "--field", "documentType=Invoice", "--json", invoice, NULL);
  check_done (f, &o, invoice, "receeve", TRUE);
  record = dossier_test_find_received (f->sandbox, string_or_null (outcome_line (&o, 0), "id"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"), "accountId"), ==,
                   "ACC-7");
  g_clear_pointer (&record, json_object_unref);
  outcome_clear (&o);

  /* --field wins */
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", id, "--provider", "receeve", "--field", "accountId=ACC-8",
               "--field", "documentType=Invoice", "--json", invoice, NULL);
  check_done (f, &o, invoice, "receeve", TRUE);
  record = dossier_test_find_received (f->sandbox, string_or_null (outcome_line (&o, 0), "id"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"), "accountId"), ==,
                   "ACC-8");
  outcome_clear (&o);

  /* an unknown merchant: nothing sent */
  use_merchants (f);
  check_exit (run_cli (f, "upload", "--merchant", "Nobody", "--provider", "receeve", invoice, NULL), 2,
              "no merchant “Nobody”");

  /* Moov: the account from the record, the requirement in the metadata */
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", "CASE-9", "--provider", "moov", "--field", "filePurpose=business_verification",
               "--field", "metadata={\"requirement_id\":\"document.business.verification\"}", "--json", scan, NULL);
  g_assert_cmpint (o.status, ==, 0);
  outcome_clear (&o);

  use_merchants (f);
  o = run_cli (f, "checklist", "CASE-9", "--provider", "moov", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  items = json_object_get_array_member (json_array_get_object_element (
            json_object_get_array_member (json_node_get_object (node), "checklists"), 0), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (item, "requirement_id"), "document.business.verification") == 0)
        pending = g_str_equal (json_object_get_string_member (item, "state"), "uploaded");
    }
  g_assert_true (pending);
  outcome_clear (&o);
  g_clear_pointer (&node, json_node_unref);
  /* in words: the provider's heading (as "follow-up" prints it), then
   * its items */
  use_merchants (f);
  o = run_cli (f, "checklist", "CASE-9", "--provider", "moov", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_str_has_prefix (o.out, "Moov (sandbox)\n  "));
  outcome_clear (&o);

  /* receeve publishes no requirement: its checklist is the uploads in the
   * record, those to the merchant's own account (ACC-7, not the ACC-8 of
   * the --field) */
  use_merchants (f);
  o = run_cli (f, "checklist", "CASE-9", "--provider", "receeve", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  items = json_object_get_array_member (json_array_get_object_element (
            json_object_get_array_member (json_node_get_object (node), "checklists"), 0), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "requirement_id"), ==,
                   "Invoice");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "state"), ==,
                   "uploaded");
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (items, 0), "remote_id"));
  outcome_clear (&o);
}

/* The duplicate guard: the same file again to the same account is said
 * before it is sent (escaped for the terminal), and sent; for another
 * merchant it is a likely mix-up */
static void
test_upload_duplicate (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *toko = add_merchant (f, "Toko Makmur", NULL);
  g_autofree char *apotek = add_merchant (f, "Apotek Sehat", NULL);
  g_autofree char *invoice = write_file (f, "invoice\x1b[2J.pdf", PDF_HEAD, sizeof PDF_HEAD - 1, 12 * 1024);
  g_autofree char *first_id = NULL;
  g_autofree char *expected = NULL;
  JsonObject *line;
  JsonObject *found;
  Outcome o;

  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "Toko Makmur", "--provider", "receeve",
                       "--field", "clientId=acme-instance", "--field", "accountId=ACC-1", NULL), 0, NULL);
  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "Apotek Sehat", "--provider", "receeve",
                       "--field", "clientId=acme-instance", "--field", "accountId=ACC-2", NULL), 0, NULL);

  /* the first time: nothing to say */
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", "Toko Makmur", "--provider", "receeve",
               "--field", "documentType=Invoice", "--json", invoice, NULL);
  check_done (f, &o, invoice, "receeve", TRUE);
  g_assert_true (json_node_is_null (json_object_get_member (outcome_line (&o, 0), "duplicate_of")));
  g_assert_null (strstr (o.err, "Already sent"));
  first_id = g_strdup (string_or_null (outcome_line (&o, 0), "id"));
  outcome_clear (&o);

  /* recorded against the merchant, with the file's SHA-256 and account */
  use_merchants (f);
  o = run_cli (f, "history", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  {
    g_autofree char *sha = file_sha256 (invoice);
    JsonObject *entry = outcome_line (&o, 0);

    g_assert_cmpstr (string_or_null (entry, "remote_id"), ==, first_id);
    g_assert_cmpstr (string_or_null (entry, "merchant_id"), ==, toko);
    g_assert_cmpstr (string_or_null (entry, "sha256"), ==, sha);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "account"), "accountId"),
                     ==, "ACC-1");
  }
  outcome_clear (&o);

  /* again, same account: said, and sent all the same */
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", "Toko Makmur", "--provider", "receeve",
               "--field", "documentType=Invoice", "--json", invoice, NULL);
  check_done (f, &o, invoice, "receeve", TRUE);
  g_assert_cmpstr (string_or_null (outcome_line (&o, 0), "id"), !=, first_id);
  expected = g_strdup_printf ("(id %s); sending it anyway", first_id);
  g_assert_nonnull (strstr (o.err, "Already sent to receeve on "));
  g_assert_nonnull (strstr (o.err, expected));
  g_assert_null (strchr (o.err, '\x1b'));
  g_assert_null (strstr (o.err, "Also sent for merchant"));
  line = outcome_line (&o, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (line, "duplicate_of")), ==, 1);
  found = json_array_get_object_element (json_object_get_array_member (line, "duplicate_of"), 0);
  g_assert_cmpstr (string_or_null (found, "kind"), ==, "same_account");
  g_assert_cmpstr (string_or_null (found, "id"), ==, first_id);
  g_assert_cmpstr (string_or_null (found, "merchant_id"), ==, toko);
  g_assert_cmpstr (string_or_null (found, "outcome"), ==, "sent");
  g_assert_true (g_str_has_prefix (string_or_null (found, "message"), "Already sent to receeve on "));
  outcome_clear (&o);

  /* another merchant (another account): a likely mix-up, by name */
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", apotek, "--provider", "receeve",
               "--field", "documentType=Invoice", "--json", invoice, NULL);
  check_done (f, &o, invoice, "receeve", TRUE);
  g_assert_nonnull (strstr (o.err, "Also sent for merchant Toko Makmur on "));
  g_assert_nonnull (strstr (o.err, ": a likely mix-up; sending it anyway"));
  g_assert_null (strstr (o.err, "Already sent"));
  found = json_array_get_object_element (json_object_get_array_member (outcome_line (&o, 0), "duplicate_of"), 0);
  g_assert_cmpstr (string_or_null (found, "kind"), ==, "other_merchant");
  g_assert_cmpstr (string_or_null (found, "merchant_id"), ==, toko);
  outcome_clear (&o);

  /* without --merchant: the same account's upload only */
  use_merchants (f);
  o = run_cli (f, "upload", "--provider", "receeve", "--field", "clientId=acme-instance",
               "--field", "accountId=ACC-2", "--field", "documentType=Invoice", invoice, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.err, "Already sent to receeve on "));
  g_assert_null (strstr (o.err, "Also sent for merchant"));
  outcome_clear (&o);
}

#define EXPORT_TOKEN "export-secret-token-7c1e9d42"

/* "export": the record of a merchant's uploads, the token the upload was
 * made with in none of the formats */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = add_merchant (f, "Toko \"Makmur\", Jaya", "=CASE-5");
  g_autofree char *other = add_merchant (f, "Apotek Sehat", NULL);
  g_autofree char *scan = write_png (f, "akta, \"pt\" é.png");
  g_autofree char *output = g_build_filename (f->config, "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *escaped = g_markup_escape_text ("akta, \"pt\" é.png", -1);
  g_autoptr(JsonNode) root = NULL;
  const char *formats[] = { "csv", "json", "html" };
  JsonObject *row;
  GStatBuf st;
  Outcome o;

  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-5", "--provider", "moov",
                       "--field", "accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, NULL), 0, NULL);
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", id, "--provider", "moov", "--token", EXPORT_TOKEN,
               "--field", "filePurpose=business_verification", "--json", scan, NULL);
  assert_no_secret (&o, EXPORT_TOKEN);
  outcome_clear (&o);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      use_merchants (f);
      o = run_cli (f, "export", "=CASE-5", "--format", formats[i], NULL);
      g_assert_cmpint (o.status, ==, 0);
      assert_no_secret (&o, EXPORT_TOKEN);
      g_assert_true (g_utf8_validate (o.out, -1, NULL));
      if (g_str_equal (formats[i], "csv"))
        {
          g_assert_true (g_str_has_prefix (o.out, "finished_at,merchant_id,merchant_name,"));
          g_assert_nonnull (strstr (o.out, "\"akta, \"\"pt\"\" é.png\""));
          g_assert_nonnull (strstr (o.out, "\"Toko \"\"Makmur\"\", Jaya\""));
        }
      else if (g_str_equal (formats[i], "html"))
        {
          g_assert_nonnull (strstr (o.out, escaped));
          g_assert_nonnull (strstr (o.out, "<h1>Toko &quot;Makmur&quot;, Jaya</h1>"));
          g_assert_nonnull (strstr (o.out, DOSSIER_SANDBOX_MOOV_ACCOUNT_ID));
        }
      else
        root = parse_json (o.out);
      outcome_clear (&o);
    }

  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  row = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (string_or_null (row, "merchant_id"), ==, id);
  g_assert_cmpstr (string_or_null (row, "file_name"), ==, "akta, \"pt\" é.png");
  g_assert_cmpstr (string_or_null (row, "provider_id"), ==, "moov");

  /* the other merchant has none; all merchants over a range */
  use_merchants (f);
  o = run_cli (f, "export", other, "--format", "json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  {
    g_autoptr(JsonNode) none = parse_json (o.out);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 0);
  }
  outcome_clear (&o);
  use_merchants (f);
  o = run_cli (f, "export", "--all", "--from", "2000-01-01", "--to", "2000-12-31", "--format", "csv", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_null (strstr (o.out, "\r\n2"));
  outcome_clear (&o);
  use_merchants (f);
  o = run_cli (f, "export", "--all", "--from", "2000-01-01", "--format", "csv", "--output", output, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpstr (o.out, ==, "");
  outcome_clear (&o);
  g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, id));
  g_assert_nonnull (strstr (contents, "\"Toko \"\"Makmur\"\", Jaya\""));
  g_assert_null (strstr (contents, EXPORT_TOKEN));
  g_assert_cmpint (g_stat (output, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* usage errors say what is wrong */
  use_merchants (f);
  check_exit (run_cli (f, "export", id, NULL), 2, "export needs --format csv, --format json or --format html");
  use_merchants (f);
  check_exit (run_cli (f, "export", id, "--format", "pdf", NULL), 2, "unknown format “pdf”: use csv, json or html");
  use_merchants (f);
  check_exit (run_cli (f, "export", "--format", "csv", NULL), 2,
              "export needs a merchant (its name, reference or id) or --all");
  use_merchants (f);
  check_exit (run_cli (f, "export", "--all", "--from", "yesterday", "--format", "csv", NULL), 2,
              "--from needs a date like 2026-12-01, got “yesterday”");
  use_merchants (f);
  check_exit (run_cli (f, "export", "--all", "--from", "2026-12-05", "--to", "2026-12-01", "--format", "csv", NULL), 2,
              "--from 2026-12-05 is after --to 2026-12-01: nothing can be in between");
  use_merchants (f);
  check_exit (run_cli (f, "export", "Nobody", "--format", "csv", NULL), 2, "no merchant “Nobody”");
}

static void
post_review (Fixture    *f,
             const char *body)
{
  g_autofree char *uri = g_strconcat (dossier_sandbox_get_base_url (f->sandbox), "/_sandbox/moov/review", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_assert_cmpuint (dossier_test_send (msg, NULL), ==, 200);
}

/* follow-up: the review recorded and printed, the rejection a task with
 * the values of its re-upload; a lost answer reconciled; Kore.ai says it
 * does not report reviews */
static void
test_follow_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = add_merchant (f, "Toko Makmur", "CASE-F");
  g_autofree char *blurry = write_png (f, "blurry-deed.png");
  g_autofree char *lost = write_file (f, "npwp.png", PNG_HEAD, sizeof PNG_HEAD - 1, 100 * 1024);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *provider, *document, *task;
  JsonArray *decisions;
  Outcome o;

  use_merchants (f);
  check_exit (run_cli (f, "merchant", "set", "CASE-F", "--provider", "moov",
                       "--field", "accountID=" DOSSIER_SANDBOX_MOOV_ACCOUNT_ID, NULL), 0, NULL);
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", "CASE-F", "--provider", "moov", "--field", "filePurpose=business_verification",
               "--field", "metadata={\"requirement_id\":\"document.business.verification\"}", "--json", blurry, NULL);
  g_assert_cmpint (o.status, ==, 0);
  outcome_clear (&o);

  /* nothing decided yet */
  use_merchants (f);
  o = run_cli (f, "follow-up", "CASE-F", "--provider", "moov", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  provider = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "providers"), 0);
  g_assert_true (json_object_get_boolean_member (provider, "reports_reviews"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (provider, "decisions")), ==, 0);
  document = json_array_get_object_element (json_object_get_array_member (provider, "documents"), 0);
  g_assert_cmpstr (json_object_get_string_member (document, "status"), ==, "pending");
  g_clear_pointer (&node, json_node_unref);
  outcome_clear (&o);

  post_review (f, "{\"pending\":true}");
  use_merchants (f);
  o = run_cli (f, "follow-up", "Toko Makmur", "--provider", "moov", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "merchant"), ==, id);
  provider = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "providers"), 0);
  decisions = json_object_get_array_member (provider, "decisions");
  g_assert_cmpuint (json_array_get_length (decisions), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (decisions, 0), "status"), ==,
                   "rejected");
  document = json_array_get_object_element (json_object_get_array_member (provider, "documents"), 0);
  g_assert_cmpstr (json_object_get_string_member (document, "error_code"), ==, "document-illegible");
  g_clear_pointer (&node, json_node_unref);
  outcome_clear (&o);

  /* the task, across merchants */
  use_merchants (f);
  o = run_cli (f, "tasks", "--json", NULL);
  g_assert_cmpint (o.status, ==, 0);
  node = parse_json (o.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node), "tasks")), ==, 1);
  task = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "tasks"), 0);
  g_assert_cmpstr (json_object_get_string_member (task, "merchant_name"), ==, "Toko Makmur");
  g_assert_cmpstr (json_object_get_string_member (task, "error_code"), ==, "document-illegible");
  g_assert_cmpstr (json_object_get_string_member (task, "reason"), ==, "Moov could not read the document");
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (task, "fields"), "metadata"),
                            "\"error_code\":\"document-illegible\""));
  g_clear_pointer (&node, json_node_unref);
  outcome_clear (&o);
  use_merchants (f);
  o = run_cli (f, "tasks", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "Toko Makmur, Moov: blurry-deed.png: Moov could not read the document"));
  g_assert_nonnull (strstr (o.out, "what fixes it: upload a sharper scan"));
  outcome_clear (&o);

  /* the answer lost after Moov stored the file: reconciled, stored once */
  dossier_test_add_fault (f->sandbox, "moov/upload:store-drop");
  use_merchants (f);
  o = run_cli (f, "upload", "--merchant", "CASE-F", "--provider", "moov", "--field", "filePurpose=business_verification",
               "--json", lost, NULL);
  g_assert_cmpint (o.status, !=, 0);
  outcome_clear (&o);
  use_merchants (f);
  o = run_cli (f, "follow-up", "CASE-F", "--provider", "moov", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_str_has_prefix (o.out, "Moov (sandbox)\n  "));
  g_assert_nonnull (strstr (o.out, "found in Moov’s list after its answer was lost"));
  g_assert_nonnull (strstr (o.out, "rejected: document-illegible"));
  g_assert_null (strstr (o.out, "outcome unknown"));
  outcome_clear (&o);
  g_assert_cmpuint (dossier_test_count_received (f->sandbox, "upload", NULL), ==, 2);

  /* Kore.ai has nothing to ask */
  use_merchants (f);
  o = run_cli (f, "follow-up", "CASE-F", "--provider", "kore", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "Kore.ai does not report how it reviews uploads"));
  outcome_clear (&o);

  use_merchants (f);
  check_exit (run_cli (f, "tasks", "extra", NULL), 2, "takes no arguments");
  use_merchants (f);
  check_exit (run_cli (f, "follow-up", NULL), 2, "give one merchant");
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
  ADD ("/cli/upload/duplicate", test_upload_duplicate);
  ADD ("/cli/upload/file-url", test_file_url);
  ADD ("/cli/upload/interrupt", test_interrupt);
  ADD ("/cli/validation-failure", test_validation_failure);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/output-error", test_output_error);
  ADD ("/cli/server-errors", test_server_errors);
  ADD ("/cli/outcome-unknown", test_outcome_unknown);
  ADD ("/cli/user-descriptors", test_user_descriptors);
  ADD ("/cli/builtin-sandbox", test_builtin_sandbox);
  ADD ("/cli/builtin-sandbox/no-storage", test_builtin_sandbox_no_storage);
  ADD ("/cli/history", test_history);
  ADD ("/cli/secret-masking", test_secret_masking);
  ADD ("/cli/terminal-injection", test_terminal_injection);
  ADD ("/cli/debug-messages", test_debug_messages);
  ADD ("/cli/folder-entries", test_folder_entries);
  ADD ("/cli/non-utf8-name", test_non_utf8_name);
  ADD ("/cli/history/killed-batch", test_killed_batch);
  ADD ("/cli/history/killed-in-flight", test_killed_in_flight);
  ADD ("/cli/history/full", test_history_full);

  ADD ("/cli/merchant/records", test_merchant_records);
  ADD ("/cli/merchant/checklist-json", test_checklist_json);
  ADD ("/cli/merchant/upload", test_upload_merchant);
  ADD ("/cli/merchant/export", test_export);
  ADD ("/cli/merchant/follow-up", test_follow_up);
#undef ADD

  return g_test_run ();
}
