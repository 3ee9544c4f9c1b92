/* SPDX-License-Identifier: MIT
 *
 * The JSON scanner of trace files (see ls-json-scanner-private.h): strict
 * RFC 8259 syntax, strings checked for UTF-8 and decoded only when the
 * caller keeps them, nesting bounded so no input can exhaust the stack.
 */
#include "config.h"

#include "ls-json-scanner-private.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ls-trace-json.h"

void
_ls_json_scanner_init (LsJsonScanner *s,
                       const char    *data,
                       gsize          length,
                       const char    *path,
                       GError       **error)
{
  s->start = s->p = data;
  s->end = data + length;
  s->path = path;
  s->error = error;
  s->failed = FALSE;
  s->release = FALSE;
  s->released = data;
}

void
_ls_json_scanner_release (LsJsonScanner *s)
{
  s->release = TRUE;
  s->released = s->start;
}

/* Every 8 MiB. madvise (MADV_DONTNEED) on a private mapping that was
 * never written drops the pages from this process; read again, they come
 * back from the page cache, unchanged. A second pass over the same bytes
 * (the events of another tool's file) just faults them in again. */
void
_ls_json_release_behind (LsJsonScanner *s)
{
  guintptr page = sysconf (_SC_PAGESIZE);
  guintptr from, to;

  if (!s->release || s->p - s->released < (8 << 20))
    return;
  from = ((guintptr) s->released + page - 1) & ~(page - 1);
  to = (guintptr) s->p & ~(page - 1);
  if (to > from)
    madvise ((void *) from, to - from, MADV_DONTNEED);
  s->released = (const char *) to;
}

static gboolean
fail_valist (LsJsonScanner *s,
             gboolean       with_place,
             int            code,
             const char    *format,
             va_list        args)
{
  g_autofree char *what = NULL;

  if (s->failed)
    return FALSE;
  s->failed = TRUE;
  what = g_strdup_vprintf (format, args);
  if (!with_place)
    g_set_error (s->error, LS_TRACE_JSON_ERROR, code, "%s: %s", s->path, what);
  else if (s->p >= s->end)
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

void
_ls_json_seek (LsJsonScanner *s,
               const char    *p)
{
  g_assert (p >= s->start && p <= s->end);
  s->p = p;
  s->released = p;
}

gboolean
_ls_json_fail (LsJsonScanner *s,
               int            code,
               const char    *format,
               ...)
{
  va_list args;

  va_start (args, format);
  fail_valist (s, TRUE, code, format, args);
  va_end (args);
  return FALSE;
}

gboolean
_ls_json_fail_plain (LsJsonScanner *s,
                     int            code,
                     const char    *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  fail_valist (s, FALSE, code, format, args);
  va_end (args);
  return FALSE;
}

LsJsonType
_ls_json_peek (LsJsonScanner *s)
{
  _ls_json_skip_ws (s);
  if (s->p >= s->end)
    return LS_JSON_NONE;
  switch (*s->p)
    {
    case '"': return LS_JSON_STRING;
    case '{': return LS_JSON_OBJECT;
    case '[': return LS_JSON_ARRAY;
    case 't': return LS_JSON_TRUE;
    case 'f': return LS_JSON_FALSE;
    case 'n': return LS_JSON_NULL;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return LS_JSON_NUMBER;
    default: return LS_JSON_NONE;
    }
}

gboolean
_ls_json_accept (LsJsonScanner *s,
                 char           c)
{
  _ls_json_skip_ws (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return FALSE;
}

gboolean
_ls_json_expect (LsJsonScanner *s,
                 char           c)
{
  if (_ls_json_accept (s, c))
    return TRUE;
  return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("expected “%c”"), c);
}

gboolean
_ls_json_enter (LsJsonScanner *s,
                char           open)
{
  return _ls_json_expect (s, open);
}

gboolean
_ls_json_next (LsJsonScanner *s,
               char           close,
               guint64       *count,
               GString       *key)
{
  if (s->failed)
    return FALSE;
  if (G_UNLIKELY (s->release && s->p - s->released >= (8 << 20)))
    _ls_json_release_behind (s);
  if (*count == 0)
    {
      if (_ls_json_accept (s, close))
        return FALSE;
    }
  else if (!_ls_json_accept (s, ','))
    {
      _ls_json_expect (s, close);
      return FALSE;
    }
  (*count)++;
  if (close == '}' && (!_ls_json_scan_string (s, key) || !_ls_json_expect (s, ':')))
    return FALSE;
  return TRUE;
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
read_hex4 (LsJsonScanner *s,
           gunichar      *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    {
      s->p = s->end;
      return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
    }
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[i]);

      if (h < 0)
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
      v = v << 4 | h;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* Plain runs are only checked: decoding is for the strings we keep. */
gboolean
_ls_json_scan_string (LsJsonScanner *s,
                      GString       *out)
{
  const char *run;

  if (!_ls_json_expect (s, '"'))
    return FALSE;
  if (out != NULL)
    g_string_truncate (out, 0);
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
            return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("a string is not valid UTF-8"));
          return TRUE;
        }
      if (c < 0x20)
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("control character in a string"));
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
                  return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
                s->p += 2;
                if (!read_hex4 (s, &low) || low < 0xdc00 || low > 0xdfff)
                  return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            else if (u >= 0xdc00 && u < 0xe000)
              return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad \\u escape"));
            if (u == 0)
              return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("a string holds a NUL"));
            if (out != NULL)
              g_string_append_unichar (out, u);
          }
          break;
        default:
          s->p--;
          return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad escape in a string"));
        }
      run = s->p;
    }
  return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("unterminated string"));
}

