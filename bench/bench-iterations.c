/* SPDX-License-Identifier: MIT
 *
 * The iteration view on the stress trace (10,000 tasks, over a million
 * records), against the time view in the same run: building its map (the
 * restamped copy and its interpreter) against building the run's
 * interpreter, and frames of both views at the same zooms, through the
 * renderer the widget and the exports use, into a 1600x900 surface.
 * Target: every frame of the iteration view within 16 ms, as the time
 * view's.
 */
#include "config.h"

#include <stdio.h>

#include "ls-bench.h"
#include "ls-scenario.h"
#include "ls-interpreter.h"
#include "ls-iteration-map.h"
#include "ls-timeline-renderer.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median and worst of @frames frames at @zoom, wandering through the
 * run and down the lanes as bench-timeline does */
static void
frames_at (LsInterpreter  *model,
           LsIterationMap *map,
           LsLaneLayout   *layout,
           cairo_surface_t *surface,
           double          zoom,
           int             frames,
           double         *median,
           double         *worst)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 end = ls_interpreter_get_end_time (model);
  gint64 span = (gint64) (end / zoom);

  for (int f = 0; f < frames; f++)
    {
      cairo_t *cr = cairo_create (surface);
      LsTimelineView view = { 0 };
      gint64 start;
      double ms;

      view.width = 1600;
      view.height = 900;
      view.t0 = (end - span) * f / MAX (frames - 1, 1);
      view.t1 = view.t0 + MAX (span, 1000);
      view.scroll_y = 26.0 * 37 * f;
      view.now = end;
      view.cursor = -1;
      view.selected_lane = f % 3 == 0 ? 5 : -1;
      view.dark = f % 2;
      view.layout = layout;
      view.iterations = map;
      start = g_get_monotonic_time ();
      ls_timeline_render (cr, model, &view);
      cairo_surface_flush (surface);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
      cairo_destroy (cr);
    }
  g_array_sort (times, compare_double);
  *median = g_array_index (times, double, times->len / 2);
  *worst = g_array_index (times, double, times->len - 1);
}

int
main (int argc, char *argv[])
{
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (ls_scenario_lookup ("stress"), 1);
  g_autoptr(LsInterpreter) model = NULL;
  g_autoptr(LsIterationMap) map = NULL;
  g_autoptr(LsLaneLayout) layout = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1600, 900);
  static const double zooms[] = { 1, 10, 100, 1000 };
  int frames = argc > 1 ? atoi (argv[1]) : 20;
  LsBenchVerdict verdict = { 0 };
  LsTrace *trace;
  gint64 start;
  double t_model, t_map;

  if (!ls_scenario_run_to_end (run, NULL))
    return 1;
  trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));

  start = g_get_monotonic_time ();
  model = ls_interpreter_new (trace);
  t_model = (g_get_monotonic_time () - start) / 1e6;
  start = g_get_monotonic_time ();
  map = ls_iteration_map_new (trace);
  t_map = (g_get_monotonic_time () - start) / 1e6;
  printf ("%" G_GUINT64_FORMAT " records, %u iterations, %u callbacks\n",
          ls_trace_get_n_records (trace), ls_iteration_map_get_iterations (map)->len,
          ls_iteration_map_get_slots (map)->len);
  printf ("interpreter of the run: %.3f s; iteration map (copy and its interpreter): %.3f s "
          "(%.2fx)\n", t_model, t_map, t_map / t_model);
  layout = ls_lane_layout_new (model);
  ls_lane_layout_set_grouping (layout, FALSE);

  /* fonts and caches, once */
  {
    double m, w;

    frames_at (model, NULL, layout, surface, 1, 1, &m, &w);
  }
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      double time_median, time_worst, it_median, it_worst;
      g_autofree char *name = g_strdup_printf ("iteration-view-worst-frame-zoom-%g", zooms[z]);

      frames_at (model, NULL, layout, surface, zooms[z], frames, &time_median, &time_worst);
      frames_at (ls_iteration_map_get_interpreter (map), map, layout, surface, zooms[z], frames,
                 &it_median, &it_worst);
      printf ("zoom %6gx: time view median %.2f ms worst %.2f ms; iteration view median %.2f ms "
              "worst %.2f ms (median %.2fx)\n", zooms[z], time_median, time_worst, it_median,
              it_worst, it_median / MAX (time_median, 0.001));
      ls_bench_target (&verdict, name, it_worst, 16.0, TRUE, "ms");
    }
  cairo_surface_destroy (surface);
  ls_bench_verdict (&verdict, "iteration-view");
  return 0;
}
