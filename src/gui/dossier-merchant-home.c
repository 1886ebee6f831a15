/* dossier-merchant-home.c: the window's home, the merchants and one merchant's page
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Until the store has read its file (on a worker, started with the
 * application: dossier-merchant-store-load.c) the home shows a loading
 * page, never "No Merchants Yet"; a file that cannot be read shows why,
 * with Try Again. Each state's widgets are built when it is first shown:
 * a first start, with no merchant, draws its first frame without the
 * list and the merchant's page (they come when asked for, "built").
 *
 * libadwaita 1.2 has AdwLeaflet; 1.4 brings AdwNavigationSplitView, folded
 * by an AdwBreakpoint of the window (the list and the page keep their own
 * AdwHeaderBar, which a navigation page's header bar adapts: back button,
 * window buttons).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-merchant-home.h"

struct _DossierMerchantHome
{
  AdwBin                parent_instance;

  DossierMerchantStore *store;
  DossierCatalogue     *catalogue;
  DossierClient        *client;  /* the checklists' requests: made with the page */
  GListModel           *history;
  char                 *sandbox_url;
  GMenuModel           *primary_menu;
  GtkWidget            *stack;   /* "loading" | "empty" | "merchants" | "failed" */
  GtkWidget            *spinner; /* on the loading page, once it lasts */
  guint                 spinner_timeout;
  GtkWidget            *failed_page;
  DossierMerchantList  *list;    /* NULL until built */
  DossierMerchantPage  *page;
  GtkWidget            *page_stack; /* "none" | "page" */
#if ADW_CHECK_VERSION (1, 4, 0)
  AdwNavigationSplitView *split;
  AdwNavigationPage      *content_page;
  AdwBreakpoint          *breakpoint;  /* the window's, folds the view */
#else
  AdwLeaflet           *leaflet;
#endif
};

G_DEFINE_FINAL_TYPE (DossierMerchantHome, dossier_merchant_home, ADW_TYPE_BIN)

enum { BUILT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* How long the loading page stays blank before it shows a spinner: a
 * short read shows nothing at all */
#define SPINNER_DELAY_MS 400

static void ensure_merchants (DossierMerchantHome *self);
static GtkWidget *build_empty (GMenuModel *primary_menu);
static GtkWidget *build_loading (DossierMerchantHome *self);
static GtkWidget *build_failed (DossierMerchantHome *self);

static void
show_state (DossierMerchantHome *self,
            const char          *name)
{
  if (gtk_stack_get_child_by_name (GTK_STACK (self->stack), name) == NULL)
    {
      if (g_str_equal (name, "merchants"))
        ensure_merchants (self);
      else if (g_str_equal (name, "empty"))
        gtk_stack_add_named (GTK_STACK (self->stack), build_empty (self->primary_menu), "empty");
      else if (g_str_equal (name, "loading"))
        gtk_stack_add_named (GTK_STACK (self->stack), build_loading (self), "loading");
      else
        gtk_stack_add_named (GTK_STACK (self->stack), build_failed (self), "failed");
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
}

static void
update_state (DossierMerchantHome *self)
{
  const GError *error = dossier_merchant_store_get_load_error (self->store);

  if (dossier_merchant_store_get_loaded (self->store))
    show_state (self, g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0 ? "empty" : "merchants");
  else if (dossier_merchant_store_get_loading (self->store) || error == NULL)
    show_state (self, "loading");
  else
    {
      g_autofree char *text = g_strdup_printf (_("%s. Nothing in the file was changed."), error->message);

      show_state (self, "failed");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->failed_page), text);
    }
}

/* "empty", "loading", "merchants" or "failed" */
const char *
dossier_merchant_home_get_state (DossierMerchantHome *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_HOME (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

gboolean
dossier_merchant_home_is_empty (DossierMerchantHome *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "empty") == 0;
}

/* the list and the page exist (else the next asking builds them) */
gboolean
dossier_merchant_home_is_built (DossierMerchantHome *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT_HOME (self), FALSE);
  return self->list != NULL;
}

gboolean
dossier_merchant_home_get_folded (DossierMerchantHome *self)
{
  ensure_merchants (self);
#if ADW_CHECK_VERSION (1, 4, 0)
  return adw_navigation_split_view_get_collapsed (self->split);
#else
  return adw_leaflet_get_folded (self->leaflet);
#endif
}

