/* SPDX-License-Identifier: MIT
 *
 * Where asyncio's behaviour goes beyond the chapter: when
 * run_until_complete stops, a gather's cancel message, InvalidStateError and
 * Future.exception(), sleep's result, cancellable handles. Each test is the
 * C twin of tests/pyref/NAME.py and must print exactly what CPython 3.11
 * printed (tests/expected/NAME.txt).
 */
#include "config.h"

#include "ls-test-util.h"

/* ---- run_until_complete_last_iteration ---- */

static GVariant *
rucl_waiter (gpointer data, GError **error)
{
  ls_test_logi ("waiter: waiting");
  if (!ls_event_wait (data, error))
    return NULL;
  ls_test_logi ("waiter: woken");
  return NULL;
}

static void
rucl_done_callback (LsFuture *task, gpointer data)
{
  ls_test_logi ("main: done callback, done=%s", ls_test_bool (ls_future_is_done (task)));
}

static void
rucl_call_soon (gpointer a, gpointer b)
{
  ls_test_logi ("call_soon from main's last step");
}

static GVariant *
run_until_complete_last_iteration_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();
  g_autoptr(LsEvent) ev = ls_event_new (NULL, "ev");
  g_autoptr(LsTask) waiter = ls_task_create ("waiter", rucl_waiter, ls_event_ref (ev),
                                             (GDestroyNotify) ls_event_unref);
  g_autoptr(LsTimer) handle = NULL;

  if (!ls_sleep (0, error))
    return NULL;
  ls_future_add_done_callback (LS_FUTURE (ls_task_current ()), rucl_done_callback, NULL);
  ls_event_set (ev);
  handle = ls_loop_call_soon (loop, rucl_call_soon, NULL, NULL);
  ls_test_logi ("main: returning");
  return NULL;
}

/* ---- gather_cancel_message ---- */

typedef struct
{
  const char *name;
  double      delay;
} GcmChild;

static GVariant *
gcm_child (gpointer data, GError **error)
{
  GcmChild *child = data;
  g_autoptr(GError) local_error = NULL;

  if (!ls_sleep (child->delay, &local_error))
    {
      g_autofree char *exc = NULL;

      if (!ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      exc = ls_test_fmt_exc (local_error);
      ls_test_logi ("%s: caught %s, returning", child->name, exc);
      return g_variant_new_take_string (g_strconcat (child->name, " (cancelled)", NULL));
    }
  return g_variant_new_string (child->name);
}

static GVariant *
gather_cancel_message_main (gpointer data, GError **error)
{
  static const struct { const char *label; double delay; } cases[] = { { "A", 0 }, { "B", 1 } };
  LsLoop *loop = ls_test_loop ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GcmChild ca = { "a", cases[i].delay }, cb = { "b", cases[i].delay };
      g_autoptr(LsTask) a = NULL, b = NULL;
      g_autoptr(LsFuture) g = NULL;
      g_autoptr(GVariant) r = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *ra = NULL, *rb = NULL;
      LsTask *ab[2];

      ls_test_logi ("-- %s: children at sleep(%g)", cases[i].label, cases[i].delay);
      a = ls_task_create ("a", gcm_child, &ca, NULL);
      b = ls_task_create ("b", gcm_child, &cb, NULL);
      if (!ls_sleep (0, error))
        return NULL;
      ab[0] = a;
      ab[1] = b;
      g = ls_gather_start (loop, (LsFuture **) ab, 2, FALSE);
      ls_test_logi ("main: g.cancel('stop') -> %s", ls_test_bool (ls_future_cancel (g, "stop")));
      r = ls_future_await (g, &local_error);
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *exc = ls_test_fmt_exc (local_error);

          ls_test_logi ("main: await g -> %s", exc);
        }
      else if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      else
        ls_test_logi ("main: await g -> a list");
      ra = ls_test_result_repr (LS_FUTURE (a));
      rb = ls_test_result_repr (LS_FUTURE (b));
      ls_test_logi ("main: a/b cancelled=%s/%s, results %s/%s",
                    ls_test_bool (ls_future_is_cancelled (LS_FUTURE (a))),
                    ls_test_bool (ls_future_is_cancelled (LS_FUTURE (b))), ra, rb);
    }
  return NULL;
}

