/* SPDX-License-Identifier: MIT
 *
 * asyncio.TaskGroup, transcribed from CPython 3.11.7's taskgroups.py. Its
 * tasks are kept in creation order, which is the order _abort() cancels
 * them in (CPython iterates a set, whose order follows object addresses).
 * SystemExit and KeyboardInterrupt, the "base errors" that skip the group,
 * do not exist here.
 */
#include "config.h"

#include "ls-task-group.h"

#include "ls-error.h"
#include "ls-runtime-private.h"

struct _LsTaskGroup
{
  guint      ref_count;
  LsLoop    *loop;
  LsTask    *parent_task;
  GPtrArray *tasks;             /* LsTask, creation order */
  GPtrArray *errors;            /* GError, in the order the tasks failed */
  LsFuture  *on_completed_fut;
  guint32    id;
  guint      entered : 1;
  guint      exiting : 1;
  guint      aborting : 1;
  guint      parent_cancel_requested : 1;
};

LsTaskGroup *
ls_task_group_new (void)
{
  LsTaskGroup *self = g_new0 (LsTaskGroup, 1);

  self->ref_count = 1;
  self->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  return self;
}

LsTaskGroup *
ls_task_group_ref (LsTaskGroup *self)
{
  self->ref_count++;
  return self;
}

void
ls_task_group_unref (LsTaskGroup *self)
{
  if (--self->ref_count > 0)
    return;
  g_ptr_array_unref (self->tasks);
  g_ptr_array_unref (self->errors);
  g_clear_pointer (&self->on_completed_fut, ls_future_unref);
  g_clear_pointer (&self->parent_task, ls_task_unref);
  g_free (self);
}

guint32
ls_task_group_get_id (LsTaskGroup *self)
{
  return self->id;
}

char *
ls_task_group_to_string (LsTaskGroup *self)
{
  GString *out = g_string_new ("<TaskGroup");

  if (self->tasks->len > 0)
    g_string_append_printf (out, " tasks=%u", self->tasks->len);
  if (self->errors->len > 0)
    g_string_append_printf (out, " errors=%u", self->errors->len);
  if (self->aborting)
    g_string_append (out, " cancelling");
  else if (self->entered)
    g_string_append (out, " entered");
  g_string_append_c (out, '>');
  return g_string_free (out, FALSE);
}

static void
set_runtime_error (LsTaskGroup *self,
                   GError     **error,
                   const char  *what)
{
  g_autofree char *repr = ls_task_group_to_string (self);

  g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME, "TaskGroup %s %s", repr, what);
}

gboolean
ls_task_group_enter (LsTaskGroup *self,
                     GError     **error)
{
  LsTask *task = ls_task_current ();

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->entered)
    {
      set_runtime_error (self, error, "has already been entered");
      return FALSE;
    }
  if (task == NULL)
    {
      set_runtime_error (self, error, "cannot determine the parent task");
      return FALSE;
    }
  self->loop = ls_future_get_loop (LS_FUTURE (task));
  self->parent_task = ls_task_ref (task);
  self->entered = TRUE;
  self->id = ls_trace_new_id (_ls_loop_trace (self->loop));
  ls_trace_here (self->loop, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK_GROUP, task->base.id, self->id,
                 0, 0);
  return TRUE;
}

/* _abort: cancel the tasks not done yet */
static void
group_abort (LsTaskGroup *self,
             guint32      failed_task)
{
  guint n = 0;

  self->aborting = TRUE;
  for (guint i = 0; i < self->tasks->len; i++)
    if (!ls_future_is_done (g_ptr_array_index (self->tasks, i)))
      n++;
  ls_trace_here (self->loop, LS_TRACE_TASK_GROUP_ABORT, 0, failed_task, self->id, 0, n);
  for (guint i = 0; i < self->tasks->len; i++)
    {
      LsTask *t = g_ptr_array_index (self->tasks, i);

      if (!ls_future_is_done (LS_FUTURE (t)))
        ls_task_cancel (t, NULL);
    }
}

/* _on_task_done: a done callback on each task of the group */
static void
on_task_done (LsFuture *future,
              gpointer  data)
{
  LsTaskGroup *self = data;
  LsTask *task = (LsTask *) future;
  const GError *exc;

  g_ptr_array_remove (self->tasks, task);

  if (self->on_completed_fut != NULL && self->tasks->len == 0
      && !ls_future_is_done (self->on_completed_fut))
    ls_future_set_result (self->on_completed_fut, g_variant_new_boolean (TRUE), NULL);

  if (ls_future_is_cancelled (future) || (exc = ls_future_get_exception (future)) == NULL)
    goto out;

  g_ptr_array_add (self->errors, g_error_copy (exc));
  if (ls_future_is_done (LS_FUTURE (self->parent_task)))
    goto out; /* CPython calls the loop's exception handler */

  if (!self->aborting && !self->parent_cancel_requested)
    {
      /* cancel the parent too, to abort whatever its body awaits; __aexit__
       * takes the request back */
      group_abort (self, task->base.id);
      self->parent_cancel_requested = TRUE;
      ls_task_cancel (self->parent_task, NULL);
    }

out:
  ls_task_group_unref (self);
}

