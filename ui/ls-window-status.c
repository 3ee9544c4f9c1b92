/* SPDX-License-Identifier: MIT
 *
 * The status line under the timeline: after a trace is saved or an image
 * exported it says where, with a button that opens the folder, and slides
 * away by itself after a while (or at once on its close button). Errors
 * keep their dialog: they need an answer, a success does not.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ls-window-private.h"

#define STATUS_SECONDS 8

static void
hide_status (LsWindow *self)
{
  g_clear_handle_id (&self->status_timeout_id, g_source_remove);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->status_revealer), FALSE);
}

static gboolean
status_timeout (gpointer data)
{
  LsWindow *self = data;

  self->status_timeout_id = 0;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->status_revealer), FALSE);
  return G_SOURCE_REMOVE;
}

static void
open_folder (LsWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *uri = NULL;

  if (self->status_path == NULL)
    return;
  file = g_file_new_for_path (self->status_path);
  folder = g_file_get_parent (file);
  if (folder == NULL)
    return;
  uri = g_file_get_uri (folder);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
  hide_status (self);
}

void
_ls_window_init_status (LsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open Folder"));
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  self->status_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->status_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (self->status_label, TRUE);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 4);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_widget_set_tooltip_text (close, _("Close"));
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_name (open, "status-open-folder");
  gtk_widget_set_name (close, "status-close");
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (open_folder), self);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (hide_status), self);
  gtk_box_append (GTK_BOX (box), self->status_label);
  gtk_box_append (GTK_BOX (box), open);
  gtk_box_append (GTK_BOX (box), close);
  gtk_widget_add_css_class (box, "loopscope-status");

  self->status_revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->status_revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_revealer_set_child (GTK_REVEALER (self->status_revealer), box);
  gtk_box_append (self->timeline_box, self->status_revealer);
}

void
_ls_window_dispose_status (LsWindow *self)
{
  g_clear_handle_id (&self->status_timeout_id, g_source_remove);
  g_clear_pointer (&self->status_path, g_free);
}

/* @path was written: a trace (@image FALSE) or an image */
void
_ls_window_show_saved (LsWindow   *self,
                       const char *path,
                       gboolean    image)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *text = g_strdup_printf (image ? _("Image exported to “%s”")
                                                 : _("Trace saved to “%s”"), name);

  g_free (self->status_path);
  self->status_path = g_strdup (path);
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
  gtk_widget_set_tooltip_text (self->status_label, path);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->status_revealer), TRUE);
  g_clear_handle_id (&self->status_timeout_id, g_source_remove);
  self->status_timeout_id = g_timeout_add_seconds (STATUS_SECONDS, status_timeout, self);
}
