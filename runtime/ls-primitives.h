/* SPDX-License-Identifier: MIT
 *
 * asyncio's synchronisation primitives with CPython 3.11's semantics
 * (locks.py): Lock, Event, Condition, Semaphore, BoundedSemaphore and
 * Barrier. Each is a plain refcounted object with a name and a trace id;
 * every operation on it is recorded (LS_TRACE_PRIMITIVE), and a task waiting
 * on one is suspended on a future that names it, so the trace shows who
 * holds what, who waits in which order, and who handed what to whom.
 *
 * The waiting calls (acquire, wait, ...) are suspension points and must be
 * called from inside a task. Like CPython's, they can be cancelled: a
 * cancelled waiter never ends up holding the lock or a permit, and one that
 * was handed the lock or a permit but is cancelled before it runs passes it
 * on to the next waiter.
 *
 * `async with lock:` is a locker, in the style of GMutexLocker:
 *
 *   {
 *     g_autoptr(LsLocker) locker = ls_lock_locker_new (lock, error);
 *
 *     if (locker == NULL)
 *       return NULL;          // cancelled while acquiring: nothing to release
 *     ...body...              // any return from here on releases the lock
 *   }                         // __aexit__: released here
 *
 * The release happens when the locker goes out of scope, on every path out
 * of the block (the body failing, the body cancelled, or a normal exit),
 * which is what `async with` guarantees. It costs no allocation.
 */
#pragma once

#include "ls-future.h"

G_BEGIN_DECLS

typedef struct _LsPrimitive LsPrimitive;
typedef struct _LsLock      LsLock;
typedef struct _LsEvent     LsEvent;
typedef struct _LsCondition LsCondition;
typedef struct _LsSemaphore LsSemaphore;
typedef struct _LsBarrier   LsBarrier;
typedef struct _LsLocker    LsLocker;

/* Condition.wait_for's predicate. */
typedef gboolean (*LsPredicateFunc) (gpointer data);

#define LS_PRIMITIVE(p) ((LsPrimitive *) (p))

/* Every primitive (queues too) */
guint32       ls_primitive_get_id            (LsPrimitive  *primitive);
const char   *ls_primitive_get_name          (LsPrimitive  *primitive);
LsObjectKind  ls_primitive_get_kind          (LsPrimitive  *primitive);

/* Lock. A NULL loop means the current one. */
LsLock       *ls_lock_new                    (LsLoop       *loop,
                                              const char   *name);
LsLock       *ls_lock_ref                    (LsLock       *lock);
void          ls_lock_unref                  (LsLock       *lock);
gboolean      ls_lock_acquire                (LsLock       *lock,
                                              GError      **error);
/* RuntimeError when not locked. */
gboolean      ls_lock_release                (LsLock       *lock,
                                              GError      **error);
gboolean      ls_lock_locked                 (LsLock       *lock);

/* Event */
LsEvent      *ls_event_new                   (LsLoop       *loop,
                                              const char   *name);
LsEvent      *ls_event_ref                   (LsEvent      *event);
void          ls_event_unref                 (LsEvent      *event);
gboolean      ls_event_wait                  (LsEvent      *event,
                                              GError      **error);
void          ls_event_set                   (LsEvent      *event);
void          ls_event_clear                 (LsEvent      *event);
gboolean      ls_event_is_set                (LsEvent      *event);

/* Condition, on a lock of its own or on @lock. */
LsCondition  *ls_condition_new               (LsLoop       *loop,
                                              const char   *name);
LsCondition  *ls_condition_new_with_lock     (LsLoop       *loop,
                                              const char   *name,
                                              LsLock       *lock);
LsCondition  *ls_condition_ref               (LsCondition  *cond);
void          ls_condition_unref             (LsCondition  *cond);
LsLock       *ls_condition_get_lock          (LsCondition  *cond);
gboolean      ls_condition_acquire           (LsCondition  *cond,
                                              GError      **error);
gboolean      ls_condition_release           (LsCondition  *cond,
                                              GError      **error);
gboolean      ls_condition_locked            (LsCondition  *cond);
/* RuntimeError when the lock is not held. On return (also with an error)
 * the lock is held again, as in CPython. */
gboolean      ls_condition_wait              (LsCondition  *cond,
                                              GError      **error);
/* Returns TRUE once @predicate is true, FALSE with the error of a wait. */
gboolean      ls_condition_wait_for          (LsCondition  *cond,
                                              LsPredicateFunc predicate,
                                              gpointer      data,
                                              GError      **error);
gboolean      ls_condition_notify            (LsCondition  *cond,
                                              guint         n,
                                              GError      **error);
gboolean      ls_condition_notify_all        (LsCondition  *cond,
                                              GError      **error);

/* Semaphore and BoundedSemaphore (a BoundedSemaphore is a Semaphore whose
 * release fails with ValueError, LS_RUNTIME_ERROR_VALUE, above the initial
 * value, as its Python class is a subclass). ValueError for a value below
 * zero. */
LsSemaphore  *ls_semaphore_new               (LsLoop       *loop,
                                              const char   *name,
                                              gint          value,
                                              GError      **error);
LsSemaphore  *ls_bounded_semaphore_new       (LsLoop       *loop,
                                              const char   *name,
                                              gint          value,
                                              GError      **error);
LsSemaphore  *ls_semaphore_ref               (LsSemaphore  *sem);
void          ls_semaphore_unref             (LsSemaphore  *sem);
gboolean      ls_semaphore_acquire           (LsSemaphore  *sem,
                                              GError      **error);
gboolean      ls_semaphore_release           (LsSemaphore  *sem,
                                              GError      **error);
gboolean      ls_semaphore_locked            (LsSemaphore  *sem);
guint         ls_semaphore_get_value         (LsSemaphore  *sem);

/* Barrier. wait returns the task's index (0 .. parties - 1), or -1 with
 * the error (BrokenBarrierError: LS_RUNTIME_ERROR_BROKEN_BARRIER).
 * ValueError for fewer than one party. */
LsBarrier    *ls_barrier_new                 (LsLoop       *loop,
                                              const char   *name,
                                              gint          parties,
                                              GError      **error);
LsBarrier    *ls_barrier_ref                 (LsBarrier    *barrier);
void          ls_barrier_unref               (LsBarrier    *barrier);
gint          ls_barrier_wait                (LsBarrier    *barrier,
                                              GError      **error);
gboolean      ls_barrier_reset               (LsBarrier    *barrier,
                                              GError      **error);
gboolean      ls_barrier_abort               (LsBarrier    *barrier,
                                              GError      **error);
guint         ls_barrier_get_parties         (LsBarrier    *barrier);
guint         ls_barrier_get_n_waiting       (LsBarrier    *barrier);
gboolean      ls_barrier_is_broken           (LsBarrier    *barrier);

/* `async with`: acquire now (NULL with the error if that fails), release
 * when freed. */
LsLocker     *ls_lock_locker_new             (LsLock       *lock,
                                              GError      **error);
LsLocker     *ls_condition_locker_new        (LsCondition  *cond,
                                              GError      **error);
LsLocker     *ls_semaphore_locker_new        (LsSemaphore  *sem,
                                              GError      **error);
void          ls_locker_free                 (LsLocker     *locker);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLock, ls_lock_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsEvent, ls_event_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsCondition, ls_condition_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsSemaphore, ls_semaphore_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsBarrier, ls_barrier_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLocker, ls_locker_free)

G_END_DECLS
