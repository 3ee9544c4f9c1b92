/* SPDX-License-Identifier: MIT
 *
 * Draws a timeline model with cairo and pango, with no widget around it:
 * the window and the exports (PNG, SVG, PDF) share this one renderer.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "ls-interpreter.h"

G_BEGIN_DECLS

#define LS_TIMELINE_LABEL_WIDTH 160.0 /* the lane label column */
#define LS_TIMELINE_AXIS_HEIGHT 28.0  /* the time axis on top */
#define LS_TIMELINE_LANE_HEIGHT 26.0
#define LS_TIMELINE_TITLE_HEIGHT 32.0 /* ls_timeline_render_title () */

typedef struct
{
  double                      width;
  double                      height;
  gint64                      t0;        /* visible time range, ns (t1 > t0) */
  gint64                      t1;
  double                      scroll_y;  /* pixels scrolled down through the lanes */
  gint64                      now;       /* the "now" line, or -1 for none */
  gint64                      cursor;    /* the cursor line, or -1 for none */
  int                         selected_lane; /* lane (creation index), or -1 */
  gboolean                    dark;
  const PangoFontDescription *font;      /* or NULL: font_name, or the default */
  const char                 *font_name;
} LsTimelineView;

void     ls_timeline_render            (cairo_t              *cr,
                                        LsInterpreter      *model,
                                        const LsTimelineView *view);

/* For exports: a title line, and what each shape and colour means (the
 * items wrap onto rows across @width). Both paint their own background
 * from the origin of @cr and return the height they took. */
double   ls_timeline_render_title      (cairo_t              *cr,
                                        const LsTimelineView *view,
                                        const char           *title,
                                        double                width);
double   ls_timeline_render_legend     (cairo_t              *cr,
                                        const LsTimelineView *view,
                                        double                width);

/* Geometry shared with the widget (hit testing, tooltips). */
double   ls_timeline_view_time_to_x    (const LsTimelineView *view,
                                        gint64                time_ns);
gint64   ls_timeline_view_x_to_time    (const LsTimelineView *view,
                                        double                x);
/* The row at @y, or -1 (axis, below the last row). */
int      ls_timeline_view_row_at_y     (const LsTimelineView *view,
                                        LsInterpreter      *model,
                                        double                y);
double   ls_timeline_view_row_y        (const LsTimelineView *view,
                                        int                   row);
double   ls_timeline_content_height    (LsInterpreter      *model);

/* "1.5 s", "250 ms", "12 µs": @step_ns decides the unit and precision. */
char    *ls_timeline_format_time       (gint64                time_ns,
                                        gint64                step_ns);
/* A duration, for tooltips: "100 ms", "1.25 s", "0" */
char    *ls_timeline_format_duration   (gint64                duration_ns);

G_END_DECLS
