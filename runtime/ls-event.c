/* SPDX-License-Identifier: MIT
 *
 * asyncio.Event, as CPython 3.11's locks.py has it: set () wakes every
 * waiter in wait order, and wait () returns once the event was set, even
 * if it was cleared again before the waiter ran. A Queue's join () waits on
 * a private Event (_ls_event_new_part).
 */
#include "config.h"

#include "ls-primitives-private.h"

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
  loop = _ls_primitive_loop_or_current (loop);
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
  _ls_primitive_set_wait_target (&self->base, wait_reason, owner->wait_object);
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
