/* test-follow-up-gui.c: the application's follow-up and the merchant page
 * while a provider is slow to answer
 *
 * Against the sandbox, behind a small proxy on loopback that holds one
 * answer until the test lets it go: Cancel on one merchant's page while
 * another merchant's follow-up runs, the application's follow-up going
 * away while one runs, a checklist taken off the page while it asks.
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "dossier-catalogue.h"
#include "dossier-checklist-view.h"
#include "dossier-follow-up-gui.h"
#include "dossier-gui-test-util.h"
#include "dossier-history.h"
#include "dossier-merchant-follow-up.h"
#include "dossier-merchant-page.h"
#include "dossier-test-util.h"

#define WAIT_UNTIL DOSSIER_GUI_TEST_WAIT_UNTIL

static DossierSandbox *sandbox;
static DossierCatalogue *catalogue;
static char *scratch;

/* ------------------------------------------------------------------------ */
/* a proxy in front of the sandbox that holds one answer                     */

typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *url;
  char        *hold;      /* the first request whose path holds this waits */
  GPtrArray   *paths;     /* "METHOD path" of every request */
  GPtrArray   *held;      /* Forward */
} Proxy;

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *msg;
  SoupMessage       *upstream;
  GBytes            *body;
  gboolean           gone;    /* the client went away */
} Forward;

static void
forward_free (Forward *fwd)
{
  g_signal_handlers_disconnect_by_data (fwd->msg, fwd);
  g_object_unref (fwd->msg);
  g_clear_object (&fwd->upstream);
  g_clear_pointer (&fwd->body, g_bytes_unref);
  g_free (fwd);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 &&
      g_ascii_strcasecmp (name, "Connection") != 0 && g_ascii_strcasecmp (name, "Host") != 0 &&
      g_ascii_strcasecmp (name, "Content-Type") != 0)
    soup_message_headers_append (user_data, name, value);
}

/* The sandbox's answer to the client, or nothing to a client that left */
static void
answer (Forward *fwd)
{
  if (!fwd->gone)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (fwd->msg);
      gsize length = 0;
      const char *data = fwd->body != NULL ? g_bytes_get_data (fwd->body, &length) : NULL;

      if (fwd->body == NULL)
        soup_server_message_set_status (fwd->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
      else
        {
          SoupMessageHeaders *upstream = soup_message_get_response_headers (fwd->upstream);

          soup_message_headers_foreach (upstream, copy_header, headers);
          soup_server_message_set_status (fwd->msg, soup_message_get_status (fwd->upstream), NULL);
          soup_server_message_set_response (fwd->msg, soup_message_headers_get_content_type (upstream, NULL),
                                            SOUP_MEMORY_COPY, data, length);
        }
      soup_server_message_unpause (fwd->msg);
    }
  forward_free (fwd);
}

static void
forwarded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Forward *fwd = user_data;
  Proxy *proxy = fwd->proxy;
  const char *path = g_uri_get_path (soup_message_get_uri (fwd->upstream));

  fwd->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  if (proxy->hold != NULL && strstr (path, proxy->hold) != NULL)
    {
      /* one answer held; the next ones go through */
      g_clear_pointer (&proxy->hold, g_free);
      g_ptr_array_add (proxy->held, fwd);
      return;
    }
  answer (fwd);
}

static void
disconnected_cb (SoupServerMessage *msg,
                 Forward           *fwd)
{
  fwd->gone = TRUE;
}

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Proxy *proxy = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request);
  g_autofree char *target = g_strconcat (dossier_sandbox_get_base_url (sandbox), path,
                                         g_uri_get_query (uri) != NULL ? "?" : "",
                                         g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "", NULL);
  const char *method = soup_server_message_get_method (msg);
  Forward *fwd = g_new0 (Forward, 1);
  SoupMessageHeaders *headers;

  g_ptr_array_add (proxy->paths, g_strdup_printf ("%s %s", method, path));
  fwd->proxy = proxy;
  fwd->msg = g_object_ref (msg);
  fwd->upstream = soup_message_new (method, target);
  g_assert_nonnull (fwd->upstream);
  headers = soup_message_get_request_headers (fwd->upstream);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header, headers);
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (fwd->upstream,
                                              soup_message_headers_get_content_type (
                                                soup_server_message_get_request_headers (msg), NULL),
                                              body);
  /* an empty body's type, when it has one */
  else if (soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL) != NULL)
    soup_message_headers_replace (headers, "Content-Type",
                                  soup_message_headers_get_content_type (
                                    soup_server_message_get_request_headers (msg), NULL));
  g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), fwd);
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->session, fwd->upstream, G_PRIORITY_DEFAULT, NULL, forwarded_cb, fwd);
}

