/* dossier-sandbox-moov-capabilities.c: Moov's capabilities and their requirements, and files read back
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every account starts with the same capabilities (see initial_capabilities):
 * some enabled, collect-funds and send-funds pending with document
 * requirements currently due.  A file uploaded with a metadata
 * requirement_id that is currently due answers it: the requirement leaves
 * currentlyDue, the file stays "pending" and a capability with nothing more
 * due goes "in-review" until POST /_sandbox/moov/review approves the files
 * (then "enabled").  A moov/requirement fault makes the answer fail instead:
 * the file is "rejected" with a decisionReason, the requirement stays due and
 * requirements.errors names it with the fault's errorCode.  A file with a
 * requirement_id that is not due (or none) changes nothing.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

typedef struct
{
  char      *capability;
  char      *status;
  GPtrArray *due;        /* requirement ids (char *) */
  GPtrArray *errors;     /* MoovError */
  char      *created;
  char      *updated;
} MoovCapability;

typedef struct
{
  char *requirement;
  char *code;
} MoovError;

/* capability, then its requirements; REP stands for the representative's id */
static const char * const initial_capabilities[][6] = {
  { "transfers", NULL },
  { "collect-funds", "document.business.verification", "document.representative.REP.verification",
    "document.representative.REP.tin", "business.underwriting-documents-tier-one", NULL },
  { "send-funds", "document.business.verification", NULL },
  { "wallet", NULL },
};

/* the documented error codes, with the decisionReason a rejected file gets */
static const char * const error_reasons[][2] = {
  { "invalid-value", "a value in the document is not valid" },
  { "failed-automatic-verification", "the document could not be verified automatically" },
  { "failed-other", "the document was not accepted" },
  { "invalid-address", "the address in the document is not valid" },
  { "address-restricted", "the address in the document is in a restricted area" },
  { "tax-id-mismatch", "the tax ID does not match the document" },
  { "document-id-mismatch", "the ID number does not match the document" },
  { "document-date-of-birth-mismatch", "the date of birth does not match the document" },
  { "document-name-mismatch", "the name does not match the document" },
  { "document-address.mismatch", "the address does not match the document" },
  { "document-number-mismatch", "the document number does not match" },
  { "document-incomplete", "the document is incomplete" },
  { "document-failed-risk", "the document failed the risk review" },
  { "document-illegible", "the document could not be read" },
  { "document-unsupported", "this kind of document is not supported" },
  { "document-not-uploaded", "the document was not uploaded" },
  { "document-corrupt", "the file is corrupt" },
  { "document-expired", "the document has expired" },
};

static void
moov_error_free (gpointer data)
{
  MoovError *error = data;

  g_free (error->requirement);
  g_free (error->code);
  g_free (error);
}

static void
moov_capability_free (gpointer data)
{
  MoovCapability *cap = data;

  g_free (cap->capability);
  g_free (cap->status);
  g_ptr_array_unref (cap->due);
  g_ptr_array_unref (cap->errors);
  g_free (cap->created);
  g_free (cap->updated);
  g_free (cap);
}

void
_dossier_sandbox_moov_account_free (gpointer data)
{
  DossierSandboxMoovAccount *account = data;

  g_free (account->id);
  g_ptr_array_unref (account->files);
  g_ptr_array_unref (account->capabilities);
  g_ptr_array_unref (account->in_review);
  g_free (account);
}

static const char *
error_reason (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_reasons); i++)
    if (g_str_equal (error_reasons[i][0], code))
      return error_reasons[i][1];
  return NULL;
}

gboolean
_dossier_sandbox_moov_error_code_known (const char *code)
{
  return code != NULL && error_reason (code) != NULL;
}

/* The state of @account (a valid account id), made with the initial
 * capabilities the first time it is asked for */
