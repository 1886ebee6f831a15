/* dossier-upload-row.c: one document being sent, and what came back
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-dialogs.h"
#include "dossier-gui-util.h"
#include "dossier-thumbnail.h"
#include "dossier-upload-row.h"

struct _DossierUploadRow
{
  AdwBin             parent_instance;

  /* template */
  GtkWidget         *icon;
  GtkWidget         *name_label;
  GtkWidget         *state_label;
  GtkWidget         *progress_bar;
  GtkWidget         *progress_label;
  GtkWidget         *result_box;
  GtkWidget         *id_box;
  GtkWidget         *id_label;
  GtkWidget         *link_box;
  GtkWidget         *link_label;
  GtkWidget         *copy_button;
  GtkWidget         *details_label;
  GtkWidget         *problem_label;
  GtkWidget         *cancel_button;
  GtkWidget         *retry_button;
  GtkWidget         *resend_button;
  GtkWidget         *resend_dialog;   /* weak: the open "Send Again?" question */

  DossierSubmission *submission;
  DossierUpload     *upload;
  GSignalGroup      *upload_signals;
  guint              lifetime_timer;
  guint              progress_tick;   /* the progress shown at the next frame */
};

G_DEFINE_FINAL_TYPE (DossierUploadRow, dossier_upload_row, ADW_TYPE_BIN)

static void update_result (DossierUploadRow *self);

static gboolean
lifetime_tick (gpointer user_data)
{
  update_result (user_data);
  return G_SOURCE_CONTINUE;
}

static void
update_result (DossierUploadRow *self)
{
  const DossierResult *result = dossier_upload_get_result (self->upload);
  gboolean done = dossier_upload_get_state (self->upload) == DOSSIER_UPLOAD_STATE_DONE;
  g_autoptr(GString) details = g_string_new (NULL);

  gtk_widget_set_visible (self->result_box, done && result != NULL);
  if (!done || result == NULL)
    {
      g_clear_handle_id (&self->lifetime_timer, g_source_remove);
      return;
    }

  gtk_label_set_label (GTK_LABEL (self->id_label), result->remote_id != NULL ? result->remote_id : "");
  gtk_widget_set_visible (self->id_box, result->remote_id != NULL);

  gtk_widget_set_visible (self->link_box, result->link != NULL);
  if (result->link != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (result->link, -1);
      g_autofree char *markup = g_strdup_printf ("<a href=\"%s\">%s</a>", escaped, escaped);

      /* a link in a label: aligned with the text above, Tab reaches it,
       * the whole address is its tooltip */
      gtk_label_set_markup (GTK_LABEL (self->link_label), markup);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->link_label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Opens the sent file"),
                                      -1);
    }

  /* DOKU's links stop working 60 minutes after the upload */
  if (result->link != NULL && result->link_expires != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan left = g_date_time_difference (result->link_expires, now);

      if (left > 0)
        {
          int minutes = (int) ((left + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE);

          g_string_append_printf (details,
                                  g_dngettext (GETTEXT_PACKAGE, "Link valid for %d min",
                                               "Link valid for %d min", minutes),
                                  minutes);
          if (self->lifetime_timer == 0)
            self->lifetime_timer = g_timeout_add_seconds (30, lifetime_tick, self);
        }
      else
        {
          g_string_append (details, _("Link expired"));
          g_clear_handle_id (&self->lifetime_timer, g_source_remove);
        }
    }

  if (result->status != NULL)
    {
      if (details->len > 0)
        g_string_append (details, " · ");
      /* Translators: the provider's review status, "Status: pending" */
      g_string_append_printf (details, _("Status: %s"), result->status);
    }

  gtk_label_set_label (GTK_LABEL (self->details_label), details->str);
  gtk_widget_set_visible (self->details_label, details->len > 0);
}

