/* SPDX-License-Identifier: MIT
 *
 * Structures shared by the loop, futures and tasks, the combinators and the
 * primitives. Nothing outside runtime/ includes this.
 */
#pragma once

#include "ls-coro.h"
#include "ls-future.h"
#include "ls-trace-state.h"

G_BEGIN_DECLS

typedef enum
{
  LS_FUTURE_PENDING = 0,
  LS_FUTURE_FINISHED,
  LS_FUTURE_CANCELLED,
} LsFutureState;

typedef enum
{
  LS_FUTURE_KIND_PLAIN = 0,
  LS_FUTURE_KIND_TASK,
  LS_FUTURE_KIND_GATHER,
} LsFutureKind;

typedef struct
{
  LsFutureCallback func;
  gpointer         data;
} LsFutureCallbackEntry;

struct _LsFuture
{
  guint                  ref_count;
  guint8                 state;         /* LsFutureState */
  guint8                 kind;          /* LsFutureKind */
  guint8                 pooled;        /* from _ls_future_alloc: goes back to its pool */
  guint16                wait_reason;   /* what a task awaiting this waits on */
  guint32                id;
  guint32                wait_object;
  gint64                 wait_deadline;
  LsLoop                *loop;          /* not owned: the loop outlives its futures */
  GVariant              *result;
  GError                *error;         /* the exception, when finished with one */
  GError                *cancelled_exc; /* the CancelledError that cancelled it, handed out once */
  char                  *cancel_message;
  LsFutureCallbackEntry *callbacks;     /* &first_callback, or an array when there are more */
  guint                  n_callbacks;
  guint                  callbacks_alloc;
  LsFutureCallbackEntry  first_callback; /* most futures have one done callback: no allocation */
  void                 (*finalize) (LsFuture *self);
  gboolean             (*cancel)   (LsFuture *self, const char *message);
};

typedef enum
{
  LS_YIELD_NONE = 0,
  LS_YIELD_BARE,      /* sleep(0) */
  LS_YIELD_FUTURE,
  LS_YIELD_BLOCKING,  /* time.sleep in real time: the loop stops until it ends */
} LsYieldKind;

struct _LsTask
{
  LsFuture       base;
  LsCoro        *coro;
  LsTaskFunc     func;
  gpointer       data;
  GDestroyNotify data_destroy;
  guint32        name_id;       /* 0: the default name, Task-<number> */
  guint          number;
  char          *default_name;  /* made on demand */
  guint32        creator_id;
  GList          all_tasks_link; /* in the loop's list of pending tasks */
  guint          must_cancel : 1;
  guint          finished_body : 1;
  guint          num_cancels_requested;
  LsFuture      *fut_waiter;
  /* hand-over between the scheduler and the coroutine */
  LsYieldKind    yield_kind;
  LsFuture      *yield_future;
  GError        *resume_error;
  GVariant      *body_result;
  GError        *body_error;
};

struct _LsTimer
{
  guint          ref_count;
  LsLoop        *loop;
  guint32        id;
  guint          cancelled : 1;
  guint          in_heap : 1;
  gint64         deadline;
  guint64        seq;
  LsCallback     func;
  gpointer       a;
  GDestroyNotify a_destroy;
  gpointer       b;
};

typedef struct
{
  LsCallback func;
  gpointer   a;
  gpointer   b;
  LsTimer   *timer;       /* owned, for timer handles */
  LsFuture  *future;      /* owned ref, for future callbacks (a == future) */
  guint32    handle_id;
  guint16    kind;        /* LsHandleKind */
  guint32    task_id;     /* task it will run, 0 if none */
  guint32    cause_id;
} LsReadyItem;

/* Called where the iteration in which the loop was stopped ends (outside
 * any iteration): the point at which CPython's run_forever returns. */
typedef void (*LsLoopStopFunc) (LsLoop  *loop,
                                gpointer data);

