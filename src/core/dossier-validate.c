/* dossier-validate.c: fields, conditions and files, checked before sending
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dossier-sniff.h"
#include "dossier-validate.h"

/**
 * dossier_provider_validate_values:
 * @values: (element-type utf8 utf8): field name to value, account and
 *   document fields together
 * @scope: which fields to check: all, the account fields the first step
 *   asks for (conditions may still look at any value), or the batch's
 *   defaults (a per-file document choice may be unset)
 *
 * Checks every field of @scope that applies: required ones are set, values
 * are among the choices, match their pattern, are well-formed JSON with
 * allowed keys. Fields whose condition does not hold are ignored (they are
 * not sent).
 */
gboolean
dossier_provider_validate_values (DossierProvider      *provider,
                                  GHashTable           *values,
                                  DossierValidateScope  scope,
                                  GError              **error)
{
  GListModel *fields;
  const DossierFileRules *rules;
  guint n;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), FALSE);

  fields = dossier_provider_get_fields (provider);
  rules = dossier_provider_get_file_rules (provider);
  n = g_list_model_get_n_items (fields);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *name = dossier_field_get_name (field);
      const char *value = values != NULL ? g_hash_table_lookup (values, name) : NULL;

      if (scope == DOSSIER_VALIDATE_SCOPE_ACCOUNT &&
          dossier_field_get_scope (field) != DOSSIER_FIELD_SCOPE_ACCOUNT)
        continue;

      if (!dossier_field_is_active (field, values))
        continue;

      if (value == NULL || *value == '\0')
        {
          if (!dossier_field_get_required (field))
            continue;
          /* Each file asks for its own on the files step */
          if (scope == DOSSIER_VALIDATE_SCOPE_DEFAULTS &&
              dossier_field_get_scope (field) == DOSSIER_FIELD_SCOPE_DOCUMENT &&
              dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE)
            continue;
          /* The file's alternative (DOKU file_url) is checked with the file */
          if (g_strcmp0 (name, rules->alternative_field) == 0)
            continue;

          if (dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE)
            g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                         _("Choose a %s"), dossier_field_get_label (field));
          else
            g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                         _("%s is required"), dossier_field_get_label (field));
          return FALSE;
        }

      if (!dossier_field_validate (field, value, error))
        return FALSE;
    }

  return TRUE;
}

static char *
join_alternatives (const char * const *items,
                   gboolean            upper)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = items != NULL ? g_strv_length ((char **)items) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item = upper ? g_ascii_strup (items[i], -1) : g_strdup (items[i]);

      if (i > 0 && i == n - 1)
        /* Translators: the last separator of a list, "JPG, JPEG or PNG" */
        g_string_append (out, _(" or "));
      else if (i > 0)
        g_string_append (out, _(", "));
      g_string_append (out, item);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * dossier_provider_describe_accepted:
 *
 * Returns: (transfer full): what files the provider takes, for messages:
 *   "JPG, JPEG or PNG files up to 15.0 MB"
 */
char *
dossier_provider_describe_accepted (DossierProvider *provider)
{
  const DossierFileRules *rules = dossier_provider_get_file_rules (provider);
  g_autofree char *types = join_alternatives ((const char * const *)rules->extensions, TRUE);

  if (rules->max_size > 0)
    {
      g_autofree char *size = g_format_size (rules->max_size);

      if (*types == '\0')
        return g_strdup_printf (_("files up to %s"), size);
      /* Translators: "JPG or PNG files up to 15.0 MB" */
      return g_strdup_printf (_("%s files up to %s"), types, size);
    }

  if (*types == '\0')
    return g_strdup (_("any file"));
  return g_strdup_printf (_("%s files"), types);
}

static char *
get_extension (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name || dot[1] == '\0')
    return NULL;
  return g_ascii_strdown (dot + 1, -1);
}

/**
 * dossier_provider_validate_file:
 * @out_size: (out) (optional): the file's size
 * @out_content_type: (out) (optional): the sniffed content type
 *
 * Checks one file against the provider's rules: it exists, is a regular,
 * readable, non-empty file, has an accepted extension, is within the size
 * limit, and its content is of an accepted type (a PDF named .png is
 * caught). Messages name the file and say what would be accepted. Does
 * blocking I/O: call it from a worker thread in a GUI.
 */
