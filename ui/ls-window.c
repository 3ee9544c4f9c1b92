/* SPDX-License-Identifier: MIT
 *
 * The main window. Everything it shows is read from its session: the
 * timeline widget draws the session's interpreter, and the panes around
 * it (console, code, loop internals, the clock in the header bar) follow
 * the session's cursor — the live end of the run, or the instant being
 * scrubbed. The actions, shortcuts and file dialogs are in
 * ls-window-actions.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ls-describe.h"
#include "ls-scenario.h"
#include "ls-window-private.h"

G_DEFINE_FINAL_TYPE (LsWindow, ls_window, GTK_TYPE_APPLICATION_WINDOW)

/* ---- the panes ------------------------------------------------------------ */

/* The instant the panes show: the cursor, or the end of what ran so far. */
static gint64
shown_time (LsWindow *self)
{
  gint64 cursor = ls_session_get_cursor (self->session);

  return cursor >= 0 ? cursor : ls_session_get_now (self->session);
}

/* The loop's state at the cursor, or after the last record while the run
 * is followed (stamped with that record's time: the clock in the header
 * bar runs on between records). */
static void
update_internals (LsWindow *self)
{
  LsInterpreter *interpreter = ls_session_get_interpreter (self->session);
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 cursor = ls_session_get_cursor (self->session);

  if (interpreter != NULL)
    {
      const LsTraceState *state = ls_session_get_cursor_state (self->session);

      ls_describe_loop (out, interpreter, state, ls_session_get_selected_task (self->session),
                        cursor >= 0 ? cursor : state->time);
      /* comparing: the other run at the same instant */
      _ls_window_compare_describe (self, out, cursor >= 0 ? cursor : state->time);
    }
  /* a label, not a text view: it never lays its text out while drawing */
  gtk_label_set_text (self->internals_label, out->str);
}

static void
tag_line (GtkTextBuffer *buffer,
          int            line,
          const char    *tag)
{
  GtkTextIter start, end;

  if (line <= 0 || line > gtk_text_buffer_get_line_count (buffer))
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag_by_name (buffer, tag, &start, &end);
}

/* The gutter names the task on its line, as the lanes name it */
static void
add_code_badge (LsWindow          *self,
                const LsTaskEntry *task,
                gboolean           selected)
{
  LsInterpreter *model = ls_session_get_interpreter (self->session);
  LsLaneLayout *layout = ls_session_get_layout (self->session);
  int lane = model != NULL ? ls_interpreter_find_lane (model, task->task_id) : -1;

  if (lane < 0 || layout == NULL)
    return;
  ls_code_gutter_add (self->code_gutter, task->line, ls_lane_layout_get_name (layout, lane),
                      selected);
}

/* Each task's line in the listing, at the cursor, named in the gutter; the
 * selected task's line stands out and the pane scrolls to it. */
static void
update_code_marks (LsWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->code_view);
  const LsTraceState *state = ls_session_get_cursor_state (self->session);
  guint32 selected = ls_session_get_selected_task (self->session);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "current", &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "selected", &start, &end);
  ls_code_gutter_clear (self->code_gutter);
  if (state == NULL)
    return;
  for (guint i = 0; i < state->tasks->len; i++)
    {
      const LsTaskEntry *t = &g_array_index (state->tasks, LsTaskEntry, i);

      if (t->line > 0 && t->state < LS_TASK_STATE_DONE)
        {
          tag_line (buffer, t->line, "current");
          add_code_badge (self, t, t->task_id == selected);
        }
    }
  if (selected != 0)
    {
      const LsTaskEntry *t = ls_trace_state_get_task ((LsTraceState *) state, selected);

      if (t != NULL && t->line > 0)
        {
          tag_line (buffer, t->line, "selected");
          gtk_text_buffer_get_iter_at_line (buffer, &start, t->line - 1);
          gtk_text_view_scroll_to_iter (self->code_view, &start, 0.1, FALSE, 0, 0);
        }
    }
}

/* The records up to the next print's own (its index + 1), found in the
 * trace from where the last one was: prints are its PRINT records, in
 * order. G_MAXUINT64 when there is none (it cannot be, but a console line
 * then falls back on its time). */
