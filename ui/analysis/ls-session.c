/* SPDX-License-Identifier: MIT
 *
 * The session: a run (a scenario or a CPython program, live, or a trace
 * from a file), its interpreter and the view
 * state shared by every pane. Sysprof's SysprofSession is the model: views
 * read the cursor, the selection and the range here and change them here,
 * so no two objects ever hold the same cursor.
 */
#include "config.h"

#include "ls-session.h"

#include <string.h>

#define EMPTY_RANGE_NS G_GINT64_CONSTANT (1000000000) /* what an empty run shows */

struct _LsSession
{
  GObject           parent_instance;

  /* the run */
  LsScenarioRun    *run;           /* a scenario's run, or NULL */
  LsPythonRun      *python_run;    /* a CPython program's run, or NULL */
  char             *python_program;
  GStrv             python_args;
  gulong            python_finished_id;
  const LsScenario *scenario;      /* the run's, or the trace's if Loopscope knows it */
  guint32           seed;
  LsKnobs          *knobs;         /* the scenario's knob values, or NULL */
  GStrv             knob_strv;     /* the same as "NAME=VALUE", for ls_session_get_info () */
  GStrv             trace_knobs;   /* a trace's knobs of a scenario Loopscope does not know */
  char             *title;         /* untranslated scenario title, or the trace's own */
  char             *file_name;     /* a trace's file name, or NULL */
  char             *created;
  LsTrace          *trace;
  LsInterpreter    *interpreter;
  LsLaneLayout     *layout;
  gulong            changed_id;
  gulong            stopped_id;

  /* playing */
  double            speed;
  gboolean          playing;
  gboolean          finished;

  /* the view */
  gint64            cursor;
  int               selected_lane;
  gboolean          related_only;  /* the lanes shown are those related to the selection */
  gboolean          fit;
  gboolean          follow;
  gint64            t0, t1;
  gint64            followed_end; /* the end the range last followed */
  guint64           cursor_record; /* the cursor is after this many records, or 0: after
                                      every record at its time */

  /* the iteration view: the range above is in its steps while it shows,
   * and the other axis's range waits here */
  gboolean          iterations;
  LsIterationMap   *iteration_map;
  gboolean          other_fit;
  gint64            other_t0, other_t1;
};

enum
{
  PROP_0,
  PROP_INTERPRETER,
  PROP_TITLE,
  PROP_LIVE,
  PROP_PLAYING,
  PROP_FINISHED,
  PROP_SPEED,
  PROP_CURSOR,
  PROP_SELECTED_LANE,
  PROP_FIT,
  PROP_FOLLOW,
  PROP_LAYOUT,
  PROP_RELATED_ONLY,
  PROP_ITERATION_VIEW,
  N_PROPS
};

enum
{
  LOADED,
  CHANGED,
  RANGE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsSession, ls_session, G_TYPE_OBJECT)

/* ---- the run ---------------------------------------------------------------- */

static LsLoop *
session_loop (LsSession *self)
{
  return self->run != NULL ? ls_scenario_run_get_loop (self->run) : NULL;
}

