/* test-merchants-load.c: the window while the merchants' file is read, and when it cannot be
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application reads merchants.jsonl on a worker from its start; the
 * window opens before the records are in. Each case runs in a process of
 * its own (an application reads its store once, at its start), with a
 * data folder of its own.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dossier-application.h"
#include "dossier-merchant-dialog.h"
#include "dossier-window.h"
#include "dossier-window-private.h"

#include "dossier-gui-test-util.h"
#include "dossier-test-util.h"

#define WAIT_UNTIL DOSSIER_GUI_TEST_WAIT_UNTIL

#define N_MERCHANTS 400

static char *data_dir;

static char *
store_path (void)
{
  return g_build_filename (data_dir, "dossier", "merchants.jsonl", NULL);
}

/* merchants.jsonl with @n merchants ("Merchant 0000"...), and @extra at
 * its end; the ids into @ids */
static void
write_store (guint       n,
             const char *extra,
             GPtrArray  *ids)
{
  g_autofree char *dir = g_build_filename (data_dir, "dossier", NULL);
  g_autofree char *path = store_path ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();

      g_string_append_printf (text, "{\"format\":1,\"id\":\"%s\",\"name\":\"Merchant %04u\"}\n", id, i);
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  if (extra != NULL)
    g_string_append (text, extra);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
}

/* An application started as the dossier binary starts it */
static DossierApplication *
start_application (void)
{
  DossierApplication *app = dossier_application_new ();
  g_autoptr(GError) error = NULL;

  /* no sandbox of its own: nothing here sends */
  dossier_application_set_sandbox_url (app, "http://127.0.0.1:9");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

static GtkWindow *
find_merchant_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DOSSIER_IS_MERCHANT_DIALOG (window))
        return window;
    }
  return NULL;
}

/* Every state the home shows, in order */
static void
on_state (GtkStack   *stack,
          GParamSpec *pspec,
          GString    *states)
{
  const char *name = gtk_stack_get_visible_child_name (stack);

  if (name != NULL && !g_str_has_suffix (states->str, name))
    g_string_append_printf (states, " %s", name);
}

static DossierWindow *
open_window (DossierApplication *app,
             GString            *states)
{
  DossierWindow *window = dossier_window_new (app);
  DossierMerchantHome *home = dossier_window_get_merchant_home (window);
  GtkWidget *stack = adw_bin_get_child (ADW_BIN (home));

  g_string_append (states, gtk_stack_get_visible_child_name (GTK_STACK (stack)));
  g_signal_connect (stack, "notify::visible-child-name", G_CALLBACK (on_state), states);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  return window;
}

/* DOSSIER_SCREENSHOT_DIR: the window as drawn, to look at */
static void
screenshot (DossierWindow *window,
            const char    *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, file_name, NULL);
  dossier_gui_test_save_png (GTK_WIDGET (window), path);
}

static void
close_window (DossierWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  dossier_gui_test_iterate ();
}

/* 400 merchants: the window is there before they are, on a loading page
 * (never "No Merchants Yet"); New Merchant and a notification's merchant
 * asked for meanwhile wait for them, and the list fills */
