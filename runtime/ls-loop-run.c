/* SPDX-License-Identifier: MIT
 *
 * Running the loop. One iteration does what CPython's _run_once does: move
 * finished I/O into the ready queue, (on the virtual clock) jump to the
 * next deadline when nothing is ready, move every due timer into the ready
 * queue in (deadline, scheduling order), then run exactly the callbacks
 * that were ready at that moment; whatever they schedule runs in the next
 * iteration. A blocking time.sleep stops it until the paced clock reaches
 * its end.
 *
 * A GSource on the thread-default GMainContext drives it, just below GTK's
 * redraw priority, so input and redraws always come first and a busy run
 * cannot starve them, and each dispatch runs as many iterations as fit in
 * a few milliseconds (a long batch is split across dispatches; the trace
 * still shows one iteration). The loop stops where CPython's run_forever
 * would: at the end of the iteration in which stop () was called.
 */
#include "config.h"

#include <math.h>

#include "ls-error.h"
#include "ls-loop-private.h"

#define DISPATCH_BUDGET_US 6000
/* Above GDK_PRIORITY_REDRAW (G_PRIORITY_HIGH_IDLE + 20), below GTK's resize
 * and input: a window that is always drawing (a tick callback, a slow
 * renderer) cannot hold the run back. And so that the run cannot hold the
 * window back either, a dispatch that used up its budget with work left
 * steps aside for YIELD_US before the next. */
#define LOOP_SOURCE_PRIORITY (G_PRIORITY_HIGH_IDLE + 15)
#define YIELD_US 4000

typedef struct
{
  GSource source;
  LsLoop *loop;
} LsLoopSource;

/* ---- blocking (time.sleep) -------------------------------------------- */

void
_ls_loop_block (LsLoop *self,
                LsTask *task,
                gint64  duration_ns)
{
  guint32 task_id = task != NULL ? task->base.id : 0;

  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_BLOCKED_BEGIN, 0, task_id, 0, 0,
                   self->now + duration_ns);
  if (self->speed <= 0 || task == NULL)
    {
      /* Nothing else can run meanwhile, so the clock simply moves. */
      self->now += duration_ns;
      ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_BLOCKED_END, 0, task_id, 0, 0, 0);
      return;
    }
  self->blocked_task = task;
  self->blocked_until = self->now + duration_ns;
  _ls_task_yield_blocked (task);
}

static gboolean
finish_block_if_due (LsLoop  *self,
                     gboolean force)
{
  LsTask *task = self->blocked_task;

  if (task == NULL)
    return TRUE;
  if (_ls_loop_pace_limit (self) < self->blocked_until && !force)
    return FALSE;
  /* time.sleep(d) lasts exactly d: the paced clock only says when the
   * window may see it end */
  self->blocked_task = NULL;
  _ls_loop_jump_clock_to (self, self->blocked_until);
  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_BLOCKED_END, 0, task->base.id, 0, 0, 0);
  _ls_task_continue (task);
  return TRUE;
}
/* ---- iterations ------------------------------------------------------- */

/* Runs the next handle of the batch. A task's step may go on with more
 * handles of the batch (a task switches straight to the next ready task,
 * ls-task.c) before control comes back here: what the last one held goes
 * then. */
static void
run_one_handle (LsLoop *self)
{
  gboolean skipped;
  const LsReadyItem *item = _ls_loop_begin_handle (self, &skipped);
  LsCallback func = item->func;
  gpointer a = item->a, b = item->b;

  self->direct_chain = 0;
  if (!skipped)
    {
      self->cause = item->kind == LS_HANDLE_TASK_STEP || item->kind == LS_HANDLE_TASK_WAKEUP
                    ? 0 : item->cause_id;
      func (a, b);
    }
  _ls_loop_end_handle (self);
}

/* What CPython's _run_once does before running callbacks. Returns FALSE
 * when there is nothing to run now. */
