/* dossier-merchant.c: one merchant, the clerk's unit of work
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A merchant is a name, the clerk's reference, notes, and per provider the
 * account values that provider needs (Moov accountID, receeve clientId and
 * accountId ...). Which values those are is read from the provider's
 * descriptor: its fields with the "account" scope. No provider is named
 * here.
 *
 * A record never holds a credential: a value is only taken for a field the
 * descriptor declares with the account scope, and not for one sent in the
 * header that carries the credentials (Authorization, the provider's own
 * key header). Keys, tokens and client secrets live in the keyring.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-json-private.h"
#include "dossier-merchant-private.h"

G_DEFINE_QUARK (dossier-merchant-error-quark, dossier_merchant_error)

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

  guint       generation;   /* counts changes, for the store's cache */
  char       *search_key;   /* cached, NULL when stale */
  char       *sort_key;     /* cached, NULL when stale */
};

G_DEFINE_FINAL_TYPE (DossierMerchant, dossier_merchant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_REFERENCE,
  PROP_NOTES,
  PROP_CREATED,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GHashTable *
new_values_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
dossier_merchant_finalize (GObject *object)
{
  DossierMerchant *self = DOSSIER_MERCHANT (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->reference);
  g_free (self->notes);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->modified, g_date_time_unref);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_free (self->search_key);
  g_free (self->sort_key);

  G_OBJECT_CLASS (dossier_merchant_parent_class)->finalize (object);
}

static void
dossier_merchant_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DossierMerchant *self = DOSSIER_MERCHANT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_REFERENCE:
      g_value_set_string (value, self->reference);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_MODIFIED:
      g_value_set_boxed (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_merchant_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DossierMerchant *self = DOSSIER_MERCHANT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      dossier_merchant_set_name (self, g_value_get_string (value));
      break;
    case PROP_REFERENCE:
      dossier_merchant_set_reference (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      dossier_merchant_set_notes (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_merchant_class_init (DossierMerchantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = dossier_merchant_finalize;
  object_class->get_property = dossier_merchant_get_property;
  object_class->set_property = dossier_merchant_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_REFERENCE] = g_param_spec_string ("reference", NULL, NULL, NULL, rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, rw);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_MODIFIED] = g_param_spec_boxed ("modified", NULL, NULL, G_TYPE_DATE_TIME, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_merchant_init (DossierMerchant *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_hash_table_unref);
}

/**
 * dossier_merchant_new:
 * @name: the display name
 *
 * A new record with a fresh id, created and modified now.
 */
DossierMerchant *
dossier_merchant_new (const char *name)
{
  DossierMerchant *self = g_object_new (DOSSIER_TYPE_MERCHANT, NULL);

  self->id = g_uuid_string_random ();
  self->created = g_date_time_new_now_utc ();
  self->modified = g_date_time_ref (self->created);
  dossier_merchant_set_name (self, name);
  return self;
}

const char *
dossier_merchant_get_id (DossierMerchant *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);
  return self->id;
}

const char *
dossier_merchant_get_name (DossierMerchant *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);
  return self->name;
}

const char *
dossier_merchant_get_reference (DossierMerchant *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);
  return self->reference;
}

const char *
dossier_merchant_get_notes (DossierMerchant *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);
  return self->notes;
}

GDateTime *
dossier_merchant_get_created (DossierMerchant *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);
  return self->created;
}

GDateTime *
dossier_merchant_get_modified (DossierMerchant *self)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);
  return self->modified;
}

/* @text cut to @max bytes on a character boundary, "" as NULL when
 * @empty_is_null; invalid UTF-8 is made valid */
static char *
clean_text (const char *text,
            gsize       max,
            gboolean    empty_is_null)
{
  g_autofree char *valid = NULL;
  const char *end;

  if (text == NULL || (empty_is_null && text[0] == '\0'))
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  if (strlen (valid) <= max)
    return g_steal_pointer (&valid);

  end = g_utf8_find_prev_char (valid, valid + max + 1);
  return g_strndup (valid, end != NULL ? (gsize) (end - valid) : 0);
}

