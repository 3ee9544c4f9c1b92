/* SPDX-License-Identifier: MIT
 *
 * asyncio.timeout(), transcribed from CPython 3.11.7's timeouts.py: a
 * state (created, active, expiring, expired, finished), a handler that
 * cancels the task at the deadline (a timer, or a call_soon for a deadline
 * already past), and at exit the conversion of the CancelledError the
 * handler caused into a TimeoutError, when no other cancellation is
 * pending (uncancel() back to the count at entry).
 */
#include "config.h"

#include "ls-timeout.h"

#include "ls-error.h"
#include "ls-runtime-private.h"

typedef enum
{
  SCOPE_CREATED,
  SCOPE_ENTERED,
  SCOPE_EXPIRING,
  SCOPE_EXPIRED,
  SCOPE_EXITED,
} ScopeState;

struct _LsTimeoutScope
{
  guint      ref_count;
  LsTask    *task;
  LsTimer   *handler;
  gint64     when;         /* LS_NO_DEADLINE: never */
  guint      cancelling;
  ScopeState state;
  guint32    id;
};

/* _State values, for the messages */
static const char *
scope_state_value (ScopeState state)
{
  switch (state)
    {
    case SCOPE_CREATED:  return "created";
    case SCOPE_ENTERED:  return "active";
    case SCOPE_EXPIRING: return "expiring";
    case SCOPE_EXPIRED:  return "expired";
    case SCOPE_EXITED:
    default:             return "finished";
    }
}

LsTimeoutScope *
ls_timeout_new_at (gint64 when_ns)
{
  LsTimeoutScope *self = g_new0 (LsTimeoutScope, 1);

  self->ref_count = 1;
  self->when = when_ns;
  self->state = SCOPE_CREATED;
  return self;
}

LsTimeoutScope *
ls_timeout_new (double delay)
{
  LsLoop *loop = ls_loop_current ();

  g_return_val_if_fail (loop != NULL, NULL);
  g_return_val_if_fail (!isnan (delay), NULL);

  if (delay == LS_NO_TIMEOUT)
    return ls_timeout_new_at (LS_NO_DEADLINE);
  return ls_timeout_new_at (ls_loop_time_ns (loop) + ls_seconds_to_ns (delay));
}

LsTimeoutScope *
ls_timeout_ref (LsTimeoutScope *self)
{
  self->ref_count++;
  return self;
}

void
ls_timeout_unref (LsTimeoutScope *self)
{
  if (--self->ref_count > 0)
    return;
  g_assert (self->handler == NULL);
  g_clear_pointer (&self->task, ls_task_unref);
  g_free (self);
}

static void
scope_on_timeout (gpointer a,
                  gpointer b)
{
  LsTimeoutScope *self = a;

  g_assert (self->state == SCOPE_ENTERED);
  ls_task_cancel (self->task, NULL);
  self->state = SCOPE_EXPIRING;
  g_clear_pointer (&self->handler, ls_timer_unref);
}

static void
scope_reschedule_ns (LsTimeoutScope *self,
                     gint64          when)
{
  LsLoop *loop = self->task->base.loop;

  self->when = when;
  if (self->handler != NULL)
    {
      ls_timer_cancel (self->handler);
      g_clear_pointer (&self->handler, ls_timer_unref);
    }
  if (when == LS_NO_DEADLINE)
    return;
  if (when <= ls_loop_time_ns (loop))
    {
      /* a deadline already past: loop.call_soon, as CPython does */
      self->handler = _ls_loop_call_soon_cancellable (loop, scope_on_timeout, self);
    }
  else
    self->handler = ls_loop_call_at_ns (loop, when, LS_WAIT_TIMEOUT_SCOPE, self->id,
                                        scope_on_timeout, self, NULL, NULL);
}

