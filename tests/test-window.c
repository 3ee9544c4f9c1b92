/* SPDX-License-Identifier: MIT
 *
 * The window under Xvfb, driven as a user drives it: keys and the pointer
 * go through the X server (ls-test-input.c), and each test checks what the
 * session and the panes then say. A run in the window records exactly the
 * times the virtual clock records.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "ls-application.h"
#include "ls-compare-renderer.h"
#include "ls-sweep-dialog.h"
#include "ls-test-input.h"
#include "ls-test-window.h"
#include "ls-test-scenario.h"
#include "ls-window-private.h"

/* One application for the whole process: a second one with the same id
 * could not register on the session bus. */
static LsApplication *app;

#define MS G_GINT64_CONSTANT (1000000)

/* The window, shown and focused, with @id loaded at @speed. */
static LsWindow *
window_with (const char *id,
             double      speed)
{
  LsWindow *window = ls_test_active_window (app);
  LsSession *session = ls_window_get_session (window);

  ls_session_set_speed (session, speed);
  g_assert_true (ls_window_load_scenario_id (window, id, 0));
  ls_test_window_ready (GTK_WINDOW (window));
  return window;
}

static LsLoop *
window_loop (LsWindow *window)
{
  return ls_scenario_run_get_loop (ls_session_get_run (ls_window_get_session (window)));
}

static int
lane_labelled (LsSession  *session,
               const char *label)
{
  LsInterpreter *model = ls_session_get_interpreter (session);

  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    if (g_strcmp0 (ls_interpreter_get_lane (model, i)->label, label) == 0)
      return (int) i;
  return -1;
}

/* ---- the window and the app ---------------------------------------------------- */

static void
test_window_opens (void)
{
  LsWindow *window = ls_test_active_window (app);

  ls_test_window_ready (GTK_WINDOW (window));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "load-scenario"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Loopscope");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "color-scheme"));
}

static gboolean
prefers_dark (void)
{
  gboolean dark = FALSE;

  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  return dark;
}

/* The Style menu's action is the GSettings key, and the key decides the
 * GTK style ("system" is light here: Xvfb has no settings portal). */
static void
test_color_scheme (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *stored = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("dark"));
  g_assert_true (prefers_dark ());
  stored = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (stored, ==, "dark");

  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("light"));
  g_assert_false (prefers_dark ());

  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_true (prefers_dark ());
  g_settings_set_string (settings, "color-scheme", "system");
  g_assert_false (prefers_dark ());
}

/* The window opens at the size it was closed at. */
static void
test_window_size_remembered (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *window;
  int width, height;

  /* a new window reads the settings */
  while ((window = gtk_application_get_active_window (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (window);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 650);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 650);

  gtk_window_set_default_size (window, 1024, 700);
  gtk_window_close (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1024);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
}

/* ---- keys ------------------------------------------------------------------------- */

/* Space runs wherever the focus is: on the sidebar's toggle button it
 * would otherwise hide the sidebar. */
static void
test_space_runs (void)
{
  LsWindow *window = window_with ("hello-world", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  g_autofree char *console = NULL;

  g_assert_false (ls_session_get_playing (session));
  g_assert_cmpuint (ls_loop_get_iteration (window_loop (window)), ==, 0);
  gtk_widget_grab_focus (GTK_WIDGET (window->sidebar_button));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  g_assert_true (gtk_toggle_button_get_active (window->sidebar_button));
  g_assert_true (gtk_widget_get_visible (window->sidebar));
  console = _ls_window_dup_console_text (window);
  g_assert_cmpstr (console, ==, "[   0.000] Hello\n[   1.000] World\n");

  /* Space again on a finished run: it plays again from the start */
  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  g_clear_pointer (&console, g_free);
  console = _ls_window_dup_console_text (window);
  g_assert_cmpstr (console, ==, "[   0.000] Hello\n[   1.000] World\n");
}

/* → and F10 step exactly one loop iteration, with the focus on a button
 * (where → would otherwise move the focus); the internals pane shows the
 * ready queue and the timers at that point. */
static void
test_step_keys (void)
{
  LsWindow *window = window_with ("event-loop", 1.0);
  LsSession *session = ls_window_get_session (window);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *focus;

  before = _ls_window_dup_internals_text (window);
  /* main's first step is scheduled before anything runs */
  g_assert_nonnull (strstr (before, "1. step Task-1"));

  gtk_widget_grab_focus (GTK_WIDGET (window->run_button));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_Right, 0);
  g_assert_cmpuint (ls_loop_get_iteration (window_loop (window)), ==, 1);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == focus);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_F10, 0);
  g_assert_cmpuint (ls_loop_get_iteration (window_loop (window)), ==, 2);
  after = _ls_window_dup_internals_text (window);
  /* iteration 2 ran both tasks' first steps: two sleep timers now */
  g_assert_nonnull (strstr (after, "iteration 2"));
  g_assert_nonnull (strstr (after, "1.000 s  sleep"));
  g_assert_nonnull (strstr (after, "2.000 s  sleep"));
  g_assert_false (ls_session_get_playing (session));
}

/* In a text entry the keys type: Space and → neither run nor step. */
static void
test_keys_type_in_entries (void)
{
  LsWindow *window = window_with ("event-loop", 1.0);
  LsSession *session = ls_window_get_session (window);

  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "lo");
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  gtk_editable_set_position (GTK_EDITABLE (window->search_entry), 1);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_Right, 0);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_0, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->search_entry)), ==, "lo 0");
  g_assert_false (ls_session_get_playing (session));
  g_assert_cmpuint (ls_loop_get_iteration (window_loop (window)), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (window->timeline));
}

static void
count (guint *n)
{
  (*n)++;
}

/* Ctrl+R restarts the run and plays it. */
static void
test_restart_key (void)
{
  LsWindow *window = window_with ("hello-world", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  guint loads = 0;
  gulong id = g_signal_connect_swapped (session, "loaded", G_CALLBACK (count), &loads);

  gtk_widget_grab_focus (GTK_WIDGET (window->run_button));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_r, GDK_CONTROL_MASK);
  g_signal_handler_disconnect (session, id);
  g_assert_cmpuint (loads, ==, 1);
  g_assert_true (ls_session_get_playing (session) || ls_session_get_finished (session));
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  g_assert_cmpuint (ls_loop_get_iteration (window_loop (window)), >, 0);
}

