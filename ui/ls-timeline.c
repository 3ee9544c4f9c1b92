/* SPDX-License-Identifier: MIT
 *
 * The timeline widget. Drawing is the renderer's; this file maps input to
 * the visible range: Ctrl+scroll and +/- zoom, scrolling, dragging and the
 * arrow keys pan, 0 fits the whole trace. While "follow" is set the view
 * keeps the end of a running trace in sight; panning clears it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ls-timeline.h"
#include "ls-timeline-renderer.h"

#define MIN_RANGE_NS G_GINT64_CONSTANT (100)            /* 100 ns across the plot */
#define MAX_RANGE_NS G_GINT64_CONSTANT (100000000000000) /* a day and more */
#define EMPTY_RANGE_NS G_GINT64_CONSTANT (1000000000)   /* what an empty trace shows */

struct _LsTimeline
{
  GtkWidget        parent_instance;

  LsTimelineModel *model;
  gulong           changed_id;
  guint            n_rows;     /* when it changes, the natural height does */

  gboolean         fit;        /* the range is the whole trace, recomputed as it grows */
  gint64           t0, t1;     /* the range when not fitting */
  gboolean         follow;
  int              selected_lane;
  gint64           cursor_time;
  double           scroll_y;

  double           pointer_x;
  int              hover_lane;  /* the lane under the pointer, or -1 */
  gboolean         drag_cursor; /* the drag began on the axis: it moves the cursor */
  gboolean         dragged;
  gint64           drag_t0, drag_t1;
  double           drag_scroll_y;
  double           pinch_scale; /* the zoom gesture's scale so far */
};

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_FOLLOW,
  PROP_SELECTED_LANE,
  PROP_CURSOR_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LsTimeline, ls_timeline, GTK_TYPE_WIDGET)

/* ---- the visible range --------------------------------------------------- */

static gint64
end_time (LsTimeline *self)
{
  return self->model != NULL ? ls_timeline_model_get_end_time (self->model) : 0;
}

static void
fit_range (LsTimeline *self,
           gint64     *t0,
           gint64     *t1)
{
  gint64 end = end_time (self);

  *t0 = 0;
  /* a little room right of the end, for the final marks */
  *t1 = end > 0 ? end + MAX (end / 25, MIN_RANGE_NS) : EMPTY_RANGE_NS;
}

void
ls_timeline_get_range (LsTimeline *self,
                       gint64     *t0,
                       gint64     *t1)
{
  g_return_if_fail (LS_IS_TIMELINE (self));

  if (self->fit)
    fit_range (self, t0, t1);
  else
    {
      *t0 = self->t0;
      *t1 = self->t1;
    }
}

/* Leaves fit mode, keeping what is on screen. */
static void
unfit (LsTimeline *self)
{
  if (!self->fit)
    return;
  fit_range (self, &self->t0, &self->t1);
  self->fit = FALSE;
}

void
ls_timeline_set_range (LsTimeline *self,
                       gint64      t0,
                       gint64      t1)
{
  gint64 span;

  g_return_if_fail (LS_IS_TIMELINE (self));

  span = CLAMP (t1 - t0, MIN_RANGE_NS, MAX_RANGE_NS);
  self->fit = FALSE;
  self->t0 = t0;
  self->t1 = t0 + span;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
plot_width (LsTimeline *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - LS_TIMELINE_LABEL_WIDTH);
}

