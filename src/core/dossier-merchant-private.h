/* dossier-merchant-private.h: what the merchant store shares with the record
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-catalogue.h"
#include "dossier-merchant.h"

G_BEGIN_DECLS

/* Shared by dossier-merchant.c, -search.c and -json.c */
struct _DossierMerchant
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *reference;
  char       *notes;
  GDateTime  *created;
  GDateTime  *modified;
  GHashTable *accounts;     /* provider id -> GHashTable (field name -> value) */
  GHashTable *checklists;   /* provider id -> DossierChecklistSummary */

  guint       generation;   /* counts changes, for the store's cache: a
                             * count of this object's, not unique
                             * across objects */
  char       *search_key;   /* cached, NULL when stale */
  char       *sort_key;     /* cached, NULL when stale */
};

/* The version of the record's file format ("format" member) */
#define DOSSIER_MERCHANT_FORMAT 1

/* A record as read from the store's file. Unknown members are ignored, a
 * newer "format" is refused. */
DossierMerchant *_dossier_merchant_new_from_json   (JsonObject       *object,
                                                    GError          **error);
JsonNode        *_dossier_merchant_to_json         (DossierMerchant  *self);
/* Changes with every change of the record (a cache of its text is stale
 * when this differs); two objects of one record may have the same count
 * with different text, so a cache also checks the object */
guint            _dossier_merchant_get_generation  (DossierMerchant  *self);
/* Sets "modified" (and "created" when it is later) to @now */
void             _dossier_merchant_touch           (DossierMerchant  *self,
                                                    GDateTime        *now);
/* Drops the values the catalogue's descriptors do not let a record keep
 * (not an account field, a credential); adds "provider/field" to
 * @dropped for each. Providers the catalogue does not know are kept. */
void             _dossier_merchant_strip           (DossierMerchant  *self,
                                                    DossierCatalogue *catalogue,
                                                    GPtrArray        *dropped);
/* The name, reference and notes folded by dossier_merchant_fold_for_search() */
const char      *_dossier_merchant_get_search_key  (DossierMerchant  *self);
/* A collation key of the name, for sorting */
const char      *_dossier_merchant_get_sort_key    (DossierMerchant  *self);
/* Every one of @words (from _dossier_merchant_split_query()) is in the record */
gboolean         _dossier_merchant_matches_folded  (DossierMerchant  *self,
                                                    const char * const *words);
char           **_dossier_merchant_split_query     (const char       *query);

/* dossier-merchant-checklist.c: the summaries in the record's line
 * ("checklists" member; a record without it has none), and the merge of
 * two processes' changes (the later check of a provider wins) */
void             _dossier_merchant_add_checklists_json  (DossierMerchant *self,
                                                         JsonBuilder     *builder);
void             _dossier_merchant_read_checklists_json (DossierMerchant *self,
                                                         JsonObject      *object);
void             _dossier_merchant_merge_checklists     (DossierMerchant *mine,
                                                         DossierMerchant *theirs);

/* Shared helpers of the record's files */
char            *_dossier_merchant_clean_text      (const char       *text,
                                                    gsize             max,
                                                    gboolean          empty_is_null);
/* Keeps (or removes, for NULL or "") a value; no check: the caller made
 * sure @field_name may be kept */
void             _dossier_merchant_put_account_value (DossierMerchant *self,
                                                      const char      *provider_id,
                                                      const char      *field_name,
                                                      const char      *value);
/* qsort() order of an array of strings */
int              _dossier_merchant_compare_strings (const void       *a,
                                                    const void       *b);

G_END_DECLS
