/* SPDX-License-Identifier: MIT
 *
 * XTEST input for the window tests (see ls-test-input.h). Without a
 * window manager the X server still routes keys to the window that has the
 * input focus, so the window is given it with XSetInputFocus.
 */
#include "config.h"

#include "ls-test-input.h"

#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>

static Display *
xdisplay (void)
{
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

gboolean
ls_test_input_init (char **reason)
{
  GdkDisplay *display = gdk_display_get_default ();
  int event, error, major, minor;

  if (display == NULL || !GDK_IS_X11_DISPLAY (display))
    {
      *reason = g_strdup ("the window tests need an X11 display (run them under xvfb-run)");
      return FALSE;
    }
  if (!XTestQueryExtension (xdisplay (), &event, &error, &major, &minor))
    {
      *reason = g_strdup ("the X server has no XTEST extension");
      return FALSE;
    }
  return TRUE;
}

void
ls_test_input_settle (void)
{
  gint64 until;

  XSync (xdisplay (), False);
  /* the events, then whatever they set off (redraws, idle work) */
  until = g_get_monotonic_time () + 30 * 1000;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static Window
xwindow_of (GtkWidget *widget)
{
  return gdk_x11_surface_get_xid (gtk_native_get_surface (gtk_widget_get_native (widget)));
}

void
ls_test_window_ready (GtkWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_window_present (window);
  while ((!gtk_widget_get_mapped (GTK_WIDGET (window))
          || gtk_widget_get_width (GTK_WIDGET (window)) == 0)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  XRaiseWindow (xdisplay (), xwindow_of (GTK_WIDGET (window)));
  XSetInputFocus (xdisplay (), xwindow_of (GTK_WIDGET (window)), RevertToParent, CurrentTime);
  ls_test_input_settle ();
  ls_test_input_settle ();
}

/* @widget's (@x, @y) on the root window. */
static void
root_point (GtkWidget *widget,
            double     x,
            double     y,
            int       *root_x,
            int       *root_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  double nx, ny, sx, sy;
  Window child;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_widget_translate_coordinates (widget, GTK_WIDGET (native), x, y, &nx, &ny));
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_get_surface_transform (native, &sx, &sy);
  XTranslateCoordinates (xdisplay (), xwindow_of (widget),
                         RootWindow (xdisplay (), DefaultScreen (xdisplay ())),
                         (int) (nx + sx), (int) (ny + sy), root_x, root_y, &child);
}

static void
modifiers (GdkModifierType mods,
           Bool            press)
{
  Display *dpy = xdisplay ();

  if (mods & GDK_CONTROL_MASK)
    XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, XK_Control_L), press, CurrentTime);
  if (mods & GDK_SHIFT_MASK)
    XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, XK_Shift_L), press, CurrentTime);
  if (mods & GDK_ALT_MASK)
    XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, XK_Alt_L), press, CurrentTime);
}

void
ls_test_key (GtkWidget      *widget,
             guint           keyval,
             GdkModifierType mods)
{
  Display *dpy = xdisplay ();
  KeyCode code = XKeysymToKeycode (dpy, (KeySym) keyval);

  g_assert_cmpuint (code, !=, 0);
  /* a key shifted on this keymap ("+" on a US layout) needs Shift */
  if (XkbKeycodeToKeysym (dpy, code, 0, 0) != keyval
      && XkbKeycodeToKeysym (dpy, code, 0, 1) == keyval)
    mods |= GDK_SHIFT_MASK;
  XSetInputFocus (dpy, xwindow_of (widget), RevertToParent, CurrentTime);
  modifiers (mods, True);
  XTestFakeKeyEvent (dpy, code, True, CurrentTime);
  XTestFakeKeyEvent (dpy, code, False, CurrentTime);
  modifiers (mods, False);
  ls_test_input_settle ();
}

void
ls_test_motion (GtkWidget *widget,
                double     x,
                double     y)
{
  int rx, ry;

  root_point (widget, x, y, &rx, &ry);
  XTestFakeMotionEvent (xdisplay (), DefaultScreen (xdisplay ()), rx, ry, CurrentTime);
  ls_test_input_settle ();
}

void
ls_test_click (GtkWidget *widget,
               double     x,
               double     y)
{
  ls_test_motion (widget, x, y);
  XTestFakeButtonEvent (xdisplay (), 1, True, CurrentTime);
  XTestFakeButtonEvent (xdisplay (), 1, False, CurrentTime);
  ls_test_input_settle ();
}

void
ls_test_drag (GtkWidget *widget,
              double     x0,
              double     y0,
              double     x1,
              double     y1)
{
  ls_test_motion (widget, x0, y0);
  XTestFakeButtonEvent (xdisplay (), 1, True, CurrentTime);
  ls_test_input_settle ();
  /* in steps, as a hand moves: a drag gesture starts past a threshold */
  for (int i = 1; i <= 8; i++)
    ls_test_motion (widget, x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8);
  XTestFakeButtonEvent (xdisplay (), 1, False, CurrentTime);
  ls_test_input_settle ();
}

void
ls_test_scroll (GtkWidget      *widget,
                double          x,
                double          y,
                int             dy,
                GdkModifierType mods)
{
  unsigned int button = dy < 0 ? 4 : 5;

  ls_test_motion (widget, x, y);
  modifiers (mods, True);
  XSync (xdisplay (), False);
  for (int i = 0; i < ABS (dy); i++)
    {
      XTestFakeButtonEvent (xdisplay (), button, True, CurrentTime);
      XTestFakeButtonEvent (xdisplay (), button, False, CurrentTime);
    }
  ls_test_input_settle ();
  modifiers (mods, False);
  ls_test_input_settle ();
}
