/* SPDX-License-Identifier: MIT
 *
 * Sweeps: one knob over a range, a run to the end for each value.
 *
 *  - the values a range gives (steps, ends, rounding to the nanosecond),
 *    and every bad range refused before anything runs, with one line;
 *  - each value's total duration and outcome are those of a run of its
 *    own with that knob set (downloader: 7, 5, 4, 3, 3 s for 1 to 5
 *    downloads at once; timeout: TimeoutError until the timeout outlasts
 *    the operation);
 *  - the chart puts each run's mark where ls_sweep_point_position () says,
 *    a dot for a run that returned and a cross in the failure colour for
 *    one that raised, in both themes; the SVG carries the numbers as text;
 *  - the command line: --sweep with --console or images, its errors.
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ls-loop.h"
#include "ls-runtime.h"
#include "ls-sweep-renderer.h"
#include "ls-test-scenario.h"

#define S(n) ((gint64) llround ((n) * 1e9))

static LsSweep *
sweep_new (const char *scenario_id,
           const char *const *sets,
           const char *spec,
           GError    **error)
{
  g_autoptr(LsKnobs) knobs = ls_knobs_new (ls_scenario_lookup (scenario_id));

  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    g_assert_true (ls_knobs_parse (knobs, sets[i], NULL));
  return ls_sweep_new (knobs, spec, error);
}

/* The total duration and outcome of a run of its own with @knob=@value */
static gint64
run_alone (const char  *scenario_id,
           const char  *knob,
           double       value,
           const char **exception)
{
  const LsScenario *scenario = ls_scenario_lookup (scenario_id);
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (scenario, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  LsLoop *loop = ls_scenario_run_get_loop (run);

  ls_scenario_run_set_knob (run, knob, value);
  g_assert_true (ls_scenario_run_to_end (run, NULL));
  result = ls_future_get_result (LS_FUTURE (ls_scenario_run_get_main_task (run)), &error);
  *exception = error != NULL ? ls_error_get_python_name (error) : NULL;
  return ls_loop_time_ns (loop);
}

static void
test_values (void)
{
  struct { const char *scenario; const char *spec; double values[12]; guint n; } cases[] = {
    { "downloader", "max-concurrent=1..4", { 1, 2, 3, 4 }, 4 },
    { "downloader", "max-concurrent=2..10:3", { 2, 5, 8 }, 3 },
    { "downloader", "max-concurrent=1..10:9", { 1, 10 }, 2 },
    /* a tenth of the range for seconds, TO itself included */
    { "timeout", "timeout=1..2", { 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2 }, 11 },
    { "timeout", "timeout=0.5..2:0.75", { 0.5, 1.25, 2 }, 3 },
    { "timeout", "timeout=0..1:0.4", { 0, 0.4, 0.8 }, 3 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsSweep) sweep = sweep_new (cases[c].scenario, NULL, cases[c].spec, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (ls_sweep_get_n_points (sweep), ==, cases[c].n);
      for (guint i = 0; i < cases[c].n; i++)
        {
          const LsSweepPoint *p = ls_sweep_get_point (sweep, i);

          /* exact to the nanosecond: what the run will use */
          g_assert_cmpint (S (p->value), ==, S (cases[c].values[i]));
          g_assert_cmpint (p->duration_ns, ==, -1);
        }
    }
}

static void
test_bad_ranges (void)
{
  struct { const char *scenario; const char *spec; const char *says; } cases[] = {
    { "downloader", "max-concurrent", "“max-concurrent”: expected NAME=FROM..TO or "
      "NAME=FROM..TO:STEP" },
    { "downloader", "max-concurrent=1-5", "“max-concurrent=1-5”: expected NAME=FROM..TO" },
    { "downloader", "=1..5", "“=1..5”: expected NAME=FROM..TO" },
    { "downloader", "workers=1..5", "downloader has no knob “workers”; its knobs: "
      "max-concurrent, timeout" },
    { "downloader", "max-concurrent=1..11", "max-concurrent=11: expected a whole number from 1 "
      "to 10" },
    { "downloader", "max-concurrent=0..5", "max-concurrent=0: expected a whole number" },
    { "downloader", "max-concurrent=..5", "max-concurrent=: expected a whole number" },
    { "downloader", "max-concurrent=5..1", "“max-concurrent=5..1”: the range must go up" },
    { "downloader", "max-concurrent=3..3", "“max-concurrent=3..3”: the range must go up" },
    { "downloader", "max-concurrent=1..5:0.5", "the step must be a number above 0 (a whole one "
      "for a count)" },
    { "timeout", "timeout=1..2:0", "the step must be a number above 0" },
    { "timeout", "timeout=1..2:-1", "the step must be a number above 0" },
    { "timeout", "timeout=1..2:nan", "the step must be a number above 0" },
    { "timeout", "timeout=1..2:", "the step must be a number above 0" },
    { "timeout", "timeout=inf..2", "timeout=inf: expected seconds from 0 to 60" },
    { "timeout", "timeout=0x1..2", "timeout=0x1: expected seconds" },
    { "timeout", "timeout=0..60:0.01", "“timeout=0..60:0.01”: 6001 values; a sweep takes at "
      "most 200" },
    { "timeout", "timeout=0..60:1e-300", "values; a sweep takes at most 200" },
    { "hello-world", "tasks=1..2", "hello-world has no knob “tasks”: it has no knobs" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsSweep) sweep = sweep_new (cases[c].scenario, NULL, cases[c].spec, &error);

      g_assert_null (sweep);
      g_assert_error (error, LS_KNOBS_ERROR, error->code);
      if (strstr (error->message, cases[c].says) == NULL)
        g_error ("%s: says “%s”, not “%s”", cases[c].spec, error->message, cases[c].says);
      g_assert_null (strchr (error->message, '\n'));
    }
}

static void
test_downloader (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSweep) sweep = sweep_new ("downloader", NULL, "max-concurrent=1..5", &error);
  static const double seconds[] = { 7, 5, 4, 3, 3 };

  g_assert_no_error (error);
  g_assert_true (ls_sweep_run (sweep, 0, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (seconds); i++)
    {
      const LsSweepPoint *p = ls_sweep_get_point (sweep, i);
      const char *exception = "?";

      g_assert_cmpint (p->duration_ns, ==, S (seconds[i]));
      g_assert_cmpint (p->duration_ns, ==, run_alone ("downloader", "max-concurrent", p->value,
                                                      &exception));
      g_assert_null (p->exception);
      g_assert_null (exception);
    }
}

/* The other knobs keep their values: with a 5.25 s operation, each
 * timeout below it raises TimeoutError after timeout + timeout (the
 * wait_for, then the asyncio.timeout block), and past it the run takes
 * the two operations' 10.5 s. */
static void
test_timeout (void)
{
  const char *sets[] = { "operation=5.25", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSweep) sweep = sweep_new ("timeout", sets, "timeout=1..6:0.5", &error);
  g_autofree char *others = NULL;

  g_assert_no_error (error);
  g_assert_true (ls_sweep_run (sweep, 0, &error));
  g_assert_cmpuint (ls_sweep_get_n_points (sweep), ==, 11);
  for (guint i = 0; i < ls_sweep_get_n_points (sweep); i++)
    {
      const LsSweepPoint *p = ls_sweep_get_point (sweep, i);

      if (p->value < 5.25)
        {
          g_assert_cmpstr (p->exception, ==, "TimeoutError");
          g_assert_cmpint (p->duration_ns, ==, 2 * S (p->value));
        }
      else
        {
          g_assert_null (p->exception);
          g_assert_cmpint (p->duration_ns, ==, S (10.5));
        }
    }
  others = ls_sweep_describe_others (sweep);
  g_assert_cmpstr (others, ==, "Operation length (s) 5.25");
}

static guint32
pixel (cairo_surface_t *surface,
       double           x,
       double           y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + (int) y * stride + (int) x * 4) & 0xffffff;
}

static int
distance (guint32 a,
          guint32 b)
{
  return ABS ((int) (a >> 16) - (int) (b >> 16)) + ABS ((int) ((a >> 8) & 0xff) - (int) ((b >> 8) & 0xff))
         + ABS ((int) (a & 0xff) - (int) (b & 0xff));
}

/* The marks where the geometry says, in the palette's running and failed
 * colours (the timeline's: test-timeline.c checks them there) */
static void
test_chart (void)
{
  const char *sets[] = { "operation=5.25", NULL };
  g_autoptr(LsSweep) sweep = sweep_new ("timeout", sets, "timeout=1..6:0.5", NULL);
  struct { gboolean dark; guint32 background, running, failed; } themes[] = {
    { FALSE, 0xffffff, 0x0072b2, 0xcc3311 },
    { TRUE, 0x1d1d20, 0x56b4e9, 0xee5544 },
  };

  g_assert_true (ls_sweep_run (sweep, 0, NULL));
  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 480);
      cairo_t *cr = cairo_create (surface);

      ls_sweep_render (cr, sweep, 800, 480, themes[t].dark);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      g_assert_cmpint (distance (pixel (surface, 2, 470), themes[t].background), <, 8);
      for (guint i = 0; i < ls_sweep_get_n_points (sweep); i++)
        {
          const LsSweepPoint *p = ls_sweep_get_point (sweep, i);
          guint32 want = p->exception != NULL ? themes[t].failed : themes[t].running;
          guint32 other = p->exception != NULL ? themes[t].running : themes[t].failed;
          double x, y;
          guint32 c;

          ls_sweep_point_position (sweep, 800, 480, i, &x, &y);
          /* a dot is solid at its centre; a cross too, where its strokes meet */
          c = pixel (surface, x, y);
          if (distance (c, want) >= distance (c, other) || distance (c, want) > 90)
            g_error ("point %u (%g): %06x at (%.0f, %.0f), not %06x", i, p->value, c, x, y, want);
          /* and higher up for a longer run */
          if (i > 0)
            {
              double px, py;

              ls_sweep_point_position (sweep, 800, 480, i - 1, &px, &py);
              g_assert_cmpfloat (px, <, x);
              g_assert_cmpint (p->duration_ns > ls_sweep_get_point (sweep, i - 1)->duration_ns,
                               ==, y < py);
            }
        }
      cairo_surface_destroy (surface);
    }
}

