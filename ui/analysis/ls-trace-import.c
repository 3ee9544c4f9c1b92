/* SPDX-License-Identifier: MIT
 *
 * Trace Event files from other tools (no "loopscope" section): one task
 * per thread, its outermost slices as running spans, its instants as
 * prints.
 */
#include "config.h"

#include "ls-trace-import-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

/* another tool's file is read into a JsonNode tree: keep it modest */
#define FOREIGN_MAX_BYTES (G_GINT64_CONSTANT (256) << 20)

typedef struct
{
  gint64   start;
  gint64   end;
} Slice;

typedef struct
{
  gint64  key;         /* pid << 32 | tid */
  char   *name;
  GArray *slices;      /* Slice */
  GArray *open;        /* gint64: B events not yet ended */
  guint32 task_id;
} Thread;

typedef struct
{
  gint64  time;
  guint   order;       /* ends before starts at one instant, then file order */
  guint   thread;
  int     what;        /* 0 end of a slice, 1 start, 2 instant */
  const char *text;
} Step;

static void
thread_free (gpointer data)
{
  Thread *t = data;

  g_free (t->name);
  g_array_unref (t->slices);
  g_array_unref (t->open);
  g_free (t);
}

static int
compare_slices (gconstpointer a,
                gconstpointer b)
{
  const Slice *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const Step *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  if (x->what != y->what)
    return x->what < y->what ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order ? 1 : 0;
}

static Thread *
get_thread (GPtrArray  *threads,
            GHashTable *index,
            gint64      pid,
            gint64      tid)
{
  gint64 key = (pid << 32) ^ (tid & 0xffffffff);
  gpointer found;
  Thread *t;

  if (g_hash_table_lookup_extended (index, &key, NULL, &found))
    return g_ptr_array_index (threads, GPOINTER_TO_UINT (found));
  t = g_new0 (Thread, 1);
  t->key = key;
  t->slices = g_array_new (FALSE, FALSE, sizeof (Slice));
  t->open = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_ptr_array_add (threads, t);
  g_hash_table_insert (index, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (threads->len - 1));
  return t;
}

static gint64
member_int (JsonObject *o,
            const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n) || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (n), NULL, 10);
  return json_node_get_int (n);
}

/* Microseconds (maybe fractional) as nanoseconds. */
static gboolean
member_ns (JsonObject *o,
           const char *name,
           gint64     *out)
{
  JsonNode *n = json_object_get_member (o, name);
  double us;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
    us = json_node_get_double (n);
  else if (json_node_get_value_type (n) == G_TYPE_INT64)
    us = (double) json_node_get_int (n);
  else
    return FALSE;
  if (!isfinite (us) || fabs (us) > 9e12)
    return FALSE;
  *out = (gint64) llround (us * 1000.0);
  return TRUE;
}

