/* dossier-upload.c: one document on its way to a provider
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain model: the submission and the transfer engine change it through
 * dossier-upload-private.h, on the main context, and widgets bind to its
 * properties. Progress arrives every 8 KiB; it is stored at once but
 * notified at most PROGRESS_INTERVAL apart so that many parallel uploads do
 * not flood the main loop with notifications.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dossier-enums.h"
#include "dossier-upload-private.h"
#include "dossier-util.h"

#define PROGRESS_INTERVAL (G_USEC_PER_SEC / 10)
#define RATE_WINDOW       (2 * G_USEC_PER_SEC)
#define RATE_MIN_SPAN     (G_USEC_PER_SEC / 4)
#define N_SAMPLES         32

typedef struct
{
  gint64  time;
  guint64 bytes;
} Sample;

struct _DossierUpload
{
  GObject             parent_instance;

  GFile              *file;
  char               *url;
  char               *display_name;
  gint64              size;
  char               *content_type;
  DossierUploadState  state;
  char               *problem;
  guint64             bytes_sent;
  guint64             total_bytes;
  double              rate;
  int                 seconds_left;
  DossierResult      *result;
  guint               attempt;
  int                 retry_in;
  GHashTable         *values;
  char               *record_id;    /* names it in the history's record */
  gboolean            maybe_sent;
  char               *sha256;       /* of the file as checked, or NULL */
  char               *duplicate_of; /* the duplicate guard's sentences, or NULL */
  DossierHistoryEntry *duplicate;   /* sent before, same provider and account */
  DossierHistoryEntry *other_merchant; /* sent before for another merchant */

  /* progress notification */
  guint64             notified_sent;
  guint64             notified_total;
  gint64              last_notify;
  GSource            *notify_source;
  Sample              samples[N_SAMPLES];
  guint               n_samples;
};

enum {
  PROP_0,
  PROP_FILE,
  PROP_URL,
  PROP_DISPLAY_NAME,
  PROP_SIZE,
  PROP_CONTENT_TYPE,
  PROP_STATE,
  PROP_PROBLEM,
  PROP_BYTES_SENT,
  PROP_TOTAL_BYTES,
  PROP_FRACTION,
  PROP_RATE,
  PROP_SECONDS_LEFT,
  PROP_PROGRESS_TEXT,
  PROP_RESULT,
  PROP_ATTEMPT,
  PROP_RETRY_IN,
  PROP_MAYBE_SENT,
  PROP_SHA256,
  PROP_DUPLICATE_OF,
  N_PROPS
};

enum {
  VALUES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DossierUpload, dossier_upload, G_TYPE_OBJECT)

static void
dossier_upload_dispose (GObject *object)
{
  DossierUpload *self = DOSSIER_UPLOAD (object);

  g_clear_pointer (&self->notify_source, dossier_source_clear);

  G_OBJECT_CLASS (dossier_upload_parent_class)->dispose (object);
}

static void
dossier_upload_finalize (GObject *object)
{
  DossierUpload *self = DOSSIER_UPLOAD (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->result, dossier_result_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->record_id, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->duplicate_of, g_free);
  g_clear_object (&self->duplicate);
  g_clear_object (&self->other_merchant);

  G_OBJECT_CLASS (dossier_upload_parent_class)->finalize (object);
}

