/* dossier-util.h: small helpers of the engine
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* g_timeout_add() on the thread-default context; @name must be static */
GSource *dossier_timeout_add  (guint                milliseconds,
                               GSourceFunc          func,
                               gpointer             data,
                               const char          *name);
void     dossier_source_clear (GSource             *source);

/* Completes after @milliseconds, or at once with G_IO_ERROR_CANCELLED */
void     dossier_sleep_async  (guint                milliseconds,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
gboolean dossier_sleep_finish (GAsyncResult        *result,
                               GError             **error);

/* @text made safe for a terminal: control characters written as escapes */
char    *dossier_escape_for_terminal (const char *text,
                                      gboolean    one_line);

/* Sorts @n elements of @element_size bytes, stable, on every GLib */
void     dossier_sort_array   (gpointer          array,
                               gsize             n,
                               gsize             element_size,
                               GCompareDataFunc  compare,
                               gpointer          data);

/* Sorts the first @n strings of @strings in byte order */
void     dossier_sort_strings (const char **strings,
                               gsize        n);

G_END_DECLS
