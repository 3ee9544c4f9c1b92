/* SPDX-License-Identifier: MIT
 *
 * asyncio.Queue, PriorityQueue and LifoQueue with CPython 3.11's semantics
 * (queues.py), as traced primitives (see ls-primitives.h): every put and
 * get is recorded with the depth after it, and the tasks waiting to put,
 * to get and in join() are listed in order in the trace's replay.
 *
 * Items are GVariants, never NULL (floating references are sunk). A
 * PriorityQueue orders them by an int priority, lowest first, then by
 * insertion (CPython's heapq of (priority, count, item) tuples); the
 * priority of a plain put is 0.
 *
 * put, get and join are suspension points. A cancelled get loses no item
 * (one it was woken for goes to the next getter) and a cancelled put adds
 * none. A maxsize of 0 or less means unbounded.
 */
#pragma once

#include "ls-primitives.h"

G_BEGIN_DECLS

typedef struct _LsQueue LsQueue;

LsQueue      *ls_queue_new                   (LsLoop       *loop,
                                              const char   *name,
                                              gint          maxsize);
LsQueue      *ls_priority_queue_new          (LsLoop       *loop,
                                              const char   *name,
                                              gint          maxsize);
LsQueue      *ls_lifo_queue_new              (LsLoop       *loop,
                                              const char   *name,
                                              gint          maxsize);
LsQueue      *ls_queue_ref                   (LsQueue      *queue);
void          ls_queue_unref                 (LsQueue      *queue);

gint          ls_queue_get_maxsize           (LsQueue      *queue);
guint         ls_queue_qsize                 (LsQueue      *queue);
gboolean      ls_queue_empty                 (LsQueue      *queue);
gboolean      ls_queue_full                  (LsQueue      *queue);
guint         ls_queue_get_unfinished_tasks  (LsQueue      *queue);

gboolean      ls_queue_put                   (LsQueue      *queue,
                                              GVariant     *item,
                                              GError      **error);
/* QueueFull: LS_RUNTIME_ERROR_QUEUE_FULL */
gboolean      ls_queue_put_nowait            (LsQueue      *queue,
                                              GVariant     *item,
                                              GError      **error);
gboolean      ls_priority_queue_put          (LsQueue      *queue,
                                              gint          priority,
                                              GVariant     *item,
                                              GError      **error);
gboolean      ls_priority_queue_put_nowait   (LsQueue      *queue,
                                              gint          priority,
                                              GVariant     *item,
                                              GError      **error);

/* The item (owned), or NULL with the error. */
GVariant     *ls_queue_get                   (LsQueue      *queue,
                                              GError      **error);
/* QueueEmpty: LS_RUNTIME_ERROR_QUEUE_EMPTY */
GVariant     *ls_queue_get_nowait            (LsQueue      *queue,
                                              GError      **error);
GVariant     *ls_priority_queue_get          (LsQueue      *queue,
                                              gint         *priority,
                                              GError      **error);
GVariant     *ls_priority_queue_get_nowait   (LsQueue      *queue,
                                              gint         *priority,
                                              GError      **error);

/* ValueError (LS_RUNTIME_ERROR_VALUE) when called more often than items
 * were put. */
gboolean      ls_queue_task_done             (LsQueue      *queue,
                                              GError      **error);
gboolean      ls_queue_join                  (LsQueue      *queue,
                                              GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsQueue, ls_queue_unref)

G_END_DECLS
