/* dossier-util.c: small helpers of the engine
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dossier-util.h"

/**
 * dossier_timeout_add:
 *
 * g_timeout_add() on the thread-default main context, with a name.
 *
 * Returns: (transfer full): the attached source; drop it with
 *   dossier_source_clear() (the callback must not unref it)
 */
GSource *
dossier_timeout_add (guint        milliseconds,
                     GSourceFunc  func,
                     gpointer     data,
                     const char  *name)
{
  GSource *source = g_timeout_source_new (milliseconds);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_main_context_get_thread_default ());

  return source;
}

void
dossier_source_clear (GSource *source)
{
  if (source == NULL)
    return;
  g_source_destroy (source);
  g_source_unref (source);
}

typedef struct
{
  GSource *source;
  gulong   cancel_id;
} SleepData;

static void
sleep_data_free (SleepData *data)
{
  g_clear_pointer (&data->source, dossier_source_clear);
  g_free (data);
}

static void
sleep_finish_task (GTask *task)
{
  SleepData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (data->cancel_id != 0)
    {
      g_cancellable_disconnect (cancellable, data->cancel_id);
      data->cancel_id = 0;
    }

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static gboolean
sleep_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  SleepData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->source, dossier_source_clear);
  sleep_finish_task (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  SleepData *data = g_task_get_task_data (task);

  if (data->source == NULL)
    return G_SOURCE_REMOVE;

  g_clear_pointer (&data->source, dossier_source_clear);
  sleep_finish_task (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  GSource *idle = g_idle_source_new ();

  /* may run on any thread: finish on the task's context */
  g_source_set_callback (idle, sleep_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_set_static_name (idle, "[dossier] sleep cancelled");
  g_source_attach (idle, g_task_get_context (task));
  g_source_unref (idle);
}

void
dossier_sleep_async (guint                milliseconds,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SleepData *data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_sleep_async);
  data = g_new0 (SleepData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) sleep_data_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  data->source = dossier_timeout_add (milliseconds, sleep_timeout_cb, g_object_ref (task),
                                      "[dossier] sleep");
  if (cancellable != NULL)
    data->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (sleep_cancelled_cb),
                                             task, NULL);
}

gboolean
dossier_sleep_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Characters that change what a terminal shows without being text: the
 * C0 controls (ESC starts CSI and OSC sequences, BEL ends OSC, CR
 * overwrites a line), DEL, the C1 controls U+0080..U+009F (CSI is U+009B
 * for terminals that read them), and the Unicode line separators and
 * bidirectional overrides that reorder what is shown. */
static gboolean
is_terminal_control (gunichar c,
                     gboolean one_line)
{
  if (c == '\n')
    return one_line;
  if (c == '\t')
    return one_line;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         c == 0x2028 || c == 0x2029 ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * dossier_escape_for_terminal:
 * @text: (nullable): a text from elsewhere: a provider's message, a file name
 * @one_line: whether a newline and a tab are escaped too (a field of a line)
 *
 * Makes @text safe to print to a terminal for people: bytes that are not
 * UTF-8 become U+FFFD, and every control character (see above) is written
 * as an escape a person can read, "\x1B" for ESC, "\u009B" for a C1
 * control or "\u202E" for a bidirectional override; "\n" and "\t" in
 * a one-line field. Everything else, backslashes included, is
 * kept.
 *
 * Returns: (transfer full) (nullable): the escaped text
 */
char *
dossier_escape_for_terminal (const char *text,
                             gboolean    one_line)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_terminal_control (c, one_line))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x80)
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_printf (out, "\\u%04X", c);
    }

  return g_string_free (out, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
dossier_sort_array (gpointer         array,
                    gsize            n,
                    gsize            element_size,
                    GCompareDataFunc compare,
                    gpointer         data)
{
  /* g_qsort_with_data is deprecated from GLib 2.82 on, for g_sort_array
   * (both stable); the new name only where the build asks for 2.82 at
   * least */
#if GLIB_CHECK_VERSION (2, 82, 0)
#if GLIB_VERSION_MIN_REQUIRED >= GLIB_VERSION_2_82
#define DOSSIER_SORT_ARRAY 1
#endif
#endif
#ifdef DOSSIER_SORT_ARRAY
  g_sort_array (array, n, element_size, compare, data);
#else
  g_qsort_with_data (array, (gint) n, element_size, compare, data);
#endif
}

void
dossier_sort_strings (const char **strings,
                      gsize        n)
{
  dossier_sort_array (strings, n, sizeof (char *), compare_strings, NULL);
}
