/* SPDX-License-Identifier: MIT
 *
 * Traces as files, in the Chrome Trace Event Format: Perfetto and
 * chrome://tracing show one track per task with its running, ready and
 * waiting spans, prints and cancellations as instants, wake-ups and
 * handoffs as flow arrows, semaphore permits and queue depths as counters.
 * A top-level "loopscope" key (which other viewers ignore) carries the raw
 * records and strings, so loading the file restores the very same LsTrace.
 */
#pragma once

#include <gio/gio.h>

#include "ls-trace.h"

G_BEGIN_DECLS

#define LS_TRACE_JSON_ERROR (ls_trace_json_error_quark ())

typedef enum
{
  LS_TRACE_JSON_ERROR_EMPTY,
  LS_TRACE_JSON_ERROR_TOO_LARGE,
  LS_TRACE_JSON_ERROR_NOT_JSON,
  LS_TRACE_JSON_ERROR_INVALID,     /* malformed or truncated JSON */
  LS_TRACE_JSON_ERROR_SCHEMA,      /* JSON, but not a trace we can read */
} LsTraceJsonError;

/* Larger files are refused before they are read. */
#define LS_TRACE_JSON_MAX_BYTES (G_GINT64_CONSTANT (1) << 30)

/* What a trace file says about the run besides its records. */
typedef struct
{
  char    *scenario_id; /* or NULL (a trace from another tool) */
  char    *title;       /* the scenario's untranslated title, or a file name */
  guint32  seed;
  char    *created;     /* when the run was recorded, ISO 8601, or NULL */
  char   **knobs;       /* the scenario's knobs as "NAME=VALUE", or NULL (the defaults,
                         * or a file from before knobs were saved) */
} LsTraceInfo;

GQuark    ls_trace_json_error_quark (void);
void      ls_trace_info_clear       (LsTraceInfo       *info);

gboolean  ls_trace_write_json       (LsTrace           *trace,
                                     const LsTraceInfo *info,
                                     GOutputStream     *out,
                                     GError           **error);
/* All or nothing: a temporary file beside @path, renamed at the end. */
gboolean  ls_trace_save_json        (LsTrace           *trace,
                                     const LsTraceInfo *info,
                                     const char        *path,
                                     GError           **error);
/* A Loopscope trace file restores an identical trace; another tool's
 * Trace Event file gives one task per thread with its slices as running
 * spans. Either way the records are checked (ls_trace_check_records).
 * Errors name @path and the problem, on one line. @info (may be NULL) is
 * filled in on success and left empty on failure. Knob values of a
 * scenario Loopscope knows are checked against its knobs (a name it does
 * not have, a value out of range is an error) and written as Loopscope
 * writes them. */
LsTrace  *ls_trace_load_json        (const char        *path,
                                     GError           **error);
LsTrace  *ls_trace_load_json_full   (const char        *path,
                                     LsTraceInfo       *info,
                                     GError           **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LsTraceInfo, ls_trace_info_clear)

G_END_DECLS
