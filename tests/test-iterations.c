/* SPDX-License-Identifier: MIT
 *
 * The iteration view, in the window under Xvfb and driven as a user drives
 * it: the I key and the toggle switch it, and what the renderer drew
 * (LsTimelineItem) shows a same-instant chain spread out left to right in
 * the order it happened. Scrubbing its axis puts the cursor between two
 * records of one instant, and the ready queue at the cursor is a strip of
 * chips. The map from steps to iterations and callbacks is checked on its
 * own first.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "ls-application.h"
#include "ls-describe.h"
#include "ls-export-dialog.h"
#include "ls-test-input.h"
#include "ls-test-window.h"
#include "ls-test-scenario.h"
#include "ls-window-private.h"

static LsApplication *app;

#define MS G_GINT64_CONSTANT (1000000)

/* The window with @id run to its end */
static LsWindow *
window_after (const char *id)
{
  LsWindow *window = ls_test_active_window (app);
  LsSession *session = ls_window_get_session (window);

  ls_session_set_speed (session, LS_LOOP_INSTANT);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  g_assert_true (ls_window_load_scenario_id (window, id, 0));
  ls_test_window_ready (GTK_WINDOW (window));
  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_input_settle ();
  return window;
}

static int
lane_labelled (LsSession  *session,
               const char *label)
{
  LsInterpreter *model = ls_session_get_interpreter (session);

  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    if (g_strcmp0 (ls_interpreter_get_lane (model, i)->label, label) == 0)
      return (int) i;
  return -1;
}

/* task-cancel's long task, whatever the language names it: the task the
 * main task created */
static int
long_task_lane (LsSession *session)
{
  LsInterpreter *model = ls_session_get_interpreter (session);

  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    {
      const LsTimelineLane *lane = ls_interpreter_get_lane (model, i);

      if (lane->kind == LS_TIMELINE_LANE_TASK && lane->creator_id != 0)
        return (int) i;
    }
  return -1;
}

/* What the timeline draws now, item by item */
static GArray *
drawn (LsWindow       *window,
       LsTimelineView *view)
{
  GArray *record = g_array_new (FALSE, TRUE, sizeof (LsTimelineItem));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  LsSession *session = ls_window_get_session (window);
  LsInterpreter *model;

  ls_timeline_get_view (window->timeline, view);
  model = view->iterations != NULL ? ls_iteration_map_get_interpreter (view->iterations)
                                   : ls_session_get_interpreter (session);
  ls_timeline_render_recorded (cr, model, view, record);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return record;
}

static const LsTimelineItem *
find_item (GArray            *record,
           LsTimelineItemKind kind,
           int                lane,
           int                state)
{
  const LsTimelineItem *found = NULL;

  /* the last one: the end of the run */
  for (guint i = 0; i < record->len; i++)
    {
      const LsTimelineItem *item = &g_array_index (record, LsTimelineItem, i);

      if (item->kind == kind && item->lane == lane && (state < 0 || item->state == state))
        found = item;
    }
  return found;
}

/* Writes the window to @name in $LOOPSCOPE_SCREENSHOTS, when set */
static void
screenshot (LsWindow   *window,
            const char *name)
{
  const char *dir = g_getenv ("LOOPSCOPE_SCREENSHOTS");
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  for (int i = 0; i < 5; i++)
    ls_test_input_settle ();
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* "-zh_CN" in Chinese: screenshots in both languages side by side */
static const char *
language_suffix (void)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && g_str_has_prefix (language, "zh") ? "-zh_CN" : "";
}

/* ---- the map ---------------------------------------------------------------------- */

/* Each record has a step, in the order of the records; each callback a
 * slot of its iteration; the cursor's instant and the steps convert both
 * ways. */
