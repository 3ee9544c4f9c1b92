/* SPDX-License-Identifier: MIT
 *
 * The tracer writes the records Loopscope's runtime writes. Each program in
 * tests/python/ runs under the tracer on CPython (virtual clock), and its
 * twin here runs the same steps on the runtime; the two traces must hold
 * the same records in the same order: kinds, reasons, times and values
 * equal, object ids, handle ids and strings compared by what they stand for
 * (numbered in order of first appearance; strings by their text).
 * SOURCE_LINE records are left out: the twins have no listing.
 *
 * Both run to their ends: run_until_complete stops the loop from a done
 * callback of the main task on both, one iteration after it ended.
 *
 * One order differs, and only it is let through: CPython's gather() makes
 * its future after it has added its done callback to each child, so a
 * child already done has that callback queued (READY_PUSH) before the
 * gathering future exists (OBJECT_NEW gather); ls_gather_start () declares
 * the gathering future first. gather_first () puts CPython's OBJECT_NEW
 * back before those pushes; nothing else moves.
 */
#include "config.h"

#include <string.h>

#include "ls-runtime.h"
#include "ls-test-python.h"

/* ---- normalising a trace ---------------------------------------------------- */

typedef enum
{
  F_NONE,   /* not compared */
  F_VALUE,  /* compared as it is */
  F_ID,     /* an object id */
  F_HANDLE, /* a ready-queue handle id */
  F_STRING, /* an interned string */
  F_ERROR,  /* a task's error (ls_trace_error_arg ()): its code and class name */
} Field;

/* subject, object, peer, arg */
static const Field fields[][4] = {
  [LS_TRACE_LOOP_ITERATION_BEGIN] = { F_VALUE, F_VALUE, F_VALUE, F_VALUE },
  [LS_TRACE_LOOP_ITERATION_END]   = { F_VALUE, F_VALUE, F_VALUE, F_VALUE },
  [LS_TRACE_LOOP_BLOCKED_BEGIN]   = { F_ID, F_VALUE, F_VALUE, F_VALUE },
  [LS_TRACE_LOOP_BLOCKED_END]     = { F_ID, F_VALUE, F_VALUE, F_VALUE },
  [LS_TRACE_OBJECT_NEW]           = { F_ID, F_ID, F_STRING, F_VALUE },
  [LS_TRACE_READY_PUSH]           = { F_ID, F_HANDLE, F_ID, F_VALUE },
  [LS_TRACE_HANDLE_RUN]           = { F_ID, F_HANDLE, F_ID, F_VALUE },
  [LS_TRACE_TASK_SUSPEND]         = { F_ID, F_ID, F_ID, F_VALUE },
  [LS_TRACE_TASK_DONE]            = { F_ID, F_VALUE, F_STRING, F_ERROR },
  [LS_TRACE_FUTURE_DONE]          = { F_ID, F_ID, F_ID, F_VALUE },
  [LS_TRACE_CANCEL_REQUEST]       = { F_ID, F_ID, F_STRING, F_VALUE },
  [LS_TRACE_TIMER_ADD]            = { F_ID, F_ID, F_ID, F_VALUE },
  [LS_TRACE_TIMER_CANCEL]         = { F_VALUE, F_ID, F_VALUE, F_VALUE },
  [LS_TRACE_TIMER_FIRE]           = { F_VALUE, F_ID, F_HANDLE, F_VALUE },
  [LS_TRACE_PRINT]                = { F_ID, F_VALUE, F_STRING, F_VALUE },
  [LS_TRACE_IO_BEGIN]             = { F_ID, F_ID, F_STRING, F_VALUE },
  [LS_TRACE_IO_COMPLETE]          = { F_VALUE, F_ID, F_VALUE, F_VALUE },
  [LS_TRACE_SCOPE_BEGIN]          = { F_ID, F_ID, F_VALUE, F_VALUE },
  [LS_TRACE_SCOPE_END]            = { F_ID, F_ID, F_VALUE, F_VALUE },
  [LS_TRACE_PRIMITIVE]            = { F_ID, F_ID, F_ID, F_VALUE },
  [LS_TRACE_SOURCE_LINE]          = { F_NONE, F_NONE, F_NONE, F_NONE },
  [LS_TRACE_THREAD_WORK_SUBMIT]   = { F_ID, F_ID, F_STRING, F_VALUE },
  [LS_TRACE_THREAD_WORK_BEGIN]    = { F_ID, F_ID, F_ID, F_ID },
  [LS_TRACE_THREAD_WORK_END]      = { F_ID, F_ID, F_ID, F_ID },
  [LS_TRACE_TASK_GROUP_ADD]       = { F_ID, F_ID, F_VALUE, F_VALUE },
  [LS_TRACE_TASK_GROUP_ABORT]     = { F_ID, F_ID, F_VALUE, F_VALUE },
  [LS_TRACE_TASK_GROUP_EXIT]      = { F_ID, F_ID, F_STRING, F_VALUE },
};

