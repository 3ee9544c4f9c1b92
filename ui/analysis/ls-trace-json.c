/* SPDX-License-Identifier: MIT
 *
 * Trace files. Writing streams: a trace of millions of records would make
 * millions of JsonNodes, so events are formatted into a 256 KiB buffer that
 * goes to the GOutputStream as it fills. Reading a Loopscope file maps it
 * and walks it once with a small validating scanner that keeps nothing but
 * the "loopscope" section (the records are base64, decoded straight into
 * the trace's chunks): peak memory is the mapped file plus the records.
 * Another tool's file (no "loopscope" key) goes through JsonParser.
 *
 * File layout:
 *
 *   {"displayTimeUnit":"ns",
 *    "traceEvents":[ ...Trace Event Format, times in µs... ],
 *    "loopscope":{"format":"loopscope-trace","version":1,"scenario":ID,
 *                 "title":T,"seed":N,"created":ISO-8601,"n_records":N,
 *                 "strings":[interned strings from id 1],
 *                 "records":"base64 of the 32-byte records, little-endian"}}
 */
#include "config.h"

#include "ls-trace-json.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ls-atomic-file.h"
#include "ls-trace-state.h"

#define FORMAT_NAME    "loopscope-trace"
#define FORMAT_VERSION 1
#define WRITE_BUFFER   (256 * 1024)
#define MAX_DEPTH      256
/* another tool's file is read into a JsonNode tree: keep it modest */
#define FOREIGN_MAX_BYTES (G_GINT64_CONSTANT (256) << 20)

G_DEFINE_QUARK (ls-trace-json-error-quark, ls_trace_json_error)

void
ls_trace_info_clear (LsTraceInfo *info)
{
  g_clear_pointer (&info->scenario_id, g_free);
  g_clear_pointer (&info->title, g_free);
  g_clear_pointer (&info->created, g_free);
  info->seed = 0;
}

/* ---- the buffered writer ---------------------------------------------------- */

typedef struct
{
  GOutputStream *out;
  char          *buf;
  gsize          len;
  GError        *error;
} Writer;

static void
w_flush (Writer *w)
{
  if (w->len > 0 && w->error == NULL)
    g_output_stream_write_all (w->out, w->buf, w->len, NULL, NULL, &w->error);
  w->len = 0;
}

static inline void
w_put (Writer     *w,
       const char *s,
       gsize       n)
{
  if (G_UNLIKELY (w->len + n > WRITE_BUFFER))
    {
      w_flush (w);
      if (n > WRITE_BUFFER)
        {
          if (w->error == NULL)
            g_output_stream_write_all (w->out, s, n, NULL, NULL, &w->error);
          return;
        }
    }
  memcpy (w->buf + w->len, s, n);
  w->len += n;
}

#define w_lit(w, s) w_put ((w), "" s, sizeof (s) - 1)

static inline void
w_char (Writer *w,
        char    c)
{
  if (G_UNLIKELY (w->len == WRITE_BUFFER))
    w_flush (w);
  w->buf[w->len++] = c;
}

static void
w_int (Writer *w,
       gint64  v)
{
  char tmp[24];
  int i = sizeof tmp;
  guint64 u = v < 0 ? -(guint64) v : (guint64) v;

  do
    tmp[--i] = '0' + u % 10;
  while ((u /= 10) != 0);
  if (v < 0)
    tmp[--i] = '-';
  w_put (w, tmp + i, sizeof tmp - i);
}

/* Nanoseconds as the format's microseconds, exactly: "1234.567". */
static void
w_us (Writer *w,
      gint64  ns)
{
  gint64 frac;
  char tmp[4];

  if (ns < 0)
    {
      w_char (w, '-');
      ns = -ns;
    }
  w_int (w, ns / 1000);
  frac = ns % 1000;
  if (frac == 0)
    return;
  tmp[0] = '.';
  tmp[1] = '0' + frac / 100;
  tmp[2] = '0' + frac / 10 % 10;
  tmp[3] = '0' + frac % 10;
  w_put (w, tmp, 4);
}

