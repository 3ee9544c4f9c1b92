/* SPDX-License-Identifier: MIT
 *
 * gather, wait and as_completed: each test is the C twin of
 * tests/pyref/NAME.py and must print exactly what CPython 3.11 printed
 * (tests/expected/NAME.txt).
 */
#include "config.h"

#include <string.h>

#include "ls-test-util.h"

/* repr of the list gather() returns: one completed future per child */
static char *
results_repr (GPtrArray *results)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < results->len; i++)
    {
      g_autofree char *r = ls_test_result_repr (g_ptr_array_index (results, i));

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", r);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* names(s): "{a, b}", sorted by task name */
static char *
task_names (GPtrArray *tasks)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *out = g_string_new ("{");

  for (guint i = 0; i < tasks->len; i++)
    g_ptr_array_add (names, (gpointer) ls_task_get_name (g_ptr_array_index (tasks, i)));
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", (const char *) names->pdata[i]);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static const char *
exc_type_name (const GError *e)
{
  return e != NULL ? ls_error_get_python_name (e) : "NoneType";
}

typedef struct
{
  const char *name;
  double      delay;
  gboolean    fail;
  double      cleanup;
} ChildSpec;

static LsTask *
spawn (LsTaskFunc  func,
       const char *name,
       double      delay,
       gboolean    fail,
       double      cleanup)
{
  ChildSpec *spec = g_new0 (ChildSpec, 1);

  spec->name = name;
  spec->delay = delay;
  spec->fail = fail;
  spec->cleanup = cleanup;
  return ls_task_create (name, func, spec, g_free);
}

/* child(name, delay, fail=False) as most of these programs write it:
 * logs "raising"/"done" with log() or logi() */
static GVariant *
child_common (ChildSpec *spec,
              gboolean   with_iteration,
              gboolean   log_done,
              GError   **error)
{
  if (!ls_sleep (spec->delay, error))
    return NULL;
  if (spec->fail)
    {
      if (log_done)
        {
          if (with_iteration)
            ls_test_logi ("%s: raising", spec->name);
          else
            ls_test_log ("%s: raising", spec->name);
        }
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "boom from %s", spec->name);
      return NULL;
    }
  if (log_done)
    {
      if (with_iteration)
        ls_test_logi ("%s: done", spec->name);
      else
        ls_test_log ("%s: done", spec->name);
    }
  return g_variant_new_string (spec->name);
}

static GVariant *
child_log (gpointer data, GError **error)
{
  return child_common (data, FALSE, TRUE, error);
}

static GVariant *
child_logi (gpointer data, GError **error)
{
  return child_common (data, TRUE, TRUE, error);
}

static GVariant *
child_quiet (gpointer data, GError **error)
{
  return child_common (data, FALSE, FALSE, error);
}

/* ---- gather_cancel_outer ---- */

static GVariant *
gco_child (gpointer data, GError **error)
{
  ChildSpec *spec = data;
  GError *local_error = NULL;
  g_autofree char *args = NULL;

  if (ls_sleep (spec->delay, &local_error))
    {
      ls_test_log ("%s: done", spec->name);
      return g_variant_new_string (spec->name);
    }
  if (!ls_error_is_cancelled (local_error))
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  args = ls_test_cancel_args (local_error);
  ls_test_log ("%s: CancelledError args=%s, cleanup %.1f", spec->name, args, spec->cleanup);
  if (spec->cleanup != 0)
    {
      if (!ls_sleep (spec->cleanup, error))
        {
          g_error_free (local_error);
          return NULL;
        }
      ls_test_log ("%s: cleanup done", spec->name);
    }
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
gco_waiter (gpointer data, GError **error)
{
  LsFuture *g = data;
  GError *local_error = NULL;
  g_autoptr(GVariant) r = ls_future_await (g, &local_error);

  if (local_error != NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_log ("waiter: CancelledError args=%s", args);
        }
      g_propagate_error (error, local_error);
    }
  return NULL;
}

/* async def finish(*tasks) */
static gboolean
gco_finish (LsTask **tasks,
            guint    n,
            GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) r = ls_task_await (tasks[i], &local_error);

      if (local_error != NULL && !ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      ls_test_log ("main: %s done, cancelled=%s", ls_task_get_name (tasks[i]),
                   ls_test_bool (ls_future_is_cancelled (LS_FUTURE (tasks[i]))));
    }
  return TRUE;
}

