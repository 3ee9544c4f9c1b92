/* SPDX-License-Identifier: MIT
 *
 * The chapter's listings run by CPython under Loopscope's tracer, on the
 * virtual clock, against Loopscope's own runs of the same scenarios:
 *
 *  - the tracer's console reads exactly as CPython prints the listing
 *    (tests/expected-scenarios/ID.txt, made by pyref/check_scenarios.py);
 *  - read by LsInterpreter, the tracer's records give the same task lanes
 *    (names, nesting), the same state spans with the same wait reasons at
 *    the same instants, the same primitive lanes (owners, permits, depths),
 *    blocked bands and timeout deadlines as the C scenario's trace.
 *
 * A lane's name may differ in one way only: the C scenario names a task
 * after what the listing calls it (task1(), 任务1) where CPython calls it
 * Task-N; the number N must then be the C task's number.
 *
 * Where the C re-enactment differs from the listing on purpose, DIFFERENCES
 * says how, and the test checks that the two still differ (an entry that no
 * longer holds fails, so the list cannot go stale).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ls-loop.h"
#include "ls-scenario.h"
#include "ls-test-python.h"
#include "ls-test-scenario.h"

typedef struct
{
  const char *id;
  const char *why;
} Difference;

static const Difference differences[] = {
  { "sync-vs-async",
    "the listing's synchronous half is module-level code, before asyncio.run() makes a loop "
    "(CPython's Task-1 starts at 4.5 s); the scenario runs both halves in its main task" },
  { "python-vs-js",
    "the listing calls asyncio.run() twice, so CPython's first main task ends at 1 s and the "
    "second run begins with a new main task on a new loop; the scenario runs both in one main "
    "task" },
  { "blocking-read",
    "aiofiles is not installed here: its offline stand-in (tests/pyref/stubs) reads the file "
    "after a bare yield, where the scenario waits for a real read (waiting: io)" },
  { "file-io",
    "aiofiles is not installed here: its offline stand-in reads and writes after a bare yield, "
    "where the scenario waits for real reads and writes (waiting: io)" },
  { "downloader",
    "aiohttp and aiofiles are not installed here: their offline stand-ins answer /delay/N with "
    "one asyncio.sleep (waiting: sleep) and write after a bare yield, where the scenario waits "
    "on the local server's HTTP responses and on real writes (waiting: io)" },
  { NULL, NULL }
};

static const char *
difference_in (const Difference *list,
               const char       *id)
{
  for (guint i = 0; list[i].id != NULL; i++)
    if (g_str_equal (list[i].id, id))
      return list[i].why;
  return NULL;
}


/* The listing as CPython runs it for tests/expected-scenarios (the
 * chapter's, with tests/scenario-ref/ID.diff applied where there is one),
 * written by pyref/check_scenarios.py alone in the new folder @dir: CPython
 * puts a program's folder first on sys.path, and next to the other
 * listings queue.py would stand for the standard library's queue (which
 * to_thread imports). */
static char *
write_listing (const char *id,
               const char *dir)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "pyref", "check_scenarios.py",
                                                   NULL);
  const char *argv[] = { "python3", script, "--write-listings", dir, id, NULL };
  g_autofree char *file = g_strconcat (id, ".py", NULL);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return g_build_filename (dir, file, NULL);
}

static char *
normalise (const char *text)
{
  g_autoptr(GRegex) address = g_regex_new (" at 0x[0-9a-fA-F]+", 0, 0, NULL);

  return g_regex_replace_literal (address, text, -1, 0, " at 0x...", 0, NULL);
}

static guint32
task_number (LsInterpreter *interpreter,
             guint32        task_id,
             gboolean      *named)
{
  const LsTaskEntry *task =
    ls_trace_state_get_task ((LsTraceState *) ls_interpreter_get_state (interpreter), task_id);

  g_assert_nonnull (task);
  *named = task->name_id != 0;
  return task->number;
}