/* The loop (ls-loop.c and the ls-loop-*.c beside it). It is here, not in
 * ls-loop-private.h, so that what runs on every switch (appending a
 * record, pushing and running a handle) is inline wherever tasks, futures
 * and primitives need it. */
struct _LsLoop
{
  GObject        parent_instance;

  /* the hot part: records, the clock, the ready queue */
  LsTraceChunks *chunks;
  gint64         now;            /* ns: the time records carry */
  LsReadyItem   *ready;          /* the ready queue: a ring buffer */
  guint          ready_head;
  guint          ready_len;
  guint          ready_cap;
  guint32        next_handle_id;
  guint          batch_remaining; /* handles of the iteration in progress not run yet */
  guint32        cause;
  LsTimer       *running_timer;  /* what the running handle holds, until its callback is over */
  LsFuture      *running_future;
  gboolean       running_open;
  guint64        n_handles;      /* handles run so far */
  guint          direct_chain;   /* handles a task switched to directly since the scheduler ran */
  /* the _ls_loop_run_handles () in progress, for tasks that go on with the
   * next iteration themselves (_ls_loop_next_iteration) */
  gboolean       run_single;     /* one iteration only (a step, closing) */
  guint64        run_next_check; /* n_handles at which the time budget is checked next */

  LsTrace       *trace;
  GMainContext  *context;
  GSource       *source;

  /* the timer heap, by (deadline, seq) */
  LsTimer      **heap;
  guint          heap_len;
  guint          heap_cap;
  guint          heap_cancelled;
  guint64        timer_seq;

  /* I/O */
  GArray        *io_done;        /* IoDone, completion order */
  guint          io_in_flight;
  GHashTable    *io_parks;       /* in-flight io id -> number of parks on it */
  guint          io_parked;      /* in-flight operations with a park */
  GPtrArray     *parks;          /* IoPark, in creation order */
  guint          next_park_id;

  /* the scenario clock: virtual, paced against the wall clock */
  double         speed;          /* scenario seconds per wall second; 0: Instant */
  gint64         pace_base;      /* the paced clock: scenario ns at pace_base_us */
  gint64         pace_base_us;   /* g_get_monotonic_time () */
  guint          paused : 1;
  guint          clock_started : 1; /* the paced clock starts with the first iteration */

  gint64         yield_until_us; /* the source steps aside until then */

  /* the iteration in progress */
  guint64        iteration;
  guint          in_iteration : 1;

  /* time.sleep in real time */
  LsTask        *blocked_task;
  gint64         blocked_until;

  guint          n_tasks_created;
  GQueue         all_tasks;        /* pending tasks, in creation order */
  LsTrace       *scratch;          /* closed: where records go instead of the trace */
  guint          closed : 1;

  /* loop.stop(): checked where an iteration ends, like CPython's _stopping */
  LsFuture      *stop_when_done;   /* the future the loop runs until (a ref), or NULL */
  guint          stopped : 1;      /* it is done: nothing runs until another is set */
  guint          stopping : 1;
  guint64        n_stops;
  LsLoopStopFunc stop_func;
  gpointer       stop_data;
  GRand         *rand;
  guint32        seed;
};

LsTimer       *_ls_loop_call_soon_cancellable (LsLoop *self,
                                               LsCallback callback,
                                               gpointer   a);
guint          _ls_loop_next_task_number (LsLoop   *self);
void           _ls_loop_set_stop_func (LsLoop       *self,
                                       LsLoopStopFunc func,
                                       gpointer      data);
void           _ls_loop_block         (LsLoop       *self,
                                       LsTask       *task,
                                       gint64        duration_ns);
void           _ls_loop_snapshot      (LsLoop       *self,
                                       LsTraceState *state);

LsTask        *_ls_loop_first_task    (LsLoop       *self);
/* ls_loop_close's two halves on the task side: cancel every pending task
 * (returns how many there were); give up on those still pending */
