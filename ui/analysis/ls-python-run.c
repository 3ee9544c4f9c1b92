/* SPDX-License-Identifier: MIT
 *
 * A CPython program run under `python3 -m loopscope_trace`. The records
 * come over a pipe that the child has as file descriptor 3; they are read
 * without blocking as they arrive (a budget per dispatch, below GTK's input
 * and above its redraw, like the loop's own source), checked and appended
 * to the trace by LsTraceStream, and announced once per dispatch. stderr is
 * read the same way and its end kept, for the error a run that crashed
 * ends with. The child runs in a folder made for it (its relative files
 * land there, never next to the program) and in a process group of its
 * own: stopping the run kills the group, so nothing the program started is
 * left behind. When the process has exited, what is left in the pipes is
 * read and the run is finished.
 */
#include "config.h"

#include "ls-python-run.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "ls-loop.h"
#include "ls-trace-stream.h"

G_DEFINE_QUARK (ls-python-run-error-quark, ls_python_run_error)

/* Above GTK's redraw (G_PRIORITY_HIGH_IDLE + 20), below its input */
#define READ_PRIORITY   (G_PRIORITY_HIGH_IDLE + 15)
#define READ_CHUNK      (64 * 1024)
#define READ_BUDGET_US  6000
#define STDERR_KEEP     (16 * 1024)

struct _LsPythonRun
{
  GObject        parent_instance;

  char          *program;     /* absolute */
  char          *display;     /* as given, for messages */
  char          *python;      /* as asked for, or NULL */
  char          *tracer_dir;  /* as asked for, or NULL */
  GStrv          args;
  double         speed;

  LsTrace       *trace;
  LsTraceStream *stream;
  GSubprocess   *process;
  GPid           pid;
  GCancellable  *cancellable;
  char          *folder;

  GInputStream  *records;
  GSource       *records_source;
  gboolean       records_eof;
  GInputStream  *errors;
  GSource       *errors_source;
  GString       *stderr_tail;

  gboolean       started;
  gboolean       exited;
  gboolean       stopped;
  gboolean       paused;
  gboolean       finished;
  GError        *error;
  int            exit_status;
  char          *exception;
  gint64         last_arrival_us; /* when the latest batch of records arrived */
  gint64         paused_us;
};

G_DEFINE_FINAL_TYPE (LsPythonRun, ls_python_run, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_FINISHED,
  PROP_PAUSED,
  N_PROPS
};

enum
{
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void finish (LsPythonRun *self);

/* ---- the private folder --------------------------------------------------- */

/* Removes @file and, when it is a folder (not a link to one), what is in it:
 * only what the run's own folder holds. */
static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        remove_tree (child);
    }
  g_file_delete (file, NULL, NULL);
}

static void
remove_folder (LsPythonRun *self)
{
  g_autoptr(GFile) folder = NULL;

  if (self->folder == NULL)
    return;
  folder = g_file_new_for_path (self->folder);
  remove_tree (folder);
  g_clear_pointer (&self->folder, g_free);
}

/* ---- reading -------------------------------------------------------------- */

static void
fail (LsPythonRun *self,
      int          code,
      const char  *message)
{
  if (self->error == NULL)
    self->error = g_error_new (LS_PYTHON_RUN_ERROR, code, "%s: %s", self->display, message);
}

static void
kill_group (LsPythonRun *self,
            int          sig)
{
  if (self->pid <= 0 || self->exited)
    return;
  /* the group first: the program's own children go with it */
  if (kill (-self->pid, sig) != 0 && sig == SIGKILL && self->process != NULL)
    g_subprocess_force_exit (self->process);
}

/* Reads what is there without blocking. Returns FALSE at the end of the
 * stream or on an error. */
