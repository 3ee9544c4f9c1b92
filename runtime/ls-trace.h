/* SPDX-License-Identifier: MIT
 *
 * The trace: an append-only record of every scheduling decision the loop
 * makes, in scenario time. Everything Loopscope draws, replays or exports
 * is read from here; the loop's state at any instant can be rebuilt from the
 * records before it (see LsTraceState).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LS_TRACE_LOOP_ITERATION_BEGIN = 1, /* arg: iteration number, object: ready count */
  LS_TRACE_LOOP_ITERATION_END,       /* arg: iteration number */
  LS_TRACE_LOOP_BLOCKED_BEGIN,       /* subject: task that blocks, arg: planned end (ns) */
  LS_TRACE_LOOP_BLOCKED_END,         /* subject: task */
  LS_TRACE_OBJECT_NEW,               /* object: new id, reason: LsObjectKind, subject: creator
                                        task, peer: name string, arg: kind-specific (a task's
                                        number: with no name it is called Task-<number>) */
  LS_TRACE_READY_PUSH,               /* object: handle id, reason: LsHandleKind, subject: task
                                        it will run (or 0), peer: cause (future/timer/io id) */
  LS_TRACE_HANDLE_RUN,               /* object: handle id, reason: LsHandleKind, subject: task
                                        (or 0), arg: 1 when the handle was cancelled (skipped) */
  LS_TRACE_TASK_SUSPEND,             /* subject: task, reason: LsWaitReason, object: what it
                                        waits on, peer: future id, arg: deadline (ns) or -1 */
  LS_TRACE_TASK_DONE,                /* subject: task, reason: LsOutcome, peer: error string,
                                        arg: the error (ls_trace_error_arg ()) */
  LS_TRACE_FUTURE_DONE,              /* object: future, reason: LsOutcome, subject: current task,
                                        peer: cause (timer/io id) */
  LS_TRACE_CANCEL_REQUEST,           /* subject: requesting task, object: target, peer: message
                                        string, arg: 1 if the request took effect */
  LS_TRACE_TIMER_ADD,                /* object: timer id, subject: owner task, reason:
                                        LsWaitReason it serves, peer: future/scope id,
                                        arg: deadline (ns) */
  LS_TRACE_TIMER_CANCEL,             /* object: timer id */
  LS_TRACE_TIMER_FIRE,               /* object: timer id, peer: handle id it became */
  LS_TRACE_PRINT,                    /* subject: task, peer: text string */
  LS_TRACE_IO_BEGIN,                 /* object: io id, subject: task, peer: description string */
  LS_TRACE_IO_COMPLETE,              /* object: io id, reason: LsOutcome */
  LS_TRACE_SCOPE_BEGIN,              /* object: timeout scope id, subject: task, arg: deadline */
  LS_TRACE_SCOPE_END,                /* object: scope id, reason: LsOutcome (timeout = failed) */
  LS_TRACE_PRIMITIVE,                /* subject: task, object: primitive, reason: LsPrimitiveOp,
                                        peer: other task, arg: count/depth after */
  LS_TRACE_SOURCE_LINE,              /* subject: task, arg: listing line the task is at */
  /* Executors (run_in_executor, to_thread): a function run on a worker
   * thread. Each thread has a lane of its own: an OBJECT_NEW of kind
   * LS_OBJECT_THREAD names it ("thread N") the first time it takes a work.
   * The work reaches the loop the way I/O does: it is an I/O operation
   * (IO_BEGIN, with the description "thread <name>", when a thread takes
   * it), its completion's handle completes the work's future (FUTURE_DONE,
   * peer: the I/O id) and that wakes the task awaiting it (READY_PUSH,
   * peer: the future): the arrow back from the thread's lane. */
  LS_TRACE_THREAD_WORK_SUBMIT,       /* subject: the task that submitted it (0 outside a task),
                                        object: the work's future, peer: the function's name
                                        string, arg: 0 when a thread takes it at once, else its
                                        place in the queue of works waiting for a free thread
                                        (1: next) */
  LS_TRACE_THREAD_WORK_BEGIN,        /* a thread takes the work: subject: the submitting task,
                                        object: the thread, peer: the work's future, arg: the
                                        work's I/O id */
  LS_TRACE_THREAD_WORK_END,          /* the function returned (reason: LsOutcome, result or
                                        failed), or the work was cancelled before a thread took
                                        it (reason: cancelled, object and arg 0); subject, object,
                                        peer, arg as for BEGIN */
  /* TaskGroup: an OBJECT_NEW of kind LS_OBJECT_TASK_GROUP (subject: the
   * parent task, the one running `async with`) when it is entered */
  LS_TRACE_TASK_GROUP_ADD,           /* subject: a task created by the group (its OBJECT_NEW is
                                        just before), object: the group */
  LS_TRACE_TASK_GROUP_ABORT,         /* the group cancels its tasks: subject: the task whose
                                        failure made it abort (0 when the body failed or the
                                        parent was cancelled), object: the group, arg: how many
                                        tasks it cancels */
  LS_TRACE_TASK_GROUP_EXIT,          /* the `async with` block ends: subject: the parent task,
                                        object: the group, reason: LsOutcome of the block (failed:
                                        it raises an error, an ExceptionGroup of the tasks' errors
                                        or the body's; cancelled: CancelledError), peer: the
                                        error's text, arg: how many errors it gathered */
} LsTraceKind;

