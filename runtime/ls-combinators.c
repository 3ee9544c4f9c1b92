/* SPDX-License-Identifier: MIT
 *
 * The combinators, transcribed from CPython 3.11's tasks.py and
 * timeouts.py. Because tasks are stackful, each reads like the Python: an
 * `await waiter` is ls_future_await (waiter), a `try/except` is a look at
 * the GError.
 */
#include "config.h"

#include "ls-combinators.h"

#include "ls-error.h"
#include "ls-runtime-private.h"

static LsTask *
current_task_or_critical (const char *what)
{
  LsTask *task = ls_task_current ();

  if (task == NULL)
    g_critical ("%s must be called from inside a task", what);
  return task;
}

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

/* ---- gather ----------------------------------------------------------- */

typedef struct
{
  LsFuture   base;
  GPtrArray *children;        /* LsFuture, argument order, duplicates kept */
  GPtrArray *results;         /* completed LsFuture per child, once all are done */
  guint      n_unique;
  guint      n_finished;
  gboolean   return_exceptions;
  gboolean   cancel_requested;
} LsGathering;

static void
gathering_finalize (LsFuture *future)
{
  LsGathering *self = (LsGathering *) future;

  g_ptr_array_unref (self->children);
  g_clear_pointer (&self->results, g_ptr_array_unref);
}

static gboolean
gathering_cancel (LsFuture   *future,
                  const char *message)
{
  LsGathering *self = (LsGathering *) future;
  gboolean ret = FALSE;

  if (ls_future_is_done (future))
    return FALSE;
  for (guint i = 0; i < self->children->len; i++)
    if (ls_future_cancel (g_ptr_array_index (self->children, i), message))
      ret = TRUE;
  if (ret)
    self->cancel_requested = TRUE;
  return ret;
}

static void
gather_child_done (LsFuture *child,
                   gpointer  data)
{
  LsGathering *self = data;
  LsFuture *outer = &self->base;

  self->n_finished++;
  if (ls_future_is_done (outer))
    goto out;

  if (!self->return_exceptions)
    {
      if (ls_future_is_cancelled (child))
        {
          ls_future_set_exception (outer, _ls_future_make_cancelled_error (child), NULL);
          goto out;
        }
      if (child->error != NULL)
        {
          ls_future_set_exception (outer, g_error_copy (child->error), NULL);
          goto out;
        }
    }

  if (self->n_finished == self->n_unique)
    {
      self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
      for (guint i = 0; i < self->children->len; i++)
        {
          LsFuture *fut = g_ptr_array_index (self->children, i);
          LsFuture *res;

          if (ls_future_is_cancelled (fut))
            {
              /* CancelledError('' if fut._cancel_message is None else
               * fut._cancel_message): always one argument */
              GError *cancelled = g_error_new_literal (LS_RUNTIME_ERROR,
                                                       LS_RUNTIME_ERROR_CANCELLED,
                                                       fut->cancel_message != NULL
                                                         ? fut->cancel_message : "");

              ls_error_mark_empty_arg (cancelled);
              res = _ls_future_new_completed (outer->loop, NULL, cancelled);
            }
          else
            res = _ls_future_new_completed (outer->loop, fut->result,
                                            fut->error != NULL ? g_error_copy (fut->error) : NULL);
          g_ptr_array_add (self->results, res);
        }
      /* tasks.py reuses the loop variable here: `fut` is the LAST child by
       * now, not the one whose callback this is */
      if (self->cancel_requested)
        ls_future_set_exception (outer,
                                 _ls_future_make_cancelled_error (
                                   g_ptr_array_index (self->children, self->children->len - 1)),
                                 NULL);
      else
        ls_future_set_result (outer, NULL, NULL);
    }

out:
  ls_future_unref (outer); /* the reference each child's callback held */
}

