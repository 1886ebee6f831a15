/* dossier-cli-follow-up.c: "follow-up", how the providers reviewed a merchant's documents
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "dossier-cli.h"
#include "dossier-cli-util.h"
#include "dossier-follow-up.h"

static void
keep_result_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The document's state in words */
static char *
describe_entry (DossierHistoryEntry *entry,
                const char          *provider_name)
{
  const char *status = dossier_history_entry_get_remote_status (entry);
  const char *reason = dossier_history_entry_get_decision_reason (entry);

  if (dossier_history_entry_get_outcome_unknown (entry))
    /* Translators: "outcome unknown: not in Moov's answers; a resend may make a second copy" */
    return g_strdup_printf (_("outcome unknown: %s does not show it; sending it again may make a second copy"),
                            provider_name);
  if (status == NULL)
    return g_strdup (_("sent; no review known yet"));
  if (reason != NULL)
    /* Translators: "rejected: document-illegible: the document could not be read" */
    return g_strdup_printf (_("%s: %s"), status, reason);
  if (dossier_history_entry_get_reconciled (entry))
    /* Translators: "pending (found in the provider's list after its answer was lost)" */
    return g_strdup_printf (_("%s (found in %s’s list after its answer was lost)"), status, provider_name);
  return g_strdup (status);
}

static void
add_entry_json (JsonBuilder         *b,
                DossierHistoryEntry *entry)
{
  g_autofree char *finished = g_date_time_format_iso8601 (dossier_history_entry_get_finished_at (entry));
  GDateTime *decided = dossier_history_entry_get_decided_at (entry);
  g_autofree char *decided_text = decided != NULL ? g_date_time_format_iso8601 (decided) : NULL;

  json_builder_begin_object (b);
  add_string_or_null (b, "file_name", dossier_history_entry_get_file_name (entry));
  add_string_or_null (b, "remote_id", dossier_history_entry_get_remote_id (entry));
  add_string_or_null (b, "requirement_id", dossier_history_entry_get_requirement_id (entry));
  add_string_or_null (b, "outcome", dossier_history_entry_get_outcome_unknown (entry) ? "unknown" : "sent");
  add_string_or_null (b, "status", dossier_history_entry_get_remote_status (entry));
  add_string_or_null (b, "decision_reason", dossier_history_entry_get_decision_reason (entry));
  add_string_or_null (b, "error_code", dossier_history_entry_get_error_code (entry));
  add_string_or_null (b, "decided_at", decided_text);
  json_builder_set_member_name (b, "reconciled");
  json_builder_add_boolean_value (b, dossier_history_entry_get_reconciled (entry));
  add_string_or_null (b, "finished_at", finished);
  json_builder_end_object (b);
}

static void
add_decision_json (JsonBuilder             *b,
                   DossierFollowUpDecision *d)
{
  json_builder_begin_object (b);
  add_string_or_null (b, "file_name", d->file_name);
  add_string_or_null (b, "remote_id", d->remote_id);
  add_string_or_null (b, "status", d->status);
  add_string_or_null (b, "reason", d->reason);
  add_string_or_null (b, "error_code", d->error_code);
  json_builder_set_member_name (b, "reconciled");
  json_builder_add_boolean_value (b, d->reconciled);
  json_builder_set_member_name (b, "final");
  json_builder_add_boolean_value (b, d->final);
  json_builder_end_object (b);
}