/* +, − and 0 zoom wherever the focus is. */
static void
test_zoom_keys (void)
{
  LsWindow *window = window_with ("lock", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  LsTimelineView view;
  gint64 t0, t1, z0, z1, anchor;
  double label_width, centre;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  gtk_widget_grab_focus (GTK_WIDGET (window->run_button));
  ls_session_get_range (session, &t0, &t1);
  g_assert_true (ls_session_get_fit (session));

  /* the plot's centre, right of the label column, keeps its time */
  label_width = ls_timeline_get_label_width (window->timeline);
  centre = label_width + (gtk_widget_get_width (GTK_WIDGET (window->timeline)) - label_width) / 2;
  ls_timeline_get_view (window->timeline, &view);
  anchor = ls_timeline_view_x_to_time (&view, centre);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_plus, 0);
  ls_session_get_range (session, &z0, &z1);
  g_assert_false (ls_session_get_fit (session));
  g_assert_cmpint (z1 - z0, <, (t1 - t0) * 3 / 4);
  g_assert_cmpint (z1 - z0, >, (t1 - t0) / 2);
  ls_timeline_get_view (window->timeline, &view);
  g_assert_cmpfloat (fabs (ls_timeline_view_time_to_x (&view, anchor) - centre), <=, 1.5);

  ls_test_key (GTK_WIDGET (window), GDK_KEY_minus, 0);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_minus, 0);
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z1 - z0, >, t1 - t0);

  ls_test_key (GTK_WIDGET (window), GDK_KEY_0, 0);
  g_assert_true (ls_session_get_fit (session));
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z0, ==, t0);
  g_assert_cmpint (z1, ==, t1);
}

/* ---- the pointer ------------------------------------------------------------------ */

static double
lane_y (LsWindow *window,
        int       lane)
{
  LsTimelineView view;
  LsLaneLayout *layout = ls_session_get_layout (ls_window_get_session (window));

  ls_timeline_get_view (window->timeline, &view);
  return ls_timeline_view_row_y (&view, ls_lane_layout_get_lane_row (layout, lane))
         + LS_TIMELINE_LANE_HEIGHT / 2;
}

/* A click on a lane selects it (the details follow), a drag across the
 * plot pans, a drag along the time axis scrubs, Ctrl+wheel zooms around
 * the pointer, Escape lets go of the selection and the cursor. */
static void
test_pointer (void)
{
  LsWindow *window = window_with ("lock", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  g_autofree char *details = NULL;
  LsTimelineView view;
  gint64 t0, t1, z0, z1, anchor;
  double x, w;
  int lane;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  ls_test_input_settle ();
  w = gtk_widget_get_width (timeline);
  g_assert_cmpfloat (w, >, LS_TIMELINE_LABEL_WIDTH + 200);

  /* click: select Task 3 */
  lane = lane_labelled (session, "Task 3");
  g_assert_cmpint (lane, >=, 0);
  ls_test_click (timeline, LS_TIMELINE_LABEL_WIDTH + 50, lane_y (window, lane));
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, lane);
  details = _ls_window_dup_internals_text (window);
  g_assert_true (g_str_has_prefix (details, "Selected: Task 3\n"));

  /* drag the plot to the left: later times come into view */
  ls_session_get_range (session, &t0, &t1);
  ls_test_drag (timeline, LS_TIMELINE_LABEL_WIDTH + 300, lane_y (window, lane),
                LS_TIMELINE_LABEL_WIDTH + 100, lane_y (window, lane));
  ls_session_get_range (session, &z0, &z1);
  g_assert_false (ls_session_get_follow (session));
  g_assert_cmpint (z0, >, t0);
  g_assert_cmpint (z1 - z0, ==, t1 - t0);
  /* a drag is no click: the selection stays */
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, lane);

  /* drag along the axis: the cursor follows the pointer */
  ls_session_zoom_to_fit (session);
  ls_test_input_settle ();
  ls_test_drag (timeline, LS_TIMELINE_LABEL_WIDTH + 40, LS_TIMELINE_AXIS_HEIGHT / 2,
                LS_TIMELINE_LABEL_WIDTH + 240, LS_TIMELINE_AXIS_HEIGHT / 2);
  ls_timeline_get_view (window->timeline, &view);
  x = ls_timeline_view_time_to_x (&view, ls_session_get_cursor (session));
  g_assert_cmpfloat (fabs (x - (LS_TIMELINE_LABEL_WIDTH + 240)), <=, 1.5);

  /* Ctrl+wheel up: zoom in, the time under the pointer stays put */
  ls_session_get_range (session, &t0, &t1);
  x = LS_TIMELINE_LABEL_WIDTH + (w - LS_TIMELINE_LABEL_WIDTH) / 4;
  anchor = ls_timeline_view_x_to_time (&view, x);
  ls_test_scroll (timeline, x, lane_y (window, lane), -1, GDK_CONTROL_MASK);
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z1 - z0, <, t1 - t0);
  ls_timeline_get_view (window->timeline, &view);
  g_assert_cmpfloat (fabs (ls_timeline_view_time_to_x (&view, anchor) - x), <=, 1.5);

  /* Escape, on the timeline */
  gtk_widget_grab_focus (timeline);
  ls_test_key (timeline, GDK_KEY_Escape, 0);
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, -1);
  g_assert_cmpint (ls_session_get_cursor (session), ==, -1);
  ls_session_zoom_to_fit (session);
}

/* The focused timeline's own keys: ↓ and ↑ walk the rows, Shift+→ and
 * Shift+← pan a tenth of the plot, S zooms to the selected lane's life;
 * and F9 hides and shows the sidebar. */
