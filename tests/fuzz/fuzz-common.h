/* SPDX-License-Identifier: MIT
 *
 * What the fuzz targets share: the libFuzzer entry points, and a loader
 * that must either return a trace or an error of one line naming the file,
 * never both, never neither. GLib criticals and warnings are made fatal so
 * that a g_return_if_fail () reached from a file counts as a finding.
 */
#pragma once

#include <glib.h>

#include "ls-trace-json.h"

G_BEGIN_DECLS

int      LLVMFuzzerInitialize   (int            *argc,
                                 char         ***argv);
int      LLVMFuzzerTestOneInput (const guint8   *data,
                                 size_t          size);

void     fuzz_init              (void);
/* Loads @data as a trace file; checks the contract of the loader. */
LsTrace *fuzz_load              (const guint8   *data,
                                 size_t          size,
                                 LsTraceInfo    *info);

G_END_DECLS
