/* dossier-submission-values.c: the values a submission sends
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Account fields live on the submission, document fields on each upload;
 * what is sent is either, or the field's default.
 */

#include "config.h"

#include "dossier-submission-private.h"
#include "dossier-validate.h"

/* Every field's value as it would be sent: account fields from the
 * submission, document fields from the upload, defaults for the rest */
GHashTable *
_dossier_submission_effective_values (DossierSubmission *self,
                                      DossierUpload     *upload)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GListModel *fields = dossier_provider_get_fields (self->provider);
  guint n = g_list_model_get_n_items (fields);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *name = dossier_field_get_name (field);
      const char *value;

      if (dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_ACCOUNT || upload == NULL)
        value = g_hash_table_lookup (self->values, name);
      else
        value = dossier_upload_get_value (upload, name);

      if (!_dossier_submission_has_text (value))
        value = dossier_field_get_default_value (field);
      if (_dossier_submission_has_text (value))
        g_hash_table_insert (values, g_strdup (name), g_strdup (value));
    }

  return values;
}

const char *
dossier_submission_get_value (DossierSubmission *self,
                              const char        *name)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->values, name);
}

/**
 * dossier_submission_set_value:
 * @value: (nullable): %NULL or "" unsets it
 *
 * Sets an account field, or the default of a document field for the files
 * added next.
 */
void
dossier_submission_set_value (DossierSubmission *self,
                              const char        *name,
                              const char        *value)
{
  DossierField *field;

  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (name != NULL);

  if (g_strcmp0 (g_hash_table_lookup (self->values, name),
                 _dossier_submission_has_text (value) ? value : NULL) == 0)
    return;

  if (_dossier_submission_has_text (value))
    g_hash_table_replace (self->values, g_strdup (name), g_strdup (value));
  else
    g_hash_table_remove (self->values, name);

  field = dossier_provider_lookup_field (self->provider, name);
  if (field == NULL || dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_ACCOUNT)
    dossier_submission_revalidate (self);
  _dossier_submission_schedule_save (self);
}

/**
 * dossier_submission_validate_account:
 *
 * Checks the account fields (Moov accountID, receeve clientId and
 * accountId) with their defaults: dossier_provider_validate_values() over
 * the account scope.
 */
gboolean
dossier_submission_validate_account (DossierSubmission  *self,
                                     GError            **error)
{
  g_autoptr(GHashTable) values = NULL;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), FALSE);

  values = _dossier_submission_effective_values (self, NULL);
  return dossier_provider_validate_values (self->provider, values,
                                           DOSSIER_VALIDATE_SCOPE_ACCOUNT, error);
}