static void
w_string (Writer     *w,
          const char *s)
{
  g_autofree char *valid = NULL;
  const char *run;

  if (!g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);
  w_char (w, '"');
  run = s;
  for (; *s != '\0'; s++)
    {
      unsigned char c = *s;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      w_put (w, run, s - run);
      run = s + 1;
      switch (c)
        {
        case '"': w_lit (w, "\\\""); break;
        case '\\': w_lit (w, "\\\\"); break;
        case '\n': w_lit (w, "\\n"); break;
        case '\t': w_lit (w, "\\t"); break;
        case '\r': w_lit (w, "\\r"); break;
        default:
          {
            char esc[7];

            g_snprintf (esc, sizeof esc, "\\u%04x", c);
            w_put (w, esc, 6);
          }
          break;
        }
    }
  w_put (w, run, s - run);
  w_char (w, '"');
}

/* ---- Trace Event export ------------------------------------------------------- */

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
  Writer      w;
  LsTrace    *trace;
  gboolean    first_event;
  GArray     *tracks;       /* Track, in creation order */
  GHashTable *track_index;  /* task id -> index + 1 */
  GHashTable *kinds;        /* primitive id -> LsObjectKind */
  GHashTable *names;        /* primitive id -> name string id */
  GHashTable *completions;  /* future id -> index + 1 in done */
  GArray     *done;         /* Completion */
  guint64     next_flow;
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
  Writer *w = &ex->w;

  if (ex->first_event)
    ex->first_event = FALSE;
  else
    w_lit (w, ",\n");
  w_lit (w, "{\"ph\":\"");
  w_put (w, ph, strlen (ph));
  w_lit (w, "\",\"pid\":1,\"tid\":");
  w_int (w, tid);
  w_lit (w, ",\"ts\":");
  w_us (w, ts);
}

