/* SPDX-License-Identifier: MIT
 *
 * Timeline frame times on the stress trace (10,000 tasks, over a million
 * records): the model is built once (as the window does, outside any
 * frame), then frames are rendered at several zoom levels through the same
 * renderer the widget and the exports use, into a 1600x900 surface.
 * Prints the median and worst frame per zoom level. Target: every frame
 * within 16 ms (60 frames a second), the worst of each zoom level; the first
 * frame, which loads the fonts, is reported apart.
 */
#include "config.h"

#include <stdio.h>

#include "ls-bench.h"
#include "ls-scenario.h"
#include "ls-interpreter.h"
#include "ls-timeline-renderer.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char *argv[])
{
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (ls_scenario_lookup ("stress"), 1);
  g_autoptr(LsInterpreter) model = NULL;
  g_autoptr(LsLaneLayout) layout = NULL;
  LsTrace *trace;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1600, 900);
  static const double zooms[] = { 1, 10, 100, 1000, 10000 };
  gint64 start, end_time;
  int frames = argc > 1 ? atoi (argv[1]) : 20;
  LsBenchVerdict verdict = { 0 };

  start = g_get_monotonic_time ();
  if (!ls_scenario_run_to_end (run, NULL))
    return 1;
  trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));
  printf ("stress run: %" G_GUINT64_FORMAT " records in %.3f s\n", ls_trace_get_n_records (trace),
          (g_get_monotonic_time () - start) / 1e6);

  start = g_get_monotonic_time ();
  model = ls_interpreter_new (trace);
  printf ("model: %u lanes in %.3f s\n", ls_interpreter_get_n_lanes (model),
          (g_get_monotonic_time () - start) / 1e6);
  end_time = ls_interpreter_get_end_time (model);
  /* every lane a row, as the window has them with every group unfolded:
   * made once, as the window's session makes it */
  start = g_get_monotonic_time ();
  layout = ls_lane_layout_new (model);
  ls_lane_layout_set_grouping (layout, FALSE);
  printf ("lane layout: %u rows in %.3f s\n", ls_lane_layout_get_n_rows (layout),
          (g_get_monotonic_time () - start) / 1e6);

  /* The first frame also loads fonts and fills pango's caches; it is
   * reported on its own, as the window pays it once. */
  {
    cairo_t *cr = cairo_create (surface);
    LsTimelineView view = { 1600, 900, 0, MAX (end_time, 1), 0, end_time, -1, -1, FALSE,
                            NULL, NULL, layout, 0 };

    start = g_get_monotonic_time ();
    ls_timeline_render (cr, model, &view);
    cairo_surface_flush (surface);
    printf ("first frame (fonts, caches): %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);
    cairo_destroy (cr);
  }

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      gint64 span = (gint64) (end_time / zooms[z]);

      for (int f = 0; f < frames; f++)
        {
          cairo_t *cr = cairo_create (surface);
          LsTimelineView view = { 0 };
          double ms;

          view.width = 1600;
          view.height = 900;
          /* wander through the run and down the lanes, as a user would */
          view.t0 = (end_time - span) * f / MAX (frames - 1, 1);
          view.t1 = view.t0 + MAX (span, 1000);
          view.scroll_y = 26.0 * 37 * f;
          view.now = end_time;
          view.cursor = -1;
          view.selected_lane = f % 3 == 0 ? 5 : -1;
          view.dark = f % 2;
          view.layout = layout;
          start = g_get_monotonic_time ();
          ls_timeline_render (cr, model, &view);
          cairo_surface_flush (surface);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (times, ms);
          cairo_destroy (cr);
        }
      g_array_sort (times, compare_double);
      printf ("zoom %6gx: median %.2f ms, worst %.2f ms (%d frames)\n", zooms[z],
              g_array_index (times, double, times->len / 2),
              g_array_index (times, double, times->len - 1), frames);
      {
        g_autofree char *name = g_strdup_printf ("worst-frame-zoom-%g", zooms[z]);

        ls_bench_target (&verdict, name, g_array_index (times, double, times->len - 1), 16.0,
                         TRUE, "ms");
      }
    }
  cairo_surface_destroy (surface);
  ls_bench_verdict (&verdict, "timeline-frames");
  return 0;
}
