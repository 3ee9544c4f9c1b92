/* SPDX-License-Identifier: MIT
 *
 * run_in_executor and to_thread on real threads: each /pyref/ test is the C
 * twin of tests/pyref/NAME.py and must print exactly what CPython 3.11
 * printed (tests/expected/NAME.txt); the others check the trace's thread
 * lanes and asyncio.run()'s wait for the default executor.
 */
#include "config.h"

#include "ls-test-util.h"

typedef struct
{
  char    *name;
  double   delay;
  gboolean fail;
} Blocking;

static Blocking *
blocking_new (const char *name,
              double      delay,
              gboolean    fail)
{
  Blocking *b = g_new0 (Blocking, 1);

  b->name = g_strdup (name);
  b->delay = delay;
  b->fail = fail;
  return b;
}

static void
blocking_free (gpointer data)
{
  Blocking *b = data;

  g_free (b->name);
  g_free (b);
}

/* def blocking(name, delay, fail=False), on a worker thread */
static GVariant *
blocking (gpointer data, GError **error)
{
  Blocking *b = data;

  ls_blocking_sleep (b->delay);
  if (b->fail)
    {
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "%s failed", b->name);
      return NULL;
    }
  return g_variant_new_take_string (g_ascii_strup (b->name, -1));
}

/* ---- to_thread_basic ---- */

static GVariant *
ticker (gpointer data, GError **error)
{
  for (int i = 0; i < 5; i++)
    {
      if (!ls_sleep (0.25, error))
        return NULL;
      ls_test_logi ("ticker: tick %d", i + 1);
    }
  return NULL;
}

static GVariant *
to_thread_basic_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();
  g_autoptr(LsTask) t = ls_task_create ("ticker", ticker, NULL, NULL);
  g_autoptr(GVariant) r = NULL, e = NULL;
  g_autofree char *repr = NULL, *repr_e = NULL;

  ls_test_logi ("1: to_thread(blocking, 'a', 1)");
  r = ls_to_thread ("blocking", blocking, blocking_new ("a", 1, FALSE), blocking_free, error);
  if (r == NULL)
    return NULL;
  repr = ls_test_repr (r);
  ls_test_logi ("1: -> %s", repr);
  if (!ls_test_await (t, error))
    return NULL;

  {
    g_autoptr(LsFuture) f1 = ls_run_in_executor (loop, NULL, "blocking", blocking,
                                                 blocking_new ("b", 1, FALSE), blocking_free);
    g_autoptr(LsFuture) f2 = ls_run_in_executor (loop, NULL, "blocking", blocking,
                                                 blocking_new ("c", 0.5, FALSE), blocking_free);
    LsFuture *fs[] = { f1, f2 };
    g_autoptr(GPtrArray) results = ls_gather (fs, 2, FALSE, error);
    g_autofree char *a = NULL, *b = NULL;

    if (results == NULL)
      return NULL;
    a = ls_test_result_repr (g_ptr_array_index (results, 0));
    b = ls_test_result_repr (g_ptr_array_index (results, 1));
    ls_test_logi ("2: -> [%s, %s]", a, b);
  }

  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) none = ls_to_thread ("blocking", blocking, blocking_new ("d", 0.5, TRUE),
                                             blocking_free, &local_error);
    g_autofree char *exc = ls_test_fmt_exc (local_error);

    ls_test_logi ("3: -> %s", exc);
  }

  ls_test_logi ("4: to_thread(blocking, 'e', 0)");
  e = ls_to_thread ("blocking", blocking, blocking_new ("e", 0, FALSE), blocking_free, error);
  if (e == NULL)
    return NULL;
  repr_e = ls_test_repr (e);
  ls_test_logi ("4: -> %s", repr_e);
  return NULL;
}

/* ---- executor_cancel ---- */

static GMutex ran_lock;
static GPtrArray *ran;

/* def work(name, delay): the list is shared with the workers */
static GVariant *
work (gpointer data, GError **error)
{
  Blocking *b = data;

  ls_blocking_sleep (b->delay);
  g_mutex_lock (&ran_lock);
  g_ptr_array_add (ran, g_strdup (b->name));
  g_mutex_unlock (&ran_lock);
  return g_variant_new_string (b->name);
}

