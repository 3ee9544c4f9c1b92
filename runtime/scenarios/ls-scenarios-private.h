/* SPDX-License-Identifier: MIT */
#pragma once

#include "ls-scenario.h"

G_BEGIN_DECLS

/* NULL-terminated, in the chapter's order (ls-scenarios-list.c) */
extern const LsScenario *const ls_all_scenarios[];

/* Helpers shared by the scenario files */
char *ls_py_str_list_repr (GPtrArray *strings);   /* ['a', 'b'] */
char *ls_py_float_repr    (double     value);     /* Python's repr(float) */
char *ls_task_label       (int        n);         /* "Task 1" / 任务1 */

G_END_DECLS
