/* test-keyring-policy.c: when credentials come from and go to the keyring
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rule alone, one row per case; the keyring itself is test-secrets.c,
 * the provider page following the rule the GUI test.
 */

#include "config.h"

#include "dossier-keyring-policy.h"

/* the descriptor's plain data: strings the provider owns */
#define ENVIRONMENT(id, name, base_url, hint) \
  { (char *) id, (char *) name, (char *) base_url, (char *) hint }

static DossierEnvironment sandbox = ENVIRONMENT ("sandbox", "Sandbox", "sandbox:/doku", NULL);
static DossierEnvironment production = ENVIRONMENT ("production", "Production", "https://api.example.com", NULL);
static DossierEnvironment loopback = ENVIRONMENT ("local", "Local", "http://127.0.0.1:8080", NULL);
static DossierEnvironment given = ENVIRONMENT ("custom", "Your server", "", "https://files.example.com");

static void
test_source (void)
{
  g_assert_cmpint (dossier_keyring_policy_source (NULL), ==, DOSSIER_CREDENTIALS_SOURCE_NONE);
  /* the sandbox's credentials are its own, public ones */
  g_assert_cmpint (dossier_keyring_policy_source (&sandbox), ==, DOSSIER_CREDENTIALS_SOURCE_SANDBOX);
  g_assert_cmpint (dossier_keyring_policy_source (&production), ==, DOSSIER_CREDENTIALS_SOURCE_KEYRING);
  g_assert_cmpint (dossier_keyring_policy_source (&loopback), ==, DOSSIER_CREDENTIALS_SOURCE_KEYRING);
  /* an address the user gives is a real environment */
  g_assert_cmpint (dossier_keyring_policy_source (&given), ==, DOSSIER_CREDENTIALS_SOURCE_KEYRING);
}

static void
test_should_save (void)
{
  const struct {
    const DossierEnvironment *environment;
    gboolean typed;
    gboolean saved;
  } rows[] = {
    /* typed credentials for a real environment are saved */
    { &production, TRUE,  TRUE },
    { &loopback,   TRUE,  TRUE },
    { &given,      TRUE,  TRUE },
    /* loaded from the keyring, untouched: nothing to save */
    { &production, FALSE, FALSE },
    { &given,      FALSE, FALSE },
    /* the sandbox's are never stored, typed or not */
    { &sandbox,    TRUE,  FALSE },
    { &sandbox,    FALSE, FALSE },
    { NULL,        TRUE,  FALSE },
    { NULL,        FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_test_message ("row %u", i);
      g_assert_cmpint (dossier_keyring_policy_should_save (rows[i].environment, rows[i].typed),
                       ==, rows[i].saved);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring-policy/source", test_source);
  g_test_add_func ("/keyring-policy/should-save", test_should_save);

  return g_test_run ();
}
