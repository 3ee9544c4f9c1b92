/* SPDX-License-Identifier: MIT
 *
 * The loop-internals text. It reads the interpreter's state at an instant
 * and nothing else, so the pane says exactly what the timeline draws. And
 * what each mark of the timeline stands for, from the interpreter's
 * history: the timeline's tooltips and its explanations on a click.
 */
#include "config.h"

#include "ls-describe.h"

#include "ls-error.h"

#include <glib/gi18n.h>

const char *
ls_describe_error_type (LsTrace *trace,
                        guint    outcome,
                        gint64   arg)
{
  guint32 name_id = ls_trace_error_name_id (arg);

  if (outcome == LS_OUTCOME_CANCELLED)
    return "CancelledError";
  if (outcome != LS_OUTCOME_FAILED)
    return NULL;
  if (name_id != 0 && name_id < ls_trace_get_n_strings (trace))
    return ls_trace_get_string (trace, name_id);
  return ls_runtime_error_code_name (ls_trace_error_code (arg));
}

static char *
task_name (LsInterpreter      *interpreter,
           const LsTraceState *state,
           guint32             task_id)
{
  const LsTaskEntry *task = ls_trace_state_get_task ((LsTraceState *) state, task_id);
  LsTrace *trace = ls_interpreter_get_trace (interpreter);

  if (task == NULL)
    return g_strdup_printf ("#%u", task_id);
  if (task->name_id != 0)
    return g_strdup (ls_trace_get_string (trace, task->name_id));
  return g_strdup_printf ("Task-%u", task->number);
}

static void
append_more (GString *out,
             guint    n_more)
{
  if (n_more > 0)
    g_string_append_printf (out, _("  … and %u more\n"), n_more);
}

void
ls_describe_wait_chain (GString            *out,
                        LsInterpreter      *interpreter,
                        const LsTraceState *state,
                        guint32             task_id)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  LsTrace *trace = ls_interpreter_get_trace (interpreter);

  for (int depth = 0; depth < 10 && task_id != 0; depth++)
    {
      const LsTaskEntry *t = ls_trace_state_get_task ((LsTraceState *) state, task_id);
      g_autofree char *name = task_name (interpreter, state, task_id);
      const LsPrimitiveEntry *p;
      guint32 next = 0;

      if (t == NULL || !g_hash_table_add (seen, GUINT_TO_POINTER (task_id)))
        break;
      g_string_append_printf (out, "  %*s%s ", depth * 2, depth > 0 ? "↳ " : "", name);
      if (t->state != LS_TASK_STATE_WAITING)
        {
          g_string_append_printf (out, _("is %s\n"), ls_describe_task_state (t->state));
          break;
        }
      switch (t->wait_reason)
        {
        case LS_WAIT_SLEEP:
          g_string_append_printf (out, _("sleeps until %.3f s\n"), t->wait_deadline / 1e9);
          break;
        case LS_WAIT_TASK:
          {
            g_autofree char *awaited = task_name (interpreter, state, t->wait_object);

            g_string_append_printf (out, _("awaits %s\n"), awaited);
            next = t->wait_object;
          }
          break;
        default:
          p = ls_trace_state_get_primitive ((LsTraceState *) state, t->wait_object);
          if (p != NULL)
            {
              g_string_append_printf (out, _("waits on %s %s"), ls_object_kind_name (p->kind),
                                      ls_trace_get_string (trace, p->name_id));
              if (p->owner_id != 0)
                {
                  g_autofree char *owner = task_name (interpreter, state, p->owner_id);

                  g_string_append_printf (out, _(", held by %s"), owner);
                  next = p->owner_id;
                }
              g_string_append_c (out, '\n');
            }
          else
            g_string_append_printf (out, _("waits (%s)\n"),
                                    ls_describe_wait_reason (t->wait_reason));
          break;
        }
      task_id = next;
    }
}


