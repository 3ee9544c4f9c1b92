/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "ls-test-python.h"

#include "ls-loop.h"

LsPythonRun *
ls_test_run_python (const char *path,
                    double      speed)
{
  g_autofree char *full = g_path_is_absolute (path)
                          ? g_strdup (path) : g_test_build_filename (G_TEST_DIST, path, NULL);
  LsPythonRun *run = ls_python_run_new (full, NULL, speed);
  g_autoptr(GError) error = NULL;

  if (!ls_python_run_run_to_end (run, &error))
    g_error ("%s: %s\n%s", path, error->message, ls_python_run_get_stderr (run));
  return run;
}

char *
ls_test_describe_lanes (LsInterpreter *interpreter)
{
  GString *out = g_string_new (NULL);

  for (guint l = 0; l < ls_interpreter_get_n_lanes (interpreter); l++)
    {
      const LsTimelineLane *lane = ls_interpreter_get_lane (interpreter, l);

      if (lane->kind != LS_TIMELINE_LANE_TASK)
        continue;
      g_string_append_printf (out, "  %s (depth %u):", lane->label, lane->depth);
      for (guint s = 0; s < lane->spans->len; s++)
        {
          const LsTimelineSpan *span = &g_array_index (lane->spans, LsTimelineSpan, s);

          g_string_append_printf (out, " [%.3f %s%s%s]", span->start_ns / 1e9,
                                  ls_task_state_name (span->state),
                                  span->state == LS_TASK_STATE_WAITING ? ":" : "",
                                  span->state == LS_TASK_STATE_WAITING
                                  ? ls_wait_reason_name (span->wait_reason) : "");
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
