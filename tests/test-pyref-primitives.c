/* SPDX-License-Identifier: MIT
 *
 * Lock, Event, Condition, Semaphore, BoundedSemaphore and Barrier: each
 * test is the C twin of tests/pyref/NAME.py and must print exactly what
 * CPython 3.11 printed (tests/expected/NAME.txt).
 */
#include "config.h"

#include "ls-test-util.h"

typedef struct
{
  gpointer    obj;
  const char *name;
  double      delay;
  gboolean    flag;
} Args;

static LsTask *
spawn (LsTaskFunc  func,
       const char *name,
       gpointer    obj,
       double      delay,
       gboolean    flag)
{
  Args *a = g_new0 (Args, 1);

  a->obj = obj;
  a->name = name;
  a->delay = delay;
  a->flag = flag;
  return ls_task_create (name, func, a, g_free);
}

static gboolean
finish_one (LsTask  *t,
            GError **error)
{
  g_autoptr(GPtrArray) tasks = ls_test_task_list ();

  g_ptr_array_add (tasks, ls_task_ref (t));
  return ls_test_finish (tasks, error);
}

/* ==== Lock ============================================================ */

/* ---- lock_fifo ---- */

static GVariant *
lf_worker (gpointer data, GError **error)
{
  Args *a = data;
  LsLock *lock = a->obj;

  ls_test_logi ("%s: acquire, locked=%s", a->name, ls_test_bool (ls_lock_locked (lock)));
  if (!ls_lock_acquire (lock, error))
    return NULL;
  ls_test_logi ("%s: acquired", a->name);
  if (!ls_sleep (0.5, error))
    return NULL;
  if (!ls_lock_release (lock, error))
    return NULL;
  ls_test_logi ("%s: released, locked=%s", a->name, ls_test_bool (ls_lock_locked (lock)));
  return NULL;
}

static GVariant *
lock_fifo_main (gpointer data, GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");
  g_autoptr(GPtrArray) tasks = ls_test_task_list ();
  gboolean r;

  r = ls_lock_acquire (lock, error);
  if (!r)
    return NULL;
  ls_test_logi ("main: acquire -> %s, locked=%s", ls_test_bool (r),
                ls_test_bool (ls_lock_locked (lock)));
  g_ptr_array_add (tasks, spawn (lf_worker, "A", lock, 0, FALSE));
  g_ptr_array_add (tasks, spawn (lf_worker, "B", lock, 0, FALSE));
  g_ptr_array_add (tasks, spawn (lf_worker, "C", lock, 0, FALSE));
  if (!ls_sleep (1, error))
    return NULL;
  ls_lock_release (lock, NULL);
  ls_test_logi ("main: released, locked=%s; acquire again", ls_test_bool (ls_lock_locked (lock)));
  if (!ls_lock_acquire (lock, error))
    return NULL;
  ls_test_logi ("main: acquired again, locked=%s", ls_test_bool (ls_lock_locked (lock)));
  ls_lock_release (lock, NULL);
  if (!ls_test_await_all (tasks, error))
    return NULL;
  ls_test_logi ("main: done, locked=%s", ls_test_bool (ls_lock_locked (lock)));
  return NULL;
}

/* ---- lock_cancel_waiting ---- */

/* try: await lock.acquire() / except CancelledError: log, raise */
static gboolean
lock_acquire_logged (LsLock     *lock,
                     const char *name,
                     GError    **error)
{
  GError *local_error = NULL;

  if (ls_lock_acquire (lock, &local_error))
    return TRUE;
  if (ls_error_is_cancelled (local_error))
    {
      g_autofree char *args = ls_test_cancel_args (local_error);

      ls_test_logi ("%s: CancelledError args=%s, locked=%s", name, args,
                    ls_test_bool (ls_lock_locked (lock)));
    }
  g_propagate_error (error, local_error);
  return FALSE;
}

static GVariant *
lcw_worker (gpointer data, GError **error)
{
  Args *a = data;
  LsLock *lock = a->obj;

  if (!lock_acquire_logged (lock, a->name, error))
    return NULL;
  ls_test_logi ("%s: acquired", a->name);
  if (!ls_sleep (0.25, error))
    return NULL;
  ls_lock_release (lock, NULL);
  ls_test_logi ("%s: released", a->name);
  return NULL;
}

static GVariant *
lock_cancel_waiting_main (gpointer data, GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");

  ls_test_logi ("-- A: cancel a waiter in the middle");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    if (!ls_lock_acquire (lock, error))
      return NULL;
    g_ptr_array_add (tasks, spawn (lcw_worker, "A", lock, 0, FALSE));
    g_ptr_array_add (tasks, spawn (lcw_worker, "B", lock, 0, FALSE));
    g_ptr_array_add (tasks, spawn (lcw_worker, "C", lock, 0, FALSE));
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: B.cancel('stop') -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 1), "stop")));
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: release");
    ls_lock_release (lock, NULL);
    if (!ls_test_finish (tasks, error))
      return NULL;
  }

  ls_test_logi ("-- B: cancel the first waiter, then release");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    if (!ls_lock_acquire (lock, error))
      return NULL;
    g_ptr_array_add (tasks, spawn (lcw_worker, "D", lock, 0, FALSE));
    g_ptr_array_add (tasks, spawn (lcw_worker, "E", lock, 0, FALSE));
    g_ptr_array_add (tasks, spawn (lcw_worker, "F", lock, 0, FALSE));
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: D.cancel() -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), NULL)));
    ls_lock_release (lock, NULL);
    ls_test_logi ("main: released, locked=%s", ls_test_bool (ls_lock_locked (lock)));
    if (!ls_test_finish (tasks, error))
      return NULL;
  }
  ls_test_logi ("main: locked=%s", ls_test_bool (ls_lock_locked (lock)));
  return NULL;
}

