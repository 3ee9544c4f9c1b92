/* SPDX-License-Identifier: MIT
 *
 * What the timeline draws over the lanes: prints (a small triangle on the
 * top edge of the printing task's lane), cancel requests (a triangle on
 * the bottom edge of the cancelled task's, filled when it took effect),
 * timeout deadlines (a bracket from where the deadline was set to where it
 * falls due, or to where its scope ended if that came first), the loop's
 * blocked periods (a band across every lane), and the causes: wake-up,
 * handoff and cancel arrows for the selected lane, from the task that
 * acted to the task it woke, handed a primitive to or cancelled; and for a
 * selected task, each timer that ended its sleep and each I/O completion
 * that woke it (a clock, a square) with an arrow from where it was set or
 * begun.
 */
#include "config.h"

#include <math.h>

#include "ls-timeline-renderer-private.h"

void
_ls_render_draw_prints (LsRenderCtx *ctx)
{
  cairo_t *cr = ctx->cr;
  GArray *prints = ls_interpreter_get_prints (ctx->model);

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->text_dim);
  for (guint i = 0; i < prints->len; i++)
    {
      const LsTimelinePrint *p = &g_array_index (prints, LsTimelinePrint, i);
      int lane = ls_interpreter_find_lane (ctx->model, p->task_id);
      double x, y;

      if (lane < 0 || p->time_ns < ctx->view->t0 || p->time_ns > ctx->view->t1)
        continue;
      if ((y = _ls_render_lane_y (ctx, lane)) < 0)
        continue;
      /* a small downward triangle on the lane's top edge */
      x = _ls_render_tx (ctx, p->time_ns);
      cairo_move_to (cr, x - 3, y + 0.5);
      cairo_line_to (cr, x + 3, y + 0.5);
      cairo_line_to (cr, x, y + 4.5);
      cairo_close_path (cr);

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_PRINT, lane);

          item->object = p->task_id;
          item->start_ns = item->end_ns = p->time_ns;
          item->text = p->text;
          item->x0 = x - 3;
          item->y0 = y + 0.5;
          item->x1 = x + 3;
          item->y1 = y + 4.5;
        }
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

void
_ls_render_draw_cancels (LsRenderCtx *ctx)
{
  cairo_t *cr = ctx->cr;
  GArray *cancels = ls_interpreter_get_cancels (ctx->model);

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->cancelled);
  for (guint i = 0; i < cancels->len; i++)
    {
      const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i);
      int lane = ls_interpreter_find_lane (ctx->model, c->to_task);
      double x, y;

      if (lane < 0 || c->time_ns < ctx->view->t0 || c->time_ns > ctx->view->t1)
        continue;
      if ((y = _ls_render_lane_y (ctx, lane)) < 0)
        continue;
      /* an upward triangle on the lane's bottom edge: the request arrives */
      x = _ls_render_tx (ctx, c->time_ns);
      cairo_move_to (cr, x - 4, y + LS_TIMELINE_LANE_HEIGHT - 0.5);
      cairo_line_to (cr, x + 4, y + LS_TIMELINE_LANE_HEIGHT - 0.5);
      cairo_line_to (cr, x, y + LS_TIMELINE_LANE_HEIGHT - 6.5);
      cairo_close_path (cr);
      if (c->effective)
        cairo_fill (cr);
      else
        {
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_CANCEL, lane);

          item->from_lane = c->from_task != 0 ? ls_interpreter_find_lane (ctx->model, c->from_task)
                                              : -1;
          item->to_lane = lane;
          item->object = c->from_task;
          item->value = c->effective;
          item->start_ns = item->end_ns = c->time_ns;
          item->x0 = x - 4;
          item->y0 = y + LS_TIMELINE_LANE_HEIGHT - 6.5;
          item->x1 = x + 4;
          item->y1 = y + LS_TIMELINE_LANE_HEIGHT - 0.5;
        }
    }
  cairo_restore (cr);
}

/* Timeout overlays: a bracket along the top of the waiting task's lane from
 * where the deadline was set to where it falls due, or to where its scope
 * ended when that was sooner (a short tick closes it there); a dashed tick
 * at the deadline when it fired, and while the scope lasts, dots on to
 * where it will. The cancellation it causes shows as a cancel mark. */
