/* SPDX-License-Identifier: MIT
 *
 * The runtime beyond what the CPython twins pin: the trace is complete
 * (the loop's state rebuilt from it equals the live state at every
 * iteration), runs are deterministic, the clock (virtual jumps, speed,
 * pause, single step), the blocking sleep, many suspended coroutines.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ls-replay.h"
#include "ls-runtime.h"
#include "ls-runtime-private.h"
#include "ls-test-util.h"

/* ---- a small workload that touches every kind of wait ---- */

static GVariant *
worker (gpointer data, GError **error)
{
  int n = GPOINTER_TO_INT (data);
  LsLoop *loop = ls_loop_current ();

  for (int i = 0; i < 3; i++)
    {
      double delay = ls_loop_random_uniform (loop, 0.1, 1.0);

      ls_print ("worker %d round %d sleeps %.3f", n, i, delay);
      if (!ls_sleep (i == 1 ? 0 : delay, error))
        return NULL;
    }
  if (n == 2)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "worker 2 fails");
      return NULL;
    }
  return g_variant_new_int32 (n);
}

static GVariant *
slow (gpointer data, GError **error)
{
  ls_sleep (10, error);
  return NULL;
}

static GVariant *
workload_main (gpointer data, GError **error)
{
  LsFuture *tasks[4];
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(LsTask) victim = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GError) local_error = NULL;
  LsTimeoutScope *scope;

  for (int i = 0; i < 4; i++)
    tasks[i] = LS_FUTURE (ls_task_create (NULL, worker, GINT_TO_POINTER (i), NULL));
  results = ls_gather (tasks, 4, TRUE, error);
  for (int i = 0; i < 4; i++)
    ls_future_unref (tasks[i]);

  victim = ls_task_create ("victim", slow, NULL, NULL);
  r = ls_wait_for (LS_FUTURE (victim), 0.5, &local_error);
  g_assert_error (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT);
  g_clear_error (&local_error);

  scope = ls_timeout_enter (0.25);
  ls_sleep (1, &local_error);
  ls_timeout_exit (scope, &local_error);
  g_assert_error (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT);

  ls_blocking_sleep (0.5);
  ls_print ("done");
  return g_variant_new_string ("ok");
}

static LsLoop *
run_workload (guint32 seed, GPtrArray *snapshots_live, GPtrArray *snapshots_at)
{
  LsLoop *loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = NULL;

  ls_loop_set_seed (loop, seed);
  main_task = ls_task_new (loop, "main", workload_main, NULL, NULL);

  /* one iteration at a time, comparing with the trace after each */
  while (!ls_future_is_done (LS_FUTURE (main_task)))
    {
      g_assert_true (ls_loop_step (loop));
      if (snapshots_live != NULL)
        {
          LsTraceState *live = ls_trace_state_new ();

          _ls_loop_snapshot (loop, live);
          live->n_records = ls_trace_get_n_records (ls_loop_get_trace (loop));
          g_ptr_array_add (snapshots_live, live);
        }
    }
  return loop;
}

static void
assert_same_ready (const LsTraceState *live,
                   const LsTraceState *rebuilt)
{
  g_assert_cmpuint (live->ready->len, ==, rebuilt->ready->len);
  for (guint i = 0; i < live->ready->len; i++)
    {
      const LsReadyEntry *a = &g_array_index (live->ready, LsReadyEntry, i);
      const LsReadyEntry *b = &g_array_index (rebuilt->ready, LsReadyEntry, i);

      g_assert_cmpuint (a->handle_id, ==, b->handle_id);
      g_assert_cmpuint (a->kind, ==, b->kind);
      g_assert_cmpuint (a->task_id, ==, b->task_id);
      g_assert_cmpuint (a->cause_id, ==, b->cause_id);
    }
}

static void
assert_same_timers (const LsTraceState *live,
                    const LsTraceState *rebuilt)
{
  g_assert_cmpuint (live->timers->len, ==, rebuilt->timers->len);
  for (guint i = 0; i < live->timers->len; i++)
    {
      const LsTimerEntry *a = &g_array_index (live->timers, LsTimerEntry, i);
      const LsTimerEntry *b = &g_array_index (rebuilt->timers, LsTimerEntry, i);

      g_assert_cmpuint (a->timer_id, ==, b->timer_id);
      g_assert_cmpint (a->deadline, ==, b->deadline);
    }
}

/* Replaying the trace up to the end of each iteration rebuilds exactly the
 * ready queue (in order) and the pending timers the loop really had. */
