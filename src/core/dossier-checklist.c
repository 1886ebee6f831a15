/* dossier-checklist.c: what a provider still needs from a merchant, computed
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the provider's answer (Moov's capabilities, DOKU's File
 * Requirements), the provider's list of files and their review (Moov) and
 * the merchant's uploads, as the descriptor's "requirements" member says to
 * read them. No provider name or requirement id is written here.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-checklist-private.h"
#include "dossier-json-private.h"

struct _DossierChecklist
{
  GObject parent_instance;

  DossierProvider *provider;
  GPtrArray *items;
  /* the last answers read from the provider (dossier-checklist-fetch.c) */
  GBytes *answer;
  GBytes *files_answer;
  gint64 asked_at;
  gint64 computed_at;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierChecklist, dossier_checklist, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* ------------------------------------------------------------------------ */
/* computing the items                                                       */

typedef struct
{
  DossierChecklist *self;
  const DossierRequirementsSpec *spec;
  GPtrArray *uploads;
  GPtrArray *files;
  GHashTable *names;
  gint64 now;
  GPtrArray *items;
  GHashTable *by_id;
} Compute;

static gboolean
kept (const DossierRequirementsSpec *spec,
      const char                    *id)
{
  if (spec->keep == NULL)
    return TRUE;
  for (guint i = 0; spec->items != NULL && i < spec->items->len; i++)
    if (_dossier_checklist_match_id (((DossierRequirementItem *) g_ptr_array_index (spec->items, i))->id, id, NULL))
      return TRUE;
  for (guint i = 0; spec->keep[i] != NULL; i++)
    if (g_pattern_match_simple (spec->keep[i], id))
      return TRUE;
  return FALSE;
}

static const DossierRequirementItem *
find_item (const DossierRequirementsSpec *spec,
           const char                    *id,
           GHashTable                    *captures)
{
  for (guint i = 0; spec->static_items != NULL && i < spec->static_items->len; i++)
    {
      DossierRequirementItem *item = g_ptr_array_index (spec->static_items, i);

      if (_dossier_checklist_match_id (item->id, id, captures))
        return item;
    }
  for (guint i = 0; spec->items != NULL && i < spec->items->len; i++)
    {
      DossierRequirementItem *item = g_ptr_array_index (spec->items, i);

      if (_dossier_checklist_match_id (item->id, id, captures))
        return item;
    }
  return NULL;
}

