/* SPDX-License-Identifier: MIT
 *
 * CPython programs under Loopscope's tracer, from the outside:
 *
 *  - the record stream reader takes bytes in pieces of any size and refuses
 *    every kind of malformed input with an error naming it, appending
 *    nothing after the first bad frame or record;
 *  - a run: exit statuses and uncaught exceptions, programs that cannot
 *    start (no file, a syntax error, no python3, one too old, no tracer),
 *    its private folder (the program's files land there, never next to
 *    it, and it is removed), stopping (the whole process group goes),
 *    pausing, real time (a callback that holds the loop is a blocked band),
 *    the paced virtual clock, a program that writes garbage on the stream
 *    or dies;
 *  - a session holding a CPython run;
 *  - the command line: --python with --console and the exports, and every
 *    way it refuses bad input (one line on stderr, exit status 2);
 *  - the tracer's constants are runtime/ls-trace.h's enums.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ls-loop.h"
#include "ls-scenario.h"
#include "ls-session.h"
#include "ls-test-python.h"
#include "ls-trace-stream.h"

/* ---- building streams ------------------------------------------------------------ */

static void
put_u32 (GByteArray *b,
         guint32     v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put_u16 (GByteArray *b,
         guint16     v)
{
  v = GUINT16_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &v, 2);
}

static void
put_i64 (GByteArray *b,
         gint64      v)
{
  guint64 u = GUINT64_TO_LE ((guint64) v);

  g_byte_array_append (b, (const guint8 *) &u, 8);
}

static GByteArray *
stream_header (void)
{
  GByteArray *b = g_byte_array_new ();

  g_byte_array_append (b, (const guint8 *) "LSTRACE\0", 8);
  put_u32 (b, 1);
  put_u32 (b, 1);
  return b;
}

static void
put_string (GByteArray *b,
            guint32     id,
            const char *text)
{
  put_u32 (b, 1);
  put_u32 (b, 4 + (guint32) strlen (text));
  put_u32 (b, id);
  g_byte_array_append (b, (const guint8 *) text, strlen (text));
}

/* A RECORDS frame of one record */
static void
put_record (GByteArray *b,
            gint64      time,
            guint16     kind,
            guint16     reason,
            guint32     subject,
            guint32     object,
            guint32     peer,
            gint64      arg)
{
  put_u32 (b, 2);
  put_u32 (b, 32);
  put_i64 (b, time);
  put_u16 (b, kind);
  put_u16 (b, reason);
  put_u32 (b, subject);
  put_u32 (b, object);
  put_u32 (b, peer);
  put_i64 (b, arg);
}

static void
put_end (GByteArray *b,
         int         status,
         guint32     flags,
         gint64      time,
         const char *text)
{
  put_u32 (b, 3);
  put_u32 (b, 16 + (guint32) strlen (text));
  put_u32 (b, (guint32) status);
  put_u32 (b, flags);
  put_i64 (b, time);
  g_byte_array_append (b, (const guint8 *) text, strlen (text));
}

/* A small valid stream: a named task that prints and ends */
static GByteArray *
valid_stream (void)
{
  GByteArray *b = stream_header ();

  put_u32 (b, 4);
  put_u32 (b, 14);
  g_byte_array_append (b, (const guint8 *) "CPython 3.11.7", 14);
  put_string (b, 1, "main");
  put_string (b, 2, "你好");
  put_record (b, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, 1, 1, 0);
  put_record (b, 0, LS_TRACE_READY_PUSH, LS_HANDLE_TASK_STEP, 1, 1, 0, 0);
  put_record (b, 0, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0, 1, 0, 1);
  put_record (b, 0, LS_TRACE_HANDLE_RUN, LS_HANDLE_TASK_STEP, 1, 1, 0, 0);
  put_record (b, 5, LS_TRACE_PRINT, 0, 1, 0, 2, 0);
  put_record (b, 5, LS_TRACE_TASK_DONE, LS_OUTCOME_RESULT, 1, 0, 0, 0);
  put_record (b, 5, LS_TRACE_LOOP_ITERATION_END, 0, 0, 0, 0, 1);
  put_end (b, 1, LS_TRACE_STREAM_END_RAISED, 7, "ValueError: boom");
  return b;
}

static void
test_stream_valid_in_pieces (void)
{
  g_autoptr(GByteArray) b = valid_stream ();
  const gsize pieces[] = { 1, 3, 7, 32, 4096 };

  for (guint p = 0; p < G_N_ELEMENTS (pieces); p++)
    {
      g_autoptr(LsTrace) trace = ls_trace_new ();
      g_autoptr(LsTraceStream) stream = ls_trace_stream_new (trace);
      g_autoptr(GError) error = NULL;

      for (gsize off = 0; off < b->len; off += pieces[p])
        g_assert_true (ls_trace_stream_feed (stream, b->data + off,
                                             MIN (pieces[p], b->len - off), &error));
      g_assert_true (ls_trace_stream_finish (stream, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (ls_trace_get_n_records (trace), ==, 7);
      g_assert_cmpuint (ls_trace_get_n_strings (trace), ==, 3);
      g_assert_cmpstr (ls_trace_get_string (trace, 2), ==, "你好");
      g_assert_true (ls_trace_stream_get_virtual (stream));
      g_assert_cmpstr (ls_trace_stream_get_info (stream), ==, "CPython 3.11.7");
      g_assert_true (ls_trace_stream_has_end (stream));
      g_assert_cmpint (ls_trace_stream_get_status (stream), ==, 1);
      g_assert_cmpuint (ls_trace_stream_get_end_flags (stream), ==, LS_TRACE_STREAM_END_RAISED);
      g_assert_cmpint (ls_trace_stream_get_end_time (stream), ==, 7);
      g_assert_cmpstr (ls_trace_stream_get_end_text (stream), ==, "ValueError: boom");
    }
}

typedef void (*Mutation) (GByteArray *b);

typedef struct
{
  const char *name;
  Mutation    build;      /* appends to a stream that has its header (and "main" as string 1) */
  const char *says;       /* in the error message */
  guint       n_records;  /* records appended before the error */
  gboolean    at_finish;  /* the error only shows when the stream ends */
} BadStream;

static void
bad_magic (GByteArray *b)
{
  b->data[0] = 'X';
}

static void
bad_version (GByteArray *b)
{
  b->data[8] = 2;
}

static void
unknown_frame (GByteArray *b)
{
  put_u32 (b, 9);
  put_u32 (b, 0);
}

static void
huge_frame (GByteArray *b)
{
  put_u32 (b, 2);
  put_u32 (b, 64 * 1024 * 1024);
}

static void
odd_records (GByteArray *b)
{
  put_u32 (b, 2);
  put_u32 (b, 31);
  for (guint i = 0; i < 31; i++)
    g_byte_array_append (b, (const guint8 *) "", 1);
}

static void
string_out_of_order (GByteArray *b)
{
  put_string (b, 5, "five");
}

static void
string_repeated (GByteArray *b)
{
  put_string (b, 2, "main");
}

static void
string_not_utf8 (GByteArray *b)
{
  put_string (b, 2, "\xff\xfe");
}

static void
string_with_nul (GByteArray *b)
{
  put_u32 (b, 1);
  put_u32 (b, 7);
  put_u32 (b, 2);
  g_byte_array_append (b, (const guint8 *) "a\0b", 3);
}

static void
unknown_kind (GByteArray *b)
{
  put_record (b, 0, 99, 0, 0, 0, 0, 0);
}

static void
negative_time (GByteArray *b)
{
  put_record (b, -1, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0, 0, 0, 1);
}

static void
time_goes_back (GByteArray *b)
{
  put_record (b, 10, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0, 0, 0, 1);
  put_record (b, 9, LS_TRACE_LOOP_ITERATION_END, 0, 0, 0, 0, 1);
}

static void
reason_out_of_range (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_TASK_SUSPEND, LS_N_WAIT_REASONS, 0, 0, 0, -1);
}

static void
missing_string (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_PRINT, 0, 0, 0, 7, 0);
}

