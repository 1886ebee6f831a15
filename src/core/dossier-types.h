/* dossier-types.h: forward declarations and enumerations of the core
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _DossierCatalogue  DossierCatalogue;
typedef struct _DossierChoice     DossierChoice;
typedef struct _DossierField      DossierField;
typedef struct _DossierProvider   DossierProvider;
typedef struct _DossierSubmission DossierSubmission;
typedef struct _DossierUpload     DossierUpload;
typedef struct _DossierResult     DossierResult;

/**
 * DossierFieldType:
 * @DOSSIER_FIELD_TYPE_TEXT: free text, optionally matching a pattern
 * @DOSSIER_FIELD_TYPE_CHOICE: one value of a list of choices
 * @DOSSIER_FIELD_TYPE_JSON: a JSON object, sent as a string
 * @DOSSIER_FIELD_TYPE_URL: an http or https URL
 */
typedef enum
{
  DOSSIER_FIELD_TYPE_TEXT,
  DOSSIER_FIELD_TYPE_CHOICE,
  DOSSIER_FIELD_TYPE_JSON,
  DOSSIER_FIELD_TYPE_URL,
} DossierFieldType;

/**
 * DossierFieldLocation:
 * @DOSSIER_FIELD_LOCATION_FORM: a part of the multipart form
 * @DOSSIER_FIELD_LOCATION_PATH: substituted into the endpoint path
 * @DOSSIER_FIELD_LOCATION_HEADER: a request header named after the field
 */
typedef enum
{
  DOSSIER_FIELD_LOCATION_FORM,
  DOSSIER_FIELD_LOCATION_PATH,
  DOSSIER_FIELD_LOCATION_HEADER,
} DossierFieldLocation;

/**
 * DossierFieldScope:
 * @DOSSIER_FIELD_SCOPE_ACCOUNT: set once per submission (account, merchant)
 * @DOSSIER_FIELD_SCOPE_DOCUMENT: set per document, with a submission default
 */
typedef enum
{
  DOSSIER_FIELD_SCOPE_ACCOUNT,
  DOSSIER_FIELD_SCOPE_DOCUMENT,
} DossierFieldScope;

/**
 * DossierAuthScheme:
 * @DOSSIER_AUTH_SCHEME_BEARER: `Authorization: Bearer <token>`
 * @DOSSIER_AUTH_SCHEME_HEADER: the key in a header of its own (e.g. x-api-key)
 * @DOSSIER_AUTH_SCHEME_RAW: `Authorization: <token>`, no scheme word
 * @DOSSIER_AUTH_SCHEME_NONE: no credentials
 */
typedef enum
{
  DOSSIER_AUTH_SCHEME_BEARER,
  DOSSIER_AUTH_SCHEME_HEADER,
  DOSSIER_AUTH_SCHEME_RAW,
  DOSSIER_AUTH_SCHEME_NONE,
} DossierAuthScheme;

/**
 * DossierTokenKind:
 * @DOSSIER_TOKEN_KIND_NONE: tokens can only be pasted
 * @DOSSIER_TOKEN_KIND_DOKU_SIGNATURE: DOKU's HMAC-SHA256 signed token request
 * @DOSSIER_TOKEN_KIND_OAUTH2_CLIENT_CREDENTIALS: OAuth2 client credentials grant
 */
typedef enum
{
  DOSSIER_TOKEN_KIND_NONE,
  DOSSIER_TOKEN_KIND_DOKU_SIGNATURE,
  DOSSIER_TOKEN_KIND_OAUTH2_CLIENT_CREDENTIALS,
} DossierTokenKind;

/**
 * DossierFlowKind:
 * @DOSSIER_FLOW_KIND_MULTIPART: one multipart request per file
 * @DOSSIER_FLOW_KIND_CHUNKED_SESSION: a session (start, chunks, complete)
 *   above a size threshold, a single multipart request below it
 */
