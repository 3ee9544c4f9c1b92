/* SPDX-License-Identifier: MIT
 *
 * A sweep drawn (ls-sweep.h): the run's total duration against the swept
 * knob's value, one point per run, a point whose main task raised marked
 * in the failure colour with its exception's name. With the timeline's
 * palettes and fonts; exported as PNG, SVG or PDF like the timeline. No
 * GTK.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "ls-export.h"
#include "ls-sweep.h"

G_BEGIN_DECLS

/* The chart in @width × @height, from the origin. */
void      ls_sweep_render              (cairo_t               *cr,
                                        const LsSweep         *sweep,
                                        double                 width,
                                        double                 height,
                                        gboolean               dark);
/* Where ls_sweep_render () draws point @index's centre. */
void      ls_sweep_point_position      (const LsSweep         *sweep,
                                        double                 width,
                                        double                 height,
                                        guint                  index,
                                        double                *x,
                                        double                *y);
/* The chart as an image in @options' format: its width (0: 800), its
 * height (0: three fifths of the width), its title line and theme; the
 * time range, layout and legend of @options do not apply. */
gboolean  ls_sweep_export_to_stream    (const LsSweep         *sweep,
                                        const LsExportOptions *options,
                                        GOutputStream         *out,
                                        const char            *name,
                                        GError               **error);

G_END_DECLS
