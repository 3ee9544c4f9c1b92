/* SPDX-License-Identifier: MIT
 *
 * Lock, Event, Condition, Semaphore, BoundedSemaphore and Barrier,
 * transcribed from CPython 3.11's asyncio/locks.py line by line, so that
 * the same program completes the same futures in the same loop iterations.
 * An `await fut` is ls_future_await (fut); a `finally: waiters.remove(fut)`
 * is _ls_waiters_remove right after it, on both paths; an
 * `except CancelledError` is a look at the GError.
 *
 * Each waiter future carries (wait reason, primitive id), so a task's
 * TASK_SUSPEND names what it waits on, and each waiter remembers its task,
 * so a HANDOFF record names the task woken.
 */
#include "config.h"

#include "ls-primitives-private.h"

#include <string.h>

#include "ls-error.h"

/* ---- what every primitive shares -------------------------------------- */

void
_ls_primitive_init (LsPrimitive *self,
                    LsLoop      *loop,
                    LsObjectKind kind,
                    LsWaitReason wait_reason,
                    const char  *name,
                    gint64       capacity)
{
  LsTrace *trace = _ls_loop_trace (loop);

  self->ref_count = 1;
  self->kind = kind;
  self->wait_reason = wait_reason;
  self->loop = loop;
  self->id = ls_trace_new_id (trace);
  self->wait_object = self->id;
  self->name_id = ls_trace_intern (trace, name);
  self->creator_id = _ls_loop_current_task_id (loop);
  self->capacity = capacity;
  ls_trace_here (loop, LS_TRACE_OBJECT_NEW, kind, self->creator_id, self->id, self->name_id,
                 capacity);
}

static void
set_wait_target (LsPrimitive *self,
                 LsWaitReason reason,
                 guint32      object)
{
  self->wait_reason = reason;
  self->wait_object = object;
  if (self->part != NULL && self->part->parent_id == self->id)
    set_wait_target (self->part, reason, object);
}

/* @self uses @part (a Condition its lock, a Barrier its condition, a Queue
 * its join event). A private part is an implementation detail of @self in
 * CPython too: a task waiting on it waits, as far as the trace tells, on
 * @self (`await barrier.wait()` is what the program says, not
 * `await barrier._cond.wait()`). */
void
_ls_primitive_add_part (LsPrimitive *self,
                        LsPrimitive *part,
                        gboolean     is_private)
{
  self->part = part;
  _ls_primitive_trace (part, LS_PRIMITIVE_PART_OF, _ls_primitive_me (self), self->id,
                       is_private);
  if (is_private)
    {
      part->parent_id = self->id;
      set_wait_target (part, self->wait_reason, self->wait_object);
    }
}

gpointer
_ls_primitive_ref (gpointer data)
{
  LsPrimitive *self = data;

  g_return_val_if_fail (self != NULL, NULL);
  self->ref_count++;
  return self;
}

void
_ls_primitive_unref (gpointer data)
{
  LsPrimitive *self = data;

  g_return_if_fail (self != NULL);
  if (--self->ref_count > 0)
    return;
  if (self->finalize != NULL)
    self->finalize (self);
  g_free (self);
}

static LsLoop *
loop_or_current (LsLoop *loop)
{
  return loop != NULL ? loop : ls_loop_current ();
}

gboolean
_ls_primitive_check_task (const char *what,
                          GError    **error)
{
  if (G_LIKELY (ls_task_current () != NULL))
    return TRUE;
  g_critical ("%s must be called from inside a task", what);
  g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
               "%s must be called from inside a task", what);
  return FALSE;
}

guint32
ls_primitive_get_id (LsPrimitive *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->id;
}

const char *
ls_primitive_get_name (LsPrimitive *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return ls_trace_get_string (_ls_loop_trace (self->loop), self->name_id);
}

LsObjectKind
ls_primitive_get_kind (LsPrimitive *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->kind;
}

void
_ls_primitive_snapshot (LsPrimitive  *self,
                        LsTraceState *state)
{
  LsPrimitiveEntry *entry = _ls_trace_state_add_primitive (state, self->id, self->kind);

  entry->name_id = self->name_id;
  entry->creator_id = self->creator_id;
  entry->parent_id = self->parent_id;
  entry->part_id = self->part != NULL ? self->part->id : 0;
  entry->capacity = self->capacity;
  entry->handoff_from = self->handoff_from;
  entry->handoff_to = self->handoff_to;
  entry->handoff_time = self->handoff_time;
  self->snapshot (self, entry);
  if (self->part != NULL && self->part->parent_id == self->id)
    _ls_primitive_snapshot (self->part, state);
}

