/* dossier-queue-state.c: the uploads not yet sent, kept across a quit or a crash
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file:
 *
 *   { "version": 1, "provider": "doku", "environment": "sandbox",
 *     "base_url": null, "merchant_id": "…", "values": { "category": "DOCUMENT" },
 *     "uploads": [ { "id": "…", "path": "/home/…/KTP.png", "values": { "code": "KTP" } },
 *                  { "id": "…", "url": "https://…/npwp.png", "values": { … } } ] }
 *
 * It is saved half a second after a change, so it may still list a file
 * that was sent since. The history's record (dossier-history.c) is the
 * authority: every upload's "id" is its id there, and a saved queue is
 * read through it (dossier_queue_state_load): what the record shows sent
 * (or sent again later, or removed) is left out, what it shows started and not finished (Dossier stopped
 * while sending it, or its answer was lost) is kept as "may have been
 * sent". A file saved without an id (older versions) is kept as it was.
 */

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "dossier-history.h"
#include "dossier-json-private.h"
#include "dossier-queue-state-private.h"
#include "dossier-upload-private.h"

#define FORMAT_VERSION 1

typedef struct
{
  char       *id;
  char       *path;
  char       *url;
  GHashTable *values;
  gboolean    maybe_sent;
} Item;

struct _DossierQueueState
{
  GObject     parent_instance;

  char       *provider_id;
  char       *environment;
  char       *base_url;
  char       *merchant_id; /* the merchant the uploads are for, or NULL */
  GHashTable *values;
  GPtrArray  *items;       /* Item */
};

G_DEFINE_FINAL_TYPE (DossierQueueState, dossier_queue_state, G_TYPE_OBJECT)

static GHashTable *
values_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static GHashTable *
values_copy (GHashTable *values)
{
  GHashTable *copy = values_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (values == NULL)
    return copy;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL && *(const char *) value != '\0')
      g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->id);
  g_free (item->path);
  g_free (item->url);
  g_clear_pointer (&item->values, g_hash_table_unref);
  g_free (item);
}

static Item *
get_item (DossierQueueState *self,
          guint              position)
{
  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);

  return g_ptr_array_index (self->items, position);
}

/* -------------------------------------------------------------------------- */
/* From and to a submission                                                   */

/**
 * dossier_queue_state_new_for_submission:
 *
 * Returns: (transfer full): what @submission has not sent yet (every
 *   upload but those that are done)
 */
DossierQueueState *
dossier_queue_state_new_for_submission (DossierSubmission *submission)
{
  DossierQueueState *self;
  GListModel *uploads;
  guint n;

  g_return_val_if_fail (DOSSIER_IS_SUBMISSION (submission), NULL);

  self = g_object_new (DOSSIER_TYPE_QUEUE_STATE, NULL);
  self->provider_id = g_strdup (dossier_provider_get_id (dossier_submission_get_provider (submission)));
  self->environment = g_strdup (dossier_submission_get_environment (submission));
  self->base_url = g_strdup (dossier_submission_get_base_url (submission));
  self->merchant_id = g_strdup (dossier_submission_get_merchant_id (submission));
  g_hash_table_unref (self->values);
  self->values = values_copy (dossier_submission_get_values (submission));

  uploads = dossier_submission_get_uploads (submission);
  n = g_list_model_get_n_items (uploads);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierUpload) upload = g_list_model_get_item (uploads, i);
      GFile *file = dossier_upload_get_file (upload);
      Item *item;

      /* sent, or perhaps sent (recorded so in the history): never
       * offered again as "not sent"; a restored one that may have been sent
       * and was not sent since stays, still labelled so */
      if (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_DONE ||
          (dossier_upload_get_state (upload) == DOSSIER_UPLOAD_STATE_UNKNOWN &&
           !dossier_upload_get_maybe_sent (upload)))
        continue;
      if (file == NULL && dossier_upload_get_url (upload) == NULL)
        continue;
      /* a file only a URI names (not a local path) cannot be found again */
      if (file != NULL && g_file_peek_path (file) == NULL)
        continue;

      item = g_new0 (Item, 1);
      item->id = g_strdup (dossier_upload_get_record_id (upload));
      item->maybe_sent = dossier_upload_get_maybe_sent (upload);
      if (file != NULL)
        item->path = g_strdup (g_file_peek_path (file));
      else
        item->url = g_strdup (dossier_upload_get_url (upload));
      item->values = values_copy (dossier_upload_get_values (upload));
      g_ptr_array_add (self->items, item);
    }

  return self;
}

