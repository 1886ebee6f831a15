/* dossier-merchant-drop.h: files dropped on a merchant page, matched to its checklist items
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-checklist-view.h"

G_BEGIN_DECLS

/* One dropped file and the item it answers (NULL: none chosen) */
typedef struct
{
  GFile                *file;
  DossierChecklistItem *item;
  DossierChecklistView *view;
} DossierMerchantDrop;

void       dossier_merchant_drop_free  (DossierMerchantDrop *drop);

/* Each file matched by its name to an open item of @views
 * (DossierChecklistView): a GPtrArray of DossierMerchantDrop, in the order
 * of @files; *@out_settled FALSE when one matched nothing or the files
 * matched items of more than one provider */
GPtrArray *dossier_merchant_drop_match (GPtrArray *views,
                                        GSList    *files,
                                        gboolean  *out_settled);

/* Asks which item each file answers (a dialog over @parent), then calls
 * @callback with the drops of one provider (those chosen for the first
 * file's provider); not called on Cancel */
typedef void (*DossierMerchantDropCallback) (GPtrArray *drops,
                                             guint      n_left_out,
                                             gpointer   user_data);

void       dossier_merchant_drop_ask   (GtkWindow                   *parent,
                                        GPtrArray                   *views,
                                        GPtrArray                   *drops,
                                        DossierMerchantDropCallback  callback,
                                        gpointer                     user_data);
/* The drops of the first drop's provider; *@n_left_out the others */
GPtrArray *dossier_merchant_drop_one_provider (GPtrArray *drops,
                                               guint     *n_left_out);

G_END_DECLS
