/* dossier-export-dialog.h: the audit export, from the window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-export.h"
#include "dossier-merchant-store.h"

G_BEGIN_DECLS

GtkWindow  *dossier_export_dialog_new             (GtkWindow            *parent,
                                                   GListModel           *history,
                                                   DossierMerchantStore *store,
                                                   DossierMerchant      *merchant,
                                                   GPtrArray            *checklists);

/* What "Export…" does once a file is chosen (the file chooser calls it;
 * so can a test) */
void        dossier_export_dialog_export_to       (GtkWindow            *dialog,
                                                   GFile                *file);
void        dossier_export_dialog_set_format      (GtkWindow            *dialog,
                                                   DossierExportFormat   format);
/* "YYYY-MM-DD" texts of the range (only without a merchant) */
void        dossier_export_dialog_set_range       (GtkWindow            *dialog,
                                                   const char           *from,
                                                   const char           *to);
/* Whether an export is being written */
gboolean    dossier_export_dialog_get_busy        (GtkWindow            *dialog);
/* The last result in words ("Exported 12 uploads to audit.csv"), or NULL */
const char *dossier_export_dialog_get_status      (GtkWindow            *dialog);
gboolean    dossier_export_dialog_can_export      (GtkWindow            *dialog);

G_END_DECLS