static void
test_trace_complete (void)
{
  g_autoptr(GPtrArray) live = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_trace_state_free);
  g_autoptr(LsLoop) loop = run_workload (7, live, NULL);
  LsTrace *trace = ls_loop_get_trace (loop);
  g_autoptr(LsReplay) rebuilt_replay = ls_replay_new ();
  LsTraceState *rebuilt = ls_replay_get_state (rebuilt_replay);
  guint checked_timers = 0, checked_ready = 0;

  g_assert_cmpuint (live->len, >, 10);
  for (guint i = 0; i < live->len; i++)
    {
      const LsTraceState *l = g_ptr_array_index (live, i);

      ls_replay_run (rebuilt_replay, trace, l->n_records);
      ls_replay_get_state (rebuilt_replay);
      assert_same_ready (l, rebuilt);
      assert_same_timers (l, rebuilt);
      g_assert_cmpuint (l->iteration, ==, rebuilt->iteration);
      checked_timers += l->timers->len;
      checked_ready += l->ready->len;
    }
  /* the workload did keep timers and ready handles around */
  g_assert_cmpuint (checked_timers, >, 0);
  g_assert_cmpuint (checked_ready, >, 0);

  /* and every task ended in the state its outcome says */
  for (guint i = 0; i < rebuilt->tasks->len; i++)
    {
      const LsTaskEntry *t = &g_array_index (rebuilt->tasks, LsTaskEntry, i);
      const char *name = t->name_id != 0 ? ls_trace_get_string (trace, t->name_id) : NULL;

      if (g_strcmp0 (name, "victim") == 0)
        g_assert_cmpint (t->state, ==, LS_TASK_STATE_CANCELLED);
      else if (name == NULL && t->number == 4) /* worker 2 */
        g_assert_cmpint (t->state, ==, LS_TASK_STATE_FAILED);
      else
        g_assert_cmpint (t->state, ==, LS_TASK_STATE_DONE);
    }
}

/* What a task waits on, rebuilt at an instant in the middle of a sleep. */
static void
test_trace_waits (void)
{
  g_autoptr(LsLoop) loop = run_workload (7, NULL, NULL);
  LsTrace *trace = ls_loop_get_trace (loop);
  guint64 n = ls_trace_get_n_records (trace);
  gboolean saw_sleep = FALSE, saw_gather = FALSE, saw_wait_for = FALSE, saw_blocked = FALSE;

  for (guint64 i = 0; i < n; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == LS_TRACE_TASK_SUSPEND)
        {
          g_autoptr(LsReplay) state_replay = ls_replay_new ();
          LsTraceState *state = ls_replay_get_state (state_replay);
          const LsTaskEntry *t;

          ls_replay_run (state_replay, trace, i + 1);
          ls_replay_get_state (state_replay);
          t = ls_trace_state_get_task (state, r->subject);
          if (r->reason == LS_WAIT_YIELD)
            {
              g_assert_cmpint (t->state, ==, LS_TASK_STATE_READY);
              continue;
            }
          g_assert_cmpint (t->state, ==, LS_TASK_STATE_WAITING);
          g_assert_cmpint (t->wait_reason, ==, r->reason);
          saw_sleep |= r->reason == LS_WAIT_SLEEP;
          saw_gather |= r->reason == LS_WAIT_GATHER;
          saw_wait_for |= r->reason == LS_WAIT_WAIT_FOR;
          if (r->reason == LS_WAIT_SLEEP)
            {
              gboolean found = FALSE;

              /* a sleeping task's timer is pending, with its deadline */
              for (guint j = 0; j < state->timers->len; j++)
                {
                  const LsTimerEntry *e = &g_array_index (state->timers, LsTimerEntry, j);

                  if (e->timer_id == t->wait_object)
                    {
                      g_assert_cmpint (e->deadline, ==, t->wait_deadline);
                      found = TRUE;
                    }
                }
              g_assert_true (found);
            }
        }
      saw_blocked |= r->kind == LS_TRACE_LOOP_BLOCKED_BEGIN;
    }
  g_assert_true (saw_sleep && saw_gather && saw_wait_for && saw_blocked);
}

static void
test_deterministic (void)
{
  g_autoptr(LsLoop) a = run_workload (42, NULL, NULL);
  g_autoptr(LsLoop) b = run_workload (42, NULL, NULL);
  g_autoptr(LsLoop) c = run_workload (43, NULL, NULL);

  g_assert_true (ls_trace_equal (ls_loop_get_trace (a), ls_loop_get_trace (b)));
  /* the seed matters: other delays, another trace */
  g_assert_false (ls_trace_equal (ls_loop_get_trace (a), ls_loop_get_trace (c)));
}

