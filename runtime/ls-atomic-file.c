/* SPDX-License-Identifier: MIT
 *
 * g_file_replace () would do this for an existing file, but it writes a
 * new file in place, so a failed first export would leave a partial one:
 * a temporary file in the same folder (same file system, so the rename is
 * atomic) and g_rename () cover both.
 */
#include "config.h"

#include "ls-atomic-file.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

struct _LsAtomicFile
{
  char              *path;
  GFile             *tmp;
  GFileOutputStream *stream;
  gboolean           committed;
};

LsAtomicFile *
ls_atomic_file_new (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(LsAtomicFile) self = g_new0 (LsAtomicFile, 1);

  self->path = g_strdup (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("%s: the folder “%s” does not exist"), path, dir);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("%s: is a folder"), path);
      return NULL;
    }
  /* a few tries: another export may be writing beside us */
  for (int attempt = 0; attempt < 8 && self->stream == NULL; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", base, g_random_int ());
      g_autofree char *tmp_path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) local_error = NULL;

      g_clear_object (&self->tmp);
      self->tmp = g_file_new_for_path (tmp_path);
      self->stream = g_file_create (self->tmp, G_FILE_CREATE_NONE, NULL, &local_error);
      if (self->stream == NULL
          && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_set_error (error, G_IO_ERROR, local_error->code, _("%s: cannot write in “%s”: %s"),
                       path, dir, g_strerror (local_error->code == G_IO_ERROR_PERMISSION_DENIED
                                              ? EACCES : EIO));
          return NULL;
        }
    }
  if (self->stream == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("%s: cannot create a temporary file"),
                   path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

GOutputStream *
ls_atomic_file_get_stream (LsAtomicFile *self)
{
  return G_OUTPUT_STREAM (self->stream);
}

gboolean
ls_atomic_file_commit (LsAtomicFile  *self,
                       GError       **error)
{
  g_autofree char *tmp_path = g_file_get_path (self->tmp);
  g_autoptr(GError) local_error = NULL;

  if (!g_output_stream_close (G_OUTPUT_STREAM (self->stream), NULL, &local_error))
    {
      g_set_error (error, G_IO_ERROR, local_error->code, _("%s: cannot write: %s"), self->path,
                   local_error->message);
      return FALSE;
    }
  if (g_rename (tmp_path, self->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("%s: cannot write: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }
  self->committed = TRUE;
  return TRUE;
}

void
ls_atomic_file_free (LsAtomicFile *self)
{
  if (self == NULL)
    return;
  if (self->stream != NULL && !self->committed)
    {
      g_output_stream_close (G_OUTPUT_STREAM (self->stream), NULL, NULL);
      g_file_delete (self->tmp, NULL, NULL);
    }
  g_clear_object (&self->stream);
  g_clear_object (&self->tmp);
  g_free (self->path);
  g_free (self);
}
