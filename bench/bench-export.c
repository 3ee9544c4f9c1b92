/* SPDX-License-Identifier: MIT
 *
 * Export benchmarks on the "stress" scenario (over a million records):
 *
 *   run          the scenario on the virtual clock
 *   png          PNG of the whole run, 1200 px wide
 *   json-export  the trace as a Trace Event file
 *   json-import  loading it back (in a child process, so its peak
 *                memory is its own: VmHWM from /proc/self/status)
 *
 * Output: one line per figure, "NAME VALUE UNIT", then the targets and a
 * verdict (ls-bench.h). The targets: the largest run a user can record
 * exports and reopens in about the time a dialog takes to close, and
 * opening a trace costs the mapped file plus the records, no JSON tree:
 *
 *   png          at most 2 s
 *   json-export  at most 1 s
 *   json-size    at most 65.4 MiB: half the 130.8 MiB of the format
 *                before the records were compressed (version 1)
 *   json-import  at most 1 s, its peak resident memory at most 2x the file
 *
 *   bench-export [DIR]          everything, files in DIR (default: a temporary folder)
 *   bench-export --import FILE  only the import (what the child runs)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "ls-bench.h"
#include "ls-export.h"
#include "ls-scenario.h"
#include "ls-interpreter.h"
#include "ls-trace-json.h"

static gint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field) + 1, NULL, 10);
}

static int
bench_import (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTrace) trace = NULL;
  GStatBuf st;
  gint64 before = status_kib ("VmHWM:");
  gint64 t = g_get_monotonic_time ();
  gint64 after;

  trace = ls_trace_load_json (path, &error);
  t = g_get_monotonic_time () - t;
  if (trace == NULL)
    {
      g_printerr ("bench-export: %s\n", error->message);
      return 1;
    }
  after = status_kib ("VmHWM:");
  g_stat (path, &st);
  printf ("json-import %.3f s\n", t / 1e6);
  printf ("json-import-records %" G_GUINT64_FORMAT " records\n", ls_trace_get_n_records (trace));
  printf ("json-import-peak %.1f MiB\n", after / 1024.0);
  printf ("json-import-peak-growth %.1f MiB\n", (after - before) / 1024.0);
  printf ("json-import-peak-vs-file %.2f x\n", after * 1024.0 / st.st_size);
  return 0;
}

int
main (int argc, char *argv[])
{
  g_autoptr(LsScenarioRun) run = NULL;
  g_autoptr(LsInterpreter) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL, *json = NULL;
  const LsScenario *scenario;
  LsExportOptions options;
  LsBenchVerdict verdict = { 0 };
  LsTrace *trace;
  GStatBuf st;
  gint64 t;
  double png_s, export_s, size_mib;
  int status;

  if (argc == 3 && g_str_equal (argv[1], "--import"))
    return bench_import (argv[2]);

  scenario = ls_scenario_lookup ("stress");
  if (scenario == NULL)
    {
      g_printerr ("bench-export: no stress scenario\n");
      return 1;
    }
  dir = argc > 1 ? g_strdup (argv[1]) : g_dir_make_tmp ("loopscope-bench-XXXXXX", NULL);
  png = g_build_filename (dir, "stress.png", NULL);
  json = g_build_filename (dir, "stress.json", NULL);

  t = g_get_monotonic_time ();
  run = ls_scenario_run_new (scenario, 0);
  if (!ls_scenario_run_to_end (run, &error))
    {
      g_printerr ("bench-export: %s\n", error->message);
      return 1;
    }
  trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));
  printf ("run %.3f s\n", (g_get_monotonic_time () - t) / 1e6);
  printf ("records %" G_GUINT64_FORMAT " records\n", ls_trace_get_n_records (trace));

  t = g_get_monotonic_time ();
  model = ls_interpreter_new (trace);
  printf ("model %.3f s\n", (g_get_monotonic_time () - t) / 1e6);

  ls_export_options_init (&options);
  options.title = "stress";
  t = g_get_monotonic_time ();
  if (!ls_export_image (model, &options, png, &error))
    {
      g_printerr ("bench-export: %s\n", error->message);
      return 1;
    }
  png_s = (g_get_monotonic_time () - t) / 1e6;
  printf ("png %.3f s\n", png_s);

  t = g_get_monotonic_time ();
  if (!ls_trace_save_json (trace, NULL, json, &error))
    {
      g_printerr ("bench-export: %s\n", error->message);
      return 1;
    }
  export_s = (g_get_monotonic_time () - t) / 1e6;
  printf ("json-export %.3f s\n", export_s);
  g_stat (json, &st);
  size_mib = st.st_size / 1048576.0;
  printf ("json-size %.1f MiB\n", size_mib);
  fflush (stdout);

  {
    const char *child[] = { argv[0], "--import", json, NULL };
    g_autofree char *out = NULL;
    g_auto(GStrv) lines = NULL;
    double import_s = -1, peak_vs_file = -1;

    if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                       &out, NULL, &status, &error)
        || !g_spawn_check_wait_status (status, NULL))
      return 1;
    printf ("%s", out);
    lines = g_strsplit (out, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "json-import "))
        import_s = g_ascii_strtod (lines[i] + strlen ("json-import "), NULL);
      else if (g_str_has_prefix (lines[i], "json-import-peak-vs-file "))
        peak_vs_file = g_ascii_strtod (lines[i] + strlen ("json-import-peak-vs-file "), NULL);
    if (import_s < 0 || peak_vs_file < 0)
      {
        g_printerr ("bench-export: the import printed no figures\n");
        return 1;
      }
    ls_bench_target (&verdict, "png", png_s, 2.0, TRUE, "s");
    ls_bench_target (&verdict, "json-export", export_s, 1.0, TRUE, "s");
    ls_bench_target (&verdict, "json-size", size_mib, 130.8 / 2, TRUE, "MiB");
    ls_bench_target (&verdict, "json-import", import_s, 1.0, TRUE, "s");
    ls_bench_target (&verdict, "json-import-peak", peak_vs_file, 2.0, TRUE, "x the file");
    ls_bench_verdict (&verdict, "export");
  }
  if (argc <= 1)
    {
      g_unlink (png);
      g_unlink (json);
      g_rmdir (dir);
    }
  return 0;
}
