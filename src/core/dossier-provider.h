/* dossier-provider.h
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-types.h"
#include "dossier-enums.h"
#include "dossier-field.h"
#include "dossier-choice.h"

G_BEGIN_DECLS

/* The parts of a descriptor that are plain data; owned by the provider. */

typedef struct
{
  char *id;
  char *name;
  char *base_url;         /* "sandbox:/doku" for the embedded sandbox; "" when the user must give one */
  char *base_url_hint;
} DossierEnvironment;

typedef struct
{
  DossierAuthScheme scheme;
  char *header;           /* the header for DOSSIER_AUTH_SCHEME_HEADER */
  char *secret_label;     /* "Bearer token", "API key" */
  DossierTokenKind token_kind;
  char *token_path;
  char *token_scope;      /* template, e.g. "/accounts/{accountID}/files.write" */
  gboolean client_auth_basic;
  guint valid_minutes;
  char *client_id_label;
  char *client_secret_label;
  char *check_method;     /* a request that proves credentials, or NULL */
  char *check_path;
} DossierAuthSpec;

typedef struct
{
  char *part;               /* the form part name of the file */
  char *alternative_field;  /* a field sent instead of a file (DOKU file_url) */
  GStrv extensions;
  GStrv content_types;
  guint64 max_size;         /* bytes, 0 = no limit */
  guint per_request;
  guint per_account;        /* 0 = no limit */
  guint max_name_length;    /* characters of the file name, 0 = no limit */
} DossierFileRules;

typedef struct
{
  DossierFlowKind kind;
  guint64 threshold;        /* chunked above this size */
  guint64 chunk_size;
  guint parallel;
  char *start_path;
  char *chunk_path;
  char *complete_path;
  /* the chunked session's member names, as the provider spells them */
  char *session_id;         /* in the start answer; also the {placeholder} in the paths */
  char *session_expires;    /* in the start answer: ISO 8601 expiry, or NULL */
  char *total_chunks;       /* in the start request */
  char *file_name;
  char *file_extension;
  char *file_size;
  char *chunk_number;       /* the form part that numbers a chunk */
} DossierFlowSpec;

typedef struct
{
  GStrv id;
  GStrv link;
  GStrv status;
  GStrv message;
  GStrv field_errors;
  GStrv code;
  GStrv request_id_headers;
  GStrv retry_in_headers;   /* the provider's own "wait this many ms" headers */
  guint link_lifetime;      /* seconds, 0 = the link does not expire */
} DossierResponseSpec;

/* What a provider still needs from a merchant (the descriptor's optional
 * "requirements" member; see README, "Adding a provider"). */

typedef enum
{
  DOSSIER_REQUIREMENT_AUTH_PROVIDER,        /* the provider's own credential header (Moov: bearer) */
  DOSSIER_REQUIREMENT_AUTH_DOKU_SIGNATURE,  /* DOKU's signed headers on the request itself */
} DossierRequirementAuth;

/* One entry of "items" or "static": a requirement id (a pattern whose
 * {name} parts match one dot-free segment each) and what answers it */
typedef struct
{
  char *id;
  char *label;            /* translated; may hold {name}, {requirement}; NULL: the chosen value's label */
  GStrv field_names;      /* the upload's field values (templates), in order */
  GStrv field_values;
  GStrv metadata_keys;    /* the keys the metadata field carries (templates; empty ones left out) */
  GStrv metadata_values;
  gboolean optional;
  GStrv keywords;         /* words of a file name that point at this item ("ktp", "tax id"); may be empty */
} DossierRequirementItem;

typedef struct
{
  /* the request; method NULL: no requirement API (a static checklist only) */
  char *method;
  char *path;             /* template with account values, e.g. "/accounts/{accountID}/capabilities" */
  DossierRequirementAuth auth;
  char *scope;            /* the token scope this request needs (template), or NULL */
  GStrv query_names;      /* query parameters, values are templates of account values */
  GStrv query_values;
  /* the answer */
  char *entries;          /* dot path to the entries (NULL: the whole answer); a list or one object */
  char *due;              /* in an entry: dot path to a list of requirement ids */
  char *errors;           /* in an entry: dot path to a list of error objects */
  char *error_requirement;/* in an error object: the requirement id */
  char *error_code;       /* in an error object: the error code */
  char *find;             /* or: every object below an entry with this string member is a requirement */
  char *find_name;        /* its display name in such an object */
  GStrv keep;             /* glob patterns of the ids that are documents (NULL: every id) */
  GStrv match;            /* fields that tie an upload without a requirement id to an item */
  char *metadata_field;   /* the json field that carries an item's metadata, or NULL */
  /* the provider's list of uploaded files and their review (Moov), or method NULL */
  char *files_method;
  char *files_path;
  char *files_id;
  char *files_status;
  char *files_reason;
  char *files_metadata;
  GStrv files_accepted;
  GStrv files_rejected;
  GStrv files_pending;
  GPtrArray *items;        /* DossierRequirementItem */
  GPtrArray *static_items; /* DossierRequirementItem, listed whatever the answer */
  DossierRequirementItem *other;  /* fields and metadata of a kept id no item names, or NULL */
  GHashTable *advice;      /* error code -> translated advice */
  GListStore *account_fields; /* DossierField: account values the request needs beyond "fields" */
} DossierRequirementsSpec;

/* The largest descriptor read: the built-in ones are under 40 KiB */
#define DOSSIER_PROVIDER_MAX_SIZE (1024 * 1024)

#define DOSSIER_TYPE_PROVIDER (dossier_provider_get_type ())
G_DECLARE_FINAL_TYPE (DossierProvider, dossier_provider, DOSSIER, PROVIDER, GObject)

DossierProvider           *dossier_provider_new_from_data      (const char       *data,
                                                                gssize            length,
                                                                const char       *source,
                                                                GError          **error);
const char                *dossier_provider_get_id             (DossierProvider  *self);
const char                *dossier_provider_get_name           (DossierProvider  *self);
const char                *dossier_provider_get_description    (DossierProvider  *self);
const char                *dossier_provider_get_documentation  (DossierProvider  *self);
const char                *dossier_provider_get_source         (DossierProvider  *self);
guint                      dossier_provider_get_n_environments (DossierProvider  *self);
const DossierEnvironment  *dossier_provider_get_environment    (DossierProvider  *self,
                                                                guint             position);
const DossierEnvironment  *dossier_provider_lookup_environment (DossierProvider  *self,
                                                                const char       *id);
const DossierAuthSpec     *dossier_provider_get_auth           (DossierProvider  *self);
const char                *dossier_provider_get_method         (DossierProvider  *self);
const char                *dossier_provider_get_path           (DossierProvider  *self);
GListModel                *dossier_provider_get_fields         (DossierProvider  *self);
DossierField              *dossier_provider_lookup_field       (DossierProvider  *self,
                                                                const char       *name);
const DossierFileRules    *dossier_provider_get_file_rules     (DossierProvider  *self);
const DossierFlowSpec     *dossier_provider_get_flow           (DossierProvider  *self);
const DossierResponseSpec *dossier_provider_get_response       (DossierProvider  *self);
const DossierRequirementsSpec *dossier_provider_get_requirements (DossierProvider *self);
gboolean                   dossier_provider_is_sandbox_url     (const char       *base_url);
char                      *dossier_provider_resolve_base_url   (const char       *base_url,
                                                                const char       *sandbox_url);
char                      *dossier_expand_template             (const char       *template_,
                                                                GHashTable       *values,
                                                                gboolean          escape,
                                                                GError          **error);

G_END_DECLS