static void
set_text (DossierMerchant *self,
          char           **field,
          const char      *value,
          gsize            max,
          gboolean         empty_is_null,
          GParamSpec      *pspec)
{
  g_autofree char *clean = clean_text (value, max, empty_is_null);

  if (g_strcmp0 (clean, *field) == 0)
    return;

  g_free (*field);
  *field = g_steal_pointer (&clean);
  self->generation++;
  g_clear_pointer (&self->search_key, g_free);
  if (field == &self->name)
    g_clear_pointer (&self->sort_key, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

void
dossier_merchant_set_name (DossierMerchant *self,
                           const char      *name)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (DOSSIER_IS_MERCHANT (self));

  /* names are compared and sorted: no blanks around them */
  stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  set_text (self, &self->name, stripped, DOSSIER_MERCHANT_MAX_NAME, FALSE, properties[PROP_NAME]);
}

void
dossier_merchant_set_reference (DossierMerchant *self,
                                const char      *reference)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (DOSSIER_IS_MERCHANT (self));

  if (reference != NULL)
    stripped = g_strstrip (g_strdup (reference));
  set_text (self, &self->reference, stripped, DOSSIER_MERCHANT_MAX_NAME, TRUE,
            properties[PROP_REFERENCE]);
}

void
dossier_merchant_set_notes (DossierMerchant *self,
                            const char      *notes)
{
  g_return_if_fail (DOSSIER_IS_MERCHANT (self));

  set_text (self, &self->notes, notes, DOSSIER_MERCHANT_MAX_NOTES, TRUE, properties[PROP_NOTES]);
}

/* -------------------------------------------------------------------------- */
/* Account values, as the descriptor allows them                              */

/**
 * dossier_merchant_account_fields:
 * @provider: a provider
 *
 * The fields of @provider's descriptor with the account scope, in the
 * descriptor's order: the values a merchant's record keeps for it.
 *
 * Returns: (transfer container) (element-type DossierField): the fields
 */
GPtrArray *
dossier_merchant_account_fields (DossierProvider *provider)
{
  GListModel *fields;
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), result);

  fields = dossier_provider_get_fields (provider);
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);

      if (dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_ACCOUNT)
        g_ptr_array_add (result, g_steal_pointer (&field));
    }

  return result;
}

/* A header that carries credentials: the standard ones and the header the
 * provider's own key goes in */
static gboolean
is_credential_header (DossierProvider *provider,
                      const char      *name)
{
  static const char * const standard[] = { "Authorization", "Proxy-Authorization", "Cookie", NULL };
  const DossierAuthSpec *auth = dossier_provider_get_auth (provider);

  for (guint i = 0; standard[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, standard[i]) == 0)
      return TRUE;

  return auth != NULL && auth->header != NULL && g_ascii_strcasecmp (name, auth->header) == 0;
}

/**
 * dossier_merchant_field_is_storable:
 * @provider: a provider
 * @field_name: a field name
 *
 * Whether a merchant's record may keep a value for @field_name of
 * @provider: only an account field of its descriptor, and never one sent in
 * a header that carries credentials.
 *
 * Returns: %TRUE if it may, else %FALSE with @error in
 *   %DOSSIER_MERCHANT_ERROR
 */
