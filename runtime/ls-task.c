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

/* The most handles that tasks run by switching to each other before the
 * scheduler's stack is back in control (it reads the clock for a
 * dispatch's time budget every 32 handles). */
#define MAX_DIRECT_CHAIN 32

LS_THREAD_LOCAL LsTask *_ls_current_task;
static LS_THREAD_LOCAL LsLoop *running_loop;
/* The task whose coroutine switched to the scheduler last */
static LS_THREAD_LOCAL LsTask *switched_out;

static void task_switch_out (LsTask *self);

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

/* Suspends the current task until its next step resumes it. Returns FALSE
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
  task_switch_out (task);
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

/* TASK_DONE's arg: the error's code, and its Python class's name when
 * the code does not say it */
static gint64
error_arg (LsLoop       *loop,
           const GError *error)
{
  gint code = ls_error_get_trace_code (error);
  const char *name = ls_error_get_python_name (error);

  if (g_str_equal (name, ls_runtime_error_code_name (code)))
    return ls_trace_error_arg (code, 0);
  return ls_trace_error_arg (code, ls_trace_intern (_ls_loop_trace (loop), name));
}

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
  /* mostly all NULL by now: tested here rather than in GLib's
   * g_clear_* functions, a call each */
  if (self->fut_waiter != NULL)
    ls_future_unref (self->fut_waiter);
  if (self->body_result != NULL)
    g_variant_unref (self->body_result);
  if (self->body_error != NULL)
    g_error_free (self->body_error);
  if (self->resume_error != NULL)
    g_error_free (self->resume_error);
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
  /* the coroutine returns to the scheduler, which finishes the task off
   * its stack */
  switched_out = self;
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
                 error != NULL ? error_arg (loop, error) : 0);

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

/* What a task's suspension leaves for the loop, on the task's own stack
 * right before it switches out: its TASK_SUSPEND, and what will wake it. */
static void
task_after_yield (LsTask *self)
{
  LsLoop *loop = self->base.loop;
  LsFuture *future;

  switch (self->yield_kind)
    {
    case LS_YIELD_BARE:
      ls_trace_here (loop, LS_TRACE_TASK_SUSPEND, LS_WAIT_YIELD, self->base.id, 0, 0, -1);
      _ls_loop_push_ready (loop, LS_HANDLE_TASK_STEP, task_step_handle, self, NULL, NULL,
                           self->base.id, self->base.id);
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

/* Task.__step up to where the coroutine runs, with @exc (owned) to be
 * thrown in when not NULL. FALSE when the step ends the task without
 * running it (an exception thrown into a coroutine that never started). */
static inline gboolean
task_step_begin (LsTask *self,
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
          return FALSE;
        }
      self->coro = ls_coro_new (task_coro_entry, self);
    }
  self->resume_error = exc;
  return TRUE;
}

/* future.result () in Task.__wakeup: what is raised into the coroutine */
static GError *
wakeup_exception (LsFuture *future)
{
  if (future->state == LS_FUTURE_CANCELLED)
    return _ls_future_make_cancelled_error (future);
  if (future->error != NULL)
    return g_error_copy (future->error);
  return NULL;
}

/* On the scheduler's stack. Control comes back when a task switches to
 * the scheduler: @self, or a task that one switched to. It finished its
 * body (the task is finished here, off its stack), blocked the loop in
 * time.sleep, or suspended, in which case it did its part already. */
static void
task_resume (LsTask *self)
{
  LsTask *back;

  _ls_current_task = self;
  running_loop = self->base.loop;
  ls_coro_resume (self->coro);
  back = switched_out;
  switched_out = NULL;
  if (back->yield_kind == LS_YIELD_BLOCKING)
    return; /* the loop stays blocked with that task current */
  _ls_current_task = NULL;
  if (back->finished_body)
    task_finish (back);
}

/* Task.__step, with @exc (owned) thrown in when not NULL. */
static void
task_step (LsTask *self,
           GError *exc)
{
  if (!task_step_begin (self, exc))
    {
      _ls_current_task = NULL;
      task_finish (self);
      return;
    }
  task_resume (self);
}

/* The next handle, when it is a task's step or wakeup that the task
 * switching out can hand the thread to: it is taken (HANDLE_RUN) and the
 * step begun, as the scheduler would. At the end of the batch the next
 * iteration begins here when it can. NULL for anything else (a callback,
 * a timer, a step that ends its task without running it, an iteration
 * boundary that needs the scheduler), which the scheduler runs. */
static LsTask *
take_next_task (LsLoop *loop)
{
  const LsReadyItem *next, *item;
  LsTask *task;
  gboolean skipped;

  if (loop->direct_chain >= MAX_DIRECT_CHAIN)
    return NULL;
  if (loop->batch_remaining == 0 && !_ls_loop_next_iteration (loop))
    return NULL;
  next = &loop->ready[loop->ready_head];
  if (next->kind == LS_HANDLE_TASK_STEP)
    {
      task = next->a;
      if (task->coro == NULL && task->must_cancel)
        return NULL;
    }
  else if (next->kind == LS_HANDLE_TASK_WAKEUP)
    task = next->b;
  else
    return NULL;

  loop->direct_chain++;
  item = _ls_loop_begin_handle (loop, &skipped);
  if (!task_step_begin (task, item->kind == LS_HANDLE_TASK_WAKEUP
                              ? wakeup_exception (item->a) : NULL))
    g_assert_not_reached ();
  return task;
}

/* On the task's own stack, as it suspends: it records what wakes it, the
 * handle that ran it is over, and the thread goes to the next handle of
 * the iteration: straight to its task's coroutine when it runs a task
 * (one context switch instead of two, and no trip through the
 * scheduler's loop), otherwise to the scheduler. The records are the same
 * either way, in the same order. */
static void
task_switch_out (LsTask *self)
{
  LsLoop *loop = self->base.loop;
  LsTask *next;

  _ls_current_task = NULL;
  task_after_yield (self);
  _ls_loop_end_handle (loop);
  next = take_next_task (loop);
  if (next == self)
    _ls_current_task = self; /* the next handle is its own step: it goes on */
  else if (next != NULL)
    {
      _ls_current_task = next;
      ls_coro_switch_to (next->coro);
    }
  else
    {
      switched_out = self;
      ls_coro_yield ();
    }
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

/* time.sleep paced on the loop's thread: the task switches to the
 * scheduler, and the loop stays blocked with it until _ls_task_continue */
void
_ls_task_yield_blocked (LsTask *self)
{
  self->yield_kind = LS_YIELD_BLOCKING;
  switched_out = self;
  ls_coro_yield ();
}

/* Task.__wakeup: a done callback on the future the task awaited. */
void
_ls_task_wakeup (LsFuture *future,
                 gpointer  data)
{
  task_step (data, wakeup_exception (future));
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

  self = _ls_future_alloc (sizeof (LsTask));
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
  _ls_loop_push_ready (loop, LS_HANDLE_TASK_STEP, task_step_handle, self, NULL, NULL,
                       self->base.id, self->creator_id);
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
