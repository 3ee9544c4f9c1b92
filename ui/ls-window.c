/* SPDX-License-Identifier: MIT
 *
 * The main window: the chapter's scenarios in a sidebar grouped by section,
 * the run controls in the header bar, and around the timeline the
 * scenario's notes, its console, its listing (with each task's current
 * line) and the loop's internals (ready queue, timers, waiters), all read
 * from the run's trace as it grows.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ls-export.h"
#include "ls-scenario.h"
#include "ls-timeline-model.h"
#include "ls-trace-json.h"
#include "ls-timeline.h"
#include "ls-window.h"

struct _LsWindow
{
  GtkApplicationWindow parent_instance;

  GSettings        *settings;

  /* template */
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkToggleButton  *sidebar_button;
  GtkButton        *run_button;
  GtkDropDown      *speed_dropdown;
  GtkPaned         *main_paned;
  GtkPaned         *content_paned;
  GtkPaned         *bottom_paned;
  GtkWidget        *console_notebook;
  GtkWidget        *internals_box;
  GtkWidget        *sidebar;
  GtkSearchEntry   *search_entry;
  GtkListBox       *scenario_list;
  GtkLabel         *notes_label;
  GtkBox           *timeline_box;
  GtkTextView      *console_view;
  GtkTextView      *code_view;
  GtkTextView      *internals_view;
  LsTimeline       *timeline;

  /* the loaded scenario and its run */
  const LsScenario *scenario;
  LsScenarioRun    *run;
  LsTrace          *trace;        /* the run's, or one opened from a file */
  guint32           seed;
  char             *trace_title;  /* a trace file's own title, when it has no scenario */
  LsTraceState     *state;
  GHashTable       *task_lines;   /* task id -> listing line */
  gulong            records_added_id;
  gboolean          started;
  gint64            cursor;       /* the scrubbed instant, or -1: follow the run */
};

G_DEFINE_FINAL_TYPE (LsWindow, ls_window, GTK_TYPE_APPLICATION_WINDOW)

static const double speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 100 };
#define INSTANT G_N_ELEMENTS (speeds)

/* ---- naming things from the trace ------------------------------------ */

static char *
task_name (LsTrace      *trace,
           LsTraceState *state,
           guint32       task_id)
{
  const LsTaskEntry *task = ls_trace_state_get_task (state, task_id);

  if (task == NULL)
    return g_strdup_printf ("#%u", task_id);
  if (task->name_id != 0)
    return g_strdup (ls_trace_get_string (trace, task->name_id));
  return g_strdup_printf ("Task-%u", task->number);
}

/* ---- the loop internals pane ----------------------------------------- */

/* Long lists are cut: a stress run has 10,000 tasks, and the pane is
 * rebuilt on every batch of records. */
#define MAX_LISTED 60

static void
append_more (GString *out,
             guint    n_more)
{
  if (n_more > 0)
    g_string_append_printf (out, _("  … and %u more\n"), n_more);
}

/* "Why is it waiting": from the task, along what it waits on (a task it
 * awaits, a lock and the task holding it…) until a task that is not
 * waiting on another task. */
