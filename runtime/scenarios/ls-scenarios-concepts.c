/* SPDX-License-Identifier: MIT
 *
 * The chapter's section on asynchronous programming concepts: blocking
 * versus awaiting, concurrency versus parallelism (the blocking read is in
 * ls-scenarios-io.c).
 *
 * Each function reads like the listing next to it (data/scenarios/ID.py);
 * ls_line() marks where each task is in it. Printed text goes through
 * gettext: English source strings, and under a Chinese locale exactly what
 * the chapter's print() calls write.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

#define SECTION_CONCEPTS  N_("Asynchronous programming concepts")

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

/* ---- the scenario descriptions ------------------------------------------ */

const LsScenario ls_scenario_sync_vs_async = {
  "sync-vs-async", N_("Sync vs async"), SECTION_CONCEPTS,
  N_("First three tasks call time.sleep: the loop is blocked (the band across every lane) and "
     "they run one after another, 4.5 s in all. Then the same work with asyncio.sleep and "
     "gather: the three waits overlap and it takes 2 s, the longest wait."),
  NULL, 0, FALSE, sync_vs_async_main,
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