static void
test_timeline_keys (void)
{
  LsWindow *window = window_with ("lock", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  LsInterpreter *model;
  LsLaneLayout *layout;
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  gint64 t0, t1, z0, z1, start = 0, end = G_MAXINT64, plot_ns;
  gboolean sidebar;
  int lane = -1, row;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  ls_test_input_settle ();
  model = ls_session_get_interpreter (session);
  layout = ls_session_get_layout (session);

  /* the task with the shortest life, so that its life is not the run's */
  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    {
      const LsTimelineLane *l = ls_interpreter_get_lane (model, i);
      gint64 a, b;

      if (l->kind != LS_TIMELINE_LANE_TASK || l->spans->len == 0)
        continue;
      a = g_array_index (l->spans, LsTimelineSpan, 0).start_ns;
      b = g_array_index (l->spans, LsTimelineSpan, l->spans->len - 1).start_ns;
      if (b - a < end - start)
        lane = (int) i, start = a, end = b;
    }
  g_assert_cmpint (lane, >=, 0);
  row = ls_lane_layout_get_lane_row (layout, lane);
  g_assert_cmpint (row, >, 0);
  g_assert_cmpint (row + 1, <, ls_lane_layout_get_n_rows (layout));

  gtk_widget_grab_focus (timeline);
  ls_session_set_selected_lane (session, lane);
  ls_test_key (timeline, GDK_KEY_Down, 0);
  g_assert_cmpint (ls_session_get_selected_lane (session), ==,
                   ls_lane_layout_get_row (layout, row + 1)->lane);
  ls_test_key (timeline, GDK_KEY_Up, 0);
  ls_test_key (timeline, GDK_KEY_Up, 0);
  g_assert_cmpint (ls_session_get_selected_lane (session), ==,
                   ls_lane_layout_get_row (layout, row - 1)->lane);
  ls_test_key (timeline, GDK_KEY_Down, 0);
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, lane);

  /* Shift+→: later times, a tenth of the plot; Shift+← back */
  ls_session_get_range (session, &t0, &t1);
  plot_ns = t1 - t0;
  ls_test_key (timeline, GDK_KEY_Right, GDK_SHIFT_MASK);
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z1 - z0, ==, plot_ns);
  g_assert_cmpint (z0 - t0, >=, plot_ns / 10 - plot_ns / 100);
  g_assert_cmpint (z0 - t0, <=, plot_ns / 10 + plot_ns / 100);
  ls_test_key (timeline, GDK_KEY_Left, GDK_SHIFT_MASK);
  ls_test_key (timeline, GDK_KEY_Left, GDK_SHIFT_MASK);
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (t0 - z0, >=, plot_ns / 10 - plot_ns / 100);
  g_assert_cmpint (t0 - z0, <=, plot_ns / 10 + plot_ns / 100);

  /* S: the selected lane's life fills the plot, with a margin */
  ls_session_zoom_to_fit (session);
  ls_session_get_range (session, &t0, &t1);
  g_assert_cmpint (end - start, <, (t1 - t0) * 9 / 10);
  ls_test_key (timeline, GDK_KEY_s, 0);
  ls_session_get_range (session, &z0, &z1);
  g_assert_false (ls_session_get_fit (session));
  g_assert_cmpint (z0, <=, start);
  g_assert_cmpint (z1, >=, end);
  g_assert_cmpint (z1 - z0, <=, MAX ((end - start) * 12 / 10, 2000));

  /* F9, wherever the focus is */
  sidebar = gtk_widget_get_visible (window->sidebar);
  ls_test_key (timeline, GDK_KEY_F9, 0);
  g_assert_true (gtk_widget_get_visible (window->sidebar) == !sidebar);
  ls_test_key (timeline, GDK_KEY_F9, 0);
  g_assert_true (gtk_widget_get_visible (window->sidebar) == sidebar);

  ls_session_set_selected_lane (session, -1);
  ls_session_zoom_to_fit (session);
}

/* ---- time ------------------------------------------------------------------------- */

typedef struct
{
  LsSession *session;
  guint64    records;
  gint64     now;
  gboolean   moved_between_records;
  gboolean   clock_moved;
  LsWindow  *window;
  char      *clock;
} Watch;

static gboolean
watch_finished (gpointer data)
{
  Watch *w = data;
  LsTrace *trace = ls_session_get_trace (w->session);
  guint64 records = ls_trace_get_n_records (trace);
  gint64 now = ls_session_get_now (w->session);
  g_autofree char *clock = _ls_window_dup_clock_text (w->window);

  /* "now" advances with the paced clock while no record arrives */
  if (records == w->records && now > w->now && !ls_session_get_finished (w->session))
    w->moved_between_records = TRUE;
  if (w->clock != NULL && g_strcmp0 (clock, w->clock) != 0)
    w->clock_moved = TRUE;
  w->records = records;
  w->now = now;
  g_free (w->clock);
  w->clock = g_steal_pointer (&clock);
  return ls_session_get_finished (w->session);
}

/* The newcomer's check: `scheduler` at 10× in the window records exactly
 * what the virtual clock records (to the nanosecond), with the default
 * renderer and the window busy drawing; and the view moves between
 * records. */
static void
test_paced_run_is_exact (void)
{
  LsWindow *window = window_with ("scheduler", 10.0);
  LsSession *session = ls_window_get_session (window);
  g_autoptr(LsScenarioRun) reference = ls_test_run_scenario ("scheduler");
  Watch w = { session, 0, -1, FALSE, FALSE, window, NULL };
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_true (ls_session_get_playing (session));
  g_assert_true (ls_test_wait_until (watch_finished, &w, 20));
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  /* 8.1 s of scenario time at 10×: about 0.81 s of wall time */
  g_assert_cmpfloat (elapsed, >=, 0.75);
  g_assert_true (w.moved_between_records);
  g_assert_true (w.clock_moved);
  g_assert_true (ls_trace_equal (ls_session_get_trace (session), ls_test_run_trace (reference)));
  g_free (w.clock);
}

/* --seed reaches the window's runs. */
static void
test_seed (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsSession *session = ls_window_get_session (window);

  g_assert_true (ls_window_load_scenario_id (window, "queue", 42));
  g_assert_cmpuint (ls_session_get_seed (session), ==, 42);
  g_assert_cmpuint (ls_loop_get_seed (window_loop (window)), ==, 42);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_r, GDK_CONTROL_MASK);
  g_assert_cmpuint (ls_loop_get_seed (window_loop (window)), ==, 42);
  ls_session_set_playing (session, FALSE);
  g_assert_true (ls_window_load_scenario_id (window, "queue", 0));
}

/* ---- panes and files ----------------------------------------------------------------- */

/* Run lock, scrub back to 0.25 s, read off who holds the lock and who waits
 * in which order; then back to the live end. */
static void
test_scrub_lock (void)
{
  LsWindow *window = window_with ("lock", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  g_autofree char *at = NULL;
  g_autofree char *console = NULL;
  g_autofree char *live = NULL;
  g_autofree char *details = NULL;
  const char *held, *w1, *w2, *w3;
  int lane;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));

  ls_session_set_cursor (session, 250 * MS);
  at = _ls_window_dup_internals_text (window);
  held = strstr (at, "self.lock: held by Task 2");
  w1 = strstr (at, "waiter 1: Task 3");
  w2 = strstr (at, "waiter 2: Task 4");
  w3 = strstr (at, "waiter 3:");
  g_assert_nonnull (held);
  g_assert_nonnull (w1);
  g_assert_nonnull (w2);
  g_assert_null (w3);
  g_assert_true (held < w1 && w1 < w2);
  g_assert_nonnull (strstr (at, "Time 0.250 s"));
  /* the console shows what was printed up to then, the rest dimmed */
  console = _ls_window_dup_console_text_to_cursor (window);
  g_assert_true (g_str_has_suffix (console, "[   0.200] Task 2: acquired the lock\n"));

  /* select Task 4: why is it waiting? */
  lane = lane_labelled (session, "Task 4");
  g_assert_cmpint (lane, >=, 0);
  ls_session_set_selected_lane (session, lane);
  details = _ls_window_dup_internals_text (window);
  g_assert_true (g_str_has_prefix (details, "Selected: Task 4\n  created by Task-1\n"));
  g_assert_nonnull (strstr (details, "Task 4 waits on Lock self.lock, held by Task 2\n"));
  g_assert_nonnull (strstr (details, "↳ Task 2 sleeps until 0.300 s\n"));
  ls_session_set_selected_lane (session, -1);

  ls_session_set_cursor (session, -1);
  live = _ls_window_dup_internals_text (window);
  g_assert_null (strstr (live, "held by"));
}