static gboolean
begin_iteration (LsLoop  *self,
                 gboolean step)
{
  if (self->io_done->len > 0)
    _ls_loop_io_deliver (self);

  if (self->heap_cancelled > 0)
    _ls_loop_heap_drop_cancelled (self);
  if (self->ready_len == 0)
    {
      gint64 next = _ls_loop_next_deadline (self);

      if (next != G_MAXINT64 && next > self->now)
        {
          /* never past I/O in flight, unless all of it is parked; and,
           * unless stepping, not before the paced clock gets there */
          if (!_ls_loop_io_settled (self) || (!step && _ls_loop_pace_limit (self) < next))
            return FALSE;
          _ls_loop_jump_clock_to (self, next);
        }
    }
  /* a peer's own code, outside the iteration: what it sets off comes back
   * as I/O */
  if (self->parks->len > 0)
    _ls_loop_fire_due_parks (self);

  while (self->heap_len > 0 && self->heap[0]->deadline <= self->now)
    {
      LsTimer *timer = _ls_loop_heap_pop (self);
      LsReadyItem *item;

      if (!timer->cancelled)
        ls_trace_append (self->chunks, self->now, LS_TRACE_TIMER_FIRE, 0, 0, timer->id,
                         self->next_handle_id + 1, 0);
      _ls_loop_push_ready (self, LS_HANDLE_TIMER, _ls_loop_timer_handle_run, timer, NULL, NULL, 0,
                           timer->id);
      item = &self->ready[(self->ready_head + self->ready_len - 1) & (self->ready_cap - 1)];
      item->timer = timer; /* the heap's reference moves to the handle */
    }

  if (self->ready_len == 0)
    return FALSE;

  self->iteration++;
  self->in_iteration = TRUE;
  self->batch_remaining = self->ready_len;
  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0,
                   self->ready_len, 0, self->iteration);
  return TRUE;
}

static void
end_iteration (LsLoop *self)
{
  self->in_iteration = FALSE;
  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_ITERATION_END, 0, 0, 0, 0,
                   self->iteration);
}

gboolean
_ls_loop_next_iteration (LsLoop *self)
{
  if (!self->in_iteration || self->batch_remaining > 0 || self->run_single || self->stopping
      || self->paused || self->stopped || self->blocked_task != NULL || self->ready_len == 0
      || self->io_done->len > 0 || self->parks->len > 0 || self->n_handles >= self->run_next_check)
    return FALSE;
  end_iteration (self);
  /* work is ready: no clock to move, nothing to wait for */
  return begin_iteration (self, FALSE);
}

/* Wall-clock microseconds until the paced clock reaches @when (0: it has). */
static gint64
wall_us_until (LsLoop *self,
               gint64  when)
{
  gint64 left = when - _ls_loop_pace_limit (self); /* one reading of the clock */

  if (left <= 0)
    return 0;
  return MAX ((gint64) ceil ((double) left / 1000.0 / self->speed), 1);
}

/* 0: work is ready now; -1: nothing will happen by itself (only I/O, a
 * resume or a step can move the run on); otherwise the wall-clock
 * microseconds until the paced clock reaches the next deadline. */
static gint64
time_until_work (LsLoop *self)
{
  gint64 next;

  if (self->paused || self->stopped)
    return -1;
  if (self->blocked_task != NULL)
    return wall_us_until (self, self->blocked_until);
  if (self->in_iteration || self->ready_len > 0)
    return 0;
  if (self->io_done->len > 0 && _ls_loop_io_settled (self))
    return 0;
  if (!_ls_loop_io_settled (self))
    return -1; /* the virtual clock never jumps past I/O in flight */
  _ls_loop_heap_drop_cancelled (self);
  next = _ls_loop_next_deadline (self);
  if (next == G_MAXINT64)
    return -1;
  if (next <= self->now || self->speed <= 0)
    return 0;
  return wall_us_until (self, next);
}

gboolean
ls_loop_has_work (LsLoop *self)
{
  _ls_loop_heap_drop_cancelled (self);
  return self->blocked_task != NULL || self->in_iteration || self->ready_len > 0
         || self->io_done->len > 0 || self->heap_len > 0 || self->io_in_flight > 0
         || self->parks->len > 0;
}