/* A task's error in TASK_DONE's arg: its LsRuntimeError code (asyncio's
 * own exceptions, or the nearest one the exception's class derives from,
 * LS_RUNTIME_ERROR_FAILED for any other) in the low 8 bits, and from bit 8
 * up the string id of the Python name of its class when the code does not
 * say it ("KeyError", "FileNotFoundError", "BaseExceptionGroup"), else 0.
 * Traces from before the name was kept hold the code alone. */
static inline gint64
ls_trace_error_arg (gint    code,
                    guint32 name_id)
{
  return (gint64) (code & 0xff) | ((gint64) name_id << 8);
}

static inline gint
ls_trace_error_code (gint64 arg)
{
  return (gint) (arg & 0xff);
}

static inline guint32
ls_trace_error_name_id (gint64 arg)
{
  return (guint32) ((guint64) arg >> 8);
}

/* A kind this version of Loopscope writes (trace files are checked with it) */
static inline gboolean
ls_trace_kind_is_known (guint kind)
{
  return kind >= LS_TRACE_LOOP_ITERATION_BEGIN && kind <= LS_TRACE_TASK_GROUP_EXIT;
}

typedef enum
{
  LS_OBJECT_TASK = 1,
  LS_OBJECT_FUTURE,
  LS_OBJECT_GATHER,
  LS_OBJECT_TIMEOUT_SCOPE,
  LS_OBJECT_LOCK,
  LS_OBJECT_EVENT,
  LS_OBJECT_CONDITION,
  LS_OBJECT_SEMAPHORE,
  LS_OBJECT_BOUNDED_SEMAPHORE,
  LS_OBJECT_BARRIER,
  LS_OBJECT_QUEUE,
  LS_OBJECT_PRIORITY_QUEUE,
  LS_OBJECT_LIFO_QUEUE,
  LS_OBJECT_IO,
  LS_OBJECT_THREAD,        /* an executor's worker thread: peer: its name, "thread N", arg: N */
  LS_OBJECT_TASK_GROUP,    /* subject: the parent task */
} LsObjectKind;

/* Locks, events, conditions, semaphores, barriers and queues: the objects
 * with a lane of their own */
static inline gboolean
ls_object_kind_is_primitive (guint kind)
{
  return kind >= LS_OBJECT_LOCK && kind <= LS_OBJECT_LIFO_QUEUE;
}

static inline gboolean
ls_object_kind_is_semaphore (guint kind)
{
  return kind == LS_OBJECT_SEMAPHORE || kind == LS_OBJECT_BOUNDED_SEMAPHORE;
}

static inline gboolean
ls_object_kind_is_queue (guint kind)
{
  return kind == LS_OBJECT_QUEUE || kind == LS_OBJECT_PRIORITY_QUEUE
         || kind == LS_OBJECT_LIFO_QUEUE;
}

