/* SPDX-License-Identifier: MIT
 *
 * Futures and tasks, with CPython 3.11's semantics. A task is a future that
 * runs a function on its own coroutine; awaiting anything inside it
 * suspends only that coroutine.
 *
 * Results are GVariants (NULL is Python's None). Errors are GErrors; a
 * cancelled future or task holds a CancelledError (LS_RUNTIME_ERROR,
 * LS_RUNTIME_ERROR_CANCELLED) whose message is the cancel message.
 *
 * Who owns a result:
 *  - an LsTaskFunc gives up the GVariant it returns: a floating one (fresh
 *    from g_variant_new_*()) is sunk, a full reference (what
 *    ls_task_await () or ls_queue_get () handed it) is taken over. Either
 *    way `return g_variant_new_int32 (1);` and `return ls_task_await (t,
 *    error);` are both right, and the function keeps nothing to unref;
 *  - ls_future_set_result () does not take the caller's reference: a
 *    floating @result is sunk, a full one gets a reference of its own, as
 *    g_variant_builder_add_value () does;
 *  - ls_future_get_result (), ls_future_await (), ls_task_await () (and the
 *    combinators built on them) return a new full reference: the caller
 *    unrefs it (g_autoptr (GVariant));
 *  - ls_future_peek_result () lends the future's own: valid while the
 *    future lives, never unreffed by the caller.
 * A task's coroutine that is still suspended when its loop is closed is
 * cancelled and run to its end (ls_loop_close ()), so what its frames own
 * is released by its g_autoptr cleanups like on any other way out.
 */
#pragma once

#include "ls-loop.h"

G_BEGIN_DECLS

typedef GVariant *(*LsTaskFunc)             (gpointer   data,
                                             GError   **error);
typedef void      (*LsFutureCallback)       (LsFuture  *future,
                                             gpointer   data);

#define LS_FUTURE(f) ((LsFuture *) (f))

/* Futures */
LsFuture   *ls_future_new                   (LsLoop     *loop,
                                             const char *name);
LsFuture   *ls_future_ref                   (LsFuture   *future);
void        ls_future_unref                 (LsFuture   *future);
LsLoop     *ls_future_get_loop              (LsFuture   *future);
guint32     ls_future_get_id                (LsFuture   *future);
gboolean    ls_future_is_done               (LsFuture   *future);
gboolean    ls_future_is_cancelled          (LsFuture   *future);
gboolean    ls_future_set_result            (LsFuture   *future,
                                             GVariant   *result,
                                             GError    **error);
gboolean    ls_future_set_exception         (LsFuture   *future,
                                             GError     *exception,
                                             GError    **error);
gboolean    ls_future_cancel                (LsFuture   *future,
                                             const char *message);
GVariant   *ls_future_get_result            (LsFuture   *future,
                                             GError    **error);
/* The exception, NULL for none or when cancelled (a peek, no copy) */
const GError *ls_future_get_exception       (LsFuture   *future);
/* Future.exception(): a copy of the exception (NULL for None); raises
 * CancelledError when cancelled, InvalidStateError when pending (NULL with
 * @error set: tell the cases apart by @error) */
GError     *ls_future_exception             (LsFuture   *future,
                                             GError    **error);
GVariant   *ls_future_peek_result           (LsFuture   *future);
void        ls_future_add_done_callback     (LsFuture   *future,
                                             LsFutureCallback callback,
                                             gpointer   data);
guint       ls_future_remove_done_callback  (LsFuture   *future,
                                             LsFutureCallback callback,
                                             gpointer   data);
GVariant   *ls_future_await                 (LsFuture   *future,
                                             GError    **error);

/* Tasks */
LsTask     *ls_task_new                     (LsLoop     *loop,
                                             const char *name,
                                             LsTaskFunc  func,
                                             gpointer    data,
                                             GDestroyNotify data_destroy);
LsTask     *ls_task_create                  (const char *name,
                                             LsTaskFunc  func,
                                             gpointer    data,
                                             GDestroyNotify data_destroy);
LsTask     *ls_task_ref                     (LsTask     *task);
void        ls_task_unref                   (LsTask     *task);
LsTask     *ls_task_current                 (void);
LsLoop     *ls_loop_current                 (void);
const char *ls_task_get_name                (LsTask     *task);
guint32     ls_task_get_id                  (LsTask     *task);
gboolean    ls_task_cancel                  (LsTask     *task,
                                             const char *message);
guint       ls_task_cancelling              (LsTask     *task);
guint       ls_task_uncancel                (LsTask     *task);
GVariant   *ls_task_await                   (LsTask     *task,
                                             GError    **error);

/* Suspension points, used from inside a task. */
gboolean    ls_sleep                        (double      seconds,
                                             GError    **error);
/* asyncio.sleep (delay, result): returns @result (sunk; a new reference,
 * NULL for None), or NULL with the error */
GVariant   *ls_sleep_result                 (double      seconds,
                                             GVariant   *result,
                                             GError    **error);
/* time.sleep: blocks the loop (in a task), or only the worker thread (in
 * an executor's work function, see ls-executor.h) */
void        ls_blocking_sleep               (double      seconds);

/* Internal helpers for the combinators and primitives in this library. */
LsFuture   *_ls_future_new_internal         (LsLoop     *loop,
                                             LsWaitReason reason,
                                             guint32     wait_object,
                                             gint64      wait_deadline);
void        _ls_future_set_wait             (LsFuture   *future,
                                             LsWaitReason reason,
                                             guint32     wait_object,
                                             gint64      wait_deadline);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsFuture, ls_future_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTask, ls_task_unref)

G_END_DECLS
