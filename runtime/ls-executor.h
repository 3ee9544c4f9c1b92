/* SPDX-License-Identifier: MIT
 *
 * LsExecutor: loop.run_in_executor() and asyncio.to_thread(), on a real
 * thread pool (GThreadPool). The function runs on a worker thread; the task
 * awaiting it waits on a future that the work's completion sets *through
 * the loop*, as an I/O completion: the work is an I/O operation
 * (ls_loop_io_begin when a thread takes it, ls_loop_io_complete when the
 * function returns), so the virtual clock does not move while a worker is
 * busy and the completion enters the ready queue in the loop's own order.
 *
 * A worker's time.sleep (ls_blocking_sleep on a worker thread) is scenario
 * time: the operation is parked (ls_loop_io_park) until the work's own
 * clock plus the delay, which lets the clock move for everyone else, as it
 * would while a real thread sleeps. The loop waits for each stretch of a
 * worker's code between its sleeps (it runs in no scenario time), so where
 * the completion lands does not depend on how fast the machine is. Worker functions must not touch the loop, its
 * tasks or the trace (no ls_print): they return a result.
 *
 * An executor has max_workers threads; more works wait in a FIFO queue
 * until a thread is free, and a work cancelled while it waits never runs
 * (cancelling the awaiting task of one already running does not stop the
 * function, whose result is dropped), as with CPython's ThreadPoolExecutor.
 * The default executor has LS_EXECUTOR_DEFAULT_WORKERS threads whatever
 * the machine (CPython's depends on the number of CPUs), so a run is the
 * same everywhere. Each thread has a lane in the trace, "thread N".
 */
#pragma once

#include "ls-future.h"

G_BEGIN_DECLS

#define LS_EXECUTOR_DEFAULT_WORKERS 8

typedef struct _LsExecutor LsExecutor;

/* Runs on a worker thread. Returns the result (NULL for None, floating
 * references are sunk) or NULL with @error set. */
typedef GVariant *(*LsWorkFunc) (gpointer  data,
                                 GError  **error);

/* ThreadPoolExecutor (max_workers) for @loop's works */
LsExecutor *ls_executor_new              (LsLoop       *loop,
                                          guint         max_workers);
LsExecutor *ls_executor_ref              (LsExecutor   *executor);
void        ls_executor_unref            (LsExecutor   *executor);

/* loop.run_in_executor (executor, func): the future the work completes
 * (transfer full). NULL @executor is the loop's default one. @name names
 * the function in the trace. @destroy frees @data on the loop's thread
 * once the work is over. */
LsFuture   *ls_run_in_executor           (LsLoop       *loop,
                                          LsExecutor   *executor,
                                          const char   *name,
                                          LsWorkFunc    func,
                                          gpointer      data,
                                          GDestroyNotify destroy);
/* await asyncio.to_thread (func): from inside a task */
GVariant   *ls_to_thread                 (const char   *name,
                                          LsWorkFunc    func,
                                          gpointer      data,
                                          GDestroyNotify destroy,
                                          GError      **error);
/* TRUE on an executor's worker thread, inside a work function */
gboolean    ls_in_worker_thread          (void);

/* For the runtime: a worker's time.sleep (FALSE when not on a worker
 * thread), and shutdown_default_executor's wait (a future done when the
 * default executor has nothing queued or running, or NULL when it has
 * nothing to wait for). */
gboolean    _ls_executor_worker_sleep    (gint64        duration_ns);
LsFuture   *_ls_executor_shutdown_default (LsLoop      *loop);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsExecutor, ls_executor_unref)

G_END_DECLS