typedef enum
{
  LS_HANDLE_TASK_STEP = 1,   /* a task's first step, or its step after a bare yield */
  LS_HANDLE_TASK_WAKEUP,     /* a task woken because the future it awaited is done */
  LS_HANDLE_CALLBACK,        /* a done callback or call_soon callback */
  LS_HANDLE_TIMER,           /* a timer whose deadline passed */
  LS_HANDLE_IO,              /* an I/O completion from GIO */
} LsHandleKind;

typedef enum
{
  LS_WAIT_NONE = 0,
  LS_WAIT_YIELD,        /* sleep(0): straight back into the ready queue */
  LS_WAIT_SLEEP,
  LS_WAIT_FUTURE,
  LS_WAIT_TASK,
  LS_WAIT_GATHER,
  LS_WAIT_WAIT,
  LS_WAIT_WAIT_FOR,
  LS_WAIT_AS_COMPLETED,
  LS_WAIT_SHIELD,
  LS_WAIT_IO,
  LS_WAIT_LOCK,
  LS_WAIT_EVENT,
  LS_WAIT_CONDITION,
  LS_WAIT_SEMAPHORE,
  LS_WAIT_QUEUE_GET,
  LS_WAIT_QUEUE_PUT,
  LS_WAIT_QUEUE_JOIN,
  LS_WAIT_BARRIER,
  LS_WAIT_TIMEOUT_SCOPE, /* only as a timer's purpose */
  LS_WAIT_CALL_LATER,    /* only as a timer's purpose */
  LS_WAIT_BLOCKED,       /* time.sleep: the whole loop is blocked */
  LS_WAIT_EXECUTOR,      /* a function running on a worker thread (object: its future) */
  LS_WAIT_TASK_GROUP,    /* the end of `async with TaskGroup()`: its tasks (object: the group) */
  LS_N_WAIT_REASONS
} LsWaitReason;

typedef enum
{
  LS_OUTCOME_RESULT = 0,
  LS_OUTCOME_FAILED,
  LS_OUTCOME_CANCELLED,
} LsOutcome;

typedef enum
{
  LS_PRIMITIVE_WAIT_BEGIN = 1, /* arg: position in the waiter list */
  LS_PRIMITIVE_ACQUIRED,       /* arg: count after (permits, depth) */
  LS_PRIMITIVE_RELEASED,
  LS_PRIMITIVE_HANDOFF,        /* peer: the task handed to */
  LS_PRIMITIVE_SET,
  LS_PRIMITIVE_CLEAR,
  LS_PRIMITIVE_NOTIFY,
  LS_PRIMITIVE_PUT,
  LS_PRIMITIVE_GET,
  LS_PRIMITIVE_WAIT_END,       /* the waiter left the list without acquiring (cancelled) */
  LS_PRIMITIVE_PUT_WAIT_BEGIN, /* a queue's putter list; arg: position */
  LS_PRIMITIVE_TASK_DONE,      /* Queue.task_done(); arg: unfinished tasks after */
  LS_PRIMITIVE_JOIN,           /* Queue.join() called; arg: unfinished tasks */
  LS_PRIMITIVE_PART_OF,        /* object: a component, peer: the primitive using it, arg: 1 when
                                  private to it (its waits are reported as the owner's) */
  LS_PRIMITIVE_BARRIER_ENTER,  /* a task took an index in the barrier; arg: count after */
  LS_PRIMITIVE_BARRIER_LEAVE,  /* arg: count after */
  LS_PRIMITIVE_BARRIER_STATE,  /* arg: LsBarrierState after */
} LsPrimitiveOp;

/* Per op (subject: the task doing it unless said otherwise):
 *   WAIT_BEGIN, PUT_WAIT_BEGIN  peer: the waiter future (the TASK_SUSPEND that follows names
 *                               it too), arg: position in the list
 *   ACQUIRED   the task got what it waited for, or got it at once (a lock, a permit, an event,
 *              a notification) and left the waiter list; arg: locked (1) / permits / flag
 *   RELEASED   arg: 0 for a lock, permits after for a semaphore
 *   HANDOFF    a release/set/notify/put/get woke a waiter; peer: the task woken, arg: count
 *              after (permits, depth). A queue's waiter leaves its list here.
 *   WAIT_END   subject: the task whose waiter left the list unserved (cancelled); peer: the
 *              task that dropped it when not itself (a queue dropping a cancelled waiter);
 *              arg: count after
 *   SET, CLEAR arg: the flag after;  NOTIFY  arg: n (how many to wake at most)
 *   PUT, GET   arg: the queue's depth after */

