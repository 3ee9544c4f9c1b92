/* SPDX-License-Identifier: MIT
 *
 * The frame of the timeline: the palettes (Okabe and Ito's colour-blind
 * safe colours, light and dark), the geometry shared with the widget (time
 * to x), time formatting, text, the time axis and its grid, the "now" and
 * cursor lines, and ls_timeline_render (), which draws a frame by calling
 * the rows and labels (ls-timeline-renderer-rows.c), the lanes
 * (ls-timeline-renderer-lanes.c) and the overlays
 * (ls-timeline-renderer-overlays.c) inside the plot area. The record of
 * what was drawn is kept here too: each layer appends the shapes it drew
 * when asked to, and nothing else happens when it is not.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-timeline-renderer-private.h"

#define MIN_TICK_PX  90.0 /* least space between two labelled ticks */

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0 }

static const LsPalette light_palette = {
  .background = RGB (0xffffff),
  .row_alt = RGB (0xf4f5f7),
  .label_bg = RGB (0xebedf0),
  .text = RGB (0x1e1e1e),
  .text_dim = RGB (0x5e5e5e),
  .grid = RGB (0xdcdcdc),
  .running = RGB (0x0072b2),
  .ready = RGB (0xe69f00),
  .waiting = RGB (0x8a8a8a),
  .done = RGB (0x1e1e1e),
  .cancelled = RGB (0xd55e00),
  .failed = RGB (0xcc3311),
  .hold = RGB (0x009e73),
  .hold_text = RGB (0xffffff),
  .event = RGB (0xcc79a7),
  .steps = RGB (0x0072b2),
  .blocked = RGB (0xd55e00),
  .link = RGB (0xcc79a7),
  .now = RGB (0x009e73),
  .selection = RGB (0x0072b2),
};

static const LsPalette dark_palette = {
  .background = RGB (0x1d1d20),
  .row_alt = RGB (0x25252a),
  .label_bg = RGB (0x2c2c32),
  .text = RGB (0xeeeeee),
  .text_dim = RGB (0xb0b0b0),
  .grid = RGB (0x3c3c42),
  .running = RGB (0x56b4e9),
  .ready = RGB (0xe69f00),
  .waiting = RGB (0x9a9a9a),
  .done = RGB (0xeeeeee),
  .cancelled = RGB (0xe67a2e),
  .failed = RGB (0xee5544),
  .hold = RGB (0x2bb58a),
  .hold_text = RGB (0x101010),
  .event = RGB (0xcc79a7),
  .steps = RGB (0x56b4e9),
  .blocked = RGB (0xe67a2e),
  .link = RGB (0xe08ec0),
  .now = RGB (0x2bb58a),
  .selection = RGB (0x56b4e9),
};

/* ---- geometry ----------------------------------------------------------- */

double
ls_timeline_view_time_to_x (const LsTimelineView *view,
                            gint64                time_ns)
{
  return _ls_render_time_to_x (view, time_ns);
}

gint64
ls_timeline_view_x_to_time (const LsTimelineView *view,
                            double                x)
{
  double label_w = _ls_render_label_width (view);
  double plot_w = MAX (1.0, view->width - label_w);
  double span = (double) MAX (1, view->t1 - view->t0);

  return view->t0 + (gint64) llround ((x - label_w) * span / plot_w);
}

/* ---- time formatting ------------------------------------------------------ */

static void
pick_unit (gint64       step_ns,
           double      *unit,
           const char **name,
           int         *decimals)
{
  /* the units in the reader's language (秒, 毫秒…) */
  if (step_ns >= 100 * G_GINT64_CONSTANT (1000000))
    *unit = 1e9, *name = C_("unit", "s");
  else if (step_ns >= 100000)
    *unit = 1e6, *name = C_("unit", "ms");
  else if (step_ns >= 100)
    *unit = 1e3, *name = C_("unit", "µs");
  else
    *unit = 1.0, *name = C_("unit", "ns");
  *decimals = MAX (0, (int) ceil (log10 (*unit / (double) MAX (1, step_ns)) - 1e-9));
}