/* ---- lock_cancel_after_handoff ---- */

static GVariant *
lcah_worker (gpointer data, GError **error)
{
  Args *a = data;
  LsLock *lock = a->obj;

  if (!lock_acquire_logged (lock, a->name, error))
    return NULL;
  ls_test_logi ("%s: acquired", a->name);
  ls_lock_release (lock, NULL);
  ls_test_logi ("%s: released", a->name);
  return NULL;
}

static GVariant *
lock_cancel_after_handoff_main (gpointer data, GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");

  ls_test_logi ("-- A: handed over, then cancelled");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    if (!ls_lock_acquire (lock, error))
      return NULL;
    g_ptr_array_add (tasks, spawn (lcah_worker, "A", lock, 0, FALSE));
    g_ptr_array_add (tasks, spawn (lcah_worker, "B", lock, 0, FALSE));
    if (!ls_sleep (0, error))
      return NULL;
    ls_lock_release (lock, NULL);
    ls_test_logi ("main: released; A.cancel('late') -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), "late")));
    if (!ls_test_finish (tasks, error))
      return NULL;
  }

  ls_test_logi ("-- B: only cancelled waiters: no wait");
  {
    g_autoptr(LsTask) t = NULL;

    if (!ls_lock_acquire (lock, error))
      return NULL;
    t = spawn (lcah_worker, "C", lock, 0, FALSE);
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: C.cancel() -> %s", ls_test_bool (ls_task_cancel (t, NULL)));
    ls_lock_release (lock, NULL);
    if (!ls_lock_acquire (lock, error))
      return NULL;
    ls_test_logi ("main: acquired at once, locked=%s", ls_test_bool (ls_lock_locked (lock)));
    ls_lock_release (lock, NULL);
    if (!finish_one (t, error))
      return NULL;
  }
  return NULL;
}

/* ---- lock_async_with ---- */

static GVariant *
law_holder (gpointer data, GError **error)
{
  Args *a = data;

  {
    g_autoptr(LsLocker) locker = ls_lock_locker_new (a->obj, error);

    if (locker == NULL)
      return NULL;
    ls_test_logi ("%s: in the block", a->name);
    if (!ls_sleep (1, error))
      return NULL;
    if (a->flag)
      {
        ls_test_logi ("%s: raising ValueError", a->name);
        g_propagate_error (error, ls_test_value_error ("boom"));
        return NULL;
      }
  }
  ls_test_logi ("%s: after the block", a->name);
  return NULL;
}

static GVariant *
law_waiter (gpointer data, GError **error)
{
  Args *a = data;

  {
    g_autoptr(LsLocker) locker = ls_lock_locker_new (a->obj, error);

    if (locker == NULL)
      return NULL;
    ls_test_logi ("%s: in the block", a->name);
  }
  ls_test_logi ("%s: out, locked=%s", a->name, ls_test_bool (ls_lock_locked (a->obj)));
  return NULL;
}

static GVariant *
lock_async_with_main (gpointer data, GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");

  ls_test_logi ("-- A: the body raises");
  {
    g_autoptr(LsTask) h = spawn (law_holder, "H", lock, 0, TRUE);
    g_autoptr(LsTask) w = spawn (law_waiter, "W", lock, 0, FALSE);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = ls_task_await (h, &local_error);

    if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE))
      {
        g_autofree char *exc = ls_test_fmt_exc (local_error);

        ls_test_logi ("main: H raised %s, locked=%s", exc, ls_test_bool (ls_lock_locked (lock)));
      }
    if (!ls_test_await (w, error))
      return NULL;
  }

  ls_test_logi ("-- B: the body is cancelled");
  {
    g_autoptr(LsTask) h = spawn (law_holder, "H2", lock, 0, FALSE);
    g_autoptr(LsTask) w = spawn (law_waiter, "W2", lock, 0, FALSE);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: H2.cancel() -> %s", ls_test_bool (ls_task_cancel (h, NULL)));
    r = ls_task_await (h, &local_error);
    if (ls_error_is_cancelled (local_error))
      ls_test_logi ("main: H2 cancelled, locked=%s", ls_test_bool (ls_lock_locked (lock)));
    if (!ls_test_await (w, error))
      return NULL;
  }

  ls_test_logi ("-- C: release an unlocked lock");
  {
    g_autoptr(GError) local_error = NULL;

    if (!ls_lock_release (lock, &local_error))
      {
        g_autofree char *args = ls_test_cancel_args (local_error);

        ls_test_logi ("main: %s %s", ls_error_get_python_name (local_error), args);
      }
  }
  return NULL;
}

/* ==== Event =========================================================== */

/* ---- event_set_wakes_all ---- */

static GVariant *
eswa_waiter (gpointer data, GError **error)
{
  Args *a = data;
  LsEvent *ev = a->obj;
  gboolean r;

  ls_test_logi ("%s: wait, is_set=%s", a->name, ls_test_bool (ls_event_is_set (ev)));
  if (!(r = ls_event_wait (ev, error)))
    return NULL;
  ls_test_logi ("%s: wait -> %s, is_set=%s", a->name, ls_test_bool (r),
                ls_test_bool (ls_event_is_set (ev)));
  return NULL;
}

