/* SPDX-License-Identifier: MIT
 *
 * Runtime benchmarks (see bench/run-runtime-bench.sh, which runs the same
 * work on CPython's asyncio in the same run and prints the ratios):
 *
 *   switch   100 tasks round-robin on sleep(0), 1,000,000 switches, trace on
 *   spawn    create and complete 100,000 tasks
 *   suspend  100,000 tasks suspended at once: resident memory per task
 *   lock     1,000 tasks x 100 rounds of acquire, sleep(0) holding the lock,
 *            release: ns per acquire/release (nearly every acquire waits and
 *            every release hands the lock over)
 *   queue0   1 producer, 1 consumer, 1,000,000 items through a Queue with
 *            maxsize 0: ns per item (put + get)
 *   queue100 the same with maxsize 100 (the producer blocks every 100 items)
 *            The items are taken from a pool of 1,024 GVariants made before
 *            the clock starts (the Python side puts ints from a list just
 *            the same): making a GVariant costs more than a put and a get
 *            together (~110 ns hot, ~240 ns with a million of them alive),
 *            which would measure GLib's allocator rather than the queue.
 *
 * Output: one line per benchmark, "NAME VALUE UNIT". Each timed line also
 * says how the process's CPU time splits per unit between user space and
 * the kernel (for the runtime, mostly the pages of the trace's memory).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ls-runtime.h"

static int rounds;

static GVariant *
switch_worker (gpointer data, GError **error)
{
  for (int i = 0; i < rounds; i++)
    if (!ls_sleep (0, error))
      return NULL;
  return NULL;
}

static GVariant *
trivial (gpointer data, GError **error)
{
  return NULL;
}

static GVariant *
sleeper (gpointer data, GError **error)
{
  ls_sleep (1.0, error);
  return NULL;
}

typedef struct
{
  int       n;
  LsTaskFunc func;
  gboolean  measure_rss;
  gint64    rss_before;
  gint64    rss_during;
} SpawnParams;

static gint64
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", -1);
  return g_ascii_strtoll (fields[1], NULL, 10) * sysconf (_SC_PAGESIZE);
}

static GVariant *
spawner (gpointer data, GError **error)
{
  SpawnParams *p = data;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_full (p->n, (GDestroyNotify) ls_task_unref);

  if (p->measure_rss)
    p->rss_before = resident_bytes ();
  for (int i = 0; i < p->n; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, p->func, NULL, NULL));
  if (p->measure_rss)
    {
      /* one loop iteration: every task has started and is now suspended */
      ls_sleep (0, error);
      ls_sleep (0.5, error);
      p->rss_during = resident_bytes ();
    }
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GVariant) r = ls_task_await (g_ptr_array_index (tasks, i), error);
    }
  return NULL;
}

/* The process's CPU time in the last run_main (), in seconds */
static double last_user, last_system;

static double
timeval_s (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

static double
run_main (LsTaskFunc func,
          gpointer   data,
          gboolean   virtual_time,
          guint64   *n_records)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;
  struct rusage before, after;
  gint64 start;
  double elapsed;

  ls_loop_set_speed (loop, virtual_time ? LS_LOOP_INSTANT : 1.0);
  getrusage (RUSAGE_SELF, &before);
  start = g_get_monotonic_time ();
  task = ls_task_new (loop, "main", func, data, NULL);
  if (!ls_loop_run_until_complete (loop, LS_FUTURE (task), NULL))
    g_error ("benchmark deadlocked");
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  getrusage (RUSAGE_SELF, &after);
  last_user = timeval_s (&after.ru_utime) - timeval_s (&before.ru_utime);
  last_system = timeval_s (&after.ru_stime) - timeval_s (&before.ru_stime);
  if (n_records != NULL)
    *n_records = ls_trace_get_n_records (ls_loop_get_trace (loop));
  return elapsed;
}

/* "; CPU U + S ns/UNIT (user + kernel)" for the last run, per @units */
static const char *
cpu_note (double      units,
          const char *unit)
{
  static char note[128];

  g_snprintf (note, sizeof note, "; CPU %.1f + %.1f ns/%s (user + kernel)",
              last_user * 1e9 / units, last_system * 1e9 / units, unit);
  return note;
}

static GVariant *
switch_main (gpointer data, GError **error)
{
  int n_tasks = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);

  for (int i = 0; i < n_tasks; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, switch_worker, NULL, NULL));
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GVariant) r = ls_task_await (g_ptr_array_index (tasks, i), error);
    }
  return NULL;
}

static int lock_rounds;

static GVariant *
lock_worker (gpointer data, GError **error)
{
  LsLock *lock = data;

  for (int i = 0; i < lock_rounds; i++)
    {
      if (!ls_lock_acquire (lock, error))
        return NULL;
      if (!ls_sleep (0, error))
        return NULL;
      ls_lock_release (lock, NULL);
    }
  return NULL;
}

static GVariant *
lock_main (gpointer data, GError **error)
{
  int n_tasks = GPOINTER_TO_INT (data);
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);

  for (int i = 0; i < n_tasks; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, lock_worker, lock, NULL));
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GVariant) r = ls_task_await (g_ptr_array_index (tasks, i), error);
    }
  return NULL;
}

