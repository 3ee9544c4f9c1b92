/* SPDX-License-Identifier: MIT
 *
 * The knob panel. Its controls are made for the scenario the session
 * shows (a new scenario, new controls) and set from the session's knobs
 * whenever a run is loaded, without reporting that as a change: only the
 * user's edits emit ::changed. Each control's tooltip is the knob's hint,
 * what to look for when it changes.
 */
#include "config.h"

#include "ls-knob-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ls-sweep-dialog.h"

struct _LsKnobPanel
{
  GtkWidget         parent_instance;

  LsSession        *session;
  const LsScenario *scenario;    /* the controls are this scenario's */
  LsKnobs          *knobs;
  GtkWidget        *controls;    /* a GtkFlowBox */
  GtkWidget        *buttons;
  GtkWidget        *pin_button;
  GtkWidget        *swap_button;
  GtkWidget        *unpin_button;
  GtkWidget        *sweep_button;
  GPtrArray        *spins;       /* one per knob */
  GtkWidget        *seed_spin;
  gboolean          updating;
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsKnobPanel, ls_knob_panel, GTK_TYPE_WIDGET)

static void
on_value_changed (GtkSpinButton *spin,
                  LsKnobPanel   *self)
{
  if (self->updating || self->knobs == NULL)
    return;
  for (guint i = 0; i < self->spins->len; i++)
    if (g_ptr_array_index (self->spins, i) == spin)
      {
        g_autoptr(GError) error = NULL;

        /* the spin button keeps the value in range and whole */
        if (!ls_knobs_set_value (self->knobs, i, gtk_spin_button_get_value (spin), &error))
          {
            g_warning ("%s", error->message);
            return;
          }
      }
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
add_control (LsKnobPanel *self,
             const char  *label_text,
             const char  *tooltip,
             GtkWidget   *spin)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (label_text);

  /* the name above its control: narrow columns, more of them on a line */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), spin);
  gtk_widget_set_tooltip_text (box, tooltip);
  gtk_flow_box_append (GTK_FLOW_BOX (self->controls), box);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_value_changed), self);
  return spin;
}

static void
clear_controls (LsKnobPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->controls)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->controls), child);
  g_ptr_array_set_size (self->spins, 0);
  self->seed_spin = NULL;
}

static void
build_controls (LsKnobPanel      *self,
                const LsScenario *scenario)
{
  clear_controls (self);
  self->scenario = scenario;
  if (scenario == NULL)
    return;
  for (guint i = 0; i < scenario->n_knobs; i++)
    {
      const LsScenarioKnob *knob = &scenario->knobs[i];
      const LsKnobInfo *info = ls_knob_get_info (scenario, i);
      gboolean seconds = info->kind == LS_KNOB_SECONDS;
      double step = !seconds ? 1 : knob->max - knob->min > 20 ? 0.5 : 0.1;
      GtkWidget *spin = gtk_spin_button_new_with_range (knob->min, knob->max, step);
      g_autofree char *range = ls_knob_describe_range (scenario, i);
      g_autofree char *tooltip = g_strdup_printf ("%s (%s: %s)", _(info->hint), knob->name, range);

      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), seconds ? 2 : 0);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), seconds ? 5 : 3);
      gtk_widget_set_name (spin, knob->name);
      g_ptr_array_add (self->spins, add_control (self, _(knob->label), tooltip, spin));
    }
  if (scenario->randomised)
    {
      GtkWidget *spin = gtk_spin_button_new_with_range (0, G_MAXUINT32, 1);

      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
      gtk_widget_set_name (spin, "seed");
      self->seed_spin = add_control (self, _("Seed"),
                                     _("Another seed, other random delays: the same seed "
                                       "always gives the same run"),
                                     spin);
    }
}

static void
sync_from_session (LsKnobPanel *self)
{
  const LsKnobs *knobs = self->session != NULL ? ls_session_get_knobs (self->session) : NULL;
  const LsScenario *scenario = knobs != NULL ? ls_knobs_get_scenario (knobs) : NULL;

  self->updating = TRUE;
  if (scenario != self->scenario)
    build_controls (self, scenario);
  g_clear_pointer (&self->knobs, ls_knobs_free);
  if (knobs != NULL)
    {
      self->knobs = ls_knobs_copy (knobs);
      for (guint i = 0; i < self->spins->len; i++)
        {
          GtkSpinButton *spin = g_ptr_array_index (self->spins, i);
          double value = ls_knobs_get_value (knobs, i);

          /* a value given to the millisecond (--set) is shown as it is */
          if (gtk_spin_button_get_digits (spin) > 0)
            gtk_spin_button_set_digits (spin, fabs (value * 100 - round (value * 100)) > 1e-6
                                              ? 3 : 2);
          gtk_spin_button_set_value (spin, value);
        }
      if (self->seed_spin != NULL)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->seed_spin),
                                   ls_session_get_seed (self->session));
    }
  gtk_widget_set_visible (self->controls,
                          gtk_widget_get_first_child (self->controls) != NULL);
  gtk_widget_set_visible (self->sweep_button, scenario != NULL && scenario->n_knobs > 0);
  self->updating = FALSE;
}

