/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: what the window does with a file it opened. Load (either
 * kind), interpret it (LsInterpreter: the lanes, and the loop's state at
 * the end and in the middle, from a checkpoint), and draw it with the one
 * renderer onto a small cairo image: the whole run, then a narrow window
 * with a cursor and the first lane selected (its arrows).
 *
 * Mutating base64 rarely makes a record that passes the checks, so an
 * input may also be raw records: a 0 byte, the number of strings, then
 * 32-byte records (little-endian). It is written out as a Loopscope file
 * (version 1, whose records are not compressed) and loaded like one, so the records still go through the loader and
 * ls_trace_check_records; the fuzzer just gets to change them bit by bit.
 */
#include "config.h"

#include "fuzz-common.h"

#include <cairo.h>
#include <gio/gio.h>

#include "ls-interpreter.h"
#include "ls-timeline-renderer.h"

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
render (LsInterpreter *model,
        LsLaneLayout  *layout,
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
  view.layout = layout;
  ls_timeline_render (cr, model, &view);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Raw records as the Loopscope file that holds them. */
static GBytes *
records_to_file (const guint8 *data,
                 size_t        size)
{
  guint n_strings = size > 1 ? data[1] : 0;
  gsize n_records = size > 2 ? (size - 2) / sizeof (LsTraceRecord) : 0;
  g_autofree char *records = g_base64_encode (data + 2, n_records * sizeof (LsTraceRecord));
  GString *text = g_string_new ("{\"loopscope\":{\"format\":\"loopscope-trace\",\"version\":1,"
                                "\"strings\":[");

  for (guint i = 1; i <= n_strings; i++)
    g_string_append_printf (text, "%s\"s%u\"", i > 1 ? "," : "", i);
  g_string_append_printf (text, "],\"n_records\":%" G_GSIZE_FORMAT ",\"records\":\"%s\"}}",
                          n_records, records);
  return g_string_free_to_bytes (text);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) file = size > 0 && data[0] == 0 ? records_to_file (data, size) : NULL;
  g_auto(LsTraceInfo) info = { 0 };
  g_autoptr(LsTrace) trace = file != NULL ? fuzz_load (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), &info)
                                          : fuzz_load (data, size, &info);
  g_autoptr(LsInterpreter) model = NULL;
  g_autoptr(LsLaneLayout) layout = NULL;
  gint64 end, margin;

  if (trace == NULL)
    return 0;
  model = ls_interpreter_new (trace);
  g_assert_nonnull (ls_interpreter_get_state (model));
  end = ls_interpreter_get_end_time (model);
  g_assert_nonnull (ls_interpreter_state_at (model, end / 2));
  g_assert_cmpint (end, >=, 0);
  /* the window's arrangement: folded, filtered, a lane pinned */
  layout = ls_lane_layout_new (model);
  g_assert_cmpfloat (ls_timeline_content_height (layout), >=, 0);
  /* the whole run with a margin, as the exports frame it (saturated: the
   * harness's own arithmetic must not be what overflows) */
  margin = MAX (end / 50, 1000000);
  render (model, NULL, 0, end > G_MAXINT64 - margin ? G_MAXINT64 : MAX (end, 1) + margin, -1,
          -1);
  render (model, NULL, end / 3, end / 3 + MAX (end / 100, 1), end / 3, 0);
  if (ls_interpreter_get_n_lanes (model) > 0)
    {
      ls_lane_layout_set_pinned (layout, ls_interpreter_get_n_lanes (model) - 1, TRUE);
      ls_lane_layout_set_filter_text (layout, "s");
      ls_lane_layout_set_related_to (layout, 0);
    }
  render (model, layout, 0, MAX (end, 1), end / 2, 0);
  return 0;
}
