/* dossier-checklist-fetch.h: asking a provider what it still needs
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-checklist.h"
#include "dossier-client.h"
#include "dossier-credentials.h"

G_BEGIN_DECLS

void     dossier_checklist_refresh_async  (DossierChecklist        *checklist,
                                           const char              *base_url,
                                           const char              *merchant_id,
                                           GHashTable              *account_values,
                                           DossierCredentials      *credentials,
                                           DossierClient           *client,
                                           DossierChecklistLimiter *limiter,
                                           GPtrArray               *uploads,
                                           GHashTable              *names,
                                           gint64                   now,
                                           GCancellable            *cancellable,
                                           GAsyncReadyCallback      callback,
                                           gpointer                 user_data);
gboolean dossier_checklist_refresh_finish (DossierChecklist        *checklist,
                                           GAsyncResult            *result,
                                           gboolean                *out_cached,
                                           gint64                  *out_age,
                                           GError                 **error);

/* "checked 20 s ago" for a result the limiter held back */
char    *dossier_checklist_describe_age   (gint64                   age);

G_END_DECLS
