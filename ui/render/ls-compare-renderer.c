/* SPDX-License-Identifier: MIT
 *
 * The comparison of two runs, drawn: each run by ls_timeline_render ()
 * itself (so a run looks the same alone and compared), the same range for
 * both, then what the comparison adds on top (the tint of a lane that
 * differs, a mark where it parts from the other run) and the summary
 * strip, a small table laid out here. The exports draw the same with
 * every lane of both runs.
 */
#include "config.h"

#include "ls-compare-renderer.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-atomic-file.h"
#include "ls-timeline-renderer-private.h"

#define LINE_HEIGHT   20.0
#define PAD           10.0
#define LANE_COLUMN   260.0
#define VALUE_COLUMN  100.0
#define MAX_LANE_ROWS 16
#define MIN_TIMELINE  (LS_TIMELINE_AXIS_HEIGHT + 2 * LS_TIMELINE_LANE_HEIGHT)

typedef struct
{
  LsRgb highlight;  /* a differing value */
  LsRgb same;       /* "identical" */
  double tint[4];   /* a differing lane's row */
} ComparePalette;

static const ComparePalette light_compare = {
  { 0.835, 0.369, 0.0 }, { 0.0, 0.50, 0.36 }, { 0.94, 0.76, 0.0, 0.20 },
};
static const ComparePalette dark_compare = {
  { 1.0, 0.60, 0.25 }, { 0.17, 0.71, 0.54 }, { 0.94, 0.76, 0.0, 0.13 },
};

/* ---- the summary as a table ------------------------------------------------------ */

/* lane | ends in A | ends in B | difference | waiting in A | waiting in B */
#define N_COLUMNS 6

typedef struct
{
  char     *text[N_COLUMNS];
  gboolean  highlight[N_COLUMNS];
  gboolean  heading;
} Row;

static void
row_clear (gpointer data)
{
  Row *row = data;

  for (guint i = 0; i < G_N_ELEMENTS (row->text); i++)
    g_free (row->text[i]);
}

static char *
format_seconds (gint64 ns)
{
  return ns < 0 ? g_strdup ("—") : g_strdup_printf (_("%.3f s"), ns / 1e9);
}

static char *
format_delta (gint64 a,
              gint64 b)
{
  if (a < 0 || b < 0 || a == b)
    return g_strdup ("");
  return g_strdup_printf ("%+.3f s", (b - a) / 1e9);
}