static guint64
next_print_record (LsWindow *self)
{
  LsTrace *trace = ls_session_get_trace (self->session);
  guint64 n = trace != NULL ? ls_trace_get_n_records (trace) : 0;

  for (; self->console_scan < n; self->console_scan++)
    if (ls_trace_get_record (trace, self->console_scan)->kind == LS_TRACE_PRINT)
      return ++self->console_scan;
  return G_MAXUINT64;
}

/* Lines printed after the cursor are dimmed: after its instant, or after
 * its record when it stands between two records of one instant. */
static void
set_console_cursor (LsWindow *self)
{
  guint64 n_records = ls_session_get_cursor_record (self->session);

  ls_console_view_set_cursor_record (self->console_view, ls_session_get_cursor (self->session),
                                     n_records > 0 ? n_records : G_MAXUINT64);
}

/* The console holds the whole run, one line per line of text; what was
 * printed after the cursor is dimmed, so a click can jump either way. */
static void
update_console (LsWindow *self)
{
  LsInterpreter *interpreter = ls_session_get_interpreter (self->session);
  GArray *prints = interpreter != NULL ? ls_interpreter_get_prints (interpreter) : NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = self->console_prints; prints != NULL && i < prints->len; i++)
    {
      const LsTimelinePrint *p = &g_array_index (prints, LsTimelinePrint, i);
      const char *text = p->text;
      guint64 n_records = next_print_record (self);

      for (;;)
        {
          const char *nl = strchr (text, '\n');

          g_string_printf (line, "[%8.3f] %.*s", p->time_ns / 1e9,
                           nl != NULL ? (int) (nl - text) : (int) strlen (text), text);
          ls_console_view_append_record (self->console_view, line->str, p->time_ns,
                                         n_records);
          if (nl == NULL)
            break;
          text = nl + 1;
        }
    }
  self->console_prints = prints != NULL ? prints->len : 0;
  set_console_cursor (self);
}

static void
update_clock (LsWindow *self)
{
  g_autofree char *text = g_strdup_printf (_("%.3f s"), shown_time (self) / 1e9);

  gtk_label_set_text (self->clock_label, text);
}

/* A new run or trace: the text panes start over (on their own turn, see
 * queue_update_panes ()). */
static void
reload_text_panes (LsWindow *self)
{
  const LsScenario *scenario = ls_session_get_scenario (self->session);
  const LsKnobs *knobs = ls_session_get_knobs (self->session);
  g_autofree char *listing = scenario != NULL ? ls_scenario_get_listing (scenario) : NULL;

  self->reload_pending = FALSE;
  /* the listing as the run had it: Semaphore(4) with four permits */
  if (listing != NULL && knobs != NULL)
    {
      char *with_knobs = ls_knobs_apply_to_listing (knobs, listing);

      g_free (listing);
      listing = with_knobs;
    }
  /* a CPython run: its program */
  if (listing == NULL)
    listing = _ls_window_dup_program_text (self);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->code_view),
                            listing != NULL ? listing : "", -1);
  ls_console_view_clear (self->console_view);
  self->console_prints = 0;
  self->console_scan = 0;
}

static void
update_panes (LsWindow *self)
{
  g_clear_handle_id (&self->panes_idle_id, g_source_remove);
  if (self->reload_pending)
    reload_text_panes (self);
  update_console (self);
  update_internals (self);
  update_code_marks (self);
  update_clock (self);
}

static gboolean
update_panes_idle (gpointer data)
{
  LsWindow *self = data;

  self->panes_idle_id = 0;
  update_panes (self);
  return G_SOURCE_REMOVE;
}

/* The panes follow the session on their own turn: many changes (a drag of
 * the cursor, a dispatch of the loop) make one update, at most one a
 * frame. */
static void
queue_update_panes (LsWindow *self)
{
  if (self->panes_idle_id == 0)
    self->panes_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_panes_idle, self, NULL);
}

static void
update_run_button (LsWindow *self)
{
  gboolean playing = ls_session_get_playing (self->session);
  gboolean finished = ls_session_get_finished (self->session);

  /* a finished run plays again from the start: still the play icon (the
   * Restart button beside it has the circular arrow) */
  gtk_button_set_icon_name (self->run_button, playing ? "media-playback-pause-symbolic"
                                              : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button),
                               playing ? _("Pause (Space)")
                               : finished ? _("Run Again (Space)") : _("Run (Space)"));
}

