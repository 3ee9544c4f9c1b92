/* SPDX-License-Identifier: MIT
 *
 * Futures, task results, done callbacks, current_task and timer ties: each
 * test is the C twin of tests/pyref/NAME.py and must print exactly what
 * CPython 3.11 printed (tests/expected/NAME.txt).
 */
#include "config.h"

#include <string.h>

#include "ls-test-util.h"

typedef struct
{
  const char *name;
  LsFuture   *fut;
} NamedFuture;

static NamedFuture *
named_future_new (const char *name,
                  LsFuture   *fut)
{
  NamedFuture *nf = g_new0 (NamedFuture, 1);

  nf->name = name;
  nf->fut = ls_future_ref (fut);
  return nf;
}

static void
named_future_free (gpointer data)
{
  NamedFuture *nf = data;

  ls_future_unref (nf->fut);
  g_free (nf);
}

/* ---- future_basics ---- */

static GVariant *
fb_waiter (gpointer data, GError **error)
{
  NamedFuture *nf = data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  ls_test_logi ("%s: awaiting", nf->name);
  r = ls_future_await (nf->fut, &local_error);
  if (local_error == NULL)
    {
      g_autofree char *repr = ls_test_repr (r);

      ls_test_logi ("%s: got %s", nf->name, repr);
    }
  else if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_logi ("%s: CancelledError args=%s", nf->name, args);
    }
  else
    {
      g_autofree char *exc = ls_test_fmt_exc (local_error);

      ls_test_logi ("%s: raised %s", nf->name, exc);
    }
  return NULL;
}

static void
fb_done_cb (LsFuture *f, gpointer data)
{
  g_autofree char *repr = ls_test_result_repr (f);

  ls_test_logi ("%s: result=%s", (const char *) data, repr);
}

static void
fb_cb4 (LsFuture *f, gpointer data)
{
  ls_test_logi ("cb4 (added when done)");
}

static GVariant *
future_basics_main (gpointer data, GError **error)
{
  static const char *cb_names[] = { "cb1", "cb2", "cb3" };
  LsLoop *loop = ls_test_loop ();

  ls_test_logi ("-- 1: set_result, two awaiters");
  {
    g_autoptr(LsFuture) fut = ls_future_new (loop, "fut");
    g_autoptr(LsTask) w1 = ls_task_create ("w1", fb_waiter, named_future_new ("w1", fut),
                                           named_future_free);
    g_autoptr(LsTask) w2 = ls_task_create ("w2", fb_waiter, named_future_new ("w2", fut),
                                           named_future_free);
    g_autoptr(GVariant) r1 = NULL;
    g_autoptr(GVariant) r2 = NULL;
    g_autofree char *repr = NULL;

    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: set_result(42)");
    ls_future_set_result (fut, g_variant_new_int32 (42), NULL);
    repr = ls_test_result_repr (fut);
    ls_test_logi ("main: fut done=%s result=%s", ls_test_bool (ls_future_is_done (fut)), repr);
    r1 = ls_task_await (w1, error);
    r2 = ls_task_await (w2, error);
  }

  ls_test_logi ("-- 2: set_exception");
  {
    g_autoptr(LsFuture) fut = ls_future_new (loop, "fut");
    g_autoptr(LsTask) w = ls_task_create ("w3", fb_waiter, named_future_new ("w3", fut),
                                          named_future_free);
    g_autoptr(GVariant) r = NULL;
    g_autofree char *exc = NULL;

    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: set_exception(ValueError('boom'))");
    ls_future_set_exception (fut, ls_test_value_error ("boom"), NULL);
    exc = ls_test_fmt_exc (ls_future_get_exception (fut));
    ls_test_logi ("main: fut.exception() -> %s", exc);
    r = ls_task_await (w, error);
  }

  ls_test_logi ("-- 3: cancel an awaited future");
  {
    g_autoptr(LsFuture) fut = ls_future_new (loop, "fut");
    g_autoptr(LsTask) w = ls_task_create ("w4", fb_waiter, named_future_new ("w4", fut),
                                          named_future_free);
    g_autoptr(GVariant) r = NULL;

    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: cancel('stop') -> %s", ls_test_bool (ls_future_cancel (fut, "stop")));
    ls_test_logi ("main: fut done=%s cancelled=%s", ls_test_bool (ls_future_is_done (fut)),
                  ls_test_bool (ls_future_is_cancelled (fut)));
    ls_test_logi ("main: cancel again -> %s", ls_test_bool (ls_future_cancel (fut, "again")));
    r = ls_task_await (w, error);
  }

  ls_test_logi ("-- 4: done callbacks");
  {
    g_autoptr(LsFuture) fut = ls_future_new (loop, "fut");

    for (guint i = 0; i < G_N_ELEMENTS (cb_names); i++)
      ls_future_add_done_callback (fut, fb_done_cb, (gpointer) cb_names[i]);
    ls_test_logi ("main: set_result('x')");
    ls_future_set_result (fut, g_variant_new_string ("x"), NULL);
    ls_test_logi ("main: still in the same iteration");
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: after sleep(0)");
    ls_future_add_done_callback (fut, fb_cb4, NULL);
    ls_test_logi ("main: added cb4 to the done future");
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: after sleep(0)");
  }
  return NULL;
}

