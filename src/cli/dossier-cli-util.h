/* dossier-cli-util.h: what every command of dossier-cli shares
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "dossier-catalogue.h"
#include "dossier-client.h"
#include "dossier-credentials.h"
#include "dossier-merchant-store.h"
#include "dossier-sandbox.h"

G_BEGIN_DECLS

#define EXIT_OK          0
#define EXIT_FAILED      1
#define EXIT_USAGE       2
#define EXIT_UNKNOWN     3   /* some files may have arrived: check before sending again */
#define EXIT_UNRECORDED  4   /* uploads ended, the history could not record them */
#define EXIT_INTERRUPTED 130

/* secrets */
void              remember_secret        (const char        *secret);
char             *redact                 (const char        *text);
void              forget_secrets         (void);

/* output */
void              flush_output           (void);
int               finish_output          (int                status);
void              print_human_line       (FILE              *out,
                                          const char        *line);
void              print_error            (const char        *format,
                                          ...) G_GNUC_PRINTF (1, 2);

/* JSON */
const char       *enum_nick              (GType              type,
                                          int                value);
void              add_string_or_null     (JsonBuilder       *b,
                                          const char        *name,
                                          const char        *value);
void              add_strv               (JsonBuilder       *b,
                                          const char        *name,
                                          const char * const *values);
void              print_json             (JsonNode          *node,
                                          gboolean           pretty);

/* the catalogue and the options */
DossierCatalogue *load_catalogue         (void);
char             *join_property          (GListModel        *model,
                                          const char        *property);
void              print_unknown_provider (DossierCatalogue  *catalogue,
                                          const char        *provider_id);
gboolean          parse_command_options  (GOptionContext    *context,
                                          const char        *prgname,
                                          int               *argc,
                                          char            ***argv);

/* where requests go, and with which credentials: the options upload and
 * checklist share */
typedef struct
{
  char *environment;
  char *base_url;
  char *token;
  char *api_key;
  char *client_id;
  char *client_secret;
} ConnectionOptions;

void              connection_options_clear    (ConnectionOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConnectionOptions, connection_options_clear)
void              add_connection_options      (GOptionContext    *context,
                                               ConnectionOptions *options,
                                               const char        *base_url_description);
void              remember_connection_secrets (ConnectionOptions *options);
const DossierEnvironment *find_environment    (DossierProvider   *provider,
                                               ConnectionOptions *options);

const char       *option_or_env          (const char        *option,
                                          const char        *variable);
gboolean          find_sandbox           (const DossierEnvironment *env,
                                          const char        *base_url,
                                          DossierSandbox   **sandbox,
                                          const char       **sandbox_url);
DossierCredentials *credentials_from_options (DossierProvider *provider,
                                          ConnectionOptions *options,
                                          gboolean           sandbox);

/* merchants (dossier-cli-merchant-find.c) */
DossierMerchantStore *open_merchant_store (DossierCatalogue *catalogue);
DossierMerchant  *find_merchant          (DossierMerchantStore *store,
                                          const char        *key);
void              print_merchant_line    (FILE              *out,
                                          const char        *indent,
                                          DossierMerchant   *merchant);
void              add_merchant_fields    (DossierMerchant   *merchant,
                                          JsonBuilder       *b);
/* one provider of a merchant, asked and printed or added to the JSON */
typedef gboolean (*ProviderRunFunc) (DossierMerchant   *merchant,
                                     DossierProvider   *provider,
                                     ConnectionOptions *options,
                                     DossierClient     *client,
                                     DossierSandbox   **sandbox,
                                     JsonBuilder       *b,
                                     int               *status);
/* the heading of one provider's part: "Moov (sandbox)", then ", " and
 * @detail when given ("Moov (sandbox), checked 20 s ago") */
void              print_provider_heading (DossierProvider          *provider,
                                          const DossierEnvironment *env,
                                          const char               *detail);
int               run_for_merchant_providers (int                argc,
                                              char             **argv,
                                              const char        *command,
                                              const char        *provider_id,
                                              ConnectionOptions *connection,
                                              gboolean           json,
                                              const char        *member,
                                              ProviderRunFunc    run);
int               run_merchant_provider_command (int               argc,
                                                 char            **argv,
                                                 const char       *command,
                                                 const char       *parameter,
                                                 const char       *summary,
                                                 const char       *member,
                                                 ProviderRunFunc   run);

G_END_DECLS
