/* dossier-history-entry.c: one finished upload, as the history keeps it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-history-private.h"
#include "dossier-json-private.h"
#include "dossier-redact.h"
#include "dossier-result-private.h"

enum {
  PROP_0,
  PROP_FINISHED_AT,
  PROP_PROVIDER_ID,
  PROP_PROVIDER_NAME,
  PROP_ENVIRONMENT,
  PROP_FILE_NAME,
  PROP_REMOTE_ID,
  PROP_LINK,
  PROP_LINK_EXPIRES,
  PROP_REMOTE_STATUS,
  PROP_HTTP_STATUS,
  PROP_MESSAGE,
  PROP_REQUEST_ID,
  PROP_SUCCESS,
  PROP_MERCHANT_ID,
  PROP_SHA256,
  PROP_SIZE,
  PROP_REQUIREMENT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DossierHistoryEntry, dossier_history_entry, G_TYPE_OBJECT)

/* -------------------------------------------------------------------------- */
/* Making one                                                                 */

/* A URL without its query and fragment: a signed link carries its
 * signature there */
static char *
url_without_query (const char *url)
{
  return g_strndup (url, strcspn (url, "?#"));
}

DossierHistoryEntry *
dossier_history_entry_new_for_upload (DossierProvider    *provider,
                                      const char         *environment,
                                      DossierUpload      *upload,
                                      const char * const *hide)
{
  DossierHistoryEntry *self;
  const DossierResult *result;
  g_autofree char *name = NULL;
  g_autoptr(DossierRedact) redact = dossier_redact_new ();

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (upload), NULL);

  self = g_object_new (DOSSIER_TYPE_HISTORY_ENTRY, NULL);
  result = dossier_upload_get_result (upload);
  dossier_redact_add_strv (redact, hide);

  self->finished_at = g_date_time_new_now_utc ();
  self->provider_id = g_strdup (dossier_provider_get_id (provider));
  self->provider_name = g_strdup (dossier_provider_get_name (provider));
  self->environment = g_strdup (environment);
  if (dossier_upload_get_file (upload) != NULL)
    name = g_strdup (dossier_upload_get_display_name (upload));
  else
    name = url_without_query (dossier_upload_get_display_name (upload));
  self->file_name = dossier_redact_apply_data (redact, name);
  self->success = dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_DONE;
  self->record_id = g_strdup (dossier_upload_get_record_id (upload));
  self->sha256 = g_strdup (dossier_upload_get_sha256 (upload));
  self->size = dossier_upload_get_size (upload);
  /* only DONE and FAILED are final answers; an upload that ends any other
   * way may have arrived */
  switch (dossier_upload_get_state (upload))
    {
    case DOSSIER_UPLOAD_STATE_DONE:
      self->outcome = g_strdup ("sent");
      break;
    case DOSSIER_UPLOAD_STATE_FAILED:
      self->outcome = g_strdup ("failed");
      break;
    default:
      self->outcome = g_strdup ("unknown");
      break;
    }
  /* what may have happened, in the words the clerk was told */
  if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_UNKNOWN)
    self->message = dossier_redact_apply (redact, dossier_upload_get_problem (upload));

  if (result != NULL)
    {
      self->remote_id = dossier_redact_apply_data (redact, result->remote_id);
      self->link = dossier_redact_apply_data (redact, result->link);
      if (result->link_expires != NULL)
        self->link_expires = g_date_time_to_utc (result->link_expires);
      self->remote_status = dossier_redact_apply_data (redact, result->status);
      self->http_status = result->http_status;
      self->request_id = dossier_redact_apply_data (redact, result->request_id);
      if (!self->success && self->message == NULL)
        self->message = dossier_redact_apply (redact, result->message);
    }

  /* a failure without the provider's words: what the clerk was told */
  if (!self->success && self->message == NULL)
    self->message = dossier_redact_apply (redact, dossier_upload_get_problem (upload));

  return self;
}

