/* dossier-window-toasts.c: what the window says in passing: toasts, and the problems met at start
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-application.h"
#include "dossier-gui-a11y.h"
#include "dossier-window-private.h"

/* libadwaita 1.2 shows one toast at a time and queues the others */
#define TOAST_SHOW_MS 600

static void
on_toast_dismissed (AdwToast      *toast,
                    DossierWindow *self)
{
  g_ptr_array_remove (self->toasts, toast);
  /* the next queued one appears now */
  self->toast_since = g_get_monotonic_time ();
}

void
_dossier_window_show_toast (DossierWindow *self,
                            const char    *title)
{
  AdwToast *toast = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_set_timeout (toast, 3);
  if (self->toasts->len == 0)
    self->toast_since = g_get_monotonic_time ();
  g_ptr_array_add (self->toasts, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  _dossier_gui_name_toast_buttons (GTK_WIDGET (self->toast_overlay));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* What a toast said belongs to the step it was shown on ("2 files added"
 * means nothing on the next one), and queued ones would hide newer news.
 * The queued ones go at once; the one on screen too, unless it is still
 * sliding in: libadwaita 1.2 frees a toast whose hiding ends before its
 * showing did, and then crashes when the window goes. That one times out
 * on its own. */
void
_dossier_window_dismiss_toasts (DossierWindow *self)
{
  while (self->toasts->len > 1)
    {
      g_autoptr(AdwToast) toast = g_object_ref (g_ptr_array_index (self->toasts, self->toasts->len - 1));

      g_signal_handlers_disconnect_by_data (toast, self);
      g_ptr_array_remove_index (self->toasts, self->toasts->len - 1);
      adw_toast_dismiss (toast);
    }

  if (self->toasts->len == 1
      && g_get_monotonic_time () - self->toast_since >= TOAST_SHOW_MS * G_TIME_SPAN_MILLISECOND)
    {
      g_autoptr(AdwToast) toast = g_object_ref (g_ptr_array_index (self->toasts, 0));

      g_signal_handlers_disconnect_by_data (toast, self);
      g_ptr_array_remove_index (self->toasts, 0);
      adw_toast_dismiss (toast);
    }
}

void
_dossier_window_show_toast_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  _dossier_window_show_toast (DOSSIER_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

gboolean
_dossier_window_report_problems (gpointer user_data)
{
  DossierWindow *self = user_data;
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char * const *problems;
  const char * const *notices;

  if (app == NULL)
    return G_SOURCE_REMOVE;

  if (dossier_application_get_sandbox_problem (app) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The built-in sandbox could not start: %s"),
                                               dossier_application_get_sandbox_problem (app));
      _dossier_window_show_toast (self, text);
    }

  problems = dossier_catalogue_get_problems (dossier_application_get_catalogue (app));
  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    {
      /* Translators: a provider description in the user's folder was skipped */
      g_autofree char *text = g_strdup_printf (_("Provider skipped: %s"), problems[i]);
      _dossier_window_show_toast (self, text);
    }

  /* e.g. "moov.json replaces the built-in Moov" */
  notices = dossier_catalogue_get_notices (dossier_application_get_catalogue (app));
  for (guint i = 0; notices != NULL && notices[i] != NULL; i++)
    _dossier_window_show_toast (self, notices[i]);

  return G_SOURCE_REMOVE;
}
