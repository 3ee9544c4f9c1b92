/* SPDX-License-Identifier: MIT
 *
 * The stress scenario at scale: 100,000 tasks by default (its "tasks"
 * knob; the scenario's own default is 10,000), on the virtual clock at
 * Instant speed, from the first task to the end of asyncio.run's shutdown.
 * Prints the wall and CPU time, the peak resident memory (VmHWM) and what
 * it comes to per task, and the trace's records and bytes per record (the
 * chunks mapped for them, over the records they hold).
 *
 *   bench-stress [TASKS]       e.g. bench-stress 1000000 (about 10 GiB)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ls-scenario.h"

/* A field of /proc/self/status, in bytes */
static gint64
status_bytes (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, field)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (field), NULL, 10) * 1024;
}

int
main (int argc, char *argv[])
{
  double tasks = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 100000;
  g_autoptr(LsScenarioRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rss_before = status_bytes ("VmRSS:");
  struct rusage usage;
  gint64 start, peak;
  guint64 n_records, mapped;
  double elapsed;
  LsTrace *trace;

  run = ls_scenario_run_new (ls_scenario_lookup ("stress"), 1);
  ls_scenario_run_set_knob (run, "tasks", tasks);
  start = g_get_monotonic_time ();
  if (!ls_scenario_run_to_end (run, &error))
    {
      fprintf (stderr, "stress: %s\n", error->message);
      return 1;
    }
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  getrusage (RUSAGE_SELF, &usage);
  peak = status_bytes ("VmHWM:");
  trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));
  n_records = ls_trace_get_n_records (trace);
  /* records come in chunks of LS_TRACE_CHUNK_SIZE, mapped whole */
  mapped = (n_records + LS_TRACE_CHUNK_SIZE - 1) / LS_TRACE_CHUNK_SIZE * LS_TRACE_CHUNK_SIZE
           * sizeof (LsTraceRecord);
  printf ("stress %.0f tasks: %.2f s wall, CPU %.2f s user + %.2f s kernel (the process), "
          "%" G_GUINT64_FORMAT " records "
          "(%.0f per task, %.1f bytes per record), peak RSS %.0f MiB "
          "(%.0f bytes per task above the %.0f MiB before the run), "
          "scenario time %.3f s\n",
          tasks, elapsed, usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
          usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6, n_records, n_records / tasks, (double) mapped / n_records,
          peak / 1048576.0, (peak - rss_before) / tasks, rss_before / 1048576.0,
          ls_trace_get_end_time (trace) / 1e9);
  return 0;
}
