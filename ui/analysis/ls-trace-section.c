/* SPDX-License-Identifier: MIT
 *
 * The "loopscope" section of a trace file, both ways. The records are one
 * base64 string of the 32-byte records in little-endian: written in
 * batches of three records (96 bytes, 128 characters, so each batch ends
 * on a character boundary) and decoded straight from the mapped file into
 * the trace's chunks, so a file costs its records and little more.
 * Whether the records make sense is ls_trace_check_records's job.
 */
#include "config.h"

#include "ls-trace-section-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

static void
write_records (LsJsonWriter *w,
               LsTrace      *trace)
{
  guint64 n = ls_trace_get_n_records (trace);
  /* 3 records = 96 bytes = 128 base64 characters: whole records per step */
  enum { BATCH = 3 * 1024 };
  g_autofree char *out = g_malloc (BATCH * sizeof (LsTraceRecord) / 3 * 4 + 16);
  g_autofree LsTraceRecord *swapped = NULL;
  int state = 0, save = 0;
  gsize len;

  _ls_json_write_char (w, '"');
  for (guint64 i = 0; i < n; i += BATCH)
    {
      guint64 count = MIN (BATCH, n - i);
      const guchar *data;

      /* a batch of whole records, in little-endian whatever the host */
      if (swapped == NULL)
        swapped = g_new (LsTraceRecord, BATCH);
      for (guint64 j = 0; j < count; j++)
        {
          const LsTraceRecord *r = ls_trace_get_record (trace, i + j);
          LsTraceRecord *le = &swapped[j];

          le->time = GINT64_TO_LE (r->time);
          le->kind = GUINT16_TO_LE (r->kind);
          le->reason = GUINT16_TO_LE (r->reason);
          le->subject = GUINT32_TO_LE (r->subject);
          le->object = GUINT32_TO_LE (r->object);
          le->peer = GUINT32_TO_LE (r->peer);
          le->arg = GINT64_TO_LE (r->arg);
        }
      data = (const guchar *) swapped;
      len = g_base64_encode_step (data, count * sizeof (LsTraceRecord), FALSE, out, &state, &save);
      _ls_json_write (w, out, len);
    }
  len = g_base64_encode_close (FALSE, out, &state, &save);
  _ls_json_write (w, out, len);
  _ls_json_write_char (w, '"');
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
          if (ok && v != LS_TRACE_FORMAT_VERSION)
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA,
                                  _("version %lld is not supported"), (long long) v);
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
          ok = scan_records (s, sec);
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
