/* SPDX-License-Identifier: MIT
 *
 * The buffered JSON output of trace files: numbers, microseconds with
 * exactly three decimals (so nanoseconds survive a round trip) and escaped
 * strings, formatted into one buffer that is written out as it fills.
 */
#include "config.h"

#include "ls-json-writer-private.h"

void
_ls_json_writer_init (LsJsonWriter  *w,
                      GOutputStream *out)
{
  w->out = out;
  w->buf = g_malloc (LS_JSON_WRITER_BUFFER);
  w->len = 0;
  w->error = NULL;
}

void
_ls_json_writer_flush (LsJsonWriter *w)
{
  if (w->len > 0 && w->error == NULL)
    g_output_stream_write_all (w->out, w->buf, w->len, NULL, NULL, &w->error);
  w->len = 0;
}

gboolean
_ls_json_writer_finish (LsJsonWriter  *w,
                        GError       **error)
{
  _ls_json_writer_flush (w);
  g_clear_pointer (&w->buf, g_free);
  if (w->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&w->error));
      return FALSE;
    }
  return TRUE;
}

/* What does not fit in the buffer: flush, then copy or write it directly. */
void
_ls_json_write_long (LsJsonWriter *w,
                     const char   *s,
                     gsize         n)
{
  _ls_json_writer_flush (w);
  if (n > LS_JSON_WRITER_BUFFER)
    {
      if (w->error == NULL)
        g_output_stream_write_all (w->out, s, n, NULL, NULL, &w->error);
      return;
    }
  memcpy (w->buf, s, n);
  w->len = n;
}

void
_ls_json_write_int (LsJsonWriter *w,
                    gint64        v)
{
  char tmp[24];
  int i = sizeof tmp;
  guint64 u = v < 0 ? -(guint64) v : (guint64) v;

  do
    tmp[--i] = '0' + u % 10;
  while ((u /= 10) != 0);
  if (v < 0)
    tmp[--i] = '-';
  _ls_json_write (w, tmp + i, sizeof tmp - i);
}

void
_ls_json_write_us (LsJsonWriter *w,
                   gint64        ns)
{
  guint64 u = ns < 0 ? -(guint64) ns : (guint64) ns;
  guint frac;
  char tmp[4];

  if (ns < 0)
    _ls_json_write_char (w, '-');
  _ls_json_write_int (w, (gint64) (u / 1000));
  frac = u % 1000;
  if (frac == 0)
    return;
  tmp[0] = '.';
  tmp[1] = '0' + frac / 100;
  tmp[2] = '0' + frac / 10 % 10;
  tmp[3] = '0' + frac % 10;
  _ls_json_write (w, tmp, 4);
}

void
_ls_json_write_string (LsJsonWriter *w,
                       const char   *s)
{
  g_autofree char *valid = NULL;
  const char *run;

  if (!g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);
  _ls_json_write_char (w, '"');
  run = s;
  for (; *s != '\0'; s++)
    {
      unsigned char c = *s;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      _ls_json_write (w, run, s - run);
      run = s + 1;
      switch (c)
        {
        case '"': _ls_json_write_lit (w, "\\\""); break;
        case '\\': _ls_json_write_lit (w, "\\\\"); break;
        case '\n': _ls_json_write_lit (w, "\\n"); break;
        case '\t': _ls_json_write_lit (w, "\\t"); break;
        case '\r': _ls_json_write_lit (w, "\\r"); break;
        default:
          {
            char esc[7];

            g_snprintf (esc, sizeof esc, "\\u%04x", c);
            _ls_json_write (w, esc, 6);
          }
          break;
        }
    }
  _ls_json_write (w, run, s - run);
  _ls_json_write_char (w, '"');
}
