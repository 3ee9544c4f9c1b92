/* SPDX-License-Identifier: MIT
 *
 * The Sweep dialog: one knob of the scenario over a range (from, to,
 * step), the other knobs and the seed as the knob panel has them; each
 * value's run on the virtual clock, one at a time with a progress bar,
 * the chart filling in as they end; the chart exported as PNG, SVG or PDF.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-sweep.h"

G_BEGIN_DECLS

#define LS_TYPE_SWEEP_DIALOG (ls_sweep_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LsSweepDialog, ls_sweep_dialog, LS, SWEEP_DIALOG, GtkWindow)

LsSweepDialog *ls_sweep_dialog_new        (GtkWindow      *parent,
                                           const LsKnobs  *knobs,
                                           guint32         seed);
/* The sweep shown (NULL before the first Run), and whether it still runs */
const LsSweep *ls_sweep_dialog_get_sweep  (LsSweepDialog  *self);
gboolean       ls_sweep_dialog_is_running (LsSweepDialog  *self);
/* For the tests: the part named "knob", "from", "to", "step", "run",
 * "export", "chart" or "message" (what went wrong, or what was saved) */
GtkWidget     *ls_sweep_dialog_get_part   (LsSweepDialog  *self,
                                           const char     *name);

G_END_DECLS
