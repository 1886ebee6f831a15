/* dossier-auth-private.h: between the auth files, and pure pieces for tests
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-auth.h"
#include "dossier-credentials.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Between dossier-auth.c (the object, the header), dossier-credentials.c,
 * dossier-auth-token-cache.c (cached tokens, callers sharing a request),
 * dossier-auth-token-request.c (DOKU's signed token request, OAuth2 client
 * credentials) and dossier-auth-check.c (proving credentials) */

/* The most of an answer to a token or check request that is read */
#define DOSSIER_AUTH_RESPONSE_MAX   (64 * 1024)

typedef struct
{
  char   *value;
  gint64  expires;       /* Unix seconds */
  gint64  obtained;      /* Unix seconds */
  gboolean fetched;      /* FALSE: pasted by the user */
} DossierAuthToken;

struct _DossierAuth
{
  GObject parent_instance;

  DossierProvider *provider;
  char *base_url;
  DossierCredentials *credentials;
  DossierClient *session;

  /* cache key (expanded scope) -> DossierAuthToken */
  GHashTable *tokens;
  /* cache key -> DossierAuthFetch in flight */
  GHashTable *fetches;
  /* bumped when the credentials change: a token fetched with older ones
   * is handed to its waiters but not cached */
  guint generation;
};

/* A token request in flight, and who waits for it */
typedef struct _DossierAuthFetch DossierAuthFetch;

struct _DossierAuthFetch
{
  DossierAuth   *auth;
  char          *key;
  guint          generation;
  GCancellable  *cancellable;
  GList         *waiters;
  SoupMessage   *msg;
  guint8        *buffer;
  GSource       *deadline;
  gboolean       timed_out;
};

/* dossier-credentials.c */
void              _dossier_auth_wipe_string              (char                    **str);
gboolean          _dossier_auth_has_client_credentials   (DossierCredentials       *self,
                                                          const DossierAuthSpec    *auth);

/* dossier-auth.c */
void              _dossier_auth_make_header              (DossierAuth              *self,
                                                          const char               *token,
                                                          char                    **out_name,
                                                          char                    **out_value);
void              _dossier_auth_send_async               (DossierAuth              *self,
                                                          SoupMessage              *msg,
                                                          GCancellable             *cancellable,
                                                          GAsyncReadyCallback       callback,
                                                          gpointer                  user_data);
guint8           *_dossier_auth_send_finish              (DossierAuth              *self,
                                                          GAsyncResult             *result,
                                                          gsize                    *out_length,
                                                          GError                  **error);
char             *_dossier_auth_provider_message         (DossierAuth              *self,
                                                          const guint8             *body,
                                                          gsize                     length,
                                                          const char               *token);

/* dossier-auth-answer.c: an answer that is not a success, in words */
typedef enum
{
  DOSSIER_ANSWER_NONE              = 0,
  /* a refused credential says the provider's words (the checklist's) */
  DOSSIER_ANSWER_REFUSAL_WORDS     = 1 << 0,
  /* a 429 or 503 gives the wait it asked for (the follow-up's) */
  DOSSIER_ANSWER_RETRY_AFTER       = 1 << 1,
  /* the request asked for the provider's requirements (a redirect's words) */
  DOSSIER_ANSWER_FOR_REQUIREMENTS  = 1 << 2,
} DossierAnswerFlags;

GError           *_dossier_auth_answer_error             (DossierAuth              *auth,
                                                          SoupMessage              *msg,
                                                          GBytes                   *body,
                                                          const char               *header_value,
                                                          DossierAnswerFlags        flags,
                                                          gint64                   *out_retry_after);
GBytes           *_dossier_auth_read_answer              (DossierAuth              *auth,
                                                          DossierClient            *client,
                                                          GAsyncResult             *result,
                                                          SoupMessage              *msg,
                                                          const char               *header_value,
                                                          DossierAnswerFlags        flags,
                                                          gint64                   *out_retry_after,
                                                          GError                  **error);

/* dossier-auth-token-cache.c */
gint64            _dossier_auth_now                      (void);
void              _dossier_auth_token_free               (gpointer                  data);
void              _dossier_auth_fetch_complete           (DossierAuthFetch         *fetch,
                                                          const DossierAuthToken   *token,
                                                          const GError             *error);
/* Gives a DossierAuthToken: pasted (fetched FALSE), cached or freshly
 * fetched; value NULL for providers without credentials */
void              _dossier_auth_acquire_token_async      (DossierAuth              *self,
                                                          GHashTable               *values,
                                                          GCancellable             *cancellable,
                                                          GAsyncReadyCallback       callback,
                                                          gpointer                  user_data);
void              _dossier_auth_acquire_token_for_scope_async (DossierAuth         *self,
                                                               const char          *scope_template,
                                                               GHashTable          *values,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
DossierAuthToken *_dossier_auth_acquire_token_finish     (DossierAuth              *self,
                                                          GAsyncResult             *result,
                                                          GError                  **error);

/* dossier-auth-token-request.c */
DossierAuthFetch *_dossier_auth_fetch_start              (DossierAuth              *self,
                                                          const char               *key,
                                                          const char               *scope,
                                                          GError                  **error);
void              _dossier_auth_fetch_free               (DossierAuthFetch         *fetch);

/* ------------------------------------------------------------------------ */
/* Pure pieces, exposed for tests */

/* The "exp" claim of a JWT (Unix seconds), or 0 when @jwt is not a JWT or
 * has no usable "exp". The signature is not checked: the token is only
 * passed on, this is just a hint for caching. */
gint64   dossier_auth_parse_jwt_expiry     (const char *jwt);

/* The expiry (Unix seconds) an OAuth2 token response announces through
 * @expires_in (a number or a numeric string; NULL when absent), received at
 * @now (Unix seconds). A value above 1e9 is a Unix timestamp, otherwise a
 * number of seconds; absent or unusable means five minutes. */
gint64   dossier_auth_parse_expires_in     (JsonNode   *expires_in,
                                            gint64      now);

/* The provider's own error message in a JSON error body, or NULL: OAuth2's
 * error_description, then where @spec (nullable) says the message is
 * ("message"), then "message" and OAuth2's "error", then @spec's
 * "field_errors". */
char    *dossier_auth_parse_error_message  (const char                *body,
                                            gsize                      length,
                                            const DossierResponseSpec *spec);


G_END_DECLS