static char *
field_text (LsTrace    *trace,
            GHashTable *ids,
            GHashTable *handles,
            Field       field,
            gint64      value)
{
  GHashTable *map = field == F_ID ? ids : handles;
  gpointer n;

  switch (field)
    {
    case F_VALUE:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value);
    case F_STRING:
      return g_strdup_printf ("\"%s\"", ls_trace_get_string (trace, (guint32) value));
    case F_ERROR:
      return g_strdup_printf ("%d:%s", ls_trace_error_code (value),
                              ls_trace_error_name_id (value) != 0
                              ? ls_trace_get_string (trace, ls_trace_error_name_id (value)) : "-");
    case F_ID:
    case F_HANDLE:
      if (value == 0)
        return g_strdup ("-");
      if (!g_hash_table_lookup_extended (map, GINT_TO_POINTER ((int) value), NULL, &n))
        {
          n = GUINT_TO_POINTER (g_hash_table_size (map) + 1);
          g_hash_table_insert (map, GINT_TO_POINTER ((int) value), n);
        }
      return g_strdup_printf ("%c%u", field == F_ID ? '#' : 'h', GPOINTER_TO_UINT (n));
    case F_NONE:
    default:
      return g_strdup ("");
    }
}

/* One line per record, ids renumbered by first appearance */
static GPtrArray *
normalise (LsTrace *trace)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) handles = g_hash_table_new (NULL, NULL);

  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);
      const Field *f;
      gint64 values[4];
      char *texts[4];
      char reason[32];

      g_assert_cmpuint (r->kind, <, G_N_ELEMENTS (fields));
      if (r->kind == LS_TRACE_SOURCE_LINE)
        continue;
      f = fields[r->kind];
      values[0] = r->subject;
      values[1] = r->object;
      values[2] = r->peer;
      values[3] = r->arg;
      for (guint k = 0; k < 4; k++)
        texts[k] = field_text (trace, ids, handles, f[k], values[k]);
      if (r->kind == LS_TRACE_PRIMITIVE)
        g_strlcpy (reason, ls_primitive_op_name (r->reason), sizeof reason);
      else if (r->kind == LS_TRACE_TASK_SUSPEND || r->kind == LS_TRACE_TIMER_ADD)
        g_strlcpy (reason, ls_wait_reason_name (r->reason), sizeof reason);
      else if (r->kind == LS_TRACE_OBJECT_NEW)
        g_strlcpy (reason, ls_object_kind_name (r->reason), sizeof reason);
      else
        g_snprintf (reason, sizeof reason, "r=%u", r->reason);
      g_ptr_array_add (lines, g_strdup_printf ("%12.9f %-15s %-14s s=%s o=%s p=%s a=%s",
                                               r->time / 1e9, ls_trace_kind_name (r->kind),
                                               reason, texts[0], texts[1], texts[2], texts[3]));
      for (guint k = 0; k < 4; k++)
        g_free (texts[k]);
    }
  return lines;
}

/* The OBJECT_NEW of a gathering future moved before the callback pushes
 * that come right before it (see the top of the file). */
static void
gather_first (GPtrArray *lines)
{
  for (guint i = 1; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      guint j = i;

      if (strstr (line, " object-new      gather ") == NULL)
        continue;
      while (j > 0 && strstr (g_ptr_array_index (lines, j - 1), " ready-push      r=3 ") != NULL)
        j--;
      if (j < i)
        {
          gpointer moved = g_ptr_array_steal_index (lines, i);

          g_ptr_array_insert (lines, (int) j, moved);
        }
    }
}

/* ---- running both --------------------------------------------------------------- */

static LsTrace *
run_twin (LsTaskFunc main_func)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) task = ls_task_new (loop, NULL, main_func, NULL, NULL);

  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (task), NULL));
  return g_object_ref (ls_loop_get_trace (loop));
}

static void
test_twin (gconstpointer data)
{
  LsTaskFunc main_func = (LsTaskFunc) data;
  const char *name = strrchr (g_test_get_path (), '/') + 1;
  g_autofree char *file = g_strdup_printf ("python/%s.py", name);
  g_autoptr(LsPythonRun) run = ls_test_run_python (file, LS_LOOP_INSTANT);
  LsTrace *python = ls_python_run_get_trace (run);
  g_autoptr(LsTrace) c = run_twin (main_func);
  g_autoptr(GPtrArray) a = normalise (c);
  g_autoptr(GPtrArray) b = normalise (python);

  gather_first (b);
  if (g_getenv ("LS_TWINS_DUMP") != NULL)
    for (guint i = 0; i < MAX (a->len, b->len); i++)
      g_printerr ("%4u C:  %s\n     Py: %s\n", i,
                  i < a->len ? (char *) g_ptr_array_index (a, i) : "",
                  i < b->len ? (char *) g_ptr_array_index (b, i) : "");
  for (guint i = 0; i < MAX (a->len, b->len); i++)
    {
      const char *x = i < a->len ? g_ptr_array_index (a, i) : "(nothing)";
      const char *y = i < b->len ? g_ptr_array_index (b, i) : "(nothing)";

      if (g_strcmp0 (x, y) == 0)
        continue;
      g_printerr ("%s: record %u differs\n", name, i);
      for (guint k = i > 8 ? i - 8 : 0; k < i; k++)
        g_printerr ("    %s\n", (char *) g_ptr_array_index (a, k));
      g_printerr ("C:  %s\nPy: %s\n", x, y);
      for (guint k = i + 1; k < MIN (i + 6, MAX (a->len, b->len)); k++)
        g_printerr ("C:  %s\nPy: %s\n", k < a->len ? (char *) g_ptr_array_index (a, k) : "",
                    k < b->len ? (char *) g_ptr_array_index (b, k) : "");
      g_test_fail ();
      return;
    }
  g_assert_cmpuint (a->len, >, 10);
}

