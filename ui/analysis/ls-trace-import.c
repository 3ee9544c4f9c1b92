/* SPDX-License-Identifier: MIT
 *
 * Trace Event files from other tools (no "loopscope" section): one task
 * per thread, its outermost slices ("X", "B"…"E") as running spans, its
 * instants as prints.
 *
 * The events are streamed with the scanner, not parsed into a JsonParser
 * tree: a tree costs a node per value, about 17 times the file (3.3 GB for
 * a 200 MB file, and 28 s to build). Each event keeps only what becomes a
 * record: a slice is 24 bytes, an instant 24, a thread 32 and a hash slot
 * 4; names and texts go straight into the trace's string table. The
 * records are made of them in ls-trace-import-records.c.
 *
 * Every member that is read is checked first: a wrong type, a number out
 * of range or a missing member is an error naming the file and the
 * event's index in the array ("trace.json: event 12: “ph” is not a
 * string"), never a guess and never a crash.
 */
#include "config.h"

#include "ls-trace-import-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* |ts| and dur in µs: about 104 days, far inside gint64 nanoseconds */
#define MAX_US 9e12

typedef struct
{
  gint64  time;
  guint32 prev;       /* index + 1 of the "B" below it, or 0 */
} Open;

/* What one event says, as far as it matters here */
typedef struct
{
  guint64  index;
  GString *ph;
  GString *name;
  GString *args_name;
  GString *key;
  gint64   pid;
  gint64   tid;
  guint32  flags;
  gint64   ts;
  gint64   dur;
  gboolean has_ph;
  gboolean has_ts;
  gboolean has_dur;
  gboolean args_name_is_string;
  gboolean has_args_name;
} Event;

/* ---- threads -------------------------------------------------------------------- */

static guint
thread_hash (gint64  pid,
             gint64  tid,
             guint32 flags)
{
  guint64 h = (guint64) pid * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  h ^= (guint64) tid + G_GUINT64_CONSTANT (0x632be59bd9b4e019) + (h << 6) + (h >> 2);
  h ^= flags;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  return (guint) (h ^ (h >> 32));
}

static void
grow_slots (LsTraceImport *im)
{
  guint n = im->n_slots == 0 ? 64 : im->n_slots * 2;
  guint32 *slots = g_new0 (guint32, n);

  for (guint i = 0; i < im->threads->len; i++)
    {
      const LsImportThread *t = &g_array_index (im->threads, LsImportThread, i);
      guint k = thread_hash (t->pid, t->tid, t->flags) & (n - 1);

      while (slots[k] != 0)
        k = (k + 1) & (n - 1);
      slots[k] = i + 1;
    }
  g_free (im->slots);
  im->slots = slots;
  im->n_slots = n;
}

static guint32
get_thread (LsTraceImport *im,
            const Event   *e)
{
  LsImportThread t = { e->pid, e->tid, e->flags, 0, 0, 0 };
  guint k;

  if (im->threads->len >= im->n_slots / 2)
    grow_slots (im);
  k = thread_hash (e->pid, e->tid, e->flags) & (im->n_slots - 1);
  while (im->slots[k] != 0)
    {
      const LsImportThread *found = &g_array_index (im->threads, LsImportThread,
                                                    im->slots[k] - 1);

      if (found->pid == e->pid && found->tid == e->tid && found->flags == e->flags)
        return im->slots[k] - 1;
      k = (k + 1) & (im->n_slots - 1);
    }
  g_array_append_val (im->threads, t);
  im->slots[k] = im->threads->len;
  return im->threads->len - 1;
}

/* ---- one event -------------------------------------------------------------------- */

G_GNUC_PRINTF (3, 4)
static gboolean
event_fail (LsTraceImport *im,
            const Event   *e,
            const char    *format,
            ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* TRANSLATORS: "event 12: “ph” is not a string"; the index counts from 0 */
  return _ls_json_fail_plain (im->s, LS_TRACE_JSON_ERROR_SCHEMA, _("event %llu: %s"),
                              (unsigned long long) e->index, what);
}