/* One provider: asked, recorded, printed (or added to @b) */
static gboolean
run_one (DossierMerchant   *merchant,
         DossierProvider   *provider,
         ConnectionOptions *options,
         DossierClient     *client,
         DossierSandbox   **sandbox,
         JsonBuilder       *b,
         int               *status)
{
  g_autoptr(DossierCredentials) credentials = NULL;
  g_autoptr(GHashTable) values = dossier_merchant_dup_account_values (merchant, dossier_provider_get_id (provider));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *no_reviews = NULL;
  g_autofree char *masked = NULL;
  DossierHistory *history = dossier_history_get_default ();
  const DossierEnvironment *env;
  const char *sandbox_url = NULL;
  const char *name = dossier_provider_get_name (provider);
  gboolean reports = dossier_follow_up_reports_reviews (provider);
  gint64 wait = -1;

  if ((env = find_environment (provider, options)) == NULL)
    {
      *status = EXIT_USAGE;
      return FALSE;
    }

  if (reports)
    {
      if (!find_sandbox (env, options->base_url, sandbox, &sandbox_url))
        {
          *status = EXIT_FAILED;
          return FALSE;
        }
      base_url = options->base_url != NULL ? g_strdup (options->base_url)
                                           : dossier_provider_resolve_base_url (env->base_url, sandbox_url);
      credentials = credentials_from_options (provider, options, sandbox_url != NULL);
      dossier_follow_up_async (history, provider, env->id, base_url, dossier_merchant_get_id (merchant), values,
                               credentials, client, NULL, keep_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      decisions = dossier_follow_up_finish (result, &wait, &error);
    }
  else
    no_reviews = dossier_follow_up_describe_no_reviews (provider);

  entries = dossier_follow_up_dup_entries (history, provider, env->id, dossier_merchant_get_id (merchant));
  if (error != NULL)
    masked = redact (error->message);

  if (b != NULL)
    {
      json_builder_begin_object (b);
      add_string_or_null (b, "provider", dossier_provider_get_id (provider));
      add_string_or_null (b, "environment", env->id);
      json_builder_set_member_name (b, "reports_reviews");
      json_builder_add_boolean_value (b, reports);
      add_string_or_null (b, "error", masked);
      json_builder_set_member_name (b, "retry_after");
      if (wait > 0)
        json_builder_add_int_value (b, wait);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "decisions");
      json_builder_begin_array (b);
      for (guint i = 0; decisions != NULL && i < decisions->len; i++)
        add_decision_json (b, g_ptr_array_index (decisions, i));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "documents");
      json_builder_begin_array (b);
      for (guint i = 0; i < entries->len; i++)
        add_entry_json (b, g_ptr_array_index (entries, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  if (error != NULL)
    {
      print_error ("%s", masked);
      if (wait > 0)
        /* Translators: "Moov asked to wait 120 s before it is asked again" */
        print_error (_("%s asked to wait %d s before it is asked again"), name, (int) MIN (wait, G_MAXINT));
      *status = EXIT_FAILED;
    }
  if (b != NULL)
    return error == NULL;

  print_provider_heading (provider, env, NULL);
  if (no_reviews != NULL)
    {
      g_autofree char *line = g_strconcat ("  ", no_reviews, NULL);

      print_human_line (stdout, line);
    }
  else if (entries->len == 0)
    print_human_line (stdout, _("  nothing sent for this merchant yet"));
  for (guint i = 0; i < entries->len; i++)
    {
      DossierHistoryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *state = describe_entry (entry, name);
      const char *id = dossier_history_entry_get_remote_id (entry);
      g_autofree char *line = id != NULL
        ? g_strdup_printf ("  %s (%s): %s", dossier_history_entry_get_file_name (entry), id, state)
        : g_strdup_printf ("  %s: %s", dossier_history_entry_get_file_name (entry), state);

      print_human_line (stdout, line);
    }
  return error == NULL;
}

int
dossier_cli_command_follow_up (int    argc,
                               char **argv)
{
  return run_merchant_provider_command (argc, argv, "follow-up",
                                        _("MERCHANT — how the providers reviewed a merchant’s documents"),
                                        _("Asks Moov (the account’s files) and DOKU (Get Business Data) how they reviewed\n"
                                          "the merchant’s uploads, records every decision in the record of uploads,\n"
                                          "finds uploads whose answer was lost in Moov’s list of files, and prints each\n"
                                          "document’s state. Kore.ai and receeve do not report reviews."),
                                        "providers", run_one);
}
