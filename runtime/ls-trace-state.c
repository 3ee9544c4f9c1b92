/* SPDX-License-Identifier: MIT
 *
 * Rebuilding the loop's state from the trace. Replay is incremental: a
 * state that has seen the first N records moves on to N + M by reading
 * only the M new ones, so following a live run costs nothing extra.
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

/* timer ids grow with scheduling order: (deadline, id) is the heap's order */
static gint
timer_compare (gconstpointer a,
               gconstpointer b)
{
  const LsTimerEntry *x = a, *y = b;

  if (x->deadline != y->deadline)
    return x->deadline < y->deadline ? -1 : 1;
  return x->timer_id < y->timer_id ? -1 : x->timer_id > y->timer_id;
}

LsTraceState *
ls_trace_state_new (void)
{
  LsTraceState *state = g_new0 (LsTraceState, 1);

  state->ready = g_array_new (FALSE, FALSE, sizeof (LsReadyEntry));
  state->timers = g_array_new (FALSE, FALSE, sizeof (LsTimerEntry));
  state->timer_tree = g_tree_new (timer_compare);
  state->timer_entries = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  state->tasks = g_array_new (FALSE, FALSE, sizeof (LsTaskEntry));
  state->task_index = g_hash_table_new (NULL, NULL);
  state->primitives = g_array_new (FALSE, FALSE, sizeof (LsPrimitiveEntry));
  g_array_set_clear_func (state->primitives, primitive_entry_clear);
  state->primitive_index = g_hash_table_new (NULL, NULL);
  state->waiter_futures = g_hash_table_new (NULL, NULL);
  return state;
}

void
ls_trace_state_free (LsTraceState *state)
{
  if (state == NULL)
    return;
  g_array_unref (state->ready);
  g_array_unref (state->timers);
  g_tree_destroy (state->timer_tree);
  g_hash_table_unref (state->timer_entries);
  g_array_unref (state->tasks);
  g_hash_table_unref (state->task_index);
  g_array_unref (state->primitives);
  g_hash_table_unref (state->primitive_index);
  g_hash_table_unref (state->waiter_futures);
  g_free (state);
}

void
ls_trace_state_reset (LsTraceState *state)
{
  g_array_set_size (state->ready, 0);
  g_array_set_size (state->timers, 0);
  g_tree_destroy (state->timer_tree);
  state->timer_tree = g_tree_new (timer_compare);
  g_hash_table_remove_all (state->timer_entries);
  state->ready_head = 0;
  state->timers_dirty = FALSE;
  g_array_set_size (state->tasks, 0);
  g_hash_table_remove_all (state->task_index);
  g_array_set_size (state->primitives, 0);
  g_hash_table_remove_all (state->primitive_index);
  g_hash_table_remove_all (state->waiter_futures);
  state->time = 0;
  state->n_records = 0;
  state->iteration = 0;
  state->in_iteration = FALSE;
  state->running_task = 0;
  state->blocked_task = 0;
}

static LsTaskEntry *
lookup_task (LsTraceState *state,
             guint32       task_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (state->task_index,
                                                       GUINT_TO_POINTER (task_id)));

  if (index == 0)
    return NULL;
  return &g_array_index (state->tasks, LsTaskEntry, index - 1);
}

const LsTaskEntry *
ls_trace_state_get_task (LsTraceState *state,
                         guint32       task_id)
{
  return lookup_task (state, task_id);
}

static void
set_task_state (LsTaskEntry *task,
                LsTaskState  new_state,
                gint64       time)
{
  if (task == NULL)
    return;
  if (task->state != new_state)
    task->since = time;
  task->state = new_state;
  if (new_state != LS_TASK_STATE_WAITING)
    {
      task->wait_reason = LS_WAIT_NONE;
      task->wait_object = 0;
      task->wait_deadline = -1;
    }
}

static void
remove_timer (LsTraceState *state,
              guint32       timer_id)
{
  LsTimerEntry *entry = g_hash_table_lookup (state->timer_entries, GUINT_TO_POINTER (timer_id));

  if (entry == NULL)
    return;
  g_tree_remove (state->timer_tree, entry);
  g_hash_table_remove (state->timer_entries, GUINT_TO_POINTER (timer_id));
  state->timers_dirty = TRUE;
}

