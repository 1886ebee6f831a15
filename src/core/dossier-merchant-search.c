/* dossier-merchant-search.c: finding and ordering merchants
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dossier-merchant-private.h"

/* -------------------------------------------------------------------------- */
/* Search and order                                                           */

/**
 * dossier_merchant_fold_for_search:
 * @text: (nullable): some text
 *
 * @text as compared when searching: accents removed (the text decomposed
 * and its combining marks left out, so "Café" and "cafe" meet) and case
 * folded.
 *
 * Returns: (transfer full): the folded text ("" for %NULL)
 */
char *
dossier_merchant_fold_for_search (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) bare = NULL;

  if (text == NULL || text[0] == '\0')
    return g_strdup ("");

  /* most names are plain ASCII: folding is lowering the case */
  if (g_str_is_ascii (text))
    return g_ascii_strdown (text, -1);

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_strdup ("");

  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((guchar) *p < 0x80)
        g_string_append_c (bare, *p);
      else if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (bare, c);
    }

  return g_utf8_casefold (bare->str, bare->len);
}

const char *
_dossier_merchant_get_search_key (DossierMerchant *self)
{
  if (self->search_key == NULL)
    {
      g_autofree char *joined = g_strjoin ("\n", self->name != NULL ? self->name : "",
                                           self->reference != NULL ? self->reference : "",
                                           self->notes != NULL ? self->notes : "",
                                           NULL);

      self->search_key = dossier_merchant_fold_for_search (joined);
    }
  return self->search_key;
}

const char *
_dossier_merchant_get_sort_key (DossierMerchant *self)
{
  if (self->sort_key == NULL)
    {
      const char *name = self->name != NULL ? self->name : "";
      g_autofree char *folded = g_str_is_ascii (name) ? g_ascii_strdown (name, -1)
                                                      : g_utf8_casefold (name, -1);

      self->sort_key = g_utf8_collate_key (folded, -1);
    }
  return self->sort_key;
}

/**
 * _dossier_merchant_split_query:
 * @query: what the clerk typed
 *
 * Returns: (transfer full): the folded words of @query (none for blanks)
 */
char **
_dossier_merchant_split_query (const char *query)
{
  g_autofree char *folded = dossier_merchant_fold_for_search (query);
  g_auto(GStrv) parts = g_strsplit_set (folded, " \t\n\r", -1);
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (words, g_strdup (parts[i]));
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}

gboolean
_dossier_merchant_matches_folded (DossierMerchant    *self,
                                  const char * const *words)
{
  const char *key = _dossier_merchant_get_search_key (self);

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (key, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * dossier_merchant_matches:
 * @query: (nullable): what the clerk typed
 *
 * Whether every word of @query is found in the name, the reference or the
 * notes, anywhere in a word, whatever the case and the accents. An empty
 * query matches every merchant.
 */
gboolean
dossier_merchant_matches (DossierMerchant *self,
                          const char      *query)
{
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), FALSE);

  words = _dossier_merchant_split_query (query);
  return _dossier_merchant_matches_folded (self, (const char * const *) words);
}

/**
 * dossier_merchant_compare:
 *
 * Orders by name as the user's language sorts it, whatever the case; the
 * same names by id, so the order is stable.
 */
int
dossier_merchant_compare (DossierMerchant *a,
                          DossierMerchant *b)
{
  int cmp;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (a), 0);
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (b), 0);

  cmp = strcmp (_dossier_merchant_get_sort_key (a), _dossier_merchant_get_sort_key (b));
  return cmp != 0 ? cmp : g_strcmp0 (a->id, b->id);
}
