/* SPDX-License-Identifier: MIT
 *
 * What the primitives (ls-lock.c, ls-event.c, ls-condition.c,
 * ls-semaphore.c, ls-barrier.c) and the queues (ls-queue.c) share, most of
 * it in ls-primitive.c: the common header of every primitive, the waiter
 * deque, the trace helpers and the live snapshot the tests compare with
 * the replay.
 */
#pragma once

#include "ls-primitives.h"
#include "ls-runtime-private.h"

G_BEGIN_DECLS

/* One entry of CPython's _waiters / _getters / _putters deques: the
 * future, plus the task it suspends, so a handoff can name it. */
typedef struct
{
  LsFuture *future;     /* owned */
  guint32   task_id;
  guint32   woken_by;   /* the task whose release/set/notify/put/get woke it */
} LsWaiter;

/* A deque: a ring buffer whose capacity is a power of two. */
typedef struct
{
  LsWaiter *items;
  guint     head;
  guint     len;
  guint     cap;
} LsWaiterQueue;

struct _LsPrimitive
{
  guint         ref_count;
  guint16       kind;            /* LsObjectKind */
  guint16       wait_reason;     /* what its waiter futures say a task waits on */
  guint32       id;
  guint32       wait_object;     /* itself, or the primitive it is a private part of */
  guint32       name_id;
  guint32       creator_id;
  gint64        capacity;
  LsPrimitive  *part;            /* the component it uses, when any (the subtype owns it) */
  guint32       parent_id;       /* private component of this primitive, or 0 */
  guint32       handoff_from;    /* the last handoff */
  guint32       handoff_to;
  gint64        handoff_time;
  LsLoop       *loop;            /* not owned: the loop outlives its primitives */
  void        (*finalize) (LsPrimitive  *self);
  void        (*snapshot) (LsPrimitive  *self,
                           LsPrimitiveEntry *entry);
};

void          _ls_primitive_init        (LsPrimitive   *self,
                                         LsLoop        *loop,
                                         LsObjectKind   kind,
                                         LsWaitReason   wait_reason,
                                         const char    *name,
                                         gint64         capacity);
void          _ls_primitive_add_part    (LsPrimitive   *self,
                                         LsPrimitive   *part,
                                         gboolean       is_private);
/* Tasks waiting on @self (and on its private part) are reported as waiting
 * on @object for @reason. */
void          _ls_primitive_set_wait_target (LsPrimitive  *self,
                                             LsWaitReason  reason,
                                             guint32       object);
gpointer      _ls_primitive_ref         (gpointer       self);
void          _ls_primitive_unref       (gpointer       self);

static inline void
_ls_primitive_trace (LsPrimitive  *self,
                     LsPrimitiveOp op,
                     guint32       subject,
                     guint32       peer,
                     gint64        arg)
{
  ls_trace_here (self->loop, LS_TRACE_PRIMITIVE, op, subject, self->id, peer, arg);
}

/* A NULL loop in a constructor means the current one */
static inline LsLoop *
_ls_primitive_loop_or_current (LsLoop *loop)
{
  return loop != NULL ? loop : ls_loop_current ();
}

static inline guint32
_ls_primitive_me (LsPrimitive *self)
{
  return _ls_loop_current_task_id (self->loop);
}

/* FALSE with a RuntimeError (and a critical) outside a task: a waiting
 * call is an await. */
gboolean      _ls_primitive_check_task  (const char    *what,
                                         GError       **error);

static inline LsWaiter *
_ls_waiters_nth (LsWaiterQueue *q,
                 guint          i)
{
  return &q->items[(q->head + i) & (q->cap - 1)];
}

void          _ls_waiters_clear         (LsWaiterQueue *q);
/* fut = loop.create_future(); waiters.append(fut): records @op (WAIT_BEGIN
 * or PUT_WAIT_BEGIN) with the position; returns a new reference. The
 * future says the task waits on @owner (LS_WAIT_QUEUE_PUT for a putter). */
LsFuture     *_ls_waiters_append        (LsWaiterQueue *q,
                                         LsPrimitive   *owner,
                                         LsPrimitiveOp  op);
/* waiters.remove(fut): FALSE when it is no longer there. */
gboolean      _ls_waiters_remove        (LsWaiterQueue *q,
                                         LsFuture      *future);
/* popleft(); the caller owns the entry's future reference. */
LsWaiter      _ls_waiters_pop_head      (LsWaiterQueue *q);
gboolean      _ls_waiters_any_not_cancelled (LsWaiterQueue *q);
/* Records the HANDOFF (arg: count after) and completes the waiter's
 * future (with None: nothing reads the True/False CPython puts there). */
void          _ls_waiter_wake           (LsPrimitive   *owner,
                                         LsWaiter      *waiter,
                                         gint64         arg);
void          _ls_waiters_snapshot      (LsWaiterQueue *q,
                                         GArray        *into);

/* The live state of @primitive and its private components, appended to
 * @state's primitives, as ls_trace_state_replay would rebuild it. */
void          _ls_primitive_snapshot    (LsPrimitive   *primitive,
                                         LsTraceState  *state);

/* For the queues: the Event behind join(). */
LsEvent      *_ls_event_new_part        (LsPrimitive   *owner,
                                         const char    *suffix,
                                         LsWaitReason   wait_reason);

G_END_DECLS
