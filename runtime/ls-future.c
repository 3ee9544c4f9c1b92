/* SPDX-License-Identifier: MIT
 *
 * Futures and tasks, following CPython 3.11's futures.py and tasks.py
 * closely enough that the same program schedules the same way:
 *
 *  - completing a future schedules each done callback with call_soon, so
 *    an awaiting task resumes in the *next* loop iteration;
 *  - a task's step runs its coroutine until it awaits a pending future
 *    (registering its wakeup as a done callback), yields bare (sleep(0):
 *    its next step is scheduled at once) or finishes;
 *  - cancel() cancels the future the task waits on, or, when there is
 *    none, marks the task so its next step throws CancelledError in.
 *
 * The coroutine side (ls_future_await, ls_sleep…) runs on the task's own
 * stack; the scheduler side (task_step, task_after_switch) on the loop's.
 */
#include "config.h"

#include "ls-future.h"

#include "ls-error.h"
#include "ls-executor.h"
#include "ls-runtime-private.h"

LS_THREAD_LOCAL LsTask *_ls_current_task;
static LS_THREAD_LOCAL LsLoop *running_loop;

static void task_wakeup (LsFuture *future, gpointer data);

/* ---- futures ---------------------------------------------------------- */

void
_ls_future_init (LsFuture    *self,
                 LsLoop      *loop,
                 LsFutureKind kind)
{
  self->ref_count = 1;
  self->kind = kind;
  self->loop = loop;
  self->id = ls_trace_new_id (_ls_loop_trace (loop));
  self->wait_reason = LS_WAIT_FUTURE;
  self->wait_object = self->id;
  self->wait_deadline = -1;
}

LsFuture *
_ls_future_new_internal (LsLoop      *loop,
                         LsWaitReason reason,
                         guint32      wait_object,
                         gint64       wait_deadline)
{
  LsFuture *self = g_new0 (LsFuture, 1);

  _ls_future_init (self, loop, LS_FUTURE_KIND_PLAIN);
  _ls_future_set_wait (self, reason, wait_object, wait_deadline);
  return self;
}

void
_ls_future_set_wait (LsFuture    *self,
                     LsWaitReason reason,
                     guint32      wait_object,
                     gint64       wait_deadline)
{
  self->wait_reason = reason;
  self->wait_object = wait_object != 0 ? wait_object : self->id;
  self->wait_deadline = wait_deadline;
}

LsFuture *
ls_future_new (LsLoop     *loop,
               const char *name)
{
  LsFuture *self;
  LsTrace *trace;

  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);

  self = g_new0 (LsFuture, 1);
  _ls_future_init (self, loop, LS_FUTURE_KIND_PLAIN);
  trace = _ls_loop_trace (loop);
  ls_trace_here (loop, LS_TRACE_OBJECT_NEW, LS_OBJECT_FUTURE, _ls_loop_current_task_id (loop),
                 self->id, ls_trace_intern (trace, name), 0);
  return self;
}

LsFuture *
ls_future_ref (LsFuture *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  self->ref_count++;
  return self;
}

void
ls_future_unref (LsFuture *self)
{
  g_return_if_fail (self != NULL);
  if (--self->ref_count > 0)
    return;
  if (self->finalize != NULL)
    self->finalize (self);
  g_clear_pointer (&self->result, g_variant_unref);
  g_clear_error (&self->error);
  g_clear_error (&self->cancelled_exc);
  g_free (self->cancel_message);
  g_free (self->callbacks);
  g_free (self);
}

LsLoop *
ls_future_get_loop (LsFuture *self)
{
  return self->loop;
}

guint32
ls_future_get_id (LsFuture *self)
{
  return self->id;
}

gboolean
ls_future_is_done (LsFuture *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->state != LS_FUTURE_PENDING;
}

gboolean
ls_future_is_cancelled (LsFuture *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->state == LS_FUTURE_CANCELLED;
}