guint          _ls_tasks_cancel_pending  (LsLoop    *loop);
void           _ls_tasks_abandon_pending (LsLoop    *loop);

void           _ls_task_run_step      (LsTask       *task);
/* Task.__wakeup: the done callback a task puts on the future it awaits */
void           _ls_task_wakeup        (LsFuture     *future,
                                       gpointer      data);
/* The current task, or NULL with a RuntimeError (and a critical) */
LsTask        *_ls_task_require       (const char   *what,
                                       GError      **error);
/* The current task, or NULL after a critical (a combinator called outside
 * a task) */
static inline LsTask *
_ls_task_current_or_critical (const char *what)
{
  LsTask *task = ls_task_current ();

  if (task == NULL)
    g_critical ("%s must be called from inside a task", what);
  return task;
}

/* Suspends @task (the current one) until the scheduler resumes it; FALSE
 * with the error thrown in when there is one */
gboolean       _ls_task_suspend       (LsTask       *task,
                                       LsYieldKind   kind,
                                       LsFuture     *future,
                                       GError      **error);
/* CancelledError(message), or CancelledError() for NULL */
GError        *_ls_cancelled_error_new (const char  *message);
/* Future.cancel () without the task or gather overrides; @cancelled_exc,
 * when given, is the CancelledError to keep (owned) */
gboolean       _ls_future_cancel_base (LsFuture     *self,
                                       const char   *message,
                                       GError       *cancelled_exc);
void           _ls_task_continue      (LsTask       *task);
void           _ls_task_yield_blocked (LsTask       *task);
void           _ls_future_schedule_callbacks (LsFuture *self);
GError        *_ls_future_make_cancelled_error (LsFuture *self);
LsFuture      *_ls_future_new_completed (LsLoop *loop,
                                         GVariant *result,
                                         GError *exception);
void           _ls_future_init        (LsFuture     *self,
                                       LsLoop       *loop,
                                       LsFutureKind  kind);

extern LS_THREAD_LOCAL LsTask *_ls_current_task;
void           _ls_set_running_loop   (LsLoop       *loop);

static inline LsTraceChunks *
_ls_loop_chunks (LsLoop *self)
{
  return self->chunks;
}

static inline gint64
_ls_loop_now (LsLoop *self)
{
  return self->now;
}

static inline LsTrace *
_ls_loop_trace (LsLoop *self)
{
  return self->trace;
}

/* The timer, future or I/O whose handle is running (0 for a task's step) */
static inline guint32
_ls_loop_cause (LsLoop *self)
{
  return self->cause;
}

static inline guint32
_ls_loop_current_task_id (LsLoop *self)
{
  return _ls_current_task != NULL ? _ls_current_task->base.id : 0;
}

/* At the end of a batch, from a task switching out: ends the iteration
 * and begins the next one as _ls_loop_run_handles () would, when nothing
 * between the two needs the scheduler (a stop, a step, a pause, a blocked
 * loop, I/O or parks to handle, a clock to move, the time budget). TRUE
 * when a new batch began. */
gboolean       _ls_loop_next_iteration (LsLoop      *self);

/* The loop's list of pending tasks, in creation order: what
 * g_queue_push_tail_link () and g_queue_unlink () do, inline (a task is
 * added and removed once each) */
static inline void
_ls_loop_task_added (LsLoop *self,
                     GList  *link)
{
  GQueue *q = &self->all_tasks;

  link->next = NULL;
  link->prev = q->tail;
  if (q->tail != NULL)
    q->tail->next = link;
  else
    q->head = link;
  q->tail = link;
  q->length++;
}

static inline void
_ls_loop_task_done (LsLoop *self,
                    GList  *link)
{
  GQueue *q = &self->all_tasks;

  if (link->prev != NULL)
    link->prev->next = link->next;
  else
    q->head = link->next;
  if (link->next != NULL)
    link->next->prev = link->prev;
  else
    q->tail = link->prev;
  link->prev = link->next = NULL;
  q->length--;
}

