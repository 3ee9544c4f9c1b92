/* SPDX-License-Identifier: MIT
 *
 * A scenario run takes nothing from the machine that it does not give
 * back, and gives back nothing that was not its own: the run's temporary
 * folder is the only thing it deletes (never $TMPDIR, never what a link in
 * it points to), and a run that cannot have a folder fails its file
 * operations with CPython's OSError instead of borrowing $TMPDIR.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "ls-scenario.h"
#include "ls-test-scenario.h"
#include "ls-test-util.h"

/* ---- files that must survive ---- */

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

static void
assert_file (const char *dir,
             const char *name,
             const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *actual = NULL;

  if (!g_file_get_contents (path, &actual, NULL, NULL))
    g_error ("%s is gone", path);
  g_assert_cmpstr (actual, ==, contents);
}

/* The test's own folders (no links in them) */
static void
remove_test_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_test_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* ---- a $TMPDIR that cannot take a new folder ---- */

static char *
run_cli (const char *tmpdir,
         const char *scenario,
         int        *status)
{
  g_autofree char *option = g_strconcat ("--scenario=", scenario, NULL);
  const char *args[] = { option, "--virtual-time", "--console", NULL };
  g_autofree char *err = NULL;
  char *out = NULL;

  g_setenv ("TMPDIR", tmpdir, TRUE);
  *status = ls_test_run_cli (NULL, args, &out, &err);
  g_unsetenv ("TMPDIR");
  /* no warning about a fallback, no critical: an error of the scenario's */
  g_assert_cmpstr (err, ==, "");
  return out;
}

/* In a subprocess (it changes its mount namespace): a tmpfs with no inode
 * left, or mounted read-only, holding files, is $TMPDIR for the command
 * line's file-io and downloader scenarios. */
