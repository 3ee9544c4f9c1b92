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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (run_until_complete_last_iteration);
  LS_TEST_PYREF (gather_cancel_message);
  LS_TEST_PYREF (future_invalid_state);

  return g_test_run ();
}
