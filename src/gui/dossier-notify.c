/* dossier-notify.c: desktop notifications: a batch ended, a document reviewed, unseen
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A clerk who sent 40 files and went to another window hears that they are
 * sent, and how many failed; the notification's default action brings the
 * window back. A window in front says it with a toast instead. A
 * provider's review decision that arrives unseen is told the same way
 * (dossier-follow-up-gui.c), and opens the merchant.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-util.h"
#include "dossier-notify.h"

#define NOTIFICATION_ID "batch-finished"

/* "12 documents sent to Moov, 1 failed" */
char *
_dossier_notify_describe (DossierSubmission *submission)
{
  const char *provider = dossier_provider_get_name (dossier_submission_get_provider (submission));
  guint n_done = dossier_gui_get_uint (submission, "n-done");
  guint n_failed = dossier_gui_get_uint (submission, "n-failed");
  guint n_unknown = dossier_gui_get_uint (submission, "n-unknown");
  g_autofree char *sent = NULL;
  char *text;

  /* Translators: "12 documents sent to Moov" */
  sent = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document sent to %s",
                                       "%u documents sent to %s", n_done),
                          n_done, provider);
  if (n_failed > 0 && n_unknown > 0)
    /* Translators: "12 documents sent to Moov, 1 failed, 1 may have arrived" */
    text = g_strdup_printf (_("%s, %u failed, %u may have arrived"), sent, n_failed, n_unknown);
  else if (n_failed > 0)
    /* Translators: "12 documents sent to Moov, 1 failed" */
    text = g_strdup_printf (_("%s, %u failed"), sent, n_failed);
  else if (n_unknown > 0)
    /* Translators: "12 documents sent to Moov, 1 may have arrived" */
    text = g_strdup_printf (_("%s, %u may have arrived"), sent, n_unknown);
  else
    text = g_steal_pointer (&sent);

  return text;
}

/* app.present-window(u): the notification's way back to its window */
static void
present_window_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_window_by_id (app, g_variant_get_uint32 (parameter));

  if (window != NULL)
    gtk_window_present (window);
  g_application_withdraw_notification (G_APPLICATION (app), NOTIFICATION_ID);
}

static void
ensure_action (GtkApplication *app)
{
  g_autoptr(GSimpleAction) action = NULL;

  if (g_action_map_lookup_action (G_ACTION_MAP (app), "present-window") != NULL)
    return;

  action = g_simple_action_new ("present-window", G_VARIANT_TYPE_UINT32);
  g_signal_connect_object (action, "activate", G_CALLBACK (present_window_activated), app, 0);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (action));
}

/* The desktop is asked whether it shows notifications before one is sent:
 * GLib warns of every notification nobody is there to show. */
static const char * const servers[] = { "org.gtk.Notifications", "org.freedesktop.Notifications", NULL };

typedef struct
{
  GApplication  *app;
  char          *id;
  GNotification *notification;
  gboolean       activatable;   /* asked the second time: started on demand */
} Pending;

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->app);
  g_free (pending->id);
  g_object_unref (pending->notification);
  g_free (pending);
}

static void ask_for_server (GDBusConnection *bus,
                            Pending         *pending);

static void
on_names (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(^a&s)", &names);

  for (guint i = 0; names != NULL && servers[i] != NULL; i++)
    if (g_strv_contains (names, servers[i]))
      {
        g_application_send_notification (pending->app, pending->id, pending->notification);
        pending_free (pending);
        return;
      }

  if (reply != NULL && !pending->activatable)
    {
      pending->activatable = TRUE;
      ask_for_server (G_DBUS_CONNECTION (source), pending);
      return;
    }

  /* no one shows notifications here: the window's toast said it */
  pending_free (pending);
}

static void
ask_for_server (GDBusConnection *bus,
                Pending         *pending)
{
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          pending->activatable ? "ListActivatableNames" : "ListNames",
                          NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                          on_names, pending);
}

/* Sends @notification where the desktop shows notifications (inside
 * Flatpak the portal shows it, whatever the session runs) */
static gboolean
send_when_shown (GtkApplication *app,
                 const char     *id,
                 GNotification  *notification)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (app));
  Pending *pending;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_application_send_notification (G_APPLICATION (app), id, notification);
      return TRUE;
    }
  if (bus == NULL)
    return FALSE;

  pending = g_new0 (Pending, 1);
  pending->app = G_APPLICATION (g_object_ref (app));
  pending->id = g_strdup (id);
  pending->notification = g_object_ref (notification);
  ask_for_server (bus, pending);
  return TRUE;
}

/**
 * _dossier_notify_batch_finished:
 * @window: the window the batch was sent from
 *
 * Where the window is not the one in front, tells the desktop that the
 * batch is over. Returns: whether a notification is on its way.
 */
gboolean
_dossier_notify_batch_finished (GtkWindow         *window,
                                DossierSubmission *submission)
{
  GtkApplication *app = gtk_window_get_application (window);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *body = NULL;
  guint id;

  if (app == NULL || !GTK_IS_APPLICATION_WINDOW (window) || gtk_window_is_active (window))
    return FALSE;

  id = gtk_application_window_get_id (GTK_APPLICATION_WINDOW (window));
  ensure_action (app);

  body = _dossier_notify_describe (submission);
  notification = g_notification_new (dossier_gui_get_uint (submission, "n-failed") > 0
                                     ? _("Upload finished with failures")
                                     : _("Upload finished"));
  g_notification_set_body (notification, body);
  icon = g_themed_icon_new (APP_ID);
  g_notification_set_icon (notification, icon);
  if (dossier_gui_get_uint (submission, "n-failed") > 0)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.present-window", "u", id);
  g_notification_add_button_with_target (notification, _("Show"), "app.present-window", "u", id);

  return send_when_shown (app, NOTIFICATION_ID, notification);
}

/**
 * _dossier_notify_merchant:
 * @merchant_id: whose news it is: the notification's default action opens
 *   that merchant (app.show-merchant)
 *
 * A notification about one merchant (a provider's review decision), one
 * per merchant: a newer one replaces the one before.
 * Returns: whether a notification is on its way.
 */
gboolean
_dossier_notify_merchant (GtkApplication *app,
                          const char     *merchant_id,
                          const char     *title,
                          const char     *body)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);
  g_autofree char *id = g_strconcat ("merchant-", merchant_id, NULL);

  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action_and_target (notification, "app.show-merchant", "s", merchant_id);
  g_notification_add_button_with_target (notification, _("Open Merchant"), "app.show-merchant", "s", merchant_id);
  return send_when_shown (app, id, notification);
}
