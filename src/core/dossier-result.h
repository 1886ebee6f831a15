/* dossier-result.h: what a provider said about one upload
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-provider.h"

G_BEGIN_DECLS

/* One shape for every provider, success or failure. */
struct _DossierResult
{
  char      *remote_id;     /* DOKU id, Kore fileId, Moov fileID, receeve fileId */
  char      *link;          /* where the file can be seen, if the provider gives one */
  char      *status;        /* provider's status, e.g. Moov "pending" */
  GDateTime *link_expires;  /* DOKU: 60 minutes after the upload; NULL if it does not expire */
  guint      http_status;   /* 0 when no answer came (network error, cancelled) */
  char      *message;       /* the provider's own message on failure, or a network error */
  char      *code;          /* the provider's error code, e.g. DOKU "INVALID_PARAMETER" */
  char      *request_id;    /* e.g. Moov x-request-id */
};

#define DOSSIER_TYPE_RESULT (dossier_result_get_type ())

GType          dossier_result_get_type (void) G_GNUC_CONST;
DossierResult *dossier_result_new      (void);
DossierResult *dossier_result_copy     (const DossierResult *self);
void           dossier_result_free     (DossierResult       *self);
gboolean       dossier_result_is_success (const DossierResult *self);
char          *dossier_result_describe_failure (const DossierResult *self);
JsonNode      *dossier_result_to_json  (const DossierResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierResult, dossier_result_free)

G_END_DECLS
