/* SPDX-License-Identifier: MIT
 *
 * The rows of the timeline, as a lane layout (ls-lane-layout.h) arranges
 * them: where each row is (the pinned ones stay under the axis, the others
 * scroll beneath them), which rows are in view, their backgrounds, and the
 * label column: each row's name, indented under its parent, a triangle on
 * a group's row (folded or not), a pin on a pinned one. The frame draws
 * the plot twice, once per section, so a row scrolled under the pinned
 * ones is hidden by them; see ls_timeline_render_recorded ().
 */
#include "config.h"

#include <math.h>

#include "ls-timeline-renderer-private.h"

#define INDENT 12.0 /* per level of task nesting in the label column */

/* ---- geometry ----------------------------------------------------------- */

double
ls_timeline_view_label_width (const LsTimelineView *view)
{
  return _ls_render_label_width (view);
}

static double
row_y (const LsTimelineView *view,
       LsLaneLayout         *layout,
       int                   row)
{
  const LsLaneRow *r = ls_lane_layout_get_row (layout, (guint) row);

  if (r->pinned)
    return LS_TIMELINE_AXIS_HEIGHT + r->y;
  return LS_TIMELINE_AXIS_HEIGHT + ls_lane_layout_get_pinned_height (layout) + r->y
         - view->scroll_y;
}

double
ls_timeline_view_row_y (const LsTimelineView *view,
                        int                   row)
{
  g_return_val_if_fail (view != NULL && LS_IS_LANE_LAYOUT (view->layout), 0);
  g_return_val_if_fail (row >= 0 && (guint) row < ls_lane_layout_get_n_rows (view->layout), 0);
  return row_y (view, view->layout, row);
}

int
ls_timeline_view_row_at_y (const LsTimelineView *view,
                           double                y)
{
  double pinned_h;

  g_return_val_if_fail (view != NULL && LS_IS_LANE_LAYOUT (view->layout), -1);

  if (!(y >= LS_TIMELINE_AXIS_HEIGHT))
    return -1;
  y -= LS_TIMELINE_AXIS_HEIGHT;
  pinned_h = ls_lane_layout_get_pinned_height (view->layout);
  if (y < pinned_h)
    return ls_lane_layout_find_row (view->layout, TRUE, y);
  return ls_lane_layout_find_row (view->layout, FALSE, y - pinned_h + view->scroll_y);
}

double
ls_timeline_content_height (LsLaneLayout *layout)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (layout), 0);
  return LS_TIMELINE_AXIS_HEIGHT + ls_lane_layout_get_pinned_height (layout)
         + ls_lane_layout_get_scrolled_height (layout);
}

double
_ls_render_row_y (LsRenderCtx *ctx,
                  int          row)
{
  return row_y (ctx->view, ctx->lane_layout, row);
}

const LsLaneRow *
_ls_render_row (LsRenderCtx *ctx,
                int          row)
{
  return ls_lane_layout_get_row (ctx->lane_layout, (guint) row);
}

/* A row drawn in the section being drawn (any, outside the sections) */
static gboolean
in_section (LsRenderCtx     *ctx,
            const LsLaneRow *row)
{
  return ctx->section == LS_RENDER_ALL || (ctx->section == LS_RENDER_PINNED) == row->pinned;
}

double
_ls_render_lane_y (LsRenderCtx *ctx,
                   guint        lane)
{
  int row = ls_lane_layout_get_lane_row (ctx->lane_layout, lane);

  if (row < 0 || !in_section (ctx, _ls_render_row (ctx, row)))
    return -1.0;
  return _ls_render_row_y (ctx, row);
}

/* The rows of the section being drawn that may show, [*first, *end): a
 * row or two more than that, so the callers' own test of each row decides. */
void
_ls_render_visible_rows (LsRenderCtx *ctx,
                         guint       *first,
                         guint       *end)
{
  LsLaneLayout *layout = ctx->lane_layout;
  guint n_rows = ls_lane_layout_get_n_rows (layout);
  guint n_pinned = ls_lane_layout_get_n_pinned (layout);
  double top = ctx->view->scroll_y - 2 * LS_LANE_ROW_HEIGHT;
  double bottom = ctx->view->scroll_y + (ctx->plot_y1 - ctx->plot_y0) + 2 * LS_LANE_ROW_HEIGHT;
  guint lo, hi;

  if (ctx->section == LS_RENDER_PINNED)
    {
      *first = 0;
      *end = n_pinned;
      return;
    }
  /* written so that a NaN scroll position visits every row */
  if (!(top == top) || !(bottom == bottom))
    {
      *first = ctx->section == LS_RENDER_ALL ? 0 : n_pinned;
      *end = n_rows;
      return;
    }
  /* the first row ending below top */
  lo = n_pinned, hi = n_rows;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const LsLaneRow *r = ls_lane_layout_get_row (layout, mid);

      if (r->y + r->height <= top)
        lo = mid + 1;
      else
        hi = mid;
    }
  *first = lo;
  /* the first row starting below bottom */
  hi = n_rows;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ls_lane_layout_get_row (layout, mid)->y < bottom)
        lo = mid + 1;
      else
        hi = mid;
    }
  *end = lo;
  if (ctx->section == LS_RENDER_ALL)
    *first = 0;
}

