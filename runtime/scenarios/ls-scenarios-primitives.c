/* SPDX-License-Identifier: MIT
 *
 * The chapter's synchronisation primitives section, and the graceful
 * shutdown example that uses an Event. Each primitive is a traced object:
 * the window gives it a lane with its owner, waiters and handoffs.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-primitives.h"
#include "ls-queue.h"
#include "ls-scenarios-private.h"

#define SECTION_PRIMITIVES N_("Synchronisation primitives")
#define SECTION_TIMEOUTS   N_("Timeouts and cancellation")

/* Runs @func once per name, as tasks created in order, and gathers them. */
static gboolean
gather_tasks (LsTaskFunc func,
              GPtrArray *args,
              GError   **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_autoptr(GPtrArray) results = NULL;

  /* each task is named after the label the chapter prints for it */
  for (guint i = 0; i < args->len; i++)
    {
      gpointer *pair = g_ptr_array_index (args, i);

      g_ptr_array_add (tasks, ls_task_create (pair[1], func, pair, NULL));
    }
  results = ls_gather ((LsFuture **) tasks->pdata, tasks->len, FALSE, error);
  return results != NULL;
}

/* The (object, name) argument a task of these listings gets; @args owns
 * the pair, @names the name. */
static gpointer *
add_named_arg (GPtrArray *args,
               GPtrArray *names,
               gpointer   object,
               char      *name)
{
  gpointer *pair = g_new (gpointer, 2);

  g_ptr_array_add (names, name);
  pair[0] = object;
  pair[1] = name;
  g_ptr_array_add (args, pair);
  return pair;
}

/* ---- lock --------------------------------------------------------------- */

typedef struct
{
  int     value;
  LsLock *lock;
  char   *name;
} SharedResource;

static GVariant *
increment (gpointer data,
           GError **error)
{
  SharedResource *resource = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];
  g_autoptr(LsLocker) locker = NULL;
  int current;

  ls_line (13);
  if ((locker = ls_lock_locker_new (resource->lock, error)) == NULL)  /* async with self.lock */
    return NULL;
  ls_line (14);
  ls_print (_("%s: acquired the lock"), name);
  current = resource->value;
  ls_line (16);
  if (!ls_sleep (ls_knob ("hold"), error))
    return NULL;
  resource->value = current + 1;
  ls_line (18);
  ls_print (_("%s: value is now %d"), name, resource->value);
  ls_line (19);
  ls_print (_("%s: releasing the lock"), name);
  return NULL;
}

static GVariant *
lock_main (gpointer data,
           GError **error)
{
  SharedResource resource = { 0 };
  int n = (int) ls_knob ("tasks");
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  resource.lock = ls_lock_new (NULL, "self.lock");
  for (int i = 0; i < n; i++)
    {
      add_named_arg (args, names, &resource, ls_task_label (i));
    }
  ls_line (30);
  ok = gather_tasks (increment, args, error);
  ls_lock_unref (resource.lock);
  if (!ok)
    return NULL;
  ls_line (32);
  ls_print (_("Final value: %d"), resource.value);
  return NULL;
}

/* ---- event -------------------------------------------------------------- */

static GVariant *
event_waiter (gpointer data,
              GError **error)
{
  LsEvent *event = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];

  ls_line (6);
  ls_print (_("%s: waiting for the event..."), name);
  ls_line (7);
  if (!ls_event_wait (event, error))
    return NULL;
  ls_line (8);
  ls_print (_("%s: the event is set!"), name);
  return NULL;
}

static GVariant *
event_setter (gpointer data,
              GError **error)
{
  double delay = ls_knob ("delay");

  ls_line (12);
  ls_print (_("Setter: waiting %g seconds..."), delay);
  ls_line (13);
  if (!ls_sleep (delay, error))
    return NULL;
  ls_line (14);
  ls_print (_("Setter: setting the event!"));
  ls_line (15);
  ls_event_set (data);
  return NULL;
}

