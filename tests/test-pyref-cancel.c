/* SPDX-License-Identifier: MIT
 *
 * Task cancellation: each test is the C twin of tests/pyref/NAME.py and
 * must print exactly what CPython 3.11 printed (tests/expected/NAME.txt).
 */
#include "config.h"

#include "ls-test-util.h"

/* ---- cancel_before_start ---- */

static GVariant *
cbs_body (gpointer data, GError **error)
{
  ls_test_logi ("body: running (must not happen)");
  return NULL;
}

static GVariant *
cancel_before_start_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("victim", cbs_body, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  ls_test_logi ("main: cancel('early') -> %s", ls_test_bool (ls_task_cancel (t, "early")));
  ls_test_logi ("main: right after cancel: done=%s cancelled=%s",
                ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
                ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  if (!ls_sleep (0, error))
    return NULL;
  ls_test_logi ("main: after sleep(0): done=%s cancelled=%s",
                ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
                ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  r = ls_task_await (t, &local_error);
  if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_logi ("main: await victim -> CancelledError args=%s", args);
    }
  return NULL;
}

/* ---- cancel_catch_cleanup_reraise ---- */

static GVariant *
cccr_worker (gpointer data, GError **error)
{
  GError *local_error = NULL;

  ls_test_log ("worker: sleep(10)");
  if (!ls_sleep (10, &local_error))
    {
      if (!ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      ls_test_log ("worker: cancelled, cleanup sleep(0.5)");
      if (!ls_sleep (0.5, error))
        {
          g_error_free (local_error);
          return NULL;
        }
      ls_test_log ("worker: cleanup done, re-raise");
      g_propagate_error (error, local_error);
      return NULL;
    }
  return NULL;
}

static GVariant *
cancel_catch_cleanup_reraise_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("worker", cccr_worker, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("main: cancel() -> %s", ls_test_bool (ls_task_cancel (t, NULL)));
  if (!ls_sleep (0.25, error))
    return NULL;
  ls_test_log ("main: during cleanup: done=%s cancelled=%s",
               ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  r = ls_task_await (t, &local_error);
  if (ls_error_is_cancelled (local_error))
    ls_test_log ("main: await worker -> CancelledError");
  ls_test_log ("main: done=%s cancelled=%s", ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

/* ---- cancel_catch_swallow ---- */

static GVariant *
ccs_worker (gpointer data, GError **error)
{
  GError *local_error = NULL;

  if (!ls_sleep (10, &local_error))
    {
      if (!ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_clear_error (&local_error);
      ls_test_log ("worker: cancelled, swallowing");
      return g_variant_new_string ("swallowed");
    }
  return g_variant_new_string ("finished");
}

static GVariant *
cancel_catch_swallow_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("worker", ccs_worker, NULL, NULL);
  g_autoptr(GVariant) r = NULL;
  g_autofree char *repr = NULL;
  g_autofree char *result = NULL;
  g_autofree char *exc = NULL;

  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("main: cancel() -> %s", ls_test_bool (ls_task_cancel (t, NULL)));
  r = ls_task_await (t, error);
  if (r == NULL && *error != NULL)
    return NULL;
  repr = ls_test_repr (r);
  ls_test_log ("main: await worker -> %s", repr);
  result = ls_test_result_repr (LS_FUTURE (t));
  exc = ls_test_fmt_exc (ls_future_get_exception (LS_FUTURE (t)));
  ls_test_log ("main: done=%s cancelled=%s result=%s exception=%s",
               ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))), result, exc);
  return NULL;
}

/* ---- cancel_done_task ---- */

static GVariant *
cdt_ok (gpointer data, GError **error)
{
  return g_variant_new_int32 (1);
}

static GVariant *
cdt_bad (gpointer data, GError **error)
{
  g_propagate_error (error, ls_test_value_error ("boom"));
  return NULL;
}

static GVariant *
cancel_done_task_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("ok", cdt_ok, NULL, NULL);
  g_autoptr(LsTask) b = ls_task_create ("bad", cdt_bad, NULL, NULL);
  g_autoptr(GVariant) r = NULL;
  g_autofree char *result = NULL;
  g_autofree char *exc = NULL;
  g_autofree char *repr = NULL;

  if (!ls_sleep (0, error))
    return NULL;
  ls_test_log ("ok: done=%s; cancel() -> %s", ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
               ls_test_bool (ls_task_cancel (t, NULL)));
  result = ls_test_result_repr (LS_FUTURE (t));
  ls_test_log ("ok: cancelled=%s result=%s",
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))), result);
  ls_test_log ("bad: done=%s; cancel('x') -> %s",
               ls_test_bool (ls_future_is_done (LS_FUTURE (b))),
               ls_test_bool (ls_task_cancel (b, "x")));
  exc = ls_test_fmt_exc (ls_future_get_exception (LS_FUTURE (b)));
  ls_test_log ("bad: cancelled=%s exception=%s",
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (b))), exc);
  r = ls_task_await (t, error);
  if (r == NULL && *error != NULL)
    return NULL;
  repr = ls_test_repr (r);
  ls_test_log ("await ok -> %s", repr);
  return NULL;
}

