/* SPDX-License-Identifier: MIT
 *
 * gather, wait, wait_for, as_completed and shield, with CPython 3.11's
 * semantics (each is written as the same algorithm as tasks.py, so
 * callbacks are scheduled in the same order and the same loop iterations).
 * asyncio.timeout() is in ls-timeout.h.
 *
 * A timeout of LS_NO_TIMEOUT means None; one of zero or less has already
 * expired, as in CPython (wait_for cancels at once, wait and as_completed
 * time out in the next iteration).
 */
#pragma once

#include "ls-future.h"
#include "ls-timeout.h"

G_BEGIN_DECLS

typedef enum
{
  LS_FIRST_COMPLETED,
  LS_FIRST_EXCEPTION,
  LS_ALL_COMPLETED,
} LsReturnWhen;

/* gather(*aws, return_exceptions=…): the gathering future, to await. */
LsFuture   *ls_gather_start              (LsLoop        *loop,
                                          LsFuture     **children,
                                          guint          n_children,
                                          gboolean       return_exceptions);
GPtrArray  *ls_gather_get_children       (LsFuture      *gathering);
GPtrArray  *ls_gather_get_results        (LsFuture      *gathering);
/* Awaits it: returns the results as completed futures, in argument order
 * (with return_exceptions some hold exceptions: read them with
 * ls_future_get_result), or NULL with the error. */
GPtrArray  *ls_gather                    (LsFuture     **children,
                                          guint          n_children,
                                          gboolean       return_exceptions,
                                          GError       **error);

gboolean    ls_wait                      (LsFuture     **futures,
                                          guint          n_futures,
                                          double         timeout,
                                          LsReturnWhen   return_when,
                                          GPtrArray    **done,
                                          GPtrArray    **pending,
                                          GError       **error);

GVariant   *ls_wait_for                  (LsFuture      *future,
                                          double         timeout,
                                          GError       **error);

typedef struct _LsAsCompleted LsAsCompleted;
LsAsCompleted *ls_as_completed_new       (LsFuture     **futures,
                                          guint          n_futures,
                                          double         timeout);
gboolean    ls_as_completed_has_next     (LsAsCompleted *self);
GVariant   *ls_as_completed_next         (LsAsCompleted *self,
                                          LsFuture     **completed,
                                          GError       **error);
void        ls_as_completed_free         (LsAsCompleted *self);

LsFuture   *ls_shield                    (LsFuture      *inner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsAsCompleted, ls_as_completed_free)

G_END_DECLS
