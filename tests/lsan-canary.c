/* SPDX-License-Identifier: MIT
 *
 * Proof that LeakSanitizer, with tests/lsan.supp, still sees Loopscope's
 * own leaks in the drawing code. The suppressions hide the font caches
 * that fontconfig fills while pango measures text; a suppression that
 * named a whole library Loopscope calls (cairo, pango) would hide a
 * surface Loopscope creates and forgets, too.
 *
 *   lsan-canary           draws a small run's timeline and frees everything:
 *                         must pass under LeakSanitizer
 *   lsan-canary --plant   the same, but forgets the cairo surface it drew
 *                         on: LeakSanitizer must report it
 *
 * Built only with -Db_sanitize=address; tests/lsan_canary.py runs both.
 * The workload's tasks return nothing, so the canary does not depend on
 * how the runtime frees task results.
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ls-export.h"
#include "ls-interpreter.h"
#include "ls-runtime.h"
#include "ls-timeline-renderer.h"

#define WIDTH 900

static GVariant *
worker (gpointer data,
        GError **error)
{
  LsLock *lock = data;
  g_autoptr(LsLocker) locker = ls_lock_locker_new (lock, error);

  if (locker == NULL)
    return NULL;
  ls_print ("holding the lock");
  ls_sleep (0.5, error);
  return NULL;
}

static GVariant *
canary_main (gpointer data,
             GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "canary lock");
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);

  for (int i = 0; i < 3; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, worker, lock, NULL));
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GVariant) ignored = ls_task_await (g_ptr_array_index (tasks, i), error);

      if (*error != NULL)
        return NULL;
    }
  return NULL;
}

/* Draws the timeline on a new image surface, as the exports do; the
 * surface is returned to the caller, who owns it. */
static cairo_surface_t *
draw_timeline (LsInterpreter *model)
{
  LsTimelineView view = { 0 };
  cairo_surface_t *surface;
  cairo_t *cr;
  double height;

  view.width = WIDTH;
  view.t0 = 0;
  view.t1 = MAX (ls_interpreter_get_end_time (model), 1);
  view.now = -1;
  view.cursor = -1;
  view.selected_lane = -1;
  {
    g_autoptr(LsLaneLayout) layout = ls_lane_layout_new (model);

    ls_lane_layout_set_grouping (layout, FALSE);
    height = LS_TIMELINE_TITLE_HEIGHT + ls_timeline_content_height (layout);
  }
  view.height = height - LS_TIMELINE_TITLE_HEIGHT;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, (int) height);
  cr = cairo_create (surface);
  ls_timeline_render_title (cr, &view, "LeakSanitizer canary", WIDTH);
  cairo_translate (cr, 0, LS_TIMELINE_TITLE_HEIGHT);
  ls_timeline_render (cr, model, &view);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

/* The planted leak: a surface made and drawn on through Loopscope's
 * renderer, never destroyed. */
static void
plant_leak (LsInterpreter *model)
{
  cairo_surface_t *surface = draw_timeline (model);

  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, WIDTH);
  surface = NULL;
}

int
main (int   argc,
      char *argv[])
{
  gboolean plant = argc > 1 && strcmp (argv[1], "--plant") == 0;
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = NULL;
  g_autoptr(LsInterpreter) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("loopscope-canary-XXXXXX", &error);
  g_autofree char *png = NULL;
  LsExportOptions options;

  g_assert_no_error (error);
  main_task = ls_task_new (loop, "main", canary_main, NULL, NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (main_task), &error));
  g_assert_no_error (error);
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (main_task)));

  model = ls_interpreter_new (ls_loop_get_trace (loop));

  /* an export: Loopscope's own surface, made and freed in ls-export.c */
  png = g_build_filename (dir, "canary.png", NULL);
  ls_export_options_init (&options);
  options.title = "LeakSanitizer canary";
  g_assert_true (ls_export_image (model, &options, png, &error));
  g_assert_no_error (error);
  g_unlink (png);
  g_rmdir (dir);

  if (plant)
    plant_leak (model);
  else
    cairo_surface_destroy (draw_timeline (model));
  g_print ("%s\n", plant ? "planted a leaked cairo surface" : "freed everything");
  return 0;
}
