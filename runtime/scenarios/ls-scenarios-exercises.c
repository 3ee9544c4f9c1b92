/* SPDX-License-Identifier: MIT
 *
 * Exercises 2 and 3 of the chapter: the task scheduler and the
 * producer-consumer system. The scheduler does what the exercise asks
 * (the chapter's answer never re-runs a retried task, and its cancel()
 * does nothing to a task that has not started): retried tasks run again
 * after the retry delay, and cancelling works before and during a run.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-queue.h"
#include "ls-scenarios-private.h"

#define SECTION_EXERCISES N_("Exercises")

/* ---- scheduler (exercise 2) --------------------------------------------- */

typedef enum
{
  STATUS_PENDING,
  STATUS_RUNNING,
  STATUS_COMPLETED,
  STATUS_FAILED,
  STATUS_CANCELLED,
} TaskStatus;

typedef struct
{
  char       *name;        /* the task's label, e.g. 任务3(会失败) */
  char       *job;         /* what sample_task is told, e.g. 任务3 */
  double      duration;
  gboolean    fail;
  double      run_at;
  int         max_retries;
  int         retries;
  TaskStatus  status;
  LsTask     *task;
} ScheduledTask;

typedef struct
{
  GPtrArray *tasks;        /* ScheduledTask, owned */
  gboolean   running;
  LsTask    *worker_task;
} Scheduler;

static void
scheduled_task_free (gpointer data)
{
  ScheduledTask *t = data;

  g_clear_pointer (&t->task, ls_task_unref);
  g_free (t->name);
  g_free (t->job);
  g_free (t);
}

/* sample_task(name, duration, fail) */
static gboolean
sample_task (ScheduledTask *t,
             GError       **error)
{
  ls_line (161);
  ls_print (_("[%s] running..."), t->job);
  ls_line (162);
  if (!ls_sleep (t->duration, error))
    return FALSE;
  if (t->fail)
    {
      ls_line (165);
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME, _("%s simulated failure"),
                   t->job);
      return FALSE;
    }
  ls_line (167);
  ls_print (_("[%s] finished running"), t->job);
  return TRUE;
}

static GVariant *
execute (gpointer data,
         GError **error)
{
  ScheduledTask *t = data;
  GError *local_error = NULL;

  t->status = STATUS_RUNNING;
  ls_line (39);
  ls_print (_("[%s] starting"), t->name);
  ls_line (42);
  if (sample_task (t, &local_error))
    {
      t->status = STATUS_COMPLETED;
      ls_line (45);
      ls_print (_("[%s] succeeded"), t->name);
      return NULL;
    }
  if (ls_error_is_cancelled (local_error))
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_line (48);
  ls_print (_("[%s] failed: %s"), t->name, local_error->message);
  g_clear_error (&local_error);
  if (t->retries < t->max_retries)
    {
      t->retries++;
      ls_line (53);
      ls_print (_("[%s] retry %d/%d"), t->name, t->retries, t->max_retries);
      t->status = STATUS_PENDING;
      t->run_at = ls_loop_time (ls_loop_current ()) + ls_knob ("retry-delay");
    }
  else
    {
      t->status = STATUS_FAILED;
      ls_line (58);
      ls_print (_("[%s] gave up after the maximum number of retries"), t->name);
    }
  return NULL;
}

static void
scheduled_task_cancel (ScheduledTask *t)
{
  if (t->status == STATUS_COMPLETED || t->status == STATUS_FAILED
      || t->status == STATUS_CANCELLED)
    return;
  if (t->task != NULL && !ls_future_is_done (LS_FUTURE (t->task)))
    ls_task_cancel (t->task, NULL);
  t->status = STATUS_CANCELLED;
  ls_line (65);
  ls_print (_("[%s] cancelled"), t->name);
}

static void
schedule (Scheduler  *scheduler,
          const char *name,
          const char *job,
          double      duration,
          gboolean    fail,
          double      delay,
          int         max_retries)
{
  ScheduledTask *t = g_new0 (ScheduledTask, 1);

  t->name = g_strdup (name);
  t->job = g_strdup (job);
  t->duration = duration;
  t->fail = fail;
  t->run_at = ls_loop_time (ls_loop_current ()) + delay;
  t->max_retries = max_retries;
  g_ptr_array_add (scheduler->tasks, t);
  ls_line (99);
  ls_print (_("[Scheduler] added task: %s (delay %g s)"), name, delay);
}

static gboolean
still_listed (gpointer item,
              gpointer unused)
{
  ScheduledTask *t = item;

  return t->status == STATUS_PENDING || t->status == STATUS_RUNNING;
}

