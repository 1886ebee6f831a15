/* dossier-provider-private.h: between the provider's own files
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-field-private.h"
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
  DossierRequirementsSpec *requirements;   /* NULL: the descriptor has none */
};

/* A DossierEnvironment's strings, freed */
void _dossier_provider_environment_clear (gpointer data);

/* dossier-provider-requirements.c: the "requirements" member */
gboolean _dossier_provider_parse_requirements (DossierProvider    *self,
                                               JsonObject         *root,
                                               DossierLocateFunc   locate,
                                               gpointer            locate_data,
                                               GError            **error);
/* Why an endpoint path of a descriptor is refused, or NULL */
char    *_dossier_descriptor_path_problem     (const char         *member,
                                               const char         *path);
void     _dossier_requirements_spec_free      (DossierRequirementsSpec *spec);

G_END_DECLS
