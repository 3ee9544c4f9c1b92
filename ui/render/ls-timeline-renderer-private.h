/* SPDX-License-Identifier: MIT
 *
 * What the layers of the timeline renderer share: the palettes, the
 * drawing context of one frame, the geometry and text helpers of the frame
 * (ls-timeline-renderer.c), the shapes the legend borrows from the lanes,
 * and the record of what was drawn. One frame is drawn by the frame file
 * calling the lanes (ls-timeline-renderer-lanes.c) and the overlays
 * (ls-timeline-renderer-overlays.c) in turn; the exports' title and legend
 * (ls-timeline-renderer-legend.c) reuse the context and the shapes.
 */
#pragma once

#include <pango/pangocairo.h>

#include "ls-timeline-renderer.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b;
} LsRgb;

typedef struct
{
  LsRgb background;
  LsRgb row_alt;
  LsRgb label_bg;
  LsRgb text;
  LsRgb text_dim;
  LsRgb grid;
  LsRgb running;
  LsRgb ready;
  LsRgb waiting;
  LsRgb done;
  LsRgb cancelled;
  LsRgb failed;
  LsRgb hold;
  LsRgb hold_text;
  LsRgb event;
  LsRgb steps;
  LsRgb blocked;
  LsRgb link;
  LsRgb now;
  LsRgb selection;
} LsPalette;

/* The part of the plot being drawn: the rows under the pinned ones, the
 * pinned ones, or everything (bands and arrows, which cross both). */
typedef enum
{
  LS_RENDER_ALL = 0,
  LS_RENDER_SCROLLED,
  LS_RENDER_PINNED,
} LsRenderSection;

/* One frame (or one title or legend): where and what to draw, with what. */
typedef struct
{
  cairo_t              *cr;
  LsInterpreter        *model;     /* NULL for the title and the legend */
  LsLaneLayout         *lane_layout; /* the view's, or one of every lane (a reference) */
  LsRenderSection       section;
  const LsTimelineView *view;
  const LsPalette      *pal;
  PangoLayout          *layout;
  PangoFontDescription *font;
  PangoFontDescription *small_font;
  PangoFontDescription *bold_font;
  double                plot_x0;   /* the plot area, right of the labels, below the axis */
  double                plot_x1;
  double                plot_y0;
  double                plot_y1;
  gint64                end_time;  /* where open spans end on screen */
  GArray               *record;    /* LsTimelineItem, or NULL: record nothing */
} LsRenderCtx;

static inline void
_ls_render_set_rgb (cairo_t     *cr,
                    const LsRgb *c)
{
  cairo_set_source_rgb (cr, c->r, c->g, c->b);
}

static inline void
_ls_render_set_rgba (cairo_t     *cr,
                     const LsRgb *c,
                     double       alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, alpha);
}

/* Where the plot begins: the label column's width. */
static inline double
_ls_render_label_width (const LsTimelineView *view)
{
  return view->label_width > 0 ? view->label_width : LS_TIMELINE_LABEL_WIDTH;
}

/* The geometry, inline: the lanes call it for every visible span. */
static inline double
_ls_render_time_to_x (const LsTimelineView *view,
                      gint64                time_ns)
{
  double label_w = _ls_render_label_width (view);
  double plot_w = MAX (1.0, view->width - label_w);
  double span = (double) MAX (1, view->t1 - view->t0);

  return label_w + (double) (time_ns - view->t0) * plot_w / span;
}

static inline double
_ls_render_tx (LsRenderCtx *ctx,
               gint64       t)
{
  return _ls_render_time_to_x (ctx->view, t);
}

static inline double
_ls_render_clamp_x (LsRenderCtx *ctx,
                    double       x)
{
  /* cairo copes with huge coordinates badly: keep them near the plot */
  return CLAMP (x, ctx->plot_x0 - 10.0, ctx->plot_x1 + 10.0);
}

/* The frame: ls-timeline-renderer.c */
void    _ls_render_ctx_init       (LsRenderCtx          *ctx,
                                   cairo_t              *cr,
                                   const LsTimelineView *view);
void    _ls_render_ctx_clear      (LsRenderCtx          *ctx);
void    _ls_render_text_size      (LsRenderCtx                *ctx,
                                   const PangoFontDescription *font,
                                   const char                 *text,
                                   int                        *width,
                                   int                        *height);
void    _ls_render_draw_text      (LsRenderCtx                *ctx,
                                   const PangoFontDescription *font,
                                   const char                 *text,
                                   double                      x,
                                   double                      cy,
                                   double                      max_width);

/* The record: a zeroed item of @kind on @lane (its row filled in), to be
 * completed by the caller; only called when ctx->record is set. */
LsTimelineItem *_ls_render_record (LsRenderCtx          *ctx,
                                   LsTimelineItemKind    kind,
                                   int                   lane);

/* The rows and the label column: ls-timeline-renderer-rows.c */
double           _ls_render_row_y            (LsRenderCtx *ctx,
                                              int          row);
const LsLaneRow *_ls_render_row              (LsRenderCtx *ctx,
                                              int          row);
/* The rows of the section being drawn that may be in view. */
void             _ls_render_visible_rows     (LsRenderCtx *ctx,
                                              guint       *first,
                                              guint       *end);
/* The y of the row @lane is drawn in, or -1 when it has none in the
 * section being drawn. */
double           _ls_render_lane_y           (LsRenderCtx *ctx,
                                              guint        lane);
double           _ls_render_label_x          (const LsLaneRow *row);
void             _ls_render_draw_rows        (LsRenderCtx *ctx);
void             _ls_render_draw_labels      (LsRenderCtx *ctx);
void             _ls_render_draw_pinned_rule (LsRenderCtx *ctx);

/* The lanes: ls-timeline-renderer-lanes.c */
void    _ls_render_draw_lanes     (LsRenderCtx          *ctx);
void    _ls_render_running_bar    (LsRenderCtx          *ctx,
                                   double                x0,
                                   double                x1,
                                   double                y);
void    _ls_render_ready_bar      (LsRenderCtx          *ctx,
                                   double                x0,
                                   double                x1,
                                   double                y);
void    _ls_render_final_mark     (LsRenderCtx          *ctx,
                                   guint                 state,
                                   double                x,
                                   double                y);

/* The iteration view: ls-timeline-renderer-iterations.c */
void    _ls_render_draw_iteration_columns (LsRenderCtx *ctx);
void    _ls_render_draw_iteration_axis    (LsRenderCtx *ctx);
void    _ls_render_draw_ready_strip       (LsRenderCtx *ctx);

/* The overlays: ls-timeline-renderer-overlays.c */
void    _ls_render_draw_prints    (LsRenderCtx          *ctx);
void    _ls_render_draw_deadlines (LsRenderCtx          *ctx);
void    _ls_render_draw_cancels   (LsRenderCtx          *ctx);
void    _ls_render_draw_bands     (LsRenderCtx          *ctx);
void    _ls_render_draw_links     (LsRenderCtx          *ctx);

G_END_DECLS
