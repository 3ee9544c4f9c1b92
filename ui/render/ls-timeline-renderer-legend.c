/* SPDX-License-Identifier: MIT
 *
 * The title line and the legend of an exported image. The legend draws
 * each shape with the very functions that draw it in the lanes, so it
 * cannot tell a different story from the picture above it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ls-timeline-renderer-private.h"

#define LEGEND_SWATCH  26.0
#define LEGEND_GAP     18.0
#define LEGEND_PAD     8.0

typedef enum
{
  LEGEND_RUNNING,
  LEGEND_READY,
  LEGEND_WAITING,
  LEGEND_BLOCKED,
  LEGEND_DONE,
  LEGEND_CANCELLED,
  LEGEND_FAILED,
  LEGEND_LOCK_OWNER,
  LEGEND_EVENT_SET,
  LEGEND_COUNT,
  LEGEND_LINK,
  N_LEGEND
} LegendItem;

static const char *legend_labels[N_LEGEND] = {
  [LEGEND_RUNNING] = N_("running"),
  [LEGEND_READY] = N_("ready"),
  [LEGEND_WAITING] = N_("waiting"),
  [LEGEND_BLOCKED] = N_("loop blocked"),
  [LEGEND_DONE] = N_("done"),
  [LEGEND_CANCELLED] = N_("cancelled"),
  [LEGEND_FAILED] = N_("failed"),
  [LEGEND_LOCK_OWNER] = N_("lock owner"),
  [LEGEND_EVENT_SET] = N_("event set"),
  [LEGEND_COUNT] = N_("permits / queue depth"),
  [LEGEND_LINK] = N_("wake-up / handoff"),
};

/* One swatch, LEGEND_SWATCH wide, in a lane-high box at (x, y). */
static void
draw_legend_swatch (LsRenderCtx *ctx,
                    LegendItem   item,
                    double       x,
                    double       y)
{
  cairo_t *cr = ctx->cr;
  double x1 = x + LEGEND_SWATCH;
  double cy = y + LS_TIMELINE_LANE_HEIGHT / 2;

  cairo_save (cr);
  switch (item)
    {
    case LEGEND_RUNNING:
      _ls_render_running_bar (ctx, x, x1, y);
      break;
    case LEGEND_READY:
      _ls_render_ready_bar (ctx, x, x1, y);
      break;
    case LEGEND_WAITING:
      _ls_render_set_rgba (cr, &ctx->pal->waiting, 0.10);
      cairo_rectangle (cr, x + 0.5, y + LS_TIMELINE_WAIT_TOP + 0.5, LEGEND_SWATCH - 1.0,
                       LS_TIMELINE_WAIT_HEIGHT - 1.0);
      cairo_fill_preserve (cr);
      _ls_render_set_rgb (cr, &ctx->pal->waiting);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      break;
    case LEGEND_BLOCKED:
      _ls_render_set_rgba (cr, &ctx->pal->blocked, 0.16);
      cairo_rectangle (cr, x, y + 2, LEGEND_SWATCH, LS_TIMELINE_LANE_HEIGHT - 4);
      cairo_fill (cr);
      _ls_render_set_rgba (cr, &ctx->pal->blocked, 0.8);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, round (x) + 0.5, y + 2);
      cairo_line_to (cr, round (x) + 0.5, y + LS_TIMELINE_LANE_HEIGHT - 2);
      cairo_move_to (cr, round (x1) - 0.5, y + 2);
      cairo_line_to (cr, round (x1) - 0.5, y + LS_TIMELINE_LANE_HEIGHT - 2);
      cairo_stroke (cr);
      break;
    case LEGEND_DONE:
      _ls_render_final_mark (ctx, LS_TASK_STATE_DONE, x + LEGEND_SWATCH / 2 - 2, y);
      break;
    case LEGEND_CANCELLED:
      _ls_render_final_mark (ctx, LS_TASK_STATE_CANCELLED, x + LEGEND_SWATCH / 2, y);
      break;
    case LEGEND_FAILED:
      _ls_render_final_mark (ctx, LS_TASK_STATE_FAILED, x + LEGEND_SWATCH / 2, y);
      break;
    case LEGEND_LOCK_OWNER:
    case LEGEND_EVENT_SET:
      _ls_render_set_rgb (cr, item == LEGEND_LOCK_OWNER ? &ctx->pal->hold : &ctx->pal->event);
      cairo_rectangle (cr, x, y + LS_TIMELINE_BAR_TOP, LEGEND_SWATCH, LS_TIMELINE_BAR_HEIGHT);
      cairo_fill (cr);
      break;
    case LEGEND_COUNT:
      _ls_render_set_rgb (cr, &ctx->pal->steps);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, x, y + LS_TIMELINE_BAR_TOP + LS_TIMELINE_BAR_HEIGHT);
      cairo_line_to (cr, x + LEGEND_SWATCH / 3, y + LS_TIMELINE_BAR_TOP + LS_TIMELINE_BAR_HEIGHT);
      cairo_line_to (cr, x + LEGEND_SWATCH / 3, y + LS_TIMELINE_BAR_TOP + 4);
      cairo_line_to (cr, x + 2 * LEGEND_SWATCH / 3, y + LS_TIMELINE_BAR_TOP + 4);
      cairo_line_to (cr, x + 2 * LEGEND_SWATCH / 3, y + LS_TIMELINE_BAR_TOP + 10);
      cairo_line_to (cr, x1, y + LS_TIMELINE_BAR_TOP + 10);
      cairo_stroke (cr);
      break;
    case LEGEND_LINK:
      _ls_render_set_rgb (cr, &ctx->pal->link);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, x, cy);
      cairo_line_to (cr, x1 - 2, cy);
      cairo_stroke (cr);
      cairo_move_to (cr, x1, cy);
      cairo_line_to (cr, x1 - 6, cy - 4);
      cairo_line_to (cr, x1 - 6, cy + 4);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    default:
      break;
    }
  cairo_restore (cr);
}