void
_ls_future_schedule_callbacks (LsFuture *self)
{
  LsFutureCallbackEntry *callbacks = self->callbacks;
  guint n = self->n_callbacks;

  self->callbacks = NULL;
  self->n_callbacks = 0;
  self->callbacks_alloc = 0;
  for (guint i = 0; i < n; i++)
    {
      gboolean wakeup = callbacks[i].func == task_wakeup;
      LsTask *task = wakeup ? callbacks[i].data : NULL;

      _ls_loop_push_ready (self->loop, wakeup ? LS_HANDLE_TASK_WAKEUP : LS_HANDLE_CALLBACK,
                           (LsCallback) callbacks[i].func, self, callbacks[i].data,
                           ls_future_ref (self), task != NULL ? task->base.id : 0, self->id);
    }
  g_free (callbacks);
}

static void
future_record_done (LsFuture *self)
{
  if (self->kind == LS_FUTURE_KIND_TASK)
    return; /* tasks record LS_TRACE_TASK_DONE instead */
  ls_trace_here (self->loop, LS_TRACE_FUTURE_DONE,
                 self->state == LS_FUTURE_CANCELLED ? LS_OUTCOME_CANCELLED
                 : self->error != NULL ? LS_OUTCOME_FAILED : LS_OUTCOME_RESULT,
                 _ls_loop_current_task_id (self->loop), self->id, _ls_loop_cause (self->loop), 0);
}

static gboolean
future_check_pending (LsFuture *self,
                      GError  **error)
{
  if (self->state == LS_FUTURE_PENDING)
    return TRUE;
  g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_INVALID_STATE, "invalid state");
  return FALSE;
}

gboolean
ls_future_set_result (LsFuture *self,
                      GVariant *result,
                      GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (result != NULL)
    g_variant_ref_sink (result);
  if (!future_check_pending (self, error))
    {
      g_clear_pointer (&result, g_variant_unref);
      return FALSE;
    }
  self->result = result;
  self->state = LS_FUTURE_FINISHED;
  future_record_done (self);
  _ls_future_schedule_callbacks (self);
  return TRUE;
}

/* Takes ownership of @exception. */
gboolean
ls_future_set_exception (LsFuture *self,
                         GError   *exception,
                         GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (exception != NULL, FALSE);

  if (!future_check_pending (self, error))
    {
      g_error_free (exception);
      return FALSE;
    }
  self->error = exception;
  self->state = LS_FUTURE_FINISHED;
  future_record_done (self);
  _ls_future_schedule_callbacks (self);
  return TRUE;
}

/* CancelledError() for no message, CancelledError(message) otherwise, even
 * for an empty one (cancel(msg='') gives args ('',) in CPython). */
static GError *
make_cancelled_error (const char *message)
{
  GError *error = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_CANCELLED,
                                       message != NULL ? message : "");

  if (message != NULL)
    ls_error_mark_empty_arg (error);
  return error;
}

/* Future._make_cancelled_error(): the CancelledError that cancelled the
 * future is handed out once; after that a new one carries the cancel
 * message (which is None for a task whose coroutine raised CancelledError).
 * CPython 3.11 does exactly this, and programs can see it. */
GError *
_ls_future_make_cancelled_error (LsFuture *self)
{
  if (self->cancelled_exc != NULL)
    return g_steal_pointer (&self->cancelled_exc);
  return make_cancelled_error (self->cancel_message);
}

/* A future born done: gather's list of results and exceptions. */
LsFuture *
_ls_future_new_completed (LsLoop   *loop,
                          GVariant *result,
                          GError   *exception)
{
  LsFuture *self = g_new0 (LsFuture, 1);

  self->ref_count = 1;
  self->loop = loop;
  self->state = LS_FUTURE_FINISHED;
  self->result = result != NULL ? g_variant_ref_sink (result) : NULL;
  self->error = exception;
  return self;
}

/* Future.cancel(), without the task or gather overrides. @cancelled_exc,
 * when given, is the CancelledError to keep (owned). */