static char *
format_count (gint64 value)
{
  return value < 0 ? g_strdup ("—") : g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* Takes the values (c1…c5, each may be NULL). */
static Row *
add_row (GArray     *rows,
         const char *c0,
         char       *c1,
         char       *c2,
         char       *c3,
         char       *c4,
         char       *c5)
{
  Row row = { { g_strdup (c0), c1, c2, c3, c4, c5 }, { FALSE }, FALSE };

  g_array_append_val (rows, row);
  return &g_array_index (rows, Row, rows->len - 1);
}

/* The verdict, then the table's rows. */
static GArray *
summary_rows (LsCompare *compare,
              char     **verdict,
              gboolean  *identical)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  gint64 da = ls_compare_get_duration (compare, LS_COMPARE_A);
  gint64 db = ls_compare_get_duration (compare, LS_COMPARE_B);
  guint n = ls_compare_get_n_lanes (compare);
  guint shown = 0, more = 0, more_differ = 0;
  Row *row;

  g_array_set_clear_func (rows, row_clear);
  *identical = ls_compare_is_identical (compare);
  if (*identical)
    *verdict = g_strdup (_("Identical: every lane has the same states at the same instants"));
  else if (ls_compare_get_n_differences (compare) == 0)
    *verdict = g_strdup (_("The lanes match, but the runs differ (duration, blocked periods or "
                           "deadlines)"));
  else
    *verdict = g_strdup_printf (ngettext ("%u of %u lanes differs", "%u of %u lanes differ", n),
                                ls_compare_get_n_differences (compare), n);

  row = add_row (rows, "", g_strdup (_("ends in A")), g_strdup (_("ends in B")),
                 g_strdup (_("B − A")), g_strdup (_("waiting in A")),
                 g_strdup (_("waiting in B")));
  row->heading = TRUE;
  row = add_row (rows, _("Total duration"), format_seconds (da), format_seconds (db),
                 format_delta (da, db), NULL, NULL);
  row->highlight[1] = row->highlight[2] = row->highlight[3] = da != db;

  for (guint i = 0; i < n; i++)
    {
      const LsCompareLane *lane = ls_compare_get_lane (compare, i);

      if (lane->kind != LS_TIMELINE_LANE_TASK)
        continue;
      if (shown >= MAX_LANE_ROWS)
        {
          more++;
          more_differ += lane->differs;
          continue;
        }
      row = add_row (rows, lane->label, format_seconds (lane->end_ns[0]),
                     format_seconds (lane->end_ns[1]),
                     format_delta (lane->end_ns[0], lane->end_ns[1]),
                     format_seconds (lane->lane[0] >= 0 ? lane->waiting_ns[0] : -1),
                     format_seconds (lane->lane[1] >= 0 ? lane->waiting_ns[1] : -1));
      row->highlight[0] = lane->differs;
      row->highlight[1] = row->highlight[2] = row->highlight[3] =
        lane->end_ns[0] != lane->end_ns[1];
      row->highlight[4] = row->highlight[5] = lane->waiting_ns[0] != lane->waiting_ns[1]
                                              || lane->lane[0] < 0 || lane->lane[1] < 0;
      shown++;
    }
  if (more > 0)
    add_row (rows, "", g_strdup_printf (ngettext ("… and %u more task (%u differ)",
                                                  "… and %u more tasks (%u differ)", more),
                                        more, more_differ),
             NULL, NULL, NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      const LsCompareLane *lane = ls_compare_get_lane (compare, i);
      LsInterpreter *model;
      const LsTimelineLane *lane_a;
      const char *what;
      g_autofree char *name = NULL;

      if (lane->kind != LS_TIMELINE_LANE_PRIMITIVE
          || (lane->extreme[0] < 0 && lane->extreme[1] < 0))
        continue;
      model = ls_compare_get_interpreter (compare, lane->lane[0] >= 0 ? LS_COMPARE_A
                                                                     : LS_COMPARE_B);
      lane_a = ls_interpreter_get_lane (model, lane->lane[0] >= 0 ? lane->lane[0]
                                                                   : lane->lane[1]);
      what = ls_object_kind_is_queue (lane_a->object_kind) ? _("deepest") : _("fewest permits");
      /* TRANSLATORS: a primitive's row in a comparison: "queue: deepest" */
      name = g_strdup_printf (_("%s: %s"), lane->label, what);
      row = add_row (rows, name, format_count (lane->extreme[0]), format_count (lane->extreme[1]),
                     lane->extreme[0] >= 0 && lane->extreme[1] >= 0
                     && lane->extreme[0] != lane->extreme[1]
                     ? g_strdup_printf ("%+" G_GINT64_FORMAT, lane->extreme[1] - lane->extreme[0])
                     : NULL, NULL, NULL);
      row->highlight[1] = row->highlight[2] = row->highlight[3] =
        lane->extreme[0] != lane->extreme[1];
    }

  for (guint reason = LS_WAIT_SLEEP; reason < LS_N_WAIT_REASONS; reason++)
    {
      gint64 wa = ls_compare_get_waiting (compare, LS_COMPARE_A, reason);
      gint64 wb = ls_compare_get_waiting (compare, LS_COMPARE_B, reason);
      g_autofree char *name = NULL;

      if (wa == 0 && wb == 0)
        continue;
      /* TRANSLATORS: the time all tasks spent waiting for one reason ("sleep") */
      name = g_strdup_printf (_("all waiting on %s"), ls_wait_reason_name (reason));
      row = add_row (rows, name, NULL, NULL, NULL, format_seconds (wa), format_seconds (wb));
      row->highlight[4] = row->highlight[5] = wa != wb;
    }
  return rows;
}

static double
summary_height (LsCompare *compare)
{
  g_autofree char *verdict = NULL;
  gboolean identical;
  g_autoptr(GArray) rows = summary_rows (compare, &verdict, &identical);

  return PAD + LINE_HEIGHT + rows->len * LINE_HEIGHT + PAD;
}

