/* test-field-json.c: a keyed JSON field's value, built from one text per
 * key and split back
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Moov's metadata is the keyed JSON field of the built-in catalogue: its
 * keys are representative_id, comment, requirement_id and error_code.
 */

#include "config.h"

#include "dossier-catalogue.h"
#include "dossier-field-json.h"

static DossierCatalogue *catalogue;

static DossierField *
metadata_field (void)
{
  DossierProvider *moov = dossier_catalogue_lookup (catalogue, "moov");
  DossierField *field;
  const char * const keys[] = { "representative_id", "comment", "requirement_id", "error_code", NULL };

  g_assert_nonnull (moov);
  field = dossier_provider_lookup_field (moov, "metadata");
  g_assert_nonnull (field);
  g_assert_cmpstrv (dossier_field_get_json_keys (field), keys);
  return field;
}

static void
test_build (void)
{
  DossierField *field = metadata_field ();
  const char * const none[] = { NULL, "", "  ", "\t", NULL };
  const char * const some[] = { " R-1 ", NULL, "", "said \"no\"\\", NULL };
  const char * const all[] = { "R-1", "ok", "Q-7", "E42", NULL };
  g_autofree char *empty = dossier_field_json_build (field, none);
  g_autofree char *partial = dossier_field_json_build (field, some);
  g_autofree char *full = dossier_field_json_build (field, all);
  g_autoptr(GError) error = NULL;

  /* nothing set: no value at all, not "{}" */
  g_assert_null (empty);

  /* only what is set, stripped, quoted by json-glib */
  g_assert_cmpstr (partial, ==, "{\"representative_id\":\"R-1\",\"error_code\":\"said \\\"no\\\"\\\\\"}");
  g_assert_true (dossier_field_validate (field, partial, &error));
  g_assert_no_error (error);

  /* in the descriptor's order */
  g_assert_cmpstr (full, ==,
                   "{\"representative_id\":\"R-1\",\"comment\":\"ok\",\"requirement_id\":\"Q-7\",\"error_code\":\"E42\"}");
}

static void
test_split (void)
{
  DossierField *field = metadata_field ();
  const char * const blank[] = { "", "", "", "", NULL };
  const char * const some[] = { "R-1", "", "", "said \"no\"", NULL };
  g_auto(GStrv) from_null = dossier_field_json_split (field, NULL);
  g_auto(GStrv) from_empty = dossier_field_json_split (field, "");
  g_auto(GStrv) from_object = dossier_field_json_split (field, "{}");
  g_auto(GStrv) texts = dossier_field_json_split (field,
                                                  "{\"error_code\": \"said \\\"no\\\"\", \"representative_id\": \"R-1\"}");
  g_autofree char *again = NULL;

  g_assert_cmpstrv (from_null, blank);
  g_assert_cmpstrv (from_empty, blank);
  g_assert_cmpstrv (from_object, blank);

  /* one text per key, in the keys' order, whatever the value's order */
  g_assert_cmpstrv (texts, some);
  again = dossier_field_json_build (field, (const char * const *) texts);
  g_assert_cmpstr (again, ==, "{\"representative_id\":\"R-1\",\"error_code\":\"said \\\"no\\\"\"}");
}

/* What the texts cannot show is not split: the value stays as it is and
 * dossier_field_validate() says why it cannot be sent */
static void
test_split_refused (void)
{
  DossierField *field = metadata_field ();
  const char *refused[] = {
    "{\"note\": \"x\"}",              /* a key the field does not have */
    "{\"comment\": 3}",               /* a number */
    "{\"comment\": null}",
    "{\"comment\": {\"a\": \"b\"}}",
    "[\"comment\"]",                  /* not an object */
    "\"comment\"",
    "{\"comment\": \"x\"",            /* broken */
    "comment=x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(GStrv) texts = dossier_field_json_split (field, refused[i]);

      g_test_message ("%s", refused[i]);
      g_assert_null (texts);
      g_assert_false (dossier_field_validate (field, refused[i], NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  catalogue = dossier_catalogue_new ();
  g_assert_true (dossier_catalogue_load_builtin (catalogue, &error));
  g_assert_no_error (error);

  g_test_add_func ("/field-json/build", test_build);
  g_test_add_func ("/field-json/split", test_split);
  g_test_add_func ("/field-json/split-refused", test_split_refused);

  ret = g_test_run ();
  g_object_unref (catalogue);
  return ret;
}
