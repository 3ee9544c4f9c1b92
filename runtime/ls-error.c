/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "ls-error.h"

#include <gio/gio.h>

#include "ls-http.h"

/* An extended domain, so that what a Python exception object carries
 * survives g_error_copy () along with the message: the "empty but present"
 * argument, the identity of the object, its chain and a group's members. */
typedef struct
{
  gboolean   empty_arg;
  gboolean   suppress_context;
  guint      identity;
  GError    *cause;
  GError    *context;
  GPtrArray *exceptions;   /* an ExceptionGroup's, GError* */
} LsRuntimeErrorPrivate;

static gint next_identity;

static void
ls_runtime_error_private_init (LsRuntimeErrorPrivate *priv)
{
  /* errors may be made on an executor's worker threads */
  priv->identity = (guint) g_atomic_int_add (&next_identity, 1) + 1;
}

static GPtrArray *
copy_exceptions (GPtrArray *exceptions)
{
  GPtrArray *copy = g_ptr_array_new_full (exceptions->len, (GDestroyNotify) g_error_free);

  for (guint i = 0; i < exceptions->len; i++)
    g_ptr_array_add (copy, g_error_copy (g_ptr_array_index (exceptions, i)));
  return copy;
}

static void
ls_runtime_error_private_copy (const LsRuntimeErrorPrivate *src,
                               LsRuntimeErrorPrivate       *dest)
{
  dest->empty_arg = src->empty_arg;
  dest->suppress_context = src->suppress_context;
  dest->identity = src->identity;
  dest->cause = src->cause != NULL ? g_error_copy (src->cause) : NULL;
  dest->context = src->context != NULL ? g_error_copy (src->context) : NULL;
  dest->exceptions = src->exceptions != NULL ? copy_exceptions (src->exceptions) : NULL;
}

