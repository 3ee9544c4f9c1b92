/* SPDX-License-Identifier: MIT
 *
 * asyncio.wait and asyncio.wait_for, transcribed from CPython 3.11's
 * tasks.py: a waiter future released by the awaited futures' done
 * callbacks (_release_waiter) or by a timer. wait_for cancels what it
 * waits for on a timeout and waits for the cancellation to finish. Because
 * tasks are stackful, it reads like the Python: an `await waiter` is
 * ls_future_await (waiter), a `try/except` is a look at the GError.
 */
#include "config.h"

#include "ls-combinators.h"

#include "ls-error.h"
#include "ls-runtime-private.h"

static void
release_waiter (LsFuture *unused,
                gpointer  data)
{
  LsFuture *waiter = data;

  if (!ls_future_is_done (waiter))
    ls_future_set_result (waiter, NULL, NULL);
}

static void
release_waiter_timer (gpointer a,
                      gpointer b)
{
  release_waiter (NULL, a);
}

/* _release_waiter as a done callback that owns a reference to the waiter.
 * Removing a done callback does not recall one that completion already
 * queued, so it may run after the combinator returned (in Python the
 * closure keeps the waiter alive just the same). */
static void
release_waiter_owned (LsFuture *future,
                      gpointer  data)
{
  release_waiter (future, data);
  ls_future_unref (data);
}

static void
add_release_waiter (LsFuture *fut,
                    LsFuture *waiter)
{
  ls_future_add_done_callback (fut, release_waiter_owned, ls_future_ref (waiter));
}

static void
remove_release_waiter (LsFuture *fut,
                       LsFuture *waiter)
{
  if (ls_future_remove_done_callback (fut, release_waiter_owned, waiter) > 0)
    ls_future_unref (waiter);
}

/* ---- wait ------------------------------------------------------------- */

/* Shared by ls_wait and its done callbacks, each of which holds a
 * reference: one already queued by a completion runs even after ls_wait
 * removed the others and returned. */
typedef struct
{
  guint        ref_count;
  LsFuture    *waiter;
  LsTimer     *timeout_handle;
  guint        counter;
  LsReturnWhen return_when;
} WaitState;

static void
wait_state_unref (WaitState *state)
{
  if (--state->ref_count > 0)
    return;
  if (state->timeout_handle != NULL)
    ls_timer_unref (state->timeout_handle);
  ls_future_unref (state->waiter);
  g_free (state);
}

static void
wait_on_completion (LsFuture *f,
                    gpointer  data)
{
  WaitState *state = data;

  state->counter--;
  if (state->counter == 0 || state->return_when == LS_FIRST_COMPLETED
      || (state->return_when == LS_FIRST_EXCEPTION && !ls_future_is_cancelled (f)
          && f->error != NULL))
    {
      if (state->timeout_handle != NULL)
        ls_timer_cancel (state->timeout_handle);
      if (!ls_future_is_done (state->waiter))
        ls_future_set_result (state->waiter, NULL, NULL);
    }
  wait_state_unref (state);
}

gboolean
ls_wait (LsFuture   **futures,
         guint        n_futures,
         double       timeout,
         LsReturnWhen return_when,
         GPtrArray  **done,
         GPtrArray  **pending,
         GError     **error)
{
  LsTask *task = _ls_task_current_or_critical ("ls_wait");
  LsLoop *loop;
  WaitState *state;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GPtrArray) fs = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GError *local_error = NULL;

  if (task == NULL)
    return FALSE;
  if (n_futures == 0)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE,
                           "Set of Tasks/Futures is empty.");
      return FALSE;
    }
  loop = task->base.loop;

  fs = g_ptr_array_new ();
  seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_futures; i++)
    if (g_hash_table_add (seen, futures[i]))
      g_ptr_array_add (fs, futures[i]);

  state = g_new0 (WaitState, 1);
  state->ref_count = 1;
  state->waiter = _ls_future_new_internal (loop, LS_WAIT_WAIT, 0, -1);
  state->return_when = return_when;
  state->counter = fs->len;
  if (timeout != LS_NO_TIMEOUT)
    {
      gint64 deadline = ls_loop_time_ns (loop) + ls_seconds_to_ns (timeout);

      state->timeout_handle = ls_loop_call_at_ns (loop, deadline, LS_WAIT_WAIT, state->waiter->id,
                                                  release_waiter_timer, state->waiter, NULL, NULL);
      state->waiter->wait_deadline = deadline;
    }
  for (guint i = 0; i < fs->len; i++)
    {
      state->ref_count++;
      ls_future_add_done_callback (g_ptr_array_index (fs, i), wait_on_completion, state);
    }

  result = ls_future_await (state->waiter, &local_error);

  if (state->timeout_handle != NULL)
    ls_timer_cancel (state->timeout_handle);
  for (guint i = 0; i < fs->len; i++)
    if (ls_future_remove_done_callback (g_ptr_array_index (fs, i), wait_on_completion, state) > 0)
      state->ref_count--;
  wait_state_unref (state);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (done != NULL)
    *done = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  if (pending != NULL)
    *pending = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  for (guint i = 0; i < fs->len; i++)
    {
      LsFuture *f = g_ptr_array_index (fs, i);
      GPtrArray *into = ls_future_is_done (f) ? (done ? *done : NULL) : (pending ? *pending : NULL);

      if (into != NULL)
        g_ptr_array_add (into, ls_future_ref (f));
    }
  return TRUE;
}

