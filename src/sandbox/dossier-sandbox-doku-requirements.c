/* dossier-sandbox-doku-requirements.c: DOKU's File Requirements API, emulated
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /adv-core-api/partner/v1.0/file?businessType=…&businessLegalEntity=…
 * &brandBusinessLine=…&businessContactNationality=… with DOKU's signed
 * headers (a GET: no Digest line, Request-Target the path without the
 * query).  The answer nests the files a business must give by group,
 * {"business": {"brand": {"photo_proof": {"code": "PHOTO_PROOF", "name": …,
 * "extensions": ["PNG", "JPG", "JPEG"], "max_size": 15}, …}, …}}, as DOKU's
 * sample does; the docs show no more of it, so the groups below and the
 * rules deciding which file a business needs are the sandbox's own.  A code
 * that is an upload category (PHOTO_PROOF, LOGO, OWNER_LIVENESS,
 * BANK_ACCOUNT, SERVICE_AGREEMENT) is uploaded as that category; any other
 * as category DOCUMENT with that code.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dossier-sandbox-private.h"

typedef struct
{
  const char *group;
  const char *code;
  const char *name;
  const char *type;          /* PERSONAL, CORPORATE; NULL: both */
  const char *entities;      /* "|PT|CV|" the legal entities needing it; NULL: all */
  const char *nationality;   /* "ID": Indonesian owners only, "!ID": the others; NULL: all */
  const char *line;          /* a brandBusinessLine needing it; NULL: all */
} DokuRequirement;

static const DokuRequirement requirements[] = {
  { "brand", "PHOTO_PROOF", "Brand Photo Proof", NULL, NULL, NULL, NULL },
  { "brand", "LOGO", "Brand Logo", NULL, NULL, NULL, NULL },
  { "owner", "KTP", "Owner Identity Card (KTP)", NULL, NULL, "ID", NULL },
  { "owner", "PASPOR", "Owner Passport", NULL, NULL, "!ID", NULL },
  { "owner", "KITAS_OR_KITAP", "Owner Stay Permit (KITAS/KITAP)", NULL, NULL, "!ID", NULL },
  { "owner", "OWNER_LIVENESS", "Owner Liveness Photo", NULL, NULL, NULL, NULL },
  { "document", "NPWP_ORANG_PRIBADI", "Owner Tax Registration (NPWP)", "PERSONAL", NULL, NULL, NULL },
  { "document", "NIB_PERSEORANGAN", "Personal Business Registration (NIB)", "PERSONAL", NULL, NULL, NULL },
  { "document", "AKTA_PENDIRIAN_PERUSAHAAN", "Deed of Establishment", "CORPORATE",
    "|PT|CV|FIRMA|PP|KOPERASI|BUMN|PERKUMPULAN_BERBADAN_HUKUM|", NULL, NULL },
  { "document", "SK_KEMENKUMHAM", "Ministry of Law Decree (SK Kemenkumham)", "CORPORATE",
    "|PT|YAYASAN|PERKUMPULAN_BERBADAN_HUKUM|BUMN|", NULL, NULL },
  { "document", "SK_PENDIRIAN_YAYASAN", "Foundation Deed (SK Pendirian Yayasan)", "CORPORATE",
    "|YAYASAN|", NULL, NULL },
  { "document", "IZIN_BLU", "Public Service Agency Licence (Izin BLU)", "CORPORATE", "|BLU|PTN_BH|",
    NULL, NULL },
  { "document", "NIB", "Business Registration Number (NIB)", "CORPORATE", NULL, NULL, NULL },
  { "document", "NPWP_BADAN", "Company Tax Registration (NPWP Badan)", "CORPORATE", NULL, NULL, NULL },
  { "document", "LISENSI_OJK", "Financial Services Authority Licence (OJK)", NULL, NULL, NULL,
    "FINANCIAL_SERVICE" },
  { "agreement", "SERVICE_AGREEMENT", "Signed Service Agreement", "CORPORATE", NULL, NULL, NULL },
  { "bank", "BANK_ACCOUNT", "Bank Account Proof", NULL, NULL, NULL, NULL },
};

static const char * const corporate_entities[] = {
  "PT", "CV", "UD", "KOPERASI", "FIRMA", "PP", "BUMN", "PTN_BH", "YAYASAN",
  "PERKUMPULAN_BERBADAN_HUKUM", "BLU", NULL
};