static gboolean
clock_tick (GtkWidget     *widget,
            GdkFrameClock *frame_clock,
            gpointer       user_data)
{
  update_clock (LS_WINDOW (widget));
  return G_SOURCE_CONTINUE;
}

static void
on_playing_changed (LsWindow *self)
{
  gboolean playing = ls_session_get_playing (self->session);

  /* the clock runs with the paced clock, between records too */
  if (playing && self->clock_tick_id == 0)
    self->clock_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), clock_tick, NULL, NULL);
  else if (!playing && self->clock_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->clock_tick_id);
      self->clock_tick_id = 0;
    }
  update_run_button (self);
  update_clock (self);
}

static void
on_session_changed (LsWindow *self)
{
  /* scrubbing: the panes show the cursor's instant while the run goes on,
   * but the console keeps growing */
  queue_update_panes (self);
}

static void
on_session_loaded (LsWindow *self)
{
  const LsScenario *scenario = ls_session_get_scenario (self->session);
  const LsKnobs *knobs = ls_session_get_knobs (self->session);
  const char *file_name = ls_session_get_file_name (self->session);
  g_autofree char *changed = knobs != NULL ? ls_knobs_describe (knobs) : g_strdup ("");
  g_autoptr(GString) subtitle = g_string_new (file_name != NULL ? file_name
                                              : scenario != NULL ? _(scenario->section) : "");
  g_autoptr(GString) notes = g_string_new (scenario != NULL ? _(scenario->notes) : "");

  gtk_label_set_text (self->title_label,
                      scenario != NULL ? _(scenario->title) : ls_session_get_title (self->session));
  /* the knobs are part of the run's identity; what to look for when they
   * change goes with the notes */
  if (changed[0] != '\0')
    g_string_append_printf (subtitle, " — %s", changed);
  for (guint i = 0; knobs != NULL && i < scenario->n_knobs; i++)
    if (!ls_knobs_is_default (knobs, i))
      g_string_append_printf (notes, "\n%s: %s", _(scenario->knobs[i].label),
                              _(ls_knob_get_info (scenario, i)->hint));
  gtk_label_set_text (self->subtitle_label, subtitle->str);
  gtk_label_set_text (self->notes_label, notes->str);
  if (file_name != NULL)
    gtk_list_box_unselect_all (self->scenario_list);
  self->reload_pending = TRUE;
  _ls_window_update_actions (self);
  update_run_button (self);
  queue_update_panes (self);
}

/* ---- scrubbing from the console ---------------------------------------------- */

/* A click on a console line moves the cursor to the instant it was printed. */
static void
on_console_line_activated (LsConsoleView *console,
                           guint          line,
                           gint64         time_ns,
                           LsWindow      *self)
{
  guint64 n_records = ls_console_view_get_line_records (console, line);

  /* exactly after the line's print, not after its whole instant */
  if (n_records != G_MAXUINT64)
    ls_session_set_cursor_record (self->session, n_records);
  else
    ls_session_set_cursor (self->session, time_ns);
}

/* ---- the sidebar --------------------------------------------------------------- */

static void
select_row_of (LsWindow         *self,
               const LsScenario *scenario)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->scenario_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_object_get_data (G_OBJECT (row), "scenario") == scenario)
      {
        gtk_list_box_select_row (self->scenario_list, GTK_LIST_BOX_ROW (row));
        break;
      }
}

void
_ls_window_load_scenario (LsWindow         *self,
                          const LsScenario *scenario)
{
  select_row_of (self, scenario);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-scenario", scenario->id);
  ls_session_load_scenario (self->session, scenario, self->seed);
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  LsWindow      *self)
{
  const LsScenario *scenario = g_object_get_data (G_OBJECT (row), "scenario");

  if (scenario != NULL && (scenario != ls_session_get_scenario (self->session)
                           || !ls_session_get_live (self->session)))
    _ls_window_load_scenario (self, scenario);
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
  /* what the list says when the search matches nothing */
  {
    GtkWidget *none = gtk_label_new (_("No scenarios match"));

    gtk_widget_add_css_class (none, "dim-label");
    gtk_widget_set_margin_top (none, 24);
    gtk_widget_set_margin_start (none, 12);
    gtk_widget_set_margin_end (none, 12);
    gtk_label_set_wrap (GTK_LABEL (none), TRUE);
    gtk_list_box_set_placeholder (self->scenario_list, none);
  }
}