/* ---- task_result_exception ---- */

static GVariant *
tre_ok (gpointer data, GError **error)
{
  if (!ls_sleep (1, error))
    return NULL;
  return g_variant_new_int32 (7);
}

static GVariant *
tre_bad (gpointer data, GError **error)
{
  if (!ls_sleep (2, error))
    return NULL;
  g_propagate_error (error, ls_test_value_error ("boom"));
  return NULL;
}

static GVariant *
task_result_exception_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t_ok = ls_task_create ("ok", tre_ok, NULL, NULL);
  g_autoptr(LsTask) t_bad = ls_task_create ("bad", tre_bad, NULL, NULL);
  g_autoptr(GError) pending_error = NULL;
  g_autoptr(GError) await_error = NULL;
  g_autoptr(GError) result_error = NULL;
  g_autoptr(GVariant) pending_result = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) bad_r = NULL;
  g_autoptr(GVariant) bad_result = NULL;

  pending_result = ls_future_get_result (LS_FUTURE (t_ok), &pending_error);
  if (pending_error != NULL)
    ls_test_log ("ok.result() while pending: %s", ls_error_get_python_name (pending_error));
  r = ls_task_await (t_ok, error);
  if (r == NULL && *error != NULL)
    return NULL;
  {
    g_autofree char *repr = ls_test_repr (r);
    g_autofree char *result = ls_test_result_repr (LS_FUTURE (t_ok));
    g_autofree char *exc = ls_test_fmt_exc (ls_future_get_exception (LS_FUTURE (t_ok)));

    ls_test_log ("await ok -> %s", repr);
    ls_test_log ("ok: done=%s cancelled=%s result=%s exception=%s",
                 ls_test_bool (ls_future_is_done (LS_FUTURE (t_ok))),
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t_ok))), result, exc);
  }

  bad_r = ls_task_await (t_bad, &await_error);
  if (await_error != NULL && g_error_matches (await_error, LS_RUNTIME_ERROR,
                                              LS_RUNTIME_ERROR_VALUE))
    {
      g_autofree char *exc = ls_test_fmt_exc (await_error);
      const GError *stored = ls_future_get_exception (LS_FUTURE (t_bad));

      ls_test_log ("await bad raised %s", exc);
      /* GErrors are copied, not shared: "the same object" is the same
       * domain, code and message */
      ls_test_log ("same object as bad.exception(): %s",
                   ls_test_bool (stored != NULL
                                 && g_error_matches (stored, await_error->domain,
                                                     await_error->code)
                                 && strcmp (stored->message, await_error->message) == 0));
    }
  else if (await_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&await_error));
      return NULL;
    }
  {
    g_autofree char *exc = ls_test_fmt_exc (ls_future_get_exception (LS_FUTURE (t_bad)));

    ls_test_log ("bad: done=%s cancelled=%s exception=%s",
                 ls_test_bool (ls_future_is_done (LS_FUTURE (t_bad))),
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t_bad))), exc);
  }
  bad_result = ls_future_get_result (LS_FUTURE (t_bad), &result_error);
  if (result_error != NULL)
    {
      g_autofree char *exc = ls_test_fmt_exc (result_error);

      ls_test_log ("bad.result() raised %s", exc);
    }
  return NULL;
}

/* ---- await_done_task_no_suspend ---- */

