/* SPDX-License-Identifier: MIT
 *
 * How the timeline arranges a run's lanes into rows: which lanes show (a
 * filter by name, by state at an instant, or only the lanes related to one
 * lane), which fold (a parent's short-lived children of one name become
 * one summary row, expandable), which are pinned above the others, how
 * tall each row is (a chart or a waiter list needs more than a task), and
 * names that tell duplicates apart ("queue.get() #3 of Consumer 1"). It
 * follows its interpreter as the run grows. GLib only: the widget, the
 * exports and the tests use it without a display.
 */
#pragma once

#include <glib-object.h>

#include "ls-interpreter.h"

G_BEGIN_DECLS

#define LS_LANE_ROW_HEIGHT   26.0 /* a task's row, a group's, a lock's or an event's */
#define LS_LANE_CHART_HEIGHT 48.0 /* a row with a step chart: permits, depth, tasks inside */
#define LS_LANE_CHIP_HEIGHT  13.0 /* each position of a waiter list under a primitive */

/* A group folds by default when it has this many members of one name, or
 * more than LS_LANE_GROUP_BIG members whose names differ only in a number
 * at the end (Task-2 … Task-10001). */
#define LS_LANE_GROUP_FOLD 3
#define LS_LANE_GROUP_BIG  16

typedef enum
{
  LS_LANE_ROW_LANE = 0, /* one lane */
  LS_LANE_ROW_GROUP,    /* a group of a parent's children: drawn as one summary row */
} LsLaneRowKind;

typedef struct
{
  LsLaneRowKind kind;
  guint         lane;    /* LANE: the lane; GROUP: its first member shown */
  guint         group;   /* GROUP: the group; LANE: the group it belongs to, or G_MAXUINT */
  guint16       depth;   /* how many rows above it show its ancestors (the indentation) */
  gboolean      pinned;
  double        y;       /* from the top of its section: the pinned rows, or the others */
  double        height;
} LsLaneRow;

typedef struct
{
  guint     parent;      /* the parent task's lane */
  char     *name;        /* the members' name, or the name they share before the number */
  gboolean  numbered;    /* the members' names differ in a number at the end */
  GArray   *members;     /* guint: lanes, in creation order */
  guint     n_shown;     /* the members the filter lets through */
  gboolean  expanded;
} LsLaneGroup;

#define LS_TYPE_LANE_LAYOUT (ls_lane_layout_get_type ())
G_DECLARE_FINAL_TYPE (LsLaneLayout, ls_lane_layout, LS, LANE_LAYOUT, GObject)

/* Follows @interpreter (its LsInterpreter::changed); emits
 * LsLaneLayout::changed whenever the rows change. */
LsLaneLayout       *ls_lane_layout_new                (LsInterpreter *interpreter);
LsInterpreter      *ls_lane_layout_get_interpreter    (LsLaneLayout  *self);
/* FALSE: no groups, every lane a row of its own in the interpreter's
 * order (an export of every lane). TRUE by default. */
void                ls_lane_layout_set_grouping       (LsLaneLayout  *self,
                                                       gboolean       grouping);

/* The filter: a lane shows when every word of @text is in its name (any
 * case), its task is in one of @states at the filter's instant, and it is
 * related to the lane given to set_related_to. */
void                ls_lane_layout_set_filter_text    (LsLaneLayout  *self,
                                                       const char    *text);
const char         *ls_lane_layout_get_filter_text    (LsLaneLayout  *self);
/* A mask of 1 << LsTaskState; 0: any state. Primitives do not show while
 * it is set. */
void                ls_lane_layout_set_filter_states  (LsLaneLayout  *self,
                                                       guint          states);
guint               ls_lane_layout_get_filter_states  (LsLaneLayout  *self);
/* The instant the states are read at; -1: the end of the run so far. */
void                ls_lane_layout_set_filter_time    (LsLaneLayout  *self,
                                                       gint64         time_ns);
/* Only @lane and the lanes related to it: its creator and children, the
 * tasks it woke or that woke it, cancelled or that cancelled it, what it
 * waited on or held and who waited on it or held it. -1: all lanes. */
void                ls_lane_layout_set_related_to     (LsLaneLayout  *self,
                                                       int            lane);
int                 ls_lane_layout_get_related_to     (LsLaneLayout  *self);
/* Whether any filter hides lanes. */
gboolean            ls_lane_layout_get_filtered       (LsLaneLayout  *self);

/* Pinned lanes are rows above the others, in the order they were
 * pinned, and stay in view while the others scroll. */
void                ls_lane_layout_set_pinned         (LsLaneLayout  *self,
                                                       guint          lane,
                                                       gboolean       pinned);
gboolean            ls_lane_layout_get_pinned         (LsLaneLayout  *self,
                                                       guint          lane);

guint               ls_lane_layout_get_n_groups       (LsLaneLayout  *self);
const LsLaneGroup  *ls_lane_layout_get_group          (LsLaneLayout  *self,
                                                       guint          group);
/* The group @lane belongs to, or -1. */
int                 ls_lane_layout_get_lane_group     (LsLaneLayout  *self,
                                                       guint          lane);
void                ls_lane_layout_set_group_expanded (LsLaneLayout  *self,
                                                       guint          group,
                                                       gboolean       expanded);

/* The rows: the pinned ones first. */
guint               ls_lane_layout_get_n_rows         (LsLaneLayout  *self);
const LsLaneRow    *ls_lane_layout_get_row            (LsLaneLayout  *self,
                                                       guint          row);
guint               ls_lane_layout_get_n_pinned       (LsLaneLayout  *self);
double              ls_lane_layout_get_pinned_height  (LsLaneLayout  *self);
/* The height of the rows that are not pinned. */
double              ls_lane_layout_get_scrolled_height (LsLaneLayout *self);
/* The row @lane is drawn in: its own, or its group's summary row while the
 * group is folded (also for the members' own children); -1 when filtered
 * out or hidden. */
int                 ls_lane_layout_get_lane_row       (LsLaneLayout  *self,
                                                       guint          lane);
/* Whether the filter lets @lane through (pinned lanes show whatever it
 * says). */
gboolean            ls_lane_layout_get_lane_shown     (LsLaneLayout  *self,
                                                       guint          lane);
/* The row at @y from the top of the pinned rows (@pinned) or of the
 * others, or -1. */
int                 ls_lane_layout_find_row           (LsLaneLayout  *self,
                                                       gboolean       pinned,
                                                       double         y);

/* @lane's name, told apart from its namesakes: "queue.get() #3 of
 * Consumer 1". Valid until the next change of the rows. */
const char         *ls_lane_layout_get_name           (LsLaneLayout  *self,
                                                       guint          lane);
/* What a row's label says: a lane's name, or a group's "queue.get() ×6".
 * Valid until the next change of the rows. */
const char         *ls_lane_layout_get_row_label      (LsLaneLayout  *self,
                                                       guint          row);

G_END_DECLS
