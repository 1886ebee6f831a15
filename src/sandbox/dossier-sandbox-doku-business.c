/* dossier-sandbox-doku-business.c: DOKU's Get Business Data, its review states, and Request-Id replays
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /adv-core-api/partner/v1.0/business/{client id} (signed like File
 * Requirements, with the four query parameters when given) answers
 * {id: "BSN-…", partner: Client-Id, brands: [{id, finance_status,
 * risk_engine_status, photo_proofs: [{id, photo}], documents: [{id,
 * category, code, status}]}]}.  DOKU documents the first members only; the
 * "documents" list is the sandbox's own reading of where a brand's review
 * states would be: every document uploaded to the sandbox, "ON_PROCESS"
 * until reviewed (dossier-sandbox-review.c), then "APPROVED", "REJECTED" or
 * "NEED_SIGNATURE" (a value DOKU does not document: a client must show it as
 * it comes).  Uploads carry no business id, so every business lists them all.
 *
 * Idempotency (DOKU documents it for its API in general, not for Upload
 * File): an upload that repeats a Request-Id already answered with success
 * is not stored again.  With the same form (category, code, file_url and
 * the file's SHA-256) it answers 409 with the earlier answer's body, which
 * a client treats as that earlier success; with another form it answers
 * 409 DUPLICATE_REQUEST_ID and nothing else.  An upload without Request-Id
 * is stored as before.
 */

#include "config.h"

#include <string.h>

#include "dossier-sandbox-private.h"

typedef struct
{
  char     *key;
  JsonNode *answer;
} Replay;

static void
replay_free (gpointer data)
{
  Replay *replay = data;

  g_free (replay->key);
  json_node_unref (replay->answer);
  g_free (replay);
}

void
_dossier_sandbox_doku_business_init (DossierSandbox *self)
{
  self->doku_replays = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, replay_free);
  self->doku_documents = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
}

void
_dossier_sandbox_doku_business_clear (DossierSandbox *self)
{
  g_clear_pointer (&self->doku_replays, g_hash_table_unref);
  g_clear_pointer (&self->doku_documents, g_ptr_array_unref);
}

/* What makes two uploads the same request */
char *
_dossier_sandbox_doku_request_key (GPtrArray                         *parts,
                                   const DossierSandboxMultipartPart *file)
{
  const char *names[] = { "category", "code", "file_url" };
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = _dossier_sandbox_form_field (parts, names[i]);

      g_string_append_printf (key, "%s=%s\n", names[i], value != NULL ? value : "");
    }
  g_string_append_printf (key, "file=%s\n", file != NULL && file->sha256 != NULL ? file->sha256 : "");
  return g_string_free (key, FALSE);
}

/* TRUE when the request's Request-Id was answered before: then answered 409 */
gboolean
_dossier_sandbox_doku_replay (DossierSandbox    *self,
                              SoupServerMessage *msg,
                              const char        *key)
{
  const char *request_id = _dossier_sandbox_header (msg, "Request-Id");
  Replay *replay;

  if (request_id == NULL || *request_id == '\0')
    return FALSE;
  if ((replay = g_hash_table_lookup (self->doku_replays, request_id)) == NULL)
    return FALSE;

  if (g_str_equal (replay->key, key))
    _dossier_sandbox_reply_json_node (msg, 409, replay->answer);
  else
    _dossier_sandbox_reply_error (msg, "doku", 409, "DUPLICATE_REQUEST_ID",
                                  "Request-Id was already used for another request");
  return TRUE;
}

/* A document was stored and answered with @answer */
void
_dossier_sandbox_doku_stored (DossierSandbox    *self,
                              SoupServerMessage *msg,
                              const char        *key,
                              JsonNode          *answer,
                              const char        *category,
                              const char        *code,
                              const char        *file_name)
{
  const char *request_id = _dossier_sandbox_header (msg, "Request-Id");
  JsonObject *obj = json_node_get_object (answer);
  const char *id = json_object_get_string_member (obj, "id");
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (request_id != NULL && *request_id != '\0')
    {
      Replay *replay = g_new0 (Replay, 1);

      replay->key = g_strdup (key);
      replay->answer = json_node_copy (answer);
      g_hash_table_replace (self->doku_replays, g_strdup (request_id), replay);
    }

  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "id", id);
  _dossier_sandbox_add_string (b, "category", category);
  if (code != NULL)
    _dossier_sandbox_add_string (b, "code", code);
  _dossier_sandbox_add_string (b, "file_name", file_name != NULL ? file_name : "");
  _dossier_sandbox_add_string (b, "status", "ON_PROCESS");
  json_builder_end_object (b);
  g_ptr_array_add (self->doku_documents, json_builder_get_root (b));

  _dossier_sandbox_review_later (self, "doku", id);
}