void
ls_timeline_zoom (LsTimeline *self,
                  double      factor,
                  double      anchor_x)
{
  gint64 t0, t1, anchor, span;
  double frac;

  g_return_if_fail (LS_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  ls_timeline_get_range (self, &t0, &t1);
  frac = CLAMP ((anchor_x - LS_TIMELINE_LABEL_WIDTH) / plot_width (self), 0.0, 1.0);
  anchor = t0 + (gint64) ((double) (t1 - t0) * frac);
  span = CLAMP ((gint64) ((double) (t1 - t0) / factor), MIN_RANGE_NS, MAX_RANGE_NS);
  /* the time under the pointer stays under the pointer */
  t0 = anchor - (gint64) ((double) span * frac);
  ls_timeline_set_range (self, t0, t0 + span);
}

void
ls_timeline_zoom_to_fit (LsTimeline *self)
{
  g_return_if_fail (LS_IS_TIMELINE (self));

  self->fit = TRUE;
  ls_timeline_set_follow (self, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zoom so that the selected lane's whole life fits, with a margin. */
void
ls_timeline_zoom_to_selection (LsTimeline *self)
{
  const LsTimelineLane *lane;
  gint64 start = G_MAXINT64, end = G_MININT64, margin;
  GArray *parts[3];

  g_return_if_fail (LS_IS_TIMELINE (self));
  if (self->model == NULL || self->selected_lane < 0
      || (lane = ls_timeline_model_get_lane (self->model, self->selected_lane)) == NULL)
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
          b = ls_timeline_model_get_end_time (self->model);
        start = MIN (start, a);
        end = MAX (end, b);
      }
  if (start > end)
    return;
  margin = MAX ((end - start) / 20, 1000);
  ls_timeline_set_follow (self, FALSE);
  ls_timeline_set_range (self, start - margin, end + margin);
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
    x = LS_TIMELINE_LABEL_WIDTH + plot_width (self) / 2;
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
  gint64 t0, t1;
  double ns_per_px;

  ls_timeline_get_range (self, &t0, &t1);
  ns_per_px = (double) (t1 - t0) / plot_width (self);
  ls_timeline_set_follow (self, FALSE);
  ls_timeline_set_range (self, t0 + (gint64) (dx * ns_per_px), t1 + (gint64) (dx * ns_per_px));
}

static double
max_scroll (LsTimeline *self)
{
  if (self->model == NULL)
    return 0;
  return MAX (0.0, ls_timeline_content_height (self->model)
                   - gtk_widget_get_height (GTK_WIDGET (self)));
}

static void
scroll_to (LsTimeline *self,
           double      y)
{
  self->scroll_y = CLAMP (y, 0.0, max_scroll (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* While following, a zoomed-in view slides so the end stays in sight. */
static void
follow_end (LsTimeline *self)
{
  gint64 end = end_time (self);
  gint64 span;

  if (!self->follow || self->fit)
    return;
  span = self->t1 - self->t0;
  if (end > self->t1 - span / 20)
    {
      self->t1 = end + span / 20;
      self->t0 = self->t1 - span;
    }
}

/* ---- the view -------------------------------------------------------------- */

static gboolean
is_dark (LsTimeline *self)
{
  gboolean prefer_dark = FALSE;
  GdkRGBA color;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)),
                "gtk-application-prefer-dark-theme", &prefer_dark, NULL);
  if (prefer_dark)
    return TRUE;
  /* a dark theme chosen otherwise shows in the text colour: light text */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5;
}

static void
get_view (LsTimeline     *self,
          LsTimelineView *view)
{
  GtkWidget *widget = GTK_WIDGET (self);

  memset (view, 0, sizeof *view);
  view->width = gtk_widget_get_width (widget);
  view->height = gtk_widget_get_height (widget);
  ls_timeline_get_range (self, &view->t0, &view->t1);
  view->scroll_y = self->scroll_y;
  view->now = self->model != NULL ? end_time (self) : -1;
  view->cursor = self->cursor_time;
  view->selected_lane = self->selected_lane;
  view->dark = is_dark (self);
  view->font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
}

static void
ls_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  LsTimeline *self = LS_TIMELINE (widget);
  LsTimelineView view;
  cairo_t *cr;

  if (self->model == NULL || gtk_widget_get_width (widget) <= 0
      || gtk_widget_get_height (widget) <= 0)
    return;
  get_view (self, &view);
  /* With nothing selected, the arrows follow the pointer: the lane under it
   * shows who woke it and whom it woke. */
  if (view.selected_lane < 0)
    view.selected_lane = self->hover_lane;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, view.width, view.height));
  ls_timeline_render (cr, self->model, &view);
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
      *minimum = (int) LS_TIMELINE_LABEL_WIDTH + 200;
      *natural = (int) LS_TIMELINE_LABEL_WIDTH + 640;
    }
  else
    {
      *minimum = (int) (LS_TIMELINE_AXIS_HEIGHT + 3 * LS_TIMELINE_LANE_HEIGHT);
      *natural = self->model != NULL ? (int) ls_timeline_content_height (self->model)
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

  self->scroll_y = CLAMP (self->scroll_y, 0.0, max_scroll (self));
}

