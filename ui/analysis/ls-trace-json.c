/* SPDX-License-Identifier: MIT
 *
 * Trace files, the front: saving writes the Trace Event part and then the
 * "loopscope" section; loading maps the file, walks it once with the
 * scanner and decides which reader applies: the section when there is one
 * (the very same trace comes back), otherwise the Trace Event import of
 * another tool's file. Either way the records are checked
 * (ls_trace_check_records) before anyone else sees them.
 *
 * File layout:
 *
 *   {"displayTimeUnit":"ns",
 *    "traceEvents":[ ...Trace Event Format, times in µs... ],
 *    "loopscope":{"format":"loopscope-trace","version":1,"scenario":ID,
 *                 "title":T,"seed":N,"created":ISO-8601,
 *                 "knobs":{NAME:NUMBER…} (optional),"n_records":N,
 *                 "strings":[interned strings from id 1],
 *                 "records":"base64 of the 32-byte records, little-endian"}}
 */
#include "config.h"

#include "ls-trace-json.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls-atomic-file.h"
#include "ls-knobs.h"
#include "ls-trace-check.h"
#include "ls-trace-export-private.h"
#include "ls-trace-import-private.h"
#include "ls-trace-json-private.h"
#include "ls-trace-section-private.h"

G_DEFINE_QUARK (ls-trace-json-error-quark, ls_trace_json_error)

void
ls_trace_info_clear (LsTraceInfo *info)
{
  g_clear_pointer (&info->scenario_id, g_free);
  g_clear_pointer (&info->title, g_free);
  g_clear_pointer (&info->created, g_free);
  g_clear_pointer (&info->knobs, g_strfreev);
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

/* The knobs of a scenario Loopscope knows must be its knobs, in range;
 * they are then written as Loopscope writes them. Those of a scenario it
 * does not know are kept as they are, to be shown. */
static gboolean
check_knobs (LsTraceInfo *info,
             GError     **error)
{
  const LsScenario *scenario;
  g_autoptr(LsKnobs) knobs = NULL;
  g_auto(GStrv) seen = NULL;

  if (info->knobs == NULL || info->scenario_id == NULL
      || (scenario = ls_scenario_lookup (info->scenario_id)) == NULL)
    return TRUE;
  knobs = ls_knobs_new (scenario);
  for (guint i = 0; info->knobs[i] != NULL; i++)
    if (!ls_knobs_parse (knobs, info->knobs[i], error))
      return FALSE;
  seen = g_steal_pointer (&info->knobs);
  info->knobs = ls_knobs_to_strv (knobs, FALSE);
  return TRUE;
}

/* The whole file: valid JSON throughout, then the section's reader or the
 * import of another tool's events. */
static LsTrace *
load_data (const char   *path,
           const char   *data,
           gsize         length,
           gboolean      mapped,
           LsTraceInfo  *info,
           GError      **error)
{
  g_autoptr(LsTrace) trace = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  LsTraceInfo scratch = { 0 };
  LsJsonScanner s;
  LsTraceSection sec = { 0 };
  const char *events = NULL;
  guint64 count = 0;
  gboolean seen_section = FALSE;

  if (info == NULL)
    info = &scratch;
  ls_trace_info_clear (info);
  _ls_json_scanner_init (&s, data, length, path, error);
  if (mapped)
    _ls_json_scanner_release (&s);
  switch (_ls_json_peek (&s))
    {
    case LS_JSON_OBJECT:
      break;
    case LS_JSON_ARRAY:
      /* the JSON Array Format: the events alone */
      trace = _ls_trace_import_events (&s, TRUE, info);
      _ls_json_skip_ws (&s);
      if (trace != NULL && s.p < s.end)
        _ls_json_fail (&s, LS_TRACE_JSON_ERROR_INVALID,
                       _("more data after the end of the JSON value"));
      goto done;
    case LS_JSON_NONE:
      if (s.p >= s.end)
        g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_EMPTY,
                     _("%s: the file is empty"), path);
      else
        g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_NOT_JSON,
                     _("%s: not a JSON file"), path);
      return NULL;
    default:
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA,
                   _("%s: not a trace: the JSON value is not an object or an array"), path);
      return NULL;
    }

  /* one pass over the whole file: it must be valid JSON throughout */
  trace = ls_trace_new ();
  sec.trace = trace;
  sec.info = info;
  sec.n_records = -1;
  _ls_json_enter (&s, '{');
  while (_ls_json_next (&s, '}', &count, key))
    {
      if (g_str_equal (key->str, "loopscope"))
        {
          if (seen_section)
            _ls_json_fail (&s, LS_TRACE_JSON_ERROR_SCHEMA, _("two “loopscope” sections"));
          else
            _ls_trace_section_read (&s, &sec);
          seen_section = TRUE;
        }
      else if (g_str_equal (key->str, "traceEvents"))
        {
          if (events != NULL)
            _ls_json_fail (&s, LS_TRACE_JSON_ERROR_SCHEMA, _("two “traceEvents” arrays"));
          else
            {
              _ls_json_skip_ws (&s);
              events = s.p;
              _ls_json_skip_value (&s, 1);
            }
        }
      else
        _ls_json_skip_value (&s, 1);
      if (s.failed)
        break;
    }
  if (!s.failed)
    {
      _ls_json_skip_ws (&s);
      if (s.p < s.end)
        _ls_json_fail (&s, LS_TRACE_JSON_ERROR_INVALID,
                       _("more data after the end of the JSON value"));
    }
  if (s.failed)
    goto done;

  if (seen_section)
    _ls_trace_section_finish (&s, &sec);
  else if (events == NULL)
    _ls_json_fail_plain (&s, LS_TRACE_JSON_ERROR_SCHEMA,
                         _("not a trace: no “traceEvents” array and no “loopscope” section"));
  else
    {
      g_clear_object (&trace);
      _ls_json_seek (&s, events);
      trace = _ls_trace_import_events (&s, FALSE, info);
    }

