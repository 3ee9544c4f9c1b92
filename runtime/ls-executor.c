/* SPDX-License-Identifier: MIT
 *
 * Executors. CPython's run_in_executor submits the function to a
 * ThreadPoolExecutor and chains the concurrent future to an asyncio one
 * (futures.wrap_future): the worker's result comes back through
 * call_soon_threadsafe, and cancelling the asyncio future cancels the work
 * if no thread has taken it yet. Here the loop's thread does all the
 * bookkeeping (queue, threads, trace) and a worker only runs the function
 * and reports, under the executor's lock, that it wants to sleep or is done.
 *
 * The loop's thread handles those reports in process(), after waiting
 * until every running work is asleep or done, in the order the works
 * began. It waits there when a work is submitted and when a worker's sleep
 * ends: a worker's code between two sleeps takes no scenario time, and its
 * completion is queued before the loop goes on. (A report that comes when
 * the loop's thread is not waiting, as when closing the loop ends a
 * worker's sleep, is left for the loop's thread in an idle callback.)
 */
#include "config.h"

#include "ls-executor.h"

#include "ls-error.h"
#include "ls-runtime-private.h"

typedef enum
{
  WORK_QUEUED,           /* waiting for a free thread */
  WORK_RUNNING,          /* on a thread, in the function */
  WORK_SLEEP_REQUESTED,  /* the function called time.sleep: park it */
  WORK_PARKED,           /* asleep until its park ends */
  WORK_DONE,             /* the function returned */
  WORK_FINISHED,         /* the loop has its completion, or it was cancelled while queued */
} WorkState;

typedef struct
{
  gint           ref_count;     /* atomic */
  LsExecutor    *executor;
  LsFuture      *future;        /* the asyncio future; the loop's thread only */
  char          *name;
  LsWorkFunc     func;
  gpointer       data;
  GDestroyNotify destroy;
  guint32        submitter;     /* the task that submitted it */
  guint32        io_id;
  guint32        thread_id;     /* the lane of the thread that runs it */
  guint          slot;
  gint64         clock;         /* the work's own scenario time, ns */
  gint64         wake_at;
  WorkState      state;         /* under the executor's lock */
  GVariant      *result;
  GError        *error;
} Work;

struct _LsExecutor
{
  gint          ref_count;      /* atomic */
  GMutex        lock;
  GCond         cond;
  LsLoop       *loop;           /* NULL once the loop is gone (under the lock) */
  GMainContext *context;
  GThreadPool  *pool;
  guint         max_workers;
  Work        **slots;          /* the work each thread runs, or NULL */
  guint32      *thread_ids;     /* each thread's lane, 0 until it is first used */
  guint         n_running;
  GQueue        queued;         /* Work, FIFO; the loop's thread only */
  GPtrArray    *idle_waiters;   /* LsFuture, done when nothing is queued or running */
  gboolean      loop_waiting;   /* the loop's thread waits in process () */
  gboolean      wakeup_pending; /* an idle callback will run process () */
  gboolean      default_one;
};

/* Per loop: its default executor and the numbering of thread lanes. */
typedef struct
{
  LsExecutor *default_executor;
  GPtrArray  *executors;        /* not owned */
  guint       n_threads;
} LoopThreads;

static LS_THREAD_LOCAL Work *current_work;

static void     process           (LsExecutor *self,
                                   gboolean    wait);
static gboolean process_from_idle (gpointer    data);

/* ---- works -------------------------------------------------------------- */

static Work *
work_ref (Work *work)
{
  g_atomic_int_inc (&work->ref_count);
  return work;
}

static void
work_free_data (Work *work)
{
  if (work->destroy != NULL)
    {
      GDestroyNotify destroy = work->destroy;

      work->destroy = NULL;
      destroy (work->data);
    }
}

static void
work_unref (Work *work)
{
  if (!g_atomic_int_dec_and_test (&work->ref_count))
    return;
  work_free_data (work);
  g_clear_pointer (&work->future, ls_future_unref);
  g_clear_pointer (&work->result, g_variant_unref);
  g_clear_error (&work->error);
  ls_executor_unref (work->executor);
  g_free (work->name);
  g_free (work);
}

