/* dossier-auth.h: the Authorization a request carries (core only: libsoup)
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "dossier-credentials.h"
#include "dossier-client.h"
#include "dossier-provider.h"

G_BEGIN_DECLS

/* Turns credentials into the header a request needs, fetching and caching
 * tokens (DOKU signed token request, OAuth2 client credentials). */
#define DOSSIER_TYPE_AUTH (dossier_auth_get_type ())
G_DECLARE_FINAL_TYPE (DossierAuth, dossier_auth, DOSSIER, AUTH, GObject)

DossierAuth *dossier_auth_new                (DossierProvider     *provider,
                                              const char          *base_url,
                                              DossierCredentials  *credentials,
                                              DossierClient       *session);
void         dossier_auth_get_header_async   (DossierAuth         *self,
                                              GHashTable          *values,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void         dossier_auth_get_header_for_scope_async (DossierAuth         *self,
                                                      const char          *scope,
                                                      GHashTable          *values,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean     dossier_auth_get_header_finish  (DossierAuth         *self,
                                              GAsyncResult        *result,
                                              char               **out_name,
                                              char               **out_value,
                                              GError             **error);
gboolean     dossier_auth_invalidate         (DossierAuth         *self);
void         dossier_auth_check_async        (DossierAuth         *self,
                                              GHashTable          *values,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char        *dossier_auth_check_finish       (DossierAuth         *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Pure pieces, exposed for tests */
char        *dossier_auth_doku_signature     (const char          *client_id,
                                              const char          *request_id,
                                              const char          *timestamp,
                                              const char          *request_target,
                                              const char          *body,
                                              gsize                body_length,
                                              const char          *secret_key);
char        *dossier_auth_doku_signature_get (const char          *client_id,
                                              const char          *request_id,
                                              const char          *timestamp,
                                              const char          *request_target,
                                              const char          *secret_key);
void         dossier_auth_doku_sign_get      (SoupMessage         *msg,
                                              const char          *client_id,
                                              const char          *secret_key,
                                              const char          *request_target);

G_END_DECLS