static GVariant *
adtns_quick (gpointer data, GError **error)
{
  return g_variant_new_int32 (1);
}

static GVariant *
adtns_bad (gpointer data, GError **error)
{
  g_propagate_error (error, ls_test_value_error ("boom"));
  return NULL;
}

static GVariant *
await_done_task_no_suspend_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) t = ls_task_create ("quick", adtns_quick, NULL, NULL);
  g_autoptr(LsTask) b = ls_task_create ("bad", adtns_bad, NULL, NULL);
  g_autoptr(LsFuture) fut = NULL;
  g_autoptr(GError) bad_error = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) rb = NULL;
  g_autoptr(GVariant) rf1 = NULL;
  g_autoptr(GVariant) rf2 = NULL;
  g_autofree char *repr = NULL;
  g_autofree char *repr1 = NULL;
  g_autofree char *repr2 = NULL;

  if (!ls_sleep (0, error))
    return NULL;
  ls_test_logi ("main: quick done=%s, bad done=%s",
                ls_test_bool (ls_future_is_done (LS_FUTURE (t))),
                ls_test_bool (ls_future_is_done (LS_FUTURE (b))));
  ls_test_logi ("main: before await quick");
  r = ls_task_await (t, error);
  repr = ls_test_repr (r);
  ls_test_logi ("main: after await quick -> %s", repr);
  ls_test_logi ("main: before await bad");
  rb = ls_task_await (b, &bad_error);
  if (g_error_matches (bad_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE))
    ls_test_logi ("main: await bad raised %s", ls_error_get_python_name (bad_error));
  fut = ls_future_new (ls_test_loop (), "fut");
  ls_future_set_result (fut, g_variant_new_string ("f"), NULL);
  ls_test_logi ("main: before await done future");
  rf1 = ls_future_await (fut, error);
  repr1 = ls_test_repr (rf1);
  ls_test_logi ("main: after await done future -> %s", repr1);
  rf2 = ls_future_await (fut, error);
  repr2 = ls_test_repr (rf2);
  ls_test_logi ("main: awaited it again -> %s", repr2);
  return NULL;
}

/* ---- done_callbacks_on_task ---- */

typedef struct
{
  const char *name;
  double      delay;
  gboolean    fail;
} ChildSpec;

static ChildSpec *
child_spec_new (const char *name,
                double      delay,
                gboolean    fail)
{
  ChildSpec *spec = g_new0 (ChildSpec, 1);

  spec->name = name;
  spec->delay = delay;
  spec->fail = fail;
  return spec;
}

static GVariant *
dcot_child (gpointer data, GError **error)
{
  ChildSpec *spec = data;

  if (!ls_sleep (spec->delay, error))
    return NULL;
  ls_test_logi ("%s: finishing", spec->name);
  if (spec->fail)
    {
      g_propagate_error (error, ls_test_value_error ("boom"));
      return NULL;
    }
  return g_variant_new_int32 (5);
}

static void
dcot_cb (LsFuture *f, gpointer data)
{
  const char *label = data;
  const GError *exc = ls_future_get_exception (f);

  if (exc != NULL)
    ls_test_logi ("%s: %s done=%s exception=%s", label, ls_task_get_name ((LsTask *) f),
                  ls_test_bool (ls_future_is_done (f)), ls_error_get_python_name (exc));
  else
    {
      g_autofree char *repr = ls_test_result_repr (f);

      ls_test_logi ("%s: %s done=%s result=%s", label, ls_task_get_name ((LsTask *) f),
                    ls_test_bool (ls_future_is_done (f)), repr);
    }
}

