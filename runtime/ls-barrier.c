/* SPDX-License-Identifier: MIT
 *
 * asyncio.Barrier, as CPython 3.11's locks.py has it: filling, draining,
 * resetting or broken, on a private Condition; the last task to arrive
 * wakes the others, and reset () or abort () break the waiters out with
 * BrokenBarrierError.
 */
#include "config.h"

#include "ls-primitives-private.h"

#include "ls-error.h"

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

  loop = _ls_primitive_loop_or_current (loop);
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
  self->cond = ls_condition_new (loop, cond_name);
  _ls_primitive_add_part (&self->base, LS_PRIMITIVE (self->cond), TRUE);
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
