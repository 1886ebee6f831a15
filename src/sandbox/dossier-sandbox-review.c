/* dossier-sandbox-review.c: the sandbox's reviewer, after a delay or on command
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A provider reviews what it was sent some time after the upload. With
 * dossier_sandbox_set_review_after() (dossier-sandbox --review-after S)
 * every Moov file is decided S seconds after it was stored, and every
 * DOKU document too: a file whose name holds "blurry" is rejected
 * (Moov: fileStatus "rejected", a decisionReason and the capability error
 * document-illegible on its requirement; DOKU: status "REJECTED"), any
 * other approved (Moov "approved"; DOKU "APPROVED", or "NEED_SIGNATURE", a
 * value DOKU does not document, for a SERVICE_AGREEMENT).  Without a delay
 * nothing is decided by itself.
 *
 * POST /_sandbox/moov/review with a JSON body decides on command:
 *   {"fileID": ID, "decision": "approved"}                one Moov file
 *   {"fileID": ID, "decision": "rejected", "error": CODE} rejected with CODE
 *   {"pending": true}              every pending Moov file and DOKU document,
 *                                  as the delay would
 *   {"doku": ID, "status": TEXT}   a DOKU document's status, any text
 * Without a body it keeps its first meaning (dossier-sandbox-moov-capabilities.c).
 */

#include "config.h"

#include <string.h>

#include "dossier-sandbox-private.h"

typedef struct
{
  DossierSandbox *self;
  GSource        *source;
  char           *provider;
  char           *id;
} Review;

static void
review_free (gpointer data)
{
  Review *review = data;

  g_free (review->provider);
  g_free (review->id);
  g_free (review);
}

static void
review_one (DossierSandbox *self,
            const char     *provider,
            const char     *id)
{
  if (g_str_equal (provider, "moov"))
    {
      DossierSandboxMoovAccount *account = NULL;
      JsonNode *details = _dossier_sandbox_moov_find_file (self, id, &account);

      if (details != NULL)
        _dossier_sandbox_moov_review_file (self, account, details);
    }
  else
    _dossier_sandbox_doku_review_document (self, id, NULL);
}

static gboolean
review_due (gpointer data)
{
  Review *review = data;

  g_hash_table_remove (review->self->pending, review->source);
  review_one (review->self, review->provider, review->id);
  return G_SOURCE_REMOVE;
}

/* @provider's file @id was stored: decided after the delay, when one is set */
void
_dossier_sandbox_review_later (DossierSandbox *self,
                               const char     *provider,
                               const char     *id)
{
  Review *review;

  if (self->review_after < 0)
    return;

  review = g_new0 (Review, 1);
  review->self = self;
  review->provider = g_strdup (provider);
  review->id = g_strdup (id);
  review->source = self->review_after == 0 ? g_timeout_source_new (0)
                                           : g_timeout_source_new_seconds (self->review_after);
  g_source_set_callback (review->source, review_due, review, review_free);
  g_source_attach (review->source, self->context);
  g_hash_table_add (self->pending, review->source);
}

/**
 * dossier_sandbox_set_review_after:
 * @seconds: how long after its upload a file is decided; 0: at once (on
 *   the sandbox's next turn), -1: never by itself (the default)
 *
 * Files stored from now on are decided after that delay.
 */
void
dossier_sandbox_set_review_after (DossierSandbox *self,
                                  gint            seconds)
{
  g_return_if_fail (DOSSIER_IS_SANDBOX (self));

  self->review_after = MAX (seconds, -1);
}

static void
review_every_pending (DossierSandbox *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->moov_accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DossierSandboxMoovAccount *account = value;

      for (guint i = 0; i < account->files->len; i++)
        _dossier_sandbox_moov_review_file (self, account, g_ptr_array_index (account->files, i));
    }
  _dossier_sandbox_doku_review_all (self);
}

/* The review route with a body; FALSE when it has none (then the caller
 * answers as before) */
gboolean
_dossier_sandbox_review_control (DossierSandbox        *self,
                                 SoupServerMessage     *msg,
                                 DossierSandboxRequest *ctx)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  const char *body;
  const char *file_id, *decision, *code, *doku;
  gsize len;

  if ((body = _dossier_sandbox_require_raw (msg, ctx, &len)) == NULL)
    return TRUE;
  if (len == 0)
    return FALSE;

  if ((obj = _dossier_sandbox_parse_json_object (body, len, &root)) == NULL)
    {
      _dossier_sandbox_reply_error (msg, NULL, 400, NULL, "the review body must be a JSON object");
      return TRUE;
    }

  file_id = _dossier_sandbox_json_get_string (obj, "fileID");
  decision = _dossier_sandbox_json_get_string (obj, "decision");
  code = _dossier_sandbox_json_get_string (obj, "error");
  doku = _dossier_sandbox_json_get_string (obj, "doku");

  if (json_object_get_boolean_member_with_default (obj, "pending", FALSE))
    review_every_pending (self);
  else if (doku != NULL)
    {
      const char *status = _dossier_sandbox_json_get_string (obj, "status");

      if (status == NULL || !_dossier_sandbox_doku_review_document (self, doku, status))
        {
          _dossier_sandbox_reply_error (msg, NULL, status == NULL ? 400 : 404, NULL,
                                        status == NULL ? "give the DOKU document's new status"
                                                       : "no such DOKU document");
          return TRUE;
        }
    }
  else if (file_id != NULL)
    {
      DossierSandboxMoovAccount *account = NULL;
      JsonNode *details = _dossier_sandbox_moov_find_file (self, file_id, &account);
      gboolean approve = g_strcmp0 (decision, "approved") == 0;

      if (!approve && g_strcmp0 (decision, "rejected") != 0)
        {
          _dossier_sandbox_reply_error (msg, NULL, 400, NULL, "decision must be approved or rejected");
          return TRUE;
        }
      if (!approve && !_dossier_sandbox_moov_error_code_known (code != NULL ? code : "failed-other"))
        {
          _dossier_sandbox_reply_error (msg, NULL, 400, NULL, "error is not one of Moov's error codes");
          return TRUE;
        }
      if (details == NULL)
        {
          _dossier_sandbox_reply_error (msg, NULL, 404, NULL, "no such Moov file");
          return TRUE;
        }
      if (!_dossier_sandbox_moov_decide (self, account, details, approve, code != NULL ? code : "failed-other"))
        {
          _dossier_sandbox_reply_error (msg, NULL, 409, NULL, "the file was already decided");
          return TRUE;
        }
    }
  else
    {
      _dossier_sandbox_reply_error (msg, NULL, 400, NULL,
                                    "give fileID and decision, doku and status, or pending");
      return TRUE;
    }

  _dossier_sandbox_reply_ok (msg);
  return TRUE;
}