static void
append_wait_chain (GString      *out,
                   LsTrace      *trace,
                   LsTraceState *state,
                   guint32       task_id)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (int depth = 0; depth < 10 && task_id != 0; depth++)
    {
      const LsTaskEntry *t = ls_trace_state_get_task (state, task_id);
      g_autofree char *name = task_name (trace, state, task_id);
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
            g_autofree char *awaited = task_name (trace, state, t->wait_object);

            g_string_append_printf (out, _("awaits %s\n"), awaited);
            next = t->wait_object;
          }
          break;
        default:
          p = ls_trace_state_get_primitive (state, t->wait_object);
          if (p != NULL)
            {
              g_string_append_printf (out, _("waits on %s %s"), ls_object_kind_name (p->kind),
                                      ls_trace_get_string (trace, p->name_id));
              if (p->owner_id != 0)
                {
                  g_autofree char *owner = task_name (trace, state, p->owner_id);

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

/* The selected task: who made it, its time in each state, its wait chain
 * and how it ended. */
static void
append_selection (LsWindow *self,
                  GString  *out,
                  LsTrace  *trace)
{
  LsTimelineModel *model = ls_timeline_get_model (self->timeline);
  int lane_index = ls_timeline_get_selected_lane (self->timeline);
  const LsTimelineLane *lane;
  const LsTaskEntry *t;
  gint64 in_state[LS_TASK_STATE_CANCELLED + 1] = { 0 };
  gint64 until = self->cursor >= 0 ? self->cursor : self->state->time;
  g_autofree char *name = NULL;

  if (model == NULL || lane_index < 0)
    return;
  lane = ls_timeline_model_get_lane (model, lane_index);
  if (lane == NULL || lane->kind != LS_TIMELINE_LANE_TASK
      || (t = ls_trace_state_get_task (self->state, lane->object_id)) == NULL)
    return;

  name = task_name (trace, self->state, t->task_id);
  g_string_append_printf (out, _("Selected: %s\n"), name);
  if (t->creator_id != 0)
    {
      g_autofree char *creator = task_name (trace, self->state, t->creator_id);

      g_string_append_printf (out, _("  created by %s\n"), creator);
    }
  for (guint i = 0; lane->spans != NULL && i < lane->spans->len; i++)
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
  append_wait_chain (out, trace, self->state, t->task_id);
  g_string_append_c (out, '\n');
}

static void
update_internals (LsWindow *self)
{
  LsTrace *trace = self->trace;
  LsTraceState *state = self->state;
  g_autoptr(GString) out = g_string_new (NULL);

  append_selection (self, out, trace);

  /* %llu, not G_GUINT64_FORMAT: xgettext cannot see through the macro */
  g_string_append_printf (out, _("Time %.3f s · iteration %llu%s\n\n"),
                          state->time / 1e9, (unsigned long long) state->iteration,
                          state->blocked_task != 0 ? _(" · loop blocked") : "");

  g_string_append (out, _("Ready queue\n"));
  if (state->ready->len == 0)
    g_string_append (out, _("  (empty)\n"));
  for (guint i = 0; i < MIN (state->ready->len, MAX_LISTED); i++)
    {
      const LsReadyEntry *e = &g_array_index (state->ready, LsReadyEntry, i);
      g_autofree char *name = e->task_id != 0 ? task_name (trace, state, e->task_id) : NULL;
      const char *what = e->kind == LS_HANDLE_TASK_STEP ? _("step")
                         : e->kind == LS_HANDLE_TASK_WAKEUP ? _("wake up")
                         : e->kind == LS_HANDLE_TIMER ? _("timer")
                         : e->kind == LS_HANDLE_IO ? _("I/O done") : _("callback");

      g_string_append_printf (out, "  %u. %s %s\n", i + 1, what, name != NULL ? name : "");
    }
  append_more (out, state->ready->len - MIN (state->ready->len, MAX_LISTED));

  g_string_append (out, _("\nTimers\n"));
  if (state->timers->len == 0)
    g_string_append (out, _("  (none)\n"));
  for (guint i = 0; i < MIN (state->timers->len, MAX_LISTED); i++)
    {
      const LsTimerEntry *e = &g_array_index (state->timers, LsTimerEntry, i);
      g_autofree char *owner = e->owner_id != 0 ? task_name (trace, state, e->owner_id) : NULL;

      g_string_append_printf (out, "  %8.3f s  %-10s %s\n", e->deadline / 1e9,
                              ls_wait_reason_name (e->reason), owner != NULL ? owner : "");
    }
  append_more (out, state->timers->len - MIN (state->timers->len, MAX_LISTED));

  g_string_append (out, _("\nTasks\n"));
  for (guint i = 0, listed = 0; i < state->tasks->len; i++)
    {
      const LsTaskEntry *t = &g_array_index (state->tasks, LsTaskEntry, i);
      g_autofree char *name = NULL;

      if (listed++ == MAX_LISTED)
        {
          append_more (out, state->tasks->len - i);
          break;
        }
      name = task_name (trace, state, t->task_id);

      g_string_append_printf (out, "  %-14s %s", name, ls_task_state_name (t->state));
      if (t->state == LS_TASK_STATE_WAITING)
        g_string_append_printf (out, " (%s)", ls_wait_reason_name (t->wait_reason));
      g_string_append_c (out, '\n');
    }

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
          g_autofree char *owner = task_name (trace, state, p->owner_id);

          g_string_append_printf (out, _(": held by %s"), owner);
        }
      else if (ls_object_kind_is_semaphore (p->kind))
        g_string_append_printf (out, _(": %lld permits"), (long long) p->value);
      else if (ls_object_kind_is_queue (p->kind))
        g_string_append_printf (out, _(": %lld items"), (long long) p->value);
      else if (p->kind == LS_OBJECT_EVENT)
        g_string_append (out, p->value ? _(": set") : _(": clear"));
      g_string_append_c (out, '\n');
      for (guint w = 0; p->waiters != NULL && w < p->waiters->len; w++)
        {
          const LsWaiterEntry *e = &g_array_index (p->waiters, LsWaiterEntry, w);
          g_autofree char *name = task_name (trace, state, e->task_id);

          g_string_append_printf (out, _("    waiter %u: %s (%s)\n"), w + 1, name,
                                  ls_waiter_state_name (e->state));
        }
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->internals_view), out->str, -1);
}

/* ---- the code pane ---------------------------------------------------- */