/* ---- the twins ------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  double      delay;
  gpointer    object;
} Work;

static LsTask *
spawn (LsTaskFunc func,
       Work      *work)
{
  return ls_task_create (NULL, func, work, NULL);
}

static GPtrArray *
gather (LsTask **tasks,
        guint    n,
        gboolean return_exceptions,
        GError **error)
{
  return ls_gather ((LsFuture **) tasks, n, return_exceptions, error);
}

static void
unref_all (LsTask **tasks,
           guint    n)
{
  for (guint i = 0; i < n; i++)
    ls_task_unref (tasks[i]);
}

/* sleep_gather.py */

static GVariant *
sleep_gather_worker (gpointer data,
                     GError **error)
{
  Work *w = data;

  ls_print ("%s starts", w->name);
  if (!ls_sleep (w->delay, error))
    return NULL;
  ls_print ("%s ends", w->name);
  return g_variant_new_string (w->name);
}

static GVariant *
sleep_gather_main (gpointer data,
                   GError **error)
{
  Work works[] = { { "a", 0.5 }, { "b", 1 }, { "c", 0.25 } };
  LsTask *tasks[3];
  g_autoptr(GPtrArray) results = NULL;

  if (!ls_sleep (0, error))
    return NULL;
  for (guint i = 0; i < 3; i++)
    tasks[i] = spawn (sleep_gather_worker, &works[i]);
  results = gather (tasks, 3, FALSE, error);
  unref_all (tasks, 3);
  if (results == NULL)
    return NULL;
  ls_print_text ("['a', 'b', 'c']");
  return NULL;
}

/* lock.py */

static GVariant *
lock_worker (gpointer data,
             GError **error)
{
  Work *w = data;

  {
    g_autoptr(LsLocker) locker = ls_lock_locker_new (w->object, error);

    if (locker == NULL)
      return NULL;
    ls_print ("%s holds the lock", w->name);
    if (!ls_sleep (w->delay, error))
      return NULL;
  }
  ls_print ("%s let it go", w->name);
  return NULL;
}

static GVariant *
lock_main (gpointer data,
           GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");
  Work works[] = { { "a", 1, lock }, { "b", 1, lock }, { "c", 1, lock },
                   { "d", 0, lock }, { "e", 0, lock } };
  LsTask *tasks[5];
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) results2 = NULL;

  for (guint i = 0; i < 3; i++)
    tasks[i] = spawn (lock_worker, &works[i]);
  if (!ls_sleep (0.5, error))
    return NULL;
  ls_task_cancel (tasks[2], NULL);
  results = gather (tasks, 3, TRUE, error);
  unref_all (tasks, 3);
  if (results == NULL || !ls_lock_acquire (lock, error))
    return NULL;
  tasks[3] = spawn (lock_worker, &works[3]);
  tasks[4] = spawn (lock_worker, &works[4]);
  if (!ls_sleep (0, error))
    return NULL;
  ls_lock_release (lock, NULL);
  ls_task_cancel (tasks[3], NULL);
  results2 = gather (tasks + 3, 2, TRUE, error);
  unref_all (tasks + 3, 2);
  if (results2 == NULL)
    return NULL;
  ls_print_text ("done");
  return NULL;
}

/* event.py */

static GVariant *
event_waiter (gpointer data,
              GError **error)
{
  Work *w = data;

  ls_print ("%s waits", w->name);
  if (!ls_event_wait (w->object, error))
    return NULL;
  ls_print ("%s woke", w->name);
  return NULL;
}

static GVariant *
event_main (gpointer data,
            GError **error)
{
  g_autoptr(LsEvent) event = ls_event_new (NULL, "event");
  Work works[] = { { "a", 0, event }, { "b", 0, event }, { "c", 0, event } };
  LsTask *tasks[3];
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < 3; i++)
    tasks[i] = spawn (event_waiter, &works[i]);
  if (!ls_sleep (1, error))
    goto out;
  ls_task_cancel (tasks[2], NULL);
  if (!ls_sleep (0, error))
    goto out;
  ls_event_set (event);
  ls_event_set (event);
  results = gather (tasks, 3, TRUE, error);
  if (results == NULL || !ls_event_wait (event, error))
    goto out;
  ls_event_clear (event);
  ls_print_text (ls_event_is_set (event) ? "True" : "False");
out:
  unref_all (tasks, 3);
  return NULL;
}

/* condition.py */

typedef struct
{
  LsCondition *cond;
  GArray      *items;
} Shelf;

static gboolean
shelf_has_items (gpointer data)
{
  return ((Shelf *) data)->items->len > 0;
}

static GVariant *
condition_consumer (gpointer data,
                    GError **error)
{
  Work *w = data;
  Shelf *shelf = w->object;
  g_autoptr(LsLocker) locker = ls_condition_locker_new (shelf->cond, error);
  int item;

  if (locker == NULL || !ls_condition_wait_for (shelf->cond, shelf_has_items, shelf, error))
    return NULL;
  item = g_array_index (shelf->items, int, shelf->items->len - 1);
  g_array_set_size (shelf->items, shelf->items->len - 1);
  ls_print ("%s took %d", w->name, item);
  return NULL;
}