/* ---- the waiter deque ------------------------------------------------- */

void
_ls_waiters_clear (LsWaiterQueue *q)
{
  for (guint i = 0; i < q->len; i++)
    ls_future_unref (_ls_waiters_nth (q, i)->future);
  g_free (q->items);
  memset (q, 0, sizeof *q);
}

static void
waiters_grow (LsWaiterQueue *q)
{
  guint cap = MAX (8, q->cap * 2);
  LsWaiter *items = g_new (LsWaiter, cap);

  for (guint i = 0; i < q->len; i++)
    items[i] = *_ls_waiters_nth (q, i);
  g_free (q->items);
  q->items = items;
  q->cap = cap;
  q->head = 0;
}

LsFuture *
_ls_waiters_append (LsWaiterQueue *q,
                    LsPrimitive   *owner,
                    LsPrimitiveOp  op)
{
  LsFuture *future = _ls_future_new_internal (owner->loop,
                                              op == LS_PRIMITIVE_PUT_WAIT_BEGIN
                                                ? LS_WAIT_QUEUE_PUT : owner->wait_reason,
                                              owner->wait_object, -1);
  LsWaiter *w;

  if (q->len == q->cap)
    waiters_grow (q);
  w = _ls_waiters_nth (q, q->len);
  w->future = ls_future_ref (future);
  w->task_id = _ls_primitive_me (owner);
  w->woken_by = 0;
  _ls_primitive_trace (owner, op, w->task_id, future->id, q->len);
  q->len++;
  return future;
}

gboolean
_ls_waiters_remove (LsWaiterQueue *q,
                    LsFuture      *future)
{
  for (guint i = 0; i < q->len; i++)
    if (_ls_waiters_nth (q, i)->future == future)
      {
        if (i == 0)
          q->head = (q->head + 1) & (q->cap - 1);
        else
          for (guint j = i; j + 1 < q->len; j++)
            *_ls_waiters_nth (q, j) = *_ls_waiters_nth (q, j + 1);
        q->len--;
        ls_future_unref (future);
        return TRUE;
      }
  return FALSE;
}

LsWaiter
_ls_waiters_pop_head (LsWaiterQueue *q)
{
  LsWaiter w = *_ls_waiters_nth (q, 0);

  q->head = (q->head + 1) & (q->cap - 1);
  q->len--;
  return w;
}

gboolean
_ls_waiters_any_not_cancelled (LsWaiterQueue *q)
{
  for (guint i = 0; i < q->len; i++)
    if (!ls_future_is_cancelled (_ls_waiters_nth (q, i)->future))
      return TRUE;
  return FALSE;
}

void
_ls_waiter_wake (LsPrimitive *owner,
                 LsWaiter    *waiter,
                 gint64       arg)
{
  guint32 me = _ls_primitive_me (owner);

  owner->handoff_from = me;
  owner->handoff_to = waiter->task_id;
  owner->handoff_time = _ls_loop_now (owner->loop);
  waiter->woken_by = me;
  _ls_primitive_trace (owner, LS_PRIMITIVE_HANDOFF, me, waiter->task_id, arg);
  ls_future_set_result (waiter->future, NULL, NULL);
}

void
_ls_waiters_snapshot (LsWaiterQueue *q,
                      GArray        *into)
{
  for (guint i = 0; i < q->len; i++)
    {
      const LsWaiter *w = _ls_waiters_nth (q, i);
      LsWaiterEntry e = { w->task_id, w->future->id, LS_WAITER_WAITING, 0, 0 };

      if (ls_future_is_cancelled (w->future))
        e.state = LS_WAITER_CANCELLED;
      else if (ls_future_is_done (w->future))
        {
          e.state = LS_WAITER_WOKEN;
          e.woken_by = w->woken_by;
        }
      g_array_append_val (into, e);
    }
}

/* ---- Lock ------------------------------------------------------------- */

struct _LsLock
{
  LsPrimitive   base;
  gboolean      locked;
  guint32       owner_id;  /* who acquired it: CPython does not track it, the trace does */
  LsWaiterQueue waiters;
};