/* {name} from @values; an unknown or empty one expands to "" */
static char *
expand (const char *template_,
        GHashTable *values)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = template_;

  while (*p)
    {
      const char *open = strchr (p, '{');
      const char *close = open ? strchr (open, '}') : NULL;
      g_autofree char *name = NULL;
      const char *value;

      if (close == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      name = g_strndup (open + 1, close - open - 1);
      value = g_hash_table_lookup (values, name);
      if (value != NULL)
        g_string_append (out, value);
      p = close + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The label of the choice the item's most specific field value makes (the
 * last one listed: DOKU's code after its category), or NULL when that value
 * is not one of the field's choices */
static char *
choice_label (DossierProvider *provider,
              GHashTable      *fields,
              GStrv            order)
{
  guint n = order != NULL ? g_strv_length (order) : 0;
  DossierField *field;
  DossierChoice *choice;

  if (n == 0 || (field = dossier_provider_lookup_field (provider, order[n - 1])) == NULL)
    return NULL;
  choice = dossier_field_lookup_choice (field, g_hash_table_lookup (fields, order[n - 1]));
  return choice != NULL ? g_strdup (dossier_choice_get_label (choice)) : NULL;
}

/* The item's own keywords, or when it has none those of the choices its
 * field values make (DOKU's KTP: the code's "ktp"); a Moov purpose shared
 * by two requirements would make every name point at both */
static GStrv
collect_keywords (DossierProvider              *provider,
                  const DossierRequirementItem *def,
                  GHashTable                   *fields)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (def != NULL && def->keywords != NULL && def->keywords[0] != NULL)
    {
      g_strv_builder_addv (builder, (const char **) def->keywords);
      return g_strv_builder_end (builder);
    }
  for (guint i = 0; def != NULL && def->field_names[i] != NULL; i++)
    {
      DossierField *field = dossier_provider_lookup_field (provider, def->field_names[i]);
      DossierChoice *choice = field != NULL ? dossier_field_lookup_choice (field, g_hash_table_lookup (fields, def->field_names[i]))
                                            : NULL;

      if (choice != NULL)
        g_strv_builder_addv (builder, (const char **) dossier_choice_get_keywords (choice));
    }
  return g_strv_builder_end (builder);
}

static DossierChecklistItem *
make_item (Compute                   *c,
           const char                *id,
           const DossierChecklistDue *due)
{
  DossierProvider *provider = c->self->provider;
  const DossierRequirementsSpec *spec = c->spec;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) shown = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const DossierRequirementItem *def = find_item (spec, id, values);
  const DossierRequirementItem *shape = def != NULL ? def : spec->other;
  DossierChecklistItem *item = _dossier_checklist_item_new (id);
  gboolean any_metadata = FALSE;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_replace (values, g_strdup ("requirement"), g_strdup (id));
  g_hash_table_replace (values, g_strdup ("error"),
                        g_strdup (due != NULL && due->error_code != NULL ? due->error_code : ""));

  /* labels show a representative's name where the merchant's record has one */
  shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = c->names != NULL ? g_hash_table_lookup (c->names, value) : NULL;

      g_hash_table_insert (shown, g_strdup (key), g_strdup (name != NULL ? name : value));
    }

  if (shape != NULL)
    {
      for (guint i = 0; shape->field_names[i] != NULL; i++)
        g_hash_table_replace (item->fields, g_strdup (shape->field_names[i]),
                              expand (shape->field_values[i], values));

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      for (guint i = 0; shape->metadata_keys[i] != NULL; i++)
        {
          g_autofree char *text = expand (shape->metadata_values[i], values);

          if (*text == '\0')
            continue;
          json_builder_set_member_name (builder, shape->metadata_keys[i]);
          json_builder_add_string_value (builder, text);
          any_metadata = TRUE;
        }
      json_builder_end_object (builder);
      if (any_metadata)
        {
          g_autoptr(JsonNode) root = json_builder_get_root (builder);

          item->metadata = json_to_string (root, FALSE);
          if (spec->metadata_field != NULL)
            g_hash_table_replace (item->fields, g_strdup (spec->metadata_field), g_strdup (item->metadata));
        }
    }

  if (def != NULL && def->label != NULL)
    item->label = expand (def->label, shown);
  /* an item without a label of its own: the label of what its upload
   * chooses (DOKU's KTP: "Identity card (KTP)"); not for an id no item
   * names, whose generic values say nothing of it */
  if (item->label == NULL && def != NULL)
    item->label = choice_label (provider, item->fields, def->field_names);
  if (item->label == NULL && due != NULL && due->name != NULL && *due->name != '\0')
    item->label = g_strdup (due->name);
  if (item->label == NULL)
    /* Translators: a requirement Dossier has no words for: "Document Moov asks for (“document.x.y”)" */
    item->label = g_strdup_printf (_("Document %s asks for (“%s”)"), dossier_provider_get_name (provider), id);

  item->optional = def != NULL && def->optional;
  item->keywords = collect_keywords (provider, def, item->fields);
  return item;
}

static const char *
upload_field (const DossierChecklistUpload *upload,
              const char                   *name)
{
  return upload->fields != NULL ? g_hash_table_lookup (upload->fields, name) : NULL;
}

/* Whether @upload answers @item: it names the requirement (itself or in
 * its metadata), or, naming none, it has the item's values of the
 * descriptor's "match" fields */
