/* dossier-upload-page.c: step 4, progress and results
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-gui-util.h"
#include "dossier-upload-row.h"
#include "dossier-upload-page.h"

struct _DossierUploadPage
{
  AdwBin             parent_instance;

  /* template */
  GtkWidget         *summary_label;
  GtkWidget         *cancel_button;
  GtkWidget         *history_button;
  GtkWidget         *total_bar;
  GtkWidget         *total_label;
  GtkListView       *list_view;

  DossierSubmission *submission;
  GSignalGroup      *submission_signals;
  guint              update_idle;
  guint              update_tick;
};

G_DEFINE_FINAL_TYPE (DossierUploadPage, dossier_upload_page, ADW_TYPE_BIN)

static void
update_totals (DossierUploadPage *self)
{
  guint n_done, n_failed, n_unknown, n_active, n_files;
  guint64 sent = 0, total = 0;
  double fraction = 0;
  gboolean running;
  g_autofree char *summary = NULL;
  g_autofree char *sent_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *bytes = NULL;

  if (self->submission == NULL)
    return;

  g_object_get (self->submission,
                "n-done", &n_done,
                "n-failed", &n_failed,
                "n-unknown", &n_unknown,
                "n-active", &n_active,
                "sent-bytes", &sent,
                "total-bytes", &total,
                "fraction", &fraction,
                "running", &running,
                NULL);
  n_files = g_list_model_get_n_items (dossier_submission_get_uploads (self->submission));

  if (running)
    /* Translators: "Sending 3 files — 2 of 7 sent" */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %u file — %u of %u sent",
                                            "Sending %u files — %u of %u sent", n_active),
                               n_active, n_done, n_files);
  else if (n_unknown > 0)
    /* Translators: "Finished: 5 sent, 1 failed, 2 may have arrived" */
    summary = g_strdup_printf (_("Finished: %u sent, %u failed, %u may have arrived"),
                               n_done, n_failed, n_unknown);
  else if (n_failed > 0)
    summary = g_strdup_printf (_("Finished: %u sent, %u failed"), n_done, n_failed);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Finished: %u file sent",
                                            "Finished: %u files sent", n_done),
                               n_done);
  dossier_gui_set_label_text (self->summary_label, summary);

  if (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (self->total_bar)) != CLAMP (fraction, 0.0, 1.0))
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->total_bar), CLAMP (fraction, 0.0, 1.0));
  sent_text = g_format_size (sent);
  total_text = g_format_size (total);
  /* Translators: "12.4 MB of 30.0 MB" */
  bytes = g_strdup_printf (_("%s of %s"), sent_text, total_text);
  dossier_gui_set_label_text (self->total_label, bytes);

  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->history_button, !running && n_done + n_failed + n_unknown > 0);
}

static gboolean
update_idle_cb (gpointer user_data)
{
  DossierUploadPage *self = user_data;

  self->update_idle = 0;
  update_totals (self);
  return G_SOURCE_REMOVE;
}

static gboolean
update_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  DossierUploadPage *self = DOSSIER_UPLOAD_PAGE (widget);

  self->update_tick = 0;
  update_totals (self);
  return G_SOURCE_REMOVE;
}

/* Progress comes often, for each of the files sent at once, and each new
 * text lays the page out again: the totals are shown once per frame while
 * the page is on screen, once per main loop iteration when it is not */
static void
queue_update (DossierUploadPage *self)
{
  if (self->update_idle != 0 || self->update_tick != 0)
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->update_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick_cb, NULL, NULL);
  else
    self->update_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_idle_cb, self, NULL);
}

static void
cancel_update (DossierUploadPage *self)
{
  g_clear_handle_id (&self->update_idle, g_source_remove);
  if (self->update_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->update_tick);
  self->update_tick = 0;
}