static void
run_filled (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DossierApplication) app = NULL;
  g_autoptr(GString) states = g_string_new (NULL);
  g_autofree char *path = store_path ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  DossierMerchantStore *store;
  DossierMerchantHome *home;
  DossierWindow *window;
  GtkWindow *dialog;
  const char *wanted;

  write_store (N_MERCHANTS, NULL, ids);
  g_file_get_contents (path, &before, NULL, &error);
  g_assert_no_error (error);

  app = start_application ();
  store = dossier_application_get_merchant_store (app);
  /* read on a worker: not in the list before the main loop takes it */
  g_assert_true (dossier_merchant_store_get_loading (store));
  g_assert_false (dossier_merchant_store_get_loaded (store));
  /* the last merchant opened, shown again once read */
  g_settings_set_string (dossier_application_get_settings (app), "merchant", g_ptr_array_index (ids, 7));

  window = open_window (app, states);
  home = dossier_window_get_merchant_home (window);
  g_assert_cmpstr (states->str, ==, "loading");
  g_assert_false (dossier_merchant_home_is_empty (home));
  g_assert_false (dossier_merchant_home_is_built (home));

  /* asked for before the records are in: done once they are */
  wanted = g_ptr_array_index (ids, 123);
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-merchant", g_variant_new_string (wanted));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-merchant", NULL);
  if (!dossier_merchant_store_get_loaded (store))
    g_assert_null (find_merchant_dialog ());

  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (dossier_merchant_home_get_state (home), "merchants") == 0);
  g_assert_cmpstr (states->str, ==, "loading merchants");
  g_assert_true (dossier_merchant_store_get_loaded (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_MERCHANTS);
  g_assert_cmpuint (dossier_merchant_list_get_n_shown (dossier_merchant_home_get_list (home)), ==, N_MERCHANTS);
  /* the notification's merchant, not the last one opened */
  g_assert_nonnull (dossier_merchant_page_get_merchant (dossier_merchant_home_get_page (home)));
  g_assert_cmpstr (dossier_merchant_get_id (dossier_merchant_page_get_merchant (dossier_merchant_home_get_page (home))),
                   ==, wanted);
  WAIT_UNTIL ((dialog = find_merchant_dialog ()) != NULL);
  gtk_window_destroy (dialog);
  screenshot (window, "merchants-loaded");

  /* reading changed nothing in the file */
  g_file_get_contents (path, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, before);

  /* a second window shows the same records at once */
  close_window (window);
  g_string_truncate (states, 0);
  window = open_window (app, states);
  g_assert_cmpstr (states->str, ==, "merchants");
  g_assert_true (dossier_merchant_home_get_list (dossier_window_get_merchant_home (window)) != NULL);
  g_assert_cmpstr (dossier_merchant_get_id (dossier_merchant_page_get_merchant (dossier_merchant_home_get_page (dossier_window_get_merchant_home (window)))),
                   ==, wanted);
  close_window (window);
}

/* New Merchant, Search and a notification's merchant asked for while the
 * records are read, then Upload Without a Merchant from the loading
 * page's menu: the window stays in the flow the clerk started once they
 * are in, nothing of what was asked before opens */
static void
run_moved_on (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DossierApplication) app = NULL;
  g_autoptr(GString) states = g_string_new (NULL);
  DossierMerchantStore *store;
  DossierMerchantHome *home;
  DossierWindow *window;

  write_store (N_MERCHANTS, NULL, ids);
  app = start_application ();
  store = dossier_application_get_merchant_store (app);
  window = open_window (app, states);
  home = dossier_window_get_merchant_home (window);
  /* read on a worker: not in before the main loop takes it */
  g_assert_false (dossier_merchant_store_get_loaded (store));
  g_assert_cmpstr (states->str, ==, "loading");

  g_action_group_activate_action (G_ACTION_GROUP (app), "show-merchant",
                                  g_variant_new_string (g_ptr_array_index (ids, 42)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search-merchants", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-merchant", NULL);
  g_assert_false (dossier_merchant_store_get_loaded (store));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.upload-adhoc", NULL);
  g_assert_true (_dossier_window_in_flow (window));

  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (dossier_merchant_home_get_state (home), "merchants") == 0);
  /* what ran once they were in had its turn */
  dossier_gui_test_iterate ();
  g_assert_true (_dossier_window_in_flow (window));
  g_assert_null (find_merchant_dialog ());
  g_assert_null (dossier_merchant_page_get_merchant (dossier_merchant_home_get_page (home)));
  close_window (window);
}

/* A file with damaged lines: the others listed, the clerk told which line
 * and that it stays as it is; a file that cannot be read at all: why,
 * on the page, nothing written, and Try Again once it can be */
