/* SPDX-License-Identifier: MIT
 *
 * The timeline widget. Drawing is the renderer's, and the cursor, the
 * selection, the visible range and the arrangement of the lanes are the
 * session's: this file maps input to them. Ctrl+scroll, pinch and +/-
 * zoom, scrolling, dragging and the arrow keys pan, 0 fits the whole run,
 * a drag on the time axis scrubs. A click on a group's label folds or
 * unfolds it, P pins the selected lane, a right click offers both; the
 * edge of the label column can be dragged. A click on a mark (an end, a
 * cancel, a timer, an arrow, a waiter…) explains it in a popover, and the
 * tooltip says the same. It is a GtkScrollable: its vertical adjustment
 * scrolls the rows under the pinned ones. While the session plays, a tick
 * callback redraws every frame so "now" and the open spans advance with
 * the paced clock between records.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-describe.h"
#include "ls-timeline.h"
#include "ls-timeline-renderer.h"

typedef enum
{
  DRAG_NONE = 0,
  DRAG_PAN,      /* the plot: time and rows */
  DRAG_CURSOR,   /* the axis: the cursor follows */
  DRAG_RESIZE,   /* the label column's edge */
} DragKind;

struct _LsTimeline
{
  GtkWidget        parent_instance;

  LsSession       *session;
  GSignalGroup    *session_signals;
  GSignalGroup    *layout_signals;
  guint            tick_id;     /* redraws every frame while playing */

  GtkAdjustment   *hadjustment; /* kept for GtkScrollable; time pans otherwise */
  GtkAdjustment   *vadjustment; /* the rows under the pinned ones */
  guint            hscroll_policy : 1;
  guint            vscroll_policy : 1;
  double           label_width;

  double           pointer_x;
  int              hover_lane;  /* the lane under the pointer, or -1 */
  DragKind         drag;
  gboolean         dragged;
  gint64           drag_t0, drag_t1;
  double           drag_scroll_y;
  double           drag_label_width;
  double           pinch_scale; /* the zoom gesture's scale so far */

  GtkWidget       *popover;     /* the explanation of the mark clicked */
  GtkLabel        *popover_label;
  char            *explanation;
  GtkWidget       *menu;        /* a row's menu (right click) */
};

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_LABEL_WIDTH,
  N_PROPS,
  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (LsTimeline, ls_timeline, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* ---- the visible range --------------------------------------------------- */

static LsInterpreter *
interpreter (LsTimeline *self)
{
  return self->session != NULL ? ls_session_get_interpreter (self->session) : NULL;
}

/* The iteration view's map, or NULL in the time view */
static LsIterationMap *
iteration_map (LsTimeline *self)
{
  return self->session != NULL ? ls_session_get_iteration_map (self->session) : NULL;
}

/* What is drawn: the run, or the run restamped in the iteration view's
 * steps. Lanes and the indices of their arrays are the same in both. */
static LsInterpreter *
drawn_model (LsTimeline *self)
{
  LsIterationMap *map = iteration_map (self);

  return map != NULL ? ls_iteration_map_get_interpreter (map) : interpreter (self);
}

/* A time of the picture (a step in the iteration view) as scenario time */
static gint64
picture_to_time (LsTimeline *self,
                 gint64      t)
{
  LsIterationMap *map = iteration_map (self);

  return map != NULL ? ls_iteration_map_step_to_time (map, t) : t;
}

static LsLaneLayout *
layout (LsTimeline *self)
{
  return self->session != NULL ? ls_session_get_layout (self->session) : NULL;
}

static double
plot_width (LsTimeline *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - self->label_width);
}

