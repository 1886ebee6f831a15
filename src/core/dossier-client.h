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

/* The client every request of a submission goes through: it owns the
 * SoupSession, the pool of threads that send with the blocking API, and the
 * time limits (taken at construction from the defaults, see
 * dossier_client_set_timeouts()). */
#define DOSSIER_TYPE_CLIENT (dossier_client_get_type ())
G_DECLARE_FINAL_TYPE (DossierClient, dossier_client, DOSSIER, CLIENT, GObject)

DossierClient *dossier_client_new                (guint                max_conns_per_host);
SoupSession  *dossier_client_get_session         (DossierClient       *self);
void          dossier_client_abort               (DossierClient       *self);
void          dossier_client_set_max_threads     (DossierClient       *self,
                                                  guint                max_threads);
/* soup_session_send_async() through the client's session: the answer's
 * stream, read by the caller */
void          dossier_client_send_async          (DossierClient       *self,
                                                  SoupMessage         *msg,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GInputStream *dossier_client_send_finish         (DossierClient       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          dossier_client_send_and_read_async (DossierClient       *self,
                                                  SoupMessage         *msg,
                                                  gsize                max_size,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GBytes       *dossier_client_send_and_read_finish (DossierClient      *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
/* The same, sent with the blocking API in one of the client's worker
 * threads: the message's signals are emitted in that thread */
void          dossier_client_send_in_thread_async (DossierClient      *self,
                                                   SoupMessage        *msg,
                                                   gsize               max_size,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
GBytes       *dossier_client_send_in_thread_finish (DossierClient     *self,
                                                    GAsyncResult      *result,
                                                    GError           **error);

/* Stateless helpers */
gboolean     dossier_client_check_url           (const char          *url,
                                                 GError             **error);
gboolean     dossier_client_check_url_for       (const char          *url,
                                                 DossierUrlUse        use,
                                                 GError             **error);
gboolean     dossier_client_is_loopback_host    (const char          *host);
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

guint        dossier_client_get_idle_timeout    (DossierClient       *self);
gint64       dossier_client_get_deadline_ms     (DossierClient       *self,
                                                 goffset              body_length);
/* Tests: smaller limits for clients created from now on (0: the default) */
void         dossier_client_set_timeouts        (guint                idle_seconds,
                                                 guint                deadline_base_ms,
                                                 guint64              bytes_per_second);

G_END_DECLS
