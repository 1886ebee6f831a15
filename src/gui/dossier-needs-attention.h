/* dossier-needs-attention.h: every merchant's open re-upload tasks, newest first
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-merchant-store.h"
#include "dossier-task.h"

G_BEGIN_DECLS

/* A page (header bar, the tasks with their merchant, or an empty state)
 * and the sidebar entry that opens it, with a count.
 *
 * Signals:
 *   task-activated (DossierTask *task): open the task's merchant */
#define DOSSIER_TYPE_NEEDS_ATTENTION (dossier_needs_attention_get_type ())
G_DECLARE_FINAL_TYPE (DossierNeedsAttention, dossier_needs_attention, DOSSIER, NEEDS_ATTENTION, AdwBin)

GtkWidget    *dossier_needs_attention_new            (GListModel            *tasks,
                                                      DossierMerchantStore  *store);
/* the sidebar's entry: "Needs Attention" and the count; activates
 * win.needs-attention */
GtkWidget    *dossier_needs_attention_get_entry      (DossierNeedsAttention *self);
AdwHeaderBar *dossier_needs_attention_get_header_bar (DossierNeedsAttention *self);
GtkWidget    *dossier_needs_attention_get_back_button (DossierNeedsAttention *self);
/* for tests: rows shown, the count's text */
guint         dossier_needs_attention_get_n_rows     (DossierNeedsAttention *self);
const char   *dossier_needs_attention_get_count_text (DossierNeedsAttention *self);
void          dossier_needs_attention_activate_row   (DossierNeedsAttention *self,
                                                      guint                  position);

G_END_DECLS
