/* SPDX-License-Identifier: MIT
 *
 * Helpers for the tests that run CPython programs under Loopscope's tracer
 * and compare what they record with the C runtime's records.
 */
#pragma once

#include "ls-python-run.h"
#include "ls-interpreter.h"

G_BEGIN_DECLS

/* Runs @path (relative: to the tests' source folder) under the tracer at
 * @speed to its end; asserts that it ran (an uncaught exception is fine). */
LsPythonRun *ls_test_run_python       (const char  *path,
                                       double       speed);

/* The records of @trace up to the end of the loop iteration in which its
 * first task (asyncio.run's main task) ended: where the C runtime's
 * run_until_complete stops. CPython stops one iteration later, from a done
 * callback of that task (_run_until_complete_cb); that callback's
 * READY_PUSH is left out too. */
LsTrace     *ls_test_until_main_done  (LsTrace     *trace);

/* A one-line summary of every task lane's spans, for failure messages */
char        *ls_test_describe_lanes   (LsInterpreter *interpreter);

G_END_DECLS
