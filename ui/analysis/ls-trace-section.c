/* SPDX-License-Identifier: MIT
 *
 * The "loopscope" section of a trace file, both ways. The records are one
 * base64 string. Version 2 (what is written): a zlib stream of the
 * records in blocks of up to 65,536, each block column by column (the
 * time as the difference from the record before, then kind, reason,
 * subject, object, peer, arg), little-endian: alike values side by side,
 * so the stress run's 58 MB of records take 9 MB and the file half its
 * version 1 size. Version 1 (still read: such files are around): the
 * 32-byte records themselves, little-endian.
 *
 * Both are decoded straight from the mapped file into the trace's chunks,
 * through one block, so a file costs its records and little more. A
 * compressed stream is trusted for nothing: the record count comes first
 * and is bounded (LS_TRACE_SECTION_MAX_RECORDS), and the stream must give
 * exactly that many records' bytes, no more (a zlib bomb stops at the
 * announced size), no fewer. Whether the records make sense is
 * ls_trace_check_records's job.
 */
#include "config.h"

#include "ls-trace-section-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

enum { BLOCK = 65536 };

/* Lays records [first, first + count) out column by column in @out. */
static void
transpose_block (LsTrace *trace,
                 guint64  first,
                 gsize    count,
                 gint64  *previous_time,
                 guchar  *out)
{
  guchar *times = out, *kinds = out + 8 * count, *reasons = out + 10 * count;
  guchar *subjects = out + 12 * count, *objects = out + 16 * count, *peers = out + 20 * count;
  guchar *args = out + 24 * count;

  for (gsize j = 0; j < count; j++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, first + j);
      guint64 delta = GUINT64_TO_LE ((guint64) r->time - (guint64) *previous_time);
      guint16 kind = GUINT16_TO_LE (r->kind), reason = GUINT16_TO_LE (r->reason);
      guint32 subject = GUINT32_TO_LE (r->subject), object = GUINT32_TO_LE (r->object);
      guint32 peer = GUINT32_TO_LE (r->peer);
      guint64 arg = GUINT64_TO_LE ((guint64) r->arg);

      memcpy (times + 8 * j, &delta, 8);
      memcpy (kinds + 2 * j, &kind, 2);
      memcpy (reasons + 2 * j, &reason, 2);
      memcpy (subjects + 4 * j, &subject, 4);
      memcpy (objects + 4 * j, &object, 4);
      memcpy (peers + 4 * j, &peer, 4);
      memcpy (args + 8 * j, &arg, 8);
      *previous_time = r->time;
    }
}

/* Base64 of what the compressor gives, in the writer's buffer. */
typedef struct
{
  LsJsonWriter *w;
  GConverter   *zlib;
  guchar        out[64 * 1024];
  char          text[64 * 1024 / 3 * 4 + 8];
  int           state;
  int           save;
} Compressed;

static void
compress (Compressed   *c,
          const guchar *data,
          gsize         len,
          gboolean      end)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (c->zlib, data, len, c->out, sizeof c->out,
                                    end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &read, &written, &error);
      /* compressing memory into memory cannot fail */
      g_assert (result != G_CONVERTER_ERROR);
      if (read > 0)   /* data is NULL at the end: NULL + 0 is undefined */
        {
          data += read;
          len -= read;
        }
      if (written > 0)
        _ls_json_write (c->w, c->text,
                        g_base64_encode_step (c->out, written, FALSE, c->text, &c->state,
                                              &c->save));
      if (result == G_CONVERTER_FINISHED || (len == 0 && !end))
        return;
    }
}

/* Version 2: zlib over the records block by block, column by column. */
static void
write_records (LsJsonWriter *w,
               LsTrace      *trace)
{
  guint64 n = ls_trace_get_n_records (trace);
  g_autofree guchar *block = g_malloc (BLOCK * sizeof (LsTraceRecord));
  g_autofree Compressed *c = g_new0 (Compressed, 1);
  gint64 previous_time = 0;

  c->w = w;
  /* level 1: a quarter of the time of the default for 10% more bytes */
  c->zlib = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1));
  _ls_json_write_char (w, '"');
  for (guint64 i = 0; i < n; i += BLOCK)
    {
      gsize count = MIN (BLOCK, n - i);

      transpose_block (trace, i, count, &previous_time, block);
      compress (c, block, count * sizeof (LsTraceRecord), FALSE);
    }
  compress (c, NULL, 0, TRUE);
  _ls_json_write (w, c->text, g_base64_encode_close (FALSE, c->text, &c->state, &c->save));
  _ls_json_write_char (w, '"');
  g_object_unref (c->zlib);
}