/* ---- cancel_ready_task ---- */

static GVariant *
crt_on_future (gpointer data, GError **error)
{
  LsFuture *fut = data;
  GError *local_error = NULL;
  g_autoptr(GVariant) r = ls_future_await (fut, &local_error);

  if (local_error == NULL)
    {
      g_autofree char *repr = ls_test_repr (r);

      ls_test_logi ("A: got %s (must not happen)", repr);
      return NULL;
    }
  if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);
      g_autofree char *result = ls_test_result_repr (fut);

      ls_test_logi ("A: CancelledError args=%s; fut.result()=%s", args, result);
    }
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
crt_on_sleep0 (gpointer data, GError **error)
{
  GError *local_error = NULL;

  ls_test_logi ("B: sleep(0)");
  if (!ls_sleep (0, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("B: CancelledError args=%s", args);
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("B: resumed (must not happen)");
  return NULL;
}

static GVariant *
cancel_ready_task_main (gpointer data, GError **error)
{
  g_autoptr(LsFuture) fut = ls_future_new (ls_test_loop (), "fut");
  g_autoptr(LsTask) a = NULL;
  g_autoptr(LsTask) b = NULL;
  g_autoptr(GError) a_error = NULL;
  g_autoptr(GError) b_error = NULL;
  g_autoptr(GVariant) ra = NULL;
  g_autoptr(GVariant) rb = NULL;

  a = ls_task_create ("A", crt_on_future, ls_future_ref (fut), (GDestroyNotify) ls_future_unref);
  if (!ls_sleep (0, error))
    return NULL;
  ls_future_set_result (fut, g_variant_new_string ("value"), NULL);
  ls_test_logi ("main: set_result; A.cancel('late') -> %s",
                ls_test_bool (ls_task_cancel (a, "late")));
  ra = ls_task_await (a, &a_error);
  if (ls_error_is_cancelled (a_error))
    ls_test_logi ("main: A cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (a))));

  b = ls_task_create ("B", crt_on_sleep0, NULL, NULL);
  if (!ls_sleep (0, error))
    return NULL;
  ls_test_logi ("main: B.cancel('now') -> %s", ls_test_bool (ls_task_cancel (b, "now")));
  rb = ls_task_await (b, &b_error);
  if (ls_error_is_cancelled (b_error))
    ls_test_logi ("main: B cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (b))));
  return NULL;
}

/* ---- cancel_self ---- */

static GVariant *
cs_worker (gpointer data, GError **error)
{
  LsTask *me = ls_task_current ();
  GError *local_error = NULL;

  ls_test_logi ("worker: cancel(self) -> %s", ls_test_bool (ls_task_cancel (me, "self")));
  ls_test_logi ("worker: still running; cancelled=%s",
                ls_test_bool (ls_future_is_cancelled (LS_FUTURE (me))));
  if (!ls_sleep (1, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("worker: CancelledError args=%s", args);
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("worker: slept (must not happen)");
  return NULL;
}

static GVariant *
cancel_self_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("worker", cs_worker, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = ls_task_await (t, &local_error);

  if (ls_error_is_cancelled (local_error))
    ls_test_logi ("main: await worker -> CancelledError");
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ls_test_logi ("main: cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

/* ---- cancel_twice ---- */

static GVariant *
ct_worker (gpointer data, GError **error)
{
  GError *local_error = NULL;

  if (!ls_sleep (10, &local_error))
    {
      g_autofree char *args = NULL;

      if (!ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      args = ls_test_cancel_args (local_error);
      ls_test_log ("worker: CancelledError args=%s", args);
      g_clear_error (&local_error);
    }
  ls_test_log ("worker: sleep(1) after swallowing");
  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("worker: returning");
  return g_variant_new_string ("survived");
}

static GVariant *
cancel_twice_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("worker", ct_worker, NULL, NULL);
  g_autoptr(GVariant) r = NULL;
  g_autofree char *repr = NULL;

  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("main: cancel('first') -> %s", ls_test_bool (ls_task_cancel (t, "first")));
  ls_test_log ("main: cancel('second') -> %s", ls_test_bool (ls_task_cancel (t, "second")));
  r = ls_task_await (t, error);
  if (r == NULL && *error != NULL)
    return NULL;
  repr = ls_test_repr (r);
  ls_test_log ("main: await worker -> %s; cancelled=%s", repr,
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

/* ---- cancel_while_awaiting_task ---- */

static GVariant *
cwat_inner (gpointer data, GError **error)
{
  gboolean swallow = GPOINTER_TO_INT (data);
  GError *local_error = NULL;

  if (!ls_sleep (2, &local_error))
    {
      g_autofree char *args = NULL;

      if (!ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      args = ls_test_cancel_args (local_error);
      ls_test_logi ("inner: CancelledError args=%s", args);
      if (swallow)
        {
          g_clear_error (&local_error);
          return g_variant_new_string ("inner swallowed");
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_variant_new_string ("inner finished");
}

static GVariant *
cwat_outer (gpointer data, GError **error)
{
  LsTask *t = data;
  GError *local_error = NULL;
  g_autoptr(GVariant) r = ls_task_await (t, &local_error);

  if (local_error != NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("outer: CancelledError args=%s", args);
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  {
    g_autofree char *repr = ls_test_repr (r);

    ls_test_logi ("outer: await inner -> %s", repr);
  }
  return g_variant_new_string ("outer finished");
}

static void
cwat_scenario (const char *label,
               gboolean    swallow)
{
  g_autoptr(LsTask) i = NULL;
  g_autoptr(LsTask) o = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  ls_test_logi ("-- %s", label);
  i = ls_task_create ("inner", cwat_inner, GINT_TO_POINTER (swallow), NULL);
  o = ls_task_create ("outer", cwat_outer, ls_task_ref (i), (GDestroyNotify) ls_task_unref);
  ls_sleep (1, NULL);
  ls_test_logi ("main: outer.cancel('bye') -> %s", ls_test_bool (ls_task_cancel (o, "bye")));
  r = ls_task_await (o, &local_error);
  if (local_error == NULL)
    {
      g_autofree char *repr = ls_test_repr (r);

      ls_test_logi ("main: await outer -> %s", repr);
    }
  else if (ls_error_is_cancelled (local_error))
    ls_test_logi ("main: await outer -> CancelledError");
  ls_test_logi ("main: inner cancelled=%s, outer cancelled=%s",
                ls_test_bool (ls_future_is_cancelled (LS_FUTURE (i))),
                ls_test_bool (ls_future_is_cancelled (LS_FUTURE (o))));
}

static GVariant *
cancel_while_awaiting_task_main (gpointer data, GError **error)
{
  cwat_scenario ("A: inner re-raises", FALSE);
  cwat_scenario ("B: inner swallows", TRUE);
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (cancel_before_start);
  LS_TEST_PYREF (cancel_catch_cleanup_reraise);
  LS_TEST_PYREF (cancel_catch_swallow);
  LS_TEST_PYREF (cancel_done_task);
  LS_TEST_PYREF (cancel_ready_task);
  LS_TEST_PYREF (cancel_self);
  LS_TEST_PYREF (cancel_twice);
  LS_TEST_PYREF (cancel_while_awaiting_task);

  return g_test_run ();
}