static char *
ran_repr (void)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&ran_lock);
  GString *out = g_string_new ("[");

  for (guint i = 0; i < ran->len; i++)
    g_string_append_printf (out, "%s'%s'", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (ran, i));
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *name;
  LsFuture   *future;     /* a run_in_executor future, or NULL for to_thread */
  Blocking   *to_thread;
} Awaiter;

static GVariant *
ec_awaiter (gpointer data, GError **error)
{
  Awaiter *a = data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  if (a->future != NULL)
    r = ls_future_await (a->future, &local_error);
  else
    r = ls_to_thread ("work", work, g_steal_pointer (&a->to_thread), blocking_free, &local_error);
  if (local_error == NULL)
    {
      g_autofree char *repr = ls_test_repr (r);

      ls_test_logi ("%s: got %s", a->name, repr);
      return NULL;
    }
  if (ls_error_is_cancelled (local_error))
    ls_test_logi ("%s: CancelledError", a->name);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static GVariant *
ec_wait_for_body (gpointer data, GError **error)
{
  g_autoptr(GVariant) r = ls_to_thread ("work", work, blocking_new ("d", 1, FALSE), blocking_free,
                                        error);

  return r != NULL ? g_variant_new_string (g_variant_get_string (r, NULL)) : NULL;
}

static GVariant *
executor_cancel_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();

  ran = g_ptr_array_new_with_free_func (g_free);
  {
    Awaiter a1 = { "t1", NULL, blocking_new ("a", 1, FALSE) };
    g_autoptr(LsTask) t = ls_task_create ("t1", ec_awaiter, &a1, NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *r1 = NULL, *r2 = NULL;

    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("1: cancel() -> %s", ls_test_bool (ls_task_cancel (t, NULL)));
    r = ls_task_await (t, &local_error);
    if (ls_error_is_cancelled (local_error))
      {
        r1 = ran_repr ();
        ls_test_logi ("1: t1 cancelled=%s, ran=%s",
                      ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))), r1);
      }
    if (!ls_sleep (1, error))
      return NULL;
    r2 = ran_repr ();
    ls_test_logi ("1: after the function ended: ran=%s", r2);
  }

  {
    g_autoptr(LsExecutor) one = ls_executor_new (loop, 1);
    g_autoptr(LsFuture) f1 = ls_run_in_executor (loop, one, "work", work,
                                                 blocking_new ("b", 1, FALSE), blocking_free);
    g_autoptr(LsFuture) f2 = ls_run_in_executor (loop, one, "work", work,
                                                 blocking_new ("c", 1, FALSE), blocking_free);
    Awaiter a2 = { "t2", f2, NULL };
    g_autoptr(LsTask) t2 = ls_task_create ("t2", ec_awaiter, &a2, NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL, r1 = NULL;
    g_autofree char *repr = NULL, *after = NULL;

    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("2: cancel t2 -> %s", ls_test_bool (ls_task_cancel (t2, NULL)));
    r = ls_task_await (t2, &local_error);
    if (ls_error_is_cancelled (local_error))
      ls_test_logi ("2: f2 cancelled=%s", ls_test_bool (ls_future_is_cancelled (f2)));
    if ((r1 = ls_future_await (f1, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r1);
    ls_test_logi ("2: f1 -> %s", repr);
    if (!ls_sleep (2, error))
      return NULL;
    after = ran_repr ();
    ls_test_logi ("2: ran=%s", after);
  }

  {
    g_autoptr(LsTask) body = ls_task_create (NULL, ec_wait_for_body, NULL, NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (body), 0.5, &local_error);
    g_autofree char *exc = NULL, *r1 = NULL, *r2 = NULL;

    if (!g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    exc = ls_test_fmt_exc (local_error);
    r1 = ran_repr ();
    ls_test_logi ("3: wait_for -> %s, ran=%s", exc, r1);
    if (!ls_sleep (1, error))
      return NULL;
    r2 = ran_repr ();
    ls_test_logi ("3: ran=%s", r2);
  }
  g_clear_pointer (&ran, g_ptr_array_unref);
  return NULL;
}

/* ---- the trace: a lane per thread, an arrow back to the awaiting task ---- */

static const LsTraceRecord *
find_one (LsTrace    *trace,
          LsTraceKind kind,
          guint       nth)
{
  g_autoptr(GPtrArray) found = ls_test_find_records (trace, kind);

  g_assert_cmpuint (found->len, >, nth);
  return g_ptr_array_index (found, nth);
}

static GVariant *
trace_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_loop_current ();
  g_autoptr(LsExecutor) one = ls_executor_new (loop, 1);
  g_autoptr(LsFuture) f1 = ls_run_in_executor (loop, one, "first", blocking,
                                               blocking_new ("x", 1, FALSE), blocking_free);
  g_autoptr(LsFuture) f2 = ls_run_in_executor (loop, one, "second", blocking,
                                               blocking_new ("y", 0.5, FALSE), blocking_free);
  g_autoptr(GVariant) r1 = ls_future_await (f1, error);
  g_autoptr(GVariant) r2 = r1 != NULL ? ls_future_await (f2, error) : NULL;

  return NULL;
}

static void
test_trace (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;
  LsTrace *trace = ls_loop_get_trace (loop);
  const LsTraceRecord *lane, *submit1, *submit2, *begin1, *begin2, *end1, *end2;
  g_autoptr(GPtrArray) suspends = NULL, pushes = NULL, dones = NULL;
  guint32 main_id;
  gboolean woken = FALSE, completed = FALSE;

  task = ls_test_run_task (loop, trace_main, NULL);
  main_id = ls_task_get_id (task);

  /* one thread, one lane: "thread 1" */
  lane = find_one (trace, LS_TRACE_OBJECT_NEW, 1);
  g_assert_cmpuint (lane->reason, ==, LS_OBJECT_THREAD);
  g_assert_cmpstr (ls_trace_get_string (trace, lane->peer), ==, "thread 1");
  g_assert_cmpint (lane->arg, ==, 1);

  submit1 = find_one (trace, LS_TRACE_THREAD_WORK_SUBMIT, 0);
  submit2 = find_one (trace, LS_TRACE_THREAD_WORK_SUBMIT, 1);
  g_assert_cmpuint (submit1->subject, ==, main_id);
  g_assert_cmpstr (ls_trace_get_string (trace, submit1->peer), ==, "first");
  g_assert_cmpint (submit1->arg, ==, 0);        /* a thread takes it at once */
  g_assert_cmpint (submit2->arg, ==, 1);        /* the next to get a thread */

  begin1 = find_one (trace, LS_TRACE_THREAD_WORK_BEGIN, 0);
  begin2 = find_one (trace, LS_TRACE_THREAD_WORK_BEGIN, 1);
  end1 = find_one (trace, LS_TRACE_THREAD_WORK_END, 0);
  end2 = find_one (trace, LS_TRACE_THREAD_WORK_END, 1);
  g_assert_cmpuint (begin1->object, ==, lane->object);
  g_assert_cmpuint (begin2->object, ==, lane->object);
  g_assert_cmpuint (begin1->peer, ==, submit1->object);
  g_assert_cmpuint (begin2->peer, ==, submit2->object);
  g_assert_cmpint (begin1->time, ==, 0);
  g_assert_cmpint (end1->time, ==, 1000000000);
  g_assert_cmpint (begin2->time, ==, 1000000000); /* when the thread is free */
  g_assert_cmpint (end2->time, ==, 1500000000);
  g_assert_cmpuint (end1->reason, ==, LS_OUTCOME_RESULT);
  g_assert_cmpuint (end1->peer, ==, submit1->object);

  /* the work is I/O: its completion completes the future, which wakes main */
  dones = ls_test_find_records (trace, LS_TRACE_FUTURE_DONE);
  for (guint i = 0; i < dones->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (dones, i);

      if (r->object == submit1->object && r->peer == (guint32) end1->arg)
        completed = TRUE;
    }
  g_assert_true (completed);
  pushes = ls_test_find_records (trace, LS_TRACE_READY_PUSH);
  for (guint i = 0; i < pushes->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (pushes, i);

      if (r->reason == LS_HANDLE_TASK_WAKEUP && r->subject == main_id
          && r->peer == submit1->object)
        woken = TRUE;
    }
  g_assert_true (woken);
  suspends = ls_test_find_records (trace, LS_TRACE_TASK_SUSPEND);
  g_assert_cmpuint (((const LsTraceRecord *) g_ptr_array_index (suspends, 0))->reason, ==,
                    LS_WAIT_EXECUTOR);
}

/* ---- asyncio.run waits for the default executor ---- */

static GVariant *
leave_work_behind_body (gpointer data, GError **error)
{
  g_autoptr(GVariant) r = ls_to_thread ("slow", blocking, blocking_new ("slow", 2, FALSE),
                                        blocking_free, error);

  return NULL;
}

static GVariant *
leave_work_behind_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("t", leave_work_behind_body, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  if (!ls_sleep (0.5, error))
    return NULL;
  ls_task_cancel (t, NULL);
  r = ls_task_await (t, &local_error);
  g_assert_true (ls_error_is_cancelled (local_error));
  return NULL;
}

static void
test_runner_waits (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = NULL;
  g_autoptr(LsRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  const LsTraceRecord *end;

  main_task = ls_task_new (loop, NULL, leave_work_behind_main, NULL, NULL);
  runner = ls_runner_new (loop, main_task);
  g_assert_true (ls_runner_run_main (runner, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 500000000);
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 1);
  g_assert_false (ls_runner_is_finished (runner));
  g_assert_true (ls_runner_close (runner, &error));
  g_assert_no_error (error);
  g_assert_true (ls_runner_is_finished (runner));
  end = find_one (ls_loop_get_trace (loop), LS_TRACE_THREAD_WORK_END, 0);
  g_assert_cmpint (end->time, ==, 2000000000);
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 0);
}

/* ---- a paced run ---- */

static GVariant *
paced_main (gpointer data, GError **error)
{
  g_autoptr(GVariant) r = ls_to_thread ("blocking", blocking, blocking_new ("r", 0.5, FALSE),
                                        blocking_free, error);

  /* a task's result is a new (floating) value */
  return r != NULL ? g_variant_new_string (g_variant_get_string (r, NULL)) : NULL;
}

static void
test_paced (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GVariant) r = NULL;

  ls_loop_set_speed (loop, 10);
  task = ls_test_run_task (loop, paced_main, NULL);
  r = ls_future_get_result (LS_FUTURE (task), NULL);
  g_assert_cmpstr (g_variant_get_string (r, NULL), ==, "R");
  /* 0.5 s of scenario time paced at 10x: the worker's sleep too */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 45000);
  g_assert_cmpint (ls_loop_time_ns (loop), >=, 500000000);
}

