/* dossier-task.c: re-upload tasks, what a provider refused and what would answer it
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A task is an entry of the record whose provider's status is one of the
 * descriptor's "rejected" file statuses (Moov: "rejected"); its words
 * come from the descriptor's advice for the error code ("Moov could not
 * read the document: upload a sharper scan" is the reason, then the fix).
 * DOKU's review states are not documented: none of its values is read as
 * a rejection, so DOKU makes no task.  A task closes when a later upload
 * for the same merchant, provider, environment and account answers the
 * same requirement (or, without one, has the same document values) and was
 * taken: sent, and not rejected itself.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-task-private.h"

struct _DossierTask
{
  GObject              parent_instance;

  DossierHistoryEntry *entry;
  char                *reason;
  char                *fix;
  GHashTable          *fields;
};

G_DEFINE_FINAL_TYPE (DossierTask, dossier_task, G_TYPE_OBJECT)

static void
dossier_task_finalize (GObject *object)
{
  DossierTask *self = DOSSIER_TASK (object);

  g_clear_object (&self->entry);
  g_free (self->reason);
  g_free (self->fix);
  g_clear_pointer (&self->fields, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_task_parent_class)->finalize (object);
}

static void
dossier_task_class_init (DossierTaskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dossier_task_finalize;
}

static void
dossier_task_init (DossierTask *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* The document values the entry was sent with */
static void
copy_document_values (DossierTask *self)
{
  static const char * const names[] = { "filePurpose", "category", "code", "purpose", "documentType", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = dossier_history_entry_get_document_value (self->entry, names[i]);

      if (value != NULL)
        g_hash_table_replace (self->fields, g_strdup (names[i]), g_strdup (value));
    }
}

DossierTask *
_dossier_task_new (DossierHistoryEntry *entry,
                   DossierProvider     *provider)
{
  DossierTask *self = g_object_new (DOSSIER_TYPE_TASK, NULL);
  const DossierRequirementsSpec *spec = provider != NULL ? dossier_provider_get_requirements (provider) : NULL;
  const char *code = dossier_history_entry_get_error_code (entry);
  const char *requirement = dossier_history_entry_get_requirement_id (entry);
  const char *name = dossier_history_entry_get_provider_name (entry);
  const char *advice = spec != NULL && spec->advice != NULL && code != NULL
                       ? g_hash_table_lookup (spec->advice, code) : NULL;
  const char *colon = advice != NULL ? strstr (advice, ": ") : NULL;

  self->entry = g_object_ref (entry);
  if (colon != NULL)
    {
      self->reason = g_strndup (advice, colon - advice);
      self->fix = g_strdup (colon + 2);
    }
  else if (advice != NULL)
    {
      self->reason = g_strdup (advice);
      /* Translators: what fixes a rejected document without specific advice */
      self->fix = g_strdup (_("upload a new document that answers it"));
    }
  else
    {
      /* Translators: "Moov rejected the document" */
      self->reason = g_strdup_printf (_("%s rejected the document"), name);
      /* Translators: the fix when the provider gave no error code */
      self->fix = g_strdup (_("read the provider’s reason and upload a corrected document"));
    }

  copy_document_values (self);
  if (spec != NULL && spec->metadata_field != NULL && requirement != NULL)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "requirement_id");
      json_builder_add_string_value (b, requirement);
      if (code != NULL)
        {
          json_builder_set_member_name (b, "error_code");
          json_builder_add_string_value (b, code);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (generator, root);
      g_hash_table_replace (self->fields, g_strdup (spec->metadata_field),
                            json_generator_to_data (generator, NULL));
    }
  return self;
}

DossierHistoryEntry *
dossier_task_get_entry (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return self->entry;
}

const char *
dossier_task_get_merchant_id (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_merchant_id (self->entry);
}

const char *
dossier_task_get_provider_id (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_provider_id (self->entry);
}

const char *
dossier_task_get_provider_name (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_provider_name (self->entry);
}

const char *
dossier_task_get_environment (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_environment (self->entry);
}

const char *
dossier_task_get_file_name (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_file_name (self->entry);
}

const char *
dossier_task_get_remote_id (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_remote_id (self->entry);
}

const char *
dossier_task_get_requirement_id (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_requirement_id (self->entry);
}

const char *
dossier_task_get_error_code (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_error_code (self->entry);
}

const char *
dossier_task_get_provider_reason (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_decision_reason (self->entry);
}

const char *
dossier_task_get_reason (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return self->reason;
}

const char *
dossier_task_get_fix (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return self->fix;
}

GDateTime *
dossier_task_get_time (DossierTask *self)
{
  GDateTime *decided;

  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  decided = dossier_history_entry_get_decided_at (self->entry);
  return decided != NULL ? decided : dossier_history_entry_get_finished_at (self->entry);
}

GHashTable *
dossier_task_get_fields (DossierTask *self)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return self->fields;
}

const char *
dossier_task_get_account_value (DossierTask *self,
                                const char  *name)
{
  g_return_val_if_fail (DOSSIER_IS_TASK (self), NULL);
  return dossier_history_entry_get_account_value (self->entry, name);
}
