/* SPDX-License-Identifier: MIT
 *
 * What the iteration view adds to a frame (LsTimelineView:iterations): the
 * columns of the loop's iterations behind the lanes, the axis that numbers
 * them with the scenario time under each number, the idle gaps (however
 * long the loop waited, one narrow hatched column that says how long), and
 * the ready queue at the cursor as a strip of chips in FIFO order, with
 * the timers that will enter it next. The lanes themselves are drawn as in
 * the time view, from the run restamped in steps (ls-iteration-map.h).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ls-timeline-renderer-private.h"

#define CHIP_HEIGHT  18.0
#define CHIP_GAP     4.0
#define CHIP_MAX     150.0

/* Every how many iterations a label fits */
static guint
label_stride (LsRenderCtx *ctx,
              GArray      *iterations)
{
  double px_per_step = (ctx->plot_x1 - ctx->plot_x0)
                       / (double) MAX (1, ctx->view->t1 - ctx->view->t0);
  double avg;

  if (iterations->len == 0)
    return 1;
  avg = (double) (g_array_index (iterations, LsIteration, iterations->len - 1).x1
                  - g_array_index (iterations, LsIteration, 0).x0)
        / iterations->len * px_per_step;
  if (avg <= 0)
    return 1;
  /* 1-2-5 strides of iterations, at least 56 px apart */
  for (guint stride = 1;; stride *= 10)
    {
      if (stride * avg >= 56)
        return stride;
      if (2 * stride * avg >= 56)
        return 2 * stride;
      if (5 * stride * avg >= 56)
        return 5 * stride;
      if (stride > G_MAXUINT / 100)
        return stride;
    }
}

/* The first iteration that may show at the left edge */
static guint
first_visible (GArray *iterations,
               gint64  t0)
{
  guint lo = 0, hi = iterations->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (iterations, LsIteration, mid).x1 < t0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The first iteration from @lo on that begins at or after @step */
static guint
first_from (GArray *iterations,
            guint   lo,
            gint64  step)
{
  guint hi = iterations->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (iterations, LsIteration, mid).x0 < step)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The iteration to visit after @i, which begins at @x: the next one, or
 * with a hundred thousand in view (a stress run), the first that begins a
 * pixel further on; those in between would draw nothing a pixel shows.
 * Every one is visited when the frame is recorded. */
static guint
next_visible (LsRenderCtx *ctx,
              GArray      *iterations,
              guint        i,
              double       x)
{
  gint64 step;

  if (ctx->record != NULL || i + 1 >= iterations->len
      || _ls_render_tx (ctx, g_array_index (iterations, LsIteration, i + 1).x0) >= x + 1)
    return i + 1;
  step = ls_timeline_view_x_to_time (ctx->view, x + 1);
  return MAX (i + 1, first_from (iterations, i + 1, step));
}

static void
hatch (cairo_t *cr,
       double   x0,
       double   y0,
       double   x1,
       double   y1)
{
  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_clip (cr);
  for (double x = x0 - (y1 - y0); x < x1; x += 6)
    {
      cairo_move_to (cr, x, y1);
      cairo_line_to (cr, x + (y1 - y0), y0);
    }
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Behind the lanes: every other iteration shaded, a rule where each
 * begins, the idle gaps hatched. */
void
_ls_render_draw_iteration_columns (LsRenderCtx *ctx)
{
  GArray *iterations = ls_iteration_map_get_iterations (ctx->view->iterations);
  cairo_t *cr = ctx->cr;
  double last_rule = -G_MAXDOUBLE;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  for (guint i = first_visible (iterations, ctx->view->t0); i < iterations->len;
       i = next_visible (ctx, iterations, i, _ls_render_tx (ctx, g_array_index (iterations,
                                                                              LsIteration,
                                                                              i).x0)))
    {
      const LsIteration *it = &g_array_index (iterations, LsIteration, i);
      double x0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, it->x0));
      double x1 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, it->x1));

      if (it->x0 > ctx->view->t1)
        break;
      if (it->idle_ns > 0)
        {
          double g0 = _ls_render_clamp_x (ctx, _ls_render_tx (ctx, it->x0 - LS_ITERATION_GAP));

          /* a gap too narrow to show its hatching is left plain */
          if (x0 - g0 >= 5)
            {
              _ls_render_set_rgba (cr, &ctx->pal->grid, 0.8);
              hatch (cr, g0, ctx->plot_y0, x0 - 1, ctx->plot_y1);
            }
        }
      if (it->number % 2 == 1 && x1 - x0 >= 2)
        {
          _ls_render_set_rgba (cr, &ctx->pal->grid, 0.35);
          cairo_rectangle (cr, x0, ctx->plot_y0, x1 - x0, ctx->plot_y1 - ctx->plot_y0);
          cairo_fill (cr);
        }
      if (x0 - last_rule >= 3)
        {
          _ls_render_set_rgb (cr, &ctx->pal->grid);
          cairo_move_to (cr, round (x0) + 0.5, ctx->plot_y0);
          cairo_line_to (cr, round (x0) + 0.5, ctx->plot_y1);
          cairo_stroke (cr);
          last_rule = x0;
        }
    }
  cairo_restore (cr);
}