/* ---- per-loop data ------------------------------------------------------ */

static GQuark
loop_threads_quark (void)
{
  return g_quark_from_static_string ("ls-executor-loop-threads");
}

/* The loop is finalized: executors outlive it without it */
static void
loop_threads_free (gpointer data)
{
  LoopThreads *lt = data;

  for (guint i = 0; i < lt->executors->len; i++)
    {
      LsExecutor *executor = g_ptr_array_index (lt->executors, i);
      g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) work_unref);

      g_mutex_lock (&executor->lock);
      executor->loop = NULL;
      g_cond_broadcast (&executor->cond);
      /* the loop's references: a worker still running keeps its own */
      for (guint j = 0; j < executor->max_workers; j++)
        if (executor->slots[j] != NULL)
          g_ptr_array_add (dropped, g_steal_pointer (&executor->slots[j]));
      while (executor->queued.length > 0)
        g_ptr_array_add (dropped, g_queue_pop_head (&executor->queued));
      executor->n_running = 0;
      g_mutex_unlock (&executor->lock);
    }
  g_ptr_array_unref (lt->executors);
  if (lt->default_executor != NULL)
    ls_executor_unref (lt->default_executor);
  g_free (lt);
}

static LoopThreads *
loop_threads (LsLoop *loop)
{
  LoopThreads *lt = g_object_get_qdata (G_OBJECT (loop), loop_threads_quark ());

  if (lt == NULL)
    {
      lt = g_new0 (LoopThreads, 1);
      lt->executors = g_ptr_array_new ();
      g_object_set_qdata_full (G_OBJECT (loop), loop_threads_quark (), lt, loop_threads_free);
    }
  return lt;
}

/* The lane of an executor's thread, named the first time it is used */
static guint32
thread_lane (LsExecutor *self,
             guint       slot)
{
  if (self->thread_ids[slot] == 0)
    {
      LoopThreads *lt = loop_threads (self->loop);
      LsTrace *trace = ls_loop_get_trace (self->loop);
      g_autofree char *name = g_strdup_printf ("thread %u", ++lt->n_threads);

      self->thread_ids[slot] = ls_trace_new_id (trace);
      ls_trace_here (self->loop, LS_TRACE_OBJECT_NEW, LS_OBJECT_THREAD, 0, self->thread_ids[slot],
                     ls_trace_intern (trace, name), lt->n_threads);
    }
  return self->thread_ids[slot];
}

/* ---- the worker's side -------------------------------------------------- */

/* Tells the loop's thread there is something to handle (lock held). An
 * idle source on the loop's context, never g_main_context_invoke (): when
 * nobody owns the context, that runs the function at once on the calling
 * thread, here a worker holding the lock that process () takes. */
static void
notify_loop (LsExecutor *self)
{
  g_autoptr(GSource) idle = NULL;

  g_cond_broadcast (&self->cond);
  if (self->loop_waiting || self->wakeup_pending || self->loop == NULL)
    return;
  self->wakeup_pending = TRUE;
  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, process_from_idle, ls_executor_ref (self),
                         (GDestroyNotify) ls_executor_unref);
  g_source_set_static_name (idle, "[loopscope] executor report");
  g_source_attach (idle, self->context);
}

static void
worker_run (gpointer data,
            gpointer pool_data)
{
  Work *work = data;
  LsExecutor *self = work->executor;
  GVariant *result;
  GError *error = NULL;

  current_work = work;
  result = work->func (work->data, &error);
  current_work = NULL;
  if (result != NULL)
    g_variant_ref_sink (result);

  g_mutex_lock (&self->lock);
  work->result = result;
  work->error = error;
  work->state = WORK_DONE;
  notify_loop (self);
  g_mutex_unlock (&self->lock);
  work_unref (work);
}

gboolean
ls_in_worker_thread (void)
{
  return current_work != NULL;
}