static void
insert_timer (LsTraceState       *state,
              const LsTimerEntry *entry)
{
  LsTimerEntry *copy = g_memdup2 (entry, sizeof *entry);

  g_tree_insert (state->timer_tree, copy, copy);
  g_hash_table_insert (state->timer_entries, GUINT_TO_POINTER (copy->timer_id), copy);
  state->timers_dirty = TRUE;
}

static gboolean
append_timer (gpointer key,
              gpointer value,
              gpointer data)
{
  g_array_append_val ((GArray *) data, *(LsTimerEntry *) key);
  return FALSE;
}

/* Writes the tree and the queue head back to the public arrays. */
static void
sync_arrays (LsTraceState *state)
{
  if (state->ready_head > 0)
    {
      g_array_remove_range (state->ready, 0, state->ready_head);
      state->ready_head = 0;
    }
  if (state->timers_dirty)
    {
      g_array_set_size (state->timers, 0);
      g_tree_foreach (state->timer_tree, append_timer, state->timers);
      state->timers_dirty = FALSE;
    }
}

/* ---- primitives ------------------------------------------------------- */

static LsPrimitiveEntry *
lookup_primitive (LsTraceState *state,
                  guint32       id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (state->primitive_index,
                                                       GUINT_TO_POINTER (id)));

  if (index == 0)
    return NULL;
  return &g_array_index (state->primitives, LsPrimitiveEntry, index - 1);
}

const LsPrimitiveEntry *
ls_trace_state_get_primitive (LsTraceState *state,
                              guint32       primitive_id)
{
  return lookup_primitive (state, primitive_id);
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

/* Index of @task_id's entry in @list, or -1. A task waits at most once on
 * one list at a time, so the task names the entry. */
static int
find_waiter (GArray *list,
             guint32 task_id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, LsWaiterEntry, i).task_id == task_id)
      return (int) i;
  return -1;
}

static LsWaiterEntry *
lookup_waiter (LsPrimitiveEntry *p,
               guint32           task_id)
{
  int i = find_waiter (p->waiters, task_id);

  if (i >= 0)
    return &g_array_index (p->waiters, LsWaiterEntry, i);
  i = find_waiter (p->putters, task_id);
  if (i >= 0)
    return &g_array_index (p->putters, LsWaiterEntry, i);
  return NULL;
}

static void
remove_waiter (LsTraceState     *state,
               LsPrimitiveEntry *p,
               guint32           task_id)
{
  GArray *lists[] = { p->waiters, p->putters };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      int i = find_waiter (lists[l], task_id);

      if (i >= 0)
        {
          g_hash_table_remove (state->waiter_futures,
                               GUINT_TO_POINTER (g_array_index (lists[l], LsWaiterEntry,
                                                                i).future_id));
          g_array_remove_index (lists[l], i);
          return;
        }
    }
}

/* A waiter future was cancelled (its task was): the entry stays listed
 * until the task runs, but no longer counts as waiting. */
static void
mark_waiter_cancelled (LsTraceState *state,
                       guint32       future_id)
{
  guint32 primitive_id = GPOINTER_TO_UINT (g_hash_table_lookup (state->waiter_futures,
                                                                GUINT_TO_POINTER (future_id)));
  LsPrimitiveEntry *p;
  GArray *lists[2];

  if (primitive_id == 0 || (p = lookup_primitive (state, primitive_id)) == NULL)
    return;
  lists[0] = p->waiters;
  lists[1] = p->putters;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        LsWaiterEntry *w = &g_array_index (lists[l], LsWaiterEntry, i);

        if (w->future_id == future_id)
          {
            w->state = LS_WAITER_CANCELLED;
            return;
          }
      }
}

