/* dossier-sandbox-fault.c: parsing the sandbox's fault specifications
 *
 * Copyright 2025 The Dossier authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TARGET:KIND[,KIND...] where TARGET is "*", a provider id or provider/op,
 * and KIND is status=CODE, retry-after=SECONDS, delay=MS, drop=BYTES,
 * malformed-json, store-fail, store-drop, chunk=N, times=N or
 * probability=P.
 *
 * store-fail handles the request as usual (a file is stored), then answers
 * status= (500 by default) instead; store-drop handles it, then drops the
 * connection without an answer. probability=P (0 to 1) applies the fault to
 * each matching request with that chance; a request it spares does not
 * count towards times=.
 *
 * moov/requirement:requirement=ID,error=CODE is of another sort: it makes
 * the next file that answers the currently due requirement ID fail with
 * the errorCode CODE (one of Moov's documented codes): the file is rejected
 * and the capability lists the error (dossier-sandbox-moov-capabilities.c).
 * It takes times= and probability= besides, and nothing else.
 */

#include "config.h"

#include <string.h>

#include "dossier-sandbox-private.h"

static const char * const providers[] = { "doku", "kore", "moov", "receeve", "generic", NULL };
static const char * const ops[] = {
  "token", "upload", "start", "chunk", "complete", "list", "get", "capabilities", "requirements",
  "requirement", "business", NULL
};

static gboolean
parse_number (const char  *key,
              const char  *value,
              guint64      max,
              guint64     *out,
              GError     **error)
{
  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, max, out, NULL))
    {
      g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                   "Fault “%s” needs a number from 0 to %" G_GUINT64_FORMAT ", got “%s”",
                   key, max, value ? value : "");
      return FALSE;
    }
  return TRUE;
}

/* A moov/requirement fault names a requirement and a known error code,
 * and nothing that acts on a request */
static DossierSandboxFault *
check_requirement_fault (DossierSandboxFault  *fault,
                         const char           *spec,
                         gboolean              acts_on_request,
                         GError              **error)
{
  g_autoptr(DossierSandboxFault) owned = fault;

  if (g_strcmp0 (fault->provider, "moov") != 0 || g_strcmp0 (fault->op, "requirement") != 0 ||
      fault->requirement == NULL || fault->error_code == NULL || acts_on_request ||
      fault->retry_after >= 0 || fault->chunk >= 0)
    {
      g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                   "Fault “%s”: a requirement fault is "
                   "moov/requirement:requirement=ID,error=CODE[,times=N][,probability=P]", spec);
      return NULL;
    }
  if (!_dossier_sandbox_moov_error_code_known (fault->error_code))
    {
      g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                   "Fault “%s”: “%s” is not one of Moov's requirement error codes "
                   "(for example document-illegible, document-expired, failed-other)",
                   spec, fault->error_code);
      return NULL;
    }

  return g_steal_pointer (&owned);
}