static GVariant *
gather_cancel_outer_main (gpointer data, GError **error)
{
  LsLoop *loop = ls_test_loop ();

  ls_test_log ("-- A: g.cancel('halt')");
  {
    g_autoptr(LsTask) a = spawn (gco_child, "a", 1, FALSE, 0.0);
    g_autoptr(LsTask) b = spawn (gco_child, "b", 5, FALSE, 0.5);
    g_autoptr(LsTask) c = spawn (gco_child, "c", 5, FALSE, 0.0);
    LsTask *abc[] = { a, b, c };
    g_autoptr(LsFuture) g = ls_gather_start (loop, (LsFuture **) abc, 3, FALSE);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!ls_sleep (2, error))
      return NULL;
    ls_test_log ("main: g.cancel('halt') -> %s", ls_test_bool (ls_future_cancel (g, "halt")));
    r = ls_future_await (g, &local_error);
    if (ls_error_is_cancelled (local_error))
      {
        g_autofree char *args = ls_test_cancel_args (local_error);

        ls_test_log ("main: await gather -> CancelledError args=%s", args);
      }
    else if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    ls_test_log ("main: g done=%s cancelled=%s exception=%s",
                 ls_test_bool (ls_future_is_done (g)), ls_test_bool (ls_future_is_cancelled (g)),
                 exc_type_name (ls_future_get_exception (g)));
    ls_test_log ("main: a/b/c cancelled=%s/%s/%s, b done=%s",
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (a))),
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (b))),
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (c))),
                 ls_test_bool (ls_future_is_done (LS_FUTURE (b))));
    if (!gco_finish (abc, 3, error))
      return NULL;
  }

  ls_test_log ("-- B: cancel the task awaiting the gather");
  {
    g_autoptr(LsTask) d = spawn (gco_child, "d", 5, FALSE, 0.0);
    g_autoptr(LsTask) e = spawn (gco_child, "e", 5, FALSE, 0.5);
    LsTask *de[] = { d, e };
    g_autoptr(LsTask) w = ls_task_create ("waiter", gco_waiter,
                                          ls_gather_start (loop, (LsFuture **) de, 2, FALSE),
                                          (GDestroyNotify) ls_future_unref);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!ls_sleep (1, error))
      return NULL;
    ls_test_log ("main: waiter.cancel() -> %s", ls_test_bool (ls_task_cancel (w, NULL)));
    r = ls_task_await (w, &local_error);
    if (ls_error_is_cancelled (local_error))
      ls_test_log ("main: await waiter -> CancelledError");
    ls_test_log ("main: d/e/waiter cancelled=%s/%s/%s, e done=%s",
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (d))),
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (e))),
                 ls_test_bool (ls_future_is_cancelled (LS_FUTURE (w))),
                 ls_test_bool (ls_future_is_done (LS_FUTURE (e))));
    gco_finish (de, 2, error);
  }
  return NULL;
}

/* ---- gather_child_cancelled ---- */

static GVariant *
gather_child_cancelled_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_log, "a", 5, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_log, "b", 1, FALSE, 0);
  g_autoptr(LsTask) c = spawn (child_log, "c", 3, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(LsFuture) g = ls_gather_start (ls_test_loop (), (LsFuture **) abc, 3, FALSE);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) rc = NULL;
  g_autofree char *repr = NULL;

  if (!ls_sleep (2, error))
    return NULL;
  ls_test_log ("main: a.cancel('kill a') -> %s", ls_test_bool (ls_task_cancel (a, "kill a")));
  r = ls_future_await (g, &local_error);
  if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_log ("main: await gather -> CancelledError args=%s", args);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ls_test_log ("main: gather done=%s cancelled=%s; main cancelled=%s",
               ls_test_bool (ls_future_is_done (g)), ls_test_bool (ls_future_is_cancelled (g)),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (ls_task_current ()))));
  rc = ls_task_await (c, error);
  if (rc == NULL && *error != NULL)
    return NULL;
  repr = ls_test_repr (rc);
  ls_test_log ("main: await c -> %s", repr);
  return NULL;
}

