/* SPDX-License-Identifier: MIT
 *
 * The primitives and queues beyond what the CPython twins pin: a busy
 * workload (locks, semaphores, queues, events, conditions, a barrier) with
 * tasks cancelled at random moments, run one loop iteration at a time.
 * After every iteration the primitives' state rebuilt from the trace must
 * equal the live objects' state, and the invariants of cancellation safety
 * must hold: nobody holds a lock or a permit it was not granted, a
 * cancelled get loses no item, a cancelled put adds none, join counts stay
 * right.
 */
#include "config.h"

#include <string.h>

#include "ls-replay.h"
#include "ls-runtime.h"
#include "ls-primitives-private.h"

#define N_PERMITS 2

static struct
{
  LsLock      *lock;
  LsSemaphore *sem;
  LsQueue     *queue;
  LsQueue     *pq;
  LsQueue     *lq;
  LsEvent     *event;
  LsCondition *cond;
  LsBarrier   *barrier;
  LsTask      *lock_holder;
  guint        sem_holders;
  int          cond_level;
  int          n_put;
  int          n_got;
  GPtrArray   *victims;
  gboolean     stop;
  guint        n_victim_cancels;
} W;

static double
rand_delay (double max)
{
  return ls_loop_random_uniform (ls_loop_current (), 0, max);
}

static gboolean
maybe_sleep (double max,
             GError **error)
{
  /* a bare yield now and then: it moves the task without moving time */
  if (ls_loop_random_int (ls_loop_current (), 0, 3) == 0)
    return ls_sleep (0, error);
  return ls_sleep (rand_delay (max), error);
}

/* ---- the workload's tasks ---- */

