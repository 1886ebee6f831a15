/* dossier-field-editor.c: the right row for one descriptor field
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choice.h"
#include "dossier-choice-widgets.h"
#include "dossier-field-editor.h"
#include "dossier-field-json.h"

/* Up to this many choices fit a plain combo row; more get a search entry. */
#define SHORT_LIST 12

struct _DossierFieldEditor
{
  GObject       parent_instance;

  DossierField *field;
  GtkWidget    *row;        /* owned (ref_sink) */
  GtkWidget    *dropdown;   /* searchable choices, inside row */
  GtkWidget    *warning;    /* entry and expander rows: the icon beside a problem */
  GPtrArray    *key_rows;   /* JSON with known keys: an AdwEntryRow per key */
  char         *value;
  char         *problem;
  guint         filling : 1;
};

G_DEFINE_FINAL_TYPE (DossierFieldEditor, dossier_field_editor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FIELD,
  PROP_VALUE,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_combo (DossierFieldEditor *self)
{
  return ADW_IS_COMBO_ROW (self->row);
}

static gboolean
is_entry (DossierFieldEditor *self)
{
  return ADW_IS_ENTRY_ROW (self->row);
}

static gboolean
is_keyed_json (DossierFieldEditor *self)
{
  return self->key_rows != NULL;
}

/* "requirement_id" → "Requirement ID": a row title a clerk can read, from
 * an API key that has no label of its own in the descriptor */
static char *
key_title_new (const char *key)
{
  g_auto(GStrv) words = NULL;
  GString *title = g_string_new (NULL);

  g_return_val_if_fail (key != NULL, NULL);

  words = g_strsplit_set (key, "_-", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = g_ascii_strdown (words[i], -1);

      if (*word == '\0')
        continue;
      if (title->len > 0)
        g_string_append_c (title, ' ');

      if (g_str_equal (word, "id") || g_str_equal (word, "url") || g_str_equal (word, "uuid"))
        {
          g_autofree char *upper = g_ascii_strup (word, -1);

          g_string_append (title, upper);
        }
      else if (title->len == 0)
        {
          g_string_append_c (title, g_ascii_toupper (word[0]));
          g_string_append (title, word + 1);
        }
      else
        g_string_append (title, word);
    }

  return g_string_free (title, FALSE);
}
static void
set_problem (DossierFieldEditor *self,
             const char         *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_strdup (problem);

  if (self->warning != NULL)
    {
      gtk_widget_set_visible (self->warning, problem != NULL);
      gtk_widget_set_tooltip_text (self->warning, problem);
    }
  if (problem != NULL)
    {
      gtk_widget_add_css_class (self->row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (self->row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->row),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
update_subtitle (DossierFieldEditor *self)
{
  const char *description = dossier_field_get_description (self->field);

  if (is_entry (self))
    return;

  if (is_keyed_json (self))
    {
      g_autoptr(GString) summary = g_string_new (NULL);

      /* what is set, by the rows' titles; a value the rows cannot show
       * (from elsewhere) says what is wrong with it instead */
      for (guint i = 0; i < self->key_rows->len; i++)
        {
          GtkWidget *key_row = g_ptr_array_index (self->key_rows, i);
          g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (key_row)));

          if (*g_strstrip (text) == '\0')
            continue;
          if (summary->len > 0)
            /* Translators: between the names of the keys set, "Comment, Requirement ID" */
            g_string_append (summary, _(", "));
          g_string_append (summary, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (key_row)));
        }

      if (self->problem != NULL)
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->row), self->problem);
      else if (summary->len > 0)
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->row), summary->str);
      else
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->row), _("Nothing set"));
      return;
    }

  /* the API value, so a clerk can match the provider's own docs (in
   * monospace); without one, the field's help in ordinary text */
  if (self->value != NULL && *self->value != '\0')
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row), self->value);
      gtk_widget_add_css_class (self->row, "has-api-value");
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row),
                                   description != NULL ? description : "");
      gtk_widget_remove_css_class (self->row, "has-api-value");
    }
}

