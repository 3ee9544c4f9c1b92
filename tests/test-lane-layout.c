/* SPDX-License-Identifier: MIT
 *
 * How the lanes are arranged, without a display: names that tell
 * namesakes apart, the groups that fold a parent's short-lived children,
 * the filter by name, by state at an instant and by relation to a lane,
 * pins, row heights, and a layout that follows a run as it grows ending
 * where one made afterwards begins.
 */
#include "config.h"

#include <string.h>

#include "ls-lane-layout.h"
#include "ls-scenario.h"
#include "ls-test-scenario.h"

typedef struct
{
  LsScenarioRun *run;
  LsInterpreter *model;
  LsLaneLayout  *layout;
} Fixture;

static void
fixture_free (Fixture *f)
{
  g_clear_object (&f->layout);
  g_clear_object (&f->model);
  g_clear_pointer (&f->run, ls_scenario_run_free);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static Fixture *
fixture_new (const char *scenario)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->run = ls_test_run_scenario (scenario);
  f->model = ls_interpreter_new (ls_test_run_trace (f->run));
  f->layout = ls_lane_layout_new (f->model);
  return f;
}

static int
lane_labelled (Fixture    *f,
               const char *label)
{
  int found = -1;

  for (guint i = 0; i < ls_interpreter_get_n_lanes (f->model); i++)
    if (g_strcmp0 (ls_interpreter_get_lane (f->model, i)->label, label) == 0)
      {
        g_assert_cmpint (found, <, 0);
        found = (int) i;
      }
  g_assert_cmpint (found, >=, 0);
  return found;
}

/* The lane whose name (told apart) is @name */
static int
lane_named (Fixture    *f,
            const char *name)
{
  for (guint i = 0; i < ls_interpreter_get_n_lanes (f->model); i++)
    if (g_strcmp0 (ls_lane_layout_get_name (f->layout, i), name) == 0)
      return (int) i;
  g_error ("no lane named \"%s\"", name);
}

/* The rows' labels, one a line, indented by depth, pinned ones marked */
static char *
rows_text (LsLaneLayout *layout)
{
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < ls_lane_layout_get_n_rows (layout); r++)
    {
      const LsLaneRow *row = ls_lane_layout_get_row (layout, r);
      const char *label = ls_lane_layout_get_row_label (layout, r);

      g_string_append_printf (out, "%s%*s%s%s\n", row->pinned ? "^" : "", row->depth * 2, "",
                              row->kind == LS_LANE_ROW_GROUP
                              ? (ls_lane_layout_get_group (layout, row->group)->expanded ? "- "
                                                                                          : "+ ")
                              : "",
                              label);
    }
  return g_string_free (out, FALSE);
}

static void
assert_rows (LsLaneLayout *layout,
             const char   *expected)
{
  g_autofree char *text = rows_text (layout);

  if (g_strcmp0 (text, expected) != 0)
    g_error ("rows:\n%s\nexpected:\n%s", text, expected);
}

/* Rows lie one under the other, each section from 0, and every lane's row
 * shows it or its folded group. */
static void
check_geometry (LsLaneLayout *layout)
{
  LsInterpreter *model = ls_lane_layout_get_interpreter (layout);
  guint n_pinned = ls_lane_layout_get_n_pinned (layout);
  double y = 0;

  for (guint r = 0; r < ls_lane_layout_get_n_rows (layout); r++)
    {
      const LsLaneRow *row = ls_lane_layout_get_row (layout, r);

      if (r == n_pinned)
        {
          g_assert_cmpfloat (y, ==, ls_lane_layout_get_pinned_height (layout));
          y = 0;
        }
      g_assert_cmpint (row->pinned, ==, r < n_pinned);
      g_assert_cmpfloat (row->y, ==, y);
      g_assert_cmpfloat (row->height, >=, LS_LANE_ROW_HEIGHT);
      g_assert_cmpint (ls_lane_layout_find_row (layout, row->pinned, y), ==, (int) r);
      g_assert_cmpint (ls_lane_layout_find_row (layout, row->pinned, y + row->height - 0.5), ==,
                       (int) r);
      y += row->height;
      if (row->kind == LS_LANE_ROW_LANE)
        g_assert_cmpint (ls_lane_layout_get_lane_row (layout, row->lane), ==, (int) r);
    }
  g_assert_cmpfloat (y, ==, n_pinned == ls_lane_layout_get_n_rows (layout) && n_pinned > 0
                            ? ls_lane_layout_get_pinned_height (layout)
                            : ls_lane_layout_get_scrolled_height (layout));
  g_assert_cmpint (ls_lane_layout_find_row (layout, FALSE, -1), ==, -1);
  g_assert_cmpint (ls_lane_layout_find_row (layout, FALSE,
                                            ls_lane_layout_get_scrolled_height (layout)), ==, -1);
  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    {
      int r = ls_lane_layout_get_lane_row (layout, i);
      const LsLaneRow *row;

      if (r < 0)
        continue;
      row = ls_lane_layout_get_row (layout, r);
      if (row->kind == LS_LANE_ROW_LANE)
        g_assert_cmpuint (row->lane, ==, i);
    }
}

