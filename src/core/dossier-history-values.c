/* dossier-history-values.c: an entry's account and document values,
 * packed in one block as sorted name/value pairs
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry sent with a few values kept them as a hash table of strings:
 * some ten allocations an entry, made again for every entry of a long
 * record at each load. Packed, they are one allocation (or part of the
 * entry's block when read from the index, dossier-history-cache.c), found
 * by a short scan, and already in the order the record and the account
 * key write them.
 */

#include "config.h"

#include <string.h>

#include "dossier-history-private.h"
#include "dossier-util.h"

static int
compare_values (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const DossierHistoryValue *x = a, *y = b;
  int order = memcmp (x->name, y->name, MIN (x->name_len, y->name_len));

  if (order != 0)
    return order;
  return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

static gboolean
same_name_next (DossierHistoryValue *values,
                guint                n,
                guint                i)
{
  return i + 1 < n && compare_values (&values[i], &values[i + 1], NULL) == 0;
}

gsize
_dossier_history_values_packed_size (DossierHistoryValue *values,
                                     guint                n)
{
  gsize bytes = 0;
  guint kept = 0;

  if (n == 0)
    return 0;

  /* stable: of equal names the later stays later, and is the one kept */
  dossier_sort_array (values, n, sizeof *values, compare_values, NULL);
  for (guint i = 0; i < n; i++)
    {
      if (same_name_next (values, n, i))
        continue;
      bytes += values[i].name_len + 1 + values[i].value_len + 1;
      kept++;
    }
  bytes += (2 * kept + 1) * sizeof (char *);
  /* what follows it in a block starts aligned */
  return (bytes + sizeof (char *) - 1) / sizeof (char *) * sizeof (char *);
}

char **
_dossier_history_values_pack_into (DossierHistoryValue *values,
                                   guint                n,
                                   gpointer             memory)
{
  char **packed = memory;
  guint kept = 0;
  char *text;

  if (n == 0)
    return NULL;

  for (guint i = 0; i < n; i++)
    if (!same_name_next (values, n, i))
      kept++;
  text = (char *) (packed + 2 * kept + 1);
  kept = 0;
  for (guint i = 0; i < n; i++)
    {
      if (same_name_next (values, n, i))
        continue;
      packed[kept++] = text;
      memcpy (text, values[i].name, values[i].name_len);
      text += values[i].name_len;
      *text++ = '\0';
      packed[kept++] = text;
      memcpy (text, values[i].value, values[i].value_len);
      text += values[i].value_len;
      *text++ = '\0';
    }
  packed[kept] = NULL;
  return packed;
}

char **
_dossier_history_values_pack (DossierHistoryValue *values,
                              guint                n)
{
  gsize size = _dossier_history_values_packed_size (values, n);

  return size > 0 ? _dossier_history_values_pack_into (values, n, g_malloc (size)) : NULL;
}

const char *
_dossier_history_values_lookup (char       **packed,
                                const char  *name)
{
  if (packed == NULL)
    return NULL;
  for (guint i = 0; packed[i] != NULL; i += 2)
    if (strcmp (packed[i], name) == 0)
      return packed[i + 1];
  return NULL;
}
