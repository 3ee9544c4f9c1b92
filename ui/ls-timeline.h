/* SPDX-License-Identifier: MIT
 *
 * The timeline widget: a session's run drawn by the shared renderer, with
 * zoom, pan, lane selection, a time cursor and tooltips. The cursor, the
 * selection and the visible range belong to the session.
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

G_END_DECLS
