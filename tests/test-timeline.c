/* SPDX-License-Identifier: MIT
 *
 * The timeline: its model built from real scenario runs (lanes, spans that
 * abut, lock owners, handoff links, blocked bands), built incrementally
 * while a run goes on, and the renderer's pixels where the model says a
 * task runs or the loop is blocked. The renders are saved as PNGs in the
 * build directory (and in $LOOPSCOPE_TIMELINE_PNG_DIR when set) to look at.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "ls-scenario.h"
#include "ls-test-scenario.h"
#include "ls-timeline.h"
#include "ls-interpreter.h"
#include "ls-timeline-renderer.h"

#define WIDTH  1200
#define HEIGHT 500

static int
find_lane_by_label (LsInterpreter *model,
                    const char      *label)
{
  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    if (g_strcmp0 (ls_interpreter_get_lane (model, i)->label, label) == 0)
      return (int) i;
  return -1;
}

static void
check_spans_abut (const LsTimelineLane *lane)
{
  const LsTimelineSpan *last;

  g_assert_cmpuint (lane->spans->len, >, 1);
  for (guint i = 0; i + 1 < lane->spans->len; i++)
    {
      const LsTimelineSpan *a = &g_array_index (lane->spans, LsTimelineSpan, i);
      const LsTimelineSpan *b = &g_array_index (lane->spans, LsTimelineSpan, i + 1);

      g_assert_cmpint (a->end_ns, !=, LS_TIMELINE_OPEN);
      g_assert_cmpint (a->end_ns, >=, a->start_ns);
      g_assert_cmpint (a->end_ns, ==, b->start_ns);
      g_assert_cmpuint (a->state, !=, b->state == LS_TASK_STATE_WAITING ? G_MAXUINT16 : b->state);
      if (a->state == LS_TASK_STATE_WAITING)
        g_assert_cmpuint (a->wait_reason, !=, LS_WAIT_NONE);
    }
  last = &g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1);
  g_assert_cmpuint (last->state, ==, LS_TASK_STATE_DONE);
  g_assert_cmpint (last->end_ns, ==, last->start_ns);
}

static void
test_lock_model (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  g_autoptr(LsInterpreter) model = ls_interpreter_new (ls_test_run_trace (run));
  guint n_tasks = 0, n_primitives = 0, n_handoffs = 0;
  int lock_lane, main_lane;
  const LsTimelineLane *lock;
  GArray *links;
  const LsTraceState *state = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    {
      const LsTimelineLane *lane = ls_interpreter_get_lane (model, i);

      if (lane->kind == LS_TIMELINE_LANE_TASK)
        {
          n_tasks++;
          check_spans_abut (lane);
        }
      else
        n_primitives++;
    }
  g_assert_cmpuint (n_tasks, ==, 6);
  g_assert_cmpuint (n_primitives, ==, 1);
  g_assert_cmpuint (ls_interpreter_get_n_rows (model), ==, 7);

  /* the main task first, its five children under it, the lock last; the
   * names as the replayed state has them */
  state = ls_interpreter_get_state (model);
  g_assert_cmpuint (state->tasks->len, ==, 6);
  for (guint i = 0; i < state->tasks->len; i++)
    {
      const LsTaskEntry *task = &g_array_index (state->tasks, LsTaskEntry, i);
      g_autofree char *name = task->name_id != 0
                              ? g_strdup (ls_trace_get_string (ls_test_run_trace (run), task->name_id))
                              : g_strdup_printf ("Task-%u", task->number);
      int lane = find_lane_by_label (model, name);

      g_assert_cmpint (lane, >=, 0);
      g_assert_cmpint (ls_interpreter_find_lane (model, task->task_id), ==, lane);
      g_assert_cmpint (ls_interpreter_get_lane_row (model, lane), ==, (int) i);
      g_assert_cmpuint (ls_interpreter_get_lane (model, lane)->depth, ==, i == 0 ? 0 : 1);
      g_ptr_array_add (names, g_steal_pointer (&name));
    }
  main_lane = find_lane_by_label (model, "Task-1");
  g_assert_cmpint (main_lane, >=, 0);
  lock_lane = find_lane_by_label (model, "Lock self.lock");
  g_assert_cmpint (lock_lane, >=, 0);
  g_assert_cmpint (ls_interpreter_get_lane_row (model, lock_lane), ==, 6);

  /* five owners, one after the other, in creation order */
  lock = ls_interpreter_get_lane (model, lock_lane);
  g_assert_cmpuint (lock->holds->len, ==, 5);
  for (guint i = 0; i < lock->holds->len; i++)
    {
      const LsTimelineHold *h = &g_array_index (lock->holds, LsTimelineHold, i);

      g_assert_cmpstr (ls_interpreter_get_task_name (model, h->task_id), ==,
                       g_ptr_array_index (names, i + 1));
      g_assert_cmpint (h->end_ns, >, h->start_ns);
      if (i > 0)
        g_assert_cmpint (g_array_index (lock->holds, LsTimelineHold, i - 1).end_ns, <=,
                         h->start_ns);
    }

  /* each release hands the lock to the next waiter */
  links = ls_interpreter_get_links (model);
  for (guint i = 0; i < links->len; i++)
    {
      const LsTimelineLink *l = &g_array_index (links, LsTimelineLink, i);

      if (l->kind != LS_TIMELINE_LINK_HANDOFF)
        continue;
      n_handoffs++;
      g_assert_cmpuint (l->via_lane, ==, (guint) lock_lane);
      g_assert_cmpint (l->to_time, >=, l->from_time);
    }
  g_assert_cmpuint (n_handoffs, ==, 4);

  g_assert_cmpint (ls_interpreter_get_end_time (model), ==,
                   ls_trace_get_end_time (ls_test_run_trace (run)));
}

