/* SPDX-License-Identifier: MIT
 *
 * The chapter's examples that need only sleep, tasks, futures and the
 * combinators. Each function reads like the listing next to it
 * (data/scenarios/ID.py); ls_line() marks where each task is in it.
 * Printed text goes through gettext: English source strings, and under a
 * Chinese locale exactly what the chapter's print() calls write.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

/* ---- sync-vs-async ------------------------------------------------------ */

static void
sync_task (const char *name,
           double      duration,
           int         line)
{
  ls_line (line);
  ls_print (_("%s started"), name);
  ls_line (line + 1);
  ls_blocking_sleep (duration);  /* time.sleep: the whole loop waits */
  ls_line (line + 2);
  ls_print (_("%s finished"), name);
}

static GVariant *
async_task (gpointer data,
            GError **error)
{
  const char *name = data;
  double duration = g_str_has_suffix (name, "1") ? 2 : g_str_has_suffix (name, "2") ? 1 : 1.5;

  ls_line (23);
  ls_print (_("%s started"), name);
  ls_line (24);
  if (!ls_sleep (duration, error))
    return NULL;
  ls_line (25);
  ls_print (_("%s finished"), name);
  return NULL;
}

static GVariant *
sync_vs_async_main (gpointer data,
                    GError **error)
{
  LsLoop *loop = ls_loop_current ();
  static const double durations[] = { 2, 1, 1.5 };
  LsFuture *tasks[3];
  g_autoptr(GPtrArray) results = NULL;
  double start = ls_loop_time (loop);

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = ls_task_label (i + 1);

      ls_line (12 + i);
      sync_task (name, durations[i], 7);
    }
  ls_line (15);
  ls_print (_("Total time: %.2f s"), ls_loop_time (loop) - start);

  /* asyncio.run(main()) */
  start = ls_loop_time (loop);
  for (int i = 0; i < 3; i++)
    {
      char *label = ls_task_label (i + 1);

      tasks[i] = LS_FUTURE (ls_task_create (label, async_task, label, g_free));
    }
  ls_line (30);
  results = ls_gather (tasks, 3, FALSE, error);
  for (int i = 0; i < 3; i++)
    ls_future_unref (tasks[i]);
  if (results == NULL)
    return NULL;
  ls_line (35);
  ls_print (_("Total time: %.2f s"), ls_loop_time (loop) - start);
  return NULL;
}

/* ---- hello-world -------------------------------------------------------- */

static GVariant *
hello_world_main (gpointer data,
                  GError **error)
{
  ls_line (15);
  ls_print_text ("Hello");
  ls_line (16);
  if (!ls_sleep (1, error))
    return NULL;
  ls_line (17);
  ls_print_text ("World");
  return NULL;
}

/* ---- event-loop --------------------------------------------------------- */

static GVariant *
event_loop_task (gpointer data,
                 GError **error)
{
  int n = GPOINTER_TO_INT (data);
  int base = n == 1 ? 6 : 13;
  g_autofree char *name = ls_task_label (n);

  ls_line (base);
  ls_print (_("%s started"), name);
  ls_line (base + 1);
  if (!ls_sleep (n, error))
    return NULL;
  ls_line (base + 2);
  ls_print (_("%s finished"), name);
  return g_variant_new_take_string (g_strdup_printf (_("Result %d"), n));
}

static GVariant *
event_loop_main (gpointer data,
                 GError **error)
{
  g_autoptr(LsTask) t1 = NULL;
  g_autoptr(LsTask) t2 = NULL;
  g_autoptr(GVariant) r1 = NULL;
  g_autoptr(GVariant) r2 = NULL;

  ls_line (22);
  ls_print (_("Event loop: %s"), "<_UnixSelectorEventLoop running=True closed=False debug=False>");
  ls_line (25);
  t1 = ls_task_create ("task1()", event_loop_task, GINT_TO_POINTER (1), NULL);
  t2 = ls_task_create ("task2()", event_loop_task, GINT_TO_POINTER (2), NULL);
  ls_line (29);
  if ((r1 = ls_task_await (t1, error)) == NULL)
    return NULL;
  ls_line (30);
  if ((r2 = ls_task_await (t2, error)) == NULL)
    return NULL;
  ls_line (32);
  ls_print (_("Result 1: %s, result 2: %s"), g_variant_get_string (r1, NULL),
            g_variant_get_string (r2, NULL));
  return NULL;
}

/* ---- coroutine-object --------------------------------------------------- */