/* pid and tid: integers, or strings (some tools name them) */
static gboolean
read_id (LsTraceImport *im,
         Event         *e,
         const char    *member,
         gint64        *out,
         guint32        string_flag)
{
  LsJsonType type = _ls_json_peek (im->s);
  const char *text;
  gsize n;
  gboolean integral;
  g_autofree char *copy = NULL;
  double v;

  e->flags &= ~string_flag;
  if (type == LS_JSON_STRING)
    {
      gpointer id;

      if (!_ls_json_scan_string (im->s, e->key))
        return FALSE;
      if (!g_hash_table_lookup_extended (im->string_ids, e->key->str, NULL, &id))
        {
          char *key = g_strdup (e->key->str);

          g_ptr_array_add (im->strings, key);
          id = GUINT_TO_POINTER (im->strings->len - 1);
          g_hash_table_insert (im->string_ids, key, id);
        }
      *out = GPOINTER_TO_UINT (id);
      e->flags |= string_flag;
      return TRUE;
    }
  if (type != LS_JSON_NUMBER)
    return event_fail (im, e, _("“%s” is not an integer or a string"), member);
  if (!_ls_json_scan_number (im->s, &text, &n, &integral))
    return FALSE;
  if (integral)
    {
      /* exactly, past 2^53 too */
      char digits[24];

      if (n >= sizeof digits)
        return event_fail (im, e, _("“%s” is out of range"), member);
      memcpy (digits, text, n);
      digits[n] = '\0';
      if (!g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, out, NULL))
        return event_fail (im, e, _("“%s” is out of range"), member);
      return TRUE;
    }
  copy = g_strndup (text, n);
  v = g_ascii_strtod (copy, NULL);
  if (!isfinite (v) || fabs (v) >= 9007199254740992.0)
    return event_fail (im, e, _("“%s” is out of range"), member);
  if (v != floor (v))
    return event_fail (im, e, _("“%s” is not an integer"), member);
  *out = (gint64) v;
  return TRUE;
}

/* The common spelling of microseconds, "-123.456" (at most 13 digits,
 * at most 3 decimals), read exactly; FALSE for any other. */
static gboolean
parse_plain_us (const char *text,
                gsize       n,
                gint64     *ns)
{
  const char *p = text, *end = text + n;
  gboolean negative = p < end && *p == '-';
  gint64 whole = 0, frac = 0;
  int digits = 0, decimals = 0;

  if (negative)
    p++;
  for (; p < end && g_ascii_isdigit (*p) && digits < 13; p++, digits++)
    whole = whole * 10 + (*p - '0');
  if (digits == 0)
    return FALSE;
  if (p < end && *p == '.')
    for (p++; p < end && g_ascii_isdigit (*p) && decimals < 3; p++, decimals++)
      frac = frac * 10 + (*p - '0');
  if (p != end)
    return FALSE;
  for (int i = decimals; i < 3; i++)
    frac *= 10;
  *ns = whole * 1000 + frac;
  if (negative)
    *ns = -*ns;
  return TRUE;
}

/* ts and dur: microseconds, maybe fractional, as nanoseconds */
static gboolean
read_us (LsTraceImport *im,
         Event         *e,
         const char    *member,
         gint64        *out)
{
  const char *text;
  gsize n;
  gboolean integral;
  g_autofree char *copy = NULL;
  double us;

  if (_ls_json_peek (im->s) != LS_JSON_NUMBER)
    return event_fail (im, e, _("“%s” is not a number"), member);
  if (!_ls_json_scan_number (im->s, &text, &n, &integral))
    return FALSE;
  if (parse_plain_us (text, n, out))
    {
      if (*out > MAX_US * 1000 || *out < -MAX_US * 1000)
        return event_fail (im, e, _("“%s” is out of range"), member);
      return TRUE;
    }
  copy = g_strndup (text, n);
  us = g_ascii_strtod (copy, NULL);
  if (!isfinite (us) || fabs (us) > MAX_US)
    return event_fail (im, e, _("“%s” is out of range"), member);
  *out = (gint64) llround (us * 1000.0);
  return TRUE;
}

static gboolean
read_string (LsTraceImport *im,
             Event         *e,
             const char    *member,
             GString       *out)
{
  if (_ls_json_peek (im->s) != LS_JSON_STRING)
    return event_fail (im, e, _("“%s” is not a string"), member);
  return _ls_json_scan_string (im->s, out);
}