static void
write_task_name (Exporter    *ex,
                 const Track *t)
{
  if (t->name_id != 0)
    w_string (&ex->w, ls_trace_get_string (ex->trace, t->name_id));
  else
    {
      char name[32];

      g_snprintf (name, sizeof name, "Task-%u", t->number);
      w_string (&ex->w, name);
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
      g_autofree char *name = g_strdup_printf ("%s %s", ls_object_kind_name (GPOINTER_TO_UINT (kind)),
                                               name_id != 0
                                               ? ls_trace_get_string (ex->trace, name_id)
                                               : "");

      w_string (&ex->w, g_strchomp (name));
    }
  else
    {
      char name[32];

      g_snprintf (name, sizeof name, "#%u", id);
      w_string (&ex->w, name);
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
  Writer *w = &ex->w;
  const char *name = state_name (t->state);

  if (!t->alive)
    return;
  begin_event (ex, "X", t->id, t->since);
  w_lit (w, ",\"dur\":");
  w_us (w, now - t->since);
  w_lit (w, ",\"name\":\"");
  w_put (w, name, strlen (name));
  if (t->state == LS_TASK_STATE_WAITING)
    {
      const char *reason = ls_wait_reason_name (t->wait_reason);

      /* the reason in the name, so that Perfetto colours waits by reason */
      w_lit (w, ": ");
      w_put (w, reason, strlen (reason));
      w_lit (w, "\",\"cat\":\"waiting\",\"args\":{\"reason\":\"");
      w_put (w, reason, strlen (reason));
      w_char (w, '"');
      if (t->wait_object != 0)
        {
          w_lit (w, ",\"object\":");
          w_int (w, t->wait_object);
          w_lit (w, ",\"object_name\":");
          write_object_name (ex, t->wait_object);
        }
      w_lit (w, "}}");
    }
  else
    {
      w_lit (w, "\",\"cat\":\"");
      w_put (w, name, strlen (name));
      w_lit (w, "\"}");
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
  Writer *w = &ex->w;

  begin_event (ex, "i", tid, ts);
  w_lit (w, ",\"s\":\"t\",\"name\":");
  w_string (w, name);
  w_lit (w, ",\"cat\":\"");
  w_put (w, cat, strlen (cat));
  w_char (w, '"');
}

static void
write_flow (Exporter   *ex,
            const char *name,
            guint32     from,
            gint64      from_time,
            guint32     to,
            gint64      to_time)
{
  Writer *w = &ex->w;
  guint64 id = ++ex->next_flow;

  begin_event (ex, "s", from, from_time);
  w_lit (w, ",\"name\":\"");
  w_put (w, name, strlen (name));
  w_lit (w, "\",\"cat\":\"");
  w_put (w, name, strlen (name));
  w_lit (w, "\",\"id\":");
  w_int (w, id);
  w_char (w, '}');
  begin_event (ex, "f", to, to_time);
  w_lit (w, ",\"bp\":\"e\",\"name\":\"");
  w_put (w, name, strlen (name));
  w_lit (w, "\",\"cat\":\"");
  w_put (w, name, strlen (name));
  w_lit (w, "\",\"id\":");
  w_int (w, id);
  w_char (w, '}');
}

static void
write_counter (Exporter   *ex,
               guint32     primitive,
               gint64      ts,
               const char *series,
               gint64      value)
{
  Writer *w = &ex->w;

  begin_event (ex, "C", 0, ts);
  w_lit (w, ",\"name\":");
  write_object_name (ex, primitive);
  w_lit (w, ",\"args\":{\"");
  w_put (w, series, strlen (series));
  w_lit (w, "\":");
  w_int (w, value);
  w_lit (w, "}}");
}

static void
write_metadata (Exporter   *ex,
                guint32     tid,
                const char *what,
                const char *key)
{
  Writer *w = &ex->w;

  if (ex->first_event)
    ex->first_event = FALSE;
  else
    w_lit (w, ",\n");
  w_lit (w, "{\"ph\":\"M\",\"pid\":1,\"tid\":");
  w_int (w, tid);
  w_lit (w, ",\"name\":\"");
  w_put (w, what, strlen (what));
  w_lit (w, "\",\"args\":{\"");
  w_put (w, key, strlen (key));
  w_lit (w, "\":");
}

static void
export_object_new (Exporter            *ex,
                   const LsTraceRecord *r)
{
  Writer *w = &ex->w;

  if (r->reason == LS_OBJECT_TASK)
    {
      Track t = { r->object, r->peer, (guint32) r->arg, LS_TASK_STATE_READY, 0, 0, r->time, TRUE };

      g_array_append_val (ex->tracks, t);
      g_hash_table_insert (ex->track_index, GUINT_TO_POINTER (r->object),
                           GUINT_TO_POINTER (ex->tracks->len));
      write_metadata (ex, r->object, "thread_name", "name");
      write_task_name (ex, &t);
      w_lit (w, "}}");
      /* tracks in creation order, not by id */
      write_metadata (ex, r->object, "thread_sort_index", "sort_index");
      w_int (w, ex->tracks->len);
      w_lit (w, "}}");
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
  Writer *w = &ex->w;

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

            if (t == NULL)
              break;
            close_span (ex, t, r->time);
            t->alive = FALSE;
            write_instant (ex, r->subject, r->time, what, what);
            if (r->peer != 0)
              {
                w_lit (w, ",\"args\":{\"error\":");
                w_string (w, ls_trace_get_string (ex->trace, r->peer));
                w_char (w, '}');
              }
            w_char (w, '}');
          }
      }
      break;

    case LS_TRACE_CANCEL_REQUEST:
      if (lookup_track (ex, r->object) == NULL)
        break;
      write_instant (ex, r->object, r->time, "cancel requested", "cancel");
      w_lit (w, ",\"args\":{\"by\":");
      write_object_name (ex, r->subject);
      w_lit (w, ",\"effective\":");
      if (r->arg != 0)
        w_lit (w, "true");
      else
        w_lit (w, "false");
      if (r->peer != 0)
        {
          w_lit (w, ",\"message\":");
          w_string (w, ls_trace_get_string (ex->trace, r->peer));
        }
      w_lit (w, "}}");
      break;

    case LS_TRACE_PRINT:
      write_instant (ex, r->subject, r->time, ls_trace_get_string (ex->trace, r->peer), "print");
      w_char (w, '}');
      break;

    case LS_TRACE_LOOP_BLOCKED_BEGIN:
      /* the event loop's own track: tid 0 */
      begin_event (ex, "B", 0, r->time);
      w_lit (w, ",\"name\":\"loop blocked\",\"cat\":\"blocked\",\"args\":{\"by\":");
      write_object_name (ex, r->subject);
      w_lit (w, "}}");
      break;

    case LS_TRACE_LOOP_BLOCKED_END:
      begin_event (ex, "E", 0, r->time);
      w_char (w, '}');
      break;

    case LS_TRACE_PRIMITIVE:
      export_primitive (ex, r);
      break;

    default:
      break;
    }
}