/* producer-consumer: every consumer waits for the queue with wait_for,
 * which runs queue.get() as a task of its own each time: 21 lanes of one
 * name. Each is told apart by its number and its consumer; each
 * consumer's fold into one row, so the queue's lane is the tenth row,
 * not the thirtieth. */
static void
test_producer_consumer (void)
{
  g_autoptr(Fixture) f = fixture_new ("producer-consumer");
  int consumer1 = lane_labelled (f, "Consumer 1");
  int group;
  const LsLaneGroup *g;
  int get3;

  g_assert_cmpstr (ls_lane_layout_get_name (f->layout, consumer1), ==, "Consumer 1");
  get3 = lane_named (f, "queue.get() #3 of Consumer 1");
  g_assert_cmpint (ls_interpreter_find_lane (f->model,
                                             ls_interpreter_get_lane (f->model, get3)->creator_id),
                   ==, consumer1);
  for (guint i = 0; i < ls_interpreter_get_n_lanes (f->model); i++)
    for (guint k = i + 1; k < ls_interpreter_get_n_lanes (f->model); k++)
      g_assert_cmpstr (ls_lane_layout_get_name (f->layout, i), !=,
                       ls_lane_layout_get_name (f->layout, k));

  assert_rows (f->layout,
               "Task-1\n"
               "  Producer 1\n"
               "  Producer 2\n"
               "  Consumer 1\n"
               "    + queue.get() ×6\n"
               "  Consumer 2\n"
               "    + queue.get() ×7\n"
               "  Consumer 3\n"
               "    + queue.get() ×8\n"
               "Queue self.queue\n");
  check_geometry (f->layout);

  /* the group folds its members into its row */
  group = ls_lane_layout_get_lane_group (f->layout, get3);
  g_assert_cmpint (group, >=, 0);
  g = ls_lane_layout_get_group (f->layout, group);
  g_assert_cmpuint (g->parent, ==, consumer1);
  g_assert_cmpuint (g->members->len, ==, 6);
  g_assert_false (g->expanded);
  g_assert_cmpint (ls_lane_layout_get_lane_row (f->layout, get3), ==, 4);

  /* unfolded: the members under it, each with its own row */
  ls_lane_layout_set_group_expanded (f->layout, group, TRUE);
  assert_rows (f->layout,
               "Task-1\n"
               "  Producer 1\n"
               "  Producer 2\n"
               "  Consumer 1\n"
               "    - queue.get() ×6\n"
               "      queue.get() #1 of Consumer 1\n"
               "      queue.get() #2 of Consumer 1\n"
               "      queue.get() #3 of Consumer 1\n"
               "      queue.get() #4 of Consumer 1\n"
               "      queue.get() #5 of Consumer 1\n"
               "      queue.get() #6 of Consumer 1\n"
               "  Consumer 2\n"
               "    + queue.get() ×7\n"
               "  Consumer 3\n"
               "    + queue.get() ×8\n"
               "Queue self.queue\n");
  check_geometry (f->layout);
  g_assert_cmpint (ls_lane_layout_get_lane_row (f->layout, get3), ==, 7);

  /* "consumer": the consumers and what they made (their names say whose) */
  ls_lane_layout_set_group_expanded (f->layout, group, FALSE);
  ls_lane_layout_set_filter_text (f->layout, "consumer");
  g_assert_true (ls_lane_layout_get_filtered (f->layout));
  assert_rows (f->layout,
               "Consumer 1\n"
               "  + queue.get() ×6\n"
               "Consumer 2\n"
               "  + queue.get() ×7\n"
               "Consumer 3\n"
               "  + queue.get() ×8\n");
  check_geometry (f->layout);
  /* a lane filtered out has no row */
  g_assert_cmpint (ls_lane_layout_get_lane_row (f->layout, lane_labelled (f, "Producer 1")), ==,
                   -1);

  /* any case, every word anywhere in the name ("#2 of Consumer 1" has
   * both words too) */
  ls_lane_layout_set_filter_text (f->layout, "  CONSUMER   2 ");
  assert_rows (f->layout,
               "+ queue.get() ×1/6 of Consumer 1\n"
               "Consumer 2\n"
               "  + queue.get() ×7\n"
               "+ queue.get() ×1/8 of Consumer 3\n");
  ls_lane_layout_set_filter_text (f->layout, "PRODUCER 2");
  assert_rows (f->layout, "Producer 2\n");
  ls_lane_layout_set_filter_text (f->layout, "#3 consumer 1");
  assert_rows (f->layout, "+ queue.get() ×1/6 of Consumer 1\n");
  ls_lane_layout_set_filter_text (f->layout, "");
  g_assert_false (ls_lane_layout_get_filtered (f->layout));

  /* pinned: above the others, whatever the filter */
  ls_lane_layout_set_pinned (f->layout, lane_labelled (f, "Queue self.queue"), TRUE);
  ls_lane_layout_set_filter_text (f->layout, "producer");
  assert_rows (f->layout,
               "^Queue self.queue\n"
               "Producer 1\n"
               "Producer 2\n");
  g_assert_cmpuint (ls_lane_layout_get_n_pinned (f->layout), ==, 1);
  /* a queue's row holds its depth chart and its getters, one position each */
  g_assert_cmpfloat (ls_lane_layout_get_pinned_height (f->layout), >,
                     LS_LANE_CHART_HEIGHT + LS_LANE_CHIP_HEIGHT);
  check_geometry (f->layout);
  ls_lane_layout_set_pinned (f->layout, lane_labelled (f, "Queue self.queue"), FALSE);
  ls_lane_layout_set_filter_text (f->layout, NULL);
  g_assert_cmpuint (ls_lane_layout_get_n_pinned (f->layout), ==, 0);
  g_assert_cmpfloat (ls_lane_layout_get_pinned_height (f->layout), ==, 0);
}

