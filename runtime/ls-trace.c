/* SPDX-License-Identifier: MIT
 *
 * Trace storage: records in fixed chunks of 65,536 (2 MiB), never moved once
 * written, so readers may keep pointers; strings interned once.
 */
#include "config.h"

#include "ls-trace.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK_BYTES (LS_TRACE_CHUNK_SIZE * sizeof (LsTraceRecord))

struct _LsTrace
{
  GObject        parent_instance;
  LsTraceChunks  chunks;
  GStringChunk  *string_chunk;
  GHashTable    *string_ids;   /* const char* (in string_chunk) -> id */
  GPtrArray     *strings;      /* id -> const char* */
  guint32        next_id;
  guint64        n_notified;
  gboolean       sealed;
};

G_DEFINE_FINAL_TYPE (LsTrace, ls_trace, G_TYPE_OBJECT)

enum {
  RECORDS_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ls_trace_finalize (GObject *object)
{
  LsTrace *self = LS_TRACE (object);

  for (guint i = 0; i < self->chunks.n_chunks; i++)
    munmap (self->chunks.chunks[i], CHUNK_BYTES);
  g_free (self->chunks.chunks);
  g_clear_pointer (&self->string_ids, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_ptr_array_unref);
  g_clear_pointer (&self->string_chunk, g_string_chunk_free);

  G_OBJECT_CLASS (ls_trace_parent_class)->finalize (object);
}

static void
ls_trace_class_init (LsTraceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ls_trace_finalize;

  /**
   * LsTrace::records-added:
   * @first: index of the first new record
   * @n: how many
   *
   * Emitted in batches (once per dispatch of the loop, or per step), never
   * per record.
   */
  signals[RECORDS_ADDED] =
    g_signal_new ("records-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
ls_trace_init (LsTrace *self)
{
  self->string_chunk = g_string_chunk_new (64 * 1024);
  self->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->strings = g_ptr_array_new ();
  /* id 0 is "no string" / "no object" everywhere */
  g_ptr_array_add (self->strings, (gpointer) "");
  self->next_id = 1;
}

LsTrace *
ls_trace_new (void)
{
  return g_object_new (LS_TYPE_TRACE, NULL);
}

LsTraceChunks *
_ls_trace_get_chunks (LsTrace *self)
{
  return &self->chunks;
}

/* Chunks of 2 MiB are mapped with MAP_POPULATE: one system call faults in
 * all 512 pages, where touching them one by one cost a third of the time
 * of a context switch. (Transparent huge pages were measured too: their
 * compaction made appending three times slower.) */
static LsTraceRecord *
chunk_alloc (void)
{
  void *mem = mmap (NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

  if (mem == MAP_FAILED)
    g_error ("Loopscope: cannot map memory for the trace: %s", g_strerror (errno));
  return mem;
}

void
_ls_trace_seal (LsTrace *self)
{
  g_return_if_fail (LS_IS_TRACE (self));
  self->sealed = TRUE;
}

/* Mapping a chunk is the kernel's work, and a lot of it: about 12 ns per
 * record on the machine the benchmarks ran on (as much as a context switch
 * and its bookkeeping together), all at once every 65,536 records. So once
 * a trace outgrows its first chunk, the next ones are mapped ahead on a
 * helper thread, which keeps STOCK_SIZE of them ready: the loop's thread
 * takes one without waiting and maps its own only when the stock is empty
 * (a run recording faster than the kernel can hand out pages). The stock
 * is process-wide: at rest it holds STOCK_SIZE chunks (4 MiB) once any
 * trace has grown past one chunk, nothing before. */
#define STOCK_SIZE 2

static struct
{
  GMutex          lock;
  GCond           wanted;
  LsTraceRecord  *chunks[STOCK_SIZE];
  guint           n_chunks;
  GThread        *thread;
} stock;

static gpointer
stock_fill (gpointer data)
{
  g_mutex_lock (&stock.lock);
  for (;;)
    {
      LsTraceRecord *chunk;

      while (stock.n_chunks == STOCK_SIZE)
        g_cond_wait (&stock.wanted, &stock.lock);
      g_mutex_unlock (&stock.lock);
      chunk = chunk_alloc ();
      g_mutex_lock (&stock.lock);
      stock.chunks[stock.n_chunks++] = chunk;
    }
  return NULL;
}

/* A chunk from the stock, or a new one; the stock is told to fill up. */
static LsTraceRecord *
chunk_take (void)
{
  LsTraceRecord *chunk = NULL;

  g_mutex_lock (&stock.lock);
  if (G_UNLIKELY (stock.thread == NULL))
    stock.thread = g_thread_new ("loopscope-trace", stock_fill, NULL);
  if (stock.n_chunks > 0)
    chunk = stock.chunks[--stock.n_chunks];
  g_cond_signal (&stock.wanted);
  g_mutex_unlock (&stock.lock);
  return chunk != NULL ? chunk : chunk_alloc ();
}

LsTraceRecord *
_ls_trace_chunks_grow (LsTraceChunks *c)
{
  LsTraceRecord *chunk;

  if (c->n_chunks == c->chunks_alloc)
    {
      c->chunks_alloc = MAX (16, c->chunks_alloc * 2);
      c->chunks = g_renew (LsTraceRecord *, c->chunks, c->chunks_alloc);
    }
  /* a trace's first chunk is mapped here: most never need a second */
  chunk = c->n_chunks == 0 ? chunk_alloc () : chunk_take ();
  c->chunks[c->n_chunks++] = chunk;
  c->cur = c->chunks[c->n_chunks - 1];
  c->end = c->cur + LS_TRACE_CHUNK_SIZE;
  return c->cur;
}

guint64
ls_trace_get_n_records (LsTrace *self)
{
  g_return_val_if_fail (LS_IS_TRACE (self), 0);
  return self->chunks.n_records;
}

const LsTraceRecord *
ls_trace_get_record (LsTrace *self,
                     guint64  index)
{
  g_return_val_if_fail (LS_IS_TRACE (self), NULL);
  g_return_val_if_fail (index < self->chunks.n_records, NULL);
  return &self->chunks.chunks[index >> LS_TRACE_CHUNK_SHIFT][index & (LS_TRACE_CHUNK_SIZE - 1)];
}

guint32
ls_trace_intern (LsTrace    *self,
                 const char *string)
{
  gpointer id;
  const char *copy;

  if (string == NULL || string[0] == '\0')
    return 0;
  if (g_hash_table_lookup_extended (self->string_ids, string, NULL, &id))
    return GPOINTER_TO_UINT (id);
  if (self->sealed)
    return 0;
  copy = g_string_chunk_insert (self->string_chunk, string);
  g_ptr_array_add (self->strings, (gpointer) copy);
  g_hash_table_insert (self->string_ids, (gpointer) copy, GUINT_TO_POINTER (self->strings->len - 1));
  return self->strings->len - 1;
}

const char *
ls_trace_get_string (LsTrace *self,
                     guint32  id)
{
  g_return_val_if_fail (LS_IS_TRACE (self), "");
  if (id >= self->strings->len)
    return "";
  return g_ptr_array_index (self->strings, id);
}

guint32
ls_trace_get_n_strings (LsTrace *self)
{
  g_return_val_if_fail (LS_IS_TRACE (self), 0);
  return self->strings->len;
}

guint32
ls_trace_new_id (LsTrace *self)
{
  return self->next_id++;
}

/* Tell observers about what was appended since the last flush. */
void
ls_trace_flush (LsTrace *self)
{
  guint64 first = self->n_notified;
  guint64 n = self->chunks.n_records - first;

  if (n == 0)
    return;
  self->n_notified = self->chunks.n_records;
  g_signal_emit (self, signals[RECORDS_ADDED], 0, first, n);
}

/* Index of the first record at or after @time_ns (binary search: the time
 * of records never decreases). */
guint64
ls_trace_find_time (LsTrace *self,
                    gint64   time_ns)
{
  guint64 lo = 0, hi = self->chunks.n_records;

  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (ls_trace_get_record (self, mid)->time < time_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gint64
ls_trace_get_end_time (LsTrace *self)
{
  if (self->chunks.n_records == 0)
    return 0;
  return ls_trace_get_record (self, self->chunks.n_records - 1)->time;
}

/* Same records and same strings behind them: what determinism means. */
gboolean
ls_trace_equal (LsTrace *a,
                LsTrace *b)
{
  if (a->chunks.n_records != b->chunks.n_records)
    return FALSE;
  for (guint64 i = 0; i < a->chunks.n_records; i++)
    {
      const LsTraceRecord *ra = ls_trace_get_record (a, i);
      const LsTraceRecord *rb = ls_trace_get_record (b, i);

      if (memcmp (ra, rb, sizeof *ra) != 0)
        {
          g_autofree char *da = ls_trace_dump (a, i, 1);
          g_autofree char *db = ls_trace_dump (b, i, 1);

          g_debug ("traces differ at record %" G_GUINT64_FORMAT ":\n%s%s", i, da, db);
          return FALSE;
        }
    }
  if (a->strings->len != b->strings->len)
    return FALSE;
  for (guint i = 0; i < a->strings->len; i++)
    if (strcmp (g_ptr_array_index (a->strings, i), g_ptr_array_index (b->strings, i)) != 0)
      return FALSE;
  return TRUE;
}

const char *
ls_trace_kind_name (LsTraceKind kind)
{
  static const char *names[] = {
    [LS_TRACE_LOOP_ITERATION_BEGIN] = "iteration-begin",
    [LS_TRACE_LOOP_ITERATION_END] = "iteration-end",
    [LS_TRACE_LOOP_BLOCKED_BEGIN] = "blocked-begin",
    [LS_TRACE_LOOP_BLOCKED_END] = "blocked-end",
    [LS_TRACE_OBJECT_NEW] = "object-new",
    [LS_TRACE_READY_PUSH] = "ready-push",
    [LS_TRACE_HANDLE_RUN] = "handle-run",
    [LS_TRACE_TASK_SUSPEND] = "task-suspend",
    [LS_TRACE_TASK_DONE] = "task-done",
    [LS_TRACE_FUTURE_DONE] = "future-done",
    [LS_TRACE_CANCEL_REQUEST] = "cancel-request",
    [LS_TRACE_TIMER_ADD] = "timer-add",
    [LS_TRACE_TIMER_CANCEL] = "timer-cancel",
    [LS_TRACE_TIMER_FIRE] = "timer-fire",
    [LS_TRACE_PRINT] = "print",
    [LS_TRACE_IO_BEGIN] = "io-begin",
    [LS_TRACE_IO_COMPLETE] = "io-complete",
    [LS_TRACE_SCOPE_BEGIN] = "scope-begin",
    [LS_TRACE_SCOPE_END] = "scope-end",
    [LS_TRACE_PRIMITIVE] = "primitive",
    [LS_TRACE_SOURCE_LINE] = "source-line",
    [LS_TRACE_THREAD_WORK_SUBMIT] = "thread-work-submit",
    [LS_TRACE_THREAD_WORK_BEGIN] = "thread-work-begin",
    [LS_TRACE_THREAD_WORK_END] = "thread-work-end",
    [LS_TRACE_TASK_GROUP_ADD] = "task-group-add",
    [LS_TRACE_TASK_GROUP_ABORT] = "task-group-abort",
    [LS_TRACE_TASK_GROUP_EXIT] = "task-group-exit",
  };

  if (kind < G_N_ELEMENTS (names) && names[kind] != NULL)
    return names[kind];
  return "unknown";
}

const char *
ls_wait_reason_name (LsWaitReason reason)
{
  static const char *names[LS_N_WAIT_REASONS] = {
    [LS_WAIT_NONE] = "none",
    [LS_WAIT_YIELD] = "yield",
    [LS_WAIT_SLEEP] = "sleep",
    [LS_WAIT_FUTURE] = "future",
    [LS_WAIT_TASK] = "task",
    [LS_WAIT_GATHER] = "gather",
    [LS_WAIT_WAIT] = "wait",
    [LS_WAIT_WAIT_FOR] = "wait_for",
    [LS_WAIT_AS_COMPLETED] = "as_completed",
    [LS_WAIT_SHIELD] = "shield",
    [LS_WAIT_IO] = "io",
    [LS_WAIT_LOCK] = "lock",
    [LS_WAIT_EVENT] = "event",
    [LS_WAIT_CONDITION] = "condition",
    [LS_WAIT_SEMAPHORE] = "semaphore",
    [LS_WAIT_QUEUE_GET] = "queue-get",
    [LS_WAIT_QUEUE_PUT] = "queue-put",
    [LS_WAIT_QUEUE_JOIN] = "queue-join",
    [LS_WAIT_BARRIER] = "barrier",
    [LS_WAIT_TIMEOUT_SCOPE] = "timeout",
    [LS_WAIT_CALL_LATER] = "call_later",
    [LS_WAIT_BLOCKED] = "blocked",
    [LS_WAIT_EXECUTOR] = "thread",
    [LS_WAIT_TASK_GROUP] = "task group",
  };

  if (reason < LS_N_WAIT_REASONS && names[reason] != NULL)
    return names[reason];
  return "unknown";
}

const char *
ls_primitive_op_name (LsPrimitiveOp op)
{
  static const char *names[] = {
    [LS_PRIMITIVE_WAIT_BEGIN] = "wait-begin",
    [LS_PRIMITIVE_ACQUIRED] = "acquired",
    [LS_PRIMITIVE_RELEASED] = "released",
    [LS_PRIMITIVE_HANDOFF] = "handoff",
    [LS_PRIMITIVE_SET] = "set",
    [LS_PRIMITIVE_CLEAR] = "clear",
    [LS_PRIMITIVE_NOTIFY] = "notify",
    [LS_PRIMITIVE_PUT] = "put",
    [LS_PRIMITIVE_GET] = "get",
    [LS_PRIMITIVE_WAIT_END] = "wait-end",
    [LS_PRIMITIVE_PUT_WAIT_BEGIN] = "put-wait-begin",
    [LS_PRIMITIVE_TASK_DONE] = "task-done",
    [LS_PRIMITIVE_JOIN] = "join",
    [LS_PRIMITIVE_PART_OF] = "part-of",
    [LS_PRIMITIVE_BARRIER_ENTER] = "barrier-enter",
    [LS_PRIMITIVE_BARRIER_LEAVE] = "barrier-leave",
    [LS_PRIMITIVE_BARRIER_STATE] = "barrier-state",
  };

  if ((guint) op < G_N_ELEMENTS (names) && names[op] != NULL)
    return names[op];
  return "unknown";
}

const char *
ls_object_kind_name (LsObjectKind kind)
{
  static const char *names[] = {
    [LS_OBJECT_TASK] = "task",
    [LS_OBJECT_FUTURE] = "future",
    [LS_OBJECT_GATHER] = "gather",
    [LS_OBJECT_TIMEOUT_SCOPE] = "timeout",
    [LS_OBJECT_LOCK] = "Lock",
    [LS_OBJECT_EVENT] = "Event",
    [LS_OBJECT_CONDITION] = "Condition",
    [LS_OBJECT_SEMAPHORE] = "Semaphore",
    [LS_OBJECT_BOUNDED_SEMAPHORE] = "BoundedSemaphore",
    [LS_OBJECT_BARRIER] = "Barrier",
    [LS_OBJECT_QUEUE] = "Queue",
    [LS_OBJECT_PRIORITY_QUEUE] = "PriorityQueue",
    [LS_OBJECT_LIFO_QUEUE] = "LifoQueue",
    [LS_OBJECT_IO] = "io",
    [LS_OBJECT_THREAD] = "thread",
    [LS_OBJECT_TASK_GROUP] = "TaskGroup",
  };

  if ((guint) kind < G_N_ELEMENTS (names) && names[kind] != NULL)
    return names[kind];
  return "unknown";
}

char *
ls_trace_dump (LsTrace *self,
               guint64  first,
               guint64  n)
{
  GString *out = g_string_new (NULL);

  for (guint64 i = first; i < first + n && i < self->chunks.n_records; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (self, i);

      g_string_append_printf (out, "%8.3f %-16s r=%u s=%u o=%u p=%u a=%" G_GINT64_FORMAT "\n",
                              r->time / 1e9, ls_trace_kind_name (r->kind), r->reason,
                              r->subject, r->object, r->peer, r->arg);
    }
  return g_string_free (out, FALSE);
}