static void
test_map (void)
{
  LsWindow *window = window_after ("task-cancel");
  LsTrace *trace = ls_session_get_trace (ls_window_get_session (window));
  g_autoptr(LsIterationMap) map = ls_iteration_map_new (trace);
  GArray *iterations = ls_iteration_map_get_iterations (map);
  GArray *slots = ls_iteration_map_get_slots (map);
  guint64 n = ls_trace_get_n_records (trace);
  guint runs = 0, idle = 0;

  g_assert_cmpuint (iterations->len, >, 10);
  for (guint64 i = 1; i < n; i++)
    g_assert_cmpint (ls_iteration_map_record_step (map, i - 1), <,
                     ls_iteration_map_record_step (map, i));
  for (guint64 i = 0; i < n; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);
      gint64 step = ls_iteration_map_record_step (map, i);
      guint it, slot;

      g_assert_cmpuint (ls_iteration_map_records_until (map, step), ==, i + 1);
      g_assert_cmpint (ls_iteration_map_step_to_time (map, step), ==, r->time);
      if (r->kind != LS_TRACE_HANDLE_RUN)
        continue;
      /* a callback's record is where its slot begins, in its iteration */
      g_assert_true (ls_iteration_map_find (map, step, &it, &slot));
      g_assert_cmpuint (g_array_index (slots, LsIterationSlot, slot).record, ==, i);
      g_assert_cmpuint (g_array_index (slots, LsIterationSlot, slot).task_id, ==, r->subject);
      g_assert_cmpuint (g_array_index (slots, LsIterationSlot, slot).iteration, ==, it);
      g_assert_cmpuint (g_array_index (iterations, LsIteration, it).first_record, <, i);
      g_assert_cmpuint (g_array_index (iterations, LsIteration, it).end_record, >, i);
      runs++;
    }
  g_assert_cmpuint (runs + iterations->len, ==, slots->len);
  /* the loop slept 100 ms at a time between iterations: idle gaps, one
   * narrow column each however long */
  for (guint i = 1; i < iterations->len; i++)
    {
      const LsIteration *a = &g_array_index (iterations, LsIteration, i - 1);
      const LsIteration *b = &g_array_index (iterations, LsIteration, i);

      g_assert_cmpint (b->idle_ns, ==, b->start_ns - a->end_ns);
      if (b->idle_ns > 0)
        {
          g_assert_cmpint (b->idle_ns, ==, 100 * MS);
          idle++;
        }
      g_assert_cmpint (b->x0 - a->x1, <=, LS_ITERATION_GAP + 1000);
    }
  g_assert_cmpuint (idle, >=, 10);
  g_assert_cmpint (ls_iteration_map_time_to_step (map, 100 * MS), ==,
                   ls_iteration_map_record_step (map,
                                                 ls_trace_find_time (trace, 100 * MS + 1) - 1));
}

/* ---- the view in the window --------------------------------------------------------- */

/* task-cancel: at 1 s the main task cancels "Long task" and awaits it. On
 * the time axis the cancel, the CancelledError thrown into the long task,
 * its end and the main task's wake-up are one pixel; in the iteration view
 * (switched with the I key) they read left to right. A click on the toggle
 * switches back. */