static GVariant *
event_set_wakes_all_main (gpointer data, GError **error)
{
  g_autoptr(LsEvent) ev = ls_event_new (NULL, "event");
  gboolean r;

  ls_test_logi ("main: is_set=%s", ls_test_bool (ls_event_is_set (ev)));
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (eswa_waiter, "W3", ev, 0, FALSE));
    g_ptr_array_add (tasks, spawn (eswa_waiter, "W1", ev, 0, FALSE));
    g_ptr_array_add (tasks, spawn (eswa_waiter, "W2", ev, 0, FALSE));
    if (!ls_sleep (1, error))
      return NULL;
    ls_test_logi ("main: set");
    ls_event_set (ev);
    ls_test_logi ("main: is_set=%s", ls_test_bool (ls_event_is_set (ev)));
    if (!ls_test_await_all (tasks, error))
      return NULL;
  }
  if (!(r = ls_event_wait (ev, error)))
    return NULL;
  ls_test_logi ("main: wait on a set event -> %s (no suspension)", ls_test_bool (r));
  ls_event_set (ev);
  ls_test_logi ("main: set again, is_set=%s", ls_test_bool (ls_event_is_set (ev)));

  ls_event_clear (ev);
  ls_test_logi ("main: clear, is_set=%s", ls_test_bool (ls_event_is_set (ev)));
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (eswa_waiter, "X", ev, 0, FALSE));
    g_ptr_array_add (tasks, spawn (eswa_waiter, "Y", ev, 0, FALSE));
    if (!ls_sleep (1, error))
      return NULL;
    ls_event_set (ev);
    ls_event_clear (ev);
    ls_test_logi ("main: set then clear, is_set=%s", ls_test_bool (ls_event_is_set (ev)));
    if (!ls_test_await_all (tasks, error))
      return NULL;
  }
  ls_test_logi ("main: done");
  return NULL;
}

/* ---- event_cancel ---- */

static GVariant *
ec_waiter (gpointer data, GError **error)
{
  Args *a = data;
  LsEvent *ev = a->obj;
  GError *local_error = NULL;
  gboolean r = ls_event_wait (ev, &local_error);

  if (local_error != NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("%s: CancelledError args=%s, is_set=%s", a->name, args,
                        ls_test_bool (ls_event_is_set (ev)));
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("%s: wait -> %s", a->name, ls_test_bool (r));
  return NULL;
}

static GVariant *
event_cancel_main (gpointer data, GError **error)
{
  ls_test_logi ("-- A: cancelled before set");
  {
    g_autoptr(LsEvent) ev = ls_event_new (NULL, "a");
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (ec_waiter, "W1", ev, 0, FALSE));
    g_ptr_array_add (tasks, spawn (ec_waiter, "W2", ev, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: W1.cancel('no') -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), "no")));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_event_set (ev);
    ls_test_logi ("main: set");
    if (!ls_test_finish (tasks, error))
      return NULL;
  }

  ls_test_logi ("-- B: set, then cancelled before it runs");
  {
    g_autoptr(LsEvent) ev = ls_event_new (NULL, "b");
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (ec_waiter, "W3", ev, 0, FALSE));
    g_ptr_array_add (tasks, spawn (ec_waiter, "W4", ev, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_event_set (ev);
    ls_test_logi ("main: set; W3.cancel() -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), NULL)));
    if (!ls_test_finish (tasks, error))
      return NULL;
  }
  return NULL;
}

/* ==== Condition ======================================================= */

/* ---- condition_notify ---- */

static int cn_n;

static GVariant *
cn_waiter (gpointer data, GError **error)
{
  Args *a = data;
  LsCondition *cond = a->obj;
  g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);
  gboolean r;

  if (locker == NULL)
    return NULL;
  ls_test_logi ("%s: wait", a->name);
  if (!(r = ls_condition_wait (cond, error)))
    return NULL;
  ls_test_logi ("%s: wait -> %s, locked=%s", a->name, ls_test_bool (r),
                ls_test_bool (ls_condition_locked (cond)));
  return NULL;
}

static gboolean
cn_at_least_3 (gpointer data)
{
  return cn_n >= 3;
}

static GVariant *
cn_predicate_waiter (gpointer data, GError **error)
{
  Args *a = data;
  g_autoptr(LsLocker) locker = ls_condition_locker_new (a->obj, error);
  gboolean r;

  if (locker == NULL)
    return NULL;
  if (!(r = ls_condition_wait_for (a->obj, cn_at_least_3, NULL, error)))
    return NULL;
  ls_test_logi ("P: wait_for -> %s, n=%d", ls_test_bool (r), cn_n);
  return NULL;
}

