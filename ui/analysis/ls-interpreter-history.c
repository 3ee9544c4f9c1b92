/* SPDX-License-Identifier: MIT
 *
 * The interpreter's history of a run: the lanes (tasks under the task that
 * created them, then primitives), each task's state spans as the replay
 * reports them and how it ended, owners, flags, counts and waiter lists
 * over time, and the facts records carry themselves: blocked bands,
 * prints, cancel requests, deadlines and the scopes they belong to, who
 * woke whom, and which timer or I/O completion ended a task's wait.
 */
#include "config.h"

#include "ls-interpreter-private.h"

/* ---- lanes ------------------------------------------------------------ */

static LsTimelineLane *
lane_at (LsInterpreter *self,
         guint            lane)
{
  return &g_array_index (self->lanes, LsTimelineLane, lane);
}

int
ls_interpreter_find_lane (LsInterpreter *self,
                             guint32          object_id)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), -1);

  if (object_id == 0)
    return -1;
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->lane_index,
                                                      GUINT_TO_POINTER (object_id))) - 1;
}

static LsTimelineLane *
lookup_lane (LsInterpreter *self,
             guint32          object_id)
{
  int lane = ls_interpreter_find_lane (self, object_id);

  return lane >= 0 ? lane_at (self, lane) : NULL;
}

static LsTimelineLane *
lookup_task_lane (LsInterpreter *self,
                  guint32          task_id)
{
  LsTimelineLane *lane = lookup_lane (self, task_id);

  return lane != NULL && lane->kind == LS_TIMELINE_LANE_TASK ? lane : NULL;
}

static LsTimelineLane *
add_lane (LsInterpreter    *self,
          LsTimelineLaneKind  kind,
          const LsTraceRecord *r)
{
  LsTimelineLane lane = { 0 };

  lane.kind = kind;
  lane.object_id = r->object;
  lane.object_kind = r->reason;
  lane.creator_id = r->subject;
  lane.capacity = r->arg;
  lane.created_ns = r->time;
  if (kind == LS_TIMELINE_LANE_TASK)
    lane.spans = g_array_new (FALSE, FALSE, sizeof (LsTimelineSpan));
  else
    {
      lane.holds = g_array_new (FALSE, FALSE, sizeof (LsTimelineHold));
      lane.steps = g_array_new (FALSE, FALSE, sizeof (LsTimelineStep));
      lane.marks = g_array_new (FALSE, FALSE, sizeof (LsTimelineHold));
      lane.waiters = g_array_new (FALSE, FALSE, sizeof (LsTimelineWaiter));
    }
  g_array_append_val (self->lanes, lane);
  g_hash_table_insert (self->lane_index, GUINT_TO_POINTER (r->object),
                       GUINT_TO_POINTER (self->lanes->len));
  self->rows_dirty = TRUE;
  return lane_at (self, self->lanes->len - 1);
}

/* Tasks in creation order, each followed (depth first) by the tasks it
 * created, then the primitives that are no private component. */