char *
ls_timeline_format_time (gint64 time_ns,
                         gint64 step_ns)
{
  double unit;
  const char *name;
  int decimals;

  if (time_ns == 0)
    return g_strdup ("0");
  pick_unit (step_ns, &unit, &name, &decimals);
  return g_strdup_printf ("%.*f %s", decimals, (double) time_ns / unit, name);
}

char *
ls_timeline_format_duration (gint64 duration_ns)
{
  double unit;
  const char *name;
  g_autofree char *text = NULL;
  char *dot;

  if (duration_ns == 0)
    return g_strdup ("0");
  if (duration_ns >= 1000000000)
    unit = 1e9, name = C_("unit", "s");
  else if (duration_ns >= 1000000)
    unit = 1e6, name = C_("unit", "ms");
  else if (duration_ns >= 1000)
    unit = 1e3, name = C_("unit", "µs");
  else
    unit = 1.0, name = C_("unit", "ns");
  text = g_strdup_printf ("%.3f", (double) duration_ns / unit);
  /* "100.000" -> "100", "1.250" -> "1.25" */
  if ((dot = strchr (text, '.')) != NULL)
    {
      char *end = text + strlen (text) - 1;

      while (end > dot && *end == '0')
        *end-- = '\0';
      if (end == dot)
        *end = '\0';
    }
  return g_strdup_printf ("%s %s", text, name);
}

/* ---- text ----------------------------------------------------------------- */

void
_ls_render_text_size (LsRenderCtx                *ctx,
                      const PangoFontDescription *font,
                      const char                 *text,
                      int                        *width,
                      int                        *height)
{
  pango_layout_set_font_description (ctx->layout, font);
  pango_layout_set_width (ctx->layout, -1);
  pango_layout_set_text (ctx->layout, text, -1);
  pango_layout_get_pixel_size (ctx->layout, width, height);
}

/* Draws @text with its left edge at @x, centred vertically on @cy; with
 * @max_width > 0 it is ellipsized to fit. */
