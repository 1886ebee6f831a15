/* test-merchant.c: merchants' records and their store
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "dossier-json.h"
#include "dossier-merchant-private.h"
#include "dossier-merchant-store.h"

#include "dossier-test-util.h"

#define ACCOUNT_A "3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42"
#define ACCOUNT_B "9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
#define SECRET    "sk_live_do-not-keep-this-9f8e7d6c"

typedef struct
{
  char             *dir;
  DossierCatalogue *catalogue;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("dossier-merchant-XXXXXX", &error);
  g_assert_no_error (error);
  fx->catalogue = dossier_catalogue_new ();
  dossier_catalogue_load_builtin (fx->catalogue, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  dossier_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_assert_finalize_object (fx->catalogue);
}

static DossierProvider *
provider (Fixture    *fx,
          const char *id)
{
  DossierProvider *p = dossier_catalogue_lookup (fx->catalogue, id);

  g_assert_nonnull (p);
  return p;
}

static char *
store_dir (Fixture *fx)
{
  return g_build_filename (fx->dir, "data", "dossier", NULL);
}

static DossierMerchantStore *
open_store (Fixture *fx)
{
  g_autofree char *dir = store_dir (fx);
  g_autoptr(GError) error = NULL;
  DossierMerchantStore *store = dossier_merchant_store_new (fx->catalogue, dir);

  dossier_merchant_store_load (store, &error);
  g_assert_no_error (error);
  return store;
}

static char *
read_store_file (DossierMerchantStore *store)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (dossier_merchant_store_get_path (store), &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static DossierMerchant *
add_merchant (Fixture              *fx,
              DossierMerchantStore *store,
              const char           *name,
              const char           *account)
{
  g_autoptr(DossierMerchant) merchant = dossier_merchant_new (name);
  g_autoptr(GError) error = NULL;

  if (account != NULL)
    {
      dossier_merchant_set_account_value (merchant, provider (fx, "moov"), "accountID", account, &error);
      g_assert_no_error (error);
    }
  dossier_merchant_store_add (store, merchant, &error);
  g_assert_no_error (error);
  return merchant;   /* the store keeps it */
}

static guint
n_items (DossierMerchantStore *store)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store));
}

static DossierMerchant *
nth (DossierMerchantStore *store,
     guint                 position)
{
  g_autoptr(DossierMerchant) merchant = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (merchant);
  return merchant;   /* the store keeps it */
}

/* Which values a provider needs comes from its descriptor */
static void
test_account_fields (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(DossierMerchant) merchant = dossier_merchant_new ("Toko Makmur");
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_uuid_string_is_valid (dossier_merchant_get_id (merchant)));
  g_assert_nonnull (dossier_merchant_get_created (merchant));

  fields = dossier_merchant_account_fields (provider (fx, "moov"));
  g_assert_cmpuint (fields->len, ==, 2);
  g_assert_cmpstr (dossier_field_get_name (g_ptr_array_index (fields, 0)), ==, "accountID");
  g_assert_cmpstr (dossier_field_get_name (g_ptr_array_index (fields, 1)), ==, "X-Moov-Version");
  g_clear_pointer (&fields, g_ptr_array_unref);

  fields = dossier_merchant_account_fields (provider (fx, "kore"));
  g_assert_cmpuint (fields->len, ==, 0);
  g_clear_pointer (&fields, g_ptr_array_unref);

  /* the required ones without a value */
  missing = dossier_merchant_missing_account_fields (merchant, provider (fx, "moov"));
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (dossier_field_get_name (g_ptr_array_index (missing, 0)), ==, "accountID");
  g_clear_pointer (&missing, g_ptr_array_unref);

  missing = dossier_merchant_missing_account_fields (merchant, provider (fx, "receeve"));
  g_assert_cmpuint (missing->len, ==, 2);
  g_clear_pointer (&missing, g_ptr_array_unref);

  missing = dossier_merchant_missing_account_fields (merchant, provider (fx, "kore"));
  g_assert_cmpuint (missing->len, ==, 0);
  g_clear_pointer (&missing, g_ptr_array_unref);

  g_assert_true (dossier_merchant_set_account_value (merchant, provider (fx, "moov"), "accountID",
                                                     ACCOUNT_A, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_merchant_set_account_value (merchant, provider (fx, "receeve"), "clientId",
                                                     "client-7", &error));
  g_assert_no_error (error);
  missing = dossier_merchant_missing_account_fields (merchant, provider (fx, "moov"));
  g_assert_cmpuint (missing->len, ==, 0);
  g_clear_pointer (&missing, g_ptr_array_unref);
  missing = dossier_merchant_missing_account_fields (merchant, provider (fx, "receeve"));
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (dossier_field_get_name (g_ptr_array_index (missing, 0)), ==, "accountId");

  g_assert_cmpstr (dossier_merchant_get_account_value (merchant, "moov", "accountID"), ==, ACCOUNT_A);
  values = dossier_merchant_dup_account_values (merchant, "moov");
  g_assert_cmpuint (g_hash_table_size (values), ==, 1);
  ids = dossier_merchant_dup_provider_ids (merchant);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "moov");
  g_assert_cmpstr (ids[1], ==, "receeve");

  /* "" removes a value */
  g_assert_true (dossier_merchant_set_account_value (merchant, provider (fx, "receeve"), "clientId",
                                                     "", &error));
  g_assert_null (dossier_merchant_get_account_value (merchant, "receeve", "clientId"));
}

/* A provider descriptor (moov's) with one more account field, sent in the
 * Authorization header */
static DossierProvider *
provider_with_authorization_field (void)
{
  g_autofree char *data = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *field = json_object_new ();
  JsonObject *root;
  DossierProvider *p;
  gsize len;

  data = dossier_test_provider_data ("moov", &len);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (root, "id", "moov-extra");
  json_object_set_string_member (field, "name", "Authorization");
  json_object_set_string_member (field, "label", "Token");
  json_object_set_string_member (field, "type", "text");
  json_object_set_string_member (field, "location", "header");
  json_object_set_string_member (field, "scope", "account");
  json_array_add_object_element (json_object_get_array_member (root, "fields"), field);

  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, &len);
  p = dossier_provider_new_from_data (text, len, "moov-extra.json", &error);
  g_assert_no_error (error);
  return p;
}