void
ls_timeline_zoom (LsTimeline *self,
                  double      factor,
                  double      anchor_x)
{
  gint64 t0 = 0, t1 = 1, anchor, span;
  double frac;

  g_return_if_fail (LS_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  if (self->session == NULL)
    return;
  ls_session_get_range (self->session, &t0, &t1);
  frac = CLAMP ((anchor_x - self->label_width) / plot_width (self), 0.0, 1.0);
  anchor = t0 + (gint64) ((double) (t1 - t0) * frac);
  span = CLAMP ((gint64) ((double) (t1 - t0) / factor), LS_SESSION_MIN_RANGE_NS,
                LS_SESSION_MAX_RANGE_NS);
  /* the time under the pointer stays under the pointer */
  t0 = anchor - (gint64) ((double) span * frac);
  ls_session_set_range (self->session, t0, t0 + span);
}

/* Zoom so that the selected lane's whole life fits, with a margin. */
void
ls_timeline_zoom_to_selection (LsTimeline *self)
{
  const LsTimelineLane *lane;
  LsInterpreter *model;
  gint64 start = G_MAXINT64, end = G_MININT64, margin;
  GArray *parts[3];
  int selected;

  g_return_if_fail (LS_IS_TIMELINE (self));
  /* the picture's: in the iteration view, its steps */
  if ((model = drawn_model (self)) == NULL
      || (selected = ls_session_get_selected_lane (self->session)) < 0
      || (lane = ls_interpreter_get_lane (model, selected)) == NULL)
    return;
  parts[0] = lane->spans;
  parts[1] = lane->holds;
  parts[2] = lane->steps;
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    for (guint i = 0; parts[p] != NULL && i < parts[p]->len; i++)
      {
        gint64 a, b;

        if (p == 2)
          {
            a = b = g_array_index (parts[p], LsTimelineStep, i).time_ns;
          }
        else if (p == 1)
          {
            a = g_array_index (parts[p], LsTimelineHold, i).start_ns;
            b = g_array_index (parts[p], LsTimelineHold, i).end_ns;
          }
        else
          {
            a = g_array_index (parts[p], LsTimelineSpan, i).start_ns;
            b = g_array_index (parts[p], LsTimelineSpan, i).end_ns;
          }
        if (b == LS_TIMELINE_OPEN)
          b = iteration_map (self) != NULL ? ls_iteration_map_get_end (iteration_map (self))
                                           : ls_session_get_now (self->session);
        start = MIN (start, a);
        end = MAX (end, b);
      }
  if (start > end)
    return;
  margin = MAX ((end - start) / 20, 1000);
  ls_session_set_follow (self->session, FALSE);
  ls_session_set_range (self->session, start - margin, end + margin);
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       LsTimeline     *self)
{
  double x, y;
  double factor = scale / MAX (self->pinch_scale, 1e-6);

  self->pinch_scale = scale;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = self->label_width + plot_width (self) / 2;
  ls_timeline_zoom (self, factor, x);
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               LsTimeline       *self)
{
  self->pinch_scale = 1.0;
}

static void
pan_by_pixels (LsTimeline *self,
               double      dx)
{
  gint64 t0 = 0, t1 = 1;
  double ns_per_px;

  if (self->session == NULL)
    return;
  ls_session_set_follow (self->session, FALSE);
  ls_session_get_range (self->session, &t0, &t1);
  ns_per_px = (double) (t1 - t0) / plot_width (self);
  ls_session_set_range (self->session, t0 + (gint64) (dx * ns_per_px),
                        t1 + (gint64) (dx * ns_per_px));
}

/* ---- scrolling the rows ------------------------------------------------------ */

static double
scroll_y (LsTimeline *self)
{
  return gtk_adjustment_get_value (self->vadjustment);
}

/* The height the rows under the pinned ones have to show in */
static double
page_height (LsTimeline *self)
{
  double pinned = layout (self) != NULL ? ls_lane_layout_get_pinned_height (layout (self)) : 0;
  /* the iteration view's ready queue along the bottom */
  double strip = iteration_map (self) != NULL ? LS_TIMELINE_READY_STRIP_HEIGHT : 0;

  return MAX (0.0, gtk_widget_get_height (GTK_WIDGET (self)) - LS_TIMELINE_AXIS_HEIGHT - pinned
                   - strip);
}

static double
max_scroll (LsTimeline *self)
{
  if (layout (self) == NULL)
    return 0;
  return MAX (0.0, ls_lane_layout_get_scrolled_height (layout (self)) - page_height (self));
}

/* The adjustment says what there is to scroll: the rows that are not
 * pinned, in the height left under the pinned ones. */
static void
update_vadjustment (LsTimeline *self)
{
  double upper = layout (self) != NULL ? ls_lane_layout_get_scrolled_height (layout (self)) : 0;
  double page = page_height (self);

  gtk_adjustment_configure (self->vadjustment,
                            CLAMP (gtk_adjustment_get_value (self->vadjustment), 0,
                                   MAX (0, upper - page)),
                            0, MAX (upper, page), LS_TIMELINE_LANE_HEIGHT, page * 0.9, page);
}

static void
scroll_to (LsTimeline *self,
           double      y)
{
  gtk_adjustment_set_value (self->vadjustment, CLAMP (y, 0.0, max_scroll (self)));
}

static void
on_vadjustment_changed (LsTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (LsTimeline     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_data (*slot, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adjustment);
  if (slot == &self->vadjustment)
    {
      g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (on_vadjustment_changed),
                                self);
      update_vadjustment (self);
    }
}

/* ---- the view -------------------------------------------------------------- */

gboolean
ls_timeline_widget_is_dark (GtkWidget *widget)
{
  gboolean prefer_dark = FALSE;
  GdkRGBA color;

  g_object_get (gtk_widget_get_settings (widget),
                "gtk-application-prefer-dark-theme", &prefer_dark, NULL);
  if (prefer_dark)
    return TRUE;
  /* a dark theme chosen otherwise shows in the text colour: light text */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5;
}

/* The iteration view: "now" is the last record's step, the cursor the
 * step of the last record it has seen, and the ready queue is the loop's
 * at the cursor. */
static void
get_iteration_view (LsTimeline     *self,
                    LsTimelineView *view)
{
  LsIterationMap *map = view->iterations;
  guint64 n = ls_session_get_cursor_n_records (self->session);

  view->now = ls_iteration_map_get_end (map);
  view->cursor = view->cursor < 0 ? -1
                 : n > 0 ? ls_iteration_map_record_step (map, n - 1) : 0;
  view->ready = ls_session_get_cursor_state (self->session);
}

/* What the renderer draws now: everything but the pixels comes from the
 * session. */
void
ls_timeline_get_view (LsTimeline     *self,
                      LsTimelineView *view)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_if_fail (LS_IS_TIMELINE (self));

  memset (view, 0, sizeof *view);
  view->width = gtk_widget_get_width (widget);
  view->height = gtk_widget_get_height (widget);
  view->scroll_y = scroll_y (self);
  view->now = -1;
  view->cursor = -1;
  view->selected_lane = -1;
  view->t1 = 1;
  view->label_width = self->label_width;
  if (self->session != NULL)
    {
      ls_session_get_range (self->session, &view->t0, &view->t1);
      view->now = ls_session_get_now (self->session);
      view->cursor = ls_session_get_cursor (self->session);
      view->selected_lane = ls_session_get_selected_lane (self->session);
      view->layout = layout (self);
      if ((view->iterations = iteration_map (self)) != NULL)
        get_iteration_view (self, view);
    }
  view->dark = ls_timeline_widget_is_dark (GTK_WIDGET (self));
  view->font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
}

static void
ls_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  LsTimeline *self = LS_TIMELINE (widget);
  LsTimelineView view;
  cairo_t *cr;

  if (interpreter (self) == NULL || gtk_widget_get_width (widget) <= 0
      || gtk_widget_get_height (widget) <= 0)
    return;
  ls_timeline_get_view (self, &view);
  /* With nothing selected, the arrows follow the pointer: the lane under it
   * shows who woke it and whom it woke. */
  if (view.selected_lane < 0)
    view.selected_lane = self->hover_lane;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, view.width, view.height));
  ls_timeline_render (cr, drawn_model (self), &view);
  cairo_destroy (cr);
}

static void
ls_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  LsTimeline *self = LS_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) self->label_width + 200;
      *natural = (int) self->label_width + 640;
    }
  else
    {
      *minimum = (int) (LS_TIMELINE_AXIS_HEIGHT + 3 * LS_TIMELINE_LANE_HEIGHT);
      *natural = layout (self) != NULL ? (int) ls_timeline_content_height (layout (self))
                                       : *minimum;
      *natural = MAX (*natural, *minimum);
    }
}

