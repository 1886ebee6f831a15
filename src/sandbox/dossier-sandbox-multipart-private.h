/* dossier-sandbox-multipart-private.h: incremental multipart/form-data parser
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOSSIER_SANDBOX_MULTIPART_ERROR (dossier_sandbox_multipart_error_quark ())

typedef enum
{
  DOSSIER_SANDBOX_MULTIPART_ERROR_SYNTAX,
  DOSSIER_SANDBOX_MULTIPART_ERROR_FIELD_TOO_LARGE,
  DOSSIER_SANDBOX_MULTIPART_ERROR_TOO_MANY_PARTS,
  DOSSIER_SANDBOX_MULTIPART_ERROR_IO,
} DossierSandboxMultipartError;

#define DOSSIER_SANDBOX_MULTIPART_HEAD_SIZE 16

typedef struct
{
  char     *name;            /* form field name, never NULL ("" when absent) */
  char     *filename;        /* decoded; NULL for a plain field */
  char     *content_type;    /* NULL when the part has none */

  /* plain fields */
  GBytes   *value;

  /* file parts */
  char     *path;            /* where the bytes were written, or NULL */
  guint64   size;            /* bytes in the part, even beyond the cap */
  gboolean  truncated;       /* size went over the file cap: path holds less */
  char     *sha256;          /* hex, NULL when truncated */
  guint8    head[DOSSIER_SANDBOX_MULTIPART_HEAD_SIZE];
  gsize     head_len;
  gboolean  is_text;         /* valid UTF-8 without NUL bytes */
  gboolean  keep;            /* set by the owner: do not delete path on free */
} DossierSandboxMultipartPart;

typedef struct _DossierSandboxMultipartParser DossierSandboxMultipartParser;

GQuark
dossier_sandbox_multipart_error_quark (void);

char *
dossier_sandbox_multipart_get_boundary (const char *content_type);

DossierSandboxMultipartParser *
dossier_sandbox_multipart_parser_new (const char *boundary,
                                      const char *dir,
                                      gsize       field_cap,
                                      guint64     file_cap);

void
dossier_sandbox_multipart_parser_free (DossierSandboxMultipartParser *self);

gboolean
dossier_sandbox_multipart_parser_feed (DossierSandboxMultipartParser *self,
                                       const guint8                  *data,
                                       gsize                          len,
                                       GError                       **error);

gboolean
dossier_sandbox_multipart_parser_finish (DossierSandboxMultipartParser *self,
                                         GError                       **error);

GPtrArray *
dossier_sandbox_multipart_parser_get_parts (DossierSandboxMultipartParser *self);

const char *
dossier_sandbox_multipart_parser_peek_field (DossierSandboxMultipartParser *self,
                                             const char                    *name);

char *
dossier_sandbox_multipart_decode_filename (const char *raw);

/* A file part's writer and hasher (dossier-sandbox-file-sink.c); it owns
 * @out */
typedef struct _DossierSandboxFileSink DossierSandboxFileSink;

DossierSandboxFileSink *
_dossier_sandbox_file_sink_new (GOutputStream *out);

void
_dossier_sandbox_file_sink_write (DossierSandboxFileSink *sink,
                                  const guint8           *data,
                                  gsize                   len);

char *
_dossier_sandbox_file_sink_finish (DossierSandboxFileSink *sink,
                                   GError                **error);

void
_dossier_sandbox_file_sink_free (DossierSandboxFileSink *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierSandboxMultipartParser, dossier_sandbox_multipart_parser_free)

G_END_DECLS
