/* SPDX-License-Identifier: MIT
 *
 * The Export Image dialog, a template (data/ui/ls-export-dialog.ui). Its
 * choices are remembered in GSettings; "export" is emitted when the user
 * confirms, and the dialog closes itself.
 */
#include "config.h"

#include "ls-export-dialog.h"

struct _LsExportDialog
{
  GtkWindow    parent_instance;

  GSettings   *settings;
  GtkDropDown *format_dropdown;
  GtkDropDown *range_dropdown;
  GtkSpinButton *width_spin;
  GtkDropDown *scale_dropdown;
  GtkDropDown *theme_dropdown;
  GtkDropDown *axis_dropdown;
};

enum
{
  EXPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsExportDialog, ls_export_dialog, GTK_TYPE_WINDOW)

static void
on_export_clicked (LsExportDialog *self)
{
  LsExportOptions options;

  ls_export_dialog_get_options (self, &options);
  if (self->settings != NULL)
    {
      g_settings_set_int (self->settings, "export-width", options.width);
      g_settings_set_double (self->settings, "export-scale", options.scale);
      g_settings_set_string (self->settings, "export-theme", options.dark ? "dark" : "light");
    }
  g_signal_emit (self, signals[EXPORT], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
ls_export_dialog_dispose (GObject *object)
{
  LsExportDialog *self = LS_EXPORT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LS_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ls_export_dialog_parent_class)->dispose (object);
}

static void
ls_export_dialog_class_init (LsExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_export_dialog_dispose;

  /**
   * LsExportDialog::export:
   *
   * The user chose Export: read the choices, then ask for a file name.
   */
  signals[EXPORT] = g_signal_new ("export", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/ls-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LsExportDialog, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LsExportDialog, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LsExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, LsExportDialog, scale_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LsExportDialog, theme_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LsExportDialog, axis_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ls_export_dialog_init (LsExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LsExportDialog *
ls_export_dialog_new (GtkWindow *parent,
                      GSettings *settings)
{
  LsExportDialog *self = g_object_new (LS_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);

  if (settings != NULL)
    {
      g_autofree char *theme = g_settings_get_string (settings, "export-theme");

      self->settings = g_object_ref (settings);
      gtk_spin_button_set_value (self->width_spin, g_settings_get_int (settings, "export-width"));
      gtk_drop_down_set_selected (self->scale_dropdown,
                                  g_settings_get_double (settings, "export-scale") > 1.5);
      gtk_drop_down_set_selected (self->theme_dropdown, g_strcmp0 (theme, "dark") == 0);
    }
  return self;
}

void
ls_export_dialog_get_options (LsExportDialog  *self,
                              LsExportOptions *options)
{
  g_return_if_fail (LS_IS_EXPORT_DIALOG (self));

  ls_export_options_init (options);
  options->format = (LsExportFormat) gtk_drop_down_get_selected (self->format_dropdown);
  options->width = gtk_spin_button_get_value_as_int (self->width_spin);
  options->scale = gtk_drop_down_get_selected (self->scale_dropdown) == 1 ? 2.0 : 1.0;
  options->dark = gtk_drop_down_get_selected (self->theme_dropdown) == 1;
  options->legend = TRUE;
  options->iterations = gtk_drop_down_get_selected (self->axis_dropdown) == 1;
}

/* The axis the image starts with: the one the window shows */
void
ls_export_dialog_set_iterations (LsExportDialog *self,
                                 gboolean        iterations)
{
  g_return_if_fail (LS_IS_EXPORT_DIALOG (self));
  gtk_drop_down_set_selected (self->axis_dropdown, iterations ? 1 : 0);
}

gboolean
ls_export_dialog_get_visible_range (LsExportDialog *self)
{
  g_return_val_if_fail (LS_IS_EXPORT_DIALOG (self), FALSE);
  return gtk_drop_down_get_selected (self->range_dropdown) == 1;
}
