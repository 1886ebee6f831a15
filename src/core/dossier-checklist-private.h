/* dossier-checklist-private.h: the checklist's pure parse functions, for tests
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-checklist.h"

G_BEGIN_DECLS

/* One requirement id the provider's answer names */
typedef struct
{
  char *id;
  char *name;          /* the provider's own name for it (DOKU), or NULL */
  char *error_code;    /* the error against it (Moov), or NULL */
  gboolean due;        /* listed as due (not only as an error) */
} DossierChecklistDue;

/* One file of the provider's list (Moov's files) */
typedef struct
{
  char *id;
  DossierChecklistState state;
  char *reason;
  char *requirement_id;
  char *error_code;
} DossierChecklistFile;

struct _DossierChecklistItem
{
  GObject parent_instance;

  char *requirement_id;
  char *label;
  DossierChecklistState state;
  gboolean optional;
  char *reason;
  char *advice;
  char *error_code;
  char *remote_id;
  GHashTable *fields;
  char *metadata;
  DossierChecklistUpload *upload;   /* a copy */
  GStrv keywords;                    /* the descriptor's, then its field values' choices' */
};

void        _dossier_checklist_due_free  (gpointer data);
void        _dossier_checklist_file_free (gpointer data);

/* The requirement answer: a GPtrArray of DossierChecklistDue, in the
 * answer's order, one per id; NULL with @error when it cannot be read */
GPtrArray  *_dossier_checklist_parse_answer (const DossierRequirementsSpec *spec,
                                             const char                    *provider_name,
                                             const char                    *data,
                                             gssize                         length,
                                             GError                       **error);
/* The provider's file list: a GPtrArray of DossierChecklistFile */
GPtrArray  *_dossier_checklist_parse_files  (const DossierRequirementsSpec *spec,
                                             const char                    *provider_name,
                                             const char                    *data,
                                             gssize                         length,
                                             GError                       **error);
/* requirement_id and error_code of a metadata JSON text, read leniently
 * (Moov's own example is broken JSON): left NULL when it does not parse */
void        _dossier_checklist_read_metadata (const char  *text,
                                              char       **requirement_id,
                                              char       **error_code);
/* Whether @id matches @pattern ("document.representative.{rid}.tin"); the
 * {name} parts go into @captures when it does */
gboolean    _dossier_checklist_match_id     (const char *pattern,
                                             const char *id,
                                             GHashTable *captures);

DossierChecklistItem *_dossier_checklist_item_new (const char *requirement_id);
DossierChecklistUpload *_dossier_checklist_upload_copy (const DossierChecklistUpload *upload);

/* dossier-checklist.c: the answers last read, for dossier-checklist-fetch.c */
void        _dossier_checklist_set_answers  (DossierChecklist  *self,
                                             GBytes            *answer,
                                             GBytes            *files_answer,
                                             gint64             asked_at);
gboolean    _dossier_checklist_get_answers  (DossierChecklist  *self,
                                             GBytes           **answer,
                                             GBytes           **files_answer,
                                             gint64            *asked_at);

/* When the items were last computed (Unix time), for the summary */
gint64      _dossier_checklist_get_computed_at (DossierChecklist *self);

G_END_DECLS