/* ---- names, translated ---------------------------------------------------- */

const char *
ls_describe_task_state (guint state)
{
  switch (state)
    {
    case LS_TASK_STATE_READY:     return C_("task state", "ready");
    case LS_TASK_STATE_RUNNING:   return C_("task state", "running");
    case LS_TASK_STATE_WAITING:   return C_("task state", "waiting");
    case LS_TASK_STATE_DONE:      return C_("task state", "done");
    case LS_TASK_STATE_FAILED:    return C_("task state", "failed");
    case LS_TASK_STATE_CANCELLED: return C_("task state", "cancelled");
    default:                      return C_("task state", "unknown");
    }
}

/* What a task waits on: asyncio's own names stay as Python spells them
 * (gather, wait_for…); the others are words. */
const char *
ls_describe_wait_reason (guint reason)
{
  switch (reason)
    {
    case LS_WAIT_NONE:          return C_("wait reason", "nothing");
    case LS_WAIT_YIELD:         return C_("wait reason", "yield");
    case LS_WAIT_SLEEP:         return C_("wait reason", "sleep");
    case LS_WAIT_FUTURE:        return C_("wait reason", "future");
    case LS_WAIT_TASK:          return C_("wait reason", "task");
    case LS_WAIT_IO:            return C_("wait reason", "I/O");
    case LS_WAIT_LOCK:          return C_("wait reason", "lock");
    case LS_WAIT_EVENT:         return C_("wait reason", "event");
    case LS_WAIT_CONDITION:     return C_("wait reason", "condition");
    case LS_WAIT_SEMAPHORE:     return C_("wait reason", "semaphore");
    case LS_WAIT_QUEUE_GET:     return C_("wait reason", "queue get");
    case LS_WAIT_QUEUE_PUT:     return C_("wait reason", "queue put");
    case LS_WAIT_QUEUE_JOIN:    return C_("wait reason", "queue join");
    case LS_WAIT_BARRIER:       return C_("wait reason", "barrier");
    case LS_WAIT_TIMEOUT_SCOPE: return C_("wait reason", "timeout");
    case LS_WAIT_BLOCKED:       return C_("wait reason", "blocked");
    case LS_WAIT_EXECUTOR:      return C_("wait reason", "thread");
    case LS_WAIT_TASK_GROUP:    return C_("wait reason", "task group");
    default:                    return ls_wait_reason_name (reason);
    }
}

const char *
ls_describe_waiter_state (guint state)
{
  switch (state)
    {
    case LS_WAITER_WAITING:   return C_("waiter state", "waiting");
    case LS_WAITER_WOKEN:     return C_("waiter state", "woken");
    case LS_WAITER_CANCELLED: return C_("waiter state", "cancelled");
    default:                  return ls_waiter_state_name (state);
    }
}

/* The selected task: who made it, its time in each state, how it ended,
 * its wait chain. */