void
_ls_interpreter_update_rows (LsInterpreter *self)
{
  guint n = self->lanes->len;
  g_autofree int *first_child = g_new (int, n);
  g_autofree int *last_child = g_new (int, n);
  g_autofree int *next_sibling = g_new (int, n);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < n; i++)
    first_child[i] = last_child[i] = next_sibling[i] = -1;
  g_array_set_size (self->rows, 0);
  g_array_set_size (self->lane_rows, n);
  for (guint i = 0; i < n; i++)
    g_array_index (self->lane_rows, int, i) = -1;

  /* children lists, and roots pushed in reverse so they pop in order */
  for (guint i = 0; i < n; i++)
    {
      LsTimelineLane *lane = lane_at (self, i);
      int parent;

      if (lane->kind != LS_TIMELINE_LANE_TASK)
        continue;
      parent = ls_interpreter_find_lane (self, lane->creator_id);
      if (parent < 0 || (guint) parent >= i || lane_at (self, parent)->kind != LS_TIMELINE_LANE_TASK)
        continue;
      if (last_child[parent] < 0)
        first_child[parent] = (int) i;
      else
        next_sibling[last_child[parent]] = (int) i;
      last_child[parent] = (int) i;
    }
  for (guint k = n; k > 0; k--)
    {
      guint i = k - 1;
      LsTimelineLane *lane = lane_at (self, i);
      int parent;

      if (lane->kind != LS_TIMELINE_LANE_TASK)
        continue;
      parent = ls_interpreter_find_lane (self, lane->creator_id);
      if (parent < 0 || (guint) parent >= i || lane_at (self, parent)->kind != LS_TIMELINE_LANE_TASK)
        {
          int root = (int) i;

          g_array_append_val (stack, root);
        }
    }
  while (stack->len > 0)
    {
      int lane = g_array_index (stack, int, stack->len - 1);
      guint row = self->rows->len;
      g_autoptr(GArray) kids = g_array_new (FALSE, FALSE, sizeof (int));

      g_array_set_size (stack, stack->len - 1);
      g_array_append_val (self->rows, lane);
      g_array_index (self->lane_rows, int, lane) = (int) row;
      for (int c = first_child[lane]; c >= 0; c = next_sibling[c])
        g_array_append_val (kids, c);
      for (guint k = kids->len; k > 0; k--)
        g_array_append_val (stack, g_array_index (kids, int, k - 1));
    }
  for (guint i = 0; i < n; i++)
    {
      LsTimelineLane *lane = lane_at (self, i);
      guint row = self->rows->len;

      if (lane->kind != LS_TIMELINE_LANE_PRIMITIVE || lane->hidden)
        continue;
      g_array_append_val (self->rows, i);
      g_array_index (self->lane_rows, int, i) = (int) row;
    }
  self->rows_dirty = FALSE;
}

/* ---- task states ------------------------------------------------------ */

static gboolean
is_final_state (guint state)
{
  return state == LS_TASK_STATE_DONE || state == LS_TASK_STATE_FAILED
         || state == LS_TASK_STATE_CANCELLED;
}

/* The replay says @task entered a state (or began another wait) at @time:
 * the open span ends and one in that state opens; a final state is an
 * instant (start = end) and nothing follows it. */
static void
open_span (LsTimelineLane    *lane,
           const LsTaskEntry *task,
           gint64             time)
{
  LsTimelineSpan span = { time, LS_TIMELINE_OPEN, task->state, 0, 0 };

  if (lane == NULL)
    return;
  if (lane->spans->len > 0)
    g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1).end_ns = time;
  if (task->state == LS_TASK_STATE_WAITING)
    {
      span.wait_reason = task->wait_reason;
      span.wait_object = task->wait_object;
    }
  if (is_final_state (task->state))
    span.end_ns = time;
  g_array_append_val (lane->spans, span);
}

/* ---- causal links ------------------------------------------------------- */

static const Completion *
lookup_completion (LsInterpreter *self,
                   guint32        future_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->completers,
                                                       GUINT_TO_POINTER (future_id)));

  return index > 0 ? &g_array_index (self->completions, Completion, index - 1) : NULL;
}

/* The task behind a cause id: a task itself, or the task that completed a
 * future (which may in turn have been completed from a callback). */
static guint32
resolve_cause (LsInterpreter *self,
               guint32          cause,
               gint64          *time)
{
  const Completion *c;

  if (cause == 0)
    return 0;
  if (lookup_task_lane (self, cause) != NULL)
    return cause;
  if ((c = lookup_completion (self, cause)) == NULL)
    return 0;
  if (time != NULL)
    *time = c->time;
  return c->task_id;
}

/* @future_id was completed by @task_id, or by the timer or I/O operation
 * of @wake (index + 1 in wakes) */
static void
record_completion (LsInterpreter *self,
                   guint32          future_id,
                   guint32          task_id,
                   gint64           time,
                   guint32          wake)
{
  Completion c = { task_id, time, wake };

  if (task_id == 0 && wake == 0)
    return;
  g_array_append_val (self->completions, c);
  g_hash_table_insert (self->completers, GUINT_TO_POINTER (future_id),
                       GUINT_TO_POINTER (self->completions->len));
}

