/* dossier-transfer-private.h: sending one upload, in one of the flows
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "dossier-auth.h"
#include "dossier-multipart.h"
#include "dossier-provider.h"
#include "dossier-redact.h"
#include "dossier-result.h"

G_BEGIN_DECLS

/* Called on the main context as body bytes are written */
typedef void (*DossierTransferProgress) (guint64  bytes_sent,
                                         guint64  total_bytes,
                                         gpointer user_data);

/* How much of the request that stores the file went out in a run */
typedef enum
{
  DOSSIER_TRANSFER_SENT_NOT_STARTED,   /* never sent: a step before it failed */
  DOSSIER_TRANSFER_SENT_NOTHING,       /* sent, but not a byte written (no connection) */
  DOSSIER_TRANSFER_SENT_PART,          /* written in part: the server cannot have the file */
  DOSSIER_TRANSFER_SENT_WHOLE,         /* written whole: the provider may have the file */
} DossierTransferSent;

/* One upload's transfer. A run is one attempt: a single multipart request,
 * or Kore's chunked session (start, chunks with their own retries,
 * complete). The object lives across attempts so that a chunked upload
 * resumes in its session while the session is valid. */
#define DOSSIER_TYPE_TRANSFER (dossier_transfer_get_type ())
G_DECLARE_FINAL_TYPE (DossierTransfer, dossier_transfer, DOSSIER, TRANSFER, GObject)

DossierTransfer *dossier_transfer_new               (DossierProvider          *provider,
                                                     DossierClient            *session,
                                                     DossierAuth              *auth,
                                                     const char               *base_url,
                                                     GHashTable               *values);
void             dossier_transfer_set_file          (DossierTransfer          *self,
                                                     GFile                    *file,
                                                     const char               *filename,
                                                     const char               *content_type,
                                                     gint64                    size);
void             dossier_transfer_set_values        (DossierTransfer          *self,
                                                     GHashTable               *values);
void             dossier_transfer_set_progress_func (DossierTransfer          *self,
                                                     DossierTransferProgress   func,
                                                     gpointer                  user_data);
gboolean         dossier_transfer_is_chunked        (DossierTransfer          *self);
const char      *dossier_transfer_get_session_id    (DossierTransfer          *self);
void             dossier_transfer_run_async         (DossierTransfer          *self,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
/* Returns the provider's answer (success or not), or NULL with @error for
 * no answer (network, file, cancelled). @out_retry_after_ms: what the
 * server asked to wait (Retry-After, X-Retry-In), -1 if nothing. */
DossierResult   *dossier_transfer_run_finish        (DossierTransfer          *self,
                                                     GAsyncResult             *result,
                                                     gint64                   *out_retry_after_ms,
                                                     GError                  **error);
gboolean         dossier_transfer_run_body_sent     (DossierTransfer          *self,
                                                     GAsyncResult             *result);
DossierTransferSent dossier_transfer_run_get_sent  (DossierTransfer          *self,
                                                     GAsyncResult             *result);
gboolean         dossier_transfer_is_sent_whole     (DossierTransfer          *self);

/* Mask in @text (or in every text of @result) each credential this
 * transfer has sent, its token, and each value given to _hide(), by the
 * rule of dossier-redact.c. dossier_transfer_run_finish() does it to what
 * it returns. */
void             dossier_transfer_hide              (DossierTransfer          *self,
                                                     const char               *value);
void             dossier_transfer_scrub             (DossierTransfer          *self,
                                                     char                    **text);
void             dossier_transfer_scrub_result      (DossierTransfer          *self,
                                                     DossierResult            *result);

/* Tests: the chunk-retry pause in milliseconds per try (default 500, 1000,
 * 2000), and a chunk that is never sent, to see complete report it. */
void             dossier_transfer_set_chunk_backoff (DossierTransfer          *self,
                                                     guint                     base_ms);
void             dossier_transfer_set_skip_chunk    (DossierTransfer          *self,
                                                     int                       index);

/* Between the transfer's own files: dossier-transfer.c (the object, a run),
 * dossier-transfer-request.c (one request; the single multipart flow) and
 * dossier-transfer-chunked.c (the chunked session flow) */

#define DOSSIER_TRANSFER_MAX_WAIT_MS       (60 * 1000)
#define DOSSIER_TRANSFER_CHUNK_BACKOFF_MS  500

struct _DossierTransfer
{
  GObject                  parent_instance;

  DossierProvider         *provider;
  DossierClient           *session;
  DossierAuth             *auth;
  char                    *base_url;
  GHashTable              *values;

  GFile                   *file;
  char                    *filename;
  char                    *content_type;
  gint64                   size;

  DossierTransferProgress  progress;
  gpointer                 progress_data;

  /* Kore session, kept across attempts */
  char                    *session_id;
  GDateTime               *session_expires;
  guint                    n_chunks;
  gboolean                *chunk_done;

  guint                    chunk_backoff_ms;
  int                      skip_chunk;

  /* what was sent as credentials (header values, tokens): never shown */
  DossierRedact           *redact;

  /* the request in flight that stores the file (single, or Kore's complete) */
  gpointer                 storing;
};

/* What one run of dossier_transfer_run_async() keeps: its GTask's data */
typedef struct
{
  gint64         retry_after_ms;
  DossierTransferSent sent_storing; /* how much of the storing request reached the server */

  /* chunked */
  GCancellable  *chunks_cancellable;
  GCancellable  *outer;
  gulong         outer_id;
  GQueue         pending;         /* chunk indexes, as GUINT_TO_POINTER */
  guint          in_flight;
  guint          waiting;
  guint         *tries;
  guint64       *sent;
  gboolean       failed;
  DossierResult *fail_result;
  GError        *fail_error;
  gboolean       returned;
} DossierTransferRun;

/* A request in flight: opaque outside dossier-transfer-request.c */
typedef struct _DossierTransferRequest DossierTransferRequest;

/* The answer to a request: status, header fields and the bounded body */
typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
} DossierTransferResponse;


