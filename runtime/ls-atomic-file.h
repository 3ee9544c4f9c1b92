/* SPDX-License-Identifier: MIT
 *
 * Writing a file all or nothing: the data goes to a temporary file beside
 * the destination, which is renamed over it only once everything was
 * written, so a reader (or a crash) never sees half an export.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _LsAtomicFile LsAtomicFile;

/* Errors name @path. */
LsAtomicFile  *ls_atomic_file_new        (const char    *path,
                                          GError       **error);
GOutputStream *ls_atomic_file_get_stream (LsAtomicFile  *self);
/* Closes the stream and renames the temporary file over @path. */
gboolean       ls_atomic_file_commit     (LsAtomicFile  *self,
                                          GError       **error);
/* Without a successful commit the temporary file is deleted. */
void           ls_atomic_file_free       (LsAtomicFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsAtomicFile, ls_atomic_file_free)

G_END_DECLS
