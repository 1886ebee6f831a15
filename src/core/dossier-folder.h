/* dossier-folder.h: the files a folder stands for, and what was left out
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An entry of a folder that is not sent, and why */
typedef struct
{
  GFile *file;
  char  *display_name;  /* its path below the folder given, for people */
  char  *reason;        /* "not a regular file", "the link points nowhere"… */
} DossierSkipped;

void     dossier_skipped_free       (DossierSkipped *skipped);
char    *dossier_skipped_describe   (const DossierSkipped *skipped);

void     dossier_folder_collect     (GFile          *folder,
                                     GPtrArray      *files,
                                     GPtrArray      *skipped,
                                     GCancellable   *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierSkipped, dossier_skipped_free)

G_END_DECLS