/* ---- input ------------------------------------------------------------------ */

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LsTimeline               *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

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
        scroll_to (self, self->scroll_y + dy * LS_TIMELINE_LANE_HEIGHT);
      else
        pan_by_pixels (self, dy * 40.0);
    }
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LsTimeline               *self)
{
  LsTimelineView view;
  int row, lane = -1;

  self->pointer_x = x;
  if (self->model == NULL)
    return;
  get_view (self, &view);
  row = ls_timeline_view_row_at_y (&view, self->model, y);
  if (row >= 0 && (guint) row < ls_timeline_model_get_n_rows (self->model))
    lane = (int) ls_timeline_model_get_row_lane (self->model, row);
  if (lane != self->hover_lane)
    {
      self->hover_lane = lane;
      if (self->selected_lane < 0)
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

  get_view (self, &view);
  ls_timeline_set_cursor_time (self, MAX (0, ls_timeline_view_x_to_time (&view, MAX (x, LS_TIMELINE_LABEL_WIDTH))));
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LsTimeline     *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->dragged = FALSE;
  self->drag_cursor = y < LS_TIMELINE_AXIS_HEIGHT && x >= LS_TIMELINE_LABEL_WIDTH;
  ls_timeline_get_range (self, &self->drag_t0, &self->drag_t1);
  self->drag_scroll_y = self->scroll_y;
  if (self->drag_cursor)
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
  if (self->drag_cursor)
    {
      set_cursor_at_x (self, start_x + offset_x);
      return;
    }
  if (!self->dragged && fabs (offset_x) < 4 && fabs (offset_y) < 4)
    return;
  self->dragged = TRUE;
  ns_per_px = (double) (self->drag_t1 - self->drag_t0) / plot_width (self);
  dt = (gint64) (-offset_x * ns_per_px);
  ls_timeline_set_follow (self, FALSE);
  ls_timeline_set_range (self, self->drag_t0 + dt, self->drag_t1 + dt);
  scroll_to (self, self->drag_scroll_y - offset_y);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             LsTimeline     *self)
{
  double start_x, start_y;
  LsTimelineView view;
  int row;

  if (self->drag_cursor || self->dragged)
    return;
  /* a click: select the lane under it, or nothing */
  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);
  if (self->model == NULL)
    return;
  get_view (self, &view);
  row = ls_timeline_view_row_at_y (&view, self->model, start_y);
  ls_timeline_set_selected_lane (self, row >= 0 ? (int) ls_timeline_model_get_row_lane (self->model, row)
                                                : -1);
}