/* The first widget under @widget (depth first) whose text is @text. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A click on a console line scrubs to the instant it was printed; the
 * lines after it are dimmed, and a click on one of them scrubs forward. */
static void
test_console_click (void)
{
  LsWindow *window = window_with ("lock", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  g_autofree char *shown = NULL;
  GtkWidget *row;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  ls_session_set_cursor (session, 0);
  for (int i = 0; i < 5; i++)
    ls_test_input_settle ();
  /* the third line, dimmed: printed after the cursor */
  row = find_label (GTK_WIDGET (window->console_view), "[   0.100] Task 0: releasing the lock");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "dim-label"));
  ls_test_click (row, 20, gtk_widget_get_height (row) / 2);
  g_assert_cmpint (ls_session_get_cursor (session), ==, 100 * MS);
  /* exactly on that line: what was printed later at 0.100 is still dimmed */
  shown = _ls_window_dup_console_text_to_cursor (window);
  g_assert_true (g_str_has_suffix (shown, "[   0.100] Task 0: releasing the lock\n"));
  ls_test_input_settle ();
  g_assert_false (gtk_widget_has_css_class (row, "dim-label"));
  ls_session_set_cursor (session, -1);
}

/* The panes can be hidden from the menu, and that is remembered. */
static void
test_hide_panes (void)
{
  LsWindow *window = ls_test_active_window (app);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *bottom = GTK_WIDGET (window->bottom_paned);

  g_assert_true (gtk_widget_get_visible (bottom));
  g_action_group_activate_action (G_ACTION_GROUP (window), "internals-visible", NULL);
  g_assert_false (g_settings_get_boolean (settings, "internals-visible"));
  g_assert_true (gtk_widget_get_visible (bottom));
  g_action_group_activate_action (G_ACTION_GROUP (window), "console-visible", NULL);
  g_assert_false (g_settings_get_boolean (settings, "console-visible"));
  g_assert_false (gtk_widget_get_visible (bottom));

  g_settings_set_boolean (settings, "console-visible", TRUE);
  g_settings_set_boolean (settings, "internals-visible", TRUE);
  g_assert_true (gtk_widget_get_visible (bottom));
}

/* Save the run's trace, open it again: the same timeline and panes, Run
 * and Step off (no live run), Restart back to a live run. Export an image
 * of it from the window. */
