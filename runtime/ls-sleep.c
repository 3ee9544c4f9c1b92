/* SPDX-License-Identifier: MIT
 *
 * asyncio.sleep and time.sleep. asyncio.sleep (0) is a bare yield: the
 * task's next step goes to the back of the ready queue. A longer sleep is
 * a future completed by a timer, exactly as in CPython (the timer is
 * cancelled when the sleep is). time.sleep blocks the whole loop, or, on an
 * executor's worker thread, only that thread.
 */
#include "config.h"

#include "ls-future.h"

#include "ls-executor.h"
#include "ls-runtime-private.h"

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

  if ((task = _ls_task_require ("ls_sleep", error)) == NULL)
    return FALSE;
  if (seconds <= 0)
    {
      if (!_ls_task_suspend (task, LS_YIELD_BARE, NULL, error))
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

static gboolean
sleep_without_result (double   seconds,
                      GError **error)
{
  g_autoptr(GVariant) out = NULL;

  return sleep_common (seconds, NULL, &out, error);
}

gboolean
ls_sleep (double   seconds,
          GError **error)
{
  LsTask *task = _ls_current_task;

  /* sleep(0), the hottest path there is: a bare yield */
  if (seconds <= 0 && G_LIKELY (task != NULL))
    return _ls_task_suspend (task, LS_YIELD_BARE, NULL, error);
  return sleep_without_result (seconds, error);
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
  LsLoop *loop = ls_loop_current ();

  /* time.sleep on an executor's worker thread: only that thread waits */
  if (task == NULL && _ls_executor_worker_sleep (ls_seconds_to_ns (seconds)))
    return;

  g_return_if_fail (loop != NULL);
  if (seconds <= 0)
    return;
  _ls_loop_block (loop, task, ls_seconds_to_ns (seconds));
}