LsTrace *
_ls_trace_import_foreign (const char  *path,
                          const char  *data,
                          gsize        length,
                          LsTraceInfo *info,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new_with_free_func (thread_free);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (Step));
  g_autoptr(LsTrace) trace = NULL;
  JsonNode *root;
  JsonArray *events = NULL;
  gint64 t0 = G_MAXINT64;
  LsTraceChunks *chunks;

  if ((gint64) length > FOREIGN_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (FOREIGN_MAX_BYTES);

      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_TOO_LARGE,
                   _("%s: a trace from another tool may be at most %s"), path, size);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_INVALID, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_ARRAY (root))
    events = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root)
           && json_object_has_member (json_node_get_object (root), "traceEvents")
           && JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root),
                                                             "traceEvents")))
    events = json_object_get_array_member (json_node_get_object (root), "traceEvents");
  if (events == NULL)
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA,
                   _("%s: not a trace: no “traceEvents” array and no “loopscope” section"), path);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *e;
      const char *ph;
      gint64 ts = 0, dur = 0;
      Thread *t;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      e = json_node_get_object (node);
      ph = json_object_get_string_member_with_default (e, "ph", "");
      if (ph[0] == '\0' || ph[1] != '\0')
        continue;
      t = get_thread (threads, index, member_int (e, "pid"), member_int (e, "tid"));
      if (ph[0] == 'M')
        {
          JsonObject *args = NULL;

          if (g_strcmp0 (json_object_get_string_member_with_default (e, "name", ""),
                         "thread_name") == 0
              && json_object_has_member (e, "args")
              && JSON_NODE_HOLDS_OBJECT (json_object_get_member (e, "args")))
            args = json_object_get_object_member (e, "args");
          if (args != NULL)
            {
              const char *name = json_object_get_string_member_with_default (args, "name", "");

              if (name[0] != '\0')
                {
                  g_free (t->name);
                  t->name = g_strdup (name);
                }
            }
          continue;
        }
      if (!member_ns (e, "ts", &ts))
        continue;
      t0 = MIN (t0, ts);
      switch (ph[0])
        {
        case 'X':
          if (member_ns (e, "dur", &dur) && dur >= 0)
            {
              Slice sl = { ts, ts + dur };

              g_array_append_val (t->slices, sl);
            }
          break;
        case 'B':
          g_array_append_val (t->open, ts);
          break;
        case 'E':
          if (t->open->len > 0)
            {
              Slice sl = { g_array_index (t->open, gint64, t->open->len - 1), ts };

              g_array_set_size (t->open, t->open->len - 1);
              if (sl.end >= sl.start)
                g_array_append_val (t->slices, sl);
            }
          break;
        case 'i':
        case 'I':
        case 'n':
          {
            Step st = { ts, i, threads->len, 2,
                        json_object_get_string_member_with_default (e, "name", "") };

            /* the thread's index, found again below */
            for (guint k = 0; k < threads->len; k++)
              if (g_ptr_array_index (threads, k) == t)
                st.thread = k;
            if (st.text[0] != '\0')
              g_array_append_val (steps, st);
          }
          break;
        default:
          break;
        }
    }

  /* one lane per thread that has slices or instants; nested and
   * overlapping slices merge into the outermost */
  for (guint k = 0; k < threads->len; k++)
    {
      Thread *t = g_ptr_array_index (threads, k);
      GArray *merged = g_array_new (FALSE, FALSE, sizeof (Slice));

      g_array_sort (t->slices, compare_slices);
      for (guint i = 0; i < t->slices->len; i++)
        {
          Slice sl = g_array_index (t->slices, Slice, i);
          Slice *last = merged->len > 0 ? &g_array_index (merged, Slice, merged->len - 1) : NULL;

          if (last != NULL && sl.start <= last->end)
            last->end = MAX (last->end, sl.end);
          else
            g_array_append_val (merged, sl);
        }
      g_array_unref (t->slices);
      t->slices = merged;
      for (guint i = 0; i < merged->len; i++)
        {
          Slice *sl = &g_array_index (merged, Slice, i);
          Step start = { sl->start, 0, k, 1, NULL };
          Step end = { sl->end, 0, k, 0, NULL };

          g_array_append_val (steps, start);
          g_array_append_val (steps, end);
        }
    }
  if (steps->len == 0)
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA,
                   _("%s: the trace has no events with a time"), path);
      return NULL;
    }
  g_array_sort (steps, compare_steps);

  trace = ls_trace_new ();
  chunks = _ls_trace_get_chunks (trace);
  for (guint i = 0; i < steps->len; i++)
    {
      const Step *st = &g_array_index (steps, Step, i);
      Thread *t = g_ptr_array_index (threads, st->thread);
      gint64 time = st->time - t0;

      if (t->task_id == 0)
        {
          g_autofree char *fallback = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                                       t->key >> 32, t->key & 0xffffffff);

          t->task_id = ls_trace_new_id (trace);
          ls_trace_append (chunks, time, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, t->task_id,
                           ls_trace_intern (trace, t->name != NULL ? t->name : fallback),
                           t->task_id);
          if (st->what != 1)
            ls_trace_append (chunks, time, LS_TRACE_TASK_SUSPEND, LS_WAIT_FUTURE, t->task_id, 0, 0,
                             -1);
        }
      if (st->what == 1)
        ls_trace_append (chunks, time, LS_TRACE_HANDLE_RUN, LS_HANDLE_TASK_STEP, t->task_id, 0, 0,
                         0);
      else if (st->what == 0)
        ls_trace_append (chunks, time, LS_TRACE_TASK_SUSPEND, LS_WAIT_FUTURE, t->task_id, 0, 0, -1);
      else
        ls_trace_append (chunks, time, LS_TRACE_PRINT, 0, t->task_id, 0,
                         ls_trace_intern (trace, st->text), 0);
    }
  g_clear_pointer (&info->title, g_free);
  info->title = g_path_get_basename (path);
  return g_steal_pointer (&trace);
}

