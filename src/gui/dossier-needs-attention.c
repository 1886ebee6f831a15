/* dossier-needs-attention.c: every merchant's open re-upload tasks, newest first
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task list (src/core/dossier-task-list.c) is a live model: the boxed
 * list is bound to it, so a rejection recorded by a follow-up, or a new
 * upload that answers one, shows at once. A row names the merchant, the
 * provider and the file, and why; activating it opens the merchant, whose
 * page has the task's Upload button.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-merchant-follow-up.h"
#include "dossier-needs-attention.h"

struct _DossierNeedsAttention
{
  AdwBin                parent_instance;

  GListModel           *tasks;
  DossierMerchantStore *store;
  AdwHeaderBar         *header_bar;
  GtkWidget            *back_button;
  GtkWidget            *stack;     /* "empty" | "tasks" */
  GtkWidget            *list;
  GtkWidget            *entry;     /* in the merchants' sidebar */
  GtkWidget            *count;
};

G_DEFINE_FINAL_TYPE (DossierNeedsAttention, dossier_needs_attention, ADW_TYPE_BIN)

enum { TASK_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  DossierNeedsAttention *self = user_data;
  DossierTask *task = item;
  DossierMerchant *merchant = dossier_merchant_store_lookup (self->store, dossier_task_get_merchant_id (task));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  /* Translators: "Toko Makmur · Moov · blurry-ktp.png" */
  title = g_strdup_printf (_("%s · %s · %s"),
                           merchant != NULL ? dossier_merchant_get_name (merchant) : _("Unknown merchant"),
                           dossier_task_get_provider_name (task), dossier_task_get_file_name (task));
  subtitle = dossier_merchant_follow_up_describe_task (task);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-error-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "task", g_object_ref (task), g_object_unref);
  return row;
}

static void
on_row_activated (GtkListBox            *list,
                  GtkListBoxRow         *row,
                  DossierNeedsAttention *self)
{
  g_signal_emit (self, signals[TASK_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "task"));
}

static void
update_count (DossierNeedsAttention *self)
{
  guint n = g_list_model_get_n_items (self->tasks);
  g_autofree char *text = g_strdup_printf ("%u", n);
  g_autofree char *name = NULL;

  gtk_label_set_text (GTK_LABEL (self->count), text);
  gtk_widget_set_visible (self->count, n > 0);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n > 0 ? "tasks" : "empty");
  /* Translators: the sidebar entry's accessible name: "Needs attention: 2 documents" */
  name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Needs attention: %u document",
                                       "Needs attention: %u documents", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

GtkWidget *
dossier_needs_attention_get_entry (DossierNeedsAttention *self)
{
  return self->entry;
}

AdwHeaderBar *
dossier_needs_attention_get_header_bar (DossierNeedsAttention *self)
{
  return self->header_bar;
}

GtkWidget *
dossier_needs_attention_get_back_button (DossierNeedsAttention *self)
{
  return self->back_button;
}

guint
dossier_needs_attention_get_n_rows (DossierNeedsAttention *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (self->list); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c))
      n++;
  return n;
}

const char *
dossier_needs_attention_get_count_text (DossierNeedsAttention *self)
{
  return gtk_widget_get_visible (self->count) ? gtk_label_get_text (GTK_LABEL (self->count)) : NULL;
}

void
dossier_needs_attention_activate_row (DossierNeedsAttention *self,
                                      guint                  position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), position);

  g_return_if_fail (row != NULL);
  g_signal_emit_by_name (self->list, "row-activated", row);
}

static void
dossier_needs_attention_dispose (GObject *object)
{
  DossierNeedsAttention *self = DOSSIER_NEEDS_ATTENTION (object);

  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_data (self->tasks, self);
  g_clear_object (&self->tasks);
  g_clear_object (&self->store);
  g_clear_object (&self->entry);
  G_OBJECT_CLASS (dossier_needs_attention_parent_class)->dispose (object);
}

static void
dossier_needs_attention_class_init (DossierNeedsAttentionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dossier_needs_attention_dispose;
  signals[TASK_ACTIVATED] = g_signal_new ("task-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOSSIER_TYPE_TASK);
}

static void
dossier_needs_attention_init (DossierNeedsAttention *self)
{
}

static GtkWidget *
build_entry (DossierNeedsAttention *self)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (_("Needs Attention"));

  self->count = gtk_label_new ("0");
  gtk_widget_add_css_class (self->count, "dossier-count");
  gtk_widget_add_css_class (self->count, "numeric");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), self->count);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_margin_start (button, 6);
  gtk_widget_set_margin_end (button, 6);
  gtk_widget_set_margin_top (button, 6);
  gtk_widget_set_margin_bottom (button, 6);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.needs-attention");
  gtk_widget_set_tooltip_text (button, _("Every document a provider refused, of every merchant"));
  return g_object_ref_sink (button);
}

GtkWidget *
dossier_needs_attention_new (GListModel           *tasks,
                             DossierMerchantStore *store)
{
  DossierNeedsAttention *self = g_object_new (DOSSIER_TYPE_NEEDS_ATTENTION, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->tasks = g_object_ref (tasks);
  self->store = g_object_ref (store);

  self->header_bar = ADW_HEADER_BAR (adw_header_bar_new ());
  adw_header_bar_set_title_widget (self->header_bar, adw_window_title_new (_("Needs Attention"), NULL));
  self->back_button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->back_button), "win.merchant-list");
  gtk_widget_set_tooltip_text (self->back_button, _("Merchants (Escape)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Back to the merchants"), -1);
  adw_header_bar_pack_start (self->header_bar, self->back_button);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->header_bar));

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_valign (self->list, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Documents that need attention"), -1);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list), tasks, create_row, self, NULL);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  gtk_widget_set_margin_top (self->list, 24);
  gtk_widget_set_margin_bottom (self->list, 24);
  gtk_widget_set_margin_start (self->list, 12);
  gtk_widget_set_margin_end (self->list, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Nothing Needs Attention"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("A document a provider refuses shows here, with what would fix it"));

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "tasks");
  gtk_box_append (GTK_BOX (box), self->stack);

  self->entry = build_entry (self);
  g_signal_connect_swapped (tasks, "items-changed", G_CALLBACK (update_count), self);
  update_count (self);
  adw_bin_set_child (ADW_BIN (self), box);
  return GTK_WIDGET (self);
}
