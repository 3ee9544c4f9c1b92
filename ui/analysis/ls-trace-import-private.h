/* SPDX-License-Identifier: MIT
 *
 * Reading Trace Event files written by other tools.
 */
#pragma once

#include "ls-trace-json.h"

G_BEGIN_DECLS

LsTrace *_ls_trace_import_foreign (const char  *path,
                                   const char  *data,
                                   gsize        length,
                                   LsTraceInfo *info,
                                   GError     **error);

G_END_DECLS
