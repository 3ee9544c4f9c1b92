/* SPDX-License-Identifier: MIT
 *
 * What the window tests share: waiting for the window to get somewhere,
 * finding its widgets, and a click on one (through ls-test-input.h's real
 * input).
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-application.h"
#include "ls-window.h"

G_BEGIN_DECLS

/* A window test's start: the build tree's catalogue (for tests in
 * Chinese), GTK, real input (exit status 1 with the reason on stderr,
 * naming @test, when there is no X server with XTEST) and the application,
 * registered and not unique. */
LsApplication *ls_test_window_init   (int          *argc,
                                      char       ***argv,
                                      const char   *test);
/* Runs the main context until @done (@data) or @seconds have passed; what
 * @done says then. */
gboolean   ls_test_wait_until        (gboolean    (*done) (gpointer),
                                      gpointer      data,
                                      double        seconds);
/* For ls_test_wait_until (): the LsSession @data's run is finished */
gboolean   ls_test_session_finished  (gpointer      data);
/* @app's active window, activating @app for one if it has none */
LsWindow  *ls_test_active_window     (LsApplication *app);
/* The first button below @widget bound to @action, or NULL */
GtkWidget *ls_test_button_for        (GtkWidget    *widget,
                                      const char   *action);
/* The first widget below @widget with @css_class, or NULL */
GtkWidget *ls_test_child_with_class  (GtkWidget    *widget,
                                      const char   *css_class);
/* A click in the middle of @widget, once it is drawn where it is */
void       ls_test_click_widget      (GtkWidget    *widget);

G_END_DECLS