/* ---- tasks handing the thread to each other ---- */

/* Tasks that mostly yield: sleep(0) loops, a lock passed around with
 * sleep(0) held, a bounded queue between a producer and a consumer, tasks
 * that start, end and are cancelled mid-way, and timers in between. Run
 * to the end, a suspending task switches straight to the next ready one,
 * within an iteration and across iteration boundaries; stepped, the
 * scheduler runs every handle. */
typedef struct
{
  LsLock  *lock;
  LsQueue *queue;
} Switchy;

static GVariant *
switchy_yielder (gpointer data, GError **error)
{
  int n = GPOINTER_TO_INT (data);

  for (int i = 0; i < 20 + n; i++)
    if (!ls_sleep (i % 7 == n % 7 ? 0.001 * n : 0, error))
      return NULL;
  return g_variant_new_int32 (n);
}

static GVariant *
switchy_locker (gpointer data, GError **error)
{
  Switchy *s = data;

  for (int i = 0; i < 5; i++)
    {
      if (!ls_lock_acquire (s->lock, error))
        return NULL;
      if (!ls_sleep (0, error))
        {
          ls_lock_release (s->lock, NULL);
          return NULL;
        }
      ls_lock_release (s->lock, NULL);
    }
  return NULL;
}

static GVariant *
switchy_producer (gpointer data, GError **error)
{
  Switchy *s = data;

  for (int i = 0; i < 40; i++)
    if (!ls_queue_put (s->queue, g_variant_new_int32 (i), error))
      return NULL;
  return NULL;
}

static GVariant *
switchy_consumer (gpointer data, GError **error)
{
  Switchy *s = data;

  for (int i = 0; i < 40; i++)
    {
      g_autoptr(GVariant) item = ls_queue_get (s->queue, error);

      if (item == NULL)
        return NULL;
      if (i % 9 == 0 && !ls_sleep (0, error))
        return NULL;
    }
  return NULL;
}

static GVariant *
switchy_main (gpointer data, GError **error)
{
  Switchy s;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  g_autoptr(GPtrArray) results = NULL;

  s.lock = ls_lock_new (NULL, "lock");
  s.queue = ls_queue_new (NULL, "queue", 3);
  for (int i = 0; i < 12; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, switchy_yielder, GINT_TO_POINTER (i), NULL));
  for (int i = 0; i < 6; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, switchy_locker, &s, NULL));
  g_ptr_array_add (tasks, ls_task_create ("producer", switchy_producer, &s, NULL));
  g_ptr_array_add (tasks, ls_task_create ("consumer", switchy_consumer, &s, NULL));
  /* a few of them cancelled at once, others after a few rounds */
  ls_task_cancel (g_ptr_array_index (tasks, 3), NULL);
  ls_sleep (0, NULL);
  ls_sleep (0, NULL);
  ls_task_cancel (g_ptr_array_index (tasks, 5), NULL);
  ls_task_cancel (g_ptr_array_index (tasks, 14), NULL);
  results = ls_gather ((LsFuture **) tasks->pdata, tasks->len, TRUE, error);
  ls_lock_unref (s.lock);
  ls_queue_unref (s.queue);
  return NULL;
}

static LsLoop *
run_switchy (gboolean step)
{
  LsLoop *loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = ls_task_new (loop, "main", switchy_main, NULL, NULL);

  if (step)
    {
      /* stopping where run_until_complete () stops */
      ls_loop_set_stop_future (loop, LS_FUTURE (main_task));
      while (ls_loop_step (loop))
        ;
    }
  else
    g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (main_task), NULL));
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (main_task)));
  return loop;
}

/* The same records, in the same order, whoever runs the handles. */
static void
test_switch_direct_same_trace (void)
{
  g_autoptr(LsLoop) stepped = run_switchy (TRUE);
  g_autoptr(LsLoop) run = run_switchy (FALSE);

  g_assert_cmpuint (ls_trace_get_n_records (ls_loop_get_trace (run)), >, 1000);
  g_assert_true (ls_trace_equal (ls_loop_get_trace (stepped), ls_loop_get_trace (run)));
}

/* ---- the clock ---- */

static GVariant *
sleep_then_print (gpointer data, GError **error)
{
  ls_sleep (GPOINTER_TO_INT (data) / 1000.0, error);
  ls_print ("woke");
  return NULL;
}

