/* dossier-result.c: what a provider said about one upload
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every provider answers in its own shape; the descriptor's "response"
 * section says where the id, link, status, message and code live, as lists
 * of dot paths ("errors.0.msg": numeric segments index arrays). Parsing is
 * pure so tests feed it fixtures.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dossier-json-private.h"
#include "dossier-result-private.h"

/* The public struct, followed by what only the engine sees. Results are
 * only ever allocated here. */
typedef struct
{
  DossierResult  pub;
  char          *provider_name;
} RealResult;

G_DEFINE_BOXED_TYPE (DossierResult, dossier_result, dossier_result_copy, dossier_result_free)

/**
 * dossier_result_new:
 *
 * Returns: (transfer full): an empty result
 */
DossierResult *
dossier_result_new (void)
{
  RealResult *real = g_new0 (RealResult, 1);

  return &real->pub;
}

/**
 * dossier_result_copy:
 *
 * Returns: (transfer full): a deep copy of @self
 */
DossierResult *
dossier_result_copy (const DossierResult *self)
{
  const RealResult *real = (const RealResult *) self;
  DossierResult *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = dossier_result_new ();
  copy->remote_id = g_strdup (self->remote_id);
  copy->link = g_strdup (self->link);
  copy->status = g_strdup (self->status);
  copy->link_expires = self->link_expires ? g_date_time_ref (self->link_expires) : NULL;
  copy->http_status = self->http_status;
  copy->message = g_strdup (self->message);
  copy->code = g_strdup (self->code);
  copy->request_id = g_strdup (self->request_id);
  ((RealResult *) copy)->provider_name = g_strdup (real->provider_name);

  return copy;
}

void
dossier_result_free (DossierResult *self)
{
  RealResult *real = (RealResult *) self;

  if (self == NULL)
    return;

  g_free (self->remote_id);
  g_free (self->link);
  g_free (self->status);
  g_clear_pointer (&self->link_expires, g_date_time_unref);
  g_free (self->message);
  g_free (self->code);
  g_free (self->request_id);
  g_free (real->provider_name);
  g_free (real);
}

const char *
dossier_result_get_provider_name (const DossierResult *self)
{
  return ((const RealResult *) self)->provider_name;
}

void
dossier_result_set_provider_name (DossierResult *self,
                                  const char    *name)
{
  RealResult *real = (RealResult *) self;

  g_free (real->provider_name);
  real->provider_name = g_strdup (name);
}

/**
 * dossier_result_is_success:
 *
 * Returns: whether the provider accepted the file: a 2xx answer with an id
 */
gboolean
dossier_result_is_success (const DossierResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->http_status >= 200 && self->http_status < 300 &&
         self->remote_id != NULL && self->message == NULL;
}

/**
 * dossier_result_new_for_error:
 * @provider: (nullable): who the request was for
 * @error: why no answer came
 *
 * Returns: (transfer full): a failed result with http_status 0
 */
DossierResult *
dossier_result_new_for_error (DossierProvider *provider,
                              const GError    *error)
{
  DossierResult *self = dossier_result_new ();

  self->message = g_strdup (error != NULL ? error->message : _("Unknown error"));
  if (provider != NULL)
    dossier_result_set_provider_name (self, dossier_provider_get_name (provider));

  return self;
}

static char *
node_to_text (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
    }

  return NULL;
}

static JsonNode *
lookup_node (JsonNode   *root,
             const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; node != NULL && segments[i] != NULL; i++)
    {
      const char *segment = segments[i];
      guint64 index;

      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), segment);
      else if (JSON_NODE_HOLDS_ARRAY (node) &&
               g_ascii_string_to_unsigned (segment, 10, 0, G_MAXUINT, &index, NULL))
        {
          JsonArray *array = json_node_get_array (node);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else
        node = NULL;
    }

  return node;
}

/**
 * dossier_json_lookup_path:
 * @root: (nullable): a parsed JSON document
 * @paths: (nullable): dot paths to try in turn
 *
 * Returns: (transfer full) (nullable): the first value found that is a
 *   non-empty string or a number, as text
 */
char *
dossier_json_lookup_path (JsonNode           *root,
                          const char * const *paths)
{
  if (root == NULL || paths == NULL)
    return NULL;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *text = node_to_text (lookup_node (root, paths[i]));

      if (text != NULL && *text != '\0')
        return g_steal_pointer (&text);
    }

  return NULL;
}