static GVariant *
condition_notify_main (gpointer data, GError **error)
{
  g_autoptr(LsCondition) cond = ls_condition_new (NULL, "cond");
  g_autoptr(GPtrArray) tasks = ls_test_task_list ();
  g_autoptr(LsTask) p = NULL;

  cn_n = 0;
  {
    g_autoptr(GError) local_error = NULL;
    g_autofree char *args = NULL;

    ls_condition_wait (cond, &local_error);
    args = ls_test_cancel_args (local_error);
    ls_test_logi ("main: wait without the lock: %s %s", ls_error_get_python_name (local_error),
                  args);
  }
  {
    g_autoptr(GError) local_error = NULL;
    g_autofree char *args = NULL;

    ls_condition_notify (cond, 1, &local_error);
    args = ls_test_cancel_args (local_error);
    ls_test_logi ("main: notify without the lock: %s %s", ls_error_get_python_name (local_error),
                  args);
  }

  g_ptr_array_add (tasks, spawn (cn_waiter, "A", cond, 0, FALSE));
  g_ptr_array_add (tasks, spawn (cn_waiter, "B", cond, 0, FALSE));
  g_ptr_array_add (tasks, spawn (cn_waiter, "C", cond, 0, FALSE));
  g_ptr_array_add (tasks, spawn (cn_waiter, "D", cond, 0, FALSE));
  if (!ls_sleep (1, error))
    return NULL;
  {
    g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);

    if (locker == NULL)
      return NULL;
    ls_test_logi ("main: notify(1)");
    ls_condition_notify (cond, 1, NULL);
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: leaving the block");
  }
  if (!ls_sleep (1, error))
    return NULL;
  {
    g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);

    if (locker == NULL)
      return NULL;
    ls_test_logi ("main: notify(2)");
    ls_condition_notify (cond, 2, NULL);
  }
  if (!ls_sleep (1, error))
    return NULL;
  {
    g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);

    if (locker == NULL)
      return NULL;
    ls_test_logi ("main: notify_all");
    ls_condition_notify_all (cond, NULL);
    ls_condition_notify_all (cond, NULL);
  }
  if (!ls_test_await_all (tasks, error))
    return NULL;

  p = spawn (cn_predicate_waiter, "P", cond, 0, FALSE);
  for (int i = 0; i < 4; i++)
    {
      g_autoptr(LsLocker) locker = NULL;

      if (!ls_sleep (1, error))
        return NULL;
      if ((locker = ls_condition_locker_new (cond, error)) == NULL)
        return NULL;
      cn_n++;
      ls_test_logi ("main: n=%d, notify_all", cn_n);
      ls_condition_notify_all (cond, NULL);
    }
  if (!ls_test_await (p, error))
    return NULL;

  cn_n = 5;
  {
    g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);
    gboolean r;

    if (locker == NULL)
      return NULL;
    if (!(r = ls_condition_wait_for (cond, cn_at_least_3, NULL, error)))
      return NULL;
    ls_test_logi ("main: wait_for on a true predicate -> %s (no suspension)", ls_test_bool (r));
  }
  return NULL;
}

/* ---- condition_cancel ---- */

static GVariant *
cc_waiter (gpointer data, GError **error)
{
  Args *a = data;
  LsCondition *cond = a->obj;
  g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);
  GError *local_error = NULL;

  if (locker == NULL)
    return NULL;
  if (!ls_condition_wait (cond, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("%s: CancelledError args=%s, locked=%s", a->name, args,
                        ls_test_bool (ls_condition_locked (cond)));
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("%s: notified", a->name);
  return NULL;
}

static GVariant *
condition_cancel_main (gpointer data, GError **error)
{
  g_autoptr(LsCondition) cond = ls_condition_new (NULL, "cond");

  ls_test_logi ("-- A: cancelled while waiting, lock free");
  {
    g_autoptr(LsTask) a = spawn (cc_waiter, "A", cond, 0, FALSE);

    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: A.cancel('stop') -> %s", ls_test_bool (ls_task_cancel (a, "stop")));
    if (!finish_one (a, error))
      return NULL;
  }

  ls_test_logi ("-- B: cancelled while waiting, lock held by main");
  {
    g_autoptr(LsTask) b = spawn (cc_waiter, "B", cond, 0, FALSE);

    if (!ls_sleep (0.5, error))
      return NULL;
    {
      g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);

      if (locker == NULL)
        return NULL;
      ls_test_logi ("main: B.cancel('stop') -> %s", ls_test_bool (ls_task_cancel (b, "stop")));
      if (!ls_sleep (0.5, error))
        return NULL;
      ls_test_logi ("main: releasing");
    }
    if (!finish_one (b, error))
      return NULL;
  }

  ls_test_logi ("-- C: notified, then cancelled");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (cc_waiter, "C1", cond, 0, FALSE));
    g_ptr_array_add (tasks, spawn (cc_waiter, "C2", cond, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    {
      g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);

      if (locker == NULL)
        return NULL;
      ls_condition_notify (cond, 1, NULL);
      ls_test_logi ("main: notify(1); C1.cancel() -> %s",
                    ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), NULL)));
    }
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: C2 done=%s",
                  ls_test_bool (ls_future_is_done (g_ptr_array_index (tasks, 1))));
    {
      g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);

      if (locker == NULL)
        return NULL;
      ls_condition_notify (cond, 1, NULL);
      ls_test_logi ("main: notify(1) again");
    }
    if (!ls_test_finish (tasks, error))
      return NULL;
  }

  ls_test_logi ("-- D: cancelled while taking the lock back");
  {
    g_autoptr(LsTask) d = spawn (cc_waiter, "D", cond, 0, FALSE);

    if (!ls_sleep (0.5, error))
      return NULL;
    {
      g_autoptr(LsLocker) locker = ls_condition_locker_new (cond, error);

      if (locker == NULL)
        return NULL;
      ls_condition_notify (cond, 1, NULL);
      if (!ls_sleep (0, error))
        return NULL;
      ls_test_logi ("main: D.cancel('late') -> %s", ls_test_bool (ls_task_cancel (d, "late")));
      if (!ls_sleep (0.5, error))
        return NULL;
      ls_test_logi ("main: releasing");
    }
    if (!finish_one (d, error))
      return NULL;
  }
  return NULL;
}

/* ---- condition_shared_lock ---- */

static GVariant *
csl_cond_waiter (gpointer data, GError **error)
{
  Args *a = data;
  g_autoptr(LsLocker) locker = ls_condition_locker_new (a->obj, error);

  if (locker == NULL)
    return NULL;
  ls_test_logi ("%s: wait", a->name);
  if (!ls_condition_wait (a->obj, error))
    return NULL;
  ls_test_logi ("%s: notified, locked=%s", a->name, ls_test_bool (ls_condition_locked (a->obj)));
  return NULL;
}

