/* SPDX-License-Identifier: MIT
 *
 * Queue, PriorityQueue and LifoQueue: each test is the C twin of
 * tests/pyref/NAME.py and must print exactly what CPython 3.11 printed
 * (tests/expected/NAME.txt).
 */
#include "config.h"

#include "ls-test-util.h"

typedef struct
{
  LsQueue    *queue;
  const char *name;
} Args;

static LsTask *
spawn (LsTaskFunc  func,
       const char *name,
       LsQueue    *queue)
{
  Args *a = g_new0 (Args, 1);

  a->queue = queue;
  a->name = name;
  return ls_task_create (name, func, a, g_free);
}

static void
log_error_args (const char   *prefix,
                const GError *error)
{
  g_autofree char *args = ls_test_cancel_args (error);

  ls_test_logi ("%s%s %s", prefix, ls_error_get_python_name (error), args);
}

/* ---- queue_basic ---- */

static GVariant *
qb_producer (gpointer data, GError **error)
{
  Args *a = data;

  for (int i = 0; i < 5; i++)
    {
      ls_test_logi ("P: put %d, qsize=%u, full=%s", i, ls_queue_qsize (a->queue),
                    ls_test_bool (ls_queue_full (a->queue)));
      if (!ls_queue_put (a->queue, g_variant_new_int32 (i), error))
        return NULL;
    }
  ls_test_logi ("P: done, qsize=%u", ls_queue_qsize (a->queue));
  return NULL;
}

static GVariant *
qb_consumer (gpointer data, GError **error)
{
  Args *a = data;

  if (!ls_sleep (1, error))
    return NULL;
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GVariant) item = ls_queue_get (a->queue, error);
      g_autofree char *repr = NULL;

      if (item == NULL)
        return NULL;
      repr = ls_test_repr (item);
      ls_test_logi ("C: got %s, qsize=%u", repr, ls_queue_qsize (a->queue));
      if (!ls_sleep (0.25, error))
        return NULL;
    }
  return NULL;
}

static GVariant *
qb_getter (gpointer data, GError **error)
{
  Args *a = data;
  g_autoptr(GVariant) item = ls_queue_get (a->queue, error);
  g_autofree char *repr = NULL;

  if (item == NULL)
    return NULL;
  repr = ls_test_repr (item);
  ls_test_logi ("%s: got %s", a->name, repr);
  return NULL;
}

static GVariant *
queue_basic_main (gpointer data, GError **error)
{
  g_autoptr(LsQueue) q = ls_queue_new (NULL, "q", 2);

  ls_test_logi ("main: maxsize=%d, qsize=%u, empty=%s, full=%s", ls_queue_get_maxsize (q),
                ls_queue_qsize (q), ls_test_bool (ls_queue_empty (q)),
                ls_test_bool (ls_queue_full (q)));
  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) item = ls_queue_get_nowait (q, &local_error);

    if (local_error != NULL)
      log_error_args ("main: get_nowait -> ", local_error);
  }
  ls_queue_put_nowait (q, g_variant_new_string ("a"), NULL);
  ls_queue_put_nowait (q, g_variant_new_string ("b"), NULL);
  {
    g_autoptr(GError) local_error = NULL;

    if (!ls_queue_put_nowait (q, g_variant_new_string ("c"), &local_error))
      log_error_args ("main: put_nowait -> ", local_error);
  }
  ls_test_logi ("main: qsize=%u, full=%s", ls_queue_qsize (q), ls_test_bool (ls_queue_full (q)));
  {
    g_autoptr(GVariant) x = ls_queue_get_nowait (q, NULL);
    g_autoptr(GVariant) y = ls_queue_get_nowait (q, NULL);
    g_autofree char *rx = ls_test_repr (x);
    g_autofree char *ry = ls_test_repr (y);

    ls_test_logi ("main: get_nowait -> %s, %s", rx, ry);
  }
  {
    g_autoptr(LsTask) p = spawn (qb_producer, "P", q);
    g_autoptr(LsTask) c = spawn (qb_consumer, "C", q);

    if (!ls_test_await (p, error) || !ls_test_await (c, error))
      return NULL;
  }

  ls_test_logi ("-- getters wait in order");
  {
    g_autoptr(LsQueue) q2 = ls_queue_new (NULL, "q2", 0);
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (qb_getter, "G1", q2));
    g_ptr_array_add (tasks, spawn (qb_getter, "G2", q2));
    g_ptr_array_add (tasks, spawn (qb_getter, "G3", q2));
    if (!ls_sleep (0, error))
      return NULL;
    ls_queue_put_nowait (q2, g_variant_new_string ("x"), NULL);
    ls_queue_put_nowait (q2, g_variant_new_string ("y"), NULL);
    ls_test_logi ("main: put x, y");
    if (!ls_sleep (0, error))
      return NULL;
    ls_queue_put_nowait (q2, g_variant_new_string ("z"), NULL);
    ls_test_logi ("main: put z");
    if (!ls_test_await_all (tasks, error))
      return NULL;
  }
  return NULL;
}

