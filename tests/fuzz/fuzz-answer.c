/* fuzz-answer.c: providers' answers and error bodies, token answers
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte choosing the provider and the status, one byte saying
 * whether a Retry-After header comes (its text then runs to the first
 * newline), then the body. The body is read the way every answer is: as
 * the provider's answer to an upload, as an error body of a token
 * request, and as the payload of a JWT.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-auth-private.h"
#include "dossier-catalogue.h"
#include "dossier-json.h"
#include "dossier-result-private.h"

#include "fuzz-util.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static DossierCatalogue *catalogue;

static const guint statuses[] = { 200, 201, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 599 };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  dossier_fuzz_init ();
  catalogue = dossier_catalogue_new ();
  if (!dossier_catalogue_load_builtin (catalogue, &error))
    g_error ("%s", error->message);

  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DossierProvider) provider = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(DossierResult) result = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  g_autofree char *jwt = NULL;
  g_autofree char *encoded = NULL;
  guint n_providers = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  guint8 choice;

  if (size < 2)
    return 0;

  choice = data[0];
  provider = g_list_model_get_item (G_LIST_MODEL (catalogue), choice % n_providers);
  if (data[1] & 1)
    {
      const guint8 *newline = memchr (data + 2, '\n', size - 2);
      gsize len = newline != NULL ? (gsize) (newline - data - 2) : size - 2;
      g_autofree char *value = g_strndup ((const char *) data + 2, len);

      /* libsoup refuses header values with CR or LF (or a NUL) */
      if (strpbrk (value, "\r\n") == NULL && strlen (value) == len)
        soup_message_headers_append (headers, "Retry-After", value);
      data += len + (newline != NULL ? 1 : 0);
      size -= len + (newline != NULL ? 1 : 0);
    }
  data += 2;
  size -= 2;

  body = g_bytes_new (data, size);
  result = dossier_result_parse (provider, statuses[(choice / n_providers) % G_N_ELEMENTS (statuses)],
                                 headers, body, now);
  g_assert_nonnull (result);
  if (!dossier_result_is_success (result))
    {
      g_assert_nonnull (result->message);
      /* a failure without a body never reads libsoup's "Unknown Error" */
      if (size == 0)
        g_assert_cmpstr (result->message, !=, "Unknown Error");
      sentence = dossier_result_describe_failure (result);
      g_assert_nonnull (sentence);
    }
  json = dossier_result_to_json (result);
  g_assert_nonnull (json);

  /* an OAuth2 token answer's expires_in */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonNode *root;

    if (dossier_json_load (parser, (const char *) data, size, 0, NULL) &&
        (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
      {
        gint64 expires = dossier_auth_parse_expires_in (json_object_get_member (json_node_get_object (root),
                                                                                "expires_in"),
                                                        1767323045);

        g_assert_cmpint (expires, >, 0);
      }
  }

  message = dossier_auth_parse_error_message ((const char *) data, size, NULL);
  if (message != NULL)
    g_assert_true (g_utf8_validate (message, -1, NULL));

  /* the same bytes as the payload of a token */
  encoded = g_base64_encode (data, size);
  jwt = g_strdup_printf ("e30.%s.c2ln", encoded);
  g_strdelimit (jwt, "+", '-');
  g_strdelimit (jwt, "/", '_');
  g_assert_cmpint (dossier_auth_parse_jwt_expiry (jwt), >=, 0);
  text = g_strndup ((const char *) data, size);
  (void) dossier_auth_parse_jwt_expiry (text);

  return 0;
}