static void
update_code_marks (LsWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->code_view);
  g_autoptr(GHashTable) marked = g_hash_table_new (NULL, NULL);
  GtkTextIter start, end;
  GHashTableIter iter;
  gpointer task, line;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "current", &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "selected", &start, &end);
  g_hash_table_iter_init (&iter, self->task_lines);
  while (g_hash_table_iter_next (&iter, &task, &line))
    {
      const LsTaskEntry *t = ls_trace_state_get_task (self->state, GPOINTER_TO_UINT (task));

      /* many tasks share a line: tag each line once */
      if (t == NULL || t->state >= LS_TASK_STATE_DONE || !g_hash_table_add (marked, line))
        continue;
      gtk_text_buffer_get_iter_at_line (buffer, &start, GPOINTER_TO_INT (line) - 1);
      end = start;
      gtk_text_iter_forward_to_line_end (&end);
      gtk_text_buffer_apply_tag_by_name (buffer, "current", &start, &end);
    }

  /* the selected task's line stands out, and the pane scrolls to it */
  {
    LsTimelineModel *model = ls_timeline_get_model (self->timeline);
    int lane_index = ls_timeline_get_selected_lane (self->timeline);
    const LsTimelineLane *lane = model != NULL && lane_index >= 0
                                 ? ls_timeline_model_get_lane (model, lane_index) : NULL;
    gpointer selected_line;

    if (lane != NULL && lane->kind == LS_TIMELINE_LANE_TASK
        && g_hash_table_lookup_extended (self->task_lines, GUINT_TO_POINTER (lane->object_id),
                                         NULL, &selected_line))
      {
        gtk_text_buffer_get_iter_at_line (buffer, &start, GPOINTER_TO_INT (selected_line) - 1);
        end = start;
        gtk_text_iter_forward_to_line_end (&end);
        gtk_text_buffer_apply_tag_by_name (buffer, "selected", &start, &end);
        gtk_text_view_scroll_to_iter (self->code_view, &start, 0.1, FALSE, 0, 0);
      }
  }
}

/* ---- following the run ------------------------------------------------ */

static void
update_run_button (LsWindow *self)
{
  LsLoop *loop = self->run != NULL ? ls_scenario_run_get_loop (self->run) : NULL;
  gboolean finished = self->run != NULL
                      && ls_future_is_done (LS_FUTURE (ls_scenario_run_get_main_task (self->run)));
  gboolean running = loop != NULL && self->started && !ls_loop_get_paused (loop) && !finished;

  /* a finished run plays again from the start: still the play icon (the
   * Restart button beside it has the circular arrow) */
  gtk_button_set_icon_name (self->run_button, running ? "media-playback-pause-symbolic"
                                              : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button),
                               running ? _("Pause (Space)")
                               : finished ? _("Run Again (Space)") : _("Run (Space)"));
}

static void
on_records_added (LsTrace  *trace,
                  guint64   first,
                  guint64   n,
                  LsWindow *self)
{
  GtkTextBuffer *console = gtk_text_view_get_buffer (self->console_view);
  g_autoptr(GString) lines = g_string_new (NULL);
  GtkTextIter end;

  if (self->cursor >= 0)
    {
      /* scrubbing: the panes show the cursor's instant, the run goes on */
      update_run_button (self);
      return;
    }
  ls_console_append (lines, trace, first, n);
  if (lines->len > 0)
    {
      gtk_text_buffer_get_end_iter (console, &end);
      gtk_text_buffer_insert (console, &end, lines->str, -1);
      gtk_text_view_scroll_to_mark (self->console_view, gtk_text_buffer_get_insert (console),
                                    0, FALSE, 0, 1);
      gtk_text_buffer_get_end_iter (console, &end);
      gtk_text_buffer_place_cursor (console, &end);
    }

  for (guint64 i = first; i < first + n; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == LS_TRACE_SOURCE_LINE)
        g_hash_table_insert (self->task_lines, GUINT_TO_POINTER (r->subject),
                             GINT_TO_POINTER ((int) r->arg));
    }

  ls_trace_state_replay (self->state, trace, first + n);
  update_internals (self);
  update_code_marks (self);
  update_run_button (self);
}

static void
apply_speed (LsWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->speed_dropdown);
  LsLoop *loop;

  if (self->run == NULL)
    return;
  loop = ls_scenario_run_get_loop (self->run);
  ls_loop_set_speed (loop, selected >= INSTANT ? LS_LOOP_INSTANT : speeds[selected]);
}

static void
stop_run (LsWindow *self)
{
  if (self->run == NULL)
    {
      g_clear_object (&self->trace);
      return;
    }
  g_clear_signal_handler (&self->records_added_id,
                          ls_loop_get_trace (ls_scenario_run_get_loop (self->run)));
  ls_loop_set_paused (ls_scenario_run_get_loop (self->run), TRUE);
  g_clear_pointer (&self->run, ls_scenario_run_free);
  g_clear_object (&self->trace);
}

