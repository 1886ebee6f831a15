/* dossier-merchant-drop.c: files dropped on a merchant page, matched to its checklist items
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each file is matched by its name (dossier_checklist_match_file(), the
 * descriptor's keywords: "ktp" -> KTP) to an open item of the merchant's
 * checklists. When one matches nothing, or the files match items of more
 * than one provider, a small dialog asks which item each file answers.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-merchant-drop.h"

void
dossier_merchant_drop_free (DossierMerchantDrop *drop)
{
  g_clear_object (&drop->file);
  g_clear_object (&drop->item);
  g_clear_object (&drop->view);
  g_free (drop);
}

static DossierProvider *
drop_provider (DossierMerchantDrop *drop)
{
  return drop->view != NULL ? dossier_checklist_get_provider (dossier_checklist_view_get_checklist (drop->view))
                            : NULL;
}

GPtrArray *
dossier_merchant_drop_match (GPtrArray *views,
                             GSList    *files,
                             gboolean  *out_settled)
{
  GPtrArray *drops = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_merchant_drop_free);
  DossierProvider *provider = NULL;
  gboolean settled = TRUE;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      DossierMerchantDrop *drop = g_new0 (DossierMerchantDrop, 1);
      g_autofree char *name = g_file_get_basename (l->data);

      drop->file = g_object_ref (l->data);
      for (guint i = 0; i < views->len && drop->item == NULL; i++)
        {
          DossierChecklistView *view = g_ptr_array_index (views, i);

          drop->item = dossier_checklist_match_file (dossier_checklist_view_get_checklist (view), name);
          if (drop->item != NULL)
            drop->view = g_object_ref (view);
        }
      if (drop->item == NULL)
        settled = FALSE;
      else if (provider == NULL)
        provider = drop_provider (drop);
      else if (drop_provider (drop) != provider)
        settled = FALSE;
      g_ptr_array_add (drops, drop);
    }

  *out_settled = settled && drops->len > 0;
  return drops;
}

GPtrArray *
dossier_merchant_drop_one_provider (GPtrArray *drops,
                                    guint     *n_left_out)
{
  GPtrArray *kept = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_merchant_drop_free);
  DossierProvider *provider = NULL;

  *n_left_out = 0;
  for (guint i = 0; i < drops->len; i++)
    {
      DossierMerchantDrop *drop = g_ptr_array_index (drops, i);
      DossierMerchantDrop *copy;

      if (drop->item == NULL)
        {
          (*n_left_out)++;
          continue;
        }
      if (provider == NULL)
        provider = drop_provider (drop);
      if (drop_provider (drop) != provider)
        {
          (*n_left_out)++;
          continue;
        }
      copy = g_new0 (DossierMerchantDrop, 1);
      copy->file = g_object_ref (drop->file);
      copy->item = g_object_ref (drop->item);
      copy->view = g_object_ref (drop->view);
      g_ptr_array_add (kept, copy);
    }
  return kept;
}

/* The dialog: one combo row per file over every open item */
typedef struct
{
  GPtrArray                   *drops;
  GPtrArray                   *choices;  /* DossierMerchantDrop without file: item + view */
  GPtrArray                   *rows;     /* AdwComboRow, one per drop */
  DossierMerchantDropCallback  callback;
  gpointer                     user_data;
} Asking;

static void
asking_free (Asking *asking)
{
  g_ptr_array_unref (asking->drops);
  g_ptr_array_unref (asking->choices);
  g_ptr_array_unref (asking->rows);
  g_free (asking);
}

static gboolean
item_is_open (DossierChecklistItem *item)
{
  DossierChecklistState state = dossier_checklist_item_get_state (item);

  return state == DOSSIER_CHECKLIST_STATE_MISSING || state == DOSSIER_CHECKLIST_STATE_REJECTED
         || state == DOSSIER_CHECKLIST_STATE_EXPIRED;
}

