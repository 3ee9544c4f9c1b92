/* SPDX-License-Identifier: MIT
 *
 * Rebuilding the loop's state from the trace. Replay is incremental: a
 * state that has seen the first N records moves on to N + M by reading
 * only the M new ones. A run with 10,000 tasks keeps thousands of timers
 * and ready handles, so the replay works on a tree and a queue head and
 * writes the public `timers` and `ready` arrays back only when asked.
 *
 * Records come from files too, so nothing here trusts them: an unknown id
 * is ignored, a duplicate declaration too, and no sequence of records can
 * make it touch memory it does not own.
 */
#include "config.h"

#include "ls-replay.h"

#include <string.h>

struct _LsReplay
{
  LsTraceState *state;
  GTree        *timer_tree;     /* LsTimerEntry* by (deadline, id) */
  GHashTable   *timer_entries;  /* timer id -> LsTimerEntry* (owned) */
  guint         ready_head;     /* handles of state->ready that already ran */
  gboolean      timers_dirty;
  GHashTable   *waiter_futures; /* waiter future id -> primitive id, while listed */
};

typedef struct
{
  guint32 future_id;
  guint32 primitive_id;
} WaiterFuture;

struct _LsReplayCheckpoint
{
  guint64  n_records;
  gint64   time;
  guint64  iteration;
  gboolean in_iteration;
  guint32  running_task;
  guint32  blocked_task;
  GArray  *ready;          /* LsReadyEntry */
  GArray  *timers;         /* LsTimerEntry, sorted */
  GArray  *tasks;          /* LsTaskEntry */
  GArray  *primitives;     /* LsPrimitiveEntry, with their own waiter arrays */
  GArray  *waiter_futures; /* WaiterFuture */
};

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

LsReplay *
ls_replay_new (void)
{
  LsReplay *self = g_new0 (LsReplay, 1);

  self->state = ls_trace_state_new ();
  self->timer_tree = g_tree_new (timer_compare);
  self->timer_entries = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->waiter_futures = g_hash_table_new (NULL, NULL);
  return self;
}

void
ls_replay_free (LsReplay *self)
{
  if (self == NULL)
    return;
  ls_trace_state_free (self->state);
  g_tree_destroy (self->timer_tree);
  g_hash_table_unref (self->timer_entries);
  g_hash_table_unref (self->waiter_futures);
  g_free (self);
}

static void
clear_timers (LsReplay *self)
{
  g_tree_destroy (self->timer_tree);
  self->timer_tree = g_tree_new (timer_compare);
  g_hash_table_remove_all (self->timer_entries);
}

void
ls_replay_reset (LsReplay *self)
{
  ls_trace_state_reset (self->state);
  clear_timers (self);
  g_hash_table_remove_all (self->waiter_futures);
  self->ready_head = 0;
  self->timers_dirty = FALSE;
}

guint64
ls_replay_get_n_records (LsReplay *self)
{
  return self->state->n_records;
}

static LsTaskEntry *
lookup_task (LsReplay *self,
             guint32   task_id)
{
  return (LsTaskEntry *) ls_trace_state_get_task (self->state, task_id);
}

static LsPrimitiveEntry *
lookup_primitive (LsReplay *self,
                  guint32   id)
{
  return (LsPrimitiveEntry *) ls_trace_state_get_primitive (self->state, id);
}

static gboolean
is_final (guint state)
{
  return state == LS_TASK_STATE_DONE || state == LS_TASK_STATE_FAILED
         || state == LS_TASK_STATE_CANCELLED;
}

/* The rule every view follows: a task that ended stays ended; a new state,
 * or another wait, begins a new span. */
