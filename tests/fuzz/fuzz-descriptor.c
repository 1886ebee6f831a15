/* fuzz-descriptor.c: the provider descriptor loader
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A descriptor in the user's providers folder is read at every start: it
 * must load or be refused with a "file:line: reason" message, never crash.
 */

#include "config.h"

#include <string.h>

#include "dossier-catalogue.h"
#include "dossier-provider.h"

#include "fuzz-util.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  dossier_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DossierProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = dossier_provider_new_from_data ((const char *) data, (gssize) size, "fuzz.json", &error);

  if (provider == NULL)
    {
      /* every refusal names the file */
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.json"));
    }
  else
    {
      g_assert_no_error (error);
      /* what a loaded provider promises */
      g_assert_nonnull (dossier_provider_get_id (provider));
      g_assert_nonnull (dossier_provider_get_name (provider));
      g_assert_true (dossier_provider_get_path (provider)[0] == '/');
      g_assert_null (strstr (dossier_provider_get_path (provider), "/../"));
    }

  return 0;
}