static GVariant *
event_main (gpointer data,
            GError **error)
{
  g_autoptr(LsEvent) event = ls_event_new (NULL, "event");
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(LsTask) setter_task = NULL;
  int n = (int) ls_knob ("waiters");

  ls_line (28);
  setter_task = ls_task_create ("setter", event_setter, event, NULL);
  /* gather(*waiters, setter_task): the waiter coroutines become tasks now */
  for (int i = 0; i < n; i++)
    {
      gpointer *pair = add_named_arg (args, names, event, g_strdup_printf (_("Waiter %d"), i));

      g_ptr_array_add (tasks, ls_task_create (pair[1], event_waiter, pair, NULL));
    }
  g_ptr_array_add (tasks, ls_task_ref (setter_task));
  ls_line (31);
  results = ls_gather ((LsFuture **) tasks->pdata, tasks->len, FALSE, error);
  return NULL;
}

/* ---- queue -------------------------------------------------------------- */

static GVariant *
producer (gpointer data,
          GError **error)
{
  LsQueue *queue = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];
  LsLoop *loop = ls_loop_current ();
  int items = (int) ls_knob ("items");

  for (int i = 0; i < items; i++)
    {
      g_autofree char *item = g_strdup_printf (_("%s-item%d"), name, i);

      ls_line (9);
      if (!ls_queue_put (queue, g_variant_new_string (item), error))
        return NULL;
      ls_line (10);
      ls_print (_("%s: produced %s"), name, item);
      ls_line (11);
      if (!ls_sleep (ls_loop_random_uniform (loop, 0.1, 0.5), error))
        return NULL;
    }
  return NULL;
}

static GVariant *
consumer (gpointer data,
          GError **error)
{
  LsQueue *queue = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];
  LsLoop *loop = ls_loop_current ();

  for (;;)
    {
      g_autoptr(GVariant) item = NULL;

      ls_line (16);
      if ((item = ls_queue_get (queue, error)) == NULL)
        return NULL;
      ls_line (17);
      ls_print (_("%s: consumed %s"), name, g_variant_get_string (item, NULL));
      ls_line (18);
      if (!ls_sleep (ls_loop_random_uniform (loop, 0.2, 0.8), error))
        return NULL;
      ls_line (19);
      ls_queue_task_done (queue, NULL);
    }
}

static GVariant *
queue_main (gpointer data,
            GError **error)
{
  g_autoptr(LsQueue) queue = ls_queue_new (NULL, "queue", (gint) ls_knob ("maxsize"));
  g_autoptr(GPtrArray) producers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_autoptr(GPtrArray) consumers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) ended = NULL;
  int n_producers = (int) ls_knob ("producers");
  int n_consumers = (int) ls_knob ("consumers");

  for (int i = 0; i < n_producers + n_consumers; i++)
    {
      gboolean is_producer = i < n_producers;
      char *name = g_strdup_printf (is_producer ? _("Producer %d") : _("Consumer %d"),
                                    is_producer ? i : i - n_producers);
      gpointer *pair = add_named_arg (args, names, queue, name);

      ls_line (is_producer ? 27 : 32);
      g_ptr_array_add (is_producer ? producers : consumers,
                       ls_task_create (pair[1], is_producer ? producer : consumer, pair, NULL));
    }
  ls_line (37);
  results = ls_gather ((LsFuture **) producers->pdata, producers->len, FALSE, error);
  if (results == NULL)
    return NULL;
  ls_line (40);
  if (!ls_queue_join (queue, error))
    return NULL;
  for (guint i = 0; i < consumers->len; i++)
    {
      ls_line (44);
      ls_task_cancel ((LsTask *) g_ptr_array_index (consumers, i), NULL);
    }
  /* asyncio.run() cancels what is left and waits for it; here the
   * consumers end cancelled before main returns, so their lanes close */
  ended = ls_gather ((LsFuture **) consumers->pdata, consumers->len, TRUE, NULL);
  return NULL;
}

/* ---- semaphore ---------------------------------------------------------- */

static GVariant *
limited_task (gpointer data,
              GError **error)
{
  LsSemaphore *semaphore = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];
  g_autoptr(LsLocker) locker = NULL;

  ls_line (6);
  if ((locker = ls_semaphore_locker_new (semaphore, error)) == NULL)
    return NULL;
  ls_line (7);
  ls_print (_("%s: started"), name);
  ls_line (8);
  if (!ls_sleep (ls_knob ("work"), error))
    return NULL;
  ls_line (9);
  ls_print (_("%s: finished"), name);
  return NULL;
}