static void
task_never_created (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, 1, 1, 0);
  put_record (b, 0, LS_TRACE_TASK_SUSPEND, LS_WAIT_SLEEP, 7, 0, 0, -1);
}

static void
created_twice (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, 1, 1, 0);
  put_record (b, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_LOCK, 0, 1, 0, 1);
}

static void
not_a_primitive (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, 1, 1, 0);
  put_record (b, 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_ACQUIRED, 1, 1, 0, 1);
}

static void
timer_twice (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_TIMER_ADD, LS_WAIT_SLEEP, 0, 3, 0, 10);
  put_record (b, 0, LS_TRACE_TIMER_ADD, LS_WAIT_SLEEP, 0, 3, 0, 10);
}

static void
after_end (GByteArray *b)
{
  put_end (b, 0, 0, 0, "");
  put_string (b, 2, "late");
}

static void
cut_mid_frame (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0, 0, 0, 1);
  g_byte_array_set_size (b, b->len - 5);
}

static void
no_end (GByteArray *b)
{
  put_record (b, 0, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0, 0, 0, 1);
}

static void
test_stream_malformed (void)
{
  const BadStream cases[] = {
    { "bad magic", bad_magic, "not a Loopscope record stream", 0, FALSE },
    { "bad version", bad_version, "format 2", 0, FALSE },
    { "unknown frame", unknown_frame, "unknown frame type 9", 0, FALSE },
    { "huge frame", huge_frame, "more than a frame may hold", 0, FALSE },
    { "odd records", odd_records, "not a whole number", 0, FALSE },
    { "string out of order", string_out_of_order, "string 5 where string 2 comes next", 0,
      FALSE },
    { "string repeated", string_repeated, "repeats string 1", 0, FALSE },
    { "string not UTF-8", string_not_utf8, "not UTF-8", 0, FALSE },
    { "string with NUL", string_with_nul, "not UTF-8", 0, FALSE },
    { "unknown kind", unknown_kind, "unknown kind 99", 0, FALSE },
    { "negative time", negative_time, "negative time", 0, FALSE },
    { "time goes back", time_goes_back, "earlier than the record before", 1, FALSE },
    { "reason out of range", reason_out_of_range, "out of range", 0, FALSE },
    { "missing string", missing_string, "string 7 does not exist", 0, FALSE },
    { "task never created", task_never_created, "task 7 was never created", 1, FALSE },
    { "created twice", created_twice, "created a second time", 1, FALSE },
    { "not a primitive", not_a_primitive, "not a lock", 1, FALSE },
    { "timer twice", timer_twice, "added a second time", 1, FALSE },
    { "after the end", after_end, "after the end frame", 0, FALSE },
    { "cut mid-frame", cut_mid_frame, "middle of a frame", 0, TRUE },
    { "no end", no_end, "before its end", 1, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = stream_header ();
      g_autoptr(LsTrace) trace = ls_trace_new ();
      g_autoptr(LsTraceStream) stream = ls_trace_stream_new (trace);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) again = NULL;
      gboolean fed;

      put_string (b, 1, "main");
      cases[i].build (b);
      fed = ls_trace_stream_feed (stream, b->data, b->len, &error);
      if (cases[i].at_finish)
        {
          g_assert_true (fed);
          g_assert_no_error (error);
          g_assert_false (ls_trace_stream_finish (stream, &error));
          g_assert_error (error, LS_TRACE_STREAM_ERROR, LS_TRACE_STREAM_ERROR_TRUNCATED);
        }
      else
        {
          if (fed)
            g_error ("%s: accepted", cases[i].name);
          g_assert_error (error, LS_TRACE_STREAM_ERROR, LS_TRACE_STREAM_ERROR_MALFORMED);
          /* and once broken, it stays broken */
          g_assert_false (ls_trace_stream_feed (stream, (const guint8 *) "x", 1, &again));
          g_assert_error (again, LS_TRACE_STREAM_ERROR, LS_TRACE_STREAM_ERROR_MALFORMED);
          g_assert_false (ls_trace_stream_finish (stream, NULL));
        }
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].name, error->message, cases[i].says);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_cmpuint (ls_trace_get_n_records (trace), ==, cases[i].n_records);
    }
}

static void
test_stream_empty (void)
{
  g_autoptr(LsTrace) trace = ls_trace_new ();
  g_autoptr(LsTraceStream) stream = ls_trace_stream_new (trace);
  g_autoptr(GError) error = NULL;

  g_assert_false (ls_trace_stream_finish (stream, &error));
  g_assert_error (error, LS_TRACE_STREAM_ERROR, LS_TRACE_STREAM_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "empty"));
}

/* Random bytes after a valid header: an error or nothing, never a crash,
 * and whatever reached the trace replays without complaint */
static void
test_stream_noise (void)
{
  GRand *rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GByteArray) b = valid_stream ();
      g_autoptr(LsTrace) trace = ls_trace_new ();
      g_autoptr(LsTraceStream) stream = ls_trace_stream_new (trace);
      guint flips = g_rand_int_range (rand, 1, 8);

      for (guint f = 0; f < flips; f++)
        b->data[g_rand_int_range (rand, 0, (int) b->len)] = (guint8) g_rand_int (rand);
      if (ls_trace_stream_feed (stream, b->data, b->len, NULL))
        ls_trace_stream_finish (stream, NULL);
      {
        g_autoptr(LsInterpreter) interpreter = ls_interpreter_new (trace);

        g_assert_nonnull (ls_interpreter_get_state (interpreter));
      }
    }
  g_rand_free (rand);
}

/* ---- runs -------------------------------------------------------------------------- */

static char *
write_program (const char *dir,
               const char *name,
               const char *source)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, source, -1, NULL));
  return path;
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("loopscope-test-python-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_cmpint (system (command), ==, 0);
}

/* Runs @source to its end; returns the run (finished) */
static LsPythonRun *
run_source (const char *dir,
            const char *source,
            double      speed)
{
  g_autofree char *path = write_program (dir, "program.py", source);
  LsPythonRun *run = ls_python_run_new (path, NULL, speed);

  ls_python_run_run_to_end (run, NULL);
  g_assert_true (ls_python_run_get_finished (run));
  return run;
}

