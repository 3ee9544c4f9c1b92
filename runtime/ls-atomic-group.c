/* SPDX-License-Identifier: MIT
 *
 * Several outputs all or nothing (ls-atomic-file.c writes each). A group
 * commits by keeping each file it replaces under a second name first (a
 * hard link, so the destination never goes missing; where hard links are
 * not possible, the file is moved aside right before its replacement), then
 * renaming every temporary file into place; a failure renames the kept
 * files back. If a crash comes in between, the old files are still there
 * under their hidden ".NAME.XXXXXX.orig" names: nothing the user had is
 * lost.
 */
#define _GNU_SOURCE /* renameat2 () */
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

  if ((file = _ls_atomic_file_new (path, self, error)) == NULL)
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
      _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot keep the file it replaces: %s"),
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
          _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
                           g_strerror (saved_errno));
          return FALSE;
        }
      self->backup_state = BACKUP_MOVED;
    }
  if (g_rename (self->tmp_path, self->target) != 0)
    {
      int saved_errno = errno;

      _ls_atomic_set_error_errno (error, saved_errno, _("%s: cannot write: %s"), self->path,
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
    if (!_ls_atomic_file_finish_writing (g_ptr_array_index (self->files, i), error))
      return FALSE;
  for (guint i = 0; i < n; i++)
    if (!_ls_atomic_file_check_again (g_ptr_array_index (self->files, i), error))
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