static GVariant *
semaphore_main (gpointer data,
                GError **error)
{
  g_autoptr(LsSemaphore) semaphore = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int n = (int) ls_knob ("tasks");

  ls_line (14);
  semaphore = ls_semaphore_new (NULL, "semaphore", (gint) ls_knob ("size"), NULL);
  for (int i = 0; i < n; i++)
    {
      add_named_arg (args, names, semaphore, ls_task_label (i));
    }
  ls_line (22);
  gather_tasks (limited_task, args, error);
  return NULL;
}

/* ---- graceful-shutdown -------------------------------------------------- */

static GVariant *
worker (gpointer data,
        GError **error)
{
  LsEvent *running = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];

  ls_line (7);
  ls_print (_("%s: starting"), name);
  while (ls_event_is_set (running))
    {
      ls_line (9);
      ls_print (_("%s: working..."), name);
      ls_line (10);
      if (!ls_sleep (1, error))
        return NULL;
      ls_line (8);
    }
  ls_line (11);
  ls_print (_("%s: shutting down"), name);
  return NULL;
}

static GVariant *
graceful_shutdown_main (gpointer data,
                        GError **error)
{
  g_autoptr(LsEvent) running = ls_event_new (NULL, "running");
  g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  double run_for = ls_knob ("run-for");

  ls_line (16);
  ls_event_set (running);
  for (int i = 0; i < (int) ls_knob ("workers"); i++)
    {
      gpointer *pair = add_named_arg (args, names, running, g_strdup_printf ("Worker%d", i));

      ls_line (20);
      g_ptr_array_add (workers, ls_task_create (pair[1], worker, pair, NULL));
    }
  ls_line (24);
  ls_print (_("Running for %g seconds..."), run_for);
  ls_line (25);
  if (!ls_sleep (run_for, error))
    return NULL;
  ls_line (27);
  ls_print (_("Stopping all work..."));
  ls_line (28);
  ls_event_clear (running);
  ls_line (31);
  if ((results = ls_gather ((LsFuture **) workers->pdata, workers->len, FALSE, error)) == NULL)
    return NULL;
  ls_line (32);
  ls_print (_("All work has stopped"));
  return NULL;
}

/* ---- the scenario descriptions ------------------------------------------ */

static const LsScenarioKnob lock_knobs[] = {
  { "tasks", N_("Tasks"), 5, 1, 50 },
  { "hold", N_("Time inside the lock (s)"), 0.1, 0, 10 },
};

const LsScenario ls_scenario_lock = {
  "lock", N_("Lock"), SECTION_PRIMITIVES,
  N_("Five tasks increment a shared counter under one lock. Watch the lock's lane: one owner "
     "at a time, the others queued in order, and each release handing the lock to the next "
     "waiter (the arrows). Without the lock every task would read 0 and the result would be 1."),
  lock_knobs, G_N_ELEMENTS (lock_knobs), FALSE, lock_main,
};

static const LsScenarioKnob event_knobs[] = {
  { "waiters", N_("Waiters"), 3, 1, 20 },
  { "delay", N_("Set after (s)"), 3, 0, 30 },
};

const LsScenario ls_scenario_event = {
  "event", N_("Event"), SECTION_PRIMITIVES,
  N_("Three waiters block on one Event; the setter sets it after 3 s and every waiter wakes, "
     "in the order they began to wait, in the next loop iteration."),
  event_knobs, G_N_ELEMENTS (event_knobs), FALSE, event_main,
};

static const LsScenarioKnob queue_knobs[] = {
  { "producers", N_("Producers"), 2, 1, 10 },
  { "consumers", N_("Consumers"), 3, 1, 10 },
  { "items", N_("Items per producer"), 5, 1, 50 },
  { "maxsize", N_("Queue size (0: unbounded)"), 10, 0, 100 },
};

