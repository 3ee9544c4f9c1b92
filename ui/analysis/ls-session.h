/* SPDX-License-Identifier: MIT
 *
 * LsSession: the one owner of what a window shows of a run. It holds the
 * run (a scenario running on its loop, a CPython program running under the
 * tracer, or a trace read from a file), the
 * run's trace and its interpreter, and the view state every pane shares:
 * the cursor (the instant being looked at), the selected lane and the
 * visible range. Widgets bind to its properties and change them through
 * it; none keeps a copy. GLib only: the command line and the tests use it
 * with no display.
 */
#pragma once

#include <glib-object.h>

#include "ls-interpreter.h"
#include "ls-iteration-map.h"
#include "ls-lane-layout.h"
#include "ls-knobs.h"
#include "ls-python-run.h"
#include "ls-scenario.h"
#include "ls-trace-json.h"

G_BEGIN_DECLS

#define LS_TYPE_SESSION (ls_session_get_type ())
G_DECLARE_FINAL_TYPE (LsSession, ls_session, LS, SESSION, GObject)

LsSession        *ls_session_new                 (void);

/* What the session shows. Loading replaces the run and resets the view. */
void              ls_session_load_scenario       (LsSession         *self,
                                                  const LsScenario  *scenario,
                                                  guint32            seed);
/* The same with the scenario's knobs at @knobs (NULL: the defaults); the
 * knobs are the run's, and Restart keeps them. */
void              ls_session_load_scenario_with_knobs (LsSession    *self,
                                                  const LsScenario  *scenario,
                                                  guint32            seed,
                                                  const LsKnobs     *knobs);
/* A trace already read (the caller reads each file once); @file_name is
 * what the window calls it. */
void              ls_session_load_trace          (LsSession         *self,
                                                  LsTrace           *trace,
                                                  const LsTraceInfo *info,
                                                  const char        *file_name);
/* A CPython program, run under Loopscope's tracer (LsPythonRun) at @speed:
 * LS_PYTHON_RUN_REAL_TIME, LS_LOOP_INSTANT or a pace. It starts at once,
 * playing; FALSE (and nothing loaded) when it cannot start at all (no
 * python3, no such file). What goes wrong later (a syntax error, a crash)
 * ends the run: ls_python_run_get_error () of ls_session_get_python_run ()
 * says it once LsSession:finished is set. Pause stops the process group and
 * play continues it; Step does nothing (the tracer runs freely); Restart
 * runs the program again, at the speed it ran at. */
gboolean          ls_session_load_python         (LsSession         *self,
                                                  const char        *program,
                                                  const char *const *args,
                                                  double             speed,
                                                  GError           **error);
/* The CPython run, or NULL */
LsPythonRun      *ls_session_get_python_run      (LsSession         *self);
const LsScenario *ls_session_get_scenario        (LsSession         *self);
guint32           ls_session_get_seed            (LsSession         *self);
/* The run's knob values: a scenario's run, or a trace of a scenario
 * Loopscope knows (NULL otherwise). */
const LsKnobs    *ls_session_get_knobs           (LsSession         *self);
const char       *ls_session_get_title           (LsSession         *self);
const char       *ls_session_get_file_name       (LsSession         *self);
/* What a trace saved now would say of its run (strings owned by @self). */
void              ls_session_get_info            (LsSession         *self,
                                                  LsTraceInfo       *info);
LsTrace          *ls_session_get_trace           (LsSession         *self);
LsInterpreter    *ls_session_get_interpreter     (LsSession         *self);
/* The live scenario run, or NULL for a CPython run or a trace from a file. */
LsScenarioRun    *ls_session_get_run             (LsSession         *self);

/* Playing a live run (a scenario or a CPython program). */
gboolean          ls_session_get_live            (LsSession         *self);
gboolean          ls_session_get_playing         (LsSession         *self);
gboolean          ls_session_get_finished        (LsSession         *self);
void              ls_session_set_playing         (LsSession         *self,
                                                  gboolean           playing);
