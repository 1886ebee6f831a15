/* dossier-history.h: the uploads that finished, newest first
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-history-entry.h"
#include "dossier-types.h"

G_BEGIN_DECLS

/* A GListModel of DossierHistoryEntry, newest first, read lazily from a
 * JSON Lines file ($XDG_STATE_HOME/dossier/history.jsonl for the default
 * one, mode 0600), one line appended per upload that ended sent or failed.
 * At most 5000 entries are kept; a line that cannot be read is skipped.
 * Every change happens on the thread that uses it (the main context). */
#define DOSSIER_TYPE_HISTORY (dossier_history_get_type ())
G_DECLARE_FINAL_TYPE (DossierHistory, dossier_history, DOSSIER, HISTORY, GObject)

#define DOSSIER_HISTORY_MAX_ENTRIES 5000

DossierHistory *dossier_history_get_default   (void);
DossierHistory *dossier_history_new_for_path  (const char          *path);
const char     *dossier_history_get_path      (DossierHistory      *self);
gboolean        dossier_history_append        (DossierHistory      *self,
                                               DossierHistoryEntry *entry,
                                               GError             **error);
gboolean        dossier_history_clear         (DossierHistory      *self,
                                               GError             **error);
/* Reads the file again (another process may have added to it) */
void            dossier_history_reload        (DossierHistory      *self);

G_END_DECLS
