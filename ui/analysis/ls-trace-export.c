/* SPDX-License-Identifier: MIT
 *
 * Records to Trace Event JSON, for Perfetto, Chrome DevTools, speedscope
 * and chrome://tracing: one thread per task (tid = task id, tid 0 the
 * event loop with its blocked periods, one more per lock with the slices
 * of its owners), "X" slices for running, ready and "waiting: REASON",
 * instants for prints, cancel requests and task ends, flows for wake-ups
 * and handoffs, counters for semaphore permits and queue depths.
 *
 * What the readers need (DESIGN.md, "Trace files"): no slice of zero
 * length (a state that lasted no time on the virtual clock leaves no
 * slice, its neighbours abut anyway; a step that took none is a "running"
 * instant), so a task's slices are one flat sequence; and flows whose ends
 * each sit exactly at the start of a slice or step of the same category
 * ("task"), the start strictly before the end, written after both, the
 * start first. DevTools binds a flow end only to an event with the same
 * ts, pid, tid and cat; Perfetto and catapult to the slice open at that
 * instant. A flow that cannot be drawn so (a woken task that never takes
 * another step) is left out.
 *
 * Everything is derived here from the records, in one pass, so what
 * viewers see can be computed differently without touching the rest of
 * the file format; Loopscope itself never reads these events back.
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
  gboolean has_last;
  gint64  last_start;   /* of the last slice or step written */
  gboolean has_previous;
  gint64  previous_start; /* of the last one before last_start */
  GArray *out_pending;  /* flow indices leaving the open slice */
  GArray *in_pending;   /* flow indices arriving at a later slice */
} Track;

/* Who completed a future, from which slice: where a wake-up arrow starts. */
typedef struct
{
  guint32  task_id;
  gboolean bindable;
  gint64   slice_start;
} Completion;

/* An arrow, written once both its ends are bound to slices. */
typedef struct
{
  const char *name;
  guint32     from;
  guint32     to;
  gint64      from_ts;  /* the start of the slice it leaves */
  gint64      after;    /* it arrives at the first slice starting from here */
  gint64      to_ts;
  gboolean    from_bound;
  gboolean    to_bound;
} Flow;

/* Who holds a lock since when: the slices of the lock's own track. */
typedef struct
{
  guint32  id;
  guint32  owner;
  gint64   since;
  gboolean held;
} LockTrack;

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
  GArray       *flows;        /* Flow; the index + 1 is the flow's id */
  GArray       *locks;        /* LockTrack, in creation order */
  GHashTable   *lock_index;   /* lock id -> index + 1 */
  gint64        blocked_since;
  guint32       blocked_by;
  gboolean      blocked;
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

/* A task's name: its own, or Task-<number>. */
static char *
task_name (Exporter    *ex,
           const Track *t)
{
  if (t->name_id != 0)
    return g_strdup (ls_trace_get_string (ex->trace, t->name_id));
  return g_strdup_printf ("Task-%u", t->number);
}

/* A task, a primitive (by its kind and name), or NULL for a plain id. */
static char *
known_object_name (Exporter *ex,
                   guint32   id)
{
  Track *t = lookup_track (ex, id);
  gpointer kind;

  if (t != NULL)
    return task_name (ex, t);
  if (g_hash_table_lookup_extended (ex->kinds, GUINT_TO_POINTER (id), NULL, &kind))
    {
      guint32 name_id = GPOINTER_TO_UINT (g_hash_table_lookup (ex->names, GUINT_TO_POINTER (id)));
      const char *kind_name = ls_object_kind_name (GPOINTER_TO_UINT (kind));
      char *name = g_strdup_printf ("%s %s", kind_name,
                                    name_id != 0 ? ls_trace_get_string (ex->trace, name_id) : "");

      return g_strchomp (name);
    }
  return NULL;
}

static char *
object_name (Exporter *ex,
             guint32   id)
{
  char *name = known_object_name (ex, id);

  return name != NULL ? name : g_strdup_printf ("#%u", id);
}

static void
write_object_name (Exporter *ex,
                   guint32   id)
{
  g_autofree char *name = object_name (ex, id);

  _ls_json_write_string (ex->w, name);
}

/* A slice's "dur" such that ts + dur, added in doubles as the readers
 * do, never passes @end: 656720.14 + 122685.19 is 779405.3300000001, and
 * a slice ending after the next one starts would nest it. The lost
 * nanosecond is the viewers' only: Loopscope reads its own records. */
