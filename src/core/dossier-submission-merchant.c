/* dossier-submission-merchant.c: the merchant a submission sends for, and the duplicate guard
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every upload is recorded against its merchant (merchant-id, NULL: none).
 * Once a file is checked (its SHA-256 computed in the check's worker
 * thread), the record is asked whether the same content already went to
 * this provider and account, or for another merchant; the answer is a
 * warning on the upload ("duplicate-of"), never a reason not to send.
 */

#include "config.h"

#if HAVE_GNUTLS
#include <gnutls/crypto.h>
#endif

#include "dossier-checklist-private.h"
#include "dossier-history-private.h"
#include "dossier-submission-private.h"

#define SHA256_PIECE (1024 * 1024)

const char *
dossier_submission_get_merchant_id (DossierSubmission *self)
{
  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (self), NULL);
  return self->merchant_id;
}

static void
recheck_job (DossierSubmission *self,
             Job               *job,
             guint              position,
             gpointer           data)
{
  _dossier_submission_find_duplicates (self, job->upload);
}

/**
 * dossier_submission_set_merchant_id:
 * @merchant_id: (nullable): the merchant's id in the store, %NULL for none
 *
 * The merchant the uploads are for: written in their record, and the
 * "another merchant" question of the duplicate guard.
 */
void
dossier_submission_set_merchant_id (DossierSubmission *self,
                                    const char        *merchant_id)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));

  if (merchant_id != NULL && *merchant_id == '\0')
    merchant_id = NULL;
  if (g_strcmp0 (self->merchant_id, merchant_id) == 0)
    return;

  g_free (self->merchant_id);
  self->merchant_id = g_strdup (merchant_id);
  _dossier_submission_foreach_job (self, recheck_job, NULL);
  _dossier_submission_notify (self, PROP_MERCHANT_ID);
}

/**
 * dossier_submission_set_merchant_store:
 * @store: (nullable): where other merchants' names are looked up
 *
 * Without one, the duplicate guard names another merchant by its id.
 */
void
dossier_submission_set_merchant_store (DossierSubmission    *self,
                                       DossierMerchantStore *store)
{
  g_return_if_fail (DOSSIER_IS_SUBMISSION (self));
  g_return_if_fail (store == NULL || DOSSIER_IS_MERCHANT_STORE (store));

  g_set_object (&self->merchant_store, store);
}

/* The values of @upload of fields in @scope, as they are sent */
GHashTable *
_dossier_submission_scope_values (DossierSubmission *self,
                                  DossierUpload     *upload,
                                  DossierFieldScope  scope)
{
  g_autoptr(GHashTable) values = _dossier_submission_effective_values (self, upload);
  GHashTable *kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DossierField *field = dossier_provider_lookup_field (self->provider, key);

      if (field != NULL && dossier_field_get_scope (field) == scope)
        g_hash_table_replace (kept, g_strdup (key), g_strdup (value));
    }
  return kept;
}

/* The requirement @upload answers: its metadata's requirement_id, where
 * the provider's descriptor names a metadata field (Moov) */
char *
_dossier_submission_requirement_id (DossierSubmission *self,
                                    DossierUpload     *upload)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (self->provider);
  g_autoptr(GHashTable) values = NULL;
  char *requirement_id = NULL;
  g_autofree char *error_code = NULL;

  if (spec == NULL || spec->metadata_field == NULL)
    return NULL;

  values = _dossier_submission_effective_values (self, upload);
  _dossier_checklist_read_metadata (g_hash_table_lookup (values, spec->metadata_field),
                                    &requirement_id, &error_code);
  return requirement_id;
}

/* The last question asked of the record for an upload */
static GQuark
question_quark (void)
{
  return g_quark_from_static_string ("dossier-duplicates-question");
}

static char *
make_question (DossierSubmission *self,
               const char        *sha256,
               const char        *account_key,
               DossierHistory    *history)
{
  return g_strdup_printf ("%s\n%s\n%s\n%s\n%" G_GUINT64_FORMAT, sha256,
                          self->merchant_id ? self->merchant_id : "",
                          self->environment ? self->environment : "",
                          account_key, history->changes);
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(DossierSubmission) self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  dossier_history_preload_finish (DOSSIER_HISTORY (object), result, NULL);
  if (self == NULL)
    return;

  self->history_waiting = FALSE;
  /* rare: lines were given while it was read; read here rather than
   * again and again */
  if (!dossier_history_is_loaded (DOSSIER_HISTORY (object)))
    g_list_model_get_n_items (G_LIST_MODEL (object));
  _dossier_submission_foreach_job (self, recheck_job, NULL);
  _dossier_submission_update_validating (self);
}

/* Has the record read off the main thread; "validating" holds until it
 * is, so that what waits for the checks also gets the guard's answer */