static gboolean
read_available (LsPythonRun   *self,
                GInputStream  *stream,
                gboolean       is_records,
                gint64         budget_end_us)
{
  guint8 buffer[READ_CHUNK];
  gboolean more = TRUE;
  guint64 before = ls_trace_get_n_records (self->trace);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                           buffer, sizeof buffer, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          more = FALSE;
          if (is_records)
            self->records_eof = TRUE;
          break;
        }
      if (!is_records)
        {
          g_string_append_len (self->stderr_tail, (const char *) buffer, n);
          if (self->stderr_tail->len > 2 * STDERR_KEEP)
            g_string_erase (self->stderr_tail, 0, self->stderr_tail->len - STDERR_KEEP);
        }
      else if (!ls_trace_stream_feed (self->stream, buffer, (gsize) n, &error))
        {
          g_autofree char *message = g_strdup_printf (_("its records are malformed: %s"),
                                                      error->message);

          fail (self, LS_PYTHON_RUN_ERROR_MALFORMED, message);
          kill_group (self, SIGKILL);
          more = FALSE;
          break;
        }
      if (budget_end_us > 0 && g_get_monotonic_time () > budget_end_us)
        break;
    }
  if (is_records && ls_trace_get_n_records (self->trace) != before)
    {
      self->last_arrival_us = g_get_monotonic_time ();
      ls_trace_flush (self->trace);
    }
  return more;
}