static void
ls_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  LsTimeline *self = LS_TIMELINE (widget);

  update_vadjustment (self);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

/* ---- rows under the pointer ---------------------------------------------------- */

/* The row at @y, or -1. */
static int
row_at_y (LsTimeline *self,
          double      y)
{
  LsTimelineView view;

  if (layout (self) == NULL)
    return -1;
  ls_timeline_get_view (self, &view);
  return ls_timeline_view_row_at_y (&view, y);
}

/* The lane of the row at @y (a group's: its first member), or -1. */
static int
lane_at_y (LsTimeline *self,
           double      y)
{
  int row = row_at_y (self, y);

  return row >= 0 ? (int) ls_lane_layout_get_row (layout (self), row)->lane : -1;
}

/* Keeps @row in view, scrolling the rows under the pinned ones. */
static void
show_row (LsTimeline *self,
          int         row)
{
  const LsLaneRow *r;
  double page = page_height (self);

  if (row < 0 || layout (self) == NULL)
    return;
  r = ls_lane_layout_get_row (layout (self), row);
  if (r->pinned)
    return;
  if (r->y < scroll_y (self))
    scroll_to (self, r->y);
  else if (r->y + r->height > scroll_y (self) + page)
    scroll_to (self, r->y + r->height - page);
}

static void
toggle_group (LsTimeline *self,
              guint       group)
{
  LsLaneLayout *l = layout (self);

  ls_lane_layout_set_group_expanded (l, group, !ls_lane_layout_get_group (l, group)->expanded);
}

static void
toggle_pin (LsTimeline *self,
            int         lane)
{
  LsLaneLayout *l = layout (self);

  if (l == NULL || lane < 0 || (guint) lane >= ls_interpreter_get_n_lanes (interpreter (self)))
    return;
  ls_lane_layout_set_pinned (l, lane, !ls_lane_layout_get_pinned (l, lane));
}

/* ---- explanations ---------------------------------------------------------------- */

static gboolean
near_box (const LsTimelineItem *item,
          double                x,
          double                y,
          double                slack)
{
  return x >= MIN (item->x0, item->x1) - slack && x <= MAX (item->x0, item->x1) + slack
         && y >= MIN (item->y0, item->y1) - slack && y <= MAX (item->y0, item->y1) + slack;
}

/* The mark under (@x, @y) in the picture as drawn now: the renderer says
 * what it drew where (ls_timeline_render_recorded), on a surface too small
 * to cost anything but the list. Marks win over the bars they sit on, and
 * the nearest mark over the others. */
static gboolean
mark_at (LsTimeline     *self,
         double          x,
         double          y,
         LsTimelineItem *found)
{
  static const LsTimelineItemKind order[] = {
    LS_TIMELINE_ITEM_WAKE, LS_TIMELINE_ITEM_FINAL_MARK, LS_TIMELINE_ITEM_CANCEL,
    LS_TIMELINE_ITEM_MARK, LS_TIMELINE_ITEM_PRINT, LS_TIMELINE_ITEM_WAITER,
    LS_TIMELINE_ITEM_DEADLINE, LS_TIMELINE_ITEM_ARROW, LS_TIMELINE_ITEM_HOLD,
  };
  g_autoptr(GArray) record = g_array_new (FALSE, TRUE, sizeof (LsTimelineItem));
  cairo_surface_t *surface;
  LsTimelineView view;
  cairo_t *cr;
  double best = G_MAXDOUBLE;

  if (interpreter (self) == NULL || x < self->label_width || y < LS_TIMELINE_AXIS_HEIGHT)
    return FALSE;
  ls_timeline_get_view (self, &view);
  if (view.selected_lane < 0)
    view.selected_lane = self->hover_lane;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  ls_timeline_render_recorded (cr, drawn_model (self), &view, record);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* of the marks under the pointer, the nearest; then the first kind */
  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    for (guint i = record->len; i > 0; i--)
      {
        const LsTimelineItem *item = &g_array_index (record, LsTimelineItem, i - 1);
        double d;

        if (item->kind != order[k])
          continue;
        switch (item->kind)
          {
          case LS_TIMELINE_ITEM_FINAL_MARK:
            d = fabs (x - item->x0) <= 8 && fabs (y - item->y0) <= 9
                ? hypot (x - item->x0, y - item->y0) : G_MAXDOUBLE;
            break;
          case LS_TIMELINE_ITEM_DEADLINE:
            d = x >= item->x0 - 2 && x <= item->x1 + 2 && fabs (y - item->y0) <= 4
                ? fabs (y - item->y0) : G_MAXDOUBLE;
            break;
          case LS_TIMELINE_ITEM_ARROW:
            /* at its head or its tail */
            d = MIN (hypot (x - item->x1, y - item->y1), hypot (x - item->x0, y - item->y0));
            if (d > 7)
              d = G_MAXDOUBLE;
            break;
          case LS_TIMELINE_ITEM_WAKE:
          case LS_TIMELINE_ITEM_CANCEL:
          case LS_TIMELINE_ITEM_PRINT:
          case LS_TIMELINE_ITEM_MARK:
            d = near_box (item, x, y, 2) ? hypot (x - (item->x0 + item->x1) / 2,
                                                  y - (item->y0 + item->y1) / 2)
                                         : G_MAXDOUBLE;
            break;
          default:
            /* bars: the pointer is on them or not, and any mark wins */
            d = near_box (item, x, y, 0) ? 50.0 : G_MAXDOUBLE;
            break;
          }
        if (d < best)
          {
            best = d;
            *found = *item;
          }
      }
  return best < G_MAXDOUBLE;
}

