/* SPDX-License-Identifier: MIT
 *
 * The window's what-if side: the knob panel reruns the scenario with its
 * values, and two runs can be compared in place of the timeline.
 *
 *  - Pin as A keeps the current run (finished first, at once, if it was
 *    not); every run made after it is B, compared with it as it grows.
 *  - Compare with CPython runs the scenario's listing, with the knobs'
 *    values, in CPython under Loopscope's tracer on the virtual clock
 *    (LsPythonRun), from a folder of its own that is removed afterwards;
 *    the scenario's run is A and CPython's B, lanes matched by task
 *    number. A new run of the scenario ends that comparison.
 *  - Swap exchanges A and B; Unpin goes back to the timeline.
 *
 * The comparison is rebuilt (LsCompare is a snapshot) on its own turn
 * after the session's run grows, like the panes.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ls-compare-renderer.h"
#include "ls-describe.h"
#include "ls-window-private.h"

static void
set_compare_visible (LsWindow *self,
                     gboolean  comparing)
{
  /* the timeline is in a scrolled window, under the lane filter */
  gtk_widget_set_visible (GTK_WIDGET (self->timeline), !comparing);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->timeline)), !comparing);
  gtk_widget_set_visible (GTK_WIDGET (self->lane_filter), !comparing);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_view), comparing);
  if (!comparing)
    ls_compare_view_set_compare (self->compare_view, NULL);
}

/* What tells the pinned run and the session's apart, for their labels. */
static void
labels (LsWindow *self,
        char    **label_pinned,
        char    **label_current)
{
  const LsKnobs *current = ls_session_get_knobs (self->session);
  guint32 seed = ls_session_get_seed (self->session);

  if (self->pinned_knobs != NULL && current != NULL
      && ls_knobs_get_scenario (current) == ls_knobs_get_scenario (self->pinned_knobs))
    {
      *label_pinned = ls_knobs_describe_against (self->pinned_knobs, self->pinned_seed, current,
                                                 seed);
      *label_current = ls_knobs_describe_against (current, seed, self->pinned_knobs,
                                                  self->pinned_seed);
      return;
    }
  *label_pinned = g_strdup (self->pinned_title != NULL ? self->pinned_title : "");
  *label_current = g_strdup (ls_session_get_title (self->session) != NULL
                             ? _(ls_session_get_title (self->session)) : "");
}

static void
rebuild (LsWindow *self)
{
  LsInterpreter *current = ls_session_get_interpreter (self->session);
  g_autoptr(LsCompare) compare = NULL;
  g_autofree char *label_a = NULL, *label_b = NULL;
  LsInterpreter *a, *b;
  LsCompareFlags flags = LS_COMPARE_NONE;

  g_clear_handle_id (&self->compare_idle_id, g_source_remove);
  if (self->compare_mode == LS_WINDOW_COMPARE_NONE || current == NULL)
    return;
  if (self->compare_mode == LS_WINDOW_COMPARE_PINNED)
    {
      a = self->pinned;
      b = current;
      labels (self, &label_a, &label_b);
    }
  else
    {
      a = self->cpython_c;
      b = self->cpython_interpreter;
      label_a = g_strdup (_("Loopscope"));
      label_b = g_strdup (ls_python_run_get_python_version (self->cpython) != NULL
                          ? ls_python_run_get_python_version (self->cpython) : "CPython");
      flags = LS_COMPARE_CPYTHON_NAMES;
    }
  if (self->compare_swapped)
    compare = ls_compare_new (b, label_b, a, label_a, flags);
  else
    compare = ls_compare_new (a, label_a, b, label_b, flags);
  ls_compare_view_set_compare (self->compare_view, compare);
}

static gboolean
rebuild_idle (gpointer data)
{
  LsWindow *self = data;

  self->compare_idle_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
queue_rebuild (LsWindow *self)
{
  if (self->compare_mode != LS_WINDOW_COMPARE_NONE && self->compare_idle_id == 0)
    self->compare_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, rebuild_idle, self, NULL);
}

static void
clear_cpython (LsWindow *self)
{
  if (self->cpython != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->cpython, self);
      ls_python_run_stop (self->cpython);
      g_clear_object (&self->cpython);
    }
  if (self->cpython_path != NULL)
    g_remove (self->cpython_path);
  if (self->cpython_dir != NULL)
    g_rmdir (self->cpython_dir);
  g_clear_pointer (&self->cpython_path, g_free);
  g_clear_pointer (&self->cpython_dir, g_free);
  g_clear_object (&self->cpython_c);
  g_clear_object (&self->cpython_interpreter);
}

static void
stop_comparing (LsWindow *self)
{
  self->compare_mode = LS_WINDOW_COMPARE_NONE;
  self->compare_swapped = FALSE;
  self->pin_pending = FALSE;
  self->cpython_pending = FALSE;
  g_clear_object (&self->pinned);
  g_clear_pointer (&self->pinned_knobs, ls_knobs_free);
  g_clear_pointer (&self->pinned_title, g_free);
  g_clear_handle_id (&self->compare_idle_id, g_source_remove);
  clear_cpython (self);
  set_compare_visible (self, FALSE);
  _ls_window_update_compare_actions (self);
}

