/* SPDX-License-Identifier: MIT
 *
 * The ready queue (a ring buffer of handles, FIFO) and the timer heap,
 * ordered by (deadline, scheduling order), with the Handle objects that
 * call_soon and call_later give out: a call_soon handle is a timer that
 * never enters the heap. Cancelled timers stay in the heap until they reach
 * its head, or until they are more than half of a large heap, as in CPython.
 */
#include "config.h"

#include "ls-loop-private.h"

/* ---- the ready queue -------------------------------------------------- */

void
_ls_loop_ready_grow (LsLoop *self)
{
  guint new_cap = MAX (64, self->ready_cap * 2);
  LsReadyItem *items = g_new (LsReadyItem, new_cap);
  guint first = MIN (self->ready_len, self->ready_cap - self->ready_head);

  /* the ring's two runs, from the head to the end and then from 0 */
  for (guint i = 0; i < first; i++)
    items[i] = self->ready[self->ready_head + i];
  for (guint i = first; i < self->ready_len; i++)
    items[i] = self->ready[i - first];
  g_free (self->ready);
  self->ready = items;
  self->ready_cap = new_cap;
  self->ready_head = 0;
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

void
_ls_loop_timer_handle_run (gpointer a,
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

LsTimer *
_ls_loop_heap_pop (LsLoop *self)
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
void
_ls_loop_heap_drop_cancelled (LsLoop *self)
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
    ls_timer_unref (_ls_loop_heap_pop (self));
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
  _ls_loop_push_ready (self, LS_HANDLE_CALLBACK, _ls_loop_timer_handle_run, timer, NULL, NULL, 0,
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