static GVariant *
csl_plain (gpointer data, GError **error)
{
  Args *a = data;

  {
    g_autoptr(LsLocker) locker = ls_lock_locker_new (a->obj, error);

    if (locker == NULL)
      return NULL;
    ls_test_logi ("%s: has the lock", a->name);
    if (!ls_sleep (0.5, error))
      return NULL;
  }
  ls_test_logi ("%s: released", a->name);
  return NULL;
}

static GVariant *
condition_shared_lock_main (gpointer data, GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");
  g_autoptr(LsCondition) c1 = ls_condition_new_with_lock (NULL, "c1", lock);
  g_autoptr(LsCondition) c2 = ls_condition_new_with_lock (NULL, "c2", lock);
  g_autoptr(GPtrArray) tasks = ls_test_task_list ();

  g_ptr_array_add (tasks, spawn (csl_cond_waiter, "W1", c1, 0, FALSE));
  g_ptr_array_add (tasks, spawn (csl_cond_waiter, "W2", c2, 0, FALSE));
  if (!ls_sleep (0.5, error))
    return NULL;
  ls_test_logi ("main: locked=%s", ls_test_bool (ls_lock_locked (lock)));
  if (!ls_lock_acquire (lock, error))
    return NULL;
  g_ptr_array_add (tasks, spawn (csl_plain, "P", lock, 0, FALSE));
  if (!ls_sleep (0, error))
    return NULL;
  ls_condition_notify (c1, 1, NULL);
  ls_test_logi ("main: c1.notify(); c2.locked()=%s", ls_test_bool (ls_condition_locked (c2)));
  ls_condition_notify (c2, 1, NULL);
  ls_lock_release (lock, NULL);
  ls_test_logi ("main: released");
  if (!ls_test_await_all (tasks, error))
    return NULL;
  ls_test_logi ("main: locked=%s", ls_test_bool (ls_lock_locked (lock)));
  return NULL;
}

/* ==== Semaphore ======================================================= */

/* ---- semaphore_fifo ---- */

static GVariant *
sf_worker (gpointer data, GError **error)
{
  Args *a = data;
  LsSemaphore *sem = a->obj;

  ls_test_logi ("%s: acquire, value=%u, locked=%s", a->name, ls_semaphore_get_value (sem),
                ls_test_bool (ls_semaphore_locked (sem)));
  if (!ls_semaphore_acquire (sem, error))
    return NULL;
  ls_test_logi ("%s: acquired, value=%u", a->name, ls_semaphore_get_value (sem));
  if (!ls_sleep (a->delay, error))
    return NULL;
  ls_semaphore_release (sem, NULL);
  ls_test_logi ("%s: released, value=%u", a->name, ls_semaphore_get_value (sem));
  return NULL;
}

static GVariant *
semaphore_fifo_main (gpointer data, GError **error)
{
  g_autoptr(LsSemaphore) sem = ls_semaphore_new (NULL, "sem", 2, NULL);

  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (sf_worker, "A", sem, 1, FALSE));
    g_ptr_array_add (tasks, spawn (sf_worker, "B", sem, 2, FALSE));
    g_ptr_array_add (tasks, spawn (sf_worker, "C", sem, 1, FALSE));
    g_ptr_array_add (tasks, spawn (sf_worker, "D", sem, 1, FALSE));
    g_ptr_array_add (tasks, spawn (sf_worker, "E", sem, 1, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: value=%u, locked=%s", ls_semaphore_get_value (sem),
                  ls_test_bool (ls_semaphore_locked (sem)));
    if (!ls_test_await_all (tasks, error))
      return NULL;
    ls_test_logi ("main: value=%u, locked=%s", ls_semaphore_get_value (sem),
                  ls_test_bool (ls_semaphore_locked (sem)));
  }

  ls_test_logi ("-- release with waiters, then acquire at once");
  {
    g_autoptr(LsTask) w = NULL;

    if (!ls_semaphore_acquire (sem, error) || !ls_semaphore_acquire (sem, error))
      return NULL;
    w = spawn (sf_worker, "W", sem, 0.5, FALSE);
    if (!ls_sleep (0, error))
      return NULL;
    ls_semaphore_release (sem, NULL);
    ls_test_logi ("main: released, value=%u, locked=%s; acquire", ls_semaphore_get_value (sem),
                  ls_test_bool (ls_semaphore_locked (sem)));
    if (!ls_semaphore_acquire (sem, error))
      return NULL;
    ls_test_logi ("main: acquired, value=%u", ls_semaphore_get_value (sem));
    ls_semaphore_release (sem, NULL);
    ls_semaphore_release (sem, NULL);
    if (!ls_test_await (w, error))
      return NULL;
  }

  ls_test_logi ("-- two releases in one step: the first woken wakes nobody more");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    if (!ls_semaphore_acquire (sem, error) || !ls_semaphore_acquire (sem, error))
      return NULL;
    g_ptr_array_add (tasks, spawn (sf_worker, "X", sem, 0.5, FALSE));
    g_ptr_array_add (tasks, spawn (sf_worker, "Y", sem, 0.5, FALSE));
    if (!ls_sleep (0, error))
      return NULL;
    ls_semaphore_release (sem, NULL);
    ls_semaphore_release (sem, NULL);
    ls_test_logi ("main: released twice, value=%u", ls_semaphore_get_value (sem));
    if (!ls_test_await_all (tasks, error))
      return NULL;
    ls_test_logi ("main: value=%u", ls_semaphore_get_value (sem));
  }

  ls_test_logi ("-- a permit nobody waits for: the woken waiter passes it on");
  {
    g_autoptr(LsTask) p = NULL;
    g_autoptr(LsTask) q = NULL;

    if (!ls_semaphore_acquire (sem, error) || !ls_semaphore_acquire (sem, error))
      return NULL;
    p = spawn (sf_worker, "P", sem, 0.5, FALSE);
    if (!ls_sleep (0, error))
      return NULL;
    q = spawn (sf_worker, "Q", sem, 0.5, FALSE);
    ls_semaphore_release (sem, NULL);
    ls_semaphore_release (sem, NULL);
    ls_test_logi ("main: released twice, value=%u, locked=%s", ls_semaphore_get_value (sem),
                  ls_test_bool (ls_semaphore_locked (sem)));
    if (!ls_test_await (p, error) || !ls_test_await (q, error))
      return NULL;
    ls_test_logi ("main: value=%u", ls_semaphore_get_value (sem));
  }
  return NULL;
}

