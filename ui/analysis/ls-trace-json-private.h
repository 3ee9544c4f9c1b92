/* SPDX-License-Identifier: MIT
 *
 * Loading a trace file that is already in memory: what the loader does
 * after mapping the file, for the fuzzers.
 */
#pragma once

#include "ls-trace-json.h"

G_BEGIN_DECLS

/* @path only names the data in errors and gives a foreign trace its title. */
LsTrace *_ls_trace_load_json_data (const char   *path,
                                   const char   *data,
                                   gsize         length,
                                   LsTraceInfo  *info,
                                   GError      **error);

G_END_DECLS
