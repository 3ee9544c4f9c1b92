/* SPDX-License-Identifier: MIT
 *
 * asyncio.run(), transcribed from CPython 3.11's runners.py: the main
 * task, then _cancel_all_tasks, then shutdown_default_executor. The loop
 * calls us where a stopped iteration ends (_ls_loop_set_stop_func), which is
 * where CPython's run_until_complete returns and the next step of
 * Runner.close begins.
 *
 * Two steps of Runner.close have no counterpart: shutdown_asyncgens (there
 * are no async generators here) and the task CPython makes to run
 * shutdown_default_executor (we wait on the executor's idle future
 * directly), so the iterations after the cancelled tasks are done differ.
 */
#include "config.h"

#include "ls-runner.h"

#include "ls-combinators.h"
#include "ls-error.h"
#include "ls-executor.h"
#include "ls-runtime-private.h"

typedef enum
{
  PHASE_MAIN,        /* Runner.run: run_until_complete (main) */
  PHASE_CANCELLING,  /* _cancel_all_tasks: run_until_complete (gather (...)) */
  PHASE_EXECUTOR,    /* shutdown_default_executor */
  PHASE_FINISHED,
} Phase;

struct _LsRunner
{
  LsLoop       *loop;
  GMainContext *context;
  LsTask       *main_task;
  LsFuture     *waiting_for;  /* what the current phase runs until */
  Phase         phase;
  gboolean      stopped_early;
};

/* run_until_complete (@future), taking it: the loop stops by itself
 * where the iteration after the one in which it completes ends */
static void
run_until (LsRunner *self,
           LsFuture *future)
{
  g_clear_pointer (&self->waiting_for, ls_future_unref);
  self->waiting_for = future;
  ls_loop_set_stop_future (self->loop, future);
}

/* _cancel_all_tasks: cancel what is left and run it to completion */
static gboolean
cancel_all_tasks (LsRunner *self)
{
  g_autoptr(GPtrArray) to_cancel = ls_loop_all_tasks (self->loop);

  if (to_cancel->len == 0)
    return FALSE;
  for (guint i = 0; i < to_cancel->len; i++)
    ls_task_cancel (g_ptr_array_index (to_cancel, i), NULL);
  run_until (self, ls_gather_start (self->loop, (LsFuture **) to_cancel->pdata, to_cancel->len,
                                    TRUE));
  return TRUE;
}

static void
next_phase (LsRunner *self)
{
  LsFuture *idle;

  switch (self->phase)
    {
    case PHASE_MAIN:
      self->phase = PHASE_CANCELLING;
      if (cancel_all_tasks (self))
        return;
      G_GNUC_FALLTHROUGH;
    case PHASE_CANCELLING:
      self->phase = PHASE_EXECUTOR;
      idle = _ls_executor_shutdown_default (self->loop);
      if (idle != NULL)
        {
          run_until (self, idle);
          return;
        }
      G_GNUC_FALLTHROUGH;
    case PHASE_EXECUTOR:
    default:
      run_until (self, NULL);
      self->phase = PHASE_FINISHED;
      break;
    }
}

/* Where the iteration in which the loop was stopped ends. */
static void
runner_on_stop (LsLoop  *loop,
                gpointer data)
{
  LsRunner *self = data;

  if (self->phase == PHASE_FINISHED)
    return;
  if (self->waiting_for != NULL && !ls_future_is_done (self->waiting_for))
    {
      /* loop.stop() from the program: run_until_complete raises */
      self->stopped_early = TRUE;
      return;
    }
  next_phase (self);
}

LsRunner *
ls_runner_new (LsLoop *loop,
               LsTask *main_task)
{
  LsRunner *self;

  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  g_return_val_if_fail (main_task != NULL, NULL);

  self = g_new0 (LsRunner, 1);
  self->loop = g_object_ref (loop);
  self->context = g_main_context_ref_thread_default ();
  self->main_task = ls_task_ref (main_task);
  self->phase = PHASE_MAIN;
  run_until (self, ls_future_ref (LS_FUTURE (main_task)));
  _ls_loop_set_stop_func (loop, runner_on_stop, self);
  return self;
}

void
ls_runner_free (LsRunner *self)
{
  if (self == NULL)
    return;
  _ls_loop_set_stop_func (self->loop, NULL, NULL);
  run_until (self, NULL);
  ls_task_unref (self->main_task);
  g_main_context_unref (self->context);
  g_object_unref (self->loop);
  g_free (self);
}

LsTask *
ls_runner_get_main_task (LsRunner *self)
{
  return self->main_task;
}

gboolean
ls_runner_is_finished (LsRunner *self)
{
  return self->phase == PHASE_FINISHED;
}

static gboolean
run_while (LsRunner *self,
           Phase     phase,
           GError  **error)
{
  while (self->phase <= phase && !self->stopped_early)
    {
      if (!ls_loop_get_paused (self->loop) && !ls_loop_has_work (self->loop))
        {
          ls_trace_flush (ls_loop_get_trace (self->loop));
          g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_DEADLOCK,
                               "Nothing is ready, no timer is pending and no I/O is in "
                               "flight: the awaited future can never complete");
          return FALSE;
        }
      g_main_context_iteration (self->context, TRUE);
    }
  ls_trace_flush (ls_loop_get_trace (self->loop));
  if (self->stopped_early)
    {
      self->stopped_early = FALSE;
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Event loop stopped before Future completed.");
      return FALSE;
    }
  return TRUE;
}

gboolean
ls_runner_run_main (LsRunner *self,
                    GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return run_while (self, PHASE_MAIN, error);
}

gboolean
ls_runner_close (LsRunner *self,
                 GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return run_while (self, PHASE_EXECUTOR, error);
}

gboolean
ls_runner_run (LsRunner *self,
               GError  **error)
{
  return ls_runner_run_main (self, error) && ls_runner_close (self, error);
}
