/* SPDX-License-Identifier: MIT
 *
 * The lanes of the timeline, drawn. Every task state keeps a shape of its
 * own so the picture reads without colour too: running is a solid bar,
 * ready a striped one, waiting an outline with the reason written in it,
 * and the ends are marks (a tick, a cross, an exclamation mark, with the
 * exception's name beside it). A folded group's row draws its members'
 * spans on one row. A primitive's lane shows its owners or set periods as
 * filled bars (and an event's clear periods as outlines), its permits,
 * depth or tasks inside as a step chart under its capacity, its notifies
 * as ticks, and under all that its waiter lists over time: a chip per
 * task and position, first in line on top.
 *
 * On the virtual clock a task runs in no time at all, so most running and
 * ready spans are instants: whatever falls within one pixel column is
 * merged and drawn once, wide enough to see.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-describe.h"
#include "ls-timeline-renderer-private.h"

#define BAR_TOP      LS_TIMELINE_BAR_TOP
#define BAR_HEIGHT   LS_TIMELINE_BAR_HEIGHT
#define WAIT_TOP     LS_TIMELINE_WAIT_TOP
#define WAIT_HEIGHT  LS_TIMELINE_WAIT_HEIGHT

/* ---- task lanes ----------------------------------------------------------- */

/* The colour-independent shapes: a solid bar, a striped bar, an outline. */
void
_ls_render_running_bar (LsRenderCtx *ctx,
                        double       x0,
                        double       x1,
                        double       y)
{
  _ls_render_set_rgb (ctx->cr, &ctx->pal->running);
  cairo_rectangle (ctx->cr, x0, y + BAR_TOP, MAX (x1 - x0, 1.0), BAR_HEIGHT);
  cairo_fill (ctx->cr);
}

void
_ls_render_ready_bar (LsRenderCtx *ctx,
                      double       x0,
                      double       x1,
                      double       y)
{
  cairo_t *cr = ctx->cr;
  double top = y + BAR_TOP;
  double w = MAX (x1 - x0, 1.0);

  cairo_save (cr);
  cairo_rectangle (cr, x0, top, w, BAR_HEIGHT);
  cairo_clip (cr);
  _ls_render_set_rgba (cr, &ctx->pal->ready, 0.30);
  cairo_paint (cr);
  /* diagonal stripes, anchored to the canvas so they do not crawl */
  _ls_render_set_rgb (cr, &ctx->pal->ready);
  cairo_set_line_width (cr, 2.0);
  for (double sx = floor ((x0 - BAR_HEIGHT) / 6.0) * 6.0; sx < x0 + w; sx += 6.0)
    {
      cairo_move_to (cr, sx, top + BAR_HEIGHT);
      cairo_line_to (cr, sx + BAR_HEIGHT, top);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* A running or ready bar, as the record has it. */
static void
draw_bar (LsRenderCtx *ctx,
          int          lane,
          guint        state,
          gint64       start,
          gint64       end,
          guint        n_merged,
          double       x0,
          double       x1,
          double       y)
{
  if (state == LS_TASK_STATE_RUNNING)
    _ls_render_running_bar (ctx, x0, x1, y);
  else
    _ls_render_ready_bar (ctx, x0, x1, y);

  if (ctx->record != NULL)
    {
      LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_SPAN, lane);

      item->state = state;
      item->start_ns = start;
      item->end_ns = end;
      item->n_merged = n_merged;
      item->x0 = x0;
      item->y0 = y + BAR_TOP;
      item->x1 = x0 + MAX (x1 - x0, 1.0);
      item->y1 = y + BAR_TOP + BAR_HEIGHT;
    }
}

static const char *
wait_label (LsRenderCtx          *ctx,
            const LsTimelineSpan *span,
            char                **long_label)
{
  const char *reason = ls_wait_reason_name (span->wait_reason);
  int lane = ls_interpreter_find_lane (ctx->model, span->wait_object);

  *long_label = NULL;
  if (lane >= 0)
    {
      const LsTimelineLane *l = ls_interpreter_get_lane (ctx->model, lane);
      /* a primitive's label starts with its kind, which the reason repeats */
      const char *name = strchr (l->label, ' ');

      if (l->kind == LS_TIMELINE_LANE_PRIMITIVE && name != NULL)
        {
          /* "semaphore semaphore" says nothing more than "semaphore" */
          if (g_ascii_strcasecmp (name + 1, reason) != 0)
            *long_label = g_strdup_printf ("%s %s", reason, name + 1);
        }
      else
        *long_label = g_strdup_printf ("%s %s", reason, l->label);
    }
  return reason;
}

static void
draw_waiting_bar (LsRenderCtx          *ctx,
                  int                   lane,
                  const LsTimelineSpan *span,
                  gint64                end,
                  double                x0,
                  double                x1,
                  double                y)
{
  cairo_t *cr = ctx->cr;
  g_autofree char *long_label = NULL;
  const char *label;
  const char *written = NULL;
  double vx0 = MAX (x0, ctx->plot_x0);
  double vx1 = MIN (x1, ctx->plot_x1);
  int w, h;

  if (x1 - x0 < 1.0)
    return;
  cairo_save (cr);
  _ls_render_set_rgba (cr, &ctx->pal->waiting, 0.10);
  cairo_rectangle (cr, x0 + 0.5, y + WAIT_TOP + 0.5, MAX (x1 - x0 - 1.0, 0.5), WAIT_HEIGHT - 1.0);
  cairo_fill_preserve (cr);
  _ls_render_set_rgb (cr, &ctx->pal->waiting);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  /* the reason, kept in view when the span starts left of the plot */
  label = wait_label (ctx, span, &long_label);
  if (long_label != NULL)
    {
      _ls_render_text_size (ctx, ctx->small_font, long_label, &w, &h);
      if (w + 8 <= vx1 - vx0)
        label = long_label;
    }
  _ls_render_text_size (ctx, ctx->small_font, label, &w, &h);
  if (w + 8 <= vx1 - vx0)
    {
      _ls_render_set_rgb (cr, &ctx->pal->text_dim);
      _ls_render_draw_text (ctx, ctx->small_font, label, vx0 + 4,
                            y + WAIT_TOP + WAIT_HEIGHT / 2, 0);
      written = label;
    }
  cairo_restore (cr);

  if (ctx->record != NULL)
    {
      LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_SPAN, lane);

      item->state = LS_TASK_STATE_WAITING;
      item->reason = span->wait_reason;
      item->object = span->wait_object;
      item->start_ns = span->start_ns;
      item->end_ns = end;
      item->n_merged = 1;
      item->x0 = x0;
      item->y0 = y + WAIT_TOP;
      item->x1 = x1;
      item->y1 = y + WAIT_TOP + WAIT_HEIGHT;
      if (written != NULL)
        {
          item->text = ls_wait_reason_name (span->wait_reason);
          item->value = written == long_label;
        }
    }
}