/* ---- future_invalid_state ---- */

typedef enum
{
  OP_RESULT,
  OP_EXCEPTION,
  OP_SET_RESULT,
  OP_SET_EXCEPTION,
} FutureOp;

/* attempt(label, fn): logs the return value or the exception raised */
static void
attempt (const char *label,
         LsFuture   *f,
         FutureOp    op)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GError) exc = NULL;
  g_autofree char *text = NULL;

  switch (op)
    {
    case OP_RESULT:
      r = ls_future_get_result (f, &error);
      break;
    case OP_EXCEPTION:
      exc = ls_future_exception (f, &error);
      break;
    case OP_SET_RESULT:
      ls_future_set_result (f, g_variant_new_int32 (2), &error);
      break;
    case OP_SET_EXCEPTION:
      ls_future_set_exception (f, ls_test_value_error ("x"), &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (error != NULL)
    text = ls_test_fmt_exc (error);
  else if (op == OP_EXCEPTION)
    {
      /* repr (fmt_exc (e.exception ())) for a failed one, repr (None) */
      g_autofree char *inner = exc != NULL ? ls_test_fmt_exc (exc) : NULL;

      text = inner != NULL ? g_strdup_printf ("\"%s\"", inner) : g_strdup ("None");
    }
  else
    text = ls_test_repr (r);
  ls_test_logi ("%s -> %s", label, text);
}

static GVariant *
fis_raises_cancelled (gpointer data, GError **error)
{
  g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_CANCELLED, "from inside");
  return NULL;
}

static GVariant *
future_invalid_state_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();
  g_autoptr(LsFuture) f = ls_future_new (loop, "f");
  g_autoptr(LsFuture) c = ls_future_new (loop, "c");
  g_autoptr(LsFuture) e = ls_future_new (loop, "e");
  g_autoptr(LsTask) t = NULL;

  attempt ("pending: result()", f, OP_RESULT);
  attempt ("pending: exception()", f, OP_EXCEPTION);
  ls_future_set_result (f, g_variant_new_int32 (1), NULL);
  attempt ("finished: set_result(2)", f, OP_SET_RESULT);
  attempt ("finished: set_exception()", f, OP_SET_EXCEPTION);
  attempt ("finished: exception()", f, OP_EXCEPTION);

  ls_future_cancel (c, "why");
  attempt ("cancelled: set_result(2)", c, OP_SET_RESULT);
  attempt ("cancelled: set_exception()", c, OP_SET_EXCEPTION);
  attempt ("cancelled: exception()", c, OP_EXCEPTION);
  attempt ("cancelled: exception() again", c, OP_EXCEPTION);
  attempt ("cancelled: result()", c, OP_RESULT);

  ls_future_set_exception (e, ls_test_value_error ("boom"), NULL);
  attempt ("failed: exception()", e, OP_EXCEPTION);

  t = ls_task_create ("t", fis_raises_cancelled, NULL, NULL);
  if (!ls_sleep (0, error))
    return NULL;
  attempt ("task: exception()", LS_FUTURE (t), OP_EXCEPTION);
  attempt ("task: exception() again", LS_FUTURE (t), OP_EXCEPTION);
  return NULL;
}

/* ---- timeout_nonpositive ---- */

static GVariant *
tn_worker (gpointer data, GError **error)
{
  const char *name = data;
  GError *local_error = NULL;

  if (ls_sleep (1, &local_error))
    return g_variant_new_string (name);
  if (ls_error_is_cancelled (local_error))
    ls_test_logi ("%s: cancelled", name);
  g_propagate_error (error, local_error);
  return NULL;
}

static gboolean
is_timeout (const GError *error)
{
  return g_error_matches (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT);
}

