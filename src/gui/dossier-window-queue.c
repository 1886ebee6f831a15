/* dossier-window-queue.c: the offer to restore what a last session did not send
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-application.h"
#include "dossier-history.h"
#include "dossier-window-private.h"

/* The offer to restore a last session's files shows on the first step */
void
_dossier_window_update_restore_offer (DossierWindow *self)
{
  gboolean offer = self->saved_queue != NULL && self->step == DOSSIER_STEP_PROVIDER;

  gtk_revealer_set_reveal_child (self->restore_revealer, offer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-queue", self->saved_queue != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.discard-queue", self->saved_queue != NULL);
}

/* A last session's files: the provider, environment and values they had,
 * credentials from the keyring (or the sandbox's) as usual, the files
 * checked again; then the files step */
void
_dossier_window_restore_queue_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(DossierQueueState) state = g_steal_pointer (&self->saved_queue);
  g_autoptr(DossierSubmission) submission = NULL;
  DossierProvider *provider;
  guint n;

  _dossier_window_update_restore_offer (self);
  if (state == NULL || app == NULL)
    return;

  provider = dossier_catalogue_lookup (dossier_application_get_catalogue (app),
                                       dossier_queue_state_get_provider_id (state));
  if (provider == NULL)
    return;

  submission = _dossier_window_new_submission (self, provider);
  dossier_queue_state_restore (state, submission);

  _dossier_window_replace_submission (self, submission);
  _dossier_window_go_to (self, DOSSIER_STEP_FILES);
  n = dossier_queue_state_get_n_uploads (state);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file restored",
                                                          "%u files restored", n),
                                             n);
    _dossier_window_show_toast (self, text);
  }
}

void
_dossier_window_discard_queue_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->saved_queue == NULL)
    return;

  if (!dossier_queue_state_forget (self->saved_queue, dossier_history_get_default (), &error))
    {
      g_autofree char *message = NULL;

      /* Translators: "…were discarded: No space left on device" */
      message = g_strdup_printf (_("Could not record in the history that the files of your last session were discarded: %s"),
                                 error->message);
      _dossier_window_show_record_error (self, message);
      g_clear_error (&error);
    }
  g_clear_object (&self->saved_queue);
  _dossier_window_update_restore_offer (self);
  if (!dossier_queue_state_discard (self->queue_path, &error))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not delete the list of files not sent last time: %s; "
                                   "they will be offered again"),
                                 error->message);
      _dossier_window_show_record_error (self, message);
    }
}

/* Offers what a last session (quit or crash) did not send, without
 * standing in the way */
void
_dossier_window_load_saved_queue (DossierWindow *self)
{
  DossierApplication *app = DOSSIER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(DossierQueueState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n, n_maybe;

  if (app == NULL)
    return;

  state = dossier_queue_state_load (self->queue_path, &error);
  if (state == NULL)
    {
      /* one that cannot be read is no use next time either */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_autofree char *message = NULL;

          /* Translators: "…could not be read: …queue.json: not JSON" */
          message = g_strdup_printf (_("The list of files not sent last time could not be read, "
                                       "so they cannot be offered again: %s"),
                                     error->message);
          _dossier_window_show_record_error (self, message);
          dossier_queue_state_discard (self->queue_path, NULL);
        }
      return;
    }

  n = dossier_queue_state_get_n_uploads (state);
  if (n == 0 || dossier_catalogue_lookup (dossier_application_get_catalogue (app),
                                          dossier_queue_state_get_provider_id (state)) == NULL)
    return;

  /* those that were being sent when it stopped, apart: they may have
   * arrived */
  n_maybe = dossier_queue_state_get_n_maybe_sent (state);
  if (n_maybe == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u file from your last session was not sent",
                                         "%u files from your last session were not sent", n),
                            n);
  else
    {
      g_autofree char *maybe = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u file may have been sent before Dossier "
                                                             "stopped: check with the provider before "
                                                             "sending it again",
                                                             "%u files may have been sent before Dossier "
                                                             "stopped: check with the provider before "
                                                             "sending them again", n_maybe),
                                                n_maybe);

      if (n > n_maybe)
        {
          g_autofree char *not_sent = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                    "%u file from your last session was not sent",
                                                                    "%u files from your last session were not sent",
                                                                    n - n_maybe),
                                                       n - n_maybe);

          text = g_strconcat (not_sent, "\n", maybe, NULL);
        }
      else
        text = g_steal_pointer (&maybe);
    }
  gtk_label_set_label (GTK_LABEL (self->restore_label), text);
  self->saved_queue = g_steal_pointer (&state);
  _dossier_window_update_restore_offer (self);
}