/* With both bottom panes hidden, the timeline takes the whole height. */
static void
update_bottom_visibility (LsWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->bottom_paned),
                          gtk_widget_get_visible (self->console_notebook)
                          || gtk_widget_get_visible (self->internals_box));
}

/* ---- GObject and GtkWidget -------------------------------------------------- */

/* Remember the size the user left the window at (not the maximized one). */
static gboolean
ls_window_close_request (GtkWindow *window)
{
  LsWindow *self = LS_WINDOW (window);
  int width, height;

  /* unsaved text in the editor: asked about first */
  if (_ls_window_editor_close_request (self))
    return TRUE;
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
  ls_session_set_playing (self->session, FALSE);
  return GTK_WINDOW_CLASS (ls_window_parent_class)->close_request (window);
}

/* Arrows and Space belong to the run: start with the focus on the timeline,
 * where no text is typed. */
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

  g_clear_handle_id (&self->panes_idle_id, g_source_remove);
  _ls_window_compare_dispose (self);
  _ls_window_dispose_status (self);
  _ls_window_editor_dispose (self);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      ls_session_set_playing (self->session, FALSE);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ls_window_parent_class)->dispose (object);
}

static void
ls_window_class_init (LsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ls_window_dispose;
  window_class->close_request = ls_window_close_request;
  widget_class->map = ls_window_map;

  g_type_ensure (LS_TYPE_TIMELINE);
  g_type_ensure (LS_TYPE_CONSOLE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/ls-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LsWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, clock_label);
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
  gtk_widget_class_bind_template_child (widget_class, LsWindow, internals_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, update_bottom_visibility);
  gtk_widget_class_bind_template_callback (widget_class, on_console_line_activated);

  _ls_window_class_init_actions (widget_class);
  _ls_window_class_init_compare (widget_class);
  _ls_window_class_init_iterations (widget_class);
  _ls_window_class_init_editor (widget_class);
}

static void
ls_window_init (LsWindow *self)
{
  GtkTextBuffer *code;
  GtkWidget *scrolled;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = ls_session_new ();
  g_signal_connect_swapped (self->session, "loaded", G_CALLBACK (on_session_loaded), self);
  g_signal_connect_swapped (self->session, "changed", G_CALLBACK (on_session_changed), self);
  g_signal_connect_swapped (self->session, "notify::cursor", G_CALLBACK (queue_update_panes),
                            self);
  g_signal_connect_swapped (self->session, "notify::selected-lane",
                            G_CALLBACK (queue_update_panes), self);
  g_signal_connect_swapped (self->session, "notify::playing", G_CALLBACK (on_playing_changed),
                            self);
  g_signal_connect_swapped (self->session, "notify::finished", G_CALLBACK (update_run_button),
                            self);

  code = gtk_text_view_get_buffer (self->code_view);
  gtk_text_buffer_create_tag (code, "current", "background", "rgba(229,165,10,0.35)",
                              "weight", PANGO_WEIGHT_BOLD, NULL);
  self->code_gutter = LS_CODE_GUTTER (ls_code_gutter_new (self->code_view));
  /* the internals' columns (a task's name, its state) are aligned by
   * width, for names in any script */
  {
    PangoTabArray *tabs = pango_tab_array_new_with_positions (3, TRUE, PANGO_TAB_LEFT, 150,
                                                              PANGO_TAB_LEFT, 300,
                                                              PANGO_TAB_LEFT, 450);

    gtk_label_set_tabs (self->internals_label, tabs);
    pango_tab_array_free (tabs);
  }
  gtk_text_buffer_create_tag (code, "selected", "background", "rgba(0,114,178,0.45)",
                              "weight", PANGO_WEIGHT_BOLD, NULL);

  g_object_bind_property (self->sidebar_button, "active", self->sidebar, "visible",
                          G_BINDING_SYNC_CREATE);

  /* the lane filter above the timeline, whose rows scroll */
  self->lane_filter = LS_LANE_FILTER (ls_lane_filter_new (self->session));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->timeline_box), GTK_ORIENTATION_VERTICAL);
  gtk_box_append (self->timeline_box, GTK_WIDGET (self->lane_filter));
  self->timeline = LS_TIMELINE (ls_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->timeline), TRUE);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->timeline));
  gtk_box_append (self->timeline_box, scrolled);
  ls_timeline_set_session (self->timeline, self->session);
  _ls_window_init_compare (self);
  _ls_window_init_iterations (self);
  _ls_window_init_status (self);
  _ls_window_init_editor (self);

  fill_sidebar (self);
  _ls_window_init_shortcuts (self);
  _ls_window_update_actions (self);
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
      g_autoptr(GAction) console = g_settings_create_action (settings, "console-visible");
      g_autoptr(GAction) internals = g_settings_create_action (settings, "internals-visible");

      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      scenario = ls_scenario_lookup (last);
      ls_session_set_speed (self->session,
                            g_settings_get_boolean (settings, "virtual-time")
                            ? LS_LOOP_INSTANT : g_settings_get_double (settings, "speed"));
      g_settings_bind (settings, "sidebar-visible", self->sidebar_button, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "sidebar-width", self->main_paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "timeline-height", self->content_paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "console-width", self->bottom_paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "lane-label-width", self->timeline, "label-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "console-visible", self->console_notebook, "visible",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "internals-visible", self->internals_box, "visible",
                       G_SETTINGS_BIND_DEFAULT);
      /* the menu's check items are the settings themselves */
      g_action_map_add_action (G_ACTION_MAP (self), console);
      g_action_map_add_action (G_ACTION_MAP (self), internals);
      update_bottom_visibility (self);
    }
  if (scenario == NULL)
    scenario = ls_scenarios_get_all (&n)[0];
  _ls_window_load_scenario (self, scenario);
  return self;
}

