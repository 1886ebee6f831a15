/* merchant-bench.c: the merchant store with thousands of records, timed
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Driven by build-aux/merchant-benchmark.sh; built only when asked
 * (meson compile -C _build merchant-bench).
 *
 *   merchant-bench generate DIR N [PER_FILE_DIR]
 *       writes N records to DIR/merchants.jsonl as the store does (no sync:
 *       setup only), and each as a file of its own in PER_FILE_DIR
 *   merchant-bench store DIR
 *       loads them with DossierMerchantStore and searches
 *   merchant-bench reference-lines FILE
 *       reads the same file and parses each line with bare json-glib,
 *       keeping nothing: the floor of the store's way
 *   merchant-bench reference-files DIR
 *       the same with one file per record: the way not taken
 *   merchant-bench history DIR ROWS MERCHANTS
 *       writes ROWS upload rows (JSON lines) and reads them back, counting
 *       them per merchant: the floor of loading the upload record
 *   merchant-bench history-model DIR ROWS MERCHANTS
 *       writes ROWS finished entries in the record's own format
 *       (history.jsonl, as dossier-history.c writes them) and loads them
 *       with DossierHistory (its limit raised to ROWS), then searches it
 *       as the duplicate guard does (the first load, file cache cold
 *       perhaps, is printed apart)
 *
 * Output: "key value" lines, for the script to read.
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "dossier-history-private.h"
#include "dossier-json.h"
#include "dossier-merchant-private.h"
#include "dossier-merchant-store.h"

#define ROUNDS 5

static const char * const first[] = {
  "Toko", "Warung", "CV", "PT", "Apotek", "Bengkel", "Kedai", "Café", "Rumah Makan", "Butik",
};
static const char * const second[] = {
  "Makmur", "Sejahtera", "Jaya", "Abadi", "Sentosa", "Lestari", "Mandiri", "Berkah", "Sumber Rezeki",
  "Maju", "Bersama", "Indah", "Nusantara", "Harapan", "Damai", "Sinar", "Mulia", "Cahaya",
};

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static DossierCatalogue *
catalogue_new (void)
{
  DossierCatalogue *catalogue = dossier_catalogue_new ();
  g_autoptr(GError) error = NULL;

  if (!dossier_catalogue_load_builtin (catalogue, &error))
    g_error ("%s", error->message);
  return catalogue;
}

static int
generate (const char *dir,
          guint       n,
          const char *per_file)
{
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DossierCatalogue) catalogue = catalogue_new ();
  DossierProvider *moov = dossier_catalogue_lookup (catalogue, "moov");
  DossierProvider *receeve = dossier_catalogue_lookup (catalogue, "receeve");
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (per_file != NULL && g_mkdir_with_parents (per_file, 0700) != 0))
    g_error ("cannot make %s", dir);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s %s %u",
                                               first[g_rand_int_range (rand, 0, G_N_ELEMENTS (first))],
                                               second[g_rand_int_range (rand, 0, G_N_ELEMENTS (second))],
                                               second[g_rand_int_range (rand, 0, G_N_ELEMENTS (second))],
                                               i);
      g_autofree char *reference = g_strdup_printf ("CASE-2026-%05u", i);
      g_autofree char *account = g_uuid_string_random ();
      g_autofree char *text = NULL;
      g_autoptr(DossierMerchant) merchant = dossier_merchant_new (name);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      gsize length;

      dossier_merchant_set_reference (merchant, reference);
      dossier_merchant_set_notes (merchant, "Onboarding started by the branch office; the deed "
                                  "and the tax document are still to come. Call the owner "
                                  "before Friday.");
      dossier_merchant_set_account_value (merchant, moov, "accountID", account, NULL);
      if (i % 3 == 0)
        {
          dossier_merchant_set_account_value (merchant, receeve, "clientId", "client-42", NULL);
          dossier_merchant_set_account_value (merchant, receeve, "accountId", reference, NULL);
        }

      root = _dossier_merchant_to_json (merchant);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, &length);
      g_string_append_len (all, text, length);
      g_string_append_c (all, '\n');

      /* the same record as a file of its own, for the comparison */
      if (per_file != NULL)
        {
          g_autofree char *file_name = g_strconcat (dossier_merchant_get_id (merchant), ".json", NULL);
          g_autofree char *own = g_build_filename (per_file, file_name, NULL);

          if (!g_file_set_contents_full (own, text, length, G_FILE_SET_CONTENTS_NONE, 0600, &error))
            g_error ("%s", error->message);
        }
    }

  path = g_build_filename (dir, "merchants.jsonl", NULL);
  if (!g_file_set_contents_full (path, all->str, all->len, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("%s", error->message);

  g_print ("generated %u\n", n);
  return 0;
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
run_store (const char *dir)
{
  static const char * const queries[] = { "makmur", "cafe sinar", "case-2026-0421", "nomatch", "" };
  g_autoptr(DossierCatalogue) catalogue = catalogue_new ();
  double load[ROUNDS], load_cpu[ROUNDS], search[ROUNDS], first_search[ROUNDS], first_search_cpu[ROUNDS];
  guint n = 0, hits = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(DossierMerchantStore) store = dossier_merchant_store_new (catalogue, dir);
      g_autoptr(GError) error = NULL;
      double start = now_ms (), start_cpu = cpu_ms ();

      if (!dossier_merchant_store_load (store, &error))
        g_error ("%s", error->message);
      load[round] = now_ms () - start;
      load_cpu[round] = cpu_ms () - start_cpu;
      n = g_list_model_get_n_items (G_LIST_MODEL (store));

      /* the first search folds every record's text; the others reuse it */
      hits = 0;
      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autoptr(GPtrArray) found = NULL;

          start = now_ms ();
          start_cpu = cpu_ms ();
          found = dossier_merchant_store_search (store, queries[q]);
          if (q == 0)
            {
              first_search[round] = now_ms () - start;
              first_search_cpu[round] = cpu_ms () - start_cpu;
            }
          else
            search[round] = (q == 1 ? 0 : search[round]) + (now_ms () - start);
          hits += found->len;
        }
      search[round] /= G_N_ELEMENTS (queries) - 1;
    }

  g_print ("merchants %u\n", n);
  g_print ("search_hits %u\n", hits);
  g_print ("load_ms %.1f\n", median (load, ROUNDS));
  g_print ("load_cpu_ms %.1f\n", median (load_cpu, ROUNDS));
  g_print ("first_search_ms %.1f\n", median (first_search, ROUNDS));
  g_print ("first_search_cpu_ms %.1f\n", median (first_search_cpu, ROUNDS));
  g_print ("search_ms %.2f\n", median (search, ROUNDS));
  g_print ("peak_rss_kib %ld\n", peak_rss_kib ());
  return 0;
}

