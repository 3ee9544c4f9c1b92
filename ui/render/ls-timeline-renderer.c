/* SPDX-License-Identifier: MIT
 *
 * The timeline, drawn. Every state keeps a shape of its own so the picture
 * reads without colour too: running is a solid bar, ready a striped one,
 * waiting an outline with the reason written in it, and the ends are
 * marks (a tick, a cross, an exclamation mark). Colours follow Okabe and
 * Ito's colour-blind safe palette.
 *
 * On the virtual clock a task runs in no time at all, so most running and
 * ready spans are instants: whatever falls within one pixel column is
 * merged and drawn once, wide enough to see.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "ls-timeline-renderer.h"

#define BAR_TOP      5.0  /* running / ready bars inside a lane */
#define BAR_HEIGHT   16.0
#define WAIT_TOP     6.0  /* the waiting outline */
#define WAIT_HEIGHT  14.0
#define INDENT       12.0 /* per level of task nesting in the label column */
#define MIN_TICK_PX  90.0 /* least space between two labelled ticks */

typedef struct
{
  double r, g, b;
} Rgb;

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0 }

typedef struct
{
  Rgb background;
  Rgb row_alt;
  Rgb label_bg;
  Rgb text;
  Rgb text_dim;
  Rgb grid;
  Rgb running;
  Rgb ready;
  Rgb waiting;
  Rgb done;
  Rgb cancelled;
  Rgb failed;
  Rgb hold;
  Rgb hold_text;
  Rgb event;
  Rgb steps;
  Rgb blocked;
  Rgb link;
  Rgb now;
  Rgb selection;
} Palette;

