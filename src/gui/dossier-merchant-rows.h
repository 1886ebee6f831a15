/* dossier-merchant-rows.h: the rows a merchant's name, reference and notes are typed in
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An AdwEntryRow titled (and named for a screen reader) @title, added to @group */
GtkWidget  *dossier_merchant_rows_add_entry   (GtkWidget  *group,
                                               const char *title);
/* The row's text without surrounding spaces; NULL when that is empty */
char       *dossier_merchant_rows_dup_text    (GtkWidget  *row);
/* Why @name cannot be a merchant's name, or NULL; @name as dup_text gives it */
const char *dossier_merchant_rows_name_problem (const char *name);

G_END_DECLS