static void
set_boolean (LsSession *self,
             gboolean  *field,
             gboolean   value,
             guint      prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
on_interpreter_changed (LsInterpreter *interpreter,
                        LsSession     *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_loop_stopped (LsLoop     *loop,
                 GParamSpec *pspec,
                 LsSession  *self)
{
  if (!ls_loop_get_stopped (loop))
    return;
  ls_loop_set_paused (loop, TRUE);
  set_boolean (self, &self->playing, FALSE, PROP_PLAYING);
  set_boolean (self, &self->finished, TRUE, PROP_FINISHED);
}

static void
on_python_finished (LsPythonRun *run,
                    LsSession   *self)
{
  set_boolean (self, &self->playing, FALSE, PROP_PLAYING);
  set_boolean (self, &self->finished, TRUE, PROP_FINISHED);
}

static void
clear_run (LsSession *self)
{
  g_clear_object (&self->iteration_map);
  if (self->interpreter != NULL)
    g_clear_signal_handler (&self->changed_id, self->interpreter);
  g_clear_object (&self->interpreter);
  if (self->run != NULL)
    {
      LsLoop *loop = session_loop (self);

      g_clear_signal_handler (&self->stopped_id, loop);
      ls_loop_set_paused (loop, TRUE);
    }
  g_clear_pointer (&self->run, ls_scenario_run_free);
  if (self->python_run != NULL)
    {
      g_clear_signal_handler (&self->python_finished_id, self->python_run);
      /* a program left running would run on unseen */
      ls_python_run_stop (self->python_run);
      g_clear_object (&self->python_run);
    }
  g_clear_pointer (&self->python_program, g_free);
  g_clear_pointer (&self->python_args, g_strfreev);
  g_clear_object (&self->trace);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->created, g_free);
  g_clear_pointer (&self->knobs, ls_knobs_free);
  g_clear_pointer (&self->knob_strv, g_strfreev);
  g_clear_pointer (&self->trace_knobs, g_strfreev);
  self->scenario = NULL;
}

/* After a new run or trace: the view starts over, but for the lane
 * filter, which the user typed and still sees. */
static void
loaded (LsSession *self)
{
  g_autoptr(LsLaneLayout) old = g_steal_pointer (&self->layout);

  self->interpreter = ls_interpreter_new (self->trace);
  /* the layout follows the interpreter first, so that when the session
   * says "changed" the rows are those of the new records */
  self->layout = ls_lane_layout_new (self->interpreter);
  if (old != NULL)
    {
      ls_lane_layout_set_filter_text (self->layout, ls_lane_layout_get_filter_text (old));
      ls_lane_layout_set_filter_states (self->layout, ls_lane_layout_get_filter_states (old));
    }
  self->changed_id = g_signal_connect (self->interpreter, "changed",
                                       G_CALLBACK (on_interpreter_changed), self);
  self->cursor = -1;
  self->cursor_record = 0;
  self->selected_lane = -1;
  self->fit = TRUE;
  self->follow = TRUE;
  self->t0 = 0;
  self->t1 = EMPTY_RANGE_NS;
  self->followed_end = 0;
  self->other_fit = TRUE;
  self->other_t0 = 0;
  self->other_t1 = EMPTY_RANGE_NS;
  if (self->iterations)
    self->iteration_map = ls_iteration_map_new (self->trace);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop = PROP_INTERPRETER; prop < N_PROPS; prop++)
    if (prop != PROP_SPEED)
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[LOADED], 0);
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

void
ls_session_load_scenario (LsSession        *self,
                          const LsScenario *scenario,
                          guint32           seed)
{
  ls_session_load_scenario_with_knobs (self, scenario, seed, NULL);
}

void
ls_session_load_scenario_with_knobs (LsSession        *self,
                                     const LsScenario *scenario,
                                     guint32           seed,
                                     const LsKnobs    *knobs)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(LsKnobs) values = NULL;
  LsLoop *loop;

  g_return_if_fail (LS_IS_SESSION (self));
  g_return_if_fail (scenario != NULL);
  g_return_if_fail (knobs == NULL || ls_knobs_get_scenario (knobs) == scenario);

  /* copied first: @knobs may be the session's own */
  values = knobs != NULL ? ls_knobs_copy (knobs) : ls_knobs_new (scenario);
  clear_run (self);
  self->run = ls_scenario_run_new (scenario, seed);
  ls_knobs_apply (values, self->run);
  self->knobs = g_steal_pointer (&values);
  self->knob_strv = ls_knobs_to_strv (self->knobs, FALSE);
  self->scenario = scenario;
  self->seed = seed;
  self->title = g_strdup (scenario->title);
  self->created = g_date_time_format_iso8601 (now);
  loop = session_loop (self);
  /* paused before its first iteration until Run or Step */
  ls_loop_set_paused (loop, TRUE);
  ls_loop_set_speed (loop, self->speed);
  ls_loop_set_stop_future (loop, LS_FUTURE (ls_scenario_run_get_main_task (self->run)));
  self->stopped_id = g_signal_connect (loop, "notify::stopped", G_CALLBACK (on_loop_stopped),
                                       self);
  self->trace = g_object_ref (ls_loop_get_trace (loop));
  self->playing = FALSE;
  self->finished = FALSE;
  loaded (self);
}

