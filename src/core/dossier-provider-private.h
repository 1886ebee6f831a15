/* dossier-provider-private.h: between the provider's own files
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-provider.h"

G_BEGIN_DECLS

/* Filled by dossier-provider-descriptor.c, answered by dossier-provider.c */
struct _DossierProvider
{
  GObject parent_instance;

  char *id;
  char *name;
  char *description;
  char *documentation;
  char *source;
  char *method;
  char *path;

  GArray *environments;
  GListStore *fields;

  DossierAuthSpec auth;
  DossierFileRules files;
  DossierFlowSpec flow;
  DossierResponseSpec response;
};

/* A DossierEnvironment's strings, freed */
void _dossier_provider_environment_clear (gpointer data);

G_END_DECLS