void
_dossier_submission_preload_history (DossierSubmission *self)
{
  DossierHistory *history = dossier_history_get_default ();
  GWeakRef *ref;

  if (self->history_waiting || dossier_history_is_loaded (history))
    return;

  self->history_waiting = TRUE;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  dossier_history_preload_async (history, history_loaded_cb, ref);
  _dossier_submission_update_validating (self);
}

/* Sets @upload's "duplicate-of" from the record; nothing for a file not
 * checked yet (no SHA-256) or a URL */
void
_dossier_submission_find_duplicates (DossierSubmission *self,
                                     DossierUpload     *upload)
{
  const char *sha256 = dossier_upload_get_sha256 (upload);
  DossierHistory *history;
  g_autoptr(GHashTable) account = NULL;
  g_autofree char *account_key = NULL;
  g_autoptr(GPtrArray) same = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GString) sentence = NULL;
  DossierHistoryEntry *duplicate = NULL;
  DossierHistoryEntry *other_merchant = NULL;
  g_autofree char *question = NULL;

  if (sha256 == NULL || dossier_upload_is_finished (upload))
    return;

  /* the record is read off this thread first; asked once it is */
  history = dossier_history_get_default ();
  if (!dossier_history_is_loaded (history))
    {
      _dossier_submission_preload_history (self);
      return;
    }

  /* asked again only when something it depends on changed: a thousand
   * files revalidated at each keystroke stay cheap */
  account = _dossier_submission_scope_values (self, upload, DOSSIER_FIELD_SCOPE_ACCOUNT);
  account_key = dossier_history_account_key (account);
  question = make_question (self, sha256, account_key, history);
  if (g_strcmp0 (g_object_get_qdata (G_OBJECT (upload), question_quark ()), question) == 0)
    return;
  same = dossier_history_find_sent (history, sha256, dossier_provider_get_id (self->provider),
                                    self->environment, account_key);
  other = dossier_history_find_sent_for_other_merchants (history, sha256, self->merchant_id);

  sentence = g_string_new (NULL);
  if (same->len > 0)
    {
      g_autofree char *text = NULL;

      duplicate = g_ptr_array_index (same, 0);
      text = dossier_history_describe_duplicate (duplicate, NULL);
      g_string_append (sentence, text);
    }
  if (other->len > 0)
    {
      DossierMerchant *merchant = NULL;
      g_autofree char *text = NULL;

      other_merchant = g_ptr_array_index (other, 0);
      if (self->merchant_store != NULL)
        merchant = dossier_merchant_store_lookup (self->merchant_store,
                                                  dossier_history_entry_get_merchant_id (other_merchant));
      text = dossier_history_describe_other_merchant (other_merchant,
                                                      merchant ? dossier_merchant_get_name (merchant) : NULL,
                                                      NULL);
      if (sentence->len > 0)
        g_string_append_c (sentence, '\n');
      g_string_append (sentence, text);
    }

  dossier_upload_set_duplicates (upload, duplicate, other_merchant,
                                 sentence->len > 0 ? sentence->str : NULL);
  /* the entries as they are now (the question may have read them) */
  g_free (question);
  question = make_question (self, sha256, account_key, history);
  g_object_set_qdata_full (G_OBJECT (upload), question_quark (), g_steal_pointer (&question), g_free);
}

/* In the check's worker thread: the file's SHA-256, read in 1 MiB pieces;
 * NULL when it cannot be read (the check says why). Through GnuTLS when
 * the build has it (the CPU's SHA instructions: a GiB in a fifth of the
 * time GChecksum takes), else, or should GnuTLS refuse, GLib's. */
char *
_dossier_submission_file_sha256 (GFile         *file,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree guchar *buffer = NULL;
  gboolean fast = FALSE;   /* through GnuTLS */
  gssize n;
#if HAVE_GNUTLS
  gnutls_hash_hd_t hash = NULL;
  guint8 digest[32];
  char hex[65];
#endif

  if ((stream = g_file_read (file, cancellable, error)) == NULL)
    return NULL;

#if HAVE_GNUTLS
  fast = gnutls_hash_init (&hash, GNUTLS_DIG_SHA256) >= 0;
#endif
  if (!fast)
    checksum = g_checksum_new (G_CHECKSUM_SHA256);

  buffer = g_malloc (SHA256_PIECE);
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, SHA256_PIECE,
                                   cancellable, error)) > 0)
    {
#if HAVE_GNUTLS
      if (fast)
        {
          gnutls_hash (hash, buffer, n);
          continue;
        }
#endif
      g_checksum_update (checksum, buffer, n);
    }

#if HAVE_GNUTLS
  if (fast)
    {
      gnutls_hash_deinit (hash, digest);
      if (n < 0)
        return NULL;
      for (guint i = 0; i < sizeof digest; i++)
        g_snprintf (hex + 2 * i, 3, "%02x", digest[i]);
      return g_strdup (hex);
    }
#endif
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}