void
ls_session_load_trace (LsSession         *self,
                       LsTrace           *trace,
                       const LsTraceInfo *info,
                       const char        *file_name)
{
  g_return_if_fail (LS_IS_SESSION (self));
  g_return_if_fail (LS_IS_TRACE (trace));

  clear_run (self);
  self->trace = g_object_ref (trace);
  self->scenario = info != NULL && info->scenario_id != NULL
                   ? ls_scenario_lookup (info->scenario_id) : NULL;
  self->seed = info != NULL ? info->seed : 0;
  self->title = g_strdup (info != NULL && info->title != NULL ? info->title : file_name);
  self->created = g_strdup (info != NULL ? info->created : NULL);
  if (self->scenario != NULL)
    {
      /* ls_trace_load_json_full checked them against the scenario */
      self->knobs = ls_knobs_new (self->scenario);
      for (guint i = 0; info->knobs != NULL && info->knobs[i] != NULL; i++)
        if (!ls_knobs_parse (self->knobs, info->knobs[i], NULL))
          g_warning ("%s: knob %s ignored", file_name, info->knobs[i]);
      self->knob_strv = ls_knobs_to_strv (self->knobs, FALSE);
    }
  else if (info != NULL && info->knobs != NULL)
    self->trace_knobs = g_strdupv (info->knobs);
  self->file_name = g_strdup (file_name);
  self->playing = FALSE;
  self->finished = TRUE;
  loaded (self);
}

gboolean
ls_session_load_python (LsSession         *self,
                        const char        *program,
                        const char *const *args,
                        double             speed,
                        GError           **error)
{
  g_autoptr(LsPythonRun) run = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_auto(GStrv) args_copy = NULL;

  g_return_val_if_fail (LS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (program != NULL, FALSE);

  run = ls_python_run_new (program, args, speed);
  if (!ls_python_run_start (run, error))
    return FALSE;

  args_copy = g_strdupv ((char **) args);
  clear_run (self);
  self->python_run = g_steal_pointer (&run);
  self->python_program = g_strdup (program);
  self->python_args = g_steal_pointer (&args_copy);
  self->python_finished_id = g_signal_connect (self->python_run, "finished",
                                               G_CALLBACK (on_python_finished), self);
  self->trace = g_object_ref (ls_python_run_get_trace (self->python_run));
  self->seed = 0;
  self->title = g_path_get_basename (program);
  self->created = g_date_time_format_iso8601 (now);
  self->playing = TRUE;
  self->finished = FALSE;
  loaded (self);
  return TRUE;
}

LsPythonRun *
ls_session_get_python_run (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->python_run;
}

const LsScenario *
ls_session_get_scenario (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->scenario;
}

guint32
ls_session_get_seed (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), 0);
  return self->seed;
}

const LsKnobs *
ls_session_get_knobs (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->knobs;
}

const char *
ls_session_get_title (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->title;
}

const char *
ls_session_get_file_name (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->file_name;
}

void
ls_session_get_info (LsSession   *self,
                     LsTraceInfo *info)
{
  g_return_if_fail (LS_IS_SESSION (self));

  memset (info, 0, sizeof *info);
  info->scenario_id = self->scenario != NULL ? (char *) self->scenario->id : NULL;
  info->title = self->title;
  info->seed = self->seed;
  info->created = self->created;
  info->knobs = self->knob_strv != NULL ? self->knob_strv : self->trace_knobs;
}

LsTrace *
ls_session_get_trace (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->trace;
}

LsInterpreter *
ls_session_get_interpreter (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->interpreter;
}

LsScenarioRun *
ls_session_get_run (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->run;
}

/* ---- playing ---------------------------------------------------------------- */

gboolean
ls_session_get_live (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), FALSE);
  return self->run != NULL || self->python_run != NULL;
}

gboolean
ls_session_get_playing (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), FALSE);
  return self->playing;
}

gboolean
ls_session_get_finished (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), FALSE);
  return self->finished;
}

void
ls_session_set_playing (LsSession *self,
                        gboolean   playing)
{
  g_return_if_fail (LS_IS_SESSION (self));

  if ((self->run == NULL && self->python_run == NULL) || self->finished)
    playing = FALSE;
  if (self->run != NULL)
    ls_loop_set_paused (session_loop (self), !playing);
  else if (self->python_run != NULL && !self->finished)
    ls_python_run_set_paused (self->python_run, !playing);
  set_boolean (self, &self->playing, playing, PROP_PLAYING);
}

void
ls_session_play_pause (LsSession *self)
{
  g_return_if_fail (LS_IS_SESSION (self));

  if (self->run == NULL && self->python_run == NULL)
    return;
  if (self->finished)
    ls_session_restart (self);
  else
    ls_session_set_playing (self, !self->playing);
}

void
ls_session_step (LsSession *self)
{
  g_return_if_fail (LS_IS_SESSION (self));

  if (self->run == NULL || self->finished)
    return;
  ls_session_set_playing (self, FALSE);
  ls_loop_step (session_loop (self));
}