static void
write_trace_events (Exporter *ex)
{
  Writer *w = &ex->w;
  guint64 n = ls_trace_get_n_records (ex->trace);
  gint64 end = ls_trace_get_end_time (ex->trace);

  w_lit (w, "\"traceEvents\":[\n");
  ex->first_event = TRUE;
  write_metadata (ex, 0, "process_name", "name");
  w_lit (w, "\"Loopscope\"}}");
  write_metadata (ex, 0, "thread_name", "name");
  w_lit (w, "\"event loop\"}}");
  for (guint64 i = 0; i < n && ex->w.error == NULL; i++)
    {
      export_record (ex, ls_trace_get_record (ex->trace, i));
    }
  for (guint i = 0; i < ex->tracks->len; i++)
    close_span (ex, &g_array_index (ex->tracks, Track, i), end);
  w_lit (w, "\n]");
}

static void
write_records (Writer  *w,
               LsTrace *trace)
{
  guint64 n = ls_trace_get_n_records (trace);
  /* 3 records = 96 bytes = 128 base64 characters: whole records per step */
  enum { BATCH = 3 * 1024 };
  g_autofree char *out = g_malloc (BATCH * sizeof (LsTraceRecord) / 3 * 4 + 16);
  g_autofree LsTraceRecord *swapped = NULL;
  int state = 0, save = 0;
  gsize len;

  w_char (w, '"');
  for (guint64 i = 0; i < n; i += BATCH)
    {
      guint64 count = MIN (BATCH, n - i);
      const guchar *data;

      /* a batch of whole records, in little-endian whatever the host:
       * base64 steps of 3 records end on a character boundary */
      if (swapped == NULL)
        swapped = g_new (LsTraceRecord, BATCH);
      for (guint64 j = 0; j < count; j++)
        {
          const LsTraceRecord *r = ls_trace_get_record (trace, i + j);
          LsTraceRecord *s = &swapped[j];

          s->time = GINT64_TO_LE (r->time);
          s->kind = GUINT16_TO_LE (r->kind);
          s->reason = GUINT16_TO_LE (r->reason);
          s->subject = GUINT32_TO_LE (r->subject);
          s->object = GUINT32_TO_LE (r->object);
          s->peer = GUINT32_TO_LE (r->peer);
          s->arg = GINT64_TO_LE (r->arg);
        }
      data = (const guchar *) swapped;
      len = g_base64_encode_step (data, count * sizeof (LsTraceRecord), FALSE, out, &state, &save);
      w_put (w, out, len);
    }
  len = g_base64_encode_close (FALSE, out, &state, &save);
  w_put (w, out, len);
  w_char (w, '"');
}

static void
write_loopscope (Writer            *w,
                 LsTrace           *trace,
                 const LsTraceInfo *info)
{
  guint32 n_strings = ls_trace_get_n_strings (trace);

  w_lit (w, "\"loopscope\":{\"format\":\"" FORMAT_NAME "\",\"version\":");
  w_int (w, FORMAT_VERSION);
  w_lit (w, ",\n\"scenario\":");
  if (info != NULL && info->scenario_id != NULL)
    w_string (w, info->scenario_id);
  else
    w_lit (w, "null");
  w_lit (w, ",\"title\":");
  if (info != NULL && info->title != NULL)
    w_string (w, info->title);
  else
    w_lit (w, "null");
  w_lit (w, ",\"seed\":");
  w_int (w, info != NULL ? info->seed : 0);
  w_lit (w, ",\"created\":");
  if (info != NULL && info->created != NULL)
    w_string (w, info->created);
  else
    w_lit (w, "null");
  w_lit (w, ",\"n_records\":");
  w_int (w, ls_trace_get_n_records (trace));
  w_lit (w, ",\n\"strings\":[");
  for (guint32 i = 1; i < n_strings; i++)
    {
      if (i > 1)
        w_char (w, ',');
      w_string (w, ls_trace_get_string (trace, i));
    }
  w_lit (w, "],\n\"records\":");
  write_records (w, trace);
  w_char (w, '}');
}