/* ---- queue_priority_lifo ---- */

static GVariant *
qpl_late_putter (gpointer data, GError **error)
{
  Args *a = data;

  if (!ls_queue_put (a->queue, g_variant_new_string ("d"), error))
    return NULL;
  ls_test_logi ("late: put d");
  return NULL;
}

static GVariant *
qpl_getter (gpointer data, GError **error)
{
  Args *a = data;
  g_autoptr(GVariant) item = ls_queue_get (a->queue, error);
  gint32 prio;
  guint32 count;
  const char *name;

  if (item == NULL)
    return NULL;
  g_variant_get (item, "(iu&s)", &prio, &count, &name);
  ls_test_logi ("getter: got %d:%s", prio, name);
  return NULL;
}

static GVariant *
queue_priority_lifo_main (gpointer data, GError **error)
{
  g_autoptr(LsQueue) pq = ls_priority_queue_new (NULL, "pq", 0);
  g_autoptr(LsQueue) lq = ls_lifo_queue_new (NULL, "lq", 3);
  static const struct { gint prio; const char *item; } entries[] = {
    { 5, "e" }, { 1, "a" }, { 3, "c1" }, { 3, "c2" }, { 0, "z" }, { 3, "c3" }, { 9, "x" },
  };
  guint32 count = 0;

  {
    g_autoptr(GString) out = g_string_new (NULL);

    /* (priority, count, item) tuples */
    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      ls_queue_put_nowait (pq, g_variant_new ("(ius)", entries[i].prio, count++, entries[i].item),
                           NULL);
    while (!ls_queue_empty (pq))
      {
        g_autoptr(GVariant) item = ls_queue_get_nowait (pq, NULL);
        gint32 prio;
        guint32 n;
        const char *name;

        g_variant_get (item, "(iu&s)", &prio, &n, &name);
        g_string_append_printf (out, "%s%d:%s", out->len > 0 ? " " : "", prio, name);
      }
    ls_test_logi ("priority: %s", out->str);
  }

  {
    static const char *items[] = { "a", "b", "c" };
    g_autoptr(LsTask) t = NULL;
    g_autoptr(GString) out = g_string_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (items); i++)
      if (!ls_queue_put (lq, g_variant_new_string (items[i]), error))
        return NULL;
    ls_test_logi ("lifo: full=%s", ls_test_bool (ls_queue_full (lq)));
    t = spawn (qpl_late_putter, "late", lq);
    if (!ls_sleep (0, error))
      return NULL;
    {
      g_autoptr(GVariant) item = ls_queue_get (lq, error);
      g_autofree char *repr = NULL;

      if (item == NULL)
        return NULL;
      repr = ls_test_repr (item);
      ls_test_logi ("lifo: get -> %s", repr);
    }
    if (!ls_sleep (0, error))
      return NULL;
    while (!ls_queue_empty (lq))
      {
        g_autoptr(GVariant) item = ls_queue_get (lq, error);

        if (item == NULL)
          return NULL;
        g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "",
                                g_variant_get_string (item, NULL));
      }
    ls_test_logi ("lifo: %s", out->str);
    if (!ls_test_await (t, error))
      return NULL;
  }

  {
    g_autoptr(LsTask) g = spawn (qpl_getter, "getter", pq);

    if (!ls_sleep (0, error))
      return NULL;
    ls_queue_put_nowait (pq, g_variant_new ("(ius)", 7, count++, "seven"), NULL);
    ls_queue_put_nowait (pq, g_variant_new ("(ius)", 2, count++, "two"), NULL);
    if (!ls_test_await (g, error))
      return NULL;
    ls_test_logi ("priority: left %u", ls_queue_qsize (pq));
  }
  return NULL;
}

/* ---- queue_cancel_get ---- */

