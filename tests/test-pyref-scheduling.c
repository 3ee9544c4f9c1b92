/* SPDX-License-Identifier: MIT
 *
 * Scheduling order: each test is the C twin of tests/pyref/NAME.py and must
 * print exactly what CPython 3.11 printed (tests/expected/NAME.txt).
 */
#include "config.h"

#include "ls-test-util.h"

/* ---- create_task_next_iteration ---- */

static GVariant *
ctni_child (gpointer data, GError **error)
{
  ls_test_logi ("child: started");
  return g_variant_new_string ("child-result");
}

static GVariant *
create_task_next_iteration_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autofree char *repr = NULL;

  ls_test_logi ("main: creating child");
  t = ls_task_create ("child", ctni_child, NULL, NULL);
  ls_test_logi ("main: created; child done=%s", ls_test_bool (ls_future_is_done (LS_FUTURE (t))));
  if (!ls_sleep (0, error))
    return NULL;
  ls_test_logi ("main: after sleep(0); child done=%s",
                ls_test_bool (ls_future_is_done (LS_FUTURE (t))));
  r = ls_task_await (t, error);
  repr = ls_test_repr (r);
  ls_test_logi ("main: await child -> %s", repr);
  return NULL;
}

/* ---- sleep_zero_round_robin ---- */

static GVariant *
szrr_worker (gpointer data, GError **error)
{
  const char *name = data;

  for (int i = 0; i < 3; i++)
    {
      ls_test_logi ("%s round %d", name, i);
      if (!ls_sleep (0, error))
        return NULL;
    }
  ls_test_logi ("%s finished", name);
  return NULL;
}

static GVariant *
sleep_zero_round_robin_main (gpointer data, GError **error)
{
  static const char *names[] = { "A", "B", "C" };
  LsTask *tasks[3];

  for (int i = 0; i < 3; i++)
    tasks[i] = ls_task_create (names[i], szrr_worker, (gpointer) names[i], NULL);
  ls_test_logi ("main: created A, B, C");
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GVariant) r = ls_task_await (tasks[i], NULL);
      ls_task_unref (tasks[i]);
    }
  ls_test_logi ("main: all done");
  return NULL;
}

/* ---- timer_wake_two_iterations ---- */

static GVariant *
twti_setter (gpointer data, GError **error)
{
  ls_test_logi ("setter: set_result");
  ls_future_set_result (data, g_variant_new_string ("v"), NULL);
  return NULL;
}

static GVariant *
timer_wake_two_iterations_main (gpointer data, GError **error)
{
  g_autoptr(LsFuture) fut = NULL;
  g_autoptr(LsTask) t = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) r2 = NULL;
  g_autofree char *repr = NULL;

  ls_test_logi ("main: sleep(0)");
  ls_sleep (0, NULL);
  ls_test_logi ("main: after sleep(0)");
  ls_test_logi ("main: sleep(1.0)");
  ls_sleep (1.0, NULL);
  ls_test_logi ("main: after sleep(1.0) (timer ran in the previous iteration)");
  ls_test_logi ("main: sleep(0.5)");
  ls_sleep (0.5, NULL);
  ls_test_logi ("main: after sleep(0.5)");
  fut = ls_future_new (ls_test_loop (), "fut");
  t = ls_task_create ("setter", twti_setter, fut, NULL);
  ls_test_logi ("main: await future");
  r = ls_future_await (fut, error);
  repr = ls_test_repr (r);
  ls_test_logi ("main: future -> %s", repr);
  r2 = ls_task_await (t, error);
  return NULL;
}

/* ---- cancel_while_sleeping ---- */

static GVariant *
cws_sleeper (gpointer data, GError **error)
{
  GError *local_error = NULL;

  ls_test_logi ("sleeper: sleep(10)");
  if (!ls_sleep (10, &local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_logi ("sleeper: CancelledError args=%s", args);
      g_propagate_error (error, local_error);
      return NULL;
    }
  return NULL;
}

static void
log_cancel_args (const char *what, const GError *e)
{
  g_autofree char *args = ls_test_cancel_args (e);

  ls_test_logi ("main: %s -> CancelledError args=%s", what, args);
}

static GVariant *
cancel_while_sleeping_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("sleeper", cws_sleeper, NULL, NULL);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GVariant) r = NULL;

  ls_sleep (1, NULL);
  ls_test_logi ("main: cancel('stop it') -> %s", ls_test_bool (ls_task_cancel (t, "stop it")));
  r = ls_task_await (t, &e1);
  log_cancel_args ("await", e1);
  ls_test_logi ("main: done=%s cancelled=%s", ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
                ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  ls_future_get_result (LS_FUTURE (t), &e2);
  log_cancel_args ("t.exception()", e2);
  ls_future_get_result (LS_FUTURE (t), &e3);
  log_cancel_args ("t.result()", e3);
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (create_task_next_iteration);
  LS_TEST_PYREF (sleep_zero_round_robin);
  LS_TEST_PYREF (timer_wake_two_iterations);
  LS_TEST_PYREF (cancel_while_sleeping);

  return g_test_run ();
}
