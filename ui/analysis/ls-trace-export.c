/* SPDX-License-Identifier: MIT
 *
 * Records to Trace Event JSON, for Perfetto and chrome://tracing: one
 * thread per task (tid = task id, tid 0 the event loop with its blocked
 * periods), "X" spans for running, ready and "waiting: REASON", instants
 * for prints, cancel requests and task ends, flows for wake-ups and
 * handoffs, counters for semaphore permits and queue depths. Everything it
 * needs is derived here from the records, in one pass, so what viewers see
 * can be computed differently without touching the rest of the file
 * format; Loopscope itself never reads these events back.
 */
#include "config.h"

#include "ls-trace-export-private.h"

#include "ls-describe.h"
#include "ls-trace-state.h"

typedef struct
{
  guint32 id;
  guint32 name_id;      /* 0: Task-<number> */
  guint32 number;
  guint16 state;        /* LsTaskState */
  guint16 wait_reason;
  guint32 wait_object;
  gint64  since;
  gboolean alive;
} Track;

/* Who completed a future, and when: where a wake-up arrow starts. */
typedef struct
{
  guint32 task_id;
  gint64  time;
} Completion;

typedef struct
{
  LsJsonWriter *w;
  LsTrace      *trace;
  gboolean      first_event;
  GArray       *tracks;       /* Track, in creation order */
  GHashTable   *track_index;  /* task id -> index + 1 */
  GHashTable   *kinds;        /* primitive id -> LsObjectKind */
  GHashTable   *names;        /* primitive id -> name string id */
  GHashTable   *completions;  /* future id -> index + 1 in done */
  GArray       *done;         /* Completion */
  guint64       next_flow;
} Exporter;

static Track *
lookup_track (Exporter *ex,
              guint32   task_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (ex->track_index,
                                                       GUINT_TO_POINTER (task_id)));

  return index == 0 ? NULL : &g_array_index (ex->tracks, Track, index - 1);
}

static void
begin_event (Exporter   *ex,
             const char *ph,
             guint32     tid,
             gint64      ts)
{
  LsJsonWriter *w = ex->w;

  if (ex->first_event)
    ex->first_event = FALSE;
  else
    _ls_json_write_lit (w, ",\n");
  _ls_json_write_lit (w, "{\"ph\":\"");
  _ls_json_write_str (w, ph);
  _ls_json_write_lit (w, "\",\"pid\":1,\"tid\":");
  _ls_json_write_int (w, tid);
  _ls_json_write_lit (w, ",\"ts\":");
  _ls_json_write_us (w, ts);
}

static void
write_task_name (Exporter    *ex,
                 const Track *t)
{
  if (t->name_id != 0)
    _ls_json_write_string (ex->w, ls_trace_get_string (ex->trace, t->name_id));
  else
    {
      char name[32];

      g_snprintf (name, sizeof name, "Task-%u", t->number);
      _ls_json_write_string (ex->w, name);
    }
}

/* A task, a primitive (by its kind and name), or a plain id. */
static void
write_object_name (Exporter *ex,
                   guint32   id)
{
  Track *t = lookup_track (ex, id);
  gpointer kind;

  if (t != NULL)
    write_task_name (ex, t);
  else if (g_hash_table_lookup_extended (ex->kinds, GUINT_TO_POINTER (id), NULL, &kind))
    {
      guint32 name_id = GPOINTER_TO_UINT (g_hash_table_lookup (ex->names, GUINT_TO_POINTER (id)));
      const char *kind_name = ls_object_kind_name (GPOINTER_TO_UINT (kind));
      g_autofree char *name = g_strdup_printf ("%s %s", kind_name,
                                               name_id != 0
                                               ? ls_trace_get_string (ex->trace, name_id)
                                               : "");

      _ls_json_write_string (ex->w, g_strchomp (name));
    }
  else
    {
      char name[32];

      g_snprintf (name, sizeof name, "#%u", id);
      _ls_json_write_string (ex->w, name);
    }
}

static const char *
state_name (guint state)
{
  switch (state)
    {
    case LS_TASK_STATE_RUNNING: return "running";
    case LS_TASK_STATE_READY: return "ready";
    default: return "waiting";
    }
}

