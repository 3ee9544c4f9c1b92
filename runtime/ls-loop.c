/* SPDX-License-Identifier: MIT
 *
 * The event loop as an object: its trace, its randomness, the tasks it
 * keeps in creation order, printing, the live state the tests compare with
 * the replay, and closing, which unwinds what is still pending. The loop's
 * work is in the files beside it: ls-loop-clock.c (the scenario clock),
 * ls-loop-timers.c (the ready queue and the timers), ls-loop-io.c (I/O and
 * parks) and ls-loop-run.c (iterations, the GSource, stopping).
 */
#include "config.h"

#include "ls-loop-private.h"

G_DEFINE_FINAL_TYPE (LsLoop, ls_loop, G_TYPE_OBJECT)

static GParamSpec *properties[LS_LOOP_N_PROPS];

void
_ls_loop_notify (LsLoop        *self,
                 LsLoopProperty prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
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
/* ---- tasks bookkeeping ----------------------------------------------- */

guint
_ls_loop_next_task_number (LsLoop *self)
{
  return ++self->n_tasks_created;
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
    ls_future_remove_done_callback (self->stop_when_done, _ls_loop_run_until_complete_cb, self);
  self->heap_cancelled = 0;
  g_clear_pointer (&self->stop_when_done, ls_future_unref);
  while (self->parks->len > 0)
    {
      IoPark *park = _ls_loop_park_take (self, self->parks->len - 1);

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

          _ls_loop_run_handles (self, 0, TRUE);
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
    case LS_LOOP_PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case LS_LOOP_PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case LS_LOOP_PROP_STOPPED:
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
    case LS_LOOP_PROP_SPEED:
      ls_loop_set_speed (self, g_value_get_double (value));
      break;
    case LS_LOOP_PROP_PAUSED:
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
  properties[LS_LOOP_PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0.0, LS_LOOP_MAX_SPEED, LS_LOOP_INSTANT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[LS_LOOP_PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the future set with ls_loop_set_stop_future () is done: nothing runs */
  properties[LS_LOOP_PROP_STOPPED] =
    g_param_spec_boolean ("stopped", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, LS_LOOP_N_PROPS, properties);
}

static void
ls_loop_init (LsLoop *self)
{
  self->trace = ls_trace_new ();
  self->chunks = _ls_trace_get_chunks (self->trace);
  self->io_done = g_array_new (FALSE, TRUE, sizeof (IoDone));
  self->io_parks = g_hash_table_new (NULL, NULL);
  self->parks = g_ptr_array_new ();
  self->speed = LS_LOOP_INSTANT;
  self->pace_base_us = g_get_monotonic_time ();
  self->rand = g_rand_new_with_seed (0);
  self->context = g_main_context_ref_thread_default ();
  _ls_loop_ready_grow (self);
  _ls_loop_attach_source (self);
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