/* A fresh run of the loaded scenario, paused before its first iteration. */
static void
new_run (LsWindow *self)
{
  LsLoop *loop;

  stop_run (self);
  self->run = ls_scenario_run_new (self->scenario, 0);
  loop = ls_scenario_run_get_loop (self->run);
  self->trace = g_object_ref (ls_loop_get_trace (loop));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", TRUE);
  ls_loop_set_paused (loop, TRUE);
  apply_speed (self);
  self->started = FALSE;
  self->cursor = -1;
  ls_trace_state_reset (self->state);
  g_hash_table_remove_all (self->task_lines);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->console_view), "", -1);
  self->records_added_id = g_signal_connect (ls_loop_get_trace (loop), "records-added",
                                             G_CALLBACK (on_records_added), self);
  ls_timeline_set_trace (self->timeline, ls_loop_get_trace (loop));
  ls_timeline_set_cursor_time (self->timeline, -1);
  ls_timeline_set_follow (self->timeline, TRUE);
  /* the main task is already created and scheduled: show it */
  ls_trace_flush (ls_loop_get_trace (loop));
  update_internals (self);
  update_code_marks (self);
  update_run_button (self);
}

static void
load_scenario (LsWindow         *self,
               const LsScenario *scenario)
{
  g_autofree char *listing = NULL;

  self->scenario = scenario;
  gtk_label_set_text (self->title_label, _(scenario->title));
  gtk_label_set_text (self->subtitle_label, _(scenario->section));
  gtk_label_set_text (self->notes_label, _(scenario->notes));
  listing = ls_scenario_get_listing (scenario);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->code_view),
                            listing != NULL ? listing : "", -1);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-scenario", scenario->id);
  new_run (self);
}

/* ---- scrubbing -------------------------------------------------------- */

/* Shows the loop as it was at @time_ns (-1: the live end of the run): the
 * state is rebuilt from the trace, so scrubbing back and forth works while
 * the run goes on. */
void
ls_window_set_cursor (LsWindow *self,
                      gint64    time_ns)
{
  LsTrace *trace;
  guint64 n;
  g_autoptr(GString) lines = g_string_new (NULL);

  g_return_if_fail (LS_IS_WINDOW (self));
  if (self->trace == NULL)
    return;
  trace = self->trace;
  self->cursor = time_ns;
  if (ls_timeline_get_cursor_time (self->timeline) != time_ns)
    ls_timeline_set_cursor_time (self->timeline, time_ns);
  n = time_ns < 0 ? ls_trace_get_n_records (trace) : ls_trace_find_time (trace, time_ns + 1);

  ls_trace_state_reset (self->state);
  ls_trace_state_replay (self->state, trace, n);
  g_hash_table_remove_all (self->task_lines);
  for (guint64 i = 0; i < n; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == LS_TRACE_SOURCE_LINE)
        g_hash_table_insert (self->task_lines, GUINT_TO_POINTER (r->subject),
                             GINT_TO_POINTER ((int) r->arg));
    }
  ls_console_append (lines, trace, 0, n);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->console_view), lines->str, -1);
  if (time_ns >= 0)
    self->state->time = time_ns;
  update_internals (self);
  update_code_marks (self);
}

gint64
ls_window_get_cursor (LsWindow *self)
{
  return self->cursor;
}

static void
on_timeline_selection (LsWindow *self)
{
  if (self->trace == NULL)
    return;
  update_internals (self);
  update_code_marks (self);
}

static void
on_timeline_cursor (LsWindow *self)
{
  gint64 t = ls_timeline_get_cursor_time (self->timeline);

  if (t != self->cursor)
    ls_window_set_cursor (self, t);
}

/* Clicking a console line moves the cursor to when it was printed. */
static void
on_console_click (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  LsWindow        *self)
{
  GtkTextIter iter, end;
  int bx, by;
  g_autofree char *line = NULL;
  char *after_number;
  double seconds;

  gtk_text_view_window_to_buffer_coords (self->console_view, GTK_TEXT_WINDOW_WIDGET, (int) x,
                                         (int) y, &bx, &by);
  gtk_text_view_get_iter_at_location (self->console_view, &iter, bx, by);
  gtk_text_iter_set_line_offset (&iter, 0);
  end = iter;
  gtk_text_iter_forward_to_line_end (&end);
  line = gtk_text_iter_get_text (&iter, &end);
  if (line[0] != '[')
    return;
  seconds = g_ascii_strtod (line + 1, &after_number);
  if (after_number == line + 1)
    return;
  ls_window_set_cursor (self, (gint64) (seconds * 1e9 + 0.5));
}

/* ---- files: open and save traces, export images ----------------------- */

static void
show_error (LsWindow   *self,
            const char *primary,
            const char *secondary)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL
                                              | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Shows a trace saved earlier: the timeline, the panes and scrubbing work
 * as after a live run; Run and Step need a live run, Restart starts one of
 * the trace's scenario. */
