/* SPDX-License-Identifier: MIT
 *
 * The event loop. One iteration does what CPython's _run_once does: move
 * finished I/O into the ready queue, (on the virtual clock) jump to the next
 * deadline when nothing is ready, move every due timer into the ready queue
 * in (deadline, scheduling order), then run exactly the callbacks that were
 * ready at that moment; whatever they schedule runs in the next iteration.
 *
 * Scenario time is always virtual: when nothing is ready the clock jumps to
 * the next deadline exactly, so no machine, renderer or frame rate can
 * change a recorded time. The speed only paces those jumps against the
 * wall clock (a jump to D waits until the paced clock has reached D);
 * Instant does not wait at all.
 *
 * A GSource on the thread-default GMainContext drives it, just below GTK's
 * redraw priority, so input and redraws always come first and a busy run
 * cannot starve them, and each dispatch runs as many iterations as fit in
 * a few milliseconds (a long batch is split across dispatches; the trace
 * still shows one iteration).
 */
#include "config.h"

#include "ls-loop.h"

#include <math.h>

#include "ls-error.h"
#include "ls-runtime-private.h"

#define DISPATCH_BUDGET_US 6000
/* Above GDK_PRIORITY_REDRAW (G_PRIORITY_HIGH_IDLE + 20), below GTK's resize
 * and input: a window that is always drawing (a tick callback, a slow
 * renderer) cannot hold the run back. And so that the run cannot hold the
 * window back either, a dispatch that used up its budget with work left
 * steps aside for YIELD_US before the next. */
#define LOOP_SOURCE_PRIORITY (G_PRIORITY_HIGH_IDLE + 15)
#define YIELD_US 4000
/* When the machine falls this far behind the paced clock (a breakpoint, a
 * suspended laptop, a heavy frame), pacing starts again from where the run
 * is instead of rushing to catch up: recorded times are virtual either way. */
#define MAX_LAG_US 50000

struct _LsLoop
{
  GObject        parent_instance;

  LsTrace       *trace;
  LsTraceChunks *chunks;
  GMainContext  *context;
  GSource       *source;

  /* the ready queue: a ring buffer */
  LsReadyItem   *ready;
  guint          ready_head;
  guint          ready_len;
  guint          ready_cap;
  guint32        next_handle_id;

  /* the timer heap, by (deadline, seq) */
  LsTimer      **heap;
  guint          heap_len;
  guint          heap_cap;
  guint          heap_cancelled;
  guint64        timer_seq;

  /* I/O */
  GArray        *io_done;        /* IoDone, completion order */
  guint          io_in_flight;
  GHashTable    *io_parks;       /* in-flight io id -> number of parks on it */
  guint          io_parked;      /* in-flight operations with a park */
  GPtrArray     *parks;          /* IoPark, in creation order */
  guint          next_park_id;

  /* the scenario clock: virtual, paced against the wall clock */
  gint64         now;            /* ns: the time records carry */
  double         speed;          /* scenario seconds per wall second; 0: Instant */
  gint64         pace_base;      /* the paced clock: scenario ns at pace_base_us */
  gint64         pace_base_us;   /* g_get_monotonic_time () */
  guint          paused : 1;
  guint          clock_started : 1; /* the paced clock starts with the first iteration */

  gint64         yield_until_us; /* the source steps aside until then */

  /* the iteration in progress */
  guint64        iteration;
  guint          in_iteration : 1;
  guint          batch_remaining;
  guint32        cause;

  /* time.sleep in real time */
  LsTask        *blocked_task;
  gint64         blocked_until;

  guint          n_tasks_created;
  GQueue         all_tasks;        /* pending tasks, in creation order */
  LsTrace       *scratch;          /* closed: where records go instead of the trace */
  guint          closed : 1;

  /* loop.stop(): checked where an iteration ends, like CPython's _stopping */
  LsFuture      *stop_when_done;   /* the future the loop runs until (a ref), or NULL */
  guint          stopped : 1;      /* it is done: nothing runs until another is set */
  guint          stopping : 1;
  guint64        n_stops;
  LsLoopStopFunc stop_func;
  gpointer       stop_data;
  GRand         *rand;
  guint32        seed;
};

G_DEFINE_FINAL_TYPE (LsLoop, ls_loop, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SPEED,
  PROP_PAUSED,
  PROP_STOPPED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GSource source;
  LsLoop *loop;
} LsLoopSource;

static void loop_run_handles (LsLoop *self, gint64 budget_end_us, gboolean whole_batch);

/* ---- clock ------------------------------------------------------------ */

static gint64 next_deadline (LsLoop *self);

/* How far the paced clock has got: scenario time may reach this instant
 * now. Instant: anything. Paused, or before the first iteration: where it
 * was left. */
static gint64
pace_limit (LsLoop *self)
{
  if (self->speed <= 0)
    return G_MAXINT64;
  if (self->paused || !self->clock_started)
    return self->pace_base;
  return self->pace_base
         + (gint64) ((double) (g_get_monotonic_time () - self->pace_base_us) * 1000.0 * self->speed);
}

/* The next instant at which something is due by itself: the end of a
 * blocking time.sleep, a timer or a park; the current instant when work
 * is ready; G_MAXINT64 when only I/O or nothing can move the run on. */
static gint64
next_due (LsLoop *self)
{
  if (self->blocked_task != NULL)
    return self->blocked_until;
  if (self->in_iteration || self->ready_len > 0 || self->io_done->len > 0)
    return self->now;
  return next_deadline (self);
}

/* The paced clock, never behind the run and never past what is due next:
 * what a live view shows as "now" between two records. */
static gint64
paced_now (LsLoop *self)
{
  gint64 limit = pace_limit (self);

  return MAX (self->now, MIN (limit, next_due (self)));
}

/* Starts pacing again from the instant the clock shows, e.g. on pause,
 * resume or a change of speed, so the view never jumps back. */
static void
rebase_pace (LsLoop *self)
{
  if (self->speed > 0)
    self->pace_base = paced_now (self);
  self->pace_base_us = g_get_monotonic_time ();
}