static char *
collect_field_errors (JsonNode           *root,
                      const char         *main_message,
                      const char * const *fields)
{
  g_autoptr(GString) out = g_string_new (main_message);

  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      const char *one[] = { fields[i], NULL };
      g_autofree char *text = dossier_json_lookup_path (root, one);

      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append_printf (out, "%s: %s", fields[i], text);
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Seconds to wait from a Retry-After header (delay-seconds or an HTTP
 * date), or -1 */
static gint64
retry_after_seconds (SoupMessageHeaders *headers,
                     GDateTime          *now)
{
  const char *value = headers != NULL ? soup_message_headers_get_one (headers, "Retry-After") : NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) current = NULL;
  g_autofree char *trimmed = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  trimmed = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();

  return MAX (g_date_time_difference (when, current) / G_TIME_SPAN_SECOND, 0);
}

/**
 * dossier_result_describe_status:
 * @http_status: an answer's status
 * @headers: (nullable): its headers (for Retry-After)
 * @now: (nullable): when it came; NULL: now
 *
 * What an answer without a message of its own means, by its status; never
 * libsoup's "Unknown Error" (429 is one it does not know).
 *
 * Returns: (transfer full): a short text, e.g. "Too many requests; try
 *   again in a minute"
 */
char *
dossier_result_describe_status (guint               http_status,
                                SoupMessageHeaders *headers,
                                GDateTime          *now)
{
  const char *phrase;

  if (http_status == 429)
    {
      gint64 wait = retry_after_seconds (headers, now);

      if (wait < 0 || (wait >= 45 && wait <= 90))
        return g_strdup (_("Too many requests; try again in a minute"));
      if (wait < 45)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Too many requests; try again in %u second",
                                             "Too many requests; try again in %u seconds",
                                             (gulong) MAX (wait, 1)),
                                (guint) MAX (wait, 1));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Too many requests; try again in %u minute",
                                           "Too many requests; try again in %u minutes",
                                           (gulong) ((wait + 59) / 60)),
                              (guint) MIN ((wait + 59) / 60, G_MAXUINT));
    }

  /* libsoup names the common statuses; for the others it says "Unknown Error" */
  phrase = soup_status_get_phrase (http_status);
  if (phrase != NULL && g_strcmp0 (phrase, "Unknown Error") != 0)
    return g_strdup (phrase);

  if (http_status >= 400 && http_status < 500)
    return g_strdup (_("The request was refused without a reason"));
  if (http_status >= 500 && http_status < 600)
    return g_strdup (_("The provider's server failed without saying why"));

  return g_strdup (_("The provider gave no reason"));
}

/**
 * dossier_result_parse:
 * @provider: whose descriptor says where things are
 * @http_status: the answer's status
 * @headers: (nullable): the answer's headers
 * @body: (nullable): the answer's body
 * @now: (nullable): when the answer came (for link expiry); NULL: now
 *
 * Reads an answer into a #DossierResult. A 2xx answer whose JSON lacks a
 * file id, or is not JSON at all, is a failure with a message saying so.
 *
 * Returns: (transfer full): the result
 */