static void
draw_summary (LsRenderCtx          *ctx,
              LsCompare            *compare,
              const ComparePalette *cpal,
              double                width,
              double                height)
{
  cairo_t *cr = ctx->cr;
  g_autofree char *verdict = NULL;
  gboolean identical;
  g_autoptr(GArray) rows = summary_rows (compare, &verdict, &identical);
  double lane_w = MIN (LANE_COLUMN, MAX (120.0, width - (N_COLUMNS - 1) * VALUE_COLUMN - 2 * PAD));
  double y = PAD + LINE_HEIGHT / 2;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  _ls_render_set_rgb (cr, &ctx->pal->label_bg);
  cairo_paint (cr);
  _ls_render_set_rgb (cr, &ctx->pal->grid);
  cairo_rectangle (cr, 0, 0, width, 1);
  cairo_fill (cr);

  _ls_render_set_rgb (cr, identical ? &cpal->same : &cpal->highlight);
  _ls_render_draw_text (ctx, ctx->bold_font, verdict, PAD, y, width - 2 * PAD);
  y += LINE_HEIGHT;
  for (guint i = 0; i < rows->len; i++, y += LINE_HEIGHT)
    {
      const Row *row = &g_array_index (rows, Row, i);
      double x = PAD;

      for (guint c = 0; c < G_N_ELEMENTS (row->text); c++)
        {
          double w = c == 0 ? lane_w : VALUE_COLUMN;

          if (row->text[c] != NULL && row->text[c][0] != '\0')
            {
              if (row->heading)
                _ls_render_set_rgb (cr, &ctx->pal->text_dim);
              else if (row->highlight[c])
                _ls_render_set_rgb (cr, &cpal->highlight);
              else
                _ls_render_set_rgb (cr, &ctx->pal->text);
              _ls_render_draw_text (ctx, row->highlight[c] ? ctx->bold_font : ctx->font,
                                    row->text[c], x, y, w - 8);
            }
          x += w;
        }
    }
  cairo_restore (cr);
}

/* ---- the layout ---------------------------------------------------------------- */

LsLaneLayout *
ls_compare_get_lane_layout (LsCompare     *compare,
                            LsCompareSide  side)
{
  const char *key = side == LS_COMPARE_A ? "ls-lane-layout-a" : "ls-lane-layout-b";
  LsLaneLayout *layout;

  g_return_val_if_fail (LS_IS_COMPARE (compare), NULL);

  /* made once per comparison; it follows its interpreter */
  if ((layout = g_object_get_data (G_OBJECT (compare), key)) == NULL)
    {
      layout = ls_lane_layout_new (ls_compare_get_interpreter (compare, side));
      ls_lane_layout_set_grouping (layout, FALSE);
      g_object_set_data_full (G_OBJECT (compare), key, layout, g_object_unref);
    }
  return layout;
}

void
ls_compare_get_layout (LsCompare           *compare,
                       const LsCompareFrame *view,
                       LsCompareLayout     *layout)
{
  double summary = summary_height (compare);
  double h[2];
  double y = 0;

  g_return_if_fail (LS_IS_COMPARE (compare));

  if (view->fit_lanes)
    for (guint side = 0; side < 2; side++)
      h[side] = ls_timeline_content_height (ls_compare_get_lane_layout (compare, side));
  else
    {
      double left;

      /* the summary takes at most two fifths; the runs share the rest */
      summary = MIN (summary, MAX (view->height * 0.4, LINE_HEIGHT * 3));
      left = view->height - summary - 2 * LS_COMPARE_HEADER_HEIGHT;
      h[0] = h[1] = MAX (floor (left / 2), MIN_TIMELINE);
    }
  for (guint side = 0; side < 2; side++)
    {
      layout->header_y[side] = y;
      y += LS_COMPARE_HEADER_HEIGHT;
      layout->timeline_y[side] = y;
      layout->timeline_h[side] = h[side];
      y += h[side];
    }
  layout->summary_y = y;
  layout->summary_h = summary;
  layout->height = y + summary;
}

void
ls_compare_get_run_view (LsCompare             *compare,
                         const LsCompareFrame   *view,
                         const LsCompareLayout *layout,
                         LsCompareSide          side,
                         LsTimelineView        *run_view)
{
  memset (run_view, 0, sizeof *run_view);
  run_view->width = view->width;
  run_view->height = layout->timeline_h[side];
  run_view->t0 = view->t0;
  run_view->t1 = view->t1;
  run_view->scroll_y = view->scroll_y[side];
  run_view->now = view->now[side];
  run_view->cursor = view->cursor;
  run_view->selected_lane = -1;
  run_view->dark = view->dark;
  run_view->font_name = view->font_name;
  run_view->layout = ls_compare_get_lane_layout (compare, side);
}

/* ---- the drawing ----------------------------------------------------------------- */