/* The span a task was in, from its start to @now. */
static void
close_span (Exporter *ex,
            Track    *t,
            gint64    now)
{
  LsJsonWriter *w = ex->w;
  const char *name = state_name (t->state);

  if (!t->alive)
    return;
  begin_event (ex, "X", t->id, t->since);
  _ls_json_write_lit (w, ",\"dur\":");
  _ls_json_write_us (w, now - t->since);
  _ls_json_write_lit (w, ",\"name\":\"");
  _ls_json_write_str (w, name);
  if (t->state == LS_TASK_STATE_WAITING)
    {
      const char *reason = ls_wait_reason_name (t->wait_reason);

      /* the reason in the name, so that Perfetto colours waits by reason */
      _ls_json_write_lit (w, ": ");
      _ls_json_write_str (w, reason);
      _ls_json_write_lit (w, "\",\"cat\":\"waiting\",\"args\":{\"reason\":\"");
      _ls_json_write_str (w, reason);
      _ls_json_write_char (w, '"');
      if (t->wait_object != 0)
        {
          _ls_json_write_lit (w, ",\"object\":");
          _ls_json_write_int (w, t->wait_object);
          _ls_json_write_lit (w, ",\"object_name\":");
          write_object_name (ex, t->wait_object);
        }
      _ls_json_write_lit (w, "}}");
    }
  else
    {
      _ls_json_write_lit (w, "\",\"cat\":\"");
      _ls_json_write_str (w, name);
      _ls_json_write_lit (w, "\"}");
    }
}

static void
set_state (Exporter *ex,
           guint32   task_id,
           guint     state,
           guint     reason,
           guint32   object,
           gint64    now)
{
  Track *t = lookup_track (ex, task_id);

  if (t == NULL || !t->alive)
    return;
  close_span (ex, t, now);
  t->state = state;
  t->wait_reason = reason;
  t->wait_object = object;
  t->since = now;
}

static void
write_instant (Exporter   *ex,
               guint32     tid,
               gint64      ts,
               const char *name,
               const char *cat)
{
  LsJsonWriter *w = ex->w;

  begin_event (ex, "i", tid, ts);
  _ls_json_write_lit (w, ",\"s\":\"t\",\"name\":");
  _ls_json_write_string (w, name);
  _ls_json_write_lit (w, ",\"cat\":\"");
  _ls_json_write_str (w, cat);
  _ls_json_write_char (w, '"');
}

static void
write_flow (Exporter   *ex,
            const char *name,
            guint32     from,
            gint64      from_time,
            guint32     to,
            gint64      to_time)
{
  LsJsonWriter *w = ex->w;
  guint64 id = ++ex->next_flow;

  begin_event (ex, "s", from, from_time);
  _ls_json_write_lit (w, ",\"name\":\"");
  _ls_json_write_str (w, name);
  _ls_json_write_lit (w, "\",\"cat\":\"");
  _ls_json_write_str (w, name);
  _ls_json_write_lit (w, "\",\"id\":");
  _ls_json_write_int (w, id);
  _ls_json_write_char (w, '}');
  begin_event (ex, "f", to, to_time);
  _ls_json_write_lit (w, ",\"bp\":\"e\",\"name\":\"");
  _ls_json_write_str (w, name);
  _ls_json_write_lit (w, "\",\"cat\":\"");
  _ls_json_write_str (w, name);
  _ls_json_write_lit (w, "\",\"id\":");
  _ls_json_write_int (w, id);
  _ls_json_write_char (w, '}');
}

static void
write_counter (Exporter   *ex,
               guint32     primitive,
               gint64      ts,
               const char *series,
               gint64      value)
{
  LsJsonWriter *w = ex->w;

  begin_event (ex, "C", 0, ts);
  _ls_json_write_lit (w, ",\"name\":");
  write_object_name (ex, primitive);
  _ls_json_write_lit (w, ",\"args\":{\"");
  _ls_json_write_str (w, series);
  _ls_json_write_lit (w, "\":");
  _ls_json_write_int (w, value);
  _ls_json_write_lit (w, "}}");
}

static void
write_metadata (Exporter   *ex,
                guint32     tid,
                const char *what,
                const char *key)
{
  LsJsonWriter *w = ex->w;

  if (ex->first_event)
    ex->first_event = FALSE;
  else
    _ls_json_write_lit (w, ",\n");
  _ls_json_write_lit (w, "{\"ph\":\"M\",\"pid\":1,\"tid\":");
  _ls_json_write_int (w, tid);
  _ls_json_write_lit (w, ",\"name\":\"");
  _ls_json_write_str (w, what);
  _ls_json_write_lit (w, "\",\"args\":{\"");
  _ls_json_write_str (w, key);
  _ls_json_write_lit (w, "\":");
}

