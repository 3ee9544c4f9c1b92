/* SPDX-License-Identifier: MIT
 *
 * The bar above the timeline that filters its lanes: a name to look for,
 * a state at the cursor, and "only the lanes related to the selection".
 * What it sets is the session's lane layout; it holds nothing itself.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-session.h"

G_BEGIN_DECLS

#define LS_TYPE_LANE_FILTER (ls_lane_filter_get_type ())
G_DECLARE_FINAL_TYPE (LsLaneFilter, ls_lane_filter, LS, LANE_FILTER, GtkBox)

GtkWidget *ls_lane_filter_new         (LsSession    *session);
/* The entry the name is typed in. */
GtkWidget *ls_lane_filter_get_entry   (LsLaneFilter *self);

G_END_DECLS