static gboolean
future_cancel_base (LsFuture   *self,
                    const char *message,
                    GError     *cancelled_exc)
{
  if (self->state != LS_FUTURE_PENDING)
    {
      g_clear_error (&cancelled_exc);
      return FALSE;
    }
  self->state = LS_FUTURE_CANCELLED;
  g_free (self->cancel_message);
  self->cancel_message = g_strdup (message);
  self->cancelled_exc = cancelled_exc;
  future_record_done (self);
  _ls_future_schedule_callbacks (self);
  return TRUE;
}

gboolean
ls_future_cancel (LsFuture   *self,
                  const char *message)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->cancel != NULL)
    return self->cancel (self, message);
  return future_cancel_base (self, message, NULL);
}

GVariant *
ls_future_get_result (LsFuture *self,
                      GError  **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->state == LS_FUTURE_PENDING)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_INVALID_STATE,
                           "Result is not set.");
      return NULL;
    }
  if (self->state == LS_FUTURE_CANCELLED)
    {
      GError *cancelled = _ls_future_make_cancelled_error (self);

      g_propagate_error (error, cancelled);
      return NULL;
    }
  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return NULL;
    }
  return self->result != NULL ? g_variant_ref (self->result) : NULL;
}

GVariant *
ls_future_peek_result (LsFuture *self)
{
  return self->result;
}

const GError *
ls_future_get_exception (LsFuture *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (self->state == LS_FUTURE_CANCELLED)
    return NULL;
  return self->error;
}

GError *
ls_future_exception (LsFuture *self,
                     GError  **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->state == LS_FUTURE_CANCELLED)
    {
      g_propagate_error (error, _ls_future_make_cancelled_error (self));
      return NULL;
    }
  if (self->state == LS_FUTURE_PENDING)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_INVALID_STATE,
                           "Exception is not set.");
      return NULL;
    }
  return self->error != NULL ? g_error_copy (self->error) : NULL;
}

void
ls_future_add_done_callback (LsFuture        *self,
                             LsFutureCallback callback,
                             gpointer         data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (callback != NULL);

  if (self->state != LS_FUTURE_PENDING)
    {
      gboolean wakeup = callback == task_wakeup;

      _ls_loop_push_ready (self->loop, wakeup ? LS_HANDLE_TASK_WAKEUP : LS_HANDLE_CALLBACK,
                           (LsCallback) callback, self, data, ls_future_ref (self),
                           wakeup ? ((LsTask *) data)->base.id : 0, self->id);
      return;
    }
  if (self->n_callbacks == self->callbacks_alloc)
    {
      self->callbacks_alloc = MAX (2, self->callbacks_alloc * 2);
      self->callbacks = g_renew (LsFutureCallbackEntry, self->callbacks, self->callbacks_alloc);
    }
  self->callbacks[self->n_callbacks].func = callback;
  self->callbacks[self->n_callbacks].data = data;
  self->n_callbacks++;
}

guint
ls_future_remove_done_callback (LsFuture        *self,
                                LsFutureCallback callback,
                                gpointer         data)
{
  guint j = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->n_callbacks; i++)
    if (self->callbacks[i].func != callback || self->callbacks[i].data != data)
      self->callbacks[j++] = self->callbacks[i];
  j = self->n_callbacks - j;
  self->n_callbacks -= j;
  return j;
}

/* ---- the coroutine side ----------------------------------------------- */

static LsTask *
require_task (const char *what,
              GError    **error)
{
  if (G_UNLIKELY (_ls_current_task == NULL))
    {
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                   "%s must be called from inside a task", what);
      g_critical ("%s must be called from inside a task", what);
      return NULL;
    }
  return _ls_current_task;
}

/* Suspends the current task until the scheduler resumes it. Returns FALSE
 * with the error thrown in (a CancelledError, or the awaited future's
 * exception) when there is one. */
static gboolean
task_suspend (LsTask     *task,
              LsYieldKind kind,
              LsFuture   *future,
              GError    **error)
{
  task->yield_kind = kind;
  task->yield_future = future;
  ls_coro_yield ();
  task->yield_kind = LS_YIELD_NONE;
  task->yield_future = NULL;
  if (task->resume_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&task->resume_error));
      return FALSE;
    }
  return TRUE;
}

