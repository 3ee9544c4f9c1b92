/* SPDX-License-Identifier: MIT
 *
 * Futures, following CPython 3.11's futures.py closely enough that the
 * same program schedules the same way: completing a future schedules each
 * done callback with call_soon, so an awaiting task resumes in the *next*
 * loop iteration; a cancelled future hands its CancelledError out once.
 * Tasks (ls-task.c) are futures too.
 */
#include "config.h"

#include "ls-future.h"

#include <string.h>

#include "ls-error.h"
#include "ls-runtime-private.h"

/* ---- allocation ------------------------------------------------------- */

/* Freed futures and tasks are kept for reuse, at most POOL_MAX of each
 * size per thread: enough for the waits and short tasks a loop keeps
 * making, little memory at rest. Beyond that they go back to malloc. */
#define POOL_MAX 256

typedef struct _PoolEntry PoolEntry;
struct _PoolEntry
{
  PoolEntry *next;
};

typedef struct
{
  PoolEntry *futures;
  PoolEntry *tasks;
  guint      n_futures;
  guint      n_tasks;
} Pool;

static LS_THREAD_LOCAL Pool pool;
static LS_THREAD_LOCAL gboolean pool_owned;

/* A thread that ends gives its pool back (LsFuture and LsTask have no
 * destructor of their own at that point: they are plain memory). */
static void
pool_free (gpointer data)
{
  Pool *p = data;
  PoolEntry *e;

  while ((e = p->futures) != NULL)
    {
      p->futures = e->next;
      g_free (e);
    }
  while ((e = p->tasks) != NULL)
    {
      p->tasks = e->next;
      g_free (e);
    }
  p->n_futures = p->n_tasks = 0;
}

static GPrivate pool_owner = G_PRIVATE_INIT (pool_free);

gpointer
_ls_future_alloc (gsize size)
{
  gboolean task = size == sizeof (LsTask);
  PoolEntry **list = task ? &pool.tasks : &pool.futures;
  PoolEntry *e = *list;
  LsFuture *self;

  g_assert (task || size == sizeof (LsFuture));
  if (e != NULL)
    {
      *list = e->next;
      if (task)
        pool.n_tasks--;
      else
        pool.n_futures--;
      memset (e, 0, size);
      self = (LsFuture *) e;
    }
  else
    self = g_malloc0 (size);
  self->pooled = TRUE;
  return self;
}

void
_ls_future_free (LsFuture *self)
{
  gboolean task = self->kind == LS_FUTURE_KIND_TASK;
  PoolEntry *e = (PoolEntry *) self;

  if (!self->pooled || (task ? pool.n_tasks : pool.n_futures) >= POOL_MAX)
    {
      g_free (self);
      return;
    }
  if (G_UNLIKELY (!pool_owned))
    {
      g_private_set (&pool_owner, &pool);
      pool_owned = TRUE;
    }
  if (task)
    {
      e->next = pool.tasks;
      pool.tasks = e;
      pool.n_tasks++;
    }
  else
    {
      e->next = pool.futures;
      pool.futures = e;
      pool.n_futures++;
    }
}

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
  LsFuture *self = _ls_future_alloc (sizeof (LsFuture));

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

  self = _ls_future_alloc (sizeof (LsFuture));
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
  /* tested here rather than in GLib's g_clear_* functions, a call each */
  if (self->result != NULL)
    g_variant_unref (self->result);
  if (self->error != NULL)
    g_error_free (self->error);
  if (self->cancelled_exc != NULL)
    g_error_free (self->cancelled_exc);
  g_free (self->cancel_message);
  if (self->callbacks != &self->first_callback)
    g_free (self->callbacks);
  _ls_future_free (self);
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
      gboolean wakeup = callbacks[i].func == _ls_task_wakeup;
      LsTask *task = wakeup ? callbacks[i].data : NULL;

      _ls_loop_push_ready (self->loop, wakeup ? LS_HANDLE_TASK_WAKEUP : LS_HANDLE_CALLBACK,
                           (LsCallback) callbacks[i].func, self, callbacks[i].data,
                           wakeup ? NULL : ls_future_ref (self),
                           task != NULL ? task->base.id : 0, self->id);
    }
  if (callbacks != &self->first_callback)
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
GError *
_ls_cancelled_error_new (const char *message)
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
  return _ls_cancelled_error_new (self->cancel_message);
}

/* A future born done: gather's list of results and exceptions. */
LsFuture *
_ls_future_new_completed (LsLoop   *loop,
                          GVariant *result,
                          GError   *exception)
{
  LsFuture *self = _ls_future_alloc (sizeof (LsFuture));

  self->ref_count = 1;
  self->loop = loop;
  self->state = LS_FUTURE_FINISHED;
  self->result = result != NULL ? g_variant_ref_sink (result) : NULL;
  self->error = exception;
  return self;
}

/* Future.cancel(), without the task or gather overrides. @cancelled_exc,
 * when given, is the CancelledError to keep (owned). */
gboolean
_ls_future_cancel_base (LsFuture   *self,
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
  return _ls_future_cancel_base (self, message, NULL);
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
      gboolean wakeup = callback == _ls_task_wakeup;

      _ls_loop_push_ready (self->loop, wakeup ? LS_HANDLE_TASK_WAKEUP : LS_HANDLE_CALLBACK,
                           (LsCallback) callback, self, data, wakeup ? NULL : ls_future_ref (self),
                           wakeup ? ((LsTask *) data)->base.id : 0, self->id);
      return;
    }
  if (self->n_callbacks == self->callbacks_alloc)
    {
      if (self->callbacks_alloc == 0)
        {
          self->callbacks = &self->first_callback;
          self->callbacks_alloc = 1;
        }
      else
        {
          LsFutureCallbackEntry *more = g_new (LsFutureCallbackEntry, self->callbacks_alloc * 2);

          memcpy (more, self->callbacks, self->n_callbacks * sizeof *more);
          if (self->callbacks != &self->first_callback)
            g_free (self->callbacks);
          self->callbacks = more;
          self->callbacks_alloc *= 2;
        }
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