static void
count_changed (LsInterpreter *model,
               guint           *count)
{
  (*count)++;
}

static void
assert_models_equal (LsInterpreter *a,
                     LsInterpreter *b)
{
  g_assert_cmpuint (ls_interpreter_get_n_lanes (a), ==, ls_interpreter_get_n_lanes (b));
  g_assert_cmpuint (ls_interpreter_get_n_rows (a), ==, ls_interpreter_get_n_rows (b));
  for (guint i = 0; i < ls_interpreter_get_n_rows (a); i++)
    g_assert_cmpuint (ls_interpreter_get_row_lane (a, i), ==, ls_interpreter_get_row_lane (b, i));
  for (guint i = 0; i < ls_interpreter_get_n_lanes (a); i++)
    {
      const LsTimelineLane *la = ls_interpreter_get_lane (a, i);
      const LsTimelineLane *lb = ls_interpreter_get_lane (b, i);

      g_assert_cmpstr (la->label, ==, lb->label);
      if (la->spans != NULL)
        {
          g_assert_cmpuint (la->spans->len, ==, lb->spans->len);
          g_assert_cmpmem (la->spans->data, la->spans->len * sizeof (LsTimelineSpan),
                           lb->spans->data, lb->spans->len * sizeof (LsTimelineSpan));
        }
      else
        {
          g_assert_cmpuint (la->holds->len, ==, lb->holds->len);
          for (guint k = 0; k < la->holds->len; k++)
            {
              const LsTimelineHold *ha = &g_array_index (la->holds, LsTimelineHold, k);
              const LsTimelineHold *hb = &g_array_index (lb->holds, LsTimelineHold, k);

              /* field by field: the struct has padding */
              g_assert_cmpint (ha->start_ns, ==, hb->start_ns);
              g_assert_cmpint (ha->end_ns, ==, hb->end_ns);
              g_assert_cmpuint (ha->task_id, ==, hb->task_id);
            }
          g_assert_cmpmem (la->steps->data, la->steps->len * sizeof (LsTimelineStep),
                           lb->steps->data, lb->steps->len * sizeof (LsTimelineStep));
        }
    }
  g_assert_cmpuint (ls_interpreter_get_links (a)->len, ==, ls_interpreter_get_links (b)->len);
  g_assert_cmpuint (ls_interpreter_get_prints (a)->len, ==, ls_interpreter_get_prints (b)->len);
}

/* A model made before the run, fed batch by batch, ends up equal to one
 * built from the finished trace; "changed" comes once per batch. */
static void
test_incremental (void)
{
  const char *ids[] = { "lock", "queue", "semaphore", "task-cancel" };

  for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      g_autoptr(LsScenarioRun) run = ls_scenario_run_new (ls_scenario_lookup (ids[k]), 0);
      LsLoop *loop = ls_scenario_run_get_loop (run);
      g_autoptr(LsInterpreter) live = ls_interpreter_new (ls_loop_get_trace (loop));
      g_autoptr(LsInterpreter) after = NULL;
      g_autoptr(GError) error = NULL;
      guint changed = 0;

      g_signal_connect (live, "changed", G_CALLBACK (count_changed), &changed);
      g_assert_true (ls_scenario_run_to_end (run, &error));
      g_assert_no_error (error);
      ls_trace_flush (ls_loop_get_trace (loop));
      g_assert_cmpuint (changed, >, 0);

      after = ls_interpreter_new (ls_loop_get_trace (loop));
      assert_models_equal (live, after);
    }
}

