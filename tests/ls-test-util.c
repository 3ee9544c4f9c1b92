/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* unshare () */
#include "config.h"

#include "ls-test-util.h"

#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static GString *output;
static LsLoop *test_loop;

LsLoop *
ls_test_loop (void)
{
  return test_loop;
}

static void
log_lines (gboolean    with_iteration,
           const char *text)
{
  LsLoop *loop = test_loop;
  double t = loop != NULL ? ls_loop_time (loop) : 0.0;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (with_iteration)
        g_string_append_printf (output, "[%8.3f] #%" G_GUINT64_FORMAT " %s\n", t,
                                ls_loop_get_iteration (loop), lines[i]);
      else
        g_string_append_printf (output, "[%8.3f] %s\n", t, lines[i]);
    }
}

void
ls_test_log (const char *format,
             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  log_lines (FALSE, text);
}

void
ls_test_logi (const char *format,
              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  log_lines (TRUE, text);
}

static char *
py_str_repr (const char *s)
{
  GString *out = g_string_new (NULL);
  gboolean has_single = strchr (s, '\'') != NULL && strchr (s, '"') == NULL;
  char quote = has_single ? '"' : '\'';

  g_string_append_c (out, quote);
  for (const char *p = s; *p; p++)
    {
      if (*p == quote || *p == '\\')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, quote);
  return g_string_free (out, FALSE);
}

char *
ls_test_fmt_exc (const GError *error)
{
  g_autofree char *arg = NULL;
  GPtrArray *members;

  if (error == NULL)
    return g_strdup ("None");
  if ((members = ls_exception_group_get_exceptions (error)) != NULL)
    {
      /* args: (message, [exceptions]) */
      GString *out = g_string_new (NULL);

      arg = py_str_repr (error->message);
      g_string_append_printf (out, "%s(%s, [", ls_error_get_python_name (error), arg);
      for (guint i = 0; i < members->len; i++)
        {
          g_autofree char *member = ls_test_fmt_exc (g_ptr_array_index (members, i));

          g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", member);
        }
      g_string_append (out, "])");
      return g_string_free (out, FALSE);
    }
  if (!ls_error_has_arg (error))
    return g_strdup_printf ("%s()", ls_error_get_python_name (error));
  arg = py_str_repr (error->message);
  return g_strdup_printf ("%s(%s)", ls_error_get_python_name (error), arg);
}

char *
ls_test_repr (GVariant *value)
{
  if (value == NULL)
    return g_strdup ("None");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return py_str_repr (g_variant_get_string (value, NULL));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "True" : "False");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY))
    {
      GString *out = g_string_new ("[");

      for (gsize i = 0; i < g_variant_n_children (value); i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
          g_autofree char *r = NULL;

          if (g_variant_is_of_type (child, G_VARIANT_TYPE_VARIANT))
            {
              g_autoptr(GVariant) inner = g_variant_get_variant (child);
              r = ls_test_repr (inner);
            }
          else
            r = ls_test_repr (child);
          g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", r);
        }
      g_string_append_c (out, ']');
      return g_string_free (out, FALSE);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      /* repr(float): the shortest round-trip form, with ".0" when integral */
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (buf, sizeof buf, g_variant_get_double (value));
      if (strpbrk (buf, ".eni") == NULL)
        return g_strconcat (buf, ".0", NULL);
      return g_strdup (buf);
    }
  return g_variant_print (value, FALSE);
}

GError *
ls_test_value_error (const char *message)
{
  return g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, message);
}

const char *
ls_test_bool (gboolean value)
{
  return value ? "True" : "False";
}

int
ls_test_run_main (LsTaskFunc main_func,
                  gpointer   data,
                  char     **out)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = NULL;
  g_autoptr(LsRunner) runner = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  int status = 0;

  output = g_string_new (NULL);
  test_loop = loop;

  /* asyncio.Runner: run (main), then close () */
  main_task = ls_task_new (loop, "Task-1", main_func, data, NULL);
  runner = ls_runner_new (loop, main_task);
  if (!ls_runner_run_main (runner, &run_error))
    {
      ls_test_log ("DEADLOCK");
      status = 3;
    }
  else
    {
      result = ls_future_get_result (LS_FUTURE (main_task), &error);
      if (error != NULL)
        {
          const char *name = ls_error_get_python_name (error);
          g_autofree char *str = ls_error_to_string (error);

          if (str != NULL && str[0] != '\0')
            ls_test_log ("uncaught %s: %s", name, str);
          else
            ls_test_log ("uncaught %s", name);
          status = 1;
        }
      /* tasks left pending are cancelled and run to the end */
      if (!ls_runner_close (runner, &run_error))
        {
          ls_test_log ("DEADLOCK");
          status = 3;
        }
    }

  test_loop = NULL;
  *out = g_string_free (output, FALSE);
  output = NULL;
  return status;
}