static void
dossier_upload_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DossierUpload *self = DOSSIER_UPLOAD (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->notified_sent);
      break;
    case PROP_TOTAL_BYTES:
      g_value_set_uint64 (value, self->notified_total);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, dossier_upload_get_fraction (self));
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_SECONDS_LEFT:
      g_value_set_int (value, self->seconds_left);
      break;
    case PROP_PROGRESS_TEXT:
      g_value_take_string (value, dossier_upload_dup_progress_text (self));
      break;
    case PROP_RESULT:
      g_value_set_boxed (value, self->result);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;
    case PROP_MAYBE_SENT:
      g_value_set_boolean (value, self->maybe_sent);
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_DUPLICATE_OF:
      g_value_set_string (value, self->duplicate_of);
      break;
    case PROP_RETRY_IN:
      g_value_set_int (value, self->retry_in);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_upload_class_init (DossierUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = dossier_upload_dispose;
  object_class->finalize = dossier_upload_finalize;
  object_class->get_property = dossier_upload_get_property;

  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_CONTENT_TYPE] = g_param_spec_string ("content-type", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, DOSSIER_TYPE_UPLOAD_STATE,
                                              DOSSIER_UPLOAD_STATE_READY, flags);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  properties[PROP_BYTES_SENT] = g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_TOTAL_BYTES] = g_param_spec_uint64 ("total-bytes", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_SECONDS_LEFT] = g_param_spec_int ("seconds-left", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_PROGRESS_TEXT] = g_param_spec_string ("progress-text", NULL, NULL, NULL, flags);
  properties[PROP_RESULT] = g_param_spec_boxed ("result", NULL, NULL, DOSSIER_TYPE_RESULT, flags);
  properties[PROP_ATTEMPT] = g_param_spec_uint ("attempt", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_RETRY_IN] = g_param_spec_int ("retry-in", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_MAYBE_SENT] = g_param_spec_boolean ("maybe-sent", NULL, NULL, FALSE, flags);
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, flags);
  properties[PROP_DUPLICATE_OF] = g_param_spec_string ("duplicate-of", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierUpload::values-changed:
   *
   * A per-file field value changed.
   */
  signals[VALUES_CHANGED] = g_signal_new ("values-changed",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
dossier_upload_init (DossierUpload *self)
{
  self->size = -1;
  self->seconds_left = -1;
  self->retry_in = -1;
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->record_id = g_uuid_string_random ();
}

DossierUpload *
dossier_upload_new_for_file (GFile *file)
{
  DossierUpload *self;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (DOSSIER_TYPE_UPLOAD, NULL);
  self->file = g_object_ref (file);
  basename = g_file_get_basename (file);
  self->display_name = basename != NULL ? g_filename_display_name (basename)
                                        : g_file_get_parse_name (file);

  return self;
}

DossierUpload *
dossier_upload_new_for_url (const char *url)
{
  DossierUpload *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_UPLOAD, NULL);
  self->url = g_strdup (url);
  self->display_name = g_strdup (url);
  self->size = 0;

  return self;
}

GFile *
dossier_upload_get_file (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->file;
}

const char *
dossier_upload_get_url (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->url;
}

const char *
dossier_upload_get_display_name (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->display_name;
}

gint64
dossier_upload_get_size (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), -1);
  return self->size;
}

const char *
dossier_upload_get_content_type (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->content_type;
}

DossierUploadState
dossier_upload_get_state (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), DOSSIER_UPLOAD_STATE_INVALID);
  return self->state;
}

const char *
dossier_upload_get_problem (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->problem;
}

guint64
dossier_upload_get_bytes_sent (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), 0);
  return self->notified_sent;
}

guint64
dossier_upload_get_total_bytes (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), 0);
  return self->notified_total;
}

double
dossier_upload_get_fraction (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), 0.0);

  if (self->state == DOSSIER_UPLOAD_STATE_DONE)
    return 1.0;
  if (self->notified_total == 0)
    return 0.0;

  return CLAMP ((double) self->notified_sent / (double) self->notified_total, 0.0, 1.0);
}

double
dossier_upload_get_rate (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), 0.0);
  return self->rate;
}

int
dossier_upload_get_seconds_left (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), -1);
  return self->seconds_left;
}

