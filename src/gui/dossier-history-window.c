/* dossier-history-window.c: the uploads that finished, with their ids and links
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-gui-dialogs.h"
#include "dossier-history-row.h"
#include "dossier-history-window.h"

struct _DossierHistoryWindow
{
  AdwWindow           parent_instance;

  /* template */
  AdwToastOverlay    *toast_overlay;
  GtkWidget          *search_button;
  GtkWidget          *search_bar;
  GtkWidget          *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;

  DossierHistory     *history;
  DossierCatalogue   *catalogue;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  char               *search;       /* casefolded, NULL: everything */
  char               *last_toast;
};

G_DEFINE_FINAL_TYPE (DossierHistoryWindow, dossier_history_window, ADW_TYPE_WINDOW)

static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  DossierHistoryWindow *self = user_data;
  DossierHistoryEntry *entry = item;

  if (self->search == NULL)
    return TRUE;

  return contains (dossier_history_entry_get_file_name (entry), self->search)
         || contains (dossier_history_entry_get_remote_id (entry), self->search);
}

static void
update_state (DossierHistoryWindow *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->history));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (n_all == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (n_shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.clear", n_all > 0);
}

static void
on_items_changed (GListModel           *model,
                  guint                 position,
                  guint                 removed,
                  guint                 added,
                  DossierHistoryWindow *self)
{
  update_state (self);
}

static void
on_search_changed (DossierHistoryWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_state (self);
}

static const char *
environment_name (DossierHistoryWindow *self,
                  DossierHistoryEntry  *entry)
{
  DossierProvider *provider;
  const DossierEnvironment *environment;

  if (self->catalogue == NULL)
    return NULL;

  provider = dossier_catalogue_lookup (self->catalogue, dossier_history_entry_get_provider_id (entry));
  if (provider == NULL)
    return NULL;

  environment = dossier_provider_lookup_environment (provider, dossier_history_entry_get_environment (entry));
  return environment != NULL ? environment->name : NULL;
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               DossierHistoryWindow     *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, dossier_history_row_new ());
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              DossierHistoryWindow     *self)
{
  DossierHistoryEntry *entry = gtk_list_item_get_item (item);

  dossier_history_row_bind (DOSSIER_HISTORY_ROW (gtk_list_item_get_child (item)),
                            entry, environment_name (self, entry));
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                DossierHistoryWindow     *self)
{
  dossier_history_row_bind (DOSSIER_HISTORY_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DossierHistoryWindow *self = DOSSIER_HISTORY_WINDOW (widget);
  const char *title = g_variant_get_string (parameter, NULL);
  AdwToast *toast = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
clear_history (DossierHistoryWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!dossier_history_clear (self->history, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The history could not be cleared: %s"), error->message);

      gtk_widget_activate_action (GTK_WIDGET (self), "history.show-toast", "s", text);
    }
}

#if ADW_CHECK_VERSION (1, 5, 0)
static void
on_clear_response (AdwAlertDialog       *dialog,
                   const char           *response,
                   DossierHistoryWindow *self)
#else
static void
on_clear_response (AdwMessageDialog     *dialog,
                   const char           *response,
                   DossierHistoryWindow *self)
#endif
{
  if (g_strcmp0 (response, "clear") == 0)
    clear_history (self);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DossierHistoryWindow *self = DOSSIER_HISTORY_WINDOW (widget);
  const char *heading = _("Clear the History?");
  const char *body = _("The ids and links of every upload listed here are forgotten. "
                       "Files already sent stay with the providers.");

  GtkWidget *dialog = dossier_gui_ask_destructive (GTK_WIDGET (self), heading, body,
                                                   "clear", _("C_lear"));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_clear_response), self, 0);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DossierHistoryWindow *self = DOSSIER_HISTORY_WINDOW (widget);

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

static void
dossier_history_window_dispose (GObject *object)
{
  DossierHistoryWindow *self = DOSSIER_HISTORY_WINDOW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->history);
  g_clear_object (&self->catalogue);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_HISTORY_WINDOW);

  G_OBJECT_CLASS (dossier_history_window_parent_class)->dispose (object);
}

static void
dossier_history_window_finalize (GObject *object)
{
  DossierHistoryWindow *self = DOSSIER_HISTORY_WINDOW (object);

  g_free (self->search);
  g_free (self->last_toast);

  G_OBJECT_CLASS (dossier_history_window_parent_class)->finalize (object);
}

static void
dossier_history_window_class_init (DossierHistoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_history_window_dispose;
  object_class->finalize = dossier_history_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-history-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierHistoryWindow, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "history.show-toast", "s", show_toast_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "history.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "history.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_history_window_init (DossierHistoryWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);

  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (GTK_SEARCH_BAR (self->search_bar), GTK_WIDGET (self));
}

GtkWidget *
dossier_history_window_new (DossierHistory   *history,
                            DossierCatalogue *catalogue)
{
  DossierHistoryWindow *self;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_val_if_fail (DOSSIER_IS_HISTORY (history), NULL);
  g_return_val_if_fail (catalogue == NULL || DOSSIER_IS_CATALOGUE (catalogue), NULL);

  self = g_object_new (DOSSIER_TYPE_HISTORY_WINDOW, NULL);
  self->history = g_object_ref (history);
  if (catalogue != NULL)
    self->catalogue = g_object_ref (catalogue);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (history)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect (self->filtered, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (self->history, "items-changed", G_CALLBACK (on_items_changed), self);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  update_state (self);

  return GTK_WIDGET (self);
}

GtkWidget *
dossier_history_window_get_list_view (DossierHistoryWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_WINDOW (self), NULL);
  return GTK_WIDGET (self->list_view);
}

const char *
dossier_history_window_get_state (DossierHistoryWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
dossier_history_window_set_search (DossierHistoryWindow *self,
                                   const char           *text)
{
  g_return_if_fail (DOSSIER_IS_HISTORY_WINDOW (self));

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* at once, not after the entry's delay */
  on_search_changed (self);
}

guint
dossier_history_window_get_n_shown (DossierHistoryWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

const char *
dossier_history_window_get_last_toast (DossierHistoryWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_WINDOW (self), NULL);
  return self->last_toast;
}
