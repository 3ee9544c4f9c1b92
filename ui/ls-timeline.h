/* SPDX-License-Identifier: MIT
 *
 * The timeline widget: a model of the trace drawn by the shared renderer,
 * with zoom, pan, lane selection, a time cursor and tooltips.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-timeline-model.h"

G_BEGIN_DECLS

#define LS_TYPE_TIMELINE (ls_timeline_get_type ())
G_DECLARE_FINAL_TYPE (LsTimeline, ls_timeline, LS, TIMELINE, GtkWidget)

GtkWidget       *ls_timeline_new               (void);
void             ls_timeline_set_trace         (LsTimeline *self,
                                                LsTrace    *trace);
LsTimelineModel *ls_timeline_get_model         (LsTimeline *self);

gboolean         ls_timeline_get_follow        (LsTimeline *self);
void             ls_timeline_set_follow        (LsTimeline *self,
                                                gboolean    follow);
int              ls_timeline_get_selected_lane (LsTimeline *self);
void             ls_timeline_set_selected_lane (LsTimeline *self,
                                                int         lane);
gint64           ls_timeline_get_cursor_time   (LsTimeline *self);
void             ls_timeline_set_cursor_time   (LsTimeline *self,
                                                gint64      time_ns);

/* The visible range, ns. */
void             ls_timeline_get_range         (LsTimeline *self,
                                                gint64     *t0,
                                                gint64     *t1);
void             ls_timeline_set_range         (LsTimeline *self,
                                                gint64      t0,
                                                gint64      t1);
void             ls_timeline_zoom              (LsTimeline *self,
                                                double      factor,
                                                double      anchor_x);
void             ls_timeline_zoom_to_fit       (LsTimeline *self);

void             ls_timeline_zoom_to_selection (LsTimeline *self);

/* What the tooltip says of @lane at @time_ns: the task's state, or who
 * holds the primitive and its count (free with g_free) */
char            *ls_timeline_describe          (LsTimeline *self,
                                                guint       lane,
                                                gint64      time_ns);

G_END_DECLS
