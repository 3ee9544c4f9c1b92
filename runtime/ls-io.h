/* SPDX-License-Identifier: MIT
 *
 * Files for scenario code, written like the chapter's aiofiles:
 *
 *   g_autofree char *text = ls_file_read_text (path, error);
 *                                    (async with aiofiles.open (path) as f:
 *                                         text = await f.read ())
 *
 * Each call is one I/O operation in the trace ("read <path>", "write
 * <path>", "append <path>") done with GIO's asynchronous API; the calling
 * task suspends on it (wait reason "io") and resumes through the loop's I/O
 * queue. Cancelling the task cancels the GIO operation (the task sees
 * CancelledError at once; the operation still completes in the trace, as
 * cancelled, when GIO has stopped).
 *
 * Errors are G_IO_ERROR GErrors whose messages read like Python's
 * ("[Errno 2] No such file or directory: 'x.txt'"); ls_error_get_python_name
 * names them (FileNotFoundError, PermissionError, …).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* open (path, 'rb').read () */
GBytes     *ls_file_read_all      (const char  *path,
                                   GError     **error);
/* open (path).read (): UTF-8 text (UnicodeDecodeError, a G_CONVERT_ERROR,
 * when it is not) */
char       *ls_file_read_text     (const char  *path,
                                   GError     **error);
/* open (path, 'wb').write (data): replaces the file */
gboolean    ls_file_write_all     (const char  *path,
                                   const void  *data,
                                   gsize        length,
                                   GError     **error);
gboolean    ls_file_write_text    (const char  *path,
                                   const char  *text,
                                   GError     **error);
/* open (path, 'ab').write (data) */
gboolean    ls_file_append        (const char  *path,
                                   const void  *data,
                                   gsize        length,
                                   GError     **error);

G_END_DECLS