done:
  if (!s.failed && !ls_trace_check_records (trace, &local_error))
    g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA, "%s: %s", path,
                 local_error->message);
  if (!s.failed && local_error == NULL && !check_knobs (info, &local_error))
    g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA, "%s: %s", path,
                 local_error->message);
  if (s.failed || local_error != NULL)
    {
      ls_trace_info_clear (info);
      return NULL;
    }
  ls_trace_info_clear (&scratch);
  return g_steal_pointer (&trace);
}

LsTrace *
_ls_trace_load_json_data (const char   *path,
                          const char   *data,
                          gsize         length,
                          LsTraceInfo  *info,
                          GError      **error)
{
  return load_data (path, data, length, FALSE, info, error);
}

/* One line for a file that cannot be read, naming it. */
static void
set_read_error (GError     **error,
                const char  *path,
                int          saved_errno)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("%s: cannot read: %s"), path, g_strerror (saved_errno));
}

LsTrace *
ls_trace_load_json_full (const char   *path,
                         LsTraceInfo  *info,
                         GError      **error)
{
  g_autoptr(LsTrace) trace = NULL;
  struct stat st;
  void *data;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* not blocking: a FIFO is refused below instead of waiting for a writer */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      set_read_error (error, path, errno);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      set_read_error (error, path, errno);
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s: not a regular file"), path);
      close (fd);
      return NULL;
    }
  if (st.st_size > LS_TRACE_JSON_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (st.st_size);
      g_autofree char *limit = g_format_size (LS_TRACE_JSON_MAX_BYTES);

      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_TOO_LARGE,
                   _("%s: the file is too large (%s; at most %s)"), path, size, limit);
      close (fd);
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_EMPTY,
                   _("%s: the file is empty"), path);
      close (fd);
      return NULL;
    }
  data = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED)
    {
      set_read_error (error, path, errno);
      close (fd);
      return NULL;
    }
  close (fd);
  trace = load_data (path, data, st.st_size, TRUE, info, error);
  munmap (data, st.st_size);
  return g_steal_pointer (&trace);
}

LsTrace *
ls_trace_load_json (const char  *path,
                    GError     **error)
{
  return ls_trace_load_json_full (path, NULL, error);
}