/* ---- timers, I/O and deadlines ------------------------------------------ */

static Origin *
add_origin (GHashTable *table,
            guint32     id,
            gint64      time,
            guint32     task_id,
            guint16     reason,
            gint64      deadline,
            const char *text)
{
  Origin *o = g_new0 (Origin, 1);

  o->time = time;
  o->done = -1;
  o->task_id = task_id;
  o->reason = reason;
  o->deadline = deadline;
  o->text = text;
  g_hash_table_insert (table, GUINT_TO_POINTER (id), o);
  return o;
}

/* A future completed by a timer or an I/O operation (@cause): what will
 * wake its task, if one awaits it. Returns the wake's index + 1, or 0. */
static guint32
add_wake (LsInterpreter *self,
          guint32        cause,
          gint64         time)
{
  LsTimelineWake wake = { 0 };
  Origin *o;

  if ((o = g_hash_table_lookup (self->timers, GUINT_TO_POINTER (cause))) != NULL)
    {
      wake.kind = LS_TIMELINE_WAKE_TIMER;
      wake.deadline_ns = o->deadline;
      wake.time_ns = o->done >= 0 ? o->done : time;
    }
  else if ((o = g_hash_table_lookup (self->ios, GUINT_TO_POINTER (cause))) != NULL)
    {
      wake.kind = LS_TIMELINE_WAKE_IO;
      wake.text = o->text;
      wake.time_ns = time;
    }
  else
    return 0;
  wake.reason = o->reason;
  wake.start_ns = o->time;
  wake.woke_ns = -1;
  wake.origin_task = o->task_id;
  wake.object = cause;
  g_array_append_val (self->wakes, wake);
  return self->wakes->len;
}

/* A timer that fired, or an I/O operation that completed, has completed
 * its future: nothing more comes of it. */
static void
forget_done_origin (GHashTable *table,
                    guint32     id)
{
  Origin *o = g_hash_table_lookup (table, GUINT_TO_POINTER (id));

  if (o != NULL && o->done >= 0)
    g_hash_table_remove (table, GUINT_TO_POINTER (id));
}

static LsTimelineDeadline *
lookup_deadline (LsInterpreter *self,
                 guint32        id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->deadline_of, GUINT_TO_POINTER (id)));

  return index > 0 ? &g_array_index (self->deadlines, LsTimelineDeadline, index - 1) : NULL;
}

/* The scope of a deadline is over at @time (its timer was cancelled, the
 * wait_for timed out, the `async with` block was left). */
static void
end_deadline (LsInterpreter *self,
              guint32        id,
              gint64         time)
{
  LsTimelineDeadline *d = lookup_deadline (self, id);

  if (d != NULL && d->end_ns == LS_TIMELINE_OPEN)
    d->end_ns = time;
  g_hash_table_remove (self->deadline_of, GUINT_TO_POINTER (id));
}

static gboolean
has_recent_link (LsInterpreter *self,
                 guint            from_lane,
                 guint            to_lane,
                 gint64           from_time)
{
  /* a handoff is recorded just before the waiter's future completes, so
   * the duplicate, if any, is among the last few links */
  for (guint k = self->links->len, seen = 0; k > 0 && seen < 16; k--, seen++)
    {
      const LsTimelineLink *l = &g_array_index (self->links, LsTimelineLink, k - 1);

      if (l->from_lane == from_lane && l->to_lane == to_lane && l->from_time == from_time)
        return TRUE;
    }
  return FALSE;
}