static GVariant *
done_callbacks_on_task_main (gpointer data, GError **error)
{
  static const char *labels[] = { "cb1", "cb2", "cb3" };
  g_autoptr(LsTask) t = NULL;
  g_autoptr(LsTask) b = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) rb = NULL;
  g_autoptr(GError) bad_error = NULL;
  g_autofree char *repr = NULL;

  t = ls_task_create ("child", dcot_child, child_spec_new ("child", 1, FALSE), g_free);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    ls_future_add_done_callback (LS_FUTURE (t), dcot_cb, (gpointer) labels[i]);
  r = ls_task_await (t, error);
  if (r == NULL && *error != NULL)
    return NULL;
  repr = ls_test_repr (r);
  ls_test_logi ("main: await child -> %s", repr);
  ls_future_add_done_callback (LS_FUTURE (t), dcot_cb, (gpointer) "cb4");
  ls_test_logi ("main: added cb4 after completion");
  if (!ls_sleep (0, error))
    return NULL;
  ls_test_logi ("main: after sleep(0)");

  b = ls_task_create ("bad", dcot_child, child_spec_new ("bad", 1, TRUE), g_free);
  ls_future_add_done_callback (LS_FUTURE (b), dcot_cb, (gpointer) "cbA");
  ls_future_add_done_callback (LS_FUTURE (b), dcot_cb, (gpointer) "cbB");
  rb = ls_task_await (b, &bad_error);
  if (g_error_matches (bad_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE))
    ls_test_logi ("main: await bad raised %s", ls_error_get_python_name (bad_error));
  else if (bad_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&bad_error));
      return NULL;
    }
  return NULL;
}

/* ---- current_task ---- */

/* async def helper(): a coroutine awaited directly runs in its caller's task */
static const char *
ct_helper (void)
{
  return ls_task_get_name (ls_task_current ());
}

static GVariant *
ct_helper_task (gpointer data, GError **error)
{
  return g_variant_new_string (ct_helper ());
}

static GVariant *
ct_worker (gpointer data, GError **error)
{
  LsTask *me = ls_task_current ();

  ls_test_log ("worker: current_task name='%s'", ls_task_get_name (me));
  ls_test_log ("worker: helper() sees '%s'", ct_helper ());
  if (!ls_sleep (1, error))
    return NULL;
  ls_test_log ("worker: after sleep, still '%s'", ls_task_get_name (ls_task_current ()));
  /* "return me": a task is not a GVariant; its id identifies it */
  return g_variant_new_uint32 (ls_task_get_id (me));
}

static GVariant *
current_task_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = NULL;
  g_autoptr(LsTask) b = NULL;
  g_autoptr(LsTask) u = NULL;
  g_autoptr(GVariant) ra = NULL;
  g_autoptr(GVariant) rb = NULL;
  g_autoptr(GVariant) ru = NULL;
  g_autofree char *repr = NULL;

  ls_test_log ("main: current_task name='%s'", ls_task_get_name (ls_task_current ()));
  a = ls_task_create ("alpha", ct_worker, NULL, NULL);
  b = ls_task_create ("beta", ct_worker, NULL, NULL);
  if ((ra = ls_task_await (a, error)) == NULL || (rb = ls_task_await (b, error)) == NULL)
    return NULL;
  ls_test_log ("main: alpha returned itself: %s, beta: %s",
               ls_test_bool (g_variant_get_uint32 (ra) == ls_task_get_id (a)),
               ls_test_bool (g_variant_get_uint32 (rb) == ls_task_get_id (b)));
  u = ls_task_create (NULL, ct_helper_task, NULL, NULL);
  ru = ls_task_await (u, error);
  repr = ls_test_repr (ru);
  ls_test_log ("main: unnamed task sees %s", repr);
  ls_test_log ("main: after awaits, main is '%s'", ls_task_get_name (ls_task_current ()));
  return NULL;
}

/* ---- equal_deadlines ---- */

typedef struct
{
  char  *name;
  double start;
  double delay;
} SleepSpec;

static SleepSpec *
sleep_spec_new (const char *name,
                double      start,
                double      delay)
{
  SleepSpec *spec = g_new0 (SleepSpec, 1);

  spec->name = g_strdup (name);
  spec->start = start;
  spec->delay = delay;
  return spec;
}

static void
sleep_spec_free (gpointer data)
{
  SleepSpec *spec = data;

  g_free (spec->name);
  g_free (spec);
}

static GVariant *
ed_sleeper (gpointer data, GError **error)
{
  SleepSpec *spec = data;

  if (!ls_sleep (spec->delay, error))
    return NULL;
  ls_test_logi ("%s woke (slept %.2f)", spec->name, spec->delay);
  return NULL;
}

static GVariant *
ed_delayed (gpointer data, GError **error)
{
  SleepSpec *spec = data;

  if (!ls_sleep (spec->start, error))
    return NULL;
  ls_test_logi ("%s: sleeping %.2f", spec->name, spec->delay);
  if (!ls_sleep (spec->delay, error))
    return NULL;
  ls_test_logi ("%s woke", spec->name);
  return NULL;
}