static void
export_object_new (Exporter            *ex,
                   const LsTraceRecord *r)
{
  LsJsonWriter *w = ex->w;

  if (r->reason == LS_OBJECT_TASK)
    {
      Track t = { r->object, r->peer, (guint32) r->arg, LS_TASK_STATE_READY, 0, 0, r->time, TRUE };

      g_array_append_val (ex->tracks, t);
      g_hash_table_insert (ex->track_index, GUINT_TO_POINTER (r->object),
                           GUINT_TO_POINTER (ex->tracks->len));
      write_metadata (ex, r->object, "thread_name", "name");
      write_task_name (ex, &t);
      _ls_json_write_lit (w, "}}");
      /* tracks in creation order, not by id */
      write_metadata (ex, r->object, "thread_sort_index", "sort_index");
      _ls_json_write_int (w, ex->tracks->len);
      _ls_json_write_lit (w, "}}");
    }
  else if (ls_object_kind_is_primitive (r->reason))
    {
      g_hash_table_insert (ex->kinds, GUINT_TO_POINTER (r->object),
                           GUINT_TO_POINTER ((guint) r->reason));
      if (r->peer != 0)
        g_hash_table_insert (ex->names, GUINT_TO_POINTER (r->object),
                             GUINT_TO_POINTER (r->peer));
      if (ls_object_kind_is_semaphore (r->reason))
        write_counter (ex, r->object, r->time, "permits", r->arg);
      else if (ls_object_kind_is_queue (r->reason))
        write_counter (ex, r->object, r->time, "depth", 0);
    }
}

static void
export_primitive (Exporter            *ex,
                  const LsTraceRecord *r)
{
  guint kind = GPOINTER_TO_UINT (g_hash_table_lookup (ex->kinds, GUINT_TO_POINTER (r->object)));
  gboolean semaphore = ls_object_kind_is_semaphore (kind);

  if (r->reason == LS_PRIMITIVE_HANDOFF && r->peer != 0)
    write_flow (ex, "handoff", r->subject, r->time, r->peer, r->time);
  if (!ls_object_kind_is_semaphore (kind) && !ls_object_kind_is_queue (kind))
    return;
  switch (r->reason)
    {
    case LS_PRIMITIVE_ACQUIRED:
    case LS_PRIMITIVE_RELEASED:
    case LS_PRIMITIVE_WAIT_END:
      if (semaphore)
        write_counter (ex, r->object, r->time, "permits", r->arg);
      break;
    case LS_PRIMITIVE_HANDOFF:
      write_counter (ex, r->object, r->time, semaphore ? "permits" : "depth", r->arg);
      break;
    case LS_PRIMITIVE_PUT:
    case LS_PRIMITIVE_GET:
      if (!semaphore)
        write_counter (ex, r->object, r->time, "depth", r->arg);
      break;
    default:
      break;
    }
}

