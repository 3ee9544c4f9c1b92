/* SPDX-License-Identifier: MIT
 *
 * Whether a trace's records could have been written by the runtime. A
 * trace read from a file is checked before anything replays, models or
 * draws it, so those never see a record that names a task that was never
 * created, a kind outside its enum or a string that does not exist.
 */
#pragma once

#include "ls-trace.h"

G_BEGIN_DECLS

#define LS_TRACE_CHECK_ERROR (ls_trace_check_error_quark ())

typedef enum
{
  LS_TRACE_CHECK_ERROR_IMPOSSIBLE, /* no run could have written this record */
} LsTraceCheckError;

GQuark   ls_trace_check_error_quark (void);

/* TRUE when every record is possible; otherwise FALSE and an error naming
 * the first impossible record ("record 12 (task-suspend): task 7 was
 * never created"). */
gboolean ls_trace_check_records     (LsTrace  *trace,
                                     GError  **error);

/* The same checks on records as they arrive (a traced program's stream):
 * each record in turn, after the ones before it. Strings are looked up
 * in @trace as it is when the record is checked. */
typedef struct _LsTraceChecker LsTraceChecker;

LsTraceChecker *ls_trace_checker_new   (LsTrace              *trace);
void            ls_trace_checker_free  (LsTraceChecker       *checker);
gboolean        ls_trace_checker_check (LsTraceChecker       *checker,
                                        const LsTraceRecord  *record,
                                        GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTraceChecker, ls_trace_checker_free)

G_END_DECLS
