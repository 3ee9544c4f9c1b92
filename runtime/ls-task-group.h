/* SPDX-License-Identifier: MIT
 *
 * LsTaskGroup: asyncio.TaskGroup (3.11), with CPython's cancellation and
 * ExceptionGroup semantics. When a task of the group fails, the group
 * cancels the others and the parent task (the one running `async with`),
 * waits for them all, and raises ExceptionGroup('unhandled errors in a
 * TaskGroup', [errors]) from None; a CancelledError of the parent's own
 * comes out instead when there is no error.
 *
 *   g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
 *
 *   if (!ls_task_group_enter (tg, error))          // async with TaskGroup() as tg:
 *     return NULL;
 *   t = ls_task_group_create_task (tg, "a", func, data, NULL, &local_error);
 *   ...body, its error in local_error...
 *   if (!ls_task_group_exit (tg, &local_error))    // end of the block
 *     ...local_error is what `async with` raises...
 *
 * The trace shows the group (an OBJECT_NEW of kind LS_OBJECT_TASK_GROUP),
 * which tasks belong to it (TASK_GROUP_ADD), when it aborts and how the
 * block ends.
 */
#pragma once

#include "ls-future.h"

G_BEGIN_DECLS

typedef struct _LsTaskGroup LsTaskGroup;

LsTaskGroup *ls_task_group_new           (void);
LsTaskGroup *ls_task_group_ref           (LsTaskGroup *self);
void        ls_task_group_unref          (LsTaskGroup *self);
guint32     ls_task_group_get_id         (LsTaskGroup *self);
/* __aenter__, from inside the parent task: RuntimeError when entered
 * before or outside a task */
gboolean    ls_task_group_enter          (LsTaskGroup *self,
                                          GError     **error);
/* tg.create_task (a new reference), or NULL with RuntimeError when the
 * group is not entered, is finished or is shutting down (@destroy then
 * frees @data at once) */
LsTask     *ls_task_group_create_task    (LsTaskGroup *self,
                                          const char  *name,
                                          LsTaskFunc   func,
                                          gpointer     data,
                                          GDestroyNotify destroy,
                                          GError     **error);
/* __aexit__: waits for the group's tasks. @body_error holds what the body
 * raised (or NULL); on return it holds what the block raises, if anything
 * (FALSE then). */
gboolean    ls_task_group_exit           (LsTaskGroup *self,
                                          GError     **body_error);
/* repr(tg): "<TaskGroup tasks=2 errors=1 cancelling>" */
char       *ls_task_group_to_string      (LsTaskGroup *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTaskGroup, ls_task_group_unref)

G_END_DECLS
