/* SPDX-License-Identifier: MIT
 *
 * Queue, PriorityQueue and LifoQueue, transcribed from CPython 3.11's
 * asyncio/queues.py. Unlike the locks, a queue's waker pops the waiter it
 * wakes (_wakeup_next), and drops the cancelled ones it meets on the way;
 * a waiter that fails removes itself only if it is still listed.
 *
 * The three kinds differ only in _put/_get: a FIFO ring buffer, a stack,
 * and a binary heap of the items themselves, pushed and popped with
 * heapq's own algorithm (its pop sifts to a leaf, then back up), so items
 * that compare equal come out in the same order as in CPython: nothing but
 * the items' own order breaks ties, and heapq is not stable.
 */
#include "config.h"

#include "ls-queue.h"

#include "ls-error.h"
#include "ls-primitives-private.h"

typedef struct
{
  GVariant *item;      /* owned */
} QueueItem;

struct _LsQueue
{
  LsPrimitive   base;
  gint          maxsize;
  QueueItem    *items;     /* FIFO: ring buffer from head; LIFO and priority: head stays 0 */
  guint         head;
  guint         len;
  guint         cap;       /* a power of two */
  guint         unfinished;
  GCompareDataFunc compare;  /* a PriorityQueue's `<`: compare (a, b) < 0 */
  gpointer      compare_data;
  GDestroyNotify compare_data_destroy;
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
  if (self->compare_data_destroy != NULL)
    self->compare_data_destroy (self->compare_data);
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
ls_priority_queue_new_full (LsLoop          *loop,
                            const char      *name,
                            gint             maxsize,
                            GCompareDataFunc compare,
                            gpointer         compare_data,
                            GDestroyNotify   compare_data_destroy)
{
  LsQueue *self;

  g_return_val_if_fail (compare != NULL, NULL);

  self = queue_new (loop, name, maxsize, LS_OBJECT_PRIORITY_QUEUE);
  if (self == NULL)
    return NULL;
  self->compare = compare;
  self->compare_data = compare_data;
  self->compare_data_destroy = compare_data_destroy;
  return self;
}

LsQueue *
ls_priority_queue_new (LsLoop     *loop,
                       const char *name,
                       gint        maxsize)
{
  return ls_priority_queue_new_full (loop, name, maxsize, ls_priority_queue_compare_items,
                                     NULL, NULL);
}

/* The rank of a value's type when Python would refuse to compare it with
 * another (TypeError): numbers, then strings, then tuples, then the rest. */
static int
type_rank (GVariant *v)
{
  const GVariantType *type = g_variant_get_type (v);

  if (g_variant_type_is_basic (type) && !g_variant_type_is_subtype_of (type, G_VARIANT_TYPE_STRING)
      && !g_variant_type_equal (type, G_VARIANT_TYPE_OBJECT_PATH)
      && !g_variant_type_equal (type, G_VARIANT_TYPE_SIGNATURE))
    return 0;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING)
      || g_variant_is_of_type (v, G_VARIANT_TYPE_OBJECT_PATH)
      || g_variant_is_of_type (v, G_VARIANT_TYPE_SIGNATURE))
    return 1;
  if (g_variant_is_container (v) && !g_variant_is_of_type (v, G_VARIANT_TYPE_VARIANT))
    return 2;
  return 3;
}

static double
number_value (GVariant *v)
{
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_BOOLEAN: return g_variant_get_boolean (v);
    case G_VARIANT_CLASS_BYTE:    return g_variant_get_byte (v);
    case G_VARIANT_CLASS_INT16:   return g_variant_get_int16 (v);
    case G_VARIANT_CLASS_UINT16:  return g_variant_get_uint16 (v);
    case G_VARIANT_CLASS_INT32:   return g_variant_get_int32 (v);
    case G_VARIANT_CLASS_UINT32:  return g_variant_get_uint32 (v);
    case G_VARIANT_CLASS_HANDLE:  return g_variant_get_handle (v);
    case G_VARIANT_CLASS_INT64:   return (double) g_variant_get_int64 (v);
    case G_VARIANT_CLASS_UINT64:  return (double) g_variant_get_uint64 (v);
    case G_VARIANT_CLASS_DOUBLE:  return g_variant_get_double (v);
    default:                      return 0;
    }
}

/* Python's ordering of the values GVariants stand for: numbers by value,
 * strings by code point (UTF-8 byte order is the same), tuples and arrays
 * element by element, a prefix first. */
