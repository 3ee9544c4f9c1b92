/* SPDX-License-Identifier: MIT
 *
 * wait_for, asyncio.timeout() scopes and shield: each test is the C twin of
 * tests/pyref/NAME.py and must print exactly what CPython 3.11 printed
 * (tests/expected/NAME.txt).
 */
#include "config.h"

#include "ls-test-util.h"

static gboolean
is_timeout (const GError *e)
{
  return g_error_matches (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT);
}

static gboolean
is_value_error (const GError *e)
{
  return g_error_matches (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE);
}

typedef struct
{
  const char *name;
  double      delay;
  gboolean    fail;
} ChildSpec;

static LsTask *
spawn (LsTaskFunc  func,
       const char *task_name,
       const char *name,
       double      delay,
       gboolean    fail)
{
  ChildSpec *spec = g_new0 (ChildSpec, 1);

  spec->name = name;
  spec->delay = delay;
  spec->fail = fail;
  return ls_task_create (task_name, func, spec, g_free);
}

/* ---- wait_for_inner_swallows_cancel ---- */

static GVariant *
wfisc_inner (gpointer data, GError **error)
{
  gboolean then_raise = GPOINTER_TO_INT (data);
  GError *local_error = NULL;

  if (ls_sleep (5, &local_error))
    return g_variant_new_string ("inner finished");
  if (!ls_error_is_cancelled (local_error))
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  g_clear_error (&local_error);
  ls_test_logi ("inner: cancelled, cleanup sleep(0.3)");
  if (!ls_sleep (0.3, error))
    return NULL;
  if (then_raise)
    {
      ls_test_logi ("inner: raising ValueError");
      g_propagate_error (error, ls_test_value_error ("cleanup failed"));
      return NULL;
    }
  ls_test_logi ("inner: returning 'swallowed'");
  return g_variant_new_string ("swallowed");
}

static GVariant *
wait_for_inner_swallows_cancel_main (gpointer data, GError **error)
{
  {
    g_autoptr(LsTask) t = ls_task_create ("inner", wfisc_inner, GINT_TO_POINTER (FALSE), NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (t), 1.0, &local_error);
    g_autofree char *result = NULL;

    if (local_error == NULL)
      {
        g_autofree char *repr = ls_test_repr (r);

        ls_test_logi ("main: wait_for returned %s", repr);
      }
    else if (is_timeout (local_error))
      ls_test_logi ("main: TimeoutError");
    else
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    result = ls_test_result_repr (LS_FUTURE (t));
    ls_test_logi ("main: inner cancelled=%s result=%s",
                  ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))), result);
  }
  {
    g_autoptr(LsTask) t = ls_task_create ("inner2", wfisc_inner, GINT_TO_POINTER (TRUE), NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (t), 1.2, &local_error);

    if (local_error == NULL)
      {
        g_autofree char *repr = ls_test_repr (r);

        ls_test_logi ("main: wait_for returned %s", repr);
      }
    else if (is_timeout (local_error))
      ls_test_logi ("main: TimeoutError");
    else if (is_value_error (local_error))
      {
        g_autofree char *exc = ls_test_fmt_exc (local_error);

        ls_test_logi ("main: wait_for raised %s", exc);
      }
    else
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }
  return NULL;
}

/* ---- wait_for_ok ---- */

static GVariant *
wfo_child (gpointer data, GError **error)
{
  ChildSpec *spec = data;

  if (!ls_sleep (spec->delay, error))
    return NULL;
  if (spec->fail)
    {
      ls_test_logi ("%s: raising", spec->name);
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "boom from %s", spec->name);
      return NULL;
    }
  ls_test_logi ("%s: done", spec->name);
  return g_variant_new_string (spec->name);
}

