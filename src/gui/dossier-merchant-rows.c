/* dossier-merchant-rows.c: the rows a merchant's name, reference and notes are typed in
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by New Merchant, the merchant's page and the flow's first step.
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

AdwComboRow *
dossier_merchant_rows_new_choice (GtkWidget *box)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Merchant"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Whose documents these are: recorded with each upload"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Merchant"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Merchant"), -1);
#if ADW_CHECK_VERSION (1, 4, 0)
  /* thousands of merchants: typed to, not scrolled through (libadwaita 1.2
   * has no search in a combo row) */
  adw_combo_row_set_expression (ADW_COMBO_ROW (row),
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  adw_combo_row_set_enable_search (ADW_COMBO_ROW (row), TRUE);
#endif
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_box_prepend (GTK_BOX (box), group);
  return ADW_COMBO_ROW (row);
}

GtkStringList *
dossier_merchant_rows_choices (DossierMerchantStore *store,
                               GPtrArray            *ids)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  g_ptr_array_set_size (ids, 0);
  gtk_string_list_append (names, _("No merchant"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierMerchant) merchant = g_list_model_get_item (G_LIST_MODEL (store), i);

      gtk_string_list_append (names, dossier_merchant_get_name (merchant));
      g_ptr_array_add (ids, g_strdup (dossier_merchant_get_id (merchant)));
    }
  return names;
}

guint
dossier_merchant_rows_position (GPtrArray  *ids,
                                const char *id)
{
  for (guint i = 0; id != NULL && i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return i + 1;
  return 0;
}

const char *
dossier_merchant_rows_id_at (GPtrArray *ids,
                             guint      position)
{
  if (position == GTK_INVALID_LIST_POSITION || position == 0 || position > ids->len)
    return NULL;
  return g_ptr_array_index (ids, position - 1);
}