/* ---- semaphore_cancel ---- */

static GVariant *
sc_worker (gpointer data, GError **error)
{
  Args *a = data;
  LsSemaphore *sem = a->obj;
  GError *local_error = NULL;

  if (!ls_semaphore_acquire (sem, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("%s: CancelledError args=%s, value=%u", a->name, args,
                        ls_semaphore_get_value (sem));
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("%s: acquired, value=%u", a->name, ls_semaphore_get_value (sem));
  if (!ls_sleep (0.25, error))
    return NULL;
  ls_semaphore_release (sem, NULL);
  ls_test_logi ("%s: released, value=%u", a->name, ls_semaphore_get_value (sem));
  return NULL;
}

static gboolean
sc_failing (LsSemaphore *sem,
            GError     **error)
{
  g_autoptr(LsLocker) locker = ls_semaphore_locker_new (sem, error);

  if (locker == NULL)
    return FALSE;
  ls_test_logi ("F: in the block, value=%u", ls_semaphore_get_value (sem));
  g_propagate_error (error, ls_test_value_error ("boom"));
  return FALSE;
}

static GVariant *
semaphore_cancel_main (gpointer data, GError **error)
{
  g_autoptr(LsSemaphore) sem = ls_semaphore_new (NULL, "sem", 1, NULL);

  ls_test_logi ("-- A: a queued waiter is cancelled");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    if (!ls_semaphore_acquire (sem, error))
      return NULL;
    g_ptr_array_add (tasks, spawn (sc_worker, "B", sem, 0, FALSE));
    g_ptr_array_add (tasks, spawn (sc_worker, "C", sem, 0, FALSE));
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: B.cancel('stop') -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), "stop")));
    if (!ls_sleep (0, error))
      return NULL;
    ls_semaphore_release (sem, NULL);
    ls_test_logi ("main: released, value=%u", ls_semaphore_get_value (sem));
    if (!ls_test_finish (tasks, error))
      return NULL;
  }

  ls_test_logi ("-- B: handed a permit, then cancelled");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();
    guint value;
    gboolean cancelled;

    if (!ls_semaphore_acquire (sem, error))
      return NULL;
    g_ptr_array_add (tasks, spawn (sc_worker, "W1", sem, 0, FALSE));
    g_ptr_array_add (tasks, spawn (sc_worker, "W2", sem, 0, FALSE));
    if (!ls_sleep (0, error))
      return NULL;
    ls_semaphore_release (sem, NULL);
    value = ls_semaphore_get_value (sem);
    cancelled = ls_task_cancel (g_ptr_array_index (tasks, 0), NULL);
    ls_test_logi ("main: released, value=%u; W1.cancel() -> %s", value, ls_test_bool (cancelled));
    if (!ls_test_finish (tasks, error))
      return NULL;
    ls_test_logi ("main: value=%u, locked=%s", ls_semaphore_get_value (sem),
                  ls_test_bool (ls_semaphore_locked (sem)));
  }

  ls_test_logi ("-- C: async with, the body raises");
  {
    g_autoptr(GError) local_error = NULL;

    if (!sc_failing (sem, &local_error))
      {
        g_autofree char *exc = ls_test_fmt_exc (local_error);

        ls_test_logi ("main: %s, value=%u", exc, ls_semaphore_get_value (sem));
      }
  }
  return NULL;
}

/* ---- semaphore_bounded ---- */

static GVariant *
sb_acquire (gpointer data, GError **error)
{
  if (!ls_semaphore_acquire (data, error))
    return NULL;
  return g_variant_new_boolean (TRUE);
}

