/* SPDX-License-Identifier: MIT
 *
 * The chapter's section on async functions: awaiting versus creating a
 * task, serial versus concurrent, and the combinators (the TaskGroup
 * version is in ls-scenarios-taskgroup.c).
 *
 * Each function reads like the listing next to it (data/scenarios/ID.py);
 * ls_line() marks where each task is in it. Printed text goes through
 * gettext: English source strings, and under a Chinese locale exactly what
 * the chapter's print() calls write.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

#define SECTION_FUNCTIONS N_("Async functions")

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
    g_ptr_array_add (strings, (gpointer) ls_result_str (g_ptr_array_index (results, i)));
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
      ls_print (_("Done: %s"), ls_result_str (g_ptr_array_index (done, i)));
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

/* ---- the scenario descriptions ------------------------------------------ */

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