static void
test_virtual_clock_jumps (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) t = NULL;
  gint64 start = g_get_monotonic_time ();

  t = ls_task_new (loop, "sleeper", sleep_then_print, GINT_TO_POINTER (3600 * 1000), NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (t), NULL));
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 3600 * LS_NS_PER_SECOND);
  /* an hour of scenario time in well under a second */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_step_one_iteration (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) a = NULL;
  g_autoptr(LsTask) b = NULL;

  ls_loop_set_paused (loop, TRUE);
  a = ls_task_new (loop, "a", sleep_then_print, GINT_TO_POINTER (1000), NULL);
  b = ls_task_new (loop, "b", sleep_then_print, GINT_TO_POINTER (2000), NULL);

  /* paused: the GSource does nothing */
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (ls_loop_get_iteration (loop), ==, 0);

  g_assert_true (ls_loop_step (loop));   /* both first steps */
  g_assert_cmpuint (ls_loop_get_iteration (loop), ==, 1);
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 0);
  g_assert_true (ls_loop_step (loop));   /* jump to 1 s: a's timer fires */
  g_assert_cmpint (ls_loop_time_ns (loop), ==, LS_NS_PER_SECOND);
  g_assert_false (ls_future_is_done (LS_FUTURE (a)));
  g_assert_true (ls_loop_step (loop));   /* a resumes and finishes */
  g_assert_true (ls_future_is_done (LS_FUTURE (a)));
  g_assert_false (ls_future_is_done (LS_FUTURE (b)));
  g_assert_cmpuint (ls_loop_get_iteration (loop), ==, 3);
  g_assert_true (ls_loop_step (loop));
  g_assert_true (ls_loop_step (loop));
  g_assert_true (ls_future_is_done (LS_FUTURE (b)));
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 2 * LS_NS_PER_SECOND);
  g_assert_false (ls_loop_has_work (loop));
}

static void
test_real_clock_speed (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) t = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  ls_loop_set_speed (loop, 100.0);
  t = ls_task_new (loop, "sleeper", sleep_then_print, GINT_TO_POINTER (2000), NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (t), NULL));
  elapsed = g_get_monotonic_time () - start;
  /* 2 s of scenario time at 100x: 20 ms of real time */
  g_assert_cmpint (elapsed, >=, 19 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (ls_loop_time_ns (loop), >=, 2 * LS_NS_PER_SECOND);
}

static gboolean
count_tick (gpointer data)
{
  (*(int *) data)++;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  int *ticks;
  int  ticks_seen_during_block;
  gboolean other_ran_during_block;
  gboolean in_block;
} BlockState;

static GVariant *
blocker (gpointer data, GError **error)
{
  BlockState *s = data;
  int before;

  ls_sleep (0, error);
  before = *s->ticks;
  s->in_block = TRUE;
  ls_blocking_sleep (1.0);
  s->in_block = FALSE;
  s->ticks_seen_during_block = *s->ticks - before;
  return NULL;
}

static GVariant *
bystander (gpointer data, GError **error)
{
  BlockState *s = data;

  for (int i = 0; i < 20; i++)
    {
      if (s->in_block)
        s->other_ran_during_block = TRUE;
      ls_sleep (0.01, error);
    }
  return NULL;
}

/* time.sleep in a coroutine: the event loop stops (no other task runs)
 * while the GLib main loop goes on (the window keeps drawing). */
static void
test_blocking_sleep_real_time (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) a = NULL;
  g_autoptr(LsTask) b = NULL;
  int ticks = 0;
  BlockState s = { &ticks, 0, FALSE, FALSE };
  guint tick_id;
  gboolean saw_begin = FALSE, saw_end = FALSE;
  LsTrace *trace = ls_loop_get_trace (loop);

  ls_loop_set_speed (loop, 10.0); /* 1 s blocked = 100 ms */
  tick_id = g_timeout_add (5, count_tick, &ticks);
  a = ls_task_new (loop, "blocker", blocker, &s, NULL);
  b = ls_task_new (loop, "bystander", bystander, &s, NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (a), NULL));
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (b), NULL));
  g_source_remove (tick_id);

  g_assert_false (s.other_ran_during_block);
  g_assert_cmpint (s.ticks_seen_during_block, >=, 5);
  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      saw_begin |= r->kind == LS_TRACE_LOOP_BLOCKED_BEGIN;
      if (r->kind == LS_TRACE_LOOP_BLOCKED_END)
        {
          saw_end = TRUE;
          g_assert_cmpint (r->time, >=, LS_NS_PER_SECOND);
        }
    }
  g_assert_true (saw_begin && saw_end);
}

/* ---- I/O completions from GIO ---- */

typedef struct
{
  LsLoop   *loop;
  LsFuture *future;
  guint32   io_id;
} ReadOp;

