/* SPDX-License-Identifier: MIT
 *
 * A sweep: one knob of a scenario over a range of values, the other knobs
 * as given, each value's run taken to its end on the virtual clock; for
 * each value, the run's total duration and how its main task ended. It
 * answers "what if the semaphore allowed 1, 2, … 10?" in one picture
 * (ls-sweep-renderer.c). GLib only.
 */
#pragma once

#include <glib.h>

#include "ls-knobs.h"

G_BEGIN_DECLS

#define LS_SWEEP_MAX_POINTS 200

typedef struct
{
  double      value;        /* the knob's value in this run */
  gint64      duration_ns;  /* the run's total duration: its last record */
  const char *exception;    /* NULL when the main task returned, else the Python name of
                               what it raised ("TimeoutError") */
} LsSweepPoint;

typedef struct _LsSweep LsSweep;

/* A sweep of @knobs' scenario from "NAME=FROM..TO" or "NAME=FROM..TO:STEP"
 * (--sweep): STEP is 1 for a count and a tenth of the range for seconds.
 * The other knobs keep their values in @knobs. Every value is checked
 * against the knob's range before anything runs; errors (LS_KNOBS_ERROR)
 * say what is wrong on one line. */
LsSweep            *ls_sweep_new              (const LsKnobs  *knobs,
                                               const char     *spec,
                                               GError        **error);
void                ls_sweep_free             (LsSweep        *self);
/* Runs every value with @seed, in order; FALSE when a run could not be
 * taken to its end (the error names the value). A main task that raises
 * is a result, not an error. */
gboolean            ls_sweep_run              (LsSweep        *self,
                                               guint32         seed,
                                               GError        **error);
/* Runs value @index alone (a window runs them one at a time, showing its
 * progress between them) */
gboolean            ls_sweep_run_point        (LsSweep        *self,
                                               guint           index,
                                               guint32         seed,
                                               GError        **error);
const LsScenario   *ls_sweep_get_scenario     (const LsSweep  *self);
/* The knob swept (an index into the scenario's knobs) */
guint               ls_sweep_get_knob         (const LsSweep  *self);
/* The values, and after ls_sweep_run () their results (a value not run
 * yet has a duration of -1) */
guint               ls_sweep_get_n_points     (const LsSweep  *self);
const LsSweepPoint *ls_sweep_get_point        (const LsSweep  *self,
                                               guint           index);
/* The other knobs off their default, for people ("Timeout (s) 5"), or "" */
char               *ls_sweep_describe_others  (const LsSweep  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsSweep, ls_sweep_free)

G_END_DECLS