/* Frees what *@field holds unless it is in the entry's block */
static void
clear_values (DossierHistoryEntry   *self,
              char                ***field)
{
  char *old = (char *) g_steal_pointer (field);

  if (old != NULL && (self->strings == NULL || old < self->strings ||
                      old >= self->strings + self->strings_len))
    g_free (old);
}

/* A member holding an object of string values, if any */
static void
read_values (JsonObject   *object,
             const char   *name,
             char       ***out_values)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonObject *members;
  g_autoptr(GList) names = NULL;
  g_autoptr(GArray) values = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  members = json_node_get_object (node);
  names = json_object_get_members (members);
  values = g_array_new (FALSE, FALSE, sizeof (DossierHistoryValue));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value = _dossier_json_get_string (members, l->data);
      DossierHistoryValue pair = { l->data, strlen (l->data), value, 0 };

      if (value == NULL)
        continue;
      pair.value_len = strlen (value);
      g_array_append_val (values, pair);
    }
  *out_values = _dossier_history_values_pack ((DossierHistoryValue *) values->data, values->len);
}

static void
add_values (JsonBuilder  *builder,
            const char   *name,
            char        **values)
{
  if (values == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; values[i] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, values[i]);
      json_builder_add_string_value (builder, values[i + 1]);
    }
  json_builder_end_object (builder);
}

static char **
redact_values (DossierRedact *redact,
               GHashTable    *values)
{
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GPtrArray) redacted = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (values == NULL || g_hash_table_size (values) == 0)
    return NULL;

  pairs = g_array_new (FALSE, FALSE, sizeof (DossierHistoryValue));
  redacted = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      char *masked = dossier_redact_apply_data (redact, value);
      DossierHistoryValue pair = { key, strlen (key), masked, strlen (masked) };

      g_ptr_array_add (redacted, masked);
      g_array_append_val (pairs, pair);
    }
  return _dossier_history_values_pack ((DossierHistoryValue *) pairs->data, pairs->len);
}

/**
 * _dossier_history_entry_set_merchant:
 * @merchant_id: (nullable): the merchant it was sent for, or %NULL
 * @account: (nullable): the account-scope values sent
 * @document: (nullable): the document-scope values sent
 * @requirement_id: (nullable): the requirement it answers
 * @hide: credentials to mask, as for dossier_history_entry_new_for_upload()
 *
 * What the submission knows of an entry it just made: every value passes
 * through the same masking as the rest of the entry.
 */
void
_dossier_history_entry_set_merchant (DossierHistoryEntry *self,
                                     const char          *merchant_id,
                                     GHashTable          *account,
                                     GHashTable          *document,
                                     const char          *requirement_id,
                                     const char * const  *hide)
{
  g_autoptr(DossierRedact) redact = dossier_redact_new ();

  g_return_if_fail (DOSSIER_IS_HISTORY_ENTRY (self));

  dossier_redact_add_strv (redact, hide);
  _dossier_history_entry_set_string (self, &self->merchant_id,
                                     merchant_id != NULL && *merchant_id != '\0' ? g_strdup (merchant_id) : NULL);
  clear_values (self, &self->account);
  self->account = redact_values (redact, account);
  clear_values (self, &self->document);
  self->document = redact_values (redact, document);
  _dossier_history_entry_set_string (self, &self->requirement_id,
                                     requirement_id != NULL ? dossier_redact_apply_data (redact, requirement_id) : NULL);
}

