/* SPDX-License-Identifier: MIT
 *
 * asyncio.gather, transcribed from CPython 3.11's tasks.py: a gathering
 * future whose children's done callbacks count the finished ones, results
 * in argument order, the first exception (or all of them, with
 * return_exceptions), and a cancel that cancels the children. Because tasks
 * are stackful, it reads like the Python: an `await` is ls_future_await, a
 * `try/except` is a look at the GError.
 */
#include "config.h"

#include "ls-combinators.h"

#include "ls-error.h"
#include "ls-runtime-private.h"

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
  LsTask *task = _ls_task_current_or_critical ("ls_gather");
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