gboolean
_ls_json_scan_optional_string (LsJsonScanner  *s,
                               char          **out)
{
  g_autoptr(GString) text = NULL;

  if (_ls_json_peek (s) == LS_JSON_NULL)
    return _ls_json_skip_value (s, 0);
  text = g_string_new (NULL);
  if (!_ls_json_scan_string (s, text))
    return FALSE;
  g_free (*out);
  *out = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

gboolean
_ls_json_scan_number (LsJsonScanner  *s,
                      const char    **begin,
                      gsize          *length,
                      gboolean       *integral)
{
  _ls_json_skip_ws (s);
  *begin = s->p;
  *integral = TRUE;
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("expected a value"));
  /* no leading zeros: "012" is not JSON */
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      *integral = FALSE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad number"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      *integral = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("bad number"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  *length = s->p - *begin;
  return TRUE;
}

gboolean
_ls_json_scan_int (LsJsonScanner *s,
                   gint64        *out)
{
  const char *begin;
  gsize n;
  gboolean integral;
  char tmp[32];

  if (!_ls_json_scan_number (s, &begin, &n, &integral))
    return FALSE;
  if (!integral || n >= sizeof tmp)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("expected an integer"));
  memcpy (tmp, begin, n);
  tmp[n] = '\0';
  if (!g_ascii_string_to_signed (tmp, 10, G_MININT64, G_MAXINT64, out, NULL))
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_SCHEMA, _("integer out of range"));
  return TRUE;
}

static gboolean
scan_literal (LsJsonScanner *s,
              const char    *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    {
      if ((gsize) (s->end - s->p) < n && memcmp (s->p, word, s->end - s->p) == 0)
        s->p = s->end;
      return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("expected a value"));
    }
  s->p += n;
  return TRUE;
}

gboolean
_ls_json_skip_value (LsJsonScanner *s,
                     int            depth)
{
  guint64 count = 0;
  const char *begin;
  gsize n;
  gboolean integral;

  if (depth > LS_JSON_MAX_DEPTH)
    return _ls_json_fail (s, LS_TRACE_JSON_ERROR_INVALID, _("nested too deeply"));
  switch (_ls_json_peek (s))
    {
    case LS_JSON_STRING:
      return _ls_json_scan_string (s, NULL);
    case LS_JSON_OBJECT:
    case LS_JSON_ARRAY:
      {
        char close = *s->p == '{' ? '}' : ']';

        s->p++;
        while (_ls_json_next (s, close, &count, NULL))
          if (!_ls_json_skip_value (s, depth + 1))
            return FALSE;
        return !s->failed;
      }
    case LS_JSON_TRUE:
      return scan_literal (s, "true");
    case LS_JSON_FALSE:
      return scan_literal (s, "false");
    case LS_JSON_NULL:
      return scan_literal (s, "null");
    case LS_JSON_NUMBER:
    case LS_JSON_NONE:
    default:
      return _ls_json_scan_number (s, &begin, &n, &integral);
    }
}
