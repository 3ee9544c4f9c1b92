/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: the import of Trace Event files from other tools (the
 * seeds are such files, in the object and the array form): every member
 * of every event is untrusted. What loads must pass the record checks
 * (the loader calls them) and have its records in time order.
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_auto(LsTraceInfo) info = { 0 };
  g_autoptr(LsTrace) trace = fuzz_load (data, size, &info);
  guint64 n;

  if (trace == NULL)
    return 0;
  n = ls_trace_get_n_records (trace);
  g_assert_cmpuint (n, >, 0);
  for (guint64 i = 1; i < n; i++)
    g_assert_cmpint (ls_trace_get_record (trace, i - 1)->time, <=,
                     ls_trace_get_record (trace, i)->time);
  return 0;
}
