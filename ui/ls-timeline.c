/* SPDX-License-Identifier: MIT
 *
 * The timeline widget. Drawing is the renderer's, and the cursor, the
 * selection and the visible range are the session's: this file maps input
 * to them. Ctrl+scroll, pinch and +/- zoom, scrolling, dragging and the
 * arrow keys pan, 0 fits the whole run, a drag on the time axis scrubs.
 * While the session plays, a tick callback redraws every frame so "now"
 * and the open spans advance with the paced clock between records.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-timeline.h"
#include "ls-timeline-renderer.h"

struct _LsTimeline
{
  GtkWidget        parent_instance;

  LsSession       *session;
  GSignalGroup    *session_signals;
  guint            n_rows;      /* when it changes, the natural height does */
  guint            tick_id;     /* redraws every frame while playing */
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
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LsTimeline, ls_timeline, GTK_TYPE_WIDGET)

/* ---- the visible range --------------------------------------------------- */

static LsInterpreter *
interpreter (LsTimeline *self)
{
  return self->session != NULL ? ls_session_get_interpreter (self->session) : NULL;
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
  gint64 t0 = 0, t1 = 1, anchor, span;
  double frac;

  g_return_if_fail (LS_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  if (self->session == NULL)
    return;
  ls_session_get_range (self->session, &t0, &t1);
  frac = CLAMP ((anchor_x - LS_TIMELINE_LABEL_WIDTH) / plot_width (self), 0.0, 1.0);
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
  if ((model = interpreter (self)) == NULL
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
          b = ls_session_get_now (self->session);
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

static double
max_scroll (LsTimeline *self)
{
  if (interpreter (self) == NULL)
    return 0;
  return MAX (0.0, ls_timeline_content_height (interpreter (self))
                   - gtk_widget_get_height (GTK_WIDGET (self)));
}

static void
scroll_to (LsTimeline *self,
           double      y)
{
  self->scroll_y = CLAMP (y, 0.0, max_scroll (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  view->scroll_y = self->scroll_y;
  view->now = -1;
  view->cursor = -1;
  view->selected_lane = -1;
  view->t1 = 1;
  if (self->session != NULL)
    {
      ls_session_get_range (self->session, &view->t0, &view->t1);
      view->now = ls_session_get_now (self->session);
      view->cursor = ls_session_get_cursor (self->session);
      view->selected_lane = ls_session_get_selected_lane (self->session);
    }
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

  if (interpreter (self) == NULL || gtk_widget_get_width (widget) <= 0
      || gtk_widget_get_height (widget) <= 0)
    return;
  ls_timeline_get_view (self, &view);
  /* With nothing selected, the arrows follow the pointer: the lane under it
   * shows who woke it and whom it woke. */
  if (view.selected_lane < 0)
    view.selected_lane = self->hover_lane;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, view.width, view.height));
  ls_timeline_render (cr, interpreter (self), &view);
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
      *natural = interpreter (self) != NULL
                 ? (int) ls_timeline_content_height (interpreter (self)) : *minimum;
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
        scroll_to (self, self->scroll_y + dy * LS_TIMELINE_LANE_HEIGHT);
      else
        pan_by_pixels (self, dy * 40.0);
    }
  return TRUE;
}

/* The lane of the row at @y, or -1. */
static int
lane_at_y (LsTimeline *self,
           double      y)
{
  LsTimelineView view;
  int row;

  if (interpreter (self) == NULL)
    return -1;
  ls_timeline_get_view (self, &view);
  row = ls_timeline_view_row_at_y (&view, interpreter (self), y);
  if (row < 0 || (guint) row >= ls_interpreter_get_n_rows (interpreter (self)))
    return -1;
  return (int) ls_interpreter_get_row_lane (interpreter (self), row);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LsTimeline               *self)
{
  int lane;

  self->pointer_x = x;
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
  ls_session_set_cursor (self->session,
                         MAX (0, ls_timeline_view_x_to_time (&view,
                                                             MAX (x, LS_TIMELINE_LABEL_WIDTH))));
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
  self->drag_cursor = y < LS_TIMELINE_AXIS_HEIGHT && x >= LS_TIMELINE_LABEL_WIDTH;
  ls_session_get_range (self->session, &self->drag_t0, &self->drag_t1);
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
  ls_session_set_follow (self->session, FALSE);
  ls_session_set_range (self->session, self->drag_t0 + dt, self->drag_t1 + dt);
  scroll_to (self, self->drag_scroll_y - offset_y);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             LsTimeline     *self)
{
  double start_x, start_y;

  if (self->drag_cursor || self->dragged || self->session == NULL)
    return;
  /* a click: select the lane under it, or nothing */
  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);
  ls_session_set_selected_lane (self->session, lane_at_y (self, start_y));
}

static void
select_row_step (LsTimeline *self,
                 int         step)
{
  LsInterpreter *model = interpreter (self);
  int n_rows, row, selected;

  if (model == NULL || (n_rows = ls_interpreter_get_n_rows (model)) == 0)
    return;
  selected = ls_session_get_selected_lane (self->session);
  row = selected >= 0 ? ls_interpreter_get_lane_row (model, selected) : -1;
  row = row < 0 ? (step > 0 ? 0 : n_rows - 1) : CLAMP (row + step, 0, n_rows - 1);
  ls_session_set_selected_lane (self->session, ls_interpreter_get_row_lane (model, row));

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
  if (self->session == NULL)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_s:
      ls_timeline_zoom_to_selection (self);
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
  int i = ls_interpreter_find_span (model, index, t);
  const LsTimelineSpan *span;
  GString *text;
  gint64 end;
  g_autofree char *range = NULL;

  if (i < 0)
    return g_strdup (lane->label);
  span = &g_array_index (lane->spans, LsTimelineSpan, i);
  end = span->end_ns == LS_TIMELINE_OPEN ? ls_session_get_now (self->session) : span->end_ns;
  text = g_string_new (lane->label);
  g_string_append_printf (text, "\n%s", ls_task_state_name (span->state));
  if (span->state == LS_TASK_STATE_WAITING)
    {
      int on = ls_interpreter_find_lane (model, span->wait_object);

      /* Translators: after a task state: "waiting on sleep" */
      g_string_append_printf (text, _(" on %s"), ls_wait_reason_name (span->wait_reason));
      if (on >= 0)
        g_string_append_printf (text, " (%s)", ls_interpreter_get_lane (model, on)->label);
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
  int lane;

  if (interpreter (self) == NULL || keyboard_mode || (lane = lane_at_y (self, y)) < 0)
    return FALSE;
  if (x < LS_TIMELINE_LABEL_WIDTH)
    {
      gtk_tooltip_set_text (tooltip, ls_interpreter_get_lane (interpreter (self), lane)->label);
      return TRUE;
    }
  ls_timeline_get_view (self, &view);
  text = ls_timeline_describe (self, lane, ls_timeline_view_x_to_time (&view, x));
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
  g_return_val_if_fail (interpreter (self) != NULL, NULL);
  l = ls_interpreter_get_lane (interpreter (self), lane);
  if (l->kind == LS_TIMELINE_LANE_TASK)
    return task_tooltip (self, l, lane, time_ns);
  return primitive_tooltip (self, l, time_ns);
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

static void
on_session_changed (LsTimeline *self)
{
  guint n_rows = ls_interpreter_get_n_rows (interpreter (self));

  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* the natural height follows the lanes, which change far less often */
  if (n_rows != self->n_rows)
    {
      self->n_rows = n_rows;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
}

static void
on_session_loaded (LsTimeline *self)
{
  self->scroll_y = 0;
  self->hover_lane = -1; /* the old run's lane, until the pointer moves */
  self->n_rows = interpreter (self) != NULL ? ls_interpreter_get_n_rows (interpreter (self)) : 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* ---- GObject ------------------------------------------------------------------ */

static void
ls_timeline_dispose (GObject *object)
{
  LsTimeline *self = LS_TIMELINE (object);

  g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);

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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_timeline_init (LsTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *drag;

  self->hover_lane = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->session_signals = g_signal_group_new (LS_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "changed",
                                  G_CALLBACK (on_session_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "loaded",
                                  G_CALLBACK (on_session_loaded), self);
  g_signal_group_connect_swapped (self->session_signals, "range-changed",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::cursor",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::selected-lane",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::playing",
                                  G_CALLBACK (update_tick), self);

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
