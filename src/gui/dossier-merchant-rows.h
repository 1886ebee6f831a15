/* dossier-merchant-rows.h: the rows a merchant's name, reference and notes are typed in
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-merchant-store.h"

G_BEGIN_DECLS

/* An AdwEntryRow titled (and named for a screen reader) @title, added to @group */
GtkWidget  *dossier_merchant_rows_add_entry   (GtkWidget  *group,
                                               const char *title);
/* The row's text without surrounding spaces; NULL when that is empty */
char       *dossier_merchant_rows_dup_text    (GtkWidget  *row);
/* Why @name cannot be a merchant's name, or NULL; @name as dup_text gives it */
const char *dossier_merchant_rows_name_problem (const char *name);

/* The flow's merchant row, in a group of its own put first in @box */
AdwComboRow   *dossier_merchant_rows_new_choice (GtkWidget            *box);
/* "No merchant" and the store's names, their ids in @ids (char *) */
GtkStringList *dossier_merchant_rows_choices    (DossierMerchantStore *store,
                                                 GPtrArray            *ids);
/* Where @id (NULL: none) stands among the choices, and the reverse */
guint          dossier_merchant_rows_position   (GPtrArray            *ids,
                                                 const char           *id);
const char    *dossier_merchant_rows_id_at      (GPtrArray            *ids,
                                                 guint                 position);

G_END_DECLS
