/* dossier-test-util.c: helpers shared by the engine and CLI tests
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dossier-auth.h"
#include "dossier-result-private.h"
#include "dossier-checklist.h"
#include "dossier-test-util.h"

void
dossier_test_init (int    *argc,
                   char ***argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (argc, argv, NULL);
}

char *
dossier_test_init_with_state (int         *argc,
                              char      ***argv,
                              const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("dossier-%s-XXXXXX", name);
  char *dir;

  dossier_test_init (argc, argv);
  dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", dir, TRUE);
  return dir;
}

/* Only against hanging forever: generous, so a loaded machine never meets it */
#define TIMEOUT_SECONDS 60

static gboolean
timeout_cb (gpointer data)
{
  g_error ("the test took too long");
  return G_SOURCE_REMOVE;
}

guint
dossier_test_timeout_add (void)
{
  return g_timeout_add_seconds (TIMEOUT_SECONDS, timeout_cb, NULL);
}

void
dossier_test_wait_false (gpointer    object,
                         const char *property)
{
  guint id = dossier_test_timeout_add ();
  gboolean value = TRUE;

  while (value)
    {
      g_object_get (object, property, &value, NULL);
      if (value)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

void
dossier_test_keep_result_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
dossier_test_wait_result (GAsyncResult **result)
{
  guint id = dossier_test_timeout_add ();

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return *result;
}

void
dossier_test_run_to_end (DossierSubmission *submission)
{
  guint id = dossier_test_timeout_add ();

  dossier_test_wait_false (submission, "validating");
  dossier_submission_start (submission);
  dossier_test_wait_false (submission, "running");
  g_source_remove (id);
}

guint
dossier_test_server_listen (SoupServer              *server,
                            SoupServerListenOptions  options)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint port;

  soup_server_listen_local (server, 0, options | SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

char *
dossier_test_answer_descriptor (guint port)
{
  return g_strdup_printf (
    "{ \"schema\": 1, \"id\": \"answer\", \"name\": \"Answer\", \"description\": \"Answers\","
    "  \"environments\": [ { \"id\": \"local\", \"name\": \"Local\","
    "                        \"base_url\": \"http://127.0.0.1:%u\" } ],"
    "  \"auth\": { \"scheme\": \"bearer\", \"secret_label\": \"Access token\" },"
    "  \"endpoint\": { \"method\": \"POST\", \"path\": \"/upload\" },"
    "  \"fields\": [], \"files\": { \"part\": \"file\" }, \"flow\": { \"kind\": \"multipart\" },"
    "  \"response\": { \"id\": [\"id\"], \"link\": [\"link\"], \"message\": [\"message\"],"
    "                  \"request_id_headers\": [\"X-Request-Id\"] } }",
    port);
}

DossierSandbox *
dossier_test_sandbox_new (gboolean in_thread)
{
  g_autoptr(GError) error = NULL;
  DossierSandbox *sandbox = dossier_sandbox_new (NULL, &error);

  g_assert_no_error (error);

  if (in_thread)
    g_assert_true (dossier_sandbox_start_thread (sandbox, 0, &error));
  else
    g_assert_true (dossier_sandbox_listen (sandbox, 0, &error));
  g_assert_no_error (error);

  return sandbox;
}

/* The folder is named after the test program: dossier-test-upload-XXXXXX */
void
dossier_test_fixture_set_up (DossierTestFixture *fx,
                             gconstpointer       data)
{
  g_autofree char *program = g_path_get_basename (g_get_prgname ());
  g_autofree char *template = g_strdup_printf ("dossier-%s-XXXXXX", program);
  g_autoptr(GError) error = NULL;

  fx->sandbox = dossier_test_sandbox_new (FALSE);
  fx->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
}

void
dossier_test_fixture_tear_down (DossierTestFixture *fx,
                                gconstpointer       data)
{
  dossier_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_assert_finalize_object (fx->sandbox);
}

void
dossier_test_add_fault (DossierSandbox *sandbox,
                        const char     *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_sandbox_add_fault (sandbox, spec, &error));
  g_assert_no_error (error);
}

guint
dossier_test_count_received (DossierSandbox  *sandbox,
                             const char      *operation,
                             JsonObject     **out_last)
{
  g_autoptr(JsonNode) node = dossier_sandbox_dup_received (sandbox);
  JsonArray *array = json_node_get_array (node);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);

      if (operation != NULL &&
          g_strcmp0 (json_object_get_string_member (record, "operation"), operation) != 0)
        continue;
      n++;
      if (out_last != NULL)
        {
          g_clear_pointer (out_last, json_object_unref);
          *out_last = json_object_ref (record);
        }
    }

  return n;
}

JsonObject *
dossier_test_find_received (DossierSandbox *sandbox,
                            const char     *id)
{
  g_autoptr(JsonNode) node = dossier_sandbox_dup_received (sandbox);
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (record, "id", ""), id) == 0)
        return json_object_ref (record);
    }

  return NULL;
}