static gboolean
on_records (GObject  *stream,
            gpointer  user_data)
{
  LsPythonRun *self = user_data;

  if (read_available (self, self->records, TRUE, g_get_monotonic_time () + READ_BUDGET_US))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->records_source, g_source_unref);
  if (self->exited)
    finish (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stderr (GObject  *stream,
           gpointer  user_data)
{
  LsPythonRun *self = user_data;

  if (read_available (self, self->errors, FALSE, 0))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->errors_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static GSource *
watch (LsPythonRun  *self,
       GInputStream *stream,
       GSourceFunc   func)
{
  GSource *source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (stream),
                                                          self->cancellable);

  g_source_set_priority (source, READ_PRIORITY);
  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, "[loopscope] python run");
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

/* The last line of what the program wrote on stderr, or NULL */
static char *
stderr_last_line (LsPythonRun *self)
{
  g_auto(GStrv) lines = g_strsplit (self->stderr_tail->str, "\n", -1);

  for (guint i = g_strv_length (lines); i > 0; i--)
    {
      g_strstrip (lines[i - 1]);
      if (lines[i - 1][0] != '\0')
        return g_utf8_make_valid (lines[i - 1], -1);
    }
  return NULL;
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
finish (LsPythonRun *self)
{
  g_autoptr(GError) stream_error = NULL;

  if (self->finished)
    return;
  /* a handler of ::finished may drop the last reference */
  g_object_ref (self);
  destroy_source (&self->records_source);
  destroy_source (&self->errors_source);
  if (self->records != NULL)
    g_input_stream_close (self->records, NULL, NULL);

  if (self->stopped)
    fail (self, LS_PYTHON_RUN_ERROR_STOPPED, _("stopped"));
  else if (self->error == NULL && !ls_trace_stream_finish (self->stream, &stream_error))
    {
      g_autofree char *last = stderr_last_line (self);
      g_autofree char *how = NULL;
      g_autofree char *message = NULL;

      if (g_subprocess_get_if_signaled (self->process))
        how = g_strdup_printf (_("killed by signal %d"),
                               g_subprocess_get_term_sig (self->process));
      else
        how = g_strdup_printf (_("exit status %d"), g_subprocess_get_exit_status (self->process));
      /* TRANSLATORS: "python3 ended without finishing its records (exit status 1): SyntaxError..." */
      message = g_strdup_printf (_("python3 ended without finishing its records (%s)%s%s"), how,
                                 last != NULL ? ": " : "", last != NULL ? last : "");
      fail (self, LS_PYTHON_RUN_ERROR_FAILED, message);
    }
  else if (self->error == NULL
           && (ls_trace_stream_get_end_flags (self->stream) & LS_TRACE_STREAM_END_NOT_STARTED))
    {
      /* the tracer's own words, which name the file already */
      self->error = g_error_new_literal (LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NOT_STARTED,
                                         ls_trace_stream_get_end_text (self->stream));
    }
  else if (self->error == NULL)
    {
      const char *text = ls_trace_stream_get_end_text (self->stream);

      self->exit_status = ls_trace_stream_get_status (self->stream);
      if ((ls_trace_stream_get_end_flags (self->stream) & LS_TRACE_STREAM_END_RAISED)
          && text != NULL && text[0] != '\0')
        self->exception = g_strdup (text);
    }

  remove_folder (self);
  self->finished = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_signal_emit (self, signals[FINISHED], 0);
  g_object_unref (self);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LsPythonRun *self = user_data;

  /* cancelled: the run was disposed, and @self is gone */
  if (!g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL))
    return;
  self->exited = TRUE;
  /* What the process wrote before it ended; a child it forked may keep the
   * pipes open, so this reads what is there and does not wait for the end */
  if (self->errors != NULL)
    read_available (self, self->errors, FALSE, 0);
  if (self->records != NULL && !self->records_eof && self->error == NULL)
    read_available (self, self->records, TRUE, 0);
  finish (self);
}

/* ---- starting ------------------------------------------------------------------ */

static void
child_setup (gpointer data)
{
  /* a process group of its own: stopping the run stops what it started */
  setpgid (0, 0);
}

/* Where python/loopscope_trace is: as set, else $LOOPSCOPE_PYTHONPATH (the
 * build tree, `meson devenv`), else where Loopscope installed it. */
static const char *
tracer_dir (LsPythonRun *self)
{
  const char *dir = g_getenv ("LOOPSCOPE_PYTHONPATH");

  if (self->tracer_dir != NULL)
    return self->tracer_dir;
  return dir != NULL && dir[0] != '\0' ? dir : LOOPSCOPE_PYTHON_DIR;
}

static char *
find_python (LsPythonRun *self)
{
  const char *python = self->python != NULL ? self->python : g_getenv ("LOOPSCOPE_PYTHON");

  if (python != NULL && python[0] != '\0')
    return g_find_program_in_path (python);
  return g_find_program_in_path ("python3");
}

static gboolean
start (LsPythonRun *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *python = NULL;
  g_autofree char *main_py = NULL;
  g_autofree char *pythonpath = NULL;
  const char *old_pythonpath = g_getenv ("PYTHONPATH");
  const char *identifier;
  g_autoptr(GError) error = NULL;
  int fds[2];

  if (!g_file_test (self->program, G_FILE_TEST_EXISTS))
    {
      fail (self, LS_PYTHON_RUN_ERROR_NOT_STARTED, _("no such file"));
      return FALSE;
    }
  if (!g_file_test (self->program, G_FILE_TEST_IS_REGULAR))
    {
      fail (self, LS_PYTHON_RUN_ERROR_NOT_STARTED, _("not a Python program file"));
      return FALSE;
    }
  if ((python = find_python (self)) == NULL)
    {
      fail (self, LS_PYTHON_RUN_ERROR_NO_PYTHON,
            _("python3 was not found: Loopscope runs Python programs with Python 3.11 or "
              "newer"));
      return FALSE;
    }
  main_py = g_build_filename (tracer_dir (self), "loopscope_trace", "__main__.py", NULL);
  if (!g_file_test (main_py, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("Loopscope's tracer is missing (%s)"),
                                                  main_py);

      fail (self, LS_PYTHON_RUN_ERROR_NO_TRACER, message);
      return FALSE;
    }
  self->folder = g_dir_make_tmp ("loopscope-python-XXXXXX", &error);
  if (self->folder == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("cannot make a folder to run it in: %s"),
                                                  error->message);

      fail (self, LS_PYTHON_RUN_ERROR_FAILED, message);
      return FALSE;
    }
  if (!g_unix_open_pipe (fds, FD_CLOEXEC, &error))
    {
      g_autofree char *message = g_strdup_printf (_("cannot make a pipe: %s"), error->message);

      fail (self, LS_PYTHON_RUN_ERROR_FAILED, message);
      remove_folder (self);
      return FALSE;
    }

  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_strdup ("-m"));
  g_ptr_array_add (argv, g_strdup ("loopscope_trace"));
  g_ptr_array_add (argv, g_strdup ("--records-fd=3"));
  if (self->speed == LS_LOOP_INSTANT)
    g_ptr_array_add (argv, g_strdup ("--virtual-time"));
  else if (self->speed > 0)
    {
      char value[G_ASCII_DTOSTR_BUF_SIZE];

      g_ptr_array_add (argv, g_strconcat ("--speed=",
                                          g_ascii_dtostr (value, sizeof value, self->speed),
                                          NULL));
    }
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_strdup (self->program));
  for (guint i = 0; self->args != NULL && self->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, self->folder);
  pythonpath = old_pythonpath != NULL && old_pythonpath[0] != '\0'
               ? g_strconcat (tracer_dir (self), G_SEARCHPATH_SEPARATOR_S, old_pythonpath, NULL)
               : g_strdup (tracer_dir (self));
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", pythonpath, TRUE);
  /* no __pycache__ next to the program's modules */
  g_subprocess_launcher_setenv (launcher, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  /* the launcher holds the pipe's write end: the child alone keeps it now */
  g_clear_object (&launcher);
  if (self->process == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("cannot start python3: %s"),
                                                  error->message);

      close (fds[0]);
      fail (self, LS_PYTHON_RUN_ERROR_FAILED, message);
      remove_folder (self);
      return FALSE;
    }
  identifier = g_subprocess_get_identifier (self->process);
  self->pid = identifier != NULL ? (GPid) atoi (identifier) : 0;
  self->started = TRUE;
  self->records = g_unix_input_stream_new (fds[0], TRUE);
  self->records_source = watch (self, self->records, (GSourceFunc) on_records);
  self->errors = g_object_ref (g_subprocess_get_stderr_pipe (self->process));
  if (G_IS_POLLABLE_INPUT_STREAM (self->errors)
      && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->errors)))
    self->errors_source = watch (self, self->errors, (GSourceFunc) on_stderr);
  else
    g_clear_object (&self->errors);
  g_subprocess_wait_async (self->process, self->cancellable, on_exited, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

void
ls_python_run_set_python (LsPythonRun *self,
                          const char  *python)
{
  g_return_if_fail (LS_IS_PYTHON_RUN (self));
  g_return_if_fail (!self->started);

  g_free (self->python);
  self->python = g_strdup (python);
}

void
ls_python_run_set_tracer_dir (LsPythonRun *self,
                              const char  *dir)
{
  g_return_if_fail (LS_IS_PYTHON_RUN (self));
  g_return_if_fail (!self->started);

  g_free (self->tracer_dir);
  self->tracer_dir = g_strdup (dir);
}

gboolean
ls_python_run_start (LsPythonRun *self,
                     GError     **error)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), FALSE);
  g_return_val_if_fail (!self->started && !self->finished, FALSE);

  if (!start (self))
    {
      finish (self);
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
ls_python_run_run_to_end (LsPythonRun *self,
                          GError     **error)
{
  GMainContext *context = g_main_context_get_thread_default ();

  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), FALSE);

  if (!self->started && !self->finished && !ls_python_run_start (self, error))
    return FALSE;
  while (!self->finished)
    g_main_context_iteration (context, TRUE);
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

