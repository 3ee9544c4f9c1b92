/* SPDX-License-Identifier: MIT
 *
 * The loop's state at one instant, as plain data: the ready queue in
 * order, the pending timers, what every task is doing and waiting on, and
 * every lock, event, condition, semaphore, barrier and queue (who holds
 * it, who waits in which order, who handed what to whom). The interpreter
 * of a run rebuilds it from the trace at any instant (ls-replay.h); the
 * runtime fills one from its live objects so tests can compare the two.
 */
#pragma once

#include "ls-trace.h"

G_BEGIN_DECLS

typedef enum
{
  LS_TASK_STATE_READY = 0,   /* scheduled, waiting for its turn */
  LS_TASK_STATE_RUNNING,
  LS_TASK_STATE_WAITING,
  LS_TASK_STATE_DONE,
  LS_TASK_STATE_FAILED,
  LS_TASK_STATE_CANCELLED,
} LsTaskState;

typedef struct
{
  guint32 handle_id;
  guint16 kind;      /* LsHandleKind */
  guint32 task_id;
  guint32 cause_id;
} LsReadyEntry;

typedef struct
{
  guint32 timer_id;
  gint64  deadline;
  guint32 owner_id;
  guint16 reason;    /* LsWaitReason the timer serves */
  guint32 related_id;
} LsTimerEntry;

typedef struct
{
  guint32 task_id;
  guint32 name_id;       /* 0: the default name, Task-<number> */
  guint32 number;
  guint32 creator_id;
  guint16 state;         /* LsTaskState */
  guint16 wait_reason;   /* LsWaitReason while waiting */
  guint32 wait_object;
  gint64  wait_deadline; /* -1: none */
  gint64  since;         /* when it entered this state */
  guint   cancel_requests;
  int     line;          /* the listing line it last reached, or 0 */
  guint32 outcome_id;    /* DONE, FAILED, CANCELLED: the error's text (a string id), or 0 */
} LsTaskEntry;

typedef enum
{
  LS_WAITER_WAITING = 0, /* its future is pending */
  LS_WAITER_WOKEN,       /* handed the lock/permit, set or notified: resumes in a later
                            iteration and only then leaves the list */
  LS_WAITER_CANCELLED,   /* its future was cancelled; it leaves when its task runs */
} LsWaiterState;

/* One entry of a primitive's waiter list (CPython's _waiters / _getters /
 * _putters deques: the futures stay there until their task removes them,
 * except a queue's, which the waker pops). */
typedef struct
{
  guint32 task_id;
  guint32 future_id;
  guint16 state;        /* LsWaiterState */
  guint32 woken_by;     /* WOKEN: the task whose release/set/notify woke it */
  gint64  since;        /* when it began waiting (replay only: 0 in live snapshots) */
} LsWaiterEntry;

/* A lock, event, condition, semaphore, barrier or queue, as the trace
 * shows it. Components a primitive builds for itself (a Condition's Lock,
 * a Barrier's Condition, a Queue's join Event) are primitives too, with
 * parent_id set; their waits are reported as waits on the parent. */
typedef struct
{
  guint32 id;
  guint16 kind;           /* LsObjectKind */
  guint16 barrier_state;  /* LsBarrierState */
  guint32 name_id;
  guint32 creator_id;
  guint32 parent_id;      /* the primitive this one is a private component of, or 0 */
  guint32 part_id;        /* the component it uses: a Condition's lock (its own or a shared
                             one), a Barrier's condition, a Queue's join event; or 0 */
  gint64  capacity;       /* OBJECT_NEW's arg: 1 for a lock, initial permits, maxsize,
                             parties */
  gint64  value;          /* lock: 1 locked; event: 1 set; semaphore: permits; queue: depth;
                             barrier: tasks inside */
  guint32 owner_id;       /* lock: the task that acquired it, 0 when unlocked */
  gint64  unfinished;     /* queue: unfinished tasks (join waits while > 0) */
  guint32 handoff_from;   /* the last handoff: who woke whom, when */
  guint32 handoff_to;
  gint64  handoff_time;
  GArray *waiters;        /* LsWaiterEntry in list order (a queue's getters) */
  GArray *putters;        /* LsWaiterEntry: a queue's putters */
} LsPrimitiveEntry;

typedef struct
{
  gint64      time;
  guint64     n_records;      /* records replayed */
  guint64     iteration;
  gboolean    in_iteration;
  guint32     running_task;
  guint32     blocked_task;   /* 0 unless the loop is blocked */
  GArray     *ready;          /* LsReadyEntry, queue order */
  GArray     *timers;         /* LsTimerEntry, by (deadline, id) */
  GArray     *tasks;          /* LsTaskEntry, by creation */
  GHashTable *task_index;     /* task id -> index + 1 in tasks */
  GArray     *primitives;     /* LsPrimitiveEntry, by creation */
  GHashTable *primitive_index; /* primitive id -> index + 1 in primitives */
} LsTraceState;

LsTraceState       *ls_trace_state_new       (void);
void                ls_trace_state_free      (LsTraceState *state);
void                ls_trace_state_reset     (LsTraceState *state);
/* Adds a task (by creation) and returns it, for the replay. */
LsTaskEntry        *ls_trace_state_add_task  (LsTraceState *state,
                                              guint32       task_id);
const LsTaskEntry  *ls_trace_state_get_task  (LsTraceState *state,
                                              guint32       task_id);
const char         *ls_task_state_name       (LsTaskState   state);
const LsPrimitiveEntry *ls_trace_state_get_primitive (LsTraceState *state,
                                              guint32       primitive_id);
const char         *ls_waiter_state_name     (LsWaiterState state);

/* Adds a primitive (by creation) and returns it: for the replay, and for
 * the runtime's live snapshots. */
LsPrimitiveEntry   *_ls_trace_state_add_primitive (LsTraceState *state,
                                                   guint32       primitive_id,
                                                   LsObjectKind  kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTraceState, ls_trace_state_free)

G_END_DECLS