/* ---- a loop freed under a sleeping worker ---- */

static GVariant *
abandon_main (gpointer data, GError **error)
{
  g_autoptr(LsFuture) f = ls_run_in_executor (ls_loop_current (), NULL, "blocking", blocking,
                                              blocking_new ("z", 100, FALSE), blocking_free);
  return NULL;
}

static void
test_loop_gone (void)
{
  LsLoop *loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;

  task = ls_test_run_task (loop, abandon_main, NULL);
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 1);
  g_clear_pointer (&task, ls_task_unref);
  g_object_unref (loop); /* the worker is woken and finishes on its own */
  g_usleep (G_USEC_PER_SEC / 20);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A worker that reports while nobody iterates the loop's context (here its
 * sleep, ended by the loop's close, returns before the loop is finalized)
 * leaves the report to the loop's thread: handling it on the worker, under
 * the executor's lock the worker holds, deadlocked. In a subprocess, so a
 * deadlock fails the test instead of hanging it. */
static void
test_report_outside_iteration (void)
{
  if (g_test_subprocess ())
    {
      LsLoop *loop = ls_loop_new ();
      g_autoptr(LsTask) task = ls_test_run_task (loop, abandon_main, NULL);

      ls_loop_close (loop);             /* ends the worker's sleep */
      g_usleep (G_USEC_PER_SEC / 10);   /* it returns and reports meanwhile */
      g_clear_pointer (&task, ls_task_unref);
      g_object_unref (loop);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      return;
    }
  g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (to_thread_basic);
  LS_TEST_PYREF (executor_cancel);
  g_test_add_func ("/executor/trace", test_trace);
  g_test_add_func ("/executor/runner-waits", test_runner_waits);
  g_test_add_func ("/executor/paced", test_paced);
  g_test_add_func ("/executor/loop-gone", test_loop_gone);
  g_test_add_func ("/executor/report-outside-iteration", test_report_outside_iteration);

  return g_test_run ();
}
