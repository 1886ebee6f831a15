/* dossier-sniff.h: content type from a file's first bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How many bytes dossier_sniff_file() reads at most. */
#define DOSSIER_SNIFF_SIZE 4096

const char *dossier_sniff_bytes              (const guint8  *data,
                                              gsize          len);
char       *dossier_sniff_file               (GFile         *file,
                                              GCancellable  *cancellable,
                                              GError       **error);
const char *dossier_sniff_describe           (const char    *mime_type);
const char *dossier_sniff_type_for_extension (const char    *extension);

G_END_DECLS
