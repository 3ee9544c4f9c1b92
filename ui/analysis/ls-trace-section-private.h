/* SPDX-License-Identifier: MIT
 *
 * The "loopscope" section of a trace file: what restores a run exactly
 * (format and version, the scenario, its seed and date, the interned
 * strings in id order and the records, compressed, in base64), written
 * after the Trace Event part and read back by the scanner.
 */
#pragma once

#include "ls-json-scanner-private.h"
#include "ls-json-writer-private.h"
#include "ls-trace-json.h"

G_BEGIN_DECLS

#define LS_TRACE_FORMAT_NAME    "loopscope-trace"
/* 2: the records compressed (ls-trace-section.c); 1 is still read */
#define LS_TRACE_FORMAT_VERSION 2
/* What a compressed section may announce: 2^25 records, 1 GiB of them,
 * as much as the largest file Loopscope opens could hold uncompressed. */
#define LS_TRACE_SECTION_MAX_RECORDS (G_GINT64_CONSTANT (1) << 25)

typedef struct
{
  LsTrace     *trace;
  LsTraceInfo *info;
  gboolean     seen_format;
  gboolean     seen_strings;
  gboolean     seen_records;
  gint64       version;     /* 0 until read */
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