static GVariant *
timeout_nonpositive_main (gpointer data, GError **error)
{
  static const double timeouts[] = { 0, -1 };
  LsLoop *loop = ls_test_loop ();

  for (guint i = 0; i < G_N_ELEMENTS (timeouts); i++)
    {
      g_autoptr(LsTask) t = ls_task_create ("w", tn_worker,
                                            g_strdup_printf ("w%g", timeouts[i]), g_free);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) r = NULL;
      g_autofree char *exc = NULL;

      if (!ls_sleep (0, error))
        return NULL;
      r = ls_wait_for (LS_FUTURE (t), timeouts[i], &local_error);
      if (!is_timeout (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      exc = ls_test_fmt_exc (local_error);
      ls_test_logi ("1: wait_for(t, %g) -> %s, t cancelled=%s", timeouts[i], exc,
                    ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
    }
  {
    g_autoptr(LsFuture) done = ls_future_new (loop, "done");
    g_autoptr(GVariant) r = NULL;
    g_autofree char *repr = NULL;

    ls_future_set_result (done, g_variant_new_string ("early"), NULL);
    if ((r = ls_wait_for (done, 0, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r);
    ls_test_logi ("1: wait_for(done future, 0) -> %s", repr);
  }

  for (guint i = 0; i < 3; i++)
    {
      static const char *labels[] = { "timeout(0)", "timeout(-1)", "timeout_at(now - 1)" };
      g_autoptr(LsTimeoutScope) cm = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *exc = NULL;

      cm = i == 0 ? ls_timeout_new (0)
           : i == 1 ? ls_timeout_new (-1)
           : ls_timeout_new_at (ls_loop_time_ns (loop) - 1000000000);
      if (!ls_timeout_enter_scope (cm, error))
        return NULL;
      ls_test_logi ("2: %s entered", labels[i]);
      if (ls_sleep (1, &local_error))
        ls_test_logi ("2: not reached");
      ls_timeout_exit (cm, &local_error);
      if (!is_timeout (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      exc = ls_test_fmt_exc (local_error);
      ls_test_logi ("2: %s -> %s, expired=%s", labels[i], exc,
                    ls_test_bool (ls_timeout_expired (cm)));
    }
  {
    g_autoptr(LsTimeoutScope) cm = ls_timeout_new (0);

    if (!ls_timeout_enter_scope (cm, error))
      return NULL;
    ls_test_logi ("2: timeout(0) around a body that does not suspend");
    ls_timeout_exit (cm, NULL);
    ls_test_logi ("2: after it, expired=%s", ls_test_bool (ls_timeout_expired (cm)));
    if (!ls_sleep (0, error))
      return NULL;
  }

  {
    g_autoptr(LsTask) t = ls_task_create ("w3", tn_worker, g_strdup ("w3"), g_free);
    g_autoptr(GPtrArray) done = NULL, pending = NULL;
    g_autoptr(LsAsCompleted) it = NULL;
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!ls_wait ((LsFuture **) &t, 1, 0, LS_ALL_COMPLETED, &done, &pending, error))
      return NULL;
    ls_test_logi ("3: wait(timeout=0) -> done=%u pending=%u", done->len, pending->len);
    it = ls_as_completed_new ((LsFuture **) &t, 1, -1);
    while (ls_as_completed_has_next (it))
      {
        g_autoptr(GError) e = NULL;
        g_autoptr(GVariant) v = ls_as_completed_next (it, NULL, &e);

        if (is_timeout (e))
          {
            g_autofree char *exc = ls_test_fmt_exc (e);

            ls_test_logi ("3: as_completed(timeout=-1) -> %s", exc);
          }
        else if (e != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&e));
            return NULL;
          }
      }
    ls_task_cancel (t, NULL);
    r = ls_task_await (t, &local_error);
    if (local_error != NULL && !ls_error_is_cancelled (local_error))
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }
  return NULL;
}

/* ---- timeout_reschedule_inactive ---- */

static void
try_reschedule (const char     *label,
                LsTimeoutScope *cm,
                double          when)
{
  g_autoptr(GError) error = NULL;

  if (ls_timeout_reschedule (cm, when, &error))
    {
      g_autoptr(GVariant) v = NULL;
      g_autofree char *repr = NULL;

      if (ls_timeout_when (cm) != LS_NO_TIMEOUT)
        v = g_variant_ref_sink (g_variant_new_double (ls_timeout_when (cm)));
      repr = ls_test_repr (v);
      ls_test_logi ("%s: reschedule -> when=%s", label, repr);
    }
  else
    {
      g_autofree char *exc = ls_test_fmt_exc (error);

      ls_test_logi ("%s: reschedule -> %s", label, exc);
    }
}

static GVariant *
timeout_reschedule_inactive_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();
  g_autoptr(LsTimeoutScope) cm = ls_timeout_new (1);
  g_autoptr(LsTimeoutScope) cm2 = NULL;
  g_autoptr(GError) local_error = NULL;

  try_reschedule ("created", cm, ls_loop_time (loop) + 2);
  if (!ls_timeout_enter_scope (cm, error))
    return NULL;
  try_reschedule ("active", cm, ls_loop_time (loop) + 2);
  ls_timeout_exit (cm, NULL);
  try_reschedule ("finished", cm, LS_NO_TIMEOUT);
  if (!ls_timeout_enter_scope (cm, &local_error))
    {
      g_autofree char *exc = ls_test_fmt_exc (local_error);

      ls_test_logi ("enter again -> %s", exc);
      g_clear_error (&local_error);
    }

  cm2 = ls_timeout_new (0.5);
  if (!ls_timeout_enter_scope (cm2, error))
    return NULL;
  if (!ls_sleep (1, &local_error) && ls_error_is_cancelled (local_error))
    try_reschedule ("expiring", cm2, ls_loop_time (loop) + 5);
  ls_timeout_exit (cm2, &local_error);
  if (is_timeout (local_error))
    ls_test_logi ("TimeoutError");
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  try_reschedule ("expired", cm2, ls_loop_time (loop) + 5);
  return NULL;
}

/* ---- exception_chaining ---- */

static GError *seen_inner, *seen_body;

static GVariant *
ec_inner (gpointer data, GError **error)
{
  GError *local_error = NULL;

  if (!ls_sleep (5, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        seen_inner = g_error_copy (local_error);
      g_propagate_error (error, local_error);
    }
  return NULL;
}

static GVariant *
ec_fail (gpointer data, GError **error)
{
  if (!ls_sleep (0, error))
    return NULL;
  g_propagate_error (error, ls_test_value_error ("boom"));
  return NULL;
}

static GVariant *
ec_fail_from (gpointer data, GError **error)
{
  /* try: int("x") / except ValueError as e: raise RuntimeError(...) from e */
  g_autoptr(GError) e = ls_test_value_error ("invalid literal for int() with base 10: 'x'");
  GError *raised = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                                        "parse failed");

  ls_error_set_cause (raised, e);
  ls_error_set_context (raised, e);
  g_propagate_error (error, raised);
  return NULL;
}

static char *
chain (const GError *e)
{
  g_autofree char *exc = ls_test_fmt_exc (e);
  g_autofree char *cause = ls_test_fmt_exc (ls_error_get_cause (e));
  g_autofree char *context = ls_test_fmt_exc (ls_error_get_context (e));

  return g_strdup_printf ("%s cause=%s context=%s suppress=%s", exc, cause, context,
                          ls_test_bool (ls_error_get_suppress_context (e)));
}

static GVariant *
exception_chaining_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();

  {
    g_autoptr(LsTask) t = ls_task_create ("inner", ec_inner, NULL, NULL);
    g_autoptr(GError) e = NULL;
    g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (t), 1, &e);
    g_autofree char *text = NULL;

    if (!is_timeout (e))
      {
        g_propagate_error (error, g_steal_pointer (&e));
        return NULL;
      }
    text = chain (e);
    ls_test_logi ("1: %s", text);
    ls_test_logi ("1: cause is the inner CancelledError: %s, is context: %s",
                  ls_test_bool (ls_error_is (ls_error_get_cause (e), seen_inner)),
                  ls_test_bool (ls_error_is (ls_error_get_cause (e), ls_error_get_context (e))));
  }

  {
    LsTimeoutScope *scope = ls_timeout_enter (1);
    g_autoptr(GError) e = NULL;
    g_autofree char *text = NULL;

    if (!ls_sleep (5, &e) && ls_error_is_cancelled (e))
      seen_body = g_error_copy (e);
    ls_timeout_exit (scope, &e);
    if (!is_timeout (e))
      {
        g_propagate_error (error, g_steal_pointer (&e));
        return NULL;
      }
    text = chain (e);
    ls_test_logi ("2: %s", text);
    ls_test_logi ("2: cause is the body's CancelledError: %s",
                  ls_test_bool (ls_error_is (ls_error_get_cause (e), seen_body)));
  }

  {
    g_autoptr(LsTask) t = ls_task_create ("fail", ec_fail, NULL, NULL);
    g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
    g_autofree char *first = NULL;
    gboolean same = TRUE;

    for (guint i = 0; i < 2; i++)
      {
        GError *e = NULL;
        g_autoptr(GVariant) r = ls_task_await (t, &e);

        if (e != NULL)
          g_ptr_array_add (errors, e);
      }
    {
      GError *e = NULL;
      g_autoptr(GPtrArray) r = ls_gather ((LsFuture **) &t, 1, FALSE, &e);

      if (e != NULL)
        g_ptr_array_add (errors, e);
    }
    {
      GError *e = NULL;
      g_autoptr(LsFuture) shielded = ls_shield (LS_FUTURE (t));
      g_autoptr(GVariant) r = ls_future_await (shielded, &e);

      if (e != NULL)
        g_ptr_array_add (errors, e);
    }
    for (guint i = 0; i < errors->len; i++)
      same = same && ls_error_is (g_ptr_array_index (errors, i),
                                  ls_future_get_exception (LS_FUTURE (t)));
    first = ls_test_fmt_exc (g_ptr_array_index (errors, 0));
    ls_test_logi ("3: %s, same object every time: %s", first, ls_test_bool (same));
  }

  {
    g_autoptr(LsTask) t = ls_task_create ("fail_from", ec_fail_from, NULL, NULL);
    g_autoptr(LsFuture) fut = ls_future_new (loop, "fut");
    g_autoptr(GError) e = NULL;
    g_autoptr(GVariant) r = ls_task_await (t, &e);
    g_autoptr(GVariant) r2 = NULL;
    g_autofree char *text = NULL;

    if (e != NULL)
      ls_future_set_exception (fut, g_steal_pointer (&e), NULL);
    r2 = ls_future_await (fut, &e);
    text = chain (e);
    ls_test_logi ("4: %s", text);
    ls_test_logi ("4: is the task's exception: %s",
                  ls_test_bool (ls_error_is (e, ls_future_get_exception (LS_FUTURE (t)))));
  }
  g_clear_error (&seen_inner);
  g_clear_error (&seen_body);
  return NULL;
}

