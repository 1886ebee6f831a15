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

int
_dossier_merchant_compare_strings (const void *a,
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
  g_clear_pointer (&self->checklists, g_hash_table_unref);
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

  /* a provider's checklist summary changed (dossier-merchant-checklist.c) */
  g_signal_new ("checklist-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dossier_merchant_init (DossierMerchant *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_hash_table_unref);
  self->checklists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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
char *
_dossier_merchant_clean_text (const char *text,
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
  g_autofree char *clean = _dossier_merchant_clean_text (value, max, empty_is_null);

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

/* The account values a provider's requirement request needs beyond its
 * fields, or NULL */
static GListModel *
requirement_fields (DossierProvider *provider)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (provider);

  return spec != NULL && spec->account_fields != NULL ? G_LIST_MODEL (spec->account_fields) : NULL;
}

/**
 * dossier_merchant_account_fields:
 * @provider: a provider
 *
 * The fields of @provider's descriptor with the account scope, in the
 * descriptor's order, then the account values its requirement request
 * needs ("requirements.account_fields"): the values a merchant's record
 * keeps for it.
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

  /* and what the requirement request needs besides (DOKU's business type,
   * legal entity, business line and nationality) */
  fields = requirement_fields (provider);
  n = fields != NULL ? g_list_model_get_n_items (fields) : 0;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (result, g_list_model_get_item (fields, i));

  return result;
}

/* @field_name among the account fields the requirement request needs, or NULL */
static DossierField *
lookup_requirement_field (DossierProvider *provider,
                          const char      *field_name)
{
  GListModel *fields = requirement_fields (provider);
  guint n = fields != NULL ? g_list_model_get_n_items (fields) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);

      if (g_strcmp0 (dossier_field_get_name (field), field_name) == 0)
        return field;   /* the list holds its own reference */
    }
  return NULL;
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
  if (field == NULL)
    field = lookup_requirement_field (provider, field_name);
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
void
_dossier_merchant_put_account_value (DossierMerchant *self,
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

  _dossier_merchant_put_account_value (self, dossier_provider_get_id (provider), field_name, value);
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
  qsort (keys, n, sizeof (char *), _dossier_merchant_compare_strings);
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