/* No credential is ever kept: not through the API, not from a file */
static void
test_no_secret (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(DossierMerchant) merchant = dossier_merchant_new ("Toko Makmur");
  g_autoptr(DossierProvider) extra = provider_with_authorization_field ();
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_dir (fx);
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) ids = NULL;
  DossierMerchant *loaded;
  GError *problem;

  /* a document field, a made-up one, the credential headers */
  g_assert_false (dossier_merchant_set_account_value (merchant, provider (fx, "moov"), "filePurpose",
                                                      "identity_verification", &error));
  g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD);
  g_assert_nonnull (strstr (error->message, "filePurpose"));
  g_clear_error (&error);

  g_assert_false (dossier_merchant_set_account_value (merchant, provider (fx, "moov"), "client_secret",
                                                      SECRET, &error));
  g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD);
  g_assert_null (strstr (error->message, SECRET));
  g_clear_error (&error);

  g_assert_false (dossier_merchant_set_account_value (merchant, provider (fx, "kore"), "x-api-key",
                                                      SECRET, &error));
  g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_CREDENTIAL);
  g_clear_error (&error);

  /* even when a descriptor makes it an account field */
  g_assert_false (dossier_merchant_set_account_value (merchant, extra, "Authorization",
                                                      "Bearer " SECRET, &error));
  g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_CREDENTIAL);
  g_clear_error (&error);
  g_assert_true (dossier_merchant_set_account_value (merchant, extra, "accountID", ACCOUNT_A, &error));
  g_assert_no_error (error);

  ids = dossier_merchant_dup_provider_ids (merchant);
  g_assert_cmpstrv (ids, ((const char * const []) { "moov-extra", NULL }));

  /* a file edited by hand, with a key among the account values: dropped
   * on load, reported by name (never by value), never written back */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = g_build_filename (dir, "merchants.jsonl", NULL);
  line = g_strdup_printf ("{\"format\":1,\"id\":\"%s\",\"name\":\"Toko Makmur\","
                          "\"accounts\":{\"moov\":{\"accountID\":\"" ACCOUNT_A "\","
                          "\"client_secret\":\"" SECRET "\"}}}\n",
                          dossier_merchant_get_id (merchant));
  g_file_set_contents (path, line, -1, &error);
  g_assert_no_error (error);

  store = open_store (fx);
  g_assert_cmpuint (n_items (store), ==, 1);
  loaded = nth (store, 0);
  g_assert_cmpstr (dossier_merchant_get_account_value (loaded, "moov", "accountID"), ==, ACCOUNT_A);
  g_assert_null (dossier_merchant_get_account_value (loaded, "moov", "client_secret"));
  g_assert_cmpuint (dossier_merchant_store_get_problems (store)->len, ==, 1);
  problem = g_ptr_array_index (dossier_merchant_store_get_problems (store), 0);
  g_assert_nonnull (strstr (problem->message, "moov/client_secret"));
  g_assert_nonnull (strstr (problem->message, "line 1"));
  g_assert_null (strstr (problem->message, SECRET));

  dossier_merchant_set_notes (loaded, "checked");
  dossier_merchant_store_update (store, loaded, &error);
  g_assert_no_error (error);
  text = read_store_file (store);
  g_assert_null (strstr (text, SECRET));
  g_assert_nonnull (strstr (text, ACCOUNT_A));
}

static void
assert_same_time (GDateTime *a,
                  GDateTime *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (g_date_time_compare (a, b), ==, 0);
}