/* blocking-read's two tickers are told apart, and two namesakes do not
 * fold by default (three do). */
static void
test_namesakes (void)
{
  g_autoptr(Fixture) f = fixture_new ("blocking-read");
  guint n = 0;

  for (guint i = 0; i < ls_interpreter_get_n_lanes (f->model); i++)
    if (g_strcmp0 (ls_interpreter_get_lane (f->model, i)->label, "ticker") == 0)
      {
        g_autofree char *expected = NULL;

        n++;
        g_assert_true (g_str_has_prefix (ls_lane_layout_get_name (f->layout, i), "ticker "));
        g_assert_cmpint (ls_lane_layout_get_lane_row (f->layout, i), >=, 0);
        g_assert_cmpuint (ls_lane_layout_get_row (f->layout,
                                                  ls_lane_layout_get_lane_row (f->layout, i))->kind,
                          ==, LS_LANE_ROW_LANE);
      }
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (ls_lane_layout_get_name (f->layout, lane_named (f, "ticker #1")), ==,
                   "ticker #1");
  g_assert_cmpstr (ls_lane_layout_get_name (f->layout, lane_named (f, "ticker #2")), ==,
                   "ticker #2");
}

/* timeout: Task-1 ends failed (TimeoutError), Task 1 cancelled by
 * wait_for; the state filter reads the states at its instant. */
static void
test_states (void)
{
  g_autoptr(Fixture) f = fixture_new ("timeout");

  ls_lane_layout_set_filter_states (f->layout, 1u << LS_TASK_STATE_FAILED);
  assert_rows (f->layout, "Task-1\n");
  ls_lane_layout_set_filter_states (f->layout, 1u << LS_TASK_STATE_CANCELLED);
  assert_rows (f->layout, "Task 1\n");
  /* at 1 s both wait: Task-1 on wait_for, Task 1 in its sleep */
  ls_lane_layout_set_filter_time (f->layout, 1000000000);
  assert_rows (f->layout, "");
  ls_lane_layout_set_filter_states (f->layout, 1u << LS_TASK_STATE_WAITING);
  assert_rows (f->layout, "Task-1\n  Task 1\n");
  ls_lane_layout_set_filter_states (f->layout, 0);
  ls_lane_layout_set_filter_time (f->layout, -1);
  assert_rows (f->layout, "Task-1\n  Task 1\n");
}

/* lock: Task 3 waits for the lock, gets it from Task 2, hands it to Task 4;
 * what is related to it is that and its creator, not Task 0 or Task 1. */