static void
update_progress (DossierUploadRow *self)
{
  DossierUploadState state = dossier_upload_get_state (self->upload);
  gboolean active = state == DOSSIER_UPLOAD_STATE_QUEUED
                    || state == DOSSIER_UPLOAD_STATE_RUNNING
                    || state == DOSSIER_UPLOAD_STATE_WAITING;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->progress_bar, active);
  gtk_widget_set_visible (self->progress_label, active);
  if (!active)
    return;

  if (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (self->progress_bar))
      != dossier_upload_get_fraction (self->upload))
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                   dossier_upload_get_fraction (self->upload));

  if (state == DOSSIER_UPLOAD_STATE_WAITING)
    {
      int retry_in = 0;

      g_object_get (self->upload, "retry-in", &retry_in, NULL);
      /* Translators: a transient failure, "Retrying in 3 s" */
      text = g_strdup_printf (_("Retrying in %d s"), MAX (retry_in, 0));
    }
  else if (state == DOSSIER_UPLOAD_STATE_QUEUED)
    text = g_strdup (_("Waiting for a free slot"));
  else
    text = dossier_upload_dup_progress_text (self->upload);

  dossier_gui_set_label_text (self->progress_label, text != NULL ? text : "");
}

static gboolean
progress_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  DossierUploadRow *self = DOSSIER_UPLOAD_ROW (widget);

  self->progress_tick = 0;
  if (self->upload != NULL)
    update_progress (self);
  return G_SOURCE_REMOVE;
}

/* Progress comes for fraction, text and bytes together, several times a
 * frame with eight files sent at once: shown once per frame, at its
 * start. A row not on screen shows it at once (no frames come to it). */
static void
queue_progress (DossierUploadRow *self)
{
  if (self->progress_tick != 0)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      update_progress (self);
      return;
    }
  self->progress_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), progress_tick_cb, NULL, NULL);
}

static void
cancel_progress (DossierUploadRow *self)
{
  if (self->progress_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->progress_tick);
  self->progress_tick = 0;
}

static void
update_state (DossierUploadRow *self)
{
  DossierUploadState state = dossier_upload_get_state (self->upload);
  const char *problem = dossier_upload_get_problem (self->upload);
  const DossierResult *result = dossier_upload_get_result (self->upload);
  GtkWidget *label = self->state_label;
  g_autofree char *failure = NULL;
  const char *text;

  text = state == DOSSIER_UPLOAD_STATE_INVALID ? _("Not sent") : dossier_gui_state_label (state);
  dossier_gui_set_label_text (label, text);
  if (state == DOSSIER_UPLOAD_STATE_DONE)
    dossier_gui_set_status_class (label, "success");
  else if (state == DOSSIER_UPLOAD_STATE_FAILED || state == DOSSIER_UPLOAD_STATE_INVALID)
    dossier_gui_set_status_class (label, "error");
  else if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
    /* not a failure: it may have arrived */
    dossier_gui_set_status_class (label, "warning");
  else
    dossier_gui_set_status_class (label, "dim-label");

  /* failures in words: status, the provider's message, the request id */
  if (state == DOSSIER_UPLOAD_STATE_FAILED && problem == NULL && result != NULL)
    problem = failure = dossier_result_describe_failure (result);
  gtk_widget_set_visible (self->problem_label,
                          problem != NULL
                          && (state == DOSSIER_UPLOAD_STATE_FAILED
                              || state == DOSSIER_UPLOAD_STATE_INVALID
                              || state == DOSSIER_UPLOAD_STATE_WAITING
                              || state == DOSSIER_UPLOAD_STATE_UNKNOWN));
  dossier_gui_set_label_text (self->problem_label, problem != NULL ? problem : "");
  if (state == DOSSIER_UPLOAD_STATE_UNKNOWN)
    {
      gtk_widget_remove_css_class (self->problem_label, "error");
      gtk_widget_add_css_class (self->problem_label, "warning");
    }
  else
    {
      gtk_widget_remove_css_class (self->problem_label, "warning");
      gtk_widget_add_css_class (self->problem_label, "error");
    }

  gtk_widget_set_visible (self->cancel_button,
                          state == DOSSIER_UPLOAD_STATE_QUEUED
                          || state == DOSSIER_UPLOAD_STATE_RUNNING
                          || state == DOSSIER_UPLOAD_STATE_WAITING);
  gtk_widget_set_visible (self->retry_button,
                          state == DOSSIER_UPLOAD_STATE_FAILED
                          || state == DOSSIER_UPLOAD_STATE_CANCELLED);
  /* it may have arrived: sent again only after a warning */
  gtk_widget_set_visible (self->resend_button, state == DOSSIER_UPLOAD_STATE_UNKNOWN);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  cancel_progress (self);
  update_progress (self);
  update_result (self);
}

