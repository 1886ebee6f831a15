/* dossier-cli.h: the commands of dossier-cli
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command has its own file, dossier-cli-COMMAND.c, and one entry:
 * it is called with the command in the place of the program's name
 * (argv[0] is "upload") and returns the exit status.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int dossier_cli_command_providers (int    argc,
                                   char **argv);
int dossier_cli_command_upload    (int    argc,
                                   char **argv);
int dossier_cli_command_history   (int    argc,
                                   char **argv);
int dossier_cli_command_merchant  (int    argc,
                                   char **argv);
int dossier_cli_command_checklist (int    argc,
                                   char **argv);
int dossier_cli_command_export    (int    argc,
                                   char **argv);
int dossier_cli_command_follow_up (int    argc,
                                   char **argv);
int dossier_cli_command_tasks     (int    argc,
                                   char **argv);

G_END_DECLS
