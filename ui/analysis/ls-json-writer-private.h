/* SPDX-License-Identifier: MIT
 *
 * JSON output for trace files, buffered. A trace of millions of records
 * would make millions of JsonNodes, so the writers format text straight
 * into a 256 KiB buffer that goes to the GOutputStream as it fills. The
 * first write error is kept and every later write does nothing, so the
 * writers check for errors once, at the end.
 */
#pragma once

#include <gio/gio.h>
#include <string.h>

G_BEGIN_DECLS

#define LS_JSON_WRITER_BUFFER (256 * 1024)

typedef struct
{
  GOutputStream *out;
  char          *buf;
  gsize          len;
  GError        *error;
} LsJsonWriter;

void     _ls_json_writer_init        (LsJsonWriter  *w,
                                      GOutputStream *out);
/* Flushes, frees the buffer and hands over the first error, if any. */
gboolean _ls_json_writer_finish      (LsJsonWriter  *w,
                                      GError       **error);
void     _ls_json_writer_flush       (LsJsonWriter  *w);
void     _ls_json_write_long         (LsJsonWriter  *w,
                                      const char    *s,
                                      gsize          n);
void     _ls_json_write_int          (LsJsonWriter  *w,
                                      gint64         v);
/* Nanoseconds as the format's microseconds, exactly: "1234.567". */
void     _ls_json_write_us           (LsJsonWriter  *w,
                                      gint64         ns);
/* A quoted, escaped string (invalid UTF-8 is repaired first). */
void     _ls_json_write_string       (LsJsonWriter  *w,
                                      const char    *s);

/* Raw text: the exporter's hot path, so inline. */
static inline void
_ls_json_write (LsJsonWriter *w,
                const char   *s,
                gsize         n)
{
  if (G_UNLIKELY (w->len + n > LS_JSON_WRITER_BUFFER))
    {
      _ls_json_write_long (w, s, n);
      return;
    }
  memcpy (w->buf + w->len, s, n);
  w->len += n;
}

#define _ls_json_write_lit(w, s) _ls_json_write ((w), "" s, sizeof (s) - 1)

static inline void
_ls_json_write_char (LsJsonWriter *w,
                     char          c)
{
  if (G_UNLIKELY (w->len == LS_JSON_WRITER_BUFFER))
    _ls_json_writer_flush (w);
  w->buf[w->len++] = c;
}

static inline void
_ls_json_write_str (LsJsonWriter *w,
                    const char   *s)
{
  _ls_json_write (w, s, strlen (s));
}

G_END_DECLS