static void
lock_finalize (LsPrimitive *base)
{
  _ls_waiters_clear (&((LsLock *) base)->waiters);
}

static void
lock_snapshot (LsPrimitive      *base,
               LsPrimitiveEntry *entry)
{
  LsLock *self = (LsLock *) base;

  entry->value = self->locked;
  entry->owner_id = self->owner_id;
  _ls_waiters_snapshot (&self->waiters, entry->waiters);
}

LsLock *
ls_lock_new (LsLoop     *loop,
             const char *name)
{
  LsLock *self;

  loop = loop_or_current (loop);
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);

  self = g_new0 (LsLock, 1);
  _ls_primitive_init (&self->base, loop, LS_OBJECT_LOCK, LS_WAIT_LOCK, name, 1);
  self->base.finalize = lock_finalize;
  self->base.snapshot = lock_snapshot;
  return self;
}

LsLock *
ls_lock_ref (LsLock *self)
{
  return _ls_primitive_ref (self);
}

void
ls_lock_unref (LsLock *self)
{
  _ls_primitive_unref (self);
}

gboolean
ls_lock_locked (LsLock *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->locked;
}

static void
lock_set_locked (LsLock *self)
{
  self->locked = TRUE;
  self->owner_id = _ls_primitive_me (&self->base);
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_ACQUIRED, self->owner_id, 0, 1);
}

/* Lock._wake_up_first: wake the first waiter if it is not done. Only the
 * first: a cancelled (done) first waiter will, when its task runs, find the
 * lock free and call this again for the one behind it. */
static void
lock_wake_up_first (LsLock *self)
{
  LsWaiter *first;

  if (self->waiters.len == 0)
    return;
  first = _ls_waiters_nth (&self->waiters, 0);
  if (!ls_future_is_done (first->future))
    _ls_waiter_wake (&self->base, first, 0);
}

gboolean
ls_lock_acquire (LsLock  *self,
                 GError **error)
{
  g_autoptr(LsFuture) fut = NULL;
  g_autoptr(GVariant) ignored = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  /* no barging: a waiter that was woken but has not run yet (done, not
   * cancelled) keeps the lock for itself */
  if (!self->locked && !_ls_waiters_any_not_cancelled (&self->waiters))
    {
      lock_set_locked (self);
      return TRUE;
    }
  if (!_ls_primitive_check_task ("ls_lock_acquire", error))
    return FALSE;

  ls_lock_ref (self);
  fut = _ls_waiters_append (&self->waiters, &self->base, LS_PRIMITIVE_WAIT_BEGIN);
  ignored = ls_future_await (fut, &local_error);
  /* the finally comes first, so that a cancelled waiter does not wake
   * itself below */
  _ls_waiters_remove (&self->waiters, fut);
  if (local_error != NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          _ls_primitive_trace (&self->base, LS_PRIMITIVE_WAIT_END, _ls_primitive_me (&self->base),
                               0, self->locked);
          /* woken, then cancelled before it ran: pass the lock on */
          if (!self->locked)
            lock_wake_up_first (self);
        }
      g_propagate_error (error, local_error);
      ls_lock_unref (self);
      return FALSE;
    }
  lock_set_locked (self);
  ls_lock_unref (self);
  return TRUE;
}

gboolean
ls_lock_release (LsLock  *self,
                 GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->locked)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Lock is not acquired.");
      return FALSE;
    }
  self->locked = FALSE;
  self->owner_id = 0;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_RELEASED, _ls_primitive_me (&self->base), 0, 0);
  lock_wake_up_first (self);
  return TRUE;
}

/* ---- Event ------------------------------------------------------------ */

struct _LsEvent
{
  LsPrimitive   base;
  gboolean      value;
  LsWaiterQueue waiters;
};

static void
event_finalize (LsPrimitive *base)
{
  _ls_waiters_clear (&((LsEvent *) base)->waiters);
}

static void
event_snapshot (LsPrimitive      *base,
                LsPrimitiveEntry *entry)
{
  LsEvent *self = (LsEvent *) base;

  entry->value = self->value;
  _ls_waiters_snapshot (&self->waiters, entry->waiters);
}

static LsEvent *
event_new (LsLoop     *loop,
           const char *name)
{
  LsEvent *self = g_new0 (LsEvent, 1);

  _ls_primitive_init (&self->base, loop, LS_OBJECT_EVENT, LS_WAIT_EVENT, name, 0);
  self->base.finalize = event_finalize;
  self->base.snapshot = event_snapshot;
  return self;
}