/* Appends to @why how the two runs differ, if they do. */
static void
compare_lanes (LsInterpreter *c,
               LsInterpreter *py,
               GString       *why)
{
  GPtrArray *lanes[2] = { g_ptr_array_new (), g_ptr_array_new () };
  LsInterpreter *both[2] = { c, py };

  for (guint k = 0; k < 2; k++)
    for (guint l = 0; l < ls_interpreter_get_n_lanes (both[k]); l++)
      {
        const LsTimelineLane *lane = ls_interpreter_get_lane (both[k], l);

        if (!lane->hidden)
          g_ptr_array_add (lanes[k], (gpointer) lane);
      }
  if (lanes[0]->len != lanes[1]->len)
    g_string_append_printf (why, "%u lanes in C, %u in CPython\n", lanes[0]->len,
                            lanes[1]->len);
  for (guint i = 0; i < MIN (lanes[0]->len, lanes[1]->len); i++)
    {
      const LsTimelineLane *a = g_ptr_array_index (lanes[0], i);
      const LsTimelineLane *b = g_ptr_array_index (lanes[1], i);

      if (a->kind != b->kind || a->object_kind != b->object_kind)
        {
          g_string_append_printf (why, "lane %u: %s in C, %s in CPython\n", i, a->label,
                                  b->label);
          continue;
        }
      if (a->kind == LS_TIMELINE_LANE_TASK)
        {
          gboolean c_named, py_named;
          guint32 c_number = task_number (c, a->object_id, &c_named);
          guint32 py_number = task_number (py, b->object_id, &py_named);

          if (!g_str_equal (a->label, b->label) && (py_named || c_number != py_number))
            g_string_append_printf (why, "lane %u: %s in C, %s in CPython\n", i, a->label,
                                    b->label);
          if (a->depth != b->depth)
            g_string_append_printf (why, "lane %u (%s): depth %u in C, %u in CPython\n", i,
                                    a->label, a->depth, b->depth);
          if (a->spans->len != b->spans->len)
            g_string_append_printf (why, "lane %u (%s): %u spans in C, %u in CPython\n", i,
                                    a->label, a->spans->len, b->spans->len);
          for (guint s = 0; s < MIN (a->spans->len, b->spans->len); s++)
            {
              const LsTimelineSpan *x = &g_array_index (a->spans, LsTimelineSpan, s);
              const LsTimelineSpan *y = &g_array_index (b->spans, LsTimelineSpan, s);

              if (x->start_ns != y->start_ns || x->end_ns != y->end_ns || x->state != y->state
                  || (x->state == LS_TASK_STATE_WAITING && x->wait_reason != y->wait_reason))
                {
                  g_string_append_printf (why, "lane %u (%s), span %u: %s %s at %.9f-%.9f in C, "
                                          "%s %s at %.9f-%.9f in CPython\n", i, a->label, s,
                                          ls_task_state_name (x->state),
                                          ls_wait_reason_name (x->wait_reason),
                                          x->start_ns / 1e9, x->end_ns / 1e9,
                                          ls_task_state_name (y->state),
                                          ls_wait_reason_name (y->wait_reason),
                                          y->start_ns / 1e9, y->end_ns / 1e9);
                  break;
                }
            }
        }
      else
        {
          if (a->steps->len != b->steps->len
              || (a->steps->len > 0
                  && memcmp (a->steps->data, b->steps->data,
                             a->steps->len * sizeof (LsTimelineStep)) != 0))
            g_string_append_printf (why, "lane %u (%s): its counts differ\n", i, a->label);
          if (a->holds->len != b->holds->len)
            g_string_append_printf (why, "lane %u (%s): %u holds in C, %u in CPython\n", i,
                                    a->label, a->holds->len, b->holds->len);
          for (guint h = 0; h < MIN (a->holds->len, b->holds->len); h++)
            {
              const LsTimelineHold *x = &g_array_index (a->holds, LsTimelineHold, h);
              const LsTimelineHold *y = &g_array_index (b->holds, LsTimelineHold, h);

              if (x->start_ns != y->start_ns || x->end_ns != y->end_ns
                  || ls_interpreter_find_lane (c, x->task_id)
                     != ls_interpreter_find_lane (py, y->task_id))
                {
                  g_string_append_printf (why, "lane %u (%s): hold %u differs\n", i, a->label, h);
                  break;
                }
            }
        }
    }
  {
    GArray *bands[2] = { ls_interpreter_get_bands (c), ls_interpreter_get_bands (py) };
    GArray *deadlines[2] = { ls_interpreter_get_deadlines (c),
                             ls_interpreter_get_deadlines (py) };

    if (bands[0]->len != bands[1]->len)
      g_string_append_printf (why, "%u blocked bands in C, %u in CPython\n", bands[0]->len,
                              bands[1]->len);
    for (guint i = 0; i < MIN (bands[0]->len, bands[1]->len); i++)
      {
        const LsTimelineBand *x = &g_array_index (bands[0], LsTimelineBand, i);
        const LsTimelineBand *y = &g_array_index (bands[1], LsTimelineBand, i);

        if (x->start_ns != y->start_ns || x->end_ns != y->end_ns)
          g_string_append_printf (why, "blocked band %u: %.3f-%.3f in C, %.3f-%.3f in CPython\n",
                                  i, x->start_ns / 1e9, x->end_ns / 1e9, y->start_ns / 1e9,
                                  y->end_ns / 1e9);
      }
    if (deadlines[0]->len != deadlines[1]->len)
      g_string_append_printf (why, "%u deadlines in C, %u in CPython\n", deadlines[0]->len,
                              deadlines[1]->len);
    for (guint i = 0; i < MIN (deadlines[0]->len, deadlines[1]->len); i++)
      {
        const LsTimelineDeadline *x = &g_array_index (deadlines[0], LsTimelineDeadline, i);
        const LsTimelineDeadline *y = &g_array_index (deadlines[1], LsTimelineDeadline, i);

        if (x->start_ns != y->start_ns || x->deadline_ns != y->deadline_ns
            || x->reason != y->reason)
          g_string_append_printf (why, "deadline %u differs\n", i);
      }
  }
  g_ptr_array_unref (lanes[0]);
  g_ptr_array_unref (lanes[1]);
}

