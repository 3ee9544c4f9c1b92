/* SPDX-License-Identifier: MIT
 *
 * Stackful coroutines: a function running on its own stack that can switch
 * back to the scheduler at any depth and be resumed later where it stopped.
 * This is what lets scenario code read like the chapter's Python
 * (`ls_sleep (1.0)` just returns one simulated second later).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The runtime lives in a static library built as PIC, where plain __thread
 * means a __tls_get_addr call on every access; it is only ever linked into
 * executables, so the initial-exec model (one load) is right. */
#define LS_THREAD_LOCAL __thread __attribute__ ((tls_model ("initial-exec")))

typedef struct _LsCoro LsCoro;
typedef void (*LsCoroEntry) (gpointer data);

LsCoro   *ls_coro_new           (LsCoroEntry entry,
                                 gpointer    data);
/* For a coroutine that finished or never started: its stack goes back to
 * the pool. */
void      ls_coro_free          (LsCoro     *coro);
/* For a coroutine suspended mid-way that will never be resumed (its task
 * ignored every cancellation when its loop closed): its frames are dropped
 * as they are, what they own is leaked, and the stack's memory goes back to
 * the kernel. The stack itself is never reused, so a stale pointer into
 * those frames cannot reach another coroutine's. */
void      ls_coro_abandon       (LsCoro     *coro);
/* From the scheduler: runs @coro until a coroutine switches back to the
 * scheduler, which may be another one that @coro switched to. */
void      ls_coro_resume        (LsCoro     *coro);
/* From a coroutine: back to the scheduler. */
void      ls_coro_yield         (void);
/* From a coroutine: straight to @to (suspended, or not started yet), with
 * no stop on the scheduler's stack; returns when something resumes the
 * caller. */
void      ls_coro_switch_to     (LsCoro     *to);
LsCoro   *ls_coro_current       (void);
gboolean  ls_coro_is_finished   (LsCoro     *coro);

/* Pool statistics, for tests and DESIGN.md's numbers. */
typedef struct
{
  gsize stack_size;        /* usable bytes per stack */
  guint guarded_budget;    /* stacks that get a guard page */
  guint n_guarded;         /* guarded stacks mapped so far */
  guint n_slab_stacks;     /* unguarded stacks carved from slabs */
  guint n_free;            /* stacks in the free pool */
  guint n_in_use;
  guint n_abandoned;       /* stacks of abandoned coroutines, never reused */
} LsCoroPoolStats;

void      ls_coro_pool_get_stats (LsCoroPoolStats *stats);
const char *ls_coro_backend_name (void);

G_END_DECLS