/* What is saved is what is loaded, in order; lookup, update, remove */
static void
test_round_trip (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) store = open_store (fx);
  g_autoptr(DossierMerchantStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *removed_path = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *id_b = NULL;
  DossierMerchant *a, *b, *c, *copy;

  g_assert_cmpuint (n_items (store), ==, 0);
  g_assert_cmpuint (dossier_merchant_store_get_problems (store)->len, ==, 0);

  a = add_merchant (fx, store, "Warung Sejahtera", ACCOUNT_A);
  b = add_merchant (fx, store, "  café Sinar  ", NULL);
  c = add_merchant (fx, store, "Apotek Jaya", ACCOUNT_B);
  dossier_merchant_set_reference (a, "CASE-2026-17");
  dossier_merchant_set_notes (a, "Owner: Budi\nCall \"before\" Friday \\ ünïcode ✓");
  g_assert_true (dossier_merchant_set_account_value (a, provider (fx, "receeve"), "clientId", "c-1", &error));
  g_assert_true (dossier_merchant_store_update (store, a, &error));
  g_assert_no_error (error);

  /* sorted by name, whatever the case */
  g_assert_cmpuint (n_items (store), ==, 3);
  g_assert_true (nth (store, 0) == c);
  g_assert_true (nth (store, 1) == b);
  g_assert_true (nth (store, 2) == a);
  g_assert_cmpstr (dossier_merchant_get_name (b), ==, "café Sinar");
  g_assert_true (dossier_merchant_store_lookup (store, dossier_merchant_get_id (a)) == a);

  again = open_store (fx);
  g_assert_cmpuint (n_items (again), ==, 3);
  g_assert_cmpuint (dossier_merchant_store_get_problems (again)->len, ==, 0);
  copy = dossier_merchant_store_lookup (again, dossier_merchant_get_id (a));
  g_assert_nonnull (copy);
  g_assert_true (copy != a);
  g_assert_cmpstr (dossier_merchant_get_name (copy), ==, "Warung Sejahtera");
  g_assert_cmpstr (dossier_merchant_get_reference (copy), ==, "CASE-2026-17");
  g_assert_cmpstr (dossier_merchant_get_notes (copy), ==, dossier_merchant_get_notes (a));
  g_assert_cmpstr (dossier_merchant_get_account_value (copy, "moov", "accountID"), ==, ACCOUNT_A);
  g_assert_cmpstr (dossier_merchant_get_account_value (copy, "receeve", "clientId"), ==, "c-1");
  assert_same_time (dossier_merchant_get_created (copy), dossier_merchant_get_created (a));
  assert_same_time (dossier_merchant_get_modified (copy), dossier_merchant_get_modified (a));
  g_assert_null (dossier_merchant_get_reference (dossier_merchant_store_lookup (again, dossier_merchant_get_id (b))));
  g_assert_true (nth (again, 0) == dossier_merchant_store_lookup (again, dossier_merchant_get_id (c)));

  /* a new name moves it */
  dossier_merchant_set_name (c, "Zebra Apotek");
  g_assert_true (dossier_merchant_store_update (store, c, &error));
  g_assert_no_error (error);
  g_assert_true (nth (store, 2) == c);

  /* removed: out of the list and the file, into merchants-removed.jsonl */
  id_b = g_strdup (dossier_merchant_get_id (b));
  g_assert_true (dossier_merchant_store_remove (store, id_b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (store), ==, 2);
  g_assert_null (dossier_merchant_store_lookup (store, id_b));
  g_assert_false (dossier_merchant_store_remove (store, id_b, &error));
  g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (dossier_merchant_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (again), ==, 2);
  g_assert_null (dossier_merchant_store_lookup (again, id_b));
  g_assert_cmpstr (dossier_merchant_get_name (nth (again, 1)), ==, "Zebra Apotek");

  removed_path = g_build_filename (dossier_merchant_store_get_directory (store),
                                   "merchants-removed.jsonl", NULL);
  g_file_get_contents (removed_path, &removed, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (removed, id_b));
  g_assert_nonnull (strstr (removed, "café Sinar"));

  /* a merchant needs a name */
  {
    g_autoptr(DossierMerchant) nameless = dossier_merchant_new ("   ");

    g_assert_false (dossier_merchant_store_add (store, nameless, &error));
    g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpuint (n_items (store), ==, 2);
  }
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

/* Only its owner reads the records */
static void
test_permissions (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *lock = NULL;
  mode_t old_mask = umask (0);   /* the widest a process could ask for */
  DossierMerchant *merchant;

  store = open_store (fx);
  merchant = add_merchant (fx, store, "Toko Makmur", ACCOUNT_A);
  add_merchant (fx, store, "Kedai Damai", NULL);
  g_assert_true (dossier_merchant_store_remove (store, dossier_merchant_get_id (merchant), &error));
  g_assert_no_error (error);
  umask (old_mask);

  assert_mode (dossier_merchant_store_get_directory (store), 0700);
  assert_mode (dossier_merchant_store_get_path (store), 0600);
  removed = g_build_filename (dossier_merchant_store_get_directory (store), "merchants-removed.jsonl", NULL);
  assert_mode (removed, 0600);
  lock = g_build_filename (dossier_merchant_store_get_directory (store), "merchants.lock", NULL);
  assert_mode (lock, 0600);

  /* a folder made open by someone else is closed again on the next save */
  g_assert_cmpint (g_chmod (dossier_merchant_store_get_directory (store), 0755), ==, 0);
  add_merchant (fx, store, "Butik Indah", NULL);
  assert_mode (dossier_merchant_store_get_directory (store), 0700);
}

static void
problem_cb (DossierMerchantStore *store,
            const char           *file_name,
            GError               *error,
            guint                *signalled)
{
  g_assert_cmpstr (file_name, ==, dossier_merchant_store_get_path (store));
  g_assert_nonnull (error);
  (*signalled)++;
}

/* A damaged line costs that line only: reported with the file and line,
 * kept as it is, the other merchants loaded and saved */
static void
test_corrupt (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(DossierMerchantStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_dir (fx);
  g_autofree char *path = g_build_filename (dir, "merchants.jsonl", NULL);
  g_autofree char *deep = NULL;
  g_autofree char *after = NULL;
  g_autofree char *first_problem = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  GPtrArray *problems;
  guint signalled = 0;

  deep = g_strnfill (100000, '[');
  g_string_append (lines, "{\"format\":1,\"id\":\"" ACCOUNT_A "\",\"name\":\"Toko Makmur\"}\n");
  g_string_append (lines, "{\"format\":1,\"id\":\"" ACCOUNT_B "\",\"name\":\"Warung Ja\n");  /* cut */
  g_string_append (lines, "\n");
  g_string_append (lines, "{\"format\":7,\"id\":\"0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6\",\"name\":\"Future\"}\n");
  g_string_append (lines, deep);
  g_string_append (lines, "\n");
  g_string_append (lines, "{\"format\":1,\"name\":\"No id\"}\n");
  g_string_append (lines, "[1, 2]\n");
  g_string_append (lines, "{\"format\":1,\"id\":\"2d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6\",\"name\":\"  \"}\n");
  g_string_append (lines, "{\"format\":1,\"id\":\"" ACCOUNT_A "\",\"name\":\"Second copy\"}\n");
  g_string_append (lines, "{\"format\":1,\"id\":\"1d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6\",\"name\":\"Kedai Damai\","
                   "\"accounts\":{\"moov\":{\"accountID\":\"" ACCOUNT_B "\"}}}");   /* no newline */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, lines->str, lines->len, &error);
  g_assert_no_error (error);

  store = dossier_merchant_store_new (fx->catalogue, dir);
  g_signal_connect (store, "problem", G_CALLBACK (problem_cb), &signalled);
  g_assert_true (dossier_merchant_store_load (store, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (n_items (store), ==, 2);
  g_assert_cmpstr (dossier_merchant_get_name (nth (store, 0)), ==, "Kedai Damai");
  g_assert_cmpstr (dossier_merchant_get_name (nth (store, 1)), ==, "Toko Makmur");
  g_assert_cmpstr (dossier_merchant_get_account_value (nth (store, 0), "moov", "accountID"), ==, ACCOUNT_B);

  problems = dossier_merchant_store_get_problems (store);
  g_assert_cmpuint (problems->len, ==, 7);
  g_assert_cmpuint (signalled, ==, 7);
  for (guint i = 0; i < problems->len; i++)
    {
      GError *problem = g_ptr_array_index (problems, i);

      g_test_message ("%s", problem->message);
      g_assert_true (g_str_has_prefix (problem->message, path));
    }
  first_problem = g_strdup (((GError *) g_ptr_array_index (problems, 0))->message);
  g_assert_nonnull (strstr (first_problem, ", line 2: "));
  g_assert_error ((GError *) g_ptr_array_index (problems, 1), DOSSIER_MERCHANT_ERROR,
                  DOSSIER_MERCHANT_ERROR_NEWER);
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 1))->message, "line 4: "));
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 1))->message, "newer"));
  g_assert_error ((GError *) g_ptr_array_index (problems, 2), DOSSIER_JSON_ERROR,
                  DOSSIER_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 3))->message, "no valid id"));
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 5))->message, "no name"));
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 6))->message, "a second record"));

  /* a save keeps every damaged line, as it was */
  add_merchant (fx, store, "Butik Indah", NULL);
  g_file_get_contents (path, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (after, "\"name\":\"Warung Ja\n"));
  g_assert_nonnull (strstr (after, "\"format\":7"));
  g_assert_nonnull (strstr (after, deep));
  g_assert_nonnull (strstr (after, "Second copy"));
  g_assert_nonnull (strstr (after, "Butik Indah"));

  again = open_store (fx);
  g_assert_cmpuint (n_items (again), ==, 3);
  g_assert_cmpuint (dossier_merchant_store_get_problems (again)->len, ==, 7);

  /* the file cannot be read at all: an error, not a crash, nothing lost */
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  if (access (path, R_OK) != 0)   /* root reads it all the same */
    {
      g_assert_false (dossier_merchant_store_load (again, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
      g_assert_cmpuint (n_items (again), ==, 3);
    }
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

/* Killed between the write and the rename: nothing lost */
static void
test_atomic_kill (Fixture       *fx,
                  gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new ();
      g_autoptr(DossierMerchantStore) store = NULL;
      g_autoptr(GError) error = NULL;
      DossierMerchant *merchant;

      /* this process is killed: its own fixture folder goes now */
      dossier_test_remove_tree (fx->dir);

      dossier_catalogue_load_builtin (catalogue, &error);
      g_assert_no_error (error);
      store = dossier_merchant_store_new (catalogue, g_getenv ("DOSSIER_TEST_MERCHANT_DIR"));
      dossier_merchant_store_load (store, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n_items (store), ==, 2);

      merchant = dossier_merchant_store_lookup (store, g_getenv ("DOSSIER_TEST_MERCHANT_ID"));
      dossier_merchant_set_name (merchant, "Renamed");
      dossier_merchant_set_account_value (merchant, dossier_catalogue_lookup (catalogue, "moov"),
                                          "accountID", ACCOUNT_B, NULL);

      g_setenv ("DOSSIER_TEST_KILL_MERCHANT_WRITE", "before-rename", TRUE);
      if (g_str_equal (g_getenv ("DOSSIER_TEST_MERCHANT_STEP"), "update"))
        dossier_merchant_store_update (store, merchant, &error);
      else
        add_merchant (fx, store, "Never saved", NULL);
      g_assert_not_reached ();
    }
  else
    {
      static const char * const steps[] = { "update", "add" };
      g_autoptr(DossierMerchantStore) store = open_store (fx);
      g_autofree char *before = NULL;
      DossierMerchant *a;

      a = add_merchant (fx, store, "Toko Makmur", ACCOUNT_A);
      add_merchant (fx, store, "Warung Jaya", NULL);
      before = read_store_file (store);

      g_setenv ("DOSSIER_TEST_MERCHANT_DIR", dossier_merchant_store_get_directory (store), TRUE);
      g_setenv ("DOSSIER_TEST_MERCHANT_ID", dossier_merchant_get_id (a), TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        {
          g_autoptr(DossierMerchantStore) after = NULL;
          g_autoptr(GDir) dir = NULL;
          g_autofree char *text = NULL;
          g_autofree char *temporary = NULL;
          const char *name;
          struct utimbuf old = { 0, 0 };

          g_setenv ("DOSSIER_TEST_MERCHANT_STEP", steps[i], TRUE);
          g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
          g_test_trap_assert_failed ();

          /* the old file, whole; the new one left beside it, complete */
          text = read_store_file (store);
          g_assert_cmpstr (text, ==, before);
          dir = g_dir_open (dossier_merchant_store_get_directory (store), 0, NULL);
          while ((name = g_dir_read_name (dir)) != NULL)
            if (g_str_has_prefix (name, ".merchants.jsonl."))
              temporary = g_build_filename (dossier_merchant_store_get_directory (store), name, NULL);
          g_assert_nonnull (temporary);
          assert_mode (temporary, 0600);

          after = open_store (fx);
          g_assert_cmpuint (n_items (after), ==, 2);
          g_assert_cmpuint (dossier_merchant_store_get_problems (after)->len, ==, 0);
          a = dossier_merchant_store_lookup (after, g_getenv ("DOSSIER_TEST_MERCHANT_ID"));
          g_assert_cmpstr (dossier_merchant_get_name (a), ==, "Toko Makmur");
          g_assert_cmpstr (dossier_merchant_get_account_value (a, "moov", "accountID"), ==, ACCOUNT_A);

          /* an old left-over is cleaned up by the next load */
          g_assert_true (g_file_test (temporary, G_FILE_TEST_EXISTS));
          g_assert_cmpint (utime (temporary, &old), ==, 0);
          g_clear_object (&after);
          after = open_store (fx);
          g_assert_false (g_file_test (temporary, G_FILE_TEST_EXISTS));
        }
      g_unsetenv ("DOSSIER_TEST_MERCHANT_STEP");
      g_unsetenv ("DOSSIER_TEST_MERCHANT_DIR");
      g_unsetenv ("DOSSIER_TEST_MERCHANT_ID");
    }
}

/* Two stores on one file (the application and dossier-cli): neither
 * undoes the other's change */
static void
test_two_processes (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) one = open_store (fx);
  g_autoptr(DossierMerchantStore) two = open_store (fx);
  g_autoptr(DossierMerchantStore) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_a = NULL;
  DossierMerchant *a, *b;

  a = add_merchant (fx, one, "Toko Makmur", ACCOUNT_A);
  b = add_merchant (fx, two, "Warung Jaya", NULL);
  g_assert_cmpuint (n_items (two), ==, 2);

  dossier_merchant_set_notes (a, "from one");
  g_assert_true (dossier_merchant_store_update (one, a, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (one), ==, 2);

  check = open_store (fx);
  g_assert_cmpuint (n_items (check), ==, 2);
  g_assert_cmpstr (dossier_merchant_get_notes (dossier_merchant_store_lookup (check, dossier_merchant_get_id (a))),
                   ==, "from one");
  g_assert_nonnull (dossier_merchant_store_lookup (check, dossier_merchant_get_id (b)));

  /* removed by one, then updated by two: said plainly */
  id_a = g_strdup (dossier_merchant_get_id (a));
  g_assert_true (dossier_merchant_store_remove (one, id_a, &error));
  g_assert_no_error (error);
  a = dossier_merchant_store_lookup (two, id_a);
  dossier_merchant_set_notes (a, "from two");
  g_assert_false (dossier_merchant_store_update (two, a, &error));
  g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_FOUND);
  g_assert_cmpuint (n_items (two), ==, 1);
}

/* Reloads @fx's folder and returns the record of @id there */
static DossierMerchant *
reload_lookup (Fixture               *fx,
               DossierMerchantStore **check,
               const char            *id)
{
  g_clear_object (check);
  *check = open_store (fx);
  return dossier_merchant_store_lookup (*check, id);
}

/* A save after another process's change writes the caller's change, not a
 * line of the other process that happens to have the same change count */
static void
test_cache_after_reread (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) c = open_store (fx);
  g_autoptr(DossierMerchantStore) a = NULL;
  g_autoptr(DossierMerchantStore) b = NULL;
  g_autoptr(DossierMerchantStore) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  DossierMerchant *in_a, *in_b, *saved;

  id = g_strdup (dossier_merchant_get_id (add_merchant (fx, c, "Original", NULL)));
  a = open_store (fx);
  b = open_store (fx);

  in_b = dossier_merchant_store_lookup (b, id);
  g_assert_true (dossier_merchant_set_account_value (in_b, provider (fx, "moov"), "accountID", ACCOUNT_A, &error));
  g_assert_true (dossier_merchant_set_account_value (in_b, provider (fx, "receeve"), "clientId", "c-1", &error));
  g_assert_true (dossier_merchant_store_update (b, in_b, &error));
  g_assert_no_error (error);

  in_a = dossier_merchant_store_lookup (a, id);
  dossier_merchant_set_name (in_a, "Renamed by A");
  g_assert_true (dossier_merchant_store_update (a, in_a, &error));
  g_assert_no_error (error);

  /* what the list shows is what the file holds */
  saved = reload_lookup (fx, &check, id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (dossier_merchant_get_name (dossier_merchant_store_lookup (a, id)), ==, "Renamed by A");
  g_assert_cmpstr (dossier_merchant_get_name (saved), ==, "Renamed by A");

  /* a record with the id of one replaces it (its change count is the
   * listed record's by chance: two account values, read from a line) */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(DossierMerchant) replacement = NULL;
    g_autofree char *line = g_strdup_printf ("{\"format\":1,\"id\":\"%s\",\"name\":\"Replaced\","
                                             "\"accounts\":{\"moov\":{\"accountID\":\"" ACCOUNT_B "\"}}}", id);

    g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
    replacement = _dossier_merchant_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (_dossier_merchant_get_generation (replacement) + 1, ==,
                      _dossier_merchant_get_generation (dossier_merchant_store_lookup (check, id)));
    g_assert_true (dossier_merchant_store_update (check, replacement, &error));
    g_assert_no_error (error);
    saved = reload_lookup (fx, &check, id);
    g_assert_cmpstr (dossier_merchant_get_name (saved), ==, "Replaced");
    g_assert_cmpstr (dossier_merchant_get_account_value (saved, "moov", "accountID"), ==, ACCOUNT_B);
  }
}

