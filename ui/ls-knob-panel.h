/* SPDX-License-Identifier: MIT
 *
 * The knob panel: the selected scenario's knobs, each under its name with
 * the widget its type calls for (a spin button for a count, one with
 * decimals for seconds), the seed of a randomised scenario, and the
 * comparison's buttons (Pin as A, Swap, Unpin, Compare with CPython). It
 * shows the session's run; a change is reported with ::changed and the
 * window reruns the scenario with it.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-session.h"

G_BEGIN_DECLS

#define LS_TYPE_KNOB_PANEL (ls_knob_panel_get_type ())
G_DECLARE_FINAL_TYPE (LsKnobPanel, ls_knob_panel, LS, KNOB_PANEL, GtkWidget)

GtkWidget     *ls_knob_panel_new          (void);
void           ls_knob_panel_set_session  (LsKnobPanel  *self,
                                           LsSession    *session);
/* What the panel shows now (NULL: no scenario). */
const LsKnobs *ls_knob_panel_get_knobs    (LsKnobPanel  *self);
guint32        ls_knob_panel_get_seed     (LsKnobPanel  *self);
/* Pin as A while there is one run; Swap and Unpin while two are compared. */
void           ls_knob_panel_set_comparing (LsKnobPanel *self,
                                           gboolean     comparing);
/* The Sweep… button, which opens the Sweep dialog (ls-sweep-dialog.h) */
GtkWidget     *ls_knob_panel_get_sweep_button (LsKnobPanel *self);
/* For the tests: the spin button of knob @name ("seed" for the seed). */
GtkWidget     *ls_knob_panel_get_control  (LsKnobPanel  *self,
                                           const char   *name);

G_END_DECLS