static void
update_icon (DossierUploadRow *self)
{
  /* the preview the files page decoded, or the type icon */
  dossier_gui_show_upload_icon (GTK_IMAGE (self->icon), self->upload);
}

static void
on_cancel_clicked (DossierUploadRow *self)
{
  if (self->submission != NULL && self->upload != NULL)
    dossier_submission_cancel (self->submission, self->upload);
}

static void
on_retry_clicked (DossierUploadRow *self)
{
  if (self->submission != NULL && self->upload != NULL)
    dossier_submission_retry (self->submission, self->upload);
}

/* The answer concerns the upload the question was asked about, which the
 * dialog holds: the row may show another one by now (a list view recycles
 * its rows), or none */
static void
on_resend_response (GObject    *dialog,
                    const char *response,
                    gpointer    user_data)
{
  DossierSubmission *submission = g_object_get_data (dialog, "dossier-submission");
  DossierUpload *upload = g_object_get_data (dialog, "dossier-upload");

  if (g_strcmp0 (response, "send") != 0 || submission == NULL || upload == NULL)
    return;

  /* removed (or the list cleared) while the question was open: nothing */
  if (!g_list_store_find (G_LIST_STORE (dossier_submission_get_uploads (submission)), upload, NULL))
    return;

  dossier_submission_resend (submission, upload, TRUE);
}

static void
hold_upload (GObject          *dialog,
             DossierUploadRow *self)
{
  g_object_set_data_full (dialog, "dossier-submission", g_object_ref (self->submission),
                          g_object_unref);
  g_object_set_data_full (dialog, "dossier-upload", g_object_ref (self->upload), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_resend_response), NULL);
}

/* The upload went out whole and its answer was lost: say so before a
 * second copy is sent */
static void
on_resend_clicked (DossierUploadRow *self)
{
  DossierProvider *provider;
  g_autofree char *body = NULL;
  const char *heading = _("Send Again?");

  if (self->submission == NULL || self->upload == NULL)
    return;

  provider = dossier_submission_get_provider (self->submission);
  /* Translators: "It may already have arrived at Moov. Sending again can store it twice." */
  body = g_strdup_printf (_("It may already have arrived at %s. Sending again can store it twice."),
                          dossier_provider_get_name (provider));

  {
    GtkWidget *dialog = dossier_gui_ask_destructive (GTK_WIDGET (self), heading, body,
                                                     "send", _("_Send Again"));

    hold_upload (G_OBJECT (dialog), self);
    g_set_weak_pointer (&self->resend_dialog, dialog);
  }
}

static gboolean
on_activate_link (DossierUploadRow *self,
                  const char       *uri)
{
  dossier_gui_open_uri (GTK_WIDGET (self), uri);
  return TRUE;
}

static void
on_copy_clicked (DossierUploadRow *self)
{
  const DossierResult *result = self->upload != NULL ? dossier_upload_get_result (self->upload) : NULL;

  if (result == NULL || result->link == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), result->link);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", _("Link copied"));
}