static GVariant *
lock_user (gpointer data, GError **error)
{
  int rounds = GPOINTER_TO_INT (data);

  for (int r = 0; r < rounds; r++)
    {
      GError *local_error = NULL;
      gboolean ok;

      if (!ls_lock_acquire (W.lock, &local_error))
        {
          /* cancelled while queued, or after the lock was handed over:
           * either way it does not hold it */
          g_assert_true (W.lock_holder != ls_task_current ());
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_assert_null (W.lock_holder);
      W.lock_holder = ls_task_current ();
      ok = ls_sleep (rand_delay (0.2), error);
      W.lock_holder = NULL;
      ls_lock_release (W.lock, NULL);
      if (!ok || !maybe_sleep (0.1, error))
        return NULL;
    }
  return NULL;
}

static GVariant *
sem_user (gpointer data, GError **error)
{
  int rounds = GPOINTER_TO_INT (data);

  for (int r = 0; r < rounds; r++)
    {
      gboolean ok;

      {
        g_autoptr(LsLocker) locker = ls_semaphore_locker_new (W.sem, error);

        if (locker == NULL)
          return NULL;
        W.sem_holders++;
        g_assert_cmpuint (W.sem_holders, <=, N_PERMITS);
        ok = ls_sleep (rand_delay (0.3), error);
        W.sem_holders--;
      }
      if (!ok || !maybe_sleep (0.1, error))
        return NULL;
    }
  return NULL;
}

static GVariant *
producer (gpointer data, GError **error)
{
  int n = GPOINTER_TO_INT (data);

  for (int i = 0; i < n; i++)
    {
      if (!ls_queue_put (W.queue, g_variant_new_int32 (i), error))
        return NULL;
      W.n_put++;
      if (!maybe_sleep (0.15, error))
        return NULL;
    }
  return NULL;
}

static GVariant *
consumer (gpointer data, GError **error)
{
  for (;;)
    {
      g_autoptr(GVariant) item = ls_queue_get (W.queue, error);

      if (item == NULL)
        return NULL;
      if (g_variant_is_of_type (item, G_VARIANT_TYPE_UNIT))
        {
          ls_queue_task_done (W.queue, NULL);
          return NULL;
        }
      W.n_got++;
      if (!maybe_sleep (0.2, error))
        return NULL;
      g_assert_true (ls_queue_task_done (W.queue, NULL));
    }
}

static GVariant *
get_round (gpointer data, GError **error)
{
  g_autoptr(GVariant) item = ls_queue_get (W.queue, error);

  if (item == NULL)
    return NULL;
  g_assert_false (g_variant_is_of_type (item, G_VARIANT_TYPE_UNIT));
  W.n_got++;
  ls_queue_task_done (W.queue, NULL);
  return NULL;
}

static GVariant *
put_round (gpointer data, GError **error)
{
  if (!ls_queue_put (W.queue, g_variant_new_int32 (1000), error))
    return NULL;
  W.n_put++;
  return NULL;
}

static GVariant *
joiner (gpointer data, GError **error)
{
  for (int i = 0; i < 3; i++)
    {
      if (!ls_queue_join (W.queue, error))
        return NULL;
      if (!ls_sleep (rand_delay (0.5), error))
        return NULL;
    }
  return NULL;
}

static GVariant *
event_waiter (gpointer data, GError **error)
{
  int rounds = GPOINTER_TO_INT (data);

  for (int i = 0; i < rounds; i++)
    {
      if (!ls_event_wait (W.event, error))
        return NULL;
      if (!ls_sleep (rand_delay (0.7), error))
        return NULL;
    }
  return NULL;
}

static gboolean
level_reached (gpointer data)
{
  return W.cond_level >= GPOINTER_TO_INT (data);
}

static GVariant *
cond_waiter (gpointer data, GError **error)
{
  g_autoptr(LsLocker) locker = ls_condition_locker_new (W.cond, error);

  if (locker == NULL)
    return NULL;
  if (!ls_condition_wait_for (W.cond, level_reached, data, error))
    return NULL;
  g_assert_true (ls_condition_locked (W.cond));
  /* hold it across a suspension: others queue on the lock */
  if (!ls_sleep (rand_delay (0.1), error))
    return NULL;
  return NULL;
}

static GVariant *
never_reached (gpointer data, GError **error)
{
  return cond_waiter (GINT_TO_POINTER (1000), error);
}

static GVariant *
barrier_party (gpointer data, GError **error)
{
  for (int r = 0; r < 3; r++)
    {
      if (!ls_sleep (rand_delay (0.5), error))
        return NULL;
      if (ls_barrier_wait (W.barrier, error) < 0)
        return NULL;
    }
  return NULL;
}

static GVariant *
side_queue_user (gpointer data, GError **error)
{
  LsQueue *q = data;

  for (int i = 0; i < 6; i++)
    {
      if (!ls_queue_put (q, g_variant_new ("(ii)", ls_loop_random_int (ls_loop_current (), 0, 3),
                                           i),
                         error))
        return NULL;
      if (!maybe_sleep (0.1, error))
        return NULL;
    }
  return NULL;
}

static GVariant *
side_queue_drain (gpointer data, GError **error)
{
  LsQueue *q = data;

  for (int i = 0; i < 6; i++)
    {
      g_autoptr(GVariant) item = NULL;

      if (!ls_sleep (rand_delay (0.3), error))
        return NULL;
      if ((item = ls_queue_get (q, error)) == NULL)
        return NULL;
    }
  return NULL;
}

/* A victim does what a worker does, round after round, and is cancelled
 * at random moments: it swallows the cancellation (uncancel) and goes on,
 * until the workload is over. */
static GVariant *
victim (gpointer data, GError **error)
{
  LsTaskFunc round = data;

  while (!W.stop)
    {
      GError *local_error = NULL;
      g_autoptr(GVariant) r = round (GINT_TO_POINTER (1), &local_error);

      if (local_error == NULL)
        maybe_sleep (0.1, &local_error);
      if (local_error != NULL)
        {
          if (!ls_error_is_cancelled (local_error))
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
          g_error_free (local_error);
          ls_task_uncancel (ls_task_current ());
          W.n_victim_cancels++;
        }
    }
  return NULL;
}

/* A victim that was just woken (handed the lock or a permit, set or
 * notified) and has not run yet, as the trace shows it right now. */
static LsTask *
find_woken_victim (LsReplay *replay)
{
  LsTrace *trace = ls_loop_get_trace (ls_loop_current ());
  LsTraceState *state;

  ls_replay_run (replay, trace, ls_trace_get_n_records (trace));
  state = ls_replay_get_state (replay);
  for (guint i = 0; i < state->primitives->len; i++)
    {
      const LsPrimitiveEntry *p = &g_array_index (state->primitives, LsPrimitiveEntry, i);

      for (guint j = 0; j < p->waiters->len; j++)
        {
          const LsWaiterEntry *w = &g_array_index (p->waiters, LsWaiterEntry, j);

          if (w->state != LS_WAITER_WOKEN)
            continue;
          for (guint k = 0; k < W.victims->len; k++)
            if (ls_task_get_id (g_ptr_array_index (W.victims, k)) == w->task_id)
              return g_ptr_array_index (W.victims, k);
        }
    }
  return NULL;
}

/* Cancels victims at random moments, often one that was just handed what
 * it waited for, then all of them. */
static GVariant *
canceller (gpointer data, GError **error)
{
  LsLoop *loop = ls_loop_current ();
  g_autoptr(LsReplay) replay = ls_replay_new ();

  for (int i = 0; i < 400; i++)
    {
      LsTask *v;

      if (!ls_sleep (ls_loop_random_int (loop, 0, 7) == 0 ? rand_delay (0.1) : 0, error))
        return NULL;
      if ((v = find_woken_victim (replay)) != NULL)
        {
          ls_task_cancel (v, NULL);
          continue;
        }
      v = g_ptr_array_index (W.victims, ls_loop_random_int (loop, 0, (gint32) W.victims->len - 1));
      if (ls_loop_random_int (loop, 0, 3) == 0)
        ls_task_cancel (v, NULL);
    }
  W.stop = TRUE;
  for (guint i = 0; i < W.victims->len; i++)
    ls_task_cancel (g_ptr_array_index (W.victims, i), "the end");
  return NULL;
}

static LsTask *
spawn (GPtrArray  *into,
       const char *name,
       LsTaskFunc  func,
       gpointer    data)
{
  LsTask *t = ls_task_create (name, func, data, NULL);

  g_ptr_array_add (into, t);
  return t;
}

static gboolean
await_all (GPtrArray *tasks,
           gboolean   ignore_errors,
           GError   **error)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      GError *local_error = NULL;
      g_autoptr(GVariant) r = ls_task_await (g_ptr_array_index (tasks, i), &local_error);

      if (local_error != NULL)
        {
          if (!ignore_errors)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          g_error_free (local_error);
        }
    }
  return TRUE;
}

