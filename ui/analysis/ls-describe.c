/* SPDX-License-Identifier: MIT
 *
 * The loop-internals text. It reads the interpreter's state at an instant
 * and nothing else, so the pane says exactly what the timeline draws.
 */
#include "config.h"

#include "ls-describe.h"

#include <glib/gi18n.h>

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
          g_string_append_printf (out, _("is %s\n"), ls_task_state_name (t->state));
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
            g_string_append_printf (out, _("waits (%s)\n"), ls_wait_reason_name (t->wait_reason));
          break;
        }
      task_id = next;
    }
}

/* The selected task: who made it, its time in each state, its wait chain. */
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

      g_string_append_printf (out, "  %8.3f s  %-10s %s\n", e->deadline / 1e9,
                              ls_wait_reason_name (e->reason), owner != NULL ? owner : "");
    }
  append_more (out, state->timers->len - MIN (state->timers->len, LS_DESCRIBE_MAX_LISTED));

  g_string_append (out, _("\nTasks\n"));
  listed = MIN (state->tasks->len, LS_DESCRIBE_MAX_LISTED);
  for (guint i = 0; i < listed; i++)
    {
      const LsTaskEntry *t = &g_array_index (state->tasks, LsTaskEntry, i);
      g_autofree char *name = task_name (interpreter, state, t->task_id);

      g_string_append_printf (out, "  %-14s %s", name, ls_task_state_name (t->state));
      if (t->state == LS_TASK_STATE_WAITING)
        g_string_append_printf (out, " (%s)", ls_wait_reason_name (t->wait_reason));
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
                                  ls_waiter_state_name (e->state));
        }
      append_more (out, p->waiters->len - MIN (p->waiters->len, LS_DESCRIBE_MAX_LISTED));
    }
}
