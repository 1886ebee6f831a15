/* dossier-export-dialog.h: the audit export, from the window
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STAND-IN for the merchant GUI branch: the export dialog is built on
 * another branch. Take the other branch's file.
 */

#pragma once

#include <adwaita.h>

#include "dossier-merchant-store.h"

G_BEGIN_DECLS

GtkWindow *dossier_export_dialog_new (GtkWindow            *parent,
                                      GListModel           *history,
                                      DossierMerchantStore *store,
                                      DossierMerchant      *merchant,
                                      GPtrArray            *checklists);

G_END_DECLS