static void
draw_differences (LsRenderCtx          *ctx,
                  LsCompare            *compare,
                  LsCompareSide         side,
                  const ComparePalette *cpal)
{
  cairo_t *cr = ctx->cr;
  const LsTimelineView *view = ctx->view;
  LsLaneLayout *rows = ls_compare_get_lane_layout (compare, side);

  cairo_save (cr);
  cairo_rectangle (cr, 0, LS_TIMELINE_AXIS_HEIGHT, view->width,
                   MAX (0, view->height - LS_TIMELINE_AXIS_HEIGHT));
  cairo_clip (cr);
  for (guint i = 0; i < ls_compare_get_n_lanes (compare); i++)
    {
      const LsCompareLane *lane = ls_compare_get_lane (compare, i);
      int row;
      double y, x;

      if (!lane->differs || lane->lane[side] < 0
          || (row = ls_lane_layout_get_lane_row (rows, lane->lane[side])) < 0)
        continue;
      y = ls_timeline_view_row_y (view, row);
      if (y + LS_TIMELINE_LANE_HEIGHT < LS_TIMELINE_AXIS_HEIGHT || y > view->height)
        continue;
      cairo_set_source_rgba (cr, cpal->tint[0], cpal->tint[1], cpal->tint[2], cpal->tint[3]);
      cairo_rectangle (cr, 0, y, view->width, LS_TIMELINE_LANE_HEIGHT);
      cairo_fill (cr);
      _ls_render_set_rgb (cr, &cpal->highlight);
      cairo_rectangle (cr, 0, y, 4, LS_TIMELINE_LANE_HEIGHT);
      cairo_fill (cr);
      if (lane->first_difference_ns < view->t0 || lane->first_difference_ns > view->t1)
        continue;
      /* where the two runs part: a dashed tick across the row */
      x = round (_ls_render_time_to_x (view, lane->first_difference_ns)) + 0.5;
      if (x < LS_TIMELINE_LABEL_WIDTH)
        continue;
      cairo_set_line_width (cr, 2);
      cairo_set_dash (cr, (double[]) { 3, 2 }, 2, 0);
      cairo_move_to (cr, x, y + 1);
      cairo_line_to (cr, x, y + LS_TIMELINE_LANE_HEIGHT - 1);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_restore (cr);
}

void
ls_compare_render (cairo_t             *cr,
                   LsCompare           *compare,
                   const LsCompareFrame *view)
{
  const ComparePalette *cpal = view->dark ? &dark_compare : &light_compare;
  LsCompareLayout layout;
  LsTimelineView run_view;
  LsRenderCtx ctx;

  g_return_if_fail (LS_IS_COMPARE (compare));

  ls_compare_get_layout (compare, view, &layout);
  for (guint side = 0; side < 2; side++)
    {
      LsInterpreter *model = ls_compare_get_interpreter (compare, side);
      g_autofree char *duration = format_seconds (ls_compare_get_duration (compare, side));
      /* TRANSLATORS: the band above one run of a comparison: "A", its label, its duration */
      g_autofree char *title = g_strdup_printf (_("%s: %s — %s"), side == LS_COMPARE_A ? "A" : "B",
                                                ls_compare_get_label (compare, side), duration);

      ls_compare_get_run_view (compare, view, &layout, side, &run_view);
      cairo_save (cr);
      cairo_translate (cr, 0, layout.header_y[side]);
      ls_timeline_render_title (cr, &run_view, title, view->width);
      cairo_restore (cr);

      cairo_save (cr);
      cairo_translate (cr, 0, layout.timeline_y[side]);
      cairo_rectangle (cr, 0, 0, view->width, layout.timeline_h[side]);
      cairo_clip (cr);
      ls_timeline_render (cr, model, &run_view);
      _ls_render_ctx_init (&ctx, cr, &run_view);
      ctx.model = model;
      draw_differences (&ctx, compare, side, cpal);
      _ls_render_ctx_clear (&ctx);
      cairo_restore (cr);
    }

  ls_compare_get_run_view (compare, view, &layout, LS_COMPARE_A, &run_view);
  cairo_save (cr);
  cairo_translate (cr, 0, layout.summary_y);
  _ls_render_ctx_init (&ctx, cr, &run_view);
  draw_summary (&ctx, compare, cpal, view->width, layout.summary_h);
  _ls_render_ctx_clear (&ctx);
  cairo_restore (cr);
}

/* ---- export ----------------------------------------------------------------------- */

typedef struct
{
  LsCompare             *compare;
  const LsExportOptions *options;
  LsCompareFrame          view;
  double                 legend_h;
} Drawing;

static double
measure_legend (const LsExportOptions *options,
                double                 width)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  LsTimelineView view = { 0 };
  double height;

  view.dark = options->dark;
  height = ls_timeline_render_legend (cr, &view, width);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return height;
}

