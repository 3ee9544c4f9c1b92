/* SPDX-License-Identifier: MIT
 *
 * g_file_replace () would write an existing file in place, and a failed
 * first export would leave a partial one: a temporary file in the
 * destination's folder (same file system, so the rename is atomic) and
 * rename () cover both.
 *
 * What may be replaced is decided here, with lstat () and not by rename (),
 * which would happily replace a named pipe, a device or a socket, and turn
 * a symbolic link into a regular file. A link is followed only the way the
 * kernel follows it for this user (stat (), so fs.protected_symlinks still
 * applies), and only to an existing regular file, which is then replaced
 * in its own folder. Outputs are compared with the inputs by device and
 * inode, so no spelling of a path, link or hard link gets around it.
 */
#include "config.h"

#include "ls-atomic-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
_ls_atomic_set_error_errno (GError    **error,
                            int         errnum,
                            const char *format,
                            ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (errnum), message);
}

/* Refuses what is not a regular file, naming what it is. */
static gboolean
check_regular (const char        *path,
               const struct stat *st,
               GError           **error)
{
  if (S_ISREG (st->st_mode))
    return TRUE;
  if (S_ISDIR (st->st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("%s: is a folder"), path);
  else if (S_ISFIFO (st->st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: is a named pipe (FIFO), not a regular file"), path);
  else if (S_ISCHR (st->st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: is a character device, not a regular file"), path);
  else if (S_ISBLK (st->st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: is a block device, not a regular file"), path);
  else if (S_ISSOCK (st->st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: is a socket, not a regular file"), path);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: is not a regular file"), path);
  return FALSE;
}

/* The folder @path is in, without links or "..", and @path's name in it. */
static char *
canonical_new_path (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *real_dir = realpath (dir, NULL);
  char *canonical;

  if (real_dir == NULL)
    return NULL;
  canonical = g_build_filename (real_dir, base, NULL);
  free (real_dir);
  return canonical;
}

/* Decides whether @path may be written and what is then replaced:
 * @target (the path itself, or the regular file a link there names) and
 * whether it exists. Refuses what is not a regular file or a new path,
 * and an input. */
static gboolean
check_destination (const char  *path,
                   GArray      *inputs,
                   char       **target_out,
                   char       **canonical_out,
                   gboolean    *existed_out,
                   mode_t      *mode_out,
                   GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *canonical = NULL;
  struct stat st;

  if (lstat (path, &st) != 0)
    {
      int saved_errno = errno;
      g_autofree char *dir = g_path_get_dirname (path);
      struct stat dir_st;

      if (saved_errno != ENOENT)
        {
          _ls_atomic_set_error_errno (error, saved_errno, "%s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
      if (stat (dir, &dir_st) != 0 || !S_ISDIR (dir_st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("%s: the folder “%s” does not exist"), path, dir);
          return FALSE;
        }
      if ((canonical = canonical_new_path (path)) == NULL)
        {
          saved_errno = errno;
          _ls_atomic_set_error_errno (error, saved_errno, "%s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
      *target_out = g_strdup (path);
      *canonical_out = g_steal_pointer (&canonical);
      *existed_out = FALSE;
      *mode_out = 0;
      return TRUE;
    }

  if (S_ISLNK (st.st_mode))
    {
      g_autofree char *link = g_file_read_link (path, NULL);
      char *resolved;
      struct stat target_st;

      /* followed by the kernel, with its protections for links in shared
       * folders */
      if (stat (path, &st) != 0)
        {
          int saved_errno = errno;

          if (saved_errno == ENOENT)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("%s: is a symbolic link to “%s”, which does not exist"), path,
                         link != NULL ? link : "?");
          else
            _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot follow the symbolic link: %s"),
                             path, g_strerror (saved_errno));
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR,
                       S_ISDIR (st.st_mode) ? G_IO_ERROR_IS_DIRECTORY
                                            : G_IO_ERROR_NOT_REGULAR_FILE,
                       _("%s: is a symbolic link to “%s”, which is not a regular file"), path,
                       link != NULL ? link : "?");
          return FALSE;
        }
      if ((resolved = realpath (path, NULL)) == NULL)
        {
          int saved_errno = errno;

          _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot follow the symbolic link: %s"), path,
                           g_strerror (saved_errno));
          return FALSE;
        }
      target = g_strdup (resolved);
      free (resolved);
      if (lstat (target, &target_st) != 0 || target_st.st_dev != st.st_dev
          || target_st.st_ino != st.st_ino)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("%s: the symbolic link changed while it was followed"), path);
          return FALSE;
        }
      canonical = g_strdup (target);
    }
  else
    {
      char *real;

      if (!check_regular (path, &st, error))
        return FALSE;
      target = g_strdup (path);
      real = realpath (path, NULL);
      canonical = g_strdup (real != NULL ? real : path);
      free (real);
    }

  for (guint i = 0; inputs != NULL && i < inputs->len; i++)
    {
      const Input *input = &g_array_index (inputs, Input, i);

      if (input->dev == st.st_dev && input->ino == st.st_ino)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s: is the same file as the input %s"), path, input->path);
          return FALSE;
        }
    }

  *target_out = g_steal_pointer (&target);
  *canonical_out = g_steal_pointer (&canonical);
  *existed_out = TRUE;
  *mode_out = st.st_mode;
  return TRUE;
}

static gboolean
create_temporary (LsAtomicFile  *self,
                  GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (self->target);
  g_autofree char *base = g_path_get_basename (self->target);
  g_autofree char *template = NULL;
  int fd;

  if (strlen (base) > MAX_BASE_IN_TEMP_NAME)
    base[MAX_BASE_IN_TEMP_NAME] = '\0';
  template = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot write in “%s”: %s"), self->path, dir,
                       g_strerror (saved_errno));
      return FALSE;
    }
  /* a replaced file keeps its permissions (an export someone made private
   * stays private) */
  if (self->existed)
    fchmod (fd, self->replaced_mode & 0777);
  self->tmp_path = g_steal_pointer (&template);
  self->stream = g_unix_output_stream_new (fd, TRUE);
  return TRUE;
}

LsAtomicFile *
_ls_atomic_file_new (const char     *path,
                     LsAtomicGroup  *group,
                     GError        **error)
{
  LsAtomicFile *self = g_new0 (LsAtomicFile, 1);

  self->path = g_strdup (path);
  self->group = group;
  if (!check_destination (path, group != NULL ? group->inputs : NULL, &self->target,
                          &self->canonical, &self->existed, &self->replaced_mode, error)
      || !create_temporary (self, error))
    {
      self->group = NULL;
      ls_atomic_file_free (self);
      return NULL;
    }
  return self;
}

LsAtomicFile *
ls_atomic_file_new (const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return _ls_atomic_file_new (path, NULL, error);
}

GOutputStream *
ls_atomic_file_get_stream (LsAtomicFile *self)
{
  return self->stream;
}

const char *
ls_atomic_file_get_path (LsAtomicFile *self)
{
  return self->path;
}

/* All the data is on its way to the disk; when a file is replaced, on the
 * disk (as g_file_set_contents () does), so a crash right after the rename
 * cannot leave an empty file where the old one was. */
gboolean
_ls_atomic_file_finish_writing (LsAtomicFile  *self,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  int fd;

  if (g_output_stream_is_closed (self->stream))
    return TRUE;
  fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (self->stream));
  if (self->existed && fsync (fd) != 0)
    {
      int saved_errno = errno;

      g_output_stream_close (self->stream, NULL, NULL);
      _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
                       g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_output_stream_close (self->stream, NULL, &local_error))
    {
      g_set_error (error, G_IO_ERROR, local_error->code, _("%s: cannot write: %s"), self->path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Just before the rename: the destination is still something we may
 * replace, the same one as when writing began. */
gboolean
_ls_atomic_file_check_again (LsAtomicFile  *self,
                             GError       **error)
{
  g_autofree char *target = NULL;
  g_autofree char *canonical = NULL;
  gboolean existed;
  mode_t mode;

  if (!check_destination (self->path, self->group != NULL ? self->group->inputs : NULL, &target,
                          &canonical, &existed, &mode, error))
    return FALSE;
  if (g_strcmp0 (target, self->target) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: changed while it was being written"), self->path);
      return FALSE;
    }
  self->existed = existed;
  return TRUE;
}

gboolean
ls_atomic_file_commit (LsAtomicFile  *self,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->group == NULL, FALSE);
  g_return_val_if_fail (!self->committed, FALSE);

  if (!_ls_atomic_file_finish_writing (self, error) || !_ls_atomic_file_check_again (self, error))
    return FALSE;
  if (g_rename (self->tmp_path, self->target) != 0)
    {
      int saved_errno = errno;

      _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
                       g_strerror (saved_errno));
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  self->renamed = TRUE;
  self->committed = TRUE;
  return TRUE;
}

void
ls_atomic_file_free (LsAtomicFile *self)
{
  if (self == NULL)
    return;
  g_return_if_fail (self->group == NULL);

  if (self->stream != NULL && !g_output_stream_is_closed (self->stream))
    g_output_stream_close (self->stream, NULL, NULL);
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_clear_object (&self->stream);
  g_free (self->tmp_path);
  g_free (self->backup);
  g_free (self->canonical);
  g_free (self->target);
  g_free (self->path);
  g_free (self);
}
