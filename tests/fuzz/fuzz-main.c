/* SPDX-License-Identifier: MIT
 *
 * A main () for the fuzz targets in builds without libFuzzer: runs each
 * file given (or each file of each folder given) through the target once,
 * so the seed corpus is a regression test of every build, and a crash
 * file from a fuzzing run can be replayed under gdb or valgrind.
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

#include "fuzz-common.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static int
run_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
  printf ("ok %s\n", path);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  int status = 0;
  guint n = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          g_ptr_array_sort (names, compare_paths);
          for (guint k = 0; k < names->len; k++, n++)
            status |= run_file (g_ptr_array_index (names, k));
        }
      else
        {
          status |= run_file (argv[i]);
          n++;
        }
    }
  if (n == 0)
    {
      g_printerr ("usage: %s FILE|FOLDER...\n", argv[0]);
      return 2;
    }
  return status;
}