static void
select_row_step (LsTimeline *self,
                 int         step)
{
  int n_rows, row;

  if (self->model == NULL || (n_rows = ls_timeline_model_get_n_rows (self->model)) == 0)
    return;
  row = self->selected_lane >= 0
        ? ls_timeline_model_get_lane_row (self->model, self->selected_lane) : -1;
  row = row < 0 ? (step > 0 ? 0 : n_rows - 1) : CLAMP (row + step, 0, n_rows - 1);
  ls_timeline_set_selected_lane (self, ls_timeline_model_get_row_lane (self->model, row));

  /* keep it in view */
  {
    double y = LS_TIMELINE_AXIS_HEIGHT + row * LS_TIMELINE_LANE_HEIGHT - self->scroll_y;
    double h = gtk_widget_get_height (GTK_WIDGET (self));

    if (y < LS_TIMELINE_AXIS_HEIGHT)
      scroll_to (self, row * LS_TIMELINE_LANE_HEIGHT);
    else if (y + LS_TIMELINE_LANE_HEIGHT > h)
      scroll_to (self, self->scroll_y + (y + LS_TIMELINE_LANE_HEIGHT - h));
  }
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LsTimeline            *self)
{
  double centre = LS_TIMELINE_LABEL_WIDTH + plot_width (self) / 2;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      ls_timeline_zoom (self, 1.5, centre);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      ls_timeline_zoom (self, 1 / 1.5, centre);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
    case GDK_KEY_Home:
      ls_timeline_zoom_to_fit (self);
      return TRUE;
    case GDK_KEY_s:
      ls_timeline_zoom_to_selection (self);
      return TRUE;
    /* Plain → steps the loop (a window shortcut): panning takes Shift */
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
      ls_timeline_set_cursor_time (self, -1);
      ls_timeline_set_selected_lane (self, -1);
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
  int i = ls_timeline_model_find_span (self->model, index, t);
  const LsTimelineSpan *span;
  GString *text;
  gint64 end;
  g_autofree char *range = NULL;

  if (i < 0)
    return g_strdup (lane->label);
  span = &g_array_index (lane->spans, LsTimelineSpan, i);
  end = span->end_ns == LS_TIMELINE_OPEN ? end_time (self) : span->end_ns;
  text = g_string_new (lane->label);
  g_string_append_printf (text, "\n%s", ls_task_state_name (span->state));
  if (span->state == LS_TASK_STATE_WAITING)
    {
      int on = ls_timeline_model_find_lane (self->model, span->wait_object);

      /* Translators: after a task state: "waiting on sleep" */
      g_string_append_printf (text, _(" on %s"), ls_wait_reason_name (span->wait_reason));
      if (on >= 0)
        g_string_append_printf (text, " (%s)",
                                ls_timeline_model_get_lane (self->model, on)->label);
    }
  range = format_range (span->start_ns, end);
  g_string_append_printf (text, "\n%s%s", range,
                          span->end_ns == LS_TIMELINE_OPEN ? _(", still going") : "");
  return g_string_free (text, FALSE);
}