void
_ls_trace_section_write (LsJsonWriter      *w,
                         LsTrace           *trace,
                         const LsTraceInfo *info)
{
  guint32 n_strings = ls_trace_get_n_strings (trace);

  _ls_json_write_lit (w, "\"loopscope\":{\"format\":\"" LS_TRACE_FORMAT_NAME "\",\"version\":");
  _ls_json_write_int (w, LS_TRACE_FORMAT_VERSION);
  _ls_json_write_lit (w, ",\n\"scenario\":");
  if (info != NULL && info->scenario_id != NULL)
    _ls_json_write_string (w, info->scenario_id);
  else
    _ls_json_write_lit (w, "null");
  _ls_json_write_lit (w, ",\"title\":");
  if (info != NULL && info->title != NULL)
    _ls_json_write_string (w, info->title);
  else
    _ls_json_write_lit (w, "null");
  _ls_json_write_lit (w, ",\"seed\":");
  _ls_json_write_int (w, info != NULL ? info->seed : 0);
  _ls_json_write_lit (w, ",\"created\":");
  if (info != NULL && info->created != NULL)
    _ls_json_write_string (w, info->created);
  else
    _ls_json_write_lit (w, "null");
  if (info != NULL && info->knobs != NULL)
    {
      /* "knobs":{"max-concurrent":1,"timeout":30}: the values as numbers
       * (ls_knobs_to_strv writes them so; anything else is left out
       * rather than written as JSON that would not read back) */
      guint written = 0;

      _ls_json_write_lit (w, ",\"knobs\":{");
      for (guint i = 0; info->knobs[i] != NULL; i++)
        {
          const char *equals = strchr (info->knobs[i], '=');
          g_autofree char *name = NULL;
          double value;
          char *end = NULL;

          if (equals == NULL || equals == info->knobs[i] || equals[1] == '\0'
              || strspn (equals + 1, "0123456789.eE+-") != strlen (equals + 1))
            continue;
          value = g_ascii_strtod (equals + 1, &end);
          if (*end != '\0' || !isfinite (value))
            continue;
          name = g_strndup (info->knobs[i], equals - info->knobs[i]);
          if (written++ > 0)
            _ls_json_write_char (w, ',');
          _ls_json_write_string (w, name);
          _ls_json_write_char (w, ':');
          _ls_json_write_str (w, equals + 1);
        }
      _ls_json_write_char (w, '}');
    }
  _ls_json_write_lit (w, ",\"n_records\":");
  _ls_json_write_int (w, ls_trace_get_n_records (trace));
  _ls_json_write_lit (w, ",\n\"strings\":[");
  for (guint32 i = 1; i < n_strings; i++)
    {
      if (i > 1)
        _ls_json_write_char (w, ',');
      _ls_json_write_string (w, ls_trace_get_string (trace, i));
    }
  _ls_json_write_lit (w, "],\n\"records\":");
  write_records (w, trace);
  _ls_json_write_char (w, '}');
}

static gboolean
scan_strings (LsJsonScanner  *s,
              LsTraceSection *sec)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint32 expected = 1;
  guint64 count = 0;

  if (!_ls_json_enter (s, '['))
    return FALSE;
  while (_ls_json_next (s, ']', &count, NULL))
    {
      if (!_ls_json_scan_string (s, text))
        return FALSE;
      /* ids are positions: a repeated or empty string would shift them */
      if (ls_trace_intern (sec->trace, text->str) != expected++)
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("repeated or empty string"));
    }
  return !s->failed;
}

