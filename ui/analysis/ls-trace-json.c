/* SPDX-License-Identifier: MIT
 *
 * Trace files, the front: saving writes the Trace Event part and then the
 * "loopscope" section; loading maps the file, walks it once with the
 * scanner and decides which reader applies: the section when there is one
 * (the very same trace comes back), otherwise the Trace Event import of
 * another tool's file.
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

#include "ls-atomic-file.h"
#include "ls-trace-export-private.h"
#include "ls-trace-import-private.h"
#include "ls-trace-section-private.h"

G_DEFINE_QUARK (ls-trace-json-error-quark, ls_trace_json_error)

void
ls_trace_info_clear (LsTraceInfo *info)
{
  g_clear_pointer (&info->scenario_id, g_free);
  g_clear_pointer (&info->title, g_free);
  g_clear_pointer (&info->created, g_free);
  info->seed = 0;
}

gboolean
ls_trace_write_json (LsTrace           *trace,
                     const LsTraceInfo *info,
                     GOutputStream     *out,
                     GError           **error)
{
  LsJsonWriter w;

  g_return_val_if_fail (LS_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  _ls_json_writer_init (&w, out);
  _ls_json_write_lit (&w, "{\"displayTimeUnit\":\"ns\",\n");
  _ls_trace_export_events (&w, trace);
  _ls_json_write_lit (&w, ",\n");
  _ls_trace_section_write (&w, trace, info);
  _ls_json_write_lit (&w, "}\n");
  return _ls_json_writer_finish (&w, error);
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
  LsJsonScanner s;
  LsTraceSection sec = { 0 };
  GStatBuf st;
  gsize length;
  guint64 count = 0;
  gboolean seen_section = FALSE;

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

  _ls_json_scanner_init (&s, g_mapped_file_get_contents (mapped), length, path, error);
  _ls_json_skip_ws (&s);
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
      if (!_ls_json_skip_value (&s, 0))
        return NULL;
    }
  else
    {
      s.p++;
      while (_ls_json_next (&s, '}', &count, key))
        {
          if (g_str_equal (key->str, "loopscope") && !seen_section)
            {
              seen_section = TRUE;
              if (!_ls_trace_section_read (&s, &sec))
                return NULL;
            }
          else if (!_ls_json_skip_value (&s, 1))
            return NULL;
        }
      if (s.failed)
        return NULL;
    }
  _ls_json_skip_ws (&s);
  if (s.p < s.end)
    {
      _ls_json_fail (&s, LS_TRACE_JSON_ERROR_INVALID,
                     _("more data after the end of the JSON value"));
      return NULL;
    }

  if (!sec.seen_format)
    {
      g_clear_object (&trace);
      ls_trace_info_clear (info);
      trace = _ls_trace_import_foreign (path, s.start, length, info, error);
      ls_trace_info_clear (&scratch);
      return g_steal_pointer (&trace);
    }
  if (!_ls_trace_section_finish (&s, &sec))
    {
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