static void
append_selection (GString            *out,
                  LsInterpreter      *interpreter,
                  const LsTraceState *state,
                  guint32             task_id,
                  gint64              until)
{
  int lane_index = ls_interpreter_find_lane (interpreter, task_id);
  const LsTimelineLane *lane;
  const LsTaskEntry *t;
  gint64 in_state[LS_TASK_STATE_CANCELLED + 1] = { 0 };
  g_autofree char *name = NULL;

  if (lane_index < 0 || (lane = ls_interpreter_get_lane (interpreter, lane_index)) == NULL
      || lane->kind != LS_TIMELINE_LANE_TASK
      || (t = ls_trace_state_get_task ((LsTraceState *) state, task_id)) == NULL)
    return;

  name = task_name (interpreter, state, task_id);
  g_string_append_printf (out, _("Selected: %s\n"), name);
  if (t->creator_id != 0)
    {
      g_autofree char *creator = task_name (interpreter, state, t->creator_id);

      g_string_append_printf (out, _("  created by %s\n"), creator);
    }
  for (guint i = 0; i < lane->spans->len; i++)
    {
      const LsTimelineSpan *span = &g_array_index (lane->spans, LsTimelineSpan, i);
      gint64 end = MIN (span->end_ns, until);

      if (span->start_ns < end && span->state <= LS_TASK_STATE_CANCELLED)
        in_state[span->state] += end - span->start_ns;
    }
  g_string_append_printf (out, _("  running %.3f s · ready %.3f s · waiting %.3f s\n"),
                          in_state[LS_TASK_STATE_RUNNING] / 1e9,
                          in_state[LS_TASK_STATE_READY] / 1e9,
                          in_state[LS_TASK_STATE_WAITING] / 1e9);
  /* how it ended, when it has by now: an error says which */
  if (t->state == LS_TASK_STATE_FAILED || t->state == LS_TASK_STATE_CANCELLED)
    {
      LsTrace *trace = ls_interpreter_get_trace (interpreter);
      const char *message = ls_trace_get_string (trace, t->outcome_id);
      const char *type = ls_describe_error_type (trace, t->state == LS_TASK_STATE_FAILED
                                                        ? LS_OUTCOME_FAILED : LS_OUTCOME_CANCELLED,
                                                 lane->end_code);

      if (message != NULL && *message != '\0')
        g_string_append_printf (out, t->state == LS_TASK_STATE_FAILED
                                     ? _("  failed at %.3f s: %s: %s\n")
                                     : _("  cancelled at %.3f s: %s: %s\n"),
                                t->since / 1e9, type, message);
      else
        g_string_append_printf (out, t->state == LS_TASK_STATE_FAILED
                                     ? _("  failed at %.3f s: %s\n")
                                     : _("  cancelled at %.3f s: %s\n"),
                                t->since / 1e9, type);
    }
  ls_describe_wait_chain (out, interpreter, state, task_id);
  g_string_append_c (out, '\n');
}

