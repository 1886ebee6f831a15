/* dossier-step-indicator.c: "1 Provider — 2 Details — 3 Files — 4 Upload"
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-step-indicator.h"

struct _DossierStepIndicator
{
  AdwBin     parent_instance;

  /* the wide form when it fits, else the narrow one: chosen by an
   * AdwBreakpointBin with libadwaita 1.4+, by an AdwSqueezer before */
#if ADW_CHECK_VERSION (1, 4, 0)
  GtkWidget     *bin;
  AdwBreakpoint *breakpoint;
  int            wide_width;
#else
  GtkWidget *squeezer;
#endif
  GtkWidget *wide;
  GtkWidget *narrow;
  GtkWidget *steps[DOSSIER_N_STEPS];
  guint      step;
  char      *short_text;
};

G_DEFINE_FINAL_TYPE (DossierStepIndicator, dossier_step_indicator, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *step_titles[DOSSIER_N_STEPS] = {
  N_("Provider"),
  N_("Details"),
  N_("Files"),
  N_("Upload"),
};

const char *
dossier_step_indicator_get_step_title (guint step)
{
  g_return_val_if_fail (step < DOSSIER_N_STEPS, NULL);
  return _(step_titles[step]);
}

static void
update (DossierStepIndicator *self)
{
  g_autofree char *accessible = NULL;

  for (guint i = 0; i < DOSSIER_N_STEPS; i++)
    {
      gtk_widget_remove_css_class (self->steps[i], "current");
      gtk_widget_remove_css_class (self->steps[i], "done");
      if (i == self->step)
        gtk_widget_add_css_class (self->steps[i], "current");
      else if (i < self->step)
        gtk_widget_add_css_class (self->steps[i], "done");
    }

  g_free (self->short_text);
  /* Translators: the step indicator in a narrow window, "2 of 4 · Details" */
  self->short_text = g_strdup_printf (_("%u of %u · %s"), self->step + 1, DOSSIER_N_STEPS,
                                      dossier_step_indicator_get_step_title (self->step));
  gtk_label_set_label (GTK_LABEL (self->narrow), self->short_text);

  /* Translators: what a screen reader says for the step indicator */
  accessible = g_strdup_printf (_("Step %u of %u: %s"), self->step + 1, DOSSIER_N_STEPS,
                                dossier_step_indicator_get_step_title (self->step));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
dossier_step_indicator_finalize (GObject *object)
{
  DossierStepIndicator *self = DOSSIER_STEP_INDICATOR (object);

  g_free (self->short_text);

  G_OBJECT_CLASS (dossier_step_indicator_parent_class)->finalize (object);
}

static void
dossier_step_indicator_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DossierStepIndicator *self = DOSSIER_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_step_indicator_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  DossierStepIndicator *self = DOSSIER_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_STEP:
      dossier_step_indicator_set_step (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#if ADW_CHECK_VERSION (1, 4, 0)
/* The narrow form applies below the wide form's minimum width. That width
 * depends on the font, the translation and which step is current (in bold),
 * so it is measured where the style is the window's: at each allocation
 * while the wide form shows. */
static void
set_breakpoint_width (DossierStepIndicator *self,
                      int                   wide_width)
{
  AdwBreakpointCondition *condition;

  if (wide_width <= 0 || wide_width == self->wide_width)
    return;

  self->wide_width = wide_width;
  condition = adw_breakpoint_condition_new_length (ADW_BREAKPOINT_CONDITION_MAX_WIDTH,
                                                   wide_width - 1, ADW_LENGTH_UNIT_PX);
  adw_breakpoint_set_condition (self->breakpoint, condition);
  adw_breakpoint_condition_free (condition);
}

/* The indicator's own layout: AdwBin lays its child out through a layout
 * manager, so a size_allocate of the class is never called (one was, in
 * name only: the breakpoint kept the first width, measured before the
 * window's style, and the wide form overflowed on libadwaita 1.7) */
static void
layout_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  DossierStepIndicator *self = DOSSIER_STEP_INDICATOR (widget);

  gtk_widget_measure (self->bin, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
layout_allocate (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  DossierStepIndicator *self = DOSSIER_STEP_INDICATOR (widget);

  /* before the breakpoint bin checks its condition */
  if (gtk_widget_get_visible (self->wide))
    {
      int wide_width;

      gtk_widget_measure (self->wide, GTK_ORIENTATION_HORIZONTAL, -1,
                          &wide_width, NULL, NULL, NULL);
      set_breakpoint_width (self, wide_width);
    }

  gtk_widget_allocate (self->bin, width, height, baseline, NULL);
}

static void
build_container (DossierStepIndicator *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  int wide_width, wide_height, narrow_height;

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), self->wide);
  gtk_box_append (GTK_BOX (box), self->narrow);
  gtk_widget_set_visible (self->narrow, FALSE);
  /* the narrow form fits any width the window allows */
  gtk_label_set_ellipsize (GTK_LABEL (self->narrow), PANGO_ELLIPSIZE_END);

  self->bin = adw_breakpoint_bin_new ();
  adw_breakpoint_bin_set_child (ADW_BREAKPOINT_BIN (self->bin), box);
  /* its condition comes with the first measure below */
  self->breakpoint = adw_breakpoint_new (adw_breakpoint_condition_new_length (ADW_BREAKPOINT_CONDITION_MAX_WIDTH,
                                                                              0, ADW_LENGTH_UNIT_PX));
  adw_breakpoint_add_setters (self->breakpoint,
                              G_OBJECT (self->wide), "visible", FALSE,
                              G_OBJECT (self->narrow), "visible", TRUE,
                              NULL);
  adw_breakpoint_bin_add_breakpoint (ADW_BREAKPOINT_BIN (self->bin), self->breakpoint);

  /* A first measure, before the window's style applies; a breakpoint bin has
   * no minimum size of its own, so it gets the forms' height */
  gtk_widget_measure (self->wide, GTK_ORIENTATION_HORIZONTAL, -1, &wide_width, NULL, NULL, NULL);
  gtk_widget_measure (self->wide, GTK_ORIENTATION_VERTICAL, -1, NULL, &wide_height, NULL, NULL);
  gtk_widget_measure (self->narrow, GTK_ORIENTATION_VERTICAL, -1, NULL, &narrow_height, NULL, NULL);
  gtk_widget_set_size_request (self->bin, 1, MAX (1, MAX (wide_height, narrow_height)));
  set_breakpoint_width (self, wide_width);

  adw_bin_set_child (ADW_BIN (self), self->bin);
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL, layout_measure, layout_allocate));
}
#else
static void
build_container (DossierStepIndicator *self)
{
  self->squeezer = adw_squeezer_new ();
  adw_squeezer_set_transition_type (ADW_SQUEEZER (self->squeezer),
                                    ADW_SQUEEZER_TRANSITION_TYPE_CROSSFADE);
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (self->squeezer), FALSE);
  adw_squeezer_set_xalign (ADW_SQUEEZER (self->squeezer), 0.5);
  adw_squeezer_add (ADW_SQUEEZER (self->squeezer), self->wide);
  adw_squeezer_add (ADW_SQUEEZER (self->squeezer), self->narrow);
  adw_bin_set_child (ADW_BIN (self), self->squeezer);
}
#endif

