/* SPDX-License-Identifier: MIT
 *
 * The runtime's error domain: the GError equivalents of the exceptions the
 * chapter's Python code sees.
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
} LsRuntimeError;

GQuark       ls_runtime_error_quark      (void);
const char  *ls_error_get_python_name    (const GError *error);
gboolean     ls_error_is_cancelled       (const GError *error);

/* A Python exception has args; a GError only a message, which stands for
 * one argument when it is not empty. An empty message means no argument
 * (CancelledError()) unless the error is marked as having one, an empty
 * string (CancelledError(''), as gather() builds them). */
gboolean     ls_error_has_arg            (const GError *error);
void         ls_error_mark_empty_arg     (GError       *error);

G_END_DECLS