static gboolean
answers (Compute                      *c,
         const DossierChecklistUpload *upload,
         DossierChecklistItem         *item)
{
  g_autofree char *meta_requirement = NULL;
  g_autofree char *meta_error = NULL;
  const char *requirement = upload->requirement_id;
  gboolean any = FALSE;

  if (requirement == NULL && c->spec->metadata_field != NULL)
    {
      _dossier_checklist_read_metadata (upload_field (upload, c->spec->metadata_field), &meta_requirement, &meta_error);
      requirement = meta_requirement;
    }
  if (requirement != NULL)
    return g_str_equal (requirement, item->requirement_id);

  for (guint i = 0; c->spec->match != NULL && c->spec->match[i] != NULL; i++)
    {
      const char *want = g_hash_table_lookup (item->fields, c->spec->match[i]);

      if (want == NULL)
        continue;
      if (g_strcmp0 (want, upload_field (upload, c->spec->match[i])) != 0)
        return FALSE;
      any = TRUE;
    }
  return any;
}

static const DossierChecklistFile *
file_for (Compute                      *c,
          const DossierChecklistUpload *upload,
          const char                   *requirement_id)
{
  const DossierChecklistFile *found = NULL;

  for (guint i = 0; c->files != NULL && i < c->files->len; i++)
    {
      const DossierChecklistFile *file = g_ptr_array_index (c->files, i);

      if (upload != NULL && upload->remote_id != NULL && g_str_equal (file->id, upload->remote_id))
        return file;
      /* the list has no order we can trust: the last one listed */
      if (upload == NULL && g_strcmp0 (file->requirement_id, requirement_id) == 0)
        found = file;
    }
  return found;
}

static void
set_rejected (Compute              *c,
              DossierChecklistItem *item,
              const char           *reason,
              const char           *code)
{
  const char *advice = code != NULL ? g_hash_table_lookup (c->spec->advice, code) : NULL;

  item->state = DOSSIER_CHECKLIST_STATE_REJECTED;
  g_free (item->reason);
  item->reason = g_strdup (reason != NULL && *reason != '\0' ? reason : code);
  g_free (item->advice);
  if (advice != NULL)
    item->advice = g_strdup (advice);
  else
    /* Translators: "Moov refused it: check the document and upload it again" */
    item->advice = g_strdup_printf (_("%s refused it: check the document and upload a corrected one"),
                                    dossier_provider_get_name (c->self->provider));
  if (item->reason == NULL)
    item->reason = g_strdup (_("no reason given"));
}

