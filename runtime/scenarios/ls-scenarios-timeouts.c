/* SPDX-License-Identifier: MIT
 *
 * The chapter's section on timeouts and cancellation: wait_for and
 * asyncio.timeout, cleaning up after a cancellation (graceful shutdown is
 * in ls-scenarios-primitives.c).
 *
 * Each function reads like the listing next to it (data/scenarios/ID.py);
 * ls_line() marks where each task is in it. Printed text goes through
 * gettext: English source strings, and under a Chinese locale exactly what
 * the chapter's print() calls write.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

#define SECTION_TIMEOUTS  N_("Timeouts and cancellation")

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
  ls_cancel_after_and_await (_("Task"), task_with_cleanup, _("Cancelling the task"),
                          _("The task is cancelled"), error);
  return NULL;
}

/* ---- the scenario descriptions ------------------------------------------ */

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