/* ---- gather_empty ---- */

static GVariant *
gather_empty_main (gpointer data, GError **error)
{
  g_autoptr(LsFuture) g = ls_gather_start (ls_test_loop (), NULL, 0, FALSE);
  g_autoptr(GVariant) r = NULL;
  g_autofree char *repr = NULL;
  GError *local_error = NULL;

  ls_test_logi ("main: gather() done=%s", ls_test_bool (ls_future_is_done (g)));
  r = ls_future_await (g, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  repr = results_repr (ls_gather_get_results (g));
  ls_test_logi ("main: await gather() -> %s", repr);
  return NULL;
}

/* ---- gather_exception ---- */

static GVariant *
gather_exception_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_log, "a", 2, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_log, "b", 1, TRUE, 0);
  g_autoptr(LsTask) c = spawn (child_log, "c", 3, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(LsFuture) g = ls_gather_start (ls_test_loop (), (LsFuture **) abc, 3, FALSE);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) ra = NULL;
  g_autoptr(GVariant) rc = NULL;
  g_autofree char *repr_a = NULL;
  g_autofree char *repr_c = NULL;

  r = ls_future_await (g, &local_error);
  if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE))
    {
      g_autofree char *exc = ls_test_fmt_exc (local_error);

      ls_test_log ("main: gather raised %s", exc);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ls_test_log ("main: gather done=%s cancelled=%s", ls_test_bool (ls_future_is_done (g)),
               ls_test_bool (ls_future_is_cancelled (g)));
  ls_test_log ("main: a done=%s, c done=%s", ls_test_bool (ls_future_is_done (LS_FUTURE (a))),
               ls_test_bool (ls_future_is_done (LS_FUTURE (c))));
  if ((ra = ls_task_await (a, error)) == NULL)
    return NULL;
  repr_a = ls_test_repr (ra);
  ls_test_log ("main: await a -> %s", repr_a);
  if ((rc = ls_task_await (c, error)) == NULL)
    return NULL;
  repr_c = ls_test_repr (rc);
  ls_test_log ("main: await c -> %s", repr_c);
  ls_test_log ("main: a cancelled=%s, c cancelled=%s",
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (a))),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (c))));
  return NULL;
}

/* ---- gather_order ---- */

static GVariant *
gather_order_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_logi, "a", 3, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_logi, "b", 1, FALSE, 0);
  g_autoptr(LsTask) c = spawn (child_logi, "c", 2, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(GPtrArray) r = NULL;
  g_autofree char *repr = NULL;

  if ((r = ls_gather ((LsFuture **) abc, 3, FALSE, error)) == NULL)
    return NULL;
  repr = results_repr (r);
  ls_test_logi ("main: gather -> %s", repr);
  return NULL;
}

/* ---- gather_return_exceptions ---- */

static GVariant *
gather_return_exceptions_main (gpointer data, GError **error)
{
  static const char *names[] = { "a", "b", "c", "d" };
  g_autoptr(LsTask) a = spawn (child_quiet, "a", 3, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_quiet, "b", 1, TRUE, 0);
  g_autoptr(LsTask) c = spawn (child_quiet, "c", 5, FALSE, 0);
  g_autoptr(LsTask) d = spawn (child_quiet, "d", 2, FALSE, 0);
  LsTask *abcd[] = { a, b, c, d };
  g_autoptr(LsFuture) g = ls_gather_start (ls_test_loop (), (LsFuture **) abcd, 4, TRUE);
  g_autoptr(GVariant) r = NULL;
  GPtrArray *results;
  GError *local_error = NULL;

  if (!ls_sleep (1.5, error))
    return NULL;
  ls_test_log ("main: c.cancel('stop') -> %s", ls_test_bool (ls_task_cancel (c, "stop")));
  r = ls_future_await (g, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  results = ls_gather_get_results (g);
  for (guint i = 0; i < results->len; i++)
    {
      g_autoptr(GError) x_error = NULL;
      g_autoptr(GVariant) x = ls_future_get_result (g_ptr_array_index (results, i), &x_error);
      g_autofree char *text = x_error != NULL ? ls_test_fmt_exc (x_error) : ls_test_repr (x);

      ls_test_log ("main: %s -> %s", names[i], text);
    }
  return NULL;
}

/* ---- wait_all_completed ---- */

static void
log_task_outcomes (LsTask **tasks,
                   guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      const GError *exc = ls_future_get_exception (LS_FUTURE (tasks[i]));
      g_autofree char *text = exc != NULL ? ls_test_fmt_exc (exc)
                                          : ls_test_result_repr (LS_FUTURE (tasks[i]));

      ls_test_log ("main: %s -> %s", ls_task_get_name (tasks[i]), text);
    }
}

