/* SPDX-License-Identifier: MIT
 *
 * asyncio.Condition, as CPython 3.11's locks.py has it: wait () releases
 * the lock, waits to be notified and takes the lock again, on every way
 * out (cancellation included); notify (n) wakes the first n waiters not
 * done yet. The Condition's own lock is a private part of it: a task
 * waiting for it is reported as waiting on the Condition.
 */
#include "config.h"

#include "ls-primitives-private.h"

#include "ls-error.h"

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
      _ls_primitive_add_part (&self->base, LS_PRIMITIVE (lock), FALSE);
    }
  else
    {
      g_autofree char *lock_name = g_strconcat (name, ":lock", NULL);

      self->lock = ls_lock_new (loop, lock_name);
      _ls_primitive_add_part (&self->base, LS_PRIMITIVE (self->lock), TRUE);
    }
  return self;
}

LsCondition *
ls_condition_new (LsLoop     *loop,
                  const char *name)
{
  loop = _ls_primitive_loop_or_current (loop);
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  return condition_new (loop, name, NULL);
}

LsCondition *
ls_condition_new_with_lock (LsLoop     *loop,
                            const char *name,
                            LsLock     *lock)
{
  loop = _ls_primitive_loop_or_current (loop);
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
  return ls_lock_locked (self->lock);
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

  if (!ls_lock_locked (self->lock))
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

  if (!ls_lock_locked (self->lock))
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