static void
test_same_instant_chain (gconstpointer data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  LsWindow *window;
  LsSession *session;
  GtkWidget *timeline;
  g_autoptr(GArray) record = NULL;
  g_autoptr(GArray) time_record = NULL;
  const LsTimelineItem *cancel, *thrown, *done, *wake, *resumed, *label, *t_cancel, *t_done;
  LsTimelineView view;
  int main_lane, long_lane;

  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string (dark ? "dark" : "light"));
  window = window_after ("task-cancel");
  session = ls_window_get_session (window);
  timeline = GTK_WIDGET (window->timeline);
  main_lane = lane_labelled (session, "Task-1");
  long_lane = long_task_lane (session);
  g_assert_cmpint (main_lane, >=, 0);
  g_assert_cmpint (long_lane, >=, 0);

  /* the time view: the chain in one pixel */
  time_record = drawn (window, &view);
  g_assert_null (view.iterations);
  t_cancel = find_item (time_record, LS_TIMELINE_ITEM_CANCEL, long_lane, -1);
  t_done = find_item (time_record, LS_TIMELINE_ITEM_FINAL_MARK, long_lane,
                      LS_TASK_STATE_CANCELLED);
  g_assert_nonnull (t_cancel);
  g_assert_nonnull (t_done);
  g_assert_cmpfloat (ABS ((t_cancel->x0 + t_cancel->x1) / 2 - t_done->x0), <, 2.0);

  /* I: the iteration view */
  gtk_widget_grab_focus (timeline);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_i, 0);
  ls_test_input_settle ();
  g_assert_true (ls_session_get_iteration_view (session));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (window->iteration_toggle)));

  /* select the main task by its label: its wake-up arrow is drawn */
  record = drawn (window, &view);
  label = find_item (record, LS_TIMELINE_ITEM_LABEL, main_lane, -1);
  g_assert_nonnull (label);
  ls_test_click (timeline, 20, (label->y0 + label->y1) / 2);
  ls_test_input_settle ();
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, main_lane);
  g_clear_pointer (&record, g_array_unref);
  record = drawn (window, &view);
  g_assert_nonnull (view.iterations);
  /* the last iterations, where the chain is, fill the view */
  cancel = find_item (record, LS_TIMELINE_ITEM_CANCEL, long_lane, -1);
  g_assert_nonnull (cancel);
  ls_session_set_range (session, cancel->start_ns - 4 * LS_ITERATION_SLOT,
                        cancel->start_ns + 6 * LS_ITERATION_SLOT);
  ls_test_input_settle ();
  g_clear_pointer (&record, g_array_unref);
  record = drawn (window, &view);

  cancel = find_item (record, LS_TIMELINE_ITEM_CANCEL, long_lane, -1);
  thrown = find_item (record, LS_TIMELINE_ITEM_SPAN, long_lane, LS_TASK_STATE_RUNNING);
  done = find_item (record, LS_TIMELINE_ITEM_FINAL_MARK, long_lane, LS_TASK_STATE_CANCELLED);
  wake = NULL;
  for (guint i = 0; i < record->len; i++)
    {
      const LsTimelineItem *item = &g_array_index (record, LsTimelineItem, i);

      if (item->kind == LS_TIMELINE_ITEM_ARROW && item->state == LS_TIMELINE_ARROW_WAKEUP
          && item->from_lane == long_lane && item->to_lane == main_lane)
        wake = item;
    }
  g_assert_nonnull (cancel);
  g_assert_nonnull (thrown);
  g_assert_nonnull (done);
  g_assert_nonnull (wake);
  /* cancel → CancelledError thrown (the long task's last step) → done → the
   * main task woken, left to right, each a few pixels apart */
  g_assert_cmpfloat ((cancel->x0 + cancel->x1) / 2 + 2, <, thrown->x0);
  g_assert_cmpfloat (thrown->x0 + 2, <, done->x0);
  g_assert_cmpfloat (done->x0, <=, wake->x0 + 0.5);
  g_assert_cmpfloat (wake->x0 + 10, <, wake->x1);
  /* … the arrow from its end to its step in the next iteration */
  resumed = find_item (record, LS_TIMELINE_ITEM_SPAN, main_lane, LS_TASK_STATE_RUNNING);
  g_assert_nonnull (resumed);
  g_assert_cmpfloat (done->x0 + 20, <, resumed->x0);
  g_assert_cmpfloat (ABS (wake->x1 - resumed->x0), <, 1.0);
  /* the axis says which iteration and callback is where: the long task's
   * last step is the callback after the main task's, in iteration 22 */
  {
    g_autofree char *main_step = ls_timeline_describe_iteration_at (window->timeline,
                                                                    (cancel->x0 + cancel->x1) / 2);
    g_autofree char *long_step = ls_timeline_describe_iteration_at (window->timeline,
                                                                    thrown->x0 + 1);

    g_assert_nonnull (main_step);
    g_assert_nonnull (long_step);
    if (g_strcmp0 (g_getenv ("LANGUAGE"), "C") == 0)
      {
        g_assert_true (g_str_has_prefix (main_step, "Iteration 22 at 1.000 s: 2 callbacks\n"));
        g_assert_nonnull (strstr (main_step, "Callback 1 of 2: Task-1 woken up"));
        g_assert_nonnull (strstr (long_step, "Callback 2 of 2: Long task woken up"));
      }
  }
  /* and all of it at one instant: 1 s */
  g_assert_cmpint (ls_iteration_map_step_to_time (view.iterations, cancel->start_ns), ==,
                   1000 * MS);
  g_assert_cmpint (ls_iteration_map_step_to_time (view.iterations, wake->end_ns), ==,
                   1000 * MS);
  /* the picture: the cursor just after the cancel, the long task first in
   * the ready queue's strip */
  ls_test_click (timeline, (cancel->x0 + cancel->x1) / 2 + 1, LS_TIMELINE_AXIS_HEIGHT / 2);
  ls_test_input_settle ();
  g_assert_cmpint (ls_session_get_cursor (session), ==, 1000 * MS);
  {
    g_autofree char *name = g_strdup_printf ("iterations-task-cancel-%s%s.png",
                                             dark ? "dark" : "light", language_suffix ());

    screenshot (window, name);
  }

  /* a click on the toggle: time again */
  ls_test_click (window->iteration_toggle, gtk_widget_get_width (window->iteration_toggle) / 2,
                 gtk_widget_get_height (window->iteration_toggle) / 2);
  ls_test_input_settle ();
  g_assert_false (ls_session_get_iteration_view (session));
  g_clear_pointer (&record, g_array_unref);
  record = drawn (window, &view);
  g_assert_null (view.iterations);
  ls_session_set_selected_lane (session, -1);
  ls_session_set_cursor (session, -1);
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("light"));
}

/* Scrubbing the iteration view's axis stops between two records of one
 * instant: just after the cancel the long task is in the ready queue, the
 * next to run, and the strip of chips says so; just after its step it is
 * cancelled and the main task's wake-up is queued. */