gboolean
dossier_merchant_field_is_storable (DossierProvider  *provider,
                                    const char       *field_name,
                                    GError          **error)
{
  DossierField *field;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), FALSE);
  g_return_val_if_fail (field_name != NULL, FALSE);

  field = dossier_provider_lookup_field (provider, field_name);
  if (field == NULL || dossier_field_get_scope (field) != DOSSIER_FIELD_SCOPE_ACCOUNT)
    {
      if (is_credential_header (provider, field_name))
        g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_CREDENTIAL,
                     /* Translators: %s is a header name, e.g. Authorization */
                     _("“%s” carries credentials: a merchant’s record never keeps them "
                       "(they stay in the keyring)"), field_name);
      else
        g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NOT_ACCOUNT_FIELD,
                     /* Translators: "“token” is not an account value of Moov; a merchant’s record keeps only those" */
                     _("“%s” is not an account value of %s; a merchant’s record keeps only those"),
                     field_name, dossier_provider_get_name (provider));
      return FALSE;
    }

  if (dossier_field_get_location (field) == DOSSIER_FIELD_LOCATION_HEADER &&
      is_credential_header (provider, field_name))
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_CREDENTIAL,
                   _("“%s” carries credentials: a merchant’s record never keeps them "
                     "(they stay in the keyring)"), field_name);
      return FALSE;
    }

  return TRUE;
}

const char *
dossier_merchant_get_account_value (DossierMerchant *self,
                                    const char      *provider_id,
                                    const char      *field_name)
{
  GHashTable *values;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (field_name != NULL, NULL);

  values = g_hash_table_lookup (self->accounts, provider_id);
  return values != NULL ? g_hash_table_lookup (values, field_name) : NULL;
}

/* No check: the caller has made sure @field_name may be kept */
static void
put_account_value (DossierMerchant *self,
                   const char      *provider_id,
                   const char      *field_name,
                   const char      *value)
{
  GHashTable *values = g_hash_table_lookup (self->accounts, provider_id);

  self->generation++;
  if (value == NULL || value[0] == '\0')
    {
      if (values != NULL)
        {
          g_hash_table_remove (values, field_name);
          if (g_hash_table_size (values) == 0)
            g_hash_table_remove (self->accounts, provider_id);
        }
      return;
    }

  if (values == NULL)
    {
      values = new_values_table ();
      g_hash_table_insert (self->accounts, g_strdup (provider_id), values);
    }
  g_hash_table_insert (values, g_strdup (field_name), g_strdup (value));
}

/**
 * dossier_merchant_set_account_value:
 * @provider: the provider the value is for
 * @field_name: one of its account fields
 * @value: (nullable): the value; %NULL or "" removes it
 *
 * Keeps an account value. The value is not validated here (a clerk may
 * save a draft; the upload validates it), but the field must be an account
 * field of @provider's descriptor, and never one that carries credentials.
 *
 * Returns: %TRUE if kept (or removed), else %FALSE with @error
 */
gboolean
dossier_merchant_set_account_value (DossierMerchant  *self,
                                    DossierProvider  *provider,
                                    const char       *field_name,
                                    const char       *value,
                                    GError          **error)
{
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), FALSE);
  g_return_val_if_fail (field_name != NULL, FALSE);

  if (!dossier_merchant_field_is_storable (provider, field_name, error))
    return FALSE;

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
                   _("The value of “%s” is not valid text"), field_name);
      return FALSE;
    }

  put_account_value (self, dossier_provider_get_id (provider), field_name, value);
  return TRUE;
}

/**
 * dossier_merchant_dup_account_values:
 * @provider_id: a provider id
 *
 * Returns: (transfer full): a new table field name -> value of @provider_id's
 *   values (empty when there are none), e.g. to fill a submission
 */
GHashTable *
dossier_merchant_dup_account_values (DossierMerchant *self,
                                     const char      *provider_id)
{
  GHashTable *copy = new_values_table ();
  GHashTable *values;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), copy);
  g_return_val_if_fail (provider_id != NULL, copy);

  values = g_hash_table_lookup (self->accounts, provider_id);
  if (values == NULL)
    return copy;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

/**
 * dossier_merchant_dup_provider_ids:
 *
 * Returns: (transfer full): the ids of the providers the record has account
 *   values for, sorted
 */
char **
dossier_merchant_dup_provider_ids (DossierMerchant *self)
{
  g_autofree const char **keys = NULL;
  guint n;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->accounts, &n);
  qsort (keys, n, sizeof (char *), compare_strings);
  return g_strdupv ((char **) keys);
}