/* ---- handles_cancel ---- */

static void
hc_log (gpointer a, gpointer b)
{
  ls_test_logi ("%s", (const char *) a);
}

static void
hc_t2 (gpointer a, gpointer b)
{
  LsTimer **t3 = a;

  ls_test_logi ("2: t2 fires, cancels t3");
  ls_timer_cancel (*t3);
}

static GVariant *
hc_sleeper (gpointer data, GError **error)
{
  return ls_sleep_result (5, g_variant_new_string ("never"), error);
}

static GVariant *
handles_cancel_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();
  g_autoptr(LsTimer) h1 = ls_loop_call_soon (loop, hc_log, "1: h1 runs", NULL);
  g_autoptr(LsTimer) h2 = ls_loop_call_soon (loop, hc_log, "1: h2 runs", NULL);
  g_autoptr(LsTimer) t1 = NULL, t2 = NULL, t3 = NULL, t4 = NULL;
  g_autoptr(GVariant) slept = NULL, zero = NULL, r = NULL;
  g_autoptr(LsTask) t = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *repr = NULL, *repr0 = NULL;

  ls_timer_cancel (h1);
  ls_test_logi ("1: h1 cancelled=%s, h2 cancelled=%s", ls_test_bool (ls_timer_cancelled (h1)),
                ls_test_bool (ls_timer_cancelled (h2)));
  if (!ls_sleep (0, error))
    return NULL;

  t1 = ls_loop_call_later (loop, 0.5, hc_log, "2: t1 fires", NULL);
  t2 = ls_loop_call_later (loop, 0.5, hc_t2, &t3, NULL);
  t3 = ls_loop_call_later (loop, 0.5, hc_log, "2: t3 fires", NULL);
  t4 = ls_loop_call_later (loop, 0.25, hc_log, "2: t4 fires", NULL);
  ls_timer_cancel (t4);
  ls_test_logi ("2: t1 when=%.3f cancelled=%s, t4 cancelled=%s",
                ls_timer_get_deadline_ns (t1) / 1e9, ls_test_bool (ls_timer_cancelled (t1)),
                ls_test_bool (ls_timer_cancelled (t4)));
  slept = ls_sleep_result (1, g_variant_new_string ("slept"), error);
  if (slept == NULL)
    return NULL;
  repr = ls_test_repr (slept);
  ls_test_logi ("3: sleep(1, 'slept') -> %s", repr);
  ls_test_logi ("2: t3 cancelled=%s; t1 cancelled=%s", ls_test_bool (ls_timer_cancelled (t3)),
                ls_test_bool (ls_timer_cancelled (t1)));
  ls_timer_cancel (t1);
  ls_test_logi ("2: t1.cancel() after it ran -> cancelled=%s",
                ls_test_bool (ls_timer_cancelled (t1)));

  zero = ls_sleep_result (0, g_variant_new_string ("zero"), error);
  if (zero == NULL)
    return NULL;
  repr0 = ls_test_repr (zero);
  ls_test_logi ("3: sleep(0, 'zero') -> %s", repr0);
  t = ls_task_create ("sleeper", hc_sleeper, NULL, NULL);
  if (!ls_sleep (0, error))
    return NULL;
  ls_task_cancel (t, NULL);
  r = ls_task_await (t, &local_error);
  if (ls_error_is_cancelled (local_error))
    ls_test_logi ("3: sleep(5, 'never') cancelled=%s",
                  ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  return NULL;
}