void
_ls_render_final_mark (LsRenderCtx *ctx,
                       guint        state,
                       double       x,
                       double       y)
{
  cairo_t *cr = ctx->cr;
  double cy = y + LS_TIMELINE_LANE_HEIGHT / 2;

  cairo_save (cr);
  switch (state)
    {
    case LS_TASK_STATE_DONE:
      /* an end tick with a foot: |_ */
      _ls_render_set_rgb (cr, &ctx->pal->done);
      cairo_set_line_width (cr, 2.0);
      cairo_move_to (cr, x, cy - 7);
      cairo_line_to (cr, x, cy + 7);
      cairo_line_to (cr, x + 4, cy + 7);
      cairo_stroke (cr);
      break;

    case LS_TASK_STATE_CANCELLED:
      _ls_render_set_rgb (cr, &ctx->pal->cancelled);
      cairo_set_line_width (cr, 2.5);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_move_to (cr, x - 5, cy - 5);
      cairo_line_to (cr, x + 5, cy + 5);
      cairo_move_to (cr, x + 5, cy - 5);
      cairo_line_to (cr, x - 5, cy + 5);
      cairo_stroke (cr);
      break;

    case LS_TASK_STATE_FAILED:
      {
        int w, h;

        _ls_render_set_rgb (cr, &ctx->pal->failed);
        cairo_arc (cr, x, cy, 7.5, 0, 2 * G_PI);
        cairo_fill (cr);
        cairo_set_source_rgb (cr, 1, 1, 1);
        _ls_render_text_size (ctx, ctx->bold_font, "!", &w, &h);
        _ls_render_draw_text (ctx, ctx->bold_font, "!", x - w / 2.0, cy, 0);
      }
      break;

    default:
      break;
    }
  cairo_restore (cr);
}

enum
{
  COLUMN_RUNNING = 1 << 0,
  COLUMN_READY = 1 << 1,
};