gboolean
ls_trace_write_json (LsTrace           *trace,
                     const LsTraceInfo *info,
                     GOutputStream     *out,
                     GError           **error)
{
  Exporter ex = { 0 };
  g_autofree char *buf = g_malloc (WRITE_BUFFER);

  g_return_val_if_fail (LS_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  ex.w.out = out;
  ex.w.buf = buf;
  ex.trace = trace;
  ex.tracks = g_array_new (FALSE, FALSE, sizeof (Track));
  ex.track_index = g_hash_table_new (NULL, NULL);
  ex.kinds = g_hash_table_new (NULL, NULL);
  ex.names = g_hash_table_new (NULL, NULL);
  ex.completions = g_hash_table_new (NULL, NULL);
  ex.done = g_array_new (FALSE, FALSE, sizeof (Completion));

  w_lit (&ex.w, "{\"displayTimeUnit\":\"ns\",\n");
  write_trace_events (&ex);
  w_lit (&ex.w, ",\n");
  write_loopscope (&ex.w, trace, info);
  w_lit (&ex.w, "}\n");
  w_flush (&ex.w);

  g_array_unref (ex.tracks);
  g_hash_table_unref (ex.track_index);
  g_hash_table_unref (ex.kinds);
  g_hash_table_unref (ex.names);
  g_hash_table_unref (ex.completions);
  g_array_unref (ex.done);
  if (ex.w.error != NULL)
    {
      g_propagate_error (error, ex.w.error);
      return FALSE;
    }
  return TRUE;
}

gboolean
ls_trace_save_json (LsTrace           *trace,
                    const LsTraceInfo *info,
                    const char        *path,
                    GError           **error)
{
  g_autoptr(LsAtomicFile) file = ls_atomic_file_new (path, error);
  g_autoptr(GError) local_error = NULL;

  if (file == NULL)
    return FALSE;
  if (!ls_trace_write_json (trace, info, ls_atomic_file_get_stream (file), &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, _("%s: cannot write: %s"), path,
                   local_error->message);
      return FALSE;
    }
  return ls_atomic_file_commit (file, error);
}

/* ---- reading: the scanner ------------------------------------------------------ */

typedef struct
{
  const char  *start;
  const char  *p;
  const char  *end;
  const char  *path;
  GError     **error;
} Scanner;

/* One line naming the file, where and what. */
G_GNUC_PRINTF (3, 4)
static gboolean
scan_fail (Scanner    *s,
           int         code,
           const char *format,
           ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (s->error != NULL && *s->error != NULL)
    return FALSE;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (s->p >= s->end)
    g_set_error (s->error, LS_TRACE_JSON_ERROR, code,
                 _("%s: the file ends too early (truncated?): %s"), s->path, what);
  else
    {
      guint line = 1;
      const char *line_start = s->start;

      for (const char *q = s->start; q < s->p; q++)
        if (*q == '\n')
          {
            line++;
            line_start = q + 1;
          }
      g_set_error (s->error, LS_TRACE_JSON_ERROR, code, _("%s: line %u, column %u: %s"), s->path,
                   line, (guint) (s->p - line_start) + 1, what);
    }
  return FALSE;
}

static inline void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static gboolean
expect (Scanner *s,
        char     c)
{
  skip_ws (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("expected “%c”"), c);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    {
      s->p = s->end;
      return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
    }
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[i]);

      if (h < 0)
        return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
      v = v << 4 | h;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* A string at s->p (after whitespace); its text goes to @out when not NULL.
 * Plain runs are checked quickly: decoding is only for the few strings
 * we keep. */
static gboolean
scan_string (Scanner *s,
             GString *out)
{
  const char *run;

  if (!expect (s, '"'))
    return FALSE;
  run = s->p;
  while (s->p < s->end)
    {
      unsigned char c = *s->p;

      if (c == '"')
        {
          if (out != NULL)
            g_string_append_len (out, run, s->p - run);
          s->p++;
          if (out != NULL && !g_utf8_validate (out->str, out->len, NULL))
            return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("a string is not valid UTF-8"));
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("control character in a string"));
      if (c != '\\')
        {
          s->p++;
          continue;
        }
      if (out != NULL)
        g_string_append_len (out, run, s->p - run);
      s->p++;
      if (s->p >= s->end)
        break;
      c = *s->p++;
      switch (c)
        {
        case '"': case '\\': case '/':
          if (out != NULL)
            g_string_append_c (out, c);
          break;
        case 'b': if (out != NULL) g_string_append_c (out, '\b'); break;
        case 'f': if (out != NULL) g_string_append_c (out, '\f'); break;
        case 'n': if (out != NULL) g_string_append_c (out, '\n'); break;
        case 'r': if (out != NULL) g_string_append_c (out, '\r'); break;
        case 't': if (out != NULL) g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!read_hex4 (s, &u))
              return FALSE;
            if (u >= 0xd800 && u < 0xdc00)
              {
                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
                s->p += 2;
                if (!read_hex4 (s, &low) || low < 0xdc00 || low > 0xdfff)
                  return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            else if (u >= 0xdc00 && u < 0xe000)
              return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
            if (u == 0)
              return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("a string holds a NUL"));
            if (out != NULL)
              g_string_append_unichar (out, u);
          }
          break;
        default:
          s->p--;
          return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad escape in a string"));
        }
      run = s->p;
    }
  return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("unterminated string"));
}

