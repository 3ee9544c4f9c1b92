/* SPDX-License-Identifier: MIT
 *
 * The one interpreter of a run. It reads a trace's records once, as they
 * arrive (LsTrace::records-added), and turns them into everything the views
 * and exports show: one lane per task and per primitive with each task's
 * state spans, owners, permits and depths over time, the loop's blocked
 * periods, prints, cancel requests, deadlines and the causal links (who
 * woke whom); and the loop's state (ready queue, timers, tasks, waiters) at
 * any instant, reached from the nearest checkpoint. Every task state comes
 * from one place, ls_replay_apply (). Plain data, no drawing: the renderer,
 * the panes and the trace exporter read it.
 */
#pragma once

#include <glib-object.h>

#include "ls-trace.h"
#include "ls-trace-state.h"
#include "ls-replay.h"

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

/* A task in a primitive's waiter list (CPython's _waiters, a queue's
 * _getters or _putters) at one position from @start_ns to @end_ns: a new
 * entry each time the task moves up or its state changes. Positions from
 * LS_TIMELINE_WAITER_ROWS on are one entry with @task_id 0 and @count the
 * tasks beyond. */
#define LS_TIMELINE_WAITER_ROWS 4

typedef struct
{
  gint64  start_ns;
  gint64  end_ns;      /* LS_TIMELINE_OPEN while listed */
  guint32 task_id;     /* 0: the tasks beyond the last position shown */
  guint32 count;       /* task 0: how many */
  guint16 position;    /* 0: the first in line */
  guint8  list;        /* 0: waiters (a queue's getters), 1: a queue's putters */
  guint8  state;       /* LsWaiterState */
  guint32 woken_by;    /* LS_WAITER_WOKEN: the task that woke it */
} LsTimelineWaiter;

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
  gint64             created_ns;  /* its OBJECT_NEW */
  guint32            end_text;    /* tasks: the error's text (a string id) of a failed or
                                     cancelled task, or 0 */
  gint64             end_code;    /* tasks: the error (ls_trace_error_arg ()) */
  guint16            waiter_rows[2]; /* primitives: the most positions of each list ever
                                        used, at most LS_TIMELINE_WAITER_ROWS + 1 */
  guint32            waiter_open[2][LS_TIMELINE_WAITER_ROWS + 1]; /* the open entry at each
                                        position (index + 1 in @waiters), or 0 */
  GArray            *spans;       /* LsTimelineSpan: tasks */
  GArray            *holds;       /* LsTimelineHold: locks (owners), events (set periods) */
  GArray            *steps;       /* LsTimelineStep: semaphores (permits), queues (depth),
                                     barriers (tasks inside) */
  GArray            *marks;       /* LsTimelineHold with end = start: a condition's notify
                                     and handoffs, a barrier's handoffs (task: who did it) */
  GArray            *waiters;     /* LsTimelineWaiter: primitives, by start */
  GArray            *wakes;       /* guint: tasks, the timers and I/O operations that woke
                                     it (indices in ls_interpreter_get_wakes ()), or NULL */
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
 * waiting task's lane: where it was set, when it falls due, and when its
 * scope ended (the wait_for returned, the `async with` block was left, or
 * the deadline fired). */
typedef struct
{
  gint64   start_ns;
  gint64   deadline_ns;
  guint32  task_id;
  guint16  reason;     /* LS_WAIT_WAIT_FOR or LS_WAIT_TIMEOUT_SCOPE */
  gboolean expired;    /* its timer fired: the scope timed out */
  gint64   end_ns;     /* when the scope ended, LS_TIMELINE_OPEN while it lasts */
  guint32  timer_id;
} LsTimelineDeadline;

typedef struct
{
  gint64      time_ns;
  guint32     from_task; /* the requesting task, or 0 */
  guint32     to_task;
  gboolean    effective; /* the request took effect */
  const char *message;   /* cancel(msg), owned by the trace ("" for none) */
} LsTimelineCancel;

typedef enum
{
  LS_TIMELINE_WAKE_TIMER = 0, /* a timer fired */
  LS_TIMELINE_WAKE_IO,        /* an I/O operation completed */
} LsTimelineWakeKind;