static void
settle (Compute                   *c,
        DossierChecklistItem      *item,
        const DossierChecklistDue *due)
{
  const char *error_code = due != NULL ? due->error_code : NULL;
  const DossierChecklistUpload *latest = NULL;
  const DossierChecklistFile *file;

  for (guint i = 0; c->uploads != NULL && i < c->uploads->len; i++)
    {
      const DossierChecklistUpload *upload = g_ptr_array_index (c->uploads, i);

      if ((!upload->sent && !upload->outcome_unknown) || !answers (c, upload, item))
        continue;
      if (latest == NULL || upload->time >= latest->time)
        latest = upload;
    }

  if (latest != NULL)
    item->upload = _dossier_checklist_upload_copy (latest);
  g_free (item->error_code);
  item->error_code = g_strdup (error_code);
  file = file_for (c, latest, item->requirement_id);
  if (file == NULL && latest != NULL)
    file = file_for (c, NULL, item->requirement_id);

  /* the provider's list, read before its review, still says pending where
   * the record already holds that review (a follow-up read it since): a
   * review is final, so the record's is the newer */
  if (file != NULL && file->state == DOSSIER_CHECKLIST_STATE_UPLOADED && latest != NULL &&
      latest->remote_status != NULL && g_strcmp0 (latest->remote_id, file->id) == 0 &&
      c->spec->files_path != NULL)
    {
      if (g_strv_contains ((const char * const *) c->spec->files_accepted, latest->remote_status))
        {
          item->state = DOSSIER_CHECKLIST_STATE_ACCEPTED;
          return;
        }
      if (g_strv_contains ((const char * const *) c->spec->files_rejected, latest->remote_status))
        {
          set_rejected (c, item, latest->review_reason, latest->review_code);
          return;
        }
    }

  if (error_code != NULL)
    {
      /* an upload that answers this very error is waiting for review */
      if (latest != NULL && g_strcmp0 (latest->error_code, error_code) == 0 &&
          (file == NULL || file->state == DOSSIER_CHECKLIST_STATE_UPLOADED))
        item->state = DOSSIER_CHECKLIST_STATE_UPLOADED;
      else
        set_rejected (c, item, file != NULL && file->state == DOSSIER_CHECKLIST_STATE_REJECTED
                               ? file->reason : error_code, error_code);
      return;
    }

  if (file != NULL)
    {
      if (file->state == DOSSIER_CHECKLIST_STATE_REJECTED)
        set_rejected (c, item, file->reason, file->error_code);
      else
        item->state = file->state;
      return;
    }

  if (latest == NULL)
    {
      item->state = DOSSIER_CHECKLIST_STATE_MISSING;
      return;
    }

  if (c->spec->files_path != NULL && latest->remote_status != NULL &&
      g_strv_contains ((const char * const *) c->spec->files_accepted, latest->remote_status))
    item->state = DOSSIER_CHECKLIST_STATE_ACCEPTED;
  else if (c->spec->files_path != NULL && latest->remote_status != NULL &&
           g_strv_contains ((const char * const *) c->spec->files_rejected, latest->remote_status))
    set_rejected (c, item, latest->review_reason != NULL ? latest->review_reason : latest->message,
                  latest->review_code != NULL ? latest->review_code : latest->error_code);
  else if (latest->link_expires > 0 && c->now >= latest->link_expires)
    item->state = DOSSIER_CHECKLIST_STATE_EXPIRED;
  else
    item->state = DOSSIER_CHECKLIST_STATE_UPLOADED;
}

static void
add (Compute                   *c,
     const char                *id,
     const DossierChecklistDue *due)
{
  DossierChecklistItem *item;

  if (id == NULL || g_hash_table_contains (c->by_id, id) || !kept (c->spec, id))
    return;

  item = make_item (c, id, due);
  settle (c, item, due);
  g_ptr_array_add (c->items, item);
  g_hash_table_insert (c->by_id, item->requirement_id, item);
}

/* A provider that publishes no requirement: its static items, then one item
 * per upload made */
static void
add_uploads_as_items (Compute *c)
{
  for (guint i = 0; c->uploads != NULL && i < c->uploads->len; i++)
    {
      const DossierChecklistUpload *upload = g_ptr_array_index (c->uploads, i);
      gboolean taken = FALSE;
      g_autofree char *id = NULL;
      DossierChecklistItem *item;

      if (!upload->sent && !upload->outcome_unknown)
        continue;
      for (guint j = 0; j < c->items->len && !taken; j++)
        taken = answers (c, upload, g_ptr_array_index (c->items, j));
      if (taken)
        continue;

      id = g_strdup_printf ("upload:%s", upload->remote_id ? upload->remote_id
                                                          : upload->file_name ? upload->file_name : "?");
      if (g_hash_table_contains (c->by_id, id))
        continue;
      item = _dossier_checklist_item_new (id);
      item->label = g_strdup (upload->file_name ? upload->file_name : id);
      item->upload = _dossier_checklist_upload_copy (upload);
      item->state = upload->link_expires > 0 && c->now >= upload->link_expires
                    ? DOSSIER_CHECKLIST_STATE_EXPIRED : DOSSIER_CHECKLIST_STATE_UPLOADED;
      g_ptr_array_add (c->items, item);
      g_hash_table_insert (c->by_id, item->requirement_id, item);
    }
}

