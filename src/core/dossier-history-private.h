/* dossier-history-private.h: how entries are made, read and capped
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-history.h"
#include "dossier-provider.h"
#include "dossier-upload.h"

G_BEGIN_DECLS

/* The entry of an upload that ended DONE or FAILED, finished now. Every
 * string in @hide (credentials) is masked by the rule of dossier-redact.c. */
DossierHistoryEntry *dossier_history_entry_new_for_upload (DossierProvider     *provider,
                                                           const char          *environment,
                                                           DossierUpload       *upload,
                                                           const char * const  *hide);
/* Pure, for tests: %NULL with @error set when a required member
 * (finished_at, provider_id, file_name) is missing or malformed */
DossierHistoryEntry *dossier_history_entry_new_from_json  (JsonObject          *object,
                                                           GError             **error);

/* The most entries kept (default 5000) */
void                 dossier_history_set_max_entries      (DossierHistory      *self,
                                                           guint                max_entries);

G_END_DECLS
