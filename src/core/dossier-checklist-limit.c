/* dossier-checklist-limit.c: no provider asked more than once a minute per merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clock is the caller's: tests give the time, the app gives
 * g_get_monotonic_time () / G_USEC_PER_SEC.
 */

#include "config.h"

#include "dossier-checklist.h"

struct _DossierChecklistLimiter
{
  guint interval;
  GHashTable *last;    /* "provider\nmerchant" -> gint64* */
};

DossierChecklistLimiter *
dossier_checklist_limiter_new (guint interval_seconds)
{
  DossierChecklistLimiter *limiter = g_new0 (DossierChecklistLimiter, 1);

  limiter->interval = interval_seconds;
  limiter->last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return limiter;
}

void
dossier_checklist_limiter_free (DossierChecklistLimiter *limiter)
{
  if (limiter == NULL)
    return;
  g_hash_table_unref (limiter->last);
  g_free (limiter);
}

gboolean
dossier_checklist_limiter_try (DossierChecklistLimiter *limiter,
                               const char              *provider_id,
                               const char              *merchant_id,
                               gint64                   now,
                               gint64                  *wait_seconds)
{
  g_autofree char *key = NULL;
  gint64 *last;

  g_return_val_if_fail (limiter != NULL, FALSE);
  g_return_val_if_fail (provider_id != NULL, FALSE);

  key = g_strconcat (provider_id, "\n", merchant_id ? merchant_id : "", NULL);
  last = g_hash_table_lookup (limiter->last, key);

  /* a clock that went back counts as no time passed */
  if (last != NULL && now < *last + (gint64) limiter->interval)
    {
      if (wait_seconds != NULL)
        *wait_seconds = MAX (*last + (gint64) limiter->interval - MAX (now, *last), 1);
      if (now < *last)
        *last = now;
      return FALSE;
    }

  if (last == NULL)
    {
      last = g_new (gint64, 1);
      g_hash_table_insert (limiter->last, g_steal_pointer (&key), last);
    }
  *last = now;
  if (wait_seconds != NULL)
    *wait_seconds = 0;
  return TRUE;
}

/**
 * dossier_checklist_limiter_forget:
 *
 * Forgets that @provider_id was asked for @merchant_id: a request that
 * was cancelled does not hold the next one back (the clerk's Retry asks
 * at once).
 */
void
dossier_checklist_limiter_forget (DossierChecklistLimiter *limiter,
                                  const char              *provider_id,
                                  const char              *merchant_id)
{
  g_autofree char *key = NULL;

  g_return_if_fail (limiter != NULL);
  g_return_if_fail (provider_id != NULL);

  key = g_strconcat (provider_id, "\n", merchant_id ? merchant_id : "", NULL);
  g_hash_table_remove (limiter->last, key);
}