LsEvent *
ls_event_new (LsLoop     *loop,
              const char *name)
{
  loop = loop_or_current (loop);
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  return event_new (loop, name);
}

/* A private event of @owner: tasks waiting on it wait on @owner for
 * @wait_reason (a Queue's join). */
LsEvent *
_ls_event_new_part (LsPrimitive *owner,
                    const char  *suffix,
                    LsWaitReason wait_reason)
{
  g_autofree char *name = g_strconcat (ls_primitive_get_name (owner), suffix, NULL);
  LsEvent *self = event_new (owner->loop, name);

  _ls_primitive_add_part (owner, &self->base, TRUE);
  set_wait_target (&self->base, wait_reason, owner->wait_object);
  return self;
}

LsEvent *
ls_event_ref (LsEvent *self)
{
  return _ls_primitive_ref (self);
}

void
ls_event_unref (LsEvent *self)
{
  _ls_primitive_unref (self);
}

gboolean
ls_event_is_set (LsEvent *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->value;
}

/* Wakes every waiter, in wait order. Setting a set event does nothing
 * (and records nothing). */
void
ls_event_set (LsEvent *self)
{
  g_return_if_fail (self != NULL);

  if (self->value)
    return;
  self->value = TRUE;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_SET, _ls_primitive_me (&self->base), 0, 1);
  for (guint i = 0; i < self->waiters.len; i++)
    {
      LsWaiter *w = _ls_waiters_nth (&self->waiters, i);

      if (!ls_future_is_done (w->future))
        _ls_waiter_wake (&self->base, w, 1);
    }
}

void
ls_event_clear (LsEvent *self)
{
  g_return_if_fail (self != NULL);

  if (!self->value)
    return;
  self->value = FALSE;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_CLEAR, _ls_primitive_me (&self->base), 0, 0);
}

/* Returns TRUE once set, even if the event was cleared again before this
 * task ran (CPython's wait does not look at the flag a second time). */