static void
read_op_finish_on_loop (gpointer a, gpointer b)
{
  LsFuture *future = a;
  GBytes *bytes = b;

  ls_future_set_result (future, g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, bytes, TRUE),
                        NULL);
  g_bytes_unref (bytes);
  ls_future_unref (future);
}

static void
read_op_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadOp *op = user_data;
  char *contents = NULL;
  gsize length = 0;
  gboolean ok = g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL,
                                             NULL);

  /* back on the loop: the completion runs in its next iteration */
  ls_loop_io_complete (op->loop, op->io_id, ok, read_op_finish_on_loop, op->future,
                       g_bytes_new_take (contents, length));
  g_free (op);
}

static GVariant *
reader (gpointer data, GError **error)
{
  const char *path = data;
  LsLoop *loop = ls_loop_current ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(LsFuture) done = ls_future_new (loop, "read");
  ReadOp *op = g_new0 (ReadOp, 1);
  GVariant *contents;

  op->loop = loop;
  op->future = ls_future_ref (done);
  op->io_id = ls_loop_io_begin (loop, path);
  g_file_load_contents_async (file, NULL, read_op_loaded, op);
  contents = ls_future_await (done, error);
  ls_print ("read %zu bytes at %.3f", contents != NULL ? g_variant_get_size (contents) : 0,
            ls_loop_time (loop));
  return contents;
}

/* GIO finishes the read on the GLib main loop; the task resumes through the
 * loop's I/O queue, and the virtual clock does not jump past a sleeper's
 * deadline while the read is in flight. */
static void
test_io_completion (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) r = NULL;
  g_autoptr(LsTask) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) contents = NULL;
  g_autofree char *dir = g_dir_make_tmp ("loopscope-io-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "data.txt", NULL);
  LsTrace *trace = ls_loop_get_trace (loop);
  gboolean saw_begin = FALSE, saw_complete = FALSE;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "hello, loop", -1, &error));
  s = ls_task_new (loop, "sleeper", sleep_then_print, GINT_TO_POINTER (1000), NULL);
  r = ls_task_new (loop, "reader", reader, path, NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (r), &error));
  g_assert_no_error (error);
  /* the read took no virtual time: the sleeper is still asleep */
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 0);
  g_assert_false (ls_future_is_done (LS_FUTURE (s)));
  contents = ls_future_get_result (LS_FUTURE (r), &error);
  g_assert_cmpuint (g_variant_get_size (contents), ==, strlen ("hello, loop"));
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (s), NULL));

  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *rec = ls_trace_get_record (trace, i);

      if (rec->kind == LS_TRACE_IO_BEGIN)
        {
          saw_begin = TRUE;
          g_assert_cmpstr (ls_trace_get_string (trace, rec->peer), ==, path);
        }
      saw_complete |= rec->kind == LS_TRACE_IO_COMPLETE;
    }
  g_assert_true (saw_begin && saw_complete);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- many coroutines ---- */

static GVariant *
many_main (gpointer data, GError **error)
{
  int n = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  LsCoroPoolStats stats;

  for (int i = 0; i < n; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, sleep_then_print, GINT_TO_POINTER (1000), NULL));
  ls_sleep (0.5, error);
  /* all of them are suspended at once now, each on its own stack */
  ls_coro_pool_get_stats (&stats);
  g_assert_cmpuint (stats.n_in_use, >=, (guint) n);
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GVariant) r = ls_task_await (g_ptr_array_index (tasks, i), error);
    }
  return NULL;
}

static void
test_many_suspended (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) t = NULL;
  LsCoroPoolStats stats;
  int n;

  ls_coro_pool_get_stats (&stats);
  /* more than get guard pages, so slab stacks are used too */
  n = stats.guarded_budget + 2000;
  t = ls_task_new (loop, "main", many_main, GINT_TO_POINTER (n), NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (t), NULL));
  ls_coro_pool_get_stats (&stats);
  g_assert_cmpuint (stats.n_slab_stacks, >, 0);
  g_assert_cmpuint (stats.n_in_use, ==, 0);
}

static GVariant *
forever (gpointer data, GError **error)
{
  g_autoptr(LsFuture) never = ls_future_new (ls_loop_current (), "never");
  g_autoptr(GVariant) r = ls_future_await (never, error);

  return NULL;
}

static void
test_deadlock_detected (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) t = NULL;
  g_autoptr(GError) error = NULL;

  t = ls_task_new (loop, "stuck", forever, NULL, NULL);
  g_assert_false (ls_loop_run_until_complete (loop, LS_FUTURE (t), &error));
  g_assert_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_DEADLOCK);
  /* let it go: cancel the task and finish it */
  ls_task_cancel (t, NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (t), NULL));
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (t)));
}