const LsScenario ls_scenario_queue = {
  "queue", N_("Queue"), SECTION_PRIMITIVES,
  N_("Two producers put items, three consumers get them (random delays from the seed). The "
     "queue's lane shows its depth; a get on an empty queue waits until a put hands it an "
     "item. join() returns when every item is marked done, then main cancels the consumers."),
  queue_knobs, G_N_ELEMENTS (queue_knobs), TRUE, queue_main,
};

static const LsScenarioKnob semaphore_knobs[] = {
  { "tasks", N_("Tasks"), 10, 1, 100 },
  { "size", N_("Semaphore size"), 3, 1, 20 },
  { "work", N_("Work per task (s)"), 2, 0, 30 },
};

const LsScenario ls_scenario_semaphore = {
  "semaphore", N_("Semaphore"), SECTION_PRIMITIVES,
  N_("Ten tasks, three at a time: the semaphore's permits step down to 0, the others queue, and "
     "each release hands a permit straight to the next waiter."),
  semaphore_knobs, G_N_ELEMENTS (semaphore_knobs), FALSE, semaphore_main,
};

static const LsScenarioKnob shutdown_knobs[] = {
  { "workers", N_("Workers"), 3, 1, 20 },
  { "run-for", N_("Run for (s)"), 5, 0, 60 },
};

const LsScenario ls_scenario_graceful_shutdown = {
  "graceful-shutdown", N_("Graceful shutdown"), SECTION_TIMEOUTS,
  N_("Workers loop while an Event is set. Clearing it wakes nobody: each worker notices at its "
     "next check, after its current sleep, and leaves its loop; gather waits for all of them."),
  shutdown_knobs, G_N_ELEMENTS (shutdown_knobs), FALSE, graceful_shutdown_main,
};

/* ---- stress (benchmarks) ------------------------------------------------ */

typedef struct
{
  LsSemaphore *gate;
  int          rounds;
} StressShared;

static GVariant *
stress_worker (gpointer data,
               GError **error)
{
  StressShared *shared = data;
  LsLoop *loop = ls_loop_current ();

  for (int i = 0; i < shared->rounds; i++)
    {
      if (i % 4 == 0)
        {
          /* now and then through a narrow gate, so the primitive lane works */
          g_autoptr(LsLocker) locker = NULL;

          ls_line (8);
          if ((locker = ls_semaphore_locker_new (shared->gate, error)) == NULL)
            return NULL;
          ls_line (9);
          if (!ls_sleep (ls_loop_random_uniform (loop, 0.001, 0.01), error))
            return NULL;
        }
      else
        {
          ls_line (11);
          if (!ls_sleep (ls_loop_random_uniform (loop, 0.01, 0.5), error))
            return NULL;
        }
    }
  return NULL;
}

static GVariant *
stress_main (gpointer data,
             GError **error)
{
  StressShared shared;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_autoptr(GPtrArray) results = NULL;
  int n = (int) ls_knob ("tasks");

  shared.gate = ls_semaphore_new (NULL, "gate", (gint) ls_knob ("gate"), NULL);
  shared.rounds = (int) ls_knob ("rounds");
  for (int i = 0; i < n; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, stress_worker, &shared, NULL));
  ls_line (16);
  results = ls_gather ((LsFuture **) tasks->pdata, tasks->len, FALSE, error);
  ls_line (17);
  ls_print (_("%u tasks done"), tasks->len);
  ls_semaphore_unref (shared.gate);
  return NULL;
}

/* Up to a million tasks: bench/bench-stress.c runs 100,000 and 1,000,000 */
static const LsScenarioKnob stress_knobs[] = {
  { "tasks", N_("Tasks"), 10000, 1, 1000000 },
  { "rounds", N_("Rounds per task"), 12, 1, 1000 },
  { "gate", N_("Semaphore size"), 100, 1, 10000 },
};

const LsScenario ls_scenario_stress = {
  "stress", N_("Stress: 10,000 tasks"), N_("Benchmarks"),
  N_("Not from the chapter: 10,000 tasks sleeping at random, now and then through a semaphore "
     "of 100, over a million trace events. It shows how the timeline copes with big runs: "
     "zoom out and what is narrower than a pixel is merged."),
  stress_knobs, G_N_ELEMENTS (stress_knobs), TRUE, stress_main,
};