static gboolean
condition_put (Shelf   *shelf,
               int      item,
               gboolean all,
               GError **error)
{
  g_autoptr(LsLocker) locker = ls_condition_locker_new (shelf->cond, error);

  if (locker == NULL)
    return FALSE;
  g_array_append_val (shelf->items, item);
  if (all)
    return ls_condition_notify_all (shelf->cond, error);
  return ls_condition_notify (shelf->cond, 1, error);
}

static GVariant *
condition_main (gpointer data,
                GError **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (int));
  Shelf shelf = { ls_condition_new (NULL, "cond"), items };
  Work works[] = { { "a", 0, &shelf }, { "b", 0, &shelf } };
  LsTask *tasks[2];
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < 2; i++)
    tasks[i] = spawn (condition_consumer, &works[i]);
  if (ls_sleep (1, error) && condition_put (&shelf, 1, FALSE, error) && ls_sleep (1, error)
      && condition_put (&shelf, 2, TRUE, error))
    results = gather (tasks, 2, FALSE, error);
  unref_all (tasks, 2);
  ls_condition_unref (shelf.cond);
  return NULL;
}

/* semaphore.py */

static GVariant *
semaphore_worker (gpointer data,
                  GError **error)
{
  Work *w = data;

  {
    g_autoptr(LsLocker) locker = ls_semaphore_locker_new (w->object, error);

    if (locker == NULL)
      return NULL;
    ls_print ("%s in", w->name);
    if (!ls_sleep (1, error))
      return NULL;
  }
  ls_print ("%s out", w->name);
  return NULL;
}

static GVariant *
semaphore_main (gpointer data,
                GError **error)
{
  LsSemaphore *sem = ls_semaphore_new (NULL, "sem", 2, NULL);
  LsSemaphore *bounded = NULL;
  Work works[] = { { "a", 0, sem }, { "b", 0, sem }, { "c", 0, sem }, { "d", 0, sem } };
  LsTask *tasks[4];
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) local_error = NULL;

  for (guint i = 0; i < 4; i++)
    tasks[i] = spawn (semaphore_worker, &works[i]);
  if (!ls_sleep (0.5, error))
    goto out;
  ls_task_cancel (tasks[3], NULL);
  results = gather (tasks, 4, TRUE, error);
  if (results == NULL)
    goto out;
  bounded = ls_bounded_semaphore_new (NULL, "bounded", 1, NULL);
  if (!ls_semaphore_acquire (bounded, error))
    goto out;
  ls_semaphore_release (bounded, NULL);
  if (!ls_semaphore_release (bounded, &local_error))
    ls_print ("ValueError: %s", local_error->message);
out:
  unref_all (tasks, 4);
  ls_semaphore_unref (sem);
  g_clear_pointer (&bounded, ls_semaphore_unref);
  return NULL;
}

/* barrier.py */

static GVariant *
barrier_party (gpointer data,
               GError **error)
{
  Work *w = data;
  int index;

  if (!ls_sleep (w->delay, error))
    return NULL;
  ls_print ("%s arrives", w->name);
  if ((index = ls_barrier_wait (w->object, error)) < 0)
    return NULL;
  ls_print ("%s passes (%d)", w->name, index);
  return NULL;
}

static GVariant *
barrier_main (gpointer data,
              GError **error)
{
  LsBarrier *barrier = ls_barrier_new (NULL, "barrier", 3, NULL);
  Work works[] = { { "a", 0.5, barrier }, { "b", 1, barrier }, { "c", 1.5, barrier } };
  LsTask *tasks[3];
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < 3; i++)
    tasks[i] = spawn (barrier_party, &works[i]);
  results = gather (tasks, 3, FALSE, error);
  unref_all (tasks, 3);
  ls_barrier_unref (barrier);
  return NULL;
}

/* queue.py */

static GVariant *
queue_producer (gpointer data,
                GError **error)
{
  Work *w = data;

  for (int i = 0; i < 4; i++)
    {
      if (!ls_queue_put (w->object, g_variant_new_int32 (i), error))
        return NULL;
      ls_print ("put %d", i);
    }
  if (!ls_queue_join (w->object, error))
    return NULL;
  ls_print_text ("all done");
  return NULL;
}

static GVariant *
queue_consumer (gpointer data,
                GError **error)
{
  Work *w = data;

  for (;;)
    {
      g_autoptr(GVariant) item = ls_queue_get (w->object, error);

      if (item == NULL || !ls_sleep (0.5, error))
        return NULL;
      ls_print ("%s got %d", w->name, g_variant_get_int32 (item));
      ls_queue_task_done (w->object, NULL);
    }
}

