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
/* the string result of a future known to hold one (lent) */
const char *ls_result_str (LsFuture  *future);
/* main () of the two cancellation listings (task-cancel, cancel-cleanup) */
gboolean ls_cancel_after_and_await (const char *name,
                                    LsTaskFunc  func,
                                    const char *cancelling,
                                    const char *cancelled,
                                    GError    **error);

G_END_DECLS