/* args: an object; its "name" is a thread_name's name */
static gboolean
read_args (LsTraceImport *im,
           Event         *e)
{
  g_autoptr(GString) key = g_string_new (NULL);
  guint64 count = 0;

  if (_ls_json_peek (im->s) != LS_JSON_OBJECT)
    return event_fail (im, e, _("“%s” is not an object"), "args");
  _ls_json_enter (im->s, '{');
  while (_ls_json_next (im->s, '}', &count, key))
    {
      if (g_str_equal (key->str, "name"))
        {
          e->has_args_name = TRUE;
          e->args_name_is_string = _ls_json_peek (im->s) == LS_JSON_STRING;
          if (e->args_name_is_string)
            {
              if (!_ls_json_scan_string (im->s, e->args_name))
                return FALSE;
              continue;
            }
        }
      if (!_ls_json_skip_value (im->s, 3))
        return FALSE;
    }
  return !im->s->failed;
}

static gboolean
read_event (LsTraceImport *im,
            Event         *e)
{
  guint64 count = 0;

  e->has_ph = e->has_ts = e->has_dur = e->has_args_name = FALSE;
  e->pid = e->tid = 0;
  e->flags = 0;
  g_string_truncate (e->name, 0);
  if (_ls_json_peek (im->s) != LS_JSON_OBJECT)
    return event_fail (im, e, _("not an object"));
  _ls_json_enter (im->s, '{');
  while (_ls_json_next (im->s, '}', &count, e->key))
    {
      const char *k = e->key->str;
      gboolean ok;

      if (g_str_equal (k, "ph"))
        ok = e->has_ph = read_string (im, e, "ph", e->ph);
      else if (g_str_equal (k, "name"))
        ok = read_string (im, e, "name", e->name);
      else if (g_str_equal (k, "cat"))
        ok = read_string (im, e, "cat", NULL);
      else if (g_str_equal (k, "pid"))
        ok = read_id (im, e, "pid", &e->pid, LS_IMPORT_PID_IS_STRING);
      else if (g_str_equal (k, "tid"))
        ok = read_id (im, e, "tid", &e->tid, LS_IMPORT_TID_IS_STRING);
      else if (g_str_equal (k, "ts"))
        ok = e->has_ts = read_us (im, e, "ts", &e->ts);
      else if (g_str_equal (k, "dur"))
        ok = e->has_dur = read_us (im, e, "dur", &e->dur);
      else if (g_str_equal (k, "args"))
        ok = read_args (im, e);
      else
        ok = _ls_json_skip_value (im->s, 2);
      if (!ok)
        return FALSE;
    }
  if (im->s->failed)
    return FALSE;
  if (!e->has_ph)
    return event_fail (im, e, _("no “%s”"), "ph");
  return TRUE;
}

/* What an event adds: a slice, an instant, a thread's name. */
static gboolean
add_event (LsTraceImport *im,
           Event         *e)
{
  char ph = e->ph->len == 1 ? e->ph->str[0] : '\0';
  LsImportThread *t;
  guint32 thread;

  if (ph == 'M')
    {
      if (!g_str_equal (e->name->str, "thread_name") || !e->has_args_name)
        return TRUE;
      if (!e->args_name_is_string)
        return event_fail (im, e, _("“%s” is not a string"), "args.name");
      if (e->args_name->len > 0)
        {
          thread = get_thread (im, e);
          t = &g_array_index (im->threads, LsImportThread, thread);
          t->name = ls_trace_intern (im->trace, e->args_name->str);
        }
      return TRUE;
    }

  if (ph == '\0')
    return TRUE;   /* not a phase of the format */
  if (e->has_ts)
    {
      im->t0 = im->have_t0 ? MIN (im->t0, e->ts) : e->ts;
      im->have_t0 = TRUE;
    }
  if (ph != 'X' && ph != 'B' && ph != 'E' && ph != 'i' && ph != 'I' && ph != 'n')
    return TRUE;
  if (!e->has_ts)
    return event_fail (im, e, _("no “%s”"), "ts");
  if (ph == 'X' && !e->has_dur)
    return event_fail (im, e, _("no “%s”"), "dur");
  if (ph == 'X' && e->dur < 0)
    return event_fail (im, e, _("“%s” is negative"), "dur");

  thread = get_thread (im, e);
  t = &g_array_index (im->threads, LsImportThread, thread);
  switch (ph)
    {
    case 'X':
      {
        LsImportSlice sl = { e->ts, e->ts + e->dur, thread };

        g_array_append_val (im->slices, sl);
      }
      break;
    case 'B':
      {
        Open o = { e->ts, t->open };

        g_array_append_val (im->opens, o);
        t->open = im->opens->len;
      }
      break;
    case 'E':
      /* an "E" with no "B" open, or before it, has nothing to end */
      if (t->open != 0)
        {
          const Open *o = &g_array_index (im->opens, Open, t->open - 1);
          LsImportSlice sl = { o->time, e->ts, thread };

          t->open = o->prev;
          if (sl.end >= sl.start)
            g_array_append_val (im->slices, sl);
        }
      break;
    default:
      if (e->name->len > 0)
        {
          LsImportInstant in = { e->ts, thread, ls_trace_intern (im->trace, e->name->str),
                                 im->instants->len };

          g_array_append_val (im->instants, in);
        }
      break;
    }
  return TRUE;
}

