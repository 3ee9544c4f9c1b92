/* SPDX-License-Identifier: MIT
 *
 * The window's actions and keyboard shortcuts, and the file dialogs they
 * open (open and save traces, export images).
 *
 * The run's keys (Space, →, F10, Ctrl+R) and the zoom keys (+, −, 0) must
 * work wherever the focus is: a focused button would otherwise take Space
 * (activate) and → (move focus) before any bubble-phase shortcut saw them.
 * So they sit in a capture-phase controller on the window, which lets a
 * key through only to a text entry (where it types) or an open popover.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ls-compare-renderer.h"
#include "ls-export-dialog.h"
#include "ls-window-private.h"

static const double speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 100 };
#define INSTANT G_N_ELEMENTS (speeds)

void
ls_window_show_error (LsWindow   *self,
                       const char *primary,
                       const char *secondary)
{
  GtkWidget *message;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  message = gtk_message_dialog_new (GTK_WINDOW (self),
                                    GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                    GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message), "%s", secondary);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_signal_connect (message, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (message));
}

/* Run and Step need a live run; Restart a scenario to run again. */
void
_ls_window_update_actions (LsWindow *self)
{
  gboolean live = ls_session_get_live (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart",
                                 ls_session_get_scenario (self->session) != NULL);
}

/* ---- running ---------------------------------------------------------------- */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  /* the editor's program, when its text is what runs next */
  if (_ls_window_editor_run (LS_WINDOW (widget)))
    return;
  ls_session_play_pause (LS_WINDOW (widget)->session);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ls_session_step (LS_WINDOW (widget)->session);
}

/* A trace opened from a file restarts as a live run of its scenario. */
static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  const LsScenario *scenario = ls_session_get_scenario (self->session);

  if (scenario == NULL)
    return;
  /* with the run's knobs: they are part of what the run is */
  ls_session_load_scenario_with_knobs (self->session, scenario, self->seed,
                                       ls_session_get_knobs (self->session));
  ls_session_set_playing (self->session, TRUE);
}

static void
on_speed_selected (LsWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->speed_dropdown);
  double speed = selected >= INSTANT ? LS_LOOP_INSTANT : speeds[selected];

  ls_session_set_speed (self->session, speed);
  if (self->settings != NULL)
    {
      g_settings_set_boolean (self->settings, "virtual-time", selected >= INSTANT);
      if (selected < INSTANT)
        g_settings_set_double (self->settings, "speed", speed);
    }
}

static void
on_session_speed (LsWindow *self)
{
  double speed = ls_session_get_speed (self->session);
  guint selected = INSTANT;

  if (speed > 0)
    for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
      if (speeds[i] <= speed + 1e-9)
        selected = i;
  if (gtk_drop_down_get_selected (self->speed_dropdown) != selected)
    gtk_drop_down_set_selected (self->speed_dropdown, selected);
}

/* ---- the view ---------------------------------------------------------------- */

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  GtkWidget *timeline = GTK_WIDGET (self->timeline);
  double label_width = ls_timeline_get_label_width (self->timeline);
  double centre = label_width + MAX (1.0, gtk_widget_get_width (timeline) - label_width) / 2;

  if (g_str_equal (action_name, "win.zoom-in"))
    ls_timeline_zoom (self->timeline, 1.5, centre);
  else if (g_str_equal (action_name, "win.zoom-out"))
    ls_timeline_zoom (self->timeline, 1 / 1.5, centre);
  else
    ls_session_zoom_to_fit (self->session);
}

static void
find_lanes_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  gtk_widget_grab_focus (ls_lane_filter_get_entry (self->lane_filter));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  gtk_toggle_button_set_active (self->sidebar_button,
                                !gtk_toggle_button_get_active (self->sidebar_button));
}

/* ---- trace files ---------------------------------------------------------------- */