static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("loopscope-sweep-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "sweep.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "sweep.svg", NULL);
  g_autofree char *png_arg = g_strconcat ("--export-png=", png, NULL);
  g_autofree char *svg_arg = g_strconcat ("--export-svg=", svg, NULL);
  g_autofree char *trace_arg = g_build_filename (dir, "t.json", NULL);
  g_autofree char *trace_opt = g_strconcat ("--export-trace=", trace_arg, NULL);
  /* at 5.25 s the timeout and the operation fall due at the same instant:
   * wait_for's timer was set first, so it fires first, as in CPython */
  const char *console[] = { "--scenario=timeout", "--set=operation=5.25", "--console",
                            "--sweep=timeout=4.5..6:0.75", NULL };
  const char *images[] = { "--scenario=downloader", "--sweep=max-concurrent=1..5", png_arg,
                           svg_arg, "--theme=dark", NULL };
  const char *const errors[][6] = {
    { "--sweep=max-concurrent=1..5", "--console", NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", "--console", png_arg, NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", trace_opt, NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", "--compare=timeout=1", png_arg,
      NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", "--speed=2", "--console", NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", "--range=0:1", png_arg, NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", "--axis=iterations", png_arg, NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..50", png_arg, NULL },
    { "--scenario=downloader", "--sweep=max-concurrent=1..5", png_arg, "--width=5", NULL },
  };
  g_autofree char *out = NULL, *err = NULL, *text = NULL;
  cairo_surface_t *surface;

  g_assert_cmpint (ls_test_run_cli (dir, console, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "timeout=4.5\t9\tTimeoutError\n"
                            "timeout=5.25\t10.5\tTimeoutError\n"
                            "timeout=6\t10.5\treturned\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ls_test_run_cli (dir, images, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 800);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, ">max-concurrent=1: 7 s</text>"));
  g_assert_nonnull (strstr (text, ">max-concurrent=5: 3 s</text>"));
  g_assert_cmpint (g_remove (png), ==, 0);
  g_assert_cmpint (g_remove (svg), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autofree char *o = NULL, *e = NULL;

      g_assert_cmpint (ls_test_run_cli (dir, (const char *const *) errors[i], &o, &e), ==, 2);
      g_assert_cmpstr (o, ==, "");
      g_assert_true (g_str_has_prefix (e, "loopscope: "));
      g_assert_cmpuint (strlen (e), >, 12);
      g_assert_true (strchr (e, '\n') == e + strlen (e) - 1);
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (trace_arg, G_FILE_TEST_EXISTS));
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sweep/values", test_values);
  g_test_add_func ("/sweep/bad-ranges", test_bad_ranges);
  g_test_add_func ("/sweep/downloader", test_downloader);
  g_test_add_func ("/sweep/timeout", test_timeout);
  g_test_add_func ("/sweep/chart", test_chart);
  g_test_add_func ("/sweep/cli", test_cli);

  return g_test_run ();
}