static void
apply_primitive (LsTraceState        *state,
                 const LsTraceRecord *r)
{
  LsPrimitiveEntry *p = lookup_primitive (state, r->object);
  LsPrimitiveEntry *owner;
  LsWaiterEntry *w;

  if (p == NULL)
    return;
  switch ((LsPrimitiveOp) r->reason)
    {
    case LS_PRIMITIVE_WAIT_BEGIN:
    case LS_PRIMITIVE_PUT_WAIT_BEGIN:
      {
        LsWaiterEntry entry = { r->subject, r->peer, LS_WAITER_WAITING, 0, r->time };

        g_array_append_val (r->reason == LS_PRIMITIVE_PUT_WAIT_BEGIN ? p->putters : p->waiters,
                            entry);
        g_hash_table_insert (state->waiter_futures, GUINT_TO_POINTER (r->peer),
                             GUINT_TO_POINTER (p->id));
      }
      break;

    case LS_PRIMITIVE_ACQUIRED:
      remove_waiter (state, p, r->subject);
      if (p->kind == LS_OBJECT_LOCK)
        {
          p->value = 1;
          p->owner_id = r->subject;
        }
      else if (ls_object_kind_is_semaphore (p->kind))
        p->value = r->arg;
      break;

    case LS_PRIMITIVE_RELEASED:
      if (p->kind == LS_OBJECT_LOCK)
        {
          p->value = 0;
          p->owner_id = 0;
        }
      else
        p->value = r->arg;
      break;

    case LS_PRIMITIVE_HANDOFF:
      p->handoff_from = r->subject;
      p->handoff_to = r->peer;
      p->handoff_time = r->time;
      if (ls_object_kind_is_queue (p->kind))
        remove_waiter (state, p, r->peer); /* Queue._wakeup_next pops it */
      else if ((w = lookup_waiter (p, r->peer)) != NULL)
        {
          w->state = LS_WAITER_WOKEN;
          w->woken_by = r->subject;
        }
      if (ls_object_kind_is_semaphore (p->kind))
        p->value = r->arg;
      break;

    case LS_PRIMITIVE_WAIT_END:
      remove_waiter (state, p, r->subject);
      if (ls_object_kind_is_semaphore (p->kind))
        p->value = r->arg;
      break;

    case LS_PRIMITIVE_SET:
    case LS_PRIMITIVE_CLEAR:
      p->value = r->arg;
      break;

    case LS_PRIMITIVE_PUT:
      p->value = r->arg;
      p->unfinished++;
      break;

    case LS_PRIMITIVE_GET:
    case LS_PRIMITIVE_BARRIER_ENTER:
    case LS_PRIMITIVE_BARRIER_LEAVE:
      p->value = r->arg;
      break;

    case LS_PRIMITIVE_TASK_DONE:
      p->unfinished = r->arg;
      break;

    case LS_PRIMITIVE_BARRIER_STATE:
      p->barrier_state = (guint16) r->arg;
      break;

    case LS_PRIMITIVE_PART_OF:
      if ((owner = lookup_primitive (state, r->peer)) != NULL)
        owner->part_id = p->id;
      if (r->arg)
        p->parent_id = r->peer;
      break;

    case LS_PRIMITIVE_NOTIFY:
    case LS_PRIMITIVE_JOIN:
    default:
      break;
    }
}