static void
export_record (Exporter            *ex,
               const LsTraceRecord *r)
{
  LsJsonWriter *w = ex->w;

  switch (r->kind)
    {
    case LS_TRACE_OBJECT_NEW:
      export_object_new (ex, r);
      break;

    case LS_TRACE_READY_PUSH:
      if (r->reason != LS_HANDLE_TASK_STEP && r->reason != LS_HANDLE_TASK_WAKEUP)
        break;
      set_state (ex, r->subject, LS_TASK_STATE_READY, 0, 0, r->time);
      if (r->reason == LS_HANDLE_TASK_WAKEUP && r->peer != 0)
        {
          guint index = GPOINTER_TO_UINT (g_hash_table_lookup (ex->completions,
                                                               GUINT_TO_POINTER (r->peer)));
          const Completion *c = index > 0 ? &g_array_index (ex->done, Completion, index - 1)
                                          : NULL;

          if (c != NULL && c->task_id != r->subject && lookup_track (ex, c->task_id) != NULL)
            write_flow (ex, "wakeup", c->task_id, c->time, r->subject, r->time);
        }
      break;

    case LS_TRACE_HANDLE_RUN:
      if ((r->reason == LS_HANDLE_TASK_STEP || r->reason == LS_HANDLE_TASK_WAKEUP) && r->arg == 0)
        set_state (ex, r->subject, LS_TASK_STATE_RUNNING, 0, 0, r->time);
      break;

    case LS_TRACE_TASK_SUSPEND:
      if (r->reason == LS_WAIT_YIELD)
        set_state (ex, r->subject, LS_TASK_STATE_READY, 0, 0, r->time);
      else
        set_state (ex, r->subject, LS_TASK_STATE_WAITING, r->reason, r->object, r->time);
      break;

    case LS_TRACE_TASK_DONE:
    case LS_TRACE_FUTURE_DONE:
      {
        guint32 future = r->kind == LS_TRACE_TASK_DONE ? r->subject : r->object;

        if (r->subject != 0)
          {
            Completion c = { r->subject, r->time };

            g_array_append_val (ex->done, c);
            g_hash_table_insert (ex->completions, GUINT_TO_POINTER (future),
                                 GUINT_TO_POINTER (ex->done->len));
          }
        if (r->kind == LS_TRACE_TASK_DONE)
          {
            Track *t = lookup_track (ex, r->subject);
            const char *what = r->reason == LS_OUTCOME_CANCELLED ? "cancelled"
                               : r->reason == LS_OUTCOME_FAILED ? "failed" : "done";
            /* NULL for a result, and for what no outcome is */
            const char *exception = ls_describe_error_type (ex->trace, r->reason, r->arg);

            if (t == NULL)
              break;
            close_span (ex, t, r->time);
            t->alive = FALSE;
            write_instant (ex, r->subject, r->time, what, what);
            if (exception != NULL)
              {
                _ls_json_write_lit (w, ",\"args\":{\"exception\":");
                _ls_json_write_string (w, exception);
                if (r->peer != 0)
                  {
                    _ls_json_write_lit (w, ",\"error\":");
                    _ls_json_write_string (w, ls_trace_get_string (ex->trace, r->peer));
                  }
                _ls_json_write_char (w, '}');
              }
            _ls_json_write_char (w, '}');
          }
      }
      break;

    case LS_TRACE_CANCEL_REQUEST:
      if (lookup_track (ex, r->object) == NULL)
        break;
      write_instant (ex, r->object, r->time, "cancel requested", "cancel");
      _ls_json_write_lit (w, ",\"args\":{\"by\":");
      write_object_name (ex, r->subject);
      _ls_json_write_lit (w, ",\"effective\":");
      if (r->arg != 0)
        _ls_json_write_lit (w, "true");
      else
        _ls_json_write_lit (w, "false");
      if (r->peer != 0)
        {
          _ls_json_write_lit (w, ",\"message\":");
          _ls_json_write_string (w, ls_trace_get_string (ex->trace, r->peer));
        }
      _ls_json_write_lit (w, "}}");
      break;

    case LS_TRACE_PRINT:
      write_instant (ex, r->subject, r->time, ls_trace_get_string (ex->trace, r->peer), "print");
      _ls_json_write_char (w, '}');
      break;

    case LS_TRACE_LOOP_BLOCKED_BEGIN:
      /* the event loop's own track: tid 0 */
      begin_event (ex, "B", 0, r->time);
      _ls_json_write_lit (w, ",\"name\":\"loop blocked\",\"cat\":\"blocked\",\"args\":{\"by\":");
      write_object_name (ex, r->subject);
      _ls_json_write_lit (w, "}}");
      break;

    case LS_TRACE_LOOP_BLOCKED_END:
      begin_event (ex, "E", 0, r->time);
      _ls_json_write_char (w, '}');
      break;

    case LS_TRACE_PRIMITIVE:
      export_primitive (ex, r);
      break;

    default:
      break;
    }
}

void
_ls_trace_export_events (LsJsonWriter *w,
                         LsTrace      *trace)
{
  Exporter ex = { 0 };
  guint64 n = ls_trace_get_n_records (trace);
  gint64 end = ls_trace_get_end_time (trace);

  ex.w = w;
  ex.trace = trace;
  ex.tracks = g_array_new (FALSE, FALSE, sizeof (Track));
  ex.track_index = g_hash_table_new (NULL, NULL);
  ex.kinds = g_hash_table_new (NULL, NULL);
  ex.names = g_hash_table_new (NULL, NULL);
  ex.completions = g_hash_table_new (NULL, NULL);
  ex.done = g_array_new (FALSE, FALSE, sizeof (Completion));

  _ls_json_write_lit (w, "\"traceEvents\":[\n");
  ex.first_event = TRUE;
  write_metadata (&ex, 0, "process_name", "name");
  _ls_json_write_lit (w, "\"Loopscope\"}}");
  write_metadata (&ex, 0, "thread_name", "name");
  _ls_json_write_lit (w, "\"event loop\"}}");
  for (guint64 i = 0; i < n && w->error == NULL; i++)
    export_record (&ex, ls_trace_get_record (trace, i));
  for (guint i = 0; i < ex.tracks->len; i++)
    close_span (&ex, &g_array_index (ex.tracks, Track, i), end);
  _ls_json_write_lit (w, "\n]");

  g_array_unref (ex.tracks);
  g_hash_table_unref (ex.track_index);
  g_hash_table_unref (ex.kinds);
  g_hash_table_unref (ex.names);
  g_hash_table_unref (ex.completions);
  g_array_unref (ex.done);
}