void
ls_session_restart (LsSession *self)
{
  g_return_if_fail (LS_IS_SESSION (self));

  if (self->python_run != NULL)
    {
      g_autofree char *program = g_strdup (self->python_program);
      g_auto(GStrv) args = g_strdupv (self->python_args);

      ls_session_load_python (self, program, (const char *const *) args,
                              ls_python_run_get_speed (self->python_run), NULL);
      return;
    }
  if (self->scenario == NULL)
    return;
  ls_session_load_scenario_with_knobs (self, self->scenario, self->seed, self->knobs);
  ls_session_set_playing (self, TRUE);
}

void
ls_session_complete (LsSession *self)
{
  g_return_if_fail (LS_IS_SESSION (self));

  if (self->run == NULL || self->finished)
    return;
  ls_loop_set_speed (session_loop (self), LS_LOOP_INSTANT);
  ls_loop_set_paused (session_loop (self), FALSE);
  set_boolean (self, &self->playing, TRUE, PROP_PLAYING);
}

double
ls_session_get_speed (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), 0);
  return self->speed;
}

void
ls_session_set_speed (LsSession *self,
                      double     speed)
{
  g_return_if_fail (LS_IS_SESSION (self));

  speed = speed <= 0 ? LS_LOOP_INSTANT : CLAMP (speed, LS_LOOP_MIN_SPEED, LS_LOOP_MAX_SPEED);
  if (self->run != NULL)
    ls_loop_set_speed (session_loop (self), speed);
  if (self->speed == speed)
    return;
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

gint64
ls_session_get_now (LsSession *self)
{
  gint64 end;

  g_return_val_if_fail (LS_IS_SESSION (self), 0);
  if (self->interpreter == NULL)
    return 0;
  end = ls_interpreter_get_end_time (self->interpreter);
  if (self->run != NULL && !self->finished)
    return MAX (end, ls_loop_get_paced_time_ns (session_loop (self)));
  if (self->python_run != NULL)
    return MAX (end, ls_python_run_get_now (self->python_run));
  return end;
}

/* ---- the cursor and the selection -------------------------------------------- */

gint64
ls_session_get_cursor (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), -1);
  return self->cursor;
}

void
ls_session_set_cursor (LsSession *self,
                       gint64     time_ns)
{
  g_return_if_fail (LS_IS_SESSION (self));

  time_ns = MAX (time_ns, -1);
  if (self->cursor == time_ns && self->cursor_record == 0)
    return;
  self->cursor = time_ns;
  self->cursor_record = 0;
  /* the lane filter's states are those at the cursor */
  if (self->layout != NULL)
    ls_lane_layout_set_filter_time (self->layout, time_ns);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
}

const LsTraceState *
ls_session_get_cursor_state (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  if (self->interpreter == NULL)
    return NULL;
  if (self->cursor_record > 0)
    return ls_interpreter_state_at_record (self->interpreter, self->cursor_record);
  return ls_interpreter_state_at (self->interpreter, self->cursor);
}

/* A cursor between two records of one instant: what the iteration view
 * scrubs through, and where a console line's print lands. */
void
ls_session_set_cursor_record (LsSession *self,
                              guint64    n_records)
{
  guint64 n;

  g_return_if_fail (LS_IS_SESSION (self));

  if (self->trace == NULL)
    return;
  n = ls_trace_get_n_records (self->trace);
  if (n == 0)
    return;
  n_records = CLAMP (n_records, 1, n);
  if (self->cursor_record == n_records)
    return;
  self->cursor_record = n_records;
  self->cursor = ls_trace_get_record (self->trace, n_records - 1)->time;
  if (self->layout != NULL)
    ls_lane_layout_set_filter_time (self->layout, self->cursor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
}

guint64
ls_session_get_cursor_record (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), 0);
  return self->cursor_record;
}

/* How many records the cursor is after (every one: it follows the run). */
guint64
ls_session_get_cursor_n_records (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), 0);
  if (self->trace == NULL)
    return 0;
  if (self->cursor_record > 0)
    return self->cursor_record;
  if (self->cursor < 0)
    return ls_trace_get_n_records (self->trace);
  return ls_trace_find_time (self->trace, self->cursor == G_MAXINT64 ? G_MAXINT64
                                                                     : self->cursor + 1);
}

int
ls_session_get_selected_lane (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), -1);
  return self->selected_lane;
}