/* Run handles until the time budget ends or nothing is ready. */
void
_ls_loop_run_handles (LsLoop  *self,
                      gint64   budget_end_us,
                      gboolean single_iteration)
{
  self->run_single = single_iteration;
  self->run_next_check = self->n_handles + 32;
  _ls_set_running_loop (self);
  if (!self->clock_started)
    {
      self->clock_started = TRUE;
      self->pace_base_us = g_get_monotonic_time ();
    }
  for (;;)
    {
      if (self->blocked_task != NULL && !finish_block_if_due (self, single_iteration))
        return;

      if (!self->in_iteration)
        {
          if (!begin_iteration (self, single_iteration))
            return;
        }

      while (self->batch_remaining > 0)
        {
          run_one_handle (self);
          if (self->blocked_task != NULL)
            break;
          /* Reading the clock costs as much as a switch: the budget is
           * checked every 32 handles (those tasks ran by switching to
           * each other included). */
          if (self->n_handles >= self->run_next_check)
            {
              self->run_next_check = self->n_handles + 32;
              if (!single_iteration && budget_end_us > 0
                  && g_get_monotonic_time () > budget_end_us)
                return;
            }
        }
      if (self->blocked_task != NULL)
        continue;

      end_iteration (self);
      if (self->stopping)
        {
          /* run_forever's `if self._stopping: break`, after _run_once;
           * a runner may go on with a next future to run until */
          self->stopping = FALSE;
          self->n_stops++;
          if (self->stop_func != NULL)
            self->stop_func (self, self->stop_data);
          if (self->stop_when_done == NULL || ls_future_is_done (self->stop_when_done))
            {
              self->stopped = TRUE;
              _ls_loop_notify (self, LS_LOOP_PROP_STOPPED);
            }
          return;
        }
      if (single_iteration)
        return;
      /* the budget again, on the same 32-handle beat: an iteration may be
       * one handle long */
      if (self->n_handles >= self->run_next_check)
        {
          self->run_next_check = self->n_handles + 32;
          if (budget_end_us > 0 && g_get_monotonic_time () > budget_end_us)
            return;
        }
      if (self->paused || time_until_work (self) != 0)
        return;
    }
}

gboolean
ls_loop_step (LsLoop *self)
{
  guint64 before;
  gboolean was_in_iteration;

  g_return_val_if_fail (LS_IS_LOOP (self), FALSE);
  g_return_val_if_fail (_ls_current_task == NULL, FALSE);

  if (self->stopped || self->closed)
    return FALSE;

  /* A step that begins mid-batch (the GSource ran out of budget) only
   * finishes that batch; it does not start the next one as well. */
  before = self->iteration;
  was_in_iteration = self->in_iteration;
  _ls_loop_run_handles (self, 0, TRUE);
  /* a step may jump ahead of the paced clock: pacing resumes from there */
  if (self->pace_base < self->now)
    self->pace_base = self->now;
  self->pace_base_us = g_get_monotonic_time ();
  ls_trace_flush (self->trace);
  return was_in_iteration || self->iteration != before;
}
/* ---- the GSource ------------------------------------------------------ */

static gboolean
loop_source_prepare (GSource *source,
                     gint    *timeout)
{
  LsLoop *self = ((LsLoopSource *) source)->loop;
  gint64 wait = time_until_work (self);

  if (wait >= 0 && self->yield_until_us > 0)
    {
      gint64 left = self->yield_until_us - g_get_monotonic_time ();

      if (left > 0)
        wait = MAX (wait, left);
      else
        self->yield_until_us = 0;
    }
  if (wait == 0)
    {
      *timeout = 0;
      return TRUE;
    }
  if (wait < 0)
    *timeout = -1;
  else
    *timeout = (gint) MIN ((wait + 999) / 1000, G_MAXINT);
  return FALSE;
}

static gboolean
loop_source_check (GSource *source)
{
  LsLoop *self = ((LsLoopSource *) source)->loop;

  if (self->yield_until_us > 0 && g_get_monotonic_time () < self->yield_until_us)
    return FALSE;
  return time_until_work (self) == 0;
}

