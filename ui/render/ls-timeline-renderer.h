/* SPDX-License-Identifier: MIT
 *
 * Draws a timeline model with cairo and pango, with no widget around it:
 * the window and the exports (PNG, SVG, PDF) share this one renderer. It
 * can also say what it drew (ls_timeline_render_recorded ()), so tests
 * check the picture against what a run must show, and its pixels against
 * that list.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "ls-interpreter.h"
#include "ls-iteration-map.h"
#include "ls-lane-layout.h"

G_BEGIN_DECLS

#define LS_TIMELINE_LABEL_WIDTH 160.0 /* the lane label column, unless the view says */
#define LS_TIMELINE_AXIS_HEIGHT 28.0  /* the time axis on top */
#define LS_TIMELINE_LANE_HEIGHT LS_LANE_ROW_HEIGHT /* a task's row; see LsLaneLayout */
#define LS_TIMELINE_TITLE_HEIGHT 32.0 /* ls_timeline_render_title () */
#define LS_TIMELINE_BAR_TOP      5.0  /* running, ready and hold bars, from a lane's top */
#define LS_TIMELINE_BAR_HEIGHT   16.0
#define LS_TIMELINE_WAIT_TOP     6.0  /* the waiting outline */
#define LS_TIMELINE_WAIT_HEIGHT  14.0
#define LS_TIMELINE_READY_STRIP_HEIGHT 30.0 /* the iteration view's ready queue */

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
  LsLaneLayout               *layout;    /* the rows; NULL: every lane, nothing folded */
  double                      label_width; /* the label column; 0: LS_TIMELINE_LABEL_WIDTH */
  /* The iteration view: the model drawn is @iterations' interpreter, t0,
   * t1, now and cursor are its steps, and @layout may be that of the run's
   * own interpreter (the lanes are the same). NULL: the time view. */
  LsIterationMap             *iterations;
  const LsTraceState         *ready;     /* iteration view: the loop at the cursor, whose
                                            ready queue is drawn along the bottom; or NULL */
} LsTimelineView;

void     ls_timeline_render            (cairo_t              *cr,
                                        LsInterpreter        *model,
                                        const LsTimelineView *view);

/* A model of the picture: what ls_timeline_render_recorded () drew, one
 * item per shape, in drawing order, with the model's facts it stands for
 * (lanes, states, times) and where it went on the surface (pixels, in the
 * coordinates of @cr at the call). Tests compare it with what a run must
 * show, and probe the pixels at its coordinates. */
typedef enum
{
  LS_TIMELINE_ITEM_SPAN,       /* a task state: a bar (running, ready) or an outline (waiting) */
  LS_TIMELINE_ITEM_FINAL_MARK, /* how a task ended: a tick (done), a cross, a disc (failed) */
  LS_TIMELINE_ITEM_HOLD,       /* a lock's owner, an event's set period: a filled bar */
  LS_TIMELINE_ITEM_STEP,       /* one level of a step chart (permits, depth, tasks inside) */
  LS_TIMELINE_ITEM_MARK,       /* a notify or a barrier's handoff: a tick */
  LS_TIMELINE_ITEM_ARROW,      /* a wake-up, a handoff or a cancel request */
  LS_TIMELINE_ITEM_CANCEL,     /* a cancel request arriving: a triangle on the bottom edge */
  LS_TIMELINE_ITEM_DEADLINE,   /* a timeout: a bracket along the top edge */
  LS_TIMELINE_ITEM_BAND,       /* the loop blocked: a band across the plot */
  LS_TIMELINE_ITEM_PRINT,      /* a print: a triangle on the top edge */
  LS_TIMELINE_ITEM_LABEL,      /* a row's label: a lane's name, or a group's */
  LS_TIMELINE_ITEM_NOW,        /* the "now" line */
  LS_TIMELINE_ITEM_CURSOR,     /* the cursor line */
  LS_TIMELINE_ITEM_CLEAR,      /* an event's clear period: an outline */
  LS_TIMELINE_ITEM_WAITER,     /* a task in a primitive's waiter list: a chip */
  LS_TIMELINE_ITEM_CAPACITY,   /* a chart's capacity: a dashed line */
  LS_TIMELINE_ITEM_GROUP,      /* a big folded group's extent: an outline */
  LS_TIMELINE_ITEM_WAKE,       /* a timer fired or an I/O completed: a mark */
  LS_TIMELINE_ITEM_ITERATION,  /* the iteration view: an iteration's column on the axis */
  LS_TIMELINE_ITEM_READY,      /* the iteration view: a chip of the ready queue, or a timer */
} LsTimelineItemKind;

