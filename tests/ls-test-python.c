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

LsTrace *
ls_test_until_main_done (LsTrace *trace)
{
  LsTrace *copy = ls_trace_new ();
  LsTraceChunks *chunks = _ls_trace_get_chunks (copy);
  guint64 n = ls_trace_get_n_records (trace);
  guint32 main_task = 0;
  gboolean main_done = FALSE;

  for (guint32 i = 1; i < ls_trace_get_n_strings (trace); i++)
    g_assert_cmpuint (ls_trace_intern (copy, ls_trace_get_string (trace, i)), ==, i);
  for (guint64 i = 0; i < n; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == LS_TRACE_OBJECT_NEW && r->reason == LS_OBJECT_TASK && main_task == 0)
        main_task = r->object;
      if (r->kind == LS_TRACE_TASK_DONE && r->subject == main_task)
        main_done = TRUE;
      /* run_until_complete's done callback on the main task */
      if (main_done && r->kind == LS_TRACE_READY_PUSH && r->reason == LS_HANDLE_CALLBACK
          && r->peer == main_task)
        continue;
      ls_trace_append (chunks, r->time, r->kind, r->reason, r->subject, r->object, r->peer,
                       r->arg);
      if (main_done && r->kind == LS_TRACE_LOOP_ITERATION_END)
        break;
    }
  ls_trace_flush (copy);
  return copy;
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