static void
test_trace_files (void)
{
  LsWindow *window = window_with ("lock", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  g_autofree char *dir = g_dir_make_tmp ("loopscope-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lock.json", NULL);
  g_autofree char *png = g_build_filename (dir, "lock.png", NULL);
  g_autofree char *live_console = NULL;
  g_autofree char *opened_console = NULL;
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  LsExportOptions options;
  guint64 n_live;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  live_console = _ls_window_dup_console_text (window);
  n_live = ls_trace_get_n_records (ls_session_get_trace (session));
  g_assert_true (ls_window_save_trace (window, path, &error));
  g_assert_no_error (error);

  g_assert_true (ls_window_open_trace (window, path, &error));
  g_assert_no_error (error);
  g_assert_false (ls_session_get_live (session));
  g_assert_cmpstr (ls_session_get_scenario (session)->id, ==, "lock");
  opened_console = _ls_window_dup_console_text (window);
  g_assert_cmpstr (opened_console, ==, live_console);
  g_assert_cmpuint (ls_trace_get_n_records (ls_session_get_trace (session)), ==, n_live);
  /* Space does nothing without a live run */
  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_false (ls_session_get_live (session));

  ls_export_options_init (&options);
  options.width = 800;
  g_assert_true (ls_window_export_image (window, png, &options, FALSE, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 800);

  /* a bad file: an error, and the window keeps what it showed */
  g_assert_true (g_file_set_contents (bad, "{ \"traceEvents\": [", -1, NULL));
  g_assert_false (ls_window_open_trace (window, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.json"));
  g_assert_cmpuint (ls_trace_get_n_records (ls_session_get_trace (session)), ==, n_live);

  /* Restart: a live run of the trace's scenario */
  ls_test_key (GTK_WIDGET (window), GDK_KEY_r, GDK_CONTROL_MASK);
  g_assert_true (ls_session_get_live (session));
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  g_unlink (path);
  g_unlink (png);
  g_unlink (bad);
  g_rmdir (dir);
}

/* ---- arranging the lanes ---------------------------------------------------------- */

/* The rows' labels, one a line */
static char *
rows_text (LsSession *session)
{
  LsLaneLayout *layout = ls_session_get_layout (session);
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < ls_lane_layout_get_n_rows (layout); r++)
    g_string_append_printf (out, "%s\n", ls_lane_layout_get_row_label (layout, r));
  return g_string_free (out, FALSE);
}

static void
type_text (GtkWidget  *any,
           const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    ls_test_key (any, gdk_unicode_to_keyval ((guint32) *c), 0);
}

static gboolean
focus_in (GtkWidget *window,
          GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* A newcomer's look at producer-consumer: wait_for's inner tasks are
 * folded under each consumer, so the queue's own lane is the tenth row,
 * not the 31st; Ctrl+F and "consumer" typed leave only the consumers and
 * what they made; erasing it brings every row back. */
static void
test_lane_filter (void)
{
  LsWindow *window = window_with ("producer-consumer", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  GtkWidget *entry = ls_lane_filter_get_entry (window->lane_filter);
  LsLaneLayout *layout;
  g_autofree char *all = NULL;
  g_autofree char *consumers = NULL;
  g_autofree char *back = NULL;
  int queue;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_input_settle ();
  layout = ls_session_get_layout (session);
  all = rows_text (session);
  g_assert_cmpstr (all, ==,
                   "Task-1\nProducer 1\nProducer 2\nConsumer 1\nqueue.get() ×6\nConsumer 2\n"
                   "queue.get() ×7\nConsumer 3\nqueue.get() ×8\nQueue self.queue\n");
  /* the queue's row is the tenth, 234 px down the lanes: it was the 31st */
  queue = lane_labelled (session, "Queue self.queue");
  g_assert_cmpint (ls_lane_layout_get_lane_row (layout, queue), ==, 9);
  g_assert_cmpfloat (ls_lane_layout_get_row (layout, 9)->y, ==, 9 * LS_TIMELINE_LANE_HEIGHT);

  gtk_widget_grab_focus (timeline);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_f, GDK_CONTROL_MASK);
  g_assert_true (focus_in (GTK_WIDGET (window), entry));
  type_text (GTK_WIDGET (window), "consumer");
  ls_test_input_settle ();
  g_assert_cmpstr (ls_lane_layout_get_filter_text (layout), ==, "consumer");
  consumers = rows_text (session);
  g_assert_cmpstr (consumers, ==,
                   "Consumer 1\nqueue.get() ×6\nConsumer 2\nqueue.get() ×7\nConsumer 3\n"
                   "queue.get() ×8\n");
  /* nothing ran or stepped while typing */
  g_assert_true (ls_session_get_finished (session));

  for (int i = 0; i < 8; i++)
    ls_test_key (GTK_WIDGET (window), GDK_KEY_BackSpace, 0);
  ls_test_input_settle ();
  back = rows_text (session);
  g_assert_cmpstr (back, ==, all);
  gtk_widget_grab_focus (timeline);
}

/* A click on a group's name unfolds it (its members get rows of their
 * own, under it) and another folds it again; Return on a member does the
 * same from the keyboard. */
static void
test_fold_click (void)
{
  LsWindow *window = window_with ("producer-consumer", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  LsLaneLayout *layout;
  LsTimelineView view;
  const LsLaneGroup *group;
  guint rows;
  int row = -1, g;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_input_settle ();
  layout = ls_session_get_layout (session);
  rows = ls_lane_layout_get_n_rows (layout);
  for (guint r = 0; r < rows && row < 0; r++)
    if (ls_lane_layout_get_row (layout, r)->kind == LS_LANE_ROW_GROUP)
      row = (int) r;
  g_assert_cmpint (row, >=, 0);
  g = (int) ls_lane_layout_get_row (layout, row)->group;
  group = ls_lane_layout_get_group (layout, g);
  g_assert_false (group->expanded);

  ls_timeline_get_view (window->timeline, &view);
  ls_test_click (timeline, 40, ls_timeline_view_row_y (&view, row) + LS_TIMELINE_LANE_HEIGHT / 2);
  group = ls_lane_layout_get_group (layout, g);
  g_assert_true (group->expanded);
  g_assert_cmpuint (ls_lane_layout_get_n_rows (layout), ==, rows + group->members->len);
  g_assert_cmpint (ls_lane_layout_get_lane_row (layout, g_array_index (group->members, guint, 0)),
                   ==, row + 1);
  g_assert_cmpstr (ls_lane_layout_get_row_label (layout, row + 1), ==,
                   "queue.get() #1 of Consumer 1");

  /* Return on a member folds its group, from the keyboard */
  ls_session_set_selected_lane (session, (int) g_array_index (group->members, guint, 2));
  gtk_widget_grab_focus (timeline);
  ls_test_key (timeline, GDK_KEY_Return, 0);
  g_assert_false (ls_lane_layout_get_group (layout, g)->expanded);
  g_assert_cmpuint (ls_lane_layout_get_n_rows (layout), ==, rows);

  /* and a click folds it back open, then shut */
  ls_timeline_get_view (window->timeline, &view);
  ls_test_click (timeline, 40, ls_timeline_view_row_y (&view, row) + LS_TIMELINE_LANE_HEIGHT / 2);
  g_assert_true (ls_lane_layout_get_group (layout, g)->expanded);
  ls_timeline_get_view (window->timeline, &view);
  ls_test_click (timeline, 40, ls_timeline_view_row_y (&view, row) + LS_TIMELINE_LANE_HEIGHT / 2);
  g_assert_false (ls_lane_layout_get_group (layout, g)->expanded);
  ls_session_set_selected_lane (session, -1);
}

/* With every group open the rows overflow: the scrolled window shows its
 * scrollbar and the wheel scrolls them. P pins the selected queue: it
 * stays under the axis while the rest scroll beneath it. */
static void
test_pin_and_scroll (void)
{
  LsWindow *window = window_with ("producer-consumer", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  GtkWidget *scrolled = gtk_widget_get_ancestor (timeline, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  LsLaneLayout *layout;
  int queue, consumer;
  double queue_y, consumer_y;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  layout = ls_session_get_layout (session);
  for (guint g = 0; g < ls_lane_layout_get_n_groups (layout); g++)
    ls_lane_layout_set_group_expanded (layout, g, TRUE);
  for (int i = 0; i < 3; i++)
    ls_test_input_settle ();
  g_assert_nonnull (scrolled);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (timeline));
  g_assert_true (adjustment == gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     gtk_adjustment_get_page_size (adjustment));
  g_assert_true (gtk_widget_get_visible (
    gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (scrolled))));

  /* select the queue's lane (at the bottom: scroll to it), pin it */
  queue = lane_labelled (session, "Queue self.queue");
  consumer = lane_labelled (session, "Consumer 1");
  ls_session_set_selected_lane (session, queue);
  gtk_widget_grab_focus (timeline);
  ls_test_key (timeline, GDK_KEY_p, 0);
  g_assert_true (ls_lane_layout_get_pinned (layout, queue));
  g_assert_cmpint (ls_lane_layout_get_lane_row (layout, queue), ==, 0);
  ls_test_input_settle ();
  queue_y = lane_y (window, queue);
  consumer_y = lane_y (window, consumer);
  g_assert_cmpfloat (queue_y, <, consumer_y);

  /* the wheel scrolls the rest, not the pinned row */
  ls_test_scroll (timeline, ls_timeline_get_label_width (window->timeline) + 100, consumer_y, 1, 0);
  ls_test_scroll (timeline, ls_timeline_get_label_width (window->timeline) + 100, consumer_y, 1, 0);
  ls_test_input_settle ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  g_assert_cmpfloat (lane_y (window, queue), ==, queue_y);
  g_assert_cmpfloat (lane_y (window, consumer), <, consumer_y);

  ls_test_key (timeline, GDK_KEY_p, 0);
  g_assert_false (ls_lane_layout_get_pinned (layout, queue));
  ls_session_set_selected_lane (session, -1);
}

/* The label column's edge can be dragged: the plot starts further right. */
static void
test_label_width (void)
{
  LsWindow *window = window_with ("lock", LS_LOOP_INSTANT);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  double before = ls_timeline_get_label_width (window->timeline);

  ls_test_input_settle ();
  ls_test_drag (timeline, before, 80, before + 90, 80);
  g_assert_cmpfloat (fabs (ls_timeline_get_label_width (window->timeline) - (before + 90)), <=,
                     1.0);
  ls_timeline_set_label_width (window->timeline, before);
}

/* The failed mark at the end of timeout's main task, clicked: it says
 * what it raised, and why. In the language of the session. */
static void
check_timeout_explained (const char *const *expected,
                         gboolean           escape)
{
  LsWindow *window = window_with ("timeout", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  LsInterpreter *model;
  const LsTimelineLane *main_lane;
  LsTimelineView view;
  const char *explanation;
  g_autofree char *details = NULL;
  g_autofree char *tip = NULL;
  gint64 end;
  int lane;

  ls_session_play_pause (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  for (int i = 0; i < 3; i++)
    ls_test_input_settle ();
  model = ls_session_get_interpreter (session);
  lane = lane_labelled (session, "Task-1");
  main_lane = ls_interpreter_get_lane (model, lane);
  end = g_array_index (main_lane->spans, LsTimelineSpan, main_lane->spans->len - 1).start_ns;
  g_assert_cmpuint (g_array_index (main_lane->spans, LsTimelineSpan,
                                   main_lane->spans->len - 1).state, ==, LS_TASK_STATE_FAILED);
  ls_timeline_get_view (window->timeline, &view);
  ls_test_click (timeline, ls_timeline_view_time_to_x (&view, end), lane_y (window, lane));
  explanation = ls_timeline_get_explanation (window->timeline);
  g_assert_nonnull (explanation);
  for (const char *const *e = expected; *e != NULL; e++)
    if (strstr (explanation, *e) == NULL)
      g_error ("the explanation \"%s\" does not say \"%s\"", explanation, *e);
  /* the click selected the task: its details say how it ended */
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, lane);
  details = _ls_window_dup_internals_text (window);
  g_assert_nonnull (strstr (details, "TimeoutError"));
  /* hovering says the same */
  tip = ls_timeline_explain_at (window->timeline, ls_timeline_view_time_to_x (&view, end) + 2,
                                lane_y (window, lane) - 2);
  g_assert_cmpstr (tip, ==, explanation);
  /* Escape closes it (in a process of its own, the X focus may be the
   * other process's window: the keys are tested once) */
  if (escape)
    {
      ls_test_key (timeline, GDK_KEY_Escape, 0);
      g_assert_null (ls_timeline_get_explanation (window->timeline));
    }
}

static void
test_explain_failure (void)
{
  static const char *const english[] = {
    "Task-1 failed at 4.000 s: it raised TimeoutError.",
    "Its asyncio.timeout() deadline, set at 2.000 s, ran out at 4.000 s.",
    NULL
  };

  check_timeout_explained (english, TRUE);
}

/* The same in Chinese: a process of its own, whose locale is zh_CN. */
static void
test_explain_failure_zh_cn (void)
{
  if (g_test_subprocess ())
    {
      static const char *const chinese[] = {
        "Task-1 在 4.000 s 失败：抛出了 TimeoutError",
        "asyncio.timeout() 截止时间（设于 2.000 s）在 4.000 s 到期",
        NULL
      };

      check_timeout_explained (chinese, FALSE);
      return;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_trap_assert_passed ();
}

/* ---- knobs and comparisons ------------------------------------------------------- */

static gboolean
comparing (gpointer data)
{
  return _ls_window_get_compare (data) != NULL;
}

static char *
code_text (LsWindow *window)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (window->code_view);
  GtkTextIter start, end;

  g_free (_ls_window_dup_clock_text (window));  /* flushes the panes */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The knob panel, from the pointer: "Downloads at once" from 3 to 1 with
 * two clicks on its − button reruns the downloader at once on the virtual
 * clock each time; the run, the listing, the title and the notes follow. */
static void
test_knob_panel (void)
{
  LsWindow *window = window_with ("downloader", 1.0);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *spin = ls_knob_panel_get_control (window->knob_panel, "max-concurrent");
  GtkWidget *minus;
  g_autofree char *code = NULL;
  const LsKnobs *knobs;

  g_assert_nonnull (spin);
  g_assert_null (ls_knob_panel_get_control (window->knob_panel, "seed"));
  minus = ls_test_child_with_class (spin, "down");
  g_assert_nonnull (minus);
  ls_test_click_widget (minus);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_click_widget (minus);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));

  knobs = ls_session_get_knobs (session);
  g_assert_cmpfloat (ls_knobs_get_value (knobs, ls_knobs_find (knobs, "max-concurrent")), ==, 1);
  g_assert_cmpint (ls_interpreter_get_end_time (ls_session_get_interpreter (session)), ==,
                   7000 * MS);
  /* the speed chosen stays for runs that play */
  g_assert_cmpfloat (ls_session_get_speed (session), ==, 1.0);
  code = code_text (window);
  g_assert_nonnull (strstr (code, "ConcurrentDownloader(max_concurrent=1)"));
  g_assert_null (strstr (code, "ConcurrentDownloader(max_concurrent=3)"));
  g_assert_nonnull (strstr (gtk_label_get_text (window->subtitle_label), "Downloads at once 1"));
  g_assert_nonnull (strstr (gtk_label_get_text (window->notes_label),
                            "Downloads at once: Fewer at once"));
  /* Restart keeps the knobs */
  ls_test_key (GTK_WIDGET (window), GDK_KEY_r, GDK_CONTROL_MASK);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  knobs = ls_session_get_knobs (session);
  g_assert_cmpfloat (ls_knobs_get_value (knobs, ls_knobs_find (knobs, "max-concurrent")), ==, 1);
  /* a scenario picked again starts from its defaults */
  g_assert_true (ls_window_load_scenario_id (window, "downloader", 0));
  ls_test_input_settle ();
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 3);
}

/* A randomised scenario has a seed beside its knobs: typing another one
 * reruns with it. */
static void
test_knob_panel_seed (void)
{
  LsWindow *window = window_with ("queue", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *seed = ls_knob_panel_get_control (window->knob_panel, "seed");
  GtkWidget *plus;

  g_assert_nonnull (seed);
  plus = ls_test_child_with_class (seed, "up");
  ls_test_click_widget (plus);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  g_assert_cmpuint (ls_session_get_seed (session), ==, 1);
  g_assert_cmpuint (ls_loop_get_seed (window_loop (window)), ==, 1);
  g_assert_true (ls_window_load_scenario_id (window, "queue", 0));
}

/* The Sweep dialog open, or NULL */
static LsSweepDialog *
sweep_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LS_IS_SWEEP_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return LS_SWEEP_DIALOG (window);
    }
  return NULL;
}

static gboolean
sweep_done (gpointer data)
{
  return ls_sweep_dialog_get_sweep (data) != NULL && !ls_sweep_dialog_is_running (data);
}

static gboolean
sweep_closed (gpointer data)
{
  return sweep_dialog () == NULL;
}

/* Replaces what @spin holds with @text, from the keyboard */
static void
type_into (GtkWidget  *spin,
           const char *text)
{
  /* in its text, left of its − and + buttons */
  ls_test_input_settle ();
  ls_test_click (spin, 12, gtk_widget_get_height (spin) / 2.0);
  ls_test_input_settle ();
  g_assert_true (focus_in (GTK_WIDGET (gtk_widget_get_root (spin)), spin));
  ls_test_key (spin, GDK_KEY_a, GDK_CONTROL_MASK);
  type_text (spin, text);
  ls_test_input_settle ();
}

/* What if the downloader allowed 1 to 5 downloads at once? Sweep… from
 * the knob panel (a click), "5" typed as the range's end, Run (Alt+R):
 * five runs, 7, 5, 4, 3 and 3 s, as many as --sweep gives; a range that
 * does not go up is said in the dialog and runs nothing; Escape closes it
 * and the window's own run is untouched. */
static void
test_sweep_dialog (void)
{
  LsWindow *window = window_with ("downloader", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  LsSweepDialog *dialog;
  const LsSweep *sweep;
  static const gint64 seconds[] = { 7, 5, 4, 3, 3 };

  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_click_widget (ls_knob_panel_get_sweep_button (window->knob_panel));
  g_assert_nonnull ((dialog = sweep_dialog ()));
  ls_test_window_ready (GTK_WINDOW (dialog));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       ls_sweep_dialog_get_part (dialog, "from"))), ==, 1);
  type_into (ls_sweep_dialog_get_part (dialog, "to"), "5");
  ls_test_key (GTK_WIDGET (dialog), GDK_KEY_r, GDK_ALT_MASK);
  g_assert_true (ls_test_wait_until (sweep_done, dialog, 30));
  sweep = ls_sweep_dialog_get_sweep (dialog);
  g_assert_cmpuint (ls_sweep_get_n_points (sweep), ==, G_N_ELEMENTS (seconds));
  for (guint i = 0; i < G_N_ELEMENTS (seconds); i++)
    {
      g_assert_cmpfloat (ls_sweep_get_point (sweep, i)->value, ==, i + 1);
      g_assert_cmpint (ls_sweep_get_point (sweep, i)->duration_ns, ==, seconds[i] * 1000 * MS);
    }
  g_assert_true (gtk_widget_get_sensitive (ls_sweep_dialog_get_part (dialog, "export")));

  /* 5 to 5: refused, said, the last sweep kept */
  type_into (ls_sweep_dialog_get_part (dialog, "from"), "5");
  ls_test_click_widget (ls_sweep_dialog_get_part (dialog, "run"));
  g_assert_true (ls_sweep_dialog_get_sweep (dialog) == sweep);
  g_assert_true (gtk_widget_get_visible (ls_sweep_dialog_get_part (dialog, "message")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (ls_sweep_dialog_get_part (dialog,
                                                                                   "message"))),
                            "the range must go up"));

  ls_test_key (GTK_WIDGET (dialog), GDK_KEY_Escape, 0);
  g_assert_true (ls_test_wait_until (sweep_closed, NULL, 5));
  /* the window's run is the one it had: 3 downloads at once, 4 s */
  g_assert_cmpint (ls_interpreter_get_end_time (ls_session_get_interpreter (session)), ==,
                   4000 * MS);
}