typedef enum
{
  DOSSIER_FLOW_KIND_MULTIPART,
  DOSSIER_FLOW_KIND_CHUNKED_SESSION,
} DossierFlowKind;

/**
 * DossierUploadState:
 * @DOSSIER_UPLOAD_STATE_READY: valid, waiting for the user to start
 * @DOSSIER_UPLOAD_STATE_INVALID: has a problem to fix before it can be sent
 * @DOSSIER_UPLOAD_STATE_QUEUED: started, waiting for a free slot
 * @DOSSIER_UPLOAD_STATE_RUNNING: sending
 * @DOSSIER_UPLOAD_STATE_WAITING: a transient failure, retrying after a delay
 * @DOSSIER_UPLOAD_STATE_DONE: the provider accepted it
 * @DOSSIER_UPLOAD_STATE_FAILED: the provider or the network refused it
 * @DOSSIER_UPLOAD_STATE_CANCELLED: cancelled by the user
 * @DOSSIER_UPLOAD_STATE_UNKNOWN: the whole file was sent but the answer was
 *   lost (or the server failed after): it may have arrived; sent again only
 *   when the user confirms
 */
typedef enum
{
  DOSSIER_UPLOAD_STATE_READY,
  DOSSIER_UPLOAD_STATE_INVALID,
  DOSSIER_UPLOAD_STATE_QUEUED,
  DOSSIER_UPLOAD_STATE_RUNNING,
  DOSSIER_UPLOAD_STATE_WAITING,
  DOSSIER_UPLOAD_STATE_DONE,
  DOSSIER_UPLOAD_STATE_FAILED,
  DOSSIER_UPLOAD_STATE_CANCELLED,
  DOSSIER_UPLOAD_STATE_UNKNOWN,
} DossierUploadState;

/**
 * DossierError:
 * @DOSSIER_ERROR_DESCRIPTOR: a provider descriptor is malformed
 * @DOSSIER_ERROR_INVALID: a field or file fails validation
 * @DOSSIER_ERROR_HTTP: the server answered with an error status
 * @DOSSIER_ERROR_AUTH: credentials are missing or were refused
 * @DOSSIER_ERROR_PROTOCOL: the server's answer could not be understood
 * @DOSSIER_ERROR_INSECURE: the request would go over plain HTTP to a remote host
 * @DOSSIER_ERROR_SECRETS: the keyring could not be used
 * @DOSSIER_ERROR_FILE: a file being sent could not be read (a local error,
 *   never a network one)
 */
typedef enum
{
  DOSSIER_ERROR_DESCRIPTOR,
  DOSSIER_ERROR_INVALID,
  DOSSIER_ERROR_HTTP,
  DOSSIER_ERROR_AUTH,
  DOSSIER_ERROR_PROTOCOL,
  DOSSIER_ERROR_INSECURE,
  DOSSIER_ERROR_SECRETS,
  DOSSIER_ERROR_FILE,
} DossierError;

#define DOSSIER_ERROR (dossier_error_quark ())
GQuark dossier_error_quark (void);

/**
 * DossierChecklistState:
 * @DOSSIER_CHECKLIST_STATE_MISSING: nothing answers the requirement yet
 * @DOSSIER_CHECKLIST_STATE_UPLOADED: sent, the provider has not decided (pending review)
 * @DOSSIER_CHECKLIST_STATE_ACCEPTED: the provider accepted the document
 * @DOSSIER_CHECKLIST_STATE_REJECTED: the provider refused it (reason and advice say why and what to do)
 * @DOSSIER_CHECKLIST_STATE_EXPIRED: sent, but its link expired (DOKU: the file id stays valid)
 */
typedef enum
{
  DOSSIER_CHECKLIST_STATE_MISSING,
  DOSSIER_CHECKLIST_STATE_UPLOADED,
  DOSSIER_CHECKLIST_STATE_ACCEPTED,
  DOSSIER_CHECKLIST_STATE_REJECTED,
  DOSSIER_CHECKLIST_STATE_EXPIRED,
} DossierChecklistState;

G_END_DECLS
