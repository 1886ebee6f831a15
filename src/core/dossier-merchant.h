/* dossier-merchant.h: one merchant, the clerk's unit of work
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-provider.h"

G_BEGIN_DECLS

/* Properties (all notify):
 *
 *   id          string: a stable generated id (a UUID), never changes
 *   name        string: the display name, "Toko Makmur"
 *   reference   string (nullable): the clerk's own case number
 *   notes       string (nullable): free text
 *   created     GDateTime (UTC)
 *   modified    GDateTime (UTC): the last time the record was saved
 *
 * Account values per provider: provider id -> (field name -> value). Only
 * the fields a provider's descriptor gives the "account" scope are taken,
 * so a credential (which is never a descriptor field) has no place here.
 */
#define DOSSIER_MERCHANT_ERROR (dossier_merchant_error_quark ())

/**
 * DossierMerchantError:
 * @DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD: the provider's descriptor has no
 *   account field of that name (a document field, or no such field)
 * @DOSSIER_MERCHANT_ERROR_CREDENTIAL: the value would be a credential
 * @DOSSIER_MERCHANT_ERROR_INVALID: a record that cannot be read or kept
 *   (no name, a damaged file, too large)
 * @DOSSIER_MERCHANT_ERROR_NEWER: written by a newer Dossier
 * @DOSSIER_MERCHANT_ERROR_NOT_FOUND: no merchant with that id
 */
typedef enum
{
  DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD,
  DOSSIER_MERCHANT_ERROR_CREDENTIAL,
  DOSSIER_MERCHANT_ERROR_INVALID,
  DOSSIER_MERCHANT_ERROR_NEWER,
  DOSSIER_MERCHANT_ERROR_NOT_FOUND,
} DossierMerchantError;

GQuark dossier_merchant_error_quark (void);

#define DOSSIER_TYPE_MERCHANT (dossier_merchant_get_type ())
G_DECLARE_FINAL_TYPE (DossierMerchant, dossier_merchant, DOSSIER, MERCHANT, GObject)

/* The longest name, reference and notes kept, in bytes */
#define DOSSIER_MERCHANT_MAX_NAME   512
#define DOSSIER_MERCHANT_MAX_NOTES  (64 * 1024)

DossierMerchant  *dossier_merchant_new                    (const char       *name);
const char       *dossier_merchant_get_id                 (DossierMerchant  *self);
const char       *dossier_merchant_get_name               (DossierMerchant  *self);
void              dossier_merchant_set_name               (DossierMerchant  *self,
                                                           const char       *name);
const char       *dossier_merchant_get_reference          (DossierMerchant  *self);
void              dossier_merchant_set_reference          (DossierMerchant  *self,
                                                           const char       *reference);
const char       *dossier_merchant_get_notes              (DossierMerchant  *self);
void              dossier_merchant_set_notes              (DossierMerchant  *self,
                                                           const char       *notes);
GDateTime        *dossier_merchant_get_created            (DossierMerchant  *self);
GDateTime        *dossier_merchant_get_modified           (DossierMerchant  *self);

const char       *dossier_merchant_get_account_value      (DossierMerchant  *self,
                                                           const char       *provider_id,
                                                           const char       *field_name);
gboolean          dossier_merchant_set_account_value      (DossierMerchant  *self,
                                                           DossierProvider  *provider,
                                                           const char       *field_name,
                                                           const char       *value,
                                                           GError          **error);
GHashTable       *dossier_merchant_dup_account_values     (DossierMerchant  *self,
                                                           const char       *provider_id);
char            **dossier_merchant_dup_provider_ids       (DossierMerchant  *self);
GPtrArray        *dossier_merchant_missing_account_fields (DossierMerchant  *self,
                                                           DossierProvider  *provider);

gboolean          dossier_merchant_matches                (DossierMerchant  *self,
                                                           const char       *query);
int               dossier_merchant_compare                (DossierMerchant  *a,
                                                           DossierMerchant  *b);

/* Descriptor rules, usable without a merchant */
gboolean          dossier_merchant_field_is_storable      (DossierProvider  *provider,
                                                           const char       *field_name,
                                                           GError          **error);
GPtrArray        *dossier_merchant_account_fields         (DossierProvider  *provider);
char             *dossier_merchant_fold_for_search        (const char       *text);

/**
 * DossierChecklistSummary:
 * @missing: required items not sent
 * @rejected: items the provider refused
 * @pending: items sent, waiting for the provider's review
 * @accepted: items the provider accepted
 * @expired: items sent whose link expired (DOKU; the id stays valid)
 * @checked_at: when the provider was asked (Unix time, 0: never)
 *
 * A provider's checklist for a merchant in numbers, kept in the record so
 * the list of merchants shows "2 missing" without asking anyone.
 */
typedef struct
{
  guint  missing;
  guint  rejected;
  guint  pending;
  guint  accepted;
  guint  expired;
  gint64 checked_at;
} DossierChecklistSummary;

/* dossier-merchant-checklist.c; the record emits "checklist-changed"
 * (const char *provider_id) when one changes */
gboolean          dossier_merchant_get_checklist_summary  (DossierMerchant               *self,
                                                           const char                    *provider_id,
                                                           DossierChecklistSummary       *out);
void              dossier_merchant_set_checklist_summary  (DossierMerchant               *self,
                                                           const char                    *provider_id,
                                                           const DossierChecklistSummary *summary);

G_END_DECLS
