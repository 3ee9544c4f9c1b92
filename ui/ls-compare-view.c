/* SPDX-License-Identifier: MIT
 *
 * The compare view. Drawing is ls_compare_render's; the cursor is the
 * session's, so the panes follow a scrub here as they follow one on the
 * timeline. Both runs are shown whole (the range fits the longer one),
 * each run's lanes scroll on their own, and while the session plays a
 * tick callback redraws every frame so the run being made advances.
 */
#include "config.h"

#include "ls-compare-view.h"

#include "ls-timeline.h"

#include <math.h>
#include <string.h>

#include "ls-compare-renderer.h"

struct _LsCompareView
{
  GtkWidget   parent_instance;

  LsSession  *session;
  LsCompare  *compare;
  double      scroll_y[2];
  guint       tick_id;
};

G_DEFINE_FINAL_TYPE (LsCompareView, ls_compare_view, GTK_TYPE_WIDGET)

/* The session's run is the one still growing: its "now" is the session's. */
static gint64
now_of (LsCompareView *self,
        LsCompareSide  side)
{
  LsInterpreter *model = ls_compare_get_interpreter (self->compare, side);

  if (self->session != NULL && ls_session_get_interpreter (self->session) == model
      && ls_session_get_playing (self->session))
    return ls_session_get_now (self->session);
  return -1;
}

static void
get_frame (LsCompareView  *self,
           LsCompareFrame *frame)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gint64 end = 0;

  memset (frame, 0, sizeof *frame);
  frame->width = gtk_widget_get_width (widget);
  frame->height = gtk_widget_get_height (widget);
  for (guint side = 0; side < 2; side++)
    {
      frame->now[side] = now_of (self, side);
      end = MAX (end, MAX (ls_compare_get_duration (self->compare, side), frame->now[side]));
      frame->scroll_y[side] = self->scroll_y[side];
    }
  frame->t0 = 0;
  frame->t1 = end > 0 ? end + MAX (end / 25, 100) : G_GINT64_CONSTANT (1000000000);
  frame->cursor = self->session != NULL ? ls_session_get_cursor (self->session) : -1;
  frame->dark = ls_timeline_widget_is_dark (widget);
}

static void
ls_compare_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  LsCompareView *self = LS_COMPARE_VIEW (widget);
  LsCompareFrame frame;
  cairo_t *cr;

  if (self->compare == NULL || gtk_widget_get_width (widget) <= 0
      || gtk_widget_get_height (widget) <= 0)
    return;
  get_frame (self, &frame);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, frame.width,
                                                                 frame.height));
  ls_compare_render (cr, self->compare, &frame);
  cairo_destroy (cr);
}

static void
ls_compare_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) LS_TIMELINE_LABEL_WIDTH + 200;
      *natural = (int) LS_TIMELINE_LABEL_WIDTH + 640;
    }
  else
    {
      *minimum = (int) (2 * (LS_COMPARE_HEADER_HEIGHT + LS_TIMELINE_AXIS_HEIGHT
                             + 2 * LS_TIMELINE_LANE_HEIGHT) + 60);
      *natural = MAX (*minimum, 600);
    }
}

gint64
ls_compare_view_time_at (LsCompareView *self,
                         double         x)
{
  LsCompareFrame frame;
  LsTimelineView view = { 0 };

  g_return_val_if_fail (LS_IS_COMPARE_VIEW (self), -1);
  if (self->compare == NULL)
    return -1;
  get_frame (self, &frame);
  view.width = frame.width;
  view.t0 = frame.t0;
  view.t1 = frame.t1;
  return MAX (0, ls_timeline_view_x_to_time (&view, x));
}

/* The run whose lanes are at @y, or -1 (a band, the summary). */
static int
side_at (LsCompareView *self,
         double         y)
{
  LsCompareFrame frame;
  LsCompareLayout layout;

  get_frame (self, &frame);
  ls_compare_get_layout (self->compare, &frame, &layout);
  for (int side = 0; side < 2; side++)
    if (y >= layout.timeline_y[side] && y < layout.timeline_y[side] + layout.timeline_h[side])
      return side;
  return -1;
}

static void
scrub (LsCompareView *self,
       double         x,
       double         y)
{
  if (self->compare == NULL || self->session == NULL || x < LS_TIMELINE_LABEL_WIDTH
      || side_at (self, y) < 0)
    return;
  ls_session_set_cursor (self->session, ls_compare_view_time_at (self, x));
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            LsCompareView   *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  scrub (self, x, y);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                LsCompareView  *self)
{
  double x, y;

  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    scrub (self, x + dx, y);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LsCompareView            *self)
{
  double x, y;
  int side;
  LsCompareFrame frame;
  LsCompareLayout layout;
  double most;

  if (self->compare == NULL)
    return FALSE;
  /* the pointer's position: the last motion the controller saw */
  if (!gdk_event_get_position (gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller)),
                               &x, &y))
    return FALSE;
  if ((side = side_at (self, y)) < 0)
    return FALSE;
  get_frame (self, &frame);
  ls_compare_get_layout (self->compare, &frame, &layout);
  most = MAX (0, ls_timeline_content_height (ls_compare_get_lane_layout (self->compare, side))
                 - layout.timeline_h[side]);
  self->scroll_y[side] = CLAMP (self->scroll_y[side] + dy * LS_TIMELINE_LANE_HEIGHT, 0, most);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static gboolean
tick (GtkWidget     *widget,
      GdkFrameClock *clock,
      gpointer       data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
on_playing_changed (LsCompareView *self)
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

void
ls_compare_view_set_session (LsCompareView *self,
                             LsSession     *session)
{
  g_return_if_fail (LS_IS_COMPARE_VIEW (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::cursor", G_CALLBACK (gtk_widget_queue_draw),
                                self);
      g_signal_connect_swapped (session, "notify::playing", G_CALLBACK (on_playing_changed),
                                self);
    }
  on_playing_changed (self);
}

void
ls_compare_view_set_compare (LsCompareView *self,
                             LsCompare     *compare)
{
  g_return_if_fail (LS_IS_COMPARE_VIEW (self));

  if (!g_set_object (&self->compare, compare))
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

LsCompare *
ls_compare_view_get_compare (LsCompareView *self)
{
  g_return_val_if_fail (LS_IS_COMPARE_VIEW (self), NULL);
  return self->compare;
}

static void
ls_compare_view_dispose (GObject *object)
{
  LsCompareView *self = LS_COMPARE_VIEW (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->compare);

  G_OBJECT_CLASS (ls_compare_view_parent_class)->dispose (object);
}

static void
ls_compare_view_class_init (LsCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_compare_view_dispose;
  widget_class->snapshot = ls_compare_view_snapshot;
  widget_class->measure = ls_compare_view_measure;
  gtk_widget_class_set_css_name (widget_class, "loopscope-compare");
}

static void
ls_compare_view_init (LsCompareView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

GtkWidget *
ls_compare_view_new (void)
{
  return g_object_new (LS_TYPE_COMPARE_VIEW, NULL);
}
