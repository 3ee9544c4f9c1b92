/* SPDX-License-Identifier: MIT
 *
 * The window opens, under Xvfb: the application starts, its window maps,
 * the template loaded from the GResource, and the app actions are there.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "ls-application.h"
#include "ls-window.h"

static void
test_window_opens (void)
{
  g_autoptr(LsApplication) app = ls_application_new ();
  g_autoptr(GError) error = NULL;
  LsWindow *window;
  gint64 deadline;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
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

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/window/opens", test_window_opens);

  return g_test_run ();
}