static GVariant *
qcg_getter (gpointer data, GError **error)
{
  Args *a = data;
  GError *local_error = NULL;
  g_autoptr(GVariant) item = ls_queue_get (a->queue, &local_error);
  g_autofree char *repr = NULL;

  if (item == NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("%s: CancelledError args=%s, qsize=%u", a->name, args,
                        ls_queue_qsize (a->queue));
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  repr = ls_test_repr (item);
  ls_test_logi ("%s: got %s, qsize=%u", a->name, repr, ls_queue_qsize (a->queue));
  return NULL;
}

static GVariant *
queue_cancel_get_main (gpointer data, GError **error)
{
  g_autoptr(LsQueue) q = ls_queue_new (NULL, "q", 0);

  ls_test_logi ("-- A: cancelled while waiting");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (qcg_getter, "A1", q));
    g_ptr_array_add (tasks, spawn (qcg_getter, "A2", q));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: A1.cancel('stop') -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), "stop")));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_queue_put_nowait (q, g_variant_new_string ("one"), NULL);
    ls_test_logi ("main: put one");
    if (!ls_test_finish (tasks, error))
      return NULL;
  }

  ls_test_logi ("-- B: woken by put_nowait, then cancelled");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (qcg_getter, "G1", q));
    g_ptr_array_add (tasks, spawn (qcg_getter, "G2", q));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_queue_put_nowait (q, g_variant_new_string ("two"), NULL);
    ls_test_logi ("main: put two; G1.cancel() -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), NULL)));
    if (!ls_test_finish (tasks, error))
      return NULL;
    ls_test_logi ("main: qsize=%u", ls_queue_qsize (q));
  }

  ls_test_logi ("-- C: the cancelled getter is first when the item comes");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (qcg_getter, "H1", q));
    g_ptr_array_add (tasks, spawn (qcg_getter, "H2", q));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: H1.cancel() -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), NULL)));
    ls_queue_put_nowait (q, g_variant_new_string ("three"), NULL);
    ls_test_logi ("main: put three");
    if (!ls_test_finish (tasks, error))
      return NULL;
    ls_test_logi ("main: qsize=%u, empty=%s", ls_queue_qsize (q),
                  ls_test_bool (ls_queue_empty (q)));
  }
  return NULL;
}

/* ---- queue_cancel_put ---- */

static GVariant *
qcp_putter (gpointer data, GError **error)
{
  Args *a = data;
  GError *local_error = NULL;
  g_autofree char *item = g_ascii_strdown (a->name, -1);
  g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_string (item));
  g_autofree char *repr = ls_test_repr (v);

  if (!ls_queue_put (a->queue, v, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("%s: CancelledError args=%s, qsize=%u", a->name, args,
                        ls_queue_qsize (a->queue));
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("%s: put %s, qsize=%u", a->name, repr, ls_queue_qsize (a->queue));
  return NULL;
}

/* [q.get_nowait() while not q.empty()] */
static char *
drain (LsQueue *q)
{
  GString *out = g_string_new ("[");

  while (!ls_queue_empty (q))
    {
      g_autoptr(GVariant) item = ls_queue_get_nowait (q, NULL);
      g_autofree char *repr = ls_test_repr (item);

      g_string_append_printf (out, "%s%s", out->len > 1 ? ", " : "", repr);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static GVariant *
queue_cancel_put_main (gpointer data, GError **error)
{
  g_autoptr(LsQueue) q = ls_queue_new (NULL, "q", 1);

  ls_test_logi ("-- A: cancelled while the queue is full");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();
    g_autofree char *contents = NULL;

    ls_queue_put_nowait (q, g_variant_new_string ("first"), NULL);
    g_ptr_array_add (tasks, spawn (qcp_putter, "A1", q));
    g_ptr_array_add (tasks, spawn (qcp_putter, "A2", q));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: A1.cancel('stop') -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), "stop")));
    if (!ls_sleep (0.5, error))
      return NULL;
    {
      g_autoptr(GVariant) item = ls_queue_get_nowait (q, NULL);
      g_autofree char *repr = ls_test_repr (item);

      ls_test_logi ("main: get_nowait -> %s", repr);
    }
    if (!ls_test_finish (tasks, error))
      return NULL;
    contents = drain (q);
    ls_test_logi ("main: contents %s, unfinished=%u", contents, ls_queue_get_unfinished_tasks (q));
  }

  ls_test_logi ("-- B: woken by get_nowait, then cancelled");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();
    g_autofree char *contents = NULL;

    ls_queue_put_nowait (q, g_variant_new_string ("second"), NULL);
    g_ptr_array_add (tasks, spawn (qcp_putter, "P1", q));
    g_ptr_array_add (tasks, spawn (qcp_putter, "P2", q));
    if (!ls_sleep (0.5, error))
      return NULL;
    {
      g_autoptr(GVariant) item = ls_queue_get_nowait (q, NULL);
      g_autofree char *repr = ls_test_repr (item);
      gboolean cancelled = ls_task_cancel (g_ptr_array_index (tasks, 0), NULL);

      ls_test_logi ("main: get_nowait -> %s; P1.cancel() -> %s", repr, ls_test_bool (cancelled));
    }
    if (!ls_test_finish (tasks, error))
      return NULL;
    contents = drain (q);
    ls_test_logi ("main: contents %s, unfinished=%u", contents, ls_queue_get_unfinished_tasks (q));
  }
  return NULL;
}