static GVariant *
scheduler_worker (gpointer data,
                  GError **error)
{
  Scheduler *scheduler = data;

  while (scheduler->running || scheduler->tasks->len > 0)
    {
      double now = ls_loop_time (ls_loop_current ());

      for (guint i = 0; i < scheduler->tasks->len; i++)
        {
          ScheduledTask *t = g_ptr_array_index (scheduler->tasks, i);

          if (t->run_at <= now && t->status == STATUS_PENDING)
            {
              /* it stays listed, so that a retry can run again */
              t->status = STATUS_RUNNING;
              g_clear_pointer (&t->task, ls_task_unref);
              ls_line (111);
              t->task = ls_task_create (t->name, execute, t, NULL);
            }
        }
      /* drop what is done, failed or cancelled */
      for (guint i = scheduler->tasks->len; i-- > 0;)
        if (!still_listed (g_ptr_array_index (scheduler->tasks, i), NULL))
          g_ptr_array_remove_index (scheduler->tasks, i);
      ls_line (119);
      if (!ls_sleep (0.1, error))
        return NULL;
    }
  return NULL;
}

static GVariant *
scheduler_main (gpointer data,
                GError **error)
{
  Scheduler scheduler = { g_ptr_array_new (), FALSE, NULL };
  g_autoptr(GPtrArray) finished = g_ptr_array_new_with_free_func (scheduled_task_free);
  g_autoptr(GVariant) r = NULL;
  g_autofree char *t1 = ls_task_label (1);
  g_autofree char *t2 = ls_task_label (2);
  g_autofree char *t3 = ls_task_label (3);
  g_autofree char *t4 = ls_task_label (4);
  g_autofree char *t3_fails = g_strdup_printf (_("%s (will fail)"), t3);
  gboolean ok = TRUE;

  /* await scheduler.start() */
  scheduler.running = TRUE;
  ls_line (127);
  ls_print (_("[Scheduler] started"));
  ls_line (128);
  scheduler.worker_task = ls_task_create ("_worker", scheduler_worker, &scheduler, NULL);

  schedule (&scheduler, t1, t1, 1, FALSE, 1, 0);
  schedule (&scheduler, t2, t2, 2, FALSE, 2, 0);
  schedule (&scheduler, t3_fails, t3, 1, TRUE, 3, (int) ls_knob ("max-retries"));
  schedule (&scheduler, t4, t4, 1, FALSE, 10, 0);
  /* the scheduler forgets finished tasks; the scenario keeps them to free */
  for (guint i = 0; i < scheduler.tasks->len; i++)
    g_ptr_array_add (finished, g_ptr_array_index (scheduler.tasks, i));

  ls_line (188);
  if (!ls_sleep (ls_knob ("run-for"), error))
    ok = FALSE;

  if (ok)
    {
      /* cancel what has not run yet */
      for (guint i = 0; i < scheduler.tasks->len; i++)
        {
          ScheduledTask *t = g_ptr_array_index (scheduler.tasks, i);

          if (t->status == STATUS_PENDING)
            scheduled_task_cancel (t);
        }

      /* await scheduler.stop() */
      scheduler.running = FALSE;
      ls_line (133);
      ls_print (_("[Scheduler] stopping..."));
      ls_line (136);
      if ((r = ls_task_await (scheduler.worker_task, error)) == NULL && *error != NULL)
        ok = FALSE;
    }
  if (ok)
    {
      for (guint i = 0; i < scheduler.tasks->len; i++)
        {
          ScheduledTask *t = g_ptr_array_index (scheduler.tasks, i);

          if (t->status == STATUS_PENDING)
            scheduled_task_cancel (t);
        }
      ls_line (143);
      ls_print (_("[Scheduler] stopped"));
    }
  /* tasks still running (a long knob value) finish cancelled, like
   * asyncio.run() leaves nothing behind */
  for (guint i = 0; i < finished->len; i++)
    {
      ScheduledTask *t = g_ptr_array_index (finished, i);

      if (t->task != NULL && !ls_future_is_done (LS_FUTURE (t->task)))
        {
          g_autoptr(GVariant) ignored = NULL;

          ls_task_cancel (t->task, NULL);
          ignored = ls_task_await (t->task, NULL);
        }
    }
  if (!ls_future_is_done (LS_FUTURE (scheduler.worker_task)))
    {
      g_autoptr(GVariant) ignored = NULL;

      ls_task_cancel (scheduler.worker_task, NULL);
      ignored = ls_task_await (scheduler.worker_task, NULL);
    }
  ls_task_unref (scheduler.worker_task);
  g_ptr_array_unref (scheduler.tasks);
  return NULL;
}

/* ---- producer-consumer (exercise 3) ------------------------------------- */

