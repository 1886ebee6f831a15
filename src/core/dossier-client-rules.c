/* dossier-client-rules.c: what Dossier allows and retries over HTTP
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain functions, no state: which URLs may be used at all (plain http only
 * to loopback), which failures are worth a retry and how long the server
 * asks to wait, and what a redirect (never followed) is said to be. The
 * DossierClient that sends is in dossier-client.c.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-client.h"
#include "dossier-types.h"

/* -------------------------------------------------------------------------- */
/* Where requests may go                                                      */

/**
 * dossier_client_is_loopback_host:
 * @host: a host name or address, without brackets
 *
 * Returns: whether @host names this machine: localhost, 127.0.0.0/8 or ::1
 */
gboolean
dossier_client_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  bare = g_strdup (host);
  len = strlen (bare);
  if (len > 2 && bare[0] == '[' && bare[len - 1] == ']')
    {
      bare[len - 1] = '\0';
      memmove (bare, bare + 1, len - 1);
    }

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * dossier_client_check_url_for:
 * @url: where a request would go
 * @use: what the request carries
 *
 * The one rule for every address Dossier sends to: https, or plain http
 * only to this machine (the embedded sandbox).
 *
 * Returns: %TRUE if @url may be used; otherwise %FALSE with @error set
 *   (%DOSSIER_ERROR_INSECURE for plain http to another host)
 */
gboolean
dossier_client_check_url_for (const char     *url,
                              DossierUrlUse   use,
                              GError        **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                           _("No address to send to"));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("“%s” is not a web address; it should start with https://"), url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !dossier_client_is_loopback_host (host))
    {
      if (use == DOSSIER_URL_USE_CREDENTIALS)
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE,
                     _("Refusing to send credentials to %s over plain HTTP: use an https:// address"),
                     host);
      else
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INSECURE,
                     _("Refusing to send documents unencrypted to %s; use https://"), host);
      return FALSE;
    }

  return TRUE;
}

/**
 * dossier_client_check_url:
 * @url: where documents would go
 *
 * dossier_client_check_url_for() for a request that carries documents.
 */
gboolean
dossier_client_check_url (const char  *url,
                          GError     **error)
{
  return dossier_client_check_url_for (url, DOSSIER_URL_USE_DOCUMENTS, error);
}

/* -------------------------------------------------------------------------- */
/* What is worth a retry                                                      */

/**
 * dossier_client_is_transient_error:
 *
 * Returns: whether @error is a connection problem worth retrying: network
 *   and HTTP-level I/O errors, but not a cancellation, a TLS certificate
 *   problem or an answer that could not be understood
 */
gboolean
dossier_client_is_transient_error (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
        case G_IO_ERROR_NOT_FOUND:
        case G_IO_ERROR_PERMISSION_DENIED:
        case G_IO_ERROR_IS_DIRECTORY:
        case G_IO_ERROR_INVALID_ARGUMENT:
          return FALSE;
        default:
          return TRUE;
        }
    }

  return error->domain == SOUP_SESSION_ERROR ||
         error->domain == G_RESOLVER_ERROR;
}

/**
 * dossier_client_is_transient_status:
 *
 * Returns: whether an HTTP @status says "try again later": 429, 502, 503, 504
 */
gboolean
dossier_client_is_transient_status (guint status)
{
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/**
 * dossier_client_parse_retry_after:
 * @headers: response headers
 * @ms_headers: (nullable): headers of the provider's own that give the wait
 *   in milliseconds (the descriptor's "retry_in_headers"), tried first
 * @now: (nullable): the current time, for Retry-After as an HTTP date
 *
 * Reads @ms_headers, then Retry-After (seconds or an HTTP date).
 *
 * Returns: the wait in milliseconds, or -1 when the server did not say
 */
gint64
dossier_client_parse_retry_after (SoupMessageHeaders *headers,
                                  const char * const *ms_headers,
                                  GDateTime          *now)
{
  const char *value;
  g_autofree char *text = NULL;
  guint64 n;

  if (headers == NULL)
    return -1;

  for (guint i = 0; ms_headers != NULL && ms_headers[i] != NULL; i++)
    {
      value = soup_message_headers_get_one (headers, ms_headers[i]);
      text = value ? g_strstrip (g_strdup (value)) : NULL;
      if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 2, &n, NULL))
        return (gint64) n;
      g_clear_pointer (&text, g_free);
    }

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return -1;

  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 2000, &n, NULL))
    return (gint64) n * 1000;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
    GTimeSpan diff;

    if (when == NULL)
      return -1;
    diff = g_date_time_difference (when, current);

    return diff > 0 ? diff / 1000 : 0;
  }
}

/* -------------------------------------------------------------------------- */
/* Redirects                                                                  */

/**
 * dossier_client_prepare_message:
 *
 * What every request Dossier sends has: redirects are not followed (a
 * POST turned into a GET, a body or a credential sent to another origin),
 * the 3xx answer comes back as it is.
 */
void
dossier_client_prepare_message (SoupMessage *msg)
{
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
}

/**
 * dossier_client_describe_location:
 *
 * Returns: (transfer full): where a 3xx answer to @msg points, for people:
 *   scheme, host, port and path, without credentials, query or fragment;
 *   "an address it did not give" when it has no usable Location
 */
char *
dossier_client_describe_location (SoupMessage *msg)
{
  const char *location;
  g_autoptr(GUri) target = NULL;
  g_autoptr(GString) text = NULL;
  const char *path;

  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (location != NULL)
    target = g_uri_parse_relative (soup_message_get_uri (msg), location, G_URI_FLAGS_NONE, NULL);
  if (target == NULL || g_uri_get_host (target) == NULL)
    return g_strdup (_("an address it did not give"));

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s://", g_uri_get_scheme (target));
  if (strchr (g_uri_get_host (target), ':') != NULL)
    g_string_append_printf (text, "[%s]", g_uri_get_host (target));
  else
    g_string_append (text, g_uri_get_host (target));
  if (g_uri_get_port (target) > 0)
    g_string_append_printf (text, ":%d", g_uri_get_port (target));
  path = g_uri_get_path (target);
  g_string_append (text, path != NULL && *path != '\0' ? path : "/");

  /* never a control character in a message */
  for (gsize i = 0; i < text->len; i++)
    if ((guchar) text->str[i] < 0x20 || text->str[i] == 0x7f)
      text->str[i] = '?';

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * dossier_client_redirect_error:
 * @msg: a message answered with a 3xx status
 * @provider_name: who answered
 *
 * Returns: (transfer full): %DOSSIER_ERROR_PROTOCOL saying where the
 *   provider redirected the request, and that it was not followed
 */
GError *
dossier_client_redirect_error (SoupMessage *msg,
                               const char  *provider_name,
                               gboolean     token_request)
{
  g_autofree char *target = dossier_client_describe_location (msg);

  if (token_request)
    /* Translators: "Moov redirected the token request to https://example.com/token (302); not followed" */
    return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                        _("%s redirected the token request to %s (%u); not followed"),
                        provider_name, target, soup_message_get_status (msg));

  /* Translators: "Moov redirected the upload to https://example.com/files (302); not followed" */
  return g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                      _("%s redirected the upload to %s (%u); not followed"),
                      provider_name, target, soup_message_get_status (msg));
}
