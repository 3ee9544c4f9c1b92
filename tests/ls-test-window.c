/* SPDX-License-Identifier: MIT
 *
 * What the window tests share.
 */
#include "config.h"

#include "ls-test-window.h"

#include "ls-session.h"
#include "ls-test-input.h"

gboolean
ls_test_wait_until (gboolean (*done) (gpointer),
                    gpointer   data,
                    double     seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return done (data);
}

gboolean
ls_test_session_finished (gpointer data)
{
  return ls_session_get_finished (data);
}

LsWindow *
ls_test_active_window (LsApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (app));
      window = gtk_application_get_active_window (GTK_APPLICATION (app));
    }
  return LS_WINDOW (window);
}

GtkWidget *
ls_test_button_for (GtkWidget  *widget,
                    const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child)
          && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      if ((found = ls_test_button_for (child, action)) != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
ls_test_child_with_class (GtkWidget  *widget,
                          const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (gtk_widget_has_css_class (child, css_class))
        return child;
      if ((found = ls_test_child_with_class (child, css_class)) != NULL)
        return found;
    }
  return NULL;
}

void
ls_test_click_widget (GtkWidget *widget)
{
  ls_test_input_settle ();
  g_assert_true (gtk_widget_get_mapped (widget));
  ls_test_click (widget, gtk_widget_get_width (widget) / 2.0,
                 gtk_widget_get_height (widget) / 2.0);
  ls_test_input_settle ();
}
