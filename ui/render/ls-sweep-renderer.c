/* SPDX-License-Identifier: MIT
 *
 * A sweep's chart: total duration against the knob's value.
 */
#include "config.h"

#include "ls-sweep-renderer.h"

#include <math.h>

#include <glib/gi18n.h>

#include "ls-timeline-renderer-private.h"

#define MARGIN_LEFT    76.0
#define MARGIN_RIGHT   28.0
#define MARGIN_TOP     40.0
#define MARGIN_BOTTOM  58.0
#define POINT_RADIUS   4.5
#define MAX_TICKS      8

typedef struct
{
  double x0, x1, y0, y1;   /* the plot */
  double v0, v1;           /* the values at its left and right edges */
  gint64 d1;               /* the duration at its top (0 at its bottom) */
  gint64 step_ns;          /* between the duration axis' ticks */
} Geometry;

/* 1, 2 or 5 times a power of ten, at least @rough */
static gint64
nice_step (gint64 rough)
{
  gint64 power = 1;

  while (power <= G_MAXINT64 / 10 && power * 10 <= rough)
    power *= 10;
  if (power >= rough)
    return power;
  if (power <= G_MAXINT64 / 2 && power * 2 >= rough)
    return power * 2;
  if (power <= G_MAXINT64 / 5 && power * 5 >= rough)
    return power * 5;
  return power <= G_MAXINT64 / 10 ? power * 10 : G_MAXINT64;
}

static void
geometry (const LsSweep *sweep,
          double         width,
          double         height,
          Geometry      *g)
{
  guint n = ls_sweep_get_n_points (sweep);
  gint64 longest = 0;

  g->x0 = MARGIN_LEFT;
  g->x1 = MAX (g->x0 + 1, width - MARGIN_RIGHT);
  g->y0 = MARGIN_TOP;
  g->y1 = MAX (g->y0 + 1, height - MARGIN_BOTTOM);
  g->v0 = ls_sweep_get_point (sweep, 0)->value;
  g->v1 = ls_sweep_get_point (sweep, n - 1)->value;
  for (guint i = 0; i < n; i++)
    longest = MAX (longest, ls_sweep_get_point (sweep, i)->duration_ns);
  /* the longest run a little below the top, on a tick */
  g->step_ns = nice_step (MAX (longest / (MAX_TICKS - 2), 1000));
  g->d1 = (longest / g->step_ns + 1) * g->step_ns;
}

static double
value_x (const Geometry *g,
         double          value)
{
  if (g->v1 <= g->v0)
    return (g->x0 + g->x1) / 2;
  /* a little in from each edge, so that the end points are whole */
  return g->x0 + 16 + (value - g->v0) / (g->v1 - g->v0) * (g->x1 - g->x0 - 32);
}

static double
duration_y (const Geometry *g,
            gint64          duration_ns)
{
  return g->y1 - (double) duration_ns / (double) g->d1 * (g->y1 - g->y0);
}

void
ls_sweep_point_position (const LsSweep *sweep,
                         double         width,
                         double         height,
                         guint          index,
                         double        *x,
                         double        *y)
{
  const LsSweepPoint *p;
  Geometry g;

  g_return_if_fail (sweep != NULL && index < ls_sweep_get_n_points (sweep));

  geometry (sweep, width, height, &g);
  p = ls_sweep_get_point (sweep, index);
  *x = value_x (&g, p->value);
  *y = duration_y (&g, MAX (p->duration_ns, 0));
}

static void
draw_centred (LsRenderCtx                *ctx,
              const PangoFontDescription *font,
              const char                 *text,
              double                      cx,
              double                      cy)
{
  int w, h;

  _ls_render_text_size (ctx, font, text, &w, &h);
  _ls_render_draw_text (ctx, font, text, cx - w / 2.0, cy, 0);
}

