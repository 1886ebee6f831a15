/* dossier-checklist-record.h: a merchant's uploads, from the record, as the checklist reads them
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-checklist.h"

G_BEGIN_DECLS

GPtrArray *dossier_checklist_uploads_from_history (GListModel      *history,
                                                   DossierProvider *provider,
                                                   const char      *environment,
                                                   const char      *merchant_id,
                                                   GHashTable      *account_values);

G_END_DECLS
