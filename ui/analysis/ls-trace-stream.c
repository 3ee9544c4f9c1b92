/* SPDX-License-Identifier: MIT
 *
 * Reading the record stream of a traced CPython program. Bytes arrive in
 * pieces of any size; a frame is parsed once it is complete and its
 * strings and records are checked before they reach the trace. The checks
 * are a trace file's (LsTraceChecker, ls-trace-check.h), applied as the
 * records arrive rather than to a whole trace.
 */
#include "config.h"

#include "ls-trace-stream.h"

#include "ls-trace-check.h"

#include <glib/gi18n.h>
#include <string.h>

G_DEFINE_QUARK (ls-trace-stream-error-quark, ls_trace_stream_error)

#define HEADER_SIZE  16
#define RECORD_SIZE  32
#define MAGIC        "LSTRACE\0"

enum
{
  FRAME_STRING = 1,
  FRAME_RECORDS,
  FRAME_END,
  FRAME_INFO,
};

struct _LsTraceStream
{
  LsTrace       *trace;
  LsTraceChunks *chunks;
  GByteArray    *pending;     /* bytes of a frame not complete yet */
  gboolean       have_header;
  gboolean       virtual_clock;
  gboolean       failed;
  GError        *error;       /* the first error, repeated to later calls */
  guint64        n_frames;
  guint64        n_records;
  gint64         last_time;
  LsTraceChecker *checker;   /* a trace file's checks, record by record */
  char          *info;
  gboolean       have_end;
  int            status;
  guint          end_flags;
  gint64         end_time;
  char          *end_text;
};

LsTraceStream *
ls_trace_stream_new (LsTrace *trace)
{
  LsTraceStream *self = g_new0 (LsTraceStream, 1);

  g_return_val_if_fail (LS_IS_TRACE (trace), NULL);

  self->trace = g_object_ref (trace);
  self->chunks = _ls_trace_get_chunks (trace);
  self->pending = g_byte_array_new ();
  self->checker = ls_trace_checker_new (trace);
  return self;
}

void
ls_trace_stream_free (LsTraceStream *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->trace);
  g_byte_array_unref (self->pending);
  ls_trace_checker_free (self->checker);
  g_clear_error (&self->error);
  g_free (self->info);
  g_free (self->end_text);
  g_free (self);
}

G_GNUC_PRINTF (3, 4)
static gboolean
fail (LsTraceStream *self,
      int            code,
      const char    *format,
      ...)
{
  va_list args;

  if (self->error == NULL)
    {
      va_start (args, format);
      self->error = g_error_new_valist (LS_TRACE_STREAM_ERROR, code, format, args);
      va_end (args);
    }
  self->failed = TRUE;
  return FALSE;
}

static guint32
read_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_LE (v);
}

static guint16
read_u16 (const guint8 *p)
{
  guint16 v;

  memcpy (&v, p, sizeof v);
  return GUINT16_FROM_LE (v);
}

static gint64
read_i64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, sizeof v);
  return (gint64) GUINT64_FROM_LE (v);
}

/* ---- records -------------------------------------------------------------- */

static gboolean
read_records (LsTraceStream *self,
              const guint8  *p,
              guint32        len)
{
  if (len == 0 || len % RECORD_SIZE != 0)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("frame %llu: %u bytes of records, not a whole number of 32-byte records"),
                 (unsigned long long) self->n_frames, len);
  for (guint32 off = 0; off < len; off += RECORD_SIZE)
    {
      g_autoptr(GError) local_error = NULL;
      LsTraceRecord r;

      r.time = read_i64 (p + off);
      r.kind = read_u16 (p + off + 8);
      r.reason = read_u16 (p + off + 10);
      r.subject = read_u32 (p + off + 12);
      r.object = read_u32 (p + off + 16);
      r.peer = read_u32 (p + off + 20);
      r.arg = read_i64 (p + off + 24);
      if (!ls_trace_checker_check (self->checker, &r, &local_error))
        return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED, "%s", local_error->message);
      ls_trace_append (self->chunks, r.time, r.kind, r.reason, r.subject, r.object, r.peer,
                       r.arg);
      self->last_time = r.time;
      self->n_records++;
    }
  return TRUE;
}

/* ---- frames --------------------------------------------------------------- */

/* UTF-8 text of @len bytes with no NUL, as a new string, or NULL */
static char *
text_or_null (const guint8 *p,
              gsize         len)
{
  if (memchr (p, '\0', len) != NULL || !g_utf8_validate ((const char *) p, (gssize) len, NULL))
    return NULL;
  return g_strndup ((const char *) p, len);
}

static gboolean
read_string (LsTraceStream *self,
             const guint8  *p,
             guint32        len)
{
  guint32 expected = ls_trace_get_n_strings (self->trace);
  guint32 id, got;
  g_autofree char *text = NULL;

  if (len < 5)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED, _("frame %llu: an empty string"),
                 (unsigned long long) self->n_frames);
  id = read_u32 (p);
  if (id != expected)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("frame %llu: string %u where string %u comes next"),
                 (unsigned long long) self->n_frames, id, expected);
  text = text_or_null (p + 4, len - 4);
  if (text == NULL)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("frame %llu: string %u is not UTF-8 text"),
                 (unsigned long long) self->n_frames, id);
  got = ls_trace_intern (self->trace, text);
  if (got != expected)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("frame %llu: string %u repeats string %u"),
                 (unsigned long long) self->n_frames, id, got);
  return TRUE;
}

