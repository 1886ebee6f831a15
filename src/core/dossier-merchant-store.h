/* dossier-merchant-store.h: the merchants' records on disk
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-catalogue.h"
#include "dossier-merchant.h"

G_BEGIN_DECLS

/* The longest line (one record) read, in bytes: a record is a few hundred
 * bytes, its notes at most DOSSIER_MERCHANT_MAX_NOTES */
#define DOSSIER_MERCHANT_STORE_MAX_LINE (256 * 1024)
/* The largest file read: 5,000 merchants take about 2 MiB */
#define DOSSIER_MERCHANT_STORE_MAX_FILE (256 * 1024 * 1024)

/* GListModel of DossierMerchant, sorted by name (dossier_merchant_compare()),
 * kept in merchants.jsonl (see dossier-merchant-store.c for why one file).
 *
 * Properties:
 *   loaded (gboolean): the list holds a read of the file (or what a save
 *     wrote); until then it is not known to be empty
 *   loading (gboolean): dossier_merchant_store_load_async() is reading it
 *
 * Signals:
 *   problem (const char *file_name, GError *error): on load, a record that
 *     could not be read (skipped, and kept in the file as it is), or a value
 *     dropped from one; also in dossier_merchant_store_get_problems()
 */
#define DOSSIER_TYPE_MERCHANT_STORE (dossier_merchant_store_get_type ())
G_DECLARE_FINAL_TYPE (DossierMerchantStore, dossier_merchant_store, DOSSIER, MERCHANT_STORE, GObject)

DossierMerchantStore *dossier_merchant_store_new               (DossierCatalogue      *catalogue,
                                                                const char            *directory);
char                 *dossier_merchant_store_default_directory (void);
const char           *dossier_merchant_store_get_directory     (DossierMerchantStore  *self);
const char           *dossier_merchant_store_get_path          (DossierMerchantStore  *self);
gboolean              dossier_merchant_store_load              (DossierMerchantStore  *self,
                                                                GError               **error);
void                  dossier_merchant_store_load_async        (DossierMerchantStore  *self,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
gboolean              dossier_merchant_store_load_finish       (DossierMerchantStore  *self,
                                                                GAsyncResult          *result,
                                                                GError               **error);
gboolean              dossier_merchant_store_get_loaded        (DossierMerchantStore  *self);
gboolean              dossier_merchant_store_get_loading       (DossierMerchantStore  *self);
const GError         *dossier_merchant_store_get_load_error    (DossierMerchantStore  *self);
GPtrArray            *dossier_merchant_store_get_problems      (DossierMerchantStore  *self);
gboolean              dossier_merchant_store_add               (DossierMerchantStore  *self,
                                                                DossierMerchant       *merchant,
                                                                GError               **error);
gboolean              dossier_merchant_store_update            (DossierMerchantStore  *self,
                                                                DossierMerchant       *merchant,
                                                                GError               **error);
gboolean              dossier_merchant_store_remove            (DossierMerchantStore  *self,
                                                                const char            *id,
                                                                GError               **error);
DossierMerchant      *dossier_merchant_store_lookup            (DossierMerchantStore  *self,
                                                                const char            *id);
GPtrArray            *dossier_merchant_store_search            (DossierMerchantStore  *self,
                                                                const char            *query);

G_END_DECLS