/* The fact of the model a recorded mark stands for, in words. */
static char *
explain_item (LsTimeline           *self,
              const LsTimelineItem *item)
{
  LsInterpreter *model = interpreter (self);
  LsInterpreter *seen = drawn_model (self);
  LsLaneLayout *l = layout (self);
  const LsTimelineLane *lane = item->lane >= 0 ? ls_interpreter_get_lane (seen, item->lane) : NULL;
  const LsTimelineLane *real = item->lane >= 0 ? ls_interpreter_get_lane (model, item->lane) : NULL;
  GString *out = g_string_new (NULL);

  /* The item's times are the picture's (the iteration view's steps): the
   * fact is found in what was drawn, and told from the run, at the same
   * index (both interpreters read the same records). */
  switch (item->kind)
    {
    case LS_TIMELINE_ITEM_FINAL_MARK:
      ls_describe_task_end (out, l, item->lane);
      break;

    case LS_TIMELINE_ITEM_CANCEL:
      {
        GArray *cancels = ls_interpreter_get_cancels (seen);

        for (guint i = 0; i < cancels->len; i++)
          {
            const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i);

            if (c->to_task == lane->object_id && c->time_ns == item->start_ns
                && c->from_task == item->object)
              {
                ls_describe_cancel (out, l, &g_array_index (ls_interpreter_get_cancels (model),
                                                            LsTimelineCancel, i));
                break;
              }
          }
      }
      break;

    case LS_TIMELINE_ITEM_WAKE:
      for (guint i = 0; lane->wakes != NULL && i < lane->wakes->len; i++)
        {
          guint k = g_array_index (lane->wakes, guint, i);
          const LsTimelineWake *w = &g_array_index (ls_interpreter_get_wakes (seen),
                                                    LsTimelineWake, k);

          if (w->object == item->object && w->time_ns == item->end_ns)
            {
              ls_describe_wake (out, l, &g_array_index (ls_interpreter_get_wakes (model),
                                                        LsTimelineWake, k));
              break;
            }
        }
      break;

    case LS_TIMELINE_ITEM_ARROW:
      if (item->state == LS_TIMELINE_ARROW_WAKEUP || item->state == LS_TIMELINE_ARROW_HANDOFF)
        {
          GArray *links = ls_interpreter_get_links (seen);

          for (guint i = 0; i < links->len; i++)
            {
              const LsTimelineLink *k = &g_array_index (links, LsTimelineLink, i);

              /* (the iteration view draws it on to where the task runs next) */
              if ((int) k->from_lane == item->from_lane && (int) k->to_lane == item->to_lane
                  && k->from_time == item->start_ns && k->to_time <= item->end_ns
                  && (guint) k->kind == item->state)
                {
                  ls_describe_link (out, l, &g_array_index (ls_interpreter_get_links (model),
                                                            LsTimelineLink, i));
                  break;
                }
            }
        }
      else if (item->state == LS_TIMELINE_ARROW_CANCEL)
        {
          GArray *cancels = ls_interpreter_get_cancels (seen);
          guint32 to = ls_interpreter_get_lane (model, item->to_lane)->object_id;

          for (guint i = 0; i < cancels->len; i++)
            {
              const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i);

              if (c->to_task == to && c->time_ns == item->start_ns)
                {
                  ls_describe_cancel (out, l, &g_array_index (ls_interpreter_get_cancels (model),
                                                              LsTimelineCancel, i));
                  break;
                }
            }
        }
      else
        {
          const LsTimelineLane *to = ls_interpreter_get_lane (seen, item->to_lane);

          for (guint i = 0; to->wakes != NULL && i < to->wakes->len; i++)
            {
              guint k = g_array_index (to->wakes, guint, i);
              const LsTimelineWake *w = &g_array_index (ls_interpreter_get_wakes (seen),
                                                        LsTimelineWake, k);

              if (w->start_ns == item->start_ns && w->woke_ns == item->end_ns)
                {
                  ls_describe_wake (out, l, &g_array_index (ls_interpreter_get_wakes (model),
                                                            LsTimelineWake, k));
                  break;
                }
            }
        }
      break;

    /* entries of one instant may merge in the run but not in the steps:
     * these are found in the run, at the instant of the step */
    case LS_TIMELINE_ITEM_WAITER:
      for (guint i = 0; i < real->waiters->len; i++)
        {
          const LsTimelineWaiter *w = &g_array_index (real->waiters, LsTimelineWaiter, i);

          if (w->task_id == item->object && w->start_ns == picture_to_time (self, item->start_ns)
              && w->position == item->n_merged && w->list == item->reason)
            {
              ls_describe_waiter (out, l, item->lane, w);
              break;
            }
        }
      break;

    case LS_TIMELINE_ITEM_HOLD:
      for (guint i = 0; i < real->holds->len; i++)
        {
          const LsTimelineHold *h = &g_array_index (real->holds, LsTimelineHold, i);

          if (h->start_ns == picture_to_time (self, item->start_ns))
            {
              ls_describe_hold (out, l, item->lane, h);
              break;
            }
        }
      break;

    case LS_TIMELINE_ITEM_DEADLINE:
      {
        GArray *deadlines = ls_interpreter_get_deadlines (seen);

        for (guint i = 0; i < deadlines->len; i++)
          {
            const LsTimelineDeadline *d = &g_array_index (deadlines, LsTimelineDeadline, i);

            if (d->task_id == item->object && d->start_ns == item->start_ns
                && d->reason == item->reason)
              {
                ls_describe_deadline (out, l,
                                      &g_array_index (ls_interpreter_get_deadlines (model),
                                                      LsTimelineDeadline, i));
                break;
              }
          }
      }
      break;

    case LS_TIMELINE_ITEM_MARK:
      {
        int who = ls_interpreter_find_lane (model, item->object);
        g_autofree char *at = g_strdup_printf (_("%.3f s"),
                                               picture_to_time (self, item->start_ns) / 1e9);

        /* Translators: a condition's notify() or a barrier's handoff */
        g_string_append_printf (out, _("%s woke the waiters of %s at %s."),
                                who >= 0 ? ls_lane_layout_get_name (l, who) : "?",
                                ls_lane_layout_get_name (l, item->lane), at);
      }
      break;

    case LS_TIMELINE_ITEM_PRINT:
      {
        g_autofree char *at = g_strdup_printf (_("%.3f s"),
                                               picture_to_time (self, item->start_ns) / 1e9);

        g_string_append_printf (out, _("%s printed at %s:\n%s"),
                                ls_lane_layout_get_name (l, item->lane), at,
                                item->text != NULL ? item->text : "");
      }
      break;

    default:
      break;
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
ls_timeline_explain_at (LsTimeline *self,
                        double      x,
                        double      y)
{
  LsTimelineItem item;

  g_return_val_if_fail (LS_IS_TIMELINE (self), NULL);
  if (!mark_at (self, x, y, &item))
    return NULL;
  return explain_item (self, &item);
}