static void
add_link (LsInterpreter    *self,
          guint32             from_task,
          gint64              from_time,
          guint32             to_task,
          gint64              to_time,
          LsTimelineLinkKind  kind,
          guint32             via)
{
  int from = ls_interpreter_find_lane (self, from_task);
  int to = ls_interpreter_find_lane (self, to_task);
  int via_lane = ls_interpreter_find_lane (self, via);
  LsTimelineLink link;

  if (from < 0 || to < 0 || from == to)
    return;
  if (kind == LS_TIMELINE_LINK_WAKEUP && has_recent_link (self, from, to, from_time))
    return;
  link.from_lane = from;
  link.from_time = from_time;
  link.to_lane = to;
  link.to_time = to_time;
  link.kind = kind;
  link.via_lane = via_lane >= 0 ? (guint) via_lane : G_MAXUINT;
  g_array_append_val (self->links, link);
}

/* ---- primitives --------------------------------------------------------- */

static void
add_step (LsTimelineLane *lane,
          gint64          time,
          gint64          value)
{
  LsTimelineStep step = { time, value };

  lane->max_value = MAX (lane->max_value, value);
  if (lane->steps->len > 0)
    {
      LsTimelineStep *last = &g_array_index (lane->steps, LsTimelineStep, lane->steps->len - 1);

      if (last->value == value)
        return;
      /* changes within one instant are invisible at any zoom: keep the last,
       * and drop the step when that leaves the value as it was before */
      if (last->time_ns == time)
        {
          last->value = value;
          if (lane->steps->len > 1
              && g_array_index (lane->steps, LsTimelineStep, lane->steps->len - 2).value == value)
            g_array_set_size (lane->steps, lane->steps->len - 1);
          return;
        }
    }
  g_array_append_val (lane->steps, step);
}

static void
open_hold (LsTimelineLane *lane,
           gint64          time,
           guint32         task_id)
{
  LsTimelineHold hold = { time, LS_TIMELINE_OPEN, task_id };

  if (lane->holds->len > 0
      && g_array_index (lane->holds, LsTimelineHold, lane->holds->len - 1).end_ns
         == LS_TIMELINE_OPEN)
    return;
  g_array_append_val (lane->holds, hold);
}

static void
close_hold (LsTimelineLane *lane,
            gint64          time)
{
  LsTimelineHold *last;

  if (lane->holds->len == 0)
    return;
  last = &g_array_index (lane->holds, LsTimelineHold, lane->holds->len - 1);
  if (last->end_ns == LS_TIMELINE_OPEN)
    last->end_ns = time;
}

static void
add_mark (LsTimelineLane *lane,
          gint64          time,
          guint32         task_id)
{
  LsTimelineHold mark = { time, time, task_id };

  g_array_append_val (lane->marks, mark);
}

static void
close_waiter (LsTimelineLane *lane,
              guint           list,
              guint           position,
              gint64          time)
{
  guint32 open = lane->waiter_open[list][position];
  LsTimelineWaiter *w;

  if (open == 0)
    return;
  lane->waiter_open[list][position] = 0;
  w = &g_array_index (lane->waiters, LsTimelineWaiter, open - 1);
  w->end_ns = time;
  /* in and out within one instant: nobody waited there */
  if (w->start_ns == time && open == lane->waiters->len)
    g_array_set_size (lane->waiters, open - 1);
}

/* The waiter lists of @p after a record: an entry per task and position,
 * closed when the task leaves that position or its state changes. Only
 * the first LS_TIMELINE_WAITER_ROWS positions are followed, and a count of
 * the rest, so a list of 10,000 waiters costs what a list of five does. */