LsSession *
ls_window_get_session (LsWindow *self)
{
  g_return_val_if_fail (LS_IS_WINDOW (self), NULL);
  return self->session;
}

gboolean
ls_window_load_scenario_with_knobs (LsWindow          *self,
                                    const char        *id,
                                    guint32            seed,
                                    const char *const *knobs,
                                    GError           **error)
{
  const LsScenario *scenario = ls_scenario_lookup (id);
  g_autoptr(LsKnobs) values = NULL;

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  if (scenario == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("unknown scenario “%s”"), id);
      return FALSE;
    }
  values = ls_knobs_new (scenario);
  for (guint i = 0; knobs != NULL && knobs[i] != NULL; i++)
    if (!ls_knobs_parse (values, knobs[i], error))
      return FALSE;
  self->seed = seed;
  select_row_of (self, scenario);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-scenario", scenario->id);
  ls_session_load_scenario_with_knobs (self->session, scenario, seed, values);
  return TRUE;
}

gboolean
ls_window_load_scenario_id (LsWindow   *self,
                            const char *id,
                            guint32     seed)
{
  const LsScenario *scenario = ls_scenario_lookup (id);

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  if (scenario == NULL)
    return FALSE;
  self->seed = seed;
  _ls_window_load_scenario (self, scenario);
  return TRUE;
}

/* ---- for the tests -------------------------------------------------------------- */

/* The tests read the panes as they are after pending updates. */
static void
flush_panes (LsWindow *self)
{
  if (self->panes_idle_id != 0)
    update_panes (self);
}

char *
_ls_window_dup_console_text (LsWindow *self)
{
  flush_panes (self);
  return ls_console_view_dup_text (self->console_view, FALSE);
}

/* What the console shows undimmed: the lines up to the cursor. */
char *
_ls_window_dup_console_text_to_cursor (LsWindow *self)
{
  flush_panes (self);
  return ls_console_view_dup_text (self->console_view, TRUE);
}

char *
_ls_window_dup_internals_text (LsWindow *self)
{
  flush_panes (self);
  return g_strdup (gtk_label_get_text (self->internals_label));
}

char *
_ls_window_dup_clock_text (LsWindow *self)
{
  flush_panes (self);
  return g_strdup (gtk_label_get_text (self->clock_label));
}

LsTimeline *
_ls_window_get_timeline (LsWindow *self)
{
  return self->timeline;
}