/* Writes the window as it is drawn to @name in $LOOPSCOPE_SCREENSHOTS, when
 * that is set (data/screenshots are made so). */
static void
screenshot (LsWindow   *window,
            const char *name)
{
  const char *dir = g_getenv ("LOOPSCOPE_SCREENSHOTS");
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  ls_test_input_settle ();
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Pin the downloader's run as A (Ctrl+P), set "Downloads at once" from 3
 * to 1: B is drawn below A with the longer total and the downloads that
 * waited longer marked; a click on B's lanes moves the one cursor for
 * both, and the internals show both runs there; Swap exchanges them, the
 * export is one image of both, Ctrl+Shift+P unpins. */
static void
test_pin_and_compare (gconstpointer data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  LsWindow *window = window_with ("downloader", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *spin = ls_knob_panel_get_control (window->knob_panel, "max-concurrent");
  GtkWidget *view = GTK_WIDGET (window->compare_view);
  g_autofree char *dir = g_dir_make_tmp ("loopscope-compare-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "cmp.png", NULL);
  g_autofree char *internals = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  LsExportOptions options;
  LsCompareFrame frame;
  LsCompareLayout layout;
  LsCompare *compare;
  gint64 cursor;

  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string (dark ? "dark" : "light"));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 960);
  /* room for both runs' lanes and the summary */
  gtk_paned_set_position (window->content_paned, 720);
  ls_test_input_settle ();
  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  gtk_widget_grab_focus (GTK_WIDGET (window->timeline));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_p, GDK_CONTROL_MASK);
  g_assert_true (ls_test_wait_until (comparing, window, 5));
  g_assert_true (gtk_widget_get_visible (view));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->timeline)));
  g_assert_true (ls_compare_is_identical (_ls_window_get_compare (window)));

  ls_test_click_widget (ls_test_child_with_class (spin, "down"));
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_click_widget (ls_test_child_with_class (spin, "down"));
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_input_settle ();
  compare = _ls_window_get_compare (window);
  g_assert_nonnull (compare);
  g_assert_cmpstr (ls_compare_get_label (compare, LS_COMPARE_A), ==, "Downloads at once 3");
  g_assert_cmpstr (ls_compare_get_label (compare, LS_COMPARE_B), ==, "Downloads at once 1");
  g_assert_cmpint (ls_compare_get_duration (compare, LS_COMPARE_A), ==, 4000 * MS);
  g_assert_cmpint (ls_compare_get_duration (compare, LS_COMPARE_B), ==, 7000 * MS);
  g_assert_cmpuint (ls_compare_get_n_differences (compare), ==, 6);
  screenshot (window, dark ? "comparison-dark.png" : "comparison-light.png");

  /* a click on B's lanes at 2 s: one cursor, both runs in the internals */
  memset (&frame, 0, sizeof frame);
  frame.width = gtk_widget_get_width (view);
  frame.height = gtk_widget_get_height (view);
  ls_compare_get_layout (compare, &frame, &layout);
  {
    LsTimelineView tv = { 0 };
    double x;

    tv.width = frame.width;
    tv.t0 = 0;
    tv.t1 = 7000 * MS + 7000 * MS / 25;
    x = ls_timeline_view_time_to_x (&tv, 2000 * MS);
    ls_test_click (view, x, layout.timeline_y[1] + LS_TIMELINE_AXIS_HEIGHT
                            + LS_TIMELINE_LANE_HEIGHT * 2.5);
  }
  ls_test_input_settle ();
  cursor = ls_session_get_cursor (session);
  g_assert_cmpint (ABS (cursor - 2000 * MS), <, 50 * MS);
  internals = _ls_window_dup_internals_text (window);
  g_assert_nonnull (strstr (internals, "— A: Downloads at once 3 —"));

  /* Swap: the current run is A now */
  ls_test_click_widget (ls_test_button_for (GTK_WIDGET (window->knob_panel), "win.swap"));
  compare = _ls_window_get_compare (window);
  g_assert_cmpstr (ls_compare_get_label (compare, LS_COMPARE_A), ==, "Downloads at once 1");
  g_assert_cmpint (ls_compare_get_duration (compare, LS_COMPARE_A), ==, 7000 * MS);

  /* one image, both runs */
  ls_export_options_init (&options);
  options.width = 900;
  g_assert_true (ls_window_export_image (window, png, &options, TRUE, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 900);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), >,
                   2 * ls_timeline_content_height (ls_session_get_layout (session)));

  ls_test_key (GTK_WIDGET (window), GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_null (_ls_window_get_compare (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->timeline)));
  g_assert_false (gtk_widget_get_visible (view));
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("light"));
  gtk_paned_set_position (window->content_paned, 470);
  g_unlink (png);
  g_rmdir (dir);
}

