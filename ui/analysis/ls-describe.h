/* SPDX-License-Identifier: MIT
 *
 * The loop at an instant, in words: what the loop-internals pane shows
 * (the ready queue, the timers, every task's state, each primitive's
 * owner and ordered waiters) and, for a selected task, its time in each
 * state and its "why is it waiting" chain. Translated text, GLib only.
 */
#pragma once

#include "ls-interpreter.h"
#include "ls-lane-layout.h"

G_BEGIN_DECLS

/* A task's state, what it waits on, a waiter's state: translated words
 * (the trace's own names, ls_task_state_name () and the like, are the
 * files' and the command line's) */
const char *ls_describe_task_state   (guint state);
const char *ls_describe_wait_reason  (guint reason);
const char *ls_describe_waiter_state (guint state);

/* Long lists are cut at this many entries: a stress run has 10,000 tasks,
 * and the pane is rebuilt on every batch of records. */
#define LS_DESCRIBE_MAX_LISTED 60

/* Appends the description of @state (read from @interpreter's run) to
 * @out; @selected_task (or 0) gets its own paragraph first, with its times
 * counted up to @until_ns. */
void   ls_describe_loop        (GString             *out,
                                LsInterpreter       *interpreter,
                                const LsTraceState  *state,
                                guint32              selected_task,
                                gint64               until_ns);
/* "Why is it waiting": from @task_id along what it waits on (a task it
 * awaits, a lock and the task holding it…) to a task that does not wait
 * on another task. */
void   ls_describe_wait_chain  (GString             *out,
                                LsInterpreter       *interpreter,
                                const LsTraceState  *state,
                                guint32              task_id);

/* The Python name of the exception a task ended with, from its TASK_DONE
 * record in @trace (LsOutcome, and the error as ls_trace_error_arg () keeps
 * it, which CPython runs write too): "TimeoutError", "KeyError",
 * "CancelledError"; NULL for a result. */
const char *ls_describe_error_type (LsTrace *trace,
                                    guint    outcome,
                                    gint64   arg);

/* What one mark of the timeline stands for, in a sentence or two: what
 * happened, when, who caused it, and for an error its exception. Names
 * are @layout's (told apart). Each appends to @out. */

/* How @lane's task ended: returned, or the exception (type and message)
 * it failed or was cancelled with, and who cancelled it or which deadline
 * ran out. */
void   ls_describe_task_end    (GString                  *out,
                                LsLaneLayout             *layout,
                                guint                     lane);
void   ls_describe_cancel      (GString                  *out,
                                LsLaneLayout             *layout,
                                const LsTimelineCancel   *cancel);
void   ls_describe_wake        (GString                  *out,
                                LsLaneLayout             *layout,
                                const LsTimelineWake     *wake);
void   ls_describe_link        (GString                  *out,
                                LsLaneLayout             *layout,
                                const LsTimelineLink     *link);
void   ls_describe_waiter      (GString                  *out,
                                LsLaneLayout             *layout,
                                guint                     lane,
                                const LsTimelineWaiter   *waiter);
void   ls_describe_hold        (GString                  *out,
                                LsLaneLayout             *layout,
                                guint                     lane,
                                const LsTimelineHold     *hold);
void   ls_describe_deadline    (GString                  *out,
                                LsLaneLayout             *layout,
                                const LsTimelineDeadline *deadline);

G_END_DECLS