static void
ls_runtime_error_private_clear (LsRuntimeErrorPrivate *priv)
{
  g_clear_error (&priv->cause);
  g_clear_error (&priv->context);
  g_clear_pointer (&priv->exceptions, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (LsRuntimeError, ls_runtime_error)

/* The class name the chapter's Python would print for this error. Errors
 * from other domains (GIO, libsoup) keep the name of their domain's closest
 * Python exception where there is one. */
const char *
ls_error_get_python_name (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == LS_RUNTIME_ERROR && error->code == LS_RUNTIME_ERROR_EXCEPTION_GROUP)
    {
      /* BaseExceptionGroup() makes an ExceptionGroup unless a member is a
       * BaseException that is no Exception */
      GPtrArray *members = ls_runtime_error_get_private (error)->exceptions;

      for (guint i = 0; members != NULL && i < members->len; i++)
        {
          const GError *e = g_ptr_array_index (members, i);

          if (ls_error_is_cancelled (e)
              || g_strcmp0 (ls_error_get_python_name (e), "BaseExceptionGroup") == 0)
            return "BaseExceptionGroup";
        }
      return "ExceptionGroup";
    }
  if (error->domain == LS_RUNTIME_ERROR)
    return ls_runtime_error_code_name (error->code);
  if (error->domain == G_IO_ERROR)
    {
      /* OSError's subclasses, as Python picks them from errno */
      switch (error->code)
        {
        case G_IO_ERROR_NOT_FOUND:          return "FileNotFoundError";
        case G_IO_ERROR_EXISTS:             return "FileExistsError";
        case G_IO_ERROR_IS_DIRECTORY:       return "IsADirectoryError";
        case G_IO_ERROR_NOT_DIRECTORY:      return "NotADirectoryError";
        case G_IO_ERROR_PERMISSION_DENIED:  return "PermissionError";
        case G_IO_ERROR_CONNECTION_REFUSED: return "ConnectionRefusedError";
        case G_IO_ERROR_TIMED_OUT:          return "TimeoutError";
        default:                            return "OSError";
        }
    }
  if (error->domain == G_FILE_ERROR)
    {
      switch (error->code)
        {
        case G_FILE_ERROR_NOENT:  return "FileNotFoundError";
        case G_FILE_ERROR_EXIST:  return "FileExistsError";
        case G_FILE_ERROR_ISDIR:  return "IsADirectoryError";
        case G_FILE_ERROR_NOTDIR: return "NotADirectoryError";
        case G_FILE_ERROR_ACCES:
        case G_FILE_ERROR_PERM:   return "PermissionError";
        default:                  return "OSError";
        }
    }
  if (g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
    return "UnicodeDecodeError";
  if (error->domain == LS_HTTP_ERROR)
    {
      switch ((LsHttpError) error->code)
        {
        case LS_HTTP_ERROR_RESPONSE:          return "ClientResponseError";
        case LS_HTTP_ERROR_CONNECTOR:         return "ClientConnectorError";
        case LS_HTTP_ERROR_OS:                return "ClientOSError";
        case LS_HTTP_ERROR_PAYLOAD:           return "ClientPayloadError";
        case LS_HTTP_ERROR_INVALID_URL:       return "InvalidURL";
        case LS_HTTP_ERROR_SERVER_DISCONNECTED: return "ServerDisconnectedError";
        default:                              return "ClientError";
        }
    }
  return "Exception";
}

const char *
ls_runtime_error_code_name (gint64 code)
{
  switch (code)
    {
    case LS_RUNTIME_ERROR_CANCELLED:       return "CancelledError";
    case LS_RUNTIME_ERROR_TIMEOUT:         return "TimeoutError";
    case LS_RUNTIME_ERROR_INVALID_STATE:   return "InvalidStateError";
    case LS_RUNTIME_ERROR_VALUE:           return "ValueError";
    case LS_RUNTIME_ERROR_RUNTIME:         return "RuntimeError";
    case LS_RUNTIME_ERROR_DEADLOCK:        return "RuntimeError";
    case LS_RUNTIME_ERROR_QUEUE_FULL:      return "QueueFull";
    case LS_RUNTIME_ERROR_QUEUE_EMPTY:     return "QueueEmpty";
    case LS_RUNTIME_ERROR_BROKEN_BARRIER:  return "BrokenBarrierError";
    case LS_RUNTIME_ERROR_EXCEPTION_GROUP: return "ExceptionGroup";
    case LS_RUNTIME_ERROR_FAILED:
    default:                               return "Exception";
    }
}

gint
ls_error_get_trace_code (const GError *error)
{
  const char *name;

  g_return_val_if_fail (error != NULL, LS_RUNTIME_ERROR_FAILED);

  if (error->domain == LS_RUNTIME_ERROR)
    return error->code;
  /* as isinstance () sees them: socket.timeout is TimeoutError, a
   * UnicodeDecodeError a ValueError */
  name = ls_error_get_python_name (error);
  if (g_str_equal (name, "TimeoutError"))
    return LS_RUNTIME_ERROR_TIMEOUT;
  if (g_str_equal (name, "UnicodeDecodeError"))
    return LS_RUNTIME_ERROR_VALUE;
  return LS_RUNTIME_ERROR_FAILED;
}

gboolean
ls_error_is_cancelled (const GError *error)
{
  return error != NULL && g_error_matches (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_CANCELLED);
}

gboolean
ls_error_has_arg (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->message != NULL && error->message[0] != '\0')
    return TRUE;
  return error->domain == LS_RUNTIME_ERROR && ls_runtime_error_get_private (error)->empty_arg;
}

void
ls_error_mark_empty_arg (GError *error)
{
  g_return_if_fail (error != NULL && error->domain == LS_RUNTIME_ERROR);
  ls_runtime_error_get_private (error)->empty_arg = TRUE;
}

gboolean
ls_error_is (const GError *a,
             const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->domain == LS_RUNTIME_ERROR && b->domain == LS_RUNTIME_ERROR)
    return ls_runtime_error_get_private (a)->identity
           == ls_runtime_error_get_private (b)->identity;
  return a == b;
}

char *
ls_error_to_string (const GError *error)
{
  GPtrArray *members;

  g_return_val_if_fail (error != NULL, NULL);

  members = ls_exception_group_get_exceptions (error);
  if (members != NULL)
    return g_strdup_printf ("%s (%u sub-exception%s)", error->message, members->len,
                            members->len == 1 ? "" : "s");
  return g_strdup (error->message);
}

void
ls_error_set_cause (GError       *error,
                    const GError *cause)
{
  LsRuntimeErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == LS_RUNTIME_ERROR);

  priv = ls_runtime_error_get_private (error);
  g_clear_error (&priv->cause);
  priv->cause = cause != NULL ? g_error_copy (cause) : NULL;
  priv->suppress_context = TRUE;
}