static gboolean
loop_source_dispatch (GSource    *source,
                      GSourceFunc callback,
                      gpointer    user_data)
{
  LsLoop *self = ((LsLoopSource *) source)->loop;
  gint64 end = g_get_monotonic_time () + DISPATCH_BUDGET_US;

  self->yield_until_us = 0;
  _ls_loop_run_handles (self, end, FALSE);
  ls_trace_flush (self->trace);
  /* out of budget with work left: let the window have the main loop */
  if (g_get_monotonic_time () >= end && time_until_work (self) == 0)
    self->yield_until_us = g_get_monotonic_time () + YIELD_US;
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs loop_source_funcs = {
  loop_source_prepare,
  loop_source_check,
  loop_source_dispatch,
  NULL, NULL, NULL,
};

void
_ls_loop_attach_source (LsLoop *self)
{
  LsLoopSource *source;

  self->source = g_source_new (&loop_source_funcs, sizeof (LsLoopSource));
  source = (LsLoopSource *) self->source;
  source->loop = self;
  g_source_set_priority (self->source, LOOP_SOURCE_PRIORITY);
  g_source_set_static_name (self->source, "[loopscope] event loop");
  g_source_attach (self->source, self->context);
}

void
ls_loop_stop (LsLoop *self)
{
  g_return_if_fail (LS_IS_LOOP (self));
  self->stopping = TRUE;
}

void
_ls_loop_set_stop_func (LsLoop        *self,
                        LsLoopStopFunc func,
                        gpointer       data)
{
  self->stop_func = func;
  self->stop_data = data;
}

/* _run_until_complete_cb: a done callback, so it runs in the iteration
 * after the one in which the future completed, with whatever else that
 * iteration queued (the last step's call_soon, the wake-ups it caused, the
 * future's own later done callbacks) */
void
_ls_loop_run_until_complete_cb (LsFuture *future,
                                gpointer  data)
{
  LsLoop *self = data;

  /* one queued before the loop moved on to another future is spent */
  if (future == self->stop_when_done)
    ls_loop_stop (self);
}

/**
 * ls_loop_set_stop_future:
 * @future: (nullable): what the loop runs until
 *
 * The loop stops by itself, as run_until_complete () does, once @future is
 * done: a done callback stops it where the next iteration ends, and from
 * then on nothing runs (LsLoop:stopped) until another future is set. A
 * window driving the loop through its GSource and the command line waiting
 * in ls_loop_run_until_complete () thus stop at the same record.
 */
void
ls_loop_set_stop_future (LsLoop   *self,
                         LsFuture *future)
{
  g_return_if_fail (LS_IS_LOOP (self));

  if (future != NULL)
    ls_future_ref (future);
  if (self->stop_when_done != NULL)
    ls_future_remove_done_callback (self->stop_when_done, _ls_loop_run_until_complete_cb, self);
  g_clear_pointer (&self->stop_when_done, ls_future_unref);
  self->stop_when_done = future;
  if (future != NULL)
    ls_future_add_done_callback (future, _ls_loop_run_until_complete_cb, self);
  if (self->stopped)
    {
      self->stopped = FALSE;
      _ls_loop_notify (self, LS_LOOP_PROP_STOPPED);
    }
  g_main_context_wakeup (self->context);
}

gboolean
ls_loop_get_stopped (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), FALSE);
  return self->stopped;
}

gboolean
ls_loop_run_until_complete (LsLoop   *self,
                            LsFuture *future,
                            GError  **error)
{
  guint64 stops;

  g_return_val_if_fail (LS_IS_LOOP (self), FALSE);
  g_return_val_if_fail (future != NULL, FALSE);

  if (self->closed)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Event loop is closed");
      return FALSE;
    }
  ls_loop_set_stop_future (self, future);
  stops = self->n_stops;
  while (self->n_stops == stops)
    {
      if (!self->paused && !ls_loop_has_work (self))
        {
          ls_trace_flush (self->trace);
          if (self->stop_when_done == future)
            ls_loop_set_stop_future (self, NULL);
          g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_DEADLOCK,
                               "Nothing is ready, no timer is pending and no I/O is in "
                               "flight: the awaited future can never complete");
          return FALSE;
        }
      g_main_context_iteration (self->context, TRUE);
    }
  if (self->stop_when_done == future)
    ls_loop_set_stop_future (self, NULL);
  ls_trace_flush (self->trace);
  if (!ls_future_is_done (future))
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Event loop stopped before Future completed.");
      return FALSE;
    }
  return TRUE;
}