static void
run_unreadable (void)
{
  static const char damaged[] = "{\"format\":1,\"id\":\"not-an-id\",\"name\":\"Broken\"}\n"
                                "{\"format\":1,\"id\":\n";
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DossierApplication) app = NULL;
  g_autoptr(GString) states = g_string_new (NULL);
  g_autofree char *path = store_path ();
  g_autofree char *aside = g_build_filename (data_dir, "aside.jsonl", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  DossierMerchantStore *store;
  DossierMerchantHome *home;
  DossierWindow *window;
  const char *toast;

  /* the damaged lines after three good ones */
  write_store (3, damaged, ids);
  /* and a folder where the file should be: cannot be read */
  g_assert_cmpint (g_rename (path, aside), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);

  app = start_application ();
  store = dossier_application_get_merchant_store (app);
  window = open_window (app, states);
  home = dossier_window_get_merchant_home (window);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (dossier_merchant_home_get_state (home), "failed") == 0);
  g_assert_cmpstr (states->str, ==, "loading failed");
  g_assert_false (dossier_merchant_store_get_loaded (store));
  g_assert_nonnull (dossier_merchant_store_get_load_error (store));
  /* the page says why, naming the file */
  {
    g_autoptr(GPtrArray) pages = g_ptr_array_new ();
    gboolean said = FALSE;

    dossier_gui_test_collect (GTK_WIDGET (home), ADW_TYPE_STATUS_PAGE, TRUE, pages);
    for (guint i = 0; i < pages->len; i++)
      {
        const char *description = adw_status_page_get_description (g_ptr_array_index (pages, i));

        said |= description != NULL && strstr (description, path) != NULL &&
                strstr (description, "Nothing in the file was changed") != NULL;
      }
    g_assert_true (said);
  }
  screenshot (window, "merchants-unreadable");

  /* New Merchant cannot add to what could not be read: says so */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-merchant", NULL);
  dossier_gui_test_iterate ();
  g_assert_null (find_merchant_dialog ());
  toast = dossier_window_get_last_toast (window);
  g_assert_nonnull (toast);
  g_assert_true (g_str_has_prefix (toast, "The merchants could not be read: "));
  g_assert_nonnull (strstr (toast, path));
  /* nothing written over it */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));

  /* a second window on the failed page, closed as the clerk closes it,
   * and Refresh asked of it first: nothing builds the merchants' list
   * and page just to save or refresh nothing */
  {
    g_autoptr(GString) second_states = g_string_new (NULL);
    DossierWindow *second = open_window (app, second_states);
    g_autoptr(DossierMerchantHome) second_home = g_object_ref (dossier_window_get_merchant_home (second));

    g_assert_cmpstr (second_states->str, ==, "failed");
    gtk_window_present (GTK_WINDOW (second));
    dossier_gui_test_iterate ();
    gtk_widget_activate_action (GTK_WIDGET (second), "win.refresh-merchant", NULL);
    gtk_widget_activate_action (GTK_WIDGET (second), "win.refresh-reviews", NULL);
    gtk_widget_activate_action (GTK_WIDGET (second), "win.export-merchant", NULL);
    gtk_window_close (GTK_WINDOW (second));
    g_assert_false (dossier_merchant_home_is_built (second_home));
    dossier_gui_test_iterate ();
  }

  /* the file back, with its damaged lines: Try Again */
  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_assert_cmpint (g_rename (aside, path), ==, 0);
  g_string_truncate (states, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload-merchants", NULL);
  WAIT_UNTIL (g_strcmp0 (dossier_merchant_home_get_state (home), "merchants") == 0);
  g_assert_cmpstr (states->str, ==, " loading merchants");
  g_assert_cmpuint (dossier_merchant_list_get_n_shown (dossier_merchant_home_get_list (home)), ==, 3);
  toast = dossier_window_get_last_toast (window);
  g_assert_nonnull (toast);
  g_test_message ("%s", toast);
  g_assert_true (g_str_has_prefix (toast, "2 merchants’ records could not be read and stay in the file as they are: "));
  g_assert_nonnull (strstr (toast, path));
  g_assert_nonnull (strstr (toast, ", line 4: "));

  /* a merchant added: the damaged lines stay in the file, as they were */
  {
    g_autoptr(DossierMerchant) merchant = dossier_merchant_new ("Toko Baru");

    g_assert_true (dossier_merchant_store_add (store, merchant, &error));
    g_assert_no_error (error);
  }
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, damaged));
  g_assert_nonnull (strstr (text, "Toko Baru"));
  g_assert_nonnull (strstr (text, "Merchant 0002"));
  close_window (window);
}

/* Each case in a process of its own: @data is its run_*() */
typedef struct
{
  const char *path;
  void      (*run) (void);
} Case;

static const Case cases[] = {
  { "/merchants-load/filled", run_filled },
  { "/merchants-load/moved-on", run_moved_on },
  { "/merchants-load/unreadable", run_unreadable },
};

static void
test_case (gconstpointer data)
{
  const Case *test = data;

  if (g_test_subprocess ())
    {
      test->run ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* a data and state folder of this process's own, before anything asks */
  data_dir = g_dir_make_tmp ("dossier-gui-load-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_STATE_HOME", data_dir, TRUE);
  /* the reviews' follow-up only when asked */
  g_setenv ("DOSSIER_FOLLOW_UP_SECONDS", "0", TRUE);

  gtk_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);

  status = g_test_run ();
  dossier_test_remove_tree (data_dir);
  g_free (data_dir);
  return status;
}