/* Called in the request's context as the body is written */
typedef void (*DossierTransferWritten) (guint64  written,
                                        guint64  length,
                                        gpointer data);

void                     _dossier_transfer_clear_session     (DossierTransfer         *self);
gulong                   _dossier_transfer_follow_cancellable (GCancellable         *inner,
                                                               GCancellable         *outer,
                                                               GCancellable        **out_outer);
void                     _dossier_transfer_report_progress   (DossierTransfer         *self,
                                                              guint64                  sent,
                                                              guint64                  total);
char                    *_dossier_transfer_build_url         (DossierTransfer         *self,
                                                              const char              *path,
                                                              const char              *session_id,
                                                              GError                 **error);
void                     _dossier_transfer_take_retry_after  (DossierTransfer         *self,
                                                              DossierTransferRun      *run,
                                                              SoupMessageHeaders      *headers);

DossierTransferRequest  *_dossier_transfer_request_async     (DossierTransfer         *self,
                                                              const char              *method,
                                                              const char              *url,
                                                              DossierMultipart        *multipart,
                                                              GBytes                  *json,
                                                              DossierTransferWritten   on_written,
                                                              gpointer                 on_written_data,
                                                              GCancellable            *cancellable,
                                                              GAsyncReadyCallback      callback,
                                                              gpointer                 user_data);
DossierTransferResponse *_dossier_transfer_request_finish    (DossierTransfer         *self,
                                                              GAsyncResult            *result,
                                                              DossierTransferSent     *out_sent,
                                                              GError                 **error);
gboolean                 _dossier_transfer_request_body_sent (DossierTransferRequest  *request);
void                     _dossier_transfer_response_free     (DossierTransferResponse *response);
DossierResult           *_dossier_transfer_answer_finish     (GTask                   *task,
                                                              GAsyncResult            *result,
                                                              guint                   *out_status);

/* The flows; each takes @task, a run's */
void                     _dossier_transfer_single_run        (GTask                   *task);
void                     _dossier_transfer_chunked_run       (GTask                   *task);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierTransferResponse, _dossier_transfer_response_free)

G_END_DECLS