static GtkWindow *
error_dialog (LsWindow *window)
{
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data)
        && gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      return l->data;
  return NULL;
}

static gboolean
has_error_dialog (gpointer data)
{
  return error_dialog (data) != NULL;
}

/* Compare with CPython: the semaphore scenario with four permits, beside
 * its listing (Semaphore(4)) traced in CPython: identical. Without
 * python3, a message and no comparison. */
static void
test_compare_cpython (void)
{
  LsWindow *window = window_with ("semaphore", LS_LOOP_INSTANT);
  LsSession *session = ls_window_get_session (window);
  GtkWidget *spin = ls_knob_panel_get_control (window->knob_panel, "size");
  GtkWidget *button = ls_test_button_for (GTK_WIDGET (window->knob_panel), "win.compare-cpython");
  LsCompare *compare;
  g_autofree char *python = g_strdup (g_getenv ("LOOPSCOPE_PYTHON"));
  GtkWindow *dialog;

  ls_test_click_widget (ls_test_child_with_class (spin, "up"));
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  ls_test_click_widget (button);
  g_assert_true (ls_test_wait_until (comparing, window, 60));
  compare = _ls_window_get_compare (window);
  g_assert_true (g_str_has_prefix (ls_compare_get_label (compare, LS_COMPARE_B), "CPython 3."));
  g_assert_true (ls_compare_is_identical (compare));
  g_assert_cmpint (ls_compare_get_duration (compare, LS_COMPARE_A), ==, 6000 * MS);
  screenshot (window, "compare-cpython.png");

  /* a new run ends the comparison: CPython ran the old one */
  ls_test_click_widget (ls_test_child_with_class (spin, "up"));
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));
  g_assert_null (_ls_window_get_compare (window));

  g_setenv ("LOOPSCOPE_PYTHON", "/nonexistent/python3", TRUE);
  ls_test_click_widget (button);
  g_assert_true (ls_test_wait_until (has_error_dialog, window, 10));
  g_assert_null (_ls_window_get_compare (window));
  dialog = error_dialog (window);
  gtk_window_destroy (dialog);
  if (python != NULL)
    g_setenv ("LOOPSCOPE_PYTHON", python, TRUE);
  else
    g_unsetenv ("LOOPSCOPE_PYTHON");
  ls_test_input_settle ();
}

