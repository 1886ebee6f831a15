/* dossier-submission-private.h: what the files of DossierSubmission share
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-client.h"
#include "dossier-merchant-store.h"
#include "dossier-submission.h"
#include "dossier-transfer-private.h"
#include "dossier-upload-private.h"
#include "dossier-util.h"

G_BEGIN_DECLS

/* What the submission knows of one upload while it is checked and sent */
typedef struct _Job Job;

struct _DossierSubmission
{
  GObject             parent_instance;

  DossierProvider    *provider;
  char               *environment;
  char               *base_url;
  char               *sandbox_url;
  DossierCredentials *credentials;
  guint               max_concurrent;
  GHashTable         *values;
  char               *merchant_id;   /* NULL: no merchant */
  DossierMerchantStore *merchant_store; /* names other merchants, or NULL */
  gboolean            history_waiting; /* for the record to be read (the duplicate guard) */

  GListStore         *uploads;
  GHashTable         *jobs;          /* DossierUpload -> Job */
  GPtrArray          *stopping;      /* Job: removed, its check or send winding down */

  GQueue              check_queue;   /* Job */
  guint               n_checking;
  guint               counts_idle;   /* counts follow the checks, once per pass */
  guint               n_enumerating;
  GQueue              send_queue;    /* Job */
  guint               n_sending;

  DossierClient      *client;
  DossierAuth        *auth;
  GCancellable       *cancellable;

  guint               n_invalid;
  guint               n_ready;
  guint               n_active;
  guint               n_done;
  guint               n_failed;
  guint               n_unknown;
  guint64             total_bytes;
  guint64             sent_bytes;
  double              fraction;
  gboolean            running;
  gboolean            validating;
  GSource            *progress_source;

  gboolean            record_history;
  char               *queue_path;    /* NULL: the unsent queue is not saved */
  GSource            *save_source;
  gboolean            queue_owned;   /* had files to save: the file is its own */
  GPtrArray          *queued_events; /* JsonObject: "queued" lines not yet written */
  gboolean            record_error_said; /* the last line written failed, and was said */
  guint               n_recording;   /* lines given to the history's writer, not written yet */
  gboolean            queue_error_said;  /* the last save of the queue failed */
  struct _DossierQueueWriter *queue_writer; /* saves in a thread, in order */
  guint64             queue_seq;     /* the last save asked for */
  gboolean            queue_saving;  /* a save is in a thread */
  gboolean            queue_again;   /* … and another is asked for after it */
  gboolean            pump_after_save; /* start sending once the queue is saved */
};

struct _Job
{
  int                 ref_count;
  DossierSubmission  *self;          /* NULL once the submission is gone */
  DossierUpload      *upload;
  gboolean            removed;
  gboolean            in_record;     /* has a "queued" line in the history */

  /* checking */
  GCancellable       *check_cancellable;
  gboolean            checking;
  gboolean            checked;
  char               *file_problem;

  /* sending */
  GCancellable       *cancellable;
  DossierTransfer    *transfer;
  DossierAuth        *transfer_auth;
  char               *transfer_url;
  gboolean            sending;
  gboolean            cancelled;
  gboolean            auth_retried;
  GSource            *wait_source;
  gint64              wait_deadline;
  char               *wait_what;     /* host or provider name */
  guint               wait_status;   /* 0: the connection was lost */
};

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_ENVIRONMENT,
  PROP_BASE_URL,
  PROP_SANDBOX_URL,
  PROP_CREDENTIALS,
  PROP_MAX_CONCURRENT,
  PROP_UPLOADS,
  PROP_N_INVALID,
  PROP_N_READY,
  PROP_N_ACTIVE,
  PROP_N_DONE,
  PROP_N_FAILED,
  PROP_N_UNKNOWN,
  PROP_TOTAL_BYTES,
  PROP_SENT_BYTES,
  PROP_FRACTION,
  PROP_RUNNING,
  PROP_VALIDATING,
  PROP_MERCHANT_ID,
  N_PROPS
};

enum {
  FINISHED,
  VALIDATED,
  SKIPPED,
  RECORD_ERROR,
  N_SIGNALS
};


static inline gboolean
_dossier_submission_has_text (const char *value)
{
  return value != NULL && *value != '\0';
}

/* dossier-submission.c */
void           _dossier_submission_notify             (DossierSubmission *self,
                                                       guint              prop_id);
void           _dossier_submission_emit               (DossierSubmission *self,
                                                       guint              signal_id,
                                                       ...);