void
ls_error_set_context (GError       *error,
                      const GError *context)
{
  LsRuntimeErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == LS_RUNTIME_ERROR);

  priv = ls_runtime_error_get_private (error);
  g_clear_error (&priv->context);
  priv->context = context != NULL ? g_error_copy (context) : NULL;
}

const GError *
ls_error_get_cause (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);
  if (error->domain != LS_RUNTIME_ERROR)
    return NULL;
  return ls_runtime_error_get_private (error)->cause;
}

const GError *
ls_error_get_context (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);
  if (error->domain != LS_RUNTIME_ERROR)
    return NULL;
  return ls_runtime_error_get_private (error)->context;
}

gboolean
ls_error_get_suppress_context (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);
  if (error->domain != LS_RUNTIME_ERROR)
    return FALSE;
  return ls_runtime_error_get_private (error)->suppress_context;
}

/* ---- exception groups --------------------------------------------------- */

GError *
ls_exception_group_new (const char *message,
                        GPtrArray  *exceptions)
{
  GError *group;
  LsRuntimeErrorPrivate *priv;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (exceptions != NULL && exceptions->len > 0, NULL);

  group = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_EXCEPTION_GROUP, message);
  priv = ls_runtime_error_get_private (group);
  if (message[0] == '\0')
    priv->empty_arg = TRUE;
  priv->exceptions = g_ptr_array_new_full (exceptions->len, (GDestroyNotify) g_error_free);
  for (guint i = 0; i < exceptions->len; i++)
    g_ptr_array_add (priv->exceptions, g_ptr_array_index (exceptions, i));
  g_ptr_array_set_free_func (exceptions, NULL);
  g_ptr_array_unref (exceptions);
  return group;
}

gboolean
ls_error_is_group (const GError *error)
{
  return g_error_matches (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_EXCEPTION_GROUP);
}

GPtrArray *
ls_exception_group_get_exceptions (const GError *group)
{
  if (!ls_error_is_group (group))
    return NULL;
  return ls_runtime_error_get_private (group)->exceptions;
}

/* BaseExceptionGroup.derive(excs) followed by the copying of __cause__,
 * __context__ (and __traceback__) that split() does */
static GError *
group_derive (const GError *group,
              GPtrArray    *exceptions)
{
  GError *derived;
  LsRuntimeErrorPrivate *from = ls_runtime_error_get_private (group);
  LsRuntimeErrorPrivate *to;

  if (exceptions->len == 0)
    {
      g_ptr_array_unref (exceptions);
      return NULL;
    }
  derived = ls_exception_group_new (group->message, exceptions);
  to = ls_runtime_error_get_private (derived);
  to->cause = from->cause != NULL ? g_error_copy (from->cause) : NULL;
  to->context = from->context != NULL ? g_error_copy (from->context) : NULL;
  to->suppress_context = TRUE; /* PyException_SetCause sets it, even to None */
  return derived;
}

void
ls_exception_group_split (const GError    *group,
                          LsErrorPredicate predicate,
                          gpointer         data,
                          GError         **match,
                          GError         **rest)
{
  GPtrArray *members;
  GPtrArray *matched, *others;

  g_return_if_fail (group != NULL && predicate != NULL);

  if (predicate (group, data))
    {
      if (match != NULL)
        *match = g_error_copy (group);
      if (rest != NULL)
        *rest = NULL;
      return;
    }
  members = ls_exception_group_get_exceptions (group);
  if (members == NULL)
    {
      if (match != NULL)
        *match = NULL;
      if (rest != NULL)
        *rest = g_error_copy (group);
      return;
    }

  matched = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  others = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  for (guint i = 0; i < members->len; i++)
    {
      GError *m = NULL, *r = NULL;

      ls_exception_group_split (g_ptr_array_index (members, i), predicate, data, &m, &r);
      if (m != NULL)
        g_ptr_array_add (matched, m);
      if (r != NULL)
        g_ptr_array_add (others, r);
    }
  if (match != NULL)
    *match = group_derive (group, matched);
  else
    g_ptr_array_unref (matched);
  if (rest != NULL)
    *rest = group_derive (group, others);
  else
    g_ptr_array_unref (others);
}