DossierResult *
dossier_result_parse (DossierProvider    *provider,
                      guint               http_status,
                      SoupMessageHeaders *headers,
                      GBytes             *body,
                      GDateTime          *now)
{
  const DossierResponseSpec *spec;
  g_autoptr(DossierResult) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root = NULL;
  gboolean success_status;
  gboolean too_deep = FALSE;
  const char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), NULL);

  spec = dossier_provider_get_response (provider);
  self = dossier_result_new ();
  self->http_status = http_status;
  dossier_result_set_provider_name (self, dossier_provider_get_name (provider));
  success_status = http_status >= 200 && http_status < 300;

  for (guint i = 0; headers != NULL && spec->request_id_headers != NULL &&
                    spec->request_id_headers[i] != NULL; i++)
    {
      const char *value = soup_message_headers_get_one (headers, spec->request_id_headers[i]);

      if (value != NULL && *value != '\0')
        {
          self->request_id = g_strdup (value);
          break;
        }
    }

  if (body != NULL)
    data = g_bytes_get_data (body, &len);

  if (len > 0)
    {
      parser = json_parser_new ();
      if (dossier_json_load (parser, data, (gssize) len, 0, &parse_error))
        root = json_parser_get_root (parser);
      else if (g_error_matches (parse_error, DOSSIER_JSON_ERROR, DOSSIER_JSON_ERROR_TOO_DEEP))
        too_deep = TRUE;
    }

  if (success_status)
    {
      if (root == NULL)
        {
          if (too_deep)
            self->message = g_strdup_printf (_("The answer is nested too deeply (over %u levels); "
                                               "it was not read, so the file id is unknown: check "
                                               "the provider's list of files before sending it "
                                               "again"), DOSSIER_JSON_MAX_DEPTH);
          else if (len == 0)
            self->message = g_strdup (_("The provider answered without a file id"));
          else
            self->message = g_strdup (_("The provider's answer is not valid JSON, so the file id "
                                        "is unknown; check the provider's list of files "
                                        "before sending it again"));
          return g_steal_pointer (&self);
        }
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          self->message = g_strdup (_("The provider answered in an unexpected shape, "
                                      "without a file id"));
          return g_steal_pointer (&self);
        }

      self->remote_id = dossier_json_lookup_path (root, (const char * const *) spec->id);
      self->link = dossier_json_lookup_path (root, (const char * const *) spec->link);
      self->status = dossier_json_lookup_path (root, (const char * const *) spec->status);

      if (self->remote_id == NULL)
        {
          self->message = g_strdup (_("The provider answered without a file id"));
          return g_steal_pointer (&self);
        }

      if (self->link != NULL && spec->link_lifetime > 0)
        {
          g_autoptr(GDateTime) current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();

          self->link_expires = g_date_time_add_seconds (current, spec->link_lifetime);
        }

      return g_steal_pointer (&self);
    }

  /* A failure */
  if (root != NULL && (JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root)))
    {
      g_autofree char *main_message = dossier_json_lookup_path (root, (const char * const *) spec->message);

      self->message = collect_field_errors (root, main_message,
                                            (const char * const *) spec->field_errors);
      self->code = dossier_json_lookup_path (root, (const char * const *) spec->code);
    }
  else if (root != NULL && JSON_NODE_HOLDS_VALUE (root) &&
           json_node_get_value_type (root) == G_TYPE_STRING &&
           *json_node_get_string (root) != '\0')
    self->message = g_strdup (json_node_get_string (root));

  if (self->message == NULL && too_deep)
    self->message = g_strdup_printf (_("The answer is nested too deeply (over %u levels); "
                                       "it was not read"), DOSSIER_JSON_MAX_DEPTH);

  if (self->message == NULL)
    self->message = dossier_result_describe_status (http_status, headers, now);

  return g_steal_pointer (&self);
}

/**
 * dossier_result_describe_failure:
 *
 * Returns: (transfer full): one sentence for a clerk, e.g. "Moov refused
 *   the file (422): filePurpose: must be one of …; request id 5b1c…"
 */
char *
dossier_result_describe_failure (const DossierResult *self)
{
  const char *name;
  const char *message;
  g_autofree char *sentence = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  name = dossier_result_get_provider_name (self);
  if (name == NULL)
    name = _("The provider");
  message = self->message != NULL ? self->message : _("Unknown error");

  if (self->http_status == 0)
    sentence = g_strdup (message);
  else if (self->http_status >= 200 && self->http_status < 300)
    /* Translators: "Moov's answer could not be used (200): The provider answered without a file id" */
    sentence = g_strdup_printf (_("%s’s answer could not be used (%u): %s"),
                                name, self->http_status, message);
  else if (self->http_status == 429)
    /* Translators: "Moov is busy (429): Too many requests; try again in a minute" */
    sentence = g_strdup_printf (_("%s is busy (%u): %s"),
                                name, self->http_status, message);
  else if (self->http_status == 401)
    /* Translators: "DOKU refused the token (401): Missing, invalid or expired access token" */
    sentence = g_strdup_printf (_("%s refused the token (%u): %s"),
                                name, self->http_status, message);
  else
    /* Translators: "Moov refused the file (422): filePurpose: must be one of …" */
    sentence = g_strdup_printf (_("%s refused the file (%u): %s"),
                                name, self->http_status, message);

  if (self->request_id != NULL)
    /* Translators: appended to an error: "…; request id 5b1c…" */
    return g_strdup_printf (_("%s; request id %s"), sentence, self->request_id);

  return g_steal_pointer (&sentence);
}

/**
 * dossier_result_to_json:
 *
 * Returns: (transfer full): an object with the members that are set, plus
 *   "success"
 */
JsonNode *
dossier_result_to_json (const DossierResult *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, dossier_result_is_success (self));
  _dossier_json_add_string (builder, "provider", dossier_result_get_provider_name (self));
  _dossier_json_add_string (builder, "remote_id", self->remote_id);
  _dossier_json_add_string (builder, "link", self->link);
  _dossier_json_add_string (builder, "status", self->status);
  _dossier_json_add_time (builder, "link_expires", self->link_expires);
  if (self->http_status != 0)
    {
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, self->http_status);
    }
  _dossier_json_add_string (builder, "message", self->message);
  _dossier_json_add_string (builder, "code", self->code);
  _dossier_json_add_string (builder, "request_id", self->request_id);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