static GVariant *
semaphore_bounded_main (gpointer data, GError **error)
{
  g_autoptr(LsSemaphore) b = ls_bounded_semaphore_new (NULL, "bounded", 2, NULL);
  g_autoptr(LsSemaphore) s = ls_semaphore_new (NULL, "plain", 2, NULL);
  g_autoptr(LsSemaphore) z = ls_semaphore_new (NULL, "zero", 0, NULL);

  if (!ls_semaphore_acquire (b, error))
    return NULL;
  ls_test_logi ("bounded: acquired, value=%u", ls_semaphore_get_value (b));
  ls_semaphore_release (b, NULL);
  ls_test_logi ("bounded: released, value=%u", ls_semaphore_get_value (b));
  {
    g_autoptr(GError) local_error = NULL;

    if (!ls_semaphore_release (b, &local_error))
      {
        g_autofree char *args = ls_test_cancel_args (local_error);

        ls_test_logi ("bounded: %s %s, value=%u", ls_error_get_python_name (local_error), args,
                      ls_semaphore_get_value (b));
      }
  }

  ls_semaphore_release (s, NULL);
  ls_test_logi ("plain: released without acquiring, value=%u, locked=%s",
                ls_semaphore_get_value (s), ls_test_bool (ls_semaphore_locked (s)));
  for (int i = 0; i < 3; i++)
    if (!ls_semaphore_acquire (s, error))
      return NULL;
  ls_test_logi ("plain: acquired 3, value=%u, locked=%s", ls_semaphore_get_value (s),
                ls_test_bool (ls_semaphore_locked (s)));

  ls_test_logi ("zero: locked=%s", ls_test_bool (ls_semaphore_locked (z)));
  {
    g_autoptr(LsTask) t = ls_task_create ("Z", sb_acquire, z, NULL);
    g_autoptr(GVariant) r = NULL;
    g_autofree char *repr = NULL;

    if (!ls_sleep (0, error))
      return NULL;
    ls_semaphore_release (z, NULL);
    ls_test_logi ("zero: released, value=%u, locked=%s", ls_semaphore_get_value (z),
                  ls_test_bool (ls_semaphore_locked (z)));
    if ((r = ls_task_await (t, error)) == NULL)
      return NULL;
    repr = ls_test_repr (r);
    ls_test_logi ("zero: acquire -> %s", repr);
  }
  return NULL;
}

/* ==== Barrier ========================================================= */

/* ---- barrier_basic ---- */

typedef struct
{
  LsBarrier  *barrier;
  const char *name;
  double      delays[2];
} PartySpec;

static GVariant *
bb_party (gpointer data, GError **error)
{
  PartySpec *p = data;

  for (int rnd = 0; rnd < 2; rnd++)
    {
      gint i;

      if (!ls_sleep (p->delays[rnd], error))
        return NULL;
      ls_test_logi ("%s: round %d wait, n_waiting=%u", p->name, rnd,
                    ls_barrier_get_n_waiting (p->barrier));
      if ((i = ls_barrier_wait (p->barrier, error)) < 0)
        return NULL;
      ls_test_logi ("%s: round %d index %d, n_waiting=%u", p->name, rnd, i,
                    ls_barrier_get_n_waiting (p->barrier));
    }
  return NULL;
}

static LsTask *
spawn_party (LsBarrier  *barrier,
             const char *name,
             double      d0,
             double      d1)
{
  PartySpec *p = g_new0 (PartySpec, 1);

  p->barrier = barrier;
  p->name = name;
  p->delays[0] = d0;
  p->delays[1] = d1;
  return ls_task_create (name, bb_party, p, g_free);
}

static GVariant *
bb_entering (gpointer data, GError **error)
{
  Args *a = data;
  gint i = ls_barrier_wait (a->obj, error);   /* async with barrier as i */

  if (i < 0)
    return NULL;
  ls_test_logi ("%s: index %d", a->name, i);
  return NULL;
}

static GVariant *
barrier_basic_main (gpointer data, GError **error)
{
  g_autoptr(LsBarrier) barrier = ls_barrier_new (NULL, "barrier", 3, NULL);

  ls_test_logi ("main: parties=%u, n_waiting=%u, broken=%s", ls_barrier_get_parties (barrier),
                ls_barrier_get_n_waiting (barrier), ls_test_bool (ls_barrier_is_broken (barrier)));
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn_party (barrier, "A", 0, 1));
    g_ptr_array_add (tasks, spawn_party (barrier, "B", 0.5, 0));
    g_ptr_array_add (tasks, spawn_party (barrier, "C", 1, 0.5));
    if (!ls_test_await_all (tasks, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u", ls_barrier_get_n_waiting (barrier));
  }

  ls_test_logi ("-- async with, and a 4th task arriving while it drains");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();
    gint i;

    g_ptr_array_add (tasks, spawn (bb_entering, "D", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bb_entering, "E", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bb_entering, "F", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bb_entering, "G", barrier, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u", ls_barrier_get_n_waiting (barrier));
    g_ptr_array_add (tasks, spawn (bb_entering, "H", barrier, 0, FALSE));
    if ((i = ls_barrier_wait (barrier, error)) < 0)
      return NULL;
    ls_test_logi ("main: index %d", i);
    if (!ls_test_await_all (tasks, error))
      return NULL;
  }
  return NULL;
}

/* ---- barrier_abort_reset ---- */

static gboolean
bar_party (LsBarrier  *barrier,
           const char *name,
           GError    **error)
{
  GError *local_error = NULL;
  gint i = ls_barrier_wait (barrier, &local_error);

  if (i < 0)
    {
      if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_BROKEN_BARRIER))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("%s: BrokenBarrierError %s, n_waiting=%u", name, args,
                        ls_barrier_get_n_waiting (barrier));
          g_error_free (local_error);
          return TRUE;
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }
  ls_test_logi ("%s: index %d", name, i);
  return TRUE;
}

static GVariant *
bar_party_task (gpointer data, GError **error)
{
  Args *a = data;

  bar_party (a->obj, a->name, error);
  return NULL;
}