static void
draw_axes (LsRenderCtx   *ctx,
           const LsSweep *sweep,
           const Geometry *g)
{
  cairo_t *cr = ctx->cr;
  const LsScenario *scenario = ls_sweep_get_scenario (sweep);
  guint knob = ls_sweep_get_knob (sweep);
  guint n = ls_sweep_get_n_points (sweep);
  guint every = MAX (1, (n + MAX_TICKS * 2 - 1) / (MAX_TICKS * 2));

  cairo_set_line_width (cr, 1);
  /* the duration's grid and ticks */
  for (gint64 d = 0; d <= g->d1; d += g->step_ns)
    {
      double y = round (duration_y (g, d)) + 0.5;
      g_autofree char *label = ls_timeline_format_time (d, g->step_ns);
      int w, h;

      _ls_render_set_rgb (cr, &ctx->pal->grid);
      cairo_move_to (cr, g->x0, y);
      cairo_line_to (cr, g->x1, y);
      cairo_stroke (cr);
      _ls_render_set_rgb (cr, &ctx->pal->text);
      _ls_render_text_size (ctx, ctx->small_font, label, &w, &h);
      _ls_render_draw_text (ctx, ctx->small_font, label, g->x0 - 8 - w, y, 0);
      if (d > G_MAXINT64 - g->step_ns)
        break;
    }
  /* the values, under their points (every few when there are many) */
  for (guint i = 0; i < n; i += every)
    {
      const LsSweepPoint *p = ls_sweep_get_point (sweep, i);
      g_autofree char *label = ls_knob_format_value (scenario, knob, p->value);
      double x = round (value_x (g, p->value)) + 0.5;

      _ls_render_set_rgb (cr, &ctx->pal->text_dim);
      cairo_move_to (cr, x, g->y1);
      cairo_line_to (cr, x, g->y1 + 4);
      cairo_stroke (cr);
      _ls_render_set_rgb (cr, &ctx->pal->text);
      draw_centred (ctx, ctx->small_font, label, x, g->y1 + 13);
    }
  _ls_render_set_rgb (cr, &ctx->pal->text);
  cairo_move_to (cr, g->x0 + 0.5, g->y0);
  cairo_line_to (cr, g->x0 + 0.5, g->y1 + 0.5);
  cairo_line_to (cr, g->x1, g->y1 + 0.5);
  cairo_stroke (cr);
  /* what the axes are */
  draw_centred (ctx, ctx->bold_font, _(scenario->knobs[knob].label), (g->x0 + g->x1) / 2,
                g->y1 + 38);
  _ls_render_draw_text (ctx, ctx->bold_font, _("Total duration"), 8, g->y0 - 24, 0);
}

/* A point's mark: a dot for a run whose main task returned, a cross for
 * one that raised */
