/* dossier-task-private.h: how the task list makes a task
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-task.h"

G_BEGIN_DECLS

DossierTask *_dossier_task_new (DossierHistoryEntry *entry,
                                DossierProvider     *provider);

G_END_DECLS
