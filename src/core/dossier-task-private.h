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
/* how many times the list was worked out again since it was made (tests) */
guint        _dossier_task_list_get_n_rebuilds (DossierTaskList *self);

G_END_DECLS
