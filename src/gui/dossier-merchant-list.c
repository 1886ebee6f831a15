/* dossier-merchant-list.c: the searchable list of merchants, with a badge per provider
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListView over the store (5,000 merchants: only the rows on screen
 * exist), filtered by dossier_merchant_matches(). The badges come from the
 * checklist summary the checklist view stores in the record after each
 * refresh; a provider never checked has none.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-merchant-list.h"

struct _DossierMerchantList
{
  AdwBin                parent_instance;

  DossierCatalogue     *catalogue;
  DossierMerchantStore *store;
  AdwHeaderBar         *header_bar;
  GtkWidget            *search_bar;
  GtkWidget            *search_entry;
  GtkWidget            *stack;
  GtkWidget            *list_view;
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filtered;
  GtkSingleSelection   *selection;
  GHashTable           *bound;   /* GtkListItem on screen */
  char                 *query;
};

G_DEFINE_FINAL_TYPE (DossierMerchantList, dossier_merchant_list, ADW_TYPE_BIN)

enum { MERCHANT_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

char *
dossier_merchant_badge_text (DossierMerchant  *merchant,
                             DossierProvider  *provider,
                             const char      **out_style)
{
  DossierChecklistSummary summary;
  const char *style = NULL;
  char *text;

  if (!dossier_merchant_get_checklist_summary (merchant, dossier_provider_get_id (provider), &summary))
    return NULL;

  if (summary.rejected > 0)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u rejected", "%u rejected", summary.rejected),
                              summary.rejected);
      style = "error";
    }
  else if (summary.missing > 0)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u missing", "%u missing", summary.missing),
                              summary.missing);
      style = "warning";
    }
  else if (summary.expired > 0)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u expired", "%u expired", summary.expired),
                              summary.expired);
      style = "warning";
    }
  else if (summary.pending > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in review", "%u in review", summary.pending),
                            summary.pending);
  else
    {
      text = g_strdup (_("complete"));
      style = "success";
    }

  if (out_style != NULL)
    *out_style = style;
  return text;
}

char *
dossier_merchant_list_describe_row (DossierMerchantList *self,
                                    DossierMerchant     *merchant)
{
  GString *text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      g_autofree char *badge = dossier_merchant_badge_text (merchant, provider, NULL);

      if (badge == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: a merchant's badge in the list: "Moov: 2 missing" */
      g_string_append_printf (text, _("%s: %s"), dossier_provider_get_name (provider), badge);
    }
  return g_string_free (text, FALSE);
}

static void
fill_badges (DossierMerchantList *self,
             GtkWidget           *badges,
             DossierMerchant     *merchant)
{
  GtkWidget *child;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));

  while ((child = gtk_widget_get_first_child (badges)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (badges), child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      const char *style = NULL;
      g_autofree char *badge = dossier_merchant_badge_text (merchant, provider, &style);
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (badge == NULL)
        continue;
      text = g_strdup_printf (_("%s: %s"), dossier_provider_get_name (provider), badge);
      label = gtk_label_new (text);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "merchant-badge");
      if (style != NULL)
        gtk_widget_add_css_class (label, style);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_flow_box_append (GTK_FLOW_BOX (badges), label);
      gtk_widget_set_can_focus (gtk_widget_get_parent (label), FALSE);
      gtk_widget_set_halign (gtk_widget_get_parent (label), GTK_ALIGN_START);
    }
  gtk_widget_set_visible (badges, gtk_widget_get_first_child (badges) != NULL);
}

/* A row's badges: a flow box, made when a merchant shown in the row has
 * one (most merchants have none, and a list view keeps ~200 rows) */
static GtkWidget *
new_badges (void)
{
  GtkWidget *badges = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (badges), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (badges), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (badges), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (badges), 4);
  gtk_widget_set_can_focus (badges, FALSE);
  gtk_widget_set_halign (badges, GTK_ALIGN_START);
  gtk_widget_add_css_class (badges, "merchant-badges");
  gtk_widget_set_can_target (badges, FALSE);
  return badges;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           DossierMerchantList      *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *reference = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (reference), 0);
  gtk_label_set_ellipsize (GTK_LABEL (reference), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (reference, "dim-label");
  gtk_widget_add_css_class (reference, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), reference);
  gtk_list_item_set_child (item, box);
}

static void
update_row (DossierMerchantList *self,
            GtkListItem         *item)
{
  DossierMerchant *merchant = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *reference = gtk_widget_get_next_sibling (name);
  GtkWidget *badges = gtk_widget_get_next_sibling (reference);
  const char *ref = dossier_merchant_get_reference (merchant);
  g_autofree char *description = dossier_merchant_list_describe_row (self, merchant);
  g_autofree char *accessible = NULL;

  gtk_label_set_label (GTK_LABEL (name), dossier_merchant_get_name (merchant));
  gtk_label_set_label (GTK_LABEL (reference), ref != NULL ? ref : "");
  gtk_widget_set_visible (reference, ref != NULL);
  /* the description lists the badges: none, no flow box needed */
  if (badges == NULL && *description != '\0')
    {
      badges = new_badges ();
      gtk_box_append (GTK_BOX (box), badges);
    }
  if (badges != NULL)
    fill_badges (self, badges, merchant);
  accessible = *description != '\0'
               ? g_strdup_printf ("%s, %s", dossier_merchant_get_name (merchant), description)
               : g_strdup (dossier_merchant_get_name (merchant));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          DossierMerchantList      *self)
{
  g_hash_table_add (self->bound, item);
  update_row (self, item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            DossierMerchantList      *self)
{
  g_hash_table_remove (self->bound, item);
}

void
dossier_merchant_list_update_badges (DossierMerchantList *self)
{
  GHashTableIter iter;
  gpointer item;

  g_return_if_fail (DOSSIER_IS_MERCHANT_LIST (self));

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    if (gtk_list_item_get_item (item) != NULL)
      update_row (self, item);
}

static gboolean
filter_merchant (gpointer item,
                 gpointer user_data)
{
  DossierMerchantList *self = user_data;

  return self->query == NULL || dossier_merchant_matches (item, self->query);
}

static void
update_empty (DossierMerchantList *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0
                                    ? "list" : "none");
}