/* the page is what the clerk sees (always, unfolded) */
gboolean
dossier_merchant_home_get_page_shown (DossierMerchantHome *self)
{
  if (!dossier_merchant_home_get_folded (self))
    return TRUE;
#if ADW_CHECK_VERSION (1, 4, 0)
  return adw_navigation_split_view_get_show_content (self->split);
#else
  return adw_leaflet_get_visible_child (self->leaflet) == self->page_stack;
#endif
}

void
dossier_merchant_home_show_merchant (DossierMerchantHome *self,
                                     DossierMerchant     *merchant)
{
  ensure_merchants (self);
  if (dossier_merchant_page_get_merchant (self->page) != merchant)
    dossier_merchant_page_set_merchant (self->page, merchant);
  dossier_merchant_list_select (self->list, merchant);
  gtk_stack_set_visible_child_name (GTK_STACK (self->page_stack), merchant != NULL ? "page" : "none");
#if ADW_CHECK_VERSION (1, 4, 0)
  if (merchant != NULL)
    adw_navigation_page_set_title (self->content_page, dossier_merchant_get_name (merchant));
  adw_navigation_split_view_set_show_content (self->split, merchant != NULL);
#else
  if (merchant != NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->page_stack);
#endif
}

gboolean
dossier_merchant_home_show_list (DossierMerchantHome *self)
{
  if (!dossier_merchant_home_get_folded (self) || !dossier_merchant_home_get_page_shown (self))
    return FALSE;
#if ADW_CHECK_VERSION (1, 4, 0)
  adw_navigation_split_view_set_show_content (self->split, FALSE);
#else
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->list));
#endif
  return TRUE;
}

static gboolean
on_escape (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  return dossier_merchant_home_show_list (DOSSIER_MERCHANT_HOME (widget));
}

/* Every merchant's open tasks: an entry above the list, a page beside it */
void
dossier_merchant_home_add_attention (DossierMerchantHome   *self,
                                     DossierNeedsAttention *attention)
{
  ensure_merchants (self);
  dossier_merchant_list_add_top (self->list, dossier_needs_attention_get_entry (attention));
  gtk_stack_add_named (GTK_STACK (self->page_stack), GTK_WIDGET (attention), "attention");
#if ADW_CHECK_VERSION (1, 4, 0)
  gtk_widget_set_visible (dossier_needs_attention_get_back_button (attention), FALSE);
#else
  g_object_bind_property (self->leaflet, "folded",
                          dossier_needs_attention_get_header_bar (attention), "show-start-title-buttons",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->leaflet, "folded",
                          dossier_needs_attention_get_back_button (attention), "visible",
                          G_BINDING_SYNC_CREATE);
#endif
}

void
dossier_merchant_home_show_attention (DossierMerchantHome *self)
{
  ensure_merchants (self);
  dossier_merchant_list_select (self->list, NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->page_stack), "attention");
#if ADW_CHECK_VERSION (1, 4, 0)
  adw_navigation_page_set_title (self->content_page, _("Needs Attention"));
  adw_navigation_split_view_set_show_content (self->split, TRUE);
#else
  adw_leaflet_set_visible_child (self->leaflet, self->page_stack);
#endif
}

gboolean
dossier_merchant_home_get_attention_shown (DossierMerchantHome *self)
{
  if (self->page_stack == NULL)
    return FALSE;
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->page_stack)), "attention") == 0;
}

/* builds the list and the page when not yet built */
DossierMerchantList *
dossier_merchant_home_get_list (DossierMerchantHome *self)
{
  ensure_merchants (self);
  return self->list;
}

/* builds the list and the page when not yet built */
DossierMerchantPage *
dossier_merchant_home_get_page (DossierMerchantHome *self)
{
  ensure_merchants (self);
  return self->page;
}

static void
dossier_merchant_home_dispose (GObject *object)
{
  DossierMerchantHome *self = DOSSIER_MERCHANT_HOME (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->catalogue);
  if (self->client != NULL)
    dossier_client_abort (self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->primary_menu);
  g_clear_pointer (&self->sandbox_url, g_free);
  G_OBJECT_CLASS (dossier_merchant_home_parent_class)->dispose (object);
}

static void
dossier_merchant_home_class_init (DossierMerchantHomeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dossier_merchant_home_dispose;
  signals[BUILT] = g_signal_new ("built", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, on_escape, NULL);
}

static void
dossier_merchant_home_init (DossierMerchantHome *self)
{
}

