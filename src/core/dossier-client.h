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

SoupSession *dossier_client_new_session         (guint                max_conns_per_host);
gboolean     dossier_client_check_url           (const char          *url,
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
                                                 GDateTime           *now);

G_END_DECLS