void
ls_knob_panel_set_session (LsKnobPanel *self,
                           LsSession   *session)
{
  g_return_if_fail (LS_IS_KNOB_PANEL (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_swapped (session, "loaded", G_CALLBACK (sync_from_session), self);
  sync_from_session (self);
}

const LsKnobs *
ls_knob_panel_get_knobs (LsKnobPanel *self)
{
  g_return_val_if_fail (LS_IS_KNOB_PANEL (self), NULL);
  return self->knobs;
}

guint32
ls_knob_panel_get_seed (LsKnobPanel *self)
{
  g_return_val_if_fail (LS_IS_KNOB_PANEL (self), 0);
  if (self->seed_spin == NULL)
    return self->session != NULL ? ls_session_get_seed (self->session) : 0;
  return (guint32) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->seed_spin));
}

void
ls_knob_panel_set_comparing (LsKnobPanel *self,
                             gboolean     comparing)
{
  g_return_if_fail (LS_IS_KNOB_PANEL (self));

  gtk_widget_set_visible (self->pin_button, !comparing);
  gtk_widget_set_visible (self->swap_button, comparing);
  gtk_widget_set_visible (self->unpin_button, comparing);
}

GtkWidget *
ls_knob_panel_get_control (LsKnobPanel *self,
                           const char  *name)
{
  g_return_val_if_fail (LS_IS_KNOB_PANEL (self), NULL);

  if (g_strcmp0 (name, "seed") == 0)
    return self->seed_spin;
  for (guint i = 0; i < self->spins->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (self->spins, i)), name) == 0)
      return g_ptr_array_index (self->spins, i);
  return NULL;
}

static GtkWidget *
action_button (const char *label,
               const char *action,
               const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

/* The Sweep dialog, for the knobs and the seed the panel shows */
static void
on_sweep (LsKnobPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  LsSweepDialog *dialog;

  if (self->knobs == NULL || ls_knobs_get_scenario (self->knobs)->n_knobs == 0)
    return;
  dialog = ls_sweep_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->knobs,
                                ls_knob_panel_get_seed (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
ls_knob_panel_get_sweep_button (LsKnobPanel *self)
{
  g_return_val_if_fail (LS_IS_KNOB_PANEL (self), NULL);
  return self->sweep_button;
}

static void
ls_knob_panel_dispose (GObject *object)
{
  LsKnobPanel *self = LS_KNOB_PANEL (object);
  GtkWidget *child;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ls_knob_panel_parent_class)->dispose (object);
}

static void
ls_knob_panel_finalize (GObject *object)
{
  LsKnobPanel *self = LS_KNOB_PANEL (object);

  g_clear_pointer (&self->knobs, ls_knobs_free);
  g_ptr_array_unref (self->spins);

  G_OBJECT_CLASS (ls_knob_panel_parent_class)->finalize (object);
}

static void
ls_knob_panel_class_init (LsKnobPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_knob_panel_dispose;
  object_class->finalize = ls_knob_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loopscope-knob-panel");

  /**
   * LsKnobPanel::changed:
   *
   * The user changed a knob or the seed: ls_knob_panel_get_knobs () and
   * ls_knob_panel_get_seed () say what they are now.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ls_knob_panel_init (LsKnobPanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->spins = g_ptr_array_new ();
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (widget)), 12);
  gtk_widget_set_margin_start (widget, 12);
  gtk_widget_set_margin_end (widget, 12);
  gtk_widget_set_margin_bottom (widget, 6);

  self->controls = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->controls), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->controls), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->controls), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->controls), 4);
  gtk_widget_set_hexpand (self->controls, TRUE);
  gtk_widget_set_valign (self->controls, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->controls, widget);

  self->buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (self->buttons, GTK_ALIGN_END);
  gtk_widget_set_valign (self->buttons, GTK_ALIGN_END);
  self->pin_button = action_button (_("_Pin as A"), "win.pin",
                                    _("Keep this run as A: change knobs and run B beside it "
                                      "(Ctrl+P)"));
  self->swap_button = action_button (_("S_wap"), "win.swap", _("Exchange the places of A and B"));
  self->unpin_button = action_button (_("_Unpin"), "win.unpin", _("Back to one run (Ctrl+Shift+P)"));
  gtk_box_append (GTK_BOX (self->buttons), self->pin_button);
  gtk_box_append (GTK_BOX (self->buttons), self->swap_button);
  gtk_box_append (GTK_BOX (self->buttons), self->unpin_button);
  ls_knob_panel_set_comparing (self, FALSE);
  /* an icon: the row of buttons shares its line with the knobs */
  self->sweep_button = gtk_button_new_from_icon_name ("loopscope-sweep-symbolic");
  gtk_widget_set_tooltip_text (self->sweep_button,
                               _("Sweep: run one knob over a range and see the total duration "
                                 "against it"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sweep_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sweep a knob"), -1);
  g_signal_connect_swapped (self->sweep_button, "clicked", G_CALLBACK (on_sweep), self);
  gtk_box_append (GTK_BOX (self->buttons), self->sweep_button);
  gtk_box_append (GTK_BOX (self->buttons),
                  action_button (_("Compare with _CPython"), "win.compare-cpython",
                                 _("Run the listing in CPython and compare the two timelines")));
  gtk_widget_set_parent (self->buttons, widget);
}

GtkWidget *
ls_knob_panel_new (void)
{
  return g_object_new (LS_TYPE_KNOB_PANEL, NULL);
}