gboolean
ls_window_open_trace (LsWindow   *self,
                      const char *path,
                      GError    **error)
{
  g_auto(LsTraceInfo) info = { 0 };
  g_autoptr(LsTrace) trace = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);

  trace = ls_trace_load_json_full (path, &info, error);
  if (trace == NULL)
    return FALSE;
  name = g_path_get_basename (path);
  ls_session_load_trace (self->session, trace, &info, name);
  return TRUE;
}

static void
open_file (LsWindow *self,
           GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      ls_window_show_error (self, _("Could not open the trace"), uri);
      return;
    }
  if (!ls_window_open_trace (self, path, &error))
    ls_window_show_error (self, _("Could not open the trace"), error->message);
}

static void
open_response (GtkNativeDialog *chooser,
               int              response,
               LsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        open_file (self, file);
    }
  g_object_unref (chooser);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Traces (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  return filter;
}

static void
open_trace_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open Trace"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (open_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LsWindow      *self)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;
  open_file (self, file);
  return TRUE;
}

static char *
suggested_name (LsWindow   *self,
                const char *extension)
{
  const LsScenario *scenario = ls_session_get_scenario (self->session);

  return g_strdup_printf ("%s.%s", scenario != NULL ? scenario->id : "trace", extension);
}

gboolean
ls_window_save_trace (LsWindow   *self,
                      const char *path,
                      GError    **error)
{
  LsTraceInfo info;

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  ls_session_get_info (self->session, &info);
  return ls_trace_save_json (ls_session_get_trace (self->session), &info, path, error);
}

static void
save_response (GtkNativeDialog *chooser,
               int              response,
               LsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL && !ls_window_save_trace (self, path, &error))
        ls_window_show_error (self, _("Could not save the trace"), error->message);
      else if (path != NULL)
        _ls_window_show_saved (self, path, FALSE);
    }
  g_object_unref (chooser);
}

static void
save_trace_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  g_autofree char *name = suggested_name (self, "json");
  GtkFileChooserNative *chooser;

  if (ls_session_get_trace (self->session) == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save Trace"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (save_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- images ------------------------------------------------------------------------ */

gboolean
ls_window_export_image (LsWindow              *self,
                        const char            *path,
                        const LsExportOptions *options,
                        gboolean               visible_range,
                        GError               **error)
{
  const LsScenario *scenario = ls_session_get_scenario (self->session);
  LsExportOptions copy = *options;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *title = NULL;
  const char *name = scenario != NULL ? _(scenario->title) : ls_session_get_title (self->session);
  LsCompare *compare = _ls_window_get_compare (self);

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  if (visible_range && compare == NULL)
    {
      LsIterationMap *map = ls_session_get_iteration_map (self->session);

      ls_session_get_range (self->session, &copy.t0, &copy.t1);
      /* the iteration view's range is in steps: the instants it shows */
      if (map != NULL)
        {
          copy.t0 = ls_iteration_map_step_to_time (map, copy.t0);
          copy.t1 = MAX (ls_iteration_map_step_to_time (map, copy.t1), copy.t0 + 1);
        }
    }
  if (compare != NULL)
    {
      /* one image, both runs, each labelled with what tells it apart */
      title = g_strdup_printf (_("%s — comparison — %s"), name, date);
      copy.title = title;
      return ls_compare_export (compare, &copy, path, error);
    }
  title = ls_knobs_run_title (name, ls_session_get_knobs (self->session),
                              ls_session_get_seed (self->session), date);
  copy.title = title;
  return ls_export_image (ls_session_get_interpreter (self->session), &copy, path, error);
}

typedef struct
{
  LsWindow        *self;
  LsExportOptions  options;
  gboolean         visible_range;
} ExportChoice;

static void
export_file_response (GtkNativeDialog *chooser,
                      int              response,
                      ExportChoice    *choice)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL
          && !ls_window_export_image (choice->self, path, &choice->options, choice->visible_range,
                                      &error))
        ls_window_show_error (choice->self, _("Could not export the image"), error->message);
      else if (path != NULL)
        _ls_window_show_saved (choice->self, path, TRUE);
    }
  g_object_unref (chooser);
  g_free (choice);
}