/* Virtual time jumps to @when exactly; the paced clock only decided when. */
static void
jump_clock_to (LsLoop *self,
               gint64  when)
{
  if (when <= self->now)
    return;
  self->now = when;
  if (self->speed > 0
      && pace_limit (self) - when > (gint64) (MAX_LAG_US * 1000.0 * self->speed))
    {
      self->pace_base = when;
      self->pace_base_us = g_get_monotonic_time ();
    }
}

gint64
_ls_loop_now (LsLoop *self)
{
  return self->now;
}

LsTraceChunks *
_ls_loop_chunks (LsLoop *self)
{
  return self->chunks;
}

LsTrace *
_ls_loop_trace (LsLoop *self)
{
  return self->trace;
}

guint32
_ls_loop_cause (LsLoop *self)
{
  return self->cause;
}

gint64
ls_loop_time_ns (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  return self->now;
}

double
ls_loop_time (LsLoop *self)
{
  return (double) ls_loop_time_ns (self) / 1e9;
}

/**
 * ls_loop_get_paced_time_ns:
 *
 * Where the paced clock is: the last record's time while the run is busy,
 * and between records the instant the wall clock has paced the run to (at
 * most the next deadline). A live view draws "now" here, so waits grow
 * smoothly instead of jumping from record to record.
 */
gint64
ls_loop_get_paced_time_ns (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  if (self->speed <= 0)
    return self->now;
  return paced_now (self);
}

void
ls_loop_set_speed (LsLoop *self,
                   double  speed)
{
  g_return_if_fail (LS_IS_LOOP (self));
  speed = speed <= 0 ? LS_LOOP_INSTANT : CLAMP (speed, LS_LOOP_MIN_SPEED, LS_LOOP_MAX_SPEED);
  if (speed == self->speed)
    return;
  if (self->speed <= 0)
    self->pace_base = self->now;
  else
    rebase_pace (self);
  self->speed = speed;
  self->pace_base_us = g_get_monotonic_time ();
  g_main_context_wakeup (self->context);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
ls_loop_get_speed (LsLoop *self)
{
  return self->speed;
}

void
ls_loop_set_paused (LsLoop  *self,
                    gboolean paused)
{
  g_return_if_fail (LS_IS_LOOP (self));
  paused = !!paused;
  if (self->paused == paused)
    return;
  rebase_pace (self);
  self->paused = paused;
  g_main_context_wakeup (self->context);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
ls_loop_get_paused (LsLoop *self)
{
  return self->paused;
}

guint64
ls_loop_get_iteration (LsLoop *self)
{
  return self->iteration;
}

gboolean
ls_loop_is_blocked (LsLoop *self)
{
  return self->blocked_task != NULL;
}

/* ---- randomness ------------------------------------------------------- */

void
ls_loop_set_seed (LsLoop *self,
                  guint32 seed)
{
  g_return_if_fail (LS_IS_LOOP (self));
  self->seed = seed;
  g_rand_set_seed (self->rand, seed);
}

guint32
ls_loop_get_seed (LsLoop *self)
{
  return self->seed;
}

double
ls_loop_random_uniform (LsLoop *self,
                        double  low,
                        double  high)
{
  return low + (high - low) * g_rand_double (self->rand);
}

gint32
ls_loop_random_int (LsLoop *self,
                    gint32  low,
                    gint32  high_inclusive)
{
  return g_rand_int_range (self->rand, low, high_inclusive + 1);
}

/* ---- the ready queue -------------------------------------------------- */

static void
ready_grow (LsLoop *self)
{
  guint new_cap = MAX (64, self->ready_cap * 2);
  LsReadyItem *items = g_new (LsReadyItem, new_cap);

  for (guint i = 0; i < self->ready_len; i++)
    items[i] = self->ready[(self->ready_head + i) % self->ready_cap];
  g_free (self->ready);
  self->ready = items;
  self->ready_cap = new_cap;
  self->ready_head = 0;
}

static inline LsReadyItem *
ready_append (LsLoop *self)
{
  if (G_UNLIKELY (self->ready_len == self->ready_cap))
    ready_grow (self);
  return &self->ready[(self->ready_head + self->ready_len++) & (self->ready_cap - 1)];
}

void
_ls_loop_push_ready (LsLoop      *self,
                     LsHandleKind kind,
                     LsCallback   func,
                     gpointer     a,
                     gpointer     b,
                     LsFuture    *future_ref,
                     guint32      task_id,
                     guint32      cause_id)
{
  LsReadyItem *item = ready_append (self);

  item->func = func;
  item->a = a;
  item->b = b;
  item->timer = NULL;
  item->future = future_ref;
  item->handle_id = ++self->next_handle_id;
  item->kind = kind;
  item->task_id = task_id;
  item->cause_id = cause_id;
  ls_trace_append (self->chunks, self->now, LS_TRACE_READY_PUSH, kind, task_id,
                   item->handle_id, cause_id, 0);
}

/* defined with the timers: a call_soon handle is a timer that never
 * enters the heap */
static LsTimer *call_soon_handle (LsLoop *self, LsCallback callback, gpointer a, gpointer b);

LsTimer *
ls_loop_call_soon (LsLoop    *self,
                   LsCallback callback,
                   gpointer   a,
                   gpointer   b)
{
  g_return_val_if_fail (LS_IS_LOOP (self), NULL);
  return call_soon_handle (self, callback, a, b);
}

/* ---- timers ----------------------------------------------------------- */

static void
timer_handle_run (gpointer a,
                  gpointer b)
{
  LsTimer *timer = a;

  timer->func (timer->a, timer->b);
}


static inline gboolean
timer_before (const LsTimer *a,
              const LsTimer *b)
{
  return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void
heap_sift_up (LsLoop *self,
              guint   i)
{
  LsTimer *t = self->heap[i];

  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (!timer_before (t, self->heap[parent]))
        break;
      self->heap[i] = self->heap[parent];
      i = parent;
    }
  self->heap[i] = t;
}

static void
heap_sift_down (LsLoop *self,
                guint   i)
{
  LsTimer *t = self->heap[i];

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= self->heap_len)
        break;
      if (child + 1 < self->heap_len && timer_before (self->heap[child + 1], self->heap[child]))
        child++;
      if (!timer_before (self->heap[child], t))
        break;
      self->heap[i] = self->heap[child];
      i = child;
    }
  self->heap[i] = t;
}