/* Decodes the base64 straight from the mapped file into the trace. */
static gboolean
scan_records (LsJsonScanner  *s,
              LsTraceSection *sec)
{
  LsTraceChunks *chunks = _ls_trace_get_chunks (sec->trace);
  guchar out[3 * 4096 + 3 + sizeof (LsTraceRecord)];
  gsize pending = 0;
  int state = 0;
  guint save = 0;
  const char *begin;
  gsize padding = 0;

  if (!_ls_json_expect (s, '"'))
    return FALSE;
  begin = s->p;
  while (s->p < s->end && *s->p != '"')
    {
      char c = *s->p;

      if (!(g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=') || (padding > 0 && c != '='))
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records are not base64"));
      if (c == '=')
        padding++;
      s->p++;
    }
  if (s->p >= s->end)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("unterminated string"));
  if ((s->p - begin) % 4 != 0 || padding > 2)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records are not base64"));

  for (const char *q = begin; q < s->p;)
    {
      gsize n = MIN ((gsize) (s->p - q), 4 * 4096);
      gsize got = g_base64_decode_step (q, n, out + pending, &state, &save);
      gsize used = 0;

      q += n;
      pending += got;
      if (G_UNLIKELY (s->release))
        {
          const char *p = s->p;

          s->p = q;
          _ls_json_release_behind (s);
          s->p = p;
        }
      for (; pending - used >= sizeof (LsTraceRecord); used += sizeof (LsTraceRecord))
        {
          LsTraceRecord r;

          memcpy (&r, out + used, sizeof r);
          ls_trace_append (chunks, GINT64_FROM_LE (r.time), GUINT16_FROM_LE (r.kind),
                           GUINT16_FROM_LE (r.reason), GUINT32_FROM_LE (r.subject),
                           GUINT32_FROM_LE (r.object), GUINT32_FROM_LE (r.peer),
                           GINT64_FROM_LE (r.arg));
        }
      memmove (out, out + used, pending - used);
      pending -= used;
    }
  s->p++;
  if (pending != 0)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records end inside a record"));
  return TRUE;
}

/* Version 2: base64, then zlib, then blocks of columns, into the trace. */
typedef struct
{
  LsJsonScanner  *s;
  LsTraceChunks  *chunks;
  GConverter     *zlib;
  guchar         *block;        /* the block being filled */
  gsize           filled;
  gint64          announced;
  guint64         remaining;    /* records announced and not yet read */
  gint64          previous_time;
  gboolean        finished;     /* the zlib stream ended */
} Inflating;

static void
untranspose_block (Inflating *in,
                   gsize      count)
{
  const guchar *b = in->block;

  for (gsize j = 0; j < count; j++)
    {
      guint64 delta, arg;
      guint16 kind, reason;
      guint32 subject, object, peer;

      memcpy (&delta, b + 8 * j, 8);
      memcpy (&kind, b + 8 * count + 2 * j, 2);
      memcpy (&reason, b + 10 * count + 2 * j, 2);
      memcpy (&subject, b + 12 * count + 4 * j, 4);
      memcpy (&object, b + 16 * count + 4 * j, 4);
      memcpy (&peer, b + 20 * count + 4 * j, 4);
      memcpy (&arg, b + 24 * count + 8 * j, 8);
      /* wrapping, never overflowing: a hostile delta is the checker's */
      in->previous_time = (gint64) ((guint64) in->previous_time + GUINT64_FROM_LE (delta));
      ls_trace_append (in->chunks, in->previous_time, GUINT16_FROM_LE (kind),
                       GUINT16_FROM_LE (reason), GUINT32_FROM_LE (subject),
                       GUINT32_FROM_LE (object), GUINT32_FROM_LE (peer),
                       (gint64) GUINT64_FROM_LE (arg));
    }
}

/* Feeds @len bytes of the zlib stream; FALSE (and the scanner failed) when
 * the stream is broken or gives more than the records announced. */
static gboolean
inflate_bytes (Inflating    *in,
               const guchar *data,
               gsize         len)
{
  while (len > 0 || !in->finished)
    {
      g_autoptr(GError) error = NULL;
      gsize count = MIN (BLOCK, in->remaining);
      gsize want = count * sizeof (LsTraceRecord) - in->filled;
      guchar spare;
      gsize read = 0, written = 0;
      GConverterResult result;

      if (in->finished)
        return _ls_json_fail (in->s, LS_TRACE_JSON_ERROR_SCHEMA,
                              _("the compressed records go on after their end"));
      /* every record read: one more byte would be one too many */
      result = g_converter_convert (in->zlib, data, len,
                                    want > 0 ? in->block + in->filled : &spare,
                                    want > 0 ? want : 1, G_CONVERTER_NO_FLAGS,
                                    &read, &written, &error);
      if (result == G_CONVERTER_ERROR)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            return TRUE;     /* more base64 to come */
          return _ls_json_fail (in->s, LS_TRACE_JSON_ERROR_SCHEMA,
                                _("the compressed records are damaged (%s)"), error->message);
        }
      if (read > 0)
        {
          data += read;
          len -= read;
        }
      if (want == 0 && written > 0)
        return _ls_json_fail (in->s, LS_TRACE_JSON_ERROR_SCHEMA,
                              _("the compressed records hold more than the %lld announced"),
                              (long long) in->announced);
      in->filled += written;
      if (count > 0 && in->filled == count * sizeof (LsTraceRecord))
        {
          untranspose_block (in, count);
          in->remaining -= count;
          in->filled = 0;
        }
      if (result == G_CONVERTER_FINISHED)
        in->finished = TRUE;
      else if (read == 0 && written == 0)
        return TRUE;         /* needs more input */
    }
  return TRUE;
}

