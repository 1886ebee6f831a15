/* dossier-client.h: the HTTP client side shared by every request
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The most a JSON answer may weigh before it is refused as a protocol error */
#define DOSSIER_CLIENT_MAX_ANSWER (1024 * 1024)

/* What a request carries, for the words of a refusal */
typedef enum
{
  DOSSIER_URL_USE_DOCUMENTS,
  DOSSIER_URL_USE_CREDENTIALS,
} DossierUrlUse;

SoupSession *dossier_client_new_session         (guint                max_conns_per_host);
gboolean     dossier_client_check_url           (const char          *url,
                                                 GError             **error);
gboolean     dossier_client_check_url_for       (const char          *url,
                                                 DossierUrlUse        use,
                                                 GError             **error);
gboolean     dossier_client_is_loopback_host    (const char          *host);
void         dossier_client_send_and_read_async (SoupSession         *session,
                                                 SoupMessage         *msg,
                                                 gsize                max_size,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GBytes      *dossier_client_send_and_read_finish (SoupSession        *session,
                                                  GAsyncResult       *result,
                                                  GError            **error);
/* The same, sent with the blocking API in one of @session's worker threads:
 * the message's signals are emitted in that thread */
void         dossier_client_send_in_thread_async (SoupSession        *session,
                                                  SoupMessage        *msg,
                                                  gsize               max_size,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
GBytes      *dossier_client_send_in_thread_finish (SoupSession       *session,
                                                   GAsyncResult      *result,
                                                   GError           **error);
void         dossier_client_set_max_threads     (SoupSession         *session,
                                                 guint                max_threads);
gboolean     dossier_client_is_transient_error  (const GError        *error);
gboolean     dossier_client_is_transient_status (guint                status);
gint64       dossier_client_parse_retry_after   (SoupMessageHeaders  *headers,
                                                 const char * const  *ms_headers,
                                                 GDateTime           *now);

/* Redirects are never followed: a 3xx is a failure that says where to */
void         dossier_client_prepare_message     (SoupMessage         *msg);
char        *dossier_client_describe_location   (SoupMessage         *msg);
GError      *dossier_client_redirect_error      (SoupMessage         *msg,
                                                 const char          *provider_name,
                                                 gboolean             token_request);

/* Time limits. The idle timeout is the session's (no byte read or written
 * for that long ends a request); the deadline is per request, scaled to its
 * body: base + length / rate, at most DOSSIER_CLIENT_MAX_DEADLINE_MS. */
#define DOSSIER_CLIENT_IDLE_TIMEOUT     30                   /* s */
#define DOSSIER_CLIENT_DEADLINE_BASE_MS (60 * 1000)
#define DOSSIER_CLIENT_DEADLINE_RATE    (64 * 1024)          /* bytes per second */
#define DOSSIER_CLIENT_MAX_DEADLINE_MS  ((gint64) 6 * 3600 * 1000)

guint        dossier_client_get_idle_timeout    (void);
gint64       dossier_client_get_deadline_ms     (goffset              body_length);
/* Tests: smaller limits for sessions created from now on (0: the default) */
void         dossier_client_set_timeouts        (guint                idle_seconds,
                                                 guint                deadline_base_ms,
                                                 guint64              bytes_per_second);

G_END_DECLS
