/* SPDX-License-Identifier: MIT
 *
 * The window's switch between the time view and the iteration view: a
 * toggle at the end of the bar over the timeline's axis, the I key and the
 * win.iteration-view action. What the view is lives in the session
 * (LsSession:iteration-view); the toggle only shows it and changes it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ls-window-private.h"

static void
iteration_view_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  ls_session_set_iteration_view (self->session, !ls_session_get_iteration_view (self->session));
}

void
_ls_window_class_init_iterations (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.iteration-view", NULL,
                                   iteration_view_action);
}

/* The toggle beside the lane filter, over the axis it changes */
void
_ls_window_init_iterations (LsWindow *self)
{
  GtkWidget *button = gtk_toggle_button_new_with_mnemonic (_("_Iterations"));

  gtk_widget_set_tooltip_text (button,
                               _("Show the loop's iterations along the axis, each callback in "
                                 "the order it ran, instead of time (I)"));
  gtk_widget_set_name (button, "iteration-view-toggle");
  g_object_bind_property (self->session, "iteration-view", button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (self->lane_filter), button);
  self->iteration_toggle = button;
}