int
ls_priority_queue_compare_items (gconstpointer a,
                                 gconstpointer b,
                                 gpointer      unused)
{
  GVariant *va = (GVariant *) a, *vb = (GVariant *) b;
  int ra, rb;

  if (g_variant_is_of_type (va, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (va);
      return ls_priority_queue_compare_items (inner, vb, NULL);
    }
  if (g_variant_is_of_type (vb, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (vb);
      return ls_priority_queue_compare_items (va, inner, NULL);
    }
  ra = type_rank (va);
  rb = type_rank (vb);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  switch (ra)
    {
    case 0:
      {
        GVariantClass ca = g_variant_classify (va), cb = g_variant_classify (vb);

        /* exact for the 64-bit integers a double cannot hold */
        if (ca == G_VARIANT_CLASS_INT64 && cb == G_VARIANT_CLASS_INT64)
          {
            gint64 x = g_variant_get_int64 (va), y = g_variant_get_int64 (vb);
            return x < y ? -1 : x > y;
          }
        {
          double x = number_value (va), y = number_value (vb);
          return x < y ? -1 : x > y;
        }
      }
    case 1:
      {
        int c = strcmp (g_variant_get_string (va, NULL), g_variant_get_string (vb, NULL));
        return c < 0 ? -1 : c > 0;
      }
    case 2:
      {
        gsize na = g_variant_n_children (va), nb = g_variant_n_children (vb);

        for (gsize i = 0; i < na && i < nb; i++)
          {
            g_autoptr(GVariant) ca = g_variant_get_child_value (va, i);
            g_autoptr(GVariant) cb = g_variant_get_child_value (vb, i);
            int c = ls_priority_queue_compare_items (ca, cb, NULL);

            if (c != 0)
              return c;
          }
        return na < nb ? -1 : na > nb;
      }
    default:
      return g_variant_compare (va, vb);
    }
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

/* `a < b`, the only comparison heapq makes */
static inline gboolean
heap_less (LsQueue         *self,
           const QueueItem *a,
           const QueueItem *b)
{
  return self->compare (a->item, b->item, self->compare_data) < 0;
}

/* heapq._siftdown: move the item at @pos up towards @start */
static void
heap_siftdown (LsQueue *self,
               guint    start,
               guint    pos)
{
  QueueItem *heap = self->items;
  QueueItem item = heap[pos];

  while (pos > start)
    {
      guint parent = (pos - 1) >> 1;

      if (!heap_less (self, &item, &heap[parent]))
        break;
      heap[pos] = heap[parent];
      pos = parent;
    }
  heap[pos] = item;
}

/* heapq._siftup: bubble the smaller child up all the way to a leaf, then
 * sift the item back up from there */
static void
heap_siftup (LsQueue *self,
             guint    pos)
{
  QueueItem *heap = self->items;
  guint end = self->len, start = pos;
  QueueItem item = heap[pos];
  guint child = 2 * pos + 1;

  while (child < end)
    {
      guint right = child + 1;

      if (right < end && !heap_less (self, &heap[child], &heap[right]))
        child = right;
      heap[pos] = heap[child];
      pos = child;
      child = 2 * pos + 1;
    }
  heap[pos] = item;
  heap_siftdown (self, start, pos);
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
                GVariant *item)
{
  if (self->len == self->cap)
    items_grow (self);
  item_at (self, self->len++)->item = item;

  /* heappush (head is 0, so the ring is a plain array) */
  if (self->base.kind == LS_OBJECT_PRIORITY_QUEUE)
    heap_siftdown (self, 0, self->len - 1);
}

static GVariant *
queue_get_item (LsQueue *self)
{
  QueueItem x;

  switch ((LsObjectKind) self->base.kind)
    {
    case LS_OBJECT_LIFO_QUEUE:
      x = *item_at (self, --self->len);
      break;

    case LS_OBJECT_PRIORITY_QUEUE:
      {
        /* heappop */
        QueueItem last = self->items[--self->len];

        if (self->len > 0)
          {
            x = self->items[0];
            self->items[0] = last;
            heap_siftup (self, 0);
          }
        else
          x = last;
      }
      break;

    case LS_OBJECT_QUEUE:
    default:
      x = *item_at (self, 0);
      self->head = (self->head + 1) & (self->cap - 1);
      self->len--;
      break;
    }
  return x.item;
}

/* ---- waking ----------------------------------------------------------- */

/* Queue._wakeup_next: pop waiters until one is not done (cancelled ones are
 * dropped) and wake it. */
static void
queue_wakeup_next_waiter (LsQueue       *self,
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

/* Most puts and gets find nobody waiting on the other side. */
static inline void
queue_wakeup_next (LsQueue       *self,
                   LsWaiterQueue *waiters)
{
  if (waiters->len > 0)
    queue_wakeup_next_waiter (self, waiters);
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
                  GVariant *item,
                  GError  **error)
{
  guint was_unfinished;

  if (ls_queue_full (self))
    {
      g_variant_unref (item);
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_QUEUE_FULL, "");
      return FALSE;
    }
  queue_put_item (self, item);
  was_unfinished = self->unfinished++;
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_PUT, _ls_primitive_me (&self->base), 0,
                       self->len);
  /* _finished.clear (): the event is set exactly while no task is
   * unfinished, so only the first unfinished one clears it (clearing a
   * clear event does nothing, and records nothing) */
  if (was_unfinished == 0)
    ls_event_clear (self->finished);
  queue_wakeup_next (self, &self->getters);
  return TRUE;
}

/* Takes @item. */
static gboolean
queue_put (LsQueue  *self,
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
  return queue_put_nowait (self, item, error);
}

gboolean
ls_queue_put (LsQueue  *self,
              GVariant *item,
              GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  return queue_put (self, take_item (item), error);
}

gboolean
ls_queue_put_nowait (LsQueue  *self,
                     GVariant *item,
                     GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  return queue_put_nowait (self, take_item (item), error);
}

/* ---- get -------------------------------------------------------------- */

GVariant *
ls_queue_get_nowait (LsQueue *self,
                     GError **error)
{
  GVariant *item;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->len == 0)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_QUEUE_EMPTY, "");
      return NULL;
    }
  item = queue_get_item (self);
  _ls_primitive_trace (&self->base, LS_PRIMITIVE_GET, _ls_primitive_me (&self->base), 0,
                       self->len);
  queue_wakeup_next (self, &self->putters);
  return item;
}

GVariant *
ls_queue_get (LsQueue *self,
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
  return ls_queue_get_nowait (self, error);
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
