/* SPDX-License-Identifier: MIT
 *
 * The loop's state at one instant as plain data (see ls-trace-state.h).
 * Nothing here interprets records: the replay in ui/analysis does, and the
 * runtime's live snapshots fill the same structures from its objects.
 */
#include "config.h"

#include "ls-trace-state.h"

static void
primitive_entry_clear (gpointer data)
{
  LsPrimitiveEntry *entry = data;

  g_clear_pointer (&entry->waiters, g_array_unref);
  g_clear_pointer (&entry->putters, g_array_unref);
}

LsTraceState *
ls_trace_state_new (void)
{
  LsTraceState *state = g_new0 (LsTraceState, 1);

  state->ready = g_array_new (FALSE, FALSE, sizeof (LsReadyEntry));
  state->timers = g_array_new (FALSE, FALSE, sizeof (LsTimerEntry));
  state->tasks = g_array_new (FALSE, FALSE, sizeof (LsTaskEntry));
  state->task_index = g_hash_table_new (NULL, NULL);
  state->primitives = g_array_new (FALSE, FALSE, sizeof (LsPrimitiveEntry));
  g_array_set_clear_func (state->primitives, primitive_entry_clear);
  state->primitive_index = g_hash_table_new (NULL, NULL);
  return state;
}

void
ls_trace_state_free (LsTraceState *state)
{
  if (state == NULL)
    return;
  g_array_unref (state->ready);
  g_array_unref (state->timers);
  g_array_unref (state->tasks);
  g_hash_table_unref (state->task_index);
  g_array_unref (state->primitives);
  g_hash_table_unref (state->primitive_index);
  g_free (state);
}

void
ls_trace_state_reset (LsTraceState *state)
{
  g_array_set_size (state->ready, 0);
  g_array_set_size (state->timers, 0);
  g_array_set_size (state->tasks, 0);
  g_hash_table_remove_all (state->task_index);
  g_array_set_size (state->primitives, 0);
  g_hash_table_remove_all (state->primitive_index);
  state->time = 0;
  state->n_records = 0;
  state->iteration = 0;
  state->in_iteration = FALSE;
  state->running_task = 0;
  state->blocked_task = 0;
}

LsTaskEntry *
ls_trace_state_add_task (LsTraceState *state,
                         guint32       task_id)
{
  LsTaskEntry entry = { 0 };

  entry.task_id = task_id;
  entry.wait_deadline = -1;
  g_array_append_val (state->tasks, entry);
  g_hash_table_insert (state->task_index, GUINT_TO_POINTER (task_id),
                       GUINT_TO_POINTER (state->tasks->len));
  return &g_array_index (state->tasks, LsTaskEntry, state->tasks->len - 1);
}

const LsTaskEntry *
ls_trace_state_get_task (LsTraceState *state,
                         guint32       task_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (state->task_index,
                                                       GUINT_TO_POINTER (task_id)));

  if (index == 0 || index > state->tasks->len)
    return NULL;
  return &g_array_index (state->tasks, LsTaskEntry, index - 1);
}

LsPrimitiveEntry *
_ls_trace_state_add_primitive (LsTraceState *state,
                               guint32       primitive_id,
                               LsObjectKind  kind)
{
  LsPrimitiveEntry entry = { 0 };

  entry.id = primitive_id;
  entry.kind = kind;
  entry.waiters = g_array_new (FALSE, FALSE, sizeof (LsWaiterEntry));
  entry.putters = g_array_new (FALSE, FALSE, sizeof (LsWaiterEntry));
  g_array_append_val (state->primitives, entry);
  g_hash_table_insert (state->primitive_index, GUINT_TO_POINTER (primitive_id),
                       GUINT_TO_POINTER (state->primitives->len));
  return &g_array_index (state->primitives, LsPrimitiveEntry, state->primitives->len - 1);
}

const LsPrimitiveEntry *
ls_trace_state_get_primitive (LsTraceState *state,
                              guint32       primitive_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (state->primitive_index,
                                                       GUINT_TO_POINTER (primitive_id)));

  if (index == 0 || index > state->primitives->len)
    return NULL;
  return &g_array_index (state->primitives, LsPrimitiveEntry, index - 1);
}

const char *
ls_task_state_name (LsTaskState state)
{
  switch (state)
    {
    case LS_TASK_STATE_READY:     return "ready";
    case LS_TASK_STATE_RUNNING:   return "running";
    case LS_TASK_STATE_WAITING:   return "waiting";
    case LS_TASK_STATE_DONE:      return "done";
    case LS_TASK_STATE_FAILED:    return "failed";
    case LS_TASK_STATE_CANCELLED: return "cancelled";
    default:                      return "unknown";
    }
}

const char *
ls_waiter_state_name (LsWaiterState state)
{
  switch (state)
    {
    case LS_WAITER_WAITING:   return "waiting";
    case LS_WAITER_WOKEN:     return "woken";
    case LS_WAITER_CANCELLED: return "cancelled";
    default:                  return "unknown";
    }
}
