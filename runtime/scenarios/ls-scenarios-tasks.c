/* SPDX-License-Identifier: MIT
 *
 * The chapter's section on tasks and futures: a task's status, cancelling
 * a task, a bare Future.
 *
 * Each function reads like the listing next to it (data/scenarios/ID.py);
 * ls_line() marks where each task is in it. Printed text goes through
 * gettext: English source strings, and under a Chinese locale exactly what
 * the chapter's print() calls write.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

#define SECTION_TASKS     N_("Tasks and futures")

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
  ls_print ("task1.result(): %s", ls_result_str (LS_FUTURE (task1)));
  ls_line (31);
  ls_print ("task2.result(): %s", ls_result_str (LS_FUTURE (task2)));
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

static GVariant *
task_cancel_main (gpointer data,
                  GError **error)
{
  ls_cancel_after_and_await (_("Long task"), cancellable_task, _("Cancelling the task..."),
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

/* ---- the scenario descriptions ------------------------------------------ */

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