static void
set_task_state (LsTaskEntry    *task,
                LsTaskState     new_state,
                gint64          time,
                LsReplayChange *change)
{
  if (task == NULL || is_final (task->state))
    return;
  change->task = task;
  change->new_span = task->state != new_state || new_state == LS_TASK_STATE_WAITING;
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

/* ---- timers and the ready queue ------------------------------------------ */

static void
remove_timer (LsReplay *self,
              guint32   timer_id)
{
  LsTimerEntry *entry = g_hash_table_lookup (self->timer_entries, GUINT_TO_POINTER (timer_id));

  if (entry == NULL)
    return;
  g_tree_remove (self->timer_tree, entry);
  g_hash_table_remove (self->timer_entries, GUINT_TO_POINTER (timer_id));
  self->timers_dirty = TRUE;
}

static void
insert_timer (LsReplay           *self,
              const LsTimerEntry *entry)
{
  LsTimerEntry *copy;

  /* a timer id is added once; a file that says otherwise replaces it */
  remove_timer (self, entry->timer_id);
  copy = g_memdup2 (entry, sizeof *entry);
  g_tree_insert (self->timer_tree, copy, copy);
  g_hash_table_insert (self->timer_entries, GUINT_TO_POINTER (copy->timer_id), copy);
  self->timers_dirty = TRUE;
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
sync_arrays (LsReplay *self)
{
  if (self->ready_head > 0)
    {
      g_array_remove_range (self->state->ready, 0, self->ready_head);
      self->ready_head = 0;
    }
  if (self->timers_dirty)
    {
      g_array_set_size (self->state->timers, 0);
      g_tree_foreach (self->timer_tree, append_timer, self->state->timers);
      self->timers_dirty = FALSE;
    }
}

LsTraceState *
ls_replay_get_state (LsReplay *self)
{
  sync_arrays (self);
  return self->state;
}

/* ---- primitives ----------------------------------------------------------- */

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
remove_waiter (LsReplay         *self,
               LsPrimitiveEntry *p,
               guint32           task_id)
{
  GArray *lists[] = { p->waiters, p->putters };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      int i = find_waiter (lists[l], task_id);

      if (i >= 0)
        {
          g_hash_table_remove (self->waiter_futures,
                               GUINT_TO_POINTER (g_array_index (lists[l], LsWaiterEntry,
                                                                i).future_id));
          g_array_remove_index (lists[l], i);
          return;
        }
    }
}

/* A waiter future was cancelled (its task was): the entry stays listed
 * until the task runs, but no longer counts as waiting. The change names
 * the primitive, whose waiter list it changed. */
static void
mark_waiter_cancelled (LsReplay       *self,
                       guint32         future_id,
                       LsReplayChange *change)
{
  guint32 primitive_id = GPOINTER_TO_UINT (g_hash_table_lookup (self->waiter_futures,
                                                                GUINT_TO_POINTER (future_id)));
  LsPrimitiveEntry *p;
  GArray *lists[2];

  if (primitive_id == 0 || (p = lookup_primitive (self, primitive_id)) == NULL)
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
            change->primitive = p;
            change->old_value = p->value;
            change->old_owner = p->owner_id;
            return;
          }
      }
}

/* What each operation does to the primitive. The count a record carries
 * (permits, depth, tasks inside) is the primitive's value after it. */