void
ls_describe_loop (GString            *out,
                  LsInterpreter      *interpreter,
                  const LsTraceState *state,
                  guint32             selected_task,
                  gint64              until_ns)
{
  LsTrace *trace = ls_interpreter_get_trace (interpreter);
  guint listed;

  if (selected_task != 0)
    append_selection (out, interpreter, state, selected_task, until_ns);

  /* %llu, not G_GUINT64_FORMAT: xgettext cannot see through the macro */
  g_string_append_printf (out, _("Time %.3f s · iteration %llu%s\n\n"),
                          until_ns / 1e9, (unsigned long long) state->iteration,
                          state->blocked_task != 0 ? _(" · loop blocked") : "");

  g_string_append (out, _("Ready queue\n"));
  if (state->ready->len == 0)
    g_string_append (out, _("  (empty)\n"));
  for (guint i = 0; i < MIN (state->ready->len, LS_DESCRIBE_MAX_LISTED); i++)
    {
      const LsReadyEntry *e = &g_array_index (state->ready, LsReadyEntry, i);
      g_autofree char *name = e->task_id != 0 ? task_name (interpreter, state, e->task_id) : NULL;
      const char *what = e->kind == LS_HANDLE_TASK_STEP ? _("step")
                         : e->kind == LS_HANDLE_TASK_WAKEUP ? _("wake up")
                         : e->kind == LS_HANDLE_TIMER ? _("timer")
                         : e->kind == LS_HANDLE_IO ? _("I/O done") : _("callback");

      g_string_append_printf (out, "  %u. %s %s\n", i + 1, what, name != NULL ? name : "");
    }
  append_more (out, state->ready->len - MIN (state->ready->len, LS_DESCRIBE_MAX_LISTED));

  g_string_append (out, _("\nTimers\n"));
  if (state->timers->len == 0)
    g_string_append (out, _("  (none)\n"));
  for (guint i = 0; i < MIN (state->timers->len, LS_DESCRIBE_MAX_LISTED); i++)
    {
      const LsTimerEntry *e = &g_array_index (state->timers, LsTimerEntry, i);
      g_autofree char *owner = e->owner_id != 0 ? task_name (interpreter, state, e->owner_id)
                                                : NULL;

      /* a tab, not padding: names are aligned by their width on screen
       * (the pane sets tab stops), whatever script they are in */
      g_string_append_printf (out, "  %8.3f s  %s\t%s\n", e->deadline / 1e9,
                              ls_describe_wait_reason (e->reason), owner != NULL ? owner : "");
    }
  append_more (out, state->timers->len - MIN (state->timers->len, LS_DESCRIBE_MAX_LISTED));

  g_string_append (out, _("\nTasks\n"));
  listed = MIN (state->tasks->len, LS_DESCRIBE_MAX_LISTED);
  for (guint i = 0; i < listed; i++)
    {
      const LsTaskEntry *t = &g_array_index (state->tasks, LsTaskEntry, i);
      g_autofree char *name = task_name (interpreter, state, t->task_id);

      g_string_append_printf (out, "  %s\t%s", name, ls_describe_task_state (t->state));
      if (t->state == LS_TASK_STATE_WAITING)
        g_string_append_printf (out, " (%s)", ls_describe_wait_reason (t->wait_reason));
      g_string_append_c (out, '\n');
    }
  append_more (out, state->tasks->len - listed);

  if (state->primitives->len > 0)
    g_string_append (out, _("\nPrimitives\n"));
  for (guint i = 0; i < state->primitives->len; i++)
    {
      const LsPrimitiveEntry *p = &g_array_index (state->primitives, LsPrimitiveEntry, i);

      if (p->parent_id != 0)
        continue;
      g_string_append_printf (out, "  %s %s", ls_object_kind_name (p->kind),
                              ls_trace_get_string (trace, p->name_id));
      if (p->kind == LS_OBJECT_LOCK && p->owner_id != 0)
        {
          g_autofree char *owner = task_name (interpreter, state, p->owner_id);

          g_string_append_printf (out, _(": held by %s"), owner);
        }
      else if (ls_object_kind_is_semaphore (p->kind))
        g_string_append_printf (out, _(": %lld permits"), (long long) p->value);
      else if (ls_object_kind_is_queue (p->kind))
        g_string_append_printf (out, _(": %lld items"), (long long) p->value);
      else if (p->kind == LS_OBJECT_EVENT)
        g_string_append (out, p->value ? _(": set") : _(": clear"));
      g_string_append_c (out, '\n');
      for (guint w = 0; w < p->waiters->len && w < LS_DESCRIBE_MAX_LISTED; w++)
        {
          const LsWaiterEntry *e = &g_array_index (p->waiters, LsWaiterEntry, w);
          g_autofree char *name = task_name (interpreter, state, e->task_id);

          g_string_append_printf (out, _("    waiter %u: %s (%s)\n"), w + 1, name,
                                  ls_describe_waiter_state (e->state));
        }
      append_more (out, p->waiters->len - MIN (p->waiters->len, LS_DESCRIBE_MAX_LISTED));
    }
}

/* ---- the marks ---------------------------------------------------------- */

static const char *
name_of_task (LsLaneLayout *layout,
              guint32       task_id)
{
  int lane = ls_interpreter_find_lane (ls_lane_layout_get_interpreter (layout), task_id);

  return lane >= 0 ? ls_lane_layout_get_name (layout, lane) : "?";
}

static char *
seconds (gint64 time_ns)
{
  return g_strdup_printf ("%.3f s", time_ns / 1e9);
}