DossierHistoryEntry *
dossier_history_entry_new_from_json (JsonObject  *object,
                                     GError     **error)
{
  g_autoptr(DossierHistoryEntry) self = NULL;
  gint64 status;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_HISTORY_ENTRY, NULL);
  if (!_dossier_json_read_time (object, "finished_at", &self->finished_at))
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                           "history entry without a valid finished_at");
      return NULL;
    }

  self->provider_id = _dossier_json_dup_string (object, "provider_id");
  self->file_name = _dossier_json_dup_string (object, "file_name");
  if (self->provider_id == NULL || self->file_name == NULL)
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                           "history entry without provider_id or file_name");
      return NULL;
    }

  self->provider_name = _dossier_json_dup_string (object, "provider_name");
  if (self->provider_name == NULL)
    self->provider_name = g_strdup (self->provider_id);
  self->environment = _dossier_json_dup_string (object, "environment");
  self->remote_id = _dossier_json_dup_string (object, "remote_id");
  self->link = _dossier_json_dup_string (object, "link");
  _dossier_json_read_time (object, "link_expires", &self->link_expires);
  self->remote_status = _dossier_json_dup_string (object, "remote_status");
  status = json_object_get_int_member_with_default (object, "http_status", 0);
  self->http_status = status > 0 && status < 1000 ? (guint) status : 0;
  self->message = _dossier_json_dup_string (object, "message");
  self->request_id = _dossier_json_dup_string (object, "request_id");
  self->success = json_object_get_boolean_member_with_default (object, "success", FALSE);
  self->record_id = _dossier_json_dup_string (object, "upload");
  self->outcome = _dossier_json_dup_string (object, "outcome");
  /* absent in older lines: no merchant, nothing known (see the struct) */
  self->merchant_id = _dossier_json_dup_string (object, "merchant_id");
  self->sha256 = _dossier_json_dup_string (object, "sha256");
  self->size = json_object_get_int_member_with_default (object, "size", -1);
  if (self->size < 0)
    self->size = -1;
  read_values (object, "account", &self->account);
  read_values (object, "document", &self->document);
  self->requirement_id = _dossier_json_dup_string (object, "requirement_id");
  self->decision_reason = _dossier_json_dup_string (object, "decision_reason");
  self->error_code = _dossier_json_dup_string (object, "error_code");
  _dossier_json_read_time (object, "decided_at", &self->decided_at);
  self->reconciled = json_object_get_boolean_member_with_default (object, "reconciled", FALSE);

  return g_steal_pointer (&self);
}

/* Folds a "status" line of the record into the entry: the provider's
 * status, why, when; a reconciled one (its outcome was unknown, the
 * provider's list holds it) reads sent, with the provider's id */
void
_dossier_history_entry_apply_status (DossierHistoryEntry *self,
                                     JsonObject          *status)
{
  const char *remote_id = _dossier_json_get_string (status, "remote_id");
  const char *remote_status = _dossier_json_get_string (status, "remote_status");
  g_autoptr(GDateTime) at = NULL;

  if (remote_id != NULL && self->remote_id == NULL)
    self->remote_id = g_strdup (remote_id);
  if (remote_status != NULL)
    _dossier_history_entry_set_string (self, &self->remote_status, g_strdup (remote_status));
  _dossier_history_entry_set_string (self, &self->decision_reason,
                                     _dossier_json_dup_string (status, "decision_reason"));
  _dossier_history_entry_set_string (self, &self->error_code,
                                     _dossier_json_dup_string (status, "error_code"));
  if (_dossier_json_read_time (status, "at", &at))
    {
      g_clear_pointer (&self->decided_at, g_date_time_unref);
      self->decided_at = g_steal_pointer (&at);
    }
  if (json_object_get_boolean_member_with_default (status, "reconciled", FALSE))
    {
      self->reconciled = TRUE;
      self->success = TRUE;
      _dossier_history_entry_set_string (self, &self->outcome, g_strdup ("sent"));
      _dossier_history_entry_set_string (self, &self->message, NULL);
    }
}

const char *
dossier_history_entry_get_decision_reason (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->decision_reason;
}

const char *
dossier_history_entry_get_error_code (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->error_code;
}

GDateTime *
dossier_history_entry_get_decided_at (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->decided_at;
}

gboolean
dossier_history_entry_get_reconciled (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), FALSE);
  return self->reconciled;
}