static void
update_waiters (LsTimelineLane         *lane,
                const LsPrimitiveEntry *p,
                gint64                  time)
{
  GArray *lists[2] = { p->waiters, p->putters };

  for (guint l = 0; l < 2; l++)
    {
      guint len = lists[l] != NULL ? lists[l]->len : 0;

      for (guint pos = 0; pos <= LS_TIMELINE_WAITER_ROWS; pos++)
        {
          LsTimelineWaiter w = { time, LS_TIMELINE_OPEN, 0, 0, (guint16) pos, (guint8) l, 0, 0 };
          guint32 open = lane->waiter_open[l][pos];
          gboolean present = FALSE;

          if (pos < LS_TIMELINE_WAITER_ROWS && pos < len)
            {
              const LsWaiterEntry *e = &g_array_index (lists[l], LsWaiterEntry, pos);

              w.task_id = e->task_id;
              w.state = (guint8) e->state;
              w.woken_by = e->woken_by;
              present = TRUE;
            }
          else if (pos == LS_TIMELINE_WAITER_ROWS && len > LS_TIMELINE_WAITER_ROWS)
            {
              w.count = len - LS_TIMELINE_WAITER_ROWS;
              present = TRUE;
            }
          if (open != 0)
            {
              const LsTimelineWaiter *o = &g_array_index (lane->waiters, LsTimelineWaiter,
                                                          open - 1);

              if (present && o->task_id == w.task_id && o->count == w.count
                  && o->state == w.state)
                continue;
              close_waiter (lane, l, pos, time);
            }
          if (!present)
            continue;
          g_array_append_val (lane->waiters, w);
          lane->waiter_open[l][pos] = lane->waiters->len;
          lane->waiter_rows[l] = MAX (lane->waiter_rows[l], pos + 1);
        }
    }
}

/* The history of a primitive: whatever the replay says its owner, flag or
 * count became, plus the marks and links of the record itself. */
static void
primitive_history (LsInterpreter        *self,
                   const LsTraceRecord  *r,
                   const LsReplayChange *change)
{
  const LsPrimitiveEntry *p = change->primitive;
  LsTimelineLane *lane = lookup_lane (self, r->object);

  if (r->reason == LS_PRIMITIVE_HANDOFF)
    add_link (self, r->subject, r->time, r->peer, r->time, LS_TIMELINE_LINK_HANDOFF, r->object);
  if (p == NULL || lane == NULL || lane->kind != LS_TIMELINE_LANE_PRIMITIVE)
    return;

  if (p->kind == LS_OBJECT_LOCK)
    {
      if (p->owner_id != change->old_owner)
        {
          close_hold (lane, r->time);
          if (p->owner_id != 0)
            open_hold (lane, r->time, p->owner_id);
        }
    }
  else if (p->kind == LS_OBJECT_EVENT)
    {
      if (p->value && !change->old_value)
        open_hold (lane, r->time, r->subject);
      else if (!p->value && change->old_value)
        close_hold (lane, r->time);
    }
  else if (ls_object_kind_is_semaphore (p->kind) || ls_object_kind_is_queue (p->kind)
           || p->kind == LS_OBJECT_BARRIER)
    {
      if (p->value != change->old_value)
        add_step (lane, r->time, p->value);
    }

  update_waiters (lane, p, r->time);

  if (r->reason == LS_PRIMITIVE_NOTIFY
      || (r->reason == LS_PRIMITIVE_HANDOFF
          && (p->kind == LS_OBJECT_CONDITION || p->kind == LS_OBJECT_BARRIER)))
    add_mark (lane, r->time, r->subject);

  /* a private component's waits are reported as its owner's: its lane
   * would only repeat them */
  if (r->reason == LS_PRIMITIVE_PART_OF && p->parent_id != 0 && !lane->hidden)
    {
      lane->hidden = TRUE;
      self->rows_dirty = TRUE;
    }
}

/* ---- records ------------------------------------------------------------ */

static void
add_object (LsInterpreter        *self,
            const LsTraceRecord  *r,
            const LsReplayChange *change)
{
  LsTimelineLane *lane;
  LsTimelineLane *creator;
  const char *name = ls_trace_get_string (self->trace, r->peer);

  if (change->task != NULL)
    {
      lane = add_lane (self, LS_TIMELINE_LANE_TASK, r);
      lane->capacity = 0;
      if (r->peer != 0)
        lane->label = g_strdup (name);
      else
        lane->label = g_strdup_printf ("Task-%" G_GINT64_FORMAT, r->arg);
      creator = lookup_task_lane (self, r->subject);
      /* lookup after add_lane: the array may have moved */
      lane = lookup_lane (self, r->object);
      if (creator != NULL)
        lane->depth = MIN (creator->depth + 1, G_MAXUINT16);
      open_span (lane, change->task, r->time);
    }
  else if (change->primitive != NULL)
    {
      const LsPrimitiveEntry *p = change->primitive;

      lane = add_lane (self, LS_TIMELINE_LANE_PRIMITIVE, r);
      if (r->peer != 0)
        lane->label = g_strdup_printf ("%s %s", ls_object_kind_name (r->reason), name);
      else
        lane->label = g_strdup_printf ("%s #%u", ls_object_kind_name (r->reason), r->object);
      if (ls_object_kind_is_semaphore (p->kind) || ls_object_kind_is_queue (p->kind)
          || p->kind == LS_OBJECT_BARRIER)
        add_step (lane, r->time, p->value);
    }
}