static GVariant *
workload_main (gpointer data, GError **error)
{
  g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  g_autoptr(GPtrArray) producers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  g_autoptr(GPtrArray) consumers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  g_autoptr(GPtrArray) joiners = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  g_autoptr(LsTask) cancel_task = NULL;

  W.lock = ls_lock_new (NULL, "lock");
  W.sem = ls_semaphore_new (NULL, "sem", N_PERMITS, NULL);
  W.queue = ls_queue_new (NULL, "queue", 2);
  W.pq = ls_priority_queue_new (NULL, "pq", 2);
  W.lq = ls_lifo_queue_new (NULL, "lq", 1);
  W.event = ls_event_new (NULL, "event");
  W.cond = ls_condition_new (NULL, "cond");
  W.barrier = ls_barrier_new (NULL, "barrier", 3, NULL);

  for (int i = 0; i < 4; i++)
    spawn (workers, NULL, lock_user, GINT_TO_POINTER (4));
  for (int i = 0; i < 4; i++)
    spawn (workers, NULL, sem_user, GINT_TO_POINTER (4));
  for (int i = 0; i < 3; i++)
    spawn (workers, NULL, event_waiter, GINT_TO_POINTER (2));
  for (int i = 1; i <= 4; i++)
    spawn (workers, NULL, cond_waiter, GINT_TO_POINTER (i));
  for (int i = 0; i < 3; i++)
    spawn (workers, NULL, barrier_party, NULL);
  spawn (workers, NULL, side_queue_user, W.pq);
  spawn (workers, NULL, side_queue_drain, W.pq);
  spawn (workers, NULL, side_queue_user, W.lq);
  spawn (workers, NULL, side_queue_drain, W.lq);
  for (int i = 0; i < 2; i++)
    spawn (producers, NULL, producer, GINT_TO_POINTER (12));
  for (int i = 0; i < 2; i++)
    spawn (consumers, NULL, consumer, NULL);
  for (int i = 0; i < 2; i++)
    spawn (joiners, NULL, joiner, NULL);

  for (int i = 0; i < 2; i++)
    {
      spawn (W.victims, "victim-lock", victim, lock_user);
      spawn (W.victims, "victim-sem", victim, sem_user);
      spawn (W.victims, "victim-get", victim, get_round);
      spawn (W.victims, "victim-put", victim, put_round);
    }
  spawn (W.victims, "victim-event", victim, event_waiter);
  spawn (W.victims, "victim-cond", victim, never_reached);
  spawn (W.victims, "victim-join", victim, joiner);
  cancel_task = ls_task_create ("canceller", canceller, NULL, NULL);

  /* drive the event and the condition */
  for (int i = 0; i < 4; i++)
    {
      if (!ls_sleep (0.6, error))
        return NULL;
      {
        g_autoptr(LsLocker) locker = ls_condition_locker_new (W.cond, error);

        if (locker == NULL)
          return NULL;
        W.cond_level++;
        if (i % 2 == 0)
          ls_condition_notify (W.cond, 1, NULL);
        else
          ls_condition_notify_all (W.cond, NULL);
      }
      if (i % 2 == 0)
        ls_event_set (W.event);
      else
        ls_event_clear (W.event);
    }
  ls_event_set (W.event);
  {
    g_autoptr(LsLocker) locker = ls_condition_locker_new (W.cond, error);

    if (locker == NULL)
      return NULL;
    ls_condition_notify_all (W.cond, NULL);
  }

  if (!await_all (producers, FALSE, error))
    return NULL;
  {
    g_autoptr(GVariant) r = ls_task_await (cancel_task, error);

    if (error != NULL && *error != NULL)
      return NULL;
  }
  await_all (W.victims, TRUE, NULL);
  for (guint i = 0; i < consumers->len; i++)
    if (!ls_queue_put (W.queue, g_variant_new ("()"), error))
      return NULL;
  if (!await_all (consumers, FALSE, error) || !ls_queue_join (W.queue, error)
      || !await_all (joiners, FALSE, error) || !await_all (workers, FALSE, error))
    return NULL;

  /* nothing leaked or lost */
  g_assert_false (ls_lock_locked (W.lock));
  g_assert_null (W.lock_holder);
  g_assert_cmpuint (ls_semaphore_get_value (W.sem), ==, N_PERMITS);
  g_assert_cmpuint (W.sem_holders, ==, 0);
  g_assert_true (ls_queue_empty (W.queue));
  g_assert_cmpuint (ls_queue_get_unfinished_tasks (W.queue), ==, 0);
  g_assert_cmpint (W.n_put, ==, W.n_got);
  g_assert_cmpint (W.n_put, >, 24);
  g_assert_false (ls_condition_locked (W.cond));
  g_assert_cmpuint (ls_barrier_get_n_waiting (W.barrier), ==, 0);
  return NULL;
}

