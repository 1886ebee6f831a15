/* dossier-merchant-checklist.c: each provider's checklist in numbers, kept in the merchant's record
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list of merchants shows "2 missing", "1 rejected" or "complete" per
 * provider without asking anyone: the last checklist computed for each
 * provider is kept, as counts and the time it was asked, in the record's
 * "checklists" member. A record written before it existed has none.
 */

#include "config.h"

#include "dossier-merchant-private.h"

/* The most a count read back may be: a checklist has a few items */
#define MAX_COUNT 100000

static gboolean
same (const DossierChecklistSummary *a,
      const DossierChecklistSummary *b)
{
  return a->missing == b->missing && a->rejected == b->rejected && a->pending == b->pending &&
         a->accepted == b->accepted && a->expired == b->expired && a->checked_at == b->checked_at;
}

/**
 * dossier_merchant_get_checklist_summary:
 * @provider_id: a provider id
 * @out: (out caller-allocates): the summary, zeroed when there is none
 *
 * Returns: %TRUE when the record keeps a summary for @provider_id
 */
gboolean
dossier_merchant_get_checklist_summary (DossierMerchant         *self,
                                        const char              *provider_id,
                                        DossierChecklistSummary *out)
{
  const DossierChecklistSummary *kept;

  g_return_val_if_fail (DOSSIER_IS_MERCHANT (self), FALSE);
  g_return_val_if_fail (provider_id != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  kept = g_hash_table_lookup (self->checklists, provider_id);
  if (kept == NULL)
    {
      *out = (DossierChecklistSummary) { 0 };
      return FALSE;
    }
  *out = *kept;
  return TRUE;
}

/**
 * dossier_merchant_set_checklist_summary:
 * @provider_id: a provider id
 * @summary: (nullable): the summary; %NULL forgets it
 *
 * Keeps a provider's checklist summary in the record (saved with the
 * record: dossier_merchant_store_update()); emits "checklist-changed"
 * when it differs from the one kept.
 */
void
dossier_merchant_set_checklist_summary (DossierMerchant               *self,
                                        const char                    *provider_id,
                                        const DossierChecklistSummary *summary)
{
  const DossierChecklistSummary *kept;

  g_return_if_fail (DOSSIER_IS_MERCHANT (self));
  g_return_if_fail (provider_id != NULL);

  kept = g_hash_table_lookup (self->checklists, provider_id);
  if (summary == NULL && kept == NULL)
    return;
  if (summary != NULL && kept != NULL && same (summary, kept))
    return;

  if (summary == NULL)
    g_hash_table_remove (self->checklists, provider_id);
  else
    g_hash_table_replace (self->checklists, g_strdup (provider_id), g_memdup2 (summary, sizeof *summary));
  self->generation++;
  g_signal_emit_by_name (self, "checklist-changed", provider_id);
}

/* ------------------------------------------------------------------------ */
/* the record's line                                                         */

static const char * const count_names[] = { "missing", "rejected", "pending", "accepted", "expired" };

static guint *
count_field (DossierChecklistSummary *summary,
             guint                    i)
{
  guint *fields[] = { &summary->missing, &summary->rejected, &summary->pending,
                      &summary->accepted, &summary->expired };

  return fields[i];
}

void
_dossier_merchant_add_checklists_json (DossierMerchant *self,
                                       JsonBuilder     *builder)
{
  g_autofree const char **ids = NULL;
  guint n;

  if (g_hash_table_size (self->checklists) == 0)
    return;

  /* sorted, so a record saved twice is the same text */
  ids = (const char **) g_hash_table_get_keys_as_array (self->checklists, &n);
  qsort (ids, n, sizeof (char *), _dossier_merchant_compare_strings);
  json_builder_set_member_name (builder, "checklists");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      DossierChecklistSummary *summary = g_hash_table_lookup (self->checklists, ids[i]);

      json_builder_set_member_name (builder, ids[i]);
      json_builder_begin_object (builder);
      for (guint j = 0; j < G_N_ELEMENTS (count_names); j++)
        {
          json_builder_set_member_name (builder, count_names[j]);
          json_builder_add_int_value (builder, *count_field (summary, j));
        }
      json_builder_set_member_name (builder, "checked_at");
      json_builder_add_int_value (builder, summary->checked_at);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static gboolean
read_int (JsonObject *object,
          const char *name,
          gint64      max,
          gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > max)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* A summary that does not read is left out (it is asked again) */
void
_dossier_merchant_read_checklists_json (DossierMerchant *self,
                                        JsonObject      *object)
{
  JsonNode *node = json_object_get_member (object, "checklists");
  JsonObjectIter iter;
  const char *provider_id;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &provider_id, &value))
    {
      DossierChecklistSummary summary = { 0 };
      gboolean ok = JSON_NODE_HOLDS_OBJECT (value);
      gint64 number = 0;

      for (guint j = 0; ok && j < G_N_ELEMENTS (count_names); j++)
        {
          ok = read_int (json_node_get_object (value), count_names[j], MAX_COUNT, &number);
          *count_field (&summary, j) = (guint) number;
        }
      if (ok)
        ok = read_int (json_node_get_object (value), "checked_at", G_MAXINT64, &summary.checked_at);
      if (ok)
        g_hash_table_replace (self->checklists, g_strdup (provider_id), g_memdup2 (&summary, sizeof summary));
    }
}

/* Another process saved the record meanwhile: per provider, the summary
 * of the later check wins */
void
_dossier_merchant_merge_checklists (DossierMerchant *mine,
                                    DossierMerchant *theirs)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, theirs->checklists);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const DossierChecklistSummary *their_summary = value;
      const DossierChecklistSummary *my_summary = g_hash_table_lookup (mine->checklists, key);

      if (my_summary == NULL || my_summary->checked_at < their_summary->checked_at)
        dossier_merchant_set_checklist_summary (mine, key, their_summary);
    }
}
