/* SPDX-License-Identifier: MIT
 *
 * LsPythonRun: a real CPython program run under Loopscope's tracer
 * (`python3 -m loopscope_trace`, python/loopscope_trace), its records read
 * into an LsTrace as they arrive, so that the interpreter and the renderer
 * draw it as they draw a scenario run. The process runs in a private
 * temporary folder, removed when the run ends, and in a process group of
 * its own, so that stopping it stops whatever it started. GLib and GIO
 * only: the command line and the tests use it with no display.
 */
#pragma once

#include <gio/gio.h>

#include "ls-trace.h"

G_BEGIN_DECLS

#define LS_PYTHON_RUN_ERROR (ls_python_run_error_quark ())

typedef enum
{
  LS_PYTHON_RUN_ERROR_NO_PYTHON,   /* no python3 to run it with */
  LS_PYTHON_RUN_ERROR_NO_TRACER,   /* Loopscope's tracer is not where it should be */
  LS_PYTHON_RUN_ERROR_NOT_STARTED, /* the program does not exist, cannot be read or does not
                                      compile, or the Python is too old */
  LS_PYTHON_RUN_ERROR_FAILED,      /* python3 could not be started, or it ended without
                                      finishing its records */
  LS_PYTHON_RUN_ERROR_MALFORMED,   /* the records are malformed */
  LS_PYTHON_RUN_ERROR_STOPPED,     /* ls_python_run_stop () */
} LsPythonRunError;

/* The speed of a run: real time, LS_LOOP_INSTANT (the virtual clock,
 * unpaced) or a virtual clock paced at this many seconds per second. */
#define LS_PYTHON_RUN_REAL_TIME (-1.0)

#define LS_TYPE_PYTHON_RUN (ls_python_run_get_type ())
G_DECLARE_FINAL_TYPE (LsPythonRun, ls_python_run, LS, PYTHON_RUN, GObject)

GQuark        ls_python_run_error_quark       (void);

/* @args: the program's arguments (its sys.argv[1:]), or NULL */
LsPythonRun  *ls_python_run_new               (const char         *program,
                                               const char * const *args,
                                               double              speed);
/* Before the start: the python3 to run it with (a path, or a name looked
 * up in $PATH; by default $LOOPSCOPE_PYTHON, else python3), and the folder
 * that holds the loopscope_trace package (by default $LOOPSCOPE_PYTHONPATH,
 * else where Loopscope installed it). */
void          ls_python_run_set_python        (LsPythonRun        *self,
                                               const char         *python);
void          ls_python_run_set_tracer_dir    (LsPythonRun        *self,
                                               const char         *dir);
/* Starts python3. FALSE when it cannot (no python3, no tracer, no such
 * program file, no temporary folder): the run is then finished with that
 * error. */
gboolean      ls_python_run_start             (LsPythonRun        *self,
                                               GError            **error);
/* Starts the run if needed and iterates the thread-default main context
 * until it finishes; FALSE with the run's error. */
gboolean      ls_python_run_run_to_end        (LsPythonRun        *self,
                                               GError            **error);
/* Kills the process group at once; the run finishes (error STOPPED). */
void          ls_python_run_stop              (LsPythonRun        *self);
/* Stops and continues the process group (SIGSTOP, SIGCONT). */
void          ls_python_run_set_paused        (LsPythonRun        *self,
                                               gboolean            paused);
gboolean      ls_python_run_get_paused        (LsPythonRun        *self);

LsTrace      *ls_python_run_get_trace         (LsPythonRun        *self);
const char   *ls_python_run_get_program       (LsPythonRun        *self);
double        ls_python_run_get_speed         (LsPythonRun        *self);
gboolean      ls_python_run_get_running       (LsPythonRun        *self);
gboolean      ls_python_run_get_finished      (LsPythonRun        *self);
/* Once finished: NULL when the program ran to its end, whatever it
 * returned; otherwise why it did not (one line, naming the program). */
const GError *ls_python_run_get_error         (LsPythonRun        *self);
/* Once finished: the program's exit status, and the last line of its
 * uncaught exception ("ValueError: boom", "SystemExit: 3") or NULL. */
int           ls_python_run_get_exit_status   (LsPythonRun        *self);
const char   *ls_python_run_get_exception     (LsPythonRun        *self);
/* The instant the program ended (or the last record's, so far). */
gint64        ls_python_run_get_end_time      (LsPythonRun        *self);
/* Where a live view draws "now": in real time the clock goes on between
 * records; on the virtual clock, the last record's instant. */
gint64        ls_python_run_get_now           (LsPythonRun        *self);
/* "CPython 3.11.7", once the tracer said so, or NULL */
const char   *ls_python_run_get_python_version (LsPythonRun       *self);
/* The end of what the program wrote on stderr (its last 16 to 32 KiB) */
const char   *ls_python_run_get_stderr        (LsPythonRun        *self);
/* The run's private folder while it runs (its working directory), else NULL */
const char   *ls_python_run_get_folder        (LsPythonRun        *self);

G_END_DECLS
