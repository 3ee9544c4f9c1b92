/* SPDX-License-Identifier: MIT
 *
 * File operations on GIO's asynchronous API. One operation: the task
 * begins the I/O and awaits a future; GIO runs the chain (open, read or
 * write, close) on the GLib main loop and hands the outcome to
 * ls_loop_io_complete, whose handle completes the future in the loop's
 * next iteration. If the task is cancelled meanwhile, the future is
 * cancelled (the task resumes with CancelledError) and the task cancels
 * the GCancellable: GIO stops, and its completion still goes through the
 * loop so the operation's begin/complete pair is closed.
 */
#include "config.h"

#include "ls-io.h"

#include <errno.h>
#include <string.h>

#include "ls-error.h"
#include "ls-runtime-private.h"

typedef enum
{
  FILE_OP_READ,
  FILE_OP_WRITE,
  FILE_OP_APPEND,
} FileOpKind;

typedef struct
{
  guint          ref_count;
  LsLoop        *loop;
  guint32        io_id;
  FileOpKind     kind;
  GFile         *file;
  char          *path;
  GCancellable  *cancellable;
  GBytes        *data;      /* what to write, or what was read */
  GError        *error;
  LsFuture      *done;      /* what the task awaits */
  gboolean       gio_done;  /* the GIO side has queued the completion */
  gboolean       abandoned; /* the task was cancelled and completed it itself */
} FileOp;

static FileOp *
file_op_ref (FileOp *op)
{
  op->ref_count++;
  return op;
}

static void
file_op_unref (FileOp *op)
{
  if (--op->ref_count > 0)
    return;
  g_object_unref (op->loop);
  g_object_unref (op->file);
  g_object_unref (op->cancellable);
  g_free (op->path);
  g_clear_pointer (&op->data, g_bytes_unref);
  g_clear_error (&op->error);
  ls_future_unref (op->done);
  g_free (op);
}

/* Python's str() of the OSError for a GIO error on @path, where there is
 * an errno that says the same. */
static void
pythonize_error (GError     *error,
                 const char *path)
{
  static const struct { GIOErrorEnum code; int errnum; } map[] = {
    { G_IO_ERROR_NOT_FOUND, ENOENT },
    { G_IO_ERROR_EXISTS, EEXIST },
    { G_IO_ERROR_IS_DIRECTORY, EISDIR },
    { G_IO_ERROR_NOT_DIRECTORY, ENOTDIR },
    { G_IO_ERROR_PERMISSION_DENIED, EACCES },
    { G_IO_ERROR_NO_SPACE, ENOSPC },
    { G_IO_ERROR_READ_ONLY, EROFS },
    { G_IO_ERROR_FILENAME_TOO_LONG, ENAMETOOLONG },
    { G_IO_ERROR_TOO_MANY_OPEN_FILES, EMFILE },
  };

  if (error->domain != G_IO_ERROR)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if ((gint) map[i].code == error->code)
      {
        g_free (error->message);
        error->message = g_strdup_printf ("[Errno %d] %s: '%s'", map[i].errnum,
                                          g_strerror (map[i].errnum), path);
        return;
      }
}

/* On the loop, in the iteration after GIO finished. */
static void
file_op_complete_handle (gpointer a,
                         gpointer b)
{
  FileOp *op = a;

  if (!ls_future_is_done (op->done))
    {
      if (op->error != NULL)
        ls_future_set_exception (op->done, g_error_copy (op->error), NULL);
      else
        ls_future_set_result (op->done, NULL, NULL);
    }
  file_op_unref (op);
}

/* The GIO side is done (takes @error), unless the task gave up first. */
static void
file_op_finish (FileOp *op,
                GError *error)
{
  if (op->abandoned)
    g_clear_error (&error);
  else
    {
      if (error != NULL)
        pythonize_error (error, op->path);
      op->gio_done = TRUE;
      op->error = error;
      ls_loop_io_complete (op->loop, op->io_id, error == NULL, file_op_complete_handle,
                           file_op_ref (op), NULL);
    }
  file_op_unref (op); /* the GIO side's */
}

static void
file_op_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FileOp *op = user_data;
  GError *error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    op->data = g_bytes_new_take (contents, length);
  file_op_finish (op, error);
}

typedef struct
{
  FileOp *op;
  GError *error;   /* the write's, when closing after a failed write */
} CloseData;

static void
file_op_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CloseData *cd = user_data;
  GError *error = NULL;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error);
  if (cd->error != NULL)
    {
      g_clear_error (&error);
      error = cd->error;
    }
  file_op_finish (cd->op, error);
  g_object_unref (source);
  g_free (cd);
}

static void
file_op_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CloseData *cd = g_new0 (CloseData, 1);

  cd->op = user_data;
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &cd->error);
  /* close even after an error, and then without the cancellable: a
   * replaced file is only renamed into place by a successful close, and a
   * cancelled one is cleaned up by it */
  g_output_stream_close_async (G_OUTPUT_STREAM (source), G_PRIORITY_DEFAULT,
                               cd->error == NULL ? cd->op->cancellable : NULL,
                               file_op_closed, cd);
}