static const Palette light_palette = {
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

static const Palette dark_palette = {
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

typedef struct
{
  cairo_t              *cr;
  LsInterpreter      *model;
  const LsTimelineView *view;
  const Palette        *pal;
  PangoLayout          *layout;
  PangoFontDescription *font;
  PangoFontDescription *small_font;
  PangoFontDescription *bold_font;
  double                plot_x0;   /* the plot area, right of the labels, below the axis */
  double                plot_x1;
  double                plot_y0;
  double                plot_y1;
  gint64                end_time;  /* where open spans end on screen */
} Ctx;

static void
set_rgb (cairo_t   *cr,
         const Rgb *c)
{
  cairo_set_source_rgb (cr, c->r, c->g, c->b);
}

static void
set_rgba (cairo_t   *cr,
          const Rgb *c,
          double     alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, alpha);
}

/* ---- geometry ----------------------------------------------------------- */

double
ls_timeline_view_time_to_x (const LsTimelineView *view,
                            gint64                time_ns)
{
  double plot_w = MAX (1.0, view->width - LS_TIMELINE_LABEL_WIDTH);
  double span = (double) MAX (1, view->t1 - view->t0);

  return LS_TIMELINE_LABEL_WIDTH + (double) (time_ns - view->t0) * plot_w / span;
}

gint64
ls_timeline_view_x_to_time (const LsTimelineView *view,
                            double                x)
{
  double plot_w = MAX (1.0, view->width - LS_TIMELINE_LABEL_WIDTH);
  double span = (double) MAX (1, view->t1 - view->t0);

  return view->t0 + (gint64) llround ((x - LS_TIMELINE_LABEL_WIDTH) * span / plot_w);
}

double
ls_timeline_view_row_y (const LsTimelineView *view,
                        int                   row)
{
  return LS_TIMELINE_AXIS_HEIGHT + row * LS_TIMELINE_LANE_HEIGHT - view->scroll_y;
}

int
ls_timeline_view_row_at_y (const LsTimelineView *view,
                           LsInterpreter      *model,
                           double                y)
{
  double row;

  if (y < LS_TIMELINE_AXIS_HEIGHT)
    return -1;
  row = floor ((y - LS_TIMELINE_AXIS_HEIGHT + view->scroll_y) / LS_TIMELINE_LANE_HEIGHT);
  if (row < 0 || row >= ls_interpreter_get_n_rows (model))
    return -1;
  return (int) row;
}

double
ls_timeline_content_height (LsInterpreter *model)
{
  return LS_TIMELINE_AXIS_HEIGHT + ls_interpreter_get_n_rows (model) * LS_TIMELINE_LANE_HEIGHT;
}

static double
tx (Ctx   *ctx,
    gint64 t)
{
  return ls_timeline_view_time_to_x (ctx->view, t);
}

static double
clamp_x (Ctx   *ctx,
         double x)
{
  /* cairo copes with huge coordinates badly: keep them near the plot */
  return CLAMP (x, ctx->plot_x0 - 10.0, ctx->plot_x1 + 10.0);
}

/* ---- time formatting ------------------------------------------------------ */

static void
pick_unit (gint64       step_ns,
           double      *unit,
           const char **name,
           int         *decimals)
{
  if (step_ns >= 100 * G_GINT64_CONSTANT (1000000))
    *unit = 1e9, *name = "s";
  else if (step_ns >= 100000)
    *unit = 1e6, *name = "ms";
  else if (step_ns >= 100)
    *unit = 1e3, *name = "µs";
  else
    *unit = 1.0, *name = "ns";
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
    unit = 1e9, name = "s";
  else if (duration_ns >= 1000000)
    unit = 1e6, name = "ms";
  else if (duration_ns >= 1000)
    unit = 1e3, name = "µs";
  else
    unit = 1.0, name = "ns";
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

static void
text_size (Ctx                        *ctx,
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
static void
draw_text (Ctx                        *ctx,
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
tick_step (Ctx *ctx)
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

  if (t < t0)
    t += step;
  return t;
}

static void
draw_grid (Ctx   *ctx,
           gint64 step)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  set_rgb (cr, &ctx->pal->grid);
  cairo_set_line_width (cr, 1.0);
  for (gint64 t = first_tick (ctx->view->t0, step); t <= ctx->view->t1; t += step)
    {
      double x = round (tx (ctx, t)) + 0.5;

      cairo_move_to (cr, x, ctx->plot_y0);
      cairo_line_to (cr, x, ctx->plot_y1);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_axis (Ctx   *ctx,
           gint64 step)
{
  cairo_t *cr = ctx->cr;
  double h = LS_TIMELINE_AXIS_HEIGHT;

  cairo_save (cr);
  set_rgb (cr, &ctx->pal->label_bg);
  cairo_rectangle (cr, 0, 0, ctx->view->width, h);
  cairo_fill (cr);

  cairo_rectangle (cr, ctx->plot_x0, 0, ctx->plot_x1 - ctx->plot_x0, h);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);
  for (gint64 t = first_tick (ctx->view->t0, step); t <= ctx->view->t1; t += step)
    {
      double x = round (tx (ctx, t)) + 0.5;
      g_autofree char *label = ls_timeline_format_time (t, step);

      set_rgb (cr, &ctx->pal->text_dim);
      cairo_move_to (cr, x, h - 7);
      cairo_line_to (cr, x, h);
      cairo_stroke (cr);
      set_rgb (cr, &ctx->pal->text);
      draw_text (ctx, ctx->small_font, label, x + 3, h / 2 - 2, 0);
    }
  /* minor ticks: five per step */
  set_rgb (cr, &ctx->pal->text_dim);
  for (gint64 t = first_tick (ctx->view->t0, MAX (1, step / 5)); t <= ctx->view->t1;
       t += MAX (1, step / 5))
    {
      double x = round (tx (ctx, t)) + 0.5;

      cairo_move_to (cr, x, h - 3);
      cairo_line_to (cr, x, h);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  cairo_save (cr);
  set_rgb (cr, &ctx->pal->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, 0, h - 0.5);
  cairo_line_to (cr, ctx->view->width, h - 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* ---- task lanes ----------------------------------------------------------- */

/* The colour-independent shapes: a solid bar, a striped bar, an outline. */
static void
draw_running_bar (Ctx   *ctx,
                  double x0,
                  double x1,
                  double y)
{
  set_rgb (ctx->cr, &ctx->pal->running);
  cairo_rectangle (ctx->cr, x0, y + BAR_TOP, MAX (x1 - x0, 1.0), BAR_HEIGHT);
  cairo_fill (ctx->cr);
}

static void
draw_ready_bar (Ctx   *ctx,
                double x0,
                double x1,
                double y)
{
  cairo_t *cr = ctx->cr;
  double top = y + BAR_TOP;
  double w = MAX (x1 - x0, 1.0);

  cairo_save (cr);
  cairo_rectangle (cr, x0, top, w, BAR_HEIGHT);
  cairo_clip (cr);
  set_rgba (cr, &ctx->pal->ready, 0.30);
  cairo_paint (cr);
  /* diagonal stripes, anchored to the canvas so they do not crawl */
  set_rgb (cr, &ctx->pal->ready);
  cairo_set_line_width (cr, 2.0);
  for (double sx = floor ((x0 - BAR_HEIGHT) / 6.0) * 6.0; sx < x0 + w; sx += 6.0)
    {
      cairo_move_to (cr, sx, top + BAR_HEIGHT);
      cairo_line_to (cr, sx + BAR_HEIGHT, top);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static const char *
wait_label (Ctx                  *ctx,
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
draw_waiting_bar (Ctx                  *ctx,
                  const LsTimelineSpan *span,
                  double                x0,
                  double                x1,
                  double                y)
{
  cairo_t *cr = ctx->cr;
  g_autofree char *long_label = NULL;
  const char *label;
  double vx0 = MAX (x0, ctx->plot_x0);
  double vx1 = MIN (x1, ctx->plot_x1);
  int w, h;

  if (x1 - x0 < 1.0)
    return;
  cairo_save (cr);
  set_rgba (cr, &ctx->pal->waiting, 0.10);
  cairo_rectangle (cr, x0 + 0.5, y + WAIT_TOP + 0.5, MAX (x1 - x0 - 1.0, 0.5), WAIT_HEIGHT - 1.0);
  cairo_fill_preserve (cr);
  set_rgb (cr, &ctx->pal->waiting);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  /* the reason, kept in view when the span starts left of the plot */
  label = wait_label (ctx, span, &long_label);
  if (long_label != NULL)
    {
      text_size (ctx, ctx->small_font, long_label, &w, &h);
      if (w + 8 <= vx1 - vx0)
        label = long_label;
    }
  text_size (ctx, ctx->small_font, label, &w, &h);
  if (w + 8 <= vx1 - vx0)
    {
      set_rgb (cr, &ctx->pal->text_dim);
      draw_text (ctx, ctx->small_font, label, vx0 + 4, y + WAIT_TOP + WAIT_HEIGHT / 2, 0);
    }
  cairo_restore (cr);
}

static void
draw_final_mark (Ctx    *ctx,
                 guint   state,
                 double  x,
                 double  y)
{
  cairo_t *cr = ctx->cr;
  double cy = y + LS_TIMELINE_LANE_HEIGHT / 2;

  cairo_save (cr);
  switch (state)
    {
    case LS_TASK_STATE_DONE:
      /* an end tick with a foot: |_ */
      set_rgb (cr, &ctx->pal->done);
      cairo_set_line_width (cr, 2.0);
      cairo_move_to (cr, x, cy - 7);
      cairo_line_to (cr, x, cy + 7);
      cairo_line_to (cr, x + 4, cy + 7);
      cairo_stroke (cr);
      break;

    case LS_TASK_STATE_CANCELLED:
      set_rgb (cr, &ctx->pal->cancelled);
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

        set_rgb (cr, &ctx->pal->failed);
        cairo_arc (cr, x, cy, 7.5, 0, 2 * G_PI);
        cairo_fill (cr);
        cairo_set_source_rgb (cr, 1, 1, 1);
        text_size (ctx, ctx->bold_font, "!", &w, &h);
        draw_text (ctx, ctx->bold_font, "!", x - w / 2.0, cy, 0);
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

/* What fell into one pixel column, drawn wide enough to see: running wins
 * over ready (it is the rarer and more telling state). */
static void
flush_column (Ctx    *ctx,
              double  col,
              guint   flags,
              double  y)
{
  if (flags & COLUMN_RUNNING)
    draw_running_bar (ctx, col - 1.0, col + 2.0, y);
  else if (flags & COLUMN_READY)
    draw_ready_bar (ctx, col - 1.0, col + 2.0, y);
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

static void
draw_task_lane (Ctx                  *ctx,
                const LsTimelineLane *lane,
                double                y)
{
  GArray *spans = lane->spans;
  double column = -G_MAXDOUBLE;
  guint flags = 0;
  guint first = first_visible_span (spans, ctx->view->t0);

  /* the outlines first, so instants drawn later sit on top */
  for (guint i = first; i < spans->len; i++)
    {
      const LsTimelineSpan *s = &g_array_index (spans, LsTimelineSpan, i);
      gint64 end = s->end_ns == LS_TIMELINE_OPEN ? ctx->end_time : s->end_ns;

      if (s->start_ns > ctx->view->t1)
        break;
      if (s->state == LS_TASK_STATE_WAITING)
        draw_waiting_bar (ctx, s, clamp_x (ctx, tx (ctx, s->start_ns)),
                          clamp_x (ctx, tx (ctx, end)), y);
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
      x0 = clamp_x (ctx, tx (ctx, s->start_ns));
      x1 = clamp_x (ctx, tx (ctx, end));
      if (x1 - x0 >= 1.0)
        {
          if (s->state == LS_TASK_STATE_RUNNING)
            draw_running_bar (ctx, x0, x1, y);
          else
            draw_ready_bar (ctx, x0, x1, y);
          continue;
        }
      /* sub-pixel: merge into the pixel column */
      if (floor (x0) != column)
        {
          flush_column (ctx, column, flags, y);
          column = floor (x0);
          flags = 0;
        }
      flags |= s->state == LS_TASK_STATE_RUNNING ? COLUMN_RUNNING : COLUMN_READY;
    }
  flush_column (ctx, column, flags, y);

  if (spans->len > 0)
    {
      const LsTimelineSpan *last = &g_array_index (spans, LsTimelineSpan, spans->len - 1);

      if (last->start_ns >= ctx->view->t0 && last->start_ns <= ctx->view->t1)
        draw_final_mark (ctx, last->state, tx (ctx, last->start_ns), y);
    }
}

/* ---- primitive lanes ------------------------------------------------------ */

static void
draw_holds (Ctx                  *ctx,
            const LsTimelineLane *lane,
            double                y)
{
  cairo_t *cr = ctx->cr;
  gboolean is_event = lane->object_kind == LS_OBJECT_EVENT;
  const Rgb *fill = is_event ? &ctx->pal->event : &ctx->pal->hold;

  for (guint i = 0; i < lane->holds->len; i++)
    {
      const LsTimelineHold *h = &g_array_index (lane->holds, LsTimelineHold, i);
      gint64 end = h->end_ns == LS_TIMELINE_OPEN ? ctx->end_time : h->end_ns;
      double x0, x1, vx0, vx1;
      const char *label;
      int w, th;

      if (end < ctx->view->t0 || h->start_ns > ctx->view->t1)
        continue;
      x0 = clamp_x (ctx, tx (ctx, h->start_ns));
      x1 = clamp_x (ctx, tx (ctx, end));
      /* a gap between consecutive owners shows the hand-over */
      if (x1 - x0 > 4.0)
        x1 -= 1.0;
      set_rgb (cr, fill);
      cairo_rectangle (cr, x0, y + BAR_TOP, MAX (x1 - x0, 2.0), BAR_HEIGHT);
      cairo_fill (cr);

      label = is_event ? "set" : ls_interpreter_get_task_name (ctx->model, h->task_id);
      vx0 = MAX (x0, ctx->plot_x0);
      vx1 = MIN (x1, ctx->plot_x1);
      text_size (ctx, ctx->small_font, label, &w, &th);
      if (w + 8 <= vx1 - vx0)
        {
          set_rgb (cr, &ctx->pal->hold_text);
          draw_text (ctx, ctx->small_font, label, vx0 + 4, y + BAR_TOP + BAR_HEIGHT / 2, 0);
        }
    }
}

static void
draw_steps (Ctx                  *ctx,
            const LsTimelineLane *lane,
            double                y)
{
  cairo_t *cr = ctx->cr;
  GArray *steps = lane->steps;
  gint64 scale = MAX (1, lane->max_value);
  double top = y + 4.0, bottom = y + LS_TIMELINE_LANE_HEIGHT - 3.0;
  gboolean is_queue = ls_object_kind_is_queue (lane->object_kind);
  gboolean show_capacity;
  double last_label_x = -G_MAXDOUBLE;

  /* the capacity sets the scale unless the values stay far below it (a
   * queue of maxsize 100 that holds 3): then it is only written down */
  if (lane->capacity > 0 && lane->capacity <= 2 * scale + 1)
    scale = MAX (scale, lane->capacity);
  show_capacity = is_queue && lane->capacity > 0 && lane->capacity <= scale;

#define VY(v) (bottom - (double) (v) * (bottom - top) / (double) scale)

  if (steps->len == 0)
    return;

  if (is_queue && lane->capacity > 0 && !show_capacity)
    {
      char text[48];
      int w, h;

      g_snprintf (text, sizeof text, "maxsize %" G_GINT64_FORMAT, lane->capacity);
      text_size (ctx, ctx->small_font, text, &w, &h);
      set_rgb (cr, &ctx->pal->text_dim);
      draw_text (ctx, ctx->small_font, text, ctx->plot_x1 - w - 6, y + 8, 0);
    }

  /* maxsize, dashed: where put() starts to wait */
  if (show_capacity)
    {
      cairo_save (cr);
      set_rgb (cr, &ctx->pal->text_dim);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 4.0, 3.0 }, 2, 0);
      cairo_move_to (cr, clamp_x (ctx, tx (ctx, g_array_index (steps, LsTimelineStep, 0).time_ns)),
                     round (VY (lane->capacity)) + 0.5);
      cairo_line_to (cr, clamp_x (ctx, tx (ctx, ctx->end_time)), round (VY (lane->capacity)) + 0.5);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  cairo_save (cr);
  cairo_new_path (cr);
  for (guint i = 0; i < steps->len; i++)
    {
      const LsTimelineStep *s = &g_array_index (steps, LsTimelineStep, i);
      gint64 next = i + 1 < steps->len ? g_array_index (steps, LsTimelineStep, i + 1).time_ns
                                       : ctx->end_time;
      double x0 = clamp_x (ctx, tx (ctx, s->time_ns));
      double x1 = clamp_x (ctx, tx (ctx, next));

      if (i == 0)
        cairo_move_to (cr, x0, bottom);
      cairo_line_to (cr, x0, VY (s->value));
      cairo_line_to (cr, x1, VY (s->value));
      if (i + 1 == steps->len)
        cairo_line_to (cr, x1, bottom);
    }
  cairo_close_path (cr);
  set_rgba (cr, &ctx->pal->steps, 0.25);
  cairo_fill_preserve (cr);
  set_rgb (cr, &ctx->pal->steps);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);

  /* the values, where there is room for them */
  for (guint i = 0; i < steps->len; i++)
    {
      const LsTimelineStep *s = &g_array_index (steps, LsTimelineStep, i);
      gint64 next = i + 1 < steps->len ? g_array_index (steps, LsTimelineStep, i + 1).time_ns
                                       : ctx->end_time;
      double x0 = MAX (tx (ctx, s->time_ns), ctx->plot_x0);
      double x1 = MIN (tx (ctx, next), ctx->plot_x1);
      char text[32];
      int w, h;

      if (x1 < ctx->plot_x0 || x0 > ctx->plot_x1)
        continue;
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, s->value);
      text_size (ctx, ctx->small_font, text, &w, &h);
      if (x1 - x0 < w + 6 || x0 < last_label_x)
        continue;
      set_rgb (cr, &ctx->pal->text);
      draw_text (ctx, ctx->small_font, text, x0 + 3,
                 CLAMP (VY (s->value) - h / 2.0 + 1, y + h / 2.0, bottom - h / 2.0), 0);
      last_label_x = x0 + w + 6;
    }
  cairo_restore (cr);
#undef VY
}

static void
draw_marks (Ctx                  *ctx,
            const LsTimelineLane *lane,
            double                y)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  set_rgb (cr, &ctx->pal->text_dim);
  cairo_set_line_width (cr, 2.0);
  for (guint i = 0; i < lane->marks->len; i++)
    {
      const LsTimelineHold *m = &g_array_index (lane->marks, LsTimelineHold, i);
      double x;

      if (m->start_ns < ctx->view->t0 || m->start_ns > ctx->view->t1)
        continue;
      x = round (tx (ctx, m->start_ns)) + 0.5;
      cairo_move_to (cr, x, y + BAR_TOP);
      cairo_line_to (cr, x, y + BAR_TOP + BAR_HEIGHT);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_primitive_lane (Ctx                  *ctx,
                     const LsTimelineLane *lane,
                     double                y)
{
  if (lane->holds->len > 0)
    draw_holds (ctx, lane, y);
  if (lane->steps->len > 0)
    draw_steps (ctx, lane, y);
  if (lane->marks->len > 0)
    draw_marks (ctx, lane, y);
  if (lane->object_kind == LS_OBJECT_LOCK && lane->holds->len == 0)
    {
      /* an idle lock: a thin baseline, so the lane does not look broken */
      set_rgb (ctx->cr, &ctx->pal->grid);
      cairo_rectangle (ctx->cr, ctx->plot_x0, y + LS_TIMELINE_LANE_HEIGHT / 2,
                       ctx->plot_x1 - ctx->plot_x0, 1);
      cairo_fill (ctx->cr);
    }
}

/* ---- instants, bands, links ------------------------------------------------ */

static double
lane_y (Ctx  *ctx,
        guint lane)
{
  int row = ls_interpreter_get_lane_row (ctx->model, lane);

  return row < 0 ? -1.0 : ls_timeline_view_row_y (ctx->view, row);
}

static void
draw_prints (Ctx *ctx)
{
  cairo_t *cr = ctx->cr;
  GArray *prints = ls_interpreter_get_prints (ctx->model);

  cairo_save (cr);
  set_rgb (cr, &ctx->pal->text_dim);
  for (guint i = 0; i < prints->len; i++)
    {
      const LsTimelinePrint *p = &g_array_index (prints, LsTimelinePrint, i);
      int lane = ls_interpreter_find_lane (ctx->model, p->task_id);
      double x, y;

      if (lane < 0 || p->time_ns < ctx->view->t0 || p->time_ns > ctx->view->t1)
        continue;
      if ((y = lane_y (ctx, lane)) < 0)
        continue;
      /* a small downward triangle on the lane's top edge */
      x = tx (ctx, p->time_ns);
      cairo_move_to (cr, x - 3, y + 0.5);
      cairo_line_to (cr, x + 3, y + 0.5);
      cairo_line_to (cr, x, y + 4.5);
      cairo_close_path (cr);
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_cancels (Ctx *ctx)
{
  cairo_t *cr = ctx->cr;
  GArray *cancels = ls_interpreter_get_cancels (ctx->model);

  cairo_save (cr);
  set_rgb (cr, &ctx->pal->cancelled);
  for (guint i = 0; i < cancels->len; i++)
    {
      const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i);
      int lane = ls_interpreter_find_lane (ctx->model, c->to_task);
      double x, y;

      if (lane < 0 || c->time_ns < ctx->view->t0 || c->time_ns > ctx->view->t1)
        continue;
      if ((y = lane_y (ctx, lane)) < 0)
        continue;
      /* an upward triangle on the lane's bottom edge: the request arrives */
      x = tx (ctx, c->time_ns);
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
    }
  cairo_restore (cr);
}

/* Timeout overlays: a bracket along the top of the waiting task's lane from
 * where the deadline was set to where it falls due, and a dashed tick at
 * the deadline itself; the cancellation it causes shows as a cancel mark. */
static void
draw_deadlines (Ctx *ctx)
{
  cairo_t *cr = ctx->cr;
  GArray *deadlines = ls_interpreter_get_deadlines (ctx->model);

  cairo_save (cr);
  set_rgb (cr, &ctx->pal->cancelled);
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < deadlines->len; i++)
    {
      const LsTimelineDeadline *d = &g_array_index (deadlines, LsTimelineDeadline, i);
      int lane = ls_interpreter_find_lane (ctx->model, d->task_id);
      double x0, x1, y;

      if (lane < 0 || d->deadline_ns < ctx->view->t0 || d->start_ns > ctx->view->t1)
        continue;
      if ((y = lane_y (ctx, lane)) < 0)
        continue;
      x0 = clamp_x (ctx, tx (ctx, d->start_ns));
      x1 = clamp_x (ctx, tx (ctx, d->deadline_ns));
      cairo_set_line_width (cr, 2.0);
      cairo_move_to (cr, x0, y + 2);
      cairo_line_to (cr, x1, y + 2);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 1.0);
      if (d->deadline_ns <= ctx->view->t1)
        {
          static const double dash[] = { 3.0, 2.0 };

          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
          cairo_move_to (cr, x1 + 0.5, y + 1);
          cairo_line_to (cr, x1 + 0.5, y + LS_TIMELINE_LANE_HEIGHT - 1);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }
  cairo_restore (cr);
}

static void
draw_bands (Ctx *ctx)
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
      x0 = clamp_x (ctx, tx (ctx, b->start_ns));
      x1 = MAX (clamp_x (ctx, tx (ctx, end)), x0 + 2.0);
      cairo_save (cr);
      set_rgba (cr, &ctx->pal->blocked, 0.16);
      cairo_rectangle (cr, x0, ctx->plot_y0, x1 - x0, ctx->plot_y1 - ctx->plot_y0);
      cairo_fill (cr);
      set_rgba (cr, &ctx->pal->blocked, 0.8);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, round (x0) + 0.5, ctx->plot_y0);
      cairo_line_to (cr, round (x0) + 0.5, ctx->plot_y1);
      cairo_move_to (cr, round (x1) - 0.5, ctx->plot_y0);
      cairo_line_to (cr, round (x1) - 0.5, ctx->plot_y1);
      cairo_stroke (cr);

      /* the label in a pill at the bottom, where lanes are fewest */
      text_size (ctx, ctx->small_font, "loop blocked", &w, &h);
      if (w + 10 <= x1 - x0)
        {
          double lx = MAX (x0, ctx->plot_x0) + (MIN (x1, ctx->plot_x1) - MAX (x0, ctx->plot_x0)
                                                - w) / 2;
          /* just below the lanes, or at the bottom when they fill the view */
          double ly = MIN (ls_timeline_view_row_y (ctx->view,
                                                   ls_interpreter_get_n_rows (ctx->model)) + 6,
                           ctx->plot_y1 - h - 6);

          set_rgb (cr, &ctx->pal->blocked);
          cairo_rectangle (cr, lx - 4, ly - 1, w + 8, h + 2);
          cairo_fill (cr);
          set_rgb (cr, &ctx->pal->background);
          draw_text (ctx, ctx->small_font, "loop blocked", lx, ly + h / 2.0, 0);
        }
      cairo_restore (cr);
    }
}

static void
draw_arrow (Ctx       *ctx,
            double     x0,
            double     y0,
            double     x1,
            double     y1,
            gboolean   dashed,
            const Rgb *colour)
{
  cairo_t *cr = ctx->cr;
  double c1x, c1y, c2x, c2y, dx, dy, len;

  if (x1 - x0 > 40.0)
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
  set_rgb (cr, colour);
  cairo_set_line_width (cr, 1.5);
  if (dashed)
    cairo_set_dash (cr, (double[]) { 5.0, 3.0 }, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, c1x, c1y, c2x, c2y, x1, y1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

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
}

static void
draw_links (Ctx *ctx)
{
  GArray *links = ls_interpreter_get_links (ctx->model);
  int selected = ctx->view->selected_lane;

  if (selected < 0)
    return;
  for (guint i = 0; i < links->len; i++)
    {
      const LsTimelineLink *l = &g_array_index (links, LsTimelineLink, i);
      double y0, y1;

      if (l->from_lane != (guint) selected && l->to_lane != (guint) selected
          && l->via_lane != (guint) selected)
        continue;
      if (l->to_time < ctx->view->t0 || l->from_time > ctx->view->t1)
        continue;
      if ((y0 = lane_y (ctx, l->from_lane)) < 0 || (y1 = lane_y (ctx, l->to_lane)) < 0)
        continue;
      draw_arrow (ctx, tx (ctx, l->from_time), y0 + LS_TIMELINE_LANE_HEIGHT / 2,
                  tx (ctx, l->to_time), y1 + LS_TIMELINE_LANE_HEIGHT / 2,
                  l->kind == LS_TIMELINE_LINK_HANDOFF, &ctx->pal->link);
    }

  /* cancel requests, from the task that asked to the one it cancels */
  {
    GArray *cancels = ls_interpreter_get_cancels (ctx->model);

    for (guint i = 0; i < cancels->len; i++)
      {
        const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i);
        int from = c->from_task != 0 ? ls_interpreter_find_lane (ctx->model, c->from_task) : -1;
        int to = ls_interpreter_find_lane (ctx->model, c->to_task);
        double y0, y1;

        if (from < 0 || to < 0 || from == to || (from != selected && to != selected))
          continue;
        if (c->time_ns < ctx->view->t0 || c->time_ns > ctx->view->t1)
          continue;
        if ((y0 = lane_y (ctx, from)) < 0 || (y1 = lane_y (ctx, to)) < 0)
          continue;
        draw_arrow (ctx, tx (ctx, c->time_ns), y0 + LS_TIMELINE_LANE_HEIGHT / 2,
                    tx (ctx, c->time_ns), y1 + LS_TIMELINE_LANE_HEIGHT - 6,
                    TRUE, &ctx->pal->cancelled);
      }
  }
}

static void
draw_time_line (Ctx       *ctx,
                gint64     t,
                const Rgb *colour,
                gboolean   dashed)
{
  cairo_t *cr = ctx->cr;
  double x;

  if (t < ctx->view->t0 || t > ctx->view->t1)
    return;
  x = round (tx (ctx, t)) + 0.5;
  cairo_save (cr);
  set_rgb (cr, colour);
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
}

/* ---- labels ------------------------------------------------------------------ */

static void
draw_labels (Ctx *ctx)
{
  cairo_t *cr = ctx->cr;
  guint n_rows = ls_interpreter_get_n_rows (ctx->model);
  gboolean seen_primitive = FALSE;

  cairo_save (cr);
  cairo_rectangle (cr, 0, ctx->plot_y0, ctx->plot_x0, ctx->plot_y1 - ctx->plot_y0);
  cairo_clip (cr);
  set_rgb (cr, &ctx->pal->label_bg);
  cairo_paint (cr);

  for (guint row = 0; row < n_rows; row++)
    {
      guint index = ls_interpreter_get_row_lane (ctx->model, row);
      const LsTimelineLane *lane = ls_interpreter_get_lane (ctx->model, index);
      double y = ls_timeline_view_row_y (ctx->view, row);
      double indent = 8.0 + MIN (lane->depth, 6) * INDENT;
      gboolean selected = (int) index == ctx->view->selected_lane;

      if (lane->kind == LS_TIMELINE_LANE_PRIMITIVE && !seen_primitive)
        {
          /* the primitives start here: a rule across the whole width */
          seen_primitive = TRUE;
          cairo_save (cr);
          cairo_reset_clip (cr);
          set_rgb (cr, &ctx->pal->text_dim);
          cairo_rectangle (cr, 0, round (y) - 1, ctx->view->width, 1);
          cairo_fill (cr);
          cairo_restore (cr);
        }
      if (y + LS_TIMELINE_LANE_HEIGHT < ctx->plot_y0 || y > ctx->plot_y1)
        continue;
      if (selected)
        {
          set_rgba (cr, &ctx->pal->selection, 0.25);
          cairo_rectangle (cr, 0, y, ctx->plot_x0, LS_TIMELINE_LANE_HEIGHT);
          cairo_fill (cr);
        }
      if (lane->depth > 0)
        {
          /* an elbow: created by the task above */
          set_rgb (cr, &ctx->pal->text_dim);
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, indent - 7.5, y + 3);
          cairo_line_to (cr, indent - 7.5, y + LS_TIMELINE_LANE_HEIGHT / 2 + 0.5);
          cairo_line_to (cr, indent - 2, y + LS_TIMELINE_LANE_HEIGHT / 2 + 0.5);
          cairo_stroke (cr);
        }
      set_rgb (cr, lane->kind == LS_TIMELINE_LANE_TASK ? &ctx->pal->text : &ctx->pal->text_dim);
      draw_text (ctx, selected ? ctx->bold_font : ctx->font, lane->label, indent,
                 y + LS_TIMELINE_LANE_HEIGHT / 2, ctx->plot_x0 - indent - 6);
    }
  cairo_restore (cr);

  set_rgb (cr, &ctx->pal->grid);
  cairo_rectangle (cr, ctx->plot_x0 - 1, 0, 1, ctx->plot_y1);
  cairo_fill (cr);
}

/* ---- the whole ---------------------------------------------------------------- */

static void
draw_rows (Ctx *ctx)
{
  cairo_t *cr = ctx->cr;
  guint n_rows = ls_interpreter_get_n_rows (ctx->model);

  for (guint row = 0; row < n_rows; row++)
    {
      guint index = ls_interpreter_get_row_lane (ctx->model, row);
      double y = ls_timeline_view_row_y (ctx->view, row);

      if (y + LS_TIMELINE_LANE_HEIGHT < ctx->plot_y0 || y > ctx->plot_y1)
        continue;
      if ((int) index == ctx->view->selected_lane)
        {
          set_rgba (cr, &ctx->pal->selection, 0.12);
          cairo_rectangle (cr, ctx->plot_x0, y, ctx->plot_x1 - ctx->plot_x0,
                           LS_TIMELINE_LANE_HEIGHT);
          cairo_fill (cr);
        }
      else if (row % 2 == 1)
        {
          set_rgb (cr, &ctx->pal->row_alt);
          cairo_rectangle (cr, ctx->plot_x0, y, ctx->plot_x1 - ctx->plot_x0,
                           LS_TIMELINE_LANE_HEIGHT);
          cairo_fill (cr);
        }
    }
}

static void
draw_lanes (Ctx *ctx)
{
  guint n_rows = ls_interpreter_get_n_rows (ctx->model);

  for (guint row = 0; row < n_rows; row++)
    {
      const LsTimelineLane *lane =
        ls_interpreter_get_lane (ctx->model, ls_interpreter_get_row_lane (ctx->model, row));
      double y = ls_timeline_view_row_y (ctx->view, row);

      if (y + LS_TIMELINE_LANE_HEIGHT < ctx->plot_y0 || y > ctx->plot_y1)
        continue;
      if (lane->kind == LS_TIMELINE_LANE_TASK)
        draw_task_lane (ctx, lane, y);
      else
        draw_primitive_lane (ctx, lane, y);
    }
}

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
                    LsInterpreter      *model,
                    const LsTimelineView *view)
{
  Ctx ctx = { 0 };
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  g_autoptr(PangoFontDescription) small_font = NULL;
  g_autoptr(PangoFontDescription) bold_font = NULL;
  gint64 step;
  int size;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_INTERPRETER (model));
  g_return_if_fail (view != NULL && view->t1 > view->t0);

  if (view->font != NULL)
    font = pango_font_description_copy (view->font);
  else
    font = pango_font_description_from_string (view->font_name != NULL ? view->font_name
                                                                      : "Sans 9");
  size = pango_font_description_get_size (font);
  if (size <= 0)
    {
      size = 9 * PANGO_SCALE;
      pango_font_description_set_size (font, size);
    }
  small_font = pango_font_description_copy (font);
  /* small text sits inside 14 px outlines: never above 8 pt */
  pango_font_description_set_size (small_font, MIN (size * 85 / 100, 8 * PANGO_SCALE));
  bold_font = pango_font_description_copy (font);
  pango_font_description_set_weight (bold_font, PANGO_WEIGHT_BOLD);
  layout = pango_cairo_create_layout (cr);

  ctx.cr = cr;
  ctx.model = model;
  ctx.view = view;
  ctx.pal = view->dark ? &dark_palette : &light_palette;
  ctx.layout = layout;
  ctx.font = font;
  ctx.small_font = small_font;
  ctx.bold_font = bold_font;
  ctx.plot_x0 = LS_TIMELINE_LABEL_WIDTH;
  ctx.plot_x1 = MAX (view->width, LS_TIMELINE_LABEL_WIDTH + 1);
  ctx.plot_y0 = LS_TIMELINE_AXIS_HEIGHT;
  ctx.plot_y1 = MAX (view->height, LS_TIMELINE_AXIS_HEIGHT);
  ctx.end_time = MAX (ls_interpreter_get_end_time (model), view->now);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, view->width, view->height);
  cairo_clip (cr);
  set_rgb (cr, &ctx.pal->background);
  cairo_paint (cr);

  step = tick_step (&ctx);

  cairo_save (cr);
  cairo_rectangle (cr, ctx.plot_x0, ctx.plot_y0, ctx.plot_x1 - ctx.plot_x0,
                   ctx.plot_y1 - ctx.plot_y0);
  cairo_clip (cr);
  draw_rows (&ctx);
  draw_grid (&ctx, step);
  draw_lanes (&ctx);
  draw_prints (&ctx);
  draw_deadlines (&ctx);
  draw_cancels (&ctx);
  draw_bands (&ctx);
  draw_links (&ctx);
  cairo_restore (cr);

  draw_labels (&ctx);
  draw_axis (&ctx, step);
  if (view->now >= 0)
    draw_time_line (&ctx, view->now, &ctx.pal->now, FALSE);
  if (view->cursor >= 0)
    draw_time_line (&ctx, view->cursor, &ctx.pal->text, TRUE);
  cairo_restore (cr);
}

/* ---- title and legend (exports) ---------------------------------------------- */

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

/* The fonts and palette of ls_timeline_render (), for drawing outside it. */
static void
ctx_init_static (Ctx                   *ctx,
                 cairo_t               *cr,
                 const LsTimelineView  *view,
                 PangoLayout          **layout,
                 PangoFontDescription **font,
                 PangoFontDescription **small_font,
                 PangoFontDescription **bold_font)
{
  int size;

  if (view->font != NULL)
    *font = pango_font_description_copy (view->font);
  else
    *font = pango_font_description_from_string (view->font_name != NULL ? view->font_name
                                                                        : "Sans 9");
  size = pango_font_description_get_size (*font);
  if (size <= 0)
    {
      size = 9 * PANGO_SCALE;
      pango_font_description_set_size (*font, size);
    }
  *small_font = pango_font_description_copy (*font);
  pango_font_description_set_size (*small_font, MIN (size * 85 / 100, 8 * PANGO_SCALE));
  *bold_font = pango_font_description_copy (*font);
  pango_font_description_set_weight (*bold_font, PANGO_WEIGHT_BOLD);
  *layout = pango_cairo_create_layout (cr);
  ctx->cr = cr;
  ctx->view = view;
  ctx->pal = view->dark ? &dark_palette : &light_palette;
  ctx->layout = *layout;
  ctx->font = *font;
  ctx->small_font = *small_font;
  ctx->bold_font = *bold_font;
  ctx->plot_x0 = -G_MAXDOUBLE;
  ctx->plot_x1 = G_MAXDOUBLE;
}

/* One swatch, LEGEND_SWATCH wide, in a lane-high box at (x, y). */
static void
draw_legend_swatch (Ctx        *ctx,
                    LegendItem  item,
                    double      x,
                    double      y)
{
  cairo_t *cr = ctx->cr;
  double x1 = x + LEGEND_SWATCH;
  double cy = y + LS_TIMELINE_LANE_HEIGHT / 2;

  cairo_save (cr);
  switch (item)
    {
    case LEGEND_RUNNING:
      draw_running_bar (ctx, x, x1, y);
      break;
    case LEGEND_READY:
      draw_ready_bar (ctx, x, x1, y);
      break;
    case LEGEND_WAITING:
      set_rgba (cr, &ctx->pal->waiting, 0.10);
      cairo_rectangle (cr, x + 0.5, y + WAIT_TOP + 0.5, LEGEND_SWATCH - 1.0, WAIT_HEIGHT - 1.0);
      cairo_fill_preserve (cr);
      set_rgb (cr, &ctx->pal->waiting);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      break;
    case LEGEND_BLOCKED:
      set_rgba (cr, &ctx->pal->blocked, 0.16);
      cairo_rectangle (cr, x, y + 2, LEGEND_SWATCH, LS_TIMELINE_LANE_HEIGHT - 4);
      cairo_fill (cr);
      set_rgba (cr, &ctx->pal->blocked, 0.8);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, round (x) + 0.5, y + 2);
      cairo_line_to (cr, round (x) + 0.5, y + LS_TIMELINE_LANE_HEIGHT - 2);
      cairo_move_to (cr, round (x1) - 0.5, y + 2);
      cairo_line_to (cr, round (x1) - 0.5, y + LS_TIMELINE_LANE_HEIGHT - 2);
      cairo_stroke (cr);
      break;
    case LEGEND_DONE:
      draw_final_mark (ctx, LS_TASK_STATE_DONE, x + LEGEND_SWATCH / 2 - 2, y);
      break;
    case LEGEND_CANCELLED:
      draw_final_mark (ctx, LS_TASK_STATE_CANCELLED, x + LEGEND_SWATCH / 2, y);
      break;
    case LEGEND_FAILED:
      draw_final_mark (ctx, LS_TASK_STATE_FAILED, x + LEGEND_SWATCH / 2, y);
      break;
    case LEGEND_LOCK_OWNER:
    case LEGEND_EVENT_SET:
      set_rgb (cr, item == LEGEND_LOCK_OWNER ? &ctx->pal->hold : &ctx->pal->event);
      cairo_rectangle (cr, x, y + BAR_TOP, LEGEND_SWATCH, BAR_HEIGHT);
      cairo_fill (cr);
      break;
    case LEGEND_COUNT:
      set_rgb (cr, &ctx->pal->steps);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, x, y + BAR_TOP + BAR_HEIGHT);
      cairo_line_to (cr, x + LEGEND_SWATCH / 3, y + BAR_TOP + BAR_HEIGHT);
      cairo_line_to (cr, x + LEGEND_SWATCH / 3, y + BAR_TOP + 4);
      cairo_line_to (cr, x + 2 * LEGEND_SWATCH / 3, y + BAR_TOP + 4);
      cairo_line_to (cr, x + 2 * LEGEND_SWATCH / 3, y + BAR_TOP + 10);
      cairo_line_to (cr, x1, y + BAR_TOP + 10);
      cairo_stroke (cr);
      break;
    case LEGEND_LINK:
      set_rgb (cr, &ctx->pal->link);
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
  Ctx ctx = { 0 };
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  g_autoptr(PangoFontDescription) small_font = NULL;
  g_autoptr(PangoFontDescription) bold_font = NULL;
  double x = LEGEND_PAD, y = LEGEND_PAD;
  double height;

  ctx_init_static (&ctx, cr, view, &layout, &font, &small_font, &bold_font);
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
          set_rgb (cr, &ctx.pal->background);
          cairo_rectangle (cr, 0, 0, width, height);
          cairo_fill (cr);
          set_rgb (cr, &ctx.pal->grid);
          cairo_rectangle (cr, 0, 0, width, 1);
          cairo_fill (cr);
          cairo_restore (cr);
        }
      for (guint i = 0; i < N_LEGEND; i++)
        {
          const char *label = _(legend_labels[i]);
          int w, h;
          double item_w;

          text_size (&ctx, ctx.font, label, &w, &h);
          item_w = LEGEND_SWATCH + 6 + w;
          if (x > LEGEND_PAD && x + item_w > width - LEGEND_PAD)
            {
              x = LEGEND_PAD;
              y += LS_TIMELINE_LANE_HEIGHT;
            }
          if (pass == 1)
            {
              draw_legend_swatch (&ctx, i, x, y);
              set_rgb (cr, &ctx.pal->text);
              draw_text (&ctx, ctx.font, label, x + LEGEND_SWATCH + 6,
                         y + LS_TIMELINE_LANE_HEIGHT / 2, 0);
            }
          x += item_w + LEGEND_GAP;
        }
      height = y + LS_TIMELINE_LANE_HEIGHT + LEGEND_PAD;
    }
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
  Ctx ctx = { 0 };
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  g_autoptr(PangoFontDescription) small_font = NULL;
  g_autoptr(PangoFontDescription) bold_font = NULL;
  double height = LS_TIMELINE_TITLE_HEIGHT;

  ctx_init_static (&ctx, cr, view, &layout, &font, &small_font, &bold_font);
  cairo_save (cr);
  set_rgb (cr, &ctx.pal->background);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  set_rgb (cr, &ctx.pal->text);
  draw_text (&ctx, ctx.bold_font, title, LEGEND_PAD, height / 2, width - 2 * LEGEND_PAD);
  set_rgb (cr, &ctx.pal->grid);
  cairo_rectangle (cr, 0, height - 1, width, 1);
  cairo_fill (cr);
  cairo_restore (cr);
  return height;
}