static void
test_scrub_between_records (void)
{
  LsWindow *window = window_after ("task-cancel");
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  g_autoptr(GArray) record = NULL;
  const LsTimelineItem *cancel, *done, *chip = NULL;
  const LsTraceState *state;
  const LsTaskEntry *task;
  LsTimelineView view;
  int main_lane = lane_labelled (session, "Task-1");
  int long_lane = long_task_lane (session);
  guint32 long_id = ls_interpreter_get_lane (ls_session_get_interpreter (session),
                                             long_lane)->object_id;
  guint32 main_id = ls_interpreter_get_lane (ls_session_get_interpreter (session),
                                             main_lane)->object_id;
  gint64 t0, t1;
  guint slot;

  ls_session_set_iteration_view (session, TRUE);
  /* zoom on the last second's iterations: each callback wide enough to aim at */
  record = drawn (window, &view);
  cancel = find_item (record, LS_TIMELINE_ITEM_CANCEL, long_lane, -1);
  g_assert_nonnull (cancel);
  t0 = cancel->start_ns - 3 * LS_ITERATION_SLOT;
  t1 = cancel->start_ns + 6 * LS_ITERATION_SLOT;
  ls_session_set_range (session, t0, t1);
  ls_test_input_settle ();
  g_clear_pointer (&record, g_array_unref);
  record = drawn (window, &view);
  cancel = find_item (record, LS_TIMELINE_ITEM_CANCEL, long_lane, -1);
  done = find_item (record, LS_TIMELINE_ITEM_FINAL_MARK, long_lane, LS_TASK_STATE_CANCELLED);
  g_assert_nonnull (done);

  /* a press on the axis just right of the cancel */
  ls_test_click (timeline, (cancel->x0 + cancel->x1) / 2 + 1, LS_TIMELINE_AXIS_HEIGHT / 2);
  ls_test_input_settle ();
  g_assert_cmpint (ls_session_get_cursor (session), ==, 1000 * MS);
  g_assert_cmpuint (ls_session_get_cursor_record (session), >, 0);
  state = ls_session_get_cursor_state (session);
  task = ls_trace_state_get_task ((LsTraceState *) state, long_id);
  g_assert_cmpint (task->state, ==, LS_TASK_STATE_READY);
  g_assert_cmpuint (task->cancel_requests, ==, 1);
  g_clear_pointer (&record, g_array_unref);
  record = drawn (window, &view);
  for (guint i = 0; i < record->len; i++)
    {
      const LsTimelineItem *item = &g_array_index (record, LsTimelineItem, i);

      if (item->kind == LS_TIMELINE_ITEM_READY && item->value == 0 && item->object == long_id)
        chip = item;
    }
  g_assert_nonnull (chip);
  g_assert_cmpuint (chip->n_merged, ==, 0);
  g_assert_cmpfloat (chip->y0, >=, view.height - LS_TIMELINE_READY_STRIP_HEIGHT);

  /* at the end of the long task's last step: cancelled, and the main task
   * queued */
  done = find_item (record, LS_TIMELINE_ITEM_FINAL_MARK, long_lane, LS_TASK_STATE_CANCELLED);
  g_assert_true (ls_iteration_map_find (view.iterations, done->start_ns, NULL, &slot));
  ls_test_click (timeline,
                 ls_timeline_view_time_to_x (&view, g_array_index (ls_iteration_map_get_slots (
                                                                     view.iterations),
                                                                   LsIterationSlot, slot).x1) - 1,
                 LS_TIMELINE_AXIS_HEIGHT / 2);
  ls_test_input_settle ();
  g_assert_cmpint (ls_session_get_cursor (session), ==, 1000 * MS);
  state = ls_session_get_cursor_state (session);
  g_assert_cmpint (ls_trace_state_get_task ((LsTraceState *) state, long_id)->state, ==,
                   LS_TASK_STATE_CANCELLED);
  g_assert_cmpint (ls_trace_state_get_task ((LsTraceState *) state, main_id)->state, ==,
                   LS_TASK_STATE_READY);
  g_clear_pointer (&record, g_array_unref);
  record = drawn (window, &view);
  chip = NULL;
  for (guint i = 0; i < record->len; i++)
    {
      const LsTimelineItem *item = &g_array_index (record, LsTimelineItem, i);

      if (item->kind == LS_TIMELINE_ITEM_READY && item->value == 0 && item->object == main_id)
        chip = item;
    }
  g_assert_nonnull (chip);

  /* setting a time puts the cursor after every record of that instant */
  ls_session_set_cursor (session, 1000 * MS);
  g_assert_cmpuint (ls_session_get_cursor_record (session), ==, 0);
  ls_session_set_cursor (session, -1);
  ls_session_set_iteration_view (session, FALSE);
}

