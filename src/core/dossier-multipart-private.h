/* dossier-multipart-private.h: between the multipart body and its stream
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-multipart.h"

G_BEGIN_DECLS

/* A piece of the body: bytes, or a slice of an opened file */
typedef struct
{
  GBytes       *bytes;         /* headers and delimiters; NULL for a file slice */
  GFile        *file;
  char         *display_name;  /* for error messages */
  goffset       length;        /* bytes this segment yields */
  GInputStream *input;         /* the opened file, positioned at the slice */
} DossierMultipartSegment;


/* What dossier_multipart_open() returns (dossier-multipart-stream.c) */
#define DOSSIER_TYPE_MULTIPART_STREAM (dossier_multipart_stream_get_type ())

G_DECLARE_FINAL_TYPE (DossierMultipartStream, dossier_multipart_stream,
                      DOSSIER, MULTIPART_STREAM, GInputStream)


DossierMultipartStream *_dossier_multipart_stream_new         (void);
void                    _dossier_multipart_stream_add_bytes   (DossierMultipartStream  *self,
                                                               GString                 *string);
void                    _dossier_multipart_stream_add_segment (DossierMultipartStream  *self,
                                                               DossierMultipartSegment *segment);
void                    _dossier_multipart_segment_clear      (gpointer                 data);
/* "“NAME” changed while it was being sent" */
void                    _dossier_multipart_set_changed_error  (GError                 **error,
                                                               const char              *display_name);

G_END_DECLS