/* ---- comparing the replay with the live objects ---- */

static LsPrimitive *
world_primitive (guint i)
{
  LsPrimitive *all[] = {
    LS_PRIMITIVE (W.lock), LS_PRIMITIVE (W.sem), LS_PRIMITIVE (W.queue), LS_PRIMITIVE (W.pq),
    LS_PRIMITIVE (W.lq), LS_PRIMITIVE (W.event), LS_PRIMITIVE (W.cond), LS_PRIMITIVE (W.barrier),
  };

  return i < G_N_ELEMENTS (all) ? all[i] : NULL;
}

#define N_WORLD 8

static void
assert_same_waiters (GArray *live,
                     GArray *rebuilt)
{
  g_assert_cmpuint (live->len, ==, rebuilt->len);
  for (guint i = 0; i < live->len; i++)
    {
      const LsWaiterEntry *a = &g_array_index (live, LsWaiterEntry, i);
      const LsWaiterEntry *b = &g_array_index (rebuilt, LsWaiterEntry, i);

      g_assert_cmpuint (a->task_id, ==, b->task_id);
      g_assert_cmpuint (a->future_id, ==, b->future_id);
      g_assert_cmpuint (a->state, ==, b->state);
      g_assert_cmpuint (a->woken_by, ==, b->woken_by);
    }
}

static void
assert_same_primitive (const LsPrimitiveEntry *a,
                       const LsPrimitiveEntry *b)
{
  g_assert_nonnull (b);
  g_assert_cmpuint (a->id, ==, b->id);
  g_assert_cmpuint (a->kind, ==, b->kind);
  g_assert_cmpuint (a->name_id, ==, b->name_id);
  g_assert_cmpuint (a->creator_id, ==, b->creator_id);
  g_assert_cmpuint (a->parent_id, ==, b->parent_id);
  g_assert_cmpuint (a->part_id, ==, b->part_id);
  g_assert_cmpint (a->capacity, ==, b->capacity);
  g_assert_cmpint (a->value, ==, b->value);
  g_assert_cmpuint (a->owner_id, ==, b->owner_id);
  g_assert_cmpint (a->unfinished, ==, b->unfinished);
  g_assert_cmpuint (a->barrier_state, ==, b->barrier_state);
  g_assert_cmpuint (a->handoff_from, ==, b->handoff_from);
  g_assert_cmpuint (a->handoff_to, ==, b->handoff_to);
  g_assert_cmpint (a->handoff_time, ==, b->handoff_time);
  assert_same_waiters (a->waiters, b->waiters);
  assert_same_waiters (a->putters, b->putters);
}

typedef struct
{
  guint iterations;
  guint max_waiters;
  guint woken_seen;
  guint cancelled_seen;
} Coverage;

static void
compare_world (LsTraceState *rebuilt,
               Coverage     *cov)
{
  g_autoptr(LsTraceState) live = ls_trace_state_new ();

  for (guint i = 0; i < N_WORLD; i++)
    if (world_primitive (i) != NULL)
      _ls_primitive_snapshot (world_primitive (i), live);
  for (guint i = 0; i < live->primitives->len; i++)
    {
      const LsPrimitiveEntry *a = &g_array_index (live->primitives, LsPrimitiveEntry, i);

      assert_same_primitive (a, ls_trace_state_get_primitive (rebuilt, a->id));
      cov->max_waiters = MAX (cov->max_waiters, a->waiters->len + a->putters->len);
      for (guint j = 0; j < a->waiters->len; j++)
        {
          const LsWaiterEntry *w = &g_array_index (a->waiters, LsWaiterEntry, j);

          cov->woken_seen += w->state == LS_WAITER_WOKEN;
          cov->cancelled_seen += w->state == LS_WAITER_CANCELLED;
        }
    }
  /* the lock's owner in the trace is the task the workload saw take it */
  if (W.lock != NULL)
    g_assert_cmpuint (ls_trace_state_get_primitive (rebuilt,
                                                    ls_primitive_get_id (LS_PRIMITIVE (W.lock)))
                        ->owner_id, ==, W.lock_holder != NULL ? ls_task_get_id (W.lock_holder) : 0);
  cov->iterations++;
}

