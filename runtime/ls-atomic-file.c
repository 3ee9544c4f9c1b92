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
 *
 * A group commits by keeping each file it replaces under a second name
 * first (a hard link, so the destination never goes missing; where hard
 * links are not possible, the file is moved aside right before its
 * replacement), then renaming every temporary file into place; a failure
 * renames the kept files back. If a crash comes in between, the old files
 * are still there under their hidden ".NAME.XXXXXX.orig" names: nothing
 * the user had is lost.
 */
#define _GNU_SOURCE /* renameat2 () */
#include "config.h"

#include "ls-atomic-file.h"

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

/* a file name may be 255 bytes: leave room for ".", ".XXXXXX.orig" */
#define MAX_BASE_IN_TEMP_NAME 200

typedef struct
{
  dev_t  dev;
  ino_t  ino;
  char  *path;
} Input;

/* What the backup name of a group's output holds */
typedef enum
{
  BACKUP_NONE = 0,
  BACKUP_LINKED,   /* a hard link to the file replaced */
  BACKUP_TO_MOVE,  /* nothing yet: the file is moved there right before its replacement */
  BACKUP_MOVED,    /* the file replaced, moved aside */
} BackupState;

struct _LsAtomicFile
{
  char          *path;          /* as given: errors name it */
  char          *target;        /* what is replaced: @path, or the file a link at @path names */
  char          *canonical;     /* the destination without links or "..": unique in a group */
  char          *tmp_path;      /* until it is renamed into place */
  GOutputStream *stream;
  mode_t         replaced_mode; /* of the file replaced, when there is one */
  gboolean       existed;       /* a file is replaced (else the path is new) */
  char          *backup;        /* a group's commit: the replaced file's second name */
  BackupState    backup_state;
  gboolean       renamed;       /* the temporary file is in place */
  gboolean       committed;
  LsAtomicGroup *group;
};

struct _LsAtomicGroup
{
  GArray    *inputs;   /* Input */
  GPtrArray *files;    /* LsAtomicFile, owned */
  gboolean   done;     /* a commit ran */
};

static void
set_error_errno (GError    **error,
                 int         errnum,
                 const char *format,
                 ...) G_GNUC_PRINTF (3, 4);

