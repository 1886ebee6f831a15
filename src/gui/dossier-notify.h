/* dossier-notify.h: a desktop notification when a batch ends unseen
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-submission.h"

G_BEGIN_DECLS

char    *_dossier_notify_describe        (DossierSubmission *submission);
gboolean _dossier_notify_batch_finished  (GtkWindow         *window,
                                          DossierSubmission *submission);
gboolean _dossier_notify_merchant        (GtkApplication    *app,
                                          const char        *merchant_id,
                                          const char        *title,
                                          const char        *body);

G_END_DECLS