LsTask *
ls_task_group_create_task (LsTaskGroup   *self,
                           const char    *name,
                           LsTaskFunc     func,
                           gpointer       data,
                           GDestroyNotify destroy,
                           GError       **error)
{
  LsTask *task;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  if (!self->entered || (self->exiting && self->tasks->len == 0) || self->aborting)
    {
      set_runtime_error (self, error,
                         !self->entered ? "has not been entered"
                         : self->aborting ? "is shutting down" : "is finished");
      if (destroy != NULL)
        destroy (data);
      return NULL;
    }
  task = ls_task_new (self->loop, name, func, data, destroy);
  ls_trace_here (self->loop, LS_TRACE_TASK_GROUP_ADD, 0, task->base.id, self->id, 0, 0);
  ls_future_add_done_callback (LS_FUTURE (task), on_task_done, ls_task_group_ref (self));
  g_ptr_array_add (self->tasks, ls_task_ref (task));
  return task;
}

gboolean
ls_task_group_exit (LsTaskGroup *self,
                    GError     **body_error)
{
  GError *exc = body_error != NULL ? g_steal_pointer (body_error) : NULL;
  GError *propagate_cancellation_error = NULL;
  GError *raised = NULL;
  LsOutcome outcome = LS_OUTCOME_RESULT;
  guint n_errors;

  g_return_val_if_fail (self != NULL && self->entered, FALSE);

  self->exiting = TRUE;
  if (ls_error_is_cancelled (exc))
    propagate_cancellation_error = g_error_copy (exc);
  if (self->parent_cancel_requested)
    {
      /* the group's own request: taken back, whatever happens */
      if (ls_task_uncancel (self->parent_task) == 0)
        g_clear_error (&propagate_cancellation_error);
    }
  if (exc != NULL && !self->aborting)
    group_abort (self, 0);

  /* a loop: the wait can be cancelled more than once */
  while (self->tasks->len > 0)
    {
      g_autoptr(GVariant) ignored = NULL;
      GError *local_error = NULL;

      if (self->on_completed_fut == NULL)
        self->on_completed_fut = _ls_future_new_internal (self->loop, LS_WAIT_TASK_GROUP,
                                                          self->id, -1);
      ignored = ls_future_await (self->on_completed_fut, &local_error);
      if (ls_error_is_cancelled (local_error) && !self->aborting)
        {
          /* the parent is cancelled while it waits for the tasks */
          g_clear_error (&propagate_cancellation_error);
          propagate_cancellation_error = g_steal_pointer (&local_error);
          group_abort (self, 0);
        }
      g_clear_error (&local_error);
      g_clear_pointer (&self->on_completed_fut, ls_future_unref);
    }

  n_errors = self->errors->len;
  if (propagate_cancellation_error != NULL && self->errors->len == 0)
    {
      raised = g_steal_pointer (&propagate_cancellation_error);
      outcome = LS_OUTCOME_CANCELLED;
    }
  else
    {
      if (exc != NULL && !ls_error_is_cancelled (exc))
        g_ptr_array_add (self->errors, g_error_copy (exc));
      if (self->errors->len > 0)
        {
          GPtrArray *errors = g_steal_pointer (&self->errors);

          self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
          raised = ls_exception_group_new ("unhandled errors in a TaskGroup", errors);
          ls_error_set_cause (raised, NULL); /* raise me from None */
          if (exc != NULL)
            ls_error_set_context (raised, exc);
          n_errors = ls_exception_group_get_exceptions (raised)->len;
          outcome = LS_OUTCOME_FAILED;
        }
    }
  g_clear_error (&propagate_cancellation_error);
  g_clear_error (&exc);

  {
    g_autofree char *text = raised != NULL ? ls_error_to_string (raised) : NULL;

    ls_trace_here (self->loop, LS_TRACE_TASK_GROUP_EXIT, outcome, self->parent_task->base.id,
                   self->id, ls_trace_intern (_ls_loop_trace (self->loop), text), n_errors);
  }
  if (raised != NULL)
    {
      g_propagate_error (body_error, raised);
      return FALSE;
    }
  return TRUE;
}