GVariant *
ls_future_await (LsFuture *self,
                 GError  **error)
{
  LsTask *task;

  g_return_val_if_fail (self != NULL, NULL);
  if ((task = require_task ("ls_future_await", error)) == NULL)
    return NULL;

  if (self->state == LS_FUTURE_PENDING)
    {
      if (self == &task->base)
        {
          g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                               "Task cannot await on itself");
          return NULL;
        }
      if (!task_suspend (task, LS_YIELD_FUTURE, self, error))
        return NULL;
    }
  return ls_future_get_result (self, error);
}

/* futures._set_result_unless_cancelled (future, result): @b is the result,
 * which the sleeping task keeps alive until the timer is gone */
static void
set_result_unless_cancelled (gpointer a,
                             gpointer b)
{
  LsFuture *future = a;

  if (future->state == LS_FUTURE_PENDING)
    ls_future_set_result (future, b, NULL); /* takes a reference of its own */
}

/* asyncio.sleep (delay, result): @result is sunk and kept; returns it (a
 * new reference, NULL for None) in @out. */
static gboolean
sleep_common (double     seconds,
              GVariant  *result,
              GVariant **out,
              GError   **error)
{
  LsTask *task;
  LsLoop *loop;
  LsFuture *future;
  LsTimer *timer;
  gint64 deadline;
  gboolean ok;

  if ((task = require_task ("ls_sleep", error)) == NULL)
    return FALSE;
  if (seconds <= 0)
    {
      if (!task_suspend (task, LS_YIELD_BARE, NULL, error))
        return FALSE;
      *out = result != NULL ? g_variant_ref (result) : NULL;
      return TRUE;
    }

  loop = task->base.loop;
  deadline = ls_loop_time_ns (loop) + ls_seconds_to_ns (seconds);
  future = _ls_future_new_internal (loop, LS_WAIT_SLEEP, 0, deadline);
  timer = ls_loop_call_at_ns (loop, deadline, LS_WAIT_SLEEP, future->id,
                              set_result_unless_cancelled, ls_future_ref (future),
                              (GDestroyNotify) ls_future_unref, result);
  future->wait_object = ls_timer_get_id (timer);
  {
    GError *local_error = NULL;

    *out = ls_future_await (future, &local_error);
    ok = local_error == NULL;
    if (!ok)
      g_propagate_error (error, local_error);
  }
  ls_timer_cancel (timer);
  ls_timer_unref (timer);
  ls_future_unref (future);
  return ok;
}

gboolean
ls_sleep (double   seconds,
          GError **error)
{
  g_autoptr(GVariant) out = NULL;

  return sleep_common (seconds, NULL, &out, error);
}

GVariant *
ls_sleep_result (double    seconds,
                 GVariant *result,
                 GError  **error)
{
  g_autoptr(GVariant) kept = result != NULL ? g_variant_ref_sink (result) : NULL;
  GVariant *out = NULL;

  if (!sleep_common (seconds, kept, &out, error))
    return NULL;
  return out;
}

void
ls_blocking_sleep (double seconds)
{
  LsTask *task = _ls_current_task;
  LsLoop *loop = task != NULL ? task->base.loop : running_loop;

  /* time.sleep on an executor's worker thread: only that thread waits */
  if (task == NULL && _ls_executor_worker_sleep (ls_seconds_to_ns (seconds)))
    return;

  g_return_if_fail (loop != NULL);
  if (seconds <= 0)
    return;
  _ls_loop_block (loop, task, ls_seconds_to_ns (seconds));
}

/* ---- tasks ------------------------------------------------------------ */

static void
task_finalize (LsFuture *future)
{
  LsTask *self = (LsTask *) future;

  if (self->coro != NULL)
    ls_coro_free (self->coro);
  if (self->all_tasks_link.data != NULL)
    _ls_loop_task_done (future->loop, &self->all_tasks_link);
  if (self->data_destroy != NULL)
    self->data_destroy (self->data);
  g_clear_pointer (&self->fut_waiter, ls_future_unref);
  g_clear_pointer (&self->body_result, g_variant_unref);
  g_clear_error (&self->body_error);
  g_clear_error (&self->resume_error);
  g_free (self->default_name);
}

