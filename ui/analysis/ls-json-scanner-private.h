/* SPDX-License-Identifier: MIT
 *
 * A small validating JSON scanner over a mapped file, for trace files:
 * it walks the text in place and keeps nothing but what the caller asks
 * for, so reading a file costs the file's pages and what is decoded from
 * it, not a tree of nodes. Every error names the file and the place (line
 * and column, or what the caller says: "event 12"), on one line.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LS_JSON_MAX_DEPTH 256

typedef enum
{
  LS_JSON_NONE = 0, /* nothing there: the end of the input, or not a value */
  LS_JSON_STRING,
  LS_JSON_NUMBER,
  LS_JSON_OBJECT,
  LS_JSON_ARRAY,
  LS_JSON_TRUE,
  LS_JSON_FALSE,
  LS_JSON_NULL,
} LsJsonType;

typedef struct
{
  const char  *start;
  const char  *p;
  const char  *end;
  const char  *path;
  GError     **error;
  gboolean     failed;
  gboolean     release;   /* drop the pages behind p (see _ls_json_scanner_release) */
  const char  *released;
} LsJsonScanner;

void        _ls_json_scanner_init   (LsJsonScanner *s,
                                     const char    *data,
                                     gsize          length,
                                     const char    *path,
                                     GError       **error);

/* The input is a read-only private mapping of a file: its pages may be
 * given back as the scanner leaves them behind, so reading a file costs
 * what is kept from it, not its size. */
void        _ls_json_scanner_release (LsJsonScanner *s);
void        _ls_json_release_behind (LsJsonScanner *s);
/* Goes back to @p (a second pass over part of the input). */
void        _ls_json_seek           (LsJsonScanner *s,
                                     const char    *p);

/* Fails with "PATH: line L, column C: WHAT" (or "the file ends too
 * early" at the end); only the first failure is kept. Returns FALSE. */
gboolean    _ls_json_fail           (LsJsonScanner *s,
                                     int            code,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (3, 4);
/* Fails with "PATH: WHAT": for errors about meaning, not syntax. */
gboolean    _ls_json_fail_plain     (LsJsonScanner *s,
                                     int            code,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (3, 4);

/* Skips whitespace; the type of the value that starts there. */
LsJsonType  _ls_json_peek           (LsJsonScanner *s);
/* Skips whitespace; consumes @c if it comes next. */
gboolean    _ls_json_accept         (LsJsonScanner *s,
                                     char           c);
gboolean    _ls_json_expect         (LsJsonScanner *s,
                                     char           c);

/* Walking an object or an array: after _ls_json_enter ('{' or '['), each
 * _ls_json_next returns TRUE with the next value ahead (for an object,
 * its key, decoded, in @key) and FALSE after the closing bracket or on an
 * error (s->failed). @count is the caller's, 0 before the first call. */
gboolean    _ls_json_enter          (LsJsonScanner *s,
                                     char           open);
gboolean    _ls_json_next           (LsJsonScanner *s,
                                     char           close,
                                     guint64       *count,
                                     GString       *key);

/* A string, decoded into @out when not NULL (replacing its contents). */
gboolean    _ls_json_scan_string    (LsJsonScanner *s,
                                     GString       *out);
/* A string or null (*out left as it was for null). */
gboolean    _ls_json_scan_optional_string (LsJsonScanner *s,
                                           char         **out);
/* A number's text (RFC 8259 grammar): where it starts, its length, and
 * whether it is written as an integer (no fraction, no exponent). */
gboolean    _ls_json_scan_number    (LsJsonScanner *s,
                                     const char   **begin,
                                     gsize         *length,
                                     gboolean      *integral);
/* A number written as an integer, in gint64. */
gboolean    _ls_json_scan_int       (LsJsonScanner *s,
                                     gint64        *out);
/* Validates and skips one value; @depth is how deep it is nested. */
gboolean    _ls_json_skip_value     (LsJsonScanner *s,
                                     int            depth);

static inline void
_ls_json_skip_ws (LsJsonScanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

G_END_DECLS