static void
take_value (DossierFieldEditor *self,
            const char         *value)
{
  g_autoptr(GError) error = NULL;

  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);

  if (is_entry (self) || is_keyed_json (self))
    {
      if (value != NULL && !dossier_field_validate (self->field, value, &error))
        set_problem (self, error->message);
      else
        set_problem (self, NULL);
    }

  update_subtitle (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

static void
on_selected (GObject            *object,
             GParamSpec         *pspec,
             DossierFieldEditor *self)
{
  GListModel *choices;
  guint position;

  if (ADW_IS_COMBO_ROW (object))
    {
      choices = adw_combo_row_get_model (ADW_COMBO_ROW (object));
      position = adw_combo_row_get_selected (ADW_COMBO_ROW (object));
    }
  else
    {
      choices = gtk_drop_down_get_model (GTK_DROP_DOWN (object));
      position = gtk_drop_down_get_selected (GTK_DROP_DOWN (object));
    }

  take_value (self, dossier_gui_choice_value_at (choices, position));
}

static void
on_changed (GtkEditable        *editable,
            DossierFieldEditor *self)
{
  take_value (self, gtk_editable_get_text (editable));
}

/* The JSON object of the keys that are filled in, or NULL when none is;
 * the key rows are in the order of the field's keys */
static char *
build_keyed_json (DossierFieldEditor *self)
{
  g_autofree const char **texts = g_new0 (const char *, self->key_rows->len + 1);

  for (guint i = 0; i < self->key_rows->len; i++)
    texts[i] = gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->key_rows, i)));

  return dossier_field_json_build (self->field, texts);
}

static void
on_key_changed (GtkEditable        *editable,
                DossierFieldEditor *self)
{
  g_autofree char *json = NULL;

  if (self->filling)
    return;

  json = build_keyed_json (self);
  take_value (self, json);
  /* the summary follows even when the object stays the same (spaces) */
  update_subtitle (self);
}

/* Fills the key rows from a JSON object of strings. FALSE, with the rows
 * untouched, when VALUE is not one (unknown keys, numbers, broken JSON). */
static gboolean
fill_key_rows (DossierFieldEditor *self,
               const char         *value)
{
  g_auto(GStrv) texts = dossier_field_json_split (self->field, value);

  if (texts == NULL)
    return FALSE;

  self->filling = TRUE;
  for (guint i = 0; i < self->key_rows->len && texts[i] != NULL; i++)
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->key_rows, i)), texts[i]);
  self->filling = FALSE;

  return TRUE;
}

/* A JSON field whose keys the descriptor lists (Moov's metadata): one
 * entry row per key inside an expander, so that nobody types JSON. */
static void
build_keyed_json_row (DossierFieldEditor *self)
{
  const char * const *keys = dossier_field_get_json_keys (self->field);
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (adw_expander_row_new ());

  self->key_rows = g_ptr_array_new ();
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *key_title = key_title_new (keys[i]);
      g_autofree char *tooltip = NULL;
      GtkWidget *key_row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (key_row), key_title);
      /* Translators: the tooltip of a metadata row, with the API's name of the key */
      tooltip = g_strdup_printf (_("Sent as “%s”"), keys[i]);
      gtk_widget_set_tooltip_text (key_row, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (key_row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, key_title,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                      -1);
      g_object_set_data_full (G_OBJECT (key_row), "json-key", g_strdup (keys[i]), g_free);
      g_signal_connect (key_row, "changed", G_CALLBACK (on_key_changed), self);
      adw_expander_row_add_row (expander, key_row);
      g_ptr_array_add (self->key_rows, key_row);
    }

  self->warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (self->warning, "error");
  gtk_widget_set_valign (self->warning, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->warning, FALSE);
  /* add_action is deprecated from libadwaita 1.4 on, for add_suffix */
#if ADW_CHECK_VERSION (1, 4, 0)
  adw_expander_row_add_suffix (expander, self->warning);
#else
  adw_expander_row_add_action (expander, self->warning);
#endif

  self->row = GTK_WIDGET (expander);
}