gboolean
ls_event_wait (LsEvent *self,
               GError **error)
{
  g_autoptr(LsFuture) fut = NULL;
  g_autoptr(GVariant) ignored = NULL;
  GError *local_error = NULL;
  guint32 me;

  g_return_val_if_fail (self != NULL, FALSE);

  me = _ls_primitive_me (&self->base);
  if (self->value)
    {
      _ls_primitive_trace (&self->base, LS_PRIMITIVE_ACQUIRED, me, 0, 1);
      return TRUE;
    }
  if (!_ls_primitive_check_task ("ls_event_wait", error))
    return FALSE;

  ls_event_ref (self);
  fut = _ls_waiters_append (&self->waiters, &self->base, LS_PRIMITIVE_WAIT_BEGIN);
  ignored = ls_future_await (fut, &local_error);
  _ls_waiters_remove (&self->waiters, fut);
  _ls_primitive_trace (&self->base, local_error == NULL ? LS_PRIMITIVE_ACQUIRED
                       : LS_PRIMITIVE_WAIT_END, me, 0, self->value);
  ls_event_unref (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* ---- Condition -------------------------------------------------------- */

struct _LsCondition
{
  LsPrimitive   base;
  LsLock       *lock;
  LsWaiterQueue waiters;
};

static void
condition_finalize (LsPrimitive *base)
{
  LsCondition *self = (LsCondition *) base;

  _ls_waiters_clear (&self->waiters);
  ls_lock_unref (self->lock);
}

static void
condition_snapshot (LsPrimitive      *base,
                    LsPrimitiveEntry *entry)
{
  _ls_waiters_snapshot (&((LsCondition *) base)->waiters, entry->waiters);
}

static LsCondition *
condition_new (LsLoop     *loop,
               const char *name,
               LsLock     *lock)
{
  LsCondition *self = g_new0 (LsCondition, 1);

  _ls_primitive_init (&self->base, loop, LS_OBJECT_CONDITION, LS_WAIT_CONDITION, name, 0);
  self->base.finalize = condition_finalize;
  self->base.snapshot = condition_snapshot;
  if (lock != NULL)
    {
      self->lock = ls_lock_ref (lock);
      _ls_primitive_add_part (&self->base, &lock->base, FALSE);
    }
  else
    {
      g_autofree char *lock_name = g_strconcat (name, ":lock", NULL);

      self->lock = ls_lock_new (loop, lock_name);
      _ls_primitive_add_part (&self->base, &self->lock->base, TRUE);
    }
  return self;
}

LsCondition *
ls_condition_new (LsLoop     *loop,
                  const char *name)
{
  loop = loop_or_current (loop);
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  return condition_new (loop, name, NULL);
}

LsCondition *
ls_condition_new_with_lock (LsLoop     *loop,
                            const char *name,
                            LsLock     *lock)
{
  loop = loop_or_current (loop);
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  g_return_val_if_fail (lock != NULL, NULL);
  return condition_new (loop, name, lock);
}

LsCondition *
ls_condition_ref (LsCondition *self)
{
  return _ls_primitive_ref (self);
}

void
ls_condition_unref (LsCondition *self)
{
  _ls_primitive_unref (self);
}

LsLock *
ls_condition_get_lock (LsCondition *self)
{
  return self->lock;
}

gboolean
ls_condition_acquire (LsCondition *self,
                      GError     **error)
{
  return ls_lock_acquire (self->lock, error);
}

gboolean
ls_condition_release (LsCondition *self,
                      GError     **error)
{
  return ls_lock_release (self->lock, error);
}

gboolean
ls_condition_locked (LsCondition *self)
{
  return self->lock->locked;
}

gboolean
ls_condition_wait (LsCondition *self,
                   GError     **error)
{
  g_autoptr(LsFuture) fut = NULL;
  g_autoptr(GVariant) ignored = NULL;
  GError *local_error = NULL;
  gboolean cancelled = FALSE;
  guint32 me;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->lock->locked)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "cannot wait on un-acquired lock");
      return FALSE;
    }
  if (!_ls_primitive_check_task ("ls_condition_wait", error))
    return FALSE;

  me = _ls_primitive_me (&self->base);
  ls_condition_ref (self);
  ls_lock_release (self->lock, NULL);
  fut = _ls_waiters_append (&self->waiters, &self->base, LS_PRIMITIVE_WAIT_BEGIN);
  ignored = ls_future_await (fut, &local_error);
  _ls_waiters_remove (&self->waiters, fut);
  _ls_primitive_trace (&self->base, local_error == NULL ? LS_PRIMITIVE_ACQUIRED
                       : LS_PRIMITIVE_WAIT_END, me, 0, 0);

  /* finally: the lock must be held again, even when the wait was
   * cancelled; a cancellation while reacquiring only retries */
  for (;;)
    {
      GError *acquire_error = NULL;

      if (ls_lock_acquire (self->lock, &acquire_error))
        break;
      if (!ls_error_is_cancelled (acquire_error))
        {
          g_clear_error (&local_error);
          local_error = acquire_error;
          break;
        }
      cancelled = TRUE;
      g_error_free (acquire_error);
    }
  if (cancelled)
    {
      /* `raise exceptions.CancelledError` inside the finally: a new one,
       * without the cancel message, replacing what was being raised */
      g_clear_error (&local_error);
      local_error = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_CANCELLED, "");
    }
  ls_condition_unref (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
ls_condition_wait_for (LsCondition    *self,
                       LsPredicateFunc predicate,
                       gpointer        data,
                       GError        **error)
{
  gboolean result = predicate (data);

  while (!result)
    {
      if (!ls_condition_wait (self, error))
        return FALSE;
      result = predicate (data);
    }
  return result;
}

gboolean
ls_condition_notify (LsCondition *self,
                     guint        n,
                     GError     **error)
{
  guint idx = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->lock->locked)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "cannot notify on un-acquired lock");
      return FALSE;
    }
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_NOTIFY, _ls_primitive_me (&self->base), 0, n);
  for (guint i = 0; i < self->waiters.len; i++)
    {
      LsWaiter *w = _ls_waiters_nth (&self->waiters, i);

      if (idx >= n)
        break;
      if (!ls_future_is_done (w->future))
        {
          idx++;
          _ls_waiter_wake (&self->base, w, 0);
        }
    }
  return TRUE;
}

gboolean
ls_condition_notify_all (LsCondition *self,
                         GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return ls_condition_notify (self, self->waiters.len, error);
}

/* ---- Semaphore, BoundedSemaphore -------------------------------------- */

