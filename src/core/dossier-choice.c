/* dossier-choice.c: one value of a provider's list, with a human label
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dossier-choice.h"

struct _DossierChoice
{
  GObject parent_instance;

  char *value;
  char *label;
  char *display;
  GStrv keywords;
};

G_DEFINE_FINAL_TYPE (DossierChoice, dossier_choice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_LABEL,
  PROP_DISPLAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dossier_choice_finalize (GObject *object)
{
  DossierChoice *self = (DossierChoice *)object;

  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->display, g_free);
  g_clear_pointer (&self->keywords, g_strfreev);

  G_OBJECT_CLASS (dossier_choice_parent_class)->finalize (object);
}

static void
dossier_choice_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DossierChoice *self = DOSSIER_CHOICE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_DISPLAY:
      g_value_set_string (value, self->display);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_choice_class_init (DossierChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_choice_finalize;
  object_class->get_property = dossier_choice_get_property;

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* "Label — VALUE": what a dropdown shows and searches */
  properties[PROP_DISPLAY] =
    g_param_spec_string ("display", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_choice_init (DossierChoice *self)
{
}

DossierChoice *
dossier_choice_new (const char         *value,
                    const char         *label,
                    const char * const *keywords)
{
  DossierChoice *self;

  g_return_val_if_fail (value != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_CHOICE, NULL);
  self->value = g_strdup (value);
  /* Labels of the built-in descriptors are translated (see
   * build-aux/provider-strings.py); others pass through unchanged. */
  self->label = g_strdup (label != NULL && *label != '\0' ? g_dgettext (GETTEXT_PACKAGE, label) : value);
  if (g_strcmp0 (self->label, self->value) == 0)
    self->display = g_strdup (self->value);
  else
    self->display = g_strdup_printf ("%s — %s", self->label, self->value);
  self->keywords = g_strdupv ((char **)keywords);

  return self;
}

const char *
dossier_choice_get_value (DossierChoice *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHOICE (self), NULL);
  return self->value;
}

const char *
dossier_choice_get_label (DossierChoice *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHOICE (self), NULL);
  return self->label;
}

const char *
dossier_choice_get_display (DossierChoice *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHOICE (self), NULL);
  return self->display;
}

const char * const *
dossier_choice_get_keywords (DossierChoice *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (DOSSIER_IS_CHOICE (self), NULL);
  return self->keywords != NULL ? (const char * const *)self->keywords : empty;
}
