/* dossier-sandbox-private.h: internals of the sandbox, for its tests
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-sandbox.h"

G_BEGIN_DECLS

/* What a fault does after the request was handled (and its file stored) */
typedef enum
{
  DOSSIER_SANDBOX_STORE_NONE,
  DOSSIER_SANDBOX_STORE_FAIL,   /* stored, then a failure status (500 unless status=) */
  DOSSIER_SANDBOX_STORE_DROP,   /* stored, then the connection dropped, no answer */
} DossierSandboxStoreThen;

typedef struct
{
  char    *provider;     /* NULL: every provider */
  char    *op;           /* NULL: every operation */
  guint    status;       /* 0: none */
  gint     retry_after;  /* -1: none */
  guint    delay_ms;
  gint64   drop;         /* -1: none */
  gboolean malformed_json;
  gint     chunk;        /* -1: any chunk */
  guint    times;        /* 0: every matching request */
  DossierSandboxStoreThen store_then;
  double   probability;  /* of applying to a matching request; 1: always */
} DossierSandboxFault;

DossierSandboxFault *dossier_sandbox_fault_parse   (const char                *spec,
                                                    GError                   **error);
DossierSandboxFault *dossier_sandbox_fault_copy    (const DossierSandboxFault *fault);
void                 dossier_sandbox_fault_free    (DossierSandboxFault       *fault);
gboolean             dossier_sandbox_fault_matches (const DossierSandboxFault *fault,
                                                    const char                *provider,
                                                    const char                *op,
                                                    gint                       chunk);

/* how long new Kore upload sessions live (default 3600 s); for tests of 410 */
void                 dossier_sandbox_set_kore_session_lifetime (DossierSandbox *self,
                                                                guint           seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierSandboxFault, dossier_sandbox_fault_free)

G_END_DECLS
