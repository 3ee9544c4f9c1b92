/* SPDX-License-Identifier: MIT
 *
 * Scrubbing the stress run (10,000 tasks, about 1.8 million records): the
 * loop's state at 100 random instants, reached by the interpreter from its
 * nearest checkpoint, and the loop-internals text the window then shows.
 * Prints the median and the worst of each against the frame budget, and
 * what the checkpoints cost in memory. Against the baseline in the same
 * run: replaying from record 0, as scrubbing did before checkpoints.
 */
#include "config.h"

#include <stdio.h>

#include "ls-describe.h"
#include "ls-interpreter.h"
#include "ls-scenario.h"

#define BUDGET_MS 16.0

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms,
        gboolean    judged)
{
  double median, worst;

  g_array_sort (ms, compare_double);
  median = g_array_index (ms, double, ms->len / 2);
  worst = g_array_index (ms, double, ms->len - 1);
  printf ("%-40s median %7.2f ms, worst %7.2f ms", what, median, worst);
  if (judged)
    printf ("  (target ≤ %.0f ms: %s)", BUDGET_MS,
            median <= BUDGET_MS && worst <= BUDGET_MS ? "met" : "NOT MET");
  printf ("\n");
}

int
main (int argc, char *argv[])
{
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (ls_scenario_lookup ("stress"), 1);
  g_autoptr(LsInterpreter) interpreter = NULL;
  g_autoptr(GArray) state_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pane_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) replay_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  int n = argc > 1 ? atoi (argv[1]) : 100;
  gint64 start, end_time;
  LsTrace *trace;

  if (!ls_scenario_run_to_end (run, NULL))
    return 1;
  trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));
  start = g_get_monotonic_time ();
  interpreter = ls_interpreter_new (trace);
  printf ("stress run: %" G_GUINT64_FORMAT " records, interpreted in %.3f s, "
          "%u checkpoints, %.1f MiB\n",
          ls_trace_get_n_records (trace), (g_get_monotonic_time () - start) / 1e6,
          ls_interpreter_get_n_checkpoints (interpreter),
          ls_interpreter_get_checkpoint_bytes (interpreter) / 1048576.0);
  end_time = ls_interpreter_get_end_time (interpreter);

  for (int i = 0; i < n; i++)
    {
      gint64 t = (gint64) g_rand_double_range (rand, 0, (double) end_time);
      g_autoptr(GString) text = g_string_new (NULL);
      const LsTraceState *state;
      double ms;

      start = g_get_monotonic_time ();
      state = ls_interpreter_state_at (interpreter, t);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (state_ms, ms);

      start = g_get_monotonic_time ();
      ls_describe_loop (text, interpreter, state, 0, t);
      ms = (g_get_monotonic_time () - start) / 1000.0 + g_array_index (state_ms, double, i);
      g_array_append_val (pane_ms, ms);
    }

  /* the baseline: every scrub replays from the first record */
  for (int i = 0; i < MIN (n, 20); i++)
    {
      gint64 t = (gint64) g_rand_double_range (rand, 0, (double) end_time);
      g_autoptr(LsReplay) replay = ls_replay_new ();
      double ms;

      start = g_get_monotonic_time ();
      ls_replay_run (replay, trace, ls_trace_find_time (trace, t + 1));
      ls_replay_get_state (replay);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (replay_ms, ms);
    }

  printf ("%d random instants of the stress run:\n", n);
  report ("  state at the instant", state_ms, TRUE);
  report ("  state and the internals pane's text", pane_ms, TRUE);
  report ("  baseline: replay from record 0", replay_ms, FALSE);
  return 0;
}