/* ---- backgrounds ------------------------------------------------------------ */

/* The row the selected lane is drawn in: its own, or its folded group's */
static gboolean
row_selected (LsRenderCtx *ctx,
              guint        row)
{
  return ctx->view->selected_lane >= 0
         && ls_lane_layout_get_lane_row (ctx->lane_layout, ctx->view->selected_lane) == (int) row;
}

/* The selected lane tinted, every other row shaded; the pinned rows on a
 * shade of their own, ruled off from the rest. */
void
_ls_render_draw_rows (LsRenderCtx *ctx)
{
  cairo_t *cr = ctx->cr;
  guint first, end;

  if (ctx->section == LS_RENDER_PINNED && ls_lane_layout_get_n_pinned (ctx->lane_layout) > 0)
    {
      _ls_render_set_rgb (cr, &ctx->pal->background);
      cairo_rectangle (cr, ctx->plot_x0, ctx->plot_y0, ctx->plot_x1 - ctx->plot_x0,
                       ctx->plot_y1 - ctx->plot_y0);
      cairo_fill (cr);
      _ls_render_set_rgba (cr, &ctx->pal->selection, 0.05);
      cairo_rectangle (cr, ctx->plot_x0, ctx->plot_y0, ctx->plot_x1 - ctx->plot_x0,
                       ctx->plot_y1 - ctx->plot_y0);
      cairo_fill (cr);
    }
  _ls_render_visible_rows (ctx, &first, &end);
  for (guint row = first; row < end; row++)
    {
      const LsLaneRow *r = _ls_render_row (ctx, (int) row);
      double y = _ls_render_row_y (ctx, (int) row);

      if (y + r->height < ctx->plot_y0 || y > ctx->plot_y1)
        continue;
      if (row_selected (ctx, row))
        {
          _ls_render_set_rgba (cr, &ctx->pal->selection, 0.12);
          cairo_rectangle (cr, ctx->plot_x0, y, ctx->plot_x1 - ctx->plot_x0, r->height);
          cairo_fill (cr);
        }
      else if (row % 2 == 1)
        {
          _ls_render_set_rgb (cr, &ctx->pal->row_alt);
          cairo_rectangle (cr, ctx->plot_x0, y, ctx->plot_x1 - ctx->plot_x0, r->height);
          cairo_fill (cr);
        }
    }
}

/* The line under the pinned rows, across the whole width. */
void
_ls_render_draw_pinned_rule (LsRenderCtx *ctx)
{
  double h = ls_lane_layout_get_pinned_height (ctx->lane_layout);

  if (h <= 0)
    return;
  _ls_render_set_rgb (ctx->cr, &ctx->pal->text_dim);
  cairo_rectangle (ctx->cr, 0, round (LS_TIMELINE_AXIS_HEIGHT + h) - 1, ctx->view->width, 2);
  cairo_fill (ctx->cr);
}

/* ---- labels ------------------------------------------------------------------ */

/* The first primitive's row among the scrolled ones, or n_rows: rows are
 * tasks (and groups of tasks), then primitives. */
