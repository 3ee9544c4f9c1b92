/* SPDX-License-Identifier: MIT
 *
 * Tasks, following CPython 3.11's tasks.py closely enough that the same
 * program schedules the same way:
 *
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
#include "ls-runtime-private.h"

LS_THREAD_LOCAL LsTask *_ls_current_task;
static LS_THREAD_LOCAL LsLoop *running_loop;

/* ---- the coroutine side ----------------------------------------------- */

LsTask *
_ls_task_require (const char *what,
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
gboolean
_ls_task_suspend (LsTask     *task,
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
  if ((task = _ls_task_require ("ls_future_await", error)) == NULL)
    return NULL;

  if (self->state == LS_FUTURE_PENDING)
    {
      if (self == &task->base)
        {
          g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                               "Task cannot await on itself");
          return NULL;
        }
      if (!_ls_task_suspend (task, LS_YIELD_FUTURE, self, error))
        return NULL;
    }
  return ls_future_get_result (self, error);
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
        _ls_future_cancel_base (base, NULL, error); /* the coroutine raised CancelledError */
      else
        {
          /* cancelled right before the coroutine returned */
          g_autofree char *message = g_strdup (base->cancel_message);

          self->must_cancel = FALSE;
          _ls_future_cancel_base (base, message, NULL);
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
      ls_future_add_done_callback (future, _ls_task_wakeup, self);
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
          exc = _ls_cancelled_error_new (self->base.cancel_message);
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
void
_ls_task_wakeup (LsFuture *future,
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
          ls_future_remove_done_callback (self->fut_waiter, _ls_task_wakeup, self);
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
      _ls_future_cancel_base (&self->base, NULL, NULL);
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
