/* test-paced-list.c: a long list shown a slice a frame, and the files step using it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thousand files dropped at once were given to the files step's list view
 * in one change: it made and measured two hundred rows in one main-loop
 * dispatch and the window froze (build-aux/gui-benchmark.sh). These tests
 * check the order of things, never a duration: the list shows the first
 * few at once and the rest over the following frames, in the same order,
 * and any other change is passed on at once.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dossier-catalogue.h"
#include "dossier-files-page.h"
#include "dossier-paced-list.h"

#include "dossier-gui-test-util.h"

/* frames come: the window is shown */
#define WAIT_UNTIL DOSSIER_GUI_TEST_WAIT_UNTIL

typedef struct
{
  GtkWidget  *window;
  GtkWidget  *list_view;
  GListStore *store;
  guint       largest_change;   /* the most items added by one items-changed */
} Fixture;

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fx)
{
  fx->largest_change = MAX (fx->largest_change, added);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  fx->store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  fx->list_view = gtk_list_view_new (NULL, g_object_ref (factory));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), fx->list_view);
  fx->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (fx->window), scrolled);
  gtk_window_present (GTK_WINDOW (fx->window));
  WAIT_UNTIL (gtk_widget_get_mapped (fx->list_view));
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fx->window));
  g_clear_object (&fx->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
append (GListStore *store,
        guint       n)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint first = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%04u", first + i);

      g_ptr_array_add (items, gtk_string_object_new (name));
    }
  /* in one change, as the submission lists a drop */
  g_list_store_splice (store, first, 0, items->pdata, items->len);
}

static void
assert_same_items (GListModel *shown,
                   GListModel *model)
{
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (shown, i);
      g_autoptr(GObject) b = g_list_model_get_item (model, i);

      g_assert_true (a == b);
    }
}

/* A thousand appended in one change reach the list view in slices */
static void
test_slices (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(DossierPacedList) shown = dossier_paced_list_new (G_LIST_MODEL (fx->store), fx->list_view);
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (shown)));

  gtk_list_view_set_model (GTK_LIST_VIEW (fx->list_view), GTK_SELECTION_MODEL (selection));
  g_signal_connect (shown, "items-changed", G_CALLBACK (on_items_changed), fx);

  /* a few: at once, as before */
  append (fx->store, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, 3);
  g_assert_cmpuint (dossier_paced_list_get_n_pending (shown), ==, 0);

  /* a thousand: the first few at once, the rest later, in order */
  append (fx->store, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), <, 1003);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), >, 3);
  g_assert_cmpuint (dossier_paced_list_get_n_pending (shown), >, 0);
  WAIT_UNTIL (dossier_paced_list_get_n_pending (shown) == 0);
  assert_same_items (G_LIST_MODEL (shown), G_LIST_MODEL (fx->store));
  /* never the thousand in one change */
  g_assert_cmpuint (fx->largest_change, <, 1000);
}

/* Removals and changes of what is shown are passed on at once, also while
 * a tail waits */
static void
test_changes (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(DossierPacedList) shown = dossier_paced_list_new (G_LIST_MODEL (fx->store), fx->list_view);
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (shown)));
  guint n_shown;

  gtk_list_view_set_model (GTK_LIST_VIEW (fx->list_view), GTK_SELECTION_MODEL (selection));

  append (fx->store, 500);
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (shown));
  g_assert_cmpuint (n_shown, >, 2);
  g_assert_cmpuint (n_shown, <, 500);

  /* the first shown removed: gone at once, the tail still waits */
  g_list_store_remove (fx->store, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, n_shown - 1);
  for (guint i = 0; i < n_shown - 1; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (G_LIST_MODEL (shown), i);
      g_autoptr(GObject) b = g_list_model_get_item (G_LIST_MODEL (fx->store), i);

      g_assert_true (a == b);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (shown), n_shown - 1));

  /* one of the waiting removed: nothing shown changes */
  g_list_store_remove (fx->store, 400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, n_shown - 1);

  WAIT_UNTIL (dossier_paced_list_get_n_pending (shown) == 0);
  assert_same_items (G_LIST_MODEL (shown), G_LIST_MODEL (fx->store));

  /* cleared while a tail waits: empty at once, and stays so */
  append (fx->store, 300);
  g_assert_cmpuint (dossier_paced_list_get_n_pending (shown), >, 0);
  g_list_store_remove_all (fx->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, 0);
  g_assert_cmpuint (dossier_paced_list_get_n_pending (shown), ==, 0);
  for (guint i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, 0);

  /* flushed: all at once */
  append (fx->store, 300);
  dossier_paced_list_flush (shown);
  assert_same_items (G_LIST_MODEL (shown), G_LIST_MODEL (fx->store));
}