/* A timer that fired or an I/O operation that completed, and the task
 * whose wait it ended. */
typedef struct
{
  LsTimelineWakeKind kind;
  guint16            reason;      /* timers: the LsWaitReason it served; I/O: LsOutcome */
  gint64             start_ns;    /* when it was set, or the I/O began */
  gint64             time_ns;     /* when it fired, or the I/O completed */
  gint64             woke_ns;     /* when the task's wake-up was queued */
  guint32            origin_task; /* the task that set it or began it, or 0 */
  guint32            task_id;     /* the task it woke */
  guint32            object;      /* the timer or the I/O operation */
  gint64             deadline_ns; /* timers: the deadline */
  const char        *text;        /* I/O: what it did ("read test1.txt"), owned by the trace */
} LsTimelineWake;

typedef struct
{
  guint              from_lane; /* lane indices (creation order, stable) */
  gint64             from_time;
  guint              to_lane;
  gint64             to_time;
  LsTimelineLinkKind kind;
  guint              via_lane;  /* HANDOFF: the primitive's lane; WAKEUP: G_MAXUINT */
} LsTimelineLink;

#define LS_TYPE_INTERPRETER (ls_interpreter_get_type ())
G_DECLARE_FINAL_TYPE (LsInterpreter, ls_interpreter, LS, INTERPRETER, GObject)

/* Records are checkpointed every this many: the state at any instant is
 * at most this many records away from a copy. */
#define LS_INTERPRETER_CHECKPOINT_INTERVAL (1u << 15)

LsInterpreter        *ls_interpreter_new               (LsTrace         *trace);
LsTrace              *ls_interpreter_get_trace         (LsInterpreter   *self);
gint64                ls_interpreter_get_end_time      (LsInterpreter   *self);

/* The loop after every record so far (valid until the next batch). */
const LsTraceState   *ls_interpreter_get_state         (LsInterpreter   *self);
/* The loop after every record stamped at or before @time_ns (-1: after
 * every record), or after the first @n_records: owned by the interpreter
 * and valid until the next call of either or the next batch of records. */
const LsTraceState   *ls_interpreter_state_at          (LsInterpreter   *self,
                                                        gint64           time_ns);
const LsTraceState   *ls_interpreter_state_at_record   (LsInterpreter   *self,
                                                        guint64          n_records);
guint                 ls_interpreter_get_n_checkpoints (LsInterpreter   *self);
gsize                 ls_interpreter_get_checkpoint_bytes (LsInterpreter *self);

/* Lanes are numbered in creation order (stable while the trace grows);
 * rows are the display order: tasks, each followed by the tasks it
 * created, then the primitives. Hidden lanes have no row. */
guint                 ls_interpreter_get_n_lanes    (LsInterpreter   *self);
const LsTimelineLane *ls_interpreter_get_lane       (LsInterpreter   *self,
                                                        guint            lane);
guint                 ls_interpreter_get_n_rows     (LsInterpreter   *self);
guint                 ls_interpreter_get_row_lane   (LsInterpreter   *self,
                                                        guint            row);
int                   ls_interpreter_get_lane_row   (LsInterpreter   *self,
                                                        guint            lane);
int                   ls_interpreter_find_lane      (LsInterpreter   *self,
                                                        guint32          object_id);
/* The task's name, or "" for an id that is no task. */
const char           *ls_interpreter_get_task_name  (LsInterpreter   *self,
                                                        guint32          task_id);

GArray               *ls_interpreter_get_bands      (LsInterpreter   *self);
GArray               *ls_interpreter_get_prints     (LsInterpreter   *self);
GArray               *ls_interpreter_get_cancels    (LsInterpreter   *self);
GArray               *ls_interpreter_get_deadlines  (LsInterpreter   *self);
GArray               *ls_interpreter_get_links      (LsInterpreter   *self);
GArray               *ls_interpreter_get_wakes      (LsInterpreter   *self);

/* Index of the span of @lane that covers @time_ns (the last one starting
 * at or before it), or -1. */
int                   ls_interpreter_find_span      (LsInterpreter   *self,
                                                        guint            lane,
                                                        gint64           time_ns);

G_END_DECLS