static void
pin_now (LsWindow *self)
{
  const LsKnobs *knobs = ls_session_get_knobs (self->session);
  const char *title = ls_session_get_title (self->session);

  stop_comparing (self);
  self->pinned = g_object_ref (ls_session_get_interpreter (self->session));
  self->pinned_knobs = knobs != NULL ? ls_knobs_copy (knobs) : NULL;
  self->pinned_seed = ls_session_get_seed (self->session);
  self->pinned_title = g_strdup (title != NULL ? _(title) : "");
  self->compare_mode = LS_WINDOW_COMPARE_PINNED;
  rebuild (self);
  set_compare_visible (self, TRUE);
  _ls_window_update_compare_actions (self);
}

static void
on_cpython_finished (LsPythonRun *run,
                     LsWindow    *self)
{
  const GError *error = ls_python_run_get_error (run);
  const char *exception = ls_python_run_get_exception (run);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup (error->message);

      stop_comparing (self);
      ls_window_show_error (self, _("Could not run the listing in CPython"), message);
      return;
    }
  if (exception != NULL && (g_str_has_prefix (exception, "ModuleNotFoundError")
                            || g_str_has_prefix (exception, "ImportError")))
    {
      /* the listing needs a library this Python does not have (aiohttp) */
      g_autofree char *message = g_strdup (exception);

      stop_comparing (self);
      ls_window_show_error (self, _("CPython cannot run this listing here"), message);
      return;
    }
  self->cpython_interpreter = ls_interpreter_new (ls_python_run_get_trace (run));
  if (self->cpython_path != NULL)
    g_remove (self->cpython_path);
  if (self->cpython_dir != NULL)
    g_rmdir (self->cpython_dir);
  g_clear_pointer (&self->cpython_path, g_free);
  g_clear_pointer (&self->cpython_dir, g_free);
  self->compare_mode = LS_WINDOW_COMPARE_CPYTHON;
  rebuild (self);
  set_compare_visible (self, TRUE);
  _ls_window_update_compare_actions (self);
}

static void
start_cpython (LsWindow *self)
{
  const LsScenario *scenario = ls_session_get_scenario (self->session);
  const LsKnobs *knobs = ls_session_get_knobs (self->session);
  g_autofree char *listing = NULL;
  g_autofree char *text = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;

  stop_comparing (self);
  if (scenario == NULL || knobs == NULL || (listing = ls_scenario_get_listing (scenario)) == NULL)
    return;
  text = ls_knobs_apply_to_listing (knobs, listing);
  /* alone in a folder of its own: next to other files, its name could
   * stand for a module of the standard library (queue.py) */
  self->cpython_dir = g_dir_make_tmp ("loopscope-listing-XXXXXX", &error);
  if (self->cpython_dir != NULL)
    {
      file = g_strconcat (scenario->id, ".py", NULL);
      self->cpython_path = g_build_filename (self->cpython_dir, file, NULL);
      if (!g_file_set_contents (self->cpython_path, text, -1, &error))
        g_clear_pointer (&self->cpython_path, g_free);
    }
  if (self->cpython_path != NULL)
    {
      self->cpython = ls_python_run_new (self->cpython_path, NULL, LS_LOOP_INSTANT);
      /* a run that cannot start finishes inside ls_python_run_start: hear
       * of its end only once it runs */
      if (ls_python_run_start (self->cpython, &error))
        {
          g_signal_connect (self->cpython, "finished", G_CALLBACK (on_cpython_finished), self);
          self->cpython_c = g_object_ref (ls_session_get_interpreter (self->session));
          _ls_window_update_compare_actions (self);
          return;
        }
    }
  stop_comparing (self);
  ls_window_show_error (self, _("Could not run the listing in CPython"), error->message);
}

/* ---- following the session ------------------------------------------------------ */

static void
on_session_loaded (LsWindow *self)
{
  self->pin_pending = FALSE;
  self->cpython_pending = FALSE;
  /* a new run of the scenario: CPython ran the old one */
  if (self->compare_mode == LS_WINDOW_COMPARE_CPYTHON || self->cpython != NULL)
    stop_comparing (self);
  else
    rebuild (self);
  _ls_window_update_compare_actions (self);
}

static void
on_session_finished (LsWindow *self)
{
  if (!ls_session_get_finished (self->session))
    return;
  if (self->pin_pending)
    pin_now (self);
  else if (self->cpython_pending)
    start_cpython (self);
  queue_rebuild (self);
}

/* A knob or the seed changed: the scenario runs again with them, at once
 * on the virtual clock, or at the chosen speed if the run was playing. */