const char *
ls_timeline_get_explanation (LsTimeline *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE (self), NULL);
  return self->explanation;
}

/* The popover closed (Escape, a click elsewhere): nothing is explained */
static void
on_popover_closed (LsTimeline *self)
{
  g_clear_pointer (&self->explanation, g_free);
}

static void
show_explanation (LsTimeline *self,
                  double      x,
                  double      y,
                  char       *text)
{
  g_free (self->explanation);
  self->explanation = text;
  if (text == NULL)
    {
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      return;
    }
  gtk_label_set_text (self->popover_label, text);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

/* ---- input ------------------------------------------------------------------ */

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LsTimeline               *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      ls_timeline_zoom (self, pow (1.2, -dy), self->pointer_x);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      dx += dy;
      dy = 0;
    }
  if (dx != 0)
    pan_by_pixels (self, dx * 40.0);
  if (dy != 0)
    {
      /* lanes scroll when they overflow; otherwise the wheel pans time */
      if (max_scroll (self) > 0)
        scroll_to (self, scroll_y (self) + dy * LS_TIMELINE_LANE_HEIGHT);
      else
        pan_by_pixels (self, dy * 40.0);
    }
  return TRUE;
}

static gboolean
on_label_edge (LsTimeline *self,
               double      x,
               double      y)
{
  return fabs (x - self->label_width) <= 4 && y >= LS_TIMELINE_AXIS_HEIGHT;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LsTimeline               *self)
{
  int lane;

  self->pointer_x = x;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   on_label_edge (self, x, y) ? "col-resize" : NULL);
  lane = lane_at_y (self, y);
  if (lane != self->hover_lane)
    {
      self->hover_lane = lane;
      if (self->session != NULL && ls_session_get_selected_lane (self->session) < 0)
        gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave (GtkEventControllerMotion *controller,
          LsTimeline               *self)
{
  if (self->hover_lane >= 0)
    {
      self->hover_lane = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
set_cursor_at_x (LsTimeline *self,
                 double      x)
{
  LsTimelineView view;

  ls_timeline_get_view (self, &view);
  if (view.iterations != NULL)
    {
      /* between the records of one instant: the last one at or left of x */
      gint64 step = ls_timeline_view_x_to_time (&view, MAX (x, self->label_width));

      ls_session_set_cursor_record (self->session,
                                    MAX (1, ls_iteration_map_records_until (view.iterations,
                                                                             step)));
      return;
    }
  ls_session_set_cursor (self->session,
                         MAX (0, ls_timeline_view_x_to_time (&view, MAX (x, self->label_width))));
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LsTimeline     *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->session == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragged = FALSE;
  if (on_label_edge (self, x, y))
    self->drag = DRAG_RESIZE;
  else if (y < LS_TIMELINE_AXIS_HEIGHT && x >= self->label_width)
    self->drag = DRAG_CURSOR;
  else
    self->drag = DRAG_PAN;
  ls_session_get_range (self->session, &self->drag_t0, &self->drag_t1);
  self->drag_scroll_y = scroll_y (self);
  self->drag_label_width = self->label_width;
  if (self->drag == DRAG_CURSOR)
    set_cursor_at_x (self, x);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                LsTimeline     *self)
{
  double start_x, start_y, ns_per_px;
  gint64 dt;

  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);
  if (self->drag == DRAG_CURSOR)
    {
      set_cursor_at_x (self, start_x + offset_x);
      return;
    }
  if (!self->dragged && fabs (offset_x) < 4 && fabs (offset_y) < 4)
    return;
  self->dragged = TRUE;
  if (self->drag == DRAG_RESIZE)
    {
      ls_timeline_set_label_width (self, self->drag_label_width + offset_x);
      return;
    }
  ns_per_px = (double) (self->drag_t1 - self->drag_t0) / plot_width (self);
  dt = (gint64) (-offset_x * ns_per_px);
  ls_session_set_follow (self->session, FALSE);
  ls_session_set_range (self->session, self->drag_t0 + dt, self->drag_t1 + dt);
  scroll_to (self, self->drag_scroll_y - offset_y);
}

/* A click: on a group's label it folds or unfolds the group; elsewhere it
 * selects the lane under it (a folded group's member whose mark was hit),
 * or nothing, and a mark clicked explains itself. */
static void
click_at (LsTimeline *self,
          double      x,
          double      y)
{
  int row = row_at_y (self, y);
  const LsLaneRow *r = row >= 0 ? ls_lane_layout_get_row (layout (self), row) : NULL;
  LsTimelineItem item;
  int lane = -1;

  if (r != NULL && x < self->label_width)
    {
      if (r->kind == LS_LANE_ROW_GROUP)
        toggle_group (self, r->group);
      else
        ls_session_set_selected_lane (self->session, (int) r->lane);
      show_explanation (self, x, y, NULL);
      return;
    }
  if (mark_at (self, x, y, &item))
    {
      lane = item.lane;
      show_explanation (self, x, y, explain_item (self, &item));
    }
  else
    {
      show_explanation (self, x, y, NULL);
      if (r != NULL && r->kind == LS_LANE_ROW_LANE)
        lane = (int) r->lane;
    }
  ls_session_set_selected_lane (self->session, lane);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             LsTimeline     *self)
{
  double start_x, start_y;
  DragKind drag = self->drag;

  self->drag = DRAG_NONE;
  if (drag != DRAG_PAN || self->dragged || self->session == NULL)
    return;
  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);
  click_at (self, start_x, start_y);
}

/* A right click on a row: its menu (pin, fold, related lanes). */
static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      LsTimeline      *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  int row = row_at_y (self, y);
  const LsLaneRow *r;
  g_autofree char *pin = NULL;
  g_autofree char *related = NULL;

  if (row < 0)
    return;
  r = ls_lane_layout_get_row (layout (self), row);
  pin = g_strdup_printf ("timeline.toggle-pin(%u)", r->lane);
  related = g_strdup_printf ("timeline.related-to(%u)", r->lane);
  if (r->kind == LS_LANE_ROW_GROUP)
    {
      g_autofree char *fold = g_strdup_printf ("timeline.toggle-group(%u)", r->group);

      g_menu_append (menu, ls_lane_layout_get_group (layout (self), r->group)->expanded
                           ? _("_Fold") : _("_Unfold"), fold);
    }
  else
    {
      g_menu_append (menu, ls_lane_layout_get_pinned (layout (self), r->lane) ? _("Un_pin")
                                                                              : _("_Pin to Top"),
                     pin);
      g_menu_append (menu, _("Only _Related Lanes"), related);
      if (ls_lane_layout_get_lane_group (layout (self), r->lane) >= 0)
        {
          g_autofree char *fold = g_strdup_printf ("timeline.toggle-group(%d)",
                                                   ls_lane_layout_get_lane_group (layout (self),
                                                                                  r->lane));

          g_menu_append (menu, _("_Fold"), fold);
        }
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
toggle_pin_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  toggle_pin (LS_TIMELINE (widget), (int) g_variant_get_uint32 (parameter));
}

static void
toggle_group_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsTimeline *self = LS_TIMELINE (widget);
  guint group = g_variant_get_uint32 (parameter);

  if (layout (self) != NULL && group < ls_lane_layout_get_n_groups (layout (self)))
    toggle_group (self, group);
}

