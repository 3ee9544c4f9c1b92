/* SPDX-License-Identifier: MIT
 *
 * Output files (runtime/ls-atomic-file.c) write only a regular file or a
 * new path, never an input, and a group of them all or nothing: every
 * refusal names the path and what is there, and leaves it as it was, with
 * nothing of Loopscope's beside it.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "ls-atomic-file.h"
#include "ls-test-util.h"

/* ---- helpers ---- */

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("loopscope-atomic-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      struct stat st;

      g_assert_cmpint (lstat (child, &st), ==, 0);
      if (S_ISDIR (st.st_mode))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static char *
put (const char *dir,
     const char *name,
     const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
assert_contents (const char *path,
                 const char *contents)
{
  g_autofree char *actual = NULL;

  g_assert_true (g_file_get_contents (path, &actual, NULL, NULL));
  g_assert_cmpstr (actual, ==, contents);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The names in @dir, sorted, joined by spaces: nothing of Loopscope's
 * (".NAME.XXXXXX.part", ".NAME.XXXXXX.orig") may be left among them. */
static char *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
write_text (LsAtomicFile *file,
            const char   *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (ls_atomic_file_get_stream (file), text,
                                            strlen (text), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Writes @text to @path on its own; returns the error, if any. */
static GError *
write_alone (const char *path,
             const char *text)
{
  g_autoptr(LsAtomicFile) file = NULL;
  GError *error = NULL;

  if ((file = ls_atomic_file_new (path, &error)) == NULL)
    return error;
  write_text (file, text);
  ls_atomic_file_commit (file, &error);
  return error;
}

static void
assert_refused (const char  *path,
                GError      *error,
                const char  *what)
{
  g_autofree char *expected = g_strdup_printf ("%s: %s", path, what);

  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, expected);
  g_error_free (error);
}

static ino_t
inode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  return st.st_ino;
}

/* ---- what is written ---- */

static void
test_new_and_regular (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fresh = g_build_filename (dir, "new.png", NULL);
  g_autofree char *old = put (dir, "old.png", "old contents");
  g_autofree char *listing = NULL;
  struct stat st;

  g_assert_cmpint (g_chmod (old, 0600), ==, 0);
  g_assert_no_error (write_alone (fresh, "new"));
  g_assert_no_error (write_alone (old, "replaced"));
  assert_contents (fresh, "new");
  assert_contents (old, "replaced");
  /* a private file stays private */
  g_assert_cmpint (stat (old, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "new.png old.png");
  remove_tree (dir);
}

static void
test_fifo (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_autofree char *listing = NULL;
  struct stat st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  assert_refused (fifo, write_alone (fifo, "data"), "is a named pipe (FIFO), not a regular file");
  g_assert_cmpint (lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "pipe");
  remove_tree (dir);
}

/* A node like /dev/null (character device 1, 3) of the test's own: the
 * real one is never touched. */
static void
test_device (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *null = g_build_filename (dir, "null", NULL);
  g_autofree char *listing = NULL;
  struct stat st;

  if (mknod (null, S_IFCHR | 0666, makedev (1, 3)) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("cannot make a device node (%s): mknod needs "
                                                 "root", g_strerror (errno));

      remove_tree (dir);
      g_test_skip (reason);
      return;
    }
  assert_refused (null, write_alone (null, "data"), "is a character device, not a regular file");
  g_assert_cmpint (lstat (null, &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  g_assert_cmpuint (st.st_rdev, ==, makedev (1, 3));
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "null");
  remove_tree (dir);
}

static void
test_socket (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "sock", NULL);
  g_autofree char *listing = NULL;
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);
  struct stat st;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  assert_refused (path, write_alone (path, "data"), "is a socket, not a regular file");
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISSOCK (st.st_mode));
  close (fd);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "sock");
  remove_tree (dir);
}

static void
test_folder (void)
{
  g_autofree char *dir = make_dir ();

  assert_refused (dir, write_alone (dir, "data"), "is a folder");
  remove_tree (dir);
}

/* A link to a regular file is written through: the file it names is
 * replaced in its own folder, the link stays a link. A link to nothing,
 * or to something else than a regular file, is refused. */
static void
test_symlink (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *elsewhere = make_dir ();
  g_autofree char *target = put (elsewhere, "target.png", "old");
  g_autofree char *link = g_build_filename (dir, "link.png", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.png", NULL);
  g_autofree char *to_fifo = g_build_filename (dir, "to-fifo", NULL);
  g_autofree char *fifo = g_build_filename (elsewhere, "pipe", NULL);
  g_autofree char *to_dir = g_build_filename (dir, "to-dir", NULL);
  g_autofree char *missing = g_build_filename (elsewhere, "missing.png", NULL);
  g_autofree char *says = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_elsewhere = NULL;
  g_autofree char *read_back = NULL;
  ino_t before = inode_of (target);
  struct stat st;

  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_no_error (write_alone (link, "new"));
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  read_back = g_file_read_link (link, NULL);
  g_assert_cmpstr (read_back, ==, target);
  assert_contents (target, "new");
  /* replaced, not written in place: a reader of the old file never saw half of the new one */
  g_assert_cmpuint (inode_of (target), !=, before);

  g_assert_cmpint (symlink (missing, dangling), ==, 0);
  says = g_strdup_printf ("is a symbolic link to “%s”, which does not exist", missing);
  assert_refused (dangling, write_alone (dangling, "data"), says);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, to_fifo), ==, 0);
  g_clear_pointer (&says, g_free);
  says = g_strdup_printf ("is a symbolic link to “%s”, which is not a regular file", fifo);
  assert_refused (to_fifo, write_alone (to_fifo, "data"), says);

  g_assert_cmpint (symlink (elsewhere, to_dir), ==, 0);
  g_clear_pointer (&says, g_free);
  says = g_strdup_printf ("is a symbolic link to “%s”, which is not a regular file", elsewhere);
  assert_refused (to_dir, write_alone (to_dir, "data"), says);

  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "dangling.png link.png to-dir to-fifo");
  listing_elsewhere = list_dir (elsewhere);
  g_assert_cmpstr (listing_elsewhere, ==, "pipe target.png");
  remove_tree (dir);
  remove_tree (elsewhere);
}