void
ls_session_set_selected_lane (LsSession *self,
                              int        lane)
{
  g_return_if_fail (LS_IS_SESSION (self));

  if (self->interpreter == NULL || lane < 0
      || (guint) lane >= ls_interpreter_get_n_lanes (self->interpreter))
    lane = -1;
  if (self->selected_lane == lane)
    return;
  self->selected_lane = lane;
  if (self->related_only && self->layout != NULL)
    ls_lane_layout_set_related_to (self->layout, lane);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_LANE]);
}

LsLaneLayout *
ls_session_get_layout (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->layout;
}

gboolean
ls_session_get_related_only (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), FALSE);
  return self->related_only;
}

void
ls_session_set_related_only (LsSession *self,
                             gboolean   related_only)
{
  g_return_if_fail (LS_IS_SESSION (self));

  related_only = !!related_only;
  if (self->related_only == related_only)
    return;
  self->related_only = related_only;
  if (self->layout != NULL)
    ls_lane_layout_set_related_to (self->layout, related_only ? self->selected_lane : -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RELATED_ONLY]);
}

guint32
ls_session_get_selected_task (LsSession *self)
{
  const LsTimelineLane *lane;

  g_return_val_if_fail (LS_IS_SESSION (self), 0);
  if (self->selected_lane < 0)
    return 0;
  lane = ls_interpreter_get_lane (self->interpreter, self->selected_lane);
  return lane->kind == LS_TIMELINE_LANE_TASK ? lane->object_id : 0;
}

/* ---- the visible range ------------------------------------------------------- */

/* The end of the run on the axis shown: scenario time, or steps. */
static gint64
axis_now (LsSession *self)
{
  if (self->iterations && self->iteration_map != NULL)
    return ls_iteration_map_get_end (self->iteration_map);
  return ls_session_get_now (self);
}

gboolean
ls_session_get_iteration_view (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), FALSE);
  return self->iterations;
}

/* The iteration view shows the loop's iterations on the horizontal axis;
 * each axis keeps its own range, so switching back shows what it showed. */
void
ls_session_set_iteration_view (LsSession *self,
                               gboolean   iterations)
{
  gboolean fit;
  gint64 t0, t1;

  g_return_if_fail (LS_IS_SESSION (self));

  iterations = !!iterations;
  if (self->iterations == iterations)
    return;
  fit = self->fit, t0 = self->t0, t1 = self->t1;
  self->fit = self->other_fit, self->t0 = self->other_t0, self->t1 = self->other_t1;
  self->other_fit = fit, self->other_t0 = t0, self->other_t1 = t1;
  self->iterations = iterations;
  if (iterations && self->iteration_map == NULL && self->trace != NULL)
    self->iteration_map = ls_iteration_map_new (self->trace);
  self->followed_end = axis_now (self);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITERATION_VIEW]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

LsIterationMap *
ls_session_get_iteration_map (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), NULL);
  return self->iterations ? self->iteration_map : NULL;
}

void
ls_session_get_range (LsSession *self,
                      gint64    *t0,
                      gint64    *t1)
{
  gint64 end, span;

  g_return_if_fail (LS_IS_SESSION (self));

  end = axis_now (self);
  if (self->fit)
    {
      /* a little room right of the end, for the final marks */
      *t0 = 0;
      *t1 = end > 0 ? end + MAX (end / 25, LS_SESSION_MIN_RANGE_NS) : EMPTY_RANGE_NS;
      return;
    }
  /* following, a zoomed-in view slides as the run goes on, so its end
   * stays in sight */
  span = self->t1 - self->t0;
  if (self->follow && end > self->followed_end && end > self->t1 - span / 20)
    {
      self->t1 = end + span / 20;
      self->t0 = self->t1 - span;
    }
  self->followed_end = MAX (self->followed_end, end);
  *t0 = self->t0;
  *t1 = self->t1;
}

void
ls_session_set_range (LsSession *self,
                      gint64     t0,
                      gint64     t1)
{
  gint64 span;

  g_return_if_fail (LS_IS_SESSION (self));

  span = CLAMP (t1 - t0, LS_SESSION_MIN_RANGE_NS, LS_SESSION_MAX_RANGE_NS);
  self->t0 = t0;
  self->t1 = t0 + span;
  self->followed_end = axis_now (self);
  set_boolean (self, &self->fit, FALSE, PROP_FIT);
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

gboolean
ls_session_get_fit (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), TRUE);
  return self->fit;
}