static void
related_to_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LsTimeline *self = LS_TIMELINE (widget);

  if (self->session == NULL)
    return;
  ls_session_set_selected_lane (self->session, (int) g_variant_get_uint32 (parameter));
  ls_session_set_related_only (self->session, TRUE);
}

static void
select_row_step (LsTimeline *self,
                 int         step)
{
  LsLaneLayout *l = layout (self);
  int n_rows, row, selected;

  if (l == NULL || (n_rows = ls_lane_layout_get_n_rows (l)) == 0)
    return;
  selected = ls_session_get_selected_lane (self->session);
  row = selected >= 0 ? ls_lane_layout_get_lane_row (l, selected) : -1;
  row = row < 0 ? (step > 0 ? 0 : n_rows - 1) : CLAMP (row + step, 0, n_rows - 1);
  ls_session_set_selected_lane (self->session, ls_lane_layout_get_row (l, row)->lane);
  show_row (self, row);
}

/* Keys for the focused timeline. Zooming (+, -, 0) is the window's, so it
 * works wherever the focus is; plain → steps the loop (a window shortcut),
 * so panning takes Shift. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LsTimeline            *self)
{
  gboolean plain = (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) == 0;
  int selected;

  if (self->session == NULL)
    return FALSE;
  selected = ls_session_get_selected_lane (self->session);
  /* with Ctrl these are the window's (Ctrl+P pins a run) */
  if (!plain && (keyval == GDK_KEY_p || keyval == GDK_KEY_s || keyval == GDK_KEY_Return
                 || keyval == GDK_KEY_KP_Enter))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_s:
      ls_timeline_zoom_to_selection (self);
      return TRUE;
    case GDK_KEY_p:
      toggle_pin (self, selected);
      if (selected >= 0)
        show_row (self, ls_lane_layout_get_lane_row (layout (self), selected));
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (selected >= 0 && ls_lane_layout_get_lane_group (layout (self), selected) >= 0)
        {
          toggle_group (self, ls_lane_layout_get_lane_group (layout (self), selected));
          show_row (self, ls_lane_layout_get_lane_row (layout (self), selected));
        }
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      if (!(state & GDK_SHIFT_MASK))
        return FALSE;
      pan_by_pixels (self, -plot_width (self) / 10);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (!(state & GDK_SHIFT_MASK))
        return FALSE;
      pan_by_pixels (self, plot_width (self) / 10);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      select_row_step (self, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      select_row_step (self, 1);
      return TRUE;
    case GDK_KEY_Escape:
      ls_session_set_cursor (self->session, -1);
      ls_session_set_selected_lane (self->session, -1);
      show_explanation (self, 0, 0, NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- tooltips ---------------------------------------------------------------- */

static char *
format_range (gint64 start,
              gint64 end)
{
  g_autofree char *a = ls_timeline_format_duration (start);
  g_autofree char *b = ls_timeline_format_duration (end);
  g_autofree char *d = ls_timeline_format_duration (end - start);

  return g_strdup_printf ("%s → %s (%s)", a, b, d);
}

static char *
task_tooltip (LsTimeline           *self,
              const LsTimelineLane *lane,
              guint                 index,
              gint64                t)
{
  LsInterpreter *model = interpreter (self);
  const char *name = ls_lane_layout_get_name (layout (self), index);
  int i = ls_interpreter_find_span (model, index, t);
  const LsTimelineSpan *span;
  GString *text;
  gint64 end;
  g_autofree char *range = NULL;

  if (i < 0)
    return g_strdup (name);
  span = &g_array_index (lane->spans, LsTimelineSpan, i);
  end = span->end_ns == LS_TIMELINE_OPEN ? ls_session_get_now (self->session) : span->end_ns;
  text = g_string_new (name);
  g_string_append_printf (text, "\n%s", ls_describe_task_state (span->state));
  if (span->state == LS_TASK_STATE_WAITING)
    {
      int on = ls_interpreter_find_lane (model, span->wait_object);

      /* Translators: after a task state: "waiting on sleep" */
      g_string_append_printf (text, _(" on %s"), ls_describe_wait_reason (span->wait_reason));
      if (on >= 0)
        g_string_append_printf (text, " (%s)", ls_lane_layout_get_name (layout (self), on));
    }
  range = format_range (span->start_ns, end);
  g_string_append_printf (text, "\n%s%s", range,
                          span->end_ns == LS_TIMELINE_OPEN ? _(", still going") : "");
  return g_string_free (text, FALSE);
}

static char *
primitive_tooltip (LsTimeline           *self,
                   const LsTimelineLane *lane,
                   guint                 index,
                   gint64                t)
{
  GString *text = g_string_new (ls_lane_layout_get_name (layout (self), index));

  for (guint i = 0; lane->holds != NULL && i < lane->holds->len; i++)
    {
      const LsTimelineHold *h = &g_array_index (lane->holds, LsTimelineHold, i);
      gint64 end = h->end_ns == LS_TIMELINE_OPEN ? ls_session_get_now (self->session) : h->end_ns;
      g_autofree char *range = NULL;

      if (t < h->start_ns || t > end)
        continue;
      range = format_range (h->start_ns, end);
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              lane->object_kind == LS_OBJECT_EVENT ? _("set by %s") : _("held by %s"),
                              ls_interpreter_get_task_name (interpreter (self), h->task_id));
      g_string_append_printf (text, "\n%s", range);
      break;
    }
  if (lane->steps != NULL && lane->steps->len > 0)
    {
      gint64 value = 0;

      for (guint i = 0; i < lane->steps->len
                        && g_array_index (lane->steps, LsTimelineStep, i).time_ns <= t; i++)
        value = g_array_index (lane->steps, LsTimelineStep, i).value;
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              ls_object_kind_is_semaphore (lane->object_kind) ? _("permits: %lld")
                              : lane->object_kind == LS_OBJECT_BARRIER ? _("tasks inside: %lld")
                              : _("items: %lld"),
                              (long long) value);
      if (lane->capacity > 0)
        /* Translators: after "permits: 2", "items: 3": the capacity */
        g_string_append_printf (text, _(" of %lld"), (long long) lane->capacity);
    }
  return g_string_free (text, FALSE);
}