static LsLoop *
run_workload (guint32    seed,
              gboolean   compare,
              Coverage  *cov)
{
  LsLoop *loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = NULL;
  g_autoptr(LsReplay) rebuilt_replay = ls_replay_new ();
  LsTraceState *rebuilt = ls_replay_get_state (rebuilt_replay);
  LsTrace *trace = ls_loop_get_trace (loop);

  memset (&W, 0, sizeof W);
  W.victims = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  ls_loop_set_seed (loop, seed);
  main_task = ls_task_new (loop, "main", workload_main, NULL, NULL);
  while (!ls_future_is_done (LS_FUTURE (main_task)))
    {
      g_assert_true (ls_loop_step (loop));
      if (compare)
        {
          ls_replay_run (rebuilt_replay, trace, ls_trace_get_n_records (trace));
          ls_replay_get_state (rebuilt_replay);
          compare_world (rebuilt, cov);
        }
    }
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (main_task)));
  g_assert_false (ls_future_is_cancelled (LS_FUTURE (main_task)));

  g_clear_pointer (&W.victims, g_ptr_array_unref);
  for (guint i = 0; i < N_WORLD; i++)
    if (world_primitive (i) != NULL)
      _ls_primitive_unref (world_primitive (i));
  memset (&W, 0, sizeof W);
  return loop;
}

/* The workload until the loop stops as run_until_complete () stops it:
 * one iteration at a time, or by run_until_complete () itself */
static LsLoop *
run_workload_to_end (guint32  seed,
                     gboolean step)
{
  LsLoop *loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = NULL;

  memset (&W, 0, sizeof W);
  W.victims = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
  ls_loop_set_seed (loop, seed);
  main_task = ls_task_new (loop, "main", workload_main, NULL, NULL);
  if (step)
    {
      ls_loop_set_stop_future (loop, LS_FUTURE (main_task));
      while (ls_loop_step (loop))
        ;
    }
  else
    g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (main_task), NULL));
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (main_task)));

  g_clear_pointer (&W.victims, g_ptr_array_unref);
  for (guint i = 0; i < N_WORLD; i++)
    if (world_primitive (i) != NULL)
      _ls_primitive_unref (world_primitive (i));
  memset (&W, 0, sizeof W);
  return loop;
}

/* After every iteration, the replayed primitives equal the live ones:
 * lock owner and waiters in order (woken and cancelled ones included),
 * permits, queue depths, putters and getters, unfinished tasks, event
 * flags, barrier state and count, the last handoff. */
static void
test_replay_matches_live (void)
{
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      Coverage cov = { 0 };
      g_autoptr(LsLoop) loop = run_workload (seed, TRUE, &cov);

      g_test_message ("seed %u: %u iterations, up to %u waiters, %u woken and %u cancelled "
                      "waiter sightings", seed, cov.iterations, cov.max_waiters, cov.woken_seen,
                      cov.cancelled_seen);
      g_assert_cmpuint (cov.iterations, >, 100);
      g_assert_cmpuint (cov.max_waiters, >=, 3);
      g_assert_cmpuint (cov.woken_seen, >, 0);
      g_assert_cmpuint (cov.cancelled_seen, >, 0);
    }
}

static gboolean
is_primitive_wait (guint reason)
{
  return reason >= LS_WAIT_LOCK && reason <= LS_WAIT_BARRIER;
}

/* Is @task listed, waiting on future @future_id, in @id's lists or in
 * those of its private components? */
static gboolean
listed_waiting (LsTraceState *state,
                guint32       id,
                guint32       task_id,
                guint32       future_id)
{
  const LsPrimitiveEntry *p = ls_trace_state_get_primitive (state, id);
  GArray *lists[2];

  if (p == NULL)
    return FALSE;
  lists[0] = p->waiters;
  lists[1] = p->putters;
  for (guint l = 0; l < 2; l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const LsWaiterEntry *w = &g_array_index (lists[l], LsWaiterEntry, i);

        if (w->task_id == task_id && w->future_id == future_id)
          return w->state == LS_WAITER_WAITING;
      }
  if (p->part_id != 0)
    {
      const LsPrimitiveEntry *part = ls_trace_state_get_primitive (state, p->part_id);

      if (part != NULL && part->parent_id == id)
        return listed_waiting (state, p->part_id, task_id, future_id);
    }
  return FALSE;
}