static GVariant *
barrier_abort_reset_main (gpointer data, GError **error)
{
  g_autoptr(LsBarrier) barrier = ls_barrier_new (NULL, "barrier", 3, NULL);

  ls_test_logi ("-- A: abort");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (bar_party_task, "A", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bar_party_task, "B", barrier, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u; abort", ls_barrier_get_n_waiting (barrier));
    if (!ls_barrier_abort (barrier, error))
      return NULL;
    ls_test_logi ("main: broken=%s", ls_test_bool (ls_barrier_is_broken (barrier)));
    if (!ls_test_await_all (tasks, error))
      return NULL;
    if (!bar_party (barrier, "late", error))
      return NULL;
  }

  ls_test_logi ("-- B: reset a broken barrier");
  if (!ls_barrier_reset (barrier, error))
    return NULL;
  ls_test_logi ("main: broken=%s, n_waiting=%u", ls_test_bool (ls_barrier_is_broken (barrier)),
                ls_barrier_get_n_waiting (barrier));

  ls_test_logi ("-- C: reset while two wait");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();
    g_autoptr(GPtrArray) more = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (bar_party_task, "C", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bar_party_task, "D", barrier, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    if (!ls_barrier_reset (barrier, error))
      return NULL;
    ls_test_logi ("main: reset, n_waiting=%u", ls_barrier_get_n_waiting (barrier));
    if (!ls_test_await_all (tasks, error))
      return NULL;
    g_ptr_array_add (more, spawn (bar_party_task, "E", barrier, 0, FALSE));
    g_ptr_array_add (more, spawn (bar_party_task, "F", barrier, 0, FALSE));
    g_ptr_array_add (more, spawn (bar_party_task, "G", barrier, 0, FALSE));
    if (!ls_test_await_all (more, error))
      return NULL;
  }
  return NULL;
}

/* ---- barrier_cancel ---- */

static GVariant *
bc_party (gpointer data, GError **error)
{
  Args *a = data;
  GError *local_error = NULL;
  gint i = ls_barrier_wait (a->obj, &local_error);

  if (i < 0)
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_autofree char *args = ls_test_cancel_args (local_error);

          ls_test_logi ("%s: CancelledError args=%s, n_waiting=%u", a->name, args,
                        ls_barrier_get_n_waiting (a->obj));
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_test_logi ("%s: index %d", a->name, i);
  return NULL;
}

static GVariant *
barrier_cancel_main (gpointer data, GError **error)
{
  g_autoptr(LsBarrier) barrier = ls_barrier_new (NULL, "barrier", 3, NULL);

  ls_test_logi ("-- A: cancelled while waiting for the others");
  {
    g_autoptr(LsTask) a = spawn (bc_party, "A", barrier, 0, FALSE);
    g_autoptr(GPtrArray) rest = ls_test_task_list ();
    guint n_waiting;

    g_ptr_array_add (rest, spawn (bc_party, "B", barrier, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    n_waiting = ls_barrier_get_n_waiting (barrier);
    ls_test_logi ("main: n_waiting=%u; A.cancel('bye') -> %s", n_waiting,
                  ls_test_bool (ls_task_cancel (a, "bye")));
    if (!finish_one (a, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u", ls_barrier_get_n_waiting (barrier));
    g_ptr_array_add (rest, spawn (bc_party, "C", barrier, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u", ls_barrier_get_n_waiting (barrier));
    g_ptr_array_add (rest, spawn (bc_party, "D", barrier, 0, FALSE));
    if (!ls_test_finish (rest, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u, broken=%s", ls_barrier_get_n_waiting (barrier),
                  ls_test_bool (ls_barrier_is_broken (barrier)));
  }

  ls_test_logi ("-- B: the barrier trips, then a notified party is cancelled");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();
    gint i;

    g_ptr_array_add (tasks, spawn (bc_party, "E", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bc_party, "F", barrier, 0, FALSE));
    if (!ls_sleep (0.5, error))
      return NULL;
    if ((i = ls_barrier_wait (barrier, error)) < 0)
      return NULL;
    ls_test_logi ("main: index %d; E.cancel('late') -> %s", i,
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 0), "late")));
    if (!ls_test_finish (tasks, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u", ls_barrier_get_n_waiting (barrier));
  }

  ls_test_logi ("-- C: cancelled while waiting for the drain");
  {
    g_autoptr(GPtrArray) tasks = ls_test_task_list ();

    g_ptr_array_add (tasks, spawn (bc_party, "H", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bc_party, "I", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bc_party, "J", barrier, 0, FALSE));
    g_ptr_array_add (tasks, spawn (bc_party, "G", barrier, 0, FALSE));
    if (!ls_sleep (0, error))
      return NULL;
    ls_test_logi ("main: G.cancel() -> %s",
                  ls_test_bool (ls_task_cancel (g_ptr_array_index (tasks, 3), NULL)));
    if (!ls_test_finish (tasks, error))
      return NULL;
    ls_test_logi ("main: n_waiting=%u, broken=%s", ls_barrier_get_n_waiting (barrier),
                  ls_test_bool (ls_barrier_is_broken (barrier)));
  }
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (lock_fifo);
  LS_TEST_PYREF (lock_cancel_waiting);
  LS_TEST_PYREF (lock_cancel_after_handoff);
  LS_TEST_PYREF (lock_async_with);
  LS_TEST_PYREF (event_set_wakes_all);
  LS_TEST_PYREF (event_cancel);
  LS_TEST_PYREF (condition_notify);
  LS_TEST_PYREF (condition_cancel);
  LS_TEST_PYREF (condition_shared_lock);
  LS_TEST_PYREF (semaphore_fifo);
  LS_TEST_PYREF (semaphore_cancel);
  LS_TEST_PYREF (semaphore_bounded);
  LS_TEST_PYREF (barrier_basic);
  LS_TEST_PYREF (barrier_abort_reset);
  LS_TEST_PYREF (barrier_cancel);

  return g_test_run ();
}