static void
on_search_changed (DossierMerchantList *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_free (self->query);
  self->query = *text != '\0' ? g_strdup (text) : NULL;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty (self);
}

static void
on_activate (GtkListView         *list_view,
             guint                position,
             DossierMerchantList *self)
{
  g_autoptr(DossierMerchant) merchant = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (merchant != NULL)
    g_signal_emit (self, signals[MERCHANT_ACTIVATED], 0, merchant);
}

/* the search entry's Enter opens the first match */
static void
on_search_activate (DossierMerchantList *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    on_activate (GTK_LIST_VIEW (self->list_view), 0, self);
}

void
dossier_merchant_list_select (DossierMerchantList *self,
                              DossierMerchant     *merchant)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierMerchant) other = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (other == merchant)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

void
dossier_merchant_list_start_search (DossierMerchantList *self)
{
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

AdwHeaderBar *
dossier_merchant_list_get_header_bar (DossierMerchantList *self)
{
  return self->header_bar;
}

/* @widget above the merchants (the "Needs Attention" entry) */
void
dossier_merchant_list_add_top (DossierMerchantList *self,
                               GtkWidget           *widget)
{
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->stack)), widget, self->search_bar);
}

GtkEditable *
dossier_merchant_list_get_search_entry (DossierMerchantList *self)
{
  return GTK_EDITABLE (self->search_entry);
}

guint
dossier_merchant_list_get_n_shown (DossierMerchantList *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

static void
dossier_merchant_list_dispose (GObject *object)
{
  DossierMerchantList *self = DOSSIER_MERCHANT_LIST (object);

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_object (&self->filtered);
  g_clear_object (&self->selection);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->store);
  g_clear_pointer (&self->query, g_free);
  G_OBJECT_CLASS (dossier_merchant_list_parent_class)->dispose (object);
}

static void
dossier_merchant_list_class_init (DossierMerchantListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dossier_merchant_list_dispose;
  signals[MERCHANT_ACTIVATED] = g_signal_new ("merchant-activated", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, DOSSIER_TYPE_MERCHANT);
}

static void
dossier_merchant_list_init (DossierMerchantList *self)
{
  self->bound = g_hash_table_new (NULL, NULL);
}

static GtkWidget *
build_header (DossierMerchantList *self)
{
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *search = gtk_toggle_button_new ();

  self->header_bar = ADW_HEADER_BAR (adw_header_bar_new ());
  adw_header_bar_set_title_widget (self->header_bar, adw_window_title_new (_("Merchants"), NULL));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "win.new-merchant");
  gtk_widget_set_tooltip_text (add, _("New Merchant (Ctrl+N)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New Merchant"), -1);
  adw_header_bar_pack_start (self->header_bar, add);

  gtk_button_set_icon_name (GTK_BUTTON (search), "system-search-symbolic");
  gtk_widget_set_tooltip_text (search, _("Search (Ctrl+F)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search merchants"), -1);
  g_object_bind_property (search, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  adw_header_bar_pack_start (self->header_bar, search);
  return GTK_WIDGET (self->header_bar);
}

GtkWidget *
dossier_merchant_list_new (DossierCatalogue     *catalogue,
                           DossierMerchantStore *store)
{
  DossierMerchantList *self = g_object_new (DOSSIER_TYPE_MERCHANT_LIST, NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *none = adw_status_page_new ();

  self->catalogue = g_object_ref (catalogue);
  self->store = g_object_ref (store);

  self->search_entry = gtk_search_entry_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search merchants"), -1);
  g_object_set (self->search_entry, "placeholder-text", _("Name, reference or notes"), NULL);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_activate), self);
  self->search_bar = gtk_search_bar_new ();
  gtk_search_bar_set_child (GTK_SEARCH_BAR (self->search_bar), self->search_entry);
  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_EDITABLE (self->search_entry));

  gtk_box_append (GTK_BOX (box), build_header (self));
  gtk_box_append (GTK_BOX (box), self->search_bar);

  self->filter = gtk_custom_filter_new (filter_merchant, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (store)), GTK_FILTER (self->filter));
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_empty), self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  self->list_view = gtk_list_view_new (g_object_ref (GTK_SELECTION_MODEL (self->selection)), factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list_view), TRUE);
  gtk_widget_add_css_class (self->list_view, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Merchants"), -1);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_activate), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list_view);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (none), "system-search-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (none), _("No Merchant Found"));
  adw_status_page_set_description (ADW_STATUS_PAGE (none), _("Try another name or reference"));
  gtk_widget_add_css_class (none, "compact");

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "list");
  gtk_stack_add_named (GTK_STACK (self->stack), none, "none");
  gtk_box_append (GTK_BOX (box), self->stack);
  update_empty (self);

  adw_bin_set_child (ADW_BIN (self), box);
  return GTK_WIDGET (self);
}