static void
build_row (DossierFieldEditor *self)
{
  DossierField *field = self->field;
  GListModel *choices = dossier_field_get_choices (field);
  const char *label = dossier_field_get_label (field);
  g_autofree char *title = NULL;
  gboolean closed_choice;

  if (dossier_field_get_required (field)
      || dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE)
    title = g_strdup (label);
  else
    /* Translators: the title of a field that may stay empty */
    title = g_strdup_printf (_("%s (optional)"), label);

  /* An open choice (Kore's fileContext) takes other values too: it is
   * typed, with its default filled in. */
  closed_choice = dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_CHOICE
                  && !dossier_field_get_open (field);

  if (closed_choice
      && choices != NULL
      && !dossier_field_get_searchable (field)
      && g_list_model_get_n_items (choices) <= SHORT_LIST)
    {
      g_autoptr(GtkListItemFactory) factory = dossier_gui_choice_button_factory ();
      g_autoptr(GtkListItemFactory) list_factory = dossier_gui_choice_list_factory ();
      g_autoptr(GtkExpression) expression = NULL;
      g_autoptr(GListModel) model = dossier_gui_choice_model_new (choices);
      AdwComboRow *combo = ADW_COMBO_ROW (adw_combo_row_new ());

      expression = gtk_property_expression_new (DOSSIER_TYPE_CHOICE, NULL, "display");
      adw_combo_row_set_model (combo, model);
      adw_combo_row_set_expression (combo, expression);
      adw_combo_row_set_factory (combo, factory);
      adw_combo_row_set_list_factory (combo, list_factory);
      adw_combo_row_set_selected (combo, dossier_gui_choice_position (model, NULL));
      self->row = GTK_WIDGET (combo);
      gtk_widget_add_css_class (self->row, "choice-row");
      g_signal_connect (combo, "notify::selected", G_CALLBACK (on_selected), self);
    }
  else if (closed_choice && choices != NULL)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

      self->dropdown = dossier_gui_choice_dropdown_new (field);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->dropdown),
                                  dossier_gui_choice_position (gtk_drop_down_get_model (GTK_DROP_DOWN (self->dropdown)), NULL));
      /* like the value of the combo rows above and below it */
      gtk_widget_add_css_class (self->dropdown, "flat");
      adw_action_row_add_suffix (row, self->dropdown);
      adw_action_row_set_activatable_widget (row, self->dropdown);
      self->row = GTK_WIDGET (row);
      gtk_widget_add_css_class (self->row, "choice-row");
      g_signal_connect (self->dropdown, "notify::selected", G_CALLBACK (on_selected), self);
    }
  else if (dossier_field_get_field_type (field) == DOSSIER_FIELD_TYPE_JSON
           && dossier_field_get_json_keys (field) != NULL
           && dossier_field_get_json_keys (field)[0] != NULL)
    build_keyed_json_row (self);
  else
    {
      AdwEntryRow *entry = ADW_ENTRY_ROW (adw_entry_row_new ());

      self->warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (self->warning, "error");
      gtk_widget_set_visible (self->warning, FALSE);
      adw_entry_row_add_suffix (entry, self->warning);
      self->row = GTK_WIDGET (entry);
      g_signal_connect (entry, "changed", G_CALLBACK (on_changed), self);
    }

  g_object_ref_sink (self->row);
  gtk_widget_add_css_class (self->row, "field-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), title);
  /* the descriptor's description speaks of JSON: the key rows say enough */
  if (!is_keyed_json (self))
    gtk_widget_set_tooltip_text (self->row, dossier_field_get_description (field));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  update_subtitle (self);
}

/* Puts a value into the widget; the widget's own signal then sets "value",
 * exactly as when the user picks it. */
void
dossier_field_editor_set_value (DossierFieldEditor *self,
                                const char         *value)
{
  GListModel *choices;

  g_return_if_fail (DOSSIER_IS_FIELD_EDITOR (self));

  if (is_combo (self))
    choices = adw_combo_row_get_model (ADW_COMBO_ROW (self->row));
  else if (self->dropdown != NULL)
    choices = gtk_drop_down_get_model (GTK_DROP_DOWN (self->dropdown));
  else
    choices = NULL;

  if (is_combo (self))
    {
      guint position = dossier_gui_choice_position (choices, value);

      if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->row)) == position)
        take_value (self, dossier_gui_choice_value_at (choices, position));
      else
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->row), position);
    }
  else if (self->dropdown != NULL)
    {
      guint position = dossier_gui_choice_position (choices, value);

      if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->dropdown)) == position)
        take_value (self, dossier_gui_choice_value_at (choices, position));
      else
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->dropdown), position);
    }
  else if (is_keyed_json (self))
    {
      if (fill_key_rows (self, value))
        {
          g_autofree char *json = build_keyed_json (self);

          take_value (self, json);
        }
      else
        /* kept as it is, with the reason it cannot be sent */
        take_value (self, value);
      update_subtitle (self);
    }
  else
    {
      const char *text = value != NULL ? value : "";

      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->row)), text) == 0)
        take_value (self, text);
      else
        gtk_editable_set_text (GTK_EDITABLE (self->row), text);
    }
}