/**
 * dossier_checklist_update:
 * @answer: (nullable): the requirement request's answer (JSON text)
 * @files_answer: (nullable): the provider's list of files (JSON text)
 * @uploads: (element-type DossierChecklistUpload) (nullable): the merchant's
 *   uploads to this provider and account
 * @names: (element-type utf8 utf8) (nullable): display names for ids that
 *   appear in requirement ids (a representative's id -> "Budi")
 * @now: the time (Unix), to tell an expired link
 *
 * Computes the items again. An answer that cannot be read (too large, too
 * deep, not the documented shape) leaves the items as they were and says
 * why in @error.
 */
gboolean
dossier_checklist_update (DossierChecklist *self,
                          const char       *answer,
                          gssize            answer_length,
                          const char       *files_answer,
                          gssize            files_length,
                          GPtrArray        *uploads,
                          GHashTable       *names,
                          gint64            now,
                          GError          **error)
{
  DossierRequirementsSpec empty = { 0 };
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (self->provider);
  const char *provider_name = dossier_provider_get_name (self->provider);
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) advice = NULL;
  Compute c = { self, spec, uploads, NULL, names, now, items, by_id };
  guint removed;

  g_return_val_if_fail (DOSSIER_IS_CHECKLIST (self), FALSE);

  if (spec == NULL)
    {
      advice = g_hash_table_new (g_str_hash, g_str_equal);
      empty.advice = advice;
      c.spec = spec = &empty;
    }

  if (answer != NULL && spec->path != NULL &&
      (due = _dossier_checklist_parse_answer (spec, provider_name, answer, answer_length, error)) == NULL)
    return FALSE;
  if (files_answer != NULL && spec->files_path != NULL &&
      (files = _dossier_checklist_parse_files (spec, provider_name, files_answer, files_length, error)) == NULL)
    return FALSE;
  c.files = files;

  /* what the provider says is due or refused, in its order */
  for (guint i = 0; due != NULL && i < due->len; i++)
    {
      DossierChecklistDue *d = g_ptr_array_index (due, i);

      add (&c, d->id, d);
    }
  /* what the descriptor always lists */
  for (guint i = 0; spec->static_items != NULL && i < spec->static_items->len; i++)
    add (&c, ((DossierRequirementItem *) g_ptr_array_index (spec->static_items, i))->id, NULL);
  /* what was answered and is no longer due (an answer of what is currently
   * due, like Moov's, drops a requirement once a file arrives): from the
   * uploads and the files */
  for (guint i = 0; spec->due != NULL && uploads != NULL && i < uploads->len; i++)
    {
      const DossierChecklistUpload *upload = g_ptr_array_index (uploads, i);
      g_autofree char *meta_requirement = NULL;
      g_autofree char *meta_error = NULL;

      if (!upload->sent && !upload->outcome_unknown)
        continue;
      if (upload->requirement_id == NULL && spec->metadata_field != NULL)
        _dossier_checklist_read_metadata (upload_field (upload, spec->metadata_field), &meta_requirement, &meta_error);
      add (&c, upload->requirement_id ? upload->requirement_id : meta_requirement, NULL);
    }
  for (guint i = 0; files != NULL && i < files->len; i++)
    add (&c, ((DossierChecklistFile *) g_ptr_array_index (files, i))->requirement_id, NULL);
  if (spec->path == NULL)
    add_uploads_as_items (&c);

  self->computed_at = now;
  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_extend_and_steal (self->items, g_steal_pointer (&items));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
  return TRUE;
}