static void
apply (LsTraceState        *state,
       const LsTraceRecord *r)
{
  LsTaskEntry *task;

  state->time = r->time;
  switch ((LsTraceKind) r->kind)
    {
    case LS_TRACE_LOOP_ITERATION_BEGIN:
      state->iteration = (guint64) r->arg;
      state->in_iteration = TRUE;
      break;

    case LS_TRACE_LOOP_ITERATION_END:
      state->in_iteration = FALSE;
      break;

    case LS_TRACE_LOOP_BLOCKED_BEGIN:
      state->blocked_task = r->subject;
      break;

    case LS_TRACE_LOOP_BLOCKED_END:
      state->blocked_task = 0;
      break;

    case LS_TRACE_OBJECT_NEW:
      if (r->reason == LS_OBJECT_TASK)
        {
          LsTaskEntry entry = { 0 };

          entry.task_id = r->object;
          entry.name_id = r->peer;
          entry.number = (guint32) r->arg;
          entry.creator_id = r->subject;
          entry.state = LS_TASK_STATE_READY;
          entry.wait_deadline = -1;
          entry.since = r->time;
          g_array_append_val (state->tasks, entry);
          g_hash_table_insert (state->task_index, GUINT_TO_POINTER (r->object),
                               GUINT_TO_POINTER (state->tasks->len));
        }
      else if (ls_object_kind_is_primitive (r->reason))
        {
          LsPrimitiveEntry *p = _ls_trace_state_add_primitive (state, r->object, r->reason);

          p->name_id = r->peer;
          p->creator_id = r->subject;
          p->capacity = r->arg;
          if (ls_object_kind_is_semaphore (r->reason))
            p->value = r->arg; /* the initial permits */
        }
      break;

    case LS_TRACE_READY_PUSH:
      {
        LsReadyEntry entry = { r->object, r->reason, r->subject, r->peer };

        g_array_append_val (state->ready, entry);
        if (r->reason == LS_HANDLE_TASK_STEP || r->reason == LS_HANDLE_TASK_WAKEUP)
          set_task_state (lookup_task (state, r->subject), LS_TASK_STATE_READY, r->time);
      }
      break;

    case LS_TRACE_HANDLE_RUN:
      /* FIFO: the handle that runs is always the head */
      if (state->ready_head < state->ready->len)
        state->ready_head++;
      if (r->reason == LS_HANDLE_TASK_STEP || r->reason == LS_HANDLE_TASK_WAKEUP)
        {
          state->running_task = r->subject;
          set_task_state (lookup_task (state, r->subject), LS_TASK_STATE_RUNNING, r->time);
        }
      else
        state->running_task = 0;
      break;

    case LS_TRACE_TASK_SUSPEND:
      task = lookup_task (state, r->subject);
      if (r->reason == LS_WAIT_YIELD)
        set_task_state (task, LS_TASK_STATE_READY, r->time); /* its step is queued next */
      else
        {
          set_task_state (task, LS_TASK_STATE_WAITING, r->time);
          if (task != NULL)
            {
              task->wait_reason = r->reason;
              task->wait_object = r->object;
              task->wait_deadline = r->arg;
            }
        }
      if (state->running_task == r->subject)
        state->running_task = 0;
      break;

    case LS_TRACE_TASK_DONE:
      set_task_state (lookup_task (state, r->subject),
                      r->reason == LS_OUTCOME_CANCELLED ? LS_TASK_STATE_CANCELLED
                      : r->reason == LS_OUTCOME_FAILED ? LS_TASK_STATE_FAILED
                      : LS_TASK_STATE_DONE, r->time);
      if (state->running_task == r->subject)
        state->running_task = 0;
      break;

    case LS_TRACE_CANCEL_REQUEST:
      if ((task = lookup_task (state, r->object)) != NULL && r->arg)
        task->cancel_requests++;
      break;

    case LS_TRACE_TIMER_ADD:
      {
        LsTimerEntry entry = { r->object, r->arg, r->subject, r->reason, r->peer };

        insert_timer (state, &entry);
      }
      break;

    case LS_TRACE_TIMER_CANCEL:
    case LS_TRACE_TIMER_FIRE:
      remove_timer (state, r->object);
      break;

    case LS_TRACE_FUTURE_DONE:
      if (r->reason == LS_OUTCOME_CANCELLED)
        mark_waiter_cancelled (state, r->object);
      break;

    case LS_TRACE_PRIMITIVE:
      apply_primitive (state, r);
      break;

    case LS_TRACE_PRINT:
    case LS_TRACE_IO_BEGIN:
    case LS_TRACE_IO_COMPLETE:
    case LS_TRACE_SCOPE_BEGIN:
    case LS_TRACE_SCOPE_END:
    case LS_TRACE_SOURCE_LINE:
    default:
      break;
    }
}

/* Replays records [state->n_records, n_records). To go backwards, reset
 * first (the window keeps checkpoints for that). */
void
ls_trace_state_replay (LsTraceState *state,
                       LsTrace      *trace,
                       guint64       n_records)
{
  n_records = MIN (n_records, ls_trace_get_n_records (trace));
  if (n_records < state->n_records)
    ls_trace_state_reset (state);
  for (guint64 i = state->n_records; i < n_records; i++)
    apply (state, ls_trace_get_record (trace, i));
  state->n_records = n_records;
  sync_arrays (state);
}

/* The state after every record stamped at or before @time_ns. */
LsTraceState *
ls_trace_state_at_time (LsTrace *trace,
                        gint64   time_ns)
{
  LsTraceState *state = ls_trace_state_new ();

  ls_trace_state_replay (state, trace, ls_trace_find_time (trace, time_ns + 1));
  return state;
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
