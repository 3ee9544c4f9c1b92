/* SPDX-License-Identifier: MIT
 *
 * Reading the events of Trace Event files written by other tools
 * (ls-trace-import.c), and turning them into records, one task per thread
 * (ls-trace-import-records.c).
 */
#pragma once

#include "ls-json-scanner-private.h"
#include "ls-trace-json.h"

G_BEGIN_DECLS

enum
{
  LS_IMPORT_PID_IS_STRING = 1 << 0,
  LS_IMPORT_TID_IS_STRING = 1 << 1,
};

typedef struct
{
  gint64  pid;        /* the number, or an id in strings when a flag says so */
  gint64  tid;
  guint32 flags;
  guint32 name;       /* thread_name, as a string id of the trace, or 0 */
  guint32 open;       /* its innermost unended "B": index + 1 in opens, or 0 */
  guint32 task_id;    /* its lane, once it has one */
} LsImportThread;

typedef struct
{
  gint64  start;
  gint64  end;
  guint32 thread;
} LsImportSlice;

typedef struct
{
  gint64  time;
  guint32 thread;
  guint32 text;       /* string id */
  guint32 order;      /* in the file, for equal times */
} LsImportInstant;

/* The import: the events read so far, then the records made of them */
typedef struct
{
  LsJsonScanner *s;
  LsTrace       *trace;
  GArray        *threads;   /* LsImportThread */
  guint32       *slots;     /* open addressing: thread index + 1, or 0 */
  guint          n_slots;
  GHashTable    *string_ids; /* string pid/tid -> index in strings */
  GPtrArray     *strings;
  GArray        *slices;    /* LsImportSlice */
  GArray        *opens;     /* "B" events not ended yet */
  GArray        *instants;  /* LsImportInstant */
  gint64         t0;
  gboolean       have_t0;
} LsTraceImport;

/* @s is at the events array: the value of "traceEvents", or with
 * @top_level the whole file (the JSON Array Format, whose closing bracket
 * may be missing). Sets @info's title to the file's name. NULL when the
 * scanner failed. */
LsTrace *_ls_trace_import_events        (LsJsonScanner *s,
                                         gboolean       top_level,
                                         LsTraceInfo   *info);
/* The records of @im's slices and instants, appended to @im->trace (the
 * slices are used up). */
void     _ls_trace_import_write_records (LsTraceImport *im);

G_END_DECLS