static void
dossier_field_editor_constructed (GObject *object)
{
  DossierFieldEditor *self = DOSSIER_FIELD_EDITOR (object);

  G_OBJECT_CLASS (dossier_field_editor_parent_class)->constructed (object);

  build_row (self);
}

static void
dossier_field_editor_dispose (GObject *object)
{
  DossierFieldEditor *self = DOSSIER_FIELD_EDITOR (object);

  if (self->dropdown != NULL)
    g_signal_handlers_disconnect_by_data (self->dropdown, self);
  if (self->row != NULL)
    g_signal_handlers_disconnect_by_data (self->row, self);
  if (self->key_rows != NULL)
    {
      for (guint i = 0; i < self->key_rows->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->key_rows, i), self);
      g_clear_pointer (&self->key_rows, g_ptr_array_unref);
    }
  self->dropdown = NULL;
  self->warning = NULL;
  g_clear_object (&self->row);
  g_clear_object (&self->field);

  G_OBJECT_CLASS (dossier_field_editor_parent_class)->dispose (object);
}

static void
dossier_field_editor_finalize (GObject *object)
{
  DossierFieldEditor *self = DOSSIER_FIELD_EDITOR (object);

  g_free (self->value);
  g_free (self->problem);

  G_OBJECT_CLASS (dossier_field_editor_parent_class)->finalize (object);
}

static void
dossier_field_editor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DossierFieldEditor *self = DOSSIER_FIELD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_object (value, self->field);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_field_editor_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DossierFieldEditor *self = DOSSIER_FIELD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      self->field = g_value_dup_object (value);
      break;
    case PROP_VALUE:
      dossier_field_editor_set_value (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_field_editor_class_init (DossierFieldEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dossier_field_editor_constructed;
  object_class->dispose = dossier_field_editor_dispose;
  object_class->finalize = dossier_field_editor_finalize;
  object_class->get_property = dossier_field_editor_get_property;
  object_class->set_property = dossier_field_editor_set_property;

  properties[PROP_FIELD] =
    g_param_spec_object ("field", NULL, NULL, DOSSIER_TYPE_FIELD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_field_editor_init (DossierFieldEditor *self)
{
}

DossierFieldEditor *
dossier_field_editor_new (DossierField *field)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD (field), NULL);

  return g_object_new (DOSSIER_TYPE_FIELD_EDITOR, "field", field, NULL);
}

DossierField *
dossier_field_editor_get_field (DossierFieldEditor *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD_EDITOR (self), NULL);
  return self->field;
}

GtkWidget *
dossier_field_editor_get_row (DossierFieldEditor *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD_EDITOR (self), NULL);
  return self->row;
}

const char *
dossier_field_editor_get_value (DossierFieldEditor *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD_EDITOR (self), NULL);
  return self->value;
}

const char *
dossier_field_editor_get_problem (DossierFieldEditor *self)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD_EDITOR (self), NULL);
  return self->problem;
}

/* The AdwEntryRow for one key of a JSON field with listed keys, or NULL. */
GtkWidget *
dossier_field_editor_get_key_row (DossierFieldEditor *self,
                                  const char         *key)
{
  g_return_val_if_fail (DOSSIER_IS_FIELD_EDITOR (self), NULL);

  if (self->key_rows == NULL)
    return NULL;

  for (guint i = 0; i < self->key_rows->len; i++)
    {
      GtkWidget *key_row = g_ptr_array_index (self->key_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (key_row), "json-key"), key) == 0)
        return key_row;
    }

  return NULL;
}
