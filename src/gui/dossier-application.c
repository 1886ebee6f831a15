/* dossier-application.c
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-follow-up-gui.h"
#include "dossier-history-window.h"
#include "dossier-sandbox.h"
#include "dossier-startup.h"
#include "dossier-window.h"
#include "dossier-window-private.h"
#include "dossier-application.h"

struct _DossierApplication
{
  AdwApplication    parent_instance;

  DossierCatalogue *catalogue;
  GSettings        *settings;
  DossierSandbox   *sandbox;
  char             *sandbox_url;
  char             *sandbox_problem;
  GThread          *sandbox_start;   /* the sandbox starting beside GTK's */
  GThread          *catalogue_start; /* the catalogue read beside GTK's start */
  GError           *catalogue_error; /* the thread's, read once it is joined */
  GtkWidget        *history_window;  /* weak */
  DossierFollowUpGui *follow_up;     /* made once the first window is drawn */
  DossierMerchantStore *merchant_store; /* read on a worker from the start */
};

/* How often the background follow-up looks for what is due (each
 * merchant with pending reviews is asked at most every 15 minutes) */
#define FOLLOW_UP_TICK_SECONDS 60

G_DEFINE_FINAL_TYPE (DossierApplication, dossier_application, ADW_TYPE_APPLICATION)

static void
start_sandbox (DossierApplication *self)
{
  g_autoptr(GError) error = NULL;
  const char *url = g_getenv ("DOSSIER_SANDBOX_URL");

  if (self->sandbox_url != NULL)
    return;
  if (url != NULL && *url != '\0')
    {
      self->sandbox_url = g_strdup (url);
      return;
    }

  /* The embedded sandbox: a new user completes a real upload over HTTP on
   * loopback without any account. It runs on its own thread. */
  self->sandbox = dossier_sandbox_new (NULL, &error);
  if (self->sandbox == NULL || !dossier_sandbox_start_thread (self->sandbox, 0, &error))
    {
      self->sandbox_problem = g_strdup (error->message);
      g_clear_object (&self->sandbox);
      return;
    }

  self->sandbox_url = g_strdup (dossier_sandbox_get_base_url (self->sandbox));
}

static gpointer
start_sandbox_thread (gpointer data)
{
  start_sandbox (data);
  return NULL;
}

/* The sandbox is made and started on a thread of its own while the
 * catalogue is read and the window is built (dossier-startup.c): whoever asks for its
 * address waits here for it, so nothing else changes */
static void
wait_for_sandbox (DossierApplication *self)
{
  if (self->sandbox_start != NULL)
    g_thread_join (g_steal_pointer (&self->sandbox_start));
}

/* The built-in providers' descriptors (JSON, ~16 M instructions) are read
 * while GTK and libadwaita start: nothing of them needs GTK. Nothing on
 * this thread reads the environment, which GTK's start changes on the
 * main thread (GDK unsets DESKTOP_STARTUP_ID and XDG_ACTIVATION_TOKEN;
 * getenv beside unsetenv is undefined): the user's own descriptors, whose
 * folder comes from $XDG_CONFIG_HOME and whose notices are translated and
 * logged (gettext reads $LANGUAGE, g_debug() $G_MESSAGES_DEBUG), are read
 * after it, on the main thread. */
static gpointer
read_catalogue_thread (gpointer data)
{
  GError **error = data;
  DossierCatalogue *catalogue = dossier_catalogue_new ();

  dossier_catalogue_load_builtin (catalogue, error);
  return catalogue;
}

/* What dossier_catalogue_new_default() reads, the built-in half from
 * the thread */
static void
wait_for_catalogue (DossierApplication *self)
{
  g_autofree char *user_dir = NULL;

  if (self->catalogue_start == NULL)
    return;
  self->catalogue = g_thread_join (g_steal_pointer (&self->catalogue_start));
  /* the built-in ones are tested at build time: failing here is a bug */
  if (self->catalogue_error != NULL)
    g_critical ("Built-in provider descriptors are broken: %s", self->catalogue_error->message);
  g_clear_error (&self->catalogue_error);
  user_dir = dossier_catalogue_user_directory ();
  dossier_catalogue_load_directory (self->catalogue, user_dir);
}

