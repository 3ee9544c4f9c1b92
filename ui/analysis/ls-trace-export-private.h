/* SPDX-License-Identifier: MIT
 *
 * The Trace Event side of a Loopscope trace file: what Perfetto and
 * chrome://tracing show. Kept apart from the raw "loopscope" section, which
 * alone restores the run, so how task states are derived for viewers can
 * change without touching what Loopscope reads back.
 */
#pragma once

#include "ls-json-writer-private.h"
#include "ls-trace.h"

G_BEGIN_DECLS

/* Writes "traceEvents":[...] for @trace. */
void _ls_trace_export_events (LsJsonWriter *w,
                              LsTrace      *trace);

G_END_DECLS
