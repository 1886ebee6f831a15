/* dossier-upload-progress.c: an upload's progress in words, "3.1 of 8.0 MB · 1.2 MB/s · 4 s left"
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-upload-private.h"

/* "8.0 MB" and "3.1 MB" -> "3.1": the unit is said once when both share it */
/* the space before the unit: g_format_size() uses a no-break space in
 * UTF-8 locales, a plain one otherwise */
static const char *
unit_separator (const char *text)
{
  const char *nbsp = g_strrstr (text, "\xc2\xa0");
  const char *space = strrchr (text, ' ');

  return nbsp != NULL && (space == NULL || nbsp > space) ? nbsp : space;
}

static char *
strip_shared_unit (const char *a,
                   const char *b)
{
  const char *space_a = unit_separator (a);
  const char *space_b = unit_separator (b);

  if (space_a != NULL && space_b != NULL && g_str_equal (space_a, space_b))
    return g_strndup (a, space_a - a);

  return g_strdup (a);
}

static char *
format_duration (int seconds)
{
  if (seconds < 60)
    /* Translators: time left, abbreviated: "4 s left" */
    return g_strdup_printf (_("%d s left"), seconds);
  if (seconds < 3600)
    /* Translators: time left, abbreviated: "12 min left" */
    return g_strdup_printf (_("%d min left"), (seconds + 30) / 60);

  /* Translators: time left, abbreviated: "2 h left" */
  return g_strdup_printf (_("%d h left"), (seconds + 1800) / 3600);
}

/**
 * dossier_format_progress:
 * @rate: bytes per second, 0 when unknown
 * @seconds_left: -1 when unknown
 *
 * Returns: (transfer full): "3.1 of 8.0 MB · 1.2 MB/s · 4 s left", leaving
 *   out what is unknown
 */
char *
dossier_format_progress (guint64 bytes_sent,
                         guint64 total_bytes,
                         double  rate,
                         int     seconds_left)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *total = g_format_size (total_bytes);
  g_autofree char *sent_full = g_format_size (bytes_sent);
  g_autofree char *sent = strip_shared_unit (sent_full, total);

  /* Translators: "3.1 of 8.0 MB" or "512.0 kB of 8.0 MB" */
  g_string_append_printf (text, _("%s of %s"), sent, total);

  if (rate > 0)
    {
      g_autofree char *per = g_format_size ((guint64) rate);

      /* Translators: a separator, then a rate: " · 1.2 MB/s" */
      g_string_append_printf (text, _(" · %s/s"), per);
    }

  if (seconds_left >= 0)
    {
      g_autofree char *left = format_duration (seconds_left);

      g_string_append_printf (text, " · %s", left);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
