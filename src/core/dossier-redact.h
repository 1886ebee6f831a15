/* dossier-redact.h: the one place where secrets are masked
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What replaces a secret; ASCII, so that it reads the same in any
 * terminal and in any language (it is stored in the history too) */
#define DOSSIER_REDACT_PLACEHOLDER "[hidden]"

/* The shortest secret that is looked for inside a text */
#define DOSSIER_REDACT_MIN_LENGTH 8

typedef struct _DossierRedact DossierRedact;

DossierRedact *dossier_redact_new               (void);
void           dossier_redact_free              (DossierRedact  *self);
void           dossier_redact_add               (DossierRedact  *self,
                                                 const char     *secret);
void           dossier_redact_add_header_value  (DossierRedact  *self,
                                                 const char     *value);
void           dossier_redact_add_strv          (DossierRedact  *self,
                                                 const char * const *secrets);
gboolean       dossier_redact_is_empty          (DossierRedact  *self);
char          *dossier_redact_apply             (DossierRedact  *self,
                                                 const char     *text);
char          *dossier_redact_apply_data        (DossierRedact  *self,
                                                 const char     *text);
void           dossier_redact_scrub             (DossierRedact  *self,
                                                 char          **text);
void           dossier_redact_scrub_data        (DossierRedact  *self,
                                                 char          **text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierRedact, dossier_redact_free)

G_END_DECLS