typedef enum
{
  LS_TIMELINE_ARROW_WAKEUP = LS_TIMELINE_LINK_WAKEUP,
  LS_TIMELINE_ARROW_HANDOFF = LS_TIMELINE_LINK_HANDOFF,
  LS_TIMELINE_ARROW_CANCEL,
  LS_TIMELINE_ARROW_TIMER,     /* from where a timer was set to the task it woke */
  LS_TIMELINE_ARROW_IO,        /* from where an I/O began to the task its completion woke */
} LsTimelineArrowKind;

/* One item. Lanes are creation indices (-1: none), times ns, coordinates
 * pixels. A shape is recorded when it is drawn, also where cairo clips it
 * (a row below the view, an arrow bowing past the right edge). What the
 * fields hold depends on @kind:
 *
 * | kind        | fields                                                       |
 * |-------------|--------------------------------------------------------------|
 * | SPAN        | lane; state (the one drawn: running wins a merged column);   |
 * |             | reason, object: a waiting span's LsWaitReason and what it    |
 * |             | waits on; start_ns..end_ns (an open span ends where it is    |
 * |             | drawn to; a merged column runs from its first span's start   |
 * |             | to its last one's end); n_merged: the spans in one pixel     |
 * |             | column (1: drawn on its own); x0,y0-x1,y1: the bar or        |
 * |             | outline; text: the reason written in an outline, or NULL;    |
 * |             | value: TRUE when the awaited object's name follows it        |
 * | FINAL_MARK  | lane, state, start_ns; x0,y0 = x1,y1: the anchor (the end's  |
 * |             | x, the lane's middle); text: the exception's name written    |
 * |             | beside a failure ("TimeoutError"), or NULL                   |
 * | HOLD        | lane, object (the owner, or the task that set the event),    |
 * |             | start_ns..end_ns, the bar, text: the name written on it, or  |
 * |             | NULL                                                         |
 * | STEP        | lane, value from start_ns to end_ns (the next step, or the   |
 * |             | end); x0..x1 at the height y0 = y1                           |
 * | MARK        | lane, object (the task), start_ns, the tick's box            |
 * | ARROW       | state: its LsTimelineArrowKind; from_lane at start_ns to     |
 * |             | to_lane at end_ns, via_lane (a handoff's primitive, or -1);  |
 * |             | x0,y0: the tail, x1,y1: the tip, cx0,cy0 and cx1,cy1: the    |
 * |             | curve's control points; lane, row: the tail's                |
 * | CANCEL      | lane = to_lane: the cancelled task; from_lane and object:    |
 * |             | the task that asked (-1 and 0: none); start_ns; value: TRUE  |
 * |             | when it took effect (filled); the triangle's box             |
 * | DEADLINE    | lane, object (the task), reason, start_ns (set) to end_ns    |
 * |             | (due); x0..x1 at y0 = y1; value: TRUE when the dashed tick   |
 * |             | at x1 is drawn                                               |
 * | BAND        | lane -1, object (the task that blocked), start_ns..end_ns,   |
 * |             | the band                                                     |
 * | PRINT       | lane, object (the task), start_ns, text, the triangle's box  |
 * | LABEL       | lane (a group's: its first member shown), row, text, value:  |
 * |             | TRUE when selected (bold), state: the LsLaneRowKind, object: |
 * |             | a group row's group; the box the text is fitted into         |
 * | NOW, CURSOR | lane -1, start_ns; x0 = x1, from y0 to y1                    |
 * | CLEAR       | lane (an event), start_ns..end_ns, the outline, text: "clear"|
 * |             | when written                                                 |
 * | WAITER      | lane (the primitive), object: the task (0: the rest, value:  |
 * |             | how many), state: LsWaiterState, reason: the list (0 waiters,|
 * |             | 1 putters), n_merged: the position (0: first in line),       |
 * |             | value: position + 1, start_ns..end_ns, the chip, text: the   |
 * |             | task's name when written                                     |
 * | CAPACITY    | lane, value: the capacity, start_ns..end_ns, x0..x1 at y0=y1 |
 * | GROUP       | lane (the first member), object: the group, value: members,  |
 * |             | start_ns..end_ns (first start to last end), the outline      |
 * | WAKE        | lane (the task woken), state: LsTimelineWakeKind, object:    |
 * |             | the timer or I/O, start_ns (set, begun), end_ns (fired,      |
 * |             | completed), the mark's box                                   |
 * | ITERATION   | lane -1, value: the loop's iteration number, start_ns..end_ns|
 * |             | (scenario time), n_merged: its callbacks, x0..x1: its column |
 * | READY       | lane, object: the task (0: a plain callback), state: the     |
 * |             | LsHandleKind, n_merged: the position (0: runs next), value:  |
 * |             | 0 in the queue, 1 a timer due to enter it (start_ns: when),  |
 * |             | the chip                                                     |
 */