static GVariant *
coroutine_function (GError **error)
{
  ls_line (8);
  ls_print (_("Coroutine started"));
  ls_line (9);
  if (!ls_sleep (1, error))
    return NULL;
  ls_line (10);
  ls_print (_("Coroutine finished"));
  return g_variant_new_string (_("Coroutine result"));
}

static GVariant *
coroutine_object_main (gpointer data,
                       GError **error)
{
  g_autoptr(GVariant) result = NULL;

  /* coro = coroutine_function(): nothing runs yet; printing it shows an
   * object, not a result. CPython shows the object's address; a run must
   * print the same bytes every time, so this one is made of the task's
   * trace id, the same in every run. */
  ls_line (15);
  ls_print ("<coroutine object coroutine_function at 0x7f%010x>",
            0x40000u + 0x40u * ls_task_get_id (ls_task_current ()));
  ls_line (16);
  ls_print_text ("<class 'coroutine'>");
  /* async def main(): result = await coro */
  ls_line (20);
  if ((result = coroutine_function (error)) == NULL)
    return NULL;
  ls_line (21);
  ls_print_text (g_variant_get_string (result, NULL));
  return NULL;
}

/* ---- greet -------------------------------------------------------------- */

static GVariant *
greet (const char *name,
       GError    **error)
{
  ls_line (7);
  if (!ls_sleep (1, error))
    return NULL;
  ls_line (8);
  return g_variant_new_take_string (g_strdup_printf ("Hello, %s!", name));
}

static GVariant *
greet_task (gpointer data,
            GError **error)
{
  return greet (data, error);
}

static GVariant *
greet_main (gpointer data,
            GError **error)
{
  g_autoptr(GVariant) r1 = NULL;
  g_autoptr(GVariant) r2 = NULL;
  g_autoptr(LsTask) task = NULL;

  ls_line (13);
  if ((r1 = greet ("Python", error)) == NULL)   /* direct await */
    return NULL;
  ls_line (14);
  ls_print_text (g_variant_get_string (r1, NULL));
  ls_line (17);
  task = ls_task_create ("greet(\"JavaScript\")", greet_task, (gpointer) "JavaScript", NULL);
  ls_line (18);
  if ((r2 = ls_task_await (task, error)) == NULL)
    return NULL;
  ls_line (19);
  ls_print_text (g_variant_get_string (r2, NULL));
  return NULL;
}

/* ---- serial-vs-concurrent ----------------------------------------------- */

typedef struct
{
  int    id;
  double delay;
} FetchedData;

static GVariant *
fetch_data (int      id,
            GError **error)
{
  double delay = ls_loop_random_uniform (ls_loop_current (), 0.5, 2.0);

  ls_line (8);
  if (!ls_sleep (delay, error))
    return NULL;
  ls_line (9);
  return g_variant_new ("(id)", id, delay);
}

static GVariant *
fetch_data_task (gpointer data,
                 GError **error)
{
  return fetch_data (GPOINTER_TO_INT (data), error);
}

static gboolean
process_data (GVariant *data,
              GError  **error)
{
  int id;
  double delay;
  g_autofree char *delay_repr = NULL;
  g_autofree char *label = NULL;
  g_autofree char *dict = NULL;

  g_variant_get (data, "(id)", &id, &delay);
  ls_line (13);
  if (!ls_sleep (0.5, error))
    return FALSE;
  delay_repr = ls_py_float_repr (delay);
  label = g_strdup_printf (_("Data %d"), id);
  ls_line (14);
  /* the repr of the chapter's dict */
  dict = g_strdup_printf ("{'id': %d, 'data': '%s', 'delay': %s}", id, label, delay_repr);
  ls_print (_("Processing: %s"), dict);
  return TRUE;
}