gboolean
dossier_provider_validate_file (DossierProvider  *provider,
                                GFile            *file,
                                goffset          *out_size,
                                char            **out_content_type,
                                GCancellable     *cancellable,
                                GError          **error)
{
  const DossierFileRules *rules;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *sniffed = NULL;
  g_autofree char *accepted = NULL;
  goffset size;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  rules = dossier_provider_get_file_rules (provider);
  accepted = dossier_provider_describe_accepted (provider);

  /* the name is bytes (it need not be UTF-8): the extension is read from
   * the bytes, and people see it with U+FFFD for what is not UTF-8 */
  basename = g_file_get_basename (file);
  display = g_filename_display_name (basename != NULL ? basename : "");

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     _("“%s” does not exist (any more)"), display);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     _("“%s” cannot be read: %s"), display, local_error->message);
      return FALSE;
    }

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
      break;

    case G_FILE_TYPE_DIRECTORY:
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("“%s” is a folder; add the files inside it instead"), display);
      return FALSE;

    default:
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("“%s” is not a regular file"), display);
      return FALSE;
    }

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("“%s” cannot be read: you do not have permission to open it"), display);
      return FALSE;
    }

  size = g_file_info_get_size (info);
  if (size == 0)
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   _("“%s” is empty"), display);
      return FALSE;
    }

  if (rules->max_name_length > 0 && g_utf8_strlen (display, -1) > (glong) rules->max_name_length)
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   /* Translators: "“a-very-long-name….pdf” has a name of 70 characters; Moov accepts
                    * file names of at most 64 characters: rename it" */
                   _("“%s” has a name of %ld characters; %s accepts file names of at most %u characters: rename it"),
                   display, g_utf8_strlen (display, -1), dossier_provider_get_name (provider),
                   rules->max_name_length);
      return FALSE;
    }

  extension = get_extension (basename != NULL ? basename : "");
  if (rules->extensions != NULL && rules->extensions[0] != NULL &&
      (extension == NULL || !g_strv_contains ((const char * const *)rules->extensions, extension)))
    {
      if (extension == NULL)
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     /* Translators: "“scan” has no file type; DOKU accepts JPG or PNG files up to 15 MB" */
                     _("“%s” has no file type extension; %s accepts %s"),
                     display, dossier_provider_get_name (provider), accepted);
      else
        {
          g_autofree char *readable = g_filename_display_name (extension);
          g_autofree char *upper = g_ascii_strup (readable, -1);

          g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                       /* Translators: "“deed.pdf” is a PDF file; DOKU accepts JPG or PNG files up to 15 MB" */
                       _("“%s” is a %s file; %s accepts %s"),
                       display, upper, dossier_provider_get_name (provider), accepted);
        }
      return FALSE;
    }

  if (rules->max_size > 0 && (guint64)size > rules->max_size)
    {
      g_autofree char *have = g_format_size (size);

      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   /* Translators: "“scan.png” is 30.2 MB; DOKU accepts JPG or PNG files up to 15.0 MB" */
                   _("“%s” is %s; %s accepts %s"),
                   display, have, dossier_provider_get_name (provider), accepted);
      return FALSE;
    }

  sniffed = dossier_sniff_file (file, cancellable, &local_error);
  if (sniffed == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      /* the access bits can say yes where opening says no (capabilities,
       * security modules, network file systems): the same plain sentence */
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     _("“%s” cannot be read: you do not have permission to open it"), display);
      else
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     _("“%s” cannot be read: %s"), display, local_error->message);
      return FALSE;
    }

  if (rules->content_types != NULL && rules->content_types[0] != NULL &&
      !g_strv_contains ((const char * const *)rules->content_types, sniffed))
    {
      const char *expected = extension ? dossier_sniff_type_for_extension (extension) : NULL;
      const char *what = dossier_sniff_describe (sniffed);
      g_autofree char *readable = extension ? g_filename_display_name (extension) : g_strdup ("");

      if (g_str_equal (sniffed, "application/octet-stream"))
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     /* Translators: "“id.png” is not really a PNG image (its content is unknown or damaged)…" */
                     _("“%s” is not really a %s (its content is unknown or damaged); %s accepts %s"),
                     display, expected ? dossier_sniff_describe (expected) : readable,
                     dossier_provider_get_name (provider), accepted);
      else
        g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                     /* Translators: "“id.png” is really a PDF document; DOKU accepts JPG or PNG files…" */
                     _("“%s” is really a %s; %s accepts %s"),
                     display, what, dossier_provider_get_name (provider), accepted);
      return FALSE;
    }

  if (out_size != NULL)
    *out_size = size;
  if (out_content_type != NULL)
    *out_content_type = g_steal_pointer (&sniffed);

  return TRUE;
}