/* ---- inputs ---- */

/* --open=a.json --export-trace=…: every way of naming a.json is refused */
static void
test_inputs (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *input = put (dir, "a.json", "the trace");
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *respelled = g_build_filename (dir, "sub", "..", ".", "a.json", NULL);
  g_autofree char *hard = g_build_filename (dir, "hard.json", NULL);
  g_autofree char *soft = g_build_filename (dir, "soft.json", NULL);
  g_autofree char *other = g_build_filename (dir, "other.png", NULL);
  g_autofree char *listing = NULL;
  const char *outputs[] = { input, respelled, hard, soft };
  g_autoptr(LsAtomicGroup) group = ls_atomic_group_new ();
  g_autoptr(GError) error = NULL;
  LsAtomicFile *file;

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_cmpint (link (input, hard), ==, 0);
  g_assert_cmpint (symlink ("a.json", soft), ==, 0);
  ls_atomic_group_add_input (group, input);
  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *expected = g_strdup_printf ("%s: is the same file as the input %s",
                                                   outputs[i], input);

      g_assert_null (ls_atomic_group_add (group, outputs[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);
    }
  /* other outputs are fine */
  file = ls_atomic_group_add (group, other, &error);
  g_assert_no_error (error);
  write_text (file, "image");
  g_assert_true (ls_atomic_group_commit (group, &error));
  g_assert_no_error (error);
  assert_contents (input, "the trace");
  assert_contents (other, "image");
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "a.json hard.json other.png soft.json sub");
  g_clear_pointer (&group, ls_atomic_group_free);
  remove_tree (dir);
}

/* ---- groups ---- */