static char *
primitive_tooltip (LsTimeline           *self,
                   const LsTimelineLane *lane,
                   gint64                t)
{
  GString *text = g_string_new (lane->label);

  for (guint i = 0; lane->holds != NULL && i < lane->holds->len; i++)
    {
      const LsTimelineHold *h = &g_array_index (lane->holds, LsTimelineHold, i);
      gint64 end = h->end_ns == LS_TIMELINE_OPEN ? end_time (self) : h->end_ns;
      g_autofree char *range = NULL;

      if (t < h->start_ns || t > end)
        continue;
      range = format_range (h->start_ns, end);
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              lane->object_kind == LS_OBJECT_EVENT ? _("set by %s") : _("held by %s"),
                              ls_timeline_model_get_task_name (self->model, h->task_id));
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

static gboolean
ls_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  LsTimeline *self = LS_TIMELINE (widget);
  LsTimelineView view;
  const LsTimelineLane *lane;
  g_autofree char *text = NULL;
  guint index;
  gint64 t;
  int row;

  if (self->model == NULL || keyboard_mode)
    return FALSE;
  get_view (self, &view);
  row = ls_timeline_view_row_at_y (&view, self->model, y);
  if (row < 0)
    return FALSE;
  index = ls_timeline_model_get_row_lane (self->model, row);
  lane = ls_timeline_model_get_lane (self->model, index);
  if (x < LS_TIMELINE_LABEL_WIDTH)
    {
      gtk_tooltip_set_text (tooltip, lane->label);
      return TRUE;
    }
  t = ls_timeline_view_x_to_time (&view, x);
  text = ls_timeline_describe (self, index, t);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

char *
ls_timeline_describe (LsTimeline *self,
                      guint       lane,
                      gint64      time_ns)
{
  const LsTimelineLane *l;

  g_return_val_if_fail (LS_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (self->model != NULL, NULL);
  l = ls_timeline_model_get_lane (self->model, lane);
  if (l->kind == LS_TIMELINE_LANE_TASK)
    return task_tooltip (self, l, lane, time_ns);
  return primitive_tooltip (self, l, time_ns);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
on_model_changed (LsTimelineModel *model,
                  LsTimeline      *self)
{
  guint n_rows = ls_timeline_model_get_n_rows (model);

  follow_end (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* the natural height follows the lanes, which change far less often */
  if (n_rows != self->n_rows)
    {
      self->n_rows = n_rows;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
}

static void
ls_timeline_dispose (GObject *object)
{
  LsTimeline *self = LS_TIMELINE (object);

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_id, self->model);
  g_clear_object (&self->model);

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
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_SELECTED_LANE:
      g_value_set_int (value, self->selected_lane);
      break;
    case PROP_CURSOR_TIME:
      g_value_set_int64 (value, self->cursor_time);
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
    case PROP_FOLLOW:
      ls_timeline_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED_LANE:
      ls_timeline_set_selected_lane (self, g_value_get_int (value));
      break;
    case PROP_CURSOR_TIME:
      ls_timeline_set_cursor_time (self, g_value_get_int64 (value));
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

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, LS_TYPE_TIMELINE_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* the view keeps the end of a growing trace in sight; panning clears it */
  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* a lane index (creation order, see LsTimelineModel), or -1 */
  properties[PROP_SELECTED_LANE] =
    g_param_spec_int ("selected-lane", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURSOR_TIME] =
    g_param_spec_int64 ("cursor-time", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_timeline_init (LsTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *drag;

  self->fit = TRUE;
  self->follow = TRUE;
  self->selected_lane = -1;
  self->hover_lane = -1;
  self->cursor_time = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

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

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* touchpad and touchscreen pinch */
  drag = gtk_gesture_zoom_new ();
  g_signal_connect (drag, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (drag, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
ls_timeline_new (void)
{
  return g_object_new (LS_TYPE_TIMELINE, NULL);
}

/**
 * ls_timeline_set_trace:
 * @trace: (nullable): the trace to draw
 *
 * Builds a new model from @trace (and follows it as it grows); the view
 * fits the whole trace and follows its end.
 */
void
ls_timeline_set_trace (LsTimeline *self,
                       LsTrace    *trace)
{
  g_return_if_fail (LS_IS_TIMELINE (self));
  g_return_if_fail (trace == NULL || LS_IS_TRACE (trace));

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_id, self->model);
  g_clear_object (&self->model);
  if (trace != NULL)
    {
      self->model = ls_timeline_model_new (trace);
      self->n_rows = ls_timeline_model_get_n_rows (self->model);
      self->changed_id = g_signal_connect (self->model, "changed",
                                           G_CALLBACK (on_model_changed), self);
    }
  self->fit = TRUE;
  self->scroll_y = 0;
  self->hover_lane = -1; /* the old trace's lane, until the pointer moves */
  ls_timeline_set_follow (self, TRUE);
  ls_timeline_set_selected_lane (self, -1);
  ls_timeline_set_cursor_time (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

LsTimelineModel *
ls_timeline_get_model (LsTimeline *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE (self), NULL);
  return self->model;
}

gboolean
ls_timeline_get_follow (LsTimeline *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE (self), FALSE);
  return self->follow;
}

void
ls_timeline_set_follow (LsTimeline *self,
                        gboolean    follow)
{
  g_return_if_fail (LS_IS_TIMELINE (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  if (!follow)
    unfit (self);
  else
    follow_end (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

int
ls_timeline_get_selected_lane (LsTimeline *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE (self), -1);
  return self->selected_lane;
}

void
ls_timeline_set_selected_lane (LsTimeline *self,
                               int         lane)
{
  g_return_if_fail (LS_IS_TIMELINE (self));

  lane = MAX (lane, -1);
  if (self->selected_lane == lane)
    return;
  self->selected_lane = lane;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_LANE]);
}

gint64
ls_timeline_get_cursor_time (LsTimeline *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE (self), -1);
  return self->cursor_time;
}

void
ls_timeline_set_cursor_time (LsTimeline *self,
                             gint64      time_ns)
{
  g_return_if_fail (LS_IS_TIMELINE (self));

  time_ns = MAX (time_ns, -1);
  if (self->cursor_time == time_ns)
    return;
  self->cursor_time = time_ns;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR_TIME]);
}
