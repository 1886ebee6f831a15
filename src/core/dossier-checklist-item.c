/* dossier-checklist-item.c: one requirement of a checklist, and an upload record
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-checklist-private.h"

G_DEFINE_FINAL_TYPE (DossierChecklistItem, dossier_checklist_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REQUIREMENT_ID,
  PROP_LABEL,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* upload records                                                            */

DossierChecklistUpload *
dossier_checklist_upload_new (void)
{
  DossierChecklistUpload *upload = g_new0 (DossierChecklistUpload, 1);

  upload->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return upload;
}

void
dossier_checklist_upload_free (DossierChecklistUpload *upload)
{
  if (upload == NULL)
    return;
  g_free (upload->requirement_id);
  g_free (upload->error_code);
  g_clear_pointer (&upload->fields, g_hash_table_unref);
  g_free (upload->file_name);
  g_free (upload->remote_id);
  g_free (upload->remote_status);
  g_free (upload->message);
  g_free (upload->review_reason);
  g_free (upload->review_code);
  g_free (upload);
}

void
dossier_checklist_upload_set_field (DossierChecklistUpload *upload,
                                    const char             *name,
                                    const char             *value)
{
  g_return_if_fail (upload != NULL && name != NULL);

  if (upload->fields == NULL)
    upload->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (value == NULL)
    g_hash_table_remove (upload->fields, name);
  else
    g_hash_table_replace (upload->fields, g_strdup (name), g_strdup (value));
}

DossierChecklistUpload *
_dossier_checklist_upload_copy (const DossierChecklistUpload *upload)
{
  DossierChecklistUpload *copy = dossier_checklist_upload_new ();
  GHashTableIter iter;
  gpointer key, value;

  copy->requirement_id = g_strdup (upload->requirement_id);
  copy->error_code = g_strdup (upload->error_code);
  copy->file_name = g_strdup (upload->file_name);
  copy->remote_id = g_strdup (upload->remote_id);
  copy->remote_status = g_strdup (upload->remote_status);
  copy->message = g_strdup (upload->message);
  copy->review_reason = g_strdup (upload->review_reason);
  copy->review_code = g_strdup (upload->review_code);
  copy->link_expires = upload->link_expires;
  copy->time = upload->time;
  copy->sent = upload->sent;
  copy->outcome_unknown = upload->outcome_unknown;
  if (upload->fields != NULL)
    {
      g_hash_table_iter_init (&iter, upload->fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy->fields, g_strdup (key), g_strdup (value));
    }
  return copy;
}

/* ------------------------------------------------------------------------ */
/* the item                                                                  */

static void
dossier_checklist_item_finalize (GObject *object)
{
  DossierChecklistItem *self = (DossierChecklistItem *)object;

  g_free (self->requirement_id);
  g_free (self->label);
  g_free (self->reason);
  g_free (self->advice);
  g_free (self->error_code);
  g_free (self->remote_id);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_free (self->metadata);
  g_clear_pointer (&self->upload, dossier_checklist_upload_free);
  g_strfreev (self->keywords);

  G_OBJECT_CLASS (dossier_checklist_item_parent_class)->finalize (object);
}

static void
dossier_checklist_item_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DossierChecklistItem *self = DOSSIER_CHECKLIST_ITEM (object);

  switch (prop_id)
    {
    case PROP_REQUIREMENT_ID:
      g_value_set_string (value, self->requirement_id);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_checklist_item_class_init (DossierChecklistItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = dossier_checklist_item_finalize;
  object_class->get_property = dossier_checklist_item_get_property;

  properties[PROP_REQUIREMENT_ID] = g_param_spec_string ("requirement-id", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, DOSSIER_TYPE_CHECKLIST_STATE,
                                              DOSSIER_CHECKLIST_STATE_MISSING, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_checklist_item_init (DossierChecklistItem *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DossierChecklistItem *
_dossier_checklist_item_new (const char *requirement_id)
{
  DossierChecklistItem *self = g_object_new (DOSSIER_TYPE_CHECKLIST_ITEM, NULL);

  self->requirement_id = g_strdup (requirement_id);
  return self;
}

const char *
dossier_checklist_item_get_requirement_id (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->requirement_id;
}

const char *
dossier_checklist_item_get_label (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->label;
}

DossierChecklistState
dossier_checklist_item_get_state (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), DOSSIER_CHECKLIST_STATE_MISSING);
  return self->state;
}

gboolean
dossier_checklist_item_get_optional (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), FALSE);
  return self->optional;
}

const char *
dossier_checklist_item_get_reason (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->reason;
}

const char *
dossier_checklist_item_get_advice (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->advice;
}

const char *
dossier_checklist_item_get_error_code (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->error_code;
}

GHashTable *
dossier_checklist_item_get_fields (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->fields;
}

const char *
dossier_checklist_item_get_metadata (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->metadata;
}

/* The words of a file name that point at this item (descriptor data:
 * the item's "keywords" and those of the choices its upload makes) */
const char * const *
dossier_checklist_item_get_keywords (DossierChecklistItem *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), none);
  return self->keywords != NULL ? (const char * const *) self->keywords : none;
}

const DossierChecklistUpload *
dossier_checklist_item_get_upload (DossierChecklistItem *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);
  return self->upload;
}

char *
dossier_checklist_item_describe (DossierChecklistItem *self)
{
  const char *id = self->upload != NULL ? self->upload->remote_id : NULL;

  g_return_val_if_fail (DOSSIER_IS_CHECKLIST_ITEM (self), NULL);

  switch (self->state)
    {
    case DOSSIER_CHECKLIST_STATE_MISSING:
      return g_strdup (self->optional ? _("Optional, not sent") : _("Missing"));
    case DOSSIER_CHECKLIST_STATE_UPLOADED:
      return g_strdup (_("Uploaded, pending review"));
    case DOSSIER_CHECKLIST_STATE_ACCEPTED:
      return g_strdup (_("Accepted"));
    case DOSSIER_CHECKLIST_STATE_REJECTED:
      if (self->advice != NULL)
        /* Translators: "Rejected (document-illegible): Moov could not read the document: upload a sharper scan" */
        return g_strdup_printf (_("Rejected (%s): %s"), self->reason, self->advice);
      return g_strdup_printf (_("Rejected (%s)"), self->reason);
    case DOSSIER_CHECKLIST_STATE_EXPIRED:
      if (id != NULL)
        /* Translators: DOKU's link to an uploaded file works 60 minutes; its id is what counts */
        return g_strdup_printf (_("Uploaded; its link has expired, but the file id %s stays valid: "
                                  "nothing to send again"), id);
      return g_strdup (_("Uploaded; its link has expired, but the file id stays valid: nothing to send again"));
    default:
      g_return_val_if_reached (NULL);
    }
}