/**
 * dossier_provider_validate_count:
 *
 * Checks a number of files against the provider's per-account limit
 * (Moov: 50 files per account).
 */
gboolean
dossier_provider_validate_count (DossierProvider  *provider,
                                 guint             n_files,
                                 GError          **error)
{
  const DossierFileRules *rules = dossier_provider_get_file_rules (provider);

  if (rules->per_account > 0 && n_files > rules->per_account)
    {
      g_set_error (error, DOSSIER_ERROR, DOSSIER_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u files is too many: %s keeps at most %u file per account",
                                "%u files is too many: %s keeps at most %u files per account",
                                rules->per_account),
                   n_files, dossier_provider_get_name (provider), rules->per_account);
      return FALSE;
    }

  return TRUE;
}

static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = lower; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_ptr_array_add (tokens, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }

  return tokens;
}

static gboolean
has_token (GPtrArray  *tokens,
           const char *word)
{
  for (guint i = 0; i < tokens->len; i++)
    if (g_str_equal (g_ptr_array_index (tokens, i), word))
      return TRUE;
  return FALSE;
}

static guint
keyword_score (GPtrArray  *tokens,
               const char *keyword)
{
  g_auto(GStrv) words = g_strsplit (keyword, " ", -1);
  guint n = 0;

  for (guint i = 0; words[i]; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (!has_token (tokens, words[i]))
        return 0;
      n++;
    }
  return n;
}

/**
 * dossier_provider_suggest_values:
 * @filename: a file's name, e.g. "KTP_budi.jpg"
 *
 * Suggests document fields from a file name where it is obvious: "ktp" ->
 * code KTP (and category DOCUMENT, which the code needs), "logo" -> LOGO.
 *
 * Returns: (transfer full) (element-type utf8 utf8): field name to value;
 *   empty when nothing is obvious
 */
GHashTable *
dossier_provider_suggest_values (DossierProvider *provider,
                                 const char      *filename)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autofree char *stem = NULL;
  GListModel *fields;
  guint n;
  const char *dot;

  g_return_val_if_fail (DOSSIER_IS_PROVIDER (provider), values);

  if (filename == NULL)
    return values;

  dot = strrchr (filename, '.');
  stem = dot ? g_strndup (filename, dot - filename) : g_strdup (filename);
  tokens = tokenize (stem);

  fields = dossier_provider_get_fields (provider);
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      GListModel *choices = dossier_field_get_choices (field);
      DossierChoice *best = NULL;
      guint best_score = 0;

      if (dossier_field_get_scope (field) != DOSSIER_FIELD_SCOPE_DOCUMENT ||
          dossier_field_get_field_type (field) != DOSSIER_FIELD_TYPE_CHOICE)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (choices); j++)
        {
          g_autoptr(DossierChoice) choice = g_list_model_get_item (choices, j);
          const char * const *keywords = dossier_choice_get_keywords (choice);

          for (guint k = 0; keywords[k]; k++)
            {
              guint score = keyword_score (tokens, keywords[k]);

              if (score > best_score)
                {
                  best_score = score;
                  best = choice;
                }
            }
        }

      if (best != NULL)
        g_hash_table_insert (values, g_strdup (dossier_field_get_name (field)),
                             g_strdup (dossier_choice_get_value (best)));
    }

  /* A suggested field that only applies under a condition brings the
   * condition with it: code KTP needs category DOCUMENT. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      const char *other = dossier_field_get_condition_field (field);
      const char * const *allowed = dossier_field_get_condition_values (field);
      const char *current;

      if (other == NULL || !g_hash_table_contains (values, dossier_field_get_name (field)))
        continue;

      current = g_hash_table_lookup (values, other);
      if (current == NULL || !g_strv_contains (allowed, current))
        g_hash_table_insert (values, g_strdup (other), g_strdup (allowed[0]));
    }

  return values;
}