static void
log_done_pending (GPtrArray *done,
                  GPtrArray *pending)
{
  g_autofree char *d = task_names (done);
  g_autofree char *p = task_names (pending);

  ls_test_log ("main: done=%s pending=%s", d, p);
}

static GVariant *
wait_all_completed_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_log, "a", 3, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_log, "b", 1, TRUE, 0);
  g_autoptr(LsTask) c = spawn (child_log, "c", 2, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) pending = NULL;

  if (!ls_wait ((LsFuture **) abc, 3, LS_NO_TIMEOUT, LS_ALL_COMPLETED, &done, &pending, error))
    return NULL;
  log_done_pending (done, pending);
  log_task_outcomes (abc, 3);
  return NULL;
}

/* ---- wait_first_completed ---- */

static GVariant *
wait_first_completed_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_log, "a", 1, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_log, "b", 2, FALSE, 0);
  g_autoptr(LsTask) c = spawn (child_log, "c", 3, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) done2 = NULL;
  g_autoptr(GPtrArray) pending2 = NULL;
  GString *results;

  if (!ls_wait ((LsFuture **) abc, 3, LS_NO_TIMEOUT, LS_FIRST_COMPLETED, &done, &pending, error))
    return NULL;
  log_done_pending (done, pending);
  if (!ls_wait ((LsFuture **) pending->pdata, pending->len, LS_NO_TIMEOUT, LS_ALL_COMPLETED,
                &done2, &pending2, error))
    return NULL;
  log_done_pending (done2, pending2);
  results = g_string_new ("[");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *r = ls_test_result_repr (LS_FUTURE (abc[i]));

      g_string_append_printf (results, "%s%s", i > 0 ? ", " : "", r);
    }
  g_string_append_c (results, ']');
  ls_test_log ("main: results %s", results->str);
  g_string_free (results, TRUE);
  return NULL;
}

/* ---- wait_first_exception ---- */

static GVariant *
wait_first_exception_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_log, "a", 1, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_log, "b", 2, TRUE, 0);
  g_autoptr(LsTask) c = spawn (child_log, "c", 3, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(LsTask) d = NULL;
  g_autoptr(LsTask) e = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) done2 = NULL;
  g_autoptr(GPtrArray) pending2 = NULL;
  g_autoptr(GVariant) rc = NULL;
  g_autofree char *exc = NULL;
  g_autofree char *repr = NULL;

  if (!ls_wait ((LsFuture **) abc, 3, LS_NO_TIMEOUT, LS_FIRST_EXCEPTION, &done, &pending, error))
    return NULL;
  log_done_pending (done, pending);
  exc = ls_test_fmt_exc (ls_future_get_exception (LS_FUTURE (b)));
  ls_test_log ("main: b.exception() -> %s", exc);
  ls_test_log ("main: c cancelled=%s", ls_test_bool (ls_future_is_cancelled (LS_FUTURE (c))));
  if ((rc = ls_task_await (c, error)) == NULL)
    return NULL;
  repr = ls_test_repr (rc);
  ls_test_log ("main: await c -> %s", repr);

  d = spawn (child_log, "d", 1, FALSE, 0);
  e = spawn (child_log, "e", 2, FALSE, 0);
  {
    LsTask *de[] = { d, e };

    if (!ls_wait ((LsFuture **) de, 2, LS_NO_TIMEOUT, LS_FIRST_EXCEPTION, &done2, &pending2,
                  error))
      return NULL;
  }
  log_done_pending (done2, pending2);
  return NULL;
}

/* ---- wait_timeout ---- */