static void
apply_primitive (LsReplay            *self,
                 const LsTraceRecord *r,
                 LsReplayChange      *change)
{
  LsPrimitiveEntry *p = lookup_primitive (self, r->object);
  LsPrimitiveEntry *owner;
  LsWaiterEntry *w;
  gboolean counted;

  if (p == NULL)
    return;
  change->primitive = p;
  change->old_value = p->value;
  change->old_owner = p->owner_id;
  counted = ls_object_kind_is_semaphore (p->kind) || ls_object_kind_is_queue (p->kind);
  switch ((LsPrimitiveOp) r->reason)
    {
    case LS_PRIMITIVE_WAIT_BEGIN:
    case LS_PRIMITIVE_PUT_WAIT_BEGIN:
      {
        LsWaiterEntry entry = { r->subject, r->peer, LS_WAITER_WAITING, 0, r->time };

        /* a task is on one list of a primitive at a time */
        remove_waiter (self, p, r->subject);
        g_array_append_val (r->reason == LS_PRIMITIVE_PUT_WAIT_BEGIN ? p->putters : p->waiters,
                            entry);
        g_hash_table_insert (self->waiter_futures, GUINT_TO_POINTER (r->peer),
                             GUINT_TO_POINTER (p->id));
      }
      break;

    case LS_PRIMITIVE_ACQUIRED:
      remove_waiter (self, p, r->subject);
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
        remove_waiter (self, p, r->peer); /* Queue._wakeup_next pops it */
      else if ((w = lookup_waiter (p, r->peer)) != NULL)
        {
          w->state = LS_WAITER_WOKEN;
          w->woken_by = r->subject;
        }
      if (counted)
        p->value = r->arg;
      break;

    case LS_PRIMITIVE_WAIT_END:
      remove_waiter (self, p, r->subject);
      if (counted)
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
      if ((owner = lookup_primitive (self, r->peer)) != NULL && owner != p)
        {
          owner->part_id = p->id;
          if (r->arg)
            p->parent_id = r->peer;
        }
      break;

    case LS_PRIMITIVE_NOTIFY:
    case LS_PRIMITIVE_JOIN:
    default:
      break;
    }
}

/* ---- records -------------------------------------------------------------- */

static void
declare_object (LsReplay            *self,
                const LsTraceRecord *r,
                LsReplayChange      *change)
{
  if (r->object == 0)
    return;
  if (r->reason == LS_OBJECT_TASK)
    {
      LsTaskEntry *entry;

      if (lookup_task (self, r->object) != NULL)
        return;
      entry = ls_trace_state_add_task (self->state, r->object);
      entry->name_id = r->peer;
      entry->number = (guint32) r->arg;
      entry->creator_id = r->subject;
      entry->state = LS_TASK_STATE_READY;
      entry->since = r->time;
      change->task = entry;
      change->new_span = TRUE;
      change->created = TRUE;
    }
  else if (ls_object_kind_is_primitive (r->reason))
    {
      LsPrimitiveEntry *p;

      if (lookup_primitive (self, r->object) != NULL)
        return;
      p = _ls_trace_state_add_primitive (self->state, r->object, r->reason);
      p->name_id = r->peer;
      p->creator_id = r->subject;
      p->capacity = r->arg;
      if (ls_object_kind_is_semaphore (r->reason))
        p->value = r->arg; /* the initial permits */
      change->primitive = p;
      change->created = TRUE;
    }
}

