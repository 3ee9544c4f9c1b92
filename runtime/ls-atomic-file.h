/* SPDX-License-Identifier: MIT
 *
 * Writing files all or nothing: the data goes to a temporary file beside
 * the destination, which is renamed over it only once everything was
 * written, so a reader (or a crash) never sees half an export. Only a
 * regular file or a new path is ever written: a folder, a named pipe, a
 * device or a socket is refused, and so is a file the command reads (an
 * input), whatever the path that names it. A symbolic link is written
 * through: its target, an existing regular file, is replaced atomically
 * and the link stays a link (DESIGN.md, "Exports and trace files").
 *
 * A group writes several files all or nothing: each output gets its
 * temporary file when it is added, and ls_atomic_group_commit () renames
 * them all into place, or, if anything fails before or during the
 * renames, puts back what was there and leaves every destination as it
 * was.
 *
 * Errors are one line that names the path and the problem.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _LsAtomicFile  LsAtomicFile;
typedef struct _LsAtomicGroup LsAtomicGroup;

/* One file on its own. */
LsAtomicFile  *ls_atomic_file_new         (const char     *path,
                                           GError        **error);
GOutputStream *ls_atomic_file_get_stream  (LsAtomicFile   *self);
const char    *ls_atomic_file_get_path    (LsAtomicFile   *self);
/* Closes the stream and renames the temporary file over the destination. */
gboolean       ls_atomic_file_commit      (LsAtomicFile   *self,
                                           GError        **error);
/* Without a successful commit the temporary file is deleted. */
void           ls_atomic_file_free        (LsAtomicFile   *self);

/* Several files, all or nothing. */
LsAtomicGroup *ls_atomic_group_new        (void);
/* A file the command reads: no output may be the same file (same device
 * and inode: another spelling, a link or a hard link to it included).
 * Add inputs before outputs, so a clash is reported before anything is
 * written; the commit checks again in any case. A path that does not
 * exist is ignored (nothing can overwrite it). */
void           ls_atomic_group_add_input  (LsAtomicGroup  *self,
                                           const char     *path);
/* Checks @path and creates its temporary file; the group owns the
 * returned file (write to its stream, never commit or free it). The same
 * destination twice is refused. */
LsAtomicFile  *ls_atomic_group_add        (LsAtomicGroup  *self,
                                           const char     *path,
                                           GError        **error);
guint          ls_atomic_group_get_n_files (LsAtomicGroup *self);
/* Closes every stream, checks every destination again, then renames the
 * temporary files into place, keeping what each replaces until all of
 * them are in. On failure the destinations renamed so far get their old
 * contents back (the same file, not a copy), new ones are removed, and
 * the error names the output that failed. Once only. */
gboolean       ls_atomic_group_commit     (LsAtomicGroup  *self,
                                           GError        **error);
/* Without a successful commit every temporary file is deleted. */
void           ls_atomic_group_free       (LsAtomicGroup  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsAtomicFile, ls_atomic_file_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsAtomicGroup, ls_atomic_group_free)

G_END_DECLS
