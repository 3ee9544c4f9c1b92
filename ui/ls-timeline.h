/* SPDX-License-Identifier: MIT
 *
 * The timeline widget: a session's run drawn by the shared renderer, with
 * zoom, pan, lane selection, a time cursor, folding, pins and tooltips, a
 * GtkScrollable (its rows scroll in a GtkScrolledWindow) whose label
 * column can be widened. The cursor, the selection, the visible range and
 * the lane layout belong to the session.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-session.h"
#include "ls-timeline-renderer.h"

G_BEGIN_DECLS

#define LS_TYPE_TIMELINE (ls_timeline_get_type ())
G_DECLARE_FINAL_TYPE (LsTimeline, ls_timeline, LS, TIMELINE, GtkWidget)

GtkWidget       *ls_timeline_new               (void);
LsSession       *ls_timeline_get_session       (LsTimeline     *self);
void             ls_timeline_set_session       (LsTimeline     *self,
                                                LsSession      *session);

/* Zooms by @factor around the time under @anchor_x (widget pixels). */
void             ls_timeline_zoom              (LsTimeline     *self,
                                                double          factor,
                                                double          anchor_x);
void             ls_timeline_zoom_to_selection (LsTimeline     *self);
/* What the renderer draws for the widget as it is now. */
void             ls_timeline_get_view          (LsTimeline     *self,
                                                LsTimelineView *view);

/* What the tooltip says of @lane at @time_ns: the task's state, or who
 * holds the primitive and its count (free with g_free) */
char            *ls_timeline_describe          (LsTimeline     *self,
                                                guint           lane,
                                                gint64          time_ns);
/* The iteration view: the iteration and the callback at @x (widget
 * pixels) in words, or NULL (a gap, the time view) */
char            *ls_timeline_describe_iteration_at (LsTimeline *self,
                                                    double      x);
/* What the mark at (@x, @y) stands for (an end, a cancel, a wake, an
 * arrow, a waiter, an owner, a deadline), or NULL when there is none:
 * what a click there explains (free with g_free). */
char            *ls_timeline_explain_at        (LsTimeline     *self,
                                                double          x,
                                                double          y);
/* The explanation shown since the last click, or NULL */
const char      *ls_timeline_get_explanation   (LsTimeline     *self);

/* The label column's width (the plot starts there); the user drags its
 * edge. */
double           ls_timeline_get_label_width   (LsTimeline     *self);
void             ls_timeline_set_label_width   (LsTimeline     *self,
                                                double          width);

#define LS_TIMELINE_MIN_LABEL_WIDTH 100.0
#define LS_TIMELINE_MAX_LABEL_WIDTH 600.0

/* Whether @widget is drawn dark (the dark style preferred, or a dark theme:
 * light text), so that what it draws with the renderer's palettes does too */
gboolean         ls_timeline_widget_is_dark    (GtkWidget      *widget);

G_END_DECLS
