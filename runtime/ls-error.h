/* SPDX-License-Identifier: MIT
 *
 * The runtime's error domain: the GError equivalents of the exceptions the
 * chapter's Python code sees.
 *
 * A GError is copied where Python passes the same exception object around,
 * so an error of this domain carries what the object would: an identity
 * (copies of one exception are the same exception: `e1 is e2`), its
 * __cause__ and __context__, and for an ExceptionGroup its exceptions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LS_RUNTIME_ERROR (ls_runtime_error_quark ())

typedef enum
{
  LS_RUNTIME_ERROR_CANCELLED,      /* asyncio.CancelledError */
  LS_RUNTIME_ERROR_TIMEOUT,        /* TimeoutError */
  LS_RUNTIME_ERROR_INVALID_STATE,  /* asyncio.InvalidStateError */
  LS_RUNTIME_ERROR_VALUE,          /* ValueError */
  LS_RUNTIME_ERROR_RUNTIME,        /* RuntimeError */
  LS_RUNTIME_ERROR_DEADLOCK,       /* nothing can ever make progress (virtual clock only) */
  LS_RUNTIME_ERROR_QUEUE_FULL,     /* asyncio.QueueFull */
  LS_RUNTIME_ERROR_QUEUE_EMPTY,    /* asyncio.QueueEmpty */
  LS_RUNTIME_ERROR_BROKEN_BARRIER, /* asyncio.BrokenBarrierError */
  LS_RUNTIME_ERROR_FAILED,         /* any other exception raised by scenario code */
  LS_RUNTIME_ERROR_EXCEPTION_GROUP, /* ExceptionGroup (BaseExceptionGroup when it holds a
                                       CancelledError): see ls_exception_group_new */
} LsRuntimeError;

GQuark       ls_runtime_error_quark      (void);
const char  *ls_error_get_python_name    (const GError *error);
/* The Python name of the exception LsRuntimeError's @code stands for
 * ("TimeoutError"); "Exception" for LS_RUNTIME_ERROR_FAILED and any code it
 * does not know */
const char  *ls_runtime_error_code_name  (gint64        code);
/* The LsRuntimeError code a task's end records for @error (see
 * LS_TRACE_TASK_DONE): its own in LS_RUNTIME_ERROR, else the code of the
 * nearest Python class its name derives from (TimeoutError, ValueError),
 * else LS_RUNTIME_ERROR_FAILED */
gint         ls_error_get_trace_code     (const GError *error);
gboolean     ls_error_is_cancelled       (const GError *error);

/* A Python exception has args; a GError only a message, which stands for
 * one argument when it is not empty. An empty message means no argument
 * (CancelledError()) unless the error is marked as having one, an empty
 * string (CancelledError(''), as gather() builds them). */
gboolean     ls_error_has_arg            (const GError *error);
void         ls_error_mark_empty_arg     (GError       *error);

/* `a is b`: both stand for the same exception object. Errors of other
 * domains have no identity beyond their own pointer. */
gboolean     ls_error_is                 (const GError *a,
                                          const GError *b);
/* str(exc): the message, and for a group the count of sub-exceptions
 * ("unhandled errors in a TaskGroup (2 sub-exceptions)"). */
char        *ls_error_to_string          (const GError *error);

/* Chaining, for errors of this domain. `raise error from cause` sets the
 * cause (a copy; NULL is `from None`) and __suppress_context__; the context
 * is the exception that was being handled when @error was raised. */
void         ls_error_set_cause          (GError       *error,
                                          const GError *cause);
void         ls_error_set_context        (GError       *error,
                                          const GError *context);
const GError *ls_error_get_cause         (const GError *error);
const GError *ls_error_get_context       (const GError *error);
gboolean     ls_error_get_suppress_context (const GError *error);

/* ExceptionGroup(message, exceptions): takes the errors in @exceptions
 * (a GPtrArray of GError*, which it steals). */
GError      *ls_exception_group_new      (const char   *message,
                                          GPtrArray    *exceptions);
gboolean     ls_error_is_group           (const GError *error);
/* eg.exceptions: GError*, in order (NULL for an error that is no group) */
GPtrArray   *ls_exception_group_get_exceptions (const GError *group);

typedef gboolean (*LsErrorPredicate) (const GError *error,
                                      gpointer      data);

/* eg.split(condition), as `except*` uses it: @match and @rest get the
 * subgroups (same message, same nesting) whose leaves do and do not match,
 * or NULL when empty. An error that is not a group is matched as itself. */
void         ls_exception_group_split    (const GError *group,
                                          LsErrorPredicate predicate,
                                          gpointer      data,
                                          GError      **match,
                                          GError      **rest);

G_END_DECLS