/* The sub-pixel spans that fell into one pixel column so far. */
typedef struct
{
  double x;
  guint  flags;
  guint  n;
  gint64 start;
  gint64 end;
} Column;

/* What fell into one pixel column, drawn wide enough to see: running wins
 * over ready (it is the rarer and more telling state). */
static void
flush_column (LsRenderCtx  *ctx,
              int           lane,
              const Column *col,
              double        y)
{
  if (col->flags & COLUMN_RUNNING)
    draw_bar (ctx, lane, LS_TASK_STATE_RUNNING, col->start, col->end, col->n,
              col->x - 1.0, col->x + 2.0, y);
  else if (col->flags & COLUMN_READY)
    draw_bar (ctx, lane, LS_TASK_STATE_READY, col->start, col->end, col->n,
              col->x - 1.0, col->x + 2.0, y);
}

/* First span whose end is at or after @t (spans are ordered and abut). */
static guint
first_visible_span (GArray *spans,
                    gint64  t)
{
  guint lo = 0, hi = spans->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (spans, LsTimelineSpan, mid).end_ns < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* "TimeoutError" beside a failed task's mark, right of it where there is
 * room, else left of it; what was written, or NULL. */
static const char *
draw_error_name (LsRenderCtx          *ctx,
                 const LsTimelineLane *lane,
                 double                x,
                 double                y)
{
  const char *name = ls_describe_error_type (ls_interpreter_get_trace (ctx->model),
                                             LS_OUTCOME_FAILED, lane->end_code);
  double tx;
  int w, h;

  _ls_render_text_size (ctx, ctx->small_font, name, &w, &h);
  tx = x + 11;
  if (tx + w > ctx->plot_x1 - 2)
    tx = x - 11 - w;
  if (tx < ctx->plot_x0 + 2)
    return NULL;
  _ls_render_set_rgb (ctx->cr, &ctx->pal->failed);
  _ls_render_draw_text (ctx, ctx->small_font, name, tx, y + LS_TIMELINE_LANE_HEIGHT / 2, 0);
  return name;
}

static void
draw_task_lane (LsRenderCtx          *ctx,
                int                   index,
                const LsTimelineLane *lane,
                double                y,
                gboolean              with_errors)
{
  GArray *spans = lane->spans;
  Column column = { -G_MAXDOUBLE, 0, 0, 0, 0 };
  guint first = first_visible_span (spans, ctx->view->t0);

  /* the outlines first, so instants drawn later sit on top */
  for (guint i = first; i < spans->len; i++)
    {
      const LsTimelineSpan *s = &g_array_index (spans, LsTimelineSpan, i);
      gint64 end = s->end_ns == LS_TIMELINE_OPEN ? ctx->end_time : s->end_ns;

      if (s->start_ns > ctx->view->t1)
        break;
      if (s->state == LS_TASK_STATE_WAITING)
        draw_waiting_bar (ctx, index, s, end,
                          _ls_render_clamp_x (ctx, _ls_render_tx (ctx, s->start_ns)),
                          _ls_render_clamp_x (ctx, _ls_render_tx (ctx, end)), y);
    }

  for (guint i = first; i < spans->len; i++)
    {
      const LsTimelineSpan *s = &g_array_index (spans, LsTimelineSpan, i);
      gint64 end = s->end_ns == LS_TIMELINE_OPEN ? ctx->end_time : s->end_ns;
      double x0, x1;

      if (s->start_ns > ctx->view->t1)
        break;
      if (s->state != LS_TASK_STATE_RUNNING && s->state != LS_TASK_STATE_READY)
        continue;
      x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, s->start_ns));
      x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, end));
      if (x1 - x0 >= 1.0)
        {
          /* running wins over ready here too: a task ready for an instant
           * and then running for a while was running in this column */
          if (s->state == LS_TASK_STATE_RUNNING && floor (x0) == column.x)
            column.flags &= ~COLUMN_READY;
          draw_bar (ctx, index, s->state, s->start_ns, end, 1, x0, x1, y);
          continue;
        }
      /* sub-pixel: merge into the pixel column */
      if (floor (x0) != column.x)
        {
          flush_column (ctx, index, &column, y);
          column.x = floor (x0);
          column.flags = 0;
          column.n = 0;
          column.start = s->start_ns;
        }
      column.flags |= s->state == LS_TASK_STATE_RUNNING ? COLUMN_RUNNING : COLUMN_READY;
      column.n++;
      column.end = end;
    }
  flush_column (ctx, index, &column, y);

  if (spans->len > 0)
    {
      const LsTimelineSpan *last = &g_array_index (spans, LsTimelineSpan, spans->len - 1);

      if (last->start_ns >= ctx->view->t0 && last->start_ns <= ctx->view->t1)
        {
          double x = _ls_render_tx (ctx, last->start_ns);
          const char *error = NULL;

          _ls_render_final_mark (ctx, last->state, x, y);
          /* a failure says what it raised, beside the mark */
          if (last->state == LS_TASK_STATE_FAILED && with_errors)
            error = draw_error_name (ctx, lane, x, y);
          if (ctx->record != NULL
              && (last->state == LS_TASK_STATE_DONE || last->state == LS_TASK_STATE_CANCELLED
                  || last->state == LS_TASK_STATE_FAILED))
            {
              LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_FINAL_MARK, index);

              item->state = last->state;
              item->start_ns = item->end_ns = last->start_ns;
              item->x0 = item->x1 = x;
              item->y0 = item->y1 = y + LS_TIMELINE_LANE_HEIGHT / 2;
              item->text = error;
            }
        }
    }
}