static Proxy *
proxy_new (void)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  proxy->server = soup_server_new (NULL, NULL);
  proxy->session = soup_session_new ();
  proxy->paths = g_ptr_array_new_with_free_func (g_free);
  proxy->held = g_ptr_array_new ();
  soup_server_add_handler (proxy->server, NULL, proxy_cb, proxy, NULL);
  g_assert_true (soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return proxy;
}

/* the held answer goes out */
static void
proxy_release (Proxy *proxy)
{
  g_clear_pointer (&proxy->hold, g_free);
  while (proxy->held->len > 0)
    answer (g_ptr_array_steal_index (proxy->held, 0));
}

static gboolean
proxy_was_asked (Proxy      *proxy,
                 const char *part)
{
  for (guint i = 0; i < proxy->paths->len; i++)
    if (strstr (g_ptr_array_index (proxy->paths, i), part) != NULL)
      return TRUE;
  return FALSE;
}

static void
proxy_free (Proxy *proxy)
{
  proxy_release (proxy);
  soup_server_disconnect (proxy->server);
  g_object_unref (proxy->server);
  g_object_unref (proxy->session);
  g_ptr_array_unref (proxy->paths);
  g_ptr_array_unref (proxy->held);
  g_free (proxy->url);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

/* ------------------------------------------------------------------------ */
/* the record                                                                */

/* Merchants each with an upload sent to Moov (an account of its own in
 * the sandbox: any UUID is one), waiting for its review */
#define N_MERCHANTS 4
static DossierMerchant *merchants[N_MERCHANTS];

static const char *
account_of (DossierMerchant *merchant)
{
  return dossier_merchant_get_account_value (merchant, "moov", "accountID");
}

static void
write_record (void)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "dossier", NULL);
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_MERCHANTS; i++)
    {
      g_autofree char *account = g_uuid_string_random ();

      merchants[i] = dossier_merchant_new ("Toko");
      g_assert_true (dossier_merchant_set_account_value (merchants[i], dossier_catalogue_lookup (catalogue, "moov"),
                                                         "accountID", account, &error));
      g_assert_no_error (error);
      g_string_append_printf (lines,
                              "{\"finished_at\":\"2026-12-05T09:0%u:00Z\",\"provider_id\":\"moov\","
                              "\"provider_name\":\"Moov\",\"environment\":\"sandbox\",\"file_name\":\"ktp-%u.png\","
                              "\"success\":true,\"remote_id\":\"00000000-0000-4000-8000-00000000000%u\","
                              "\"outcome\":\"sent\",\"merchant_id\":\"%s\",\"account\":{\"accountID\":\"%s\"},"
                              "\"document\":{\"filePurpose\":\"business_verification\"}}\n",
                              i, i, i, dossier_merchant_get_id (merchants[i]), account);
    }
  g_assert_true (g_mkdir_with_parents (dir, 0700) == 0);
  g_assert_true (g_file_set_contents (path, lines->str, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dossier_history_get_default ())), ==, N_MERCHANTS);
}

/* ------------------------------------------------------------------------ */
/* the follow-up                                                             */

static void
finished_cb (DossierFollowUpScheduler *scheduler,
             const char               *merchant_id,
             const char               *provider_id,
             const char               *error,
             GPtrArray                *finished)
{
  g_ptr_array_add (finished, g_strdup_printf ("%s %s", merchant_id, error != NULL ? error : "ok"));
}

/* Cancel on merchant B's page while merchant A's follow-up runs in the
 * background and B's waits behind it: B's is dropped, A's goes on and
 * ends as it would have, B is never asked */