char *
dossier_test_provider_data (const char *id,
                            gsize      *out_len)
{
  g_autofree char *path = g_strdup_printf (TEST_SRCDIR "/../data/providers/%s.json", id);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, out_len, &error);
  g_assert_no_error (error);

  return data;
}

DossierProvider *
dossier_test_load_provider (const char *id)
{
  g_autofree char *path = g_strdup_printf (TEST_SRCDIR "/../data/providers/%s.json", id);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  DossierProvider *provider;
  gsize len;

  data = dossier_test_provider_data (id, &len);
  provider = dossier_provider_new_from_data (data, len, path, &error);
  g_assert_no_error (error);

  return provider;
}

DossierSubmission *
dossier_test_submission_new (DossierProvider *provider,
                             DossierSandbox  *sandbox,
                             const char      *secret,
                             const char      *client_id,
                             const char      *client_secret)
{
  g_autoptr(DossierCredentials) credentials = dossier_credentials_new ();
  DossierSubmission *submission = dossier_submission_new (provider);

  dossier_credentials_set_secret (credentials, secret);
  dossier_credentials_set_client_id (credentials, client_id);
  dossier_credentials_set_client_secret (credentials, client_secret);
  if (dossier_provider_lookup_environment (provider, "sandbox") != NULL)
    dossier_submission_set_environment (submission, "sandbox");
  if (sandbox != NULL)
    dossier_submission_set_sandbox_url (submission, dossier_sandbox_get_base_url (sandbox));
  dossier_submission_set_credentials (submission, credentials);

  return submission;
}

DossierResult *
dossier_test_parse_answer (const char *provider_id,
                           guint       status,
                           const char *body,
                           const char *header_name,
                           const char *header_value)
{
  g_autoptr(DossierProvider) provider = dossier_test_load_provider (provider_id);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) bytes = g_bytes_new (body, body ? strlen (body) : 0);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);

  if (header_name != NULL)
    soup_message_headers_append (headers, header_name, header_value);

  return dossier_result_parse (provider, status, headers, bytes, now);
}

void
dossier_test_assert_stored (DossierSandbox *sandbox,
                            DossierUpload  *upload)
{
  const DossierResult *result = dossier_upload_get_result (upload);
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *sha = NULL;

  g_assert_cmpstr (dossier_upload_get_problem (upload), ==, NULL);
  g_assert_cmpint (dossier_upload_get_state (upload), ==, DOSSIER_UPLOAD_STATE_DONE);
  g_assert_nonnull (result);
  g_assert_true (dossier_result_is_success (result));
  record = dossier_test_find_received (sandbox, result->remote_id);
  g_assert_nonnull (record);
  sha = dossier_test_file_sha256 (dossier_upload_get_file (upload));
  g_assert_cmpstr (json_object_get_string_member (record, "sha256"), ==, sha);
}

GBytes *
dossier_test_bytes_new (const char *head,
                        gsize       head_len,
                        gsize       size,
                        gboolean    random)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = random ? (guint8) (g_test_rand_int () & 0xff) : (guint8) (i * 7 + 3);
  if (head != NULL && size > 0)
    memcpy (data, head, MIN (size, head_len));

  return g_bytes_new_take (data, size);
}