static gboolean
scan_number (Scanner *s,
             gint64  *out)
{
  const char *begin;
  gboolean integral = TRUE;

  skip_ws (s);
  begin = s->p;
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("expected a value"));
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      integral = FALSE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad number"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      integral = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad number"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (out != NULL)
    {
      char tmp[32];
      gsize n = s->p - begin;

      if (!integral || n >= sizeof tmp)
        return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("expected an integer"));
      memcpy (tmp, begin, n);
      tmp[n] = '\0';
      if (!g_ascii_string_to_signed (tmp, 10, G_MININT64, G_MAXINT64, out, NULL))
        return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("integer out of range"));
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    {
      if ((gsize) (s->end - s->p) < n && memcmp (s->p, word, s->end - s->p) == 0)
        s->p = s->end;
      return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("expected a value"));
    }
  s->p += n;
  return TRUE;
}

/* Validates and skips one value. */
static gboolean
skip_value (Scanner *s,
            int      depth)
{
  skip_ws (s);
  if (s->p >= s->end)
    return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("expected a value"));
  if (depth > MAX_DEPTH)
    return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("nested too deeply"));
  switch (*s->p)
    {
    case '"':
      return scan_string (s, NULL);
    case '{':
      s->p++;
      skip_ws (s);
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      for (;;)
        {
          if (!scan_string (s, NULL) || !expect (s, ':') || !skip_value (s, depth + 1))
            return FALSE;
          skip_ws (s);
          if (s->p < s->end && *s->p == ',')
            s->p++;
          else
            return expect (s, '}');
        }
    case '[':
      s->p++;
      skip_ws (s);
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      for (;;)
        {
          if (!skip_value (s, depth + 1))
            return FALSE;
          skip_ws (s);
          if (s->p < s->end && *s->p == ',')
            s->p++;
          else
            return expect (s, ']');
        }
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      return scan_number (s, NULL);
    }
}

/* A string or null. */
static gboolean
scan_optional_string (Scanner  *s,
                      char    **out)
{
  g_autoptr(GString) text = NULL;

  skip_ws (s);
  if (s->p < s->end && *s->p == 'n')
    return scan_literal (s, "null");
  text = g_string_new (NULL);
  if (!scan_string (s, text))
    return FALSE;
  g_free (*out);
  *out = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

/* ---- reading: the loopscope section ------------------------------------------ */

typedef struct
{
  LsTrace     *trace;
  LsTraceInfo *info;
  gboolean     seen_format;
  gboolean     seen_strings;
  gboolean     seen_records;
  gint64       n_records;   /* -1 until read */
} Section;

static gboolean
scan_strings (Scanner *s,
              Section *sec)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint32 expected = 1;

  if (!expect (s, '['))
    return FALSE;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      g_string_truncate (text, 0);
      if (!scan_string (s, text))
        return FALSE;
      /* ids are positions: a repeated or empty string would shift them */
      if (ls_trace_intern (sec->trace, text->str) != expected++)
        return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("repeated or empty string"));
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        s->p++;
      else
        return expect (s, ']');
    }
}