static char *
console_of (LsPythonRun *run)
{
  g_autoptr(GString) out = g_string_new (NULL);
  LsTrace *trace = ls_python_run_get_trace (run);

  ls_console_append (out, trace, 0, ls_trace_get_n_records (trace));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_run_statuses (void)
{
  g_autofree char *dir = make_dir ();
  struct { const char *source; int status; const char *exception; } cases[] = {
    { "print('fine')\n", 0, NULL },
    { "import asyncio\nasync def main():\n    await asyncio.sleep(1)\n"
      "    raise ValueError('boom')\nasyncio.run(main())\n", 1, "ValueError: boom" },
    { "import sys\nsys.exit(3)\n", 3, "SystemExit: 3" },
    { "import sys\nsys.exit(0)\n", 0, NULL },
    { "import os\nprint('bye')\nos._exit(4)\n", 4, "os._exit(4)" },
    { "raise KeyboardInterrupt\n", 1, "KeyboardInterrupt" },
    /* on the virtual clock, a wait that nothing can end is said, not waited */
    { "import asyncio\nasync def main():\n    await asyncio.get_running_loop().create_future()\n"
      "asyncio.run(main())\n", 1,
      "loopscope_trace.VirtualClockDeadlock: nothing is ready, no timer is pending and nothing "
      "is in flight: on the virtual clock the program would wait forever" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LsPythonRun) run = run_source (dir, cases[i].source, LS_LOOP_INSTANT);

      g_assert_no_error ((GError *) ls_python_run_get_error (run));
      g_assert_cmpint (ls_python_run_get_exit_status (run), ==, cases[i].status);
      g_assert_cmpstr (ls_python_run_get_exception (run), ==, cases[i].exception);
      g_assert_true (g_str_has_prefix (ls_python_run_get_python_version (run), "CPython 3."));
    }
  {
    /* the last line written before os._exit () is not lost */
    g_autoptr(LsPythonRun) run = run_source (dir, cases[4].source, LS_LOOP_INSTANT);
    g_autofree char *console = console_of (run);

    g_assert_cmpstr (console, ==, "[   0.000] bye\n");
  }
  remove_dir (dir);
}

static void
test_run_not_started (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *bad = write_program (dir, "bad.py", "x = 1\ndef f(:\n    pass\n");
  g_autofree char *missing = g_build_filename (dir, "missing.py", NULL);
  struct { const char *path; int code; const char *says; } cases[] = {
    { bad, LS_PYTHON_RUN_ERROR_NOT_STARTED, "bad.py:2: SyntaxError: " },
    { missing, LS_PYTHON_RUN_ERROR_NOT_STARTED, "missing.py: no such file" },
    { dir, LS_PYTHON_RUN_ERROR_NOT_STARTED, "not a Python program file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LsPythonRun) run = ls_python_run_new (cases[i].path, NULL, LS_LOOP_INSTANT);
      g_autoptr(GError) error = NULL;

      g_assert_false (ls_python_run_run_to_end (run, &error));
      g_assert_error (error, LS_PYTHON_RUN_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].says);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_true (ls_python_run_get_finished (run));
    }
  remove_dir (dir);
}

/* No python3, one too old, no tracer: said at once, nothing runs */
static void
test_run_no_python (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *program = write_program (dir, "p.py", "print('x')\n");
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *old_source =
    g_strdup_printf ("#!/bin/sh\n"
                     "# a Python older than the tracer needs, as far as it can tell\n"
                     "shift 2\n"
                     "exec '%s' -c 'import sys, runpy; sys.version_info = (3, 8, 10, \"final\", 0)\n"
                     "sys.argv[0] = \"loopscope_trace\"\n"
                     "runpy.run_module(\"loopscope_trace\", run_name=\"__main__\")' \"$@\"\n",
                     python);
  g_autofree char *old = write_program (dir, "python3-old", old_source);

  g_assert_cmpint (chmod (old, 0755), ==, 0);
  {
    g_autoptr(LsPythonRun) run = ls_python_run_new (program, NULL, LS_LOOP_INSTANT);
    g_autoptr(GError) error = NULL;

    ls_python_run_set_python (run, "/nonexistent/python3");
    g_assert_false (ls_python_run_run_to_end (run, &error));
    g_assert_error (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NO_PYTHON);
    g_assert_nonnull (strstr (error->message, "python3 was not found"));
  }
  {
    g_autoptr(LsPythonRun) run = ls_python_run_new (program, NULL, LS_LOOP_INSTANT);
    g_autoptr(GError) error = NULL;

    ls_python_run_set_python (run, old);
    g_assert_false (ls_python_run_run_to_end (run, &error));
    g_assert_error (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NOT_STARTED);
    g_assert_nonnull (strstr (error->message, "Python 3.11 or newer"));
    g_assert_nonnull (strstr (error->message, "this is cpython 3.8.10"));
  }
  {
    g_autoptr(LsPythonRun) run = ls_python_run_new (program, NULL, LS_LOOP_INSTANT);
    g_autoptr(GError) error = NULL;

    ls_python_run_set_tracer_dir (run, dir);
    g_assert_false (ls_python_run_run_to_end (run, &error));
    g_assert_error (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NO_TRACER);
  }
  remove_dir (dir);
}

/* The program runs in a folder of its own, which is removed at the end;
 * nothing is written next to it, not even bytecode of its own modules */
static void
test_run_folder (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *helper = write_program (dir, "helper.py", "VALUE = 42\n");
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import os, sys, helper\n"
                "open('out.txt', 'w').write('x')\n"
                "print(os.getcwd())\n"
                "print(os.path.exists('out.txt'), helper.VALUE, sys.argv[0].endswith('program.py'))\n",
                LS_LOOP_INSTANT);
  g_autofree char *console = console_of (run);
  g_auto(GStrv) lines = g_strsplit (console, "\n", -1);
  const char *folder = lines[0] + strlen ("[   0.000] ");
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpstr (lines[1], ==, "[   0.000] True 42 True");
  g_assert_true (g_str_has_prefix (folder, g_get_tmp_dir ()));
  g_assert_nonnull (strstr (folder, "loopscope-python-"));
  g_assert_cmpstr (folder, !=, dir);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_assert_null (ls_python_run_get_folder (run));
  /* the program's folder holds what it held */
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_true (g_str_equal (name, "program.py") || g_str_equal (name, "helper.py"));
  remove_dir (dir);
}

static gboolean
process_gone (int pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return TRUE;
  /* a zombie waiting for its reaper is gone too */
  if (g_file_get_contents (stat_path, &stat, NULL, NULL))
    {
      const char *end = strrchr (stat, ')');

      return end != NULL && end[1] == ' ' && end[2] == 'Z';
    }
  return TRUE;
}

static int
first_print_number (LsTrace *trace)
{
  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == LS_TRACE_PRINT)
        return atoi (ls_trace_get_string (trace, r->peer));
    }
  return 0;
}

/* Stopping kills the process group: the program and what it started */
static void
test_run_stop (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path =
    write_program (dir, "forever.py",
                   "import asyncio, subprocess\n"
                   "child = subprocess.Popen(['sleep', '600'])\n"
                   "print(child.pid)\n"
                   "async def main():\n"
                   "    while True:\n"
                   "        await asyncio.sleep(0.01)\n"
                   "asyncio.run(main())\n");
  g_autoptr(LsPythonRun) run = ls_python_run_new (path, NULL, LS_PYTHON_RUN_REAL_TIME);
  LsTrace *trace = ls_python_run_get_trace (run);
  g_autofree char *folder = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int child;

  g_assert_true (ls_python_run_start (run, NULL));
  folder = g_strdup (ls_python_run_get_folder (run));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  while ((child = first_print_number (trace)) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* it runs (records keep coming), pausing stops it, playing goes on */
  ls_python_run_set_paused (run, TRUE);
  g_assert_true (ls_python_run_get_paused (run));
  ls_python_run_set_paused (run, FALSE);
  g_assert_true (ls_python_run_get_running (run));
  g_assert_false (process_gone (child));

  ls_python_run_stop (run);
  while (!ls_python_run_get_finished (run))
    g_main_context_iteration (NULL, TRUE);
  g_assert_error ((GError *) ls_python_run_get_error (run), LS_PYTHON_RUN_ERROR,
                  LS_PYTHON_RUN_ERROR_STOPPED);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  while (!process_gone (child))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  remove_dir (dir);
}

/* A program that writes garbage on the stream ends with an error, not a
 * crash; one that dies says how */
static void
test_run_hostile (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) garbage =
    run_source (dir, "import os\nos.write(3, b'\\x09\\x00\\x00\\x00\\x00\\x00\\x00\\x00')\n"
                "import time\ntime.sleep(60)\n", LS_LOOP_INSTANT);
  g_autoptr(LsPythonRun) killed =
    run_source (dir, "import os, signal\nprint('here')\nos.kill(os.getpid(), signal.SIGKILL)\n",
                LS_LOOP_INSTANT);
  const GError *error = ls_python_run_get_error (garbage);

  g_assert_error ((GError *) error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "unknown frame type 9"));
  error = ls_python_run_get_error (killed);
  g_assert_error ((GError *) error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "killed by signal 9"));
  remove_dir (dir);
}

