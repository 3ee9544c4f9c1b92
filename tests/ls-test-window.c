/* SPDX-License-Identifier: MIT
 *
 * What the window tests share.
 */
#include "config.h"

#include "ls-test-window.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "ls-session.h"
#include "ls-test-input.h"

LsApplication *
ls_test_window_init (int          *argc,
                     char       ***argv,
                     const char   *test)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  LsApplication *app;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LOOPSCOPE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (argc, argv, NULL);
  if (!ls_test_input_init (&reason))
    {
      g_printerr ("%s: %s\n", test, reason);
      exit (1);
    }
  app = ls_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("cannot register the application: %s", error->message);
  return app;
}

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