DossierSandboxMoovAccount *
_dossier_sandbox_moov_account (DossierSandbox *self,
                               const char     *account)
{
  DossierSandboxMoovAccount *state = g_hash_table_lookup (self->moov_accounts, account);
  g_autofree char *now = NULL;

  if (state != NULL)
    return state;

  now = _dossier_sandbox_now_iso8601 (0, FALSE);
  state = g_new0 (DossierSandboxMoovAccount, 1);
  state->id = g_strdup (account);
  state->files = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  state->capabilities = g_ptr_array_new_with_free_func (moov_capability_free);
  state->in_review = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (initial_capabilities); i++)
    {
      MoovCapability *cap = g_new0 (MoovCapability, 1);

      cap->capability = g_strdup (initial_capabilities[i][0]);
      cap->due = g_ptr_array_new_with_free_func (g_free);
      cap->errors = g_ptr_array_new_with_free_func (moov_error_free);
      for (guint j = 1; initial_capabilities[i][j] != NULL; j++)
        {
          g_auto(GStrv) parts = g_strsplit (initial_capabilities[i][j], "REP", 2);

          g_ptr_array_add (cap->due, g_strjoinv (DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID, parts));
        }
      cap->status = g_strdup (cap->due->len > 0 ? "pending" : "enabled");
      cap->created = g_strdup (now);
      cap->updated = g_strdup (now);
      g_ptr_array_add (state->capabilities, cap);
    }

  g_hash_table_insert (self->moov_accounts, g_strdup (account), state);
  return state;
}

static gboolean
find_due (MoovCapability *cap,
          const char     *requirement,
          guint          *index)
{
  return g_ptr_array_find_with_equal_func (cap->due, requirement, g_str_equal, index);
}

static void
set_status (MoovCapability *cap,
            const char     *status,
            const char     *now)
{
  g_free (cap->status);
  cap->status = g_strdup (status);
  g_free (cap->updated);
  cap->updated = g_strdup (now);
}

/* Puts {requirement, errorCode} in @cap's errors, replacing one for the same
 * requirement; @code NULL only removes it */
static void
set_error (MoovCapability *cap,
           const char     *requirement,
           const char     *code)
{
  MoovError *error;

  for (guint i = 0; i < cap->errors->len; i++)
    if (g_str_equal (((MoovError *) g_ptr_array_index (cap->errors, i))->requirement, requirement))
      g_ptr_array_remove_index (cap->errors, i--);

  if (code == NULL)
    return;
  error = g_new0 (MoovError, 1);
  error->requirement = g_strdup (requirement);
  error->code = g_strdup (code);
  g_ptr_array_add (cap->errors, error);
}

static void
update_file (JsonNode   *details,
             const char *status,
             const char *reason,
             const char *now)
{
  JsonObject *obj = json_node_get_object (details);

  json_object_set_string_member (obj, "fileStatus", status);
  if (reason != NULL)
    json_object_set_string_member (obj, "decisionReason", reason);
  json_object_set_string_member (obj, "updatedOn", now);
}

/* A file was stored for @account: the requirement its metadata names, when
 * currently due, is answered (or fails, when a fault says so) */
void
_dossier_sandbox_moov_file_arrived (DossierSandbox            *self,
                                    DossierSandboxMoovAccount *account,
                                    JsonNode                  *details)
{
  JsonObject *obj = json_node_get_object (details);
  const char *metadata = json_object_get_string_member_with_default (obj, "metadata", "{}");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DossierSandboxFault) fault = NULL;
  g_autofree char *now = NULL;
  JsonObject *meta = _dossier_sandbox_parse_json_object (metadata, strlen (metadata), &root);
  const char *requirement = meta ? _dossier_sandbox_json_get_string (meta, "requirement_id") : NULL;
  gboolean due = FALSE;

  if (requirement == NULL)
    return;
  for (guint i = 0; i < account->capabilities->len; i++)
    due |= find_due (g_ptr_array_index (account->capabilities, i), requirement, NULL);
  if (!due)
    return;

  now = _dossier_sandbox_now_iso8601 (0, FALSE);
  fault = _dossier_sandbox_claim_fault (self, "moov", "requirement", -1, FALSE, requirement);
  if (fault != NULL)
    {
      g_autofree char *reason = g_strdup_printf ("%s: %s", fault->error_code,
                                                 error_reason (fault->error_code));

      update_file (details, "rejected", reason, now);
    }
  else
    g_ptr_array_add (account->in_review,
                     g_strdup (json_object_get_string_member (obj, "fileID")));

  for (guint i = 0; i < account->capabilities->len; i++)
    {
      MoovCapability *cap = g_ptr_array_index (account->capabilities, i);
      guint index;

      if (!find_due (cap, requirement, &index))
        continue;

      if (fault != NULL)
        {
          set_error (cap, requirement, fault->error_code);
          set_status (cap, "pending", now);
          continue;
        }

      g_ptr_array_remove_index (cap->due, index);
      set_error (cap, requirement, NULL);
      set_status (cap, cap->due->len == 0 && cap->errors->len == 0 ? "in-review" : "pending", now);
    }
}

