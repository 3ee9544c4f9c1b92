/* SPDX-License-Identifier: MIT
 *
 * The "loopscope" section of a trace file: what restores a run exactly
 * (format and version, the scenario, its seed and date, the interned
 * strings in id order and the raw 32-byte records in base64), written
 * after the Trace Event part and read back by the scanner.
 */
#pragma once

#include "ls-json-scanner-private.h"
#include "ls-json-writer-private.h"
#include "ls-trace-json.h"

G_BEGIN_DECLS

#define LS_TRACE_FORMAT_NAME    "loopscope-trace"
#define LS_TRACE_FORMAT_VERSION 1

typedef struct
{
  LsTrace     *trace;
  LsTraceInfo *info;
  gboolean     seen_format;
  gboolean     seen_strings;
  gboolean     seen_records;
  gint64       n_records;   /* -1 until read */
} LsTraceSection;

/* Writes "loopscope":{...}. */
void     _ls_trace_section_write  (LsJsonWriter      *w,
                                   LsTrace           *trace,
                                   const LsTraceInfo *info);
/* Reads the section's object into @sec->trace and @sec->info. */
gboolean _ls_trace_section_read   (LsJsonScanner     *s,
                                   LsTraceSection    *sec);
/* After the whole file: is the section complete? */
gboolean _ls_trace_section_finish (LsJsonScanner     *s,
                                   LsTraceSection    *sec);

G_END_DECLS