GFile *
dossier_test_write_file (const char *dir,
                         const char *name,
                         GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (parent, 0700);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

char *
dossier_test_file_sha256 (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

void
dossier_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          dossier_test_remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

DossierSubmission *
dossier_test_submission_for (DossierSandbox  *sandbox,
                             DossierProvider *provider,
                             const char      *secret,
                             const char      *client_id,
                             const char      *client_secret)
{
  DossierSubmission *submission;

  submission = dossier_test_submission_new (provider, sandbox, secret, client_id, client_secret);
  dossier_submission_set_value (submission, "accountID", DOSSIER_SANDBOX_MOOV_ACCOUNT_ID);

  return submission;
}

DossierSubmission *
dossier_test_submission_by_id (DossierSandbox *sandbox,
                               const char     *provider_id,
                               const char     *secret,
                               const char     *client_id,
                               const char     *client_secret)
{
  g_autoptr(DossierProvider) provider = dossier_test_load_provider (provider_id);

  return dossier_test_submission_for (sandbox, provider, secret, client_id, client_secret);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *outer = user_data;
  GError *error = NULL;
  char *text;

  text = dossier_submission_check_credentials_finish (DOSSIER_SUBMISSION (object), result, &error);
  if (text != NULL)
    g_task_return_pointer (outer, text, g_free);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

char *
dossier_test_check_credentials (DossierSubmission  *submission,
                                GError            **error)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  guint id = dossier_test_timeout_add ();

  dossier_submission_check_credentials_async (submission, NULL, check_done_cb, g_object_ref (task));
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  return g_task_propagate_pointer (task, error);
}

GFile *
dossier_test_png_file (const char *dir,
                       const char *name,
                       gsize       size,
                       gboolean    random)
{
  g_autoptr(GBytes) bytes = dossier_test_bytes_new (DOSSIER_TEST_PNG_HEAD, 16, size, random);

  return dossier_test_write_file (dir, name, bytes);
}

guint
dossier_test_send (SoupMessage  *msg,
                   JsonNode    **out_json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    dossier_test_keep_result_cb, &result);
  body = soup_session_send_and_read_finish (session, dossier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  if (out_json != NULL)
    *out_json = g_bytes_get_size (body) > 0 &&
                json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                            g_bytes_get_size (body), NULL)
      ? json_node_copy (json_parser_get_root (parser)) : NULL;

  return soup_message_get_status (msg);
}

void
dossier_test_doku_sign (SoupMessage *msg,
                        const char  *request_target,
                        const char  *body,
                        const char  *secret_key)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *request_id = g_uuid_string_random ();
  g_autoptr(GString) component = g_string_new (NULL);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret_key,
                                      strlen (secret_key));
  g_autofree char *signature = NULL;
  g_autofree char *value = NULL;
  guint8 mac[32];
  gsize mac_len = sizeof mac;

  /* DOKU's non-SNAP component: a Digest line for a body only */
  g_string_append_printf (component, "Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\n"
                          "Request-Target:%s",
                          DOSSIER_SANDBOX_DOKU_CLIENT_ID, request_id, timestamp, request_target);
  if (body != NULL)
    {
      g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree char *b64 = NULL;

      g_checksum_update (sha, (const guchar *) body, strlen (body));
      g_checksum_get_digest (sha, mac, &mac_len);
      b64 = g_base64_encode (mac, mac_len);
      g_string_append_printf (component, "\nDigest:%s", b64);
      mac_len = sizeof mac;
    }
  g_hmac_update (hmac, (const guchar *) component->str, component->len);
  g_hmac_get_digest (hmac, mac, &mac_len);
  signature = g_base64_encode (mac, mac_len);

  soup_message_headers_replace (headers, "Client-Id", DOSSIER_SANDBOX_DOKU_CLIENT_ID);
  soup_message_headers_replace (headers, "Request-Id", request_id);
  soup_message_headers_replace (headers, "Request-Timestamp", timestamp);
  value = g_strconcat ("HMACSHA256=", signature, NULL);
  soup_message_headers_replace (headers, "Signature", value);
}

void
dossier_test_collect_record_error (DossierSubmission *submission,
                                   DossierUpload     *upload,
                                   const char        *message,
                                   GPtrArray         *messages)
{
  g_ptr_array_add (messages, g_strdup (message));
}

/* Under run-with-keyring.sh: fails unless the private Secret Service is up
 * (the daemon claims its name a moment after it returns) */
void
dossier_test_wait_for_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  /* Started by run-with-keyring.sh, never the user's own session */
  g_assert_cmpstr (g_getenv ("DOSSIER_TEST_KEYRING"), ==, "1");

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  /* The daemon forks and claims its name a moment after it returns */
  /* (for at most a minute: a safety net, not a time limit) */
  for (guint i = 0; i < 1200 && !owned; i++)
    {
      g_autoptr(GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                           -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      if (!owned)
        g_usleep (50 * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_true (owned);
}

/* A strict RFC 4180 reader: rows of fields; NULL (and a failed
 * assertion) on anything the RFC does not allow */
GPtrArray *
dossier_test_read_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  g_assert_true (g_utf8_validate (text, -1, NULL));

  while (*p != '\0')
    {
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              g_assert_true (*p != '\0');   /* unterminated */
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
          /* after a closing quote: a separator or the end of the record */
          g_assert_true (*p == ',' || (p[0] == '\r' && p[1] == '\n'));
        }
      else
        {
          while (*p != ',' && *p != '\r' && *p != '\0')
            {
              g_assert_true (*p != '"' && *p != '\n');   /* bare quote or LF */
              g_string_append_c (field, *p++);
            }
        }

      g_ptr_array_add (row, g_string_free (field, FALSE));
      field = g_string_new (NULL);
      if (*p == ',')
        p++;
      else
        {
          g_assert_true (p[0] == '\r' && p[1] == '\n');   /* every record ends with CRLF */
          p += 2;
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
        }
    }

  g_assert_cmpuint (row->len, ==, 0);
  g_ptr_array_unref (row);
  g_string_free (field, TRUE);
  return rows;
}

/* tests/fixtures/checklist/@name, whole */
char *
dossier_test_checklist_fixture (const char *name,
                                gsize      *length)
{
  g_autofree char *path = g_build_filename (TEST_SRCDIR, "fixtures", "checklist", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, length, &error);
  g_assert_no_error (error);
  return data;
}

/* The item of @list with the requirement id @id; fails the test without one */
DossierChecklistItem *
dossier_test_checklist_find (DossierChecklist *list,
                             const char       *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_strcmp0 (dossier_checklist_item_get_requirement_id (item), id) == 0)
        return item;   /* the list keeps its reference */
    }
  g_error ("no item “%s”", id);
  return NULL;
}