/* An iteration's instant to three significant digits: "986 ms", "1.47 s" */
static char *
format_instant (gint64 t)
{
  gint64 step = 1;

  while (t / step >= 1000)
    step *= 10;
  /* from a second on, in seconds: "1.0 s", not "1000 ms" */
  if (t >= G_GINT64_CONSTANT (1000000000))
    step = MAX (step, G_GINT64_CONSTANT (100000000));
  return ls_timeline_format_time (t, step);
}

/* The axis: "#12" over each labelled iteration, the scenario time under
 * it, and "+1 s" over an idle gap. */
void
_ls_render_draw_iteration_axis (LsRenderCtx *ctx)
{
  GArray *iterations = ls_iteration_map_get_iterations (ctx->view->iterations);
  cairo_t *cr = ctx->cr;
  double h = LS_TIMELINE_AXIS_HEIGHT;
  guint stride = label_stride (ctx, iterations);
  double last_label = -G_MAXDOUBLE;

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->label_bg);
  cairo_rectangle (cr, 0, 0, ctx->view->width, h);
  cairo_fill (cr);
  cairo_rectangle (cr, ctx->plot_x0, 0, ctx->plot_x1 - ctx->plot_x0, h);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);
  for (guint i = first_visible (iterations, ctx->view->t0); i < iterations->len;
       i = next_visible (ctx, iterations, i, _ls_render_tx (ctx, g_array_index (iterations,
                                                                              LsIteration,
                                                                              i).x0)))
    {
      const LsIteration *it = &g_array_index (iterations, LsIteration, i);
      double x0 = _ls_render_tx (ctx, it->x0);
      double x1 = _ls_render_tx (ctx, it->x1);

      if (it->x0 > ctx->view->t1)
        break;
      /* an idle gap wide enough to say how long it lasted (a stress run
       * has a hundred thousand: the narrow ones cost nothing) */
      if (it->idle_ns > 0 && x0 - _ls_render_tx (ctx, it->x0 - LS_ITERATION_GAP) >= 24)
        {
          double g0 = _ls_render_tx (ctx, it->x0 - LS_ITERATION_GAP);
          g_autofree char *idle = ls_timeline_format_duration (it->idle_ns);
          g_autofree char *text = g_strdup_printf ("+%s", idle);
          int w, th;

          _ls_render_set_rgba (cr, &ctx->pal->text_dim, 0.6);
          hatch (cr, g0, h - 6, x0 - 1, h);
          _ls_render_text_size (ctx, ctx->small_font, text, &w, &th);
          if (w + 4 <= x0 - g0)
            {
              _ls_render_set_rgb (cr, &ctx->pal->text_dim);
              _ls_render_draw_text (ctx, ctx->small_font, text, (g0 + x0 - w) / 2, h - 13,
                                    0);
            }
        }
      if (ctx->record != NULL)
        {
          LsTimelineItem *item = _ls_render_record (ctx, LS_TIMELINE_ITEM_ITERATION, -1);

          item->value = (gint64) it->number;
          item->start_ns = it->start_ns;
          item->end_ns = it->end_ns;
          item->n_merged = it->n_slots - 1;
          item->x0 = x0;
          item->x1 = x1;
          item->y0 = 0;
          item->y1 = h;
        }
      if (it->number % stride != 0 || x0 - last_label < 40)
        continue;
      {
        g_autofree char *number = g_strdup_printf ("#%" G_GUINT64_FORMAT, it->number);
        g_autofree char *time = format_instant (it->start_ns);
        double x = round (MAX (x0, ctx->plot_x0)) + 0.5;

        _ls_render_set_rgb (cr, &ctx->pal->text_dim);
        cairo_move_to (cr, x, 2);
        cairo_line_to (cr, x, h);
        cairo_stroke (cr);
        _ls_render_set_rgb (cr, &ctx->pal->text);
        _ls_render_draw_text (ctx, ctx->small_font, number, x + 3, 8, 0);
        _ls_render_set_rgb (cr, &ctx->pal->text_dim);
        _ls_render_draw_text (ctx, ctx->small_font, time, x + 3, 19, 0);
        last_label = x;
      }
    }
  cairo_restore (cr);

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->grid);
  cairo_move_to (cr, 0, h - 0.5);
  cairo_line_to (cr, ctx->view->width, h - 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);
}