struct _LsSemaphore
{
  LsPrimitive   base;
  gint64        value;
  gint64        bound_value;
  gboolean      bounded;
  LsWaiterQueue waiters;
};

static void
semaphore_finalize (LsPrimitive *base)
{
  _ls_waiters_clear (&((LsSemaphore *) base)->waiters);
}

static void
semaphore_snapshot (LsPrimitive      *base,
                    LsPrimitiveEntry *entry)
{
  LsSemaphore *self = (LsSemaphore *) base;

  entry->value = self->value;
  _ls_waiters_snapshot (&self->waiters, entry->waiters);
}

static LsSemaphore *
semaphore_new (LsLoop     *loop,
               const char *name,
               gint        value,
               gboolean    bounded,
               GError    **error)
{
  LsSemaphore *self;

  loop = loop_or_current (loop);
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  if (value < 0)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE,
                           "Semaphore initial value must be >= 0");
      return NULL;
    }

  self = g_new0 (LsSemaphore, 1);
  _ls_primitive_init (&self->base, loop,
                      bounded ? LS_OBJECT_BOUNDED_SEMAPHORE : LS_OBJECT_SEMAPHORE,
                      LS_WAIT_SEMAPHORE, name, value);
  self->base.finalize = semaphore_finalize;
  self->base.snapshot = semaphore_snapshot;
  self->value = value;
  self->bound_value = value;
  self->bounded = bounded;
  return self;
}

LsSemaphore *
ls_semaphore_new (LsLoop     *loop,
                  const char *name,
                  gint        value,
                  GError    **error)
{
  return semaphore_new (loop, name, value, FALSE, error);
}

LsSemaphore *
ls_bounded_semaphore_new (LsLoop     *loop,
                          const char *name,
                          gint        value,
                          GError    **error)
{
  return semaphore_new (loop, name, value, TRUE, error);
}

LsSemaphore *
ls_semaphore_ref (LsSemaphore *self)
{
  return _ls_primitive_ref (self);
}

void
ls_semaphore_unref (LsSemaphore *self)
{
  _ls_primitive_unref (self);
}

guint
ls_semaphore_get_value (LsSemaphore *self)
{
  return (guint) self->value;
}

/* "Cannot be acquired immediately": no permit, or someone not cancelled is
 * queued (woken waiters included: their permit is already taken). */
gboolean
ls_semaphore_locked (LsSemaphore *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->value == 0 || _ls_waiters_any_not_cancelled (&self->waiters);
}

/* Semaphore._wake_up_next: the permit is taken on the woken waiter's
 * behalf right here, so nobody can take it before that waiter runs. */
static void
semaphore_wake_up_next (LsSemaphore *self)
{
  for (guint i = 0; i < self->waiters.len; i++)
    {
      LsWaiter *w = _ls_waiters_nth (&self->waiters, i);

      if (!ls_future_is_done (w->future))
        {
          self->value--;
          _ls_waiter_wake (&self->base, w, self->value);
          return;
        }
    }
}

gboolean
ls_semaphore_acquire (LsSemaphore *self,
                      GError     **error)
{
  g_autoptr(LsFuture) fut = NULL;
  g_autoptr(GVariant) ignored = NULL;
  GError *local_error = NULL;
  guint32 me;

  g_return_val_if_fail (self != NULL, FALSE);

  me = _ls_primitive_me (&self->base);
  if (!ls_semaphore_locked (self))
    {
      self->value--;
      _ls_primitive_trace (&self->base, LS_PRIMITIVE_ACQUIRED, me, 0, self->value);
      return TRUE;
    }
  if (!_ls_primitive_check_task ("ls_semaphore_acquire", error))
    return FALSE;

  ls_semaphore_ref (self);
  fut = _ls_waiters_append (&self->waiters, &self->base, LS_PRIMITIVE_WAIT_BEGIN);
  ignored = ls_future_await (fut, &local_error);
  _ls_waiters_remove (&self->waiters, fut);
  if (local_error != NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          /* handed a permit, then cancelled before it ran: give the permit
           * back and pass it on */
          gboolean handed = !ls_future_is_cancelled (fut);

          if (handed)
            self->value++;
          _ls_primitive_trace (&self->base, LS_PRIMITIVE_WAIT_END, me, 0, self->value);
          if (handed)
            semaphore_wake_up_next (self);
        }
      g_propagate_error (error, local_error);
      ls_semaphore_unref (self);
      return FALSE;
    }
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_ACQUIRED, me, 0, self->value);
  if (self->value > 0)
    semaphore_wake_up_next (self);
  ls_semaphore_unref (self);
  return TRUE;
}

