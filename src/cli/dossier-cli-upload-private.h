/* dossier-cli-upload-private.h: what the files of dossier-cli upload share
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dossier-cli-upload.c runs the command, dossier-cli-upload-print.c
 * prints what happened to each file and the progress line,
 * dossier-cli-upload-help.c writes --help from the catalogue.
 */

#pragma once

#include "dossier-catalogue.h"
#include "dossier-submission.h"

G_BEGIN_DECLS

typedef struct
{
  DossierUpload *upload;
  char          *label;       /* the path as given, or the URL */
  gboolean       printed;
} Item;

typedef struct
{
  DossierProvider   *provider;
  DossierSubmission *submission;
  GPtrArray         *items;   /* Item */
  gboolean           json;
  gboolean           progress;
  gboolean           interrupted;
  gboolean           progress_shown;
  guint              progress_id;
  guint              print_id;
  guint              sigint_id;
  guint              sigterm_id;
  gboolean           record_failed;
} Run;

/* dossier-cli-upload-print.c */
void      clear_progress       (Run             *run);
void      print_item           (Run             *run,
                                Item            *item);
void      print_finished_items (Run             *run);
void      print_duplicate_warning (Item         *item);
gboolean  all_finished         (Run             *run);
gboolean  draw_progress        (gpointer         data);

/* dossier-cli-upload-help.c */
char     *list_field_names     (DossierProvider  *provider);
char     *list_environments    (DossierProvider  *provider);
char     *describe_upload      (DossierCatalogue *catalogue);

G_END_DECLS