double
ls_timeline_ready_strip_height (const LsTimelineView *view)
{
  return view->iterations != NULL && view->ready != NULL ? LS_TIMELINE_READY_STRIP_HEIGHT : 0;
}

static const char *
handle_name (LsRenderCtx        *ctx,
             const LsReadyEntry *e)
{
  if (e->task_id != 0)
    return ls_interpreter_get_task_name (ctx->model, e->task_id);
  switch (e->kind)
    {
    case LS_HANDLE_TIMER:
      return C_("ready queue", "timer");
    case LS_HANDLE_IO:
      return C_("ready queue", "I/O");
    default:
      return C_("ready queue", "callback");
    }
}

/* One chip; returns where the next one goes. */
static double
chip (LsRenderCtx          *ctx,
      double                x,
      double                y,
      const char           *text,
      const LsRgb          *fill,
      gboolean              outline,
      LsTimelineItem       *item)
{
  cairo_t *cr = ctx->cr;
  int w, h;
  double cw;

  _ls_render_text_size (ctx, ctx->small_font, text, &w, &h);
  cw = MIN (CHIP_MAX, w + 12.0);
  if (x + cw > ctx->plot_x1 - 2)
    return -1;
  cairo_new_path (cr);
  cairo_arc (cr, x + 4, y + 4, 4, G_PI, 1.5 * G_PI);
  cairo_arc (cr, x + cw - 4, y + 4, 4, 1.5 * G_PI, 2 * G_PI);
  cairo_arc (cr, x + cw - 4, y + CHIP_HEIGHT - 4, 4, 0, 0.5 * G_PI);
  cairo_arc (cr, x + 4, y + CHIP_HEIGHT - 4, 4, 0.5 * G_PI, G_PI);
  cairo_close_path (cr);
  if (outline)
    {
      _ls_render_set_rgb (cr, fill);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 3.0, 2.0 }, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      _ls_render_set_rgb (cr, &ctx->pal->text);
    }
  else
    {
      _ls_render_set_rgb (cr, fill);
      cairo_fill (cr);
      _ls_render_set_rgb (cr, &ctx->pal->hold_text);
    }
  _ls_render_draw_text (ctx, ctx->small_font, text, x + 6, y + CHIP_HEIGHT / 2, cw - 12);
  if (item != NULL)
    {
      item->x0 = x;
      item->x1 = x + cw;
      item->y0 = y;
      item->y1 = y + CHIP_HEIGHT;
      item->text = text;
    }
  return x + cw + CHIP_GAP;
}

/* The ready queue at the cursor, along the bottom of the plot: the next
 * callback to run first. A callback a timer or an I/O completion put there
 * says so; after it, dashed, the timers due next. */