/* ---- queue_join ---- */

static GVariant *
qj_worker (gpointer data, GError **error)
{
  Args *a = data;

  for (;;)
    {
      g_autoptr(GVariant) item = ls_queue_get (a->queue, error);
      double delay;

      if (item == NULL)
        return NULL;
      if (!g_variant_is_of_type (item, G_VARIANT_TYPE_DOUBLE))
        {
          /* the None that tells it to stop */
          ls_queue_task_done (a->queue, NULL);
          ls_test_logi ("%s: stop", a->name);
          return NULL;
        }
      delay = g_variant_get_double (item);
      if (!ls_sleep (delay, error))
        return NULL;
      ls_test_logi ("%s: done with %g", a->name, delay);
      ls_queue_task_done (a->queue, NULL);
    }
}

static GVariant *
qj_joiner (gpointer data, GError **error)
{
  Args *a = data;

  if (!ls_queue_join (a->queue, error))
    return NULL;
  ls_test_logi ("%s: join returned", a->name);
  return NULL;
}

static GVariant *
queue_join_main (gpointer data, GError **error)
{
  g_autoptr(LsQueue) q = ls_queue_new (NULL, "q", 0);
  g_autoptr(GPtrArray) workers = ls_test_task_list ();
  g_autoptr(GPtrArray) joiners = ls_test_task_list ();
  g_autoptr(LsTask) victim = NULL;
  static const double delays[] = { 0.5, 1, 0.25 };

  if (!ls_queue_join (q, error))
    return NULL;
  ls_test_logi ("main: join on a fresh queue returns at once");

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    ls_queue_put_nowait (q, g_variant_new_double (delays[i]), NULL);
  g_ptr_array_add (workers, spawn (qj_worker, "W1", q));
  g_ptr_array_add (workers, spawn (qj_worker, "W2", q));
  g_ptr_array_add (joiners, spawn (qj_joiner, "J1", q));
  g_ptr_array_add (joiners, spawn (qj_joiner, "J2", q));
  victim = spawn (qj_joiner, "J3", q);
  if (!ls_sleep (0.5, error))
    return NULL;
  {
    gboolean cancelled = ls_task_cancel (victim, NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    ls_test_logi ("main: J3.cancel() -> %s, unfinished=%u", ls_test_bool (cancelled),
                  ls_queue_get_unfinished_tasks (q));
    r = ls_task_await (victim, &local_error);
    if (ls_error_is_cancelled (local_error))
      ls_test_logi ("main: J3 cancelled=%s",
                    ls_test_bool (ls_future_is_cancelled (LS_FUTURE (victim))));
  }
  if (!ls_queue_join (q, error))
    return NULL;
  ls_test_logi ("main: joined, unfinished=%u", ls_queue_get_unfinished_tasks (q));
  if (!ls_test_await_all (joiners, error))
    return NULL;

  ls_queue_put_nowait (q, g_variant_new ("()"), NULL);
  ls_queue_put_nowait (q, g_variant_new ("()"), NULL);
  if (!ls_test_await_all (workers, error))
    return NULL;
  {
    g_autoptr(GError) local_error = NULL;

    if (!ls_queue_task_done (q, &local_error))
      log_error_args ("main: ", local_error);
  }
  ls_test_logi ("main: unfinished=%u", ls_queue_get_unfinished_tasks (q));
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (queue_basic);
  LS_TEST_PYREF (queue_priority_lifo);
  LS_TEST_PYREF (queue_cancel_get);
  LS_TEST_PYREF (queue_cancel_put);
  LS_TEST_PYREF (queue_join);

  return g_test_run ();
}
