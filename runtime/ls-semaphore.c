/* SPDX-License-Identifier: MIT
 *
 * asyncio.Semaphore and BoundedSemaphore, as CPython 3.11's locks.py has
 * them: a release that wakes a waiter takes the permit for it right then,
 * and a woken waiter cancelled before it runs gives the permit back and
 * wakes the next one. A BoundedSemaphore's release fails above its initial
 * value.
 */
#include "config.h"

#include "ls-primitives-private.h"

#include "ls-error.h"

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

  loop = _ls_primitive_loop_or_current (loop);
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