typedef struct
{
  char    *name;
  LsQueue *queue;
  double   low, high;
  gboolean running;
  int      produced;   /* consumed, for a consumer */
  int      max_items;
  LsTask  *task;
} Worker;

static void
worker_free (gpointer data)
{
  Worker *w = data;

  g_clear_pointer (&w->task, ls_task_unref);
  g_free (w->name);
  g_free (w);
}

static GVariant *
produce_run (gpointer data,
             GError **error)
{
  Worker *p = data;
  LsLoop *loop = ls_loop_current ();
  int item_id = 1;
  GError *local_error = NULL;

  p->running = TRUE;
  while (p->running)
    {
      g_autofree char *content = NULL;
      g_autofree char *repr = NULL;

      if (p->max_items > 0 && item_id > p->max_items)
        {
          ls_line (63);
          ls_print (_("[%s] reached the maximum number of items"), p->name);
          break;
        }
      if (ls_queue_full (p->queue))
        {
          ls_line (68);
          ls_print (_("[%s] queue full, waiting..."), p->name);
          ls_line (69);
          if (!ls_sleep (0.5, &local_error))
            break;
          continue;
        }
      content = g_strdup_printf (_("%s-product%d"), p->name, item_id);
      repr = g_strdup_printf ("DataItem(id=%d, content='%s')", item_id, content);
      /* produce(): the production time, then put */
      ls_line (44);
      if (!ls_sleep (ls_loop_random_uniform (loop, p->low, p->high), &local_error))
        break;
      ls_line (46);
      if (!ls_queue_put (p->queue, g_variant_new_string (repr), &local_error))
        break;
      p->produced++;
      ls_line (48);
      ls_print (_("[%s] produced: %s (total: %d)"), p->name, repr, p->produced);
      item_id++;
    }
  if (ls_error_is_cancelled (local_error))
    {
      ls_line (77);
      ls_print (_("[%s] was cancelled"), p->name);
    }
  g_clear_error (&local_error);  /* run() catches CancelledError */
  ls_line (79);
  ls_print (_("[%s] stopped producing (total: %d)"), p->name, p->produced);
  return NULL;
}

static GVariant *
queue_get_task (gpointer data,
                GError **error)
{
  return ls_queue_get (data, error);
}

