/* SPDX-License-Identifier: MIT
 *
 * Files on the loop (ls-io.c) and the loop's I/O rules they rely on:
 * completions go through the I/O queue, take no virtual time, enter the
 * ready queue in the order the operations began, and a parked operation
 * lets the virtual clock move.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ls-test-util.h"

#define SECOND G_GINT64_CONSTANT (1000000000) /* ns */

#define MIB (1024 * 1024)

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("loopscope-io-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Lets GIO finish what cancelled tasks left behind. */
static void
drain (LsLoop *loop)
{
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (ls_loop_has_work (loop))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 0);
}

static LsLoop *
virtual_loop (void)
{
  LsLoop *loop = ls_loop_new ();

  return loop;
}

static const LsTraceRecord *
find_io_complete (LsTrace *trace,
                  guint32  io_id)
{
  g_autoptr(GPtrArray) completes = ls_test_find_records (trace, LS_TRACE_IO_COMPLETE);

  for (guint i = 0; i < completes->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (completes, i);

      if (r->object == io_id)
        return r;
    }
  return NULL;
}

/* The id of the I/O whose description is @description. */
static guint32
find_io (LsTrace    *trace,
         const char *description)
{
  g_autoptr(GPtrArray) begins = ls_test_find_records (trace, LS_TRACE_IO_BEGIN);

  for (guint i = 0; i < begins->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (begins, i);

      if (g_strcmp0 (ls_trace_get_string (trace, r->peer), description) == 0)
        return r->object;
    }
  return 0;
}

/* ---- write, append, read back ---- */

static GVariant *
round_trip_main (gpointer data,
                 GError **error)
{
  const char *dir = data;
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *bin = g_build_filename (dir, "data.bin", NULL);
  static const guint8 blob[] = { 0, 1, 2, 0, 255, 254 };
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!ls_file_write_text (path, "第一行\n", error)
      || !ls_file_append (path, "second\n", 7, error)
      || (text = ls_file_read_text (path, error)) == NULL
      || !ls_file_write_all (bin, blob, sizeof blob, error)
      || (bytes = ls_file_read_all (bin, error)) == NULL)
    return NULL;
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), blob, sizeof blob);
  ls_print ("read back at %.3f", ls_loop_time (ls_loop_current ()));
  return g_variant_new_string (text);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *write_desc = g_strconcat ("write ", path, NULL);
  g_autofree char *append_desc = g_strconcat ("append ", path, NULL);
  g_autofree char *read_desc = g_strconcat ("read ", path, NULL);
  g_autoptr(LsLoop) loop = virtual_loop ();
  g_autoptr(LsTask) task = ls_test_run_task (loop, round_trip_main, dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = ls_future_get_result (LS_FUTURE (task), &error);
  LsTrace *trace = ls_loop_get_trace (loop);
  g_autoptr(GPtrArray) suspends = ls_test_find_records (trace, LS_TRACE_TASK_SUSPEND);
  guint32 ids[3];
  guint n_io_waits = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (result, NULL), ==, "第一行\nsecond\n");
  /* the file system costs no scenario time */
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 0);

  ids[0] = find_io (trace, write_desc);
  ids[1] = find_io (trace, append_desc);
  ids[2] = find_io (trace, read_desc);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const LsTraceRecord *done = find_io_complete (trace, ids[i]);

      g_assert_cmpuint (ids[i], !=, 0);
      g_assert_nonnull (done);
      g_assert_cmpint (done->reason, ==, LS_OUTCOME_RESULT);
    }
  /* the task waited on each operation, for the reason "io" */
  for (guint i = 0; i < suspends->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (suspends, i);

      if (r->reason == LS_WAIT_IO)
        {
          g_assert_cmpuint (r->subject, ==, ls_task_get_id (task));
          n_io_waits++;
        }
    }
  g_assert_cmpuint (n_io_waits, ==, 5);
  drain (loop);
  remove_temp_dir (dir);
}

/* ---- three files at once ---- */

typedef struct
{
  const char *dir;
  int         index;
} ReadJob;