static void
apply_color_scheme (void)
{
  const char *scheme = g_getenv ("DOSSIER_COLOR_SCHEME");
  AdwStyleManager *manager = adw_style_manager_get_default ();

  /* Follows the system unless asked otherwise (screenshots, testing) */
  if (g_strcmp0 (scheme, "dark") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else if (g_strcmp0 (scheme, "light") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DossierApplication *self = user_data;
  g_autolist(GtkWindow) windows = NULL;

  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) g_object_ref, NULL);
  /* windows save their state on close */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (self));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "The Dossier developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (app);
  const char *comments = _("Send merchants’ business documents to payment providers: "
                           "DOKU, Kore.ai, Moov and receeve. The built-in sandbox "
                           "lets you try everything without an account.");

  /* AdwAboutWindow is deprecated from libadwaita 1.6 on (the GNOME runtime);
   * AdwAboutDialog exists from 1.5 */
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = g_object_new (ADW_TYPE_ABOUT_DIALOG,
#else
  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", parent,
#endif
                                   "application-name", _("Dossier"),
                                   "application-icon", APP_ID,
                                   "developer-name", _("The Dossier developers"),
                                   "version", PACKAGE_VERSION,
                                   "comments", comments,
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   "copyright", "© 2026 The Dossier developers",
                                   "developers", developers,
                                   /* Translators: your name, one per line */
                                   "translator-credits", _("translator-credits"),
                                   NULL);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (about, GTK_WIDGET (parent));
#else
  gtk_window_present (GTK_WINDOW (about));
#endif
}

/* One history window for the application, beside the active window */
static void
history_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DossierApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->history_window == NULL)
    {
      self->history_window = dossier_history_window_new (dossier_history_get_default (),
                                                         self->catalogue);
      g_object_add_weak_pointer (G_OBJECT (self->history_window), (gpointer *) &self->history_window);
      gtk_window_set_application (GTK_WINDOW (self->history_window), GTK_APPLICATION (self));
    }
  else
    dossier_history_reload (dossier_history_get_default ());

  if (parent != NULL && parent != GTK_WINDOW (self->history_window))
    gtk_window_set_transient_for (GTK_WINDOW (self->history_window), parent);
  gtk_window_present (GTK_WINDOW (self->history_window));
}

static DossierWindow *ensure_window (DossierApplication *self);

/* app.show-merchant(s): a notification's way to the merchant it is about */
static void
show_merchant_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  DossierApplication *self = user_data;
  DossierWindow *window = ensure_window (self);
  g_autofree char *id = g_strconcat ("merchant-", g_variant_get_string (parameter, NULL), NULL);

  gtk_window_present (GTK_WINDOW (window));
  _dossier_window_show_merchant_id (window, g_variant_get_string (parameter, NULL));
  g_application_withdraw_notification (G_APPLICATION (self), id);
}

static const GActionEntry app_actions[] = {
  { "show-merchant", show_merchant_activated, "s", NULL, NULL, { 0 } },
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
  { "history", history_activated, NULL, NULL, NULL, { 0 } },
};

static void
dossier_application_startup (GApplication *app)
{
  DossierApplication *self = DOSSIER_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *close_accels[] = { "<Control>w", NULL };
  const char *history_accels[] = { "<Control>h", NULL };
  /* GTK's own, given when it finds the shortcuts window itself */
  const char *help_accels[] = { "<Control>question", NULL };

  self->catalogue_start = _dossier_startup_run_beside (read_catalogue_thread, &self->catalogue_error);
  G_APPLICATION_CLASS (dossier_application_parent_class)->startup (app);
  /* after GTK's start, which changes the environment (GDK unsets
   * DESKTOP_STARTUP_ID) that the sandbox's start reads */
  self->sandbox_start = _dossier_startup_run_beside (start_sandbox_thread, self);

  apply_color_scheme ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.history", history_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_accels);

  self->settings = g_settings_new (APP_ID);
  wait_for_catalogue (self);
  /* the merchants' file is read and parsed on a worker while the window is
   * built: 5,000 merchants would hold the first frame back ~110 ms */
  self->merchant_store = dossier_merchant_store_new (self->catalogue, NULL);
  dossier_merchant_store_load_async (self->merchant_store, NULL, NULL, NULL);
}

static void
dossier_application_shutdown (GApplication *app)
{
  DossierApplication *self = DOSSIER_APPLICATION (app);

  G_APPLICATION_CLASS (dossier_application_parent_class)->shutdown (app);

  /* stops and joins the sandbox thread */
  wait_for_sandbox (self);
  g_clear_object (&self->sandbox);
}

