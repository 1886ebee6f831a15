/* dossier-choice-widgets.c: dropdowns over a field's choices, label shown, API value beneath
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choice.h"
#include "dossier-choice-widgets.h"
#include "dossier-gui-a11y.h"

/* The models the dropdowns show hold "None" first (its value the empty
 * string, which no provider's choice has): GTK 4.10 and later never let a
 * dropdown's selection go back to no item (its GtkSingleSelection keeps
 * the old one, or picks the first choice for a new dropdown), so a field
 * without a value must be an item of its own, or the dropdown would show
 * a choice the file or the form does not have. */
#define NONE_VALUE ""

GListModel *
dossier_gui_choice_model_new (GListModel *choices)
{
  g_autoptr(GListStore) none = g_list_store_new (DOSSIER_TYPE_CHOICE);
  g_autoptr(DossierChoice) none_choice = NULL;
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

  /* Translators: the first item of a dropdown of choices: no value chosen */
  none_choice = dossier_choice_new (NONE_VALUE, _("None"), NULL);
  g_list_store_append (none, none_choice);
  g_list_store_append (parts, none);
  if (choices != NULL)
    g_list_store_append (parts, choices);
  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
}

/* The position of VALUE in CHOICES; with NULL, the position of "None"
 * (GTK_INVALID_LIST_POSITION in a model without it) */
guint
dossier_gui_choice_position (GListModel *choices,
                             const char *value)
{
  guint n;

  if (choices == NULL)
    return GTK_INVALID_LIST_POSITION;
  if (value == NULL)
    value = NONE_VALUE;

  n = g_list_model_get_n_items (choices);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChoice) choice = g_list_model_get_item (choices, i);

      if (g_strcmp0 (dossier_choice_get_value (choice), value) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* The value at POSITION; NULL for "None" or no item */
const char *
dossier_gui_choice_value_at (GListModel *choices,
                             guint       position)
{
  g_autoptr(DossierChoice) choice = NULL;
  const char *value;

  if (choices == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;

  choice = g_list_model_get_item (choices, position);
  if (choice == NULL)
    return NULL;

  /* the model keeps the choice alive */
  value = dossier_choice_get_value (choice);
  return g_strcmp0 (value, NONE_VALUE) == 0 ? NULL : value;
}

/* The button of a dropdown shows the human label in full where there is
 * room, ellipsized only so that a narrow window keeps its shape. */
static void
button_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_list_item_set_child (item, label);
}

static void
button_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  DossierChoice *choice = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (label), dossier_choice_get_label (choice));
}

/* A button whose choice is taken back (no value, or the selection bar
 * ready for the next change) shows no label rather than the last one:
 * GTK 4.18 leaves the button's item widget in place with its child as
 * it was bound */
static void
button_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);

  if (GTK_IS_LABEL (label))
    gtk_label_set_label (GTK_LABEL (label), "");
}

/* In a file's row the choice is a suffix: its label is cut after a few
 * words, and the tooltip says it whole */
void
dossier_gui_choice_compact_label (GtkLabel *label)
{
  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (label, 6);
  gtk_label_set_max_width_chars (label, 18);
  gtk_label_set_xalign (label, 0.0);
}

static void
compact_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  dossier_gui_choice_compact_label (GTK_LABEL (label));
  gtk_list_item_set_child (item, label);
}

static GtkListItemFactory *
factory_new (GCallback setup,
             GCallback bind)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, NULL);
  g_signal_connect (factory, "bind", bind, NULL);
  return factory;
}

GtkListItemFactory *
dossier_gui_choice_button_factory (void)
{
  GtkListItemFactory *factory = factory_new (G_CALLBACK (button_setup), G_CALLBACK (button_bind));

  g_signal_connect (factory, "unbind", G_CALLBACK (button_unbind), NULL);
  return factory;
}

GtkListItemFactory *
dossier_gui_choice_compact_factory (void)
{
  GtkListItemFactory *factory = factory_new (G_CALLBACK (compact_setup), G_CALLBACK (button_bind));

  g_signal_connect (factory, "unbind", G_CALLBACK (button_unbind), NULL);
  return factory;
}

/* The popup lists the label with the API value beneath it, dimmed. */
static void
list_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 36);
  gtk_label_set_xalign (GTK_LABEL (value), 0.0);
  gtk_widget_add_css_class (value, "dim-label");
  gtk_widget_add_css_class (value, "caption");
  gtk_widget_add_css_class (value, "api-value");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_item_set_child (item, box);
}

static void
list_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  DossierChoice *choice = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (title);

  gtk_label_set_label (GTK_LABEL (title), dossier_choice_get_label (choice));
  gtk_label_set_label (GTK_LABEL (value), dossier_choice_get_value (choice));
}

GtkListItemFactory *
dossier_gui_choice_list_factory (void)
{
  return factory_new (G_CALLBACK (list_setup), G_CALLBACK (list_bind));
}

/* A dropdown over the field's choices; searchable fields filter on
 * "Label — VALUE" as the user types. */
GtkWidget *
dossier_gui_choice_dropdown_new (DossierField *field)
{
  g_autoptr(GtkListItemFactory) button_factory = dossier_gui_choice_button_factory ();
  g_autoptr(GtkListItemFactory) list_factory = dossier_gui_choice_list_factory ();
  GtkExpression *expression;
  GtkWidget *dropdown;
  GListModel *choices = dossier_field_get_choices (field);

  expression = gtk_property_expression_new (DOSSIER_TYPE_CHOICE, NULL, "display");
  dropdown = gtk_drop_down_new (dossier_gui_choice_model_new (choices), expression);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), button_factory);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (dropdown), list_factory);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown),
                                   dossier_field_get_searchable (field));
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (dropdown, dossier_field_get_label (field));
  /* its toggle, not only the dropdown, says what it chooses */
  _dossier_gui_name_dropdown (dropdown, dossier_field_get_label (field));
  return dropdown;
}