static GVariant *
queue_main (gpointer data,
            GError **error)
{
  g_autoptr(LsQueue) queue = ls_queue_new (NULL, "queue", 2);
  g_autoptr(LsQueue) pq = NULL;
  g_autoptr(LsQueue) lq = NULL;
  Work works[] = { { "p", 0, queue }, { "a", 0, queue }, { "b", 0, queue } };
  LsTask *producer = spawn (queue_producer, &works[0]);
  LsTask *consumers[2] = { spawn (queue_consumer, &works[1]), spawn (queue_consumer, &works[2]) };
  g_autoptr(GVariant) r = ls_task_await (producer, error);
  g_autoptr(GPtrArray) results = NULL;
  int got[3];

  ls_task_unref (producer);
  if (r == NULL && error != NULL && *error != NULL)
    {
      unref_all (consumers, 2);
      return NULL;
    }
  for (guint i = 0; i < 2; i++)
    ls_task_cancel (consumers[i], NULL);
  results = gather (consumers, 2, TRUE, error);
  unref_all (consumers, 2);
  if (results == NULL)
    return NULL;
  pq = ls_priority_queue_new (NULL, "pq", 0);
  for (guint i = 0; i < 3; i++)
    {
      static const int items[] = { 3, 1, 2 };

      ls_queue_put_nowait (pq, g_variant_new_int32 (items[i]), NULL);
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GVariant) v = ls_queue_get_nowait (pq, NULL);

      got[i] = g_variant_get_int32 (v);
    }
  ls_print ("[%d, %d, %d]", got[0], got[1], got[2]);
  lq = ls_lifo_queue_new (NULL, "lq", 0);
  for (int item = 1; item <= 3; item++)
    ls_queue_put_nowait (lq, g_variant_new_int32 (item), NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GVariant) v = ls_queue_get_nowait (lq, NULL);

      got[i] = g_variant_get_int32 (v);
    }
  ls_print ("[%d, %d, %d]", got[0], got[1], got[2]);
  return NULL;
}

/* wait_for.py, wait.py, as_completed.py */

static GVariant *
slow (gpointer data,
      GError **error)
{
  Work *w = data;

  if (!ls_sleep (w->delay, error))
    return NULL;
  return g_variant_new_double (w->delay);
}

static GVariant *
wait_for_main (gpointer data,
               GError **error)
{
  Work works[] = { { "a", 0.5 }, { "b", 2 } };
  g_autoptr(LsTask) a = spawn (slow, &works[0]);
  g_autoptr(GVariant) r = ls_wait_for (LS_FUTURE (a), 1, error);
  g_autoptr(LsTask) b = NULL;
  g_autoptr(GVariant) r2 = NULL;
  g_autoptr(GError) local_error = NULL;

  if (r == NULL)
    return NULL;
  ls_print ("%g", g_variant_get_double (r));
  b = spawn (slow, &works[1]);
  r2 = ls_wait_for (LS_FUTURE (b), 1, &local_error);
  if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
    ls_print_text ("timed out");
  return NULL;
}

static GVariant *
wait_main (gpointer data,
           GError **error)
{
  Work works[] = { { "1", 1 }, { "2", 2 }, { "3", 3 } };
  LsTask *jobs[3];
  struct { double timeout; LsReturnWhen when; } calls[] = {
    { LS_NO_TIMEOUT, LS_FIRST_COMPLETED }, { 0.5, LS_ALL_COMPLETED },
    { LS_NO_TIMEOUT, LS_ALL_COMPLETED },
  };

  for (guint i = 0; i < 3; i++)
    jobs[i] = spawn (slow, &works[i]);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(GPtrArray) done = NULL;
      g_autoptr(GPtrArray) pending = NULL;

      if (!ls_wait ((LsFuture **) jobs, 3, calls[i].timeout, calls[i].when, &done, &pending,
                    error))
        break;
      ls_print ("%u %u", done->len, pending->len);
    }
  unref_all (jobs, 3);
  return NULL;
}

static GVariant *
as_completed_main (gpointer data,
                   GError **error)
{
  Work works[] = { { "3", 3 }, { "1", 1 }, { "2", 2 } };
  LsTask *jobs[3];
  g_autoptr(LsAsCompleted) each = NULL;

  for (guint i = 0; i < 3; i++)
    jobs[i] = spawn (slow, &works[i]);
  each = ls_as_completed_new ((LsFuture **) jobs, 3, LS_NO_TIMEOUT);
  while (ls_as_completed_has_next (each))
    {
      g_autoptr(GVariant) r = ls_as_completed_next (each, NULL, error);

      if (r == NULL)
        break;
      ls_print ("%g", g_variant_get_double (r));
    }
  unref_all (jobs, 3);
  return NULL;
}

/* timeout.py */

static GVariant *
timeout_main (gpointer data,
              GError **error)
{
  LsTimeoutScope *scope = ls_timeout_enter (1);
  GError *local_error = NULL;
  gboolean expired;

  ls_sleep (2, &local_error);
  ls_timeout_exit (scope, &local_error);
  if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
    ls_print_text ("timed out");
  g_clear_error (&local_error);
  scope = ls_timeout_enter (1);
  if (!ls_sleep (0.5, &local_error))
    {
      ls_timeout_exit (scope, &local_error);
      g_propagate_error (error, local_error);
      return NULL;
    }
  expired = ls_timeout_exit (scope, NULL);
  ls_print_text (expired ? "True" : "False");
  return NULL;
}

/* shield.py */

static GVariant *
shield_inner (gpointer data,
              GError **error)
{
  if (!ls_sleep (1, error))
    return NULL;
  ls_print_text ("inner done");
  return g_variant_new_int32 (1);
}