void
ls_describe_task_end (GString      *out,
                      LsLaneLayout *layout,
                      guint         lane)
{
  LsInterpreter *model = ls_lane_layout_get_interpreter (layout);
  const LsTimelineLane *l = ls_interpreter_get_lane (model, lane);
  const LsTimelineSpan *last;
  const char *name = ls_lane_layout_get_name (layout, lane);
  const char *message;
  g_autofree char *at = NULL;
  GArray *cancels = ls_interpreter_get_cancels (model);
  GArray *deadlines = ls_interpreter_get_deadlines (model);

  if (l->kind != LS_TIMELINE_LANE_TASK || l->spans->len == 0)
    return;
  last = &g_array_index (l->spans, LsTimelineSpan, l->spans->len - 1);
  at = seconds (last->start_ns);
  message = ls_trace_get_string (ls_interpreter_get_trace (model), l->end_text);
  switch (last->state)
    {
    case LS_TASK_STATE_DONE:
      g_string_append_printf (out, _("%s returned at %s."), name, at);
      return;
    case LS_TASK_STATE_FAILED:
      g_string_append_printf (out, _("%s failed at %s: it raised %s"), name, at,
                              ls_describe_error_type (ls_interpreter_get_trace (model),
                                                      LS_OUTCOME_FAILED, l->end_code));
      break;
    case LS_TASK_STATE_CANCELLED:
      g_string_append_printf (out, _("%s was cancelled at %s: it raised %s"), name, at,
                              "CancelledError");
      break;
    default:
      return;
    }
  if (message != NULL && *message != '\0')
    g_string_append_printf (out, " (\"%s\")", message);
  g_string_append (out, ".");

  /* why: the deadline that ran out, the cancel() that took effect */
  for (guint i = deadlines->len; i > 0; i--)
    {
      const LsTimelineDeadline *d = &g_array_index (deadlines, LsTimelineDeadline, i - 1);
      g_autofree char *set = NULL;
      g_autofree char *due = NULL;

      if (d->task_id != l->object_id || !d->expired || d->deadline_ns > last->start_ns)
        continue;
      set = seconds (d->start_ns);
      due = seconds (d->deadline_ns);
      g_string_append_c (out, '\n');
      g_string_append_printf (out, d->reason == LS_WAIT_WAIT_FOR
                                   ? _("Its wait_for() deadline, set at %s, ran out at %s.")
                                   : _("Its asyncio.timeout() deadline, set at %s, ran out at %s."),
                              set, due);
      break;
    }
  if (last->state == LS_TASK_STATE_CANCELLED)
    for (guint i = cancels->len; i > 0; i--)
      {
        const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i - 1);
        g_autofree char *when = NULL;

        if (c->to_task != l->object_id || !c->effective || c->time_ns > last->start_ns)
          continue;
        when = seconds (c->time_ns);
        g_string_append_c (out, '\n');
        if (c->from_task != 0)
          g_string_append_printf (out, _("%s called cancel() on it at %s."),
                                  name_of_task (layout, c->from_task), when);
        else
          g_string_append_printf (out, _("A callback called cancel() on it at %s."), when);
        break;
      }
}

void
ls_describe_cancel (GString                *out,
                    LsLaneLayout           *layout,
                    const LsTimelineCancel *cancel)
{
  g_autofree char *at = seconds (cancel->time_ns);
  const char *target = name_of_task (layout, cancel->to_task);

  if (cancel->from_task != 0)
    g_string_append_printf (out, _("%s called cancel() on %s at %s"),
                            name_of_task (layout, cancel->from_task), target, at);
  else
    g_string_append_printf (out, _("A callback called cancel() on %s at %s"), target, at);
  if (cancel->message != NULL && *cancel->message != '\0')
    g_string_append_printf (out, _(" with the message \"%s\""), cancel->message);
  g_string_append (out, ".\n");
  g_string_append (out, cancel->effective
                        ? _("It took effect: CancelledError is thrown into the task where it waits.")
                        : _("It had no effect: the task was done, or already being cancelled."));
}

