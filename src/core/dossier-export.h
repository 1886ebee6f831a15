/* dossier-export.h: the audit export, the record of uploads as CSV, JSON
 * and a printable HTML summary
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-history-entry.h"
#include "dossier-merchant.h"
#include "dossier-redact.h"

G_BEGIN_DECLS

typedef enum
{
  DOSSIER_EXPORT_CSV,
  DOSSIER_EXPORT_JSON,
  DOSSIER_EXPORT_HTML,
} DossierExportFormat;

/* "csv", "json", "html"; FALSE for anything else */
gboolean   dossier_export_parse_format (const char          *text,
                                        DossierExportFormat *format);

/* What goes into one export: the finished uploads of @merchant_id (NULL:
 * every merchant, and uploads for none) that finished at or after @from
 * and before @to (either NULL: no bound), oldest first. @history is a
 * GListModel of DossierHistoryEntry, newest first (DossierHistory). */
GPtrArray *dossier_export_select       (GListModel          *history,
                                        const char          *merchant_id,
                                        GDateTime           *from,
                                        GDateTime           *to);

typedef struct
{
  DossierExportFormat format;
  /* for the HTML summary's heading and account values; NULL: a date
   * range over all merchants */
  DossierMerchant *merchant;
  /* merchant id -> display name, for the merchant_name column; nullable */
  GHashTable *merchant_names;
  /* DossierChecklist, one per provider, for the HTML summary; nullable */
  GPtrArray *checklists;
  /* the range selected, said in the HTML summary; nullable */
  GDateTime *from;
  GDateTime *to;
  /* every value written goes through it; nullable */
  DossierRedact *redact;
} DossierExportOptions;

/* The export of @entries (DossierHistoryEntry) as text:
 *   CSV:  RFC 4180, UTF-8, CRLF line ends, a header row; a cell starting
 *         with =, +, - or @ gets a leading apostrophe (no formula runs
 *         when a spreadsheet opens it)
 *   JSON: one array of objects, the members of "dossier-cli history
 *         --json" plus merchant_name
 *   HTML: a self-contained printable page (inline CSS, nothing external),
 *         every value escaped */
char      *dossier_export_to_text      (const DossierExportOptions *options,
                                        GPtrArray                  *entries);

/* Written whole or not at all: a temporary file, fsync, rename, 0600 */
gboolean   dossier_export_write_file   (const char                 *path,
                                        const char                 *text,
                                        GError                    **error);
gboolean   dossier_export_write_stream (GOutputStream              *stream,
                                        const char                 *text,
                                        GCancellable               *cancellable,
                                        GError                    **error);

G_END_DECLS