/* ---- rendering ------------------------------------------------------------ */

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(guint32 *) (data + y * stride + x * 4) & 0xffffff;
}

static gboolean
near_colour (guint32 a,
             guint32 b,
             int     tolerance)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > tolerance)
      return FALSE;
  return TRUE;
}

static void
save_png (cairo_surface_t *surface,
          const char      *name)
{
  g_autofree char *file = g_strdup_printf ("timeline-%s.png", name);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  const char *dir = g_getenv ("LOOPSCOPE_TIMELINE_PNG_DIR");

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  if (dir != NULL && *dir != '\0')
    {
      g_autofree char *copy = g_build_filename (dir, file, NULL);

      g_assert_cmpint (cairo_surface_write_to_png (surface, copy), ==, CAIRO_STATUS_SUCCESS);
    }
}

static void
fit_view (LsInterpreter *model,
          LsTimelineView  *view,
          gboolean         dark)
{
  gint64 end = ls_interpreter_get_end_time (model);

  memset (view, 0, sizeof *view);
  view->width = WIDTH;
  view->height = HEIGHT;
  view->t0 = 0;
  view->t1 = end + end / 25;
  view->now = end;
  view->cursor = -1;
  view->selected_lane = -1;
  view->dark = dark;
  view->font_name = "Sans 9";
}

static cairo_surface_t *
render (LsInterpreter      *model,
        const LsTimelineView *view)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);

  ls_timeline_render (cr, model, view);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* A running span of the task (not its first instant at 0, nor the one
 * its end mark sits on), probed in the middle of its bar. */
static guint
check_running_pixel (LsInterpreter      *model,
                     const LsTimelineView *view,
                     cairo_surface_t      *surface,
                     guint                 lane_index,
                     guint32               running)
{
  const LsTimelineLane *lane = ls_interpreter_get_lane (model, lane_index);
  const LsTimelineSpan *last = &g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1);
  int row = ls_interpreter_get_lane_row (model, lane_index);
  int y = (int) (ls_timeline_view_row_y (view, row) + LS_TIMELINE_LANE_HEIGHT / 2);
  guint probed = 0;

  for (guint i = 0; i < lane->spans->len; i++)
    {
      const LsTimelineSpan *s = &g_array_index (lane->spans, LsTimelineSpan, i);
      double x;

      if (s->state != LS_TASK_STATE_RUNNING || s->start_ns == 0
          || ls_timeline_view_time_to_x (view, last->start_ns)
             - ls_timeline_view_time_to_x (view, s->start_ns) < 8)
        continue;
      x = ls_timeline_view_time_to_x (view, s->start_ns);
      if (!near_colour (pixel (surface, (int) x, y), running, 2))
        g_error ("%s at %.0f, %d: %06x, not the running colour %06x", lane->label, x, y,
                 pixel (surface, (int) x, y), running);
      probed++;
    }
  return probed;
}