static guint
first_primitive_row (LsRenderCtx *ctx)
{
  guint lo = ls_lane_layout_get_n_pinned (ctx->lane_layout);
  guint hi = ls_lane_layout_get_n_rows (ctx->lane_layout);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const LsLaneRow *r = _ls_render_row (ctx, (int) mid);

      if (r->kind == LS_LANE_ROW_LANE
          && ls_interpreter_get_lane (ctx->model, r->lane)->kind == LS_TIMELINE_LANE_PRIMITIVE)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* The primitives start here: a rule across the whole width. */
static void
draw_primitive_rule (LsRenderCtx *ctx,
                     guint        row)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  cairo_reset_clip (cr);
  cairo_rectangle (cr, 0, ctx->plot_y0, ctx->view->width, ctx->plot_y1 - ctx->plot_y0);
  cairo_clip (cr);
  _ls_render_set_rgb (cr, &ctx->pal->text_dim);
  cairo_rectangle (cr, 0, round (_ls_render_row_y (ctx, (int) row)) - 1, ctx->view->width, 1);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* A group's triangle: pointing right while folded, down while open. */
static void
draw_disclosure (LsRenderCtx *ctx,
                 gboolean     expanded,
                 double       x,
                 double       cy)
{
  cairo_t *cr = ctx->cr;

  if (expanded)
    {
      cairo_move_to (cr, x, cy - 2.5);
      cairo_line_to (cr, x + 8, cy - 2.5);
      cairo_line_to (cr, x + 4, cy + 3);
    }
  else
    {
      cairo_move_to (cr, x + 1.5, cy - 4);
      cairo_line_to (cr, x + 7, cy);
      cairo_line_to (cr, x + 1.5, cy + 4);
    }
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* A pin: a head and a needle, at the right of a pinned row's label. */
static void
draw_pin (LsRenderCtx *ctx,
          double       x,
          double       cy)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, x, cy + 6);
  cairo_line_to (cr, x + 3, cy + 1);
  cairo_stroke (cr);
  cairo_arc (cr, x + 4.5, cy - 1.5, 3.5, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* The x where a row's text begins in the label column (after the
 * indentation and a group's triangle). */
double
_ls_render_label_x (const LsLaneRow *row)
{
  return 8.0 + MIN (row->depth, 6) * INDENT + (row->kind == LS_LANE_ROW_GROUP ? 12.0 : 0.0);
}

/* The label column of the section being drawn. */
void
_ls_render_draw_labels (LsRenderCtx *ctx)
{
  cairo_t *cr = ctx->cr;
  guint n_rows = ls_lane_layout_get_n_rows (ctx->lane_layout);
  guint primitives = first_primitive_row (ctx);
  guint first, end;

  cairo_save (cr);
  cairo_rectangle (cr, 0, ctx->plot_y0, ctx->plot_x0, ctx->plot_y1 - ctx->plot_y0);
  cairo_clip (cr);
  _ls_render_set_rgb (cr, &ctx->pal->label_bg);
  cairo_paint (cr);
  if (ctx->section == LS_RENDER_PINNED)
    {
      _ls_render_set_rgba (cr, &ctx->pal->selection, 0.08);
      cairo_paint (cr);
    }

  /* the rule is drawn in row order, in view or not */
  _ls_render_visible_rows (ctx, &first, &end);
  if (ctx->section != LS_RENDER_PINNED && primitives < first && primitives < n_rows)
    draw_primitive_rule (ctx, primitives);
  for (guint row = first; row < end; row++)
    {
      const LsLaneRow *r = _ls_render_row (ctx, (int) row);
      const LsTimelineLane *lane = ls_interpreter_get_lane (ctx->model, r->lane);
      const char *label = ls_lane_layout_get_row_label (ctx->lane_layout, row);
      double y = _ls_render_row_y (ctx, (int) row);
      double indent = 8.0 + MIN (r->depth, 6) * INDENT;
      double text_x = _ls_render_label_x (r);
      double right = ctx->plot_x0 - 6 - (r->pinned ? 12 : 0);
      double cy = y + LS_LANE_ROW_HEIGHT / 2;
      gboolean selected = row_selected (ctx, row);

      if (row == primitives && ctx->section != LS_RENDER_PINNED)
        draw_primitive_rule (ctx, row);
      if (y + r->height < ctx->plot_y0 || y > ctx->plot_y1)
        continue;
      if (selected)
        {
          _ls_render_set_rgba (cr, &ctx->pal->selection, 0.25);
          cairo_rectangle (cr, 0, y, ctx->plot_x0, r->height);
          cairo_fill (cr);
        }
      _ls_render_set_rgb (cr, &ctx->pal->text_dim);
      if (r->depth > 0)
        {
          /* an elbow: created by the task above */
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, indent - 7.5, y + 3);
          cairo_line_to (cr, indent - 7.5, cy + 0.5);
          cairo_line_to (cr, indent - 2, cy + 0.5);
          cairo_stroke (cr);
        }
      if (r->kind == LS_LANE_ROW_GROUP)
        draw_disclosure (ctx, ls_lane_layout_get_group (ctx->lane_layout, r->group)->expanded, indent,
                         cy);
      if (r->pinned)
        draw_pin (ctx, ctx->plot_x0 - 14, cy);
      _ls_render_set_rgb (cr, lane->kind == LS_TIMELINE_LANE_TASK ? &ctx->pal->text
                                                                  : &ctx->pal->text_dim);
      _ls_render_draw_text (ctx, selected ? ctx->bold_font : ctx->font, label, text_x, cy,
                            right - text_x);

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_LABEL, (int) r->lane);

          item->row = (int) row;
          item->text = label;
          item->value = selected;
          item->state = r->kind;
          item->object = r->kind == LS_LANE_ROW_GROUP ? r->group : 0;
          item->x0 = text_x;
          item->y0 = y;
          item->x1 = right;
          item->y1 = y + r->height;
        }
    }
  if (ctx->section != LS_RENDER_PINNED && primitives >= end && primitives < n_rows)
    draw_primitive_rule (ctx, primitives);
  cairo_restore (cr);
}