static LsTimer *
heap_pop (LsLoop *self)
{
  LsTimer *top = self->heap[0];

  self->heap[0] = self->heap[--self->heap_len];
  if (self->heap_len > 0)
    heap_sift_down (self, 0);
  top->in_heap = FALSE;
  if (top->cancelled)
    self->heap_cancelled--;
  return top;
}

/* Like CPython: drop cancelled timers at the head, or all of them when
 * they are more than half of a large heap. */
static void
heap_drop_cancelled (LsLoop *self)
{
  if (self->heap_len > 100 && self->heap_cancelled * 2 > self->heap_len)
    {
      guint j = 0;

      for (guint i = 0; i < self->heap_len; i++)
        {
          LsTimer *t = self->heap[i];

          if (t->cancelled)
            {
              t->in_heap = FALSE;
              ls_timer_unref (t);
            }
          else
            self->heap[j++] = t;
        }
      self->heap_len = j;
      self->heap_cancelled = 0;
      for (guint i = self->heap_len / 2; i-- > 0;)
        heap_sift_down (self, i);
      return;
    }
  while (self->heap_len > 0 && self->heap[0]->cancelled)
    ls_timer_unref (heap_pop (self));
}

LsTimer *
ls_loop_call_at_ns (LsLoop        *self,
                    gint64         when_ns,
                    LsWaitReason   purpose,
                    guint32        related_id,
                    LsCallback     callback,
                    gpointer       a,
                    GDestroyNotify a_destroy,
                    gpointer       b)
{
  LsTimer *timer = g_new0 (LsTimer, 1);

  timer->ref_count = 2; /* the heap's and the caller's */
  timer->loop = self;
  timer->id = ls_trace_new_id (self->trace);
  timer->deadline = when_ns;
  timer->seq = self->timer_seq++;
  timer->func = callback;
  timer->a = a;
  timer->a_destroy = a_destroy;
  timer->b = b;
  timer->in_heap = TRUE;

  if (self->heap_len == self->heap_cap)
    {
      self->heap_cap = MAX (64, self->heap_cap * 2);
      self->heap = g_renew (LsTimer *, self->heap, self->heap_cap);
    }
  self->heap[self->heap_len++] = timer;
  heap_sift_up (self, self->heap_len - 1);

  ls_trace_append (self->chunks, self->now, LS_TRACE_TIMER_ADD, purpose,
                   _ls_loop_current_task_id (self), timer->id, related_id, when_ns);
  return timer;
}

/* loop.call_soon's Handle: a timer that never enters the heap and goes
 * straight to the ready queue; cancelling it makes its handle a no-op. */
static LsTimer *
call_soon_handle (LsLoop    *self,
                  LsCallback callback,
                  gpointer   a,
                  gpointer   b)
{
  LsTimer *timer = g_new0 (LsTimer, 1);
  LsReadyItem *item;

  timer->ref_count = 2; /* the ready queue's and the caller's */
  timer->loop = self;
  timer->id = ls_trace_new_id (self->trace);
  timer->deadline = self->now;
  timer->func = callback;
  timer->a = a;
  timer->b = b;
  _ls_loop_push_ready (self, LS_HANDLE_CALLBACK, timer_handle_run, timer, NULL, NULL, 0,
                       self->cause);
  item = &self->ready[(self->ready_head + self->ready_len - 1) & (self->ready_cap - 1)];
  item->timer = timer;
  return timer;
}

LsTimer *
_ls_loop_call_soon_cancellable (LsLoop    *self,
                                LsCallback callback,
                                gpointer   a)
{
  return call_soon_handle (self, callback, a, NULL);
}

LsTimer *
ls_loop_call_later (LsLoop    *self,
                    double     delay,
                    LsCallback callback,
                    gpointer   a,
                    gpointer   b)
{
  g_return_val_if_fail (LS_IS_LOOP (self), NULL);
  return ls_loop_call_at_ns (self, self->now + ls_seconds_to_ns (delay), LS_WAIT_CALL_LATER, 0,
                             callback, a, NULL, b);
}

void
ls_timer_cancel (LsTimer *timer)
{
  g_return_if_fail (timer != NULL);
  if (timer->cancelled)
    return;
  timer->cancelled = TRUE;
  if (timer->in_heap)
    {
      LsLoop *loop = timer->loop;

      loop->heap_cancelled++;
      ls_trace_append (loop->chunks, loop->now, LS_TRACE_TIMER_CANCEL, 0, 0, timer->id, 0, 0);
    }
  if (timer->a_destroy != NULL)
    {
      GDestroyNotify destroy = timer->a_destroy;
      gpointer a = timer->a;

      timer->a_destroy = NULL;
      timer->a = NULL;
      destroy (a);
    }
}

LsTimer *
ls_timer_ref (LsTimer *timer)
{
  timer->ref_count++;
  return timer;
}

void
ls_timer_unref (LsTimer *timer)
{
  if (--timer->ref_count > 0)
    return;
  if (timer->a_destroy != NULL)
    timer->a_destroy (timer->a);
  g_free (timer);
}

gboolean
ls_timer_cancelled (LsTimer *timer)
{
  g_return_val_if_fail (timer != NULL, FALSE);
  return timer->cancelled;
}

guint32
ls_timer_get_id (LsTimer *timer)
{
  return timer->id;
}

gint64
ls_timer_get_deadline_ns (LsTimer *timer)
{
  return timer->deadline;
}

/* ---- I/O -------------------------------------------------------------- */

/* A finished operation (or data for one still in flight) waiting to enter
 * the ready queue. */
typedef struct
{
  LsCallback func;
  gpointer   a;
  gpointer   b;
  guint32    io_id;
  guint8     outcome;     /* LsOutcome, for completions */
  guint8     completed;   /* FALSE: progress of an operation still in flight */
} IoDone;

/* A peer holding an in-flight operation until a scenario time. */
typedef struct
{
  guint        id;
  guint32      io_id;
  gint64       until;
  LsIoParkFunc func;
  gpointer     data;
} IoPark;

