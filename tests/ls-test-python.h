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

/* A one-line summary of every task lane's spans, for failure messages */
char        *ls_test_describe_lanes   (LsInterpreter *interpreter);

G_END_DECLS