static void
test_related (void)
{
  g_autoptr(Fixture) f = fixture_new ("lock");

  ls_lane_layout_set_related_to (f->layout, lane_labelled (f, "Task 3"));
  assert_rows (f->layout,
               "Task-1\n"
               "  Task 2\n"
               "  Task 3\n"
               "  Task 4\n"
               "Lock self.lock\n");
  /* from the lock: every task that held it or waited for it */
  ls_lane_layout_set_related_to (f->layout, lane_labelled (f, "Lock self.lock"));
  assert_rows (f->layout,
               "Task-1\n"
               "  Task 0\n"
               "  Task 1\n"
               "  Task 2\n"
               "  Task 3\n"
               "  Task 4\n"
               "Lock self.lock\n");
  ls_lane_layout_set_related_to (f->layout, -1);
  g_assert_false (ls_lane_layout_get_filtered (f->layout));
}

/* A trace of the test's own: Task-1 makes 20 unnamed tasks (Task-2 …
 * Task-21) and a named one, which makes two more. */
static LsTrace *
numbered_trace (guint n_children)
{
  LsTrace *trace = ls_trace_new ();
  LsTraceChunks *c = _ls_trace_get_chunks (trace);
  guint32 named = ls_trace_intern (trace, "named");
  guint32 id = 1;

  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, id++, 0, 1);
  for (guint i = 0; i < n_children; i++)
    ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 1, id++, 0, i + 2);
  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 1, id, named, n_children + 2);
  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, id, id + 1, 0, n_children + 3);
  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, id, id + 2, 0, n_children + 4);
  ls_trace_flush (trace);
  return trace;
}

/* Many children whose names differ in a number fold into one row (the
 * stress run's 10,000); a few do not. Groups can be turned off for an
 * export of every lane. */
static void
test_numbered (void)
{
  g_autoptr(LsTrace) trace = numbered_trace (20);
  g_autoptr(LsInterpreter) model = ls_interpreter_new (trace);
  g_autoptr(LsLaneLayout) layout = ls_lane_layout_new (model);

  assert_rows (layout,
               "Task-1\n"
               "  + Task-… ×20\n"
               "  named\n"
               "    Task-23\n"
               "    Task-24\n");
  check_geometry (layout);
  ls_lane_layout_set_grouping (layout, FALSE);
  g_assert_cmpuint (ls_lane_layout_get_n_groups (layout), ==, 0);
  g_assert_cmpuint (ls_lane_layout_get_n_rows (layout), ==, 1 + 20 + 3);
  g_assert_cmpstr (ls_lane_layout_get_row (layout, 1)->kind == LS_LANE_ROW_LANE
                   ? ls_lane_layout_get_name (layout, ls_lane_layout_get_row (layout, 1)->lane)
                   : "", ==, "Task-2");
  check_geometry (layout);

  {
    g_autoptr(LsTrace) few = numbered_trace (LS_LANE_GROUP_BIG);
    g_autoptr(LsInterpreter) few_model = ls_interpreter_new (few);
    g_autoptr(LsLaneLayout) few_layout = ls_lane_layout_new (few_model);

    g_assert_cmpuint (ls_lane_layout_get_n_groups (few_layout), ==, 0);
    g_assert_cmpuint (ls_lane_layout_get_n_rows (few_layout), ==, 1 + LS_LANE_GROUP_BIG + 3);
  }
}

/* Task-1 creates A and B, which create a "ticker" each, then three
 * "worker"s and two "pair"s. */
static LsTrace *
family_trace (void)
{
  LsTrace *trace = ls_trace_new ();
  LsTraceChunks *c = _ls_trace_get_chunks (trace);
  guint32 a = ls_trace_intern (trace, "A");
  guint32 b = ls_trace_intern (trace, "B");
  guint32 ticker = ls_trace_intern (trace, "ticker");
  guint32 worker = ls_trace_intern (trace, "worker");
  guint32 pair = ls_trace_intern (trace, "pair");

  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, 1, 0, 1);
  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 1, 2, a, 2);
  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 1, 3, b, 3);
  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 2, 4, ticker, 4);
  ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 3, 5, ticker, 5);
  for (guint32 i = 0; i < 3; i++)
    ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 1, 6 + i, worker, 6 + i);
  for (guint32 i = 0; i < 2; i++)
    ls_trace_append (c, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 1, 9 + i, pair, 9 + i);
  ls_trace_flush (trace);
  return trace;
}