/* Nothing in flight makes progress in real time: every operation is parked
 * (or there are none), so only the scenario clock can move things on. */
static inline gboolean
io_settled (LsLoop *self)
{
  return self->io_parked == self->io_in_flight;
}

guint32
ls_loop_io_begin (LsLoop     *self,
                  const char *description)
{
  guint32 id;

  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  id = ls_trace_new_id (self->trace);
  self->io_in_flight++;
  g_hash_table_insert (self->io_parks, GUINT_TO_POINTER (id), GUINT_TO_POINTER (0));
  ls_trace_append (self->chunks, self->now, LS_TRACE_IO_BEGIN, 0,
                   _ls_loop_current_task_id (self), id,
                   ls_trace_intern (self->trace, description), 0);
  return id;
}

static void
io_done_append (LsLoop    *self,
                guint32    io_id,
                gboolean   completed,
                gboolean   success,
                LsCallback callback,
                gpointer   a,
                gpointer   b)
{
  IoDone done = { callback, a, b, io_id,
                  success ? LS_OUTCOME_RESULT : LS_OUTCOME_FAILED, completed };

  g_array_append_val (self->io_done, done);
  g_main_context_wakeup (self->context);
}

/* Removes a park from the list and from its operation's count. */
static IoPark *
park_take (LsLoop *self,
           guint   index)
{
  IoPark *park = g_ptr_array_steal_index (self->parks, index);
  gpointer n;

  if (park->io_id != 0
      && g_hash_table_lookup_extended (self->io_parks, GUINT_TO_POINTER (park->io_id), NULL, &n))
    {
      guint left = GPOINTER_TO_UINT (n) - 1;

      g_hash_table_insert (self->io_parks, GUINT_TO_POINTER (park->io_id),
                           GUINT_TO_POINTER (left));
      if (left == 0)
        self->io_parked--;
    }
  return park;
}

void
ls_loop_io_complete (LsLoop    *self,
                     guint32    io_id,
                     gboolean   success,
                     LsCallback callback,
                     gpointer   a,
                     gpointer   b)
{
  GPtrArray *dropped = NULL;

  g_return_if_fail (LS_IS_LOOP (self));
  g_return_if_fail (self->io_in_flight > 0);

  /* Parks on it end here: whoever waited for this operation is gone. */
  for (guint i = self->parks->len; i-- > 0;)
    if (((IoPark *) g_ptr_array_index (self->parks, i))->io_id == io_id)
      {
        if (dropped == NULL)
          dropped = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (dropped, park_take (self, i));
      }
  g_hash_table_remove (self->io_parks, GUINT_TO_POINTER (io_id));
  self->io_in_flight--;
  io_done_append (self, io_id, TRUE, success, callback, a, b);

  if (dropped != NULL)
    {
      for (guint i = dropped->len; i-- > 0;)
        {
          IoPark *park = g_ptr_array_index (dropped, i);

          park->func (park->data, FALSE);
        }
      g_ptr_array_unref (dropped);
    }
}

void
ls_loop_io_progress (LsLoop    *self,
                     guint32    io_id,
                     LsCallback callback,
                     gpointer   a,
                     gpointer   b)
{
  g_return_if_fail (LS_IS_LOOP (self));
  g_return_if_fail (g_hash_table_contains (self->io_parks, GUINT_TO_POINTER (io_id)));

  io_done_append (self, io_id, FALSE, TRUE, callback, a, b);
}

guint
ls_loop_get_io_in_flight (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  return self->io_in_flight;
}