/* Run/Pause: a finished run plays again from the start. */
void              ls_session_play_pause          (LsSession         *self);
/* One loop iteration, paused. */
void              ls_session_step                (LsSession         *self);
/* A fresh run of the same scenario and seed, playing. */
void              ls_session_restart             (LsSession         *self);
/* Runs a live scenario run to its end at once, through the loop's source
 * as any run (the window keeps drawing): Instant for this run only, the
 * session's speed is kept for the next. */
void              ls_session_complete            (LsSession         *self);
/* Scenario seconds per wall second; LS_LOOP_INSTANT (0): as fast as possible.
 * A CPython run keeps the speed it started with. */
double            ls_session_get_speed           (LsSession         *self);
void              ls_session_set_speed           (LsSession         *self,
                                                  double             speed);
/* Where a live view draws "now": the paced clock while a run plays, the
 * end of the run otherwise. */
gint64            ls_session_get_now             (LsSession         *self);

/* The instant looked at: -1 follows the run. */
gint64            ls_session_get_cursor          (LsSession         *self);
void              ls_session_set_cursor          (LsSession         *self,
                                                  gint64             time_ns);
/* The cursor after the first @n_records records: between two records of
 * one instant (the cursor's time is that of the last of them). Setting a
 * time puts it after every record at that time again. */
void              ls_session_set_cursor_record   (LsSession         *self,
                                                  guint64            n_records);
/* The records set above, or 0 when the cursor is a time */
guint64           ls_session_get_cursor_record   (LsSession         *self);
/* How many records the loop at the cursor has seen */
guint64           ls_session_get_cursor_n_records (LsSession        *self);
/* The loop at the cursor (or after every record when it follows). */
const LsTraceState *ls_session_get_cursor_state  (LsSession         *self);

/* A lane index of the interpreter, or -1. */
int               ls_session_get_selected_lane   (LsSession         *self);
void              ls_session_set_selected_lane   (LsSession         *self,
                                                  int                lane);
/* The selected lane's task, or 0. */
guint32           ls_session_get_selected_task   (LsSession         *self);

/* How the lanes are arranged (filter, folds, pins): a new layout with each
 * run, keeping the filter's text and states. */
LsLaneLayout     *ls_session_get_layout          (LsSession         *self);
/* Only the selected lane and the lanes related to it show (all of them
 * while nothing is selected). */
gboolean          ls_session_get_related_only    (LsSession         *self);
void              ls_session_set_related_only    (LsSession         *self,
                                                  gboolean           related_only);

/* The visible range, ns. While fitting, it is the whole run as it grows;
 * while following, a zoomed-in range slides to keep "now" in sight. */
void              ls_session_get_range           (LsSession         *self,
                                                  gint64            *t0,
                                                  gint64            *t1);
void              ls_session_set_range           (LsSession         *self,
                                                  gint64             t0,
                                                  gint64             t1);
gboolean          ls_session_get_fit             (LsSession         *self);
void              ls_session_zoom_to_fit         (LsSession         *self);
gboolean          ls_session_get_follow          (LsSession         *self);
void              ls_session_set_follow          (LsSession         *self,
                                                  gboolean           follow);

/* The iteration view: the horizontal axis is the loop's iterations, and
 * the visible range above is in the steps of ls_session_get_iteration_map ()
 * (NULL while the view is off). The cursor stays an instant of the run. */
gboolean          ls_session_get_iteration_view  (LsSession         *self);
void              ls_session_set_iteration_view  (LsSession         *self,
                                                  gboolean           iterations);
LsIterationMap   *ls_session_get_iteration_map   (LsSession         *self);

#define LS_SESSION_MIN_RANGE_NS G_GINT64_CONSTANT (100)
#define LS_SESSION_MAX_RANGE_NS G_GINT64_CONSTANT (100000000000000)

G_END_DECLS