static GVariant *
consume_run (gpointer data,
             GError **error)
{
  Worker *c = data;
  LsLoop *loop = ls_loop_current ();
  GError *local_error = NULL;

  c->running = TRUE;
  while (c->running)
    {
      g_autoptr(LsTask) get = NULL;
      g_autoptr(GVariant) item = NULL;
      GError *get_error = NULL;

      /* consume(): the processing time, then wait_for(queue.get(), 1.0) */
      ls_line (125);
      if (!ls_sleep (ls_loop_random_uniform (loop, c->low, c->high), &local_error))
        break;
      get = ls_task_create ("queue.get()", queue_get_task, c->queue, NULL);
      ls_line (128);
      item = ls_wait_for (LS_FUTURE (get), 1.0, &get_error);
      if (item != NULL)
        {
          c->produced++;
          ls_line (130);
          ls_print (_("[%s] consumed: %s (total: %d)"), c->name, g_variant_get_string (item, NULL),
                    c->produced);
          ls_queue_task_done (c->queue, NULL);
        }
      else if (g_error_matches (get_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
        g_clear_error (&get_error);  /* the queue was idle */
      else
        {
          local_error = get_error;
          break;
        }
    }
  if (ls_error_is_cancelled (local_error))
    {
      ls_line (145);
      ls_print (_("[%s] was cancelled"), c->name);
    }
  g_clear_error (&local_error);
  ls_line (147);
  ls_print (_("[%s] stopped consuming (total: %d)"), c->name, c->produced);
  return NULL;
}

static gboolean
worker_stop (Worker  *w,
             GError **error)
{
  w->running = FALSE;
  if (w->task != NULL && !ls_future_is_done (LS_FUTURE (w->task)))
    {
      g_autoptr(GVariant) r = NULL;
      GError *local_error = NULL;

      ls_line (158);
      ls_task_cancel (w->task, NULL);
      ls_line (160);
      r = ls_task_await (w->task, &local_error);
      if (local_error != NULL && !ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      g_clear_error (&local_error);
    }
  return TRUE;
}

static GVariant *
producer_consumer_main (gpointer data,
                        GError **error)
{
  int queue_size = (int) ls_knob ("queue-size");
  int n_producers = (int) ls_knob ("producers");
  int n_consumers = (int) ls_knob ("consumers");
  g_autoptr(LsQueue) queue = ls_queue_new (NULL, "self.queue", queue_size);
  g_autoptr(GPtrArray) producers = g_ptr_array_new_with_free_func (worker_free);
  g_autoptr(GPtrArray) consumers = g_ptr_array_new_with_free_func (worker_free);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  int total_produced = 0, total_consumed = 0;

  for (int i = 0; i < n_producers + n_consumers; i++)
    {
      gboolean is_producer = i < n_producers;
      Worker *w = g_new0 (Worker, 1);

      w->name = g_strdup_printf (is_producer ? _("Producer %d") : _("Consumer %d"),
                                 (is_producer ? i : i - n_producers) + 1);
      w->queue = queue;
      w->low = is_producer ? 0.2 : 0.3;   /* the chapter's setup() values */
      w->high = is_producer ? 0.8 : 1.0;
      w->max_items = (int) ls_knob ("items");
      g_ptr_array_add (is_producer ? producers : consumers, w);
    }

  ls_line (225);
  ls_print (_("=== Starting the producer-consumer system ==="));
  ls_print (_("Queue size: %d"), queue_size);
  ls_print (_("Producers: %d"), n_producers);
  ls_print (_("Consumers: %d"), n_consumers);
  ls_print_text ("");

  for (guint i = 0; i < producers->len; i++)
    {
      Worker *p = g_ptr_array_index (producers, i);

      p->task = ls_task_create (p->name, produce_run, p, NULL);
      g_ptr_array_add (tasks, p->task);
    }
  for (guint i = 0; i < consumers->len; i++)
    {
      Worker *c = g_ptr_array_index (consumers, i);

      c->task = ls_task_create (c->name, consume_run, c, NULL);
    }
  ls_line (243);
  if ((results = ls_gather ((LsFuture **) tasks->pdata, tasks->len, FALSE, error)) == NULL)
    return NULL;

  ls_line (245);
  ls_print (_("\n=== All producers are done ==="));
  ls_line (248);
  ls_print (_("Waiting for the consumers to process the remaining items..."));
  ls_line (249);
  if (!ls_queue_join (queue, error))
    return NULL;
  for (guint i = 0; i < consumers->len; i++)
    if (!worker_stop (g_ptr_array_index (consumers, i), error))
      return NULL;

  ls_line (256);
  ls_print (_("\n=== Statistics ==="));
  for (guint i = 0; i < producers->len; i++)
    total_produced += ((Worker *) g_ptr_array_index (producers, i))->produced;
  for (guint i = 0; i < consumers->len; i++)
    total_consumed += ((Worker *) g_ptr_array_index (consumers, i))->produced;
  ls_line (259);
  ls_print (_("Total produced: %d"), total_produced);
  ls_print (_("Total consumed: %d"), total_consumed);
  ls_print (_("Left in the queue: %u"), ls_queue_qsize (queue));
  return NULL;
}

/* ---- the scenario descriptions ------------------------------------------ */

static const LsScenarioKnob scheduler_knobs[] = {
  { "max-retries", N_("Retries of task 3"), 2, 0, 10 },
  { "retry-delay", N_("Retry after (s)"), 5, 0, 30 },
  { "run-for", N_("Cancel the rest after (s)"), 8, 0, 60 },
};

const LsScenario ls_scenario_scheduler = {
  "scheduler", N_("Exercise 2: task scheduler"), SECTION_EXERCISES,
  N_("A worker task polls every 0.1 s and starts each task when it is due. Task 3 fails and is "
     "retried after 5 s; at 8 s main cancels what has not run, including that retry. The "
     "chapter's answer would never re-run a retried task and could not cancel one that had not "
     "started; this scenario does both (lower the retry delay to see every retry)."),
  scheduler_knobs, G_N_ELEMENTS (scheduler_knobs), FALSE, scheduler_main,
};

static const LsScenarioKnob producer_consumer_knobs[] = {
  { "queue-size", N_("Queue size"), 10, 1, 100 },
  { "producers", N_("Producers"), 2, 1, 10 },
  { "consumers", N_("Consumers"), 3, 1, 10 },
  { "items", N_("Items per producer"), 10, 1, 100 },
};

const LsScenario ls_scenario_producer_consumer = {
  "producer-consumer", N_("Exercise 3: producers and consumers"), SECTION_EXERCISES,
  N_("Producers and consumers share a bounded queue (random timings from the seed). Each "
     "consumer's get is wrapped in wait_for with a 1 s timeout, so an idle consumer gives up and "
     "tries again; when the producers are done, join() waits for the queue to drain and the "
     "consumers are cancelled. Every item produced is consumed exactly once."),
  producer_consumer_knobs, G_N_ELEMENTS (producer_consumer_knobs), TRUE, producer_consumer_main,
};