static void
dossier_step_indicator_class_init (DossierStepIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dossier_step_indicator_finalize;
  object_class->get_property = dossier_step_indicator_get_property;
  object_class->set_property = dossier_step_indicator_set_property;

  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, DOSSIER_N_STEPS - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-step-indicator.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
dossier_step_indicator_init (DossierStepIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->wide = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (self->wide, GTK_ALIGN_CENTER);
  self->narrow = gtk_label_new (NULL);
  gtk_widget_set_halign (self->narrow, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->narrow, "step-narrow");

  for (guint i = 0; i < DOSSIER_N_STEPS; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *badge = gtk_label_new (number);
      GtkWidget *title = gtk_label_new (dossier_step_indicator_get_step_title (i));

      if (i > 0)
        {
          GtkWidget *line = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);

          gtk_widget_set_size_request (line, 24, -1);
          gtk_widget_set_valign (line, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (line, "step-line");
          gtk_box_append (GTK_BOX (self->wide), line);
        }

      gtk_widget_add_css_class (badge, "step-number");
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (title, "step-title");
      gtk_box_append (GTK_BOX (box), badge);
      gtk_box_append (GTK_BOX (box), title);
      gtk_widget_add_css_class (box, "step");
      gtk_box_append (GTK_BOX (self->wide), box);
      self->steps[i] = box;
    }

  update (self);
  build_container (self);
}

guint
dossier_step_indicator_get_step (DossierStepIndicator *self)
{
  g_return_val_if_fail (DOSSIER_IS_STEP_INDICATOR (self), 0);
  return self->step;
}

void
dossier_step_indicator_set_step (DossierStepIndicator *self,
                                 guint                 step)
{
  g_return_if_fail (DOSSIER_IS_STEP_INDICATOR (self));
  g_return_if_fail (step < DOSSIER_N_STEPS);

  if (self->step == step)
    return;

  self->step = step;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

const char *
dossier_step_indicator_get_short_text (DossierStepIndicator *self)
{
  g_return_val_if_fail (DOSSIER_IS_STEP_INDICATOR (self), NULL);
  return self->short_text;
}

/* whether the window is too narrow for the labels and shows "2 of 4 · Details" */
gboolean
dossier_step_indicator_is_narrow (DossierStepIndicator *self)
{
  g_return_val_if_fail (DOSSIER_IS_STEP_INDICATOR (self), FALSE);

#if ADW_CHECK_VERSION (1, 4, 0)
  return adw_breakpoint_bin_get_current_breakpoint (ADW_BREAKPOINT_BIN (self->bin)) == self->breakpoint;
#else
  return adw_squeezer_get_visible_child (ADW_SQUEEZER (self->squeezer)) == self->narrow;
#endif
}
