/* SPDX-License-Identifier: MIT
 *
 * Another tool's events as records: each thread becomes a task, created
 * at its first slice or instant and named by its thread_name (or
 * "pid:tid"); its slices, nested and overlapping ones merged into the
 * outermost, become running spans (HANDLE_RUN … TASK_SUSPEND), its
 * instants prints. Everything is sorted in place (ls-sort.c) and written
 * in time order from the earliest time in the file.
 */
#include "config.h"

#include "ls-trace-import-private.h"

#include "ls-sort-private.h"

/* At one instant: ends of slices, starts, then ends of empty slices */
enum
{
  EDGE_END = 0,
  EDGE_START,
  EDGE_EMPTY_END,
};

/* A slice's start or end on the way to the records */
typedef struct
{
  gint64  time;
  guint32 thread;
  guint32 rank;       /* EDGE_… */
} Edge;

static int
compare_slices (gconstpointer a,
                gconstpointer b)
{
  const LsImportSlice *x = a, *y = b;

  if (x->thread != y->thread)
    return x->thread < y->thread ? -1 : 1;
  return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const Edge *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->thread < y->thread ? -1 : x->thread > y->thread ? 1 : 0;
}

static int
compare_instants (gconstpointer a,
                  gconstpointer b)
{
  const LsImportInstant *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order ? 1 : 0;
}

/* Nested and overlapping slices of a thread merge into the outermost;
 * returns their starts and ends in time order. */
static GArray *
merge_slices (LsTraceImport *im)
{
  GArray *slices = im->slices;
  GArray *edges;
  guint n = 0;

  _ls_sort_array (slices, compare_slices);
  for (guint i = 0; i < slices->len; i++)
    {
      const LsImportSlice *sl = &g_array_index (slices, LsImportSlice, i);
      LsImportSlice *last = n > 0 ? &g_array_index (slices, LsImportSlice, n - 1) : NULL;

      if (last != NULL && last->thread == sl->thread && sl->start <= last->end)
        last->end = MAX (last->end, sl->end);
      else
        g_array_index (slices, LsImportSlice, n++) = *sl;
    }
  edges = g_array_sized_new (FALSE, FALSE, sizeof (Edge), 2 * n);
  for (guint i = 0; i < n; i++)
    {
      const LsImportSlice *sl = &g_array_index (slices, LsImportSlice, i);
      Edge start = { sl->start, sl->thread, EDGE_START };
      Edge end = { sl->end, sl->thread, sl->end > sl->start ? EDGE_END : EDGE_EMPTY_END };

      g_array_append_val (edges, start);
      g_array_append_val (edges, end);
    }
  g_clear_pointer (&im->slices, g_array_unref);
  _ls_sort_array (edges, compare_edges);
  return edges;
}

static void
thread_label (LsTraceImport        *im,
              const LsImportThread *t,
              GString              *out)
{
  g_string_truncate (out, 0);
  if (t->flags & LS_IMPORT_PID_IS_STRING)
    g_string_append (out, g_ptr_array_index (im->strings, t->pid));
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, t->pid);
  g_string_append_c (out, ':');
  if (t->flags & LS_IMPORT_TID_IS_STRING)
    g_string_append (out, g_ptr_array_index (im->strings, t->tid));
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, t->tid);
}

/* A thread's lane starts at its first slice or instant. */
static LsImportThread *
thread_lane (LsTraceImport *im,
             guint32        thread,
             gint64         time,
             gboolean       running,
             GString       *label)
{
  LsTraceChunks *chunks = _ls_trace_get_chunks (im->trace);
  LsImportThread *t = &g_array_index (im->threads, LsImportThread, thread);
  guint32 name = t->name;

  if (t->task_id != 0)
    return t;
  if (name == 0)
    {
      thread_label (im, t, label);
      name = ls_trace_intern (im->trace, label->str);
    }
  t->task_id = ls_trace_new_id (im->trace);
  ls_trace_append (chunks, time, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, t->task_id, name,
                   t->task_id);
  if (!running)
    ls_trace_append (chunks, time, LS_TRACE_TASK_SUSPEND, LS_WAIT_FUTURE, t->task_id, 0, 0, -1);
  return t;
}

void
_ls_trace_import_write_records (LsTraceImport *im)
{
  g_autoptr(GArray) edges = merge_slices (im);
  LsTraceChunks *chunks = _ls_trace_get_chunks (im->trace);
  g_autoptr(GString) label = g_string_new (NULL);
  GArray *instants = im->instants;
  guint e = 0, i = 0;

  _ls_sort_array (instants, compare_instants);
  /* at one instant: slice ends, slice starts, then instants */
  while (e < edges->len || i < instants->len)
    {
      const Edge *edge = e < edges->len ? &g_array_index (edges, Edge, e) : NULL;
      const LsImportInstant *in = i < instants->len
                                  ? &g_array_index (instants, LsImportInstant, i) : NULL;
      LsImportThread *t;

      if (edge != NULL && (in == NULL || edge->time <= in->time))
        {
          gint64 time = edge->time - im->t0;

          t = thread_lane (im, edge->thread, time, edge->rank == EDGE_START, label);
          if (edge->rank == EDGE_START)
            ls_trace_append (chunks, time, LS_TRACE_HANDLE_RUN, LS_HANDLE_TASK_STEP, t->task_id,
                             0, 0, 0);
          else
            ls_trace_append (chunks, time, LS_TRACE_TASK_SUSPEND, LS_WAIT_FUTURE, t->task_id, 0,
                             0, -1);
          e++;
        }
      else
        {
          gint64 time = in->time - im->t0;

          t = thread_lane (im, in->thread, time, FALSE, label);
          ls_trace_append (chunks, time, LS_TRACE_PRINT, 0, t->task_id, 0, in->text, 0);
          i++;
        }
    }
}