/* the menu's popover, made when it first opens (not before the first frame) */
static void
create_primary_menu (GtkMenuButton *menu,
                     gpointer       primary_menu)
{
  if (gtk_menu_button_get_menu_model (menu) == NULL)
    gtk_menu_button_set_menu_model (menu, primary_menu);
}

static GtkWidget *
primary_menu_button (GMenuModel *primary_menu)
{
  GtkWidget *menu = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "open-menu-symbolic");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (menu), create_primary_menu,
                                         g_object_ref (primary_menu), g_object_unref);
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (menu), TRUE);
  gtk_widget_set_tooltip_text (menu, _("Main Menu (F10)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Main menu"), -1);
  return menu;
}

/* A header bar with the menu, and a status page whose two pill buttons
 * are @action_label (@action) and an upload without a merchant */
static GtkWidget *
build_status (GMenuModel     *primary_menu,
              const char     *icon_name,
              const char     *title,
              const char     *action_label,
              const char     *action,
              AdwStatusPage **out_status)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *first = gtk_button_new_with_mnemonic (action_label);
  GtkWidget *adhoc = gtk_button_new_with_mnemonic (_("_Upload Without a Merchant"));

  adw_header_bar_pack_end (ADW_HEADER_BAR (header), primary_menu_button (primary_menu));
  gtk_box_append (GTK_BOX (box), header);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (status), title);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (first), action);
  gtk_widget_add_css_class (first, "pill");
  gtk_widget_add_css_class (first, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (adhoc), "win.upload-adhoc");
  gtk_widget_add_css_class (adhoc, "pill");
  gtk_box_append (GTK_BOX (buttons), first);
  gtk_box_append (GTK_BOX (buttons), adhoc);
  adw_status_page_set_child (ADW_STATUS_PAGE (status), buttons);
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), status);
  *out_status = ADW_STATUS_PAGE (status);
  return box;
}

static GtkWidget *
build_empty (GMenuModel *primary_menu)
{
  AdwStatusPage *status;
  GtkWidget *box = build_status (primary_menu, "system-users-symbolic", _("No Merchants Yet"),
                                 _("_New Merchant"), "win.new-merchant", &status);

  adw_status_page_set_description (status,
                                   _("A merchant keeps its account values, what each provider still needs and every document sent"));
  return box;
}

static gboolean
show_spinner (gpointer data)
{
  DossierMerchantHome *self = data;

  self->spinner_timeout = 0;
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  return G_SOURCE_REMOVE;
}

static void
on_loading_map (GtkWidget           *page,
                DossierMerchantHome *self)
{
  if (self->spinner_timeout == 0 && !gtk_widget_get_visible (self->spinner))
    self->spinner_timeout = g_timeout_add (SPINNER_DELAY_MS, show_spinner, self);
}

static void
on_loading_unmap (GtkWidget           *page,
                  DossierMerchantHome *self)
{
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
}

/* While the store reads its file: the header bar (the menu works), and a
 * spinner once it lasts; never the empty state */
static GtkWidget *
build_loading (DossierMerchantHome *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Merchants"), NULL));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), primary_menu_button (self->primary_menu));
  gtk_box_append (GTK_BOX (box), header);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_size_request (self->spinner, 32, 32);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (self->spinner, TRUE);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reading the merchants"), -1);
  gtk_box_append (GTK_BOX (box), self->spinner);
  g_signal_connect (box, "map", G_CALLBACK (on_loading_map), self);
  g_signal_connect (box, "unmap", G_CALLBACK (on_loading_unmap), self);
  return box;
}

/* The file is there but cannot be read: why, and nothing done to it */
static GtkWidget *
build_failed (DossierMerchantHome *self)
{
  AdwStatusPage *status;
  GtkWidget *box = build_status (self->primary_menu, "dialog-warning-symbolic",
                                 _("The Merchants Could Not Be Read"), _("_Try Again"),
                                 "win.reload-merchants", &status);

  self->failed_page = GTK_WIDGET (status);
  return box;
}

static GtkWidget *
build_no_selection (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("", NULL));
  gtk_box_append (GTK_BOX (box), header);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "system-users-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Choose a Merchant"));
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), status);
  return box;
}

/* The list beside the page (folded when narrow), in the stack as
 * "merchants"; "built" tells who connects to them */