static GVariant *
shield_main (gpointer data,
             GError **error)
{
  g_autoptr(LsTask) task = ls_task_create (NULL, shield_inner, NULL, NULL);
  g_autoptr(LsFuture) outer = ls_shield (LS_FUTURE (task));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) ignored = ls_wait_for (outer, 0.5, &local_error);
  g_autoptr(GVariant) r = NULL;

  if (g_error_matches (local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT))
    ls_print_text ("the shielded wait timed out");
  if ((r = ls_task_await (task, error)) == NULL)
    return NULL;
  ls_print ("%d", g_variant_get_int32 (r));
  return NULL;
}

/* cancel.py */

static GVariant *
cancel_sleeper (gpointer data,
                GError **error)
{
  Work *w = data;
  GError *local_error = NULL;

  if (!ls_sleep (10, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        ls_print ("%s cancelled", w->name);
      g_propagate_error (error, local_error);
      return NULL;
    }
  return NULL;
}

static GVariant *
cancel_waiter (gpointer data,
               GError **error)
{
  Work *w = data;

  return ls_task_await (w->object, error);
}

static GVariant *
cancel_main (gpointer data,
             GError **error)
{
  Work works[] = { { "a" }, { "b" }, { "w" } };
  LsTask *tasks[3];

  tasks[0] = spawn (cancel_sleeper, &works[0]);
  tasks[1] = spawn (cancel_sleeper, &works[1]);
  ls_print_text (ls_task_cancel (tasks[1], NULL) ? "True" : "False");
  if (!ls_sleep (1, error))
    {
      unref_all (tasks, 2);
      return NULL;
    }
  works[2].object = tasks[0];
  tasks[2] = spawn (cancel_waiter, &works[2]);
  if (ls_sleep (0, error))
    {
      ls_print_text (ls_task_cancel (tasks[2], "stop") ? "True" : "False");
      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(GVariant) r = ls_task_await (tasks[i], &local_error);

          if (ls_error_is_cancelled (local_error))
            ls_print ("cancelled: %s",
                      ls_future_is_cancelled (LS_FUTURE (tasks[i])) ? "True" : "False");
        }
    }
  unref_all (tasks, 3);
  return NULL;
}

/* failure.py */

static GVariant *
boom (gpointer data,
      GError **error)
{
  if (!ls_sleep (0.5, error))
    return NULL;
  g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "boom");
  return NULL;
}

static GVariant *
sleep_ok (gpointer data,
          GError **error)
{
  if (!ls_sleep (1, error))
    return NULL;
  return g_variant_new_string ("ok");
}

static GVariant *
missing (gpointer data,
         GError **error)
{
  if (!ls_sleep (0.25, error))
    return NULL;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "missing.txt");
  return NULL;
}

static GVariant *
failure_main (gpointer data,
              GError **error)
{
  g_autoptr(LsTask) t = ls_task_create (NULL, boom, NULL, NULL);
  g_autoptr(LsTask) m = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = ls_task_await (t, &local_error);
  LsTask *pair[2];
  g_autoptr(GPtrArray) results = NULL;

  if (local_error != NULL)
    ls_print ("caught %s", local_error->message);
  g_clear_error (&local_error);
  m = ls_task_create (NULL, missing, NULL, NULL);
  g_clear_pointer (&r, g_variant_unref);
  r = ls_task_await (m, &local_error);
  if (local_error != NULL)
    ls_print ("caught %s: %s", ls_error_get_python_name (local_error), local_error->message);
  pair[0] = ls_task_create (NULL, boom, NULL, NULL);
  pair[1] = ls_task_create (NULL, sleep_ok, NULL, NULL);
  results = gather (pair, 2, TRUE, error);
  unref_all (pair, 2);
  if (results == NULL)
    return NULL;
  ls_print ("%u", results->len);
  return boom (NULL, error);
}

/* blocking.py */

static GVariant *
ticker (gpointer data,
        GError **error)
{
  for (int i = 0; i < 3; i++)
    {
      if (!ls_sleep (0.5, error))
        return NULL;
      ls_print ("tick %d", i);
    }
  return NULL;
}

static GVariant *
blocking_main (gpointer data,
               GError **error)
{
  g_autoptr(LsTask) t = ls_task_create (NULL, ticker, NULL, NULL);
  g_autoptr(GVariant) r = NULL;

  if (!ls_sleep (0, error))
    return NULL;
  ls_blocking_sleep (1);
  ls_print_text ("woke");
  r = ls_task_await (t, error);
  return NULL;
}

/* futures.py */

static void
set_value (gpointer a,
           gpointer b)
{
  ls_future_set_result (a, g_variant_new_string ("value"), NULL);
}

static void
set_two (gpointer a,
         gpointer b)
{
  ls_future_set_result (a, g_variant_new_int32 (2), NULL);
}

static void
print_result (LsFuture *future,
              gpointer  data)
{
  ls_print ("callback %d", g_variant_get_int32 (ls_future_peek_result (future)));
}