/* What record @r adds to the history, given what it changed in the
 * replayed state. */
void
_ls_interpreter_record (LsInterpreter        *self,
                        const LsTraceRecord  *r,
                        const LsReplayChange *change)
{
  if (change->created)
    add_object (self, r, change);
  else if (change->task != NULL && change->new_span)
    open_span (lookup_task_lane (self, change->task->task_id), change->task, r->time);
  /* a waiter's future cancelled (its task was): the entry stays listed,
   * no longer waiting */
  if (change->primitive != NULL && !change->created && r->kind != LS_TRACE_PRIMITIVE)
    {
      LsTimelineLane *lane = lookup_lane (self, change->primitive->id);

      if (lane != NULL && lane->kind == LS_TIMELINE_LANE_PRIMITIVE)
        update_waiters (lane, change->primitive, r->time);
    }

  switch ((LsTraceKind) r->kind)
    {
    case LS_TRACE_LOOP_BLOCKED_BEGIN:
      {
        LsTimelineBand band = { r->time, LS_TIMELINE_OPEN, r->subject };

        g_array_append_val (self->bands, band);
      }
      break;

    case LS_TRACE_LOOP_BLOCKED_END:
      if (self->bands->len > 0)
        {
          LsTimelineBand *band = &g_array_index (self->bands, LsTimelineBand,
                                                 self->bands->len - 1);

          if (band->end_ns == LS_TIMELINE_OPEN)
            band->end_ns = r->time;
        }
      break;

    case LS_TRACE_READY_PUSH:
      if (r->reason == LS_HANDLE_TASK_WAKEUP)
        {
          gint64 from_time = r->time;
          guint32 waker = resolve_cause (self, r->peer, &from_time);
          const Completion *c;

          add_link (self, waker, from_time, r->subject, r->time, LS_TIMELINE_LINK_WAKEUP, 0);
          /* woken by a timer or an I/O completion: the first task woken
           * is the one whose wait it ended */
          if (waker == 0 && (c = lookup_completion (self, r->peer)) != NULL && c->wake > 0)
            {
              LsTimelineWake *wake = &g_array_index (self->wakes, LsTimelineWake, c->wake - 1);
              LsTimelineLane *lane = lookup_task_lane (self, r->subject);
              guint index = c->wake - 1;

              if (wake->task_id == 0 && lane != NULL)
                {
                  wake->task_id = r->subject;
                  wake->woke_ns = r->time;
                  if (lane->wakes == NULL)
                    lane->wakes = g_array_new (FALSE, FALSE, sizeof (guint));
                  g_array_append_val (lane->wakes, index);
                }
            }
        }
      else if (r->reason == LS_HANDLE_CALLBACK && r->peer != 0)
        g_hash_table_insert (self->callback_causes, GUINT_TO_POINTER (r->object),
                             GUINT_TO_POINTER (r->peer));
      break;

    case LS_TRACE_HANDLE_RUN:
      self->current_cause = 0;
      if (r->reason == LS_HANDLE_CALLBACK)
        {
          gpointer cause;

          if (g_hash_table_steal_extended (self->callback_causes, GUINT_TO_POINTER (r->object),
                                           NULL, &cause))
            self->current_cause = GPOINTER_TO_UINT (cause);
        }
      break;

    case LS_TRACE_TASK_DONE:
      /* a task is the future its awaiters wait on */
      if (change->task != NULL)
        {
          LsTimelineLane *lane = lookup_task_lane (self, r->subject);

          record_completion (self, r->subject, r->subject, r->time, 0);
          if (lane != NULL && r->reason != LS_OUTCOME_RESULT)
            {
              lane->end_text = r->peer;
              lane->end_code = r->arg;
            }
        }
      break;

    case LS_TRACE_FUTURE_DONE:
      {
        guint32 task = r->subject;

        if (task == 0)
          task = resolve_cause (self, self->current_cause, NULL);
        /* a timer's or an I/O operation's own future (not a thread's work,
         * whose thread completed it already) */
        if (task == 0 && r->peer != 0 && lookup_completion (self, r->object) == NULL)
          record_completion (self, r->object, 0, r->time, add_wake (self, r->peer, r->time));
        else
          record_completion (self, r->object, task, r->time, 0);
        forget_done_origin (self->timers, r->peer);
        forget_done_origin (self->ios, r->peer);
      }
      break;

    case LS_TRACE_CANCEL_REQUEST:
      {
        LsTimelineCancel cancel = { r->time, r->subject, r->object, r->arg != 0,
                                    ls_trace_get_string (self->trace, r->peer) };

        g_array_append_val (self->cancels, cancel);
      }
      break;

    case LS_TRACE_PRINT:
      {
        LsTimelinePrint print = { r->time, r->subject, ls_trace_get_string (self->trace, r->peer) };

        g_array_append_val (self->prints, print);
      }
      break;

    case LS_TRACE_PRIMITIVE:
      primitive_history (self, r, change);
      break;

    case LS_TRACE_TIMER_ADD:
      add_origin (self->timers, r->object, r->time, r->subject, r->reason, r->arg, NULL);
      if ((r->reason == LS_WAIT_WAIT_FOR || r->reason == LS_WAIT_TIMEOUT_SCOPE) && r->subject != 0)
        {
          LsTimelineDeadline deadline = { r->time, r->arg, r->subject, r->reason, FALSE,
                                          LS_TIMELINE_OPEN, r->object };

          /* a timeout() rescheduled: the old deadline's scope goes on under
           * the new one */
          if (r->reason == LS_WAIT_TIMEOUT_SCOPE)
            {
              end_deadline (self, r->peer, r->time);
              g_hash_table_insert (self->deadline_of, GUINT_TO_POINTER (r->peer),
                                   GUINT_TO_POINTER (self->deadlines->len + 1));
            }
          g_array_append_val (self->deadlines, deadline);
          g_hash_table_insert (self->deadline_of, GUINT_TO_POINTER (r->object),
                               GUINT_TO_POINTER (self->deadlines->len));
        }
      break;

    case LS_TRACE_TIMER_CANCEL:
      g_hash_table_remove (self->timers, GUINT_TO_POINTER (r->object));
      end_deadline (self, r->object, r->time);
      break;

    case LS_TRACE_TIMER_FIRE:
      {
        Origin *o = g_hash_table_lookup (self->timers, GUINT_TO_POINTER (r->object));
        LsTimelineDeadline *d = lookup_deadline (self, r->object);

        if (o != NULL)
          o->done = r->time;
        if (d != NULL)
          {
            d->expired = TRUE;
            /* wait_for gives up at once; a timeout() scope ends where its
             * block is left (SCOPE_END) */
            if (d->reason == LS_WAIT_WAIT_FOR)
              end_deadline (self, r->object, r->time);
            else
              g_hash_table_remove (self->deadline_of, GUINT_TO_POINTER (r->object));
          }
      }
      break;

    case LS_TRACE_SCOPE_END:
      end_deadline (self, r->object, r->time);
      break;

    case LS_TRACE_IO_BEGIN:
      add_origin (self->ios, r->object, r->time, r->subject, 0, 0,
                  ls_trace_get_string (self->trace, r->peer));
      break;

    case LS_TRACE_IO_COMPLETE:
      {
        Origin *o = g_hash_table_lookup (self->ios, GUINT_TO_POINTER (r->object));

        if (o != NULL)
          {
            o->done = r->time;
            o->reason = r->reason;
          }
      }
      break;

    case LS_TRACE_OBJECT_NEW:
      /* an executor's worker: a lane of its own, its works as holds */
      if (r->reason == LS_OBJECT_THREAD && r->object != 0
          && ls_interpreter_find_lane (self, r->object) < 0)
        {
          LsTimelineLane *lane = add_lane (self, LS_TIMELINE_LANE_PRIMITIVE, r);

          lane->label = g_strdup (r->peer != 0 ? ls_trace_get_string (self->trace, r->peer)
                                               : "thread");
          lane->capacity = 0;
        }
      break;

    case LS_TRACE_THREAD_WORK_BEGIN:
    case LS_TRACE_THREAD_WORK_END:
      {
        LsTimelineLane *lane = lookup_lane (self, r->object);

        if (lane == NULL || lane->object_kind != LS_OBJECT_THREAD)
          break;
        if (r->kind == LS_TRACE_THREAD_WORK_BEGIN)
          open_hold (lane, r->time, r->subject);
        else
          {
            close_hold (lane, r->time);
            /* the work's I/O completion is what completes its future: the
             * task it wakes is woken by this thread */
            record_completion (self, (guint32) CLAMP (r->arg, 0, G_MAXUINT32), r->object,
                               r->time, 0);
          }
      }
      break;

    case LS_TRACE_TASK_SUSPEND:
    case LS_TRACE_LOOP_ITERATION_BEGIN:
    case LS_TRACE_LOOP_ITERATION_END:
    case LS_TRACE_SCOPE_BEGIN:
    case LS_TRACE_SOURCE_LINE:
    default:
      break;
    }
}