void
_ls_render_draw_ready_strip (LsRenderCtx *ctx)
{
  const LsTraceState *state = ctx->view->ready;
  cairo_t *cr = ctx->cr;
  double y0 = ctx->plot_y1 - LS_TIMELINE_READY_STRIP_HEIGHT;
  double y = y0 + (LS_TIMELINE_READY_STRIP_HEIGHT - CHIP_HEIGHT) / 2;
  double x = ctx->plot_x0 + 6;
  const char *title = _("Ready queue");

  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx->pal->label_bg);
  cairo_rectangle (cr, 0, y0, ctx->view->width, LS_TIMELINE_READY_STRIP_HEIGHT);
  cairo_fill (cr);
  _ls_render_set_rgb (cr, &ctx->pal->grid);
  cairo_rectangle (cr, 0, y0, ctx->view->width, 1);
  cairo_fill (cr);
  _ls_render_set_rgb (cr, &ctx->pal->text);
  _ls_render_draw_text (ctx, ctx->bold_font, title, 6, y0 + LS_TIMELINE_READY_STRIP_HEIGHT / 2,
                        ctx->plot_x0 - 12);

  if (state->ready->len == 0)
    {
      _ls_render_set_rgb (cr, &ctx->pal->text_dim);
      _ls_render_draw_text (ctx, ctx->small_font, C_("ready queue", "empty"), x,
                            y + CHIP_HEIGHT / 2, 0);
      x += 50;
    }
  for (guint i = 0; i < state->ready->len && x >= 0; i++)
    {
      const LsReadyEntry *e = &g_array_index (state->ready, LsReadyEntry, i);
      LsTimelineItem *item = NULL;
      g_autofree char *text = NULL;
      const LsRgb *fill = &ctx->pal->ready;

      if (e->kind == LS_HANDLE_TIMER)
        text = g_strdup_printf ("⏱ %s", handle_name (ctx, e)), fill = &ctx->pal->steps;
      else if (e->kind == LS_HANDLE_IO)
        text = g_strdup_printf ("⇄ %s", handle_name (ctx, e)), fill = &ctx->pal->steps;
      else
        text = g_strdup (handle_name (ctx, e));
      if (ctx->record != NULL)
        {
          item = _ls_render_record (ctx, LS_TIMELINE_ITEM_READY, ls_interpreter_find_lane (ctx->model, e->task_id));
          item->object = e->task_id;
          item->state = e->kind;
          item->n_merged = i;
          item->start_ns = state->time;
        }
      x = chip (ctx, x, y, text, fill, FALSE, item);
      if (item != NULL)
        item->text = NULL; /* @text is freed here */
    }
  /* the timers due next, soonest first, after a rule */
  if (x >= 0 && state->timers->len > 0)
    {
      x += 6;
      _ls_render_set_rgb (cr, &ctx->pal->grid);
      cairo_rectangle (cr, x, y, 1, CHIP_HEIGHT);
      cairo_fill (cr);
      x += 8;
    }
  for (guint i = 0; i < MIN (state->timers->len, 4) && x >= 0; i++)
    {
      const LsTimerEntry *t = &g_array_index (state->timers, LsTimerEntry, i);
      g_autofree char *due = ls_timeline_format_duration (MAX (0, t->deadline - state->time));
      const char *owner = t->owner_id != 0 ? ls_interpreter_get_task_name (ctx->model, t->owner_id)
                                           : C_("ready queue", "timer");
      /* TRANSLATORS: a timer in the ready-queue strip: its task, and in how long it fires */
      g_autofree char *text = g_strdup_printf (_("⏱ %s in %s"), owner, due);
      LsTimelineItem *item = NULL;

      if (ctx->record != NULL)
        {
          item = _ls_render_record (ctx, LS_TIMELINE_ITEM_READY, ls_interpreter_find_lane (ctx->model, t->owner_id));
          item->object = t->owner_id;
          item->state = LS_HANDLE_TIMER;
          item->value = 1; /* not in the queue yet */
          item->n_merged = i;
          item->start_ns = t->deadline;
        }
      x = chip (ctx, x, y, text, &ctx->pal->steps, TRUE, item);
      if (item != NULL)
        item->text = NULL;
    }
  cairo_restore (cr);
}