guint
ls_loop_io_park (LsLoop       *self,
                 guint32       io_id,
                 gint64        until_ns,
                 LsIoParkFunc  callback,
                 gpointer      data)
{
  IoPark *park;

  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  g_return_val_if_fail (callback != NULL, 0);

  if (io_id != 0)
    {
      gpointer n;

      if (!g_hash_table_lookup_extended (self->io_parks, GUINT_TO_POINTER (io_id), NULL, &n))
        return 0;
      if (GPOINTER_TO_UINT (n) == 0)
        self->io_parked++;
      g_hash_table_insert (self->io_parks, GUINT_TO_POINTER (io_id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
    }
  park = g_new0 (IoPark, 1);
  park->id = ++self->next_park_id;
  park->io_id = io_id;
  park->until = until_ns;
  park->func = callback;
  park->data = data;
  g_ptr_array_add (self->parks, park);
  g_main_context_wakeup (self->context);
  return park->id;
}

void
ls_loop_io_unpark (LsLoop *self,
                   guint   park_id)
{
  g_return_if_fail (LS_IS_LOOP (self));

  for (guint i = 0; i < self->parks->len; i++)
    if (((IoPark *) g_ptr_array_index (self->parks, i))->id == park_id)
      {
        g_free (park_take (self, i));
        return;
      }
}

/* The earliest park: by time, then by the operation it holds (ids follow
 * the scenario's order, creation order follows the network's). */
static gint
parks_earliest (LsLoop *self)
{
  gint best = -1;

  for (guint i = 0; i < self->parks->len; i++)
    {
      const IoPark *p = g_ptr_array_index (self->parks, i);
      const IoPark *b = best >= 0 ? g_ptr_array_index (self->parks, best) : NULL;

      if (b == NULL || p->until < b->until
          || (p->until == b->until
              && (p->io_id < b->io_id || (p->io_id == b->io_id && p->id < b->id))))
        best = (gint) i;
    }
  return best;
}

/* The next scenario time something is due: a timer or a park. */
static gint64
next_deadline (LsLoop *self)
{
  gint64 next = self->heap_len > 0 ? self->heap[0]->deadline : G_MAXINT64;
  gint p = parks_earliest (self);

  if (p >= 0)
    next = MIN (next, ((IoPark *) g_ptr_array_index (self->parks, p))->until);
  return next;
}

static void
fire_due_parks (LsLoop *self)
{
  gint i;

  while ((i = parks_earliest (self)) >= 0
         && ((IoPark *) g_ptr_array_index (self->parks, i))->until <= self->now)
    {
      IoPark *park = park_take (self, (guint) i);

      park->func (park->data, TRUE);
      g_free (park);
    }
}

static gint
io_done_compare (gconstpointer a,
                 gconstpointer b)
{
  const IoDone *da = a, *db = b;

  return da->io_id < db->io_id ? -1 : da->io_id > db->io_id;
}

/* Finished I/O enters the ready queue in the order the operations began
 * (g_array_sort is stable: one operation's progress stays before its
 * completion). On the virtual clock only once nothing unparked is in
 * flight: what finished together in scenario time then enters together,
 * whatever order the network chose. */
static void
io_deliver (LsLoop *self)
{
  if (self->io_done->len == 0 || !io_settled (self))
    return;
  g_array_sort (self->io_done, io_done_compare);
  for (guint i = 0; i < self->io_done->len; i++)
    {
      IoDone *io = &g_array_index (self->io_done, IoDone, i);

      if (io->completed)
        ls_trace_append (self->chunks, self->now, LS_TRACE_IO_COMPLETE, io->outcome, 0,
                         io->io_id, 0, 0);
      _ls_loop_push_ready (self, LS_HANDLE_IO, io->func, io->a, io->b, NULL, 0, io->io_id);
    }
  g_array_set_size (self->io_done, 0);
}

/* ---- tasks bookkeeping ----------------------------------------------- */

guint
_ls_loop_next_task_number (LsLoop *self)
{
  return ++self->n_tasks_created;
}

void
_ls_loop_task_added (LsLoop *self,
                     GList  *link)
{
  g_queue_push_tail_link (&self->all_tasks, link);
}

void
_ls_loop_task_done (LsLoop *self,
                    GList  *link)
{
  g_queue_unlink (&self->all_tasks, link);
}

/* The oldest task not done yet, or NULL. */
LsTask *
_ls_loop_first_task (LsLoop *self)
{
  return self->all_tasks.head != NULL ? self->all_tasks.head->data : NULL;
}

GPtrArray *
ls_loop_all_tasks (LsLoop *self)
{
  GPtrArray *tasks;

  g_return_val_if_fail (LS_IS_LOOP (self), NULL);

  tasks = g_ptr_array_new_full (self->all_tasks.length, (GDestroyNotify) ls_task_unref);
  for (GList *l = self->all_tasks.head; l != NULL; l = l->next)
    g_ptr_array_add (tasks, ls_task_ref (l->data));
  return tasks;
}

guint32
_ls_loop_current_task_id (LsLoop *self)
{
  return _ls_current_task != NULL ? _ls_current_task->base.id : 0;
}

/* ---- blocking (time.sleep) -------------------------------------------- */

void
_ls_loop_block (LsLoop *self,
                LsTask *task,
                gint64  duration_ns)
{
  guint32 task_id = task != NULL ? task->base.id : 0;

  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_BLOCKED_BEGIN, 0, task_id, 0, 0,
                   self->now + duration_ns);
  if (self->speed <= 0 || task == NULL)
    {
      /* Nothing else can run meanwhile, so the clock simply moves. */
      self->now += duration_ns;
      ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_BLOCKED_END, 0, task_id, 0, 0, 0);
      return;
    }
  self->blocked_task = task;
  self->blocked_until = self->now + duration_ns;
  task->yield_kind = LS_YIELD_BLOCKING;
  ls_coro_yield ();
}

static gboolean
finish_block_if_due (LsLoop  *self,
                     gboolean force)
{
  LsTask *task = self->blocked_task;

  if (task == NULL)
    return TRUE;
  if (pace_limit (self) < self->blocked_until && !force)
    return FALSE;
  /* time.sleep(d) lasts exactly d: the paced clock only says when the
   * window may see it end */
  self->blocked_task = NULL;
  jump_clock_to (self, self->blocked_until);
  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_BLOCKED_END, 0, task->base.id, 0, 0, 0);
  _ls_task_continue (task);
  return TRUE;
}

/* ---- iterations ------------------------------------------------------- */

static void
run_one_handle (LsLoop *self)
{
  LsReadyItem item = self->ready[self->ready_head];
  gboolean skipped;

  self->ready_head = (self->ready_head + 1) & (self->ready_cap - 1);
  self->ready_len--;
  self->batch_remaining--;

  skipped = item.timer != NULL && item.timer->cancelled;
  ls_trace_append (self->chunks, self->now, LS_TRACE_HANDLE_RUN, item.kind, item.task_id,
                   item.handle_id, item.cause_id, skipped);
  if (!skipped)
    {
      self->cause = item.kind == LS_HANDLE_TASK_STEP || item.kind == LS_HANDLE_TASK_WAKEUP
                    ? 0 : item.cause_id;
      item.func (item.a, item.b);
      self->cause = 0;
    }
  if (item.timer != NULL)
    ls_timer_unref (item.timer);
  if (item.future != NULL)
    ls_future_unref (item.future);
}

/* What CPython's _run_once does before running callbacks. Returns FALSE
 * when there is nothing to run now. */
static gboolean
begin_iteration (LsLoop  *self,
                 gboolean step)
{
  io_deliver (self);

  heap_drop_cancelled (self);
  if (self->ready_len == 0)
    {
      gint64 next = next_deadline (self);

      if (next != G_MAXINT64 && next > self->now)
        {
          /* never past I/O in flight, unless all of it is parked; and,
           * unless stepping, not before the paced clock gets there */
          if (!io_settled (self) || (!step && pace_limit (self) < next))
            return FALSE;
          jump_clock_to (self, next);
        }
    }
  /* a peer's own code, outside the iteration: what it sets off comes back
   * as I/O */
  fire_due_parks (self);

  while (self->heap_len > 0 && self->heap[0]->deadline <= self->now)
    {
      LsTimer *timer = heap_pop (self);
      LsReadyItem *item;

      if (!timer->cancelled)
        ls_trace_append (self->chunks, self->now, LS_TRACE_TIMER_FIRE, 0, 0, timer->id,
                         self->next_handle_id + 1, 0);
      _ls_loop_push_ready (self, LS_HANDLE_TIMER, timer_handle_run, timer, NULL, NULL, 0,
                           timer->id);
      item = &self->ready[(self->ready_head + self->ready_len - 1) & (self->ready_cap - 1)];
      item->timer = timer; /* the heap's reference moves to the handle */
    }

  if (self->ready_len == 0)
    return FALSE;

  self->iteration++;
  self->in_iteration = TRUE;
  self->batch_remaining = self->ready_len;
  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0,
                   self->ready_len, 0, self->iteration);
  return TRUE;
}