static GVariant *
futures_main (gpointer data,
              GError **error)
{
  LsLoop *loop = ls_loop_current ();
  g_autoptr(LsFuture) future = ls_future_new (loop, "future");
  g_autoptr(LsFuture) other = NULL;
  g_autoptr(GVariant) r = NULL;

  ls_timer_unref (ls_loop_call_later (loop, 1, set_value, future, NULL));
  if ((r = ls_future_await (future, error)) == NULL)
    return NULL;
  ls_print_text (g_variant_get_string (r, NULL));
  other = ls_future_new (loop, "other");
  ls_future_add_done_callback (other, print_result, NULL);
  ls_timer_unref (ls_loop_call_soon (loop, set_two, other, NULL));
  if (!ls_sleep (0, error) || !ls_sleep (0, error))
    return NULL;
  return NULL;
}

/* task_group.py, task_group_failure.py, task_group_body.py */

static GVariant *
group_child (gpointer data,
             GError **error)
{
  Work *w = data;

  ls_print ("%s starts", w->name);
  if (!ls_sleep (w->delay, error))
    return NULL;
  ls_print ("%s ends", w->name);
  return g_variant_new_string (w->name);
}

static GVariant *
task_group_main (gpointer data,
                 GError **error)
{
  Work works[] = { { "a", 0.5 }, { "b", 1 } };
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  LsTask *tasks[2];
  GError *local_error = NULL;

  if (!ls_task_group_enter (tg, error))
    return NULL;
  for (guint i = 0; i < 2; i++)
    tasks[i] = ls_task_group_create_task (tg, NULL, group_child, &works[i], NULL, NULL);
  if (ls_sleep (0.25, &local_error))
    ls_print_text ("body done");
  if (ls_task_group_exit (tg, &local_error))
    ls_print ("%s %s",
              g_variant_get_string (ls_future_peek_result (LS_FUTURE (tasks[0])), NULL),
              g_variant_get_string (ls_future_peek_result (LS_FUTURE (tasks[1])), NULL));
  else
    g_propagate_error (error, local_error);
  unref_all (tasks, 2);
  return NULL;
}

/* a child that may fail (object non-NULL), and says when it is cancelled */
static GVariant *
group_failing_child (gpointer data,
                     GError **error)
{
  Work *w = data;
  GError *local_error = NULL;

  if (!ls_sleep (w->delay, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        ls_print ("%s cancelled", w->name);
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (w->object != NULL)
    {
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "%s failed", w->name);
      return NULL;
    }
  return g_variant_new_string (w->name);
}

static GVariant *
task_group_failure_main (gpointer data,
                         GError **error)
{
  Work works[] = { { "a", 2 }, { "b", 0.5, GINT_TO_POINTER (1) }, { "c", 3 } };
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  GError *local_error = NULL;

  if (!ls_task_group_enter (tg, error))
    return NULL;
  for (guint i = 0; i < 3; i++)
    ls_task_unref (ls_task_group_create_task (tg, NULL, group_failing_child, &works[i], NULL,
                                              NULL));
  if (ls_sleep (1, &local_error))
    ls_print_text ("not reached");
  if (!ls_task_group_exit (tg, &local_error))
    {
      GPtrArray *errors = ls_exception_group_get_exceptions (local_error);

      ls_print ("caught %u: %s", errors->len, ((GError *) g_ptr_array_index (errors, 0))->message);
      g_clear_error (&local_error);
    }
  return NULL;
}

static GVariant *
task_group_body_main (gpointer data,
                      GError **error)
{
  Work works[] = { { "a", 1 }, { "b", 2 } };
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  GError *local_error = NULL;

  if (!ls_task_group_enter (tg, error))
    return NULL;
  for (guint i = 0; i < 2; i++)
    ls_task_unref (ls_task_group_create_task (tg, NULL, group_failing_child, &works[i], NULL,
                                              NULL));
  if (ls_sleep (0.5, &local_error))
    g_set_error_literal (&local_error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME, "body failed");
  if (!ls_task_group_exit (tg, &local_error))
    {
      GPtrArray *errors = ls_exception_group_get_exceptions (local_error);

      ls_print ("caught %s", ((GError *) g_ptr_array_index (errors, 0))->message);
      g_clear_error (&local_error);
    }
  return NULL;
}

/* task_group_cancel.py: the parent is cancelled while `async with` waits */

static GVariant *
group_parent (gpointer data,
              GError **error)
{
  Work works[] = { { "a", 2 }, { "b", 3 } };
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  GError *local_error = NULL;

  if (!ls_task_group_enter (tg, error))
    return NULL;
  for (guint i = 0; i < 2; i++)
    ls_task_unref (ls_task_group_create_task (tg, NULL, group_failing_child, &works[i], NULL,
                                              NULL));
  if (!ls_task_group_exit (tg, &local_error))
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  ls_print_text ("not reached");
  return NULL;
}

static GVariant *
task_group_cancel_main (gpointer data,
                        GError **error)
{
  g_autoptr(LsTask) p = ls_task_create (NULL, group_parent, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  if (!ls_sleep (1, error))
    return NULL;
  ls_task_cancel (p, NULL);
  r = ls_task_await (p, &local_error);
  if (ls_error_is_cancelled (local_error))
    ls_print ("parent cancelled: %s",
              ls_future_is_cancelled (LS_FUTURE (p)) ? "True" : "False");
  return NULL;
}

/* to_thread.py, executor.py, executor_cancel.py: worker functions */

static GVariant *
thread_work (gpointer data,
             GError **error)
{
  Work *w = data;

  ls_blocking_sleep (w->delay); /* time.sleep on the worker's thread */
  return g_variant_new_string (w->name);
}

static GVariant *
thread_work_upper (gpointer data,
                   GError **error)
{
  Work *w = data;

  ls_blocking_sleep (w->delay);
  return g_variant_new_take_string (g_ascii_strup (w->name, -1));
}

static GVariant *
thread_work_failing (gpointer data,
                     GError **error)
{
  ls_blocking_sleep (0.5);
  g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "no");
  return NULL;
}

static GVariant *
ticker5 (gpointer data,
         GError **error)
{
  for (int i = 0; i < 5; i++)
    {
      if (!ls_sleep (0.25, error))
        return NULL;
      ls_print ("tick %d", i);
    }
  return NULL;
}

static GVariant *
to_thread_main (gpointer data,
                GError **error)
{
  Work works[] = { { "a", 1 }, { "b", 0 } };
  g_autoptr(LsTask) t = ls_task_create (NULL, ticker5, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) ignored = NULL;

  if (!ls_sleep (0, error))
    return NULL;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GVariant) r = ls_to_thread ("blocking", thread_work_upper, &works[i], NULL, error);

      if (r == NULL)
        return NULL;
      ls_print_text (g_variant_get_string (r, NULL));
    }
  ignored = ls_to_thread ("failing", thread_work_failing, NULL, NULL, &local_error);
  if (local_error != NULL)
    ls_print ("caught %s", local_error->message);
  return ls_task_await (t, error);
}