gboolean
ls_semaphore_release (LsSemaphore *self,
                      GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->bounded && self->value >= self->bound_value)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE,
                           "BoundedSemaphore released too many times");
      return FALSE;
    }
  self->value++;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_RELEASED, _ls_primitive_me (&self->base), 0,
                       self->value);
  semaphore_wake_up_next (self);
  return TRUE;
}

/* ---- Barrier ---------------------------------------------------------- */

struct _LsBarrier
{
  LsPrimitive    base;
  LsCondition   *cond;     /* notifies every task when the state changes */
  guint          parties;
  LsBarrierState state;
  guint          count;    /* tasks in the barrier */
};

static void
barrier_finalize (LsPrimitive *base)
{
  ls_condition_unref (((LsBarrier *) base)->cond);
}

static void
barrier_snapshot (LsPrimitive      *base,
                  LsPrimitiveEntry *entry)
{
  LsBarrier *self = (LsBarrier *) base;

  entry->value = self->count;
  entry->barrier_state = self->state;
}

LsBarrier *
ls_barrier_new (LsLoop     *loop,
                const char *name,
                gint        parties,
                GError    **error)
{
  LsBarrier *self;
  g_autofree char *cond_name = NULL;

  loop = loop_or_current (loop);
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  if (parties < 1)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE,
                           "parties must be > 0");
      return NULL;
    }

  self = g_new0 (LsBarrier, 1);
  _ls_primitive_init (&self->base, loop, LS_OBJECT_BARRIER, LS_WAIT_BARRIER, name, parties);
  self->base.finalize = barrier_finalize;
  self->base.snapshot = barrier_snapshot;
  self->parties = parties;
  self->state = LS_BARRIER_FILLING;
  cond_name = g_strconcat (name, ":cond", NULL);
  self->cond = condition_new (loop, cond_name, NULL);
  _ls_primitive_add_part (&self->base, &self->cond->base, TRUE);
  return self;
}

LsBarrier *
ls_barrier_ref (LsBarrier *self)
{
  return _ls_primitive_ref (self);
}

void
ls_barrier_unref (LsBarrier *self)
{
  _ls_primitive_unref (self);
}

guint
ls_barrier_get_parties (LsBarrier *self)
{
  return self->parties;
}

guint
ls_barrier_get_n_waiting (LsBarrier *self)
{
  return self->state == LS_BARRIER_FILLING ? self->count : 0;
}

gboolean
ls_barrier_is_broken (LsBarrier *self)
{
  return self->state == LS_BARRIER_BROKEN;
}

static void
barrier_set_state (LsBarrier     *self,
                   LsBarrierState state)
{
  self->state = state;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_BARRIER_STATE, _ls_primitive_me (&self->base),
                       0, state);
}

static gboolean
barrier_not_draining_or_resetting (gpointer data)
{
  LsBarrier *self = data;

  return self->state != LS_BARRIER_DRAINING && self->state != LS_BARRIER_RESETTING;
}

static gboolean
barrier_not_filling (gpointer data)
{
  return ((LsBarrier *) data)->state != LS_BARRIER_FILLING;
}

/* _block: wait while the barrier drains or resets; broken is an error. */
static gboolean
barrier_block (LsBarrier *self,
               GError   **error)
{
  if (!ls_condition_wait_for (self->cond, barrier_not_draining_or_resetting, self, error))
    return FALSE;
  if (self->state == LS_BARRIER_BROKEN)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_BROKEN_BARRIER,
                           "Barrier aborted");
      return FALSE;
    }
  return TRUE;
}

/* _wait: wait in the barrier until it is released; a reset or an abort
 * meanwhile is an error. */
static gboolean
barrier_wait_released (LsBarrier *self,
                       GError   **error)
{
  if (!ls_condition_wait_for (self->cond, barrier_not_filling, self, error))
    return FALSE;
  if (self->state == LS_BARRIER_BROKEN || self->state == LS_BARRIER_RESETTING)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_BROKEN_BARRIER,
                           "Abort or reset of barrier");
      return FALSE;
    }
  return TRUE;
}