/* ---- primitives_value_error ---- */

static void
made (const char *label,
      gpointer    object,
      GError     *error)
{
  if (object != NULL)
    ls_test_logi ("%s -> made", label);
  else
    {
      g_autofree char *exc = ls_test_fmt_exc (error);

      ls_test_logi ("%s -> %s", label, exc);
    }
  g_clear_error (&error);
}

static GVariant *
primitives_value_error_main (gpointer data, GError **error)
{
  GError *e = NULL;
  g_autoptr(LsSemaphore) s1 = NULL, s2 = NULL, s3 = NULL;
  g_autoptr(LsBarrier) b1 = NULL, b2 = NULL, b3 = NULL;

  s1 = ls_semaphore_new (NULL, "s1", -1, &e);
  made ("Semaphore(-1)", s1, g_steal_pointer (&e));
  s2 = ls_bounded_semaphore_new (NULL, "s2", -1, &e);
  made ("BoundedSemaphore(-1)", s2, g_steal_pointer (&e));
  s3 = ls_semaphore_new (NULL, "s3", 0, &e);
  made ("Semaphore(0)", s3, g_steal_pointer (&e));
  b1 = ls_barrier_new (NULL, "b1", 0, &e);
  made ("Barrier(0)", b1, g_steal_pointer (&e));
  b2 = ls_barrier_new (NULL, "b2", -2, &e);
  made ("Barrier(-2)", b2, g_steal_pointer (&e));
  b3 = ls_barrier_new (NULL, "b3", 1, &e);
  made ("Barrier(1)", b3, g_steal_pointer (&e));
  return NULL;
}