int
main (int argc, char *argv[])
{
  int status;

  app = ls_test_window_init (&argc, &argv, "test-window");

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/app/color-scheme", test_color_scheme);
  g_test_add_func ("/ui/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/ui/window/keys/space-runs", test_space_runs);
  g_test_add_func ("/ui/window/keys/step", test_step_keys);
  g_test_add_func ("/ui/window/keys/text-entry", test_keys_type_in_entries);
  g_test_add_func ("/ui/window/keys/restart", test_restart_key);
  g_test_add_func ("/ui/window/keys/zoom", test_zoom_keys);
  g_test_add_func ("/ui/window/pointer", test_pointer);
  g_test_add_func ("/ui/window/keys/timeline", test_timeline_keys);
  g_test_add_func ("/ui/window/paced-run-is-exact", test_paced_run_is_exact);
  g_test_add_func ("/ui/window/seed", test_seed);
  g_test_add_func ("/ui/window/scrub-lock", test_scrub_lock);
  g_test_add_func ("/ui/window/console-click", test_console_click);
  g_test_add_func ("/ui/window/hide-panes", test_hide_panes);
  g_test_add_func ("/ui/window/trace-files", test_trace_files);
  g_test_add_func ("/ui/window/lanes/filter", test_lane_filter);
  g_test_add_func ("/ui/window/lanes/fold", test_fold_click);
  g_test_add_func ("/ui/window/lanes/pin-and-scroll", test_pin_and_scroll);
  g_test_add_func ("/ui/window/lanes/label-width", test_label_width);
  g_test_add_func ("/ui/window/explain/failure", test_explain_failure);
  g_test_add_func ("/ui/window/explain/failure-zh-cn", test_explain_failure_zh_cn);
  g_test_add_func ("/ui/window/knobs/panel", test_knob_panel);
  g_test_add_func ("/ui/window/knobs/seed", test_knob_panel_seed);
  g_test_add_func ("/ui/window/knobs/sweep", test_sweep_dialog);
  g_test_add_data_func ("/ui/window/compare/light", GINT_TO_POINTER (FALSE), test_pin_and_compare);
  g_test_add_data_func ("/ui/window/compare/dark", GINT_TO_POINTER (TRUE), test_pin_and_compare);
  g_test_add_func ("/ui/window/compare/cpython", test_compare_cpython);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