static const char *
timer_purpose (guint reason)
{
  switch (reason)
    {
    case LS_WAIT_SLEEP:          return _("asyncio.sleep()");
    case LS_WAIT_WAIT_FOR:       return _("wait_for()'s timeout");
    case LS_WAIT_WAIT:           return _("wait()'s timeout");
    case LS_WAIT_TIMEOUT_SCOPE:  return _("asyncio.timeout()");
    case LS_WAIT_AS_COMPLETED:   return _("as_completed()'s timeout");
    case LS_WAIT_CALL_LATER:     return _("call_later()");
    default:                     return ls_wait_reason_name (reason);
    }
}

void
ls_describe_wake (GString              *out,
                  LsLaneLayout         *layout,
                  const LsTimelineWake *wake)
{
  g_autofree char *start = seconds (wake->start_ns);
  g_autofree char *time = seconds (wake->time_ns);
  const char *origin = wake->origin_task != 0 ? name_of_task (layout, wake->origin_task) : NULL;
  const char *woken = name_of_task (layout, wake->task_id);

  if (wake->kind == LS_TIMELINE_WAKE_TIMER)
    {
      if (origin != NULL)
        g_string_append_printf (out, _("The timer of %s set by %s at %s fired at %s"),
                                timer_purpose (wake->reason), origin, start, time);
      else
        g_string_append_printf (out, _("The timer of %s set at %s fired at %s"),
                                timer_purpose (wake->reason), start, time);
    }
  else
    {
      if (origin != NULL)
        g_string_append_printf (out, _("The I/O \"%s\" begun by %s at %s completed at %s"),
                                wake->text != NULL ? wake->text : "", origin, start, time);
      else
        g_string_append_printf (out, _("The I/O \"%s\" begun at %s completed at %s"),
                                wake->text != NULL ? wake->text : "", start, time);
      if (wake->reason == LS_OUTCOME_FAILED)
        g_string_append (out, _(" with an error"));
    }
  g_string_append_printf (out, _(" and woke %s."), woken);
}

void
ls_describe_link (GString              *out,
                  LsLaneLayout         *layout,
                  const LsTimelineLink *link)
{
  LsInterpreter *model = ls_lane_layout_get_interpreter (layout);
  const char *from = ls_lane_layout_get_name (layout, link->from_lane);
  const char *to = ls_lane_layout_get_name (layout, link->to_lane);
  g_autofree char *from_at = seconds (link->from_time);
  g_autofree char *to_at = seconds (link->to_time);

  if (link->kind == LS_TIMELINE_LINK_HANDOFF && link->via_lane != G_MAXUINT)
    {
      const LsTimelineLane *via = ls_interpreter_get_lane (model, link->via_lane);
      const char *what = ls_lane_layout_get_name (layout, link->via_lane);

      switch (via->object_kind)
        {
        case LS_OBJECT_LOCK:
          g_string_append_printf (out, _("%s released %s at %s and handed it to %s, first in line."),
                                  from, what, from_at, to);
          break;
        case LS_OBJECT_EVENT:
          g_string_append_printf (out, _("%s set %s at %s, which woke %s."), from, what, from_at,
                                  to);
          break;
        case LS_OBJECT_CONDITION:
          g_string_append_printf (out, _("%s notified %s at %s, which woke %s."), from, what,
                                  from_at, to);
          break;
        case LS_OBJECT_SEMAPHORE:
        case LS_OBJECT_BOUNDED_SEMAPHORE:
          g_string_append_printf (out, _("%s released %s at %s and handed the permit to %s, "
                                         "first in line."), from, what, from_at, to);
          break;
        default:
          if (ls_object_kind_is_queue (via->object_kind))
            g_string_append_printf (out, _("%s used %s at %s (put or get), which woke %s, "
                                           "first in line."), from, what, from_at, to);
          else
            g_string_append_printf (out, _("%s handed %s to %s at %s."), from, what, to, from_at);
          break;
        }
      return;
    }
  g_string_append_printf (out, _("%s completed what %s awaited at %s; %s was woken at %s."),
                          from, to, from_at, to, to_at);
}