JsonNode *
dossier_history_entry_to_json (DossierHistoryEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);

  json_builder_begin_object (builder);
  _dossier_json_add_time (builder, "finished_at", self->finished_at);
  _dossier_json_add_string (builder, "provider_id", self->provider_id);
  _dossier_json_add_string (builder, "provider_name", self->provider_name);
  _dossier_json_add_string (builder, "environment", self->environment);
  _dossier_json_add_string (builder, "file_name", self->file_name);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, self->success);
  _dossier_json_add_string (builder, "remote_id", self->remote_id);
  _dossier_json_add_string (builder, "link", self->link);
  _dossier_json_add_time (builder, "link_expires", self->link_expires);
  _dossier_json_add_string (builder, "remote_status", self->remote_status);
  if (self->http_status != 0)
    {
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, self->http_status);
    }
  _dossier_json_add_string (builder, "message", self->message);
  _dossier_json_add_string (builder, "request_id", self->request_id);
  _dossier_json_add_string (builder, "upload", self->record_id);
  _dossier_json_add_string (builder, "outcome", self->outcome);
  _dossier_json_add_string (builder, "merchant_id", self->merchant_id);
  _dossier_json_add_string (builder, "sha256", self->sha256);
  _dossier_json_add_string (builder, "decision_reason", self->decision_reason);
  _dossier_json_add_string (builder, "error_code", self->error_code);
  _dossier_json_add_time (builder, "decided_at", self->decided_at);
  if (self->reconciled)
    {
      json_builder_set_member_name (builder, "reconciled");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (self->size >= 0)
    {
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, self->size);
    }
  add_values (builder, "account", self->account);
  add_values (builder, "document", self->document);
  _dossier_json_add_string (builder, "requirement_id", self->requirement_id);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* -------------------------------------------------------------------------- */
/* Reading                                                                    */

gboolean
dossier_history_entry_link_expired (DossierHistoryEntry *self,
                                    GDateTime           *now)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), FALSE);

  if (self->link == NULL || self->link_expires == NULL)
    return FALSE;
  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  return g_date_time_compare (now, self->link_expires) >= 0;
}

/**
 * dossier_history_entry_describe_failure:
 *
 * The sentence dossier_result_describe_failure() writes for the answer this
 * entry keeps, so the history says what the upload page said.
 *
 * Returns: (transfer full) (nullable): NULL for an upload that was sent
 */
char *
dossier_history_entry_describe_failure (DossierHistoryEntry *self)
{
  g_autoptr(DossierResult) result = NULL;

  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);

  if (self->success)
    return NULL;

  result = dossier_result_new ();
  dossier_result_set_provider_name (result, self->provider_name);
  result->http_status = self->http_status;
  result->message = g_strdup (self->message);
  result->request_id = g_strdup (self->request_id);

  return dossier_result_describe_failure (result);
}

char *
dossier_history_entry_format_time (DossierHistoryEntry *self,
                                   GDateTime           *now)
{
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *date = NULL;
  int y, m, d, ny, nm, nd, yy, ym, yd;

  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  local = g_date_time_to_local (self->finished_at);
  local_now = g_date_time_to_local (now);
  yesterday = g_date_time_add_days (local_now, -1);
  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_time_get_ymd (local_now, &ny, &nm, &nd);
  g_date_time_get_ymd (yesterday, &yy, &ym, &yd);
  clock = g_date_time_format (local, "%H:%M");

  if (y == ny && m == nm && d == nd)
    /* Translators: when an upload finished: "today 14:03" */
    return g_strdup_printf (_("today %s"), clock);
  if (y == yy && m == ym && d == yd)
    /* Translators: when an upload finished: "yesterday 14:03" */
    return g_strdup_printf (_("yesterday %s"), clock);

  /* Translators: a date as g_date_time_format() writes it, "3 Mar 2026" */
  date = g_date_time_format (local, _("%e %b %Y"));
  g_strstrip (date);
  /* Translators: when an upload finished: "3 Mar 2026 14:03" */
  return g_strdup_printf (_("%s %s"), date, clock);
}

GDateTime *
dossier_history_entry_get_finished_at (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->finished_at;
}

const char *
dossier_history_entry_get_provider_id (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->provider_id;
}

const char *
dossier_history_entry_get_provider_name (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->provider_name;
}