static DossierWindow *
ensure_window (DossierApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* the history window is no place for files */
  if (window != NULL && !DOSSIER_IS_WINDOW (window))
    {
      window = NULL;
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        if (DOSSIER_IS_WINDOW (l->data))
          {
            window = l->data;
            break;
          }
    }

  if (window == NULL)
    {
      window = GTK_WINDOW (dossier_window_new (self));
      _dossier_startup_watch_first_frame (window);
    }

  return DOSSIER_WINDOW (window);
}

static void
dossier_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (DOSSIER_APPLICATION (app))));
}

static void
dossier_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  DossierWindow *window = ensure_window (DOSSIER_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  dossier_window_add_files (window, files, n_files);
}

static void
dossier_application_dispose (GObject *object)
{
  DossierApplication *self = DOSSIER_APPLICATION (object);

  if (self->history_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->history_window), (gpointer *) &self->history_window);
  self->history_window = NULL;
  g_clear_object (&self->follow_up);
  g_clear_object (&self->merchant_store);
  wait_for_catalogue (self);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->settings);
  wait_for_sandbox (self);
  g_clear_object (&self->sandbox);

  G_OBJECT_CLASS (dossier_application_parent_class)->dispose (object);
}

static void
dossier_application_finalize (GObject *object)
{
  DossierApplication *self = DOSSIER_APPLICATION (object);

  g_free (self->sandbox_url);
  g_free (self->sandbox_problem);

  G_OBJECT_CLASS (dossier_application_parent_class)->finalize (object);
}

static void
dossier_application_class_init (DossierApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = dossier_application_dispose;
  object_class->finalize = dossier_application_finalize;
  app_class->startup = dossier_application_startup;
  app_class->shutdown = dossier_application_shutdown;
  app_class->activate = dossier_application_activate;
  app_class->open = dossier_application_open;
}

static void
dossier_application_init (DossierApplication *self)
{
}

DossierApplication *
dossier_application_new (void)
{
  return g_object_new (DOSSIER_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/dossierapp/Dossier",
                       NULL);
}

DossierCatalogue *
dossier_application_get_catalogue (DossierApplication *self)
{
  g_return_val_if_fail (DOSSIER_IS_APPLICATION (self), NULL);
  return self->catalogue;
}

GSettings *
dossier_application_get_settings (DossierApplication *self)
{
  g_return_val_if_fail (DOSSIER_IS_APPLICATION (self), NULL);
  return self->settings;
}

const char *
dossier_application_get_sandbox_url (DossierApplication *self)
{
  g_return_val_if_fail (DOSSIER_IS_APPLICATION (self), NULL);
  wait_for_sandbox (self);
  return self->sandbox_url;
}

const char *
dossier_application_get_sandbox_problem (DossierApplication *self)
{
  g_return_val_if_fail (DOSSIER_IS_APPLICATION (self), NULL);
  wait_for_sandbox (self);
  return self->sandbox_problem;
}

/* The reviews in the background and the re-upload tasks: made on the
 * first call (a window's, once its first frame is out), then ticking */
DossierFollowUpGui *
dossier_application_get_follow_up (DossierApplication *self)
{
  g_return_val_if_fail (DOSSIER_IS_APPLICATION (self), NULL);

  if (self->follow_up == NULL)
    {
      /* DOSSIER_FOLLOW_UP_SECONDS: another interval (tests: 0, only when asked) */
      const char *seconds = g_getenv ("DOSSIER_FOLLOW_UP_SECONDS");

      self->follow_up = dossier_follow_up_gui_new (GTK_APPLICATION (self), self->catalogue,
                                                   dossier_application_get_sandbox_url (self), NULL);
      dossier_follow_up_gui_start (self->follow_up, seconds != NULL ? (guint) g_ascii_strtoull (seconds, NULL, 10)
                                                                    : FOLLOW_UP_TICK_SECONDS);
    }
  return self->follow_up;
}

DossierMerchantStore *
dossier_application_get_merchant_store (DossierApplication *self)
{
  g_return_val_if_fail (DOSSIER_IS_APPLICATION (self), NULL);
  return self->merchant_store;
}

/* Uses a sandbox that already runs (tests, a shared one) instead of starting
 * one; call before the application starts up. */
void
dossier_application_set_sandbox_url (DossierApplication *self,
                                     const char         *sandbox_url)
{
  g_return_if_fail (DOSSIER_IS_APPLICATION (self));

  wait_for_sandbox (self);
  g_free (self->sandbox_url);
  self->sandbox_url = g_strdup (sandbox_url);
}