static void
test_scenario (gconstpointer data)
{
  const LsScenario *scenario = data;
  g_autofree char *dir = g_dir_make_tmp ("loopscope-listing-XXXXXX", NULL);
  g_autofree char *listing = write_listing (scenario->id, dir);
  g_autofree char *file = g_strconcat (scenario->id, ".txt", NULL);
  g_autofree char *expected_path = g_test_build_filename (G_TEST_DIST, "expected-scenarios",
                                                          file, NULL);
  g_autofree char *expected = NULL;
  g_autofree char *console = NULL;
  g_autoptr(LsPythonRun) run = ls_test_run_python (listing, LS_LOOP_INSTANT);
  g_autoptr(LsScenarioRun) c_run = ls_test_run_scenario_as_reference (scenario->id);
  g_autoptr(LsInterpreter) py = ls_interpreter_new (ls_python_run_get_trace (run));
  g_autoptr(LsInterpreter) c = ls_interpreter_new (ls_test_run_trace (c_run));
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) why = g_string_new (NULL);
  LsTrace *trace = ls_python_run_get_trace (run);
  const char *on_purpose = difference_in (differences, scenario->id);

  g_assert_cmpint (g_remove (listing), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  /* the console, from the whole run */
  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  ls_console_append (out, trace, 0, ls_trace_get_n_records (trace));
  if (ls_python_run_get_exception (run) != NULL)
    g_string_append_printf (out, "[%8.3f] %s\n", ls_python_run_get_end_time (run) / 1e9,
                            ls_python_run_get_exception (run));
  console = normalise (out->str);
  g_assert_cmpstr (console, ==, expected);

  compare_lanes (c, py, why);
  if (on_purpose == NULL && why->len > 0)
    {
      g_autofree char *c_lanes = ls_test_describe_lanes (c);
      g_autofree char *py_lanes = ls_test_describe_lanes (py);

      g_printerr ("%s: the C scenario and CPython differ:\n%sC:\n%sCPython:\n%s", scenario->id,
                  why->str, c_lanes, py_lanes);
      g_test_fail ();
    }
  else if (on_purpose != NULL)
    {
      if (why->len == 0)
        {
          g_printerr ("%s no longer differs from CPython (%s): take it off the list\n",
                      scenario->id, on_purpose);
          g_test_fail ();
        }
      else
        g_test_message ("%s differs on purpose: %s", scenario->id, on_purpose);
    }
}

int
main (int argc, char *argv[])
{
  guint n;
  const LsScenario *const *all;

  /* the C scenarios print in the chapter's words under zh_CN */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LOOPSCOPE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

  all = ls_scenarios_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = NULL;

      /* as in test-scenarios: http-fetch depends on the HTTP stack */
      if (all[i]->randomised || g_str_equal (all[i]->id, "http-fetch"))
        continue;
      path = g_strdup_printf ("/python/scenarios/%s", all[i]->id);
      g_test_add_data_func (path, all[i], test_scenario);
    }
  return g_test_run ();
}