static void
on_knobs_changed (LsKnobPanel *panel,
                  LsWindow    *self)
{
  const LsKnobs *knobs = ls_knob_panel_get_knobs (panel);
  gboolean playing = ls_session_get_playing (self->session);

  if (knobs == NULL)
    return;
  self->seed = ls_knob_panel_get_seed (panel);
  ls_session_load_scenario_with_knobs (self->session, ls_knobs_get_scenario (knobs), self->seed,
                                       knobs);
  if (playing)
    ls_session_set_playing (self->session, TRUE);
  else
    ls_session_complete (self->session);
}

/* ---- actions ------------------------------------------------------------------------- */

static void
pin_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  if (ls_session_get_interpreter (self->session) == NULL)
    return;
  if (ls_session_get_run (self->session) != NULL && !ls_session_get_finished (self->session))
    {
      /* A is a whole run: finish this one first */
      self->pin_pending = TRUE;
      ls_session_complete (self->session);
      return;
    }
  pin_now (self);
}

static void
swap_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  if (self->compare_mode == LS_WINDOW_COMPARE_NONE)
    return;
  self->compare_swapped = !self->compare_swapped;
  rebuild (self);
}

static void
unpin_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  stop_comparing (LS_WINDOW (widget));
}

static void
compare_cpython_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  if (ls_session_get_run (self->session) == NULL)
    return;
  if (!ls_session_get_finished (self->session))
    {
      self->cpython_pending = TRUE;
      ls_session_complete (self->session);
      return;
    }
  start_cpython (self);
}

void
_ls_window_update_compare_actions (LsWindow *self)
{
  gboolean comparing = self->compare_mode != LS_WINDOW_COMPARE_NONE;
  gboolean scenario_run = ls_session_get_run (self->session) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pin",
                                 ls_session_get_interpreter (self->session) != NULL
                                 && self->compare_mode != LS_WINDOW_COMPARE_CPYTHON);
  ls_knob_panel_set_comparing (self->knob_panel, comparing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.swap", comparing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unpin", comparing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare-cpython",
                                 scenario_run && self->cpython == NULL);
}

/* The loop at the cursor in the other run of the comparison, after the
 * session's own. */
void
_ls_window_compare_describe (LsWindow *self,
                             GString  *out,
                             gint64    time_ns)
{
  LsCompare *compare = ls_compare_view_get_compare (self->compare_view);
  LsInterpreter *current = ls_session_get_interpreter (self->session);

  if (self->compare_mode == LS_WINDOW_COMPARE_NONE || compare == NULL)
    return;
  for (guint side = 0; side < 2; side++)
    {
      LsInterpreter *model = ls_compare_get_interpreter (compare, side);
      const LsTraceState *state;

      if (model == current)
        continue;
      state = ls_interpreter_state_at (model, time_ns);
      /* TRANSLATORS: the loop internals of the other run of a comparison ("B: CPython 3.11.2") */
      g_string_append_printf (out, _("\n— %s: %s —\n"), side == LS_COMPARE_A ? "A" : "B",
                              ls_compare_get_label (compare, side));
      ls_describe_loop (out, model, state, 0, time_ns);
    }
}

LsCompare *
_ls_window_get_compare (LsWindow *self)
{
  return self->compare_mode != LS_WINDOW_COMPARE_NONE
         ? ls_compare_view_get_compare (self->compare_view) : NULL;
}

void
_ls_window_compare_dispose (LsWindow *self)
{
  if (self->knob_panel != NULL)
    g_signal_handlers_disconnect_by_data (self->knob_panel, self);
  stop_comparing (self);
}

void
_ls_window_init_compare (LsWindow *self)
{
  self->compare_view = LS_COMPARE_VIEW (ls_compare_view_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->compare_view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->compare_view), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_view), FALSE);
  gtk_box_append (self->timeline_box, GTK_WIDGET (self->compare_view));
  ls_compare_view_set_session (self->compare_view, self->session);
  ls_knob_panel_set_session (self->knob_panel, self->session);

  g_signal_connect (self->knob_panel, "changed", G_CALLBACK (on_knobs_changed), self);
  g_signal_connect_object (self->session, "loaded", G_CALLBACK (on_session_loaded), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "changed", G_CALLBACK (queue_rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::finished", G_CALLBACK (on_session_finished),
                           self, G_CONNECT_SWAPPED);
  _ls_window_update_compare_actions (self);
}

void
_ls_window_class_init_compare (GtkWidgetClass *widget_class)
{
  g_type_ensure (LS_TYPE_KNOB_PANEL);
  gtk_widget_class_bind_template_child (widget_class, LsWindow, knob_panel);
  gtk_widget_class_install_action (widget_class, "win.pin", NULL, pin_action);
  gtk_widget_class_install_action (widget_class, "win.swap", NULL, swap_action);
  gtk_widget_class_install_action (widget_class, "win.unpin", NULL, unpin_action);
  gtk_widget_class_install_action (widget_class, "win.compare-cpython", NULL,
                                   compare_cpython_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.pin",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.unpin", NULL);
}