gboolean
ls_window_open_trace (LsWindow   *self,
                      const char *path,
                      GError    **error)
{
  g_auto(LsTraceInfo) info = { 0 };
  g_autoptr(LsTrace) trace = ls_trace_load_json_full (path, &info, error);
  const LsScenario *scenario;
  g_autofree char *listing = NULL;
  g_autoptr(GString) console = g_string_new (NULL);

  if (trace == NULL)
    return FALSE;
  stop_run (self);
  self->trace = g_steal_pointer (&trace);
  self->seed = info.seed;
  scenario = info.scenario_id != NULL ? ls_scenario_lookup (info.scenario_id) : NULL;
  self->scenario = scenario;
  g_free (self->trace_title);
  self->trace_title = g_path_get_basename (path);
  gtk_label_set_text (self->title_label, scenario != NULL ? _(scenario->title)
                                         : info.title != NULL ? info.title : self->trace_title);
  gtk_label_set_text (self->subtitle_label, self->trace_title);
  gtk_label_set_text (self->notes_label, scenario != NULL ? _(scenario->notes) : "");
  listing = scenario != NULL ? ls_scenario_get_listing (scenario) : NULL;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->code_view),
                            listing != NULL ? listing : "", -1);
  gtk_list_box_unselect_all (self->scenario_list);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", FALSE);
  self->started = TRUE;
  ls_timeline_set_trace (self->timeline, self->trace);
  ls_timeline_zoom_to_fit (self->timeline);
  self->cursor = -1;
  ls_window_set_cursor (self, -1);
  return TRUE;
}

static void
open_response (GtkNativeDialog *chooser,
               int              response,
               LsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !ls_window_open_trace (self, path, &error))
        show_error (self, _("Could not open the trace"), error->message);
    }
  g_object_unref (chooser);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Traces (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  return filter;
}

static void
open_trace_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open Trace"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (open_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static char *
suggested_name (LsWindow   *self,
                const char *extension)
{
  return g_strdup_printf ("%s.%s", self->scenario != NULL ? self->scenario->id : "trace",
                          extension);
}

gboolean
ls_window_save_trace (LsWindow   *self,
                      const char *path,
                      GError    **error)
{
  LsTraceInfo info = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *created = g_date_time_format_iso8601 (now);

  g_return_val_if_fail (self->trace != NULL, FALSE);
  info.scenario_id = self->scenario != NULL ? (char *) self->scenario->id : NULL;
  info.title = self->scenario != NULL ? (char *) self->scenario->title : self->trace_title;
  info.seed = self->seed;
  info.created = created;
  return ls_trace_save_json (self->trace, &info, path, error);
}

static void
save_response (GtkNativeDialog *chooser,
               int              response,
               LsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !ls_window_save_trace (self, path, &error))
        show_error (self, _("Could not save the trace"), error->message);
    }
  g_object_unref (chooser);
}

static void
save_trace_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  g_autofree char *name = suggested_name (self, "json");
  GtkFileChooserNative *chooser;

  if (self->trace == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save Trace"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (save_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The export dialog's choices, kept for the file chooser's answer. */
typedef struct
{
  LsWindow       *self;
  LsExportFormat  format;
  gboolean        visible_range;
  int             width;
  int             height;
  double          scale;
  gboolean        dark;
} ExportChoice;

gboolean
ls_window_export_image (LsWindow       *self,
                        const char     *path,
                        LsExportFormat  format,
                        gboolean        visible_range,
                        int             width,
                        int             height,
                        double          scale,
                        gboolean        dark,
                        GError        **error)
{
  LsTimelineModel *model = ls_timeline_get_model (self->timeline);
  LsExportOptions options;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *title = NULL;

  g_return_val_if_fail (model != NULL, FALSE);
  ls_export_options_init (&options);
  options.format = format;
  options.width = width;
  options.height = height;
  options.scale = scale;
  options.dark = dark;
  options.legend = TRUE;
  if (visible_range)
    ls_timeline_get_range (self->timeline, &options.t0, &options.t1);
  /* Translators: the title line of an exported image: scenario, seed, date */
  title = g_strdup_printf (_("%s — seed %u — %s"),
                           self->scenario != NULL ? _(self->scenario->title)
                           : self->trace_title != NULL ? self->trace_title : "",
                           self->seed, date);
  options.title = title;
  return ls_export_image (model, &options, path, error);
}

static void
export_file_response (GtkNativeDialog *chooser,
                      int              response,
                      ExportChoice    *choice)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL
          && !ls_window_export_image (choice->self, path, choice->format, choice->visible_range,
                                      choice->width, choice->height, choice->scale, choice->dark,
                                      &error))
        show_error (choice->self, _("Could not export the image"), error->message);
    }
  g_object_unref (chooser);
  g_free (choice);
}

static GtkWidget *
dropdown (const char *const *items,
          guint              selected)
{
  GtkWidget *widget = gtk_drop_down_new_from_strings (items);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), selected);
  return widget;
}