static GVariant *
read_one (gpointer data,
          GError **error)
{
  ReadJob *job = data;
  g_autofree char *name = g_strdup_printf ("file%d.txt", job->index);
  g_autofree char *path = g_build_filename (job->dir, name, NULL);
  g_autofree char *text = ls_file_read_text (path, error);

  if (text == NULL)
    return NULL;
  ls_print ("file%d: %zu bytes", job->index, strlen (text));
  return g_variant_new_string (text);
}

static GVariant *
concurrent_main (gpointer data,
                 GError **error)
{
  ReadJob *jobs = data;
  LsFuture *tasks[3];
  g_autoptr(GPtrArray) results = NULL;

  for (int i = 0; i < 3; i++)
    tasks[i] = LS_FUTURE (ls_task_create (NULL, read_one, &jobs[i], NULL));
  results = ls_gather (tasks, 3, FALSE, error);
  for (int i = 0; i < 3; i++)
    ls_future_unref (tasks[i]);
  if (results == NULL)
    return NULL;
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GVariant) r = ls_future_get_result (g_ptr_array_index (results, i), NULL);
      g_autofree char *expected = g_strnfill ((gsize) (i + 1) * 1000, (char) ('a' + i));

      g_assert_cmpstr (g_variant_get_string (r, NULL), ==, expected);
    }
  return NULL;
}

static LsLoop *
run_concurrent (const char *dir)
{
  LsLoop *loop = virtual_loop ();
  ReadJob jobs[3] = { { dir, 0 }, { dir, 1 }, { dir, 2 } };
  g_autoptr(LsTask) task = ls_test_run_task (loop, concurrent_main, jobs);
  g_autoptr(GPtrArray) completes = ls_test_find_records (ls_loop_get_trace (loop), LS_TRACE_IO_COMPLETE);

  g_assert_no_error (ls_future_get_exception (LS_FUTURE (task)));
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 0);
  /* all three finish together on the virtual clock, in the order the reads
   * began, whichever GIO finished first */
  g_assert_cmpuint (completes->len, ==, 3);
  for (guint i = 1; i < completes->len; i++)
    g_assert_cmpuint (((LsTraceRecord *) g_ptr_array_index (completes, i - 1))->object, <,
                      ((LsTraceRecord *) g_ptr_array_index (completes, i))->object);
  drain (loop);
  return loop;
}

static void
test_concurrent_reads (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(LsLoop) a = NULL;
  g_autoptr(LsLoop) b = NULL;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("file%d.txt", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = g_strnfill ((gsize) (i + 1) * 1000, (char) ('a' + i));

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
    }
  a = run_concurrent (dir);
  b = run_concurrent (dir);
  g_assert_true (ls_trace_equal (ls_loop_get_trace (a), ls_loop_get_trace (b)));
  remove_temp_dir (dir);
}

/* A read that begins first but takes longer still completes first on the
 * virtual clock: completions wait for the I/O in flight to settle and then
 * enter in the order the operations began. */
static GVariant *
slow_then_fast_main (gpointer data,
                     GError **error)
{
  ReadJob *jobs = data;
  LsFuture *tasks[2];
  g_autoptr(GPtrArray) results = NULL;

  tasks[0] = LS_FUTURE (ls_task_create ("big", read_one, &jobs[0], NULL));
  tasks[1] = LS_FUTURE (ls_task_create ("small", read_one, &jobs[1], NULL));
  results = ls_gather (tasks, 2, FALSE, error);
  ls_future_unref (tasks[0]);
  ls_future_unref (tasks[1]);
  return NULL;
}