/* ---- priority_queue_order ---- */

typedef enum
{
  SHOW_INT,
  SHOW_PAIR,      /* (prio, name) */
  SHOW_TRIPLE,    /* (prio, count, name) */
} ShowItem;

static char *
drain (LsQueue *q,
       ShowItem show)
{
  GString *out = g_string_new (NULL);

  while (!ls_queue_empty (q))
    {
      g_autoptr(GVariant) item = ls_queue_get_nowait (q, NULL);
      gint32 prio, count;
      const char *name;

      if (out->len > 0)
        g_string_append_c (out, ' ');
      switch (show)
        {
        case SHOW_INT:
          g_string_append_printf (out, "%d", g_variant_get_int32 (item));
          break;
        case SHOW_PAIR:
          g_variant_get (item, "(i&s)", &prio, &name);
          g_string_append_printf (out, "%d:%s", prio, name);
          break;
        case SHOW_TRIPLE:
        default:
          g_variant_get (item, "(ii&s)", &prio, &count, &name);
          g_string_append_printf (out, "%d:%s", prio, name);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* Job.__lt__: the priority only */
static int
job_compare (gconstpointer a, gconstpointer b, gpointer data)
{
  gint32 pa, pb;

  g_variant_get_child ((GVariant *) a, 0, "i", &pa);
  g_variant_get_child ((GVariant *) b, 0, "i", &pb);
  return pa < pb ? -1 : pa > pb;
}

static GVariant *
pqo_getter (gpointer data, GError **error)
{
  g_autoptr(GVariant) item = ls_queue_get (data, error);
  gint32 prio;
  const char *name;

  if (item == NULL)
    return NULL;
  g_variant_get (item, "(i&s)", &prio, &name);
  ls_test_logi ("5: getter got (%d, '%s')", prio, name);
  return NULL;
}

static GVariant *
priority_queue_order_main (gpointer data, GError **error)
{
  static const gint32 numbers[] = { 5, 1, 3, 3, 0, 4, 2 };
  static const struct { gint32 prio; const char *name; } pairs[] = {
    { 2, "b" }, { 1, "z" }, { 2, "a" }, { 1, "y" }, { 0, "m" }, { 2, "c" },
  };
  static const struct { gint32 prio; const char *name; } jobs[] = {
    { 1, "a" }, { 1, "b" }, { 1, "c" }, { 0, "z" }, { 1, "d" }, { 1, "e" }, { 0, "y" },
  };
  g_autoptr(LsQueue) q = ls_priority_queue_new (NULL, "q", 0);
  g_autoptr(LsQueue) jq = ls_priority_queue_new_full (NULL, "jobs", 0, job_compare, NULL, NULL);
  g_autoptr(LsTask) g = NULL;
  g_autofree char *d1 = NULL, *d2 = NULL, *d3 = NULL, *d4 = NULL;
  g_autoptr(GVariant) left = NULL;
  gint32 prio;
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    ls_queue_put_nowait (q, g_variant_new_int32 (numbers[i]), NULL);
  d1 = drain (q, SHOW_INT);
  ls_test_logi ("1: %s", d1);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    ls_queue_put_nowait (q, g_variant_new ("(is)", pairs[i].prio, pairs[i].name), NULL);
  d2 = drain (q, SHOW_PAIR);
  ls_test_logi ("2: %s", d2);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    ls_queue_put_nowait (q, g_variant_new ("(iis)", pairs[i].prio, (gint32) i, pairs[i].name),
                         NULL);
  d3 = drain (q, SHOW_TRIPLE);
  ls_test_logi ("3: %s", d3);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    ls_queue_put_nowait (jq, g_variant_new ("(is)", jobs[i].prio, jobs[i].name), NULL);
  d4 = drain (jq, SHOW_PAIR);
  ls_test_logi ("4: %s", d4);

  g = ls_task_create ("getter", pqo_getter, ls_queue_ref (q), (GDestroyNotify) ls_queue_unref);
  if (!ls_sleep (0, error))
    return NULL;
  ls_queue_put_nowait (q, g_variant_new ("(is)", 7, "seven"), NULL);
  ls_queue_put_nowait (q, g_variant_new ("(is)", 2, "two"), NULL);
  if (!ls_test_await (g, error))
    return NULL;
  left = ls_queue_get_nowait (q, NULL);
  g_variant_get (left, "(i&s)", &prio, &name);
  ls_test_logi ("5: left (%d, '%s')", prio, name);
  return NULL;
}

/* ---- run_shutdown ---- */

typedef struct
{
  const char *name;
  double      delay;
  double      cleanup;
} Sleeper;

static GVariant *
rs_sleeper (gpointer data, GError **error)
{
  Sleeper *sl = data;
  GError *local_error = NULL;

  ls_test_logi ("%s: sleeping %g", sl->name, sl->delay);
  if (ls_sleep (sl->delay, &local_error))
    return NULL;
  if (ls_error_is_cancelled (local_error))
    {
      ls_test_logi ("%s: cancelled, cleaning up", sl->name);
      if (sl->cleanup > 0)
        {
          if (!ls_sleep (sl->cleanup, error))
            {
              g_error_free (local_error);
              return NULL;
            }
          ls_test_logi ("%s: cleanup done", sl->name);
        }
    }
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
rs_never_runs (gpointer data, GError **error)
{
  ls_test_logi ("d: running");
  return NULL;
}

static void
rs_main_done (LsFuture *main_task, gpointer data)
{
  ls_test_logi ("main done: creating d");
  ls_task_unref (ls_task_new (ls_test_loop (), "d", rs_never_runs, NULL, NULL));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static GVariant *
run_shutdown_main (gpointer data, GError **error)
{
  static Sleeper a = { "a", 10, 0.5 }, b = { "b", 5, 0 }, c = { "c", 3, 0 };
  LsLoop *loop = ls_test_loop ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) list = g_string_new ("[");

  ls_task_unref (ls_task_create ("a", rs_sleeper, &a, NULL));
  ls_task_unref (ls_task_create ("b", rs_sleeper, &b, NULL));
  if (!ls_sleep (1, error))
    return NULL;
  ls_task_unref (ls_task_create ("c", rs_sleeper, &c, NULL));
  all = ls_loop_all_tasks (loop);
  for (guint i = 0; i < all->len; i++)
    g_ptr_array_add (names, (gpointer) ls_task_get_name (g_ptr_array_index (all, i)));
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (list, "%s'%s'", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (names, i));
  g_string_append_c (list, ']');
  ls_test_logi ("main: all_tasks=%s", list->str);
  ls_test_logi ("main: current_task=%s", ls_task_get_name (ls_task_current ()));
  ls_future_add_done_callback (LS_FUTURE (ls_task_current ()), rs_main_done, NULL);
  ls_test_logi ("main: returning");
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (run_until_complete_last_iteration);
  LS_TEST_PYREF (gather_cancel_message);
  LS_TEST_PYREF (future_invalid_state);
  LS_TEST_PYREF (timeout_nonpositive);
  LS_TEST_PYREF (timeout_reschedule_inactive);
  LS_TEST_PYREF (exception_chaining);
  LS_TEST_PYREF (handles_cancel);
  LS_TEST_PYREF (primitives_value_error);
  LS_TEST_PYREF (priority_queue_order);
  LS_TEST_PYREF (run_shutdown);

  return g_test_run ();
}