static double
bezier (double p0,
        double c0,
        double c1,
        double p1,
        double t)
{
  double u = 1 - t;

  return u * u * u * p0 + 3 * u * u * t * c0 + 3 * u * t * t * c1 + t * t * t * p1;
}

/* lock: a click on the lock's lane selects it, and each handoff is an
 * arrow from the task that released the lock through the lock's own lane
 * to the task it was handed to, in both views. */
static void
test_handoff_through_lane (void)
{
  LsWindow *window = window_after ("lock");
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  int lock = lane_labelled (session, "Lock self.lock");

  g_assert_cmpint (lock, >=, 0);
  for (int iterations = 0; iterations < 2; iterations++)
    {
      g_autoptr(GArray) record = NULL;
      const LsTimelineItem *label;
      LsTimelineView view;
      guint handoffs = 0;

      ls_session_set_iteration_view (session, iterations);
      ls_test_input_settle ();
      record = drawn (window, &view);
      label = find_item (record, LS_TIMELINE_ITEM_LABEL, lock, -1);
      g_assert_nonnull (label);
      ls_test_click (timeline, 20, (label->y0 + label->y1) / 2);
      ls_test_input_settle ();
      g_assert_cmpint (ls_session_get_selected_lane (session), ==, lock);
      g_clear_pointer (&record, g_array_unref);
      record = drawn (window, &view);
      label = find_item (record, LS_TIMELINE_ITEM_LABEL, lock, -1);
      for (guint i = 0; i < record->len; i++)
        {
          const LsTimelineItem *item = &g_array_index (record, LsTimelineItem, i);
          double y;

          if (item->kind != LS_TIMELINE_ITEM_ARROW || item->state != LS_TIMELINE_ARROW_HANDOFF)
            continue;
          g_assert_cmpint (item->via_lane, ==, lock);
          g_assert_cmpint (item->from_lane, !=, item->to_lane);
          /* the curve's middle is on the lock's row */
          y = bezier (item->y0, item->cy0, item->cy1, item->y1, 0.5);
          g_assert_cmpfloat (y, >=, label->y0 - 1);
          g_assert_cmpfloat (y, <=, label->y0 + LS_TIMELINE_LANE_HEIGHT + 1);
          handoffs++;
        }
      /* five tasks: four handoffs */
      g_assert_cmpuint (handoffs, ==, 4);
    }
  ls_session_set_selected_lane (session, -1);
  ls_session_set_iteration_view (session, FALSE);
}

/* The first widget under @widget (depth first) whose text is @text. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* task-cancel prints three lines at 1 s. A click on the second lands just
 * after its own print: the long task is running its except block, the
 * third line (printed later at the same instant) stays dimmed; a click on
 * the third moves on to it. */
static void
test_console_exact_record (void)
{
  LsWindow *window = window_after ("task-cancel");
  LsSession *session = ls_window_get_session (window);
  LsTrace *trace = ls_session_get_trace (session);
  int long_lane = long_task_lane (session);
  guint32 long_id = ls_interpreter_get_lane (ls_session_get_interpreter (session),
                                             long_lane)->object_id;
  GtkWidget *second, *third;
  const LsTraceRecord *r;
  guint64 n;

  ls_session_set_cursor (session, 0);
  for (int i = 0; i < 5; i++)
    ls_test_input_settle ();
  second = find_label (GTK_WIDGET (window->console_view), "[   1.000] Long task was cancelled");
  third = find_label (GTK_WIDGET (window->console_view), "[   1.000] The task was cancelled");
  g_assert_nonnull (second);
  g_assert_nonnull (third);
  g_assert_true (gtk_widget_has_css_class (second, "dim-label"));

  ls_test_click (second, 20, gtk_widget_get_height (second) / 2);
  for (int i = 0; i < 3; i++)
    ls_test_input_settle ();
  n = ls_session_get_cursor_record (session);
  g_assert_cmpuint (n, >, 0);
  r = ls_trace_get_record (trace, n - 1);
  g_assert_cmpint (r->kind, ==, LS_TRACE_PRINT);
  g_assert_cmpstr (ls_trace_get_string (trace, r->peer), ==, "Long task was cancelled");
  g_assert_cmpint (ls_session_get_cursor (session), ==, 1000 * MS);
  g_assert_cmpuint (ls_session_get_cursor_state (session)->running_task, ==, long_id);
  g_assert_false (gtk_widget_has_css_class (second, "dim-label"));
  g_assert_true (gtk_widget_has_css_class (third, "dim-label"));

  ls_test_click (third, 20, gtk_widget_get_height (third) / 2);
  for (int i = 0; i < 3; i++)
    ls_test_input_settle ();
  g_assert_cmpuint (ls_session_get_cursor_record (session), >, n);
  r = ls_trace_get_record (trace, ls_session_get_cursor_record (session) - 1);
  g_assert_cmpstr (ls_trace_get_string (trace, r->peer), ==, "The task was cancelled");
  g_assert_false (gtk_widget_has_css_class (third, "dim-label"));
  ls_session_set_cursor (session, -1);
}

