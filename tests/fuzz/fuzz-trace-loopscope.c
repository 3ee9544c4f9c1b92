/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: the loader on Loopscope's own trace files (the seeds are
 * exports of small scenarios, in version 2 with the records compressed
 * and two in version 1, and compressed sections that lie: a zlib bomb, a
 * short stream, one with more after its end, one whose count comes last):
 * the scanner, the "loopscope" section, the base64 and zlib records and
 * ls_trace_check_records. What loads must save (compressed) and load
 * again to the same trace.
 */
#include "config.h"

#include "fuzz-common.h"

#include <gio/gio.h>

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
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(LsTraceInfo) again_info = { 0 };
  g_autoptr(LsTrace) again = NULL;

  if (trace == NULL)
    return 0;
  /* a trace that loads saves, and the saved file loads to the same */
  out = g_memory_output_stream_new_resizable ();
  g_assert_true (ls_trace_write_json (trace, &info, out, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  again = fuzz_load (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &again_info);
  g_assert_nonnull (again);
  g_assert_true (ls_trace_equal (trace, again));
  return 0;
}
