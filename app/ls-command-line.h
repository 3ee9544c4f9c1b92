/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Handles the options that need no display (--list, --console runs,
 * exports). Returns -1 when the window should start instead (with the
 * scenario named by --scenario, if any, in @scenario_id, or the trace file
 * given as the argument in @trace_path), else the exit status. */
int ls_command_line_run_headless (int    *argc,
                                  char ***argv,
                                  char  **scenario_id,
                                  char  **trace_path);

G_END_DECLS