static void
export_dialog_response (GtkDialog *dialog,
                        int        response,
                        LsWindow  *self)
{
  static const char *extensions[] = { "png", "svg", "pdf" };
  GtkWidget *grid = g_object_get_data (G_OBJECT (dialog), "grid");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      ExportChoice *choice = g_new0 (ExportChoice, 1);
      GtkFileChooserNative *chooser;
      g_autofree char *name = NULL;

      choice->self = self;
      choice->format = gtk_drop_down_get_selected (GTK_DROP_DOWN (
                         gtk_grid_get_child_at (GTK_GRID (grid), 1, 0)));
      choice->visible_range = gtk_drop_down_get_selected (GTK_DROP_DOWN (
                                gtk_grid_get_child_at (GTK_GRID (grid), 1, 1))) == 1;
      choice->width = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
                        gtk_grid_get_child_at (GTK_GRID (grid), 1, 2)));
      choice->scale = gtk_drop_down_get_selected (GTK_DROP_DOWN (
                        gtk_grid_get_child_at (GTK_GRID (grid), 1, 3))) == 1 ? 2.0 : 1.0;
      choice->dark = gtk_drop_down_get_selected (GTK_DROP_DOWN (
                       gtk_grid_get_child_at (GTK_GRID (grid), 1, 4))) == 1;
      if (self->settings != NULL)
        {
          g_settings_set_int (self->settings, "export-width", choice->width);
          g_settings_set_double (self->settings, "export-scale", choice->scale);
          g_settings_set_string (self->settings, "export-theme", choice->dark ? "dark" : "light");
        }
      name = suggested_name (self, extensions[choice->format]);
      chooser = gtk_file_chooser_native_new (_("Export Image"), GTK_WINDOW (self),
                                             GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                             _("_Cancel"));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
      g_signal_connect (chooser, "response", G_CALLBACK (export_file_response), choice);
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
export_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  static const char *formats[] = { "PNG", "SVG", "PDF", NULL };
  static const char *ranges[] = { N_("The whole run"), N_("The visible range"), NULL };
  static const char *scales[] = { "1×", N_("2× (HiDPI)"), NULL };
  static const char *themes[] = { N_("Light"), N_("Dark"), NULL };
  const char *range_labels[] = { _(ranges[0]), _(ranges[1]), NULL };
  const char *scale_labels[] = { scales[0], _(scales[1]), NULL };
  const char *theme_labels[] = { _(themes[0]), _(themes[1]), NULL };
  const char *labels[] = { N_("Format"), N_("Range"), N_("Width"), N_("Scale"), N_("Colours") };
  GtkWidget *dialog, *grid, *width;
  g_autofree char *theme = NULL;
  int saved_width = 1600;
  double saved_scale = 1;

  if (ls_timeline_get_model (self->timeline) == NULL)
    return;
  if (self->settings != NULL)
    {
      theme = g_settings_get_string (self->settings, "export-theme");
      saved_width = g_settings_get_int (self->settings, "export-width");
      saved_scale = g_settings_get_double (self->settings, "export-scale");
    }
  dialog = gtk_dialog_new_with_buttons (_("Export Image"), GTK_WINDOW (self),
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT
                                        | GTK_DIALOG_USE_HEADER_BAR,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL,
                                        _("_Export…"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkWidget *label = gtk_label_new (_(labels[i]));

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
    }
  gtk_grid_attach (GTK_GRID (grid), dropdown (formats, 0), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), dropdown (range_labels, 0), 1, 1, 1, 1);
  width = gtk_spin_button_new_with_range (LS_EXPORT_MIN_WIDTH, LS_EXPORT_MAX_SIZE, 100);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (width), saved_width);
  gtk_grid_attach (GTK_GRID (grid), width, 1, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), dropdown (scale_labels, saved_scale > 1.5), 1, 3, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), dropdown (theme_labels, g_strcmp0 (theme, "dark") == 0), 1, 4,
                   1, 1);
  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  g_object_set_data (G_OBJECT (dialog), "grid", grid);
  g_signal_connect (dialog, "response", G_CALLBACK (export_dialog_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LsWindow      *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return FALSE;
  if (!ls_window_open_trace (self, path, &error))
    {
      show_error (self, _("Could not open the trace"), error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- actions ---------------------------------------------------------- */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  LsLoop *loop;

  if (self->run == NULL)
    return;
  if (ls_future_is_done (LS_FUTURE (ls_scenario_run_get_main_task (self->run))))
    new_run (self);
  loop = ls_scenario_run_get_loop (self->run);
  self->started = TRUE;
  ls_loop_set_paused (loop, !ls_loop_get_paused (loop));
  update_run_button (self);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  LsLoop *loop;

  if (self->run == NULL)
    return;
  loop = ls_scenario_run_get_loop (self->run);
  ls_loop_set_paused (loop, TRUE);
  self->started = TRUE;
  if (!ls_future_is_done (LS_FUTURE (ls_scenario_run_get_main_task (self->run))))
    ls_loop_step (loop);
  update_run_button (self);
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  /* a trace opened from a file restarts as a live run of its scenario */
  if (self->scenario != NULL)
    load_scenario (self, self->scenario);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  gtk_toggle_button_set_active (self->sidebar_button,
                                !gtk_toggle_button_get_active (self->sidebar_button));
}

/* ---- the sidebar ------------------------------------------------------ */

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  LsWindow      *self)
{
  const LsScenario *scenario = g_object_get_data (G_OBJECT (row), "scenario");

  if (scenario != NULL && scenario != self->scenario)
    load_scenario (self, scenario);
}

static void
section_header (GtkListBoxRow *row,
                GtkListBoxRow *before,
                gpointer       user_data)
{
  const LsScenario *scenario = g_object_get_data (G_OBJECT (row), "scenario");
  const LsScenario *previous = before != NULL ? g_object_get_data (G_OBJECT (before), "scenario")
                                              : NULL;
  GtkWidget *header;

  if (previous != NULL && g_str_equal (previous->section, scenario->section))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (_(scenario->section));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "loopscope-section-header");
  gtk_list_box_row_set_header (row, header);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  LsWindow *self = user_data;
  const LsScenario *scenario = g_object_get_data (G_OBJECT (row), "scenario");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *words = NULL;
  g_autofree char *haystack = NULL;

  if (text == NULL || text[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  words = g_strjoin (" ", scenario->id, _(scenario->title), _(scenario->section), scenario->title,
                     NULL);
  haystack = g_utf8_casefold (words, -1);
  return strstr (haystack, needle) != NULL;
}

static void
on_search_changed (GtkSearchEntry *entry,
                   LsWindow       *self)
{
  gtk_list_box_invalidate_filter (self->scenario_list);
}

static void
fill_sidebar (LsWindow *self)
{
  guint n;
  const LsScenario *const *all = ls_scenarios_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (_(all[i]->title));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "loopscope-scenario-row");
      gtk_widget_set_tooltip_text (row, all[i]->id);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data (G_OBJECT (row), "scenario", (gpointer) all[i]);
      gtk_list_box_append (self->scenario_list, row);
    }
  gtk_list_box_set_header_func (self->scenario_list, section_header, NULL, NULL);
  gtk_list_box_set_filter_func (self->scenario_list, filter_row, self, NULL);
}

static void
select_scenario (LsWindow         *self,
                 const LsScenario *scenario)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->scenario_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "scenario") == scenario)
      {
        gtk_list_box_select_row (self->scenario_list, GTK_LIST_BOX_ROW (row));
        break;
      }
  load_scenario (self, scenario);
}