static GVariant *
wait_for_ok_main (gpointer data, GError **error)
{
  {
    g_autoptr(LsTask) t = spawn (wfo_child, "task", "task", 1, FALSE);
    g_autoptr(GVariant) r = NULL;
    g_autofree char *repr = NULL;

    if ((r = ls_wait_for (LS_FUTURE (t), 2, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r);
    ls_test_logi ("main: wait_for(task, 2) -> %s; cancelled=%s", repr,
                  ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  }
  {
    /* a coroutine: wait_for wraps it in a new (unnamed) task */
    g_autoptr(LsTask) t = spawn (wfo_child, NULL, "coro", 0.5, FALSE);
    g_autoptr(GVariant) r = NULL;
    g_autofree char *repr = NULL;

    if ((r = ls_wait_for (LS_FUTURE (t), 2, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r);
    ls_test_logi ("main: wait_for(coro, 2) -> %s", repr);
  }
  {
    g_autoptr(LsTask) t = spawn (wfo_child, NULL, "bad", 0.25, TRUE);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (t), 2, &local_error);

    if (is_value_error (local_error))
      {
        g_autofree char *exc = ls_test_fmt_exc (local_error);

        ls_test_logi ("main: wait_for(bad, 2) raised %s", exc);
      }
    else if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }
  return NULL;
}

/* ---- wait_for_outer_cancelled ---- */

static GVariant *
wfoc_inner (gpointer data, GError **error)
{
  GError *local_error = NULL;
  g_autofree char *args = NULL;

  if (ls_sleep (10, &local_error))
    return NULL;
  if (!ls_error_is_cancelled (local_error))
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  args = ls_test_cancel_args (local_error);
  ls_test_log ("inner: CancelledError args=%s, cleanup sleep(0.3)", args);
  if (!ls_sleep (0.3, error))
    {
      g_error_free (local_error);
      return NULL;
    }
  ls_test_log ("inner: cleanup done, re-raise");
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
wfoc_w_body (gpointer data, GError **error)
{
  LsTask *t = data;
  GError *local_error = NULL;
  g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (t), 5, &local_error);

  if (local_error != NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_log ("W: CancelledError args=%s", args);
        }
      g_propagate_error (error, local_error);
    }
  return NULL;
}

static GVariant *
wait_for_outer_cancelled_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("inner", wfoc_inner, NULL, NULL);
  g_autoptr(LsTask) w = ls_task_create ("W", wfoc_w_body, ls_task_ref (t),
                                        (GDestroyNotify) ls_task_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("main: W.cancel('stop') -> %s", ls_test_bool (ls_task_cancel (w, "stop")));
  r = ls_task_await (w, &local_error);
  if (ls_error_is_cancelled (local_error))
    ls_test_log ("main: await W -> CancelledError");
  ls_test_log ("main: W cancelled=%s, inner cancelled=%s",
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (w))),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

/* ---- wait_for_timeout ---- */

static GVariant *
wft_inner (gpointer data, GError **error)
{
  GError *local_error = NULL;
  g_autofree char *args = NULL;

  ls_test_logi ("inner: sleep(5)");
  if (ls_sleep (5, &local_error))
    return g_variant_new_string ("inner finished");
  if (!ls_error_is_cancelled (local_error))
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  args = ls_test_cancel_args (local_error);
  ls_test_logi ("inner: CancelledError args=%s, cleanup sleep(0.3)", args);
  if (!ls_sleep (0.3, error))
    {
      g_error_free (local_error);
      return NULL;
    }
  ls_test_logi ("inner: cleanup done, re-raise");
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
wait_for_timeout_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("inner", wft_inner, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (t), 1.0, &local_error);

  if (is_timeout (local_error))
    {
      /* wait_for raises TimeoutError() from the exception fut.result()
       * raised; GErrors have no __cause__, so ask the task for it */
      g_autoptr(GError) cause = NULL;
      g_autoptr(GVariant) ignored = ls_future_get_result (LS_FUTURE (t), &cause);
      g_autofree char *exc = ls_test_fmt_exc (local_error);

      ls_test_logi ("main: wait_for raised %s, cause=%s", exc,
                    cause != NULL ? ls_error_get_python_name (cause) : "NoneType");
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ls_test_logi ("main: inner done=%s cancelled=%s",
                ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
                ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

/* ---- wait_for_zero_timeout ---- */

static GVariant *
wfzt_body (gpointer data, GError **error)
{
  const char *name = data;

  ls_test_logi ("%s: body running", name);
  return g_variant_new_string (name);
}

static GVariant *
wait_for_zero_timeout_main (gpointer data, GError **error)
{
  {
    g_autoptr(LsTask) done = ls_task_create ("done", wfzt_body, (gpointer) "done", NULL);
    g_autoptr(GVariant) r = NULL;
    g_autofree char *repr = NULL;

    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: wait_for(done task, 0)");
    if ((r = ls_wait_for (LS_FUTURE (done), 0, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r);
    ls_test_logi ("main: -> %s", repr);
  }
  {
    g_autoptr(LsTask) fresh = ls_task_create ("fresh", wfzt_body, (gpointer) "fresh", NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    ls_test_logi ("main: wait_for(fresh task, 0)");
    r = ls_wait_for (LS_FUTURE (fresh), 0, &local_error);
    if (is_timeout (local_error))
      {
        g_autofree char *exc = ls_test_fmt_exc (local_error);

        ls_test_logi ("main: -> %s; fresh cancelled=%s", exc,
                      ls_test_bool (ls_future_is_cancelled (LS_FUTURE (fresh))));
      }
    else if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }
  {
    g_autoptr(LsTask) coro = NULL;
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    ls_test_logi ("main: wait_for(coroutine, 0)");
    /* wait_for wraps the coroutine in a new (unnamed) task */
    coro = ls_task_create (NULL, wfzt_body, (gpointer) "coro", NULL);
    r = ls_wait_for (LS_FUTURE (coro), 0, &local_error);
    if (is_timeout (local_error))
      {
        g_autofree char *exc = ls_test_fmt_exc (local_error);

        ls_test_logi ("main: -> %s", exc);
      }
    else if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }
  return NULL;
}

/* ---- timeout_scope_after_swallowed_cancel ---- */

static GVariant *
tsasc_worker (gpointer data, GError **error)
{
  GError *local_error = NULL;
  LsTimeoutScope *scope;

  if (!ls_sleep (10, &local_error))
    {
      if (!ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_clear_error (&local_error);
      ls_test_log ("worker: cancelled at sleep(10), swallowing");
    }
  scope = ls_timeout_enter (1);
  ls_sleep (5, &local_error);
  ls_timeout_exit (scope, &local_error);
  if (is_timeout (local_error))
    {
      g_clear_error (&local_error);
      ls_test_log ("worker: TimeoutError from the scope");
    }
  else if (ls_error_is_cancelled (local_error))
    {
      ls_test_log ("worker: CancelledError from the scope");
      g_propagate_error (error, local_error);
      return NULL;
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_variant_new_string ("worker finished");
}

static GVariant *
timeout_scope_after_swallowed_cancel_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("worker", tsasc_worker, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("main: cancel() -> %s", ls_test_bool (ls_task_cancel (t, NULL)));
  r = ls_task_await (t, &local_error);
  if (local_error == NULL)
    {
      g_autofree char *repr = ls_test_repr (r);

      ls_test_log ("main: await worker -> %s", repr);
    }
  else if (ls_error_is_cancelled (local_error))
    ls_test_log ("main: await worker -> CancelledError");
  else
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ls_test_log ("main: worker cancelled=%s",
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

/* ---- timeout_scope_cleanup_await ---- */

static GVariant *
timeout_scope_cleanup_await_main (gpointer data, GError **error)
{
  LsTimeoutScope *scope = ls_timeout_enter (1);
  GError *local_error = NULL;

  if (!ls_sleep (5, &local_error) && ls_error_is_cancelled (local_error))
    {
      GError *cleanup_error = NULL;

      ls_test_log ("body: cancelled, cleanup sleep(0.2)");
      if (!ls_sleep (0.2, &cleanup_error))
        {
          /* a new error replaces the one being handled */
          g_clear_error (&local_error);
          local_error = cleanup_error;
        }
      else
        ls_test_log ("body: cleanup done, re-raise");
    }
  ls_timeout_exit (scope, &local_error);
  if (is_timeout (local_error))
    {
      ls_test_log ("main: %s", ls_error_get_python_name (local_error));
      g_clear_error (&local_error);
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  return NULL;
}

/* ---- timeout_scope_expires ---- */

static GVariant *
timeout_scope_expires_main (gpointer data, GError **error)
{
  GError *local_error = NULL;
  LsTimeoutScope *cm = ls_timeout_enter (1);
  gboolean expired;

  ls_test_log ("body: sleep(5)");
  if (!ls_sleep (5, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_log ("body: CancelledError args=%s", args);
        }
    }
  else
    ls_test_log ("body: after sleep (must not happen)");
  expired = ls_timeout_exit (cm, &local_error);
  if (local_error == NULL)
    ls_test_log ("after scope (must not happen)");
  else if (is_timeout (local_error))
    {
      ls_test_log ("main: caught %s, expired=%s", ls_error_get_python_name (local_error),
                   ls_test_bool (expired));
      g_clear_error (&local_error);
    }
  else
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  ls_test_log ("main: second scope, not caught");
  cm = ls_timeout_enter (2);
  ls_sleep (5, &local_error);
  ls_timeout_exit (cm, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_log ("not reached");
  return NULL;
}

/* ---- timeout_scope_nested ---- */

static GVariant *
timeout_scope_nested_main (gpointer data, GError **error)
{
  GError *local_error = NULL;
  LsTimeoutScope *outer;
  LsTimeoutScope *inner;
  gboolean outer_expired;
  gboolean inner_expired;

  ls_test_log ("-- A");
  outer = ls_timeout_enter (2);
  {
    inner = ls_timeout_enter (1);
    ls_sleep (5, &local_error);
    inner_expired = ls_timeout_exit (inner, &local_error);
    if (is_timeout (local_error))
      {
        g_clear_error (&local_error);
        ls_test_log ("A: inner TimeoutError; inner.expired=%s outer.expired=%s",
                     ls_test_bool (inner_expired), ls_test_bool (ls_timeout_expired (outer)));
      }
    if (local_error == NULL)
      ls_sleep (5, &local_error);
  }
  outer_expired = ls_timeout_exit (outer, &local_error);
  if (is_timeout (local_error))
    {
      g_clear_error (&local_error);
      ls_test_log ("A: outer TimeoutError; outer.expired=%s", ls_test_bool (outer_expired));
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  ls_test_log ("-- B");
  outer = ls_timeout_enter (1);
  {
    inner = ls_timeout_enter (3);
    ls_sleep (5, &local_error);
    inner_expired = ls_timeout_exit (inner, &local_error);
    if (is_timeout (local_error))
      {
        g_clear_error (&local_error);
        ls_test_log ("B: inner TimeoutError (must not happen)");
      }
    else if (ls_error_is_cancelled (local_error))
      ls_test_log ("B: CancelledError out of the inner scope; inner.expired=%s",
                   ls_test_bool (inner_expired));
  }
  outer_expired = ls_timeout_exit (outer, &local_error);
  if (is_timeout (local_error))
    {
      g_clear_error (&local_error);
      ls_test_log ("B: outer TimeoutError; outer.expired=%s", ls_test_bool (outer_expired));
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  return NULL;
}

/* ---- timeout_scope_ok ---- */

/* repr (cm.when ()) */
static char *
when_repr (double when)
{
  g_autoptr(GVariant) v = NULL;

  if (when == LS_NO_TIMEOUT)
    return ls_test_repr (NULL);
  v = g_variant_ref_sink (g_variant_new_double (when));
  return ls_test_repr (v);
}

static GVariant *
timeout_scope_ok_main (gpointer data, GError **error)
{
  GError *local_error = NULL;
  LsTimeoutScope *cm;
  gboolean expired;

  cm = ls_timeout_enter (2);
  if (ls_sleep (1, &local_error))
    ls_test_log ("1: body done");
  expired = ls_timeout_exit (cm, &local_error);
  if (local_error != NULL)
    goto fail;
  ls_test_log ("1: after scope, expired=%s", ls_test_bool (expired));
  if (!ls_sleep (2, error))
    return NULL;
  ls_test_log ("1: slept past the old deadline");

  cm = ls_timeout_enter (1);
  ls_test_log ("2: when=%.3f, reschedule to now+3", ls_timeout_when (cm));
  ls_timeout_reschedule (cm, ls_loop_time (ls_test_loop ()) + 3, NULL);
  ls_test_log ("2: when=%.3f", ls_timeout_when (cm));
  if (ls_sleep (2, &local_error))
    ls_test_log ("2: body done");
  expired = ls_timeout_exit (cm, &local_error);
  if (local_error != NULL)
    goto fail;
  ls_test_log ("2: after scope, expired=%s", ls_test_bool (expired));

  cm = ls_timeout_enter (0.5);
  ls_timeout_reschedule (cm, LS_NO_TIMEOUT, NULL);
  {
    g_autofree char *when = when_repr (ls_timeout_when (cm));

    ls_test_log ("3: when=%s", when);
  }
  if (ls_sleep (1, &local_error))
    ls_test_log ("3: body done");
  expired = ls_timeout_exit (cm, &local_error);
  if (local_error != NULL)
    goto fail;
  ls_test_log ("3: after scope, expired=%s", ls_test_bool (expired));
  return NULL;

fail:
  g_propagate_error (error, local_error);
  return NULL;
}

/* ---- timeout_scope_outer_cancel ---- */

static GVariant *
tsoc_a_body (gpointer data, GError **error)
{
  GError *local_error = NULL;
  LsTimeoutScope *scope = ls_timeout_enter (5);

  ls_sleep (10, &local_error);
  ls_timeout_exit (scope, &local_error);
  if (is_timeout (local_error))
    {
      g_clear_error (&local_error);
      ls_test_log ("A: TimeoutError (must not happen)");
    }
  else if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_log ("A: CancelledError args=%s", args);
      g_propagate_error (error, local_error);
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
tsoc_b_body (gpointer data, GError **error)
{
  GError *local_error = NULL;
  LsTimeoutScope *scope = ls_timeout_enter (1);

  if (!ls_sleep (10, &local_error) && ls_error_is_cancelled (local_error))
    {
      GError *cleanup_error = NULL;

      ls_test_log ("B: scope expired, cleanup sleep(0.5)");
      if (!ls_sleep (0.5, &cleanup_error))
        {
          /* a new error replaces the one being handled */
          g_clear_error (&local_error);
          local_error = cleanup_error;
        }
      else
        ls_test_log ("B: cleanup done (must not happen)");
    }
  ls_timeout_exit (scope, &local_error);
  if (is_timeout (local_error))
    {
      g_clear_error (&local_error);
      ls_test_log ("B: TimeoutError (must not happen)");
    }
  else if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_log ("B: CancelledError out of the scope, args=%s", args);
      g_propagate_error (error, local_error);
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
timeout_scope_outer_cancel_main (gpointer data, GError **error)
{
  {
    g_autoptr(LsTask) t = ls_task_create ("A", tsoc_a_body, NULL, NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!ls_sleep (1, error))
      return NULL;
    ls_test_log ("main: A.cancel('outside') -> %s", ls_test_bool (ls_task_cancel (t, "outside")));
    r = ls_task_await (t, &local_error);
    if (ls_error_is_cancelled (local_error))
      ls_test_log ("main: A cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  }
  {
    g_autoptr(LsTask) t = ls_task_create ("B", tsoc_b_body, NULL, NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!ls_sleep (1.25, error))
      return NULL;
    ls_test_log ("main: B.cancel('outside') -> %s", ls_test_bool (ls_task_cancel (t, "outside")));
    r = ls_task_await (t, &local_error);
    if (ls_error_is_cancelled (local_error))
      ls_test_log ("main: B cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  }
  return NULL;
}

/* ---- shield_inner_result ---- */

static GVariant *
sir_child (gpointer data, GError **error)
{
  ChildSpec *spec = data;

  if (!ls_sleep (spec->delay, error))
    return NULL;
  ls_test_logi ("%s: finishing", spec->name);
  if (spec->fail)
    {
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "boom from %s", spec->name);
      return NULL;
    }
  return g_variant_new_string (spec->name);
}

/* await asyncio.shield(t) */
static GVariant *
await_shield (LsTask  *t,
              GError **error)
{
  g_autoptr(LsFuture) outer = ls_shield (LS_FUTURE (t));

  return ls_future_await (outer, error);
}

static GVariant *
shield_inner_result_main (gpointer data, GError **error)
{
  {
    g_autoptr(LsTask) t = spawn (sir_child, "direct", "direct", 1, FALSE);
    g_autoptr(GVariant) r = NULL;
    g_autofree char *repr = NULL;

    if ((r = ls_task_await (t, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r);
    ls_test_logi ("main: await direct -> %s", repr);
  }
  {
    g_autoptr(LsTask) t = spawn (sir_child, "shielded", "shielded", 1, FALSE);
    g_autoptr(GVariant) r = NULL;
    g_autofree char *repr = NULL;

    if ((r = await_shield (t, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r);
    ls_test_logi ("main: await shield(shielded) -> %s", repr);
  }
  {
    g_autoptr(LsTask) t = spawn (sir_child, "bad", "bad", 1, TRUE);
    g_autoptr(LsTask) t2 = NULL;
    g_autoptr(LsFuture) s = NULL;
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autoptr(GVariant) r2 = NULL;
    g_autofree char *repr = NULL;

    r = await_shield (t, &local_error);
    if (is_value_error (local_error))
      {
        g_autofree char *exc = ls_test_fmt_exc (local_error);

        ls_test_logi ("main: await shield(bad) raised %s", exc);
      }
    else if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    s = ls_shield (LS_FUTURE (t));
    ls_test_logi ("main: shield(done task) is the task: %s", ls_test_bool (s == LS_FUTURE (t)));
    t2 = spawn (sir_child, "ok", "ok", 0.5, FALSE);
    if (!ls_sleep (1, error))
      return NULL;
    ls_test_logi ("main: before await shield(done ok)");
    if ((r2 = await_shield (t2, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r2);
    ls_test_logi ("main: await shield(done ok) -> %s", repr);
  }
  return NULL;
}

/* ---- shield_outer_cancelled ---- */

static GVariant *
soc_inner (gpointer data, GError **error)
{
  GError *local_error = NULL;

  if (ls_sleep (2, &local_error))
    {
      ls_test_log ("inner: done");
      return g_variant_new_string ("inner result");
    }
  if (ls_error_is_cancelled (local_error))
    ls_test_log ("inner: cancelled (must not happen)");
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
soc_w_body (gpointer data, GError **error)
{
  LsTask *t = data;
  GError *local_error = NULL;
  g_autoptr(GVariant) r = await_shield (t, &local_error);

  if (local_error == NULL)
    {
      g_autofree char *repr = ls_test_repr (r);

      ls_test_log ("W: got %s (must not happen)", repr);
      return NULL;
    }
  if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_log ("W: CancelledError args=%s", args);
    }
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
shield_outer_cancelled_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("inner", soc_inner, NULL, NULL);
  g_autoptr(LsTask) w = ls_task_create ("W", soc_w_body, ls_task_ref (t),
                                        (GDestroyNotify) ls_task_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) rw = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autofree char *repr = NULL;

  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("main: W.cancel('stop') -> %s", ls_test_bool (ls_task_cancel (w, "stop")));
  rw = ls_task_await (w, &local_error);
  if (ls_error_is_cancelled (local_error))
    ls_test_log ("main: W cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (w))));
  ls_test_log ("main: inner done=%s", ls_test_bool (ls_future_is_done (LS_FUTURE (t))));
  if ((r = ls_task_await (t, error)) == NULL)
    return NULL;
  repr = ls_test_repr (r);
  ls_test_log ("main: await inner -> %s; inner cancelled=%s", repr,
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (wait_for_inner_swallows_cancel);
  LS_TEST_PYREF (wait_for_ok);
  LS_TEST_PYREF (wait_for_outer_cancelled);
  LS_TEST_PYREF (wait_for_timeout);
  LS_TEST_PYREF (wait_for_zero_timeout);
  LS_TEST_PYREF (timeout_scope_after_swallowed_cancel);
  LS_TEST_PYREF (timeout_scope_cleanup_await);
  LS_TEST_PYREF (timeout_scope_expires);
  LS_TEST_PYREF (timeout_scope_nested);
  LS_TEST_PYREF (timeout_scope_ok);
  LS_TEST_PYREF (timeout_scope_outer_cancel);
  LS_TEST_PYREF (shield_inner_result);
  LS_TEST_PYREF (shield_outer_cancelled);

  return g_test_run ();
}