/**
 * dossier_merchant_missing_account_fields:
 * @provider: a provider
 *
 * The required account fields of @provider's descriptor this record has no
 * value for (only those active given the values it has, for fields shown
 * "when" another has some value).
 *
 * Returns: (transfer container) (element-type DossierField): the fields, in
 *   the descriptor's order; empty when nothing is missing
 */
GPtrArray *
dossier_merchant_missing_account_fields (DossierMerchant *self,
                                         DossierProvider *provider)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GHashTable) values = NULL;
  GPtrArray *missing = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), missing);
  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), missing);

  fields = dossier_merchant_account_fields (provider);
  values = dossier_merchant_dup_account_values (self, dossier_provider_get_id (provider));

  for (guint i = 0; i < fields->len; i++)
    {
      DossierField *field = g_ptr_array_index (fields, i);
      const char *value = g_hash_table_lookup (values, dossier_field_get_name (field));

      if (dossier_field_get_required (field) &&
          dossier_field_is_active (field, values) &&
          (value == NULL || value[0] == '\0'))
        g_ptr_array_add (missing, g_object_ref (field));
    }

  return missing;
}

/* -------------------------------------------------------------------------- */
/* Search and order                                                           */

/**
 * dossier_merchant_fold_for_search:
 * @text: (nullable): some text
 *
 * @text as compared when searching: accents removed (the text decomposed
 * and its combining marks left out, so "Café" and "cafe" meet) and case
 * folded.
 *
 * Returns: (transfer full): the folded text ("" for %NULL)
 */
char *
dossier_merchant_fold_for_search (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) bare = NULL;

  if (text == NULL || text[0] == '\0')
    return g_strdup ("");

  /* most names are plain ASCII: folding is lowering the case */
  if (g_str_is_ascii (text))
    return g_ascii_strdown (text, -1);

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_strdup ("");

  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((guchar) *p < 0x80)
        g_string_append_c (bare, *p);
      else if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (bare, c);
    }

  return g_utf8_casefold (bare->str, bare->len);
}

const char *
_dossier_merchant_get_search_key (DossierMerchant *self)
{
  if (self->search_key == NULL)
    {
      g_autofree char *joined = g_strjoin ("\n", self->name != NULL ? self->name : "",
                                           self->reference != NULL ? self->reference : "",
                                           self->notes != NULL ? self->notes : "",
                                           NULL);

      self->search_key = dossier_merchant_fold_for_search (joined);
    }
  return self->search_key;
}

const char *
_dossier_merchant_get_sort_key (DossierMerchant *self)
{
  if (self->sort_key == NULL)
    {
      const char *name = self->name != NULL ? self->name : "";
      g_autofree char *folded = g_str_is_ascii (name) ? g_ascii_strdown (name, -1)
                                                      : g_utf8_casefold (name, -1);

      self->sort_key = g_utf8_collate_key (folded, -1);
    }
  return self->sort_key;
}

/**
 * _dossier_merchant_split_query:
 * @query: what the clerk typed
 *
 * Returns: (transfer full): the folded words of @query (none for blanks)
 */
char **
_dossier_merchant_split_query (const char *query)
{
  g_autofree char *folded = dossier_merchant_fold_for_search (query);
  g_auto(GStrv) parts = g_strsplit_set (folded, " \t\n\r", -1);
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (words, g_strdup (parts[i]));
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}

gboolean
_dossier_merchant_matches_folded (DossierMerchant    *self,
                                  const char * const *words)
{
  const char *key = _dossier_merchant_get_search_key (self);

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (key, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * dossier_merchant_matches:
 * @query: (nullable): what the clerk typed
 *
 * Whether every word of @query is found in the name, the reference or the
 * notes, anywhere in a word, whatever the case and the accents. An empty
 * query matches every merchant.
 */
gboolean
dossier_merchant_matches (DossierMerchant *self,
                          const char      *query)
{
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), FALSE);

  words = _dossier_merchant_split_query (query);
  return _dossier_merchant_matches_folded (self, (const char * const *) words);
}