/* ---- primitive lanes ------------------------------------------------------ */

/* An event is clear from its creation until it is set, and between a
 * clear() and the next set(): an outline, so the lane says so from the
 * start (who waits meanwhile is in the chips below). */
static void
draw_clear_periods (LsRenderCtx          *ctx,
                    int                   index,
                    const LsTimelineLane *lane,
                    double                y)
{
  cairo_t *cr = ctx->cr;
  gint64 start = lane->created_ns;
  const char *label = _("clear");

  for (guint i = 0; i <= lane->holds->len; i++)
    {
      const LsTimelineHold *h = i < lane->holds->len
                                ? &g_array_index (lane->holds, LsTimelineHold, i) : NULL;
      gint64 end = h != NULL ? h->start_ns : ctx->end_time;
      double x0, x1, vx0, vx1;
      gboolean written = FALSE;
      int w, th;

      if (start == LS_TIMELINE_OPEN)
        break;
      if (end > start && end >= ctx->view->t0 && start <= ctx->view->t1)
        {
          x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, start));
          x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, end));
          if (x1 - x0 >= 1.0)
            {
              cairo_save (cr);
              _ls_render_set_rgba (cr, &ctx->pal->event, 0.10);
              cairo_rectangle (cr, x0 + 0.5, y + WAIT_TOP + 0.5, MAX (x1 - x0 - 1.0, 0.5),
                               WAIT_HEIGHT - 1.0);
              cairo_fill_preserve (cr);
              _ls_render_set_rgb (cr, &ctx->pal->event);
              cairo_set_line_width (cr, 1.0);
              cairo_set_dash (cr, (double[]) { 3.0, 2.0 }, 2, 0);
              cairo_stroke (cr);
              cairo_restore (cr);
              vx0 = MAX (x0, ctx->plot_x0);
              vx1 = MIN (x1, ctx->plot_x1);
              _ls_render_text_size (ctx, ctx->small_font, label, &w, &th);
              if (w + 8 <= vx1 - vx0)
                {
                  _ls_render_set_rgb (cr, &ctx->pal->text_dim);
                  _ls_render_draw_text (ctx, ctx->small_font, label, vx0 + 4,
                                        y + WAIT_TOP + WAIT_HEIGHT / 2, 0);
                  written = TRUE;
                }
              if (ctx->record != NULL)
                {
                  LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_CLEAR, index);

                  item->start_ns = start;
                  item->end_ns = end;
                  item->x0 = x0;
                  item->y0 = y + WAIT_TOP;
                  item->x1 = x1;
                  item->y1 = y + WAIT_TOP + WAIT_HEIGHT;
                  item->text = written ? label : NULL;
                }
            }
        }
      if (h == NULL)
        break;
      start = h->end_ns;
    }
}