static gboolean
task_cancel (LsFuture   *future,
             const char *message)
{
  LsTask *self = (LsTask *) future;
  LsLoop *loop = future->loop;
  gboolean effective;

  if (future->state != LS_FUTURE_PENDING)
    effective = FALSE;
  else
    {
      effective = TRUE;
      self->num_cancels_requested++;
      if (self->fut_waiter == NULL || !ls_future_cancel (self->fut_waiter, message))
        {
          /* the task's own message, as Task.cancel keeps it in
           * _cancel_message: it is the message of the CancelledError thrown
           * in, and of the one a gather builds from this task */
          self->must_cancel = TRUE;
          g_free (future->cancel_message);
          future->cancel_message = g_strdup (message);
        }
    }
  ls_trace_here (loop, LS_TRACE_CANCEL_REQUEST, 0, _ls_loop_current_task_id (loop), future->id,
                 ls_trace_intern (_ls_loop_trace (loop), message), effective);
  return effective;
}

static void
task_coro_entry (gpointer data)
{
  LsTask *self = data;
  GError *error = NULL;
  GVariant *result;

  result = self->func (self->data, &error);
  /* the function gives its result up: a floating reference is sunk, a
   * full one taken over (ls-future.h) */
  self->body_result = result != NULL ? g_variant_take_ref (result) : NULL;
  self->body_error = error;
  self->finished_body = TRUE;
}

static void
task_step_handle (gpointer a,
                  gpointer b)
{
  _ls_task_run_step (a);
}

static void
task_finish (LsTask *self)
{
  LsFuture *base = &self->base;
  LsLoop *loop = base->loop;
  GError *error = g_steal_pointer (&self->body_error);
  LsOutcome outcome;

  if (self->coro != NULL)
    {
      ls_coro_free (self->coro);
      self->coro = NULL;
    }
  _ls_loop_task_done (loop, &self->all_tasks_link);
  self->all_tasks_link.data = NULL;

  if (error != NULL && ls_error_is_cancelled (error))
    outcome = LS_OUTCOME_CANCELLED;
  else if (error != NULL)
    outcome = LS_OUTCOME_FAILED;
  else if (self->must_cancel)
    outcome = LS_OUTCOME_CANCELLED;
  else
    outcome = LS_OUTCOME_RESULT;

  ls_trace_here (loop, LS_TRACE_TASK_DONE, outcome, base->id, 0,
                 error != NULL ? ls_trace_intern (_ls_loop_trace (loop), error->message)
                 : outcome == LS_OUTCOME_CANCELLED
                   ? ls_trace_intern (_ls_loop_trace (loop), base->cancel_message) : 0,
                 error != NULL ? error->code : 0);

  switch (outcome)
    {
    case LS_OUTCOME_CANCELLED:
      if (error != NULL)
        future_cancel_base (base, NULL, error); /* the coroutine raised CancelledError */
      else
        {
          /* cancelled right before the coroutine returned */
          g_autofree char *message = g_strdup (base->cancel_message);

          self->must_cancel = FALSE;
          future_cancel_base (base, message, NULL);
        }
      break;
    case LS_OUTCOME_FAILED:
      ls_future_set_exception (base, error, NULL);
      break;
    case LS_OUTCOME_RESULT:
    default:
      /* the future takes its own reference; the task's goes */
      ls_future_set_result (base, self->body_result, NULL);
      g_clear_pointer (&self->body_result, g_variant_unref);
      break;
    }

  ls_task_unref (self); /* the loop's reference */
}

