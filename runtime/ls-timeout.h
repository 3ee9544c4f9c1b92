/* SPDX-License-Identifier: MIT
 *
 * asyncio.timeout() and asyncio.timeout_at(): a scope that cancels its task
 * at a deadline and turns the CancelledError that comes out of the body
 * into a TimeoutError (raised from it), with CPython 3.11's timeouts.py
 * semantics. A deadline at or before the current time has already expired:
 * the task is cancelled from a call_soon, at the body's first suspension.
 *
 * `async with asyncio.timeout(d):` is
 *
 *   LsTimeoutScope *scope = ls_timeout_enter (d);
 *   ...body, its error in local_error...
 *   ls_timeout_exit (scope, &local_error);   // may turn it into TimeoutError
 *
 * The scope is refcounted: exit drops the reference enter took, so keep one
 * of your own (ls_timeout_ref, or ls_timeout_new + ls_timeout_enter_scope)
 * to use it after the block, as Python code may (cm.expired(),
 * cm.reschedule() raising RuntimeError).
 */
#pragma once

#include <math.h>

#include "ls-future.h"

G_BEGIN_DECLS

/* None, for a timeout in seconds (wait_for, wait, as_completed, timeout) */
#define LS_NO_TIMEOUT (INFINITY)
/* None, for a deadline in loop nanoseconds (timeout_at) */
#define LS_NO_DEADLINE G_MAXINT64

typedef struct _LsTimeoutScope LsTimeoutScope;

/* asyncio.timeout (delay) / timeout_at (when): a scope not entered yet */
LsTimeoutScope *ls_timeout_new           (double          delay);
LsTimeoutScope *ls_timeout_new_at        (gint64          when_ns);
LsTimeoutScope *ls_timeout_ref           (LsTimeoutScope *self);
void        ls_timeout_unref             (LsTimeoutScope *self);
/* __aenter__: RuntimeError when entered before or outside a task */
gboolean    ls_timeout_enter_scope       (LsTimeoutScope *self,
                                          GError        **error);
/* new + enter, in the current task; exit drops the only reference */
LsTimeoutScope *ls_timeout_enter         (double          delay);
LsTimeoutScope *ls_timeout_enter_at      (gint64          when_ns);
/* Timeout.reschedule (when): @when in loop seconds, LS_NO_TIMEOUT for
 * None. RuntimeError unless the scope is active (entered, not expired). */
gboolean    ls_timeout_reschedule        (LsTimeoutScope *self,
                                          double          when,
                                          GError        **error);
gboolean    ls_timeout_expired           (LsTimeoutScope *self);
/* Timeout.when(): the deadline in loop time, or LS_NO_TIMEOUT for None. */
double      ls_timeout_when              (LsTimeoutScope *self);
/* __aexit__: turns the body's CancelledError into a TimeoutError raised
 * from it when this scope's deadline caused it, and drops the reference
 * enter took. Returns whether the scope expired. */
gboolean    ls_timeout_exit              (LsTimeoutScope *self,
                                          GError        **body_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTimeoutScope, ls_timeout_unref)

G_END_DECLS