/* AdwMessageDialog (libadwaita 1.2) or AdwAlertDialog (1.5+) */
static void
on_response (GtkWidget  *dialog,
             const char *response,
             Asking     *asking)
{
  g_autoptr(GPtrArray) kept = NULL;
  guint left_out = 0;

  /* one answer: closing the dialog after it says nothing more */
  g_signal_handlers_disconnect_by_func (dialog, on_response, asking);
  if (g_strcmp0 (response, "upload") == 0)
    {
      for (guint i = 0; i < asking->drops->len; i++)
        {
          DossierMerchantDrop *drop = g_ptr_array_index (asking->drops, i);
          guint selected = adw_combo_row_get_selected (g_ptr_array_index (asking->rows, i));
          DossierMerchantDrop *choice;

          g_clear_object (&drop->item);
          g_clear_object (&drop->view);
          /* the first choice is "Not this time" */
          if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
            continue;
          choice = g_ptr_array_index (asking->choices, selected - 1);
          drop->item = g_object_ref (choice->item);
          drop->view = g_object_ref (choice->view);
        }
      kept = dossier_merchant_drop_one_provider (asking->drops, &left_out);
      if (kept->len > 0)
        asking->callback (kept, left_out, asking->user_data);
    }
  asking_free (asking);
}

void
dossier_merchant_drop_ask (GtkWindow                   *parent,
                           GPtrArray                   *views,
                           GPtrArray                   *drops,
                           DossierMerchantDropCallback  callback,
                           gpointer                     user_data)
{
  Asking *asking = g_new0 (Asking, 1);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *list = gtk_list_box_new ();

  asking->drops = g_ptr_array_ref (drops);
  asking->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) dossier_merchant_drop_free);
  asking->rows = g_ptr_array_new ();
  asking->callback = callback;
  asking->user_data = user_data;

  gtk_string_list_append (names, _("Not this time"));
  for (guint v = 0; v < views->len; v++)
    {
      DossierChecklistView *view = g_ptr_array_index (views, v);
      DossierChecklist *checklist = dossier_checklist_view_get_checklist (view);
      DossierProvider *provider = dossier_checklist_get_provider (checklist);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (checklist));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (checklist), i);
          DossierMerchantDrop *choice;
          g_autofree char *name = NULL;

          if (!item_is_open (item))
            continue;
          choice = g_new0 (DossierMerchantDrop, 1);
          choice->item = g_object_ref (item);
          choice->view = g_object_ref (view);
          g_ptr_array_add (asking->choices, choice);
          /* Translators: a checklist item in the "which document is this?" list: "Moov: Business verification document" */
          name = g_strdup_printf (_("%s: %s"), dossier_provider_get_name (provider),
                                  dossier_checklist_item_get_label (item));
          gtk_string_list_append (names, name);
        }
    }

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < drops->len; i++)
    {
      DossierMerchantDrop *drop = g_ptr_array_index (drops, i);
      g_autofree char *basename = g_file_get_basename (drop->file);
      GtkWidget *row = adw_combo_row_new ();
      guint selected = 0;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), basename);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
      for (guint c = 0; c < asking->choices->len; c++)
        {
          DossierMerchantDrop *choice = g_ptr_array_index (asking->choices, c);

          if (drop->item != NULL && choice->item == drop->item)
            selected = c + 1;
        }
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_ptr_array_add (asking->rows, row);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  /* AdwMessageDialog is deprecated from libadwaita 1.6 on */
#if ADW_CHECK_VERSION (1, 5, 0)
  dialog = GTK_WIDGET (adw_alert_dialog_new (_("Which Document Is It?"),
                                             _("Choose the item each file answers. One provider’s files are sent at a time.")));
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), list);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "upload", _("_Continue"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "upload", ADW_RESPONSE_SUGGESTED);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "upload");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), asking);
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (parent));
#else
  dialog = adw_message_dialog_new (parent, _("Which Document Is It?"),
                                   _("Choose the item each file answers. One provider’s files are sent at a time."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "upload", _("_Continue"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "upload",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "upload");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), asking);
  gtk_window_present (GTK_WINDOW (dialog));
#endif
}
