/* SPDX-License-Identifier: MIT
 *
 * asyncio.Queue, PriorityQueue and LifoQueue with CPython 3.11's semantics
 * (queues.py), as traced primitives (see ls-primitives.h): every put and
 * get is recorded with the depth after it, and the tasks waiting to put,
 * to get and in join() are listed in order in the trace's replay.
 *
 * Items are GVariants, never NULL (floating references are sunk). A
 * PriorityQueue keeps them in a heap ordered by the items themselves, as
 * CPython's heapq does: by default the way Python orders the values they
 * stand for (ls_priority_queue_compare_items: numbers, strings, tuples
 * element by element), or by a comparison of your own. Nothing else breaks
 * ties: put (priority, count, item) tuples for FIFO among equals, as the
 * asyncio documentation suggests.
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
/* @compare (a, b, data) < 0 is Python's `a < b` (the only test heapq makes) */
LsQueue      *ls_priority_queue_new_full     (LsLoop       *loop,
                                              const char   *name,
                                              gint          maxsize,
                                              GCompareDataFunc compare,
                                              gpointer      compare_data,
                                              GDestroyNotify compare_data_destroy);
int           ls_priority_queue_compare_items (gconstpointer a,
                                               gconstpointer b,
                                               gpointer      unused);
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

/* The item (owned), or NULL with the error. */
GVariant     *ls_queue_get                   (LsQueue      *queue,
                                              GError      **error);
/* QueueEmpty: LS_RUNTIME_ERROR_QUEUE_EMPTY */
GVariant     *ls_queue_get_nowait            (LsQueue      *queue,
                                              GError      **error);

/* ValueError (LS_RUNTIME_ERROR_VALUE) when called more often than items
 * were put. */
gboolean      ls_queue_task_done             (LsQueue      *queue,
                                              GError      **error);
gboolean      ls_queue_join                  (LsQueue      *queue,
                                              GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsQueue, ls_queue_unref)

G_END_DECLS
