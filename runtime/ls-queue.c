/* SPDX-License-Identifier: MIT
 *
 * Queue, PriorityQueue and LifoQueue, transcribed from CPython 3.11's
 * asyncio/queues.py. Unlike the locks, a queue's waker pops the waiter it
 * wakes (_wakeup_next), and drops the cancelled ones it meets on the way;
 * a waiter that fails removes itself only if it is still listed.
 *
 * The three kinds differ only in _put/_get: a FIFO ring buffer, a stack,
 * and a binary heap ordered by (priority, insertion number), which is what
 * heapq does with (priority, count, item) tuples.
 */
#include "config.h"

#include "ls-queue.h"

#include "ls-error.h"
#include "ls-primitives-private.h"

typedef struct
{
  GVariant *item;      /* owned */
  gint      priority;
  guint64   seq;
} QueueItem;

struct _LsQueue
{
  LsPrimitive   base;
  gint          maxsize;
  QueueItem    *items;     /* FIFO: ring buffer from head; LIFO and priority: head stays 0 */
  guint         head;
  guint         len;
  guint         cap;       /* a power of two */
  guint64       seq;
  guint         unfinished;
  LsWaiterQueue getters;
  LsWaiterQueue putters;
  LsEvent      *finished;  /* set while no task is unfinished: what join() waits on */
};

static inline QueueItem *
item_at (LsQueue *self,
         guint    i)
{
  return &self->items[(self->head + i) & (self->cap - 1)];
}

static void
queue_finalize (LsPrimitive *base)
{
  LsQueue *self = (LsQueue *) base;

  for (guint i = 0; i < self->len; i++)
    g_variant_unref (item_at (self, i)->item);
  g_free (self->items);
  _ls_waiters_clear (&self->getters);
  _ls_waiters_clear (&self->putters);
  ls_event_unref (self->finished);
}

static void
queue_snapshot (LsPrimitive      *base,
                LsPrimitiveEntry *entry)
{
  LsQueue *self = (LsQueue *) base;

  entry->value = self->len;
  entry->unfinished = self->unfinished;
  _ls_waiters_snapshot (&self->getters, entry->waiters);
  _ls_waiters_snapshot (&self->putters, entry->putters);
}

static LsQueue *
queue_new (LsLoop      *loop,
           const char  *name,
           gint         maxsize,
           LsObjectKind kind)
{
  LsQueue *self;

  if (loop == NULL)
    loop = ls_loop_current ();
  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);

  self = g_new0 (LsQueue, 1);
  _ls_primitive_init (&self->base, loop, kind, LS_WAIT_QUEUE_GET, name, maxsize);
  self->base.finalize = queue_finalize;
  self->base.snapshot = queue_snapshot;
  self->maxsize = maxsize;
  self->finished = _ls_event_new_part (&self->base, ":finished", LS_WAIT_QUEUE_JOIN);
  ls_event_set (self->finished);
  return self;
}

LsQueue *
ls_queue_new (LsLoop     *loop,
              const char *name,
              gint        maxsize)
{
  return queue_new (loop, name, maxsize, LS_OBJECT_QUEUE);
}

LsQueue *
ls_priority_queue_new (LsLoop     *loop,
                       const char *name,
                       gint        maxsize)
{
  return queue_new (loop, name, maxsize, LS_OBJECT_PRIORITY_QUEUE);
}

LsQueue *
ls_lifo_queue_new (LsLoop     *loop,
                   const char *name,
                   gint        maxsize)
{
  return queue_new (loop, name, maxsize, LS_OBJECT_LIFO_QUEUE);
}

LsQueue *
ls_queue_ref (LsQueue *self)
{
  return _ls_primitive_ref (self);
}

void
ls_queue_unref (LsQueue *self)
{
  _ls_primitive_unref (self);
}

gint
ls_queue_get_maxsize (LsQueue *self)
{
  return self->maxsize;
}

guint
ls_queue_qsize (LsQueue *self)
{
  return self->len;
}

gboolean
ls_queue_empty (LsQueue *self)
{
  return self->len == 0;
}

gboolean
ls_queue_full (LsQueue *self)
{
  return self->maxsize > 0 && self->len >= (guint) self->maxsize;
}

guint
ls_queue_get_unfinished_tasks (LsQueue *self)
{
  return self->unfinished;
}

/* ---- _put / _get ------------------------------------------------------ */

static gboolean
heap_before (const QueueItem *a,
             const QueueItem *b)
{
  return a->priority < b->priority || (a->priority == b->priority && a->seq < b->seq);
}