static void
ensure_merchants (DossierMerchantHome *self)
{
  if (self->list != NULL)
    return;

  self->client = dossier_client_new (2);
  self->list = DOSSIER_MERCHANT_LIST (dossier_merchant_list_new (self->catalogue, self->store));
  self->page = DOSSIER_MERCHANT_PAGE (dossier_merchant_page_new (self->catalogue, self->store, self->client,
                                                                 self->history, self->sandbox_url));
  self->page_stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->page_stack), build_no_selection (), "none");
  gtk_stack_add_named (GTK_STACK (self->page_stack), GTK_WIDGET (self->page), "page");
  gtk_widget_set_hexpand (self->page_stack, TRUE);

  adw_header_bar_pack_end (dossier_merchant_list_get_header_bar (self->list), primary_menu_button (self->primary_menu));

#if ADW_CHECK_VERSION (1, 4, 0)
  {
    AdwNavigationPage *sidebar = adw_navigation_page_new (GTK_WIDGET (self->list), _("Merchants"));

    self->content_page = adw_navigation_page_new (self->page_stack, _("Merchant"));
    self->split = ADW_NAVIGATION_SPLIT_VIEW (adw_navigation_split_view_new ());
    adw_navigation_split_view_set_sidebar (self->split, sidebar);
    adw_navigation_split_view_set_content (self->split, self->content_page);
    /* the navigation page's header bar brings its own back button */
    gtk_widget_set_visible (dossier_merchant_page_get_back_button (self->page), FALSE);
    gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->split), "merchants");
    if (self->breakpoint != NULL)
      adw_breakpoint_add_setters (self->breakpoint, G_OBJECT (self->split), "collapsed", TRUE, NULL);
  }
#else
  {
    AdwLeafletPage *separator;

    self->leaflet = ADW_LEAFLET (adw_leaflet_new ());
    adw_leaflet_set_can_navigate_back (self->leaflet, TRUE);
    gtk_widget_set_size_request (GTK_WIDGET (self->list), 280, -1);
    adw_leaflet_append (self->leaflet, GTK_WIDGET (self->list));
    separator = adw_leaflet_append (self->leaflet, gtk_separator_new (GTK_ORIENTATION_VERTICAL));
    adw_leaflet_page_set_navigatable (separator, FALSE);
    adw_leaflet_append (self->leaflet, self->page_stack);
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->list));
    /* window buttons at the window's edges, whatever is folded */
    g_object_bind_property (self->leaflet, "folded",
                            dossier_merchant_list_get_header_bar (self->list), "show-end-title-buttons",
                            G_BINDING_SYNC_CREATE);
    g_object_bind_property (self->leaflet, "folded",
                            dossier_merchant_page_get_header_bar (self->page), "show-start-title-buttons",
                            G_BINDING_SYNC_CREATE);
    g_object_bind_property (self->leaflet, "folded",
                            dossier_merchant_page_get_back_button (self->page), "visible",
                            G_BINDING_SYNC_CREATE);
    gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->leaflet), "merchants");
  }
#endif

  g_signal_emit (self, signals[BUILT], 0);
}

DossierMerchantHome *
dossier_merchant_home_new (DossierCatalogue     *catalogue,
                           DossierMerchantStore *store,
                           GListModel           *history,
                           const char           *sandbox_url,
                           GMenuModel           *primary_menu)
{
  DossierMerchantHome *self = g_object_new (DOSSIER_TYPE_MERCHANT_HOME, NULL);

  self->store = g_object_ref (store);
  self->catalogue = g_object_ref (catalogue);
  self->history = g_object_ref (history);
  self->sandbox_url = g_strdup (sandbox_url);
  self->primary_menu = g_object_ref (primary_menu);
  self->stack = gtk_stack_new ();
  adw_bin_set_child (ADW_BIN (self), self->stack);
  return self;
}

void
dossier_merchant_home_attach (DossierMerchantHome  *self,
                              AdwApplicationWindow *window)
{
#if ADW_CHECK_VERSION (1, 4, 0)
  self->breakpoint = adw_breakpoint_new (adw_breakpoint_condition_parse ("max-width: 600sp"));
  if (self->split != NULL)
    adw_breakpoint_add_setters (self->breakpoint, G_OBJECT (self->split), "collapsed", TRUE, NULL);
  adw_application_window_add_breakpoint (window, self->breakpoint);
#endif
  g_signal_connect_swapped (self->store, "items-changed", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->store, "notify::loaded", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->store, "notify::loading", G_CALLBACK (update_state), self);
  update_state (self);
}