gboolean
_ls_executor_worker_sleep (gint64 duration_ns)
{
  Work *work = current_work;
  LsExecutor *self;

  if (work == NULL)
    return FALSE;
  if (duration_ns <= 0)
    return TRUE;
  self = work->executor;
  g_mutex_lock (&self->lock);
  work->wake_at = work->clock + duration_ns;
  work->clock = work->wake_at;
  work->state = WORK_SLEEP_REQUESTED;
  notify_loop (self);
  while (work->state != WORK_RUNNING && self->loop != NULL)
    g_cond_wait (&self->cond, &self->lock);
  work->state = WORK_RUNNING;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* ---- the loop's side ---------------------------------------------------- */

/* The lowest free thread: the trace names threads as the pool's slots */
static guint
free_slot (LsExecutor *self)
{
  for (guint i = 0; i < self->max_workers; i++)
    if (self->slots[i] == NULL)
      return i;
  g_assert_not_reached ();
}

/* A thread takes @work. The loop's side keeps its reference (in the slot,
 * then in the completion's handle); the thread gets one of its own. */
static void
start_work (LsExecutor *self,
            Work       *work)
{
  LsLoop *loop = self->loop;
  g_autofree char *description = g_strconcat ("thread ", work->name, NULL);
  guint slot = free_slot (self);

  work->slot = slot;
  work->thread_id = thread_lane (self, slot);
  work->io_id = ls_loop_io_begin (loop, description);
  work->clock = ls_loop_time_ns (loop);
  ls_trace_here (loop, LS_TRACE_THREAD_WORK_BEGIN, 0, work->submitter, work->thread_id,
                 work->future->id, work->io_id);
  g_mutex_lock (&self->lock);
  self->slots[slot] = work;
  self->n_running++;
  work->state = WORK_RUNNING;
  g_mutex_unlock (&self->lock);
  g_thread_pool_push (self->pool, work_ref (work), NULL);
}

static void
complete_idle_waiters (LsExecutor *self)
{
  if (self->n_running > 0 || self->queued.length > 0 || self->idle_waiters->len == 0)
    return;
  for (guint i = 0; i < self->idle_waiters->len; i++)
    ls_future_set_result (g_ptr_array_index (self->idle_waiters, i), NULL, NULL);
  g_ptr_array_set_size (self->idle_waiters, 0);
}

/* futures._chain_future's _set_state -> _copy_future_state: a handle run
 * by the loop, which leaves a cancelled future alone */
static void
set_state (gpointer a,
           gpointer b)
{
  Work *work = a;
  LsFuture *future = work->future;

  if (!ls_future_is_done (future))
    {
      if (work->error != NULL)
        ls_future_set_exception (future, g_steal_pointer (&work->error), NULL);
      else
        ls_future_set_result (future, work->result, NULL); /* refs it: ours goes with the work */
    }
  work_unref (work);
}

/* The function returned: its completion goes to the loop as I/O, and its
 * thread takes the next work in the queue. */
static void
finish_work (LsExecutor *self,
             Work       *work)
{
  LsLoop *loop = self->loop;

  ls_loop_time_ns (loop); /* the real clock: stamp the end when it is seen */
  ls_trace_here (loop, LS_TRACE_THREAD_WORK_END,
                 work->error != NULL ? LS_OUTCOME_FAILED : LS_OUTCOME_RESULT, work->submitter,
                 work->thread_id, work->future->id, work->io_id);
  /* the slot's reference goes to the handle */
  ls_loop_io_complete (loop, work->io_id, work->error == NULL, set_state, work, NULL);
  work_free_data (work);
  while (self->n_running < self->max_workers && self->queued.length > 0)
    start_work (self, g_queue_pop_head (&self->queued));
  complete_idle_waiters (self);
}

static void park_ended (gpointer data, gboolean reached);

/* Handles what the workers reported: a sleep to park, a function that
 * returned. With @wait first waits until no work is running, then handles
 * them in the order the works began, until none is running any more. */
static void
process (LsExecutor *self,
         gboolean    wait)
{
  g_mutex_lock (&self->lock);
  for (;;)
    {
      Work *next = NULL;

      if (wait)
        {
          gboolean running;

          self->loop_waiting = TRUE;
          do
            {
              running = FALSE;
              for (guint i = 0; i < self->max_workers && !running; i++)
                running = self->slots[i] != NULL && self->slots[i]->state == WORK_RUNNING;
              if (running && self->loop != NULL)
                g_cond_wait (&self->cond, &self->lock);
            }
          while (running && self->loop != NULL);
          self->loop_waiting = FALSE;
        }
      if (self->loop == NULL)
        break;
      for (guint i = 0; i < self->max_workers; i++)
        {
          Work *w = self->slots[i];

          if (w != NULL && (w->state == WORK_SLEEP_REQUESTED || w->state == WORK_DONE)
              && (next == NULL || w->io_id < next->io_id))
            next = w;
        }
      if (next == NULL)
        break;
      if (next->state == WORK_SLEEP_REQUESTED)
        {
          gint64 wake_at = next->wake_at;

          next->state = WORK_PARKED;
          g_mutex_unlock (&self->lock);
          ls_loop_io_park (self->loop, next->io_id, wake_at, park_ended, work_ref (next));
        }
      else
        {
          next->state = WORK_FINISHED;
          self->slots[next->slot] = NULL;
          self->n_running--;
          g_mutex_unlock (&self->lock);
          finish_work (self, next);
        }
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
}

static gboolean
process_from_idle (gpointer data)
{
  LsExecutor *self = data;
  gboolean alive;

  g_mutex_lock (&self->lock);
  self->wakeup_pending = FALSE;
  alive = self->loop != NULL;
  g_mutex_unlock (&self->lock);
  if (alive)
    process (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* A worker's sleep is over (outside any iteration, like a peer's code):
 * it goes on, and the loop waits for it to sleep again or return. */
static void
park_ended (gpointer data,
            gboolean reached)
{
  Work *work = data;
  LsExecutor *self = work->executor;
  gboolean wait;

  g_mutex_lock (&self->lock);
  work->state = WORK_RUNNING;
  g_cond_broadcast (&self->cond);
  wait = reached && self->loop != NULL;
  g_mutex_unlock (&self->lock);
  if (wait)
    process (self, TRUE);
  work_unref (work);
}

/* _call_check_cancel: a done callback on the work's future. A work no
 * thread has taken is cancelled with it and never runs; its concurrent
 * future's own callback still queues a _set_state that finds the future
 * cancelled. */
static void
check_cancel (LsFuture *future,
              gpointer  data)
{
  Work *work = data;
  LsExecutor *self = work->executor;

  if (ls_future_is_cancelled (future) && work->state == WORK_QUEUED && self->loop != NULL
      && g_queue_remove (&self->queued, work))
    {
      g_autoptr(LsTimer) handle = NULL;

      work->state = WORK_FINISHED;
      ls_trace_here (self->loop, LS_TRACE_THREAD_WORK_END, LS_OUTCOME_CANCELLED, work->submitter,
                     0, future->id, 0);
      work_free_data (work);
      handle = ls_loop_call_soon (self->loop, set_state, work, NULL); /* takes the queue's ref */
      complete_idle_waiters (self);
    }
  work_unref (work);
}

LsFuture *
ls_run_in_executor (LsLoop        *loop,
                    LsExecutor    *executor,
                    const char    *name,
                    LsWorkFunc     func,
                    gpointer       data,
                    GDestroyNotify destroy)
{
  LoopThreads *lt;
  Work *work;
  LsFuture *future;

  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (executor == NULL || executor->loop == loop, NULL);

  lt = loop_threads (loop);
  if (executor == NULL)
    {
      if (lt->default_executor == NULL)
        {
          lt->default_executor = ls_executor_new (loop, LS_EXECUTOR_DEFAULT_WORKERS);
          lt->default_executor->default_one = TRUE;
        }
      executor = lt->default_executor;
    }

  work = g_new0 (Work, 1);
  work->ref_count = 1;
  work->executor = ls_executor_ref (executor);
  work->name = g_strdup (name != NULL ? name : "function");
  work->func = func;
  work->data = data;
  work->destroy = destroy;
  work->submitter = _ls_loop_current_task_id (loop);
  work->state = WORK_QUEUED;
  future = work->future = _ls_future_new_internal (loop, LS_WAIT_EXECUTOR, 0, -1);
  ls_future_add_done_callback (future, check_cancel, work_ref (work));

  if (executor->n_running < executor->max_workers && executor->queued.length == 0)
    {
      ls_trace_here (loop, LS_TRACE_THREAD_WORK_SUBMIT, 0, work->submitter, future->id,
                     ls_trace_intern (ls_loop_get_trace (loop), work->name), 0);
      start_work (executor, work);
    }
  else
    {
      g_queue_push_tail (&executor->queued, work);
      ls_trace_here (loop, LS_TRACE_THREAD_WORK_SUBMIT, 0, work->submitter, future->id,
                     ls_trace_intern (ls_loop_get_trace (loop), work->name),
                     executor->queued.length);
    }
  process (executor, TRUE);
  return ls_future_ref (future);
}

GVariant *
ls_to_thread (const char    *name,
              LsWorkFunc     func,
              gpointer       data,
              GDestroyNotify destroy,
              GError       **error)
{
  LsTask *task = ls_task_current ();
  g_autoptr(LsFuture) future = NULL;

  if (task == NULL)
    {
      g_critical ("ls_to_thread must be called from inside a task");
      if (destroy != NULL)
        destroy (data);
      return NULL;
    }
  future = ls_run_in_executor (ls_future_get_loop (LS_FUTURE (task)), NULL, name, func, data,
                               destroy);
  return ls_future_await (future, error);
}

LsFuture *
_ls_executor_shutdown_default (LsLoop *loop)
{
  LoopThreads *lt = g_object_get_qdata (G_OBJECT (loop), loop_threads_quark ());
  LsExecutor *self = lt != NULL ? lt->default_executor : NULL;
  LsFuture *idle;

  if (self == NULL || (self->n_running == 0 && self->queued.length == 0))
    return NULL;
  idle = _ls_future_new_internal (loop, LS_WAIT_EXECUTOR, 0, -1);
  g_ptr_array_add (self->idle_waiters, ls_future_ref (idle));
  return idle;
}

/* ---- the executor ------------------------------------------------------- */

LsExecutor *
ls_executor_new (LsLoop *loop,
                 guint   max_workers)
{
  LsExecutor *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);
  g_return_val_if_fail (max_workers > 0, NULL);

  self = g_new0 (LsExecutor, 1);
  self->ref_count = 1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->loop = loop;
  self->context = g_main_context_ref_thread_default ();
  self->max_workers = max_workers;
  self->slots = g_new0 (Work *, max_workers);
  self->thread_ids = g_new0 (guint32, max_workers);
  g_queue_init (&self->queued);
  self->idle_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_future_unref);
  self->pool = g_thread_pool_new (worker_run, self, (gint) max_workers, FALSE, &error);
  if (self->pool == NULL)
    g_error ("cannot make a thread pool: %s", error->message);
  g_ptr_array_add (loop_threads (loop)->executors, self);
  return self;
}

LsExecutor *
ls_executor_ref (LsExecutor *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
ls_executor_unref (LsExecutor *self)
{
  LsLoop *loop;

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_mutex_lock (&self->lock);
  loop = self->loop;
  g_mutex_unlock (&self->lock);
  if (loop != NULL)
    g_ptr_array_remove (loop_threads (loop)->executors, self);
  /* works hold references: nothing is queued or running by now */
  g_thread_pool_free (self->pool, FALSE, FALSE);
  g_ptr_array_unref (self->idle_waiters);
  g_free (self->slots);
  g_free (self->thread_ids);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}