/**
 * ls_timeline_render_legend:
 * @cr: where to draw, origin at the legend's top left
 * @view: its style (dark, font); the range is not used
 * @width: the width to fill; items wrap onto more rows
 *
 * Draws what each shape and colour of the timeline means, with the very
 * functions that draw them, on the view's background.
 *
 * Returns: the height used
 */
double
ls_timeline_render_legend (cairo_t              *cr,
                           const LsTimelineView *view,
                           double                width)
{
  LsRenderCtx ctx;
  double x = LEGEND_PAD, y = LEGEND_PAD;
  double height;

  _ls_render_ctx_init (&ctx, cr, view);
  /* the first pass lays the items out, so the background is painted
   * once, under everything, at the right height */
  height = 0;
  for (guint pass = 0; pass < 2; pass++)
    {
      x = LEGEND_PAD;
      y = LEGEND_PAD;
      if (pass == 1)
        {
          cairo_save (cr);
          _ls_render_set_rgb (cr, &ctx.pal->background);
          cairo_rectangle (cr, 0, 0, width, height);
          cairo_fill (cr);
          _ls_render_set_rgb (cr, &ctx.pal->grid);
          cairo_rectangle (cr, 0, 0, width, 1);
          cairo_fill (cr);
          cairo_restore (cr);
        }
      for (guint i = 0; i < N_LEGEND; i++)
        {
          const char *label = _(legend_labels[i]);
          int w, h;
          double item_w;

          _ls_render_text_size (&ctx, ctx.font, label, &w, &h);
          item_w = LEGEND_SWATCH + 6 + w;
          if (x > LEGEND_PAD && x + item_w > width - LEGEND_PAD)
            {
              x = LEGEND_PAD;
              y += LS_TIMELINE_LANE_HEIGHT;
            }
          if (pass == 1)
            {
              draw_legend_swatch (&ctx, i, x, y);
              _ls_render_set_rgb (cr, &ctx.pal->text);
              _ls_render_draw_text (&ctx, ctx.font, label, x + LEGEND_SWATCH + 6,
                                    y + LS_TIMELINE_LANE_HEIGHT / 2, 0);
            }
          x += item_w + LEGEND_GAP;
        }
      height = y + LS_TIMELINE_LANE_HEIGHT + LEGEND_PAD;
    }
  _ls_render_ctx_clear (&ctx);
  return height;
}

/**
 * ls_timeline_render_title:
 * @cr: where to draw, origin at the title's top left
 * @view: its style
 * @title: one line (ellipsized to @width)
 * @width: the width to fill
 *
 * Returns: the height used
 */
double
ls_timeline_render_title (cairo_t              *cr,
                          const LsTimelineView *view,
                          const char           *title,
                          double                width)
{
  LsRenderCtx ctx;
  double height = LS_TIMELINE_TITLE_HEIGHT;

  _ls_render_ctx_init (&ctx, cr, view);
  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx.pal->background);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  _ls_render_set_rgb (cr, &ctx.pal->text);
  _ls_render_draw_text (&ctx, ctx.bold_font, title, LEGEND_PAD, height / 2,
                        width - 2 * LEGEND_PAD);
  _ls_render_set_rgb (cr, &ctx.pal->grid);
  cairo_rectangle (cr, 0, height - 1, width, 1);
  cairo_fill (cr);
  cairo_restore (cr);
  _ls_render_ctx_clear (&ctx);
  return height;
}