/* The floor: read the text and parse it with json-glib, nothing kept;
 * @path is the one file of lines, or a folder of one file per record */
static int
run_reference (const char *path,
               gboolean    per_file)
{
  double load[ROUNDS], load_cpu[ROUNDS];
  guint n = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      double start = now_ms (), start_cpu = cpu_ms ();

      n = 0;
      if (per_file)
        {
          g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
          const char *name;

          while (d != NULL && (name = g_dir_read_name (d)) != NULL)
            {
              g_autofree char *file = g_build_filename (path, name, NULL);
              g_autofree char *text = NULL;
              gsize length;

              if (g_file_get_contents (file, &text, &length, NULL) &&
                  json_parser_load_from_data (parser, text, length, NULL))
                n++;
            }
        }
      else
        {
          g_autofree char *text = NULL;
          gsize length = 0;
          char *line, *end;

          g_file_get_contents (path, &text, &length, NULL);
          for (line = text; line != NULL && line < text + length; line = end + 1)
            {
              end = memchr (line, '\n', text + length - line);
              if (end == NULL)
                end = text + length;
              if (end > line && json_parser_load_from_data (parser, line, end - line, NULL))
                n++;
            }
        }
      load[round] = now_ms () - start;
      load_cpu[round] = cpu_ms () - start_cpu;
    }

  g_print ("records %u\n", n);
  g_print ("load_ms %.1f\n", median (load, ROUNDS));
  g_print ("load_cpu_ms %.1f\n", median (load_cpu, ROUNDS));
  g_print ("peak_rss_kib %ld\n", peak_rss_kib ());
  return 0;
}

