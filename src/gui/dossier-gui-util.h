/* dossier-gui-util.h: small helpers shared by the widgets
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-field.h"
#include "dossier-provider.h"
#include "dossier-upload.h"

G_BEGIN_DECLS

guint               dossier_gui_choice_position         (GListModel   *choices,
                                                         const char   *value);
const char         *dossier_gui_choice_value_at         (GListModel   *choices,
                                                         guint         position);
GtkListItemFactory *dossier_gui_choice_button_factory   (void);
GtkListItemFactory *dossier_gui_choice_list_factory     (void);
GtkWidget          *dossier_gui_choice_dropdown_new     (DossierField *field);
void                dossier_gui_open_uri                (GtkWidget    *widget,
                                                         const char   *uri);
GHashTable         *dossier_gui_dup_values              (gpointer      submission);
gboolean            dossier_gui_is_main_document_field  (DossierProvider *provider,
                                                         DossierField    *field);
guint               dossier_gui_get_uint                (gpointer      object,
                                                         const char   *property);
gboolean            dossier_gui_get_boolean             (gpointer      object,
                                                         const char   *property);
void                dossier_gui_load_thumbnail_async    (GFile               *file,
                                                         int                  size,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GdkTexture         *dossier_gui_load_thumbnail_finish   (GAsyncResult        *result,
                                                         GError             **error);
void                dossier_gui_show_upload_icon        (GtkImage            *image,
                                                         DossierUpload       *upload);
const char         *dossier_gui_state_label             (guint         state);
GtkWidget          *dossier_gui_ask_destructive         (GtkWidget    *parent,
                                                         const char   *heading,
                                                         const char   *body,
                                                         const char   *response,
                                                         const char   *label);

G_END_DECLS