/* Two processes change one merchant: each keeps its own change (a merge
 * by member against the version the process loaded) */
static void
test_merge_by_member (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) a = open_store (fx);
  g_autoptr(DossierMerchantStore) b = NULL;
  g_autoptr(DossierMerchantStore) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  DossierMerchant *in_a, *in_b, *saved;

  in_a = add_merchant (fx, a, "Toko Makmur", ACCOUNT_A);
  id = g_strdup (dossier_merchant_get_id (in_a));
  dossier_merchant_set_notes (in_a, "Owner Budi");
  g_assert_true (dossier_merchant_store_update (a, in_a, &error));
  b = open_store (fx);

  /* b: a new Moov account, a receeve client, notes removed */
  in_b = dossier_merchant_store_lookup (b, id);
  g_assert_true (dossier_merchant_set_account_value (in_b, provider (fx, "moov"), "accountID", ACCOUNT_B, &error));
  g_assert_true (dossier_merchant_set_account_value (in_b, provider (fx, "receeve"), "clientId", "c-1", &error));
  dossier_merchant_set_notes (in_b, NULL);
  g_assert_true (dossier_merchant_store_update (b, in_b, &error));
  g_assert_no_error (error);

  /* a, on its stale copy: a new name and a reference */
  dossier_merchant_set_name (in_a, "Toko Makmur Jaya");
  dossier_merchant_set_reference (in_a, "CASE-17");
  g_assert_true (dossier_merchant_store_update (a, in_a, &error));
  g_assert_no_error (error);

  saved = reload_lookup (fx, &check, id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (dossier_merchant_get_name (saved), ==, "Toko Makmur Jaya");
  g_assert_cmpstr (dossier_merchant_get_reference (saved), ==, "CASE-17");
  g_assert_null (dossier_merchant_get_notes (saved));
  g_assert_cmpstr (dossier_merchant_get_account_value (saved, "moov", "accountID"), ==, ACCOUNT_B);
  g_assert_cmpstr (dossier_merchant_get_account_value (saved, "receeve", "clientId"), ==, "c-1");

  /* a's list shows what the file holds */
  in_a = dossier_merchant_store_lookup (a, id);
  g_assert_null (dossier_merchant_get_notes (in_a));
  g_assert_cmpstr (dossier_merchant_get_account_value (in_a, "moov", "accountID"), ==, ACCOUNT_B);
  g_assert_cmpstr (dossier_merchant_get_account_value (in_a, "receeve", "clientId"), ==, "c-1");

  /* the same member changed by both: the later save wins it, the rest
   * merges all the same */
  in_b = dossier_merchant_store_lookup (b, id);
  dossier_merchant_set_name (in_b, "Name from b");
  g_assert_true (dossier_merchant_store_update (b, in_b, &error));
  in_a = dossier_merchant_store_lookup (a, id);
  dossier_merchant_set_name (in_a, "Name from a");
  g_assert_true (dossier_merchant_set_account_value (in_a, provider (fx, "moov"), "accountID", NULL, &error));
  g_assert_true (dossier_merchant_store_update (a, in_a, &error));
  g_assert_no_error (error);
  saved = reload_lookup (fx, &check, id);
  g_assert_cmpstr (dossier_merchant_get_name (saved), ==, "Name from a");
  g_assert_null (dossier_merchant_get_account_value (saved, "moov", "accountID"));
  g_assert_cmpstr (dossier_merchant_get_account_value (saved, "receeve", "clientId"), ==, "c-1");
  g_assert_cmpstr (dossier_merchant_get_reference (saved), ==, "CASE-17");

  /* an object a's list no longer holds (a's next save read b's change
   * into a new one) merges all the same */
  in_a = dossier_merchant_store_lookup (a, id);
  g_object_ref (in_a);
  in_b = dossier_merchant_store_lookup (b, id);
  dossier_merchant_set_notes (in_b, "from b");
  g_assert_true (dossier_merchant_store_update (b, in_b, &error));
  add_merchant (fx, a, "Warung Jaya", NULL);
  g_assert_true (dossier_merchant_store_lookup (a, id) != in_a);
  dossier_merchant_set_reference (in_a, "CASE-18");
  g_assert_true (dossier_merchant_store_update (a, in_a, &error));
  g_assert_no_error (error);
  g_object_unref (in_a);
  saved = reload_lookup (fx, &check, id);
  g_assert_cmpstr (dossier_merchant_get_reference (saved), ==, "CASE-18");
  g_assert_cmpstr (dossier_merchant_get_notes (saved), ==, "from b");
  g_assert_cmpstr (dossier_merchant_get_name (saved), ==, "Name from a");
}