static void
test_render_lock (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  g_autoptr(LsInterpreter) model = ls_interpreter_new (ls_test_run_trace (run));
  const struct { gboolean dark; guint32 running; guint32 background; const char *name; } styles[] = {
    { FALSE, 0x0072b2, 0xffffff, "lock-light" },
    { TRUE, 0x56b4e9, 0x1d1d20, "lock-dark" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (styles); k++)
    {
      LsTimelineView view;
      cairo_surface_t *surface;
      int lane = (int) ls_interpreter_get_row_lane (model, 2);
      int lock_lane = find_lane_by_label (model, "Lock self.lock");
      const LsTimelineHold *hold;
      double x, y;
      guint probed = 0;

      fit_view (model, &view, styles[k].dark);
      surface = render (model, &view);
      save_png (surface, styles[k].name);

      for (guint row = 1; row <= 5; row++)
        probed += check_running_pixel (model, &view, surface,
                                       ls_interpreter_get_row_lane (model, row),
                                       styles[k].running);
      /* the first task runs at 0 and at its end only; the other four take
       * the lock after waiting and run before their sleep */
      g_assert_cmpuint (probed, >=, 4);

      /* the top left corner is the label column, the area far right of the
       * end is plain background */
      g_assert_false (near_colour (pixel (surface, 5, HEIGHT - 5), styles[k].running, 8));
      g_assert_true (near_colour (pixel (surface, WIDTH - 3, HEIGHT - 3), styles[k].background, 2));

      /* a lock owner's bar in the middle of its hold is not background */
      hold = &g_array_index (ls_interpreter_get_lane (model, lock_lane)->holds,
                             LsTimelineHold, 2);
      x = ls_timeline_view_time_to_x (&view, (hold->start_ns + hold->end_ns) / 2);
      y = ls_timeline_view_row_y (&view, ls_interpreter_get_lane_row (model, lock_lane)) + 7;
      g_assert_false (near_colour (pixel (surface, (int) x, (int) y), styles[k].background, 30));
      cairo_surface_destroy (surface);

      /* selected: the arrows come and the picture still renders */
      view.selected_lane = lane;
      view.cursor = view.t1 / 2;
      surface = render (model, &view);
      save_png (surface, k == 0 ? "lock-selected-light" : "lock-selected-dark");
      cairo_surface_destroy (surface);
    }
}

static void
test_render_blocked (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("sync-vs-async");
  g_autoptr(LsInterpreter) model = ls_interpreter_new (ls_test_run_trace (run));
  GArray *bands = ls_interpreter_get_bands (model);
  const LsTimelineBand *band;
  LsTimelineView view;
  cairo_surface_t *surface;
  double x;
  guint32 inside, outside;

  g_assert_cmpuint (bands->len, >=, 1);
  band = &g_array_index (bands, LsTimelineBand, 0);
  g_assert_cmpint (band->end_ns, >, band->start_ns);
  g_assert_cmpint (band->end_ns, !=, LS_TIMELINE_OPEN);

  fit_view (model, &view, FALSE);
  surface = render (model, &view);
  save_png (surface, "sync-vs-async-light");

  /* below the lanes, inside the band: tinted with the blocked colour */
  x = ls_timeline_view_time_to_x (&view, (band->start_ns + band->end_ns) / 2);
  inside = pixel (surface, (int) x, HEIGHT - 2);
  outside = pixel (surface, WIDTH - 3, HEIGHT - 2);
  g_assert_true (near_colour (outside, 0xffffff, 2));
  g_assert_false (near_colour (inside, 0xffffff, 8));
  /* orange-red: more red than blue */
  g_assert_cmpint ((int) (inside >> 16), >, (int) (inside & 0xff));
  cairo_surface_destroy (surface);

  fit_view (model, &view, TRUE);
  surface = render (model, &view);
  save_png (surface, "sync-vs-async-dark");
  cairo_surface_destroy (surface);
}

/* The step charts: a semaphore's permits and a queue's depth. */
static void
test_render_steps (void)
{
  const char *ids[] = { "semaphore", "queue", "event", "producer-consumer", "task-cancel",
                        "gather-wait-as-completed" };

  for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      g_autoptr(LsScenarioRun) run = ls_test_run_scenario (ids[k]);
      g_autoptr(LsInterpreter) model = ls_interpreter_new (ls_test_run_trace (run));
      LsTimelineView view;
      cairo_surface_t *surface;
      g_autofree char *light = g_strdup_printf ("%s-light", ids[k]);
      g_autofree char *dark = g_strdup_printf ("%s-dark", ids[k]);

      for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
        {
          const LsTimelineLane *lane = ls_interpreter_get_lane (model, i);

          if (lane->kind == LS_TIMELINE_LANE_TASK)
            {
              const LsTimelineSpan *last = &g_array_index (lane->spans, LsTimelineSpan,
                                                           lane->spans->len - 1);

              g_assert_true (last->state == LS_TASK_STATE_DONE
                             || last->state == LS_TASK_STATE_CANCELLED
                             || last->state == LS_TASK_STATE_FAILED);
            }
          else if (lane->object_kind == LS_OBJECT_SEMAPHORE
                   || lane->object_kind == LS_OBJECT_QUEUE)
            g_assert_cmpuint (lane->steps->len, >, 1);
        }

      fit_view (model, &view, FALSE);
      surface = render (model, &view);
      save_png (surface, light);
      cairo_surface_destroy (surface);
      fit_view (model, &view, TRUE);
      surface = render (model, &view);
      save_png (surface, dark);
      cairo_surface_destroy (surface);
    }
}