static void
test_cancel_merchant (void)
{
  g_autoptr(Proxy) proxy = proxy_new ();
  g_autoptr(DossierFollowUpGui) gui = dossier_follow_up_gui_new (NULL, catalogue, proxy->url, NULL);
  DossierFollowUpScheduler *scheduler = dossier_follow_up_gui_get_scheduler (gui);
  g_autoptr(GPtrArray) finished = g_ptr_array_new_with_free_func (g_free);
  DossierMerchant *a = merchants[0], *b = merchants[1];
  g_autofree char *a_done = g_strdup_printf ("%s ok", dossier_merchant_get_id (a));
  GtkWidget *window = adw_window_new ();
  GtkWidget *page = dossier_merchant_follow_up_new (catalogue);
  DossierMerchantFollowUp *b_page = DOSSIER_MERCHANT_FOLLOW_UP (page);

  g_assert_false (dossier_follow_up_scheduler_is_paused (scheduler));
  g_signal_connect (scheduler, "finished", G_CALLBACK (finished_cb), finished);
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* A asked in the background; Moov is slow to give its files */
  proxy->hold = g_strdup (account_of (a));
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, dossier_merchant_get_id (a)));
  WAIT_UNTIL (proxy->held->len == 1);

  /* B's page opens: its Refresh waits behind A's */
  dossier_merchant_follow_up_set_gui (b_page, gui);
  dossier_merchant_follow_up_set_merchant (b_page, b);
  dossier_merchant_follow_up_refresh (b_page);
  g_assert_true (dossier_merchant_follow_up_get_busy (b_page));
  g_assert_true (dossier_follow_up_scheduler_has_merchant (scheduler, dossier_merchant_get_id (b)));
  WAIT_UNTIL (gtk_widget_get_mapped (dossier_merchant_follow_up_get_cancel_button (b_page)));

  /* Cancel on B's page: B stops at once, A is left alone */
  g_signal_emit_by_name (dossier_merchant_follow_up_get_cancel_button (b_page), "clicked");
  WAIT_UNTIL (!dossier_merchant_follow_up_get_busy (b_page));
  g_assert_cmpuint (finished->len, ==, 0);
  g_assert_false (dossier_follow_up_scheduler_has_merchant (scheduler, dossier_merchant_get_id (b)));
  g_assert_true (dossier_follow_up_scheduler_has_merchant (scheduler, dossier_merchant_get_id (a)));

  /* Moov answers A: A's follow-up ends as asked; B was never asked */
  proxy_release (proxy);
  WAIT_UNTIL (!dossier_follow_up_scheduler_is_busy (scheduler));
  g_assert_cmpuint (finished->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (finished, 0), ==, a_done);
  g_assert_true (proxy_was_asked (proxy, account_of (a)));
  g_assert_false (proxy_was_asked (proxy, account_of (b)));

  gtk_window_destroy (GTK_WINDOW (window));
  dossier_gui_test_iterate ();
}

/* The application's follow-up goes away while one follow-up runs and
 * another waits: the running one is cancelled, the waiting one never
 * starts (the start function's data went with it), and the scheduler
 * goes once its follow-up ended */
static void
test_dispose_while_asking (void)
{
  g_autoptr(Proxy) proxy = proxy_new ();
  DossierFollowUpGui *gui = dossier_follow_up_gui_new (NULL, catalogue, proxy->url, NULL);
  DossierFollowUpScheduler *scheduler = dossier_follow_up_gui_get_scheduler (gui);
  DossierMerchant *c = merchants[2], *d = merchants[3];

  g_object_add_weak_pointer (G_OBJECT (scheduler), (gpointer *) &scheduler);
  proxy->hold = g_strdup (account_of (c));
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, dossier_merchant_get_id (c)));
  g_assert_true (dossier_follow_up_scheduler_refresh_now (scheduler, dossier_merchant_get_id (d)));
  WAIT_UNTIL (proxy->held->len == 1);

  g_object_unref (gui);
  WAIT_UNTIL (scheduler == NULL);
  g_assert_false (proxy_was_asked (proxy, account_of (d)));
}

/* ------------------------------------------------------------------------ */
/* a checklist taken off the page while it asks                              */

typedef struct
{
  char                 *dir;
  DossierMerchantStore *store;
  DossierHistory       *history;
  DossierClient        *client;
  Proxy                *proxy;
  GtkWindow            *window;
  DossierMerchantPage  *page;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *history_path = NULL;

  fx->dir = g_dir_make_tmp ("dossier-follow-up-gui-XXXXXX", &error);
  g_assert_no_error (error);
  fx->store = dossier_merchant_store_new (catalogue, fx->dir);
  g_assert_true (dossier_merchant_store_load (fx->store, &error));
  g_assert_no_error (error);
  history_path = g_build_filename (fx->dir, "history.jsonl", NULL);
  fx->history = dossier_history_new_for_path (history_path);
  fx->client = dossier_client_new (2);
  fx->proxy = proxy_new ();
  fx->page = DOSSIER_MERCHANT_PAGE (dossier_merchant_page_new (catalogue, fx->store, fx->client,
                                                               G_LIST_MODEL (fx->history), fx->proxy->url));
  fx->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fx->window, 720, 640);
  adw_window_set_content (ADW_WINDOW (fx->window), GTK_WIDGET (fx->page));
  gtk_window_present (fx->window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fx->page)));
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  gtk_window_destroy (fx->window);
  for (guint i = 0; i < 20; i++)
    dossier_gui_test_iterate ();
  g_clear_pointer (&fx->proxy, proxy_free);
  g_clear_object (&fx->client);
  g_clear_object (&fx->store);
  g_clear_object (&fx->history);
  dossier_test_remove_tree (fx->dir);
  g_free (fx->dir);
}