static GVariant *
serial_vs_concurrent_main (gpointer data,
                           GError **error)
{
  LsLoop *loop = ls_loop_current ();
  g_autoptr(GVariant) d1 = NULL;
  g_autoptr(GVariant) d2 = NULL;
  g_autoptr(GPtrArray) results = NULL;
  LsFuture *tasks[2];
  double start;

  ls_line (19);
  ls_print (_("=== Serial ==="));
  start = ls_loop_time (loop);
  ls_line (21);
  if ((d1 = fetch_data (1, error)) == NULL)
    return NULL;
  ls_line (22);
  if (!process_data (d1, error))
    return NULL;
  ls_line (23);
  if ((d2 = fetch_data (2, error)) == NULL)
    return NULL;
  ls_line (24);
  if (!process_data (d2, error))
    return NULL;
  ls_line (25);
  ls_print (_("Elapsed: %.2f\n"), ls_loop_time (loop) - start);

  ls_line (28);
  ls_print (_("=== Concurrent ==="));
  start = ls_loop_time (loop);
  tasks[0] = LS_FUTURE (ls_task_create ("fetch_data(1)", fetch_data_task, GINT_TO_POINTER (1), NULL));
  tasks[1] = LS_FUTURE (ls_task_create ("fetch_data(2)", fetch_data_task, GINT_TO_POINTER (2), NULL));
  ls_line (32);
  results = ls_gather (tasks, 2, FALSE, error);
  ls_future_unref (tasks[0]);
  ls_future_unref (tasks[1]);
  if (results == NULL)
    return NULL;
  ls_line (33);
  if (!process_data (ls_future_peek_result (g_ptr_array_index (results, 0)), error))
    return NULL;
  ls_line (34);
  if (!process_data (ls_future_peek_result (g_ptr_array_index (results, 1)), error))
    return NULL;
  ls_line (35);
  ls_print (_("Elapsed: %.2f s"), ls_loop_time (loop) - start);
  return NULL;
}

/* ---- gather-wait-as-completed ------------------------------------------- */

static GVariant *
named_task (const char *name,
            double      delay,
            GError    **error)
{
  ls_line (6);
  ls_print (_("%s started"), name);
  ls_line (7);
  if (!ls_sleep (delay, error))
    return NULL;
  ls_line (8);
  ls_print (_("%s finished"), name);
  ls_line (9);
  return g_variant_new_take_string (g_strdup_printf (_("%s result"), name));
}

typedef struct
{
  const char *name;
  double      delay;
} NamedTask;

static GVariant *
named_task_run (gpointer data,
                GError **error)
{
  NamedTask *t = data;

  return named_task (t->name, t->delay, error);
}

static LsFuture *
spawn_named (const char *name,
             double      delay)
{
  NamedTask *t = g_new (NamedTask, 1);

  t->name = name;
  t->delay = delay;
  return LS_FUTURE (ls_task_create (name, named_task_run, t, g_free));
}

/* the string result of a future known to hold one */
static const char *
result_str (LsFuture *future)
{
  return g_variant_get_string (ls_future_peek_result (future), NULL);
}

static GVariant *
gather_wait_as_completed_main (gpointer data,
                               GError **error)
{
  LsFuture *abc[3], *de[2], *ghi[3];
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(LsFuture) f = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(LsAsCompleted) it = NULL;
  g_autofree char *list = NULL;
  GError *local_error = NULL;

  ls_line (15);
  ls_print_text ("=== gather ===");
  abc[0] = spawn_named ("A", 1);
  abc[1] = spawn_named ("B", 2);
  abc[2] = spawn_named ("C", 1.5);
  ls_line (16);
  results = ls_gather (abc, 3, FALSE, error);
  for (int i = 0; i < 3; i++)
    ls_future_unref (abc[i]);
  if (results == NULL)
    return NULL;
  for (guint i = 0; i < results->len; i++)
    g_ptr_array_add (strings, (gpointer) result_str (g_ptr_array_index (results, i)));
  list = ls_py_str_list_repr (strings);
  ls_line (21);
  ls_print (_("Results: %s"), list);

  ls_line (24);
  ls_print_text ("\n=== wait ===");
  de[0] = spawn_named ("D", 1);
  de[1] = spawn_named ("E", 2);
  ls_line (29);
  if (!ls_wait (de, 2, LS_NO_TIMEOUT, LS_ALL_COMPLETED, &done, NULL, error))
    return NULL;
  /* done is a set in Python, in no particular order: here, the tasks' order */
  for (guint i = 0; i < done->len; i++)
    {
      ls_line (31);
      ls_print (_("Done: %s"), result_str (g_ptr_array_index (done, i)));
    }
  ls_future_unref (de[0]);
  ls_future_unref (de[1]);

  ls_line (34);
  ls_print_text ("\n=== wait_for ===");
  f = spawn_named ("F", 5);
  ls_line (36);
  r = ls_wait_for (f, 2, &local_error);
  if (r != NULL)
    {
      ls_line (37);
      ls_print (_("Result: %s"), g_variant_get_string (r, NULL));
    }
  else if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
    {
      g_clear_error (&local_error);
      ls_line (39);
      ls_print (_("Task timed out"));
    }
  else
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  ls_line (42);
  ls_print_text ("\n=== as_completed ===");
  ghi[0] = spawn_named ("G", 3);
  ghi[1] = spawn_named ("H", 1);
  ghi[2] = spawn_named ("I", 2);
  it = ls_as_completed_new (ghi, 3, LS_NO_TIMEOUT);
  for (int i = 0; i < 3; i++)
    ls_future_unref (ghi[i]);
  while (ls_as_completed_has_next (it))
    {
      g_autoptr(GVariant) result = NULL;

      ls_line (49);
      if ((result = ls_as_completed_next (it, NULL, error)) == NULL)
        return NULL;
      ls_line (50);
      ls_print (_("Done: %s"), g_variant_get_string (result, NULL));
    }
  return NULL;
}

