/* SPDX-License-Identifier: MIT
 *
 * gather, wait, wait_for, as_completed, shield and the timeout scope of
 * asyncio.timeout(), with CPython 3.11's semantics (each is written as the
 * same algorithm as tasks.py / timeouts.py, so callbacks are scheduled in
 * the same order and the same loop iterations).
 *
 * A timeout argument below zero means None (no timeout).
 */
#pragma once

#include "ls-future.h"

G_BEGIN_DECLS

#define LS_NO_TIMEOUT (-1.0)

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

typedef struct _LsTimeoutScope LsTimeoutScope;
LsTimeoutScope *ls_timeout_enter         (double         delay);
LsTimeoutScope *ls_timeout_enter_at      (gint64         when_ns);
void        ls_timeout_reschedule        (LsTimeoutScope *self,
                                          double          delay);
gboolean    ls_timeout_expired           (LsTimeoutScope *self);
/* Timeout.when(): the deadline in loop time, or LS_NO_TIMEOUT for None. */
double      ls_timeout_when              (LsTimeoutScope *self);
gboolean    ls_timeout_exit              (LsTimeoutScope *self,
                                          GError        **body_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsAsCompleted, ls_as_completed_free)

G_END_DECLS