/* 100,000 upload rows of the kind the merchant record will keep (one JSON
 * line each, the fields of issue 8 section 1), read and parsed through
 * dossier_json_load(), each row counted against its merchant: the floor of
 * loading that history */
static int
run_history (const char *dir,
             guint       n_rows,
             guint       n_merchants)
{
  g_autofree char *path = g_build_filename (dir, "uploads.jsonl", NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) merchants = g_new0 (char *, n_merchants + 1);
  double load[ROUNDS], load_cpu[ROUNDS];
  guint n = 0;

  for (guint i = 0; i < n_merchants; i++)
    merchants[i] = g_uuid_string_random ();

  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) &i, sizeof i);
      g_autofree char *remote = g_uuid_string_random ();

      g_string_append_printf (all,
                              "{\"merchant\":\"%s\",\"file_name\":\"ktp-%u.png\",\"size\":%u,"
                              "\"sha256\":\"%s\",\"provider\":\"moov\",\"environment\":\"sandbox\","
                              "\"account\":{\"accountID\":\"%s\"},\"category\":\"identity_verification\","
                              "\"requirement\":\"document.individual.verification\",\"remote_id\":\"%s\","
                              "\"link\":\"https://files.example/%s?sig=abc\",\"link_expires\":\"2026-12-05T10:00:00Z\","
                              "\"status\":\"pending\",\"message\":\"\",\"request_id\":\"%s\","
                              "\"time\":\"2026-12-05T09:00:00Z\"}\n",
                              merchants[g_rand_int_range (rand, 0, n_merchants)], i,
                              g_rand_int_range (rand, 1000, 20000000), sha, merchants[0],
                              remote, remote, remote);
    }
  if (!g_file_set_contents_full (path, all->str, all->len, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("%s", error->message);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GHashTable) per_merchant = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      double start = now_ms (), start_cpu = cpu_ms ();
      g_autofree char *text = NULL;
      gsize length = 0;
      char *line, *end;

      n = 0;
      g_file_get_contents (path, &text, &length, NULL);
      for (line = text; line != NULL && line < text + length; line = end + 1)
        {
          const char *merchant;
          JsonObject *object;

          end = memchr (line, '\n', text + length - line);
          if (end == NULL)
            end = text + length;
          if (end == line || !dossier_json_load (parser, line, end - line, 64 * 1024, NULL))
            continue;
          object = json_node_get_object (json_parser_get_root (parser));
          merchant = json_object_get_string_member (object, "merchant");
          g_hash_table_insert (per_merchant, g_strdup (merchant),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_merchant, merchant)) + 1));
          n++;
        }
      load[round] = now_ms () - start;
      load_cpu[round] = cpu_ms () - start_cpu;
    }

  g_print ("rows %u\n", n);
  g_print ("bytes %zu\n", all->len);
  g_print ("load_ms %.1f\n", median (load, ROUNDS));
  g_print ("load_cpu_ms %.1f\n", median (load_cpu, ROUNDS));
  g_print ("peak_rss_kib %ld\n", peak_rss_kib ());
  return 0;
}

/* DossierHistory itself over ROWS finished entries: load (every entry
 * in the model) and the duplicate guard's two searches */