/* A merchant whose id is on two lines is removed with both */
static void
test_remove_duplicate (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_dir (fx);
  g_autofree char *path = g_build_filename (dir, "merchants.jsonl", NULL);
  g_autofree char *removed_path = g_build_filename (dir, "merchants-removed.jsonl", NULL);
  g_autofree char *removed = NULL;
  g_autofree char *after = NULL;
  const char *lines =
    "{\"format\":1,\"id\":\"" ACCOUNT_A "\",\"name\":\"Toko Makmur\"}\n"
    "{\"format\":1,\"id\":\"" ACCOUNT_B "\",\"name\":\"Warung Jaya\"}\n"
    "{\"format\":1,\"id\":\"" ACCOUNT_A "\",\"name\":\"Second copy\"}\n";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, lines, -1, &error);
  g_assert_no_error (error);

  store = open_store (fx);
  g_assert_cmpuint (n_items (store), ==, 2);
  g_assert_cmpuint (dossier_merchant_store_get_problems (store)->len, ==, 1);

  g_assert_true (dossier_merchant_store_remove (store, ACCOUNT_A, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (store), ==, 1);

  g_clear_object (&store);
  store = open_store (fx);
  g_assert_cmpuint (n_items (store), ==, 1);
  g_assert_null (dossier_merchant_store_lookup (store, ACCOUNT_A));
  g_assert_cmpuint (dossier_merchant_store_get_problems (store)->len, ==, 0);
  after = read_store_file (store);
  g_assert_null (strstr (after, ACCOUNT_A));

  /* both lines kept with the removed merchants, not lost */
  g_file_get_contents (removed_path, &removed, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (removed, "Toko Makmur"));
  g_assert_nonnull (strstr (removed, "Second copy"));
}