static void
end_iteration (LsLoop *self)
{
  self->in_iteration = FALSE;
  ls_trace_append (self->chunks, self->now, LS_TRACE_LOOP_ITERATION_END, 0, 0, 0, 0,
                   self->iteration);
}

/* Wall-clock microseconds until the paced clock reaches @when (0: it has). */
static gint64
wall_us_until (LsLoop *self,
               gint64  when)
{
  gint64 left = when - pace_limit (self); /* one reading of the clock */

  if (left <= 0)
    return 0;
  return MAX ((gint64) ceil ((double) left / 1000.0 / self->speed), 1);
}

/* 0: work is ready now; -1: nothing will happen by itself (only I/O, a
 * resume or a step can move the run on); otherwise the wall-clock
 * microseconds until the paced clock reaches the next deadline. */
static gint64
time_until_work (LsLoop *self)
{
  gint64 next;

  if (self->paused || self->stopped)
    return -1;
  if (self->blocked_task != NULL)
    return wall_us_until (self, self->blocked_until);
  if (self->in_iteration || self->ready_len > 0)
    return 0;
  if (self->io_done->len > 0 && io_settled (self))
    return 0;
  if (!io_settled (self))
    return -1; /* the virtual clock never jumps past I/O in flight */
  heap_drop_cancelled (self);
  next = next_deadline (self);
  if (next == G_MAXINT64)
    return -1;
  if (next <= self->now || self->speed <= 0)
    return 0;
  return wall_us_until (self, next);
}

gboolean
ls_loop_has_work (LsLoop *self)
{
  heap_drop_cancelled (self);
  return self->blocked_task != NULL || self->in_iteration || self->ready_len > 0
         || self->io_done->len > 0 || self->heap_len > 0 || self->io_in_flight > 0
         || self->parks->len > 0;
}

/* Run handles until the time budget ends or nothing is ready. */
static void
loop_run_handles (LsLoop  *self,
                  gint64   budget_end_us,
                  gboolean single_iteration)
{
  guint count = 0;

  _ls_set_running_loop (self);
  if (!self->clock_started)
    {
      self->clock_started = TRUE;
      self->pace_base_us = g_get_monotonic_time ();
    }
  for (;;)
    {
      if (self->blocked_task != NULL && !finish_block_if_due (self, single_iteration))
        return;

      if (!self->in_iteration)
        {
          if (!begin_iteration (self, single_iteration))
            return;
        }

      while (self->batch_remaining > 0)
        {
          run_one_handle (self);
          if (self->blocked_task != NULL)
            break;
          /* Reading the clock costs as much as a switch: the budget is
           * checked every 32 handles. */
          if ((++count & 31) == 0 && !single_iteration && budget_end_us > 0
              && g_get_monotonic_time () > budget_end_us)
            return;
        }
      if (self->blocked_task != NULL)
        continue;

      end_iteration (self);
      if (self->stopping)
        {
          /* run_forever's `if self._stopping: break`, after _run_once;
           * a runner may go on with a next future to run until */
          self->stopping = FALSE;
          self->n_stops++;
          if (self->stop_func != NULL)
            self->stop_func (self, self->stop_data);
          if (self->stop_when_done == NULL || ls_future_is_done (self->stop_when_done))
            {
              self->stopped = TRUE;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPED]);
            }
          return;
        }
      if (single_iteration)
        return;
      if (budget_end_us > 0 && g_get_monotonic_time () > budget_end_us)
        return;
      if (self->paused || time_until_work (self) != 0)
        return;
    }
}

gboolean
ls_loop_step (LsLoop *self)
{
  guint64 before;
  gboolean was_in_iteration;

  g_return_val_if_fail (LS_IS_LOOP (self), FALSE);
  g_return_val_if_fail (_ls_current_task == NULL, FALSE);

  if (self->stopped || self->closed)
    return FALSE;

  /* A step that begins mid-batch (the GSource ran out of budget) only
   * finishes that batch; it does not start the next one as well. */
  before = self->iteration;
  was_in_iteration = self->in_iteration;
  loop_run_handles (self, 0, TRUE);
  /* a step may jump ahead of the paced clock: pacing resumes from there */
  if (self->pace_base < self->now)
    self->pace_base = self->now;
  self->pace_base_us = g_get_monotonic_time ();
  ls_trace_flush (self->trace);
  return was_in_iteration || self->iteration != before;
}

/* ---- the GSource ------------------------------------------------------ */

static gboolean
loop_source_prepare (GSource *source,
                     gint    *timeout)
{
  LsLoop *self = ((LsLoopSource *) source)->loop;
  gint64 wait = time_until_work (self);

  if (wait >= 0 && self->yield_until_us > 0)
    {
      gint64 left = self->yield_until_us - g_get_monotonic_time ();

      if (left > 0)
        wait = MAX (wait, left);
      else
        self->yield_until_us = 0;
    }
  if (wait == 0)
    {
      *timeout = 0;
      return TRUE;
    }
  if (wait < 0)
    *timeout = -1;
  else
    *timeout = (gint) MIN ((wait + 999) / 1000, G_MAXINT);
  return FALSE;
}

static gboolean
loop_source_check (GSource *source)
{
  LsLoop *self = ((LsLoopSource *) source)->loop;

  if (self->yield_until_us > 0 && g_get_monotonic_time () < self->yield_until_us)
    return FALSE;
  return time_until_work (self) == 0;
}

