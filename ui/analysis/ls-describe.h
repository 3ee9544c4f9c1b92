/* SPDX-License-Identifier: MIT
 *
 * The loop at an instant, in words: what the loop-internals pane shows
 * (the ready queue, the timers, every task's state, each primitive's
 * owner and ordered waiters) and, for a selected task, its time in each
 * state and its "why is it waiting" chain. Translated text, GLib only.
 */
#pragma once

#include "ls-interpreter.h"

G_BEGIN_DECLS

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

G_END_DECLS