typedef struct
{
  LsTimelineItemKind kind;
  int                lane;
  int                row;      /* @lane's row, or -1 */
  guint16            state;
  guint16            reason;
  guint32            object;
  guint32            n_merged;
  gint64             start_ns;
  gint64             end_ns;
  gint64             value;
  int                from_lane;
  int                to_lane;
  int                via_lane;
  double             x0, y0, x1, y1;
  double             cx0, cy0, cx1, cy1;
  const char        *text;     /* owned by the model (or static): valid while it lives */
} LsTimelineItem;

/* ls_timeline_render (), and each shape it draws appended to @record (an
 * array of LsTimelineItem; NULL: nothing is recorded, which is what
 * ls_timeline_render () does, at no cost). */
void     ls_timeline_render_recorded   (cairo_t              *cr,
                                        LsInterpreter        *model,
                                        const LsTimelineView *view,
                                        GArray               *record);

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

/* Geometry shared with the widget (hit testing, tooltips). The rows'
 * need the view's layout. */
double   ls_timeline_view_time_to_x    (const LsTimelineView *view,
                                        gint64                time_ns);
gint64   ls_timeline_view_x_to_time    (const LsTimelineView *view,
                                        double                x);
double   ls_timeline_view_label_width  (const LsTimelineView *view);
/* The row at @y, or -1 (axis, below the last row). */
int      ls_timeline_view_row_at_y     (const LsTimelineView *view,
                                        double                y);
double   ls_timeline_view_row_y        (const LsTimelineView *view,
                                        int                   row);
/* The iteration view's ready-queue strip along the bottom, or 0 */
double   ls_timeline_ready_strip_height (const LsTimelineView *view);
/* The axis and every row, pinned or not */
double   ls_timeline_content_height    (LsLaneLayout         *layout);

/* "1.5 s", "250 ms", "12 µs": @step_ns decides the unit and precision. */
char    *ls_timeline_format_time       (gint64                time_ns,
                                        gint64                step_ns);
/* A duration, for tooltips: "100 ms", "1.25 s", "0" */
char    *ls_timeline_format_duration   (gint64                duration_ns);

G_END_DECLS