LsFuture *
ls_gather_start (LsLoop    *loop,
                 LsFuture **children,
                 guint      n_children,
                 gboolean   return_exceptions)
{
  LsGathering *self;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);

  self = g_new0 (LsGathering, 1);
  _ls_future_init (&self->base, loop, LS_FUTURE_KIND_GATHER);
  self->base.finalize = gathering_finalize;
  self->base.cancel = gathering_cancel;
  self->base.wait_reason = LS_WAIT_GATHER;
  self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  self->return_exceptions = return_exceptions;

  ls_trace_here (loop, LS_TRACE_OBJECT_NEW, LS_OBJECT_GATHER, _ls_loop_current_task_id (loop),
                 self->base.id, 0, n_children);

  if (n_children == 0)
    {
      self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
      ls_future_set_result (&self->base, NULL, NULL);
      return &self->base;
    }
  for (guint i = 0; i < n_children; i++)
    {
      if (g_hash_table_add (seen, children[i]))
        {
          self->n_unique++;
          ls_future_ref (&self->base);
          ls_future_add_done_callback (children[i], gather_child_done, self);
        }
      g_ptr_array_add (self->children, ls_future_ref (children[i]));
    }
  return &self->base;
}

/* The gathered results, once the gathering future finished with a result:
 * one completed future per argument, holding its result or exception
 * (a cancelled child as a CancelledError exception, as CPython lists it). */
GPtrArray *
ls_gather_get_results (LsFuture *gathering)
{
  g_return_val_if_fail (gathering->kind == LS_FUTURE_KIND_GATHER, NULL);
  return ((LsGathering *) gathering)->results;
}

GPtrArray *
ls_gather_get_children (LsFuture *gathering)
{
  g_return_val_if_fail (gathering->kind == LS_FUTURE_KIND_GATHER, NULL);
  return ((LsGathering *) gathering)->children;
}

GPtrArray *
ls_gather (LsFuture **children,
           guint      n_children,
           gboolean   return_exceptions,
           GError   **error)
{
  LsTask *task = current_task_or_critical ("ls_gather");
  g_autoptr(LsFuture) outer = NULL;
  g_autoptr(GVariant) result = NULL;
  GError *local_error = NULL;

  if (task == NULL)
    return NULL;
  outer = ls_gather_start (task->base.loop, children, n_children, return_exceptions);
  result = ls_future_await (outer, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_ptr_array_ref (ls_gather_get_results (outer));
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
  LsTask *task = current_task_or_critical ("ls_wait");
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
  LsTask *task = current_task_or_critical ("ls_wait_for");
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
  LsTask *task = current_task_or_critical ("ls_as_completed_new");
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

/* ---- shield ----------------------------------------------------------- */

static void shield_inner_done (LsFuture *inner, gpointer data);

static void
shield_outer_done (LsFuture *outer,
                   gpointer  data)
{
  LsFuture *inner = data;

  if (!ls_future_is_done (inner)
      && ls_future_remove_done_callback (inner, shield_inner_done, outer) > 0)
    ls_future_unref (outer);
  ls_future_unref (inner);
}

static void
shield_inner_done (LsFuture *inner,
                   gpointer  data)
{
  LsFuture *outer = data;

  if (!ls_future_is_cancelled (outer))
    {
      if (ls_future_is_cancelled (inner))
        ls_future_cancel (outer, NULL);
      else if (inner->error != NULL)
        ls_future_set_exception (outer, g_error_copy (inner->error), NULL);
      else
        ls_future_set_result (outer, inner->result, NULL); /* takes a reference of its own */
    }
  ls_future_unref (outer);
}

LsFuture *
ls_shield (LsFuture *inner)
{
  LsFuture *outer;

  g_return_val_if_fail (inner != NULL, NULL);

  if (ls_future_is_done (inner))
    return ls_future_ref (inner);
  outer = _ls_future_new_internal (inner->loop, LS_WAIT_SHIELD, inner->id, -1);
  ls_future_add_done_callback (inner, shield_inner_done, ls_future_ref (outer));
  ls_future_add_done_callback (outer, shield_outer_done, ls_future_ref (inner));
  return outer;
}
