/* SPDX-License-Identifier: MIT
 *
 * The main window. For now it shows which runtime this build carries; the
 * scenario sidebar and the timeline take its place as they land.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ls-coro.h"
#include "ls-window.h"

struct _LsWindow
{
  GtkApplicationWindow parent_instance;

  GSettings *settings;
  GtkLabel  *status_label;
};

G_DEFINE_FINAL_TYPE (LsWindow, ls_window, GTK_TYPE_APPLICATION_WINDOW)

/* Remember the size the user left the window at (not the maximized one). */
static gboolean
ls_window_close_request (GtkWindow *window)
{
  LsWindow *self = LS_WINDOW (window);
  int width, height;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window))
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  return GTK_WINDOW_CLASS (ls_window_parent_class)->close_request (window);
}

static void
ls_window_dispose (GObject *object)
{
  LsWindow *self = LS_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ls_window_parent_class)->dispose (object);
}

static void
ls_window_class_init (LsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ls_window_dispose;
  window_class->close_request = ls_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/ls-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LsWindow, status_label);
}

static void
ls_window_init (LsWindow *self)
{
  g_autofree char *status = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: %s names the coroutine context switch, e.g. "x86-64 assembly" */
  status = g_strdup_printf (_("Event-loop runtime ready (coroutine switch: %s)."),
                            ls_coro_backend_name ());
  gtk_label_set_text (self->status_label, status);
}

LsWindow *
ls_window_new (GtkApplication *application,
               GSettings      *settings)
{
  LsWindow *self = g_object_new (LS_TYPE_WINDOW, "application", application, NULL);

  g_set_object (&self->settings, settings);
  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  return self;
}