/**
 * dossier_merchant_compare:
 *
 * Orders by name as the user's language sorts it, whatever the case; the
 * same names by id, so the order is stable.
 */
int
dossier_merchant_compare (DossierMerchant *a,
                          DossierMerchant *b)
{
  int cmp;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (a), 0);
  g_return_val_if_fail (DOSSIER_IS_MERCHANT (b), 0);

  cmp = strcmp (_dossier_merchant_get_sort_key (a), _dossier_merchant_get_sort_key (b));
  return cmp != 0 ? cmp : g_strcmp0 (a->id, b->id);
}

/* -------------------------------------------------------------------------- */
/* The record's file                                                          */

guint
_dossier_merchant_get_generation (DossierMerchant *self)
{
  return self->generation;
}

void
_dossier_merchant_touch (DossierMerchant *self,
                         GDateTime       *now)
{
  g_clear_pointer (&self->modified, g_date_time_unref);
  self->modified = g_date_time_ref (now);
  self->generation++;
  if (self->created == NULL || g_date_time_compare (self->created, now) > 0)
    {
      g_clear_pointer (&self->created, g_date_time_unref);
      self->created = g_date_time_ref (now);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

void
_dossier_merchant_strip (DossierMerchant  *self,
                         DossierCatalogue *catalogue,
                         GPtrArray        *dropped)
{
  g_autofree const char **ids = NULL;
  guint n;

  ids = (const char **) g_hash_table_get_keys_as_array (self->accounts, &n);
  for (guint i = 0; i < n; i++)
    {
      DossierProvider *provider = dossier_catalogue_lookup (catalogue, ids[i]);
      GHashTable *values = g_hash_table_lookup (self->accounts, ids[i]);
      g_autofree const char **names = NULL;
      guint n_names;

      if (provider == NULL)
        continue;

      names = (const char **) g_hash_table_get_keys_as_array (values, &n_names);
      for (guint j = 0; j < n_names; j++)
        if (!dossier_merchant_field_is_storable (provider, names[j], NULL))
          {
            if (dropped != NULL)
              g_ptr_array_add (dropped, g_strdup_printf ("%s/%s", ids[i], names[j]));
            g_hash_table_remove (values, names[j]);
            self->generation++;
          }

      if (g_hash_table_size (values) == 0)
        g_hash_table_remove (self->accounts, ids[i]);
    }
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_INVALID,
               /* Translators: %s says what is wrong, e.g. "no name" */
               _("not a merchant’s record: %s"), what);
  return FALSE;
}

static gboolean
read_accounts (DossierMerchant  *self,
               JsonObject       *object,
               GError          **error)
{
  JsonNode *node = json_object_get_member (object, "accounts");
  JsonObjectIter iter;
  const char *provider_id;
  JsonNode *values_node;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("“accounts” is not an object"));

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &provider_id, &values_node))
    {
      JsonObjectIter values_iter;
      const char *field_name;
      JsonNode *value_node;

      if (!JSON_NODE_HOLDS_OBJECT (values_node))
        return invalid (error, _("an account’s values are not an object"));

      json_object_iter_init (&values_iter, json_node_get_object (values_node));
      while (json_object_iter_next (&values_iter, &field_name, &value_node))
        {
          if (!JSON_NODE_HOLDS_VALUE (value_node) ||
              json_node_get_value_type (value_node) != G_TYPE_STRING)
            return invalid (error, _("an account value is not a string"));
          put_account_value (self, provider_id, field_name, json_node_get_string (value_node));
        }
    }

  return TRUE;
}