/* lock at 50 ms: Task 0 holds the lock and sleeps, the others wait on it.
 * Each lit line of the code pane names its tasks in the gutter, and a
 * click on a lane's label puts that task first and emphasised. */
static void
test_code_badges (void)
{
  LsWindow *window = window_after ("lock");
  LsSession *session = ls_window_get_session (window);
  LsLaneLayout *layout = ls_session_get_layout (session);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  g_autoptr(GArray) record = NULL;
  const LsTimelineItem *label;
  const LsTraceState *state;
  LsTimelineView view;
  int task2 = lane_labelled (session, "Task 2");
  guint32 task2_id;
  guint lit = 0;

  g_assert_cmpint (task2, >=, 0);
  task2_id = ls_interpreter_get_lane (ls_session_get_interpreter (session), task2)->object_id;
  ls_session_set_cursor (session, 50 * MS);
  gtk_notebook_set_current_page (GTK_NOTEBOOK (window->console_notebook), 1);
  record = drawn (window, &view);
  label = find_item (record, LS_TIMELINE_ITEM_LABEL, task2, -1);
  g_assert_nonnull (label);
  ls_test_click (timeline, 20, (label->y0 + label->y1) / 2);
  for (int i = 0; i < 3; i++)
    ls_test_input_settle ();
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, task2);

  state = ls_session_get_cursor_state (session);
  for (guint i = 0; i < state->tasks->len; i++)
    {
      const LsTaskEntry *t = &g_array_index (state->tasks, LsTaskEntry, i);
      int lane = ls_interpreter_find_lane (ls_session_get_interpreter (session), t->task_id);
      g_autofree char *text = NULL;

      if (t->line <= 0 || t->state >= LS_TASK_STATE_DONE)
        continue;
      text = ls_code_gutter_dup_text (window->code_gutter, t->line);
      g_assert_nonnull (text);
      g_assert_nonnull (strstr (text, ls_lane_layout_get_name (layout, lane)));
      if (t->task_id == task2_id)
        {
          g_assert_true (ls_code_gutter_get_selected (window->code_gutter, t->line));
          g_assert_true (g_str_has_prefix (text, "Task 2"));
        }
      lit++;
    }
  /* the main task and its five tasks */
  g_assert_cmpuint (lit, ==, 6);
  screenshot (window, "code-badges-lock.png");
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("dark"));
  screenshot (window, "code-badges-lock-dark.png");
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("light"));
  gtk_notebook_set_current_page (GTK_NOTEBOOK (window->console_notebook), 0);
  ls_session_set_selected_lane (session, -1);
  ls_session_set_cursor (session, -1);
}