/* A row's label in full (it may be cut short on screen), and for a group
 * what it holds and what a click does. */
static char *
label_tooltip (LsTimeline *self,
               int         row)
{
  LsLaneLayout *l = layout (self);
  const LsLaneRow *r = ls_lane_layout_get_row (l, row);
  const LsLaneGroup *group;
  GString *text;

  if (r->kind == LS_LANE_ROW_LANE)
    return g_strdup (ls_lane_layout_get_name (l, r->lane));
  group = ls_lane_layout_get_group (l, r->group);
  text = g_string_new (ls_lane_layout_get_row_label (l, row));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, group->expanded ? _("Tasks created by %s: click to fold them")
                                                : _("Tasks created by %s: click to show them"),
                          ls_lane_layout_get_name (l, group->parent));
  return g_string_free (text, FALSE);
}

static gboolean
ls_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  LsTimeline *self = LS_TIMELINE (widget);
  LsTimelineView view;
  g_autofree char *text = NULL;
  int row, lane;

  /* the iteration view's axis: which iteration and callback */
  if (interpreter (self) != NULL && !keyboard_mode && y < LS_TIMELINE_AXIS_HEIGHT
      && x >= self->label_width && (text = ls_timeline_describe_iteration_at (self, x)) != NULL)
    {
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }
  if (interpreter (self) == NULL || keyboard_mode || (row = row_at_y (self, y)) < 0)
    return FALSE;
  if (x < self->label_width)
    {
      text = label_tooltip (self, row);
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }
  /* a mark explains itself; elsewhere the lane's state at that time */
  if ((text = ls_timeline_explain_at (self, x, y)) == NULL)
    {
      const LsLaneRow *r = ls_lane_layout_get_row (layout (self), row);

      if (r->kind == LS_LANE_ROW_GROUP)
        text = label_tooltip (self, row);
      else
        {
          lane = (int) r->lane;
          ls_timeline_get_view (self, &view);
          text = ls_timeline_describe (self, lane,
                                       picture_to_time (self,
                                                        ls_timeline_view_x_to_time (&view, x)));
        }
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* The iteration view: the iteration and the callback at @x, from the map
 * (ls_iteration_map_find ()), or NULL in a gap, past the end or in the
 * time view. */
char *
ls_timeline_describe_iteration_at (LsTimeline *self,
                                   double      x)
{
  LsIterationMap *map;
  LsTimelineView view;
  const LsIteration *it;
  const LsIterationSlot *slot;
  GString *text;
  guint i, s;
  g_autofree char *at = NULL;

  g_return_val_if_fail (LS_IS_TIMELINE (self), NULL);
  if ((map = iteration_map (self)) == NULL)
    return NULL;
  ls_timeline_get_view (self, &view);
  if (!ls_iteration_map_find (map, ls_timeline_view_x_to_time (&view, x), &i, &s))
    return NULL;
  it = &g_array_index (ls_iteration_map_get_iterations (map), LsIteration, i);
  slot = &g_array_index (ls_iteration_map_get_slots (map), LsIterationSlot, s);
  at = g_strdup_printf (_("%.3f s"), it->start_ns / 1e9);
  text = g_string_new (NULL);
  /* %llu, not G_GUINT64_FORMAT: xgettext cannot see through the macro */
  g_string_append_printf (text, _("Iteration %llu at %s: %u callbacks"),
                          (unsigned long long) it->number, at, it->n_slots - 1);
  g_string_append_c (text, '\n');
  if (slot->kind == 0)
    g_string_append (text, _("Before its callbacks: timers due and I/O done join the ready "
                             "queue"));
  else
    {
      int lane = slot->task_id != 0 ? ls_interpreter_find_lane (interpreter (self),
                                                                slot->task_id) : -1;
      const char *name = lane >= 0 ? ls_lane_layout_get_name (layout (self), lane) : "";

      /* Translators: "Callback 2 of 3: a step of Task 1" */
      g_string_append_printf (text, _("Callback %u of %u: "), s - it->first_slot,
                              it->n_slots - 1);
      switch (slot->kind)
        {
        case LS_HANDLE_TASK_STEP:
          g_string_append_printf (text, _("a step of %s"), name);
          break;
        case LS_HANDLE_TASK_WAKEUP:
          g_string_append_printf (text, _("%s woken up"), name);
          break;
        case LS_HANDLE_TIMER:
          g_string_append (text, _("a timer's callback"));
          break;
        case LS_HANDLE_IO:
          g_string_append (text, _("an I/O completion"));
          break;
        default:
          g_string_append (text, _("a callback"));
          break;
        }
      if (slot->skipped)
        g_string_append (text, _(" (cancelled, skipped)"));
    }
  return g_string_free (text, FALSE);
}

char *
ls_timeline_describe (LsTimeline *self,
                      guint       lane,
                      gint64      time_ns)
{
  const LsTimelineLane *l;

  g_return_val_if_fail (LS_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (interpreter (self) != NULL, NULL);
  l = ls_interpreter_get_lane (interpreter (self), lane);
  if (l->kind == LS_TIMELINE_LANE_TASK)
    return task_tooltip (self, l, lane, time_ns);
  return primitive_tooltip (self, l, lane, time_ns);
}

/* ---- following the session ------------------------------------------------------ */

static gboolean
tick (GtkWidget     *widget,
      GdkFrameClock *frame_clock,
      gpointer       user_data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
update_tick (LsTimeline *self)
{
  gboolean playing = self->session != NULL && ls_session_get_playing (self->session);

  if (playing && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick, NULL, NULL);
  else if (!playing && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The rows changed (a lane appeared, a fold, a pin, the filter): what
 * there is to scroll, and the natural height, change with them. */
static void
on_layout_changed (LsTimeline *self)
{
  update_vadjustment (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_session_loaded (LsTimeline *self)
{
  g_signal_group_set_target (self->layout_signals, layout (self));
  gtk_adjustment_set_value (self->vadjustment, 0);
  self->hover_lane = -1; /* the old run's lane, until the pointer moves */
  if (self->popover != NULL)
    show_explanation (self, 0, 0, NULL);
  on_layout_changed (self);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
ls_timeline_dispose (GObject *object)
{
  LsTimeline *self = LS_TIMELINE (object);

  g_signal_group_set_target (self->session_signals, NULL);
  g_signal_group_set_target (self->layout_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->layout_signals);
  g_clear_object (&self->session);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);
  g_clear_object (&self->hadjustment);
  g_clear_pointer (&self->explanation, g_free);

  G_OBJECT_CLASS (ls_timeline_parent_class)->dispose (object);
}

static void
ls_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LsTimeline *self = LS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_LABEL_WIDTH:
      g_value_set_double (value, self->label_width);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LsTimeline *self = LS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      ls_timeline_set_session (self, g_value_get_object (value));
      break;
    case PROP_LABEL_WIDTH:
      ls_timeline_set_label_width (self, g_value_get_double (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_timeline_class_init (LsTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_timeline_dispose;
  object_class->get_property = ls_timeline_get_property;
  object_class->set_property = ls_timeline_set_property;

  widget_class->snapshot = ls_timeline_snapshot;
  widget_class->measure = ls_timeline_measure;
  widget_class->size_allocate = ls_timeline_size_allocate;
  widget_class->query_tooltip = ls_timeline_query_tooltip;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL_WIDTH] =
    g_param_spec_double ("label-width", NULL, NULL, LS_TIMELINE_MIN_LABEL_WIDTH,
                         LS_TIMELINE_MAX_LABEL_WIDTH, LS_TIMELINE_LABEL_WIDTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_install_action (widget_class, "timeline.toggle-pin", "u", toggle_pin_action);
  gtk_widget_class_install_action (widget_class, "timeline.toggle-group", "u",
                                   toggle_group_action);
  gtk_widget_class_install_action (widget_class, "timeline.related-to", "u", related_to_action);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_timeline_init (LsTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *drag;
  GtkWidget *label;

  self->hover_lane = -1;
  self->label_width = LS_TIMELINE_LABEL_WIDTH;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->session_signals = g_signal_group_new (LS_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "changed",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_group_connect_swapped (self->session_signals, "loaded",
                                  G_CALLBACK (on_session_loaded), self);
  g_signal_group_connect_swapped (self->session_signals, "range-changed",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::cursor",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::iteration-view",
                                  G_CALLBACK (update_vadjustment), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::selected-lane",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::playing",
                                  G_CALLBACK (update_tick), self);
  self->layout_signals = g_signal_group_new (LS_TYPE_LANE_LAYOUT);
  g_signal_group_connect_swapped (self->layout_signals, "changed",
                                  G_CALLBACK (on_layout_changed), self);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  drag = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_SECONDARY);
  g_signal_connect (drag, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* touchpad and touchscreen pinch */
  drag = gtk_gesture_zoom_new ();
  g_signal_connect (drag, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (drag, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  /* the explanation of a mark clicked, and a row's menu */
  self->popover = gtk_popover_new ();
  label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 56);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (self->popover, "loopscope-explanation");
  gtk_popover_set_child (GTK_POPOVER (self->popover), label);
  gtk_popover_set_autohide (GTK_POPOVER (self->popover), FALSE);
  g_signal_connect_swapped (self->popover, "closed", G_CALLBACK (on_popover_closed), self);
  self->popover_label = GTK_LABEL (label);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  self->menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
}

GtkWidget *
ls_timeline_new (void)
{
  return g_object_new (LS_TYPE_TIMELINE, NULL);
}

LsSession *
ls_timeline_get_session (LsTimeline *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE (self), NULL);
  return self->session;
}

void
ls_timeline_set_session (LsTimeline *self,
                         LsSession  *session)
{
  g_return_if_fail (LS_IS_TIMELINE (self));
  g_return_if_fail (session == NULL || LS_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  on_session_loaded (self);
  update_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

double
ls_timeline_get_label_width (LsTimeline *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE (self), LS_TIMELINE_LABEL_WIDTH);
  return self->label_width;
}

void
ls_timeline_set_label_width (LsTimeline *self,
                             double      width)
{
  g_return_if_fail (LS_IS_TIMELINE (self));

  width = round (CLAMP (width, LS_TIMELINE_MIN_LABEL_WIDTH, LS_TIMELINE_MAX_LABEL_WIDTH));
  if (width == self->label_width)
    return;
  self->label_width = width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL_WIDTH]);
}
