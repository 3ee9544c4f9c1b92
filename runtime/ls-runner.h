/* SPDX-License-Identifier: MIT
 *
 * LsRunner: asyncio.run() and asyncio.Runner. It runs a main task until it
 * is done, then shuts the loop down as Runner.close() does: the tasks still
 * pending are cancelled (in creation order; CPython goes through a set) and
 * run to completion with gather(return_exceptions=True), then the default
 * executor's work is waited for. Each phase runs the loop until a future
 * (ls_loop_set_stop_future), as CPython's run_until_complete does; the next
 * phase begins where the loop stops, outside any iteration, and the loop
 * reports LsLoop:stopped only once the last phase is over.
 *
 * The phases follow the loop's stops, so they happen however the loop is
 * driven: by ls_runner_run_main / ls_runner_close (blocking, like
 * Runner.run and Runner.close), or by the loop's GSource and ls_loop_step,
 * as in the window.
 */
#pragma once

#include "ls-future.h"

G_BEGIN_DECLS

typedef struct _LsRunner LsRunner;

/* Takes over @main_task's end: create it just before, as Runner.run does. */
LsRunner   *ls_runner_new                (LsLoop     *loop,
                                          LsTask     *main_task);
void        ls_runner_free               (LsRunner   *self);
LsTask     *ls_runner_get_main_task      (LsRunner   *self);
/* Runner.run: until the main task is done (read its result from it).
 * FALSE with an error when nothing can ever make progress, or the loop was
 * stopped before. */
gboolean    ls_runner_run_main           (LsRunner   *self,
                                          GError    **error);
/* Runner.close: the rest of the shutdown. */
gboolean    ls_runner_close              (LsRunner   *self,
                                          GError    **error);
/* asyncio.run: both */
gboolean    ls_runner_run                (LsRunner   *self,
                                          GError    **error);
/* The main task is done and so is the shutdown. */
gboolean    ls_runner_is_finished        (LsRunner   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsRunner, ls_runner_free)

G_END_DECLS