static void
full_or_read_only_tmpdir (gboolean read_only)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("loopscope-tmpdir-XXXXXX", NULL);
  g_autofree char *notes = g_build_filename (tmpdir, "notes", NULL);
  g_autofree char *full = g_build_filename (tmpdir, "full", NULL);
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  const char *why = read_only ? "[Errno 30] Read-only file system"
                              : "[Errno 28] No space left on device";
  int status;

  g_assert_nonnull (tmpdir);
  g_assert_true (ls_test_enter_private_mounts ());
  /* the root, keep.txt, notes/ and notes/keep.txt: every inode there is */
  g_assert_cmpint (mount ("loopscope-test", tmpdir, "tmpfs", 0, "size=256k,nr_inodes=4"), ==, 0);
  write_file (tmpdir, "keep.txt", "someone else's");
  g_assert_cmpint (g_mkdir (notes, 0755), ==, 0);
  write_file (tmpdir, "notes/keep.txt", "someone else's too");
  if (read_only)
    g_assert_cmpint (mount (NULL, tmpdir, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
  else
    g_assert_cmpint (g_mkdir (full, 0755), ==, -1);

  /* Path('test1.txt').write_text(...) raises OSError: the run ends there */
  out = run_cli (tmpdir, "file-io", &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "[   0.000] OSError\n");
  assert_file (tmpdir, "keep.txt", "someone else's");
  assert_file (tmpdir, "notes/keep.txt", "someone else's too");

  /* the downloader catches it (except Exception) and goes on */
  g_clear_pointer (&out, g_free);
  out = run_cli (tmpdir, "downloader", &status);
  g_assert_cmpint (status, ==, 0);
  expected = g_strdup_printf ("[1/5] failed: https://httpbin.org/delay/1 - %s: "
                              "'%s/loopscope-XXXXXX'\n", why, tmpdir);
  g_assert_nonnull (strstr (out, expected));
  g_assert_nonnull (strstr (out, "Failed: 5\n"));
  assert_file (tmpdir, "keep.txt", "someone else's");
  assert_file (tmpdir, "notes/keep.txt", "someone else's too");

  g_assert_cmpint (umount (tmpdir), ==, 0);
  g_assert_cmpint (g_rmdir (tmpdir), ==, 0);
}

static void
test_tmpdir_cannot_take_a_folder (gconstpointer data)
{
  gboolean read_only = GPOINTER_TO_INT (data);
  g_autofree char *probe = NULL;
  gboolean can_mount;

  if (g_test_subprocess ())
    {
      full_or_read_only_tmpdir (read_only);
      return;
    }
  probe = g_dir_make_tmp ("loopscope-probe-XXXXXX", NULL);
  g_assert_nonnull (probe);
  can_mount = ls_test_can_mount_privately (probe);
  g_rmdir (probe);
  if (!can_mount)
    {
      g_test_skip ("needs a private mount namespace for a small tmpfs (root, or user "
                   "namespaces enabled)");
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ---- only what the run made goes ---- */

static GVariant *
where_files_go (gpointer data,
                GError **error)
{
  g_autofree char *path = ls_scenario_path ("x", error);

  return path != NULL ? g_variant_new_take_string (g_path_get_dirname (path)) : NULL;
}

/* Links planted in the run's folder (a scenario could make them) lead
 * outside it: freeing the run unlinks them and leaves their targets. */
static void
test_links_not_followed (void)
{
  g_autofree char *outside = g_dir_make_tmp ("loopscope-outside-XXXXXX", NULL);
  g_autofree char *outside_dir = g_build_filename (outside, "dir", NULL);
  g_autofree char *outside_file = g_build_filename (outside, "precious.txt", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *link = NULL;
  LsScenarioRun *run = ls_test_run_scenario ("file-io");
  g_autoptr(LsTask) task = NULL;
  g_autoptr(GVariant) result = NULL;

  g_assert_nonnull (outside);
  write_file (outside, "precious.txt", "not the run's");
  g_assert_cmpint (g_mkdir (outside_dir, 0755), ==, 0);
  write_file (outside, "dir/precious.txt", "not the run's either");

  task = ls_task_new (ls_scenario_run_get_loop (run), "where", where_files_go, NULL, NULL);
  g_assert_true (ls_loop_run_until_complete (ls_scenario_run_get_loop (run), LS_FUTURE (task),
                                             NULL));
  result = ls_future_get_result (LS_FUTURE (task), NULL);
  folder = g_variant_dup_string (result, NULL);
  g_assert_true (g_str_has_prefix (folder, g_get_tmp_dir ()));
  assert_file (folder, "test1.txt", "Contents of file 1");

  link = g_build_filename (folder, "to-folder", NULL);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  g_clear_pointer (&link, g_free);
  link = g_build_filename (folder, "to-file", NULL);
  g_assert_cmpint (symlink (outside_file, link), ==, 0);
  sub = g_build_filename (folder, "sub", NULL);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_clear_pointer (&link, g_free);
  link = g_build_filename (sub, "up", NULL);
  g_assert_cmpint (symlink (outside_dir, link), ==, 0);

  g_clear_pointer (&task, ls_task_unref);
  ls_scenario_run_free (run);

  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  assert_file (outside, "precious.txt", "not the run's");
  assert_file (outside, "dir/precious.txt", "not the run's either");
  remove_test_tree (outside);
}

/* ---- abandoned runs give everything back ---- */

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  fields = g_strsplit (statm, " ", -1);
  return (gsize) g_ascii_strtoull (fields[1], NULL, 10) * (gsize) sysconf (_SC_PAGESIZE);
}

static guint
n_mappings (void)
{
  g_autofree char *maps = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  for (const char *p = maps; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* A run of @id stopped after @iterations loop iterations, its tasks
 * suspended mid-way (as Restart or another scenario leaves it), then
 * freed: paced and paused as the window leaves it, or Instant. */
static void
abandon_run (const char *id,
             guint       iterations,
             gboolean    paced)
{
  LsScenarioRun *run = ls_scenario_run_new (ls_scenario_lookup (id), 0);
  LsLoop *loop = ls_scenario_run_get_loop (run);
  LsCoroPoolStats stats;

  if (paced)
    {
      ls_loop_set_speed (loop, 1.0);
      ls_loop_set_paused (loop, TRUE);
    }
  for (guint i = 0; i < iterations; i++)
    g_assert_true (ls_loop_step (loop));
  g_assert_false (ls_future_is_done (LS_FUTURE (ls_scenario_run_get_main_task (run))));
  ls_coro_pool_get_stats (&stats);
  g_assert_cmpuint (stats.n_in_use, >, 0);

  ls_scenario_run_free (run);
  /* every coroutine returned: its stack is back in the pool */
  ls_coro_pool_get_stats (&stats);
  g_assert_cmpuint (stats.n_in_use, ==, 0);
  g_assert_cmpuint (stats.n_abandoned, ==, 0);
}

typedef struct
{
  const char *id;
  guint       iterations;  /* where the run is abandoned */
  guint       runs;
  gsize       max_growth;  /* resident bytes over all the runs */
} AbandonCase;

static void
test_abandon_flat (gconstpointer data)
{
  const AbandonCase *c = data;
  gsize rss_before, rss_after;
  guint maps_before, maps_after;
  guint runs = c->runs;

#ifdef LS_HAVE_ASAN
  /* AddressSanitizer keeps freed memory in quarantine and maps its own
   * shadow and allocator regions as it goes: resident memory and mappings
   * say nothing there. Every run still has to give back every stack. */
  runs = MIN (runs, 10);
#endif
  /* the first runs fill the stack pool and malloc's arenas */
  for (guint i = 0; i < 3; i++)
    abandon_run (c->id, c->iterations, i % 2 == 0);
  rss_before = resident_bytes ();
  maps_before = n_mappings ();

  for (guint i = 0; i < runs; i++)
    abandon_run (c->id, c->iterations, i % 2 == 0);

  rss_after = resident_bytes ();
  maps_after = n_mappings ();
  g_test_message ("%s, %u runs abandoned: resident %+.1f MiB, mappings %+d", c->id, runs,
                  ((double) rss_after - (double) rss_before) / (1024.0 * 1024.0),
                  (int) maps_after - (int) maps_before);
#ifndef LS_HAVE_ASAN
  g_assert_cmpuint (maps_after, <=, maps_before + 4);
  g_assert_cmpuint (rss_after, <=, rss_before + c->max_growth);
#endif
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/scenario-run/folder/full-tmpdir", GINT_TO_POINTER (FALSE),
                        test_tmpdir_cannot_take_a_folder);
  g_test_add_data_func ("/scenario-run/folder/read-only-tmpdir", GINT_TO_POINTER (TRUE),
                        test_tmpdir_cannot_take_a_folder);
  g_test_add_func ("/scenario-run/folder/links-not-followed", test_links_not_followed);
  {
    /* stress: 10,000 tasks suspended; lock: five tasks queued on a lock */
    static const AbandonCase stress = { "stress", 40, 100, 16 << 20 };
    static const AbandonCase lock = { "lock", 3, 100, 2 << 20 };

    g_test_add_data_func ("/scenario-run/abandon/stress", &stress, test_abandon_flat);
    g_test_add_data_func ("/scenario-run/abandon/lock", &lock, test_abandon_flat);
  }
  return g_test_run ();
}