/* A member the record does not know is not written back (a hand-edited
 * "token" never stays); reported by its name, never its value. A line of a
 * newer format stays as it is. */
static void
test_unknown_members (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_dir (fx);
  g_autofree char *path = g_build_filename (dir, "merchants.jsonl", NULL);
  g_autofree char *after = NULL;
  GPtrArray *problems;
  const char *newer = "{\"format\":2,\"id\":\"0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6\",\"name\":\"Future\","
                      "\"signing\":{\"key\":\"kept-as-it-is\"}}";
  g_autofree char *lines = g_strconcat (
    "{\"format\":1,\"id\":\"" ACCOUNT_A "\",\"name\":\"Toko Makmur\",\"token\":\"" SECRET "\","
    "\"x\":{\"apiKey\":\"" SECRET "\"},\"accounts\":{\"moov\":{\"accountID\":\"" ACCOUNT_B "\"}}}\n",
    "{\"format\":1,\"id\":\"" ACCOUNT_B "\",\"name\":\"Warung Jaya\",\"notes\":\"n\"}\n",
    newer, "\n", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, lines, -1, &error);
  g_assert_no_error (error);

  store = open_store (fx);
  g_assert_cmpuint (n_items (store), ==, 2);
  problems = dossier_merchant_store_get_problems (store);
  g_assert_cmpuint (problems->len, ==, 2);
  g_test_message ("%s", ((GError *) g_ptr_array_index (problems, 0))->message);
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 0))->message, "line 1: "));
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 0))->message, "token"));
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (problems, 0))->message, "“x”"));
  g_assert_null (strstr (((GError *) g_ptr_array_index (problems, 0))->message, SECRET));
  g_assert_error ((GError *) g_ptr_array_index (problems, 1), DOSSIER_MERCHANT_ERROR,
                  DOSSIER_MERCHANT_ERROR_NEWER);

  /* any save: the unknown members are gone, the record and the newer
   * line stay */
  add_merchant (fx, store, "Butik Indah", NULL);
  after = read_store_file (store);
  g_assert_null (strstr (after, SECRET));
  g_assert_null (strstr (after, "token"));
  g_assert_nonnull (strstr (after, newer));

  g_clear_object (&store);
  store = open_store (fx);
  g_assert_cmpuint (n_items (store), ==, 3);
  g_assert_cmpuint (dossier_merchant_store_get_problems (store)->len, ==, 1);
  g_assert_cmpstr (dossier_merchant_get_account_value (dossier_merchant_store_lookup (store, ACCOUNT_A),
                                                       "moov", "accountID"), ==, ACCOUNT_B);
}

static guint
count (DossierMerchantStore *store,
       const char           *query)
{
  g_autoptr(GPtrArray) found = dossier_merchant_store_search (store, query);

  return found->len;
}