static void
test_seeded_random (void)
{
  g_autoptr(LsLoop) a = ls_loop_new ();
  g_autoptr(LsLoop) b = ls_loop_new ();

  ls_loop_set_seed (a, 5);
  ls_loop_set_seed (b, 5);
  for (int i = 0; i < 100; i++)
    {
      double x = ls_loop_random_uniform (a, 0.5, 2.0);

      g_assert_cmpfloat (x, ==, ls_loop_random_uniform (b, 0.5, 2.0));
      g_assert_cmpfloat (x, >=, 0.5);
      g_assert_cmpfloat (x, <, 2.0);
    }
}

/* ---- who owns a result (ls-future.h) ---- */

static void
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* A string whose storage reports when the last reference to it went. */
static GVariant *
tracked_string (gboolean *freed)
{
  static const char text[] = "result";
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (text, sizeof text, set_flag, freed);

  return g_variant_new_from_bytes (G_VARIANT_TYPE_STRING, bytes, TRUE);
}

static GVariant *
returns_floating (gpointer data, GError **error)
{
  if (!ls_sleep (0, error))
    return NULL;
  return tracked_string (data);
}

/* return await child: a full reference, handed on */
static GVariant *
returns_awaited (gpointer data, GError **error)
{
  g_autoptr(LsTask) child = ls_task_create ("child", returns_floating, data, NULL);

  return ls_task_await (child, error);
}

/* return await shield(child) */
static GVariant *
returns_shielded (gpointer data, GError **error)
{
  g_autoptr(LsTask) child = ls_task_create ("child", returns_floating, data, NULL);
  g_autoptr(LsFuture) outer = ls_shield (LS_FUTURE (child));

  return ls_future_await (outer, error);
}

/* fut.set_result(value) with a value the caller goes on owning */
static GVariant *
sets_result (gpointer data, GError **error)
{
  g_autoptr(LsFuture) fut = ls_future_new (ls_loop_current (), "fut");
  g_autoptr(GVariant) value = g_variant_ref_sink (tracked_string (data));
  g_autoptr(GVariant) got = NULL;

  g_assert_true (ls_future_set_result (fut, value, NULL));
  got = ls_future_await (fut, error);
  g_assert_true (got == value);
  return NULL;
}

static void
test_result_ownership (void)
{
  static const LsTaskFunc funcs[] = { returns_floating, returns_awaited, returns_shielded,
                                      sets_result };

  for (guint i = 0; i < G_N_ELEMENTS (funcs); i++)
    {
      g_autoptr(LsLoop) loop = ls_loop_new ();
      gboolean freed = FALSE;
      LsTask *task;

      task = ls_test_run_task (loop, funcs[i], &freed);
      if (funcs[i] != sets_result)
        {
          g_autoptr(GVariant) result = ls_future_get_result (LS_FUTURE (task), NULL);

          g_assert_cmpstr (g_variant_get_string (result, NULL), ==, "result");
          g_assert_true (ls_future_peek_result (LS_FUTURE (task)) == result);
          /* the storage lives as long as the result does */
          g_assert_false (freed);
        }
      ls_task_unref (task);
      g_clear_object (&loop);
      g_assert_true (freed);
    }
}

/* ---- closing a loop unwinds what is still pending (ls_loop_close) ---- */

typedef struct
{
  LsLock  *lock;
  LsQueue *queue;
  LsFuture *never;
  int      cleaned;   /* g_autoptr cleanups that ran */
  int      finished;  /* bodies that went past their wait */
} Pending;

typedef struct
{
  Pending *pending;
} Guard;

static Guard *
guard_new (Pending *pending)
{
  Guard *guard = g_new (Guard, 1);

  guard->pending = pending;
  return guard;
}

static void
guard_free (Guard *guard)
{
  guard->pending->cleaned++;
  g_free (guard);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Guard, guard_free)

static GVariant *
holds_lock_and_sleeps (gpointer data, GError **error)
{
  Pending *p = data;
  g_autoptr(Guard) guard = guard_new (p);
  g_autoptr(LsLocker) locker = ls_lock_locker_new (p->lock, error);

  if (locker == NULL || !ls_sleep (100, error))
    return NULL;
  p->finished++;
  return NULL;
}

static GVariant *
waits_for_lock (gpointer data, GError **error)
{
  Pending *p = data;
  g_autoptr(Guard) guard = guard_new (p);
  g_autoptr(LsLocker) locker = ls_lock_locker_new (p->lock, error);

  if (locker == NULL)
    return NULL;
  p->finished++;
  return NULL;
}

