/* SPDX-License-Identifier: MIT
 *
 * Helpers for the tests that use the scenarios as workloads or drive the
 * loopscope command line.
 */
#pragma once

#include "ls-scenario.h"

G_BEGIN_DECLS

/* Runs scenario @id (seed 0, virtual clock) to its end; asserts it ran. */
LsScenarioRun *ls_test_run_scenario (const char         *id);
LsTrace       *ls_test_run_trace    (LsScenarioRun      *run);

/* The knobs tests/scenario-ref/ID.diff sets ("Knob: NAME=VALUE" lines
 * above its first hunk), as NAME=VALUE strings; none without a diff. */
GStrv          ls_test_reference_knobs (const char      *id);
/* Runs scenario @id as the CPython reference of it runs: seed 0, virtual
 * clock, with ls_test_reference_knobs () set. */
LsScenarioRun *ls_test_run_scenario_as_reference (const char *id);

/* Runs $LOOPSCOPE_BIN @args headless (no display, English messages) in
 * @cwd (NULL: the current directory); returns its exit status. A NULL
 * @out sends its standard output to /dev/null. */
int            ls_test_run_cli      (const char         *cwd,
                                     const char *const  *args,
                                     char              **out,
                                     char              **err);
/* The same, in @language ($LANGUAGE) */
int            ls_test_run_cli_in   (const char         *language,
                                     const char         *cwd,
                                     const char *const  *args,
                                     char              **out,
                                     char              **err);
/* The same without the power to bypass file permissions: as root (CI, a
 * fresh machine), through setpriv (util-linux) without CAP_DAC_OVERRIDE
 * and CAP_DAC_READ_SEARCH, so that a folder or file without the
 * permission bit is closed to it as to any user; as anyone else, as is. */
int            ls_test_run_cli_unprivileged (const char         *cwd,
                                             const char *const  *args,
                                             char              **out,
                                             char              **err);

G_END_DECLS