/* Real time: times are the wall clock's, and a callback that holds the
 * loop longer than 0.1 s is a blocked band, around the task that did it */
static void
test_run_real_time (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, time\n"
                "async def hog():\n"
                "    time.sleep(0.3)\n"
                "async def main():\n"
                "    await asyncio.sleep(0.2)\n"
                "    await asyncio.create_task(hog())\n"
                "    print('done')\n"
                "asyncio.run(main())\n",
                LS_PYTHON_RUN_REAL_TIME);
  g_autoptr(LsInterpreter) interpreter = ls_interpreter_new (ls_python_run_get_trace (run));
  GArray *bands = ls_interpreter_get_bands (interpreter);
  GArray *prints = ls_interpreter_get_prints (interpreter);
  const LsTimelineBand *band;
  const LsTimelinePrint *print;

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpuint (bands->len, ==, 1);
  band = &g_array_index (bands, LsTimelineBand, 0);
  g_assert_cmpint (band->start_ns, >=, 200000000);
  g_assert_cmpint (band->end_ns - band->start_ns, >=, 300000000);
  g_assert_cmpint (band->end_ns - band->start_ns, <, 3000000000);
  g_assert_cmpstr (ls_interpreter_get_task_name (interpreter, band->task_id), ==, "Task-2");
  g_assert_cmpuint (prints->len, ==, 1);
  print = &g_array_index (prints, LsTimelinePrint, 0);
  g_assert_cmpint (print->time_ns, >=, band->end_ns);
  remove_dir (dir);
}

/* The paced virtual clock: exact times, at the pace asked for */
static void
test_run_paced (void)
{
  g_autofree char *dir = make_dir ();
  gint64 start = g_get_monotonic_time ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, time\n"
                "async def main():\n"
                "    await asyncio.sleep(1)\n"
                "    time.sleep(1)\n"
                "    print(time.monotonic())\n"
                "asyncio.run(main())\n",
                10);
  gint64 wall = g_get_monotonic_time () - start;
  g_autofree char *console = console_of (run);

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpstr (console, ==, "[   2.000] 2.0\n");
  /* 2 s at 10x: 0.2 s of waiting, besides python3's start */
  g_assert_cmpint (wall, >=, 200000);
  g_assert_cmpint (ls_python_run_get_end_time (run), ==, 2000000000);
}

/* A loop that is not asyncio's own (uvloop's, say): its futures still
 * work, nothing of it is recorded, and stderr says so */
static void
test_run_foreign_loop (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio\n"
                "class OtherLoop:\n"
                "    def call_soon(self, callback, *args, context=None):\n"
                "        callback(*args)\n"
                "    def get_debug(self):\n"
                "        return False\n"
                "f = asyncio.Future(loop=OtherLoop())\n"
                "f.add_done_callback(lambda f: print('called', f.result()))\n"
                "f.set_result(1)\n",
                LS_LOOP_INSTANT);
  g_autofree char *console = console_of (run);

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpint (ls_python_run_get_exit_status (run), ==, 0);
  g_assert_cmpstr (console, ==, "[   0.000] called 1\n");
  g_assert_nonnull (strstr (ls_python_run_get_stderr (run),
                            "runs on __main__.OtherLoop, not on asyncio's own event loop"));
  remove_dir (dir);
}

/* A loop in another thread runs unrecorded and leaves the main thread's
 * records whole: every step of a traced task ends with its suspension or
 * its end, before that task's next step */
static void
test_run_other_thread (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, threading\n"
                "def other():\n"
                "    async def spin():\n"
                "        for _ in range(20000):\n"
                "            await asyncio.sleep(0)\n"
                "    asyncio.run(spin())\n"
                "async def worker(name):\n"
                "    for _ in range(3000):\n"
                "        await asyncio.sleep(0)\n"
                "async def main():\n"
                "    t = threading.Thread(target=other)\n"
                "    t.start()\n"
                "    await asyncio.gather(worker('a'), worker('b'))\n"
                "    await asyncio.to_thread(t.join)\n"
                "asyncio.run(main())\n",
                LS_PYTHON_RUN_REAL_TIME);
  LsTrace *trace = ls_python_run_get_trace (run);
  g_autoptr(GHashTable) running = g_hash_table_new (NULL, NULL);
  g_autoptr(LsInterpreter) interpreter = ls_interpreter_new (trace);
  guint n_tasks = 0;

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpint (ls_python_run_get_exit_status (run), ==, 0);
  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == LS_TRACE_HANDLE_RUN && r->arg == 0
          && (r->reason == LS_HANDLE_TASK_STEP || r->reason == LS_HANDLE_TASK_WAKEUP))
        {
          if (!g_hash_table_add (running, GUINT_TO_POINTER (r->subject)))
            g_error ("record %" G_GUINT64_FORMAT ": task %u steps again before it suspended", i,
                     r->subject);
        }
      else if (r->kind == LS_TRACE_TASK_SUSPEND || r->kind == LS_TRACE_TASK_DONE)
        g_hash_table_remove (running, GUINT_TO_POINTER (r->subject));
    }
  for (guint l = 0; l < ls_interpreter_get_n_lanes (interpreter); l++)
    {
      const LsTimelineLane *lane = ls_interpreter_get_lane (interpreter, l);
      const LsTimelineSpan *last;

      if (lane->kind != LS_TIMELINE_LANE_TASK)
        continue;
      n_tasks++;
      last = &g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1);
      g_assert_cmpuint (last->state, ==, LS_TASK_STATE_DONE);
    }
  /* main, a, b: not the other thread's */
  g_assert_cmpuint (n_tasks, ==, 3);
  remove_dir (dir);
}

/* A task is named by create_task(name=) (CPython 3.11 names it just after
 * making it) and by set_name () in the same iteration; a name given later
 * is not the one it was made with, and the lane keeps the first */
static void
test_run_names (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio\n"
                "async def w():\n"
                "    await asyncio.sleep(0.1)\n"
                "async def main():\n"
                "    jobs = [asyncio.create_task(w(), name=f'job{i}') for i in range(2)]\n"
                "    t = asyncio.create_task(w())\n"
                "    t.set_name('Task-x')\n"
                "    u = asyncio.create_task(w())\n"
                "    await asyncio.gather(*jobs, t, u)\n"
                "    jobs[0].set_name('late')\n"
                "    u.set_name('late too')\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  g_autoptr(LsInterpreter) interpreter = ls_interpreter_new (ls_python_run_get_trace (run));
  const char *expected[] = { "Task-1", "job0", "job1", "Task-x", "Task-5" };

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpuint (ls_interpreter_get_n_lanes (interpreter), ==, G_N_ELEMENTS (expected));
  for (guint l = 0; l < G_N_ELEMENTS (expected); l++)
    g_assert_cmpstr (ls_interpreter_get_lane (interpreter, l)->label, ==, expected[l]);
  remove_dir (dir);
}

static void
test_run_args (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = write_program (dir, "args.py", "import sys\nprint(sys.argv[1:])\n");
  const char *args[] = { "--flag", "two words", NULL };
  g_autoptr(LsPythonRun) run = ls_python_run_new (path, args, LS_LOOP_INSTANT);
  g_autofree char *console = NULL;

  g_assert_true (ls_python_run_run_to_end (run, NULL));
  console = console_of (run);
  g_assert_cmpstr (console, ==, "[   0.000] ['--flag', 'two words']\n");
  remove_dir (dir);
}

