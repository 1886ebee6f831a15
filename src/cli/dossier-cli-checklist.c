/* dossier-cli-checklist.c: "checklist", what each provider still needs from a merchant
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "dossier-checklist-fetch.h"
#include "dossier-checklist-record.h"
#include "dossier-history.h"
#include "dossier-cli.h"
#include "dossier-cli-upload-private.h"
#include "dossier-cli-util.h"

static void
keep_result_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
add_item_json (JsonBuilder          *b,
               DossierChecklistItem *item)
{
  GHashTable *fields = dossier_checklist_item_get_fields (item);
  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (fields, NULL);
  const DossierChecklistUpload *upload = dossier_checklist_item_get_upload (item);

  json_builder_begin_object (b);
  add_string_or_null (b, "requirement_id", dossier_checklist_item_get_requirement_id (item));
  add_string_or_null (b, "label", dossier_checklist_item_get_label (item));
  add_string_or_null (b, "state", enum_nick (DOSSIER_TYPE_CHECKLIST_STATE, dossier_checklist_item_get_state (item)));
  json_builder_set_member_name (b, "optional");
  json_builder_add_boolean_value (b, dossier_checklist_item_get_optional (item));
  add_string_or_null (b, "reason", dossier_checklist_item_get_reason (item));
  add_string_or_null (b, "advice", dossier_checklist_item_get_advice (item));
  add_string_or_null (b, "error_code", dossier_checklist_item_get_error_code (item));
  add_string_or_null (b, "remote_id", upload != NULL ? upload->remote_id : NULL);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_object (b);
  for (guint i = 0; names[i] != NULL; i++)
    add_string_or_null (b, names[i], g_hash_table_lookup (fields, names[i]));
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
print_items_human (DossierChecklist *checklist)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (checklist));

  if (n == 0)
    print_human_line (stdout, _("  nothing asked for"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (checklist), i);
      g_autofree char *state = dossier_checklist_item_describe (item);
      g_autofree char *line = g_strdup_printf ("  %s: %s", dossier_checklist_item_get_label (item), state);

      print_human_line (stdout, line);
    }
}

/* One provider's checklist: asked, then printed (or added to @b); FALSE
 * when it could not be had, said */
static gboolean
run_one (DossierMerchant  *merchant,
         DossierProvider  *provider,
         ConnectionOptions *options,
         DossierClient    *client,
         DossierSandbox  **sandbox,
         JsonBuilder      *b,
         int              *status)
{
  g_autoptr(DossierCredentials) credentials = NULL;
  g_autoptr(DossierChecklist) checklist = dossier_checklist_new (provider);
  g_autoptr(DossierChecklistLimiter) limiter = dossier_checklist_limiter_new (DOSSIER_CHECKLIST_MIN_INTERVAL);
  g_autoptr(GHashTable) values = dossier_merchant_dup_account_values (merchant, dossier_provider_get_id (provider));
  g_autoptr(GPtrArray) missing = dossier_merchant_missing_account_fields (merchant, provider);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *when = NULL;
  const DossierEnvironment *env;
  const char *sandbox_url = NULL;
  const char *name = dossier_provider_get_name (provider);
  gboolean cached = FALSE;
  gint64 age = 0;
  gboolean ok;

  if ((env = find_environment (provider, options)) == NULL)
    {
      *status = EXIT_USAGE;
      return FALSE;
    }

  if (missing->len > 0)
    {
      DossierField *field = g_ptr_array_index (missing, 0);

      /* Translators: "Toko Makmur has no Legal entity for DOKU: dossier-cli merchant set … --provider doku --field businessLegalEntity=…" */
      print_error (_("%s has no %s for %s: “dossier-cli merchant set %s --provider %s --field %s=…”"),
                   dossier_merchant_get_name (merchant), dossier_field_get_label (field), name,
                   dossier_merchant_get_id (merchant), dossier_provider_get_id (provider),
                   dossier_field_get_name (field));
      *status = EXIT_USAGE;
      return FALSE;
    }

  if (!find_sandbox (env, options->base_url, sandbox, &sandbox_url))
    {
      *status = EXIT_FAILED;
      return FALSE;
    }
  base_url = options->base_url != NULL ? g_strdup (options->base_url)
                                       : dossier_provider_resolve_base_url (env->base_url, sandbox_url);
  credentials = credentials_from_options (provider, options, sandbox_url != NULL);

  /* the provider's answer (and its list of files) and the merchant's
   * uploads in the record make the checklist */
  uploads = dossier_checklist_uploads_from_history (G_LIST_MODEL (dossier_history_get_default ()), provider,
                                                    env->id, dossier_merchant_get_id (merchant), values);
  dossier_checklist_refresh_async (checklist, base_url, dossier_merchant_get_id (merchant), values, credentials,
                                   client, limiter, uploads, NULL, g_get_real_time () / G_USEC_PER_SEC, NULL,
                                   keep_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = dossier_checklist_refresh_finish (checklist, result, &cached, &age, &error);

  if (b != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (checklist));

      g_autofree char *masked = ok ? NULL : redact (error->message);

      json_builder_begin_object (b);
      add_string_or_null (b, "provider", dossier_provider_get_id (provider));
      add_string_or_null (b, "environment", env->id);
      add_string_or_null (b, "error", masked);
      json_builder_set_member_name (b, "cached");
      json_builder_add_boolean_value (b, cached);
      json_builder_set_member_name (b, "missing");
      json_builder_add_int_value (b, dossier_checklist_count (checklist, DOSSIER_CHECKLIST_STATE_MISSING));
      json_builder_set_member_name (b, "rejected");
      json_builder_add_int_value (b, dossier_checklist_count (checklist, DOSSIER_CHECKLIST_STATE_REJECTED));
      json_builder_set_member_name (b, "items");
      json_builder_begin_array (b);
      for (guint i = 0; ok && i < n; i++)
        {
          g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (checklist), i);

          add_item_json (b, item);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  if (!ok)
    {
      print_error ("%s", error->message);
      *status = EXIT_FAILED;
      return FALSE;
    }
  if (b != NULL)
    return TRUE;

  when = cached ? dossier_checklist_describe_age (age) : NULL;
  print_provider_heading (provider, env, when);
  print_items_human (checklist);
  return TRUE;
}

int
dossier_cli_command_checklist (int    argc,
                               char **argv)
{
  return run_merchant_provider_command (argc, argv, "checklist",
                                        _("MERCHANT — what each provider still needs from a merchant"),
                                        _("Asks each provider (Moov’s capabilities and files, DOKU’s File Requirements)\n"
                                          "which documents it still needs from the merchant, with the merchant’s account\n"
                                          "values, and prints each item’s state: missing, uploaded (pending review),\n"
                                          "accepted, rejected (with what to do) or expired. Kore.ai and receeve publish\n"
                                          "no requirements: their optional items are listed."),
                                        "checklists", run_one);
}