static void
set_error_errno (GError    **error,
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
          set_error_errno (error, saved_errno, "%s: %s", path, g_strerror (saved_errno));
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
          set_error_errno (error, saved_errno, "%s: %s", path, g_strerror (saved_errno));
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
            set_error_errno (error, saved_errno, _("%s: cannot follow the symbolic link: %s"),
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

          set_error_errno (error, saved_errno, _("%s: cannot follow the symbolic link: %s"), path,
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

      set_error_errno (error, saved_errno, _("%s: cannot write in “%s”: %s"), self->path, dir,
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

static LsAtomicFile *
atomic_file_new (const char     *path,
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
  return atomic_file_new (path, NULL, error);
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
static gboolean
finish_writing (LsAtomicFile  *self,
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
      set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
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
static gboolean
check_again (LsAtomicFile  *self,
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

  if (!finish_writing (self, error) || !check_again (self, error))
    return FALSE;
  if (g_rename (self->tmp_path, self->target) != 0)
    {
      int saved_errno = errno;

      set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
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

/* ---- groups ------------------------------------------------------------ */

LsAtomicGroup *
ls_atomic_group_new (void)
{
  LsAtomicGroup *self = g_new0 (LsAtomicGroup, 1);

  self->inputs = g_array_new (FALSE, FALSE, sizeof (Input));
  self->files = g_ptr_array_new ();
  return self;
}

void
ls_atomic_group_add_input (LsAtomicGroup *self,
                           const char    *path)
{
  struct stat st;
  Input input;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  if (stat (path, &st) != 0)
    return;
  input.dev = st.st_dev;
  input.ino = st.st_ino;
  input.path = g_strdup (path);
  g_array_append_val (self->inputs, input);
}

LsAtomicFile *
ls_atomic_group_add (LsAtomicGroup  *self,
                     const char     *path,
                     GError        **error)
{
  LsAtomicFile *file;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (!self->done, NULL);

  if ((file = atomic_file_new (path, self, error)) == NULL)
    return NULL;
  for (guint i = 0; i < self->files->len; i++)
    {
      LsAtomicFile *other = g_ptr_array_index (self->files, i);

      if (g_strcmp0 (other->canonical, file->canonical) == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s: is the same file as the output %s"), path, other->path);
          file->group = NULL;
          ls_atomic_file_free (file);
          return NULL;
        }
    }
  g_ptr_array_add (self->files, file);
  return file;
}

guint
ls_atomic_group_get_n_files (LsAtomicGroup *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->files->len;
}

/* rename () that never replaces anything (the backup's name was free a
 * moment ago; it must still be). */
static int
rename_no_replace (const char *from,
                   const char *to)
{
  struct stat st;

  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -1;
  /* a file system without RENAME_NOREPLACE */
  if (lstat (to, &st) == 0)
    {
      errno = EEXIST;
      return -1;
    }
  return g_rename (from, to);
}

/* A second name for the file @self replaces, in its folder: a hard link,
 * or, where there can be none, a name it is moved to right before its
 * replacement. */
static gboolean
keep_replaced_file (LsAtomicFile  *self,
                    GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (self->target);
  g_autofree char *base = g_path_get_basename (self->target);

  if (strlen (base) > MAX_BASE_IN_TEMP_NAME)
    base[MAX_BASE_IN_TEMP_NAME] = '\0';
  for (int attempt = 0; attempt < 16; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%06x.orig", base,
                                               g_random_int () & 0xffffff);
      g_autofree char *backup = g_build_filename (dir, name, NULL);
      int saved_errno;

      if (link (self->target, backup) == 0)
        {
          self->backup = g_steal_pointer (&backup);
          self->backup_state = BACKUP_LINKED;
          return TRUE;
        }
      saved_errno = errno;
      if (saved_errno == EEXIST)
        continue;
      if (saved_errno == EPERM || saved_errno == EXDEV || saved_errno == EMLINK
          || saved_errno == EOPNOTSUPP || saved_errno == ENOSYS)
        {
          struct stat st;

          if (lstat (backup, &st) == 0)
            continue;
          self->backup = g_steal_pointer (&backup);
          self->backup_state = BACKUP_TO_MOVE;
          return TRUE;
        }
      set_error_errno (error, saved_errno, _("%s: cannot keep the file it replaces: %s"),
                       self->path, g_strerror (saved_errno));
      return FALSE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("%s: cannot keep the file it replaces"), self->path);
  return FALSE;
}

static gboolean
move_into_place (LsAtomicFile  *self,
                 GError       **error)
{
  if (self->backup_state == BACKUP_TO_MOVE)
    {
      if (rename_no_replace (self->target, self->backup) != 0)
        {
          int saved_errno = errno;

          /* nothing moved: the file is where it was */
          g_clear_pointer (&self->backup, g_free);
          self->backup_state = BACKUP_NONE;
          set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
                           g_strerror (saved_errno));
          return FALSE;
        }
      self->backup_state = BACKUP_MOVED;
    }
  if (g_rename (self->tmp_path, self->target) != 0)
    {
      int saved_errno = errno;

      set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
                       g_strerror (saved_errno));
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  self->renamed = TRUE;
  return TRUE;
}

/* Puts back what @self replaced (or removes what it created). FALSE, with
 * the file's other name left in place, when that fails. */
static gboolean
put_back (LsAtomicFile *self)
{
  gboolean kept = self->backup_state == BACKUP_LINKED || self->backup_state == BACKUP_MOVED;

  if (self->renamed || self->backup_state == BACKUP_MOVED)
    {
      /* the old file over ours, in one step; or ours goes, if there was none */
      if (kept)
        {
          if (g_rename (self->backup, self->target) != 0)
            return FALSE;
          g_clear_pointer (&self->backup, g_free);
          self->backup_state = BACKUP_NONE;
        }
      else if (g_unlink (self->target) != 0 && errno != ENOENT)
        return FALSE;
      self->renamed = FALSE;
    }
  return TRUE;
}

/* The second names are not needed any more: after a commit (they hold
 * the files replaced), or a rollback (what is left are hard links to files
 * that are back in place). */
static void
drop_backups (LsAtomicGroup *self)
{
  for (guint i = 0; i < self->files->len; i++)
    {
      LsAtomicFile *file = g_ptr_array_index (self->files, i);

      if (file->backup_state == BACKUP_LINKED || file->backup_state == BACKUP_MOVED)
        g_unlink (file->backup);
      g_clear_pointer (&file->backup, g_free);
      file->backup_state = BACKUP_NONE;
    }
}

static void
roll_back (LsAtomicGroup *self,
           guint          failed,
           GError       **error)
{
  g_autoptr(GString) kept = g_string_new (NULL);

  for (guint i = failed + 1; i-- > 0;)
    {
      LsAtomicFile *file = g_ptr_array_index (self->files, i);

      if (!put_back (file))
        {
          /* never lost: the old file keeps its second name */
          g_string_append_printf (kept, _("; the previous %s is kept as %s"), file->path,
                                  file->backup);
          g_clear_pointer (&file->backup, g_free);
          file->backup_state = BACKUP_NONE;
        }
    }
  drop_backups (self);
  if (kept->len > 0 && error != NULL && *error != NULL)
    {
      char *message = g_strconcat ((*error)->message, kept->str, NULL);

      g_free ((*error)->message);
      (*error)->message = message;
    }
}

gboolean
ls_atomic_group_commit (LsAtomicGroup  *self,
                        GError        **error)
{
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->done, FALSE);

  self->done = TRUE;
  n = self->files->len;
  /* before anything changes: the data is written, the destinations are
   * still what may be replaced, what they hold is kept */
  for (guint i = 0; i < n; i++)
    if (!finish_writing (g_ptr_array_index (self->files, i), error))
      return FALSE;
  for (guint i = 0; i < n; i++)
    if (!check_again (g_ptr_array_index (self->files, i), error))
      return FALSE;
  for (guint i = 0; i < n; i++)
    {
      LsAtomicFile *file = g_ptr_array_index (self->files, i);

      if (file->existed && !keep_replaced_file (file, error))
        {
          drop_backups (self);
          return FALSE;
        }
    }

  for (guint i = 0; i < n; i++)
    if (!move_into_place (g_ptr_array_index (self->files, i), error))
      {
        roll_back (self, i, error);
        return FALSE;
      }

  drop_backups (self);
  for (guint i = 0; i < n; i++)
    ((LsAtomicFile *) g_ptr_array_index (self->files, i))->committed = TRUE;
  return TRUE;
}

void
ls_atomic_group_free (LsAtomicGroup *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->files->len; i++)
    {
      LsAtomicFile *file = g_ptr_array_index (self->files, i);

      file->group = NULL;
      ls_atomic_file_free (file);
    }
  g_ptr_array_unref (self->files);
  for (guint i = 0; i < self->inputs->len; i++)
    g_free (g_array_index (self->inputs, Input, i).path);
  g_array_unref (self->inputs);
  g_free (self);
}