#define ITEM_POOL 1024

typedef struct
{
  LsQueue  *queue;
  int       n_items;
  GVariant *pool[ITEM_POOL];
} QueueParams;

static GVariant *
queue_producer (gpointer data, GError **error)
{
  QueueParams *p = data;

  for (int i = 0; i < p->n_items; i++)
    if (!ls_queue_put (p->queue, p->pool[i & (ITEM_POOL - 1)], error))
      return NULL;
  return NULL;
}

static GVariant *
queue_consumer (gpointer data, GError **error)
{
  QueueParams *p = data;

  for (int i = 0; i < p->n_items; i++)
    {
      g_autoptr(GVariant) item = ls_queue_get (p->queue, error);

      if (item == NULL)
        return NULL;
    }
  return NULL;
}

static GVariant *
queue_main (gpointer data, GError **error)
{
  QueueParams *p = data;
  g_autoptr(LsQueue) queue = NULL;
  g_autoptr(LsTask) producer = NULL;
  g_autoptr(LsTask) consumer = NULL;
  g_autoptr(GVariant) r1 = NULL;
  g_autoptr(GVariant) r2 = NULL;

  queue = ls_queue_new (NULL, "queue", GPOINTER_TO_INT (p->queue));
  p->queue = queue;
  producer = ls_task_create (NULL, queue_producer, p, NULL);
  consumer = ls_task_create (NULL, queue_consumer, p, NULL);
  r1 = ls_task_await (producer, error);
  r2 = ls_task_await (consumer, error);
  return NULL;
}

static void
run_queue (const char *label,
           int         maxsize,
           double      scale)
{
  QueueParams p = { GINT_TO_POINTER (maxsize), (int) (1000000 * scale), { NULL } };
  guint64 n_records = 0;
  double t;

  for (int i = 0; i < ITEM_POOL; i++)
    p.pool[i] = g_variant_ref_sink (g_variant_new_int32 (i));
  t = run_main (queue_main, &p, FALSE, &n_records);
  for (int i = 0; i < ITEM_POOL; i++)
    g_variant_unref (p.pool[i]);
  printf ("%s %.1f ns/item (1 producer, 1 consumer, %d items, maxsize %d, %.3f s, "
          "%" G_GUINT64_FORMAT " trace records%s)\n",
          label, t * 1e9 / p.n_items, p.n_items, maxsize, t, n_records,
          cpu_note (p.n_items, "item"));
}

int
main (int argc, char *argv[])
{
  const char *which = argc > 1 ? argv[1] : "all";
  double scale = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 1.0;
  gboolean all = strcmp (which, "all") == 0;

  if (all || strcmp (which, "switch") == 0)
    {
      int n_tasks = 100;
      guint64 n_records = 0;
      double t;

      rounds = (int) (10000 * scale);
      t = run_main (switch_main, GINT_TO_POINTER (n_tasks), FALSE, &n_records);
      printf ("switch %.1f ns/switch (%d switches, %.3f s, %" G_GUINT64_FORMAT " trace records%s)\n",
              t * 1e9 / ((double) n_tasks * rounds), n_tasks * rounds, t, n_records,
              cpu_note ((double) n_tasks * rounds, "switch"));
    }
  if (all || strcmp (which, "spawn") == 0)
    {
      SpawnParams p = { (int) (100000 * scale), trivial, FALSE, 0, 0 };
      double t = run_main (spawner, &p, FALSE, NULL);

      printf ("spawn %.1f ns/task (%d tasks, %.3f s%s)\n", t * 1e9 / p.n, p.n, t,
              cpu_note (p.n, "task"));
    }
  if (all || strcmp (which, "suspend") == 0)
    {
      SpawnParams p = { (int) (100000 * scale), sleeper, TRUE, 0, 0 };
      LsCoroPoolStats stats;
      double t = run_main (spawner, &p, TRUE, NULL);

      ls_coro_pool_get_stats (&stats);
      printf ("suspend %.0f bytes/task (%d tasks suspended at once, %.3f s; "
              "%u guarded stacks, %u slab stacks of %zu KiB)\n",
              (double) (p.rss_during - p.rss_before) / p.n, p.n, t, stats.n_guarded,
              stats.n_slab_stacks, stats.stack_size / 1024);
    }
  if (all || strcmp (which, "lock") == 0)
    {
      int n_tasks = 1000;
      guint64 n_records = 0;
      double t;

      lock_rounds = (int) (100 * scale);
      t = run_main (lock_main, GINT_TO_POINTER (n_tasks), FALSE, &n_records);
      printf ("lock %.1f ns/acquire-release (%d tasks x %d rounds, sleep(0) holding it, %.3f s, "
              "%" G_GUINT64_FORMAT " trace records%s)\n",
              t * 1e9 / ((double) n_tasks * lock_rounds), n_tasks, lock_rounds, t, n_records,
              cpu_note ((double) n_tasks * lock_rounds, "round"));
    }
  if (all || strcmp (which, "queue0") == 0)
    run_queue ("queue0", 0, scale);
  if (all || strcmp (which, "queue100") == 0)
    run_queue ("queue100", 100, scale);
  return 0;
}
