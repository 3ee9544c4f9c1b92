/* SPDX-License-Identifier: MIT
 *
 * A sweep: one knob over a range, a run to the end for each value.
 */
#include "config.h"

#include "ls-sweep.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ls-error.h"
#include "ls-runtime.h"

struct _LsSweep
{
  LsKnobs *knobs;   /* the other knobs' values, the swept one at its first */
  guint    knob;
  GArray  *points;  /* LsSweepPoint */
};

static gboolean
syntax_error (const char *spec,
              GError    **error)
{
  g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_SYNTAX,
               _("“%s”: expected NAME=FROM..TO or NAME=FROM..TO:STEP"), spec);
  return FALSE;
}

/* One end of the range, as --set would take it: the knob's own errors */
static gboolean
parse_end (LsKnobs    *knobs,
           const char *name,
           const char *text,
           double     *value,
           GError    **error)
{
  g_autofree char *assignment = g_strconcat (name, "=", text, NULL);
  int index;

  if (!ls_knobs_parse (knobs, assignment, error))
    return FALSE;
  index = ls_knobs_find (knobs, name);
  *value = ls_knobs_get_value (knobs, (guint) index);
  return TRUE;
}

static gboolean
parse_spec (LsSweep    *self,
            const char *spec,
            GError    **error)
{
  const LsScenario *scenario = ls_knobs_get_scenario (self->knobs);
  const char *equals = strchr (spec, '=');
  const char *dots;
  g_autofree char *name = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  const char *step_text;
  g_autoptr(LsKnobs) scratch = ls_knobs_copy (self->knobs);
  double from, to, step, count;
  int index;

  if (equals == NULL || equals == spec || (dots = strstr (equals + 1, "..")) == NULL)
    return syntax_error (spec, error);
  name = g_strndup (spec, equals - spec);
  from_text = g_strndup (equals + 1, dots - (equals + 1));
  step_text = strchr (dots + 2, ':');
  to_text = step_text != NULL ? g_strndup (dots + 2, step_text - (dots + 2))
                              : g_strdup (dots + 2);
  if (!parse_end (scratch, name, from_text, &from, error)
      || !parse_end (scratch, name, to_text, &to, error))
    return FALSE;
  index = ls_knobs_find (scratch, name);
  if (from >= to)
    {
      g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_BAD_VALUE,
                   _("“%s”: the range must go up (%s is not below %s)"), spec, from_text, to_text);
      return FALSE;
    }
  if (step_text != NULL)
    {
      if (!ls_knob_parse_decimal (step_text + 1, &step) || step <= 0
          || (ls_knob_get_info (scenario, (guint) index)->kind == LS_KNOB_INTEGER
              && step != floor (step)))
        {
          g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_BAD_VALUE,
                       _("“%s”: the step must be a number above 0 (a whole one for a count)"),
                       spec);
          return FALSE;
        }
    }
  else
    step = ls_knob_get_info (scenario, (guint) index)->kind == LS_KNOB_INTEGER ? 1
           : (to - from) / 10;

  /* the values from FROM up to TO, TO itself when a step lands on it
   * (to a nanosecond's rounding) */
  count = floor ((to - from) / step + 1e-9) + 1;
  if (count > LS_SWEEP_MAX_POINTS)
    {
      g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_BAD_VALUE,
                   _("“%s”: %.0f values; a sweep takes at most %d"), spec, count,
                   LS_SWEEP_MAX_POINTS);
      return FALSE;
    }
  self->knob = (guint) index;
  for (guint i = 0; i < (guint) count; i++)
    {
      LsSweepPoint point = { 0 };

      /* set_value rounds seconds to the nanosecond the run will use */
      if (!ls_knobs_set_value (scratch, self->knob, MIN (from + i * step, to), error))
        return FALSE;
      point.value = ls_knobs_get_value (scratch, self->knob);
      point.duration_ns = -1;
      g_array_append_val (self->points, point);
    }
  return TRUE;
}

LsSweep *
ls_sweep_new (const LsKnobs  *knobs,
              const char     *spec,
              GError        **error)
{
  g_autoptr(LsSweep) self = NULL;

  g_return_val_if_fail (knobs != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self = g_new0 (LsSweep, 1);
  self->knobs = ls_knobs_copy (knobs);
  self->points = g_array_new (FALSE, FALSE, sizeof (LsSweepPoint));
  if (!parse_spec (self, spec, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
ls_sweep_free (LsSweep *self)
{
  if (self == NULL)
    return;
  ls_knobs_free (self->knobs);
  g_array_unref (self->points);
  g_free (self);
}

gboolean
ls_sweep_run_point (LsSweep  *self,
                    guint     index,
                    guint32   seed,
                    GError  **error)
{
  const LsScenario *scenario;
  LsSweepPoint *point;
  g_autoptr(LsScenarioRun) run = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) result = NULL;
  LsTrace *trace;
  guint64 n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->points->len, FALSE);

  scenario = ls_knobs_get_scenario (self->knobs);
  point = &g_array_index (self->points, LsSweepPoint, index);
  run = ls_scenario_run_new (scenario, seed);
  /* the values were checked when the sweep was made */
  ls_knobs_set_value (self->knobs, self->knob, point->value, NULL);
  ls_knobs_apply (self->knobs, run);
  if (!ls_scenario_run_to_end (run, &local_error))
    {
      g_autofree char *value = ls_knob_format_value (scenario, self->knob, point->value);

      g_set_error (error, local_error->domain, local_error->code, "%s=%s: %s",
                   scenario->knobs[self->knob].name, value, local_error->message);
      return FALSE;
    }
  trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));
  n = ls_trace_get_n_records (trace);
  point->duration_ns = n > 0 ? ls_trace_get_record (trace, n - 1)->time : 0;
  result = ls_future_get_result (LS_FUTURE (ls_scenario_run_get_main_task (run)), &local_error);
  point->exception = local_error != NULL ? ls_error_get_python_name (local_error) : NULL;
  return TRUE;
}

gboolean
ls_sweep_run (LsSweep  *self,
              guint32   seed,
              GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->points->len; i++)
    if (!ls_sweep_run_point (self, i, seed, error))
      return FALSE;
  return TRUE;
}

const LsScenario *
ls_sweep_get_scenario (const LsSweep *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return ls_knobs_get_scenario (self->knobs);
}

guint
ls_sweep_get_knob (const LsSweep *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->knob;
}

guint
ls_sweep_get_n_points (const LsSweep *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->points->len;
}

const LsSweepPoint *
ls_sweep_get_point (const LsSweep *self,
                    guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->points->len, NULL);
  return &g_array_index (self->points, LsSweepPoint, index);
}

char *
ls_sweep_describe_others (const LsSweep *self)
{
  const LsScenario *scenario;
  g_autoptr(LsKnobs) others = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  scenario = ls_knobs_get_scenario (self->knobs);
  others = ls_knobs_copy (self->knobs);
  ls_knobs_set_value (others, self->knob, scenario->knobs[self->knob].default_value, NULL);
  return ls_knobs_describe (others);
}