/* A lone child of a name other parents' children share is named after its
 * parent, with no number; siblings of one name are numbered from 1. Three
 * of one name fold by default (LS_LANE_GROUP_FOLD), two do not. */
static void
test_family (void)
{
  g_autoptr(LsTrace) trace = family_trace ();
  g_autoptr(LsInterpreter) model = ls_interpreter_new (trace);
  g_autoptr(LsLaneLayout) layout = ls_lane_layout_new (model);

  g_assert_cmpint (LS_LANE_GROUP_FOLD, ==, 3);
  g_assert_cmpstr (ls_lane_layout_get_name (layout, 3), ==, "ticker of A");
  g_assert_cmpstr (ls_lane_layout_get_name (layout, 4), ==, "ticker of B");
  g_assert_cmpstr (ls_lane_layout_get_name (layout, 5), ==, "worker #1");
  g_assert_cmpstr (ls_lane_layout_get_name (layout, 7), ==, "worker #3");
  g_assert_cmpstr (ls_lane_layout_get_name (layout, 9), ==, "pair #2");
  assert_rows (layout,
               "Task-1\n"
               "  A\n"
               "    ticker of A\n"
               "  B\n"
               "    ticker of B\n"
               "  + worker ×3\n"
               "  - pair ×2\n"
               "    pair #1\n"
               "    pair #2\n");
  check_geometry (layout);
}

static void
count (guint *n)
{
  (*n)++;
}

/* A layout made before the run follows it step by step and ends with the
 * rows of one made afterwards; the user's folding outlives new lanes. */
static void
test_incremental (void)
{
  const LsScenario *scenario = ls_scenario_lookup ("producer-consumer");
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (scenario, 0);
  LsLoop *loop = ls_scenario_run_get_loop (run);
  LsTrace *trace = ls_loop_get_trace (loop);
  g_autoptr(LsInterpreter) model = ls_interpreter_new (trace);
  g_autoptr(LsLaneLayout) layout = ls_lane_layout_new (model);
  g_autoptr(LsInterpreter) after_model = NULL;
  g_autoptr(LsLaneLayout) after = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  guint changes = 0;
  gboolean unfolded = FALSE;

  ls_loop_set_speed (loop, LS_LOOP_INSTANT);
  g_signal_connect_swapped (layout, "changed", G_CALLBACK (count), &changes);
  while (!ls_loop_get_stopped (loop))
    {
      ls_loop_step (loop);
      ls_trace_flush (trace);
      /* unfold Consumer 3's as soon as there is such a group */
      for (guint g = 0; !unfolded && g < ls_lane_layout_get_n_groups (layout); g++)
        {
          const LsLaneGroup *group = ls_lane_layout_get_group (layout, g);

          if (g_strcmp0 (ls_interpreter_get_lane (model, group->parent)->label, "Consumer 3") == 0)
            {
              ls_lane_layout_set_group_expanded (layout, g, TRUE);
              unfolded = TRUE;
            }
        }
    }
  g_assert_true (unfolded);
  g_assert_cmpuint (changes, >, 10);

  after_model = ls_interpreter_new (trace);
  after = ls_lane_layout_new (after_model);
  for (guint g = 0; g < ls_lane_layout_get_n_groups (after); g++)
    if (g_strcmp0 (ls_interpreter_get_lane (after_model,
                                            ls_lane_layout_get_group (after, g)->parent)->label,
                   "Consumer 3") == 0)
      ls_lane_layout_set_group_expanded (after, g, TRUE);
  a = rows_text (layout);
  b = rows_text (after);
  g_assert_cmpstr (a, ==, b);
  g_assert_nonnull (strstr (a, "- queue.get() ×8\n      queue.get() #1 of Consumer 3\n"));
  for (guint r = 0; r < ls_lane_layout_get_n_rows (layout); r++)
    g_assert_cmpfloat (ls_lane_layout_get_row (layout, r)->height, ==,
                       ls_lane_layout_get_row (after, r)->height);
  check_geometry (layout);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lane-layout/producer-consumer", test_producer_consumer);
  g_test_add_func ("/lane-layout/namesakes", test_namesakes);
  g_test_add_func ("/lane-layout/states", test_states);
  g_test_add_func ("/lane-layout/related", test_related);
  g_test_add_func ("/lane-layout/numbered", test_numbered);
  g_test_add_func ("/lane-layout/family", test_family);
  g_test_add_func ("/lane-layout/incremental", test_incremental);
  return g_test_run ();
}