void
dossier_queue_state_restore (DossierQueueState *self,
                             DossierSubmission *submission)
{
  g_autoptr(GPtrArray) uploads = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (DOSSIER_IS_QUEUE_STATE (self));
  g_return_if_fail (DOSSIER_IS_SUBMISSION (submission));

  if (self->environment != NULL &&
      dossier_provider_lookup_environment (dossier_submission_get_provider (submission),
                                           self->environment) != NULL)
    dossier_submission_set_environment (submission, self->environment);
  dossier_submission_set_base_url (submission, self->base_url);
  /* before the uploads: their record and duplicate guard name it */
  dossier_submission_set_merchant_id (submission, self->merchant_id);

  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    dossier_submission_set_value (submission, key, value);

  uploads = g_ptr_array_new_full (self->items->len, g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      g_autoptr(GFile) file = item->path != NULL ? g_file_new_for_path (item->path) : NULL;
      DossierUpload *upload;

      upload = dossier_submission_make_restored (submission, file,
                                                 file == NULL ? item->url : NULL,
                                                 item->values);
      if (upload == NULL)
        continue;
      if (item->id != NULL)
        dossier_upload_set_record_id (upload, item->id);
      dossier_upload_set_maybe_sent (upload, item->maybe_sent);
      g_ptr_array_add (uploads, upload);
    }

  dossier_submission_append_restored (submission, uploads);
}

/* -------------------------------------------------------------------------- */
/* JSON                                                                       */

static void
add_values (JsonBuilder *builder,
            GHashTable  *values)
{
  g_autoptr(GList) keys = g_hash_table_get_keys (values);

  /* sorted: the same queue gives the same file */
  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  json_builder_set_member_name (builder, "values");
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (values, l->data));
    }
  json_builder_end_object (builder);
}

JsonNode *
dossier_queue_state_to_json (DossierQueueState *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  _dossier_json_add_string (builder, "provider", self->provider_id);
  _dossier_json_add_string (builder, "environment", self->environment);
  _dossier_json_add_string (builder, "base_url", self->base_url);
  if (self->merchant_id != NULL)
    _dossier_json_add_string (builder, "merchant_id", self->merchant_id);
  add_values (builder, self->values);

  json_builder_set_member_name (builder, "uploads");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      json_builder_begin_object (builder);
      _dossier_json_add_string (builder, "id", item->id);
      _dossier_json_add_string (builder, "path", item->path);
      if (item->maybe_sent)
        {
          json_builder_set_member_name (builder, "maybe_sent");
          json_builder_add_boolean_value (builder, TRUE);
        }
      _dossier_json_add_string (builder, "url", item->url);
      add_values (builder, item->values);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Only string members are kept */
static GHashTable *
read_values (JsonObject *object)
{
  GHashTable *values = values_new ();
  JsonNode *node = json_object_get_member (object, "values");
  JsonObject *members;
  g_autoptr(GList) names = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return values;

  members = json_node_get_object (node);
  names = json_object_get_members (members);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *value = _dossier_json_dup_string (members, l->data);

      if (value != NULL && *value != '\0')
        g_hash_table_insert (values, g_strdup (l->data), g_steal_pointer (&value));
    }

  return values;
}

static gboolean
is_web_url (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  return scheme != NULL && (g_ascii_strcasecmp (scheme, "https") == 0 ||
                            g_ascii_strcasecmp (scheme, "http") == 0);
}