void
ls_replay_apply (LsReplay            *self,
                 const LsTraceRecord *r,
                 LsReplayChange      *change)
{
  LsTraceState *state = self->state;
  LsTaskEntry *task;

  memset (change, 0, sizeof *change);
  state->time = r->time;
  state->n_records++;
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
      declare_object (self, r, change);
      break;

    case LS_TRACE_READY_PUSH:
      {
        LsReadyEntry entry = { r->object, r->reason, r->subject, r->peer };

        g_array_append_val (state->ready, entry);
        if (r->reason == LS_HANDLE_TASK_STEP || r->reason == LS_HANDLE_TASK_WAKEUP)
          set_task_state (lookup_task (self, r->subject), LS_TASK_STATE_READY, r->time, change);
      }
      break;

    case LS_TRACE_HANDLE_RUN:
      /* FIFO: the handle that runs is always the head */
      if (self->ready_head < state->ready->len)
        self->ready_head++;
      if (r->reason == LS_HANDLE_TASK_STEP || r->reason == LS_HANDLE_TASK_WAKEUP)
        {
          state->running_task = r->subject;
          set_task_state (lookup_task (self, r->subject), LS_TASK_STATE_RUNNING, r->time, change);
        }
      else
        state->running_task = 0;
      break;

    case LS_TRACE_TASK_SUSPEND:
      task = lookup_task (self, r->subject);
      if (r->reason == LS_WAIT_YIELD)
        set_task_state (task, LS_TASK_STATE_READY, r->time, change); /* its step is queued next */
      else
        {
          set_task_state (task, LS_TASK_STATE_WAITING, r->time, change);
          if (change->task != NULL)
            {
              task->wait_reason = r->reason < LS_N_WAIT_REASONS ? r->reason : LS_WAIT_NONE;
              task->wait_object = r->object;
              task->wait_deadline = r->arg;
            }
        }
      if (state->running_task == r->subject)
        state->running_task = 0;
      break;

    case LS_TRACE_TASK_DONE:
      task = lookup_task (self, r->subject);
      set_task_state (task, r->reason == LS_OUTCOME_CANCELLED ? LS_TASK_STATE_CANCELLED
                            : r->reason == LS_OUTCOME_FAILED ? LS_TASK_STATE_FAILED
                            : LS_TASK_STATE_DONE, r->time, change);
      if (change->task != NULL)
        task->outcome_id = r->peer;
      if (state->running_task == r->subject)
        state->running_task = 0;
      break;

    case LS_TRACE_CANCEL_REQUEST:
      if ((task = lookup_task (self, r->object)) != NULL && r->arg)
        task->cancel_requests++;
      break;

    case LS_TRACE_TIMER_ADD:
      {
        LsTimerEntry entry = { r->object, r->arg, r->subject, r->reason, r->peer };

        insert_timer (self, &entry);
      }
      break;

    case LS_TRACE_TIMER_CANCEL:
    case LS_TRACE_TIMER_FIRE:
      remove_timer (self, r->object);
      break;

    case LS_TRACE_FUTURE_DONE:
      if (r->reason == LS_OUTCOME_CANCELLED)
        mark_waiter_cancelled (self, r->object, change);
      break;

    case LS_TRACE_PRIMITIVE:
      apply_primitive (self, r, change);
      break;

    case LS_TRACE_SOURCE_LINE:
      if ((task = lookup_task (self, r->subject)) != NULL)
        task->line = (int) CLAMP (r->arg, 0, G_MAXINT);
      break;

    case LS_TRACE_PRINT:
    case LS_TRACE_IO_BEGIN:
    case LS_TRACE_IO_COMPLETE:
    case LS_TRACE_SCOPE_BEGIN:
    case LS_TRACE_SCOPE_END:
    default:
      break;
    }
}

void
ls_replay_run (LsReplay *self,
               LsTrace  *trace,
               guint64   n_records)
{
  LsReplayChange change;

  n_records = MIN (n_records, ls_trace_get_n_records (trace));
  if (n_records < self->state->n_records)
    ls_replay_reset (self);
  for (guint64 i = self->state->n_records; i < n_records; i++)
    ls_replay_apply (self, ls_trace_get_record (trace, i), &change);
}

/* ---- checkpoints ------------------------------------------------------------ */

static GArray *
copy_primitives (GArray *from)
{
  GArray *to = g_array_sized_new (FALSE, FALSE, sizeof (LsPrimitiveEntry), from->len);

  for (guint i = 0; i < from->len; i++)
    {
      LsPrimitiveEntry p = g_array_index (from, LsPrimitiveEntry, i);

      p.waiters = g_array_copy (p.waiters);
      p.putters = g_array_copy (p.putters);
      g_array_append_val (to, p);
    }
  return to;
}

static void
free_primitives (GArray *primitives)
{
  for (guint i = 0; i < primitives->len; i++)
    {
      LsPrimitiveEntry *p = &g_array_index (primitives, LsPrimitiveEntry, i);

      g_array_unref (p->waiters);
      g_array_unref (p->putters);
    }
  g_array_unref (primitives);
}

/* A copy of the state with no index tables: they are rebuilt on restore,
 * so a checkpoint costs little more than its tasks and timers. */
