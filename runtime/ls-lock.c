/* SPDX-License-Identifier: MIT
 *
 * asyncio.Lock, transcribed from CPython 3.11's locks.py line by line, so
 * that the same program completes the same futures in the same loop
 * iterations: no barging (a waiter that was woken keeps the lock for
 * itself), and a woken waiter cancelled before it runs passes the lock on.
 * An `await fut` is ls_future_await (fut); a `finally: waiters.remove(fut)`
 * is _ls_waiters_remove right after it, on both paths; an `except
 * CancelledError` is a look at the GError.
 */
#include "config.h"

#include "ls-primitives-private.h"

#include "ls-error.h"

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

  loop = _ls_primitive_loop_or_current (loop);
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