void
ls_python_run_stop (LsPythonRun *self)
{
  g_return_if_fail (LS_IS_PYTHON_RUN (self));

  if (!self->started || self->finished || self->exited)
    return;
  self->stopped = TRUE;
  kill_group (self, SIGKILL);
}

void
ls_python_run_set_paused (LsPythonRun *self,
                          gboolean     paused)
{
  g_return_if_fail (LS_IS_PYTHON_RUN (self));

  paused = !!paused;
  if (!self->started || self->finished || self->paused == paused)
    return;
  kill_group (self, paused ? SIGSTOP : SIGCONT);
  self->paused = paused;
  if (paused)
    self->paused_us = g_get_monotonic_time ();
  else
    self->last_arrival_us += g_get_monotonic_time () - self->paused_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
ls_python_run_get_paused (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), FALSE);
  return self->paused;
}

/* ---- reading the run ----------------------------------------------------------- */

LsTrace *
ls_python_run_get_trace (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), NULL);
  return self->trace;
}

const char *
ls_python_run_get_program (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), NULL);
  return self->program;
}

double
ls_python_run_get_speed (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), 0);
  return self->speed;
}

gboolean
ls_python_run_get_running (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), FALSE);
  return self->started && !self->finished;
}

gboolean
ls_python_run_get_finished (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), FALSE);
  return self->finished;
}