/* _exit: the last task out lets the ones waiting for the drain in. */
static void
barrier_exit (LsBarrier *self)
{
  if (self->count == 0)
    {
      if (self->state == LS_BARRIER_RESETTING || self->state == LS_BARRIER_DRAINING)
        barrier_set_state (self, LS_BARRIER_FILLING);
      ls_condition_notify_all (self->cond, NULL);
    }
}

gint
ls_barrier_wait (LsBarrier *self,
                 GError   **error)
{
  GError *local_error = NULL;
  gint index = -1;

  g_return_val_if_fail (self != NULL, -1);

  ls_barrier_ref (self);
  /* async with self._cond: */
  if (!ls_condition_acquire (self->cond, error))
    {
      ls_barrier_unref (self);
      return -1;
    }
  if (barrier_block (self, &local_error))
    {
      gint mine = (gint) self->count++;

      _ls_primitive_trace (&self->base, LS_PRIMITIVE_BARRIER_ENTER, _ls_primitive_me (&self->base),
                           0, self->count);
      if ((guint) mine + 1 == self->parties)
        {
          /* _release: the last one in trips the barrier */
          barrier_set_state (self, LS_BARRIER_DRAINING);
          ls_condition_notify_all (self->cond, NULL);
          index = mine;
        }
      else if (barrier_wait_released (self, &local_error))
        index = mine;
      /* finally */
      self->count--;
      _ls_primitive_trace (&self->base, LS_PRIMITIVE_BARRIER_LEAVE, _ls_primitive_me (&self->base),
                           0, self->count);
      barrier_exit (self);
    }
  ls_condition_release (self->cond, NULL);
  ls_barrier_unref (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  return index;
}

gboolean
ls_barrier_reset (LsBarrier *self,
                  GError   **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ls_condition_acquire (self->cond, error))
    return FALSE;
  if (self->count > 0)
    {
      /* waking the tasks inside, which fail with BrokenBarrierError */
      if (self->state != LS_BARRIER_RESETTING)
        barrier_set_state (self, LS_BARRIER_RESETTING);
    }
  else
    barrier_set_state (self, LS_BARRIER_FILLING);
  ls_condition_notify_all (self->cond, NULL);
  ls_condition_release (self->cond, NULL);
  return TRUE;
}

gboolean
ls_barrier_abort (LsBarrier *self,
                  GError   **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ls_condition_acquire (self->cond, error))
    return FALSE;
  barrier_set_state (self, LS_BARRIER_BROKEN);
  ls_condition_notify_all (self->cond, NULL);
  ls_condition_release (self->cond, NULL);
  return TRUE;
}

/* ---- async with ------------------------------------------------------- */

/* A locker is the primitive itself (with a reference), as GMutexLocker is
 * the mutex: nothing to allocate. */
LsLocker *
ls_lock_locker_new (LsLock  *lock,
                    GError **error)
{
  if (!ls_lock_acquire (lock, error))
    return NULL;
  return (LsLocker *) ls_lock_ref (lock);
}

LsLocker *
ls_condition_locker_new (LsCondition *cond,
                         GError     **error)
{
  if (!ls_condition_acquire (cond, error))
    return NULL;
  return (LsLocker *) ls_condition_ref (cond);
}

LsLocker *
ls_semaphore_locker_new (LsSemaphore *sem,
                         GError     **error)
{
  if (!ls_semaphore_acquire (sem, error))
    return NULL;
  return (LsLocker *) ls_semaphore_ref (sem);
}

/* __aexit__. Python would raise from it if the body had already released
 * the lock; a cleanup function cannot, so that is reported as a critical. */
void
ls_locker_free (LsLocker *locker)
{
  LsPrimitive *p = (LsPrimitive *) locker;
  g_autoptr(GError) error = NULL;

  if (p == NULL)
    return;
  switch ((LsObjectKind) p->kind)
    {
    case LS_OBJECT_LOCK:
      ls_lock_release ((LsLock *) p, &error);
      break;
    case LS_OBJECT_CONDITION:
      ls_condition_release ((LsCondition *) p, &error);
      break;
    case LS_OBJECT_SEMAPHORE:
    case LS_OBJECT_BOUNDED_SEMAPHORE:
      ls_semaphore_release ((LsSemaphore *) p, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (error != NULL)
    g_critical ("leaving `async with %s`: %s", ls_primitive_get_name (p), error->message);
  _ls_primitive_unref (p);
}