/* ---- async-context-manager ---------------------------------------------- */

static GVariant *
async_context_manager_main (gpointer data,
                            GError **error)
{
  GError *body_error = NULL;

  /* async with AsyncResource() as resource: __aenter__ */
  ls_line (9);
  ls_print (_("Acquiring the resource..."));
  ls_line (10);
  if (!ls_sleep (0.5, error))
    return NULL;
  /* the body */
  ls_line (22);
  ls_print (_("Using the resource..."));
  ls_line (23);
  ls_sleep (1, &body_error);
  /* __aexit__ runs whether the body succeeded or not */
  ls_line (15);
  ls_print (_("Releasing the resource..."));
  ls_line (16);
  if (!ls_sleep (0.5, error))
    {
      g_clear_error (&body_error);
      return NULL;
    }
  if (body_error != NULL)
    g_propagate_error (error, body_error);
  return NULL;
}

/* ---- task-status -------------------------------------------------------- */

static GVariant *
background_task (gpointer data,
                 GError **error)
{
  int n = GPOINTER_TO_INT (data);
  g_autofree char *name = ls_task_label (n);

  ls_line (6);
  ls_print (_("%s started"), name);
  ls_line (7);
  if (!ls_sleep (n == 1 ? 2 : 1, error))
    return NULL;
  ls_line (8);
  ls_print (_("%s finished"), name);
  ls_line (9);
  return g_variant_new_take_string (g_strdup_printf (_("%s result"), name));
}

static const char *
py_bool (gboolean value)
{
  return value ? "True" : "False";
}

static GVariant *
task_status_main (gpointer data,
                  GError **error)
{
  g_autoptr(LsTask) task1 = NULL;
  g_autoptr(LsTask) task2 = NULL;
  g_autoptr(GVariant) r1 = NULL;
  g_autoptr(GVariant) r2 = NULL;

  ls_line (15);
  task1 = ls_task_create ("task1", background_task, GINT_TO_POINTER (1), NULL);
  ls_line (16);
  task2 = ls_task_create ("task2", background_task, GINT_TO_POINTER (2), NULL);
  ls_line (19);
  ls_print ("task1.done(): %s", py_bool (ls_future_is_done (LS_FUTURE (task1))));
  ls_line (20);
  ls_print ("task2.done(): %s", py_bool (ls_future_is_done (LS_FUTURE (task2))));
  ls_line (23);
  if ((r1 = ls_task_await (task1, error)) == NULL)
    return NULL;
  ls_line (24);
  if ((r2 = ls_task_await (task2, error)) == NULL)
    return NULL;
  ls_line (26);
  ls_print ("task1.done(): %s", py_bool (ls_future_is_done (LS_FUTURE (task1))));
  ls_line (27);
  ls_print ("task2.done(): %s", py_bool (ls_future_is_done (LS_FUTURE (task2))));
  ls_line (30);
  ls_print ("task1.result(): %s", result_str (LS_FUTURE (task1)));
  ls_line (31);
  ls_print ("task2.result(): %s", result_str (LS_FUTURE (task2)));
  return NULL;
}

/* ---- task-cancel -------------------------------------------------------- */

static GVariant *
cancellable_task (gpointer data,
                  GError **error)
{
  const char *name = _("Long task");
  int steps = (int) (ls_knob ("duration") * 10);
  GError *local_error = NULL;

  ls_line (7);
  ls_print (_("%s started"), name);
  for (int i = 0; i < steps; i++)
    {
      ls_line (9);
      if (!ls_sleep (0.1, &local_error))
        goto cancelled;
      ls_line (10);
      ls_print (_("%s: progress %d/%d"), name, i + 1, steps);
    }
  ls_line (11);
  ls_print (_("%s finished"), name);
  ls_line (12);
  return g_variant_new_take_string (g_strdup_printf (_("%s succeeded"), name));

cancelled:
  ls_line (14);
  ls_print (_("%s was cancelled"), name);
  ls_line (15);
  g_propagate_error (error, local_error);  /* raise */
  return NULL;
}

