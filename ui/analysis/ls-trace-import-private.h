/* SPDX-License-Identifier: MIT
 *
 * Reading the events of Trace Event files written by other tools.
 */
#pragma once

#include "ls-json-scanner-private.h"
#include "ls-trace-json.h"

G_BEGIN_DECLS

/* @s is at the events array: the value of "traceEvents", or with
 * @top_level the whole file (the JSON Array Format, whose closing bracket
 * may be missing). Sets @info's title to the file's name. NULL when the
 * scanner failed. */
LsTrace *_ls_trace_import_events (LsJsonScanner *s,
                                  gboolean       top_level,
                                  LsTraceInfo   *info);

G_END_DECLS