/* ---- the array ---------------------------------------------------------------------- */

static void
import_clear (LsTraceImport *im)
{
  g_clear_pointer (&im->threads, g_array_unref);
  g_clear_pointer (&im->slots, g_free);
  g_clear_pointer (&im->string_ids, g_hash_table_unref);
  g_clear_pointer (&im->strings, g_ptr_array_unref);
  g_clear_pointer (&im->slices, g_array_unref);
  g_clear_pointer (&im->opens, g_array_unref);
  g_clear_pointer (&im->instants, g_array_unref);
  g_clear_object (&im->trace);
}

/* The events, one at a time; with @check_syntax only checked as JSON
 * (errors of syntax come before errors of meaning, whatever their order
 * in the file). In the JSON Array Format the closing bracket may be
 * missing (a program that died while tracing). */
static gboolean
read_events (LsTraceImport *im,
             gboolean       top_level,
             gboolean       check_syntax)
{
  LsJsonScanner *s = im->s;
  const char *begin = s->p;
  Event e = { 0 };
  gboolean ok = TRUE;

  e.ph = g_string_new (NULL);
  e.name = g_string_new (NULL);
  e.args_name = g_string_new (NULL);
  e.key = g_string_new (NULL);
  if (_ls_json_peek (s) != LS_JSON_ARRAY)
    ok = _ls_json_fail_plain (s, LS_TRACE_JSON_ERROR_SCHEMA, _("“traceEvents” is not an array"));
  else
    {
      s->p++;
      for (e.index = 0; ok; e.index++)
        {
          if (top_level && _ls_json_peek (s) == LS_JSON_NONE && s->p == s->end)
            break;
          if (e.index == 0 && _ls_json_accept (s, ']'))
            break;
          if (check_syntax)
            ok = _ls_json_skip_value (s, 1);
          else
            ok = read_event (im, &e) && add_event (im, &e);
          if (!ok || _ls_json_accept (s, ']'))
            break;
          if (!_ls_json_accept (s, ','))
            {
              if (!(top_level && s->p == s->end))
                ok = _ls_json_expect (s, ']');
              break;
            }
        }
    }
  g_string_free (e.ph, TRUE);
  g_string_free (e.name, TRUE);
  g_string_free (e.args_name, TRUE);
  g_string_free (e.key, TRUE);
  if (ok && check_syntax)
    _ls_json_seek (s, begin);
  return ok;
}

LsTrace *
_ls_trace_import_events (LsJsonScanner *s,
                         gboolean       top_level,
                         LsTraceInfo   *info)
{
  LsTraceImport im = { 0 };
  LsTrace *trace;

  im.s = s;
  im.trace = ls_trace_new ();
  im.threads = g_array_new (FALSE, FALSE, sizeof (LsImportThread));
  im.string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  im.strings = g_ptr_array_new_with_free_func (g_free);
  im.slices = g_array_new (FALSE, FALSE, sizeof (LsImportSlice));
  im.opens = g_array_new (FALSE, FALSE, sizeof (Open));
  im.instants = g_array_new (FALSE, FALSE, sizeof (LsImportInstant));

  if ((top_level && !read_events (&im, TRUE, TRUE)) || !read_events (&im, top_level, FALSE))
    {
      import_clear (&im);
      return NULL;
    }
  g_clear_pointer (&im.opens, g_array_unref);
  g_clear_pointer (&im.slots, g_free);
  g_clear_pointer (&im.string_ids, g_hash_table_unref);
  if (im.slices->len == 0 && im.instants->len == 0)
    {
      _ls_json_fail_plain (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the trace has no events with a time"));
      import_clear (&im);
      return NULL;
    }
  _ls_trace_import_write_records (&im);

  g_clear_pointer (&info->title, g_free);
  info->title = g_path_get_basename (s->path);
  trace = g_steal_pointer (&im.trace);
  import_clear (&im);
  return trace;
}
