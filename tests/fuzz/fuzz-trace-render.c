/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: what the window does with a file it opened. Load (either
 * kind), replay the loop's state to the end (LsTraceState, the
 * loop-internals pane), build the timeline model and draw it with the one
 * renderer onto a small cairo image: the whole run, then a narrow window
 * with a cursor and the first lane selected (its arrows).
 */
#include "config.h"

#include "fuzz-common.h"

#include <cairo.h>

#include "ls-timeline-model.h"
#include "ls-timeline-renderer.h"
#include "ls-trace-state.h"

#define WIDTH  320
#define HEIGHT 200

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
render (LsTimelineModel *model,
        gint64           t0,
        gint64           t1,
        gint64           cursor,
        int              selected)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  LsTimelineView view = { 0 };

  view.width = WIDTH;
  view.height = HEIGHT;
  view.t0 = t0;
  view.t1 = t1;
  view.now = -1;
  view.cursor = cursor;
  view.selected_lane = selected;
  view.font_name = "Sans 9";
  ls_timeline_render (cr, model, &view);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_auto(LsTraceInfo) info = { 0 };
  g_autoptr(LsTrace) trace = fuzz_load (data, size, &info);
  g_autoptr(LsTraceState) state = NULL;
  g_autoptr(LsTimelineModel) model = NULL;
  gint64 end;

  if (trace == NULL)
    return 0;
  state = ls_trace_state_new ();
  ls_trace_state_replay (state, trace, ls_trace_get_n_records (trace));
  model = ls_timeline_model_new (trace);
  end = ls_timeline_model_get_end_time (model);
  g_assert_cmpint (end, >=, 0);
  g_assert_cmpfloat (ls_timeline_content_height (model), >=, 0);
  /* as the exports frame a run */
  render (model, 0, MAX (end, 1) + MAX (end / 50, 1000000), -1, -1);
  render (model, end / 3, end / 3 + MAX (end / 100, 1), end / 3, 0);
  return 0;
}