static void
prepare (Drawing               *d,
         LsCompare             *compare,
         const LsExportOptions *options,
         double                *width,
         double                *height)
{
  LsCompareLayout layout;
  double title_h = options->title != NULL ? LS_TIMELINE_TITLE_HEIGHT : 0;

  memset (d, 0, sizeof *d);
  d->compare = compare;
  d->options = options;
  d->view.width = options->width > 0 ? options->width : 1200;
  if (options->t1 > options->t0)
    {
      d->view.t0 = options->t0;
      d->view.t1 = options->t1;
    }
  else
    {
      gint64 end = MAX (ls_compare_get_duration (compare, LS_COMPARE_A),
                        ls_compare_get_duration (compare, LS_COMPARE_B));
      gint64 margin = MAX (end / 50, 1000000);

      d->view.t0 = 0;
      d->view.t1 = end > G_MAXINT64 - margin ? G_MAXINT64 : MAX (end, 1) + margin;
    }
  d->view.cursor = -1;
  d->view.now[0] = d->view.now[1] = -1;
  d->view.dark = options->dark;
  d->view.fit_lanes = options->height <= 0;
  d->legend_h = options->legend ? measure_legend (options, d->view.width) : 0;
  if (!d->view.fit_lanes)
    d->view.height = MAX (options->height - title_h - d->legend_h, 1);
  ls_compare_get_layout (compare, &d->view, &layout);
  *width = d->view.width;
  *height = MIN (ceil (title_h + layout.height + d->legend_h), LS_EXPORT_MAX_SIZE);
}

static void
draw_export (cairo_t  *cr,
             double    width,
             double    height,
             gpointer  data)
{
  Drawing *d = data;
  double title_h = d->options->title != NULL ? LS_TIMELINE_TITLE_HEIGHT : 0;
  LsTimelineView view = { 0 };

  view.dark = d->options->dark;
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (d->options->title != NULL)
    ls_timeline_render_title (cr, &view, d->options->title, width);
  cairo_save (cr);
  cairo_translate (cr, 0, title_h);
  ls_compare_render (cr, d->compare, &d->view);
  cairo_restore (cr);
  if (d->options->legend)
    {
      cairo_translate (cr, 0, height - d->legend_h);
      ls_timeline_render_legend (cr, &view, width);
    }
  cairo_restore (cr);
}

/* The labels as text a tool can read, like a single run's export. */
static void
text_layer (GByteArray *buffer,
            gpointer    data)
{
  Drawing *d = data;
  g_autoptr(GString) texts = g_string_new (NULL);
  double title_h = d->options->title != NULL ? LS_TIMELINE_TITLE_HEIGHT : 0;
  LsCompareLayout layout;

  ls_compare_get_layout (d->compare, &d->view, &layout);
  for (guint side = 0; side < 2; side++)
    {
      LsInterpreter *model = ls_compare_get_interpreter (d->compare, side);
      g_autofree char *band = g_strdup_printf ("%s: %s", side == LS_COMPARE_A ? "A" : "B",
                                               ls_compare_get_label (d->compare, side));

      ls_export_svg_text (texts, 8,
                          title_h + layout.header_y[side] + LS_COMPARE_HEADER_HEIGHT / 2 + 4,
                          band);
      for (guint row = 0; row < ls_interpreter_get_n_rows (model); row++)
        {
          const LsTimelineLane *lane =
            ls_interpreter_get_lane (model, ls_interpreter_get_row_lane (model, row));
          double y = title_h + layout.timeline_y[side] + LS_TIMELINE_AXIS_HEIGHT
                     + row * LS_TIMELINE_LANE_HEIGHT + LS_TIMELINE_LANE_HEIGHT / 2 + 4;

          if (y > title_h + layout.timeline_y[side] + layout.timeline_h[side])
            break;
          ls_export_svg_text (texts, 8 + MIN (lane->depth, 6) * 12.0, y, lane->label);
        }
    }
  ls_export_svg_add_text_layer (buffer, d->options, texts);
}

gboolean
ls_compare_export_to_stream (LsCompare             *compare,
                             const LsExportOptions *options,
                             GOutputStream         *out,
                             const char            *name,
                             GError               **error)
{
  Drawing drawing;
  double width, height;

  g_return_val_if_fail (LS_IS_COMPARE (compare), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  prepare (&drawing, compare, options, &width, &height);
  return ls_export_drawing_to_stream (options, width, height, draw_export, text_layer, &drawing,
                                      out, name, error);
}

gboolean
ls_compare_export (LsCompare             *compare,
                   const LsExportOptions *options,
                   const char            *path,
                   GError               **error)
{
  g_autoptr(LsAtomicFile) file = NULL;

  g_return_val_if_fail (LS_IS_COMPARE (compare), FALSE);
  g_return_val_if_fail (options != NULL && path != NULL, FALSE);

  file = ls_atomic_file_new (path, error);
  if (file == NULL
      || !ls_compare_export_to_stream (compare, options, ls_atomic_file_get_stream (file), path,
                                       error))
    return FALSE;
  return ls_atomic_file_commit (file, error);
}