static int
run_history_model (const char *dir,
                   guint       n_rows,
                   guint       n_merchants)
{
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  double cold = 0, cold_cpu = 0;
  double load[ROUNDS], load_cpu[ROUNDS], search[ROUNDS], search_cpu[ROUNDS];
  guint n = 0, found = 0;

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (all,
                            "{\"finished_at\":\"2026-12-01T10:00:00Z\",\"provider_id\":\"moov\","
                            "\"provider_name\":\"Moov\",\"environment\":\"sandbox\",\"file_name\":\"ktp-%u.png\","
                            "\"success\":true,\"remote_id\":\"R%u\",\"link\":\"https://files.example/R%u\","
                            "\"request_id\":\"req-%u\",\"upload\":\"u%u\",\"outcome\":\"sent\","
                            "\"merchant_id\":\"m%u\",\"sha256\":\"%064x\",\"size\":%u,"
                            "\"account\":{\"accountID\":\"a%u\"},\"document\":{\"filePurpose\":\"identity_verification\"}}\n",
                            i, i, i, i, i, i % n_merchants, i, 1000 + i, i % 50);
  if (!g_file_set_contents_full (path, all->str, all->len, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("%s", error->message);

  for (guint round = 0; round <= ROUNDS; round++)
    {
      g_autoptr(DossierHistory) history = dossier_history_new_for_path (path);
      g_autoptr(GPtrArray) same = NULL;
      g_autoptr(GPtrArray) other = NULL;
      g_autofree char *sha = g_strdup_printf ("%064x", n_rows / 2);
      double start = now_ms (), start_cpu = cpu_ms ();
      double t, t_cpu;

      /* no compaction while it is measured */
      dossier_history_set_max_entries (history, MAX (n_rows, 1));
      n = g_list_model_get_n_items (G_LIST_MODEL (history));
      t = now_ms () - start;
      t_cpu = cpu_ms () - start_cpu;
      if (round == 0)
        {
          /* the first: no index beside the record yet (every line
           * parsed; the index written when the history goes) */
          cold = t;
          cold_cpu = t_cpu;
          continue;
        }
      load[round - 1] = t;
      load_cpu[round - 1] = t_cpu;

      start = now_ms ();
      start_cpu = cpu_ms ();
      same = dossier_history_find_sent (history, sha, "moov", "sandbox", NULL);
      other = dossier_history_find_sent_for_other_merchants (history, sha, "m-none");
      search[round - 1] = now_ms () - start;
      search_cpu[round - 1] = cpu_ms () - start_cpu;
      found = same->len + other->len;
    }

  g_print ("rows %u\n", n);
  g_print ("bytes %zu\n", all->len);
  g_print ("found %u\n", found);
  g_print ("cold_ms %.1f\n", cold);
  g_print ("cold_cpu_ms %.1f\n", cold_cpu);
  g_print ("load_ms %.1f\n", median (load, ROUNDS));
  g_print ("load_cpu_ms %.1f\n", median (load_cpu, ROUNDS));
  g_print ("search_ms %.1f\n", median (search, ROUNDS));
  g_print ("search_cpu_ms %.1f\n", median (search_cpu, ROUNDS));
  {
    g_autofree char *index = g_strconcat (path, ".index", NULL);
    GStatBuf st;

    g_print ("index_bytes %lld\n", g_stat (index, &st) == 0 ? (long long) st.st_size : 0LL);
  }
  g_print ("peak_rss_kib %ld\n", peak_rss_kib ());
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* sorting by name follows the user's language, as in the application */
  setlocale (LC_ALL, "");

  if ((argc == 4 || argc == 5) && g_str_equal (argv[1], "generate"))
    return generate (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10), argc == 5 ? argv[4] : NULL);
  if (argc == 5 && g_str_equal (argv[1], "history"))
    return run_history (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10),
                        MAX (1, (guint) g_ascii_strtoull (argv[4], NULL, 10)));
  if (argc == 5 && g_str_equal (argv[1], "history-model"))
    return run_history_model (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10),
                              MAX (1, (guint) g_ascii_strtoull (argv[4], NULL, 10)));
  if (argc == 3 && g_str_equal (argv[1], "store"))
    return run_store (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "reference-lines"))
    return run_reference (argv[2], FALSE);
  if (argc == 3 && g_str_equal (argv[1], "reference-files"))
    return run_reference (argv[2], TRUE);

  g_printerr ("usage: %s generate DIR N [PER_FILE_DIR] | store DIR | reference-lines FILE | "
              "reference-files DIR | history DIR ROWS MERCHANTS\n", argv[0]);
  return 2;
}