char *
dossier_upload_dup_progress_text (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);

  switch (self->state)
    {
    case DOSSIER_UPLOAD_STATE_RUNNING:
      if (self->notified_total > 0)
        return dossier_format_progress (self->notified_sent, self->notified_total,
                                        self->rate, self->seconds_left);
      return g_strdup (_("Starting…"));

    case DOSSIER_UPLOAD_STATE_QUEUED:
      return g_strdup (_("Waiting for a free slot"));

    case DOSSIER_UPLOAD_STATE_DONE:
      if (self->size > 0)
        return g_format_size (self->size);
      return g_strdup ("");

    case DOSSIER_UPLOAD_STATE_WAITING:
    case DOSSIER_UPLOAD_STATE_READY:
    case DOSSIER_UPLOAD_STATE_INVALID:
    case DOSSIER_UPLOAD_STATE_FAILED:
    case DOSSIER_UPLOAD_STATE_CANCELLED:
    case DOSSIER_UPLOAD_STATE_UNKNOWN:
    default:
      if (self->notified_total > 0 && self->notified_sent > 0)
        return dossier_format_progress (self->notified_sent, self->notified_total, 0, -1);
      if (self->size > 0)
        return g_format_size (self->size);
      return g_strdup ("");
    }
}

const DossierResult *
dossier_upload_get_result (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->result;
}

guint
dossier_upload_get_attempt (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), 0);
  return self->attempt;
}

int
dossier_upload_get_retry_in (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), -1);
  return self->retry_in;
}

const char *
dossier_upload_get_value (DossierUpload *self,
                          const char    *name)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->values, name);
}

/**
 * dossier_upload_set_value:
 * @value: (nullable): the value; %NULL or "" unsets it
 */
void
dossier_upload_set_value (DossierUpload *self,
                          const char    *name,
                          const char    *value)
{
  const char *old;

  g_return_if_fail (DOSSIER_IS_UPLOAD (self));
  g_return_if_fail (name != NULL);

  if (value != NULL && *value == '\0')
    value = NULL;

  old = g_hash_table_lookup (self->values, name);
  if (g_strcmp0 (old, value) == 0)
    return;

  if (value == NULL)
    g_hash_table_remove (self->values, name);
  else
    g_hash_table_replace (self->values, g_strdup (name), g_strdup (value));

  g_signal_emit (self, signals[VALUES_CHANGED], 0);
}

/**
 * dossier_upload_get_values:
 *
 * Returns: (transfer none) (element-type utf8 utf8): the per-file values
 */
GHashTable *
dossier_upload_get_values (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->values;
}

gboolean
dossier_upload_is_finished (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), FALSE);

  return self->state == DOSSIER_UPLOAD_STATE_DONE ||
         self->state == DOSSIER_UPLOAD_STATE_FAILED ||
         self->state == DOSSIER_UPLOAD_STATE_CANCELLED ||
         self->state == DOSSIER_UPLOAD_STATE_UNKNOWN;
}

/* -------------------------------------------------------------------------- */
/* Private setters                                                            */

void
dossier_upload_init_values (DossierUpload *self,
                            GHashTable    *values)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (values == NULL)
    return;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL && *(const char *) value != '\0')
      g_hash_table_replace (self->values, g_strdup (key), g_strdup (value));
}

void
dossier_upload_set_state (DossierUpload      *self,
                          DossierUploadState  state)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (self->state == state)
    return;

  /* the last progress is shown as it was when the state changes */
  if (self->state == DOSSIER_UPLOAD_STATE_RUNNING)
    dossier_upload_flush_progress (self);

  self->state = state;

  if (state != DOSSIER_UPLOAD_STATE_RUNNING)
    {
      g_clear_pointer (&self->notify_source, dossier_source_clear);
      if (self->rate != 0 || self->seconds_left != -1)
        {
          self->rate = 0;
          self->seconds_left = -1;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TEXT]);
}

void
dossier_upload_set_problem (DossierUpload *self,
                            const char    *problem)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

void
dossier_upload_set_sha256 (DossierUpload *self,
                           const char    *sha256)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (g_strcmp0 (self->sha256, sha256) == 0)
    return;
  g_free (self->sha256);
  self->sha256 = g_strdup (sha256);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHA256]);
}

/* The file's SHA-256 in lowercase hex, once checked; NULL for a URL */
const char *
dossier_upload_get_sha256 (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->sha256;
}