/* TRUE when @cap asked for @requirement when the account was made */
static gboolean
cap_needs (MoovCapability *cap,
           const char     *requirement)
{
  for (guint i = 0; i < G_N_ELEMENTS (initial_capabilities); i++)
    {
      if (!g_str_equal (initial_capabilities[i][0], cap->capability))
        continue;
      for (guint j = 1; initial_capabilities[i][j] != NULL; j++)
        {
          g_auto(GStrv) parts = g_strsplit (initial_capabilities[i][j], "REP", 2);
          g_autofree char *id = g_strjoinv (DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID, parts);

          if (g_str_equal (id, requirement))
            return TRUE;
        }
    }
  return FALSE;
}

/* Decides one pending file of @account: approved, or rejected with the
 * documented error @code (then the requirement its metadata names is due
 * again with that error on every capability that needs it).  A file
 * already decided is left as it is; FALSE then. */
gboolean
_dossier_sandbox_moov_decide (DossierSandbox            *self,
                              DossierSandboxMoovAccount *account,
                              JsonNode                  *details,
                              gboolean                   approve,
                              const char                *code)
{
  JsonObject *obj = json_node_get_object (details);
  const char *id = json_object_get_string_member (obj, "fileID");
  const char *metadata = json_object_get_string_member_with_default (obj, "metadata", "{}");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *meta = _dossier_sandbox_parse_json_object (metadata, strlen (metadata), &root);
  const char *requirement = meta ? _dossier_sandbox_json_get_string (meta, "requirement_id") : NULL;
  g_autofree char *now = _dossier_sandbox_now_iso8601 (0, FALSE);
  guint index;

  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "fileStatus", ""), "pending") != 0)
    return FALSE;
  if (g_ptr_array_find_with_equal_func (account->in_review, id, g_str_equal, &index))
    g_ptr_array_remove_index (account->in_review, index);

  if (approve)
    {
      update_file (details, "approved", NULL, now);
      for (guint i = 0; account->in_review->len == 0 && i < account->capabilities->len; i++)
        {
          MoovCapability *cap = g_ptr_array_index (account->capabilities, i);

          if (g_str_equal (cap->status, "in-review"))
            set_status (cap, "enabled", now);
        }
      return TRUE;
    }

  {
    g_autofree char *reason = g_strdup_printf ("%s: %s", code, error_reason (code));

    update_file (details, "rejected", reason, now);
  }
  for (guint i = 0; requirement != NULL && i < account->capabilities->len; i++)
    {
      MoovCapability *cap = g_ptr_array_index (account->capabilities, i);

      if (!cap_needs (cap, requirement))
        continue;
      if (!find_due (cap, requirement, NULL))
        g_ptr_array_add (cap->due, g_strdup (requirement));
      set_error (cap, requirement, code);
      set_status (cap, "pending", now);
    }
  return TRUE;
}

/* The sandbox's reviewer: a file whose name holds "blurry" is rejected as
 * document-illegible, any other approved */
gboolean
_dossier_sandbox_moov_review_file (DossierSandbox            *self,
                                   DossierSandboxMoovAccount *account,
                                   JsonNode                  *details)
{
  const char *name = json_object_get_string_member_with_default (json_node_get_object (details),
                                                                 "fileName", "");
  g_autofree char *folded = g_utf8_casefold (name, -1);

  if (strstr (folded, "blurry") != NULL)
    return _dossier_sandbox_moov_decide (self, account, details, FALSE, "document-illegible");
  return _dossier_sandbox_moov_decide (self, account, details, TRUE, NULL);
}

/* The file @file_id of any account, and its account; NULL when none */
JsonNode *
_dossier_sandbox_moov_find_file (DossierSandbox             *self,
                                 const char                 *file_id,
                                 DossierSandboxMoovAccount **out_account)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->moov_accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DossierSandboxMoovAccount *account = value;

      for (guint i = 0; i < account->files->len; i++)
        {
          JsonNode *details = g_ptr_array_index (account->files, i);

          if (g_ascii_strcasecmp (json_object_get_string_member (json_node_get_object (details), "fileID"),
                                  file_id) == 0)
            {
              *out_account = account;
              return details;
            }
        }
    }
  return NULL;
}

/* POST /_sandbox/moov/review without a body: the files that answered a
 * requirement are approved, and capabilities in review are enabled (with a
 * body, dossier-sandbox-review.c decides) */
