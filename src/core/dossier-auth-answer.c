/* dossier-auth-answer.c: a provider's answer that is not a success, in words
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checklist's requests (dossier-checklist-fetch.c) and the
 * follow-up's (dossier-follow-up.c) read their answers alike: a redirect
 * is named and not followed, a refused credential drops the token the
 * request carried, the provider's own message is read (without the
 * token), else the status is described.  Two differences are the
 * callers': the checklist says the provider's words on a refused
 * credential, the follow-up reads the wait a 429 or 503 asked for.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-auth-private.h"
#include "dossier-client.h"
#include "dossier-result-private.h"

/**
 * _dossier_auth_answer_error:
 * @auth: (nullable): the provider's auth, which words its messages
 *   without secrets and drops a refused token
 * @msg: the request, answered
 * @body: (nullable): its answer
 * @header_value: (nullable): the authorization it carried (a refused one
 *   is dropped; never in the message)
 * @out_retry_after: (out) (optional): with %DOSSIER_ANSWER_RETRY_AFTER,
 *   for a 429 or 503 the seconds to wait (Retry-After, Moov's
 *   X-Retry-In), 60 for a 429 without one, else -1; untouched otherwise
 *
 * Returns: (transfer full): the error for an answer that is not a success
 */
GError *
_dossier_auth_answer_error (DossierAuth        *auth,
                            SoupMessage        *msg,
                            GBytes             *body,
                            const char         *header_value,
                            DossierAnswerFlags  flags,
                            gint64             *out_retry_after)
{
  DossierProvider *provider = auth != NULL ? auth->provider : NULL;
  const char *name = provider != NULL ? dossier_provider_get_name (provider) : "";
  guint status = soup_message_get_status (msg);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autofree char *message = NULL;
  g_autofree char *phrase = NULL;
  gsize length = 0;
  const guint8 *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_autofree char *target = dossier_client_describe_location (msg);

      if (flags & DOSSIER_ANSWER_FOR_REQUIREMENTS)
        /* Translators: "Moov redirected the request for its requirements to https://… (302); not followed" */
        return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                            _("%s redirected the request for its requirements to %s (%u); not followed"),
                            name, target, status);
      /* Translators: "Moov redirected the request to https://… (302); not followed" */
      return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, _("%s redirected the request to %s (%u); not followed"),
                          name, target, status);
    }
  if ((flags & DOSSIER_ANSWER_RETRY_AFTER) && out_retry_after != NULL && (status == 429 || status == 503))
    {
      static const char * const ms_headers[] = { "X-Retry-In", NULL };
      gint64 ms = dossier_client_parse_retry_after (headers, ms_headers, NULL);

      *out_retry_after = ms >= 0 ? (ms + 999) / 1000 : (status == 429 ? 60 : -1);
    }

  if (data != NULL && length > 0 && auth != NULL)
    message = _dossier_auth_provider_message (auth, data, length, header_value);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      if (header_value != NULL && auth != NULL)
        dossier_auth_invalidate (auth);
      if (message != NULL && (flags & DOSSIER_ANSWER_REFUSAL_WORDS))
        /* Translators: "Moov refused the credentials (401: invalid token)" */
        return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_AUTH, _("%s refused the credentials (%u: %s)"),
                            name, status, message);
      return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_AUTH, _("%s refused the credentials (%u)"), name, status);
    }
  if (message != NULL)
    /* Translators: "Moov answered 404: account not found" */
    return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_HTTP, _("%s answered %u: %s"), name, status, message);

  phrase = dossier_result_describe_status (status, headers, NULL);
  return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_HTTP, _("%s answered %u: %s"), name, status, phrase);
}

/**
 * _dossier_auth_read_answer:
 * @result: the result of dossier_client_send_and_read_async() of @msg
 *
 * Returns: (transfer full) (nullable): the body of a successful answer,
 *   else %NULL with @error: the client's (cancelled, too large…) or
 *   _dossier_auth_answer_error()'s
 */
GBytes *
_dossier_auth_read_answer (DossierAuth         *auth,
                           DossierClient       *client,
                           GAsyncResult        *result,
                           SoupMessage         *msg,
                           const char          *header_value,
                           DossierAnswerFlags   flags,
                           gint64              *out_retry_after,
                           GError             **error)
{
  g_autoptr(GBytes) body = dossier_client_send_and_read_finish (client, result, error);

  if (body == NULL)
    return NULL;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_propagate_error (error, _dossier_auth_answer_error (auth, msg, body, header_value, flags, out_retry_after));
      return NULL;
    }
  return g_steal_pointer (&body);
}