static GVariant *
executor_main (gpointer data,
               GError **error)
{
  LsLoop *loop = ls_loop_current ();
  Work works[] = { { "a", 1 }, { "b", 0.5 }, { "c", 1 }, { "d", 0.5 }, { "e", 0 } };
  LsFuture *f[2];
  LsFuture *g[3];
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(LsExecutor) one = NULL;
  g_autoptr(GVariant) r3 = NULL;
  g_autoptr(GVariant) r1 = NULL;
  g_autoptr(GVariant) r2 = NULL;

  for (guint i = 0; i < 2; i++)
    f[i] = ls_run_in_executor (loop, NULL, "work", thread_work, &works[i], NULL);
  results = ls_gather (f, 2, FALSE, error);
  for (guint i = 0; i < 2; i++)
    ls_future_unref (f[i]);
  if (results == NULL)
    return NULL;
  ls_print_text ("['a', 'b']");
  one = ls_executor_new (loop, 1);
  for (guint i = 0; i < 3; i++)
    g[i] = ls_run_in_executor (loop, one, "work", thread_work, &works[2 + i], NULL);
  if ((r3 = ls_future_await (g[2], error)) != NULL)
    {
      ls_print_text (g_variant_get_string (r3, NULL));
      if ((r1 = ls_future_await (g[0], error)) != NULL
          && (r2 = ls_future_await (g[1], error)) != NULL)
        ls_print ("%s %s", g_variant_get_string (r1, NULL), g_variant_get_string (r2, NULL));
    }
  for (guint i = 0; i < 3; i++)
    ls_future_unref (g[i]);
  return NULL;
}

static GVariant *
executor_cancel_main (gpointer data,
                      GError **error)
{
  LsLoop *loop = ls_loop_current ();
  Work works[] = { { "a", 1 }, { "b", 1 } };
  g_autoptr(LsExecutor) one = ls_executor_new (loop, 1);
  g_autoptr(LsFuture) f1 = ls_run_in_executor (loop, one, "work", thread_work, &works[0], NULL);
  g_autoptr(LsFuture) f2 = ls_run_in_executor (loop, one, "work", thread_work, &works[1], NULL);
  g_autoptr(GVariant) r = NULL;

  if (!ls_sleep (0.5, error))
    return NULL;
  ls_print_text (ls_future_cancel (f2, NULL) ? "True" : "False");
  if ((r = ls_future_await (f1, error)) == NULL)
    return NULL;
  ls_print_text (g_variant_get_string (r, NULL));
  if (!ls_sleep (0, error))
    return NULL;
  ls_print_text (ls_future_is_cancelled (f2) ? "True" : "False");
  return NULL;
}

int
main (int argc, char *argv[])
{
  struct { const char *name; LsTaskFunc main; } twins[] = {
    { "sleep_gather", sleep_gather_main },
    { "lock", lock_main },
    { "event", event_main },
    { "condition", condition_main },
    { "semaphore", semaphore_main },
    { "barrier", barrier_main },
    { "queue", queue_main },
    { "wait_for", wait_for_main },
    { "timeout", timeout_main },
    { "wait", wait_main },
    { "as_completed", as_completed_main },
    { "shield", shield_main },
    { "cancel", cancel_main },
    { "failure", failure_main },
    { "blocking", blocking_main },
    { "futures", futures_main },
    { "task_group", task_group_main },
    { "task_group_failure", task_group_failure_main },
    { "task_group_body", task_group_body_main },
    { "task_group_cancel", task_group_cancel_main },
    { "to_thread", to_thread_main },
    { "executor", executor_main },
    { "executor_cancel", executor_cancel_main },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (twins); i++)
    {
      g_autofree char *path = g_strdup_printf ("/python/twins/%s", twins[i].name);

      g_test_add_data_func (path, (gconstpointer) twins[i].main, test_twin);
    }
  return g_test_run ();
}