static gboolean
append_record (Scanner      *s,
               LsTraceChunks *chunks,
               const guchar *bytes,
               gint64       *last_time)
{
  LsTraceRecord r;

  memcpy (&r, bytes, sizeof r);
  r.time = GINT64_FROM_LE (r.time);
  r.kind = GUINT16_FROM_LE (r.kind);
  r.reason = GUINT16_FROM_LE (r.reason);
  r.subject = GUINT32_FROM_LE (r.subject);
  r.object = GUINT32_FROM_LE (r.object);
  r.peer = GUINT32_FROM_LE (r.peer);
  r.arg = GINT64_FROM_LE (r.arg);
  if (r.kind < LS_TRACE_LOOP_ITERATION_BEGIN || r.kind > LS_TRACE_SOURCE_LINE)
    return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("record %llu has an unknown kind"),
                      (unsigned long long) chunks->n_records);
  /* searching by time relies on it */
  if (r.time < *last_time)
    return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("records out of time order"));
  *last_time = r.time;
  ls_trace_append (chunks, r.time, r.kind, r.reason, r.subject, r.object, r.peer, r.arg);
  return TRUE;
}

/* Decodes the base64 straight from the mapped file into the trace. */
static gboolean
scan_records (Scanner *s,
              Section *sec)
{
  LsTraceChunks *chunks = _ls_trace_get_chunks (sec->trace);
  guchar out[3 * 4096 + 3 + sizeof (LsTraceRecord)];
  gsize pending = 0;
  int state = 0;
  guint save = 0;
  gint64 last_time = G_MININT64;
  const char *begin;
  gsize padding = 0;

  if (!expect (s, '"'))
    return FALSE;
  begin = s->p;
  while (s->p < s->end && *s->p != '"')
    {
      char c = *s->p;

      if (!(g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=') || (padding > 0 && c != '='))
        return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records are not base64"));
      if (c == '=')
        padding++;
      s->p++;
    }
  if (s->p >= s->end)
    return scan_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("unterminated string"));
  if ((s->p - begin) % 4 != 0 || padding > 2)
    return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records are not base64"));

  for (const char *q = begin; q < s->p;)
    {
      gsize n = MIN ((gsize) (s->p - q), 4 * 4096);
      gsize got = g_base64_decode_step (q, n, out + pending, &state, &save);
      gsize used = 0;

      q += n;
      pending += got;
      while (pending - used >= sizeof (LsTraceRecord))
        {
          if (!append_record (s, chunks, out + used, &last_time))
            return FALSE;
          used += sizeof (LsTraceRecord);
        }
      memmove (out, out + used, pending - used);
      pending -= used;
    }
  s->p++;
  if (pending != 0)
    return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records end inside a record"));
  return TRUE;
}

static gboolean
scan_section (Scanner *s,
              Section *sec)
{
  g_autoptr(GString) key = g_string_new (NULL);

  if (!expect (s, '{'))
    return FALSE;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      gint64 v;
      gboolean ok;

      g_string_truncate (key, 0);
      if (!scan_string (s, key) || !expect (s, ':'))
        return FALSE;
      skip_ws (s);
      if (g_str_equal (key->str, "format"))
        {
          g_autofree char *format = NULL;

          ok = scan_optional_string (s, &format);
          if (ok && g_strcmp0 (format, FORMAT_NAME) != 0)
            return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("unknown format"));
          sec->seen_format = TRUE;
        }
      else if (g_str_equal (key->str, "version"))
        {
          ok = scan_number (s, &v);
          if (ok && v != FORMAT_VERSION)
            return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA,
                              _("version %lld is not supported"), (long long) v);
        }
      else if (g_str_equal (key->str, "scenario"))
        ok = scan_optional_string (s, &sec->info->scenario_id);
      else if (g_str_equal (key->str, "title"))
        ok = scan_optional_string (s, &sec->info->title);
      else if (g_str_equal (key->str, "created"))
        ok = scan_optional_string (s, &sec->info->created);
      else if (g_str_equal (key->str, "seed"))
        {
          ok = scan_number (s, &v);
          if (ok && (v < 0 || v > G_MAXUINT32))
            return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("bad seed"));
          sec->info->seed = (guint32) v;
        }
      else if (g_str_equal (key->str, "n_records"))
        {
          ok = scan_number (s, &sec->n_records);
          if (ok && sec->n_records < 0)
            return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("bad record count"));
        }
      else if (g_str_equal (key->str, "strings"))
        {
          if (sec->seen_strings)
            return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("two string tables"));
          ok = scan_strings (s, sec);
          sec->seen_strings = TRUE;
        }
      else if (g_str_equal (key->str, "records"))
        {
          if (sec->seen_records)
            return scan_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("two record tables"));
          ok = scan_records (s, sec);
          sec->seen_records = TRUE;
        }
      else
        ok = skip_value (s, 2);
      if (!ok)
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        s->p++;
      else
        return expect (s, '}');
    }
}