static GVariant *
waits_on_queue (gpointer data, GError **error)
{
  Pending *p = data;
  g_autoptr(Guard) guard = guard_new (p);
  GVariant *item = ls_queue_get (p->queue, error);

  if (item == NULL)
    return NULL;
  p->finished++;
  return item;
}

static GVariant *
waits_forever (gpointer data, GError **error)
{
  Pending *p = data;
  g_autoptr(Guard) guard = guard_new (p);

  return ls_future_await (p->never, error);
}

/* async with lock: try: await sleep(100) finally: await sleep(1); cleaned */
static GVariant *
cleans_up_slowly (gpointer data, GError **error)
{
  Pending *p = data;
  g_autoptr(Guard) guard = guard_new (p);

  if (!ls_sleep (100, error))
    {
      g_autoptr(GError) ignored = NULL;

      if (ls_sleep (1, &ignored))
        p->finished++;  /* the cleanup's own wait was not cut short */
      return NULL;
    }
  return NULL;
}

static void
test_close_unwinds (void)
{
  static const LsTaskFunc funcs[] = { holds_lock_and_sleeps, waits_for_lock, waits_for_lock,
                                      waits_on_queue, waits_forever, cleans_up_slowly };
  g_autoptr(LsLoop) loop = ls_loop_new ();
  LsTrace *trace = ls_loop_get_trace (loop);
  Pending p = { 0 };
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  LsCoroPoolStats stats;
  guint64 n_records;
  guint32 n_strings;
  LsTask *late;

  p.lock = ls_lock_new (loop, "lock");
  p.queue = ls_queue_new (loop, "queue", 0);
  p.never = ls_future_new (loop, "never");
  for (guint i = 0; i < G_N_ELEMENTS (funcs); i++)
    g_ptr_array_add (tasks, ls_task_new (loop, NULL, funcs[i], &p, NULL));
  /* one iteration: each has begun its wait (another would jump the clock) */
  g_assert_true (ls_loop_step (loop));
  /* and one that never starts */
  late = ls_task_new (loop, "late", holds_lock_and_sleeps, &p, NULL);
  g_ptr_array_add (tasks, late);
  ls_coro_pool_get_stats (&stats);
  g_assert_cmpuint (stats.n_in_use, ==, G_N_ELEMENTS (funcs));

  n_records = ls_trace_get_n_records (trace);
  n_strings = ls_trace_get_n_strings (trace);
  dump = ls_trace_dump (trace, 0, n_records);
  ls_loop_close (loop);

  /* every coroutine returned through its cleanups; the late one never ran */
  g_assert_cmpint (p.cleaned, ==, G_N_ELEMENTS (funcs));
  g_assert_cmpint (p.finished, ==, 1);
  for (guint i = 0; i < tasks->len; i++)
    g_assert_true (ls_future_is_cancelled (g_ptr_array_index (tasks, i)));
  ls_coro_pool_get_stats (&stats);
  g_assert_cmpuint (stats.n_in_use, ==, 0);
  g_assert_cmpuint (stats.n_abandoned, ==, 0);
  g_assert_false (ls_lock_locked (p.lock));

  /* none of it is in the trace */
  g_assert_cmpuint (ls_trace_get_n_records (trace), ==, n_records);
  g_assert_cmpuint (ls_trace_get_n_strings (trace), ==, n_strings);
  dump_after = ls_trace_dump (trace, 0, n_records);
  g_assert_cmpstr (dump_after, ==, dump);

  /* and nothing runs after it */
  g_assert_false (ls_loop_step (loop));
  g_assert_false (ls_loop_run_until_complete (loop, LS_FUTURE (late), &error));
  g_assert_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME);
  g_assert_cmpstr (error->message, ==, "Event loop is closed");
  ls_loop_close (loop);

  g_clear_pointer (&tasks, g_ptr_array_unref);
  ls_lock_unref (p.lock);
  ls_queue_unref (p.queue);
  ls_future_unref (p.never);
}

/* Freeing the loop closes it: a task nobody keeps a reference to is
 * unwound too. */
static void
test_close_on_dispose (void)
{
  LsLoop *loop = ls_loop_new ();
  Pending p = { 0 };
  LsCoroPoolStats stats;

  p.never = ls_future_new (loop, "never");
  ls_task_unref (ls_task_new (loop, NULL, waits_forever, &p, NULL));
  g_assert_true (ls_loop_step (loop));
  g_object_unref (loop);
  g_assert_cmpint (p.cleaned, ==, 1);
  ls_coro_pool_get_stats (&stats);
  g_assert_cmpuint (stats.n_in_use, ==, 0);
  ls_future_unref (p.never);
}