const char *
dossier_history_entry_get_environment (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->environment;
}

const char *
dossier_history_entry_get_file_name (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->file_name;
}

const char *
dossier_history_entry_get_remote_id (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->remote_id;
}

const char *
dossier_history_entry_get_link (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->link;
}

GDateTime *
dossier_history_entry_get_link_expires (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->link_expires;
}

const char *
dossier_history_entry_get_remote_status (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->remote_status;
}

guint
dossier_history_entry_get_http_status (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), 0);
  return self->http_status;
}

const char *
dossier_history_entry_get_message (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->message;
}

const char *
dossier_history_entry_get_request_id (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->request_id;
}

/* The upload's id in the record; NULL in entries older versions wrote */
const char *
dossier_history_entry_get_record_id (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->record_id;
}

/* "sent", "failed" or "unknown" (the answer was lost after the body went
 * out); NULL in entries older versions wrote */
const char *
dossier_history_entry_get_outcome (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->outcome;
}

/**
 * dossier_history_entry_get_outcome_unknown:
 *
 * Returns: whether the file was sent whole but its answer was lost (or was
 *   a server failure): it may have arrived
 */
gboolean
dossier_history_entry_get_outcome_unknown (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), FALSE);
  return !self->success && g_strcmp0 (self->outcome, "unknown") == 0;
}

gboolean
dossier_history_entry_get_success (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), FALSE);
  return self->success;
}

/* The merchant it was sent for; NULL: none (and in every line written
 * before merchants existed) */
const char *
dossier_history_entry_get_merchant_id (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->merchant_id;
}

/* The file's SHA-256 in lowercase hex; NULL when not known */
const char *
dossier_history_entry_get_sha256 (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->sha256;
}

gint64
dossier_history_entry_get_size (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), -1);
  return self->size;
}

const char *
dossier_history_entry_get_requirement_id (DossierHistoryEntry *self)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  return self->requirement_id;
}

/* An account value it was sent with, or NULL */
const char *
dossier_history_entry_get_account_value (DossierHistoryEntry *self,
                                         const char          *name)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return _dossier_history_values_lookup (self->account, name);
}

/* A document value (category, code, purpose…) it was sent with, or NULL */
const char *
dossier_history_entry_get_document_value (DossierHistoryEntry *self,
                                          const char          *name)
{
  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return _dossier_history_values_lookup (self->document, name);
}

/**
 * dossier_history_account_key:
 * @account: (nullable): account values, name -> value
 *
 * The account as one string ("name=value" lines, sorted), so that two
 * uploads went to the same account exactly when their keys are equal.
 * No values (Kore.ai has none) give "".
 *
 * Returns: (transfer full)
 */
char *
dossier_history_account_key (GHashTable *account)
{
  GString *key = g_string_new (NULL);
  g_autoptr(GList) names = NULL;

  if (account == NULL)
    return g_string_free (key, FALSE);

  names = g_list_sort (g_hash_table_get_keys (account), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (account, l->data);

      if (value == NULL || *value == '\0')
        continue;
      g_string_append_printf (key, "%s=%s\n", (const char *) l->data, value);
    }
  return g_string_free (key, FALSE);
}

/* The key of the account it was sent to (see dossier_history_account_key()) */
char *
dossier_history_entry_dup_account_key (DossierHistoryEntry *self)
{
  GString *key = g_string_new (NULL);

  g_return_val_if_fail (DOSSIER_IS_HISTORY_ENTRY (self), NULL);

  /* as dossier_history_account_key() says it: the names are sorted */
  for (guint i = 0; self->account != NULL && self->account[i] != NULL; i += 2)
    if (*self->account[i + 1] != '\0')
      g_string_append_printf (key, "%s=%s\n", self->account[i], self->account[i + 1]);
  return g_string_free (key, FALSE);
}

void
_dossier_history_entry_set_string (DossierHistoryEntry  *self,
                                   char                **field,
                                   char                 *value)
{
  char *old = *field;

  *field = value;
  if (old != NULL && (self->strings == NULL || old < self->strings ||
                      old >= self->strings + self->strings_len))
    g_free (old);
}