static void
items_grow (LsQueue *self)
{
  guint cap = MAX (16, self->cap * 2);
  QueueItem *items = g_new (QueueItem, cap);

  for (guint i = 0; i < self->len; i++)
    items[i] = *item_at (self, i);
  g_free (self->items);
  self->items = items;
  self->cap = cap;
  self->head = 0;
}

/* Takes @item. */
static void
queue_put_item (LsQueue  *self,
                gint      priority,
                GVariant *item)
{
  QueueItem *slot;

  if (self->len == self->cap)
    items_grow (self);
  slot = item_at (self, self->len++);
  slot->item = item;
  slot->priority = priority;
  slot->seq = self->seq++;

  if (self->base.kind == LS_OBJECT_PRIORITY_QUEUE)
    {
      /* heappush: sift up (head is 0, so the ring is a plain array) */
      QueueItem *heap = self->items;
      QueueItem x = heap[self->len - 1];
      guint i = self->len - 1;

      while (i > 0)
        {
          guint parent = (i - 1) / 2;

          if (!heap_before (&x, &heap[parent]))
            break;
          heap[i] = heap[parent];
          i = parent;
        }
      heap[i] = x;
    }
}

static GVariant *
queue_get_item (LsQueue *self,
                gint    *priority)
{
  QueueItem x;

  switch ((LsObjectKind) self->base.kind)
    {
    case LS_OBJECT_LIFO_QUEUE:
      x = *item_at (self, --self->len);
      break;

    case LS_OBJECT_PRIORITY_QUEUE:
      {
        QueueItem *heap = self->items;
        QueueItem last;
        guint i = 0;

        x = heap[0];
        last = heap[--self->len];
        if (self->len > 0)
          {
            for (;;)
              {
                guint child = 2 * i + 1;

                if (child >= self->len)
                  break;
                if (child + 1 < self->len && heap_before (&heap[child + 1], &heap[child]))
                  child++;
                if (!heap_before (&heap[child], &last))
                  break;
                heap[i] = heap[child];
                i = child;
              }
            heap[i] = last;
          }
      }
      break;

    case LS_OBJECT_QUEUE:
    default:
      x = *item_at (self, 0);
      self->head = (self->head + 1) & (self->cap - 1);
      self->len--;
      break;
    }
  if (priority != NULL)
    *priority = x.priority;
  return x.item;
}

/* ---- waking ----------------------------------------------------------- */

/* Queue._wakeup_next: pop waiters until one is not done (cancelled ones are
 * dropped) and wake it. */
static void
queue_wakeup_next (LsQueue       *self,
                   LsWaiterQueue *waiters)
{
  while (waiters->len > 0)
    {
      LsWaiter w = _ls_waiters_pop_head (waiters);

      if (!ls_future_is_done (w.future))
        {
          _ls_waiter_wake (&self->base, &w, self->len);
          ls_future_unref (w.future);
          break;
        }
      _ls_primitive_trace (&self->base, LS_PRIMITIVE_WAIT_END, w.task_id,
                           _ls_primitive_me (&self->base), self->len);
      ls_future_unref (w.future);
    }
}

/* The `except:` of put and get: the waiter failed (its task was
 * cancelled). If it had been woken already (popped, not cancelled) but can
 * no longer use the slot or item, the next one in line gets the wake-up. */
static void
queue_waiter_failed (LsQueue       *self,
                     LsWaiterQueue *waiters,
                     LsFuture      *fut,
                     gboolean       can_proceed)
{
  ls_future_cancel (fut, NULL); /* just in case it is not done yet */
  if (_ls_waiters_remove (waiters, fut))
    _ls_primitive_trace (&self->base, LS_PRIMITIVE_WAIT_END, _ls_primitive_me (&self->base), 0,
                         self->len);
  if (can_proceed && !ls_future_is_cancelled (fut))
    queue_wakeup_next (self, waiters);
}

/* ---- put -------------------------------------------------------------- */

/* g_variant_ref_sink, without its lock when there is nothing to sink: the
 * lock costs more than the rest of a put. */
static GVariant *
take_item (GVariant *item)
{
  return g_variant_is_floating (item) ? g_variant_ref_sink (item) : g_variant_ref (item);
}

/* Takes @item. */
static gboolean
queue_put_nowait (LsQueue  *self,
                  gint      priority,
                  GVariant *item,
                  GError  **error)
{
  if (ls_queue_full (self))
    {
      g_variant_unref (item);
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_QUEUE_FULL, "");
      return FALSE;
    }
  queue_put_item (self, priority, item);
  self->unfinished++;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_PUT, _ls_primitive_me (&self->base), 0,
                       self->len);
  ls_event_clear (self->finished);
  queue_wakeup_next (self, &self->getters);
  return TRUE;
}

