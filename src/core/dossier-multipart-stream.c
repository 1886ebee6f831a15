/* dossier-multipart-stream.c: the input stream that yields a multipart body
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body is a list of segments: bytes (headers, field values,
 * delimiters) and file slices, each opened by dossier_multipart_open().
 * Reads go through them in order, never holding a file in memory; the
 * asynchronous path reads ahead in a worker thread.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-multipart-private.h"
#include "dossier-types.h"

/* How much a small read fetches from disk at once.  The callers that matter
 * (g_output_stream_splice() and its async variant, and so libsoup) ask for
 * 8 KiB at a time; reading ahead in bigger steps spares a system call, and on
 * the asynchronous path a worker-thread hop, per 8 KiB.  Memory stays bounded
 * by this size, whatever the file size.
 */
#define READ_AHEAD_SIZE (512 * 1024)


struct _DossierMultipartStream
{
  GInputStream  parent_instance;

  /* Only touched by the operation in progress, which GInputStream keeps to
   * one at a time, possibly from a worker thread.
   */
  GArray       *segments;        /* of DossierMultipartSegment */
  guint         current;         /* index into segments */
  goffset       position;        /* within the current segment */

  /* Read-ahead of the asynchronous path; served before anything else. */
  guint8       *buffer;
  gsize         buffer_start;
  gsize         buffer_end;
};

G_DEFINE_FINAL_TYPE (DossierMultipartStream, dossier_multipart_stream, G_TYPE_INPUT_STREAM)

void
_dossier_multipart_segment_clear (gpointer data)
{
  DossierMultipartSegment *segment = data;

  g_clear_pointer (&segment->bytes, g_bytes_unref);
  g_clear_object (&segment->file);
  g_clear_pointer (&segment->display_name, g_free);
  g_clear_object (&segment->input);
}

void
_dossier_multipart_set_changed_error (GError     **error,
                                      const char  *display_name)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("“%s” changed while it was being sent"), display_name);
}

static gsize
buffered (DossierMultipartStream *self)
{
  return self->buffer_end - self->buffer_start;
}

static gsize
take_buffered (DossierMultipartStream *self,
               guint8                 *data,
               gsize                   count)
{
  gsize n = MIN (count, buffered (self));

  memcpy (data, self->buffer + self->buffer_start, n);
  self->buffer_start += n;

  return n;
}

/* Moves up to @count bytes of the body on from the segments, copying them
 * into @data (skipping them when @data is %NULL); @done of them are already
 * accounted for.  Goes as far as is asked unless the body ends or an error
 * occurs; on an error after some bytes were produced, those bytes are
 * returned and the error comes again on the next call.
 */
static gssize
advance (DossierMultipartStream  *self,
         guint8                  *data,
         gsize                    done,
         gsize                    count,
         GCancellable            *cancellable,
         GError                 **error)
{
  while (done < count && self->current < self->segments->len)
    {
      DossierMultipartSegment *segment = &g_array_index (self->segments, DossierMultipartSegment, self->current);
      goffset remaining = segment->length - self->position;
      gsize want;
      gssize n;

      if (remaining == 0)
        {
          self->current++;
          self->position = 0;
          continue;
        }

      want = (gsize) MIN ((goffset) (count - done), remaining);

      if (segment->bytes != NULL)
        {
          if (data != NULL)
            {
              const guint8 *bytes = g_bytes_get_data (segment->bytes, NULL);

              memcpy (data + done, bytes + self->position, want);
            }
          n = (gssize) want;
        }
      else
        {
          g_autoptr(GError) local_error = NULL;

          if (data != NULL)
            n = g_input_stream_read (segment->input, data + done, want,
                                     cancellable, &local_error);
          else
            n = g_input_stream_skip (segment->input, want, cancellable, &local_error);

          if (n == 0)
            _dossier_multipart_set_changed_error (&local_error, segment->display_name);
          else if (n < 0 && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              /* the disk, not the network: said as such, never retried */
              GError *read_error = g_error_new (DOSSIER_ERROR, DOSSIER_ERROR_FILE,
                                                /* Translators: "Could not read “KTP.jpg”:
                                                 * Input/output error" */
                                                _("Could not read “%s”: %s"),
                                                segment->display_name, local_error->message);

              g_clear_error (&local_error);
              local_error = read_error;
            }

          if (local_error != NULL)
            {
              if (done > 0)
                return (gssize) done;

              g_propagate_error (error, g_steal_pointer (&local_error));
              return -1;
            }
        }

      self->position += n;
      done += (gsize) n;
    }

  return (gssize) done;
}

/* Reads the next READ_AHEAD_SIZE bytes of the body into the read-ahead
 * buffer, which must be empty */
static gboolean
refill (DossierMultipartStream  *self,
        GCancellable            *cancellable,
        GError                 **error)
{
  gssize n;

  if (self->buffer == NULL)
    self->buffer = g_malloc (READ_AHEAD_SIZE);

  n = advance (self, self->buffer, 0, READ_AHEAD_SIZE, cancellable, error);
  if (n < 0)
    return FALSE;

  self->buffer_start = 0;
  self->buffer_end = (gsize) n;
  return TRUE;
}