static void
test_format_time (void)
{
  struct { gint64 t, step; const char *text; } cases[] = {
    { 0, 500000000, "0" },
    { 1500000000, 500000000, "1.5 s" },
    { 2000000000, 1000000000, "2 s" },
    { 250000000, 50000000, "250 ms" },
    { 1500, 500, "1.5 µs" },
    { 30, 10, "30 ns" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ls_timeline_format_time (cases[i].t, cases[i].step);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The widget: a trace set, zoom and pan change the range and clear follow. */
/* A session showing @trace, as the window shows a trace file. */
static LsSession *
session_for (LsTrace *trace)
{
  LsSession *session = ls_session_new ();

  ls_session_load_trace (session, trace, NULL, "test.json");
  return session;
}

static void
test_widget (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  g_autoptr(LsSession) session = session_for (ls_test_run_trace (run));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *timeline = ls_timeline_new ();
  gint64 t0, t1, z0, z1;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 300);
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  ls_timeline_set_session (LS_TIMELINE (timeline), session);
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < 50 && gtk_widget_get_width (timeline) == 0; i++)
    g_main_context_iteration (NULL, FALSE);

  g_assert_true (ls_session_get_follow (session));
  g_assert_true (ls_session_get_fit (session));
  ls_session_get_range (session, &t0, &t1);
  g_assert_cmpint (t0, ==, 0);
  g_assert_cmpint (t1, >=, ls_trace_get_end_time (ls_test_run_trace (run)));

  ls_timeline_zoom (LS_TIMELINE (timeline), 2.0, LS_TIMELINE_LABEL_WIDTH);
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z0, ==, 0);
  g_assert_cmpint (z1 - z0, <, t1 - t0);

  g_object_set (session, "selected-lane", 2, "cursor", (gint64) 1000, NULL);
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, 2);
  g_assert_cmpint (ls_session_get_cursor (session), ==, 1000);

  /* zoom to the selection: the selected task's life, with a margin */
  {
    LsInterpreter *model = ls_session_get_interpreter (session);
    const LsTimelineLane *lane = ls_interpreter_get_lane (model, 2);
    const LsTimelineSpan *first = &g_array_index (lane->spans, LsTimelineSpan, 0);
    const LsTimelineSpan *last = &g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1);

    ls_timeline_zoom_to_selection (LS_TIMELINE (timeline));
    ls_session_get_range (session, &z0, &z1);
    g_assert_false (ls_session_get_follow (session));
    g_assert_cmpint (z0, <=, first->start_ns);
    g_assert_cmpint (z1, >=, last->end_ns);
    g_assert_cmpint (z1 - z0, <, (last->end_ns - first->start_ns) * 2);
  }

  ls_session_set_follow (session, FALSE);
  ls_session_zoom_to_fit (session);
  g_assert_true (ls_session_get_follow (session));
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z0, ==, t0);
  g_assert_cmpint (z1, ==, t1);

  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The timeout scenario's two deadlines (wait_for and asyncio.timeout, 2 s
 * each) are in the model on main's lane, and the bracket of the first is
 * drawn along the top of that lane in the cancelled colour. */
static void
test_render_deadlines (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("timeout");
  g_autoptr(LsInterpreter) model = ls_interpreter_new (ls_test_run_trace (run));
  GArray *deadlines = ls_interpreter_get_deadlines (model);
  const LsTimelineDeadline *first, *second;
  LsTimelineView view;
  cairo_surface_t *surface;
  int lane, row;
  double x, y;
  guint32 colour;

  g_assert_cmpuint (deadlines->len, ==, 2);
  first = &g_array_index (deadlines, LsTimelineDeadline, 0);
  second = &g_array_index (deadlines, LsTimelineDeadline, 1);
  g_assert_cmpint (first->reason, ==, LS_WAIT_WAIT_FOR);
  g_assert_cmpint (first->start_ns, ==, 0);
  g_assert_cmpint (first->deadline_ns, ==, 2 * G_GINT64_CONSTANT (1000000000));
  g_assert_cmpint (second->reason, ==, LS_WAIT_TIMEOUT_SCOPE);
  g_assert_cmpint (second->deadline_ns, ==, 4 * G_GINT64_CONSTANT (1000000000));
  g_assert_cmpuint (first->task_id, ==, second->task_id);

  fit_view (model, &view, FALSE);
  surface = render (model, &view);
  save_png (surface, "timeout-light");
  lane = ls_interpreter_find_lane (model, first->task_id);
  row = ls_interpreter_get_lane_row (model, lane);
  x = ls_timeline_view_time_to_x (&view, first->deadline_ns / 2);
  y = ls_timeline_view_row_y (&view, row) + 2;
  colour = pixel (surface, (int) x, (int) y);
  /* orange-red (#D55E00-like): much more red than blue */
  g_assert_cmpint ((int) (colour >> 16), >, (int) (colour & 0xff) + 80);
  cairo_surface_destroy (surface);
}

