/* dossier-queue-state-private.h: what the queue state takes from a submission
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-queue-state.h"

G_BEGIN_DECLS

/* In dossier-submission.c */
GHashTable    *dossier_submission_get_values      (DossierSubmission *self);
DossierUpload *dossier_submission_make_restored   (DossierSubmission *self,
                                                   GFile             *file,
                                                   const char        *url,
                                                   GHashTable        *values);
void           dossier_submission_append_restored (DossierSubmission *self,
                                                   GPtrArray         *uploads);

/* For tests: called with @path on the thread that writes the file, just
 * before it does (%NULL: none) */
typedef void (*DossierQueueWriteHook) (const char *path,
                                       gpointer    data);
void _dossier_queue_state_set_write_hook (DossierQueueWriteHook hook,
                                          gpointer              data);

/* Pure, for tests */
DossierQueueState *dossier_queue_state_new_from_json (JsonNode  *root,
                                                      GError   **error);
JsonNode          *dossier_queue_state_to_json       (DossierQueueState *self);

G_END_DECLS
