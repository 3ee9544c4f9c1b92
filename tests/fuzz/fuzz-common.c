/* SPDX-License-Identifier: MIT
 *
 * The loader as the fuzz targets call it: from memory, through the very
 * function ls_trace_load_json_full () calls after mapping a file.
 */
#include "config.h"

#include "fuzz-common.h"

#include <string.h>

#include "ls-trace-json-private.h"

#define NAME "fuzz.json"

void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("LANGUAGE", "C", TRUE);
}

LsTrace *
fuzz_load (const guint8 *data,
           size_t        size,
           LsTraceInfo  *info)
{
  g_autoptr(GError) error = NULL;
  LsTrace *trace;

  /* the loader never sees an empty file: the front refuses it first */
  if (size == 0)
    return NULL;
  trace = _ls_trace_load_json_data (NAME, (const char *) data, size, info, &error);
  if (trace == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, NAME ": "));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_null (info->scenario_id);
      g_assert_null (info->title);
      g_assert_null (info->created);
    }
  else
    g_assert_null (error);
  return trace;
}
