/* SPDX-License-Identifier: MIT
 *
 * The window opens, under Xvfb: the application starts, its window maps,
 * the template loaded from the GResource, and the app actions are there.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "ls-application.h"
#include "ls-timeline.h"
#include "ls-timeline-model.h"
#include "ls-window.h"

/* One application for the whole process: a second one with the same id
 * could not register on the session bus. */
static LsApplication *app;

static void
test_window_opens (void)
{
  LsWindow *window;
  gint64 deadline;

  g_application_activate (G_APPLICATION (app));

  window = LS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
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

static LsWindow *
active_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (app));
      window = gtk_application_get_active_window (GTK_APPLICATION (app));
    }
  return LS_WINDOW (window);
}

static void
iterate_until_done (LsWindow *window)
{
  LsScenarioRun *run = ls_window_get_run (window);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!ls_future_is_done (LS_FUTURE (ls_scenario_run_get_main_task (run)))
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Picking a scenario loads it (nothing runs yet); Run on the Instant clock
 * plays it to the end and the console shows its prints. */
static void
test_load_and_run (void)
{
  LsWindow *window = active_window ();
  g_autofree char *console = NULL;
  LsLoop *loop;

  g_assert_true (ls_window_load_scenario_id (window, "hello-world"));
  g_assert_cmpstr (ls_window_get_scenario (window)->id, ==, "hello-world");
  loop = ls_scenario_run_get_loop (ls_window_get_run (window));
  g_assert_true (ls_loop_get_paused (loop));
  g_assert_cmpuint (ls_loop_get_iteration (loop), ==, 0);

  ls_window_set_instant (window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  iterate_until_done (window);
  console = ls_window_dup_console_text (window);
  g_assert_cmpstr (console, ==, "[   0.000] Hello\n[   1.000] World\n");
  ls_window_set_instant (window, FALSE);
}

/* Step runs exactly one loop iteration, and the internals pane shows the
 * ready queue and the timers at that point. */
static void
test_step (void)
{
  LsWindow *window = active_window ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LsLoop *loop;

  g_assert_true (ls_window_load_scenario_id (window, "event-loop"));
  loop = ls_scenario_run_get_loop (ls_window_get_run (window));
  before = ls_window_dup_internals_text (window);
  /* main's first step is scheduled before anything runs */
  g_assert_nonnull (strstr (before, "1. step Task-1"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.step", NULL));
  g_assert_cmpuint (ls_loop_get_iteration (loop), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.step", NULL));
  g_assert_cmpuint (ls_loop_get_iteration (loop), ==, 2);
  after = ls_window_dup_internals_text (window);
  /* iteration 2 ran both tasks' first steps: two sleep timers now */
  g_assert_nonnull (strstr (after, "iteration 2"));
  g_assert_nonnull (strstr (after, "1.000 s  sleep"));
  g_assert_nonnull (strstr (after, "2.000 s  sleep"));
  g_assert_true (ls_loop_get_paused (loop));
}

/* The shortcuts the header bar's tooltips promise are bound on the window
 * (GTK 4 has no way to synthesise key presses in a test, so this reads the
 * window's shortcut controllers). */
static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger,
              const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *t = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *a = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (g_str_equal (t, trigger) && strstr (a, action) != NULL)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_shortcuts (void)
{
  GtkWidget *window = GTK_WIDGET (active_window ());

  g_assert_true (has_shortcut (window, "space", "win.run"));
  g_assert_true (has_shortcut (window, "Right", "win.step"));
  g_assert_true (has_shortcut (window, "F10", "win.step"));
  g_assert_true (has_shortcut (window, "<Control>r", "win.restart"));
  g_assert_true (has_shortcut (window, "F9", "win.toggle-sidebar"));
}

/* The newcomer check: run lock, scrub back to 0.25 s, read off who
 * holds the lock and who waits in which order; then back to the live end. */
static void
test_scrub_lock (void)
{
  LsWindow *window = active_window ();
  g_autofree char *at = NULL;
  g_autofree char *console = NULL;
  g_autofree char *live = NULL;
  const char *held, *w1, *w2, *w3;

  g_assert_true (ls_window_load_scenario_id (window, "lock"));
  ls_window_set_instant (window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  iterate_until_done (window);

  ls_window_set_cursor (window, 250 * G_GINT64_CONSTANT (1000000));
  at = ls_window_dup_internals_text (window);
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
  /* the console shows what was printed up to then */
  console = ls_window_dup_console_text (window);
  g_assert_true (g_str_has_suffix (console, "[   0.200] Task 2: acquired the lock\n"));

  /* select Task 4: why is it waiting? */
  {
    LsTimeline *timeline = LS_TIMELINE (ls_window_get_timeline (window));
    LsTimelineModel *model = ls_timeline_get_model (timeline);
    g_autofree char *details = NULL;
    int lane = -1;

    for (guint i = 0; i < ls_timeline_model_get_n_lanes (model); i++)
      if (g_strcmp0 (ls_timeline_model_get_lane (model, i)->label, "Task 4") == 0)
        lane = (int) i;
    g_assert_cmpint (lane, >=, 0);
    ls_timeline_set_selected_lane (timeline, lane);
    details = ls_window_dup_internals_text (window);
    g_assert_true (g_str_has_prefix (details, "Selected: Task 4\n  created by Task-1\n"));
    g_assert_nonnull (strstr (details, "Task 4 waits on Lock self.lock, held by Task 2\n"));
    g_assert_nonnull (strstr (details, "↳ Task 2 sleeps until 0.300 s\n"));
    ls_timeline_set_selected_lane (timeline, -1);
  }

  ls_window_set_cursor (window, -1);
  live = ls_window_dup_internals_text (window);
  g_assert_null (strstr (live, "held by"));
  ls_window_set_instant (window, FALSE);
}

/* The panes can be hidden from the menu, and that is remembered. */
static void
test_hide_panes (void)
{
  LsWindow *window = active_window ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *timeline = ls_window_get_timeline (window);
  GtkWidget *bottom;

  /* the bottom paned holds the console notebook and the internals box */
  bottom = gtk_widget_get_parent (gtk_widget_get_parent (gtk_widget_get_parent (timeline)));
  bottom = gtk_paned_get_end_child (GTK_PANED (bottom));
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
  LsWindow *window = active_window ();
  g_autofree char *dir = g_dir_make_tmp ("loopscope-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lock.json", NULL);
  g_autofree char *png = g_build_filename (dir, "lock.png", NULL);
  g_autofree char *live_console = NULL;
  g_autofree char *opened_console = NULL;
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  guint64 n_live;

  g_assert_true (ls_window_load_scenario_id (window, "lock"));
  ls_window_set_instant (window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  iterate_until_done (window);
  live_console = ls_window_dup_console_text (window);
  n_live = ls_trace_get_n_records (ls_loop_get_trace (ls_scenario_run_get_loop (
                                     ls_window_get_run (window))));
  g_assert_true (ls_window_save_trace (window, path, &error));
  g_assert_no_error (error);

  g_assert_true (ls_window_open_trace (window, path, &error));
  g_assert_no_error (error);
  g_assert_null (ls_window_get_run (window));
  g_assert_cmpstr (ls_window_get_scenario (window)->id, ==, "lock");
  opened_console = ls_window_dup_console_text (window);
  g_assert_cmpstr (opened_console, ==, live_console);
  g_assert_cmpuint (ls_trace_get_n_records (ls_timeline_model_get_trace (ls_timeline_get_model (
                      LS_TIMELINE (ls_window_get_timeline (window))))), ==, n_live);
  /* Run does nothing without a live run */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (ls_window_get_run (window));

  g_assert_true (ls_window_export_image (window, png, LS_EXPORT_PNG, FALSE, 800, 0, 1.0, FALSE,
                                         &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 800);

  /* a bad file: an error, and the window keeps what it showed */
  g_assert_true (g_file_set_contents (bad, "{ \"traceEvents\": [", -1, NULL));
  g_assert_false (ls_window_open_trace (window, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.json"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restart", NULL));
  g_assert_nonnull (ls_window_get_run (window));
  ls_window_set_instant (window, FALSE);
  g_unlink (path);
  g_unlink (png);
  g_unlink (bad);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = ls_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("cannot register the application: %s", error->message);

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/app/color-scheme", test_color_scheme);
  g_test_add_func ("/ui/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/ui/window/load-and-run", test_load_and_run);
  g_test_add_func ("/ui/window/step", test_step);
  g_test_add_func ("/ui/window/shortcuts", test_shortcuts);
  g_test_add_func ("/ui/window/scrub-lock", test_scrub_lock);
  g_test_add_func ("/ui/window/hide-panes", test_hide_panes);
  g_test_add_func ("/ui/window/trace-files", test_trace_files);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