static void
on_cancel_all_clicked (DossierUploadPage *self)
{
  if (self->submission != NULL)
    dossier_submission_cancel_all (self->submission);
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               DossierUploadPage        *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, dossier_upload_row_new ());
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              DossierUploadPage        *self)
{
  dossier_upload_row_bind (DOSSIER_UPLOAD_ROW (gtk_list_item_get_child (item)),
                           self->submission, gtk_list_item_get_item (item));
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                DossierUploadPage        *self)
{
  dossier_upload_row_bind (DOSSIER_UPLOAD_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

/* The list shares the submission's uploads with the files page. While this
 * page is hidden it has no model: otherwise a drop of a thousand files would
 * build rows here too, in the same main loop iteration (measured: a third
 * of the stall, build-aux/gui-benchmark.sh). */
static void
attach_model (DossierUploadPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  if (self->submission == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      gtk_list_view_set_model (self->list_view, NULL);
      return;
    }

  if (gtk_list_view_get_model (self->list_view) != NULL)
    return;

  selection = gtk_no_selection_new (g_object_ref (dossier_submission_get_uploads (self->submission)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
}

void
dossier_upload_page_set_submission (DossierUploadPage *self,
                                    DossierSubmission *submission)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD_PAGE (self));

  if (self->submission == submission)
    return;

  g_signal_group_set_target (self->submission_signals, submission);
  g_set_object (&self->submission, submission);
  gtk_list_view_set_model (self->list_view, NULL);
  if (submission == NULL)
    return;

  attach_model (self);
  update_totals (self);
}

static void
dossier_upload_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dossier_upload_page_parent_class)->map (widget);
  attach_model (DOSSIER_UPLOAD_PAGE (widget));
}

static void
dossier_upload_page_unmap (GtkWidget *widget)
{
  DossierUploadPage *self = DOSSIER_UPLOAD_PAGE (widget);

  GTK_WIDGET_CLASS (dossier_upload_page_parent_class)->unmap (widget);
  attach_model (self);
  /* no frames come to a page not shown: the totals wait for none */
  if (self->update_tick != 0)
    {
      cancel_update (self);
      queue_update (self);
    }
}

static void
dossier_upload_page_dispose (GObject *object)
{
  DossierUploadPage *self = DOSSIER_UPLOAD_PAGE (object);

  cancel_update (self);
  if (self->submission_signals != NULL)
    g_signal_group_set_target (self->submission_signals, NULL);
  g_clear_object (&self->submission_signals);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->submission);

  /* AdwBin owns the template's top widget: release it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_UPLOAD_PAGE);

  G_OBJECT_CLASS (dossier_upload_page_parent_class)->dispose (object);
}

static void
dossier_upload_page_class_init (DossierUploadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_upload_page_dispose;
  widget_class->map = dossier_upload_page_map;
  widget_class->unmap = dossier_upload_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-upload-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierUploadPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadPage, history_button);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadPage, total_bar);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, DossierUploadPage, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_all_clicked);
}

static void
dossier_upload_page_init (DossierUploadPage *self)
{
  /* what the totals show, and the number of files (n-ready, n-invalid) */
  static const char * const totals_follow[] = {
    "n-done", "n-failed", "n-unknown", "n-active", "n-ready", "n-invalid",
    "sent-bytes", "total-bytes", "fraction", "running", NULL
  };
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->submission_signals = g_signal_group_new (DOSSIER_TYPE_SUBMISSION);
  dossier_gui_watch_properties (self->submission_signals, totals_follow,
                                G_CALLBACK (queue_update), self);

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);
}

GtkWidget *
dossier_upload_page_get_list_view (DossierUploadPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_PAGE (self), NULL);
  return GTK_WIDGET (self->list_view);
}

GtkWidget *
dossier_upload_page_get_history_button (DossierUploadPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_PAGE (self), NULL);
  return self->history_button;
}

GtkWidget *
dossier_upload_page_get_cancel_button (DossierUploadPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_PAGE (self), NULL);
  return self->cancel_button;
}

const char *
dossier_upload_page_get_summary (DossierUploadPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD_PAGE (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->summary_label));
}