void
ls_test_check_expected (const char *name,
                        LsTaskFunc  main_func)
{
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  g_autofree char *path = NULL;
  g_autofree char *file = g_strconcat (name, ".txt", NULL);

  path = g_test_build_filename (G_TEST_DIST, "expected", file, NULL);
  if (!g_file_get_contents (path, &expected, NULL, &error))
    g_error ("cannot read %s: %s", path, error->message);

  status = ls_test_run_main (main_func, NULL, &actual);
  if (g_strcmp0 (actual, expected) != 0)
    {
      g_printerr ("--- expected (CPython 3.11, %s)\n%s--- actual (Loopscope)\n%s", path, expected,
                  actual);
      g_test_fail_printf ("%s: output differs from CPython's", name);
    }
  (void) status;
}

void
ls_test_pyref_run (gconstpointer main_func)
{
  const char *path = g_test_get_path ();
  const char *name = strrchr (path, '/') + 1;

  ls_test_check_expected (name, (LsTaskFunc) main_func);
}

char *
ls_test_cancel_args (const GError *e)
{
  g_autoptr(GVariant) msg = NULL;
  g_autofree char *repr = NULL;

  if (!ls_error_has_arg (e))
    return g_strdup ("()");
  msg = g_variant_ref_sink (g_variant_new_string (e->message));
  repr = ls_test_repr (msg);
  return g_strdup_printf ("(%s,)", repr);
}

char *
ls_test_result_repr (LsFuture *fut)
{
  g_autoptr(GVariant) r = ls_future_get_result (fut, NULL);

  return ls_test_repr (r);
}

GPtrArray *
ls_test_task_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);
}

gboolean
ls_test_await (LsTask  *task,
               GError **error)
{
  g_autoptr(GVariant) r = ls_task_await (task, error);

  return r != NULL || error == NULL || *error == NULL;
}

gboolean
ls_test_await_all (GPtrArray *tasks,
                   GError   **error)
{
  for (guint i = 0; i < tasks->len; i++)
    if (!ls_test_await (g_ptr_array_index (tasks, i), error))
      return FALSE;
  return TRUE;
}

gboolean
ls_test_finish (GPtrArray *tasks,
                GError   **error)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      LsTask *t = g_ptr_array_index (tasks, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) r = ls_task_await (t, &local_error);

      if (ls_error_is_cancelled (local_error))
        ls_test_logi ("main: %s cancelled=%s", ls_task_get_name (t),
                      ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
      else if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}

LsTask *
ls_test_run_task (LsLoop     *loop,
                  LsTaskFunc  func,
                  gpointer    data)
{
  g_autoptr(GError) error = NULL;
  LsTask *task = ls_task_new (loop, "main", func, data, NULL);

  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (task), &error));
  g_assert_no_error (error);
  return task;
}

GPtrArray *
ls_test_find_records (LsTrace    *trace,
                      LsTraceKind kind)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == kind)
        g_ptr_array_add (found, (gpointer) r);
    }
  return found;
}

/* ---- private mounts ---- */

static gboolean
write_proc (const char *path,
            const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

gboolean
ls_test_enter_private_mounts (void)
{
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  char map[64];

  if (uid != 0)
    {
      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
        return FALSE;
      write_proc ("/proc/self/setgroups", "deny");
      g_snprintf (map, sizeof map, "0 %u 1", (guint) uid);
      if (!write_proc ("/proc/self/uid_map", map))
        return FALSE;
      g_snprintf (map, sizeof map, "0 %u 1", (guint) gid);
      if (!write_proc ("/proc/self/gid_map", map))
        return FALSE;
    }
  else if (unshare (CLONE_NEWNS) != 0)
    return FALSE;
  return mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

gboolean
ls_test_can_mount_privately (const char *mount_point)
{
  int status;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (ls_test_enter_private_mounts ()
           && mount ("loopscope-probe", mount_point, "tmpfs", 0, "size=64k") == 0 ? 0 : 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}