/* Name, reference and notes; any case, any accents, any part of a word */
static void
test_search (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) store = open_store (fx);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  DossierMerchant *a, *b;

  a = add_merchant (fx, store, "Toko Makmur", NULL);
  b = add_merchant (fx, store, "Café Sinar", NULL);
  add_merchant (fx, store, "Warung Jaya", NULL);
  dossier_merchant_set_reference (a, "CASE-2026-17");
  dossier_merchant_set_notes (a, "Owner Budi, call on Friday");
  dossier_merchant_set_notes (b, "ÉTÉ ŞEKER İstanbul");
  g_assert_true (dossier_merchant_store_update (store, a, &error));
  g_assert_true (dossier_merchant_store_update (store, b, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count (store, NULL), ==, 3);
  g_assert_cmpuint (count (store, "   "), ==, 3);
  g_assert_cmpuint (count (store, "makmur"), ==, 1);
  g_assert_cmpuint (count (store, "MAKMUR"), ==, 1);
  g_assert_cmpuint (count (store, "akmu"), ==, 1);
  g_assert_cmpuint (count (store, "case-2026-17"), ==, 1);
  g_assert_cmpuint (count (store, "budi"), ==, 1);
  g_assert_cmpuint (count (store, "toko  budi"), ==, 1);       /* words in two fields */
  g_assert_cmpuint (count (store, "toko sinar"), ==, 0);       /* every word must match */
  g_assert_cmpuint (count (store, "cafe"), ==, 1);
  g_assert_cmpuint (count (store, "CAFÉ"), ==, 1);
  g_assert_cmpuint (count (store, "ete seker"), ==, 1);
  g_assert_cmpuint (count (store, "a"), ==, 3);
  g_assert_cmpuint (count (store, "nowhere"), ==, 0);

  /* sorted by name */
  found = dossier_merchant_store_search (store, "a");
  g_assert_true (g_ptr_array_index (found, 0) == b);
  g_assert_true (g_ptr_array_index (found, 1) == a);

  /* a change is searched at once */
  dossier_merchant_set_name (b, "Kedai Sinar");
  g_assert_cmpuint (count (store, "cafe"), ==, 0);
  g_assert_true (dossier_merchant_matches (b, "kedai"));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

/* The list tells a view what changed */
static void
test_list_model (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(DossierMerchantStore) store = open_store (fx);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  DossierMerchant *b;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == DOSSIER_TYPE_MERCHANT);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), log);

  add_merchant (fx, store, "Toko", NULL);
  b = add_merchant (fx, store, "Apotek", NULL);
  dossier_merchant_set_name (b, "Warung");
  g_assert_true (dossier_merchant_store_update (store, b, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_merchant_store_remove (store, dossier_merchant_get_id (b), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "0-0+1 0-0+1 0-1+0 1-0+1 1-1+0 ");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 1));
}

static void
load_async_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;
  gboolean read = dossier_merchant_store_load_finish (DOSSIER_MERCHANT_STORE (object), result, error);

  g_assert_true (read == (*error == NULL));
  /* marks the end */
  if (read)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "read");
}