void
ls_session_zoom_to_fit (LsSession *self)
{
  g_return_if_fail (LS_IS_SESSION (self));

  set_boolean (self, &self->fit, TRUE, PROP_FIT);
  set_boolean (self, &self->follow, TRUE, PROP_FOLLOW);
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

gboolean
ls_session_get_follow (LsSession *self)
{
  g_return_val_if_fail (LS_IS_SESSION (self), TRUE);
  return self->follow;
}

void
ls_session_set_follow (LsSession *self,
                       gboolean   follow)
{
  g_return_if_fail (LS_IS_SESSION (self));

  if (!follow && self->fit)
    {
      /* leaving fit mode keeps what is on screen */
      ls_session_get_range (self, &self->t0, &self->t1);
      set_boolean (self, &self->fit, FALSE, PROP_FIT);
    }
  set_boolean (self, &self->follow, follow, PROP_FOLLOW);
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

/* ---- GObject ----------------------------------------------------------------- */

static void
ls_session_dispose (GObject *object)
{
  clear_run (LS_SESSION (object));
  g_clear_object (&LS_SESSION (object)->layout);

  G_OBJECT_CLASS (ls_session_parent_class)->dispose (object);
}

static void
ls_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LsSession *self = LS_SESSION (object);

  switch (prop_id)
    {
    case PROP_INTERPRETER:
      g_value_set_object (value, self->interpreter);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->run != NULL || self->python_run != NULL);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_CURSOR:
      g_value_set_int64 (value, self->cursor);
      break;
    case PROP_SELECTED_LANE:
      g_value_set_int (value, self->selected_lane);
      break;
    case PROP_LAYOUT:
      g_value_set_object (value, self->layout);
      break;
    case PROP_RELATED_ONLY:
      g_value_set_boolean (value, self->related_only);
      break;
    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_ITERATION_VIEW:
      g_value_set_boolean (value, self->iterations);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LsSession *self = LS_SESSION (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      ls_session_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_SPEED:
      ls_session_set_speed (self, g_value_get_double (value));
      break;
    case PROP_CURSOR:
      ls_session_set_cursor (self, g_value_get_int64 (value));
      break;
    case PROP_SELECTED_LANE:
      ls_session_set_selected_lane (self, g_value_get_int (value));
      break;
    case PROP_FOLLOW:
      ls_session_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_RELATED_ONLY:
      ls_session_set_related_only (self, g_value_get_boolean (value));
      break;
    case PROP_ITERATION_VIEW:
      ls_session_set_iteration_view (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_session_class_init (LsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ls_session_dispose;
  object_class->get_property = ls_session_get_property;
  object_class->set_property = ls_session_set_property;

  properties[PROP_INTERPRETER] =
    g_param_spec_object ("interpreter", NULL, NULL, LS_TYPE_INTERPRETER, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE, ro);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0.0, LS_LOOP_MAX_SPEED, 1.0, rw);
  properties[PROP_CURSOR] =
    g_param_spec_int64 ("cursor", NULL, NULL, -1, G_MAXINT64, -1, rw);
  properties[PROP_SELECTED_LANE] =
    g_param_spec_int ("selected-lane", NULL, NULL, -1, G_MAXINT, -1, rw);
  properties[PROP_FIT] = g_param_spec_boolean ("fit", NULL, NULL, TRUE, ro);
  properties[PROP_FOLLOW] = g_param_spec_boolean ("follow", NULL, NULL, TRUE, rw);
  properties[PROP_LAYOUT] =
    g_param_spec_object ("layout", NULL, NULL, LS_TYPE_LANE_LAYOUT, ro);
  properties[PROP_RELATED_ONLY] =
    g_param_spec_boolean ("related-only", NULL, NULL, FALSE, rw);
  properties[PROP_ITERATION_VIEW] =
    g_param_spec_boolean ("iteration-view", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LsSession::loaded:
   *
   * A new run or trace replaced the old one (a new interpreter).
   */
  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  /**
   * LsSession::changed:
   *
   * The interpreter read a batch of new records: once per dispatch of the
   * loop, never per record.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  /**
   * LsSession::range-changed:
   *
   * The visible range was set, fitted or its following changed.
   */
  signals[RANGE_CHANGED] =
    g_signal_new ("range-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
ls_session_init (LsSession *self)
{
  self->speed = 1.0;
  self->cursor = -1;
  self->selected_lane = -1;
  self->fit = TRUE;
  self->follow = TRUE;
  self->t1 = EMPTY_RANGE_NS;
  self->other_fit = TRUE;
  self->other_t1 = EMPTY_RANGE_NS;
}

LsSession *
ls_session_new (void)
{
  return g_object_new (LS_TYPE_SESSION, NULL);
}