static void
test_group_commit (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *png = put (dir, "run.png", "old png");
  g_autofree char *svg = put (dir, "run.svg", "old svg");
  g_autofree char *json = g_build_filename (dir, "run.json", NULL);
  g_autofree char *listing = NULL;
  const char *paths[] = { png, svg, json };
  g_autoptr(LsAtomicGroup) group = ls_atomic_group_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      LsAtomicFile *file = ls_atomic_group_add (group, paths[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (ls_atomic_file_get_path (file), ==, paths[i]);
      write_text (file, paths[i]);
    }
  g_assert_cmpuint (ls_atomic_group_get_n_files (group), ==, 3);
  /* nothing shows before the commit */
  assert_contents (png, "old png");
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_assert_true (ls_atomic_group_commit (group, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    assert_contents (paths[i], paths[i]);
  g_clear_pointer (&group, ls_atomic_group_free);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "run.json run.png run.svg");
  remove_tree (dir);
}

/* --export-png=x.png --export-svg=./x.png */
static void
test_group_same_output_twice (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "x.png", NULL);
  g_autofree char *again = g_build_filename (dir, ".", "x.png", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: is the same file as the output %s", again,
                                               path);
  g_autofree char *listing = NULL;
  g_autoptr(LsAtomicGroup) group = ls_atomic_group_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (ls_atomic_group_add (group, path, &error));
  g_assert_null (ls_atomic_group_add (group, again, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_pointer (&group, ls_atomic_group_free);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "");
  remove_tree (dir);
}

/* One output cannot be written (its folder is gone) or has become a pipe
 * by the time of the commit: nothing at all changes. */
static void
test_group_fails_before_commit (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *a = put (dir, "a.png", "old a");
  g_autofree char *b = put (dir, "b.svg", "old b");
  g_autofree char *c = g_build_filename (dir, "c.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "d.json", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(LsAtomicGroup) group = ls_atomic_group_new ();
  g_autoptr(GError) error = NULL;

  write_text (ls_atomic_group_add (group, a, NULL), "new a");
  write_text (ls_atomic_group_add (group, c, NULL), "new c");
  g_assert_null (ls_atomic_group_add (group, missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  write_text (ls_atomic_group_add (group, b, NULL), "new b");
  /* b.svg is now a pipe */
  g_assert_cmpint (g_unlink (b), ==, 0);
  g_assert_cmpint (mkfifo (b, 0600), ==, 0);

  g_assert_false (ls_atomic_group_commit (group, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_pointer (&group, ls_atomic_group_free);
  assert_contents (a, "old a");
  g_assert_false (g_file_test (c, G_FILE_TEST_EXISTS));
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "a.png b.svg");
  remove_tree (dir);
}

/* ---- failures that need a mount of their own ---- */

/* A file bind-mounted over an output: rename () over a mount point fails
 * (EBUSY) in the middle of the commit, after the first outputs are in
 * place. They are put back: the same files, with their old contents; the
 * new one is removed. */
static void
rollback_in_private_mounts (const char *dir)
{
  g_autofree char *a = put (dir, "a.png", "old a");
  g_autofree char *c = g_build_filename (dir, "c.json", NULL);
  g_autofree char *b = put (dir, "b.svg", "old b");
  g_autofree char *cover = put (dir, "cover", "mounted over b.svg");
  g_autofree char *listing = NULL;
  g_autoptr(LsAtomicGroup) group = ls_atomic_group_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  ino_t a_inode = inode_of (a);

  g_assert_true (ls_test_enter_private_mounts ());
  g_assert_cmpint (mount (cover, b, NULL, MS_BIND, NULL), ==, 0);
  assert_contents (b, "mounted over b.svg");

  write_text (ls_atomic_group_add (group, a, NULL), "new a");
  write_text (ls_atomic_group_add (group, c, NULL), "new c");
  write_text (ls_atomic_group_add (group, b, NULL), "new b");
  g_assert_false (ls_atomic_group_commit (group, &error));
  expected = g_strdup_printf ("%s: cannot write: %s", b, g_strerror (EBUSY));
  g_assert_cmpstr (error->message, ==, expected);

  assert_contents (a, "old a");
  g_assert_cmpuint (inode_of (a), ==, a_inode);
  g_assert_false (g_file_test (c, G_FILE_TEST_EXISTS));
  assert_contents (b, "mounted over b.svg");
  g_clear_pointer (&group, ls_atomic_group_free);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "a.png b.svg cover");

  g_assert_cmpint (umount (b), ==, 0);
  assert_contents (b, "old b");
}

/* A read-only file system is reported as one, not as an I/O error */
static void
read_only_in_private_mounts (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: cannot write in “%s”: %s", path, dir,
                                               g_strerror (EROFS));
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_test_enter_private_mounts ());
  g_assert_cmpint (mount ("loopscope-test", dir, "tmpfs", MS_RDONLY, "size=64k"), ==, 0);
  error = write_alone (path, "data");
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (umount (dir), ==, 0);
}

static void
test_in_private_mounts (gconstpointer data)
{
  void (*body) (const char *dir) = data;
  g_autofree char *dir = NULL;
  gboolean can_mount;

  if (g_test_subprocess ())
    {
      dir = g_strdup (g_getenv ("LOOPSCOPE_TEST_DIR"));
      body (dir);
      return;
    }
  dir = make_dir ();
  can_mount = ls_test_can_mount_privately (dir);
  if (!can_mount)
    {
      remove_tree (dir);
      g_test_skip ("needs a private mount namespace (root, or user namespaces enabled)");
      return;
    }
  g_setenv ("LOOPSCOPE_TEST_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LOOPSCOPE_TEST_DIR");
  g_test_trap_assert_passed ();
  remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/atomic-file/new-and-regular", test_new_and_regular);
  g_test_add_func ("/atomic-file/refused/fifo", test_fifo);
  g_test_add_func ("/atomic-file/refused/device", test_device);
  g_test_add_func ("/atomic-file/refused/socket", test_socket);
  g_test_add_func ("/atomic-file/refused/folder", test_folder);
  g_test_add_func ("/atomic-file/symlink", test_symlink);
  g_test_add_func ("/atomic-file/inputs", test_inputs);
  g_test_add_data_func ("/atomic-file/read-only-folder", read_only_in_private_mounts,
                        test_in_private_mounts);
  g_test_add_func ("/atomic-file/group/commit", test_group_commit);
  g_test_add_func ("/atomic-file/group/same-output-twice", test_group_same_output_twice);
  g_test_add_func ("/atomic-file/group/fails-before-commit", test_group_fails_before_commit);
  g_test_add_data_func ("/atomic-file/group/rollback", rollback_in_private_mounts,
                        test_in_private_mounts);
  return g_test_run ();
}