/* Sets document @id's status (NULL: the reviewer's rule, and only for one
 * still ON_PROCESS); FALSE when there is no such document */
gboolean
_dossier_sandbox_doku_review_document (DossierSandbox *self,
                                       const char     *id,
                                       const char     *status)
{
  for (guint i = 0; i < self->doku_documents->len; i++)
    {
      JsonObject *obj = json_node_get_object (g_ptr_array_index (self->doku_documents, i));
      const char *name = json_object_get_string_member_with_default (obj, "file_name", "");
      g_autofree char *folded = g_utf8_casefold (name, -1);

      if (!g_str_equal (json_object_get_string_member (obj, "id"), id))
        continue;
      if (status == NULL)
        {
          if (!g_str_equal (json_object_get_string_member (obj, "status"), "ON_PROCESS"))
            return TRUE;
          if (strstr (folded, "blurry") != NULL)
            status = "REJECTED";
          else if (g_strcmp0 (json_object_get_string_member_with_default (obj, "category", ""),
                              "SERVICE_AGREEMENT") == 0)
            status = "NEED_SIGNATURE";
          else
            status = "APPROVED";
        }
      json_object_set_string_member (obj, "status", status);
      return TRUE;
    }
  return FALSE;
}

void
_dossier_sandbox_doku_review_all (DossierSandbox *self)
{
  for (guint i = 0; i < self->doku_documents->len; i++)
    {
      JsonObject *obj = json_node_get_object (g_ptr_array_index (self->doku_documents, i));

      _dossier_sandbox_doku_review_document (self, json_object_get_string_member (obj, "id"), NULL);
    }
}

/* GET /adv-core-api/partner/v1.0/business/{client id} */
void
_dossier_sandbox_doku_business (DossierSandbox        *self,
                                SoupServerMessage     *msg,
                                DossierSandboxRequest *ctx)
{
  const char *client = g_ptr_array_index (ctx->params, 0);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *business = NULL;
  g_autofree char *brand = NULL;

  if (!_dossier_sandbox_doku_check_signature (msg, NULL, 0))
    return;

  business = g_strdup_printf ("BSN-%s", client);
  brand = g_strdup_printf ("BRD-%s", client);
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "id", business);
  _dossier_sandbox_add_string (b, "partner", DOSSIER_SANDBOX_DOKU_CLIENT_ID);
  json_builder_set_member_name (b, "brands");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "id", brand);
  _dossier_sandbox_add_string (b, "finance_status", "PROBATION");
  _dossier_sandbox_add_string (b, "risk_engine_status", "ON_PROCESS");
  json_builder_set_member_name (b, "photo_proofs");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->doku_documents->len; i++)
    {
      JsonObject *obj = json_node_get_object (g_ptr_array_index (self->doku_documents, i));
      const char *id = json_object_get_string_member (obj, "id");
      g_autofree char *photo = NULL;

      if (g_strcmp0 (json_object_get_string_member_with_default (obj, "category", ""), "PHOTO_PROOF") != 0)
        continue;
      photo = g_strdup_printf ("%s/files/doku/%s?Expires=%" G_GINT64_FORMAT, self->base_url, id,
                               g_get_real_time () / G_USEC_PER_SEC + DOKU_LINK_LIFETIME);
      json_builder_begin_object (b);
      _dossier_sandbox_add_string (b, "id", id);
      _dossier_sandbox_add_string (b, "photo", photo);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "documents");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->doku_documents->len; i++)
    {
      JsonObject *obj = json_node_get_object (g_ptr_array_index (self->doku_documents, i));

      json_builder_begin_object (b);
      _dossier_sandbox_add_string (b, "id", json_object_get_string_member (obj, "id"));
      _dossier_sandbox_add_string (b, "category", json_object_get_string_member (obj, "category"));
      if (json_object_has_member (obj, "code"))
        _dossier_sandbox_add_string (b, "code", json_object_get_string_member (obj, "code"));
      _dossier_sandbox_add_string (b, "status", json_object_get_string_member (obj, "status"));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  _dossier_sandbox_reply_builder (msg, 200, b);
}