static void
test_completion_order (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *big = g_build_filename (dir, "file0.txt", NULL);
  g_autofree char *small = g_build_filename (dir, "file1.txt", NULL);
  g_autofree char *big_text = g_strnfill (32 * MIB, 'x');
  g_autoptr(LsLoop) loop = virtual_loop ();
  ReadJob jobs[2] = { { dir, 0 }, { dir, 1 } };
  g_autoptr(LsTask) task = NULL;
  g_autoptr(GPtrArray) completes = NULL;
  g_autoptr(GPtrArray) prints = NULL;
  const LsTraceRecord *first;
  LsTrace *trace = ls_loop_get_trace (loop);

  g_assert_true (g_file_set_contents (big, big_text, -1, NULL));
  g_assert_true (g_file_set_contents (small, "tiny", -1, NULL));
  task = ls_test_run_task (loop, slow_then_fast_main, jobs);
  completes = ls_test_find_records (trace, LS_TRACE_IO_COMPLETE);
  prints = ls_test_find_records (trace, LS_TRACE_PRINT);
  g_assert_cmpuint (completes->len, ==, 2);
  g_assert_cmpuint (((LsTraceRecord *) g_ptr_array_index (completes, 0))->object, <,
                    ((LsTraceRecord *) g_ptr_array_index (completes, 1))->object);
  g_assert_cmpuint (prints->len, ==, 2);
  first = g_ptr_array_index (prints, 0);
  g_assert_true (g_str_has_prefix (ls_trace_get_string (trace, first->peer), "file0"));
  drain (loop);
  remove_temp_dir (dir);
}

/* ---- errors ---- */

static GVariant *
missing_main (gpointer data,
              GError **error)
{
  g_autofree char *text = ls_file_read_text (data, error);

  g_assert_null (text);
  return NULL;
}

static void
test_missing_file (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "missing.txt", NULL);
  g_autofree char *read_desc = g_strconcat ("read ", path, NULL);
  g_autofree char *message = g_strdup_printf ("[Errno 2] No such file or directory: '%s'", path);
  g_autoptr(LsLoop) loop = virtual_loop ();
  g_autoptr(LsTask) task = ls_test_run_task (loop, missing_main, path);
  const GError *error = ls_future_get_exception (LS_FUTURE (task));
  const LsTraceRecord *done;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (ls_error_get_python_name (error), ==, "FileNotFoundError");
  g_assert_cmpstr (error->message, ==, message);
  done = find_io_complete (ls_loop_get_trace (loop), find_io (ls_loop_get_trace (loop), read_desc));
  g_assert_nonnull (done);
  g_assert_cmpint (done->reason, ==, LS_OUTCOME_FAILED);
  drain (loop);
  remove_temp_dir (dir);
}

static GVariant *
not_utf8_main (gpointer data,
               GError **error)
{
  g_autofree char *text = NULL;

  if (!ls_file_write_all (data, "ab\xff", 3, error))
    return NULL;
  text = ls_file_read_text (data, error);
  g_assert_null (text);
  return NULL;
}

static void
test_not_utf8 (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "latin1.txt", NULL);
  g_autoptr(LsLoop) loop = virtual_loop ();
  g_autoptr(LsTask) task = ls_test_run_task (loop, not_utf8_main, path);
  const GError *error = ls_future_get_exception (LS_FUTURE (task));

  g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
  g_assert_cmpstr (ls_error_get_python_name (error), ==, "UnicodeDecodeError");
  g_assert_cmpstr (error->message, ==,
                   "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte");
  drain (loop);
  remove_temp_dir (dir);
}

/* ---- cancellation ---- */

typedef struct
{
  char    *path;
  guint32  io_id;
} CancelState;

static GVariant *
big_reader (gpointer data,
            GError **error)
{
  CancelState *s = data;
  g_autoptr(GBytes) bytes = ls_file_read_all (s->path, error);

  g_assert_null (bytes);
  return NULL;
}

static GVariant *
cancel_main (gpointer data,
             GError **error)
{
  CancelState *s = data;
  LsLoop *loop = ls_loop_current ();
  g_autoptr(LsTask) reader = ls_task_create ("reader", big_reader, s, NULL);
  g_autoptr(GVariant) r = NULL;
  GError *local_error = NULL;

  if (!ls_sleep (0, error))
    return NULL;
  /* the reader has begun; GIO is working on it */
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 1);
  ls_task_cancel (reader, NULL);
  r = ls_task_await (reader, &local_error);
  g_assert_true (ls_error_is_cancelled (local_error));
  g_clear_error (&local_error);
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (reader)));
  return NULL;
}