/* A task suspended on a primitive names it (the outer one for a private
 * component), is listed in its waiters at that instant, and every handoff
 * names a task that was listed and is woken; every waiter that leaves
 * unserved records WAIT_END. */
static void
test_trace_names_waits (void)
{
  Coverage cov = { 0 };
  g_autoptr(LsLoop) loop = run_workload (11, FALSE, &cov);
  LsTrace *trace = ls_loop_get_trace (loop);
  g_autoptr(LsReplay) state_replay = ls_replay_new ();
  LsTraceState *state = ls_replay_get_state (state_replay);
  guint64 n = ls_trace_get_n_records (trace);
  guint counts[LS_N_WAIT_REASONS] = { 0 };
  guint ops[LS_PRIMITIVE_BARRIER_STATE + 1] = { 0 };
  guint handoff_then_cancel = 0;
  guint handoff_then_cancel_by_kind[LS_OBJECT_IO + 1] = { 0 };

  for (guint64 i = 0; i < n; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);
      gboolean was_woken = FALSE;

      if (r->kind == LS_TRACE_PRIMITIVE && r->reason == LS_PRIMITIVE_WAIT_END)
        {
          const LsPrimitiveEntry *p = ls_trace_state_get_primitive (state, r->object);

          for (guint j = 0; p != NULL && j < p->waiters->len; j++)
            {
              const LsWaiterEntry *w = &g_array_index (p->waiters, LsWaiterEntry, j);

              if (w->task_id == r->subject && w->state == LS_WAITER_WOKEN)
                was_woken = TRUE;
            }
          handoff_then_cancel += was_woken;
          if (was_woken)
            handoff_then_cancel_by_kind[p->parent_id != 0
                                          ? ls_trace_state_get_primitive (state,
                                                                          p->parent_id)->kind
                                          : p->kind]++;
        }
      ls_replay_run (state_replay, trace, i + 1);
      ls_replay_get_state (state_replay);
      if (r->kind == LS_TRACE_TASK_SUSPEND && is_primitive_wait (r->reason))
        {
          const LsPrimitiveEntry *p = ls_trace_state_get_primitive (state, r->object);
          const LsTaskEntry *t = ls_trace_state_get_task (state, r->subject);

          counts[r->reason]++;
          g_assert_nonnull (p);
          g_assert_cmpuint (p->parent_id, ==, 0);
          g_assert_true (listed_waiting (state, r->object, r->subject, r->peer));
          g_assert_cmpint (t->state, ==, LS_TASK_STATE_WAITING);
          g_assert_cmpuint (t->wait_object, ==, r->object);
        }
      if (r->kind == LS_TRACE_PRIMITIVE)
        {
          g_assert_cmpuint (r->reason, <=, LS_PRIMITIVE_BARRIER_STATE);
          ops[r->reason]++;
          if (r->reason == LS_PRIMITIVE_HANDOFF)
            {
              const LsPrimitiveEntry *p = ls_trace_state_get_primitive (state, r->object);

              g_assert_cmpuint (p->handoff_to, ==, r->peer);
              g_assert_cmpuint (r->peer, !=, 0);
              g_assert_nonnull (ls_trace_state_get_task (state, r->peer));
            }
        }
    }
  for (guint reason = LS_WAIT_LOCK; reason <= LS_WAIT_BARRIER; reason++)
    {
      g_test_message ("%s: %u suspensions", ls_wait_reason_name (reason), counts[reason]);
      g_assert_cmpuint (counts[reason], >, 0);
    }
  for (guint op = LS_PRIMITIVE_WAIT_BEGIN; op <= LS_PRIMITIVE_BARRIER_STATE; op++)
    {
      g_test_message ("%s: %u records", ls_primitive_op_name (op), ops[op]);
      g_assert_cmpuint (ops[op], >, 0);
    }
  g_test_message ("%u waiters left after being handed what they waited for (lock %u, "
                  "semaphore %u, event %u, condition %u, queue %u)", handoff_then_cancel,
                  handoff_then_cancel_by_kind[LS_OBJECT_LOCK],
                  handoff_then_cancel_by_kind[LS_OBJECT_SEMAPHORE],
                  handoff_then_cancel_by_kind[LS_OBJECT_EVENT],
                  handoff_then_cancel_by_kind[LS_OBJECT_CONDITION],
                  handoff_then_cancel_by_kind[LS_OBJECT_QUEUE]);
  g_assert_cmpuint (handoff_then_cancel_by_kind[LS_OBJECT_LOCK], >, 0);
  g_assert_cmpuint (handoff_then_cancel_by_kind[LS_OBJECT_SEMAPHORE], >, 0);
}

