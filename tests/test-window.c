/* SPDX-License-Identifier: MIT
 *
 * The window opens, under Xvfb: the application starts, its window maps,
 * the template loaded from the GResource, and the app actions are there.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "ls-application.h"
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

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
