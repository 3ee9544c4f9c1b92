/* SPDX-License-Identifier: MIT
 *
 * The loop's state at one instant, rebuilt from the trace by replaying its
 * records: the ready queue in order, the pending timers, what every task
 * is doing and waiting on. Scrubbing, the loop-internals pane and the
 * "why is this task waiting" chains read this.
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
} LsTaskEntry;

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
} LsTraceState;

LsTraceState       *ls_trace_state_new       (void);
void                ls_trace_state_free      (LsTraceState *state);
void                ls_trace_state_reset     (LsTraceState *state);
void                ls_trace_state_replay    (LsTraceState *state,
                                              LsTrace      *trace,
                                              guint64       n_records);
LsTraceState       *ls_trace_state_at_time   (LsTrace      *trace,
                                              gint64        time_ns);
const LsTaskEntry  *ls_trace_state_get_task  (LsTraceState *state,
                                              guint32       task_id);
const char         *ls_task_state_name       (LsTaskState   state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTraceState, ls_trace_state_free)

G_END_DECLS