/* The main() of both cancellation listings (任务取消, 任务取消示例): start the
 * task, sleep, cancel it, await it and report that it was cancelled. They
 * differ only in their strings; the listings' lines are the same. */
static gboolean
cancel_after_and_await (const char *name,
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

static GVariant *
task_cancel_main (gpointer data,
                  GError **error)
{
  cancel_after_and_await (_("Long task"), cancellable_task, _("Cancelling the task..."),
                          _("The task was cancelled"), error);
  return NULL;
}

/* ---- future ------------------------------------------------------------- */

static GVariant *
set_future (gpointer data,
            GError **error)
{
  ls_line (6);
  ls_print (_("Starting work..."));
  ls_line (7);
  if (!ls_sleep (2, error))
    return NULL;
  ls_line (8);
  ls_future_set_result (data, g_variant_new_string (_("Work done")), NULL);
  ls_line (9);
  ls_print (_("Future set"));
  return NULL;
}

static GVariant *
wait_for_future (gpointer data,
                 GError **error)
{
  g_autoptr(GVariant) result = NULL;

  ls_line (13);
  ls_print (_("Waiting for the future..."));
  ls_line (14);
  if ((result = ls_future_await (data, error)) == NULL)
    return NULL;
  ls_line (15);
  ls_print (_("Future result: %s"), g_variant_get_string (result, NULL));
  return NULL;
}

static GVariant *
future_main (gpointer data,
             GError **error)
{
  g_autoptr(LsFuture) future = NULL;
  g_autoptr(GPtrArray) results = NULL;
  LsFuture *both[2];

  ls_line (21);
  future = ls_future_new (ls_loop_current (), "future");
  both[0] = LS_FUTURE (ls_task_create ("set_future", set_future, future, NULL));
  both[1] = LS_FUTURE (ls_task_create ("wait_for_future", wait_for_future, future, NULL));
  ls_line (24);
  results = ls_gather (both, 2, FALSE, error);
  ls_future_unref (both[0]);
  ls_future_unref (both[1]);
  return NULL;
}

/* ---- timeout ------------------------------------------------------------ */

typedef struct
{
  char  *name;
  double duration;
} SlowOperation;

static GVariant *
slow_operation (const char *name,
                double      duration,
                GError    **error)
{
  ls_line (6);
  ls_print (_("%s: started (%g s)"), name, duration);
  ls_line (7);
  if (!ls_sleep (duration, error))
    return NULL;
  ls_line (8);
  ls_print (_("%s: finished"), name);
  ls_line (9);
  return g_variant_new_take_string (g_strdup_printf (_("%s result"), name));
}

static GVariant *
slow_operation_run (gpointer data,
                    GError **error)
{
  SlowOperation *op = data;

  return slow_operation (op->name, op->duration, error);
}

static void
slow_operation_free (gpointer data)
{
  SlowOperation *op = data;

  g_free (op->name);
  g_free (op);
}

static GVariant *
timeout_main (gpointer data,
              GError **error)
{
  SlowOperation *op = g_new0 (SlowOperation, 1);
  g_autoptr(LsTask) inner = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) result2 = NULL;
  g_autofree char *name2 = ls_task_label (2);
  LsTimeoutScope *scope;
  GError *local_error = NULL;

  /* way 1: wait_for */
  op->name = ls_task_label (1);
  op->duration = ls_knob ("operation");
  inner = ls_task_create (op->name, slow_operation_run, op, slow_operation_free);
  ls_line (16);
  result = ls_wait_for (LS_FUTURE (inner), ls_knob ("timeout"), &local_error);
  if (result != NULL)
    {
      ls_line (20);
      ls_print (_("Result: %s"), g_variant_get_string (result, NULL));
    }
  else if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
    {
      g_autofree char *name1 = ls_task_label (1);

      g_clear_error (&local_error);
      ls_line (22);
      ls_print (_("%s timed out"), name1);
    }
  else
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  /* way 2: async with asyncio.timeout(2) -- not caught in the chapter, so
   * the program ends with TimeoutError */
  ls_line (25);
  scope = ls_timeout_enter (ls_knob ("timeout"));
  ls_line (26);
  result2 = slow_operation (name2, ls_knob ("operation"), &local_error);
  ls_line (25);
  ls_timeout_exit (scope, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return NULL;
}

/* ---- cancel-cleanup ----------------------------------------------------- */

static GVariant *
task_with_cleanup (gpointer data,
                   GError **error)
{
  const char *name = _("Task");
  GError *local_error = NULL;

  ls_line (7);
  ls_print (_("%s: started"), name);
  for (int i = 0; i < 10; i++)
    {
      ls_line (9);
      if (!ls_sleep (1, &local_error))
        goto cancelled;
      ls_line (10);
      ls_print (_("%s: step %d/10"), name, i + 1);
    }
  return NULL;

cancelled:
  ls_line (12);
  ls_print (_("%s: cancelled, cleaning up..."), name);
  ls_line (13);
  if (!ls_sleep (ls_knob ("cleanup"), error))
    {
      g_clear_error (&local_error);
      return NULL;
    }
  ls_line (14);
  ls_print (_("%s: cleanup done"), name);
  ls_line (15);
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
cancel_cleanup_main (gpointer data,
                     GError **error)
{
  cancel_after_and_await (_("Task"), task_with_cleanup, _("Cancelling the task"),
                          _("The task is cancelled"), error);
  return NULL;
}

/* ---- python-vs-js ------------------------------------------------------- */

static GVariant *
js_fetch_data (gpointer data,
               GError **error)
{
  ls_line (6);
  if (!ls_sleep (1, error))
    return NULL;
  ls_line (7);
  return g_variant_new_take_string (g_strdup_printf (_("Data %d"), GPOINTER_TO_INT (data)));
}

static GVariant *
some_coroutine (GError **error)
{
  ls_line (21);
  ls_print (_("The coroutine starts running"));
  ls_line (22);
  if (!ls_sleep (0.5, error))
    return NULL;
  ls_line (23);
  return g_variant_new_string (_("Done"));
}

static GVariant *
some_coroutine_task (gpointer data,
                     GError **error)
{
  return some_coroutine (error);
}

static GVariant *
python_vs_js_main (gpointer data,
                   GError **error)
{
  LsFuture *tasks[3];
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();
  g_autofree char *list = NULL;
  g_autoptr(LsTask) task = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) r2 = NULL;

  /* gather, like Promise.all */
  for (int i = 0; i < 3; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "fetch_data(%d)", i + 1);
      tasks[i] = LS_FUTURE (ls_task_create (name, js_fetch_data, GINT_TO_POINTER (i + 1), NULL));
    }
  ls_line (10);
  results = ls_gather (tasks, 3, FALSE, error);
  for (int i = 0; i < 3; i++)
    ls_future_unref (tasks[i]);
  if (results == NULL)
    return NULL;
  for (guint i = 0; i < results->len; i++)
    g_ptr_array_add (strings, (gpointer) result_str (g_ptr_array_index (results, i)));
  list = ls_py_str_list_repr (strings);
  ls_line (15);
  ls_print_text (list);

  /* a created task starts at the next loop iteration; a bare coroutine
   * only when it is awaited */
  ls_line (27);
  task = ls_task_create ("some_coroutine()", some_coroutine_task, NULL, NULL);
  ls_line (28);
  ls_print (_("The task is created"));
  ls_line (31);
  ls_print (_("The coroutine object is created"));
  ls_line (33);
  if ((r = ls_task_await (task, error)) == NULL)
    return NULL;
  ls_line (34);
  if ((r2 = some_coroutine (error)) == NULL)
    return NULL;
  ls_print_text (g_variant_get_string (r2, NULL));
  return NULL;
}