DossierSandboxFault *
dossier_sandbox_fault_parse (const char  *spec,
                             GError     **error)
{
  g_autoptr(DossierSandboxFault) fault = NULL;
  g_autofree char *target = NULL;
  g_auto(GStrv) kinds = NULL;
  const char *colon;
  gboolean has_effect = FALSE;

  g_return_val_if_fail (spec != NULL, NULL);

  colon = strchr (spec, ':');
  if (colon == NULL || colon == spec || colon[1] == '\0')
    {
      g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                   "Fault “%s” is not of the form TARGET:KIND[,KIND...] "
                   "(for example kore/chunk:status=500,chunk=2)", spec);
      return NULL;
    }

  fault = g_new0 (DossierSandboxFault, 1);
  fault->retry_after = -1;
  fault->drop = -1;
  fault->chunk = -1;
  fault->times = 1;
  fault->probability = 1.0;

  target = g_strstrip (g_strndup (spec, colon - spec));
  if (g_strcmp0 (target, "*") != 0)
    {
      char *slash = strchr (target, '/');

      if (slash != NULL)
        {
          *slash = '\0';
          if (!g_strv_contains (ops, slash + 1))
            {
              g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                           "Unknown operation “%s” in fault target (known: token, upload, "
                           "start, chunk, complete, list, get, capabilities, requirements, "
                           "requirement, business)", slash + 1);
              return NULL;
            }
          fault->op = g_strdup (slash + 1);
        }
      if (!g_strv_contains (providers, target))
        {
          g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                       "Unknown provider “%s” in fault target (known: *, doku, kore, "
                       "moov, receeve, generic)", target);
          return NULL;
        }
      fault->provider = g_strdup (target);
    }

  kinds = g_strsplit (colon + 1, ",", -1);
  for (guint i = 0; kinds[i] != NULL; i++)
    {
      char *kind = g_strstrip (kinds[i]);
      char *eq = strchr (kind, '=');
      const char *value = NULL;
      guint64 n = 0;

      if (eq != NULL)
        {
          *eq = '\0';
          value = eq + 1;
        }

      if (g_str_equal (kind, "status"))
        {
          if (!parse_number (kind, value, 599, &n, error))
            return NULL;
          if (n < 100)
            {
              g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                           "Fault status must be an HTTP status from 100 to 599, got %s", value);
              return NULL;
            }
          fault->status = n;
          has_effect = TRUE;
        }
      else if (g_str_equal (kind, "retry-after"))
        {
          if (!parse_number (kind, value, 86400, &n, error))
            return NULL;
          fault->retry_after = n;
        }
      else if (g_str_equal (kind, "delay"))
        {
          if (!parse_number (kind, value, 600000, &n, error))
            return NULL;
          fault->delay_ms = n;
          has_effect = TRUE;
        }
      else if (g_str_equal (kind, "drop"))
        {
          if (!parse_number (kind, value, G_MAXINT64, &n, error))
            return NULL;
          fault->drop = n;
          has_effect = TRUE;
        }
      else if (g_str_equal (kind, "chunk"))
        {
          if (!parse_number (kind, value, G_MAXINT, &n, error))
            return NULL;
          fault->chunk = n;
        }
      else if (g_str_equal (kind, "times"))
        {
          if (!parse_number (kind, value, G_MAXUINT, &n, error))
            return NULL;
          fault->times = n;
        }
      else if (g_str_equal (kind, "store-fail") && value == NULL)
        {
          fault->store_then = DOSSIER_SANDBOX_STORE_FAIL;
          has_effect = TRUE;
        }
      else if (g_str_equal (kind, "store-drop") && value == NULL)
        {
          fault->store_then = DOSSIER_SANDBOX_STORE_DROP;
          has_effect = TRUE;
        }
      else if (g_str_equal (kind, "probability"))
        {
          char *end = NULL;
          double p = value != NULL ? g_ascii_strtod (value, &end) : -1;

          if (value == NULL || *value == '\0' || end == NULL || *end != '\0' ||
              !(p >= 0.0 && p <= 1.0))
            {
              g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                           "Fault “probability” needs a number from 0 to 1, got “%s”",
                           value ? value : "");
              return NULL;
            }
          fault->probability = p;
        }
      else if ((g_str_equal (kind, "requirement") || g_str_equal (kind, "error")) &&
               value != NULL && *value != '\0')
        {
          char **member = g_str_equal (kind, "requirement") ? &fault->requirement : &fault->error_code;

          g_free (*member);
          *member = g_strdup (value);
        }
      else if (g_str_equal (kind, "malformed-json") && value == NULL)
        {
          fault->malformed_json = TRUE;
          has_effect = TRUE;
        }
      else
        {
          g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                       "Unknown fault kind “%s” (known: status=CODE, retry-after=SECONDS, "
                       "delay=MS, drop=BYTES, malformed-json, store-fail, store-drop, chunk=N, "
                       "times=N, probability=P, requirement=ID, error=CODE)", kind);
          return NULL;
        }
    }

  if (g_strcmp0 (fault->op, "requirement") == 0 || fault->requirement != NULL ||
      fault->error_code != NULL)
    return check_requirement_fault (g_steal_pointer (&fault), spec, has_effect, error);

  if (fault->store_then != DOSSIER_SANDBOX_STORE_NONE &&
      (fault->drop >= 0 || fault->malformed_json ||
       (fault->store_then == DOSSIER_SANDBOX_STORE_DROP && fault->status != 0)))
    {
      g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                   "Fault “%s”: store-fail takes only status=, retry-after= and delay=; "
                   "store-drop only delay=", spec);
      return NULL;
    }

  if (fault->store_then == DOSSIER_SANDBOX_STORE_FAIL && fault->status == 0)
    fault->status = 500;

  /* a Retry-After alone makes sense only with a status: default to 429 */
  if (fault->retry_after >= 0 && fault->status == 0)
    {
      fault->status = 429;
      has_effect = TRUE;
    }

  if (!has_effect)
    {
      g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                   "Fault “%s” does nothing: give status=, delay=, drop=, malformed-json, "
                   "store-fail or store-drop",
                   spec);
      return NULL;
    }

  if (fault->chunk >= 0 && fault->op != NULL && !g_str_equal (fault->op, "chunk"))
    {
      g_set_error (error, DOSSIER_SANDBOX_ERROR, DOSSIER_SANDBOX_ERROR_BAD_FAULT,
                   "Fault “%s”: chunk= only applies to kore/chunk", spec);
      return NULL;
    }

  return g_steal_pointer (&fault);
}

DossierSandboxFault *
dossier_sandbox_fault_copy (const DossierSandboxFault *fault)
{
  DossierSandboxFault *copy = g_memdup2 (fault, sizeof *fault);

  copy->provider = g_strdup (fault->provider);
  copy->op = g_strdup (fault->op);
  copy->requirement = g_strdup (fault->requirement);
  copy->error_code = g_strdup (fault->error_code);

  return copy;
}

void
dossier_sandbox_fault_free (DossierSandboxFault *fault)
{
  if (fault == NULL)
    return;

  g_free (fault->provider);
  g_free (fault->op);
  g_free (fault->requirement);
  g_free (fault->error_code);
  g_free (fault);
}

gboolean
dossier_sandbox_fault_matches (const DossierSandboxFault *fault,
                               const char                *provider,
                               const char                *op,
                               gint                       chunk)
{
  if (provider == NULL || op == NULL)
    return FALSE;
  if (fault->provider != NULL && g_strcmp0 (fault->provider, provider) != 0)
    return FALSE;
  if (fault->op != NULL && g_strcmp0 (fault->op, op) != 0)
    return FALSE;
  if (fault->chunk >= 0 && fault->chunk != chunk)
    return FALSE;
  return TRUE;
}
