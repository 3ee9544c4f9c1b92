/* SPDX-License-Identifier: MIT
 *
 * Every scenario, in the chapter's order, and the small helpers they share.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ls-scenarios-private.h"

extern const LsScenario ls_scenario_sync_vs_async;
extern const LsScenario ls_scenario_concurrency_vs_parallelism;
extern const LsScenario ls_scenario_hello_world;
extern const LsScenario ls_scenario_event_loop;
extern const LsScenario ls_scenario_coroutine_object;
extern const LsScenario ls_scenario_greet;
extern const LsScenario ls_scenario_serial_vs_concurrent;
extern const LsScenario ls_scenario_gather_wait_as_completed;
extern const LsScenario ls_scenario_async_context_manager;
extern const LsScenario ls_scenario_task_status;
extern const LsScenario ls_scenario_task_cancel;
extern const LsScenario ls_scenario_future;
extern const LsScenario ls_scenario_timeout;
extern const LsScenario ls_scenario_cancel_cleanup;
extern const LsScenario ls_scenario_python_vs_js;
extern const LsScenario ls_scenario_lock;
extern const LsScenario ls_scenario_blocking_read;
extern const LsScenario ls_scenario_blocking_read_fixed;
extern const LsScenario ls_scenario_file_io;
extern const LsScenario ls_scenario_http_fetch;
extern const LsScenario ls_scenario_downloader;
extern const LsScenario ls_scenario_scheduler;
extern const LsScenario ls_scenario_producer_consumer;
extern const LsScenario ls_scenario_stress;
extern const LsScenario ls_scenario_event;
extern const LsScenario ls_scenario_queue;
extern const LsScenario ls_scenario_semaphore;
extern const LsScenario ls_scenario_graceful_shutdown;
extern const LsScenario ls_scenario_task_group;

const LsScenario *const ls_all_scenarios[] = {
  &ls_scenario_sync_vs_async,
  &ls_scenario_blocking_read,
  &ls_scenario_blocking_read_fixed,
  &ls_scenario_concurrency_vs_parallelism,
  &ls_scenario_hello_world,
  &ls_scenario_event_loop,
  &ls_scenario_coroutine_object,
  &ls_scenario_greet,
  &ls_scenario_serial_vs_concurrent,
  &ls_scenario_gather_wait_as_completed,
  &ls_scenario_task_group,
  &ls_scenario_file_io,
  &ls_scenario_http_fetch,
  &ls_scenario_async_context_manager,
  &ls_scenario_task_status,
  &ls_scenario_task_cancel,
  &ls_scenario_future,
  &ls_scenario_lock,
  &ls_scenario_event,
  &ls_scenario_queue,
  &ls_scenario_semaphore,
  &ls_scenario_timeout,
  &ls_scenario_cancel_cleanup,
  &ls_scenario_graceful_shutdown,
  &ls_scenario_python_vs_js,
  &ls_scenario_downloader,
  &ls_scenario_scheduler,
  &ls_scenario_producer_consumer,
  &ls_scenario_stress,
  NULL
};

char *
ls_task_label (int n)
{
  return g_strdup_printf (_("Task %d"), n);
}

const char *
ls_result_str (LsFuture *future)
{
  return g_variant_get_string (ls_future_peek_result (future), NULL);
}

char *
ls_py_str_list_repr (GPtrArray *strings)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (out, "%s'%s'", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (strings, i));
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* repr(float): the shortest decimal that reads back as the same double */
char *
ls_py_float_repr (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  if (strchr (buf, '.') == NULL && strchr (buf, 'e') == NULL)
    g_strlcat (buf, ".0", sizeof buf);
  return g_strdup (buf);
}

/* The main() of both cancellation listings (任务取消, 任务取消示例): start the
 * task, sleep, cancel it, await it and report that it was cancelled. They
 * differ only in their strings; the listings' lines are the same. */
gboolean
ls_cancel_after_and_await (const char *name,
                           LsTaskFunc  func,
                           const char *cancelling,
                           const char *cancelled,
                           GError    **error)
{
  g_autoptr(LsTask) task = NULL;
  g_autoptr(GVariant) r = NULL;
  GError *local_error = NULL;

  ls_line (21);
  task = ls_task_create (name, func, NULL, NULL);
  ls_line (24);
  if (!ls_sleep (ls_knob ("cancel-after"), error))
    return FALSE;
  ls_line (25);
  ls_print_text (cancelling);
  ls_line (26);
  ls_task_cancel (task, NULL);
  ls_line (29);
  r = ls_task_await (task, &local_error);
  if (ls_error_is_cancelled (local_error))
    {
      g_clear_error (&local_error);
      ls_line (31);
      ls_print_text (cancelled);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}