DossierQueueState *
dossier_queue_state_new_from_json (JsonNode  *root,
                                   GError   **error)
{
  g_autoptr(DossierQueueState) self = NULL;
  JsonObject *object;
  JsonArray *uploads;
  JsonNode *node;

  g_return_val_if_fail (root != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                           "saved queue is not a JSON object");
      return NULL;
    }

  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "version", 0) != FORMAT_VERSION)
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                           "saved queue of an unknown version");
      return NULL;
    }

  self = g_object_new (DOSSIER_TYPE_QUEUE_STATE, NULL);
  self->provider_id = _dossier_json_dup_string (object, "provider");
  if (self->provider_id == NULL || *self->provider_id == '\0')
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                           "saved queue without a provider");
      return NULL;
    }
  self->environment = _dossier_json_dup_string (object, "environment");
  self->base_url = _dossier_json_dup_string (object, "base_url");
  self->merchant_id = _dossier_json_dup_string (object, "merchant_id");
  if (self->merchant_id != NULL && *self->merchant_id == '\0')
    g_clear_pointer (&self->merchant_id, g_free);
  g_hash_table_unref (self->values);
  self->values = read_values (object);

  node = json_object_get_member (object, "uploads");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                           "saved queue without uploads");
      return NULL;
    }

  uploads = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonNode *element = json_array_get_element (uploads, i);
      JsonObject *upload;
      g_autofree char *path = NULL;
      g_autofree char *url = NULL;
      Item *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;

      upload = json_node_get_object (element);
      path = _dossier_json_dup_string (upload, "path");
      url = _dossier_json_dup_string (upload, "url");
      /* one or the other: an absolute path, or a web address */
      if (path != NULL && !g_path_is_absolute (path))
        g_clear_pointer (&path, g_free);
      if (url != NULL && (path != NULL || !is_web_url (url)))
        g_clear_pointer (&url, g_free);
      if (path == NULL && url == NULL)
        continue;

      item = g_new0 (Item, 1);
      item->id = _dossier_json_dup_string (upload, "id");
      item->maybe_sent = json_object_get_boolean_member_with_default (upload, "maybe_sent", FALSE);
      item->path = g_steal_pointer (&path);
      item->url = g_steal_pointer (&url);
      item->values = read_values (upload);
      g_ptr_array_add (self->items, item);
    }

  return g_steal_pointer (&self);
}

/* -------------------------------------------------------------------------- */
/* The file                                                                   */

/**
 * dossier_queue_state_dup_default_path:
 *
 * Returns: (transfer full): $XDG_STATE_HOME/dossier/queue.json
 */
char *
dossier_queue_state_dup_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "dossier", "queue.json", NULL);
}

DossierQueueState *
dossier_queue_state_load (const char  *path,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  DossierQueueState *state;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      int code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                 ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_FAILED;

      g_set_error_literal (error, G_IO_ERROR, code, local_error->message);
      return NULL;
    }

  if (!dossier_json_load (parser, contents, (gssize) length, 0, &local_error))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL,
                   "saved queue cannot be read: %s", local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, DOSSIER_ERROR, DOSSIER_ERROR_PROTOCOL, "saved queue is empty");
      return NULL;
    }

  state = dossier_queue_state_new_from_json (json_parser_get_root (parser), error);
  if (state != NULL)
    dossier_queue_state_reconcile (state, dossier_history_get_default ());

  return state;
}

/**
 * dossier_queue_state_reconcile:
 *
 * Reads the queue through @history's record: an upload recorded sent is
 * left out; one recorded started and not finished, or finished with its
 * outcome unknown, is marked "may have been sent".
 */
void
dossier_queue_state_reconcile (DossierQueueState *self,
                               DossierHistory    *history)
{
  g_return_if_fail (DOSSIER_IS_QUEUE_STATE (self));
  g_return_if_fail (DOSSIER_IS_HISTORY (history));

  for (guint i = self->items->len; i > 0; i--)
    {
      Item *item = g_ptr_array_index (self->items, i - 1);

      switch (dossier_history_lookup_state (history, item->id))
        {
        case DOSSIER_RECORD_STATE_SENT:
        case DOSSIER_RECORD_STATE_REMOVED:
          g_ptr_array_remove_index (self->items, i - 1);
          break;
        case DOSSIER_RECORD_STATE_STARTED:
        case DOSSIER_RECORD_STATE_UNKNOWN:
          item->maybe_sent = TRUE;
          break;
        case DOSSIER_RECORD_STATE_NONE:
        case DOSSIER_RECORD_STATE_QUEUED:
        case DOSSIER_RECORD_STATE_FAILED:
        case DOSSIER_RECORD_STATE_CANCELLED:
        default:
          break;
        }
    }
}

static DossierQueueWriteHook write_hook;
static gpointer write_hook_data;

