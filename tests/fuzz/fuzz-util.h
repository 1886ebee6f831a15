/* fuzz-util.h: what the fuzz targets share
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* GLib's criticals and warnings end the run, as a crash would */
void        dossier_fuzz_init        (void);
/* A scratch folder of the process's own (made on the first call), removed
 * with what it holds when the process ends */
const char *dossier_fuzz_scratch_dir (void);

G_END_DECLS