static void
write_duration (LsJsonWriter *w,
                gint64        start,
                gint64        end)
{
  gint64 dur = end - start;

  while (dur > 1 && start / 1e3 + dur / 1e3 > end / 1e3)
    dur--;
  _ls_json_write_us (w, dur);
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

static void
write_flow_event (Exporter   *ex,
                  const Flow *f,
                  guint64     id,
                  gboolean    start)
{
  LsJsonWriter *w = ex->w;

  begin_event (ex, start ? "s" : "f", start ? f->from : f->to, start ? f->from_ts : f->to_ts);
  if (!start)
    _ls_json_write_lit (w, ",\"bp\":\"e\"");
  _ls_json_write_lit (w, ",\"name\":\"");
  _ls_json_write_str (w, f->name);
  _ls_json_write_lit (w, "\",\"cat\":\"task\",\"id\":");
  _ls_json_write_int (w, id);
  _ls_json_write_char (w, '}');
}

/* Writes a flow once both its slices are written: its start first, as
 * DevTools pairs them in file order. */
static void
flow_bound (Exporter *ex,
            guint     index)
{
  const Flow *f = &g_array_index (ex->flows, Flow, index);

  if (!f->from_bound || !f->to_bound)
    return;
  g_assert (f->from_ts < f->to_ts);
  write_flow_event (ex, f, index + 1, TRUE);
  write_flow_event (ex, f, index + 1, FALSE);
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

/* The slice of a task's state, from its start to @now. */
static void
write_slice (Exporter *ex,
             Track    *t,
             gint64    now)
{
  LsJsonWriter *w = ex->w;
  const char *name = state_name (t->state);

  begin_event (ex, "X", t->id, t->since);
  _ls_json_write_lit (w, ",\"dur\":");
  write_duration (w, t->since, now);
  _ls_json_write_lit (w, ",\"name\":");
  /* Everything in the name, no args: speedscope makes the args part of a
   * frame's name, so each sleep would be a frame of its own. The reason
   * in the name, so that Perfetto colours waits by reason, and what it
   * waits for when that has a name. */
  if (t->state == LS_TASK_STATE_WAITING)
    {
      const char *reason = ls_wait_reason_name (t->wait_reason);
      g_autofree char *object = t->wait_object != 0 ? known_object_name (ex, t->wait_object)
                                                    : NULL;
      g_autofree char *title = object != NULL ? g_strdup_printf ("waiting: %s (%s)", reason,
                                                                 object)
                                              : g_strdup_printf ("waiting: %s", reason);

      _ls_json_write_string (w, title);
    }
  else
    {
      _ls_json_write_char (w, '"');
      _ls_json_write_str (w, name);
      _ls_json_write_char (w, '"');
    }
  _ls_json_write_lit (w, ",\"cat\":\"task\"}");
}

/* The slice a task was in, from its start to @now: none when it lasted
 * no time. Binds the flows waiting for it. */
static void
close_span (Exporter *ex,
            Track    *t,
            gint64    now)
{
  guint kept = 0;

  if (!t->alive)
    return;
  if (now <= t->since)
    {
      if (t->state != LS_TASK_STATE_RUNNING)
        return;
      /* a step that took no time: an instant, where wake-up arrows end */
      write_instant (ex, t->id, t->since, "running", "task");
      _ls_json_write_char (ex->w, '}');
    }
  else
    write_slice (ex, t, now);
  if (!t->has_last || t->since > t->last_start)
    {
      t->has_previous = t->has_last;
      t->previous_start = t->last_start;
    }
  t->has_last = TRUE;
  t->last_start = t->since;

  for (guint i = 0; i < t->out_pending->len; i++)
    {
      guint index = g_array_index (t->out_pending, guint, i);

      g_array_index (ex->flows, Flow, index).from_bound = TRUE;
      flow_bound (ex, index);
    }
  g_array_set_size (t->out_pending, 0);
  for (guint i = 0; i < t->in_pending->len; i++)
    {
      guint index = g_array_index (t->in_pending, guint, i);
      Flow *f = &g_array_index (ex->flows, Flow, index);

      if (f->after > t->since)
        {
          g_array_index (t->in_pending, guint, kept++) = index;
          continue;
        }
      f->to_ts = t->since;
      f->to_bound = TRUE;
      flow_bound (ex, index);
    }
  g_array_set_size (t->in_pending, kept);
}

/* Where an arrow leaving @t at @now starts: the slice the task was in up
 * to @now, so that the arrow's start comes strictly before its end. */
static gboolean
source_slice (const Track *t,
              gint64       now,
              gint64      *start)
{
  if (t->alive && t->since < now)
    *start = t->since;
  else if (t->has_last && t->last_start < now)
    *start = t->last_start;
  else if (t->has_previous)
    *start = t->previous_start;  /* steps at @now already written */
  else
    return FALSE;
  return *start < now;
}

/* An arrow from the slice of @from that starts at @from_start to the first
 * slice of @to that starts at @after or later. */
static void
add_flow (Exporter   *ex,
          const char *name,
          Track      *from,
          gint64      from_start,
          Track      *to,
          gint64      after)
{
  Flow f = { name, from->id, to->id, from_start, after, 0, FALSE, FALSE };
  guint index = ex->flows->len;

  if (from == to || !to->alive)
    return;
  if (from->alive && from->since == from_start)
    g_array_append_val (from->out_pending, index);
  else
    f.from_bound = TRUE;
  g_array_append_val (ex->flows, f);
  g_array_append_val (to->in_pending, index);
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
write_thread (Exporter   *ex,
              guint32     tid,
              const char *name,
              guint       sort_index)
{
  LsJsonWriter *w = ex->w;

  write_metadata (ex, tid, "thread_name", "name");
  _ls_json_write_string (w, name);
  _ls_json_write_lit (w, "}}");
  write_metadata (ex, tid, "thread_sort_index", "sort_index");
  _ls_json_write_int (w, sort_index);
  _ls_json_write_lit (w, "}}");
}

static void
export_object_new (Exporter            *ex,
                   const LsTraceRecord *r)
{
  if (r->reason == LS_OBJECT_TASK)
    {
      Track t = { r->object, r->peer, (guint32) r->arg, LS_TASK_STATE_READY, 0, 0, r->time, TRUE,
                  FALSE, 0, FALSE, 0, g_array_new (FALSE, FALSE, sizeof (guint)),
                  g_array_new (FALSE, FALSE, sizeof (guint)) };
      g_autofree char *name = task_name (ex, &t);

      g_array_append_val (ex->tracks, t);
      g_hash_table_insert (ex->track_index, GUINT_TO_POINTER (r->object),
                           GUINT_TO_POINTER (ex->tracks->len));
      /* tracks in creation order, not by id */
      write_thread (ex, r->object, name, ex->tracks->len);
    }
  else if (ls_object_kind_is_primitive (r->reason))
    {
      g_hash_table_insert (ex->kinds, GUINT_TO_POINTER (r->object),
                           GUINT_TO_POINTER ((guint) r->reason));
      if (r->peer != 0)
        g_hash_table_insert (ex->names, GUINT_TO_POINTER (r->object),
                             GUINT_TO_POINTER (r->peer));
      if (r->reason == LS_OBJECT_LOCK)
        {
          g_autofree char *name = object_name (ex, r->object);

          LockTrack lock = { r->object, 0, 0, FALSE };

          /* a lock's owners on a track of its own, below the tasks */
          g_array_append_val (ex->locks, lock);
          g_hash_table_insert (ex->lock_index, GUINT_TO_POINTER (r->object),
                               GUINT_TO_POINTER (ex->locks->len));
          write_thread (ex, r->object, name, 1000000 + ex->locks->len);
        }
      if (ls_object_kind_is_semaphore (r->reason))
        write_counter (ex, r->object, r->time, "permits", r->arg);
      else if (ls_object_kind_is_queue (r->reason))
        write_counter (ex, r->object, r->time, "depth", 0);
    }
}

/* The slice "held by TASK" on the lock's track, when it lasted. */
static void
lock_released (Exporter  *ex,
               LockTrack *l,
               gint64     now)
{
  LsJsonWriter *w = ex->w;
  g_autofree char *owner = NULL;
  g_autofree char *title = NULL;

  if (!l->held)
    return;
  l->held = FALSE;
  if (now <= l->since)
    return;
  owner = object_name (ex, l->owner);
  title = g_strdup_printf ("held by %s", owner);
  begin_event (ex, "X", l->id, l->since);
  _ls_json_write_lit (w, ",\"dur\":");
  write_duration (w, l->since, now);
  _ls_json_write_lit (w, ",\"name\":");
  _ls_json_write_string (w, title);
  _ls_json_write_lit (w, ",\"cat\":\"lock\"}");
}

static void
export_primitive (Exporter            *ex,
                  const LsTraceRecord *r)
{
  guint kind = GPOINTER_TO_UINT (g_hash_table_lookup (ex->kinds, GUINT_TO_POINTER (r->object)));
  gboolean semaphore = ls_object_kind_is_semaphore (kind);
  guint lock_index = GPOINTER_TO_UINT (g_hash_table_lookup (ex->lock_index,
                                                            GUINT_TO_POINTER (r->object)));
  LockTrack *lock = lock_index > 0 ? &g_array_index (ex->locks, LockTrack, lock_index - 1) : NULL;

  if (r->reason == LS_PRIMITIVE_HANDOFF && r->peer != 0)
    {
      Track *from = lookup_track (ex, r->subject);
      Track *to = lookup_track (ex, r->peer);
      gint64 start;

      if (from != NULL && to != NULL && source_slice (from, r->time, &start))
        add_flow (ex, "handoff", from, start, to, r->time);
    }
  if (lock != NULL)
    {
      if (r->reason == LS_PRIMITIVE_ACQUIRED)
        {
          lock_released (ex, lock, r->time);
          lock->owner = r->subject;
          lock->since = r->time;
          lock->held = TRUE;
        }
      else if (r->reason == LS_PRIMITIVE_RELEASED)
        lock_released (ex, lock, r->time);
      return;
    }
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
          Track *from = c != NULL && c->bindable ? lookup_track (ex, c->task_id) : NULL;
          Track *to = lookup_track (ex, r->subject);

          if (from != NULL && to != NULL)
            add_flow (ex, "wakeup", from, c->slice_start, to, r->time);
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
        Track *t = lookup_track (ex, r->subject);

        if (r->subject != 0)
          {
            Completion c = { r->subject, FALSE, 0 };

            /* the slice the completing task was in: a wake-up leaves it */
            if (t != NULL)
              c.bindable = source_slice (t, r->time, &c.slice_start);
            g_array_append_val (ex->done, c);
            g_hash_table_insert (ex->completions, GUINT_TO_POINTER (future),
                                 GUINT_TO_POINTER (ex->done->len));
          }
        if (r->kind == LS_TRACE_TASK_DONE)
          {
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
      ex->blocked = TRUE;
      ex->blocked_since = r->time;
      ex->blocked_by = r->subject;
      break;

    case LS_TRACE_LOOP_BLOCKED_END:
      /* the event loop's own track: tid 0, a slice when it lasted */
      if (ex->blocked && r->time > ex->blocked_since)
        {
          g_autofree char *by = object_name (ex, ex->blocked_by);
          g_autofree char *title = g_strdup_printf ("loop blocked by %s", by);

          begin_event (ex, "X", 0, ex->blocked_since);
          _ls_json_write_lit (w, ",\"dur\":");
          write_duration (w, ex->blocked_since, r->time);

          _ls_json_write_lit (w, ",\"name\":");
          _ls_json_write_string (w, title);
          _ls_json_write_lit (w, ",\"cat\":\"blocked\"}");
        }
      ex->blocked = FALSE;
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
  ex.flows = g_array_new (FALSE, FALSE, sizeof (Flow));
  ex.locks = g_array_new (FALSE, FALSE, sizeof (LockTrack));
  ex.lock_index = g_hash_table_new (NULL, NULL);

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
  for (guint i = 0; i < ex.locks->len; i++)
    lock_released (&ex, &g_array_index (ex.locks, LockTrack, i), end);
  _ls_json_write_lit (w, "\n]");

  for (guint i = 0; i < ex.tracks->len; i++)
    {
      g_array_unref (g_array_index (ex.tracks, Track, i).out_pending);
      g_array_unref (g_array_index (ex.tracks, Track, i).in_pending);
    }
  g_array_unref (ex.tracks);
  g_hash_table_unref (ex.track_index);
  g_hash_table_unref (ex.kinds);
  g_hash_table_unref (ex.names);
  g_hash_table_unref (ex.completions);
  g_array_unref (ex.done);
  g_array_unref (ex.flows);
  g_array_unref (ex.locks);
  g_hash_table_unref (ex.lock_index);
}