/* A list view not on screen: the tail waits for it, and comes once it is
 * shown again */
static void
test_unmapped (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(DossierPacedList) shown = dossier_paced_list_new (G_LIST_MODEL (fx->store), fx->list_view);
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (shown)));
  guint n_shown;

  gtk_list_view_set_model (GTK_LIST_VIEW (fx->list_view), GTK_SELECTION_MODEL (selection));
  gtk_widget_set_visible (fx->window, FALSE);
  g_assert_false (gtk_widget_get_mapped (fx->list_view));

  append (fx->store, 400);
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (shown));
  g_assert_cmpuint (dossier_paced_list_get_n_pending (shown), >, 0);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, n_shown);

  gtk_widget_set_visible (fx->window, TRUE);
  WAIT_UNTIL (dossier_paced_list_get_n_pending (shown) == 0);
  assert_same_items (G_LIST_MODEL (shown), G_LIST_MODEL (fx->store));

  /* hidden with a tail waiting: it waits, and comes on the next showing */
  append (fx->store, 400);
  g_assert_cmpuint (dossier_paced_list_get_n_pending (shown), >, 0);
  gtk_widget_set_visible (fx->window, FALSE);
  gtk_widget_set_visible (fx->window, TRUE);
  WAIT_UNTIL (dossier_paced_list_get_n_pending (shown) == 0);
  assert_same_items (G_LIST_MODEL (shown), G_LIST_MODEL (fx->store));
}

static void
on_uploads_changed (GListModel *uploads,
                    guint       position,
                    guint       removed,
                    guint       added,
                    GListModel *list_model)
{
  guint *shown_then = g_object_get_data (G_OBJECT (uploads), "shown-then");

  /* what the list view had when the submission listed the files */
  if (added > 0)
    *shown_then = g_list_model_get_n_items (list_model);
}

/* The files step: a thousand files dropped reach its list view over
 * several frames, not in the change that lists them */
static void
test_files_page (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(DossierCatalogue) catalogue = dossier_catalogue_new_default ();
  g_autoptr(DossierSubmission) submission = NULL;
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dossier-paced-XXXXXX", &error);
  DossierProvider *provider = dossier_catalogue_lookup (catalogue, "moov");
  GtkWidget *page = g_object_new (DOSSIER_TYPE_FILES_PAGE, NULL);
  GListModel *uploads, *list_model;
  guint shown_then = G_MAXUINT;
  const guint n = 1000;

  g_assert_no_error (error);
  g_assert_nonnull (provider);
  submission = dossier_submission_new (provider);
  gtk_window_set_child (GTK_WINDOW (fx->window), page);
  dossier_files_page_set_submission (DOSSIER_FILES_PAGE (page), submission);
  WAIT_UNTIL (gtk_widget_get_mapped (page));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("scan-%04u.pdf", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      g_assert_true (g_file_set_contents (path, "%PDF-1.4\n%%EOF\n", -1, NULL));
      g_list_store_append (files, file);
    }

  uploads = dossier_submission_get_uploads (submission);
  list_model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (dossier_files_page_get_list_view (DOSSIER_FILES_PAGE (page)))));
  g_object_set_data (G_OBJECT (uploads), "shown-then", &shown_then);
  g_signal_connect_after (uploads, "items-changed", G_CALLBACK (on_uploads_changed), list_model);

  dossier_files_page_add_files (DOSSIER_FILES_PAGE (page), G_LIST_MODEL (files));
  WAIT_UNTIL (g_list_model_get_n_items (uploads) == n);
  /* listed in the submission in one go, shown a few at first */
  g_assert_cmpuint (shown_then, <, n);
  g_assert_cmpuint (shown_then, >, 0);
  WAIT_UNTIL (g_list_model_get_n_items (list_model) == n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (list_model, i);
      g_autoptr(GObject) b = g_list_model_get_item (uploads, i);

      g_assert_true (a == b);
    }

  g_signal_handlers_disconnect_by_func (uploads, on_uploads_changed, list_model);
  dossier_submission_clear (submission);
  dossier_files_page_set_submission (DOSSIER_FILES_PAGE (page), NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("scan-%04u.pdf", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/paced-list/slices", Fixture, NULL, fixture_setup, test_slices, fixture_teardown);
  g_test_add ("/paced-list/changes", Fixture, NULL, fixture_setup, test_changes, fixture_teardown);
  g_test_add ("/paced-list/unmapped", Fixture, NULL, fixture_setup, test_unmapped, fixture_teardown);
  g_test_add ("/paced-list/files-page", Fixture, NULL, fixture_setup, test_files_page, fixture_teardown);

  return g_test_run ();
}