void
dossier_upload_set_duplicates (DossierUpload       *self,
                               DossierHistoryEntry *duplicate,
                               DossierHistoryEntry *other_merchant,
                               const char          *sentence)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  g_set_object (&self->duplicate, duplicate);
  g_set_object (&self->other_merchant, other_merchant);
  if (g_strcmp0 (self->duplicate_of, sentence) == 0)
    return;
  g_free (self->duplicate_of);
  self->duplicate_of = g_strdup (sentence);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUPLICATE_OF]);
}

/**
 * dossier_upload_get_duplicate_of:
 *
 * The duplicate guard's warning, set once the file is checked: "Already
 * sent to Moov on 3 Dec as ktp.png (id …)", and or "Also sent for merchant
 * Toko Makmur on 3 Dec: a likely mix-up" (one sentence a line). It never
 * stops the upload.
 *
 * Returns: (nullable): %NULL when the file was not sent before
 */
const char *
dossier_upload_get_duplicate_of (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->duplicate_of;
}

/* The newest earlier upload of the same content to the same provider and
 * account, sent or with an unknown outcome; or NULL */
DossierHistoryEntry *
dossier_upload_get_duplicate (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->duplicate;
}

/* The newest earlier upload of the same content for another merchant; or
 * NULL */
DossierHistoryEntry *
dossier_upload_get_other_merchant (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->other_merchant;
}

void
dossier_upload_set_checked (DossierUpload *self,
                            gint64         size,
                            const char    *content_type)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (self->size != size)
    {
      self->size = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TEXT]);
    }

  if (g_strcmp0 (self->content_type, content_type) != 0)
    {
      g_free (self->content_type);
      self->content_type = g_strdup (content_type);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
    }
}

static void
update_rate (DossierUpload *self,
             gint64         now)
{
  const Sample *oldest;
  gint64 span;

  /* keep the samples of the last RATE_WINDOW, and one before it */
  while (self->n_samples > 1 && now - self->samples[1].time >= RATE_WINDOW)
    {
      memmove (self->samples, self->samples + 1, (self->n_samples - 1) * sizeof (Sample));
      self->n_samples--;
    }
  if (self->n_samples == N_SAMPLES)
    {
      memmove (self->samples, self->samples + 1, (N_SAMPLES - 1) * sizeof (Sample));
      self->n_samples--;
    }
  self->samples[self->n_samples].time = now;
  self->samples[self->n_samples].bytes = self->bytes_sent;
  self->n_samples++;

  oldest = &self->samples[0];
  span = now - oldest->time;
  if (span < RATE_MIN_SPAN || self->bytes_sent < oldest->bytes)
    return;

  self->rate = (double) (self->bytes_sent - oldest->bytes) * G_USEC_PER_SEC / (double) span;
  if (self->rate > 0 && self->total_bytes >= self->bytes_sent)
    self->seconds_left = (int) ceil ((double) (self->total_bytes - self->bytes_sent) / self->rate);
  else
    self->seconds_left = -1;
}

void
dossier_upload_flush_progress (DossierUpload *self)
{
  GObject *object = G_OBJECT (self);
  gboolean sent_changed;
  gboolean total_changed;
  double old_rate;
  int old_left;
  gint64 now;

  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  g_clear_pointer (&self->notify_source, dossier_source_clear);

  now = g_get_monotonic_time ();
  self->last_notify = now;
  old_rate = self->rate;
  old_left = self->seconds_left;
  if (self->state == DOSSIER_UPLOAD_STATE_RUNNING)
    update_rate (self, now);

  sent_changed = self->notified_sent != self->bytes_sent;
  total_changed = self->notified_total != self->total_bytes;
  self->notified_sent = self->bytes_sent;
  self->notified_total = self->total_bytes;

  g_object_freeze_notify (object);
  if (sent_changed)
    g_object_notify_by_pspec (object, properties[PROP_BYTES_SENT]);
  if (total_changed)
    g_object_notify_by_pspec (object, properties[PROP_TOTAL_BYTES]);
  if (sent_changed || total_changed)
    g_object_notify_by_pspec (object, properties[PROP_FRACTION]);
  if (old_rate != self->rate)
    g_object_notify_by_pspec (object, properties[PROP_RATE]);
  if (old_left != self->seconds_left)
    g_object_notify_by_pspec (object, properties[PROP_SECONDS_LEFT]);
  if (sent_changed || total_changed || old_rate != self->rate || old_left != self->seconds_left)
    g_object_notify_by_pspec (object, properties[PROP_PROGRESS_TEXT]);
  g_object_thaw_notify (object);
}