void
_ls_render_draw_text (LsRenderCtx                *ctx,
                      const PangoFontDescription *font,
                      const char                 *text,
                      double                      x,
                      double                      cy,
                      double                      max_width)
{
  int w, h;

  pango_layout_set_font_description (ctx->layout, font);
  pango_layout_set_text (ctx->layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (ctx->layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (ctx->layout, PANGO_ELLIPSIZE_END);
    }
  else
    {
      pango_layout_set_width (ctx->layout, -1);
      pango_layout_set_ellipsize (ctx->layout, PANGO_ELLIPSIZE_NONE);
    }
  pango_layout_get_pixel_size (ctx->layout, &w, &h);
  cairo_move_to (ctx->cr, x, round (cy - h / 2.0));
  pango_cairo_show_layout (ctx->cr, ctx->layout);
}

/* ---- the axis and the grid -------------------------------------------------- */

static gint64
tick_step (LsRenderCtx *ctx)
{
  double ns_per_px = (double) (ctx->view->t1 - ctx->view->t0)
                     / MAX (1.0, ctx->plot_x1 - ctx->plot_x0);
  double wanted = MAX (1.0, MIN_TICK_PX * ns_per_px);
  gint64 step = 1;

  /* 1-2-5 steps */
  for (;;)
    {
      if (step >= wanted)
        return step;
      if (2 * step >= wanted)
        return 2 * step;
      if (5 * step >= wanted)
        return 5 * step;
      if (step > G_MAXINT64 / 100)
        return step;
      step *= 10;
    }
}

static gint64
first_tick (gint64 t0,
            gint64 step)
{
  gint64 t = (t0 / step) * step;

  if (t < t0 && t <= G_MAXINT64 - step)
    t += step;
  return t;
}

/* The tick after @t, or FALSE past the end of time (a trace from a file
 * may reach it). */
static gboolean
next_tick (gint64 *t,
           gint64  step,
           gint64  t1)
{
  if (*t > t1 - step || *t > G_MAXINT64 - step)
    return FALSE;
  *t += step;
  return TRUE;
}

static void
draw_grid (LsRenderCtx *ctx,
           gint64       step)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->grid);
  cairo_set_line_width (cr, 1.0);
  for (gint64 t = first_tick (ctx->view->t0, step); t <= ctx->view->t1;)
    {
      double x = round (_ls_render_tx (ctx, t)) + 0.5;

      cairo_move_to (cr, x, ctx->plot_y0);
      cairo_line_to (cr, x, ctx->plot_y1);
      if (!next_tick (&t, step, ctx->view->t1))
        break;
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_axis (LsRenderCtx *ctx,
           gint64       step)
{
  cairo_t *cr = ctx->cr;
  double h = LS_TIMELINE_AXIS_HEIGHT;

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->label_bg);
  cairo_rectangle (cr, 0, 0, ctx->view->width, h);
  cairo_fill (cr);

  cairo_rectangle (cr, ctx->plot_x0, 0, ctx->plot_x1 - ctx->plot_x0, h);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);
  for (gint64 t = first_tick (ctx->view->t0, step); t <= ctx->view->t1;)
    {
      double x = round (_ls_render_tx (ctx, t)) + 0.5;
      g_autofree char *label = ls_timeline_format_time (t, step);

      _ls_render_set_rgb (cr, &ctx->pal->text_dim);
      cairo_move_to (cr, x, h - 7);
      cairo_line_to (cr, x, h);
      cairo_stroke (cr);
      _ls_render_set_rgb (cr, &ctx->pal->text);
      _ls_render_draw_text (ctx, ctx->small_font, label, x + 3, h / 2 - 2, 0);
      if (!next_tick (&t, step, ctx->view->t1))
        break;
    }
  /* minor ticks: five per step */
  _ls_render_set_rgb (cr, &ctx->pal->text_dim);
  for (gint64 t = first_tick (ctx->view->t0, MAX (1, step / 5)); t <= ctx->view->t1;)
    {
      double x = round (_ls_render_tx (ctx, t)) + 0.5;

      cairo_move_to (cr, x, h - 3);
      cairo_line_to (cr, x, h);
      if (!next_tick (&t, MAX (1, step / 5), ctx->view->t1))
        break;
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, 0, h - 0.5);
  cairo_line_to (cr, ctx->view->width, h - 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_time_line (LsRenderCtx        *ctx,
                LsTimelineItemKind  kind,
                gint64              t,
                const LsRgb        *colour,
                gboolean            dashed)
{
  cairo_t *cr = ctx->cr;
  double x;

  if (t < ctx->view->t0 || t > ctx->view->t1)
    return;
  x = round (_ls_render_tx (ctx, t)) + 0.5;
  cairo_save (cr);
  _ls_render_set_rgb (cr, colour);
  cairo_set_line_width (cr, 1.5);
  if (dashed)
    cairo_set_dash (cr, (double[]) { 4.0, 3.0 }, 2, 0);
  cairo_move_to (cr, x, LS_TIMELINE_AXIS_HEIGHT);
  cairo_line_to (cr, x, ctx->plot_y1);
  cairo_stroke (cr);
  /* a handle on the axis */
  cairo_move_to (cr, x - 5, LS_TIMELINE_AXIS_HEIGHT - 7);
  cairo_line_to (cr, x + 5, LS_TIMELINE_AXIS_HEIGHT - 7);
  cairo_line_to (cr, x, LS_TIMELINE_AXIS_HEIGHT);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_restore (cr);

  if (ctx->record != NULL)
    {
      LsTimelineItem *item = _ls_render_record (ctx, kind, -1);

      item->start_ns = item->end_ns = t;
      item->x0 = item->x1 = x;
      item->y0 = LS_TIMELINE_AXIS_HEIGHT;
      item->y1 = ctx->plot_y1;
    }
}

/* ---- the context and the record ------------------------------------------------ */

/* The fonts, the layout and the palette of @view, for a frame, a title or
 * a legend; the plot area is everything until a frame sets it. */
void
_ls_render_ctx_init (LsRenderCtx          *ctx,
                     cairo_t              *cr,
                     const LsTimelineView *view)
{
  int size;

  memset (ctx, 0, sizeof *ctx);
  if (view->font != NULL)
    ctx->font = pango_font_description_copy (view->font);
  else
    ctx->font = pango_font_description_from_string (view->font_name != NULL ? view->font_name
                                                                           : "Sans 9");
  size = pango_font_description_get_size (ctx->font);
  if (size <= 0)
    {
      size = 9 * PANGO_SCALE;
      pango_font_description_set_size (ctx->font, size);
    }
  ctx->small_font = pango_font_description_copy (ctx->font);
  /* small text sits inside 14 px outlines: never above 8 pt */
  pango_font_description_set_size (ctx->small_font, MIN (size * 85 / 100, 8 * PANGO_SCALE));
  ctx->bold_font = pango_font_description_copy (ctx->font);
  pango_font_description_set_weight (ctx->bold_font, PANGO_WEIGHT_BOLD);
  ctx->layout = pango_cairo_create_layout (cr);
  ctx->cr = cr;
  ctx->view = view;
  ctx->pal = view->dark ? &dark_palette : &light_palette;
  ctx->plot_x0 = -G_MAXDOUBLE;
  ctx->plot_x1 = G_MAXDOUBLE;
}

void
_ls_render_ctx_clear (LsRenderCtx *ctx)
{
  g_clear_object (&ctx->layout);
  g_clear_object (&ctx->lane_layout);
  g_clear_pointer (&ctx->font, pango_font_description_free);
  g_clear_pointer (&ctx->small_font, pango_font_description_free);
  g_clear_pointer (&ctx->bold_font, pango_font_description_free);
}

LsTimelineItem *
_ls_render_record (LsRenderCtx        *ctx,
                   LsTimelineItemKind  kind,
                   int                 lane)
{
  LsTimelineItem *item;

  g_assert (ctx->record != NULL);
  g_array_set_size (ctx->record, ctx->record->len + 1);
  item = &g_array_index (ctx->record, LsTimelineItem, ctx->record->len - 1);
  memset (item, 0, sizeof *item);
  item->kind = kind;
  item->lane = lane;
  item->row = lane >= 0 && ctx->lane_layout != NULL
              ? ls_lane_layout_get_lane_row (ctx->lane_layout, (guint) lane) : -1;
  item->from_lane = item->to_lane = item->via_lane = -1;
  return item;
}

/* ---- the whole ---------------------------------------------------------------- */

/**
 * ls_timeline_render:
 * @cr: where to draw, in pixels, origin at the top left of the timeline
 * @model: what to draw
 * @view: the visible range, scroll position, selection and style
 *
 * Draws the whole timeline into the @view->width × @view->height
 * rectangle at the origin of @cr.
 */
void
ls_timeline_render (cairo_t              *cr,
                    LsInterpreter        *model,
                    const LsTimelineView *view)
{
  ls_timeline_render_recorded (cr, model, view, NULL);
}

/**
 * ls_timeline_render_recorded:
 * @cr: where to draw, in pixels, origin at the top left of the timeline
 * @model: what to draw
 * @view: the visible range, scroll position, selection and style
 * @record: (nullable): an array of #LsTimelineItem to append to
 *
 * ls_timeline_render (), appending to @record an item for each shape
 * drawn (see #LsTimelineItem), in drawing order.
 */
void
ls_timeline_render_recorded (cairo_t              *cr,
                             LsInterpreter        *model,
                             const LsTimelineView *view,
                             GArray               *record)
{
  LsRenderCtx ctx;
  gint64 step;
  double pinned_h, strip_h = ls_timeline_ready_strip_height (view);

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_INTERPRETER (model));
  g_return_if_fail (view != NULL && view->t1 > view->t0);
  g_return_if_fail (record == NULL
                    || g_array_get_element_size (record) == sizeof (LsTimelineItem));
  g_return_if_fail (view->layout == NULL || view->iterations != NULL
                    || ls_lane_layout_get_interpreter (view->layout) == model);
  g_return_if_fail (view->iterations == NULL
                    || ls_iteration_map_get_interpreter (view->iterations) == model);

  _ls_render_ctx_init (&ctx, cr, view);
  ctx.model = model;
  ctx.record = record;
  if (view->layout != NULL)
    ctx.lane_layout = g_object_ref (view->layout);
  else
    {
      /* every lane, nothing folded: what an export shows unless told */
      ctx.lane_layout = ls_lane_layout_new (model);
      ls_lane_layout_set_grouping (ctx.lane_layout, FALSE);
    }
  ctx.plot_x0 = _ls_render_label_width (view);
  ctx.plot_x1 = MAX (view->width, ctx.plot_x0 + 1);
  ctx.plot_y0 = LS_TIMELINE_AXIS_HEIGHT;
  ctx.plot_y1 = MAX (view->height, LS_TIMELINE_AXIS_HEIGHT);
  ctx.end_time = MAX (ls_interpreter_get_end_time (model), view->now);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, view->width, view->height);
  cairo_clip (cr);
  _ls_render_set_rgb (cr, &ctx.pal->background);
  cairo_paint (cr);

  step = tick_step (&ctx);

  /* the rows that scroll, then the pinned ones over them: each section
   * clipped to its own part of the plot */
  pinned_h = MIN (ls_lane_layout_get_pinned_height (ctx.lane_layout),
                  ctx.plot_y1 - LS_TIMELINE_AXIS_HEIGHT);
  for (LsRenderSection section = LS_RENDER_SCROLLED; section <= LS_RENDER_PINNED; section++)
    {
      ctx.section = section;
      ctx.plot_y0 = section == LS_RENDER_PINNED ? LS_TIMELINE_AXIS_HEIGHT
                                                : LS_TIMELINE_AXIS_HEIGHT + pinned_h;
      ctx.plot_y1 = section == LS_RENDER_PINNED ? LS_TIMELINE_AXIS_HEIGHT + pinned_h
                                                : MAX (view->height - strip_h,
                                                       LS_TIMELINE_AXIS_HEIGHT);
      if (section == LS_RENDER_PINNED && pinned_h <= 0)
        break;
      cairo_save (cr);
      cairo_rectangle (cr, ctx.plot_x0, ctx.plot_y0, ctx.plot_x1 - ctx.plot_x0,
                       ctx.plot_y1 - ctx.plot_y0);
      cairo_clip (cr);
      _ls_render_draw_rows (&ctx);
      if (view->iterations != NULL)
        _ls_render_draw_iteration_columns (&ctx);
      else
        draw_grid (&ctx, step);
      _ls_render_draw_lanes (&ctx);
      _ls_render_draw_prints (&ctx);
      _ls_render_draw_deadlines (&ctx);
      _ls_render_draw_cancels (&ctx);
      cairo_restore (cr);
      _ls_render_draw_labels (&ctx);
    }
  ctx.section = LS_RENDER_ALL;
  ctx.plot_y0 = LS_TIMELINE_AXIS_HEIGHT;
  ctx.plot_y1 = MAX (view->height - strip_h, LS_TIMELINE_AXIS_HEIGHT);

  cairo_save (cr);
  cairo_rectangle (cr, ctx.plot_x0, ctx.plot_y0, ctx.plot_x1 - ctx.plot_x0,
                   ctx.plot_y1 - ctx.plot_y0);
  cairo_clip (cr);
  _ls_render_draw_bands (&ctx);
  _ls_render_draw_links (&ctx);
  cairo_restore (cr);

  _ls_render_set_rgb (cr, &ctx.pal->grid);
  cairo_rectangle (cr, ctx.plot_x0 - 1, 0, 1, ctx.plot_y1);
  cairo_fill (cr);
  _ls_render_draw_pinned_rule (&ctx);
  if (view->iterations != NULL)
    _ls_render_draw_iteration_axis (&ctx);
  else
    draw_axis (&ctx, step);
  if (view->now >= 0)
    draw_time_line (&ctx, LS_TIMELINE_ITEM_NOW, view->now, &ctx.pal->now, FALSE);
  if (view->cursor >= 0)
    draw_time_line (&ctx, LS_TIMELINE_ITEM_CURSOR, view->cursor, &ctx.pal->text, TRUE);
  if (strip_h > 0)
    {
      ctx.plot_y1 = MAX (view->height, LS_TIMELINE_AXIS_HEIGHT);
      _ls_render_draw_ready_strip (&ctx);
    }
  cairo_restore (cr);
  _ls_render_ctx_clear (&ctx);
}