static void
draw_mark (LsRenderCtx *ctx,
           gboolean     raised,
           double       x,
           double       y)
{
  cairo_t *cr = ctx->cr;

  cairo_new_path (cr);
  if (raised)
    {
      _ls_render_set_rgb (cr, &ctx->pal->failed);
      cairo_set_line_width (cr, 2.5);
      cairo_move_to (cr, x - POINT_RADIUS, y - POINT_RADIUS);
      cairo_line_to (cr, x + POINT_RADIUS, y + POINT_RADIUS);
      cairo_move_to (cr, x + POINT_RADIUS, y - POINT_RADIUS);
      cairo_line_to (cr, x - POINT_RADIUS, y + POINT_RADIUS);
      cairo_stroke (cr);
    }
  else
    {
      _ls_render_set_rgb (cr, &ctx->pal->running);
      cairo_arc (cr, x, y, POINT_RADIUS, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

/* What the two marks mean, at the top right */
static void
draw_key (LsRenderCtx    *ctx,
          const Geometry *g)
{
  const char *texts[] = { _("returned"), _("raised an exception") };
  double x = g->x1;
  double y = g->y0 - 24;

  for (int i = G_N_ELEMENTS (texts) - 1; i >= 0; i--)
    {
      int w, h;

      _ls_render_text_size (ctx, ctx->small_font, texts[i], &w, &h);
      x -= w;
      _ls_render_set_rgb (ctx->cr, &ctx->pal->text);
      _ls_render_draw_text (ctx, ctx->small_font, texts[i], x, y, 0);
      x -= POINT_RADIUS + 6;
      draw_mark (ctx, i == 1, x, y);
      x -= POINT_RADIUS + 16;
    }
}

static void
draw_points (LsRenderCtx    *ctx,
             const LsSweep  *sweep,
             const Geometry *g)
{
  cairo_t *cr = ctx->cr;
  guint n = ls_sweep_get_n_points (sweep);
  gboolean labels = n <= 16;
  const char *last_exception = NULL;

  /* the line through the runs that returned and those that raised alike:
   * a duration is a duration */
  _ls_render_set_rgba (cr, &ctx->pal->running, 0.6);
  cairo_set_line_width (cr, 2);
  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      const LsSweepPoint *p = ls_sweep_get_point (sweep, i);

      if (p->duration_ns < 0)
        continue;
      cairo_line_to (cr, value_x (g, p->value), duration_y (g, p->duration_ns));
    }
  cairo_stroke (cr);

  for (guint i = 0; i < n; i++)
    {
      const LsSweepPoint *p = ls_sweep_get_point (sweep, i);
      double x, y;

      if (p->duration_ns < 0)
        continue;
      x = value_x (g, p->value);
      y = duration_y (g, p->duration_ns);
      draw_mark (ctx, p->exception != NULL, x, y);
      /* the exception, where it differs from the point before's */
      if (p->exception != NULL && g_strcmp0 (p->exception, last_exception) != 0)
        {
          _ls_render_set_rgb (cr, &ctx->pal->failed);
          draw_centred (ctx, ctx->small_font, p->exception, x, y + 14);
        }
      last_exception = p->exception;
      if (labels)
        {
          g_autofree char *text = ls_timeline_format_duration (p->duration_ns);

          _ls_render_set_rgb (cr, &ctx->pal->text);
          draw_centred (ctx, ctx->small_font, text, x, y - 13);
        }
    }
}

void
ls_sweep_render (cairo_t       *cr,
                 const LsSweep *sweep,
                 double         width,
                 double         height,
                 gboolean       dark)
{
  LsTimelineView view = { 0 };
  LsRenderCtx ctx;
  Geometry g;

  g_return_if_fail (cr != NULL && sweep != NULL);

  view.width = width;
  view.height = height;
  view.dark = dark;
  _ls_render_ctx_init (&ctx, cr, &view);
  cairo_save (cr);
  _ls_render_set_rgb (cr, &ctx.pal->background);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  if (ls_sweep_get_n_points (sweep) > 0)
    {
      geometry (sweep, width, height, &g);
      draw_axes (&ctx, sweep, &g);
      draw_key (&ctx, &g);
      draw_points (&ctx, sweep, &g);
    }
  cairo_restore (cr);
  _ls_render_ctx_clear (&ctx);
}

/* ---- the export --------------------------------------------------------------- */

typedef struct
{
  const LsSweep         *sweep;
  const LsExportOptions *options;
} Drawing;

static double
title_height (const LsExportOptions *options)
{
  return options->title != NULL ? LS_TIMELINE_TITLE_HEIGHT : 0;
}

static void
draw_export (cairo_t  *cr,
             double    width,
             double    height,
             gpointer  data)
{
  Drawing *d = data;
  LsTimelineView view = { 0 };
  double title_h = title_height (d->options);

  view.dark = d->options->dark;
  cairo_save (cr);
  if (d->options->title != NULL)
    ls_timeline_render_title (cr, &view, d->options->title, width);
  cairo_translate (cr, 0, title_h);
  ls_sweep_render (cr, d->sweep, width, height - title_h, d->options->dark);
  cairo_restore (cr);
}

/* The numbers as text a tool can read, like the timeline's export: one
 * line per run, "max-concurrent=3: 4.5 s", and the exception of a run
 * that raised */
static void
text_layer (GByteArray *buffer,
            gpointer    data)
{
  Drawing *d = data;
  const LsScenario *scenario = ls_sweep_get_scenario (d->sweep);
  guint knob = ls_sweep_get_knob (d->sweep);
  g_autoptr(GString) texts = g_string_new (NULL);
  double width = d->options->width > 0 ? d->options->width : 800;
  double height = round (width * 0.6);

  for (guint i = 0; i < ls_sweep_get_n_points (d->sweep); i++)
    {
      const LsSweepPoint *p = ls_sweep_get_point (d->sweep, i);
      g_autofree char *value = ls_knob_format_value (scenario, knob, p->value);
      g_autofree char *duration = ls_timeline_format_duration (p->duration_ns);
      g_autofree char *line = g_strdup_printf ("%s=%s: %s%s%s", scenario->knobs[knob].name,
                                               value, duration,
                                               p->exception != NULL ? " " : "",
                                               p->exception != NULL ? p->exception : "");
      double x, y;

      ls_sweep_point_position (d->sweep, width, height, i, &x, &y);
      ls_export_svg_text (texts, x, title_height (d->options) + y, line);
    }
  ls_export_svg_add_text_layer (buffer, d->options, texts);
}

gboolean
ls_sweep_export_to_stream (const LsSweep         *sweep,
                           const LsExportOptions *options,
                           GOutputStream         *out,
                           const char            *name,
                           GError               **error)
{
  Drawing d = { sweep, options };
  double width, height;

  g_return_val_if_fail (sweep != NULL && options != NULL, FALSE);

  width = options->width > 0 ? options->width : 800;
  height = options->height > 0 ? options->height : round (width * 0.6) + title_height (options);
  return ls_export_drawing_to_stream (options, width, height, draw_export, text_layer, &d, out,
                                      name, error);
}