void
_dossier_queue_state_set_write_hook (DossierQueueWriteHook hook,
                                     gpointer              data)
{
  write_hook_data = data;
  write_hook = hook;
}

gboolean
dossier_queue_state_save (DossierQueueState  *self,
                          const char         *path,
                          GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  root = dossier_queue_state_to_json (self);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  if (write_hook != NULL)
    write_hook (path, write_hook_data);

  /* written beside it, synced, then renamed over it: a crash leaves the
   * old one or the new one, whole */
  return g_file_set_contents_full (path, text, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

gboolean
dossier_queue_state_discard (const char  *path,
                             GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * dossier_queue_state_forget:
 *
 * The user chose not to send these files: they leave the unsent list of
 * @history's record too ("removed" lines). Those that may have been sent
 * stay listed as such: that is still true.
 */
gboolean
dossier_queue_state_forget (DossierQueueState  *self,
                            DossierHistory     *history,
                            GError            **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_HISTORY (history), FALSE);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      JsonObject *event;

      if (item->id == NULL || item->maybe_sent ||
          dossier_history_lookup_state (history, item->id) == DOSSIER_RECORD_STATE_NONE)
        continue;

      event = json_object_new ();
      json_object_set_string_member (event, "event", "removed");
      json_object_set_string_member (event, "upload", item->id);
      json_object_set_string_member (event, "at", at);
      g_ptr_array_add (events, event);
    }

  return dossier_history_append_events (history, events, error);
}

/* -------------------------------------------------------------------------- */
/* Reading                                                                    */

const char *
dossier_queue_state_get_provider_id (DossierQueueState *self)
{
  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), NULL);
  return self->provider_id;
}

const char *
dossier_queue_state_get_environment (DossierQueueState *self)
{
  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), NULL);
  return self->environment;
}

const char *
dossier_queue_state_get_base_url (DossierQueueState *self)
{
  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), NULL);
  return self->base_url;
}

/**
 * dossier_queue_state_get_merchant_id:
 *
 * Returns: (nullable): the merchant the uploads are for, %NULL for none
 */
const char *
dossier_queue_state_get_merchant_id (DossierQueueState *self)
{
  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), NULL);
  return self->merchant_id;
}

/**
 * dossier_queue_state_get_values:
 *
 * Returns: (transfer none): account values and document defaults
 */
GHashTable *
dossier_queue_state_get_values (DossierQueueState *self)
{
  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), NULL);
  return self->values;
}

guint
dossier_queue_state_get_n_uploads (DossierQueueState *self)
{
  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), 0);
  return self->items->len;
}

const char *
dossier_queue_state_get_upload_path (DossierQueueState *self,
                                     guint              position)
{
  Item *item = get_item (self, position);

  return item != NULL ? item->path : NULL;
}

const char *
dossier_queue_state_get_upload_url (DossierQueueState *self,
                                    guint              position)
{
  Item *item = get_item (self, position);

  return item != NULL ? item->url : NULL;
}

GHashTable *
dossier_queue_state_get_upload_values (DossierQueueState *self,
                                       guint              position)
{
  Item *item = get_item (self, position);

  return item != NULL ? item->values : NULL;
}

gboolean
dossier_queue_state_get_upload_maybe_sent (DossierQueueState *self,
                                           guint              position)
{
  Item *item = get_item (self, position);

  return item != NULL && item->maybe_sent;
}

guint
dossier_queue_state_get_n_maybe_sent (DossierQueueState *self)
{
  guint n = 0;

  g_return_val_if_fail (DOSSIER_IS_QUEUE_STATE (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (((Item *) g_ptr_array_index (self->items, i))->maybe_sent)
      n++;
  return n;
}

/* -------------------------------------------------------------------------- */
/* GObject                                                                    */

static void
dossier_queue_state_finalize (GObject *object)
{
  DossierQueueState *self = DOSSIER_QUEUE_STATE (object);

  g_free (self->provider_id);
  g_free (self->environment);
  g_free (self->base_url);
  g_free (self->merchant_id);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (dossier_queue_state_parent_class)->finalize (object);
}

static void
dossier_queue_state_class_init (DossierQueueStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_queue_state_finalize;
}

static void
dossier_queue_state_init (DossierQueueState *self)
{
  self->values = values_new ();
  self->items = g_ptr_array_new_with_free_func (item_free);
}