/* What the tooltips say: who holds the lock and since when, why a task
 * waits (on the lock, named), a semaphore's permits out of its capacity. */
static const LsTimelineLane *
find_lane_of_kind (LsInterpreter *model,
                   LsObjectKind     kind,
                   guint           *index)
{
  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    if (ls_interpreter_get_lane (model, i)->kind != LS_TIMELINE_LANE_TASK
        && ls_interpreter_get_lane (model, i)->object_kind == kind)
      {
        *index = i;
        return ls_interpreter_get_lane (model, i);
      }
  g_assert_not_reached ();
}

static char *
describe (const char  *scenario,
          LsObjectKind kind,
          gboolean     waiter)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario (scenario);
  g_autoptr(LsSession) session = session_for (ls_test_run_trace (run));
  GtkWidget *timeline = g_object_ref_sink (ls_timeline_new ());
  LsInterpreter *model;
  const LsTimelineLane *object;
  guint index;
  char *text = NULL;

  ls_timeline_set_session (LS_TIMELINE (timeline), session);
  model = ls_session_get_interpreter (session);
  object = find_lane_of_kind (model, kind, &index);
  if (!waiter && object->holds != NULL && object->holds->len > 0)
    {
      const LsTimelineHold *h = &g_array_index (object->holds, LsTimelineHold, 0);

      text = ls_timeline_describe (LS_TIMELINE (timeline), index, h->start_ns);
    }
  else if (!waiter)
    {
      /* the first time the count reaches 0 */
      for (guint i = 0; text == NULL && i < object->steps->len; i++)
        if (g_array_index (object->steps, LsTimelineStep, i).value == 0)
          text = ls_timeline_describe (LS_TIMELINE (timeline), index,
                                       g_array_index (object->steps, LsTimelineStep, i).time_ns);
    }
  else
    for (guint i = 0; text == NULL && i < ls_interpreter_get_n_lanes (model); i++)
      {
        const LsTimelineLane *lane = ls_interpreter_get_lane (model, i);

        for (guint j = 0; text == NULL && lane->kind == LS_TIMELINE_LANE_TASK
                          && j < lane->spans->len; j++)
          {
            const LsTimelineSpan *span = &g_array_index (lane->spans, LsTimelineSpan, j);

            if (span->state == LS_TASK_STATE_WAITING && span->wait_object == object->object_id)
              text = ls_timeline_describe (LS_TIMELINE (timeline), i, span->start_ns);
          }
      }
  g_object_unref (timeline);
  g_assert_nonnull (text);
  return text;
}

static void
test_describe (void)
{
  g_autofree char *held = describe ("lock", LS_OBJECT_LOCK, FALSE);
  g_autofree char *waits = describe ("lock", LS_OBJECT_LOCK, TRUE);
  g_autofree char *permits = describe ("semaphore", LS_OBJECT_SEMAPHORE, FALSE);

  g_test_message ("%s\n--\n%s\n--\n%s", held, waits, permits);
  g_assert_true (g_regex_match_simple ("^Lock self\\.lock\nheld by Task \\d\n0 → 100 ms \\(100 ms\\)$",
                                      held, 0, 0));
  g_assert_true (g_regex_match_simple ("^Task \\d\nwaiting on lock \\(Lock self\\.lock\\)\n", waits,
                                      0, 0));
  g_assert_true (g_regex_match_simple ("^Semaphore semaphore\npermits: 0 of 3$", permits, 0, 0));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/lock-model", test_lock_model);
  g_test_add_func ("/timeline/incremental", test_incremental);
  g_test_add_func ("/timeline/format-time", test_format_time);
  g_test_add_func ("/timeline/render-lock", test_render_lock);
  g_test_add_func ("/timeline/render-blocked", test_render_blocked);
  g_test_add_func ("/timeline/render-steps", test_render_steps);
  g_test_add_func ("/timeline/render-deadlines", test_render_deadlines);
  g_test_add_func ("/timeline/widget", test_widget);
  g_test_add_func ("/timeline/describe", test_describe);

  return g_test_run ();
}
