/* SPDX-License-Identifier: MIT
 *
 * What every primitive shares (Lock, Event, Condition, Semaphore, Barrier
 * and the queues): a refcounted header with a name and a trace id, the
 * private parts one primitive builds for itself (a Condition's Lock), and
 * the waiter deque, CPython's _waiters: a ring buffer of futures, each with
 * the task it suspends, so a HANDOFF record can name the task woken.
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

void
_ls_primitive_set_wait_target (LsPrimitive *self,
                               LsWaitReason reason,
                               guint32      object)
{
  self->wait_reason = reason;
  self->wait_object = object;
  if (self->part != NULL && self->part->parent_id == self->id)
    _ls_primitive_set_wait_target (self->part, reason, object);
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
      _ls_primitive_set_wait_target (part, self->wait_reason, self->wait_object);
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