typedef enum
{
  LS_BARRIER_FILLING = 0,
  LS_BARRIER_DRAINING,
  LS_BARRIER_RESETTING,
  LS_BARRIER_BROKEN,
} LsBarrierState;

/* 32 bytes, fixed. Strings are interned ids (ls_trace_get_string). */
typedef struct
{
  gint64  time;     /* scenario time, nanoseconds */
  guint16 kind;     /* LsTraceKind */
  guint16 reason;
  guint32 subject;
  guint32 object;
  guint32 peer;
  gint64  arg;
} LsTraceRecord;

G_STATIC_ASSERT (sizeof (LsTraceRecord) == 32);

#define LS_TYPE_TRACE (ls_trace_get_type ())
G_DECLARE_FINAL_TYPE (LsTrace, ls_trace, LS, TRACE, GObject)

LsTrace             *ls_trace_new               (void);
guint64              ls_trace_get_n_records     (LsTrace     *self);
const LsTraceRecord *ls_trace_get_record        (LsTrace     *self,
                                                 guint64      index);
guint32              ls_trace_intern            (LsTrace     *self,
                                                 const char  *string);
const char          *ls_trace_get_string        (LsTrace     *self,
                                                 guint32      id);
/* Interned strings, ids 0 ("") to n - 1, for exports. */
guint32              ls_trace_get_n_strings     (LsTrace     *self);
guint32              ls_trace_new_id            (LsTrace     *self);
void                 ls_trace_flush             (LsTrace     *self);
guint64              ls_trace_find_time         (LsTrace     *self,
                                                 gint64       time_ns);
gint64               ls_trace_get_end_time      (LsTrace     *self);
gboolean             ls_trace_equal             (LsTrace     *a,
                                                 LsTrace     *b);
char                *ls_trace_dump              (LsTrace     *self,
                                                 guint64      first,
                                                 guint64      n);
const char          *ls_trace_kind_name         (LsTraceKind  kind);
const char          *ls_wait_reason_name        (LsWaitReason reason);
const char          *ls_primitive_op_name       (LsPrimitiveOp op);
const char          *ls_object_kind_name        (LsObjectKind kind);

/* Appending, for the runtime. Inline: it sits on every context switch. */

struct _LsTraceChunks
{
  LsTraceRecord  *cur;        /* next free record in the last chunk */
  LsTraceRecord  *end;        /* end of the last chunk */
  LsTraceRecord **chunks;
  guint           n_chunks;
  guint           chunks_alloc;
  guint64         n_records;
};

typedef struct _LsTraceChunks LsTraceChunks;
LsTraceChunks       *_ls_trace_get_chunks       (LsTrace       *self);
/* The run is over (ls_loop_close): no new string is interned from now on
 * (ls_trace_intern gives 0 for one it does not know), so what the loop
 * does while it unwinds leaves the trace exactly as it was. */
void                 _ls_trace_seal             (LsTrace       *self);
LsTraceRecord       *_ls_trace_chunks_grow      (LsTraceChunks *c);

#define LS_TRACE_CHUNK_SHIFT 16
#define LS_TRACE_CHUNK_SIZE  (1u << LS_TRACE_CHUNK_SHIFT)

static inline void
ls_trace_append (LsTraceChunks *c,
                 gint64         time,
                 LsTraceKind    kind,
                 guint          reason,
                 guint32        subject,
                 guint32        object,
                 guint32        peer,
                 gint64         arg)
{
  LsTraceRecord *r;

  if (G_UNLIKELY (c->cur == c->end))
    _ls_trace_chunks_grow (c);
  r = c->cur++;
  c->n_records++;
  r->time = time;
  r->kind = (guint16) kind;
  r->reason = (guint16) reason;
  r->subject = subject;
  r->object = object;
  r->peer = peer;
  r->arg = arg;
}

G_END_DECLS