/* With both bottom panes hidden, the timeline takes the whole height. */
static void
update_bottom_visibility (LsWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->bottom_paned),
                          gtk_widget_get_visible (self->console_notebook)
                          || gtk_widget_get_visible (self->internals_box));
}

/* ---- GObject and GtkWidget -------------------------------------------- */

/* Remember the size the user left the window at (not the maximized one). */
static gboolean
ls_window_close_request (GtkWindow *window)
{
  LsWindow *self = LS_WINDOW (window);
  int width, height;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window))
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  stop_run (self);
  return GTK_WINDOW_CLASS (ls_window_parent_class)->close_request (window);
}

/* Space runs, → steps: start with the focus on the timeline, where they
 * are not typed into a text field. */
static void
ls_window_map (GtkWidget *widget)
{
  LsWindow *self = LS_WINDOW (widget);

  GTK_WIDGET_CLASS (ls_window_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

static void
ls_window_dispose (GObject *object)
{
  LsWindow *self = LS_WINDOW (object);

  stop_run (self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ls_window_parent_class)->dispose (object);
}

static void
ls_window_finalize (GObject *object)
{
  LsWindow *self = LS_WINDOW (object);

  g_clear_pointer (&self->state, ls_trace_state_free);
  g_clear_pointer (&self->trace_title, g_free);
  g_clear_pointer (&self->task_lines, g_hash_table_unref);

  G_OBJECT_CLASS (ls_window_parent_class)->finalize (object);
}

static void
ls_window_class_init (LsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ls_window_dispose;
  object_class->finalize = ls_window_finalize;
  window_class->close_request = ls_window_close_request;
  widget_class->map = ls_window_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/ls-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LsWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, content_paned);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, bottom_paned);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, console_notebook);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, internals_box);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, scenario_list);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, notes_label);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, timeline_box);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, console_view);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, code_view);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, internals_view);

  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL,
                                   toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.open-trace", NULL, open_trace_action);
  gtk_widget_class_install_action (widget_class, "win.save-trace", NULL, save_trace_action);
  gtk_widget_class_install_action (widget_class, "win.export-image", NULL, export_image_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-trace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-trace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export-image", NULL);

  /* In the bubble phase: a focused text entry gets Space and → first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "win.step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "win.step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.restart",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
}

static void
ls_window_init (LsWindow *self)
{
  GtkTextBuffer *code;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->state = ls_trace_state_new ();
  self->task_lines = g_hash_table_new (NULL, NULL);
  code = gtk_text_view_get_buffer (self->code_view);
  gtk_text_buffer_create_tag (code, "current", "background", "rgba(229,165,10,0.35)",
                              "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (code, "selected", "background", "rgba(0,114,178,0.45)",
                              "weight", PANGO_WEIGHT_BOLD, NULL);

  g_object_bind_property (self->sidebar_button, "active", self->sidebar, "visible",
                          G_BINDING_SYNC_CREATE);
  {
    GtkGesture *click = gtk_gesture_click_new ();

    g_signal_connect (click, "released", G_CALLBACK (on_console_click), self);
    gtk_widget_add_controller (GTK_WIDGET (self->console_view), GTK_EVENT_CONTROLLER (click));
  }
  self->cursor = -1;
  self->timeline = LS_TIMELINE (ls_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_box_append (self->timeline_box, GTK_WIDGET (self->timeline));
  g_signal_connect_swapped (self->timeline, "notify::cursor-time",
                            G_CALLBACK (on_timeline_cursor), self);
  g_signal_connect_swapped (self->timeline, "notify::selected-lane",
                            G_CALLBACK (on_timeline_selection), self);
  g_signal_connect (self->scenario_list, "row-activated", G_CALLBACK (on_row_activated), self);
  {
    GtkDropTarget *target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

    g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  }
  g_signal_connect_swapped (self->console_notebook, "notify::visible",
                            G_CALLBACK (update_bottom_visibility), self);
  g_signal_connect_swapped (self->internals_box, "notify::visible",
                            G_CALLBACK (update_bottom_visibility), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected", G_CALLBACK (apply_speed),
                            self);
  gtk_drop_down_set_selected (self->speed_dropdown, 3); /* 1× */
  fill_sidebar (self);
}