guint
dossier_checklist_count (DossierChecklist      *self,
                         DossierChecklistState  state)
{
  guint n = 0;

  g_return_val_if_fail (DOSSIER_IS_CHECKLIST (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      DossierChecklistItem *item = g_ptr_array_index (self->items, i);

      if (item->state == state && !(state == DOSSIER_CHECKLIST_STATE_MISSING && item->optional))
        n++;
    }
  return n;
}

/**
 * dossier_checklist_request_target:
 * @provider: a provider whose descriptor has a requirement request
 * @account_values: (element-type utf8 utf8): the merchant's account values
 *
 * Returns: (transfer full): the request's path with its query, e.g.
 *   "/adv-core-api/partner/v1.0/file?businessType=CORPORATE&…"
 */
char *
dossier_checklist_request_target (DossierProvider  *provider,
                                  GHashTable       *account_values,
                                  GError          **error)
{
  const DossierRequirementsSpec *spec = dossier_provider_get_requirements (provider);
  g_autoptr(GString) target = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);

  if (spec == NULL || spec->path == NULL)
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("%s publishes no list of the documents it requires"), dossier_provider_get_name (provider));
      return NULL;
    }

  if ((path = dossier_expand_template (spec->path, account_values, TRUE, error)) == NULL)
    return NULL;
  target = g_string_new (path);
  for (guint i = 0; spec->query_names[i] != NULL; i++)
    {
      g_autofree char *value = dossier_expand_template (spec->query_values[i], account_values, FALSE, error);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        return NULL;
      escaped = g_uri_escape_string (value, NULL, FALSE);
      g_string_append_c (target, i == 0 ? '?' : '&');
      g_string_append_printf (target, "%s=%s", spec->query_names[i], escaped);
    }
  return g_string_free (g_steal_pointer (&target), FALSE);
}

/* ------------------------------------------------------------------------ */
/* the object                                                                */

static GType
list_get_item_type (GListModel *model)
{
  return DOSSIER_TYPE_CHECKLIST_ITEM;
}

static guint
list_get_n_items (GListModel *model)
{
  return DOSSIER_CHECKLIST (model)->items->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  DossierChecklist *self = DOSSIER_CHECKLIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
dossier_checklist_dispose (GObject *object)
{
  DossierChecklist *self = (DossierChecklist *)object;

  g_clear_object (&self->provider);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (dossier_checklist_parent_class)->dispose (object);
}

static void
dossier_checklist_finalize (GObject *object)
{
  DossierChecklist *self = (DossierChecklist *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->answer, g_bytes_unref);
  g_clear_pointer (&self->files_answer, g_bytes_unref);

  G_OBJECT_CLASS (dossier_checklist_parent_class)->finalize (object);
}

static void
dossier_checklist_class_init (DossierChecklistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dossier_checklist_dispose;
  object_class->finalize = dossier_checklist_finalize;
}

static void
dossier_checklist_init (DossierChecklist *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

DossierChecklist *
dossier_checklist_new (DossierProvider *provider)
{
  DossierChecklist *self;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);

  self = g_object_new (DOSSIER_TYPE_CHECKLIST, NULL);
  self->provider = g_object_ref (provider);
  return self;
}

DossierProvider *
dossier_checklist_get_provider (DossierChecklist *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECKLIST (self), NULL);
  return self->provider;
}

/* The answers last read from the provider and when it was asked, kept for
 * a refresh the limiter holds back */
void
_dossier_checklist_set_answers (DossierChecklist *self,
                                GBytes           *answer,
                                GBytes           *files_answer,
                                gint64            asked_at)
{
  g_clear_pointer (&self->answer, g_bytes_unref);
  g_clear_pointer (&self->files_answer, g_bytes_unref);
  self->answer = answer != NULL ? g_bytes_ref (answer) : NULL;
  self->files_answer = files_answer != NULL ? g_bytes_ref (files_answer) : NULL;
  self->asked_at = asked_at;
}

/* FALSE when the provider was never asked through this checklist */
gboolean
_dossier_checklist_get_answers (DossierChecklist  *self,
                                GBytes           **answer,
                                GBytes           **files_answer,
                                gint64            *asked_at)
{
  *answer = self->answer;
  *files_answer = self->files_answer;
  *asked_at = self->asked_at;
  return self->answer != NULL;
}

gint64
_dossier_checklist_get_computed_at (DossierChecklist *self)
{
  return self->computed_at;
}
