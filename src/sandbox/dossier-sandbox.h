/* dossier-sandbox.h: the four providers' upload APIs, emulated on loopback
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Credentials the sandbox accepts.  They are public on purpose: nothing sent
 * to the sandbox leaves the machine.
 */
#define DOSSIER_SANDBOX_DOKU_CLIENT_ID        "BRN-0001-SANDBOX"
#define DOSSIER_SANDBOX_DOKU_SECRET_KEY       "doku-sandbox-secret"
#define DOSSIER_SANDBOX_DOKU_TOKEN            "doku-sandbox-token"
#define DOSSIER_SANDBOX_KORE_API_KEY          "kore-sandbox-key"
#define DOSSIER_SANDBOX_MOOV_CLIENT_ID        "moov-sandbox-client"
#define DOSSIER_SANDBOX_MOOV_CLIENT_SECRET    "moov-sandbox-secret"
#define DOSSIER_SANDBOX_MOOV_TOKEN            "moov-sandbox-token"
#define DOSSIER_SANDBOX_MOOV_ACCOUNT_ID       "3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e42"
/* the representative every sandbox account's requirements name */
#define DOSSIER_SANDBOX_MOOV_REPRESENTATIVE_ID "7a6c5e1d-2b3f-4c8a-9d0e-1f2a3b4c5d6e"
#define DOSSIER_SANDBOX_RECEEVE_CLIENT_ID     "receeve-sandbox-client"
#define DOSSIER_SANDBOX_RECEEVE_CLIENT_SECRET "receeve-sandbox-secret"
#define DOSSIER_SANDBOX_RECEEVE_TOKEN         "receeve-sandbox-token"
#define DOSSIER_SANDBOX_RECEEVE_ACCOUNT_ID    "sandbox-account"

/* What the sandbox accepts for one provider, so the app and the CLI can fill
 * it in: the one place that says it (dossier_sandbox_lookup_sample()). */
typedef struct
{
  const char *provider_id;
  const char *secret;          /* a token or key taken as it is */
  const char *client_id;       /* to request a token with, or NULL */
  const char *client_secret;
  const char *values[7];       /* account field name, value, …, NULL */
  /* what a client asks the provider's requirements with, besides the
   * account values (dossier_sandbox_sample_lookup_requirement()): DOKU's
   * File Requirements query parameters; name, value, …, NULL */
  const char *requirements[9];
} DossierSandboxSample;

#define DOSSIER_SANDBOX_DEFAULT_PORT 8642

#define DOSSIER_SANDBOX_ERROR (dossier_sandbox_error_quark ())

typedef enum
{
  DOSSIER_SANDBOX_ERROR_BAD_FAULT,
  DOSSIER_SANDBOX_ERROR_FAILED,
} DossierSandboxError;

#define DOSSIER_TYPE_SANDBOX (dossier_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (DossierSandbox, dossier_sandbox, DOSSIER, SANDBOX, GObject)

GQuark          dossier_sandbox_error_quark          (void);

const DossierSandboxSample *dossier_sandbox_lookup_sample (const char *provider_id);
const char     *dossier_sandbox_sample_lookup_value  (const DossierSandboxSample *sample,
                                                      const char      *field);
const char     *dossier_sandbox_sample_lookup_requirement (const DossierSandboxSample *sample,
                                                           const char      *name);

/* storage_dir NULL: a private temporary directory, removed (recursively) on
 * finalize; NULL and @error when the storage cannot be made */
DossierSandbox *dossier_sandbox_new                  (const char      *storage_dir,
                                                      GError         **error);
/* listen on 127.0.0.1 only, port 0 = any free port; serves on the calling
 * thread's thread-default main context */
gboolean        dossier_sandbox_listen               (DossierSandbox  *self,
                                                      guint            port,
                                                      GError         **error);
/* same, but runs the server on a private thread with its own GMainContext and
 * loop; returns once listening; the thread is stopped and joined on dispose */
gboolean        dossier_sandbox_start_thread         (DossierSandbox  *self,
                                                      guint            port,
                                                      GError         **error);
/* "http://127.0.0.1:PORT", no trailing slash; NULL before listening */
const char     *dossier_sandbox_get_base_url         (DossierSandbox  *self);
const char     *dossier_sandbox_get_storage_dir      (DossierSandbox  *self);
gboolean        dossier_sandbox_add_fault            (DossierSandbox  *self,
                                                      const char      *spec,
                                                      GError         **error);
void            dossier_sandbox_clear_faults         (DossierSandbox  *self);
/* files stored from now on are reviewed @seconds later (0: at once, -1:
 * never by itself, the default); see dossier-sandbox-review.c */
void            dossier_sandbox_set_review_after     (DossierSandbox  *self,
                                                      gint             seconds);
/* a JSON array of received-file records; thread-safe */
JsonNode       *dossier_sandbox_dup_received         (DossierSandbox  *self);
/* multi-line human text of the accepted credentials */
const char     *dossier_sandbox_get_credentials_text (void);

G_END_DECLS