/* ---- the scenario descriptions ------------------------------------------ */

#define SECTION_CONCEPTS  N_("Asynchronous programming concepts")
#define SECTION_BASICS    N_("asyncio basics")
#define SECTION_FUNCTIONS N_("Async functions")
#define SECTION_IO        N_("Async I/O")
#define SECTION_TASKS     N_("Tasks and futures")
#define SECTION_TIMEOUTS  N_("Timeouts and cancellation")
#define SECTION_VS_JS     N_("Python vs JavaScript")

const LsScenario ls_scenario_sync_vs_async = {
  "sync-vs-async", N_("Sync vs async"), SECTION_CONCEPTS,
  N_("First three tasks call time.sleep: the loop is blocked (the band across every lane) and "
     "they run one after another, 4.5 s in all. Then the same work with asyncio.sleep and "
     "gather: the three waits overlap and it takes 2 s, the longest wait."),
  NULL, 0, FALSE, sync_vs_async_main,
};

const LsScenario ls_scenario_hello_world = {
  "hello-world", N_("Hello, world"), SECTION_BASICS,
  N_("One task: it prints, waits one second on a timer (the loop has nothing else to do), "
     "and prints again."),
  NULL, 0, FALSE, hello_world_main,
};

const LsScenario ls_scenario_event_loop = {
  "event-loop", N_("The event loop"), SECTION_BASICS,
  N_("create_task only schedules: both tasks start in the next loop iteration, while main "
     "goes on to await the first. The second task's sleep runs meanwhile, so the whole run "
     "takes 2 s, not 3."),
  NULL, 0, FALSE, event_loop_main,
};