static gboolean
flush_progress_cb (gpointer user_data)
{
  DossierUpload *self = user_data;

  dossier_upload_flush_progress (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_progress (DossierUpload *self)
{
  gint64 now;
  gint64 due;

  if (self->notify_source != NULL)
    return;

  now = g_get_monotonic_time ();
  due = self->last_notify + PROGRESS_INTERVAL;
  if (now >= due)
    {
      dossier_upload_flush_progress (self);
      return;
    }

  self->notify_source = dossier_timeout_add ((due - now + 999) / 1000, flush_progress_cb,
                                             self, "[dossier] upload progress");
}

void
dossier_upload_set_progress (DossierUpload *self,
                             guint64        bytes_sent,
                             guint64        total_bytes)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  self->bytes_sent = bytes_sent;
  self->total_bytes = total_bytes;
  schedule_progress (self);
}

void
dossier_upload_add_progress (DossierUpload *self,
                             guint64        bytes)
{
  self->bytes_sent += bytes;
  if (self->notify_source == NULL)
    schedule_progress (self);
}

/* A new attempt starts from nothing */
void
dossier_upload_reset_progress (DossierUpload *self)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  self->bytes_sent = 0;
  self->total_bytes = 0;
  self->n_samples = 0;
  self->rate = 0;
  self->seconds_left = -1;
  dossier_upload_flush_progress (self);
  /* the first bytes of the attempt are shown at once */
  self->last_notify = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
}

void
dossier_upload_take_result (DossierUpload *self,
                            DossierResult *result)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (self->result == result)
    return;

  g_clear_pointer (&self->result, dossier_result_free);
  self->result = result;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

void
dossier_upload_set_attempt (DossierUpload *self,
                            guint          attempt)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (self->attempt == attempt)
    return;

  self->attempt = attempt;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT]);
}

void
dossier_upload_set_retry_in (DossierUpload *self,
                             int            seconds)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (self->retry_in == seconds)
    return;

  self->retry_in = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_IN]);
}

/**
 * dossier_upload_get_record_id:
 *
 * Returns: the id that names this upload in the history's record (a
 *   random UUID; a restored upload keeps the one it had)
 */
const char *
dossier_upload_get_record_id (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), NULL);
  return self->record_id;
}

void
dossier_upload_set_record_id (DossierUpload *self,
                              const char    *record_id)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));
  g_return_if_fail (record_id != NULL && *record_id != '\0');

  g_free (self->record_id);
  self->record_id = g_strdup (record_id);
}

/**
 * dossier_upload_get_maybe_sent:
 *
 * Returns: %TRUE for a restored upload that was being sent when Dossier
 *   stopped (or whose answer was lost): it may have reached the provider
 */
gboolean
dossier_upload_get_maybe_sent (DossierUpload *self)
{
  g_return_val_if_fail (DOSSIER_IS_UPLOAD (self), FALSE);
  return self->maybe_sent;
}

void
dossier_upload_set_maybe_sent (DossierUpload *self,
                               gboolean       maybe_sent)
{
  g_return_if_fail (DOSSIER_IS_UPLOAD (self));

  if (self->maybe_sent == !!maybe_sent)
    return;
  self->maybe_sent = !!maybe_sent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAYBE_SENT]);
}
