/* SPDX-License-Identifier: MIT
 *
 * The record stream a traced CPython program writes (python/loopscope_trace,
 * DESIGN.md "CPython runs"): a header, then frames of interned strings and
 * 32-byte records, then an end frame with the exit status. The reader is
 * fed bytes as they arrive, in pieces of any size, and appends what they
 * complete to an LsTrace. Everything is checked as untrusted input, record
 * by record (known kinds and reasons, strings that exist, times that never
 * go back, ids declared before they are used, as for trace files): a
 * malformed stream is an error naming the first bad frame or record, never
 * a crash, and nothing after it is appended.
 */
#pragma once

#include <glib.h>

#include "ls-trace.h"

G_BEGIN_DECLS

#define LS_TRACE_STREAM_ERROR (ls_trace_stream_error_quark ())

typedef enum
{
  LS_TRACE_STREAM_ERROR_MALFORMED,  /* bytes no tracer writes */
  LS_TRACE_STREAM_ERROR_TRUNCATED,  /* the stream ended in the middle of a frame, or without
                                       its end frame */
} LsTraceStreamError;

/* The end frame's flags */
typedef enum
{
  LS_TRACE_STREAM_END_RAISED      = 1 << 0, /* an uncaught exception, or a non-zero exit */
  LS_TRACE_STREAM_END_NOT_STARTED = 1 << 1, /* the program could not start */
} LsTraceStreamEndFlags;

#define LS_TRACE_STREAM_VERSION   1
#define LS_TRACE_STREAM_MAX_FRAME (16u * 1024 * 1024)

typedef struct _LsTraceStream LsTraceStream;

GQuark          ls_trace_stream_error_quark   (void);

LsTraceStream  *ls_trace_stream_new           (LsTrace        *trace);
void            ls_trace_stream_free          (LsTraceStream  *self);
/* Appends what @data completes to the trace (call ls_trace_flush () after
 * it, for one records-added per piece). FALSE once the stream is
 * malformed; every later call fails the same way. */
gboolean        ls_trace_stream_feed          (LsTraceStream  *self,
                                               const guint8   *data,
                                               gsize           len,
                                               GError        **error);
/* The writer closed the stream: FALSE when it stopped in the middle of a
 * frame or before its end frame. */
gboolean        ls_trace_stream_finish        (LsTraceStream  *self,
                                               GError        **error);

gboolean        ls_trace_stream_get_virtual   (LsTraceStream  *self);
/* "CPython 3.11.7", once the stream said so, or NULL */
const char     *ls_trace_stream_get_info      (LsTraceStream  *self);
gboolean        ls_trace_stream_has_end       (LsTraceStream  *self);
int             ls_trace_stream_get_status    (LsTraceStream  *self);
guint           ls_trace_stream_get_end_flags (LsTraceStream  *self);
gint64          ls_trace_stream_get_end_time  (LsTraceStream  *self);
/* The uncaught exception's last line, or why the program did not start */
const char     *ls_trace_stream_get_end_text  (LsTraceStream  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTraceStream, ls_trace_stream_free)

G_END_DECLS