void
_ls_render_draw_deadlines (LsRenderCtx *ctx)
{
  cairo_t *cr = ctx->cr;
  GArray *deadlines = ls_interpreter_get_deadlines (ctx->model);

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->cancelled);
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < deadlines->len; i++)
    {
      const LsTimelineDeadline *d = &g_array_index (deadlines, LsTimelineDeadline, i);
      int lane = ls_interpreter_find_lane (ctx->model, d->task_id);
      gboolean open = d->end_ns == LS_TIMELINE_OPEN;
      gint64 stop = MIN (d->deadline_ns, open ? MAX (ctx->end_time, d->start_ns) : d->end_ns);
      double x0, x1, y;
      gboolean tick = FALSE;

      if (lane < 0 || stop < ctx->view->t0 || d->start_ns > ctx->view->t1)
        continue;
      if ((y = _ls_render_lane_y (ctx, lane)) < 0)
        continue;
      x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, d->start_ns));
      x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, stop));
      cairo_set_line_width (cr, 2.0);
      cairo_move_to (cr, x0, y + 2);
      cairo_line_to (cr, x1, y + 2);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 1.0);
      if (d->expired && d->deadline_ns >= ctx->view->t0 && d->deadline_ns <= ctx->view->t1)
        {
          static const double dash[] = { 3.0, 2.0 };

          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
          cairo_move_to (cr, x1 + 0.5, y + 1);
          cairo_line_to (cr, x1 + 0.5, y + LS_TIMELINE_LANE_HEIGHT - 1);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          tick = TRUE;
        }
      else if (!d->expired && !open && stop <= ctx->view->t1)
        {
          /* the scope ended before its deadline */
          cairo_move_to (cr, round (x1) - 0.5, y + 0.5);
          cairo_line_to (cr, round (x1) - 0.5, y + 6);
          cairo_stroke (cr);
        }
      else if (open && stop < d->deadline_ns)
        {
          static const double dots[] = { 1.0, 3.0 };
          double xd = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, d->deadline_ns));

          cairo_set_dash (cr, dots, G_N_ELEMENTS (dots), 0);
          cairo_move_to (cr, x1, y + 2);
          cairo_line_to (cr, xd, y + 2);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_DEADLINE, lane);

          item->object = d->task_id;
          item->reason = d->reason;
          item->start_ns = d->start_ns;
          item->end_ns = stop;
          item->value = tick;
          item->x0 = x0;
          item->x1 = x1;
          item->y0 = item->y1 = y + 2;
        }
    }
  cairo_restore (cr);
}

void
_ls_render_draw_bands (LsRenderCtx *ctx)
{
  cairo_t *cr = ctx->cr;
  GArray *bands = ls_interpreter_get_bands (ctx->model);

  for (guint i = 0; i < bands->len; i++)
    {
      const LsTimelineBand *b = &g_array_index (bands, LsTimelineBand, i);
      gint64 end = b->end_ns == LS_TIMELINE_OPEN ? ctx->end_time : b->end_ns;
      double x0, x1;
      int w, h;

      if (end < ctx->view->t0 || b->start_ns > ctx->view->t1)
        continue;
      x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, b->start_ns));
      x1 = MAX (_ls_render_clamp_x (ctx, _ls_render_tx (ctx, end)), x0 + 2.0);
      cairo_save (cr);
      _ls_render_set_rgba (cr, &ctx->pal->blocked, 0.16);
      cairo_rectangle (cr, x0, ctx->plot_y0, x1 - x0, ctx->plot_y1 - ctx->plot_y0);
      cairo_fill (cr);
      _ls_render_set_rgba (cr, &ctx->pal->blocked, 0.8);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, round (x0) + 0.5, ctx->plot_y0);
      cairo_line_to (cr, round (x0) + 0.5, ctx->plot_y1);
      cairo_move_to (cr, round (x1) - 0.5, ctx->plot_y0);
      cairo_line_to (cr, round (x1) - 0.5, ctx->plot_y1);
      cairo_stroke (cr);

      /* the label in a pill at the bottom, where lanes are fewest */
      _ls_render_text_size (ctx, ctx->small_font, "loop blocked", &w, &h);
      if (w + 10 <= x1 - x0)
        {
          double lx = MAX (x0, ctx->plot_x0) + (MIN (x1, ctx->plot_x1) - MAX (x0, ctx->plot_x0)
                                                - w) / 2;
          /* just below the lanes, or at the bottom when they fill the view */
          double ly = MIN (LS_TIMELINE_AXIS_HEIGHT
                           + ls_lane_layout_get_pinned_height (ctx->lane_layout)
                           + ls_lane_layout_get_scrolled_height (ctx->lane_layout)
                           - ctx->view->scroll_y + 6, ctx->plot_y1 - h - 6);

          _ls_render_set_rgb (cr, &ctx->pal->blocked);
          cairo_rectangle (cr, lx - 4, ly - 1, w + 8, h + 2);
          cairo_fill (cr);
          _ls_render_set_rgb (cr, &ctx->pal->background);
          _ls_render_draw_text (ctx, ctx->small_font, "loop blocked", lx, ly + h / 2.0, 0);
        }
      cairo_restore (cr);

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_BAND, -1);

          item->object = b->task_id;
          item->start_ns = b->start_ns;
          item->end_ns = end;
          item->x0 = x0;
          item->y0 = ctx->plot_y0;
          item->x1 = x1;
          item->y1 = ctx->plot_y1;
        }
    }
}