/* time.sleep(10) on the real clock, then a wait */
static GVariant *
blocks_then_sleeps (gpointer data, GError **error)
{
  Pending *p = data;
  g_autoptr(Guard) guard = guard_new (p);

  ls_blocking_sleep (10);
  p->finished++;
  if (!ls_sleep (100, error))
    return NULL;
  p->finished++;
  return NULL;
}

/* Closed in the middle of a blocking sleep on the real clock: the block
 * ends at once, and the task is cancelled at its next wait. */
static void
test_close_mid_block (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;
  Pending p = { 0 };
  gint64 start;

  ls_loop_set_speed (loop, 1.0);
  task = ls_task_new (loop, "blocker", blocks_then_sleeps, &p, NULL);
  /* dispatched by the main context, the block goes on in wall time */
  while (!ls_loop_is_blocked (loop))
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  ls_loop_close (loop);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_false (ls_loop_is_blocked (loop));
  g_assert_cmpint (p.finished, ==, 1);
  g_assert_cmpint (p.cleaned, ==, 1);
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (task)));
  g_assert_null (ls_task_current ());
}

/* while True: try: await sleep(0) except CancelledError: pass
 * (sleep(0) allocates nothing, so abandoning its frames leaks nothing) */
static GVariant *
ignores_cancellation (gpointer data, GError **error)
{
  int *resumed = data;

  for (;;)
    {
      ls_sleep (0, NULL);
      (*resumed)++;
    }
  return NULL;
}

static void
close_with_stubborn_task (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) stubborn = NULL;
  g_autoptr(LsTask) polite = NULL;
  Pending p = { 0 };
  LsCoroPoolStats before, after;
  int resumed = 0;

  p.never = ls_future_new (loop, "never");
  stubborn = ls_task_new (loop, "stubborn", ignores_cancellation, &resumed, NULL);
  polite = ls_task_new (loop, "polite", waits_forever, &p, NULL);
  g_assert_true (ls_loop_step (loop));
  ls_coro_pool_get_stats (&before);

  ls_loop_close (loop);

  /* bounded: four rounds of at most 10,000 iterations */
  g_assert_cmpint (resumed, >, 4);
  g_assert_cmpint (resumed, <=, 4 * 10000);
  g_assert_cmpint (p.cleaned, ==, 1);
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (stubborn)));
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (polite)));
  ls_coro_pool_get_stats (&after);
  g_assert_cmpuint (after.n_in_use, ==, before.n_in_use - 2);
  g_assert_cmpuint (after.n_abandoned, ==, before.n_abandoned + 1);
  ls_future_unref (p.never);
}

/* In a subprocess, where the warning that names the task is not fatal. */
static void
test_close_abandons_stubborn (void)
{
  if (g_test_subprocess ())
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      close_with_stubborn_task ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*task stubborn still ran after 4 cancellations when its loop "
                             "closed; its coroutine is abandoned*");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/runtime/trace/complete", test_trace_complete);
  g_test_add_func ("/runtime/trace/waits", test_trace_waits);
  g_test_add_func ("/runtime/trace/deterministic", test_deterministic);
  g_test_add_func ("/runtime/switch/direct-same-trace", test_switch_direct_same_trace);
  g_test_add_func ("/runtime/clock/virtual-jumps", test_virtual_clock_jumps);
  g_test_add_func ("/runtime/clock/step", test_step_one_iteration);
  g_test_add_func ("/runtime/clock/real-speed", test_real_clock_speed);
  g_test_add_func ("/runtime/blocking-sleep/real-time", test_blocking_sleep_real_time);
  g_test_add_func ("/runtime/io/completion", test_io_completion);
  g_test_add_func ("/runtime/coro/many-suspended", test_many_suspended);
  g_test_add_func ("/runtime/loop/deadlock", test_deadlock_detected);
  g_test_add_func ("/runtime/random/seeded", test_seeded_random);
  g_test_add_func ("/runtime/result/ownership", test_result_ownership);
  g_test_add_func ("/runtime/close/unwinds", test_close_unwinds);
  g_test_add_func ("/runtime/close/on-dispose", test_close_on_dispose);
  g_test_add_func ("/runtime/close/mid-block", test_close_mid_block);
  g_test_add_func ("/runtime/close/abandons-stubborn", test_close_abandons_stubborn);

  return g_test_run ();
}