void
_dossier_sandbox_moov_review (DossierSandbox        *self,
                              SoupServerMessage     *msg,
                              DossierSandboxRequest *ctx)
{
  g_autofree char *now = _dossier_sandbox_now_iso8601 (0, FALSE);
  GHashTableIter iter;
  gpointer value;

  if (_dossier_sandbox_review_control (self, msg, ctx))
    return;

  g_hash_table_iter_init (&iter, self->moov_accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DossierSandboxMoovAccount *account = value;

      for (guint i = 0; i < account->files->len; i++)
        {
          JsonNode *details = g_ptr_array_index (account->files, i);
          const char *id = json_object_get_string_member (json_node_get_object (details), "fileID");

          if (g_ptr_array_find_with_equal_func (account->in_review, id, g_str_equal, NULL))
            update_file (details, "approved", NULL, now);
        }
      g_ptr_array_set_size (account->in_review, 0);

      for (guint i = 0; i < account->capabilities->len; i++)
        {
          MoovCapability *cap = g_ptr_array_index (account->capabilities, i);

          if (g_str_equal (cap->status, "in-review"))
            set_status (cap, "enabled", now);
        }
    }

  _dossier_sandbox_reply_ok (msg);
}

static JsonNode *
capability_node (DossierSandboxMoovAccount *account,
                 MoovCapability            *cap)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "capability", cap->capability);
  _dossier_sandbox_add_string (b, "accountID", account->id);
  _dossier_sandbox_add_string (b, "status", cap->status);
  json_builder_set_member_name (b, "requirements");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "currentlyDue");
  json_builder_begin_array (b);
  for (guint i = 0; i < cap->due->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (cap->due, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  for (guint i = 0; i < cap->errors->len; i++)
    {
      MoovError *error = g_ptr_array_index (cap->errors, i);

      json_builder_begin_object (b);
      _dossier_sandbox_add_string (b, "requirement", error->requirement);
      _dossier_sandbox_add_string (b, "errorCode", error->code);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  _dossier_sandbox_add_string (b, "createdOn", cap->created);
  _dossier_sandbox_add_string (b, "updatedOn", cap->updated);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* GET /accounts/{accountID}/capabilities */
void
_dossier_sandbox_moov_capabilities (DossierSandbox        *self,
                                    SoupServerMessage     *msg,
                                    DossierSandboxRequest *ctx)
{
  const char *id = g_ptr_array_index (ctx->params, 0);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();
  DossierSandboxMoovAccount *account;

  json_node_take_array (node, array);
  if (!_dossier_sandbox_moov_authorize (self, msg, id, "capabilities.read", FALSE))
    return;

  account = _dossier_sandbox_moov_account (self, id);
  for (guint i = 0; i < account->capabilities->len; i++)
    json_array_add_element (array, capability_node (account, g_ptr_array_index (account->capabilities, i)));

  _dossier_sandbox_reply_json_node (msg, 200, node);
}

/* GET /accounts/{accountID}/capabilities/{capabilityID} */
void
_dossier_sandbox_moov_capability (DossierSandbox        *self,
                                  SoupServerMessage     *msg,
                                  DossierSandboxRequest *ctx)
{
  const char *id = g_ptr_array_index (ctx->params, 0);
  const char *capability = g_ptr_array_index (ctx->params, 1);
  DossierSandboxMoovAccount *account;

  if (!_dossier_sandbox_moov_authorize (self, msg, id, "capabilities.read", FALSE))
    return;

  account = _dossier_sandbox_moov_account (self, id);
  for (guint i = 0; i < account->capabilities->len; i++)
    {
      MoovCapability *cap = g_ptr_array_index (account->capabilities, i);

      if (g_str_equal (cap->capability, capability))
        {
          g_autoptr(JsonNode) node = capability_node (account, cap);

          _dossier_sandbox_reply_json_node (msg, 200, node);
          return;
        }
    }

  _dossier_sandbox_reply_empty (msg, 404);
}

/* GET /accounts/{accountID}/files/{fileID} */
void
_dossier_sandbox_moov_file_get (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx)
{
  const char *id = g_ptr_array_index (ctx->params, 0);
  const char *file = g_ptr_array_index (ctx->params, 1);
  DossierSandboxMoovAccount *account;

  if (!_dossier_sandbox_moov_authorize (self, msg, id, "files.read", FALSE))
    return;

  account = _dossier_sandbox_moov_account (self, id);
  for (guint i = 0; i < account->files->len; i++)
    {
      JsonNode *details = g_ptr_array_index (account->files, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (json_node_get_object (details), "fileID"),
                              file) == 0)
        {
          _dossier_sandbox_reply_json_node (msg, 200, details);
          return;
        }
    }

  _dossier_sandbox_reply_empty (msg, 404);
}