/* A curve from the tail (x0, y0), a dot, to the tip (x1, y1), a head. */
static void
draw_arrow (LsRenderCtx         *ctx,
            LsTimelineArrowKind  kind,
            int                  from_lane,
            gint64               from_time,
            int                  to_lane,
            gint64               to_time,
            int                  via_lane,
            double               x0,
            double               y0,
            double               x1,
            double               y1,
            const LsRgb         *colour)
{
  cairo_t *cr = ctx->cr;
  double c1x, c1y, c2x, c2y, dx, dy, len;
  double yv = via_lane >= 0 ? _ls_render_lane_y (ctx, (guint) via_lane) : -1;
  double xv = 0;

  if (yv >= 0)
    {
      /* a handoff through the primitive's lane (holder → lock → next
       * holder): one curve whose middle (t = ½) is on that lane */
      yv += LS_TIMELINE_LANE_HEIGHT / 2;
      xv = x1 - x0 > 40.0 ? (x0 + x1) / 2 : MAX (x0, x1) + 24.0;
      c1x = c2x = (8 * xv - x0 - x1) / 6;
      c1y = c2y = (8 * yv - y0 - y1) / 6;
    }
  else if (from_lane == to_lane)
    {
      /* along one lane (a sleeper's own timer): an arc over its top */
      double k = (x1 - x0) / 4;

      c1x = x0 + k, c1y = y0 - 14;
      c2x = x1 - k, c2y = y1 - 14;
    }
  else if (x1 - x0 > 40.0)
    {
      /* forward in time: leave and arrive horizontally */
      double k = (x1 - x0) / 2;

      c1x = x0 + k, c1y = y0;
      c2x = x1 - k, c2y = y1;
    }
  else
    {
      /* the same instant (the virtual clock): bow out to the right */
      double bow = 18.0 + MIN (fabs (y1 - y0) / 4, 40.0);

      c1x = x0 + bow, c1y = y0 + (y1 - y0) / 4;
      c2x = x1 + bow, c2y = y1 - (y1 - y0) / 4;
    }
  cairo_save (cr);
  _ls_render_set_rgb (cr, colour);
  cairo_set_line_width (cr, 1.5);
  /* a handoff, and a cancel request, are dashed; a timer's or an I/O's
   * dotted */
  if (kind == LS_TIMELINE_ARROW_TIMER || kind == LS_TIMELINE_ARROW_IO)
    cairo_set_dash (cr, (double[]) { 1.5, 2.5 }, 2, 0);
  else if (kind != LS_TIMELINE_ARROW_WAKEUP)
    cairo_set_dash (cr, (double[]) { 5.0, 3.0 }, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, c1x, c1y, c2x, c2y, x1, y1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  if (yv >= 0)
    {
      /* where it passes through the primitive */
      cairo_arc (cr, xv, yv, 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  /* the head, along the curve's last tangent */
  dx = x1 - c2x, dy = y1 - c2y;
  len = MAX (hypot (dx, dy), 1e-6);
  dx /= len, dy /= len;
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - 8 * dx - 4 * dy, y1 - 8 * dy + 4 * dx);
  cairo_line_to (cr, x1 - 8 * dx + 4 * dy, y1 - 8 * dy - 4 * dx);
  cairo_close_path (cr);
  cairo_fill (cr);

  cairo_arc (cr, x0, y0, 2.5, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_restore (cr);

  if (ctx->record != NULL)
    {
      LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_ARROW, from_lane);

      item->state = kind;
      item->from_lane = from_lane;
      item->to_lane = to_lane;
      item->via_lane = via_lane;
      item->start_ns = from_time;
      item->end_ns = to_time;
      item->x0 = x0;
      item->y0 = y0;
      item->x1 = x1;
      item->y1 = y1;
      item->cx0 = c1x;
      item->cy0 = c1y;
      item->cx1 = c2x;
      item->cy1 = c2y;
    }
}

/* A timer that fired (a clock face) or an I/O that completed (a square),
 * just inside the end of the wait it ended, on the lane of the task it
 * woke (clear of the marks on the lane's edges). */
static void
draw_wake_mark (LsRenderCtx          *ctx,
                int                   lane,
                const LsTimelineWake *wake,
                double                x,
                double                y)
{
  cairo_t *cr = ctx->cr;
  double cx = x - 6.5;
  double cy = y + LS_TIMELINE_LANE_HEIGHT / 2;

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->link);
  cairo_set_line_width (cr, 1.2);
  if (wake->kind == LS_TIMELINE_WAKE_TIMER)
    {
      cairo_arc (cr, cx, cy, 4.0, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_move_to (cr, cx, cy - 2.6);
      cairo_line_to (cr, cx, cy);
      cairo_line_to (cr, cx + 2.2, cy);
      cairo_stroke (cr);
    }
  else
    {
      cairo_rectangle (cr, cx - 3, cy - 3, 6, 6);
      cairo_fill (cr);
    }
  cairo_restore (cr);

  if (ctx->record != NULL)
    {
      LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_WAKE, lane);

      item->state = wake->kind;
      item->object = wake->object;
      item->start_ns = wake->start_ns;
      item->end_ns = wake->time_ns;
      item->x0 = cx - 4.5;
      item->y0 = cy - 4.5;
      item->x1 = cx + 4.5;
      item->y1 = cy + 4.5;
    }
}

/* The selected task's wakes: where the timer was set or the I/O began
 * (by itself, as a rule), an arrow to where it woke, and the mark. */
static void
draw_wakes (LsRenderCtx *ctx,
            int          selected)
{
  const LsTimelineLane *lane = ls_interpreter_get_lane (ctx->model, (guint) selected);
  GArray *wakes = ls_interpreter_get_wakes (ctx->model);
  double y;

  if (lane->kind != LS_TIMELINE_LANE_TASK || lane->wakes == NULL
      || (y = _ls_render_lane_y (ctx, (guint) selected)) < 0)
    return;
  for (guint i = 0; i < lane->wakes->len; i++)
    {
      const LsTimelineWake *wake = &g_array_index (wakes, LsTimelineWake,
                                                   g_array_index (lane->wakes, guint, i));
      int from = ls_interpreter_find_lane (ctx->model, wake->origin_task);
      double x = _ls_render_tx (ctx, wake->woke_ns);
      double y0;

      if (wake->woke_ns < ctx->view->t0 || wake->start_ns > ctx->view->t1)
        continue;
      if (from >= 0 && (y0 = _ls_render_lane_y (ctx, (guint) from)) >= 0
          && _ls_render_tx (ctx, wake->woke_ns) - _ls_render_tx (ctx, wake->start_ns) >= 12.0)
        {
          gboolean same = from == selected;

          draw_arrow (ctx, wake->kind == LS_TIMELINE_WAKE_TIMER ? LS_TIMELINE_ARROW_TIMER
                                                                : LS_TIMELINE_ARROW_IO,
                      from, wake->start_ns, selected, wake->woke_ns, -1,
                      _ls_render_clamp_x (ctx, _ls_render_tx (ctx, wake->start_ns)),
                      y0 + (same ? 5.0 : LS_TIMELINE_LANE_HEIGHT / 2),
                      _ls_render_clamp_x (ctx, x), y + (same ? 5.0 : LS_TIMELINE_LANE_HEIGHT / 2),
                      &ctx->pal->link);
        }
      if (wake->woke_ns <= ctx->view->t1)
        draw_wake_mark (ctx, selected, wake, x, y);
    }
}

/* In the iteration view, where a task woken (or cancelled) at @t runs
 * next: its step in a later iteration, which is where the chain goes on.
 * @t itself in the time view, where that is the same instant. */
static gint64
runs_next (LsRenderCtx *ctx,
           guint        lane,
           gint64       t)
{
  const LsTimelineLane *l;
  int i;

  if (ctx->view->iterations == NULL || (l = ls_interpreter_get_lane (ctx->model, lane)) == NULL
      || l->spans == NULL)
    return t;
  i = MAX (ls_interpreter_find_span (ctx->model, lane, t), 0);
  for (guint k = (guint) i; k < l->spans->len; k++)
    {
      const LsTimelineSpan *span = &g_array_index (l->spans, LsTimelineSpan, k);

      if (span->state == LS_TASK_STATE_RUNNING && span->start_ns >= t)
        return span->start_ns;
      if (span->state != LS_TASK_STATE_READY && span->state != LS_TASK_STATE_RUNNING
          && span->start_ns > t)
        break;
    }
  return t;
}

/* The selected lane's causes and effects: the wake-ups and handoffs from,
 * to or through it, and the cancel requests it made or received. */
void
_ls_render_draw_links (LsRenderCtx *ctx)
{
  GArray *links = ls_interpreter_get_links (ctx->model);
  GArray *cancels = ls_interpreter_get_cancels (ctx->model);
  int selected = ctx->view->selected_lane;

  /* a selection that names no lane of this run (a stale one) selects nothing */
  if (selected < 0 || (guint) selected >= ls_interpreter_get_n_lanes (ctx->model))
    return;
  for (guint i = 0; i < links->len; i++)
    {
      const LsTimelineLink *l = &g_array_index (links, LsTimelineLink, i);
      gint64 to_time;
      double y0, y1;

      if (l->from_lane != (guint) selected && l->to_lane != (guint) selected
          && l->via_lane != (guint) selected)
        continue;
      to_time = runs_next (ctx, l->to_lane, l->to_time);
      if (to_time < ctx->view->t0 || l->from_time > ctx->view->t1)
        continue;
      if ((y0 = _ls_render_lane_y (ctx, l->from_lane)) < 0
          || (y1 = _ls_render_lane_y (ctx, l->to_lane)) < 0)
        continue;
      draw_arrow (ctx, (LsTimelineArrowKind) l->kind, (int) l->from_lane, l->from_time,
                  (int) l->to_lane, to_time, l->via_lane == G_MAXUINT ? -1 : (int) l->via_lane,
                  _ls_render_clamp_x (ctx, _ls_render_tx (ctx, l->from_time)),
                  y0 + LS_TIMELINE_LANE_HEIGHT / 2,
                  _ls_render_clamp_x (ctx, _ls_render_tx (ctx, to_time)),
                  y1 + LS_TIMELINE_LANE_HEIGHT / 2, &ctx->pal->link);
    }

  /* cancel requests, from the task that asked to the one it cancels */
  for (guint i = 0; i < cancels->len; i++)
    {
      const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i);
      int from = c->from_task != 0 ? ls_interpreter_find_lane (ctx->model, c->from_task) : -1;
      int to = ls_interpreter_find_lane (ctx->model, c->to_task);
      gint64 thrown;
      double y0, y1;

      if (from < 0 || to < 0 || from == to || (from != selected && to != selected))
        continue;
      if (c->time_ns < ctx->view->t0 || c->time_ns > ctx->view->t1)
        continue;
      if ((y0 = _ls_render_lane_y (ctx, from)) < 0 || (y1 = _ls_render_lane_y (ctx, to)) < 0)
        continue;
      /* in the iteration view, on to where the CancelledError is thrown */
      thrown = c->effective ? runs_next (ctx, (guint) to, c->time_ns) : c->time_ns;
      draw_arrow (ctx, LS_TIMELINE_ARROW_CANCEL, from, c->time_ns, to, thrown, -1,
                  _ls_render_tx (ctx, c->time_ns), y0 + LS_TIMELINE_LANE_HEIGHT / 2,
                  _ls_render_clamp_x (ctx, _ls_render_tx (ctx, thrown)),
                  y1 + LS_TIMELINE_LANE_HEIGHT - 6, &ctx->pal->cancelled);
    }

  draw_wakes (ctx, selected);
}