static void
test_cancel_mid_read (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *big_text = g_strnfill (32 * MIB, 'y');
  CancelState s = { g_build_filename (dir, "big.txt", NULL), 0 };
  g_autofree char *read_desc = g_strconcat ("read ", s.path, NULL);
  g_autoptr(LsLoop) loop = virtual_loop ();
  g_autoptr(LsTask) task = NULL;
  const LsTraceRecord *done;

  g_assert_true (g_file_set_contents (s.path, big_text, -1, NULL));
  task = ls_test_run_task (loop, cancel_main, &s);
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (task)));
  /* GIO stops; its completion still closes the operation */
  drain (loop);
  done = find_io_complete (ls_loop_get_trace (loop), find_io (ls_loop_get_trace (loop), read_desc));
  g_assert_nonnull (done);
  g_assert_cmpint (done->reason, ==, LS_OUTCOME_FAILED);
  g_free (s.path);
  remove_temp_dir (dir);
}

/* ---- closing the loop while a read is in flight ---- */

typedef struct
{
  char    *path;
  gboolean cleaned;
  gboolean raised_cancelled;
} CloseState;

/* A g_autoptr cleanup that reports it ran */
typedef struct
{
  gboolean *ran;
} Marker;

static Marker *
marker_new (gboolean *ran)
{
  Marker *marker = g_new (Marker, 1);

  marker->ran = ran;
  return marker;
}

static void
marker_free (Marker *marker)
{
  *marker->ran = TRUE;
  g_free (marker);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Marker, marker_free)

static GVariant *
read_until_closed (gpointer data,
                   GError **error)
{
  CloseState *s = data;
  g_autoptr(Marker) marker = marker_new (&s->cleaned);
  g_autoptr(GBytes) bytes = NULL;

  if ((bytes = ls_file_read_all (s->path, error)) == NULL)
    s->raised_cancelled = ls_error_is_cancelled (*error);
  return NULL;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The task is unwound at once (the operation is cancelled, not awaited);
 * the loop lives on while GIO still holds the operation, and goes when
 * GIO lets go of it. */
static void
test_close_mid_read (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *big_text = g_strnfill (32 * MIB, 'z');
  CloseState s = { g_build_filename (dir, "big.txt", NULL), FALSE, FALSE };
  LsLoop *loop = virtual_loop ();
  g_autoptr(LsTask) task = NULL;
  gint64 give_up;
  guint tick_id;

  g_assert_true (g_file_set_contents (s.path, big_text, -1, NULL));
  task = ls_task_new (loop, "reader", read_until_closed, &s, NULL);
  g_assert_true (ls_loop_step (loop));
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 1);

  ls_loop_close (loop);
  g_assert_true (s.cleaned);
  g_assert_true (s.raised_cancelled);
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (task)));
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 0);

  g_object_add_weak_pointer (G_OBJECT (loop), (gpointer *) &loop);
  g_object_unref (loop);
  give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  tick_id = g_timeout_add (10, tick, NULL);
  while (loop != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick_id);
  g_free (s.path);
  remove_temp_dir (dir);
}

/* ---- parking, on the loop alone ---- */

typedef struct
{
  LsLoop   *loop;
  guint32   io_id;
  LsFuture *done;
  gint64    completed_at;
  gboolean  reached;
} FakeIo;

static void
fake_io_handle (gpointer a,
                gpointer b)
{
  FakeIo *io = a;

  ls_future_set_result (io->done, NULL, NULL);
}

static void
fake_io_complete (FakeIo *io)
{
  io->completed_at = ls_loop_time_ns (io->loop);
  ls_loop_io_complete (io->loop, io->io_id, TRUE, fake_io_handle, io, NULL);
}

static void
fake_io_park_done (gpointer data,
                   gboolean reached)
{
  FakeIo *io = data;

  io->reached = reached;
  fake_io_complete (io);
}

static gboolean
fake_io_real_done (gpointer data)
{
  fake_io_complete (data);
  return G_SOURCE_REMOVE;
}

static GVariant *
park_sleeper (gpointer data,
              GError **error)
{
  ls_sleep (1.0, error);
  return NULL;
}

