/* dossier-paced-list.c: a list model that shows a long tail a slice a frame
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list view makes a row (template, bind) for each new item it shows, up
 * to two hundred around what is on screen, in the handler of the model's
 * items-changed, and measures them all in the next frame: a thousand files
 * dropped at once were one main-loop dispatch of hundreds of milliseconds
 * (build-aux/gui-benchmark.sh). Here the first few appended items are
 * shown at once, as before; the rest come a slice per frame while the
 * list view is on screen: a few a frame while it makes rows for them, then
 * the others by the time they take.
 */

#include "config.h"

#include "dossier-paced-list.h"

/* appended at once: a few files dropped show in the same frame (a
 * screenful of the files step at its default size) */
#define FIRST_ITEMS 8
/* the rows a list view makes at most (GTK_LIST_VIEW_MAX_LIST_ITEMS in
 * GTK 4.8), and how many of them a frame */
#define ROWS_MADE 200
#define ITEMS_PER_FRAME 8
/* past them: items shown together, then the clock is read */
#define CHUNK_ITEMS 16
/* µs: a chunk this quick made no rows */
#define QUICK_CHUNK_US 200
/* µs a frame spends showing items past those */
#define SLICE_BUDGET_US 3000

struct _DossierPacedList
{
  GObject     parent_instance;

  GListModel *model;
  GtkWidget  *widget;        /* weak: whose frame clock paces the slices */
  guint       n_shown;
  guint       tick_id;
  guint       pending : 1;   /* a tail waits (for a frame, or for the map) */
  guint       skip_frame : 1; /* the frame that lays out the first items */
};

static GType
dossier_paced_list_get_item_type (GListModel *list)
{
  DossierPacedList *self = DOSSIER_PACED_LIST (list);

  return g_list_model_get_item_type (self->model);
}

static guint
dossier_paced_list_get_n_items (GListModel *list)
{
  return DOSSIER_PACED_LIST (list)->n_shown;
}

static gpointer
dossier_paced_list_get_item (GListModel *list,
                             guint       position)
{
  DossierPacedList *self = DOSSIER_PACED_LIST (list);

  if (position >= self->n_shown)
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static void
dossier_paced_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dossier_paced_list_get_item_type;
  iface->get_n_items = dossier_paced_list_get_n_items;
  iface->get_item = dossier_paced_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierPacedList, dossier_paced_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dossier_paced_list_model_init))

guint
dossier_paced_list_get_n_pending (DossierPacedList *self)
{
  g_return_val_if_fail (DOSSIER_IS_PACED_LIST (self), 0);
  return g_list_model_get_n_items (self->model) - self->n_shown;
}

/* Shows up to N more items */
static void
show_more (DossierPacedList *self,
           guint             n)
{
  guint position = self->n_shown;

  n = MIN (n, dossier_paced_list_get_n_pending (self));
  if (n == 0)
    return;
  self->n_shown += n;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
}

static void
unschedule (DossierPacedList *self)
{
  if (self->tick_id != 0 && self->widget != NULL)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
}

static void schedule (DossierPacedList *self);

/* One slice. While the list view makes a row for each new item (up to
 * 200 around what it shows, GTK 4.8: made when it lays itself out, not
 * when told of the items), a few items a frame; past that, items cost next
 * to nothing: chunks, each twice the last while they are quick, until the
 * budget is spent. */
static void
show_slice (DossierPacedList *self)
{
  gint64 start = g_get_monotonic_time ();
  gint64 now = start;
  guint chunk = CHUNK_ITEMS;

  if (self->n_shown < ROWS_MADE)
    {
      show_more (self, MIN (ITEMS_PER_FRAME, ROWS_MADE - self->n_shown));
      return;
    }

  while (dossier_paced_list_get_n_pending (self) > 0 && now - start < SLICE_BUDGET_US)
    {
      gint64 before = now;

      show_more (self, chunk);
      now = g_get_monotonic_time ();
      chunk = now - before < QUICK_CHUNK_US ? chunk * 2 : CHUNK_ITEMS;
    }
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  DossierPacedList *self = user_data;

  self->tick_id = 0;
  /* the first frame after a change lays out the first items, and often a
   * page shown for them: the slices start with the next one */
  if (self->skip_frame)
    self->skip_frame = FALSE;
  else
    show_slice (self);
  self->pending = dossier_paced_list_get_n_pending (self) > 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

/* A slice a frame while the widget shows. While it does not, no frames
 * come and nothing more is shown: a list view makes rows even while
 * hidden, and the page that shows it would lay them all out in its first
 * frame; the slices start again when it is mapped. */
static void
schedule (DossierPacedList *self)
{
  if (dossier_paced_list_get_n_pending (self) == 0 || self->tick_id != 0)
    return;

  if (self->widget != NULL && gtk_widget_get_mapped (self->widget))
    self->tick_id = gtk_widget_add_tick_callback (self->widget, tick_cb, self, NULL);
}

static void
on_items_changed (GListModel       *model,
                  guint             position,
                  guint             removed,
                  guint             added,
                  DossierPacedList *self)
{
  gboolean was_pending = self->pending;

  /* a change of what is shown is passed on; what follows the shown
   * items waits its turn */
  if (position < self->n_shown)
    {
      guint removed_shown = MIN (removed, self->n_shown - position);

      self->n_shown = self->n_shown - removed_shown + added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed_shown, added);
    }

  if (dossier_paced_list_get_n_pending (self) == 0)
    {
      unschedule (self);
      self->pending = FALSE;
      return;
    }

  /* a few files dropped appear at once */
  if (!was_pending)
    {
      show_more (self, FIRST_ITEMS);
      self->skip_frame = TRUE;
    }
  self->pending = dossier_paced_list_get_n_pending (self) > 0;
  schedule (self);
}

/* Mapped: the slices go on; unmapped: they wait */
static void
on_widget_mapped (DossierPacedList *self)
{
  unschedule (self);
  schedule (self);
}

void
dossier_paced_list_flush (DossierPacedList *self)
{
  g_return_if_fail (DOSSIER_IS_PACED_LIST (self));

  unschedule (self);
  show_more (self, G_MAXUINT);
  self->pending = FALSE;
}

static void
dossier_paced_list_dispose (GObject *object)
{
  DossierPacedList *self = DOSSIER_PACED_LIST (object);

  unschedule (self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->widget != NULL)
    g_signal_handlers_disconnect_by_data (self->widget, self);
  g_clear_weak_pointer (&self->widget);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (dossier_paced_list_parent_class)->dispose (object);
}

static void
dossier_paced_list_class_init (DossierPacedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dossier_paced_list_dispose;
}

static void
dossier_paced_list_init (DossierPacedList *self)
{
}

/**
 * dossier_paced_list_new:
 * @model: the list to show
 * @widget: the widget whose frames pace the slices (the list view)
 */
DossierPacedList *
dossier_paced_list_new (GListModel *model,
                        GtkWidget  *widget)
{
  DossierPacedList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (DOSSIER_TYPE_PACED_LIST, NULL);
  self->model = g_object_ref (model);
  g_set_weak_pointer (&self->widget, widget);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_swapped (widget, "map", G_CALLBACK (on_widget_mapped), self);
  g_signal_connect_swapped (widget, "unmap", G_CALLBACK (on_widget_mapped), self);
  /* what the model has already: the first few now, the rest paced */
  show_more (self, FIRST_ITEMS);
  self->pending = dossier_paced_list_get_n_pending (self) > 0;
  schedule (self);
  return self;
}