const LsScenario ls_scenario_coroutine_object = {
  "coroutine-object", N_("Coroutine objects"), SECTION_BASICS,
  N_("Calling a coroutine function runs nothing: it makes a coroutine object. Its body only "
     "runs when main awaits it, inside main's own task (no new lane appears)."),
  NULL, 0, FALSE, coroutine_object_main,
};

const LsScenario ls_scenario_greet = {
  "greet", N_("Awaiting vs creating a task"), SECTION_FUNCTIONS,
  N_("Awaiting greet() directly runs it inside main's task; create_task gives it a lane of its "
     "own that starts in the next iteration. Both take one second each, one after the other."),
  NULL, 0, FALSE, greet_main,
};

const LsScenario ls_scenario_serial_vs_concurrent = {
  "serial-vs-concurrent", N_("Serial vs concurrent"), SECTION_FUNCTIONS,
  N_("The same two fetches, first awaited one after the other, then as two tasks gathered "
     "together: the concurrent half takes as long as the slower fetch. The delays are random "
     "(from the seed)."),
  NULL, 0, TRUE, serial_vs_concurrent_main,
};

const LsScenario ls_scenario_gather_wait_as_completed = {
  "gather-wait-as-completed", N_("gather, wait, wait_for, as_completed"), SECTION_FUNCTIONS,
  N_("gather returns results in argument order; wait returns when all are done; wait_for "
     "cancels F at its 2 s deadline; as_completed hands results over in the order they finish "
     "(H, I, G). Note: the chapter's listing names its loop variable `task`, which shadows the "
     "function task(), so CPython stops at the first gather with UnboundLocalError; this "
     "scenario runs what the listing means."),
  NULL, 0, FALSE, gather_wait_as_completed_main,
};

const LsScenario ls_scenario_async_context_manager = {
  "async-context-manager", N_("Async context managers"), SECTION_IO,
  N_("async with awaits __aenter__ before the body and __aexit__ after it, even when the body "
     "fails: 0.5 s to acquire, 1 s of use, 0.5 s to release."),
  NULL, 0, FALSE, async_context_manager_main,
};

const LsScenario ls_scenario_task_status = {
  "task-status", N_("Task status"), SECTION_TASKS,
  N_("Right after create_task both tasks are pending: they have not run yet. Awaiting task1 "
     "lets both run; task2 finishes first, and both results are there at 2 s."),
  NULL, 0, FALSE, task_status_main,
};

static const LsScenarioKnob task_cancel_knobs[] = {
  { "duration", N_("Task length (s)"), 10, 1, 60 },
  { "cancel-after", N_("Cancel after (s)"), 1, 0, 60 },
};

const LsScenario ls_scenario_task_cancel = {
  "task-cancel", N_("Cancelling a task"), SECTION_TASKS,
  N_("The task reports progress every 0.1 s. At 1 s main cancels it: the CancelledError "
     "arrives at the task's sleep, the task prints and re-raises it, and its lane ends "
     "cancelled."),
  task_cancel_knobs, G_N_ELEMENTS (task_cancel_knobs), FALSE, task_cancel_main,
};

const LsScenario ls_scenario_future = {
  "future", N_("Futures"), SECTION_TASKS,
  N_("One task waits on a bare Future; the other sets its result after 2 s, which wakes the "
     "waiter in the next loop iteration."),
  NULL, 0, FALSE, future_main,
};

static const LsScenarioKnob timeout_knobs[] = {
  { "operation", N_("Operation length (s)"), 5, 0, 60 },
  { "timeout", N_("Timeout (s)"), 2, 0, 60 },
};