/* A merchant of the store, with a Moov account of its own when @account */
static DossierMerchant *
add_merchant (Fixture    *fx,
              const char *name,
              gboolean    account)
{
  DossierMerchant *merchant = dossier_merchant_new (name);
  g_autoptr(GError) error = NULL;

  if (account)
    {
      g_autofree char *id = g_uuid_string_random ();

      g_assert_true (dossier_merchant_set_account_value (merchant, dossier_catalogue_lookup (catalogue, "moov"),
                                                         "accountID", id, &error));
      g_assert_no_error (error);
    }
  g_assert_true (dossier_merchant_store_add (fx->store, merchant, &error));
  g_assert_no_error (error);
  return merchant;
}

/* @merchant's page shows Moov's checklist, asking; Moov's answer held */
static DossierChecklistView *
open_asking (Fixture         *fx,
             DossierMerchant *merchant)
{
  DossierChecklistView *view;

  fx->proxy->hold = g_strdup (account_of (merchant));
  dossier_merchant_page_set_merchant (fx->page, merchant);
  view = dossier_merchant_page_get_checklist_view (fx->page, "moov");
  g_assert_nonnull (view);
  g_assert_true (dossier_checklist_view_get_busy (view));
  WAIT_UNTIL (fx->proxy->held->len == 1);
  return view;
}

/* Moov answers after the view left: the view goes, and nothing of it
 * reached @merchant's record */
static void
answer_after_removal (Fixture              *fx,
                      DossierChecklistView *view,
                      DossierMerchant      *merchant)
{
  DossierChecklistSummary summary;

  g_assert_null (dossier_merchant_page_get_checklist_view (fx->page, "moov"));
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  proxy_release (fx->proxy);
  WAIT_UNTIL (view == NULL);
  for (guint i = 0; i < 10; i++)
    dossier_gui_test_iterate ();
  g_assert_false (dossier_merchant_get_checklist_summary (merchant, "moov", &summary));
  g_assert_false (dossier_merchant_get_checklist_summary (dossier_merchant_store_lookup (fx->store,
                                                            dossier_merchant_get_id (merchant)),
                                                          "moov", &summary));
}

/* The page shows another merchant while Moov is asked for the first */
static void
test_view_removed_other_merchant (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(DossierMerchant) first = add_merchant (fx, "Toko Makmur", TRUE);
  g_autoptr(DossierMerchant) second = add_merchant (fx, "PT Maju Jaya", FALSE);
  DossierChecklistView *view = open_asking (fx, first);

  dossier_merchant_page_set_merchant (fx->page, second);
  answer_after_removal (fx, view, first);
}

/* The account value is taken away while Moov is asked: the checklist
 * leaves the page */
static void
test_view_removed_account (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(DossierMerchant) merchant = add_merchant (fx, "Toko Makmur", TRUE);
  DossierChecklistView *view = open_asking (fx, merchant);
  DossierFieldEditor *editor = dossier_merchant_page_get_editor (fx->page, "moov", "accountID");

  g_assert_nonnull (editor);
  dossier_field_editor_set_value (editor, "");
  answer_after_removal (fx, view, merchant);
}

/* The same, and the answer is let through: the counts are kept (the
 * proxy's hold is what the tests above rely on) */
static void
test_view_kept (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(DossierMerchant) merchant = add_merchant (fx, "Toko Makmur", TRUE);
  DossierChecklistView *view = open_asking (fx, merchant);
  DossierChecklistSummary summary;

  proxy_release (fx->proxy);
  WAIT_UNTIL (!dossier_checklist_view_get_busy (view));
  g_assert_null (dossier_checklist_view_get_notice (view));
  g_assert_true (dossier_merchant_get_checklist_summary (merchant, "moov", &summary));
  g_assert_cmpuint (summary.missing, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  dossier_gui_test_init_with_sandbox (&argc, &argv, "dossier-follow-up-gui-state-XXXXXX",
                                      &scratch, &sandbox, &catalogue);
  write_record ();

  g_test_add_func ("/follow-up-gui/cancel-merchant", test_cancel_merchant);
  g_test_add_func ("/follow-up-gui/dispose-while-asking", test_dispose_while_asking);
  g_test_add ("/follow-up-gui/view-removed/other-merchant", Fixture, NULL, fixture_set_up,
              test_view_removed_other_merchant, fixture_tear_down);
  g_test_add ("/follow-up-gui/view-removed/account", Fixture, NULL, fixture_set_up,
              test_view_removed_account, fixture_tear_down);
  g_test_add ("/follow-up-gui/view-kept", Fixture, NULL, fixture_set_up, test_view_kept, fixture_tear_down);

  status = g_test_run ();

  for (guint i = 0; i < N_MERCHANTS; i++)
    g_clear_object (&merchants[i]);
  dossier_gui_test_clear_sandbox (&scratch, &sandbox, &catalogue);
  return status;
}
