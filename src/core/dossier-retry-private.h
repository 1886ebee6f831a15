/* dossier-retry-private.h: what becomes of an upload after an attempt
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "dossier-transfer-private.h"

G_BEGIN_DECLS

/* Attempts of one upload the user started, the first one included */
#define DOSSIER_RETRY_MAX_ATTEMPTS 4
/* The longest wait before an attempt, whatever a server asks for */
#define DOSSIER_RETRY_MAX_WAIT_MS  (60 * 1000)

/* What kind of error an attempt ended with, as far as retrying goes */
typedef enum
{
  DOSSIER_RETRY_ERROR_NONE,       /* an answer came */
  DOSSIER_RETRY_ERROR_CANCELLED,  /* the attempt was cancelled */
  DOSSIER_RETRY_ERROR_LOCAL,      /* the file could not be read, or changed: no network's doing */
  DOSSIER_RETRY_ERROR_TIMED_OUT,  /* the server (or the connection) was too slow */
  DOSSIER_RETRY_ERROR_NETWORK,    /* refused, reset, unresolved, broken: the connection */
  DOSSIER_RETRY_ERROR_TLS,        /* the server's certificate is not trusted */
  DOSSIER_RETRY_ERROR_PROTOCOL,   /* an answer not understood: a redirect not followed, too large */
  DOSSIER_RETRY_ERROR_OTHER,      /* any other step failing (a token request, an insecure URL...) */
} DossierRetryError;

/* The facts about one finished attempt */
typedef struct
{
  gboolean             answer_success;  /* the answer says the file was stored */
  guint                http_status;     /* the answer's status; 0 without an answer */
  DossierRetryError    error;           /* NONE when there is an answer */
  DossierTransferSent  sent;            /* how much of the storing request went out */
  gint64               retry_after_ms;  /* the server's Retry-After (or its own header); -1: none */
  guint                attempt;         /* this attempt, from 1 */
  guint                max_attempts;
  gboolean             stopped;         /* the user stopped it */
  gboolean             auth_retried;    /* already sent again after a refused token */
  gboolean             auth_refreshable; /* a fresh token may replace the one refused: only
                                          * dropping it tells for sure (dossier_auth_invalidate) */
} DossierRetryInput;

/* What to do with it */
typedef enum
{
  DOSSIER_RETRY_DONE,       /* stored */
  DOSSIER_RETRY_AUTH,       /* the token was refused: drop it and send again at once */
  DOSSIER_RETRY_WAIT,       /* it provably did not arrive: send again after the wait */
  DOSSIER_RETRY_FAIL,       /* not stored, not sent again by itself */
  DOSSIER_RETRY_UNKNOWN,    /* the whole file went out and its fate is unknown */
  DOSSIER_RETRY_CANCELLED,  /* stopped before the file was sent whole */
} DossierRetryVerdict;

DossierRetryError   _dossier_retry_classify_error (const GError            *error);

gboolean            _dossier_retry_says_come_back (guint                    status,
                                                   gint64                   retry_after_ms);

DossierRetryVerdict _dossier_retry_decide         (const DossierRetryInput *input,
                                                   gint64                  *out_wait_ms);

const char         *_dossier_retry_verdict_to_string (DossierRetryVerdict verdict);

G_END_DECLS