static void
draw_holds (LsRenderCtx          *ctx,
            int                   index,
            const LsTimelineLane *lane,
            double                y)
{
  cairo_t *cr = ctx->cr;
  gboolean is_event = lane->object_kind == LS_OBJECT_EVENT;
  const LsRgb *fill = is_event ? &ctx->pal->event : &ctx->pal->hold;

  for (guint i = 0; i < lane->holds->len; i++)
    {
      const LsTimelineHold *h = &g_array_index (lane->holds, LsTimelineHold, i);
      gint64 end = h->end_ns == LS_TIMELINE_OPEN ? ctx->end_time : h->end_ns;
      double x0, x1, vx0, vx1;
      const char *label;
      gboolean written = FALSE;
      int w, th;

      if (end < ctx->view->t0 || h->start_ns > ctx->view->t1)
        continue;
      x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, h->start_ns));
      x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, end));
      /* a gap between consecutive owners shows the hand-over */
      if (x1 - x0 > 4.0)
        x1 -= 1.0;
      _ls_render_set_rgb (cr, fill);
      cairo_rectangle (cr, x0, y + BAR_TOP, MAX (x1 - x0, 2.0), BAR_HEIGHT);
      cairo_fill (cr);

      label = is_event ? "set" : ls_interpreter_get_task_name (ctx->model, h->task_id);
      vx0 = MAX (x0, ctx->plot_x0);
      vx1 = MIN (x1, ctx->plot_x1);
      _ls_render_text_size (ctx, ctx->small_font, label, &w, &th);
      if (w + 8 <= vx1 - vx0)
        {
          _ls_render_set_rgb (cr, &ctx->pal->hold_text);
          _ls_render_draw_text (ctx, ctx->small_font, label, vx0 + 4,
                                y + BAR_TOP + BAR_HEIGHT / 2, 0);
          written = TRUE;
        }

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_HOLD, index);

          item->object = h->task_id;
          item->start_ns = h->start_ns;
          item->end_ns = end;
          item->x0 = x0;
          item->y0 = y + BAR_TOP;
          item->x1 = x0 + MAX (x1 - x0, 2.0);
          item->y1 = y + BAR_TOP + BAR_HEIGHT;
          item->text = written ? label : NULL;
        }
    }
}