static void
test_deterministic (void)
{
  Coverage cov = { 0 };
  g_autoptr(LsLoop) a = run_workload (5, FALSE, &cov);
  g_autoptr(LsLoop) b = run_workload (5, FALSE, &cov);

  g_assert_true (ls_trace_equal (ls_loop_get_trace (a), ls_loop_get_trace (b)));
}

/* Stepped, the scheduler runs every handle; run to the end, tasks switch
 * straight to each other, across iterations too. The records are the
 * same, cancellations at random points included. */
static void
test_direct_switch_same_trace (void)
{
  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(LsLoop) stepped = run_workload_to_end (seed, TRUE);
      g_autoptr(LsLoop) run = run_workload_to_end (seed, FALSE);

      g_assert_true (ls_trace_equal (ls_loop_get_trace (stepped), ls_loop_get_trace (run)));
    }
}

/* ---- objects as the trace announces them ---- */

static GVariant *
objects_main (gpointer data, GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "the lock");
  g_autoptr(LsSemaphore) sem = ls_semaphore_new (NULL, "sem", 3, NULL);
  g_autoptr(LsSemaphore) bsem = ls_bounded_semaphore_new (NULL, "bsem", 2, NULL);
  g_autoptr(LsQueue) q = ls_queue_new (NULL, "q", 7);
  g_autoptr(LsQueue) pq = ls_priority_queue_new (NULL, "pq", 0);
  g_autoptr(LsQueue) lq = ls_lifo_queue_new (NULL, "lq", 1);
  g_autoptr(LsEvent) ev = ls_event_new (NULL, "ev");
  g_autoptr(LsCondition) cond = ls_condition_new (NULL, "cond");
  g_autoptr(LsCondition) shared = ls_condition_new_with_lock (NULL, "shared", lock);
  g_autoptr(LsBarrier) barrier = ls_barrier_new (NULL, "barrier", 4, NULL);
  LsTrace *trace = ls_loop_get_trace (ls_loop_current ());
  g_autoptr(LsReplay) state_replay = ls_replay_new ();
  LsTraceState *state = ls_replay_get_state (state_replay);
  static const struct
  {
    const char  *name;
    LsObjectKind kind;
    gint64       capacity;
    const char  *parent;
    gboolean     waits_on_parent;
  } expected[] = {
    { "the lock", LS_OBJECT_LOCK, 1, NULL, FALSE },
    { "sem", LS_OBJECT_SEMAPHORE, 3, NULL, FALSE },
    { "bsem", LS_OBJECT_BOUNDED_SEMAPHORE, 2, NULL, FALSE },
    { "q", LS_OBJECT_QUEUE, 7, NULL, FALSE },
    { "q:finished", LS_OBJECT_EVENT, 0, "q", TRUE },
    { "pq", LS_OBJECT_PRIORITY_QUEUE, 0, NULL, FALSE },
    { "pq:finished", LS_OBJECT_EVENT, 0, "pq", TRUE },
    { "lq", LS_OBJECT_LIFO_QUEUE, 1, NULL, FALSE },
    { "lq:finished", LS_OBJECT_EVENT, 0, "lq", TRUE },
    { "ev", LS_OBJECT_EVENT, 0, NULL, FALSE },
    { "cond", LS_OBJECT_CONDITION, 0, NULL, FALSE },
    { "cond:lock", LS_OBJECT_LOCK, 1, "cond", TRUE },
    { "shared", LS_OBJECT_CONDITION, 0, NULL, FALSE },
    { "barrier", LS_OBJECT_BARRIER, 4, NULL, FALSE },
    { "barrier:cond", LS_OBJECT_CONDITION, 0, "barrier", TRUE },
    { "barrier:cond:lock", LS_OBJECT_LOCK, 1, "barrier:cond", TRUE },
  };

  ls_replay_run (state_replay, trace, ls_trace_get_n_records (trace));
  ls_replay_get_state (state_replay);
  g_assert_cmpuint (state->primitives->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < state->primitives->len; i++)
    {
      const LsPrimitiveEntry *p = &g_array_index (state->primitives, LsPrimitiveEntry, i);

      g_assert_cmpstr (ls_trace_get_string (trace, p->name_id), ==, expected[i].name);
      g_assert_cmpuint (p->kind, ==, expected[i].kind);
      g_assert_cmpint (p->capacity, ==, expected[i].capacity);
      g_assert_cmpuint (p->creator_id, ==, ls_task_get_id (ls_task_current ()));
      if (expected[i].parent != NULL)
        {
          const LsPrimitiveEntry *parent = ls_trace_state_get_primitive (state, p->parent_id);

          g_assert_nonnull (parent);
          g_assert_cmpstr (ls_trace_get_string (trace, parent->name_id), ==, expected[i].parent);
          g_assert_cmpuint (parent->part_id, ==, p->id);
        }
      else
        g_assert_cmpuint (p->parent_id, ==, 0);
    }
  /* a condition over a shared lock uses it without owning it */
  {
    const LsPrimitiveEntry *s = ls_trace_state_get_primitive (state,
                                                              ls_primitive_get_id (LS_PRIMITIVE (shared)));
    const LsPrimitiveEntry *l = ls_trace_state_get_primitive (state,
                                                              ls_primitive_get_id (LS_PRIMITIVE (lock)));

    g_assert_cmpuint (s->part_id, ==, l->id);
    g_assert_cmpuint (l->parent_id, ==, 0);
  }
  /* the queues' join events start set, the semaphores full */
  g_assert_cmpint (ls_trace_state_get_primitive (state, ls_primitive_get_id (LS_PRIMITIVE (sem)))->value,
                   ==, 3);
  g_assert_cmpstr (ls_primitive_get_name (LS_PRIMITIVE (barrier)), ==, "barrier");
  g_assert_cmpint (ls_primitive_get_kind (LS_PRIMITIVE (pq)), ==, LS_OBJECT_PRIORITY_QUEUE);
  return NULL;
}