static void
file_op_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FileOp *op = user_data;
  GError *error = NULL;
  GFileOutputStream *out;
  gconstpointer data;
  gsize length;

  if (op->kind == FILE_OP_WRITE)
    out = g_file_replace_finish (G_FILE (source), result, &error);
  else
    out = g_file_append_to_finish (G_FILE (source), result, &error);
  if (out == NULL)
    {
      file_op_finish (op, error);
      return;
    }
  data = g_bytes_get_data (op->data, &length);
  /* the stream's reference passes to the chain; file_op_closed drops it */
  g_output_stream_write_all_async (G_OUTPUT_STREAM (out), data, length, G_PRIORITY_DEFAULT,
                                   op->cancellable, file_op_written, op);
}

/* Runs one operation from inside a task. Returns the finished operation
 * (a reference) or NULL with the error. */
static FileOp *
file_op_run (FileOpKind  kind,
             const char *path,
             GBytes     *data,
             GError    **error)
{
  static const char *const verbs[] = { "read", "write", "append" };
  LsTask *task = ls_task_current ();
  g_autofree char *description = NULL;
  g_autoptr(GVariant) ignored = NULL;
  GError *local_error = NULL;
  LsLoop *loop;
  FileOp *op;

  if (task == NULL)
    {
      g_critical ("file operations must be called from inside a task");
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "file operations must be called from inside a task");
      return NULL;
    }
  loop = ls_future_get_loop (LS_FUTURE (task));

  op = g_new0 (FileOp, 1);
  op->ref_count = 2; /* the task's and the GIO side's */
  op->loop = g_object_ref (loop);
  op->kind = kind;
  op->path = g_strdup (path);
  op->file = g_file_new_for_path (path);
  op->cancellable = g_cancellable_new ();
  op->data = data != NULL ? g_bytes_ref (data) : NULL;

  description = g_strdup_printf ("%s %s", verbs[kind], path);
  op->io_id = ls_loop_io_begin (loop, description);
  op->done = _ls_future_new_internal (loop, LS_WAIT_IO, op->io_id, -1);

  switch (kind)
    {
    case FILE_OP_READ:
      g_file_load_contents_async (op->file, op->cancellable, file_op_loaded, op);
      break;
    case FILE_OP_WRITE:
      g_file_replace_async (op->file, NULL, FALSE, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                            op->cancellable, file_op_opened, op);
      break;
    case FILE_OP_APPEND:
      g_file_append_to_async (op->file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, op->cancellable,
                              file_op_opened, op);
      break;
    default:
      g_assert_not_reached ();
    }

  ignored = ls_future_await (op->done, &local_error);
  if (local_error != NULL)
    {
      /* our own future only fails with the operation's error; cancelled,
       * it means the task was. The operation completes here, in the task's
       * step (a point of the run that does not depend on when GIO notices),
       * and GIO is stopped; what it reports later is dropped. */
      if (ls_future_is_cancelled (op->done))
        {
          if (!op->gio_done)
            {
              op->abandoned = TRUE;
              ls_loop_io_complete (loop, op->io_id, FALSE, file_op_complete_handle,
                                   file_op_ref (op), NULL);
            }
          g_cancellable_cancel (op->cancellable);
        }
      g_propagate_error (error, local_error);
      file_op_unref (op);
      return NULL;
    }
  return op;
}

GBytes *
ls_file_read_all (const char *path,
                  GError    **error)
{
  FileOp *op;
  GBytes *data;

  g_return_val_if_fail (path != NULL, NULL);
  if ((op = file_op_run (FILE_OP_READ, path, NULL, error)) == NULL)
    return NULL;
  data = g_steal_pointer (&op->data);
  file_op_unref (op);
  return data;
}

char *
ls_file_read_text (const char *path,
                   GError    **error)
{
  g_autoptr(GBytes) data = ls_file_read_all (path, error);
  const char *text, *end;
  gsize length;

  if (data == NULL)
    return NULL;
  text = g_bytes_get_data (data, &length);
  if (text == NULL)
    text = "";
  if (!g_utf8_validate_len (text, length, &end))
    {
      /* str(UnicodeDecodeError) */
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   "'utf-8' codec can't decode byte 0x%02x in position %" G_GSIZE_FORMAT
                   ": invalid start byte", (guint8) *end, (gsize) (end - text));
      return NULL;
    }
  return g_strndup (text, length);
}

/* A copy of the data: if the task is cancelled, GIO may still be writing
 * after the caller's buffer is gone */
static gboolean
write_copy (FileOpKind  kind,
            const char *path,
            const void *data,
            gsize       length,
            GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  FileOp *op;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  bytes = g_bytes_new (data, length);
  if ((op = file_op_run (kind, path, bytes, error)) == NULL)
    return FALSE;
  file_op_unref (op);
  return TRUE;
}

gboolean
ls_file_write_all (const char *path,
                   const void *data,
                   gsize       length,
                   GError    **error)
{
  return write_copy (FILE_OP_WRITE, path, data, length, error);
}

gboolean
ls_file_write_text (const char *path,
                    const char *text,
                    GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return ls_file_write_all (path, text, strlen (text), error);
}

gboolean
ls_file_append (const char *path,
                const void *data,
                gsize       length,
                GError    **error)
{
  return write_copy (FILE_OP_APPEND, path, data, length, error);
}
