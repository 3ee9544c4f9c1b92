/* SPDX-License-Identifier: MIT
 *
 * The compare view: two runs stacked on one time axis (LsCompare, drawn
 * by ls_compare_render), with one cursor, the session's: a click or a
 * drag on either run moves it for both, and the panes around follow.
 * The wheel scrolls the lanes of the run under the pointer.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-compare.h"
#include "ls-session.h"

G_BEGIN_DECLS

#define LS_TYPE_COMPARE_VIEW (ls_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (LsCompareView, ls_compare_view, LS, COMPARE_VIEW, GtkWidget)

GtkWidget   *ls_compare_view_new         (void);
/* The session whose cursor the view shows and moves. */
void         ls_compare_view_set_session (LsCompareView *self,
                                          LsSession     *session);
void         ls_compare_view_set_compare (LsCompareView *self,
                                          LsCompare     *compare);
LsCompare   *ls_compare_view_get_compare (LsCompareView *self);
/* The instant at @x (widget pixels). */
gint64       ls_compare_view_time_at     (LsCompareView *self,
                                          double         x);

G_END_DECLS