static GVariant *
wait_timeout_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_log, "a", 1, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_log, "b", 5, FALSE, 0);
  g_autoptr(LsTask) c = spawn (child_log, "c", 5, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(LsTask) d = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) done2 = NULL;
  g_autoptr(GPtrArray) pending2 = NULL;
  g_autoptr(GVariant) rb = NULL;
  g_autoptr(GVariant) rc = NULL;
  g_autofree char *repr_b = NULL;
  g_autofree char *repr_c = NULL;

  if (!ls_wait ((LsFuture **) abc, 3, 2, LS_ALL_COMPLETED, &done, &pending, error))
    return NULL;
  log_done_pending (done, pending);
  ls_test_log ("main: b done=%s cancelled=%s", ls_test_bool (ls_future_is_done (LS_FUTURE (b))),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (b))));
  if ((rb = ls_task_await (b, error)) == NULL || (rc = ls_task_await (c, error)) == NULL)
    return NULL;
  repr_b = ls_test_repr (rb);
  repr_c = ls_test_repr (rc);
  ls_test_log ("main: await b -> %s, await c -> %s", repr_b, repr_c);

  d = spawn (child_log, "d", 1, FALSE, 0);
  if (!ls_wait ((LsFuture **) &d, 1, 10, LS_ALL_COMPLETED, &done2, &pending2, error))
    return NULL;
  log_done_pending (done2, pending2);
  return NULL;
}

/* ---- as_completed_order ---- */

static GVariant *
as_completed_order_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_logi, "a", 3, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_logi, "b", 1, FALSE, 0);
  g_autoptr(LsTask) c = spawn (child_logi, "c", 2, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(LsAsCompleted) it = ls_as_completed_new ((LsFuture **) abc, 3, LS_NO_TIMEOUT);

  while (ls_as_completed_has_next (it))
    {
      GError *local_error = NULL;
      g_autoptr(GVariant) r = ls_as_completed_next (it, NULL, &local_error);
      g_autofree char *repr = NULL;

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      repr = ls_test_repr (r);
      ls_test_logi ("main: got %s", repr);
    }
  ls_test_logi ("main: loop over");
  return NULL;
}

/* ---- as_completed_timeout ---- */

static GVariant *
as_completed_timeout_main (gpointer data, GError **error)
{
  g_autoptr(LsTask) a = spawn (child_log, "a", 1, FALSE, 0);
  g_autoptr(LsTask) b = spawn (child_log, "b", 2, FALSE, 0);
  g_autoptr(LsTask) c = spawn (child_log, "c", 5, FALSE, 0);
  LsTask *abc[] = { a, b, c };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) rc = NULL;
  g_autofree char *repr = NULL;

  {
    g_autoptr(LsAsCompleted) it = ls_as_completed_new ((LsFuture **) abc, 3, 3);

    while (ls_as_completed_has_next (it))
      {
        g_autoptr(GVariant) r = ls_as_completed_next (it, NULL, &local_error);
        g_autofree char *r_repr = NULL;

        if (local_error != NULL)
          break;
        r_repr = ls_test_repr (r);
        ls_test_log ("main: got %s", r_repr);
      }
  }
  if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
    {
      g_autofree char *exc = ls_test_fmt_exc (local_error);

      ls_test_log ("main: as_completed raised %s", exc);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ls_test_log ("main: c done=%s cancelled=%s", ls_test_bool (ls_future_is_done (LS_FUTURE (c))),
               ls_test_bool (ls_future_is_cancelled (LS_FUTURE (c))));
  if ((rc = ls_task_await (c, error)) == NULL)
    return NULL;
  repr = ls_test_repr (rc);
  ls_test_log ("main: await c -> %s", repr);
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (gather_cancel_outer);
  LS_TEST_PYREF (gather_child_cancelled);
  LS_TEST_PYREF (gather_empty);
  LS_TEST_PYREF (gather_exception);
  LS_TEST_PYREF (gather_order);
  LS_TEST_PYREF (gather_return_exceptions);
  LS_TEST_PYREF (wait_all_completed);
  LS_TEST_PYREF (wait_first_completed);
  LS_TEST_PYREF (wait_first_exception);
  LS_TEST_PYREF (wait_timeout);
  LS_TEST_PYREF (as_completed_order);
  LS_TEST_PYREF (as_completed_timeout);

  return g_test_run ();
}