LsWindow *
ls_window_new (GtkApplication *application,
               GSettings      *settings)
{
  LsWindow *self = g_object_new (LS_TYPE_WINDOW, "application", application, NULL);
  const LsScenario *scenario = NULL;
  guint n;

  g_set_object (&self->settings, settings);
  if (settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-scenario");
      double speed = g_settings_get_double (settings, "speed");

      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      scenario = ls_scenario_lookup (last);
      for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
        if (speeds[i] <= speed + 1e-9)
          gtk_drop_down_set_selected (self->speed_dropdown, i);
      if (g_settings_get_boolean (settings, "virtual-time"))
        gtk_drop_down_set_selected (self->speed_dropdown, INSTANT);
      g_settings_bind (settings, "sidebar-visible", self->sidebar_button, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "sidebar-width", self->main_paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "timeline-height", self->content_paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "console-width", self->bottom_paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "console-visible", self->console_notebook, "visible",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "internals-visible", self->internals_box, "visible",
                       G_SETTINGS_BIND_DEFAULT);
      /* the menu's check items are the settings themselves */
      {
        g_autoptr(GAction) console = g_settings_create_action (settings, "console-visible");
        g_autoptr(GAction) internals = g_settings_create_action (settings, "internals-visible");

        g_action_map_add_action (G_ACTION_MAP (self), console);
        g_action_map_add_action (G_ACTION_MAP (self), internals);
      }
      update_bottom_visibility (self);
    }
  if (scenario == NULL)
    scenario = ls_scenarios_get_all (&n)[0];
  select_scenario (self, scenario);
  return self;
}

const LsScenario *
ls_window_get_scenario (LsWindow *self)
{
  return self->scenario;
}

LsScenarioRun *
ls_window_get_run (LsWindow *self)
{
  return self->run;
}

/* Loads the scenario @id as if picked in the sidebar; FALSE if unknown. */
gboolean
ls_window_load_scenario_id (LsWindow   *self,
                            const char *id)
{
  const LsScenario *scenario = ls_scenario_lookup (id);

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  if (scenario == NULL)
    return FALSE;
  select_scenario (self, scenario);
  return TRUE;
}

/* What the console pane shows. */
char *
ls_window_dup_console_text (LsWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->console_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* What the loop-internals pane shows. */
char *
ls_window_dup_internals_text (LsWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->internals_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
ls_window_set_instant (LsWindow *self,
                       gboolean  instant)
{
  gtk_drop_down_set_selected (self->speed_dropdown, instant ? INSTANT : 3);
}

GtkWidget *
ls_window_get_timeline (LsWindow *self)
{
  return GTK_WIDGET (self->timeline);
}
