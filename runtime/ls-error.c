/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "ls-error.h"

#include <gio/gio.h>

#include "ls-http.h"

/* An extended domain, so that the "empty but present" argument survives
 * g_error_copy () along with the message. */
typedef struct
{
  gboolean empty_arg;
} LsRuntimeErrorPrivate;

static void
ls_runtime_error_private_init (LsRuntimeErrorPrivate *priv)
{
  priv->empty_arg = FALSE;
}

static void
ls_runtime_error_private_copy (const LsRuntimeErrorPrivate *src,
                               LsRuntimeErrorPrivate       *dest)
{
  dest->empty_arg = src->empty_arg;
}

static void
ls_runtime_error_private_clear (LsRuntimeErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (LsRuntimeError, ls_runtime_error)

/* The class name the chapter's Python would print for this error. Errors
 * from other domains (GIO, libsoup) keep the name of their domain's closest
 * Python exception where there is one. */
const char *
ls_error_get_python_name (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == LS_RUNTIME_ERROR)
    {
      switch ((LsRuntimeError) error->code)
        {
        case LS_RUNTIME_ERROR_CANCELLED:      return "CancelledError";
        case LS_RUNTIME_ERROR_TIMEOUT:        return "TimeoutError";
        case LS_RUNTIME_ERROR_INVALID_STATE:  return "InvalidStateError";
        case LS_RUNTIME_ERROR_VALUE:          return "ValueError";
        case LS_RUNTIME_ERROR_RUNTIME:        return "RuntimeError";
        case LS_RUNTIME_ERROR_DEADLOCK:       return "RuntimeError";
        case LS_RUNTIME_ERROR_QUEUE_FULL:     return "QueueFull";
        case LS_RUNTIME_ERROR_QUEUE_EMPTY:    return "QueueEmpty";
        case LS_RUNTIME_ERROR_BROKEN_BARRIER: return "BrokenBarrierError";
        case LS_RUNTIME_ERROR_FAILED:
        default:                              return "Exception";
        }
    }
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
