/* SPDX-License-Identifier: MIT
 *
 * Real input for the window tests. GTK 4 cannot synthesise events, so the
 * keys and the pointer go through the X server (the XTEST extension, which
 * Xvfb has): the events reach the application exactly as a user's would,
 * through GTK's own event delivery, shortcut controllers and gestures.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* FALSE (with the reason) when there is no X11 display with XTEST. */
gboolean ls_test_input_init      (char          **reason);

/* Maps @window, waits until it is drawn and gives it the keyboard focus. */
void     ls_test_window_ready    (GtkWindow      *window);
/* Lets GTK handle what the X server delivered (and redraw). */
void     ls_test_input_settle    (void);

/* Key presses go to the focused window, as from a keyboard: @mods are held
 * around the key (Shift is added when the keymap needs it for @keyval). */
void     ls_test_key             (GtkWidget      *any_widget_of_window,
                                  guint           keyval,
                                  GdkModifierType mods);
/* Pointer input at (@x, @y) in @widget's coordinates. */
void     ls_test_motion          (GtkWidget      *widget,
                                  double          x,
                                  double          y);
void     ls_test_click           (GtkWidget      *widget,
                                  double          x,
                                  double          y);
void     ls_test_drag            (GtkWidget      *widget,
                                  double          x0,
                                  double          y0,
                                  double          x1,
                                  double          y1);
/* One wheel step at (@x, @y): @dy < 0 up, > 0 down; @mods held. */
void     ls_test_scroll          (GtkWidget      *widget,
                                  double          x,
                                  double          y,
                                  int             dy,
                                  GdkModifierType mods);

G_END_DECLS