char          *_dossier_submission_describe_host      (DossierSubmission *self,
                                                       const char        *url);

/* dossier-submission-values.c */
GHashTable    *_dossier_submission_effective_values   (DossierSubmission *self,
                                                       DossierUpload     *upload);

/* dossier-submission-checks.c */
void           _dossier_submission_apply_validation   (DossierSubmission *self,
                                                       Job               *job,
                                                       guint              position);
void           _dossier_submission_pump_checks        (DossierSubmission *self);
void           _dossier_submission_update_validating  (DossierSubmission *self);

/* dossier-submission-list.c */
typedef void (*DossierJobFunc) (DossierSubmission *self,
                                Job               *job,
                                guint              position,
                                gpointer           data);

void           _dossier_submission_foreach_job        (DossierSubmission *self,
                                                       DossierJobFunc     func,
                                                       gpointer           data);
Job           *_dossier_submission_job_ref            (Job               *job);
void           _dossier_submission_job_unref          (Job               *job);
Job           *_dossier_submission_lookup_job         (DossierSubmission *self,
                                                       DossierUpload     *upload);
void           _dossier_submission_job_stop           (DossierSubmission *self,
                                                       Job               *job);
void           _dossier_submission_job_wound_down     (DossierSubmission *self,
                                                       Job               *job);
void           _dossier_submission_drop_jobs          (DossierSubmission *self);
DossierUpload *_dossier_submission_make_file_upload   (DossierSubmission *self,
                                                       GFile             *file);
DossierUpload *_dossier_submission_make_url_upload    (DossierSubmission *self,
                                                       const char        *url,
                                                       GHashTable        *values);
void           _dossier_submission_append_uploads     (DossierSubmission *self,
                                                       GPtrArray         *uploads);
void           _dossier_submission_update_counts      (DossierSubmission *self);

/* dossier-submission-send.c */
void           _dossier_submission_update_max_threads (DossierSubmission *self);
void           _dossier_submission_job_queue          (DossierSubmission *self,
                                                       Job               *job,
                                                       gboolean           first);
void           _dossier_submission_job_queue_fresh    (DossierSubmission *self,
                                                       Job               *job);
void           _dossier_submission_pump_sending       (DossierSubmission *self);

/* dossier-submission-retry.c */
void           _dossier_submission_job_fail           (Job               *job,
                                                       DossierResult     *result,
                                                       const char        *problem);
void           _dossier_submission_job_stopped_sent   (Job               *job);
void           _dossier_submission_job_settle         (Job               *job,
                                                       DossierResult     *answer,
                                                       const GError      *error,
                                                       DossierTransferSent sent,
                                                       gint64             retry_after_ms);

/* dossier-submission-record.c */
JsonObject    *_dossier_submission_record_event_new   (DossierSubmission *self,
                                                       DossierUpload     *upload,
                                                       const char        *event);
void           _dossier_submission_record_events      (DossierSubmission *self,
                                                       GPtrArray         *events,
                                                       DossierUpload     *upload,
                                                       const char        *event);
void           _dossier_submission_record_queued      (DossierSubmission *self);
void           _dossier_submission_save_queue_then_pump (DossierSubmission *self);
void           _dossier_submission_queue_writer_free  (DossierSubmission *self);
void           _dossier_submission_record_started     (DossierSubmission *self,
                                                       DossierUpload     *upload);
void           _dossier_submission_record_cancelled   (DossierSubmission *self,
                                                       DossierUpload     *upload);
void           _dossier_submission_record_finished    (DossierSubmission *self,
                                                       DossierUpload     *upload);
void           _dossier_submission_report_record_error (DossierSubmission *self,
                                                       DossierUpload     *upload,
                                                       const char        *message);

/* dossier-submission-merchant.c */
GHashTable    *_dossier_submission_scope_values       (DossierSubmission *self,
                                                       DossierUpload     *upload,
                                                       DossierFieldScope  scope);
char          *_dossier_submission_requirement_id     (DossierSubmission *self,
                                                       DossierUpload     *upload);
void           _dossier_submission_find_duplicates    (DossierSubmission *self,
                                                       DossierUpload     *upload);
void           _dossier_submission_preload_history    (DossierSubmission *self);
char          *_dossier_submission_file_sha256        (GFile             *file,
                                                       GCancellable      *cancellable,
                                                       GError           **error);

/* dossier-submission-queue.c */
void           _dossier_submission_schedule_save      (DossierSubmission *self);
gboolean       _dossier_submission_has_held_back      (DossierSubmission *self);

G_END_DECLS