/* -------------------------------------------------------------------------- */
/* GObject                                                                    */

static void
dossier_history_entry_finalize (GObject *object)
{
  DossierHistoryEntry *self = DOSSIER_HISTORY_ENTRY (object);

  g_clear_pointer (&self->finished_at, g_date_time_unref);
  g_clear_pointer (&self->link_expires, g_date_time_unref);
  {
    char **strings[] = {
      &self->provider_id, &self->provider_name, &self->environment, &self->file_name,
      &self->remote_id, &self->link, &self->remote_status, &self->message,
      &self->request_id, &self->record_id, &self->outcome, &self->merchant_id,
      &self->sha256, &self->requirement_id, &self->decision_reason, &self->error_code,
    };

    for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
      _dossier_history_entry_set_string (self, strings[i], NULL);
  }
  clear_values (self, &self->account);
  clear_values (self, &self->document);
  g_clear_pointer (&self->strings, g_free);
  g_clear_pointer (&self->decided_at, g_date_time_unref);

  G_OBJECT_CLASS (dossier_history_entry_parent_class)->finalize (object);
}

static void
dossier_history_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DossierHistoryEntry *self = DOSSIER_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_FINISHED_AT:
      g_value_set_boxed (value, self->finished_at);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case PROP_ENVIRONMENT:
      g_value_set_string (value, self->environment);
      break;
    case PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    case PROP_REMOTE_ID:
      g_value_set_string (value, self->remote_id);
      break;
    case PROP_LINK:
      g_value_set_string (value, self->link);
      break;
    case PROP_LINK_EXPIRES:
      g_value_set_boxed (value, self->link_expires);
      break;
    case PROP_REMOTE_STATUS:
      g_value_set_string (value, self->remote_status);
      break;
    case PROP_HTTP_STATUS:
      g_value_set_uint (value, self->http_status);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_REQUEST_ID:
      g_value_set_string (value, self->request_id);
      break;
    case PROP_SUCCESS:
      g_value_set_boolean (value, self->success);
      break;
    case PROP_MERCHANT_ID:
      g_value_set_string (value, self->merchant_id);
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_REQUIREMENT_ID:
      g_value_set_string (value, self->requirement_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_history_entry_class_init (DossierHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = dossier_history_entry_finalize;
  object_class->get_property = dossier_history_entry_get_property;

  properties[PROP_FINISHED_AT] = g_param_spec_boxed ("finished-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_PROVIDER_ID] = g_param_spec_string ("provider-id", NULL, NULL, NULL, ro);
  properties[PROP_PROVIDER_NAME] = g_param_spec_string ("provider-name", NULL, NULL, NULL, ro);
  properties[PROP_ENVIRONMENT] = g_param_spec_string ("environment", NULL, NULL, NULL, ro);
  properties[PROP_FILE_NAME] = g_param_spec_string ("file-name", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE_ID] = g_param_spec_string ("remote-id", NULL, NULL, NULL, ro);
  properties[PROP_LINK] = g_param_spec_string ("link", NULL, NULL, NULL, ro);
  properties[PROP_LINK_EXPIRES] = g_param_spec_boxed ("link-expires", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_REMOTE_STATUS] = g_param_spec_string ("remote-status", NULL, NULL, NULL, ro);
  properties[PROP_HTTP_STATUS] = g_param_spec_uint ("http-status", NULL, NULL, 0, 999, 0, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_REQUEST_ID] = g_param_spec_string ("request-id", NULL, NULL, NULL, ro);
  properties[PROP_SUCCESS] = g_param_spec_boolean ("success", NULL, NULL, FALSE, ro);
  properties[PROP_MERCHANT_ID] = g_param_spec_string ("merchant-id", NULL, NULL, NULL, ro);
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, ro);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_REQUIREMENT_ID] = g_param_spec_string ("requirement-id", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_history_entry_init (DossierHistoryEntry *self)
{
  self->size = -1;
}
