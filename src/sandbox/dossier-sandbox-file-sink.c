/* dossier-sandbox-file-sink.c: where a file part's bytes go, written and hashed
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bytes of a file part are gathered in blocks of 1 MiB; a
 * part that fills more than one block gets a worker thread that writes and
 * hashes the blocks while the server thread keeps reading the socket (SHA-256
 * is the most expensive step).  At most BLOCKS_IN_FLIGHT blocks exist per
 * part, so memory stays flat whatever the size of the file.
 */

#include "config.h"

#include <string.h>

#include "dossier-sandbox-multipart-private.h"

#define BLOCK_SIZE       (1024 * 1024)
#define BLOCKS_IN_FLIGHT 4

typedef struct
{
  guint8 *data;
  gsize   len;
} Block;

struct _DossierSandboxFileSink
{
  GOutputStream *out;
  GChecksum     *checksum;
  GError        *error;
  Block         *cur;
  GThread       *thread;
  GAsyncQueue   *todo;    /* Block *, or &end_marker */
  GAsyncQueue   *spare;   /* Block * */
  guint          n_blocks;
};

static Block end_marker;

static Block *
block_new (void)
{
  Block *block = g_new0 (Block, 1);

  block->data = g_malloc (BLOCK_SIZE);
  return block;
}

static void
block_free (gpointer data)
{
  Block *block = data;

  if (block == NULL || block == &end_marker)
    return;
  g_free (block->data);
  g_free (block);
}

static void
sink_process (DossierSandboxFileSink *sink,
              Block                  *block)
{
  if (sink->error == NULL && block->len > 0)
    {
      g_checksum_update (sink->checksum, block->data, block->len);
      g_output_stream_write_all (sink->out, block->data, block->len, NULL, NULL, &sink->error);
    }
  block->len = 0;
}

static gpointer
sink_worker (gpointer data)
{
  DossierSandboxFileSink *sink = data;
  Block *block;

  while ((block = g_async_queue_pop (sink->todo)) != &end_marker)
    {
      sink_process (sink, block);
      g_async_queue_push (sink->spare, block);
    }

  return NULL;
}

DossierSandboxFileSink *
_dossier_sandbox_file_sink_new (GOutputStream *out)
{
  DossierSandboxFileSink *sink = g_new0 (DossierSandboxFileSink, 1);

  sink->out = out;
  sink->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sink->cur = block_new ();
  sink->n_blocks = 1;

  return sink;
}

static void
sink_flush (DossierSandboxFileSink *sink)
{
  if (sink->thread == NULL)
    {
      sink->todo = g_async_queue_new ();
      sink->spare = g_async_queue_new_full (block_free);
      sink->thread = g_thread_new ("dossier-sandbox-sink", sink_worker, sink);
    }

  g_async_queue_push (sink->todo, sink->cur);
  sink->cur = NULL;

  if (sink->n_blocks < BLOCKS_IN_FLIGHT)
    {
      sink->cur = g_async_queue_try_pop (sink->spare);
      if (sink->cur == NULL)
        {
          sink->cur = block_new ();
          sink->n_blocks++;
        }
    }
  else
    {
      /* back pressure: wait for the worker to hand a block back */
      sink->cur = g_async_queue_pop (sink->spare);
    }
}

void
_dossier_sandbox_file_sink_write (DossierSandboxFileSink *sink,
                                  const guint8           *data,
                                  gsize                   len)
{
  while (len > 0)
    {
      gsize n = MIN (len, BLOCK_SIZE - sink->cur->len);

      memcpy (sink->cur->data + sink->cur->len, data, n);
      sink->cur->len += n;
      data += n;
      len -= n;
      if (sink->cur->len == BLOCK_SIZE)
        sink_flush (sink);
    }
}

/* Waits for everything to be written; returns the hex SHA-256 */
char *
_dossier_sandbox_file_sink_finish (DossierSandboxFileSink *sink,
                                   GError                **error)
{
  if (sink->thread != NULL)
    {
      if (sink->cur->len > 0)
        {
          g_async_queue_push (sink->todo, sink->cur);
          sink->cur = NULL;
        }
      g_async_queue_push (sink->todo, &end_marker);
      g_thread_join (g_steal_pointer (&sink->thread));
    }
  if (sink->cur != NULL)
    sink_process (sink, sink->cur);

  if (sink->error == NULL)
    g_output_stream_close (sink->out, NULL, &sink->error);
  if (sink->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sink->error));
      return NULL;
    }

  return g_strdup (g_checksum_get_string (sink->checksum));
}

void
_dossier_sandbox_file_sink_free (DossierSandboxFileSink *sink)
{
  if (sink == NULL)
    return;

  if (sink->thread != NULL)
    {
      g_async_queue_push (sink->todo, &end_marker);
      g_thread_join (sink->thread);
    }
  if (sink->out != NULL)
    g_output_stream_close (sink->out, NULL, NULL);
  g_clear_object (&sink->out);
  g_clear_pointer (&sink->todo, g_async_queue_unref);
  g_clear_pointer (&sink->spare, g_async_queue_unref);
  block_free (sink->cur);
  g_checksum_free (sink->checksum);
  g_clear_error (&sink->error);
  g_free (sink);
}