/* ---- reading: another tool's Trace Event file ------------------------------------ */

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

static LsTrace *
import_foreign (const char  *path,
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

/* ---- reading: the file ------------------------------------------------------------ */

LsTrace *
ls_trace_load_json_full (const char   *path,
                         LsTraceInfo  *info,
                         GError      **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LsTrace) trace = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  LsTraceInfo scratch = { 0 };
  Scanner s = { 0 };
  Section sec = { 0 };
  GStatBuf st;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  if (info == NULL)
    info = &scratch;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s: not a regular file"), path);
      return NULL;
    }
  if (st.st_size > LS_TRACE_JSON_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (st.st_size);
      g_autofree char *limit = g_format_size (LS_TRACE_JSON_MAX_BYTES);

      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_TOO_LARGE,
                   _("%s: the file is too large (%s; at most %s)"), path, size, limit);
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_EMPTY,
                   _("%s: the file is empty"), path);
      return NULL;
    }
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  length = g_mapped_file_get_length (mapped);

  s.start = s.p = g_mapped_file_get_contents (mapped);
  s.end = s.start + length;
  s.path = path;
  s.error = error;
  skip_ws (&s);
  if (s.p >= s.end)
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_EMPTY,
                   _("%s: the file is empty"), path);
      return NULL;
    }
  if (*s.p != '{' && *s.p != '[')
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_NOT_JSON,
                   _("%s: not a JSON file"), path);
      return NULL;
    }

  /* one pass over the whole file: it must be valid JSON throughout */
  trace = ls_trace_new ();
  sec.trace = trace;
  sec.info = info;
  sec.n_records = -1;
  if (*s.p == '[')
    {
      if (!skip_value (&s, 0))
        return NULL;
    }
  else
    {
      gboolean seen_section = FALSE;

      s.p++;
      skip_ws (&s);
      if (s.p < s.end && *s.p == '}')
        s.p++;
      else
        for (;;)
          {
            g_string_truncate (key, 0);
            if (!scan_string (&s, key) || !expect (&s, ':'))
              return NULL;
            if (g_str_equal (key->str, "loopscope") && !seen_section)
              {
                seen_section = TRUE;
                if (!scan_section (&s, &sec))
                  return NULL;
              }
            else if (!skip_value (&s, 1))
              return NULL;
            skip_ws (&s);
            if (s.p < s.end && *s.p == ',')
              s.p++;
            else if (!expect (&s, '}'))
              return NULL;
            else
              break;
          }
    }
  skip_ws (&s);
  if (s.p < s.end)
    {
      scan_fail (&s, LS_TRACE_JSON_ERROR_INVALID, _("more data after the end of the JSON value"));
      return NULL;
    }

  if (!sec.seen_format)
    {
      g_clear_object (&trace);
      ls_trace_info_clear (info);
      trace = import_foreign (path, s.start, length, info, error);
      ls_trace_info_clear (&scratch);
      return g_steal_pointer (&trace);
    }
  if (!sec.seen_records || !sec.seen_strings)
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA,
                   _("%s: the “loopscope” section has no records or no strings"), path);
      ls_trace_info_clear (info);
      return NULL;
    }
  if (sec.n_records >= 0 && (guint64) sec.n_records != ls_trace_get_n_records (trace))
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA,
                   /* %llu, %lld: xgettext cannot see through G_GUINT64_FORMAT */
                   _("%s: %llu records where the file announces %lld"), path,
                   (unsigned long long) ls_trace_get_n_records (trace),
                   (long long) sec.n_records);
      ls_trace_info_clear (info);
      return NULL;
    }
  ls_trace_info_clear (&scratch);
  return g_steal_pointer (&trace);
}

LsTrace *
ls_trace_load_json (const char  *path,
                    GError     **error)
{
  return ls_trace_load_json_full (path, NULL, error);
}