static gboolean
scan_records_compressed (LsJsonScanner  *s,
                         LsTraceSection *sec)
{
  g_autofree guchar *block = NULL;
  g_autoptr(GConverter) zlib = NULL;
  Inflating in = { 0 };
  guchar out[3 * 4096 + 3];
  int state = 0;
  guint save = 0;
  const char *begin;
  gsize padding = 0;

  /* the count bounds what the stream may give: it must come first */
  if (sec->n_records < 0)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA,
                          _("the record count must come before the records"));
  if (sec->n_records > LS_TRACE_SECTION_MAX_RECORDS)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA,
                          _("%lld records are more than Loopscope opens (%lld)"),
                          (long long) sec->n_records, (long long) LS_TRACE_SECTION_MAX_RECORDS);
  if (!_ls_json_expect (s, '"'))
    return FALSE;
  begin = s->p;
  while (s->p < s->end && *s->p != '"')
    {
      char c = *s->p;

      if (!(g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=') || (padding > 0 && c != '='))
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records are not base64"));
      if (c == '=')
        padding++;
      s->p++;
    }
  if (s->p >= s->end)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("unterminated string"));
  if ((s->p - begin) % 4 != 0 || padding > 2)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("the records are not base64"));

  zlib = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
  block = g_malloc (BLOCK * sizeof (LsTraceRecord));
  in.s = s;
  in.chunks = _ls_trace_get_chunks (sec->trace);
  in.zlib = zlib;
  in.block = block;
  in.announced = sec->n_records;
  in.remaining = (guint64) sec->n_records;
  for (const char *q = begin; q < s->p;)
    {
      gsize n = MIN ((gsize) (s->p - q), 4 * 4096);
      gsize got = g_base64_decode_step (q, n, out, &state, &save);

      q += n;
      if (G_UNLIKELY (s->release))
        {
          const char *p = s->p;

          s->p = q;
          _ls_json_release_behind (s);
          s->p = p;
        }
      if (!inflate_bytes (&in, out, got))
        return FALSE;
    }
  s->p++;
  if (!in.finished || in.remaining > 0)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA,
                          _("the compressed records end before the %lld announced"),
                          (long long) sec->n_records);
  return TRUE;
}

/* "knobs": an object of names and numbers, kept as "NAME=NUMBER" (what
 * the numbers mean is checked against the scenario once it is known). */
static gboolean
scan_knobs (LsJsonScanner  *s,
            LsTraceSection *sec)
{
  g_autoptr(GStrvBuilder) knobs = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  guint64 count = 0;

  if (sec->info->knobs != NULL)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("two knob tables"));
  if (!_ls_json_enter (s, '{'))
    return FALSE;
  while (_ls_json_next (s, '}', &count, name))
    {
      g_autofree char *pair = NULL;
      const char *number;
      gsize length;
      gboolean integral;

      if (name->len == 0 || name->len > 64
          || strspn (name->str, "abcdefghijklmnopqrstuvwxyz0123456789-") != name->len)
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("bad knob name “%s”"), name->str);
      if (!g_hash_table_add (seen, g_strdup (name->str)))
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("knob “%s” appears twice"),
                              name->str);
      if (_ls_json_peek (s) != LS_JSON_NUMBER)
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("knob “%s” is not a number"),
                              name->str);
      if (!_ls_json_scan_number (s, &number, &length, &integral))
        return FALSE;
      if (length > 64)
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("knob “%s” is not a number"),
                              name->str);
      pair = g_strdup_printf ("%s=%.*s", name->str, (int) length, number);
      g_strv_builder_add (knobs, pair);
    }
  if (s->failed)
    return FALSE;
  sec->info->knobs = g_strv_builder_end (knobs);
  return TRUE;
}