const LsScenario ls_scenario_timeout = {
  "timeout", N_("Timeouts"), SECTION_TIMEOUTS,
  N_("wait_for cancels the slow operation at its 2 s deadline and raises TimeoutError, which "
     "main catches. The chapter's asyncio.timeout block is not in a try, so the second "
     "timeout ends the program with TimeoutError: main's lane ends failed."),
  timeout_knobs, G_N_ELEMENTS (timeout_knobs), FALSE, timeout_main,
};

static const LsScenarioKnob cancel_cleanup_knobs[] = {
  { "cancel-after", N_("Cancel after (s)"), 3, 0, 20 },
  { "cleanup", N_("Cleanup (s)"), 0.5, 0, 10 },
};

const LsScenario ls_scenario_cancel_cleanup = {
  "cancel-cleanup", N_("Cleaning up after cancellation"), SECTION_TIMEOUTS,
  N_("Cancelled at 3 s, the task catches CancelledError, awaits half a second of cleanup and "
     "re-raises; main's await returns only when the cleanup is over."),
  cancel_cleanup_knobs, G_N_ELEMENTS (cancel_cleanup_knobs), FALSE, cancel_cleanup_main,
};

const LsScenario ls_scenario_python_vs_js = {
  "python-vs-js", N_("Python vs JavaScript"), SECTION_VS_JS,
  N_("gather is Promise.all. Unlike a JavaScript promise, a created task only starts in the "
     "next loop iteration, and a bare coroutine object does nothing until it is awaited."),
  NULL, 0, FALSE, python_vs_js_main,
};

/* ---- concurrency-vs-parallelism ----------------------------------------- */

static GVariant *
cpu_bound (gpointer data,
           GError **error)
{
  const char *name = data;

  ls_line (13);
  ls_print (_("%s starts computing"), name);
  ls_line (14);
  ls_line (10);
  /* CPU-bound work: the task keeps the thread, the loop cannot switch */
  ls_blocking_sleep (ls_knob ("work"));
  ls_line (15);
  ls_print (_("%s done computing"), name);
  return NULL;
}

static GVariant *
io_bound (gpointer data,
          GError **error)
{
  const char *name = data;

  ls_line (18);
  ls_print (_("%s waits for I/O"), name);
  ls_line (19);
  if (!ls_sleep (ls_knob ("work"), error))
    return NULL;
  ls_line (20);
  ls_print (_("%s: I/O done"), name);
  return NULL;
}

static gboolean
gather_pair (LsTaskFunc  func,
             const char *a,
             const char *b,
             GError    **error)
{
  LsFuture *pair[2];
  g_autoptr(GPtrArray) results = NULL;

  pair[0] = LS_FUTURE (ls_task_create (a, func, (gpointer) a, NULL));
  pair[1] = LS_FUTURE (ls_task_create (b, func, (gpointer) b, NULL));
  results = ls_gather (pair, 2, FALSE, error);
  ls_future_unref (pair[0]);
  ls_future_unref (pair[1]);
  return results != NULL;
}

static GVariant *
concurrency_vs_parallelism_main (gpointer data,
                                 GError **error)
{
  LsLoop *loop = ls_loop_current ();
  double start = ls_loop_time (loop);

  ls_line (24);
  if (!gather_pair (cpu_bound, "A", "B", error))
    return NULL;
  ls_line (25);
  ls_print (_("CPU-bound: %.2f s"), ls_loop_time (loop) - start);
  start = ls_loop_time (loop);
  ls_line (28);
  if (!gather_pair (io_bound, "C", "D", error))
    return NULL;
  ls_line (29);
  ls_print (_("I/O-bound: %.2f s"), ls_loop_time (loop) - start);
  return NULL;
}

static const LsScenarioKnob concurrency_knobs[] = {
  { "work", N_("Work per task (s)"), 1, 0.1, 10 },
};

const LsScenario ls_scenario_concurrency_vs_parallelism = {
  "concurrency-vs-parallelism", N_("Concurrency vs parallelism"), SECTION_CONCEPTS,
  N_("Two CPU-bound coroutines never await, so each keeps the loop until it is done: they run "
     "one after the other (2 s). Two I/O-bound ones await, so their waits overlap (1 s). "
     "asyncio is concurrency on one thread, not parallelism."),
  concurrency_knobs, G_N_ELEMENTS (concurrency_knobs), FALSE, concurrency_vs_parallelism_main,
};
