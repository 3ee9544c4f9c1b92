/* SPDX-License-Identifier: MIT
 *
 * Helpers for the runtime tests, most of all those that mirror the CPython
 * reference programs in tests/pyref: the same log format ("[%8.3f] text",
 * "[%8.3f] #N text"), the same way of printing exceptions and results, and
 * the comparison with the expected output CPython produced
 * (tests/expected/NAME.txt).
 */
#pragma once

#include "ls-runtime.h"

G_BEGIN_DECLS

void         ls_test_log            (const char *format,
                                     ...) G_GNUC_PRINTF (1, 2);
void         ls_test_logi           (const char *format,
                                     ...) G_GNUC_PRINTF (1, 2);
/* "ValueError('boom')", "CancelledError()" (static buffer per call: g_free the result) */
char        *ls_test_fmt_exc        (const GError *error);
/* Python's repr of a result: None, 'text', 42, ['a', 'b'] */
char        *ls_test_repr           (GVariant *value);
/* Run @main as the main task ("Task-1") on a fresh virtual-clock loop, as
 * asyncio.run does (tasks left when it returns are cancelled and run to the
 * end); returns the exit status the reference program would have (0, or 1
 * after an "uncaught ..." line) and the output in @output. */
int          ls_test_run_main       (LsTaskFunc  main_func,
                                     gpointer    data,
                                     char      **output);
void         ls_test_check_expected (const char *name,
                                     LsTaskFunc  main_func);
/* e.args of a CancelledError: "()" or "('msg',)" */
char        *ls_test_cancel_args    (const GError *error);
/* repr (fut.result()) of a future known to have a result */
char        *ls_test_result_repr    (LsFuture   *future);
GError      *ls_test_value_error    (const char *message);
const char  *ls_test_bool           (gboolean    value);

/* A GPtrArray that owns tasks */
GPtrArray   *ls_test_task_list      (void);
/* await task (the result is dropped); FALSE with @error set when it raised */
gboolean     ls_test_await          (LsTask     *task,
                                     GError    **error);
/* for t in tasks: await t */
gboolean     ls_test_await_all      (GPtrArray  *tasks,
                                     GError    **error);
/* for t in tasks: try: await t / except CancelledError: log "main: NAME cancelled=..." */
gboolean     ls_test_finish         (GPtrArray  *tasks,
                                     GError    **error);

/* Runs @func as task "main" on @loop until it is done; asserts it raised
 * nothing. */
LsTask      *ls_test_run_task       (LsLoop     *loop,
                                     LsTaskFunc  func,
                                     gpointer    data);
/* The records of @kind, in trace order (pointers into the trace) */
GPtrArray   *ls_test_find_records   (LsTrace    *trace,
                                     LsTraceKind kind);

/* The test's loop (valid during ls_test_run_main) */
LsLoop      *ls_test_loop           (void);

/* Registers /pyref/NAME: runs NAME_main and compares with expected/NAME.txt */
#define LS_TEST_PYREF(name) \
  g_test_add_data_func ("/pyref/" #name, (gconstpointer) name##_main, ls_test_pyref_run)

void         ls_test_pyref_run      (gconstpointer main_func);

/* A mount namespace of the process's own (as root, or inside a user
 * namespace where it is root), so what it mounts (a small tmpfs, a bind
 * mount) is seen by it and its children only and goes with them. Plain
 * system calls: safe in a forked child. */
gboolean     ls_test_enter_private_mounts (void);
/* Whether this process may do so and mount a tmpfs on @mount_point
 * (tried in a forked child). */
gboolean     ls_test_can_mount_privately  (const char *mount_point);

G_END_DECLS