static void
on_export_chosen (LsExportDialog *dialog,
                  LsWindow       *self)
{
  static const char *extensions[] = { "png", "svg", "pdf" };
  ExportChoice *choice = g_new0 (ExportChoice, 1);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  choice->self = self;
  ls_export_dialog_get_options (dialog, &choice->options);
  choice->visible_range = ls_export_dialog_get_visible_range (dialog);
  name = suggested_name (self, extensions[choice->options.format]);
  chooser = gtk_file_chooser_native_new (_("Export Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_file_response), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  LsExportDialog *dialog;

  if (ls_session_get_interpreter (self->session) == NULL)
    return;
  dialog = ls_export_dialog_new (GTK_WINDOW (self), self->settings);
  ls_export_dialog_set_iterations (dialog, ls_session_get_iteration_view (self->session));
  g_signal_connect_object (dialog, "export", G_CALLBACK (on_export_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- shortcuts ------------------------------------------------------------------------- */

/* A key belongs to the focused widget when it types there (a text entry,
 * an editable text view) or is in an open popover or menu. */
static gboolean
focus_takes_keys (LsWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return FALSE;
  if (GTK_IS_EDITABLE (focus))
    return TRUE;
  if (GTK_IS_TEXT_VIEW (focus) && gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))
    return TRUE;
  return gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL;
}

static gboolean
run_shortcut (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  LsWindow *self = LS_WINDOW (widget);

  if (focus_takes_keys (self))
    return FALSE;
  return gtk_widget_activate_action_variant (widget, user_data, NULL);
}

void
_ls_window_init_shortcuts (LsWindow *self)
{
  static const struct
  {
    guint           key;
    GdkModifierType mods;
    const char     *action;
  } keys[] = {
    { GDK_KEY_space, 0, "win.run" },
    { GDK_KEY_Right, 0, "win.step" },
    { GDK_KEY_KP_Right, 0, "win.step" },
    { GDK_KEY_F10, 0, "win.step" },
    { GDK_KEY_plus, 0, "win.zoom-in" },
    { GDK_KEY_plus, GDK_SHIFT_MASK, "win.zoom-in" },
    { GDK_KEY_equal, 0, "win.zoom-in" },
    { GDK_KEY_KP_Add, 0, "win.zoom-in" },
    { GDK_KEY_minus, 0, "win.zoom-out" },
    { GDK_KEY_KP_Subtract, 0, "win.zoom-out" },
    { GDK_KEY_0, 0, "win.zoom-fit" },
    { GDK_KEY_KP_0, 0, "win.zoom-fit" },
    { GDK_KEY_Home, 0, "win.zoom-fit" },
    { GDK_KEY_i, 0, "win.iteration-view" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "loopscope-run-keys");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keys[i].key, keys[i].mods);
      GtkShortcutAction *action = gtk_callback_action_new (run_shortcut, (gpointer) keys[i].action,
                                                           NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger, action));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  g_signal_connect_swapped (self->speed_dropdown, "notify::selected",
                            G_CALLBACK (on_speed_selected), self);
  g_signal_connect_object (self->session, "notify::speed", G_CALLBACK (on_session_speed), self,
                           G_CONNECT_SWAPPED);
  on_session_speed (self);
}

void
_ls_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL,
                                   toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.find-lanes", NULL, find_lanes_action);
  gtk_widget_class_install_action (widget_class, "win.open-trace", NULL, open_trace_action);
  gtk_widget_class_install_action (widget_class, "win.save-trace", NULL, save_trace_action);
  gtk_widget_class_install_action (widget_class, "win.export-image", NULL, export_image_action);

  /* with a modifier, nothing types: these may bubble */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-trace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-trace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export-image", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.restart",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.find-lanes", NULL);
}