/* ---- reading the history --------------------------------------------------- */

guint
ls_interpreter_get_n_lanes (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), 0);
  return self->lanes->len;
}

const LsTimelineLane *
ls_interpreter_get_lane (LsInterpreter *self,
                            guint            lane)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  g_return_val_if_fail (lane < self->lanes->len, NULL);
  return lane_at (self, lane);
}

guint
ls_interpreter_get_n_rows (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), 0);
  return self->rows->len;
}

guint
ls_interpreter_get_row_lane (LsInterpreter *self,
                                guint            row)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);
  return g_array_index (self->rows, guint, row);
}

int
ls_interpreter_get_lane_row (LsInterpreter *self,
                                guint            lane)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), -1);
  if (lane >= self->lane_rows->len)
    return -1;
  return g_array_index (self->lane_rows, int, lane);
}

const char *
ls_interpreter_get_task_name (LsInterpreter *self,
                                 guint32          task_id)
{
  LsTimelineLane *lane;

  g_return_val_if_fail (LS_IS_INTERPRETER (self), "");
  lane = lookup_task_lane (self, task_id);
  return lane != NULL ? lane->label : "";
}

GArray *
ls_interpreter_get_bands (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return self->bands;
}

GArray *
ls_interpreter_get_prints (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return self->prints;
}

GArray *
ls_interpreter_get_cancels (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return self->cancels;
}

GArray *
ls_interpreter_get_deadlines (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return self->deadlines;
}

GArray *
ls_interpreter_get_links (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return self->links;
}

GArray *
ls_interpreter_get_wakes (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return self->wakes;
}

int
ls_interpreter_find_span (LsInterpreter *self,
                             guint            lane,
                             gint64           time_ns)
{
  GArray *spans;
  guint lo = 0, hi;

  g_return_val_if_fail (LS_IS_INTERPRETER (self), -1);
  if (lane >= self->lanes->len || (spans = lane_at (self, lane)->spans) == NULL)
    return -1;
  /* first span starting after time_ns; the one before covers it */
  hi = spans->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (spans, LsTimelineSpan, mid).start_ns <= time_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (int) lo - 1;
}

