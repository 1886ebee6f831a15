/* dossier-merchant-rows.c: the rows a merchant's name, reference and notes are typed in
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by New Merchant and the merchant's page.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-merchant.h"
#include "dossier-merchant-rows.h"

GtkWidget *
dossier_merchant_rows_add_entry (GtkWidget  *group,
                                 const char *title)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autoptr(GString) label = g_string_new (title);

  /* the mnemonic's underscore is not read out */
  g_string_replace (label, "_", "", 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

char *
dossier_merchant_rows_dup_text (GtkWidget *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

const char *
dossier_merchant_rows_name_problem (const char *name)
{
  if (name == NULL)
    return _("Give the merchant a name");
  if (strlen (name) > DOSSIER_MERCHANT_MAX_NAME)
    return _("The name is too long");
  return NULL;
}