/* What the setters keep of @value, at once when it is already clean */
static char *
read_text (const char *value,
           gsize       max,
           gboolean    strip)
{
  g_autofree char *stripped = NULL;
  gsize length;

  if (value == NULL || value[0] == '\0')
    return NULL;

  length = strlen (value);
  if (length <= max && g_utf8_validate_len (value, length, NULL) &&
      (!strip || (!g_ascii_isspace (value[0]) && !g_ascii_isspace (value[length - 1]))))
    return g_strndup (value, length);

  if (strip)
    value = stripped = g_strstrip (g_strdup (value));
  return clean_text (value, max, TRUE);
}

DossierMerchant *
_dossier_merchant_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(DossierMerchant) self = g_object_new (DOSSIER_TYPE_MERCHANT, NULL);
  JsonNode *format = json_object_get_member (object, "format");
  const char *id = _dossier_json_get_string (object, "id");
  const char *name = _dossier_json_get_string (object, "name");

  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      json_node_get_value_type (format) != G_TYPE_INT64 || json_node_get_int (format) < 1)
    {
      invalid (error, _("no format number"));
      return NULL;
    }
  if (json_node_get_int (format) > DOSSIER_MERCHANT_FORMAT)
    {
      g_set_error (error, DOSSIER_MERCHANT_ERROR, DOSSIER_MERCHANT_ERROR_NEWER,
                   _("written by a newer version of Dossier (format %u): left as it is"),
                   (guint) MIN (json_node_get_int (format), G_MAXUINT));
      return NULL;
    }
  if (id == NULL || !g_uuid_string_is_valid (id))
    {
      invalid (error, _("no valid id"));
      return NULL;
    }
  if (name == NULL || name[0] == '\0')
    {
      invalid (error, _("no name"));
      return NULL;
    }

  /* set as the setters would, without their notifications: a load reads
   * thousands of records */
  self->id = g_strdup (id);
  self->name = read_text (name, DOSSIER_MERCHANT_MAX_NAME, TRUE);
  self->reference = read_text (_dossier_json_get_string (object, "reference"), DOSSIER_MERCHANT_MAX_NAME, TRUE);
  self->notes = read_text (_dossier_json_get_string (object, "notes"), DOSSIER_MERCHANT_MAX_NOTES, FALSE);
  if (self->name == NULL)
    {
      invalid (error, _("no name"));
      return NULL;
    }
  _dossier_json_read_time (object, "created", &self->created);
  _dossier_json_read_time (object, "modified", &self->modified);
  if (self->modified == NULL)
    self->modified = self->created != NULL ? g_date_time_ref (self->created) : g_date_time_new_now_utc ();
  if (self->created == NULL)
    self->created = g_date_time_ref (self->modified);

  if (!read_accounts (self, object, error))
    return NULL;

  return g_steal_pointer (&self);
}

JsonNode *
_dossier_merchant_to_json (DossierMerchant *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree const char **ids = NULL;
  guint n;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, DOSSIER_MERCHANT_FORMAT);
  _dossier_json_add_string (builder, "id", self->id);
  _dossier_json_add_string (builder, "name", self->name);
  _dossier_json_add_string (builder, "reference", self->reference);
  _dossier_json_add_string (builder, "notes", self->notes);
  _dossier_json_add_time (builder, "created", self->created);
  _dossier_json_add_time (builder, "modified", self->modified);

  /* sorted, so a record saved twice is the same text */
  ids = (const char **) g_hash_table_get_keys_as_array (self->accounts, &n);
  qsort (ids, n, sizeof (char *), compare_strings);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      GHashTable *values = g_hash_table_lookup (self->accounts, ids[i]);
      g_autofree const char **names = NULL;
      guint n_names;

      names = (const char **) g_hash_table_get_keys_as_array (values, &n_names);
      qsort (names, n_names, sizeof (char *), compare_strings);
      json_builder_set_member_name (builder, ids[i]);
      json_builder_begin_object (builder);
      for (guint j = 0; j < n_names; j++)
        _dossier_json_add_string (builder, names[j], g_hash_table_lookup (values, names[j]));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