/* ---- wait_for --------------------------------------------------------- */

/* _cancel_and_wait: cancel @fut and wait until it is done, without
 * awaiting it directly (so this wait itself stays cancellable). */
static gboolean
cancel_and_wait (LsLoop   *loop,
                 LsFuture *fut,
                 GError  **error)
{
  g_autoptr(LsFuture) waiter = _ls_future_new_internal (loop, LS_WAIT_WAIT_FOR, fut->id, -1);
  g_autoptr(GVariant) result = NULL;
  GError *local_error = NULL;

  add_release_waiter (fut, waiter);
  ls_future_cancel (fut, NULL);
  result = ls_future_await (waiter, &local_error);
  remove_release_waiter (fut, waiter);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* try: return fut.result()
 * except CancelledError as exc: raise TimeoutError() from exc */
static GVariant *
result_or_timeout (LsFuture *fut,
                   GError  **error)
{
  GError *local_error = NULL;
  GVariant *result = ls_future_get_result (fut, &local_error);

  if (local_error != NULL && ls_error_is_cancelled (local_error))
    {
      GError *timeout = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT, "");

      ls_error_set_cause (timeout, local_error);
      ls_error_set_context (timeout, local_error);
      g_clear_error (&local_error);
      g_propagate_error (error, timeout);
      return NULL;
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return result;
}

GVariant *
ls_wait_for (LsFuture *fut,
             double    timeout,
             GError  **error)
{
  LsTask *task = _ls_task_current_or_critical ("ls_wait_for");
  LsLoop *loop;
  g_autoptr(LsFuture) waiter = NULL;
  g_autoptr(GVariant) ignored = NULL;
  LsTimer *timeout_handle;
  GError *local_error = NULL;
  GVariant *result = NULL;
  gint64 deadline;

  if (task == NULL)
    return NULL;
  loop = task->base.loop;

  g_return_val_if_fail (!isnan (timeout), NULL);
  if (timeout == LS_NO_TIMEOUT)
    return ls_future_await (fut, error);

  if (timeout <= 0)
    {
      if (ls_future_is_done (fut))
        return ls_future_get_result (fut, error);
      if (!cancel_and_wait (loop, fut, error))
        return NULL;
      return result_or_timeout (fut, error);
    }

  deadline = ls_loop_time_ns (loop) + ls_seconds_to_ns (timeout);
  waiter = _ls_future_new_internal (loop, LS_WAIT_WAIT_FOR, fut->id, deadline);
  timeout_handle = ls_loop_call_at_ns (loop, deadline, LS_WAIT_WAIT_FOR, fut->id,
                                       release_waiter_timer, waiter, NULL, NULL);
  add_release_waiter (fut, waiter);

  ignored = ls_future_await (waiter, &local_error);
  if (local_error != NULL)
    {
      /* the task running wait_for was cancelled */
      if (ls_future_is_done (fut))
        {
          g_clear_error (&local_error);
          result = ls_future_get_result (fut, error);
        }
      else
        {
          remove_release_waiter (fut, waiter);
          if (cancel_and_wait (loop, fut, error))
            g_propagate_error (error, local_error);
          else
            g_clear_error (&local_error);
        }
    }
  else if (ls_future_is_done (fut))
    result = ls_future_get_result (fut, error);
  else
    {
      remove_release_waiter (fut, waiter);
      if (cancel_and_wait (loop, fut, error))
        result = result_or_timeout (fut, error);
    }

  ls_timer_cancel (timeout_handle);
  ls_timer_unref (timeout_handle);
  return result;
}