/* Takes @item. */
static gboolean
queue_put (LsQueue  *self,
           gint      priority,
           GVariant *item,
           GError  **error)
{
  while (ls_queue_full (self))
    {
      g_autoptr(LsFuture) putter = NULL;
      g_autoptr(GVariant) ignored = NULL;
      GError *local_error = NULL;

      if (!_ls_primitive_check_task ("ls_queue_put", error))
        {
          g_variant_unref (item);
          return FALSE;
        }
      ls_queue_ref (self);
      putter = _ls_waiters_append (&self->putters, &self->base, LS_PRIMITIVE_PUT_WAIT_BEGIN);
      ignored = ls_future_await (putter, &local_error);
      if (local_error != NULL)
        {
          queue_waiter_failed (self, &self->putters, putter, !ls_queue_full (self));
          g_variant_unref (item);
          g_propagate_error (error, local_error);
          ls_queue_unref (self);
          return FALSE;
        }
      ls_queue_unref (self);
    }
  return queue_put_nowait (self, priority, item, error);
}

gboolean
ls_queue_put (LsQueue  *self,
              GVariant *item,
              GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  return queue_put (self, 0, take_item (item), error);
}

gboolean
ls_queue_put_nowait (LsQueue  *self,
                     GVariant *item,
                     GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  return queue_put_nowait (self, 0, take_item (item), error);
}

gboolean
ls_priority_queue_put (LsQueue  *self,
                       gint      priority,
                       GVariant *item,
                       GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  return queue_put (self, priority, take_item (item), error);
}

gboolean
ls_priority_queue_put_nowait (LsQueue  *self,
                              gint      priority,
                              GVariant *item,
                              GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  return queue_put_nowait (self, priority, take_item (item), error);
}

/* ---- get -------------------------------------------------------------- */

GVariant *
ls_priority_queue_get_nowait (LsQueue *self,
                              gint    *priority,
                              GError **error)
{
  GVariant *item;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->len == 0)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_QUEUE_EMPTY, "");
      return NULL;
    }
  item = queue_get_item (self, priority);
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_GET, _ls_primitive_me (&self->base), 0,
                       self->len);
  queue_wakeup_next (self, &self->putters);
  return item;
}

GVariant *
ls_priority_queue_get (LsQueue *self,
                       gint    *priority,
                       GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  while (self->len == 0)
    {
      g_autoptr(LsFuture) getter = NULL;
      g_autoptr(GVariant) ignored = NULL;
      GError *local_error = NULL;

      if (!_ls_primitive_check_task ("ls_queue_get", error))
        return NULL;
      ls_queue_ref (self);
      getter = _ls_waiters_append (&self->getters, &self->base, LS_PRIMITIVE_WAIT_BEGIN);
      ignored = ls_future_await (getter, &local_error);
      if (local_error != NULL)
        {
          queue_waiter_failed (self, &self->getters, getter, self->len > 0);
          g_propagate_error (error, local_error);
          ls_queue_unref (self);
          return NULL;
        }
      ls_queue_unref (self);
    }
  return ls_priority_queue_get_nowait (self, priority, error);
}

GVariant *
ls_queue_get (LsQueue *self,
              GError **error)
{
  return ls_priority_queue_get (self, NULL, error);
}

GVariant *
ls_queue_get_nowait (LsQueue *self,
                     GError **error)
{
  return ls_priority_queue_get_nowait (self, NULL, error);
}

/* ---- task_done / join ------------------------------------------------- */

gboolean
ls_queue_task_done (LsQueue *self,
                    GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->unfinished == 0)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE,
                           "task_done() called too many times");
      return FALSE;
    }
  self->unfinished--;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_TASK_DONE, _ls_primitive_me (&self->base), 0,
                       self->unfinished);
  if (self->unfinished == 0)
    ls_event_set (self->finished);
  return TRUE;
}

gboolean
ls_queue_join (LsQueue *self,
               GError **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);

  _ls_primitive_trace (&self->base, LS_PRIMITIVE_JOIN, _ls_primitive_me (&self->base), 0,
                       self->unfinished);
  if (self->unfinished > 0)
    {
      ls_queue_ref (self);
      ok = ls_event_wait (self->finished, error);
      ls_queue_unref (self);
    }
  return ok;
}