static void
draw_steps (LsRenderCtx          *ctx,
            int                   index,
            const LsTimelineLane *lane,
            double                y)
{
  cairo_t *cr = ctx->cr;
  GArray *steps = lane->steps;
  gint64 scale = MAX (1, lane->max_value);
  /* a chart as tall as its row allows, with room for the capacity's words */
  double top = y + 12.0, bottom = y + LS_LANE_CHART_HEIGHT - 4.0;
  gboolean is_queue = ls_object_kind_is_queue (lane->object_kind);
  gboolean show_capacity;
  double last_label_x = -G_MAXDOUBLE;

  /* the capacity sets the scale unless the values stay far below it (a
   * queue of maxsize 100 that holds 3): then it is only written down */
  if (lane->capacity > 0 && (lane->capacity - 1) / 2 <= scale)
    scale = MAX (scale, lane->capacity);
  show_capacity = (is_queue || ls_object_kind_is_semaphore (lane->object_kind)
                   || lane->object_kind == LS_OBJECT_BARRIER)
                  && lane->capacity > 0 && lane->capacity <= scale;

#define VY(v) (bottom - (double) (v) * (bottom - top) / (double) scale)

  if (steps->len == 0)
    return;

  if (is_queue && lane->capacity > 0 && !show_capacity)
    {
      char text[48];
      int w, h;

      g_snprintf (text, sizeof text, _("maxsize %lld"), (long long) lane->capacity);
      _ls_render_text_size (ctx, ctx->small_font, text, &w, &h);
      _ls_render_set_rgb (cr, &ctx->pal->text_dim);
      _ls_render_draw_text (ctx, ctx->small_font, text, ctx->plot_x1 - w - 6, y + 8, 0);
    }

  /* the capacity, dashed: a queue's maxsize (where put() starts to wait),
   * a semaphore's permits, a barrier's parties; written at the right */
  if (show_capacity)
    {
      double cap_y = round (VY (lane->capacity)) + 0.5;
      double x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, g_array_index (steps,
                                                                              LsTimelineStep,
                                                                              0).time_ns));
      double x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, ctx->end_time));
      char text[64];
      int w, h;

      cairo_save (cr);
      _ls_render_set_rgb (cr, &ctx->pal->text_dim);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 4.0, 3.0 }, 2, 0);
      cairo_move_to (cr, x0, cap_y);
      cairo_line_to (cr, x1, cap_y);
      cairo_stroke (cr);
      /* %lld, not G_GINT64_FORMAT: xgettext cannot see through the macro */
      g_snprintf (text, sizeof text,
                  is_queue ? _("maxsize %lld")
                  : lane->object_kind == LS_OBJECT_BARRIER ? _("parties %lld")
                  : _("capacity %lld"), (long long) lane->capacity);
      _ls_render_text_size (ctx, ctx->small_font, text, &w, &h);
      _ls_render_draw_text (ctx, ctx->small_font, text, MIN (x1, ctx->plot_x1) - w - 6,
                            cap_y - h / 2.0 - 1, 0);
      cairo_restore (cr);

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_CAPACITY, index);

          item->value = lane->capacity;
          item->start_ns = g_array_index (steps, LsTimelineStep, 0).time_ns;
          item->end_ns = ctx->end_time;
          item->x0 = x0;
          item->x1 = x1;
          item->y0 = item->y1 = cap_y;
        }
    }

  cairo_save (cr);
  cairo_new_path (cr);
  for (guint i = 0; i < steps->len; i++)
    {
      const LsTimelineStep *s = &g_array_index (steps, LsTimelineStep, i);
      gint64 next = i + 1 < steps->len ? g_array_index (steps, LsTimelineStep, i + 1).time_ns
                                       : ctx->end_time;
      double x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, s->time_ns));
      double x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, next));

      if (i == 0)
        cairo_move_to (cr, x0, bottom);
      cairo_line_to (cr, x0, VY (s->value));
      cairo_line_to (cr, x1, VY (s->value));
      if (i + 1 == steps->len)
        cairo_line_to (cr, x1, bottom);

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_STEP, index);

          item->value = s->value;
          item->start_ns = s->time_ns;
          item->end_ns = next;
          item->x0 = x0;
          item->x1 = x1;
          item->y0 = item->y1 = VY (s->value);
        }
    }
  cairo_close_path (cr);
  _ls_render_set_rgba (cr, &ctx->pal->steps, 0.25);
  cairo_fill_preserve (cr);
  _ls_render_set_rgb (cr, &ctx->pal->steps);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);

  /* the values, where there is room for them */
  for (guint i = 0; i < steps->len; i++)
    {
      const LsTimelineStep *s = &g_array_index (steps, LsTimelineStep, i);
      gint64 next = i + 1 < steps->len ? g_array_index (steps, LsTimelineStep, i + 1).time_ns
                                       : ctx->end_time;
      double x0 = MAX (_ls_render_tx (ctx, s->time_ns), ctx->plot_x0);
      double x1 = MIN (_ls_render_tx (ctx, next), ctx->plot_x1);
      char text[32];
      int w, h;

      if (x1 < ctx->plot_x0 || x0 > ctx->plot_x1)
        continue;
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, s->value);
      _ls_render_text_size (ctx, ctx->small_font, text, &w, &h);
      if (x1 - x0 < w + 6 || x0 < last_label_x)
        continue;
      _ls_render_set_rgb (cr, &ctx->pal->text);
      _ls_render_draw_text (ctx, ctx->small_font, text, x0 + 3,
                            CLAMP (VY (s->value) - h / 2.0 + 1, y + h / 2.0, bottom - h / 2.0), 0);
      last_label_x = x0 + w + 6;
    }
  cairo_restore (cr);
#undef VY
}

static void
draw_marks (LsRenderCtx          *ctx,
            int                   index,
            const LsTimelineLane *lane,
            double                y)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->text_dim);
  cairo_set_line_width (cr, 2.0);
  for (guint i = 0; i < lane->marks->len; i++)
    {
      const LsTimelineHold *m = &g_array_index (lane->marks, LsTimelineHold, i);
      double x;

      if (m->start_ns < ctx->view->t0 || m->start_ns > ctx->view->t1)
        continue;
      x = round (_ls_render_tx (ctx, m->start_ns)) + 0.5;
      cairo_move_to (cr, x, y + BAR_TOP);
      cairo_line_to (cr, x, y + BAR_TOP + BAR_HEIGHT);

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_MARK, index);

          item->object = m->task_id;
          item->start_ns = item->end_ns = m->start_ns;
          item->x0 = x - 1.0;
          item->y0 = y + BAR_TOP;
          item->x1 = x + 1.0;
          item->y1 = y + BAR_TOP + BAR_HEIGHT;
        }
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The waiter lists under the lane: one chip per task and position, first
 * in line on top, named; a woken waiter (handed the lock, set, notified)
 * is outlined in the owner's colour until it runs, a cancelled one in the
 * cancellation's; a queue's putters come under its getters. */