static GtkWidget *
find_by_name (GtkWidget  *widget,
              const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
screenshot_widget (GtkWidget  *widget,
                   const char *name)
{
  const char *dir = g_getenv ("LOOPSCOPE_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Typing a search that matches no scenario says so; a saved file is
 * announced under the timeline with Open Folder, and its close button
 * hides it; the About dialog shows its credits whole. */
static void
test_rough_edges (void)
{
  LsWindow *window = window_after ("lock");
  GtkWidget *none, *revealer, *close;
  GList *toplevels;
  GtkWindow *about = NULL;

  /* the search */
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  ls_test_input_settle ();
  ls_test_key (GTK_WIDGET (window), GDK_KEY_q, 0);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_x, 0);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_z, 0);
  for (int i = 0; i < 10; i++)
    ls_test_input_settle ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->search_entry)), ==, "qxz");
  none = find_label (GTK_WIDGET (window->scenario_list), "No scenarios match");
  g_assert_nonnull (none);
  g_assert_true (gtk_widget_get_mapped (none));
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  for (int i = 0; i < 10; i++)
    ls_test_input_settle ();
  g_assert_false (gtk_widget_get_mapped (none));

  /* saved */
  _ls_window_show_saved (window, "/tmp/somewhere/lock.json", FALSE);
  revealer = window->status_revealer;
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_nonnull (find_label (revealer, "Trace saved to “lock.json”"));
  g_assert_nonnull (find_by_name (revealer, "status-open-folder"));
  for (int i = 0; i < 30; i++)
    ls_test_input_settle ();
  close = find_by_name (revealer, "status-close");
  ls_test_click (close, gtk_widget_get_width (close) / 2, gtk_widget_get_height (close) / 2);
  ls_test_input_settle ();
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  /* About */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  for (int i = 0; i < 20; i++)
    ls_test_input_settle ();
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_ABOUT_DIALOG (l->data))
      about = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (about);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (about)));
  screenshot_widget (GTK_WIDGET (about), "about.png");
  {
    GtkWidget *credits = find_label (GTK_WIDGET (about), "Credits");

    g_assert_nonnull (credits);
    ls_test_click (credits, 5, 5);
    for (int i = 0; i < 20; i++)
      ls_test_input_settle ();
    screenshot_widget (GTK_WIDGET (about), "about-credits.png");
    /* the chapter's credit is shown whole */
    credits = find_label (GTK_WIDGET (about), "第9章:异步编程基础 (Python asyncio)");
    g_assert_nonnull (credits);
    g_assert_true (gtk_widget_get_mapped (credits));
    {
      int natural;

      gtk_widget_measure (credits, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_width (credits), >=, natural);
    }
  }
  gtk_window_destroy (about);

  /* Export Image starts on the axis the window shows */
  ls_session_set_iteration_view (ls_window_get_session (window), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-image", NULL);
  for (int i = 0; i < 20; i++)
    ls_test_input_settle ();
  {
    GtkWindow *dialog = NULL;
    LsExportOptions options;

    toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (LS_IS_EXPORT_DIALOG (l->data))
        dialog = l->data;
    g_list_free (toplevels);
    g_assert_nonnull (dialog);
    ls_export_dialog_get_options (LS_EXPORT_DIALOG (dialog), &options);
    g_assert_true (options.iterations);
    screenshot_widget (GTK_WIDGET (dialog), "export-dialog.png");
    gtk_window_destroy (dialog);
  }
  ls_session_set_iteration_view (ls_window_get_session (window), FALSE);
}

/* A mark's explanation is open when the timeline is hidden (the
 * comparison takes its place): the popover goes with it, and nothing is
 * drawn without an allocation (GTK warns, and warnings are fatal here). */
static void
test_popover_hidden_with_timeline (void)
{
  LsWindow *window = window_after ("task-cancel");
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  g_autoptr(GArray) record = NULL;
  const LsTimelineItem *cancel;
  LsTimelineView view;
  int long_lane = long_task_lane (session);

  record = drawn (window, &view);
  cancel = find_item (record, LS_TIMELINE_ITEM_CANCEL, long_lane, -1);
  g_assert_nonnull (cancel);
  ls_test_click (timeline, (cancel->x0 + cancel->x1) / 2, (cancel->y0 + cancel->y1) / 2);
  for (int i = 0; i < 5; i++)
    ls_test_input_settle ();
  g_assert_nonnull (ls_timeline_get_explanation (window->timeline));
  gtk_widget_set_visible (timeline, FALSE);
  for (int i = 0; i < 10; i++)
    ls_test_input_settle ();
  g_assert_null (ls_timeline_get_explanation (window->timeline));
  gtk_widget_set_visible (timeline, TRUE);
  for (int i = 0; i < 10; i++)
    ls_test_input_settle ();
  ls_session_set_selected_lane (session, -1);
}

/* The view on while a run plays: the map follows the records as they
 * come, and when the run ends it holds every one of them, as a map made
 * afterwards does; s zooms to the selected lane in steps. */
static void
test_live (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsSession *session = ls_window_get_session (window);
  LsIterationMap *map;
  g_autoptr(LsIterationMap) after = NULL;
  LsTrace *trace;
  gint64 t0, t1;

  ls_session_set_iteration_view (session, TRUE);
  ls_session_set_speed (session, 20.0);
  g_assert_true (ls_window_load_scenario_id (window, "lock", 0));
  ls_test_window_ready (GTK_WINDOW (window));
  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 20));
  ls_test_input_settle ();
  map = ls_session_get_iteration_map (session);
  g_assert_nonnull (map);
  trace = ls_session_get_trace (session);
  after = ls_iteration_map_new (trace);
  g_assert_cmpuint (ls_iteration_map_get_iterations (map)->len, ==,
                    ls_iteration_map_get_iterations (after)->len);
  g_assert_cmpint (ls_iteration_map_get_end (map), ==, ls_iteration_map_get_end (after));
  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    g_assert_cmpint (ls_iteration_map_record_step (map, i), ==,
                     ls_iteration_map_record_step (after, i));

  /* s: the selected lane's life, in steps */
  ls_session_set_selected_lane (session, lane_labelled (session, "Task 2"));
  gtk_widget_grab_focus (GTK_WIDGET (window->timeline));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_s, 0);
  ls_test_input_settle ();
  ls_session_get_range (session, &t0, &t1);
  g_assert_cmpint (t0, >=, -ls_iteration_map_get_end (map));
  g_assert_cmpint (t1, <=, 2 * ls_iteration_map_get_end (map));
  g_assert_cmpint (t1 - t0, <, ls_iteration_map_get_end (map));

  ls_session_set_selected_lane (session, -1);
  ls_session_set_iteration_view (session, FALSE);
  ls_session_set_speed (session, LS_LOOP_INSTANT);
}

