/* dossier-thumbnail.h: an upload's preview or its type icon
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-upload.h"

G_BEGIN_DECLS

void        dossier_gui_load_thumbnail_async  (GFile               *file,
                                               int                  size,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GdkTexture *dossier_gui_load_thumbnail_finish (GAsyncResult        *result,
                                               GError             **error);
void        dossier_gui_show_upload_icon      (GtkImage            *image,
                                               DossierUpload       *upload);

G_END_DECLS