static GVariant *
park_main (gpointer data,
           GError **error)
{
  FakeIo *ios = data;
  LsLoop *loop = ls_loop_current ();
  g_autoptr(LsTask) sleeper = ls_task_create ("sleeper", park_sleeper, NULL, NULL);
  g_autoptr(GVariant) r = NULL;

  for (int i = 0; i < 2; i++)
    {
      ios[i].loop = loop;
      ios[i].io_id = ls_loop_io_begin (loop, i == 0 ? "parked" : "real");
      ios[i].done = ls_future_new (loop, "io");
    }
  /* a peer holds the first until 2.0; the second takes 30 ms of real time */
  g_assert_cmpuint (ls_loop_io_park (loop, ios[0].io_id, 2 * SECOND,
                                     fake_io_park_done, &ios[0]), !=, 0);
  g_timeout_add (30, fake_io_real_done, &ios[1]);
  r = ls_future_await (ios[1].done, error);
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 0);
  r = ls_task_await (sleeper, error);
  g_assert_cmpint (ls_loop_time_ns (loop), ==, SECOND);
  r = ls_future_await (ios[0].done, error);
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 2 * SECOND);
  return NULL;
}

/* While one operation is parked and another is in flight for real, the
 * clock stays; once only parked ones are left it jumps, to the sleeper's
 * deadline first and then to the park's. */
static void
test_park (void)
{
  g_autoptr(LsLoop) loop = virtual_loop ();
  FakeIo ios[2] = { { 0 } };
  g_autoptr(LsTask) task = ls_test_run_task (loop, park_main, ios);

  g_assert_no_error (ls_future_get_exception (LS_FUTURE (task)));
  g_assert_cmpint (ios[1].completed_at, ==, 0);
  g_assert_true (ios[0].reached);
  g_assert_cmpint (ios[0].completed_at, ==, 2 * SECOND);
  /* parking an operation no longer in flight does nothing */
  g_assert_cmpuint (ls_loop_io_park (loop, ios[0].io_id, 0, fake_io_park_done, &ios[0]), ==, 0);
  for (int i = 0; i < 2; i++)
    ls_future_unref (ios[i].done);
  drain (loop);
}

static void
fake_io_note (gpointer data,
              gboolean reached)
{
  FakeIo *io = data;

  io->reached = reached;
}

static GVariant *
abandoned_main (gpointer data,
                GError **error)
{
  FakeIo *io = data;
  LsLoop *loop = ls_loop_current ();

  io->loop = loop;
  io->io_id = ls_loop_io_begin (loop, "abandoned");
  io->done = ls_future_new (loop, "io");
  io->reached = TRUE;
  ls_loop_io_park (loop, io->io_id, 5 * SECOND, fake_io_note, io);
  /* the operation completes before its park ends: the park is dropped */
  ls_loop_io_complete (loop, io->io_id, FALSE, fake_io_handle, io, NULL);
  return NULL;
}

static void
test_park_dropped (void)
{
  g_autoptr(LsLoop) loop = virtual_loop ();
  FakeIo io = { 0 };
  g_autoptr(LsTask) task = NULL;

  task = ls_task_new (loop, "main", abandoned_main, &io, NULL);
  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (task), NULL));
  g_assert_false (io.reached);
  drain (loop);
  /* no jump to 5.0 happened for a park nobody waits on */
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 0);
  ls_future_unref (io.done);

  /* io id 0: a plain wake-up on the scenario clock */
  io.reached = FALSE;
  g_assert_cmpuint (ls_loop_io_park (loop, 0, 3 * SECOND, fake_io_note, &io), !=, 0);
  drain (loop);
  g_assert_true (io.reached);
  g_assert_cmpint (ls_loop_time_ns (loop), ==, 3 * SECOND);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/io/file/round-trip", test_round_trip);
  g_test_add_func ("/io/file/concurrent-reads", test_concurrent_reads);
  g_test_add_func ("/io/file/completion-order", test_completion_order);
  g_test_add_func ("/io/file/missing", test_missing_file);
  g_test_add_func ("/io/file/not-utf8", test_not_utf8);
  g_test_add_func ("/io/file/cancel-mid-read", test_cancel_mid_read);
  g_test_add_func ("/io/file/close-mid-read", test_close_mid_read);
  g_test_add_func ("/io/loop/park", test_park);
  g_test_add_func ("/io/loop/park-dropped", test_park_dropped);

  return g_test_run ();
}