static void
draw_waiters (LsRenderCtx          *ctx,
              int                   index,
              const LsTimelineLane *lane,
              double                top)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  for (guint i = 0; i < lane->waiters->len; i++)
    {
      const LsTimelineWaiter *w = &g_array_index (lane->waiters, LsTimelineWaiter, i);
      gint64 end = w->end_ns == LS_TIMELINE_OPEN ? ctx->end_time : w->end_ns;
      guint slot = w->list == 0 ? w->position : lane->waiter_rows[0] + w->position;
      double cy0 = top + slot * LS_LANE_CHIP_HEIGHT + 1.0;
      double ch = LS_LANE_CHIP_HEIGHT - 2.0;
      double x0, x1, vx0, vx1;
      char text[256];
      const char *written = NULL;
      const LsRgb *edge;
      int tw, th;

      if (end < ctx->view->t0 || w->start_ns > ctx->view->t1 || end <= w->start_ns)
        continue;
      x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, w->start_ns));
      x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, end));
      if (x1 - x0 < 0.5)
        continue;
      edge = w->state == LS_WAITER_WOKEN ? &ctx->pal->hold
             : w->state == LS_WAITER_CANCELLED ? &ctx->pal->cancelled : &ctx->pal->waiting;
      _ls_render_set_rgba (cr, edge, w->state == LS_WAITER_WAITING ? 0.22 : 0.30);
      cairo_rectangle (cr, x0 + 0.5, cy0 + 0.5, MAX (x1 - x0 - 1.0, 0.5), ch - 1.0);
      cairo_fill_preserve (cr);
      _ls_render_set_rgb (cr, edge);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);

      if (w->task_id != 0)
        {
          int t = ls_interpreter_find_lane (ctx->model, w->task_id);

          g_snprintf (text, sizeof text, "%u. %s", w->position + 1,
                      t >= 0 ? ls_lane_layout_get_name (ctx->lane_layout, t) : "?");
        }
      else
        /* Translators: the waiters beyond those shown one by one */
        g_snprintf (text, sizeof text, _("+%u more"), w->count);
      vx0 = MAX (x0, ctx->plot_x0);
      vx1 = MIN (x1, ctx->plot_x1);
      _ls_render_text_size (ctx, ctx->small_font, text, &tw, &th);
      if (tw + 6 <= vx1 - vx0)
        {
          _ls_render_set_rgb (cr, &ctx->pal->text);
          _ls_render_draw_text (ctx, ctx->small_font, text, vx0 + 3, cy0 + ch / 2, 0);
          written = text;
        }

      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_WAITER, index);

          item->object = w->task_id;
          item->state = w->state;
          item->reason = w->list;
          item->n_merged = w->position;
          item->value = w->task_id != 0 ? (gint64) w->position + 1 : (gint64) w->count;
          item->start_ns = w->start_ns;
          item->end_ns = end;
          item->x0 = x0;
          item->y0 = cy0;
          item->x1 = x1;
          item->y1 = cy0 + ch;
          /* the record outlives this buffer: the name is the layout's */
          item->text = written != NULL && w->task_id != 0
                       ? ls_lane_layout_get_name (ctx->lane_layout,
                                                  ls_interpreter_find_lane (ctx->model,
                                                                            w->task_id))
                       : NULL;
        }
    }
  cairo_restore (cr);
}

static void
draw_primitive_lane (LsRenderCtx          *ctx,
                     int                   index,
                     const LsTimelineLane *lane,
                     const LsLaneRow      *row,
                     double                y)
{
  double base = lane->steps->len > 0 ? LS_LANE_CHART_HEIGHT : LS_LANE_ROW_HEIGHT;

  if (lane->object_kind == LS_OBJECT_EVENT)
    draw_clear_periods (ctx, index, lane, y);
  if (lane->holds->len > 0)
    draw_holds (ctx, index, lane, y);
  if (lane->steps->len > 0)
    draw_steps (ctx, index, lane, y);
  if (lane->marks->len > 0)
    draw_marks (ctx, index, lane, y);
  if (lane->object_kind == LS_OBJECT_LOCK && lane->holds->len == 0)
    {
      /* an idle lock: a thin baseline, so the lane does not look broken */
      _ls_render_set_rgb (ctx->cr, &ctx->pal->grid);
      cairo_rectangle (ctx->cr, ctx->plot_x0, y + LS_TIMELINE_LANE_HEIGHT / 2,
                       ctx->plot_x1 - ctx->plot_x0, 1);
      cairo_fill (ctx->cr);
    }
  if (lane->waiters != NULL && lane->waiters->len > 0 && row->height > base)
    draw_waiters (ctx, index, lane, y + base);
}