static gboolean
loop_source_dispatch (GSource    *source,
                      GSourceFunc callback,
                      gpointer    user_data)
{
  LsLoop *self = ((LsLoopSource *) source)->loop;
  gint64 end = g_get_monotonic_time () + DISPATCH_BUDGET_US;

  self->yield_until_us = 0;
  loop_run_handles (self, end, FALSE);
  ls_trace_flush (self->trace);
  /* out of budget with work left: let the window have the main loop */
  if (g_get_monotonic_time () >= end && time_until_work (self) == 0)
    self->yield_until_us = g_get_monotonic_time () + YIELD_US;
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs loop_source_funcs = {
  loop_source_prepare,
  loop_source_check,
  loop_source_dispatch,
  NULL, NULL, NULL,
};

void
ls_loop_stop (LsLoop *self)
{
  g_return_if_fail (LS_IS_LOOP (self));
  self->stopping = TRUE;
}

void
_ls_loop_set_stop_func (LsLoop        *self,
                        LsLoopStopFunc func,
                        gpointer       data)
{
  self->stop_func = func;
  self->stop_data = data;
}

/* _run_until_complete_cb: a done callback, so it runs in the iteration
 * after the one in which the future completed, with whatever else that
 * iteration queued (the last step's call_soon, the wake-ups it caused, the
 * future's own later done callbacks) */
static void
run_until_complete_cb (LsFuture *future,
                       gpointer  data)
{
  LsLoop *self = data;

  /* one queued before the loop moved on to another future is spent */
  if (future == self->stop_when_done)
    ls_loop_stop (self);
}

/**
 * ls_loop_set_stop_future:
 * @future: (nullable): what the loop runs until
 *
 * The loop stops by itself, as run_until_complete () does, once @future is
 * done: a done callback stops it where the next iteration ends, and from
 * then on nothing runs (LsLoop:stopped) until another future is set. A
 * window driving the loop through its GSource and the command line waiting
 * in ls_loop_run_until_complete () thus stop at the same record.
 */
void
ls_loop_set_stop_future (LsLoop   *self,
                         LsFuture *future)
{
  g_return_if_fail (LS_IS_LOOP (self));

  if (future != NULL)
    ls_future_ref (future);
  if (self->stop_when_done != NULL)
    ls_future_remove_done_callback (self->stop_when_done, run_until_complete_cb, self);
  g_clear_pointer (&self->stop_when_done, ls_future_unref);
  self->stop_when_done = future;
  if (future != NULL)
    ls_future_add_done_callback (future, run_until_complete_cb, self);
  if (self->stopped)
    {
      self->stopped = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPED]);
    }
  g_main_context_wakeup (self->context);
}

gboolean
ls_loop_get_stopped (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), FALSE);
  return self->stopped;
}

gboolean
ls_loop_run_until_complete (LsLoop   *self,
                            LsFuture *future,
                            GError  **error)
{
  guint64 stops;

  g_return_val_if_fail (LS_IS_LOOP (self), FALSE);
  g_return_val_if_fail (future != NULL, FALSE);

  if (self->closed)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Event loop is closed");
      return FALSE;
    }
  ls_loop_set_stop_future (self, future);
  stops = self->n_stops;
  while (self->n_stops == stops)
    {
      if (!self->paused && !ls_loop_has_work (self))
        {
          ls_trace_flush (self->trace);
          if (self->stop_when_done == future)
            ls_loop_set_stop_future (self, NULL);
          g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_DEADLOCK,
                               "Nothing is ready, no timer is pending and no I/O is in "
                               "flight: the awaited future can never complete");
          return FALSE;
        }
      g_main_context_iteration (self->context, TRUE);
    }
  if (self->stop_when_done == future)
    ls_loop_set_stop_future (self, NULL);
  ls_trace_flush (self->trace);
  if (!ls_future_is_done (future))
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "Event loop stopped before Future completed.");
      return FALSE;
    }
  return TRUE;
}

/* ---- printing --------------------------------------------------------- */

void
ls_print_text (const char *text)
{
  LsLoop *loop = ls_loop_current ();

  g_return_if_fail (loop != NULL);
  ls_trace_append (loop->chunks, loop->now, LS_TRACE_PRINT, 0, _ls_loop_current_task_id (loop),
                   0, ls_trace_intern (loop->trace, text), 0);
}

void
ls_source_line (int line)
{
  LsLoop *loop = ls_loop_current ();

  g_return_if_fail (loop != NULL);
  ls_trace_append (loop->chunks, loop->now, LS_TRACE_SOURCE_LINE, 0,
                   _ls_loop_current_task_id (loop), 0, 0, line);
}

void
ls_print (const char *format,
          ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  ls_print_text (text);
}

/* ---- live state, for the tests that check the trace is complete ------- */

static int
timer_entry_compare (gconstpointer a,
                     gconstpointer b)
{
  const LsTimerEntry *ta = a, *tb = b;

  if (ta->deadline != tb->deadline)
    return ta->deadline < tb->deadline ? -1 : 1;
  return ta->timer_id < tb->timer_id ? -1 : ta->timer_id > tb->timer_id;
}

void
_ls_loop_snapshot (LsLoop       *self,
                   LsTraceState *state)
{
  ls_trace_state_reset (state);
  for (guint i = 0; i < self->ready_len; i++)
    {
      const LsReadyItem *item = &self->ready[(self->ready_head + i) & (self->ready_cap - 1)];
      LsReadyEntry e = { item->handle_id, item->kind, item->task_id, item->cause_id };

      g_array_append_val (state->ready, e);
    }
  for (guint i = 0; i < self->heap_len; i++)
    {
      const LsTimer *t = self->heap[i];
      LsTimerEntry e = { t->id, t->deadline, 0, 0, 0 };

      if (!t->cancelled)
        g_array_append_val (state->timers, e);
    }
  g_array_sort (state->timers, timer_entry_compare);
  state->iteration = self->iteration;
  state->in_iteration = self->in_iteration;
  state->blocked_task = self->blocked_task != NULL ? self->blocked_task->base.id : 0;
  state->time = self->now;
}

/* ---- closing ---------------------------------------------------------- */

/* Cancellation rounds, and loop iterations per round, before the tasks
 * still pending are abandoned. */
#define CLOSE_ROUNDS     4
#define CLOSE_ITERATIONS 10000