LsReplayCheckpoint *
ls_replay_save (LsReplay *self)
{
  LsReplayCheckpoint *c = g_new0 (LsReplayCheckpoint, 1);
  LsTraceState *state = ls_replay_get_state (self);
  GHashTableIter iter;
  gpointer key, value;

  c->n_records = state->n_records;
  c->time = state->time;
  c->iteration = state->iteration;
  c->in_iteration = state->in_iteration;
  c->running_task = state->running_task;
  c->blocked_task = state->blocked_task;
  c->ready = g_array_copy (state->ready);
  c->timers = g_array_copy (state->timers);
  c->tasks = g_array_copy (state->tasks);
  c->primitives = copy_primitives (state->primitives);
  c->waiter_futures = g_array_sized_new (FALSE, FALSE, sizeof (WaiterFuture),
                                         g_hash_table_size (self->waiter_futures));
  g_hash_table_iter_init (&iter, self->waiter_futures);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      WaiterFuture w = { GPOINTER_TO_UINT (key), GPOINTER_TO_UINT (value) };

      g_array_append_val (c->waiter_futures, w);
    }
  return c;
}

void
ls_replay_restore (LsReplay                 *self,
                   const LsReplayCheckpoint *c)
{
  LsTraceState *state = self->state;

  ls_replay_reset (self);
  state->n_records = c->n_records;
  state->time = c->time;
  state->iteration = c->iteration;
  state->in_iteration = c->in_iteration;
  state->running_task = c->running_task;
  state->blocked_task = c->blocked_task;
  g_array_append_vals (state->ready, c->ready->data, c->ready->len);
  g_array_append_vals (state->tasks, c->tasks->data, c->tasks->len);
  for (guint i = 0; i < c->tasks->len; i++)
    g_hash_table_insert (state->task_index,
                         GUINT_TO_POINTER (g_array_index (c->tasks, LsTaskEntry, i).task_id),
                         GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < c->primitives->len; i++)
    {
      LsPrimitiveEntry p = g_array_index (c->primitives, LsPrimitiveEntry, i);

      p.waiters = g_array_copy (p.waiters);
      p.putters = g_array_copy (p.putters);
      g_array_append_val (state->primitives, p);
      g_hash_table_insert (state->primitive_index, GUINT_TO_POINTER (p.id),
                           GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < c->timers->len; i++)
    insert_timer (self, &g_array_index (c->timers, LsTimerEntry, i));
  for (guint i = 0; i < c->waiter_futures->len; i++)
    {
      const WaiterFuture *w = &g_array_index (c->waiter_futures, WaiterFuture, i);

      g_hash_table_insert (self->waiter_futures, GUINT_TO_POINTER (w->future_id),
                           GUINT_TO_POINTER (w->primitive_id));
    }
}

guint64
ls_replay_checkpoint_get_n_records (const LsReplayCheckpoint *checkpoint)
{
  return checkpoint->n_records;
}

gsize
ls_replay_checkpoint_get_size (const LsReplayCheckpoint *c)
{
  gsize size = sizeof *c + c->ready->len * sizeof (LsReadyEntry)
               + c->timers->len * sizeof (LsTimerEntry) + c->tasks->len * sizeof (LsTaskEntry)
               + c->waiter_futures->len * sizeof (WaiterFuture);

  for (guint i = 0; i < c->primitives->len; i++)
    {
      const LsPrimitiveEntry *p = &g_array_index (c->primitives, LsPrimitiveEntry, i);

      size += sizeof *p + (p->waiters->len + p->putters->len) * sizeof (LsWaiterEntry);
    }
  return size;
}

void
ls_replay_checkpoint_free (LsReplayCheckpoint *c)
{
  if (c == NULL)
    return;
  g_array_unref (c->ready);
  g_array_unref (c->timers);
  g_array_unref (c->tasks);
  free_primitives (c->primitives);
  g_array_unref (c->waiter_futures);
  g_free (c);
}