void
ls_describe_waiter (GString                *out,
                    LsLaneLayout           *layout,
                    guint                   lane,
                    const LsTimelineWaiter *waiter)
{
  const char *what = ls_lane_layout_get_name (layout, lane);
  g_autofree char *start = seconds (waiter->start_ns);
  g_autofree char *end = waiter->end_ns != LS_TIMELINE_OPEN ? seconds (waiter->end_ns) : NULL;

  if (waiter->task_id == 0)
    {
      g_string_append_printf (out, _("%u more tasks waited for %s from %s"), waiter->count, what,
                              start);
      if (end != NULL)
        g_string_append_printf (out, _(" to %s"), end);
      g_string_append (out, ".");
      return;
    }
  g_string_append_printf (out, waiter->list == 0 ? _("%s was number %u in line for %s from %s")
                                                 : _("%s was number %u in line to put into %s "
                                                     "from %s"),
                          name_of_task (layout, waiter->task_id), waiter->position + 1, what,
                          start);
  if (end != NULL)
    g_string_append_printf (out, _(" to %s"), end);
  g_string_append (out, ".");
  if (waiter->state == LS_WAITER_WOKEN)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, _("Woken by %s: it is served and leaves the line when it "
                                     "runs."), name_of_task (layout, waiter->woken_by));
    }
  else if (waiter->state == LS_WAITER_CANCELLED)
    {
      g_string_append_c (out, '\n');
      g_string_append (out, _("Cancelled: it leaves the line when it runs."));
    }
}

void
ls_describe_hold (GString              *out,
                  LsLaneLayout         *layout,
                  guint                 lane,
                  const LsTimelineHold *hold)
{
  LsInterpreter *model = ls_lane_layout_get_interpreter (layout);
  const LsTimelineLane *l = ls_interpreter_get_lane (model, lane);
  const char *what = ls_lane_layout_get_name (layout, lane);
  g_autofree char *start = seconds (hold->start_ns);

  if (l->object_kind == LS_OBJECT_EVENT)
    g_string_append_printf (out, _("%s set %s at %s"), name_of_task (layout, hold->task_id),
                            what, start);
  else if (l->object_kind == LS_OBJECT_THREAD)
    g_string_append_printf (out, _("%s ran a function for %s from %s"), what,
                            name_of_task (layout, hold->task_id), start);
  else
    g_string_append_printf (out, _("%s held %s from %s"), name_of_task (layout, hold->task_id),
                            what, start);
  if (hold->end_ns != LS_TIMELINE_OPEN)
    {
      g_autofree char *end = seconds (hold->end_ns);

      g_string_append_printf (out, _(" to %s"), end);
    }
  g_string_append (out, ".");
}

void
ls_describe_deadline (GString                  *out,
                      LsLaneLayout             *layout,
                      const LsTimelineDeadline *deadline)
{
  g_autofree char *set = seconds (deadline->start_ns);
  g_autofree char *due = seconds (deadline->deadline_ns);

  g_string_append_printf (out, deadline->reason == LS_WAIT_WAIT_FOR
                               ? _("A wait_for() deadline set by %s at %s, due at %s.")
                               : _("An asyncio.timeout() deadline set by %s at %s, due at %s."),
                          name_of_task (layout, deadline->task_id), set, due);
  g_string_append_c (out, '\n');
  if (deadline->expired)
    g_string_append (out, _("It ran out: the task was cancelled and TimeoutError raised."));
  else if (deadline->end_ns != LS_TIMELINE_OPEN)
    {
      g_autofree char *end = seconds (deadline->end_ns);

      g_string_append_printf (out, _("Its scope ended at %s, in time."), end);
    }
  else
    g_string_append (out, _("Its scope has not ended yet."));
}