/* What was scheduled goes without running. */
static void
drop_pending_work (LsLoop *self)
{
  while (self->ready_len > 0)
    {
      LsReadyItem *item = &self->ready[self->ready_head];

      self->ready_head = (self->ready_head + 1) & (self->ready_cap - 1);
      self->ready_len--;
      if (item->timer != NULL)
        ls_timer_unref (item->timer);
      if (item->future != NULL)
        ls_future_unref (item->future);
    }
  while (self->heap_len > 0)
    ls_timer_unref (self->heap[--self->heap_len]);
  if (self->stop_when_done != NULL)
    ls_future_remove_done_callback (self->stop_when_done, run_until_complete_cb, self);
  self->heap_cancelled = 0;
  g_clear_pointer (&self->stop_when_done, ls_future_unref);
  while (self->parks->len > 0)
    {
      IoPark *park = park_take (self, self->parks->len - 1);

      park->func (park->data, FALSE);
      g_free (park);
    }
  self->in_iteration = FALSE;
  self->batch_remaining = 0;
}

/* Tasks to unwind, or what their unwinding queued (finished I/O, done
 * callbacks), which holds references until it runs. */
static gboolean
close_has_work (LsLoop *self)
{
  return self->all_tasks.head != NULL || self->ready_len > 0 || self->io_done->len > 0
         || self->in_iteration || self->blocked_task != NULL;
}

/* What asyncio.run () does when its main coroutine is over, for a run that
 * is over or abandoned mid-way: every pending task is cancelled and the
 * loop runs until they have returned, so their cleanups run and their
 * stacks go back to the pool. It is not part of the run: the trace is
 * sealed first and what follows is recorded in a scratch trace, at once
 * (Instant), so no record or time of the run changes. The effort is
 * bounded (CLOSE_ROUNDS cancellations, CLOSE_ITERATIONS iterations each),
 * and it never waits for the outside world: when nothing can run but I/O
 * is in flight, the next round cancels that too. What is still pending
 * then is abandoned (_ls_tasks_abandon_pending). */
void
ls_loop_close (LsLoop *self)
{
  g_return_if_fail (LS_IS_LOOP (self));
  g_return_if_fail (_ls_current_task == NULL || _ls_current_task == self->blocked_task);

  if (!self->closed)
    {
      self->closed = TRUE;
      if (self->source != NULL)
        {
          g_source_destroy (self->source);
          g_clear_pointer (&self->source, g_source_unref);
        }
      ls_trace_flush (self->trace);
      _ls_trace_seal (self->trace);
      self->scratch = ls_trace_new ();
      self->chunks = _ls_trace_get_chunks (self->scratch);
      self->speed = 0;  /* Instant: a time.sleep in a cleanup takes no wall time */
      self->paused = FALSE;
      self->clock_started = TRUE;
      g_clear_pointer (&self->stop_when_done, ls_future_unref);
    }

  for (guint round = 0; round < CLOSE_ROUNDS; round++)
    {
      if (_ls_tasks_cancel_pending (self) == 0 && !close_has_work (self))
        break;
      for (guint i = 0; i < CLOSE_ITERATIONS && close_has_work (self); i++)
        {
          guint64 before = self->iteration;
          gboolean mid_batch = self->in_iteration || self->blocked_task != NULL;

          loop_run_handles (self, 0, TRUE);
          if (!mid_batch && self->iteration == before)
            break;  /* nothing can run: what is left waits for I/O, or for nothing */
        }
    }
  _ls_tasks_abandon_pending (self);
  self->blocked_task = NULL;
  drop_pending_work (self);
  if (ls_loop_current () == self)
    _ls_set_running_loop (NULL);
}

/* ---- GObject ---------------------------------------------------------- */

static void
ls_loop_dispose (GObject *object)
{
  LsLoop *self = LS_LOOP (object);

  ls_loop_close (self);

  G_OBJECT_CLASS (ls_loop_parent_class)->dispose (object);
}

static void
ls_loop_finalize (GObject *object)
{
  LsLoop *self = LS_LOOP (object);

  /* tasks that outlive their loop no longer belong to its list */
  for (GList *l = self->all_tasks.head; l != NULL; l = l->next)
    l->data = NULL;
  g_free (self->ready);
  g_free (self->heap);
  g_array_unref (self->io_done);
  g_hash_table_unref (self->io_parks);
  g_ptr_array_unref (self->parks);
  g_rand_free (self->rand);
  g_clear_object (&self->trace);
  g_clear_object (&self->scratch);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (ls_loop_parent_class)->finalize (object);
}

static void
ls_loop_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  LsLoop *self = LS_LOOP (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_STOPPED:
      g_value_set_boolean (value, self->stopped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_loop_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  LsLoop *self = LS_LOOP (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      ls_loop_set_speed (self, g_value_get_double (value));
      break;
    case PROP_PAUSED:
      ls_loop_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_loop_class_init (LsLoopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_loop_dispose;
  object_class->finalize = ls_loop_finalize;
  object_class->get_property = ls_loop_get_property;
  object_class->set_property = ls_loop_set_property;

  /* scenario seconds per wall-clock second; 0: Instant (unpaced) */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0.0, LS_LOOP_MAX_SPEED, LS_LOOP_INSTANT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the future set with ls_loop_set_stop_future () is done: nothing runs */
  properties[PROP_STOPPED] =
    g_param_spec_boolean ("stopped", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ls_loop_init (LsLoop *self)
{
  LsLoopSource *source;

  self->trace = ls_trace_new ();
  self->chunks = _ls_trace_get_chunks (self->trace);
  self->io_done = g_array_new (FALSE, TRUE, sizeof (IoDone));
  self->io_parks = g_hash_table_new (NULL, NULL);
  self->parks = g_ptr_array_new ();
  self->speed = LS_LOOP_INSTANT;
  self->pace_base_us = g_get_monotonic_time ();
  self->rand = g_rand_new_with_seed (0);
  self->context = g_main_context_ref_thread_default ();
  ready_grow (self);

  self->source = g_source_new (&loop_source_funcs, sizeof (LsLoopSource));
  source = (LsLoopSource *) self->source;
  source->loop = self;
  g_source_set_priority (self->source, LOOP_SOURCE_PRIORITY);
  g_source_set_static_name (self->source, "[loopscope] event loop");
  g_source_attach (self->source, self->context);
}

LsLoop *
ls_loop_new (void)
{
  return g_object_new (LS_TYPE_LOOP, NULL);
}

LsTrace *
ls_loop_get_trace (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), NULL);
  return self->trace;
}