/* What happens on the loop's stack after the coroutine switched back. */
static void
task_after_switch (LsTask *self)
{
  LsLoop *loop = self->base.loop;
  LsFuture *future;

  _ls_current_task = NULL;

  if (self->finished_body)
    {
      task_finish (self);
      return;
    }

  switch (self->yield_kind)
    {
    case LS_YIELD_BARE:
      ls_trace_here (loop, LS_TRACE_TASK_SUSPEND, LS_WAIT_YIELD, self->base.id, 0, 0, -1);
      _ls_loop_push_ready (loop, LS_HANDLE_TASK_STEP, task_step_handle, self, NULL,
                           ls_future_ref (&self->base), self->base.id, self->base.id);
      break;

    case LS_YIELD_FUTURE:
      future = self->yield_future;
      ls_trace_here (loop, LS_TRACE_TASK_SUSPEND, future->wait_reason, self->base.id,
                     future->wait_object, future->id, future->wait_deadline);
      ls_future_add_done_callback (future, task_wakeup, self);
      self->fut_waiter = ls_future_ref (future);
      if (self->must_cancel && ls_future_cancel (future, self->base.cancel_message))
        self->must_cancel = FALSE;
      break;

    case LS_YIELD_NONE:
    case LS_YIELD_BLOCKING:
    default:
      g_assert_not_reached ();
    }
}

static void
task_resume (LsTask *self)
{
  _ls_current_task = self;
  running_loop = self->base.loop;
  ls_coro_resume (self->coro);
  if (self->yield_kind == LS_YIELD_BLOCKING)
    return; /* the loop stays blocked with this task current */
  task_after_switch (self);
}

/* Task.__step, with @exc (owned) thrown in when not NULL. */
static void
task_step (LsTask *self,
           GError *exc)
{
  g_assert (self->base.state == LS_FUTURE_PENDING);

  if (self->must_cancel)
    {
      if (!ls_error_is_cancelled (exc))
        {
          g_clear_error (&exc);
          exc = make_cancelled_error (self->base.cancel_message);
        }
      self->must_cancel = FALSE;
    }
  g_clear_pointer (&self->fut_waiter, ls_future_unref);

  if (self->coro == NULL)
    {
      if (exc != NULL)
        {
          /* throw() into a coroutine that never started: its body never runs */
          self->body_error = exc;
          self->finished_body = TRUE;
          _ls_current_task = self;
          task_after_switch (self);
          return;
        }
      self->coro = ls_coro_new (task_coro_entry, self);
    }
  self->resume_error = exc;
  task_resume (self);
}

void
_ls_task_run_step (LsTask *self)
{
  task_step (self, NULL);
}

void
_ls_task_continue (LsTask *self)
{
  self->yield_kind = LS_YIELD_NONE;
  task_resume (self);
}

/* Task.__wakeup: a done callback on the future the task awaited. */
static void
task_wakeup (LsFuture *future,
             gpointer  data)
{
  LsTask *self = data;
  GError *exc = NULL;

  /* future.result(), raising into the coroutine */
  if (future->state == LS_FUTURE_CANCELLED)
    exc = _ls_future_make_cancelled_error (future);
  else if (future->error != NULL)
    exc = g_error_copy (future->error);
  task_step (self, exc);
}

LsTask *
ls_task_new (LsLoop        *loop,
             const char    *name,
             LsTaskFunc     func,
             gpointer       data,
             GDestroyNotify data_destroy)
{
  LsTask *self;
  LsTrace *trace;
  guint number;

  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (LsTask, 1);
  _ls_future_init (&self->base, loop, LS_FUTURE_KIND_TASK);
  self->base.ref_count = 2; /* the caller's, and the loop's until it is done */
  self->base.cancel = task_cancel;
  self->base.finalize = task_finalize;
  self->base.wait_reason = LS_WAIT_TASK;
  self->func = func;
  self->data = data;
  self->data_destroy = data_destroy;
  self->creator_id = _ls_loop_current_task_id (loop);

  trace = _ls_loop_trace (loop);
  /* Like CPython, every task takes a number, named or not. The default
   * name "Task-N" is not interned: readers make it from the number in the
   * OBJECT_NEW record, which keeps spawning 100,000 tasks cheap. */
  number = _ls_loop_next_task_number (loop);
  self->number = number;
  if (name != NULL)
    self->name_id = ls_trace_intern (trace, name);

  ls_trace_here (loop, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, self->creator_id, self->base.id,
                 self->name_id, number);
  self->all_tasks_link.data = self;
  _ls_loop_task_added (loop, &self->all_tasks_link);
  _ls_loop_push_ready (loop, LS_HANDLE_TASK_STEP, task_step_handle, self, NULL,
                       ls_future_ref (&self->base), self->base.id, self->creator_id);
  return self;
}