static gboolean
read_end (LsTraceStream *self,
          const guint8  *p,
          guint32        len)
{
  g_autofree char *text = NULL;

  if (len < 16)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED, _("frame %llu: a short end frame"),
                 (unsigned long long) self->n_frames);
  text = text_or_null (p + 16, len - 16);
  if (text == NULL)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("frame %llu: the end frame's text is not UTF-8"),
                 (unsigned long long) self->n_frames);
  self->status = (int) (gint32) read_u32 (p);
  self->end_flags = read_u32 (p + 4);
  self->end_time = MAX (read_i64 (p + 8), self->last_time);
  self->end_text = g_steal_pointer (&text);
  self->have_end = TRUE;
  return TRUE;
}

static gboolean
read_frame (LsTraceStream *self,
            guint32        type,
            const guint8  *p,
            guint32        len)
{
  g_autofree char *text = NULL;

  self->n_frames++;
  if (self->have_end)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("frame %llu: more frames after the end frame"),
                 (unsigned long long) self->n_frames);
  switch (type)
    {
    case FRAME_STRING:
      return read_string (self, p, len);
    case FRAME_RECORDS:
      return read_records (self, p, len);
    case FRAME_END:
      return read_end (self, p, len);
    case FRAME_INFO:
      if ((text = text_or_null (p, len)) == NULL)
        return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                     _("frame %llu: the info frame's text is not UTF-8"),
                     (unsigned long long) self->n_frames);
      g_free (self->info);
      self->info = g_steal_pointer (&text);
      return TRUE;
    default:
      return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED, _("frame %llu: unknown frame type %u"),
                   (unsigned long long) self->n_frames, type);
    }
}

static gboolean
read_header (LsTraceStream *self,
             const guint8  *p)
{
  guint32 version;

  if (memcmp (p, MAGIC, 8) != 0)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("not a Loopscope record stream (it does not begin with LSTRACE)"));
  version = read_u32 (p + 8);
  if (version != LS_TRACE_STREAM_VERSION)
    return fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                 _("record stream format %u; this Loopscope reads format %u"), version,
                 LS_TRACE_STREAM_VERSION);
  self->virtual_clock = (read_u32 (p + 12) & 1) != 0;
  self->have_header = TRUE;
  return TRUE;
}

/* Parses every complete frame in @p; returns how many bytes it used, or
 * -1 on an error. */
static gssize
parse (LsTraceStream *self,
       const guint8  *p,
       gsize          len)
{
  gsize used = 0;

  if (!self->have_header)
    {
      if (len < HEADER_SIZE)
        return 0;
      if (!read_header (self, p))
        return -1;
      used = HEADER_SIZE;
    }
  while (len - used >= 8)
    {
      guint32 type = read_u32 (p + used);
      guint32 frame_len = read_u32 (p + used + 4);

      if (frame_len > LS_TRACE_STREAM_MAX_FRAME)
        {
          fail (self, LS_TRACE_STREAM_ERROR_MALFORMED,
                _("frame %llu: %u bytes, more than a frame may hold"),
                (unsigned long long) self->n_frames + 1, frame_len);
          return -1;
        }
      if (len - used - 8 < frame_len)
        break;
      if (!read_frame (self, type, p + used + 8, frame_len))
        return -1;
      used += 8 + (gsize) frame_len;
    }
  return (gssize) used;
}

gboolean
ls_trace_stream_feed (LsTraceStream *self,
                      const guint8  *data,
                      gsize          len,
                      GError       **error)
{
  gssize used;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->failed)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  if (self->pending->len == 0)
    {
      /* the usual case: whole frames, parsed where they are */
      used = parse (self, data, len);
      if (used >= 0)
        g_byte_array_append (self->pending, data + used, len - (gsize) used);
    }
  else
    {
      g_byte_array_append (self->pending, data, len);
      used = parse (self, self->pending->data, self->pending->len);
      if (used > 0)
        g_byte_array_remove_range (self->pending, 0, (guint) used);
    }
  if (used < 0)
    {
      g_byte_array_set_size (self->pending, 0);
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
ls_trace_stream_finish (LsTraceStream *self,
                        GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  if (self->pending->len > 0)
    fail (self, LS_TRACE_STREAM_ERROR_TRUNCATED,
          _("the record stream stops in the middle of a frame"));
  else if (!self->have_header)
    fail (self, LS_TRACE_STREAM_ERROR_TRUNCATED, _("the record stream is empty"));
  else if (!self->have_end)
    fail (self, LS_TRACE_STREAM_ERROR_TRUNCATED, _("the record stream stops before its end"));
  if (self->failed)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
ls_trace_stream_get_virtual (LsTraceStream *self)
{
  return self->virtual_clock;
}

const char *
ls_trace_stream_get_info (LsTraceStream *self)
{
  return self->info;
}

gboolean
ls_trace_stream_has_end (LsTraceStream *self)
{
  return self->have_end;
}

int
ls_trace_stream_get_status (LsTraceStream *self)
{
  return self->status;
}

guint
ls_trace_stream_get_end_flags (LsTraceStream *self)
{
  return self->end_flags;
}

gint64
ls_trace_stream_get_end_time (LsTraceStream *self)
{
  return self->have_end ? self->end_time : self->last_time;
}

const char *
ls_trace_stream_get_end_text (LsTraceStream *self)
{
  return self->end_text;
}
