/* SPDX-License-Identifier: MIT
 *
 * What the timeline draws, distilled from a trace: one lane per task and
 * per primitive, each task's state spans, the loop's blocked periods,
 * prints and cancel requests, and the causal links (who woke whom). Built
 * incrementally from LsTrace::records-added, so following a live run costs
 * only the new records. Plain data, no drawing: the renderer reads it.
 */
#pragma once

#include <glib-object.h>

#include "ls-trace.h"
#include "ls-trace-state.h"

G_BEGIN_DECLS

#define LS_TIMELINE_OPEN G_MAXINT64 /* end of a span that has not ended yet */

typedef enum
{
  LS_TIMELINE_LANE_TASK = 0,
  LS_TIMELINE_LANE_PRIMITIVE,
} LsTimelineLaneKind;

typedef enum
{
  LS_TIMELINE_LINK_WAKEUP = 0, /* a task completed the future another task awaited */
  LS_TIMELINE_LINK_HANDOFF,    /* a release/set/put/get handed a primitive to a waiter */
} LsTimelineLinkKind;

typedef struct
{
  gint64  start_ns;
  gint64  end_ns;      /* LS_TIMELINE_OPEN while open */
  guint16 state;       /* LsTaskState */
  guint16 wait_reason; /* LsWaitReason, for WAITING spans */
  guint32 wait_object; /* what it waits on (future, task, primitive, timer), or 0 */
} LsTimelineSpan;

/* A lock's owner, or an event's set period (task: who set it). */
typedef struct
{
  gint64  start_ns;
  gint64  end_ns;      /* LS_TIMELINE_OPEN while held / set */
  guint32 task_id;
} LsTimelineHold;

/* A step series: @value holds from @time_ns until the next step. */
typedef struct
{
  gint64 time_ns;
  gint64 value;
} LsTimelineStep;

typedef struct
{
  LsTimelineLaneKind kind;
  guint32            object_id;   /* task or primitive id */
  guint16            object_kind; /* LsObjectKind */
  guint16            depth;       /* tasks: how deep under the task that created it */
  guint32            creator_id;
  char              *label;
  gint64             capacity;    /* primitives: OBJECT_NEW's arg (permits, maxsize, parties) */
  gint64             max_value;   /* primitives: the largest step value seen */
  gboolean           hidden;      /* a primitive's private component */
  GArray            *spans;       /* LsTimelineSpan: tasks */
  GArray            *holds;       /* LsTimelineHold: locks (owners), events (set periods) */
  GArray            *steps;       /* LsTimelineStep: semaphores (permits), queues (depth),
                                     barriers (tasks inside) */
  GArray            *marks;       /* LsTimelineHold with end = start: a condition's notify
                                     and handoffs, a barrier's handoffs (task: who did it) */
} LsTimelineLane;

typedef struct
{
  gint64  start_ns;
  gint64  end_ns;      /* LS_TIMELINE_OPEN while blocked */
  guint32 task_id;     /* the task that blocked the loop */
} LsTimelineBand;

typedef struct
{
  gint64      time_ns;
  guint32     task_id;
  const char *text;    /* owned by the trace */
} LsTimelinePrint;

/* The deadline of a wait_for or an asyncio.timeout() scope, drawn over the
 * waiting task's lane: where it was set and when it falls due. */
typedef struct
{
  gint64  start_ns;
  gint64  deadline_ns;
  guint32 task_id;
  guint16 reason;      /* LS_WAIT_WAIT_FOR or LS_WAIT_TIMEOUT_SCOPE */
} LsTimelineDeadline;

typedef struct
{
  gint64   time_ns;
  guint32  from_task; /* the requesting task, or 0 */
  guint32  to_task;
  gboolean effective; /* the request took effect */
} LsTimelineCancel;

typedef struct
{
  guint              from_lane; /* lane indices (creation order, stable) */
  gint64             from_time;
  guint              to_lane;
  gint64             to_time;
  LsTimelineLinkKind kind;
  guint              via_lane;  /* HANDOFF: the primitive's lane; WAKEUP: G_MAXUINT */
} LsTimelineLink;

#define LS_TYPE_TIMELINE_MODEL (ls_timeline_model_get_type ())
G_DECLARE_FINAL_TYPE (LsTimelineModel, ls_timeline_model, LS, TIMELINE_MODEL, GObject)

LsTimelineModel      *ls_timeline_model_new            (LsTrace         *trace);
LsTrace              *ls_timeline_model_get_trace      (LsTimelineModel *self);
gint64                ls_timeline_model_get_end_time   (LsTimelineModel *self);

/* Lanes are numbered in creation order (stable while the trace grows);
 * rows are the display order: tasks, each followed by the tasks it
 * created, then the primitives. Hidden lanes have no row. */
guint                 ls_timeline_model_get_n_lanes    (LsTimelineModel *self);
const LsTimelineLane *ls_timeline_model_get_lane       (LsTimelineModel *self,
                                                        guint            lane);
guint                 ls_timeline_model_get_n_rows     (LsTimelineModel *self);
guint                 ls_timeline_model_get_row_lane   (LsTimelineModel *self,
                                                        guint            row);
int                   ls_timeline_model_get_lane_row   (LsTimelineModel *self,
                                                        guint            lane);
int                   ls_timeline_model_find_lane      (LsTimelineModel *self,
                                                        guint32          object_id);
/* The task's name, or "" for an id that is no task. */
const char           *ls_timeline_model_get_task_name  (LsTimelineModel *self,
                                                        guint32          task_id);

GArray               *ls_timeline_model_get_bands      (LsTimelineModel *self);
GArray               *ls_timeline_model_get_prints     (LsTimelineModel *self);
GArray               *ls_timeline_model_get_cancels    (LsTimelineModel *self);
GArray               *ls_timeline_model_get_deadlines  (LsTimelineModel *self);
GArray               *ls_timeline_model_get_links      (LsTimelineModel *self);

/* Index of the span of @lane that covers @time_ns (the last one starting
 * at or before it), or -1. */
int                   ls_timeline_model_find_span      (LsTimelineModel *self,
                                                        guint            lane,
                                                        gint64           time_ns);

G_END_DECLS