const GError *
ls_python_run_get_error (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), NULL);
  return self->error;
}

int
ls_python_run_get_exit_status (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), -1);
  return self->exit_status;
}

const char *
ls_python_run_get_exception (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), NULL);
  return self->exception;
}

gint64
ls_python_run_get_end_time (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), 0);
  return MAX (ls_trace_stream_get_end_time (self->stream), ls_trace_get_end_time (self->trace));
}

gint64
ls_python_run_get_now (LsPythonRun *self)
{
  gint64 end;

  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), 0);
  end = ls_python_run_get_end_time (self);
  if (!self->started || self->finished || self->paused || self->speed >= 0
      || self->last_arrival_us == 0)
    return end;
  /* real time: the clock goes on after the last record */
  return end + (g_get_monotonic_time () - self->last_arrival_us) * 1000;
}

const char *
ls_python_run_get_python_version (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), NULL);
  return ls_trace_stream_get_info (self->stream);
}

const char *
ls_python_run_get_stderr (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), NULL);
  return self->stderr_tail->str;
}

const char *
ls_python_run_get_folder (LsPythonRun *self)
{
  g_return_val_if_fail (LS_IS_PYTHON_RUN (self), NULL);
  return self->folder;
}

/* ---- GObject ------------------------------------------------------------------- */

LsPythonRun *
ls_python_run_new (const char         *program,
                   const char * const *args,
                   double              speed)
{
  LsPythonRun *self;

  g_return_val_if_fail (program != NULL, NULL);

  self = g_object_new (LS_TYPE_PYTHON_RUN, NULL);
  self->display = g_strdup (program);
  self->program = g_canonicalize_filename (program, NULL);
  self->args = g_strdupv ((char **) args);
  self->speed = speed < 0 ? LS_PYTHON_RUN_REAL_TIME
                : speed == LS_LOOP_INSTANT ? LS_LOOP_INSTANT : CLAMP (speed, 0.1, 100.0);
  return self;
}

static void
ls_python_run_dispose (GObject *object)
{
  LsPythonRun *self = LS_PYTHON_RUN (object);

  /* a run dropped while it goes on is stopped: nothing is left running */
  if (self->started && !self->exited)
    kill_group (self, SIGKILL);
  g_cancellable_cancel (self->cancellable);
  destroy_source (&self->records_source);
  destroy_source (&self->errors_source);
  g_clear_object (&self->records);
  g_clear_object (&self->errors);
  g_clear_object (&self->process);
  remove_folder (self);

  G_OBJECT_CLASS (ls_python_run_parent_class)->dispose (object);
}

static void
ls_python_run_finalize (GObject *object)
{
  LsPythonRun *self = LS_PYTHON_RUN (object);

  g_clear_pointer (&self->stream, ls_trace_stream_free);
  g_clear_object (&self->trace);
  g_clear_object (&self->cancellable);
  g_string_free (self->stderr_tail, TRUE);
  g_clear_error (&self->error);
  g_free (self->exception);
  g_free (self->program);
  g_free (self->display);
  g_free (self->python);
  g_free (self->tracer_dir);
  g_strfreev (self->args);

  G_OBJECT_CLASS (ls_python_run_parent_class)->finalize (object);
}

static void
ls_python_run_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LsPythonRun *self = LS_PYTHON_RUN (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, ls_python_run_get_running (self));
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_python_run_class_init (LsPythonRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ls_python_run_dispose;
  object_class->finalize = ls_python_run_finalize;
  object_class->get_property = ls_python_run_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LsPythonRun::finished:
   *
   * The process ended (or could not start) and every record it wrote has
   * been read: ls_python_run_get_error () says whether it ran to its end.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
ls_python_run_init (LsPythonRun *self)
{
  self->trace = ls_trace_new ();
  self->stream = ls_trace_stream_new (self->trace);
  self->cancellable = g_cancellable_new ();
  self->stderr_tail = g_string_new (NULL);
  self->exit_status = -1;
}