/* A folded group: its members' spans on one row, as many as stay cheap to
 * draw; beyond that, where the group was alive, and how many it holds. */
#define GROUP_DRAWN_ONE_BY_ONE 64

static void
draw_group_row (LsRenderCtx     *ctx,
                guint            index,
                const LsLaneRow *row,
                double           y)
{
  const LsLaneGroup *group = ls_lane_layout_get_group (ctx->lane_layout, row->group);
  gint64 start = G_MAXINT64, end = G_MININT64;
  guint n = 0;

  if (group->n_shown <= GROUP_DRAWN_ONE_BY_ONE)
    {
      for (guint k = 0; k < group->members->len; k++)
        {
          guint m = g_array_index (group->members, guint, k);

          if (ls_lane_layout_get_lane_shown (ctx->lane_layout, m)
              && ls_lane_layout_get_lane_row (ctx->lane_layout, m) == (int) index)
            draw_task_lane (ctx, (int) m, ls_interpreter_get_lane (ctx->model, m), y, FALSE);
        }
      return;
    }
  for (guint k = 0; k < group->members->len; k++)
    {
      guint m = g_array_index (group->members, guint, k);
      const LsTimelineLane *lane = ls_interpreter_get_lane (ctx->model, m);
      gint64 last;

      if (!ls_lane_layout_get_lane_shown (ctx->lane_layout, m) || lane->spans->len == 0)
        continue;
      n++;
      last = g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1).end_ns;
      start = MIN (start, g_array_index (lane->spans, LsTimelineSpan, 0).start_ns);
      end = MAX (end, last == LS_TIMELINE_OPEN ? ctx->end_time : last);
    }
  if (n == 0 || end < ctx->view->t0 || start > ctx->view->t1)
    return;
  {
    cairo_t *cr = ctx->cr;
    double x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, start));
    double x1 = MAX (_ls_render_clamp_x (ctx, _ls_render_tx (ctx, end)), x0 + 1.0);
    char text[64];
    int w, h;

    _ls_render_set_rgba (cr, &ctx->pal->waiting, 0.18);
    cairo_rectangle (cr, x0, y + BAR_TOP, x1 - x0, BAR_HEIGHT);
    cairo_fill_preserve (cr);
    _ls_render_set_rgb (cr, &ctx->pal->waiting);
    cairo_set_line_width (cr, 1.0);
    cairo_stroke (cr);
    g_snprintf (text, sizeof text, g_dngettext (GETTEXT_PACKAGE, "%u task", "%u tasks", n), n);
    _ls_render_text_size (ctx, ctx->small_font, text, &w, &h);
    if (w + 8 <= MIN (x1, ctx->plot_x1) - MAX (x0, ctx->plot_x0))
      {
        _ls_render_set_rgb (cr, &ctx->pal->text_dim);
        _ls_render_draw_text (ctx, ctx->small_font, text, MAX (x0, ctx->plot_x0) + 4,
                              y + BAR_TOP + BAR_HEIGHT / 2, 0);
      }
    if (ctx->record != NULL)
      {
        LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_GROUP, (int) row->lane);

        item->object = row->group;
        item->value = n;
        item->start_ns = start;
        item->end_ns = end;
        item->x0 = x0;
        item->y0 = y + BAR_TOP;
        item->x1 = x1;
        item->y1 = y + BAR_TOP + BAR_HEIGHT;
      }
  }
}

/* Every visible row of the section being drawn, in the plot area. */
void
_ls_render_draw_lanes (LsRenderCtx *ctx)
{
  guint first, end;

  _ls_render_visible_rows (ctx, &first, &end);
  for (guint row = first; row < end; row++)
    {
      const LsLaneRow *r = _ls_render_row (ctx, (int) row);
      const LsTimelineLane *lane;
      double y = _ls_render_row_y (ctx, (int) row);

      if (y + r->height < ctx->plot_y0 || y > ctx->plot_y1)
        continue;
      if (r->kind == LS_LANE_ROW_GROUP)
        {
          draw_group_row (ctx, row, r, y);
          continue;
        }
      lane = ls_interpreter_get_lane (ctx->model, r->lane);
      if (lane->kind == LS_TIMELINE_LANE_TASK)
        draw_task_lane (ctx, (int) r->lane, lane, y, TRUE);
      else
        draw_primitive_lane (ctx, (int) r->lane, lane, r, y);
    }
}