/* On the virtual clock the wall clock moves with it: time.time () and
 * datetime's now (), utcnow () and today () read it, and what they return
 * is still a datetime to isinstance (), repr () and pickle */
static void
test_run_wall_clock (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, datetime as D, pickle, time\n"
                "from datetime import datetime, date, timedelta\n"
                "async def main():\n"
                "    a, t = datetime.now(), time.time()\n"
                "    await asyncio.sleep(2.5)\n"
                "    b = datetime.now()\n"
                "    print((b - a).total_seconds(), round(time.time() - t, 6))\n"
                "    print((datetime.utcnow() - D.datetime.utcnow()).total_seconds())\n"
                "    print(isinstance(b - timedelta(1), datetime), isinstance(b, D.datetime),\n"
                "          isinstance(D.datetime(2020, 1, 1), datetime),\n"
                "          isinstance(date.today(), D.date), date.today() == b.date())\n"
                "    print(repr(datetime(2020, 1, 2)), repr(date(2020, 1, 2)))\n"
                "    print(pickle.loads(pickle.dumps(b)) == b)\n"
                "    print(datetime.now(D.timezone.utc).tzinfo)\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  g_autofree char *console = console_of (run);

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_null (ls_python_run_get_exception (run));
  g_assert_cmpstr (console, ==,
                   "[   2.500] 2.5 2.5\n"
                   "[   2.500] 0.0\n"
                   "[   2.500] True True True True True\n"
                   "[   2.500] datetime.datetime(2020, 1, 2, 0, 0) datetime.date(2020, 1, 2)\n"
                   "[   2.500] True\n"
                   "[   2.500] UTC\n");
  remove_dir (dir);
}

/* ---- the session --------------------------------------------------------------------- */

static void
test_session (void)
{
  g_autoptr(LsSession) session = ls_session_new ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "python", "lock.py", NULL);
  g_autofree char *missing = g_test_build_filename (G_TEST_DIST, "python", "nope.py", NULL);
  g_autoptr(GError) error = NULL;
  LsInterpreter *interpreter;
  LsPythonRun *run;

  g_assert_false (ls_session_load_python (session, missing, NULL, LS_LOOP_INSTANT, &error));
  g_assert_error (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NOT_STARTED);
  g_assert_null (ls_session_get_interpreter (session));

  g_assert_true (ls_session_load_python (session, path, NULL, LS_LOOP_INSTANT, NULL));
  run = g_object_ref (ls_session_get_python_run (session));
  g_assert_nonnull (run);
  g_assert_true (ls_session_get_live (session));
  g_assert_true (ls_session_get_playing (session));
  g_assert_cmpstr (ls_session_get_title (session), ==, "lock.py");
  while (!ls_session_get_finished (session))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (ls_session_get_playing (session));
  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  interpreter = ls_session_get_interpreter (session);
  g_assert_cmpint (ls_interpreter_find_lane (interpreter, 1), >=, 0);
  g_assert_cmpint (ls_session_get_now (session), ==, 2000000000);
  /* Step does nothing; Run on a finished run runs it again */
  ls_session_step (session);
  ls_session_play_pause (session);
  g_assert_true (ls_session_get_python_run (session) != run);
  g_assert_false (ls_session_get_finished (session));
  g_assert_true (ls_session_get_playing (session));
  while (!ls_session_get_finished (session))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ls_session_get_now (session), ==, 2000000000);
  g_object_unref (run);
  /* a scenario replaces it, and plays */
  ls_session_set_speed (session, LS_LOOP_INSTANT);
  ls_session_load_scenario (session, ls_scenario_lookup ("hello-world"), 0);
  g_assert_null (ls_session_get_python_run (session));
  ls_session_set_playing (session, TRUE);
  while (!ls_session_get_finished (session))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ls_session_get_now (session), ==, 1000000000);
}

/* ---- the command line ------------------------------------------------------------------ */