/* The iteration view of the other scenarios the screenshots show: a lock
 * handed from task to task, producers and consumers. Each iteration is a
 * column of the axis; every callback run is in one. */
static void
test_screenshots (gconstpointer data)
{
  const char *id = data;
  static const char *styles[] = { "light", "dark" };

  for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
    {
      LsWindow *window;
      LsSession *session;
      g_autoptr(GArray) record = NULL;
      g_autofree char *name = NULL;
      LsTimelineView view;
      guint columns = 0;

      g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                      g_variant_new_string (styles[s]));
      window = window_after (id);
      session = ls_window_get_session (window);
      ls_session_set_iteration_view (session, TRUE);
      ls_test_input_settle ();
      record = drawn (window, &view);
      for (guint i = 0; i < record->len; i++)
        if (g_array_index (record, LsTimelineItem, i).kind == LS_TIMELINE_ITEM_ITERATION)
          columns++;
      g_assert_cmpuint (columns, ==,
                        ls_iteration_map_get_iterations (view.iterations)->len);
      name = g_strdup_printf ("iterations-%s-%s%s.png", id, styles[s], language_suffix ());
      screenshot (window, name);
      ls_session_set_iteration_view (session, FALSE);
    }
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("light"));
}

/* In Chinese: the toggle, the strip's title and an idle gap's length */
static void
test_zh_cn (void)
{
  if (g_test_subprocess ())
    {
      LsWindow *window = window_after ("task-cancel");
      g_autofree char *internals = NULL;
      g_autofree char *duration = ls_timeline_format_duration (1500 * MS);

      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (window->iteration_toggle)), ==,
                       "迭代(_I)");
      g_assert_cmpstr (_("Ready queue"), ==, "就绪队列");
      g_assert_cmpstr (C_("ready queue", "empty"), ==, "空");
      /* states, reasons and units in Chinese, the columns split by a tab
       * (aligned by width on screen) */
      internals = _ls_window_dup_internals_text (window);
      g_assert_nonnull (strstr (internals, "Task-1\t已完成\n"));
      g_assert_nonnull (strstr (internals, "\t已取消\n"));
      g_assert_cmpstr (ls_describe_wait_reason (LS_WAIT_LOCK), ==, "锁");
      g_assert_cmpstr (_("Iteration %llu at %s: %u callbacks"), ==, "第 %llu 轮迭代，%s：%u 个回调");
      g_assert_cmpstr (duration, ==, "1.5 秒");
      test_same_instant_chain (GINT_TO_POINTER (FALSE));
      test_same_instant_chain (GINT_TO_POINTER (TRUE));
      test_screenshots ("lock");
      return;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  int status;

  app = ls_test_window_init (&argc, &argv, "test-iterations");

  g_test_add_func ("/ui/iterations/map", test_map);
  g_test_add_data_func ("/ui/iterations/chain/light", GINT_TO_POINTER (FALSE),
                        test_same_instant_chain);
  g_test_add_data_func ("/ui/iterations/chain/dark", GINT_TO_POINTER (TRUE),
                        test_same_instant_chain);
  g_test_add_func ("/ui/iterations/scrub", test_scrub_between_records);
  g_test_add_func ("/ui/iterations/live", test_live);
  g_test_add_func ("/ui/iterations/handoff-through-lane", test_handoff_through_lane);
  g_test_add_func ("/ui/console/exact-record", test_console_exact_record);
  g_test_add_func ("/ui/code/task-badges", test_code_badges);
  g_test_add_func ("/ui/window/rough-edges", test_rough_edges);
  g_test_add_func ("/ui/window/popover-hidden", test_popover_hidden_with_timeline);
  g_test_add_data_func ("/ui/iterations/screenshots/lock", "lock", test_screenshots);
  g_test_add_data_func ("/ui/iterations/screenshots/producer-consumer", "producer-consumer",
                        test_screenshots);
  g_test_add_func ("/ui/iterations/zh-cn", test_zh_cn);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