gboolean
ls_timeout_enter_scope (LsTimeoutScope *self,
                        GError        **error)
{
  LsTask *task = ls_task_current ();
  LsLoop *loop;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->state != SCOPE_CREATED)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Timeout has already been entered");
      return FALSE;
    }
  if (task == NULL)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Timeout should be used inside a task");
      return FALSE;
    }
  loop = task->base.loop;
  ls_timeout_ref (self); /* dropped by exit */
  self->state = SCOPE_ENTERED;
  self->task = ls_task_ref (task);
  self->cancelling = ls_task_cancelling (task);
  self->id = ls_trace_new_id (_ls_loop_trace (loop));
  ls_trace_here (loop, LS_TRACE_SCOPE_BEGIN, 0, task->base.id, self->id, 0,
                 self->when == LS_NO_DEADLINE ? -1 : self->when);
  scope_reschedule_ns (self, self->when);
  return TRUE;
}

static LsTimeoutScope *
enter_new (LsTimeoutScope *scope)
{
  g_autoptr(GError) error = NULL;

  if (!ls_timeout_enter_scope (scope, &error))
    {
      g_critical ("%s", error->message);
      ls_timeout_unref (scope);
      return NULL;
    }
  ls_timeout_unref (scope); /* the one enter took is left */
  return scope;
}

LsTimeoutScope *
ls_timeout_enter_at (gint64 when_ns)
{
  return enter_new (ls_timeout_new_at (when_ns));
}

LsTimeoutScope *
ls_timeout_enter (double delay)
{
  LsTimeoutScope *scope = ls_timeout_new (delay);

  return scope != NULL ? enter_new (scope) : NULL;
}

gboolean
ls_timeout_reschedule (LsTimeoutScope *self,
                       double          when,
                       GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!isnan (when), FALSE);

  if (self->state != SCOPE_ENTERED)
    {
      if (self->state == SCOPE_CREATED)
        g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                             "Timeout has not been entered");
      else
        g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                     "Cannot change state of %s Timeout", scope_state_value (self->state));
      return FALSE;
    }
  scope_reschedule_ns (self, when == LS_NO_TIMEOUT ? LS_NO_DEADLINE : ls_seconds_to_ns (when));
  return TRUE;
}

gboolean
ls_timeout_expired (LsTimeoutScope *self)
{
  return self->state == SCOPE_EXPIRING || self->state == SCOPE_EXPIRED;
}

double
ls_timeout_when (LsTimeoutScope *self)
{
  return self->when == LS_NO_DEADLINE ? LS_NO_TIMEOUT : (double) self->when / 1e9;
}

gboolean
ls_timeout_exit (LsTimeoutScope *self,
                 GError        **body_error)
{
  LsLoop *loop = self->task->base.loop;
  gboolean expired = FALSE;
  gboolean converted = FALSE;

  g_assert (self->state == SCOPE_ENTERED || self->state == SCOPE_EXPIRING);
  if (self->handler != NULL)
    {
      ls_timer_cancel (self->handler);
      g_clear_pointer (&self->handler, ls_timer_unref);
    }
  if (self->state == SCOPE_EXPIRING)
    {
      self->state = SCOPE_EXPIRED;
      expired = TRUE;
      if (ls_task_uncancel (self->task) <= self->cancelling && body_error != NULL
          && ls_error_is_cancelled (*body_error))
        {
          /* raise TimeoutError from exc_val */
          GError *cancelled = g_steal_pointer (body_error);
          GError *timeout = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT, "");

          ls_error_set_cause (timeout, cancelled);
          ls_error_set_context (timeout, cancelled);
          g_error_free (cancelled);
          g_propagate_error (body_error, timeout);
          converted = TRUE;
        }
    }
  else
    self->state = SCOPE_EXITED;

  ls_trace_here (loop, LS_TRACE_SCOPE_END, converted ? LS_OUTCOME_FAILED : LS_OUTCOME_RESULT,
                 self->task->base.id, self->id, 0, expired);
  ls_timeout_unref (self);
  return expired;
}