/* asyncio.runners._cancel_all_tasks: every pending task, in creation
 * order. A task that is cancelled again is one that went on after the
 * previous cancellation (or started a new wait in its cleanup). */
guint
_ls_tasks_cancel_pending (LsLoop *loop)
{
  g_autoptr(GPtrArray) tasks = ls_loop_all_tasks (loop);

  for (guint i = 0; i < tasks->len; i++)
    ls_task_cancel (g_ptr_array_index (tasks, i), NULL);
  return tasks->len;
}

/* The fallback when cancelling did not end a task: it is marked cancelled
 * without running again, and its coroutine, suspended mid-way, is
 * abandoned with its frames (ls_coro_abandon): what they own is leaked,
 * the stack's memory is given back. A task that never started has no
 * frames and simply goes. */
void
_ls_tasks_abandon_pending (LsLoop *loop)
{
  LsTask *self;

  while ((self = _ls_loop_first_task (loop)) != NULL)
    {
      if (self->coro != NULL && !self->finished_body)
        g_warning ("Loopscope: task %s still ran after %u cancellations when its loop closed; "
                   "its coroutine is abandoned with what its frames hold",
                   ls_task_get_name (self), self->num_cancels_requested);
      _ls_loop_task_done (loop, &self->all_tasks_link);
      self->all_tasks_link.data = NULL;
      if (self->fut_waiter != NULL)
        {
          ls_future_remove_done_callback (self->fut_waiter, task_wakeup, self);
          g_clear_pointer (&self->fut_waiter, ls_future_unref);
        }
      if (self->coro != NULL)
        {
          if (self->finished_body)
            ls_coro_free (self->coro);
          else
            ls_coro_abandon (self->coro);
          self->coro = NULL;
        }
      if (_ls_current_task == self)
        _ls_current_task = NULL;  /* it was blocked in time.sleep */
      self->must_cancel = FALSE;
      future_cancel_base (&self->base, NULL, NULL);
      ls_task_unref (self); /* the loop's reference */
    }
}

LsTask *
ls_task_create (const char    *name,
                LsTaskFunc     func,
                gpointer       data,
                GDestroyNotify data_destroy)
{
  LsLoop *loop = ls_loop_current ();

  g_return_val_if_fail (loop != NULL, NULL);
  return ls_task_new (loop, name, func, data, data_destroy);
}

LsTask *
ls_task_ref (LsTask *self)
{
  return (LsTask *) ls_future_ref (&self->base);
}

void
ls_task_unref (LsTask *self)
{
  ls_future_unref (&self->base);
}

LsTask *
ls_task_current (void)
{
  return _ls_current_task;
}

LsLoop *
ls_loop_current (void)
{
  if (_ls_current_task != NULL)
    return _ls_current_task->base.loop;
  return running_loop;
}

void
_ls_set_running_loop (LsLoop *loop)
{
  running_loop = loop;
}

const char *
ls_task_get_name (LsTask *self)
{
  if (self->name_id == 0)
    {
      if (self->default_name == NULL)
        self->default_name = g_strdup_printf ("Task-%u", self->number);
      return self->default_name;
    }
  return ls_trace_get_string (_ls_loop_trace (self->base.loop), self->name_id);
}

guint32
ls_task_get_id (LsTask *self)
{
  return self->base.id;
}

gboolean
ls_task_cancel (LsTask     *self,
                const char *message)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return ls_future_cancel (&self->base, message);
}

guint
ls_task_cancelling (LsTask *self)
{
  return self->num_cancels_requested;
}

guint
ls_task_uncancel (LsTask *self)
{
  if (self->num_cancels_requested > 0)
    self->num_cancels_requested--;
  return self->num_cancels_requested;
}

GVariant *
ls_task_await (LsTask  *self,
               GError **error)
{
  return ls_future_await (&self->base, error);
}