/* Futures and tasks come from small per-thread pools (ls-future.c): a
 * wait, a sleep or a short task costs no malloc or free in the steady
 * state. Zeroed, like g_new0 (); @size is sizeof (LsFuture) or
 * sizeof (LsTask). */
gpointer       _ls_future_alloc       (gsize         size);
void           _ls_future_free        (LsFuture     *future);

/* The ready queue is full: twice as large */
void           _ls_loop_ready_grow    (LsLoop       *self);

/* Appends a handle to the ready queue (READY_PUSH). @future_ref, when not
 * NULL, is a reference the handle owns until it has run. A task's step or
 * wakeup needs none: the loop holds every pending task, and a task keeps
 * the future it awaits (fut_waiter) until its wakeup has run. */
static inline void
_ls_loop_push_ready (LsLoop      *self,
                     LsHandleKind kind,
                     LsCallback   func,
                     gpointer     a,
                     gpointer     b,
                     LsFuture    *future_ref,
                     guint32      task_id,
                     guint32      cause_id)
{
  LsReadyItem *item;

  if (G_UNLIKELY (self->ready_len == self->ready_cap))
    _ls_loop_ready_grow (self);
  item = &self->ready[(self->ready_head + self->ready_len++) & (self->ready_cap - 1)];
  item->func = func;
  item->a = a;
  item->b = b;
  item->timer = NULL;
  item->future = future_ref;
  item->handle_id = ++self->next_handle_id;
  item->kind = kind;
  item->task_id = task_id;
  item->cause_id = cause_id;
  ls_trace_append (self->chunks, self->now, LS_TRACE_READY_PUSH, kind, task_id,
                   item->handle_id, cause_id, 0);
}

#define LS_NS_PER_SECOND G_GINT64_CONSTANT (1000000000)

static inline gint64
ls_seconds_to_ns (double seconds)
{
  return (gint64) (seconds * 1e9 + (seconds >= 0 ? 0.5 : -0.5));
}

/* Takes the head of the ready queue as the handle whose turn it is, as
 * the iteration's next (HANDLE_RUN); it is the running one until
 * _ls_loop_end_handle (). Returns it (valid until the next push: read it
 * first), and whether it was cancelled (a cancelled handle runs nothing). */
static inline const LsReadyItem *
_ls_loop_begin_handle (LsLoop   *self,
                       gboolean *skipped)
{
  const LsReadyItem *item = &self->ready[self->ready_head];

  self->ready_head = (self->ready_head + 1) & (self->ready_cap - 1);
  self->ready_len--;
  self->batch_remaining--;
  self->running_timer = item->timer;
  self->running_future = item->future;
  self->running_open = TRUE;
  self->n_handles++;
  *skipped = item->timer != NULL && item->timer->cancelled;
  ls_trace_append (self->chunks, self->now, LS_TRACE_HANDLE_RUN, item->kind, item->task_id,
                   item->handle_id, item->cause_id, *skipped);
  return item;
}

/* The running handle's callback is over (for a task's step: the task
 * switched out): what the handle held goes. Once per handle. */
static inline void
_ls_loop_end_handle (LsLoop *self)
{
  if (!self->running_open)
    return;
  self->running_open = FALSE;
  self->cause = 0;
  if (self->running_timer != NULL)
    ls_timer_unref (self->running_timer);
  if (self->running_future != NULL)
    ls_future_unref (self->running_future);
}

static inline void
ls_trace_here (LsLoop     *loop,
               LsTraceKind kind,
               guint       reason,
               guint32     subject,
               guint32     object,
               guint32     peer,
               gint64      arg)
{
  ls_trace_append (_ls_loop_chunks (loop), _ls_loop_now (loop), kind, reason, subject, object,
                   peer, arg);
}

G_END_DECLS
