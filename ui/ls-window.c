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

  GtkLabel *status_label;
};

G_DEFINE_FINAL_TYPE (LsWindow, ls_window, GTK_TYPE_APPLICATION_WINDOW)

static void
ls_window_class_init (LsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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
ls_window_new (GtkApplication *application)
{
  return g_object_new (LS_TYPE_WINDOW, "application", application, NULL);
}