/* for t in tasks: await t (unreferences them all, even after an error) */
static gboolean
await_all (LsTask **tasks,
           guint    n,
           GError **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      if (ok)
        {
          g_autoptr(GVariant) r = ls_task_await (tasks[i], error);

          ok = r != NULL || error == NULL || *error == NULL;
        }
      ls_task_unref (tasks[i]);
    }
  return ok;
}

static GVariant *
equal_deadlines_main (gpointer data, GError **error)
{
  static const struct { const char *name; double start, delay; } specs[] = {
    { "a", 0.0, 3.0 }, { "b", 0.5, 2.5 }, { "c", 1.0, 2.0 }, { "d", 1.5, 1.5 }, { "e", 2.0, 1.0 },
  };
  LsTask *tasks[5];

  ls_test_logi ("part 1: t0..t4 sleep(1.0)");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%u", i);

      tasks[i] = ls_task_create (name, ed_sleeper, sleep_spec_new (name, 0, 1.0),
                                 sleep_spec_free);
    }
  if (!await_all (tasks, 5, error))
    return NULL;

  ls_test_logi ("part 2: a, b, c, d, e all due at 4.0");
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    tasks[i] = ls_task_create (specs[i].name, ed_delayed,
                               sleep_spec_new (specs[i].name, specs[i].start, specs[i].delay),
                               sleep_spec_free);
  if (!await_all (tasks, G_N_ELEMENTS (specs), error))
    return NULL;
  ls_test_logi ("main: done");
  return NULL;
}

/* ---- equal_deadlines_cancelled_timer ---- */

static GVariant *
edct_sleeper (gpointer data, GError **error)
{
  SleepSpec *spec = data;
  GError *local_error = NULL;

  if (!ls_sleep (spec->delay, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        ls_test_logi ("%s cancelled", spec->name);
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("%s woke", spec->name);
  return NULL;
}

/* async def scenario(): awaited directly, so a plain call */
static gboolean
edct_scenario (const char *label,
               gboolean    with_victim,
               GError    **error)
{
  g_autoptr(LsTask) g = NULL;
  g_autoptr(LsTask) v = NULL;
  g_autoptr(GVariant) rg = NULL;
  LsTask *ts[5];

  ls_test_logi ("scenario %s", label);
  g = ls_task_create ("guard", edct_sleeper, sleep_spec_new ("guard", 0, 0.5), sleep_spec_free);
  if (with_victim)
    v = ls_task_create ("victim", edct_sleeper, sleep_spec_new ("victim", 0, 1.0),
                        sleep_spec_free);
  if (!ls_sleep (0, error))
    return FALSE;
  if (with_victim)
    {
      ls_task_cancel (v, NULL);
      if (!ls_sleep (0, error))
        return FALSE;
    }
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%u", i);

      ts[i] = ls_task_create (name, edct_sleeper, sleep_spec_new (name, 0, 1.0), sleep_spec_free);
    }
  rg = ls_task_await (g, error);
  if (rg == NULL && *error != NULL)
    {
      for (guint i = 0; i < 5; i++)
        ls_task_unref (ts[i]);
      return FALSE;
    }
  if (!await_all (ts, 5, error))
    return FALSE;
  if (with_victim)
    {
      g_autoptr(GError) victim_error = NULL;
      g_autoptr(GVariant) rv = ls_task_await (v, &victim_error);

      if (ls_error_is_cancelled (victim_error))
        ls_test_logi ("victim cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (v))));
    }
  return TRUE;
}

static GVariant *
equal_deadlines_cancelled_timer_main (gpointer data, GError **error)
{
  if (!edct_scenario ("A (cancelled victim timer in the heap)", TRUE, error))
    return NULL;
  edct_scenario ("B (no victim)", FALSE, error);
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (future_basics);
  LS_TEST_PYREF (task_result_exception);
  LS_TEST_PYREF (await_done_task_no_suspend);
  LS_TEST_PYREF (done_callbacks_on_task);
  LS_TEST_PYREF (current_task);
  LS_TEST_PYREF (equal_deadlines);
  LS_TEST_PYREF (equal_deadlines_cancelled_timer);

  return g_test_run ();
}