static int
run_cli (const char *const *args,
         const char *const *env_changes,
         char              **out,
         char              **err)
{
  const char *bin = g_getenv ("LOOPSCOPE_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "LANGUAGE", "en", TRUE);
  /* pairs of name and value; a NULL value unsets it */
  for (guint i = 0; env_changes != NULL && env_changes[i] != NULL; i += 2)
    env = env_changes[i + 1] != NULL ? g_environ_setenv (env, env_changes[i], env_changes[i + 1],
                                                         TRUE)
                                     : g_environ_unsetenv (env, env_changes[i]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, 0, NULL, NULL, out, err,
                               &wait_status, &error));
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static void
test_cli_console (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *ok = write_program (dir, "ok.py",
                                       "import asyncio\nasync def main():\n"
                                       "    print('Hello')\n    await asyncio.sleep(1)\n"
                                       "    print('World')\nasyncio.run(main())\n");
  g_autofree char *fails = write_program (dir, "fails.py",
                                          "import asyncio\nasync def main():\n"
                                          "    await asyncio.sleep(0.5)\n"
                                          "    raise ValueError('boom')\nasyncio.run(main())\n");
  g_autofree char *args = write_program (dir, "args.py", "import sys\nprint(sys.argv[1:])\n");
  g_autofree char *python_ok = g_strconcat ("--python=", ok, NULL);
  g_autofree char *python_fails = g_strconcat ("--python=", fails, NULL);
  g_autofree char *python_args = g_strconcat ("--python=", args, NULL);
  const char *virtual_ok[] = { python_ok, "--virtual-time", "--console", NULL };
  const char *real_ok[] = { python_ok, "--console", NULL };
  const char *virtual_fails[] = { python_fails, "--virtual-time", "--console", NULL };
  const char *with_args[] = { python_args, "--console", "--virtual-time", "--", "-x", "y z",
                              NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (virtual_ok, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "[   0.000] Hello\n[   1.000] World\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* in real time: the same lines, about a second apart */
  g_assert_cmpint (run_cli (real_ok, NULL, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "[   0.0"));
  g_assert_nonnull (strstr (out, "] Hello\n[   1.0"));
  g_assert_true (g_str_has_suffix (out, "] World\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (virtual_fails, NULL, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "[   0.500] ValueError: boom\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (with_args, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "[   0.000] ['-x', 'y z']\n");
  remove_dir (dir);
}

static void
test_cli_exports (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *lock = g_test_build_filename (G_TEST_DIST, "python", "lock.py", NULL);
  g_autofree char *python = g_strconcat ("--python=", lock, NULL);
  g_autofree char *png = g_build_filename (dir, "lock.png", NULL);
  g_autofree char *json = g_build_filename (dir, "lock.json", NULL);
  g_autofree char *export_png = g_strconcat ("--export-png=", png, NULL);
  g_autofree char *export_trace = g_strconcat ("--export-trace=", json, NULL);
  const char *args[] = { python, export_png, export_trace, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(LsTrace) loaded = NULL;
  g_auto(LsTraceInfo) info = { 0 };

  g_assert_cmpint (run_cli (args, NULL, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpint (memcmp (data, "\x89PNG", 4), ==, 0);
  loaded = ls_trace_load_json_full (json, &info, NULL);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (info.title, ==, "lock.py");
  g_assert_null (info.scenario_id);
  remove_dir (dir);
}

static void
test_cli_errors (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *bad = write_program (dir, "bad.py", "def f(:\n");
  g_autofree char *ok = write_program (dir, "ok.py", "print(1)\n");
  g_autofree char *missing = g_build_filename (dir, "missing.py", NULL);
  g_autofree char *python_bad = g_strconcat ("--python=", bad, NULL);
  g_autofree char *python_ok = g_strconcat ("--python=", ok, NULL);
  g_autofree char *python_missing = g_strconcat ("--python=", missing, NULL);
  const char *no_path[] = { "PATH", dir, "LOOPSCOPE_PYTHON", NULL, NULL, NULL };
  struct { const char *args[5]; const char *const *env; const char *says; } cases[] = {
    { { python_missing, "--console", NULL }, NULL, "missing.py: no such file" },
    { { python_bad, "--console", NULL }, NULL, "bad.py:1: SyntaxError: " },
    { { python_bad, "--export-png=x.png", NULL }, NULL, "bad.py:1: SyntaxError: " },
    { { python_ok, "--console", NULL }, no_path, "python3 was not found" },
    { { python_ok, NULL }, NULL, "--python needs --console or an --export-… option" },
    { { python_ok, "--scenario=lock", "--console", NULL }, NULL,
      "--python and --scenario cannot be used together" },
    { { python_ok, "--seed=3", "--console", NULL }, NULL, "--seed needs --scenario=ID" },
    { { python_ok, "--console", "--export-png=x.png", NULL }, NULL, "cannot be used together" },
    { { python_ok, "--console", "--speed=1000", NULL }, NULL, "--speed" },
    { { "--python", NULL }, NULL, "--python" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (run_cli (cases[i].args, cases[i].env, &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      if (strstr (err, cases[i].says) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, err, cases[i].says);
      lines = g_strsplit (g_strchomp (err), "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 1);
    }
  g_assert_false (g_file_test ("x.png", G_FILE_TEST_EXISTS));
  remove_dir (dir);
}

/* ---- executors' threads ---------------------------------------------------------------- */

/* The lane of the thread named @label, or NULL */
static const LsTimelineLane *
thread_lane (LsInterpreter *interpreter,
             const char    *label)
{
  for (guint l = 0; l < ls_interpreter_get_n_lanes (interpreter); l++)
    {
      const LsTimelineLane *lane = ls_interpreter_get_lane (interpreter, l);

      if (lane->object_kind == LS_OBJECT_THREAD && g_str_equal (lane->label, label))
        return lane;
    }
  return NULL;
}

/* Real time: a work's span on its thread's lane is as long as its function
 * ran, read on that thread; a queued work's begins where the one before it
 * ended. The loop's thread writes the records, so a time read on a worker
 * that the trace has gone past is stamped when the loop saw it: the
 * tolerance, for a loaded machine. */
#define TOLERANCE_NS 100000000

static void
test_threads_real_time (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, concurrent.futures, time\n"
                "def work():\n"
                "    time.sleep(0.2)\n"
                "async def main():\n"
                "    await asyncio.to_thread(work)\n"
                "    loop = asyncio.get_running_loop()\n"
                "    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as one:\n"
                "        await asyncio.gather(loop.run_in_executor(one, work),\n"
                "                             loop.run_in_executor(one, work))\n"
                "asyncio.run(main())\n",
                LS_PYTHON_RUN_REAL_TIME);
  g_autoptr(LsInterpreter) interpreter = ls_interpreter_new (ls_python_run_get_trace (run));
  const LsTimelineLane *first = thread_lane (interpreter, "thread 1");
  const LsTimelineLane *second = thread_lane (interpreter, "thread 2");
  const LsTimelineHold *h;

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpint (ls_python_run_get_exit_status (run), ==, 0);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_null (thread_lane (interpreter, "thread 3"));
  g_assert_cmpuint (first->holds->len, ==, 1);
  h = &g_array_index (first->holds, LsTimelineHold, 0);
  g_assert_cmpint (h->end_ns - h->start_ns, >=, 200000000 - TOLERANCE_NS);
  g_assert_cmpint (h->end_ns - h->start_ns, <, 200000000 + TOLERANCE_NS);
  g_assert_cmpstr (ls_interpreter_get_task_name (interpreter, h->task_id), ==, "Task-1");
  /* the one-thread executor's two works, one after the other */
  g_assert_cmpuint (second->holds->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      h = &g_array_index (second->holds, LsTimelineHold, i);
      g_assert_cmpint (h->end_ns - h->start_ns, >=, 200000000 - TOLERANCE_NS);
      g_assert_cmpint (h->end_ns - h->start_ns, <, 200000000 + TOLERANCE_NS);
    }
  g_assert_cmpint (h->start_ns, >=, g_array_index (second->holds, LsTimelineHold, 0).end_ns);
  remove_dir (dir);
}

/* Virtual clock: leaving `with ThreadPoolExecutor ()` joins its threads,
 * which blocks the loop until the sleeping worker is done, as in CPython;
 * the clock moves to its wake-up in a blocked stretch instead of waiting
 * forever for a clock that cannot move */
static void
test_threads_shutdown_blocks (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, concurrent.futures, time\n"
                "def work():\n"
                "    time.sleep(2)\n"
                "    return 1\n"
                "async def main():\n"
                "    loop = asyncio.get_running_loop()\n"
                "    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:\n"
                "        fut = loop.run_in_executor(pool, work)\n"
                "        await asyncio.sleep(0.5)\n"
                "    print(time.monotonic(), await fut)\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  g_autoptr(LsInterpreter) interpreter = ls_interpreter_new (ls_python_run_get_trace (run));
  GArray *bands = ls_interpreter_get_bands (interpreter);
  g_autofree char *console = console_of (run);
  const LsTimelineLane *lane = thread_lane (interpreter, "thread 1");
  const LsTimelineBand *band;

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpstr (console, ==, "[   2.000] 2.0 1\n");
  g_assert_cmpuint (bands->len, ==, 1);
  band = &g_array_index (bands, LsTimelineBand, 0);
  g_assert_cmpint (band->start_ns, ==, 500000000);
  g_assert_cmpint (band->end_ns, ==, 2000000000);
  g_assert_nonnull (lane);
  g_assert_cmpuint (lane->holds->len, ==, 1);
  g_assert_cmpint (g_array_index (lane->holds, LsTimelineHold, 0).start_ns, ==, 0);
  g_assert_cmpint (g_array_index (lane->holds, LsTimelineHold, 0).end_ns, ==, 2000000000);
  remove_dir (dir);
}

/* Virtual clock: a worker waiting for a coroutine of the loop
 * (run_coroutine_threadsafe) does not hold the clock back; its next sleep
 * begins where the loop's clock is */
static void
test_threads_call_back (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, time\n"
                "def work(loop):\n"
                "    time.sleep(0.5)\n"
                "    r = asyncio.run_coroutine_threadsafe(asyncio.sleep(1, 'x'), loop).result()\n"
                "    time.sleep(0.25)\n"
                "    return r\n"
                "async def main():\n"
                "    loop = asyncio.get_running_loop()\n"
                "    r = await loop.run_in_executor(None, work, loop)\n"
                "    print(time.monotonic(), r)\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  g_autofree char *console = console_of (run);

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpstr (console, ==, "[   1.750] 1.75 x\n");
  remove_dir (dir);
}

/* Virtual clock: a worker that waits for the loop by other means (a
 * threading.Event) is waited for a second of real time, then left behind
 * with a word on stderr; the run goes on rather than hang */
static void
test_threads_left_behind (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, threading, time\n"
                "ev = threading.Event()\n"
                "def work():\n"
                "    ev.wait()\n"
                "    return 'set'\n"
                "async def main():\n"
                "    fut = asyncio.get_running_loop().run_in_executor(None, work)\n"
                "    await asyncio.sleep(2)\n"
                "    ev.set()\n"
                "    print(time.monotonic(), await fut)\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  g_autofree char *console = console_of (run);

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpstr (console, ==, "[   2.000] 2.0 set\n");
  g_assert_nonnull (strstr (ls_python_run_get_stderr (run), "the virtual clock goes on"));
  remove_dir (dir);
}

/* A work over before run_in_executor's wrap_future chained it (an
 * executor whose submit waits for it) posts its completion from the loop's
 * own thread: it is still the work's end, not a callback of the program */
static void
test_threads_over_at_once (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, concurrent.futures\n"
                "class Eager(concurrent.futures.ThreadPoolExecutor):\n"
                "    def submit(self, fn, /, *args, **kwargs):\n"
                "        f = super().submit(fn, *args, **kwargs)\n"
                "        concurrent.futures.wait([f])\n"
                "        return f\n"
                "async def main():\n"
                "    with Eager(max_workers=1) as pool:\n"
                "        print(await asyncio.get_running_loop().run_in_executor(pool, abs, -3))\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  g_autoptr(LsInterpreter) interpreter = ls_interpreter_new (ls_python_run_get_trace (run));
  const LsTimelineLane *lane = thread_lane (interpreter, "thread 1");
  g_autofree char *console = console_of (run);

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpstr (console, ==, "[   0.000] 3\n");
  g_assert_nonnull (lane);
  g_assert_cmpuint (lane->holds->len, ==, 1);
  g_assert_cmpint (g_array_index (lane->holds, LsTimelineHold, 0).end_ns, ==, 0);
  g_assert_null (strstr (ls_python_run_get_stderr (run), "the virtual clock goes on"));
  remove_dir (dir);
}

/* Virtual clock: threads that run no work of run_in_executor keep real
 * clocks (their time.sleep is real too), so a library's thread waiting
 * with a timeout (a process pool's manager) does not spin forever */
static void
test_threads_other_threads (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) run =
    run_source (dir,
                "import asyncio, concurrent.futures, threading, time\n"
                "def double(x):\n"
                "    return x * 2\n"
                "def own_thread(out):\n"
                "    t0 = time.monotonic()\n"
                "    time.sleep(0.05)\n"
                "    out.append(time.monotonic() - t0)\n"
                "async def main():\n"
                "    loop = asyncio.get_running_loop()\n"
                "    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:\n"
                "        print(await loop.run_in_executor(pool, double, 21))\n"
                "    out = []\n"
                "    th = threading.Thread(target=own_thread, args=(out,))\n"
                "    th.start()\n"
                "    th.join()\n"
                "    print(out[0] >= 0.05, time.monotonic())\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  g_autofree char *console = console_of (run);

  g_assert_no_error ((GError *) ls_python_run_get_error (run));
  g_assert_cmpstr (console, ==, "[   0.000] 42\n[   0.000] True 0.0\n");
  remove_dir (dir);
}

/* Virtual clock: with every work over and nothing else that could happen,
 * the run still ends in VirtualClockDeadlock; a worker still asleep when
 * the program ends does not hold its exit */
static void
test_threads_ends (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(LsPythonRun) deadlock =
    run_source (dir,
                "import asyncio, time\n"
                "async def main():\n"
                "    await asyncio.to_thread(time.sleep, 1)\n"
                "    await asyncio.Event().wait()\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(LsPythonRun) asleep =
    run_source (dir,
                "import asyncio, concurrent.futures, time\n"
                "async def main():\n"
                "    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)\n"
                "    asyncio.get_running_loop().run_in_executor(pool, time.sleep, 100)\n"
                "    await asyncio.sleep(1)\n"
                "    print('end')\n"
                "asyncio.run(main())\n",
                LS_LOOP_INSTANT);

  g_assert_no_error ((GError *) ls_python_run_get_error (deadlock));
  g_assert_cmpint (ls_python_run_get_exit_status (deadlock), ==, 1);
  g_assert_true (g_str_has_prefix (ls_python_run_get_exception (deadlock),
                                   "loopscope_trace.VirtualClockDeadlock: "));
  g_assert_cmpint (ls_python_run_get_end_time (deadlock), ==, 1000000000);
  g_assert_no_error ((GError *) ls_python_run_get_error (asleep));
  g_assert_cmpint (ls_python_run_get_exit_status (asleep), ==, 0);
  g_assert_cmpint (ls_python_run_get_end_time (asleep), ==, 1000000000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
  remove_dir (dir);
}

/* ---- the constants --------------------------------------------------------------------- */

static void
test_constants (void)
{
  struct { const char *name; int value; } constants[] = {
    { "ITERATION_BEGIN", LS_TRACE_LOOP_ITERATION_BEGIN },
    { "ITERATION_END", LS_TRACE_LOOP_ITERATION_END },
    { "BLOCKED_BEGIN", LS_TRACE_LOOP_BLOCKED_BEGIN },
    { "BLOCKED_END", LS_TRACE_LOOP_BLOCKED_END },
    { "OBJECT_NEW", LS_TRACE_OBJECT_NEW }, { "READY_PUSH", LS_TRACE_READY_PUSH },
    { "HANDLE_RUN", LS_TRACE_HANDLE_RUN }, { "TASK_SUSPEND", LS_TRACE_TASK_SUSPEND },
    { "TASK_DONE", LS_TRACE_TASK_DONE }, { "FUTURE_DONE", LS_TRACE_FUTURE_DONE },
    { "CANCEL_REQUEST", LS_TRACE_CANCEL_REQUEST }, { "TIMER_ADD", LS_TRACE_TIMER_ADD },
    { "TIMER_CANCEL", LS_TRACE_TIMER_CANCEL }, { "TIMER_FIRE", LS_TRACE_TIMER_FIRE },
    { "PRINT", LS_TRACE_PRINT }, { "IO_BEGIN", LS_TRACE_IO_BEGIN },
    { "IO_COMPLETE", LS_TRACE_IO_COMPLETE }, { "SCOPE_BEGIN", LS_TRACE_SCOPE_BEGIN },
    { "SCOPE_END", LS_TRACE_SCOPE_END }, { "PRIMITIVE", LS_TRACE_PRIMITIVE },
    { "SOURCE_LINE", LS_TRACE_SOURCE_LINE },
    { "THREAD_WORK_SUBMIT", LS_TRACE_THREAD_WORK_SUBMIT },
    { "THREAD_WORK_BEGIN", LS_TRACE_THREAD_WORK_BEGIN },
    { "THREAD_WORK_END", LS_TRACE_THREAD_WORK_END },
    { "TASK_GROUP_ADD", LS_TRACE_TASK_GROUP_ADD },
    { "TASK_GROUP_ABORT", LS_TRACE_TASK_GROUP_ABORT },
    { "TASK_GROUP_EXIT", LS_TRACE_TASK_GROUP_EXIT },
    { "OBJ_TASK", LS_OBJECT_TASK }, { "OBJ_FUTURE", LS_OBJECT_FUTURE },
    { "OBJ_GATHER", LS_OBJECT_GATHER }, { "OBJ_TIMEOUT_SCOPE", LS_OBJECT_TIMEOUT_SCOPE },
    { "OBJ_LOCK", LS_OBJECT_LOCK }, { "OBJ_EVENT", LS_OBJECT_EVENT },
    { "OBJ_CONDITION", LS_OBJECT_CONDITION }, { "OBJ_SEMAPHORE", LS_OBJECT_SEMAPHORE },
    { "OBJ_BOUNDED_SEMAPHORE", LS_OBJECT_BOUNDED_SEMAPHORE },
    { "OBJ_BARRIER", LS_OBJECT_BARRIER }, { "OBJ_QUEUE", LS_OBJECT_QUEUE },
    { "OBJ_PRIORITY_QUEUE", LS_OBJECT_PRIORITY_QUEUE },
    { "OBJ_LIFO_QUEUE", LS_OBJECT_LIFO_QUEUE }, { "OBJ_IO", LS_OBJECT_IO },
    { "OBJ_THREAD", LS_OBJECT_THREAD }, { "OBJ_TASK_GROUP", LS_OBJECT_TASK_GROUP },
    { "H_TASK_STEP", LS_HANDLE_TASK_STEP }, { "H_TASK_WAKEUP", LS_HANDLE_TASK_WAKEUP },
    { "H_CALLBACK", LS_HANDLE_CALLBACK }, { "H_TIMER", LS_HANDLE_TIMER },
    { "H_IO", LS_HANDLE_IO },
    { "W_NONE", LS_WAIT_NONE }, { "W_YIELD", LS_WAIT_YIELD }, { "W_SLEEP", LS_WAIT_SLEEP },
    { "W_FUTURE", LS_WAIT_FUTURE }, { "W_TASK", LS_WAIT_TASK }, { "W_GATHER", LS_WAIT_GATHER },
    { "W_WAIT", LS_WAIT_WAIT }, { "W_WAIT_FOR", LS_WAIT_WAIT_FOR },
    { "W_AS_COMPLETED", LS_WAIT_AS_COMPLETED }, { "W_SHIELD", LS_WAIT_SHIELD },
    { "W_IO", LS_WAIT_IO }, { "W_LOCK", LS_WAIT_LOCK }, { "W_EVENT", LS_WAIT_EVENT },
    { "W_CONDITION", LS_WAIT_CONDITION }, { "W_SEMAPHORE", LS_WAIT_SEMAPHORE },
    { "W_QUEUE_GET", LS_WAIT_QUEUE_GET }, { "W_QUEUE_PUT", LS_WAIT_QUEUE_PUT },
    { "W_QUEUE_JOIN", LS_WAIT_QUEUE_JOIN }, { "W_BARRIER", LS_WAIT_BARRIER },
    { "W_TIMEOUT_SCOPE", LS_WAIT_TIMEOUT_SCOPE }, { "W_CALL_LATER", LS_WAIT_CALL_LATER },
    { "W_BLOCKED", LS_WAIT_BLOCKED }, { "W_EXECUTOR", LS_WAIT_EXECUTOR },
    { "W_TASK_GROUP", LS_WAIT_TASK_GROUP },
    { "OUTCOME_RESULT", LS_OUTCOME_RESULT }, { "OUTCOME_FAILED", LS_OUTCOME_FAILED },
    { "OUTCOME_CANCELLED", LS_OUTCOME_CANCELLED },
    { "P_WAIT_BEGIN", LS_PRIMITIVE_WAIT_BEGIN }, { "P_ACQUIRED", LS_PRIMITIVE_ACQUIRED },
    { "P_RELEASED", LS_PRIMITIVE_RELEASED }, { "P_HANDOFF", LS_PRIMITIVE_HANDOFF },
    { "P_SET", LS_PRIMITIVE_SET }, { "P_CLEAR", LS_PRIMITIVE_CLEAR },
    { "P_NOTIFY", LS_PRIMITIVE_NOTIFY }, { "P_PUT", LS_PRIMITIVE_PUT },
    { "P_GET", LS_PRIMITIVE_GET }, { "P_WAIT_END", LS_PRIMITIVE_WAIT_END },
    { "P_PUT_WAIT_BEGIN", LS_PRIMITIVE_PUT_WAIT_BEGIN },
    { "P_TASK_DONE", LS_PRIMITIVE_TASK_DONE }, { "P_JOIN", LS_PRIMITIVE_JOIN },
    { "P_PART_OF", LS_PRIMITIVE_PART_OF }, { "P_BARRIER_ENTER", LS_PRIMITIVE_BARRIER_ENTER },
    { "P_BARRIER_LEAVE", LS_PRIMITIVE_BARRIER_LEAVE },
    { "P_BARRIER_STATE", LS_PRIMITIVE_BARRIER_STATE },
    { "BARRIER_FILLING", LS_BARRIER_FILLING }, { "BARRIER_DRAINING", LS_BARRIER_DRAINING },
    { "BARRIER_RESETTING", LS_BARRIER_RESETTING }, { "BARRIER_BROKEN", LS_BARRIER_BROKEN },
    { "E_CANCELLED", LS_RUNTIME_ERROR_CANCELLED }, { "E_TIMEOUT", LS_RUNTIME_ERROR_TIMEOUT },
    { "E_INVALID_STATE", LS_RUNTIME_ERROR_INVALID_STATE },
    { "E_VALUE", LS_RUNTIME_ERROR_VALUE }, { "E_RUNTIME", LS_RUNTIME_ERROR_RUNTIME },
    { "E_QUEUE_FULL", LS_RUNTIME_ERROR_QUEUE_FULL },
    { "E_QUEUE_EMPTY", LS_RUNTIME_ERROR_QUEUE_EMPTY },
    { "E_BROKEN_BARRIER", LS_RUNTIME_ERROR_BROKEN_BARRIER },
    { "E_FAILED", LS_RUNTIME_ERROR_FAILED },
    { "END_RAISED", LS_TRACE_STREAM_END_RAISED },
    { "END_NOT_STARTED", LS_TRACE_STREAM_END_NOT_STARTED },
    { "FORMAT_VERSION", LS_TRACE_STREAM_VERSION }, { "MAX_FRAME", LS_TRACE_STREAM_MAX_FRAME },
  };
  g_autoptr(GString) script = g_string_new ("import loopscope_trace as t\n");
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "PYTHONPATH",
                                        g_getenv ("LOOPSCOPE_PYTHONPATH"), TRUE);
  const char *argv[] = { python, "-c", NULL, NULL };
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (constants); i++)
    g_string_append_printf (script, "print(t.%s)\n", constants[i].name);
  argv[2] = script->str;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, 0, NULL, NULL, &out, NULL, &status,
                               NULL));
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (constants); i++)
    if (atoi (lines[i]) != constants[i].value)
      g_error ("loopscope_trace.%s is %s, ls-trace.h says %d", constants[i].name, lines[i],
               constants[i].value);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/python/stream/valid-in-pieces", test_stream_valid_in_pieces);
  g_test_add_func ("/python/stream/malformed", test_stream_malformed);
  g_test_add_func ("/python/stream/empty", test_stream_empty);
  g_test_add_func ("/python/stream/noise", test_stream_noise);
  g_test_add_func ("/python/run/statuses", test_run_statuses);
  g_test_add_func ("/python/run/not-started", test_run_not_started);
  g_test_add_func ("/python/run/no-python", test_run_no_python);
  g_test_add_func ("/python/run/folder", test_run_folder);
  g_test_add_func ("/python/run/stop", test_run_stop);
  g_test_add_func ("/python/run/hostile", test_run_hostile);
  g_test_add_func ("/python/run/real-time", test_run_real_time);
  g_test_add_func ("/python/run/paced", test_run_paced);
  g_test_add_func ("/python/run/args", test_run_args);
  g_test_add_func ("/python/run/foreign-loop", test_run_foreign_loop);
  g_test_add_func ("/python/run/other-thread", test_run_other_thread);
  g_test_add_func ("/python/run/names", test_run_names);
  g_test_add_func ("/python/run/wall-clock", test_run_wall_clock);
  g_test_add_func ("/python/threads/real-time", test_threads_real_time);
  g_test_add_func ("/python/threads/shutdown-blocks", test_threads_shutdown_blocks);
  g_test_add_func ("/python/threads/call-back", test_threads_call_back);
  g_test_add_func ("/python/threads/left-behind", test_threads_left_behind);
  g_test_add_func ("/python/threads/ends", test_threads_ends);
  g_test_add_func ("/python/threads/over-at-once", test_threads_over_at_once);
  g_test_add_func ("/python/threads/other-threads", test_threads_other_threads);
  g_test_add_func ("/python/session", test_session);
  g_test_add_func ("/python/cli/console", test_cli_console);
  g_test_add_func ("/python/cli/exports", test_cli_exports);
  g_test_add_func ("/python/cli/errors", test_cli_errors);
  g_test_add_func ("/python/constants", test_constants);
  return g_test_run ();
}