static gboolean
is_identifier (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isupper (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

static gboolean
requirement_applies (const DokuRequirement *r,
                     const char            *type,
                     const char            *entity,
                     const char            *line,
                     const char            *nationality)
{
  g_autofree char *bar = g_strconcat ("|", entity, "|", NULL);

  if (r->type != NULL && !g_str_equal (r->type, type))
    return FALSE;
  if (r->entities != NULL && strstr (r->entities, bar) == NULL)
    return FALSE;
  if (r->line != NULL && !g_str_equal (r->line, line))
    return FALSE;
  if (r->nationality != NULL &&
      (r->nationality[0] == '!') == g_str_equal (r->nationality + (r->nationality[0] == '!'),
                                                  nationality))
    return FALSE;
  return TRUE;
}

/* The problem with the query, in DOKU's words, or NULL */
static char *
query_problem (GHashTable  *query,
               const char **type,
               const char **entity,
               const char **line,
               const char **nationality)
{
  static const char * const names[] = {
    "businessType", "businessLegalEntity", "brandBusinessLine", "businessContactNationality"
  };
  const char **values[] = { type, entity, line, nationality };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      *values[i] = query != NULL ? g_hash_table_lookup (query, names[i]) : NULL;
      if (*values[i] == NULL || **values[i] == '\0')
        return g_strdup_printf ("%s is required", names[i]);
    }

  if (g_str_equal (*type, "PERSONAL"))
    {
      if (!g_str_equal (*entity, "PERSEORANGAN"))
        return g_strdup_printf ("businessLegalEntity “%s” is not valid for businessType PERSONAL; "
                                "expected PERSEORANGAN", *entity);
      if (!g_str_equal (*line, "RETAIL"))
        return g_strdup_printf ("brandBusinessLine “%s” is not valid for businessType PERSONAL; "
                                "expected RETAIL", *line);
      if (!g_str_equal (*nationality, "ID"))
        return g_strdup_printf ("businessContactNationality “%s” is not valid for businessType "
                                "PERSONAL; expected ID", *nationality);
      return NULL;
    }
  if (!g_str_equal (*type, "CORPORATE"))
    return g_strdup_printf ("businessType “%s” is not valid; expected PERSONAL or CORPORATE", *type);
  if (!g_strv_contains (corporate_entities, *entity))
    return g_strdup_printf ("businessLegalEntity “%s” is not valid for businessType CORPORATE; "
                            "expected one of PT, CV, UD, KOPERASI, FIRMA, PP, BUMN, PTN_BH, YAYASAN, "
                            "PERKUMPULAN_BERBADAN_HUKUM, BLU", *entity);
  if (!is_identifier (*line))
    return g_strdup_printf ("brandBusinessLine “%s” is not valid; expected a value such as RETAIL "
                            "or DIGITAL_AND_GAME", *line);
  if (strlen (*nationality) != 2 || !g_ascii_isupper ((*nationality)[0]) ||
      !g_ascii_isupper ((*nationality)[1]))
    return g_strdup_printf ("businessContactNationality “%s” is not valid; expected an ISO 3166 "
                            "alpha-2 code such as ID", *nationality);
  return NULL;
}

static void
add_requirement (JsonBuilder           *b,
                 const DokuRequirement *r)
{
  g_autofree char *key = g_ascii_strdown (r->code, -1);

  json_builder_set_member_name (b, key);
  json_builder_begin_object (b);
  _dossier_sandbox_add_string (b, "code", r->code);
  _dossier_sandbox_add_string (b, "name", r->name);
  json_builder_set_member_name (b, "extensions");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "PNG");
  json_builder_add_string_value (b, "JPG");
  json_builder_add_string_value (b, "JPEG");
  json_builder_end_array (b);
  _dossier_sandbox_add_int (b, "max_size", DOKU_MAX_FILE / 1000000);
  json_builder_end_object (b);
}

void
_dossier_sandbox_doku_requirements (DossierSandbox        *self,
                                    SoupServerMessage     *msg,
                                    DossierSandboxRequest *ctx)
{
  const char *query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) query = query_text != NULL ? soup_form_decode (query_text) : NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *problem = NULL;
  const char *type, *entity, *line, *nationality;
  const char *group = NULL;

  if (!_dossier_sandbox_doku_check_signature (msg, NULL, 0))
    return;

  if ((problem = query_problem (query, &type, &entity, &line, &nationality)) != NULL)
    {
      _dossier_sandbox_reply_error (msg, "doku", 400, "INVALID_PARAMETER", problem);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "business");
  json_builder_begin_object (b);
  /* the table keeps each group's rows together */
  for (guint i = 0; i < G_N_ELEMENTS (requirements); i++)
    {
      const DokuRequirement *r = &requirements[i];

      if (!requirement_applies (r, type, entity, line, nationality))
        continue;
      if (g_strcmp0 (group, r->group) != 0)
        {
          if (group != NULL)
            json_builder_end_object (b);
          group = r->group;
          json_builder_set_member_name (b, group);
          json_builder_begin_object (b);
        }
      add_requirement (b, r);
    }
  if (group != NULL)
    json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  _dossier_sandbox_reply_builder (msg, 200, b);
}
