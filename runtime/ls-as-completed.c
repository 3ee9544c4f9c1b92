/* SPDX-License-Identifier: MIT
 *
 * asyncio.as_completed, transcribed from CPython 3.11's tasks.py: an
 * iterator whose next () waits for the next future to complete (or for the
 * timeout), in completion order.
 */
#include "config.h"

#include "ls-combinators.h"

#include "ls-error.h"
#include "ls-runtime-private.h"

/* ---- as_completed ----------------------------------------------------- */

struct _LsAsCompleted
{
  LsLoop    *loop;
  GPtrArray *todo;       /* futures not yet completed */
  GQueue     done;       /* completed futures (refs), or NULL for a timeout */
  GQueue     getters;    /* LsFuture waiting for an item (refs) */
  LsTimer   *timeout_handle;
  guint      remaining;  /* how many times next() may still be called */
  guint      ref_count;
};

static void
as_completed_unref (LsAsCompleted *self)
{
  if (--self->ref_count > 0)
    return;
  g_ptr_array_unref (self->todo);
  g_queue_clear_full (&self->done, (GDestroyNotify) ls_future_unref);
  g_queue_clear_full (&self->getters, (GDestroyNotify) ls_future_unref);
  if (self->timeout_handle != NULL)
    ls_timer_unref (self->timeout_handle);
  g_free (self);
}

/* Queue._wakeup_next(getters) */
static void
as_completed_wakeup_next (LsAsCompleted *self)
{
  while (!g_queue_is_empty (&self->getters))
    {
      g_autoptr(LsFuture) waiter = g_queue_pop_head (&self->getters);

      if (!ls_future_is_done (waiter))
        {
          ls_future_set_result (waiter, NULL, NULL);
          break;
        }
    }
}

static void as_completed_on_completion (LsFuture *f, gpointer data);

static void
as_completed_on_timeout (gpointer a,
                         gpointer b)
{
  LsAsCompleted *self = a;

  for (guint i = 0; i < self->todo->len; i++)
    {
      LsFuture *f = g_ptr_array_index (self->todo, i);

      if (ls_future_remove_done_callback (f, as_completed_on_completion, self) > 0)
        as_completed_unref (self);
      g_queue_push_tail (&self->done, NULL);
      as_completed_wakeup_next (self);
    }
  g_ptr_array_set_size (self->todo, 0);
}

static void
as_completed_on_completion (LsFuture *f,
                            gpointer  data)
{
  LsAsCompleted *self = data;

  if (self->todo->len > 0 && g_ptr_array_remove (self->todo, f))
    {
      g_queue_push_tail (&self->done, ls_future_ref (f));
      as_completed_wakeup_next (self);
      if (self->todo->len == 0 && self->timeout_handle != NULL)
        ls_timer_cancel (self->timeout_handle);
    }
  as_completed_unref (self);
}

LsAsCompleted *
ls_as_completed_new (LsFuture **futures,
                     guint      n_futures,
                     double     timeout)
{
  LsTask *task = _ls_task_current_or_critical ("ls_as_completed_new");
  LsAsCompleted *self;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  if (task == NULL)
    return NULL;

  self = g_new0 (LsAsCompleted, 1);
  self->ref_count = 1;
  self->loop = task->base.loop;
  self->todo = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_queue_init (&self->done);
  g_queue_init (&self->getters);
  for (guint i = 0; i < n_futures; i++)
    if (g_hash_table_add (seen, futures[i]))
      g_ptr_array_add (self->todo, ls_future_ref (futures[i]));
  self->remaining = self->todo->len;

  for (guint i = 0; i < self->todo->len; i++)
    {
      self->ref_count++;
      ls_future_add_done_callback (g_ptr_array_index (self->todo, i),
                                   as_completed_on_completion, self);
    }
  if (self->todo->len > 0 && timeout != LS_NO_TIMEOUT)
    self->timeout_handle =
      ls_loop_call_at_ns (self->loop, ls_loop_time_ns (self->loop) + ls_seconds_to_ns (timeout),
                          LS_WAIT_AS_COMPLETED, 0, as_completed_on_timeout, self, NULL, NULL);
  return self;
}

gboolean
ls_as_completed_has_next (LsAsCompleted *self)
{
  return self->remaining > 0;
}

/* One `await` of the next coroutine as_completed() yields: the result of
 * the next future to complete, or its error, or TimeoutError. */
GVariant *
ls_as_completed_next (LsAsCompleted *self,
                      LsFuture     **completed,
                      GError       **error)
{
  g_autoptr(LsFuture) f = NULL;

  g_return_val_if_fail (self->remaining > 0, NULL);
  self->remaining--;

  while (g_queue_is_empty (&self->done))
    {
      g_autoptr(LsFuture) getter = _ls_future_new_internal (self->loop, LS_WAIT_AS_COMPLETED, 0,
                                                            -1);
      g_autoptr(GVariant) ignored = NULL;
      GError *local_error = NULL;

      g_queue_push_tail (&self->getters, ls_future_ref (getter));
      ignored = ls_future_await (getter, &local_error);
      if (local_error != NULL)
        {
          ls_future_cancel (getter, NULL);
          if (g_queue_remove (&self->getters, getter))
            ls_future_unref (getter);
          if (!g_queue_is_empty (&self->done) && !ls_future_is_cancelled (getter))
            as_completed_wakeup_next (self);
          g_propagate_error (error, local_error);
          return NULL;
        }
    }

  f = g_queue_pop_head (&self->done);
  if (f == NULL)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT, "");
      return NULL;
    }
  if (completed != NULL)
    *completed = ls_future_ref (f);
  return ls_future_get_result (f, error);
}

void
ls_as_completed_free (LsAsCompleted *self)
{
  if (self->timeout_handle != NULL)
    ls_timer_cancel (self->timeout_handle);
  for (guint i = 0; i < self->todo->len; i++)
    if (ls_future_remove_done_callback (g_ptr_array_index (self->todo, i),
                                        as_completed_on_completion, self) > 0)
      self->ref_count--;
  as_completed_unref (self);
}
