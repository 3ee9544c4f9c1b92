/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Handles the options that need no display (--list, --console runs).
 * Returns -1 when the window should start instead, else the exit status. */
int ls_command_line_run_headless (int    *argc,
                                  char ***argv);

G_END_DECLS