void
dossier_upload_row_bind (DossierUploadRow  *self,
                         DossierSubmission *submission,
                         DossierUpload     *upload)
{
  const char *name;
  g_autofree char *cancel_label = NULL;
  g_autofree char *retry_label = NULL;

  g_return_if_fail (DOSSIER_IS_UPLOAD_ROW (self));

  g_signal_group_set_target (self->upload_signals, upload);
  g_clear_handle_id (&self->lifetime_timer, g_source_remove);
  cancel_progress (self);
  g_set_object (&self->upload, upload);
  g_set_object (&self->submission, submission);

  if (upload == NULL)
    return;

  name = dossier_upload_get_display_name (upload);
  gtk_label_set_label (GTK_LABEL (self->name_label), name);
  gtk_widget_set_tooltip_text (self->name_label, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* Translators: accessible names, "Cancel ktp.jpg", "Retry ktp.jpg" */
  cancel_label = g_strdup_printf (_("Cancel %s"), name);
  retry_label = g_strdup_printf (_("Retry %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cancel_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, retry_label, -1);

  update_icon (self);
  update_state (self);
}

static void
dossier_upload_row_dispose (GObject *object)
{
  DossierUploadRow *self = DOSSIER_UPLOAD_ROW (object);

  if (self->upload_signals != NULL)
    dossier_upload_row_bind (self, NULL, NULL);
  g_clear_object (&self->upload_signals);
  g_clear_weak_pointer (&self->resend_dialog);
  /* AdwBin owns the template's top widget: release it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_UPLOAD_ROW);

  G_OBJECT_CLASS (dossier_upload_row_parent_class)->dispose (object);
}

static void
dossier_upload_row_class_init (DossierUploadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_upload_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-upload-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, icon);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, result_box);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, id_box);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, id_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, link_box);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, link_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadRow, resend_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_resend_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_link);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dossier_upload_row_init (DossierUploadRow *self)
{
  static const char * const state_follows[] = { "state", "problem", "result", NULL };
  static const char * const progress_follows[] = {
    "fraction", "progress-text", "retry-in", "bytes-sent", NULL
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->upload_signals = g_signal_group_new (DOSSIER_TYPE_UPLOAD);
  dossier_gui_watch_properties (self->upload_signals, state_follows,
                                G_CALLBACK (update_state), self);
  dossier_gui_watch_properties (self->upload_signals, progress_follows,
                                G_CALLBACK (queue_progress), self);
  g_signal_group_connect_swapped (self->upload_signals, "notify::content-type",
                                  G_CALLBACK (update_icon), self);
}

GtkWidget *
dossier_upload_row_new (void)
{
  return g_object_new (DOSSIER_TYPE_UPLOAD_ROW, NULL);
}

DossierUpload *
dossier_upload_row_get_upload (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  return self->upload;
}

const char *
dossier_upload_row_get_state_text (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->state_label));
}

const char *
dossier_upload_row_get_remote_id (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  if (!gtk_widget_get_visible (self->result_box) || !gtk_widget_get_visible (self->id_box))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->id_label));
}

const char *
dossier_upload_row_get_link (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  if (!gtk_widget_get_visible (self->result_box) || !gtk_widget_get_visible (self->link_box))
    return NULL;
  /* the text, without the markup around it */
  return gtk_label_get_text (GTK_LABEL (self->link_label));
}

const char *
dossier_upload_row_get_details_text (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->details_label));
}

const char *
dossier_upload_row_get_problem_text (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  if (!gtk_widget_get_visible (self->problem_label))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->problem_label));
}

GtkWidget *
dossier_upload_row_get_cancel_button (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  return self->cancel_button;
}

GtkWidget *
dossier_upload_row_get_resend_button (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  return self->resend_button;
}

/**
 * dossier_upload_row_answer_resend:
 * @response: "cancel" or "send"
 *
 * For tests: answers the open "Send Again?" question as a click on one of
 * its buttons would.
 *
 * Returns: whether a question was open
 */
gboolean
dossier_upload_row_answer_resend (DossierUploadRow *self,
                                  const char       *response)
{
  GtkWidget *dialog;

  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), FALSE);

  if (self->resend_dialog == NULL)
    return FALSE;

  dialog = g_object_ref (self->resend_dialog);
#if ADW_CHECK_VERSION (1, 5, 0)
  g_signal_emit_by_name (dialog, "response", response);
  adw_dialog_force_close (ADW_DIALOG (dialog));
#else
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
#endif
  g_object_unref (dialog);

  return TRUE;
}

GtkWidget *
dossier_upload_row_get_retry_button (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  return self->retry_button;
}

GtkWidget *
dossier_upload_row_get_copy_button (DossierUploadRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_ROW (self), NULL);
  return self->copy_button;
}