/* Runs @context until the read ends; the read's own error, or NULL */
static GError *
finish_load (GMainContext *context,
             GError      **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (context, TRUE);
  if (g_error_matches (*slot, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_clear_error (slot);
      return NULL;
    }
  return g_steal_pointer (slot);
}

/* The records read on a worker: the list stays as it is (and "loaded"
 * unset) until the main context takes the read; a save meanwhile wins
 * over the older read; a file that cannot be read is an error, and a save
 * then writes nothing */
static void
test_load_async (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *dir = store_dir (fx);
  g_autofree char *path = g_build_filename (dir, "merchants.jsonl", NULL);
  g_autofree char *aside = g_build_filename (fx->dir, "aside.jsonl", NULL);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(DossierMerchantStore) writer = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) slot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierMerchant) late = NULL;
  g_autofree char *text = NULL;
  guint signalled = 0;

  g_main_context_push_thread_default (context);

  /* no file yet: known empty at once */
  store = dossier_merchant_store_new (fx->catalogue, dir);
  g_assert_false (dossier_merchant_store_get_loaded (store));
  dossier_merchant_store_load_async (store, NULL, load_async_cb, &slot);
  g_assert_true (dossier_merchant_store_get_loaded (store));
  g_assert_false (dossier_merchant_store_get_loading (store));
  g_assert_null (finish_load (context, &slot));
  g_assert_cmpuint (n_items (store), ==, 0);
  g_clear_object (&store);

  /* three merchants and a damaged line */
  writer = open_store (fx);
  add_merchant (fx, writer, "Toko Makmur", NULL);
  add_merchant (fx, writer, "Apotek Sehat", NULL);
  add_merchant (fx, writer, "Warung Jaya", ACCOUNT_A);
  text = read_store_file (writer);
  {
    g_autofree char *damaged = g_strconcat (text, "{\"format\":1,\"id\":\n", NULL);

    g_file_set_contents (path, damaged, -1, &error);
    g_assert_no_error (error);
  }

  store = dossier_merchant_store_new (fx->catalogue, dir);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), log);
  g_signal_connect (store, "problem", G_CALLBACK (problem_cb), &signalled);
  dossier_merchant_store_load_async (store, NULL, load_async_cb, &slot);
  g_assert_false (dossier_merchant_store_get_loaded (store));
  g_assert_true (dossier_merchant_store_get_loading (store));
  g_assert_cmpuint (n_items (store), ==, 0);
  g_assert_null (finish_load (context, &slot));
  g_assert_true (dossier_merchant_store_get_loaded (store));
  g_assert_false (dossier_merchant_store_get_loading (store));
  g_assert_null (dossier_merchant_store_get_load_error (store));
  g_assert_cmpstr (log->str, ==, "0-0+3 ");
  g_assert_cmpuint (signalled, ==, 1);
  g_assert_cmpuint (dossier_merchant_store_get_problems (store)->len, ==, 1);
  g_assert_cmpstr (dossier_merchant_get_name (nth (store, 0)), ==, "Apotek Sehat");
  g_assert_cmpstr (dossier_merchant_get_account_value (nth (store, 2), "moov", "accountID"), ==, ACCOUNT_A);
  g_clear_object (&store);

  /* a save while the worker's read waits for the main context: the
   * older read does not take the new merchant away */
  store = dossier_merchant_store_new (fx->catalogue, dir);
  dossier_merchant_store_load_async (store, NULL, load_async_cb, &slot);
  while (!g_main_context_pending (context))
    g_usleep (1000);
  late = g_object_ref (add_merchant (fx, store, "Butik Indah", NULL));
  g_assert_cmpuint (n_items (store), ==, 4);
  g_assert_null (finish_load (context, &slot));
  g_assert_cmpuint (n_items (store), ==, 4);
  g_assert_true (dossier_merchant_store_lookup (store, dossier_merchant_get_id (late)) == late);
  g_assert_true (dossier_merchant_store_get_loaded (store));
  g_assert_false (dossier_merchant_store_get_loading (store));
  g_clear_object (&store);

  /* a file that cannot be read: an error, "loaded" unset, and a save
   * writes nothing over it */
  g_assert_cmpint (g_rename (path, aside), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  store = dossier_merchant_store_new (fx->catalogue, dir);
  dossier_merchant_store_load_async (store, NULL, load_async_cb, &slot);
  error = finish_load (context, &slot);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (dossier_merchant_store_get_loaded (store));
  g_assert_false (dossier_merchant_store_get_loading (store));
  g_assert_nonnull (dossier_merchant_store_get_load_error (store));
  g_assert_cmpstr (dossier_merchant_store_get_load_error (store)->message, ==, error->message);
  g_clear_error (&error);
  {
    g_autoptr(DossierMerchant) merchant = dossier_merchant_new ("Kedai Damai");

    g_assert_false (dossier_merchant_store_add (store, merchant, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_assert_cmpint (g_rename (aside, path), ==, 0);

  /* read again, it works */
  dossier_merchant_store_load_async (store, NULL, load_async_cb, &slot);
  g_assert_null (finish_load (context, &slot));
  g_assert_true (dossier_merchant_store_get_loaded (store));
  g_assert_null (dossier_merchant_store_get_load_error (store));
  g_assert_cmpuint (n_items (store), ==, 4);

  g_main_context_pop_thread_default (context);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* A read that failed, tried again where there is nothing to parse (read
 * at once, not on a worker) and failing for another reason: "loading"
 * is notified all the same, so the failed page shows the new reason */
static void
test_load_async_again (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *dir = store_dir (fx);
  g_autofree char *path = g_build_filename (dir, "merchants.jsonl", NULL);
  g_autofree char *empty = g_build_filename (fx->dir, "empty.jsonl", NULL);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(DossierMerchantStore) store = NULL;
  g_autoptr(GError) slot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  guint notified = 0;

  g_main_context_push_thread_default (context);

  /* a folder where the file should be: read on a worker, fails */
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  store = dossier_merchant_store_new (fx->catalogue, dir);
  dossier_merchant_store_load_async (store, NULL, load_async_cb, &slot);
  error = finish_load (context, &slot);
  g_assert_nonnull (error);
  g_assert_nonnull (dossier_merchant_store_get_load_error (store));
  first = g_strdup (dossier_merchant_store_get_load_error (store)->message);
  g_clear_error (&error);

  /* now a link to an empty file: nothing to parse, so read at once, and
   * the store does not follow links */
  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink (empty, path), ==, 0);

  g_signal_connect (store, "notify::loading", G_CALLBACK (count_notify_cb), &notified);
  dossier_merchant_store_load_async (store, NULL, load_async_cb, &slot);
  error = finish_load (context, &slot);
  g_assert_nonnull (error);
  g_assert_false (dossier_merchant_store_get_loaded (store));
  g_assert_false (dossier_merchant_store_get_loading (store));
  g_assert_nonnull (dossier_merchant_store_get_load_error (store));
  g_assert_cmpstr (dossier_merchant_store_get_load_error (store)->message, ==, error->message);
  g_assert_cmpstr (error->message, !=, first);
  /* set and unset: whoever shows the reason hears of it */
  g_assert_cmpuint (notified, ==, 2);

  g_main_context_pop_thread_default (context);
}

/* $XDG_DATA_HOME/dossier */
static void
test_default_directory (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "dossier", NULL);
  g_autofree char *dir = dossier_merchant_store_default_directory ();
  g_autoptr(DossierMerchantStore) store = dossier_merchant_store_new (fx->catalogue, NULL);
  g_autofree char *path = g_build_filename (expected, "merchants.jsonl", NULL);

  g_assert_cmpstr (dir, ==, expected);
  g_assert_cmpstr (dossier_merchant_store_get_path (store), ==, path);
}

/* The account values a provider's requirement request needs (DOKU's
 * business type, legal entity, business line, nationality) are account
 * values too: asked for, kept, written and read back */
static void
test_requirement_account_fields (Fixture       *fx,
                                 gconstpointer  data)
{
  static const char * const names[] = {
    "businessType", "businessLegalEntity", "brandBusinessLine", "businessContactNationality", NULL
  };
  static const char * const values[] = { "PERSONAL", "PERSEORANGAN", "RETAIL", "ID", NULL };
  g_autoptr(DossierMerchantStore) store = open_store (fx);
  g_autoptr(DossierMerchantStore) again = NULL;
  g_autoptr(GPtrArray) fields = dossier_merchant_account_fields (provider (fx, "doku"));
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  DossierMerchant *merchant = add_merchant (fx, store, "Toko Makmur", NULL);
  DossierMerchant *copy;

  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < fields->len; j++)
        found |= g_str_equal (dossier_field_get_name (g_ptr_array_index (fields, j)), names[i]);
      g_assert_true (found);
    }

  missing = dossier_merchant_missing_account_fields (merchant, provider (fx, "doku"));
  g_assert_cmpuint (missing->len, ==, 4);
  g_clear_pointer (&missing, g_ptr_array_unref);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_assert_true (dossier_merchant_set_account_value (merchant, provider (fx, "doku"), names[i],
                                                         values[i], &error));
      g_assert_no_error (error);
    }
  missing = dossier_merchant_missing_account_fields (merchant, provider (fx, "doku"));
  g_assert_cmpuint (missing->len, ==, 0);
  g_assert_true (dossier_merchant_store_update (store, merchant, &error));
  g_assert_no_error (error);

  /* read back from the file, not dropped as unknown */
  again = open_store (fx);
  g_assert_cmpuint (dossier_merchant_store_get_problems (again)->len, ==, 0);
  copy = dossier_merchant_store_lookup (again, dossier_merchant_get_id (merchant));
  g_assert_nonnull (copy);
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_cmpstr (dossier_merchant_get_account_value (copy, "doku", names[i]), ==, values[i]);

  /* a document field is still refused */
  g_assert_false (dossier_merchant_set_account_value (merchant, provider (fx, "doku"), "category",
                                                      "DOCUMENT", &error));
  g_assert_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/merchant/account-fields", test_account_fields);
  ADD ("/merchant/no-secret", test_no_secret);
  ADD ("/merchant/round-trip", test_round_trip);
  ADD ("/merchant/permissions", test_permissions);
  ADD ("/merchant/corrupt", test_corrupt);
  ADD ("/merchant/atomic-kill", test_atomic_kill);
  ADD ("/merchant/two-processes", test_two_processes);
  ADD ("/merchant/cache-after-reread", test_cache_after_reread);
  ADD ("/merchant/merge-by-member", test_merge_by_member);
  ADD ("/merchant/remove-duplicate", test_remove_duplicate);
  ADD ("/merchant/unknown-members", test_unknown_members);
  ADD ("/merchant/search", test_search);
  ADD ("/merchant/list-model", test_list_model);
  ADD ("/merchant/load-async", test_load_async);
  ADD ("/merchant/load-async-again", test_load_async_again);
  ADD ("/merchant/default-directory", test_default_directory);
  ADD ("/merchant/requirement-account-fields", test_requirement_account_fields);
#undef ADD

  return g_test_run ();
}