gboolean
_ls_trace_section_read (LsJsonScanner  *s,
                        LsTraceSection *sec)
{
  g_autoptr(GString) key = g_string_new (NULL);
  guint64 count = 0;

  if (!_ls_json_enter (s, '{'))
    return FALSE;
  while (_ls_json_next (s, '}', &count, key))
    {
      gint64 v;
      gboolean ok;

      if (g_str_equal (key->str, "format"))
        {
          g_autofree char *format = NULL;

          ok = _ls_json_scan_optional_string (s, &format);
          if (ok && g_strcmp0 (format, LS_TRACE_FORMAT_NAME) != 0)
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("unknown format"));
          sec->seen_format = TRUE;
        }
      else if (g_str_equal (key->str, "version"))
        {
          ok = _ls_json_scan_int (s, &v);
          if (ok && v != 1 && v != LS_TRACE_FORMAT_VERSION)
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA,
                                  _("version %lld is not supported"), (long long) v);
          /* how the records are read depends on it */
          if (ok && sec->seen_records && v != 1)
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA,
                                  _("the version must come before the records"));
          sec->version = v;
        }
      else if (g_str_equal (key->str, "scenario"))
        ok = _ls_json_scan_optional_string (s, &sec->info->scenario_id);
      else if (g_str_equal (key->str, "title"))
        ok = _ls_json_scan_optional_string (s, &sec->info->title);
      else if (g_str_equal (key->str, "created"))
        ok = _ls_json_scan_optional_string (s, &sec->info->created);
      else if (g_str_equal (key->str, "seed"))
        {
          ok = _ls_json_scan_int (s, &v);
          if (ok && (v < 0 || v > G_MAXUINT32))
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("bad seed"));
          sec->info->seed = (guint32) v;
        }
      else if (g_str_equal (key->str, "knobs"))
        ok = scan_knobs (s, sec);
      else if (g_str_equal (key->str, "n_records"))
        {
          ok = _ls_json_scan_int (s, &sec->n_records);
          if (ok && sec->n_records < 0)
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("bad record count"));
        }
      else if (g_str_equal (key->str, "strings"))
        {
          if (sec->seen_strings)
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("two string tables"));
          ok = scan_strings (s, sec);
          sec->seen_strings = TRUE;
        }
      else if (g_str_equal (key->str, "records"))
        {
          if (sec->seen_records)
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("two record tables"));
          ok = sec->version >= 2 ? scan_records_compressed (s, sec) : scan_records (s, sec);
          sec->seen_records = TRUE;
        }
      else
        ok = _ls_json_skip_value (s, 2);
      if (!ok)
        return FALSE;
    }
  return !s->failed;
}

gboolean
_ls_trace_section_finish (LsJsonScanner  *s,
                          LsTraceSection *sec)
{
  guint64 n = ls_trace_get_n_records (sec->trace);

  if (!sec->seen_format)
    return _ls_json_fail_plain (s, LS_TRACE_JSON_ERROR_SCHEMA,
                                _("the “loopscope” section has no format"));
  if (!sec->seen_records || !sec->seen_strings)
    return _ls_json_fail_plain (s, LS_TRACE_JSON_ERROR_SCHEMA,
                                _("the “loopscope” section has no records or no strings"));
  if (sec->n_records < 0)
    return _ls_json_fail_plain (s, LS_TRACE_JSON_ERROR_SCHEMA,
                                _("the “loopscope” section has no record count"));
  if ((guint64) sec->n_records != n)
    /* %llu, %lld: xgettext cannot see through G_GUINT64_FORMAT */
    return _ls_json_fail_plain (s, LS_TRACE_JSON_ERROR_SCHEMA,
                                _("%llu records where the file announces %lld"),
                                (unsigned long long) n, (long long) sec->n_records);
  return TRUE;
}