static void
test_object_new (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) t = NULL;

  t = ls_task_new (loop, "main", objects_main, NULL, NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (t), NULL));
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (t)));
}

/* ---- the errors and the locker ---- */

static GVariant *
errors_main (gpointer data, GError **error)
{
  g_autoptr(LsQueue) q = ls_queue_new (NULL, "q", 1);
  g_autoptr(LsQueue) pq = ls_priority_queue_new (NULL, "pq", 0);
  g_autoptr(LsSemaphore) b = ls_bounded_semaphore_new (NULL, "b", 1, NULL);
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");
  g_autoptr(LsCondition) cond = ls_condition_new (NULL, "cond");
  g_autoptr(GError) e = NULL;
  g_autoptr(GVariant) none = NULL;
  gint prio = -1;

  none = ls_queue_get_nowait (q, &e);
  g_assert_null (none);
  g_assert_error (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_QUEUE_EMPTY);
  g_clear_error (&e);
  g_assert_true (ls_queue_put_nowait (q, g_variant_new_int32 (1), NULL));
  g_assert_false (ls_queue_put_nowait (q, g_variant_new_int32 (2), &e));
  g_assert_error (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_QUEUE_FULL);
  g_clear_error (&e);
  g_assert_cmpuint (ls_queue_qsize (q), ==, 1);
  g_assert_cmpuint (ls_queue_get_unfinished_tasks (q), ==, 1);
  g_assert_true (ls_queue_task_done (q, NULL));
  g_assert_false (ls_queue_task_done (q, &e));
  g_assert_error (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE);
  g_clear_error (&e);

  /* (priority, insertion number) tuples: priority order, then insertion */
  for (int i = 0; i < 20; i++)
    ls_queue_put_nowait (pq, g_variant_new ("(ii)", (i * 7) % 3, i), NULL);
  for (int last_prio = -1, last_i = -1, n = 0; n < 20; n++)
    {
      g_autoptr(GVariant) item = ls_queue_get_nowait (pq, NULL);
      int i;

      g_variant_get (item, "(ii)", &prio, &i);
      g_assert_cmpint (prio, >=, last_prio);
      if (prio == last_prio)
        g_assert_cmpint (i, >, last_i);
      last_prio = prio;
      last_i = i;
    }

  ls_semaphore_acquire (b, NULL);
  g_assert_true (ls_semaphore_release (b, NULL));
  g_assert_false (ls_semaphore_release (b, &e));
  g_assert_error (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE);
  g_clear_error (&e);

  g_assert_false (ls_lock_release (lock, &e));
  g_assert_error (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME);
  g_clear_error (&e);
  {
    g_autoptr(LsLocker) locker = ls_lock_locker_new (lock, NULL);

    g_assert_nonnull (locker);
    g_assert_true (ls_lock_locked (lock));
  }
  g_assert_false (ls_lock_locked (lock));
  g_assert_false (ls_condition_notify_all (cond, &e));
  g_assert_error (e, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME);
  g_clear_error (&e);
  return NULL;
}

static void
test_errors (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) t = NULL;

  t = ls_task_new (loop, "main", errors_main, NULL, NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (t), NULL));
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (t)));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/primitives/trace/replay-matches-live", test_replay_matches_live);
  g_test_add_func ("/primitives/trace/names-waits", test_trace_names_waits);
  g_test_add_func ("/primitives/trace/deterministic", test_deterministic);
  g_test_add_func ("/primitives/trace/direct-switch", test_direct_switch_same_trace);
  g_test_add_func ("/primitives/trace/object-new", test_object_new);
  g_test_add_func ("/primitives/errors", test_errors);

  return g_test_run ();
}