static gssize
dossier_multipart_stream_read (GInputStream  *stream,
                               void          *buffer,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  DossierMultipartStream *self = DOSSIER_MULTIPART_STREAM (stream);

  if (buffered (self) > 0)
    return (gssize) take_buffered (self, buffer, count);

  /* Big reads go straight into the caller's buffer; small ones (splice
   * reads 8 KiB) through the read-ahead buffer, sparing a system call each.
   */
  if (count >= READ_AHEAD_SIZE / 4)
    return advance (self, buffer, 0, count, cancellable, error);

  if (!refill (self, cancellable, error))
    return -1;

  return (gssize) take_buffered (self, buffer, count);
}

static gssize
dossier_multipart_stream_skip (GInputStream  *stream,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  DossierMultipartStream *self = DOSSIER_MULTIPART_STREAM (stream);
  gsize done;

  done = MIN (count, buffered (self));
  self->buffer_start += done;

  return advance (self, NULL, done, count, cancellable, error);
}

static gboolean
dossier_multipart_stream_close (GInputStream  *stream,
                                GCancellable  *cancellable,
                                GError       **error)
{
  DossierMultipartStream *self = DOSSIER_MULTIPART_STREAM (stream);
  g_autoptr(GError) first_error = NULL;

  for (guint i = 0; i < self->segments->len; i++)
    {
      DossierMultipartSegment *segment = &g_array_index (self->segments, DossierMultipartSegment, i);
      g_autoptr(GError) local_error = NULL;

      if (segment->input == NULL)
        continue;

      if (!g_input_stream_close (segment->input, cancellable, &local_error) &&
          first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }

  g_clear_pointer (&self->buffer, g_free);
  self->buffer_start = self->buffer_end = 0;

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  guint8 *data;
  gsize   count;
} ReadData;

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DossierMultipartStream *self = source_object;
  ReadData *read_data = task_data;
  GError *error = NULL;

  if (!refill (self, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, (gssize) take_buffered (self, read_data->data, read_data->count));
}

/* GIO's default asynchronous read on a stream that cannot poll runs read_fn
 * in a worker thread for every call, and libsoup's splice asks for 8 KiB at a
 * time.  Here a worker thread reads ahead READ_AHEAD_SIZE bytes at once and
 * the following calls are served from that buffer without a thread.
 */
static void
dossier_multipart_stream_read_async (GInputStream        *stream,
                                     void                *buffer,
                                     gsize                count,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  DossierMultipartStream *self = DOSSIER_MULTIPART_STREAM (stream);
  g_autoptr(GTask) task = NULL;
  ReadData *read_data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_multipart_stream_read_async);
  g_task_set_priority (task, io_priority);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (buffered (self) > 0)
    {
      g_task_return_int (task, (gssize) take_buffered (self, buffer, count));
      return;
    }

  if (count == 0 || self->current >= self->segments->len)
    {
      g_task_return_int (task, 0);
      return;
    }

  read_data = g_new0 (ReadData, 1);
  read_data->data = buffer;
  read_data->count = count;
  g_task_set_task_data (task, read_data, g_free);

  g_task_run_in_thread (task, read_thread);
}

static gssize
dossier_multipart_stream_read_finish (GInputStream  *stream,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        dossier_multipart_stream_read_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
dossier_multipart_stream_finalize (GObject *object)
{
  DossierMultipartStream *self = DOSSIER_MULTIPART_STREAM (object);

  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->buffer, g_free);

  G_OBJECT_CLASS (dossier_multipart_stream_parent_class)->finalize (object);
}

static void
dossier_multipart_stream_class_init (DossierMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = dossier_multipart_stream_finalize;

  stream_class->read_fn = dossier_multipart_stream_read;
  stream_class->skip = dossier_multipart_stream_skip;
  stream_class->close_fn = dossier_multipart_stream_close;
  stream_class->read_async = dossier_multipart_stream_read_async;
  stream_class->read_finish = dossier_multipart_stream_read_finish;
}

static void
dossier_multipart_stream_init (DossierMultipartStream *self)
{
  self->segments = g_array_new (FALSE, TRUE, sizeof (DossierMultipartSegment));
  g_array_set_clear_func (self->segments, _dossier_multipart_segment_clear);
}

/* Appends what @string holds as a segment, and empties @string */
void
_dossier_multipart_stream_add_bytes (DossierMultipartStream *self,
                                     GString                *string)
{
  DossierMultipartSegment segment = { 0, };

  if (string->len == 0)
    return;

  segment.length = (goffset) string->len;
  segment.bytes = g_bytes_new (string->str, string->len);
  g_array_append_val (self->segments, segment);
  g_string_truncate (string, 0);
}

/* Appends @segment, which the stream owns from now on */
void
_dossier_multipart_stream_add_segment (DossierMultipartStream  *self,
                                       DossierMultipartSegment *segment)
{
  g_array_append_val (self->segments, *segment);
}

DossierMultipartStream *
_dossier_multipart_stream_new (void)
{
  return g_object_new (DOSSIER_TYPE_MULTIPART_STREAM, NULL);
}
